//! Browser adapters that are not components: the address's fragment and
//! the tab's visibility (`url`), the clock and the admin's time zone
//! (`clock`), files offered to download (`download`), the keyboard focus
//! handed on (`focus`), the performance marks the bench reads (`marks`), and the
//! colour theme and the rows' density applied to the document (`theme`,
//! `density`). Each is a thin call
//! into web-sys; the decisions are the domain's.

pub mod clock;
pub mod density;
pub mod download;
pub mod focus;
pub mod lease;
pub mod marks;
pub mod theme;
pub mod url;
