//! Browser plumbing shared by the widgets and the console: JSON through the browser's
//! own parser (`JSON.parse` and `JSON.stringify` do the text, serde only maps JS values
//! to Rust types: far smaller Wasm than a Rust JSON parser), one `fetch` call, the apps'
//! allocator, and Yew hooks that compile to less code ([`hooks`]).

pub mod hooks;

use js_sys::{Array, Promise};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Request, RequestCredentials, RequestInit, RequestMode, Response};

/// The allocator of every Wasm app that links this crate (the widgets and the console):
/// talc instead of the standard dlmalloc, 2 to 3 KB gzip less to download.
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// Why a JSON text could not become a value, or a value a text.
pub struct JsonError(String);

impl std::fmt::Display for JsonError {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(&self.0)
    }
}

fn js_error(error: JsValue) -> JsonError {
    JsonError(
        js_sys::Error::from(error)
            .message()
            .as_string()
            .unwrap_or_default(),
    )
}

impl From<serde_wasm_bindgen::Error> for JsonError {
    fn from(error: serde_wasm_bindgen::Error) -> Self {
        JsonError(error.to_string())
    }
}

/// Parses `text` into a `T`, as `json::from_str` would.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, JsonError> {
    Ok(serde_wasm_bindgen::from_value(parse(text)?)?)
}

/// The browser's parse of `text`: apart from [`from_str`] so that its code is there once,
/// not once per type read.
fn parse(text: &str) -> Result<JsValue, JsonError> {
    js_sys::JSON::parse(text).map_err(js_error)
}

/// Writes `value` as JSON text with plain objects for maps and `null` for `None`.
pub fn to_string<T: Serialize>(value: &T) -> Result<String, JsonError> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    stringify(&value.serialize(&serializer)?)
}

/// The browser's JSON text of `value`: apart from [`to_string`] so that its code is there
/// once, not once per type written.
fn stringify(value: &JsValue) -> Result<String, JsonError> {
    js_sys::JSON::stringify(value)
        .map(String::from)
        .map_err(js_error)
}

/// Why a `fetch` could not give an answer, as the browser said it.
fn fetch_failure(value: JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|error| String::from(error.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| "request failed".to_owned())
}

/// A whole answer to a request.
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The body's text.
    pub text: String,
    /// The seconds a 429 asked to wait (its `Retry-After`, which the worker exposes to
    /// pages), so that the caller does not ask again while it would still be refused.
    pub retry_after_seconds: Option<u32>,
}

/// Sends one request and reads its whole [`Answer`], or why no answer came. A body is
/// sent as JSON. `stalled_after` is as for [`response_text`]. A request given up on, or
/// whose future is dropped before its answer is read, is also aborted, so that the browser
/// does not keep it open (and hold one of its few connections to the worker).
pub async fn fetch_text(
    method: &str,
    url: &str,
    json_body: Option<&str>,
    credentials: RequestCredentials,
    headers: &[(&str, &str)],
    stalled_after: Option<u32>,
) -> Result<Answer, String> {
    let init = RequestInit::new();
    init.set_method(method);
    init.set_mode(RequestMode::Cors);
    init.set_credentials(credentials);
    if let Some(body) = json_body {
        init.set_body(&JsValue::from_str(body));
    }
    let abort = AbortController::new().ok();
    if let Some(abort) = &abort {
        init.set_signal(Some(&abort.signal()));
    }
    let _abort_when_dropped = AbortOnDrop(abort.clone());
    let request = Request::new_with_str_and_init(url, &init).map_err(fetch_failure)?;
    let content_type = json_body.map(|_| ("content-type", "application/json"));
    for (name, value) in content_type.iter().chain(headers) {
        request.headers().set(name, value).map_err(fetch_failure)?;
    }
    let window = web_sys::window().ok_or_else(|| "no window".to_owned())?;
    let deadline = stalled_after.map(|seconds| deadline(seconds, abort));
    read_answer(window.fetch_with_request(&request), deadline).await
}

/// Aborts its request when dropped. A request whose reader is dropped midway (a console
/// page left while its reads were under way) is then closed at once: left to its deadline,
/// its unread answer held one of the browser's few connections to the worker for 30 s.
/// Once the answer has been read whole, the abort does nothing.
struct AbortOnDrop(Option<AbortController>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(abort) = &self.0 {
            abort.abort();
        }
    }
}

/// Reads the whole [`Answer`] of a `fetch` already under way (one the loader started while
/// the Wasm was still downloading, say), or why no answer came.
/// With `stalled_after` (seconds), an answer not whole by then counts as failed: a phone
/// between networks can leave a request open for minutes, and its caller would wait with
/// it instead of trying again.
pub async fn response_text(pending: Promise, stalled_after: Option<u32>) -> Result<Answer, String> {
    read_answer(
        pending,
        stalled_after.map(|seconds| deadline(seconds, None)),
    )
    .await
}

/// The answer to `pending`, unless `deadline` fails first.
async fn read_answer(pending: Promise, deadline: Option<Promise>) -> Result<Answer, String> {
    let within = |promise: Promise| match &deadline {
        Some(deadline) => Promise::race(&Array::of2(&promise, deadline)),
        None => promise,
    };
    let response: Response = JsFuture::from(within(pending))
        .await
        .map_err(fetch_failure)?
        .unchecked_into();
    let text = JsFuture::from(within(response.text().map_err(fetch_failure)?))
        .await
        .map_err(fetch_failure)?
        .as_string()
        .unwrap_or_default();
    let status = response.status();
    let retry_after_seconds = (status == 429)
        .then(|| response.headers().get("retry-after").ok().flatten())
        .flatten()
        // Read by the browser's parseInt, not Rust's (less Wasm): whole seconds, as the
        // worker sends them; a date, which it never sends, reads as no wait (NaN as 0).
        .map(|seconds| js_sys::Number::parse_int(&seconds, 10) as u32);
    Ok(Answer {
        status,
        text,
        retry_after_seconds,
    })
}

/// A promise that fails with "no answer within N s" once `seconds` have passed, and then
/// aborts the request that `abort` controls, if any (once the promise has failed, so that
/// the caller reads this message rather than the abort's).
fn deadline(seconds: u32, abort: Option<AbortController>) -> Promise {
    Promise::new(&mut |_, reject| {
        let Some(window) = web_sys::window() else {
            return;
        };
        let after = i32::try_from(seconds.saturating_mul(1000)).unwrap_or(i32::MAX);
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_1(
            &reject,
            after,
            &JsValue::from_str(&format!("no answer within {seconds} s")),
        );
        if let Some(abort) = abort.clone() {
            let abort = Closure::once_into_js(move || abort.abort());
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                abort.unchecked_ref(),
                after,
            );
        }
    })
}
