//! Request handling through the storage trait, natively: every route, every refusal, and
//! proof that a refused request stores nothing.

mod support;

use portevoix_core::api::{ApiResponse, handle};
use portevoix_core::token::{CustomerClaims, sign};
use portevoix_core::wire::{NpsCreated, NpsSummary, PublicSiteConfig, ThemeReport};
use serde_json::{Value, json};
use support::{
    ADMIN_TOKEN, CUSTOMER_SECRET, FakeTurnstile, HUMAN_TOKEN, MemoryLimiter, NOW_MS, ORIGIN, SITE,
    SqliteStore, error_of, request, run,
};

fn post_nps(store: &SqliteStore, body: &Value) -> ApiResponse {
    let bytes = body.to_string().into_bytes();
    run(store, &request("POST", "/v1/sites/cairn/nps", &bytes))
}

fn answer(score: u8, key: &str) -> Value {
    json!({
        "score": score,
        "comment": "Tente montée en 5 minutes",
        "visitor_id": "visitor-0001",
        "idempotency_key": key,
        "page_url": "https://cairn.example/tentes",
        "locale": "fr"
    })
}

fn summary(store: &SqliteStore, query: &str, token: Option<&str>) -> ApiResponse {
    let authorization = token.map(|token| format!("Bearer {token}"));
    let mut request = request("GET", "/v1/sites/cairn/nps/summary", b"");
    request.query = query;
    request.origin = None;
    request.authorization = authorization.as_deref();
    run(store, &request)
}

#[test]
fn an_answer_is_stored_with_its_category() {
    let store = SqliteStore::new();
    let response = post_nps(&store, &answer(10, "key-00000001"));
    assert_eq!(response.status, 201);
    assert_eq!(response.header("access-control-allow-origin"), Some(ORIGIN));
    let created: NpsCreated = serde_json::from_str(&response.body).expect("created body");
    assert_eq!(created.category.as_str(), "promoter");
    assert_eq!(store.nps_rows(), 1);
    assert_eq!(
        store.nps_column(&created.id, "comment").as_deref(),
        Some("Tente montée en 5 minutes")
    );
    assert_eq!(store.nps_column(&created.id, "customer_id"), None);
}

#[test]
fn every_answer_carries_the_security_headers() {
    let store = SqliteStore::new();
    let responses = [
        post_nps(&store, &answer(9, "key-00000099")),
        run(&store, &request("GET", "/v1/sites/cairn/config", b"")),
        run(&store, &request("OPTIONS", "/v1/sites/cairn/nps", b"")),
        run(&store, &request("GET", "/nowhere", b"")),
        post_nps(&store, &json!({"score": 99})),
    ];
    for response in responses {
        for (name, value) in portevoix_core::api::SECURITY_HEADERS {
            assert_eq!(
                response.header(name),
                Some(value),
                "{name} on {}",
                response.status
            );
        }
    }
}

#[test]
fn a_retry_returns_the_first_answer_and_stores_nothing_new() {
    let store = SqliteStore::new();
    let first = post_nps(&store, &answer(3, "key-00000002"));
    let retry = post_nps(&store, &answer(3, "key-00000002"));
    assert_eq!((first.status, retry.status), (201, 200));
    assert_eq!(first.body, retry.body);
    assert_eq!(store.nps_rows(), 1);
}

#[test]
fn the_same_key_on_another_answer_still_returns_the_first() {
    let store = SqliteStore::new();
    let first = post_nps(&store, &answer(3, "key-00000003"));
    let changed = post_nps(&store, &answer(10, "key-00000003"));
    assert_eq!(changed.status, 200);
    assert_eq!(first.body, changed.body);
    assert_eq!(store.nps_rows(), 1);
}

#[test]
fn every_invalid_field_is_refused_with_its_name_and_nothing_is_stored() {
    let store = SqliteStore::new();
    let cases: Vec<(Value, &str)> = vec![
        (
            json!({"score": 11, "visitor_id": "visitor-0001", "idempotency_key": "key-00000004"}),
            "score",
        ),
        (
            json!({"score": -1, "visitor_id": "visitor-0001", "idempotency_key": "key-00000004"}),
            "score",
        ),
        (
            json!({"score": 7.5, "visitor_id": "visitor-0001", "idempotency_key": "key-00000004"}),
            "score",
        ),
        (
            json!({"score": "7", "visitor_id": "visitor-0001", "idempotency_key": "key-00000004"}),
            "score",
        ),
        (
            json!({"score": null, "visitor_id": "visitor-0001", "idempotency_key": "key-00000004"}),
            "score",
        ),
        (
            json!({"score": 99999999999u64, "visitor_id": "visitor-0001", "idempotency_key": "key-00000004"}),
            "score",
        ),
        (
            json!({"visitor_id": "visitor-0001", "idempotency_key": "key-00000004"}),
            "score",
        ),
        (
            json!({"score": 7, "idempotency_key": "key-00000004"}),
            "visitor_id",
        ),
        (
            json!({"score": 7, "visitor_id": "visitor-0001"}),
            "idempotency_key",
        ),
        (
            json!({"score": 7, "visitor_id": 12345678, "idempotency_key": "key-00000004"}),
            "visitor_id",
        ),
        (
            json!({"score": 7, "visitor_id": "v", "idempotency_key": "key-00000004"}),
            "visitor_id",
        ),
        (
            json!({"score": 7, "visitor_id": "visitor-0001", "idempotency_key": "k e y"}),
            "idempotency_key",
        ),
        (
            json!({"score": 7, "visitor_id": "visitor-0001", "idempotency_key": "key-00000004", "comment": "x".repeat(2001)}),
            "comment",
        ),
        (
            json!({"score": 7, "visitor_id": "visitor-0001", "idempotency_key": "key-00000004", "comment": ["a"]}),
            "comment",
        ),
        (
            json!({"score": 7, "visitor_id": "visitor-0001", "idempotency_key": "key-00000004", "page_url": "javascript:alert(1)"}),
            "page_url",
        ),
        (
            json!({"score": 7, "visitor_id": "visitor-0001", "idempotency_key": "key-00000004", "locale": "de"}),
            "locale",
        ),
        (
            json!({"score": 7, "visitor_id": "visitor-0001", "idempotency_key": "key-00000004", "is_admin": true}),
            "is_admin",
        ),
    ];
    for (body, field) in cases {
        let response = post_nps(&store, &body);
        let (status, code, named) = error_of(&response);
        assert_eq!((status, code.as_str()), (422, "invalid_field"), "{body}");
        assert_eq!(named.as_deref(), Some(field), "{body}");
        assert_eq!(response.header("access-control-allow-origin"), Some(ORIGIN));
    }
    assert_eq!(store.nps_rows(), 0);
}

#[test]
fn malformed_bodies_are_refused_as_invalid_json() {
    let store = SqliteStore::new();
    let deep = format!("{}{}", "[".repeat(1_000), "]".repeat(1_000));
    let bodies: Vec<&[u8]> = vec![
        b"",
        b"{",
        b"[]",
        b"42",
        b"\"score\"",
        b"{\"score\": 7} trailing",
        b"{\"score\": 7, \"visitor_id\": \"\xff\xfe\"}",
        deep.as_bytes(),
    ];
    for body in bodies {
        let response = run(&store, &request("POST", "/v1/sites/cairn/nps", body));
        let (status, code, _) = error_of(&response);
        assert_eq!(
            (status, code.as_str()),
            (400, "invalid_json"),
            "{:.60}",
            String::from_utf8_lossy(body)
        );
    }
    assert_eq!(store.nps_rows(), 0);
}

#[test]
fn a_field_given_twice_is_refused_by_its_name() {
    let store = SqliteStore::new();
    let body = br#"{"score": 9, "score": 2, "visitor_id": "visitor-0001", "idempotency_key": "key-00000041"}"#;
    let response = run(&store, &request("POST", "/v1/sites/cairn/nps", body));
    assert_eq!(
        error_of(&response),
        (422, "invalid_field".to_owned(), Some("score".to_owned()))
    );
    assert_eq!(store.nps_rows(), 0);
}

#[test]
fn oversized_bodies_are_refused_before_parsing() {
    let store = SqliteStore::new();
    let mut body = answer(9, "key-00000005");
    body["comment"] = Value::String("a".repeat(17 * 1024));
    let response = post_nps(&store, &body);
    assert_eq!(error_of(&response), (413, "payload_too_large".into(), None));
    assert_eq!(store.nps_rows(), 0);
}

#[test]
fn only_json_is_accepted() {
    let store = SqliteStore::new();
    let body = answer(9, "key-00000006").to_string().into_bytes();
    for content_type in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
    ] {
        let mut request = request("POST", "/v1/sites/cairn/nps", &body);
        request.content_type = content_type;
        assert_eq!(error_of(&run(&store, &request)).0, 415);
    }
    let mut request = request("POST", "/v1/sites/cairn/nps", &body);
    request.content_type = Some("Application/JSON; charset=utf-8");
    assert_eq!(run(&store, &request).status, 201);
}

#[test]
fn robots_are_refused_and_nothing_is_stored() {
    let store = SqliteStore::new();
    let mut honeypot = answer(9, "key-00000020");
    honeypot["website"] = json!("http://cheap-pills.example");
    let mut hasty = answer(9, "key-00000021");
    hasty["elapsed_ms"] = json!(400);
    for body in [honeypot, hasty] {
        assert_eq!(
            error_of(&post_nps(&store, &body)),
            (422, "spam_suspected".into(), None)
        );
    }
    let mut quick_score_only = answer(10, "key-00000022");
    quick_score_only["comment"] = Value::Null;
    quick_score_only["elapsed_ms"] = json!(400);
    assert_eq!(
        post_nps(&store, &quick_score_only).status,
        201,
        "two taps are human"
    );
    assert_eq!(store.nps_rows(), 1);
}

#[test]
fn the_same_long_comment_from_another_visitor_is_refused_as_a_copy() {
    let store = SqliteStore::new();
    let comment = "Livraison rapide, tente conforme à la description.";
    let mut first = answer(9, "key-00000023");
    first["comment"] = json!(comment);
    assert_eq!(post_nps(&store, &first).status, 201);
    let mut same_visitor_again = answer(8, "key-00000024");
    same_visitor_again["comment"] = json!(comment);
    assert_eq!(
        post_nps(&store, &same_visitor_again).status,
        201,
        "a visitor may repeat themself"
    );
    let mut copy = answer(9, "key-00000025");
    copy["visitor_id"] = json!("visitor-0002");
    copy["comment"] = json!("  LIVRAISON rapide ; tente conforme à la description  ");
    assert_eq!(error_of(&post_nps(&store, &copy)).1, "spam_suspected");
    let mut short = answer(9, "key-00000026");
    short["visitor_id"] = json!("visitor-0003");
    short["comment"] = json!("Tente montée en 5 minutes");
    assert_eq!(post_nps(&store, &short).status, 201);
    let mut short_copy = short.clone();
    short_copy["visitor_id"] = json!("visitor-0004");
    short_copy["idempotency_key"] = json!("key-00000027");
    short_copy["comment"] = json!("Super !");
    assert_eq!(
        post_nps(&store, &short_copy).status,
        201,
        "short comments may repeat"
    );
    assert_eq!(store.nps_rows(), 4);
}

#[test]
fn a_visitor_over_the_limit_is_told_when_to_retry_and_nothing_is_stored() {
    let store = SqliteStore::new();
    let limiter = MemoryLimiter::new(3);
    let mut statuses = Vec::new();
    let mut last = None;
    for index in 0..4 {
        let body = answer(9, &format!("key-limit-{index:04}"))
            .to_string()
            .into_bytes();
        let response = pollster::block_on(handle(
            &request("POST", "/v1/sites/cairn/nps", &body),
            &store,
            &limiter,
            &FakeTurnstile,
        ));
        statuses.push(response.status);
        last = Some(response);
    }
    assert_eq!(statuses, [201, 201, 201, 429]);
    let refused = last.expect("four answers");
    assert_eq!(error_of(&refused).1, "rate_limited");
    assert_eq!(refused.header("retry-after"), Some("60"));
    assert_eq!(
        refused.header("access-control-expose-headers"),
        Some("Retry-After"),
        "the widget's script may read how long to wait"
    );
    assert_eq!(store.nps_rows(), 3);
}

#[test]
fn each_client_address_is_counted_apart() {
    let store = SqliteStore::new();
    let limiter = MemoryLimiter::new(2);
    let config = |address: &'static str| {
        let mut request = request("GET", "/v1/sites/cairn/config", b"");
        request.client_address = Some(address);
        pollster::block_on(handle(&request, &store, &limiter, &FakeTurnstile)).status
    };
    assert_eq!(
        [
            config("198.51.100.1"),
            config("198.51.100.1"),
            config("198.51.100.1")
        ],
        [200, 200, 429]
    );
    assert_eq!(config("198.51.100.2"), 200);
}

#[test]
fn a_site_with_turnstile_requires_a_passing_token() {
    let store = SqliteStore::new();
    store.require_turnstile();
    let config: PublicSiteConfig =
        serde_json::from_str(&run(&store, &request("GET", "/v1/sites/cairn/config", b"")).body)
            .expect("config");
    assert_eq!(config.turnstile_site_key.as_deref(), Some("0x4AAA-test"));
    let mut missing = answer(9, "key-00000030");
    let mut failing = answer(9, "key-00000031");
    failing["turnstile_token"] = json!("robot");
    for body in [&mut missing, &mut failing] {
        assert_eq!(
            error_of(&post_nps(&store, body)),
            (403, "human_check_failed".into(), None)
        );
    }
    let mut passing = answer(9, "key-00000032");
    passing["turnstile_token"] = json!(HUMAN_TOKEN);
    let first = post_nps(&store, &passing);
    assert_eq!(first.status, 201);
    passing["turnstile_token"] = json!("spent-token");
    let retry = post_nps(&store, &passing);
    assert_eq!(
        (retry.status, retry.body),
        (200, first.body),
        "a retry with a spent token gets the first answer"
    );
    assert_eq!(store.nps_rows(), 1);
}

#[test]
fn sites_without_turnstile_do_not_ask_for_it() {
    let store = SqliteStore::new();
    let config = run(&store, &request("GET", "/v1/sites/cairn/config", b"")).body;
    assert!(!config.contains("turnstile"));
    assert_eq!(post_nps(&store, &answer(9, "key-00000033")).status, 201);
}

#[test]
fn hostile_strings_are_stored_exactly_as_given() {
    let store = SqliteStore::new();
    let hostile = "<img src=x onerror=alert(1)>'); DROP TABLE sites; -- \u{202e}";
    let mut body = answer(2, "key-00000007");
    body["comment"] = Value::String(hostile.into());
    let response = post_nps(&store, &body);
    let created: NpsCreated = serde_json::from_str(&response.body).expect("created");
    assert_eq!(
        store.nps_column(&created.id, "comment").as_deref(),
        Some(hostile)
    );
}

#[test]
fn unknown_sites_and_routes_are_404() {
    let store = SqliteStore::new();
    let body = answer(9, "key-00000008").to_string().into_bytes();
    for path in [
        "/v1/sites/nobody/nps",
        "/v1/sites/NOT%20A%20KEY/nps",
        "/v1/sites/../nps",
    ] {
        assert_eq!(
            error_of(&run(&store, &request("POST", path, &body))).1,
            "unknown_site",
            "{path}"
        );
    }
    for path in ["/", "/v1", "/v1/sites/cairn", "/v1/sites/cairn/unknown"] {
        assert_eq!(
            error_of(&run(&store, &request("GET", path, b""))).1,
            "not_found",
            "{path}"
        );
    }
    assert_eq!(
        error_of(&run(&store, &request("DELETE", "/v1/sites/cairn/nps", b""))).0,
        405
    );
    assert_eq!(store.nps_rows(), 0);
}

#[test]
fn foreign_and_missing_origins_cannot_write() {
    let store = SqliteStore::new();
    let body = answer(9, "key-00000009").to_string().into_bytes();
    let mut foreign = request("POST", "/v1/sites/cairn/nps", &body);
    foreign.origin = Some("https://evil.example");
    let response = run(&store, &foreign);
    assert_eq!(error_of(&response).1, "origin_not_allowed");
    assert_eq!(response.header("access-control-allow-origin"), None);
    let mut missing = foreign;
    missing.origin = None;
    assert_eq!(error_of(&run(&store, &missing)).1, "origin_required");
    assert_eq!(store.nps_rows(), 0);
}

#[test]
fn preflight_answers_allowed_origins_only() {
    let store = SqliteStore::new();
    let allowed = run(&store, &request("OPTIONS", "/v1/sites/cairn/nps", b""));
    assert_eq!(allowed.status, 204);
    assert_eq!(allowed.header("access-control-allow-origin"), Some(ORIGIN));
    assert_eq!(
        allowed.header("access-control-allow-methods"),
        Some("POST, OPTIONS")
    );
    assert!(
        allowed
            .header("access-control-allow-headers")
            .is_some_and(|h| h.contains("content-type"))
    );
    let mut foreign = request("OPTIONS", "/v1/sites/cairn/nps", b"");
    foreign.origin = Some("https://evil.example");
    let refused = run(&store, &foreign);
    assert_eq!(refused.status, 403);
    assert_eq!(refused.header("access-control-allow-origin"), None);
}

#[test]
fn public_config_holds_no_secret() {
    let store = SqliteStore::new();
    let response = run(&store, &request("GET", "/v1/sites/cairn/config", b""));
    assert_eq!(response.status, 200);
    let config: PublicSiteConfig = serde_json::from_str(&response.body).expect("config");
    assert_eq!(config.site, SITE);
    assert_eq!(response.header("vary"), Some("Origin"));
    assert_eq!(config.brand_name, "Cairn");
    assert_eq!(
        config.contact_url.as_deref(),
        Some("https://cairn.example/contact")
    );
    assert!(!response.body.contains(CUSTOMER_SECRET));
    assert!(!response.body.contains("admin"));
    assert!(!response.body.contains("allowed_origins"));
}

#[test]
fn a_valid_customer_token_links_the_answer_to_the_customer() {
    let store = SqliteStore::new();
    let claims = CustomerClaims {
        sub: "customer-42".into(),
        exp: NOW_MS / 1000 + 3600,
        orders: Vec::new(),
        name: None,
        email: None,
    };
    let mut body = answer(9, "key-00000010");
    body["customer_token"] = Value::String(sign(&claims, CUSTOMER_SECRET.as_bytes()));
    let response = post_nps(&store, &body);
    let created: NpsCreated = serde_json::from_str(&response.body).expect("created");
    assert_eq!(
        store.nps_column(&created.id, "customer_id").as_deref(),
        Some("customer-42")
    );
}

#[test]
fn forged_and_expired_customer_tokens_are_refused() {
    let store = SqliteStore::new();
    let forged = sign(
        &CustomerClaims {
            sub: "c".into(),
            exp: NOW_MS / 1000 + 60,
            orders: Vec::new(),
            name: None,
            email: None,
        },
        b"wrong secret",
    );
    let expired = sign(
        &CustomerClaims {
            sub: "c".into(),
            exp: NOW_MS / 1000 - 1,
            orders: Vec::new(),
            name: None,
            email: None,
        },
        CUSTOMER_SECRET.as_bytes(),
    );
    for (token, code) in [
        (forged, "invalid_customer_token"),
        (expired, "customer_token_expired"),
    ] {
        let mut body = answer(9, "key-00000011");
        body["customer_token"] = Value::String(token);
        assert_eq!(error_of(&post_nps(&store, &body)), (401, code.into(), None));
    }
    assert_eq!(store.nps_rows(), 0);
}

#[test]
fn theme_report_lists_contrast_problems_to_the_admin_only() {
    let store = SqliteStore::new();
    store.set_config(r##"{"theme":{"text":"#aaaaaa","mode":"light"}}"##);
    let mut request = request("GET", "/v1/sites/cairn/theme", b"");
    assert_eq!(error_of(&run(&store, &request)).1, "unauthorized");
    let authorization = format!("Bearer {ADMIN_TOKEN}");
    request.authorization = Some(&authorization);
    let response = run(&store, &request);
    assert_eq!(response.status, 200);
    let report: ThemeReport = serde_json::from_str(&response.body).expect("report");
    assert_eq!(
        report.contrast_warnings.len(),
        1,
        "{:?}",
        report.contrast_warnings
    );
    assert!(
        report.contrast_warnings[0].starts_with("light theme: text #aaaaaa on background #ffffff")
    );
    assert_eq!(
        report.theme.light.accent, "#1f5f4a",
        "unset colours take their defaults"
    );
}

#[test]
fn summary_needs_the_admin_token() {
    let store = SqliteStore::new();
    for token in [None, Some("wrong"), Some("")] {
        let response = summary(&store, "", token);
        assert_eq!(error_of(&response).1, "unauthorized");
        assert_eq!(response.header("www-authenticate"), Some("Bearer"));
    }
    assert_eq!(summary(&store, "", Some(ADMIN_TOKEN)).status, 200);
}

#[test]
fn summary_counts_categories_in_the_date_range() {
    let store = SqliteStore::new();
    let nov_30 = 1_764_460_800_000; // 2025-11-30T00:00:00Z
    for (index, score) in [10, 9, 8, 6, 0].into_iter().enumerate() {
        store.insert_answer(score, nov_30 + index as i64, &format!("in-range-{index}"));
    }
    store.insert_answer(10, nov_30 - 1, "day-before");
    store.insert_answer(0, nov_30 + 86_400_000, "day-after");

    let response = summary(&store, "from=2025-11-30&to=2025-11-30", Some(ADMIN_TOKEN));
    let body: NpsSummary = serde_json::from_str(&response.body).expect("summary");
    assert_eq!(
        (body.total, body.promoters, body.passives, body.detractors),
        (5, 2, 1, 2)
    );
    assert_eq!(body.nps, Some(0.0));
    assert_eq!(body.from.as_deref(), Some("2025-11-30"));

    let all: NpsSummary =
        serde_json::from_str(&summary(&store, "", Some(ADMIN_TOKEN)).body).expect("summary");
    assert_eq!(all.total, 7);
}

#[test]
fn answers_stored_before_the_daily_counts_existed_are_counted() {
    let store = SqliteStore::before_migration("0009");
    let nov_30 = 1_764_460_800_000; // 2025-11-30T00:00:00Z
    for (index, score) in [10, 7, 3].into_iter().enumerate() {
        store.insert_answer(
            score,
            nov_30 + index as i64 * 86_400_000,
            &format!("old-{index}"),
        );
    }
    store.apply_migrations_from("0009");
    store.insert_answer(9, nov_30, "new");

    let all: NpsSummary =
        serde_json::from_str(&summary(&store, "", Some(ADMIN_TOKEN)).body).expect("summary");
    assert_eq!(
        (all.total, all.promoters, all.passives, all.detractors),
        (4, 2, 1, 1)
    );
    let first_day: NpsSummary = serde_json::from_str(
        &summary(&store, "from=2025-11-30&to=2025-11-30", Some(ADMIN_TOKEN)).body,
    )
    .expect("summary");
    assert_eq!(first_day.total, 2);
}

#[test]
fn summary_of_an_empty_range_has_no_nps() {
    let store = SqliteStore::new();
    let body: NpsSummary = serde_json::from_str(
        &summary(&store, "from=2020-01-01&to=2020-01-31", Some(ADMIN_TOKEN)).body,
    )
    .expect("summary");
    assert_eq!((body.total, body.nps), (0, None));
}

#[test]
fn summary_refuses_bad_dates() {
    let store = SqliteStore::new();
    for (query, param) in [
        ("from=yesterday", "from"),
        ("to=2025-13-01", "to"),
        ("from=2025-12-01&to=2025-11-01", "from"),
        ("from=2025-01-01&to=2025-01-31&from=2025-02-01", "from"),
    ] {
        let response = summary(&store, query, Some(ADMIN_TOKEN));
        assert_eq!(
            error_of(&response),
            (400, "invalid_query".into(), Some(param.into())),
            "{query}"
        );
    }
}

#[test]
fn the_test_database_refuses_what_d1_refuses() {
    let store = SqliteStore::new();
    let terms = |count: usize| vec!["SELECT 1"; count].join(" UNION ALL ");
    assert!(store.try_execute(&terms(5)));
    assert!(
        !store.try_execute(&terms(6)),
        "a compound SELECT of 6 terms"
    );
    let arguments = |count: usize| format!("SELECT json_array({})", vec!["1"; count].join(","));
    assert!(store.try_execute(&arguments(32)));
    assert!(
        !store.try_execute(&arguments(33)),
        "33 arguments to a function"
    );
    assert!(!store.try_execute(&format!("SELECT 'a' LIKE '{}'", "a".repeat(51))));
}
