//! Golden JSON files, one per wire type: a change to the public API fails here loudly and
//! has to be made on purpose. Run with `UPDATE_GOLDEN=1` to rewrite the files after an
//! intended change, then review the diff.

use std::collections::BTreeMap;
use std::path::PathBuf;

use portevoix_core::Error;
use portevoix_core::dict::Dict;
use portevoix_core::ladder::Activity;
use portevoix_core::locale::Locale;
use portevoix_core::moderation::Status;
use portevoix_core::nps::{Category, NpsSettings};
use portevoix_core::qa::Badge;
use portevoix_core::referral::{ConversionOutcome, ReferralSettings};
use portevoix_core::review::ReviewSort;
use portevoix_core::rewards::{Reason, RewardRules};
use portevoix_core::site::{PromoterLinks, ReviewProfile};
use portevoix_core::theme::Theme;
use portevoix_core::wire::{
    AccountKind, Adjusted, AdminAnswer, AdminAnswerPage, AdminQuestion, AdminQuestionPage,
    AdminReview, AdminReviewPage, Advocate, AdvocateEvent, AdvocateHistory, AdvocateList,
    AnswerSubmission, BrandReply, ConsoleSession, ConversionRecorded, ConversionReport, Decision,
    Erasure, ErasureLog, ErasureRequest, ErrorBody, EventKind, FriendOffer, Funnel, FunnelWeek,
    Funnels, HelpfulCounted, HelpfulVote, InvitationRequest, InvitationsSent, LedgerEntry,
    Moderation, NpsComment, NpsCommentPage, NpsCreated, NpsPage, NpsReport, NpsSubmission,
    NpsSummary, NpsWeek, PanelChange, PersonData, PointsAdjustment, PointsStatement, Posted,
    PrivacyRequest, PublicAnswer, PublicQuestion, PublicReview, PublicSiteConfig, QuestionPage,
    QuestionSubmission, ReferralCard, ReferralFunnel, ReferralLine, ReferralRequest, ReferralStats,
    ReplySubmission, ReviewCreated, ReviewPage, ReviewSubmission, ReviewSummary, ShareCreated,
    ShareRequest, SignIn, ThemeReport, TopAnswerer, TopAnswerers, VisitCounted, VisitOutcome,
    VisitReport, WebhookDelivery, WebhookList, WebhookLog, WebhookRequest, WebhookSubscription,
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
fn nps_report() {
    check(
        "nps_report",
        &NpsReport {
            summary: NpsSummary {
                from: None,
                to: None,
                total: 6,
                promoters: 3,
                passives: 1,
                detractors: 2,
                nps: Some(16.7),
            },
            page: Some("https://www.cairn.example/".into()),
            weeks: vec![NpsWeek {
                week: "2026-11-23".into(),
                total: 6,
                promoters: 3,
                passives: 1,
                detractors: 2,
                nps: Some(16.7),
            }],
            pages: vec![NpsPage {
                page_url: "https://www.cairn.example/".into(),
                total: 6,
            }],
        },
    );
}

#[test]
fn nps_comment_page() {
    check(
        "nps_comment_page",
        &NpsCommentPage {
            comments: vec![NpsComment {
                id: "9f3c2a7e5b1d4c6f8a0e2b4d6f8a0c2e".into(),
                score: 2,
                category: Category::Detractor,
                comment: "Livrée avec un arceau cassé".into(),
                page_url: Some("https://www.cairn.example/".into()),
                locale: Some("fr".into()),
                created_at: 1_764_500_000_000,
                handled_at: None,
            }],
            next_cursor: Some("MTc2NDUwMDAwMDAwMC45ZjNj".into()),
        },
    );
}

#[test]
fn console_session() {
    check(
        "sign_in",
        &SignIn {
            token: "the-site-admin-token".into(),
        },
    );
    check(
        "console_session",
        &ConsoleSession {
            site: "cairn".into(),
            brand_name: "Cairn".into(),
            expires_at: Some(1_764_507_200),
        },
    );
}

#[test]
fn advocate_history() {
    check(
        "advocate_history",
        &AdvocateHistory {
            customer_id: "camille".into(),
            points: 150,
            events: vec![
                AdvocateEvent {
                    kind: EventKind::Points,
                    detail: "adjustment · Voucher used".into(),
                    status: None,
                    points: Some(-50),
                    at: 1_764_500_100_000,
                },
                AdvocateEvent {
                    kind: EventKind::Review,
                    detail: "bivouac-2 · 5/5 · Parfaite".into(),
                    status: Some(Status::Published),
                    points: None,
                    at: 1_764_500_000_000,
                },
            ],
        },
    );
}

#[test]
fn webhooks() {
    check(
        "webhook_request",
        &WebhookRequest {
            url: "https://hooks.cairn.example/portevoix".into(),
            events: vec!["nps.created".into(), "review.published".into()],
            idempotency_key: Some("6f1e2d3c-4b5a-4988-8776-655443322110".into()),
        },
    );
    let subscription = WebhookSubscription {
        id: "5d2c7e1a9b3f4d6e8a0c2e4f6a8b0c2d".into(),
        url: "https://hooks.cairn.example/portevoix".into(),
        events: vec!["nps.created".into()],
        active: true,
        created_at: 1_764_500_000_000,
        secret: Some("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".into()),
    };
    check("webhook_subscription", &subscription);
    check(
        "webhook_list",
        &WebhookList {
            subscriptions: vec![WebhookSubscription {
                secret: None,
                ..subscription
            }],
            events: vec!["nps.created".into(), "review.published".into()],
        },
    );
    check(
        "webhook_log",
        &WebhookLog {
            deliveries: vec![WebhookDelivery {
                id: "9f3c2a7e5b1d4c6f8a0e2b4d6f8a0c2e".into(),
                event_type: "nps.created".into(),
                attempts: 2,
                last_status: Some(204),
                last_error: None,
                delivered_at: Some(1_764_500_001_000),
                next_attempt_at: None,
                created_at: 1_764_500_000_000,
            }],
        },
    );
}

#[test]
fn funnels() {
    check(
        "funnels",
        &Funnels {
            weeks: vec![FunnelWeek {
                week: "2025-11-24".into(),
                links: 3,
                link_visits: 7,
                share_points: 45,
                referral_codes: 1,
                invitations: 4,
                referral_visits: 2,
                conversions: 1,
                revenue_cents: BTreeMap::from([("EUR".to_owned(), 18_900)]),
                referral_points: 700,
            }],
        },
    );
}

#[test]
fn privacy() {
    check(
        "privacy_request",
        &PrivacyRequest {
            email: "camille@cairn.example".into(),
        },
    );
    check(
        "erasure_request",
        &ErasureRequest {
            email: "camille@cairn.example".into(),
            requested_by: "Léa (service client)".into(),
        },
    );
    let mut review = serde_json::Map::new();
    review.insert("id".into(), "1111".into());
    review.insert("author_name".into(), "Camille".into());
    check(
        "person_data",
        &PersonData {
            email_sha256: "5c4b…".into(),
            customer_ids: vec!["cust-4242".into()],
            visitor_ids: vec!["visitor-camille-0001".into()],
            tables: BTreeMap::from([("reviews".to_owned(), vec![review])]),
        },
    );
    let erasure = Erasure {
        id: "7e1f0c2a9b3d4e5f6a7b8c9d0e1f2a3b".into(),
        email_sha256: "5c4b…".into(),
        requested_by: "Léa (service client)".into(),
        rows: BTreeMap::from([("nps_answers".to_owned(), 1), ("reviews".to_owned(), 1)]),
        created_at: 1_764_500_000_000,
    };
    check("erasure", &erasure);
    check(
        "erasure_log",
        &ErasureLog {
            erasures: vec![erasure],
        },
    );
}

#[test]
fn public_site_config() {
    let french = Dict::from([("send".to_owned(), "Envoyer mon avis".to_owned())]);
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
            review_profiles: vec![ReviewProfile {
                name: "Google".into(),
                url: "https://g.page/r/cairn/review".into(),
            }],
            nps: NpsSettings {
                ask_again_after_days: 30,
            },
            anonymous_answers: false,
            rewards: RewardRules {
                points_per_visit: 50,
                ..RewardRules::default()
            },
            referral: ReferralSettings {
                advocate_points: 500,
                friend_offer: Some("10 € de remise sur la première commande".into()),
                ..ReferralSettings::default()
            },
            show_branding: false,
            turnstile_site_key: None,
            copy: Dict::from([("fr".to_owned(), french)]),
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

#[test]
fn review_submission() {
    check(
        "review_submission",
        &ReviewSubmission {
            rating: 5,
            title: "Montée en 5 minutes".into(),
            text: "Tente légère, solide sous la pluie.".into(),
            author_name: "Camille".into(),
            email: Some("camille@example.com".into()),
            email_consent: true,
            visitor_id: "0b6f1c1e-5d4a-4f7e-9a51-6c2d2b1f9e01".into(),
            idempotency_key: "7d0c2a4e-3b1f-4c8d-9e2a-1f5b6c7d8e9f".into(),
            page_url: Some("https://cairn.example/tentes/bivouac-2".into()),
            locale: Locale::from_tag("fr"),
            customer_token: None,
            website: None,
            elapsed_ms: Some(42_000),
            turnstile_token: None,
        },
    );
}

#[test]
fn review_created() {
    check(
        "review_created",
        &ReviewCreated {
            id: "5f0e8c3a9b7d4e21a6c3b2d1e0f9a8b7".into(),
            status: Status::Pending,
            verified: true,
        },
    );
}

fn public_review() -> PublicReview {
    PublicReview {
        id: "5f0e8c3a9b7d4e21a6c3b2d1e0f9a8b7".into(),
        rating: 5,
        title: "Montée en 5 minutes".into(),
        text: "Tente légère, solide sous la pluie.".into(),
        author_name: "Camille".into(),
        verified: true,
        created_at: 1_764_500_000_000,
        helpful_count: 3,
        reply: Some(BrandReply {
            text: "Merci Camille !".into(),
            created_at: 1_764_600_000_000,
        }),
    }
}

#[test]
fn review_page() {
    check(
        "review_page",
        &ReviewPage {
            product: "bivouac-2".into(),
            sort: ReviewSort::Helpful,
            rating: None,
            summary: ReviewSummary {
                count: 2,
                average: Some(4.5),
                histogram: Dict::from([(1, 0), (2, 0), (3, 0), (4, 1), (5, 1)]),
            },
            reviews: vec![public_review()],
            next_cursor: Some("NS4zLjE3NjQ1MDAwMDAwMDAuNWYwZQ".into()),
        },
    );
}

#[test]
fn helpful() {
    check(
        "helpful_vote",
        &HelpfulVote {
            visitor_id: "0b6f1c1e-5d4a-4f7e-9a51-6c2d2b1f9e01".into(),
        },
    );
    check(
        "helpful_counted",
        &HelpfulCounted {
            helpful_count: 4,
            counted: true,
        },
    );
}

#[test]
fn moderation() {
    check(
        "moderation",
        &Moderation {
            decision: Decision::Reject,
            reason: Some("Parle d’un autre produit".into()),
        },
    );
    check(
        "reply_submission",
        &ReplySubmission {
            text: "Merci Camille !".into(),
        },
    );
}

#[test]
fn admin_review_page() {
    check(
        "admin_review_page",
        &AdminReviewPage {
            reviews: vec![AdminReview {
                id: "5f0e8c3a9b7d4e21a6c3b2d1e0f9a8b7".into(),
                product: "bivouac-2".into(),
                status: Status::Pending,
                rating: 5,
                title: "Montée en 5 minutes".into(),
                text: "Tente légère, solide sous la pluie.".into(),
                author_name: "Camille".into(),
                email: Some("camille@example.com".into()),
                customer_id: Some("c-42".into()),
                order_id: Some("A-1001".into()),
                verified: true,
                rejection_reason: None,
                reply: None,
                helpful_count: 0,
                page_url: Some("https://cairn.example/tentes/bivouac-2".into()),
                locale: Some("fr".into()),
                created_at: 1_764_500_000_000,
                moderated_at: None,
            }],
            next_cursor: None,
        },
    );
}

#[test]
fn question_submission() {
    check(
        "question_submission",
        &QuestionSubmission {
            text: "Tient-elle un vent de 80 km/h ?".into(),
            author_name: "Alex".into(),
            email: Some("alex@example.com".into()),
            email_consent: true,
            visitor_id: "0b6f1c1e-5d4a-4f7e-9a51-6c2d2b1f9e01".into(),
            idempotency_key: "7d0c2a4e-3b1f-4c8d-9e2a-1f5b6c7d8e9f".into(),
            page_url: Some("https://cairn.example/tentes/bivouac-2".into()),
            locale: Locale::from_tag("fr"),
            customer_token: None,
            website: None,
            elapsed_ms: Some(12_000),
            turnstile_token: None,
        },
    );
}

#[test]
fn answer_submission_and_posted() {
    check(
        "answer_submission",
        &AnswerSubmission {
            text: "Oui, testée au col du Galibier.".into(),
            author_name: Some("Camille".into()),
            visitor_id: Some("0b6f1c1e-5d4a-4f7e-9a51-6c2d2b1f9e02".into()),
            idempotency_key: "7d0c2a4e-3b1f-4c8d-9e2a-1f5b6c7d8e90".into(),
            customer_token: Some("v1.eyJzdWIiOiJjLTQyIiwiZXhwIjoxfQ.c2ln".into()),
            website: None,
            elapsed_ms: Some(9_000),
            turnstile_token: None,
        },
    );
    check(
        "posted",
        &Posted {
            id: "5f0e8c3a9b7d4e21a6c3b2d1e0f9a8b7".into(),
            status: Status::Published,
            badge: Some(Badge::VerifiedBuyer),
        },
    );
}

#[test]
fn question_page() {
    check(
        "question_page",
        &QuestionPage {
            product: "bivouac-2".into(),
            q: Some("vent".into()),
            questions: vec![PublicQuestion {
                id: "6a1f8c3a9b7d4e21a6c3b2d1e0f9a8b7".into(),
                text: "Tient-elle un vent de 80 km/h ?".into(),
                author_name: "Alex".into(),
                created_at: 1_764_500_000_000,
                helpful_total: 4,
                answers: vec![PublicAnswer {
                    id: "7b2f8c3a9b7d4e21a6c3b2d1e0f9a8b7".into(),
                    text: "Oui, testée au col du Galibier.".into(),
                    author_name: "Camille".into(),
                    badge: Badge::VerifiedBuyer,
                    created_at: 1_764_600_000_000,
                    helpful_count: 4,
                }],
            }],
            next_cursor: None,
        },
    );
}

#[test]
fn admin_qa_pages() {
    check(
        "admin_question_page",
        &AdminQuestionPage {
            questions: vec![AdminQuestion {
                id: "6a1f8c3a9b7d4e21a6c3b2d1e0f9a8b7".into(),
                product: "bivouac-2".into(),
                status: Status::Pending,
                text: "Tient-elle un vent de 80 km/h ?".into(),
                author_name: "Alex".into(),
                email: Some("alex@example.com".into()),
                customer_id: None,
                answer_count: 0,
                rejection_reason: None,
                page_url: None,
                locale: Some("fr".into()),
                created_at: 1_764_500_000_000,
                moderated_at: None,
            }],
            next_cursor: None,
        },
    );
    check(
        "admin_answer_page",
        &AdminAnswerPage {
            answers: vec![AdminAnswer {
                id: "7b2f8c3a9b7d4e21a6c3b2d1e0f9a8b7".into(),
                question_id: "6a1f8c3a9b7d4e21a6c3b2d1e0f9a8b7".into(),
                question: "Tient-elle un vent de 80 km/h ?".into(),
                product: "bivouac-2".into(),
                status: Status::Pending,
                text: "Je crois que oui.".into(),
                author_name: "Dominique".into(),
                badge: Badge::Anonymous,
                customer_id: None,
                rejection_reason: None,
                helpful_count: 0,
                created_at: 1_764_600_000_000,
                moderated_at: None,
            }],
            next_cursor: None,
        },
    );
    check(
        "top_answerers",
        &TopAnswerers {
            answerers: vec![TopAnswerer {
                customer_id: "c-42".into(),
                author_name: "Camille".into(),
                answers: 12,
                as_buyer: 9,
                helpful_votes: 31,
                last_answer_at: 1_764_600_000_000,
            }],
        },
    );
}

#[test]
fn shares_and_visits() {
    check(
        "share_request",
        &ShareRequest {
            url: "https://cairn.example/tentes/bivouac-2".into(),
            visitor_id: "0b6f1c1e-5d4a-4f7e-9a51-6c2d2b1f9e01".into(),
            customer_token: None,
        },
    );
    check(
        "share_created",
        &ShareCreated {
            code: "0a1b2c3d4e5f".into(),
            link: "https://portevoix.example/s/0a1b2c3d4e5f".into(),
            points_per_visit: 50,
        },
    );
    check(
        "visit_report",
        &VisitReport {
            visitor_id: "0b6f1c1e-5d4a-4f7e-9a51-6c2d2b1f9e02".into(),
        },
    );
    check(
        "visit_counted",
        &VisitCounted {
            counted: true,
            outcome: VisitOutcome::Counted,
            points: 50,
        },
    );
}

fn entry() -> LedgerEntry {
    LedgerEntry {
        points: 50,
        reason: Reason::Visit,
        source: "0a1b2c3d4e5f".into(),
        note: None,
        created_at: 1_764_500_000_000,
    }
}

#[test]
fn points() {
    check(
        "points_statement",
        &PointsStatement {
            account: AccountKind::Customer,
            balance: 150,
            entries: vec![entry()],
        },
    );
    check(
        "points_adjustment",
        &PointsAdjustment {
            customer_id: "c-42".into(),
            points: -20,
            reason: "Bon d’achat utilisé".into(),
            idempotency_key: "7d0c2a4e-3b1f-4c8d-9e2a-1f5b6c7d8e9f".into(),
        },
    );
    check(
        "adjusted",
        &Adjusted {
            balance: 130,
            entry: LedgerEntry {
                points: -20,
                reason: Reason::Adjustment,
                source: "admin".into(),
                note: Some("Bon d’achat utilisé".into()),
                created_at: 1_764_600_000_000,
            },
        },
    );
}

#[test]
fn advocates() {
    check(
        "advocate_list",
        &AdvocateList {
            levels: Dict::from([(1, 12), (2, 30), (3, 8), (4, 3), (5, 2), (6, 1)]),
            advocates: vec![Advocate {
                customer_id: "c-42".into(),
                level: 5,
                score: 61,
                points: 150,
                activity: Activity {
                    nps_answers: 1,
                    promoter_answers: 1,
                    published_reviews: 1,
                    published_answers: 2,
                    helpful_votes: 4,
                    share_visits: 3,
                    panel: false,
                },
            }],
        },
    );
    check(
        "panel_change",
        &PanelChange {
            customer_id: "c-42".into(),
            member: true,
        },
    );
}

#[test]
fn referrals() {
    check(
        "referral_request",
        &ReferralRequest {
            visitor_id: "0b6f1c1e-5d4a-4f7e-9a51-6c2d2b1f9e01".into(),
            name: Some("Camille Martin".into()),
            email: Some("camille@example.com".into()),
            consent: true,
            customer_token: None,
        },
    );
    check(
        "referral_card",
        &ReferralCard {
            code: "3F9A0C21B7".into(),
            link: "https://portevoix.example/r/3F9A0C21B7".into(),
            friend_offer: Some("10 € de remise sur la première commande".into()),
            advocate_points: 500,
            friend_points: 200,
            expires_at: 1_796_036_000_000,
            stats: ReferralStats {
                invited: 3,
                visited: 2,
                converted: 1,
                rewards: 500,
            },
        },
    );
    check(
        "invitation_request",
        &InvitationRequest {
            visitor_id: "0b6f1c1e-5d4a-4f7e-9a51-6c2d2b1f9e01".into(),
            emails: vec!["dominique@example.com".into()],
            message: Some("Tu vas adorer !".into()),
            customer_token: None,
        },
    );
    check(
        "invitations_sent",
        &InvitationsSent {
            invited: 1,
            already_invited: 0,
            left_today: 19,
        },
    );
    check(
        "friend_offer",
        &FriendOffer {
            code: "3F9A0C21B7".into(),
            advocate_first_name: "Camille".into(),
            offer: Some("10 € de remise sur la première commande".into()),
            friend_points: 200,
            attribution_days: 30,
        },
    );
    check(
        "conversion_report",
        &ConversionReport {
            order_id: "A-1001".into(),
            referral_code: "3F9A0C21B7".into(),
            buyer_email_sha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
                .into(),
            buyer_customer_id: None,
            amount_cents: 18_900,
            currency: "EUR".into(),
        },
    );
    check(
        "conversion_recorded",
        &ConversionRecorded {
            order_id: "A-1001".into(),
            outcome: ConversionOutcome::Credited,
            credited: true,
            advocate_points: 500,
            friend_points: 200,
            replayed: false,
        },
    );
    check(
        "referral_funnel",
        &ReferralFunnel {
            totals: Funnel {
                links: 12,
                invited: 30,
                visited: 41,
                converted: 5,
                refused: 1,
                revenue_cents: 94_500,
                rewards: 3_500,
            },
            referrals: vec![ReferralLine {
                code: "3F9A0C21B7".into(),
                advocate: "customer:c-42".into(),
                advocate_name: "Camille Martin".into(),
                created_at: 1_764_500_000_000,
                expires_at: 1_796_036_000_000,
                invited: 3,
                visited: 2,
                converted: 1,
                revenue_cents: 18_900,
            }],
        },
    );
}
