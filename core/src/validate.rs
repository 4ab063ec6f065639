//! Field rules shared by the widgets (to warn before sending) and the worker (to refuse).
//! Each returns the cleaned value or an [`Error::InvalidField`] naming the field.

use std::fmt::Display;
use std::ops::RangeInclusive;
use std::str::FromStr;

use crate::error::{Error, Result};

/// Longest accepted request body: an answer is a few hundred bytes, so 16 KB is generous.
pub const MAX_BODY_BYTES: usize = 16 * 1024;
/// Longest site settings body: they carry the brand's copy in every language it writes.
pub const MAX_SETTINGS_BODY_BYTES: usize = 64 * 1024;
/// Longest NPS comment, counted in characters, not bytes, so French text is not penalised.
pub const MAX_COMMENT_CHARS: usize = 2_000;
/// Longest page URL kept with an answer.
pub const MAX_PAGE_URL_CHARS: usize = 2_048;
/// Longest email address (RFC 5321's path limit).
pub const MAX_EMAIL_CHARS: usize = 254;
/// Longest product id: SKUs and slugs are far shorter.
pub const MAX_PRODUCT_ID_CHARS: usize = 64;

/// A trimmed comment, `None` when blank. Like every other text it may hold line breaks and
/// tabs but no other control character (a NUL or an escape would follow it into exports
/// and webhooks).
pub fn comment(raw: &str) -> Result<Option<String>> {
    if comment_too_long(raw) {
        return Err(Error::field(
            "comment",
            format!("comment must be at most {MAX_COMMENT_CHARS} characters"),
        ));
    }
    let trimmed = raw.trim();
    no_control_characters("comment", trimmed)?;
    Ok((!trimmed.is_empty()).then(|| trimmed.to_owned()))
}

/// True when a comment is over [`MAX_COMMENT_CHARS`] once trimmed: the survey form says so
/// as the visitor types.
pub fn comment_too_long(raw: &str) -> bool {
    raw.trim().chars().count() > MAX_COMMENT_CHARS
}

/// Refuses control characters other than line breaks and tabs: text a person typed has
/// none, and they would reach the brand's exports, webhooks and screens.
fn no_control_characters(field: &str, value: &str) -> Result<()> {
    if value.chars().any(is_unseen_control) {
        return Err(Error::field(
            field,
            format!("{field} must not contain control characters"),
        ));
    }
    Ok(())
}

/// An NPS score on the 0–10 scale.
pub fn score(score: u8) -> Result<u8> {
    if crate::nps::SCORES.contains(&score) {
        Ok(score)
    } else {
        Err(score_error())
    }
}

/// The one message for any score that is not an integer from 0 to 10.
pub fn score_error() -> Error {
    Error::field("score", "score must be an integer from 0 to 10")
}

/// An opaque client-made id (visitor id, idempotency key): 8–128 characters of
/// `A–Z a–z 0–9 - _`, so it is safe in logs, URLs and SQL without further thought.
pub fn opaque_id(field: &str, value: &str) -> Result<()> {
    let length_ok = (8..=128).contains(&value.len());
    let charset_ok = value
        .bytes()
        .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_');
    if length_ok && charset_ok {
        Ok(())
    } else {
        Err(Error::field(
            field,
            format!("{field} must be 8 to 128 characters of A-Z, a-z, 0-9, '-' and '_'"),
        ))
    }
}

/// An optional `http(s)` URL of bounded length, as given.
pub fn page_url(value: Option<&str>) -> Result<Option<String>> {
    let Some(value) = value.map(str::trim).filter(|value| !value.is_empty()) else {
        return Ok(None);
    };
    let is_web_url = value.starts_with("https://") || value.starts_with("http://");
    if !is_web_url
        || value.chars().count() > MAX_PAGE_URL_CHARS
        || value.contains(char::is_whitespace)
    {
        return Err(Error::field(
            "page_url",
            format!("page_url must be an http(s) URL of at most {MAX_PAGE_URL_CHARS} characters"),
        ));
    }
    Ok(Some(value.to_owned()))
}

/// The page URL a widget sends with an answer: without its fragment, without its query if
/// that is what makes it too long, and left out rather than refused when still too long,
/// so an unusual URL never costs the visitor their answer.
pub fn clip_page_url(href: &str) -> Option<String> {
    let without_fragment = href.split('#').next().unwrap_or_default();
    [
        without_fragment,
        without_fragment.split('?').next().unwrap_or_default(),
    ]
    .into_iter()
    .find_map(|candidate| page_url(Some(candidate)).ok().flatten())
}

/// A `data-site` key: 1–64 characters of `a–z 0–9 -`. Anything else cannot name a site.
pub fn site_key(value: &str) -> Result<()> {
    let valid = (1..=64).contains(&value.len())
        && value
            .bytes()
            .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-');
    if valid {
        Ok(())
    } else {
        Err(Error::UnknownSite)
    }
}

/// A query parameter that must be a whole number within `range`: a page size, an advocate
/// level, a rating.
pub fn number_param<N>(param: &str, value: &str, range: RangeInclusive<N>) -> Result<N>
where
    N: FromStr + PartialOrd + Display,
{
    value
        .parse::<N>()
        .ok()
        .filter(|number| range.contains(number))
        .ok_or_else(|| Error::InvalidQuery {
            param: param.to_owned(),
            message: format!(
                "{param} must be an integer from {} to {}",
                range.start(),
                range.end()
            ),
        })
}

/// A `YYYY-MM-DD` day as Unix milliseconds at its UTC midnight.
pub fn day_start_ms(param: &str, value: &str) -> Result<i64> {
    let invalid = || Error::InvalidQuery {
        param: param.to_owned(),
        message: format!("{param} must be a date written YYYY-MM-DD"),
    };
    // Exactly ten characters starting with a digit: no signed or five-digit years.
    if value.len() != 10 || !value.starts_with(|character: char| character.is_ascii_digit()) {
        return Err(invalid());
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = time::Date::parse(value, &format).map_err(|_| invalid())?;
    Ok(date.midnight().assume_utc().unix_timestamp() * 1000)
}

/// A product id, as used in `product="…"`: 1–64 characters of `A–Z a–z 0–9 - _ .`, the
/// shape of SKUs and slugs, safe in URLs and cache keys.
pub fn product_id(value: &str) -> Result<()> {
    let valid = (1..=MAX_PRODUCT_ID_CHARS).contains(&value.len())
        && value
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.'))
        && value != "."
        && value != "..";
    if valid {
        Ok(())
    } else {
        Err(Error::field(
            "product",
            format!(
                "product must be 1 to {MAX_PRODUCT_ID_CHARS} characters of A-Z, a-z, 0-9, '-', '_' and '.'"
            ),
        ))
    }
}

/// An id from a URL, as the store makes them (32 lowercase hex characters); anything else
/// names nothing, so it is answered with `unknown`.
pub fn stored_id(value: &str, unknown: Error) -> Result<()> {
    let valid = value.len() == 32
        && value
            .bytes()
            .all(|byte| matches!(byte, b'0'..=b'9' | b'a'..=b'f'));
    if valid { Ok(()) } else { Err(unknown) }
}

/// Trimmed text of `min..=max` characters (counted as characters, not bytes), kept as given
/// otherwise: it is rendered as text, never as HTML.
pub fn text(field: &str, value: &str, min: usize, max: usize) -> Result<String> {
    let trimmed = value.trim();
    let length = trimmed.chars().count();
    if length < min.max(1) {
        return Err(Error::field(
            field,
            if min <= 1 {
                format!("{field} is required")
            } else {
                format!("{field} must be at least {min} characters")
            },
        ));
    }
    if length > max {
        return Err(Error::field(
            field,
            format!("{field} must be at most {max} characters"),
        ));
    }
    no_control_characters(field, trimmed)?;
    Ok(trimmed.to_owned())
}

/// Text as a visitor typed or pasted it, less the control characters (other than line
/// breaks and tabs) a paste can carry unseen: the forms keep this, so that the worker,
/// which refuses them, never refuses a visitor for what they cannot see.
pub fn without_unseen_controls(typed: &str) -> String {
    typed.chars().filter(|&c| !is_unseen_control(c)).collect()
}

fn is_unseen_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\n' | '\t' | '\r')
}

/// An email address as HTML's `type=email` accepts it (WHATWG's "valid email address"),
/// so the widget and the worker agree with the browser.
pub fn email(value: &str) -> Result<String> {
    let invalid = || Error::field("email", "email must be a valid email address");
    let value = value.trim();
    if value.chars().count() > MAX_EMAIL_CHARS {
        return Err(invalid());
    }
    let (local, domain) = value.rsplit_once('@').ok_or_else(invalid)?;
    let local_ok = !local.is_empty()
        && local
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || b".!#$%&'*+/=?^_`{|}~-".contains(&byte));
    let labels_ok = domain.split('.').all(|label| {
        (1..=63).contains(&label.len())
            && label
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    });
    if local_ok && labels_ok && domain.contains('.') {
        Ok(value.to_owned())
    } else {
        Err(invalid())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_params_are_whole_numbers_in_their_range_named_when_not() {
        assert_eq!(number_param("rating", "5", 1..=5_u8), Ok(5));
        for value in ["0", "6", "4.5", "-1", "", " 3", "trois", "300"] {
            assert_eq!(
                number_param("rating", value, 1..=5_u8),
                Err(Error::InvalidQuery {
                    param: "rating".into(),
                    message: "rating must be an integer from 1 to 5".into(),
                }),
                "{value:?}"
            );
        }
    }

    #[test]
    fn comment_is_trimmed_and_blank_means_none() {
        assert_eq!(
            comment("  great tent  ").ok(),
            Some(Some("great tent".into()))
        );
        assert_eq!(comment(" \n\t ").ok(), Some(None));
    }

    #[test]
    fn comment_limit_counts_characters_not_bytes() {
        assert!(comment(&"é".repeat(MAX_COMMENT_CHARS)).is_ok());
        let error = comment(&"a".repeat(MAX_COMMENT_CHARS + 1)).err();
        assert!(matches!(error, Some(Error::InvalidField { field, .. }) if field == "comment"));
    }

    #[test]
    fn comment_may_break_lines_but_holds_no_other_control_character() {
        assert_eq!(
            comment("Bien.\r\n\tVraiment.").ok(),
            Some(Some("Bien.\r\n\tVraiment.".into()))
        );
        for hostile in [
            "a\u{0}b",
            "bell\u{7}",
            "esc\u{1b}[31m",
            "del\u{7f}",
            "c1\u{85}x",
        ] {
            let error = comment(hostile).err();
            assert!(
                matches!(&error, Some(Error::InvalidField { field, .. }) if field == "comment"),
                "{hostile:?}: {error:?}"
            );
        }
    }

    #[test]
    fn hostile_comments_are_kept_as_given() {
        let hostile = "<script>alert(1)</script>'; DROP TABLE nps_answers; --";
        assert_eq!(comment(hostile).ok(), Some(Some(hostile.to_owned())));
    }

    #[test]
    fn score_must_be_on_the_scale() {
        assert!(score(0).is_ok());
        assert!(score(10).is_ok());
        assert!(score(11).is_err());
    }

    #[test]
    fn opaque_ids_have_a_safe_charset_and_length() {
        assert!(opaque_id("visitor_id", "3f2a9c1e-7b4d-4e0a-9d1f-5c6b7a8e9f00").is_ok());
        assert!(opaque_id("visitor_id", "short").is_err());
        assert!(opaque_id("visitor_id", &"a".repeat(129)).is_err());
        assert!(opaque_id("visitor_id", "abc def ghi").is_err());
        assert!(opaque_id("visitor_id", "abcdefgh'--").is_err());
    }

    #[test]
    fn page_url_must_be_a_bounded_web_url() {
        assert_eq!(page_url(None).ok(), Some(None));
        assert_eq!(page_url(Some("")).ok(), Some(None));
        assert!(page_url(Some("https://cairn.example/tentes?x=1")).is_ok());
        assert!(page_url(Some("javascript:alert(1)")).is_err());
        let long = format!("https://cairn.example/{}", "a".repeat(MAX_PAGE_URL_CHARS));
        assert!(page_url(Some(&long)).is_err());
    }

    #[test]
    fn page_urls_are_clipped_rather_than_refused() {
        assert_eq!(
            clip_page_url("https://cairn.example/a?b=1#top").as_deref(),
            Some("https://cairn.example/a?b=1")
        );
        let long_query = format!("https://cairn.example/a?{}", "q".repeat(MAX_PAGE_URL_CHARS));
        assert_eq!(
            clip_page_url(&long_query).as_deref(),
            Some("https://cairn.example/a")
        );
        let long_path = format!("https://cairn.example/{}", "p".repeat(MAX_PAGE_URL_CHARS));
        assert_eq!(clip_page_url(&long_path), None);
        assert_eq!(clip_page_url("file:///etc/passwd"), None);
    }

    #[test]
    fn site_keys_are_lowercase_slugs() {
        assert!(site_key("cairn").is_ok());
        assert!(site_key("cairn-fr-2").is_ok());
        assert_eq!(site_key("Cairn"), Err(Error::UnknownSite));
        assert_eq!(site_key(""), Err(Error::UnknownSite));
        assert_eq!(site_key("../etc"), Err(Error::UnknownSite));
    }

    #[test]
    fn days_parse_to_utc_midnight() {
        assert_eq!(day_start_ms("from", "1970-01-02").ok(), Some(86_400_000));
        assert!(day_start_ms("from", "2026-02-30").is_err());
        assert!(day_start_ms("from", "yesterday").is_err());
        assert!(day_start_ms("from", "-2026-01-01").is_err());
        assert!(day_start_ms("from", "+2026-01-01").is_err());
        assert!(day_start_ms("from", "12026-01-01").is_err());
    }

    #[test]
    fn product_ids_look_like_skus() {
        for good in ["tent-2p", "SKU_001.blue", "a"] {
            assert!(product_id(good).is_ok(), "{good}");
        }
        for bad in ["", "..", "a/b", "tente légère", "<script>", &"a".repeat(65)] {
            assert!(product_id(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn stored_ids_are_lowercase_hex() {
        assert!(stored_id("0123456789abcdef0123456789abcdef", Error::NotFound).is_ok());
        assert_eq!(stored_id("x' OR 1", Error::NotFound), Err(Error::NotFound));
        assert!(stored_id("0123456789ABCDEF0123456789ABCDEF", Error::NotFound).is_err());
    }

    #[test]
    fn text_counts_characters_and_keeps_hostile_text() {
        assert_eq!(
            text("text", "  <img src=x onerror=alert(1)>  ", 10, 5_000).ok(),
            Some("<img src=x onerror=alert(1)>".into())
        );
        assert!(text("text", "too short", 10, 5_000).is_err());
        assert!(text("title", &"é".repeat(120), 1, 120).is_ok());
        assert!(text("title", &"é".repeat(121), 1, 120).is_err());
        assert!(text("title", "   ", 1, 120).is_err());
        assert!(text("title", "bell\u{7}", 1, 120).is_err());
        assert!(text("text", "line one\nline two", 10, 5_000).is_ok());
    }

    #[test]
    fn emails_follow_the_html_rule() {
        for good in [
            "camille@cairn.example",
            "a.b+c@x.co",
            "  o'neil@mail.example  ",
        ] {
            assert!(email(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "camille",
            "camille@",
            "@cairn.example",
            "camille@cairn",
            "camille@-cairn.example",
            "cam ille@cairn.example",
            "camille@cairn..example",
            "<script>@x.example",
        ] {
            assert!(email(bad).is_err(), "{bad}");
        }
    }
}
