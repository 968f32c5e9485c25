//! Where the summary's stuck and idle counts stand. They are asked again
//! only when the filters change or on a refresh, never for paging,
//! sorting or columns (a cache keyed by the filters and the minute); if
//! they cannot be had, the summary says so and the table is untouched.

use crate::domain::table::signals::{SignalCounts, SignalKind};

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

/// What the summary line shows: each number once it can be told, and
/// where the counts stand.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Stuck workflows under the current filters, once known.
    pub stuck: Option<u64>,
    /// Idle workflows under the current filters, once known.
    pub idle: Option<u64>,
    /// Newer counts are on their way.
    pub loading: bool,
    /// The last request for counts failed.
    pub failed: bool,
}

impl Summary {
    /// `counts`, where a count that is the list's own total takes
    /// `list_total`: the total of the list on screen, only when that list
    /// answers the very filters asked (`None` otherwise: the number waits).
    pub(super) fn of(counts: Counts, list_total: Option<u64>) -> Summary {
        let number = |kind| counts.known.and_then(|k| k.get(kind).resolve(list_total));
        Summary {
            stuck: number(SignalKind::Stuck),
            idle: number(SignalKind::Idle),
            loading: counts.loading,
            failed: counts.failed,
        }
    }

    /// The number of `kind`, once known.
    pub fn get(&self, kind: SignalKind) -> Option<u64> {
        match kind {
            SignalKind::Stuck => self.stuck,
            SignalKind::Idle => self.idle,
        }
    }

    /// Every number is known.
    pub fn ready(&self) -> bool {
        self.stuck.is_some() && self.idle.is_some()
    }
}
