//! Referrals through the storage trait, natively, on the worker's own migrations: codes,
//! the link's landing, invitations and their mails, signed conversions, every fraud rule,
//! both sides' rewards, and the brand's funnel.

mod support;

use portevoix_core::api::ApiResponse;
use portevoix_core::referral::{email_sha256, sign};
use portevoix_core::token::{CustomerClaims, sign as sign_token};
use portevoix_core::wire::{
    ConversionRecorded, FriendOffer, Funnels, InvitationsSent, Outbox, PointsStatement,
    ReferralCard, ReferralFunnel,
};
use serde_json::{Value, json};
use support::{ADMIN_TOKEN, CUSTOMER_SECRET, NOW_MS, SqliteStore, error_of, request, run};

const ADVOCATE: &str = "visitor-advocate-1";
const SETTINGS: &str = r#"{"referral":{"advocate_points":500,"friend_points":200,
    "friend_offer":"€10 off the first order","max_conversions_per_code":2,
    "invitations_per_day":6,"code_valid_days":30}}"#;

fn store() -> SqliteStore {
    let store = SqliteStore::new();
    store.set_config(SETTINGS);
    store
}

fn post(store: &SqliteStore, path: &str, body: &Value) -> ApiResponse {
    let bytes = body.to_string().into_bytes();
    run(store, &request("POST", path, &bytes))
}

fn join(store: &SqliteStore, visitor: &str, email: &str) -> ReferralCard {
    let response = post(
        store,
        "/v1/sites/cairn/referrals",
        &json!({ "visitor_id": visitor, "name": "Camille Martin", "email": email, "consent": true }),
    );
    assert!(
        response.status == 201 || response.status == 200,
        "{}",
        response.body
    );
    serde_json::from_str(&response.body).expect("card")
}

fn report(store: &SqliteStore, body: &Value, signed_at_ms: i64, now_ms: i64) -> ApiResponse {
    let bytes = body.to_string().into_bytes();
    let signature = sign(CUSTOMER_SECRET.as_bytes(), signed_at_ms / 1000, &bytes);
    let mut request = request("POST", "/v1/sites/cairn/conversions", &bytes);
    request.origin = None;
    request.signature = Some(&signature);
    request.now_ms = now_ms;
    run(store, &request)
}

fn order(code: &str, order_id: &str, buyer: &str) -> Value {
    json!({
        "order_id": order_id,
        "referral_code": code,
        "buyer_email_sha256": email_sha256(buyer),
        "amount_cents": 18_900,
        "currency": "EUR"
    })
}

fn converted(response: &ApiResponse) -> ConversionRecorded {
    assert!(
        response.status == 201 || response.status == 200,
        "{}",
        response.body
    );
    serde_json::from_str(&response.body).expect("conversion")
}

fn balance(store: &SqliteStore, account: &str) -> i64 {
    store.number(&format!(
        "SELECT COALESCE(SUM(points), 0) FROM ledger WHERE account = '{account}'"
    ))
}

#[test]
fn an_advocate_gets_one_code_with_a_link_that_lands_on_the_site() {
    let store = store();
    let card = join(&store, ADVOCATE, "camille@cairn.example");
    assert_eq!(card.code.len(), 10);
    assert_eq!(card.link, format!("https://portevoix.test/r/{}", card.code));
    assert_eq!(
        card.friend_offer.as_deref(),
        Some("€10 off the first order")
    );
    assert_eq!((card.advocate_points, card.friend_points), (500, 200));
    assert_eq!(
        join(&store, ADVOCATE, "camille@cairn.example").code,
        card.code
    );

    let path = format!("/r/{}", card.code.to_lowercase());
    let mut follow = request("GET", &path, b"");
    follow.origin = None;
    let landing = run(&store, &follow);
    assert_eq!(landing.status, 302);
    assert_eq!(
        landing.header("location"),
        Some(format!("https://cairn.example/?pv_ref={}", card.code).as_str())
    );

    let mut offer_request = request("GET", "", b"");
    let offer_path = format!("/v1/sites/cairn/referrals/{}/offer", card.code);
    offer_request.path = &offer_path;
    let offer: FriendOffer =
        serde_json::from_str(&run(&store, &offer_request).body).expect("offer");
    assert_eq!(offer.advocate_first_name, "Camille");
    assert_eq!(offer.offer.as_deref(), Some("€10 off the first order"));
}

#[test]
fn joining_needs_a_name_an_email_and_consent() {
    let store = store();
    for (body, field) in [
        (
            json!({ "visitor_id": ADVOCATE, "email": "c@x.example", "consent": true }),
            "name",
        ),
        (
            json!({ "visitor_id": ADVOCATE, "name": "Camille", "email": "nope", "consent": true }),
            "email",
        ),
        (
            json!({ "visitor_id": ADVOCATE, "name": "Camille", "email": "c@x.example" }),
            "consent",
        ),
        (
            json!({ "visitor_id": ADVOCATE, "name": "Camille", "email": "c@x.example", "consent": "yes" }),
            "consent",
        ),
    ] {
        assert_eq!(
            error_of(&post(&store, "/v1/sites/cairn/referrals", &body))
                .2
                .as_deref(),
            Some(field),
            "{body}"
        );
    }
    let token = sign_token(
        &CustomerClaims {
            sub: "camille".into(),
            exp: NOW_MS / 1000 + 600,
            orders: Vec::new(),
            name: Some("Camille Martin".into()),
            email: Some("camille@cairn.example".into()),
        },
        CUSTOMER_SECRET.as_bytes(),
    );
    let response = post(
        &store,
        "/v1/sites/cairn/referrals",
        &json!({ "visitor_id": ADVOCATE, "consent": true, "customer_token": token }),
    );
    assert_eq!(
        response.status, 201,
        "the token gives the name and email: {}",
        response.body
    );
    assert_eq!(
        store.take_round_trips(),
        2,
        "the site; the browser recorded as the customer's and the new code"
    );
    let again = post(
        &store,
        "/v1/sites/cairn/referrals",
        &json!({ "visitor_id": ADVOCATE, "consent": true, "customer_token": token }),
    );
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(
        store.take_round_trips(),
        3,
        "the site; the browser recorded as the customer's and the code; its funnel"
    );
    assert_eq!(
        store.number("SELECT COUNT(*) FROM referrals WHERE advocate = 'customer:camille'"),
        1
    );
}

#[test]
fn a_signed_conversion_credits_both_sides_once() {
    let store = store();
    let card = join(&store, ADVOCATE, "camille@cairn.example");
    let body = order(&card.code, "A-1001", "dominique@cairn.example");
    let first = converted(&report(&store, &body, NOW_MS, NOW_MS));
    assert_eq!(
        store.take_round_trips(),
        3,
        "the site; the conversion; both sides' rewards"
    );
    assert_eq!((first.credited, first.replayed), (true, false));
    assert_eq!((first.advocate_points, first.friend_points), (500, 200));
    let again = converted(&report(&store, &body, NOW_MS, NOW_MS + 60_000));
    assert_eq!(
        (again.credited, again.replayed),
        (true, true),
        "the same order, reported twice"
    );
    assert_eq!(balance(&store, &format!("visitor:{ADVOCATE}")), 500);
    assert_eq!(
        balance(
            &store,
            &format!("buyer:{}", email_sha256("dominique@cairn.example"))
        ),
        200
    );
    assert_eq!(store.number("SELECT conversions FROM referrals"), 1);
}

#[test]
fn a_buyer_with_an_account_gets_their_points_there() {
    let store = store();
    let card = join(&store, ADVOCATE, "camille@cairn.example");
    let mut body = order(&card.code, "A-1002", "dominique@cairn.example");
    body["buyer_customer_id"] = json!("dominique");
    assert!(converted(&report(&store, &body, NOW_MS, NOW_MS)).credited);
    assert_eq!(balance(&store, "customer:dominique"), 200);
}

#[test]
fn every_fraud_rule_credits_nothing() {
    let store = store();
    let card = join(&store, ADVOCATE, "camille@cairn.example");
    let outcome =
        |body: &Value, now_ms: i64| converted(&report(&store, body, now_ms, now_ms)).outcome;
    use portevoix_core::referral::ConversionOutcome::*;
    assert_eq!(
        outcome(
            &order(&card.code, "A-1", "  Camille@Cairn.example "),
            NOW_MS
        ),
        SelfReferral
    );
    assert_eq!(
        outcome(&order(&card.code, "A-2", "f1@x.example"), NOW_MS),
        Credited
    );
    assert_eq!(
        outcome(&order(&card.code, "A-3", "f2@x.example"), NOW_MS),
        Credited
    );
    assert_eq!(
        outcome(&order(&card.code, "A-4", "f3@x.example"), NOW_MS),
        CodeExhausted,
        "two conversions per code at most"
    );
    let other = join(&store, "visitor-advocate-2", "sacha@cairn.example");
    let after_expiry = NOW_MS + 31 * 86_400_000;
    assert_eq!(
        outcome(&order(&other.code, "A-5", "f4@x.example"), after_expiry),
        CodeExpired
    );
    assert_eq!(
        outcome(&order("ABCDEF0123", "A-6", "f5@x.example"), NOW_MS),
        UnknownCode
    );
    assert_eq!(balance(&store, &format!("visitor:{ADVOCATE}")), 1_000);
    assert_eq!(balance(&store, "visitor:visitor-advocate-2"), 0);
    assert_eq!(
        store.number("SELECT COUNT(*) FROM conversions"),
        6,
        "every report is on record"
    );
}

#[test]
fn bad_signatures_and_stale_timestamps_are_refused_with_401() {
    let store = store();
    let card = join(&store, ADVOCATE, "camille@cairn.example");
    let body = order(&card.code, "A-1", "f@x.example");
    assert_eq!(
        error_of(&report(&store, &body, NOW_MS - 301_000, NOW_MS)),
        (401, "stale_signature".into(), None)
    );
    let bytes = body.to_string().into_bytes();
    let signature = sign(b"not the site secret", NOW_MS / 1000, &bytes);
    let tampered = order(&card.code, "A-1", "other@x.example")
        .to_string()
        .into_bytes();
    let good_signature = sign(CUSTOMER_SECRET.as_bytes(), NOW_MS / 1000, &bytes);
    for (payload, header) in [
        (&bytes, Some(signature.as_str())),
        (&tampered, Some(good_signature.as_str())),
        (&bytes, None),
        (&bytes, Some("t=1,v1=00")),
    ] {
        let mut request = request("POST", "/v1/sites/cairn/conversions", payload);
        request.origin = None;
        request.signature = header;
        assert_eq!(
            error_of(&run(&store, &request)),
            (401, "invalid_signature".into(), None)
        );
    }
    assert_eq!(store.number("SELECT COUNT(*) FROM conversions"), 0);
}

#[test]
fn conversions_with_bad_fields_are_refused_and_store_nothing() {
    let store = store();
    let card = join(&store, ADVOCATE, "camille@cairn.example");
    for (field, value) in [
        ("order_id", json!("")),
        ("referral_code", json!("nope")),
        ("buyer_email_sha256", json!("dominique@cairn.example")),
        ("amount_cents", json!(-5)),
        ("amount_cents", json!(10_000_000_000_u64)),
        ("currency", json!("euro")),
        ("unexpected", json!(1)),
    ] {
        let mut body = order(&card.code, "A-1", "f@x.example");
        body[field] = value.clone();
        assert_eq!(
            error_of(&report(&store, &body, NOW_MS, NOW_MS))
                .2
                .as_deref(),
            Some(field),
            "{field} = {value}"
        );
    }
    assert_eq!(store.number("SELECT COUNT(*) FROM conversions"), 0);
}

#[test]
fn a_friend_named_twice_or_invited_before_gets_one_mail() {
    let store = store();
    let card = join(&store, ADVOCATE, "camille@cairn.example");
    let path = format!("/v1/sites/cairn/referrals/{}/invitations", card.code);
    let invite = |emails: &[&str]| -> InvitationsSent {
        let response = post(
            &store,
            &path,
            &json!({ "visitor_id": ADVOCATE, "emails": emails }),
        );
        assert_eq!(response.status, 200, "{}", response.body);
        serde_json::from_str(&response.body).expect("sent")
    };
    let first = invite(&["a@x.example", "a@x.example"]);
    assert_eq!(
        (first.invited, first.already_invited, first.left_today),
        (1, 1, 5)
    );
    let second = invite(&["b@x.example", "a@x.example"]);
    assert_eq!(
        (second.invited, second.already_invited, second.left_today),
        (1, 1, 4)
    );
    assert_eq!(
        store.texts("SELECT recipient FROM mail_outbox ORDER BY id"),
        ["a@x.example", "b@x.example"]
    );
}

#[test]
fn a_friend_whose_mail_cannot_be_queued_is_not_counted_as_invited() {
    let store = store();
    let card = join(&store, ADVOCATE, "camille@cairn.example");
    let path = format!("/v1/sites/cairn/referrals/{}/invitations", card.code);
    let body = json!({ "visitor_id": ADVOCATE, "emails": ["a@x.example", "b@x.example"] });
    store.execute(
        "CREATE TRIGGER outbox_down BEFORE INSERT ON mail_outbox \
         WHEN NEW.recipient = 'b@x.example' BEGIN SELECT RAISE(ABORT, 'outbox down'); END",
    );
    let failed = post(&store, &path, &body);
    assert_eq!(failed.status, 500, "{}", failed.body);
    assert_eq!(
        store.number("SELECT COUNT(*) FROM referral_invitations"),
        0,
        "neither invitation is kept when a mail is not"
    );
    assert_eq!(store.number("SELECT COUNT(*) FROM mail_outbox"), 0);

    store.execute("DROP TRIGGER outbox_down");
    let retried = post(&store, &path, &body);
    assert_eq!(retried.status, 200, "{}", retried.body);
    let sent: InvitationsSent = serde_json::from_str(&retried.body).expect("sent");
    assert_eq!((sent.invited, sent.already_invited), (2, 0));
    assert_eq!(
        store.texts("SELECT recipient FROM mail_outbox ORDER BY id"),
        ["a@x.example", "b@x.example"]
    );
}

#[test]
fn invitations_are_mailed_through_the_outbox_within_the_daily_allowance() {
    let store = store();
    let card = join(&store, ADVOCATE, "camille@cairn.example");
    let path = format!("/v1/sites/cairn/referrals/{}/invitations", card.code);
    let invite = |emails: &[&str], visitor: &str| {
        post(
            &store,
            &path,
            &json!({ "visitor_id": visitor, "emails": emails, "message": "Tu vas adorer !" }),
        )
    };
    let sent: InvitationsSent = serde_json::from_str(
        &invite(
            &[
                "a@x.example",
                "b@x.example",
                "c@x.example",
                "d@x.example",
                "e@x.example",
            ],
            ADVOCATE,
        )
        .body,
    )
    .expect("sent");
    assert_eq!(
        (sent.invited, sent.already_invited, sent.left_today),
        (5, 0, 1)
    );
    assert_eq!(
        store.take_round_trips(),
        3,
        "the site; the referral and today's invitations; the five invitations and their mails"
    );
    assert_eq!(
        store.number("SELECT COUNT(*) FROM mail_outbox WHERE template = 'referral_invitation'"),
        5
    );
    assert_eq!(
        store.number("SELECT COUNT(*) FROM mail_outbox WHERE body LIKE '%Tu vas adorer !%' AND body LIKE '%/r/%'"),
        5
    );
    let over = invite(&["f@x.example", "g@x.example"], ADVOCATE);
    assert_eq!(
        error_of(&over),
        (429, "invitations_exhausted".to_owned(), None),
        "told apart from the per-minute limits: asking again today will not help"
    );
    assert!(
        over.body
            .contains("today's invitation allowance has 1 left: send fewer addresses"),
        "{}",
        over.body
    );
    assert!(over.header("retry-after").is_some());
    assert_eq!(
        error_of(&invite(&["a@x.example"; 6], ADVOCATE))
            .2
            .as_deref(),
        Some("emails"),
        "five per request"
    );
    assert_eq!(
        error_of(&invite(&["not-an-email"], ADVOCATE)).2.as_deref(),
        Some("emails")
    );
    assert_eq!(
        error_of(&invite(&["h@x.example"], "visitor-someone-else")).1,
        "unknown_referral",
        "only the advocate invites with their code"
    );
    assert_eq!(store.number("SELECT COUNT(*) FROM mail_outbox"), 5);

    let authorization = format!("Bearer {ADMIN_TOKEN}");
    let mut outbox = request("GET", "/v1/sites/cairn/mail", b"");
    outbox.origin = None;
    assert_eq!(error_of(&run(&store, &outbox)).1, "unauthorized");
    outbox.authorization = Some(&authorization);
    let listed: Outbox = serde_json::from_str(&run(&store, &outbox).body).expect("outbox");
    assert_eq!(listed.mails.len(), 5);
    assert_eq!(listed.mails[0].recipient, "e@x.example", "newest first");
    assert_eq!(listed.mails[0].template, "referral_invitation");
    assert!(
        listed.mails[0]
            .body
            .as_deref()
            .unwrap_or_default()
            .contains(&card.link)
    );
    assert_eq!(
        listed.mails[0].sent_at, None,
        "nothing pretends to have sent it"
    );
}

#[test]
fn landing_visits_count_once_and_never_for_the_advocate() {
    let store = store();
    let card = join(&store, ADVOCATE, "camille@cairn.example");
    let path = format!("/v1/sites/cairn/referrals/{}/visits", card.code);
    let outcome = |visitor: &str| -> String {
        let response = post(&store, &path, &json!({ "visitor_id": visitor }));
        let body: Value = serde_json::from_str(&response.body).expect("json");
        body["outcome"].as_str().unwrap_or_default().to_owned()
    };
    assert_eq!(outcome("visitor-friend-1"), "counted");
    assert_eq!(outcome("visitor-friend-1"), "already_counted");
    assert_eq!(outcome(ADVOCATE), "own_link");
    let mine_query = format!("visitor_id={ADVOCATE}");
    let mut mine = request("GET", "/v1/sites/cairn/referrals/mine", b"");
    mine.query = &mine_query;
    let card: ReferralCard = serde_json::from_str(&run(&store, &mine).body).expect("card");
    assert_eq!(card.stats.visited, 1);
}

/// An advocate's code brings a friend's visit and two orders: the friend's (credited) and
/// the advocate's own (a self-referral).
fn a_friend_visits_and_two_orders_are_reported(store: &SqliteStore) {
    let card = join(store, ADVOCATE, "camille@cairn.example");
    post(
        store,
        &format!("/v1/sites/cairn/referrals/{}/visits", card.code),
        &json!({ "visitor_id": "visitor-friend-1" }),
    );
    converted(&report(
        store,
        &order(&card.code, "A-1", "f1@x.example"),
        NOW_MS,
        NOW_MS,
    ));
    converted(&report(
        store,
        &order(&card.code, "A-2", "camille@cairn.example"),
        NOW_MS,
        NOW_MS,
    ));
}

#[test]
fn the_brand_sees_the_funnel_and_the_advocate_their_points() {
    let store = store();
    a_friend_visits_and_two_orders_are_reported(&store);
    let authorization = format!("Bearer {ADMIN_TOKEN}");
    let mut funnel = request("GET", "/v1/sites/cairn/referrals", b"");
    funnel.origin = None;
    funnel.authorization = Some(&authorization);
    let funnel: ReferralFunnel = serde_json::from_str(&run(&store, &funnel).body).expect("funnel");
    assert_eq!(
        (
            funnel.totals.links,
            funnel.totals.visited,
            funnel.totals.converted,
            funnel.totals.refused
        ),
        (1, 1, 1, 1)
    );
    assert_eq!(funnel.totals.revenue_cents, 18_900);
    assert_eq!(funnel.totals.rewards, 700);
    assert_eq!(funnel.referrals[0].converted, 1);

    let mut points = request("GET", "/v1/sites/cairn/me/points", b"");
    let query = format!("visitor_id={ADVOCATE}");
    points.query = &query;
    let statement: PointsStatement =
        serde_json::from_str(&run(&store, &points).body).expect("points");
    assert_eq!(statement.balance, 500);
    assert_eq!(statement.entries[0].reason.as_str(), "referral");
}

#[test]
fn the_weekly_funnels_count_codes_visits_conversions_revenue_and_points() {
    let store = store();
    a_friend_visits_and_two_orders_are_reported(&store);
    let authorization = format!("Bearer {ADMIN_TOKEN}");
    let mut asked = request("GET", "/v1/sites/cairn/funnels", b"");
    asked.origin = None;
    asked.authorization = Some(&authorization);
    let response = run(&store, &asked);
    assert_eq!(response.status, 200, "{}", response.body);
    let funnels: Funnels = serde_json::from_str(&response.body).expect("funnels");
    let [week] = funnels.weeks.as_slice() else {
        panic!("one week of activity: {:?}", funnels.weeks)
    };
    assert_eq!(week.week, "2025-11-24");
    assert_eq!(
        (
            week.referral_codes,
            week.referral_visits,
            week.conversions,
            week.referral_points
        ),
        (1, 1, 1, 700),
        "the self-referral is not a conversion"
    );
    assert_eq!(week.revenue_cents.get("EUR"), Some(&18_900));

    asked.query = "from=2020-01-01&to=2020-01-31";
    let empty: Funnels = serde_json::from_str(&run(&store, &asked).body).expect("funnels");
    assert!(empty.weeks.is_empty());
    asked.query = "from=yesterday";
    assert_eq!(run(&store, &asked).status, 400);
}
