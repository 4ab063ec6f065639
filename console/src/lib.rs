//! The Portevoix brand console: one page, served by the worker at `/console`, where a
//! marketer signs in with the site's admin token (exchanged at once for a short-lived
//! HttpOnly session cookie; the token is never stored), sees the site's NPS, works the
//! moderation queue, replies to published reviews, takes down published answers, follows its advocates and the share and referral funnels, manages
//! webhooks, exports tables, answers privacy requests and edits the site's settings.
//!
//! Built by `npm run build`; tried in a browser by `npm start` (the console link on the
//! demo page).

mod advocates;
mod answers;
mod api;
mod exports;
mod funnels;
mod integrations;
mod moderation;
mod nps;
mod privacy;
mod published;
mod reviews;
mod settings;
mod texts;

use portevoix_core::wire::ConsoleSession;
use portevoix_web::hooks::{use_effect_with, use_state};
use wasm_bindgen::prelude::*;
use web_sys::{HtmlDialogElement, HtmlInputElement};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::advocates::AdvocatesPage;
use crate::answers::AnswersPage;
use crate::api::ApiError;
use crate::exports::ExportsPage;
use crate::funnels::FunnelsPage;
use crate::integrations::IntegrationsPage;
use crate::moderation::ModerationPage;
use crate::nps::NpsPage;
use crate::privacy::PrivacyPage;
use crate::reviews::ReviewsPage;
use crate::settings::SettingsPage;

/// Where the console remembers the last site signed in to (the key only, never a token).
const SITE_KEY_STORAGE: &str = "portevoix.console.site";

/// Draws the console into the page's `<div id="console">`.
#[wasm_bindgen(start)]
pub fn start() {
    let root = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id("console"));
    if let Some(root) = root {
        yew::Renderer::<Console>::with_root(root).render();
    }
}

/// The site key from `?site=`, else the one last signed in to.
fn initial_site() -> String {
    let window = web_sys::window();
    let from_url = window
        .as_ref()
        .and_then(|window| window.location().search().ok())
        .and_then(|search| web_sys::UrlSearchParams::new_with_str(&search).ok())
        .and_then(|params| params.get("site"));
    from_url
        .or_else(|| {
            window
                .and_then(|window| window.local_storage().ok().flatten())
                .and_then(|storage| storage.get_item(SITE_KEY_STORAGE).ok().flatten())
        })
        .unwrap_or_default()
}

fn remember_site(site: &str) {
    if let Some(storage) =
        web_sys::window().and_then(|window| window.local_storage().ok().flatten())
    {
        let _ = storage.set_item(SITE_KEY_STORAGE, site);
    }
}

/// Where the console is in its sign-in.
#[derive(Debug, Clone, PartialEq)]
enum Auth {
    /// Asking the worker whether this browser holds a session.
    Checking,
    /// No session: the sign-in form.
    SignedOut,
    /// Signed in to a site.
    SignedIn(ConsoleSession),
}

/// The console's pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Nps,
    Moderation,
    Reviews,
    Answers,
    Advocates,
    Funnels,
    Integrations,
    Exports,
    Privacy,
    Settings,
}

#[function_component(Console)]
fn console() -> Html {
    let site = use_state(initial_site);
    let auth = use_state(|| Auth::Checking);
    let tab = use_state(|| Tab::Nps);
    // The session ended while signed in: the page stays, under a dialog to sign in again.
    let lapsed = use_state(|| false);
    let signed_in_again = use_state(|| 0_u32);

    {
        let auth = auth.clone();
        let site = (*site).clone();
        use_effect_with((), move |_| {
            if site.is_empty() {
                auth.set(Auth::SignedOut);
            } else {
                spawn_local(async move {
                    auth.set(match api::current_session(&site).await {
                        Ok(session) => Auth::SignedIn(session),
                        Err(_) => Auth::SignedOut,
                    });
                });
            }
        });
    }

    let on_signed_in = {
        let (auth, site) = (auth.clone(), site.clone());
        let (lapsed, signed_in_again) = (lapsed.clone(), signed_in_again.clone());
        Callback::from(move |session: ConsoleSession| {
            remember_site(&session.site);
            site.set(session.site.clone());
            auth.set(Auth::SignedIn(session));
            if *lapsed {
                lapsed.set(false);
                signed_in_again.set(*signed_in_again + 1);
            }
        })
    };
    let on_signed_out = {
        let (auth, lapsed) = (auth.clone(), lapsed.clone());
        Callback::from(move |()| {
            lapsed.set(false);
            auth.set(Auth::SignedOut);
        })
    };

    match &*auth {
        Auth::Checking => html! { <p class="checking" aria-live="polite">{ "Loading…" }</p> },
        Auth::SignedOut => html! {
            <main class="sign-in">
                <h1 id="sign-in-title">{ "Portevoix console" }</h1>
                <SignInForm site={(*site).clone()} on_signed_in={on_signed_in} labelled_by="sign-in-title" />
            </main>
        },
        Auth::SignedIn(session) => {
            let sign_out = {
                let site = session.site.clone();
                let on_signed_out = on_signed_out.clone();
                Callback::from(move |_: MouseEvent| {
                    let site = site.clone();
                    let on_signed_out = on_signed_out.clone();
                    spawn_local(async move {
                        let _ = api::sign_out(&site).await;
                        on_signed_out.emit(());
                    });
                })
            };
            let on_session_ended = {
                let lapsed = lapsed.clone();
                Callback::from(move |()| lapsed.set(true))
            };
            let tab_button = |which: Tab, label: &str| {
                let tab = tab.clone();
                html! {
                    <button type="button" class="tab" aria-current={(*tab == which).then_some("page")}
                        onclick={move |_: MouseEvent| tab.set(which)}>{ label.to_owned() }</button>
                }
            };
            let site = &session.site;
            html! {
                <>
                    <api::SessionWatch on_ended={on_session_ended} site={site.clone()}
                        signed_in_again={*signed_in_again} />
                    <header class="bar">
                        <h1>{ format!("{} · Portevoix console", session.brand_name) }</h1>
                        <nav aria-label="Console">
                            { tab_button(Tab::Nps, "NPS") }
                            { tab_button(Tab::Moderation, "Moderation") }
                            { tab_button(Tab::Reviews, "Reviews") }
                            { tab_button(Tab::Answers, "Answers") }
                            { tab_button(Tab::Advocates, "Advocates") }
                            { tab_button(Tab::Funnels, "Funnels") }
                            { tab_button(Tab::Integrations, "Integrations") }
                            { tab_button(Tab::Exports, "Exports") }
                            { tab_button(Tab::Privacy, "Privacy") }
                            { tab_button(Tab::Settings, "Settings") }
                        </nav>
                        <button type="button" class="quiet" onclick={sign_out}>{ "Sign out" }</button>
                    </header>
                    // Keyed by site: signing in again to another site starts its pages afresh.
                    {
                        match *tab {
                            Tab::Nps => html! { <NpsPage key={site.as_str()} site={site.clone()} /> },
                            Tab::Moderation => html! { <ModerationPage key={site.as_str()} site={site.clone()} /> },
                            Tab::Reviews => html! { <ReviewsPage key={site.as_str()} site={site.clone()} /> },
                            Tab::Answers => html! { <AnswersPage key={site.as_str()} site={site.clone()} /> },
                            Tab::Advocates => html! { <AdvocatesPage key={site.as_str()} site={site.clone()} /> },
                            Tab::Funnels => html! { <FunnelsPage key={site.as_str()} site={site.clone()} /> },
                            Tab::Integrations => html! { <IntegrationsPage key={site.as_str()} site={site.clone()} /> },
                            Tab::Exports => html! { <ExportsPage key={site.as_str()} site={site.clone()} /> },
                            Tab::Privacy => html! { <PrivacyPage key={site.as_str()} site={site.clone()} /> },
                            Tab::Settings => html! { <SettingsPage key={site.as_str()} site={site.clone()} /> },
                        }
                    }
                    if *lapsed {
                        <SignInAgain site={site.clone()} on_signed_in={on_signed_in} />
                    }
                </>
            }
        }
    }
}

#[derive(Properties, PartialEq)]
struct SignInProps {
    site: String,
    on_signed_in: Callback<ConsoleSession>,
}

#[derive(Properties, PartialEq)]
struct SignInFormProps {
    site: String,
    on_signed_in: Callback<ConsoleSession>,
    /// The id of the heading that names the form where it stands.
    labelled_by: &'static str,
}

/// The sign-in form over the page whose session ended, in a modal dialog: what the
/// marketer was doing (a draft, a half-filled form) stays there, and the call the worker
/// refused is made once signed in. It cannot be dismissed; signing in again is the way back.
#[function_component(SignInAgain)]
fn sign_in_again(props: &SignInProps) -> Html {
    let dialog = use_node_ref();
    {
        let dialog = dialog.clone();
        use_effect_with((), move |_| {
            if let Some(dialog) = dialog.cast::<HtmlDialogElement>() {
                let _ = dialog.show_modal();
            }
        });
    }
    html! {
        <dialog ref={dialog} class="sign-in-again" aria-labelledby="sign-in-again-title"
            oncancel={|event: Event| event.prevent_default()}>
            <h2 id="sign-in-again-title">{ "Your session has ended" }</h2>
            <p>{ "Sign in again to go on: what you were doing stays on the page, and what you asked for is done once you are signed in." }</p>
            <SignInForm site={props.site.clone()} on_signed_in={props.on_signed_in.clone()}
                labelled_by="sign-in-again-title" />
        </dialog>
    }
}

/// The site key and admin token, sent once; the token leaves memory with the form.
#[function_component(SignInForm)]
fn sign_in_form(props: &SignInFormProps) -> Html {
    let site_input = use_node_ref();
    let token_input = use_node_ref();
    let problem = use_state(|| None::<String>);
    let sending = use_state(|| false);

    let onsubmit = {
        let (site_input, token_input) = (site_input.clone(), token_input.clone());
        let (problem, sending) = (problem.clone(), sending.clone());
        let on_signed_in = props.on_signed_in.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let (Some(site_field), Some(token_field)) = (
                site_input.cast::<HtmlInputElement>(),
                token_input.cast::<HtmlInputElement>(),
            ) else {
                return;
            };
            let site = site_field.value().trim().to_owned();
            let token = token_field.value();
            if site.is_empty() || token.trim().is_empty() {
                problem.set(Some("Enter the site key and its admin token.".into()));
                return;
            }
            let (problem, sending, on_signed_in) =
                (problem.clone(), sending.clone(), on_signed_in.clone());
            sending.set(true);
            spawn_local(async move {
                let outcome = api::sign_in(&site, token).await;
                sending.set(false);
                match outcome {
                    Ok(session) => {
                        token_field.set_value("");
                        on_signed_in.emit(session);
                    }
                    Err(ApiError::SignedOut) => {
                        problem.set(Some("This admin token does not open this site.".into()));
                    }
                    Err(error) => problem.set(Some(error.to_string())),
                }
            });
        })
    };

    html! {
        <form class="sign-in-form" {onsubmit} aria-labelledby={props.labelled_by}>
            <label for="site">{ "Site key" }</label>
            <input id="site" name="site" ref={site_input} value={props.site.clone()}
                autocomplete="username" required=true spellcheck="false" />
            <label for="token">{ "Admin token" }</label>
            // With the site key already there, the token is what is left to type.
            <input id="token" name="token" type="password" ref={token_input}
                autocomplete="current-password" required=true autofocus={!props.site.is_empty()} />
            <p class="hint">{ "The token is exchanged for a session of two hours and is never stored." }</p>
            if let Some(problem) = &*problem {
                <p role="alert" class="problem">{ problem.clone() }</p>
            }
            <button type="submit" disabled={*sending}>{ if *sending { "Signing in…" } else { "Sign in" } }</button>
        </form>
    }
}
