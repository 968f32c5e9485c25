//! One run of an action over its confirmed set, as a state machine: the
//! next batch to send (one at a time, so no workflow is ever sent twice,
//! whatever the admin clicks), the answers, the rechecks, pause, resume
//! and cancel, and the outcome of every workflow of the set.

use std::collections::{BTreeMap, BTreeSet};

use crate::domain::display::csv::to_csv;
use crate::domain::i18n::Lang;
use crate::domain::methods::instances::WorkflowId;
use crate::domain::wire::batch::{BatchError, BatchResponse};

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

/// A run over the confirmed set.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    action: Action,
    /// The batches, made once from the confirmed set (each workflow
    /// once, in order).
    plan: Vec<RunBatch>,
    /// The next batch of `plan` to send.
    next: usize,
    /// The batch sent and not yet answered.
    in_flight: Option<usize>,
    phase: Phase,
    outcomes: BTreeMap<WorkflowId, Outcome>,
    /// Workflows whose answer did not settle it, with the portal's text.
    recheck: BTreeMap<WorkflowId, Option<String>>,
}

impl Job {
    /// A run of `action` over `targets` (repeats are dropped).
    pub fn new(action: Action, targets: &[WorkflowId]) -> Result<Job, BatchError> {
        let plan = batches(&action, targets)?;
        let phase = if plan.is_empty() {
            Phase::Finished
        } else {
            Phase::Running
        };
        Ok(Job {
            action,
            plan,
            next: 0,
            in_flight: None,
            phase,
            outcomes: BTreeMap::new(),
            recheck: BTreeMap::new(),
        })
    }

    /// The action.
    pub fn action(&self) -> &Action {
        &self.action
    }

    /// Where the run stands.
    pub fn phase(&self) -> Phase {
        self.phase
    }

    /// The batch to send now, marked as in flight; `None` while one is in
    /// flight, when paused or cancelled, or when all are sent.
    pub fn send_next(&mut self) -> Option<&RunBatch> {
        if self.phase != Phase::Running || self.in_flight.is_some() || self.next >= self.plan.len()
        {
            return None;
        }
        self.in_flight = Some(self.next);
        self.next += 1;
        self.plan.get(self.next - 1)
    }

    /// The batch in flight was answered.
    pub fn answered(&mut self, answer: &BatchResponse) {
        let Some(i) = self.in_flight.take() else {
            return;
        };
        let read: Vec<(WorkflowId, Answer)> = self.plan[i]
            .answers(answer)
            .map(|(id, a)| (id.clone(), a))
            .collect();
        for (id, answer) in read {
            match answer {
                Answer::Done => {
                    self.outcomes.insert(id, Outcome::Done);
                }
                Answer::Failed(message) => {
                    self.outcomes.insert(id, Outcome::Failed(message));
                }
                Answer::Recheck(message) => {
                    self.recheck.insert(id, message);
                }
            }
        }
        self.settle();
    }

    /// The batch in flight failed as a whole (retries ran out): whether
    /// its commands ran is unknown, so each is rechecked; `message` says
    /// why, for those that still run. Those no longer listed are reported
    /// "already finished" for now, though this run may have ended them
    /// (the answer that would tell is lost); the report will say so when
    /// the UI comes.
    pub fn request_failed(&mut self, message: &str) {
        let Some(i) = self.in_flight.take() else {
            return;
        };
        for id in &self.plan[i].ids {
            self.recheck.insert(id.clone(), Some(message.to_owned()));
        }
        self.settle();
    }

    /// The workflows to look up before the run can report them.
    pub fn to_recheck(&self) -> Vec<WorkflowId> {
        self.recheck.keys().cloned().collect()
    }

    /// The lookup of [`Self::to_recheck`]: `still_running` holds those the
    /// portal still lists.
    pub fn rechecked(&mut self, asked: &[WorkflowId], still_running: &BTreeSet<WorkflowId>) {
        for id in asked {
            if let Some(message) = self.recheck.remove(id) {
                let outcome = after_recheck(message, still_running.contains(id));
                self.outcomes.insert(id.clone(), outcome);
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

    /// How many workflows have their outcome, of how many.
    pub fn progress(&self) -> (usize, usize) {
        (self.outcomes.len(), self.targets().count())
    }

    /// Every workflow's outcome so far, in the set's order.
    pub fn outcomes(&self) -> impl Iterator<Item = (&WorkflowId, &Outcome)> {
        self.targets()
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

    /// The confirmed set, in order.
    fn targets(&self) -> impl Iterator<Item = &WorkflowId> {
        self.plan.iter().flat_map(|b| &b.ids)
    }

    /// Finishes the run once nothing is in flight or to recheck, and
    /// either everything was sent or the run was cancelled.
    fn settle(&mut self) {
        if self.in_flight.is_some() || !self.recheck.is_empty() {
            return;
        }
        if self.phase == Phase::Cancelled {
            for batch in &self.plan[self.next..] {
                for id in &batch.ids {
                    self.outcomes.insert(id.clone(), Outcome::NotAttempted);
                }
            }
            self.next = self.plan.len();
            self.phase = Phase::Finished;
        } else if self.next >= self.plan.len() && self.phase == Phase::Running {
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
        let first = job.send_next().expect("a batch").ids.clone();
        assert_eq!(first.len(), 50);
        assert!(job.send_next().is_none(), "a second click sends nothing");
        let a = answer(&job.plan[0], &[]);
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
        let still: BTreeSet<WorkflowId> = [b.ids[2].clone()].into();
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
    fn a_lost_answer_is_rechecked_for_every_workflow_of_its_batch() {
        let mut job = Job::new(Action::Delete, &ids(2)).expect("plan");
        job.send_next().expect("a batch");
        job.request_failed("The portal could not be reached.");
        let asked = job.to_recheck();
        assert_eq!(asked.len(), 2);
        job.rechecked(&asked, &[asked[0].clone()].into());
        let t = job.tally();
        assert_eq!((t.failed, t.already_finished), (1, 1));
        assert!(matches!(
            job.outcomes().next(),
            Some((_, Outcome::Failed(m))) if m.contains("reached")
        ));
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
