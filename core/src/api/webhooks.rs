//! The webhook routes (admin): subscriptions, their test event, secret rotation and
//! delivery log.

use super::{ApiRequest, ApiResponse, parse_body, require_json};
use crate::error::{Error, Result};
use crate::site::Site;
use crate::store::Store;
use crate::validate;
use crate::webhooks;
use crate::wire::{WebhookAction, WebhookList, WebhookLog, WebhookRequest};

/// Deliveries shown in a subscription's log.
const LOG_ENTRIES: u32 = 50;

/// `GET …/webhooks`.
pub(super) async fn list<S: Store>(site: &Site, store: &S) -> Result<ApiResponse> {
    let subscriptions = webhooks::list(store, &site.key).await?;
    let events = webhooks::EVENTS
        .iter()
        .map(|event| (*event).to_owned())
        .collect();
    Ok(ApiResponse::json(
        200,
        &WebhookList {
            subscriptions,
            events,
        },
    ))
}

/// `POST …/webhooks`: answers the subscription with its secret, shown this once.
pub(super) async fn create<S: Store>(
    request: &ApiRequest<'_>,
    site: &Site,
    store: &S,
) -> Result<ApiResponse> {
    require_json(request.content_type)?;
    let asked: WebhookRequest = parse_body(request.body)?;
    let url = webhooks::endpoint(&asked.url)?;
    let events = webhooks::events(&asked.events)?;
    let key = asked.idempotency_key.as_deref();
    if let Some(key) = key {
        validate::opaque_id("idempotency_key", key)?;
    }
    let created = webhooks::create(store, &site.key, &url, &events, key, request.now_ms).await?;
    Ok(ApiResponse::json(201, &created))
}

/// `POST …/webhooks/{id}/test`: queues a test event for the next cron run.
pub(super) async fn test<S: Store>(
    request: &ApiRequest<'_>,
    site: &Site,
    id: &str,
    store: &S,
) -> Result<ApiResponse> {
    validate::stored_id(id, Error::NotFound)?;
    let action = action_of(request)?;
    let key = action.idempotency_key.as_deref();
    webhooks::queue_test(store, &site.key, id, key, request.now_ms).await?;
    Ok(ApiResponse::no_content())
}

/// `POST …/webhooks/{id}/delete`: stops the subscription; its log stays readable.
pub(super) async fn delete<S: Store>(site: &Site, id: &str, store: &S) -> Result<ApiResponse> {
    validate::stored_id(id, Error::NotFound)?;
    webhooks::deactivate(store, &site.key, id).await?;
    Ok(ApiResponse::no_content())
}

/// `POST …/webhooks/{id}/rotate-secret`: answers the subscription with its new secret,
/// shown this once (and again to the same rotation sent again with its key); the old one
/// still signs deliveries beside it for a day.
pub(super) async fn rotate_secret<S: Store>(
    request: &ApiRequest<'_>,
    site: &Site,
    id: &str,
    store: &S,
) -> Result<ApiResponse> {
    validate::stored_id(id, Error::NotFound)?;
    let action = action_of(request)?;
    let key = action.idempotency_key.as_deref();
    let rotated = webhooks::rotate_secret(store, &site.key, id, key, request.now_ms).await?;
    Ok(ApiResponse::json(200, &rotated))
}

/// The body of an action on a subscription: none, or a JSON object with an optional
/// idempotency key.
fn action_of(request: &ApiRequest<'_>) -> Result<WebhookAction> {
    if request.body.trim_ascii().is_empty() {
        return Ok(WebhookAction::default());
    }
    require_json(request.content_type)?;
    let action: WebhookAction = parse_body(request.body)?;
    if let Some(key) = &action.idempotency_key {
        validate::opaque_id("idempotency_key", key)?;
    }
    Ok(action)
}

/// `GET …/webhooks/{id}/deliveries`.
pub(super) async fn deliveries<S: Store>(site: &Site, id: &str, store: &S) -> Result<ApiResponse> {
    validate::stored_id(id, Error::NotFound)?;
    let deliveries = webhooks::log(store, &site.key, id, LOG_ENTRIES).await?;
    Ok(ApiResponse::json(200, &WebhookLog { deliveries }))
}
