//! The languages the widgets speak. Each is one file in `core/locales/`, compiled in by
//! `build.rs`: adding a language is adding a file, and nothing here changes.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

include!(concat!(env!("OUT_DIR"), "/locales.rs"));

/// A shipped language, named by its tag (`en`, `fr`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Locale(&'static str);

impl Locale {
    /// English: the language every other falls back to for a missing string.
    pub const EN: Locale = Locale("en");

    /// The shipped language with exactly this tag.
    pub fn from_tag(tag: &str) -> Option<Locale> {
        LOCALES
            .iter()
            .find(|(code, _)| *code == tag)
            .map(|(code, _)| Locale(code))
    }

    /// Every shipped language.
    pub fn all() -> impl Iterator<Item = Locale> {
        LOCALES.iter().map(|(code, _)| Locale(code))
    }

    /// The first shipped language among BCP 47 tags in order of preference (`fr-CA`
    /// counts as French); `None` when none is shipped.
    pub fn negotiate<'a>(tags: impl IntoIterator<Item = &'a str>) -> Option<Locale> {
        tags.into_iter().find_map(|tag| {
            let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
            Locale::from_tag(&primary)
        })
    }

    /// The language tag, for `lang` attributes and `Intl` formatting.
    pub fn tag(self) -> &'static str {
        self.0
    }

    /// The string this language's file has for `key`.
    pub fn lookup(self, key: &str) -> Option<&'static str> {
        let (_, entries) = LOCALES.iter().find(|(code, _)| *code == self.0)?;
        entries
            .binary_search_by_key(&key, |(entry_key, _)| entry_key)
            .ok()
            .map(|index| entries[index].1)
    }

    /// Every key this language's file defines.
    pub fn keys(self) -> impl Iterator<Item = &'static str> {
        LOCALES
            .iter()
            .filter(move |(code, _)| *code == self.0)
            .flat_map(|(_, entries)| entries.iter().map(|(key, _)| *key))
    }
}

impl Serialize for Locale {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0)
    }
}

impl<'de> Deserialize<'de> for Locale {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let tag = String::deserialize(deserializer)?;
        Locale::from_tag(&tag).ok_or_else(|| {
            let shipped: Vec<&str> = Locale::all().map(Locale::tag).collect();
            serde::de::Error::custom(format!(
                "unsupported locale {tag:?}, expected one of {}",
                shipped.join(", ")
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_and_english_are_shipped() {
        assert_eq!(Locale::from_tag("fr").map(Locale::tag), Some("fr"));
        assert_eq!(Locale::from_tag("en"), Some(Locale::EN));
        assert_eq!(Locale::from_tag("xx"), None);
    }

    #[test]
    fn negotiation_takes_the_first_supported_primary_tag() {
        assert_eq!(
            Locale::negotiate(["de-DE", "fr-CA", "en"]).map(Locale::tag),
            Some("fr")
        );
        assert_eq!(Locale::negotiate(["EN_gb"]), Some(Locale::EN));
        assert_eq!(Locale::negotiate(["de", ""]), None);
    }

    #[test]
    fn unknown_tags_do_not_deserialize() {
        assert!(serde_json::from_str::<Locale>("\"fr\"").is_ok());
        let error = serde_json::from_str::<Locale>("\"de\"")
            .err()
            .map(|error| error.to_string());
        assert!(error.is_some_and(|message| message.contains("unsupported locale")));
    }
}
