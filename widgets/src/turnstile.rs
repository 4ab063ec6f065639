//! Cloudflare Turnstile in a widget, for sites that turn the human check on: Cloudflare's
//! script is loaded once per page, only then, and renders its challenge into the form.

use std::cell::RefCell;

use futures::FutureExt;
use futures::future::{LocalBoxFuture, Shared};
use wasm_bindgen::prelude::*;
use web_sys::Element;
use yew::Callback;

const SCRIPT_URL: &str = "https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit";

thread_local! {
    static SCRIPT: RefCell<Option<Shared<LocalBoxFuture<'static, bool>>>> = const { RefCell::new(None) };
}

/// Loads Cloudflare's script into the page once; whether it loaded.
async fn load_script() -> bool {
    let future = SCRIPT.with(|script| {
        script
            .borrow_mut()
            .get_or_insert_with(|| {
                async {
                    let Some(document) = web_sys::window().and_then(|window| window.document())
                    else {
                        return false;
                    };
                    let Ok(element) = document.create_element("script") else {
                        return false;
                    };
                    let _ = element.set_attribute("src", SCRIPT_URL);
                    let _ = element.set_attribute("async", "");
                    let loaded = js_sys::Promise::new(&mut |resolve, _| {
                        let _ = element.add_event_listener_with_callback("load", &resolve);
                        let _ = element.add_event_listener_with_callback("error", &resolve);
                    });
                    if let Some(head) = document.head() {
                        let _ = head.append_child(&element);
                    }
                    let event = wasm_bindgen_futures::JsFuture::from(loaded).await;
                    event.is_ok_and(|event| {
                        js_sys::Reflect::get(&event, &"type".into())
                            .ok()
                            .and_then(|kind| kind.as_string())
                            == Some("load".to_owned())
                    })
                }
                .boxed_local()
                .shared()
            })
            .clone()
    });
    future.await
}

/// One rendered challenge; dropping it removes it.
pub struct Challenge {
    id: JsValue,
    _callbacks: [Closure<dyn FnMut(JsValue)>; 2],
}

fn turnstile() -> Option<JsValue> {
    let window = web_sys::window()?;
    js_sys::Reflect::get(&window, &"turnstile".into())
        .ok()
        .filter(|value| value.is_object())
}

fn call(method: &str, arguments: &js_sys::Array) -> Option<JsValue> {
    let api = turnstile()?;
    let function: js_sys::Function = js_sys::Reflect::get(&api, &method.into())
        .ok()?
        .dyn_into()
        .ok()?;
    function.apply(&api, arguments).ok()
}

impl Challenge {
    /// Renders the challenge into `container`; `on_token` hears each new token, and `None`
    /// when a token expires or the challenge fails.
    pub async fn render(
        container: Element,
        site_key: String,
        language: &'static str,
        on_token: Callback<Option<String>>,
    ) -> Option<Challenge> {
        if !load_script().await {
            return None;
        }
        let solved = {
            let on_token = on_token.clone();
            Closure::<dyn FnMut(JsValue)>::new(move |token: JsValue| {
                on_token.emit(token.as_string())
            })
        };
        let lost = Closure::<dyn FnMut(JsValue)>::new(move |_| on_token.emit(None));
        let options = js_sys::Object::new();
        let set =
            |key: &str, value: &JsValue| js_sys::Reflect::set(&options, &key.into(), value).ok();
        set("sitekey", &site_key.into());
        set("language", &language.into());
        set("callback", solved.as_ref());
        set("expired-callback", lost.as_ref());
        set("error-callback", lost.as_ref());
        let id = call("render", &js_sys::Array::of2(&container, &options))?;
        Some(Challenge {
            id,
            _callbacks: [solved, lost],
        })
    }

    /// Asks for a fresh token, e.g. after the worker refused a spent one.
    pub fn reset(&self) {
        call("reset", &js_sys::Array::of1(&self.id));
    }
}

impl Drop for Challenge {
    fn drop(&mut self) {
        call("remove", &js_sys::Array::of1(&self.id));
    }
}
