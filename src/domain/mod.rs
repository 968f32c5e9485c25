//! The domain layer: pure Rust, natively tested. It may import only std,
//! serde, serde_json, thiserror and csv-core (a pure CSV writer) — never
//! leptos, web-sys, js-sys, wasm-bindgen or gloo — and never reads a
//! clock: time is passed in.
//!
//! Grouped by concern:
//! - [`wire`]: what travels to and from the REST API, whatever the method:
//!   loose JSON readers, the answer envelope and its errors, `batch`, the
//!   PHP query encoding.
//! - [`methods`]: the REST methods the app calls, each as its parameters
//!   and its parsed answer (workflow instances, templates and users, the
//!   session, the limits and retries around every call).
//! - [`table`]: the workflows table's state: sort, filters, paging and
//!   columns, the requests a state needs, its URL form, the stuck/idle
//!   signals and their counts.
//! - [`screen`]: the workflows screen as a state machine: events in,
//!   effects out.
//! - [`actions`]: acting on workflows: the selection, the `terminate` /
//!   `kill` batches and what each workflow's command came to.
//! - [`display`]: what the admin reads: each cell's text, names instead of
//!   ids, document links, the colour theme.
//! - [`time`]: instants as the portal writes them, the clock and zone
//!   they are shown in, dates and spans for people.
//! - [`frame`]: the frame protocol with the parent portal page, as data.
//! - [`i18n`]: the English and Russian catalogues.

pub mod actions;
pub mod display;
pub mod export;
pub mod frame;
pub mod i18n;
pub mod methods;
pub mod overview;
pub mod screen;
pub mod table;
pub mod time;
pub mod wire;
