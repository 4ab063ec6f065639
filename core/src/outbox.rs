//! The widgets' outbox: every write is saved (in the host page's first-party storage)
//! with its idempotency key before it is sent, retried with exponential backoff and
//! jitter while the network fails, resent by the next page that loads the widgets if the
//! tab was closed, and dropped only once the worker has answered. Pure bookkeeping here;
//! the widgets own storage and timers. The console, whose writes a marketer sends again
//! by hand, keeps their keys with [`ResendKey`]. Reads are never saved, but are asked
//! again on the same terms ([`read_retry_ms`]): a moment's failure, or the worker's
//! `Retry-After`.

use serde::{Deserialize, Serialize};

/// The first retry waits about this long; each further one twice as long.
const FIRST_RETRY_MS: f64 = 1_000.0;
/// No retry waits longer than this.
const MAX_RETRY_MS: f64 = 60_000.0;
/// A write nobody could deliver for this long is dropped: its page and visitor are gone.
const GIVE_UP_AFTER_MS: f64 = 30.0 * 24.0 * 3_600_000.0;

/// One write waiting for the worker's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pending {
    /// The write's idempotency key, which also identifies it here.
    pub key: String,
    /// Where to POST it.
    pub url: String,
    /// The JSON body, exactly as first sent.
    pub body: String,
    /// Failed attempts so far.
    pub attempts: u32,
    /// Not before this time (ms since the epoch).
    pub next_attempt_at: f64,
    /// When the visitor submitted it.
    pub created_at: f64,
}

/// The delay before the next attempt after `attempts` failures: doubling from one second,
/// capped at a minute, spread by `jitter` (0–1) over ±50% so that many visitors coming
/// back online at once do not retry in step.
pub fn backoff_ms(attempts: u32, jitter: f64) -> f64 {
    let doubling = FIRST_RETRY_MS * 2f64.powi(attempts.saturating_sub(1).min(16) as i32);
    doubling.min(MAX_RETRY_MS) * (0.5 + jitter.clamp(0.0, 1.0))
}

/// The waits before a widget asks again for what it reads (1, 2 then 4 seconds): past
/// them, it says what it could not load. Short, as a visitor is looking at the page.
const READ_RETRY_MS: [u64; 3] = [1_000, 2_000, 4_000];
/// The longest wait the worker may ask of a read (`Retry-After`) for the widget to wait
/// it out rather than say at once what it could not load: a rate limit's minute.
const LONGEST_READ_WAIT_MS: u64 = 60_000;

/// How long a widget waits before asking again for what it reads, after `retries_so_far`
/// retries, when the worker asked to wait `asked_wait_ms` (0 for a failed network): `None`
/// once the retries are spent, or when the worker asks for longer than a minute.
pub fn read_retry_ms(retries_so_far: usize, asked_wait_ms: u64) -> Option<u64> {
    let backoff = READ_RETRY_MS.get(retries_so_far)?;
    (asked_wait_ms <= LONGEST_READ_WAIT_MS).then(|| asked_wait_ms.max(*backoff))
}

/// The saved writes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Outbox {
    entries: Vec<Pending>,
}

impl Outbox {
    /// Saves a write, due now; a write already saved under the same key is kept as is.
    pub fn add(&mut self, key: &str, url: &str, body: &str, now: f64) {
        if self.entries.iter().all(|entry| entry.key != key) {
            self.entries.push(Pending {
                key: key.to_owned(),
                url: url.to_owned(),
                body: body.to_owned(),
                attempts: 0,
                next_attempt_at: now,
                created_at: now,
            });
        }
    }

    /// Forgets a write the worker has answered (stored, or refused for good).
    pub fn remove(&mut self, key: &str) {
        self.entries.retain(|entry| entry.key != key);
    }

    /// Records a failed attempt and schedules the next one: after the backoff, and not
    /// before `asked_wait_ms` (the worker's `Retry-After`, 0 when it asked for nothing),
    /// so that a rate-limited write is not sent again while the worker would still refuse it.
    pub fn failed(&mut self, key: &str, now: f64, jitter: f64, asked_wait_ms: f64) {
        if let Some(entry) = self.entries.iter_mut().find(|entry| entry.key == key) {
            entry.attempts += 1;
            entry.next_attempt_at = now + backoff_ms(entry.attempts, jitter).max(asked_wait_ms);
        }
    }

    /// Makes every write due now, e.g. when the browser comes back online.
    pub fn hurry(&mut self, now: f64) {
        for entry in &mut self.entries {
            entry.next_attempt_at = entry.next_attempt_at.min(now);
        }
    }

    /// The writes to send now, oldest first, after dropping the hopeless ones.
    pub fn due(&mut self, now: f64) -> Vec<Pending> {
        self.entries
            .retain(|entry| now - entry.created_at < GIVE_UP_AFTER_MS);
        let mut due: Vec<Pending> = self
            .entries
            .iter()
            .filter(|entry| entry.next_attempt_at <= now)
            .cloned()
            .collect();
        due.sort_by(|a, b| a.created_at.total_cmp(&b.created_at));
        due
    }

    /// When the next write falls due, if any is waiting.
    pub fn next_due(&self) -> Option<f64> {
        self.entries
            .iter()
            .map(|entry| entry.next_attempt_at)
            .min_by(f64::total_cmp)
    }

    /// Whether nothing is waiting: then nothing needs keeping.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Whether a write with this key is waiting.
    pub fn contains(&self, key: &str) -> bool {
        self.entries.iter().any(|entry| entry.key == key)
    }
}

/// The idempotency key of a write a person sends again by hand (a marketer crediting
/// points, a brand answering a question): while the last attempt went unanswered, sending
/// the same write again reuses its key, so the worker stores it once even if the lost
/// attempt had arrived; any other write gets a new key.
#[derive(Debug)]
pub struct ResendKey<W> {
    unanswered: Option<(W, String)>,
}

impl<W> Default for ResendKey<W> {
    fn default() -> Self {
        ResendKey { unanswered: None }
    }
}

impl<W: PartialEq> ResendKey<W> {
    /// The key to send `write` with: the unanswered attempt's if it was this same write,
    /// else `fresh()`, remembered until [`ResendKey::answered`].
    pub fn key_for(&mut self, write: W, fresh: impl FnOnce() -> String) -> String {
        match &self.unanswered {
            Some((last, key)) if *last == write => key.clone(),
            _ => {
                let key = fresh();
                self.unanswered = Some((write, key.clone()));
                key
            }
        }
    }

    /// The worker answered the last attempt (stored it, or refused it and stored
    /// nothing): the next write is a new one.
    pub fn answered(&mut self) {
        self.unanswered = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counter() -> impl FnMut() -> String {
        let mut made = 0;
        move || {
            made += 1;
            format!("key-{made}")
        }
    }

    #[test]
    fn the_same_write_sent_again_after_a_lost_answer_keeps_its_key() {
        let (mut keys, mut fresh) = (ResendKey::default(), counter());
        assert_eq!(keys.key_for(("camille", -50), &mut fresh), "key-1");
        assert_eq!(keys.key_for(("camille", -50), &mut fresh), "key-1");
    }

    #[test]
    fn a_changed_write_or_one_after_an_answer_gets_a_new_key() {
        let (mut keys, mut fresh) = (ResendKey::default(), counter());
        assert_eq!(keys.key_for(("camille", -50), &mut fresh), "key-1");
        assert_eq!(keys.key_for(("camille", -40), &mut fresh), "key-2");
        keys.answered();
        assert_eq!(keys.key_for(("camille", -40), &mut fresh), "key-3");
        assert_eq!(keys.key_for(("camille", -40), &mut fresh), "key-3");
    }

    #[test]
    fn backoff_doubles_from_one_second_up_to_a_minute() {
        assert_eq!(backoff_ms(1, 0.5), 1_000.0);
        assert_eq!(backoff_ms(2, 0.5), 2_000.0);
        assert_eq!(backoff_ms(4, 0.5), 8_000.0);
        assert_eq!(backoff_ms(12, 0.5), 60_000.0);
        assert_eq!(backoff_ms(u32::MAX, 0.5), 60_000.0);
    }

    #[test]
    fn jitter_spreads_retries_by_half_either_way() {
        assert_eq!(backoff_ms(3, 0.0), 2_000.0);
        assert_eq!(backoff_ms(3, 1.0), 6_000.0);
        assert_eq!(backoff_ms(3, 7.0), 6_000.0);
    }

    #[test]
    fn a_write_stays_until_answered_and_is_retried_later() {
        let mut outbox = Outbox::default();
        assert!(outbox.is_empty());
        outbox.add("key-1", "https://w/v1/sites/s/nps", "{}", 0.0);
        outbox.add("key-1", "https://w/v1/sites/s/nps", "{\"changed\":1}", 5.0);
        assert!(!outbox.is_empty());
        assert_eq!(outbox.due(0.0).len(), 1);
        assert_eq!(
            outbox.due(0.0)[0].body,
            "{}",
            "a retry sends what was first saved"
        );
        outbox.failed("key-1", 0.0, 0.5, 0.0);
        assert!(outbox.due(999.0).is_empty());
        assert_eq!(outbox.next_due(), Some(1_000.0));
        assert_eq!(outbox.due(1_000.0).len(), 1);
        outbox.hurry(10.0);
        assert_eq!(outbox.due(10.0).len(), 1);
        outbox.remove("key-1");
        assert_eq!(outbox.next_due(), None);
        assert!(!outbox.contains("key-1"));
        assert!(outbox.is_empty());
    }

    #[test]
    fn a_write_the_worker_asked_to_hold_waits_as_long_as_it_asked() {
        let mut outbox = Outbox::default();
        outbox.add("key-1", "u", "{}", 0.0);
        outbox.failed("key-1", 0.0, 0.5, 60_000.0);
        assert!(
            outbox.due(59_999.0).is_empty(),
            "not sent again within its minute"
        );
        assert_eq!(outbox.next_due(), Some(60_000.0));
        outbox.failed("key-1", 60_000.0, 0.5, 500.0);
        assert_eq!(
            outbox.next_due(),
            Some(62_000.0),
            "a shorter wait than the backoff keeps the backoff"
        );
    }

    #[test]
    fn reads_are_asked_again_three_times_unless_the_worker_asks_for_more_than_a_minute() {
        assert_eq!(read_retry_ms(0, 0), Some(1_000));
        assert_eq!(read_retry_ms(1, 0), Some(2_000));
        assert_eq!(read_retry_ms(2, 0), Some(4_000));
        assert_eq!(read_retry_ms(3, 0), None);
        assert_eq!(read_retry_ms(0, 60_000), Some(60_000));
        assert_eq!(read_retry_ms(2, 3_000), Some(4_000));
        assert_eq!(
            read_retry_ms(0, 60_001),
            None,
            "a daily cap is said at once"
        );
    }

    #[test]
    fn the_outbox_survives_a_reload_and_ignores_corrupt_storage() {
        let mut outbox = Outbox::default();
        outbox.add("key-1", "u", "{\"score\":9}", 1.0);
        outbox.add("key-2", "u", "{\"score\":3}", 2.0);
        let saved = serde_json::to_string(&outbox).expect("an outbox is JSON");
        let reloaded: Outbox = serde_json::from_str(&saved).expect("saved JSON reads back");
        assert_eq!(reloaded, outbox);
    }

    #[test]
    fn writes_are_sent_oldest_first_and_abandoned_after_thirty_days() {
        let mut outbox = Outbox::default();
        outbox.add("new", "u", "{}", 2.0);
        outbox.add("old", "u", "{}", 1.0);
        let keys: Vec<String> = outbox.due(3.0).into_iter().map(|entry| entry.key).collect();
        assert_eq!(keys, ["old", "new"]);
        assert!(outbox.due(GIVE_UP_AFTER_MS + 5.0).is_empty());
        assert_eq!(outbox.next_due(), None);
    }
}
