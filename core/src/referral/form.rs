//! The `<pv-referral>` forms, pure so that their rules are tested natively: joining the
//! programme (name, email, consent) and inviting friends (up to five addresses).

use crate::copy::Text;
use crate::referral::MAX_INVITES_PER_REQUEST;
use crate::review::MAX_NAME_CHARS;
use crate::validate;

/// Joining the programme. A customer token carrying a name and email fills those in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JoinForm {
    /// As typed.
    pub name: String,
    /// As typed.
    pub email: String,
    /// The consent box.
    pub consent: bool,
    /// True once the visitor tried to send.
    pub tried: bool,
}

impl JoinForm {
    /// What to fix before sending, each with its message; `known` when the customer token
    /// already gives the name and email.
    pub fn problems(&self, known: bool) -> Vec<(&'static str, Text)> {
        let mut problems = Vec::new();
        if !known && validate::text("name", &self.name, 1, MAX_NAME_CHARS).is_err() {
            problems.push(("name", Text::ReferralErrorName));
        }
        if !known && validate::email(&self.email).is_err() {
            problems.push(("email", Text::ReferralErrorEmail));
        }
        if !self.consent {
            problems.push(("consent", Text::ReferralErrorConsent));
        }
        problems
    }

    /// The message to show under `field` now, if any.
    pub fn problem(&self, field: &str, known: bool) -> Option<Text> {
        self.tried
            .then(|| self.problems(known))
            .and_then(|problems| problems.into_iter().find(|(named, _)| *named == field))
            .map(|(_, text)| text)
    }
}

/// The addresses typed or pasted into the invitation box, each once whatever its case: one
/// per line, or separated by commas, semicolons or spaces. What an address book or a mail
/// client copies gives its addresses too: `Léa Martin <lea@example.com>`,
/// `"Martin, Léa" <lea@example.com>`, `mailto:lea@example.com`.
pub fn invitation_addresses(text: &str) -> Vec<String> {
    // Beside addresses in angle brackets, words without `@` are their display names.
    let named = text.contains('<');
    let mut addresses: Vec<String> = Vec::new();
    let separator =
        |character: char| character.is_whitespace() || matches!(character, ',' | ';' | '<' | '>');
    for word in text.split(separator) {
        let address = word
            .get(..MAILTO.len())
            .filter(|scheme| scheme.eq_ignore_ascii_case(MAILTO))
            .map_or(word, |_| &word[MAILTO.len()..]);
        if address.is_empty()
            || (named && !address.contains('@'))
            || addresses
                .iter()
                .any(|known| known.eq_ignore_ascii_case(address))
        {
            continue;
        }
        addresses.push(address.to_owned());
    }
    addresses
}

/// The scheme of an address copied from a link.
const MAILTO: &str = "mailto:";

/// What is wrong with the invitation box, if anything.
pub fn invitation_problem(text: &str) -> Option<Text> {
    let addresses = invitation_addresses(text);
    if addresses.is_empty() || addresses.len() > MAX_INVITES_PER_REQUEST {
        return Some(Text::ReferralErrorInvites);
    }
    addresses
        .iter()
        .any(|address| validate::email(address).is_err())
        .then_some(Text::ReferralErrorInvites)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joining_needs_a_name_an_email_and_consent_unless_the_token_gives_them() {
        let mut form = JoinForm::default();
        assert_eq!(
            form.problem("name", false),
            None,
            "nothing shown before a try"
        );
        form.tried = true;
        assert_eq!(
            form.problems(false)
                .iter()
                .map(|(field, _)| *field)
                .collect::<Vec<_>>(),
            ["name", "email", "consent"]
        );
        assert_eq!(
            form.problems(true)
                .iter()
                .map(|(field, _)| *field)
                .collect::<Vec<_>>(),
            ["consent"]
        );
        form.name = "Camille".into();
        form.email = "camille@cairn.example".into();
        form.consent = true;
        assert!(form.problems(false).is_empty());
    }

    #[test]
    fn invitations_take_up_to_five_valid_addresses_however_separated() {
        assert_eq!(
            invitation_addresses("a@x.example\nb@x.example, c@x.example;d@x.example  "),
            ["a@x.example", "b@x.example", "c@x.example", "d@x.example"]
        );
        assert_eq!(invitation_problem("a@x.example b@x.example"), None);
        assert_eq!(
            invitation_addresses(
                "Léa Martin <lea@x.example>, \"Durand; Tom\" <tom@x.example>;\r\n\
                 MAILTO:zoe@x.example LEA@x.example <tom@x.example>"
            ),
            ["lea@x.example", "tom@x.example", "zoe@x.example"]
        );
        assert_eq!(
            invitation_problem("Léa Martin, lea@x.example"),
            Some(Text::ReferralErrorInvites),
            "a name with no address is not dropped in silence"
        );
        assert_eq!(invitation_problem(""), Some(Text::ReferralErrorInvites));
        assert_eq!(
            invitation_problem("a@x.example oops"),
            Some(Text::ReferralErrorInvites)
        );
        let six = (0..6)
            .map(|index| format!("f{index}@x.example"))
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(invitation_problem(&six), Some(Text::ReferralErrorInvites));
    }
}
