//! The Q&A routes: a prospect asks and searches, customers (and, where allowed, anonymous
//! visitors) answer and vote; the brand answers, moderates and sees its top answerers.

use super::advocacy::reward;
use super::{
    ApiRequest, ApiResponse, customer_claims, human_passes, moderation_decision, parse_body,
    query_params, queue_params, require_json, within_visitor,
};
use crate::error::{Error, Result};
use crate::limits::RateLimiter;
use crate::moderation::Status;
use crate::paging::{self, Cursor, Order};
use crate::qa::store::{self as qa_store, NewAnswer, NewQuestion, QuestionFilter};
use crate::qa::{self, Badge};
use crate::review;
use crate::rewards::{Account, Reason};
use crate::site::Site;
use crate::spam::{self, HumanCheck};
use crate::store::{Recorded, Store};
use crate::validate;
use crate::wire::{AnswerSubmission, HelpfulVote, Posted, QuestionSubmission};

fn recorded(outcome: Recorded<Posted>) -> ApiResponse {
    match outcome {
        Recorded::Created(posted) => ApiResponse::json(201, &posted),
        Recorded::Replayed(posted) => ApiResponse::json(200, &posted),
    }
}

/// An email kept only with consent: the same rule as reviews.
fn consented_email(email: Option<&str>, consent: bool) -> Result<Option<String>> {
    match email.map(str::trim) {
        Some(email) if !email.is_empty() => {
            if !consent {
                return Err(Error::field(
                    "email_consent",
                    "email_consent must be true for an email to be kept",
                ));
            }
            Ok(Some(validate::email(email)?))
        }
        _ => Ok(None),
    }
}

/// `POST …/products/{product}/questions`.
pub(super) async fn ask<S: Store, L: RateLimiter, H: HumanCheck>(
    request: &ApiRequest<'_>,
    site: &Site,
    product: &str,
    store: &S,
    limiter: &L,
    human: &H,
) -> Result<ApiResponse> {
    validate::product_id(product)?;
    require_json(request.content_type)?;
    let submission: QuestionSubmission = parse_body(request.body)?;
    let body = validate::text(
        "text",
        &submission.text,
        qa::MIN_QUESTION_CHARS,
        qa::MAX_QUESTION_CHARS,
    )?;
    let author_name = validate::text(
        "author_name",
        &submission.author_name,
        1,
        review::MAX_NAME_CHARS,
    )?;
    let email = consented_email(submission.email.as_deref(), submission.email_consent)?;
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
    let passes = human_passes(
        site,
        human,
        submission.turnstile_token.as_deref(),
        request.client_address,
    )
    .await;
    if !passes {
        return match qa_store::find_by_key(store, &site.key, &submission.idempotency_key, false)
            .await?
        {
            Some(posted) => Ok(ApiResponse::json(200, &posted)),
            None => Err(Error::HumanCheckFailed),
        };
    }
    let body_hash = spam::comment_fingerprint(&body);
    if let Some(hash) = &body_hash {
        let since = request.now_ms - spam::DUPLICATE_WINDOW_MS;
        if qa_store::question_seen(store, &site.key, hash, since, &submission.visitor_id).await? {
            return Err(Error::SpamSuspected);
        }
    }
    let question = NewQuestion {
        site_id: site.key.clone(),
        product_id: product.to_owned(),
        idempotency_key: submission.idempotency_key,
        visitor_id: submission.visitor_id,
        customer_id: claims.map(|claims| claims.sub),
        body,
        author_name,
        email,
        status: site.config.qa.question_status(),
        body_hash,
        page_url,
        locale: submission.locale.map(|locale| locale.tag().to_owned()),
        created_at: request.now_ms,
    };
    Ok(recorded(qa_store::record_question(store, &question).await?))
}

/// `GET …/products/{product}/questions?q=…&limit=…&cursor=…`.
pub(super) async fn list<S: Store>(
    request: &ApiRequest<'_>,
    site: &Site,
    product: &str,
    store: &S,
) -> Result<ApiResponse> {
    validate::product_id(product)?;
    let params = query_params(request.query)?;
    let words = qa::RUST_UNICODE.words(params.get("q").map(String::as_str))?;
    let cursor = params
        .get("cursor")
        .map(|value| Cursor::decode(value, qa_store::cursor_keys(&words)))
        .transpose()?;
    let limit = paging::page_size(params.get("limit").map(String::as_str))?;
    let page = qa_store::page(store, &site.key, product, &words, cursor.as_ref(), limit).await?;
    Ok(ApiResponse::json(200, &page).cacheable("no-cache", request.if_none_match))
}

/// `POST …/products/{product}/questions/{id}/answers`: a visitor's answer.
pub(super) async fn answer<S: Store, L: RateLimiter, H: HumanCheck>(
    request: &ApiRequest<'_>,
    site: &Site,
    product: &str,
    question_id: &str,
    store: &S,
    limiter: &L,
    human: &H,
) -> Result<ApiResponse> {
    validate::product_id(product)?;
    validate::stored_id(question_id, Error::UnknownQuestion)?;
    require_json(request.content_type)?;
    let submission: AnswerSubmission = parse_body(request.body)?;
    let body = validate::text(
        "text",
        &submission.text,
        qa::MIN_ANSWER_CHARS,
        qa::MAX_ANSWER_CHARS,
    )?;
    let author_name = validate::text(
        "author_name",
        submission.author_name.as_deref().unwrap_or_default(),
        1,
        review::MAX_NAME_CHARS,
    )?;
    let visitor_id = submission
        .visitor_id
        .ok_or_else(|| Error::field("visitor_id", "visitor_id is required"))?;
    validate::opaque_id("visitor_id", &visitor_id)?;
    validate::opaque_id("idempotency_key", &submission.idempotency_key)?;
    within_visitor(limiter, site, &visitor_id).await?;
    spam::check_human(
        submission.website.as_deref(),
        Some(&body),
        submission.elapsed_ms,
    )?;
    let claims = customer_claims(submission.customer_token.as_deref(), site, request.now_ms)?;
    let badge = Badge::of_visitor(claims.as_ref(), product);
    let status = site.config.qa.answer_status(badge)?;
    let passes = human_passes(
        site,
        human,
        submission.turnstile_token.as_deref(),
        request.client_address,
    )
    .await;
    if !passes {
        return match qa_store::find_by_key(store, &site.key, &submission.idempotency_key, true)
            .await?
        {
            Some(posted) => Ok(ApiResponse::json(200, &posted)),
            None => Err(Error::HumanCheckFailed),
        };
    }
    let customer_id = claims.map(|claims| claims.sub);
    let author = Account::of(customer_id.as_deref(), &visitor_id);
    let answer = NewAnswer {
        site_id: site.key.clone(),
        question_id: question_id.to_owned(),
        product_id: Some(product.to_owned()),
        idempotency_key: submission.idempotency_key,
        visitor_id: Some(visitor_id),
        customer_id,
        author_name,
        body,
        badge,
        status,
        created_at: request.now_ms,
    };
    let outcome = qa_store::record_answer(store, &answer).await?;
    let posted = match &outcome {
        Recorded::Created(posted) | Recorded::Replayed(posted) => posted,
    };
    if posted.status == Status::Published {
        reward(
            store,
            site,
            &author,
            Reason::Answer,
            &posted.id,
            request.now_ms,
        )
        .await?;
    }
    Ok(recorded(outcome))
}

/// `POST /v1/sites/{site}/questions/{id}/answers` (admin): the brand's answer, published
/// at once and badged "brand".
pub(super) async fn brand_answer<S: Store>(
    request: &ApiRequest<'_>,
    site: &Site,
    question_id: &str,
    store: &S,
) -> Result<ApiResponse> {
    validate::stored_id(question_id, Error::UnknownQuestion)?;
    require_json(request.content_type)?;
    let submission: AnswerSubmission = parse_body(request.body)?;
    let body = validate::text(
        "text",
        &submission.text,
        qa::MIN_ANSWER_CHARS,
        qa::MAX_ANSWER_CHARS,
    )?;
    validate::opaque_id("idempotency_key", &submission.idempotency_key)?;
    let answer = NewAnswer {
        site_id: site.key.clone(),
        question_id: question_id.to_owned(),
        product_id: None,
        idempotency_key: submission.idempotency_key,
        visitor_id: None,
        customer_id: None,
        author_name: site.config.brand_name.clone(),
        body,
        badge: Badge::Brand,
        status: site.config.qa.answer_status(Badge::Brand)?,
        created_at: request.now_ms,
    };
    Ok(recorded(qa_store::record_answer(store, &answer).await?))
}

/// `POST …/products/{product}/answers/{id}/helpful`: once per visitor.
pub(super) async fn helpful<S: Store, L: RateLimiter>(
    request: &ApiRequest<'_>,
    site: &Site,
    product: &str,
    answer_id: &str,
    store: &S,
    limiter: &L,
) -> Result<ApiResponse> {
    validate::product_id(product)?;
    validate::stored_id(answer_id, Error::UnknownAnswer)?;
    require_json(request.content_type)?;
    let vote: HelpfulVote = parse_body(request.body)?;
    validate::opaque_id("visitor_id", &vote.visitor_id)?;
    within_visitor(limiter, site, &vote.visitor_id).await?;
    let counted = qa_store::vote_helpful(
        store,
        &site.key,
        product,
        answer_id,
        &vote.visitor_id,
        request.now_ms,
    )
    .await?;
    Ok(ApiResponse::json(200, &counted))
}

/// `GET /v1/sites/{site}/questions?status=pending|published|rejected|unanswered` (admin).
pub(super) async fn question_queue<S: Store>(
    request: &ApiRequest<'_>,
    site: &Site,
    store: &S,
) -> Result<ApiResponse> {
    let (status, cursor, limit) = queue_params(request)?;
    let filter = match status.as_deref() {
        None => QuestionFilter::Status(Status::Pending),
        Some("unanswered") => QuestionFilter::Unanswered,
        Some(value) => QuestionFilter::Status(Status::parse("status", value).map_err(|_| {
            Error::InvalidQuery {
                param: "status".to_owned(),
                message: "status must be pending, published, rejected or unanswered".to_owned(),
            }
        })?),
    };
    let page = qa_store::question_queue(store, &site.key, filter, cursor.as_ref(), limit).await?;
    Ok(ApiResponse::json(200, &page))
}

/// `GET /v1/sites/{site}/answers?status=pending` (admin): the queue, oldest first; or, e.g.,
/// the published answers newest first (`order=newest`), for the brand to take down one
/// that should not be on its product page.
pub(super) async fn answer_queue<S: Store>(
    request: &ApiRequest<'_>,
    site: &Site,
    store: &S,
) -> Result<ApiResponse> {
    let (status, cursor, limit) = queue_params(request)?;
    let status = status
        .map(|value| Status::parse("status", value.as_str()))
        .transpose()?
        .unwrap_or(Status::Pending);
    let order = Order::parse(
        query_params(request.query)?
            .get("order")
            .map(String::as_str),
    )?;
    let page =
        qa_store::answer_queue(store, &site.key, (status, order), cursor.as_ref(), limit).await?;
    Ok(ApiResponse::json(200, &page))
}

/// `POST /v1/sites/{site}/questions/{id}/moderation` (admin).
pub(super) async fn moderate_question<S: Store>(
    request: &ApiRequest<'_>,
    site: &Site,
    question_id: &str,
    store: &S,
) -> Result<ApiResponse> {
    validate::stored_id(question_id, Error::UnknownQuestion)?;
    let (status, reason) = moderation_decision(request)?;
    let question = qa_store::moderate_question(
        store,
        &site.key,
        question_id,
        status,
        reason.as_deref(),
        request.now_ms,
    )
    .await?;
    Ok(ApiResponse::json(200, &question))
}

/// `POST /v1/sites/{site}/answers/{id}/moderation` (admin).
pub(super) async fn moderate_answer<S: Store>(
    request: &ApiRequest<'_>,
    site: &Site,
    answer_id: &str,
    store: &S,
) -> Result<ApiResponse> {
    validate::stored_id(answer_id, Error::UnknownAnswer)?;
    let (status, reason) = moderation_decision(request)?;
    let (answer, author) = qa_store::moderate_answer(
        store,
        &site.key,
        answer_id,
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
            Reason::Answer,
            answer_id,
            request.now_ms,
        )
        .await?;
    }
    Ok(ApiResponse::json(200, &answer))
}

/// `GET /v1/sites/{site}/answerers?limit=…` (admin): the customers who answered most.
pub(super) async fn answerers<S: Store>(
    request: &ApiRequest<'_>,
    site: &Site,
    store: &S,
) -> Result<ApiResponse> {
    let params = query_params(request.query)?;
    let limit = match params.get("limit") {
        None => 20,
        Some(value) => validate::number_param("limit", value, 1..=qa::MAX_TOP_ANSWERERS)?,
    };
    Ok(ApiResponse::json(
        200,
        &qa_store::top_answerers(store, &site.key, limit).await?,
    ))
}
