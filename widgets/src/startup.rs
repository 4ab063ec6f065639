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

use crate::host::spawn_local;

/// The longest one widget keeps the others from starting.
const TURN_LIMIT: Duration = Duration::from_millis(1_000);

thread_local! {
    static QUEUE: RefCell<StartupQueue<HtmlElement, oneshot::Sender<()>>> =
        RefCell::new(StartupQueue::default());
    /// Counts the turns given, so that a time limit ends only the turn it was set for.
    static TURNS: Cell<u32> = const { Cell::new(0) };
}

/// Waits for `host`'s turn to start. False when it left the queue before its turn came.
pub async fn turn(host: &HtmlElement) -> bool {
    let (sender, receiver) = oneshot::channel();
    // A widget that leaves while waiting has its sender dropped: its wait ends in `false`.
    let starts_now = QUEUE.with_borrow_mut(|queue| queue.ask(host.clone(), sender));
    if !starts_now && receiver.await.is_err() {
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
    if let Some(next) = QUEUE.with_borrow_mut(|queue| queue.finish(host)) {
        let _ = next.send(());
    }
}
