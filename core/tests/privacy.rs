//! Privacy requests over the real SQL on SQLite: everything about a person found from
//! their address (directly, through their customer and visitor ids, and through the
//! identities linking them), exported, then erased from every table, with the figures
//! kept and the erasure logged.

mod support;

use portevoix_core::wire::{Erasure, ErasureLog, NpsSummary, PersonData};
use serde_json::json;
use support::*;

const EMAIL: &str = "Camille.Martin@Cairn.example";
const NAME: &str = "Camille Martin";
const CUSTOMER: &str = "cust-4242";
const VISITOR: &str = "visitor-camille-0001";
const OTHER_BROWSER: &str = "visitor-camille-0002";

/// Camille's traces in every kind of table (her published question, once answered, has
/// queued a mail to her), and a stranger's answer beside them.
fn store_with_camille() -> SqliteStore {
    let store = SqliteStore::new();
    store.set_config(r#"{"referral":{"advocate_points":500,"friend_points":200}}"#);
    let hash = portevoix_core::referral::email_sha256(EMAIL);
    store.execute(&format!(
        "INSERT INTO webhook_subscriptions (id, site_id, url, secret, events, created_at) \
         VALUES ('{w}', 'cairn', 'https://hooks.cairn.example/', 'whsec_AP8=', '[\"nps.created\",\"review.published\",\"question.answered\"]', 0);
         INSERT INTO reviews (id, site_id, product_id, idempotency_key, visitor_id, customer_id, rating, title, body, author_name, email, status, created_at) \
         VALUES ('{r}', 'cairn', 'bivouac-2', 'k-r1', '{VISITOR}', '{CUSTOMER}', 5, 'Parfaite', 'Écrit par {NAME}', '{NAME}', '{EMAIL}', 'published', {NOW_MS});
         INSERT INTO questions (id, site_id, product_id, idempotency_key, visitor_id, customer_id, body, author_name, email, status, created_at) \
         VALUES ('{q}', 'cairn', 'bivouac-2', 'k-q1', '{OTHER_BROWSER}', NULL, 'Question de {NAME}', '{NAME}', '{EMAIL}', 'published', {NOW_MS});
         INSERT INTO answers (id, site_id, question_id, idempotency_key, visitor_id, customer_id, author_name, body, badge, status, created_at) \
         VALUES ('{a}', 'cairn', '{q}', 'k-a1', '{VISITOR}', '{CUSTOMER}', '{NAME}', 'Réponse de {NAME}', 'customer', 'published', {NOW_MS});
         INSERT INTO nps_answers (id, site_id, idempotency_key, visitor_id, customer_id, score, category, comment, page_url, created_at) \
         VALUES ('{n}', 'cairn', 'k-n1', '{VISITOR}', '{CUSTOMER}', 3, 'detractor', 'Signé {NAME}', 'https://cairn.example/?email={EMAIL}', {NOW_MS});
         INSERT INTO nps_answers (id, site_id, idempotency_key, visitor_id, score, category, comment, created_at) \
         VALUES ('{s}', 'cairn', 'k-n2', 'visitor-stranger-01', 10, 'promoter', 'Bravo', {NOW_MS});
         INSERT INTO identities (site_id, visitor_id, customer_id, created_at) VALUES ('cairn', '{OTHER_BROWSER}', '{CUSTOMER}', {NOW_MS});
         INSERT INTO panel_members (site_id, customer_id, added_at) VALUES ('cairn', '{CUSTOMER}', {NOW_MS});
         INSERT INTO share_links (code, site_id, sharer, sharer_visitor_id, url, created_at) \
         VALUES ('abcdef012345', 'cairn', 'customer:{CUSTOMER}', '{VISITOR}', 'https://cairn.example/', {NOW_MS});
         INSERT INTO referrals (code, site_id, advocate, advocate_visitor_id, advocate_name, advocate_email, advocate_email_sha256, created_at, expires_at, max_conversions) \
         VALUES ('C0FFEE1234', 'cairn', 'customer:{CUSTOMER}', '{VISITOR}', '{NAME}', '{EMAIL}', '{hash}', {NOW_MS}, {NOW_MS} + 1, 5);
         INSERT INTO mail_outbox (site_id, recipient, template, subject_id, subject, body, created_at) \
         VALUES ('cairn', 'ami@example.org', 'referral_invitation', 'C0FFEE1234:friendhash', '{NAME} vous invite', 'De la part de {NAME}', {NOW_MS});
         INSERT INTO conversions (site_id, order_id, code, buyer_email_sha256, buyer_account, amount_cents, currency, outcome, advocate_points, friend_points, created_at) \
         VALUES ('cairn', 'A-1', 'OTHERCODE1', '{hash}', 'buyer:{hash}', 18900, 'EUR', 'credited', 0, 200, {NOW_MS});
         INSERT INTO ledger (site_id, account, points, reason, source, note, idempotency_key, created_at) \
         VALUES ('cairn', 'customer:{CUSTOMER}', 200, 'adjustment', 'console', 'Cadeau pour {NAME}', 'k-l1', {NOW_MS});",
        r = "1".repeat(32),
        q = "2".repeat(32),
        a = "3".repeat(32),
        n = "4".repeat(32),
        s = "5".repeat(32),
        w = "6".repeat(32),
    ));
    store
}

/// Every table's every row as text (but the site and the erasure log), to look for any
/// trace of Camille.
fn all_rows(store: &SqliteStore) -> String {
    store
        .texts(
            "SELECT name FROM sqlite_master WHERE type = 'table' \
             AND name NOT IN ('sites', 'erasures') AND name NOT LIKE 'sqlite_%'",
        )
        .iter()
        .map(|table| store.dump(table))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn everything_about_a_person_is_exported_from_their_address() {
    let store = store_with_camille();
    let linked_only = "visitor-linked-only-01";
    store.execute(&format!(
        "INSERT INTO identities (site_id, visitor_id, customer_id, created_at) \
         VALUES ('cairn', '{linked_only}', '{CUSTOMER}', {NOW_MS});
         INSERT INTO nps_answers (id, site_id, idempotency_key, visitor_id, score, category, created_at) \
         VALUES ('{n}', 'cairn', 'k-n3', '{linked_only}', 9, 'promoter', {NOW_MS});",
        n = "7".repeat(32),
    ));
    let response = admin_call(
        &store,
        "POST",
        "/v1/sites/cairn/privacy/export",
        &json!({ "email": EMAIL }),
    );
    assert_eq!(response.status, 200, "{}", response.body);
    assert_eq!(
        store.take_round_trips(),
        3,
        "the site; the person's ids; their rows"
    );
    let data: PersonData = serde_json::from_str(&response.body).expect("export");
    assert_eq!(data.customer_ids, [CUSTOMER]);
    for visitor in [VISITOR, OTHER_BROWSER, linked_only] {
        assert!(
            data.visitor_ids.contains(&visitor.to_owned()),
            "{visitor} is one of their browsers"
        );
    }
    for table in [
        "reviews",
        "questions",
        "answers",
        "nps_answers",
        "identities",
        "panel_members",
        "share_links",
        "referrals",
        "mail_outbox",
        "conversions",
        "ledger",
    ] {
        assert!(data.tables.contains_key(table), "{table} is in the export");
    }
    assert_eq!(
        data.tables["nps_answers"].len(),
        2,
        "theirs, from a browser known only as the customer's, and not the stranger's"
    );
    assert_eq!(
        data.tables["mail_outbox"].len(),
        2,
        "the mail to Camille and the invitation she sent"
    );
}

#[test]
fn an_erasure_leaves_no_trace_keeps_the_figures_and_is_logged() {
    let store = store_with_camille();
    let before: NpsSummary = serde_json::from_str(
        &admin_call(&store, "GET", "/v1/sites/cairn/nps/summary", &json!(null)).body,
    )
    .expect("summary");
    let response = admin_call(
        &store,
        "POST",
        "/v1/sites/cairn/privacy/erase",
        &json!({ "email": EMAIL, "requested_by": "Léa (service client)" }),
    );
    assert_eq!(response.status, 200, "{}", response.body);
    assert_eq!(
        store.take_round_trips(),
        3,
        "the site; the person's ids; the erasure and its log"
    );
    let erasure: Erasure = serde_json::from_str(&response.body).expect("erasure");
    let changed: Vec<(&str, u64)> = erasure
        .rows
        .iter()
        .map(|(table, rows)| (table.as_str(), *rows))
        .collect();
    assert_eq!(
        changed,
        [
            ("answers", 1),
            ("conversions", 1),
            ("identities", 1),
            ("ledger", 1),
            ("mail_outbox", 2),
            ("nps_answers", 1),
            ("panel_members", 1),
            ("questions", 1),
            ("referrals", 1),
            ("reviews", 1),
            ("share_links", 1),
            ("webhook_deliveries", 3),
        ],
        "each table's rows the erasure changed, and no table it left alone"
    );
    assert_eq!(
        store.texts("SELECT account FROM ledger"),
        [format!("erased:{}", erasure.id)],
        "the person's points stay, on an account named after the erasure"
    );

    let everything = all_rows(&store);
    let hash = portevoix_core::referral::email_sha256(EMAIL);
    for trace in [
        "Camille",
        "camille.martin",
        CUSTOMER,
        VISITOR,
        OTHER_BROWSER,
        hash.as_str(),
    ] {
        assert!(
            !everything.to_lowercase().contains(&trace.to_lowercase()),
            "{trace} is still stored:\n{everything}"
        );
    }
    assert!(
        everything.contains("Bravo"),
        "a stranger's answer is untouched"
    );

    let after: NpsSummary = serde_json::from_str(
        &admin_call(&store, "GET", "/v1/sites/cairn/nps/summary", &json!(null)).body,
    )
    .expect("summary");
    assert_eq!(
        (after.total, after.detractors),
        (before.total, before.detractors),
        "scores still count"
    );
    assert_eq!(
        store.number("SELECT SUM(points) FROM ledger"),
        200,
        "the brand's points accounts still add up"
    );
    assert_eq!(
        store.number("SELECT review_count FROM review_aggregates"),
        0,
        "the withdrawn review no longer counts"
    );

    let again: PersonData = serde_json::from_str(
        &admin_call(
            &store,
            "POST",
            "/v1/sites/cairn/privacy/export",
            &json!({ "email": EMAIL }),
        )
        .body,
    )
    .expect("export");
    assert!(
        again.tables.is_empty() && again.customer_ids.is_empty(),
        "nothing is found any more"
    );
    let log: ErasureLog = serde_json::from_str(
        &admin_call(
            &store,
            "GET",
            "/v1/sites/cairn/privacy/erasures",
            &json!(null),
        )
        .body,
    )
    .expect("log");
    assert_eq!(log.erasures[0].requested_by, "Léa (service client)");
    assert_eq!(log.erasures[0].email_sha256, hash);
    assert_eq!(log.erasures[0].id, erasure.id);
    assert_eq!(
        log.erasures[0].rows, erasure.rows,
        "the log holds what the erasure changed"
    );
}

#[test]
fn privacy_requests_refuse_bad_input() {
    let store = store_with_camille();
    for (path, body, status) in [
        (
            "/v1/sites/cairn/privacy/export",
            json!({ "email": "not an address" }),
            422,
        ),
        (
            "/v1/sites/cairn/privacy/export",
            json!({ "email": 42 }),
            422,
        ),
        ("/v1/sites/cairn/privacy/export", json!({}), 422),
        (
            "/v1/sites/cairn/privacy/erase",
            json!({ "email": EMAIL }),
            422,
        ),
        (
            "/v1/sites/cairn/privacy/erase",
            json!({ "email": EMAIL, "requested_by": "" }),
            422,
        ),
        (
            "/v1/sites/cairn/privacy/erase",
            json!({ "email": "x' OR 1=1 --@example.com", "requested_by": "Léa" }),
            422,
        ),
        (
            "/v1/sites/cairn/privacy/erase",
            json!({ "email": "%@example.com", "requested_by": "Léa" }),
            200,
        ),
    ] {
        assert_eq!(
            admin_call(&store, "POST", path, &body).status,
            status,
            "{path} {body}"
        );
    }
    assert!(
        all_rows(&store).contains("Camille"),
        "a hostile address erases nobody else"
    );
    let mut anonymous = request(
        "POST",
        "/v1/sites/cairn/privacy/erase",
        br#"{"email":"a@b.example","requested_by":"x"}"#,
    );
    anonymous.origin = None;
    assert_eq!(run(&store, &anonymous).status, 401);
}
