//! The Portevoix widgets, compiled to one WebAssembly module shared by every widget on a
//! page. The hand-written loader `portevoix.js` defines the `pv-*` custom elements and
//! calls [`mount`] when one is connected; everything visible is drawn by Yew inside the
//! element's shadow root.
//!
//! Built by `npm run build`; tried in a browser by `npm start`.

mod api;
mod host;
mod nps;
mod outbox;
mod style;
mod turnstile;

use wasm_bindgen::prelude::*;
use web_sys::{HtmlElement, ShadowRoot};
use yew::AppHandle;

use crate::nps::{NpsProps, NpsWidget};

/// One mounted widget, held by its custom element so that attribute changes and removal
/// reach the Yew app.
#[wasm_bindgen]
pub struct Widget {
    app: Option<AppHandle<NpsWidget>>,
    host: HtmlElement,
    root: ShadowRoot,
    api_base: String,
    default_site: String,
}

impl Widget {
    fn props(&self) -> NpsProps {
        let attribute = |name: &str| host::attribute(&self.host, name).map(Into::into);
        NpsProps {
            host: self.host.clone(),
            root: self.root.clone(),
            api_base: self.api_base.clone().into(),
            site: host::attribute(&self.host, "site")
                .unwrap_or_else(|| self.default_site.clone())
                .into(),
            question: attribute("question"),
            lang: attribute("lang"),
            customer_token: attribute("customer-token"),
        }
    }
}

#[wasm_bindgen]
impl Widget {
    /// Re-reads the element's attributes and re-renders.
    pub fn update(&mut self) {
        let props = self.props();
        if let Some(app) = self.app.as_mut() {
            app.update(props);
        }
    }

    /// Moves keyboard focus into the widget: the chosen answer, else its first control.
    pub fn focus(&self) {
        let target = [".scale input:checked", ".scale input", ".thanks h2"]
            .into_iter()
            .find_map(|selector| self.root.query_selector(selector).ok().flatten())
            .and_then(|element| element.dyn_into::<HtmlElement>().ok());
        if let Some(target) = target {
            let _ = target.focus();
        }
    }

    /// Unmounts the Yew app and empties the shadow root; the element may be connected
    /// again later, which mounts a fresh widget.
    pub fn unmount(&mut self) {
        if let Some(app) = self.app.take() {
            app.destroy();
        }
        self.root.set_inner_html("");
    }
}

/// Mounts the widget named by the element's tag into its shadow root. `api_base` is the
/// worker's origin with a trailing slash; `default_site` is the loader's `data-site`.
#[wasm_bindgen]
pub fn mount(
    host: HtmlElement,
    root: ShadowRoot,
    api_base: String,
    default_site: String,
) -> Result<Widget, JsError> {
    let tag = host.local_name();
    if tag != "pv-nps" {
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
    let mut widget = Widget {
        app: None,
        host,
        root,
        api_base,
        default_site,
    };
    let props = widget.props();
    widget.app = Some(yew::Renderer::<NpsWidget>::with_root_and_props(container, props).render());
    // Writes an earlier page could not deliver go out now.
    outbox::deliver_now();
    Ok(widget)
}
