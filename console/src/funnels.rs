//! The console's funnels page: week by week, what sharing and referrals brought.

use portevoix_core::wire::Funnels;
use yew::prelude::*;

use crate::api::{self, Loaded, use_admin_read};

#[derive(Properties, PartialEq)]
pub struct FunnelsProps {
    /// The site signed in to.
    pub site: String,
}

/// Cents per currency as money, e.g. `189.00 EUR`.
fn revenue(cents: &std::collections::BTreeMap<String, i64>) -> String {
    if cents.is_empty() {
        return "—".to_owned();
    }
    cents
        .iter()
        .map(|(currency, cents)| format!("{}.{:02} {currency}", cents / 100, cents.rem_euclid(100)))
        .collect::<Vec<_>>()
        .join(", ")
}

#[function_component(FunnelsPage)]
pub fn funnels_page(props: &FunnelsProps) -> Html {
    let funnels: Loaded<Funnels> = use_admin_read(Some(api::site_path(&props.site, "funnels")), 0);
    let body = match &*funnels {
        None => html! { <p aria-live="polite">{ "Loading…" }</p> },
        Some(Err(error)) => html! { <p role="alert" class="problem">{ error.to_string() }</p> },
        Some(Ok(funnels)) if funnels.weeks.is_empty() => {
            html! { <p class="empty">{ "No sharing or referral yet." }</p> }
        }
        Some(Ok(funnels)) => html! {
            <div class="table-frame" tabindex="0" role="region" aria-label="Funnels by week">
                <table>
                    <thead>
                        <tr>
                            <th scope="col">{ "Week of" }</th>
                            <th scope="col">{ "Links shared" }</th>
                            <th scope="col">{ "Visits" }</th>
                            <th scope="col">{ "Sharing points" }</th>
                            <th scope="col">{ "Referral codes" }</th>
                            <th scope="col">{ "Invitations" }</th>
                            <th scope="col">{ "Referral visits" }</th>
                            <th scope="col">{ "Conversions" }</th>
                            <th scope="col">{ "Revenue" }</th>
                            <th scope="col">{ "Referral points" }</th>
                        </tr>
                    </thead>
                    <tbody>
                        { for funnels.weeks.iter().rev().map(|week| html! {
                            <tr>
                                <th scope="row">{ week.week.clone() }</th>
                                <td>{ week.links }</td>
                                <td>{ week.link_visits }</td>
                                <td>{ week.share_points }</td>
                                <td>{ week.referral_codes }</td>
                                <td>{ week.invitations }</td>
                                <td>{ week.referral_visits }</td>
                                <td>{ week.conversions }</td>
                                <td>{ revenue(&week.revenue_cents) }</td>
                                <td>{ week.referral_points }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        },
    };
    html! {
        <main class="funnels">
            <h2>{ "Share and referral funnels" }</h2>
            <p class="hint">{ "Newest week first; revenue counts credited referral orders." }</p>
            { body }
        </main>
    }
}
