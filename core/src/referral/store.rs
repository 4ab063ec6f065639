//! Referral storage over [`Store::batch`]. Whether an order is credited is decided inside
//! the one insert that records it, so two reports at once cannot both slip under a code's
//! maximum, and an order reported twice is recorded (and rewarded) once.

use serde::Deserialize;

use crate::advocacy::Identification;
use crate::error::{Error, Result};
use crate::mail::Mail;
use crate::referral::ConversionOutcome;
use crate::rewards::Account;
use crate::store::{Recorded, Statement, Store, rows_of};
use crate::wire::{Funnel, ReferralLine};

/// The statements, with their numbered parameters documented.
pub mod sql {
    /// Columns of a referral.
    macro_rules! referral_columns {
        () => {
            "code, site_id, advocate, advocate_visitor_id, advocate_name, \
             advocate_email_sha256, created_at, expires_at, max_conversions, conversions"
        };
    }

    /// `?1` site, `?2` advocate account, `?3` visitor, `?4` name, `?5` email, `?6` email
    /// hash, `?7` now, `?8` expires at, `?9` max conversions. Nothing if the advocate has a
    /// code already.
    pub const INSERT: &str = "INSERT INTO referrals (code, site_id, advocate, \
        advocate_visitor_id, advocate_name, advocate_email, advocate_email_sha256, created_at, \
        expires_at, max_conversions) VALUES (upper(hex(randomblob(5))), ?1, ?2, ?3, ?4, ?5, ?6, \
        ?7, ?8, ?9) ON CONFLICT DO NOTHING RETURNING code";

    /// `?1` site, `?2` advocate account.
    pub const OF_ADVOCATE: &str = concat!(
        "SELECT ",
        referral_columns!(),
        " FROM referrals WHERE site_id = ?1 AND advocate = ?2"
    );

    /// `?1` site, `?2` code.
    pub const BY_CODE: &str = concat!(
        "SELECT ",
        referral_columns!(),
        " FROM referrals WHERE site_id = ?1 AND code = ?2"
    );

    /// `?1` code: the site it belongs to.
    pub const SITE_OF: &str = "SELECT site_id FROM referrals WHERE code = ?1";

    /// `?1` code: its funnel.
    pub const STATS: &str = "SELECT \
        (SELECT COUNT(*) FROM referral_invitations WHERE code = ?1) AS invited, \
        (SELECT COUNT(*) FROM referral_visits WHERE code = ?1) AS visited, \
        (SELECT COUNT(*) FROM conversions WHERE code = ?1 AND outcome = 'credited') AS converted, \
        (SELECT COALESCE(SUM(advocate_points), 0) FROM conversions WHERE code = ?1) AS rewards";

    /// `?1` code, `?2` since: invitations sent since then.
    pub const INVITED_SINCE: &str =
        "SELECT COUNT(*) AS invited FROM referral_invitations WHERE code = ?1 AND created_at >= ?2";

    /// `?1` code, `?2` email hash, `?3` now. Returns the id, or nothing if this friend was
    /// invited with this code before.
    pub const INSERT_INVITATION: &str = "INSERT INTO referral_invitations (id, code, \
        email_sha256, created_at) VALUES (lower(hex(randomblob(16))), ?1, ?2, ?3) \
        ON CONFLICT DO NOTHING RETURNING id";

    /// `?1` site, `?2` recipient, `?3` template, `?4` subject id, `?5` subject, `?6` body,
    /// `?7` now, `?8` code, `?9` email hash: a friend's invitation mail, queued only if
    /// their invitation is the one stored now, so a friend invited before is not mailed
    /// again.
    pub const INSERT_INVITATION_MAIL: &str = "INSERT INTO mail_outbox (site_id, recipient, \
        template, subject_id, subject, body, created_at) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 \
        WHERE EXISTS (SELECT 1 FROM referral_invitations WHERE code = ?8 \
        AND email_sha256 = ?9 AND created_at = ?7) ON CONFLICT DO NOTHING";

    /// `?1` code, `?2` visitor, `?3` day, `?4` now. Returns the code if the visit is new.
    pub const INSERT_VISIT: &str = "INSERT INTO referral_visits (code, visitor_id, day, \
        created_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING RETURNING code";

    /// `?1` site, `?2` order, `?3` code, `?4` buyer email hash, `?5` buyer account, `?6`
    /// amount, `?7` currency, `?8` advocate points, `?9` friend points, `?10` now, `?11` the
    /// buyer's customer account ('' if none). Decides the outcome from the code, the buyer
    /// and the code's use so far, and records it; nothing if the order was reported before.
    pub const INSERT_CONVERSION: &str = "INSERT INTO conversions (site_id, order_id, code, \
        buyer_email_sha256, buyer_account, amount_cents, currency, outcome, advocate_points, \
        friend_points, created_at) \
        SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, decided.outcome, \
        CASE decided.outcome WHEN 'credited' THEN ?8 ELSE 0 END, \
        CASE decided.outcome WHEN 'credited' THEN ?9 ELSE 0 END, ?10 \
        FROM (SELECT CASE \
            WHEN r.code IS NULL THEN 'unknown_code' \
            WHEN r.advocate_email_sha256 = ?4 OR (?11 != '' AND r.advocate = ?11) THEN 'self_referral' \
            WHEN r.expires_at <= ?10 THEN 'code_expired' \
            WHEN r.conversions >= r.max_conversions THEN 'code_exhausted' \
            ELSE 'credited' END AS outcome \
          FROM (SELECT 1) LEFT JOIN referrals AS r ON r.site_id = ?1 AND r.code = ?3) AS decided \
        WHERE true ON CONFLICT DO NOTHING RETURNING outcome";

    /// `?1` site, `?2` order.
    pub const CONVERSION: &str = "SELECT c.outcome, c.advocate_points, c.friend_points, \
        c.buyer_account, COALESCE(r.advocate, '') AS advocate FROM conversions AS c \
        LEFT JOIN referrals AS r ON r.code = c.code WHERE c.site_id = ?1 AND c.order_id = ?2";

    /// `?1` site: the funnel over every code.
    pub const FUNNEL: &str = "SELECT \
        (SELECT COUNT(*) FROM referrals WHERE site_id = ?1) AS links, \
        (SELECT COUNT(*) FROM referral_invitations i JOIN referrals r ON r.code = i.code WHERE r.site_id = ?1) AS invited, \
        (SELECT COUNT(*) FROM referral_visits v JOIN referrals r ON r.code = v.code WHERE r.site_id = ?1) AS visited, \
        (SELECT COUNT(*) FROM conversions WHERE site_id = ?1 AND outcome = 'credited') AS converted, \
        (SELECT COUNT(*) FROM conversions WHERE site_id = ?1 AND outcome != 'credited') AS refused, \
        (SELECT COALESCE(SUM(amount_cents), 0) FROM conversions WHERE site_id = ?1 AND outcome = 'credited') AS revenue_cents, \
        (SELECT COALESCE(SUM(advocate_points + friend_points), 0) FROM conversions WHERE site_id = ?1) AS rewards";

    /// `?1` site, `?2` at most: codes with their funnel, most converting first.
    pub const LIST: &str = "SELECT r.code, r.advocate, r.advocate_name, r.created_at, \
        r.expires_at, r.conversions AS converted, \
        (SELECT COUNT(*) FROM referral_invitations i WHERE i.code = r.code) AS invited, \
        (SELECT COUNT(*) FROM referral_visits v WHERE v.code = r.code) AS visited, \
        (SELECT COALESCE(SUM(amount_cents), 0) FROM conversions c WHERE c.code = r.code AND c.outcome = 'credited') AS revenue_cents \
        FROM referrals r WHERE r.site_id = ?1 ORDER BY r.conversions DESC, r.created_at DESC LIMIT ?2";
}

/// A referral as stored.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Referral {
    /// Its code.
    pub code: String,
    /// The site.
    pub site_id: String,
    /// The ledger account of the advocate.
    pub advocate: String,
    /// The browser that made it.
    pub advocate_visitor_id: String,
    /// As given.
    pub advocate_name: String,
    /// To refuse self-referrals.
    pub advocate_email_sha256: String,
    /// Unix ms.
    pub created_at: i64,
    /// Unix ms.
    pub expires_at: i64,
    /// Credited conversions allowed.
    pub max_conversions: i64,
    /// Credited conversions so far.
    pub conversions: i64,
}

/// A code's funnel (all zero for a code just made).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub struct Stats {
    /// Friends invited by email.
    pub invited: u64,
    /// Visits through the link (once per visitor and day).
    pub visited: u64,
    /// Credited orders.
    pub converted: u64,
    /// Points the advocate earned by it.
    pub rewards: i64,
}

/// A new referral, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReferral<'a> {
    /// The site.
    pub site_id: &'a str,
    /// Who it rewards.
    pub advocate: &'a Account,
    /// The browser making it.
    pub visitor_id: &'a str,
    /// As given.
    pub name: &'a str,
    /// Given with consent.
    pub email: &'a str,
    /// Unix ms.
    pub now_ms: i64,
    /// Unix ms.
    pub expires_at: i64,
    /// Credited conversions allowed.
    pub max_conversions: u32,
    /// Recorded first, in the same round trip, when the advocate is a customer.
    pub identification: Option<Identification<'a>>,
}

/// A reported order, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewConversion<'a> {
    /// The site.
    pub site_id: &'a str,
    /// The brand's order id: reported twice, recorded once.
    pub order_id: &'a str,
    /// The referral code used.
    pub code: &'a str,
    /// SHA-256 of the buyer's email.
    pub buyer_email_sha256: &'a str,
    /// The buyer's customer id, when the brand knows it.
    pub buyer_customer_id: Option<&'a str>,
    /// In cents.
    pub amount_cents: i64,
    /// ISO 4217.
    pub currency: &'a str,
    /// Points the advocate earns if credited.
    pub advocate_points: u32,
    /// Points the friend earns if credited.
    pub friend_points: u32,
    /// Unix ms.
    pub now_ms: i64,
}

/// What was recorded for an order.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Conversion {
    /// Credited or why not.
    pub outcome: ConversionOutcome,
    /// Points for the advocate (0 unless credited).
    pub advocate_points: i64,
    /// Points for the friend (0 unless credited).
    pub friend_points: i64,
    /// The friend's ledger account.
    pub buyer_account: String,
    /// The advocate's ledger account ('' for an unknown code).
    pub advocate: String,
}

#[derive(Deserialize)]
struct CodeRow {
    #[serde(rename = "code")]
    _code: String,
}

#[derive(Deserialize)]
struct InvitedRow {
    invited: u64,
}

#[derive(Deserialize)]
struct IdRow {
    #[serde(rename = "id")]
    _id: String,
}

async fn one<S: Store, T: serde::de::DeserializeOwned>(
    store: &S,
    statement: Statement,
) -> Result<Option<T>> {
    let mut results = store.batch(&[statement]).await?;
    Ok(rows_of::<T>(&mut results, 0)?.pop())
}

/// The advocate's referral, made now or earlier: one code per advocate.
pub async fn referral_for<S: Store>(
    store: &S,
    new: &NewReferral<'_>,
) -> Result<Recorded<Referral>> {
    let advocate = new.advocate.key();
    let insert = Statement::new(
        sql::INSERT,
        vec![
            new.site_id.into(),
            advocate.as_str().into(),
            new.visitor_id.into(),
            new.name.into(),
            new.email.into(),
            crate::referral::email_sha256(new.email).as_str().into(),
            new.now_ms.into(),
            new.expires_at.into(),
            i64::from(new.max_conversions).into(),
        ],
    );
    let read = Statement::new(
        sql::OF_ADVOCATE,
        vec![new.site_id.into(), advocate.as_str().into()],
    );
    let mut statements = new
        .identification
        .as_ref()
        .map_or_else(Vec::new, Identification::statements);
    let first = statements.len();
    statements.extend([insert, read]);
    let mut results = store.batch(&statements).await?;
    let created = rows_of::<CodeRow>(&mut results, first)?.pop().is_some();
    let referral = rows_of::<Referral>(&mut results, first + 1)?
        .pop()
        .ok_or_else(|| Error::Storage("a new referral code collided; retry".into()))?;
    Ok(if created {
        Recorded::Created(referral)
    } else {
        Recorded::Replayed(referral)
    })
}

/// The advocate's referral, if they made one.
pub async fn referral_of<S: Store>(
    store: &S,
    site_id: &str,
    advocate: &Account,
) -> Result<Option<Referral>> {
    one(
        store,
        Statement::new(
            sql::OF_ADVOCATE,
            vec![site_id.into(), advocate.key().as_str().into()],
        ),
    )
    .await
}

/// The referral with this code on this site.
pub async fn by_code<S: Store>(store: &S, site_id: &str, code: &str) -> Result<Option<Referral>> {
    one(
        store,
        Statement::new(sql::BY_CODE, vec![site_id.into(), code.into()]),
    )
    .await
}

#[derive(Deserialize)]
struct SiteRow {
    site_id: String,
}

/// The site a code belongs to, for its link.
pub async fn site_of<S: Store>(store: &S, code: &str) -> Result<Option<String>> {
    Ok(
        one::<S, SiteRow>(store, Statement::new(sql::SITE_OF, vec![code.into()]))
            .await?
            .map(|row| row.site_id),
    )
}

/// A code's funnel.
pub async fn stats<S: Store>(store: &S, code: &str) -> Result<Stats> {
    one(store, Statement::new(sql::STATS, vec![code.into()]))
        .await?
        .ok_or_else(|| Error::Storage("no stats row".into()))
}

/// The referral with this code on this site, and how many friends it has invited since
/// `since_ms`: one round trip for what an invitation request checks first.
pub async fn with_invited_since<S: Store>(
    store: &S,
    site_id: &str,
    code: &str,
    since_ms: i64,
) -> Result<(Option<Referral>, u64)> {
    let mut results = store
        .batch(&[
            Statement::new(sql::BY_CODE, vec![site_id.into(), code.into()]),
            Statement::new(sql::INVITED_SINCE, vec![code.into(), since_ms.into()]),
        ])
        .await?;
    let referral = rows_of::<Referral>(&mut results, 0)?.pop();
    let invited = rows_of::<InvitedRow>(&mut results, 1)?
        .pop()
        .map_or(0, |row| row.invited);
    Ok((referral, invited))
}

/// Records an invitation of each friend (their email hash) with its mail, in one round
/// trip and one transaction (each at its mail's time): no invitation is kept without its
/// mail. For each, false if that friend was invited with this code before, and then no
/// mail is queued.
pub async fn invite_all<S: Store>(
    store: &S,
    code: &str,
    invitations: &[(String, Mail)],
) -> Result<Vec<bool>> {
    let statements: Vec<Statement> = invitations
        .iter()
        .flat_map(|(hash, mail)| {
            [
                Statement::new(
                    sql::INSERT_INVITATION,
                    vec![code.into(), hash.as_str().into(), mail.created_at.into()],
                ),
                Statement::new(sql::INSERT_INVITATION_MAIL, {
                    let mut params = mail.params();
                    params.extend([code.into(), hash.as_str().into()]);
                    params
                }),
            ]
        })
        .collect();
    let mut results = store.batch(&statements).await?;
    (0..invitations.len())
        .map(|index| Ok(!rows_of::<IdRow>(&mut results, 2 * index)?.is_empty()))
        .collect()
}

/// Records a visit through a referral link; false if this visitor came already today.
pub async fn record_visit<S: Store>(
    store: &S,
    code: &str,
    visitor_id: &str,
    day: i64,
    now_ms: i64,
) -> Result<bool> {
    let statement = Statement::new(
        sql::INSERT_VISIT,
        vec![code.into(), visitor_id.into(), day.into(), now_ms.into()],
    );
    Ok(one::<S, CodeRow>(store, statement).await?.is_some())
}

/// Records a reported order and what it earns, or finds what an earlier report recorded.
pub async fn record_conversion<S: Store>(
    store: &S,
    new: &NewConversion<'_>,
) -> Result<Recorded<Conversion>> {
    let buyer = match new.buyer_customer_id {
        Some(customer) => Account::Customer(customer.to_owned()),
        None => Account::Buyer(new.buyer_email_sha256.to_owned()),
    }
    .key();
    let buyer_customer = new
        .buyer_customer_id
        .map(|customer| Account::Customer(customer.to_owned()).key())
        .unwrap_or_default();
    let insert = Statement::new(
        sql::INSERT_CONVERSION,
        vec![
            new.site_id.into(),
            new.order_id.into(),
            new.code.into(),
            new.buyer_email_sha256.into(),
            buyer.as_str().into(),
            new.amount_cents.into(),
            new.currency.into(),
            i64::from(new.advocate_points).into(),
            i64::from(new.friend_points).into(),
            new.now_ms.into(),
            buyer_customer.as_str().into(),
        ],
    );
    let read = Statement::new(
        sql::CONVERSION,
        vec![new.site_id.into(), new.order_id.into()],
    );
    let mut results = store.batch(&[insert, read]).await?;
    let created = !results.first().is_none_or(Vec::is_empty);
    let conversion = rows_of::<Conversion>(&mut results, 1)?
        .pop()
        .ok_or_else(|| Error::Storage("conversion not found after insert".into()))?;
    Ok(if created {
        Recorded::Created(conversion)
    } else {
        Recorded::Replayed(conversion)
    })
}

/// The funnel and the codes, most converting first.
pub async fn funnel<S: Store>(
    store: &S,
    site_id: &str,
    limit: u32,
) -> Result<(Funnel, Vec<ReferralLine>)> {
    let mut results = store
        .batch(&[
            Statement::new(sql::FUNNEL, vec![site_id.into()]),
            Statement::new(sql::LIST, vec![site_id.into(), i64::from(limit).into()]),
        ])
        .await?;
    let funnel = rows_of::<Funnel>(&mut results, 0)?
        .pop()
        .ok_or_else(|| Error::Storage("no funnel row".into()))?;
    Ok((funnel, rows_of::<ReferralLine>(&mut results, 1)?))
}
