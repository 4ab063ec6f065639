//! The [`RateLimiter`] over the Workers rate-limiting bindings declared in wrangler.toml.

use portevoix_core::limits::{Limit, RateLimiter};
use worker::{Env, console_error};

/// Counts requests with the bindings of `env`.
pub struct WorkersLimiter<'a> {
    env: &'a Env,
}

impl<'a> WorkersLimiter<'a> {
    pub fn new(env: &'a Env) -> WorkersLimiter<'a> {
        WorkersLimiter { env }
    }
}

impl RateLimiter for WorkersLimiter<'_> {
    async fn allow(&self, limit: Limit, key: &str) -> bool {
        let outcome = match self.env.rate_limiter(limit.binding()) {
            Ok(binding) => binding.limit(key.to_owned()).await,
            Err(error) => Err(error),
        };
        outcome
            .map(|outcome| outcome.success)
            .unwrap_or_else(|error| {
                console_error!(
                    "portevoix: rate limiter {} failed: {error}",
                    limit.binding()
                );
                true
            })
    }
}
