//! The widgets' client of the worker API: one `fetch` helper, and the site configuration
//! fetched once per page and shared by every widget of that site.

use std::cell::RefCell;
use std::rc::Rc;

use futures::FutureExt;
use futures::future::{LocalBoxFuture, Shared};
use portevoix_core::dict::Dict;
use portevoix_core::form::{Hold, Refusal};
use portevoix_core::listing::Failure;
use portevoix_core::outbox;
use portevoix_core::wire::{ErrorBody, HelpfulCounted, HelpfulVote, PublicSiteConfig};
use wasm_bindgen::JsValue;
use web_sys::RequestCredentials;

use portevoix_web as json;

/// How a call to the worker ended, from the widget's point of view.
#[derive(Debug, Clone, PartialEq)]
pub enum CallError {
    /// No answer or a 5xx: the request may be retried with the same idempotency key.
    Network(String),
    /// A 429: over one of the worker's rate limits, nothing stored; the same request may
    /// be retried once `retry_after_seconds` (its `Retry-After`) have passed.
    RateLimited {
        /// How long the worker asked to wait; 0 when it did not say.
        retry_after_seconds: u32,
    },
    /// A 4xx (a 429 too, when the worker says a limit will not renew within the minute,
    /// e.g. `invitations_exhausted`): the worker refused the request and stored nothing;
    /// retrying will not help.
    Refused {
        /// The error code, e.g. `invalid_field`.
        code: String,
        /// The worker's message, for the page's developer.
        message: String,
        /// The field at fault, when the worker named one.
        field: Option<String>,
    },
}

impl CallError {
    /// The code reported in `pv:error` events.
    pub fn code(&self) -> &str {
        match self {
            CallError::Network(_) => "network",
            CallError::RateLimited { .. } => "rate_limited",
            CallError::Refused { code, .. } => code,
        }
    }

    /// What the visitor is told when this error met their answer.
    pub fn refusal(&self) -> Refusal {
        match self {
            CallError::Refused { code, field, .. } => Refusal::from_error(code, field.as_deref()),
            CallError::Network(_) | CallError::RateLimited { .. } => Refusal::Other,
        }
    }

    /// Why a list this error met could not be read: whether asking again may bring it.
    pub fn failure(&self) -> Failure {
        match self {
            CallError::Network(_) | CallError::RateLimited { .. } => Failure::Unreachable,
            CallError::Refused { .. } => Failure::Refused,
        }
    }

    /// Why a write this error met waits in the outbox, as the visitor is told.
    pub fn hold(&self) -> Hold {
        match self {
            CallError::RateLimited { .. } => Hold::Busy,
            CallError::Network(_) | CallError::Refused { .. } => Hold::Unreachable,
        }
    }

    /// Whether the same request may be sent again, and if so how long the worker asked to
    /// wait first (ms; 0 when it asked for nothing).
    pub fn retry_wait_ms(&self) -> Option<u64> {
        match self {
            CallError::Network(_) => Some(0),
            CallError::RateLimited {
                retry_after_seconds,
            } => Some(u64::from(*retry_after_seconds) * 1000),
            CallError::Refused { .. } => None,
        }
    }

    /// The message reported in `pv:error` events.
    pub fn message(&self) -> &str {
        match self {
            CallError::Network(message) | CallError::Refused { message, .. } => message,
            CallError::RateLimited { .. } => {
                "too many requests: the worker asked to wait (Retry-After)"
            }
        }
    }
}

/// Tells the page's developer what went wrong: a console warning and a `pv:error` event
/// from the element.
pub fn report(host: &web_sys::HtmlElement, widget: &str, site: &str, error: &CallError) {
    web_sys::console::warn_1(&JsValue::from_str(&format!(
        "portevoix <pv-{widget}>: {} ({})",
        error.message(),
        error.code()
    )));
    crate::host::emit(
        host,
        "pv:error",
        &[
            ("widget", widget.into()),
            ("site", site.into()),
            ("code", error.code().into()),
            ("message", error.message().into()),
        ],
    );
}

/// What a product widget (reviews, Q&A) reports when its element has no usable `product`
/// attribute: it has nothing to ask the worker for.
pub fn missing_product(widget: &str) -> CallError {
    CallError::Refused {
        code: "invalid_field".into(),
        message: format!(
            "<pv-{widget}> needs a product=\"…\" attribute of A-Z, a-z, 0-9, '-', '_' and '.'"
        ),
        field: Some("product".into()),
    }
}

/// Casts this visitor's helpful vote at `url` (a review's or an answer's) and remembers it
/// in this browser, so that the button shows as pressed after a reload: the count the
/// worker now holds, or `None` when its answer could not be read (nothing remembered).
pub async fn vote_helpful(url: &str, id: &str) -> Result<Option<u64>, CallError> {
    let vote = HelpfulVote {
        visitor_id: crate::host::visitor_id(),
    };
    let Ok(body) = json::to_string(&vote) else {
        return Ok(None);
    };
    let text = call("POST", url, Some(&body)).await?;
    let Ok(counted) = json::from_str::<HelpfulCounted>(&text) else {
        return Ok(None);
    };
    crate::host::remember_helpful_vote(id);
    Ok(Some(counted.helpful_count))
}

/// Calls the worker and returns the body of a 2xx answer. Credentials are never sent: the
/// worker identifies visitors by the ids in the body, not by cookies.
pub async fn call(method: &str, url: &str, json_body: Option<&str>) -> Result<String, CallError> {
    call_with_authorization(method, url, json_body, None).await
}

/// A GET of what a widget shows, [`call`]ed again while the network fails or the worker
/// asks to wait (see [`waited_to_retry`]): a moment without connection does not leave a
/// product page without its reviews, or an advocate offered to join again. A refusal is
/// final.
pub async fn read(url: &str, authorization: Option<&str>) -> Result<String, CallError> {
    let mut retries = 0;
    loop {
        let outcome = call_with_authorization("GET", url, None, authorization).await;
        match &outcome {
            Err(error) if waited_to_retry(&mut retries, error).await => {}
            _ => return outcome,
        }
    }
}

/// Waits before a read that met `error` is asked again ([`outbox::read_retry_ms`]: 1, 2
/// then 4 seconds, or what the worker's `Retry-After` asked). False, at once, for a
/// refusal, once the retries are spent, or when the worker asks for longer than a visitor
/// would wait.
async fn waited_to_retry(retries: &mut usize, error: &CallError) -> bool {
    let Some(wait_ms) = error
        .retry_wait_ms()
        .and_then(|asked| outbox::read_retry_ms(*retries, asked))
    else {
        return false;
    };
    yew::platform::time::sleep(std::time::Duration::from_millis(wait_ms)).await;
    *retries += 1;
    true
}

/// [`call`] with an `Authorization` header, e.g. `Customer <token>` for the routes that
/// answer a known customer.
pub async fn call_with_authorization(
    method: &str,
    url: &str,
    json_body: Option<&str>,
    authorization: Option<&str>,
) -> Result<String, CallError> {
    let authorization = authorization.map(|value| ("authorization", value));
    let answer = portevoix_web::fetch_text(
        method,
        url,
        json_body,
        RequestCredentials::Omit,
        authorization.as_slice(),
        Some(STALLED_AFTER_SECONDS),
    )
    .await;
    body_of(answer)
}

/// How long a request to the worker may go unanswered before it counts as failed (and is
/// tried again, or its answer kept for later), as the loader counts a stalled Wasm.
const STALLED_AFTER_SECONDS: u32 = 20;

/// The body of a 2xx answer, or what the widget should make of any other outcome.
fn body_of(answer: Result<json::Answer, String>) -> Result<String, CallError> {
    let json::Answer {
        status,
        text,
        retry_after_seconds,
    } = answer.map_err(CallError::Network)?;
    let detail = (400..=499)
        .contains(&status)
        .then(|| json::from_str::<ErrorBody>(&text).ok())
        .flatten();
    let rate_limited = detail
        .as_ref()
        .is_none_or(|body| body.error.code == "rate_limited");
    match status {
        200..=299 => Ok(text),
        429 if rate_limited => Err(CallError::RateLimited {
            retry_after_seconds: retry_after_seconds.unwrap_or_default(),
        }),
        400..=499 => Err(CallError::Refused {
            code: detail
                .as_ref()
                .map_or_else(|| format!("http_{status}"), |body| body.error.code.clone()),
            field: detail.as_ref().and_then(|body| body.error.field.clone()),
            message: detail.map_or(text, |body| body.error.message),
        }),
        _ => Err(CallError::Network(format!("the server answered {status}"))),
    }
}

type ConfigFuture = Shared<LocalBoxFuture<'static, Result<Rc<PublicSiteConfig>, CallError>>>;

thread_local! {
    static CONFIGS: RefCell<Dict<String, ConfigFuture>> = RefCell::new(Dict::new());
}

fn config_url(api_base: &str, site: &str) -> String {
    format!("{api_base}v1/sites/{site}/config")
}

/// Reads a site configuration out of its answer.
async fn config_from(
    answer: impl Future<Output = Result<json::Answer, String>>,
) -> Result<Rc<PublicSiteConfig>, CallError> {
    let body = body_of(answer.await)?;
    json::from_str::<PublicSiteConfig>(&body)
        .map(Rc::new)
        .map_err(|error| CallError::Network(format!("unreadable site configuration: {error}")))
}

/// The public configuration of `site`, fetched at most once per page. A failed fetch is
/// forgotten so that the next widget to ask tries again.
pub async fn site_config(api_base: &str, site: &str) -> Result<Rc<PublicSiteConfig>, CallError> {
    let url = config_url(api_base, site);
    let future = CONFIGS.with_borrow_mut(|configs| {
        configs
            .get_or_insert_with(url.clone(), || {
                let url = url.clone();
                async move {
                    config_from(portevoix_web::fetch_text(
                        "GET",
                        &url,
                        None,
                        RequestCredentials::Omit,
                        &[],
                        Some(STALLED_AFTER_SECONDS),
                    ))
                    .await
                }
                .boxed_local()
                .shared()
            })
            .clone()
    });
    let result = future.await;
    if result.is_err() {
        CONFIGS.with(|configs| configs.borrow_mut().remove(&url));
    }
    result
}

/// Takes the configuration request of `site` that the loader sent alongside the Wasm, so
/// the first widget does not wait for a request of its own once the Wasm has started.
pub fn adopt_config_request(api_base: &str, site: &str, pending: js_sys::Promise) {
    let future = config_from(portevoix_web::response_text(
        pending,
        Some(STALLED_AFTER_SECONDS),
    ))
    .boxed_local()
    .shared();
    CONFIGS.with_borrow_mut(|configs| {
        configs.get_or_insert_with(config_url(api_base, site), || future.clone());
    });
    // Read as soon as it arrives, so that the first widget finds it already read rather
    // than parsing it in one of its own start-up tasks.
    crate::host::spawn_local(future.map(drop));
}

/// [`site_config`], tried again as a [`read`] is while the network fails, before the
/// widget gives up and says it is unavailable. A page that names no site is told so at once.
pub async fn site_config_with_retries(
    api_base: &str,
    site: &str,
) -> Result<Rc<PublicSiteConfig>, CallError> {
    if site.is_empty() {
        return Err(CallError::Refused {
            code: "site_missing".into(),
            message:
                "no site: set data-site on the portevoix.js script tag, or site on the element"
                    .into(),
            field: None,
        });
    }
    let mut retries = 0;
    loop {
        let outcome = site_config(api_base, site).await;
        match &outcome {
            Err(error) if waited_to_retry(&mut retries, error).await => {}
            _ => return outcome,
        }
    }
}
