//! The console's settings page: brand name, allowed origins, theme (colour mode, light
//! and dark colours, font, corner radius and spacing, with a live preview of a widget in
//! each palette and its contrast problems as they are typed), contact and review links,
//! reward points and the widgets' texts ([`TextsEditor`]). The worker checks everything
//! before saving anything; its refusal names the field.

use portevoix_core::copy::set_override;
use portevoix_core::settings::{SiteSettings, profiles_of, profiles_text};
use portevoix_core::theme::{ColorMode, Palette, Theme, picker_hex};
use portevoix_web::hooks::{StateHandle, use_effect_with, use_state};
use web_sys::{HtmlElement, HtmlInputElement, HtmlTextAreaElement};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::{self, ApiError};
use crate::texts::{TextEdit, TextsEditor};

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
        .unwrap_or_default()
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

/// A field's input handler: applies `change`, with the field's new text, to a copy of the
/// draft.
fn on_edit(
    draft: &StateHandle<Option<Result<SiteSettings, ApiError>>>,
    status: &StateHandle<Status>,
    change: impl Fn(&mut SiteSettings, String) + 'static,
) -> Callback<InputEvent> {
    let (draft, status) = (draft.clone(), status.clone());
    Callback::from(move |event: InputEvent| {
        if let Some(Ok(mut settings)) = (*draft).clone() {
            change(&mut settings, text_of(&event));
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

    let edit = |change: fn(&mut SiteSettings, String)| on_edit(&draft, &status, change);
    // A colour of the light (`dark` false) or dark palette.
    let edit_colour = |dark: bool, name: &'static str| {
        on_edit(&draft, &status, move |settings, value| {
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
    let number = |value: u32| value.to_string();
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
                        <label for="origins">{ "Allowed origins (one per line)" }</label>
                        <textarea id="origins" rows="3" value={settings.allowed_origins.join("\n")}
                            oninput={edit(|settings, value| {
                                settings.allowed_origins = value.lines().map(str::trim).filter(|line| !line.is_empty()).map(str::to_owned).collect();
                            })} />
                    </div>
                    <div class="field">
                        <label for="contact-url">{ "Contact page" }</label>
                        <input id="contact-url" type="url" value={config.contact_url.clone().unwrap_or_default()}
                            oninput={edit(|settings, value| settings.config.contact_url = Some(value).filter(|url| !url.is_empty()))} />
                    </div>
                    <div class="field">
                        <label for="review-profiles">{ "Profiles on review sites (one per line: Name | URL)" }</label>
                        <textarea id="review-profiles" rows="3" value={profiles_text(&config.review_profiles)}
                            oninput={edit(|settings, value| settings.config.review_profiles = profiles_of(&value))} />
                    </div>
                    <div class="field">
                        <label for="review-link">{ "Review page for promoters" }</label>
                        <input id="review-link" type="url" value={config.promoter_links.review.clone().unwrap_or_default()}
                            oninput={edit(|settings, value| settings.config.promoter_links.review = Some(value).filter(|url| !url.is_empty()))} />
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
                    <div class="field">
                        <label for="nps-ask-again">{ "Days before a browser that answered is asked again (0: every visit)" }</label>
                        <input id="nps-ask-again" inputmode="numeric" value={number(config.nps.ask_again_after_days)}
                            oninput={edit(|settings, value| settings.config.nps.ask_again_after_days = value.trim().parse().unwrap_or(u32::MAX))} />
                    </div>
                </fieldset>
                <fieldset>
                    <legend>{ "Reward points" }</legend>
                    <div class="field">
                        <label for="points-review">{ "Per published review" }</label>
                        <input id="points-review" inputmode="numeric" value={number(rewards.points_per_review)}
                            oninput={edit(|settings, value| settings.config.rewards.points_per_review = value.trim().parse().unwrap_or(u32::MAX))} />
                    </div>
                    <div class="field">
                        <label for="points-answer">{ "Per published answer" }</label>
                        <input id="points-answer" inputmode="numeric" value={number(rewards.points_per_answer)}
                            oninput={edit(|settings, value| settings.config.rewards.points_per_answer = value.trim().parse().unwrap_or(u32::MAX))} />
                    </div>
                    <div class="field">
                        <label for="points-share">{ "Per link shared" }</label>
                        <input id="points-share" inputmode="numeric" value={number(rewards.points_per_share)}
                            oninput={edit(|settings, value| settings.config.rewards.points_per_share = value.trim().parse().unwrap_or(u32::MAX))} />
                    </div>
                    <div class="field">
                        <label for="points-nps">{ "Per NPS answer" }</label>
                        <input id="points-nps" inputmode="numeric" value={number(rewards.points_per_nps_answer)}
                            oninput={edit(|settings, value| settings.config.rewards.points_per_nps_answer = value.trim().parse().unwrap_or(u32::MAX))} />
                    </div>
                    <div class="field">
                        <label for="points-visit">{ "Per friend's visit" }</label>
                        <input id="points-visit" inputmode="numeric" value={number(rewards.points_per_visit)}
                            oninput={edit(|settings, value| settings.config.rewards.points_per_visit = value.trim().parse().unwrap_or(u32::MAX))} />
                    </div>
                </fieldset>
                <TextsEditor default_language={config.default_locale.tag()}
                    overrides={config.copy.clone()} on_edit={edit_text} />
                {
                    match &*status {
                        Status::Refused(message) => html! { <p role="alert" class="problem">{ message.clone() }</p> },
                        Status::Saved => html! { <p role="status" class="saved">{ "Saved. Widgets show the change within a minute." }</p> },
                        _ => html! {},
                    }
                }
                <button type="submit" disabled={*status == Status::Saving}>
                    { if *status == Status::Saving { "Saving…" } else { "Save settings" } }
                </button>
            </form>
        </main>
    }
}
