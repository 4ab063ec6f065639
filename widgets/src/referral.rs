//! `<pv-referral>`: for an advocate, their referral link and code (made once, from their
//! name and email with consent, or from their customer token), invitations to up to five
//! friends by email, and how their referrals are doing; for a friend who landed through a
//! link, the offer made to them ("€10 off the first order, thanks to Camille"). The
//! forms' rules are [`portevoix_core::referral::form`].

use portevoix_core::copy::{Copy, Text};
use portevoix_core::referral::form::{JoinForm, invitation_addresses, invitation_problem};
use portevoix_core::token::{self, CustomerClaims};
use portevoix_core::validate;
use portevoix_core::wire::{
    FriendOffer, InvitationRequest, InvitationsSent, ReferralCard, ReferralRequest,
};
use serde::Deserialize;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::WidgetProps;
use crate::api::{self, CallError};
use crate::fields::{self, Checkbox, TextInput};
use crate::hooks::{Outdated, use_ready_event, use_site_config};
use crate::host::{self, spawn_local};
use portevoix_web as json;
use portevoix_web::hooks::{use_effect_with, use_state};

/// Where the loader keeps the code a friend landed with.
const LANDED_KEY: &str = "portevoix.referral";
const DAY_MS: f64 = 86_400_000.0;

/// The code a friend landed with, as the loader stored it.
#[derive(Deserialize)]
struct Landed {
    code: String,
    at: f64,
}

fn landed() -> Option<Landed> {
    let storage = host::local_storage()?;
    json::from_str(&storage.get_item(LANDED_KEY).ok()??).ok()
}

fn authorization(props: &WidgetProps) -> Option<String> {
    props
        .customer_token
        .as_ref()
        .map(|token| format!("Customer {token}"))
}

fn url(props: &WidgetProps, rest: &str) -> String {
    format!("{}v1/sites/{}/referrals{rest}", props.api_base, props.site)
}

/// The visitor's own referral card; `None` when they have no code yet (an anonymous
/// visitor this browser has no id for cannot have one), or when the element has no site
/// to ask (the configuration hook has already said so).
async fn fetch_card(props: &WidgetProps) -> Result<Option<ReferralCard>, CallError> {
    let Some(visitor_id) =
        host::visitor_to_look_up(props.customer_token.is_some()).filter(|_| !props.site.is_empty())
    else {
        return Ok(None);
    };
    let address = url(props, &format!("/mine?visitor_id={visitor_id}"));
    let text = api::read(&address, authorization(props).as_deref()).await?;
    if text.is_empty() {
        return Ok(None);
    }
    json::from_str(&text)
        .map(Some)
        .map_err(|error| CallError::Network(format!("unreadable referral: {error}")))
}

async fn fetch_offer(props: &WidgetProps, code: &str) -> Result<FriendOffer, CallError> {
    let text = api::read(&url(props, &format!("/{code}/offer")), None).await?;
    json::from_str(&text).map_err(|error| CallError::Network(format!("unreadable offer: {error}")))
}

/// What a failed call means to the visitor.
fn failure_text(error: &CallError) -> Text {
    match error {
        CallError::RateLimited { .. } => Text::ReferralErrorBusy,
        // Past the day's allowance, or more addresses than are left of it.
        CallError::Refused { code, .. } if code == "invitations_exhausted" => {
            Text::ReferralErrorLimit
        }
        CallError::Refused {
            field: Some(field), ..
        } if field == "emails" => Text::ReferralErrorInvites,
        CallError::Refused {
            field: Some(field), ..
        } if field == "email" => Text::ReferralErrorEmail,
        CallError::Refused {
            field: Some(field), ..
        } if field == "name" => Text::ReferralErrorName,
        _ => Text::ReferralError,
    }
}

/// The `<pv-referral>` widget.
#[function_component(ReferralWidget)]
pub fn referral_widget(props: &WidgetProps) -> Html {
    let loaded = use_site_config(
        &props.host,
        &props.root,
        &props.api_base,
        &props.site,
        "referral",
    );
    let card = use_state(Option::<Option<ReferralCard>>::default);
    let friend = use_state(Option::<FriendOffer>::default);
    let join = use_state(JoinForm::default);
    let invites = use_state(String::new);
    let message = use_state(String::new);
    let invite_tried = use_state(bool::default);
    let busy = use_state(bool::default);
    let notice = use_state(Option::<String>::default);
    let failure = use_state(Option::<Text>::default);
    let copied = use_state(bool::default);

    {
        let (card, friend, props) = (card.clone(), friend.clone(), props.clone());
        use_effect_with(
            (props.site.clone(), props.customer_token.clone()),
            move |_| {
                let (outdated, teardown) = Outdated::watch();
                spawn_local(async move {
                    let answer = fetch_card(&props).await;
                    if outdated.is_raised() {
                        return;
                    }
                    let mine = match answer {
                        Ok(mine) => mine,
                        Err(error) => {
                            api::report(&props.host, "referral", &props.site, &error);
                            None
                        }
                    };
                    let own_code = mine.as_ref().map(|mine| mine.code.clone());
                    card.set(Some(mine));
                    if let Some(landed) =
                        landed().filter(|landed| Some(&landed.code) != own_code.as_ref())
                        && let Ok(offer) = fetch_offer(&props, &landed.code).await
                        && js_sys::Date::now() - landed.at
                            <= f64::from(offer.attribution_days) * DAY_MS
                        && !outdated.is_raised()
                    {
                        friend.set(Some(offer));
                    }
                });
                teardown
            },
        );
    }
    let config = loaded.ready();
    let (site_locale, site_mode) = loaded.site_defaults();
    let locale = host::locale(&props.host, site_locale);
    let dark = host::use_dark_mode(site_mode);
    use_ready_event(
        &props.host,
        config.is_some() && card.is_some(),
        vec![
            ("widget", "referral".into()),
            ("site", props.site.to_string()),
        ],
    );

    let (Some(config), Some(mine)) = (config, (*card).clone()) else {
        return loaded.placeholder(locale, Text::ReferralUnavailable);
    };
    let copy = Copy::new(locale, &config.brand_name, &config.copy);
    let token_claims = props
        .customer_token
        .as_deref()
        .and_then(token::unverified_claims_json)
        .and_then(|claims| json::from_str::<CustomerClaims>(&claims).ok());
    let known = token_claims
        .as_ref()
        .is_some_and(|claims| claims.name.is_some() && claims.email.is_some());

    let friend_banner = (*friend).clone().map(|offer| {
        let text = match &offer.offer {
            Some(deal) => copy.text_with(
                Text::ReferralFriendOffer,
                &[("offer", deal), ("name", &offer.advocate_first_name)],
            ),
            None => copy.text_with(
                Text::ReferralFriendNoOffer,
                &[("name", &offer.advocate_first_name)],
            ),
        };
        html! { <p class="friend-offer" part="friend-offer" role="status">{ text }</p> }
    });

    let on_join = {
        let (join, busy, failure, card, props) = (
            join.clone(),
            busy.clone(),
            failure.clone(),
            card.clone(),
            props.clone(),
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let mut tried = (*join).clone();
            tried.tried = true;
            join.set(tried.clone());
            if !tried.problems(known).is_empty() {
                return;
            }
            let (busy, failure, card, props) =
                (busy.clone(), failure.clone(), card.clone(), props.clone());
            busy.set(true);
            spawn_local(async move {
                let request = ReferralRequest {
                    visitor_id: host::visitor_id(),
                    name: (!known).then(|| tried.name.trim().to_owned()),
                    email: (!known).then(|| tried.email.trim().to_owned()),
                    consent: tried.consent,
                    customer_token: props.customer_token.as_ref().map(|token| token.to_string()),
                };
                let outcome = match json::to_string(&request) {
                    Ok(body) => api::call("POST", &url(&props, ""), Some(&body)).await,
                    Err(error) => Err(CallError::Network(error.to_string())),
                };
                busy.set(false);
                match outcome.and_then(|text| {
                    json::from_str::<ReferralCard>(&text)
                        .map_err(|error| CallError::Network(error.to_string()))
                }) {
                    Ok(made) => {
                        host::emit(
                            &props.host,
                            "pv:submit",
                            &[
                                ("widget", "referral".into()),
                                ("site", props.site.as_str().into()),
                                ("code", made.code.as_str().into()),
                            ],
                        );
                        failure.set(None);
                        card.set(Some(Some(made)));
                    }
                    Err(error) => {
                        api::report(&props.host, "referral", &props.site, &error);
                        failure.set(Some(failure_text(&error)));
                    }
                }
            });
        })
    };

    let body = match mine {
        None => {
            let edit = |apply: fn(&mut JoinForm, String)| {
                let join = join.clone();
                Callback::from(move |event: InputEvent| {
                    let input: HtmlInputElement = event.target_unchecked_into();
                    let mut next = (*join).clone();
                    apply(&mut next, input.value());
                    join.set(next);
                })
            };
            let on_consent = {
                let join = join.clone();
                Callback::from(move |event: Event| {
                    let input: HtmlInputElement = event.target_unchecked_into();
                    let mut next = (*join).clone();
                    next.consent = input.checked();
                    join.set(next);
                })
            };
            let problem = |field: &str| join.problem(field, known).map(|text| copy.text(text));
            let (name_problem, email_problem, consent_problem) =
                (problem("name"), problem("email"), problem("consent"));
            html! {
                <form class="join" part="form" onsubmit={on_join} novalidate=true>
                    if !known {
                        { fields::text_input(TextInput {
                            id: "pv-ref-name".to_owned(),
                            label: copy.text(Text::ReferralName),
                            kind: "text",
                            autocomplete: "name",
                            value: join.name.clone(),
                            oninput: edit(|form, value| form.name = validate::without_unseen_controls(&value)),
                            disabled: false,
                            problem: name_problem,
                        }) }
                        { fields::text_input(TextInput {
                            id: "pv-ref-email".to_owned(),
                            label: copy.text(Text::ReferralEmail),
                            kind: "email",
                            autocomplete: "email",
                            value: join.email.clone(),
                            oninput: edit(|form, value| form.email = value),
                            disabled: false,
                            problem: email_problem,
                        }) }
                    }
                    { fields::checkbox(Checkbox {
                        id: "pv-ref-consent",
                        label: copy.text(Text::ReferralConsent),
                        checked: join.consent,
                        onchange: on_consent,
                        disabled: false,
                        problem: consent_problem,
                    }) }
                    <div class="actions">
                        <button type="submit" part="submit" disabled={*busy}>{ copy.text(Text::ReferralJoin) }</button>
                    </div>
                </form>
            }
        }
        Some(mine) => {
            let copy_value = |value: String| {
                let copied = copied.clone();
                Callback::from(move |_: MouseEvent| {
                    let (copied, value) = (copied.clone(), value.clone());
                    spawn_local(async move { copied.set(host::copy_to_clipboard(&value).await) });
                })
            };
            let on_invite = {
                let (invites, message, tried, busy, notice, failure, card, props) = (
                    invites.clone(),
                    message.clone(),
                    invite_tried.clone(),
                    busy.clone(),
                    notice.clone(),
                    failure.clone(),
                    card.clone(),
                    props.clone(),
                );
                let code = mine.code.clone();
                let copy = copy.clone();
                Callback::from(move |event: SubmitEvent| {
                    event.prevent_default();
                    tried.set(true);
                    if invitation_problem(&invites).is_some() {
                        return;
                    }
                    let request = InvitationRequest {
                        visitor_id: host::visitor_id(),
                        emails: invitation_addresses(&invites),
                        message: Some((*message).clone()).filter(|text| !text.trim().is_empty()),
                        customer_token: props
                            .customer_token
                            .as_ref()
                            .map(|token| token.to_string()),
                    };
                    let (invites, tried, busy, notice, failure, card, props, code, copy) = (
                        invites.clone(),
                        tried.clone(),
                        busy.clone(),
                        notice.clone(),
                        failure.clone(),
                        card.clone(),
                        props.clone(),
                        code.clone(),
                        copy.clone(),
                    );
                    busy.set(true);
                    spawn_local(async move {
                        let outcome = match json::to_string(&request) {
                            Ok(body) => {
                                api::call(
                                    "POST",
                                    &url(&props, &format!("/{code}/invitations")),
                                    Some(&body),
                                )
                                .await
                            }
                            Err(error) => Err(CallError::Network(error.to_string())),
                        };
                        busy.set(false);
                        match outcome.and_then(|text| {
                            json::from_str::<InvitationsSent>(&text)
                                .map_err(|error| CallError::Network(error.to_string()))
                        }) {
                            Ok(sent) => {
                                failure.set(None);
                                invites.set(String::new());
                                tried.set(false);
                                notice.set(Some(copy.text_with(
                                    Text::ReferralInvited,
                                    &[
                                        ("count", &sent.invited.to_string()),
                                        ("left", &sent.left_today.to_string()),
                                    ],
                                )));
                                if let Ok(refreshed) = fetch_card(&props).await {
                                    card.set(Some(refreshed));
                                }
                            }
                            Err(error) => {
                                api::report(&props.host, "referral", &props.site, &error);
                                failure.set(Some(failure_text(&error)));
                            }
                        }
                    });
                })
            };
            let on_invites = {
                let invites = invites.clone();
                Callback::from(move |event: InputEvent| {
                    let area: HtmlTextAreaElement = event.target_unchecked_into();
                    invites.set(area.value());
                })
            };
            let on_message = {
                let message = message.clone();
                Callback::from(move |event: InputEvent| {
                    let input: HtmlInputElement = event.target_unchecked_into();
                    message.set(input.value());
                })
            };
            let invite_problem = (*invite_tried)
                .then(|| invitation_problem(&invites))
                .flatten()
                .map(|text| copy.text(text));
            let stats = mine.stats;
            html! {
                <div class="referral-card" part="referral-card" data-code={mine.code.clone()}>
                    <div class="field link-row">
                        <label for="pv-ref-link">{ copy.text(Text::ShareLinkLabel) }</label>
                        <div class="link-line">
                            <input id="pv-ref-link" type="text" part="input" readonly=true value={mine.link.clone()} />
                            <button type="button" class="copy" onclick={copy_value(mine.link.clone())}>{ copy.text(Text::ShareCopy) }</button>
                        </div>
                    </div>
                    <p class="code-line">
                        <span class="code">{ copy.text_with(Text::ReferralCode, &[("code", &mine.code)]) }</span>
                        { " " }
                        <button type="button" class="secondary" onclick={copy_value(mine.code.clone())}>{ copy.text(Text::ReferralCopyCode) }</button>
                    </p>
                    <p class="copied" role="status">{ if *copied { copy.text(Text::ShareCopied) } else { String::new() } }</p>
                    <form class="invite" part="form" onsubmit={on_invite} novalidate=true>
                        <div class="field">
                            <label for="pv-ref-invites">{ copy.text(Text::ReferralInviteLabel) }</label>
                            <textarea id="pv-ref-invites" part="comment" value={(*invites).clone()} oninput={on_invites}
                                aria-invalid={invite_problem.is_some().to_string()}
                                aria-describedby={invite_problem.as_ref().map(|_| "pv-ref-invites-problem")} />
                            if let Some(problem) = invite_problem {
                                <p class="problem" id="pv-ref-invites-problem">{ problem }</p>
                            }
                        </div>
                        <div class="field">
                            <label for="pv-ref-message">{ copy.text(Text::ReferralMessage) }</label>
                            <input id="pv-ref-message" type="text" part="input" value={(*message).clone()} oninput={on_message} />
                        </div>
                        <div class="actions">
                            <button type="submit" part="submit" disabled={*busy}>{ copy.text(Text::ReferralInviteSend) }</button>
                        </div>
                    </form>
                    if let Some(text) = (*notice).clone() {
                        <p class="notice" role="status">{ text }</p>
                    }
                    <p class="stats" part="stats" data-converted={stats.converted.to_string()}>
                        { copy.text_with(Text::ReferralStats, &[
                            ("invited", &stats.invited.to_string()),
                            ("visited", &stats.visited.to_string()),
                            ("converted", &stats.converted.to_string()),
                            ("rewards", &stats.rewards.to_string()),
                        ]) }
                    </p>
                </div>
            }
        }
    };
    let settings = &config.referral;
    let pitch = settings
        .friend_offer
        .as_ref()
        .filter(|_| settings.advocate_points > 0)
        .map(|offer| {
            copy.text_with(
                Text::ReferralPitch,
                &[
                    ("offer", offer),
                    ("points", &copy.number(u64::from(settings.advocate_points))),
                ],
            )
        });
    html! {
        <section class="card referral" part="card" lang={locale.tag()} data-mode={if dark { "dark" } else { "light" }}>
            <h2 class="heading" part="heading">{ copy.text(Text::ReferralHeading) }</h2>
            if let Some(banner) = friend_banner {
                { banner }
            }
            if let Some(pitch) = pitch {
                <p class="offer" part="offer">{ pitch }</p>
            }
            { body }
            if let Some(text) = *failure {
                <p class="alert" part="alert" role="alert">{ copy.text(text) }</p>
            }
            if config.show_branding {
                <p class="credit" part="credit">{ copy.text(Text::PoweredBy) }</p>
            }
        </section>
    }
}
