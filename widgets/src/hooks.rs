//! The hooks every widget shares: its site's configuration (with the theme adopted into
//! its shadow root), the `pv:ready` event, and the Turnstile challenge of its form; and
//! [`Outdated`], which keeps an effect's late answers from overwriting newer ones.

use std::cell::Cell;
use std::rc::Rc;

use portevoix_core::copy::{Copy, Text};
use portevoix_core::locale::Locale;
use portevoix_core::theme::ColorMode;
use portevoix_core::wire::PublicSiteConfig;
use portevoix_web::hooks::{use_effect_with, use_state};
use web_sys::{HtmlElement, ShadowRoot};
use yew::prelude::*;

use crate::api;
use crate::host::{self, spawn_local};
use crate::turnstile::Challenge;

/// Raised when the effect that made it is torn down (its attributes changed, or the widget
/// went): what that effect's requests bring is then out of date and is not shown. Without
/// it, a visitor who signs in while their anonymous points are on their way would see
/// those replace their own when they come.
#[derive(Clone)]
pub struct Outdated(Rc<Cell<bool>>);

impl Outdated {
    /// The flag of an effect about to run, and the teardown the effect returns to raise it.
    pub fn watch() -> (Outdated, impl FnOnce()) {
        let flag = Rc::new(Cell::new(false));
        let raise = flag.clone();
        (Outdated(flag), move || raise.set(true))
    }

    /// Whether the effect has been torn down since.
    pub fn is_raised(&self) -> bool {
        self.0.get()
    }
}

/// Where a widget stands with its site's configuration.
#[derive(Clone, PartialEq)]
pub enum SiteConfig {
    /// Still fetching (with retries).
    Waiting,
    /// Fetched; the theme is applied.
    Ready(Rc<PublicSiteConfig>),
    /// Given up: the widget says it is unavailable.
    Failed,
}

impl SiteConfig {
    /// The configuration, once fetched.
    pub fn ready(&self) -> Option<Rc<PublicSiteConfig>> {
        match self {
            SiteConfig::Ready(config) => Some(config.clone()),
            SiteConfig::Waiting | SiteConfig::Failed => None,
        }
    }

    /// The site's default language and colour mode, which the element, the page and the
    /// visitor's settings may override; English and light until the configuration arrives.
    pub fn site_defaults(&self) -> (Locale, ColorMode) {
        match self {
            SiteConfig::Ready(config) => (config.default_locale, config.theme.mode),
            SiteConfig::Waiting | SiteConfig::Failed => (Locale::EN, ColorMode::Light),
        }
    }

    /// The card a widget shows until it can draw: busy while the configuration is on its
    /// way, `failure`'s message once it has failed. The same for every widget, so its
    /// view is compiled once.
    pub fn placeholder(&self, locale: Locale, failure: Text) -> Html {
        let message = (*self == SiteConfig::Failed)
            .then(|| Copy::new(locale, "", &Default::default()).text(failure));
        html! {
            <section class={classes!("card", "loading", message.is_some().then_some("single"))} part="card" lang={locale.tag()} aria-busy={message.is_none().to_string()}>
                if let Some(message) = message {
                    <p role="alert">{ message }</p>
                }
            </section>
        }
    }
}

/// Fetches the site's configuration (once per page and site, shared by every widget),
/// adopts the widget stylesheet and the site's theme into `root`, and reports a failure
/// as `pv:error` from `host`.
#[hook]
pub fn use_site_config(
    host: &HtmlElement,
    root: &ShadowRoot,
    api_base: &AttrValue,
    site: &AttrValue,
    widget: &'static str,
) -> SiteConfig {
    let state = use_state(|| SiteConfig::Waiting);
    {
        let state = state.clone();
        let (host, root) = (host.clone(), root.clone());
        use_effect_with((api_base.clone(), site.clone()), move |(api_base, site)| {
            host::adopt_styles(&root, None);
            let (api_base, site) = (api_base.clone(), site.clone());
            let (outdated, teardown) = Outdated::watch();
            spawn_local(async move {
                // The first draw, reading the configuration (often already here: the
                // loader asks for it alongside the Wasm) and drawing the form each take a
                // task of their own rather than one long task together.
                host::next_task().await;
                let answer = api::site_config_with_retries(&api_base, &site).await;
                if outdated.is_raised() {
                    return;
                }
                match answer {
                    Ok(config) => {
                        host::adopt_styles(&root, Some((&site, &config.theme)));
                        host::next_task().await;
                        let theme = config.theme.clone();
                        state.set(SiteConfig::Ready(config));
                        // After the form is drawn: a message for the brand's developer
                        // need not delay the visitor's first sight of the widget.
                        host::next_task().await;
                        host::warn_about_contrast_once(&site, &theme);
                    }
                    Err(error) => {
                        api::report(&host, widget, &site, &error);
                        state.set(SiteConfig::Failed);
                    }
                }
            });
            teardown
        });
    }
    (*state).clone()
}

/// Dispatches `pv:ready` with `detail` each time `ready` becomes true.
#[hook]
pub fn use_ready_event(host: &HtmlElement, ready: bool, detail: Vec<(&'static str, String)>) {
    let host = host.clone();
    use_effect_with(ready, move |ready| {
        if *ready {
            let detail: Vec<(&str, wasm_bindgen::JsValue)> = detail
                .iter()
                .map(|(name, value)| (*name, value.as_str().into()))
                .collect();
            host::emit(&host, "pv:ready", &detail);
        }
    });
}

/// A form's Turnstile challenge, for sites that ask for one.
pub struct HumanCheck {
    /// Where the challenge is drawn; put it in the form while `site_key` is set.
    pub container: NodeRef,
    /// The token the challenge gave, once the visitor passed it.
    pub token: Option<String>,
}

/// Renders the Turnstile challenge into a container while `site_key` is set, and asks for
/// a fresh token whenever `refusal` becomes `Some` (a refused answer may have spent it).
#[hook]
pub fn use_turnstile<R: PartialEq + Clone + 'static>(
    site_key: Option<String>,
    locale: Locale,
    refusal: Option<R>,
) -> HumanCheck {
    let container = use_node_ref();
    let token = use_state(Option::<String>::default);
    let challenge = use_mut_ref(Option::<Challenge>::default);
    {
        let container = container.clone();
        let token = token.clone();
        let challenge = challenge.clone();
        use_effect_with(site_key, move |site_key| {
            if let (Some(site_key), Some(element)) =
                (site_key.clone(), container.cast::<web_sys::Element>())
            {
                let on_token = Callback::from(move |value: Option<String>| token.set(value));
                let challenge = challenge.clone();
                spawn_local(async move {
                    *challenge.borrow_mut() =
                        Challenge::render(element, site_key, locale.tag(), on_token).await;
                });
            }
            move || drop(challenge.borrow_mut().take())
        });
    }
    {
        let token = token.clone();
        use_effect_with(refusal, move |refusal| {
            if refusal.is_some()
                && let Some(challenge) = challenge.borrow().as_ref()
            {
                token.set(None);
                challenge.reset();
            }
        });
    }
    HumanCheck {
        container,
        token: (*token).clone(),
    }
}
