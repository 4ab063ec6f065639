//! Share-and-reward through the storage trait, natively, on the worker's own migrations:
//! links and their redirect, which visits count, the ledger's sums, caps and idempotency,
//! points moving to a customer who identifies, rewards for contributions, the ladder.

mod support;

use portevoix_core::api::ApiResponse;
use portevoix_core::token::{CustomerClaims, OrderClaim, sign};
use portevoix_core::wire::{
    Adjusted, AdvocateHistory, AdvocateList, EventKind, PointsStatement, ShareCreated, VisitCounted,
};
use serde_json::{Value, json};
use support::{ADMIN_TOKEN, CUSTOMER_SECRET, NOW_MS, ORIGIN, SqliteStore, error_of, request, run};

const SHARER: &str = "visitor-sharer-1";
const REWARDS: &str = r#"{"rewards":{"points_per_visit":50,"points_per_share":5,
    "points_per_review":100,"points_per_answer":30,"points_per_nps_answer":10,
    "visits_per_link_per_day":3,"daily_caps":{"visit":120}}}"#;

fn token(customer: &str) -> String {
    sign(
        &CustomerClaims {
            sub: customer.into(),
            exp: NOW_MS / 1000 + 600,
            orders: vec![OrderClaim {
                id: "A-1".into(),
                products: vec!["tent-2p".into()],
            }],
            name: None,
            email: None,
        },
        CUSTOMER_SECRET.as_bytes(),
    )
}

fn store() -> SqliteStore {
    let store = SqliteStore::new();
    store.set_config(REWARDS);
    store
}

fn post(store: &SqliteStore, path: &str, body: &Value) -> ApiResponse {
    let bytes = body.to_string().into_bytes();
    run(store, &request("POST", path, &bytes))
}

fn share(store: &SqliteStore, url: &str, customer: Option<&str>) -> ShareCreated {
    let mut body = json!({ "url": url, "visitor_id": SHARER });
    if let Some(customer) = customer {
        body["customer_token"] = json!(token(customer));
    }
    let response = post(store, "/v1/sites/cairn/shares", &body);
    assert!(
        response.status == 201 || response.status == 200,
        "{}",
        response.body
    );
    serde_json::from_str(&response.body).expect("share created")
}

fn visit(
    store: &SqliteStore,
    code: &str,
    visitor: &str,
    user_agent: Option<&str>,
    now_ms: i64,
) -> VisitCounted {
    let body = json!({ "visitor_id": visitor }).to_string().into_bytes();
    let path = format!("/v1/sites/cairn/shares/{code}/visits");
    let mut request = request("POST", &path, &body);
    request.user_agent = user_agent;
    request.now_ms = now_ms;
    let response = run(store, &request);
    assert_eq!(response.status, 200, "{}", response.body);
    serde_json::from_str(&response.body).expect("visit counted")
}

const PERSON: Option<&str> = Some("Mozilla/5.0 (iPhone) Safari/604.1");

fn points(store: &SqliteStore, visitor: &str, customer: Option<&str>) -> PointsStatement {
    let query = format!("visitor_id={visitor}");
    let authorization = customer.map(|customer| format!("Customer {}", token(customer)));
    let mut request = request("GET", "/v1/sites/cairn/me/points", b"");
    request.query = &query;
    request.authorization = authorization.as_deref();
    let response = run(store, &request);
    assert_eq!(response.status, 200, "{}", response.body);
    serde_json::from_str(&response.body).expect("statement")
}

fn admin(store: &SqliteStore, method: &str, path: &str, query: &str, body: &Value) -> ApiResponse {
    let bytes = body.to_string().into_bytes();
    let authorization = format!("Bearer {ADMIN_TOKEN}");
    let mut request = request(method, path, if method == "GET" { b"" } else { &bytes });
    request.origin = None;
    request.query = query;
    request.authorization = Some(&authorization);
    run(store, &request)
}

#[test]
fn a_sharer_gets_one_link_per_page_that_redirects_only_on_site() {
    let store = store();
    let first = share(&store, "https://cairn.example/tentes#avis", None);
    assert_eq!(
        first.link,
        format!("https://portevoix.test/s/{}", first.code)
    );
    assert_eq!(first.points_per_visit, 50);
    let again = share(&store, "https://cairn.example/tentes#avis", None);
    assert_eq!(
        again.code, first.code,
        "the same sharer and page get the same link"
    );

    let mut follow = request("GET", "/s/", b"");
    let path = format!("/s/{}", first.code);
    follow.path = &path;
    follow.origin = None;
    let redirect = run(&store, &follow);
    assert_eq!(redirect.status, 302);
    assert_eq!(
        redirect.header("location"),
        Some(format!("https://cairn.example/tentes?pv_share={}#avis", first.code).as_str())
    );
    assert_eq!(store.number("SELECT clicks FROM share_links"), 1);
    follow.user_agent = Some("facebookexternalhit/1.1");
    run(&store, &follow);
    assert_eq!(
        store.number("SELECT clicks FROM share_links"),
        1,
        "previewers are not clicks"
    );

    for foreign in [
        "https://evil.example/",
        "https://cairn.example@evil.example/",
        "javascript:alert(1)",
    ] {
        let response = post(
            &store,
            "/v1/sites/cairn/shares",
            &json!({ "url": foreign, "visitor_id": SHARER }),
        );
        assert_eq!(
            error_of(&response),
            (422, "invalid_field".into(), Some("url".into())),
            "{foreign}"
        );
    }
    store.execute("UPDATE sites SET allowed_origins = '[\"https://other.example\"]'");
    assert_eq!(
        error_of(&run(&store, &follow)).1,
        "unknown_share",
        "a link to an origin no longer allowed redirects nowhere"
    );
    follow.path = "/s/000000000000";
    assert_eq!(
        error_of(&run(&store, &follow)),
        (404, "unknown_share".into(), None)
    );
}

#[test]
fn visits_count_once_per_visitor_and_day_never_for_the_sharer_or_robots() {
    let store = store();
    let link = share(&store, "https://cairn.example/tentes", None);
    let counted = visit(&store, &link.code, "visitor-friend-1", PERSON, NOW_MS);
    assert!(counted.counted);
    assert_eq!(counted.points, 50);
    assert_eq!(
        store.take_round_trips(),
        3,
        "the site; the link and who the visitor is; the visit and its reward"
    );
    assert_eq!(
        visit(
            &store,
            &link.code,
            "visitor-friend-1",
            PERSON,
            NOW_MS + 1_000
        )
        .outcome,
        portevoix_core::wire::VisitOutcome::AlreadyCounted
    );
    assert_eq!(
        visit(&store, &link.code, SHARER, PERSON, NOW_MS).outcome,
        portevoix_core::wire::VisitOutcome::OwnLink
    );
    assert_eq!(
        visit(
            &store,
            &link.code,
            "visitor-friend-2",
            Some("Googlebot/2.1"),
            NOW_MS
        )
        .outcome,
        portevoix_core::wire::VisitOutcome::Bot
    );
    let tomorrow = NOW_MS + 86_400_000;
    assert!(
        visit(&store, &link.code, "visitor-friend-1", PERSON, tomorrow).counted,
        "a new day"
    );
    let statement = points(&store, SHARER, None);
    assert_eq!(
        statement.balance,
        5 + 50 + 50,
        "a share and two counted visits"
    );
}

#[test]
fn a_link_stops_earning_at_its_daily_cap_and_an_account_at_its_points_cap() {
    let store = store();
    let link = share(&store, "https://cairn.example/tentes", None);
    let outcomes: Vec<(bool, i64)> = (0..4)
        .map(|index| {
            let counted = visit(
                &store,
                &link.code,
                &format!("visitor-friend-{index}"),
                PERSON,
                NOW_MS,
            );
            (counted.counted, counted.points)
        })
        .collect();
    // Three visits per link and day; 120 points per day for visits: 50, 50, then 20.
    assert_eq!(outcomes, [(true, 50), (true, 50), (true, 20), (false, 0)]);
    assert_eq!(points(&store, SHARER, None).balance, 5 + 120);
    assert_eq!(
        store.number("SELECT COUNT(*) FROM share_visits WHERE counted = 0"),
        1
    );
}

#[test]
fn points_move_to_the_customer_who_identifies_and_later_rewards_follow() {
    let store = store();
    let link = share(&store, "https://cairn.example/tentes", None);
    visit(&store, &link.code, "visitor-friend-1", PERSON, NOW_MS);
    assert_eq!(points(&store, SHARER, None).balance, 55);

    let customer = points(&store, SHARER, Some("camille"));
    assert_eq!(customer.balance, 55);
    assert_eq!(
        points(&store, SHARER, None).balance,
        0,
        "nothing left on the visitor id"
    );
    assert_eq!(
        points(&store, SHARER, Some("camille")).balance,
        55,
        "moved once"
    );

    visit(&store, &link.code, "visitor-friend-2", PERSON, NOW_MS);
    assert_eq!(
        points(&store, SHARER, Some("camille")).balance,
        105,
        "the link is hers now"
    );
    assert_eq!(
        store.number("SELECT COUNT(*) FROM ledger WHERE reason = 'transfer'"),
        2
    );
    assert_eq!(
        store.number("SELECT SUM(points) FROM ledger"),
        105,
        "transfers move points, they never make any"
    );
}

#[test]
fn the_ledger_refuses_to_be_rewritten() {
    let store = store();
    share(&store, "https://cairn.example/tentes", None);
    for statement in ["UPDATE ledger SET points = 1000", "DELETE FROM ledger"] {
        assert!(!store.try_execute(statement), "{statement}");
    }
    assert_eq!(store.number("SELECT SUM(points) FROM ledger"), 5);
}

#[test]
fn contributions_are_rewarded_once_each() {
    let store = store();
    let nps = json!({
        "score": 9, "visitor_id": "visitor-0001", "idempotency_key": "key-nps-0001",
        "customer_token": token("camille")
    });
    assert_eq!(post(&store, "/v1/sites/cairn/nps", &nps).status, 201);
    assert_eq!(post(&store, "/v1/sites/cairn/nps", &nps).status, 200);
    let review = json!({
        "rating": 5, "title": "Parfaite", "text": "Sèche après une nuit d'orage.",
        "author_name": "Camille", "visitor_id": "visitor-0001", "idempotency_key": "key-rev-0001",
        "customer_token": token("camille"), "elapsed_ms": 30_000
    });
    let created: Value = serde_json::from_str(
        &post(&store, "/v1/sites/cairn/products/tent-2p/reviews", &review).body,
    )
    .expect("review");
    let id = created["id"].as_str().expect("id").to_owned();
    let path = format!("/v1/sites/cairn/reviews/{id}/moderation");
    for _ in 0..2 {
        assert_eq!(
            admin(&store, "POST", &path, "", &json!({ "decision": "publish" })).status,
            200
        );
        assert_eq!(
            store.take_round_trips(),
            3,
            "the site; the decision and the author; the reward"
        );
    }
    let statement = points(&store, "visitor-0001", Some("camille"));
    assert_eq!(
        statement.balance,
        10 + 100,
        "one NPS answer, one published review, each once"
    );
}

#[test]
fn the_brand_adjusts_points_by_hand_once_per_key() {
    let store = store();
    let body = json!({ "customer_id": "camille", "points": 200, "reason": "Welcome gift", "idempotency_key": "key-adj-0001" });
    for _ in 0..2 {
        let response = admin(&store, "POST", "/v1/sites/cairn/points/adjust", "", &body);
        let adjusted: Adjusted = serde_json::from_str(&response.body).expect("adjusted");
        assert_eq!(adjusted.balance, 200);
        assert_eq!(adjusted.entry.note.as_deref(), Some("Welcome gift"));
    }
    let debit = json!({ "customer_id": "camille", "points": -50, "reason": "Voucher used", "idempotency_key": "key-adj-0002" });
    let adjusted: Adjusted = serde_json::from_str(
        &admin(&store, "POST", "/v1/sites/cairn/points/adjust", "", &debit).body,
    )
    .expect("adjusted");
    assert_eq!(adjusted.balance, 150);
    for (field, value) in [
        ("points", json!(0)),
        ("points", json!(2_000_000)),
        ("points", json!("10")),
        ("reason", json!("")),
        ("customer_id", json!("")),
    ] {
        let mut bad = body.clone();
        bad[field] = value;
        bad["idempotency_key"] = json!("key-adj-0003");
        assert_eq!(
            error_of(&admin(
                &store,
                "POST",
                "/v1/sites/cairn/points/adjust",
                "",
                &bad
            ))
            .2
            .as_deref(),
            Some(field)
        );
    }
    let mut anonymous = request("POST", "/v1/sites/cairn/points/adjust", b"{}");
    anonymous.origin = Some(ORIGIN);
    assert_eq!(error_of(&run(&store, &anonymous)).1, "unauthorized");
}

#[test]
fn the_ladder_ranks_customers_by_what_they_did() {
    let store = store();
    // Camille answered an NPS survey; Dominique's share brought a visit; Sacha is in the panel.
    post(
        &store,
        "/v1/sites/cairn/nps",
        &json!({
            "score": 10, "visitor_id": "visitor-0001", "idempotency_key": "key-nps-0001", "customer_token": token("camille")
        }),
    );
    let link = share(&store, "https://cairn.example/tentes", Some("dominique"));
    assert_eq!(
        store.take_round_trips(),
        3,
        "the site; the browser recorded as the customer's and the link; the reward"
    );
    visit(&store, &link.code, "visitor-friend-1", PERSON, NOW_MS);
    admin(
        &store,
        "POST",
        "/v1/sites/cairn/panel",
        "",
        &json!({ "customer_id": "sacha", "member": true }),
    );

    let response = admin(&store, "GET", "/v1/sites/cairn/advocates", "", &json!({}));
    let list: AdvocateList = serde_json::from_str(&response.body).expect("advocates");
    let levels: Vec<(&str, u8)> = list
        .advocates
        .iter()
        .map(|advocate| (advocate.customer_id.as_str(), advocate.level))
        .collect();
    assert_eq!(levels, [("sacha", 6), ("dominique", 5), ("camille", 2)]);
    assert_eq!(list.levels[&2], 1);
    assert_eq!(list.levels[&5], 1);
    let dominique = &list.advocates[1];
    assert_eq!(dominique.points, 55);
    assert_eq!(dominique.activity.share_visits, 1);

    let response = admin(
        &store,
        "GET",
        "/v1/sites/cairn/advocates",
        "level=5",
        &json!({}),
    );
    let fives: AdvocateList = serde_json::from_str(&response.body).expect("advocates");
    assert_eq!(fives.advocates.len(), 1);
    assert_eq!(
        error_of(&admin(
            &store,
            "GET",
            "/v1/sites/cairn/advocates",
            "level=7",
            &json!({})
        ))
        .2
        .as_deref(),
        Some("level")
    );
}

#[test]
fn bad_share_and_visit_requests_are_refused_and_store_nothing() {
    let store = store();
    for (body, field) in [
        (json!({ "url": 42, "visitor_id": SHARER }), "url"),
        (json!({ "visitor_id": SHARER }), "url"),
        (
            json!({ "url": "https://cairn.example/", "visitor_id": "v" }),
            "visitor_id",
        ),
        (
            json!({ "url": "https://cairn.example/", "visitor_id": SHARER, "points": 1000 }),
            "points",
        ),
    ] {
        assert_eq!(
            error_of(&post(&store, "/v1/sites/cairn/shares", &body))
                .2
                .as_deref(),
            Some(field),
            "{body}"
        );
    }
    let forged = json!({ "url": "https://cairn.example/", "visitor_id": SHARER, "customer_token": "v1.e30.c2ln" });
    assert_eq!(
        error_of(&post(&store, "/v1/sites/cairn/shares", &forged)).1,
        "invalid_customer_token"
    );
    assert_eq!(
        error_of(&post(
            &store,
            "/v1/sites/cairn/shares/000000000000/visits",
            &json!({ "visitor_id": "visitor-0001" })
        ))
        .1,
        "unknown_share"
    );
    assert_eq!(
        error_of(&post(
            &store,
            "/v1/sites/cairn/shares/..%2F/visits",
            &json!({ "visitor_id": "visitor-0001" })
        ))
        .1,
        "unknown_share"
    );
    let mut no_visitor = request("GET", "/v1/sites/cairn/me/points", b"");
    no_visitor.query = "";
    assert_eq!(
        error_of(&run(&store, &no_visitor)).2.as_deref(),
        Some("visitor_id")
    );
    assert_eq!(store.number("SELECT COUNT(*) FROM share_links"), 0);
    assert_eq!(store.number("SELECT COUNT(*) FROM ledger"), 0);
}

#[test]
fn an_advocates_history_lists_what_they_did_newest_first() {
    let store = store();
    for (points, note, key) in [
        (200, "Welcome gift", "key-his-0001"),
        (-50, "Voucher used", "key-his-0002"),
    ] {
        let body = json!({ "customer_id": "camille", "points": points, "reason": note, "idempotency_key": key });
        assert_eq!(
            admin(&store, "POST", "/v1/sites/cairn/points/adjust", "", &body).status,
            200
        );
    }
    let response = admin(
        &store,
        "GET",
        "/v1/sites/cairn/advocates/camille/history",
        "",
        &json!(null),
    );
    assert_eq!(response.status, 200, "{}", response.body);
    let history: AdvocateHistory = serde_json::from_str(&response.body).expect("history");
    assert_eq!(history.points, 150);
    let lines: Vec<(EventKind, Option<i64>)> = history
        .events
        .iter()
        .map(|event| (event.kind, event.points))
        .collect();
    assert!(
        lines.contains(&(EventKind::Points, Some(200)))
            && lines.contains(&(EventKind::Points, Some(-50)))
    );
    assert!(
        history
            .events
            .iter()
            .any(|event| event.detail.contains("Welcome gift"))
    );

    let nobody: AdvocateHistory = serde_json::from_str(
        &admin(
            &store,
            "GET",
            "/v1/sites/cairn/advocates/%3Cscript%3E/history",
            "",
            &json!(null),
        )
        .body,
    )
    .expect("history");
    assert_eq!((nobody.points, nobody.events.len()), (0, 0));
    let overlong = format!("/v1/sites/cairn/advocates/{}/history", "a".repeat(200));
    assert_eq!(
        admin(&store, "GET", &overlong, "", &json!(null)).status,
        422
    );
    let mut anonymous = request("GET", "/v1/sites/cairn/advocates/camille/history", b"");
    anonymous.origin = None;
    assert_eq!(run(&store, &anonymous).status, 401);
}
