//! The JSON bodies exchanged between widgets, brand servers and the worker. A change here
//! is a change of the public API: the golden files in `core/tests/golden/` must change with
//! it, on purpose.

use serde::{Deserialize, Serialize};

use crate::dict::Dict;
use crate::ladder::Activity;
use crate::locale::Locale;
use crate::moderation::Status;
use crate::nps::Category;
use crate::qa::Badge;
use crate::referral::ConversionOutcome;
use crate::review::ReviewSort;
use crate::rewards::{Reason, RewardRules};
use crate::site::{PromoterLinks, ReviewProfile};
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

/// `GET /v1/sites/{site}/nps/report` (admin): what the console's NPS page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NpsReport {
    /// The score and its split over the range (and page).
    pub summary: NpsSummary,
    /// The page the figures are limited to, if any.
    pub page: Option<String>,
    /// Week by week, oldest first; weeks without answers are left out.
    pub weeks: Vec<NpsWeek>,
    /// The pages answers in the range came from, most answers first, for the page filter.
    pub pages: Vec<NpsPage>,
}

/// One Monday-to-Sunday UTC week of answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NpsWeek {
    /// Its Monday, `YYYY-MM-DD`.
    pub week: String,
    /// Answers that week.
    pub total: u64,
    /// Scoring 9 or 10.
    pub promoters: u64,
    /// Scoring 7 or 8.
    pub passives: u64,
    /// Scoring 0 to 6.
    pub detractors: u64,
    /// The week's NPS, one decimal.
    pub nps: Option<f64>,
}

/// A page answers came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NpsPage {
    /// The page's URL as the widget reported it.
    pub page_url: String,
    /// Answers given there in the range.
    pub total: u64,
}

/// An answer with a comment, as the console lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NpsComment {
    /// The answer's id, for marking it handled.
    pub id: String,
    /// 0 to 10.
    pub score: u8,
    /// From the score.
    pub category: Category,
    /// As the visitor wrote it; show as text only.
    pub comment: String,
    /// Where it was given.
    pub page_url: Option<String>,
    /// The widget's language.
    pub locale: Option<String>,
    /// Unix ms.
    pub created_at: i64,
    /// When someone at the brand marked it handled, Unix ms.
    pub handled_at: Option<i64>,
}

/// `GET /v1/sites/{site}/nps/comments` (admin): one page of comments, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NpsCommentPage {
    /// This page.
    pub comments: Vec<NpsComment>,
    /// Pass as `cursor` for the next page; `null` on the last.
    pub next_cursor: Option<String>,
}

/// `POST /v1/sites/{site}/console/session`: the console's sign-in, once per session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignIn {
    /// The site's admin token; exchanged for a session cookie, never kept by the console.
    pub token: String,
}

/// `GET`/`POST /v1/sites/{site}/console/session`: the signed-in console's session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleSession {
    /// The site signed in to.
    pub site: String,
    /// The brand's name, for the console's header.
    pub brand_name: String,
    /// When the session ends, Unix seconds; sign in again after. `None` when the request
    /// carried the admin token itself, which opens no session and does not expire.
    pub expires_at: Option<i64>,
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
    /// The brand's profiles on external review sites, offered to happy customers.
    pub review_profiles: Vec<ReviewProfile>,
    /// How the NPS survey runs: when a browser that answered is asked again.
    #[serde(default)]
    pub nps: crate::nps::NpsSettings,
    /// Whether visitors without a customer token may answer questions.
    pub anonymous_answers: bool,
    /// What the site rewards, shown by the share widget.
    pub rewards: RewardRules,
    /// The referral programme, shown by the referral widget.
    pub referral: crate::referral::ReferralSettings,
    /// Turnstile's public site key when answers must prove a person sent them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub turnstile_site_key: Option<String>,
    /// Per-language overrides of the widgets' visible strings.
    pub copy: Dict<String, Dict<String, String>>,
}

/// `GET /v1/sites/{site}/theme` (admin): the stored theme and what fails WCAG contrast.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThemeReport {
    /// The theme as widgets receive it.
    pub theme: Theme,
    /// One sentence per colour pair below WCAG 2.2 AA; empty when all pass.
    pub contrast_warnings: Vec<String>,
}

/// `POST /v1/sites/{site}/products/{product}/reviews`: a visitor's review of a product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewSubmission {
    /// 1 to 5 stars.
    pub rating: u8,
    /// Up to 120 characters.
    pub title: String,
    /// 10 to 5,000 characters, shown as text.
    pub text: String,
    /// The name shown with the review, up to 60 characters.
    pub author_name: String,
    /// Kept only with `email_consent`, so the brand can follow up privately.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The visitor ticked "the brand may contact me about this review".
    #[serde(default)]
    pub email_consent: bool,
    /// Random first-party id the widget keeps for an anonymous visitor.
    pub visitor_id: String,
    /// Chosen by the client once per review; retries reuse it.
    pub idempotency_key: String,
    /// The page the review was written on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_url: Option<String>,
    /// The language the visitor wrote in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<Locale>,
    /// Signed by the brand's server; an order of this product makes a verified purchase.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_token: Option<String>,
    /// The hidden honeypot field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    /// Milliseconds between the form being shown and first sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elapsed_ms: Option<u64>,
    /// Cloudflare Turnstile's proof of a person, when the site turned the check on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub turnstile_token: Option<String>,
}

/// The answer to a stored (or replayed) review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewCreated {
    /// Id of the stored review; the same on every retry.
    pub id: String,
    /// `pending` until the brand publishes it, `published` when the site auto-publishes
    /// verified purchases.
    pub status: Status,
    /// Whether the customer token named an order of this product.
    pub verified: bool,
}

/// The brand's public answer under a review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrandReply {
    /// As written by the brand, shown as text.
    pub text: String,
    /// Unix ms.
    pub created_at: i64,
}

/// A published review as every visitor sees it: no email, no customer or visitor id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicReview {
    /// Review id, for the helpful vote.
    pub id: String,
    /// 1 to 5 stars.
    pub rating: u8,
    /// As written, shown as text.
    pub title: String,
    /// As written, shown as text.
    pub text: String,
    /// As written, shown as text.
    pub author_name: String,
    /// Written by a customer whose token named an order of the product.
    pub verified: bool,
    /// Unix ms.
    pub created_at: i64,
    /// "Helpful" votes.
    pub helpful_count: u64,
    /// The brand's answer, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<BrandReply>,
}

/// The product's published reviews summed up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewSummary {
    /// Published reviews.
    pub count: u64,
    /// Mean stars to one decimal; `null` without reviews.
    pub average: Option<f64>,
    /// Stars (`"1"` to `"5"`) to number of published reviews.
    #[serde(deserialize_with = "number_keys::deserialize")]
    pub histogram: Dict<u8, u64>,
}

/// `GET /v1/sites/{site}/products/{product}/reviews`: one page of published reviews.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewPage {
    /// The product id.
    pub product: String,
    /// The order of this page.
    pub sort: ReviewSort,
    /// The only rating listed, when the visitor filters by stars; the summary still counts
    /// every review.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<u8>,
    /// Over all published reviews, not just this page.
    pub summary: ReviewSummary,
    /// This page's reviews.
    pub reviews: Vec<PublicReview>,
    /// Pass as `cursor` for the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

/// `POST …/reviews/{id}/helpful`: a visitor finds a review helpful.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HelpfulVote {
    /// Each visitor counts once per review.
    pub visitor_id: String,
}

/// The answer to a helpful vote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelpfulCounted {
    /// Votes now.
    pub helpful_count: u64,
    /// False when this visitor had already voted: nothing changed.
    pub counted: bool,
}

/// What the brand decides about a review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    /// Show it and count it.
    Publish,
    /// Hide it (and uncount it if it was published).
    Reject,
}

/// `POST /v1/sites/{site}/reviews/{id}/moderation` (admin).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Moderation {
    /// Publish or reject.
    pub decision: Decision,
    /// Required to reject, up to 500 characters; kept for the brand's records.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// `POST /v1/sites/{site}/reviews/{id}/reply` (admin): the brand's public answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplySubmission {
    /// 1 to 2,000 characters; replaces any earlier reply.
    pub text: String,
}

/// A review as the brand sees it, with everything stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminReview {
    /// Review id.
    pub id: String,
    /// The product reviewed.
    pub product: String,
    /// Moderation state.
    pub status: Status,
    /// 1 to 5 stars.
    pub rating: u8,
    /// As written.
    pub title: String,
    /// As written.
    pub text: String,
    /// As written.
    pub author_name: String,
    /// Given with consent only.
    pub email: Option<String>,
    /// The brand's customer id from a verified token.
    pub customer_id: Option<String>,
    /// The token's order containing the product, which makes the purchase verified.
    pub order_id: Option<String>,
    /// Whether the purchase was verified.
    pub verified: bool,
    /// Why the brand rejected it.
    pub rejection_reason: Option<String>,
    /// The brand's public answer.
    pub reply: Option<BrandReply>,
    /// "Helpful" votes.
    pub helpful_count: u64,
    /// Page it was written on.
    pub page_url: Option<String>,
    /// Language it was written in.
    pub locale: Option<String>,
    /// Unix ms.
    pub created_at: i64,
    /// When it was last published or rejected, Unix ms.
    pub moderated_at: Option<i64>,
}

/// `GET /v1/sites/{site}/reviews` (admin): one page of the moderation queue, or of the
/// reviews published or rejected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminReviewPage {
    /// Reviews in this state, oldest first so the queue is worked in order (newest first
    /// when asked).
    pub reviews: Vec<AdminReview>,
    /// Pass as `cursor` for the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

/// `POST /v1/sites/{site}/products/{product}/questions`: a prospect's question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionSubmission {
    /// 10 to 1,000 characters, shown as text.
    pub text: String,
    /// The name shown with the question, up to 60 characters.
    pub author_name: String,
    /// Kept only with `email_consent`, to tell the asker when it is answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The visitor ticked "tell me by email when my question is answered".
    #[serde(default)]
    pub email_consent: bool,
    /// Random first-party id the widget keeps for an anonymous visitor.
    pub visitor_id: String,
    /// Chosen by the client once per question; retries reuse it.
    pub idempotency_key: String,
    /// The page the question was asked on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_url: Option<String>,
    /// The language the visitor wrote in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<Locale>,
    /// Signed by the brand's server: links the question to a known customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_token: Option<String>,
    /// The hidden honeypot field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    /// Milliseconds between the form being shown and first sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elapsed_ms: Option<u64>,
    /// Cloudflare Turnstile's proof of a person, when the site turned the check on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub turnstile_token: Option<String>,
}

/// `POST …/questions/{id}/answers`: an answer, from a visitor (public route) or from the
/// brand (admin route, where only `text` and `idempotency_key` count).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerSubmission {
    /// 2 to 3,000 characters, shown as text.
    pub text: String,
    /// The name shown with the answer, up to 60 characters; the brand's name for the brand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author_name: Option<String>,
    /// Random first-party id of the answering visitor; absent for the brand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visitor_id: Option<String>,
    /// Chosen by the client once per answer; retries reuse it.
    pub idempotency_key: String,
    /// Signed by the brand's server: makes a customer's (or a buyer's) answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_token: Option<String>,
    /// The hidden honeypot field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    /// Milliseconds between the form being shown and first sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elapsed_ms: Option<u64>,
    /// Cloudflare Turnstile's proof of a person, when the site turned the check on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub turnstile_token: Option<String>,
}

/// The answer to a stored (or replayed) question or answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Posted {
    /// Id of the stored question or answer; the same on every retry.
    pub id: String,
    /// `pending` until the brand publishes it, or `published`.
    pub status: Status,
    /// For answers: who wrote it, as shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub badge: Option<Badge>,
}

/// A published answer as every visitor sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicAnswer {
    /// Answer id, for the helpful vote.
    pub id: String,
    /// As written, shown as text.
    pub text: String,
    /// As written, shown as text.
    pub author_name: String,
    /// Who wrote it.
    pub badge: Badge,
    /// Unix ms.
    pub created_at: i64,
    /// "Helpful" votes.
    pub helpful_count: u64,
}

/// A published question with its published answers, most helpful first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicQuestion {
    /// Question id, to answer it.
    pub id: String,
    /// As written, shown as text.
    pub text: String,
    /// As written, shown as text.
    pub author_name: String,
    /// Unix ms.
    pub created_at: i64,
    /// Helpful votes on all its answers: the list's order.
    pub helpful_total: u64,
    /// Published answers, most helpful first, then oldest first.
    pub answers: Vec<PublicAnswer>,
}

/// `GET /v1/sites/{site}/products/{product}/questions`: one page of published questions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionPage {
    /// The product id.
    pub product: String,
    /// The search this page answers, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    /// This page's questions, most helpful first.
    pub questions: Vec<PublicQuestion>,
    /// Pass as `cursor` for the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

/// A question as the brand sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminQuestion {
    /// Question id.
    pub id: String,
    /// The product asked about.
    pub product: String,
    /// Moderation state.
    pub status: Status,
    /// As written.
    pub text: String,
    /// As written.
    pub author_name: String,
    /// Given with consent to be told of answers.
    pub email: Option<String>,
    /// The brand's customer id, when a token came with the question.
    pub customer_id: Option<String>,
    /// Published answers.
    pub answer_count: u64,
    /// Why the brand rejected it.
    pub rejection_reason: Option<String>,
    /// Page it was asked on.
    pub page_url: Option<String>,
    /// Language it was asked in.
    pub locale: Option<String>,
    /// Unix ms.
    pub created_at: i64,
    /// When last published or rejected, Unix ms.
    pub moderated_at: Option<i64>,
}

/// `GET /v1/sites/{site}/questions` (admin).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminQuestionPage {
    /// Questions in the asked state, oldest first.
    pub questions: Vec<AdminQuestion>,
    /// Pass as `cursor` for the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

/// An answer as the brand sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminAnswer {
    /// Answer id.
    pub id: String,
    /// The question it answers.
    pub question_id: String,
    /// The question's text, for context in the queue.
    pub question: String,
    /// The product asked about.
    pub product: String,
    /// Moderation state.
    pub status: Status,
    /// As written.
    pub text: String,
    /// As written.
    pub author_name: String,
    /// Who wrote it.
    pub badge: Badge,
    /// The brand's customer id, for customers' answers.
    pub customer_id: Option<String>,
    /// Why the brand rejected it.
    pub rejection_reason: Option<String>,
    /// "Helpful" votes.
    pub helpful_count: u64,
    /// Unix ms.
    pub created_at: i64,
    /// When last published or rejected, Unix ms.
    pub moderated_at: Option<i64>,
}

/// `GET /v1/sites/{site}/answers` (admin).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminAnswerPage {
    /// Answers in the asked state, oldest first.
    pub answers: Vec<AdminAnswer>,
    /// Pass as `cursor` for the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

/// One of the customers who answered most: an advocate selling alongside the brand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopAnswerer {
    /// The brand's customer id.
    pub customer_id: String,
    /// The name they answer under (their latest).
    pub author_name: String,
    /// Published answers.
    pub answers: u64,
    /// Of those, answers about a product they bought.
    pub as_buyer: u64,
    /// Helpful votes on their published answers.
    pub helpful_votes: u64,
    /// Their latest published answer, Unix ms.
    pub last_answer_at: i64,
}

/// `GET /v1/sites/{site}/answerers` (admin): the customers who answered most.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopAnswerers {
    /// Most published answers first, then most helpful.
    pub answerers: Vec<TopAnswerer>,
}

/// `POST /v1/sites/{site}/shares`: a visitor wants their personal link to a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShareRequest {
    /// The page to share, on one of the site's allowed origins.
    pub url: String,
    /// The sharing browser's first-party id: its own visits never earn it points.
    pub visitor_id: String,
    /// Signed by the brand's server: the link (and its points) belongs to the customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_token: Option<String>,
}

/// The sharer's personal link; the same for the same sharer and page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareCreated {
    /// The link's code.
    pub code: String,
    /// `WORKER-ORIGIN/s/{code}`, which redirects to the page.
    pub link: String,
    /// Points each counted visit earns the sharer.
    pub points_per_visit: u32,
}

/// `POST /v1/sites/{site}/shares/{code}/visits`: the landing page reports a visit through
/// a link (the loader does, when the page's URL carries `pv_share`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VisitReport {
    /// The visiting browser's first-party id.
    pub visitor_id: String,
}

/// Why a visit did or did not earn the sharer points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VisitOutcome {
    /// A new visitor today: counted.
    Counted,
    /// The sharer opened their own link.
    OwnLink,
    /// A robot or link previewer.
    Bot,
    /// This visitor was already counted today for this link.
    AlreadyCounted,
    /// The link reached its daily cap of counted visits.
    DailyCap,
}

/// The answer to a visit report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitCounted {
    /// Whether the visit counts for the sharer.
    pub counted: bool,
    /// Why.
    pub outcome: VisitOutcome,
    /// Points it earned the sharer (0 when the reward caps are reached).
    pub points: i64,
}

/// One line of the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerEntry {
    /// Credited (positive) or debited (negative).
    pub points: i64,
    /// Why.
    pub reason: Reason,
    /// The event it is for: a link code, a review or answer id, …
    pub source: String,
    /// An adjustment's reason, as the brand wrote it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Unix ms.
    pub created_at: i64,
}

/// Whose balance a statement is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountKind {
    /// A customer known by their token.
    Customer,
    /// An anonymous browser; its points move to the customer once they identify.
    Visitor,
}

/// `GET /v1/sites/{site}/me/points`: the balance and latest entries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointsStatement {
    /// Whose.
    pub account: AccountKind,
    /// The sum over the whole ledger of the account.
    pub balance: i64,
    /// The latest entries, newest first.
    pub entries: Vec<LedgerEntry>,
}

/// One advocate on the leaderboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Advocate {
    /// The brand's customer id.
    pub customer_id: String,
    /// 1 to 6 on the ladder of collaboration.
    pub level: u8,
    /// The advocacy score the list is sorted by.
    pub score: u64,
    /// Their points balance.
    pub points: i64,
    /// What they did.
    pub activity: Activity,
}

/// `GET /v1/sites/{site}/advocates?level=…` (admin): the brand's list of customers to
/// mobilise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdvocateList {
    /// Customers per level, `"1"` to `"6"`, over all known customers.
    #[serde(deserialize_with = "number_keys::deserialize")]
    pub levels: Dict<u8, u64>,
    /// Highest score first, filtered by `level` when asked.
    pub advocates: Vec<Advocate>,
}

/// What an event of an advocate's history is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    /// A review they wrote.
    Review,
    /// An answer they gave a prospect.
    Answer,
    /// A link they shared.
    Share,
    /// Their referral code.
    Referral,
    /// A line of their points.
    Points,
}

/// One thing an advocate did, or was credited for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdvocateEvent {
    /// What it is.
    pub kind: EventKind,
    /// A line describing it (product, text, link, reason…); show as text only.
    pub detail: String,
    /// Where a review or answer stands in moderation.
    pub status: Option<Status>,
    /// Points credited (or debited) by a points line.
    pub points: Option<i64>,
    /// Unix ms.
    pub at: i64,
}

/// `GET /v1/sites/{site}/advocates/{customer}/history` (admin).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdvocateHistory {
    /// The brand's customer id.
    pub customer_id: String,
    /// Their points balance.
    pub points: i64,
    /// Newest first; at most 50 of each kind.
    pub events: Vec<AdvocateEvent>,
}

/// `POST /v1/sites/{site}/webhooks` (admin): subscribe a URL to events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookRequest {
    /// Where deliveries are POSTed: https (or http to 127.0.0.1/localhost for tests).
    pub url: String,
    /// Event types, e.g. `nps.created`, `review.published`.
    pub events: Vec<String>,
    /// Chosen by the client once per subscription: the same request sent again with it
    /// (its answer was lost) answers the subscription it made, secret included, rather
    /// than making another.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency_key: Option<String>,
}

/// `POST …/webhooks/{id}/rotate-secret` and `…/test` (admin): the body, which may be empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookAction {
    /// Chosen by the client once per action: the same action sent again with it (its
    /// answer was lost) answers what the first did, rather than rotating the secret twice
    /// (pushing out the one the receiver still checks with) or queueing a second test.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency_key: Option<String>,
}

/// A webhook subscription.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookSubscription {
    /// Its id, in the console's routes.
    pub id: String,
    /// Where deliveries go.
    pub url: String,
    /// The event types it receives.
    pub events: Vec<String>,
    /// False once deleted.
    pub active: bool,
    /// Unix ms.
    pub created_at: i64,
    /// `whsec_…`, to verify signatures: in the answer of its creation or rotation only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

/// `GET /v1/sites/{site}/webhooks` (admin).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookList {
    /// The active subscriptions, oldest first.
    pub subscriptions: Vec<WebhookSubscription>,
    /// The event types one may subscribe to.
    pub events: Vec<String>,
}

/// One delivery in a subscription's log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookDelivery {
    /// The `webhook-id` the receiver sees, the same on every retry.
    pub id: String,
    /// Its event type.
    pub event_type: String,
    /// Attempts so far.
    pub attempts: i64,
    /// HTTP status of the last attempt, if one answered.
    pub last_status: Option<i64>,
    /// Why the last attempt failed, if it did.
    pub last_error: Option<String>,
    /// When a 2xx came back, Unix ms.
    pub delivered_at: Option<i64>,
    /// When it is tried next; `null` once delivered or given up.
    pub next_attempt_at: Option<i64>,
    /// When it was queued, Unix ms.
    pub created_at: i64,
}

/// `GET /v1/sites/{site}/webhooks/{id}/deliveries` (admin): newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookLog {
    /// The latest deliveries.
    pub deliveries: Vec<WebhookDelivery>,
}

/// One week of the share and referral funnels.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunnelWeek {
    /// Its Monday, `YYYY-MM-DD` (UTC).
    pub week: String,
    /// Share links made.
    pub links: u64,
    /// Visits through share links (one per visitor and day).
    pub link_visits: u64,
    /// Points earned by sharing (links and friends' visits).
    pub share_points: i64,
    /// Referral codes made.
    pub referral_codes: u64,
    /// Invitations sent by mail.
    pub invitations: u64,
    /// Friends' visits through referral links.
    pub referral_visits: u64,
    /// Credited conversions (orders with a valid code).
    pub conversions: u64,
    /// Their revenue, in cents per currency.
    pub revenue_cents: BTreeMap<String, i64>,
    /// Points they earned advocates and friends.
    pub referral_points: i64,
}

/// `GET /v1/sites/{site}/funnels?from=…&to=…` (admin): week by week, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Funnels {
    /// Weeks with any activity.
    pub weeks: Vec<FunnelWeek>,
}

/// `POST /v1/sites/{site}/privacy/export` (admin): whose data to gather.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivacyRequest {
    /// The person's email address.
    pub email: String,
}

/// Everything stored about one person, as the export answers it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonData {
    /// The SHA-256 of their (lowercased) address.
    pub email_sha256: String,
    /// The brand's customer ids found for them.
    pub customer_ids: Vec<String>,
    /// The browsers' visitor ids found for them.
    pub visitor_ids: Vec<String>,
    /// Their rows, by table, as stored; tables without any are left out.
    pub tables: BTreeMap<String, Vec<serde_json::Map<String, serde_json::Value>>>,
}

/// `POST /v1/sites/{site}/privacy/erase` (admin).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErasureRequest {
    /// The person's email address.
    pub email: String,
    /// Who at the brand carries the request out, for the log; 1 to 120 characters.
    pub requested_by: String,
}

/// One erasure, as answered and logged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Erasure {
    /// The log entry's id.
    pub id: String,
    /// Whose data, by the SHA-256 of their address.
    pub email_sha256: String,
    /// Who at the brand carried it out.
    pub requested_by: String,
    /// Rows changed or removed, by table.
    pub rows: BTreeMap<String, u64>,
    /// Unix ms.
    pub created_at: i64,
}

/// `GET /v1/sites/{site}/privacy/erasures` (admin): the latest 100, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErasureLog {
    /// The erasures.
    pub erasures: Vec<Erasure>,
}

/// `POST /v1/sites/{site}/points/adjust` (admin): credit or debit a customer by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PointsAdjustment {
    /// The brand's customer id.
    pub customer_id: String,
    /// Positive to credit, negative to debit; never zero.
    pub points: i64,
    /// Why, kept in the ledger; 1 to 200 characters.
    pub reason: String,
    /// Chosen once per adjustment; retries reuse it.
    pub idempotency_key: String,
}

/// The answer to an adjustment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Adjusted {
    /// The customer's balance after it.
    pub balance: i64,
    /// The entry written (or written by an earlier request with the same key).
    pub entry: LedgerEntry,
}

/// `POST /v1/sites/{site}/panel` (admin): invite a customer into the private panel, or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PanelChange {
    /// The brand's customer id.
    pub customer_id: String,
    /// In the panel or not.
    pub member: bool,
}

/// `POST /v1/sites/{site}/referrals`: an advocate asks for their referral code and link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferralRequest {
    /// The advocate's browser.
    pub visitor_id: String,
    /// Their name, shown to friends by its first word; taken from the customer token when
    /// it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Their email, to refuse self-referrals; taken from the customer token when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The advocate agreed to the programme's terms and to their email being kept.
    #[serde(default)]
    pub consent: bool,
    /// Signed by the brand's server: the code and its rewards belong to the customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_token: Option<String>,
}

/// A code's funnel, as its advocate sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralStats {
    /// Friends invited by email.
    pub invited: u64,
    /// Visits through the link.
    pub visited: u64,
    /// Friends who ordered.
    pub converted: u64,
    /// Points earned by it.
    pub rewards: i64,
}

/// An advocate's referral: code, link, what friends get, and how it is doing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralCard {
    /// The code a friend can also type at checkout.
    pub code: String,
    /// `WORKER-ORIGIN/r/{code}`, which lands on the brand's site.
    pub link: String,
    /// What the friend is offered.
    pub friend_offer: Option<String>,
    /// Points the advocate earns per friend's first order.
    pub advocate_points: u32,
    /// Points the friend earns.
    pub friend_points: u32,
    /// Unix ms after which the code credits nothing.
    pub expires_at: i64,
    /// How it is doing.
    pub stats: ReferralStats,
}

/// `POST /v1/sites/{site}/referrals/{code}/invitations`: invite friends by email.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvitationRequest {
    /// The advocate's browser: only the code's own advocate may invite with it.
    pub visitor_id: String,
    /// 1 to 5 addresses.
    pub emails: Vec<String>,
    /// A personal word added to the invitation, up to 500 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Signed by the brand's server, for a customer's code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_token: Option<String>,
}

/// The answer to invitations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationsSent {
    /// New invitations, each with its mail written to the outbox.
    pub invited: u32,
    /// Friends already invited with this code: not mailed again.
    pub already_invited: u32,
    /// Invitations left today.
    pub left_today: u32,
}

/// `GET /v1/sites/{site}/referrals/{code}/offer`: what a landing friend is offered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FriendOffer {
    /// The code, normalised.
    pub code: String,
    /// "thanks to Camille".
    pub advocate_first_name: String,
    /// The offer, from the site's configuration.
    pub offer: Option<String>,
    /// Points the friend earns with their first order.
    pub friend_points: u32,
    /// Days the code is remembered for on this browser.
    pub attribution_days: u32,
}

/// `POST /v1/sites/{site}/conversions`: the brand's server reports an order made with a
/// referral code, signed with `Portevoix-Signature`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConversionReport {
    /// The brand's order id: the same order twice is credited once.
    pub order_id: String,
    /// The code used (from the link or typed at checkout).
    pub referral_code: String,
    /// SHA-256 of the buyer's trimmed, lowercased email, in lowercase hex.
    pub buyer_email_sha256: String,
    /// The buyer's customer id, when they have an account; their points go there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buyer_customer_id: Option<String>,
    /// The order's amount, in cents.
    pub amount_cents: u64,
    /// ISO 4217 code, e.g. `EUR`.
    pub currency: String,
}

/// The answer to a conversion report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversionRecorded {
    /// The order.
    pub order_id: String,
    /// Credited, or why not.
    pub outcome: ConversionOutcome,
    /// Whether both sides were rewarded.
    pub credited: bool,
    /// Points to the advocate.
    pub advocate_points: i64,
    /// Points to the friend.
    pub friend_points: i64,
    /// True when this order had been reported before: nothing new was recorded.
    pub replayed: bool,
}

/// The site's referral funnel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Funnel {
    /// Referral codes made.
    pub links: u64,
    /// Friends invited by email.
    pub invited: u64,
    /// Visits through referral links.
    pub visited: u64,
    /// Credited orders.
    pub converted: u64,
    /// Orders reported but not credited (self-referral, used-up or expired code, …).
    pub refused: u64,
    /// Revenue of credited orders, in cents.
    pub revenue_cents: i64,
    /// Points paid to both sides.
    pub rewards: i64,
}

/// One code in the brand's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralLine {
    /// The code.
    pub code: String,
    /// The advocate's ledger account.
    pub advocate: String,
    /// As given.
    pub advocate_name: String,
    /// Unix ms.
    pub created_at: i64,
    /// Unix ms.
    pub expires_at: i64,
    /// Friends invited.
    pub invited: u64,
    /// Visits through the link.
    pub visited: u64,
    /// Credited orders.
    pub converted: u64,
    /// Their revenue, in cents.
    pub revenue_cents: i64,
}

/// `GET /v1/sites/{site}/referrals` (admin): the referral funnel and the codes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralFunnel {
    /// Over every code of the site.
    pub totals: Funnel,
    /// The codes, most converting first.
    pub referrals: Vec<ReferralLine>,
}

/// One mail in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxMail {
    /// Its number in the outbox.
    pub id: i64,
    /// The address it goes to.
    pub recipient: String,
    /// What kind of mail.
    pub template: String,
    /// The subject line (none for mails recorded before subjects were kept).
    pub subject: Option<String>,
    /// The text.
    pub body: Option<String>,
    /// Unix ms.
    pub created_at: i64,
    /// When a sender delivered it; none while it waits.
    pub sent_at: Option<i64>,
}

/// `GET /v1/sites/{site}/mail` (admin): the latest mails, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outbox {
    /// Newest first.
    pub mails: Vec<OutboxMail>,
}

/// Maps keyed by small numbers, which JSON writes as strings (`{"5": 12}`). serde_json
/// reads such keys back as numbers by itself; the widgets' deserializer (JS values through
/// serde-wasm-bindgen) does not, so the keys are read as text and parsed here, for both.
mod number_keys {
    use serde::de::Error;
    use serde::{Deserialize, Deserializer};

    use crate::dict::Dict;

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Dict<u8, u64>, D::Error> {
        Dict::<String, u64>::deserialize(deserializer)?
            .into_iter()
            .map(|(key, count)| {
                key.parse()
                    .map(|number| (number, count))
                    .map_err(|_| D::Error::custom(format!("{key:?} is not a number from 0 to 255")))
            })
            .collect()
    }
}
