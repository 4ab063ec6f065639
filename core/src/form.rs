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
    /// The network failed; it is saved and resent with the same idempotency key.
    WaitingToRetry,
    /// Stored, with the status the worker gave it.
    Sent(Status),
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
