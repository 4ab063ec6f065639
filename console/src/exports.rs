//! The console's exports page: every table of the site as CSV or JSON. The links are
//! plain downloads from the worker; the browser sends the session cookie with them.

use portevoix_core::export::TABLES;
use yew::prelude::*;

use crate::api;

#[derive(Properties, PartialEq)]
pub struct ExportsProps {
    /// The site signed in to.
    pub site: String,
}

#[function_component(ExportsPage)]
pub fn exports_page(props: &ExportsProps) -> Html {
    html! {
        <main class="exports">
            <h2>{ "Exports" }</h2>
            <p class="hint">{ "Each file is streamed as it is read, however large the table." }</p>
            <div class="table-frame" tabindex="0" role="region" aria-label="Exports">
                <table>
                    <thead><tr><th scope="col">{ "Table" }</th><th scope="col">{ "CSV" }</th><th scope="col">{ "JSON" }</th></tr></thead>
                    <tbody>
                        { for TABLES.iter().map(|table| {
                            let link = |extension: &str| api::site_path(&props.site, &format!("exports/{}.{extension}", table.name));
                            html! {
                                <tr>
                                    <th scope="row">{ table.name }</th>
                                    <td><a href={link("csv")} download="">{ format!("{}.csv", table.name) }</a></td>
                                    <td><a href={link("json")} download="">{ format!("{}.json", table.name) }</a></td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            </div>
        </main>
    }
}
