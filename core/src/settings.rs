//! The site settings a brand edits in the console (allowed origins and the whole
//! configuration: name, theme, copy, review links, reward rules, referral programme),
//! checked in full before anything is saved: a refused change names its field and stores
//! nothing, so a stored configuration is never half-broken. Stored themes are still
//! sanitized on read.

use serde::{Deserialize, Serialize};

use crate::copy::{self, Text};
use crate::error::{Error, Result};
use crate::nps::MAX_ASK_AGAIN_AFTER_DAYS;
use crate::referral::ReferralSettings;
use crate::share::page_on_origins;
use crate::site::{MAX_REVIEW_PROFILES, ReviewProfile, SiteConfig};
use crate::store::{Statement, Store};
use crate::validate;

/// `?1` site, `?2` allowed origins (JSON array), `?3` config (JSON), `?4` brand name.
const UPDATE: &str = "UPDATE sites SET allowed_origins = ?2, config = ?3, name = ?4 WHERE id = ?1";

/// Most origins one site may allow: more suggests a shared key, which it should not be.
pub const MAX_ORIGINS: usize = 20;
/// Most points any single rule may give, against a typo costing the brand a fortune.
pub const MAX_POINTS: u32 = 10_000;
/// Longest brand name: it is set inside the NPS question.
pub const MAX_BRAND_NAME_CHARS: usize = 80;
const MAX_PROFILE_NAME_CHARS: usize = 40;
const MAX_COPY_CHARS: usize = 500;
/// Longest friend offer: one line, shown on landing and in invitations.
const MAX_FRIEND_OFFER_CHARS: usize = 200;
/// Most days a referral code may be remembered for or used within: ten years.
const MAX_REFERRAL_DAYS: u32 = 3_650;
/// Most conversions one code may earn, or invitations one advocate may send a day.
const MAX_REFERRAL_COUNT: u32 = 1_000;

/// `GET`/`POST /v1/sites/{site}/settings` (admin): what the brand may change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteSettings {
    /// Page origins allowed to call the public routes, e.g. `https://www.cairn.example`.
    pub allowed_origins: Vec<String>,
    /// Everything else widgets are drawn and run with.
    pub config: SiteConfig,
}

/// `scheme://host[:port]` with an http(s) scheme and nothing after, lowercased.
pub fn origin(field: &str, value: &str) -> Result<String> {
    let lowered = value.trim().trim_end_matches('/').to_ascii_lowercase();
    let rest = lowered
        .strip_prefix("https://")
        .or_else(|| lowered.strip_prefix("http://"));
    let valid = rest.is_some_and(|host| {
        !host.is_empty()
            && host.len() <= 253
            && host
                .chars()
                .all(|character| character.is_ascii_alphanumeric() || "-.:[]".contains(character))
    });
    if valid {
        Ok(lowered)
    } else {
        Err(Error::field(
            field,
            format!("{field} must be an origin such as https://www.example.com (no path)"),
        ))
    }
}

fn web_url(field: &str, value: &str) -> Result<()> {
    match validate::page_url(Some(value)) {
        Ok(Some(_)) => Ok(()),
        _ => Err(Error::field(
            field,
            format!("{field} must be an http(s) URL of at most 2048 characters"),
        )),
    }
}

fn points(field: &str, value: u32) -> Result<()> {
    if value <= MAX_POINTS {
        Ok(())
    } else {
        Err(Error::field(
            field,
            format!("{field} must be at most {MAX_POINTS}"),
        ))
    }
}

/// A language tag as BCP 47 writes them, e.g. `fr`, `pt-BR`.
fn language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary
            .chars()
            .all(|character| character.is_ascii_lowercase())
        && parts.all(|part| {
            (2..=8).contains(&part.len())
                && part
                    .chars()
                    .all(|character| character.is_ascii_alphanumeric())
        })
}

/// Checks every field; returns the settings as they will be stored (origins normalized,
/// texts trimmed).
pub fn validated(mut settings: SiteSettings) -> Result<SiteSettings> {
    if settings.allowed_origins.len() > MAX_ORIGINS {
        return Err(Error::field(
            "allowed_origins",
            format!("allowed_origins holds at most {MAX_ORIGINS} origins"),
        ));
    }
    let mut origins = Vec::new();
    for (index, value) in settings.allowed_origins.iter().enumerate() {
        let normalized = origin(&format!("allowed_origins[{index}]"), value)?;
        if !origins.contains(&normalized) {
            origins.push(normalized);
        }
    }
    settings.allowed_origins = origins;

    let config = &mut settings.config;
    config.brand_name = validate::text(
        "config.brand_name",
        &config.brand_name,
        1,
        MAX_BRAND_NAME_CHARS,
    )?;
    if let Some(url) = &config.contact_url {
        web_url("config.contact_url", url)?;
    }
    for (name, link) in [
        ("review", &config.promoter_links.review),
        ("share", &config.promoter_links.share),
        ("referral", &config.promoter_links.referral),
    ] {
        if let Some(url) = link {
            web_url(&format!("config.promoter_links.{name}"), url)?;
        }
    }
    if config.review_profiles.len() > MAX_REVIEW_PROFILES {
        return Err(Error::field(
            "config.review_profiles",
            format!("config.review_profiles holds at most {MAX_REVIEW_PROFILES} profiles"),
        ));
    }
    for (index, profile) in config.review_profiles.iter_mut().enumerate() {
        let field = format!("config.review_profiles[{index}]");
        profile.name = validate::text(
            &format!("{field}.name"),
            &profile.name,
            1,
            MAX_PROFILE_NAME_CHARS,
        )?;
        web_url(&format!("{field}.url"), &profile.url)?;
    }
    if let Some(path) = config.theme.unsafe_value() {
        let field = format!("config.{path}");
        let example = match path.as_str() {
            "theme.font" => "a font stack such as Georgia, serif",
            "theme.radius" => "a length such as 12px",
            "theme.spacing" => "a length such as 1rem",
            _ => "a colour such as #1f5f4a or rgb(31, 95, 74)",
        };
        return Err(Error::field(
            &field,
            format!("{field} must be a plain CSS value: {example}"),
        ));
    }
    for (tag, overrides) in config.copy.iter_mut() {
        if !language_tag(tag) {
            return Err(Error::field(
                "config.copy",
                format!("config.copy: {tag:?} is not a language tag such as fr or pt-BR"),
            ));
        }
        for (key, text) in overrides.iter_mut() {
            let field = format!("config.copy.{tag}.{key}");
            if !Text::ALL.iter().any(|known| known.key() == key) {
                return Err(Error::field(
                    &field,
                    format!("{field} is not a text widgets show"),
                ));
            }
            *text = validate::text(&field, text, 1, MAX_COPY_CHARS)?;
            if let Some(unfilled) = copy::unfilled_placeholders(tag, key, text).first() {
                let filled = copy::filled_placeholders(tag, key).join(", ");
                return Err(Error::field(
                    &field,
                    format!(
                        "{field} uses {unfilled}, which this text does not fill in (it fills in {filled})"
                    ),
                ));
            }
        }
    }
    config.turnstile_site_key = turnstile_value(
        "config.turnstile_site_key",
        config.turnstile_site_key.as_deref(),
    )?;
    if config.nps.ask_again_after_days > MAX_ASK_AGAIN_AFTER_DAYS {
        return Err(Error::field(
            "config.nps.ask_again_after_days",
            format!("config.nps.ask_again_after_days must be 0 to {MAX_ASK_AGAIN_AFTER_DAYS} days"),
        ));
    }
    let rewards = &config.rewards;
    for (name, value) in [
        ("points_per_visit", rewards.points_per_visit),
        ("points_per_share", rewards.points_per_share),
        ("points_per_review", rewards.points_per_review),
        ("points_per_answer", rewards.points_per_answer),
        ("points_per_nps_answer", rewards.points_per_nps_answer),
        ("visits_per_link_per_day", rewards.visits_per_link_per_day),
    ] {
        points(&format!("config.rewards.{name}"), value)?;
    }
    validated_referral(&mut config.referral, &settings.allowed_origins)?;
    let caps = &config.rewards.daily_caps;
    for (name, cap) in [
        ("visit", caps.visit),
        ("share", caps.share),
        ("review", caps.review),
        ("answer", caps.answer),
        ("nps", caps.nps),
    ] {
        if let Some(cap) = cap {
            points(&format!("config.rewards.daily_caps.{name}"), cap)?;
        }
    }
    Ok(settings)
}

/// Longest Turnstile key or secret accepted: Cloudflare's are about 35 characters.
const MAX_TURNSTILE_CHARS: usize = 200;

/// A Turnstile key or secret: absent, or one token of letters, digits, `-` and `_`, as
/// Cloudflare issues them (it is written into pages and sent to Cloudflare as is).
pub(crate) fn turnstile_value(field: &str, value: Option<&str>) -> Result<Option<String>> {
    let Some(value) = value.map(str::trim).filter(|value| !value.is_empty()) else {
        return Ok(None);
    };
    let plain = value.len() <= MAX_TURNSTILE_CHARS
        && value
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_');
    if plain {
        Ok(Some(value.to_owned()))
    } else {
        Err(Error::field(
            field,
            format!(
                "{field} must be the value Cloudflare gives, such as 0x4AAAAAAA… (letters, digits, - and _)"
            ),
        ))
    }
}

/// The referral programme checked as [`validated`] checks the rest: points within
/// [`MAX_POINTS`], a one-line offer, a landing page on one of the site's
/// `allowed_origins` (where the referral link sends a friend), and every limit at least
/// 1 (invitations may be 0: none by email) and at most a sane ceiling.
fn validated_referral(referral: &mut ReferralSettings, allowed_origins: &[String]) -> Result<()> {
    points("config.referral.advocate_points", referral.advocate_points)?;
    points("config.referral.friend_points", referral.friend_points)?;
    if let Some(offer) = &referral.friend_offer {
        referral.friend_offer = Some(validate::text(
            "config.referral.friend_offer",
            offer,
            1,
            MAX_FRIEND_OFFER_CHARS,
        )?);
    }
    if let Some(url) = &referral.landing_url {
        let field = "config.referral.landing_url";
        referral.landing_url = Some(page_on_origins(allowed_origins, url).ok_or_else(|| {
            Error::field(
                field,
                format!("{field} must be an http(s) page on one of the allowed origins"),
            )
        })?);
    }
    for (name, value, least, most) in [
        (
            "attribution_days",
            referral.attribution_days,
            1,
            MAX_REFERRAL_DAYS,
        ),
        (
            "code_valid_days",
            referral.code_valid_days,
            1,
            MAX_REFERRAL_DAYS,
        ),
        (
            "max_conversions_per_code",
            referral.max_conversions_per_code,
            1,
            MAX_REFERRAL_COUNT,
        ),
        (
            "invitations_per_day",
            referral.invitations_per_day,
            0,
            MAX_REFERRAL_COUNT,
        ),
    ] {
        if !(least..=most).contains(&value) {
            let field = format!("config.referral.{name}");
            return Err(Error::field(
                &field,
                format!("{field} must be {least} to {most}"),
            ));
        }
    }
    Ok(())
}

/// Review profiles as the console edits them: one `Name | URL` line each.
pub fn profiles_text(profiles: &[ReviewProfile]) -> String {
    profiles
        .iter()
        .map(|profile| format!("{} | {}", profile.name, profile.url))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Review profiles from `Name | URL` lines (blank lines skipped); [`validated`] checks
/// each name and URL before anything is saved.
pub fn profiles_of(text: &str) -> Vec<ReviewProfile> {
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let (name, url) = line.split_once('|').unwrap_or((line, ""));
            ReviewProfile {
                name: name.trim().to_owned(),
                url: url.trim().to_owned(),
            }
        })
        .collect()
}

/// Saves settings that passed [`validated`].
pub async fn save<S: Store>(store: &S, site_id: &str, settings: &SiteSettings) -> Result<()> {
    let encoding = |error: serde_json::Error| Error::Storage(format!("settings as JSON: {error}"));
    let origins = serde_json::to_string(&settings.allowed_origins).map_err(encoding)?;
    let config = serde_json::to_string(&settings.config).map_err(encoding)?;
    let statement = Statement::new(
        UPDATE,
        vec![
            site_id.into(),
            origins.as_str().into(),
            config.as_str().into(),
            settings.config.brand_name.as_str().into(),
        ],
    );
    store.batch(&[statement]).await.map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> SiteSettings {
        let mut config = SiteConfig {
            brand_name: "Cairn".into(),
            ..SiteConfig::default()
        };
        config.theme.light.accent = "#b3261e".into();
        SiteSettings {
            allowed_origins: vec![
                "https://WWW.Cairn.example/".into(),
                "https://www.cairn.example".into(),
            ],
            config,
        }
    }

    #[test]
    fn good_settings_are_kept_with_origins_normalized() {
        let kept = validated(settings()).expect("valid");
        assert_eq!(kept.allowed_origins, ["https://www.cairn.example"]);
        assert_eq!(kept.config.theme.light.accent, "#b3261e");
    }

    #[test]
    fn a_turnstile_site_key_is_kept_trimmed_and_a_blank_one_turns_the_check_off() {
        let mut given = settings();
        given.config.turnstile_site_key = Some(" 0x4AAAAAAA-test_key ".into());
        let kept = validated(given).expect("valid");
        assert_eq!(
            kept.config.turnstile_site_key.as_deref(),
            Some("0x4AAAAAAA-test_key")
        );
        let mut blank = settings();
        blank.config.turnstile_site_key = Some("  ".into());
        assert_eq!(
            validated(blank).expect("valid").config.turnstile_site_key,
            None
        );
    }

    /// A field the case expects named, and how the case breaks the settings.
    type Breakage = (&'static str, Box<dyn Fn(&mut SiteSettings)>);

    #[test]
    fn each_broken_field_is_named() {
        let cases: Vec<Breakage> = vec![
            (
                "allowed_origins[0]",
                Box::new(|s| s.allowed_origins[0] = "https://cairn.example/shop".into()),
            ),
            (
                "allowed_origins[0]",
                Box::new(|s| s.allowed_origins[0] = "javascript:alert(1)".into()),
            ),
            (
                "allowed_origins",
                Box::new(|s| s.allowed_origins = vec!["https://a.example".into(); 21]),
            ),
            (
                "config.brand_name",
                Box::new(|s| s.config.brand_name = " ".into()),
            ),
            (
                "config.contact_url",
                Box::new(|s| s.config.contact_url = Some("javascript:alert(1)".into())),
            ),
            (
                "config.theme.accent",
                Box::new(|s| s.config.theme.light.accent = "red;}*{display:none".into()),
            ),
            (
                "config.theme.dark.text",
                Box::new(|s| s.config.theme.dark.text = String::new()),
            ),
            (
                "config.theme.font",
                Box::new(|s| s.config.theme.font = "x</style><script>".into()),
            ),
            (
                "config.copy",
                Box::new(|s| {
                    s.config.copy.insert("<b>".into(), Default::default());
                }),
            ),
            (
                "config.copy.fr.no.such.key",
                Box::new(|s| {
                    s.config.copy.insert(
                        "fr".into(),
                        [("no.such.key".to_owned(), "x".to_owned())].into(),
                    );
                }),
            ),
            (
                "config.turnstile_site_key",
                Box::new(|s| {
                    s.config.turnstile_site_key = Some("x\"></script><script>alert(1)//".into());
                }),
            ),
            (
                "config.turnstile_site_key",
                Box::new(|s| s.config.turnstile_site_key = Some("0x4A".repeat(51))),
            ),
            (
                "config.rewards.points_per_review",
                Box::new(|s| s.config.rewards.points_per_review = 1_000_000),
            ),
            (
                "config.review_profiles[0].url",
                Box::new(|s| {
                    s.config.review_profiles.push(ReviewProfile {
                        name: "Google".into(),
                        url: "ftp://x".into(),
                    });
                }),
            ),
            (
                "config.referral.advocate_points",
                Box::new(|s| s.config.referral.advocate_points = MAX_POINTS + 1),
            ),
            (
                "config.referral.friend_offer",
                Box::new(|s| s.config.referral.friend_offer = Some("x".repeat(201))),
            ),
            (
                "config.referral.friend_offer",
                Box::new(|s| s.config.referral.friend_offer = Some("10 €\u{7}off".into())),
            ),
            (
                "config.referral.landing_url",
                Box::new(|s| {
                    s.config.referral.landing_url = Some("https://elsewhere.example/".into());
                }),
            ),
            (
                "config.referral.landing_url",
                Box::new(|s| {
                    s.config.referral.landing_url =
                        Some("https://www.cairn.example@evil.example/".into());
                }),
            ),
            (
                "config.referral.attribution_days",
                Box::new(|s| s.config.referral.attribution_days = 0),
            ),
            (
                "config.referral.code_valid_days",
                Box::new(|s| s.config.referral.code_valid_days = MAX_REFERRAL_DAYS + 1),
            ),
            (
                "config.referral.max_conversions_per_code",
                Box::new(|s| s.config.referral.max_conversions_per_code = 0),
            ),
            (
                "config.referral.invitations_per_day",
                Box::new(|s| s.config.referral.invitations_per_day = MAX_REFERRAL_COUNT + 1),
            ),
        ];
        for (field, break_it) in cases {
            let mut broken = settings();
            break_it(&mut broken);
            match validated(broken) {
                Err(Error::InvalidField { field: named, .. }) => assert_eq!(named, field),
                other => panic!("{field}: {other:?}"),
            }
        }
    }

    #[test]
    fn a_refused_theme_value_is_shown_what_it_should_look_like() {
        let mut broken = settings();
        broken.config.theme.spacing = "2rem;}".into();
        match validated(broken) {
            Err(Error::InvalidField { message, .. }) => assert_eq!(
                message,
                "config.theme.spacing must be a plain CSS value: a length such as 1rem"
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_referral_programme_is_kept_trimmed_with_its_landing_page_on_the_site() {
        let mut programme = settings();
        let referral = &mut programme.config.referral;
        referral.friend_offer = Some("  15 € off the first order ".into());
        referral.landing_url = Some(" https://WWW.cairn.example/parrainage?via=ami ".into());
        referral.invitations_per_day = 0;
        let kept = validated(programme).expect("valid").config.referral;
        assert_eq!(
            kept.friend_offer.as_deref(),
            Some("15 € off the first order")
        );
        assert_eq!(
            kept.landing_url.as_deref(),
            Some("https://WWW.cairn.example/parrainage?via=ami")
        );
        assert_eq!(
            kept.invitations_per_day, 0,
            "no invitations by email is a choice"
        );
    }

    #[test]
    fn review_profiles_read_and_write_as_lines() {
        let profiles = profiles_of(
            "Google | https://g.example/cairn\n\n  Trustpilot|https://t.example/cairn  \nno url",
        );
        assert_eq!(profiles.len(), 3);
        assert_eq!(
            (profiles[1].name.as_str(), profiles[1].url.as_str()),
            ("Trustpilot", "https://t.example/cairn")
        );
        assert_eq!(profiles[2].url, "", "left for the check to refuse");
        assert_eq!(profiles_of(&profiles_text(&profiles[..2])), profiles[..2]);
    }

    #[test]
    fn known_copy_keys_in_any_language_tag_are_accepted() {
        let mut with_copy = settings();
        let key = Text::ALL[0].key().to_owned();
        with_copy
            .config
            .copy
            .insert("pt-BR".into(), [(key.clone(), "  Olá  ".to_owned())].into());
        let kept = validated(with_copy).expect("valid");
        assert_eq!(kept.config.copy["pt-BR"][&key], "Olá");
    }
}
