//! Referral (parrainage): an advocate's personal code and link, the friends they invite,
//! and the orders the brand's server reports, signed, as conversions. Both sides are
//! rewarded once per order; the fraud rules (self-referral, the same order twice, a code
//! used up or expired, too many invitations) live in [`store`]'s single conversion insert
//! and here.

pub mod form;
pub mod store;

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::error::{Error, Result};
use crate::site::hex_sha256;

/// How far a conversion's timestamp may be from the worker's clock, in seconds: a captured
/// request cannot be replayed later than this.
pub const SIGNATURE_WINDOW_SECONDS: i64 = 300;
/// Friends invited in one request at most.
pub const MAX_INVITES_PER_REQUEST: usize = 5;
/// Longest order id.
pub const MAX_ORDER_ID_CHARS: usize = 128;
/// Largest order amount, in cents: ten million of the currency.
pub const MAX_AMOUNT_CENTS: u64 = 1_000_000_000;
/// Longest personal message in an invitation.
pub const MAX_MESSAGE_CHARS: usize = 500;

/// How a site runs its referral programme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReferralSettings {
    /// Points to the advocate for each referred friend's first order.
    pub advocate_points: u32,
    /// Points to the friend for that order.
    pub friend_points: u32,
    /// What the friend is offered, read by the advocate ("Your friends get …") and by the
    /// friend on landing ("…, thanks to Camille"): written for either, "€10 off the first
    /// order".
    pub friend_offer: Option<String>,
    /// Where referral links land; the site's first allowed origin when absent.
    pub landing_url: Option<String>,
    /// Days a landing friend's code is remembered for.
    pub attribution_days: u32,
    /// Days a code can be used for after it is made.
    pub code_valid_days: u32,
    /// Credited conversions per code at most.
    pub max_conversions_per_code: u32,
    /// Invitations an advocate may send per day.
    pub invitations_per_day: u32,
}

impl Default for ReferralSettings {
    fn default() -> Self {
        ReferralSettings {
            advocate_points: 0,
            friend_points: 0,
            friend_offer: None,
            landing_url: None,
            attribution_days: 30,
            code_valid_days: 365,
            max_conversions_per_code: 20,
            invitations_per_day: 20,
        }
    }
}

/// The hash emails are compared and looked up by: SHA-256 of the trimmed, lowercased
/// address, as the brand's server computes it for a conversion.
pub fn email_sha256(email: &str) -> String {
    hex_sha256(email.trim().to_lowercase().as_bytes())
}

/// A SHA-256 as sent by a brand's server: 64 lowercase hex characters.
pub fn sha256_hex(field: &str, value: &str) -> Result<()> {
    let valid = value.len() == 64
        && value
            .bytes()
            .all(|byte| matches!(byte, b'0'..=b'9' | b'a'..=b'f'));
    if valid {
        Ok(())
    } else {
        Err(Error::field(
            field,
            format!(
                "{field} must be the SHA-256 of the trimmed, lowercased email, in lowercase hex"
            ),
        ))
    }
}

/// The name shown to friends: the first word of the advocate's name ("Camille").
pub fn first_name(name: &str) -> String {
    name.split_whitespace()
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// A referral code as typed by a person: 10 hex characters, case ignored.
pub fn code(value: &str) -> Result<String> {
    let code = value.trim().to_ascii_uppercase();
    if code.len() == 10 && code.bytes().all(|byte| byte.is_ascii_hexdigit()) {
        Ok(code)
    } else {
        Err(Error::UnknownReferral)
    }
}

type HmacSha256 = Hmac<Sha256>;

fn mac(secret: &[u8], timestamp: i64, body: &[u8]) -> HmacSha256 {
    let mut mac = <HmacSha256 as Mac>::new_from_slice(secret)
        .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// The `Portevoix-Signature` header a brand's server sends: `t=<unix seconds>,v1=<hex
/// HMAC-SHA256 of "<t>.<body>" keyed with the site's secret>`.
pub fn sign(secret: &[u8], timestamp: i64, body: &[u8]) -> String {
    let digest = mac(secret, timestamp, body).finalize().into_bytes();
    let hex: String = digest.iter().map(|byte| format!("{byte:02x}")).collect();
    format!("t={timestamp},v1={hex}")
}

/// Checks a `Portevoix-Signature` header against the body, in constant time, and that its
/// timestamp is within [`SIGNATURE_WINDOW_SECONDS`] of `now_seconds`.
pub fn verify(secret: &[u8], header: Option<&str>, body: &[u8], now_seconds: i64) -> Result<()> {
    let header = header.ok_or(Error::InvalidSignature)?;
    let mut timestamp = None;
    let mut signature = None;
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", value)) => timestamp = value.parse::<i64>().ok(),
            Some(("v1", value)) => signature = Some(value),
            _ => {}
        }
    }
    let (Some(timestamp), Some(signature)) = (timestamp, signature) else {
        return Err(Error::InvalidSignature);
    };
    let expected = sign(secret, timestamp, body);
    let expected = expected
        .rsplit_once("v1=")
        .map(|(_, hex)| hex)
        .unwrap_or_default();
    if !bool::from(expected.as_bytes().ct_eq(signature.as_bytes())) {
        return Err(Error::InvalidSignature);
    }
    if (now_seconds - timestamp).abs() > SIGNATURE_WINDOW_SECONDS {
        return Err(Error::StaleSignature);
    }
    Ok(())
}

/// What became of a reported order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConversionOutcome {
    /// Both sides were rewarded.
    Credited,
    /// The buyer is the advocate: nothing credited.
    SelfReferral,
    /// The code has had its maximum of credited conversions.
    CodeExhausted,
    /// The code is past its validity.
    CodeExpired,
    /// No such code on this site.
    UnknownCode,
}

impl ConversionOutcome {
    /// The value stored in the `outcome` column.
    pub fn as_str(self) -> &'static str {
        match self {
            ConversionOutcome::Credited => "credited",
            ConversionOutcome::SelfReferral => "self_referral",
            ConversionOutcome::CodeExhausted => "code_exhausted",
            ConversionOutcome::CodeExpired => "code_expired",
            ConversionOutcome::UnknownCode => "unknown_code",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"site-secret";
    const BODY: &[u8] = br#"{"order_id":"A-1"}"#;

    #[test]
    fn a_signed_conversion_verifies_within_the_window() {
        let header = sign(SECRET, 1_000, BODY);
        assert_eq!(verify(SECRET, Some(&header), BODY, 1_000), Ok(()));
        assert_eq!(verify(SECRET, Some(&header), BODY, 1_300), Ok(()));
        assert_eq!(
            verify(SECRET, Some(&header), BODY, 700),
            Ok(()),
            "a little clock skew"
        );
    }

    #[test]
    fn a_tampered_body_or_another_secret_is_refused() {
        let header = sign(SECRET, 1_000, BODY);
        let tampered = br#"{"order_id":"A-2"}"#;
        assert_eq!(
            verify(SECRET, Some(&header), tampered, 1_000),
            Err(Error::InvalidSignature)
        );
        assert_eq!(
            verify(b"other", Some(&header), BODY, 1_000),
            Err(Error::InvalidSignature)
        );
        let shifted = header.replace("t=1000", "t=1001");
        assert_eq!(
            verify(SECRET, Some(&shifted), BODY, 1_000),
            Err(Error::InvalidSignature)
        );
    }

    #[test]
    fn a_stale_or_replayed_later_signature_is_refused() {
        let header = sign(SECRET, 1_000, BODY);
        assert_eq!(
            verify(SECRET, Some(&header), BODY, 1_301),
            Err(Error::StaleSignature)
        );
        assert_eq!(
            verify(SECRET, Some(&header), BODY, 10_000),
            Err(Error::StaleSignature)
        );
    }

    #[test]
    fn malformed_headers_are_refused() {
        for header in [
            None,
            Some(""),
            Some("t=1000"),
            Some("v1=abc"),
            Some("t=x,v1=abc"),
            Some("garbage"),
        ] {
            assert_eq!(
                verify(SECRET, header, BODY, 1_000),
                Err(Error::InvalidSignature),
                "{header:?}"
            );
        }
    }

    #[test]
    fn emails_hash_the_way_brand_servers_hash_them() {
        assert_eq!(
            email_sha256("  Camille@Cairn.example "),
            email_sha256("camille@cairn.example")
        );
        assert!(sha256_hex("buyer_email_sha256", &email_sha256("a@b.example")).is_ok());
        assert!(sha256_hex("buyer_email_sha256", "camille@cairn.example").is_err());
        assert!(sha256_hex("buyer_email_sha256", &"A".repeat(64)).is_err());
    }

    #[test]
    fn codes_and_first_names() {
        assert_eq!(code(" 3f9a0c21b7 "), Ok("3F9A0C21B7".into()));
        assert_eq!(code("3F9A0C21B"), Err(Error::UnknownReferral));
        assert_eq!(code("'; DROP --"), Err(Error::UnknownReferral));
        assert_eq!(first_name("Camille Martin"), "Camille");
        assert_eq!(first_name("  "), "");
    }
}
