//! The Portevoix widgets, compiled to one WebAssembly module shared by every widget on a
//! page. The hand-written loader `portevoix.js` defines the `pv-*` custom elements and
//! calls [`mount`] when one comes near the viewport; everything visible is drawn by Yew
//! inside the element's shadow root.
//!
//! Built by `npm run build`; tried in a browser by `npm start`.
//!
//! Every byte here is downloaded by the brands' visitors, and generic code is compiled
//! once per type it is used with. So states, reducers and effects go through
//! `portevoix_web::hooks`, which boxes their values and closures so that Yew's hook code
//! is compiled once rather than per widget state or effect; futures are spawned boxed
//! (`host::spawn_local`); the five widgets share one props type ([`WidgetProps`]) and one
//! way of drawing form fields; and small maps are `Dict`s, not hash maps.

mod api;
mod fields;
mod hooks;
mod host;
mod listing;
mod nps;
mod outbox;
mod qa;
mod referral;
mod review;
mod share;
mod startup;
mod style;
mod turnstile;

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use web_sys::{HtmlElement, ShadowRoot};
use yew::{AppHandle, AttrValue};

use crate::nps::NpsWidget;
use crate::qa::QaWidget;
use crate::referral::ReferralWidget;
use crate::review::ReviewWidget;
use crate::share::ShareWidget;

/// A widget element's attributes, read when it is drawn and on every change; each widget
/// reads the ones it has. One type for the five widgets, so that comparing and copying
/// them is compiled once.
#[derive(yew::Properties, Clone, PartialEq)]
pub struct WidgetProps {
    /// The custom element, which events are dispatched from.
    pub host: HtmlElement,
    /// The element's shadow root, which styles are adopted into.
    pub root: ShadowRoot,
    /// The worker's origin with a trailing slash.
    pub api_base: AttrValue,
    /// The `data-site` key (or the element's own `site` attribute).
    pub site: AttrValue,
    /// `fr` or `en`; otherwise the page's language.
    pub lang: Option<AttrValue>,
    /// Signed by the brand's server to name a known customer: their orders badge their
    /// reviews and answers, and share links, points and referral codes are theirs (with
    /// their name and email when the token carries them).
    pub customer_token: Option<AttrValue>,
    /// `<pv-nps>`: replaces the default question.
    pub question: Option<AttrValue>,
    /// `<pv-review>`, `<pv-qa>`: the product id, as the brand's catalogue names it.
    pub product: Option<AttrValue>,
    /// `<pv-review>`, `<pv-qa>`: the product's name, for search engines.
    pub product_name: Option<AttrValue>,
    /// `<pv-share>`: the page to share; the current page when absent.
    pub url: Option<AttrValue>,
    /// `<pv-share>`: the message sent with the link; a default naming the brand when absent.
    pub text: Option<AttrValue>,
}

impl WidgetProps {
    /// The `product` attribute, if it is a product id the worker takes.
    pub fn product_id(&self) -> Option<String> {
        self.product
            .as_ref()
            .map(|product| product.to_string())
            .filter(|product| portevoix_core::validate::product_id(product).is_ok())
    }
}

/// The Yew app behind one element, by widget.
enum App {
    Nps(AppHandle<NpsWidget>),
    Review(AppHandle<ReviewWidget>),
    Qa(AppHandle<QaWidget>),
    Share(AppHandle<ShareWidget>),
    Referral(AppHandle<ReferralWidget>),
}

/// Where a widget's Yew app stands: drawn in the task after [`mount`], so that mounting
/// and the first draw are two short tasks rather than one long one.
enum Slot {
    Pending,
    Mounted(App),
    Gone,
}

/// The custom element a widget lives in, and what its props are read from.
#[derive(Clone)]
struct Element {
    host: HtmlElement,
    root: ShadowRoot,
    api_base: String,
    default_site: String,
}

/// One mounted widget, held by its custom element so that attribute changes and removal
/// reach the Yew app.
#[wasm_bindgen]
pub struct Widget {
    slot: Rc<RefCell<Slot>>,
    element: Element,
}

impl Element {
    fn attribute(&self, name: &str) -> Option<AttrValue> {
        host::attribute(&self.host, name).map(Into::into)
    }

    fn site(&self) -> AttrValue {
        host::attribute(&self.host, "site")
            .unwrap_or_else(|| self.default_site.clone())
            .into()
    }

    fn props(&self) -> WidgetProps {
        WidgetProps {
            host: self.host.clone(),
            root: self.root.clone(),
            api_base: self.api_base.clone().into(),
            site: self.site(),
            lang: self.attribute("lang"),
            customer_token: self.attribute("customer-token"),
            question: self.attribute("question"),
            product: self.attribute("product"),
            product_name: self.attribute("product-name"),
            url: self.attribute("url"),
            text: self.attribute("text"),
        }
    }

    /// Starts the Yew app of the widget named `tag` in `container`.
    fn render(&self, tag: &str, container: web_sys::Element) -> App {
        match tag {
            "pv-review" => App::Review(
                yew::Renderer::<ReviewWidget>::with_root_and_props(container, self.props())
                    .render(),
            ),
            "pv-referral" => App::Referral(
                yew::Renderer::<ReferralWidget>::with_root_and_props(container, self.props())
                    .render(),
            ),
            "pv-share" => App::Share(
                yew::Renderer::<ShareWidget>::with_root_and_props(container, self.props()).render(),
            ),
            "pv-qa" => App::Qa(
                yew::Renderer::<QaWidget>::with_root_and_props(container, self.props()).render(),
            ),
            _ => App::Nps(
                yew::Renderer::<NpsWidget>::with_root_and_props(container, self.props()).render(),
            ),
        }
    }
}

#[wasm_bindgen]
impl Widget {
    /// Re-reads the element's attributes and re-renders (a widget not yet drawn reads
    /// them when it draws).
    pub fn update(&mut self) {
        let element = &self.element;
        match &mut *self.slot.borrow_mut() {
            Slot::Mounted(App::Nps(app)) => app.update(element.props()),
            Slot::Mounted(App::Review(app)) => app.update(element.props()),
            Slot::Mounted(App::Qa(app)) => app.update(element.props()),
            Slot::Mounted(App::Referral(app)) => app.update(element.props()),
            Slot::Mounted(App::Share(app)) => app.update(element.props()),
            Slot::Pending | Slot::Gone => {}
        }
    }

    /// Moves keyboard focus into the widget: the chosen answer, else its first control.
    pub fn focus(&self) {
        let target = [
            ".scale input:checked",
            ".scale input",
            ".thanks h2",
            ".thanks h3",
            ".stars-input input",
            "#pv-search",
            "button.share-now",
            "#pv-link",
            "button.write",
        ]
        .into_iter()
        .find_map(|selector| self.element.root.query_selector(selector).ok().flatten())
        .and_then(|element| element.dyn_into::<HtmlElement>().ok());
        if let Some(target) = target {
            let _ = target.focus();
        }
    }

    /// Unmounts the Yew app (or keeps it from ever drawing), empties the shadow root and
    /// frees this handle; the element may be connected again later, which mounts a fresh
    /// widget.
    pub fn unmount(self) {
        match self.slot.replace(Slot::Gone) {
            Slot::Mounted(App::Nps(app)) => app.destroy(),
            Slot::Mounted(App::Review(app)) => app.destroy(),
            Slot::Mounted(App::Qa(app)) => app.destroy(),
            Slot::Mounted(App::Share(app)) => app.destroy(),
            Slot::Mounted(App::Referral(app)) => app.destroy(),
            Slot::Pending | Slot::Gone => {}
        }
        startup::finish(&self.element.host);
        self.element.root.set_inner_html("");
    }
}

/// Hands the widgets the configuration request of `site` that the loader sent while the
/// Wasm was downloading: the first widget then draws without a round trip of its own.
/// `api_base` is the worker's origin with a trailing slash, as given to [`mount`].
#[wasm_bindgen]
pub fn adopt_config_request(api_base: &str, site: &str, pending: js_sys::Promise) {
    api::adopt_config_request(api_base, site, pending);
}

/// Mounts the widget named by the element's tag into its shadow root; it first draws in
/// a later task, once the widgets mounted before it have started. `api_base` is the
/// worker's origin with a trailing slash; `default_site` is the loader's `data-site`.
#[wasm_bindgen]
pub fn mount(
    host: HtmlElement,
    root: ShadowRoot,
    api_base: String,
    default_site: String,
) -> Result<Widget, JsError> {
    let tag = host.local_name();
    if !["pv-nps", "pv-review", "pv-qa", "pv-share", "pv-referral"].contains(&tag.as_str()) {
        return Err(JsError::new(&format!(
            "portevoix: no widget is named <{tag}>"
        )));
    }
    let document = web_sys::window()
        .and_then(|window| window.document())
        .ok_or_else(|| JsError::new("portevoix: no document"))?;
    let container = document
        .create_element("div")
        .map_err(|_| JsError::new("portevoix: cannot create the widget's container"))?;
    root.append_child(&container)
        .map_err(|_| JsError::new("portevoix: cannot attach to the shadow root"))?;
    let element = Element {
        host,
        root,
        api_base,
        default_site,
    };
    let slot = Rc::new(RefCell::new(Slot::Pending));
    {
        let (element, slot) = (element.clone(), slot.clone());
        host::spawn_local(async move {
            if !startup::turn(&element.host).await {
                return;
            }
            host::next_task().await;
            // Unmounted meanwhile: `unmount` has passed the turn on already.
            if !matches!(*slot.borrow(), Slot::Pending) {
                return;
            }
            let app = element.render(&tag, container);
            *slot.borrow_mut() = Slot::Mounted(app);
            // Writes an earlier page could not deliver go out now, once the widget has
            // drawn.
            host::next_task().await;
            outbox::deliver_now();
        });
    }
    Ok(Widget { slot, element })
}
