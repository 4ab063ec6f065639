//! The console's moderation queue: pending reviews, questions and answers as one list,
//! oldest first, each published, rejected with a reason, or replied to as the brand.
//! Keyboard shortcuts (outside text fields): `j`/`k` next/previous, `p` publish, `r`
//! reject, `a` reply or answer as the brand.

use std::cell::RefCell;

use portevoix_core::moderation::{QueueItem, one_queue};
use portevoix_core::outbox::ResendKey;
use portevoix_core::review::markup::star_text;
use portevoix_core::wire::{
    AdminAnswerPage, AdminQuestionPage, AdminReviewPage, AnswerSubmission, Decision, Moderation,
    ReplySubmission,
};
use portevoix_web::hooks::{StateHandle, use_effect_with, use_state};
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::{self, ApiError};

#[derive(Properties, PartialEq)]
pub struct ModerationProps {
    /// The site signed in to.
    pub site: String,
}

/// What the marketer is doing to the selected item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Editing {
    Nothing,
    RejectReason,
    Reply,
}

async fn fetch_queue(site: &str) -> Result<Vec<QueueItem>, ApiError> {
    let pending = "?status=pending&limit=50";
    let (reviews, questions, answers) = futures::future::try_join3(
        api::get::<AdminReviewPage>(&format!("{}{pending}", api::site_path(site, "reviews"))),
        api::get::<AdminQuestionPage>(&format!("{}{pending}", api::site_path(site, "questions"))),
        api::get::<AdminAnswerPage>(&format!("{}{pending}", api::site_path(site, "answers"))),
    )
    .await?;
    Ok(one_queue(
        reviews.reviews,
        questions.questions,
        answers.answers,
    ))
}

/// Publishes or rejects `item`.
async fn decide(
    site: &str,
    item: &QueueItem,
    decision: Decision,
    reason: Option<String>,
) -> Result<(), ApiError> {
    let path = api::site_path(site, &item.moderation_route());
    api::post::<_, serde::de::IgnoredAny>(&path, &Moderation { decision, reason })
        .await
        .map(|_| ())
}

/// The brand's public reply to a review, or its answer to a question (published first,
/// since only published questions take answers). An answer sent again after a lost
/// answer keeps its key in `answer_keys`, so it is published once.
async fn reply(
    site: &str,
    item: &QueueItem,
    text: String,
    answer_keys: &RefCell<ResendKey<(String, String)>>,
) -> Result<(), ApiError> {
    match item {
        QueueItem::Review(review) => {
            let path = api::site_path(site, &format!("reviews/{}/reply", review.id));
            api::post::<_, serde::de::IgnoredAny>(&path, &ReplySubmission { text }).await?;
        }
        QueueItem::Question(question) => {
            decide(site, item, Decision::Publish, None).await?;
            let path = api::site_path(site, &format!("questions/{}/answers", question.id));
            let idempotency_key = answer_keys
                .borrow_mut()
                .key_for((question.id.clone(), text.clone()), api::random_key);
            let answer = AnswerSubmission {
                text,
                author_name: None,
                visitor_id: None,
                idempotency_key,
                customer_token: None,
                website: None,
                elapsed_ms: None,
                turnstile_token: None,
            };
            api::post::<_, serde::de::IgnoredAny>(&path, &answer).await?;
        }
        QueueItem::Answer(_) => {}
    }
    Ok(())
}

#[function_component(ModerationPage)]
pub fn moderation_page(props: &ModerationProps) -> Html {
    let queue = use_state(|| None::<Result<Vec<QueueItem>, ApiError>>);
    let selected = use_state(|| 0_usize);
    let editing = use_state(|| Editing::Nothing);
    let problem = use_state(|| None::<String>);
    let generation = use_state(|| 0_u32);
    let reason_input = use_node_ref();
    let reply_input = use_node_ref();
    let answer_keys = use_mut_ref(ResendKey::<(String, String)>::default);

    {
        let (queue, selected) = (queue.clone(), selected.clone());
        use_effect_with((props.site.clone(), *generation), move |(site, _)| {
            let site = site.clone();
            api::start_read(async move {
                let outcome = fetch_queue(&site).await;
                if let Ok(items) = &outcome {
                    selected.set((*selected).min(items.len().saturating_sub(1)));
                }
                queue.set(Some(outcome));
            })
        });
    }

    let items: Vec<QueueItem> = match &*queue {
        Some(Ok(items)) => items.clone(),
        _ => Vec::new(),
    };
    let current = items.get(*selected).cloned();

    // Runs an action on the selected item, then reloads the queue.
    let act = {
        let (site, generation, editing, problem, answer_keys) = (
            props.site.clone(),
            generation.clone(),
            editing.clone(),
            problem.clone(),
            answer_keys.clone(),
        );
        Callback::from(move |(item, action): (QueueItem, Action)| {
            let (site, generation, editing, problem, answer_keys) = (
                site.clone(),
                generation.clone(),
                editing.clone(),
                problem.clone(),
                answer_keys.clone(),
            );
            spawn_local(async move {
                let outcome = match action {
                    Action::Publish => decide(&site, &item, Decision::Publish, None).await,
                    Action::Reject(reason) => {
                        decide(&site, &item, Decision::Reject, Some(reason)).await
                    }
                    Action::Reply(text) => {
                        let outcome = reply(&site, &item, text, &answer_keys).await;
                        api::settle_key(&answer_keys, &outcome);
                        outcome
                    }
                };
                match outcome {
                    Ok(()) => {
                        problem.set(None);
                        editing.set(Editing::Nothing);
                        generation.set(*generation + 1);
                    }
                    Err(error) => problem.set(Some(error.to_string())),
                }
            });
        })
    };

    let onkeydown = {
        let (selected, editing, act, current, reason_input, reply_input) = (
            selected.clone(),
            editing.clone(),
            act.clone(),
            current.clone(),
            reason_input.clone(),
            reply_input.clone(),
        );
        let count = items.len();
        Callback::from(move |event: KeyboardEvent| {
            let typing = event
                .target()
                .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
                .is_some_and(|element| {
                    matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                });
            if typing || event.ctrl_key() || event.meta_key() || event.alt_key() {
                if event.key() == "Escape" {
                    editing.set(Editing::Nothing);
                }
                return;
            }
            let Some(item) = current.clone() else { return };
            match event.key().as_str() {
                "j" => selected.set((*selected + 1).min(count.saturating_sub(1))),
                "k" => selected.set(selected.saturating_sub(1)),
                "p" => act.emit((item, Action::Publish)),
                "r" => {
                    editing.set(Editing::RejectReason);
                    focus_soon(&reason_input);
                }
                "a" if !matches!(item, QueueItem::Answer(_)) => {
                    editing.set(Editing::Reply);
                    focus_soon(&reply_input);
                }
                _ => return,
            }
            event.prevent_default();
        })
    };

    let body = match &*queue {
        None => html! { <p aria-live="polite">{ "Loading…" }</p> },
        Some(Err(error)) => html! { <p role="alert" class="problem">{ error.to_string() }</p> },
        Some(Ok(items)) if items.is_empty() => {
            html! { <p class="empty">{ "Nothing waits for moderation." }</p> }
        }
        Some(Ok(items)) => html! {
            <ol class="queue" aria-label="Waiting for moderation">
                { for items.iter().enumerate().map(|(index, item)| {
                    let is_selected = index == *selected;
                    let select = {
                        let selected = selected.clone();
                        move |_: MouseEvent| selected.set(index)
                    };
                    html! {
                        <li class={classes!("item", is_selected.then_some("selected"))}
                            aria-current={is_selected.then_some("true")} onclick={select}>
                            { describe(item) }
                            if is_selected {
                                { actions(item, *editing, &editing, &act, &reason_input, &reply_input) }
                            }
                        </li>
                    }
                }) }
            </ol>
        },
    };

    html! {
        <main class="moderation" tabindex="0" {onkeydown}>
            <h2>{ format!("Moderation ({})", items.len()) }</h2>
            <p class="hint">
                { "Keys: " }<kbd>{ "j" }</kbd>{ "/" }<kbd>{ "k" }</kbd>{ " next/previous, " }
                <kbd>{ "p" }</kbd>{ " publish, " }<kbd>{ "r" }</kbd>{ " reject, " }
                <kbd>{ "a" }</kbd>{ " reply or answer as the brand." }
            </p>
            if let Some(problem) = &*problem {
                <p role="alert" class="problem">{ problem.clone() }</p>
            }
            { body }
        </main>
    }
}

/// What the marketer does to an item.
#[derive(Debug, Clone, PartialEq)]
enum Action {
    Publish,
    Reject(String),
    Reply(String),
}

fn focus_soon(node: &NodeRef) {
    let node = node.clone();
    spawn_local(async move {
        yew::platform::time::sleep(std::time::Duration::from_millis(0)).await;
        if let Some(element) = node.cast::<web_sys::HtmlElement>() {
            let _ = element.focus();
        }
    });
}

fn describe(item: &QueueItem) -> Html {
    match item {
        QueueItem::Review(review) => html! {
            <article aria-label={format!("Review by {}", review.author_name)}>
                <p class="meta">
                    <span class="badge">{ "Review" }</span>
                    <span aria-label={format!("{} stars out of 5", review.rating)}>{ star_text(review.rating) }</span>
                    <span>{ review.product.clone() }</span>
                    <span>{ review.author_name.clone() }</span>
                    if review.verified { <span class="handled">{ "verified purchase" }</span> }
                </p>
                <p class="title">{ review.title.clone() }</p>
                <p class="text">{ review.text.clone() }</p>
            </article>
        },
        QueueItem::Question(question) => html! {
            <article aria-label={format!("Question by {}", question.author_name)}>
                <p class="meta">
                    <span class="badge">{ "Question" }</span>
                    <span>{ question.product.clone() }</span>
                    <span>{ question.author_name.clone() }</span>
                </p>
                <p class="text">{ question.text.clone() }</p>
            </article>
        },
        QueueItem::Answer(answer) => html! {
            <article aria-label={format!("Answer by {}", answer.author_name)}>
                <p class="meta">
                    <span class="badge">{ "Answer" }</span>
                    <span>{ answer.product.clone() }</span>
                    <span>{ answer.author_name.clone() }</span>
                </p>
                <p class="quoted">{ format!("To: {}", answer.question) }</p>
                <p class="text">{ answer.text.clone() }</p>
            </article>
        },
    }
}

fn actions(
    item: &QueueItem,
    editing: Editing,
    set_editing: &StateHandle<Editing>,
    act: &Callback<(QueueItem, Action)>,
    reason_input: &NodeRef,
    reply_input: &NodeRef,
) -> Html {
    let on = |action: Action| {
        let (act, item) = (act.clone(), item.clone());
        move |_: MouseEvent| act.emit((item.clone(), action.clone()))
    };
    let start = |mode: Editing, node: &NodeRef| {
        let (set_editing, node) = (set_editing.clone(), node.clone());
        move |_: MouseEvent| {
            set_editing.set(mode);
            focus_soon(&node);
        }
    };
    let reject = {
        let (act, item, input) = (act.clone(), item.clone(), reason_input.clone());
        move |event: SubmitEvent| {
            event.prevent_default();
            if let Some(input) = input.cast::<HtmlInputElement>() {
                act.emit((item.clone(), Action::Reject(input.value())));
            }
        }
    };
    let send_reply = {
        let (act, item, input) = (act.clone(), item.clone(), reply_input.clone());
        move |event: SubmitEvent| {
            event.prevent_default();
            if let Some(input) = input.cast::<HtmlTextAreaElement>() {
                act.emit((item.clone(), Action::Reply(input.value())));
            }
        }
    };
    let reply_label = match item {
        QueueItem::Review(_) => Some("Reply as the brand"),
        QueueItem::Question(_) => Some("Publish and answer as the brand"),
        QueueItem::Answer(_) => None,
    };
    html! {
        <div class="actions">
            <button type="button" onclick={on(Action::Publish)}>{ "Publish" }</button>
            <button type="button" class="quiet" onclick={start(Editing::RejectReason, reason_input)}>{ "Reject…" }</button>
            if let Some(label) = reply_label {
                <button type="button" class="quiet" onclick={start(Editing::Reply, reply_input)}>{ format!("{label}…") }</button>
            }
            if editing == Editing::RejectReason {
                <form class="inline" onsubmit={reject}>
                    <label for="reason">{ "Reason for rejecting (kept for your records)" }</label>
                    <input id="reason" ref={reason_input.clone()} maxlength="500" required=true />
                    <button type="submit">{ "Reject" }</button>
                </form>
            }
            if editing == Editing::Reply {
                <form class="inline" onsubmit={send_reply}>
                    <label for="reply">{ reply_label.unwrap_or_default() }</label>
                    <textarea id="reply" ref={reply_input.clone()} maxlength="3000" required=true rows="3" />
                    <button type="submit">{ "Send" }</button>
                </form>
            }
        </div>
    }
}
