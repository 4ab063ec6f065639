//! The worker's request handling, independent of the Workers runtime: the worker turns a
//! `worker::Request` into an [`ApiRequest`], calls [`handle`] with its D1 store, rate-limit
//! bindings and Turnstile client, and turns the [`ApiResponse`] back. Tests call
//! [`handle`] with a SQLite store and in-memory stand-ins.
//!
//! Every route under `/v1/sites/{site}/` checks, in order: route and method, body size,
//! site, rate limits of the client address and the site, then who may call it: the site's
//! allowed origins (CORS) for public routes, the admin token for admin routes, the body's
//! signature for the brand server's conversions. Public writes then check content type,
//! JSON shape, field rules, the visitor's rate limit, spam rules, customer token,
//! Turnstile (when the site asks for it) and copied text; only then do they write. The
//! short links `/s/{code}` and `/r/{code}` only redirect, under the client's read limit.
//! Routes are grouped by widget in the private modules `reviews`, `qa`, `advocacy`
//! (share, points, advocates) and `referrals`.

mod advocacy;
mod console;
mod qa;
mod referrals;
mod reviews;
mod webhooks;

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;

use serde::Serialize;

use crate::DAY_MS;
use crate::error::{Error, Result};
use crate::export::Export;
use crate::limits::{self, Limit, RETRY_AFTER_SECONDS, RateLimiter};
use crate::nps::Category;
use crate::session;
use crate::site::Site;
use crate::spam::{self, HumanCheck};
use crate::store::{NewNpsAnswer, Recorded, Store};
use crate::token;
use crate::validate::{self, MAX_BODY_BYTES, MAX_SETTINGS_BODY_BYTES};
use crate::wire::{NpsCreated, NpsSubmission, ThemeReport};

/// How long browsers may cache a CORS preflight answer (Chromium caps it at two hours).
const PREFLIGHT_MAX_AGE_SECONDS: u32 = 7_200;
/// How long the public site configuration may be cached by browsers and CDNs.
const CONFIG_MAX_AGE_SECONDS: u32 = 60;
/// Mails listed by the outbox route.
const OUTBOX_MAILS: u32 = 100;
/// "No end date": the largest integer a JavaScript number (and so a D1 binding) holds exactly.
const FOREVER_MS: i64 = 9_007_199_254_740_991;

/// Sent with every API answer: JSON is never rendered, framed, sniffed or given a referrer.
pub const SECURITY_HEADERS: [(&str, &str); 5] = [
    ("x-content-type-options", "nosniff"),
    (
        "content-security-policy",
        "default-src 'none'; frame-ancestors 'none'",
    ),
    ("referrer-policy", "no-referrer"),
    ("x-frame-options", "DENY"),
    (
        "strict-transport-security",
        "max-age=31536000; includeSubDomains",
    ),
];

/// The parts of an HTTP request the handlers look at.
#[derive(Debug, Clone, Copy)]
pub struct ApiRequest<'a> {
    /// Upper-case HTTP method.
    pub method: &'a str,
    /// URL path, e.g. `/v1/sites/cairn/nps`.
    pub path: &'a str,
    /// URL query without `?`, possibly empty.
    pub query: &'a str,
    /// The `Origin` header.
    pub origin: Option<&'a str>,
    /// The `Authorization` header.
    pub authorization: Option<&'a str>,
    /// The `Cookie` header: the brand console's session.
    pub cookie: Option<&'a str>,
    /// The `Content-Type` header.
    pub content_type: Option<&'a str>,
    /// The client's address (`CF-Connecting-IP`), only ever used hashed, as a rate-limit key.
    pub client_address: Option<&'a str>,
    /// The `If-None-Match` header, to answer an unchanged cacheable read with 304.
    pub if_none_match: Option<&'a str>,
    /// The `User-Agent` header: robots and link previewers earn no sharer points.
    pub user_agent: Option<&'a str>,
    /// The worker's own origin, e.g. `https://portevoix.example`, for the links it hands out.
    pub base_url: &'a str,
    /// The `Portevoix-Signature` header of a brand server's call.
    pub signature: Option<&'a str>,
    /// The raw body (empty for GET).
    pub body: &'a [u8],
    /// The time of the request, Unix milliseconds.
    pub now_ms: i64,
}

/// What to send back. `log` carries internal details for the operator's logs only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiResponse {
    /// HTTP status.
    pub status: u16,
    /// Response headers, lowercase names.
    pub headers: Vec<(&'static str, String)>,
    /// JSON body, empty for 204.
    pub body: String,
    /// Internal error details to log, never sent.
    pub log: Option<String>,
    /// A table export: the body is made chunk by chunk, by the caller, after these
    /// headers (the worker streams it; `body` stays empty).
    pub export: Option<Export>,
}

impl ApiResponse {
    fn json(status: u16, body: &impl Serialize) -> ApiResponse {
        ApiResponse {
            status,
            headers: vec![
                ("content-type", "application/json; charset=utf-8".to_owned()),
                ("cache-control", "no-store".to_owned()),
            ],
            body: serde_json::to_string(body).unwrap_or_default(),
            log: None,
            export: None,
        }
    }

    /// An answer with nothing to say: 204.
    fn no_content() -> ApiResponse {
        ApiResponse {
            status: 204,
            headers: vec![("cache-control", "no-store".to_owned())],
            body: String::new(),
            log: None,
            export: None,
        }
    }

    /// A non-JSON answer (HTML, JSON-LD) with its media type.
    fn text(status: u16, content_type: &str, body: String) -> ApiResponse {
        ApiResponse {
            status,
            headers: vec![
                ("content-type", content_type.to_owned()),
                ("cache-control", "no-store".to_owned()),
            ],
            body,
            log: None,
            export: None,
        }
    }

    /// Makes a read cacheable for `cache_control`, with an `ETag` of its body; answers
    /// 304 with no body when the client already holds this very version.
    fn cacheable(mut self, cache_control: &str, if_none_match: Option<&str>) -> ApiResponse {
        let digest = crate::site::hex_sha256(self.body.as_bytes());
        let etag = format!("\"{}\"", &digest[..32]);
        self.set_header("cache-control", cache_control.to_owned());
        let unchanged = if_none_match.is_some_and(|tags| {
            tags.split(',')
                .map(|tag| tag.trim().trim_start_matches("W/"))
                .any(|tag| tag == etag || tag == "*")
        });
        self.set_header("etag", etag);
        if unchanged {
            self.status = 304;
            self.body.clear();
            self.headers.retain(|(name, _)| *name != "content-type");
        }
        self
    }

    /// The JSON error answer for `error`, with its cause kept for the logs if internal.
    pub fn error(error: &Error) -> ApiResponse {
        let mut response = ApiResponse::json(error.status(), &error.body());
        if error.is_internal() {
            response.log = Some(error.to_string());
        }
        match error {
            Error::Unauthorized => response.set_header("www-authenticate", "Bearer".into()),
            Error::RateLimited {
                retry_after_seconds,
            }
            | Error::InvitationsExhausted {
                retry_after_seconds,
                ..
            } => response.set_header("retry-after", retry_after_seconds.to_string()),
            _ => {}
        }
        response
    }

    fn set_header(&mut self, name: &'static str, value: String) {
        self.headers.retain(|(existing, _)| *existing != name);
        self.headers.push((name, value));
    }

    /// The value of a header, for tests and the worker glue.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(existing, _)| *existing == name)
            .map(|(_, value)| value.as_str())
    }
}

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    /// Widgets on the site's allowed origins, and brand servers for public reads.
    Public,
    /// The brand, with its admin token.
    Admin,
    /// The brand's server, with a signature of the body (checked by the route).
    Signed,
    /// The brand console signing in, from the worker's own origin (checked by the route).
    SignIn,
}

/// The routes under `/v1/sites/{site}/`, with their path parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Endpoint<'a> {
    Config,
    Nps,
    NpsSummary,
    NpsReport,
    NpsComments,
    NpsHandled(&'a str),
    /// `POST` signs the console in, `GET` tells its session.
    ConsoleSession,
    ConsoleSignOut,
    /// `GET` reads the site's settings, `POST` replaces them (admin).
    Settings,
    AdvocateHistory(&'a str),
    Funnels,
    Export(&'a str),
    PrivacyExport,
    PrivacyErase,
    Erasures,
    /// `GET` lists the site's webhook subscriptions, `POST` adds one.
    Webhooks,
    WebhookTest(&'a str),
    WebhookDelete(&'a str),
    WebhookRotate(&'a str),
    WebhookDeliveries(&'a str),
    ThemeReport,
    /// `GET` lists published reviews, `POST` writes one.
    ProductReviews(&'a str),
    ProductReviewsJsonLd(&'a str),
    ProductReviewsHtml(&'a str),
    ReviewHelpful {
        product: &'a str,
        review: &'a str,
    },
    ReviewQueue,
    ReviewModeration(&'a str),
    ReviewReply(&'a str),
    /// `GET` lists published questions, `POST` asks one.
    ProductQuestions(&'a str),
    QuestionAnswers {
        product: &'a str,
        question: &'a str,
    },
    AnswerHelpful {
        product: &'a str,
        answer: &'a str,
    },
    QuestionQueue,
    QuestionModeration(&'a str),
    BrandAnswer(&'a str),
    AnswerQueue,
    AnswerModeration(&'a str),
    TopAnswerers,
    Shares,
    ShareVisits(&'a str),
    MyPoints,
    Advocates,
    PointsAdjust,
    Panel,
    /// `POST` makes an advocate's code, `GET` is the brand's funnel.
    Referrals,
    MyReferral,
    ReferralOffer(&'a str),
    ReferralInvitations(&'a str),
    ReferralVisits(&'a str),
    Conversions,
    Mail,
}

impl<'a> Endpoint<'a> {
    fn parse(rest: &[&'a str]) -> Option<Endpoint<'a>> {
        match *rest {
            ["config"] => Some(Endpoint::Config),
            ["nps"] => Some(Endpoint::Nps),
            ["nps", "summary"] => Some(Endpoint::NpsSummary),
            ["nps", "report"] => Some(Endpoint::NpsReport),
            ["nps", "comments"] => Some(Endpoint::NpsComments),
            ["nps", answer, "handled"] => Some(Endpoint::NpsHandled(answer)),
            ["console", "session"] => Some(Endpoint::ConsoleSession),
            ["console", "sign-out"] => Some(Endpoint::ConsoleSignOut),
            ["settings"] => Some(Endpoint::Settings),
            ["advocates", customer, "history"] => Some(Endpoint::AdvocateHistory(customer)),
            ["funnels"] => Some(Endpoint::Funnels),
            ["exports", file] => Some(Endpoint::Export(file)),
            ["privacy", "export"] => Some(Endpoint::PrivacyExport),
            ["privacy", "erase"] => Some(Endpoint::PrivacyErase),
            ["privacy", "erasures"] => Some(Endpoint::Erasures),
            ["webhooks"] => Some(Endpoint::Webhooks),
            ["webhooks", id, "test"] => Some(Endpoint::WebhookTest(id)),
            ["webhooks", id, "delete"] => Some(Endpoint::WebhookDelete(id)),
            ["webhooks", id, "rotate-secret"] => Some(Endpoint::WebhookRotate(id)),
            ["webhooks", id, "deliveries"] => Some(Endpoint::WebhookDeliveries(id)),
            ["theme"] => Some(Endpoint::ThemeReport),
            ["products", product, "reviews"] => Some(Endpoint::ProductReviews(product)),
            ["products", product, "reviews.jsonld"] => {
                Some(Endpoint::ProductReviewsJsonLd(product))
            }
            ["products", product, "reviews.html"] => Some(Endpoint::ProductReviewsHtml(product)),
            ["products", product, "reviews", review, "helpful"] => {
                Some(Endpoint::ReviewHelpful { product, review })
            }
            ["reviews"] => Some(Endpoint::ReviewQueue),
            ["reviews", review, "moderation"] => Some(Endpoint::ReviewModeration(review)),
            ["reviews", review, "reply"] => Some(Endpoint::ReviewReply(review)),
            ["products", product, "questions"] => Some(Endpoint::ProductQuestions(product)),
            ["products", product, "questions", question, "answers"] => {
                Some(Endpoint::QuestionAnswers { product, question })
            }
            ["products", product, "answers", answer, "helpful"] => {
                Some(Endpoint::AnswerHelpful { product, answer })
            }
            ["questions"] => Some(Endpoint::QuestionQueue),
            ["questions", question, "moderation"] => Some(Endpoint::QuestionModeration(question)),
            ["questions", question, "answers"] => Some(Endpoint::BrandAnswer(question)),
            ["answers"] => Some(Endpoint::AnswerQueue),
            ["answers", answer, "moderation"] => Some(Endpoint::AnswerModeration(answer)),
            ["answerers"] => Some(Endpoint::TopAnswerers),
            ["shares"] => Some(Endpoint::Shares),
            ["shares", code, "visits"] => Some(Endpoint::ShareVisits(code)),
            ["me", "points"] => Some(Endpoint::MyPoints),
            ["advocates"] => Some(Endpoint::Advocates),
            ["points", "adjust"] => Some(Endpoint::PointsAdjust),
            ["panel"] => Some(Endpoint::Panel),
            ["referrals"] => Some(Endpoint::Referrals),
            ["referrals", "mine"] => Some(Endpoint::MyReferral),
            ["referrals", code, "offer"] => Some(Endpoint::ReferralOffer(code)),
            ["referrals", code, "invitations"] => Some(Endpoint::ReferralInvitations(code)),
            ["referrals", code, "visits"] => Some(Endpoint::ReferralVisits(code)),
            ["conversions"] => Some(Endpoint::Conversions),
            ["mail"] => Some(Endpoint::Mail),
            _ => None,
        }
    }

    /// The most bytes its request body may hold.
    fn body_limit(self) -> usize {
        match self {
            Endpoint::Settings => MAX_SETTINGS_BODY_BYTES,
            _ => MAX_BODY_BYTES,
        }
    }

    fn methods(self) -> &'static [&'static str] {
        match self {
            Endpoint::Config
            | Endpoint::NpsSummary
            | Endpoint::NpsReport
            | Endpoint::NpsComments
            | Endpoint::AdvocateHistory(_)
            | Endpoint::WebhookDeliveries(_)
            | Endpoint::Funnels
            | Endpoint::Export(_)
            | Endpoint::Erasures
            | Endpoint::ThemeReport
            | Endpoint::ProductReviewsJsonLd(_)
            | Endpoint::ProductReviewsHtml(_)
            | Endpoint::ReviewQueue
            | Endpoint::QuestionQueue
            | Endpoint::AnswerQueue
            | Endpoint::TopAnswerers
            | Endpoint::MyPoints
            | Endpoint::Advocates
            | Endpoint::MyReferral
            | Endpoint::ReferralOffer(_)
            | Endpoint::Mail => &["GET"],
            Endpoint::Nps
            | Endpoint::NpsHandled(_)
            | Endpoint::ConsoleSignOut
            | Endpoint::WebhookTest(_)
            | Endpoint::WebhookDelete(_)
            | Endpoint::WebhookRotate(_)
            | Endpoint::PrivacyExport
            | Endpoint::PrivacyErase
            | Endpoint::ReviewHelpful { .. }
            | Endpoint::ReviewModeration(_)
            | Endpoint::ReviewReply(_)
            | Endpoint::QuestionAnswers { .. }
            | Endpoint::AnswerHelpful { .. }
            | Endpoint::QuestionModeration(_)
            | Endpoint::BrandAnswer(_)
            | Endpoint::AnswerModeration(_)
            | Endpoint::Shares
            | Endpoint::ShareVisits(_)
            | Endpoint::PointsAdjust
            | Endpoint::Panel
            | Endpoint::ReferralInvitations(_)
            | Endpoint::ReferralVisits(_)
            | Endpoint::Conversions => &["POST"],
            Endpoint::ProductReviews(_)
            | Endpoint::ProductQuestions(_)
            | Endpoint::Referrals
            | Endpoint::ConsoleSession
            | Endpoint::Settings
            | Endpoint::Webhooks => &["GET", "POST"],
        }
    }

    fn access(self, writes: bool) -> Access {
        match self {
            Endpoint::Referrals if writes => Access::Public,
            Endpoint::ConsoleSession if writes => Access::SignIn,
            Endpoint::Conversions => Access::Signed,
            Endpoint::Config
            | Endpoint::Nps
            | Endpoint::ProductReviews(_)
            | Endpoint::ProductReviewsJsonLd(_)
            | Endpoint::ProductReviewsHtml(_)
            | Endpoint::ReviewHelpful { .. }
            | Endpoint::ProductQuestions(_)
            | Endpoint::QuestionAnswers { .. }
            | Endpoint::AnswerHelpful { .. }
            | Endpoint::Shares
            | Endpoint::ShareVisits(_)
            | Endpoint::MyPoints
            | Endpoint::MyReferral
            | Endpoint::ReferralOffer(_)
            | Endpoint::ReferralInvitations(_)
            | Endpoint::ReferralVisits(_) => Access::Public,
            Endpoint::NpsSummary
            | Endpoint::NpsReport
            | Endpoint::NpsComments
            | Endpoint::NpsHandled(_)
            | Endpoint::ConsoleSession
            | Endpoint::ConsoleSignOut
            | Endpoint::Settings
            | Endpoint::AdvocateHistory(_)
            | Endpoint::Webhooks
            | Endpoint::WebhookTest(_)
            | Endpoint::WebhookDelete(_)
            | Endpoint::WebhookRotate(_)
            | Endpoint::WebhookDeliveries(_)
            | Endpoint::Funnels
            | Endpoint::Export(_)
            | Endpoint::PrivacyExport
            | Endpoint::PrivacyErase
            | Endpoint::Erasures
            | Endpoint::ThemeReport
            | Endpoint::ReviewQueue
            | Endpoint::ReviewModeration(_)
            | Endpoint::ReviewReply(_)
            | Endpoint::QuestionQueue
            | Endpoint::QuestionModeration(_)
            | Endpoint::BrandAnswer(_)
            | Endpoint::AnswerQueue
            | Endpoint::AnswerModeration(_)
            | Endpoint::TopAnswerers
            | Endpoint::Advocates
            | Endpoint::PointsAdjust
            | Endpoint::Panel
            | Endpoint::Referrals
            | Endpoint::Mail => Access::Admin,
        }
    }
}

/// Splits `/v1/sites/{site}/...` into the site key and the endpoint.
/// The most bytes a request body to `path` may hold, so the worker reads no more of it.
pub fn body_limit(path: &str) -> usize {
    route(path).map_or(MAX_BODY_BYTES, |(_, endpoint)| endpoint.body_limit())
}

fn route(path: &str) -> Result<(&str, Endpoint<'_>)> {
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
    match segments.as_slice() {
        ["v1", "sites", site, rest @ ..] => {
            let endpoint = Endpoint::parse(rest).ok_or(Error::NotFound)?;
            Ok((site, endpoint))
        }
        _ => Err(Error::NotFound),
    }
}

/// Answers one request. Never panics on input; every failure is an error response.
pub async fn handle<S: Store, L: RateLimiter, H: HumanCheck>(
    request: &ApiRequest<'_>,
    store: &S,
    limiter: &L,
    human: &H,
) -> ApiResponse {
    let mut cors = None;
    let outcome = if let Some(code) = request.path.strip_prefix("/s/") {
        short_link(request, code, store, limiter, false).await
    } else if let Some(code) = request.path.strip_prefix("/r/") {
        short_link(request, code, store, limiter, true).await
    } else {
        handle_inner(request, store, limiter, human, &mut cors).await
    };
    let mut response = outcome.unwrap_or_else(|error| ApiResponse::error(&error));
    if let Some(origin) = cors {
        response.set_header("access-control-allow-origin", origin);
        // A page's script may read how long a 429 asks it to wait only if told it may.
        response.set_header("access-control-expose-headers", "Retry-After".into());
    }
    // Answers differ by Origin (the CORS grant), so caches must key on it, even for
    // requests that sent none.
    response.set_header("vary", "Origin".into());
    for (name, value) in SECURITY_HEADERS {
        response.set_header(name, value.to_owned());
    }
    response
}

/// `GET /s/{code}` (a share link) or `GET /r/{code}` (a referral link), under the client
/// address's read limit.
async fn short_link<S: Store, L: RateLimiter>(
    request: &ApiRequest<'_>,
    code: &str,
    store: &S,
    limiter: &L,
    referral: bool,
) -> Result<ApiResponse> {
    within(
        limiter,
        Limit::ClientReads,
        &limits::client_key("short-links", request.client_address),
    )
    .await?;
    if referral {
        referrals::follow(request, code, store).await
    } else {
        advocacy::follow(request, code, store).await
    }
}

/// Refuses the request when this visitor of this site is over the write limit.
async fn within_visitor<L: RateLimiter>(limiter: &L, site: &Site, visitor_id: &str) -> Result<()> {
    within(
        limiter,
        Limit::VisitorWrites,
        &format!("{}:{visitor_id}", site.key),
    )
    .await
}

/// The `visitor_id` query parameter of the reads that answer one browser.
fn visitor_param(request: &ApiRequest<'_>) -> Result<String> {
    let visitor_id = query_params(request.query)?
        .remove("visitor_id")
        .unwrap_or_default();
    validate::opaque_id("visitor_id", &visitor_id).map_err(|_| Error::InvalidQuery {
        param: "visitor_id".to_owned(),
        message: "visitor_id is required: 8 to 128 characters of A-Z, a-z, 0-9, '-' and '_'"
            .to_owned(),
    })?;
    Ok(visitor_id)
}

/// The customer a public read is sent for, with `Authorization: Customer <token>`; a
/// token that is present but forged or expired is refused.
fn customer_of(request: &ApiRequest<'_>, site: &Site) -> Result<Option<token::CustomerClaims>> {
    let token = request
        .authorization
        .and_then(|value| value.strip_prefix("Customer "));
    customer_claims(token, site, request.now_ms)
}

/// Refuses the request when `key` is over `limit`.
async fn within<L: RateLimiter>(limiter: &L, limit: Limit, key: &str) -> Result<()> {
    if limiter.allow(limit, key).await {
        Ok(())
    } else {
        Err(Error::RateLimited {
            retry_after_seconds: RETRY_AFTER_SECONDS,
        })
    }
}

async fn handle_inner<S: Store, L: RateLimiter, H: HumanCheck>(
    request: &ApiRequest<'_>,
    store: &S,
    limiter: &L,
    human: &H,
    cors: &mut Option<String>,
) -> Result<ApiResponse> {
    let (site_key, endpoint) = route(request.path)?;
    let preflight = request.method == "OPTIONS";
    if !preflight && !endpoint.methods().contains(&request.method) {
        return Err(Error::MethodNotAllowed);
    }
    let limit = endpoint.body_limit();
    if request.body.len() > limit {
        return Err(Error::PayloadTooLarge { limit });
    }
    validate::site_key(site_key)?;
    let row = store.site(site_key).await?.ok_or(Error::UnknownSite)?;
    let site = Site::from_row(row)?;

    let origin_allowed = request.origin.filter(|origin| site.allows_origin(origin));
    *cors = origin_allowed.map(str::to_owned);
    if preflight {
        return preflight_response(endpoint, origin_allowed.is_some(), request.origin);
    }
    let client = limits::client_key(&site.key, request.client_address);
    let writes = request.method == "POST";
    if writes {
        within(limiter, Limit::ClientWrites, &client).await?;
        within(limiter, Limit::SiteWrites, &site.key).await?;
    } else {
        within(limiter, Limit::ClientReads, &client).await?;
    }
    match endpoint.access(writes) {
        Access::Public => match request.origin {
            Some(origin) if origin_allowed.is_none() => {
                return Err(Error::OriginNotAllowed(origin.to_owned()));
            }
            None if writes => return Err(Error::OriginRequired),
            _ => {}
        },
        Access::Admin => require_admin(&site, request, writes)?,
        Access::Signed | Access::SignIn => {}
    }

    match (endpoint, writes) {
        (Endpoint::Config, _) => {
            let mut response = ApiResponse::json(200, &site.public_config());
            response.set_header(
                "cache-control",
                format!("public, max-age={CONFIG_MAX_AGE_SECONDS}"),
            );
            Ok(response)
        }
        (Endpoint::Nps, _) => submit_nps(request, &site, store, limiter, human).await,
        (Endpoint::NpsSummary, _) => nps_summary(request, &site, store).await,
        (Endpoint::NpsReport, _) => console::nps_report(request, &site, store).await,
        (Endpoint::NpsComments, _) => console::nps_comments(request, &site, store).await,
        (Endpoint::NpsHandled(answer), _) => {
            console::nps_handled(request, &site, answer, store).await
        }
        (Endpoint::ConsoleSession, true) => console::sign_in(request, &site),
        (Endpoint::ConsoleSession, false) => console::current(request, &site),
        (Endpoint::ConsoleSignOut, _) => Ok(console::sign_out(&site)),
        (Endpoint::Settings, false) => Ok(console::settings(&site)),
        (Endpoint::Settings, true) => console::save_settings(request, &site, store).await,
        (Endpoint::AdvocateHistory(customer), _) => advocacy::history(&site, customer, store).await,
        (Endpoint::Funnels, _) => console::funnels(request, &site, store).await,
        (Endpoint::Export(file), _) => console::export(&site, file),
        (Endpoint::PrivacyExport, _) => console::privacy_export(request, &site, store).await,
        (Endpoint::PrivacyErase, _) => console::privacy_erase(request, &site, store).await,
        (Endpoint::Erasures, _) => console::erasures(&site, store).await,
        (Endpoint::Webhooks, false) => webhooks::list(&site, store).await,
        (Endpoint::Webhooks, true) => webhooks::create(request, &site, store).await,
        (Endpoint::WebhookTest(id), _) => webhooks::test(request, &site, id, store).await,
        (Endpoint::WebhookDelete(id), _) => webhooks::delete(&site, id, store).await,
        (Endpoint::WebhookRotate(id), _) => {
            webhooks::rotate_secret(request, &site, id, store).await
        }
        (Endpoint::WebhookDeliveries(id), _) => webhooks::deliveries(&site, id, store).await,
        (Endpoint::ProductReviews(product), true) => {
            reviews::submit(request, &site, product, store, limiter, human).await
        }
        (Endpoint::ProductReviews(product), false) => {
            reviews::list(request, &site, product, store).await
        }
        (Endpoint::ProductReviewsJsonLd(product), _) => {
            reviews::json_ld(request, &site, product, store).await
        }
        (Endpoint::ProductReviewsHtml(product), _) => {
            reviews::html(request, &site, product, store).await
        }
        (Endpoint::ReviewHelpful { product, review }, _) => {
            reviews::helpful(request, &site, product, review, store, limiter).await
        }
        (Endpoint::ReviewQueue, _) => reviews::queue(request, &site, store).await,
        (Endpoint::ReviewModeration(review), _) => {
            reviews::moderate(request, &site, review, store).await
        }
        (Endpoint::ReviewReply(review), _) => reviews::reply(request, &site, review, store).await,
        (Endpoint::ProductQuestions(product), true) => {
            qa::ask(request, &site, product, store, limiter, human).await
        }
        (Endpoint::ProductQuestions(product), false) => {
            qa::list(request, &site, product, store).await
        }
        (Endpoint::QuestionAnswers { product, question }, _) => {
            qa::answer(request, &site, product, question, store, limiter, human).await
        }
        (Endpoint::AnswerHelpful { product, answer }, _) => {
            qa::helpful(request, &site, product, answer, store, limiter).await
        }
        (Endpoint::QuestionQueue, _) => qa::question_queue(request, &site, store).await,
        (Endpoint::QuestionModeration(question), _) => {
            qa::moderate_question(request, &site, question, store).await
        }
        (Endpoint::BrandAnswer(question), _) => {
            qa::brand_answer(request, &site, question, store).await
        }
        (Endpoint::AnswerQueue, _) => qa::answer_queue(request, &site, store).await,
        (Endpoint::AnswerModeration(answer), _) => {
            qa::moderate_answer(request, &site, answer, store).await
        }
        (Endpoint::TopAnswerers, _) => qa::answerers(request, &site, store).await,
        (Endpoint::Shares, _) => advocacy::share(request, &site, store, limiter).await,
        (Endpoint::ShareVisits(code), _) => {
            advocacy::visit(request, &site, code, store, limiter).await
        }
        (Endpoint::MyPoints, _) => advocacy::my_points(request, &site, store).await,
        (Endpoint::Advocates, _) => advocacy::advocates(request, &site, store).await,
        (Endpoint::PointsAdjust, _) => advocacy::adjust(request, &site, store).await,
        (Endpoint::Panel, _) => advocacy::panel(request, &site, store).await,
        (Endpoint::Referrals, true) => referrals::create(request, &site, store, limiter).await,
        (Endpoint::Referrals, false) => referrals::funnel(&site, store).await,
        (Endpoint::MyReferral, _) => referrals::mine(request, &site, store).await,
        (Endpoint::ReferralOffer(code), _) => referrals::offer(&site, code, store).await,
        (Endpoint::ReferralInvitations(code), _) => {
            referrals::invite(request, &site, code, store, limiter).await
        }
        (Endpoint::ReferralVisits(code), _) => {
            referrals::visit(request, &site, code, store, limiter).await
        }
        (Endpoint::Conversions, _) => referrals::convert(request, &site, store).await,
        (Endpoint::Mail, _) => Ok(ApiResponse::json(
            200,
            &crate::wire::Outbox {
                mails: crate::mail::latest(store, &site.key, OUTBOX_MAILS).await?,
            },
        )),
        (Endpoint::ThemeReport, _) => Ok(ApiResponse::json(
            200,
            &ThemeReport {
                contrast_warnings: site.config.theme.contrast_warnings(),
                theme: site.config.theme.clone(),
            },
        )),
    }
}

fn preflight_response(
    endpoint: Endpoint<'_>,
    allowed: bool,
    origin: Option<&str>,
) -> Result<ApiResponse> {
    if !allowed {
        return Err(match origin {
            Some(origin) => Error::OriginNotAllowed(origin.to_owned()),
            None => Error::OriginRequired,
        });
    }
    Ok(ApiResponse {
        status: 204,
        headers: vec![
            (
                "access-control-allow-methods",
                format!("{}, OPTIONS", endpoint.methods().join(", ")),
            ),
            (
                "access-control-allow-headers",
                "content-type, authorization".to_owned(),
            ),
            (
                "access-control-max-age",
                PREFLIGHT_MAX_AGE_SECONDS.to_string(),
            ),
        ],
        body: String::new(),
        log: None,
        export: None,
    })
}

/// The brand: a brand server with `Authorization: Bearer <admin token>`, or the console
/// with its session cookie. A cookie is only taken from the console's own origin (a
/// request from another page, even of the same site, is refused), so that no other page
/// can act with a signed-in marketer's session.
fn require_admin(site: &Site, request: &ApiRequest<'_>, writes: bool) -> Result<()> {
    if let Some(authorization) = request.authorization {
        let token = authorization
            .strip_prefix("Bearer ")
            .map(str::trim)
            .ok_or(Error::Unauthorized)?;
        return if site.admin_token_matches(token) {
            Ok(())
        } else {
            Err(Error::Unauthorized)
        };
    }
    let session = session::from_cookie_header(request.cookie).ok_or(Error::Unauthorized)?;
    site.session_key()
        .verify(session, request.now_ms.div_euclid(1000))
        .ok_or(Error::Unauthorized)?;
    if writes || request.origin.is_some() {
        console::require_own_origin(request)?;
    }
    Ok(())
}

/// Refuses requests whose `Content-Type` is not JSON.
fn require_json(content_type: Option<&str>) -> Result<()> {
    let essence = content_type
        .and_then(|value| value.split(';').next())
        .map(|value| value.trim().to_ascii_lowercase());
    if essence.as_deref() == Some("application/json") {
        Ok(())
    } else {
        Err(Error::UnsupportedMediaType)
    }
}

/// Parses a JSON body into `T`: first as any JSON object, so broken syntax is told apart from a
/// well-formed body of the wrong shape, then into `T`, turning serde's errors into
/// messages that name the field at fault.
fn parse_body<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T> {
    let body = json_object_text(body)?;
    let mut deserializer = serde_json::Deserializer::from_str(body);
    serde_path_to_error::deserialize(&mut deserializer).map_err(field_error)
}

/// [`parse_body`] that also refuses a field `T` does not know, at any depth: for bodies
/// like settings, whose types take defaults for what is absent, so that a misspelt field
/// would otherwise be dropped without a word while the rest is saved. A field is unknown
/// when it has a value in the body but none once the body is read into `T` and written
/// back (which also catches fields inside flattened structs).
pub(crate) fn parse_body_strictly<T: serde::de::DeserializeOwned + Serialize>(
    body: &[u8],
) -> Result<T> {
    let parsed: T = parse_body(body)?;
    let given: serde_json::Value = serde_json::from_slice(body)
        .map_err(|error| Error::InvalidJson(format!("the body is not valid JSON: {error}")))?;
    let kept = serde_json::to_value(&parsed)
        .map_err(|error| Error::Storage(format!("the body read back as JSON: {error}")))?;
    match dropped_field(&given, &kept, "") {
        Some(path) => Err(Error::field(&path, format!("unknown field {path}"))),
        None => Ok(parsed),
    }
}

/// The first field of `given` (skipping nulls) that `kept` lacks, as `config.theme.accent`
/// or `items[2].name`.
fn dropped_field(
    given: &serde_json::Value,
    kept: &serde_json::Value,
    path: &str,
) -> Option<String> {
    use serde_json::Value;
    match (given, kept) {
        (Value::Object(given), Value::Object(kept)) => given
            .iter()
            .filter(|(_, value)| !value.is_null())
            .find_map(|(key, value)| {
                let child = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                match kept.get(key) {
                    Some(kept) => dropped_field(value, kept, &child),
                    None => Some(child),
                }
            }),
        (Value::Array(given), Value::Array(kept)) => {
            given
                .iter()
                .zip(kept)
                .enumerate()
                .find_map(|(index, (given, kept))| {
                    dropped_field(given, kept, &format!("{path}[{index}]"))
                })
        }
        _ => None,
    }
}

/// The body as text, once it is known to hold one JSON object.
fn json_object_text(body: &[u8]) -> Result<&str> {
    let body = std::str::from_utf8(body)
        .map_err(|_| Error::InvalidJson("the body must be UTF-8 encoded JSON".to_owned()))?;
    serde_json::from_str::<BTreeMap<String, serde::de::IgnoredAny>>(body).map_err(|error| {
        Error::InvalidJson(if error.is_data() {
            "the body must be a JSON object".to_owned()
        } else {
            format!("the body is not valid JSON: {error}")
        })
    })?;
    Ok(body)
}

/// A body of the wrong shape as an error naming the field at fault.
fn field_error(error: serde_path_to_error::Error<serde_json::Error>) -> Error {
    let path = error.path().to_string();
    let message = error.into_inner().to_string();
    let backticked = message.split('`').nth(1).unwrap_or_default().to_owned();
    if message.starts_with("missing field") {
        Error::field(&backticked, format!("{backticked} is required"))
    } else if message.starts_with("unknown field") {
        Error::field(&backticked, format!("unknown field {backticked}"))
    } else if message.starts_with("duplicate field") {
        // The path is that of the object holding the field twice.
        let field = match path.as_str() {
            "." => backticked,
            parent => format!("{parent}.{backticked}"),
        };
        Error::field(&field, format!("{field} is given twice"))
    } else if path == "score" {
        validate::score_error()
    } else if path == "rating" {
        crate::review::rating_error()
    } else {
        Error::field(&path, format!("{path}: {message}"))
    }
}

async fn submit_nps<S: Store, L: RateLimiter, H: HumanCheck>(
    request: &ApiRequest<'_>,
    site: &Site,
    store: &S,
    limiter: &L,
    human: &H,
) -> Result<ApiResponse> {
    require_json(request.content_type)?;
    let submission: NpsSubmission = parse_body(request.body)?;
    let score = validate::score(submission.score)?;
    let comment = validate::comment(submission.comment.as_deref().unwrap_or_default())?;
    validate::opaque_id("visitor_id", &submission.visitor_id)?;
    validate::opaque_id("idempotency_key", &submission.idempotency_key)?;
    within_visitor(limiter, site, &submission.visitor_id).await?;
    let page_url = validate::page_url(submission.page_url.as_deref())?;
    spam::check_human(
        submission.website.as_deref(),
        comment.as_deref(),
        submission.elapsed_ms,
    )?;
    let customer_id = customer_claims(submission.customer_token.as_deref(), site, request.now_ms)?
        .map(|claims| claims.sub);
    let human = human_passes(
        site,
        human,
        submission.turnstile_token.as_deref(),
        request.client_address,
    )
    .await;
    if !human {
        // A Turnstile token is good once: the retry of an answer already stored
        // carries a spent one, and must still get the first answer back.
        return match store
            .find_nps(&site.key, &submission.idempotency_key)
            .await?
        {
            Some(stored) => Ok(ApiResponse::json(200, &NpsCreated::from(stored))),
            None => Err(Error::HumanCheckFailed),
        };
    }
    let comment_hash = comment.as_deref().and_then(spam::comment_fingerprint);
    if let Some(hash) = &comment_hash {
        let since = request.now_ms - spam::DUPLICATE_WINDOW_MS;
        if store
            .comment_seen(&site.key, hash, since, &submission.visitor_id)
            .await?
        {
            return Err(Error::SpamSuspected);
        }
    }
    let author = crate::rewards::Account::of(customer_id.as_deref(), &submission.visitor_id);
    let answer = NewNpsAnswer {
        site_id: site.key.clone(),
        idempotency_key: submission.idempotency_key,
        visitor_id: submission.visitor_id,
        customer_id,
        score,
        category: Category::of(score),
        comment,
        comment_hash,
        page_url,
        locale: submission.locale.map(|locale| locale.tag().to_owned()),
        created_at: request.now_ms,
    };
    let (status, stored) = match store.record_nps(&answer).await? {
        Recorded::Created(stored) => (201, stored),
        Recorded::Replayed(stored) => (200, stored),
    };
    // Paid on replays too: a reward lost to a failure after the write is paid on the retry,
    // and its key makes sure it is paid once.
    advocacy::reward(
        store,
        site,
        &author,
        crate::rewards::Reason::Nps,
        &stored.id,
        request.now_ms,
    )
    .await?;
    Ok(ApiResponse::json(status, &NpsCreated::from(stored)))
}

/// The query parameters by name. A name given twice (`limit=5&limit=50`) is refused:
/// which value counts would otherwise be a silent guess, as a JSON field given twice is.
fn query_params(query: &str) -> Result<BTreeMap<String, String>> {
    let mut params = BTreeMap::new();
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        match params.entry(name.into_owned()) {
            Entry::Occupied(entry) => {
                return Err(Error::InvalidQuery {
                    message: format!("{} is given twice", entry.key()),
                    param: entry.key().clone(),
                });
            }
            Entry::Vacant(entry) => {
                entry.insert(value.into_owned());
            }
        }
    }
    Ok(params)
}

/// The verified customer token's claims, if the request carries one: a token that is
/// present but forged or expired is refused, never ignored.
fn customer_claims(
    token: Option<&str>,
    site: &Site,
    now_ms: i64,
) -> Result<Option<token::CustomerClaims>> {
    match token.map(str::trim) {
        Some(token) if !token.is_empty() => Ok(Some(token::verify(
            token,
            site.customer_token_secret(),
            now_ms.div_euclid(1000),
        )?)),
        _ => Ok(None),
    }
}

/// The status and reason of a moderation body (`{"decision", "reason"}`): a rejection
/// must say why.
fn moderation_decision(
    request: &ApiRequest<'_>,
) -> Result<(crate::moderation::Status, Option<String>)> {
    use crate::moderation::Status;
    use crate::wire::{Decision, Moderation};
    require_json(request.content_type)?;
    let moderation: Moderation = parse_body(request.body)?;
    Ok(match moderation.decision {
        Decision::Publish => (Status::Published, None),
        Decision::Reject => {
            let reason = validate::text(
                "reason",
                moderation.reason.as_deref().unwrap_or_default(),
                1,
                crate::review::MAX_REASON_CHARS,
            )?;
            (Status::Rejected, Some(reason))
        }
    })
}

/// The `status`, cursor (one sort key: creation time) and page size of an admin list.
fn queue_params(
    request: &ApiRequest<'_>,
) -> Result<(Option<String>, Option<crate::paging::Cursor>, u32)> {
    let mut params = query_params(request.query)?;
    let cursor = params
        .get("cursor")
        .map(|value| crate::paging::Cursor::decode(value, 1))
        .transpose()?;
    let limit = crate::paging::page_size(params.get("limit").map(String::as_str))?;
    Ok((params.remove("status"), cursor, limit))
}

/// Whether the Turnstile check passes, or is off for this site.
async fn human_passes<H: HumanCheck>(
    site: &Site,
    human: &H,
    token: Option<&str>,
    client_address: Option<&str>,
) -> bool {
    let Some((_, secret)) = site.turnstile() else {
        return true;
    };
    let token = token.unwrap_or_default();
    !token.is_empty() && human.passes(secret, token, client_address).await
}

async fn nps_summary<S: Store>(
    request: &ApiRequest<'_>,
    site: &Site,
    store: &S,
) -> Result<ApiResponse> {
    let range = DateRange::of(request)?;
    let counts = store
        .nps_counts(&site.key, range.from_ms, range.to_ms)
        .await?;
    Ok(ApiResponse::json(
        200,
        &counts.summary(range.from, range.to),
    ))
}

/// The `from` and `to` query parameters of the NPS reads: whole UTC days, inclusive.
struct DateRange {
    from: Option<String>,
    to: Option<String>,
    from_ms: i64,
    to_ms: i64,
}

impl DateRange {
    fn of(request: &ApiRequest<'_>) -> Result<DateRange> {
        let mut params = query_params(request.query)?;
        let from = params.remove("from");
        let to = params.remove("to");
        let from_ms = from
            .as_deref()
            .map(|day| validate::day_start_ms("from", day))
            .transpose()?
            .unwrap_or(0);
        let to_ms = to
            .as_deref()
            .map(|day| validate::day_start_ms("to", day).map(|start| start + DAY_MS))
            .transpose()?
            .unwrap_or(FOREVER_MS);
        if from_ms >= to_ms {
            return Err(Error::InvalidQuery {
                param: "from".to_owned(),
                message: "from must be on or before to".to_owned(),
            });
        }
        Ok(DateRange {
            from,
            to,
            from_ms,
            to_ms,
        })
    }
}
