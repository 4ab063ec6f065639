//! Portevoix core: everything the widgets and the worker agree on, with no platform
//! dependency, so that it is all tested natively with `cargo test -p portevoix-core`.
//!
//! - [`wire`]: the JSON bodies that cross the network (golden-tested), and [`dict`], the
//!   small sorted map they use.
//! - [`nps`]: the NPS categories, the score maths and the survey form's state machine.
//! - [`form`]: the life of a widget form and the refusals it shows.
//! - [`moderation`] and [`paging`]: the moderation states and keyset paging every list shares.
//! - [`qa`]: ask-a-customer questions and answers: badges, moderation, search, storage.
//! - [`share`], [`rewards`], [`ladder`] and [`advocacy`]: share links and visits, the
//!   points ledger and its rules, the advocate ladder.
//! - [`referral`] and [`mail`]: referral codes, signed conversions and their fraud rules,
//!   and the mail the worker owes, written to its outbox.
//! - [`review`]: product reviews: rules, aggregate, paging, storage and crawler markup.
//! - [`listing`]: a widget's paged list of reviews or questions, as late answers change it.
//! - [`outbox`]: how widgets keep writes until the worker has answered them.
//! - [`startup`]: the order in which the widgets of one page start.
//! - [`site`] and [`theme`]: a brand's site configuration, its look and its contrast.
//! - [`settings`] and [`site_file`]: the configuration a brand saves from the console and an
//!   operator writes with `npm run site`, checked by the same rules.
//! - [`locale`] and [`copy`]: the shipped languages (one file each in `locales/`) and
//!   every visible string of the widgets.
//! - [`token`]: the signed `customer-token` a brand's server hands to its pages.
//! - [`spam`]: honeypot, time-to-submit and duplicate-text rules for public text.
//! - [`store`]: the storage trait and the SQL both storage adapters run.
//! - [`limits`]: which rate-limit counters a request falls under.
//! - [`api`]: the worker's request handling, written against [`store::Store`] and
//!   [`limits::RateLimiter`].

/// One day in Unix milliseconds: the unit of every daily window (limits, caps, report
/// weeks, how long a browser is not asked again).
pub const DAY_MS: i64 = 86_400_000;

pub mod advocacy;
pub mod api;
pub mod copy;
pub mod dict;
pub mod error;
pub mod export;
pub mod form;
pub mod funnels;
pub mod history;
pub mod ladder;
pub mod limits;
pub mod listing;
pub mod locale;
pub mod mail;
pub mod moderation;
pub mod nps;
pub mod outbox;
pub mod paging;
pub mod privacy;
pub mod qa;
pub mod referral;
pub mod report;
pub mod review;
pub mod rewards;
pub mod session;
pub mod settings;
pub mod share;
pub mod site;
pub mod site_file;
pub mod spam;
pub mod startup;
pub mod store;
pub mod theme;
pub mod token;
pub mod validate;
pub mod webhooks;
pub mod wire;

pub use error::{Error, Result};
