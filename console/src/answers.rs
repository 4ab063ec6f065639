//! The console's published answers, newest first: known customers' answers are published
//! at once unless the site says otherwise, so they never pass through the moderation
//! queue, and a wrong or unkind one must still be taken down from somewhere.

use portevoix_core::wire::{AdminAnswer, AdminAnswerPage, Decision, Moderation};
use portevoix_web::hooks::{use_effect_with, use_state};
use web_sys::HtmlTextAreaElement;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::{self, ApiError};
use crate::moderation::{ItemForm, day_of, focus_soon, item_form};

#[derive(Properties, PartialEq)]
pub struct AnswersProps {
    /// The site signed in to.
    pub site: String,
}

/// Answers per page, as for reviews.
const PAGE_SIZE: u32 = 20;

fn page_path(site: &str, cursor: Option<&str>) -> String {
    let mut path = format!(
        "{}?status=published&order=newest&limit={PAGE_SIZE}",
        api::site_path(site, "answers")
    );
    if let Some(cursor) = cursor {
        path.push_str("&cursor=");
        path.push_str(cursor);
    }
    path
}

#[function_component(AnswersPage)]
pub fn answers_page(props: &AnswersProps) -> Html {
    // The answers read so far, and where the older ones start.
    let listing = use_state(|| None::<Result<(Vec<AdminAnswer>, Option<String>), ApiError>>);
    // The answer whose take-down form is open.
    let form = use_state(|| None::<String>);
    let problem = use_state(|| None::<String>);
    let input = use_node_ref();

    {
        let listing = listing.clone();
        use_effect_with(props.site.clone(), move |site| {
            let path = page_path(site, None);
            api::start_read(async move {
                let page = api::get::<AdminAnswerPage>(&path).await;
                listing.set(Some(page.map(|page| (page.answers, page.next_cursor))));
            })
        });
    }

    let show_older = {
        let (site, listing, problem) = (props.site.clone(), listing.clone(), problem.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(Ok((mut answers, Some(cursor)))) = (*listing).clone() else {
                return;
            };
            let (site, listing, problem) = (site.clone(), listing.clone(), problem.clone());
            spawn_local(async move {
                match api::get::<AdminAnswerPage>(&page_path(&site, Some(&cursor))).await {
                    Ok(page) => {
                        answers.extend(page.answers);
                        problem.set(None);
                        listing.set(Some(Ok((answers, page.next_cursor))));
                    }
                    Err(error) => problem.set(Some(error.to_string())),
                }
            });
        })
    };

    let take_down = {
        let (site, listing, form, problem, input) = (
            props.site.clone(),
            listing.clone(),
            form.clone(),
            problem.clone(),
            input.clone(),
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let (Some(id), Some(area)) = ((*form).clone(), input.cast::<HtmlTextAreaElement>())
            else {
                return;
            };
            let (site, listing, form, problem) =
                (site.clone(), listing.clone(), form.clone(), problem.clone());
            spawn_local(async move {
                let path = api::site_path(&site, &format!("answers/{id}/moderation"));
                let decision = Moderation {
                    decision: Decision::Reject,
                    reason: Some(area.value()),
                };
                match api::post::<_, serde::de::IgnoredAny>(&path, &decision).await {
                    Ok(_) => {
                        if let Some(Ok((mut answers, cursor))) = (*listing).clone() {
                            answers.retain(|answer| answer.id != id);
                            listing.set(Some(Ok((answers, cursor))));
                        }
                        problem.set(None);
                        form.set(None);
                    }
                    Err(error) => problem.set(Some(error.to_string())),
                }
            });
        })
    };

    let body = match &*listing {
        None => html! { <p aria-live="polite">{ "Loading…" }</p> },
        Some(Err(error)) => html! { <p role="alert" class="problem">{ error.to_string() }</p> },
        Some(Ok((answers, _))) if answers.is_empty() => {
            html! { <p class="empty">{ "No answer is published yet." }</p> }
        }
        Some(Ok((answers, cursor))) => html! {
            <>
                <ol class="queue" aria-label="Published answers">
                    { for answers.iter().map(|answer| {
                        let open = form.as_deref() == Some(answer.id.as_str());
                        let start = {
                            let (form, input, id) = (form.clone(), input.clone(), answer.id.clone());
                            move |_: MouseEvent| {
                                form.set(Some(id.clone()));
                                focus_soon(&input);
                            }
                        };
                        let take_down = take_down.clone();
                        html! {
                            <li key={answer.id.clone()} class="item">
                                <article aria-label={format!("Answer by {}", answer.author_name)}>
                                    <p class="meta">
                                        <time>{ day_of(answer.created_at) }</time>
                                        <span class="badge">{ answer.badge.as_str().replace('_', " ") }</span>
                                        <span>{ answer.product.clone() }</span>
                                        <span>{ answer.author_name.clone() }</span>
                                    </p>
                                    <p class="quoted">{ format!("To: {}", answer.question) }</p>
                                    <p class="text">{ answer.text.clone() }</p>
                                </article>
                                <div class="actions">
                                    if open {
                                        { item_form(ItemForm {
                                            id: "answer-reason",
                                            label: "Reason for taking it down (kept for your records)",
                                            limit: "500",
                                            submit: "Take it down",
                                            written: None,
                                            input: &input,
                                            problem: problem.as_deref(),
                                        }, move |event| take_down.emit(event), &form) }
                                    } else {
                                        <button type="button" class="quiet" onclick={start}>{ "Take down…" }</button>
                                    }
                                </div>
                            </li>
                        }
                    }) }
                </ol>
                if cursor.is_some() {
                    <button type="button" class="quiet" onclick={show_older}>{ "Show older answers" }</button>
                }
            </>
        },
    };

    html! {
        <main class="moderation">
            <h2>{ "Published answers" }</h2>
            <p class="hint">{ "Newest first, as visitors read them under the questions on your product pages. An answer taken down leaves the page at once." }</p>
            if let (Some(problem), None) = (&*problem, &*form) {
                <p role="alert" class="problem">{ problem.clone() }</p>
            }
            { body }
        </main>
    }
}
