//! The console's published answers, newest first: known customers' answers are published
//! at once unless the site says otherwise, so they never pass through the moderation
//! queue, and a wrong or unkind one must still be taken down from somewhere.

use portevoix_core::wire::{AdminAnswer, AdminAnswerPage, Decision, Moderation};
use portevoix_web::hooks::use_state;
use yew::prelude::*;

use crate::api;
use crate::moderation::{ItemForm, answer_article, day_of, focus_soon, item_form};
use crate::published::{form_sender, list_view, use_pages};

#[derive(Properties, PartialEq)]
pub struct AnswersProps {
    /// The site signed in to.
    pub site: String,
}

/// Answers per page, as for reviews.
const PAGE_SIZE: u32 = 20;

#[function_component(AnswersPage)]
pub fn answers_page(props: &AnswersProps) -> Html {
    // The answer whose take-down form is open.
    let form = use_state(|| None::<String>);
    let problem = use_state(|| None::<String>);
    let input = use_node_ref();
    let (listing, show_older) = use_pages::<AdminAnswer, AdminAnswerPage>(
        format!(
            "{}?status=published&order=newest&limit={PAGE_SIZE}",
            api::site_path(&props.site, "answers")
        ),
        &problem,
    );

    let take_down = {
        let site = props.site.clone();
        form_sender(
            &listing,
            &form,
            &problem,
            &input,
            move |id: String, reason| {
                let path = api::site_path(&site, &format!("answers/{id}/moderation"));
                async move {
                    let decision = Moderation {
                        decision: Decision::Reject,
                        reason: Some(reason),
                    };
                    api::post::<_, AdminAnswer>(&path, &decision).await
                }
            },
        )
    };

    let body = list_view(
        &listing,
        ("Published answers", "No answer is published yet."),
        ("Show older answers", &show_older),
        |answer| {
            let open = form.as_deref() == Some(answer.id.as_str());
            let start = {
                let (form, input, id) = (form.clone(), input.clone(), answer.id.clone());
                move |_: MouseEvent| {
                    form.set(Some(id.clone()));
                    focus_soon(&input);
                }
            };
            html! {
                <li key={answer.id.clone()} class="item">
                    { answer_article(answer, html! { <>
                        <time>{ day_of(answer.created_at) }</time>
                        <span class="badge">{ answer.badge.as_str().replace('_', " ") }</span>
                    </> }) }
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
                            }, take_down.clone(), &form) }
                        } else {
                            <button type="button" class="quiet" onclick={start}>{ "Take down…" }</button>
                        }
                    </div>
                </li>
            }
        },
    );

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
