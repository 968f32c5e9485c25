//! Workflow Monitor, the Bitrix24 app.
//!
//! The app itself (frame client, REST client, Leptos UI) is built by the
//! "App foundation" issue; until then this crate only anchors the workspace
//! so that the portal emulator, the end-to-end tests and `cargo xtask` have
//! their home. Nothing here pretends to be the app.
