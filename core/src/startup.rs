//! The order in which the widgets of one page start. Widgets start one at a time: each
//! one's start-up (first draw, configuration, form) finishes before the next one's begins,
//! so the first widget a visitor can use is ready as early as it can be, instead of every
//! widget becoming ready together at the end of their interleaved start-ups. Pure
//! bookkeeping here; the widgets own the waiting and the time limit.

use std::collections::VecDeque;

/// Who is starting, and who waits with what will wake them, in the order they asked.
#[derive(Debug)]
pub struct StartupQueue<K, W> {
    starting: Option<K>,
    waiting: VecDeque<(K, W)>,
}

impl<K, W> Default for StartupQueue<K, W> {
    fn default() -> Self {
        Self {
            starting: None,
            waiting: VecDeque::new(),
        }
    }
}

impl<K: PartialEq, W> StartupQueue<K, W> {
    /// Asks for `who`'s turn to start. True when it may start at once (`waker` is dropped);
    /// otherwise `waker` is kept until [`StartupQueue::finish`] hands it back, when the
    /// turn comes.
    pub fn ask(&mut self, who: K, waker: W) -> bool {
        if self.starting.is_none() {
            self.starting = Some(who);
            true
        } else {
            self.waiting.push_back((who, waker));
            false
        }
    }

    /// `who` is done starting (ready, failed, gone, or out of time), or no longer wants its
    /// turn: then its waker is dropped. Returns the waker of the one whose turn it now is.
    pub fn finish(&mut self, who: &K) -> Option<W> {
        if self.starting.as_ref() != Some(who) {
            self.waiting.retain(|(waiting, _)| waiting != who);
            return None;
        }
        let (next, waker) = self.waiting.pop_front().unzip();
        self.starting = next;
        waker
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_to_ask_starts_at_once_and_the_others_wait_their_turn_in_order() {
        let mut queue = StartupQueue::default();
        assert!(queue.ask(1, "wake 1"));
        assert!(!queue.ask(2, "wake 2"));
        assert!(!queue.ask(3, "wake 3"));
        assert_eq!(queue.finish(&1), Some("wake 2"));
        assert_eq!(queue.finish(&2), Some("wake 3"));
        assert_eq!(queue.finish(&3), None);
        assert!(
            queue.ask(4, "wake 4"),
            "an empty queue starts the next at once"
        );
    }

    #[test]
    fn one_that_leaves_while_waiting_loses_its_place_and_passes_no_turn() {
        let mut queue = StartupQueue::default();
        queue.ask(1, "wake 1");
        queue.ask(2, "wake 2");
        queue.ask(3, "wake 3");
        assert_eq!(queue.finish(&2), None);
        assert_eq!(queue.finish(&1), Some("wake 3"));
    }

    #[test]
    fn finishing_twice_or_for_a_stranger_changes_nothing() {
        let mut queue = StartupQueue::default();
        queue.ask(1, "wake 1");
        queue.ask(2, "wake 2");
        queue.ask(3, "wake 3");
        assert_eq!(queue.finish(&1), Some("wake 2"));
        assert_eq!(
            queue.finish(&1),
            None,
            "a late time limit for one already done"
        );
        assert_eq!(queue.finish(&9), None);
        assert_eq!(queue.finish(&2), Some("wake 3"), "2 still held the turn");
    }
}
