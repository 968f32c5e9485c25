//! The workflows table as state: what the admin chose (`view`: sort,
//! filters, page, columns; `filters`; `paging`), the REST requests a state
//! needs and the prefetch (`requests`), the view as URL fragment and saved
//! options (`fragment`), and the stuck and idle signals with their counts
//! (`signals`).

pub mod filters;
pub mod first_screen;
pub mod fragment;
pub mod paging;
pub mod requests;
pub mod signals;
pub mod view;
pub mod waiting;
