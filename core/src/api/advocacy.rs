//! Share-and-reward routes: personal share links and their redirect, visits reported by
//! landing pages, a visitor's or customer's points, and for the brand the advocate
//! leaderboard, manual adjustments and the private panel. Also the rewards other routes
//! pay (NPS answers, published reviews and answers).

use super::{
    ApiRequest, ApiResponse, customer_claims, customer_of, parse_body, query_params, require_json,
    visitor_param, within_visitor,
};
use crate::advocacy::{self, Credit, Identification, Visit};
use crate::error::{Error, Result};
use crate::ladder;
use crate::limits::RateLimiter;
use crate::rewards::{Account, Reason};
use crate::share;
use crate::site::Site;
use crate::store::{Recorded, Store};
use crate::validate;
use crate::wire::{
    AccountKind, Adjusted, Advocate, AdvocateList, PanelChange, PointsAdjustment, PointsStatement,
    ShareCreated, ShareRequest, VisitCounted, VisitOutcome, VisitReport,
};

/// Largest manual adjustment, either way.
const MAX_ADJUSTMENT: i64 = 1_000_000;
/// Longest adjustment reason.
const MAX_ADJUSTMENT_REASON_CHARS: usize = 200;
/// Advocates listed at most.
const MAX_ADVOCATES: usize = 500;
/// Advocates listed when the request does not say.
const DEFAULT_ADVOCATES: usize = 50;

/// Pays `reason`'s reward to `account` for `source`, once per event (the key), within the
/// site's daily cap.
pub(super) async fn reward<S: Store>(
    store: &S,
    site: &Site,
    account: &Account,
    reason: Reason,
    source: &str,
    now_ms: i64,
) -> Result<i64> {
    let rules = &site.config.rewards;
    advocacy::credit(
        store,
        &Credit {
            site_id: &site.key,
            account: account.key(),
            reason,
            source,
            points: rules.points(reason),
            daily_cap: rules.daily_cap(reason),
            idempotency_key: format!("{}:{source}", reason.as_str()),
            now_ms,
        },
    )
    .await
}

/// `POST /v1/sites/{site}/shares`: the sharer's personal link to a page of the site.
pub(super) async fn share<S: Store, L: RateLimiter>(
    request: &ApiRequest<'_>,
    site: &Site,
    store: &S,
    limiter: &L,
) -> Result<ApiResponse> {
    require_json(request.content_type)?;
    let share_request: ShareRequest = parse_body(request.body)?;
    let url = share::shareable_url(site, &share_request.url)?;
    validate::opaque_id("visitor_id", &share_request.visitor_id)?;
    within_visitor(limiter, site, &share_request.visitor_id).await?;
    let claims = customer_claims(
        share_request.customer_token.as_deref(),
        site,
        request.now_ms,
    )?;
    let identification = claims.as_ref().map(|claims| Identification {
        site_id: &site.key,
        visitor_id: &share_request.visitor_id,
        customer_id: &claims.sub,
        now_ms: request.now_ms,
    });
    let sharer = Account::of(
        claims.as_ref().map(|claims| claims.sub.as_str()),
        &share_request.visitor_id,
    );
    let outcome = advocacy::link_for(
        store,
        &site.key,
        &sharer,
        &share_request.visitor_id,
        &url,
        request.now_ms,
        identification.as_ref(),
    )
    .await?;
    let (status, code) = match outcome {
        Recorded::Created(code) => (201, code),
        Recorded::Replayed(code) => (200, code),
    };
    reward(store, site, &sharer, Reason::Share, &code, request.now_ms).await?;
    Ok(ApiResponse::json(
        status,
        &ShareCreated {
            link: format!("{}/s/{code}", request.base_url),
            code,
            points_per_visit: site.config.rewards.points_per_visit,
        },
    ))
}

/// `GET /s/{code}`: the short link. Sends the visitor to the shared page (with the code
/// for the landing page to report the visit), only ever on the site's allowed origins.
pub(super) async fn follow<S: Store>(
    request: &ApiRequest<'_>,
    code: &str,
    store: &S,
) -> Result<ApiResponse> {
    if request.method != "GET" && request.method != "HEAD" {
        return Err(Error::MethodNotAllowed);
    }
    share::code(code)?;
    let person = !share::is_bot(request.user_agent);
    let link = advocacy::follow(store, code, person)
        .await?
        .ok_or(Error::UnknownShare)?;
    let row = store
        .site(&link.site_id)
        .await?
        .ok_or(Error::UnknownShare)?;
    let site = Site::from_row(row)?;
    // The origins may have changed since the link was made: never send anyone off-site.
    let url = share::shareable_url(&site, &link.url).map_err(|_| Error::UnknownShare)?;
    Ok(ApiResponse {
        status: 302,
        headers: vec![
            ("location", share::landing_url(&url, &link.code)),
            ("cache-control", "no-store".to_owned()),
        ],
        body: String::new(),
        log: None,
        export: None,
    })
}

/// `POST /v1/sites/{site}/shares/{code}/visits`: the landing page reports a visit.
pub(super) async fn visit<S: Store, L: RateLimiter>(
    request: &ApiRequest<'_>,
    site: &Site,
    code: &str,
    store: &S,
    limiter: &L,
) -> Result<ApiResponse> {
    share::code(code)?;
    require_json(request.content_type)?;
    let report: VisitReport = parse_body(request.body)?;
    validate::opaque_id("visitor_id", &report.visitor_id)?;
    within_visitor(limiter, site, &report.visitor_id).await?;
    let (link, visitor_customer) =
        advocacy::link_and_identity(store, code, &site.key, &report.visitor_id).await?;
    let link = link
        .filter(|link| link.site_id == site.key)
        .ok_or(Error::UnknownShare)?;
    let answer = |outcome: VisitOutcome, points: i64| {
        ApiResponse::json(
            200,
            &VisitCounted {
                counted: outcome == VisitOutcome::Counted,
                outcome,
                points,
            },
        )
    };
    if share::is_bot(request.user_agent) {
        return Ok(answer(VisitOutcome::Bot, 0));
    }
    let own = report.visitor_id == link.sharer_visitor_id
        || visitor_customer
            .is_some_and(|customer| Account::Customer(customer).key() == link.sharer);
    if own {
        return Ok(answer(VisitOutcome::OwnLink, 0));
    }
    let day = share::day_of(request.now_ms);
    let rules = &site.config.rewards;
    let recorded = advocacy::record_visit(
        store,
        &Visit {
            code,
            visitor_id: &report.visitor_id,
            day,
            per_day: rules.visits_per_link_per_day,
            now_ms: request.now_ms,
        },
        &Credit {
            site_id: &site.key,
            account: link.sharer.clone(),
            reason: Reason::Visit,
            source: code,
            points: rules.points(Reason::Visit),
            daily_cap: rules.daily_cap(Reason::Visit),
            idempotency_key: format!("visit:{code}:{}:{day}", report.visitor_id),
            now_ms: request.now_ms,
        },
    )
    .await?;
    Ok(match recorded {
        None => answer(VisitOutcome::AlreadyCounted, 0),
        Some((false, _)) => answer(VisitOutcome::DailyCap, 0),
        Some((true, points)) => answer(VisitOutcome::Counted, points),
    })
}

/// `GET /v1/sites/{site}/me/points?visitor_id=…`, with `Authorization: Customer <token>`
/// for a known customer (whose visitor points then move to them).
pub(super) async fn my_points<S: Store>(
    request: &ApiRequest<'_>,
    site: &Site,
    store: &S,
) -> Result<ApiResponse> {
    let visitor_id = visitor_param(request)?;
    let claims = customer_of(request, site)?;
    let (kind, account) = match &claims {
        Some(claims) => {
            let identification = Identification {
                site_id: &site.key,
                visitor_id: &visitor_id,
                customer_id: &claims.sub,
                now_ms: request.now_ms,
            };
            advocacy::identify(store, &identification).await?;
            (AccountKind::Customer, Account::Customer(claims.sub.clone()))
        }
        None => (AccountKind::Visitor, Account::Visitor(visitor_id.clone())),
    };
    let (balance, entries) = advocacy::statement(store, &site.key, &account).await?;
    Ok(ApiResponse::json(
        200,
        &PointsStatement {
            account: kind,
            balance,
            entries,
        },
    ))
}

/// `GET /v1/sites/{site}/advocates?level=…&limit=…` (admin).
pub(super) async fn advocates<S: Store>(
    request: &ApiRequest<'_>,
    site: &Site,
    store: &S,
) -> Result<ApiResponse> {
    let params = query_params(request.query)?;
    let level = params
        .get("level")
        .map(|value| validate::number_param("level", value, 1..=6))
        .transpose()?;
    let limit = params
        .get("limit")
        .map(|value| validate::number_param("limit", value, 1..=MAX_ADVOCATES))
        .transpose()?
        .unwrap_or(DEFAULT_ADVOCATES);
    let mut levels: std::collections::BTreeMap<u8, u64> = (1..=6).map(|level| (level, 0)).collect();
    let mut advocates: Vec<Advocate> = advocacy::advocates(store, &site.key)
        .await?
        .into_iter()
        .map(|(customer_id, activity, points)| Advocate {
            level: ladder::level(&activity),
            score: ladder::score(&activity),
            customer_id,
            points,
            activity,
        })
        .inspect(|advocate| *levels.entry(advocate.level).or_default() += 1)
        .filter(|advocate| level.is_none_or(|level| advocate.level == level))
        .collect();
    advocates.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then(b.points.cmp(&a.points))
            .then(a.customer_id.cmp(&b.customer_id))
    });
    advocates.truncate(limit);
    let levels = levels.into_iter().collect();
    Ok(ApiResponse::json(200, &AdvocateList { levels, advocates }))
}

/// A customer id from a body: what the brand's customer tokens carry in `sub`.
fn customer_id(value: &str) -> Result<String> {
    validate::text("customer_id", value, 1, 128)
}

/// `POST /v1/sites/{site}/points/adjust` (admin).
pub(super) async fn adjust<S: Store>(
    request: &ApiRequest<'_>,
    site: &Site,
    store: &S,
) -> Result<ApiResponse> {
    require_json(request.content_type)?;
    let adjustment: PointsAdjustment = parse_body(request.body)?;
    let customer = customer_id(&adjustment.customer_id)?;
    if adjustment.points == 0 || adjustment.points.abs() > MAX_ADJUSTMENT {
        return Err(Error::field(
            "points",
            format!("points must be a non-zero integer from -{MAX_ADJUSTMENT} to {MAX_ADJUSTMENT}"),
        ));
    }
    let reason = validate::text("reason", &adjustment.reason, 1, MAX_ADJUSTMENT_REASON_CHARS)?;
    validate::opaque_id("idempotency_key", &adjustment.idempotency_key)?;
    let (entry, balance) = advocacy::adjust(
        store,
        &site.key,
        &customer,
        adjustment.points,
        &reason,
        &adjustment.idempotency_key,
        request.now_ms,
    )
    .await?;
    Ok(ApiResponse::json(200, &Adjusted { balance, entry }))
}

/// `POST /v1/sites/{site}/panel` (admin).
pub(super) async fn panel<S: Store>(
    request: &ApiRequest<'_>,
    site: &Site,
    store: &S,
) -> Result<ApiResponse> {
    require_json(request.content_type)?;
    let change: PanelChange = parse_body(request.body)?;
    let customer = customer_id(&change.customer_id)?;
    advocacy::set_panel(store, &site.key, &customer, change.member, request.now_ms).await?;
    Ok(ApiResponse::json(200, &change))
}

/// `GET …/advocates/{customer}/history` (admin): what one advocate did, newest first.
pub(super) async fn history<S: Store>(
    site: &Site,
    customer: &str,
    store: &S,
) -> Result<ApiResponse> {
    let customer = percent_encoding::percent_decode_str(customer)
        .decode_utf8()
        .map_err(|_| Error::NotFound)?;
    let customer = customer_id(&customer)?;
    let history = crate::history::history(store, &site.key, &customer).await?;
    Ok(ApiResponse::json(200, &history))
}
