//! A run a closed or reloaded frame left behind. Opening the app reads
//! the runs whose header still says running (in the first screen's batch);
//! the newest one's journal is read back (a read, one request for runs of
//! up to tens of thousands of workflows), and a banner says what it is.
//! Nothing is written or acted on without a click: "Dismiss" closes its
//! header as interrupted; "Resume" closes it too and rechecks what it had
//! not settled, for a new confirmation.

use crate::domain::methods::instances::WorkflowId;
use crate::domain::table::filters::Filters;
use crate::domain::wire::batch::{BatchCommand, BatchRequest, BatchResponse};
use crate::domain::wire::errors::RestError;

use super::flow::{ActionKind, Target};
use super::history::interrupted::{assess, running, Found};
use super::history::journal::close_command;
use super::history::read::{rows_requests, Page, RunRecord, Stored};
use super::history::record::{RunHeader, RunState};
use super::job::Tally;
use super::run::Action;
use super::selection::Selection;

/// The chunks a run of `total` workflows is expected to have: the
/// snapshots (about 150 a 30 KB item) and one outcome item a batch, with
/// a margin; a guess past the end only costs empty pages in one request.
fn expected_chunks(total: usize) -> u64 {
    (total / 100 + total / 49 + 4) as u64
}

/// What "Resume" does: the header's close, and the target to recheck.
pub type Resumed = (Option<BatchCommand>, Option<(ActionKind, Target)>);

/// What became of a run left behind.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Left {
    /// Nothing was left (or not known yet).
    #[default]
    None,
    /// Its journal is being read.
    Reading {
        /// The header.
        header: Stored<RunHeader>,
        /// The read's number.
        seq: u64,
    },
    /// The banner.
    Found {
        /// What it is.
        found: Found,
        /// The run as recorded.
        record: Box<RunRecord>,
    },
}

impl Left {
    /// The banner's facts, when there is one.
    pub fn found(&self) -> Option<&Found> {
        match self {
            Left::Found { found, .. } => Some(found),
            _ => None,
        }
    }

    /// The runs still marked running in `page` (the first screen's read):
    /// the request that reads the newest one's journal, numbered `seq`.
    pub fn opened(&mut self, page: &Page, seq: u64) -> Option<BatchRequest> {
        let newest = running(&page.runs).into_iter().next()?.clone();
        let request = rows_requests(&newest.value.key, expected_chunks(newest.value.total))
            .ok()?
            .into_iter()
            .next()?;
        *self = Left::Reading {
            header: newest,
            seq,
        };
        Some(request)
    }

    /// The journal's answer; `now` is Unix seconds. A failed read leaves
    /// no banner (the run stays in the history, marked running).
    pub fn read(&mut self, seq: u64, result: Result<BatchResponse, RestError>, now: i64) {
        let Left::Reading { header, seq: asked } = self else {
            return;
        };
        if *asked != seq {
            return;
        }
        let Ok(answer) = result else {
            *self = Left::None;
            return;
        };
        let mut page = Page::default();
        for (_, outcome) in &answer.outcomes {
            if let Ok(raw) = outcome {
                page.merge(Page::read(raw));
            }
        }
        let record = RunRecord::assemble(header.clone(), &page.chunks);
        *self = match assess(&record, now) {
            Some(found) => Left::Found {
                found,
                record: Box::new(record),
            },
            None => Left::None,
        };
    }

    /// "Dismiss": the header closed as interrupted (the command to send),
    /// the banner gone. Only an interrupted run is dismissed: one written
    /// to recently may still be running elsewhere.
    pub fn dismiss(&mut self, at_ms: i64) -> Option<BatchCommand> {
        let record = self.take_interrupted()?;
        close(&record, at_ms)
    }

    /// "Resume": the header closed as interrupted, and what it had not
    /// settled as the target of a new recheck and confirmation (`None`
    /// target when everything was settled).
    pub fn resume(&mut self, at_ms: i64) -> Option<Resumed> {
        let record = self.take_interrupted()?;
        let kind = match record.header.value.action {
            Action::Stop { .. } => ActionKind::Stop,
            Action::Delete => ActionKind::Delete,
        };
        let ids: Vec<WorkflowId> = record.unsettled();
        let target = (!ids.is_empty()).then(|| {
            (
                kind,
                Target {
                    selection: Selection::Rows(ids.into_iter().collect()),
                    filters: Filters::new(),
                    seen: Vec::new(),
                },
            )
        });
        Some((close(&record, at_ms), target))
    }

    /// The interrupted run, taken (the banner gone); `None`, and nothing
    /// changed, for any other state.
    fn take_interrupted(&mut self) -> Option<Box<RunRecord>> {
        if !matches!(
            self,
            Left::Found {
                found: Found::Interrupted(_),
                ..
            }
        ) {
            return None;
        }
        match std::mem::replace(self, Left::None) {
            Left::Found { record, .. } => Some(record),
            _ => None,
        }
    }
}

/// The command that closes `record`'s header as interrupted, with the
/// counts it recorded.
fn close(record: &RunRecord, at_ms: i64) -> Option<BatchCommand> {
    let recorded = record.tally();
    let tally = Tally {
        not_attempted: recorded.tally.not_attempted + recorded.unknown,
        ..recorded.tally
    };
    let ended = record
        .header
        .value
        .ended(RunState::Interrupted, tally, at_ms);
    close_command(&ended, record.header.item_id).ok()
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::*;
    use crate::domain::actions::flow::{ActEffect, ActEvent, Acting, Stage};
    use crate::domain::actions::history::interrupted::tests::{items, AT};
    use crate::domain::actions::history::interrupted::QUIET_AFTER_S;
    use crate::domain::actions::history::read::tests::raw;
    use crate::domain::i18n::Lang;
    use crate::domain::time::TimeContext;
    use crate::domain::wire::batch::parse_batch;

    /// The flow after the first screen's read found the run and its
    /// journal was read back at `now`.
    fn opened_at(now: i64) -> (Acting, Vec<ActEffect>) {
        let mut acting = Acting::default();
        let items = items();
        let headers: Vec<Value> = items
            .iter()
            .filter(|i| i["PROPERTY_VALUES"]["KIND"] == json!("run"))
            .cloned()
            .collect();
        let fx = acting.opened(&Page::read(&raw(headers)));
        let [ActEffect::ReadLeft { seq, request }] = fx.as_slice() else {
            panic!("one read of its journal: {fx:?}");
        };
        assert!(request.to_params().to_string().contains("entity.item.get"));
        let chunks: Vec<Value> = items
            .into_iter()
            .filter(|i| i["PROPERTY_VALUES"]["KIND"] == json!("rows"))
            .collect();
        let answer = parse_batch(&json!({"result": {
            "result": {"p0": chunks}, "result_error": [], "result_total": {"p0": 2}
        }}))
        .expect("batch");
        let at = TimeContext {
            now,
            offset_minutes: 180,
        };
        let fx = acting.update(
            ActEvent::LeftRead {
                seq: *seq,
                result: Ok(answer),
            },
            Lang::En,
            None,
            at,
        );
        (acting, fx)
    }

    fn at(now: i64) -> TimeContext {
        TimeContext {
            now,
            offset_minutes: 180,
        }
    }

    #[test]
    fn a_header_written_twice_and_closed_once_is_not_left_behind() {
        let mut header = items()
            .into_iter()
            .find(|i| i["PROPERTY_VALUES"]["KIND"] == json!("run"))
            .expect("a header");
        let mut closed = header.clone();
        closed["ID"] = json!("900");
        closed["PROPERTY_VALUES"]["STATE"] = json!("finished");
        header["ID"] = json!("899");
        let mut acting = Acting::default();
        assert!(acting
            .opened(&Page::read(&raw(vec![header, closed])))
            .is_empty());
        assert_eq!(acting.left(), &Left::None);
    }

    #[test]
    fn nothing_left_running_reads_nothing() {
        let mut acting = Acting::default();
        assert!(acting.opened(&Page::default()).is_empty());
        assert_eq!(acting.left(), &Left::None);
    }

    #[test]
    fn resume_closes_the_interrupted_run_and_rechecks_only_what_it_left() {
        let now = AT + QUIET_AFTER_S;
        let (mut acting, fx) = opened_at(now);
        assert!(fx.is_empty(), "nothing sent on open: {fx:?}");
        let text = acting
            .left()
            .found()
            .expect("a banner")
            .text(Lang::En, at(now));
        assert!(text.ends_with("was interrupted after 49."), "{text}");
        let fx = acting.update(ActEvent::ResumeLeft, Lang::En, None, at(now));
        let [ActEffect::Write(close), ActEffect::Resolve { request, .. }] = fx.as_slice() else {
            panic!("the close, then the recheck: {fx:?}");
        };
        let close = close.to_params().to_string();
        assert!(
            close.contains("entity.item.update") && close.contains("interrupted"),
            "{close}"
        );
        let recheck = request.to_params().to_string();
        let ids = |i: usize| format!("66e412fdc9bd44.{i:08}");
        assert!(
            (49..60).all(|i| recheck.contains(&ids(i))),
            "the eleven: {recheck}"
        );
        assert!(
            !(0..49).any(|i| recheck.contains(&ids(i))),
            "never the settled ones"
        );
        assert!(matches!(acting.stage(), Stage::Resolving(_)));
        assert_eq!(acting.left(), &Left::None, "the banner is gone");
    }

    #[test]
    fn dismiss_only_closes_and_a_recent_run_cannot_be_resumed() {
        let (mut acting, _) = opened_at(AT + QUIET_AFTER_S + 5);
        let fx = acting.update(ActEvent::DismissLeft, Lang::En, None, at(AT + 200));
        assert!(matches!(fx.as_slice(), [ActEffect::Write(_)]), "{fx:?}");
        assert_eq!(acting.stage(), &Stage::Idle);
        assert_eq!(acting.left(), &Left::None);

        let (mut acting, _) = opened_at(AT + 30);
        assert!(matches!(acting.left().found(), Some(Found::Active(_))));
        let fx = acting.update(ActEvent::ResumeLeft, Lang::En, None, at(AT + 31));
        assert!(fx.is_empty(), "maybe running elsewhere: {fx:?}");
        let fx = acting.update(ActEvent::DismissLeft, Lang::En, None, at(AT + 31));
        assert!(fx.is_empty(), "{fx:?}");
    }
}
