//! What the brand console reads about NPS: the score and its split over a date range,
//! its trend by week, the pages answers came from, and the comments to read, detractors'
//! first. Written once over [`Store::batch`]; without a page filter every figure comes
//! from the per-day counts of migration `0009_nps_days.sql`, so it never scans answers.

use serde::Deserialize;

use crate::DAY_MS;
use crate::error::{Error, Result};
use crate::nps::{Category, NpsCounts};
use crate::paging::{self, Cursor};
use crate::store::{Param, Statement, Store, rows_of};
use crate::wire::{NpsComment, NpsCommentPage, NpsPage, NpsReport, NpsWeek};

/// 1970-01-01 was a Thursday: the Monday of its week was three days before.
const MONDAY_OFFSET_MS: i64 = 3 * DAY_MS;
/// Pages listed for the filter: the most answered ones.
const MAX_PAGES: i64 = 50;

/// The statements, with their numbered parameters documented.
pub mod sql {
    /// `?1` site, `?2` from (ms, inclusive), `?3` to (ms, exclusive): counts per UTC day.
    pub const DAYS: &str = "SELECT day_ms, total, promoters, detractors FROM nps_days \
        WHERE site_id = ?1 AND day_ms >= ?2 AND day_ms < ?3 ORDER BY day_ms";

    /// As [`DAYS`], for answers given on the page `?4` only (index `nps_answers_page`).
    pub const PAGE_DAYS: &str = "SELECT created_at - created_at % 86400000 AS day_ms, \
        COUNT(*) AS total, SUM(score >= 9) AS promoters, SUM(score <= 6) AS detractors \
        FROM nps_answers WHERE site_id = ?1 AND created_at >= ?2 AND created_at < ?3 \
        AND page_url = ?4 GROUP BY day_ms ORDER BY day_ms";

    /// `?1` site, `?2` from, `?3` to, `?4` how many: the pages with the most answers.
    pub const PAGES: &str = "SELECT page_url, COUNT(*) AS total FROM nps_answers \
        WHERE site_id = ?1 AND created_at >= ?2 AND created_at < ?3 AND page_url IS NOT NULL \
        GROUP BY page_url ORDER BY total DESC, page_url LIMIT ?4";

    /// `?1` site, `?2` from, `?3` to, `?4` page or NULL for all, `?5` category or NULL for
    /// all, `?6` 1 for unhandled only, `?7`/`?8` cursor (created_at, id) or FOREVER/'',
    /// `?9` row limit. Newest first (partial index `nps_answers_comments`).
    pub const COMMENTS: &str = "SELECT id, score, category, comment, page_url, locale, \
        created_at, handled_at FROM nps_answers \
        WHERE site_id = ?1 AND comment IS NOT NULL AND created_at >= ?2 AND created_at < ?3 \
        AND (?4 IS NULL OR page_url = ?4) AND (?5 IS NULL OR category = ?5) \
        AND (?6 = 0 OR handled_at IS NULL) \
        AND (created_at < ?7 OR (created_at = ?7 AND id < ?8)) \
        ORDER BY created_at DESC, id DESC LIMIT ?9";

    /// `?1` site, `?2` answer id, `?3` now (ms). Marks a comment handled once; returns it.
    pub const HANDLE: &str = "UPDATE nps_answers SET handled_at = COALESCE(handled_at, ?3) \
        WHERE site_id = ?1 AND id = ?2 AND comment IS NOT NULL \
        RETURNING id, score, category, comment, page_url, locale, created_at, handled_at";
}

/// What the console filters by: whole UTC days and, optionally, one page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    /// First day's start, Unix ms.
    pub from_ms: i64,
    /// The end of the last day (exclusive), Unix ms.
    pub to_ms: i64,
    /// The page URL answers were given on.
    pub page: Option<String>,
}

#[derive(Debug, Deserialize)]
struct DayRow {
    day_ms: i64,
    total: u64,
    promoters: u64,
    detractors: u64,
}

#[derive(Debug, Deserialize)]
struct CommentRow {
    id: String,
    score: u8,
    category: Category,
    comment: String,
    page_url: Option<String>,
    locale: Option<String>,
    created_at: i64,
    handled_at: Option<i64>,
}

impl From<CommentRow> for NpsComment {
    fn from(row: CommentRow) -> NpsComment {
        NpsComment {
            id: row.id,
            score: row.score,
            category: row.category,
            comment: row.comment,
            page_url: row.page_url,
            locale: row.locale,
            created_at: row.created_at,
            handled_at: row.handled_at,
        }
    }
}

/// The start (Unix ms) of the Monday-to-Sunday UTC week holding `ms`.
pub fn week_start(ms: i64) -> i64 {
    ms - (ms + MONDAY_OFFSET_MS).rem_euclid(7 * DAY_MS)
}

/// Adds up days into weeks, oldest first, skipping weeks without answers.
fn weeks_of(days: &[DayRow]) -> Vec<(i64, NpsCounts)> {
    let mut weeks: Vec<(i64, NpsCounts)> = Vec::new();
    for day in days {
        let week = week_start(day.day_ms);
        if weeks.last().is_none_or(|(last, _)| *last != week) {
            weeks.push((week, NpsCounts::default()));
        }
        if let Some((_, counts)) = weeks.last_mut() {
            counts.total += day.total;
            counts.promoters += day.promoters;
            counts.detractors += day.detractors;
        }
    }
    weeks
}

/// The score, weeks and pages for `filter`, in one round trip.
pub async fn nps_report<S: Store>(
    store: &S,
    site_id: &str,
    filter: &Filter,
    from: Option<String>,
    to: Option<String>,
) -> Result<NpsReport> {
    let range = vec![
        Param::from(site_id),
        filter.from_ms.into(),
        filter.to_ms.into(),
    ];
    let days = match &filter.page {
        Some(page) => {
            let mut params = range.clone();
            params.push(page.as_str().into());
            Statement::new(sql::PAGE_DAYS, params)
        }
        None => Statement::new(sql::DAYS, range.clone()),
    };
    let mut pages_params = range;
    pages_params.push(MAX_PAGES.into());
    let mut results = store
        .batch(&[days, Statement::new(sql::PAGES, pages_params)])
        .await?;
    let days: Vec<DayRow> = rows_of(&mut results, 0)?;
    let pages: Vec<NpsPage> = rows_of(&mut results, 1)?;
    let weeks = weeks_of(&days);
    let mut all = NpsCounts::default();
    for (_, counts) in &weeks {
        all.total += counts.total;
        all.promoters += counts.promoters;
        all.detractors += counts.detractors;
    }
    Ok(NpsReport {
        summary: all.summary(from, to),
        page: filter.page.clone(),
        weeks: weeks
            .into_iter()
            .map(|(start, counts)| NpsWeek {
                week: crate::review::markup::iso_day(start),
                total: counts.total,
                promoters: counts.promoters,
                passives: counts.passives(),
                detractors: counts.detractors,
                nps: counts.nps(),
            })
            .collect(),
        pages,
    })
}

/// Which comments to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommentQuery {
    /// One category only.
    pub category: Option<Category>,
    /// Those not yet marked handled only.
    pub unhandled: bool,
}

/// One page of comments, newest first.
pub async fn comments<S: Store>(
    store: &S,
    site_id: &str,
    filter: &Filter,
    query: &CommentQuery,
    after: Option<&Cursor>,
    limit: u32,
) -> Result<NpsCommentPage> {
    let statement = Statement::new(
        sql::COMMENTS,
        vec![
            site_id.into(),
            filter.from_ms.into(),
            filter.to_ms.into(),
            filter.page.as_deref().into(),
            query.category.map(Category::as_str).into(),
            i64::from(query.unhandled).into(),
            after.map_or(paging::FOREVER, |cursor| cursor.key(0)).into(),
            after.map_or("", |cursor| cursor.id.as_str()).into(),
            (i64::from(limit) + 1).into(),
        ],
    );
    let mut results = store.batch(&[statement]).await?;
    let mut rows: Vec<CommentRow> = rows_of(&mut results, 0)?;
    let next_cursor = paging::cut(&mut rows, limit, |row| Cursor {
        keys: vec![row.created_at],
        id: row.id.clone(),
    });
    Ok(NpsCommentPage {
        comments: rows.into_iter().map(Into::into).collect(),
        next_cursor,
    })
}

/// Marks a comment handled (the first time only) and returns it.
pub async fn mark_handled<S: Store>(
    store: &S,
    site_id: &str,
    answer_id: &str,
    now_ms: i64,
) -> Result<NpsComment> {
    let statement = Statement::new(
        sql::HANDLE,
        vec![site_id.into(), answer_id.into(), now_ms.into()],
    );
    let mut results = store.batch(&[statement]).await?;
    rows_of::<CommentRow>(&mut results, 0)?
        .pop()
        .map(Into::into)
        .ok_or(Error::NotFound)
}

/// Where the console's trend chart draws one week, in a box of the given size: the
/// week's NPS on a scale from +100 (top) to −100 (bottom), and a bar of its number of
/// answers rising from the bottom, scaled to the busiest week.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartWeek {
    /// Centre of the week's column.
    pub x: f64,
    /// Height of the NPS point.
    pub nps_y: f64,
    /// Top of the answers bar.
    pub bar_top: f64,
}

/// The share of the chart's height the answer bars may take.
const BAR_SHARE: f64 = 0.35;

/// Lays out `weeks` (oldest first) in a `width` × `height` chart.
pub fn chart(weeks: &[NpsWeek], width: f64, height: f64) -> Vec<ChartWeek> {
    let busiest = weeks
        .iter()
        .map(|week| week.total)
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let column = width / weeks.len().max(1) as f64;
    weeks
        .iter()
        .enumerate()
        .map(|(index, week)| ChartWeek {
            x: column * (index as f64 + 0.5),
            nps_y: height * (100.0 - week.nps.unwrap_or(0.0)) / 200.0,
            bar_top: height - height * BAR_SHARE * week.total as f64 / busiest,
        })
        .collect()
}

/// The pages the console's page menu offers: the range's busiest, and the page the figures
/// are limited to when it is not among them (no answer in the range, or past the first
/// [`MAX_PAGES`]), with its answers in the range. The menu then always shows the page the
/// figures are for, and applying the filters again keeps it.
pub fn pages_offered(report: &NpsReport) -> Vec<NpsPage> {
    let mut pages = report.pages.clone();
    if let Some(page) = &report.page
        && !pages.iter().any(|listed| listed.page_url == *page)
    {
        pages.push(NpsPage {
            page_url: page.clone(),
            total: report.summary.total,
        });
    }
    pages
}

/// The SVG path joining the weeks' NPS points.
pub fn line_path(weeks: &[ChartWeek]) -> String {
    weeks
        .iter()
        .enumerate()
        .map(|(index, week)| {
            let command = if index == 0 { 'M' } else { 'L' };
            format!("{command}{:.1},{:.1}", week.x, week.nps_y)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::NpsSummary;

    #[test]
    fn the_page_filtered_by_stays_in_the_menu_when_the_range_has_none_of_its_answers() {
        let page = |page_url: &str, total| NpsPage {
            page_url: page_url.into(),
            total,
        };
        let report = |filtered_by: Option<&str>, total| NpsReport {
            summary: NpsSummary {
                from: None,
                to: None,
                total,
                promoters: 0,
                passives: 0,
                detractors: 0,
                nps: None,
            },
            page: filtered_by.map(str::to_owned),
            weeks: Vec::new(),
            pages: vec![page("/", 6), page("/nuit", 1)],
        };
        assert_eq!(
            pages_offered(&report(None, 7)),
            [page("/", 6), page("/nuit", 1)]
        );
        assert_eq!(
            pages_offered(&report(Some("/nuit"), 1)),
            [page("/", 6), page("/nuit", 1)]
        );
        assert_eq!(
            pages_offered(&report(Some("/old"), 0)),
            [page("/", 6), page("/nuit", 1), page("/old", 0)]
        );
    }

    fn week(total: u64, nps: Option<f64>) -> NpsWeek {
        NpsWeek {
            week: "2025-11-24".into(),
            total,
            promoters: 0,
            passives: 0,
            detractors: 0,
            nps,
        }
    }

    #[test]
    fn the_chart_puts_plus_100_on_top_and_the_busiest_week_tallest() {
        let laid_out = chart(
            &[week(10, Some(100.0)), week(5, Some(-100.0)), week(0, None)],
            300.0,
            200.0,
        );
        assert_eq!(
            laid_out[0],
            ChartWeek {
                x: 50.0,
                nps_y: 0.0,
                bar_top: 130.0
            }
        );
        assert_eq!(laid_out[1].nps_y, 200.0);
        assert_eq!(laid_out[1].bar_top, 165.0);
        assert_eq!(
            laid_out[2].nps_y, 100.0,
            "no answers draws on the zero line"
        );
        assert_eq!(line_path(&laid_out[..2]), "M50.0,0.0 L150.0,200.0");
        assert!(chart(&[], 300.0, 200.0).is_empty());
    }

    const MONDAY_2025_11_24: i64 = 1_763_942_400_000;

    #[test]
    fn weeks_start_on_monday_utc() {
        assert_eq!(week_start(MONDAY_2025_11_24), MONDAY_2025_11_24);
        assert_eq!(
            week_start(MONDAY_2025_11_24 + 7 * DAY_MS - 1),
            MONDAY_2025_11_24
        );
        assert_eq!(
            week_start(MONDAY_2025_11_24 - 1),
            MONDAY_2025_11_24 - 7 * DAY_MS
        );
        assert_eq!(week_start(0), -MONDAY_OFFSET_MS);
    }

    #[test]
    fn days_add_up_into_weeks() {
        let day = |offset: i64, total, promoters, detractors| DayRow {
            day_ms: MONDAY_2025_11_24 + offset * DAY_MS,
            total,
            promoters,
            detractors,
        };
        let weeks = weeks_of(&[
            day(0, 2, 1, 0),
            day(6, 3, 0, 3),
            day(7, 1, 1, 0),
            day(21, 4, 2, 2),
        ]);
        let totals: Vec<(i64, u64, u64)> = weeks
            .iter()
            .map(|(start, counts)| {
                (
                    (start - MONDAY_2025_11_24) / DAY_MS,
                    counts.total,
                    counts.detractors,
                )
            })
            .collect();
        assert_eq!(totals, [(0, 5, 3), (7, 1, 0), (21, 4, 2)]);
    }
}
