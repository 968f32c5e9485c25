//! The frame protocol with the parent portal page (fact sheet §4.2). May
//! import `domain`, web-sys, js-sys, wasm-bindgen, gloo; never `rest` or
//! `ui`.
//!
//! [`FrameClient`] posts requests to the portal page and matches its
//! replies; the message formats live in [`crate::domain::frame`]. Security
//! rules, from §4.2: messages go only to the origin named in `window.name`
//! (never `"*"`); a reply is accepted only from that origin, as a string,
//! for a callback id this client is waiting for; everything else is
//! counted and dropped. Every request has a timeout, because the portal
//! never answers a command it refuses.

mod auth;
mod client;
mod error;
mod fit;
mod random;

pub use auth::FreshGuard;
pub use client::{FrameClient, IGNORED_COUNTS_GLOBAL};
pub use error::FrameError;
pub use fit::FitGuard;
