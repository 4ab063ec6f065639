//! Referral routes: an advocate's code and link, invitations by email, the friend's
//! landing (the link's redirect, the offer, the visit), the brand server's signed
//! conversions that reward both sides, and the brand's funnel.

use super::{
    ApiRequest, ApiResponse, customer_claims, customer_of, parse_body, require_json, visitor_param,
    within_visitor,
};
use crate::DAY_MS;
use crate::advocacy::{self, Credit, Identification};
use crate::error::{Error, Result};
use crate::limits::RateLimiter;
use crate::mail::Mail;
use crate::referral::store::{self as referral_store, NewConversion, NewReferral, Referral, Stats};
use crate::referral::{self, ConversionOutcome, MAX_INVITES_PER_REQUEST};
use crate::review::MAX_NAME_CHARS;
use crate::rewards::{Account, Reason};
use crate::share;
use crate::site::Site;
use crate::store::{Recorded, Store};
use crate::token::CustomerClaims;
use crate::validate;
use crate::wire::{
    ConversionRecorded, ConversionReport, FriendOffer, InvitationRequest, InvitationsSent,
    ReferralCard, ReferralFunnel, ReferralRequest, ReferralStats, VisitCounted, VisitOutcome,
    VisitReport,
};

/// The marker a referral link adds to the landing page's URL.
pub const MARKER_PARAM: &str = "pv_ref";
/// Codes listed in the brand's funnel at most.
const FUNNEL_LINES: u32 = 200;

/// The card an advocate sees for their referral.
fn card(request: &ApiRequest<'_>, site: &Site, referral: &Referral, stats: Stats) -> ReferralCard {
    let settings = &site.config.referral;
    ReferralCard {
        code: referral.code.clone(),
        link: format!("{}/r/{}", request.base_url, referral.code),
        friend_offer: settings.friend_offer.clone(),
        advocate_points: settings.advocate_points,
        friend_points: settings.friend_points,
        expires_at: referral.expires_at,
        stats: ReferralStats {
            invited: stats.invited,
            visited: stats.visited,
            converted: stats.converted,
            rewards: stats.rewards,
        },
    }
}

/// The advocate's account: the customer of a verified token (with the identification
/// that records their browser as theirs), else the browser.
fn advocate<'a>(
    site: &'a Site,
    claims: Option<&'a CustomerClaims>,
    visitor_id: &'a str,
    now_ms: i64,
) -> (Account, Option<Identification<'a>>) {
    match claims {
        Some(claims) => (
            Account::Customer(claims.sub.clone()),
            Some(Identification {
                site_id: &site.key,
                visitor_id,
                customer_id: &claims.sub,
                now_ms,
            }),
        ),
        None => (Account::Visitor(visitor_id.to_owned()), None),
    }
}

/// `POST /v1/sites/{site}/referrals`: the advocate's code, made once.
pub(super) async fn create<S: Store, L: RateLimiter>(
    request: &ApiRequest<'_>,
    site: &Site,
    store: &S,
    limiter: &L,
) -> Result<ApiResponse> {
    require_json(request.content_type)?;
    let body: ReferralRequest = parse_body(request.body)?;
    validate::opaque_id("visitor_id", &body.visitor_id)?;
    within_visitor(limiter, site, &body.visitor_id).await?;
    let claims = customer_claims(body.customer_token.as_deref(), site, request.now_ms)?;
    let name = body
        .name
        .as_deref()
        .or(claims.as_ref().and_then(|claims| claims.name.as_deref()))
        .unwrap_or_default();
    let name = validate::text("name", name, 1, MAX_NAME_CHARS)?;
    let email = body
        .email
        .as_deref()
        .or(claims.as_ref().and_then(|claims| claims.email.as_deref()))
        .unwrap_or_default();
    let email = validate::email(email)?;
    if !body.consent {
        return Err(Error::field(
            "consent",
            "consent must be true to join the referral programme",
        ));
    }
    let (account, identification) =
        advocate(site, claims.as_ref(), &body.visitor_id, request.now_ms);
    let settings = &site.config.referral;
    let outcome = referral_store::referral_for(
        store,
        &NewReferral {
            site_id: &site.key,
            advocate: &account,
            visitor_id: &body.visitor_id,
            name: &name,
            email: &email,
            now_ms: request.now_ms,
            expires_at: request.now_ms + i64::from(settings.code_valid_days) * DAY_MS,
            max_conversions: settings.max_conversions_per_code,
            identification,
        },
    )
    .await?;
    let (status, referral, stats) = match outcome {
        Recorded::Created(referral) => (201, referral, Stats::default()),
        Recorded::Replayed(referral) => {
            let stats = referral_store::stats(store, &referral.code).await?;
            (200, referral, stats)
        }
    };
    Ok(ApiResponse::json(
        status,
        &card(request, site, &referral, stats),
    ))
}

/// `GET /v1/sites/{site}/referrals/mine?visitor_id=…`, with `Authorization: Customer
/// <token>` for a customer: their card, or 204 if they have not made a code.
pub(super) async fn mine<S: Store>(
    request: &ApiRequest<'_>,
    site: &Site,
    store: &S,
) -> Result<ApiResponse> {
    let visitor_id = visitor_param(request)?;
    let claims = customer_of(request, site)?;
    let (account, identification) = advocate(site, claims.as_ref(), &visitor_id, request.now_ms);
    if let Some(identification) = &identification {
        advocacy::identify(store, identification).await?;
    }
    // No code yet is an ordinary state, not an error: 204, so pages log nothing.
    match referral_store::referral_of(store, &site.key, &account).await? {
        Some(referral) => {
            let stats = referral_store::stats(store, &referral.code).await?;
            Ok(ApiResponse::json(
                200,
                &card(request, site, &referral, stats),
            ))
        }
        None => Ok(ApiResponse::no_content()),
    }
}

/// Only the code's advocate may use it to invite: their browser, or their customer token.
fn owns(referral: &Referral, visitor_id: &str, claims: Option<&CustomerClaims>) -> bool {
    let as_customer = claims
        .is_some_and(|claims| Account::Customer(claims.sub.clone()).key() == referral.advocate);
    let as_visitor = Account::Visitor(visitor_id.to_owned()).key() == referral.advocate;
    as_customer || as_visitor
}

/// `POST /v1/sites/{site}/referrals/{code}/invitations`: up to five friends by email,
/// within the advocate's daily allowance.
pub(super) async fn invite<S: Store, L: RateLimiter>(
    request: &ApiRequest<'_>,
    site: &Site,
    code: &str,
    store: &S,
    limiter: &L,
) -> Result<ApiResponse> {
    let code = referral::code(code)?;
    require_json(request.content_type)?;
    let body: InvitationRequest = parse_body(request.body)?;
    validate::opaque_id("visitor_id", &body.visitor_id)?;
    if body.emails.is_empty() || body.emails.len() > MAX_INVITES_PER_REQUEST {
        return Err(Error::field(
            "emails",
            format!("emails must hold 1 to {MAX_INVITES_PER_REQUEST} addresses"),
        ));
    }
    let emails = body
        .emails
        .iter()
        .map(|email| {
            validate::email(email).map_err(|_| {
                Error::field("emails", format!("{email:?} is not a valid email address"))
            })
        })
        .collect::<Result<Vec<String>>>()?;
    let message = match body.message.as_deref().map(str::trim) {
        Some(message) if !message.is_empty() => Some(validate::text(
            "message",
            message,
            1,
            referral::MAX_MESSAGE_CHARS,
        )?),
        _ => None,
    };
    within_visitor(limiter, site, &body.visitor_id).await?;
    let claims = customer_claims(body.customer_token.as_deref(), site, request.now_ms)?;
    let (referral, sent_today) = referral_store::with_invited_since(
        store,
        &site.key,
        &code,
        share::day_start(request.now_ms),
    )
    .await?;
    let referral = referral
        .filter(|referral| owns(referral, &body.visitor_id, claims.as_ref()))
        .ok_or(Error::UnknownReferral)?;
    let allowance = u64::from(site.config.referral.invitations_per_day);
    let left = allowance.saturating_sub(sent_today);
    if left < emails.len() as u64 {
        let tomorrow = share::day_start(request.now_ms) + DAY_MS;
        return Err(Error::InvitationsExhausted {
            left_today: left,
            retry_after_seconds: u32::try_from((tomorrow - request.now_ms) / 1000)
                .unwrap_or(86_400)
                .max(1),
        });
    }
    let offer = site
        .config
        .referral
        .friend_offer
        .clone()
        .unwrap_or_default();
    let first_name = referral::first_name(&referral.advocate_name);
    let link = format!("{}/r/{}", request.base_url, referral.code);
    let mut text = format!(
        "{first_name} invites you to {}. {offer}\n\n{link}",
        site.config.brand_name
    );
    if let Some(message) = &message {
        text = format!("{message}\n\n{text}");
    }
    let invitations: Vec<(String, Mail)> = emails
        .iter()
        .map(|email| {
            let hash = referral::email_sha256(email);
            let mail = Mail {
                site_id: site.key.clone(),
                recipient: email.clone(),
                template: "referral_invitation",
                subject_id: format!("{code}:{hash}"),
                subject: format!("{first_name} → {}", site.config.brand_name),
                body: text.clone(),
                created_at: request.now_ms,
            };
            (hash, mail)
        })
        .collect();
    let new = referral_store::invite_all(store, &code, &invitations).await?;
    let invited = new.iter().filter(|new| **new).count() as u32;
    let already_invited = emails.len() as u32 - invited;
    Ok(ApiResponse::json(
        200,
        &InvitationsSent {
            invited,
            already_invited,
            left_today: u32::try_from(left - u64::from(invited)).unwrap_or(0),
        },
    ))
}

/// `GET /v1/sites/{site}/referrals/{code}/offer`: what the landing friend is offered.
pub(super) async fn offer<S: Store>(site: &Site, code: &str, store: &S) -> Result<ApiResponse> {
    let code = referral::code(code)?;
    let referral = referral_store::by_code(store, &site.key, &code)
        .await?
        .ok_or(Error::UnknownReferral)?;
    let settings = &site.config.referral;
    Ok(ApiResponse::json(
        200,
        &FriendOffer {
            code: referral.code,
            advocate_first_name: referral::first_name(&referral.advocate_name),
            offer: settings.friend_offer.clone(),
            friend_points: settings.friend_points,
            attribution_days: settings.attribution_days,
        },
    ))
}

/// `POST /v1/sites/{site}/referrals/{code}/visits`: the landing page reports a visit.
pub(super) async fn visit<S: Store, L: RateLimiter>(
    request: &ApiRequest<'_>,
    site: &Site,
    code: &str,
    store: &S,
    limiter: &L,
) -> Result<ApiResponse> {
    let code = referral::code(code)?;
    require_json(request.content_type)?;
    let report: VisitReport = parse_body(request.body)?;
    validate::opaque_id("visitor_id", &report.visitor_id)?;
    within_visitor(limiter, site, &report.visitor_id).await?;
    let referral = referral_store::by_code(store, &site.key, &code)
        .await?
        .ok_or(Error::UnknownReferral)?;
    let outcome = if share::is_bot(request.user_agent) {
        VisitOutcome::Bot
    } else if report.visitor_id == referral.advocate_visitor_id {
        VisitOutcome::OwnLink
    } else if referral_store::record_visit(
        store,
        &code,
        &report.visitor_id,
        share::day_of(request.now_ms),
        request.now_ms,
    )
    .await?
    {
        VisitOutcome::Counted
    } else {
        VisitOutcome::AlreadyCounted
    };
    Ok(ApiResponse::json(
        200,
        &VisitCounted {
            counted: outcome == VisitOutcome::Counted,
            outcome,
            points: 0,
        },
    ))
}

/// `POST /v1/sites/{site}/conversions`: the brand's server reports an order, signed.
pub(super) async fn convert<S: Store>(
    request: &ApiRequest<'_>,
    site: &Site,
    store: &S,
) -> Result<ApiResponse> {
    referral::verify(
        site.customer_token_secret(),
        request.signature,
        request.body,
        request.now_ms.div_euclid(1000),
    )?;
    require_json(request.content_type)?;
    let report: ConversionReport = parse_body(request.body)?;
    let order_id = validate::text(
        "order_id",
        &report.order_id,
        1,
        referral::MAX_ORDER_ID_CHARS,
    )?;
    let code = referral::code(&report.referral_code).map_err(|_| {
        Error::field(
            "referral_code",
            "referral_code must be 10 hexadecimal characters",
        )
    })?;
    referral::sha256_hex("buyer_email_sha256", &report.buyer_email_sha256)?;
    let buyer_customer_id = report
        .buyer_customer_id
        .as_deref()
        .map(|customer| validate::text("buyer_customer_id", customer, 1, 128))
        .transpose()?;
    if report.amount_cents > referral::MAX_AMOUNT_CENTS {
        return Err(Error::field(
            "amount_cents",
            format!(
                "amount_cents must be at most {}",
                referral::MAX_AMOUNT_CENTS
            ),
        ));
    }
    let currency_ok = report.currency.len() == 3
        && report
            .currency
            .bytes()
            .all(|byte| byte.is_ascii_uppercase());
    if !currency_ok {
        return Err(Error::field(
            "currency",
            "currency must be an ISO 4217 code, e.g. EUR",
        ));
    }
    let settings = &site.config.referral;
    let outcome = referral_store::record_conversion(
        store,
        &NewConversion {
            site_id: &site.key,
            order_id: &order_id,
            code: &code,
            buyer_email_sha256: &report.buyer_email_sha256,
            buyer_customer_id: buyer_customer_id.as_deref(),
            amount_cents: i64::try_from(report.amount_cents).unwrap_or(i64::MAX),
            currency: &report.currency,
            advocate_points: settings.advocate_points,
            friend_points: settings.friend_points,
            now_ms: request.now_ms,
        },
    )
    .await?;
    let (replayed, conversion) = match outcome {
        Recorded::Created(conversion) => (false, conversion),
        Recorded::Replayed(conversion) => (true, conversion),
    };
    if conversion.outcome == ConversionOutcome::Credited {
        // Keyed by order: paid once even when the report is retried after a failure here.
        let credit = |account: &str, points: i64, reason: Reason, side: &str| Credit {
            site_id: &site.key,
            account: account.to_owned(),
            reason,
            source: &order_id,
            points: u32::try_from(points).unwrap_or(0),
            daily_cap: None,
            idempotency_key: format!("referral-{side}:{order_id}"),
            now_ms: request.now_ms,
        };
        advocacy::credit_all(
            store,
            &[
                credit(
                    &conversion.advocate,
                    conversion.advocate_points,
                    Reason::Referral,
                    "advocate",
                ),
                credit(
                    &conversion.buyer_account,
                    conversion.friend_points,
                    Reason::Referred,
                    "friend",
                ),
            ],
        )
        .await?;
    }
    Ok(ApiResponse::json(
        if replayed { 200 } else { 201 },
        &ConversionRecorded {
            order_id,
            credited: conversion.outcome == ConversionOutcome::Credited,
            outcome: conversion.outcome,
            advocate_points: conversion.advocate_points,
            friend_points: conversion.friend_points,
            replayed,
        },
    ))
}

/// `GET /v1/sites/{site}/referrals` (admin): the funnel and the codes.
pub(super) async fn funnel<S: Store>(site: &Site, store: &S) -> Result<ApiResponse> {
    let (totals, referrals) = referral_store::funnel(store, &site.key, FUNNEL_LINES).await?;
    Ok(ApiResponse::json(
        200,
        &ReferralFunnel { totals, referrals },
    ))
}

/// `GET /r/{code}`: the referral link, landing on the site with the code for the page to
/// remember.
pub(super) async fn follow<S: Store>(
    request: &ApiRequest<'_>,
    code: &str,
    store: &S,
) -> Result<ApiResponse> {
    if request.method != "GET" && request.method != "HEAD" {
        return Err(Error::MethodNotAllowed);
    }
    let code = referral::code(code)?;
    let site_id = referral_store::site_of(store, &code)
        .await?
        .ok_or(Error::UnknownReferral)?;
    let row = store.site(&site_id).await?.ok_or(Error::UnknownReferral)?;
    let site = Site::from_row(row)?;
    let landing = site
        .config
        .referral
        .landing_url
        .clone()
        .or_else(|| {
            site.allowed_origins
                .first()
                .map(|origin| format!("{origin}/"))
        })
        .ok_or(Error::UnknownReferral)?;
    let landing = share::shareable_url(&site, &landing).map_err(|_| Error::UnknownReferral)?;
    Ok(ApiResponse {
        status: 302,
        headers: vec![
            (
                "location",
                share::landing_url_with(&landing, MARKER_PARAM, &code),
            ),
            ("cache-control", "no-store".to_owned()),
        ],
        body: String::new(),
        log: None,
        export: None,
    })
}
