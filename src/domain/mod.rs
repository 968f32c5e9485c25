//! The domain layer: pure Rust, natively tested. It may import only std,
//! serde, serde_json and thiserror — never leptos, web-sys, js-sys,
//! wasm-bindgen or gloo — and never reads a clock: time is passed in.
//!
//! Workflow rows and ids, queries and their REST parameters, response
//! parsing, error classification, frame-message encoding and decoding.

pub mod batch;
pub mod errors;
pub mod frame;
pub mod session;
pub mod time;
pub mod workflows;
