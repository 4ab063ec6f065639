//! Review storage, written once over [`Store::batch`]: every function here is one round
//! trip, and the aggregate is never computed here: the triggers of migration
//! `0004_reviews.sql` keep it exact in the same transaction as each write.

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::moderation::Status;
use crate::paging::{self, Cursor, FOREVER, Order};
use crate::review::{AdminListing, Aggregate, ReviewSort};
use crate::rewards::Account;
use crate::store::{Param, Recorded, Statement, Store, rows_of};
use crate::wire::{
    AdminReview, AdminReviewPage, BrandReply, HelpfulCounted, PublicReview, ReviewCreated,
    ReviewPage, ReviewSummary,
};

/// A validated review, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReview {
    /// The site it belongs to.
    pub site_id: String,
    /// The product reviewed.
    pub product_id: String,
    /// Client-chosen; unique per site.
    pub idempotency_key: String,
    /// First-party random visitor id.
    pub visitor_id: String,
    /// From a verified customer token.
    pub customer_id: Option<String>,
    /// The token's order containing the product: set means verified purchase.
    pub order_id: Option<String>,
    /// 1 to 5.
    pub rating: u8,
    /// Trimmed title.
    pub title: String,
    /// Trimmed text.
    pub body: String,
    /// Trimmed display name.
    pub author_name: String,
    /// Only with consent.
    pub email: Option<String>,
    /// Pending, or published for auto-published verified purchases.
    pub status: Status,
    /// Fingerprint of the text for duplicate detection.
    pub body_hash: Option<String>,
    /// Page it was written on.
    pub page_url: Option<String>,
    /// Language it was written in.
    pub locale: Option<String>,
    /// Unix ms.
    pub created_at: i64,
}

/// The statements, with their numbered parameters documented.
pub mod sql {
    /// Columns read back after storing a review.
    macro_rules! created_columns {
        () => {
            "id, status, order_id IS NOT NULL AS verified"
        };
    }

    /// Columns of a published review as visitors see it.
    macro_rules! public_columns {
        () => {
            "id, rating, title, body, author_name, order_id IS NOT NULL AS verified, \
             created_at, helpful_count, reply, reply_at"
        };
    }

    /// Columns of a review as the brand sees it.
    macro_rules! admin_columns {
        () => {
            "id, product_id, status, rating, title, body, author_name, email, customer_id, \
             order_id, rejection_reason, reply, reply_at, helpful_count, page_url, locale, \
             created_at, moderated_at"
        };
    }

    /// `?1` site, `?2` product, `?3` idempotency key, `?4` visitor, `?5` customer, `?6` order,
    /// `?7` rating, `?8` title, `?9` body, `?10` author name, `?11` email, `?12` status,
    /// `?13` body hash, `?14` page url, `?15` locale, `?16` created at. Stores nothing and
    /// returns nothing if the key was used or the customer already reviewed the product.
    pub const INSERT: &str = concat!(
        "INSERT INTO reviews (id, site_id, product_id, idempotency_key, visitor_id, \
         customer_id, order_id, rating, title, body, author_name, email, status, body_hash, \
         page_url, locale, created_at) VALUES (lower(hex(randomblob(16))), ?1, ?2, ?3, ?4, ?5, \
         ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16) ON CONFLICT DO NOTHING RETURNING ",
        created_columns!()
    );

    /// `?1` site, `?2` idempotency key: the review an earlier request stored.
    pub const SELECT_BY_KEY: &str = concat!(
        "SELECT ",
        created_columns!(),
        " FROM reviews WHERE site_id = ?1 AND idempotency_key = ?2"
    );

    /// `?1` site, `?2` body hash, `?3` since (ms), `?4` the sending visitor: 1 if another
    /// visitor sent the same text since then.
    pub const BODY_SEEN: &str = "SELECT EXISTS (SELECT 1 FROM reviews WHERE site_id = ?1 \
        AND body_hash = ?2 AND created_at >= ?3 AND visitor_id != ?4) AS seen";

    /// `?1` site, `?2` product: the aggregate the triggers keep (no row before the first
    /// published review).
    pub const AGGREGATE: &str = "SELECT review_count, rating_sum, stars_1, stars_2, stars_3, \
        stars_4, stars_5 FROM review_aggregates WHERE site_id = ?1 AND product_id = ?2";

    /// Published reviews of `?1` site and `?2` product after the cursor (`?3` rating,
    /// `?4` helpful count, `?5` created at, `?6` id), at most `?7` rows.
    macro_rules! published_page {
        ($after:literal, $order:literal) => {
            concat!(
                "SELECT ",
                public_columns!(),
                " FROM reviews WHERE site_id = ?1 AND product_id = ?2 \
                 AND status = 'published' AND ",
                $after,
                " ORDER BY ",
                $order,
                " LIMIT ?7"
            )
        };
    }

    /// Newest first.
    pub const PAGE_NEWEST: &str =
        published_page!("(created_at, id) < (?5, ?6)", "created_at DESC, id DESC");
    /// Most helpful first, newest among equals.
    pub const PAGE_HELPFUL: &str = published_page!(
        "(helpful_count, created_at, id) < (?4, ?5, ?6)",
        "helpful_count DESC, created_at DESC, id DESC"
    );
    /// Five stars first, newest among equals.
    pub const PAGE_RATING_HIGH: &str = published_page!(
        "(rating, created_at, id) < (?3, ?5, ?6)",
        "rating DESC, created_at DESC, id DESC"
    );
    /// One star first, newest among equals.
    pub const PAGE_RATING_LOW: &str = published_page!(
        "(rating > ?3 OR (rating = ?3 AND (created_at, id) < (?5, ?6)))",
        "rating ASC, created_at DESC, id DESC"
    );

    /// Only `?3` stars, newest first (as every order but `helpful` within one rating).
    pub const PAGE_OF_RATING: &str = published_page!(
        "rating = ?3 AND (created_at, id) < (?5, ?6)",
        "created_at DESC, id DESC"
    );
    /// Only `?3` stars, most helpful first, newest among equals.
    pub const PAGE_OF_RATING_HELPFUL: &str = published_page!(
        "rating = ?3 AND (helpful_count, created_at, id) < (?4, ?5, ?6)",
        "helpful_count DESC, created_at DESC, id DESC"
    );

    /// `?1` site, `?2` product, `?3` review, `?4` visitor, `?5` now: one vote per visitor
    /// on a published review; returns the vote if it is new.
    pub const INSERT_VOTE: &str = "INSERT INTO review_votes (review_id, visitor_id, created_at) \
        SELECT id, ?4, ?5 FROM reviews WHERE site_id = ?1 AND product_id = ?2 AND id = ?3 \
        AND status = 'published' ON CONFLICT DO NOTHING RETURNING review_id";

    /// `?1` site, `?2` product, `?3` review: its votes, if it is published.
    pub const HELPFUL_COUNT: &str = "SELECT helpful_count FROM reviews WHERE site_id = ?1 \
        AND product_id = ?2 AND id = ?3 AND status = 'published'";

    /// `?1` site, `?2` status, `?3` only this rating (or `NULL`), `?4` only with a reply (1),
    /// without (0), or either (`NULL`); after `?5` created at and `?6` id, at most `?7` rows.
    pub const QUEUE: &str = concat!(
        "SELECT ",
        admin_columns!(),
        " FROM reviews WHERE site_id = ?1 AND status = ?2 AND (?3 IS NULL OR rating = ?3) \
         AND (?4 IS NULL OR (reply IS NOT NULL) = ?4) AND (created_at, id) > (?5, ?6) \
         ORDER BY created_at, id LIMIT ?7"
    );

    /// As [`QUEUE`], newest first: `?5`, `?6` the cursor, after which rows are older.
    pub const NEWEST: &str = concat!(
        "SELECT ",
        admin_columns!(),
        " FROM reviews WHERE site_id = ?1 AND status = ?2 AND (?3 IS NULL OR rating = ?3) \
         AND (?4 IS NULL OR (reply IS NOT NULL) = ?4) AND (created_at, id) < (?5, ?6) \
         ORDER BY created_at DESC, id DESC LIMIT ?7"
    );

    /// `?1` site, `?2` review, `?3` status, `?4` rejection reason, `?5` now. The triggers
    /// move the review in or out of its product's aggregate.
    pub const MODERATE: &str = concat!(
        "UPDATE reviews SET status = ?3, rejection_reason = ?4, moderated_at = ?5 \
         WHERE site_id = ?1 AND id = ?2 RETURNING ",
        admin_columns!()
    );

    /// `?1` site, `?2` review: who wrote it.
    pub const AUTHOR: &str =
        "SELECT customer_id, visitor_id FROM reviews WHERE site_id = ?1 AND id = ?2";

    /// `?1` site, `?2` review, `?3` reply text, `?4` now.
    pub const REPLY: &str = concat!(
        "UPDATE reviews SET reply = ?3, reply_at = ?4 WHERE site_id = ?1 AND id = ?2 RETURNING ",
        admin_columns!()
    );
}

#[derive(Deserialize)]
struct CreatedRow {
    id: String,
    status: Status,
    verified: u8,
}

impl From<CreatedRow> for ReviewCreated {
    fn from(row: CreatedRow) -> Self {
        ReviewCreated {
            id: row.id,
            status: row.status,
            verified: row.verified == 1,
        }
    }
}

#[derive(Deserialize)]
struct PublicRow {
    id: String,
    rating: u8,
    title: String,
    body: String,
    author_name: String,
    verified: u8,
    created_at: i64,
    helpful_count: u64,
    reply: Option<String>,
    reply_at: Option<i64>,
}

fn brand_reply(text: Option<String>, created_at: Option<i64>) -> Option<BrandReply> {
    Some(BrandReply {
        text: text?,
        created_at: created_at.unwrap_or_default(),
    })
}

impl From<PublicRow> for PublicReview {
    fn from(row: PublicRow) -> Self {
        PublicReview {
            id: row.id,
            rating: row.rating,
            title: row.title,
            text: row.body,
            author_name: row.author_name,
            verified: row.verified == 1,
            created_at: row.created_at,
            helpful_count: row.helpful_count,
            reply: brand_reply(row.reply, row.reply_at),
        }
    }
}

#[derive(Deserialize)]
struct AdminRow {
    id: String,
    product_id: String,
    status: Status,
    rating: u8,
    title: String,
    body: String,
    author_name: String,
    email: Option<String>,
    customer_id: Option<String>,
    order_id: Option<String>,
    rejection_reason: Option<String>,
    reply: Option<String>,
    reply_at: Option<i64>,
    helpful_count: u64,
    page_url: Option<String>,
    locale: Option<String>,
    created_at: i64,
    moderated_at: Option<i64>,
}

impl From<AdminRow> for AdminReview {
    fn from(row: AdminRow) -> Self {
        AdminReview {
            id: row.id,
            product: row.product_id,
            status: row.status,
            rating: row.rating,
            title: row.title,
            text: row.body,
            author_name: row.author_name,
            email: row.email,
            customer_id: row.customer_id,
            verified: row.order_id.is_some(),
            order_id: row.order_id,
            rejection_reason: row.rejection_reason,
            reply: brand_reply(row.reply, row.reply_at),
            helpful_count: row.helpful_count,
            page_url: row.page_url,
            locale: row.locale,
            created_at: row.created_at,
            moderated_at: row.moderated_at,
        }
    }
}

#[derive(Deserialize)]
struct AuthorRow {
    customer_id: Option<String>,
    visitor_id: String,
}

#[derive(Deserialize)]
struct SeenRow {
    seen: u8,
}

#[derive(Deserialize)]
struct HelpfulRow {
    helpful_count: u64,
}

/// Stores a review unless its idempotency key was used (the earlier review is replayed) or
/// the customer already reviewed the product ([`Error::AlreadyReviewed`]).
pub async fn record<S: Store>(store: &S, review: &NewReview) -> Result<Recorded<ReviewCreated>> {
    let insert = Statement::new(
        sql::INSERT,
        vec![
            review.site_id.as_str().into(),
            review.product_id.as_str().into(),
            review.idempotency_key.as_str().into(),
            review.visitor_id.as_str().into(),
            review.customer_id.as_deref().into(),
            review.order_id.as_deref().into(),
            i64::from(review.rating).into(),
            review.title.as_str().into(),
            review.body.as_str().into(),
            review.author_name.as_str().into(),
            review.email.as_deref().into(),
            review.status.as_str().into(),
            review.body_hash.as_deref().into(),
            review.page_url.as_deref().into(),
            review.locale.as_deref().into(),
            review.created_at.into(),
        ],
    );
    let earlier = Statement::new(
        sql::SELECT_BY_KEY,
        vec![
            review.site_id.as_str().into(),
            review.idempotency_key.as_str().into(),
        ],
    );
    let mut results = store.batch(&[insert, earlier]).await?;
    if let Some(created) = rows_of::<CreatedRow>(&mut results, 0)?.pop() {
        return Ok(Recorded::Created(created.into()));
    }
    match rows_of::<CreatedRow>(&mut results, 1)?.pop() {
        Some(earlier) => Ok(Recorded::Replayed(earlier.into())),
        None => Err(Error::AlreadyReviewed),
    }
}

/// The review stored under this idempotency key, if any.
pub async fn find_by_key<S: Store>(
    store: &S,
    site_id: &str,
    idempotency_key: &str,
) -> Result<Option<ReviewCreated>> {
    let statement = Statement::new(
        sql::SELECT_BY_KEY,
        vec![site_id.into(), idempotency_key.into()],
    );
    let mut results = store.batch(&[statement]).await?;
    Ok(rows_of::<CreatedRow>(&mut results, 0)?
        .pop()
        .map(Into::into))
}

/// Whether another visitor sent a review with this text fingerprint since `since_ms`.
pub async fn text_seen<S: Store>(
    store: &S,
    site_id: &str,
    body_hash: &str,
    since_ms: i64,
    visitor_id: &str,
) -> Result<bool> {
    let statement = Statement::new(
        sql::BODY_SEEN,
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

/// One page of a product's published reviews (or of those of `only_rating` stars) with the
/// product's aggregate, read in one round trip: the aggregate is one row, the page an
/// index range.
pub async fn page<S: Store>(
    store: &S,
    site_id: &str,
    product_id: &str,
    sort: ReviewSort,
    only_rating: Option<u8>,
    after: Option<&Cursor>,
    limit: u32,
) -> Result<ReviewPage> {
    let statement = match (only_rating, sort) {
        (Some(_), ReviewSort::Helpful) => sql::PAGE_OF_RATING_HELPFUL,
        (Some(_), _) => sql::PAGE_OF_RATING,
        (None, ReviewSort::Newest) => sql::PAGE_NEWEST,
        (None, ReviewSort::Helpful) => sql::PAGE_HELPFUL,
        (None, ReviewSort::RatingHigh) => sql::PAGE_RATING_HIGH,
        (None, ReviewSort::RatingLow) => sql::PAGE_RATING_LOW,
    };
    let (rating, helpful_count, created_at, id) = match after {
        Some(cursor) => (
            cursor.key(0),
            cursor.key(1),
            cursor.key(2),
            cursor.id.as_str(),
        ),
        None => {
            let first_rating = if sort == ReviewSort::RatingLow { 0 } else { 6 };
            (first_rating, FOREVER, FOREVER, "")
        }
    };
    let rating = only_rating.map_or(rating, i64::from);
    let aggregate = Statement::new(sql::AGGREGATE, vec![site_id.into(), product_id.into()]);
    let list = Statement::new(
        statement,
        vec![
            site_id.into(),
            product_id.into(),
            rating.into(),
            helpful_count.into(),
            created_at.into(),
            id.into(),
            (i64::from(limit) + 1).into(),
        ],
    );
    let mut results = store.batch(&[aggregate, list]).await?;
    let aggregate = rows_of::<Aggregate>(&mut results, 0)?
        .pop()
        .unwrap_or_default();
    let mut rows = rows_of::<PublicRow>(&mut results, 1)?;
    let next_cursor = paging::cut(&mut rows, limit, |last| Cursor {
        keys: vec![
            i64::from(last.rating),
            i64::try_from(last.helpful_count).unwrap_or(FOREVER),
            last.created_at,
        ],
        id: last.id.clone(),
    });
    Ok(ReviewPage {
        product: product_id.to_owned(),
        sort,
        rating: only_rating,
        summary: ReviewSummary {
            count: aggregate.review_count,
            average: aggregate.average(),
            histogram: aggregate.histogram(),
        },
        reviews: rows.into_iter().map(Into::into).collect(),
        next_cursor,
    })
}

/// Counts a visitor's "helpful" vote on a published review, once per visitor.
pub async fn vote_helpful<S: Store>(
    store: &S,
    site_id: &str,
    product_id: &str,
    review_id: &str,
    visitor_id: &str,
    now_ms: i64,
) -> Result<HelpfulCounted> {
    let vote = Statement::new(
        sql::INSERT_VOTE,
        vec![
            site_id.into(),
            product_id.into(),
            review_id.into(),
            visitor_id.into(),
            now_ms.into(),
        ],
    );
    let count = Statement::new(
        sql::HELPFUL_COUNT,
        vec![site_id.into(), product_id.into(), review_id.into()],
    );
    let mut results = store.batch(&[vote, count]).await?;
    let counted = !results.first().is_none_or(Vec::is_empty);
    let helpful_count = rows_of::<HelpfulRow>(&mut results, 1)?
        .pop()
        .ok_or(Error::UnknownReview)?
        .helpful_count;
    Ok(HelpfulCounted {
        helpful_count,
        counted,
    })
}

/// One page of the site's reviews that `listing` asks for.
pub async fn queue<S: Store>(
    store: &S,
    site_id: &str,
    listing: &AdminListing,
    after: Option<&Cursor>,
    limit: u32,
) -> Result<AdminReviewPage> {
    let sql = match listing.order {
        Order::OldestFirst => sql::QUEUE,
        Order::NewestFirst => sql::NEWEST,
    };
    let filters = vec![
        site_id.into(),
        listing.status.as_str().into(),
        listing
            .rating
            .map_or(Param::Null, |rating| Param::Integer(rating.into())),
        listing
            .replied
            .map_or(Param::Null, |replied| Param::Integer(replied.into())),
    ];
    let (rows, next_cursor) = paging::by_creation(
        store,
        (sql, listing.order),
        filters,
        after,
        limit,
        |row: &AdminRow| (row.created_at, row.id.clone()),
    )
    .await?;
    Ok(AdminReviewPage {
        reviews: rows.into_iter().map(Into::into).collect(),
        next_cursor,
    })
}

/// Publishes or rejects a review (deciding the same twice changes nothing); returns it,
/// and the account its rewards go to (its customer, else its visitor) read in the same
/// round trip.
pub async fn moderate<S: Store>(
    store: &S,
    site_id: &str,
    review_id: &str,
    status: Status,
    reason: Option<&str>,
    now_ms: i64,
) -> Result<(AdminReview, Option<Account>)> {
    let update = Statement::new(
        sql::MODERATE,
        vec![
            site_id.into(),
            review_id.into(),
            status.as_str().into(),
            reason.into(),
            now_ms.into(),
        ],
    );
    let author = Statement::new(sql::AUTHOR, vec![site_id.into(), review_id.into()]);
    let mut results = store.batch(&[update, author]).await?;
    let review = rows_of::<AdminRow>(&mut results, 0)?
        .pop()
        .map(Into::into)
        .ok_or(Error::UnknownReview)?;
    let author = rows_of::<AuthorRow>(&mut results, 1)?
        .pop()
        .map(|row| Account::of(row.customer_id.as_deref(), &row.visitor_id));
    Ok((review, author))
}

/// Sets the brand's public reply, replacing any earlier one.
pub async fn reply<S: Store>(
    store: &S,
    site_id: &str,
    review_id: &str,
    text: &str,
    now_ms: i64,
) -> Result<AdminReview> {
    let statement = Statement::new(
        sql::REPLY,
        vec![
            site_id.into(),
            review_id.into(),
            text.into(),
            Param::Integer(now_ms),
        ],
    );
    single_admin_row(store, statement).await
}

async fn single_admin_row<S: Store>(store: &S, statement: Statement) -> Result<AdminReview> {
    let mut results = store.batch(&[statement]).await?;
    rows_of::<AdminRow>(&mut results, 0)?
        .pop()
        .map(Into::into)
        .ok_or(Error::UnknownReview)
}
