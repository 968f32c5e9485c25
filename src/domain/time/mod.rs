//! Time, as the app meets it: instants as the portal writes them, with
//! their own UTC offset (`instant`); the clock and the admin's zone every
//! request and every cell is computed against ([`TimeContext`]); dates and
//! spans for people in the admin's language (`format`).
//!
//! Nothing here reads a clock: the shell passes `now` in.

pub mod format;
pub mod instant;

/// The moment a request is built for, and the administrator's time zone.
///
/// Pass the same value to the request, its prefetch and its
/// [`violations`](crate::domain::table::filters::violations) check: relative bounds ("5 minutes ago") are resolved
/// against `now`, so one `now` per refresh keeps the prefetched next page
/// identical to the page later shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeContext {
    /// Unix seconds.
    pub now: i64,
    /// The administrator's offset east of UTC in minutes (`+03:00` is 180;
    /// JavaScript's `getTimezoneOffset()` is the negation of this).
    pub offset_minutes: i32,
}
