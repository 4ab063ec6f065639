//! A SQLite store for native tests: the worker's own migrations and the core's SQL, run by
//! SQLite instead of D1, so handler tests exercise the real schema and statements.
#![allow(
    dead_code,
    reason = "each test crate that includes this module uses a different part of it"
)]

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::path::Path;

use portevoix_core::api::{ApiRequest, ApiResponse, handle};
use portevoix_core::limits::{Limit, RateLimiter};
use portevoix_core::nps::NpsCounts;
use portevoix_core::site::hex_sha256;
use portevoix_core::spam::HumanCheck;
use portevoix_core::store::{
    NewNpsAnswer, Param, Recorded, Row, SiteRow, Statement, Store, StoredNps, sql,
};
use portevoix_core::wire::ErrorBody;
use portevoix_core::{Error, Result};
use rusqlite::limits::Limit as SqliteLimit;
use rusqlite::types::{ToSqlOutput, Value as SqlValue, ValueRef};
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};

pub const SITE: &str = "cairn";
pub const ORIGIN: &str = "https://cairn.example";
pub const ADMIN_TOKEN: &str = "admin-token-for-tests";
pub const CUSTOMER_SECRET: &str = "customer-secret-for-tests";
/// The time every test request is made at: 2025-11-30.
pub const NOW_MS: i64 = 1_764_500_000_000;
/// Limits high enough that only the rate-limit tests reach them.
const GENEROUS: u32 = 1_000;

/// A request from the test site's page, as a widget sends it.
pub fn request<'a>(method: &'a str, path: &'a str, body: &'a [u8]) -> ApiRequest<'a> {
    ApiRequest {
        method,
        path,
        query: "",
        origin: Some(ORIGIN),
        authorization: None,
        cookie: None,
        content_type: Some("application/json"),
        client_address: Some("203.0.113.7"),
        if_none_match: None,
        signature: None,
        user_agent: Some("Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"),
        base_url: "https://portevoix.test",
        body,
        now_ms: NOW_MS,
    }
}

/// The most D1 round trips a write may take (PRODUCT.md: "aim for at most 3 round trips
/// per write, batching statements"), checked on every write a test makes.
const MOST_ROUND_TRIPS_PER_WRITE: u32 = 3;

/// Handles a request with generous rate limits and the fake Turnstile, and fails the test
/// if a write took more D1 round trips than [`MOST_ROUND_TRIPS_PER_WRITE`]; the store's
/// [`SqliteStore::take_round_trips`] then counts that request's round trips.
pub fn run(store: &SqliteStore, request: &ApiRequest<'_>) -> ApiResponse {
    store.take_round_trips();
    let response = pollster::block_on(handle(
        request,
        store,
        &MemoryLimiter::new(GENEROUS),
        &FakeTurnstile,
    ));
    if request.method != "GET" {
        let round_trips = store.round_trips.get();
        assert!(
            round_trips <= MOST_ROUND_TRIPS_PER_WRITE,
            "{} {} took {round_trips} D1 round trips (at most {MOST_ROUND_TRIPS_PER_WRITE})",
            request.method,
            request.path
        );
    }
    response
}

/// An admin call with the test site's admin token, as a brand's server makes it (no
/// Origin); `body` is sent as JSON unless the method is GET.
pub fn admin_call(
    store: &SqliteStore,
    method: &str,
    path: &str,
    body: &serde_json::Value,
) -> ApiResponse {
    let bytes = body.to_string().into_bytes();
    let bearer = format!("Bearer {ADMIN_TOKEN}");
    let body = if method == "GET" { &b""[..] } else { &bytes };
    run(store, &admin_request(method, path, body, &bearer))
}

/// A request with a raw body and the given `Authorization` header, as a brand's server
/// sends it (no origin).
pub fn admin_request<'a>(
    method: &'a str,
    path: &'a str,
    body: &'a [u8],
    bearer: &'a str,
) -> ApiRequest<'a> {
    let mut request = request(method, path, body);
    request.origin = None;
    request.authorization = Some(bearer);
    request
}

/// Status, error code and field of an error answer.
pub fn error_of(response: &ApiResponse) -> (u16, String, Option<String>) {
    let body: ErrorBody = serde_json::from_str(&response.body).expect("error body");
    (response.status, body.error.code, body.error.field)
}

/// Counts requests per limit and key in memory, allowing `max` of each.
pub struct MemoryLimiter {
    max: u32,
    counts: RefCell<HashMap<(Limit, String), u32>>,
}

impl MemoryLimiter {
    pub fn new(max: u32) -> MemoryLimiter {
        MemoryLimiter {
            max,
            counts: RefCell::new(HashMap::new()),
        }
    }
}

impl RateLimiter for MemoryLimiter {
    async fn allow(&self, limit: Limit, key: &str) -> bool {
        let mut counts = self.counts.borrow_mut();
        let count = counts.entry((limit, key.to_owned())).or_insert(0);
        *count += 1;
        *count <= self.max
    }
}

/// Turnstile as tests see it: the token `human` passes, anything else fails.
pub struct FakeTurnstile;

/// The token [`FakeTurnstile`] accepts.
pub const HUMAN_TOKEN: &str = "human";

impl HumanCheck for FakeTurnstile {
    async fn passes(&self, _secret: &str, token: &str, _client_address: Option<&str>) -> bool {
        token == HUMAN_TOKEN
    }
}

/// What D1 refuses beyond, set on the test database after its migrations so that a
/// statement D1 would refuse fails here too: the limits Cloudflare documents (statement
/// length, bound parameters, function arguments, LIKE patterns, row size) and the terms of
/// a compound SELECT, undocumented and measured on local workerd (5 pass, 6 fail).
const D1_LIMITS: [(SqliteLimit, i32); 6] = [
    (SqliteLimit::SQLITE_LIMIT_SQL_LENGTH, 100_000),
    (SqliteLimit::SQLITE_LIMIT_VARIABLE_NUMBER, 100),
    (SqliteLimit::SQLITE_LIMIT_FUNCTION_ARG, 32),
    (SqliteLimit::SQLITE_LIMIT_LIKE_PATTERN_LENGTH, 50),
    (SqliteLimit::SQLITE_LIMIT_LENGTH, 2_000_000),
    (SqliteLimit::SQLITE_LIMIT_COMPOUND_SELECT, 5),
];

pub struct SqliteStore {
    connection: Connection,
    /// Calls to the `Store` methods: each is one D1 round trip in the worker's adapter.
    round_trips: Cell<u32>,
}

fn storage(error: rusqlite::Error) -> Error {
    Error::Storage(error.to_string())
}

impl SqliteStore {
    fn count_round_trip(&self) {
        self.round_trips.set(self.round_trips.get() + 1);
    }

    /// The D1 round trips made since the last call: the `Store` calls, each one round trip
    /// in the worker's adapter.
    pub fn take_round_trips(&self) -> u32 {
        self.round_trips.replace(0)
    }

    /// A fresh in-memory database with every migration applied and the test site seeded.
    pub fn new() -> SqliteStore {
        // "~" sorts after every numbered migration file.
        SqliteStore::before_migration("~")
    }

    /// A database whose schema stops before the migration file named `first_left_out`
    /// (with the test site seeded), for testing what that migration does to stored rows.
    pub fn before_migration(first_left_out: &str) -> SqliteStore {
        let store = SqliteStore {
            connection: Connection::open_in_memory().expect("in-memory SQLite"),
            round_trips: Cell::new(0),
        };
        store.apply_migrations(|name| name < first_left_out);
        for (limit, most) in D1_LIMITS {
            store
                .connection
                .set_limit(limit, most)
                .expect("set a D1 limit");
        }
        store
            .connection
            .execute(
                "INSERT INTO sites (id, name, allowed_origins, admin_token_sha256, \
                 customer_token_secret, config, created_at) VALUES (?1, 'Cairn', ?2, ?3, ?4, ?5, 0)",
                params![
                    SITE,
                    format!(r#"["{ORIGIN}"]"#),
                    hex_sha256(ADMIN_TOKEN.as_bytes()),
                    CUSTOMER_SECRET,
                    r#"{"default_locale":"fr","contact_url":"https://cairn.example/contact"}"#
                ],
            )
            .expect("seed site");
        store
    }

    /// Applies the migrations from the file named `first` on, as a deployment would.
    pub fn apply_migrations_from(&self, first: &str) {
        self.apply_migrations(|name| name >= first);
    }

    fn apply_migrations(&self, wanted: impl Fn(&str) -> bool) {
        let migrations = Path::new(env!("CARGO_MANIFEST_DIR")).join("../worker/migrations");
        let mut files: Vec<_> = std::fs::read_dir(&migrations)
            .expect("migrations folder")
            .map(|entry| entry.expect("migration entry").path())
            .filter(|path| {
                path.file_name()
                    .and_then(|name| name.to_str())
                    .is_some_and(&wanted)
            })
            .collect();
        files.sort();
        for file in files {
            let migration = std::fs::read_to_string(&file).expect("migration file");
            self.connection
                .execute_batch(&migration)
                .expect("migration applies");
        }
    }

    /// Turns Turnstile on for the test site.
    pub fn require_turnstile(&self) {
        self.connection
            .execute(
                "UPDATE sites SET turnstile_secret = 'turnstile-secret', \
                 config = json_set(config, '$.turnstile_site_key', '0x4AAA-test') WHERE id = ?1",
                [SITE],
            )
            .expect("turn Turnstile on");
    }

    /// Replaces the test site's stored configuration.
    pub fn set_config(&self, config: &str) {
        self.connection
            .execute(
                "UPDATE sites SET config = ?1 WHERE id = ?2",
                params![config, SITE],
            )
            .expect("update config");
    }

    /// Number of stored NPS answers, to prove that refused requests store nothing.
    pub fn nps_rows(&self) -> i64 {
        self.connection
            .query_row("SELECT COUNT(*) FROM nps_answers", [], |row| row.get(0))
            .expect("count")
    }

    /// One column of the answer with this id.
    pub fn nps_column(&self, id: &str, column: &str) -> Option<String> {
        self.connection
            .query_row(
                &format!("SELECT {column} FROM nps_answers WHERE id = ?1"),
                [id],
                |row| row.get(0),
            )
            .expect("answer exists")
    }

    /// Stores an answer dated `created_at` straight away, for date-range tests.
    pub fn insert_answer(&self, score: u8, created_at: i64, key: &str) {
        self.connection
            .execute(
                "INSERT INTO nps_answers (id, site_id, idempotency_key, visitor_id, score, category, created_at) \
                 VALUES (?1, ?2, ?1, 'visitor-1', ?3, ?4, ?5)",
                params![key, SITE, score, portevoix_core::nps::Category::of(score).as_str(), created_at],
            )
            .expect("insert answer");
    }

    /// Stores an answer with a comment; its id is the two hex digits `id` repeated.
    pub fn insert_commented_answer(
        &self,
        id: &str,
        score: u8,
        created_at: i64,
        comment: &str,
        page_url: Option<&str>,
    ) {
        self.connection
            .execute(
                "INSERT INTO nps_answers (id, site_id, idempotency_key, visitor_id, score, category, \
                 comment, page_url, created_at) VALUES (?1, ?2, ?1, 'visitor-1', ?3, ?4, ?5, ?6, ?7)",
                params![
                    id.repeat(16),
                    SITE,
                    score,
                    portevoix_core::nps::Category::of(score).as_str(),
                    comment,
                    page_url,
                    created_at
                ],
            )
            .expect("insert commented answer");
    }

    /// Adds another site with the same secrets as the test site.
    pub fn add_site(&self, key: &str) {
        self.connection
            .execute(
                "INSERT INTO sites (id, name, allowed_origins, admin_token_sha256, customer_token_secret, \
                 config, created_at) SELECT ?1, name, allowed_origins, admin_token_sha256, \
                 customer_token_secret, config, created_at FROM sites WHERE id = ?2",
                params![key, SITE],
            )
            .expect("add site");
    }

    /// Gives the test site a new admin token, as an operator rotating it would.
    pub fn replace_admin_token(&self, token: &str) {
        self.connection
            .execute(
                "UPDATE sites SET admin_token_sha256 = ?1 WHERE id = ?2",
                params![hex_sha256(token.as_bytes()), SITE],
            )
            .expect("replace admin token");
    }
}

fn bound(param: &Param) -> ToSqlOutput<'_> {
    match param {
        Param::Text(text) => ToSqlOutput::Borrowed(ValueRef::Text(text.as_bytes())),
        Param::Integer(number) => ToSqlOutput::Owned(SqlValue::Integer(*number)),
        Param::Null => ToSqlOutput::Owned(SqlValue::Null),
    }
}

fn json_of(value: ValueRef<'_>) -> serde_json::Value {
    match value {
        ValueRef::Null => serde_json::Value::Null,
        ValueRef::Integer(number) => number.into(),
        ValueRef::Real(number) => number.into(),
        ValueRef::Text(text) => String::from_utf8_lossy(text).into_owned().into(),
        ValueRef::Blob(_) => serde_json::Value::Null,
    }
}

impl SqliteStore {
    /// Runs one statement and returns its rows as D1 would.
    fn run_statement(&self, statement: &Statement) -> rusqlite::Result<Vec<Row>> {
        let mut prepared = self.connection.prepare(statement.sql)?;
        let names: Vec<String> = prepared
            .column_names()
            .into_iter()
            .map(str::to_owned)
            .collect();
        let mut rows = prepared.query(params_from_iter(statement.params.iter().map(bound)))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let mut map = Row::new();
            for (index, name) in names.iter().enumerate() {
                map.insert(name.clone(), json_of(row.get_ref(index)?));
            }
            out.push(map);
        }
        Ok(out)
    }

    /// Runs raw SQL, for seeding and inspecting tables in tests.
    pub fn execute(&self, sql: &str) {
        self.connection.execute_batch(sql).expect("test SQL runs");
    }

    /// Runs raw SQL and says whether SQLite accepted it, for tests of what it refuses.
    pub fn try_execute(&self, sql: &str) -> bool {
        self.connection.execute_batch(sql).is_ok()
    }

    /// The first column of every row of `sql`, as text.
    pub fn texts(&self, sql: &str) -> Vec<String> {
        let mut statement = self.connection.prepare(sql).expect("test query prepares");
        statement
            .query_map([], |row| row.get::<_, String>(0))
            .expect("test query runs")
            .map(|text| text.expect("a text column"))
            .collect()
    }

    /// Every row of `table`, every column written out, one row a line.
    pub fn dump(&self, table: &str) -> String {
        let mut statement = self
            .connection
            .prepare(&format!("SELECT * FROM {table}"))
            .expect("table exists");
        let columns = statement.column_count();
        let mut rows = statement.query([]).expect("table reads");
        let mut lines = Vec::new();
        while let Some(row) = rows.next().expect("row reads") {
            let values: Vec<String> = (0..columns)
                .map(|index| json_of(row.get_ref(index).expect("column")).to_string())
                .collect();
            lines.push(format!("{table}: {}", values.join(" | ")));
        }
        lines.join("\n")
    }

    /// The first column of the first row of `sql`, as an integer.
    pub fn number(&self, sql: &str) -> i64 {
        self.connection
            .query_row(sql, [], |row| row.get(0))
            .expect("test query runs")
    }
}

fn stored(row: &rusqlite::Row<'_>) -> rusqlite::Result<(String, String)> {
    Ok((row.get(0)?, row.get(1)?))
}

fn to_stored((id, category): (String, String)) -> Result<StoredNps> {
    let category = serde_json::from_value(serde_json::Value::String(category))
        .map_err(|error| Error::Storage(error.to_string()))?;
    Ok(StoredNps { id, category })
}

impl Store for SqliteStore {
    async fn site(&self, site_id: &str) -> Result<Option<SiteRow>> {
        self.count_round_trip();
        self.connection
            .query_row(sql::SELECT_SITE, [site_id], |row| {
                Ok(SiteRow {
                    id: row.get(0)?,
                    name: row.get(1)?,
                    allowed_origins: row.get(2)?,
                    admin_token_sha256: row.get(3)?,
                    customer_token_secret: row.get(4)?,
                    config: row.get(5)?,
                    turnstile_secret: row.get(6)?,
                })
            })
            .optional()
            .map_err(storage)
    }

    async fn record_nps(&self, answer: &NewNpsAnswer) -> Result<Recorded<StoredNps>> {
        self.count_round_trip();
        let inserted = self
            .connection
            .query_row(
                sql::INSERT_NPS,
                params![
                    answer.site_id,
                    answer.idempotency_key,
                    answer.visitor_id,
                    answer.customer_id,
                    answer.score,
                    answer.category.as_str(),
                    answer.comment,
                    answer.page_url,
                    answer.locale,
                    answer.created_at,
                    answer.comment_hash
                ],
                stored,
            )
            .optional()
            .map_err(storage)?;
        if let Some(row) = inserted {
            return Ok(Recorded::Created(to_stored(row)?));
        }
        let existing = self
            .connection
            .query_row(
                sql::SELECT_NPS_BY_KEY,
                params![answer.site_id, answer.idempotency_key],
                stored,
            )
            .map_err(storage)?;
        Ok(Recorded::Replayed(to_stored(existing)?))
    }

    async fn find_nps(&self, site_id: &str, idempotency_key: &str) -> Result<Option<StoredNps>> {
        self.count_round_trip();
        let row = self
            .connection
            .query_row(
                sql::SELECT_NPS_BY_KEY,
                params![site_id, idempotency_key],
                stored,
            )
            .optional()
            .map_err(storage)?;
        row.map(to_stored).transpose()
    }

    async fn comment_seen(
        &self,
        site_id: &str,
        comment_hash: &str,
        since_ms: i64,
        visitor_id: &str,
    ) -> Result<bool> {
        self.count_round_trip();
        self.connection
            .query_row(
                sql::COMMENT_SEEN,
                params![site_id, comment_hash, since_ms, visitor_id],
                |row| row.get(0),
            )
            .map_err(storage)
    }

    async fn nps_counts(&self, site_id: &str, from_ms: i64, to_ms: i64) -> Result<NpsCounts> {
        self.count_round_trip();
        self.connection
            .query_row(sql::COUNT_NPS, params![site_id, from_ms, to_ms], |row| {
                Ok(NpsCounts {
                    total: row.get(0)?,
                    promoters: row.get(1)?,
                    detractors: row.get(2)?,
                })
            })
            .map_err(storage)
    }

    async fn batch(&self, statements: &[Statement]) -> Result<Vec<Vec<Row>>> {
        self.count_round_trip();
        let transaction = self.connection.unchecked_transaction().map_err(storage)?;
        let results = statements
            .iter()
            .map(|statement| self.run_statement(statement))
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(storage)?;
        transaction.commit().map_err(storage)?;
        Ok(results)
    }
}
