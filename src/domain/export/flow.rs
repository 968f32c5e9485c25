//! The export as a state machine: "Export…" opens the choice
//! ([`Stage::Choosing`]); "Export" reads the set request by request and
//! writes the file in parts as each part's names are known
//! ([`Stage::Running`]); the end offers the file ([`Stage::Done`]).
//!
//! One request is out at a time, so the export takes the limiter's pace
//! without crowding the table's own requests, and "Cancel" sends nothing
//! more. Events in, effects out: nothing here sends, reads a clock or
//! touches the file; the shell keeps the parts (a `Blob` each) and the
//! download.

use std::collections::VecDeque;

use crate::domain::actions::recheck::{reread, reread_rows};
use crate::domain::actions::selection::Selection;
use crate::domain::display::names::UserNames;
use crate::domain::i18n::{fill, Lang};
use crate::domain::methods::instances::{Condition, Field, UserId, WorkflowId, WorkflowRow};
use crate::domain::methods::lookups::Templates;
use crate::domain::time::TimeContext;
use crate::domain::wire::batch::{BatchRequest, BatchResponse, MAX_COMMANDS};
use crate::domain::wire::errors::RestError;

use super::chain::Chain;
use super::file::{
    csv_head, csv_rows, csv_tail, file_name, host_of, json_head, json_rows, json_tail, layout,
    Format, Naming, Out, Summary,
};

/// Which workflows go into the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scope {
    /// Every workflow matching the view's filters.
    #[default]
    Matching,
    /// The selection only.
    Selected,
}

/// Which fields go into the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Columns {
    /// The table's visible fields, in its order.
    #[default]
    Visible,
    /// All nine.
    All,
}

/// What the admin chose in the dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Choice {
    /// Which workflows.
    pub scope: Scope,
    /// CSV or JSON.
    pub format: Format,
    /// Which fields.
    pub columns: Columns,
    /// A local-time column after each date (CSV and JSON alike).
    pub local_times: bool,
}

impl Choice {
    /// The choice after the dialog's control `name` (`scope`, `format`,
    /// `columns`, `local`) became `value` (`checked` for the box); an
    /// unknown control or value changes nothing.
    pub fn with(self, name: &str, value: &str, checked: bool) -> Choice {
        let mut next = self;
        match (name, value) {
            ("scope", "matching") => next.scope = Scope::Matching,
            ("scope", "selected") => next.scope = Scope::Selected,
            ("format", "csv") => next.format = Format::Csv,
            ("format", "json") => next.format = Format::Json,
            ("columns", "visible") => next.columns = Columns::Visible,
            ("columns", "all") => next.columns = Columns::All,
            ("local", _) => next.local_times = checked,
            _ => {}
        }
        next
    }
}

/// The open dialog.
#[derive(Debug, Clone, PartialEq)]
pub struct Choosing {
    /// The choice so far.
    pub choice: Choice,
    /// How many the selection holds (0: no selection, only "all matching").
    pub selected: u64,
    /// How many match the filters, as the list last said.
    pub matching: u64,
}

/// What a step of the export is.
#[derive(Debug, Clone, PartialEq)]
pub enum ExportEvent {
    /// "Export…" in the toolbar (`selected: false`) or the selection bar.
    Open {
        /// Opened from the selection bar: the selection is the scope.
        selected: bool,
    },
    /// The dialog's choice changed.
    Choose(Choice),
    /// The dialog closed without exporting (Escape, "Cancel").
    Close,
    /// "Export".
    Start {
        /// The portal's origin (the file's name, the documents' links).
        origin: String,
    },
    /// The request of `seq` answered.
    Answered {
        /// Which request.
        seq: u64,
        /// Its answer.
        result: Result<BatchResponse, RestError>,
    },
    /// "Cancel" while it runs.
    Cancel,
    /// The end's note closed.
    Dismiss,
}

/// What the shell must do for the export.
#[derive(Debug, Clone, PartialEq)]
pub enum ExportEffect {
    /// Send this batch (through the limiter, retried as reads are);
    /// answer with [`ExportEvent::Answered`].
    Fetch {
        /// The request's number.
        seq: u64,
        /// What to send.
        request: BatchRequest,
    },
    /// Start a new file (dropping any earlier parts).
    Begin,
    /// Append this part to the file.
    Write(String),
    /// Offer the file as `name` of type `mime`, then drop its parts.
    Save {
        /// The file's name.
        name: String,
        /// Its type.
        mime: String,
    },
    /// Drop the file's parts: nothing is offered.
    Discard,
}

/// Where the rows come from.
#[derive(Debug, Clone, PartialEq)]
enum Source {
    /// The filtered set, by the chained read.
    Chain(Chain),
    /// Explicit rows, re-read by ID (50 a request), in ID order.
    Reread {
        queue: VecDeque<WorkflowId>,
        asked: Vec<WorkflowId>,
        select: Vec<Field>,
        total: u64,
    },
}

/// A running export.
#[derive(Debug, Clone, PartialEq)]
pub struct Running {
    source: Source,
    format: Format,
    layout: Vec<Out>,
    origin: String,
    started: TimeContext,
    seq: u64,
    out: bool,
    /// Rows read whose names are not all known yet, oldest first.
    pending: VecDeque<Vec<WorkflowRow>>,
    written: u64,
    read: u64,
    /// Requests answered, and the seconds they took in all.
    answered: u64,
    elapsed_s: i64,
}

impl Running {
    /// Rows written to the file so far.
    pub fn written(&self) -> u64 {
        self.written
    }

    /// How many the file will hold, as the portal last said: what was read
    /// and what it says is left.
    pub fn of(&self) -> u64 {
        match &self.source {
            Source::Chain(chain) => self.read + chain.left().unwrap_or(0),
            Source::Reread { total, .. } => *total,
        }
    }

    /// Seconds left, from this export's own pace (the limiter's included):
    /// `None` before the first answer.
    pub fn seconds_left(&self) -> Option<u64> {
        let requests_left = match &self.source {
            Source::Chain(chain) => chain.requests_left()?,
            Source::Reread { queue, .. } => queue.len().div_ceil(MAX_COMMANDS) as u64,
        };
        if self.answered == 0 {
            return None;
        }
        // At least the portal's 2 requests a second once the burst is used.
        let per_request = (self.elapsed_s as f64 / self.answered as f64).max(0.5);
        Some((per_request * requests_left as f64).ceil() as u64)
    }

    /// The progress line: "Exporting 12,500 of 100,000…".
    pub fn progress_text(&self, lang: Lang) -> String {
        let t = lang.texts();
        let mut text = fill(
            t.export_progress,
            &[
                ("done", &lang.number(self.written)),
                ("total", &lang.number(self.of().max(self.written))),
            ],
        );
        if let Some(s) = self.seconds_left().filter(|s| *s > 0) {
            text.push(' ');
            text.push_str(&fill(
                t.export_time_left,
                &[("time", &crate::domain::time::format::span_text(s, lang))],
            ));
        }
        text
    }
}

/// How an export ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Ended {
    /// The file offered (`None`: cancelled or failed, nothing offered).
    pub file: Option<String>,
    /// Rows written.
    pub rows: u64,
    /// How many matched at the start (`None`: explicit rows).
    pub matched: Option<u64>,
    /// Why it failed, for the admin.
    pub error: Option<String>,
}

impl Ended {
    /// The note for the admin.
    pub fn text(&self, lang: Lang) -> String {
        let t = lang.texts();
        let rows = lang.plural(self.rows, &t.workflows);
        match (&self.file, &self.error) {
            (_, Some(error)) => fill(t.export_failed, &[("error", error)]),
            (None, None) => fill(t.export_cancelled, &[("workflows", &rows)]),
            (Some(file), None) => {
                let mut text = fill(t.export_done, &[("workflows", &rows), ("file", file)]);
                if let Some(matched) = self.matched.filter(|m| *m != self.rows) {
                    let change = self.rows as i64 - matched as i64;
                    text.push(' ');
                    text.push_str(&fill(
                        t.export_changed,
                        &[
                            ("matched", &lang.number(matched)),
                            ("change", &format!("{change:+}")),
                        ],
                    ));
                }
                text
            }
        }
    }
}

/// Where the export stands.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Stage {
    /// Nothing.
    #[default]
    Idle,
    /// The dialog is open.
    Choosing(Choosing),
    /// Reading and writing.
    Running(Running),
    /// Ended: done, cancelled or failed.
    Ended(Ended),
}

/// What the screen gives the export when it starts.
#[derive(Debug, Clone)]
pub struct Context<'a> {
    /// The selection.
    pub selection: &'a Selection,
    /// The view's filter conditions, resolved now.
    pub conditions: Vec<Condition>,
    /// The table's visible fields, in its order.
    pub visible: Vec<Field>,
    /// Now.
    pub at: TimeContext,
}

/// The names the file needs: every template, the people of its rows.
#[derive(Debug, Clone, Copy)]
pub struct Known<'a> {
    /// The templates; `None` while they load.
    pub templates: Option<&'a Templates>,
    /// Whether the template list has settled (loaded or failed).
    pub templates_settled: bool,
    /// The people.
    pub users: &'a UserNames,
    /// The admin's language.
    pub lang: Lang,
}

/// The export.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Export {
    stage: Stage,
    seq: u64,
}

impl Export {
    /// Where it stands.
    pub fn stage(&self) -> &Stage {
        &self.stage
    }

    /// Whether an export is reading or writing.
    pub fn is_running(&self) -> bool {
        matches!(self.stage, Stage::Running(_))
    }

    /// Opens the dialog; `selected` makes the selection its scope.
    pub fn open(&mut self, selected: bool, selection: &Selection, matching: u64) {
        if self.is_running() {
            return;
        }
        let count = selection.count();
        let scope = if selected && count > 0 {
            Scope::Selected
        } else {
            Scope::Matching
        };
        let choice = match &self.stage {
            Stage::Choosing(c) => c.choice,
            _ => Choice::default(),
        };
        self.stage = Stage::Choosing(Choosing {
            choice: Choice { scope, ..choice },
            selected: count,
            matching,
        });
    }

    /// Applies a change of the dialog's choice.
    pub fn choose(&mut self, choice: Choice) {
        if let Stage::Choosing(c) = &mut self.stage {
            if choice.scope == Scope::Selected && c.selected == 0 {
                return;
            }
            c.choice = choice;
        }
    }

    /// Closes the dialog or the end's note.
    pub fn close(&mut self) {
        if matches!(self.stage, Stage::Choosing(_) | Stage::Ended(_)) {
            self.stage = Stage::Idle;
        }
    }

    /// "Export": the first request and a new file.
    pub fn start(&mut self, origin: String, ctx: Context, known: Known) -> Vec<ExportEffect> {
        let Stage::Choosing(choosing) = &self.stage else {
            return Vec::new();
        };
        let choice = choosing.choice;
        let fields: Vec<Field> = match choice.columns {
            Columns::Visible if !ctx.visible.is_empty() => ctx.visible.clone(),
            _ => crate::domain::table::view::Column::ALL
                .iter()
                .filter_map(|c| match c {
                    crate::domain::table::view::Column::Field(f) => Some(*f),
                    _ => None,
                })
                .collect(),
        };
        let mut select: Vec<Field> = fields.clone();
        // A document's label and link need its module, class and template.
        if fields.contains(&Field::DocumentId) {
            let wanted = [Field::ModuleId, Field::Entity, Field::TemplateId];
            select.extend(wanted.iter().filter(|w| !fields.contains(w)));
        }
        let source = match (choice.scope, ctx.selection) {
            (Scope::Selected, Selection::Rows(ids)) => {
                let mut ids: Vec<WorkflowId> = ids.iter().cloned().collect();
                ids.sort();
                Source::Reread {
                    total: ids.len() as u64,
                    queue: ids.into(),
                    asked: Vec::new(),
                    select,
                }
            }
            (Scope::Selected, Selection::AllMatching { filters, .. }) => {
                Source::Chain(Chain::new(filters.conditions(ctx.at), select))
            }
            _ => Source::Chain(Chain::new(ctx.conditions, select)),
        };
        let mut running = Running {
            source,
            format: choice.format,
            layout: layout(&fields, choice.local_times),
            origin,
            started: ctx.at,
            seq: 0,
            out: false,
            pending: VecDeque::new(),
            written: 0,
            read: 0,
            answered: 0,
            elapsed_s: 0,
        };
        let mut fx = vec![
            ExportEffect::Begin,
            ExportEffect::Write(match running.format {
                Format::Csv => csv_head(&running.layout, known.lang),
                Format::Json => json_head().to_owned(),
            }),
        ];
        self.seq += 1;
        running.seq = self.seq;
        match next_request(&mut running) {
            Some(Ok(request)) => {
                running.out = true;
                fx.push(ExportEffect::Fetch {
                    seq: running.seq,
                    request,
                });
                self.stage = Stage::Running(running);
                fx
            }
            Some(Err(message)) => {
                fx.extend(self.fail(0, message));
                fx
            }
            None => {
                self.stage = Stage::Running(running);
                fx.extend(self.flush(known));
                fx
            }
        }
    }

    fn fail(&mut self, rows: u64, error: String) -> Vec<ExportEffect> {
        self.stage = Stage::Ended(Ended {
            file: None,
            rows,
            matched: None,
            error: Some(error),
        });
        vec![ExportEffect::Discard]
    }

    /// An answer: its rows wait for their names. Returns the effects and
    /// the people the names still need (for the screen to ask).
    pub fn answered(
        &mut self,
        seq: u64,
        result: Result<BatchResponse, RestError>,
        at: TimeContext,
        known: Known,
    ) -> (Vec<ExportEffect>, Vec<UserId>) {
        let Stage::Running(running) = &mut self.stage else {
            return (Vec::new(), Vec::new());
        };
        if !running.out || seq != running.seq {
            return (Vec::new(), Vec::new());
        }
        running.out = false;
        running.answered += 1;
        running.elapsed_s = (at.now - running.started.now).max(0);
        let rows = match result
            .map_err(|e| e.message(known.lang))
            .and_then(|answer| read_rows(running, &answer))
        {
            Ok(rows) => rows,
            Err(message) => {
                let written = running.written;
                return (self.fail(written, message), Vec::new());
            }
        };
        running.read += rows.len() as u64;
        let people: Vec<UserId> = rows.iter().filter_map(|r| r.started_by).collect();
        running.pending.push_back(rows);
        let mut fx = Vec::new();
        self.seq += 1;
        let seq = self.seq;
        if let Stage::Running(running) = &mut self.stage {
            running.seq = seq;
            match next_request(running) {
                Some(Ok(request)) => {
                    running.out = true;
                    fx.push(ExportEffect::Fetch { seq, request });
                }
                Some(Err(message)) => {
                    let written = running.written;
                    return (self.fail(written, message), Vec::new());
                }
                None => {}
            }
        }
        fx.extend(self.flush(known));
        (fx, people)
    }

    /// Writes every part whose names are known, in order; once all is
    /// read and written, ends the file and offers it.
    pub fn flush(&mut self, known: Known) -> Vec<ExportEffect> {
        let Stage::Running(running) = &mut self.stage else {
            return Vec::new();
        };
        let mut fx = Vec::new();
        let naming = Naming {
            templates: known.templates,
            users: known.users,
            lang: known.lang,
            origin: &running.origin,
            offset_minutes: running.started.offset_minutes,
        };
        let settled = |rows: &[WorkflowRow]| {
            (known.templates_settled
                || !running.layout.iter().any(|o| {
                    matches!(o, Out::TemplateName | Out::DocumentLabel | Out::DocumentUrl)
                }))
                && rows
                    .iter()
                    .filter_map(|r| r.started_by)
                    .all(|id| !known.users.label(id, known.lang.texts()).is_pending())
        };
        while running.pending.front().is_some_and(|rows| settled(rows)) {
            let Some(rows) = running.pending.pop_front() else {
                break;
            };
            if rows.is_empty() {
                continue;
            }
            let part = match running.format {
                Format::Csv => csv_rows(&rows, &running.layout, &naming),
                Format::Json => json_rows(&rows, &running.layout, &naming, running.written == 0),
            };
            running.written += rows.len() as u64;
            fx.push(ExportEffect::Write(part));
        }
        if !running.out && running.pending.is_empty() {
            let matched = match &running.source {
                Source::Chain(chain) => chain.first_total(),
                Source::Reread { .. } => None,
            };
            let summary = Summary {
                rows: running.written,
                matched: matched.unwrap_or(running.written),
                host: host_of(&running.origin),
                at: running.started,
            };
            fx.push(ExportEffect::Write(match running.format {
                Format::Csv => csv_tail(&summary, known.lang),
                Format::Json => json_tail(&summary),
            }));
            let name = file_name(&running.origin, running.started, running.format);
            fx.push(ExportEffect::Save {
                name: name.clone(),
                mime: running.format.mime().to_owned(),
            });
            self.stage = Stage::Ended(Ended {
                file: Some(name),
                rows: summary.rows,
                matched,
                error: None,
            });
        }
        fx
    }

    /// "Cancel": nothing more is sent, the parts are dropped.
    pub fn cancel(&mut self) -> Vec<ExportEffect> {
        let Stage::Running(running) = &self.stage else {
            return Vec::new();
        };
        self.stage = Stage::Ended(Ended {
            file: None,
            rows: running.written,
            matched: None,
            error: None,
        });
        vec![ExportEffect::Discard]
    }
}

/// The next request of `running`, `None` once all is read.
fn next_request(running: &mut Running) -> Option<Result<BatchRequest, String>> {
    match &mut running.source {
        Source::Chain(chain) => chain.next_request().map(|r| r.map_err(|e| e.to_string())),
        Source::Reread {
            queue,
            asked,
            select,
            ..
        } => {
            *asked = queue.drain(..queue.len().min(MAX_COMMANDS)).collect();
            if asked.is_empty() {
                return None;
            }
            let request = reread(asked, select).map(|r| r.into_iter().next());
            match request {
                Ok(Some(request)) => Some(Ok(request)),
                Ok(None) => None,
                Err(e) => Some(Err(e.to_string())),
            }
        }
    }
}

/// The rows an answer brought.
fn read_rows(running: &mut Running, answer: &BatchResponse) -> Result<Vec<WorkflowRow>, String> {
    match &mut running.source {
        Source::Chain(chain) => chain.answered(answer).map_err(|e| e.to_string()),
        Source::Reread { asked, .. } => reread_rows(asked, answer).map_err(|e| e.to_string()),
    }
}
