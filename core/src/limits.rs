//! Rate limits: how many requests one visitor, one client address and one site may make.
//! Counting is the platform's job (the Workers rate-limiting bindings declared in
//! `worker/wrangler.toml`, counters kept in memory at Cloudflare's edge: no D1 write per
//! request); which counter a request falls under is decided here.

use crate::site::hex_sha256;

/// The counters, one Workers rate-limiting binding each. Their limits live in
/// `worker/wrangler.toml`; the period is a minute for all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Limit {
    /// Writes by one visitor id on one site.
    VisitorWrites,
    /// Writes from one client address on one site (generous: offices share addresses).
    ClientWrites,
    /// Writes to one site from everywhere: a flood against one brand stops there.
    SiteWrites,
    /// Reads from one client address on one site.
    ClientReads,
}

impl Limit {
    /// The binding's name in `wrangler.toml`.
    pub fn binding(self) -> &'static str {
        match self {
            Limit::VisitorWrites => "LIMIT_VISITOR_WRITES",
            Limit::ClientWrites => "LIMIT_CLIENT_WRITES",
            Limit::SiteWrites => "LIMIT_SITE_WRITES",
            Limit::ClientReads => "LIMIT_CLIENT_READS",
        }
    }
}

/// Seconds a refused client should wait: the bindings count per minute.
pub const RETRY_AFTER_SECONDS: u32 = 60;

/// Counts requests against limits.
#[allow(async_fn_in_trait)]
pub trait RateLimiter {
    /// Whether one more request under `key` still fits `limit`. A limiter that cannot
    /// tell (its backend failed) lets the request through rather than refuse a visitor.
    async fn allow(&self, limit: Limit, key: &str) -> bool;
}

/// The key a client address is counted under: never the address itself.
pub fn client_key(site: &str, client_address: Option<&str>) -> String {
    let address = client_address.unwrap_or("unknown");
    let digest = hex_sha256(format!("portevoix-client:{address}").as_bytes());
    format!("{site}:{}", &digest[..32])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_keys_never_hold_the_address() {
        let key = client_key("cairn", Some("203.0.113.7"));
        assert!(key.starts_with("cairn:"));
        assert!(!key.contains("203.0.113.7"));
        assert_eq!(key, client_key("cairn", Some("203.0.113.7")));
        assert_ne!(key, client_key("cairn", Some("203.0.113.8")));
        assert_ne!(key, client_key("other", Some("203.0.113.7")));
    }
}
