//! The console's integrations page: webhook subscriptions (the secret shown once, at
//! creation or rotation), a "Send test event" button and each subscription's delivery log.

use std::cell::RefCell;

use portevoix_core::outbox::ResendKey;
use portevoix_core::wire::{
    WebhookAction, WebhookList, WebhookLog, WebhookRequest, WebhookSubscription,
};
use portevoix_web::hooks::{StateHandle, use_state};
use web_sys::HtmlInputElement;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::{self, ApiError, Loaded, use_admin_read};

#[derive(Properties, PartialEq)]
pub struct IntegrationsProps {
    /// The site signed in to.
    pub site: String,
}

/// What a call about the subscriptions updates when it ends.
#[derive(Clone)]
struct Outcomes {
    problem: StateHandle<Option<String>>,
    generation: StateHandle<u32>,
}

impl Outcomes {
    /// Ends a call: `done` with its answer and the list read again, else its error shown.
    fn settle<T>(&self, outcome: Result<T, ApiError>, done: impl FnOnce(T)) {
        match outcome {
            Ok(answer) => {
                self.problem.set(None);
                done(answer);
                self.generation.set(*self.generation + 1);
            }
            Err(error) => self.problem.set(Some(error.to_string())),
        }
    }
}

/// Shows a secret the worker just made, this once, with what `about` says of its URL.
fn reveal(
    revealed: &StateHandle<Option<(String, String)>>,
    subscription: WebhookSubscription,
    about: impl FnOnce(&str) -> String,
) {
    revealed.set(
        subscription
            .secret
            .map(|secret| (about(&subscription.url), secret)),
    );
}

/// The body of an action on subscription `id`, with the key `keys` gives it.
fn keyed(keys: &RefCell<ResendKey<String>>, id: &str) -> WebhookAction {
    WebhookAction {
        idempotency_key: Some(keys.borrow_mut().key_for(id.to_owned(), api::random_key)),
    }
}

#[function_component(IntegrationsPage)]
pub fn integrations_page(props: &IntegrationsProps) -> Html {
    // A secret just made, shown this once, with what it is for.
    let revealed = use_state(|| None::<(String, String)>);
    let chosen = use_state(|| None::<String>);
    let problem = use_state(|| None::<String>);
    let notice = use_state(|| None::<String>);
    let generation = use_state(|| 0_u32);
    let url_input = use_node_ref();
    let events_box = use_node_ref();
    let list: Loaded<WebhookList> =
        use_admin_read(Some(api::site_path(&props.site, "webhooks")), *generation);
    let log: Loaded<WebhookLog> = use_admin_read(
        chosen
            .as_ref()
            .map(|id| api::site_path(&props.site, &format!("webhooks/{id}/deliveries"))),
        *generation,
    );

    let outcomes = Outcomes {
        problem: problem.clone(),
        generation: generation.clone(),
    };

    // (URL, events) of a subscription whose answer was lost, and its key.
    let resend = use_mut_ref(ResendKey::<(String, Vec<String>)>::default);
    let subscribe = {
        let (site, revealed, outcomes) = (props.site.clone(), revealed.clone(), outcomes.clone());
        let (url_input, events_box) = (url_input.clone(), events_box.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let url = url_input
                .cast::<HtmlInputElement>()
                .map(|input| input.value())
                .unwrap_or_default();
            let events: Vec<String> = events_box
                .cast::<web_sys::Element>()
                .and_then(|element| element.query_selector_all("input:checked").ok())
                .map(|checked| {
                    (0..checked.length())
                        .filter_map(|index| checked.item(index))
                        .filter_map(|node| {
                            wasm_bindgen::JsCast::dyn_into::<HtmlInputElement>(node).ok()
                        })
                        .map(|input| input.value())
                        .collect()
                })
                .unwrap_or_default();
            let (site, revealed, outcomes) = (site.clone(), revealed.clone(), outcomes.clone());
            let idempotency_key = resend
                .borrow_mut()
                .key_for((url.clone(), events.clone()), api::random_key);
            let resend = resend.clone();
            spawn_local(async move {
                let asked = WebhookRequest {
                    url,
                    events,
                    idempotency_key: Some(idempotency_key),
                };
                let outcome =
                    api::post::<_, WebhookSubscription>(&api::site_path(&site, "webhooks"), &asked)
                        .await;
                api::settle_key(&resend, &outcome);
                outcomes.settle(outcome, |subscription| {
                    reveal(&revealed, subscription, |url| {
                        format!("Subscribed {url}. Its signing secret, shown only now:")
                    });
                });
            });
        })
    };

    // The subscription whose test event or rotation got no answer, and its key: sent
    // again, it is queued or rotated once (a second rotation would push out at once the
    // secret the receiver still checks with).
    let test_keys = use_mut_ref(ResendKey::<String>::default);
    let rotation_keys = use_mut_ref(ResendKey::<String>::default);
    let send_test = {
        let (site, notice, outcomes) = (props.site.clone(), notice.clone(), outcomes.clone());
        Callback::from(move |id: String| {
            let (site, notice, outcomes) = (site.clone(), notice.clone(), outcomes.clone());
            let action = keyed(&test_keys, &id);
            let keys = test_keys.clone();
            spawn_local(async move {
                let path = api::site_path(&site, &format!("webhooks/{id}/test"));
                let outcome = api::post_unanswered(&path, &action).await;
                api::settle_key(&keys, &outcome);
                outcomes.settle(outcome, |()| {
                    notice.set(Some(
                        "Test event queued: it is sent within a minute.".to_owned(),
                    ));
                });
            });
        })
    };
    let delete = {
        let (site, notice, outcomes) = (props.site.clone(), notice.clone(), outcomes.clone());
        Callback::from(move |id: String| {
            let (site, notice, outcomes) = (site.clone(), notice.clone(), outcomes.clone());
            spawn_local(async move {
                let path = api::site_path(&site, &format!("webhooks/{id}/delete"));
                let outcome = api::post_empty(&path).await;
                outcomes.settle(outcome, |()| {
                    notice.set(Some("Subscription deleted.".to_owned()));
                });
            });
        })
    };
    let rotate = {
        let (site, revealed, outcomes) = (props.site.clone(), revealed.clone(), outcomes.clone());
        Callback::from(move |id: String| {
            let (site, revealed, outcomes) = (site.clone(), revealed.clone(), outcomes.clone());
            let action = keyed(&rotation_keys, &id);
            let keys = rotation_keys.clone();
            spawn_local(async move {
                let path = api::site_path(&site, &format!("webhooks/{id}/rotate-secret"));
                let outcome = api::post::<_, WebhookSubscription>(&path, &action).await;
                api::settle_key(&keys, &outcome);
                outcomes.settle(outcome, |subscription| {
                    reveal(&revealed, subscription, |url| {
                        format!(
                            "New signing secret for {url}, shown only now. For 24 hours each \
                             delivery is signed with the old secret too, so switch your \
                             server over within a day:"
                        )
                    });
                });
            });
        })
    };

    let Some(Ok(webhooks)) = &*list else {
        return match &*list {
            Some(Err(error)) => html! { <p role="alert" class="problem">{ error.to_string() }</p> },
            _ => html! { <p aria-live="polite">{ "Loading…" }</p> },
        };
    };

    html! {
        <main class="integrations">
            <section aria-labelledby="webhooks-title">
                <h2 id="webhooks-title">{ "Webhooks" }</h2>
                <p class="hint">{ "Each event is POSTed to your URL, signed as Standard Webhooks describes, and retried for a day until your server answers 2xx." }</p>
                if let Some(notice) = &*notice {
                    <p role="status" class="saved">{ notice.clone() }</p>
                }
                if let Some(problem) = &*problem {
                    <p role="alert" class="problem">{ problem.clone() }</p>
                }
                if webhooks.subscriptions.is_empty() {
                    <p class="empty">{ "No subscription yet." }</p>
                }
                <ul class="subscriptions">
                    { for webhooks.subscriptions.iter().map(|subscription| {
                        let id = subscription.id.clone();
                        let (send_test, delete, chosen, rotate) = (send_test.clone(), delete.clone(), chosen.clone(), rotate.clone());
                        let (test_id, delete_id, log_id, rotate_id) = (id.clone(), id.clone(), id.clone(), id.clone());
                        html! {
                            <li aria-label={subscription.url.clone()}>
                                <p class="url">{ subscription.url.clone() }</p>
                                <p class="meta">{ subscription.events.join(", ") }</p>
                                <div class="actions">
                                    <button type="button" onclick={move |_: MouseEvent| send_test.emit(test_id.clone())}>{ "Send test event" }</button>
                                    <button type="button" class="quiet" onclick={move |_: MouseEvent| chosen.set(Some(log_id.clone()))}>{ "Delivery log" }</button>
                                    <button type="button" class="quiet" onclick={move |_: MouseEvent| rotate.emit(rotate_id.clone())}>{ "Rotate secret" }</button>
                                    <button type="button" class="quiet" onclick={move |_: MouseEvent| delete.emit(delete_id.clone())}>{ "Delete" }</button>
                                </div>
                            </li>
                        }
                    }) }
                </ul>
                if let Some((about, secret)) = &*revealed {
                    <div class="secret" role="status">
                        <p>{ about.clone() }</p>
                        <code>{ secret.clone() }</code>
                    </div>
                }
                <form class="subscribe" onsubmit={subscribe} aria-label="New webhook">
                    <div class="field">
                        <label for="webhook-url">{ "Endpoint URL" }</label>
                        <input id="webhook-url" type="url" ref={url_input} required=true placeholder="https://" />
                    </div>
                    <fieldset ref={events_box}>
                        <legend>{ "Events" }</legend>
                        { for webhooks.events.iter().map(|event| html! {
                            <label class="check"><input type="checkbox" value={event.clone()} checked=true />{ event.clone() }</label>
                        }) }
                    </fieldset>
                    <button type="submit">{ "Subscribe" }</button>
                </form>
            </section>
            if chosen.is_some() {
                <section aria-labelledby="log-title">
                    <h2 id="log-title">{ "Delivery log" }</h2>
                    {
                        api::view(&log, |log| if log.deliveries.is_empty() {
                            html! { <p class="empty">{ "Nothing sent yet." }</p> }
                        } else {
                            html! {
                                <div class="table-frame" tabindex="0" role="region" aria-label="Delivery log">
                                    <table>
                                        <thead><tr><th scope="col">{ "Event" }</th><th scope="col">{ "Attempts" }</th><th scope="col">{ "Last answer" }</th><th scope="col">{ "State" }</th></tr></thead>
                                        <tbody>
                                            { for log.deliveries.iter().map(|delivery| {
                                                let state = if delivery.delivered_at.is_some() {
                                                    "delivered"
                                                } else if delivery.next_attempt_at.is_some() {
                                                    "retrying"
                                                } else {
                                                    "given up"
                                                };
                                                let answer = delivery
                                                    .last_status
                                                    .map(|status| status.to_string())
                                                    .or_else(|| delivery.last_error.clone())
                                                    .unwrap_or_else(|| "—".to_owned());
                                                html! {
                                                    <tr>
                                                        <td>{ delivery.event_type.clone() }</td>
                                                        <td>{ delivery.attempts }</td>
                                                        <td>{ answer }</td>
                                                        <td>{ state }</td>
                                                    </tr>
                                                }
                                            }) }
                                        </tbody>
                                    </table>
                                </div>
                            }
                        })
                    }
                </section>
            }
        </main>
    }
}
