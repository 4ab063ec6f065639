//! Table exports over the real SQL on SQLite: every row sent once, page by page (never
//! more than a page read at a time), as CSV a spreadsheet opens safely and as JSON.

mod support;

use std::cell::Cell;

use portevoix_core::error::Result;
use portevoix_core::export::{Export, PAGE_ROWS};
use portevoix_core::nps::NpsCounts;
use portevoix_core::store::{NewNpsAnswer, Recorded, Row, SiteRow, Statement, Store, StoredNps};
use support::*;

/// The test store, counting the most rows any one read returned.
struct Watched<'a> {
    store: &'a SqliteStore,
    largest_read: Cell<usize>,
}

impl Store for Watched<'_> {
    async fn site(&self, id: &str) -> Result<Option<SiteRow>> {
        self.store.site(id).await
    }
    async fn record_nps(&self, answer: &NewNpsAnswer) -> Result<Recorded<StoredNps>> {
        self.store.record_nps(answer).await
    }
    async fn find_nps(&self, site_id: &str, key: &str) -> Result<Option<StoredNps>> {
        self.store.find_nps(site_id, key).await
    }
    async fn comment_seen(
        &self,
        site_id: &str,
        hash: &str,
        since_ms: i64,
        visitor_id: &str,
    ) -> Result<bool> {
        self.store
            .comment_seen(site_id, hash, since_ms, visitor_id)
            .await
    }
    async fn nps_counts(&self, site_id: &str, from_ms: i64, to_ms: i64) -> Result<NpsCounts> {
        self.store.nps_counts(site_id, from_ms, to_ms).await
    }
    async fn batch(&self, statements: &[Statement]) -> Result<Vec<Vec<Row>>> {
        let results = self.store.batch(statements).await?;
        let largest = results.iter().map(Vec::len).max().unwrap_or(0);
        self.largest_read.set(self.largest_read.get().max(largest));
        Ok(results)
    }
}

const ANSWERS: i64 = 2_500;

fn store_with_answers() -> SqliteStore {
    let store = SqliteStore::new();
    store.execute(&format!(
        "WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < {ANSWERS}) \
         INSERT INTO nps_answers (id, site_id, idempotency_key, visitor_id, score, category, comment, created_at) \
         SELECT printf('%032x', n), 'cairn', 'key-' || n, 'visitor-' || n, n % 11, 'passive', \
         CASE WHEN n = 7 THEN '=HYPERLINK(\"http://evil.example\")' WHEN n = 8 THEN 'dit \"bonjour\", puis
s''en va' ELSE NULL END, n FROM seq"
    ));
    store
}

fn drain(store: &SqliteStore, file: &str) -> (String, usize, usize) {
    let watched = Watched {
        store,
        largest_read: Cell::new(0),
    };
    let mut export = Export::of_file("cairn", file).expect("an export");
    let mut text = String::new();
    let mut chunks = 0;
    while let Some(chunk) = pollster::block_on(export.next_chunk(&watched)).expect("a chunk") {
        text.push_str(&chunk);
        chunks += 1;
    }
    (text, chunks, watched.largest_read.get())
}

#[test]
fn a_csv_export_sends_every_row_once_a_page_at_a_time() {
    let store = store_with_answers();
    let (csv, chunks, largest_read) = drain(&store, "nps_answers.csv");
    assert!(
        largest_read as i64 <= PAGE_ROWS,
        "read {largest_read} rows at once"
    );
    assert_eq!(chunks as i64, ANSWERS / PAGE_ROWS + 1);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().expect("a header").clone();
    assert_eq!(&header[0], "id");
    let records: Vec<csv::StringRecord> = reader
        .records()
        .map(|record| record.expect("a record"))
        .collect();
    assert_eq!(records.len() as i64, ANSWERS);
    let comment = header
        .iter()
        .position(|name| name == "comment")
        .expect("comment column");
    assert_eq!(
        &records[6][comment], "'=HYPERLINK(\"http://evil.example\")",
        "a formula is defused"
    );
    assert_eq!(
        &records[7][comment], "dit \"bonjour\", puis\ns'en va",
        "quotes, commas and lines survive"
    );
}

#[test]
fn a_json_export_is_one_array_of_every_row() {
    let store = store_with_answers();
    let (json, _, _) = drain(&store, "nps_answers.json");
    let rows: Vec<serde_json::Value> = serde_json::from_str(&json).expect("JSON");
    assert_eq!(rows.len() as i64, ANSWERS);
    assert_eq!(rows[7]["comment"], "dit \"bonjour\", puis\ns'en va");
    let (empty, _, _) = drain(&store, "erasures.json");
    assert_eq!(
        serde_json::from_str::<Vec<serde_json::Value>>(&empty).expect("JSON"),
        Vec::<serde_json::Value>::new()
    );
}

#[test]
fn exports_need_the_admin_token_and_a_known_table() {
    let store = SqliteStore::new();
    let bearer = format!("Bearer {ADMIN_TOKEN}");
    let get = |path: &str, authorization: Option<&str>| {
        let mut request = request("GET", path, b"");
        request.origin = None;
        request.authorization = authorization;
        run(&store, &request)
    };
    let ok = get("/v1/sites/cairn/exports/reviews.csv", Some(&bearer));
    assert_eq!(ok.status, 200);
    assert!(ok.export.is_some());
    assert_eq!(
        ok.header("content-disposition"),
        Some("attachment; filename=\"cairn-reviews.csv\"")
    );
    assert_eq!(get("/v1/sites/cairn/exports/reviews.csv", None).status, 401);
    assert_eq!(
        get("/v1/sites/cairn/exports/reviews.csv", Some("Bearer nope")).status,
        401
    );
    for missing in [
        "sites.csv",
        "nps_days.csv",
        "reviews.xlsx",
        "%2e%2e%2fsites.csv",
    ] {
        assert_eq!(
            get(&format!("/v1/sites/cairn/exports/{missing}"), Some(&bearer)).status,
            404,
            "{missing}"
        );
    }
}

#[test]
fn every_exportable_table_reads_and_never_shows_a_secret() {
    let store = store_with_answers();
    store.execute(
        "INSERT INTO webhook_subscriptions (id, site_id, url, secret, events, created_at) \
         VALUES ('abc', 'cairn', 'https://hooks.cairn.example/', 'whsec_c2VjcmV0', '[\"nps.created\"]', 0)",
    );
    for table in portevoix_core::export::TABLES.iter() {
        let (csv, _, _) = drain(&store, &format!("{}.csv", table.name));
        assert!(
            csv.starts_with(table.columns[0]),
            "{}: {csv:.80}",
            table.name
        );
        assert!(!csv.contains("whsec_"), "{} shows a secret", table.name);
    }
}
