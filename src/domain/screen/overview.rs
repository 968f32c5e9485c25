//! The overview's place in the screen: open or closed, the overview for
//! the view's filters, and the last few already counted.
//!
//! It is started only once the screen's rows are shown (it never delays
//! them) and only while the region is open; a filter set counted within
//! the same minute is taken from the cache; a refresh empties the cache.

use crate::domain::methods::instances::UserId;
use crate::domain::overview::flow::{ChartState, Overview};
use crate::domain::overview::model::{BarKey, Dimension};
use crate::domain::overview::plan::{Part, Request};
use crate::domain::table::signals::CountsKey;
use crate::domain::wire::batch::BatchResponse;
use crate::domain::wire::errors::RestError;

/// A step of the overview.
#[derive(Debug, Clone, PartialEq)]
pub enum OverviewEvent {
    /// The region opened (`true`) or collapsed.
    Show(bool),
    /// A bar pressed: its filter goes to the table.
    Pick(BarKey),
    /// A request of overview `seq` answered.
    Answered {
        /// Which overview.
        seq: u64,
        /// Which of its requests.
        part: Part,
        /// Its answer.
        result: Result<BatchResponse, RestError>,
    },
}

/// A request to send for overview `seq`; answer with
/// [`OverviewEvent::Answered`].
#[derive(Debug, Clone, PartialEq)]
pub struct OverviewFetch {
    /// Which overview.
    pub seq: u64,
    /// What to send.
    pub request: Request,
}

/// The screen's overview slice.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OverviewSlice {
    pub(super) open: bool,
    seq: u64,
    current: Option<(u64, CountsKey, Overview)>,
    cache: Vec<(CountsKey, Overview)>,
}

impl OverviewSlice {
    /// How many filter sets it remembers.
    pub const CAPACITY: usize = 4;

    /// Whether the region is open.
    pub fn is_open(&self) -> bool {
        self.open
    }

    /// Where the chart of `dimension` stands (`Loading` before the first
    /// overview starts).
    pub fn chart(&self, dimension: Dimension) -> ChartState {
        match &self.current {
            Some((_, _, o)) => o.chart(dimension),
            None => ChartState::Loading,
        }
    }

    /// The people the starters chart names (not "System / automation").
    pub(super) fn starters(&self) -> Vec<UserId> {
        match self.chart(Dimension::Starter) {
            ChartState::Ready(c) => c
                .bars
                .iter()
                .filter_map(|b| match b.key {
                    BarKey::Starter(u) if u.0 != 0 => Some(u),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Every answer of the current overview is in.
    pub fn is_done(&self) -> bool {
        self.current.as_ref().is_some_and(|(_, _, o)| o.is_done())
    }

    /// Requests the current overview has sent.
    pub fn requests(&self) -> u64 {
        self.current.as_ref().map_or(0, |(_, _, o)| o.requests())
    }

    /// Whether `key` is already counted or being counted.
    pub(super) fn has(&self, key: &CountsKey) -> bool {
        self.current.as_ref().is_some_and(|(_, k, _)| k == key)
    }

    /// Takes the counted overview of `key` from the cache, if any.
    pub(super) fn cached(&mut self, key: &CountsKey) -> bool {
        let Some(hit) = self.cache.iter().find(|(k, _)| k == key).cloned() else {
            return false;
        };
        self.current = Some((0, hit.0, hit.1));
        true
    }

    /// Starts `overview` for `key`; the fetches of its `first` requests.
    pub(super) fn begin(
        &mut self,
        key: CountsKey,
        overview: Overview,
        first: Vec<Request>,
    ) -> Vec<OverviewFetch> {
        self.seq += 1;
        let seq = self.seq;
        self.current = Some((seq, key, overview));
        first
            .into_iter()
            .map(|request| OverviewFetch { seq, request })
            .collect()
    }

    /// An answer; the requests it lets go. An answer for an overview no
    /// longer current is dropped.
    pub(super) fn answered(
        &mut self,
        seq: u64,
        part: Part,
        result: &Result<BatchResponse, RestError>,
    ) -> Vec<OverviewFetch> {
        let Some((current, key, o)) = self.current.as_mut() else {
            return Vec::new();
        };
        if *current != seq || seq == 0 {
            return Vec::new();
        }
        let next = o.answered(part, result.as_ref());
        if o.is_done() {
            let done = (key.clone(), o.clone());
            self.cache.retain(|(k, _)| *k != done.0);
            self.cache.push(done);
            if self.cache.len() > Self::CAPACITY {
                self.cache.remove(0);
            }
        }
        next.into_iter()
            .map(|request| OverviewFetch { seq, request })
            .collect()
    }

    /// Forgets every count (a refresh).
    pub(super) fn clear(&mut self) {
        self.cache.clear();
        self.current = None;
    }
}
