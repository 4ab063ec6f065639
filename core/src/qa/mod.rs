//! Ask-a-customer Q&A: a prospect asks about a product, customers who bought it (and the
//! brand) answer. This module holds the rules: who gets which badge, what is published at
//! once, how questions are searched. Storage is in [`store`], search-engine markup in
//! [`markup`].

pub mod form;
pub mod markup;
pub mod store;

use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::copy::Text;
use crate::error::{Error, Result};
use crate::moderation::Status;
use crate::token::CustomerClaims;

/// Shortest question: fewer characters cannot ask anything a customer could answer.
pub const MIN_QUESTION_CHARS: usize = 10;
/// Longest question, in characters.
pub const MAX_QUESTION_CHARS: usize = 1_000;
/// Shortest answer ("Oui." is an answer).
pub const MIN_ANSWER_CHARS: usize = 2;
/// Longest answer, in characters.
pub const MAX_ANSWER_CHARS: usize = 3_000;
/// Longest search text the worker reads; a widget sends at most this, however long the
/// visitor's search.
pub const MAX_SEARCH_CHARS: usize = 100;
/// Words of a search that count: its longest ones; more are ignored. A question is found
/// by any of them, and ranked by how many it holds.
pub const MAX_SEARCH_WORDS: usize = 3;
/// The characters of a search word compared: a longer word is searched by its start, so
/// that [`MAX_SEARCH_WORDS`] words and the spaces between them fit [`MAX_SEARCH_CHARS`].
pub const MAX_SEARCH_WORD_CHARS: usize = 32;
/// Words that tell nothing of what a search is about, in French and English (the widgets'
/// languages), in lowercase and written with their accents: a visitor who types a whole
/// question ("Est-ce que cette tente…", "Is this tent…") is searching for its other words.
/// A word that means something in the other language ("son", "ton", "an", "or") is not here.
/// See [`SearchFolding::is_stop_word`] for how a typed word is compared with them.
const STOP_WORDS: &str = "\
    ai as au aux avec avoir bien bonjour ça ce ces cet cette combien comme comment dans de \
    des donc du elle elles en est et êtes être fait faire il ils je la là le les leur leurs \
    lui ma mais me merci mes moi mon ne nos notre nous on ont ou où par pas peut peux plus \
    pour pourquoi quand que quel quelle quelles quels qui sa se ses si sont sur ta te tes \
    toi très tu un une vos votre vous vraiment about any are be but can could did do does \
    for from had has have he hello her hi his how if in into is it its many me much my not \
    of our please really she should so than thanks that the their them then there these they \
    this to very was we were what when where which who why will with would you your";
/// Top answerers listed at most.
pub const MAX_TOP_ANSWERERS: u32 = 100;

/// Who wrote an answer, as shown next to it: what makes an answer worth trusting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Badge {
    /// A customer whose token names an order of this product: "customer who bought this".
    VerifiedBuyer,
    /// A customer known by their token, who did not buy this product.
    Customer,
    /// The brand, through its admin token.
    Brand,
    /// A visitor nobody vouches for, on sites that allow them.
    Anonymous,
}

impl Badge {
    /// The value stored in the `badge` column.
    pub fn as_str(self) -> &'static str {
        match self {
            Badge::VerifiedBuyer => "verified_buyer",
            Badge::Customer => "customer",
            Badge::Brand => "brand",
            Badge::Anonymous => "anonymous",
        }
    }

    /// The badge of a visitor's answer about `product`, from their verified token if any.
    pub fn of_visitor(claims: Option<&CustomerClaims>, product: &str) -> Badge {
        match claims {
            Some(claims) if claims.order_for(product).is_some() => Badge::VerifiedBuyer,
            Some(_) => Badge::Customer,
            None => Badge::Anonymous,
        }
    }
}

/// How a site runs its Q&A.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct QaSettings {
    /// Publish questions at once instead of queueing them for moderation.
    pub publish_questions_at_once: bool,
    /// Publish answers of known customers at once (anonymous ones always wait).
    pub publish_customer_answers_at_once: bool,
    /// Take answers from visitors without a customer token (badged "anonymous").
    pub allow_anonymous_answers: bool,
}

impl Default for QaSettings {
    fn default() -> Self {
        QaSettings {
            publish_questions_at_once: false,
            publish_customer_answers_at_once: true,
            allow_anonymous_answers: false,
        }
    }
}

impl QaSettings {
    /// The status a new question starts in.
    pub fn question_status(&self) -> Status {
        Status::of_new(true, self.publish_questions_at_once)
    }

    /// The status of a new answer with `badge`, or the refusal of an anonymous answer on a
    /// site that takes none.
    pub fn answer_status(&self, badge: Badge) -> Result<Status> {
        match badge {
            Badge::Brand => Ok(Status::Published),
            Badge::VerifiedBuyer | Badge::Customer => {
                Ok(Status::of_new(true, self.publish_customer_answers_at_once))
            }
            Badge::Anonymous if self.allow_anonymous_answers => Ok(Status::Pending),
            Badge::Anonymous => Err(Error::CustomerTokenRequired),
        }
    }
}

/// Latin letters with accents or ligatures, and what a search reads them as: French,
/// Spanish, German, Italian, Portuguese and Polish are all searched without their accents.
/// A table rather than Unicode decomposition, which the widgets would pay for in tables far
/// heavier than their whole search. Migration 0013 folds stored texts with the same table.
pub const UNACCENTED: [(char, &str); 58] = [
    ('à', "a"),
    ('á', "a"),
    ('â', "a"),
    ('ã', "a"),
    ('ä', "a"),
    ('å', "a"),
    ('ā', "a"),
    ('ą', "a"),
    ('æ', "ae"),
    ('ç', "c"),
    ('ć', "c"),
    ('č', "c"),
    ('ď', "d"),
    ('è', "e"),
    ('é', "e"),
    ('ê', "e"),
    ('ë', "e"),
    ('ē', "e"),
    ('ę', "e"),
    ('ě', "e"),
    ('ğ', "g"),
    ('ì', "i"),
    ('í', "i"),
    ('î', "i"),
    ('ï', "i"),
    ('ī', "i"),
    ('ł', "l"),
    ('ñ', "n"),
    ('ń', "n"),
    ('ň', "n"),
    ('ò', "o"),
    ('ó', "o"),
    ('ô', "o"),
    ('õ', "o"),
    ('ö', "o"),
    ('ø', "o"),
    ('ő', "o"),
    ('œ', "oe"),
    ('ř', "r"),
    ('ś', "s"),
    ('š', "s"),
    ('ş', "s"),
    ('ß', "ss"),
    ('ť', "t"),
    ('ţ', "t"),
    ('ù', "u"),
    ('ú', "u"),
    ('û', "u"),
    ('ü', "u"),
    ('ū', "u"),
    ('ů', "u"),
    ('ű', "u"),
    ('ý', "y"),
    ('ÿ', "y"),
    ('ź', "z"),
    ('ż', "z"),
    ('ž', "z"),
    ('ė', "e"),
];

/// How searches cut a query into words and lowercase text before dropping accents. The
/// worker uses Rust's Unicode tables ([`RUST_UNICODE`]); the widgets pass the browser's own
/// `toLowerCase` and Unicode property escapes, the same Unicode data, so that their Wasm
/// carries no case or property tables (7 KB gzip). A side folds its queries and the texts
/// it searches the same way, so each side agrees with itself; the two differ only where
/// the browser lowercases a word-final `Σ` as `ς`.
#[derive(Debug, Clone, Copy)]
pub struct SearchFolding {
    /// The text in lowercase.
    pub lowercase: fn(&str) -> String,
    /// Whether a character is part of a word: Unicode alphabetic or numeric.
    pub is_word_character: fn(char) -> bool,
}

/// Rust's Unicode data: how the worker folds the texts it stores and the queries it is sent.
pub const RUST_UNICODE: SearchFolding = SearchFolding {
    lowercase: |text| text.chars().flat_map(char::to_lowercase).collect(),
    is_word_character: char::is_alphanumeric,
};

impl SearchFolding {
    /// `text` as searches compare it: lowercase and without accents, so that a visitor who
    /// types `etanche` finds `Étanche`.
    pub fn text(self, text: &str) -> String {
        let lowercase = (self.lowercase)(text);
        let mut folded = String::with_capacity(lowercase.len());
        for character in lowercase.chars() {
            push_unaccented(&mut folded, character);
        }
        folded
    }

    /// The words a question search looks for, as [`SearchFolding::text`] writes them: at
    /// most [`MAX_SEARCH_WORDS`], each of two characters or more (see
    /// [`SearchFolding::query`] for which).
    pub fn words(self, query: Option<&str>) -> Result<Vec<String>> {
        let Some(query) = query else {
            return Ok(Vec::new());
        };
        if query.chars().count() > MAX_SEARCH_CHARS {
            return Err(Error::InvalidQuery {
                param: "q".to_owned(),
                message: format!("q must be at most {MAX_SEARCH_CHARS} characters"),
            });
        }
        Ok(self.words_of(query))
    }

    /// [`SearchFolding::words`] of a search of any length: those the widget filters the
    /// questions shown with while the visitor types, the ones the worker searches for.
    pub fn words_of(self, search: &str) -> Vec<String> {
        self.chosen_words(search)
            .into_iter()
            .map(|word| self.text(word))
            .collect()
    }

    /// The search a widget sends for what the visitor typed: the words that count, as
    /// typed, within [`MAX_SEARCH_CHARS`]. A visitor may type a whole question before
    /// asking it; its first words ("is it", "est-ce que") would find every question, and
    /// its length would be refused.
    pub fn query(self, search: &str) -> String {
        self.chosen_words(search).join(" ")
    }

    /// The [`MAX_SEARCH_WORDS`] longest words of `search` (the most telling), first typed
    /// first among equals, each once and cut to [`MAX_SEARCH_WORD_CHARS`], in the order
    /// typed. [`STOP_WORDS`] count only in a search made of nothing else.
    fn chosen_words(self, search: &str) -> Vec<&str> {
        let telling = self.longest_words(search, true);
        if telling.is_empty() {
            self.longest_words(search, false)
        } else {
            telling
        }
    }

    /// Whether `word` (folded: `folded`) is one of the [`STOP_WORDS`]: as written, or typed
    /// without its accents ("etre", "ca"). A word typed with an accent its stop word lacks
    /// means something else and is searched: "thé" is not "the", nor "maïs" "mais".
    fn is_stop_word(self, word: &str, folded: &str) -> bool {
        let lowercase = (self.lowercase)(word);
        let typed_without_accents = lowercase == folded;
        // Only the few stop words with an accent need folding to be compared.
        STOP_WORDS.split_whitespace().any(|stop| {
            stop == lowercase
                || (typed_without_accents && !stop.is_ascii() && self.text(stop) == folded)
        })
    }

    /// [`SearchFolding::chosen_words`] among all the words of `search`, or only those that
    /// are not [`STOP_WORDS`].
    fn longest_words(self, search: &str, skip_stop_words: bool) -> Vec<&str> {
        let mut chosen: Vec<(usize, &str)> = Vec::with_capacity(MAX_SEARCH_WORDS + 1);
        for word in search.split(|character: char| !(self.is_word_character)(character)) {
            let length = word.chars().count();
            let word = word
                .char_indices()
                .nth(MAX_SEARCH_WORD_CHARS)
                .map_or(word, |(end, _)| &word[..end]);
            let folded = self.text(word);
            if length < 2
                || (skip_stop_words && self.is_stop_word(word, &folded))
                || chosen.iter().any(|(_, seen)| self.text(seen) == folded)
            {
                continue;
            }
            chosen.push((length, word));
            if chosen.len() > MAX_SEARCH_WORDS {
                let shortest = chosen.iter().map(|(length, _)| *length).min();
                if let Some(last_shortest) = chosen
                    .iter()
                    .rposition(|(length, _)| Some(*length) == shortest)
                {
                    chosen.remove(last_shortest);
                }
            }
        }
        chosen.into_iter().map(|(_, word)| word).collect()
    }

    /// The byte ranges of `text` where a search word is found, in order and merged: what
    /// the widget marks, so that a visitor sees why each question is listed. Nothing when
    /// lowercasing changes how many characters `text` has (rare letters such as `İ`), as
    /// the folded text then cannot be traced back to it.
    pub fn found_ranges(self, text: &str, words: &[String]) -> Vec<Range<usize>> {
        if words.is_empty() {
            return Vec::new();
        }
        let lowercase = (self.lowercase)(text);
        if lowercase.chars().count() != text.chars().count() {
            return Vec::new();
        }
        // The folded text, and for each of its bytes where the character of `text` it comes
        // from starts.
        let mut folded = String::with_capacity(lowercase.len());
        let mut origins: Vec<usize> = Vec::with_capacity(lowercase.len());
        for ((start, _), lower) in text.char_indices().zip(lowercase.chars()) {
            push_unaccented(&mut folded, lower);
            origins.resize(folded.len(), start);
        }
        let mut found = vec![false; text.len()];
        for word in words {
            for at in word_starts(&folded, word) {
                let last = origins[at + word.len() - 1];
                let end = last + text[last..].chars().next().map_or(0, char::len_utf8);
                found[origins[at]..end].fill(true);
            }
        }
        let mut ranges: Vec<Range<usize>> = Vec::new();
        for (index, _) in found.iter().enumerate().filter(|(_, found)| **found) {
            match ranges.last_mut() {
                Some(last) if last.end == index => last.end = index + 1,
                _ => ranges.push(index..index + 1),
            }
        }
        ranges
    }

    /// Whether a word of `text` starts with any search word (or there is none), as the
    /// widget filters questions already shown while the visitor types (the worker searches
    /// the rest and ranks them).
    pub fn matches(self, text: &str, words: &[String]) -> bool {
        let text = self.text(text);
        words.is_empty()
            || words
                .iter()
                .any(|word| word_starts(&text, word).next().is_some())
    }
}

/// Where `word` is found in `folded` at the start of one of its words: at the start of the
/// text or after any character but an ASCII letter or digit, the rule the worker's search
/// applies in SQL (`GLOB '*[^a-z0-9]word*'`, see [`store::sql::SEARCH_PAGE`]). A word
/// typed finds the words it begins ("tente" finds "tentes", "ete" finds "l'été") but not
/// those it ends or sits in ("ete" does not find "crête" or "complète"); text in scripts
/// other than Latin letters is searched anywhere, as the rule sees no word in it.
fn word_starts<'t>(folded: &'t str, word: &'t str) -> impl Iterator<Item = usize> + 't {
    let mut before: Option<char> = None;
    folded.char_indices().filter_map(move |(at, character)| {
        let starts_word = !before.is_some_and(|before| before.is_ascii_alphanumeric());
        before = Some(character);
        (starts_word && !word.is_empty() && folded[at..].starts_with(word)).then_some(at)
    })
}

/// Adds a lowercase `character` to `folded` as searches compare it: without its accent.
fn push_unaccented(folded: &mut String, character: char) {
    match UNACCENTED
        .iter()
        .find(|(accented, _)| *accented == character)
    {
        Some((_, plain)) => folded.push_str(plain),
        None => folded.push(character),
    }
}

/// What the Q&A list shows for the search being typed, as the widget sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchView {
    /// Questions in the list, whatever the search.
    pub listed: usize,
    /// Of those, the ones the words typed match.
    pub matching: usize,
    /// Whether any word is typed.
    pub searching: bool,
    /// Whether the list is the worker's answer to what is typed now: not while typing
    /// pauses, nor while the worker searches.
    pub answered: bool,
}

impl SearchView {
    /// The notice shown in place of questions, if any. Until the worker has searched every
    /// question, none shown is not the same as none at all: saying so would send the
    /// visitor to ask again a question already answered further down.
    pub fn notice(self) -> Option<Text> {
        if self.matching > 0 {
            None
        } else if !self.answered {
            Some(Text::QaSearching)
        } else if self.listed == 0 && !self.searching {
            Some(Text::QaNone)
        } else {
            Some(Text::QaSearchNone)
        }
    }

    /// How many questions to tell a screen reader the search found, once the worker has
    /// answered it: a search's result is a status message (WCAG 2.2, 4.1.3). Nothing while
    /// typing pauses or the worker searches, nor when [`SearchView::notice`] speaks.
    pub fn found(self) -> Option<usize> {
        (self.searching && self.answered && self.matching > 0).then_some(self.matching)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::OrderClaim;

    fn claims(products: &[&str]) -> CustomerClaims {
        CustomerClaims {
            sub: "c-1".into(),
            exp: 1,
            orders: vec![OrderClaim {
                id: "A-1".into(),
                products: products.iter().map(|&product| product.to_owned()).collect(),
            }],
            name: None,
            email: None,
        }
    }

    #[test]
    fn no_match_is_said_only_once_the_worker_has_searched() {
        let view = |listed, matching, searching, answered| {
            SearchView {
                listed,
                matching,
                searching,
                answered,
            }
            .notice()
        };
        assert_eq!(view(5, 2, true, false), None);
        assert_eq!(view(5, 0, true, false), Some(Text::QaSearching));
        assert_eq!(view(0, 0, false, false), Some(Text::QaSearching));
        assert_eq!(view(5, 0, true, true), Some(Text::QaSearchNone));
        assert_eq!(view(0, 0, true, true), Some(Text::QaSearchNone));
        assert_eq!(view(0, 0, false, true), Some(Text::QaNone));
        assert_eq!(view(5, 5, false, true), None);
    }

    #[test]
    fn the_number_found_is_said_once_the_worker_has_searched() {
        let found = |matching, searching, answered| {
            SearchView {
                listed: 5,
                matching,
                searching,
                answered,
            }
            .found()
        };
        assert_eq!(found(2, true, true), Some(2));
        assert_eq!(
            found(2, true, false),
            None,
            "typing pauses or the worker searches"
        );
        assert_eq!(found(0, true, true), None, "the notice says there is none");
        assert_eq!(found(5, false, true), None, "no search");
    }

    #[test]
    fn badges_follow_the_token_and_its_orders() {
        assert_eq!(
            Badge::of_visitor(Some(&claims(&["tent"])), "tent"),
            Badge::VerifiedBuyer
        );
        assert_eq!(
            Badge::of_visitor(Some(&claims(&["stove"])), "tent"),
            Badge::Customer
        );
        assert_eq!(Badge::of_visitor(None, "tent"), Badge::Anonymous);
    }

    #[test]
    fn anonymous_answers_need_the_site_to_allow_them_and_always_wait() {
        let closed = QaSettings::default();
        assert_eq!(
            closed.answer_status(Badge::Anonymous),
            Err(Error::CustomerTokenRequired)
        );
        let open = QaSettings {
            allow_anonymous_answers: true,
            ..QaSettings::default()
        };
        assert_eq!(open.answer_status(Badge::Anonymous), Ok(Status::Pending));
    }

    #[test]
    fn customers_and_the_brand_are_published_as_the_site_says() {
        let default = QaSettings::default();
        assert_eq!(default.answer_status(Badge::Brand), Ok(Status::Published));
        assert_eq!(
            default.answer_status(Badge::VerifiedBuyer),
            Ok(Status::Published)
        );
        assert_eq!(default.question_status(), Status::Pending);
        let strict = QaSettings {
            publish_customer_answers_at_once: false,
            ..QaSettings::default()
        };
        assert_eq!(strict.answer_status(Badge::Customer), Ok(Status::Pending));
        assert_eq!(strict.answer_status(Badge::Brand), Ok(Status::Published));
    }

    #[test]
    fn searches_keep_their_three_longest_real_words() {
        assert_eq!(
            RUST_UNICODE.words(Some("La tente, est-elle étanche ? pluie")),
            Ok(vec!["tente".into(), "etanche".into(), "pluie".into()])
        );
        assert_eq!(
            RUST_UNICODE.words(Some("Est-ce que la tente résiste à la pluie ?")),
            Ok(vec!["tente".into(), "resiste".into(), "pluie".into()])
        );
        assert_eq!(
            RUST_UNICODE.words(Some("pluie PLUIE Pluie vent")),
            Ok(vec!["pluie".into(), "vent".into()])
        );
        assert_eq!(RUST_UNICODE.words(Some("a ?")), Ok(Vec::new()));
        assert!(RUST_UNICODE.words(Some(&"x".repeat(101))).is_err());
        let words = RUST_UNICODE.words(Some("ÉTANCHE pluie")).expect("words");
        assert!(RUST_UNICODE.matches("Est-elle étanche sous la pluie ?", &words));
        assert!(RUST_UNICODE.matches("Est-elle étanche ?", &words));
        assert!(!RUST_UNICODE.matches("Est-elle légère ?", &words));
        assert!(RUST_UNICODE.matches("Est-elle légère ?", &[]));
    }

    #[test]
    fn the_words_found_are_traced_back_to_the_text_as_written() {
        fn found<'t>(text: &'t str, search: &str) -> Vec<&'t str> {
            let words = RUST_UNICODE.words(Some(search)).expect("words");
            RUST_UNICODE
                .found_ranges(text, &words)
                .into_iter()
                .map(|range| &text[range])
                .collect()
        }
        assert_eq!(
            found(
                "Est-elle ÉTANCHE sous la pluie ? Étanche !",
                "etanche pluie"
            ),
            ["ÉTANCHE", "pluie", "Étanche"]
        );
        assert_eq!(
            found("Größe ?", "grosse"),
            ["Größe"],
            "ß folds to two letters"
        );
        assert_eq!(found("Le sœur", "soeur"), ["sœur"]);
        assert_eq!(
            found("tentes", "tente tentes"),
            ["tentes"],
            "overlaps merge"
        );
        assert_eq!(found("vent", "orage"), Vec::<&str>::new());
        assert_eq!(
            found("Crête ou l'Été ?", "ete"),
            ["Été"],
            "only where a word starts"
        );
        assert_eq!(found("Ça ? 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ça", "ca"), ["Ça", "ça"]);
        assert!(
            RUST_UNICODE
                .found_ranges("vent", &[String::new()])
                .is_empty(),
            "an empty word marks nothing"
        );
        let lengthened = SearchFolding {
            lowercase: |text| text.replace('İ', "i̇").to_lowercase(),
            is_word_character: char::is_alphanumeric,
        };
        assert!(
            lengthened
                .found_ranges("İstanbul", &["stanbul".into()])
                .is_empty()
        );
    }

    #[test]
    fn words_that_tell_nothing_count_only_when_nothing_else_is_typed() {
        assert_eq!(
            RUST_UNICODE.words(Some("Is this tent really waterproof when it rains?")),
            Ok(vec!["tent".into(), "waterproof".into(), "rains".into()])
        );
        assert_eq!(
            RUST_UNICODE.words(Some("Bonjour, est-ce que ça résiste ?")),
            Ok(vec!["resiste".into()])
        );
        assert_eq!(
            RUST_UNICODE.words(Some("Est-ce que")),
            Ok(vec!["est".into(), "ce".into(), "que".into()])
        );
        assert_eq!(
            RUST_UNICODE.words(Some("Un bijou en or pour mon son")),
            Ok(vec!["bijou".into(), "or".into(), "son".into()])
        );
        assert_eq!(
            RUST_UNICODE.words(Some("Le thé est-il très bon ?")),
            Ok(vec!["the".into(), "bon".into()]),
            "a word with an accent its stop word lacks means something else"
        );
        assert_eq!(
            RUST_UNICODE.words(Some("Du maïs, mais où ?")),
            Ok(vec!["mais".into()])
        );
        assert_eq!(
            RUST_UNICODE.words(Some("Peut-on etre sur que ca tient, là ou ailleurs ?")),
            Ok(vec!["tient".into(), "ailleurs".into()]),
            "stop words typed without their accents"
        );
        assert_eq!(
            RUST_UNICODE.words(Some("Est-ce ÊTRE ou ÇA ?")),
            Ok(vec!["est".into(), "ce".into(), "etre".into()]),
            "the capitals of stop words, as written"
        );
    }

    #[test]
    fn a_widget_sends_the_words_that_count_within_the_length_the_worker_reads() {
        let question = "Bonjour, est-ce que cette tente supporte vraiment une nuit entière \
                        de tempête en haute montagne, avec des rafales à plus de 90 km/h ?";
        assert!(question.chars().count() > MAX_SEARCH_CHARS);
        let query = RUST_UNICODE.query(question);
        assert_eq!(query, "supporte entière montagne");
        assert_eq!(
            RUST_UNICODE.words(Some(&query)),
            Ok(vec!["supporte".into(), "entiere".into(), "montagne".into()])
        );
        assert_eq!(
            Ok(RUST_UNICODE.words_of(question)),
            RUST_UNICODE.words(Some(&query))
        );
        let endless = "é".repeat(400);
        let query = RUST_UNICODE.query(&format!("{endless} {endless}x {endless}y {endless}z"));
        assert!(query.chars().count() <= MAX_SEARCH_CHARS);
        assert_eq!(
            RUST_UNICODE.words(Some(&query)).map(|words| words.len()),
            Ok(1)
        );
        assert_eq!(RUST_UNICODE.query("a ?"), "");
    }

    #[test]
    fn searches_use_the_unicode_data_their_side_brings() {
        let ascii_only = SearchFolding {
            lowercase: str::to_ascii_lowercase,
            is_word_character: |character| character.is_ascii_alphanumeric(),
        };
        assert_eq!(
            ascii_only.words(Some("ÉTÉ chaud")),
            Ok(vec!["chaud".into()])
        );
        assert_eq!(ascii_only.text("ÉTÉ"), "ÉtÉ");
        assert_eq!(
            RUST_UNICODE.words(Some("ÉTÉ chaud")),
            Ok(vec!["ete".into(), "chaud".into()])
        );
    }

    #[test]
    fn a_search_word_finds_the_words_it_begins_not_those_it_sits_in() {
        let words = RUST_UNICODE.words(Some("été")).expect("words");
        assert!(RUST_UNICODE.matches("Et pour l'été ?", &words));
        assert!(RUST_UNICODE.matches("Été comme hiver", &words));
        assert!(RUST_UNICODE.matches("Toile (étendue) au sol", &words));
        assert!(!RUST_UNICODE.matches("Une crête, une tente complète", &words));
        let words = RUST_UNICODE.words(Some("tente 20")).expect("words");
        assert!(RUST_UNICODE.matches("Les tentes", &words));
        assert!(RUST_UNICODE.matches("à -20 °C", &words));
        assert!(!RUST_UNICODE.matches("Une attente de 120 jours", &words));
        assert!(RUST_UNICODE.matches("La sous-tente", &words));
        let words = RUST_UNICODE.words(Some("帐篷")).expect("words");
        assert!(
            RUST_UNICODE.matches("这个帐篷防水吗", &words),
            "no Latin word to start: found anywhere"
        );
    }

    #[test]
    fn searches_need_no_accents_and_accents_need_no_exact_match() {
        let words = RUST_UNICODE.words(Some("etanche legere")).expect("words");
        assert!(RUST_UNICODE.matches("Étanche et légère ?", &words));
        let words = RUST_UNICODE.words(Some("sœur Größe")).expect("words");
        assert_eq!(words, ["soeur", "grosse"]);
        assert!(RUST_UNICODE.matches("Pour ma SOEUR, quelle grosse ?", &words));
        assert_eq!(RUST_UNICODE.text("Ça coûte 20 € ?"), "ca coute 20 € ?");
    }
}
