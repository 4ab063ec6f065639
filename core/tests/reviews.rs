//! The review routes through the storage trait, natively, on the worker's own migrations:
//! writing, moderating, reading, paging, voting, replying, the crawler markup, and every
//! refusal storing nothing.

mod support;

use portevoix_core::api::ApiResponse;
use portevoix_core::token::{CustomerClaims, OrderClaim, sign};
use portevoix_core::wire::{
    AdminReview, AdminReviewPage, HelpfulCounted, PublicReview, ReviewCreated, ReviewPage,
};
use serde_json::{Value, json};
use support::{ADMIN_TOKEN, CUSTOMER_SECRET, NOW_MS, ORIGIN, SqliteStore, error_of, request, run};

const PRODUCT: &str = "tent-2p";
const REVIEWS: &str = "/v1/sites/cairn/products/tent-2p/reviews";

fn review(rating: u8, key: &str) -> Value {
    json!({
        "rating": rating,
        "title": "Solide et légère",
        "text": format!("Montée en cinq minutes, sèche après l'orage ({key})."),
        "author_name": "Camille",
        "visitor_id": "visitor-0001",
        "idempotency_key": key,
        "elapsed_ms": 30_000
    })
}

fn post(store: &SqliteStore, path: &str, body: &Value) -> ApiResponse {
    let bytes = body.to_string().into_bytes();
    run(store, &request("POST", path, &bytes))
}

fn admin_post(store: &SqliteStore, path: &str, body: &Value) -> ApiResponse {
    let bytes = body.to_string().into_bytes();
    let authorization = format!("Bearer {ADMIN_TOKEN}");
    let mut request = request("POST", path, &bytes);
    request.origin = None;
    request.authorization = Some(&authorization);
    run(store, &request)
}

fn admin_get(store: &SqliteStore, path: &str, query: &str, token: Option<&str>) -> ApiResponse {
    let authorization = token.map(|token| format!("Bearer {token}"));
    let mut request = request("GET", path, b"");
    request.query = query;
    request.origin = None;
    request.authorization = authorization.as_deref();
    run(store, &request)
}

fn submit(store: &SqliteStore, body: &Value) -> ReviewCreated {
    let response = post(store, REVIEWS, body);
    assert_eq!(response.status, 201, "{}", response.body);
    serde_json::from_str(&response.body).expect("created body")
}

fn moderate(store: &SqliteStore, id: &str, decision: Value) -> AdminReview {
    let response = admin_post(
        store,
        &format!("/v1/sites/cairn/reviews/{id}/moderation"),
        &decision,
    );
    assert_eq!(response.status, 200, "{}", response.body);
    serde_json::from_str(&response.body).expect("admin review")
}

fn publish(store: &SqliteStore, id: &str) -> AdminReview {
    moderate(store, id, json!({ "decision": "publish" }))
}

fn list(store: &SqliteStore, query: &str) -> ReviewPage {
    let mut request = request("GET", REVIEWS, b"");
    request.query = query;
    let response = run(store, &request);
    assert_eq!(response.status, 200, "{}", response.body);
    serde_json::from_str(&response.body).expect("review page")
}

fn token(products: &[&str], exp: i64, secret: &str) -> String {
    sign(
        &CustomerClaims {
            sub: "customer-42".into(),
            exp,
            orders: vec![OrderClaim {
                id: "A-1001".into(),
                products: products.iter().map(|&product| product.to_owned()).collect(),
            }],
            name: None,
            email: None,
        },
        secret.as_bytes(),
    )
}

fn review_rows(store: &SqliteStore) -> i64 {
    store.number("SELECT COUNT(*) FROM reviews")
}

#[test]
fn a_review_waits_for_moderation_then_counts_once_published() {
    let store = SqliteStore::new();
    let created = submit(&store, &review(4, "key-00000001"));
    assert_eq!(created.status.as_str(), "pending");
    assert!(!created.verified);
    let before = list(&store, "");
    assert!(before.reviews.is_empty());
    assert_eq!(before.summary.count, 0);
    assert_eq!(before.summary.average, None);

    let published = publish(&store, &created.id);
    assert_eq!(published.status.as_str(), "published");
    let after = list(&store, "");
    assert_eq!(after.reviews.len(), 1);
    assert_eq!(after.summary.count, 1);
    assert_eq!(
        after.summary.average,
        Some(4.0),
        "the first review is the average"
    );
    assert_eq!(after.summary.histogram[&4], 1);
    assert_eq!(after.reviews[0].author_name, "Camille");
}

#[test]
fn rejecting_a_published_review_takes_it_out_of_the_aggregate() {
    let store = SqliteStore::new();
    let five = submit(&store, &review(5, "key-00000001"));
    let mut two = review(2, "key-00000002");
    two["visitor_id"] = json!("visitor-0002");
    let two = submit(&store, &two);
    publish(&store, &five.id);
    publish(&store, &two.id);
    assert_eq!(list(&store, "").summary.average, Some(3.5));

    let rejected = moderate(
        &store,
        &two.id,
        json!({ "decision": "reject", "reason": "Parle d'un autre produit" }),
    );
    assert_eq!(
        rejected.rejection_reason.as_deref(),
        Some("Parle d'un autre produit")
    );
    let page = list(&store, "");
    assert_eq!(page.summary.count, 1);
    assert_eq!(page.summary.average, Some(5.0));
    assert_eq!(page.summary.histogram[&2], 0);
    assert_eq!(page.reviews.len(), 1);

    // Deciding the same twice changes nothing.
    publish(&store, &five.id);
    assert_eq!(list(&store, "").summary.count, 1);
}

#[test]
fn the_aggregate_always_equals_a_recount() {
    let store = SqliteStore::new();
    let mut ids = Vec::new();
    // A fixed pseudo-random walk of writes, publications, rejections and deletions.
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    for step in 0..400 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let pick = usize::try_from(seed % 1_000).expect("small");
        match seed % 4 {
            0 | 1 => {
                let status = if seed.is_multiple_of(3) {
                    "published"
                } else {
                    "pending"
                };
                let id = format!("{step:032x}");
                store.execute(&format!(
                    "INSERT INTO reviews (id, site_id, product_id, idempotency_key, visitor_id, \
                     rating, title, body, author_name, status, created_at) VALUES \
                     ('{id}', 'cairn', 'p{}', 'k{step}', 'v', {}, 't', 'body text', 'n', '{status}', {step})",
                    seed % 2,
                    seed % 5 + 1,
                ));
                ids.push(id);
            }
            2 if !ids.is_empty() => {
                let id = &ids[pick % ids.len()];
                let status = ["published", "rejected", "pending"][pick % 3];
                store.execute(&format!(
                    "UPDATE reviews SET status = '{status}' WHERE id = '{id}'"
                ));
            }
            _ if !ids.is_empty() => {
                let id = ids.swap_remove(pick % ids.len());
                store.execute(&format!(
                    "DELETE FROM review_votes WHERE review_id = '{id}'"
                ));
                store.execute(&format!("DELETE FROM reviews WHERE id = '{id}'"));
            }
            _ => {}
        }
    }
    let mismatches = store.number(
        "SELECT COUNT(*) FROM (SELECT product_id, COUNT(*) AS n, SUM(rating) AS s, \
         SUM(rating = 1) AS s1, SUM(rating = 5) AS s5 FROM reviews \
         WHERE status = 'published' GROUP BY product_id) AS recount \
         FULL JOIN review_aggregates AS kept USING (product_id) \
         WHERE COALESCE(recount.n, 0) != COALESCE(kept.review_count, 0) \
         OR COALESCE(recount.s, 0) != COALESCE(kept.rating_sum, 0) \
         OR COALESCE(recount.s1, 0) != COALESCE(kept.stars_1, 0) \
         OR COALESCE(recount.s5, 0) != COALESCE(kept.stars_5, 0)",
    );
    assert_eq!(mismatches, 0);
    assert!(store.number("SELECT SUM(review_count) FROM review_aggregates") > 0);
}

#[test]
fn a_token_naming_an_order_of_the_product_verifies_the_purchase() {
    let store = SqliteStore::new();
    let mut body = review(5, "key-00000001");
    body["customer_token"] = json!(token(&[PRODUCT], NOW_MS / 1000 + 600, CUSTOMER_SECRET));
    let created = submit(&store, &body);
    assert!(created.verified);
    assert_eq!(
        created.status.as_str(),
        "pending",
        "the site does not auto-publish"
    );
    let stored = publish(&store, &created.id);
    assert_eq!(stored.customer_id.as_deref(), Some("customer-42"));
    assert_eq!(stored.order_id.as_deref(), Some("A-1001"));
    assert!(list(&store, "").reviews[0].verified);
}

#[test]
fn verified_purchases_are_published_at_once_when_the_site_says_so() {
    let store = SqliteStore::new();
    store.set_config(r#"{"reviews":{"auto_publish_verified":true}}"#);
    let mut body = review(5, "key-00000001");
    body["customer_token"] = json!(token(&[PRODUCT], NOW_MS / 1000 + 600, CUSTOMER_SECRET));
    let created = submit(&store, &body);
    assert_eq!(created.status.as_str(), "published");
    assert_eq!(list(&store, "").summary.count, 1);

    let mut unverified = review(1, "key-00000002");
    unverified["visitor_id"] = json!("visitor-0002");
    assert_eq!(submit(&store, &unverified).status.as_str(), "pending");
}

#[test]
fn a_token_for_another_product_is_a_customer_but_not_a_verified_buyer() {
    let store = SqliteStore::new();
    let mut body = review(4, "key-00000001");
    body["customer_token"] = json!(token(&["stove"], NOW_MS / 1000 + 600, CUSTOMER_SECRET));
    let created = submit(&store, &body);
    assert!(!created.verified);
    let stored = publish(&store, &created.id);
    assert_eq!(stored.customer_id.as_deref(), Some("customer-42"));
    assert_eq!(stored.order_id, None);
}

#[test]
fn forged_and_expired_tokens_are_refused_and_nothing_is_stored() {
    let store = SqliteStore::new();
    for (token, code) in [
        (
            token(&[PRODUCT], NOW_MS / 1000 + 600, "another secret"),
            "invalid_customer_token",
        ),
        (
            token(&[PRODUCT], NOW_MS / 1000 - 1, CUSTOMER_SECRET),
            "customer_token_expired",
        ),
        ("v1.bm90.dG9rZW4".to_owned(), "invalid_customer_token"),
    ] {
        let mut body = review(5, "key-00000001");
        body["customer_token"] = json!(token);
        assert_eq!(
            error_of(&post(&store, REVIEWS, &body)),
            (401, code.into(), None)
        );
    }
    assert_eq!(review_rows(&store), 0);
}

#[test]
fn a_customer_reviews_a_product_once_but_a_retry_gets_the_first_answer() {
    let store = SqliteStore::new();
    let customer = token(&[PRODUCT], NOW_MS / 1000 + 600, CUSTOMER_SECRET);
    let mut first = review(5, "key-00000001");
    first["customer_token"] = json!(customer);
    let created = submit(&store, &first);

    let retry = post(&store, REVIEWS, &first);
    assert_eq!(retry.status, 200);
    let replayed: ReviewCreated = serde_json::from_str(&retry.body).expect("replay");
    assert_eq!(replayed, created);

    let mut second = review(1, "key-00000002");
    second["customer_token"] = json!(customer);
    assert_eq!(
        error_of(&post(&store, REVIEWS, &second)),
        (409, "already_reviewed".into(), None)
    );
    assert_eq!(review_rows(&store), 1);
}

#[test]
fn every_invalid_field_is_refused_with_its_name_and_nothing_is_stored() {
    let store = SqliteStore::new();
    let cases: Vec<(&str, Value, &str, &str)> = vec![
        ("rating", json!(0), "invalid_field", "rating"),
        ("rating", json!(6), "invalid_field", "rating"),
        ("rating", json!("five"), "invalid_field", "rating"),
        ("rating", json!(4.5), "invalid_field", "rating"),
        ("title", json!(""), "invalid_field", "title"),
        ("title", json!("t".repeat(121)), "invalid_field", "title"),
        ("title", json!(42), "invalid_field", "title"),
        ("text", json!("too short"), "invalid_field", "text"),
        ("text", json!("x".repeat(5_001)), "invalid_field", "text"),
        (
            "author_name",
            json!("n".repeat(61)),
            "invalid_field",
            "author_name",
        ),
        ("author_name", json!(null), "invalid_field", "author_name"),
        ("email", json!("camille@"), "invalid_field", "email_consent"),
        ("visitor_id", json!("short"), "invalid_field", "visitor_id"),
        (
            "page_url",
            json!("javascript:alert(1)"),
            "invalid_field",
            "page_url",
        ),
        ("unexpected", json!(true), "invalid_field", "unexpected"),
    ];
    for (field, value, code, named) in cases {
        let mut body = review(5, "key-00000001");
        body[field] = value.clone();
        let (status, actual_code, actual_field) = error_of(&post(&store, REVIEWS, &body));
        assert_eq!(
            (status, actual_code.as_str(), actual_field.as_deref()),
            (422, code, Some(named)),
            "{field} = {value}"
        );
    }
    let mut bad_email = review(5, "key-00000001");
    bad_email["email"] = json!("camille@");
    bad_email["email_consent"] = json!(true);
    assert_eq!(
        error_of(&post(&store, REVIEWS, &bad_email)).2.as_deref(),
        Some("email")
    );
    for missing in ["rating", "title", "text", "author_name", "idempotency_key"] {
        let mut body = review(5, "key-00000001");
        body.as_object_mut().expect("object").remove(missing);
        assert_eq!(
            error_of(&post(&store, REVIEWS, &body)),
            (422, "invalid_field".into(), Some(missing.into())),
            "{missing}"
        );
    }
    assert_eq!(review_rows(&store), 0);
}

#[test]
fn an_email_is_kept_only_with_consent() {
    let store = SqliteStore::new();
    let mut body = review(5, "key-00000001");
    body["email"] = json!("camille@cairn.example");
    body["email_consent"] = json!(true);
    let created = submit(&store, &body);
    let stored = publish(&store, &created.id);
    assert_eq!(stored.email.as_deref(), Some("camille@cairn.example"));
    let page = list(&store, "");
    let public = serde_json::to_string(&page).expect("serializes");
    assert!(!public.contains("camille@"), "emails never reach visitors");
}

#[test]
fn bad_product_ids_unknown_sites_bodies_and_robots_are_refused() {
    let store = SqliteStore::new();
    let body = review(5, "key-00000001");
    assert_eq!(
        error_of(&post(
            &store,
            "/v1/sites/cairn/products/t%20t/reviews",
            &body
        ))
        .2,
        Some("product".into())
    );
    assert_eq!(
        error_of(&post(
            &store,
            "/v1/sites/nobody/products/tent-2p/reviews",
            &body
        )),
        (404, "unknown_site".into(), None)
    );
    let huge = vec![b'a'; 17 * 1024];
    assert_eq!(
        error_of(&run(&store, &request("POST", REVIEWS, &huge))).1,
        "payload_too_large"
    );
    assert_eq!(
        error_of(&run(&store, &request("POST", REVIEWS, b"{\"rating\":"))).1,
        "invalid_json"
    );
    let mut honeypot = review(5, "key-00000002");
    honeypot["website"] = json!("http://spam.example");
    assert_eq!(
        error_of(&post(&store, REVIEWS, &honeypot)).1,
        "spam_suspected"
    );
    let mut hasty = review(5, "key-00000003");
    hasty["elapsed_ms"] = json!(800);
    assert_eq!(error_of(&post(&store, REVIEWS, &hasty)).1, "spam_suspected");
    let mut copied = review(5, "key-00000004");
    submit(&store, &copied);
    copied["idempotency_key"] = json!("key-00000005");
    copied["visitor_id"] = json!("visitor-0002");
    assert_eq!(
        error_of(&post(&store, REVIEWS, &copied)).1,
        "spam_suspected"
    );
    assert_eq!(review_rows(&store), 1);
}

#[test]
fn hostile_text_is_stored_and_served_exactly_as_given() {
    let store = SqliteStore::new();
    let hostile = "<img src=x onerror=alert(1)>'; DROP TABLE reviews; --";
    let mut body = review(3, "key-00000001");
    body["text"] = json!(hostile);
    body["title"] = json!("<script>alert(1)</script>");
    body["author_name"] = json!("Robert'); DROP TABLE reviews;--");
    let created = submit(&store, &body);
    publish(&store, &created.id);
    let page = list(&store, "");
    assert_eq!(page.reviews[0].text, hostile);
    assert_eq!(page.reviews[0].title, "<script>alert(1)</script>");
}

fn seed_published(store: &SqliteStore, indexes: std::ops::Range<u32>) {
    for index in indexes {
        store.execute(&format!(
            "INSERT INTO reviews (id, site_id, product_id, idempotency_key, visitor_id, rating, \
             title, body, author_name, status, created_at, helpful_count) VALUES \
             ('{index:032x}', 'cairn', 'tent-2p', 'seed-{index}', 'v', {}, 't', 'body text', \
             'n', 'published', {}, {})",
            index % 5 + 1,
            1_000 + u64::from(index / 3),
            index % 7,
        ));
    }
}

#[test]
fn pages_cover_every_review_once_in_each_order() {
    let store = SqliteStore::new();
    seed_published(&store, 0..53);
    type SortKey = fn(&PublicReview) -> (i64, i64);
    let orders: [(&str, SortKey); 4] = [
        ("newest", |review| (0, -review.created_at)),
        ("helpful", |review| {
            (-(review.helpful_count as i64), -review.created_at)
        }),
        ("rating_high", |review| {
            (-i64::from(review.rating), -review.created_at)
        }),
        ("rating_low", |review| {
            (i64::from(review.rating), -review.created_at)
        }),
    ];
    for (sort, key) in orders {
        let mut seen = Vec::new();
        let mut query = format!("sort={sort}&limit=10");
        loop {
            let page = list(&store, &query);
            assert_eq!(page.summary.count, 53);
            seen.extend(page.reviews);
            match page.next_cursor {
                Some(cursor) => query = format!("sort={sort}&limit=10&cursor={cursor}"),
                None => break,
            }
        }
        let mut ids: Vec<&str> = seen.iter().map(|review| review.id.as_str()).collect();
        assert_eq!(ids.len(), 53, "{sort}: every review once");
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 53, "{sort}: no review twice");
        let keys: Vec<_> = seen.iter().map(key).collect();
        assert!(
            keys.windows(2).all(|pair| pair[0] <= pair[1]),
            "{sort}: in order"
        );
    }
}

#[test]
fn a_rating_filter_pages_through_that_rating_only_in_each_order() {
    let store = SqliteStore::new();
    seed_published(&store, 0..53);
    // Ratings cycle 1 to 5: eleven reviews have 3 stars (indexes 2, 7, …, 52).
    for sort in ["newest", "helpful", "rating_high", "rating_low"] {
        let mut seen = Vec::new();
        let mut query = format!("sort={sort}&rating=3&limit=4");
        loop {
            let page = list(&store, &query);
            assert_eq!(page.rating, Some(3));
            assert_eq!(
                page.summary.count, 53,
                "{sort}: the summary counts every review"
            );
            seen.extend(page.reviews);
            match page.next_cursor {
                Some(cursor) => query = format!("sort={sort}&rating=3&limit=4&cursor={cursor}"),
                None => break,
            }
        }
        assert!(seen.iter().all(|review| review.rating == 3), "{sort}");
        let mut ids: Vec<&str> = seen.iter().map(|review| review.id.as_str()).collect();
        assert_eq!(ids.len(), 11, "{sort}: every 3-star review");
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 11, "{sort}: none twice");
        let keys: Vec<(i64, i64)> = seen
            .iter()
            .map(|review| match sort {
                "helpful" => (-(review.helpful_count as i64), -review.created_at),
                _ => (0, -review.created_at),
            })
            .collect();
        assert!(
            keys.windows(2).all(|pair| pair[0] <= pair[1]),
            "{sort}: in order"
        );
    }
    assert_eq!(list(&store, "").rating, None);
}

#[test]
fn bad_paging_parameters_are_named() {
    let store = SqliteStore::new();
    for (query, param) in [
        ("sort=best", "sort"),
        ("limit=0", "limit"),
        ("limit=51", "limit"),
        ("cursor=%27%20OR%201%3D1", "cursor"),
        ("limit=5&limit=50", "limit"),
        ("sort=newest&limit=5&sort=oldest", "sort"),
        ("rating=0", "rating"),
        ("rating=6", "rating"),
        ("rating=4.5", "rating"),
        ("rating=-1", "rating"),
        ("rating=", "rating"),
        ("rating=%3Cscript%3E", "rating"),
        ("rating=3&rating=4", "rating"),
    ] {
        let mut request = request("GET", REVIEWS, b"");
        request.query = query;
        assert_eq!(
            error_of(&run(&store, &request)),
            (400, "invalid_query".into(), Some(param.into())),
            "{query}"
        );
    }
}

#[test]
fn a_query_parameter_given_twice_is_refused_by_name() {
    let store = SqliteStore::new();
    let mut request = request("GET", REVIEWS, b"");
    request.query = "limit=5&limit=50";
    let response = run(&store, &request);
    assert_eq!(response.status, 400);
    let body: Value = serde_json::from_str(&response.body).expect("error body");
    assert_eq!(body["error"]["message"], "limit is given twice");
}

#[test]
fn an_unchanged_list_is_answered_304() {
    let store = SqliteStore::new();
    seed_published(&store, 0..3);
    let response = run(&store, &request("GET", REVIEWS, b""));
    let etag = response.header("etag").expect("etag").to_owned();
    assert_eq!(response.header("cache-control"), Some("no-cache"));
    let mut again = request("GET", REVIEWS, b"");
    again.if_none_match = Some(&etag);
    let unchanged = run(&store, &again);
    assert_eq!(unchanged.status, 304);
    assert!(unchanged.body.is_empty());
    seed_published(&store, 3..4);
    assert_eq!(
        run(&store, &again).status,
        200,
        "a new review changes the tag"
    );
}

fn vote(store: &SqliteStore, id: &str, visitor: &str) -> ApiResponse {
    post(
        store,
        &format!("{REVIEWS}/{id}/helpful"),
        &json!({ "visitor_id": visitor }),
    )
}

#[test]
fn each_visitor_finds_a_review_helpful_once() {
    let store = SqliteStore::new();
    let created = submit(&store, &review(5, "key-00000001"));
    assert_eq!(
        error_of(&vote(&store, &created.id, "visitor-0009")),
        (404, "unknown_review".into(), None),
        "a pending review cannot be voted on"
    );
    publish(&store, &created.id);
    let counted = |response: ApiResponse| -> HelpfulCounted {
        assert_eq!(response.status, 200, "{}", response.body);
        serde_json::from_str(&response.body).expect("counted")
    };
    let first = counted(vote(&store, &created.id, "visitor-0009"));
    assert_eq!((first.helpful_count, first.counted), (1, true));
    let again = counted(vote(&store, &created.id, "visitor-0009"));
    assert_eq!((again.helpful_count, again.counted), (1, false));
    let other = counted(vote(&store, &created.id, "visitor-0010"));
    assert_eq!((other.helpful_count, other.counted), (2, true));
    assert_eq!(list(&store, "sort=helpful").reviews[0].helpful_count, 2);
    assert_eq!(
        error_of(&vote(
            &store,
            "0123456789abcdef0123456789abcdef",
            "visitor-0009"
        ))
        .1,
        "unknown_review"
    );
    assert_eq!(
        error_of(&vote(&store, "not-an-id", "visitor-0009")).1,
        "unknown_review"
    );
    assert_eq!(
        error_of(&vote(&store, &created.id, "x")).2.as_deref(),
        Some("visitor_id")
    );
}

#[test]
fn the_queue_lists_pending_reviews_to_the_admin_only() {
    let store = SqliteStore::new();
    let first = submit(&store, &review(5, "key-00000001"));
    let mut second = review(3, "key-00000002");
    second["visitor_id"] = json!("visitor-0002");
    second["email"] = json!("dominique@cairn.example");
    second["email_consent"] = json!(true);
    submit(&store, &second);
    for token in [None, Some("wrong-token")] {
        assert_eq!(
            error_of(&admin_get(&store, "/v1/sites/cairn/reviews", "", token)).1,
            "unauthorized"
        );
    }
    let response = admin_get(
        &store,
        "/v1/sites/cairn/reviews",
        "status=pending",
        Some(ADMIN_TOKEN),
    );
    let queue: AdminReviewPage = serde_json::from_str(&response.body).expect("queue");
    assert_eq!(queue.reviews.len(), 2);
    // Both were written at the same instant: their order is the tie-break on ids.
    assert!(
        queue
            .reviews
            .iter()
            .any(|pending| pending.email.as_deref() == Some("dominique@cairn.example"))
    );
    publish(&store, &first.id);
    let response = admin_get(&store, "/v1/sites/cairn/reviews", "", Some(ADMIN_TOKEN));
    let queue: AdminReviewPage = serde_json::from_str(&response.body).expect("queue");
    assert_eq!(queue.reviews.len(), 1, "pending is the default");
    assert_eq!(
        error_of(&admin_get(
            &store,
            "/v1/sites/cairn/reviews",
            "status=all",
            Some(ADMIN_TOKEN)
        )),
        (400, "invalid_query".into(), Some("status".into()))
    );
}

#[test]
fn moderation_needs_the_admin_a_known_review_and_a_reason_to_reject() {
    let store = SqliteStore::new();
    let created = submit(&store, &review(5, "key-00000001"));
    let path = format!("/v1/sites/cairn/reviews/{}/moderation", created.id);
    let body = json!({ "decision": "publish" }).to_string().into_bytes();
    let mut anonymous = request("POST", &path, &body);
    anonymous.origin = Some(ORIGIN);
    assert_eq!(error_of(&run(&store, &anonymous)).1, "unauthorized");
    assert_eq!(
        error_of(&admin_post(&store, &path, &json!({ "decision": "reject" }))).2,
        Some("reason".into())
    );
    assert_eq!(
        error_of(&admin_post(&store, &path, &json!({ "decision": "hide" }))).2,
        Some("decision".into())
    );
    assert_eq!(
        error_of(&admin_post(
            &store,
            "/v1/sites/cairn/reviews/0123456789abcdef0123456789abcdef/moderation",
            &json!({ "decision": "publish" })
        )),
        (404, "unknown_review".into(), None)
    );
    assert_eq!(list(&store, "").summary.count, 0);
}

#[test]
fn the_brand_reply_shows_under_the_review() {
    let store = SqliteStore::new();
    let created = submit(&store, &review(2, "key-00000001"));
    publish(&store, &created.id);
    let path = format!("/v1/sites/cairn/reviews/{}/reply", created.id);
    assert_eq!(
        error_of(&admin_post(&store, &path, &json!({ "text": "  " }))).2,
        Some("text".into())
    );
    let response = admin_post(
        &store,
        &path,
        &json!({ "text": "Désolés : écrivez-nous, nous remplaçons l'arceau." }),
    );
    assert_eq!(response.status, 200, "{}", response.body);
    let reply = list(&store, "").reviews[0]
        .reply
        .clone()
        .expect("reply shown");
    assert_eq!(
        reply.text,
        "Désolés : écrivez-nous, nous remplaçons l'arceau."
    );
    assert_eq!(reply.created_at, NOW_MS);
}

#[test]
fn a_consenting_reviewer_is_owed_one_mail_once_the_reply_is_on_the_page() {
    let store = SqliteStore::new();
    let reply = |id: &str, text: &str| {
        let path = format!("/v1/sites/cairn/reviews/{id}/reply");
        let response = admin_post(&store, &path, &json!({ "text": text }));
        assert_eq!(response.status, 200, "{}", response.body);
    };
    let mails =
        || store.number("SELECT COUNT(*) FROM mail_outbox WHERE template = 'review_replied'");
    let mut consenting = review(2, "key-00000001");
    consenting["email"] = json!("camille@cairn.example");
    consenting["email_consent"] = json!(true);
    let created = submit(&store, &consenting);
    reply(&created.id, "Merci, nous vous écrivons.");
    assert_eq!(
        mails(),
        0,
        "a reply to a review still waiting is on no page yet"
    );
    publish(&store, &created.id);
    assert_eq!(mails(), 1, "published with its reply");
    reply(&created.id, "Merci : un arceau neuf part demain.");
    assert_eq!(mails(), 1, "a reply changed mails nobody again");
    assert_eq!(
        store.number(&format!(
            "SELECT COUNT(*) FROM mail_outbox WHERE recipient = 'camille@cairn.example' \
             AND subject_id = '{}'",
            created.id
        )),
        1
    );

    let mut silent = review(3, "key-00000002");
    silent["visitor_id"] = json!("visitor-0002");
    let unmailed = submit(&store, &silent);
    publish(&store, &unmailed.id);
    reply(&unmailed.id, "Merci !");
    assert_eq!(mails(), 1, "no address, no mail");
}

#[test]
fn crawler_markup_is_cacheable_json_ld_and_escaped_html() {
    let store = SqliteStore::new();
    let mut body = review(4, "key-00000001");
    body["text"] = json!("<img src=x onerror=alert(1)>");
    let created = submit(&store, &body);
    publish(&store, &created.id);

    let mut request_ld = request(
        "GET",
        "/v1/sites/cairn/products/tent-2p/reviews.jsonld",
        b"",
    );
    request_ld.origin = None;
    request_ld.query = "name=Tente%20Cairn%202";
    let response = run(&store, &request_ld);
    assert_eq!(response.status, 200);
    assert_eq!(
        response.header("content-type"),
        Some("application/ld+json; charset=utf-8")
    );
    assert!(
        response
            .header("cache-control")
            .unwrap_or_default()
            .contains("max-age=300")
    );
    let ld: Value = serde_json::from_str(&response.body).expect("JSON-LD parses");
    assert_eq!(ld["name"], "Tente Cairn 2");
    assert_eq!(ld["aggregateRating"]["ratingValue"], 4.0);
    assert_eq!(ld["aggregateRating"]["reviewCount"], 1);

    let mut request_html = request("GET", "/v1/sites/cairn/products/tent-2p/reviews.html", b"");
    request_html.origin = None;
    let response = run(&store, &request_html);
    assert_eq!(
        response.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(response.body.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(!response.body.contains("<img"));
    assert!(response.body.contains("lang=\"fr\""), "the site's language");
    request_html.query = "lang=en";
    assert!(run(&store, &request_html).body.contains("Customer reviews"));
}

/// Every review of one admin list, page by page of two, as `(created_at, id)`.
fn every_page(store: &SqliteStore, query: &str) -> Vec<(i64, String)> {
    let mut seen = Vec::new();
    let mut next = format!("limit=2{query}");
    loop {
        let response = admin_get(store, "/v1/sites/cairn/reviews", &next, Some(ADMIN_TOKEN));
        let page: AdminReviewPage = serde_json::from_str(&response.body).expect("queue");
        seen.extend(
            page.reviews
                .into_iter()
                .map(|review| (review.created_at, review.id)),
        );
        match page.next_cursor {
            Some(cursor) => next = format!("limit=2{query}&cursor={cursor}"),
            None => return seen,
        }
    }
}

/// Five reviews in `status`, two by two written at the same millisecond.
fn five_reviews(store: &SqliteStore, status: &str) {
    for index in 0..5 {
        store.execute(&format!(
            "INSERT INTO reviews (id, site_id, product_id, idempotency_key, visitor_id, rating, \
             title, body, author_name, status, created_at) VALUES ('{index:032x}', 'cairn', \
             'tent-2p', 'queue-{index}', 'v', 4, 't', 'body text', 'n', '{status}', {})",
            1_000 + index / 2
        ));
    }
}

#[test]
fn the_moderation_queue_pages_oldest_first() {
    let store = SqliteStore::new();
    five_reviews(&store, "pending");
    let seen = every_page(&store, "");
    assert_eq!(seen.len(), 5);
    assert!(
        seen.windows(2).all(|pair| pair[0] < pair[1]),
        "oldest first, each once"
    );
}

#[test]
fn published_reviews_are_listed_by_rating_and_reply_for_the_brand_to_answer() {
    let store = SqliteStore::new();
    five_reviews(&store, "published");
    store.execute(&format!(
        "UPDATE reviews SET rating = 2 WHERE id IN ('{:032x}', '{:032x}', '{:032x}')",
        1, 2, 3
    ));
    store.execute(&format!(
        "UPDATE reviews SET reply = 'Merci', reply_at = 5000 WHERE id IN ('{:032x}', '{:032x}')",
        2, 4
    ));
    let ids = |query: &str| -> Vec<String> {
        every_page(&store, &format!("&status=published&order=newest{query}"))
            .into_iter()
            .map(|(_, id)| id[30..].to_owned())
            .collect()
    };
    assert_eq!(ids("&rating=2"), ["03", "02", "01"]);
    assert_eq!(
        ids("&rating=2&replied=false"),
        ["03", "01"],
        "still to answer"
    );
    assert_eq!(ids("&replied=true"), ["04", "02"]);
    assert_eq!(ids("&rating=4&replied=false"), ["00"]);
    assert!(ids("&rating=5").is_empty());
    for (query, param) in [
        ("replied=maybe", "replied"),
        ("replied=", "replied"),
        ("rating=6", "rating"),
        ("rating=2&rating=3", "rating"),
    ] {
        assert_eq!(
            error_of(&admin_get(
                &store,
                "/v1/sites/cairn/reviews",
                &format!("status=published&{query}"),
                Some(ADMIN_TOKEN)
            )),
            (400, "invalid_query".into(), Some(param.into())),
            "{query}"
        );
    }
}

#[test]
fn published_reviews_page_newest_first_when_asked() {
    let store = SqliteStore::new();
    five_reviews(&store, "published");
    let seen = every_page(&store, "&status=published&order=newest");
    assert_eq!(seen.len(), 5);
    assert!(
        seen.windows(2).all(|pair| pair[0] > pair[1]),
        "newest first, each once: {seen:?}"
    );
    assert_eq!(
        every_page(&store, "&status=published&order=oldest").len(),
        5
    );
    for order in ["latest", "", "newest&order=oldest"] {
        assert_eq!(
            error_of(&admin_get(
                &store,
                "/v1/sites/cairn/reviews",
                &format!("status=published&order={order}"),
                Some(ADMIN_TOKEN)
            )),
            (400, "invalid_query".into(), Some("order".into())),
            "order={order}"
        );
    }
}
