//! The console's NPS page: the score over a date range (and page), its trend by week as
//! an SVG chart, the promoter/passive/detractor split, detractors' comments to handle
//! first, then the latest comments.

use portevoix_core::copy::signed;
use portevoix_core::nps::{Category, whole_percentages};
use portevoix_core::report::{chart, line_path, pages_offered};
use portevoix_core::wire::{NpsComment, NpsCommentPage, NpsReport, NpsSummary};
use portevoix_web::hooks::{use_effect_with, use_state};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::{self, ApiError};

const CHART_WIDTH: f64 = 640.0;
const CHART_HEIGHT: f64 = 220.0;

#[derive(Properties, PartialEq)]
pub struct NpsPageProps {
    /// The site signed in to.
    pub site: String,
}

/// The filters, as query parameters.
#[derive(Debug, Clone, Default, PartialEq)]
struct Filters {
    from: String,
    to: String,
    page: String,
}

impl Filters {
    fn query(&self) -> String {
        [("from", &self.from), ("to", &self.to), ("page", &self.page)]
            .into_iter()
            .filter(|(_, value)| !value.is_empty())
            .map(|(name, value)| format!("{name}={}", js_sys::encode_uri_component(value)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// Everything the page shows, fetched together.
#[derive(Debug, Clone, PartialEq)]
struct Figures {
    report: NpsReport,
    to_handle: Vec<NpsComment>,
    latest: Vec<NpsComment>,
}

async fn fetch_figures(site: &str, filters: &Filters) -> Result<Figures, ApiError> {
    let query = filters.query();
    let with = |extra: &str| {
        [query.as_str(), extra]
            .into_iter()
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join("&")
    };
    let comments = api::site_path(site, "nps/comments");
    let (report, to_handle, latest) = futures::future::try_join3(
        api::get::<NpsReport>(&format!(
            "{}?{}",
            api::site_path(site, "nps/report"),
            with("")
        )),
        api::get::<NpsCommentPage>(&format!(
            "{comments}?{}",
            with("category=detractor&unhandled=true&limit=50")
        )),
        api::get::<NpsCommentPage>(&format!("{comments}?{}", with("limit=20"))),
    )
    .await?;
    Ok(Figures {
        report,
        to_handle: to_handle.comments,
        latest: latest.comments,
    })
}

#[function_component(NpsPage)]
pub fn nps_page(props: &NpsPageProps) -> Html {
    let filters = use_state(Filters::default);
    let figures = use_state(|| None::<Result<Figures, ApiError>>);
    let generation = use_state(|| 0_u32);
    let problem = use_state(|| None::<String>);
    let (from_input, to_input, page_select) = (use_node_ref(), use_node_ref(), use_node_ref());

    {
        let figures = figures.clone();
        use_effect_with(
            (props.site.clone(), (*filters).clone(), *generation),
            move |(site, filters, _)| {
                let (site, filters) = (site.clone(), filters.clone());
                api::start_read(async move {
                    figures.set(Some(fetch_figures(&site, &filters).await));
                })
            },
        );
    }

    let apply = {
        let (filters, from_input, to_input, page_select) = (
            filters.clone(),
            from_input.clone(),
            to_input.clone(),
            page_select.clone(),
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let value = |node: &NodeRef| {
                node.cast::<HtmlInputElement>()
                    .map(|input| input.value())
                    .unwrap_or_default()
            };
            filters.set(Filters {
                from: value(&from_input),
                to: value(&to_input),
                page: page_select
                    .cast::<HtmlSelectElement>()
                    .map(|select| select.value())
                    .unwrap_or_default(),
            });
        })
    };

    let mark_handled = {
        let (site, generation, problem) = (props.site.clone(), generation.clone(), problem.clone());
        Callback::from(move |id: String| {
            let (site, generation, problem) = (site.clone(), generation.clone(), problem.clone());
            spawn_local(async move {
                let path = api::site_path(&site, &format!("nps/{id}/handled"));
                match api::post_empty(&path).await {
                    Ok(()) => {
                        problem.set(None);
                        generation.set(*generation + 1);
                    }
                    Err(error) => problem.set(Some(error.to_string())),
                }
            });
        })
    };

    let pages = match &*figures {
        Some(Ok(figures)) => pages_offered(&figures.report),
        _ => Vec::new(),
    };
    let body = match &*figures {
        None => html! { <p aria-live="polite">{ "Loading…" }</p> },
        Some(Err(error)) => html! { <p role="alert" class="problem">{ error.to_string() }</p> },
        Some(Ok(figures)) => html! {
            <>
                { score_panel(&figures.report.summary) }
                { trend_chart(&figures.report) }
                <section aria-labelledby="to-handle-title" class="comments">
                    <h2 id="to-handle-title">{ format!("Detractors to handle ({})", figures.to_handle.len()) }</h2>
                    if figures.to_handle.is_empty() {
                        <p class="empty">{ "No detractor's comment is waiting." }</p>
                    }
                    <ul>
                        { for figures.to_handle.iter().map(|comment| comment_item(comment, Some(&mark_handled))) }
                    </ul>
                </section>
                <section aria-labelledby="latest-title" class="comments">
                    <h2 id="latest-title">{ "Latest comments" }</h2>
                    if figures.latest.is_empty() {
                        <p class="empty">{ "No comment in this range yet." }</p>
                    }
                    <ul>
                        { for figures.latest.iter().map(|comment| comment_item(comment, None)) }
                    </ul>
                </section>
            </>
        },
    };

    html! {
        <main class="nps">
            <form class="filters" onsubmit={apply} aria-label="Filters">
                <div class="field">
                    <label for="filter-from">{ "From" }</label>
                    <input id="filter-from" type="date" ref={from_input} value={filters.from.clone()} />
                </div>
                <div class="field">
                    <label for="filter-to">{ "To" }</label>
                    <input id="filter-to" type="date" ref={to_input} value={filters.to.clone()} />
                </div>
                <div class="field">
                    <label for="filter-page">{ "Page" }</label>
                    <select id="filter-page" ref={page_select}>
                        <option value="" selected={filters.page.is_empty()}>{ "All pages" }</option>
                        // Keyed: Yew would otherwise hand a page's option, once picked in
                        // the browser (which then ignores its `selected` attribute), to
                        // another page.
                        { for pages.iter().map(|page| html! {
                            <option key={page.page_url.clone()} value={page.page_url.clone()} selected={filters.page == page.page_url}>
                                { format!("{} ({})", page.page_url, page.total) }
                            </option>
                        }) }
                    </select>
                </div>
                <button type="submit">{ "Apply" }</button>
            </form>
            if let Some(problem) = &*problem {
                <p role="alert" class="problem">{ problem.clone() }</p>
            }
            { body }
        </main>
    }
}

fn answers(count: u64) -> String {
    match count {
        1 => "1 answer".to_owned(),
        _ => format!("{count} answers"),
    }
}

/// Each part of the split as (class, x, width) on a 0–100 bar.
fn split_bars(split: &[(&'static str, &str, u64)], total: u64) -> Vec<(&'static str, f64, f64)> {
    let mut x = 0.0;
    split
        .iter()
        .map(|(class, _, count)| {
            let width = if total == 0 {
                0.0
            } else {
                *count as f64 * 100.0 / total as f64
            };
            let part = (*class, x, width);
            x += width;
            part
        })
        .collect()
}

fn score_panel(summary: &NpsSummary) -> Html {
    let score = summary.nps.map_or_else(|| "—".to_owned(), signed);
    let split = [
        ("promoters", "Promoters", summary.promoters),
        ("passives", "Passives", summary.passives),
        ("detractors", "Detractors", summary.detractors),
    ];
    let percentages = whole_percentages([summary.promoters, summary.passives, summary.detractors]);
    html! {
        <section aria-labelledby="score-title" class="score-panel">
            <h2 id="score-title">{ "Net Promoter Score" }</h2>
            <p class="score"><output id="nps-score" aria-label="NPS">{ score }</output></p>
            <p class="total">{ answers(summary.total) }</p>
            <svg class="split" viewBox="0 0 100 6" preserveAspectRatio="none" role="img"
                aria-label={split.iter().zip(percentages).map(|((_, label, _), percent)| format!("{label} {percent}%")).collect::<Vec<_>>().join(", ")}>
                { for split_bars(&split, summary.total).into_iter().map(|(class, x, width)| html! {
                    <rect class={classes!("part", class)} x={x.to_string()} y="0" width={width.to_string()} height="6" />
                }) }
            </svg>
            <dl class="legend">
                { for split.iter().zip(percentages).map(|((class, label, count), percent)| html! {
                    <div class={*class}>
                        <dt>{ *label }</dt>
                        <dd>{ format!("{count} · {percent}%") }</dd>
                    </div>
                }) }
            </dl>
        </section>
    }
}

fn trend_chart(report: &NpsReport) -> Html {
    if report.weeks.is_empty() {
        return html! { <p class="empty">{ "No answer in this range yet." }</p> };
    }
    let laid_out = chart(&report.weeks, CHART_WIDTH, CHART_HEIGHT);
    let column = CHART_WIDTH / laid_out.len() as f64;
    let bar_width = (column * 0.5).min(28.0);
    let label_every = laid_out.len().div_ceil(8);
    let description = report
        .weeks
        .iter()
        .map(|week| {
            let nps = week.nps.map_or_else(|| "no score".to_owned(), signed);
            format!("week of {}: {nps} ({})", week.week, answers(week.total))
        })
        .collect::<Vec<_>>()
        .join("; ");
    let busiest_week = report
        .weeks
        .iter()
        .map(|week| week.total)
        .max()
        .unwrap_or(0);
    html! {
        <section aria-labelledby="trend-title" class="trend">
            <h2 id="trend-title">{ "NPS by week" }</h2>
            // On a phone the chart keeps a legible size and scrolls sideways, by keyboard too.
            <div class="chart-frame" tabindex="0" role="region" aria-label="NPS by week chart">
                <svg viewBox={format!("-40 -10 {} {}", CHART_WIDTH + 50.0, CHART_HEIGHT + 40.0)}
                    role="img" aria-label={description} class="chart">
                    { for [(100.0, "+100"), (0.0, "0"), (-100.0, "−100")].into_iter().map(|(nps, label)| {
                        let y = CHART_HEIGHT * (100.0 - nps) / 200.0;
                        html! {
                            <g class="grid">
                                <line x1="0" x2={CHART_WIDTH.to_string()} y1={y.to_string()} y2={y.to_string()} />
                                <text x="-6" y={(y + 4.0).to_string()} text-anchor="end">{ label }</text>
                            </g>
                        }
                    }) }
                    { for laid_out.iter().zip(&report.weeks).enumerate().map(|(index, (point, week))| html! {
                        <g class="week">
                            <rect class="answers" x={(point.x - bar_width / 2.0).to_string()} y={point.bar_top.to_string()}
                                width={bar_width.to_string()} height={(CHART_HEIGHT - point.bar_top).to_string()} />
                            if index % label_every == 0 {
                                <text x={point.x.to_string()} y={(CHART_HEIGHT + 18.0).to_string()} text-anchor="middle">
                                    { week.week.get(5..).unwrap_or(&week.week).to_owned() }
                                </text>
                            }
                        </g>
                    }) }
                    <path class="line" d={line_path(&laid_out)} />
                    { for laid_out.iter().map(|point| html! {
                        <circle class="point" cx={point.x.to_string()} cy={point.nps_y.to_string()} r="4" />
                    }) }
                </svg>
            </div>
            <p class="hint">
                { format!("Line: each week's NPS. Grey bars: how many answered each week (the busiest: {busiest_week}).") }
            </p>
        </section>
    }
}

fn comment_item(comment: &NpsComment, mark_handled: Option<&Callback<String>>) -> Html {
    let category = match comment.category {
        Category::Promoter => "promoter",
        Category::Passive => "passive",
        Category::Detractor => "detractor",
    };
    let when = js_sys::Date::new(&(comment.created_at as f64).into())
        .to_locale_string("en-GB", &wasm_bindgen::JsValue::UNDEFINED);
    html! {
        <li class={classes!("comment", category)}>
            <p class="meta">
                <span class="badge">{ format!("{} · {category}", comment.score) }</span>
                <time>{ String::from(when) }</time>
                if let Some(page) = &comment.page_url {
                    <span class="page">{ page.clone() }</span>
                }
                if comment.handled_at.is_some() {
                    <span class="handled">{ "handled" }</span>
                }
            </p>
            <p class="text">{ comment.comment.clone() }</p>
            if let Some(mark_handled) = mark_handled {
                <button type="button" class="quiet" onclick={
                    let (mark_handled, id) = (mark_handled.clone(), comment.id.clone());
                    move |_: MouseEvent| mark_handled.emit(id.clone())
                }>{ "Mark handled" }</button>
            }
        </li>
    }
}
