//! The settings page's texts editor: every text the widgets show, by widget, with its
//! default in the chosen language as its label. Typing in a field overrides the text for
//! the site; emptying it brings the default back. The worker checks each override (its
//! length, and that it uses only the `{placeholders}` the widget fills in) when the
//! settings are saved.

use portevoix_core::copy;
use portevoix_core::dict::Dict;
use portevoix_core::locale::Locale;
use portevoix_web::hooks::use_state;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// One override typed: the language, the text's key, and what it now says (blank to
/// bring the default back).
pub struct TextEdit {
    /// The language tag, e.g. `fr`.
    pub language: String,
    /// The text's key, e.g. `nps.question`.
    pub key: String,
    /// What it now says.
    pub text: String,
}

#[derive(Properties, PartialEq)]
pub struct TextsProps {
    /// The language shown first: the site's default.
    pub default_language: String,
    /// The draft's overrides, by language and key.
    pub overrides: Dict<String, Dict<String, String>>,
    /// Called on every keystroke in a text's field.
    pub on_edit: Callback<TextEdit>,
}

/// A language's name in the console's English, by the browser's Intl data: a language
/// the widgets gain is named here without a change (its tag, where the browser has none).
pub fn language_name(tag: &str) -> String {
    let options = js_sys::Intl::DisplayNamesOptions::new();
    options.set_type(js_sys::Intl::DisplayNamesType::Language);
    let english = js_sys::Array::of1(&"en".into());
    js_sys::Intl::DisplayNames::new(&english, &options)
        .of(tag)
        .map(String::from)
        .unwrap_or_else(|| tag.to_owned())
}

/// Lower case by the browser's Unicode data (the console links none of its own).
fn folded(text: &str) -> js_sys::JsString {
    js_sys::JsString::from(text).to_lower_case()
}

/// How many of `keys` the site has said its way.
fn keys_changed(overrides: Option<&Dict<String, String>>, keys: &[&str]) -> usize {
    overrides.map_or(0, |overrides| {
        keys.iter()
            .filter(|key| overrides.get(**key).is_some())
            .count()
    })
}

#[function_component(TextsEditor)]
pub fn texts_editor(props: &TextsProps) -> Html {
    let language = use_state({
        let default_language = props.default_language.clone();
        move || default_language
    });
    let filter = use_state(String::new);

    let choose_language = {
        let language = language.clone();
        Callback::from(move |event: Event| {
            if let Some(select) = event.target_dyn_into::<HtmlSelectElement>() {
                language.set(select.value());
            }
        })
    };
    let find = {
        let filter = filter.clone();
        Callback::from(move |event: InputEvent| {
            if let Some(input) = event.target_dyn_into::<HtmlInputElement>() {
                filter.set(folded(input.value().trim()).into());
            }
        })
    };

    let locale = Locale::from_tag(&language).unwrap_or(Locale::EN);
    let overrides = props.overrides.get(locale.tag());
    let mut shown = 0;
    let sections: Html = copy::sections()
        .map(|(name, keys)| {
            let fields: Vec<Html> = keys
                .iter()
                .copied()
                .filter_map(|key| {
                    let default = locale.lookup(key)?;
                    let current = overrides
                        .and_then(|overrides| overrides.get(key))
                        .cloned()
                        .unwrap_or_default();
                    let matches = filter.is_empty()
                        || [key, default, &current]
                            .iter()
                            .any(|candidate| folded(candidate).includes(&filter, 0));
                    if !matches {
                        return None;
                    }
                    let id = format!("text-{}", key.replace('.', "-"));
                    let key_id = format!("{id}-key");
                    let on_edit = props.on_edit.clone();
                    let oninput = Callback::from(move |event: InputEvent| {
                        if let Some(input) = event.target_dyn_into::<HtmlInputElement>() {
                            on_edit.emit(TextEdit {
                                language: locale.tag().to_owned(),
                                key: key.to_owned(),
                                text: input.value(),
                            });
                        }
                    });
                    // A separator may be a space, which a label would not show.
                    let label = if default.trim().is_empty() {
                        format!("“{default}” (a space)")
                    } else {
                        default.to_owned()
                    };
                    Some(html! {
                        <div class="field">
                            <label for={id.clone()}>{ label }</label>
                            <input {id} value={current} aria-describedby={key_id.clone()} {oninput} />
                            <code class="key" id={key_id}>{ key }</code>
                        </div>
                    })
                })
                .collect();
            shown += fields.len();
            if fields.is_empty() {
                return html! {};
            }
            let changed = keys_changed(overrides, &keys);
            let summary = match (fields.len(), changed) {
                (1, 0) => format!("{name} · 1 text"),
                (count, 0) => format!("{name} · {count} texts"),
                (count, changed) => format!("{name} · {count} texts, {changed} said your way"),
            };
            // Closed until a search opens those with a match: the page stays short
            // enough to reach the other settings and the save button.
            html! {
                <details class="text-group" open={!filter.is_empty()}>
                    <summary>{ summary }</summary>
                    { for fields }
                </details>
            }
        })
        .collect();

    html! {
        <fieldset class="texts">
            <legend>{ "Texts" }</legend>
            <p class="hint">
                { "Each label is what visitors read today; type in its field to say it your way, or empty the field to go back to it. Words in braces, such as {brand}, are filled in by the widget: keep those the label has." }
            </p>
            <div class="texts-tools">
                <div class="field">
                    <label for="texts-language">{ "Language" }</label>
                    <select id="texts-language" onchange={choose_language}>
                        { for Locale::all().map(|option| html! {
                            <option value={option.tag()} selected={option == locale}>{ language_name(option.tag()) }</option>
                        }) }
                    </select>
                </div>
                <div class="field">
                    <label for="texts-filter">{ "Find a text" }</label>
                    <input id="texts-filter" type="search" oninput={find} />
                </div>
            </div>
            { sections }
            if shown == 0 {
                <p class="empty" role="status">{ "No text matches." }</p>
            }
        </fieldset>
    }
}
