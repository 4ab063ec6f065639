//! `<pv-share url="…">`: one tap to share a page of the brand's site with a personal short
//! link, through the browser's native share sheet where there is one and otherwise copy
//! link, email, SMS, WhatsApp, X, Facebook or LinkedIn (plain intent URLs, no third-party
//! script); the reward on offer; and the visitor's points with their history.

use std::rc::Rc;

use portevoix_core::copy::{Copy, Text};
use portevoix_core::rewards::Reason;
use portevoix_core::share::{self, Channel};
use portevoix_core::wire::{PointsStatement, ShareCreated, ShareRequest};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlElement;
use yew::prelude::*;

use crate::WidgetProps;
use crate::api::{self, CallError};
use crate::hooks::{Outdated, use_ready_event, use_site_config};
use crate::host::{self, spawn_local};
use portevoix_web as json;
use portevoix_web::hooks::{use_effect_with, use_state};

/// The sharer's link, once asked for.
#[derive(Clone, PartialEq)]
enum LinkState {
    NotYet,
    Making,
    Ready(Rc<ShareCreated>),
    Failed,
}

fn page_url(props: &WidgetProps) -> String {
    props
        .url
        .as_ref()
        .map(|url| url.to_string())
        .or_else(|| host::page_href().map(|href| share::page_to_share(&href)))
        .unwrap_or_default()
}

async fn make_link(props: &WidgetProps) -> Result<ShareCreated, CallError> {
    let request = ShareRequest {
        url: page_url(props),
        visitor_id: host::visitor_id(),
        customer_token: props.customer_token.as_ref().map(|token| token.to_string()),
    };
    let body = json::to_string(&request).map_err(|error| CallError::Network(error.to_string()))?;
    let url = format!("{}v1/sites/{}/shares", props.api_base, props.site);
    let text = api::call("POST", &url, Some(&body)).await?;
    json::from_str(&text).map_err(|error| CallError::Network(format!("unreadable link: {error}")))
}

/// The visitor's points; `None` for an anonymous visitor this browser has no id for (they
/// have not acted yet, so have no points), or when the element has no site to ask (the
/// configuration hook has already said so).
async fn fetch_points(props: &WidgetProps) -> Result<Option<PointsStatement>, CallError> {
    let Some(visitor_id) =
        host::visitor_to_look_up(props.customer_token.is_some()).filter(|_| !props.site.is_empty())
    else {
        return Ok(None);
    };
    let url = format!(
        "{}v1/sites/{}/me/points?visitor_id={visitor_id}",
        props.api_base, props.site,
    );
    let authorization = props
        .customer_token
        .as_ref()
        .map(|token| format!("Customer {token}"));
    let text = api::read(&url, authorization.as_deref()).await?;
    json::from_str(&text)
        .map(Some)
        .map_err(|error| CallError::Network(format!("unreadable points: {error}")))
}

/// Whether the browser has a native share sheet.
fn can_share_natively() -> bool {
    web_sys::window()
        .map(|window| window.navigator())
        .is_some_and(|navigator| {
            js_sys::Reflect::has(&navigator, &JsValue::from_str("share")).unwrap_or(false)
        })
}

/// Opens the native share sheet; a visitor closing it is not an error.
async fn share_natively(link: &str, text: &str) {
    let Some(navigator) = web_sys::window().map(|window| window.navigator()) else {
        return;
    };
    let data = web_sys::ShareData::new();
    data.set_url(link);
    data.set_text(text);
    let _ = JsFuture::from(navigator.share_with_data(&data)).await;
}

/// How a ledger line reads to the visitor.
pub fn reason_text(copy: &Copy, reason: Reason) -> String {
    copy.text(match reason {
        Reason::Visit => Text::PointsReasonVisit,
        Reason::Share => Text::PointsReasonShare,
        Reason::Review => Text::PointsReasonReview,
        Reason::Answer => Text::PointsReasonAnswer,
        Reason::Nps => Text::PointsReasonNps,
        Reason::Adjustment => Text::PointsReasonAdjustment,
        Reason::Transfer => Text::PointsReasonTransfer,
        Reason::Referral => Text::PointsReasonReferral,
        Reason::Referred => Text::PointsReasonReferred,
    })
}

/// The `<pv-share>` widget.
#[function_component(ShareWidget)]
pub fn share_widget(props: &WidgetProps) -> Html {
    let loaded = use_site_config(
        &props.host,
        &props.root,
        &props.api_base,
        &props.site,
        "share",
    );
    let link = use_state(|| LinkState::NotYet);
    let copied = use_state(bool::default);
    let points = use_state(Option::<PointsStatement>::default);
    let link_input = use_node_ref();
    // Without a share sheet, the link and its channels are what "Share" gives: once they
    // show, the button would do nothing more, so it goes and focus moves to the link.
    let revealed = matches!(*link, LinkState::Ready(_)) && !can_share_natively();
    {
        let link_input = link_input.clone();
        use_effect_with(revealed, move |revealed| {
            if *revealed && let Some(input) = link_input.cast::<HtmlElement>() {
                let _ = input.focus();
            }
        });
    }

    {
        let points = points.clone();
        let props = props.clone();
        use_effect_with(
            (props.site.clone(), props.customer_token.clone()),
            move |_| {
                let (outdated, teardown) = Outdated::watch();
                spawn_local(async move {
                    let answer = fetch_points(&props).await;
                    if outdated.is_raised() {
                        return;
                    }
                    match answer {
                        Ok(statement) => points.set(statement),
                        Err(error) => api::report(&props.host, "share", &props.site, &error),
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
        config.is_some(),
        vec![("widget", "share".into()), ("site", props.site.to_string())],
    );

    let Some(config) = config else {
        return loaded.placeholder(locale, Text::ShareUnavailable);
    };
    let copy = Copy::new(locale, &config.brand_name, &config.copy);
    let message = props
        .text
        .as_ref()
        .map(|text| text.to_string())
        .unwrap_or_else(|| copy.text(Text::ShareMessage));

    let on_share = {
        let link = link.clone();
        let props = props.clone();
        let message = message.clone();
        Callback::from(move |_: MouseEvent| {
            let (link, props, message) = (link.clone(), props.clone(), message.clone());
            spawn_local(async move {
                let created = match &*link {
                    LinkState::Ready(created) => created.clone(),
                    _ => {
                        link.set(LinkState::Making);
                        match make_link(&props).await {
                            Ok(created) => {
                                let created = Rc::new(created);
                                link.set(LinkState::Ready(created.clone()));
                                host::emit(
                                    &props.host,
                                    "pv:submit",
                                    &[
                                        ("widget", "share".into()),
                                        ("site", props.site.as_str().into()),
                                        ("code", created.code.as_str().into()),
                                        ("link", created.link.as_str().into()),
                                    ],
                                );
                                created
                            }
                            Err(error) => {
                                api::report(&props.host, "share", &props.site, &error);
                                link.set(LinkState::Failed);
                                return;
                            }
                        }
                    }
                };
                if can_share_natively() {
                    share_natively(&created.link, &message).await;
                }
            });
        })
    };
    let on_copy = {
        let copied = copied.clone();
        let link = link.clone();
        Callback::from(move |_: MouseEvent| {
            if let LinkState::Ready(created) = &*link {
                let (copied, text) = (copied.clone(), created.link.clone());
                spawn_local(async move {
                    copied.set(host::copy_to_clipboard(&text).await);
                });
            }
        })
    };
    let on_link_focus = Callback::from(|event: FocusEvent| {
        if let Some(input) = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
        {
            input.select();
        }
    });

    let offer = (config.rewards.points_per_visit > 0).then(|| {
        copy.text_with(
            Text::ShareOffer,
            &[(
                "points",
                &copy.number(u64::from(config.rewards.points_per_visit)),
            )],
        )
    });
    let subject = config.brand_name.clone();
    let options = match &*link {
        LinkState::Ready(created) => html! {
            <div class="share-options" part="options">
                <div class="field link-row">
                    <label for="pv-link">{ copy.text(Text::ShareLinkLabel) }</label>
                    <div class="link-line">
                        <input id="pv-link" ref={link_input} type="text" part="input" readonly=true value={created.link.clone()} onfocus={on_link_focus} />
                        <button type="button" class="copy" part="copy" onclick={on_copy}>{ copy.text(Text::ShareCopy) }</button>
                    </div>
                    <p class="copied" role="status">{ if *copied { copy.text(Text::ShareCopied) } else { String::new() } }</p>
                </div>
                <p class="channels-label" id="pv-channels">{ copy.text(Text::ShareChannelsLabel) }</p>
                <ul class="links channels" aria-labelledby="pv-channels">
                    { for Channel::ALL.map(|channel| {
                        let label = match channel {
                            Channel::Email => copy.text(Text::ShareChannelEmail),
                            Channel::Sms => copy.text(Text::ShareChannelSms),
                            Channel::WhatsApp => "WhatsApp".to_owned(),
                            Channel::X => "X".to_owned(),
                            Channel::Facebook => "Facebook".to_owned(),
                            Channel::LinkedIn => "LinkedIn".to_owned(),
                        };
                        html! {
                            <li><a href={channel.intent(&created.link, &message, &subject)} part="link"
                                data-channel={channel.as_str()} target="_blank" rel="noopener noreferrer">{ label }</a></li>
                        }
                    }) }
                </ul>
            </div>
        },
        LinkState::Failed => {
            html! { <p class="alert" role="alert">{ copy.text(Text::ShareError) }</p> }
        }
        LinkState::NotYet | LinkState::Making => Html::default(),
    };
    let making = *link == LinkState::Making;
    let statement = (*points)
        .clone()
        .filter(|statement| statement.balance != 0 || !statement.entries.is_empty());
    html! {
        <section class="card share" part="card" lang={locale.tag()} data-mode={if dark { "dark" } else { "light" }}>
            <h2 class="heading" part="heading">{ copy.text(Text::ShareHeading) }</h2>
            if let Some(offer) = offer {
                <p class="offer" part="offer">{ offer }</p>
            }
            if !revealed {
                <div class="actions">
                    <button type="button" class="share-now" part="submit" onclick={on_share} disabled={making} aria-busy={making.to_string()}>
                        { copy.text(Text::ShareButton) }
                    </button>
                </div>
            }
            { options }
            if let Some(statement) = statement {
                <div class="points" part="points">
                    <p class="balance" data-balance={statement.balance.to_string()}>
                        { copy.text_with(Text::PointsBalance, &[("points", &copy.points(statement.balance))]) }
                    </p>
                    <details>
                        <summary>{ copy.text(Text::PointsHistory) }</summary>
                        <ol class="history">
                            { for statement.entries.iter().map(|entry| html! {
                                <li data-reason={entry.reason.as_str()}>
                                    <span class="entry-points">{ copy.points_change(entry.points) }</span>
                                    { " " }
                                    <span>{ entry.note.clone().unwrap_or_else(|| reason_text(&copy, entry.reason)) }</span>
                                    { " · " }
                                    <time>{ host::format_date(entry.created_at, &copy) }</time>
                                </li>
                            }) }
                        </ol>
                    </details>
                </div>
            }
            if config.show_branding {
                <p class="credit" part="credit">{ copy.text(Text::PoweredBy) }</p>
            }
        </section>
    }
}
