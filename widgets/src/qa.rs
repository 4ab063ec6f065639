//! `<pv-qa product="SKU">`: a product's published questions with their answers (most
//! helpful first, badged by who wrote them), a search box that narrows the list as the
//! visitor types (before they ask the same question again), the form to ask, and for
//! customers (or anyone, where the site allows) the form to answer. Also the schema.org
//! `Question` JSON-LD in the host page. The forms' rules are
//! [`portevoix_core::qa::form::QaForm`].

use std::rc::Rc;

use portevoix_core::copy::{Copy, Text};
use portevoix_core::form::{Phase, Refusal};
use portevoix_core::listing::{Pending, Shown};
use portevoix_core::locale::Locale;
use portevoix_core::moderation::Status;
use portevoix_core::qa::form::{Field, FormAction, Kind, QaForm};
use portevoix_core::qa::markup::{self, JSON_LD_ATTRIBUTE};
use portevoix_core::qa::{self, Badge};
use portevoix_core::review::markup::iso_day;
use portevoix_core::validate::clip_page_url;
use portevoix_core::wire::{
    AnswerSubmission, Posted, PublicQuestion, QuestionPage, QuestionSubmission,
};
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::WidgetProps;
use crate::api::{self, CallError};
use crate::fields::{self, Checkbox, TextInput};
use crate::hooks::use_turnstile;
use crate::host::{self, spawn_local};
use crate::listing::{ProductList, failed_notice, load_again, use_product_list};
use crate::outbox::{self, Answered};
use portevoix_web as json;
use portevoix_web::hooks::{
    ReducerDispatcher, ReducerHandle, use_effect_with, use_reducer, use_state,
};

/// Questions fetched per page.
const PAGE_SIZE: u32 = 5;
/// How long typing must pause before the worker is asked for more matches.
const SEARCH_PAUSE_MS: u64 = 250;
/// Search folding with the browser's Unicode data, which keeps Rust's tables out of the
/// Wasm (see [`qa::SearchFolding`]).
const BROWSER_UNICODE: qa::SearchFolding = qa::SearchFolding {
    lowercase: |text| js_sys::JsString::from(text).to_lower_case().into(),
    is_word_character: |character| {
        character.is_ascii_alphanumeric()
            || (!character.is_ascii()
                && WORD_CHARACTER.with(|word| word.test(character.encode_utf8(&mut [0; 4]))))
    },
};

thread_local! {
    /// Matches one alphabetic or numeric character, as Rust's `char::is_alphanumeric`.
    static WORD_CHARACTER: js_sys::RegExp = js_sys::RegExp::new(r"^[\p{Alphabetic}\p{N}]$", "u");
}

struct FormState(QaForm);

impl Reducible for FormState {
    type Action = FormAction;

    fn reduce(self: Rc<Self>, action: FormAction) -> Rc<Self> {
        Rc::new(FormState(self.0.apply(action)))
    }
}

/// Which form is open.
#[derive(Clone, PartialEq)]
enum Writing {
    Nothing,
    Question,
    Answer(String),
}

fn questions_url(props: &WidgetProps, product: &str) -> String {
    format!(
        "{}v1/sites/{}/products/{product}/questions",
        props.api_base, props.site
    )
}

async fn fetch_page(
    props: &WidgetProps,
    product: &str,
    query: &str,
    cursor: Option<&str>,
) -> Result<QuestionPage, CallError> {
    let mut url = format!("{}?limit={PAGE_SIZE}", questions_url(props, product));
    if !query.is_empty() {
        url.push_str("&q=");
        url.push_str(&String::from(js_sys::encode_uri_component(query)));
    }
    if let Some(cursor) = cursor {
        url.push_str("&cursor=");
        url.push_str(cursor);
    }
    let body = api::read(&url, None).await?;
    json::from_str(&body)
        .map_err(|error| CallError::Network(format!("unreadable questions: {error}")))
}

/// What the form sends, and where.
struct Outgoing {
    url: String,
    body: String,
    key: String,
    question_id: Option<String>,
}

fn outgoing(
    props: &WidgetProps,
    product: &str,
    writing: &Writing,
    form: &QaForm,
    locale: Locale,
    shown_at: f64,
    turnstile_token: Option<String>,
) -> Option<Outgoing> {
    let key = form.attempt.idempotency_key.clone()?;
    let customer_token = props.customer_token.as_ref().map(|token| token.to_string());
    let website = host::honeypot_value(&props.root);
    let elapsed_ms = Some((js_sys::Date::now() - shown_at).max(0.0) as u64);
    let (url, body, question_id) = match writing {
        Writing::Question => {
            let email = form.email_to_send();
            let submission = QuestionSubmission {
                text: form.text.clone(),
                author_name: form.author_name.clone(),
                email_consent: email.is_some() && form.consent,
                email,
                visitor_id: host::visitor_id(),
                idempotency_key: key.clone(),
                page_url: host::page_href().and_then(|href| clip_page_url(&href)),
                locale: Some(locale),
                customer_token,
                website,
                elapsed_ms,
                turnstile_token,
            };
            (
                questions_url(props, product),
                json::to_string(&submission).ok()?,
                None,
            )
        }
        Writing::Answer(question_id) => {
            let submission = AnswerSubmission {
                text: form.text.clone(),
                author_name: Some(form.author_name.clone()),
                visitor_id: Some(host::visitor_id()),
                idempotency_key: key.clone(),
                customer_token,
                website,
                elapsed_ms,
                turnstile_token,
            };
            (
                format!("{}/{question_id}/answers", questions_url(props, product)),
                json::to_string(&submission).ok()?,
                Some(question_id.clone()),
            )
        }
        Writing::Nothing => return None,
    };
    Some(Outgoing {
        url,
        body,
        key,
        question_id,
    })
}

/// Hands the post to the outbox and reports what becomes of it.
fn send(
    props: WidgetProps,
    product: String,
    outgoing: Outgoing,
    dispatch: ReducerDispatcher<FormState>,
    on_published: Callback<()>,
) {
    let kind = if outgoing.question_id.is_some() {
        "answer"
    } else {
        "question"
    };
    let on_answered = {
        let props = props.clone();
        Callback::from(move |answered: Answered<Posted>| match answered {
            Answered::Stored(posted) => {
                dispatch.dispatch(FormAction::Stored(posted.status));
                if posted.status == Status::Published {
                    on_published.emit(());
                }
                host::emit(
                    &props.host,
                    "pv:submit",
                    &[
                        ("widget", "qa".into()),
                        ("site", props.site.as_str().into()),
                        ("product", product.as_str().into()),
                        ("kind", kind.into()),
                        ("id", posted.id.as_str().into()),
                        ("status", posted.status.as_str().into()),
                        (
                            "badge",
                            posted.badge.map(Badge::as_str).unwrap_or_default().into(),
                        ),
                    ],
                );
            }
            Answered::Refused(error) => dispatch.dispatch(FormAction::Refused(error.refusal())),
            Answered::Waiting(hold) => dispatch.dispatch(FormAction::Held(hold)),
        })
    };
    outbox::send_answer(
        &props,
        "qa",
        &outgoing.key,
        &outgoing.url,
        &outgoing.body,
        on_answered,
    );
}

/// The questions' schema.org JSON-LD, put in the host page for search engines.
fn put_json_ld(page: &QuestionPage, product: &str, product_name: Option<&str>) {
    host::put_json_ld(
        JSON_LD_ATTRIBUTE,
        product,
        &markup::json_ld(page, product_name),
    );
}

/// The `<pv-qa>` widget.
#[function_component(QaWidget)]
pub fn qa_widget(props: &WidgetProps) -> Html {
    let search = use_state(String::new);
    // What the worker is asked for: the words of `search` that count, once typing pauses.
    let query = use_state(String::new);
    // A search's matches are not the product's questions: JSON-LD only for the whole list.
    let ProductList {
        loaded,
        listing,
        locale,
        dark,
    } = use_product_list(props, "qa", put_json_ld, query.is_empty());
    // The search the list last asked the worker for ([`qa::SearchFolding::query`] of what
    // was typed): the list shown answers it once nothing is pending.
    let asked_query = use_mut_ref(String::new);
    let latest_search = use_mut_ref(String::new);
    let reload = use_state(u32::default);
    let writing = use_state(|| Writing::Nothing);
    let form = use_reducer(|| FormState(QaForm::new(Kind::Question, "")));
    let voted = use_state(host::helpful_votes);
    let shown_at = use_state(js_sys::Date::now);
    let return_focus = use_mut_ref(Option::<String>::default);
    let product = props.product_id();

    {
        let listing = listing.clone();
        let props = props.clone();
        let product = product.clone();
        let asked_query = asked_query.clone();
        use_effect_with(
            (
                product.clone(),
                (*query).clone(),
                *reload,
                props.api_base.clone(),
                props.site.clone(),
            ),
            move |(_, query, _, _, _)| {
                let Some(product) = product else {
                    listing.fail(&api::missing_product("qa"));
                    return;
                };
                if props.site.is_empty() {
                    // The configuration hook has said so; asking would be `/v1/sites//…`.
                    return;
                }
                let query = query.clone();
                asked_query.borrow_mut().clone_from(&query);
                listing.load(async move { fetch_page(&props, &product, &query, None).await });
            },
        );
    }
    {
        // The search goes to the worker once typing pauses; meanwhile the list shown is
        // filtered at once on every key.
        let query = query.clone();
        let latest_search = latest_search.clone();
        use_effect_with((*search).clone(), move |search| {
            *latest_search.borrow_mut() = search.clone();
            let search = search.clone();
            spawn_local(async move {
                yew::platform::time::sleep(std::time::Duration::from_millis(SEARCH_PAUSE_MS)).await;
                let sent = BROWSER_UNICODE.query(&search);
                if *latest_search.borrow() == search && *query != sent {
                    query.set(sent);
                }
            });
        });
    }
    let site_config = loaded.ready();
    let turnstile_site_key = site_config
        .as_ref()
        .and_then(|config| config.turnstile_site_key.clone())
        .filter(|_| *writing != Writing::Nothing);
    let human = use_turnstile(
        turnstile_site_key.clone(),
        locale,
        form.0.attempt.refusal.clone(),
    );
    {
        let props = props.clone();
        let form = form.clone();
        let token = human.token.clone();
        let product = product.clone();
        let writing = (*writing).clone();
        let shown_at = *shown_at;
        let reload = reload.clone();
        use_effect_with(
            (
                form.0.attempt.phase.clone(),
                form.0.attempt.idempotency_key.clone(),
            ),
            move |(phase, _)| {
                if *phase == Phase::Sending
                    && let Some(product) = product
                    && let Some(outgoing) =
                        outgoing(&props, &product, &writing, &form.0, locale, shown_at, token)
                {
                    let on_published = Callback::from(move |()| reload.set(*reload + 1));
                    send(props, product, outgoing, form.dispatcher(), on_published);
                }
            },
        );
    }
    {
        let root = props.root.clone();
        let return_focus = return_focus.clone();
        use_effect_with(
            ((*writing).clone(), form.0.attempt.phase.clone()),
            move |(writing, phase)| {
                if matches!(phase, Phase::Sent(_)) {
                    host::focus_selector(&root, ".thanks h3");
                } else if *writing != Writing::Nothing {
                    host::focus_selector(&root, "#pv-qa-text");
                } else if let Some(selector) = return_focus.borrow_mut().take() {
                    host::focus_selector(&root, &selector);
                }
            },
        );
    }

    let Some(config) = site_config else {
        return loaded.placeholder(locale, Text::QaErrorLoad);
    };
    let copy = Copy::new(locale, &config.brand_name, &config.copy);
    let can_answer = props.customer_token.is_some() || config.anonymous_answers;

    let on_search = {
        let search = search.clone();
        Callback::from(move |event: InputEvent| {
            let input: HtmlInputElement = event.target_unchecked_into();
            search.set(input.value());
        })
    };
    let open = {
        let writing = writing.clone();
        let form = form.clone();
        let shown_at = shown_at.clone();
        let search = search.clone();
        let return_focus = return_focus.clone();
        Callback::from(move |target: Writing| {
            let (kind, text, opener) = match &target {
                Writing::Answer(id) => (
                    Kind::Answer,
                    String::new(),
                    format!("article[data-id=\"{id}\"] .answer-button"),
                ),
                _ => (Kind::Question, (*search).clone(), "button.write".to_owned()),
            };
            *return_focus.borrow_mut() = Some(opener);
            form.dispatch(FormAction::Start(kind, text));
            shown_at.set(js_sys::Date::now());
            writing.set(target);
        })
    };
    let on_cancel = {
        let writing = writing.clone();
        Callback::from(move |_: MouseEvent| writing.set(Writing::Nothing))
    };
    let on_more = {
        let listing = listing.clone();
        let props = props.clone();
        let product = product.clone();
        let query = (*query).clone();
        Callback::from(move |_: MouseEvent| {
            let Some(product) = product.clone() else {
                return;
            };
            let (props, query) = (props.clone(), query.clone());
            listing.load_more(move |cursor| async move {
                fetch_page(&props, &product, &query, Some(&cursor)).await
            });
        })
    };
    let on_helpful = {
        let listing = listing.clone();
        let voted = voted.clone();
        let props = props.clone();
        let product = product.clone();
        Callback::from(move |answer_id: String| {
            let Some(product) = product.clone() else {
                return;
            };
            let (listing, voted, props) = (listing.clone(), voted.clone(), props.clone());
            spawn_local(async move {
                let url = format!(
                    "{}v1/sites/{}/products/{product}/answers/{answer_id}/helpful",
                    props.api_base, props.site
                );
                match api::vote_helpful(&url, &answer_id).await {
                    Ok(None) => {}
                    Ok(Some(helpful_count)) => {
                        voted.set(host::helpful_votes());
                        listing.helpful_counted(answer_id, helpful_count);
                    }
                    Err(error) => api::report(&props.host, "qa", &props.site, &error),
                }
            });
        })
    };

    let words = BROWSER_UNICODE.words_of(&search);
    let form_view = |kind_writing: &Writing| -> Html {
        if *writing != *kind_writing {
            return Html::default();
        }
        if let Phase::Sent(status) = form.0.attempt.phase {
            return thanks(&copy, form.0.kind, status);
        }
        let human_check = turnstile_site_key
            .is_some()
            .then(|| (human.container.clone(), human.token.is_some()));
        qa_form(&copy, &form, human_check, on_cancel.clone())
    };

    // What the search found, said to screen readers by a status region always there (one
    // added with its text is not reliably read).
    let mut found_message = String::new();
    let list = match listing.shown() {
        Shown::Loading => html! { <div class="list-loading" aria-busy="true"></div> },
        Shown::Failed(failure) => failed_notice(
            &copy,
            Text::QaErrorLoad,
            *failure,
            load_again(&props.root, &reload),
        ),
        Shown::Ready { page, pending } => {
            let QuestionPage {
                questions,
                next_cursor,
                ..
            } = page;
            let shown: Vec<&PublicQuestion> = questions
                .iter()
                .filter(|question| {
                    let answers = question.answers.iter().map(|answer| answer.text.as_str());
                    let all = std::iter::once(question.text.as_str())
                        .chain(answers)
                        .collect::<Vec<_>>()
                        .join(" ");
                    BROWSER_UNICODE.matches(&all, &words)
                })
                .collect();
            let search_view = qa::SearchView {
                listed: questions.len(),
                matching: shown.len(),
                searching: !words.is_empty(),
                answered: *pending != Pending::NewList
                    && *asked_query.borrow() == BROWSER_UNICODE.query(&search),
            };
            if let Some(count) = search_view.found() {
                found_message = copy.count(
                    count as u64,
                    Text::QaSearchFoundOne,
                    Text::QaSearchFoundOther,
                );
            }
            let empty_message = search_view.notice().map(|text| copy.text(text));
            html! {
                <>
                    if let Some(message) = empty_message {
                        <p class="none" role="status">{ message }</p>
                    }
                    <ol class={classes!("list", "questions", (*pending == Pending::NewList).then_some("stale"))} part="list" aria-busy={pending.is_busy().to_string()}>
                        { for shown.into_iter().map(|question| {
                            let answer_target = Writing::Answer(question.id.clone());
                            let open_answer = {
                                let open = open.clone();
                                let target = answer_target.clone();
                                Callback::from(move |_: MouseEvent| open.emit(target.clone()))
                            };
                            let answering = *writing == answer_target;
                            html! {
                                <li key={question.id.clone()}>
                                    { question_view(&copy, question, &words, &voted, on_helpful.clone()) }
                                    if answering {
                                        { form_view(&answer_target) }
                                    } else if can_answer {
                                        <button type="button" class="answer-button secondary" part="answer-button" onclick={open_answer}>
                                            { copy.text(Text::QaAnswer) }
                                        </button>
                                    }
                                </li>
                            }
                        }) }
                    </ol>
                    if next_cursor.is_some() {
                        <button type="button" class="more secondary" part="more" disabled={pending.is_busy()} onclick={on_more}>
                            { copy.text(Text::QaMore) }
                        </button>
                    }
                </>
            }
        }
    };
    let open_question = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.emit(Writing::Question))
    };
    html! {
        <section class="card qa" part="card" lang={locale.tag()} data-mode={if dark { "dark" } else { "light" }}>
            <h2 class="heading" part="heading" tabindex="-1">{ copy.text(Text::QaHeading) }</h2>
            <div class="search" role="search">
                <label for="pv-search">{ copy.text(Text::QaSearchLabel) }</label>
                <input id="pv-search" type="search" part="search" autocomplete="off" value={(*search).clone()} oninput={on_search} />
                <p class="spoken" role="status">{ found_message }</p>
            </div>
            { list }
            <div class="writer">
                if *writing == Writing::Question {
                    { form_view(&Writing::Question) }
                } else {
                    <button type="button" class="write" part="write" onclick={open_question}>{ copy.text(Text::QaAsk) }</button>
                }
            </div>
            if config.show_branding {
                <p class="credit" part="credit">{ copy.text(Text::PoweredBy) }</p>
            }
        </section>
    }
}

fn badge_text(copy: &Copy, badge: Badge) -> String {
    copy.text(match badge {
        Badge::VerifiedBuyer => Text::QaBadgeVerifiedBuyer,
        Badge::Customer => Text::QaBadgeCustomer,
        Badge::Brand => Text::QaBadgeBrand,
        Badge::Anonymous => Text::QaBadgeAnonymous,
    })
}

/// `text` with the search words found in it marked.
fn found_text(text: &str, words: &[String]) -> Html {
    let mut shown = Vec::new();
    let mut written = 0;
    for range in BROWSER_UNICODE.found_ranges(text, words) {
        shown.push(Html::from(&text[written..range.start]));
        shown.push(html! { <mark part="found">{ &text[range.clone()] }</mark> });
        written = range.end;
    }
    shown.push(Html::from(&text[written..]));
    shown.into_iter().collect()
}

fn question_view(
    copy: &Copy,
    question: &PublicQuestion,
    words: &[String],
    voted: &[String],
    on_helpful: Callback<String>,
) -> Html {
    let count_text = copy.count(
        question.answers.len() as u64,
        Text::QaAnswerCountOne,
        Text::QaAnswerCountOther,
    );
    html! {
        <article class="question" part="question" data-id={question.id.clone()}>
            <h3 class="question-text">{ found_text(&question.text, words) }</h3>
            <p class="meta">
                { copy.text_with(Text::QaAskedBy, &[("name", &question.author_name)]) }
                { " · " }
                <time datetime={iso_day(question.created_at)}>{ host::format_date(question.created_at, copy) }</time>
                { " · " }
                <span class="answer-count">{ count_text }</span>
            </p>
            if question.answers.is_empty() {
                <p class="no-answer">{ copy.text(Text::QaNoAnswer) }</p>
            } else {
                <ul class="answers">
                    { for question.answers.iter().map(|answer| {
                        let voted_here = voted.contains(&answer.id);
                        let onclick = {
                            let on_helpful = on_helpful.clone();
                            let id = answer.id.clone();
                            Callback::from(move |_: MouseEvent| on_helpful.emit(id.clone()))
                        };
                        html! {
                            <li class="answer" part="answer" key={answer.id.clone()} data-id={answer.id.clone()} data-badge={answer.badge.as_str()}>
                                <p class="text">{ found_text(&answer.text, words) }</p>
                                <p class="meta">
                                    <span class="author">{ answer.author_name.clone() }</span>
                                    <span class="badge" part="badge">{ badge_text(copy, answer.badge) }</span>
                                    { " · " }
                                    <time datetime={iso_day(answer.created_at)}>{ host::format_date(answer.created_at, copy) }</time>
                                </p>
                                <button type="button" class="helpful secondary" part="helpful" aria-pressed={voted_here.to_string()}
                                    disabled={voted_here} {onclick}>
                                    { copy.text_with(Text::ReviewHelpful, &[("count", &answer.helpful_count.to_string())]) }
                                </button>
                            </li>
                        }
                    }) }
                </ul>
            }
        </article>
    }
}

fn field_problem(copy: &Copy, form: &QaForm, field: Field) -> Option<String> {
    let text = form.problem(field)?;
    let (min, max) = match field {
        Field::Text => form.kind.text_limits(),
        _ => (1, portevoix_core::review::MAX_NAME_CHARS),
    };
    Some(copy.text_with(
        text,
        &[
            ("min", &copy.number(min as u64)),
            ("max", &copy.number(max as u64)),
        ],
    ))
}

fn qa_form(
    copy: &Copy,
    form: &ReducerHandle<FormState>,
    human_check: Option<(NodeRef, bool)>,
    on_cancel: Callback<MouseEvent>,
) -> Html {
    let state = &form.0;
    let onsubmit = {
        let form = form.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            form.dispatch(FormAction::Submit {
                fresh_key: host::random_id(),
            });
        })
    };
    let edit = |field: Field| {
        let form = form.clone();
        Callback::from(move |event: InputEvent| {
            let value = event
                .target()
                .and_then(|target| {
                    target
                        .dyn_ref::<web_sys::HtmlTextAreaElement>()
                        .map(|textarea| textarea.value())
                        .or_else(|| {
                            target
                                .dyn_ref::<HtmlInputElement>()
                                .map(|input| input.value())
                        })
                })
                .unwrap_or_default();
            form.dispatch(FormAction::Edit(field, value));
        })
    };
    let on_consent = {
        let form = form.clone();
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            form.dispatch(FormAction::Consent(input.checked()));
        })
    };
    let question = state.kind == Kind::Question;
    let text_problem = field_problem(copy, state, Field::Text);
    let name_problem = field_problem(copy, state, Field::AuthorName);
    let email_problem = field_problem(copy, state, Field::Email);
    let consent_problem = field_problem(copy, state, Field::Consent);
    let (_, max) = state.kind.text_limits();
    let count = copy.number(state.text.trim().chars().count() as u64);
    let alert = match (&state.attempt.phase, &state.attempt.refusal) {
        (Phase::WaitingToRetry(hold), _) => Some(copy.text(hold.text())),
        (_, Some(Refusal::Token)) => Some(copy.text(Text::QaErrorToken)),
        (_, Some(Refusal::TokenRequired)) => Some(copy.text(Text::QaErrorTokenRequired)),
        (_, Some(Refusal::Gone)) => Some(copy.text(Text::QaErrorGone)),
        (_, Some(Refusal::Other | Refusal::AlreadyReviewed)) => Some(copy.text(Text::Refused)),
        _ => None,
    };
    let human_ok = human_check.as_ref().is_none_or(|(_, has_token)| *has_token);
    let human_box = human_check.map(|(container, _)| container);
    let submit_label = match (&state.attempt.phase, question) {
        (Phase::Sending, _) => copy.text(Text::Sending),
        (Phase::WaitingToRetry(_), _) => copy.text(Text::Retry),
        (_, true) => copy.text(Text::QaFormSubmitQuestion),
        (_, false) => copy.text(Text::QaFormSubmitAnswer),
    };
    let described =
        |problem: &Option<String>, id: &str| problem.as_ref().map(|_| format!("{id}-problem"));
    html! {
        <form class="qa-form" part="form" {onsubmit} novalidate=true>
            <div class="hp" aria-hidden="true">
                <label>{ "Website" }<input type="text" name="website" tabindex="-1" autocomplete="off" /></label>
            </div>
            <div class="field">
                <label for="pv-qa-text">{ copy.text(if question { Text::QaFormQuestion } else { Text::QaFormAnswer }) }</label>
                <textarea id="pv-qa-text" part="comment" value={state.text.clone()} oninput={edit(Field::Text)}
                    disabled={state.locked()} aria-invalid={text_problem.is_some().to_string()}
                    aria-describedby={match described(&text_problem, "pv-qa-text") {
                        Some(problem) => format!("pv-qa-count {problem}"),
                        None => "pv-qa-count".to_owned(),
                    }} />
                <p id="pv-qa-count" class="count">
                    { copy.text_with(Text::CharacterCount, &[("count", &count), ("max", &copy.number(max as u64))]) }
                </p>
                if let Some(problem) = text_problem.clone() {
                    <p class="problem" id="pv-qa-text-problem">{ problem }</p>
                }
            </div>
            { fields::text_input(TextInput {
                id: "pv-qa-name".to_owned(),
                label: copy.text(Text::QaFormName),
                kind: "text",
                autocomplete: "nickname",
                value: state.author_name.clone(),
                oninput: edit(Field::AuthorName),
                disabled: state.locked(),
                problem: name_problem,
            }) }
            if question {
                { fields::text_input(TextInput {
                    id: "pv-qa-email".to_owned(),
                    label: copy.text(Text::QaFormEmail),
                    kind: "email",
                    autocomplete: "email",
                    value: state.email.clone(),
                    oninput: edit(Field::Email),
                    disabled: state.locked(),
                    problem: email_problem,
                }) }
                { fields::checkbox(Checkbox {
                    id: "pv-qa-consent",
                    label: copy.text(Text::QaFormConsent),
                    checked: state.consent,
                    onchange: on_consent,
                    disabled: state.locked(),
                    problem: consent_problem,
                }) }
            }
            if let Some(message) = alert {
                <p class="alert" part="alert" role="alert">{ message }</p>
            }
            if let Some(container) = human_box {
                <div class="human-check" part="human-check" ref={container}></div>
            }
            <div class="actions">
                <button type="submit" part="submit" disabled={state.attempt.phase == Phase::Sending || !human_ok}>{ submit_label }</button>
                <button type="button" class="secondary" onclick={on_cancel} disabled={state.locked()}>{ copy.text(Text::Cancel) }</button>
            </div>
        </form>
    }
}

fn thanks(copy: &Copy, kind: Kind, status: Status) -> Html {
    let text = match (kind, status) {
        (Kind::Question, Status::Published) => Text::QaThanksQuestionPublished,
        (Kind::Question, _) => Text::QaThanksQuestionPending,
        (Kind::Answer, Status::Published) => Text::QaThanksAnswerPublished,
        (Kind::Answer, _) => Text::QaThanksAnswerPending,
    };
    html! {
        <div class="thanks" part="thanks" data-status={status.as_str()}>
            <h3 tabindex="-1">{ copy.text(text) }</h3>
        </div>
    }
}
