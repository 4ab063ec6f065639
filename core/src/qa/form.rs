//! The state of a `<pv-qa>` form (asking a question, or answering one), pure so that
//! every transition and rule the visitor meets is tested natively.

use crate::copy::Text;
use crate::form::{self, Hold, Refusal};
use crate::moderation::Status;
use crate::qa;
use crate::review::MAX_NAME_CHARS;
use crate::validate;

/// What the form writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A new question, with an optional email to be told of answers.
    Question,
    /// An answer to a published question.
    Answer,
}

impl Kind {
    /// The text's length rule.
    pub fn text_limits(self) -> (usize, usize) {
        match self {
            Kind::Question => (qa::MIN_QUESTION_CHARS, qa::MAX_QUESTION_CHARS),
            Kind::Answer => (qa::MIN_ANSWER_CHARS, qa::MAX_ANSWER_CHARS),
        }
    }
}

/// The form's inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The question or the answer.
    Text,
    /// The display name.
    AuthorName,
    /// The optional email (questions only).
    Email,
    /// The consent box that goes with it.
    Consent,
}

impl Field {
    /// The wire name, also the suffix of the input's `id`.
    pub fn id(self) -> &'static str {
        match self {
            Field::Text => "text",
            Field::AuthorName => "author_name",
            Field::Email => "email",
            Field::Consent => "email_consent",
        }
    }

    /// The message shown under the field when its value breaks a rule; an over-long name
    /// or title gets [`Text::TooLong`] instead (see [`QaForm::problem`]).
    pub fn problem(self) -> Text {
        match self {
            Field::Text => Text::QaErrorText,
            Field::AuthorName => Text::QaErrorName,
            Field::Email => Text::QaErrorEmail,
            Field::Consent => Text::QaErrorConsent,
        }
    }
}

/// Everything the visitor and the network can do to the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormAction {
    /// Opens a fresh form of this kind with this text (ignored while one is in flight).
    Start(Kind, String),
    /// An input changed.
    Edit(Field, String),
    /// The consent box changed.
    Consent(bool),
    /// Send pressed; `fresh_key` is used unless a retry key is pending.
    Submit {
        /// A new random idempotency key, used only for a first attempt.
        fresh_key: String,
    },
    /// Stored (or already stored), with this status.
    Stored(Status),
    /// Refused: nothing stored.
    Refused(Refusal),
    /// May not have arrived, or the worker asked to wait: keep the key, retry.
    Held(Hold),
}

/// A question or answer form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QaForm {
    /// What it writes.
    pub kind: Kind,
    /// As typed.
    pub text: String,
    /// As typed.
    pub author_name: String,
    /// As typed (questions only).
    pub email: String,
    /// The consent box.
    pub consent: bool,
    /// Where sending stands.
    pub attempt: form::Attempt,
}

impl QaForm {
    /// An empty form of `kind`, with the text already typed (a search becomes a question).
    pub fn new(kind: Kind, text: &str) -> QaForm {
        QaForm {
            kind,
            text: text.to_owned(),
            author_name: String::new(),
            email: String::new(),
            consent: false,
            attempt: form::Attempt::default(),
        }
    }

    /// The fields whose value the worker would refuse, in form order.
    pub fn problems(&self) -> Vec<Field> {
        let (min, max) = self.kind.text_limits();
        let mut problems = Vec::new();
        if validate::text("text", &self.text, min, max).is_err() {
            problems.push(Field::Text);
        }
        if validate::text("author_name", &self.author_name, 1, MAX_NAME_CHARS).is_err() {
            problems.push(Field::AuthorName);
        }
        if self.kind == Kind::Question && !self.email.trim().is_empty() {
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
            Field::AuthorName => {
                form::text_problem(&self.author_name, MAX_NAME_CHARS, field.problem())
            }
            _ => field.problem(),
        })
    }

    /// True while sending or waiting to retry: inputs stay as sent.
    pub fn locked(&self) -> bool {
        self.attempt.locked()
    }

    /// The email to send: questions only, never blank.
    pub fn email_to_send(&self) -> Option<String> {
        let email = self.email.trim();
        (self.kind == Kind::Question && !email.is_empty()).then(|| email.to_owned())
    }

    /// The next state after `action`; actions that make no sense now change nothing.
    pub fn apply(&self, action: FormAction) -> QaForm {
        let mut next = self.clone();
        match action {
            FormAction::Start(kind, text) if !self.locked() => return QaForm::new(kind, &text),
            FormAction::Edit(field, value) if !self.locked() => {
                match field {
                    Field::Text => next.text = validate::without_unseen_controls(&value),
                    Field::AuthorName => {
                        next.author_name = validate::without_unseen_controls(&value);
                    }
                    Field::Email => next.email = value,
                    Field::Consent => return next,
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

    fn filled(kind: Kind, text: &str) -> QaForm {
        QaForm::new(kind, text).apply(FormAction::Edit(Field::AuthorName, "Alex".into()))
    }

    fn submit(form: &QaForm) -> QaForm {
        form.apply(FormAction::Submit {
            fresh_key: "key-00000001".into(),
        })
    }

    #[test]
    fn a_search_becomes_the_start_of_a_question() {
        let form = QaForm::new(Kind::Question, "étanche");
        assert_eq!(form.text, "étanche");
        let tried = submit(&form);
        assert_eq!(tried.attempt.phase, Phase::Editing, "too short to send");
        assert_eq!(tried.problem(Field::Text), Some(Text::QaErrorText));
        assert_eq!(tried.problem(Field::AuthorName), Some(Text::QaErrorName));
        let long_name = submit(&tried.apply(FormAction::Edit(
            Field::AuthorName,
            "n".repeat(MAX_NAME_CHARS + 1),
        )));
        assert_eq!(long_name.problem(Field::AuthorName), Some(Text::TooLong));
    }

    #[test]
    fn questions_and_answers_have_their_own_length_rules() {
        assert_eq!(
            submit(&filled(Kind::Answer, "Oui.")).attempt.phase,
            Phase::Sending
        );
        assert_eq!(
            submit(&filled(Kind::Question, "Oui.")).attempt.phase,
            Phase::Editing
        );
        let question = filled(Kind::Question, "Tient-elle le vent en crête ?");
        assert_eq!(submit(&question).attempt.phase, Phase::Sending);
    }

    #[test]
    fn only_questions_keep_an_email_and_only_with_consent() {
        let question = filled(Kind::Question, "Tient-elle le vent en crête ?")
            .apply(FormAction::Edit(Field::Email, "alex@cairn.example".into()));
        assert_eq!(question.problems(), [Field::Consent]);
        let consented = question.apply(FormAction::Consent(true));
        assert!(consented.problems().is_empty());
        assert_eq!(
            consented.email_to_send().as_deref(),
            Some("alex@cairn.example")
        );
        let answer = filled(Kind::Answer, "Oui.").apply(FormAction::Edit(
            Field::Email,
            "camille@cairn.example".into(),
        ));
        assert_eq!(answer.email_to_send(), None);
    }

    #[test]
    fn a_retry_keeps_its_key_and_a_refusal_frees_the_form() {
        let sending = submit(&filled(Kind::Answer, "Oui, sans souci."));
        let retried =
            sending
                .apply(FormAction::Held(Hold::Unreachable))
                .apply(FormAction::Submit {
                    fresh_key: "another".into(),
                });
        assert_eq!(
            retried.attempt.idempotency_key.as_deref(),
            Some("key-00000001")
        );
        let refused = retried.apply(FormAction::Refused(Refusal::TokenRequired));
        assert_eq!(refused.attempt.phase, Phase::Editing);
        assert_eq!(refused.attempt.idempotency_key, None);
        let sent = submit(&refused).apply(FormAction::Stored(Status::Published));
        assert_eq!(sent.attempt.phase, Phase::Sent(Status::Published));
        let fresh = sent.apply(FormAction::Start(Kind::Question, "vent".into()));
        assert_eq!(fresh, QaForm::new(Kind::Question, "vent"));
        let in_flight = submit(&filled(Kind::Answer, "Oui, sans souci."));
        assert_eq!(
            in_flight.apply(FormAction::Start(Kind::Question, String::new())),
            in_flight
        );
    }
}
