//! Browser adapters that are not components: the address's fragment and
//! the tab's visibility (`url`), the clock and the admin's time zone
//! (`clock`), the performance marks the bench reads (`marks`), and the
//! colour theme applied to the document (`theme`). Each is a thin call
//! into web-sys; the decisions are the domain's.

pub mod clock;
pub mod marks;
pub mod theme;
pub mod url;
