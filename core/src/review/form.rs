//! The state of one `<pv-review>` form, pure so that every transition and every field
//! rule the visitor meets is tested natively. The widget only draws it and sends it.

use crate::copy::Text;
use crate::form::{self, Hold, Refusal};
use crate::moderation::Status;
use crate::review;
use crate::validate;

/// The form's text inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The star radio group.
    Rating,
    /// The title input.
    Title,
    /// The review text.
    Text,
    /// The display name.
    AuthorName,
    /// The optional email.
    Email,
    /// The consent box that goes with the email.
    Consent,
}

impl Field {
    /// The `id` of the input in the widget, and the wire field the worker names in errors.
    pub fn id(self) -> &'static str {
        match self {
            Field::Rating => "rating",
            Field::Title => "title",
            Field::Text => "text",
            Field::AuthorName => "author_name",
            Field::Email => "email",
            Field::Consent => "email_consent",
        }
    }

    /// The message shown under the field when its value breaks a rule; an over-long name
    /// or title gets [`Text::TooLong`] instead (see [`ReviewForm::problem`]).
    pub fn problem(self) -> Text {
        match self {
            Field::Rating => Text::ReviewErrorRating,
            Field::Title => Text::ReviewErrorTitle,
            Field::Text => Text::ReviewErrorText,
            Field::AuthorName => Text::ReviewErrorName,
            Field::Email => Text::ReviewErrorEmail,
            Field::Consent => Text::ReviewErrorConsent,
        }
    }
}

/// Everything the visitor and the network can do to the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormAction {
    /// Stars chosen.
    PickRating(u8),
    /// A text input changed.
    Edit(Field, String),
    /// The consent box changed.
    Consent(bool),
    /// Send pressed; `fresh_key` is used unless a retry key is pending.
    Submit {
        /// A new random idempotency key, used only for a first attempt.
        fresh_key: String,
    },
    /// The worker stored the review (or had already).
    Stored(Status),
    /// The worker refused it: nothing stored, the visitor may fix it.
    Refused(Refusal),
    /// The review may not have arrived, or the worker asked to wait: keep the key, retry.
    Held(Hold),
}

/// The review form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReviewForm {
    /// Chosen stars.
    pub rating: Option<u8>,
    /// As typed.
    pub title: String,
    /// As typed.
    pub text: String,
    /// As typed.
    pub author_name: String,
    /// As typed.
    pub email: String,
    /// The consent box.
    pub consent: bool,
    /// Where sending stands.
    pub attempt: form::Attempt,
}

impl ReviewForm {
    /// The fields whose value the worker would refuse, in form order.
    pub fn problems(&self) -> Vec<Field> {
        let mut problems = Vec::new();
        if self
            .rating
            .is_none_or(|rating| review::rating(rating).is_err())
        {
            problems.push(Field::Rating);
        }
        if validate::text("title", &self.title, 1, review::MAX_TITLE_CHARS).is_err() {
            problems.push(Field::Title);
        }
        let text = validate::text(
            "text",
            &self.text,
            review::MIN_TEXT_CHARS,
            review::MAX_TEXT_CHARS,
        );
        if text.is_err() {
            problems.push(Field::Text);
        }
        let name = validate::text("author_name", &self.author_name, 1, review::MAX_NAME_CHARS);
        if name.is_err() {
            problems.push(Field::AuthorName);
        }
        if !self.email.trim().is_empty() {
            if validate::email(&self.email).is_err() {
                problems.push(Field::Email);
            }
            if !self.consent {
                problems.push(Field::Consent);
            }
        }
        problems
    }

    /// The problem to show on `field` now, if any.
    pub fn problem(&self, field: Field) -> Option<Text> {
        let refused_here = self.attempt.refused_field(field.id());
        let shown = self.attempt.tried && self.problems().contains(&field);
        (shown || refused_here).then(|| match field {
            Field::Title => {
                form::text_problem(&self.title, review::MAX_TITLE_CHARS, field.problem())
            }
            Field::AuthorName => {
                form::text_problem(&self.author_name, review::MAX_NAME_CHARS, field.problem())
            }
            _ => field.problem(),
        })
    }

    /// True while sending or waiting to retry: inputs stay as sent.
    pub fn locked(&self) -> bool {
        self.attempt.locked()
    }

    /// The email to send: only with consent, and never a blank one.
    pub fn email_to_send(&self) -> Option<String> {
        let email = self.email.trim();
        (!email.is_empty()).then(|| email.to_owned())
    }

    /// The next state after `action`; actions that make no sense now change nothing.
    pub fn apply(&self, action: FormAction) -> ReviewForm {
        let mut next = self.clone();
        match action {
            FormAction::PickRating(rating) if !self.locked() && review::rating(rating).is_ok() => {
                next.rating = Some(rating);
                next.attempt.clear_refusal_of(Field::Rating.id());
            }
            FormAction::Edit(field, value) if !self.locked() => {
                match field {
                    Field::Title => next.title = validate::without_unseen_controls(&value),
                    Field::Text => next.text = validate::without_unseen_controls(&value),
                    Field::AuthorName => {
                        next.author_name = validate::without_unseen_controls(&value);
                    }
                    Field::Email => next.email = value,
                    Field::Rating | Field::Consent => return next,
                }
                next.attempt.clear_refusal_of(field.id());
            }
            FormAction::Consent(consent) if !self.locked() => {
                next.consent = consent;
                next.attempt.clear_refusal_of(Field::Consent.id());
            }
            FormAction::Submit { fresh_key } => {
                next.attempt.submit(fresh_key, self.problems().is_empty());
            }
            FormAction::Stored(status) => next.attempt.stored(status),
            FormAction::Refused(refusal) => next.attempt.refused(refusal),
            FormAction::Held(hold) => next.attempt.held(hold),
            _ => {}
        }
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::Phase;

    fn filled() -> ReviewForm {
        [
            FormAction::PickRating(5),
            FormAction::Edit(Field::Title, "Solide".into()),
            FormAction::Edit(Field::Text, "Montée en cinq minutes.".into()),
            FormAction::Edit(Field::AuthorName, "Camille".into()),
        ]
        .into_iter()
        .fold(ReviewForm::default(), |form, action| form.apply(action))
    }

    fn submit(form: &ReviewForm) -> ReviewForm {
        form.apply(FormAction::Submit {
            fresh_key: "key-00000001".into(),
        })
    }

    #[test]
    fn pasted_control_characters_are_left_out_and_never_refused() {
        let pasted = filled()
            .apply(FormAction::Edit(Field::Title, "Solide\u{b}".into()))
            .apply(FormAction::Edit(
                Field::Text,
                "Montée\u{0} en cinq minutes.\nParfaite.".into(),
            ));
        assert_eq!(pasted.title, "Solide");
        assert_eq!(pasted.text, "Montée en cinq minutes.\nParfaite.");
        assert!(pasted.problems().is_empty());
    }

    #[test]
    fn problems_are_shown_only_after_a_first_try() {
        let empty = ReviewForm::default();
        assert_eq!(empty.problem(Field::Rating), None);
        let tried = submit(&empty);
        assert_eq!(tried.attempt.phase, Phase::Editing, "nothing is sent");
        assert_eq!(
            tried.problems(),
            [Field::Rating, Field::Title, Field::Text, Field::AuthorName]
        );
        assert_eq!(tried.problem(Field::Text), Some(Text::ReviewErrorText));
    }

    #[test]
    fn a_complete_form_is_sent_once_with_one_key() {
        let sending = submit(&filled());
        assert_eq!(sending.attempt.phase, Phase::Sending);
        assert!(sending.locked());
        let ignored = sending.apply(FormAction::Edit(Field::Title, "Changed".into()));
        assert_eq!(ignored.title, "Solide", "a review in flight cannot change");
        let waiting = sending.apply(FormAction::Held(Hold::Unreachable));
        let retried = waiting.apply(FormAction::Submit {
            fresh_key: "another-key".into(),
        });
        assert_eq!(
            retried.attempt.idempotency_key.as_deref(),
            Some("key-00000001")
        );
        let sent = retried.apply(FormAction::Stored(Status::Pending));
        assert_eq!(sent.attempt.phase, Phase::Sent(Status::Pending));
    }

    #[test]
    fn an_email_needs_consent_and_a_valid_address() {
        let mut form = filled().apply(FormAction::Edit(Field::Email, "camille@".into()));
        assert_eq!(form.problems(), [Field::Email, Field::Consent]);
        form = form
            .apply(FormAction::Edit(
                Field::Email,
                "camille@cairn.example".into(),
            ))
            .apply(FormAction::Consent(true));
        assert!(form.problems().is_empty());
        assert_eq!(
            form.email_to_send().as_deref(),
            Some("camille@cairn.example")
        );
        let blank = filled().apply(FormAction::Edit(Field::Email, "  ".into()));
        assert!(blank.problems().is_empty());
        assert_eq!(blank.email_to_send(), None);
    }

    #[test]
    fn a_refusal_points_at_its_field_until_it_is_edited() {
        let refused = submit(&filled()).apply(FormAction::Refused(Refusal::from_error(
            "invalid_field",
            Some("title"),
        )));
        assert_eq!(refused.attempt.phase, Phase::Editing);
        assert_eq!(
            refused.attempt.idempotency_key, None,
            "a fixed review is a new one"
        );
        assert_eq!(refused.problem(Field::Title), Some(Text::ReviewErrorTitle));
        let edited = refused.apply(FormAction::Edit(Field::Title, "Très solide".into()));
        assert_eq!(edited.problem(Field::Title), None);
    }

    #[test]
    fn a_missing_title_or_name_is_asked_for_and_a_long_one_shortened() {
        let tried = submit(&ReviewForm::default());
        assert_eq!(tried.problem(Field::Title), Some(Text::ReviewErrorTitle));
        assert_eq!(
            tried.problem(Field::AuthorName),
            Some(Text::ReviewErrorName)
        );
        let long = submit(
            &filled()
                .apply(FormAction::Edit(
                    Field::Title,
                    "t".repeat(review::MAX_TITLE_CHARS + 1),
                ))
                .apply(FormAction::Edit(
                    Field::AuthorName,
                    "n".repeat(review::MAX_NAME_CHARS + 1),
                )),
        );
        assert_eq!(long.problem(Field::Title), Some(Text::TooLong));
        assert_eq!(long.problem(Field::AuthorName), Some(Text::TooLong));
    }
}
