//! The console's published reviews, newest first: a review leaves the moderation queue once
//! published, but the brand still replies to it (most of all to an unhappy one) and may
//! have to take it down later, e.g. when its author asks or it names someone.

use portevoix_core::wire::{AdminReview, AdminReviewPage, Decision, Moderation, ReplySubmission};
use portevoix_web::hooks::{StateHandle, use_state};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::api::{self, ApiError};
use crate::moderation::{ItemForm, day_of, focus_soon, item_form, review_article};
use crate::published::{form_sender, list_view, use_pages};

#[derive(Properties, PartialEq)]
pub struct ReviewsProps {
    /// The site signed in to.
    pub site: String,
}

/// Reviews per page: enough to scan a day's reviews of a busy site at once.
const PAGE_SIZE: u32 = 20;

/// What the open form under a review does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    Reply,
    TakeDown,
}

/// Which published reviews the marketer looks at.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Filter {
    /// Only those of this many stars.
    rating: Option<u8>,
    /// Only those still without a reply.
    unreplied: bool,
}

fn first_page_path(site: &str, filter: Filter) -> String {
    let mut path = format!(
        "{}?status=published&order=newest&limit={PAGE_SIZE}",
        api::site_path(site, "reviews")
    );
    if let Some(rating) = filter.rating {
        path.push_str(&format!("&rating={rating}"));
    }
    if filter.unreplied {
        path.push_str("&replied=false");
    }
    path
}

/// Sends `change` of the review `id` with `text` (the reply, or the reason for taking it
/// down); the review as it now stands.
async fn send(site: &str, id: &str, change: Change, text: String) -> Result<AdminReview, ApiError> {
    match change {
        Change::Reply => {
            let path = api::site_path(site, &format!("reviews/{id}/reply"));
            api::post(&path, &ReplySubmission { text }).await
        }
        Change::TakeDown => {
            let path = api::site_path(site, &format!("reviews/{id}/moderation"));
            let decision = Moderation {
                decision: Decision::Reject,
                reason: Some(text),
            };
            api::post(&path, &decision).await
        }
    }
}

#[function_component(ReviewsPage)]
pub fn reviews_page(props: &ReviewsProps) -> Html {
    let form = use_state(|| None::<(String, Change)>);
    let problem = use_state(|| None::<String>);
    let input = use_node_ref();
    let filter = use_state(Filter::default);
    let (listing, show_older) =
        use_pages::<AdminReview, AdminReviewPage>(first_page_path(&props.site, *filter), &problem);

    let submit = {
        let site = props.site.clone();
        form_sender(
            &listing,
            &form,
            &problem,
            &input,
            move |(id, change), text| {
                let site = site.clone();
                async move { send(&site, &id, change, text).await }
            },
        )
    };

    let empty = if *filter == Filter::default() {
        "No review is published yet."
    } else {
        "No published review matches."
    };
    let body = list_view(
        &listing,
        ("Published reviews", empty),
        ("Show older reviews", &show_older),
        |review| published_item(review, &form, &input, &submit, problem.as_deref()),
    );

    html! {
        <main class="moderation">
            <h2>{ "Published reviews" }</h2>
            <p class="hint">{ "Newest first. Your reply is shown under the review on the product page; a review taken down leaves it at once." }</p>
            { filter_view(&filter) }
            // A problem with a review's change is told by its form.
            if let (Some(problem), None) = (&*problem, &*form) {
                <p role="alert" class="problem">{ problem.clone() }</p>
            }
            { body }
        </main>
    }
}

/// The rating and reply filters: the one-star reviews still unanswered are two clicks away.
fn filter_view(filter: &StateHandle<Filter>) -> Html {
    let on_rating = {
        let filter = filter.clone();
        Callback::from(move |event: Event| {
            let select: HtmlSelectElement = event.target_unchecked_into();
            filter.set(Filter {
                rating: select.value().parse().ok(),
                ..*filter
            });
        })
    };
    let on_unreplied = {
        let filter = filter.clone();
        Callback::from(move |event: Event| {
            let checkbox: HtmlInputElement = event.target_unchecked_into();
            filter.set(Filter {
                unreplied: checkbox.checked(),
                ..*filter
            });
        })
    };
    let chosen = filter.rating.unwrap_or_default();
    html! {
        <div class="filters" role="group" aria-label="Filters">
            <div class="field">
                <label for="reviews-rating">{ "Rating" }</label>
                <select id="reviews-rating" onchange={on_rating}>
                    <option value="" selected={chosen == 0}>{ "All ratings" }</option>
                    { for (1..=5_u8).rev().map(|stars| html! {
                        <option key={stars} value={stars.to_string()} selected={chosen == stars}>
                            { if stars == 1 { "1 star".to_owned() } else { format!("{stars} stars") } }
                        </option>
                    }) }
                </select>
            </div>
            <label class="check">
                <input type="checkbox" checked={filter.unreplied} onchange={on_unreplied} />
                { "Without a reply only" }
            </label>
        </div>
    }
}

/// One published review, its reply, and the form open under it, if any.
fn published_item(
    review: &AdminReview,
    form: &StateHandle<Option<(String, Change)>>,
    input: &NodeRef,
    submit: &Callback<SubmitEvent>,
    problem: Option<&str>,
) -> Html {
    let open = form
        .as_ref()
        .filter(|(id, _)| *id == review.id)
        .map(|(_, change)| *change);
    let start = |change: Change| {
        let (form, input, id) = (form.clone(), input.clone(), review.id.clone());
        move |_: MouseEvent| {
            form.set(Some((id.clone(), change)));
            focus_soon(&input);
        }
    };
    let (label, limit, send_label, written) = match open {
        Some(Change::Reply) => (
            "Your reply, shown under the review",
            "2000",
            "Publish the reply",
            review.reply.as_ref().map(|reply| reply.text.clone()),
        ),
        _ => (
            "Reason for taking it down (kept for your records)",
            "500",
            "Take it down",
            None,
        ),
    };
    let reply_button = if review.reply.is_some() {
        "Change the reply…"
    } else {
        "Reply…"
    };
    html! {
        <li key={review.id.clone()} class="item">
            { review_article(review, html! { <time>{ day_of(review.created_at) }</time> }) }
            if review.helpful_count > 0 {
                <p class="meta">{ match review.helpful_count {
                    1 => "Found helpful by 1 visitor".to_owned(),
                    count => format!("Found helpful by {count} visitors"),
                } }</p>
            }
            if let Some(reply) = &review.reply {
                <p class="quoted">{ format!("Your reply ({}): {}", day_of(reply.created_at), reply.text) }</p>
            }
            <div class="actions">
                if open.is_some() {
                    { item_form(ItemForm { id: "published-text", label, limit, submit: send_label, written, input, problem }, submit.clone(), form) }
                } else {
                    <button type="button" class="quiet" onclick={start(Change::Reply)}>{ reply_button }</button>
                    <button type="button" class="quiet" onclick={start(Change::TakeDown)}>{ "Take down…" }</button>
                }
            </div>
        </li>
    }
}
