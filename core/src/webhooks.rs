//! Webhooks: a brand subscribes a URL to events; each event is queued by a trigger in
//! the transaction that made it (migration `0011_webhooks.sql`) and delivered from that
//! durable outbox by the worker's cron, signed as the Standard Webhooks specification
//! describes (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC>`, two
//! of them for a day after the secret is rotated),
//! retried with growing delays until a 2xx answer or the last attempt.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;

use crate::error::{Error, Result};
use crate::store::{Param, Row, Statement, Store, rows_of};
use crate::wire::{WebhookDelivery, WebhookSubscription};

/// The events a subscription may ask for.
pub const EVENTS: [&str; 6] = [
    "nps.created",
    "review.published",
    "question.published",
    "question.answered",
    "share.visited",
    "referral.converted",
];
/// The event the console's "Send test event" queues.
pub const TEST_EVENT: &str = "webhook.test";
/// Delay before each retry, in ms: quick at first for a receiver that blipped, then
/// spread over a day for one that is down. After the last, the delivery is given up.
pub const RETRY_DELAYS_MS: [i64; 8] = [
    1_000, 5_000, 30_000, 120_000, 600_000, 3_600_000, 21_600_000, 86_400_000,
];
/// Deliveries sent per cron run, so that one run stays well within its time.
pub const BATCH: i64 = 25;
/// Most subscriptions per site.
pub const MAX_SUBSCRIPTIONS: usize = 10;
/// How long a rotated-out secret still signs deliveries beside the new one, in ms.
pub const ROTATION_GRACE_MS: i64 = 86_400_000;
const MAX_ERROR_CHARS: usize = 300;

/// The statements, with their parameters documented.
pub mod sql {
    /// `?1` site, `?2` url, `?3` secret, `?4` events (JSON), `?5` now, `?6` idempotency
    /// key or NULL: nothing when a subscription already has that key.
    pub const CREATE: &str = "INSERT INTO webhook_subscriptions \
        (id, site_id, url, secret, events, idempotency_key, created_at) \
        VALUES (lower(hex(randomblob(16))), ?1, ?2, ?3, ?4, ?6, ?5) \
        ON CONFLICT (site_id, idempotency_key) DO NOTHING \
        RETURNING id, url, events, active, created_at, secret";
    /// `?1` site, `?2` idempotency key: the subscription made with it, secret included.
    pub const BY_KEY: &str = "SELECT id, url, events, active, created_at, secret \
        FROM webhook_subscriptions WHERE site_id = ?1 AND idempotency_key = ?2";
    /// `?1` site: its active subscriptions.
    pub const LIST: &str = "SELECT id, url, events, active, created_at FROM webhook_subscriptions \
        WHERE site_id = ?1 AND active = 1 ORDER BY created_at";
    /// Random bytes for a new secret.
    pub const RANDOM: &str = "SELECT lower(hex(randomblob(24))) AS hex";
    /// `?1` site, `?2` subscription, `?3` new secret, `?4` until when the old one still
    /// signs, `?5` idempotency key or NULL: nothing when a rotation was made with that key.
    pub const ROTATE: &str = "UPDATE webhook_subscriptions SET previous_secret = secret, \
        previous_secret_until = ?4, secret = ?3 \
        WHERE site_id = ?1 AND id = ?2 AND active = 1 AND NOT EXISTS \
        (SELECT 1 FROM webhook_rotation_keys \
        WHERE site_id = ?1 AND subscription_id = ?2 AND idempotency_key = ?5)";
    /// `?1` site, `?2` subscription, `?3` idempotency key or NULL, `?4` now (after
    /// [`ROTATE`], in the same batch): remembers the key, so that it never rotates again.
    pub const KEEP_ROTATION_KEY: &str = "INSERT INTO webhook_rotation_keys \
        (site_id, subscription_id, idempotency_key, created_at) \
        SELECT site_id, id, ?3, ?4 FROM webhook_subscriptions \
        WHERE site_id = ?1 AND id = ?2 AND active = 1 AND ?3 IS NOT NULL \
        ON CONFLICT DO NOTHING";
    /// `?1` site, `?2` subscription: an active one, with its secret (after [`ROTATE`],
    /// in the same batch).
    pub const WITH_SECRET: &str = "SELECT id, url, events, active, created_at, secret \
        FROM webhook_subscriptions WHERE site_id = ?1 AND id = ?2 AND active = 1";
    /// `?1` site, `?2` subscription: stops it (its log is kept).
    pub const DEACTIVATE: &str = "UPDATE webhook_subscriptions SET active = 0 \
        WHERE site_id = ?1 AND id = ?2 AND active = 1 RETURNING id";
    /// `?1` site, `?2` subscription, `?3` now, `?4` idempotency key or NULL: queues a test
    /// event, or nothing when one was queued with that key.
    pub const QUEUE_TEST: &str = "INSERT INTO webhook_deliveries \
        (id, site_id, subscription_id, event_type, payload, next_attempt_at, created_at, \
        idempotency_key) \
        SELECT lower(hex(randomblob(16))), site_id, id, 'webhook.test', \
        json_object('type', 'webhook.test', \
            'timestamp', strftime('%Y-%m-%dT%H:%M:%fZ', ?3 / 1000.0, 'unixepoch'), \
            'data', json_object('message', 'A test event from the Portevoix console')), ?3, ?3, ?4 \
        FROM webhook_subscriptions WHERE site_id = ?1 AND id = ?2 AND active = 1 \
        ON CONFLICT (site_id, subscription_id, idempotency_key) DO NOTHING";
    /// `?1` site, `?2` subscription, `?3` idempotency key or NULL (after [`QUEUE_TEST`],
    /// in the same batch): a row when the test is queued, by this request or by the
    /// first one sent with its key.
    pub const TEST_QUEUED: &str = "SELECT 1 AS queued FROM webhook_subscriptions \
        WHERE site_id = ?1 AND id = ?2 AND active = 1 \
        UNION SELECT 1 FROM webhook_deliveries \
        WHERE site_id = ?1 AND subscription_id = ?2 AND idempotency_key = ?3";
    /// `?1` site, `?2` subscription, `?3` how many: its latest deliveries.
    pub const LOG: &str = "SELECT id, event_type, attempts, last_status, last_error, delivered_at, \
        next_attempt_at, created_at FROM webhook_deliveries \
        WHERE site_id = ?1 AND subscription_id = ?2 ORDER BY created_at DESC, id DESC LIMIT ?3";
    /// `?1` now, `?2` how many: deliveries due, with where and how to send them.
    pub const DUE: &str = "SELECT d.id, d.payload, d.attempts, d.created_at, s.url, s.secret, \
        CASE WHEN s.previous_secret_until > ?1 THEN s.previous_secret END AS previous_secret \
        FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id \
        WHERE d.next_attempt_at IS NOT NULL AND d.next_attempt_at <= ?1 \
        ORDER BY d.next_attempt_at LIMIT ?2";
    /// `?1` id, `?2` now, `?3` status: delivered.
    pub const DELIVERED: &str = "UPDATE webhook_deliveries SET attempts = attempts + 1, \
        delivered_at = ?2, next_attempt_at = NULL, last_status = ?3, last_error = NULL WHERE id = ?1";
    /// `?1` id, `?2` next attempt (NULL: given up), `?3` status or NULL, `?4` error.
    pub const FAILED: &str = "UPDATE webhook_deliveries SET attempts = attempts + 1, \
        next_attempt_at = ?2, last_status = ?3, last_error = ?4 WHERE id = ?1";
}

/// Sends one delivery; the worker's is `fetch`, tests bring their own.
#[allow(async_fn_in_trait)]
pub trait Sender {
    /// POSTs `body` to `url` with `headers`; the HTTP status, or why there was none.
    async fn post(
        &self,
        url: &str,
        headers: &[(&str, String)],
        body: &str,
    ) -> std::result::Result<u16, String>;
}

/// `whsec_` and 24 random bytes in base64, as Standard Webhooks writes secrets.
pub fn secret_from_hex(hex: &str) -> Option<String> {
    let bytes: Option<Vec<u8>> = (0..hex.len())
        .step_by(2)
        .map(|index| {
            hex.get(index..index + 2)
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
        })
        .collect();
    Some(format!("whsec_{}", STANDARD.encode(bytes?)))
}

/// The `webhook-signature` value for a delivery: `v1,` and the base64 HMAC-SHA256 of
/// `{id}.{timestamp}.{body}` keyed with the secret's decoded bytes.
pub fn signature(secret: &str, id: &str, timestamp: i64, body: &str) -> Option<String> {
    let key = STANDARD.decode(secret.strip_prefix("whsec_")?).ok()?;
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key).ok()?;
    mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
    Some(format!(
        "v1,{}",
        STANDARD.encode(mac.finalize().into_bytes())
    ))
}

/// An https URL, or http to this machine (for a brand's local tests).
pub fn endpoint(url: &str) -> Result<String> {
    let url = url.trim();
    let local = [
        "http://127.0.0.1:",
        "http://127.0.0.1/",
        "http://localhost:",
        "http://localhost/",
    ];
    let acceptable = (url.starts_with("https://")
        || local.iter().any(|prefix| url.starts_with(prefix)))
        && url.len() <= 2_048
        && !url
            .chars()
            .any(|character| character.is_whitespace() || character.is_control());
    if acceptable {
        Ok(url.to_owned())
    } else {
        Err(Error::field(
            "url",
            "url must be an https URL of at most 2048 characters",
        ))
    }
}

/// The event types asked for, each known, without repeats.
pub fn events(asked: &[String]) -> Result<Vec<String>> {
    if asked.is_empty() {
        return Err(Error::field(
            "events",
            "events must name at least one event",
        ));
    }
    let mut events = Vec::new();
    for event in asked {
        if !EVENTS.contains(&event.as_str()) {
            return Err(Error::field(
                "events",
                format!("events: {event:?} is not one of {}", EVENTS.join(", ")),
            ));
        }
        if !events.contains(event) {
            events.push(event.clone());
        }
    }
    Ok(events)
}

#[derive(Debug, Deserialize)]
struct SubscriptionRow {
    id: String,
    url: String,
    events: String,
    active: i64,
    created_at: i64,
    /// Selected only where the brand may see it: in a creation's answer.
    #[serde(default)]
    secret: Option<String>,
}

impl From<SubscriptionRow> for WebhookSubscription {
    fn from(row: SubscriptionRow) -> WebhookSubscription {
        WebhookSubscription {
            id: row.id,
            url: row.url,
            events: serde_json::from_str(&row.events).unwrap_or_default(),
            active: row.active == 1,
            created_at: row.created_at,
            secret: row.secret,
        }
    }
}

/// The site's active subscriptions (secrets are never listed).
pub async fn list<S: Store>(store: &S, site_id: &str) -> Result<Vec<WebhookSubscription>> {
    let mut results = store
        .batch(&[Statement::new(sql::LIST, vec![site_id.into()])])
        .await?;
    Ok(rows_of::<SubscriptionRow>(&mut results, 0)?
        .into_iter()
        .map(Into::into)
        .collect())
}

#[derive(Debug, Deserialize)]
struct RandomRow {
    hex: String,
}

/// Subscribes `url` to `events`; the answer carries the secret, shown this once. Two round
/// trips: what the site has (and what `idempotency_key` made before) with fresh random
/// bytes for the secret, then the subscription.
pub async fn create<S: Store>(
    store: &S,
    site_id: &str,
    url: &str,
    events: &[String],
    idempotency_key: Option<&str>,
    now_ms: i64,
) -> Result<WebhookSubscription> {
    let mut reads = vec![
        Statement::new(sql::LIST, vec![site_id.into()]),
        Statement::new(sql::RANDOM, Vec::new()),
    ];
    if let Some(key) = idempotency_key {
        reads.push(Statement::new(
            sql::BY_KEY,
            vec![site_id.into(), key.into()],
        ));
    }
    let mut read = store.batch(&reads).await?;
    if idempotency_key.is_some()
        && let Some(earlier) = rows_of::<SubscriptionRow>(&mut read, 2)?.pop()
    {
        return same_request(earlier.into(), url, events);
    }
    if rows_of::<SubscriptionRow>(&mut read, 0)?.len() >= MAX_SUBSCRIPTIONS {
        return Err(Error::field(
            "url",
            format!("a site has at most {MAX_SUBSCRIPTIONS} webhook subscriptions"),
        ));
    }
    let secret = secret_of(&mut read, 1)?;
    let events_json =
        serde_json::to_string(events).map_err(|error| Error::Storage(error.to_string()))?;
    let statement = Statement::new(
        sql::CREATE,
        vec![
            site_id.into(),
            url.into(),
            secret.as_str().into(),
            events_json.as_str().into(),
            now_ms.into(),
            idempotency_key.into(),
        ],
    );
    let mut results = store.batch(&[statement]).await?;
    if let Some(created) = rows_of::<SubscriptionRow>(&mut results, 0)?.pop() {
        return Ok(created.into());
    }
    // Another request with the same key was stored meanwhile.
    let earlier = match idempotency_key {
        Some(key) => by_key(store, site_id, key).await?,
        None => None,
    };
    same_request(
        earlier.ok_or_else(|| Error::Storage("the subscription was not stored".into()))?,
        url,
        events,
    )
}

/// The subscription made with `idempotency_key`, secret included.
async fn by_key<S: Store>(
    store: &S,
    site_id: &str,
    idempotency_key: &str,
) -> Result<Option<WebhookSubscription>> {
    let statement = Statement::new(sql::BY_KEY, vec![site_id.into(), idempotency_key.into()]);
    let mut results = store.batch(&[statement]).await?;
    Ok(rows_of::<SubscriptionRow>(&mut results, 0)?
        .pop()
        .map(Into::into))
}

/// `earlier`, made with the key a request is sent with again, if that request asks for
/// the same thing; a key used for another subscription is refused.
fn same_request(
    earlier: WebhookSubscription,
    url: &str,
    events: &[String],
) -> Result<WebhookSubscription> {
    if earlier.url == url && earlier.events == events {
        Ok(earlier)
    } else {
        Err(Error::field(
            "idempotency_key",
            "idempotency_key was already used for another subscription",
        ))
    }
}

/// A fresh secret from the database's random source.
async fn new_secret<S: Store>(store: &S) -> Result<String> {
    let mut random = store
        .batch(&[Statement::new(sql::RANDOM, Vec::new())])
        .await?;
    secret_of(&mut random, 0)
}

/// The secret made from the random bytes [`sql::RANDOM`] read at `index` of a batch.
fn secret_of(results: &mut [Vec<Row>], index: usize) -> Result<String> {
    rows_of::<RandomRow>(results, index)?
        .pop()
        .and_then(|row| secret_from_hex(&row.hex))
        .ok_or_else(|| Error::Storage("no random bytes for a webhook secret".into()))
}

/// Gives a subscription a new secret, answered this once; the old one still signs
/// deliveries beside it for [`ROTATION_GRACE_MS`], then no more. A rotation sent again
/// with its `idempotency_key` rotates nothing and answers the current secret: the one it
/// made, or a later rotation's (sending an old rotation again must not push that out).
pub async fn rotate_secret<S: Store>(
    store: &S,
    site_id: &str,
    id: &str,
    idempotency_key: Option<&str>,
    now_ms: i64,
) -> Result<WebhookSubscription> {
    let secret = new_secret(store).await?;
    let statements = [
        Statement::new(
            sql::ROTATE,
            vec![
                site_id.into(),
                id.into(),
                secret.as_str().into(),
                (now_ms + ROTATION_GRACE_MS).into(),
                idempotency_key.into(),
            ],
        ),
        Statement::new(
            sql::KEEP_ROTATION_KEY,
            vec![
                site_id.into(),
                id.into(),
                idempotency_key.into(),
                now_ms.into(),
            ],
        ),
        Statement::new(sql::WITH_SECRET, vec![site_id.into(), id.into()]),
    ];
    let mut results = store.batch(&statements).await?;
    rows_of::<SubscriptionRow>(&mut results, 2)?
        .pop()
        .map(Into::into)
        .ok_or(Error::NotFound)
}

/// Runs statements about one subscription; `NotFound` if the last matched none.
async fn about_one<S: Store>(store: &S, statements: &[Statement]) -> Result<()> {
    let mut results = store.batch(statements).await?;
    let last = statements.len().saturating_sub(1);
    let rows: Vec<serde_json::Map<String, serde_json::Value>> = rows_of(&mut results, last)?;
    if rows.is_empty() {
        Err(Error::NotFound)
    } else {
        Ok(())
    }
}

/// Stops a subscription.
pub async fn deactivate<S: Store>(store: &S, site_id: &str, id: &str) -> Result<()> {
    let statement = Statement::new(sql::DEACTIVATE, vec![site_id.into(), id.into()]);
    about_one(store, &[statement]).await
}

/// Queues a test event for a subscription, sent by the next cron run; the same request
/// sent again with its `idempotency_key` queues nothing more.
pub async fn queue_test<S: Store>(
    store: &S,
    site_id: &str,
    id: &str,
    idempotency_key: Option<&str>,
    now_ms: i64,
) -> Result<()> {
    let statements = [
        Statement::new(
            sql::QUEUE_TEST,
            vec![
                site_id.into(),
                id.into(),
                now_ms.into(),
                idempotency_key.into(),
            ],
        ),
        Statement::new(
            sql::TEST_QUEUED,
            vec![site_id.into(), id.into(), idempotency_key.into()],
        ),
    ];
    about_one(store, &statements).await
}

#[derive(Debug, Deserialize)]
struct LogRow {
    id: String,
    event_type: String,
    attempts: i64,
    last_status: Option<i64>,
    last_error: Option<String>,
    delivered_at: Option<i64>,
    next_attempt_at: Option<i64>,
    created_at: i64,
}

/// A subscription's latest deliveries, newest first.
pub async fn log<S: Store>(
    store: &S,
    site_id: &str,
    id: &str,
    limit: u32,
) -> Result<Vec<WebhookDelivery>> {
    let statement = Statement::new(
        sql::LOG,
        vec![site_id.into(), id.into(), i64::from(limit).into()],
    );
    let mut results = store.batch(&[statement]).await?;
    Ok(rows_of::<LogRow>(&mut results, 0)?
        .into_iter()
        .map(|row| WebhookDelivery {
            id: row.id,
            event_type: row.event_type,
            attempts: row.attempts,
            last_status: row.last_status,
            last_error: row.last_error,
            delivered_at: row.delivered_at,
            next_attempt_at: row.next_attempt_at,
            created_at: row.created_at,
        })
        .collect())
}

#[derive(Debug, Deserialize)]
struct DueRow {
    id: String,
    payload: String,
    attempts: i64,
    url: String,
    secret: String,
    previous_secret: Option<String>,
}

/// What one cron run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DrainReport {
    /// Answered 2xx.
    pub delivered: u32,
    /// Failed and left to retry.
    pub retrying: u32,
    /// Failed for the last time.
    pub given_up: u32,
}

/// When a delivery that has now failed `attempts` times is tried next, if ever.
pub fn next_attempt(attempts: i64, now_ms: i64) -> Option<i64> {
    usize::try_from(attempts - 1)
        .ok()
        .and_then(|index| RETRY_DELAYS_MS.get(index))
        .map(|delay| now_ms + delay)
}

/// Sends the deliveries due at `now_ms` (at most [`BATCH`]) and records each outcome.
pub async fn drain<S: Store, D: Sender>(store: &S, sender: &D, now_ms: i64) -> Result<DrainReport> {
    let mut results = store
        .batch(&[Statement::new(sql::DUE, vec![now_ms.into(), BATCH.into()])])
        .await?;
    let mut report = DrainReport::default();
    for due in rows_of::<DueRow>(&mut results, 0)? {
        let timestamp = now_ms.div_euclid(1000);
        // The current secret's signature, then the previous one's while it is still valid:
        // a receiver checks each until one matches.
        let signed: Option<Vec<String>> = std::iter::once(&due.secret)
            .chain(&due.previous_secret)
            .map(|secret| signature(secret, &due.id, timestamp, &due.payload))
            .collect();
        let outcome = match signed.map(|signatures| signatures.join(" ")) {
            Some(signed) => {
                let headers = [
                    ("content-type", "application/json".to_owned()),
                    ("webhook-id", due.id.clone()),
                    ("webhook-timestamp", timestamp.to_string()),
                    ("webhook-signature", signed),
                ];
                sender.post(&due.url, &headers, &due.payload).await
            }
            None => Err("the subscription's secret is unreadable".to_owned()),
        };
        let attempts = due.attempts + 1;
        let statement = match outcome {
            Ok(status) if (200..300).contains(&status) => {
                report.delivered += 1;
                Statement::new(
                    sql::DELIVERED,
                    vec![
                        due.id.as_str().into(),
                        now_ms.into(),
                        i64::from(status).into(),
                    ],
                )
            }
            failed => {
                let next = next_attempt(attempts, now_ms);
                if next.is_some() {
                    report.retrying += 1;
                } else {
                    report.given_up += 1;
                }
                let (status, error) = match failed {
                    Ok(status) => (
                        Param::Integer(i64::from(status)),
                        format!("answered {status}"),
                    ),
                    Err(error) => (Param::Null, error.chars().take(MAX_ERROR_CHARS).collect()),
                };
                Statement::new(
                    sql::FAILED,
                    vec![
                        due.id.as_str().into(),
                        next.map_or(Param::Null, Param::Integer),
                        status,
                        error.as_str().into(),
                    ],
                )
            }
        };
        store.batch(&[statement]).await?;
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_follow_the_standard_webhooks_example() {
        // The example of the Standard Webhooks specification's reference libraries.
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let body = r#"{"test": 2432232314}"#;
        assert_eq!(
            signature(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1_614_265_330, body).as_deref(),
            Some("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        );
        assert_eq!(signature("not-a-secret", "id", 0, "{}"), None);
    }

    #[test]
    fn retries_wait_longer_each_time_then_stop() {
        assert_eq!(next_attempt(1, 0), Some(1_000));
        assert_eq!(next_attempt(2, 0), Some(5_000));
        assert_eq!(next_attempt(8, 0), Some(86_400_000));
        assert_eq!(next_attempt(9, 0), None);
    }

    #[test]
    fn endpoints_are_https_or_this_machine() {
        assert!(endpoint("https://hooks.cairn.example/portevoix").is_ok());
        assert!(endpoint("http://127.0.0.1:8080/hook").is_ok());
        assert!(endpoint("http://hooks.cairn.example/").is_err());
        assert!(endpoint("http://127.0.0.1.evil.example/").is_err());
        assert!(endpoint("javascript:alert(1)").is_err());
        assert!(
            events(&["nps.created".into(), "nps.created".into()])
                .is_ok_and(|events| events.len() == 1)
        );
        assert!(events(&["nps.deleted".into()]).is_err());
        assert!(events(&[]).is_err());
        assert_eq!(secret_from_hex("00ff").as_deref(), Some("whsec_AP8="));
    }
}
