//! The reviews' and Q&A widgets' paged lists as Yew state: [`portevoix_core::listing`]'s
//! rules, with the requests that fill the list and the reports of those that fail, and
//! what both widgets do around their list ([`use_product_list`]).

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use portevoix_core::copy::{Copy, Text};
use portevoix_core::listing::{Action, Failure, Listing, Page, Shown};
use portevoix_core::locale::Locale;
use portevoix_web::hooks::{ReducerHandle, StateHandle, use_effect_with, use_reducer};
use web_sys::ShadowRoot;
use yew::prelude::*;

use crate::WidgetProps;
use crate::api::{self, CallError};
use crate::hooks::{SiteConfig, use_ready_event, use_site_config};
use crate::host::{self, spawn_local};

/// What the reviews' and Q&A widgets share around their list of a product.
pub struct ProductList<P: Page + 'static> {
    /// The site's configuration, or how far it has come.
    pub loaded: SiteConfig,
    /// The list shown.
    pub listing: ListingHandle<P>,
    /// The language the widget speaks: the element's, the page's or the site's.
    pub locale: Locale,
    /// Whether the widget is drawn in its dark palette.
    pub dark: bool,
}

/// The `widget` (`review`, `qa`) of `props`' product: the site's configuration and the
/// language and palette it sets, the list (empty and loading at first), `pv:ready` once
/// both are in, and, while the list shown `describes_product` (not a search's matches), its
/// schema.org JSON-LD in the host page, written by `put_json_ld` for search engines.
#[hook]
pub fn use_product_list<P: Page + 'static>(
    props: &WidgetProps,
    widget: &'static str,
    put_json_ld: fn(&P, &str, Option<&str>),
    describes_product: bool,
) -> ProductList<P> {
    let listing = use_listing::<P>(props, widget);
    {
        let product = props.product_id();
        let product_name = props.product_name.clone();
        use_effect_with(
            (listing.shown().clone(), describes_product),
            move |(shown, describes_product)| {
                if let (Shown::Ready { page, .. }, Some(product), true) =
                    (shown, product, *describes_product)
                {
                    put_json_ld(page, &product, product_name.as_deref());
                }
            },
        );
    }
    let (loaded, locale, dark) = use_frame(
        props,
        widget,
        matches!(listing.shown(), Shown::Ready { .. }),
    );
    ProductList {
        loaded,
        listing,
        locale,
        dark,
    }
}

/// [`use_product_list`]'s part that does not depend on the kind of list, compiled once for
/// both widgets: the site's configuration, the language and palette it sets, and
/// `pv:ready` once the configuration and the list (`list_ready`) are in.
#[hook]
fn use_frame(
    props: &WidgetProps,
    widget: &'static str,
    list_ready: bool,
) -> (SiteConfig, Locale, bool) {
    let loaded = use_site_config(
        &props.host,
        &props.root,
        &props.api_base,
        &props.site,
        widget,
    );
    let (site_locale, site_mode) = loaded.site_defaults();
    let locale = host::locale(&props.host, site_locale);
    let dark = host::use_dark_mode(site_mode);
    use_ready_event(
        &props.host,
        list_ready && loaded.ready().is_some(),
        vec![
            ("widget", widget.into()),
            ("site", props.site.to_string()),
            ("product", props.product_id().unwrap_or_default()),
        ],
    );
    (loaded, locale, dark)
}

#[derive(Clone)]
struct ListingState<P>(Listing<P>);

impl<P: Page + 'static> Reducible for ListingState<P> {
    type Action = Action<P>;

    fn reduce(self: Rc<Self>, action: Action<P>) -> Rc<Self> {
        let ListingState(listing) = Rc::unwrap_or_clone(self);
        Rc::new(ListingState(listing.apply(action)))
    }
}

/// A widget's list and the way to change it: every change reaches the list as it is when
/// the change arrives, never the copy this render holds.
#[derive(Clone)]
pub struct ListingHandle<P: Page + 'static> {
    state: ReducerHandle<ListingState<P>>,
    requests: Rc<Cell<u32>>,
    props: WidgetProps,
    widget: &'static str,
}

/// The list of the `widget` (`review`, `qa`) drawn with `props`, empty and loading at first.
#[hook]
fn use_listing<P: Page + 'static>(props: &WidgetProps, widget: &'static str) -> ListingHandle<P> {
    ListingHandle {
        state: use_reducer(|| ListingState(Listing::default())),
        requests: use_memo((), |()| Cell::new(0)),
        props: props.clone(),
        widget,
    }
}

impl<P: Page + 'static> ListingHandle<P> {
    /// What the list shows now (the latest state, even in a callback of an earlier render).
    pub fn shown(&self) -> &Shown<P> {
        &self.state.0.shown
    }

    /// Starts a new list (another sort or search, a reload) and numbers its request.
    fn ask(&self) -> u32 {
        let request = self.requests.get() + 1;
        self.requests.set(request);
        self.state.dispatch(Action::Asked(request));
        request
    }

    /// Shows `fetch`'s page as the new list, unless a newer list is asked for before it
    /// arrives; a failure is reported and shown.
    pub fn load(&self, fetch: impl Future<Output = Result<P, CallError>> + 'static) {
        let request = self.ask();
        self.fill(request, Box::pin(fetch), Action::Loaded, Action::Failed);
    }

    /// Dispatches what becomes of `fetch`: a page, or a failure (reported). Boxed, so that
    /// this is compiled once per type of page, not once per request made.
    fn fill(
        &self,
        request: u32,
        fetch: Pin<Box<dyn Future<Output = Result<P, CallError>>>>,
        arrived: fn(u32, P) -> Action<P>,
        failed: fn(u32, Failure) -> Action<P>,
    ) {
        let handle = self.clone();
        spawn_local(async move {
            let action = match fetch.await {
                Ok(page) => arrived(request, page),
                Err(error) => {
                    handle.report(&error);
                    failed(request, error.failure())
                }
            };
            handle.state.dispatch(action);
        });
    }

    /// Shows `page`, already in hand (the brand's server put it in the page).
    pub fn show(&self, page: P) {
        let request = self.ask();
        self.state.dispatch(Action::Loaded(request, page));
    }

    /// Shows that there is no list to show, and reports why.
    pub fn fail(&self, error: &CallError) {
        self.report(error);
        let request = self.ask();
        self.state
            .dispatch(Action::Failed(request, error.failure()));
    }

    /// Adds the next page, which `fetch` reads from the cursor it is given, to the list shown;
    /// nothing when there is no next page or a page is already on its way.
    pub fn load_more<F>(&self, fetch: impl FnOnce(String) -> F)
    where
        F: Future<Output = Result<P, CallError>> + 'static,
    {
        let Some(cursor) = self.state.0.more_cursor() else {
            return;
        };
        let request = self.state.0.request();
        let next = fetch(cursor.to_owned());
        self.state.dispatch(Action::MoreAsked(request));
        self.fill(request, Box::pin(next), Action::MoreLoaded, |request, _| {
            Action::MoreFailed(request)
        });
    }

    /// Shows the helpful count the worker answered a vote with.
    pub fn helpful_counted(&self, id: String, count: u64) {
        self.state.dispatch(Action::HelpfulCounted(id, count));
    }

    fn report(&self, error: &CallError) {
        api::report(&self.props.host, self.widget, &self.props.site, error);
    }
}

/// What the "Try again" button of [`failed_notice`] does: asks for the list again (a new
/// `reload`), and gives the focus to the widget's heading first, as the button goes with
/// the notice (a keyboard user would otherwise be sent back to the top of the page).
pub fn load_again(root: &ShadowRoot, reload: &StateHandle<u32>) -> Callback<MouseEvent> {
    let (root, reload) = (root.clone(), reload.clone());
    Callback::from(move |_: MouseEvent| {
        host::focus_selector(&root, ".heading");
        reload.set(*reload + 1);
    })
}

/// What a list says when it could not be loaded, even asked again: the widget's `message`
/// and, when the list was `Unreachable`, a button to ask once more (the connection may be
/// back, the worker up again). A refused list has none: it would only be refused again.
pub fn failed_notice(
    copy: &Copy,
    message: Text,
    failure: Failure,
    again: Callback<MouseEvent>,
) -> Html {
    html! {
        <div class="failed">
            <p class="alert" role="alert">{ copy.text(message) }</p>
            if failure == Failure::Unreachable {
                <div class="actions">
                    <button type="button" class="secondary" onclick={again}>{ copy.text(Text::LoadAgain) }</button>
                </div>
            }
        </div>
    }
}
