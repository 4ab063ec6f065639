//! What every widget form shares: where it is in its life, and why the worker refused it,
//! in terms the visitor can act on.

use crate::copy::Text;
use crate::moderation::Status;

/// Where a form is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    /// The visitor is writing.
    Editing,
    /// On its way.
    Sending,
    /// It has not reached the worker yet; it is saved and resent with the same
    /// idempotency key.
    WaitingToRetry(Hold),
    /// Stored, with the status the worker gave it.
    Sent(Status),
}

/// Why a saved answer waits: the visitor is told when to expect it to go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hold {
    /// No answer, or the server failed: it goes once the connection is back.
    Unreachable,
    /// The worker asked to slow down (over a rate limit): it goes once the wait is over.
    Busy,
}

impl Hold {
    /// What the visitor reads while their answer waits.
    pub fn text(self) -> Text {
        match self {
            Hold::Unreachable => Text::NetworkError,
            Hold::Busy => Text::HeldError,
        }
    }
}

/// Why the worker refused the last attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// A field broke a rule; the wire name of the field.
    Field(String),
    /// This customer already reviewed this product.
    AlreadyReviewed,
    /// The customer token is forged or expired: the page must sign in again.
    Token,
    /// The site takes this only from known customers.
    TokenRequired,
    /// What the form writes to is gone (a question no longer published).
    Gone,
    /// Anything else; the details went to the page's developer.
    Other,
}

impl Refusal {
    /// Reads a worker error's code and field.
    pub fn from_error(code: &str, field: Option<&str>) -> Refusal {
        match (code, field) {
            ("already_reviewed", _) => Refusal::AlreadyReviewed,
            ("invalid_customer_token" | "customer_token_expired", _) => Refusal::Token,
            ("customer_token_required", _) => Refusal::TokenRequired,
            ("unknown_question" | "unknown_review" | "unknown_answer", _) => Refusal::Gone,
            ("invalid_field", Some(field)) => Refusal::Field(field.to_owned()),
            _ => Refusal::Other,
        }
    }

    /// Whether the refusal names this wire field.
    pub fn names(&self, field: &str) -> bool {
        matches!(self, Refusal::Field(named) if named == field)
    }
}

/// Where a form's sending stands, the same in every widget form that posts text: one
/// attempt at a time, its idempotency key kept across retries so that a retry never
/// stores twice, and the worker's refusal kept to show on the field it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    /// Where the form is.
    pub phase: Phase,
    /// The key of the post in flight, kept across retries.
    pub idempotency_key: Option<String>,
    /// True once the visitor tried to send: problems show from then on, not while they
    /// type their first word.
    pub tried: bool,
    /// The worker's last refusal.
    pub refusal: Option<Refusal>,
}

impl Default for Attempt {
    fn default() -> Self {
        Attempt {
            phase: Phase::Editing,
            idempotency_key: None,
            tried: false,
            refusal: None,
        }
    }
}

impl Attempt {
    /// True while sending or waiting to retry: inputs stay as sent.
    pub fn locked(&self) -> bool {
        matches!(self.phase, Phase::Sending | Phase::WaitingToRetry(_))
    }

    /// Send pressed. A retry sends again what was sent, under its key; a first attempt
    /// goes, under `fresh_key`, only when the form has no problem (`valid`).
    pub fn submit(&mut self, fresh_key: String, valid: bool) {
        if !matches!(self.phase, Phase::Editing | Phase::WaitingToRetry(_)) {
            return;
        }
        self.tried = true;
        if matches!(self.phase, Phase::WaitingToRetry(_)) || valid {
            self.idempotency_key = Some(self.idempotency_key.take().unwrap_or(fresh_key));
            self.phase = Phase::Sending;
            self.refusal = None;
        }
    }

    /// Stored (or already stored), with this status.
    pub fn stored(&mut self, status: Status) {
        if self.locked() {
            self.phase = Phase::Sent(status);
            self.idempotency_key = None;
        }
    }

    /// Refused, nothing stored: the visitor may change it and send it as a new post.
    pub fn refused(&mut self, refusal: Refusal) {
        if self.locked() {
            self.phase = Phase::Editing;
            self.idempotency_key = None;
            self.refusal = Some(refusal);
        }
    }

    /// It may not have arrived, or the worker asked to wait (`hold` says which, the
    /// latest failure of a background retry included): the key is kept for the retry.
    pub fn held(&mut self, hold: Hold) {
        if self.locked() {
            self.phase = Phase::WaitingToRetry(hold);
        }
    }

    /// Whether the worker's last refusal names this wire field.
    pub fn refused_field(&self, field: &str) -> bool {
        self.refusal
            .as_ref()
            .is_some_and(|refusal| refusal.names(field))
    }

    /// Forgets a refusal of this wire field once the visitor changes the field.
    pub fn clear_refusal_of(&mut self, field: &str) {
        if self.refused_field(field) {
            self.refusal = None;
        }
    }
}

/// What to tell a visitor about a required text field of at most `max` characters: to
/// shorten it when it is too long, else `missing` (it is empty, or the worker refused it),
/// so that an empty field is never met with a length rule.
pub fn text_problem(value: &str, max: usize, missing: Text) -> Text {
    if value.trim().chars().count() > max {
        Text::TooLong
    } else {
        missing
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_overlong_value_is_asked_to_be_shortened() {
        let missing = Text::ReviewErrorTitle;
        assert_eq!(text_problem("", 5, missing), missing);
        assert_eq!(text_problem("  \n ", 5, missing), missing);
        assert_eq!(text_problem(" abcde ", 5, missing), missing);
        assert_eq!(text_problem("abcdé!", 5, missing), Text::TooLong);
    }

    #[test]
    fn a_retry_resends_under_its_key_and_a_refusal_frees_it() {
        let mut attempt = Attempt::default();
        attempt.submit("first".into(), false);
        assert_eq!((attempt.tried, &attempt.phase), (true, &Phase::Editing));
        attempt.submit("first".into(), true);
        attempt.held(Hold::Unreachable);
        attempt.submit("second".into(), false);
        assert_eq!(attempt.idempotency_key.as_deref(), Some("first"));
        assert_eq!(attempt.phase, Phase::Sending);
        attempt.refused(Refusal::Field("title".into()));
        assert_eq!(
            (attempt.idempotency_key.clone(), attempt.locked()),
            (None, false)
        );
        assert!(attempt.refused_field("title"));
        attempt.clear_refusal_of("text");
        assert!(attempt.refused_field("title"));
        attempt.clear_refusal_of("title");
        assert_eq!(attempt.refusal, None);
        attempt.submit("third".into(), true);
        attempt.stored(Status::Pending);
        attempt.stored(Status::Published);
        assert_eq!(attempt.phase, Phase::Sent(Status::Pending));
    }

    #[test]
    fn worker_codes_become_visitor_refusals() {
        assert_eq!(
            Refusal::from_error("already_reviewed", None),
            Refusal::AlreadyReviewed
        );
        assert_eq!(
            Refusal::from_error("customer_token_expired", None),
            Refusal::Token
        );
        assert_eq!(
            Refusal::from_error("customer_token_required", None),
            Refusal::TokenRequired
        );
        assert_eq!(Refusal::from_error("unknown_question", None), Refusal::Gone);
        assert!(Refusal::from_error("invalid_field", Some("email_consent")).names("email_consent"));
        assert_eq!(Refusal::from_error("invalid_field", None), Refusal::Other);
        assert_eq!(Refusal::from_error("spam_suspected", None), Refusal::Other);
    }
}
