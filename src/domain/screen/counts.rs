//! Where the summary's stuck and idle counts stand. They are asked again
//! only when the filters change or on a refresh, never for paging,
//! sorting or columns (a cache keyed by the filters and the minute); if
//! they cannot be had, the summary says so and the table is untouched.

use crate::domain::table::signals::SignalCounts;

/// The summary's counts.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Counts {
    /// The last counts that came (for the filters asked, or before).
    pub known: Option<SignalCounts>,
    /// Newer counts are on their way: `known` may be stale.
    pub loading: bool,
    /// The last request failed.
    pub failed: bool,
}

impl Counts {
    /// Counts came (from the portal or the cache).
    pub(super) fn known(&mut self, counts: SignalCounts) {
        self.known = Some(counts);
        self.loading = false;
        self.failed = false;
    }
}
