//! A product's published reviews or questions as a widget shows them: a first page, more
//! pages appended as the visitor asks, helpful counts updated in place, and the list shown
//! (marked as no longer the one asked for) while another sort or search brings its own.
//! Every change is an [`Action`] applied to the list as it is when the change arrives,
//! never to a copy taken when its request left: an answer that comes late (a page asked
//! for before the visitor re-sorted or searched again, a vote counted while more were
//! loading) neither undoes what came meanwhile nor lands in a list it no longer belongs
//! to.

use crate::wire::{QuestionPage, ReviewPage};

/// A page of a list the worker pages with a cursor.
pub trait Page: Clone + PartialEq {
    /// Where the next page starts; `None` on the last page.
    fn next_cursor(&self) -> Option<&str>;

    /// Puts the items of `next`, the page after this one, after this page's; `next`'s
    /// cursor (and any totals over the whole list it carries) replace this page's.
    fn append(&mut self, next: Self);

    /// Sets the helpful count of the item `id` (a review, an answer) wherever it is shown.
    fn set_helpful_count(&mut self, id: &str, count: u64);
}

impl Page for ReviewPage {
    fn next_cursor(&self) -> Option<&str> {
        self.next_cursor.as_deref()
    }

    fn append(&mut self, next: ReviewPage) {
        self.reviews.extend(next.reviews);
        self.summary = next.summary;
        self.next_cursor = next.next_cursor;
    }

    fn set_helpful_count(&mut self, id: &str, count: u64) {
        for review in self.reviews.iter_mut().filter(|review| review.id == id) {
            review.helpful_count = count;
        }
    }
}

impl Page for QuestionPage {
    fn next_cursor(&self) -> Option<&str> {
        self.next_cursor.as_deref()
    }

    fn append(&mut self, next: QuestionPage) {
        self.questions.extend(next.questions);
        self.next_cursor = next.next_cursor;
    }

    fn set_helpful_count(&mut self, id: &str, count: u64) {
        for question in &mut self.questions {
            for answer in question.answers.iter_mut().filter(|answer| answer.id == id) {
                question.helpful_total =
                    (question.helpful_total + count).saturating_sub(answer.helpful_count);
                answer.helpful_count = count;
            }
        }
    }
}

/// What a widget shows of its list.
#[derive(Debug, Clone, PartialEq)]
pub enum Shown<P> {
    /// The first page is on its way.
    Loading,
    /// The pages read so far, as one.
    Ready {
        /// Every item shown, with the latest page's cursor.
        page: P,
        /// What is on its way for it.
        pending: Pending,
    },
    /// The first page could not be read.
    Failed(Failure),
}

/// Why a first page could not be read, which decides whether asking again may bring it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The worker could not be reached or was unavailable: asking again may bring the list.
    Unreachable,
    /// The worker refused the request, or it could not be made (the element names no
    /// product): asking again would be refused again.
    Refused,
}

/// What is on its way for a list shown. While anything is, the list is marked busy and
/// offers no more.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pending {
    /// Nothing: the list is as the worker last gave it.
    Nothing,
    /// The page after those shown.
    More,
    /// The first page of a new list (another sort or search, a reload), which replaces this
    /// one when it comes: the list shown is no longer the one asked for.
    NewList,
}

impl Pending {
    /// Whether anything is on its way (the list's `aria-busy`, and its "more" disabled).
    pub fn is_busy(self) -> bool {
        self != Pending::Nothing
    }
}

/// The list of one widget and the request its pages must answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Listing<P> {
    /// What is shown.
    pub shown: Shown<P>,
    /// The latest request for a first page: answers to earlier ones are dropped.
    request: u32,
}

impl<P> Default for Listing<P> {
    fn default() -> Self {
        Listing {
            shown: Shown::Loading,
            request: 0,
        }
    }
}

/// A change to a [`Listing`]. The `u32` is the request it answers: the widget numbers its
/// requests for a first page, increasing, and a load-more click belongs to the request
/// whose list it was made on ([`Listing::request`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Action<P> {
    /// A first page is asked for (another sort or search, or a reload after a post).
    Asked(u32),
    /// The first page arrived.
    Loaded(u32, P),
    /// The first page could not be read.
    Failed(u32, Failure),
    /// The page after those shown is asked for.
    MoreAsked(u32),
    /// The page after those shown arrived.
    MoreLoaded(u32, P),
    /// The page after those shown could not be read: its button is offered again.
    MoreFailed(u32),
    /// A helpful vote was counted: the item with this id (a review, an answer) now has
    /// this count.
    HelpfulCounted(String, u64),
}

impl<P: Page> Listing<P> {
    /// The latest request for a first page, to which a load-more click belongs.
    pub fn request(&self) -> u32 {
        self.request
    }

    /// The cursor to ask the next page with: `None` on the last page, or while a page is
    /// on its way (a second click asks nothing).
    pub fn more_cursor(&self) -> Option<&str> {
        match &self.shown {
            Shown::Ready {
                page,
                pending: Pending::Nothing,
            } => page.next_cursor(),
            _ => None,
        }
    }

    /// The list after `action`.
    #[must_use]
    pub fn apply(mut self, action: Action<P>) -> Listing<P> {
        let current = self.request;
        match action {
            Action::Asked(request) => {
                self.request = request;
                match &mut self.shown {
                    Shown::Ready { pending, .. } => *pending = Pending::NewList,
                    shown => *shown = Shown::Loading,
                }
            }
            Action::Loaded(request, page) if request == current => {
                self.shown = Shown::Ready {
                    page,
                    pending: Pending::Nothing,
                };
            }
            Action::Failed(request, failure) if request == current => {
                self.shown = Shown::Failed(failure);
            }
            Action::MoreAsked(request) if request == current => {
                if let Shown::Ready {
                    pending: pending @ Pending::Nothing,
                    ..
                } = &mut self.shown
                {
                    *pending = Pending::More;
                }
            }
            Action::MoreLoaded(request, next) if request == current => {
                if let Shown::Ready {
                    page,
                    pending: pending @ Pending::More,
                } = &mut self.shown
                {
                    page.append(next);
                    *pending = Pending::Nothing;
                }
            }
            Action::MoreFailed(request) if request == current => {
                if let Shown::Ready {
                    pending: pending @ Pending::More,
                    ..
                } = &mut self.shown
                {
                    *pending = Pending::Nothing;
                }
            }
            Action::HelpfulCounted(id, count) => {
                if let Shown::Ready { page, .. } = &mut self.shown {
                    page.set_helpful_count(&id, count);
                }
            }
            Action::Loaded(..)
            | Action::Failed(..)
            | Action::MoreAsked(_)
            | Action::MoreLoaded(..)
            | Action::MoreFailed(_) => {}
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dict::Dict;
    use crate::qa::Badge;
    use crate::review::ReviewSort;
    use crate::wire::{PublicAnswer, PublicQuestion, PublicReview, ReviewSummary};

    fn review(id: &str, helpful_count: u64) -> PublicReview {
        PublicReview {
            id: id.to_owned(),
            rating: 5,
            title: "Warm".to_owned(),
            text: "Slept well at -15.".to_owned(),
            author_name: "Lou".to_owned(),
            verified: false,
            created_at: 1_700_000_000_000,
            helpful_count,
            reply: None,
        }
    }

    fn review_page(ids: &[&str], count: u64, next_cursor: Option<&str>) -> ReviewPage {
        ReviewPage {
            product: "duvet".to_owned(),
            sort: ReviewSort::Newest,
            rating: None,
            summary: ReviewSummary {
                count,
                average: Some(5.0),
                histogram: Dict::default(),
            },
            reviews: ids.iter().map(|id| review(id, 0)).collect(),
            next_cursor: next_cursor.map(str::to_owned),
        }
    }

    fn shown_ids(listing: &Listing<ReviewPage>) -> Vec<&str> {
        match &listing.shown {
            Shown::Ready { page, .. } => page.reviews.iter().map(|r| r.id.as_str()).collect(),
            _ => Vec::new(),
        }
    }

    fn loaded(request: u32, page: ReviewPage) -> Listing<ReviewPage> {
        Listing::default()
            .apply(Action::Asked(request))
            .apply(Action::Loaded(request, page))
    }

    #[test]
    fn pages_append_in_order_and_the_last_one_offers_no_more() {
        let listing = loaded(1, review_page(&["a", "b"], 3, Some("c1")));
        assert_eq!(listing.more_cursor(), Some("c1"));
        let listing = listing.apply(Action::MoreAsked(1));
        assert_eq!(listing.more_cursor(), None, "one page on its way at a time");
        let listing = listing.apply(Action::MoreLoaded(1, review_page(&["c"], 4, None)));
        assert_eq!(shown_ids(&listing), ["a", "b", "c"]);
        assert_eq!(listing.more_cursor(), None);
        let Shown::Ready { page, pending } = &listing.shown else {
            panic!("ready");
        };
        assert_eq!(*pending, Pending::Nothing);
        assert_eq!(
            page.summary.count, 4,
            "the later page's totals are the newer"
        );
    }

    #[test]
    fn a_failed_next_page_offers_its_button_again_and_keeps_the_list() {
        let listing = loaded(1, review_page(&["a"], 2, Some("c1")))
            .apply(Action::MoreAsked(1))
            .apply(Action::MoreFailed(1));
        assert_eq!(shown_ids(&listing), ["a"]);
        assert_eq!(listing.more_cursor(), Some("c1"));
    }

    #[test]
    fn answers_to_an_earlier_request_are_dropped() {
        let listing = loaded(1, review_page(&["a"], 2, Some("c1")))
            .apply(Action::MoreAsked(1))
            .apply(Action::Asked(2));
        assert_eq!(shown_ids(&listing), ["a"], "shown until the new list comes");
        assert!(matches!(
            listing.shown,
            Shown::Ready {
                pending: Pending::NewList,
                ..
            }
        ));
        assert_eq!(
            listing.more_cursor(),
            None,
            "no more of a list being replaced"
        );
        let listing = listing
            .apply(Action::Loaded(1, review_page(&["old"], 1, None)))
            .apply(Action::Failed(1, Failure::Unreachable));
        assert_eq!(shown_ids(&listing), ["a"], "request 2 is still awaited");
        let listing = listing.apply(Action::Loaded(2, review_page(&["x", "y"], 5, Some("c2"))));
        let listing = listing.apply(Action::MoreLoaded(1, review_page(&["late"], 2, None)));
        assert_eq!(
            shown_ids(&listing),
            ["x", "y"],
            "request 1's next page is not added"
        );
        assert_eq!(listing.more_cursor(), Some("c2"));
    }

    #[test]
    fn a_list_asked_for_again_after_a_failure_shows_it_loading() {
        let listing = Listing::<ReviewPage>::default()
            .apply(Action::Asked(1))
            .apply(Action::Failed(1, Failure::Refused));
        assert_eq!(listing.shown, Shown::Failed(Failure::Refused));
        let listing = listing.apply(Action::Asked(2));
        assert_eq!(listing.shown, Shown::Loading);
    }

    #[test]
    fn a_next_page_nobody_asked_for_is_not_added() {
        let listing = loaded(1, review_page(&["a"], 2, Some("c1")))
            .apply(Action::MoreLoaded(1, review_page(&["b"], 2, None)));
        assert_eq!(shown_ids(&listing), ["a"]);
    }

    #[test]
    fn a_vote_counted_while_more_load_keeps_both() {
        let listing = loaded(1, review_page(&["a", "b"], 3, Some("c1")))
            .apply(Action::MoreAsked(1))
            .apply(Action::HelpfulCounted("b".to_owned(), 7))
            .apply(Action::MoreLoaded(1, review_page(&["c"], 3, None)));
        let Shown::Ready { page, .. } = &listing.shown else {
            panic!("ready");
        };
        let counts: Vec<u64> = page.reviews.iter().map(|r| r.helpful_count).collect();
        assert_eq!(counts, [0, 7, 0]);
    }

    #[test]
    fn a_vote_before_the_list_is_shown_changes_nothing() {
        let listing =
            Listing::<ReviewPage>::default().apply(Action::HelpfulCounted("a".to_owned(), 1));
        assert_eq!(listing.shown, Shown::Loading);
    }

    #[test]
    fn an_answer_vote_updates_the_answer_and_its_question_total() {
        let answer = |id: &str, helpful_count| PublicAnswer {
            id: id.to_owned(),
            text: "Yes.".to_owned(),
            author_name: "Sam".to_owned(),
            badge: Badge::Customer,
            created_at: 1_700_000_000_000,
            helpful_count,
        };
        let page = QuestionPage {
            product: "duvet".to_owned(),
            q: None,
            questions: vec![PublicQuestion {
                id: "q1".to_owned(),
                text: "Washable?".to_owned(),
                author_name: "Ana".to_owned(),
                created_at: 1_700_000_000_000,
                helpful_total: 5,
                answers: vec![answer("a1", 3), answer("a2", 2)],
            }],
            next_cursor: None,
        };
        let listing = Listing::default()
            .apply(Action::Asked(1))
            .apply(Action::Loaded(1, page))
            .apply(Action::HelpfulCounted("a2".to_owned(), 3));
        let Shown::Ready { page, .. } = &listing.shown else {
            panic!("ready");
        };
        let question = &page.questions[0];
        assert_eq!(question.answers[1].helpful_count, 3);
        assert_eq!(question.answers[0].helpful_count, 3);
        assert_eq!(question.helpful_total, 6);
    }
}
