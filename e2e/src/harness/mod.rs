//! What every end-to-end test stands on: a scratch folder, chromedriver
//! and its Chromium, the emulator in-process with its control API, and
//! waiting for conditions (never for a fixed time).

use std::time::Duration;

mod control;
mod driver;
mod scratch;
mod session;
mod wait;

pub use control::Control;
pub use driver::{chromium_args, Driver};
pub use scratch::Scratch;
pub use session::{
    assemble_sdk_dist, assemble_sdk_page, config_serving, fixture, sdk_bundle, Harness,
};
pub use wait::{wait_for, wait_for_within};

/// The chromedriver installed by `cargo xtask setup` (apt `chromium-driver`).
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// The Chromium installed by `cargo xtask setup` (apt `chromium`).
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// How long any single wait may take before the test fails. Generous: two
/// browsers may share the machine's two cores.
pub const WAIT: Duration = Duration::from_secs(20);

/// Everything that can go wrong while driving a test.
#[derive(Debug, thiserror::Error)]
pub enum HarnessError {
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
    #[error("chromedriver did not start on port {0}")]
    DriverStart(u16),
    // Boxed: fantoccini's errors are large and every call returns this type.
    #[error("cannot open a browser session: {0}")]
    Session(Box<fantoccini::error::NewSessionError>),
    #[error("browser command failed: {0}")]
    Command(Box<fantoccini::error::CmdError>),
    #[error("HTTP request to the emulator failed: {0}")]
    Http(#[from] reqwest::Error),
    #[error("timed out after {0:?} waiting for {1}")]
    Timeout(Duration, String),
    #[error("unexpected: {0}")]
    Unexpected(String),
}

impl From<fantoccini::error::NewSessionError> for HarnessError {
    fn from(err: fantoccini::error::NewSessionError) -> Self {
        HarnessError::Session(Box::new(err))
    }
}

impl From<fantoccini::error::CmdError> for HarnessError {
    fn from(err: fantoccini::error::CmdError) -> Self {
        HarnessError::Command(Box::new(err))
    }
}

/// The result type of every harness call.
pub type Result<T, E = HarnessError> = std::result::Result<T, E>;
