//! What the Reviews and Answers pages share: a list of what is published, read newest
//! first a page at a time, that grows by "Show older" and that an item leaves once taken
//! down.

use portevoix_core::moderation::Status;
use portevoix_core::wire::{AdminAnswer, AdminAnswerPage, AdminReview, AdminReviewPage};
use portevoix_web::hooks::{StateHandle, use_effect_with, use_state};
use serde::de::DeserializeOwned;
use web_sys::HtmlTextAreaElement;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::{self, ApiError};

/// One page of an admin list, whatever it lists.
pub(crate) trait Page<T>: DeserializeOwned {
    /// The page's items, and the cursor of the next page.
    fn into_parts(self) -> (Vec<T>, Option<String>);
}

impl Page<AdminReview> for AdminReviewPage {
    fn into_parts(self) -> (Vec<AdminReview>, Option<String>) {
        (self.reviews, self.next_cursor)
    }
}

impl Page<AdminAnswer> for AdminAnswerPage {
    fn into_parts(self) -> (Vec<AdminAnswer>, Option<String>) {
        (self.answers, self.next_cursor)
    }
}

/// An item of such a list, as the worker answers a change to it.
pub(crate) trait Item: Clone + 'static {
    /// Its id, to find it in the list.
    fn id(&self) -> &str;
    /// Whether it still belongs in the list of what is published.
    fn published(&self) -> bool;
}

impl Item for AdminReview {
    fn id(&self) -> &str {
        &self.id
    }
    fn published(&self) -> bool {
        self.status == Status::Published
    }
}

impl Item for AdminAnswer {
    fn id(&self) -> &str {
        &self.id
    }
    fn published(&self) -> bool {
        self.status == Status::Published
    }
}

/// The items read so far, and where the older ones start.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Listing<T> {
    /// Newest first, every page read so far.
    pub items: Vec<T>,
    /// The cursor of the next (older) page; none on the last.
    pub next_cursor: Option<String>,
}

/// What the page shows: nothing yet, why the first page failed, or what was read.
pub(crate) type Shown<T> = StateHandle<Option<Result<Listing<T>, ApiError>>>;

/// Reads the first page of `path` (an admin list's path with its query, filters included),
/// again whenever it changes; the callback adds the next page, telling a failure in
/// `problem`.
#[hook]
pub(crate) fn use_pages<T, P>(
    path: String,
    problem: &StateHandle<Option<String>>,
) -> (Shown<T>, Callback<MouseEvent>)
where
    T: Item,
    P: Page<T> + 'static,
{
    let listing: Shown<T> = use_state(|| None);
    {
        let listing = listing.clone();
        use_effect_with(path.clone(), move |path| {
            listing.set(None);
            let path = path.clone();
            api::start_read(async move {
                let (items, next_cursor) = match api::get::<P>(&path).await {
                    Ok(page) => page.into_parts(),
                    Err(error) => return listing.set(Some(Err(error))),
                };
                listing.set(Some(Ok(Listing { items, next_cursor })));
            })
        });
    }
    let show_older = {
        let (listing, problem) = (listing.clone(), problem.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(Ok(Listing {
                mut items,
                next_cursor: Some(cursor),
            })) = (*listing).clone()
            else {
                return;
            };
            let (listing, problem) = (listing.clone(), problem.clone());
            let path = format!("{path}&cursor={cursor}");
            spawn_local(async move {
                match api::get::<P>(&path).await {
                    Ok(page) => {
                        let (older, next_cursor) = page.into_parts();
                        items.extend(older);
                        problem.set(None);
                        listing.set(Some(Ok(Listing { items, next_cursor })));
                    }
                    Err(error) => problem.set(Some(error.to_string())),
                }
            });
        })
    };
    (listing, show_older)
}

/// Sends the text of the form open under an item (`send` is given the open form's key and
/// the text) and puts the item the worker answers with in its place, or takes it out of
/// the list once it is no longer published; a failure is told in `problem`, the form left
/// open with its text.
pub(crate) fn form_sender<T, K, F>(
    shown: &Shown<T>,
    form: &StateHandle<Option<K>>,
    problem: &StateHandle<Option<String>>,
    input: &NodeRef,
    send: impl Fn(K, String) -> F + 'static,
) -> Callback<SubmitEvent>
where
    T: Item,
    K: Clone + 'static,
    F: Future<Output = Result<T, ApiError>> + 'static,
{
    let (shown, form, problem, input) =
        (shown.clone(), form.clone(), problem.clone(), input.clone());
    Callback::from(move |event: SubmitEvent| {
        event.prevent_default();
        let (Some(key), Some(area)) = ((*form).clone(), input.cast::<HtmlTextAreaElement>()) else {
            return;
        };
        let sending = send(key, area.value());
        let (shown, form, problem) = (shown.clone(), form.clone(), problem.clone());
        spawn_local(async move {
            match sending.await {
                Ok(changed) => {
                    if let Some(Ok(mut listing)) = (*shown).clone() {
                        listing
                            .items
                            .retain(|item| item.id() != changed.id() || changed.published());
                        if let Some(item) = listing
                            .items
                            .iter_mut()
                            .find(|item| item.id() == changed.id())
                        {
                            *item = changed;
                        }
                        shown.set(Some(Ok(listing)));
                    }
                    problem.set(None);
                    form.set(None);
                }
                Err(error) => problem.set(Some(error.to_string())),
            }
        });
    })
}

/// What a list page shows under its heading: a wait, why the first page failed, `empty`
/// when nothing is listed, or the list named `label`, each item drawn by `item`, with
/// `older` (a label and its callback) under it while there are older pages.
pub(crate) fn list_view<T>(
    shown: &Option<Result<Listing<T>, ApiError>>,
    (label, empty): (&'static str, &'static str),
    older: (&'static str, &Callback<MouseEvent>),
    item: impl Fn(&T) -> Html,
) -> Html {
    match shown {
        None => html! { <p aria-live="polite">{ "Loading…" }</p> },
        Some(Err(error)) => html! { <p role="alert" class="problem">{ error.to_string() }</p> },
        Some(Ok(listing)) if listing.items.is_empty() => html! { <p class="empty">{ empty }</p> },
        Some(Ok(listing)) => html! {
            <>
                <ol class="queue" aria-label={label}>{ for listing.items.iter().map(item) }</ol>
                if listing.next_cursor.is_some() {
                    <button type="button" class="quiet" onclick={older.1.clone()}>{ older.0 }</button>
                }
            </>
        },
    }
}
