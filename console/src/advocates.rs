//! The console's advocates page: how many customers stand on each rung of the ladder,
//! the leaderboard, one advocate's history, and points credited (or debited) by hand.

use portevoix_core::copy::{figure, parse_figure, signed};
use portevoix_core::ladder::level_name;
use portevoix_core::outbox::ResendKey;
use portevoix_core::wire::{Adjusted, AdvocateHistory, AdvocateList, EventKind, PointsAdjustment};
use portevoix_web::hooks::use_state;
use web_sys::HtmlInputElement;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::{self, Loaded, use_admin_read};

#[derive(Properties, PartialEq)]
pub struct AdvocatesProps {
    /// The site signed in to.
    pub site: String,
}

fn encode(text: &str) -> String {
    String::from(js_sys::encode_uri_component(text))
}

#[function_component(AdvocatesPage)]
pub fn advocates_page(props: &AdvocatesProps) -> Html {
    let chosen = use_state(|| None::<String>);
    let generation = use_state(|| 0_u32);
    let problem = use_state(|| None::<String>);
    let (points_input, reason_input) = (use_node_ref(), use_node_ref());
    let list: Loaded<AdvocateList> = use_admin_read(
        Some(format!(
            "{}?limit=50",
            api::site_path(&props.site, "advocates")
        )),
        *generation,
    );
    let history: Loaded<AdvocateHistory> = use_admin_read(
        chosen.as_ref().map(|customer| {
            api::site_path(
                &props.site,
                &format!("advocates/{}/history", encode(customer)),
            )
        }),
        *generation,
    );

    // (customer, points, reason) of a credit whose answer was lost, and its key.
    let resend = use_mut_ref(ResendKey::<(String, i64, String)>::default);
    let credit = {
        let (site, chosen, generation, problem) = (
            props.site.clone(),
            chosen.clone(),
            generation.clone(),
            problem.clone(),
        );
        let (points_input, reason_input) = (points_input.clone(), reason_input.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let Some(customer_id) = (*chosen).clone() else {
                return;
            };
            let value = |node: &NodeRef| {
                node.cast::<HtmlInputElement>()
                    .map(|input| input.value())
                    .unwrap_or_default()
            };
            let Some(points) = parse_figure(&value(&points_input)) else {
                problem.set(Some(
                    "Points must be a whole number, negative to debit.".into(),
                ));
                return;
            };
            let reason = value(&reason_input);
            let idempotency_key = resend.borrow_mut().key_for(
                (customer_id.clone(), points, reason.clone()),
                api::random_key,
            );
            let adjustment = PointsAdjustment {
                customer_id,
                points,
                reason,
                idempotency_key,
            };
            let resend = resend.clone();
            let (site, generation, problem) = (site.clone(), generation.clone(), problem.clone());
            let (points_input, reason_input) = (points_input.clone(), reason_input.clone());
            spawn_local(async move {
                let outcome =
                    api::post::<_, Adjusted>(&api::site_path(&site, "points/adjust"), &adjustment)
                        .await;
                api::settle_key(&resend, &outcome);
                match outcome {
                    Ok(_) => {
                        problem.set(None);
                        for node in [&points_input, &reason_input] {
                            if let Some(input) = node.cast::<HtmlInputElement>() {
                                input.set_value("");
                            }
                        }
                        generation.set(*generation + 1);
                    }
                    Err(error) => problem.set(Some(error.to_string())),
                }
            });
        })
    };

    let Some(Ok(advocates)) = &*list else {
        return match &*list {
            Some(Err(error)) => html! { <p role="alert" class="problem">{ error.to_string() }</p> },
            _ => html! { <p aria-live="polite">{ "Loading…" }</p> },
        };
    };
    let busiest = advocates.levels.values().copied().max().unwrap_or(0).max(1);

    html! {
        <main class="advocates">
            <section aria-labelledby="ladder-title">
                <h2 id="ladder-title">{ "The ladder" }</h2>
                <ol class="ladder">
                    { for (1..=6u8).rev().map(|level| {
                        let count = advocates.levels.get(&level).copied().unwrap_or(0);
                        html! {
                            <li>
                                <span class="rung">{ format!("{level} · {}", level_name(level)) }</span>
                                <svg class="rung-bar" viewBox="0 0 100 4" preserveAspectRatio="none" aria-hidden="true">
                                    <rect x="0" y="0" height="4" width={(count as f64 * 100.0 / busiest as f64).to_string()} />
                                </svg>
                                <span class="count">{ count }</span>
                            </li>
                        }
                    }) }
                </ol>
            </section>
            <section aria-labelledby="leaders-title">
                <h2 id="leaders-title">{ "Leaderboard" }</h2>
                if advocates.advocates.is_empty() {
                    <p class="empty">{ "No known customer yet." }</p>
                } else {
                    <div class="table-frame" tabindex="0" role="region" aria-label="Leaderboard">
                        <table>
                            <thead><tr><th scope="col">{ "Customer" }</th><th scope="col">{ "Level" }</th><th scope="col">{ "Score" }</th><th scope="col">{ "Points" }</th></tr></thead>
                            <tbody>
                                { for advocates.advocates.iter().map(|advocate| {
                                    let open = {
                                        let (chosen, id) = (chosen.clone(), advocate.customer_id.clone());
                                        move |_: MouseEvent| chosen.set(Some(id.clone()))
                                    };
                                    html! {
                                        <tr aria-selected={(chosen.as_deref() == Some(advocate.customer_id.as_str())).to_string()}>
                                            <td><button type="button" class="link" onclick={open}>{ advocate.customer_id.clone() }</button></td>
                                            <td>{ format!("{} · {}", advocate.level, level_name(advocate.level)) }</td>
                                            <td>{ advocate.score }</td>
                                            <td>{ figure(advocate.points) }</td>
                                        </tr>
                                    }
                                }) }
                            </tbody>
                        </table>
                    </div>
                }
            </section>
            if let Some(customer) = &*chosen {
                <section aria-labelledby="history-title">
                    <h2 id="history-title">{ format!("History of {customer}") }</h2>
                    {
                        match &*history {
                            Some(Ok(history)) if history.customer_id == *customer => html! {
                                <>
                                    <p class="balance">{ format!("Balance: {} points", figure(history.points)) }</p>
                                    <ul class="history">
                                        { for history.events.iter().map(|event| {
                                            let kind = match event.kind {
                                                EventKind::Review => "review",
                                                EventKind::Answer => "answer",
                                                EventKind::Share => "share",
                                                EventKind::Referral => "referral",
                                                EventKind::Points => "points",
                                            };
                                            let when = js_sys::Date::new(&(event.at as f64).into())
                                                .to_locale_string("en-GB", &wasm_bindgen::JsValue::UNDEFINED);
                                            html! {
                                                <li class={kind}>
                                                    <span class="badge">{ kind }</span>
                                                    if let Some(points) = event.points {
                                                        <span class="points">{ signed(points) }</span>
                                                    }
                                                    <span class="detail">{ event.detail.clone() }</span>
                                                    <time>{ String::from(when) }</time>
                                                </li>
                                            }
                                        }) }
                                    </ul>
                                </>
                            },
                            Some(Err(error)) => html! { <p role="alert" class="problem">{ error.to_string() }</p> },
                            _ => html! { <p aria-live="polite">{ "Loading…" }</p> },
                        }
                    }
                    <form class="credit" onsubmit={credit} aria-label="Credit points by hand">
                        <div class="field">
                            <label for="credit-points">{ "Points (negative to debit)" }</label>
                            <input id="credit-points" ref={points_input} inputmode="numeric" required=true />
                        </div>
                        <div class="field">
                            <label for="credit-reason">{ "Reason" }</label>
                            <input id="credit-reason" ref={reason_input} maxlength="200" required=true />
                        </div>
                        <button type="submit">{ "Credit" }</button>
                    </form>
                    if let Some(problem) = &*problem {
                        <p role="alert" class="problem">{ problem.clone() }</p>
                    }
                </section>
            }
        </main>
    }
}
