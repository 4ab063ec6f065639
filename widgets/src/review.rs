//! `<pv-review product="SKU">`: a product's published reviews (summary, histogram, sorted
//! and paged list, helpful votes, brand replies), the form to write one, the invitation
//! to the brand's external review profiles, and the schema.org JSON-LD in the host page.
//! The form's rules are [`portevoix_core::review::form::ReviewForm`].

use std::rc::Rc;

use portevoix_core::copy::{Copy, Text};
use portevoix_core::form::{Phase, Refusal};
use portevoix_core::listing::{Pending, Shown};
use portevoix_core::locale::Locale;
use portevoix_core::moderation::Status;
use portevoix_core::review::form::{Field, FormAction, ReviewForm};
use portevoix_core::review::markup::{self, INITIAL_ATTRIBUTE, JSON_LD_ATTRIBUTE};
use portevoix_core::review::{self, ReviewSort, STARS};
use portevoix_core::validate::clip_page_url;
use portevoix_core::wire::{
    PublicSiteConfig, ReviewCreated, ReviewPage, ReviewSubmission, ReviewSummary,
};
use web_sys::{HtmlElement, HtmlInputElement, HtmlSelectElement};
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

/// Reviews fetched per page.
const PAGE_SIZE: u32 = 5;

struct FormState(ReviewForm);

impl Reducible for FormState {
    type Action = FormAction;

    fn reduce(self: Rc<Self>, action: FormAction) -> Rc<Self> {
        Rc::new(FormState(self.0.apply(action)))
    }
}

fn reviews_url(props: &WidgetProps, product: &str) -> String {
    format!(
        "{}v1/sites/{}/products/{product}/reviews",
        props.api_base, props.site
    )
}

async fn fetch_page(
    props: &WidgetProps,
    product: &str,
    sort: ReviewSort,
    only_rating: Option<u8>,
    cursor: Option<&str>,
) -> Result<ReviewPage, CallError> {
    let mut url = format!(
        "{}?sort={}&limit={PAGE_SIZE}",
        reviews_url(props, product),
        sort.as_str()
    );
    if let Some(rating) = only_rating {
        url.push_str("&rating=");
        url.push_str(&rating.to_string());
    }
    if let Some(cursor) = cursor {
        url.push_str("&cursor=");
        url.push_str(cursor);
    }
    let body = api::read(&url, None).await?;
    json::from_str(&body)
        .map_err(|error| CallError::Network(format!("unreadable reviews: {error}")))
}

/// The first page a brand's server already put in the element (the `reviews.html`
/// fragment), so the widget takes it over instead of fetching it again.
fn server_rendered_page(host: &HtmlElement, product: &str) -> Option<ReviewPage> {
    let script = host
        .query_selector(&format!("script[{INITIAL_ATTRIBUTE}]"))
        .ok()
        .flatten()?;
    let page: ReviewPage = json::from_str(&script.text_content()?).ok()?;
    (page.product == product && page.sort == ReviewSort::Newest && page.rating.is_none())
        .then_some(page)
}

/// The review the form holds, as the worker takes it.
fn submission(
    props: &WidgetProps,
    form: &ReviewForm,
    locale: Locale,
    shown_at: f64,
    turnstile_token: Option<String>,
) -> Option<ReviewSubmission> {
    let email = form.email_to_send();
    Some(ReviewSubmission {
        rating: form.rating?,
        title: form.title.clone(),
        text: form.text.clone(),
        author_name: form.author_name.clone(),
        email_consent: email.is_some() && form.consent,
        email,
        visitor_id: host::visitor_id(),
        idempotency_key: form.attempt.idempotency_key.clone()?,
        page_url: host::page_href().and_then(|href| clip_page_url(&href)),
        locale: Some(locale),
        customer_token: props.customer_token.as_ref().map(|token| token.to_string()),
        website: host::honeypot_value(&props.root),
        elapsed_ms: Some((js_sys::Date::now() - shown_at).max(0.0) as u64),
        turnstile_token,
    })
}

/// Hands the review to the outbox and reports what becomes of it.
fn send(
    props: WidgetProps,
    product: String,
    submission: ReviewSubmission,
    dispatch: ReducerDispatcher<FormState>,
    on_published: Callback<()>,
) {
    let (rating, idempotency_key) = (submission.rating, submission.idempotency_key.clone());
    let Ok(body) = json::to_string(&submission) else {
        return;
    };
    let url = reviews_url(&props, &product);
    let on_answered = {
        let props = props.clone();
        Callback::from(move |answered: Answered<ReviewCreated>| match answered {
            Answered::Stored(created) => {
                dispatch.dispatch(FormAction::Stored(created.status));
                if created.status == Status::Published {
                    on_published.emit(());
                }
                host::emit(
                    &props.host,
                    "pv:submit",
                    &[
                        ("widget", "review".into()),
                        ("site", props.site.as_str().into()),
                        ("product", product.as_str().into()),
                        ("id", created.id.as_str().into()),
                        ("rating", rating.into()),
                        ("status", created.status.as_str().into()),
                        ("verified", created.verified.into()),
                    ],
                );
            }
            Answered::Refused(error) => dispatch.dispatch(FormAction::Refused(error.refusal())),
            Answered::Waiting(hold) => dispatch.dispatch(FormAction::Held(hold)),
        })
    };
    outbox::send_answer(&props, "review", &idempotency_key, &url, &body, on_answered);
}

/// The reviews' schema.org JSON-LD, put in the host page for search engines.
fn put_json_ld(page: &ReviewPage, product: &str, product_name: Option<&str>) {
    host::put_json_ld(
        JSON_LD_ATTRIBUTE,
        product,
        &markup::json_ld(page, product_name),
    );
}

fn focus(node: &NodeRef) {
    if let Some(element) = node.cast::<HtmlElement>() {
        let _ = element.focus();
    }
}

/// The `<pv-review>` widget.
#[function_component(ReviewWidget)]
pub fn review_widget(props: &WidgetProps) -> Html {
    let ProductList {
        loaded,
        listing,
        locale,
        dark,
    } = use_product_list(props, "review", put_json_ld, true);
    let sort = use_state(ReviewSort::default);
    let only_rating = use_state(|| None::<u8>);
    let reload = use_state(u32::default);
    let writing = use_state(bool::default);
    let form = use_reducer(|| FormState(ReviewForm::default()));
    let voted = use_state(host::helpful_votes);
    let shown_at = use_state(js_sys::Date::now);
    let write_button = use_node_ref();
    let form_start = use_node_ref();
    let thanks_heading = use_node_ref();
    let product = props.product_id();

    {
        let listing = listing.clone();
        let props = props.clone();
        let product = product.clone();
        use_effect_with(
            (
                product.clone(),
                (*sort, *only_rating),
                *reload,
                props.api_base.clone(),
                props.site.clone(),
            ),
            move |(_, (sort, only_rating), reload, _, _)| {
                let Some(product) = product else {
                    listing.fail(&api::missing_product("review"));
                    return;
                };
                let first_look =
                    *sort == ReviewSort::Newest && only_rating.is_none() && *reload == 0;
                if let Some(page) =
                    server_rendered_page(&props.host, &product).filter(|_| first_look)
                {
                    listing.show(page);
                    return;
                }
                if props.site.is_empty() {
                    // The configuration hook has said so; asking would be `/v1/sites//…`.
                    return;
                }
                let (sort, only_rating) = (*sort, *only_rating);
                listing.load(
                    async move { fetch_page(&props, &product, sort, only_rating, None).await },
                );
            },
        );
    }
    let site_config = loaded.ready();
    let turnstile_site_key = site_config
        .as_ref()
        .and_then(|config| config.turnstile_site_key.clone())
        .filter(|_| *writing);
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
                {
                    let on_published = Callback::from(move |()| reload.set(*reload + 1));
                    if let Some(submission) = submission(&props, &form.0, locale, shown_at, token) {
                        send(props, product, submission, form.dispatcher(), on_published);
                    }
                }
            },
        );
    }
    {
        let thanks_heading = thanks_heading.clone();
        use_effect_with(form.0.attempt.phase.clone(), move |phase| {
            if matches!(phase, Phase::Sent(_)) {
                focus(&thanks_heading);
            }
        });
    }
    {
        let form_start = form_start.clone();
        use_effect_with(*writing, move |writing| {
            if *writing {
                focus(&form_start);
            }
        });
    }

    let Some(config) = site_config else {
        return loaded.placeholder(locale, Text::ReviewLoadError);
    };
    let copy = Copy::new(locale, &config.brand_name, &config.copy);

    let on_sort = {
        let sort = sort.clone();
        Callback::from(move |event: Event| {
            let select: HtmlSelectElement = event.target_unchecked_into();
            if let Ok(chosen) = ReviewSort::parse(&select.value()) {
                sort.set(chosen);
            }
        })
    };
    let on_rating = {
        let only_rating = only_rating.clone();
        let root = props.root.clone();
        Callback::from(move |rating: Option<u8>| {
            // A second click on the row shown takes the filter off; the row keeps the focus
            // when the notice's button that took it off goes.
            let chosen = rating.filter(|rating| *only_rating != Some(*rating));
            if chosen.is_none()
                && let Some(shown) = *only_rating
            {
                host::focus_selector(&root, &format!(".histogram button[data-stars=\"{shown}\"]"));
            }
            only_rating.set(chosen);
        })
    };
    let on_more = {
        let listing = listing.clone();
        let props = props.clone();
        let product = product.clone();
        let (sort, only_rating) = (*sort, *only_rating);
        Callback::from(move |_: MouseEvent| {
            let Some(product) = product.clone() else {
                return;
            };
            let props = props.clone();
            listing.load_more(move |cursor| async move {
                fetch_page(&props, &product, sort, only_rating, Some(&cursor)).await
            });
        })
    };
    let on_helpful = {
        let listing = listing.clone();
        let voted = voted.clone();
        let props = props.clone();
        let product = product.clone();
        Callback::from(move |review_id: String| {
            let Some(product) = product.clone() else {
                return;
            };
            let (listing, voted, props) = (listing.clone(), voted.clone(), props.clone());
            spawn_local(async move {
                let url = format!("{}/{review_id}/helpful", reviews_url(&props, &product));
                match api::vote_helpful(&url, &review_id).await {
                    Ok(None) => {}
                    Ok(Some(helpful_count)) => {
                        voted.set(host::helpful_votes());
                        listing.helpful_counted(review_id, helpful_count);
                    }
                    Err(error) => api::report(&props.host, "review", &props.site, &error),
                }
            });
        })
    };
    let on_write = {
        let writing = writing.clone();
        let shown_at = shown_at.clone();
        Callback::from(move |_: MouseEvent| {
            shown_at.set(js_sys::Date::now());
            writing.set(true);
        })
    };
    let on_cancel = {
        let writing = writing.clone();
        let write_button = write_button.clone();
        Callback::from(move |_: MouseEvent| {
            writing.set(false);
            focus(&write_button);
        })
    };

    // No review yet and no form open: the card a brand's new products all show, its one
    // message an invitation, centred when the card fills its reserved height (which is
    // otherwise mostly empty below it).
    let single = matches!(listing.shown(), Shown::Ready { page, .. } if page.summary.count == 0)
        && !*writing
        && !matches!(form.0.attempt.phase, Phase::Sent(_));
    let writer = if let Phase::Sent(status) = form.0.attempt.phase {
        thanks(
            &copy,
            &config,
            status,
            form.0.rating.unwrap_or_default(),
            &thanks_heading,
        )
    } else if *writing {
        let human_check = turnstile_site_key
            .is_some()
            .then(|| (human.container.clone(), human.token.is_some()));
        review_form(&copy, &form, human_check, &form_start, on_cancel)
    } else {
        html! {
            <button type="button" class="write" part="write" ref={write_button.clone()} onclick={on_write}>
                { copy.text(Text::ReviewWrite) }
            </button>
        }
    };

    html! {
        <section class={classes!("card", "reviews", single.then_some("single"))} part="card" lang={locale.tag()} data-mode={if dark { "dark" } else { "light" }}>
            <h2 class="heading" part="heading" tabindex="-1">{ copy.text(Text::ReviewHeading) }</h2>
            { listing_view(&copy, listing.shown(), &voted, html! { <div class="writer">{ writer }</div> }, ListControls {
                sort: *sort,
                only_rating: *only_rating,
                on_sort,
                on_rating,
                on_more,
                on_helpful,
                on_load_again: load_again(&props.root, &reload),
            }) }
            if config.show_branding {
                <p class="credit" part="credit">{ copy.text(Text::PoweredBy) }</p>
            }
        </section>
    }
}

fn star_row(rating: u8) -> Html {
    html! {
        <span class="stars" aria-hidden="true">
            { for STARS.map(|star| html! { <span class={if star <= rating { "on" } else { "off" }}>{ "★" }</span> }) }
        </span>
    }
}

fn summary_view(
    copy: &Copy,
    summary: &ReviewSummary,
    only_rating: Option<u8>,
    on_rating: &Callback<Option<u8>>,
) -> Html {
    let Some(average) = summary.average else {
        return html! { <p class="none">{ copy.text(Text::ReviewNone) }</p> };
    };
    let average_text = copy.decimal(average);
    let count_text = markup::count_text(summary.count, copy);
    let rows = STARS.rev().map(|stars| {
        let count = summary.histogram.get(&stars).copied().unwrap_or_default();
        let percent = review::percent(count, summary.count);
        let label = copy.text_with(
            Text::ReviewHistogramRow,
            &[
                ("stars", &stars.to_string()),
                ("count", &count.to_string()),
                ("percent", &percent.to_string()),
            ],
        );
        let shown = only_rating == Some(stars);
        let onclick = on_rating.reform(move |_: MouseEvent| Some(stars));
        html! {
            <li>
                <button type="button" class="bar-row" part="histogram-row" aria-pressed={shown.to_string()}
                    disabled={count == 0 && !shown} data-stars={stars.to_string()} data-count={count.to_string()} {onclick}>
                    <span class="spoken">{ label }</span>
                    <span aria-hidden="true">{ format!("{stars} ★") }</span>
                    <svg class="bar" viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true">
                        <rect class="track" width="100" height="8" rx="4" />
                        <rect class="fill" width={percent.to_string()} height="8" rx="4" />
                    </svg>
                    <span aria-hidden="true" class="bar-count">{ count }</span>
                </button>
            </li>
        }
    });
    html! {
        <div class="summary" part="summary">
            <p class="average">
                <span class="average-value" data-average={host::number_text(average)}>{ average_text.clone() }</span>
                <span role="img" aria-label={copy.text_with(Text::ReviewAverage, &[("average", &average_text)])}>
                    { star_row(average.round() as u8) }
                </span>
                <span class="count" data-count={summary.count.to_string()}>{ count_text }</span>
            </p>
            <ul class="histogram" part="histogram">{ for rows }</ul>
        </div>
    }
}

/// How the visitor steers the list: its order, its rating filter, more, and votes.
struct ListControls {
    sort: ReviewSort,
    only_rating: Option<u8>,
    on_sort: Callback<Event>,
    on_rating: Callback<Option<u8>>,
    on_more: Callback<MouseEvent>,
    on_helpful: Callback<String>,
    on_load_again: Callback<MouseEvent>,
}

/// The list and what steers it, with `writer` (the button to write a review, or the form)
/// right under the summary, where the commercial widgets put it too: a visitor who has
/// read the score finds it without scrolling past the reviews.
fn listing_view(
    copy: &Copy,
    listing: &Shown<ReviewPage>,
    voted: &[String],
    writer: Html,
    controls: ListControls,
) -> Html {
    let ListControls {
        sort,
        only_rating,
        on_sort,
        on_rating,
        on_more,
        on_helpful,
        on_load_again,
    } = controls;
    let (page, pending) = match listing {
        Shown::Loading => {
            return html! { <><div class="list-loading" aria-busy="true"></div>{ writer }</> };
        }
        Shown::Failed(failure) => {
            let notice = failed_notice(copy, Text::ReviewLoadError, *failure, on_load_again);
            return html! { <>{ notice }{ writer }</> };
        }
        Shown::Ready { page, pending } => (page, *pending),
    };
    let sort_label = |option: ReviewSort| match option {
        ReviewSort::Newest => Text::ReviewSortNewest,
        ReviewSort::Helpful => Text::ReviewSortHelpful,
        ReviewSort::RatingHigh => Text::ReviewSortRatingHigh,
        ReviewSort::RatingLow => Text::ReviewSortRatingLow,
    };
    let items = page.reviews.iter().map(|shown| {
        let voted_here = voted.contains(&shown.id);
        let onclick = {
            let on_helpful = on_helpful.clone();
            let id = shown.id.clone();
            Callback::from(move |_: MouseEvent| on_helpful.emit(id.clone()))
        };
        let rated = copy.text_with(Text::ReviewRated, &[("rating", &shown.rating.to_string())]);
        html! {
            <li key={shown.id.clone()}>
                <article class="review" part="review" data-id={shown.id.clone()} data-rating={shown.rating.to_string()}>
                    <p class="rating" role="img" aria-label={rated}>{ star_row(shown.rating) }</p>
                    <h3 class="title">{ shown.title.clone() }</h3>
                    <p class="meta">
                        <span class="author">{ shown.author_name.clone() }</span>
                        { " · " }
                        <time datetime={markup::iso_day(shown.created_at)}>{ host::format_date(shown.created_at, copy) }</time>
                        if shown.verified {
                            <span class="verified" part="verified">{ copy.text(Text::ReviewVerified) }</span>
                        }
                    </p>
                    <p class="text">{ shown.text.clone() }</p>
                    if let Some(reply) = &shown.reply {
                        <blockquote class="reply" part="reply">
                            <p class="reply-from">{ copy.text(Text::ReviewReply) }</p>
                            <p>{ reply.text.clone() }</p>
                        </blockquote>
                    }
                    <button type="button" class="helpful secondary" part="helpful" aria-pressed={voted_here.to_string()}
                        disabled={voted_here} {onclick}>
                        { copy.text_with(Text::ReviewHelpful, &[("count", &shown.helpful_count.to_string())]) }
                    </button>
                </article>
            </li>
        }
    });
    html! {
        <>
            { summary_view(copy, &page.summary, only_rating, &on_rating) }
            { writer }
            if let Some(stars) = only_rating {
                <div class="filter" part="filter">
                    <p role="status">{ copy.text_with(Text::ReviewFilterShowing, &[("stars", &stars.to_string())]) }</p>
                    <button type="button" class="secondary" onclick={on_rating.reform(|_: MouseEvent| None)}>
                        { copy.text(Text::ReviewFilterClear) }
                    </button>
                </div>
            }
            if page.summary.count > 1 {
                <div class="toolbar">
                    <label for="pv-sort">{ copy.text(Text::ReviewSortLabel) }</label>
                    <select id="pv-sort" part="sort" onchange={on_sort}>
                        { for ReviewSort::offered(only_rating).map(|option| html! {
                            // Keyed: an order no longer offered takes its own element away,
                            // never the one the browser shows as chosen.
                            <option key={option.as_str()} value={option.as_str()} selected={option == sort}>{ copy.text(sort_label(option)) }</option>
                        }) }
                    </select>
                </div>
            }
            <ol class={classes!("list", (pending == Pending::NewList).then_some("stale"))} part="list" aria-busy={pending.is_busy().to_string()}>{ for items }</ol>
            if page.next_cursor.is_some() {
                <button type="button" class="more secondary" part="more" disabled={pending.is_busy()} onclick={on_more}>
                    { copy.text(Text::ReviewMore) }
                </button>
            }
        </>
    }
}

fn field_problem(copy: &Copy, form: &ReviewForm, field: Field) -> Option<String> {
    let text = form.problem(field)?;
    Some(copy.text_with(
        text,
        &[
            ("min", &copy.number(review::MIN_TEXT_CHARS as u64)),
            (
                "max",
                &copy.number(match field {
                    Field::Title => review::MAX_TITLE_CHARS,
                    Field::AuthorName => review::MAX_NAME_CHARS,
                    _ => review::MAX_TEXT_CHARS,
                } as u64),
            ),
        ],
    ))
}

/// One labelled text input with its problem, wired for screen readers.
fn text_input(
    copy: &Copy,
    form: &ReducerHandle<FormState>,
    field: Field,
    label: Text,
    kind: &'static str,
    autocomplete: &'static str,
) -> Html {
    let state = &form.0;
    let value = match field {
        Field::Title => state.title.clone(),
        Field::AuthorName => state.author_name.clone(),
        Field::Email => state.email.clone(),
        _ => String::new(),
    };
    let oninput = {
        let form = form.clone();
        Callback::from(move |event: InputEvent| {
            let input: HtmlInputElement = event.target_unchecked_into();
            form.dispatch(FormAction::Edit(field, input.value()));
        })
    };
    fields::text_input(TextInput {
        id: format!("pv-{}", field.id()),
        label: copy.text(label),
        kind,
        autocomplete,
        value,
        oninput,
        disabled: state.locked(),
        problem: field_problem(copy, state, field),
    })
}

fn review_form(
    copy: &Copy,
    form: &ReducerHandle<FormState>,
    human_check: Option<(NodeRef, bool)>,
    form_start: &NodeRef,
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
    let stars = STARS.map(|stars| {
        let onchange = {
            let form = form.clone();
            Callback::from(move |_: Event| form.dispatch(FormAction::PickRating(stars)))
        };
        let label = copy.text_with(Text::ReviewFormStar, &[("stars", &stars.to_string())]);
        let first = if stars == 1 {
            form_start.clone()
        } else {
            NodeRef::default()
        };
        html! {
            <label class="star" part="star">
                <input type="radio" name="rating" value={stars.to_string()} aria-label={label}
                    ref={first} checked={state.rating == Some(stars)} disabled={state.locked()} {onchange} />
                <span aria-hidden="true">{ "★" }</span>
            </label>
        }
    });
    let rating_problem = field_problem(copy, state, Field::Rating);
    let text_problem = field_problem(copy, state, Field::Text);
    let on_text = {
        let form = form.clone();
        Callback::from(move |event: InputEvent| {
            let textarea: web_sys::HtmlTextAreaElement = event.target_unchecked_into();
            form.dispatch(FormAction::Edit(Field::Text, textarea.value()));
        })
    };
    let on_consent = {
        let form = form.clone();
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            form.dispatch(FormAction::Consent(input.checked()));
        })
    };
    let count = copy.number(state.text.trim().chars().count() as u64);
    let max = copy.number(review::MAX_TEXT_CHARS as u64);
    let alert = match (&state.attempt.phase, &state.attempt.refusal) {
        (Phase::WaitingToRetry(hold), _) => Some(copy.text(hold.text())),
        (_, Some(Refusal::AlreadyReviewed)) => Some(copy.text(Text::ReviewErrorAlready)),
        (_, Some(Refusal::Token)) => Some(copy.text(Text::ReviewErrorToken)),
        (_, Some(Refusal::Other | Refusal::TokenRequired | Refusal::Gone)) => {
            Some(copy.text(Text::Refused))
        }
        _ => None,
    };
    let human_ok = human_check.as_ref().is_none_or(|(_, has_token)| *has_token);
    let human_box = human_check.map(|(container, _)| container);
    let button_label = match state.attempt.phase {
        Phase::Sending => copy.text(Text::Sending),
        Phase::WaitingToRetry(_) => copy.text(Text::Retry),
        _ => copy.text(Text::ReviewFormSubmit),
    };
    html! {
        <form class="review-form" part="form" {onsubmit} novalidate=true>
            <div class="hp" aria-hidden="true">
                <label>{ "Website" }<input type="text" name="website" tabindex="-1" autocomplete="off" /></label>
            </div>
            <fieldset class="stars-input" aria-describedby={rating_problem.as_ref().map(|_| "pv-rating-problem")}>
                <legend>{ copy.text(Text::ReviewFormRating) }</legend>
                { for stars }
            </fieldset>
            if let Some(problem) = rating_problem {
                <p class="problem" id="pv-rating-problem">{ problem }</p>
            }
            { text_input(copy, form, Field::Title, Text::ReviewFormTitle, "text", "off") }
            <div class="field">
                <label for="pv-text">{ copy.text(Text::ReviewFormText) }</label>
                <textarea id="pv-text" part="comment" value={state.text.clone()} oninput={on_text}
                    disabled={state.locked()} aria-invalid={text_problem.is_some().to_string()}
                    aria-describedby={if text_problem.is_some() { "pv-text-count pv-text-problem" } else { "pv-text-count" }} />
                <p id="pv-text-count" class="count">{ copy.text_with(Text::CharacterCount, &[("count", &count), ("max", &max)]) }</p>
                if let Some(problem) = text_problem {
                    <p class="problem" id="pv-text-problem">{ problem }</p>
                }
            </div>
            { text_input(copy, form, Field::AuthorName, Text::ReviewFormName, "text", "nickname") }
            { text_input(copy, form, Field::Email, Text::ReviewFormEmail, "email", "email") }
            { fields::checkbox(Checkbox {
                id: "pv-consent",
                label: copy.text(Text::ReviewFormConsent),
                checked: state.consent,
                onchange: on_consent,
                disabled: state.locked(),
                problem: field_problem(copy, state, Field::Consent),
            }) }
            if let Some(message) = alert {
                <p class="alert" part="alert" role="alert">{ message }</p>
            }
            if let Some(container) = human_box {
                <div class="human-check" part="human-check" ref={container}></div>
            }
            <div class="actions">
                <button type="submit" part="submit" disabled={state.attempt.phase == Phase::Sending || !human_ok}>{ button_label }</button>
                <button type="button" class="secondary" onclick={on_cancel} disabled={state.locked()}>{ copy.text(Text::Cancel) }</button>
            </div>
        </form>
    }
}

fn thanks(
    copy: &Copy,
    config: &PublicSiteConfig,
    status: Status,
    rating: u8,
    heading: &NodeRef,
) -> Html {
    let message = if status == Status::Published {
        Text::ReviewThanksPublished
    } else {
        Text::ReviewThanksPending
    };
    let hub = review::invites_to_review_hub(rating) && !config.review_profiles.is_empty();
    html! {
        <div class="thanks" part="thanks" data-status={status.as_str()}>
            <h3 tabindex="-1" ref={heading.clone()}>{ copy.text(message) }</h3>
            if hub {
                { review_hub(copy, config) }
            }
        </div>
    }
}

/// The invitation to post on the brand's external review profiles too; also shown to NPS
/// promoters.
pub fn review_hub(copy: &Copy, config: &PublicSiteConfig) -> Html {
    html! {
        <div class="hub" part="hub">
            <p>{ copy.text(Text::ReviewHubInvite) }</p>
            <ul class="links">
                { for config.review_profiles.iter().map(|profile| html! {
                    <li><a href={profile.url.clone()} part="link" target="_blank" rel="noopener noreferrer">
                        { copy.text_with(Text::ReviewHubLink, &[("site", &profile.name)]) }
                    </a></li>
                }) }
            </ul>
        </div>
    }
}
