//! A run's journal as the flow writes it: the storage's setup when the
//! portal has none yet, the header and every snapshot before the first
//! action (one halting request; a run whose journal cannot be started
//! never starts), then the outcomes known so far as the first command of
//! each action batch, and the last outcomes with the closed header once
//! the run ends.
//!
//! Outcomes are written once: those a request carried count as written
//! only when its answer says so; a lost request's are carried again by
//! the next one (the reader keeps one chunk per number and a later
//! outcome over an earlier one).

use std::collections::{HashSet, VecDeque};

use crate::domain::wire::batch::{BatchError, BatchRequest, BatchResponse};
use crate::domain::wire::errors::RestError;

use super::flow::Confirming;
use super::history::journal::{check, header_item_id, Journal, OUTCOMES_PER_COMMAND};
use super::history::record::{RunHeader, RunState, Snapshot};
use super::history::storage::{setup_request, setup_result};
use super::job::{Job, Phase};
use super::run::Outcome;
use crate::domain::methods::instances::WorkflowId;

/// What a journal request is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Write {
    /// Making the storage.
    Setup,
    /// The header and the snapshots, before any action.
    Start,
    /// The last outcomes and the closed header.
    Finish,
}

/// The journal of a run under way.
#[derive(Debug, Clone, PartialEq)]
pub struct Journaling {
    journal: Journal,
    setup: bool,
    start: VecDeque<BatchRequest>,
    /// The header's item id, once written.
    item: Option<u64>,
    written: HashSet<WorkflowId>,
    /// The action batch out now with journal commands, and the outcomes
    /// they carry.
    riding: Option<(BatchRequest, Vec<WorkflowId>)>,
    finish: Option<VecDeque<BatchRequest>>,
    /// The latest write that failed, for the admin.
    problem: Option<String>,
    /// The confirmation to go back to when the start cannot be written
    /// (nothing was done yet).
    fallback: Option<Box<Confirming>>,
}

impl Journaling {
    /// The journal of the run `header` describes, over `snapshots`; the
    /// storage is made first when `setup`.
    pub fn new(
        header: RunHeader,
        snapshots: &[Snapshot],
        setup: bool,
        fallback: Confirming,
    ) -> Result<Journaling, BatchError> {
        let mut journal = Journal::new(header);
        let start = journal.start(snapshots)?.into();
        Ok(Journaling {
            journal,
            setup,
            start,
            item: None,
            written: HashSet::new(),
            riding: None,
            finish: None,
            problem: None,
            fallback: Some(Box::new(fallback)),
        })
    }

    /// The run's header as started.
    pub fn header(&self) -> &RunHeader {
        self.journal.header()
    }

    /// Whether the header and snapshots are written: actions may go.
    pub fn is_started(&self) -> bool {
        !self.setup && self.start.is_empty() && self.item.is_some()
    }

    /// The latest failed write, for the admin.
    pub fn problem(&self) -> Option<&str> {
        self.problem.as_deref()
    }

    /// The next request before the first action, if any.
    pub fn next_start(&self) -> Option<(Write, BatchRequest)> {
        if self.setup {
            return setup_request().ok().map(|r| (Write::Setup, r));
        }
        self.start.front().map(|r| (Write::Start, r.clone()))
    }

    /// Whether outcomes not yet written would ride with the next batch
    /// (then it has room for one action fewer).
    pub fn will_ride(&self, job: &Job) -> bool {
        self.item.is_some() && job.outcomes().any(|(id, _)| !self.written.contains(id))
    }

    /// `batch` with the outcomes not yet written put first (as many as one
    /// command holds); `batch` itself when there are none or they do not
    /// fit.
    pub fn ride(&mut self, job: &Job, batch: &BatchRequest) -> BatchRequest {
        self.riding = None;
        let pending = self.pending(job, OUTCOMES_PER_COMMAND);
        if pending.is_empty() || self.item.is_none() {
            return batch.clone();
        }
        let joined = self
            .journal
            .outcomes(&pending)
            .and_then(|commands| BatchRequest::new(false, commands))
            .and_then(|head| head.joined(batch));
        match joined {
            Ok(request) => {
                let ids = pending.into_iter().map(|(id, _)| id).collect();
                self.riding = Some((request.clone(), ids));
                request
            }
            Err(_) => batch.clone(),
        }
    }

    /// The answer of the action batch out now (`None`: the request was
    /// lost). A failed journal write is kept as the problem; its outcomes
    /// go again with the next request. Whether the journal is complete.
    pub fn batch_answered(&mut self, answer: Option<&BatchResponse>) -> bool {
        let Some((request, ids)) = self.riding.take() else {
            return true;
        };
        let Some(answer) = answer else {
            return true;
        };
        match check(&request, answer) {
            Ok(()) => {
                self.written.extend(ids);
                true
            }
            Err(e) => {
                self.problem = Some(e.to_string());
                false
            }
        }
    }

    /// The next request after the run ended (the last outcomes and the
    /// closed header); `None` when all are written or there is no header
    /// to close.
    pub fn next_finish(&mut self, job: &Job, at_ms: i64) -> Option<(Write, BatchRequest)> {
        let item = self.item?;
        if self.finish.is_none() {
            let pending = self.pending(job, usize::MAX);
            let tally = job.tally();
            let state = if tally.not_attempted > 0 {
                RunState::Cancelled
            } else {
                RunState::Finished
            };
            let requests = self
                .journal
                .finish(item, &pending, state, tally, at_ms)
                .unwrap_or_default();
            self.finish = Some(requests.into());
        }
        self.finish
            .as_ref()
            .and_then(|q| q.front())
            .map(|r| (Write::Finish, r.clone()))
    }

    /// Whether nothing more is to be written.
    pub fn is_closed(&self, job: &Job) -> bool {
        job.phase() == Phase::Finished
            && (self.item.is_none() || self.finish.as_ref().is_some_and(VecDeque::is_empty))
    }

    /// The answer of a journal request. `Err` (why) only before the first
    /// action: the run goes back to its confirmation
    /// ([`Journaling::take_fallback`]), nothing having been done.
    pub fn answered(
        &mut self,
        write: Write,
        result: Result<BatchResponse, RestError>,
    ) -> Result<(), String> {
        match write {
            Write::Setup => {
                let done = result.and_then(|answer| setup_result(&answer));
                match done {
                    Ok(()) => {
                        self.setup = false;
                        Ok(())
                    }
                    Err(e) => Err(self.abandon(e.to_string())),
                }
            }
            Write::Start => {
                let Some(request) = self.start.front() else {
                    return Ok(());
                };
                let read = result.map_err(|e| e.to_string()).and_then(|answer| {
                    check(request, &answer).map_err(|e| e.to_string())?;
                    if self.item.is_none() {
                        self.item = Some(header_item_id(&answer).map_err(|e| e.to_string())?);
                    }
                    Ok(())
                });
                match read {
                    Ok(()) => {
                        self.start.pop_front();
                        if self.is_started() {
                            self.fallback = None;
                        }
                        Ok(())
                    }
                    Err(message) => Err(self.abandon(message)),
                }
            }
            Write::Finish => {
                // A lost or refused close leaves the header "running": the
                // next open reports it, and Dismiss closes it.
                match result {
                    Ok(answer) => {
                        if let Some(request) = self.finish.as_ref().and_then(|q| q.front()) {
                            if let Err(e) = check(request, &answer) {
                                self.problem = Some(e.to_string());
                            }
                        }
                    }
                    Err(e) => self.problem = Some(e.to_string()),
                }
                if let Some(q) = self.finish.as_mut() {
                    q.pop_front();
                }
                Ok(())
            }
        }
    }

    /// The outcomes of `job` not yet written, at most `limit`.
    fn pending(&self, job: &Job, limit: usize) -> Vec<(WorkflowId, Outcome)> {
        job.outcomes()
            .filter(|(id, _)| !self.written.contains(*id))
            .take(limit)
            .map(|(id, o)| (id.clone(), o.clone()))
            .collect()
    }

    fn abandon(&mut self, message: String) -> String {
        self.start.clear();
        self.setup = false;
        message
    }

    /// The confirmation the run came from, until its journal is started.
    pub fn take_fallback(&mut self) -> Option<Box<Confirming>> {
        self.fallback.take()
    }
}
