//! The brand console's routes over the real SQL on SQLite: signing in with the admin
//! token for a session cookie, what the cookie opens and from where, and the NPS report
//! and comments the console shows, and its one moderation queue.

mod support;

use portevoix_core::api::ApiResponse;
use portevoix_core::moderation::{QueueItem, one_queue};
use portevoix_core::wire::{
    AdminAnswerPage, AdminQuestionPage, AdminReviewPage, ConsoleSession, NpsComment,
    NpsCommentPage, NpsReport,
};
use support::*;

const CONSOLE: &str = "https://portevoix.test";
const NOV_24: i64 = 1_763_942_400_000; // Monday 2025-11-24T00:00:00Z
const DAY: i64 = 86_400_000;

fn sign_in(store: &SqliteStore, body: &str, origin: Option<&str>) -> ApiResponse {
    let mut request = request("POST", "/v1/sites/cairn/console/session", body.as_bytes());
    request.origin = origin;
    run(store, &request)
}

/// The `name=value` of a `Set-Cookie` header, as a browser would send it back.
fn cookie_of(response: &ApiResponse) -> String {
    let set_cookie = response.header("set-cookie").expect("a session cookie");
    set_cookie.split(';').next().expect("name=value").to_owned()
}

fn signed_in(store: &SqliteStore) -> String {
    let response = sign_in(
        store,
        &format!(r#"{{"token":"{ADMIN_TOKEN}"}}"#),
        Some(CONSOLE),
    );
    assert_eq!(response.status, 200, "{}", response.body);
    cookie_of(&response)
}

/// A console read with `cookie`, sent as the console page sends it (no Origin on GET).
fn console_get(store: &SqliteStore, path: &str, query: &str, cookie: Option<&str>) -> ApiResponse {
    let mut request = request("GET", path, b"");
    request.query = query;
    request.origin = None;
    request.cookie = cookie;
    run(store, &request)
}

#[test]
fn the_admin_token_opens_a_strict_http_only_session_cookie() {
    let store = SqliteStore::new();
    let response = sign_in(
        &store,
        &format!(r#"{{"token":"{ADMIN_TOKEN}"}}"#),
        Some(CONSOLE),
    );
    assert_eq!(response.status, 200);
    let set_cookie = response.header("set-cookie").expect("cookie");
    for flag in [
        "HttpOnly",
        "Secure",
        "SameSite=Strict",
        "Path=/v1/sites/cairn/",
        "Max-Age=7200",
    ] {
        assert!(set_cookie.contains(flag), "{set_cookie} lacks {flag}");
    }
    assert!(
        !set_cookie.contains(ADMIN_TOKEN),
        "the token itself is never the cookie"
    );
    let session: ConsoleSession = serde_json::from_str(&response.body).expect("session");
    assert_eq!(session.site, "cairn");
    assert_eq!(session.expires_at, Some(NOW_MS / 1000 + 7200));

    let cookie = cookie_of(&response);
    let current = console_get(&store, "/v1/sites/cairn/console/session", "", Some(&cookie));
    assert_eq!(current.status, 200);
    let current: ConsoleSession = serde_json::from_str(&current.body).expect("session");
    assert_eq!(current.expires_at, Some(NOW_MS / 1000 + 7200));

    let bearer = format!("Bearer {ADMIN_TOKEN}");
    let by_token = run(
        &store,
        &admin_request("GET", "/v1/sites/cairn/console/session", b"", &bearer),
    );
    let by_token: ConsoleSession = serde_json::from_str(&by_token.body).expect("session");
    assert_eq!(
        by_token.expires_at, None,
        "the admin token opens no session"
    );
}

#[test]
fn sign_in_refuses_a_wrong_token_a_foreign_page_and_bad_bodies() {
    let store = SqliteStore::new();
    let good = format!(r#"{{"token":"{ADMIN_TOKEN}"}}"#);
    let cases = [
        (
            r#"{"token":"not-the-token"}"#,
            Some(CONSOLE),
            401,
            "unauthorized",
        ),
        (good.as_str(), Some(ORIGIN), 403, "origin_not_allowed"),
        (good.as_str(), None, 403, "origin_required"),
        (r#"{"token":12}"#, Some(CONSOLE), 422, "invalid_field"),
        (r#"{}"#, Some(CONSOLE), 422, "invalid_field"),
        (r#"["#, Some(CONSOLE), 400, "invalid_json"),
        (
            r#"{"token":"x","admin":true}"#,
            Some(CONSOLE),
            422,
            "invalid_field",
        ),
    ];
    for (body, origin, status, code) in cases {
        let response = sign_in(&store, body, origin);
        assert_eq!(
            (response.status, error_of(&response).1.as_str()),
            (status, code),
            "{body} from {origin:?}: {}",
            response.body
        );
        assert!(response.header("set-cookie").is_none());
    }
    let oversized = format!(r#"{{"token":"{}"}}"#, "a".repeat(70_000));
    assert_eq!(sign_in(&store, &oversized, Some(CONSOLE)).status, 413);
}

#[test]
fn a_session_opens_admin_reads_of_its_own_site_only_and_writes_from_the_console_only() {
    let store = SqliteStore::new();
    store.add_site("cairn-nuit");
    let cookie = signed_in(&store);

    let report = console_get(&store, "/v1/sites/cairn/nps/report", "", Some(&cookie));
    assert_eq!(report.status, 200, "{}", report.body);
    let other_site = console_get(&store, "/v1/sites/cairn-nuit/nps/report", "", Some(&cookie));
    assert_eq!(other_site.status, 401);
    for forged in [
        "pv_console=1.abc",
        "pv_console=",
        "pv_console=99999999999.x",
        "other=1",
    ] {
        let response = console_get(&store, "/v1/sites/cairn/nps/report", "", Some(forged));
        assert_eq!(response.status, 401, "{forged}");
    }
    assert_eq!(
        console_get(&store, "/v1/sites/cairn/nps/report", "", None).status,
        401
    );

    // A page of the brand's own site cannot use a marketer's session.
    let mut foreign = request("GET", "/v1/sites/cairn/nps/report", b"");
    foreign.cookie = Some(&cookie);
    assert_eq!(error_of(&run(&store, &foreign)).1, "origin_not_allowed");

    store.insert_commented_answer("a1", 2, NOV_24, "Livraison en retard", None);
    let mut write = request(
        "POST",
        "/v1/sites/cairn/nps/a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1/handled",
        b"",
    );
    write.cookie = Some(&cookie);
    assert_eq!(error_of(&run(&store, &write)).1, "origin_not_allowed");
    write.origin = Some(CONSOLE);
    assert_eq!(run(&store, &write).status, 200);
}

#[test]
fn a_session_ends_when_it_expires_when_signed_out_or_when_the_admin_token_changes() {
    let store = SqliteStore::new();
    let cookie = signed_in(&store);
    let mut later = request("GET", "/v1/sites/cairn/nps/report", b"");
    later.origin = None;
    later.cookie = Some(&cookie);
    later.now_ms = NOW_MS + 7_200_000;
    assert_eq!(run(&store, &later).status, 401, "expired");

    let mut sign_out = request("POST", "/v1/sites/cairn/console/sign-out", b"");
    sign_out.origin = Some(CONSOLE);
    sign_out.cookie = Some(&cookie);
    let response = run(&store, &sign_out);
    assert_eq!(response.status, 204);
    assert!(
        response
            .header("set-cookie")
            .is_some_and(|value| value.contains("Max-Age=0"))
    );

    store.replace_admin_token("a-new-admin-token");
    let response = console_get(&store, "/v1/sites/cairn/nps/report", "", Some(&cookie));
    assert_eq!(response.status, 401, "a new admin token ends every session");
}

#[test]
fn the_report_has_the_score_its_weeks_and_pages_and_filters_by_page() {
    let store = SqliteStore::new();
    let tents = Some("https://cairn.example/tentes");
    let bags = Some("https://cairn.example/sacs");
    store.insert_commented_answer("01", 10, NOV_24, "Parfait", tents);
    store.insert_commented_answer("02", 9, NOV_24 + DAY, "Top", tents);
    store.insert_commented_answer("03", 3, NOV_24 + 6 * DAY, "Déçu", bags);
    store.insert_commented_answer("04", 8, NOV_24 + 7 * DAY, "Bien", tents);
    store.insert_commented_answer("05", 0, NOV_24 - DAY, "Jamais", bags);

    let cookie = signed_in(&store);
    let all: NpsReport = serde_json::from_str(
        &console_get(&store, "/v1/sites/cairn/nps/report", "", Some(&cookie)).body,
    )
    .expect("report");
    assert_eq!((all.summary.total, all.summary.nps), (5, Some(0.0)));
    let weeks: Vec<(&str, u64, u64)> = all
        .weeks
        .iter()
        .map(|week| (week.week.as_str(), week.total, week.detractors))
        .collect();
    assert_eq!(
        weeks,
        [
            ("2025-11-17", 1, 1),
            ("2025-11-24", 3, 1),
            ("2025-12-01", 1, 0)
        ]
    );
    assert_eq!(all.pages[0].page_url, "https://cairn.example/tentes");
    assert_eq!(all.pages[0].total, 3);

    let query = "from=2025-11-24&to=2025-11-30&page=https%3A%2F%2Fcairn.example%2Ftentes";
    let tents_only: NpsReport = serde_json::from_str(
        &console_get(&store, "/v1/sites/cairn/nps/report", query, Some(&cookie)).body,
    )
    .expect("report");
    assert_eq!(
        (
            tents_only.summary.total,
            tents_only.summary.promoters,
            tents_only.summary.nps
        ),
        (2, 2, Some(100.0))
    );
    assert_eq!(tents_only.page.as_deref(), tents);

    for bad in [
        "page=javascript:alert(1)",
        "from=2025-13-01",
        "from=2025-12-02&to=2025-12-01",
    ] {
        let response = console_get(&store, "/v1/sites/cairn/nps/report", bad, Some(&cookie));
        assert_eq!(response.status, 400, "{bad}");
    }
}

#[test]
fn detractors_comments_to_handle_are_listed_and_marked_handled_once() {
    let store = SqliteStore::new();
    store.insert_commented_answer("a1", 2, NOV_24, "<script>alert(1)</script> retard", None);
    store.insert_commented_answer("a2", 10, NOV_24 + 1, "Super", None);
    store.insert_commented_answer("a3", 5, NOV_24 + 2, "Fermeture cassée", None);
    let cookie = signed_in(&store);
    let to_handle = |cookie: &str| -> NpsCommentPage {
        let response = console_get(
            &store,
            "/v1/sites/cairn/nps/comments",
            "category=detractor&unhandled=true",
            Some(cookie),
        );
        serde_json::from_str(&response.body).expect("comments")
    };
    let page = to_handle(&cookie);
    let texts: Vec<&str> = page
        .comments
        .iter()
        .map(|comment| comment.comment.as_str())
        .collect();
    assert_eq!(
        texts,
        ["Fermeture cassée", "<script>alert(1)</script> retard"]
    );

    let id = page.comments[0].id.clone();
    let path = format!("/v1/sites/cairn/nps/{id}/handled");
    let mut handle = request("POST", &path, b"");
    handle.origin = Some(CONSOLE);
    handle.cookie = Some(&cookie);
    let first: NpsComment = serde_json::from_str(&run(&store, &handle).body).expect("comment");
    assert_eq!(first.handled_at, Some(NOW_MS));
    handle.now_ms = NOW_MS + 1_000;
    let again: NpsComment = serde_json::from_str(&run(&store, &handle).body).expect("comment");
    assert_eq!(
        again.handled_at,
        Some(NOW_MS),
        "handled once, at the first time"
    );
    assert_eq!(to_handle(&cookie).comments.len(), 1);

    for (bad, status) in [
        ("category=angry", 400),
        ("unhandled=yes", 400),
        ("cursor=not-a-cursor", 400),
        ("limit=0", 400),
    ] {
        let response = console_get(&store, "/v1/sites/cairn/nps/comments", bad, Some(&cookie));
        assert_eq!(response.status, status, "{bad}");
    }
    let mut unknown = request(
        "POST",
        "/v1/sites/cairn/nps/ffffffffffffffffffffffffffffffff/handled",
        b"",
    );
    unknown.origin = Some(CONSOLE);
    unknown.cookie = Some(&cookie);
    assert_eq!(run(&store, &unknown).status, 404);
    let mut hostile = request("POST", "/v1/sites/cairn/nps/'%20OR%201=1/handled", b"");
    hostile.origin = Some(CONSOLE);
    hostile.cookie = Some(&cookie);
    assert_eq!(run(&store, &hostile).status, 404);
}

#[test]
fn comments_page_newest_first() {
    let store = SqliteStore::new();
    for index in 0..5 {
        let id = format!("{index:02}");
        store.insert_commented_answer(
            &id,
            9,
            NOV_24 + index,
            &format!("commentaire {index}"),
            None,
        );
    }
    let cookie = signed_in(&store);
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let query = match &cursor {
            Some(cursor) => format!("limit=2&cursor={cursor}"),
            None => "limit=2".to_owned(),
        };
        let response = console_get(
            &store,
            "/v1/sites/cairn/nps/comments",
            &query,
            Some(&cookie),
        );
        let page: NpsCommentPage = serde_json::from_str(&response.body).expect("page");
        seen.extend(page.comments.into_iter().map(|comment| comment.comment));
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert_eq!(
        seen,
        [
            "commentaire 4",
            "commentaire 3",
            "commentaire 2",
            "commentaire 1",
            "commentaire 0"
        ]
    );
}

#[test]
fn the_three_pending_queues_make_one_oldest_first() {
    let store = SqliteStore::new();
    let post = |path: &str, body: String, at: i64| {
        let mut request = request("POST", path, body.as_bytes());
        request.now_ms = at;
        let response = run(&store, &request);
        assert_eq!(response.status, 201, "{}", response.body);
    };
    let visitor = |n: u8| {
        format!(
            r#""visitor_id":"visitor-{n:04}","idempotency_key":"key-{n:04}-0000","elapsed_ms":30000"#
        )
    };
    post(
        "/v1/sites/cairn/products/bivouac-2/questions",
        format!(
            r#"{{"text":"Le double toit est-il traité anti-UV ?","author_name":"Sam",{}}}"#,
            visitor(1)
        ),
        NOW_MS,
    );
    post(
        "/v1/sites/cairn/products/bivouac-2/reviews",
        format!(
            r#"{{"rating":4,"title":"Solide","text":"Montée en cinq minutes, sèche après l'orage.","author_name":"Lou",{}}}"#,
            visitor(2)
        ),
        NOW_MS - 60_000,
    );
    let admin = |path: &str| {
        let mut request = request("GET", path, b"");
        request.query = "status=pending";
        let bearer = format!("Bearer {ADMIN_TOKEN}");
        request.authorization = Some(&bearer);
        run(&store, &request).body
    };
    let reviews: AdminReviewPage =
        serde_json::from_str(&admin("/v1/sites/cairn/reviews")).expect("reviews");
    let questions: AdminQuestionPage =
        serde_json::from_str(&admin("/v1/sites/cairn/questions")).expect("questions");
    let answers: AdminAnswerPage =
        serde_json::from_str(&admin("/v1/sites/cairn/answers")).expect("answers");
    let queue = one_queue(reviews.reviews, questions.questions, answers.answers);
    assert!(matches!(
        queue.as_slice(),
        [QueueItem::Review(_), QueueItem::Question(_)]
    ));
    assert!(queue[1].moderation_route().starts_with("questions/"));
}

#[test]
fn settings_are_read_checked_in_full_and_saved() {
    let store = SqliteStore::new();
    let bearer = format!("Bearer {ADMIN_TOKEN}");
    let read = run(
        &store,
        &admin_request("GET", "/v1/sites/cairn/settings", b"", &bearer),
    );
    assert_eq!(read.status, 200, "{}", read.body);
    let mut settings: serde_json::Value = serde_json::from_str(&read.body).expect("settings");
    assert_eq!(settings["allowed_origins"], serde_json::json!([ORIGIN]));

    settings["config"]["brand_name"] = "Cairn Montagne".into();
    settings["config"]["theme"]["accent"] = "#b3261e".into();
    settings["allowed_origins"] = serde_json::json!([ORIGIN, "https://Shop.Cairn.example/"]);
    let body = settings.to_string();
    let saved = run(
        &store,
        &admin_request("POST", "/v1/sites/cairn/settings", body.as_bytes(), &bearer),
    );
    assert_eq!(saved.status, 200, "{}", saved.body);

    let mut public = request("GET", "/v1/sites/cairn/config", b"");
    public.origin = Some("https://shop.cairn.example");
    let config = run(&store, &public);
    assert_eq!(config.status, 200, "the new origin is allowed at once");
    let config: serde_json::Value = serde_json::from_str(&config.body).expect("config");
    assert_eq!(config["brand_name"], "Cairn Montagne");
    assert_eq!(config["theme"]["accent"], "#b3261e");
}

#[test]
fn settings_take_bodies_up_to_64_kb_where_other_routes_stop_at_16() {
    let store = SqliteStore::new();
    let bearer = format!("Bearer {ADMIN_TOKEN}");
    let read = run(
        &store,
        &admin_request("GET", "/v1/sites/cairn/settings", b"", &bearer),
    );
    let padded = |bytes: usize| format!("{}{}", read.body, " ".repeat(bytes - read.body.len()));
    let under = padded(60 * 1024);
    let saved = run(
        &store,
        &admin_request(
            "POST",
            "/v1/sites/cairn/settings",
            under.as_bytes(),
            &bearer,
        ),
    );
    assert_eq!(saved.status, 200, "{}", saved.body);
    let over = padded(64 * 1024 + 1);
    let refused = run(
        &store,
        &admin_request("POST", "/v1/sites/cairn/settings", over.as_bytes(), &bearer),
    );
    assert_eq!(error_of(&refused).1, "payload_too_large");
    assert_eq!(
        portevoix_core::api::body_limit("/v1/sites/cairn/nps"),
        16 * 1024
    );
    assert_eq!(
        portevoix_core::api::body_limit("/v1/sites/cairn/settings"),
        64 * 1024
    );
}

#[test]
fn a_misspelt_or_repeated_settings_field_at_any_depth_is_refused_and_named() {
    let store = SqliteStore::new();
    let bearer = format!("Bearer {ADMIN_TOKEN}");
    let before = store.number("SELECT length(config) FROM sites WHERE id = 'cairn'");
    let cases = [
        (r#"{"brand_nmae":"Cairn Montagne"}"#, "config.brand_nmae"),
        (
            r##"{"brand_name":"Cairn","theme":{"acent":"#b3261e"}}"##,
            "config.theme.acent",
        ),
        (
            r#"{"brand_name":"Cairn","rewards":{"points_per_reveiw":5}}"#,
            "config.rewards.points_per_reveiw",
        ),
        (
            r#"{"brand_name":"Cairn","nps":{"ask_again_after_days":3651}}"#,
            "config.nps.ask_again_after_days",
        ),
        (
            r#"{"brand_name":"Cairn","nps":{"ask_again_after_day":30}}"#,
            "config.nps.ask_again_after_day",
        ),
        (
            r#"{"brand_name":"Cairn","copy":{"fr":{"nps.question":"Recommanderiez-vous {marque} ?"}}}"#,
            "config.copy.fr.nps.question",
        ),
        (
            r##"{"brand_name":"Cairn","theme":{"accent":"#b3261e","accent":"#1e3a5f"}}"##,
            "config.theme.accent",
        ),
    ];
    for (config, field) in cases {
        let body = format!(r#"{{"allowed_origins":["{ORIGIN}"],"config":{config}}}"#);
        let response = run(
            &store,
            &admin_request("POST", "/v1/sites/cairn/settings", body.as_bytes(), &bearer),
        );
        let (status, code, named) = error_of(&response);
        assert_eq!(
            (status, code.as_str(), named.as_deref()),
            (422, "invalid_field", Some(field)),
            "{body}"
        );
    }
    let after = store.number("SELECT length(config) FROM sites WHERE id = 'cairn'");
    assert_eq!(after, before, "nothing was saved");
}

#[test]
fn broken_settings_are_refused_whole_and_change_nothing() {
    let store = SqliteStore::new();
    let bearer = format!("Bearer {ADMIN_TOKEN}");
    let before = store
        .number("SELECT length(config) + length(allowed_origins) FROM sites WHERE id = 'cairn'");
    let good_config = r#"{"brand_name":"Cairn"}"#;
    let cases = [
        (format!(r#"{{"allowed_origins":"{ORIGIN}","config":{good_config}}}"#), 422, "invalid_field"),
        (format!(r#"{{"config":{good_config}}}"#), 422, "invalid_field"),
        (r#"{"allowed_origins":[]}"#.to_owned(), 422, "invalid_field"),
        (format!(r#"{{"allowed_origins":[],"config":{good_config},"secret":1}}"#), 422, "invalid_field"),
        (r#"{"allowed_origins":[],"config":{"brand_name":"Cairn","theme":{"accent":"red;}*{display:none"}}}"#.to_owned(), 422, "invalid_field"),
        (r#"{"allowed_origins":["javascript:alert(1)"],"config":{"brand_name":"Cairn"}}"#.to_owned(), 422, "invalid_field"),
        (r#"{"allowed_origins":[],"config":{"brand_name":"<script>alert(1)</script>","contact_url":"javascript:alert(1)"}}"#.to_owned(), 422, "invalid_field"),
        (r#"{"allowed_origins":[],"config":{"brand_name":"Cairn","rewards":{"points_per_review":-5}}}"#.to_owned(), 422, "invalid_field"),
        (r#"{"allowed_origins":[],"config":{"brand_name":"Cairn","nps":{"ask_again_after_days":"ninety"}}}"#.to_owned(), 422, "invalid_field"),
        ("[".to_owned(), 400, "invalid_json"),
        (format!(r#"{{"allowed_origins":[],"config":{{"brand_name":"{}"}}}}"#, "a".repeat(70_000)), 413, "payload_too_large"),
    ];
    for (body, status, code) in cases {
        let response = run(
            &store,
            &admin_request("POST", "/v1/sites/cairn/settings", body.as_bytes(), &bearer),
        );
        assert_eq!(
            (response.status, error_of(&response).1.as_str()),
            (status, code),
            "{body}"
        );
    }
    let unknown_site = run(
        &store,
        &admin_request("POST", "/v1/sites/nowhere/settings", b"{}", &bearer),
    );
    assert_eq!(unknown_site.status, 404);
    let wrong_token = run(
        &store,
        &admin_request("POST", "/v1/sites/cairn/settings", b"{}", "Bearer nope"),
    );
    assert_eq!(wrong_token.status, 401);
    let after = store
        .number("SELECT length(config) + length(allowed_origins) FROM sites WHERE id = 'cairn'");
    assert_eq!(after, before, "nothing was saved");
}

#[test]
fn an_admin_token_opens_its_own_site_only() {
    let store = SqliteStore::new();
    store.add_site("cairn-nuit");
    store.execute(&format!(
        "UPDATE sites SET admin_token_sha256 = '{}' WHERE id = 'cairn-nuit'",
        portevoix_core::site::hex_sha256(b"the-night-token")
    ));
    let read = |site: &str, token: &str| {
        let path = format!("/v1/sites/{site}/nps/report");
        let bearer = format!("Bearer {token}");
        let mut request = request("GET", &path, b"");
        request.origin = None;
        request.authorization = Some(&bearer);
        run(&store, &request).status
    };
    assert_eq!(read("cairn", ADMIN_TOKEN), 200);
    assert_eq!(read("cairn-nuit", "the-night-token"), 200);
    assert_eq!(
        read("cairn-nuit", ADMIN_TOKEN),
        401,
        "cairn's token on another site"
    );
    assert_eq!(
        read("cairn", "the-night-token"),
        401,
        "another site's token on cairn"
    );
}
