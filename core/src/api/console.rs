//! The brand console's routes: its session (the admin token exchanged once for a cookie)
//! and the NPS figures and comments it shows.

use super::{
    ApiRequest, ApiResponse, DateRange, parse_body, parse_body_strictly, query_params, require_json,
};
use crate::error::{Error, Result};
use crate::nps::Category;
use crate::paging::{self, Cursor};
use crate::report::{self, CommentQuery, Filter};
use crate::session;
use crate::settings::{self, SiteSettings};
use crate::site::Site;
use crate::store::Store;
use crate::validate;
use crate::wire::{ConsoleSession, ErasureLog, ErasureRequest, PrivacyRequest, SignIn};

/// `POST …/console/session`: checks the admin token and opens a session cookie. Only
/// the console page, served by this worker, may sign in: the request must come from the
/// worker's own origin.
pub(super) fn sign_in(request: &ApiRequest<'_>, site: &Site) -> Result<ApiResponse> {
    require_own_origin(request)?;
    require_json(request.content_type)?;
    let sign_in: SignIn = parse_body(request.body)?;
    if !site.admin_token_matches(sign_in.token.trim()) {
        return Err(Error::Unauthorized);
    }
    let expires_at = request.now_ms.div_euclid(1000) + session::LIFETIME_SECONDS;
    let value = site.session_key().issue(expires_at);
    let mut response = ApiResponse::json(200, &session_of(site, Some(expires_at)));
    response.set_header("set-cookie", session::set_cookie(&site.key, &value));
    Ok(response)
}

/// `GET …/console/session`: who is signed in, until when (admin).
pub(super) fn current(request: &ApiRequest<'_>, site: &Site) -> Result<ApiResponse> {
    let now = request.now_ms.div_euclid(1000);
    let expires_at = session::from_cookie_header(request.cookie)
        .and_then(|value| site.session_key().verify(value, now));
    Ok(ApiResponse::json(200, &session_of(site, expires_at)))
}

/// `POST …/console/sign-out`: ends the session in this browser (admin).
pub(super) fn sign_out(site: &Site) -> ApiResponse {
    let mut response = ApiResponse::no_content();
    response.set_header("set-cookie", session::clear_cookie(&site.key));
    response
}

fn session_of(site: &Site, expires_at: Option<i64>) -> ConsoleSession {
    ConsoleSession {
        site: site.key.clone(),
        brand_name: site.config.brand_name.clone(),
        expires_at,
    }
}

/// Refuses a request that does not come from a page of this worker's own origin.
pub(super) fn require_own_origin(request: &ApiRequest<'_>) -> Result<()> {
    match request.origin {
        Some(origin) if origin == request.base_url => Ok(()),
        Some(origin) => Err(Error::OriginNotAllowed(origin.to_owned())),
        None => Err(Error::OriginRequired),
    }
}

/// The date range and page filter of the console's NPS reads.
fn filter_of(request: &ApiRequest<'_>) -> Result<(DateRange, Filter)> {
    let range = DateRange::of(request)?;
    let page = query_params(request.query)?.remove("page");
    let page = validate::page_url(page.as_deref()).map_err(|_| Error::InvalidQuery {
        param: "page".to_owned(),
        message: "page must be the http(s) URL of a page answers came from".to_owned(),
    })?;
    let filter = Filter {
        from_ms: range.from_ms,
        to_ms: range.to_ms,
        page,
    };
    Ok((range, filter))
}

/// `GET …/nps/report?from&to&page` (admin).
pub(super) async fn nps_report<S: Store>(
    request: &ApiRequest<'_>,
    site: &Site,
    store: &S,
) -> Result<ApiResponse> {
    let (range, filter) = filter_of(request)?;
    let report = report::nps_report(store, &site.key, &filter, range.from, range.to).await?;
    Ok(ApiResponse::json(200, &report))
}

/// `GET …/nps/comments?from&to&page&category&unhandled&cursor&limit` (admin).
pub(super) async fn nps_comments<S: Store>(
    request: &ApiRequest<'_>,
    site: &Site,
    store: &S,
) -> Result<ApiResponse> {
    let (_, filter) = filter_of(request)?;
    let params = query_params(request.query)?;
    let category = match params.get("category").map(String::as_str) {
        None => None,
        Some("promoter") => Some(Category::Promoter),
        Some("passive") => Some(Category::Passive),
        Some("detractor") => Some(Category::Detractor),
        Some(_) => {
            return Err(Error::InvalidQuery {
                param: "category".to_owned(),
                message: "category must be promoter, passive or detractor".to_owned(),
            });
        }
    };
    let unhandled = match params.get("unhandled").map(String::as_str) {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => {
            return Err(Error::InvalidQuery {
                param: "unhandled".to_owned(),
                message: "unhandled must be true or false".to_owned(),
            });
        }
    };
    let cursor = params
        .get("cursor")
        .map(|value| Cursor::decode(value, 1))
        .transpose()?;
    let limit = paging::page_size(params.get("limit").map(String::as_str))?;
    let query = CommentQuery {
        category,
        unhandled,
    };
    let page = report::comments(store, &site.key, &filter, &query, cursor.as_ref(), limit).await?;
    Ok(ApiResponse::json(200, &page))
}

/// `POST …/nps/{answer}/handled` (admin): someone at the brand took care of this comment.
pub(super) async fn nps_handled<S: Store>(
    request: &ApiRequest<'_>,
    site: &Site,
    answer: &str,
    store: &S,
) -> Result<ApiResponse> {
    validate::stored_id(answer, Error::NotFound)?;
    let comment = report::mark_handled(store, &site.key, answer, request.now_ms).await?;
    Ok(ApiResponse::json(200, &comment))
}

/// `GET …/settings` (admin): the settings as stored.
pub(super) fn settings(site: &Site) -> ApiResponse {
    ApiResponse::json(
        200,
        &SiteSettings {
            allowed_origins: site.allowed_origins.clone(),
            config: site.config.clone(),
        },
    )
}

/// `POST …/settings` (admin): replaces the settings, all checked before any is saved.
/// Widgets see the change when their cached configuration expires (a minute at most).
pub(super) async fn save_settings<S: Store>(
    request: &ApiRequest<'_>,
    site: &Site,
    store: &S,
) -> Result<ApiResponse> {
    require_json(request.content_type)?;
    let proposed: SiteSettings = parse_body_strictly(request.body)?;
    let checked = settings::validated(proposed)?;
    settings::save(store, &site.key, &checked).await?;
    Ok(ApiResponse::json(200, &checked))
}

/// `GET …/funnels?from&to` (admin): the share and referral funnels by week.
pub(super) async fn funnels<S: Store>(
    request: &ApiRequest<'_>,
    site: &Site,
    store: &S,
) -> Result<ApiResponse> {
    let range = DateRange::of(request)?;
    let funnels = crate::funnels::funnels(store, &site.key, range.from_ms, range.to_ms).await?;
    Ok(ApiResponse::json(200, &funnels))
}

/// `POST …/privacy/export` (admin): everything stored about a person, found from their
/// email address (sent in the body, never in a URL that logs keep).
pub(super) async fn privacy_export<S: Store>(
    request: &ApiRequest<'_>,
    site: &Site,
    store: &S,
) -> Result<ApiResponse> {
    require_json(request.content_type)?;
    let asked: PrivacyRequest = parse_body(request.body)?;
    let data = crate::privacy::export(store, &site.key, &asked.email).await?;
    Ok(ApiResponse::json(200, &data))
}

/// `POST …/privacy/erase` (admin): erases a person and logs who did it.
pub(super) async fn privacy_erase<S: Store>(
    request: &ApiRequest<'_>,
    site: &Site,
    store: &S,
) -> Result<ApiResponse> {
    require_json(request.content_type)?;
    let asked: ErasureRequest = parse_body(request.body)?;
    let erasure = crate::privacy::erase(
        store,
        &site.key,
        &asked.email,
        &asked.requested_by,
        request.now_ms,
    )
    .await?;
    Ok(ApiResponse::json(200, &erasure))
}

/// `GET …/privacy/erasures` (admin): the erasure log.
pub(super) async fn erasures<S: Store>(site: &Site, store: &S) -> Result<ApiResponse> {
    let erasures = crate::privacy::erasures(store, &site.key).await?;
    Ok(ApiResponse::json(200, &ErasureLog { erasures }))
}

/// `GET …/exports/{table}.csv` or `.json` (admin): the headers of a table's export; its
/// body is made page by page by whoever sends it (the worker streams it).
pub(super) fn export(site: &Site, file: &str) -> Result<ApiResponse> {
    let export = crate::export::Export::of_file(&site.key, file)?;
    let mut response = ApiResponse::no_content();
    response.status = 200;
    response.set_header("content-type", export.content_type().to_owned());
    response.set_header("content-disposition", export.disposition());
    response.export = Some(export);
    Ok(response)
}
