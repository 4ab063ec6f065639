//! One advocate's history, for the console: the reviews and answers they wrote, the links
//! they shared, their referral code and every line of their points, newest first. Read
//! in one round trip of small indexed statements, one per kind (D1 limits compound
//! selects), merged here.

use serde::Deserialize;

use crate::error::Result;
use crate::moderation::Status;
use crate::rewards::Account;
use crate::store::{Param, Statement, Store, rows_of};
use crate::wire::{AdvocateEvent, AdvocateHistory, EventKind};

/// Events listed per kind at most; the console shows the newest.
const PER_KIND: i64 = 50;

/// The statements: `?1` site, `?2` the customer id (reviews, answers) or their ledger
/// account (the others), `?3` how many.
pub mod sql {
    /// Their reviews.
    pub const REVIEWS: &str = "SELECT product_id || ' · ' || rating || '/5 · ' || title AS detail, \
        status, created_at AS at, NULL AS points FROM reviews \
        WHERE site_id = ?1 AND customer_id = ?2 ORDER BY created_at DESC LIMIT ?3";
    /// Their answers, with the question they answer.
    pub const ANSWERS: &str = "SELECT questions.product_id || ' · ' || answers.body AS detail, \
        answers.status AS status, answers.created_at AS at, NULL AS points FROM answers \
        JOIN questions ON questions.id = answers.question_id \
        WHERE answers.site_id = ?1 AND answers.customer_id = ?2 \
        ORDER BY answers.created_at DESC LIMIT ?3";
    /// The links they made.
    pub const SHARES: &str = "SELECT url || ' · ' || clicks || ' clicks' AS detail, NULL AS status, \
        created_at AS at, NULL AS points FROM share_links \
        WHERE site_id = ?1 AND sharer = ?2 ORDER BY created_at DESC LIMIT ?3";
    /// Their referral code.
    pub const REFERRALS: &str = "SELECT code || ' · ' || conversions || ' conversions' AS detail, \
        NULL AS status, created_at AS at, NULL AS points FROM referrals \
        WHERE site_id = ?1 AND advocate = ?2 ORDER BY created_at DESC LIMIT ?3";
    /// Their points, line by line.
    pub const POINTS: &str = "SELECT reason || COALESCE(' · ' || note, '') AS detail, NULL AS status, \
        created_at AS at, points FROM ledger \
        WHERE site_id = ?1 AND account = ?2 ORDER BY created_at DESC, id DESC LIMIT ?3";
}

#[derive(Debug, Deserialize)]
struct BalanceRow {
    balance: i64,
}

#[derive(Debug, Deserialize)]
struct EventRow {
    detail: String,
    status: Option<Status>,
    at: i64,
    points: Option<i64>,
}

/// Everything stored about what `customer_id` did for the brand, newest first.
pub async fn history<S: Store>(
    store: &S,
    site_id: &str,
    customer_id: &str,
) -> Result<AdvocateHistory> {
    let account = Account::Customer(customer_id.to_owned()).key();
    let by_customer =
        || -> Vec<Param> { vec![site_id.into(), customer_id.into(), PER_KIND.into()] };
    let by_account =
        || -> Vec<Param> { vec![site_id.into(), account.as_str().into(), PER_KIND.into()] };
    let kinds = [
        (EventKind::Review, sql::REVIEWS, by_customer()),
        (EventKind::Answer, sql::ANSWERS, by_customer()),
        (EventKind::Share, sql::SHARES, by_account()),
        (EventKind::Referral, sql::REFERRALS, by_account()),
        (EventKind::Points, sql::POINTS, by_account()),
    ];
    let mut statements = vec![Statement::new(
        crate::advocacy::sql::BALANCE,
        vec![site_id.into(), account.as_str().into()],
    )];
    statements.extend(
        kinds
            .iter()
            .map(|(_, sql, params)| Statement::new(sql, params.clone())),
    );
    let mut results = store.batch(&statements).await?;
    let points = rows_of::<BalanceRow>(&mut results, 0)?
        .pop()
        .map_or(0, |row| row.balance);
    let mut events = Vec::new();
    for (index, (kind, _, _)) in kinds.iter().enumerate() {
        for row in rows_of::<EventRow>(&mut results, index + 1)? {
            events.push(AdvocateEvent {
                kind: *kind,
                detail: row.detail,
                status: row.status,
                points: row.points,
                at: row.at,
            });
        }
    }
    events.sort_by_key(|event| std::cmp::Reverse(event.at));
    Ok(AdvocateHistory {
        customer_id: customer_id.to_owned(),
        points,
        events,
    })
}
