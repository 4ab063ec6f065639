//! Widgets start one at a time, in the order they came near the viewport (see
//! [`portevoix_core::startup`]): a widget waits for its turn before its first draw and
//! passes the turn on once it is ready or has failed (its `pv:ready` or `pv:error`), is
//! unmounted, or has held the turn for [`TURN_LIMIT`] (its configuration is slow to come,
//! say), so that no widget holds the others back for long.

use std::cell::{Cell, RefCell};
use std::time::Duration;

use futures::channel::oneshot;
use portevoix_core::startup::StartupQueue;
use web_sys::HtmlElement;
use yew::platform::spawn_local;

/// The longest one widget keeps the others from starting.
const TURN_LIMIT: Duration = Duration::from_millis(1_000);

thread_local! {
    static QUEUE: RefCell<StartupQueue<HtmlElement>> = RefCell::new(StartupQueue::default());
    static WAITING: RefCell<Vec<(HtmlElement, oneshot::Sender<()>)>> = const { RefCell::new(Vec::new()) };
    /// Counts the turns given, so that a time limit ends only the turn it was set for.
    static TURNS: Cell<u32> = const { Cell::new(0) };
}

/// Waits for `host`'s turn to start. False when it left the queue before its turn came.
pub async fn turn(host: &HtmlElement) -> bool {
    let waiting = QUEUE.with_borrow_mut(|queue| {
        (!queue.ask(host.clone())).then(|| {
            let (sender, receiver) = oneshot::channel();
            WAITING.with_borrow_mut(|waiting| waiting.push((host.clone(), sender)));
            receiver
        })
    });
    if let Some(receiver) = waiting
        && receiver.await.is_err()
    {
        return false;
    }
    let turn = TURNS.get().wrapping_add(1);
    TURNS.set(turn);
    let host = host.clone();
    spawn_local(async move {
        yew::platform::time::sleep(TURN_LIMIT).await;
        if TURNS.get() == turn {
            finish(&host);
        }
    });
    true
}

/// `host` is done starting (or gone): the next widget in the queue may start.
pub fn finish(host: &HtmlElement) {
    let next = QUEUE.with_borrow_mut(|queue| queue.finish(host).cloned());
    let handed = WAITING.with_borrow_mut(|waiting| {
        // A widget that leaves while waiting drops its sender: its wait ends in `false`.
        waiting.retain(|(waiter, _)| waiter != host);
        let at = waiting
            .iter()
            .position(|(waiter, _)| Some(waiter) == next.as_ref())?;
        Some(waiting.remove(at).1)
    });
    if let Some(sender) = handed {
        let _ = sender.send(());
    }
}
