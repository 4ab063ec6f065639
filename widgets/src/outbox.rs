//! The outbox of [`portevoix_core::outbox`], kept in the host page's `localStorage` so a
//! visitor's answer survives a closed tab: the NPS, review and Q&A forms send through
//! [`send_answer`], and whichever page next loads the widgets delivers what an earlier
//! page could not. The site's open tabs share it, and a tab still hears what became of
//! an answer it sent when another tab delivered it. (Making a share link or joining the referral programme is not kept:
//! the visitor waits for its answer on the page.)

use std::cell::{Cell, RefCell};
use std::time::Duration;

use portevoix_core::dict::Dict;
use portevoix_core::form::Hold;
use portevoix_core::outbox::Outbox;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsCast;
use web_sys::{Event, StorageEvent};
use yew::Callback;
use yew::platform::time::sleep;

use crate::WidgetProps;
use crate::api::{self, CallError};
use crate::host::{self, WindowListener, spawn_local};
use portevoix_web as json;

const STORAGE_KEY: &str = "portevoix.outbox";

/// What became of a write, told to the [`send_answer`] that made it.
#[derive(Debug, Clone, PartialEq)]
enum Delivery {
    /// The worker stored it (or had already); the body of its answer.
    Stored(String),
    /// The worker refused it for good; it is dropped.
    Refused(CallError),
    /// It could not be sent yet (the network failed, or the worker asked to wait); it is
    /// saved and will be retried.
    Waiting(CallError),
}

/// A write this page sent and waits to hear about, kept whole: another tab of the site
/// may deliver it from the outbox they share, and only this page can tell its visitor
/// what became of it. It is then sent again, and the worker answers a write sent again
/// under its key as it answered the first time.
struct Awaited {
    listener: Callback<Delivery>,
    url: String,
    body: String,
}

thread_local! {
    static LISTENERS: RefCell<Dict<String, Awaited>> = RefCell::new(Dict::new());
    /// Kept when storage is blocked, so retries still happen while the page is open.
    static IN_MEMORY: RefCell<Option<String>> = const { RefCell::new(None) };
    static FLUSHING: Cell<bool> = const { Cell::new(false) };
    static WAKE_AT: Cell<Option<f64>> = const { Cell::new(None) };
    static PAGE_LISTENER: RefCell<Option<WindowListener>> = const { RefCell::new(None) };
}

fn now() -> f64 {
    js_sys::Date::now()
}

fn load() -> Outbox {
    let saved = host::local_storage()
        .and_then(|storage| storage.get_item(STORAGE_KEY).ok().flatten())
        .or_else(|| IN_MEMORY.with(|memory| memory.borrow().clone()));
    // Unreadable storage counts as empty rather than breaking widgets.
    saved
        .and_then(|text| json::from_str(&text).ok())
        .unwrap_or_default()
}

/// Saves the outbox; an empty one is removed, so a visitor with nothing waiting keeps
/// nothing of ours in their storage.
fn save(outbox: &Outbox) {
    let storage = host::local_storage();
    if outbox.is_empty() {
        if let Some(storage) = storage {
            let _ = storage.remove_item(STORAGE_KEY);
        }
        IN_MEMORY.set(None);
        return;
    }
    let json = json::to_string(outbox).unwrap_or_default();
    let stored = storage.is_some_and(|storage| storage.set_item(STORAGE_KEY, &json).is_ok());
    IN_MEMORY.set((!stored).then_some(json));
}

/// Changes the saved outbox, writing it back only if it changed. Each change reads
/// storage afresh: other tabs of the site share it, and a write two tabs both send is
/// stored once thanks to its key.
fn update(change: impl FnOnce(&mut Outbox)) -> Outbox {
    let mut outbox = load();
    let before = outbox.clone();
    change(&mut outbox);
    if outbox != before {
        save(&outbox);
    }
    outbox
}

fn tell(key: &str, delivery: Delivery) {
    let listener = LISTENERS.with(|listeners| {
        let mut listeners = listeners.borrow_mut();
        if matches!(delivery, Delivery::Waiting(_)) {
            listeners.get(key).map(|awaited| awaited.listener.clone())
        } else {
            listeners.remove(key).map(|awaited| awaited.listener)
        }
    });
    if let Some(listener) = listener {
        listener.emit(delivery);
    }
}

/// What a form hears of an answer it sent.
pub enum Answered<T> {
    /// The worker stored it; its reply.
    Stored(T),
    /// The worker refused it for good, or its reply could not be read.
    Refused(CallError),
    /// It could not be sent yet, for this reason; it is saved and will be retried.
    Waiting(Hold),
}

/// Sends a form's answer through the outbox ([`send`]) and tells `on_answered` what
/// became of it, its reply read as a `T`. Every setback is also told to the page's
/// developer (a console warning and `pv:error` from the widget's element): a reply that
/// cannot be read as `unreadable_answer`, a saved answer as `network` or `rate_limited`.
pub fn send_answer<T: DeserializeOwned + 'static>(
    props: &WidgetProps,
    widget: &'static str,
    key: &str,
    url: &str,
    body: &str,
    on_answered: Callback<Answered<T>>,
) {
    let (host, site) = (props.host.clone(), props.site.clone());
    let listener = Callback::from(move |delivery: Delivery| {
        let answered = match delivery {
            Delivery::Stored(text) => match json::from_str::<T>(&text) {
                Ok(reply) => Answered::Stored(reply),
                Err(error) => Answered::Refused(CallError::Refused {
                    code: "unreadable_answer".into(),
                    message: error.to_string(),
                    field: None,
                }),
            },
            Delivery::Refused(error) => Answered::Refused(error),
            Delivery::Waiting(error) => {
                api::report(&host, widget, &site, &error);
                Answered::Waiting(error.hold())
            }
        };
        if let Answered::Refused(error) = &answered {
            api::report(&host, widget, &site, error);
        }
        on_answered.emit(answered);
    });
    send(key, url, body, listener);
}

/// Saves a write under its idempotency key, then sends it; `listener` hears what became
/// of it. Calling again with the same key (a visitor pressing "send now") sends the
/// write that was saved first.
fn send(key: &str, url: &str, body: &str, listener: Callback<Delivery>) {
    let awaited = Awaited {
        listener,
        url: url.to_owned(),
        body: body.to_owned(),
    };
    LISTENERS.with(|listeners| listeners.borrow_mut().insert(key.to_owned(), awaited));
    update(|outbox| {
        outbox.add(key, url, body, now());
        outbox.hurry(now());
    });
    deliver_now();
}

/// Sends every saved write that is due, e.g. those an earlier page left behind.
pub fn deliver_now() {
    listen_to_the_page();
    spawn_local(flush());
}

async fn flush() {
    if FLUSHING.with(|flushing| flushing.replace(true)) {
        return;
    }
    loop {
        // Hopeless writes (a month old) are dropped from storage here too.
        let mut due = Vec::new();
        update(|outbox| due = outbox.due(now()));
        if due.is_empty() {
            break;
        }
        for entry in due {
            match api::call("POST", &entry.url, Some(&entry.body)).await {
                Ok(body) => {
                    update(|outbox| outbox.remove(&entry.key));
                    tell(&entry.key, Delivery::Stored(body));
                }
                Err(error) => match error.retry_wait_ms() {
                    Some(asked_wait_ms) => {
                        update(|outbox| {
                            let jitter = js_sys::Math::random();
                            outbox.failed(&entry.key, now(), jitter, asked_wait_ms as f64);
                        });
                        tell(&entry.key, Delivery::Waiting(error));
                    }
                    None => {
                        update(|outbox| outbox.remove(&entry.key));
                        crate::nps::forget_refused_answer(&entry.url);
                        tell(&entry.key, Delivery::Refused(error));
                    }
                },
            }
        }
    }
    FLUSHING.with(|flushing| flushing.set(false));
    if let Some(wake_at) = load().next_due() {
        wake_at_time(wake_at);
    }
}

/// Schedules a flush at `wake_at` unless one is already scheduled sooner.
fn wake_at_time(wake_at: f64) {
    let sooner = WAKE_AT.with(|scheduled| match scheduled.get() {
        Some(existing) if existing <= wake_at && existing > now() => false,
        _ => {
            scheduled.set(Some(wake_at));
            true
        }
    });
    if sooner {
        spawn_local(async move {
            sleep(Duration::from_millis((wake_at - now()).max(0.0) as u64)).await;
            WAKE_AT.with(|scheduled| {
                if scheduled.get() == Some(wake_at) {
                    scheduled.set(None);
                }
            });
            flush().await;
        });
    }
}

/// Coming back online sends everything at once instead of waiting out the backoff; and
/// when another tab changes the outbox, the writes this page awaits that it took out
/// (delivered, or refused) are put back and sent again, so that this page hears their
/// answer too rather than waiting for good.
fn listen_to_the_page() {
    PAGE_LISTENER.with(|slot| {
        if slot.borrow().is_some() {
            return;
        }
        let listener = WindowListener::start(&["online", "storage"], |event: Event| {
            let send_now = match event.dyn_ref::<StorageEvent>() {
                None => {
                    update(|outbox| outbox.hurry(now()));
                    true
                }
                // A cleared storage has no key: the outbox went with it.
                Some(storage) => {
                    storage.key().is_none_or(|key| key == STORAGE_KEY) && put_back_awaited()
                }
            };
            if send_now {
                spawn_local(flush());
            }
        });
        *slot.borrow_mut() = Some(listener);
    });
}

/// Puts back in the outbox the writes this page awaits that another tab took out of it.
/// True when there was any.
fn put_back_awaited() -> bool {
    let mut put_back = false;
    update(|outbox| {
        LISTENERS.with_borrow(|listeners| {
            for (key, awaited) in listeners.iter() {
                if !outbox.contains(key) {
                    outbox.add(key, &awaited.url, &awaited.body, now());
                    put_back = true;
                }
            }
        });
    });
    put_back
}
