//! What the end-to-end tests compare the app against: the emulator's
//! request log (what the app asked for), the emulator's own answers (what
//! the app should show) and expected texts computed independently.

pub mod emulator;
pub mod rest_log;
pub mod text;
