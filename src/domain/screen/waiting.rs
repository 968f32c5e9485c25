//! The "Waiting for" column's place in the screen: what the workflows
//! shown so far wait for, and the requests under way.
//!
//! Asked only while the column is shown, for the rows on screen not yet
//! known, after the rows are shown (never delaying them): one request per
//! 50 rows. A refresh forgets everything (tasks move on); an answer to a
//! request sent before it is dropped. A cancelled request is forgotten,
//! so its rows are asked again with the next screen.

use crate::domain::methods::instances::{UserId, WorkflowId};
use crate::domain::table::waiting::{read, requests, WaitingMap, WaitingRequest};
use crate::domain::wire::batch::BatchResponse;
use crate::domain::wire::errors::RestError;

/// A request to send; answer with
/// [`Event::WaitingAnswered`](super::Event::WaitingAnswered).
#[derive(Debug, Clone, PartialEq)]
pub struct WaitingFetch {
    /// Which request.
    pub seq: u64,
    /// What to send.
    pub request: WaitingRequest,
}

/// The screen's Waiting for slice.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WaitingSlice {
    known: WaitingMap,
    asking: Vec<(u64, Vec<WorkflowId>)>,
    seq: u64,
    version: u64,
}

impl WaitingSlice {
    /// How many workflows it remembers before it forgets those off
    /// screen.
    pub const CAPACITY: usize = 1_000;

    /// What is known.
    pub fn known(&self) -> &WaitingMap {
        &self.known
    }

    /// A number that changes whenever [`WaitingSlice::known`] does (the
    /// table redraws on it, without copying the map).
    pub fn version(&self) -> u64 {
        self.version
    }

    /// Whether every one of `ids` is known.
    pub fn all_known(&self, ids: &[WorkflowId]) -> bool {
        ids.iter().all(|id| self.known.contains_key(id))
    }

    /// The fetches for those of `ids` neither known nor asked.
    pub(super) fn ask(&mut self, ids: &[WorkflowId]) -> Vec<WaitingFetch> {
        if self.known.len() > Self::CAPACITY {
            self.known.retain(|id, _| ids.contains(id));
        }
        let wanted: Vec<WorkflowId> = ids
            .iter()
            .filter(|id| {
                !self.known.contains_key(*id)
                    && !self.asking.iter().any(|(_, asked)| asked.contains(id))
            })
            .cloned()
            .collect();
        requests(&wanted)
            .into_iter()
            .map(|request| {
                self.seq += 1;
                self.asking.push((self.seq, request.ids.clone()));
                WaitingFetch {
                    seq: self.seq,
                    request,
                }
            })
            .collect()
    }

    /// Records the answer of request `seq`; the people it names. An
    /// answer not awaited (a refresh came between) is dropped (`None`), a
    /// cancelled one forgotten.
    pub(super) fn answered(
        &mut self,
        seq: u64,
        result: &Result<BatchResponse, RestError>,
    ) -> Option<Vec<UserId>> {
        let at = self.asking.iter().position(|(s, _)| *s == seq)?;
        let (_, ids) = self.asking.remove(at);
        if matches!(result, Err(RestError::Cancelled)) {
            return None;
        }
        self.version += 1;
        let mut people = Vec::new();
        for (id, waiting) in read(&ids, result) {
            people.extend(waiting.people());
            self.known.insert(id, waiting);
        }
        Some(people)
    }

    /// Forgets everything (a refresh).
    pub(super) fn clear(&mut self) {
        self.known.clear();
        self.asking.clear();
        self.version += 1;
    }
}
