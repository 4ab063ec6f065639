//! Spam controls for public text: a honeypot field people never see, a minimum time
//! between seeing a form and sending a comment, and the same comment arriving from
//! different visitors. A suspected answer is refused and stored nowhere.

use crate::error::{Error, Result};

/// Nobody reads a question, picks an answer and writes a comment faster than this.
pub const MIN_COMMENT_MS: u64 = 2_000;
/// Comments shorter than this ("super !", "rien") legitimately repeat.
pub const MIN_DUPLICATE_CHARS: usize = 20;
/// How far back a repeated comment counts as a duplicate.
pub const DUPLICATE_WINDOW_MS: i64 = 24 * 3_600_000;

/// Asks a human-verification service (Cloudflare Turnstile in production) whether a
/// token proves a person; behind a trait so tests run offline.
#[allow(async_fn_in_trait)]
pub trait HumanCheck {
    /// Whether `token` passes, checked with the site's `secret`.
    async fn passes(&self, secret: &str, token: &str, client_address: Option<&str>) -> bool;
}

/// Refuses answers that only a robot sends: a filled honeypot, or a comment sent sooner
/// than a person could have written it. `elapsed_ms` is absent from older clients and
/// from brand servers, who are not held to it.
pub fn check_human(
    honeypot: Option<&str>,
    comment: Option<&str>,
    elapsed_ms: Option<u64>,
) -> Result<()> {
    if honeypot.is_some_and(|value| !value.trim().is_empty()) {
        return Err(Error::SpamSuspected);
    }
    if comment.is_some() && elapsed_ms.is_some_and(|elapsed| elapsed < MIN_COMMENT_MS) {
        return Err(Error::SpamSuspected);
    }
    Ok(())
}

/// The hash duplicate comments are found by: case, spacing and punctuation do not make a
/// copy new. `None` for comments too short to count.
pub fn comment_fingerprint(comment: &str) -> Option<String> {
    let normalized: String = comment
        .split(|character: char| !character.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ");
    (normalized.chars().count() >= MIN_DUPLICATE_CHARS)
        .then(|| crate::site::hex_sha256(normalized.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filled_honeypot_is_spam() {
        assert_eq!(
            check_human(Some("http://spam.example"), None, None),
            Err(Error::SpamSuspected)
        );
        assert_eq!(check_human(Some("  "), None, None), Ok(()));
        assert_eq!(check_human(None, None, None), Ok(()));
    }

    #[test]
    fn a_comment_written_too_fast_is_spam_but_a_quick_score_is_not() {
        assert_eq!(
            check_human(None, Some("great"), Some(300)),
            Err(Error::SpamSuspected)
        );
        assert_eq!(
            check_human(None, Some("great"), Some(MIN_COMMENT_MS)),
            Ok(())
        );
        assert_eq!(
            check_human(None, None, Some(300)),
            Ok(()),
            "two taps on a phone are fine"
        );
        assert_eq!(check_human(None, Some("great"), None), Ok(()));
    }

    #[test]
    fn fingerprints_ignore_case_spacing_and_punctuation() {
        let first = comment_fingerprint("Super tente, montée en 5 minutes !");
        assert!(first.is_some());
        assert_eq!(
            first,
            comment_fingerprint("super   TENTE montée en 5 minutes")
        );
        assert_ne!(
            first,
            comment_fingerprint("Super tente, montée en 6 minutes !")
        );
        assert_eq!(comment_fingerprint("Super !"), None);
    }
}
