//! Net Promoter Score rules: what a score makes of a visitor, how the NPS is computed, and
//! the survey form's state machine that the `<pv-nps>` widget drives.

use serde::{Deserialize, Serialize};

use crate::DAY_MS;
use crate::form::Hold;
use crate::validate;
use crate::wire::NpsSummary;

/// The lowest and highest answers on the NPS scale.
pub const SCORES: std::ops::RangeInclusive<u8> = 0..=10;

/// What a score says about a customer, per the NPS definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// 9–10: likely advocates, to be invited to review, share and refer.
    Promoter,
    /// 7–8: satisfied but not enthusiastic.
    Passive,
    /// 0–6: unhappy customers who need care, fast.
    Detractor,
}

impl Category {
    /// The category of a score on the 0–10 scale (scores above 10 are rejected earlier).
    pub fn of(score: u8) -> Category {
        match score {
            9.. => Category::Promoter,
            7 | 8 => Category::Passive,
            _ => Category::Detractor,
        }
    }

    /// The lowercase name used on the wire and in storage.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Promoter => "promoter",
            Category::Passive => "passive",
            Category::Detractor => "detractor",
        }
    }
}

/// Raw counts of answers, as the store computes them in SQL.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NpsCounts {
    /// All answers in the range.
    pub total: u64,
    /// Answers scoring 9–10.
    pub promoters: u64,
    /// Answers scoring 0–6.
    pub detractors: u64,
}

impl NpsCounts {
    /// Answers scoring 7–8: whatever is neither promoter nor detractor.
    pub fn passives(&self) -> u64 {
        self.total.saturating_sub(self.promoters + self.detractors)
    }

    /// % promoters − % detractors, from −100 to +100, rounded to one decimal; `None`
    /// without answers, because a score of 0 would claim a balance nobody expressed.
    pub fn nps(&self) -> Option<f64> {
        if self.total == 0 {
            return None;
        }
        let difference = self.promoters as f64 - self.detractors as f64;
        Some((difference * 1000.0 / self.total as f64).round() / 10.0)
    }

    /// The wire summary for a date range.
    pub fn summary(&self, from: Option<String>, to: Option<String>) -> NpsSummary {
        NpsSummary {
            from,
            to,
            total: self.total,
            promoters: self.promoters,
            passives: self.passives(),
            detractors: self.detractors,
            nps: self.nps(),
        }
    }
}

/// Whole percentages of `parts` in their sum, adding up to exactly 100 (the largest
/// remainders take the points rounding leaves over), so that a split of promoters, passives
/// and detractors never reads 99 % or 101 %. All zero when there is nothing to share.
pub fn whole_percentages<const N: usize>(parts: [u64; N]) -> [u64; N] {
    let total: u64 = parts.iter().sum();
    let mut shares = [0; N];
    if total == 0 {
        return shares;
    }
    let mut remainders = [0; N];
    for index in 0..N {
        shares[index] = parts[index] * 100 / total;
        remainders[index] = parts[index] * 100 % total;
    }
    let left_over = 100 - shares.iter().sum::<u64>();
    // The remainders add up to `left_over` totals, each less than one: at least
    // `left_over` of them are above zero, and each takes one point.
    for _ in 0..left_over {
        let largest = (0..N).rev().max_by_key(|&index| remainders[index]);
        if let Some(index) = largest {
            shares[index] += 1;
            remainders[index] = 0;
        }
    }
    shares
}

/// Where the survey form is in its short life.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    /// The visitor is choosing a score and writing a comment.
    Editing,
    /// The answer is on its way.
    Sending,
    /// The answer has not reached the worker yet (`Hold` says why); it is saved and resent
    /// with the same idempotency key, by itself with backoff or at once when the visitor
    /// asks.
    WaitingToRetry(Hold),
    /// The worker stored the answer.
    Sent(Category),
}

/// Everything the visitor can do to the form, and everything the network can answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormAction {
    /// A score was chosen on the 0–10 scale.
    PickScore(u8),
    /// The comment box changed.
    EditComment(String),
    /// The visitor pressed send; `fresh_key` is used unless a retry key is pending.
    Submit {
        /// A new random idempotency key, used only for a first attempt.
        fresh_key: String,
    },
    /// The worker stored the answer (or had already stored it).
    Stored(Category),
    /// The worker refused the answer: nothing was stored, the visitor may fix it.
    Refused(String),
    /// The answer may not have arrived, or the worker asked to wait: keep the key and
    /// offer a retry.
    Held(Hold),
}

/// How a site runs its NPS survey.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NpsSettings {
    /// Days a browser that answered is thanked for its answer instead of asked again, so
    /// that a reload or the next page does not survey the visitor twice in a row; 0 asks on
    /// every visit (a survey per order, say).
    pub ask_again_after_days: u32,
}

impl Default for NpsSettings {
    fn default() -> Self {
        NpsSettings {
            ask_again_after_days: 90,
        }
    }
}

/// The longest a site may wait before asking a browser again: ten years.
pub const MAX_ASK_AGAIN_AFTER_DAYS: u32 = 3650;

/// Where a browser posts an answer to `site`'s survey, under the worker's `api_base`
/// (which ends in `/`).
pub fn answer_url(api_base: &str, site: &str) -> String {
    format!("{api_base}v1/sites/{site}/nps")
}

/// The site of a URL [`answer_url`] made, `None` for any other: the outbox keeps only the
/// URL of a write, and must forget the kept answer of the survey whose answer it delivered
/// and the worker refused, even from a page without that survey.
pub fn site_of_answer_url(url: &str) -> Option<&str> {
    let (before, site) = url.strip_suffix("/nps")?.rsplit_once('/')?;
    (before.ends_with("/v1/sites") && validate::site_key(site).is_ok()).then_some(site)
}

/// A browser's last answer, as the widget remembers it in the page's storage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LastAnswer {
    /// When the visitor sent it, Unix ms.
    pub at_ms: i64,
    /// What it made of the visitor, for the thanks shown again.
    pub category: Category,
}

impl LastAnswer {
    /// As kept in storage, `{at_ms} {category}`: written by hand, so that the widgets
    /// carry no serde code for it.
    pub fn stored(&self) -> String {
        format!("{} {}", self.at_ms, self.category.as_str())
    }

    /// True when this answer was sent at or after `shown_at_ms`, the time a survey was
    /// shown: then it was given elsewhere (another tab or survey of the page) while that
    /// survey stood open, and [`NpsForm::shown_phase`] closes it.
    pub fn given_since(&self, shown_at_ms: i64) -> bool {
        self.at_ms >= shown_at_ms
    }

    /// Reads what [`LastAnswer::stored`] wrote; `None` for anything else.
    pub fn from_stored(text: &str) -> Option<LastAnswer> {
        let (at_ms, category) = text.split_once(' ')?;
        let category = [Category::Promoter, Category::Passive, Category::Detractor]
            .into_iter()
            .find(|known| known.as_str() == category)?;
        Some(LastAnswer {
            at_ms: at_ms.parse().ok()?,
            category,
        })
    }
}

impl NpsSettings {
    /// The earlier answer to thank the visitor for at `now_ms` instead of asking again,
    /// if any. An answer dated in the future (the clock was set back) still counts.
    pub fn thanked_for(&self, last: Option<LastAnswer>, now_ms: i64) -> Option<Category> {
        let wait_ms = i64::from(self.ask_again_after_days) * DAY_MS;
        last.filter(|last| now_ms.saturating_sub(last.at_ms) < wait_ms)
            .map(|last| last.category)
    }
}

/// The state of one `<pv-nps>` form. Pure, so every transition is tested natively.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NpsForm {
    /// The chosen score, if any.
    pub score: Option<u8>,
    /// The comment as typed.
    pub comment: String,
    /// Where the form is.
    pub phase: Phase,
    /// The idempotency key of the answer in flight, kept across retries.
    pub idempotency_key: Option<String>,
    /// Why the worker refused the last attempt, shown to the visitor.
    pub refusal: Option<String>,
}

impl Default for NpsForm {
    fn default() -> Self {
        NpsForm {
            score: None,
            comment: String::new(),
            phase: Phase::Editing,
            idempotency_key: None,
            refusal: None,
        }
    }
}

impl NpsForm {
    /// The category of the chosen score, which decides the comment prompt.
    pub fn category(&self) -> Option<Category> {
        self.score.map(Category::of)
    }

    /// True when the comment breaks the length rule; the form shows it before sending.
    pub fn comment_too_long(&self) -> bool {
        validate::comment_too_long(&self.comment)
    }

    /// The comment as sent: trimmed, `None` when blank, and without the control characters
    /// (other than line breaks and tabs) a paste can carry unseen and the worker refuses,
    /// so the visitor is not refused for what they cannot see.
    pub fn comment_to_send(&self) -> Option<String> {
        let visible = validate::without_unseen_controls(&self.comment);
        let trimmed = visible.trim();
        (!trimmed.is_empty()).then(|| trimmed.to_owned())
    }

    /// True when pressing send would send something.
    pub fn can_submit(&self) -> bool {
        self.score.is_some()
            && !self.comment_too_long()
            && matches!(self.phase, Phase::Editing | Phase::WaitingToRetry(_))
    }

    /// What the widget shows: the thanks for an earlier answer (`thanked_for`) while this
    /// form is untouched, and over a form being filled in when that answer was given after
    /// the form was shown (`answered_since_shown`: in another tab or survey of the page,
    /// and sending this one too would count the visitor twice); else this form's own phase.
    pub fn shown_phase(&self, thanked_for: Option<Category>, answered_since_shown: bool) -> Phase {
        match thanked_for {
            Some(category)
                if *self == NpsForm::default()
                    || (answered_since_shown && self.phase == Phase::Editing) =>
            {
                Phase::Sent(category)
            }
            _ => self.phase.clone(),
        }
    }

    /// True while the answer is being sent or waits for a retry: inputs stay as they are,
    /// so a retry sends exactly what the first attempt did.
    pub fn locked(&self) -> bool {
        matches!(self.phase, Phase::Sending | Phase::WaitingToRetry(_))
    }

    /// The next state after `action`. Actions that make no sense now change nothing.
    pub fn apply(&self, action: FormAction) -> NpsForm {
        let mut next = self.clone();
        match action {
            FormAction::PickScore(score) if SCORES.contains(&score) && !self.locked() => {
                next.score = Some(score);
            }
            FormAction::EditComment(comment) if !self.locked() => next.comment = comment,
            FormAction::Submit { fresh_key } if self.can_submit() => {
                next.idempotency_key = Some(self.idempotency_key.clone().unwrap_or(fresh_key));
                next.phase = Phase::Sending;
                next.refusal = None;
            }
            FormAction::Stored(category) if self.locked() => {
                next.phase = Phase::Sent(category);
                next.idempotency_key = None;
            }
            FormAction::Refused(reason) if self.locked() => {
                next.phase = Phase::Editing;
                next.idempotency_key = None;
                next.refusal = Some(reason);
            }
            FormAction::Held(hold) if self.locked() => {
                next.phase = Phase::WaitingToRetry(hold);
            }
            _ => {}
        }
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_url_gives_back_its_site_and_no_other_url_gives_one() {
        for api_base in ["https://api.example/", "http://127.0.0.1:8787/pv/"] {
            let url = answer_url(api_base, "cairn-shop");
            assert_eq!(site_of_answer_url(&url), Some("cairn-shop"));
        }
        for url in [
            "https://api.example/v1/sites/cairn/shares",
            "https://api.example/v1/sites/cairn/products/nps",
            "https://api.example/v1/sites/cairn/products/tent/reviews",
            "https://api.example/v1/sites//nps",
            "https://api.example/v1/sites/Cairn Shop/nps",
            "https://api.example/nps",
            "nps",
        ] {
            assert_eq!(site_of_answer_url(url), None, "{url}");
        }
    }

    #[test]
    fn a_browser_that_answered_is_thanked_until_the_site_asks_again() {
        let now = 1_000 * DAY_MS;
        let answered = |days_ago: i64| {
            Some(LastAnswer {
                at_ms: now - days_ago * DAY_MS,
                category: Category::Promoter,
            })
        };
        let every = |days| NpsSettings {
            ask_again_after_days: days,
        };
        assert_eq!(
            every(90).thanked_for(answered(0), now),
            Some(Category::Promoter)
        );
        assert_eq!(
            every(90).thanked_for(answered(89), now),
            Some(Category::Promoter)
        );
        assert_eq!(every(90).thanked_for(answered(90), now), None);
        assert_eq!(every(90).thanked_for(None, now), None);
        assert_eq!(
            every(0).thanked_for(answered(0), now),
            None,
            "0 asks every visit"
        );
        assert_eq!(
            every(90).thanked_for(answered(-3), now),
            Some(Category::Promoter),
            "an answer from a clock set back"
        );
        assert_eq!(
            every(MAX_ASK_AGAIN_AFTER_DAYS).thanked_for(answered(3649), now),
            Some(Category::Promoter)
        );
    }

    #[test]
    fn a_last_answer_reads_back_what_was_stored_and_nothing_else() {
        let answer = LastAnswer {
            at_ms: 1_796_541_591_696,
            category: Category::Passive,
        };
        assert_eq!(answer.stored(), "1796541591696 passive");
        assert_eq!(LastAnswer::from_stored(&answer.stored()), Some(answer));
        for text in [
            "",
            "1796541591696",
            "soon passive",
            "1796541591696 fan",
            "{\"at_ms\":1}",
        ] {
            assert_eq!(LastAnswer::from_stored(text), None, "{text:?}");
        }
    }

    #[test]
    fn the_thanks_for_an_answer_from_before_the_form_shows_only_over_an_untouched_form() {
        let earlier = Some(Category::Detractor);
        let form = NpsForm::default();
        assert_eq!(
            form.shown_phase(earlier, false),
            Phase::Sent(Category::Detractor)
        );
        assert_eq!(form.shown_phase(None, false), Phase::Editing);
        let picked = form.apply(FormAction::PickScore(9));
        assert_eq!(picked.shown_phase(earlier, false), Phase::Editing);
    }

    #[test]
    fn an_answer_counts_as_given_since_a_survey_was_shown_from_that_millisecond_on() {
        let answer = LastAnswer {
            at_ms: 1_000,
            category: Category::Passive,
        };
        assert!(answer.given_since(999));
        assert!(answer.given_since(1_000));
        assert!(!answer.given_since(1_001));
    }

    #[test]
    fn an_answer_given_elsewhere_after_the_form_was_shown_closes_it_unless_it_is_sending() {
        let elsewhere = Some(Category::Promoter);
        let typing = NpsForm::default()
            .apply(FormAction::PickScore(3))
            .apply(FormAction::EditComment("Trop lourde".into()));
        assert_eq!(
            typing.shown_phase(elsewhere, true),
            Phase::Sent(Category::Promoter)
        );
        assert_eq!(
            typing.shown_phase(None, true),
            Phase::Editing,
            "forgotten: asked again"
        );
        let sending = typing.apply(FormAction::Submit {
            fresh_key: "key".into(),
        });
        assert_eq!(sending.shown_phase(elsewhere, true), Phase::Sending);
    }

    #[test]
    fn whole_percentages_add_up_to_one_hundred() {
        assert_eq!(whole_percentages([3, 1, 2]), [50, 17, 33]);
        assert_eq!(whole_percentages([1, 1, 1]), [34, 33, 33]);
        assert_eq!(whole_percentages([2, 0, 1]), [67, 0, 33]);
        assert_eq!(whole_percentages([5, 0, 0]), [100, 0, 0]);
        assert_eq!(whole_percentages([0, 0, 0]), [0, 0, 0]);
        for parts in [
            [7, 13, 1],
            [1, 1, 998],
            [333, 333, 334],
            [u64::from(u32::MAX), 1, 1],
        ] {
            assert_eq!(
                whole_percentages(parts).iter().sum::<u64>(),
                100,
                "{parts:?}"
            );
        }
    }

    #[test]
    fn the_comment_sent_leaves_out_what_the_visitor_cannot_see() {
        let form = |comment: &str| NpsForm {
            comment: comment.into(),
            ..NpsForm::default()
        };
        assert_eq!(form("  \n ").comment_to_send(), None);
        assert_eq!(form("\u{0}\u{7}").comment_to_send(), None);
        let pasted = form(" Solide,\u{b} légère.\r\n\tMerci\u{1b} !\u{0} ");
        assert_eq!(
            pasted.comment_to_send().as_deref(),
            Some("Solide, légère.\r\n\tMerci !")
        );
        let sent = pasted.comment_to_send().unwrap_or_default();
        assert_eq!(validate::comment(&sent).ok(), Some(Some(sent.clone())));
    }

    #[test]
    fn category_boundaries_follow_the_nps_definition() {
        for score in 0..=6 {
            assert_eq!(Category::of(score), Category::Detractor, "score {score}");
        }
        assert_eq!(Category::of(7), Category::Passive);
        assert_eq!(Category::of(8), Category::Passive);
        assert_eq!(Category::of(9), Category::Promoter);
        assert_eq!(Category::of(10), Category::Promoter);
    }

    #[test]
    fn nps_is_promoter_share_minus_detractor_share() {
        let counts = NpsCounts {
            total: 4,
            promoters: 2,
            detractors: 1,
        };
        assert_eq!(counts.passives(), 1);
        assert_eq!(counts.nps(), Some(25.0));
    }

    #[test]
    fn nps_spans_minus_100_to_100_and_rounds_to_one_decimal() {
        let all_promoters = NpsCounts {
            total: 3,
            promoters: 3,
            detractors: 0,
        };
        let all_detractors = NpsCounts {
            total: 3,
            promoters: 0,
            detractors: 3,
        };
        let one_in_three = NpsCounts {
            total: 3,
            promoters: 1,
            detractors: 0,
        };
        assert_eq!(all_promoters.nps(), Some(100.0));
        assert_eq!(all_detractors.nps(), Some(-100.0));
        assert_eq!(one_in_three.nps(), Some(33.3));
    }

    #[test]
    fn nps_without_answers_is_none_not_zero() {
        let summary = NpsCounts::default().summary(None, None);
        assert_eq!(summary.nps, None);
        assert_eq!(summary.total, 0);
        assert_eq!(summary.passives, 0);
    }

    fn submitted(form: NpsForm) -> NpsForm {
        form.apply(FormAction::Submit {
            fresh_key: "key-1".into(),
        })
    }

    #[test]
    fn form_cannot_be_sent_without_a_score() {
        let form = submitted(NpsForm::default());
        assert_eq!(form.phase, Phase::Editing);
        assert_eq!(form.idempotency_key, None);
    }

    #[test]
    fn form_rejects_scores_off_the_scale() {
        let form = NpsForm::default().apply(FormAction::PickScore(11));
        assert_eq!(form.score, None);
    }

    #[test]
    fn a_retry_reuses_the_first_idempotency_key() {
        let form = submitted(NpsForm::default().apply(FormAction::PickScore(9)));
        assert_eq!(form.phase, Phase::Sending);
        let waiting = form.apply(FormAction::Held(Hold::Unreachable));
        assert_eq!(waiting.phase, Phase::WaitingToRetry(Hold::Unreachable));
        let retried = waiting.apply(FormAction::Submit {
            fresh_key: "key-2".into(),
        });
        assert_eq!(retried.idempotency_key.as_deref(), Some("key-1"));
        assert_eq!(
            retried.apply(FormAction::Stored(Category::Promoter)).phase,
            Phase::Sent(Category::Promoter)
        );
    }

    #[test]
    fn a_background_retry_can_store_the_answer_while_it_waits() {
        let waiting = submitted(NpsForm::default().apply(FormAction::PickScore(8)))
            .apply(FormAction::Held(Hold::Unreachable));
        assert_eq!(
            waiting.apply(FormAction::Stored(Category::Passive)).phase,
            Phase::Sent(Category::Passive)
        );
        assert_eq!(waiting.apply(FormAction::Held(Hold::Unreachable)), waiting);
        assert_eq!(
            waiting.apply(FormAction::Held(Hold::Busy)).phase,
            Phase::WaitingToRetry(Hold::Busy),
            "a background retry's answer says why it still waits"
        );
    }

    #[test]
    fn inputs_are_locked_while_an_answer_is_in_flight() {
        let form = submitted(NpsForm::default().apply(FormAction::PickScore(3)));
        let unchanged = form
            .apply(FormAction::PickScore(10))
            .apply(FormAction::EditComment("changed".into()));
        assert_eq!(unchanged.score, Some(3));
        assert_eq!(unchanged.comment, "");
    }

    #[test]
    fn a_refusal_unlocks_the_form_and_drops_the_key() {
        let form = submitted(NpsForm::default().apply(FormAction::PickScore(5)))
            .apply(FormAction::Refused("comment too long".into()));
        assert_eq!(form.phase, Phase::Editing);
        assert_eq!(form.idempotency_key, None);
        assert_eq!(form.refusal.as_deref(), Some("comment too long"));
    }

    #[test]
    fn an_overlong_comment_blocks_sending() {
        let form = NpsForm::default()
            .apply(FormAction::PickScore(8))
            .apply(FormAction::EditComment("é".repeat(2001)));
        assert!(form.comment_too_long());
        assert!(!form.can_submit());
    }
}
