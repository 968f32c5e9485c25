//! The domain layer: pure Rust, natively tested. It may import only std,
//! serde, serde_json and thiserror — never leptos, web-sys, js-sys,
//! wasm-bindgen or gloo — and never reads a clock: time is passed in.
//!
//! Workflow rows and ids, queries and their REST parameters, response
//! parsing, error classification, frame-message encoding and decoding;
//! the table's view state (sort, filters, paging, columns) and its URL form;
//! the names and document links that replace raw ids; the colour theme
//! choice; the rate-limit and retry arithmetic.

pub mod batch;
pub mod documents;
pub mod errors;
pub mod filters;
pub mod fragment;
pub mod frame;
pub mod i18n;
pub mod limits;
pub mod lookups;
pub mod names;
pub mod paging;
pub mod session;
pub mod signals;
pub mod table_cells;
pub mod table_html;
pub mod theme;
pub mod time;
pub mod time_format;
pub mod view;
pub mod workflows;
