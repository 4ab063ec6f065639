//! The reviews' and Q&A widgets' paged lists as Yew state: [`portevoix_core::listing`]'s
//! rules, with the requests that fill the list and the reports of those that fail.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use portevoix_core::copy::{Copy, Text};
use portevoix_core::listing::{Action, Failure, Listing, Page, Shown};
use portevoix_web::hooks::{ReducerHandle, StateHandle, use_reducer};
use web_sys::ShadowRoot;
use yew::prelude::*;

use crate::WidgetProps;
use crate::api::{self, CallError};
use crate::host::{self, spawn_local};

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
pub fn use_listing<P: Page + 'static>(
    props: &WidgetProps,
    widget: &'static str,
) -> ListingHandle<P> {
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
