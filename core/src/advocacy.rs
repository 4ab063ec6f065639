//! Storage for share links, visits, the points ledger, identities and the advocate
//! leaderboard, over [`Store::batch`]. Caps are applied inside the insert that credits, so
//! two requests at once cannot both slip under a cap; the ledger itself refuses updates
//! and deletes (migration `0006_advocacy.sql`).

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::ladder::Activity;
use crate::rewards::{Account, Reason};
use crate::store::{Param, Recorded, Statement, Store, rows_of};
use crate::wire::LedgerEntry;

/// Entries shown in a points statement.
pub const STATEMENT_ENTRIES: i64 = 20;

/// The statements, with their numbered parameters documented.
pub mod sql {
    /// `?1` site, `?2` sharer account, `?3` sharer visitor id, `?4` url, `?5` now. Returns
    /// the new code, or nothing if this sharer already has a link to this page.
    pub const INSERT_LINK: &str = "INSERT INTO share_links (code, site_id, sharer, \
        sharer_visitor_id, url, created_at) VALUES (lower(hex(randomblob(6))), ?1, ?2, ?3, ?4, ?5) \
        ON CONFLICT DO NOTHING RETURNING code";

    /// `?1` site, `?2` sharer account, `?3` url.
    pub const LINK_OF_SHARER: &str =
        "SELECT code FROM share_links WHERE site_id = ?1 AND sharer = ?2 AND url = ?3";

    /// `?1` code, `?2` 1 to count a click (0 for robots).
    pub const CLICK: &str = "UPDATE share_links SET clicks = clicks + ?2 WHERE code = ?1";

    /// `?1` code.
    pub const LINK: &str =
        "SELECT code, site_id, sharer, sharer_visitor_id, url FROM share_links WHERE code = ?1";

    /// `?1` site, `?2` visitor: the customer this browser turned out to be.
    pub const IDENTITY: &str =
        "SELECT customer_id FROM identities WHERE site_id = ?1 AND visitor_id = ?2";

    /// `?1` code, `?2` visitor, `?3` day, `?4` counted visits allowed per link and day,
    /// `?5` now. Returns whether it counts, or nothing if this visitor came already today.
    pub const INSERT_VISIT: &str = "INSERT INTO share_visits (code, visitor_id, day, counted, \
        created_at) SELECT ?1, ?2, ?3, (SELECT COUNT(*) FROM share_visits WHERE code = ?1 \
        AND day = ?3 AND counted = 1) < ?4, ?5 WHERE true ON CONFLICT DO NOTHING RETURNING counted";

    /// The credit statement, with `$condition` added to the conditions of its insert.
    macro_rules! credit {
        ($condition:literal) => {
            concat!(
                "WITH who AS (SELECT CASE WHEN ?2 LIKE 'visitor:%' THEN \
                COALESCE((SELECT 'customer:' || customer_id FROM identities WHERE site_id = ?1 \
                AND visitor_id = substr(?2, 9)), ?2) ELSE ?2 END AS account), \
                earned AS (SELECT COALESCE(SUM(points), 0) AS today FROM ledger, who \
                WHERE ledger.site_id = ?1 AND ledger.account = who.account AND reason = ?4 \
                AND created_at >= ?8), \
                award AS (SELECT who.account, CASE WHEN ?7 < 0 THEN ?3 ELSE MIN(?3, ?7 - earned.today) \
                END AS points FROM who, earned) \
                INSERT INTO ledger (site_id, account, points, reason, source, idempotency_key, created_at) \
                SELECT ?1, account, points, ?4, ?5, ?6, ?9 FROM award WHERE points > 0",
                $condition,
                " ON CONFLICT DO NOTHING RETURNING points"
            )
        };
    }

    /// `?1` site, `?2` account (a visitor account is credited to its customer once known),
    /// `?3` points, `?4` reason, `?5` source, `?6` idempotency key, `?7` daily cap (-1: none),
    /// `?8` start of today, `?9` now. Credits the rule's points cut to what the cap leaves;
    /// returns them, or nothing when nothing is left or the key was used.
    pub const CREDIT: &str = credit!("");

    /// [`CREDIT`] for a visit through a link, whose code is the source `?5`, in the batch
    /// after [`INSERT_VISIT`]: `?10` visitor, `?11` day. Credits only if that visitor's
    /// visit of that day counted.
    pub const CREDIT_COUNTED_VISIT: &str = credit!(
        " AND EXISTS (SELECT 1 FROM share_visits WHERE code = ?5 AND visitor_id = ?10 \
        AND day = ?11 AND counted = 1)"
    );

    /// `?1` site, `?2` account.
    pub const BALANCE: &str = "SELECT COALESCE(SUM(points), 0) AS balance FROM ledger \
        WHERE site_id = ?1 AND account = ?2";

    /// `?1` site, `?2` account, `?3` at most.
    pub const ENTRIES: &str = "SELECT points, reason, source, note, created_at FROM ledger \
        WHERE site_id = ?1 AND account = ?2 ORDER BY id DESC LIMIT ?3";

    /// `?1` site, `?2` visitor, `?3` customer, `?4` now.
    pub const REMEMBER_IDENTITY: &str = "INSERT INTO identities (site_id, visitor_id, \
        customer_id, created_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (site_id, visitor_id) \
        DO UPDATE SET customer_id = excluded.customer_id";

    /// `?1` site, `?2` visitor, `?3` customer, `?4` now: the visitor's balance, credited to
    /// the customer (once per state of the visitor's account).
    pub const TRANSFER_IN: &str = "INSERT INTO ledger (site_id, account, points, reason, \
        source, idempotency_key, created_at) SELECT ?1, 'customer:' || ?3, SUM(points), \
        'transfer', 'visitor:' || ?2, 'transfer-in:' || ?2 || ':' || MAX(id), ?4 FROM ledger \
        WHERE site_id = ?1 AND account = 'visitor:' || ?2 HAVING SUM(points) != 0 \
        ON CONFLICT DO NOTHING";

    /// Same parameters: the visitor's balance, debited from the visitor.
    pub const TRANSFER_OUT: &str = "INSERT INTO ledger (site_id, account, points, reason, \
        source, idempotency_key, created_at) SELECT ?1, 'visitor:' || ?2, -SUM(points), \
        'transfer', 'customer:' || ?3, 'transfer-out:' || ?2 || ':' || MAX(id), ?4 FROM ledger \
        WHERE site_id = ?1 AND account = 'visitor:' || ?2 HAVING SUM(points) != 0 \
        ON CONFLICT DO NOTHING";

    /// `?1` site, `?2` visitor, `?3` customer: the visitor's links become the customer's.
    pub const MOVE_LINKS: &str = "UPDATE OR IGNORE share_links SET sharer = 'customer:' || ?3 \
        WHERE site_id = ?1 AND sharer = 'visitor:' || ?2";

    /// `?1` site, `?2` customer account, `?3` points, `?4` note, `?5` idempotency key,
    /// `?6` now.
    pub const ADJUST: &str = "INSERT INTO ledger (site_id, account, points, reason, source, \
        note, idempotency_key, created_at) VALUES (?1, ?2, ?3, 'adjustment', 'admin', ?4, ?5, ?6) \
        ON CONFLICT DO NOTHING";

    /// `?1` site, `?2` idempotency key.
    pub const ENTRY_BY_KEY: &str = "SELECT points, reason, source, note, created_at, account \
        FROM ledger WHERE site_id = ?1 AND idempotency_key = ?2";

    /// `?1` site, `?2` customer, `?3` now.
    pub const JOIN_PANEL: &str = "INSERT INTO panel_members (site_id, customer_id, added_at) \
        VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING";

    /// `?1` site, `?2` customer.
    pub const LEAVE_PANEL: &str =
        "DELETE FROM panel_members WHERE site_id = ?1 AND customer_id = ?2";

    /// `?1` site: every known customer with what they did and their balance. D1 allows
    /// few terms per compound SELECT, so the people are gathered three sources at a time.
    pub const ADVOCATES: &str = "WITH contributors AS ( \
        SELECT customer_id FROM nps_answers WHERE site_id = ?1 AND customer_id IS NOT NULL \
        UNION SELECT customer_id FROM reviews WHERE site_id = ?1 AND customer_id IS NOT NULL \
        UNION SELECT customer_id FROM answers WHERE site_id = ?1 AND customer_id IS NOT NULL), \
        askers_and_sharers AS ( \
        SELECT customer_id FROM questions WHERE site_id = ?1 AND customer_id IS NOT NULL \
        UNION SELECT substr(sharer, 10) FROM share_links WHERE site_id = ?1 AND sharer LIKE 'customer:%'), \
        members AS ( \
        SELECT substr(account, 10) AS customer_id FROM ledger WHERE site_id = ?1 AND account LIKE 'customer:%' \
        UNION SELECT customer_id FROM panel_members WHERE site_id = ?1), \
        people AS (SELECT customer_id FROM contributors UNION SELECT customer_id FROM askers_and_sharers \
        UNION SELECT customer_id FROM members) \
        SELECT p.customer_id, \
        (SELECT COUNT(*) FROM nps_answers n WHERE n.site_id = ?1 AND n.customer_id = p.customer_id) AS nps_answers, \
        (SELECT COUNT(*) FROM nps_answers n WHERE n.site_id = ?1 AND n.customer_id = p.customer_id AND n.score >= 9) AS promoter_answers, \
        (SELECT COUNT(*) FROM reviews r WHERE r.site_id = ?1 AND r.customer_id = p.customer_id AND r.status = 'published') AS published_reviews, \
        (SELECT COUNT(*) FROM answers a WHERE a.site_id = ?1 AND a.customer_id = p.customer_id AND a.status = 'published') AS published_answers, \
        (SELECT COALESCE(SUM(a.helpful_count), 0) FROM answers a WHERE a.site_id = ?1 AND a.customer_id = p.customer_id AND a.status = 'published') \
        + (SELECT COALESCE(SUM(r.helpful_count), 0) FROM reviews r WHERE r.site_id = ?1 AND r.customer_id = p.customer_id AND r.status = 'published') AS helpful_votes, \
        (SELECT COUNT(*) FROM share_visits v JOIN share_links l ON l.code = v.code WHERE l.site_id = ?1 AND l.sharer = 'customer:' || p.customer_id AND v.counted = 1) AS share_visits, \
        EXISTS (SELECT 1 FROM panel_members m WHERE m.site_id = ?1 AND m.customer_id = p.customer_id) AS panel, \
        (SELECT COALESCE(SUM(points), 0) FROM ledger g WHERE g.site_id = ?1 AND g.account = 'customer:' || p.customer_id) AS points \
        FROM people p";
}

/// A share link as stored.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Link {
    /// Its code.
    pub code: String,
    /// The site it belongs to.
    pub site_id: String,
    /// The ledger account it credits.
    pub sharer: String,
    /// The browser that made it.
    pub sharer_visitor_id: String,
    /// The page it leads to.
    pub url: String,
}

#[derive(Deserialize)]
struct CodeRow {
    code: String,
}

#[derive(Deserialize)]
struct CountedRow {
    counted: u8,
}

#[derive(Deserialize)]
struct PointsRow {
    points: i64,
}

#[derive(Deserialize)]
struct BalanceRow {
    balance: i64,
}

#[derive(Deserialize)]
struct CustomerRow {
    customer_id: String,
}

#[derive(Deserialize)]
struct EntryRow {
    points: i64,
    reason: Reason,
    source: String,
    note: Option<String>,
    created_at: i64,
}

impl From<EntryRow> for LedgerEntry {
    fn from(row: EntryRow) -> Self {
        LedgerEntry {
            points: row.points,
            reason: row.reason,
            source: row.source,
            note: row.note,
            created_at: row.created_at,
        }
    }
}

#[derive(Deserialize)]
struct AdvocateRow {
    customer_id: String,
    nps_answers: u64,
    promoter_answers: u64,
    published_reviews: u64,
    published_answers: u64,
    helpful_votes: u64,
    share_visits: u64,
    panel: u8,
    points: i64,
}

/// The sharer's link to `url`, made now or earlier (the same sharer and page always get
/// the same link), after recording `identification` when the sharer is a customer.
pub async fn link_for<S: Store>(
    store: &S,
    site_id: &str,
    sharer: &Account,
    visitor_id: &str,
    url: &str,
    now_ms: i64,
    identification: Option<&Identification<'_>>,
) -> Result<Recorded<String>> {
    let sharer = sharer.key();
    let mut statements = identification.map_or_else(Vec::new, Identification::statements);
    let first = statements.len();
    statements.push(Statement::new(
        sql::INSERT_LINK,
        vec![
            site_id.into(),
            sharer.as_str().into(),
            visitor_id.into(),
            url.into(),
            now_ms.into(),
        ],
    ));
    statements.push(Statement::new(
        sql::LINK_OF_SHARER,
        vec![site_id.into(), sharer.as_str().into(), url.into()],
    ));
    let mut results = store.batch(&statements).await?;
    if let Some(created) = rows_of::<CodeRow>(&mut results, first)?.pop() {
        return Ok(Recorded::Created(created.code));
    }
    rows_of::<CodeRow>(&mut results, first + 1)?
        .pop()
        .map(|row| Recorded::Replayed(row.code))
        .ok_or_else(|| Error::Storage("a new link code collided; retry".into()))
}

/// The link with this code, counting a click on it unless a robot follows it.
pub async fn follow<S: Store>(store: &S, code: &str, by_person: bool) -> Result<Option<Link>> {
    let click = Statement::new(sql::CLICK, vec![code.into(), i64::from(by_person).into()]);
    let read = Statement::new(sql::LINK, vec![code.into()]);
    let mut results = store.batch(&[click, read]).await?;
    Ok(rows_of::<Link>(&mut results, 1)?.pop())
}

/// The link with this code, and the customer a browser's visitor id is known to be, if
/// any: one round trip for what a visit through a link checks first.
pub async fn link_and_identity<S: Store>(
    store: &S,
    code: &str,
    site_id: &str,
    visitor_id: &str,
) -> Result<(Option<Link>, Option<String>)> {
    let mut results = store
        .batch(&[
            Statement::new(sql::LINK, vec![code.into()]),
            Statement::new(sql::IDENTITY, vec![site_id.into(), visitor_id.into()]),
        ])
        .await?;
    let link = rows_of::<Link>(&mut results, 0)?.pop();
    let customer = rows_of::<CustomerRow>(&mut results, 1)?
        .pop()
        .map(|row| row.customer_id);
    Ok((link, customer))
}

/// A visit through a share link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Visit<'a> {
    /// The link's code.
    pub code: &'a str,
    /// The visiting browser.
    pub visitor_id: &'a str,
    /// [`crate::share::day_of`] the visit.
    pub day: i64,
    /// Counted visits allowed per link and day.
    pub per_day: u32,
    /// Unix ms.
    pub now_ms: i64,
}

/// Records a visit and, in the same round trip, `reward` (whose source is the link's code)
/// if it counts: `Some((counted, points written))` for the visitor's first visit of the
/// day (not counted once the link has its counted visits of the day), `None` if they came
/// already today.
pub async fn record_visit<S: Store>(
    store: &S,
    visit: &Visit<'_>,
    reward: &Credit<'_>,
) -> Result<Option<(bool, i64)>> {
    let mut statements = vec![Statement::new(
        sql::INSERT_VISIT,
        vec![
            visit.code.into(),
            visit.visitor_id.into(),
            visit.day.into(),
            i64::from(visit.per_day).into(),
            visit.now_ms.into(),
        ],
    )];
    if reward.points > 0 {
        let mut credit = reward.statement(sql::CREDIT_COUNTED_VISIT);
        credit
            .params
            .extend([visit.visitor_id.into(), visit.day.into()]);
        statements.push(credit);
    }
    let mut results = store.batch(&statements).await?;
    let Some(visited) = rows_of::<CountedRow>(&mut results, 0)?.pop() else {
        return Ok(None);
    };
    let points = if statements.len() > 1 {
        rows_of::<PointsRow>(&mut results, 1)?
            .pop()
            .map_or(0, |row| row.points)
    } else {
        0
    };
    Ok(Some((visited.counted == 1, points)))
}

/// One reward to write to the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credit<'a> {
    /// The site.
    pub site_id: &'a str,
    /// Who earns it (a visitor account goes to its customer once known).
    pub account: String,
    /// Why.
    pub reason: Reason,
    /// The event it rewards.
    pub source: &'a str,
    /// The rule's points.
    pub points: u32,
    /// The most this reason may earn the account today.
    pub daily_cap: Option<u32>,
    /// Unique per rewarded event, so a retry never pays twice.
    pub idempotency_key: String,
    /// Unix ms.
    pub now_ms: i64,
}

impl Credit<'_> {
    /// The statement writing it: [`sql::CREDIT`] or a variant taking the same parameters
    /// first.
    fn statement(&self, sql: &'static str) -> Statement {
        Statement::new(
            sql,
            vec![
                self.site_id.into(),
                self.account.as_str().into(),
                i64::from(self.points).into(),
                self.reason.as_str().into(),
                self.source.into(),
                self.idempotency_key.as_str().into(),
                self.daily_cap.map_or(-1, i64::from).into(),
                crate::share::day_start(self.now_ms).into(),
                self.now_ms.into(),
            ],
        )
    }
}

/// Writes a reward, cut to what the daily cap leaves; returns the points written (0 when
/// the rule gives none, the cap is reached, or the event was already rewarded).
pub async fn credit<S: Store>(store: &S, credit: &Credit<'_>) -> Result<i64> {
    if credit.points == 0 {
        return Ok(0);
    }
    let mut results = store.batch(&[credit.statement(sql::CREDIT)]).await?;
    Ok(rows_of::<PointsRow>(&mut results, 0)?
        .pop()
        .map_or(0, |row| row.points))
}

/// Writes several rewards in one round trip and one transaction (both sides of a
/// referral), each as [`credit`] does.
pub async fn credit_all<S: Store>(store: &S, credits: &[Credit<'_>]) -> Result<()> {
    let statements: Vec<Statement> = credits
        .iter()
        .filter(|credit| credit.points > 0)
        .map(|credit| credit.statement(sql::CREDIT))
        .collect();
    if !statements.is_empty() {
        store.batch(&statements).await?;
    }
    Ok(())
}

/// An account's balance and latest entries.
pub async fn statement<S: Store>(
    store: &S,
    site_id: &str,
    account: &Account,
) -> Result<(i64, Vec<LedgerEntry>)> {
    let key = account.key();
    let balance = Statement::new(sql::BALANCE, vec![site_id.into(), key.as_str().into()]);
    let entries = Statement::new(
        sql::ENTRIES,
        vec![
            site_id.into(),
            key.as_str().into(),
            STATEMENT_ENTRIES.into(),
        ],
    );
    let mut results = store.batch(&[balance, entries]).await?;
    let balance = rows_of::<BalanceRow>(&mut results, 0)?
        .pop()
        .map_or(0, |row| row.balance);
    let entries = rows_of::<EntryRow>(&mut results, 1)?
        .into_iter()
        .map(Into::into)
        .collect();
    Ok((balance, entries))
}

/// That this browser is this customer (from a verified customer token): recorded on its
/// own by [`identify`], or at the head of the batch of the write it comes with, so that
/// the write takes no round trip more.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Identification<'a> {
    /// The site.
    pub site_id: &'a str,
    /// The browser.
    pub visitor_id: &'a str,
    /// The customer the token names.
    pub customer_id: &'a str,
    /// Unix ms.
    pub now_ms: i64,
}

impl Identification<'_> {
    /// The statements recording it, in one transaction: the visitor's points and links
    /// move to the customer, and later rewards to the visitor go to the customer.
    pub fn statements(&self) -> Vec<Statement> {
        let params = || -> Vec<Param> {
            vec![
                self.site_id.into(),
                self.visitor_id.into(),
                self.customer_id.into(),
                self.now_ms.into(),
            ]
        };
        vec![
            Statement::new(sql::REMEMBER_IDENTITY, params()),
            Statement::new(sql::TRANSFER_IN, params()),
            Statement::new(sql::TRANSFER_OUT, params()),
            Statement::new(
                sql::MOVE_LINKS,
                vec![
                    self.site_id.into(),
                    self.visitor_id.into(),
                    self.customer_id.into(),
                ],
            ),
        ]
    }
}

/// Records an [`Identification`] in a round trip of its own.
pub async fn identify<S: Store>(store: &S, identification: &Identification<'_>) -> Result<()> {
    store.batch(&identification.statements()).await?;
    Ok(())
}

/// Credits or debits a customer by hand; a retry with the same key changes nothing and
/// gets the first entry back. Returns the entry and the balance after it.
pub async fn adjust<S: Store>(
    store: &S,
    site_id: &str,
    customer_id: &str,
    points: i64,
    note: &str,
    idempotency_key: &str,
    now_ms: i64,
) -> Result<(LedgerEntry, i64)> {
    let account = Account::Customer(customer_id.to_owned()).key();
    let insert = Statement::new(
        sql::ADJUST,
        vec![
            site_id.into(),
            account.as_str().into(),
            points.into(),
            note.into(),
            idempotency_key.into(),
            now_ms.into(),
        ],
    );
    let entry = Statement::new(
        sql::ENTRY_BY_KEY,
        vec![site_id.into(), idempotency_key.into()],
    );
    let balance = Statement::new(sql::BALANCE, vec![site_id.into(), account.as_str().into()]);
    let mut results = store.batch(&[insert, entry, balance]).await?;
    let entry = rows_of::<EntryRow>(&mut results, 1)?
        .pop()
        .ok_or_else(|| Error::Storage("adjustment not found after insert".into()))?;
    let balance = rows_of::<BalanceRow>(&mut results, 2)?
        .pop()
        .map_or(0, |row| row.balance);
    Ok((entry.into(), balance))
}

/// Adds a customer to the private panel, or takes them out.
pub async fn set_panel<S: Store>(
    store: &S,
    site_id: &str,
    customer_id: &str,
    member: bool,
    now_ms: i64,
) -> Result<()> {
    let statement = if member {
        Statement::new(
            sql::JOIN_PANEL,
            vec![site_id.into(), customer_id.into(), now_ms.into()],
        )
    } else {
        Statement::new(sql::LEAVE_PANEL, vec![site_id.into(), customer_id.into()])
    };
    store.batch(&[statement]).await?;
    Ok(())
}

/// Every known customer of the site with what they did and their balance.
pub async fn advocates<S: Store>(store: &S, site_id: &str) -> Result<Vec<(String, Activity, i64)>> {
    let mut results = store
        .batch(&[Statement::new(sql::ADVOCATES, vec![site_id.into()])])
        .await?;
    Ok(rows_of::<AdvocateRow>(&mut results, 0)?
        .into_iter()
        .map(|row| {
            (
                row.customer_id,
                Activity {
                    nps_answers: row.nps_answers,
                    promoter_answers: row.promoter_answers,
                    published_reviews: row.published_reviews,
                    published_answers: row.published_answers,
                    helpful_votes: row.helpful_votes,
                    share_visits: row.share_visits,
                    panel: row.panel == 1,
                },
                row.points,
            )
        })
        .collect())
}
