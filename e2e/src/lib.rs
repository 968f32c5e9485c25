//! End-to-end tests' support, in three parts: [`harness`] (the portal
//! emulator in-process, a fresh headless Chromium driven through
//! chromedriver, scratch folders, waiting), [`pages`] (page objects that
//! read like the way a person uses the portal) and [`oracles`] (what the
//! app is compared against: the emulator's request log and its own answers,
//! expected texts).
//!
//! Every [`Harness`] owns what it starts: a scratch directory (Chromium's
//! profile and `TMPDIR`, shared/toolchain.md pitfall 7), a chromedriver
//! process (its own process group, killed on drop) and the emulator (stopped
//! by [`Harness::finish`], or with the test's runtime). Nothing waits a
//! fixed time: every wait polls a condition until a deadline.
//!
//! Run with `cargo test -p e2e` (`cargo xtask test` sets `CHROMEDRIVER` and
//! a fresh `TMPDIR`). The SDK tests need `npm ci` in `e2e/` first.

pub mod bench;
pub mod harness;
pub mod oracles;
pub mod pages;

pub use harness::*;
pub use pages::{app, keyboard, look, PortalPage, ProbeApp};
pub use portal_emulator;

/// The table's page object and its oracles under the one path the suites
/// import them from (`e2e::table::…`).
pub mod table {
    pub use crate::oracles::emulator::*;
    pub use crate::oracles::rest_log::*;
    pub use crate::oracles::text::*;
    pub use crate::pages::table::*;
}
