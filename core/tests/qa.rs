//! The Q&A routes through the storage trait, natively, on the worker's own migrations:
//! asking, answering as a buyer, a customer, the brand and anonymously, votes, search,
//! moderation, top answerers, and every refusal storing nothing.

mod support;

use portevoix_core::api::ApiResponse;
use portevoix_core::token::{CustomerClaims, OrderClaim, sign};
use portevoix_core::wire::{
    AdminAnswer, AdminAnswerPage, AdminQuestion, AdminQuestionPage, HelpfulCounted, Posted,
    QuestionPage, TopAnswerers,
};
use serde_json::{Value, json};
use support::{ADMIN_TOKEN, CUSTOMER_SECRET, NOW_MS, SqliteStore, error_of, request, run};

const QUESTIONS: &str = "/v1/sites/cairn/products/tent-2p/questions";

fn question(key: &str) -> Value {
    json!({
        "text": format!("Tient-elle un vent de 80 km/h en crête ? ({key})"),
        "author_name": "Alex",
        "visitor_id": "visitor-0001",
        "idempotency_key": key,
        "elapsed_ms": 12_000
    })
}

fn answer(key: &str, token: Option<String>) -> Value {
    let mut body = json!({
        "text": format!("Oui, testée au col du Galibier ({key})."),
        "author_name": "Camille",
        "visitor_id": "visitor-0002",
        "idempotency_key": key,
        "elapsed_ms": 9_000
    });
    if let Some(token) = token {
        body["customer_token"] = json!(token);
    }
    body
}

fn token(customer: &str, products: &[&str]) -> String {
    sign(
        &CustomerClaims {
            sub: customer.into(),
            exp: NOW_MS / 1000 + 600,
            orders: vec![OrderClaim {
                id: "A-1".into(),
                products: products.iter().map(|&product| product.to_owned()).collect(),
            }],
            name: None,
            email: None,
        },
        CUSTOMER_SECRET.as_bytes(),
    )
}

fn post(store: &SqliteStore, path: &str, body: &Value) -> ApiResponse {
    let bytes = body.to_string().into_bytes();
    run(store, &request("POST", path, &bytes))
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

fn posted(response: &ApiResponse) -> Posted {
    assert!(
        response.status == 201 || response.status == 200,
        "{}",
        response.body
    );
    serde_json::from_str(&response.body).expect("posted")
}

fn ask(store: &SqliteStore, key: &str) -> Posted {
    let created = posted(&post(store, QUESTIONS, &question(key)));
    assert_eq!(created.status.as_str(), "pending");
    created
}

fn publish_question(store: &SqliteStore, id: &str) -> AdminQuestion {
    let response = admin(
        store,
        "POST",
        &format!("/v1/sites/cairn/questions/{id}/moderation"),
        "",
        &json!({ "decision": "publish" }),
    );
    assert_eq!(response.status, 200, "{}", response.body);
    serde_json::from_str(&response.body).expect("question")
}

fn answer_path(question: &str) -> String {
    format!("{QUESTIONS}/{question}/answers")
}

fn list(store: &SqliteStore, query: &str) -> QuestionPage {
    let mut request = request("GET", QUESTIONS, b"");
    request.query = query;
    let response = run(store, &request);
    assert_eq!(response.status, 200, "{}", response.body);
    serde_json::from_str(&response.body).expect("question page")
}

fn published_question(store: &SqliteStore, key: &str) -> String {
    let id = ask(store, key).id;
    publish_question(store, &id);
    id
}

#[test]
fn a_question_waits_for_moderation_then_is_listed() {
    let store = SqliteStore::new();
    let asked = ask(&store, "key-q0000001");
    assert!(list(&store, "").questions.is_empty());
    let queue = admin(&store, "GET", "/v1/sites/cairn/questions", "", &json!({}));
    let queue: AdminQuestionPage = serde_json::from_str(&queue.body).expect("queue");
    assert_eq!(queue.questions[0].id, asked.id);
    publish_question(&store, &asked.id);
    let page = list(&store, "");
    assert_eq!(page.questions.len(), 1);
    assert!(page.questions[0].answers.is_empty());
    let unanswered = admin(
        &store,
        "GET",
        "/v1/sites/cairn/questions",
        "status=unanswered",
        &json!({}),
    );
    let unanswered: AdminQuestionPage = serde_json::from_str(&unanswered.body).expect("queue");
    assert_eq!(unanswered.questions.len(), 1, "waiting for an answer");
}

#[test]
fn buyers_customers_and_the_brand_answer_with_their_badges() {
    let store = SqliteStore::new();
    let question = published_question(&store, "key-q0000001");
    let buyer = posted(&post(
        &store,
        &answer_path(&question),
        &answer("key-a0000001", Some(token("c-1", &["tent-2p"]))),
    ));
    assert_eq!(
        buyer.badge.map(|badge| badge.as_str()),
        Some("verified_buyer")
    );
    assert_eq!(
        buyer.status.as_str(),
        "published",
        "known customers are published at once"
    );
    let mut other = answer("key-a0000002", Some(token("c-2", &["stove"])));
    other["visitor_id"] = json!("visitor-0003");
    let customer = posted(&post(&store, &answer_path(&question), &other));
    assert_eq!(customer.badge.map(|badge| badge.as_str()), Some("customer"));
    let brand = admin(
        &store,
        "POST",
        &format!("/v1/sites/cairn/questions/{question}/answers"),
        "",
        &json!({ "text": "Oui : arceaux DAC, testée en soufflerie.", "idempotency_key": "key-b0000001" }),
    );
    assert_eq!(
        posted(&brand).badge.map(|badge| badge.as_str()),
        Some("brand")
    );

    let page = list(&store, "");
    let answers = &page.questions[0].answers;
    assert_eq!(answers.len(), 3);
    let brand_answer = answers
        .iter()
        .find(|answer| answer.badge.as_str() == "brand");
    assert_eq!(
        brand_answer.map(|answer| answer.author_name.as_str()),
        Some("Cairn")
    );
}

#[test]
fn anonymous_answers_are_refused_unless_the_site_allows_them_and_then_wait() {
    let store = SqliteStore::new();
    let question = published_question(&store, "key-q0000001");
    assert_eq!(
        error_of(&post(
            &store,
            &answer_path(&question),
            &answer("key-a0000001", None)
        )),
        (403, "customer_token_required".into(), None)
    );
    assert_eq!(store.number("SELECT COUNT(*) FROM answers"), 0);

    store.set_config(
        r#"{"qa":{"allow_anonymous_answers":true},"rewards":{"points_per_answer":20}}"#,
    );
    let anonymous = posted(&post(
        &store,
        &answer_path(&question),
        &answer("key-a0000002", None),
    ));
    assert_eq!(
        anonymous.badge.map(|badge| badge.as_str()),
        Some("anonymous")
    );
    assert_eq!(anonymous.status.as_str(), "pending");
    assert!(list(&store, "").questions[0].answers.is_empty());
    let queue = admin(&store, "GET", "/v1/sites/cairn/answers", "", &json!({}));
    let queue: AdminAnswerPage = serde_json::from_str(&queue.body).expect("answers");
    assert_eq!(queue.answers[0].id, anonymous.id);
    let published = admin(
        &store,
        "POST",
        &format!("/v1/sites/cairn/answers/{}/moderation", anonymous.id),
        "",
        &json!({ "decision": "publish" }),
    );
    assert_eq!(
        store.take_round_trips(),
        3,
        "the site; the decision, the answer and its author; the author's reward"
    );
    assert_eq!(
        store.number("SELECT SUM(points) FROM ledger WHERE reason = 'answer'"),
        20
    );
    let published: AdminAnswer = serde_json::from_str(&published.body).expect("answer");
    assert_eq!(published.status.as_str(), "published");
    assert_eq!(list(&store, "").questions[0].answers.len(), 1);
}

#[test]
fn only_published_questions_of_the_product_can_be_answered() {
    let store = SqliteStore::new();
    let pending = ask(&store, "key-q0000001");
    let buyer = Some(token("c-1", &["tent-2p"]));
    assert_eq!(
        error_of(&post(
            &store,
            &answer_path(&pending.id),
            &answer("key-a0000001", buyer.clone())
        )),
        (404, "unknown_question".into(), None)
    );
    publish_question(&store, &pending.id);
    let elsewhere = format!(
        "/v1/sites/cairn/products/stove/questions/{}/answers",
        pending.id
    );
    assert_eq!(
        error_of(&post(&store, &elsewhere, &answer("key-a0000002", buyer))).1,
        "unknown_question"
    );
    assert_eq!(store.number("SELECT COUNT(*) FROM answers"), 0);
}

fn vote(store: &SqliteStore, answer: &str, visitor: &str) -> HelpfulCounted {
    let response = post(
        store,
        &format!("/v1/sites/cairn/products/tent-2p/answers/{answer}/helpful"),
        &json!({ "visitor_id": visitor }),
    );
    assert_eq!(response.status, 200, "{}", response.body);
    serde_json::from_str(&response.body).expect("counted")
}

#[test]
fn helpful_votes_count_once_and_order_answers_and_questions() {
    let store = SqliteStore::new();
    let first = published_question(&store, "key-q0000001");
    let mut second_body = question("key-q0000002");
    second_body["text"] = json!("Peut-on la monter seul par grand vent ?");
    let second = posted(&post(&store, QUESTIONS, &second_body)).id;
    publish_question(&store, &second);
    let buyer = || Some(token("c-1", &["tent-2p"]));
    let early = posted(&post(
        &store,
        &answer_path(&first),
        &answer("key-a0000001", buyer()),
    ))
    .id;
    let late = posted(&post(
        &store,
        &answer_path(&first),
        &answer("key-a0000002", buyer()),
    ))
    .id;
    let on_second = posted(&post(
        &store,
        &answer_path(&second),
        &answer("key-a0000003", buyer()),
    ))
    .id;

    assert_eq!(
        vote(&store, &late, "visitor-0101"),
        HelpfulCounted {
            helpful_count: 1,
            counted: true
        }
    );
    assert_eq!(
        vote(&store, &late, "visitor-0101"),
        HelpfulCounted {
            helpful_count: 1,
            counted: false
        }
    );
    vote(&store, &late, "visitor-0102");
    vote(&store, &on_second, "visitor-0103");

    let page = list(&store, "");
    assert_eq!(page.questions[0].id, first, "most helpful question first");
    assert_eq!(page.questions[0].helpful_total, 2);
    let order: Vec<&str> = page.questions[0]
        .answers
        .iter()
        .map(|answer| answer.id.as_str())
        .collect();
    assert_eq!(
        order,
        [late.as_str(), early.as_str()],
        "most helpful answer first"
    );
    assert_eq!(store.number("SELECT COUNT(*) FROM answer_votes"), 3);
}

#[test]
fn search_finds_words_in_questions_and_their_answers() {
    let store = SqliteStore::new();
    let wind = published_question(&store, "key-q0000001");
    let mut rain = question("key-q0000002");
    rain["text"] = json!("Reste-t-elle sèche sous un orage ?");
    let rain = posted(&post(&store, QUESTIONS, &rain)).id;
    publish_question(&store, &rain);
    let mut reply = answer("key-a0000001", Some(token("c-1", &["tent-2p"])));
    reply["text"] = json!("Oui, même avec la grêle.");
    post(&store, &answer_path(&rain), &reply);

    let ids = |query: &str| -> Vec<String> {
        list(&store, query)
            .questions
            .into_iter()
            .map(|question| question.id)
            .collect()
    };
    assert_eq!(ids("q=vent"), [wind.as_str()]);
    assert_eq!(ids("q=VENT%20cr%C3%AAte"), [wind.as_str()]);
    assert_eq!(ids("q=gr%C3%AAle"), [rain.as_str()], "found in an answer");
    assert_eq!(
        ids("q=orage%20vent%20cr%C3%AAte"),
        [wind.as_str(), rain.as_str()],
        "any word finds a question, the one holding the most first"
    );
    let mut capitals = question("key-q0000003");
    capitals["text"] = json!("ÉTANCHE sous un ORAGE d'été ?");
    let capitals = posted(&post(&store, QUESTIONS, &capitals)).id;
    publish_question(&store, &capitals);
    assert_eq!(
        ids("q=%C3%A9tanche"),
        [capitals.as_str()],
        "capital accented letters fold too"
    );
    assert_eq!(
        ids("q=etanche%20ete"),
        [capitals.as_str()],
        "a search without accents finds them (\"ete\" in \"d'été\", not inside \"crête\")"
    );
    assert_eq!(ids("q=ent"), Vec::<String>::new(), "no word starts with it");
    assert_eq!(ids("q=eta"), [capitals.as_str()], "a word's start finds it");
    assert_eq!(ids("q=grele"), [rain.as_str()], "in answers too");
    assert_eq!(ids("").len(), 3);
    let mut too_long = request("GET", QUESTIONS, b"");
    let query = format!("q={}", "x".repeat(101));
    too_long.query = &query;
    assert_eq!(error_of(&run(&store, &too_long)).2.as_deref(), Some("q"));
}

/// The ids listed by `query` on every page, following each page's cursor to the last.
fn every_page(store: &SqliteStore, query: &str) -> Vec<String> {
    let mut seen = Vec::new();
    let mut next = query.to_owned();
    loop {
        let page = list(store, &next);
        seen.extend(page.questions.into_iter().map(|question| question.id));
        match page.next_cursor {
            Some(cursor) => next = format!("{query}&cursor={cursor}"),
            None => return seen,
        }
    }
}

#[test]
fn pages_follow_the_cursor_through_every_question_once() {
    let store = SqliteStore::new();
    for index in 0..7 {
        let mut body = question(&format!("key-q000010{index}"));
        body["text"] = json!(format!("Question numéro {index} sur la tente ?"));
        let id = posted(&post(&store, QUESTIONS, &body)).id;
        publish_question(&store, &id);
    }
    let mut seen = every_page(&store, "limit=3");
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 7);
}

#[test]
fn a_search_pages_through_every_match_once_the_most_words_first() {
    let store = SqliteStore::new();
    let mut both_words = Vec::new();
    for index in 0..6 {
        let mut body = question(&format!("key-q000020{index}"));
        body["text"] = json!(match index % 3 {
            0 => format!("La tente n°{index} est-elle étanche ?"),
            1 => format!("La tente n°{index} est-elle légère ?"),
            _ => format!("Quel sac à dos n°{index} choisir ?"),
        });
        let id = posted(&post(&store, QUESTIONS, &body)).id;
        publish_question(&store, &id);
        if index % 3 == 0 {
            both_words.push(id);
        }
    }
    let mut seen = every_page(&store, "q=tente%20etanche&limit=1");
    assert_eq!(seen.len(), 4, "the bags hold neither word: {seen:?}");
    let mut first = seen[..2].to_vec();
    first.sort();
    both_words.sort();
    assert_eq!(first, both_words, "both words before one");
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 4, "each once");
}

#[test]
fn rejecting_an_answer_takes_it_and_its_votes_off_the_question() {
    let store = SqliteStore::new();
    let question = published_question(&store, "key-q0000001");
    let id = posted(&post(
        &store,
        &answer_path(&question),
        &answer("key-a0000001", Some(token("c-1", &["tent-2p"]))),
    ))
    .id;
    vote(&store, &id, "visitor-0101");
    let path = format!("/v1/sites/cairn/answers/{id}/moderation");
    assert_eq!(
        error_of(&admin(
            &store,
            "POST",
            &path,
            "",
            &json!({ "decision": "reject" })
        ))
        .2,
        Some("reason".into())
    );
    let rejected = admin(
        &store,
        "POST",
        &path,
        "",
        &json!({ "decision": "reject", "reason": "Hors sujet" }),
    );
    assert_eq!(rejected.status, 200);
    let page = list(&store, "");
    assert!(page.questions[0].answers.is_empty());
    assert_eq!(page.questions[0].helpful_total, 0);
    assert_eq!(
        store.number("SELECT answer_count FROM questions"),
        0,
        "the question waits for an answer again"
    );
}

#[test]
fn a_consenting_asker_is_owed_one_mail_at_the_first_answer() {
    let store = SqliteStore::new();
    let mut body = question("key-q0000001");
    body["email"] = json!("alex@cairn.example");
    body["email_consent"] = json!(true);
    let id = posted(&post(&store, QUESTIONS, &body)).id;
    publish_question(&store, &id);
    let buyer = || Some(token("c-1", &["tent-2p"]));
    post(&store, &answer_path(&id), &answer("key-a0000001", buyer()));
    post(&store, &answer_path(&id), &answer("key-a0000002", buyer()));
    assert_eq!(
        store.number(
            "SELECT COUNT(*) FROM mail_outbox WHERE recipient = 'alex@cairn.example' \
             AND template = 'question_answered'"
        ),
        1
    );
    let mut no_email = question("key-q0000002");
    no_email["text"] = json!("Et sans e-mail, qui est prévenu ?");
    let silent = posted(&post(&store, QUESTIONS, &no_email)).id;
    publish_question(&store, &silent);
    post(
        &store,
        &answer_path(&silent),
        &answer("key-a0000003", buyer()),
    );
    assert_eq!(store.number("SELECT COUNT(*) FROM mail_outbox"), 1);
}

#[test]
fn top_answerers_are_the_customers_with_most_published_answers() {
    let store = SqliteStore::new();
    let first = published_question(&store, "key-q0000001");
    let mut second = question("key-q0000002");
    second["text"] = json!("Combien pèse-t-elle avec les sardines ?");
    let second = posted(&post(&store, QUESTIONS, &second)).id;
    publish_question(&store, &second);
    post(
        &store,
        &answer_path(&first),
        &answer("key-a0000001", Some(token("c-1", &["tent-2p"]))),
    );
    post(
        &store,
        &answer_path(&second),
        &answer("key-a0000002", Some(token("c-1", &["tent-2p"]))),
    );
    post(
        &store,
        &answer_path(&first),
        &answer("key-a0000003", Some(token("c-2", &["stove"]))),
    );
    let response = admin(&store, "GET", "/v1/sites/cairn/answerers", "", &json!({}));
    let top: TopAnswerers = serde_json::from_str(&response.body).expect("answerers");
    assert_eq!(top.answerers.len(), 2);
    assert_eq!(top.answerers[0].customer_id, "c-1");
    assert_eq!(
        (top.answerers[0].answers, top.answerers[0].as_buyer),
        (2, 2)
    );
    assert_eq!(
        (top.answerers[1].answers, top.answerers[1].as_buyer),
        (1, 0)
    );
    let mut anonymous = request("GET", "/v1/sites/cairn/answerers", b"");
    anonymous.origin = None;
    assert_eq!(error_of(&run(&store, &anonymous)).1, "unauthorized");
}

#[test]
fn every_invalid_field_is_refused_with_its_name_and_nothing_is_stored() {
    let store = SqliteStore::new();
    for (field, value, named) in [
        ("text", json!("Court ?"), "text"),
        ("text", json!("q".repeat(1_001)), "text"),
        ("text", json!(42), "text"),
        ("author_name", json!("n".repeat(61)), "author_name"),
        ("author_name", json!(null), "author_name"),
        ("email", json!("alex@cairn.example"), "email_consent"),
        ("visitor_id", json!("v"), "visitor_id"),
        ("unexpected", json!(1), "unexpected"),
    ] {
        let mut body = question("key-q0000001");
        body[field] = value.clone();
        assert_eq!(
            error_of(&post(&store, QUESTIONS, &body)),
            (422, "invalid_field".into(), Some(named.into())),
            "{field} = {value}"
        );
    }
    let question_id = published_question(&store, "key-q0000009");
    for (field, value, named) in [
        ("text", json!("x"), "text"),
        ("text", json!("x".repeat(3_001)), "text"),
        ("text", json!(["Oui"]), "text"),
        ("author_name", json!(""), "author_name"),
        ("visitor_id", json!(null), "visitor_id"),
        ("idempotency_key", json!("k"), "idempotency_key"),
    ] {
        let mut body = answer("key-a0000001", Some(token("c-1", &["tent-2p"])));
        body[field] = value.clone();
        assert_eq!(
            error_of(&post(&store, &answer_path(&question_id), &body)),
            (422, "invalid_field".into(), Some(named.into())),
            "{field} = {value}"
        );
    }
    let forged = sign(
        &CustomerClaims {
            sub: "c-1".into(),
            exp: NOW_MS / 1000 + 600,
            orders: Vec::new(),
            name: None,
            email: None,
        },
        b"not the site secret",
    );
    assert_eq!(
        error_of(&post(
            &store,
            &answer_path(&question_id),
            &answer("key-a0000002", Some(forged))
        ))
        .1,
        "invalid_customer_token"
    );
    assert_eq!(store.number("SELECT COUNT(*) FROM questions"), 1);
    assert_eq!(store.number("SELECT COUNT(*) FROM answers"), 0);
}

#[test]
fn hostile_text_is_stored_as_given_and_a_retry_stores_nothing_new() {
    let store = SqliteStore::new();
    let mut body = question("key-q0000001");
    body["text"] = json!("<img src=x onerror=alert(1)> '; DROP TABLE questions; --");
    let first = posted(&post(&store, QUESTIONS, &body));
    let again = post(&store, QUESTIONS, &body);
    assert_eq!(again.status, 200);
    assert_eq!(posted(&again), first);
    publish_question(&store, &first.id);
    assert_eq!(
        list(&store, "").questions[0].text,
        "<img src=x onerror=alert(1)> '; DROP TABLE questions; --"
    );
    assert_eq!(store.number("SELECT COUNT(*) FROM questions"), 1);
}

#[test]
fn texts_stored_before_accent_free_search_are_folded_as_new_ones_are() {
    let store = SqliteStore::before_migration("0013");
    let wind = published_question(&store, "key-q0000001");
    let every_letter: String = portevoix_core::qa::UNACCENTED
        .iter()
        .map(|(accented, _)| *accented)
        .collect();
    let stored = format!("Crête {every_letter}").to_lowercase();
    store.execute(&format!(
        "UPDATE questions SET search_text = '{stored}' WHERE id = '{wind}'"
    ));
    store.apply_migrations_from("0013");
    assert_eq!(
        store.texts(&format!(
            "SELECT search_text FROM questions WHERE id = '{wind}'"
        )),
        [portevoix_core::qa::RUST_UNICODE.text(&stored)],
        "migration 0013 folds with the same table as new texts"
    );
    let found = list(&store, "q=crete").questions;
    assert_eq!(found.len(), 1);
}

#[test]
fn published_answers_page_newest_first_for_the_brand_to_take_one_down() {
    let store = SqliteStore::new();
    let question = published_question(&store, "key-q0000001");
    for index in 0..5 {
        store.execute(&format!(
            "INSERT INTO answers (id, site_id, question_id, idempotency_key, author_name, body, \
             badge, status, created_at) VALUES ('{index:032x}', 'cairn', '{question}', \
             'bulk-{index}', 'n', 'answer {index}', 'customer', 'published', {})",
            1_000 + index / 2
        ));
    }
    let mut seen = Vec::new();
    let mut query = "status=published&order=newest&limit=2".to_owned();
    loop {
        let response = admin(&store, "GET", "/v1/sites/cairn/answers", &query, &json!({}));
        let page: AdminAnswerPage = serde_json::from_str(&response.body).expect("answers");
        seen.extend(page.answers.into_iter().map(|answer| answer.text));
        match page.next_cursor {
            Some(cursor) => {
                query = format!("status=published&order=newest&limit=2&cursor={cursor}")
            }
            None => break,
        }
    }
    assert_eq!(
        seen,
        ["answer 4", "answer 3", "answer 2", "answer 1", "answer 0"],
        "newest first, each once"
    );
    let refused = admin(
        &store,
        "GET",
        "/v1/sites/cairn/answers",
        "status=published&order=latest",
        &json!({}),
    );
    assert_eq!(
        error_of(&refused),
        (400, "invalid_query".into(), Some("order".into()))
    );
}
