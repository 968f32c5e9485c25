//! Leptos components, one per file. May import every other layer; holds no
//! protocol or parsing logic of its own.

mod app;
mod frame_auth;
mod installer;
mod marks;
mod not_in_portal;
pub mod panic_screen;
mod states;
mod workflows_page;
mod workflows_table;

pub use app::App;
