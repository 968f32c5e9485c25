//! The acting flow as a state machine: "Stop…" or "Delete…" resolves the
//! target set from the portal ([`Stage::Resolving`]), the confirmation
//! states what that set is ([`Stage::Confirming`]), the run sends it in
//! batches one at a time ([`Stage::Running`]) and the result panel
//! reports every workflow ([`Stage::Finished`]).
//!
//! Events in, effects out, as the screen core does: nothing here sends,
//! reads a clock or renders. The only way into a run is
//! [`ActEvent::Confirm`] while the confirmation allows it; every later
//! click while a batch is out sends nothing (the [`Job`] keeps one batch
//! in flight), so no workflow is ever sent twice.

use std::collections::{HashMap, HashSet};

use crate::domain::i18n::{fill, Lang};
use crate::domain::methods::instances::{Field, WorkflowId, WorkflowRow};
use crate::domain::table::filters::Filters;
use crate::domain::time::instant::Civil;
use crate::domain::time::TimeContext;
use crate::domain::wire::batch::{BatchRequest, BatchResponse, MAX_COMMANDS};
use crate::domain::wire::errors::{ErrorCode, RestError};

use super::confirm::{breakdown, typed_count_is, Breakdown};
use super::history::read::Page;
use super::history::record::{RunHeader, Snapshot, Who};
use super::history::storage::{Availability, Unavailable};
use super::job::{Job, Phase};
use super::journaling::{Journaling, Write};
use super::left::Left;
use super::recheck::{reread, reread_rows, Listing, RecheckError};
use super::run::Action;
use super::selection::Selection;

/// Which action the admin chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionKind {
    /// "Stop…": `bizproc.workflow.terminate`.
    Stop,
    /// "Delete…": `bizproc.workflow.kill`.
    Delete,
}

/// What the admin chose to act on, as the screen had it at the click.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// The selection.
    pub selection: Selection,
    /// The view's filters (what "all matching" means, and what a row
    /// re-read is checked against: "not stuck any more").
    pub filters: Filters,
    /// The rows the admin saw matching (for "all matching": those that
    /// vanish from the re-list are looked up, to tell "already finished"
    /// from "no longer matching").
    pub seen: Vec<WorkflowId>,
}

/// How the set is being resolved.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    /// Listing the filtered set.
    Listing(Listing),
    /// Re-reading ids: the explicit rows (`listed: false`), or the rows
    /// seen that the re-list no longer has (`listed: true`).
    Reread {
        queue: Vec<WorkflowId>,
        asked: Vec<WorkflowId>,
        listed: bool,
    },
}

/// The set being resolved from the portal.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolving {
    kind: ActionKind,
    target: Target,
    at: TimeContext,
    step: Step,
    found: HashMap<WorkflowId, WorkflowRow>,
    gone: Vec<WorkflowId>,
    left_filters: usize,
    seq: u64,
}

/// The re-listed set and what the confirmation says about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Confirming {
    /// The action.
    pub kind: ActionKind,
    /// The set to act on, in ID order.
    pub rows: Vec<WorkflowRow>,
    /// The set summed up.
    pub breakdown: Breakdown,
    /// Selected workflows that no longer run: reported, not acted on.
    pub finished: Vec<WorkflowId>,
    /// Explicit rows that still run but no longer match the filters (for
    /// a preset such as Stuck: not stuck any more); acted on, as chosen.
    pub no_longer_matching: usize,
    /// "All matching": rows seen that still run but left the filters (not
    /// acted on).
    pub left_filters: usize,
    /// How many the selection counted at the click.
    pub selected: u64,
    /// "All matching": how many more match now than at the click.
    pub added: u64,
    /// "All matching": how many fewer match now, besides those found
    /// finished or gone from the filters.
    pub fewer: u64,
    /// The status text ("Stop…"), as the admin edits it.
    pub status: String,
    /// What the admin typed into "Type <N> to confirm" ("Delete…").
    pub typed: String,
    /// Another tab of this browser runs an action: seconds until its
    /// lease lapses (nothing starts meanwhile).
    pub blocked: Option<u64>,
    /// Why the run cannot be kept in the history (said before anything is
    /// done; the CSV report is offered instead); `None` when it can.
    pub history: Option<String>,
}

impl Confirming {
    /// How many workflows the run acts on.
    pub fn count(&self) -> usize {
        self.rows.len()
    }

    /// Whether a delete must be confirmed by typing the count.
    pub fn needs_typed_count(&self) -> bool {
        self.kind == ActionKind::Delete && self.rows.len() > 1
    }

    /// Whether the confirm button may start the run.
    pub fn can_confirm(&self) -> bool {
        !self.rows.is_empty()
            && (!self.needs_typed_count() || typed_count_is(&self.typed, self.rows.len()))
    }
}

/// What the request of a run out now is for.
#[derive(Debug, Clone, PartialEq)]
enum Part {
    /// A batch of the action.
    Batch,
    /// A re-read of these workflows (after answers that did not settle
    /// them).
    Recheck(Vec<WorkflowId>),
    /// A write of the run's journal.
    Journal(Write),
}

/// A run and its set.
#[derive(Debug, Clone, PartialEq)]
pub struct Running {
    /// The run.
    pub job: Job,
    /// When it was confirmed.
    pub started: TimeContext,
    out: Option<(u64, Part)>,
    /// Its journal in the portal's history (`None`: not kept).
    journal: Option<Journaling>,
}

impl Running {
    /// Whether a request of the run is out.
    pub fn is_sending(&self) -> bool {
        self.out.is_some()
    }

    /// Whether the run is kept in the history.
    pub fn is_recorded(&self) -> bool {
        self.journal.is_some()
    }

    /// The latest history write that failed, for the admin.
    pub fn history_problem(&self) -> Option<&str> {
        self.journal.as_ref().and_then(Journaling::problem)
    }

    /// The run's header in the history, when kept.
    pub fn header(&self) -> Option<&RunHeader> {
        self.journal.as_ref().map(Journaling::header)
    }
}

/// Where the flow stands.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Stage {
    /// Nothing under way.
    #[default]
    Idle,
    /// Resolving the set from the portal.
    Resolving(Resolving),
    /// The confirmation is open.
    Confirming(Confirming),
    /// The set could not be resolved: nothing was done.
    Failed {
        /// The action.
        kind: ActionKind,
        /// Why, for the admin.
        message: String,
    },
    /// A run is under way (or paused).
    Running(Running),
    /// The run ended: the result panel.
    Finished(Running),
}

/// What the admin or the portal did.
#[derive(Debug, Clone, PartialEq)]
pub enum ActEvent {
    /// "Stop…" or "Delete…" (the screen adds the target).
    Begin(ActionKind),
    /// A resolving request answered.
    Resolved {
        /// Which request.
        seq: u64,
        /// Its answer.
        result: Result<BatchResponse, RestError>,
    },
    /// The status text edited.
    StatusText(String),
    /// "Type <N> to confirm" edited.
    Typed(String),
    /// The confirm button.
    Confirm,
    /// Escape or Cancel in the confirmation, or closing the result panel.
    Close,
    /// A request of the run answered.
    Sent {
        /// Which request.
        seq: u64,
        /// Its answer.
        result: Result<BatchResponse, RestError>,
    },
    /// "Pause".
    Pause,
    /// "Resume".
    Resume,
    /// "Cancel" on the progress bar.
    Cancel,
    /// "Retry failed" on the result panel: the failed rows, rechecked and
    /// confirmed again.
    RetryFailed,
    /// "Download report (CSV)".
    DownloadReport,
    /// The answer to [`ActEffect::Claim`]: the lease is this tab's, or
    /// another tab's for this many seconds more.
    Claimed(Result<(), u64>),
    /// The journal of a run left behind, read back.
    LeftRead {
        /// Which read.
        seq: u64,
        /// Its answer.
        result: Result<BatchResponse, RestError>,
    },
    /// "Resume" on the banner of an interrupted run.
    ResumeLeft,
    /// "Dismiss" on that banner.
    DismissLeft,
}

/// What the shell must do for the flow.
#[derive(Debug, Clone, PartialEq)]
pub enum ActEffect {
    /// Send a resolving request (a read: it may be aborted); answer with
    /// [`ActEvent::Resolved`].
    Resolve {
        /// Its number.
        seq: u64,
        /// The batch.
        request: BatchRequest,
    },
    /// Abort the resolving request under way.
    AbortResolve,
    /// Send a request of the run; never aborted, and never replayed once
    /// it may have run; answer with [`ActEvent::Sent`].
    Send {
        /// Its number.
        seq: u64,
        /// The batch.
        request: BatchRequest,
    },
    /// Send a request of the run that is safe to repeat, retried as reads
    /// are (a 500 included): a recheck of workflows whose answer did not
    /// settle them, or a journal write of its own (the journal reads a
    /// chunk written twice once, and a closed header over a running copy);
    /// answer with [`ActEvent::Sent`].
    Repeatable {
        /// Its number.
        seq: u64,
        /// The batch.
        request: BatchRequest,
    },
    /// Offer a file to download.
    Download {
        /// The file name.
        name: String,
        /// Its text.
        content: String,
    },
    /// The run changed the portal: refresh the table, totals and counts.
    Refresh,
    /// Take this browser's run lease (`lease`), renewed with every
    /// [`ActEffect::Send`]; answer with [`ActEvent::Claimed`].
    Claim,
    /// Give the lease up: the run ended.
    Release,
    /// Read the history (the journal of a run left behind); answer with
    /// [`ActEvent::LeftRead`].
    ReadLeft {
        /// Its number.
        seq: u64,
        /// The batch.
        request: BatchRequest,
    },
    /// Write to the history, nothing to answer (closing the header of a
    /// run left behind).
    Write(BatchRequest),
}

/// What a claimed lease is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ClaimFor {
    Start,
    Resume,
}

/// The fields the confirmation needs of each row: the template (its
/// breakdown), the start (oldest and newest) and the document.
const CONFIRM_FIELDS: [Field; 4] = [
    Field::Id,
    Field::TemplateId,
    Field::Started,
    Field::DocumentId,
];

/// The acting flow.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Acting {
    stage: Stage,
    seq: u64,
    claiming: Option<ClaimFor>,
    /// Whether runs can be kept in the history; `None` until the
    /// storage's first answer (then the start write tells).
    history: Option<Availability>,
    /// Who confirms and the snapshots of the confirmed rows, prepared by
    /// the screen (which knows the names) right before the start.
    record: Option<(Who, Vec<Snapshot>)>,
    /// A run a closed frame left behind.
    left: Left,
}

impl Acting {
    /// Where the flow stands.
    pub fn stage(&self) -> &Stage {
        &self.stage
    }

    /// Whether a run is under way (the table may not start another).
    pub fn is_running(&self) -> bool {
        matches!(self.stage, Stage::Running(_))
    }

    /// What the storage said about keeping history.
    pub fn set_history(&mut self, history: Availability) {
        self.history = Some(history);
    }

    /// A run left behind, as far as known.
    pub fn left(&self) -> &Left {
        &self.left
    }

    /// The runs still marked running, as opening the app read them: the
    /// newest one's journal is read back (nothing else is sent).
    pub fn opened(&mut self, page: &Page) -> Vec<ActEffect> {
        let seq = self.seq + 1;
        match self.left.opened(page, seq) {
            Some(request) => {
                self.seq = seq;
                vec![ActEffect::ReadLeft { seq, request }]
            }
            None => Vec::new(),
        }
    }

    /// Whether runs can be kept in the history, as far as known.
    pub fn can_record(&self) -> bool {
        self.history.as_ref().is_none_or(Availability::can_record)
    }

    /// The rows the confirmation is about to start a run on, when a
    /// journal is to be written for it: the screen snapshots them with
    /// their names ([`Acting::prepare_record`]).
    pub fn to_snapshot(&self) -> Option<&[WorkflowRow]> {
        match &self.stage {
            Stage::Confirming(c) if c.history.is_none() && self.can_record() => Some(&c.rows),
            _ => None,
        }
    }

    /// Who starts the run and the snapshots of its rows, for its journal.
    pub fn prepare_record(&mut self, who: Who, snapshots: Vec<Snapshot>) {
        self.record = Some((who, snapshots));
    }

    /// "Stop…" or "Delete…" on `target`, at `at`.
    pub fn begin(&mut self, kind: ActionKind, target: Target, at: TimeContext) -> Vec<ActEffect> {
        if matches!(self.stage, Stage::Running(_)) || target.selection.is_empty() {
            return Vec::new();
        }
        let mut fx = Vec::new();
        if matches!(self.stage, Stage::Resolving(_)) {
            fx.push(ActEffect::AbortResolve);
        }
        let select = select_for(&target.filters, self.can_record());
        let step = match &target.selection {
            Selection::Rows(ids) => Step::Reread {
                queue: ids.iter().cloned().collect(),
                asked: Vec::new(),
                listed: false,
            },
            _ => Step::Listing(Listing::new(target.filters.conditions(at), select)),
        };
        self.seq += 1;
        let resolving = Resolving {
            kind,
            target,
            at,
            step,
            found: HashMap::new(),
            gone: Vec::new(),
            left_filters: 0,
            seq: self.seq,
        };
        self.stage = Stage::Resolving(resolving);
        self.next_resolve(&mut fx);
        fx
    }

    /// Applies `event`; `lang` and `me` (the admin's name, for the status
    /// text) are the screen's; `at` is now.
    pub fn update(
        &mut self,
        event: ActEvent,
        lang: Lang,
        me: Option<&str>,
        at: TimeContext,
    ) -> Vec<ActEffect> {
        let mut fx = Vec::new();
        match event {
            // The screen turns Begin into `begin` with its target.
            ActEvent::Begin(_) => {}
            ActEvent::Resolved { seq, result } => self.resolved(seq, result, lang, me, &mut fx),
            ActEvent::StatusText(text) => {
                if let Stage::Confirming(c) = &mut self.stage {
                    c.status = text;
                }
            }
            ActEvent::Typed(text) => {
                if let Stage::Confirming(c) = &mut self.stage {
                    c.typed = text;
                }
            }
            ActEvent::Confirm => {
                let ready = matches!(&self.stage, Stage::Confirming(c) if c.can_confirm());
                if ready && self.claiming.is_none() {
                    self.claiming = Some(ClaimFor::Start);
                    fx.push(ActEffect::Claim);
                }
            }
            ActEvent::Claimed(answer) => match (self.claiming.take(), answer) {
                (Some(ClaimFor::Start), Ok(())) => self.confirm(at, lang, &mut fx),
                (Some(ClaimFor::Start), Err(seconds)) => {
                    if let Stage::Confirming(c) = &mut self.stage {
                        c.blocked = Some(seconds);
                    }
                }
                (Some(ClaimFor::Resume), Ok(())) => self.with_job(|job| job.resume(), at, &mut fx),
                // Still paused: Resume may be pressed again.
                (Some(ClaimFor::Resume), Err(_)) | (None, _) => {}
            },
            ActEvent::Close => match &self.stage {
                Stage::Resolving(_) => {
                    self.claiming = None;
                    fx.push(ActEffect::AbortResolve);
                    self.stage = Stage::Idle;
                }
                Stage::Confirming(_) | Stage::Failed { .. } | Stage::Finished(_) => {
                    self.claiming = None;
                    self.stage = Stage::Idle;
                }
                Stage::Idle | Stage::Running(_) => {}
            },
            ActEvent::Sent { seq, result } => self.sent(seq, result, lang, at, &mut fx),
            ActEvent::Pause => self.with_job(|job| job.pause(), at, &mut fx),
            ActEvent::Resume => {
                let paused =
                    matches!(&self.stage, Stage::Running(r) if r.job.phase() == Phase::Paused);
                if paused && self.claiming.is_none() {
                    self.claiming = Some(ClaimFor::Resume);
                    fx.push(ActEffect::Claim);
                }
            }
            ActEvent::Cancel => self.with_job(|job| job.cancel(), at, &mut fx),
            ActEvent::RetryFailed => {}
            ActEvent::LeftRead { seq, result } => self.left.read(seq, result, at.now),
            ActEvent::DismissLeft => {
                if let Some(close) = self.left.dismiss(at.now * 1000) {
                    if let Ok(request) = BatchRequest::new(false, vec![close]) {
                        fx.push(ActEffect::Write(request));
                    }
                }
            }
            ActEvent::ResumeLeft => {
                let free = matches!(
                    self.stage,
                    Stage::Idle | Stage::Failed { .. } | Stage::Finished(_)
                );
                let resumed = if free {
                    self.left.resume(at.now * 1000)
                } else {
                    None
                };
                if let Some((close, target)) = resumed {
                    if let Some(request) =
                        close.and_then(|c| BatchRequest::new(false, vec![c]).ok())
                    {
                        fx.push(ActEffect::Write(request));
                    }
                    if let Some((kind, target)) = target {
                        fx.extend(self.begin(kind, target, at));
                    }
                }
            }
            ActEvent::DownloadReport => {
                if let Stage::Finished(run) | Stage::Running(run) = &self.stage {
                    fx.push(ActEffect::Download {
                        name: report_name(run.job.action(), run.started),
                        content: run.job.report_csv(lang),
                    });
                }
            }
        }
        fx
    }

    /// The failed rows of a finished run, as the target of "Retry failed"
    /// (`None` when there are none).
    pub fn retry_target(&self, filters: &Filters) -> Option<(ActionKind, Target)> {
        let Stage::Finished(run) = &self.stage else {
            return None;
        };
        let failed: HashSet<WorkflowId> = run.job.failed().into_iter().collect();
        if failed.is_empty() {
            return None;
        }
        let kind = match run.job.action() {
            Action::Stop { .. } => ActionKind::Stop,
            Action::Delete => ActionKind::Delete,
        };
        Some((
            kind,
            Target {
                selection: Selection::Rows(failed),
                filters: filters.clone(),
                seen: Vec::new(),
            },
        ))
    }

    fn next_resolve(&mut self, fx: &mut Vec<ActEffect>) {
        let all_fields = self.can_record();
        let Stage::Resolving(r) = &mut self.stage else {
            return;
        };
        let request = match &mut r.step {
            Step::Listing(listing) => listing.next_request(),
            Step::Reread { queue, asked, .. } => {
                let n = queue.len().min(MAX_COMMANDS);
                *asked = queue.drain(..n).collect();
                let select = select_for(&r.target.filters, all_fields);
                reread(asked, &select)
                    .map(|v| v.into_iter().next())
                    .transpose()
            }
        };
        match request {
            Some(Ok(request)) => {
                self.seq += 1;
                r.seq = self.seq;
                fx.push(ActEffect::Resolve {
                    seq: self.seq,
                    request,
                });
            }
            Some(Err(e)) => {
                let kind = r.kind;
                self.stage = Stage::Failed {
                    kind,
                    message: e.to_string(),
                };
            }
            None => {}
        }
    }

    fn resolved(
        &mut self,
        seq: u64,
        result: Result<BatchResponse, RestError>,
        lang: Lang,
        me: Option<&str>,
        fx: &mut Vec<ActEffect>,
    ) {
        let Stage::Resolving(r) = &mut self.stage else {
            return;
        };
        if r.seq != seq {
            return;
        }
        let read = result
            .map_err(RecheckError::Portal)
            .and_then(|answer| take(r, &answer));
        let more = match read {
            Ok(more) => more,
            Err(e) => {
                let message = match &e {
                    RecheckError::Portal(err) => {
                        let (title, detail) = err.headline(lang);
                        format!("{title} {detail}")
                    }
                    other => other.to_string(),
                };
                self.stage = Stage::Failed {
                    kind: r.kind,
                    message,
                };
                return;
            }
        };
        if more {
            self.next_resolve(fx);
            return;
        }
        let mut confirming = confirmation(r, lang, me);
        confirming.history = self.history.as_ref().and_then(|h| h.message(lang));
        self.stage = Stage::Confirming(confirming);
    }

    fn confirm(&mut self, at: TimeContext, lang: Lang, fx: &mut Vec<ActEffect>) {
        let record = self.record.take();
        let Stage::Confirming(c) = &self.stage else {
            return;
        };
        if !c.can_confirm() {
            return;
        }
        let action = match c.kind {
            ActionKind::Stop => Action::Stop {
                status: c.status.clone(),
            },
            ActionKind::Delete => Action::Delete,
        };
        let ids: Vec<WorkflowId> = c.rows.iter().map(|r| r.id.clone()).collect();
        let journal = match record {
            Some((who, snapshots)) if c.history.is_none() && self.can_record() => {
                let header = RunHeader::start(who, at.now * 1000, action.clone(), ids.len());
                let setup = self.history == Some(Availability::NeedsSetup);
                match Journaling::new(header, &snapshots, setup, c.clone()) {
                    Ok(j) => Some(j),
                    Err(e) => {
                        let warning = unrecordable(e.to_string());
                        if let Stage::Confirming(c) = &mut self.stage {
                            c.history = warning.message(lang);
                        }
                        fx.push(ActEffect::Release);
                        return;
                    }
                }
            }
            _ => None,
        };
        let Ok(job) = Job::new(action, &ids) else {
            return;
        };
        let job = job.with_finished(&c.finished);
        self.stage = Stage::Running(Running {
            job,
            started: at,
            out: None,
            journal,
        });
        self.drive(at, fx);
    }

    fn sent(
        &mut self,
        seq: u64,
        result: Result<BatchResponse, RestError>,
        lang: Lang,
        at: TimeContext,
        fx: &mut Vec<ActEffect>,
    ) {
        let Stage::Running(run) = &mut self.stage else {
            return;
        };
        let Some((out_seq, part)) = run.out.take() else {
            return;
        };
        if out_seq != seq {
            run.out = Some((out_seq, part));
            return;
        }
        match (part, result) {
            (Part::Journal(write), result) => {
                let Some(journal) = run.journal.as_mut() else {
                    return;
                };
                let setup = write == Write::Setup && result.is_ok();
                if let Err(reason) = journal.answered(write, result) {
                    // Nothing was done: back to the confirmation, which now
                    // says the run cannot be kept in the history.
                    let fallback = journal.take_fallback();
                    let failed = unrecordable(reason);
                    let message = failed.message(lang);
                    self.history = Some(failed);
                    if let Some(mut c) = fallback {
                        c.history = message;
                        self.stage = Stage::Confirming(*c);
                    } else {
                        self.stage = Stage::Idle;
                    }
                    fx.push(ActEffect::Release);
                    return;
                }
                if setup {
                    self.history = Some(Availability::Ready);
                }
            }
            (Part::Batch, Ok(answer)) => {
                run.job.answered(&answer);
                if let Some(journal) = run.journal.as_mut() {
                    if !journal.batch_answered(Some(&answer)) {
                        // The journal is no longer complete: the admin
                        // decides whether to go on.
                        run.job.pause();
                    }
                }
            }
            (Part::Batch, Err(e)) => {
                let (title, detail) = e.headline(lang);
                run.job.request_failed(&format!("{title} {detail}"));
                if let Some(journal) = run.journal.as_mut() {
                    journal.batch_answered(None);
                }
            }
            (Part::Recheck(asked), Ok(answer)) => match reread_rows(&asked, &answer) {
                Ok(rows) => {
                    let still: HashSet<WorkflowId> = rows.into_iter().map(|r| r.id).collect();
                    run.job.rechecked(&asked, &still);
                }
                Err(e) => run.job.recheck_failed(&asked, &e.to_string()),
            },
            (Part::Recheck(asked), Err(e)) => {
                let (title, detail) = e.headline(lang);
                run.job.recheck_failed(&asked, &format!("{title} {detail}"));
            }
        }
        self.drive(at, fx);
    }

    fn with_job(&mut self, f: impl FnOnce(&mut Job), at: TimeContext, fx: &mut Vec<ActEffect>) {
        if let Stage::Running(run) = &mut self.stage {
            f(&mut run.job);
            self.drive(at, fx);
        }
    }

    /// Sends what the run needs next: a recheck first, then the next
    /// batch; a finished run becomes the result panel.
    fn drive(&mut self, at: TimeContext, fx: &mut Vec<ActEffect>) {
        let Stage::Running(run) = &mut self.stage else {
            return;
        };
        if run.out.is_none() {
            if let Some((part, request)) = next_request(run, at) {
                self.seq += 1;
                let seq = self.seq;
                fx.push(match part {
                    Part::Batch => ActEffect::Send { seq, request },
                    Part::Recheck(_) | Part::Journal(_) => ActEffect::Repeatable { seq, request },
                });
                run.out = Some((seq, part));
            }
        }
        let closed = run.journal.as_ref().is_none_or(|j| j.is_closed(&run.job));
        if run.job.phase() == Phase::Finished && run.out.is_none() && closed {
            let Stage::Running(run) = std::mem::take(&mut self.stage) else {
                return;
            };
            self.stage = Stage::Finished(run);
            fx.push(ActEffect::Release);
            fx.push(ActEffect::Refresh);
        }
    }
}

/// What `run` sends next: its journal's start before any action, a
/// recheck before the next batch (which carries the outcomes not yet
/// journalled), the journal's close once the run ended.
fn next_request(run: &mut Running, at: TimeContext) -> Option<(Part, BatchRequest)> {
    if let Some(journal) = run.journal.as_mut() {
        if !journal.is_started() {
            if run.job.phase() == Phase::Finished {
                // Cancelled before its journal was started: nothing to close.
                run.journal = None;
                return None;
            }
            return journal
                .next_start()
                .map(|(write, request)| (Part::Journal(write), request));
        }
        if run.job.phase() == Phase::Finished {
            return journal
                .next_finish(&run.job, at.now * 1000)
                .map(|(write, request)| (Part::Journal(write), request));
        }
    }
    let recheck = run.job.to_recheck();
    if !recheck.is_empty() {
        let asked: Vec<WorkflowId> = recheck.into_iter().take(MAX_COMMANDS).collect();
        let request = reread(&asked, &[Field::Id])
            .ok()
            .and_then(|v| v.into_iter().next());
        return match request {
            Some(request) => Some((Part::Recheck(asked), request)),
            None => {
                run.job
                    .recheck_failed(&asked, "the recheck could not be built");
                None
            }
        };
    }
    // The journal's command rides only when there are outcomes to write
    // (not with the first batch): 2,500 actions go in 51 requests, not 52.
    let riding = run.journal.as_ref().is_some_and(|j| j.will_ride(&run.job));
    let most = MAX_COMMANDS - usize::from(riding);
    let batch = run.job.send_next_within(most)?.request.clone();
    let request = match run.journal.as_mut() {
        Some(journal) => journal.ride(&run.job, &batch),
        None => batch,
    };
    Some((Part::Batch, request))
}

/// The fields a resolving request selects: what the confirmation shows,
/// and what the filters need for a re-read row to be checked against them;
/// all nine when the run is to be kept in the history (its snapshots).
fn select_for(filters: &Filters, all: bool) -> Vec<Field> {
    if all {
        return Field::ALL.to_vec();
    }
    let mut select = CONFIRM_FIELDS.to_vec();
    for f in filters.needed_fields() {
        if !select.contains(&f) {
            select.push(f);
        }
    }
    select
}

/// Takes a resolving answer into `r`; whether another request is needed.
fn take(r: &mut Resolving, answer: &BatchResponse) -> Result<bool, RecheckError> {
    match &mut r.step {
        Step::Listing(listing) => {
            listing.answered(answer)?;
            if !listing.is_done() {
                return Ok(true);
            }
            for row in listing.rows() {
                r.found.insert(row.id.clone(), row.clone());
            }
            let vanished: Vec<WorkflowId> = r
                .target
                .seen
                .iter()
                .filter(|id| !r.found.contains_key(*id))
                .cloned()
                .collect();
            if vanished.is_empty() {
                return Ok(false);
            }
            r.step = Step::Reread {
                queue: vanished,
                asked: Vec::new(),
                listed: true,
            };
            Ok(true)
        }
        Step::Reread {
            queue,
            asked,
            listed,
        } => {
            let rows = reread_rows(asked, answer)?;
            let running: HashMap<WorkflowId, WorkflowRow> =
                rows.into_iter().map(|row| (row.id.clone(), row)).collect();
            for id in asked.drain(..) {
                match running.get(&id) {
                    Some(_) if *listed => r.left_filters += 1,
                    Some(row) => {
                        r.found.insert(id, row.clone());
                    }
                    None => r.gone.push(id),
                }
            }
            Ok(!queue.is_empty())
        }
    }
}

/// The confirmation for what `r` resolved.
fn confirmation(r: &Resolving, lang: Lang, me: Option<&str>) -> Confirming {
    let mut rows: Vec<WorkflowRow> = r.found.values().cloned().collect();
    super::recheck::by_id(&mut rows);
    let explicit = matches!(r.target.selection, Selection::Rows(_));
    let no_longer_matching = if explicit {
        rows.iter()
            .filter(|row| r.target.filters.iter().any(|f| f.broken_by(row, r.at)))
            .count()
    } else {
        0
    };
    let selected = r.target.selection.count();
    let (added, fewer) = if explicit {
        (0, 0)
    } else {
        let expected = selected.saturating_sub((r.gone.len() + r.left_filters) as u64);
        let now = rows.len() as u64;
        (now.saturating_sub(expected), expected.saturating_sub(now))
    };
    let t = lang.texts();
    let status = match me {
        Some(name) if !name.trim().is_empty() => {
            fill(t.act_status_default, &[("name", name.trim())])
        }
        _ => t.act_status_default_anonymous.to_owned(),
    };
    Confirming {
        kind: r.kind,
        breakdown: breakdown(&rows),
        rows,
        finished: r.gone.clone(),
        no_longer_matching,
        left_filters: r.left_filters,
        selected,
        added,
        fewer,
        status,
        typed: String::new(),
        blocked: None,
        history: None,
    }
}

/// History that cannot be kept, for `reason`.
fn unrecordable(reason: String) -> Availability {
    Availability::Unavailable(Unavailable::Failed(RestError::portal(
        ErrorCode::Other,
        reason,
    )))
}

/// The report's file name: `workflows-stopped-<YYYY-MM-DD-HHmm>.csv`.
fn report_name(action: &Action, started: TimeContext) -> String {
    let verb = match action {
        Action::Stop { .. } => "stopped",
        Action::Delete => "deleted",
    };
    let c = Civil::at(started.now, started.offset_minutes);
    format!(
        "workflows-{verb}-{:04}-{:02}-{:02}-{:02}{:02}.csv",
        c.year, c.month, c.day, c.hour, c.minute
    )
}

#[cfg(test)]
#[path = "flow_tests.rs"]
mod tests;
