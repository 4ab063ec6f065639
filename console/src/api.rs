//! The console's client of the worker API: same-origin calls that carry the session
//! cookie (the browser attaches it; no script can read it).

use portevoix_core::wire::ErrorBody;
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestCredentials, RequestInit, Response};

/// Why a call failed, as the console tells the marketer.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The session is missing or over: sign in again.
    SignedOut,
    /// The worker refused the request; its message says why.
    Refused(String),
    /// No answer, or a server error: try again.
    Network(String),
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApiError::SignedOut => formatter.write_str("Your session has ended: sign in again."),
            ApiError::Refused(message) => formatter.write_str(message),
            ApiError::Network(message) => {
                write!(
                    formatter,
                    "The server could not be reached ({message}); try again."
                )
            }
        }
    }
}

fn js_message(value: JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|error| String::from(error.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| "request failed".to_owned())
}

/// The path of a route of `site`, e.g. `/v1/sites/cairn/nps/report`.
pub fn site_path(site: &str, route: &str) -> String {
    format!("/v1/sites/{site}/{route}")
}

async fn call(method: &str, path: &str, body: Option<String>) -> Result<String, ApiError> {
    let init = RequestInit::new();
    init.set_method(method);
    init.set_credentials(RequestCredentials::SameOrigin);
    if let Some(body) = &body {
        init.set_body(&JsValue::from_str(body));
    }
    let request = Request::new_with_str_and_init(path, &init)
        .map_err(|error| ApiError::Network(js_message(error)))?;
    if body.is_some() {
        request
            .headers()
            .set("content-type", "application/json")
            .map_err(|error| ApiError::Network(js_message(error)))?;
    }
    let window = web_sys::window().ok_or_else(|| ApiError::Network("no window".into()))?;
    let response: Response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(|error| ApiError::Network(js_message(error)))?
        .unchecked_into();
    let status = response.status();
    let text_promise = response
        .text()
        .map_err(|error| ApiError::Network(js_message(error)))?;
    let text = JsFuture::from(text_promise)
        .await
        .map_err(|error| ApiError::Network(js_message(error)))?
        .as_string()
        .unwrap_or_default();
    match status {
        200..=299 => Ok(text),
        401 => Err(ApiError::SignedOut),
        400..=499 => Err(ApiError::Refused(
            portevoix_web::from_str::<ErrorBody>(&text)
                .map(|body| body.error.message)
                .unwrap_or_else(|_| format!("the server refused the request ({status})")),
        )),
        _ => Err(ApiError::Network(format!("the server answered {status}"))),
    }
}

fn parse<T: DeserializeOwned>(text: &str) -> Result<T, ApiError> {
    portevoix_web::from_str(text)
        .map_err(|error| ApiError::Network(format!("unreadable answer: {error}")))
}

/// `GET path`, parsed.
pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    parse(&call("GET", path, None).await?)
}

/// `POST path` with a JSON body, parsed.
pub async fn post<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    let body =
        portevoix_web::to_string(body).map_err(|error| ApiError::Network(error.to_string()))?;
    parse(&call("POST", path, Some(body)).await?)
}

/// `POST path` without a body, for actions whose answer is not needed.
pub async fn post_empty(path: &str) -> Result<(), ApiError> {
    call("POST", path, None).await.map(|_| ())
}
