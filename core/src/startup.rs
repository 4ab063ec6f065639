//! The order in which the widgets of one page start. Widgets start one at a time: each
//! one's start-up (first draw, configuration, form) finishes before the next one's begins,
//! so the first widget a visitor can use is ready as early as it can be, instead of every
//! widget becoming ready together at the end of their interleaved start-ups. Pure
//! bookkeeping here; the widgets own the waiting and the time limit.

use std::collections::VecDeque;

/// Who is starting and who waits, in the order they asked.
#[derive(Debug)]
pub struct StartupQueue<T> {
    starting: Option<T>,
    waiting: VecDeque<T>,
}

impl<T> Default for StartupQueue<T> {
    fn default() -> Self {
        Self {
            starting: None,
            waiting: VecDeque::new(),
        }
    }
}

impl<T: PartialEq> StartupQueue<T> {
    /// Asks for `who`'s turn to start. True when it may start at once; otherwise it waits
    /// until [`StartupQueue::finish`] hands it the turn.
    pub fn ask(&mut self, who: T) -> bool {
        if self.starting.is_none() {
            self.starting = Some(who);
            true
        } else {
            self.waiting.push_back(who);
            false
        }
    }

    /// `who` is done starting (ready, failed, gone, or out of time), or no longer wants its
    /// turn. Returns the one whose turn it now is, if the turn passed on.
    pub fn finish(&mut self, who: &T) -> Option<&T> {
        if self.starting.as_ref() != Some(who) {
            self.waiting.retain(|waiting| waiting != who);
            return None;
        }
        self.starting = self.waiting.pop_front();
        self.starting.as_ref()
    }

    /// Whether `who` holds the turn now.
    pub fn is_starting(&self, who: &T) -> bool {
        self.starting.as_ref() == Some(who)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_to_ask_starts_at_once_and_the_others_wait_their_turn_in_order() {
        let mut queue = StartupQueue::default();
        assert!(queue.ask(1));
        assert!(!queue.ask(2));
        assert!(!queue.ask(3));
        assert_eq!(queue.finish(&1), Some(&2));
        assert!(queue.is_starting(&2));
        assert_eq!(queue.finish(&2), Some(&3));
        assert_eq!(queue.finish(&3), None);
        assert!(queue.ask(4), "an empty queue starts the next at once");
    }

    #[test]
    fn one_that_leaves_while_waiting_loses_its_place_and_passes_no_turn() {
        let mut queue = StartupQueue::default();
        queue.ask(1);
        queue.ask(2);
        queue.ask(3);
        assert_eq!(queue.finish(&2), None);
        assert!(queue.is_starting(&1));
        assert_eq!(queue.finish(&1), Some(&3));
    }

    #[test]
    fn finishing_twice_or_for_a_stranger_changes_nothing() {
        let mut queue = StartupQueue::default();
        queue.ask(1);
        queue.ask(2);
        assert_eq!(queue.finish(&1), Some(&2));
        assert_eq!(
            queue.finish(&1),
            None,
            "a late time limit for one already done"
        );
        assert_eq!(queue.finish(&9), None);
        assert!(queue.is_starting(&2));
    }
}
