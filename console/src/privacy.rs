//! The console's privacy page: find a person by email, download everything stored about
//! them as JSON, erase it (with who carried it out), and read the erasure log.

use portevoix_core::wire::{Erasure, ErasureLog, ErasureRequest, PersonData, PrivacyRequest};
use portevoix_web::hooks::use_state;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::{self, Loaded, use_admin_read};

#[derive(Properties, PartialEq)]
pub struct PrivacyProps {
    /// The site signed in to.
    pub site: String,
}

fn value(node: &NodeRef) -> String {
    node.cast::<HtmlInputElement>()
        .map(|input| input.value())
        .unwrap_or_default()
}

/// Offers `json` as a file download, through a `data:` link the page clicks.
fn download(name: &str, json: &str) {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    let Ok(link) = document.create_element("a") else {
        return;
    };
    let href = format!(
        "data:application/json;charset=utf-8,{}",
        js_sys::encode_uri_component(json)
    );
    let _ = link.set_attribute("href", &href);
    let _ = link.set_attribute("download", name);
    if let Ok(link) = link.dyn_into::<web_sys::HtmlElement>() {
        link.click();
    }
}

#[function_component(PrivacyPage)]
pub fn privacy_page(props: &PrivacyProps) -> Html {
    let (email_input, who_input) = (use_node_ref(), use_node_ref());
    let found = use_state(|| None::<(String, PersonData)>);
    let erased = use_state(|| None::<Erasure>);
    let problem = use_state(|| None::<String>);
    let generation = use_state(|| 0_u32);
    let log: Loaded<ErasureLog> = use_admin_read(
        Some(api::site_path(&props.site, "privacy/erasures")),
        *generation,
    );

    let search = {
        let (site, email_input, found, erased, problem) = (
            props.site.clone(),
            email_input.clone(),
            found.clone(),
            erased.clone(),
            problem.clone(),
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let email = value(&email_input);
            let (site, found, erased, problem) =
                (site.clone(), found.clone(), erased.clone(), problem.clone());
            spawn_local(async move {
                let asked = PrivacyRequest {
                    email: email.clone(),
                };
                match api::post::<_, PersonData>(&api::site_path(&site, "privacy/export"), &asked)
                    .await
                {
                    Ok(data) => {
                        problem.set(None);
                        erased.set(None);
                        found.set(Some((email, data)));
                    }
                    Err(error) => problem.set(Some(error.to_string())),
                }
            });
        })
    };

    let erase = {
        let (site, who_input, found, erased, problem, generation) = (
            props.site.clone(),
            who_input.clone(),
            found.clone(),
            erased.clone(),
            problem.clone(),
            generation.clone(),
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let Some((email, _)) = (*found).clone() else {
                return;
            };
            let asked = ErasureRequest {
                email,
                requested_by: value(&who_input),
            };
            let (site, found, erased, problem, generation) = (
                site.clone(),
                found.clone(),
                erased.clone(),
                problem.clone(),
                generation.clone(),
            );
            spawn_local(async move {
                match api::post::<_, Erasure>(&api::site_path(&site, "privacy/erase"), &asked).await
                {
                    Ok(erasure) => {
                        problem.set(None);
                        found.set(None);
                        erased.set(Some(erasure));
                        generation.set(*generation + 1);
                    }
                    Err(error) => problem.set(Some(error.to_string())),
                }
            });
        })
    };

    let rows_of = |rows: &std::collections::BTreeMap<String, u64>| {
        rows.iter()
            .map(|(table, count)| format!("{table}: {count}"))
            .collect::<Vec<_>>()
            .join(", ")
    };

    html! {
        <main class="privacy">
            <section aria-labelledby="find-title">
                <h2 id="find-title">{ "Find a person" }</h2>
                <form class="inline-form" onsubmit={search} aria-label="Find a person by email">
                    <div class="field">
                        <label for="privacy-email">{ "Their email address" }</label>
                        <input id="privacy-email" type="email" ref={email_input} required=true autocomplete="off" />
                    </div>
                    <button type="submit">{ "Find" }</button>
                </form>
                if let Some(problem) = &*problem {
                    <p role="alert" class="problem">{ problem.clone() }</p>
                }
                if let Some(erasure) = &*erased {
                    <p role="status" class="saved">{ format!("Erased: {}.", rows_of(&erasure.rows)) }</p>
                }
                if let Some((email, data)) = &*found {
                    if data.tables.is_empty() {
                        <p role="status" class="empty">{ format!("Nothing is stored about {email}.") }</p>
                    } else {
                        <div class="person">
                            <p role="status">{ format!("Stored about {email}:") }</p>
                            <ul>
                                { for data.tables.iter().map(|(table, rows)| html! {
                                    <li>{ format!("{table}: {} row{}", rows.len(), if rows.len() == 1 { "" } else { "s" }) }</li>
                                }) }
                            </ul>
                            <button type="button" class="quiet" onclick={
                                let data = data.clone();
                                move |_: MouseEvent| {
                                    if let Ok(json) = portevoix_web::to_string(&data) {
                                        download("portevoix-export.json", &json);
                                    }
                                }
                            }>{ "Download everything (JSON)" }</button>
                            <form class="inline-form" onsubmit={erase} aria-label="Erase this person">
                                <div class="field">
                                    <label for="privacy-who">{ "Erased by (your name)" }</label>
                                    <input id="privacy-who" ref={who_input} required=true maxlength="120" />
                                </div>
                                <button type="submit" class="danger">{ "Erase everything" }</button>
                            </form>
                        </div>
                    }
                }
            </section>
            <section aria-labelledby="erasures-title">
                <h2 id="erasures-title">{ "Erasure log" }</h2>
                {
                    api::view(&log, |log| if log.erasures.is_empty() {
                        html! { <p class="empty">{ "No erasure yet." }</p> }
                    } else {
                        html! {
                            <div class="table-frame" tabindex="0" role="region" aria-label="Erasure log">
                                <table>
                                    <thead><tr><th scope="col">{ "When" }</th><th scope="col">{ "By" }</th><th scope="col">{ "Rows" }</th></tr></thead>
                                    <tbody>
                                        { for log.erasures.iter().map(|erasure| {
                                            let when = js_sys::Date::new(&(erasure.created_at as f64).into())
                                                .to_locale_string("en-GB", &wasm_bindgen::JsValue::UNDEFINED);
                                            html! {
                                                <tr>
                                                    <td>{ String::from(when) }</td>
                                                    <td>{ erasure.requested_by.clone() }</td>
                                                    <td>{ rows_of(&erasure.rows) }</td>
                                                </tr>
                                            }
                                        }) }
                                    </tbody>
                                </table>
                            </div>
                        }
                    })
                }
            </section>
        </main>
    }
}
