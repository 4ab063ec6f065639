//! The review routes: a visitor writes and reads reviews and votes them helpful; brand
//! servers fetch crawler markup; the brand moderates and replies.

use super::advocacy::reward;
use super::{
    ApiRequest, ApiResponse, customer_claims, human_passes, moderation_decision, parse_body,
    query_params, queue_params, require_json, within_visitor,
};
use crate::copy::Copy;
use crate::error::{Error, Result};
use crate::limits::RateLimiter;
use crate::locale::Locale;
use crate::moderation::Status;
use crate::paging::{self, Cursor};
use crate::review::store::{self as review_store, NewReview};
use crate::review::{self, ReviewSort, markup};
use crate::rewards::{Account, Reason};
use crate::site::Site;
use crate::spam::{self, HumanCheck};
use crate::store::{Recorded, Store};
use crate::validate;
use crate::wire::{HelpfulVote, ReplySubmission, ReviewPage, ReviewSubmission};

/// Browsers revalidate the review list on every read (a moderated review shows at once);
/// an unchanged list costs a 304.
const LIST_CACHE: &str = "no-cache";
/// Brand servers and CDNs may keep crawler markup for five minutes, and serve it stale
/// for a day while fetching a fresh copy.
const MARKUP_CACHE: &str = "public, max-age=300, stale-while-revalidate=86400";
/// Longest product name accepted in `?name=`.
const MAX_PRODUCT_NAME_CHARS: usize = 200;

/// `POST …/products/{product}/reviews`.
pub(super) async fn submit<S: Store, L: RateLimiter, H: HumanCheck>(
    request: &ApiRequest<'_>,
    site: &Site,
    product: &str,
    store: &S,
    limiter: &L,
    human: &H,
) -> Result<ApiResponse> {
    validate::product_id(product)?;
    require_json(request.content_type)?;
    let submission: ReviewSubmission = parse_body(request.body)?;
    let rating = review::rating(submission.rating)?;
    let title = validate::text("title", &submission.title, 1, review::MAX_TITLE_CHARS)?;
    let body = validate::text(
        "text",
        &submission.text,
        review::MIN_TEXT_CHARS,
        review::MAX_TEXT_CHARS,
    )?;
    let author_name = validate::text(
        "author_name",
        &submission.author_name,
        1,
        review::MAX_NAME_CHARS,
    )?;
    let email = match submission.email.as_deref().map(str::trim) {
        Some(email) if !email.is_empty() => {
            if !submission.email_consent {
                return Err(Error::field(
                    "email_consent",
                    "email_consent must be true for an email to be kept",
                ));
            }
            Some(validate::email(email)?)
        }
        _ => None,
    };
    validate::opaque_id("visitor_id", &submission.visitor_id)?;
    validate::opaque_id("idempotency_key", &submission.idempotency_key)?;
    within_visitor(limiter, site, &submission.visitor_id).await?;
    let page_url = validate::page_url(submission.page_url.as_deref())?;
    spam::check_human(
        submission.website.as_deref(),
        Some(&body),
        submission.elapsed_ms,
    )?;
    let claims = customer_claims(submission.customer_token.as_deref(), site, request.now_ms)?;
    let human = human_passes(
        site,
        human,
        submission.turnstile_token.as_deref(),
        request.client_address,
    )
    .await;
    if !human {
        // A retry of a review already stored carries a spent Turnstile token.
        return match review_store::find_by_key(store, &site.key, &submission.idempotency_key)
            .await?
        {
            Some(stored) => Ok(ApiResponse::json(200, &stored)),
            None => Err(Error::HumanCheckFailed),
        };
    }
    let body_hash = spam::comment_fingerprint(&body);
    if let Some(hash) = &body_hash {
        let since = request.now_ms - spam::DUPLICATE_WINDOW_MS;
        if review_store::text_seen(store, &site.key, hash, since, &submission.visitor_id).await? {
            return Err(Error::SpamSuspected);
        }
    }
    let order_id = claims
        .as_ref()
        .and_then(|claims| claims.order_for(product))
        .map(str::to_owned);
    let status = Status::of_new(
        order_id.is_some(),
        site.config.reviews.auto_publish_verified,
    );
    let customer_id = claims.map(|claims| claims.sub);
    let author = Account::of(customer_id.as_deref(), &submission.visitor_id);
    let review = NewReview {
        site_id: site.key.clone(),
        product_id: product.to_owned(),
        idempotency_key: submission.idempotency_key,
        visitor_id: submission.visitor_id,
        customer_id,
        order_id,
        rating,
        title,
        body,
        author_name,
        email,
        status,
        body_hash,
        page_url,
        locale: submission.locale.map(|locale| locale.tag().to_owned()),
        created_at: request.now_ms,
    };
    let (status, created) = match review_store::record(store, &review).await? {
        Recorded::Created(created) => (201, created),
        Recorded::Replayed(created) => (200, created),
    };
    if created.status == Status::Published {
        reward(
            store,
            site,
            &author,
            Reason::Review,
            &created.id,
            request.now_ms,
        )
        .await?;
    }
    Ok(ApiResponse::json(status, &created))
}

/// What a list request asks for: its order, its rating filter, where it starts and how
/// many reviews.
struct ListRequest {
    sort: ReviewSort,
    only_rating: Option<u8>,
    cursor: Option<Cursor>,
    limit: u32,
}

impl ListRequest {
    /// Reads `sort`, `rating`, `cursor` and `limit`, each checked.
    fn read(params: &std::collections::BTreeMap<String, String>) -> Result<ListRequest> {
        Ok(ListRequest {
            sort: params
                .get("sort")
                .map(|value| ReviewSort::parse(value))
                .transpose()?
                .unwrap_or_default(),
            only_rating: params
                .get("rating")
                .map(|value| review::parse_rating_filter(value))
                .transpose()?,
            cursor: params
                .get("cursor")
                .map(|value| Cursor::decode(value, 3))
                .transpose()?,
            limit: paging::page_size(params.get("limit").map(String::as_str))?,
        })
    }

    /// The page asked for.
    async fn page<S: Store>(&self, store: &S, site: &Site, product: &str) -> Result<ReviewPage> {
        review_store::page(
            store,
            &site.key,
            product,
            self.sort,
            self.only_rating,
            self.cursor.as_ref(),
            self.limit,
        )
        .await
    }
}

/// `GET …/products/{product}/reviews`: a page of published reviews and the aggregate.
pub(super) async fn list<S: Store>(
    request: &ApiRequest<'_>,
    site: &Site,
    product: &str,
    store: &S,
) -> Result<ApiResponse> {
    validate::product_id(product)?;
    let page = ListRequest::read(&query_params(request.query)?)?
        .page(store, site, product)
        .await?;
    Ok(ApiResponse::json(200, &page).cacheable(LIST_CACHE, request.if_none_match))
}

/// The `?name=` product name for markup, bounded.
fn product_name(params: &std::collections::BTreeMap<String, String>) -> Result<Option<String>> {
    match params.get("name").map(|name| name.trim()) {
        Some(name) if name.chars().count() > MAX_PRODUCT_NAME_CHARS => Err(Error::InvalidQuery {
            param: "name".to_owned(),
            message: format!("name must be at most {MAX_PRODUCT_NAME_CHARS} characters"),
        }),
        Some(name) if !name.is_empty() => Ok(Some(name.to_owned())),
        _ => Ok(None),
    }
}

/// `GET …/products/{product}/reviews.jsonld`: schema.org markup for a brand's server.
pub(super) async fn json_ld<S: Store>(
    request: &ApiRequest<'_>,
    site: &Site,
    product: &str,
    store: &S,
) -> Result<ApiResponse> {
    validate::product_id(product)?;
    let params = query_params(request.query)?;
    let name = product_name(&params)?;
    let page = review_store::page(
        store,
        &site.key,
        product,
        ReviewSort::Newest,
        None,
        None,
        paging::DEFAULT_PAGE_SIZE,
    )
    .await?;
    let body = markup::script_json(&markup::json_ld(&page, name.as_deref()));
    Ok(
        ApiResponse::text(200, "application/ld+json; charset=utf-8", body)
            .cacheable(MARKUP_CACHE, request.if_none_match),
    )
}

/// `GET …/products/{product}/reviews.html`: the server-rendered fragment, in `?lang=` or
/// the site's language.
pub(super) async fn html<S: Store>(
    request: &ApiRequest<'_>,
    site: &Site,
    product: &str,
    store: &S,
) -> Result<ApiResponse> {
    validate::product_id(product)?;
    let params = query_params(request.query)?;
    let name = product_name(&params)?;
    let list = ListRequest::read(&params)?;
    let locale = params
        .get("lang")
        .and_then(|tag| Locale::negotiate([tag.as_str()]))
        .unwrap_or(site.config.default_locale);
    let page = list.page(store, site, product).await?;
    let copy = Copy::new(locale, &site.config.brand_name, &site.config.copy);
    let body = markup::html_fragment(&page, name.as_deref(), &copy);
    Ok(ApiResponse::text(200, "text/html; charset=utf-8", body)
        .cacheable(MARKUP_CACHE, request.if_none_match))
}

/// `POST …/products/{product}/reviews/{id}/helpful`: once per visitor.
pub(super) async fn helpful<S: Store, L: RateLimiter>(
    request: &ApiRequest<'_>,
    site: &Site,
    product: &str,
    review_id: &str,
    store: &S,
    limiter: &L,
) -> Result<ApiResponse> {
    validate::product_id(product)?;
    validate::stored_id(review_id, Error::UnknownReview)?;
    require_json(request.content_type)?;
    let vote: HelpfulVote = parse_body(request.body)?;
    validate::opaque_id("visitor_id", &vote.visitor_id)?;
    within_visitor(limiter, site, &vote.visitor_id).await?;
    let counted = review_store::vote_helpful(
        store,
        &site.key,
        product,
        review_id,
        &vote.visitor_id,
        request.now_ms,
    )
    .await?;
    Ok(ApiResponse::json(200, &counted))
}

/// `GET /v1/sites/{site}/reviews?status=pending` (admin): the moderation queue, oldest
/// first; or, e.g., the published reviews a brand replies to (see [`review::AdminListing`]).
pub(super) async fn queue<S: Store>(
    request: &ApiRequest<'_>,
    site: &Site,
    store: &S,
) -> Result<ApiResponse> {
    let (_, cursor, limit) = queue_params(request)?;
    let listing = review::AdminListing::read(&query_params(request.query)?)?;
    let page = review_store::queue(store, &site.key, &listing, cursor.as_ref(), limit).await?;
    Ok(ApiResponse::json(200, &page))
}

/// `POST /v1/sites/{site}/reviews/{id}/moderation` (admin): publish, or reject with a reason.
pub(super) async fn moderate<S: Store>(
    request: &ApiRequest<'_>,
    site: &Site,
    review_id: &str,
    store: &S,
) -> Result<ApiResponse> {
    validate::stored_id(review_id, Error::UnknownReview)?;
    let (status, reason) = moderation_decision(request)?;
    let (review, author) = review_store::moderate(
        store,
        &site.key,
        review_id,
        status,
        reason.as_deref(),
        request.now_ms,
    )
    .await?;
    if status == Status::Published
        && let Some(author) = author
    {
        reward(
            store,
            site,
            &author,
            Reason::Review,
            review_id,
            request.now_ms,
        )
        .await?;
    }
    Ok(ApiResponse::json(200, &review))
}

/// `POST /v1/sites/{site}/reviews/{id}/reply` (admin): the brand's public answer.
pub(super) async fn reply<S: Store>(
    request: &ApiRequest<'_>,
    site: &Site,
    review_id: &str,
    store: &S,
) -> Result<ApiResponse> {
    validate::stored_id(review_id, Error::UnknownReview)?;
    require_json(request.content_type)?;
    let reply: ReplySubmission = parse_body(request.body)?;
    let text = validate::text("text", &reply.text, 1, review::MAX_REPLY_CHARS)?;
    let review = review_store::reply(store, &site.key, review_id, &text, request.now_ms).await?;
    Ok(ApiResponse::json(200, &review))
}
