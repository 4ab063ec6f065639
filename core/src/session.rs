//! Brand console sessions. The console signs in once with the site's admin token and gets
//! a short-lived cookie for it, so the token itself is never kept by the browser. The
//! cookie is HttpOnly (no script reads it), SameSite=Strict and scoped to the site's API
//! path, and its signature covers the admin token's hash: replacing the admin token ends
//! every session.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// How long a console session lasts, in seconds: a working session, not a standing key.
pub const LIFETIME_SECONDS: i64 = 2 * 60 * 60;

const COOKIE_NAME: &str = "pv_console";
const PURPOSE: &str = "portevoix-console-session-v1";
const MAX_VALUE_CHARS: usize = 128;

/// What a session's signature is made from; kept by [`crate::site::Site`], which holds the
/// secrets.
pub struct SessionKey<'a> {
    /// The site's HMAC secret.
    pub secret: &'a [u8],
    /// The site's key, so that a session of one site is worth nothing on another.
    pub site: &'a str,
    /// The stored hash of the admin token the session was opened with.
    pub admin_token_sha256: &'a str,
}

impl SessionKey<'_> {
    fn signature(&self, expires_at: i64) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(self.secret)
            .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
        for part in [
            PURPOSE,
            self.site,
            &expires_at.to_string(),
            self.admin_token_sha256,
        ] {
            mac.update(part.as_bytes());
            mac.update(b"\n");
        }
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    }

    /// A session value, `{expires_at}.{signature}`, valid until `expires_at` (Unix s).
    pub fn issue(&self, expires_at: i64) -> String {
        format!("{expires_at}.{}", self.signature(expires_at))
    }

    /// When `value` expires, if it is a genuine, unexpired session of this site.
    pub fn verify(&self, value: &str, now_seconds: i64) -> Option<i64> {
        if value.len() > MAX_VALUE_CHARS {
            return None;
        }
        let (expires_at, signature) = value.split_once('.')?;
        let expires_at: i64 = expires_at.parse().ok()?;
        let genuine: bool = self
            .signature(expires_at)
            .as_bytes()
            .ct_eq(signature.as_bytes())
            .into();
        (genuine && now_seconds < expires_at).then_some(expires_at)
    }
}

/// The session value in a `Cookie` header, if there is one.
pub fn from_cookie_header(header: Option<&str>) -> Option<&str> {
    header?
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE_NAME)
        .map(|(_, value)| value)
}

/// The `Set-Cookie` header that opens a session on `site`'s API paths.
pub fn set_cookie(site: &str, value: &str) -> String {
    format!(
        "{COOKIE_NAME}={value}; Path=/v1/sites/{site}/; Max-Age={LIFETIME_SECONDS}; HttpOnly; Secure; SameSite=Strict"
    )
}

/// The `Set-Cookie` header that ends a session on `site`.
pub fn clear_cookie(site: &str) -> String {
    format!("{COOKIE_NAME}=; Path=/v1/sites/{site}/; Max-Age=0; HttpOnly; Secure; SameSite=Strict")
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: SessionKey<'static> = SessionKey {
        secret: b"secret",
        site: "cairn",
        admin_token_sha256: "abc",
    };

    #[test]
    fn a_session_is_valid_until_it_expires() {
        let value = KEY.issue(1_000);
        assert_eq!(KEY.verify(&value, 999), Some(1_000));
        assert_eq!(KEY.verify(&value, 1_000), None);
    }

    #[test]
    fn a_session_is_worth_nothing_elsewhere_or_once_tampered_with() {
        let value = KEY.issue(1_000);
        let other_site = SessionKey {
            site: "cairn-nuit",
            ..KEY
        };
        let new_admin_token = SessionKey {
            admin_token_sha256: "def",
            ..KEY
        };
        assert_eq!(other_site.verify(&value, 0), None);
        assert_eq!(new_admin_token.verify(&value, 0), None);
        let later = value.replacen("1000", "9999", 1);
        assert_eq!(KEY.verify(&later, 0), None);
        for garbage in ["", ".", "1000", "1000.", "x.y", &"9".repeat(200)] {
            assert_eq!(KEY.verify(garbage, 0), None, "{garbage:?}");
        }
    }

    #[test]
    fn the_cookie_is_read_among_others_and_set_with_strict_flags() {
        let header = "theme=dark; pv_console=12.abc; other=1";
        assert_eq!(from_cookie_header(Some(header)), Some("12.abc"));
        assert_eq!(from_cookie_header(Some("pv_consolex=1")), None);
        assert_eq!(from_cookie_header(None), None);
        let set = set_cookie("cairn", "12.abc");
        for flag in [
            "HttpOnly",
            "Secure",
            "SameSite=Strict",
            "Path=/v1/sites/cairn/",
            "Max-Age=7200",
        ] {
            assert!(set.contains(flag), "{set} lacks {flag}");
        }
        assert!(clear_cookie("cairn").contains("Max-Age=0"));
    }
}
