//! The console's moderation queue: pending reviews, questions and answers as one list,
//! oldest first, each published, rejected with a reason, or replied to as the brand.
//! Keyboard shortcuts (outside text fields): `j`/`k` next/previous, `p` publish, `r`
//! reject, `a` reply or answer as the brand. Below it, the published questions nobody has
//! answered yet, for the brand to answer.

use std::cell::RefCell;

use portevoix_core::moderation::{QueueItem, one_queue};
use portevoix_core::outbox::ResendKey;
use portevoix_core::review::markup::star_text;
use portevoix_core::wire::{
    AdminAnswer, AdminAnswerPage, AdminQuestion, AdminQuestionPage, AdminReview, AdminReviewPage,
    AnswerSubmission, Decision, Moderation, ReplySubmission,
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

/// What waits for the brand: the moderation queue, and the published questions without a
/// published answer (oldest first). A site that publishes questions at once never shows
/// them in the queue, and a customer's answer may never come: without the second list a
/// visitor's question would wait on the product page with nobody at the brand told of it.
/// Each list is read 50 at a time (the queue's three parts too): the `more_` flags say
/// that more wait than are shown, which working the list brings in.
#[derive(Debug, Clone, PartialEq)]
struct Waiting {
    queue: Vec<QueueItem>,
    more_queued: bool,
    unanswered: Vec<AdminQuestion>,
    more_unanswered: bool,
}

/// A list's count as its heading says it: "50+" when more wait than are shown.
fn count_of(shown: usize, more: bool) -> String {
    if more {
        format!("{shown}+")
    } else {
        shown.to_string()
    }
}

async fn fetch_waiting(site: &str) -> Result<Waiting, ApiError> {
    let pending = "?status=pending&limit=50";
    let (reviews, questions, answers, unanswered) = futures::future::try_join4(
        api::get::<AdminReviewPage>(&format!("{}{pending}", api::site_path(site, "reviews"))),
        api::get::<AdminQuestionPage>(&format!("{}{pending}", api::site_path(site, "questions"))),
        api::get::<AdminAnswerPage>(&format!("{}{pending}", api::site_path(site, "answers"))),
        api::get::<AdminQuestionPage>(&format!(
            "{}?status=unanswered&limit=50",
            api::site_path(site, "questions")
        )),
    )
    .await?;
    let more_queued = [
        &reviews.next_cursor,
        &questions.next_cursor,
        &answers.next_cursor,
    ]
    .iter()
    .any(|cursor| cursor.is_some());
    Ok(Waiting {
        queue: one_queue(reviews.reviews, questions.questions, answers.answers),
        more_queued,
        unanswered: unanswered.questions,
        more_unanswered: unanswered.next_cursor.is_some(),
    })
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
            answer_question(site, &question.id, text, answer_keys).await?;
        }
        QueueItem::Answer(_) => {}
    }
    Ok(())
}

/// The brand's answer to a published question, published at once. An answer sent again
/// after a lost answer keeps its key in `answer_keys`, so it is published once.
async fn answer_question(
    site: &str,
    question_id: &str,
    text: String,
    answer_keys: &RefCell<ResendKey<(String, String)>>,
) -> Result<(), ApiError> {
    let path = api::site_path(site, &format!("questions/{question_id}/answers"));
    let idempotency_key = answer_keys
        .borrow_mut()
        .key_for((question_id.to_owned(), text.clone()), api::random_key);
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
    let outcome = api::post::<_, serde::de::IgnoredAny>(&path, &answer).await;
    api::settle_key(answer_keys, &outcome);
    outcome.map(|_| ())
}

#[function_component(ModerationPage)]
pub fn moderation_page(props: &ModerationProps) -> Html {
    let waiting = use_state(|| None::<Result<Waiting, ApiError>>);
    let selected = use_state(|| 0_usize);
    let editing = use_state(|| Editing::Nothing);
    // The unanswered question whose form is open, and what it is for: an answer
    // (`Editing::Reply`) or taking it down (`Editing::RejectReason`).
    let unanswered_form = use_state(|| None::<(String, Editing)>);
    let unanswered_input = use_node_ref();
    let problem = use_state(|| None::<String>);
    let generation = use_state(|| 0_u32);
    let reason_input = use_node_ref();
    let reply_input = use_node_ref();
    let answer_keys = use_mut_ref(ResendKey::<(String, String)>::default);

    {
        let (waiting, selected) = (waiting.clone(), selected.clone());
        use_effect_with((props.site.clone(), *generation), move |(site, _)| {
            let site = site.clone();
            api::start_read(async move {
                let outcome = fetch_waiting(&site).await;
                if let Ok(found) = &outcome {
                    selected.set((*selected).min(found.queue.len().saturating_sub(1)));
                }
                waiting.set(Some(outcome));
            })
        });
    }

    let (items, unanswered): (&[QueueItem], &[AdminQuestion]) = match &*waiting {
        Some(Ok(found)) => (&found.queue, &found.unanswered),
        _ => (&[], &[]),
    };
    let (more_queued, more_unanswered) = match &*waiting {
        Some(Ok(found)) => (found.more_queued, found.more_unanswered),
        _ => (false, false),
    };
    let current = items.get(*selected).cloned();

    // Runs an action on an item, then reads both lists again.
    let act = {
        let (site, generation, editing, unanswered_form, problem, answer_keys) = (
            props.site.clone(),
            generation.clone(),
            editing.clone(),
            unanswered_form.clone(),
            problem.clone(),
            answer_keys.clone(),
        );
        Callback::from(move |(item, action): (QueueItem, Action)| {
            let (site, generation, editing, unanswered_form, problem, answer_keys) = (
                site.clone(),
                generation.clone(),
                editing.clone(),
                unanswered_form.clone(),
                problem.clone(),
                answer_keys.clone(),
            );
            spawn_local(async move {
                let outcome = match action {
                    Action::Publish => decide(&site, &item, Decision::Publish, None).await,
                    Action::Reject(reason) => {
                        decide(&site, &item, Decision::Reject, Some(reason)).await
                    }
                    Action::Reply(text) => reply(&site, &item, text, &answer_keys).await,
                    Action::Answer(text) => {
                        answer_question(&site, item.id(), text, &answer_keys).await
                    }
                };
                match outcome {
                    Ok(()) => {
                        problem.set(None);
                        editing.set(Editing::Nothing);
                        unanswered_form.set(None);
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
            // Keys typed in a field, or among the unanswered questions, are not for the queue.
            let not_for_the_queue = event
                .target()
                .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
                .is_some_and(|element| {
                    matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                        || element.closest(".unanswered").ok().flatten().is_some()
                });
            if not_for_the_queue || event.ctrl_key() || event.meta_key() || event.alt_key() {
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

    let body = match &*waiting {
        None => html! { <p aria-live="polite">{ "Loading…" }</p> },
        Some(Err(error)) => html! { <p role="alert" class="problem">{ error.to_string() }</p> },
        Some(Ok(found)) if found.queue.is_empty() => {
            html! { <p class="empty">{ "Nothing waits for moderation." }</p> }
        }
        Some(Ok(_)) => html! {
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
            <h2>{ format!("Moderation ({})", count_of(items.len(), more_queued)) }</h2>
            <p class="hint">
                { "Keys: " }<kbd>{ "j" }</kbd>{ "/" }<kbd>{ "k" }</kbd>{ " next/previous, " }
                <kbd>{ "p" }</kbd>{ " publish, " }<kbd>{ "r" }</kbd>{ " reject, " }
                <kbd>{ "a" }</kbd>{ " reply or answer as the brand." }
            </p>
            // A problem with an unanswered question is told by its form, below.
            if let (Some(problem), None) = (&*problem, &*unanswered_form) {
                <p role="alert" class="problem">{ problem.clone() }</p>
            }
            { body }
            if matches!(&*waiting, Some(Ok(_))) {
                { unanswered_view(unanswered, more_unanswered, &unanswered_form, problem.as_deref(), &act, &unanswered_input) }
            }
        </main>
    }
}

/// The unanswered questions, each answered here as the brand, or taken down (a site that
/// publishes questions at once has no other place to remove one that should not be on its
/// product page); see [`Waiting`].
fn unanswered_view(
    questions: &[AdminQuestion],
    more: bool,
    form: &StateHandle<Option<(String, Editing)>>,
    problem: Option<&str>,
    act: &Callback<(QueueItem, Action)>,
    input: &NodeRef,
) -> Html {
    let items = questions.iter().map(|question| {
        let open = form
            .as_ref()
            .filter(|(id, _)| *id == question.id)
            .map(|(_, mode)| *mode);
        let start = |mode: Editing| {
            let (form, input, id) = (form.clone(), input.clone(), question.id.clone());
            move |_: MouseEvent| {
                form.set(Some((id.clone(), mode)));
                focus_soon(&input);
            }
        };
        let send = {
            let (act, input) = (act.clone(), input.clone());
            let item = QueueItem::Question(question.clone());
            move |event: SubmitEvent| {
                event.prevent_default();
                if let Some(input) = input.cast::<HtmlTextAreaElement>() {
                    let text = input.value();
                    let action = if open == Some(Editing::Reply) {
                        Action::Answer(text)
                    } else {
                        Action::Reject(text)
                    };
                    act.emit((item.clone(), action));
                }
            }
        };
        let (label, limit, submit) = if open == Some(Editing::Reply) {
            ("Your answer, published at once as the brand", "3000", "Publish the answer")
        } else {
            ("Reason for taking it down (kept for your records)", "500", "Take it down")
        };
        html! {
            <li key={question.id.clone()} class="item">
                <article aria-label={format!("Question by {}", question.author_name)}>
                    <p class="meta">
                        <span>{ question.product.clone() }</span>
                        <span>{ question.author_name.clone() }</span>
                        <time>{ day_of(question.created_at) }</time>
                    </p>
                    <p class="text">{ question.text.clone() }</p>
                </article>
                <div class="actions">
                    if open.is_some() {
                        { item_form(ItemForm { id: "unanswered-text", label, limit, submit, written: None, input, problem }, Callback::from(send), form) }
                    } else {
                        <button type="button" class="quiet" onclick={start(Editing::Reply)}>{ "Answer…" }</button>
                        <button type="button" class="quiet" onclick={start(Editing::RejectReason)}>{ "Take down…" }</button>
                    }
                </div>
            </li>
        }
    });
    html! {
        <section class="unanswered" aria-labelledby="unanswered-title">
            <h2 id="unanswered-title">{ format!("Unanswered questions ({})", count_of(questions.len(), more)) }</h2>
            <p class="hint">{ "Published questions without an answer yet, oldest first. Customers may still answer them; yours is published at once." }</p>
            if questions.is_empty() {
                <p class="empty">{ "Every published question has an answer." }</p>
            } else {
                <ol class="queue" aria-labelledby="unanswered-title">{ for items }</ol>
            }
        </section>
    }
}

/// A short form opened under a list item, for the text of what is done to it (an answer, a
/// reply, a reason): shared by the unanswered questions and the published reviews.
pub(crate) struct ItemForm<'a> {
    /// The text box's element id.
    pub id: &'static str,
    /// What the text is for, as the marketer reads it.
    pub label: &'static str,
    /// Most characters the worker takes.
    pub limit: &'static str,
    /// The send button's label.
    pub submit: &'static str,
    /// What the box starts with, e.g. the reply being changed.
    pub written: Option<String>,
    /// Where the sending reads the text from.
    pub input: &'a NodeRef,
    /// Why the last sending failed.
    pub problem: Option<&'a str>,
}

/// Draws `form`; `open` is the state whose clearing closes it (Cancel).
pub(crate) fn item_form<T: 'static>(
    form: ItemForm<'_>,
    onsubmit: Callback<SubmitEvent>,
    open: &StateHandle<Option<T>>,
) -> Html {
    let cancel = {
        let open = open.clone();
        move |_: MouseEvent| open.set(None)
    };
    html! {
        <form class="inline" {onsubmit}>
            <label for={form.id}>{ form.label }</label>
            <textarea id={form.id} ref={form.input.clone()} maxlength={form.limit} required=true rows="3"
                value={form.written.unwrap_or_default()} />
            if let Some(problem) = form.problem {
                <p role="alert" class="problem">{ problem.to_owned() }</p>
            }
            <div class="actions">
                <button type="submit">{ form.submit }</button>
                <button type="button" class="quiet" onclick={cancel}>{ "Cancel" }</button>
            </div>
        </form>
    }
}

/// What the marketer does to an item.
#[derive(Debug, Clone, PartialEq)]
enum Action {
    Publish,
    Reject(String),
    Reply(String),
    /// The brand's answer to a question already published.
    Answer(String),
}

/// Focuses `node` once the render that draws it is done: where a form just opened wants
/// the marketer's typing.
pub(crate) fn focus_soon(node: &NodeRef) {
    let node = node.clone();
    spawn_local(async move {
        yew::platform::time::sleep(std::time::Duration::from_millis(0)).await;
        if let Some(element) = node.cast::<web_sys::HtmlElement>() {
            let _ = element.focus();
        }
    });
}

/// A review as the brand reads it, the same in the queue and among published reviews;
/// `lead` opens its line of facts.
pub(crate) fn review_article(review: &AdminReview, lead: Html) -> Html {
    html! {
        <article aria-label={format!("Review by {}", review.author_name)}>
            <p class="meta">
                { lead }
                <span aria-label={format!("{} stars out of 5", review.rating)}>{ star_text(review.rating) }</span>
                <span>{ review.product.clone() }</span>
                <span>{ review.author_name.clone() }</span>
                if review.verified { <span class="handled">{ "verified purchase" }</span> }
            </p>
            <p class="title">{ review.title.clone() }</p>
            <p class="text">{ review.text.clone() }</p>
        </article>
    }
}

/// An answer under its question, as the brand reads it in the queue and among published
/// answers; `lead` opens its line of facts.
pub(crate) fn answer_article(answer: &AdminAnswer, lead: Html) -> Html {
    html! {
        <article aria-label={format!("Answer by {}", answer.author_name)}>
            <p class="meta">
                { lead }
                <span>{ answer.product.clone() }</span>
                <span>{ answer.author_name.clone() }</span>
            </p>
            <p class="quoted">{ format!("To: {}", answer.question) }</p>
            <p class="text">{ answer.text.clone() }</p>
        </article>
    }
}

/// The day of `unix_ms`, day first as the console writes dates.
pub(crate) fn day_of(unix_ms: i64) -> String {
    js_sys::Date::new(&(unix_ms as f64).into())
        .to_locale_date_string("en-GB", &wasm_bindgen::JsValue::UNDEFINED)
        .into()
}

fn describe(item: &QueueItem) -> Html {
    match item {
        QueueItem::Review(review) => review_article(
            review,
            html! {
                <span class="badge">{ "Review" }</span>
            },
        ),
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
        QueueItem::Answer(answer) => answer_article(
            answer,
            html! {
                <span class="badge">{ "Answer" }</span>
            },
        ),
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
