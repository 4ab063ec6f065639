//! A brand's site: who may embed its widgets, how they look and speak, and the secrets
//! that prove admin and customer identity.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::dict::Dict;
use crate::error::{Error, Result};
use crate::locale::Locale;
use crate::session::SessionKey;
use crate::store::SiteRow;
use crate::theme::Theme;
use crate::wire::PublicSiteConfig;

/// Where a promoter is invited after answering. Empty until the brand sets them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PromoterLinks {
    /// Page where the visitor can write a review.
    pub review: Option<String>,
    /// Page or offer the visitor can share.
    pub share: Option<String>,
    /// Referral programme page.
    pub referral: Option<String>,
}

impl PromoterLinks {
    /// The links with anything but `http(s)` URLs removed, so a stored `javascript:` link
    /// can never reach a visitor.
    fn sanitized(self) -> PromoterLinks {
        PromoterLinks {
            review: web_url(self.review),
            share: web_url(self.share),
            referral: web_url(self.referral),
        }
    }
}

/// One of the brand's profiles on an external review site (Google, Trustpilot, …), where
/// happy customers are invited to post too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewProfile {
    /// The review site's name as visitors know it, e.g. `Google`.
    pub name: String,
    /// The brand's page there, where a review is written.
    pub url: String,
}

/// Most external profiles shown: more is a wall of buttons, not an invitation.
pub const MAX_REVIEW_PROFILES: usize = 6;

/// How the site handles new reviews.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReviewSettings {
    /// Publish reviews from verified buyers at once instead of queueing them.
    pub auto_publish_verified: bool,
}

fn web_url(url: Option<String>) -> Option<String> {
    url.filter(|url| url.starts_with("https://") || url.starts_with("http://"))
}

/// The site configuration stored as JSON beside the site's row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SiteConfig {
    /// The brand's name, as shown in the NPS question.
    pub brand_name: String,
    /// Language used when neither the element nor the page names one.
    pub default_locale: Locale,
    /// Where an unhappy customer can reach the brand.
    pub contact_url: Option<String>,
    /// Where promoters are invited next.
    pub promoter_links: PromoterLinks,
    /// The brand's look.
    pub theme: Theme,
    /// The brand's profiles on external review sites.
    pub review_profiles: Vec<ReviewProfile>,
    /// How the site runs its NPS survey.
    pub nps: crate::nps::NpsSettings,
    /// Moderation rules for reviews.
    pub reviews: ReviewSettings,
    /// How the site runs its Q&A.
    pub qa: crate::qa::QaSettings,
    /// What the site rewards with points.
    pub rewards: crate::rewards::RewardRules,
    /// How the site runs its referral programme.
    pub referral: crate::referral::ReferralSettings,
    /// Cloudflare Turnstile's public site key; with the secret stored beside the site,
    /// public answers must carry a Turnstile token.
    pub turnstile_site_key: Option<String>,
    /// Whether widgets show a discreet "Powered by Portevoix" line (off: white label).
    pub show_branding: bool,
    /// Per-language overrides of visible strings: language tag, then copy key. Tags of
    /// languages not shipped yet are kept, unused, so a brand can prepare them.
    pub copy: Dict<String, Dict<String, String>>,
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            brand_name: String::new(),
            default_locale: Locale::EN,
            contact_url: None,
            promoter_links: PromoterLinks::default(),
            theme: Theme::default(),
            review_profiles: Vec::new(),
            nps: crate::nps::NpsSettings::default(),
            reviews: ReviewSettings::default(),
            qa: crate::qa::QaSettings::default(),
            rewards: crate::rewards::RewardRules::default(),
            referral: crate::referral::ReferralSettings::default(),
            turnstile_site_key: None,
            show_branding: false,
            copy: Dict::new(),
        }
    }
}

/// A site as the worker uses it, built from its stored row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    /// The `data-site` key.
    pub key: String,
    /// Page origins allowed to call the public routes, e.g. `https://cairn.example`.
    pub allowed_origins: Vec<String>,
    admin_token_sha256: String,
    customer_token_secret: String,
    turnstile_secret: Option<String>,
    /// Look, language and copy.
    pub config: SiteConfig,
}

impl Site {
    /// Parses a stored row. A row that does not parse is an operator's mistake: it is
    /// reported as an internal error, never blamed on the visitor.
    pub fn from_row(row: SiteRow) -> Result<Site> {
        let allowed_origins: Vec<String> = serde_json::from_str(&row.allowed_origins)
            .map_err(|error| Error::BrokenSiteConfig(format!("allowed_origins: {error}")))?;
        let mut config: SiteConfig = serde_json::from_str(&row.config)
            .map_err(|error| Error::BrokenSiteConfig(format!("config: {error}")))?;
        if config.brand_name.is_empty() {
            config.brand_name.clone_from(&row.name);
        }
        config.theme = config.theme.sanitized();
        config.promoter_links = config.promoter_links.sanitized();
        config.contact_url = web_url(config.contact_url);
        config.review_profiles = std::mem::take(&mut config.review_profiles)
            .into_iter()
            .filter(|profile| {
                !profile.name.trim().is_empty() && web_url(Some(profile.url.clone())).is_some()
            })
            .take(MAX_REVIEW_PROFILES)
            .collect();
        Ok(Site {
            key: row.id,
            allowed_origins: allowed_origins
                .iter()
                .map(|origin| normalize_origin(origin))
                .collect(),
            admin_token_sha256: row.admin_token_sha256.to_ascii_lowercase(),
            customer_token_secret: row.customer_token_secret,
            turnstile_secret: row.turnstile_secret.filter(|secret| !secret.is_empty()),
            config,
        })
    }

    /// Whether a page at `origin` may call this site's public routes.
    pub fn allows_origin(&self, origin: &str) -> bool {
        let origin = normalize_origin(origin);
        self.allowed_origins.contains(&origin)
    }

    /// Whether `token` is this site's admin token. Only its SHA-256 is stored, and the
    /// comparison takes the same time whatever the input.
    pub fn admin_token_matches(&self, token: &str) -> bool {
        let presented = hex_sha256(token.as_bytes());
        presented
            .as_bytes()
            .ct_eq(self.admin_token_sha256.as_bytes())
            .into()
    }

    /// What signs this site's console sessions: its HMAC secret, bound to its key and to
    /// the current admin token.
    pub fn session_key(&self) -> SessionKey<'_> {
        SessionKey {
            secret: self.customer_token_secret.as_bytes(),
            site: &self.key,
            admin_token_sha256: &self.admin_token_sha256,
        }
    }

    /// The secret brand servers sign customer tokens with.
    pub fn customer_token_secret(&self) -> &[u8] {
        self.customer_token_secret.as_bytes()
    }

    /// The Turnstile site key and secret, when the check is on (both are set).
    pub fn turnstile(&self) -> Option<(&str, &str)> {
        let site_key = self
            .config
            .turnstile_site_key
            .as_deref()
            .filter(|key| !key.is_empty())?;
        Some((site_key, self.turnstile_secret.as_deref()?))
    }

    /// What widgets may see of the site.
    pub fn public_config(&self) -> PublicSiteConfig {
        PublicSiteConfig {
            site: self.key.clone(),
            brand_name: self.config.brand_name.clone(),
            default_locale: self.config.default_locale,
            contact_url: self.config.contact_url.clone(),
            promoter_links: self.config.promoter_links.clone(),
            theme: self.config.theme.clone(),
            review_profiles: self.config.review_profiles.clone(),
            nps: self.config.nps.clone(),
            anonymous_answers: self.config.qa.allow_anonymous_answers,
            rewards: self.config.rewards.clone(),
            referral: self.config.referral.clone(),
            turnstile_site_key: self.turnstile().map(|(site_key, _)| site_key.to_owned()),
            show_branding: self.config.show_branding,
            copy: self.config.copy.clone(),
        }
    }
}

/// Lowercase hex SHA-256, the form admin tokens are stored in.
pub fn hex_sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

fn normalize_origin(origin: &str) -> String {
    origin.trim().trim_end_matches('/').to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(config: &str) -> SiteRow {
        SiteRow {
            id: "cairn".into(),
            name: "Cairn".into(),
            allowed_origins: r#"["https://Cairn.example/"]"#.into(),
            admin_token_sha256: hex_sha256(b"admin-secret"),
            customer_token_secret: "customer-secret".into(),
            config: config.into(),
            turnstile_secret: None,
        }
    }

    #[test]
    fn origins_match_exactly_ignoring_case_and_trailing_slash() {
        let site = Site::from_row(row("{}")).expect("valid row");
        assert!(site.allows_origin("https://cairn.example"));
        assert!(!site.allows_origin("http://cairn.example"));
        assert!(!site.allows_origin("https://cairn.example.evil.test"));
        assert!(!site.allows_origin("null"));
    }

    #[test]
    fn admin_token_is_checked_against_its_hash() {
        let site = Site::from_row(row("{}")).expect("valid row");
        assert!(site.admin_token_matches("admin-secret"));
        assert!(!site.admin_token_matches("admin-secreT"));
        assert!(!site.admin_token_matches(""));
    }

    #[test]
    fn brand_name_defaults_to_the_site_name() {
        let site = Site::from_row(row("{}")).expect("valid row");
        assert_eq!(site.public_config().brand_name, "Cairn");
    }

    #[test]
    fn stored_themes_and_links_are_sanitized() {
        let config = r#"{"theme":{"accent":"red;}</style><script>","font":"Inter, 'Helvetica Neue', sans-serif"},
            "contact_url":"javascript:alert(1)","promoter_links":{"review":"https://cairn.example/avis"},
            "review_profiles":[{"name":"Google","url":"https://g.page/r/cairn/review"},
                {"name":"Evil","url":"javascript:alert(1)"},{"name":" ","url":"https://x.example"}]}"#;
        let site = Site::from_row(row(config)).expect("valid row");
        let public = site.public_config();
        assert_eq!(public.theme.light.accent, Theme::default().light.accent);
        assert_eq!(public.theme.font, "Inter, 'Helvetica Neue', sans-serif");
        assert_eq!(public.contact_url, None);
        assert_eq!(
            public.promoter_links.review.as_deref(),
            Some("https://cairn.example/avis")
        );
        assert_eq!(
            public.review_profiles,
            [ReviewProfile {
                name: "Google".into(),
                url: "https://g.page/r/cairn/review".into()
            }]
        );
    }

    #[test]
    fn a_broken_stored_config_is_an_internal_error() {
        let error = Site::from_row(row("{not json")).err();
        assert!(matches!(error, Some(Error::BrokenSiteConfig(_))));
    }
}
