//! The `customer-token`: a brand's server vouches that a visitor is one of its customers.
//!
//! Format: `v1.<payload>.<signature>`, both parts base64url without padding. The payload
//! is JSON `{"sub": customer id, "exp": expiry in Unix seconds, "orders": [{"id": order id,
//! "products": [product ids]}]}` (`orders` optional); the signature is HMAC-SHA256 over
//! `v1.<payload>` keyed with the site's customer-token secret.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::error::{Error, Result};

const VERSION: &str = "v1";
/// Longest token accepted; real ones are about 120 characters.
const MAX_TOKEN_CHARS: usize = 2_048;
/// Longest customer id kept.
const MAX_CUSTOMER_ID_CHARS: usize = 128;
/// Longest order id kept with a verified review.
const MAX_ORDER_ID_CHARS: usize = 128;

/// What a valid token says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerClaims {
    /// The brand's own id for the customer.
    pub sub: String,
    /// Expiry, Unix seconds.
    pub exp: i64,
    /// Orders the brand vouches this customer placed: what makes a review a verified purchase.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub orders: Vec<OrderClaim>,
    /// The customer's name, so the referral form need not ask for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The customer's email, so the referral form need not ask for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// One order named in a customer token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderClaim {
    /// The brand's order id.
    pub id: String,
    /// Ids of the products in the order, as used in `product="…"` attributes.
    #[serde(default)]
    pub products: Vec<String>,
}

impl CustomerClaims {
    /// The id of an order of this customer that contains `product`, if any.
    pub fn order_for(&self, product: &str) -> Option<&str> {
        self.orders
            .iter()
            .find(|order| order.products.iter().any(|bought| bought == product))
            .map(|order| order.id.as_str())
    }
}

type HmacSha256 = Hmac<Sha256>;

fn mac(secret: &[u8], signed_part: &str) -> HmacSha256 {
    // HMAC takes keys of any length, so this never fails.
    let mut mac = <HmacSha256 as Mac>::new_from_slice(secret)
        .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
    mac.update(signed_part.as_bytes());
    mac
}

/// Makes a token, as a brand's server would. Used by tests and the demo site.
pub fn sign(claims: &CustomerClaims, secret: &[u8]) -> String {
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).unwrap_or_default());
    let signed_part = format!("{VERSION}.{payload}");
    let signature = URL_SAFE_NO_PAD.encode(mac(secret, &signed_part).finalize().into_bytes());
    format!("{signed_part}.{signature}")
}

/// The JSON of a token's [`CustomerClaims`], without checking it: for widgets to prefill a
/// form (the name and email a brand's server put in it), parsed by the browser's own JSON
/// parser. Never trust it for anything else; the worker verifies every token it is sent.
pub fn unverified_claims_json(token: &str) -> Option<String> {
    let payload = token.split('.').nth(1)?;
    String::from_utf8(URL_SAFE_NO_PAD.decode(payload).ok()?).ok()
}

/// Checks a token's signature (in constant time) and expiry against `now_seconds`.
pub fn verify(token: &str, secret: &[u8], now_seconds: i64) -> Result<CustomerClaims> {
    if token.len() > MAX_TOKEN_CHARS {
        return Err(Error::InvalidCustomerToken);
    }
    let (signed_part, signature) = token.rsplit_once('.').ok_or(Error::InvalidCustomerToken)?;
    let (version, payload) = signed_part
        .split_once('.')
        .ok_or(Error::InvalidCustomerToken)?;
    if version != VERSION {
        return Err(Error::InvalidCustomerToken);
    }
    let signature = URL_SAFE_NO_PAD
        .decode(signature)
        .map_err(|_| Error::InvalidCustomerToken)?;
    mac(secret, signed_part)
        .verify_slice(&signature)
        .map_err(|_| Error::InvalidCustomerToken)?;
    let payload = URL_SAFE_NO_PAD
        .decode(payload)
        .map_err(|_| Error::InvalidCustomerToken)?;
    let claims: CustomerClaims =
        serde_json::from_slice(&payload).map_err(|_| Error::InvalidCustomerToken)?;
    let sub_ok =
        !claims.sub.trim().is_empty() && claims.sub.chars().count() <= MAX_CUSTOMER_ID_CHARS;
    let orders_ok = claims
        .orders
        .iter()
        .all(|order| !order.id.trim().is_empty() && order.id.chars().count() <= MAX_ORDER_ID_CHARS);
    if !sub_ok || !orders_ok {
        return Err(Error::InvalidCustomerToken);
    }
    if claims.exp <= now_seconds {
        return Err(Error::CustomerTokenExpired);
    }
    Ok(claims)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"site-secret";

    fn claims(exp: i64) -> CustomerClaims {
        CustomerClaims {
            sub: "customer-42".into(),
            exp,
            orders: vec![OrderClaim {
                id: "A-1001".into(),
                products: vec!["tent-2p".into(), "stove".into()],
            }],
            name: None,
            email: None,
        }
    }

    #[test]
    fn a_token_names_the_order_that_contains_a_product() {
        let token = sign(&claims(1_000), SECRET);
        let verified = verify(&token, SECRET, 0).expect("valid token");
        assert_eq!(verified.order_for("stove"), Some("A-1001"));
        assert_eq!(verified.order_for("sleeping-bag"), None);
    }

    #[test]
    fn widgets_can_read_what_a_token_says_without_its_secret() {
        let mut named = claims(1_000);
        named.name = Some("Camille".into());
        let token = sign(&named, SECRET);
        let json = unverified_claims_json(&token).expect("a signed token has a payload");
        let said: CustomerClaims = serde_json::from_str(&json).expect("the payload is claims");
        assert_eq!(said, named);
        assert_eq!(unverified_claims_json("garbage"), None);
    }

    #[test]
    fn tokens_without_orders_still_verify() {
        let bare = CustomerClaims {
            sub: "customer-7".into(),
            exp: 1_000,
            orders: Vec::new(),
            name: None,
            email: None,
        };
        let token = sign(&bare, SECRET);
        assert_eq!(verify(&token, SECRET, 0), Ok(bare));
    }

    #[test]
    fn a_signed_token_verifies_until_it_expires() {
        let token = sign(&claims(1_000), SECRET);
        assert_eq!(verify(&token, SECRET, 999), Ok(claims(1_000)));
        assert_eq!(
            verify(&token, SECRET, 1_000),
            Err(Error::CustomerTokenExpired)
        );
    }

    #[test]
    fn a_token_signed_with_another_secret_is_refused() {
        let token = sign(&claims(1_000), b"other-site");
        assert_eq!(verify(&token, SECRET, 0), Err(Error::InvalidCustomerToken));
    }

    #[test]
    fn a_tampered_payload_is_refused() {
        let token = sign(&claims(1_000), SECRET);
        let (_, signature) = token.rsplit_once('.').expect("three parts");
        let forged_payload = URL_SAFE_NO_PAD.encode(br#"{"sub":"customer-1","exp":99999999999}"#);
        let forged = format!("v1.{forged_payload}.{signature}");
        assert_eq!(verify(&forged, SECRET, 0), Err(Error::InvalidCustomerToken));
    }

    #[test]
    fn malformed_tokens_are_refused() {
        for token in [
            "",
            "v1",
            "v1..",
            "v2.e30.AAAA",
            "not a token at all",
            &"a".repeat(5000),
        ] {
            assert_eq!(
                verify(token, SECRET, 0),
                Err(Error::InvalidCustomerToken),
                "{token}"
            );
        }
    }
}
