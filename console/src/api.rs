//! The console's client of the worker API: same-origin calls that carry the session
//! cookie (the browser attaches it; no script can read it).

use std::cell::RefCell;

use js_sys::{Function, Promise};
use portevoix_core::outbox::ResendKey;
use portevoix_core::wire::{ConsoleSession, ErrorBody, SignIn};
use portevoix_web::hooks::{StateHandle, use_effect_with, use_state};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use web_sys::RequestCredentials;
use yew::platform::spawn_local;
use yew::prelude::*;

/// Why a call failed, as the console tells the marketer.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The session is missing or over: nothing was done; sign in again, then try again.
    SignedOut,
    /// The worker refused the request; its message says why.
    Refused(String),
    /// No answer, or a server error: try again.
    Network(String),
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApiError::SignedOut => formatter
                .write_str("Not done, as your session had ended: sign in again, then try again."),
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

/// A fresh idempotency key for a write the marketer makes.
pub fn random_key() -> String {
    web_sys::window()
        .and_then(|window| window.crypto().ok())
        .map(|crypto| crypto.random_uuid())
        .unwrap_or_else(|| format!("console-{}", js_sys::Date::now()))
}

/// Ends an attempt at a write whose key `keys` gave: one the worker answered (stored, or
/// refused and stored nothing) frees the key; one with no answer keeps it, so that the
/// same write sent again is stored once.
pub fn settle_key<W: PartialEq, T>(keys: &RefCell<ResendKey<W>>, outcome: &Result<T, ApiError>) {
    if !matches!(outcome, Err(ApiError::Network(_))) {
        keys.borrow_mut().answered();
    }
}

/// The path of a route of `site`, e.g. `/v1/sites/cairn/nps/report`.
pub fn site_path(site: &str, route: &str) -> String {
    format!("/v1/sites/{site}/{route}")
}

/// A call with no whole answer by then counts as failed, so that a marketer on a dropped
/// connection is told to try again rather than left with "Loading…". Longer than the
/// widgets' 20 s: some reads (a year of NPS, a person's data) take the worker a while.
const STALLED_AFTER_SECONDS: u32 = 30;

/// The watch over the session while the marketer is signed in: what to call when a call
/// finds the session over, and the calls waiting for the marketer to sign in again (each
/// a promise's `resolve`, given the site signed in to, or null if none).
struct Watch {
    on_ended: Callback<()>,
    waiting: Vec<Function>,
}

thread_local! {
    /// Set while a [`SessionWatch`] is mounted.
    static WATCH: RefCell<Option<Watch>> = const { RefCell::new(None) };
}

/// What [`SessionWatch`] calls and resumes on.
#[derive(Properties, PartialEq)]
pub struct SessionWatchProps {
    /// Called when a call finds the session over, to ask the marketer to sign in again.
    pub on_ended: Callback<()>,
    /// The site signed in to.
    pub site: String,
    /// How many times the marketer has signed in again: each time resumes the waiting calls.
    pub signed_in_again: u32,
}

/// Mounted while the marketer is signed in, so that a call from any page that finds the
/// session over (401) asks the marketer to sign in again, waits, and is then made again:
/// the read or the write the marketer asked for is done, with no page having to handle it.
/// A call waiting when the marketer signs out, or signs in to another site, fails as
/// [`ApiError::SignedOut`].
#[function_component(SessionWatch)]
pub fn session_watch(props: &SessionWatchProps) -> Html {
    let on_ended = props.on_ended.clone();
    use_effect_with((), move |_| {
        WATCH.set(Some(Watch {
            on_ended,
            waiting: Vec::new(),
        }));
        || {
            resume_waiting(None);
            WATCH.set(None);
        }
    });
    use_effect_with((props.site.clone(), props.signed_in_again), |(site, _)| {
        resume_waiting(Some(site))
    });
    Html::default()
}

/// Resumes every call waiting for a sign-in, telling it the site now signed in to.
fn resume_waiting(site: Option<&str>) {
    let waiting = WATCH.with_borrow_mut(|watch| {
        watch
            .as_mut()
            .map(|watch| std::mem::take(&mut watch.waiting))
            .unwrap_or_default()
    });
    let site = site.map_or(JsValue::NULL, JsValue::from_str);
    for resume in waiting {
        let _ = resume.call1(&JsValue::NULL, &site);
    }
}

/// Asks the marketer to sign in again and waits for it, when a [`SessionWatch`] is
/// mounted: true once signed in again to the site `path` belongs to.
async fn signed_in_again(path: &str) -> bool {
    let mut on_ended = None;
    let resumed = Promise::new(&mut |resolve, _| {
        WATCH.with_borrow_mut(|watch| {
            if let Some(watch) = watch {
                watch.waiting.push(resolve);
                on_ended = Some(watch.on_ended.clone());
            }
        });
    });
    let Some(on_ended) = on_ended else {
        return false;
    };
    on_ended.emit(());
    JsFuture::from(resumed)
        .await
        .ok()
        .and_then(|site| site.as_string())
        .is_some_and(|site| path.starts_with(&site_path(&site, "")))
}

/// What a 401 answer means to a call.
#[derive(Clone, Copy, PartialEq)]
enum Unauthorized {
    /// The session ended under a page: ask to sign in again, then make the call again.
    SessionEnded,
    /// The answer itself, for the session's own calls (no session yet, a wrong token).
    Answer,
}

async fn call(method: &str, path: &str, body: Option<String>) -> Result<String, ApiError> {
    call_with(method, path, body, Unauthorized::SessionEnded).await
}

async fn call_with(
    method: &str,
    path: &str,
    body: Option<String>,
    unauthorized: Unauthorized,
) -> Result<String, ApiError> {
    let (status, text) = loop {
        let portevoix_web::Answer { status, text, .. } = portevoix_web::fetch_text(
            method,
            path,
            body.as_deref(),
            RequestCredentials::SameOrigin,
            &[],
            Some(STALLED_AFTER_SECONDS),
        )
        .await
        .map_err(ApiError::Network)?;
        if status != 401 || unauthorized == Unauthorized::Answer || !signed_in_again(path).await {
            break (status, text);
        }
    };
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

fn json_body<B: Serialize>(body: &B) -> Result<String, ApiError> {
    portevoix_web::to_string(body).map_err(|error| ApiError::Network(error.to_string()))
}

/// `POST path` with a JSON body, parsed.
pub async fn post<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    parse(&call("POST", path, Some(json_body(body)?)).await?)
}

/// `POST path` with a JSON body, for actions whose answer is not needed.
pub async fn post_unanswered<B: Serialize>(path: &str, body: &B) -> Result<(), ApiError> {
    call("POST", path, Some(json_body(body)?)).await.map(|_| ())
}

/// `POST path` without a body, for actions whose answer is not needed.
pub async fn post_empty(path: &str) -> Result<(), ApiError> {
    call("POST", path, None).await.map(|_| ())
}

/// The session `site`'s cookie opens, if any.
pub async fn current_session(site: &str) -> Result<ConsoleSession, ApiError> {
    let path = site_path(site, "console/session");
    parse(&call_with("GET", &path, None, Unauthorized::Answer).await?)
}

/// Opens a session on `site` with its admin token; [`ApiError::SignedOut`] when the token
/// does not open it.
pub async fn sign_in(site: &str, token: String) -> Result<ConsoleSession, ApiError> {
    let path = site_path(site, "console/session");
    let body = json_body(&SignIn { token })?;
    parse(&call_with("POST", &path, Some(body), Unauthorized::Answer).await?)
}

/// Ends the session on `site`.
pub async fn sign_out(site: &str) -> Result<(), ApiError> {
    let path = site_path(site, "console/sign-out");
    call_with("POST", &path, None, Unauthorized::Answer)
        .await
        .map(|_| ())
}

/// Starts a page's read, and gives back what drops it: the effect that started the read
/// returns it, so that a read the page no longer wants (the page was left, or a newer read
/// replaced it when the filters changed) stops where it stands. It then neither shows its
/// late answer over the newer one, nor makes the requests it had left, nor asks the
/// marketer to sign in for a page no longer shown.
pub fn start_read(read: impl Future<Output = ()> + 'static) -> impl FnOnce() {
    let (read, handle) = futures::future::abortable(read);
    spawn_local(async move {
        let _ = read.await;
    });
    move || handle.abort()
}

/// What an admin read holds: nothing yet, or the worker's answer.
pub type Loaded<T> = StateHandle<Option<Result<T, ApiError>>>;

/// Reads `path` (when there is one) at first and again whenever it or `generation`
/// changes, for as long as the page is shown.
#[hook]
pub fn use_admin_read<T: DeserializeOwned + 'static>(
    path: Option<String>,
    generation: u32,
) -> Loaded<T> {
    let loaded = use_state(|| None);
    {
        let loaded = loaded.clone();
        use_effect_with((path, generation), move |(path, _)| {
            let path = path.clone();
            start_read(async move {
                if let Some(path) = path {
                    loaded.set(Some(get::<T>(&path).await));
                }
            })
        });
    }
    loaded
}

/// What a page shows for an admin read: a wait, why it failed, or `ready` of the answer.
pub fn view<T>(loaded: &Option<Result<T, ApiError>>, ready: impl FnOnce(&T) -> Html) -> Html {
    match loaded {
        None => html! { <p aria-live="polite">{ "Loading…" }</p> },
        Some(Err(error)) => html! { <p role="alert" class="problem">{ error.to_string() }</p> },
        Some(Ok(answer)) => ready(answer),
    }
}
