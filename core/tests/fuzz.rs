//! Property tests standing in for fuzzing: arbitrary bytes, JSON, tokens, paths and
//! queries thrown at the request handling and the verifiers. Nothing may panic, and no
//! input may earn a 5xx. The suite runs 256 cases per property; a longer run:
//! `PROPTEST_CASES=100000 cargo test -p portevoix-core --test fuzz --release`.

mod support;

use portevoix_core::api::{ApiRequest, ApiResponse, handle};
use portevoix_core::token;
use proptest::prelude::*;
use serde_json::{Map, Value};
use support::{FakeTurnstile, MemoryLimiter, ORIGIN, SqliteStore};

fn send(store: &SqliteStore, method: &str, path: &str, query: &str, body: &[u8]) -> ApiResponse {
    let request = ApiRequest {
        method,
        path,
        query,
        origin: Some(ORIGIN),
        authorization: Some("Bearer not-the-token"),
        cookie: Some("pv_console=1.forged"),
        content_type: Some("application/json"),
        client_address: Some("203.0.113.9"),
        if_none_match: None,
        signature: None,
        user_agent: Some("Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"),
        base_url: "https://portevoix.test",
        body,
        now_ms: 1_764_500_000_000,
    };
    pollster::block_on(handle(
        &request,
        store,
        &MemoryLimiter::new(u32::MAX),
        &FakeTurnstile,
    ))
}

/// JSON values shaped like answers: known field names mixed with others, any leaf type.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        ".{0,40}".prop_map(Value::String),
        "[a-zA-Z0-9_-]{6,20}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        let key = prop_oneof![
            Just("score".to_owned()),
            Just("comment".to_owned()),
            Just("visitor_id".to_owned()),
            Just("idempotency_key".to_owned()),
            Just("page_url".to_owned()),
            Just("locale".to_owned()),
            Just("customer_token".to_owned()),
            Just("elapsed_ms".to_owned()),
            ".{0,12}",
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key, inner), 0..8)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_earn_a_5xx(body in prop::collection::vec(any::<u8>(), 0..512)) {
        let store = SqliteStore::new();
        let response = send(&store, "POST", "/v1/sites/cairn/nps", "", &body);
        prop_assert!(response.status < 500, "{} for {:?}", response.status, body);
        if response.status >= 400 {
            prop_assert_eq!(store.nps_rows(), 0);
        }
    }

    #[test]
    fn arbitrary_json_never_earns_a_5xx(value in json_value()) {
        let store = SqliteStore::new();
        let body = value.to_string();
        let response = send(&store, "POST", "/v1/sites/cairn/nps", "", body.as_bytes());
        prop_assert!(response.status < 500, "{} for {}", response.status, body);
        let stored = store.nps_rows();
        prop_assert_eq!(stored, i64::from(response.status == 201), "{}", body);
    }

    #[test]
    fn arbitrary_paths_methods_and_queries_never_earn_a_5xx(
        path in "(/[a-z0-9%.\\-_]{0,12}){0,6}",
        method in prop_oneof![
            Just("GET".to_owned()),
            Just("POST".to_owned()),
            Just("OPTIONS".to_owned()),
            "[A-Z]{1,8}",
        ],
        query in ".{0,60}",
    ) {
        let store = SqliteStore::new();
        for candidate in [path.as_str(), "/v1/sites/cairn/nps/summary", "/v1/sites/cairn/config"] {
            let response = send(&store, &method, candidate, &query, b"{}");
            prop_assert!(response.status < 500, "{} {} {}?{}", response.status, method, candidate, query);
        }
    }

    #[test]
    fn the_token_verifier_refuses_anything_it_did_not_sign(candidate in ".{0,300}", secret in prop::collection::vec(any::<u8>(), 0..64)) {
        prop_assert!(token::verify(&candidate, &secret, 0).is_err());
        let dotted = format!("v1.{candidate}.{candidate}");
        prop_assert!(token::verify(&dotted, &secret, 0).is_err());
    }
}
