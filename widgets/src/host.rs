//! The widgets' side of the host page: attributes, events, the page's language, the
//! first-party visitor id, shadow-root styles and the host's dark-mode switch. Everything that touches the DOM outside
//! a component lives here.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;

use portevoix_core::copy::Copy;
use portevoix_core::dict::Dict;
use portevoix_core::locale::Locale;
use portevoix_core::review::markup::script_safe;
use portevoix_core::theme::{ColorMode, HOST_THEME_ATTRIBUTES, Theme};
use wasm_bindgen::prelude::*;
use web_sys::{
    CssStyleSheet, CustomEvent, CustomEventInit, HtmlElement, MediaQueryList, MutationObserver,
    MutationObserverInit, ShadowRoot,
};
use yew::prelude::*;

use portevoix_web as json;

use portevoix_web::hooks::use_effect_with;

const VISITOR_ID_KEY: &str = "portevoix.visitor";

thread_local! {
    static SHEETS: RefCell<Dict<String, CssStyleSheet>> = RefCell::new(Dict::new());
    static VISITOR_ID: RefCell<Option<String>> = const { RefCell::new(None) };
    static CONTRAST_WARNED: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// An attribute of the custom element, `None` when absent or blank.
pub fn attribute(host: &HtmlElement, name: &str) -> Option<String> {
    host.get_attribute(name)
        .map(|value| value.trim().to_owned())
        .filter(|value| !value.is_empty())
}

/// Dispatches a `pv:*` event from the element: bubbling and composed, so the host page can
/// listen on `document` whatever shadow root the widget sits in. A widget's first
/// `pv:ready` or `pv:error` ends its start-up: the next widget may start.
pub fn emit(host: &HtmlElement, name: &str, detail: &[(&str, JsValue)]) {
    let object = js_sys::Object::new();
    for (key, value) in detail {
        let _ = js_sys::Reflect::set(&object, &JsValue::from_str(key), value);
    }
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(&object);
    if let Ok(event) = CustomEvent::new_with_event_init_dict(name, &init) {
        let _ = host.dispatch_event(&event);
    }
    if matches!(name, "pv:ready" | "pv:error") {
        fit_reservation(host);
        crate::startup::finish(host);
    }
}

/// Fits the widget to the element's reserved height (the `min-height` the README has
/// brands set, or the loader's) when its drawing is shorter. When the empty part lies
/// below the viewport, it is given back: only what the visitor cannot see moves up, and a
/// widget drawn ahead of the visitor's scrolling leaves no gap under it. A widget drawn in
/// view keeps its reservation, as giving it back would move the page under the visitor's
/// eyes, and its card grows to fill it (class `fill`), so that no empty band shows
/// between it and what follows. Either way a later, shorter state moves nothing.
fn fit_reservation(host: &HtmlElement) {
    let (Some(drawn), Some(viewport_height)) = (
        host.shadow_root()
            .and_then(|root| root.first_element_child()),
        web_sys::window()
            .and_then(|window| window.inner_height().ok())
            .and_then(|height| height.as_f64()),
    ) else {
        return;
    };
    let drawn_box = drawn.get_bounding_client_rect();
    let unused = host.get_bounding_client_rect().bottom() - drawn_box.bottom();
    if unused < 1.0 {
        return;
    }
    if drawn_box.bottom() >= viewport_height {
        let height = format!("{}px", drawn_box.height().ceil() as u32);
        let _ = host.style().set_property("min-height", &height);
    } else {
        drawn.set_class_name("fill");
    }
}

/// The language to speak: the element's `lang`, else the page's `<html lang>`, else the
/// browser's preferences, else the site's default.
pub fn locale(host: &HtmlElement, site_default: Locale) -> Locale {
    let element_lang = attribute(host, "lang");
    let page_lang = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.document_element())
        .and_then(|html| html.get_attribute("lang"));
    let browser_langs: Vec<String> = web_sys::window()
        .map(|window| window.navigator().languages())
        .map(|languages| {
            languages
                .iter()
                .filter_map(|value| value.as_string())
                .collect()
        })
        .unwrap_or_default();
    let preferences = element_lang
        .iter()
        .chain(page_lang.iter())
        .chain(browser_langs.iter())
        .map(String::as_str);
    Locale::negotiate(preferences).unwrap_or(site_default)
}

/// 128 random bits as hex, from the browser's CSPRNG (which, unlike `randomUUID`, also
/// exists on pages served without TLS). Should it ever be missing, `Math.random` still
/// keeps ids apart: equal idempotency keys would silently merge different answers.
pub fn random_id() -> String {
    let mut bytes = [0u8; 16];
    let from_crypto = web_sys::window()
        .and_then(|window| window.crypto().ok())
        .is_some_and(|crypto| crypto.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !from_crypto {
        for byte in &mut bytes {
            *byte = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The host page's localStorage; `None` where the browser blocks it.
pub fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|window| window.local_storage().ok().flatten())
}

/// The id this browser already has: cached for the page, else kept in storage.
fn existing_visitor_id(storage: Option<&web_sys::Storage>) -> Option<String> {
    VISITOR_ID.with_borrow(Clone::clone).or_else(|| {
        storage?
            .get_item(VISITOR_ID_KEY)
            .ok()
            .flatten()
            .filter(|id| portevoix_core::validate::opaque_id("visitor_id", id).is_ok())
    })
}

/// The visitor's random first-party id, kept in the host page's localStorage and made on
/// the visitor's first write. Where storage is blocked, the id lives as long as the page.
pub fn visitor_id() -> String {
    let storage = local_storage();
    let id = existing_visitor_id(storage.as_ref()).unwrap_or_else(|| {
        let fresh = random_id();
        if let Some(storage) = &storage {
            let _ = storage.set_item(VISITOR_ID_KEY, &fresh);
        }
        fresh
    });
    VISITOR_ID.set(Some(id.clone()));
    id
}

/// The id to look a visitor's own records up by (their points, their referral code).
/// None for an anonymous visitor this browser has no id for: they have nothing to find,
/// so no request is made and nothing of ours is kept in their storage. A signed-in
/// customer gets an id, as the worker moves its records to them.
pub fn visitor_to_look_up(signed_in: bool) -> Option<String> {
    if signed_in {
        Some(visitor_id())
    } else {
        existing_visitor_id(local_storage().as_ref())
    }
}

/// The current page's URL, as sent with answers.
pub fn page_href() -> Option<String> {
    web_sys::window().and_then(|window| window.location().href().ok())
}

/// The stylesheet cached under `key`, made from `css()` the first time it is asked for.
fn cached_sheet(key: &str, css: impl FnOnce() -> String) -> Option<CssStyleSheet> {
    SHEETS.with(|sheets| {
        if let Some(sheet) = sheets.borrow().get(key) {
            return Some(sheet.clone());
        }
        let sheet = CssStyleSheet::new().ok()?;
        sheet.replace_sync(&css()).ok()?;
        sheets.borrow_mut().insert(key.to_owned(), sheet.clone());
        Some(sheet)
    })
}

/// Runs `future` on the page's event loop, as `spawn_local` does, boxed first: the task
/// code is then in the Wasm once, not once per future type.
pub fn spawn_local(future: impl Future<Output = ()> + 'static) {
    let boxed: Pin<Box<dyn Future<Output = ()>>> = Box::pin(future);
    wasm_bindgen_futures::spawn_local(boxed);
}

/// Resumes in a later task, letting the browser handle input and paint in between: a
/// widget's start-up is cut into steps this way so that none holds the main thread long.
/// Through `scheduler.yield()` where the browser has it, whose continuation runs ahead of
/// the tasks the page has queued meanwhile (a timer's waits behind them, and a host page
/// still loading queues many); else through a zero-delay timer.
pub async fn next_task() {
    match scheduler_yield() {
        Some(yielded) => {
            let _ = wasm_bindgen_futures::JsFuture::from(yielded).await;
        }
        None => yew::platform::time::sleep(std::time::Duration::ZERO).await,
    }
}

/// `scheduler.yield()`'s promise, in browsers that have it (Chromium since 129).
fn scheduler_yield() -> Option<js_sys::Promise> {
    let scheduler = js_sys::Reflect::get(&js_sys::global(), &"scheduler".into()).ok()?;
    let yield_function = js_sys::Reflect::get(&scheduler, &"yield".into())
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()?;
    yield_function.call0(&scheduler).ok()?.dyn_into().ok()
}

/// Gives the shadow root the widgets' stylesheet and, once known, the site's theme.
/// Constructed stylesheets need no `'unsafe-inline'` under a strict CSP, and one sheet
/// object is shared by every widget on the page.
pub fn adopt_styles(root: &ShadowRoot, site_theme: Option<(&str, &Theme)>) {
    let sheets = js_sys::Array::new();
    if let Some(base) = cached_sheet("", || crate::style::CSS.to_owned()) {
        sheets.push(&base);
    }
    if let Some((site, theme)) = site_theme
        && let Some(themed) = cached_sheet(&format!("theme:{site}"), || theme.host_css())
    {
        sheets.push(&themed);
    }
    root.set_adopted_style_sheets(&sheets);
}

/// Says once per site, in the console, which theme colours fail WCAG contrast, so the
/// brand's developer sees it while integrating.
pub fn warn_about_contrast_once(site: &str, theme: &Theme) {
    let first_time = CONTRAST_WARNED.with_borrow_mut(|warned| {
        let first_time = !warned.iter().any(|warned_site| warned_site == site);
        if first_time {
            warned.push(site.to_owned());
        }
        first_time
    });
    if first_time {
        for warning in theme.contrast_warnings() {
            web_sys::console::warn_1(&JsValue::from_str(&format!(
                "portevoix site {site}: {warning}"
            )));
        }
    }
}

/// A Unix-ms instant's day in the visitor's time zone, written as `copy`'s language
/// writes short dates.
pub fn format_date(ms: i64, copy: &Copy) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(ms as f64));
    copy.date(
        date.get_full_year() as i32,
        date.get_month() + 1,
        date.get_date(),
    )
}

/// A number as JavaScript writes it (`4.5`, `4`), by the browser: Rust's float formatting
/// would add kilobytes to the widgets for the same text.
pub fn number_text(value: f64) -> String {
    js_sys::Number::from(value)
        .to_string_with_radix(10)
        .map(String::from)
        .unwrap_or_default()
}

const HELPFUL_KEY: &str = "portevoix.helpful";
/// Votes remembered per browser; the worker counts each visitor once anyway.
const MAX_REMEMBERED_VOTES: usize = 200;

/// Review ids this browser found helpful, so the button shows as pressed after a reload.
pub fn helpful_votes() -> Vec<String> {
    local_storage()
        .and_then(|storage| storage.get_item(HELPFUL_KEY).ok().flatten())
        .and_then(|text| json::from_str(&text).ok())
        .unwrap_or_default()
}

/// Remembers a helpful vote.
pub fn remember_helpful_vote(review_id: &str) {
    let mut votes = helpful_votes();
    if votes.iter().any(|voted| voted == review_id) {
        return;
    }
    votes.push(review_id.to_owned());
    let excess = votes.len().saturating_sub(MAX_REMEMBERED_VOTES);
    votes.drain(..excess);
    if let (Some(storage), Ok(text)) = (local_storage(), json::to_string(&votes)) {
        let _ = storage.set_item(HELPFUL_KEY, &text);
    }
}

fn host_is_dark(mode: ColorMode) -> bool {
    let window = web_sys::window();
    let html = window
        .as_ref()
        .and_then(|window| window.document())
        .and_then(|document| document.document_element());
    let class = html
        .as_ref()
        .map(|html| html.class_name())
        .unwrap_or_default();
    let theme_attribute = html.as_ref().and_then(|html| {
        HOST_THEME_ATTRIBUTES
            .iter()
            .find_map(|name| html.get_attribute(name))
    });
    let prefers_dark = window
        .and_then(|window| {
            window
                .match_media("(prefers-color-scheme: dark)")
                .ok()
                .flatten()
        })
        .is_some_and(|query| query.matches());
    mode.is_dark(&class, theme_attribute.as_deref(), prefers_dark)
}

/// Watches the host page's dark-mode switch and the system preference until dropped.
struct HostThemeWatch {
    observer: Option<MutationObserver>,
    media: Option<MediaQueryList>,
    callback: Closure<dyn FnMut()>,
}

impl HostThemeWatch {
    fn start(on_change: impl FnMut() + 'static) -> HostThemeWatch {
        let callback = Closure::<dyn FnMut()>::new(on_change);
        let function: &js_sys::Function = callback.as_ref().unchecked_ref();
        let html = web_sys::window()
            .and_then(|window| window.document())
            .and_then(|document| document.document_element());
        let observer = html.and_then(|html| {
            let observer = MutationObserver::new(function).ok()?;
            let options = MutationObserverInit::new();
            let filter = js_sys::Array::of1(&JsValue::from_str("class"));
            for name in HOST_THEME_ATTRIBUTES {
                filter.push(&JsValue::from_str(name));
            }
            options.set_attribute_filter(&filter);
            observer.observe_with_options(&html, &options).ok()?;
            Some(observer)
        });
        let media = web_sys::window().and_then(|window| {
            window
                .match_media("(prefers-color-scheme: dark)")
                .ok()
                .flatten()
        });
        if let Some(media) = &media {
            let _ = media.add_event_listener_with_callback("change", function);
        }
        HostThemeWatch {
            observer,
            media,
            callback,
        }
    }
}

impl Drop for HostThemeWatch {
    fn drop(&mut self) {
        if let Some(observer) = &self.observer {
            observer.disconnect();
        }
        if let Some(media) = &self.media {
            let _ = media.remove_event_listener_with_callback(
                "change",
                self.callback.as_ref().unchecked_ref(),
            );
        }
    }
}

/// Listens to events of the given types on the window until dropped, so that a hook's
/// teardown removes its listener with it.
pub struct WindowListener {
    types: &'static [&'static str],
    callback: Closure<dyn FnMut(Event)>,
}

impl WindowListener {
    /// Starts calling `on_event` for every event of `types` the window hears.
    pub fn start(
        types: &'static [&'static str],
        on_event: impl FnMut(Event) + 'static,
    ) -> WindowListener {
        let callback = Closure::<dyn FnMut(Event)>::new(on_event);
        if let Some(window) = web_sys::window() {
            for kind in types {
                let _ = window
                    .add_event_listener_with_callback(kind, callback.as_ref().unchecked_ref());
            }
        }
        WindowListener { types, callback }
    }
}

impl Drop for WindowListener {
    fn drop(&mut self) {
        if let Some(window) = web_sys::window() {
            for kind in self.types {
                let _ = window.remove_event_listener_with_callback(
                    kind,
                    self.callback.as_ref().unchecked_ref(),
                );
            }
        }
    }
}

/// Whether the widget draws in dark colours, read from the host page at every render (so
/// the first frame already has the right colours) and re-rendered when the host page's
/// switch or the system preference changes while the theme's mode is `auto`.
#[hook]
pub fn use_dark_mode(mode: ColorMode) -> bool {
    let redraw = use_force_update();
    use_effect_with(mode, move |mode| {
        let watch = (*mode == ColorMode::Auto)
            .then(|| HostThemeWatch::start(move || redraw.force_update()));
        move || drop(watch)
    });
    host_is_dark(mode)
}

/// Puts JSON-LD for search engines into the host page: into the script already marked
/// `attribute="key"` (a server may have written it) or a new one in `<head>`, rewritten
/// only when it changed. Written by the browser's `JSON.stringify`, as the server's
/// serde_json writes it.
pub fn put_json_ld(attribute: &str, key: &str, ld: &impl serde::Serialize) {
    let (Some(document), Ok(json)) = (
        web_sys::window().and_then(|window| window.document()),
        json::to_string(ld),
    ) else {
        return;
    };
    let json = script_safe(&json);
    let selector = format!("script[type=\"application/ld+json\"][{attribute}=\"{key}\"]");
    let script = match document.query_selector(&selector).ok().flatten() {
        Some(existing) => existing,
        None => {
            let Ok(created) = document.create_element("script") else {
                return;
            };
            let _ = created.set_attribute("type", "application/ld+json");
            let _ = created.set_attribute(attribute, key);
            if let Some(head) = document.head() {
                let _ = head.append_child(&created);
            }
            created
        }
    };
    if script.text_content().as_deref() != Some(json.as_str()) {
        script.set_text_content(Some(&json));
    }
}

/// What a form-filling robot typed into a form's hidden honeypot field, if anything.
pub fn honeypot_value(root: &ShadowRoot) -> Option<String> {
    root.query_selector("input[name=website]")
        .ok()
        .flatten()
        .and_then(|element| element.dyn_into::<web_sys::HtmlInputElement>().ok())
        .map(|input| input.value())
        .filter(|value| !value.is_empty())
}

/// Copies `text` to the clipboard; false when the browser refuses.
pub async fn copy_to_clipboard(text: &str) -> bool {
    let Some(clipboard) = web_sys::window().map(|window| window.navigator().clipboard()) else {
        return false;
    };
    wasm_bindgen_futures::JsFuture::from(clipboard.write_text(text))
        .await
        .is_ok()
}

/// Moves the focus to the first element of the widget matching `selector`, if any: where a
/// keyboard user goes on when the control they used has gone.
pub fn focus_selector(root: &ShadowRoot, selector: &str) {
    if let Some(element) = root
        .query_selector(selector)
        .ok()
        .flatten()
        .and_then(|element| element.dyn_into::<HtmlElement>().ok())
    {
        let _ = element.focus();
    }
}
