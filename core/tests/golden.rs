//! Golden JSON files, one per wire type: a change to the public API fails here loudly and
//! has to be made on purpose. Run with `UPDATE_GOLDEN=1` to rewrite the files after an
//! intended change, then review the diff.

use std::collections::BTreeMap;
use std::path::PathBuf;

use portevoix_core::Error;
use portevoix_core::locale::Locale;
use portevoix_core::nps::Category;
use portevoix_core::site::PromoterLinks;
use portevoix_core::theme::Theme;
use portevoix_core::wire::{
    ErrorBody, NpsCreated, NpsSubmission, NpsSummary, PublicSiteConfig, ThemeReport,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

fn check<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(name: &str, value: &T) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("tests/golden/{name}.json"));
    let actual = serde_json::to_string_pretty(value).expect("serializes") + "\n";
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &actual).expect("write golden file");
    }
    let expected = std::fs::read_to_string(&path).expect("golden file exists");
    assert_eq!(actual, expected, "{name}: the wire format changed");
    let parsed: T = serde_json::from_str(&expected).expect("golden file parses");
    assert_eq!(
        &parsed, value,
        "{name}: the golden file no longer parses to the same value"
    );
}

#[test]
fn nps_submission() {
    check(
        "nps_submission",
        &NpsSubmission {
            score: 9,
            comment: Some("Tente montée en 5 minutes".into()),
            visitor_id: "0b6f1c1e-5d4a-4f7e-9a51-6c2d2b1f9e01".into(),
            idempotency_key: "7d0c2a4e-3b1f-4c8d-9e2a-1f5b6c7d8e9f".into(),
            page_url: Some("https://cairn.example/tentes/bivouac-2".into()),
            locale: Locale::from_tag("fr"),
            customer_token: Some("v1.eyJzdWIiOiJjLTQyIiwiZXhwIjoxfQ.c2ln".into()),
            website: None,
            elapsed_ms: Some(5400),
            turnstile_token: None,
        },
    );
}

#[test]
fn nps_created() {
    check(
        "nps_created",
        &NpsCreated {
            id: "5f0e8c3a9b7d4e21a6c3b2d1e0f9a8b7".into(),
            category: Category::Promoter,
        },
    );
}

#[test]
fn nps_summary() {
    check(
        "nps_summary",
        &NpsSummary {
            from: Some("2026-11-01".into()),
            to: Some("2026-11-30".into()),
            total: 8,
            promoters: 4,
            passives: 2,
            detractors: 2,
            nps: Some(25.0),
        },
    );
}

#[test]
fn public_site_config() {
    let french = BTreeMap::from([("send".to_owned(), "Envoyer mon avis".to_owned())]);
    check(
        "public_site_config",
        &PublicSiteConfig {
            site: "cairn".into(),
            brand_name: "Cairn".into(),
            default_locale: Locale::from_tag("fr").expect("French is shipped"),
            contact_url: Some("https://cairn.example/contact".into()),
            promoter_links: PromoterLinks {
                review: Some("https://cairn.example/avis".into()),
                share: None,
                referral: None,
            },
            theme: Theme::default(),
            show_branding: false,
            turnstile_site_key: None,
            copy: BTreeMap::from([("fr".to_owned(), french)]),
        },
    );
}

#[test]
fn theme_report() {
    let theme = Theme {
        mode: portevoix_core::theme::ColorMode::Auto,
        ..Theme::default()
    };
    check(
        "theme_report",
        &ThemeReport {
            contrast_warnings: vec![
                "dark theme: text #777777 on background #18201c has a contrast of 3.85:1, below the 4.5:1 WCAG 2.2 AA asks for".into(),
            ],
            theme,
        },
    );
}

#[test]
fn error_body() {
    check(
        "error_body",
        &Error::field("score", "score must be an integer from 0 to 10").body(),
    );
    check::<ErrorBody>(
        "error_body_internal",
        &Error::Storage("disk full".into()).body(),
    );
}
