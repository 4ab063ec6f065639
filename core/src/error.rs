//! The one error type of the core crate, and its mapping to HTTP statuses and to the
//! `{"error":{"code","message"}}` body of PRODUCT.md.

use crate::wire::{ErrorBody, ErrorDetail};

/// Shorthand used across the crate so signatures stay readable.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can make a request fail. Each variant maps to exactly one status and
/// one stable `code` string that clients can switch on.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Error {
    /// No route matches the path.
    #[error("no such route")]
    NotFound,
    /// The route exists but not for this HTTP method.
    #[error("method not allowed on this route")]
    MethodNotAllowed,
    /// The `data-site` key names no site we know.
    #[error("unknown site")]
    UnknownSite,
    /// The request comes from a page whose origin the site has not allowed.
    #[error("origin {0:?} is not allowed for this site")]
    OriginNotAllowed(String),
    /// A browser write without any `Origin` header cannot be attributed to a site page.
    #[error("the Origin header is required")]
    OriginRequired,
    /// Admin routes need `Authorization: Bearer <admin token>`.
    #[error("a valid admin token is required")]
    Unauthorized,
    /// The body is larger than the route accepts.
    #[error("the body is larger than {limit} bytes")]
    PayloadTooLarge {
        /// The limit that was exceeded, in bytes.
        limit: usize,
    },
    /// Writes take `application/json` only.
    #[error("the body must be sent as application/json")]
    UnsupportedMediaType,
    /// The body is not JSON, or not a JSON object of the expected shape.
    #[error("{0}")]
    InvalidJson(String),
    /// A field is present and well-typed but its value breaks a rule.
    #[error("{message}")]
    InvalidField {
        /// JSON path of the field, e.g. `score`.
        field: String,
        /// Human-readable rule that was broken.
        message: String,
    },
    /// A query-string parameter is malformed.
    #[error("{message}")]
    InvalidQuery {
        /// Name of the parameter.
        param: String,
        /// Human-readable rule that was broken.
        message: String,
    },
    /// The `customer-token` is malformed or its signature does not match the site secret.
    #[error("the customer token is not valid for this site")]
    InvalidCustomerToken,
    /// The `customer-token` was valid once but its expiry has passed.
    #[error("the customer token has expired")]
    CustomerTokenExpired,
    /// The answer looks automated (honeypot, inhumanly fast) or copies another visitor's.
    #[error("this answer looks automated or copied, and was not stored")]
    SpamSuspected,
    /// The site requires a Turnstile token and this one is missing or was refused.
    #[error("the human check (Turnstile) is missing or did not pass")]
    HumanCheckFailed,
    /// The review named in the path does not exist on this site (or is not published,
    /// for public routes).
    #[error("no such review")]
    UnknownReview,
    /// The question named in the path does not exist on this site (or is not published,
    /// for public routes).
    #[error("no such question")]
    UnknownQuestion,
    /// The answer named in the path does not exist on this site (or is not published, for
    /// public routes).
    #[error("no such answer")]
    UnknownAnswer,
    /// No referral has this code on this site.
    #[error("no such referral code")]
    UnknownReferral,
    /// A server-to-server call's signature is missing or does not match the body.
    #[error("the Portevoix-Signature header is missing or does not match the body")]
    InvalidSignature,
    /// A server-to-server call's signature is too old (or too far in the future).
    #[error("the signature's timestamp is outside the 5-minute window")]
    StaleSignature,
    /// No share link has this code.
    #[error("no such share link")]
    UnknownShare,
    /// The site takes answers from known customers only.
    #[error("this site takes answers from known customers only: a customer token is required")]
    CustomerTokenRequired,
    /// This customer has already reviewed this product.
    #[error("this customer has already reviewed this product")]
    AlreadyReviewed,
    /// Too many requests under one of the rate limits.
    #[error("too many requests; retry in {retry_after_seconds} seconds")]
    RateLimited {
        /// Seconds to wait, also sent as `Retry-After`.
        retry_after_seconds: u32,
    },
    /// An advocate asked to invite more friends than the day's allowance has left: unlike
    /// [`Error::RateLimited`], sending the same request again today will not help.
    #[error(
        "today's invitation allowance has {left_today} left: send fewer addresses, or retry in {retry_after_seconds} seconds"
    )]
    InvitationsExhausted {
        /// Invitations the advocate may still send today.
        left_today: u64,
        /// Seconds until the allowance renews (midnight UTC), also sent as `Retry-After`.
        retry_after_seconds: u32,
    },
    /// The site's stored configuration cannot be read; an operator must fix it.
    #[error("site configuration is broken: {0}")]
    BrokenSiteConfig(String),
    /// The storage layer failed; details are logged, never sent to clients.
    #[error("storage failure: {0}")]
    Storage(String),
}

impl Error {
    /// Shorthand for a field rule violation.
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::InvalidField {
            field: field.into(),
            message: message.into(),
        }
    }

    /// The HTTP status this error is answered with: the one place where errors meet HTTP.
    pub fn status(&self) -> u16 {
        match self {
            Error::InvalidJson(_) | Error::InvalidQuery { .. } => 400,
            Error::Unauthorized
            | Error::InvalidCustomerToken
            | Error::CustomerTokenExpired
            | Error::InvalidSignature
            | Error::StaleSignature => 401,
            Error::OriginNotAllowed(_)
            | Error::OriginRequired
            | Error::HumanCheckFailed
            | Error::CustomerTokenRequired => 403,
            Error::NotFound
            | Error::UnknownSite
            | Error::UnknownReview
            | Error::UnknownQuestion
            | Error::UnknownAnswer
            | Error::UnknownShare
            | Error::UnknownReferral => 404,
            Error::MethodNotAllowed => 405,
            Error::AlreadyReviewed => 409,
            Error::PayloadTooLarge { .. } => 413,
            Error::RateLimited { .. } | Error::InvitationsExhausted { .. } => 429,
            Error::UnsupportedMediaType => 415,
            Error::InvalidField { .. } | Error::SpamSuspected => 422,
            Error::BrokenSiteConfig(_) | Error::Storage(_) => 500,
        }
    }

    /// The stable machine-readable code clients switch on.
    pub fn code(&self) -> &'static str {
        match self {
            Error::NotFound => "not_found",
            Error::MethodNotAllowed => "method_not_allowed",
            Error::UnknownSite => "unknown_site",
            Error::OriginNotAllowed(_) => "origin_not_allowed",
            Error::OriginRequired => "origin_required",
            Error::Unauthorized => "unauthorized",
            Error::PayloadTooLarge { .. } => "payload_too_large",
            Error::UnsupportedMediaType => "unsupported_media_type",
            Error::InvalidJson(_) => "invalid_json",
            Error::InvalidField { .. } => "invalid_field",
            Error::InvalidQuery { .. } => "invalid_query",
            Error::InvalidCustomerToken => "invalid_customer_token",
            Error::CustomerTokenExpired => "customer_token_expired",
            Error::SpamSuspected => "spam_suspected",
            Error::HumanCheckFailed => "human_check_failed",
            Error::UnknownReview => "unknown_review",
            Error::UnknownQuestion => "unknown_question",
            Error::UnknownAnswer => "unknown_answer",
            Error::CustomerTokenRequired => "customer_token_required",
            Error::UnknownShare => "unknown_share",
            Error::UnknownReferral => "unknown_referral",
            Error::InvalidSignature => "invalid_signature",
            Error::StaleSignature => "stale_signature",
            Error::AlreadyReviewed => "already_reviewed",
            Error::RateLimited { .. } => "rate_limited",
            Error::InvitationsExhausted { .. } => "invitations_exhausted",
            Error::BrokenSiteConfig(_) | Error::Storage(_) => "internal",
        }
    }

    /// True when the details must stay in the logs rather than reach the client.
    pub fn is_internal(&self) -> bool {
        self.status() >= 500
    }

    /// The JSON body sent to the client. Internal errors say nothing about their cause.
    pub fn body(&self) -> ErrorBody {
        let message = if self.is_internal() {
            "something went wrong on our side; please retry later".to_owned()
        } else {
            self.to_string()
        };
        let field = match self {
            Error::InvalidField { field, .. } => Some(field.clone()),
            Error::InvalidQuery { param, .. } => Some(param.clone()),
            _ => None,
        };
        ErrorBody {
            error: ErrorDetail {
                code: self.code().to_owned(),
                message,
                field,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_hide_their_cause() {
        let body = Error::Storage("D1_ERROR: table nps_answers has no column x".into()).body();
        assert_eq!(body.error.code, "internal");
        assert!(!body.error.message.contains("D1_ERROR"));
    }

    #[test]
    fn client_errors_are_4xx_and_name_their_field() {
        let error = Error::field("score", "score must be an integer from 0 to 10");
        assert_eq!(error.status(), 422);
        assert_eq!(error.body().error.field.as_deref(), Some("score"));
        for error in [
            Error::NotFound,
            Error::UnknownSite,
            Error::OriginRequired,
            Error::Unauthorized,
            Error::PayloadTooLarge { limit: 1 },
            Error::UnsupportedMediaType,
            Error::InvalidJson("x".into()),
            Error::InvalidCustomerToken,
            Error::CustomerTokenExpired,
        ] {
            assert!((400..500).contains(&error.status()), "{error:?}");
        }
    }
}
