//! Webhook deliveries over the Workers `fetch`, for the cron that drains the outbox.

use portevoix_core::webhooks::Sender;
use worker::{Fetch, Headers, Method, Request, RequestInit};

/// Why a delivery could not be sent, as the delivery log shows it.
fn failure(error: worker::Error) -> String {
    error.to_string()
}

/// POSTs deliveries with `fetch`.
pub struct FetchSender;

impl Sender for FetchSender {
    async fn post(&self, url: &str, headers: &[(&str, String)], body: &str) -> Result<u16, String> {
        let request_headers = Headers::new();
        for (name, value) in headers {
            request_headers.set(name, value).map_err(failure)?;
        }
        let mut init = RequestInit::new();
        init.with_method(Method::Post)
            .with_headers(request_headers)
            .with_body(Some(body.into()));
        let request = Request::new_with_init(url, &init).map_err(failure)?;
        let response = Fetch::Request(request).send().await.map_err(failure)?;
        Ok(response.status_code())
    }
}
