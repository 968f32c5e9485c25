//! One run of an action over its confirmed set, as a state machine: the
//! next batch to send (one at a time, so no workflow is ever sent twice,
//! whatever the admin clicks), the answers, the rechecks, pause, resume
//! and cancel, and the outcome of every workflow of the set.

use std::collections::{HashMap, HashSet, VecDeque};

use crate::domain::display::csv::to_csv;
use crate::domain::i18n::Lang;
use crate::domain::methods::instances::WorkflowId;
use crate::domain::wire::batch::{BatchError, BatchResponse, MAX_COMMANDS};

use super::run::{after_recheck, batches, Action, Answer, Outcome, RunBatch};

/// Where a run stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Sending batches.
    Running,
    /// Paused by the admin: the batch in flight finishes, no new one goes.
    Paused,
    /// Cancelled: nothing more is sent; the rest is "not attempted".
    Cancelled,
    /// Every workflow has its outcome.
    Finished,
}

/// The counts of a run's outcomes, for the result panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tally {
    /// Stopped or deleted.
    pub done: usize,
    /// No longer running when acted on.
    pub already_finished: usize,
    /// Still running after a failure.
    pub failed: usize,
    /// Never sent.
    pub not_attempted: usize,
}

/// How often a workflow whose request was lost (and that the recheck
/// found still running, so its command did not take) is sent again
/// before it is reported failed.
pub const MAX_RESENDS: u32 = 2;

/// A run over the confirmed set.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    action: Action,
    /// The confirmed set, each workflow once, in order.
    order: Vec<WorkflowId>,
    /// Workflows the recheck before the confirmation found finished: in
    /// the report, never sent.
    before: Vec<WorkflowId>,
    /// What is still to be sent, in order.
    queue: VecDeque<WorkflowId>,
    /// Commands a request carries at most.
    per_batch: usize,
    /// The batch sent and not yet answered.
    in_flight: Option<RunBatch>,
    /// How many batches were sent.
    sent: usize,
    phase: Phase,
    outcomes: HashMap<WorkflowId, Outcome>,
    /// Workflows whose answer did not settle it, with the portal's text
    /// and whether the whole request was lost (then a workflow that
    /// still runs is sent again).
    recheck: Vec<(WorkflowId, Option<String>, bool)>,
    /// Sends again per workflow.
    resends: HashMap<WorkflowId, u32>,
}

impl Job {
    /// A run of `action` over `targets` (repeats are dropped), 50
    /// commands a request.
    pub fn new(action: Action, targets: &[WorkflowId]) -> Result<Job, BatchError> {
        Job::with_batch_size(action, targets, MAX_COMMANDS)
    }

    /// A run whose requests carry at most `per_batch` action commands (the
    /// rest of a request's 50 is for the journal).
    pub fn with_batch_size(
        action: Action,
        targets: &[WorkflowId],
        per_batch: usize,
    ) -> Result<Job, BatchError> {
        let per_batch = per_batch.clamp(1, MAX_COMMANDS);
        // Checks that the commands can be built at all, once.
        if let Some(first) = targets.first() {
            batches(&action, std::slice::from_ref(first))?;
        }
        let mut seen = HashSet::new();
        let order: Vec<WorkflowId> = targets
            .iter()
            .filter(|id| seen.insert(*id))
            .cloned()
            .collect();
        let phase = if order.is_empty() {
            Phase::Finished
        } else {
            Phase::Running
        };
        Ok(Job {
            action,
            queue: order.iter().cloned().collect(),
            order,
            before: Vec::new(),
            per_batch,
            in_flight: None,
            sent: 0,
            phase,
            outcomes: HashMap::new(),
            recheck: Vec::new(),
            resends: HashMap::new(),
        })
    }

    /// The same run, reporting `finished` (found no longer running by the
    /// recheck before the confirmation) as "already finished".
    pub fn with_finished(mut self, finished: &[WorkflowId]) -> Job {
        for id in finished {
            if !self.order.contains(id) && !self.before.contains(id) {
                self.before.push(id.clone());
                self.outcomes.insert(id.clone(), Outcome::AlreadyFinished);
            }
        }
        self
    }

    /// The action.
    pub fn action(&self) -> &Action {
        &self.action
    }

    /// Where the run stands.
    pub fn phase(&self) -> Phase {
        self.phase
    }

    /// How many requests were sent.
    pub fn requests_sent(&self) -> usize {
        self.sent
    }

    /// The batch to send now, marked as in flight; `None` while one is in
    /// flight or to recheck, when paused or cancelled, or when all are
    /// sent.
    pub fn send_next(&mut self) -> Option<&RunBatch> {
        self.send_next_within(self.per_batch)
    }

    /// [`Job::send_next`] with at most `most` action commands (the rest of
    /// the request is for the journal's command riding with it).
    pub fn send_next_within(&mut self, most: usize) -> Option<&RunBatch> {
        if self.phase != Phase::Running
            || self.in_flight.is_some()
            || !self.recheck.is_empty()
            || self.queue.is_empty()
        {
            return None;
        }
        let n = self.per_batch.min(most.max(1)).min(self.queue.len());
        let ids: Vec<WorkflowId> = self.queue.drain(..n).collect();
        // Built from ids already checked in `new`, so this cannot fail; a
        // failure would leave the ids unsent, never sent twice.
        let batch = batches(&self.action, &ids).ok()?.into_iter().next()?;
        self.sent += 1;
        self.in_flight = Some(batch);
        self.in_flight.as_ref()
    }

    /// The batch in flight was answered.
    pub fn answered(&mut self, answer: &BatchResponse) {
        let Some(batch) = self.in_flight.take() else {
            return;
        };
        for (id, answer) in batch.answers(answer) {
            match answer {
                Answer::Done => {
                    self.outcomes.insert(id.clone(), Outcome::Done);
                }
                Answer::Failed(message) => {
                    self.outcomes.insert(id.clone(), Outcome::Failed(message));
                }
                Answer::Recheck(message) => {
                    self.mark(id.clone(), message, false);
                }
                Answer::NotRun(message) => {
                    self.mark(id.clone(), Some(message), true);
                }
            }
        }
        self.settle();
    }

    /// The batch in flight failed as a whole (retries ran out, or an error
    /// after which the commands may or may not have run): each of its
    /// workflows is rechecked; one that still runs was not acted on and is
    /// sent again (at most [`MAX_RESENDS`] times), one that no longer runs
    /// is reported done "as far as the portal shows" — the run's own
    /// command most likely ended it. `message` says why, for those that
    /// fail in the end.
    pub fn request_failed(&mut self, message: &str) {
        let Some(batch) = self.in_flight.take() else {
            return;
        };
        for id in batch.ids {
            self.mark(id, Some(message.to_owned()), true);
        }
        self.settle();
    }

    /// The workflows to look up before the run can go on.
    pub fn to_recheck(&self) -> Vec<WorkflowId> {
        self.recheck.iter().map(|(id, _, _)| id.clone()).collect()
    }

    /// The lookup of [`Self::to_recheck`]: `still_running` holds those the
    /// portal still lists.
    pub fn rechecked(&mut self, asked: &[WorkflowId], still_running: &HashSet<WorkflowId>) {
        let mut again = Vec::new();
        for id in asked {
            let Some((message, lost)) = self.unmark(id) else {
                continue;
            };
            let runs = still_running.contains(id);
            let resends = self.resends.get(id).copied().unwrap_or(0);
            if lost && runs && resends < MAX_RESENDS && self.phase != Phase::Cancelled {
                self.resends.insert(id.clone(), resends + 1);
                again.push(id.clone());
                continue;
            }
            let outcome = if lost && !runs {
                Outcome::Done
            } else {
                after_recheck(message, runs)
            };
            self.outcomes.insert(id.clone(), outcome);
        }
        // Sent again first, in their order.
        for id in again.into_iter().rev() {
            self.queue.push_front(id);
        }
        self.settle();
    }

    /// The lookup of `asked` failed: whether they still run is unknown, so
    /// none is sent again; each is reported failed with `message`.
    pub fn recheck_failed(&mut self, asked: &[WorkflowId], message: &str) {
        for id in asked {
            if self.unmark(id).is_some() {
                self.outcomes
                    .insert(id.clone(), Outcome::Failed(message.to_owned()));
            }
        }
        self.settle();
    }

    /// Pauses: the batch in flight finishes, no new one is sent.
    pub fn pause(&mut self) {
        if self.phase == Phase::Running {
            self.phase = Phase::Paused;
        }
    }

    /// Resumes a paused run.
    pub fn resume(&mut self) {
        if self.phase == Phase::Paused {
            self.phase = Phase::Running;
        }
    }

    /// Cancels: nothing more is sent; what was never sent is "not
    /// attempted" once the batch in flight is in.
    pub fn cancel(&mut self) {
        if matches!(self.phase, Phase::Running | Phase::Paused) {
            self.phase = Phase::Cancelled;
            self.settle();
        }
    }

    /// Whether a batch is out and not answered.
    pub fn in_flight(&self) -> bool {
        self.in_flight.is_some()
    }

    /// How many workflows of the confirmed set have their outcome, of how
    /// many (those found finished before the confirmation not counted).
    pub fn progress(&self) -> (usize, usize) {
        let done = self
            .order
            .iter()
            .filter(|id| self.outcomes.contains_key(*id))
            .count();
        (done, self.order.len())
    }

    /// Every workflow's outcome so far: those found finished before the
    /// confirmation, then the set's, in order.
    pub fn outcomes(&self) -> impl Iterator<Item = (&WorkflowId, &Outcome)> {
        self.before
            .iter()
            .chain(&self.order)
            .filter_map(|id| self.outcomes.get(id).map(|o| (id, o)))
    }

    /// The counts per outcome.
    pub fn tally(&self) -> Tally {
        let mut t = Tally::default();
        for outcome in self.outcomes.values() {
            match outcome {
                Outcome::Done => t.done += 1,
                Outcome::AlreadyFinished => t.already_finished += 1,
                Outcome::Failed(_) => t.failed += 1,
                Outcome::NotAttempted => t.not_attempted += 1,
            }
        }
        t
    }

    /// The workflows to act on again with "Retry failed".
    pub fn failed(&self) -> Vec<WorkflowId> {
        self.outcomes()
            .filter(|(_, o)| matches!(o, Outcome::Failed(_)))
            .map(|(id, _)| id.clone())
            .collect()
    }

    /// The run's report as CSV: each workflow of the set with its outcome
    /// and the portal's message, in `lang`.
    pub fn report_csv(&self, lang: Lang) -> String {
        let t = lang.texts();
        let done = match self.action {
            Action::Stop { .. } => t.outcome_stopped,
            Action::Delete => t.outcome_deleted,
        };
        let rows = self.outcomes().map(|(id, outcome)| {
            let (word, message) = match outcome {
                Outcome::Done => (done, ""),
                Outcome::AlreadyFinished => (t.outcome_already_finished, ""),
                Outcome::Failed(m) => (t.outcome_failed, m.as_str()),
                Outcome::NotAttempted => (t.outcome_not_attempted, ""),
            };
            [id.as_str().to_owned(), word.to_owned(), message.to_owned()]
        });
        to_csv(&[t.field_id, t.report_outcome, t.report_message], rows)
    }

    /// Puts `id` among those to recheck (once).
    fn mark(&mut self, id: WorkflowId, message: Option<String>, lost: bool) {
        self.unmark(&id);
        self.recheck.push((id, message, lost));
    }

    /// Takes `id` from those to recheck.
    fn unmark(&mut self, id: &WorkflowId) -> Option<(Option<String>, bool)> {
        let at = self.recheck.iter().position(|(i, _, _)| i == id)?;
        let (_, message, lost) = self.recheck.remove(at);
        Some((message, lost))
    }

    /// Finishes the run once nothing is in flight or to recheck, and
    /// either everything was sent or the run was cancelled.
    fn settle(&mut self) {
        if self.in_flight.is_some() || !self.recheck.is_empty() {
            return;
        }
        if self.phase == Phase::Cancelled {
            for id in self.queue.drain(..) {
                self.outcomes.insert(id, Outcome::NotAttempted);
            }
            self.phase = Phase::Finished;
        } else if self.queue.is_empty() && matches!(self.phase, Phase::Running | Phase::Paused) {
            self.phase = Phase::Finished;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::wire::batch::parse_batch;
    use serde_json::{json, Map, Value};

    use crate::domain::actions::test_ids as ids;

    /// An answer to `batch`: `true` for each command but those in `errors`
    /// (empty-code failures with a message).
    fn answer(batch: &RunBatch, errors: &[usize]) -> BatchResponse {
        let (mut ok, mut err) = (Map::new(), Map::new());
        for i in 0..batch.ids.len() {
            if errors.contains(&i) {
                err.insert(
                    format!("c{i}"),
                    json!({"error": "", "error_description": "Workflow not found"}),
                );
            } else {
                ok.insert(format!("c{i}"), Value::Bool(true));
            }
        }
        parse_batch(&json!({"result": {"result": ok, "result_error": err}})).expect("batch")
    }

    #[test]
    fn one_batch_at_a_time_and_no_workflow_twice() {
        let mut job = Job::new(Action::Delete, &ids(120)).expect("plan");
        let batch = job.send_next().expect("a batch").clone();
        let first = batch.ids.clone();
        assert_eq!(first.len(), 50);
        assert!(job.send_next().is_none(), "a second click sends nothing");
        let a = answer(&batch, &[]);
        job.answered(&a);
        job.answered(&a);
        assert_eq!(job.progress(), (50, 120), "a repeated answer counts once");
        let mut sent: Vec<WorkflowId> = first;
        while let Some(b) = job.send_next() {
            let b = b.clone();
            sent.extend(b.ids.iter().cloned());
            job.answered(&answer(&b, &[]));
        }
        assert_eq!(sent, ids(120));
        assert_eq!(job.phase(), Phase::Finished);
        assert_eq!(job.tally().done, 120);
    }

    #[test]
    fn an_empty_code_failure_is_finished_or_failed_as_the_recheck_says() {
        let mut job = Job::new(Action::Stop { status: "x".into() }, &ids(3)).expect("plan");
        let b = job.send_next().expect("a batch").clone();
        job.answered(&answer(&b, &[1, 2]));
        assert_eq!(job.phase(), Phase::Running, "waits for the recheck");
        let asked = job.to_recheck();
        assert_eq!(asked, vec![b.ids[1].clone(), b.ids[2].clone()]);
        let still: HashSet<WorkflowId> = [b.ids[2].clone()].into();
        job.rechecked(&asked, &still);
        assert_eq!(job.phase(), Phase::Finished);
        let got: Vec<Outcome> = job.outcomes().map(|(_, o)| o.clone()).collect();
        assert_eq!(
            got,
            [
                Outcome::Done,
                Outcome::AlreadyFinished,
                Outcome::Failed("Workflow not found".into())
            ]
        );
        assert_eq!(job.failed(), vec![b.ids[2].clone()]);
    }

    #[test]
    fn pause_holds_the_next_batch_and_cancel_reports_the_rest_not_attempted() {
        let mut job = Job::new(Action::Delete, &ids(150)).expect("plan");
        let b = job.send_next().expect("a batch").clone();
        job.pause();
        job.answered(&answer(&b, &[]));
        assert!(job.send_next().is_none(), "paused");
        assert_eq!(job.phase(), Phase::Paused);
        job.resume();
        let b = job.send_next().expect("resumed").clone();
        job.cancel();
        assert_eq!(
            job.phase(),
            Phase::Cancelled,
            "the batch in flight finishes"
        );
        assert!(job.send_next().is_none());
        job.answered(&answer(&b, &[]));
        assert_eq!(job.phase(), Phase::Finished);
        assert_eq!(
            job.tally(),
            Tally {
                done: 100,
                already_finished: 0,
                failed: 0,
                not_attempted: 50
            }
        );
        assert_eq!(job.progress(), (150, 150));
    }

    #[test]
    fn a_lost_answer_is_rechecked_and_what_still_runs_is_sent_again_a_bounded_number_of_times() {
        let mut job = Job::new(Action::Delete, &ids(2)).expect("plan");
        job.send_next().expect("a batch");
        job.request_failed("The portal could not be reached.");
        assert!(job.send_next().is_none(), "nothing goes before the recheck");
        let asked = job.to_recheck();
        assert_eq!(asked, ids(2));
        // The first is gone (the lost request ended it), the second runs.
        job.rechecked(&asked, &[asked[1].clone()].into());
        assert_eq!(job.phase(), Phase::Running);
        for _ in 0..MAX_RESENDS {
            let again = job.send_next().expect("sent again").clone();
            assert_eq!(again.ids, vec![asked[1].clone()], "only what still runs");
            job.request_failed("The portal could not be reached.");
            job.rechecked(&job.to_recheck(), &[asked[1].clone()].into());
        }
        assert!(job.send_next().is_none(), "no more sends after the bound");
        assert_eq!(job.phase(), Phase::Finished);
        let got: Vec<Outcome> = job.outcomes().map(|(_, o)| o.clone()).collect();
        assert_eq!(got[0], Outcome::Done);
        assert!(matches!(&got[1], Outcome::Failed(m) if m.contains("reached")));
        assert_eq!(job.requests_sent(), 1 + MAX_RESENDS as usize);
    }

    #[test]
    fn a_cancelled_run_does_not_send_again_what_a_lost_request_left() {
        let mut job = Job::new(Action::Delete, &ids(1)).expect("plan");
        job.send_next().expect("a batch");
        job.request_failed("timeout");
        job.cancel();
        job.rechecked(&ids(1), &ids(1).into_iter().collect());
        assert!(job.send_next().is_none());
        assert_eq!(job.phase(), Phase::Finished);
        assert_eq!(job.tally().failed, 1);
    }

    #[test]
    fn requests_carry_the_batch_size_asked_and_the_finished_are_reported_not_sent() {
        let gone = WorkflowId::new("gone.1");
        let mut job = Job::with_batch_size(Action::Delete, &ids(100), 49)
            .expect("plan")
            .with_finished(std::slice::from_ref(&gone));
        let mut sizes = Vec::new();
        while let Some(b) = job.send_next() {
            let b = b.clone();
            assert!(!b.ids.contains(&gone));
            sizes.push(b.ids.len());
            job.answered(&answer(&b, &[]));
        }
        assert_eq!(sizes, [49, 49, 2]);
        assert_eq!(job.progress(), (100, 100));
        let first = job.outcomes().next().expect("an outcome");
        assert_eq!(first, (&gone, &Outcome::AlreadyFinished));
        assert_eq!(job.tally().already_finished, 1);
        assert_eq!(job.tally().done, 100);
    }

    #[test]
    fn the_report_lists_every_workflow_with_its_outcome_in_the_admins_language() {
        let mut job = Job::new(Action::Stop { status: "x".into() }, &ids(60)).expect("plan");
        let b = job.send_next().expect("a batch").clone();
        job.answered(&answer(&b, &[1, 2]));
        job.cancel();
        let asked = job.to_recheck();
        job.rechecked(&asked, &[b.ids[2].clone()].into());
        assert_eq!(job.phase(), Phase::Finished);
        let csv = job.report_csv(Lang::En);
        let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
        assert_eq!(lines.len(), 61, "a header and every workflow");
        assert_eq!(lines[0], "ID,Outcome,Message");
        assert_eq!(lines[1], format!("{},stopped,", b.ids[0].as_str()));
        assert_eq!(lines[2], format!("{},already finished,", b.ids[1].as_str()));
        assert_eq!(
            lines[3],
            format!("{},failed,Workflow not found", b.ids[2].as_str())
        );
        assert!(lines[51].ends_with(",not attempted,"), "{}", lines[51]);
        let ru = job.report_csv(Lang::Ru);
        assert!(
            ru.contains("Результат") && ru.contains("не выполнялся"),
            "{ru}"
        );
    }

    #[test]
    fn an_empty_set_is_finished_at_once_and_repeats_are_dropped() {
        let job = Job::new(Action::Delete, &[]).expect("plan");
        assert_eq!(job.phase(), Phase::Finished);
        let twice: Vec<WorkflowId> = ids(2).into_iter().cycle().take(6).collect();
        let job = Job::new(Action::Delete, &twice).expect("plan");
        assert_eq!(job.progress(), (0, 2));
    }
}
