//! Storage, as the request handling sees it: a trait with one method per question the
//! handlers ask, and the SQL that every adapter runs, so D1 in production and SQLite in
//! `cargo test` execute the very same statements against the very same migrations.

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::error::{Error, Result};
use crate::nps::{Category, NpsCounts};

/// A row of the `sites` table.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SiteRow {
    /// The `data-site` key.
    pub id: String,
    /// The brand's name.
    pub name: String,
    /// JSON array of allowed page origins.
    pub allowed_origins: String,
    /// Lowercase hex SHA-256 of the admin token.
    pub admin_token_sha256: String,
    /// Key for customer-token signatures.
    pub customer_token_secret: String,
    /// JSON [`crate::site::SiteConfig`].
    pub config: String,
    /// Cloudflare Turnstile secret, when the site has turned the check on.
    #[serde(default)]
    pub turnstile_secret: Option<String>,
}

/// A validated NPS answer, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNpsAnswer {
    /// The site it belongs to.
    pub site_id: String,
    /// Client-chosen; unique per site.
    pub idempotency_key: String,
    /// First-party random visitor id.
    pub visitor_id: String,
    /// Brand's customer id from a verified customer token.
    pub customer_id: Option<String>,
    /// 0–10.
    pub score: u8,
    /// Derived from the score, stored for readable exports.
    pub category: Category,
    /// Trimmed comment, if any.
    pub comment: Option<String>,
    /// [`crate::spam::comment_fingerprint`] of the comment, for duplicate detection.
    pub comment_hash: Option<String>,
    /// Page the answer was given on.
    pub page_url: Option<String>,
    /// Language the visitor saw.
    pub locale: Option<String>,
    /// Unix milliseconds.
    pub created_at: i64,
}

/// The stored answer, as the client sees it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct StoredNps {
    /// Answer id.
    pub id: String,
    /// Category stored with the answer.
    pub category: Category,
}

/// Whether a write stored something new or found the result of an earlier identical one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recorded<T> {
    /// Stored now.
    Created(T),
    /// Stored by an earlier request with the same idempotency key; nothing new stored.
    Replayed(T),
}

/// A value bound to a numbered SQL parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Param {
    /// A `TEXT` value.
    Text(String),
    /// An `INTEGER` value; D1 carries it as a JavaScript number, so it must stay within
    /// ±2^53.
    Integer(i64),
    /// `NULL`.
    Null,
}

impl From<&str> for Param {
    fn from(value: &str) -> Self {
        Param::Text(value.to_owned())
    }
}

impl From<i64> for Param {
    fn from(value: i64) -> Self {
        Param::Integer(value)
    }
}

impl From<Option<&str>> for Param {
    fn from(value: Option<&str>) -> Self {
        value.map_or(Param::Null, Param::from)
    }
}

/// One SQL statement and its parameters, `params[0]` bound to `?1`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// One of the statements of this crate's `sql` modules.
    pub sql: &'static str,
    /// The values of `?1`, `?2`, …
    pub params: Vec<Param>,
}

impl Statement {
    /// Shorthand for building a statement.
    pub fn new(sql: &'static str, params: Vec<Param>) -> Statement {
        Statement { sql, params }
    }
}

/// A result row: column name to value, as both D1 and SQLite can produce it.
pub type Row = serde_json::Map<String, serde_json::Value>;

/// Reads a row into the type the caller expects; a mismatch is a storage bug.
pub fn decode<T: DeserializeOwned>(row: Row) -> Result<T> {
    serde_json::from_value(serde_json::Value::Object(row))
        .map_err(|error| Error::Storage(format!("unexpected row shape: {error}")))
}

/// The rows of the statement at `index` of a batch's results.
pub fn rows_of<T: DeserializeOwned>(results: &mut [Vec<Row>], index: usize) -> Result<Vec<T>> {
    let rows = results
        .get_mut(index)
        .ok_or_else(|| Error::Storage("a batch returned too few results".into()))?;
    std::mem::take(rows).into_iter().map(decode).collect()
}

/// What the request handlers need from storage. Futures need not be `Send`: Workers run
/// one request per isolate thread, and D1's futures are not `Send`.
#[allow(async_fn_in_trait)]
pub trait Store {
    /// The site with this key, if any.
    async fn site(&self, site_id: &str) -> Result<Option<SiteRow>>;

    /// Stores an answer unless its idempotency key was seen before, in one round trip.
    async fn record_nps(&self, answer: &NewNpsAnswer) -> Result<Recorded<StoredNps>>;

    /// The answer stored under this idempotency key, if any.
    async fn find_nps(&self, site_id: &str, idempotency_key: &str) -> Result<Option<StoredNps>>;

    /// Whether another visitor sent a comment with this fingerprint since `since_ms`.
    async fn comment_seen(
        &self,
        site_id: &str,
        comment_hash: &str,
        since_ms: i64,
        visitor_id: &str,
    ) -> Result<bool>;

    /// Counts answers created in `[from_ms, to_ms)`, in SQL.
    async fn nps_counts(&self, site_id: &str, from_ms: i64, to_ms: i64) -> Result<NpsCounts>;

    /// Runs the statements in order as one transaction, in one round trip, and returns each
    /// statement's rows. The review, Q&A and ledger queries are written once, in this
    /// crate, over this one method.
    async fn batch(&self, statements: &[Statement]) -> Result<Vec<Vec<Row>>>;
}

/// The statements both adapters run. Parameters are numbered and documented per query.
pub mod sql {
    /// `?1` site id.
    pub const SELECT_SITE: &str = "SELECT id, name, allowed_origins, admin_token_sha256, \
        customer_token_secret, config, turnstile_secret FROM sites WHERE id = ?1";

    /// `?1` site, `?2` idempotency key, `?3` visitor, `?4` customer, `?5` score,
    /// `?6` category, `?7` comment, `?8` page url, `?9` locale, `?10` created at (ms),
    /// `?11` comment hash. Returns the new row, or nothing if the key was already used.
    pub const INSERT_NPS: &str = "INSERT INTO nps_answers (id, site_id, idempotency_key, \
        visitor_id, customer_id, score, category, comment, page_url, locale, created_at, \
        comment_hash) \
        VALUES (lower(hex(randomblob(16))), ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) \
        ON CONFLICT (site_id, idempotency_key) DO NOTHING RETURNING id, category";

    /// `?1` site, `?2` idempotency key: the answer an earlier request stored.
    pub const SELECT_NPS_BY_KEY: &str = "SELECT id, category FROM nps_answers \
        WHERE site_id = ?1 AND idempotency_key = ?2";

    /// `?1` site, `?2` comment hash, `?3` since (ms), `?4` the sending visitor: 1 if
    /// another visitor sent the same comment since then.
    pub const COMMENT_SEEN: &str = "SELECT EXISTS (SELECT 1 FROM nps_answers \
        WHERE site_id = ?1 AND comment_hash = ?2 AND created_at >= ?3 AND visitor_id != ?4) \
        AS seen";

    /// `?1` site, `?2` from (ms, inclusive), `?3` to (ms, exclusive), both starts of UTC
    /// days. Reads the per-day counts the `nps_days_count` trigger keeps (one row a day),
    /// so its cost follows the range's length, never the number of answers.
    pub const COUNT_NPS: &str = "SELECT COALESCE(SUM(total), 0) AS total, \
        COALESCE(SUM(promoters), 0) AS promoters, \
        COALESCE(SUM(detractors), 0) AS detractors \
        FROM nps_days WHERE site_id = ?1 AND day_ms >= ?2 AND day_ms < ?3";
}
