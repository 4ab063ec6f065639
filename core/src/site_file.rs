//! The site file an operator writes for `npm run site` (see the README), checked by the
//! rules the console's settings follow before anything reaches D1: a stored configuration
//! that does not parse breaks every widget of the site on its next request, and a
//! misspelt or out-of-range field would otherwise be stored without a word.

use serde::{Deserialize, Serialize};

use crate::api::parse_body_strictly;
use crate::error::{Error, Result};
use crate::settings::{self, SiteSettings};
use crate::site::SiteConfig;
use crate::validate::{self, MAX_SETTINGS_BODY_BYTES};

/// One site as its operator describes it: its key, name, origins, configuration and
/// Turnstile secret. The admin token and customer-token secret are never in it: the
/// script makes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteFile {
    /// The `data-site` key pages embed.
    pub id: String,
    /// The brand's name, kept on the site's row; the configuration's `brand_name` when
    /// that is left out.
    pub name: String,
    /// Page origins allowed to call the public routes.
    #[serde(default)]
    pub allowed_origins: Vec<String>,
    /// Everything widgets are drawn and run with; what is left out takes its default.
    #[serde(default)]
    pub config: SiteConfig,
    /// Cloudflare Turnstile's secret, which goes with `config.turnstile_site_key`.
    #[serde(default)]
    pub turnstile_secret: Option<String>,
}

/// Reads and checks a site file: JSON of the right shape with no unknown field at any
/// depth, a valid key, and settings [`settings::validated`] accepts. Returns the site as
/// it is to be stored (origins normalized, texts trimmed, the brand name filled in).
pub fn checked(text: &str) -> Result<SiteFile> {
    let mut file: SiteFile = parse_body_strictly(text.as_bytes()).map_err(|error| match error {
        Error::InvalidJson(message) => {
            Error::InvalidJson(message.replacen("the body", "the site file", 1))
        }
        other => other,
    })?;
    validate::site_key(&file.id).map_err(|_| {
        Error::field(
            "id",
            "id must be 1 to 64 characters of a-z, 0-9 and -, as pages write it in data-site",
        )
    })?;
    file.name = validate::text("name", &file.name, 1, settings::MAX_BRAND_NAME_CHARS)?;
    if file.config.brand_name.trim().is_empty() {
        file.config.brand_name.clone_from(&file.name);
    }
    file.config.theme = file.config.theme.filled();
    let checked = settings::validated(SiteSettings {
        allowed_origins: file.allowed_origins,
        config: file.config,
    })?;
    let settings_bytes = serde_json::to_string(&checked)
        .map_err(|error| Error::Storage(format!("the settings as JSON: {error}")))?
        .len();
    if settings_bytes > MAX_SETTINGS_BODY_BYTES {
        return Err(Error::field(
            "config",
            format!(
                "the origins and config come to {settings_bytes} bytes of JSON: the console could not save them back (at most {MAX_SETTINGS_BODY_BYTES})"
            ),
        ));
    }
    file.allowed_origins = checked.allowed_origins;
    file.config = checked.config;
    file.turnstile_secret =
        settings::turnstile_value("turnstile_secret", file.turnstile_secret.as_deref())?;
    match (&file.config.turnstile_site_key, &file.turnstile_secret) {
        (Some(_), None) => Err(Error::field(
            "turnstile_secret",
            "turnstile_secret is required with config.turnstile_site_key: without it the human check stays off",
        )),
        (None, Some(_)) => Err(Error::field(
            "config.turnstile_site_key",
            "config.turnstile_site_key is required with turnstile_secret: without it the human check stays off",
        )),
        _ => Ok(file),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(text: &str) -> String {
        match checked(text) {
            Err(Error::InvalidField { field, .. }) => field,
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn a_site_is_kept_as_it_will_be_stored() {
        let site = checked(
            r#"{ "id": "cairn", "name": " Cairn ", "allowed_origins": ["https://WWW.Cairn.example/"],
                 "config": { "default_locale": "fr", "nps": { "ask_again_after_days": 30 },
                             "turnstile_site_key": "0x4AAAAAAAtest" },
                 "turnstile_secret": "0x4AAAAAAAsecret" }"#,
        )
        .expect("valid");
        assert_eq!(site.name, "Cairn");
        assert_eq!(site.config.brand_name, "Cairn", "filled in from the name");
        assert_eq!(site.allowed_origins, ["https://www.cairn.example"]);
        assert_eq!(site.config.nps.ask_again_after_days, 30);
        assert_eq!(site.turnstile_secret.as_deref(), Some("0x4AAAAAAAsecret"));
    }

    #[test]
    fn theme_values_left_out_take_their_defaults_and_unsafe_ones_are_refused() {
        let site = checked(
            r##"{ "id": "cairn", "name": "Cairn", "config": { "theme": { "accent": "#b3261e", "dark": { "text": "#eeeeee" } } } }"##,
        )
        .expect("valid");
        let default = crate::theme::Theme::default();
        assert_eq!(site.config.theme.light.accent, "#b3261e");
        assert_eq!(site.config.theme.light.on_accent, default.light.on_accent);
        assert_eq!(site.config.theme.dark.text, "#eeeeee");
        assert_eq!(site.config.theme.dark.accent, default.dark.accent);
        assert_eq!(site.config.theme.spacing, default.spacing);
        assert_eq!(
            field_of(
                r#"{ "id": "cairn", "name": "Cairn", "config": { "theme": { "dark": { "text": "red}" } } } }"#
            ),
            "config.theme.dark.text"
        );
    }

    #[test]
    fn a_brand_name_given_in_the_config_is_kept() {
        let site = checked(
            r#"{ "id": "cairn", "name": "cairn-fr", "config": { "brand_name": "Cairn" } }"#,
        )
        .expect("valid");
        assert_eq!(
            (site.name.as_str(), site.config.brand_name.as_str()),
            ("cairn-fr", "Cairn")
        );
    }

    #[test]
    fn each_mistake_is_refused_with_its_field_named() {
        for (text, field) in [
            (r#"{ "id": "Cairn!", "name": "Cairn" }"#, "id"),
            (r#"{ "id": "", "name": "Cairn" }"#, "id"),
            (r#"{ "id": "cairn", "name": "   " }"#, "name"),
            (r#"{ "id": "cairn" }"#, "name"),
            (
                r#"{ "id": "cairn", "name": "Cairn", "colour": "red" }"#,
                "colour",
            ),
            (
                r#"{ "id": "cairn", "name": "Cairn", "config": { "nps": { "ask_again_afer_days": 30 } } }"#,
                "config.nps.ask_again_afer_days",
            ),
            (
                r#"{ "id": "cairn", "name": "Cairn", "config": { "nps": { "ask_again_after_days": "90" } } }"#,
                "config.nps.ask_again_after_days",
            ),
            (
                r#"{ "id": "cairn", "name": "Cairn", "allowed_origins": "https://cairn.example" }"#,
                "allowed_origins",
            ),
            (
                r#"{ "id": "cairn", "name": "Cairn", "config": { "theme": { "accent": "red;}</style><script>" } } }"#,
                "config.theme.accent",
            ),
            (
                r#"{ "id": "cairn", "name": "Cairn", "config": { "referral": { "landing_url": "https://elsewhere.example/" } } }"#,
                "config.referral.landing_url",
            ),
            (
                r#"{ "id": "cairn", "name": "Cairn", "config": { "turnstile_site_key": "0x4AAAAAAAtest" } }"#,
                "turnstile_secret",
            ),
            (
                r#"{ "id": "cairn", "name": "Cairn", "turnstile_secret": "secret" }"#,
                "config.turnstile_site_key",
            ),
            (
                r#"{ "id": "cairn", "name": "Cairn", "config": { "turnstile_site_key": "x'); alert(1); //" }, "turnstile_secret": "s" }"#,
                "config.turnstile_site_key",
            ),
        ] {
            assert_eq!(field_of(text), field, "{text}");
        }
    }

    #[test]
    fn settings_the_console_could_not_save_back_are_refused() {
        // Each override alone is within its 500 characters; 150 languages of them are not
        // within the 64 KB the console's settings route takes.
        let copy = (0..150)
            .map(|index| format!(r#""en-t{index:03}": {{ "send": "{}" }}"#, "x".repeat(500)))
            .collect::<Vec<_>>()
            .join(",");
        let text = format!(
            r#"{{ "id": "cairn", "name": "Cairn", "config": {{ "copy": {{ {copy} }} }} }}"#
        );
        match checked(&text) {
            Err(Error::InvalidField { field, message }) => {
                assert_eq!(field, "config");
                assert!(
                    message.contains("the console could not save them back"),
                    "{message}"
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn text_that_is_not_one_json_object_is_refused() {
        for text in ["", "[]", "{ \"id\": ", "null"] {
            match checked(text) {
                Err(Error::InvalidJson(message)) => {
                    assert!(message.starts_with("the site file "), "{message}");
                }
                other => panic!("{text:?}: {other:?}"),
            }
        }
    }
}
