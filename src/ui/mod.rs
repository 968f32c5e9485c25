//! Leptos components, one per file, and the browser adapters they use
//! (`browser`). May import every other layer; holds no protocol or
//! parsing logic of its own.

mod actions;
mod app;
pub mod browser;
mod busy_line;
mod cell_focus;
mod choice_switch;
mod columns_menu;
mod date_range_field;
mod document_picker;
mod export;
mod filter_chips;
mod filter_editor;
mod filters_bar;
mod frame_auth;
mod history;
pub mod i18n;
mod installer;
mod names;
mod not_in_portal;
mod overview;
mod pager;
pub mod panic_screen;
mod portal_links;
mod renewal_notice;
mod screen;
mod signals_summary;
mod sort_header;
mod states;
pub mod table_body;
mod template_picker;
mod tip;
mod user_picker;
mod workflows_page;
mod workflows_table;

pub use app::App;
