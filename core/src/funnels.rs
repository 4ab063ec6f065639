//! The share and referral funnels, week by week, for the console: links made and the
//! visits they brought, referral codes, invitations, visits and credited conversions with
//! their revenue, and the points these earned. One batch of grouped, indexed statements
//! (D1 limits compound selects), merged here.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::error::Result;
use crate::review::markup::iso_day;
use crate::store::{Statement, Store, rows_of};
use crate::wire::{FunnelWeek, Funnels};

/// The start of a row's Monday-to-Sunday UTC week, in SQL (1970-01-01 was a Thursday).
macro_rules! week_of {
    ($column:literal) => {
        concat!($column, " - ((", $column, " + 259200000) % 604800000)")
    };
}

/// The statements: `?1` site, `?2` from (ms, inclusive), `?3` to (ms, exclusive).
pub mod sql {
    /// Share links made.
    pub const LINKS: &str = concat!(
        "SELECT ",
        week_of!("created_at"),
        " AS week, COUNT(*) AS value, '' AS currency FROM share_links ",
        "WHERE site_id = ?1 AND created_at >= ?2 AND created_at < ?3 GROUP BY week"
    );
    /// Visits through them (one per visitor and day).
    pub const LINK_VISITS: &str = concat!(
        "SELECT ",
        week_of!("v.created_at"),
        " AS week, COUNT(*) AS value, '' AS currency ",
        "FROM share_visits v JOIN share_links l ON l.code = v.code ",
        "WHERE l.site_id = ?1 AND v.created_at >= ?2 AND v.created_at < ?3 GROUP BY week"
    );
    /// Referral codes made.
    pub const CODES: &str = concat!(
        "SELECT ",
        week_of!("created_at"),
        " AS week, COUNT(*) AS value, '' AS currency FROM referrals ",
        "WHERE site_id = ?1 AND created_at >= ?2 AND created_at < ?3 GROUP BY week"
    );
    /// Invitations sent by mail.
    pub const INVITATIONS: &str = concat!(
        "SELECT ",
        week_of!("i.created_at"),
        " AS week, COUNT(*) AS value, '' AS currency ",
        "FROM referral_invitations i JOIN referrals r ON r.code = i.code ",
        "WHERE r.site_id = ?1 AND i.created_at >= ?2 AND i.created_at < ?3 GROUP BY week"
    );
    /// Friends' visits through referral links.
    pub const REFERRAL_VISITS: &str = concat!(
        "SELECT ",
        week_of!("v.created_at"),
        " AS week, COUNT(*) AS value, '' AS currency ",
        "FROM referral_visits v JOIN referrals r ON r.code = v.code ",
        "WHERE r.site_id = ?1 AND v.created_at >= ?2 AND v.created_at < ?3 GROUP BY week"
    );
    /// Credited conversions and their revenue, by currency.
    pub const CONVERSIONS: &str = concat!(
        "SELECT ",
        week_of!("created_at"),
        " AS week, COUNT(*) AS value, currency, ",
        "SUM(amount_cents) AS cents, SUM(advocate_points + friend_points) AS points FROM conversions ",
        "WHERE site_id = ?1 AND outcome = 'credited' AND created_at >= ?2 AND created_at < ?3 ",
        "GROUP BY week, currency"
    );
    /// Points earned by sharing (links made and friends' visits).
    pub const SHARE_POINTS: &str = concat!(
        "SELECT ",
        week_of!("created_at"),
        " AS week, SUM(points) AS value, '' AS currency FROM ledger ",
        "WHERE site_id = ?1 AND reason IN ('share', 'visit') AND created_at >= ?2 AND created_at < ?3 ",
        "GROUP BY week"
    );
}

#[derive(Debug, Deserialize)]
struct CountRow {
    week: i64,
    value: i64,
}

#[derive(Debug, Deserialize)]
struct ConversionRow {
    week: i64,
    value: i64,
    currency: String,
    cents: i64,
    points: i64,
}

/// Writes one counted figure into its week.
type Setter = fn(&mut FunnelWeek, i64);

/// A SQL count as a count (SQLite's are never negative).
fn count(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

/// The week starting at `start`, made empty the first time.
fn week(weeks: &mut BTreeMap<i64, FunnelWeek>, start: i64) -> &mut FunnelWeek {
    weeks.entry(start).or_insert_with(|| FunnelWeek {
        week: iso_day(start),
        ..FunnelWeek::default()
    })
}

/// The funnels from `from_ms` to `to_ms`, weeks without activity left out.
pub async fn funnels<S: Store>(
    store: &S,
    site_id: &str,
    from_ms: i64,
    to_ms: i64,
) -> Result<Funnels> {
    let counts: [(&'static str, Setter); 6] = [
        (sql::LINKS, |week, value| week.links = count(value)),
        (sql::LINK_VISITS, |week, value| {
            week.link_visits = count(value)
        }),
        (sql::CODES, |week, value| week.referral_codes = count(value)),
        (sql::INVITATIONS, |week, value| {
            week.invitations = count(value)
        }),
        (sql::REFERRAL_VISITS, |week, value| {
            week.referral_visits = count(value)
        }),
        (sql::SHARE_POINTS, |week, value| week.share_points = value),
    ];
    let range = || vec![site_id.into(), from_ms.into(), to_ms.into()];
    let mut statements: Vec<Statement> = counts
        .iter()
        .map(|(sql, _)| Statement::new(sql, range()))
        .collect();
    statements.push(Statement::new(sql::CONVERSIONS, range()));
    let mut results = store.batch(&statements).await?;
    let mut weeks: BTreeMap<i64, FunnelWeek> = BTreeMap::new();
    for (index, (_, set)) in counts.iter().enumerate() {
        for row in rows_of::<CountRow>(&mut results, index)? {
            set(week(&mut weeks, row.week), row.value);
        }
    }
    for row in rows_of::<ConversionRow>(&mut results, 6)? {
        let entry = week(&mut weeks, row.week);
        entry.conversions += count(row.value);
        entry.referral_points += row.points;
        *entry.revenue_cents.entry(row.currency).or_default() += row.cents;
    }
    Ok(Funnels {
        weeks: weeks.into_values().collect(),
    })
}
