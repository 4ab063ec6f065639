//! The console's settings page: brand name, default language, branding, allowed origins,
//! contact, review and promoter links, theme (colour mode, light and dark colours, font,
//! corner radius and spacing, with a live preview of a widget in each palette and its
//! contrast problems as they are typed), the NPS survey, moderation rules, reward points,
//! the referral programme and the widgets' texts ([`TextsEditor`]): all a brand's
//! marketer may change, so that none of it waits for an operator. The worker checks
//! everything before saving anything; its refusal names the field.

use portevoix_core::copy::set_override;
use portevoix_core::locale::Locale;
use portevoix_core::settings::{SiteSettings, profiles_of, profiles_text};
use portevoix_core::theme::{ColorMode, Palette, Theme, picker_hex};
use portevoix_web::hooks::{StateHandle, use_effect_with, use_state};
use web_sys::{HtmlElement, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::{self, ApiError};
use crate::texts::{TextEdit, TextsEditor, language_name};

#[derive(Properties, PartialEq)]
pub struct SettingsProps {
    /// The site signed in to.
    pub site: String,
}

/// Where the page is with the worker.
#[derive(Debug, Clone, PartialEq)]
enum Status {
    Idle,
    Saving,
    Saved,
    Refused(String),
}

fn text_of(event: &InputEvent) -> String {
    let target = event.target();
    target
        .clone()
        .and_then(|target| wasm_bindgen::JsCast::dyn_into::<HtmlInputElement>(target).ok())
        .map(|input| input.value())
        .or_else(|| {
            target
                .and_then(|target| {
                    wasm_bindgen::JsCast::dyn_into::<HtmlTextAreaElement>(target).ok()
                })
                .map(|area| area.value())
        })
        .or_else(|| {
            event
                .target()
                .and_then(|target| wasm_bindgen::JsCast::dyn_into::<HtmlSelectElement>(target).ok())
                .map(|select| select.value())
        })
        .unwrap_or_default()
}

/// Whether the checkbox the event came from is ticked.
fn checked_of(event: &InputEvent) -> bool {
    event
        .target()
        .and_then(|target| wasm_bindgen::JsCast::dyn_into::<HtmlInputElement>(target).ok())
        .is_some_and(|input| input.checked())
}

/// A whole number's field (empty for a limit that is not set); what is not a number is
/// sent for the worker to refuse, naming the field.
fn number_field(
    id: &'static str,
    label: &'static str,
    value: Option<u32>,
    oninput: Callback<InputEvent>,
) -> Html {
    let value = value.map(|value| value.to_string()).unwrap_or_default();
    html! {
        <div class="field">
            <label for={id}>{ label }</label>
            <input {id} inputmode="numeric" {value} {oninput} />
        </div>
    }
}

/// A whole number as typed in a [`number_field`]; anything else becomes a number past
/// every limit, which the worker refuses with the field's range.
fn number_of(value: &str) -> u32 {
    value.trim().parse().unwrap_or(u32::MAX)
}

/// An optional limit as typed in a [`number_field`]: empty is none.
fn optional_number_of(value: &str) -> Option<u32> {
    (!value.trim().is_empty()).then(|| number_of(value))
}

/// An optional text setting: empty is none.
fn optional(value: String) -> Option<String> {
    Some(value).filter(|value| !value.trim().is_empty())
}

/// A yes-or-no setting's checkbox, its label beside it.
fn check_field(
    id: &'static str,
    label: &'static str,
    checked: bool,
    oninput: Callback<InputEvent>,
) -> Html {
    html! {
        <label class="check" for={id}>
            <input {id} type="checkbox" {checked} {oninput} />
            <span>{ label }</span>
        </label>
    }
}

/// A theme colour: a text field for any CSS colour, and beside it the browser's colour
/// picker, so a brand can pick a colour by eye as well as paste its hex code. Both edit
/// the same setting.
fn colour_field(id: &str, label: &'static str, value: &str, oninput: Callback<InputEvent>) -> Html {
    html! {
        <div class="field">
            <label for={id.to_owned()}>{ label }</label>
            <div class="colour">
                <input id={id.to_owned()} value={value.to_owned()} oninput={oninput.clone()} />
                <input type="color" aria-label={format!("{label} picker")}
                    value={picker_hex(value).unwrap_or_default()} {oninput} />
            </div>
        </div>
    }
}

/// What the console calls each of a palette's colours (by [`Palette::colours`]' names).
fn colour_label(name: &str) -> &'static str {
    match name {
        "accent" => "Accent colour",
        "on_accent" => "Text on the accent",
        "text" => "Text colour",
        _ => "Background",
    }
}

/// What each colour mode does, as the console offers it.
fn mode_label(mode: ColorMode) -> (&'static str, &'static str) {
    match mode {
        ColorMode::Light => ("Light", "always the light colours"),
        ColorMode::Dark => ("Dark", "always the dark colours"),
        ColorMode::Auto => (
            "Follow the page",
            "your page's dark-mode switch, else the visitor's system setting",
        ),
    }
}

/// Hands `palette` and the theme's font, radius and spacing to a preview card as CSS
/// custom properties, through the CSSOM (the console's policy forbids inline style
/// attributes).
fn paint_preview(preview: &NodeRef, palette: &Palette, theme: &Theme) {
    let Some(element) = preview.cast::<HtmlElement>() else {
        return;
    };
    let style = element.style();
    for (name, value) in palette.colours().into_iter().chain([
        ("radius", theme.radius.as_str()),
        ("font", theme.font.as_str()),
        ("spacing", theme.spacing.as_str()),
    ]) {
        let property = format!("--preview-{}", name.replace('_', "-"));
        let _ = style.set_property(&property, value);
    }
}

/// A field's input handler: applies `change`, with what `read` makes of the field (its
/// text, or whether it is ticked), to a copy of the draft.
fn on_edit<T: 'static>(
    draft: &StateHandle<Option<Result<SiteSettings, ApiError>>>,
    status: &StateHandle<Status>,
    read: fn(&InputEvent) -> T,
    change: impl Fn(&mut SiteSettings, T) + 'static,
) -> Callback<InputEvent> {
    let (draft, status) = (draft.clone(), status.clone());
    Callback::from(move |event: InputEvent| {
        if let Some(Ok(mut settings)) = (*draft).clone() {
            change(&mut settings, read(&event));
            draft.set(Some(Ok(settings)));
            status.set(Status::Idle);
        }
    })
}

#[function_component(SettingsPage)]
pub fn settings_page(props: &SettingsProps) -> Html {
    let draft = use_state(|| None::<Result<SiteSettings, ApiError>>);
    let status = use_state(|| Status::Idle);
    let previews = [use_node_ref(), use_node_ref()];

    {
        let draft = draft.clone();
        use_effect_with(props.site.clone(), move |site| {
            let site = site.clone();
            api::start_read(async move {
                let loaded = api::get::<SiteSettings>(&api::site_path(&site, "settings")).await;
                draft.set(Some(loaded));
            })
        });
    }

    {
        let previews = previews.clone();
        let theme = match &*draft {
            Some(Ok(settings)) => Some(settings.config.theme.clone()),
            _ => None,
        };
        use_effect_with(theme, move |theme| {
            if let Some(theme) = theme {
                paint_preview(&previews[0], &theme.light, theme);
                paint_preview(&previews[1], &theme.dark, theme);
            }
        });
    }

    let Some(Ok(settings)) = (*draft).clone() else {
        return match &*draft {
            Some(Err(error)) => html! { <p role="alert" class="problem">{ error.to_string() }</p> },
            _ => html! { <p aria-live="polite">{ "Loading…" }</p> },
        };
    };

    let edit = |change: fn(&mut SiteSettings, String)| on_edit(&draft, &status, text_of, change);
    let toggle = |change: fn(&mut SiteSettings, bool)| on_edit(&draft, &status, checked_of, change);
    let edit_number = |set: fn(&mut SiteSettings, u32)| {
        on_edit(&draft, &status, text_of, move |settings, value| {
            set(settings, number_of(&value))
        })
    };
    // A limit that may be left unset (empty).
    let edit_limit = |set: fn(&mut SiteSettings, Option<u32>)| {
        on_edit(&draft, &status, text_of, move |settings, value| {
            set(settings, optional_number_of(&value))
        })
    };
    // A colour of the light (`dark` false) or dark palette.
    let edit_colour = |dark: bool, name: &'static str| {
        on_edit(&draft, &status, text_of, move |settings, value| {
            let theme = &mut settings.config.theme;
            let palette = if dark {
                &mut theme.dark
            } else {
                &mut theme.light
            };
            if let Some(colour) = palette.colour_mut(name) {
                *colour = value;
            }
        })
    };

    let edit_text = {
        let (draft, status) = (draft.clone(), status.clone());
        Callback::from(move |edit: TextEdit| {
            if let Some(Ok(mut settings)) = (*draft).clone() {
                set_override(
                    &mut settings.config.copy,
                    &edit.language,
                    &edit.key,
                    &edit.text,
                );
                draft.set(Some(Ok(settings)));
                status.set(Status::Idle);
            }
        })
    };

    let save = {
        let (site, draft, status) = (props.site.clone(), draft.clone(), status.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let Some(Ok(settings)) = (*draft).clone() else {
                return;
            };
            let (site, draft, status) = (site.clone(), draft.clone(), status.clone());
            status.set(Status::Saving);
            spawn_local(async move {
                match api::post::<_, SiteSettings>(&api::site_path(&site, "settings"), &settings)
                    .await
                {
                    Ok(saved) => {
                        draft.set(Some(Ok(saved)));
                        status.set(Status::Saved);
                    }
                    Err(error) => status.set(Status::Refused(error.to_string())),
                }
            });
        })
    };

    let config = &settings.config;
    let rewards = &config.rewards;
    let referral = &config.referral;
    html! {
        <main class="settings">
            <form onsubmit={save} aria-label="Site settings">
                <fieldset>
                    <legend>{ "Brand" }</legend>
                    <div class="field">
                        <label for="brand-name">{ "Brand name" }</label>
                        <input id="brand-name" value={config.brand_name.clone()}
                            oninput={edit(|settings, value| settings.config.brand_name = value)} />
                    </div>
                    <div class="field">
                        <label for="default-language">{ "Language when the page names none" }</label>
                        <select id="default-language"
                            oninput={edit(|settings, value| {
                                if let Some(locale) = Locale::from_tag(&value) {
                                    settings.config.default_locale = locale;
                                }
                            })}>
                            { for Locale::all().map(|locale| html! {
                                <option value={locale.tag()} selected={locale == config.default_locale}>{ language_name(locale.tag()) }</option>
                            }) }
                        </select>
                    </div>
                    { check_field("show-branding", "Show “Powered by Portevoix” under the widgets", config.show_branding,
                        toggle(|settings, on| settings.config.show_branding = on)) }
                    <div class="field">
                        <label for="origins">{ "Allowed origins (one per line)" }</label>
                        <textarea id="origins" rows="3" value={settings.allowed_origins.join("\n")}
                            oninput={edit(|settings, value| {
                                settings.allowed_origins = value.lines().map(str::trim).filter(|line| !line.is_empty()).map(str::to_owned).collect();
                            })} />
                    </div>
                    <div class="field">
                        <label for="contact-url">{ "Contact page" }</label>
                        <input id="contact-url" type="url" value={config.contact_url.clone().unwrap_or_default()}
                            oninput={edit(|settings, value| settings.config.contact_url = optional(value))} />
                    </div>
                    <div class="field">
                        <label for="review-profiles">{ "Profiles on review sites (one per line: Name | URL)" }</label>
                        <textarea id="review-profiles" rows="3" value={profiles_text(&config.review_profiles)}
                            oninput={edit(|settings, value| settings.config.review_profiles = profiles_of(&value))} />
                    </div>
                    <div class="field">
                        <label for="review-link">{ "Review page for promoters" }</label>
                        <input id="review-link" type="url" value={config.promoter_links.review.clone().unwrap_or_default()}
                            oninput={edit(|settings, value| settings.config.promoter_links.review = optional(value))} />
                    </div>
                    <div class="field">
                        <label for="share-link">{ "Page promoters are asked to share" }</label>
                        <input id="share-link" type="url" value={config.promoter_links.share.clone().unwrap_or_default()}
                            oninput={edit(|settings, value| settings.config.promoter_links.share = optional(value))} />
                    </div>
                    <div class="field">
                        <label for="referral-link">{ "Referral programme page for promoters" }</label>
                        <input id="referral-link" type="url" value={config.promoter_links.referral.clone().unwrap_or_default()}
                            oninput={edit(|settings, value| settings.config.promoter_links.referral = optional(value))} />
                    </div>
                </fieldset>
                <fieldset class="theme">
                    <legend>{ "Theme" }</legend>
                    <fieldset class="modes">
                        <legend>{ "Colour mode" }</legend>
                        { for ColorMode::ALL.into_iter().map(|mode| {
                            let (label, detail) = mode_label(mode);
                            html! {
                                <label class="mode">
                                    <input type="radio" name="theme-mode" value={mode.name()}
                                        checked={config.theme.mode == mode}
                                        oninput={edit(|settings, value| settings.config.theme.mode = ColorMode::from_name(&value).unwrap_or_default())} />
                                    <span><strong>{ label }</strong>{ ": " }{ detail }</span>
                                </label>
                            }
                        }) }
                    </fieldset>
                    <div class="field">
                        <label for="font">{ "Font (a CSS font stack; inherit: your page's font)" }</label>
                        <input id="font" value={config.theme.font.clone()}
                            oninput={edit(|settings, value| settings.config.theme.font = value)} />
                    </div>
                    <div class="field">
                        <label for="radius">{ "Corner radius" }</label>
                        <input id="radius" value={config.theme.radius.clone()}
                            oninput={edit(|settings, value| settings.config.theme.radius = value)} />
                    </div>
                    <div class="field">
                        <label for="spacing">{ "Spacing (the unit of every gap and padding)" }</label>
                        <input id="spacing" value={config.theme.spacing.clone()}
                            oninput={edit(|settings, value| settings.config.theme.spacing = value)} />
                    </div>
                    <div class="palettes">
                        { for [(false, &config.theme.light), (true, &config.theme.dark)].into_iter().map(|(dark, palette)| {
                            let mode = if dark { "dark" } else { "light" };
                            html! {
                                <fieldset class="palette">
                                    <legend>{ if dark { "Dark colours" } else { "Light colours" } }</legend>
                                    { for palette.colours().into_iter().map(|(name, value)| {
                                        colour_field(&format!("{mode}-{name}"), colour_label(name), value, edit_colour(dark, name))
                                    }) }
                                    <div class="preview" ref={previews[usize::from(dark)].clone()} role="group"
                                        aria-label={format!("Preview of the NPS widget in the {mode} colours")}>
                                        <p class="question">{ format!("How likely are you to recommend {}?", config.brand_name) }</p>
                                        <div class="scale" aria-hidden="true">
                                            { for (0..=10).map(|score| html! {
                                                <span class={classes!((score == 9).then_some("chosen"))}>{ score }</span>
                                            }) }
                                        </div>
                                        <span class="send" aria-hidden="true">{ "Send" }</span>
                                    </div>
                                </fieldset>
                            }
                        }) }
                    </div>
                    <div class="contrast" role="status">
                        {
                            match config.theme.every_contrast_warning().as_slice() {
                                [] => html! { <p>{ "Both palettes meet WCAG 2.2 AA contrast." }</p> },
                                warnings => html! {
                                    <ul>{ for warnings.iter().map(|warning| html! { <li>{ warning.clone() }</li> }) }</ul>
                                },
                            }
                        }
                    </div>
                </fieldset>
                <fieldset>
                    <legend>{ "NPS survey" }</legend>
                    { number_field("nps-ask-again", "Days before a browser that answered is asked again (0: every visit)", Some(config.nps.ask_again_after_days),
                        edit_number(|settings, number| settings.config.nps.ask_again_after_days = number)) }
                </fieldset>
                <fieldset>
                    <legend>{ "Moderation" }</legend>
                    { check_field("publish-verified-reviews", "Publish reviews from verified buyers at once", config.reviews.auto_publish_verified,
                        toggle(|settings, on| settings.config.reviews.auto_publish_verified = on)) }
                    { check_field("publish-questions", "Publish questions at once", config.qa.publish_questions_at_once,
                        toggle(|settings, on| settings.config.qa.publish_questions_at_once = on)) }
                    { check_field("publish-customer-answers", "Publish answers from known customers at once (others always wait)", config.qa.publish_customer_answers_at_once,
                        toggle(|settings, on| settings.config.qa.publish_customer_answers_at_once = on)) }
                    { check_field("anonymous-answers", "Take answers from visitors who are not known customers (badged anonymous)", config.qa.allow_anonymous_answers,
                        toggle(|settings, on| settings.config.qa.allow_anonymous_answers = on)) }
                </fieldset>
                <fieldset>
                    <legend>{ "Reward points" }</legend>
                    { number_field("points-review", "Per published review", Some(rewards.points_per_review),
                        edit_number(|settings, number| settings.config.rewards.points_per_review = number)) }
                    { number_field("points-answer", "Per published answer", Some(rewards.points_per_answer),
                        edit_number(|settings, number| settings.config.rewards.points_per_answer = number)) }
                    { number_field("points-share", "Per link shared", Some(rewards.points_per_share),
                        edit_number(|settings, number| settings.config.rewards.points_per_share = number)) }
                    { number_field("points-nps", "Per NPS answer", Some(rewards.points_per_nps_answer),
                        edit_number(|settings, number| settings.config.rewards.points_per_nps_answer = number)) }
                    { number_field("points-visit", "Per friend's visit", Some(rewards.points_per_visit),
                        edit_number(|settings, number| settings.config.rewards.points_per_visit = number)) }
                    { number_field("visits-per-link", "Visits one link earns points for a day", Some(rewards.visits_per_link_per_day),
                        edit_number(|settings, number| settings.config.rewards.visits_per_link_per_day = number)) }
                    <fieldset>
                        <legend>{ "Most points one person earns a day (empty: no limit)" }</legend>
                        { number_field("cap-review", "For reviews", rewards.daily_caps.review,
                            edit_limit(|settings, limit| settings.config.rewards.daily_caps.review = limit)) }
                        { number_field("cap-answer", "For answers", rewards.daily_caps.answer,
                            edit_limit(|settings, limit| settings.config.rewards.daily_caps.answer = limit)) }
                        { number_field("cap-share", "For links shared", rewards.daily_caps.share,
                            edit_limit(|settings, limit| settings.config.rewards.daily_caps.share = limit)) }
                        { number_field("cap-nps", "For NPS answers", rewards.daily_caps.nps,
                            edit_limit(|settings, limit| settings.config.rewards.daily_caps.nps = limit)) }
                        { number_field("cap-visit", "For friends' visits", rewards.daily_caps.visit,
                            edit_limit(|settings, limit| settings.config.rewards.daily_caps.visit = limit)) }
                    </fieldset>
                </fieldset>
                <fieldset>
                    <legend>{ "Referral programme" }</legend>
                    <div class="field">
                        <label for="friend-offer">{ "What a referred friend is offered" }</label>
                        <input id="friend-offer" value={referral.friend_offer.clone().unwrap_or_default()}
                            aria-describedby="friend-offer-hint"
                            oninput={edit(|settings, value| settings.config.referral.friend_offer = optional(value))} />
                        <p class="hint" id="friend-offer-hint">{ "Read by both: the advocate sees “Your friends get …”, the friend “…, thanks to Camille.” Write it for either, e.g. “€10 off the first order”." }</p>
                    </div>
                    <div class="field">
                        <label for="landing-url">{ "Where referral links land (a page of an allowed origin; empty: the first origin's home page)" }</label>
                        <input id="landing-url" type="url" value={referral.landing_url.clone().unwrap_or_default()}
                            oninput={edit(|settings, value| settings.config.referral.landing_url = optional(value))} />
                    </div>
                    { number_field("advocate-points", "Points to the advocate for each friend's first order", Some(referral.advocate_points),
                        edit_number(|settings, number| settings.config.referral.advocate_points = number)) }
                    { number_field("friend-points", "Points to the friend for that order", Some(referral.friend_points),
                        edit_number(|settings, number| settings.config.referral.friend_points = number)) }
                    { number_field("attribution-days", "Days a friend's visit is remembered before they order", Some(referral.attribution_days),
                        edit_number(|settings, number| settings.config.referral.attribution_days = number)) }
                    { number_field("code-valid-days", "Days a referral code can be used", Some(referral.code_valid_days),
                        edit_number(|settings, number| settings.config.referral.code_valid_days = number)) }
                    { number_field("max-conversions", "Friends' orders one code can earn points for", Some(referral.max_conversions_per_code),
                        edit_number(|settings, number| settings.config.referral.max_conversions_per_code = number)) }
                    { number_field("invitations-per-day", "Invitations an advocate may send by email a day (0: none)", Some(referral.invitations_per_day),
                        edit_number(|settings, number| settings.config.referral.invitations_per_day = number)) }
                </fieldset>
                <TextsEditor default_language={config.default_locale.tag()}
                    overrides={config.copy.clone()} on_edit={edit_text} />
                // Kept in view at the foot of the window, so that a change anywhere on the
                // long page is saved, or its refusal read, without scrolling to the end.
                <div class="save-bar">
                    <button type="submit" disabled={*status == Status::Saving}>
                        { if *status == Status::Saving { "Saving…" } else { "Save settings" } }
                    </button>
                    {
                        match &*status {
                            Status::Refused(message) => html! { <p role="alert" class="problem">{ message.clone() }</p> },
                            Status::Saved => html! { <p role="status" class="saved">{ "Saved. Widgets show the change within a minute." }</p> },
                            _ => html! {},
                        }
                    }
                </div>
            </form>
        </main>
    }
}
