//! Workflow Monitor, a Bitrix24 app listing running workflows.
//!
//! Layers, and the only direction they may depend in:
//! `ui -> rest, portal -> domain`.
//! - [`domain`]: pure types and functions, natively tested.
//! - [`portal`]: the frame protocol with the parent portal page.
//! - [`rest`]: the portal's REST API.
//! - [`ui`]: Leptos components.

pub mod domain;
pub mod portal;
pub mod rest;
pub mod ui;
