//! The [`HumanCheck`] over Cloudflare Turnstile's siteverify endpoint. Its address comes
//! from the `TURNSTILE_VERIFY_URL` variable, so local tests can point it at a stand-in.

use portevoix_core::spam::HumanCheck;
use serde::Deserialize;
use worker::wasm_bindgen::JsValue;
use worker::{Env, Fetch, Headers, Method, Request, RequestInit, console_error};

const SITEVERIFY: &str = "https://challenges.cloudflare.com/turnstile/v0/siteverify";

/// Verifies Turnstile tokens for the worker.
pub struct Turnstile {
    verify_url: String,
}

#[derive(Deserialize)]
struct Verdict {
    success: bool,
}

impl Turnstile {
    pub fn new(env: &Env) -> Turnstile {
        let verify_url = env
            .var("TURNSTILE_VERIFY_URL")
            .map(|url| url.to_string())
            .unwrap_or_else(|_| SITEVERIFY.to_owned());
        Turnstile { verify_url }
    }

    async fn ask(&self, body: String) -> worker::Result<bool> {
        let headers = Headers::new();
        headers.set("content-type", "application/x-www-form-urlencoded")?;
        let mut init = RequestInit::new();
        init.with_method(Method::Post)
            .with_headers(headers)
            .with_body(Some(JsValue::from_str(&body)));
        let request = Request::new_with_init(&self.verify_url, &init)?;
        let mut response = Fetch::Request(request).send().await?;
        Ok(response.json::<Verdict>().await?.success)
    }
}

impl HumanCheck for Turnstile {
    async fn passes(&self, secret: &str, token: &str, client_address: Option<&str>) -> bool {
        let mut form = form_urlencoded::Serializer::new(String::new());
        form.append_pair("secret", secret)
            .append_pair("response", token);
        if let Some(address) = client_address {
            form.append_pair("remoteip", address);
        }
        self.ask(form.finish()).await.unwrap_or_else(|error| {
            console_error!("portevoix: Turnstile verification failed: {error}");
            false
        })
    }
}
