//! The JSON bodies exchanged between widgets, brand servers and the worker. A change here
//! is a change of the public API: the golden files in `core/tests/golden/` must change with
//! it, on purpose.

use serde::{Deserialize, Serialize};

use crate::locale::Locale;
use crate::nps::Category;
use crate::site::PromoterLinks;
use crate::theme::Theme;
use std::collections::BTreeMap;

/// Every error answer: `{"error":{"code","message"}}`, plus the offending field if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// The error itself, nested so that success bodies can never be mistaken for errors.
    pub error: ErrorDetail,
}

/// The payload of [`ErrorBody`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    /// Stable machine-readable code, e.g. `invalid_field`.
    pub code: String,
    /// Sentence meant for the developer integrating the widget.
    pub message: String,
    /// The field or query parameter at fault, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// `POST /v1/sites/{site}/nps`: one visitor's answer to the NPS question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NpsSubmission {
    /// 0 to 10, the answer to "how likely are you to recommend us".
    pub score: u8,
    /// Free text; empty or blank means no comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Random first-party id the widget keeps for an anonymous visitor.
    pub visitor_id: String,
    /// Chosen by the client once per answer; retries reuse it so nothing is stored twice.
    pub idempotency_key: String,
    /// The page the survey was answered on, to compare pages in the console.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_url: Option<String>,
    /// The language the visitor saw the question in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<Locale>,
    /// Signed by the brand's server: links the answer to a known customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_token: Option<String>,
    /// The hidden honeypot field: people leave it empty, form-filling robots do not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    /// Milliseconds between the form being shown and first sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elapsed_ms: Option<u64>,
    /// Cloudflare Turnstile's proof of a person, when the site turned the check on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub turnstile_token: Option<String>,
}

/// The answer to a stored (or replayed) NPS submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NpsCreated {
    /// Id of the stored answer; the same on every retry of one submission.
    pub id: String,
    /// What the score makes of the visitor, so the widget can pick its follow-up.
    pub category: Category,
}

impl From<crate::store::StoredNps> for NpsCreated {
    fn from(stored: crate::store::StoredNps) -> Self {
        NpsCreated {
            id: stored.id,
            category: stored.category,
        }
    }
}

/// `GET /v1/sites/{site}/nps/summary`: the counts the NPS is computed from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NpsSummary {
    /// First day counted (UTC, inclusive), or none for "since the beginning".
    pub from: Option<String>,
    /// Last day counted (UTC, inclusive), or none for "up to now".
    pub to: Option<String>,
    /// Number of answers in the range.
    pub total: u64,
    /// Answers scoring 9 or 10.
    pub promoters: u64,
    /// Answers scoring 7 or 8.
    pub passives: u64,
    /// Answers scoring 0 to 6.
    pub detractors: u64,
    /// % promoters − % detractors, one decimal; `null` when there is no answer to count.
    pub nps: Option<f64>,
}

/// `GET /v1/sites/{site}/config`: what a widget needs to draw itself for a site. Secrets,
/// allowed origins and tokens never appear here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicSiteConfig {
    /// The `data-site` key.
    pub site: String,
    /// The brand's name as shown to visitors.
    pub brand_name: String,
    /// Language used when neither the element nor the page says one.
    pub default_locale: Locale,
    /// Where an unhappy customer can reach the brand.
    pub contact_url: Option<String>,
    /// Where promoters are invited next.
    pub promoter_links: PromoterLinks,
    /// The brand's colours, font and shapes.
    pub theme: Theme,
    /// Whether to show the discreet "Powered by Portevoix" line.
    pub show_branding: bool,
    /// Turnstile's public site key when answers must prove a person sent them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub turnstile_site_key: Option<String>,
    /// Per-language overrides of the widgets' visible strings.
    pub copy: BTreeMap<String, BTreeMap<String, String>>,
}

/// `GET /v1/sites/{site}/theme` (admin): the stored theme and what fails WCAG contrast.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThemeReport {
    /// The theme as widgets receive it.
    pub theme: Theme,
    /// One sentence per colour pair below WCAG 2.2 AA; empty when all pass.
    pub contrast_warnings: Vec<String>,
}
