//! Privacy requests: everything stored about a person, found from their email address
//! (compared hashed where only a hash is kept), exported as JSON, and erased. An erasure
//! keeps what the brand's figures need (NPS scores, order amounts, points) without
//! anything that names or reaches the person: texts, names, addresses and their hashes,
//! visitor and customer ids are removed or replaced; their reviews, questions and answers
//! are withdrawn. Each erasure is logged with its time and who carried it out.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::referral::email_sha256;
use crate::store::{Param, Row, Statement, Store, rows_of};
use crate::validate;
use crate::wire::{Erasure, PersonData};

/// Why withdrawn contributions are rejected, for the brand's records.
const ERASED: &str = "erased at the person's request";

/// Finding the person's ids, in one round trip: `?1` site, `?2` email (lowercase), `?3`
/// its SHA-256.
mod find {
    /// The customer ids found with the address.
    macro_rules! customers {
        () => {
            "SELECT customer_id AS id FROM reviews \
            WHERE site_id = ?1 AND lower(email) = ?2 AND customer_id IS NOT NULL \
            UNION SELECT customer_id FROM questions \
            WHERE site_id = ?1 AND lower(email) = ?2 AND customer_id IS NOT NULL \
            UNION SELECT substr(advocate, 10) FROM referrals \
            WHERE site_id = ?1 AND advocate_email_sha256 = ?3 AND advocate LIKE 'customer:%'"
        };
    }
    /// The visitor ids (browsers) found with the address.
    macro_rules! visitors {
        () => {
            "SELECT visitor_id AS id FROM reviews WHERE site_id = ?1 AND lower(email) = ?2 \
            UNION SELECT visitor_id FROM questions WHERE site_id = ?1 AND lower(email) = ?2 \
            UNION SELECT advocate_visitor_id FROM referrals \
            WHERE site_id = ?1 AND advocate_email_sha256 = ?3"
        };
    }
    /// The customer ids found with the address.
    pub const CUSTOMERS: &str = customers!();
    /// The visitor ids found with the address.
    pub const VISITORS: &str = visitors!();
    /// The browsers known to be these customers, and the other way round.
    pub const LINKED: &str = concat!(
        "SELECT visitor_id, customer_id FROM identities WHERE site_id = ?1 AND (customer_id IN (",
        customers!(),
        ") OR visitor_id IN (",
        visitors!(),
        "))"
    );
}

/// The person's rows, table by table: `?1` site, `?2` email (lowercase), `?3` its
/// SHA-256, `?4` customer ids, `?5` visitor ids, `?6` ledger accounts (JSON arrays).
macro_rules! of_person {
    (customers) => {
        "(SELECT value FROM json_each(?4))"
    };
    (visitors) => {
        "(SELECT value FROM json_each(?5))"
    };
    (accounts) => {
        "(SELECT value FROM json_each(?6))"
    };
    (payloads) => {
        concat!(
            "(json_extract(payload, '$.data.id') IN ", of_person!(contributions),
            " OR json_extract(payload, '$.data.answer_id') IN ", of_person!(contributions),
            " OR json_extract(payload, '$.data.question_id') IN ", of_person!(contributions),
            " OR json_extract(payload, '$.data.customer_id') IN ", of_person!(customers), ")"
        )
    };
    (contributions) => {
        "(SELECT id FROM reviews WHERE site_id = ?1 AND (lower(email) = ?2 \
        OR customer_id IN (SELECT value FROM json_each(?4)) OR visitor_id IN (SELECT value FROM json_each(?5))) \
        UNION SELECT id FROM questions WHERE site_id = ?1 AND (lower(email) = ?2 \
        OR customer_id IN (SELECT value FROM json_each(?4)) OR visitor_id IN (SELECT value FROM json_each(?5))) \
        UNION SELECT id FROM answers WHERE site_id = ?1 \
        AND (customer_id IN (SELECT value FROM json_each(?4)) OR visitor_id IN (SELECT value FROM json_each(?5))) \
        UNION SELECT id FROM nps_answers WHERE site_id = ?1 \
        AND (customer_id IN (SELECT value FROM json_each(?4)) OR visitor_id IN (SELECT value FROM json_each(?5))))"
    };
    (codes) => {
        "(SELECT code FROM referrals WHERE site_id = ?1 \
        AND (advocate_email_sha256 = ?3 OR advocate IN (SELECT value FROM json_each(?6))))"
    };
}

/// What the export reads, by table.
const EXPORT: [(&str, &str); 17] = [
    (
        "nps_answers",
        concat!(
            "SELECT * FROM nps_answers WHERE site_id = ?1 AND (customer_id IN ",
            of_person!(customers),
            " OR visitor_id IN ",
            of_person!(visitors),
            ")"
        ),
    ),
    (
        "reviews",
        concat!(
            "SELECT * FROM reviews WHERE site_id = ?1 AND (lower(email) = ?2 OR customer_id IN ",
            of_person!(customers),
            " OR visitor_id IN ",
            of_person!(visitors),
            ")"
        ),
    ),
    (
        "review_votes",
        concat!(
            "SELECT * FROM review_votes WHERE visitor_id IN ",
            of_person!(visitors),
            " AND review_id IN (SELECT id FROM reviews WHERE site_id = ?1)"
        ),
    ),
    (
        "questions",
        concat!(
            "SELECT * FROM questions WHERE site_id = ?1 AND (lower(email) = ?2 OR customer_id IN ",
            of_person!(customers),
            " OR visitor_id IN ",
            of_person!(visitors),
            ")"
        ),
    ),
    (
        "answers",
        concat!(
            "SELECT * FROM answers WHERE site_id = ?1 AND (customer_id IN ",
            of_person!(customers),
            " OR visitor_id IN ",
            of_person!(visitors),
            ")"
        ),
    ),
    (
        "answer_votes",
        concat!(
            "SELECT * FROM answer_votes WHERE visitor_id IN ",
            of_person!(visitors),
            " AND answer_id IN (SELECT id FROM answers WHERE site_id = ?1)"
        ),
    ),
    (
        "share_links",
        concat!(
            "SELECT * FROM share_links WHERE site_id = ?1 AND (sharer IN ",
            of_person!(accounts),
            " OR sharer_visitor_id IN ",
            of_person!(visitors),
            ")"
        ),
    ),
    (
        "share_visits",
        concat!(
            "SELECT * FROM share_visits WHERE visitor_id IN ",
            of_person!(visitors),
            " AND code IN (SELECT code FROM share_links WHERE site_id = ?1)"
        ),
    ),
    (
        "referrals",
        concat!(
            "SELECT * FROM referrals WHERE site_id = ?1 AND code IN ",
            of_person!(codes)
        ),
    ),
    (
        "referral_invitations",
        concat!(
            "SELECT * FROM referral_invitations WHERE code IN (SELECT code FROM referrals WHERE site_id = ?1) AND (email_sha256 = ?3 OR code IN ",
            of_person!(codes),
            ")"
        ),
    ),
    (
        "referral_visits",
        concat!(
            "SELECT * FROM referral_visits WHERE visitor_id IN ",
            of_person!(visitors),
            " AND code IN (SELECT code FROM referrals WHERE site_id = ?1)"
        ),
    ),
    (
        "conversions",
        concat!(
            "SELECT * FROM conversions WHERE site_id = ?1 AND (buyer_email_sha256 = ?3 OR buyer_account IN ",
            of_person!(accounts),
            ")"
        ),
    ),
    (
        "mail_outbox",
        concat!(
            "SELECT * FROM mail_outbox WHERE site_id = ?1 AND (lower(recipient) = ?2 OR substr(subject_id, 1, instr(subject_id, ':') - 1) IN ",
            of_person!(codes),
            ")"
        ),
    ),
    (
        "ledger",
        concat!(
            "SELECT * FROM ledger WHERE site_id = ?1 AND account IN ",
            of_person!(accounts)
        ),
    ),
    (
        "identities",
        concat!(
            "SELECT * FROM identities WHERE site_id = ?1 AND (customer_id IN ",
            of_person!(customers),
            " OR visitor_id IN ",
            of_person!(visitors),
            ")"
        ),
    ),
    (
        "panel_members",
        concat!(
            "SELECT * FROM panel_members WHERE site_id = ?1 AND customer_id IN ",
            of_person!(customers)
        ),
    ),
    (
        "webhook_deliveries",
        concat!(
            "SELECT * FROM webhook_deliveries WHERE site_id = ?1 AND ",
            of_person!(payloads)
        ),
    ),
];

/// The id of the erasure being carried out, inside its batch (logged by its first
/// statement): `?1` site, `?3` email hash, `?8` now.
macro_rules! this_erasure {
    () => {
        "(SELECT id FROM erasures WHERE site_id = ?1 AND email_sha256 = ?3 AND created_at = ?8 \
        ORDER BY rowid DESC LIMIT 1)"
    };
}

/// Opens the `json_set` that adds one table's count to the erasure's log.
macro_rules! json_set_of {
    ($table:literal) => {
        "json_set("
    };
}

/// Declares what an erasure changes, table by table, as the change and which rows it
/// takes. [`ERASE`] runs the changes in the order given: each before any change that
/// alters which rows it takes (webhook payloads and mails first: they are found through
/// the contributions and referral codes that later changes anonymise). So [`LOG`], run
/// before them in the same transaction, counts the rows each change will take, and logs
/// the erasure with those counts. `?1` to `?6` are the person's (see `of_person!`), `?7`
/// who carries it out, `?8` now, `?9` why withdrawn contributions are rejected.
macro_rules! erasure {
    ($($table:literal: $change:expr, where ($($rows:tt)+);)+) => {
        const ERASE: &[&str] = &[$(concat!($change, " WHERE ", $($rows)+)),+];
        // The counts go into one `json_set` per table, nested (D1 allows 32 arguments to a
        // function and refuses a compound SELECT of one term per table), and the zeros are
        // left out.
        const LOG: &str = concat!(
            "INSERT INTO erasures (id, site_id, email_sha256, requested_by, rows, created_at) \
            SELECT lower(hex(randomblob(16))), ?1, ?3, ?7, (SELECT json_group_object(key, value) \
            FROM json_each(",
            $(json_set_of!($table),)+
            "'{}'",
            $(", '$.", $table, "', (SELECT count(*) FROM ", $table, " WHERE ", $($rows)+, "))",)+
            ") WHERE value > 0), ?8 RETURNING id, rows"
        );
    };
}

erasure! {
    "webhook_deliveries": "DELETE FROM webhook_deliveries",
        where ("site_id = ?1 AND ", of_person!(payloads));
    "mail_outbox": "DELETE FROM mail_outbox",
        where ("site_id = ?1 AND (lower(recipient) = ?2 OR substr(subject_id, 1, instr(subject_id, ':') - 1) IN ", of_person!(codes), ")");
    "nps_answers": "UPDATE nps_answers SET comment = NULL, comment_hash = NULL, customer_id = NULL, visitor_id = 'erased', page_url = NULL",
        where ("site_id = ?1 AND (customer_id IN ", of_person!(customers), " OR visitor_id IN ", of_person!(visitors), ")");
    "review_votes": "UPDATE review_votes SET visitor_id = 'erased:' || lower(hex(randomblob(8)))",
        where ("visitor_id IN ", of_person!(visitors), " AND review_id IN (SELECT id FROM reviews WHERE site_id = ?1)");
    "reviews": "UPDATE reviews SET status = 'rejected', rejection_reason = ?9, title = '', body = '', author_name = '', email = NULL, customer_id = NULL, order_id = NULL, visitor_id = 'erased', reply = NULL, reply_at = NULL, page_url = NULL, body_hash = NULL",
        where ("site_id = ?1 AND (lower(email) = ?2 OR customer_id IN ", of_person!(customers), " OR visitor_id IN ", of_person!(visitors), ")");
    "answer_votes": "UPDATE answer_votes SET visitor_id = 'erased:' || lower(hex(randomblob(8)))",
        where ("visitor_id IN ", of_person!(visitors), " AND answer_id IN (SELECT id FROM answers WHERE site_id = ?1)");
    "answers": "UPDATE answers SET status = 'rejected', rejection_reason = ?9, body = '', search_text = '', author_name = '', customer_id = NULL, visitor_id = NULL",
        where ("site_id = ?1 AND (customer_id IN ", of_person!(customers), " OR visitor_id IN ", of_person!(visitors), ")");
    "questions": "UPDATE questions SET status = 'rejected', rejection_reason = ?9, body = '', search_text = '', body_hash = NULL, author_name = '', email = NULL, customer_id = NULL, visitor_id = 'erased', page_url = NULL",
        where ("site_id = ?1 AND (lower(email) = ?2 OR customer_id IN ", of_person!(customers), " OR visitor_id IN ", of_person!(visitors), ")");
    "share_visits": "UPDATE share_visits SET visitor_id = 'erased:' || lower(hex(randomblob(8)))",
        where ("visitor_id IN ", of_person!(visitors), " AND code IN (SELECT code FROM share_links WHERE site_id = ?1)");
    "share_links": "UPDATE share_links SET sharer = 'erased:' || code, sharer_visitor_id = 'erased'",
        where ("site_id = ?1 AND (sharer IN ", of_person!(accounts), " OR sharer_visitor_id IN ", of_person!(visitors), ")");
    "referral_invitations": "DELETE FROM referral_invitations",
        where ("email_sha256 = ?3 AND code IN (SELECT code FROM referrals WHERE site_id = ?1)");
    "referral_visits": "UPDATE referral_visits SET visitor_id = 'erased:' || lower(hex(randomblob(8)))",
        where ("visitor_id IN ", of_person!(visitors), " AND code IN (SELECT code FROM referrals WHERE site_id = ?1)");
    "conversions": "UPDATE conversions SET buyer_email_sha256 = 'erased', buyer_account = 'erased:' || order_id",
        where ("site_id = ?1 AND (buyer_email_sha256 = ?3 OR buyer_account IN ", of_person!(accounts), ")");
    "ledger": concat!("UPDATE ledger SET account = 'erased:' || ", this_erasure!(), ", note = NULL"),
        where ("site_id = ?1 AND account IN ", of_person!(accounts));
    "identities": "DELETE FROM identities",
        where ("site_id = ?1 AND (customer_id IN ", of_person!(customers), " OR visitor_id IN ", of_person!(visitors), ")");
    "panel_members": "DELETE FROM panel_members",
        where ("site_id = ?1 AND customer_id IN ", of_person!(customers));
    "referrals": "UPDATE referrals SET advocate = 'erased:' || code, advocate_visitor_id = 'erased', advocate_name = '', advocate_email = '', advocate_email_sha256 = 'erased:' || code",
        where ("site_id = ?1 AND code IN ", of_person!(codes));
}

/// `?1` site: the latest erasures.
const LOG_LIST: &str = "SELECT id, email_sha256, requested_by, rows, created_at FROM erasures \
    WHERE site_id = ?1 ORDER BY created_at DESC LIMIT 100";

#[derive(Debug, Deserialize)]
struct IdRow {
    id: String,
}

#[derive(Debug, Deserialize)]
struct LinkRow {
    visitor_id: String,
    customer_id: String,
}

/// The leading parameters `sql` numbers (`?1` to its highest): SQLite and D1 refuse
/// values for placeholders a statement does not have.
fn bound(sql: &str, params: &[Param]) -> Vec<Param> {
    let highest = sql
        .split('?')
        .skip(1)
        .filter_map(|rest| {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            digits.parse::<usize>().ok()
        })
        .max()
        .unwrap_or(0);
    params.iter().take(highest).cloned().collect()
}

/// Who a request is about, as the statements take it.
struct Person {
    email: String,
    hash: String,
    customers: Vec<String>,
    visitors: Vec<String>,
}

impl Person {
    fn accounts(&self) -> Vec<String> {
        self.customers
            .iter()
            .map(|id| format!("customer:{id}"))
            .chain(self.visitors.iter().map(|id| format!("visitor:{id}")))
            .chain([format!("buyer:{}", self.hash)])
            .collect()
    }

    fn params(&self, site_id: &str) -> Result<Vec<Param>> {
        let json = |ids: &Vec<String>| {
            serde_json::to_string(ids).map_err(|error| Error::Storage(error.to_string()))
        };
        Ok(vec![
            site_id.into(),
            self.email.as_str().into(),
            self.hash.as_str().into(),
            json(&self.customers)?.as_str().into(),
            json(&self.visitors)?.as_str().into(),
            json(&self.accounts())?.as_str().into(),
        ])
    }
}

/// The person behind `email`: their address, its hash, and the customer and visitor ids
/// found with it (directly, and through the identities linking the two).
async fn person<S: Store>(store: &S, site_id: &str, email: &str) -> Result<Person> {
    let email = validate::email(email)?.to_lowercase();
    let hash = email_sha256(&email);
    let params = || {
        vec![
            Param::from(site_id),
            email.as_str().into(),
            hash.as_str().into(),
        ]
    };
    let mut results = store
        .batch(&[
            Statement::new(find::CUSTOMERS, params()),
            Statement::new(find::VISITORS, params()),
            Statement::new(find::LINKED, params()),
        ])
        .await?;
    let ids = |rows: Vec<IdRow>| rows.into_iter().map(|row| row.id).collect::<Vec<_>>();
    let mut customers = ids(rows_of(&mut results, 0)?);
    let mut visitors = ids(rows_of(&mut results, 1)?);
    for link in rows_of::<LinkRow>(&mut results, 2)? {
        if !customers.contains(&link.customer_id) {
            customers.push(link.customer_id);
        }
        if !visitors.contains(&link.visitor_id) {
            visitors.push(link.visitor_id);
        }
    }
    Ok(Person {
        email,
        hash,
        customers,
        visitors,
    })
}

/// Everything stored about the person behind `email`, table by table.
pub async fn export<S: Store>(store: &S, site_id: &str, email: &str) -> Result<PersonData> {
    let person = person(store, site_id, email).await?;
    let params = person.params(site_id)?;
    let statements: Vec<Statement> = EXPORT
        .iter()
        .map(|(_, sql)| Statement::new(sql, bound(sql, &params)))
        .collect();
    let mut results = store.batch(&statements).await?;
    let mut tables = BTreeMap::new();
    for (index, (table, _)) in EXPORT.iter().enumerate() {
        let rows: Vec<Row> = rows_of(&mut results, index)?;
        if !rows.is_empty() {
            tables.insert((*table).to_owned(), rows);
        }
    }
    Ok(PersonData {
        email_sha256: person.hash,
        customer_ids: person.customers,
        visitor_ids: person.visitors,
        tables,
    })
}

/// Erases the person behind `email` in one transaction, which logs it too, with the rows
/// it changed: no erasure goes unlogged.
pub async fn erase<S: Store>(
    store: &S,
    site_id: &str,
    email: &str,
    requested_by: &str,
    now_ms: i64,
) -> Result<Erasure> {
    let requested_by = validate::text("requested_by", requested_by, 1, 120)?;
    let person = person(store, site_id, email).await?;
    let mut params = person.params(site_id)?;
    params.extend([requested_by.as_str().into(), now_ms.into(), ERASED.into()]);
    let statements: Vec<Statement> = std::iter::once(LOG)
        .chain(ERASE.iter().copied())
        .map(|sql| Statement::new(sql, bound(sql, &params)))
        .collect();
    let mut results = store.batch(&statements).await?;
    let logged = rows_of::<LoggedRow>(&mut results, 0)?
        .pop()
        .ok_or_else(|| Error::Storage("the erasure was not logged".into()))?;
    let rows = serde_json::from_str(&logged.rows)
        .map_err(|error| Error::Storage(format!("erasure log rows: {error}")))?;
    Ok(Erasure {
        id: logged.id,
        email_sha256: person.hash,
        requested_by,
        rows,
        created_at: now_ms,
    })
}

/// What [`LOG`] gives back.
#[derive(Debug, Deserialize)]
struct LoggedRow {
    id: String,
    rows: String,
}

#[derive(Debug, Deserialize)]
struct LogRow {
    id: String,
    email_sha256: String,
    requested_by: String,
    rows: String,
    created_at: i64,
}

/// The site's latest erasures, newest first.
pub async fn erasures<S: Store>(store: &S, site_id: &str) -> Result<Vec<Erasure>> {
    let mut results = store
        .batch(&[Statement::new(LOG_LIST, vec![site_id.into()])])
        .await?;
    Ok(rows_of::<LogRow>(&mut results, 0)?
        .into_iter()
        .map(|row| Erasure {
            id: row.id,
            email_sha256: row.email_sha256,
            requested_by: row.requested_by,
            rows: serde_json::from_str(&row.rows).unwrap_or_default(),
            created_at: row.created_at,
        })
        .collect())
}
