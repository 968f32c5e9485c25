//! The portal's REST API (fact sheet §1–§3, §4.4, §4.5, §6): fetch
//! transport, batch, token refresh and replay, the rate limits and retries. May import `domain`,
//! gloo-net, gloo-timers, web-sys, js-sys; never `portal` or `ui`.
//!
//! The I/O is thin: what to send and what an answer means are decided by
//! pure functions (`domain::wire::errors::classify`, `domain::methods::instances`,
//! `domain::wire::batch`, [`envelope`]), tested natively; the client itself is
//! tested natively against a scripted [`Transport`], and in a browser
//! against the portal emulator (`tests/rest_client.rs`).

mod auth;
mod client;
pub mod envelope;
mod limiter;
pub mod lookups;
pub mod signals;
mod transport;

pub use auth::Auth;
pub use client::{RestClient, APP_INFO_METHOD};
pub use limiter::{BrowserClock, Clock, Limiter};
pub use transport::{FetchTransport, HttpReply, Transport};
