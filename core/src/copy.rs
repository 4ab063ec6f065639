//! Every string a visitor reads in a widget, in French and English, with the brand's
//! per-language overrides from its site configuration taking precedence.

use std::collections::BTreeMap;

use crate::nps::Category;
use crate::site::Locale;

/// A visible string. Its [`Text::key`] is the name brands use to override it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    /// The NPS question; `{brand}` is replaced by the brand's name.
    NpsQuestion,
    /// Label under score 0.
    NpsLowEnd,
    /// Label under score 10.
    NpsHighEnd,
    /// Comment prompt for promoters.
    NpsCommentPromoter,
    /// Comment prompt for passives.
    NpsCommentPassive,
    /// Comment prompt for detractors.
    NpsCommentDetractor,
    /// Marks the comment as optional.
    Optional,
    /// Send button.
    Send,
    /// Send button while sending.
    Sending,
    /// Heading after a successful answer.
    Thanks,
    /// Follow-up for promoters.
    NpsFollowUpPromoter,
    /// Link inviting promoters to write a review.
    NpsReviewLink,
    /// Link inviting promoters to share.
    NpsShareLink,
    /// Link inviting promoters to refer a friend.
    NpsReferralLink,
    /// Follow-up for passives.
    NpsFollowUpPassive,
    /// Follow-up for detractors.
    NpsFollowUpDetractor,
    /// Link to the brand's contact page.
    ContactLink,
    /// Shown when the answer could not reach the server; it is kept for a retry.
    NetworkError,
    /// Retry button.
    Retry,
    /// Shown when the server refused the answer; details go to the page's developer.
    Refused,
    /// Shown when the widget cannot load its configuration.
    LoadError,
    /// Characters used out of the maximum, e.g. `12 / 2000`.
    CharacterCount,
}

impl Text {
    /// The override key, as written in a site's `copy` configuration.
    pub fn key(self) -> &'static str {
        match self {
            Text::NpsQuestion => "nps.question",
            Text::NpsLowEnd => "nps.low_end",
            Text::NpsHighEnd => "nps.high_end",
            Text::NpsCommentPromoter => "nps.comment.promoter",
            Text::NpsCommentPassive => "nps.comment.passive",
            Text::NpsCommentDetractor => "nps.comment.detractor",
            Text::Optional => "optional",
            Text::Send => "send",
            Text::Sending => "sending",
            Text::Thanks => "thanks",
            Text::NpsFollowUpPromoter => "nps.follow_up.promoter",
            Text::NpsReviewLink => "nps.link.review",
            Text::NpsShareLink => "nps.link.share",
            Text::NpsReferralLink => "nps.link.referral",
            Text::NpsFollowUpPassive => "nps.follow_up.passive",
            Text::NpsFollowUpDetractor => "nps.follow_up.detractor",
            Text::ContactLink => "contact_link",
            Text::NetworkError => "error.network",
            Text::Retry => "retry",
            Text::Refused => "error.refused",
            Text::LoadError => "error.load",
            Text::CharacterCount => "character_count",
        }
    }

    fn default_text(self, locale: Locale) -> &'static str {
        use Locale::{En, Fr};
        match (self, locale) {
            (Text::NpsQuestion, En) => {
                "How likely are you to recommend {brand} to a friend or colleague?"
            }
            (Text::NpsQuestion, Fr) => {
                "Quelle est la probabilité que vous recommandiez {brand} à un ami ou un collègue ?"
            }
            (Text::NpsLowEnd, En) => "Not at all likely",
            (Text::NpsLowEnd, Fr) => "Pas du tout probable",
            (Text::NpsHighEnd, En) => "Extremely likely",
            (Text::NpsHighEnd, Fr) => "Très probable",
            (Text::NpsCommentPromoter, En) => "What do you like most?",
            (Text::NpsCommentPromoter, Fr) => "Qu’appréciez-vous le plus ?",
            (Text::NpsCommentPassive, En) => "What would make it a 10?",
            (Text::NpsCommentPassive, Fr) => "Que faudrait-il pour mériter un 10 ?",
            (Text::NpsCommentDetractor, En) => "What should we fix?",
            (Text::NpsCommentDetractor, Fr) => "Que devrions-nous améliorer ?",
            (Text::Optional, En) => "optional",
            (Text::Optional, Fr) => "facultatif",
            (Text::Send, En) => "Send",
            (Text::Send, Fr) => "Envoyer",
            (Text::Sending, En) => "Sending…",
            (Text::Sending, Fr) => "Envoi…",
            (Text::Thanks, En) => "Thank you!",
            (Text::Thanks, Fr) => "Merci !",
            (Text::NpsFollowUpPromoter, En) => {
                "We’re delighted. Would you tell others about {brand}?"
            }
            (Text::NpsFollowUpPromoter, Fr) => {
                "Nous en sommes ravis. Parleriez-vous de {brand} autour de vous ?"
            }
            (Text::NpsReviewLink, En) => "Write a review",
            (Text::NpsReviewLink, Fr) => "Écrire un avis",
            (Text::NpsShareLink, En) => "Share with friends",
            (Text::NpsShareLink, Fr) => "Partager avec vos proches",
            (Text::NpsReferralLink, En) => "Refer a friend",
            (Text::NpsReferralLink, Fr) => "Parrainer un ami",
            (Text::NpsFollowUpPassive, En) => "Thanks for your feedback: it helps us get better.",
            (Text::NpsFollowUpPassive, Fr) => {
                "Merci pour votre retour : il nous aide à progresser."
            }
            (Text::NpsFollowUpDetractor, En) => {
                "We’re sorry we fell short. What should we fix? Our team reads every answer and can help you directly."
            }
            (Text::NpsFollowUpDetractor, Fr) => {
                "Nous sommes désolés de vous avoir déçu. Que devrions-nous corriger ? Notre équipe lit chaque réponse et peut vous aider directement."
            }
            (Text::ContactLink, En) => "Contact us",
            (Text::ContactLink, Fr) => "Nous contacter",
            (Text::NetworkError, En) => {
                "Your answer is saved but could not be sent. Check your connection and try again."
            }
            (Text::NetworkError, Fr) => {
                "Votre réponse est gardée mais n’a pas pu être envoyée. Vérifiez votre connexion et réessayez."
            }
            (Text::Retry, En) => "Try again",
            (Text::Retry, Fr) => "Réessayer",
            (Text::Refused, En) => {
                "Your answer could not be accepted. Please check it and try again."
            }
            (Text::Refused, Fr) => {
                "Votre réponse n’a pas pu être acceptée. Vérifiez-la et réessayez."
            }
            (Text::LoadError, En) => "This survey is unavailable right now.",
            (Text::LoadError, Fr) => "Ce questionnaire est indisponible pour le moment.",
            (Text::CharacterCount, En) => "{count} / {max} characters",
            (Text::CharacterCount, Fr) => "{count} / {max} caractères",
        }
    }

    /// The comment prompt that fits a category.
    pub fn comment_prompt(category: Category) -> Text {
        match category {
            Category::Promoter => Text::NpsCommentPromoter,
            Category::Passive => Text::NpsCommentPassive,
            Category::Detractor => Text::NpsCommentDetractor,
        }
    }

    /// The thank-you follow-up that fits a category.
    pub fn follow_up(category: Category) -> Text {
        match category {
            Category::Promoter => Text::NpsFollowUpPromoter,
            Category::Passive => Text::NpsFollowUpPassive,
            Category::Detractor => Text::NpsFollowUpDetractor,
        }
    }
}

/// The strings of one language for one site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copy {
    locale: Locale,
    brand_name: String,
    overrides: BTreeMap<String, String>,
}

impl Copy {
    /// The copy for `locale`, with the site's overrides for that language.
    pub fn new(
        locale: Locale,
        brand_name: &str,
        overrides: &BTreeMap<Locale, BTreeMap<String, String>>,
    ) -> Copy {
        Copy {
            locale,
            brand_name: brand_name.to_owned(),
            overrides: overrides.get(&locale).cloned().unwrap_or_default(),
        }
    }

    /// The language these strings are in.
    pub fn locale(&self) -> Locale {
        self.locale
    }

    /// A string with `{brand}` filled in.
    pub fn text(&self, text: Text) -> String {
        self.overrides
            .get(text.key())
            .map(String::as_str)
            .unwrap_or_else(|| text.default_text(self.locale))
            .replace("{brand}", &self.brand_name)
    }

    /// A string with `{brand}` and the given `{name}` placeholders filled in.
    pub fn text_with(&self, text: Text, values: &[(&str, &str)]) -> String {
        values.iter().fold(self.text(text), |acc, (name, value)| {
            acc.replace(&format!("{{{name}}}"), value)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn question_names_the_brand_in_each_language() {
        let none = BTreeMap::new();
        let english = Copy::new(Locale::En, "Cairn", &none);
        let french = Copy::new(Locale::Fr, "Cairn", &none);
        assert_eq!(
            english.text(Text::NpsQuestion),
            "How likely are you to recommend Cairn to a friend or colleague?"
        );
        assert!(
            french
                .text(Text::NpsQuestion)
                .contains("recommandiez Cairn")
        );
    }

    #[test]
    fn site_overrides_win_for_their_language_only() {
        let mut french = BTreeMap::new();
        french.insert("send".to_owned(), "C’est parti".to_owned());
        let overrides = BTreeMap::from([(Locale::Fr, french)]);
        assert_eq!(
            Copy::new(Locale::Fr, "Cairn", &overrides).text(Text::Send),
            "C’est parti"
        );
        assert_eq!(
            Copy::new(Locale::En, "Cairn", &overrides).text(Text::Send),
            "Send"
        );
    }

    #[test]
    fn placeholders_are_filled() {
        let copy = Copy::new(Locale::En, "Cairn", &BTreeMap::new());
        assert_eq!(
            copy.text_with(Text::CharacterCount, &[("count", "12"), ("max", "2000")]),
            "12 / 2000 characters"
        );
    }

    #[test]
    fn follow_ups_differ_per_category() {
        let copy = Copy::new(Locale::En, "Cairn", &BTreeMap::new());
        assert!(
            copy.text(Text::follow_up(Category::Detractor))
                .contains("What should we fix?")
        );
        assert!(
            copy.text(Text::follow_up(Category::Promoter))
                .contains("tell others")
        );
        assert_ne!(
            copy.text(Text::comment_prompt(Category::Passive)),
            copy.text(Text::comment_prompt(Category::Promoter))
        );
    }
}
