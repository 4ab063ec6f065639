//! Webhooks over the real SQL on SQLite: events queued by the triggers for the
//! subscriptions that asked for them, and the outbox drained with a stand-in sender:
//! delivered once, retried with backoff, given up after the last attempt.

mod support;

use std::cell::RefCell;

use portevoix_core::webhooks::{self, DrainReport, Sender};
use portevoix_core::wire::{WebhookLog, WebhookSubscription};
use serde_json::json;
use support::*;

/// One delivery as the receiver got it: URL, headers, body.
type Sent = (String, Vec<(String, String)>, String);

/// Answers each delivery with the next status of its script (then 200), and keeps them.
struct ScriptedSender {
    statuses: RefCell<Vec<Result<u16, String>>>,
    sent: RefCell<Vec<Sent>>,
}

impl ScriptedSender {
    fn new(statuses: Vec<Result<u16, String>>) -> ScriptedSender {
        ScriptedSender {
            statuses: RefCell::new(statuses),
            sent: RefCell::new(Vec::new()),
        }
    }
}

impl Sender for ScriptedSender {
    async fn post(&self, url: &str, headers: &[(&str, String)], body: &str) -> Result<u16, String> {
        let headers = headers
            .iter()
            .map(|(name, value)| ((*name).to_owned(), value.clone()))
            .collect();
        self.sent
            .borrow_mut()
            .push((url.to_owned(), headers, body.to_owned()));
        let mut statuses = self.statuses.borrow_mut();
        if statuses.is_empty() {
            Ok(200)
        } else {
            statuses.remove(0)
        }
    }
}

fn subscribe(store: &SqliteStore, events: &[&str]) -> WebhookSubscription {
    let response = admin_call(
        store,
        "POST",
        "/v1/sites/cairn/webhooks",
        &json!({ "url": "https://hooks.cairn.example/portevoix", "events": events }),
    );
    assert_eq!(response.status, 201, "{}", response.body);
    serde_json::from_str(&response.body).expect("subscription")
}

/// Stops a subscription through the admin route, as the console does.
fn unsubscribe(store: &SqliteStore, subscription: &WebhookSubscription) {
    let path = format!("/v1/sites/cairn/webhooks/{}/delete", subscription.id);
    let response = admin_call(store, "POST", &path, &json!(null));
    assert_eq!(response.status, 204, "{}", response.body);
}

fn drain(store: &SqliteStore, sender: &ScriptedSender, now_ms: i64) -> DrainReport {
    pollster::block_on(webhooks::drain(store, sender, now_ms)).expect("drain")
}

#[test]
fn only_subscribed_events_of_active_subscriptions_are_queued() {
    let store = SqliteStore::new();
    let nps_only = subscribe(&store, &["nps.created"]);
    subscribe(&store, &["review.published"]);
    store.insert_answer(9, NOW_MS, "answer-1");
    assert_eq!(store.number("SELECT COUNT(*) FROM webhook_deliveries"), 1);
    assert_eq!(
        store.number(&format!(
            "SELECT COUNT(*) FROM webhook_deliveries WHERE subscription_id = '{}'",
            nps_only.id
        )),
        1
    );
    unsubscribe(&store, &nps_only);
    store.insert_answer(3, NOW_MS, "answer-2");
    assert_eq!(
        store.number("SELECT COUNT(*) FROM webhook_deliveries"),
        1,
        "a deleted subscription gets nothing"
    );
}

#[test]
fn a_delivery_is_signed_retried_with_backoff_and_sent_once() {
    let store = SqliteStore::new();
    let subscription = subscribe(&store, &["nps.created"]);
    let secret = subscription.secret.expect("the secret, once");
    store.insert_answer(10, NOW_MS, "answer-1");

    let sender = ScriptedSender::new(vec![Ok(500), Err("connection refused".into())]);
    assert_eq!(
        drain(&store, &sender, NOW_MS),
        DrainReport {
            delivered: 0,
            retrying: 1,
            given_up: 0
        }
    );
    assert_eq!(
        drain(&store, &sender, NOW_MS + 500),
        DrainReport::default(),
        "not due before its delay"
    );
    assert_eq!(
        drain(&store, &sender, NOW_MS + 1_000),
        DrainReport {
            delivered: 0,
            retrying: 1,
            given_up: 0
        }
    );
    assert_eq!(
        drain(&store, &sender, NOW_MS + 6_000),
        DrainReport {
            delivered: 1,
            retrying: 0,
            given_up: 0
        }
    );
    assert_eq!(
        drain(&store, &sender, NOW_MS + 100_000_000),
        DrainReport::default(),
        "sent once"
    );

    let sent = sender.sent.borrow();
    assert_eq!(sent.len(), 3);
    let header = |index: usize, name: &str| {
        sent[index]
            .1
            .iter()
            .find(|(header, _)| header == name)
            .map(|(_, value)| value.clone())
            .expect("header")
    };
    assert_eq!(
        header(0, "webhook-id"),
        header(2, "webhook-id"),
        "one id across retries"
    );
    let (id, timestamp) = (header(2, "webhook-id"), header(2, "webhook-timestamp"));
    let expected = webhooks::signature(
        &secret,
        &id,
        timestamp.parse().expect("seconds"),
        &sent[2].2,
    );
    assert_eq!(Some(header(2, "webhook-signature")), expected);
    let body: serde_json::Value = serde_json::from_str(&sent[2].2).expect("JSON body");
    assert_eq!(
        (body["type"].as_str(), body["data"]["score"].as_i64()),
        (Some("nps.created"), Some(10))
    );

    let log: WebhookLog = serde_json::from_str(
        &admin_call(
            &store,
            "GET",
            &format!("/v1/sites/cairn/webhooks/{}/deliveries", subscription.id),
            &json!(null),
        )
        .body,
    )
    .expect("log");
    assert_eq!(
        (log.deliveries[0].attempts, log.deliveries[0].last_status),
        (3, Some(200))
    );
}

#[test]
fn a_receiver_down_for_good_is_given_up_after_the_last_attempt() {
    let store = SqliteStore::new();
    subscribe(&store, &["nps.created"]);
    store.insert_answer(0, NOW_MS, "answer-1");
    let sender = ScriptedSender::new(vec![Ok(503); 20]);
    let mut now = NOW_MS;
    let mut given_up = 0;
    for _ in 0..12 {
        given_up += drain(&store, &sender, now).given_up;
        now += 100_000_000;
    }
    assert_eq!(given_up, 1);
    assert_eq!(
        sender.sent.borrow().len(),
        webhooks::RETRY_DELAYS_MS.len() + 1
    );
    assert_eq!(store.number("SELECT COUNT(*) FROM webhook_deliveries WHERE next_attempt_at IS NULL AND delivered_at IS NULL"), 1);
}

#[test]
fn webhook_routes_refuse_unknown_subscriptions_and_bad_ids() {
    let store = SqliteStore::new();
    for path in [
        "/v1/sites/cairn/webhooks/ffffffffffffffffffffffffffffffff/test",
        "/v1/sites/cairn/webhooks/ffffffffffffffffffffffffffffffff/delete",
        "/v1/sites/cairn/webhooks/ffffffffffffffffffffffffffffffff/rotate-secret",
        "/v1/sites/cairn/webhooks/%27%20OR%201=1/test",
        "/v1/sites/cairn/webhooks/%27%20OR%201=1/rotate-secret",
    ] {
        assert_eq!(
            admin_call(&store, "POST", path, &json!({})).status,
            404,
            "{path}"
        );
    }
    assert_eq!(
        admin_call(
            &store,
            "GET",
            "/v1/sites/cairn/webhooks/ffffffffffffffffffffffffffffffff/deliveries",
            &json!(null)
        )
        .status,
        200,
        "an unknown subscription has an empty log"
    );
}

#[test]
fn a_subscription_sent_again_with_its_key_is_made_once_and_answered_with_its_secret() {
    let store = SqliteStore::new();
    let subscribe_with =
        |body: serde_json::Value| admin_call(&store, "POST", "/v1/sites/cairn/webhooks", &body);
    let request = json!({
        "url": "https://hooks.cairn.example/portevoix",
        "events": ["nps.created"],
        "idempotency_key": "subscribe-0001",
    });
    let first = subscribe_with(request.clone());
    assert_eq!(first.status, 201, "{}", first.body);
    assert_eq!(
        store.take_round_trips(),
        3,
        "the site; the subscriptions, random bytes and what the key made; the subscription"
    );
    let again = subscribe_with(request);
    assert_eq!(again.status, 201, "{}", again.body);
    assert_eq!(store.take_round_trips(), 2, "the site; what the key made");
    let (first, again): (WebhookSubscription, WebhookSubscription) = (
        serde_json::from_str(&first.body).expect("subscription"),
        serde_json::from_str(&again.body).expect("subscription"),
    );
    assert_eq!(again, first, "the same subscription, with the same secret");
    assert!(first.secret.is_some());

    let other = subscribe_with(json!({
        "url": "https://hooks.cairn.example/other",
        "events": ["nps.created"],
        "idempotency_key": "subscribe-0001",
    }));
    assert_eq!(other.status, 422, "{}", other.body);
    assert!(other.body.contains("idempotency_key"), "{}", other.body);

    // Without a key, each request is a subscription of its own.
    for _ in 0..2 {
        let response = subscribe_with(json!({
            "url": "https://hooks.cairn.example/portevoix",
            "events": ["nps.created"],
        }));
        assert_eq!(response.status, 201, "{}", response.body);
    }
    let listed = admin_call(&store, "GET", "/v1/sites/cairn/webhooks", &json!(null));
    let listed: serde_json::Value = serde_json::from_str(&listed.body).expect("list");
    let subscriptions = listed["subscriptions"].as_array().expect("subscriptions");
    assert_eq!(subscriptions.len(), 3);
    assert!(
        subscriptions
            .iter()
            .all(|subscription| subscription.get("secret").is_none()),
        "secrets are never listed"
    );
}

/// The `webhook-signature` header of the `index`th delivery sent.
fn signature_header(sender: &ScriptedSender, index: usize) -> (String, String, i64, String) {
    let sent = sender.sent.borrow();
    let header = |name: &str| {
        sent[index]
            .1
            .iter()
            .find(|(header, _)| header == name)
            .map(|(_, value)| value.clone())
            .expect("header")
    };
    (
        header("webhook-signature"),
        header("webhook-id"),
        header("webhook-timestamp").parse().expect("seconds"),
        sent[index].2.clone(),
    )
}

/// Queues and delivers an NPS answer's event and checks that it is signed by `new`, then
/// by `old`; returns the receiver.
fn next_delivery_signed_by_both(store: &SqliteStore, new: &str, old: &str) -> ScriptedSender {
    let sender = ScriptedSender::new(Vec::new());
    store.insert_answer(9, NOW_MS, "answer-1");
    drain(store, &sender, NOW_MS + 1_000);
    let (header, id, timestamp, body) = signature_header(&sender, 0);
    let sign = |secret: &str| webhooks::signature(secret, &id, timestamp, &body).expect("signed");
    assert_eq!(
        header,
        format!("{} {}", sign(new), sign(old)),
        "both, new first"
    );
    sender
}

#[test]
fn a_rotated_secret_signs_at_once_and_the_old_one_beside_it_for_a_day() {
    let store = SqliteStore::new();
    let subscription = subscribe(&store, &["nps.created"]);
    let old = subscription.secret.clone().expect("the first secret");
    let path = format!("/v1/sites/cairn/webhooks/{}/rotate-secret", subscription.id);
    let bearer = format!("Bearer {ADMIN_TOKEN}");
    let rotate = |now_offset: i64| {
        let mut request = admin_request("POST", &path, b"", &bearer);
        request.now_ms = NOW_MS + now_offset;
        run(&store, &request)
    };
    let response = rotate(0);
    assert_eq!(response.status, 200, "{}", response.body);
    let rotated: WebhookSubscription = serde_json::from_str(&response.body).expect("rotated");
    let new = rotated.secret.expect("the new secret, once");
    assert_ne!(new, old);
    assert!(new.starts_with("whsec_"));
    let listed = admin_call(&store, "GET", "/v1/sites/cairn/webhooks", &json!(null));
    assert!(!listed.body.contains(&new), "secrets are never listed");

    let sender = next_delivery_signed_by_both(&store, &new, &old);

    store.insert_answer(8, NOW_MS + webhooks::ROTATION_GRACE_MS + 1, "answer-2");
    drain(
        &store,
        &sender,
        NOW_MS + webhooks::ROTATION_GRACE_MS + 1_000,
    );
    let (header, id, timestamp, body) = signature_header(&sender, 1);
    let expected = webhooks::signature(&new, &id, timestamp, &body).expect("signed");
    assert_eq!(header, expected, "the old secret signs no more after a day");

    unsubscribe(&store, &subscription);
    assert_eq!(
        rotate(2_000).status,
        404,
        "a stopped subscription keeps its secret"
    );
    let wrong = {
        let mut request = request("GET", &path, b"");
        request.origin = None;
        run(&store, &request)
    };
    assert_eq!(wrong.status, 405, "rotating is a POST");
}

#[test]
fn a_rotation_sent_again_with_its_key_answers_the_secret_it_made_and_keeps_the_old_one_signing() {
    let store = SqliteStore::new();
    let subscription = subscribe(&store, &["nps.created"]);
    let old = subscription.secret.expect("the first secret");
    let path = format!("/v1/sites/cairn/webhooks/{}/rotate-secret", subscription.id);
    let rotate = |key: &str| {
        let response = admin_call(&store, "POST", &path, &json!({ "idempotency_key": key }));
        assert_eq!(response.status, 200, "{}", response.body);
        serde_json::from_str::<WebhookSubscription>(&response.body)
            .expect("rotated")
            .secret
            .expect("a secret")
    };
    let new = rotate("rotate-0001");
    assert_ne!(new, old);
    assert_eq!(
        rotate("rotate-0001"),
        new,
        "the same rotation, answered again"
    );

    // The secret the receiver still checks with signs for a day.
    next_delivery_signed_by_both(&store, &new, &old);

    let newer = rotate("rotate-0002");
    assert_ne!(newer, new, "another key is another rotation");
    assert_eq!(
        rotate("rotate-0001"),
        newer,
        "an older rotation sent again rotates nothing and answers the current secret"
    );
    assert_eq!(
        store.texts("SELECT secret || ' ' || previous_secret FROM webhook_subscriptions"),
        [format!("{newer} {new}")],
        "the secret before the latest still signs beside it"
    );
}

#[test]
fn a_rotation_key_kept_before_every_key_was_kept_still_rotates_nothing() {
    let store = SqliteStore::before_migration("0017");
    let subscription = subscribe(&store, &["nps.created"]);
    let secret = subscription.secret.expect("the first secret");
    store.execute("UPDATE webhook_subscriptions SET rotation_key = 'rotate-0001'");
    store.apply_migrations_from("0017");
    let path = format!("/v1/sites/cairn/webhooks/{}/rotate-secret", subscription.id);
    let response = admin_call(
        &store,
        "POST",
        &path,
        &json!({ "idempotency_key": "rotate-0001" }),
    );
    assert_eq!(response.status, 200, "{}", response.body);
    let answered: WebhookSubscription = serde_json::from_str(&response.body).expect("answered");
    assert_eq!(answered.secret, Some(secret), "rotated nothing");
}

#[test]
fn a_test_event_sent_again_with_its_key_is_queued_once() {
    let store = SqliteStore::new();
    let subscription = subscribe(&store, &["nps.created"]);
    let path = format!("/v1/sites/cairn/webhooks/{}/test", subscription.id);
    let queued = || {
        store.number("SELECT COUNT(*) FROM webhook_deliveries WHERE event_type = 'webhook.test'")
    };
    let send_test =
        |key: &str| admin_call(&store, "POST", &path, &json!({ "idempotency_key": key })).status;
    assert_eq!(send_test("test-event-0001"), 204);
    assert_eq!(
        send_test("test-event-0001"),
        204,
        "the same request, answered again"
    );
    assert_eq!(queued(), 1);
    assert_eq!(send_test("test-event-0002"), 204);
    let bearer = format!("Bearer {ADMIN_TOKEN}");
    let unkeyed = run(&store, &admin_request("POST", &path, b"", &bearer));
    assert_eq!(unkeyed.status, 204, "an empty body asks for one more");
    assert_eq!(queued(), 3);

    unsubscribe(&store, &subscription);
    assert_eq!(
        send_test("test-event-0003"),
        404,
        "a stopped subscription queues nothing"
    );
    assert_eq!(queued(), 3);
}

#[test]
fn webhook_actions_refuse_bad_bodies_and_change_nothing() {
    let store = SqliteStore::new();
    let subscription = subscribe(&store, &["nps.created"]);
    let secret_now = || {
        store.texts(&format!(
            "SELECT secret FROM webhook_subscriptions WHERE id = '{}'",
            subscription.id
        ))
    };
    let before = secret_now();
    for action in ["rotate-secret", "test"] {
        let path = format!("/v1/sites/cairn/webhooks/{}/{action}", subscription.id);
        let bearer = format!("Bearer {ADMIN_TOKEN}");
        let send = |body: &[u8], content_type: Option<&str>| {
            let mut request = admin_request("POST", &path, body, &bearer);
            request.content_type = content_type;
            error_of(&run(&store, &request))
        };
        let json = Some("application/json");
        let oversized = format!(r#"{{"idempotency_key":"{}"}}"#, "k".repeat(70_000));
        for (body, content_type, status, field) in [
            (
                &br#"{"idempotency_key": 42}"#[..],
                json,
                422,
                Some("idempotency_key"),
            ),
            (
                br#"{"idempotency_key": "short"}"#,
                json,
                422,
                Some("idempotency_key"),
            ),
            (
                br#"{"idempotency_key": "'; DROP TABLE webhook_subscriptions; --"}"#,
                json,
                422,
                Some("idempotency_key"),
            ),
            (
                br#"{"idempotency_key": "<script>alert(1)</script>"}"#,
                json,
                422,
                Some("idempotency_key"),
            ),
            (
                br#"{"idempotency_key": "action-key-01", "secret": "whsec_mine"}"#,
                json,
                422,
                Some("secret"),
            ),
            (b"null", json, 400, None),
            (br#"{"idempotency_key":"#, json, 400, None),
            (
                br#"{"idempotency_key": "action-key-01"}"#,
                Some("text/plain"),
                415,
                None,
            ),
            (oversized.as_bytes(), json, 413, None),
        ] {
            let (got, _, got_field) = send(body, content_type);
            assert_eq!(
                got,
                status,
                "{action}: {}",
                String::from_utf8_lossy(&body[..body.len().min(60)])
            );
            if field.is_some() {
                assert_eq!(got_field.as_deref(), field, "{action}");
            }
        }
    }
    assert_eq!(
        secret_now(),
        before,
        "no refused rotation changed the secret"
    );
    assert_eq!(
        store.number("SELECT COUNT(*) FROM webhook_deliveries"),
        0,
        "no refused test was queued"
    );
    let other_site = admin_call(
        &store,
        "POST",
        &format!(
            "/v1/sites/nowhere/webhooks/{}/rotate-secret",
            subscription.id
        ),
        &json!({ "idempotency_key": "action-key-02" }),
    );
    assert_eq!(other_site.status, 404, "{}", other_site.body);
}

/// Asks a question about `tent-2p` as a visitor would, and gives its id.
fn ask(store: &SqliteStore, key: &str, text: &str) -> String {
    let body = json!({
        "text": text,
        "author_name": "Alex",
        "visitor_id": "visitor-0001",
        "idempotency_key": key,
        "elapsed_ms": 12_000
    })
    .to_string()
    .into_bytes();
    let response = run(
        store,
        &request("POST", "/v1/sites/cairn/products/tent-2p/questions", &body),
    );
    assert_eq!(response.status, 201, "{}", response.body);
    let created: serde_json::Value = serde_json::from_str(&response.body).expect("question");
    created["id"].as_str().expect("an id").to_owned()
}

#[test]
fn a_question_is_announced_once_it_is_published_by_moderation_or_at_once() {
    let store = SqliteStore::new();
    subscribe(&store, &["question.published"]);
    let announced = |store: &SqliteStore| {
        store.texts("SELECT payload FROM webhook_deliveries ORDER BY created_at, rowid")
    };
    let moderated = ask(
        &store,
        "key-q0000001",
        "Tient-elle un vent de 80 km/h en crête ?",
    );
    assert!(
        announced(&store).is_empty(),
        "a pending question is not on the page yet"
    );
    for _ in 0..2 {
        let path = format!("/v1/sites/cairn/questions/{moderated}/moderation");
        let response = admin_call(&store, "POST", &path, &json!({ "decision": "publish" }));
        assert_eq!(response.status, 200, "{}", response.body);
    }
    assert_eq!(
        announced(&store).len(),
        1,
        "published twice, announced once"
    );

    store.execute(
        "UPDATE sites SET config = json_set(config, '$.qa', json_patch(\
         COALESCE(json_extract(config, '$.qa'), '{}'), '{\"publish_questions_at_once\": true}')) \
         WHERE id = 'cairn'",
    );
    let at_once = ask(
        &store,
        "key-q0000002",
        "Combien pèse-t-elle avec les sardines ?",
    );
    let payloads = announced(&store);
    assert_eq!(payloads.len(), 2);
    let payload: serde_json::Value = serde_json::from_str(&payloads[1]).expect("JSON payload");
    assert_eq!(payload["type"], "question.published");
    assert_eq!(payload["data"]["id"], at_once.as_str());
    assert_eq!(payload["data"]["product"], "tent-2p");
    assert_eq!(
        payload["data"]["text"],
        "Combien pèse-t-elle avec les sardines ?"
    );
    assert_eq!(payload["data"]["author_name"], "Alex");
}
