//! The Portevoix worker: turns Workers requests into [`portevoix_core::api`] calls over a
//! D1 store, and back. Static files (the loader and the widgets' Wasm) are served by the
//! Workers assets binding before this code runs; see `wrangler.toml`.
//!
//! A cron trigger drains the webhook outbox every minute.
//!
//! Run locally with `npm start`; deploy with `npm run deploy`.

mod d1;
mod limits;
mod turnstile;
mod webhooks;

use futures_util::StreamExt;
use portevoix_core::Error;
use portevoix_core::api::{self, ApiRequest, ApiResponse};
use portevoix_core::export::Export;
use worker::{
    Context, Date, Env, Headers, Method, Request, Response, ScheduleContext, ScheduledEvent,
    console_error, console_log, event,
};

#[event(fetch)]
async fn fetch(mut request: Request, env: Env, _context: Context) -> worker::Result<Response> {
    let method = request.method();
    let url = request.url()?;
    let header = |name: &str| request.headers().get(name).ok().flatten();
    let (origin, authorization, content_type, client_address) = (
        header("origin"),
        header("authorization"),
        header("content-type"),
        header("cf-connecting-ip"),
    );
    let (if_none_match, user_agent, signature, cookie) = (
        header("if-none-match"),
        header("user-agent"),
        header("portevoix-signature"),
        header("cookie"),
    );
    let base_url = url.origin().ascii_serialization();
    let body = if method == Method::Get || method == Method::Options || method == Method::Head {
        Vec::new()
    } else {
        read_capped_body(&mut request, api::body_limit(url.path())).await?
    };
    let api_request = ApiRequest {
        method: method.as_ref(),
        path: url.path(),
        query: url.query().unwrap_or_default(),
        origin: origin.as_deref(),
        authorization: authorization.as_deref(),
        cookie: cookie.as_deref(),
        content_type: content_type.as_deref(),
        client_address: client_address.as_deref(),
        if_none_match: if_none_match.as_deref(),
        user_agent: user_agent.as_deref(),
        signature: signature.as_deref(),
        base_url: &base_url,
        body: &body,
        now_ms: Date::now().as_millis() as i64,
    };
    let store = env.d1("DB").map(d1::D1Store::new);
    let mut response = match &store {
        Ok(store) => {
            let limiter = limits::WorkersLimiter::new(&env);
            let human = turnstile::Turnstile::new(&env);
            api::handle(&api_request, store, &limiter, &human).await
        }
        Err(error) => ApiResponse::error(&Error::Storage(format!("D1 binding DB: {error}"))),
    };
    // Only a handled request (so one with a store) carries an export.
    let body = match (response.export.take(), store) {
        (Some(export), Ok(store)) => Body::Streamed(export_stream(export, store)),
        _ => Body::Whole,
    };
    into_worker_response(response, body)
}

/// How a response's body is sent.
enum Body<S> {
    /// As `ApiResponse::body`.
    Whole,
    /// Chunk by chunk, as made.
    Streamed(S),
}

/// A table export's chunks, each read from D1 when the client is ready for it. A failure
/// midway ends the stream with an error, so the download fails rather than looking whole.
fn export_stream(
    export: Export,
    store: d1::D1Store,
) -> impl futures_util::Stream<Item = worker::Result<Vec<u8>>> + 'static {
    futures_util::stream::unfold(Some((export, store)), |state| async move {
        let (mut export, store) = state?;
        match export.next_chunk(&store).await {
            Ok(Some(chunk)) => Some((Ok(chunk.into_bytes()), Some((export, store)))),
            Ok(None) => None,
            Err(error) => {
                console_error!("portevoix export: {error}");
                Some((Err(worker::Error::RustError(error.to_string())), None))
            }
        }
    })
}

/// The cron (every minute, see `wrangler.toml`): sends the webhook deliveries that are due.
#[event(scheduled)]
async fn scheduled(_event: ScheduledEvent, env: Env, _context: ScheduleContext) {
    let database = match env.d1("DB") {
        Ok(database) => database,
        Err(error) => {
            console_error!("portevoix webhooks: D1 binding DB: {error}");
            return;
        }
    };
    let store = d1::D1Store::new(database);
    let now_ms = Date::now().as_millis() as i64;
    match portevoix_core::webhooks::drain(&store, &webhooks::FetchSender, now_ms).await {
        Ok(report) if report != Default::default() => console_log!(
            "portevoix webhooks: {} delivered, {} to retry, {} given up",
            report.delivered,
            report.retrying,
            report.given_up
        ),
        Ok(_) => {}
        Err(error) => console_error!("portevoix webhooks: {error}"),
    }
}

/// Keeps at most one byte more than the route accepts (`limit`), so an oversized body is
/// refused without being buffered whole. The rest is still read and dropped: a request
/// whose body is left unread breaks the connection it came on.
async fn read_capped_body(request: &mut Request, limit: usize) -> worker::Result<Vec<u8>> {
    let mut body = Vec::new();
    let Ok(mut stream) = request.stream() else {
        return Ok(body);
    };
    while let Some(chunk) = stream.next().await {
        let chunk = chunk?;
        if body.len() <= limit {
            let room = limit + 1 - body.len();
            body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        }
    }
    Ok(body)
}

fn into_worker_response<S>(response: ApiResponse, body: Body<S>) -> worker::Result<Response>
where
    S: futures_util::Stream<Item = worker::Result<Vec<u8>>> + 'static,
{
    if let Some(detail) = &response.log {
        console_error!("portevoix: {detail}");
    }
    let headers = Headers::new();
    for (name, value) in &response.headers {
        headers.set(name, value)?;
    }
    let worker_response = match body {
        Body::Streamed(chunks) => Response::from_stream(chunks)?,
        Body::Whole if response.body.is_empty() => Response::empty()?,
        Body::Whole => Response::ok(response.body)?,
    };
    Ok(worker_response
        .with_status(response.status)
        .with_headers(headers))
}
