//! Q&A storage over [`Store::batch`]. Answer counts and helpful totals are kept by the
//! triggers of migration `0005_questions.sql`, in the same transaction as each write.

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::moderation::Status;
use crate::paging::{self, Cursor, FOREVER, Order};
use crate::qa::{Badge, MAX_SEARCH_WORDS};
use crate::rewards::Account;
use crate::store::{Param, Recorded, Statement, Store, rows_of};
use crate::wire::{
    AdminAnswer, AdminAnswerPage, AdminQuestion, AdminQuestionPage, HelpfulCounted, Posted,
    PublicAnswer, PublicQuestion, QuestionPage, TopAnswerer, TopAnswerers,
};

/// A validated question, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewQuestion {
    /// The site it belongs to.
    pub site_id: String,
    /// The product asked about.
    pub product_id: String,
    /// Client-chosen; unique per site.
    pub idempotency_key: String,
    /// First-party random visitor id.
    pub visitor_id: String,
    /// From a verified customer token.
    pub customer_id: Option<String>,
    /// Trimmed question.
    pub body: String,
    /// Trimmed display name.
    pub author_name: String,
    /// Only with consent to be told of answers.
    pub email: Option<String>,
    /// Pending, or published where the site publishes questions at once.
    pub status: Status,
    /// Fingerprint of the text for duplicate detection.
    pub body_hash: Option<String>,
    /// Page it was asked on.
    pub page_url: Option<String>,
    /// Language it was asked in.
    pub locale: Option<String>,
    /// Unix ms.
    pub created_at: i64,
}

/// A validated answer, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAnswer {
    /// The site it belongs to.
    pub site_id: String,
    /// The question it answers, which must be published.
    pub question_id: String,
    /// When answered from a product page: the question must be about this product.
    pub product_id: Option<String>,
    /// Client-chosen; unique per site.
    pub idempotency_key: String,
    /// The answering visitor; none for the brand.
    pub visitor_id: Option<String>,
    /// From a verified customer token.
    pub customer_id: Option<String>,
    /// Trimmed display name (the brand's name for the brand).
    pub author_name: String,
    /// Trimmed answer.
    pub body: String,
    /// Who wrote it.
    pub badge: Badge,
    /// As the site's settings decide for this badge.
    pub status: Status,
    /// Unix ms.
    pub created_at: i64,
}

/// What the brand's question list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuestionFilter {
    /// Questions in this moderation state.
    Status(Status),
    /// Published questions without a published answer yet.
    Unanswered,
}

/// The statements, with their numbered parameters documented.
pub mod sql {
    /// Columns of a question as the brand sees it.
    macro_rules! admin_question_columns {
        () => {
            "id, product_id, status, body, author_name, email, customer_id, answer_count, \
             rejection_reason, page_url, locale, created_at, moderated_at"
        };
    }

    /// Columns of an answer as the brand sees it, from `answers AS a JOIN questions AS q`.
    macro_rules! admin_answer_columns {
        () => {
            "a.id, a.question_id, q.body AS question, q.product_id, a.status, a.body, \
             a.author_name, a.badge, a.customer_id, a.rejection_reason, a.helpful_count, \
             a.created_at, a.moderated_at"
        };
    }

    /// 1 if a word of a question or of its published answers starts with search word `$n`
    /// (empty: none), else 0. A word starts the text or follows any character but an ASCII
    /// letter or digit, as [`crate::qa::SearchFolding::matches`] reads it; search words hold
    /// letters and digits only, none of `GLOB`'s wildcards.
    macro_rules! holds {
        ($n:literal) => {
            concat!(
                "(",
                $n,
                " != '' AND ((' ' || questions.search_text) GLOB ('*[^a-z0-9]' || ",
                $n,
                " || '*') \
                 OR EXISTS (SELECT 1 FROM answers WHERE answers.question_id = questions.id \
                 AND answers.status = 'published' \
                 AND (' ' || answers.search_text) GLOB ('*[^a-z0-9]' || ",
                $n,
                " || '*'))))"
            )
        };
    }

    /// `?1` site, `?2` product, `?3` idempotency key, `?4` visitor, `?5` customer, `?6` body,
    /// `?7` author name, `?8` email, `?9` status, `?10` body hash, `?11` page url, `?12`
    /// locale, `?13` created at, `?14` the body as searches read it ([`crate::qa::SearchFolding::text`]). Returns nothing if
    /// the key was used.
    pub const INSERT_QUESTION: &str = "INSERT INTO questions (id, site_id, product_id, \
        idempotency_key, visitor_id, customer_id, body, author_name, email, status, body_hash, \
        page_url, locale, created_at, search_text) VALUES (lower(hex(randomblob(16))), ?1, ?2, \
        ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) ON CONFLICT DO NOTHING \
        RETURNING id, status";

    /// `?1` site, `?2` idempotency key.
    pub const QUESTION_BY_KEY: &str =
        "SELECT id, status FROM questions WHERE site_id = ?1 AND idempotency_key = ?2";

    /// `?1` site, `?2` body hash, `?3` since, `?4` the sending visitor.
    pub const QUESTION_SEEN: &str = "SELECT EXISTS (SELECT 1 FROM questions WHERE site_id = ?1 \
        AND body_hash = ?2 AND created_at >= ?3 AND visitor_id != ?4) AS seen";

    /// `?1` site, `?2` product, after `?3` helpful total, `?4` created at, `?5` id; at most
    /// `?6` rows. Most helpful first, newest among equals.
    pub const PAGE: &str = "SELECT id, body, author_name, created_at, helpful_total, \
        0 AS matched FROM questions \
        WHERE site_id = ?1 AND product_id = ?2 AND status = 'published' \
        AND (helpful_total, created_at, id) < (?3, ?4, ?5) \
        ORDER BY helpful_total DESC, created_at DESC, id DESC LIMIT ?6";

    /// `?1` site, `?2` product, after `?3` words matched, `?4` helpful total, `?5` created
    /// at, `?6` id; search words `?7`, `?8`, `?9` (empty: none); at most `?10` rows. The
    /// questions holding any word, those holding the most first, then as [`PAGE`].
    pub const SEARCH_PAGE: &str = concat!(
        "SELECT id, body, author_name, created_at, helpful_total, matched FROM (\
         SELECT id, body, author_name, created_at, helpful_total, ",
        holds!("?7"),
        " + ",
        holds!("?8"),
        " + ",
        holds!("?9"),
        " AS matched FROM questions \
         WHERE site_id = ?1 AND product_id = ?2 AND status = 'published') \
         WHERE matched > 0 AND (matched, helpful_total, created_at, id) < (?3, ?4, ?5, ?6) \
         ORDER BY matched DESC, helpful_total DESC, created_at DESC, id DESC LIMIT ?10"
    );

    /// `?1` site, `?2` JSON array of question ids: their published answers, most helpful
    /// first, then oldest first.
    pub const ANSWERS_OF: &str = "SELECT id, question_id, body, author_name, badge, created_at, \
        helpful_count FROM answers WHERE site_id = ?1 AND status = 'published' \
        AND question_id IN (SELECT value FROM json_each(?2)) \
        ORDER BY helpful_count DESC, created_at ASC, id ASC";

    /// `?1` site, `?2` question, `?3` idempotency key, `?4` visitor, `?5` customer, `?6`
    /// author name, `?7` body, `?8` badge, `?9` status, `?10` created at, `?11` product
    /// (empty: any), `?12` the body as searches read it. Stores only under a published
    /// question of that product.
    pub const INSERT_ANSWER: &str = "INSERT INTO answers (id, site_id, question_id, \
        idempotency_key, visitor_id, customer_id, author_name, body, badge, status, created_at, \
        search_text) \
        SELECT lower(hex(randomblob(16))), ?1, id, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?12 FROM questions \
        WHERE site_id = ?1 AND id = ?2 AND status = 'published' AND (?11 = '' OR product_id = ?11) \
        ON CONFLICT DO NOTHING RETURNING id, status, badge";

    /// `?1` site, `?2` idempotency key.
    pub const ANSWER_BY_KEY: &str =
        "SELECT id, status, badge FROM answers WHERE site_id = ?1 AND idempotency_key = ?2";

    /// `?1` site, `?2` product, `?3` answer, `?4` visitor, `?5` now: one vote per visitor on
    /// a published answer to a published question of that product.
    pub const INSERT_VOTE: &str = "INSERT INTO answer_votes (answer_id, visitor_id, created_at) \
        SELECT a.id, ?4, ?5 FROM answers AS a JOIN questions AS q ON q.id = a.question_id \
        WHERE a.site_id = ?1 AND q.product_id = ?2 AND a.id = ?3 AND a.status = 'published' \
        AND q.status = 'published' ON CONFLICT DO NOTHING RETURNING answer_id";

    /// `?1` site, `?2` product, `?3` answer: its votes, if it is shown.
    pub const HELPFUL_COUNT: &str = "SELECT a.helpful_count FROM answers AS a \
        JOIN questions AS q ON q.id = a.question_id WHERE a.site_id = ?1 AND q.product_id = ?2 \
        AND a.id = ?3 AND a.status = 'published' AND q.status = 'published'";

    /// `?1` site, `?2` status, `?3` 1 for unanswered only, after `?4` created at and `?5`
    /// id, at most `?6` rows; oldest first.
    pub const QUESTION_QUEUE: &str = concat!(
        "SELECT ",
        admin_question_columns!(),
        " FROM questions WHERE site_id = ?1 AND status = ?2 AND (?3 = 0 OR answer_count = 0) \
         AND (created_at, id) > (?4, ?5) ORDER BY created_at, id LIMIT ?6"
    );

    /// `?1` site, `?2` status, after `?3` created at and `?4` id, at most `?5` rows.
    pub const ANSWER_QUEUE: &str = concat!(
        "SELECT ",
        admin_answer_columns!(),
        " FROM answers AS a JOIN questions AS q ON q.id = a.question_id \
         WHERE a.site_id = ?1 AND a.status = ?2 AND (a.created_at, a.id) > (?3, ?4) \
         ORDER BY a.created_at, a.id LIMIT ?5"
    );

    /// As [`ANSWER_QUEUE`], newest first: `?3`, `?4` the cursor, after which rows are older.
    pub const ANSWER_NEWEST: &str = concat!(
        "SELECT ",
        admin_answer_columns!(),
        " FROM answers AS a JOIN questions AS q ON q.id = a.question_id \
         WHERE a.site_id = ?1 AND a.status = ?2 AND (a.created_at, a.id) < (?3, ?4) \
         ORDER BY a.created_at DESC, a.id DESC LIMIT ?5"
    );

    /// `?1` site, `?2` question, `?3` status, `?4` reason, `?5` now.
    pub const MODERATE_QUESTION: &str = concat!(
        "UPDATE questions SET status = ?3, rejection_reason = ?4, moderated_at = ?5 \
         WHERE site_id = ?1 AND id = ?2 RETURNING ",
        admin_question_columns!()
    );

    /// `?1` site, `?2` answer, `?3` status, `?4` reason, `?5` now. The triggers move it in
    /// or out of its question's counts.
    pub const MODERATE_ANSWER: &str = "UPDATE answers SET status = ?3, rejection_reason = ?4, \
        moderated_at = ?5 WHERE site_id = ?1 AND id = ?2 RETURNING id";

    /// `?1` site, `?2` answer.
    pub const ADMIN_ANSWER: &str = concat!(
        "SELECT ",
        admin_answer_columns!(),
        " FROM answers AS a JOIN questions AS q ON q.id = a.question_id \
         WHERE a.site_id = ?1 AND a.id = ?2"
    );

    /// `?1` site, `?2` answer: who wrote it (neither for the brand).
    pub const AUTHOR: &str =
        "SELECT customer_id, visitor_id FROM answers WHERE site_id = ?1 AND id = ?2";

    /// `?1` site, `?2` at most. SQLite takes the bare `author_name` from the row holding
    /// `MAX(created_at)`: each customer's latest name.
    pub const TOP_ANSWERERS: &str = "SELECT customer_id, author_name, COUNT(*) AS answers, \
        SUM(badge = 'verified_buyer') AS as_buyer, SUM(helpful_count) AS helpful_votes, \
        MAX(created_at) AS last_answer_at FROM answers WHERE site_id = ?1 \
        AND status = 'published' AND customer_id IS NOT NULL GROUP BY customer_id \
        ORDER BY answers DESC, helpful_votes DESC, customer_id LIMIT ?2";
}

#[derive(Deserialize)]
struct PostedRow {
    id: String,
    status: Status,
    #[serde(default)]
    badge: Option<Badge>,
}

impl From<PostedRow> for Posted {
    fn from(row: PostedRow) -> Self {
        Posted {
            id: row.id,
            status: row.status,
            badge: row.badge,
        }
    }
}

#[derive(Deserialize)]
struct QuestionRow {
    id: String,
    body: String,
    author_name: String,
    created_at: i64,
    helpful_total: u64,
    /// How many of the search words it holds (0 when not searching).
    matched: i64,
}

#[derive(Deserialize)]
struct AnswerRow {
    id: String,
    question_id: String,
    body: String,
    author_name: String,
    badge: Badge,
    created_at: i64,
    helpful_count: u64,
}

#[derive(Deserialize)]
struct AdminQuestionRow {
    id: String,
    product_id: String,
    status: Status,
    body: String,
    author_name: String,
    email: Option<String>,
    customer_id: Option<String>,
    answer_count: u64,
    rejection_reason: Option<String>,
    page_url: Option<String>,
    locale: Option<String>,
    created_at: i64,
    moderated_at: Option<i64>,
}

impl From<AdminQuestionRow> for AdminQuestion {
    fn from(row: AdminQuestionRow) -> Self {
        AdminQuestion {
            id: row.id,
            product: row.product_id,
            status: row.status,
            text: row.body,
            author_name: row.author_name,
            email: row.email,
            customer_id: row.customer_id,
            answer_count: row.answer_count,
            rejection_reason: row.rejection_reason,
            page_url: row.page_url,
            locale: row.locale,
            created_at: row.created_at,
            moderated_at: row.moderated_at,
        }
    }
}

#[derive(Deserialize)]
struct AdminAnswerRow {
    id: String,
    question_id: String,
    question: String,
    product_id: String,
    status: Status,
    body: String,
    author_name: String,
    badge: Badge,
    customer_id: Option<String>,
    rejection_reason: Option<String>,
    helpful_count: u64,
    created_at: i64,
    moderated_at: Option<i64>,
}

impl From<AdminAnswerRow> for AdminAnswer {
    fn from(row: AdminAnswerRow) -> Self {
        AdminAnswer {
            id: row.id,
            question_id: row.question_id,
            question: row.question,
            product: row.product_id,
            status: row.status,
            text: row.body,
            author_name: row.author_name,
            badge: row.badge,
            customer_id: row.customer_id,
            rejection_reason: row.rejection_reason,
            helpful_count: row.helpful_count,
            created_at: row.created_at,
            moderated_at: row.moderated_at,
        }
    }
}

#[derive(Deserialize)]
struct AuthorRow {
    customer_id: Option<String>,
    visitor_id: Option<String>,
}

#[derive(Deserialize)]
struct SeenRow {
    seen: u8,
}

#[derive(Deserialize)]
struct HelpfulRow {
    helpful_count: u64,
}

#[derive(Deserialize)]
struct IdRow {
    #[serde(rename = "id")]
    _id: String,
}

/// Runs `statement` and its replay lookup in one batch: the new row, else the earlier one,
/// else `missing`.
async fn record<S: Store>(
    store: &S,
    insert: Statement,
    earlier: Statement,
    missing: Error,
) -> Result<Recorded<Posted>> {
    let mut results = store.batch(&[insert, earlier]).await?;
    if let Some(created) = rows_of::<PostedRow>(&mut results, 0)?.pop() {
        return Ok(Recorded::Created(created.into()));
    }
    match rows_of::<PostedRow>(&mut results, 1)?.pop() {
        Some(earlier) => Ok(Recorded::Replayed(earlier.into())),
        None => Err(missing),
    }
}

/// Stores a question unless its idempotency key was used (the earlier one is replayed).
pub async fn record_question<S: Store>(
    store: &S,
    question: &NewQuestion,
) -> Result<Recorded<Posted>> {
    let insert = Statement::new(
        sql::INSERT_QUESTION,
        vec![
            question.site_id.as_str().into(),
            question.product_id.as_str().into(),
            question.idempotency_key.as_str().into(),
            question.visitor_id.as_str().into(),
            question.customer_id.as_deref().into(),
            question.body.as_str().into(),
            question.author_name.as_str().into(),
            question.email.as_deref().into(),
            question.status.as_str().into(),
            question.body_hash.as_deref().into(),
            question.page_url.as_deref().into(),
            question.locale.as_deref().into(),
            question.created_at.into(),
            super::RUST_UNICODE.text(&question.body).as_str().into(),
        ],
    );
    let earlier = Statement::new(
        sql::QUESTION_BY_KEY,
        vec![
            question.site_id.as_str().into(),
            question.idempotency_key.as_str().into(),
        ],
    );
    record(
        store,
        insert,
        earlier,
        Error::Storage("idempotent insert found no row".into()),
    )
    .await
}

/// Stores an answer under a published question, unless its key was used; an unknown,
/// unpublished or other product's question is [`Error::UnknownQuestion`].
pub async fn record_answer<S: Store>(store: &S, answer: &NewAnswer) -> Result<Recorded<Posted>> {
    let insert = Statement::new(
        sql::INSERT_ANSWER,
        vec![
            answer.site_id.as_str().into(),
            answer.question_id.as_str().into(),
            answer.idempotency_key.as_str().into(),
            answer.visitor_id.as_deref().into(),
            answer.customer_id.as_deref().into(),
            answer.author_name.as_str().into(),
            answer.body.as_str().into(),
            answer.badge.as_str().into(),
            answer.status.as_str().into(),
            answer.created_at.into(),
            answer.product_id.as_deref().unwrap_or_default().into(),
            super::RUST_UNICODE.text(&answer.body).as_str().into(),
        ],
    );
    let earlier = Statement::new(
        sql::ANSWER_BY_KEY,
        vec![
            answer.site_id.as_str().into(),
            answer.idempotency_key.as_str().into(),
        ],
    );
    record(store, insert, earlier, Error::UnknownQuestion).await
}

/// The question or answer stored under this key, if any (for Turnstile replays).
pub async fn find_by_key<S: Store>(
    store: &S,
    site_id: &str,
    idempotency_key: &str,
    answers: bool,
) -> Result<Option<Posted>> {
    let query = if answers {
        sql::ANSWER_BY_KEY
    } else {
        sql::QUESTION_BY_KEY
    };
    let statement = Statement::new(query, vec![site_id.into(), idempotency_key.into()]);
    let mut results = store.batch(&[statement]).await?;
    Ok(rows_of::<PostedRow>(&mut results, 0)?.pop().map(Into::into))
}

/// Whether another visitor asked a question with this fingerprint since `since_ms`.
pub async fn question_seen<S: Store>(
    store: &S,
    site_id: &str,
    body_hash: &str,
    since_ms: i64,
    visitor_id: &str,
) -> Result<bool> {
    let statement = Statement::new(
        sql::QUESTION_SEEN,
        vec![
            site_id.into(),
            body_hash.into(),
            since_ms.into(),
            visitor_id.into(),
        ],
    );
    let mut results = store.batch(&[statement]).await?;
    Ok(rows_of::<SeenRow>(&mut results, 0)?
        .pop()
        .is_some_and(|row| row.seen == 1))
}

/// The sort keys in a cursor of [`page`]: a search's leads with the words matched.
pub fn cursor_keys(words: &[String]) -> usize {
    if words.is_empty() { 2 } else { 3 }
}

/// One page of a product's published questions, or of those holding any search word, the
/// most words first, with their published answers: two round trips (the page, then the
/// answers of its questions).
pub async fn page<S: Store>(
    store: &S,
    site_id: &str,
    product_id: &str,
    words: &[String],
    after: Option<&Cursor>,
    limit: u32,
) -> Result<QuestionPage> {
    let searching = !words.is_empty();
    let mut params: Vec<Param> = vec![site_id.into(), product_id.into()];
    for index in 0..cursor_keys(words) {
        params.push(after.map_or(FOREVER, |cursor| cursor.key(index)).into());
    }
    params.push(after.map_or("", |cursor| cursor.id.as_str()).into());
    if searching {
        for index in 0..MAX_SEARCH_WORDS {
            params.push(words.get(index).map_or("", String::as_str).into());
        }
    }
    params.push((i64::from(limit) + 1).into());
    let query = if searching {
        sql::SEARCH_PAGE
    } else {
        sql::PAGE
    };
    let mut results = store.batch(&[Statement::new(query, params)]).await?;
    let mut rows = rows_of::<QuestionRow>(&mut results, 0)?;
    let next_cursor = paging::cut(&mut rows, limit, |last| {
        let mut keys = vec![
            i64::try_from(last.helpful_total).unwrap_or(FOREVER),
            last.created_at,
        ];
        if searching {
            keys.insert(0, last.matched);
        }
        Cursor {
            keys,
            id: last.id.clone(),
        }
    });
    let mut questions: Vec<PublicQuestion> = rows
        .into_iter()
        .map(|row| PublicQuestion {
            id: row.id,
            text: row.body,
            author_name: row.author_name,
            created_at: row.created_at,
            helpful_total: row.helpful_total,
            answers: Vec::new(),
        })
        .collect();
    if !questions.is_empty() {
        let ids: Vec<&str> = questions
            .iter()
            .map(|question| question.id.as_str())
            .collect();
        let ids = serde_json::to_string(&ids).map_err(|error| Error::Storage(error.to_string()))?;
        let statement = Statement::new(sql::ANSWERS_OF, vec![site_id.into(), ids.as_str().into()]);
        let mut results = store.batch(&[statement]).await?;
        for answer in rows_of::<AnswerRow>(&mut results, 0)? {
            if let Some(question) = questions
                .iter_mut()
                .find(|question| question.id == answer.question_id)
            {
                question.answers.push(PublicAnswer {
                    id: answer.id,
                    text: answer.body,
                    author_name: answer.author_name,
                    badge: answer.badge,
                    created_at: answer.created_at,
                    helpful_count: answer.helpful_count,
                });
            }
        }
    }
    Ok(QuestionPage {
        product: product_id.to_owned(),
        q: (!words.is_empty()).then(|| words.join(" ")),
        questions,
        next_cursor,
    })
}

/// Counts a visitor's "helpful" vote on a shown answer, once per visitor.
pub async fn vote_helpful<S: Store>(
    store: &S,
    site_id: &str,
    product_id: &str,
    answer_id: &str,
    visitor_id: &str,
    now_ms: i64,
) -> Result<HelpfulCounted> {
    let vote = Statement::new(
        sql::INSERT_VOTE,
        vec![
            site_id.into(),
            product_id.into(),
            answer_id.into(),
            visitor_id.into(),
            now_ms.into(),
        ],
    );
    let count = Statement::new(
        sql::HELPFUL_COUNT,
        vec![site_id.into(), product_id.into(), answer_id.into()],
    );
    let mut results = store.batch(&[vote, count]).await?;
    let counted = !results.first().is_none_or(Vec::is_empty);
    let helpful_count = rows_of::<HelpfulRow>(&mut results, 1)?
        .pop()
        .ok_or(Error::UnknownAnswer)?
        .helpful_count;
    Ok(HelpfulCounted {
        helpful_count,
        counted,
    })
}

/// One page of the brand's question list, oldest first.
pub async fn question_queue<S: Store>(
    store: &S,
    site_id: &str,
    filter: QuestionFilter,
    after: Option<&Cursor>,
    limit: u32,
) -> Result<AdminQuestionPage> {
    let (status, unanswered) = match filter {
        QuestionFilter::Status(status) => (status, 0),
        QuestionFilter::Unanswered => (Status::Published, 1),
    };
    let (rows, next_cursor) = paging::by_creation(
        store,
        (sql::QUESTION_QUEUE, Order::OldestFirst),
        vec![
            site_id.into(),
            status.as_str().into(),
            Param::Integer(unanswered),
        ],
        after,
        limit,
        |row: &AdminQuestionRow| (row.created_at, row.id.clone()),
    )
    .await?;
    Ok(AdminQuestionPage {
        questions: rows.into_iter().map(Into::into).collect(),
        next_cursor,
    })
}

/// One page of the brand's answer list in `status`, in `order` of writing.
pub async fn answer_queue<S: Store>(
    store: &S,
    site_id: &str,
    (status, order): (Status, Order),
    after: Option<&Cursor>,
    limit: u32,
) -> Result<AdminAnswerPage> {
    let sql = match order {
        Order::OldestFirst => sql::ANSWER_QUEUE,
        Order::NewestFirst => sql::ANSWER_NEWEST,
    };
    let (rows, next_cursor) = paging::by_creation(
        store,
        (sql, order),
        vec![site_id.into(), status.as_str().into()],
        after,
        limit,
        |row: &AdminAnswerRow| (row.created_at, row.id.clone()),
    )
    .await?;
    Ok(AdminAnswerPage {
        answers: rows.into_iter().map(Into::into).collect(),
        next_cursor,
    })
}

/// Publishes or rejects a question.
pub async fn moderate_question<S: Store>(
    store: &S,
    site_id: &str,
    question_id: &str,
    status: Status,
    reason: Option<&str>,
    now_ms: i64,
) -> Result<AdminQuestion> {
    let statement = Statement::new(
        sql::MODERATE_QUESTION,
        vec![
            site_id.into(),
            question_id.into(),
            status.as_str().into(),
            reason.into(),
            now_ms.into(),
        ],
    );
    let mut results = store.batch(&[statement]).await?;
    rows_of::<AdminQuestionRow>(&mut results, 0)?
        .pop()
        .map(Into::into)
        .ok_or(Error::UnknownQuestion)
}

/// Publishes or rejects an answer; returns it, and the account its rewards go to (its
/// customer, else its visitor; none for the brand's own answers) read in the same round
/// trip.
pub async fn moderate_answer<S: Store>(
    store: &S,
    site_id: &str,
    answer_id: &str,
    status: Status,
    reason: Option<&str>,
    now_ms: i64,
) -> Result<(AdminAnswer, Option<Account>)> {
    let update = Statement::new(
        sql::MODERATE_ANSWER,
        vec![
            site_id.into(),
            answer_id.into(),
            status.as_str().into(),
            reason.into(),
            now_ms.into(),
        ],
    );
    let read = Statement::new(sql::ADMIN_ANSWER, vec![site_id.into(), answer_id.into()]);
    let author = Statement::new(sql::AUTHOR, vec![site_id.into(), answer_id.into()]);
    let mut results = store.batch(&[update, read, author]).await?;
    if rows_of::<IdRow>(&mut results, 0)?.is_empty() {
        return Err(Error::UnknownAnswer);
    }
    let answer = rows_of::<AdminAnswerRow>(&mut results, 1)?
        .pop()
        .map(Into::into)
        .ok_or(Error::UnknownAnswer)?;
    let author = rows_of::<AuthorRow>(&mut results, 2)?
        .pop()
        .and_then(|row| match (row.customer_id, row.visitor_id) {
            (Some(customer), _) => Some(Account::Customer(customer)),
            (None, Some(visitor)) => Some(Account::Visitor(visitor)),
            (None, None) => None,
        });
    Ok((answer, author))
}

/// The customers with the most published answers.
pub async fn top_answerers<S: Store>(store: &S, site_id: &str, limit: u32) -> Result<TopAnswerers> {
    let statement = Statement::new(
        sql::TOP_ANSWERERS,
        vec![site_id.into(), i64::from(limit).into()],
    );
    let mut results = store.batch(&[statement]).await?;
    Ok(TopAnswerers {
        answerers: rows_of::<TopAnswerer>(&mut results, 0)?,
    })
}
