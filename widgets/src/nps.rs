//! `<pv-nps>`: the Net Promoter Score survey. The form's rules are
//! [`portevoix_core::nps::NpsForm`]; this component draws it and talks to the worker.

use std::rc::Rc;

use portevoix_core::copy::{Copy, Text};
use portevoix_core::locale::Locale;
use portevoix_core::nps::{
    Category, FormAction, LastAnswer, NpsForm, Phase, SCORES, answer_url, site_of_answer_url,
};
use portevoix_core::validate::{MAX_COMMENT_CHARS, clip_page_url};
use portevoix_core::wire::{NpsCreated, NpsSubmission, PublicSiteConfig};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CustomEvent, CustomEventInit, HtmlElement, HtmlTextAreaElement, StorageEvent};
use yew::prelude::*;

use crate::WidgetProps;
use crate::hooks::{use_ready_event, use_site_config, use_turnstile};
use crate::host;
use crate::outbox::{self, Answered};
use portevoix_web as json;
use portevoix_web::hooks::{
    ReducerDispatcher, ReducerHandle, use_effect_with, use_reducer, use_state,
};

/// The form state as a Yew reducer.
#[derive(Default)]
struct FormState(NpsForm);

impl Reducible for FormState {
    type Action = FormAction;

    fn reduce(self: Rc<Self>, action: FormAction) -> Rc<Self> {
        Rc::new(FormState(self.0.apply(action)))
    }
}

/// Where this browser keeps its last answer to `site`'s survey.
fn last_answer_key(site: &str) -> String {
    format!("portevoix.nps.{site}")
}

/// The window event a `<pv-nps>` sends when it changes the answer kept for a site, its
/// detail that answer's storage key: the browser's own `storage` event tells other tabs
/// only, and another survey of the site on this page must hear of it too.
const KEPT_ANSWER_CHANGED: &str = "portevoix:nps-kept";

/// This browser's last answer to `site`'s survey, if it kept one.
fn last_answer(site: &str) -> Option<LastAnswer> {
    let kept = host::local_storage()?
        .get_item(&last_answer_key(site))
        .ok()??;
    LastAnswer::from_stored(&kept)
}

/// Keeps the answer just handed to the outbox, so that the next visit is thanked for it
/// rather than asked again (until the site's `ask_again_after_days`): kept from the send,
/// not from the worker's reply, because an answer the network holds up is delivered later,
/// maybe by another page, and a reload meanwhile must not ask the visitor a second time.
fn remember_answer(site: &str, category: Category) {
    let answer = LastAnswer {
        at_ms: js_sys::Date::now() as i64,
        category,
    };
    let key = last_answer_key(site);
    if let Some(storage) = host::local_storage() {
        let _ = storage.set_item(&key, &answer.stored());
    }
    announce_kept_answer(&key);
}

/// Forgets the answer kept for the survey whose answer, posted to `url`, the worker
/// refused: nothing was stored, so the visitor is asked again. The outbox calls it, as it
/// hears every refusal, also of an answer an earlier page left behind and a page without
/// that survey delivers.
pub fn forget_refused_answer(url: &str) {
    if let Some(site) = site_of_answer_url(url) {
        forget_answer(site);
    }
}

/// Forgets the answer kept for `site`'s survey.
fn forget_answer(site: &str) {
    let key = last_answer_key(site);
    if let Some(storage) = host::local_storage() {
        let _ = storage.remove_item(&key);
    }
    announce_kept_answer(&key);
}

/// Tells the page's other surveys that the answer kept under `key` changed.
fn announce_kept_answer(key: &str) {
    let init = CustomEventInit::new();
    init.set_detail(&JsValue::from_str(key));
    if let (Some(window), Ok(event)) = (
        web_sys::window(),
        CustomEvent::new_with_event_init_dict(KEPT_ANSWER_CHANGED, &init),
    ) {
        let _ = window.dispatch_event(&event);
    }
}

/// This browser's last answer to `site`'s survey, read afresh on every draw (one small
/// storage read), and a new draw whenever it changes elsewhere: in another survey of the
/// page or another tab of the site. A survey then thanks them at once instead of
/// inviting a second answer, even one they had begun filling in (not one whose answer is
/// on its way); a changed `site` attribute reads that site's answer.
#[hook]
fn use_kept_answer(site: &AttrValue) -> Option<LastAnswer> {
    let redraw = use_force_update();
    use_effect_with(site.clone(), move |site| {
        let key = last_answer_key(site);
        let listener =
            host::WindowListener::start(&[KEPT_ANSWER_CHANGED, "storage"], move |event: Event| {
                let changed_key = match event.dyn_ref::<StorageEvent>() {
                    // A cleared storage has no key: every kept answer went with it.
                    Some(storage) => storage.key(),
                    None => event.unchecked_ref::<CustomEvent>().detail().as_string(),
                };
                if changed_key.is_none_or(|changed| changed == key) {
                    redraw.force_update();
                }
            });
        move || drop(listener)
    });
    last_answer(site)
}

/// Hands the answer held by `form` to the outbox, and reports what becomes of it to the
/// reducer and the page.
fn send(
    props: WidgetProps,
    form: NpsForm,
    locale: Locale,
    shown_at: f64,
    turnstile_token: Option<String>,
    dispatch: ReducerDispatcher<FormState>,
) {
    let (Some(score), Some(idempotency_key)) = (form.score, form.idempotency_key.clone()) else {
        return;
    };
    let submission = NpsSubmission {
        score,
        comment: form.comment_to_send(),
        visitor_id: host::visitor_id(),
        idempotency_key: idempotency_key.clone(),
        page_url: host::page_href().and_then(|href| clip_page_url(&href)),
        locale: Some(locale),
        customer_token: props.customer_token.as_ref().map(|token| token.to_string()),
        website: host::honeypot_value(&props.root),
        elapsed_ms: Some((js_sys::Date::now() - shown_at).max(0.0) as u64),
        turnstile_token,
    };
    let Ok(body) = json::to_string(&submission) else {
        return;
    };
    let url = answer_url(&props.api_base, &props.site);
    let on_answered = {
        let props = props.clone();
        Callback::from(move |answered: Answered<NpsCreated>| match answered {
            Answered::Stored(created) => {
                dispatch.dispatch(FormAction::Stored(created.category));
                host::emit(
                    &props.host,
                    "pv:submit",
                    &[
                        ("widget", "nps".into()),
                        ("site", props.site.as_str().into()),
                        ("id", created.id.as_str().into()),
                        ("score", score.into()),
                        ("category", created.category.as_str().into()),
                    ],
                );
            }
            Answered::Refused(error) => {
                dispatch.dispatch(FormAction::Refused(error.message().to_owned()));
            }
            Answered::Waiting(hold) => dispatch.dispatch(FormAction::Held(hold)),
        })
    };
    remember_answer(&props.site, Category::of(score));
    outbox::send_answer(&props, "nps", &idempotency_key, &url, &body, on_answered);
}

/// The `<pv-nps>` widget.
#[function_component(NpsWidget)]
pub fn nps_widget(props: &WidgetProps) -> Html {
    let loaded = use_site_config(
        &props.host,
        &props.root,
        &props.api_base,
        &props.site,
        "nps",
    );
    let form = use_reducer(FormState::default);
    let heading = use_node_ref();
    let shown_at = *use_state(js_sys::Date::now);
    let earlier = use_kept_answer(&props.site);

    let config = loaded.ready();
    let (site_locale, site_mode) = loaded.site_defaults();
    let locale = host::locale(&props.host, site_locale);
    let dark = host::use_dark_mode(site_mode);
    use_ready_event(
        &props.host,
        config.is_some(),
        vec![("widget", "nps".into()), ("site", props.site.to_string())],
    );
    let turnstile_site_key = config
        .as_ref()
        .and_then(|config| config.turnstile_site_key.clone());
    let human = use_turnstile(turnstile_site_key.clone(), locale, form.0.refusal.clone());
    {
        let props = props.clone();
        let form = form.clone();
        let token = human.token.clone();
        use_effect_with(
            (form.0.phase.clone(), form.0.idempotency_key.clone()),
            move |(phase, _)| {
                if *phase == Phase::Sending {
                    send(
                        props,
                        form.0.clone(),
                        locale,
                        shown_at,
                        token,
                        form.dispatcher(),
                    );
                }
            },
        );
    }
    {
        let heading = heading.clone();
        use_effect_with(form.0.phase.clone(), move |phase| {
            if matches!(phase, Phase::Sent(_))
                && let Some(element) = heading.cast::<HtmlElement>()
            {
                let _ = element.focus();
            }
        });
    }

    let Some(config) = config else {
        return loaded.placeholder(locale, Text::LoadError);
    };
    let copy = Copy::new(locale, &config.brand_name, &config.copy);

    let answered_since_shown = earlier.is_some_and(|earlier| earlier.given_since(shown_at as i64));
    let thanked_for = config.nps.thanked_for(earlier, js_sys::Date::now() as i64);
    let phase = form.0.shown_phase(thanked_for, answered_since_shown);
    let body = match phase {
        Phase::Sent(category) => thanks(&copy, &config, category, &heading),
        _ => {
            let human_check = turnstile_site_key
                .is_some()
                .then(|| (human.container.clone(), human.token.is_some()));
            survey(props, &copy, &form, human_check)
        }
    };
    // The thanks is the card's one message, centred when the card fills its reservation
    // (as it does for every returning visitor whose survey is drawn in view).
    let single = matches!(phase, Phase::Sent(_)).then_some("single");
    html! {
        <section class={classes!("card", single)} part="card" lang={locale.tag()} data-mode={if dark { "dark" } else { "light" }}>
            { body }
            if config.show_branding {
                <p class="credit" part="credit">{ copy.text(Text::PoweredBy) }</p>
            }
        </section>
    }
}

/// The survey form. `human_check` is the Turnstile container and whether it has given a
/// token yet, for sites that ask for one.
fn survey(
    props: &WidgetProps,
    copy: &Copy,
    form: &ReducerHandle<FormState>,
    human_check: Option<(NodeRef, bool)>,
) -> Html {
    let state = &form.0;
    let question = props
        .question
        .as_ref()
        .map(|question| question.to_string())
        .unwrap_or_else(|| copy.text(Text::NpsQuestion));
    let onsubmit = {
        let form = form.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            form.dispatch(FormAction::Submit {
                fresh_key: host::random_id(),
            });
        })
    };
    let scores = SCORES.map(|score| {
        let onchange = {
            let form = form.clone();
            Callback::from(move |_: Event| form.dispatch(FormAction::PickScore(score)))
        };
        html! {
            <label class="score" part="score">
                <input type="radio" name="score" value={score.to_string()}
                    checked={state.score == Some(score)} disabled={state.locked()} {onchange} />
                <span>{ score }</span>
            </label>
        }
    });
    let comment = state.category().map(|category| {
        let oninput = {
            let form = form.clone();
            Callback::from(move |event: InputEvent| {
                let textarea: HtmlTextAreaElement = event.target_unchecked_into();
                form.dispatch(FormAction::EditComment(textarea.value()));
            })
        };
        let count = copy.number(state.comment.trim().chars().count() as u64);
        let max = copy.number(MAX_COMMENT_CHARS as u64);
        let too_long = state.comment_too_long();
        let count_text = if too_long {
            Text::CommentTooLong
        } else {
            Text::CharacterCount
        };
        let described_by = if state.refusal.is_some() {
            "pv-count pv-alert"
        } else {
            "pv-count"
        };
        html! {
            <div class="comment">
                <label class="prompt" for="pv-comment">
                    { copy.text(Text::comment_prompt(category)) }
                    <span class="hint">{ format!(" ({})", copy.text(Text::Optional)) }</span>
                </label>
                <textarea id="pv-comment" part="comment" value={state.comment.clone()} {oninput}
                    disabled={state.locked()} aria-describedby={described_by}
                    aria-invalid={too_long.to_string()} />
                <p id="pv-count" class={classes!("count", too_long.then_some("over"))}>
                    { copy.text_with(count_text, &[("count", &count), ("max", &max)]) }
                </p>
            </div>
        }
    });
    let human_ok = human_check.as_ref().is_none_or(|(_, has_token)| *has_token);
    let human_box = human_check.map(|(container, _)| container);
    let button_label = match state.phase {
        Phase::Sending => copy.text(Text::Sending),
        Phase::WaitingToRetry(_) => copy.text(Text::Retry),
        _ => copy.text(Text::Send),
    };
    let alert = match (&state.phase, &state.refusal) {
        (Phase::WaitingToRetry(hold), _) => Some(copy.text(hold.text())),
        (_, Some(_)) => Some(copy.text(Text::Refused)),
        _ => None,
    };
    html! {
        <form {onsubmit} novalidate=true>
            // The honeypot: out of sight and out of the tab order, so only robots fill it.
            <div class="hp" aria-hidden="true">
                <label>{ "Website" }<input type="text" name="website" tabindex="-1" autocomplete="off" /></label>
            </div>
            <fieldset aria-describedby="pv-ends">
                <legend class="question" part="question">{ question }</legend>
                <div class="scale" part="scale">{ for scores }</div>
                <div class="ends" id="pv-ends">
                    <span>{ format!("0 = {}", copy.text(Text::NpsLowEnd)) }</span>
                    <span>{ format!("10 = {}", copy.text(Text::NpsHighEnd)) }</span>
                </div>
            </fieldset>
            // Optional parts sit in `if` blocks, which keep their place among the siblings,
            // so showing one never re-creates (and unfocuses) the radio group.
            if let Some(comment) = comment {
                { comment }
            }
            if let Some(message) = alert {
                <p class="alert" part="alert" role="alert" id="pv-alert">{ message }</p>
            }
            if let Some(container) = human_box {
                <div class="human-check" part="human-check" ref={container}></div>
            }
            <div class="actions">
                <button type="submit" part="submit" disabled={!state.can_submit() || !human_ok}>{ button_label }</button>
            </div>
        </form>
    }
}

fn thanks(copy: &Copy, config: &PublicSiteConfig, category: Category, heading: &NodeRef) -> Html {
    let links: Vec<(String, String)> = match category {
        Category::Promoter => [
            (&config.promoter_links.review, Text::NpsReviewLink),
            (&config.promoter_links.share, Text::NpsShareLink),
            (&config.promoter_links.referral, Text::NpsReferralLink),
        ]
        .into_iter()
        .filter_map(|(url, text)| url.clone().map(|url| (url, copy.text(text))))
        .collect(),
        Category::Detractor => config
            .contact_url
            .clone()
            .map(|url| (url, copy.text(Text::ContactLink)))
            .into_iter()
            .collect(),
        Category::Passive => Vec::new(),
    };
    html! {
        <div class="thanks" part="thanks" data-category={category.as_str()}>
            <h2 tabindex="-1" ref={heading.clone()}>{ copy.text(Text::Thanks) }</h2>
            <p>{ copy.text(Text::follow_up(category)) }</p>
            if !links.is_empty() {
                <ul class="links">
                    { for links.into_iter().map(|(href, label)| html! { <li><a {href} part="link">{ label }</a></li> }) }
                </ul>
            }
            if category == Category::Promoter && !config.review_profiles.is_empty() {
                { crate::review::review_hub(copy, config) }
            }
        </div>
    }
}
