//! Reading the history back: the requests that list runs and read one
//! run's journal, a tolerant reader of `entity.item.get` answers, and a
//! run assembled from its header and chunks, with its tally and its CSV.
//!
//! Reading never panics and never drops what it can read: an item it
//! cannot read is reported as a [`Problem`]; a `DATA` cut short keeps its
//! complete entries; a chunk written twice (a retried request) counts
//! once.

use std::collections::{HashMap, HashSet};

use serde_json::{json, Value};

use crate::domain::actions::job::Tally;
use crate::domain::actions::run::{Action, Outcome};
use crate::domain::display::csv::to_csv;
use crate::domain::i18n::{Lang, Texts};
use crate::domain::methods::instances::{Field, WorkflowId};
use crate::domain::time::instant::Timestamp;
use crate::domain::wire::batch::{
    BatchCommand, BatchError, BatchRequest, CommandKey, MAX_COMMANDS,
};
use crate::domain::wire::errors::{loose_u64, RawResponse};

use super::record::{outcome_from_data, versioned, RunHeader, RunKey, RunState, Snapshot};
use super::storage::{Kind, Property, ENTITY};

/// Items per page of `entity.item.get` (fixed by the server).
pub const PAGE_SIZE: u64 = 50;
/// The method.
pub const ITEM_GET: &str = "entity.item.get";

/// The runs, newest first (`KIND=run`, by item id descending), from
/// `start`; with `running_only`, only those whose header says running
/// (what opening the app reads).
pub fn runs_command(key: CommandKey, start: u64, running_only: bool) -> BatchCommand {
    let mut filter = json!({ Property::Kind.filter_key(): Kind::Run.as_str() });
    if running_only {
        filter[Property::State.filter_key()] = json!(RunState::Running.as_str());
    }
    BatchCommand {
        key,
        method: ITEM_GET.to_owned(),
        params: json!({ "ENTITY": ENTITY, "SORT": {"ID": "DESC"}, "FILTER": filter, "start": start }),
    }
}

/// One page of `run`'s chunks (`KIND=rows`, `RUN=<key>`), oldest first.
pub fn rows_command(key: CommandKey, run: &RunKey, start: u64) -> BatchCommand {
    BatchCommand {
        key,
        method: ITEM_GET.to_owned(),
        params: json!({
            "ENTITY": ENTITY,
            "SORT": {"ID": "ASC"},
            "FILTER": {
                Property::Kind.filter_key(): Kind::Rows.as_str(),
                Property::Run.filter_key(): run.as_str(),
            },
            "start": start,
        }),
    }
}

/// Every page of `run`'s chunks, 50 pages (2,500 chunks) a request:
/// `p0`, `p1`, … for `start` 0, 50, …, up to `total` (a first page's
/// `total`, or a guess: a page beyond the end answers an empty list).
pub fn rows_requests(run: &RunKey, total: u64) -> Result<Vec<BatchRequest>, BatchError> {
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let commands: Vec<BatchCommand> = (0..pages)
        .map(|p| rows_command(CommandKey::indexed(0), run, p * PAGE_SIZE))
        .collect();
    commands
        .chunks(MAX_COMMANDS)
        .map(|chunk| {
            let keyed = chunk
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    Ok(BatchCommand {
                        key: CommandKey::new(format!("p{i}"))?,
                        ..c.clone()
                    })
                })
                .collect::<Result<Vec<_>, BatchError>>()?;
            BatchRequest::new(false, keyed)
        })
        .collect()
}

/// An item as stored: its id, when the portal last wrote it, and what it
/// holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Stored<T> {
    /// The item's `ID`.
    pub item_id: u64,
    /// `TIMESTAMP_X` (or `DATE_CREATE`), in the portal's clock.
    pub written: Option<Timestamp>,
    /// What it holds.
    pub value: T,
}

/// A chunk of a run's journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    /// The run.
    pub run: RunKey,
    /// Its number in the run (a chunk written twice has the same).
    pub seq: u64,
    /// Workflows as they were.
    pub snapshots: Vec<Snapshot>,
    /// Outcomes.
    pub outcomes: Vec<(WorkflowId, Outcome)>,
}

/// Something in an answer that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// `result` is not a list of items.
    NotAList,
    /// An item (its id when it had one) that is not a history item of
    /// this app's version, or lacks what it needs.
    Unreadable {
        /// The item's id.
        item_id: Option<u64>,
        /// What is wrong, for logs.
        reason: &'static str,
    },
    /// A chunk whose `DATA` was cut short (or garbled at its end): its
    /// complete entries are kept.
    Truncated {
        /// The item's id.
        item_id: u64,
    },
    /// Entries of a chunk that could not be read (the others are kept).
    BadEntries {
        /// The item's id.
        item_id: u64,
        /// How many.
        count: usize,
    },
}

/// What one `entity.item.get` answer holds.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Page {
    /// Run headers, one per run, newest first.
    pub runs: Vec<Stored<RunHeader>>,
    /// Journal chunks, in the answer's order.
    pub chunks: Vec<Stored<Chunk>>,
    /// What could not be read.
    pub problems: Vec<Problem>,
    /// `total`: how many items match.
    pub total: Option<u64>,
    /// `next`: the next page's `start`.
    pub next: Option<u64>,
}

impl Page {
    /// Reads an answer (a single call's, or a batch command's).
    pub fn read(raw: &RawResponse) -> Page {
        let mut page = Page {
            total: raw.total,
            next: raw.next,
            ..Page::default()
        };
        let items: Vec<&Value> = match &raw.result {
            Value::Array(items) => items.iter().collect(),
            Value::Object(items) => items.values().collect(),
            _ => {
                page.problems.push(Problem::NotAList);
                return page;
            }
        };
        for item in items {
            page.read_item(item);
        }
        page.runs = distinct(std::mem::take(&mut page.runs));
        page
    }

    /// Adds what `other` (another page) holds.
    pub fn merge(&mut self, other: Page) {
        self.runs.extend(other.runs);
        self.runs = distinct(std::mem::take(&mut self.runs));
        self.chunks.extend(other.chunks);
        self.problems.extend(other.problems);
    }

    fn read_item(&mut self, item: &Value) {
        let item_id = item.get("ID").and_then(loose_u64);
        let bad = |reason| Problem::Unreadable { item_id, reason };
        let Some(item_id) = item_id else {
            self.problems.push(bad("no item id"));
            return;
        };
        let written = ["TIMESTAMP_X", "DATE_CREATE"]
            .iter()
            .filter_map(|k| item.get(*k)?.as_str())
            .filter_map(|t| Timestamp::parse(t).ok())
            .max_by_key(|t| t.unix_s);
        let props = item.get("PROPERTY_VALUES");
        let prop = |p: Property| {
            props
                .and_then(|v| v.get(p.as_str()))
                .and_then(Value::as_str)
        };
        let Some(run) = prop(Property::Run).and_then(RunKey::parse) else {
            self.problems.push(bad("no run key"));
            return;
        };
        let Some(data) = prop(Property::Data) else {
            self.problems.push(bad("no data"));
            return;
        };
        match prop(Property::Kind) {
            Some(k) if k == Kind::Run.as_str() => {
                let state = prop(Property::State).and_then(RunState::from_wire);
                let header = serde_json::from_str::<Value>(data)
                    .ok()
                    .zip(state)
                    .and_then(|(data, state)| RunHeader::from_parts(run, state, &data));
                match header {
                    Some(value) => self.runs.push(Stored {
                        item_id,
                        written,
                        value,
                    }),
                    None => self.problems.push(bad("unreadable header")),
                }
            }
            Some(k) if k == Kind::Rows.as_str() => {
                let (value, truncated) = match serde_json::from_str::<Value>(data) {
                    Ok(v) => (v, false),
                    Err(_) => match salvage(data) {
                        Some(v) => (v, true),
                        None => {
                            self.problems.push(bad("unreadable chunk"));
                            return;
                        }
                    },
                };
                let Some(a) = versioned(&value) else {
                    self.problems.push(bad("unknown chunk version"));
                    return;
                };
                let Some(seq) = a.get(1).and_then(Value::as_u64) else {
                    self.problems.push(bad("no chunk number"));
                    return;
                };
                if truncated {
                    self.problems.push(Problem::Truncated { item_id });
                }
                let list = |i: usize| {
                    a.get(i)
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default()
                };
                let (snaps, outs) = (list(2), list(3));
                let snapshots: Vec<Snapshot> =
                    snaps.iter().filter_map(Snapshot::from_data).collect();
                let outcomes: Vec<(WorkflowId, Outcome)> =
                    outs.iter().filter_map(outcome_from_data).collect();
                let lost = snaps.len() + outs.len() - snapshots.len() - outcomes.len();
                if lost > 0 {
                    self.problems.push(Problem::BadEntries {
                        item_id,
                        count: lost,
                    });
                }
                self.chunks.push(Stored {
                    item_id,
                    written,
                    value: Chunk {
                        run,
                        seq,
                        snapshots,
                        outcomes,
                    },
                });
            }
            _ => self.problems.push(bad("unknown kind")),
        }
    }
}

/// One header per run, newest first (by item id, descending: the one
/// sort of runs, for the list and for what a closed frame left). A start
/// request retried after a lost answer writes the header twice, and only
/// the copy whose id came back is closed at the end: a closed copy wins
/// over a running one, else the first written.
fn distinct(runs: Vec<Stored<RunHeader>>) -> Vec<Stored<RunHeader>> {
    let mut out: Vec<Stored<RunHeader>> = Vec::new();
    for run in runs {
        match out.iter_mut().find(|r| r.value.key == run.value.key) {
            None => out.push(run),
            Some(kept) => {
                let running = |r: &Stored<RunHeader>| r.value.state == RunState::Running;
                let better = match (running(kept), running(&run)) {
                    (true, false) => true,
                    (false, true) => false,
                    _ => run.item_id < kept.item_id,
                };
                if better {
                    *kept = run;
                }
            }
        }
    }
    out.sort_unstable_by_key(|r| std::cmp::Reverse(r.item_id));
    out
}

/// The complete part of JSON cut short: the longest prefix that ends
/// right after a complete value, closed with the brackets still open.
fn salvage(text: &str) -> Option<Value> {
    // (byte offset after a complete value, brackets open there)
    let mut cuts: Vec<(usize, Vec<u8>)> = Vec::new();
    let mut open: Vec<u8> = Vec::new();
    let (mut in_string, mut escaped) = (false, false);
    for (i, b) in text.bytes().enumerate() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => open.push(b),
            b']' | b'}' => {
                open.pop();
                cuts.push((i + 1, open.clone()));
            }
            _ => {}
        }
    }
    cuts.iter().rev().take(64).find_map(|(at, open)| {
        let mut candidate = text.get(..*at)?.to_owned();
        for b in open.iter().rev() {
            candidate.push(if *b == b'[' { ']' } else { '}' });
        }
        serde_json::from_str(&candidate).ok()
    })
}

/// One workflow of a recorded run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordRow {
    /// The workflow as it was.
    pub snapshot: Snapshot,
    /// What its command came to; `None` when none was recorded
    /// ("unknown": the run was interrupted before, or the write failed).
    pub outcome: Option<Outcome>,
}

impl RecordRow {
    /// Its outcome in words (`done` is the action's word, "stopped" or
    /// "deleted") and the portal's message of a failure (else empty).
    pub fn outcome_text<'a>(&'a self, done: &'a str, t: &'a Texts) -> (&'a str, &'a str) {
        match &self.outcome {
            Some(Outcome::Done) => (done, ""),
            Some(Outcome::AlreadyFinished) => (t.outcome_already_finished, ""),
            Some(Outcome::Failed(m)) => (t.outcome_failed, m.as_str()),
            Some(Outcome::NotAttempted) => (t.outcome_not_attempted, ""),
            None => (t.outcome_unknown, ""),
        }
    }
}

/// The counts of a recorded run: the job's, and those with no outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RecordTally {
    /// Per outcome.
    pub tally: Tally,
    /// No outcome recorded.
    pub unknown: usize,
}

impl RecordTally {
    /// How many have an outcome.
    pub fn recorded(&self) -> usize {
        let t = self.tally;
        t.done + t.already_finished + t.failed + t.not_attempted
    }
}

/// A run as the history holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct RunRecord {
    /// The header item.
    pub header: Stored<RunHeader>,
    /// Each workflow, in the order it was recorded.
    pub rows: Vec<RecordRow>,
    /// Outcomes for workflows with no snapshot (not expected; kept).
    pub strays: Vec<(WorkflowId, Outcome)>,
    /// The latest write of the run (its header or any chunk), Unix
    /// seconds of the portal's clock.
    pub last_write: Option<i64>,
}

impl RunRecord {
    /// The run of `header` from its `chunks` (others' chunks are left
    /// out; a chunk number seen twice counts once). A later chunk's
    /// outcome replaces an earlier one for the same workflow.
    pub fn assemble(header: Stored<RunHeader>, chunks: &[Stored<Chunk>]) -> RunRecord {
        let mut by_seq: HashMap<u64, &Stored<Chunk>> = HashMap::new();
        for c in chunks.iter().filter(|c| c.value.run == header.value.key) {
            by_seq
                .entry(c.value.seq)
                .and_modify(|kept| {
                    if c.item_id < kept.item_id {
                        *kept = c;
                    }
                })
                .or_insert(c);
        }
        let mut rows: Vec<RecordRow> = Vec::new();
        let mut index: HashMap<WorkflowId, usize> = HashMap::new();
        let mut outcomes: Vec<(WorkflowId, Outcome)> = Vec::new();
        let mut ordered: Vec<&Stored<Chunk>> = by_seq.into_values().collect();
        ordered.sort_unstable_by_key(|c| c.value.seq);
        for chunk in ordered {
            for s in &chunk.value.snapshots {
                if !index.contains_key(&s.row.id) {
                    index.insert(s.row.id.clone(), rows.len());
                    rows.push(RecordRow {
                        snapshot: s.clone(),
                        outcome: None,
                    });
                }
            }
            outcomes.extend(chunk.value.outcomes.iter().cloned());
        }
        // Outcomes of workflows with no snapshot, in first-written order
        // (the chunks' order), the latest outcome of each kept.
        let mut strays: Vec<(WorkflowId, Outcome)> = Vec::new();
        let mut stray_at: HashMap<WorkflowId, usize> = HashMap::new();
        for (id, outcome) in outcomes {
            match index.get(&id) {
                Some(i) => rows[*i].outcome = Some(outcome),
                None => match stray_at.get(&id) {
                    Some(i) => strays[*i].1 = outcome,
                    None => {
                        stray_at.insert(id.clone(), strays.len());
                        strays.push((id, outcome));
                    }
                },
            }
        }
        let last_write = chunks
            .iter()
            .filter(|c| c.value.run == header.value.key)
            .filter_map(|c| c.written)
            .chain(header.written)
            .map(|t| t.unix_s)
            .max();
        RunRecord {
            header,
            rows,
            strays,
            last_write,
        }
    }

    /// The counts, from the recorded outcomes.
    pub fn tally(&self) -> RecordTally {
        let mut r = RecordTally::default();
        for row in &self.rows {
            match &row.outcome {
                Some(Outcome::Done) => r.tally.done += 1,
                Some(Outcome::AlreadyFinished) => r.tally.already_finished += 1,
                Some(Outcome::Failed(_)) => r.tally.failed += 1,
                Some(Outcome::NotAttempted) => r.tally.not_attempted += 1,
                None => r.unknown += 1,
            }
        }
        r
    }

    /// The workflows nothing final is recorded for (no outcome, or not
    /// attempted): what a Resume rechecks against the portal before it
    /// asks for a new confirmation.
    pub fn unsettled(&self) -> Vec<WorkflowId> {
        let mut seen = HashSet::new();
        self.rows
            .iter()
            .filter(|r| matches!(r.outcome, None | Some(Outcome::NotAttempted)))
            .map(|r| r.snapshot.row.id.clone())
            .filter(|id| seen.insert(id.clone()))
            .collect()
    }

    /// The run as CSV in `lang`: ID and the other eight fields as the
    /// portal wrote them, the template's, starter's and document's names,
    /// the outcome and the portal's message.
    pub fn to_csv(&self, lang: Lang) -> String {
        let t = lang.texts();
        let done = match self.header.value.action {
            Action::Stop { .. } => t.outcome_stopped,
            Action::Delete => t.outcome_deleted,
        };
        let mut header: Vec<&str> = Field::COLUMNS.iter().map(|f| f.header(t)).collect();
        header.extend([
            t.history_template_name,
            t.history_started_by_name,
            t.history_document_label,
            t.report_outcome,
            t.report_message,
        ]);
        let rows = self.rows.iter().map(|row| {
            let s = &row.snapshot;
            let (word, message) = row.outcome_text(done, t);
            let mut cells: Vec<String> = Field::COLUMNS
                .iter()
                .map(|f| s.field_text(*f).unwrap_or_default())
                .collect();
            cells.extend([
                s.template.clone(),
                s.started_by.clone(),
                s.document.clone(),
                word.to_owned(),
                message.to_owned(),
            ]);
            cells
        });
        to_csv(&header, rows)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::domain::actions::history::journal::tests::{header, row};
    use crate::domain::actions::history::journal::Journal;
    use crate::domain::actions::history::record::encode;
    use crate::domain::wire::batch::BatchRequest;
    use crate::domain::wire::query::percent_decode;

    /// The items `requests` would write, as `entity.item.get` answers
    /// them, ids from `first_id`, written at `at` (Unix seconds, +03:00).
    pub(crate) fn stored(requests: &[BatchRequest], first_id: u64, at: i64) -> Vec<Value> {
        let mut items = Vec::new();
        for r in requests {
            for (_, cmd) in r.to_params()["cmd"].as_object().expect("cmd") {
                let query = cmd
                    .as_str()
                    .expect("a command")
                    .split_once('?')
                    .expect("query")
                    .1;
                let mut props = serde_json::Map::new();
                for (k, v) in query.split('&').filter_map(|p| p.split_once('=')) {
                    let k = percent_decode(k).expect("key");
                    if let Some(p) = k
                        .strip_prefix("PROPERTY_VALUES[")
                        .and_then(|p| p.strip_suffix(']'))
                    {
                        props.insert(p.to_owned(), json!(percent_decode(v).expect("value")));
                    }
                }
                let time = Timestamp {
                    unix_s: at,
                    offset_minutes: 180,
                }
                .to_iso8601();
                items.push(json!({
                    "ID": (first_id + items.len() as u64).to_string(),
                    "TIMESTAMP_X": time, "DATE_CREATE": time,
                    "NAME": "x", "ENTITY": "wmruns",
                    "PROPERTY_VALUES": props,
                }));
            }
        }
        items
    }

    pub(crate) fn raw(items: Vec<Value>) -> RawResponse {
        RawResponse {
            total: Some(items.len() as u64),
            result: Value::Array(items),
            next: None,
            time: None,
        }
    }

    #[test]
    fn the_reads_ask_for_runs_newest_first_and_one_runs_chunks_by_page() {
        let c = runs_command(CommandKey::indexed(0), 50, true);
        assert_eq!(c.method, "entity.item.get");
        assert_eq!(
            c.params,
            json!({"ENTITY": "wmruns", "SORT": {"ID": "DESC"},
                   "FILTER": {"PROPERTY_KIND": "run", "PROPERTY_STATE": "running"}, "start": 50})
        );
        assert!(
            runs_command(CommandKey::indexed(0), 0, false).params["FILTER"]
                .get("PROPERTY_STATE")
                .is_none()
        );
        let key = RunKey::parse("1726229165123.7").expect("a key");
        let reqs = rows_requests(&key, 2_600).expect("encodable");
        assert_eq!(reqs.len(), 2, "52 pages: 50 and 2");
        let p = reqs[1].to_params();
        let cmd = p["cmd"]["p1"].as_str().expect("a command");
        assert!(
            cmd.contains("FILTER[PROPERTY_RUN]=1726229165123.7"),
            "{cmd}"
        );
        assert!(
            cmd.contains("SORT[ID]=ASC") && cmd.ends_with("start=2550"),
            "{cmd}"
        );
        assert_eq!(rows_requests(&key, 0).expect("one page").len(), 1);
    }

    /// A run of 3 written: start, one batch's outcomes, then read back.
    fn written_run() -> (Page, Vec<Value>) {
        let snaps: Vec<Snapshot> = (0..3)
            .map(|i| Snapshot::of(&row(i, 3), "Approval", "Anna", "Deal #1"))
            .collect();
        let mut j = Journal::new(header(3));
        let mut requests = j.start(&snaps).expect("encodable");
        let outs = j
            .outcomes(&[
                (snaps[0].row.id.clone(), Outcome::Done),
                (
                    snaps[1].row.id.clone(),
                    Outcome::Failed("Нет доступа, \"x\"".into()),
                ),
            ])
            .expect("encodable");
        requests.push(BatchRequest::new(false, outs).expect("encodable"));
        let items = stored(&requests, 100, 1_726_229_165);
        (Page::read(&raw(items.clone())), items)
    }

    #[test]
    fn a_written_run_reads_back_with_its_outcomes_and_unknowns() {
        let (page, _) = written_run();
        assert_eq!(page.problems, []);
        assert_eq!(page.runs.len(), 1);
        assert_eq!(page.runs[0].value, header(3));
        assert_eq!(page.runs[0].item_id, 100);
        let record = RunRecord::assemble(page.runs[0].clone(), &page.chunks);
        assert_eq!(record.rows.len(), 3);
        assert_eq!(record.rows[0].outcome, Some(Outcome::Done));
        assert_eq!(record.rows[2].outcome, None);
        let t = record.tally();
        assert_eq!(
            (t.tally.done, t.tally.failed, t.unknown, t.recorded()),
            (1, 1, 1, 2)
        );
        assert_eq!(
            record.unsettled(),
            vec![record.rows[2].snapshot.row.id.clone()]
        );
        assert_eq!(record.last_write, Some(1_726_229_165));
    }

    #[test]
    fn runs_come_newest_first_whatever_the_answers_order() {
        let (_, items) = written_run();
        let mut newer = items[0].clone();
        newer["ID"] = json!("400");
        newer["PROPERTY_VALUES"]["RUN"] = json!("1726229999000.1");
        let page = Page::read(&raw(vec![items[0].clone(), newer.clone()]));
        let ids: Vec<u64> = page.runs.iter().map(|r| r.item_id).collect();
        assert_eq!(ids, [400, 100]);
        let mut merged = Page::read(&raw(vec![newer]));
        merged.merge(Page::read(&raw(vec![items[0].clone()])));
        merged.merge(Page::read(&raw(vec![])));
        let ids: Vec<u64> = merged.runs.iter().map(|r| r.item_id).collect();
        assert_eq!(ids, [400, 100]);
    }

    #[test]
    fn duplicates_and_garbage_are_reported_never_fatal() {
        let (_, mut items) = written_run();
        // A retried request wrote the outcome chunk again.
        let mut again = items[2].clone();
        again["ID"] = json!("200");
        items.push(again);
        // A later chunk changes one outcome.
        let key = header(3).key;
        let later = json!([1, 9, [], [[format!("66e412fdc9bd44.{:08}", 2), "a"]]]);
        items.push(json!({"ID": 201, "PROPERTY_VALUES": {"KIND": "rows", "RUN": key.as_str(), "DATA": encode(&later)}}));
        // A chunk cut short by the database, and garbage of every kind.
        let full = json!([1, 7, [], [["z.1", "d"], ["z.2", "n"]]]).to_string();
        let cut = &full[..full.len() - 8];
        items.push(json!({"ID": 202, "PROPERTY_VALUES": {"KIND": "rows", "RUN": key.as_str(), "DATA": cut}}));
        items.push(json!({"ID": 203, "PROPERTY_VALUES": {"KIND": "rows", "RUN": key.as_str(), "DATA": "[1,8,[[1,2]],[[\"a.1\",\"?\"]]]"}}));
        items.push(json!({"ID": 204, "PROPERTY_VALUES": {"KIND": "other", "RUN": key.as_str(), "DATA": "[]"}}));
        items.push(json!({"ID": 205, "PROPERTY_VALUES": []}));
        items.push(json!({"ID": 206, "PROPERTY_VALUES": {"KIND": "run", "RUN": key.as_str(), "STATE": "odd", "DATA": "[1]"}}));
        items.push(json!({"ID": 207, "PROPERTY_VALUES": {"KIND": "rows", "RUN": key.as_str(), "DATA": "<html>"}}));
        items.push(json!("not an item"));
        items.push(json!({"ID": 208, "PROPERTY_VALUES": {"KIND": "rows", "RUN": key.as_str(), "DATA": "[2,1,[],[]]"}}));
        // A retried start request wrote the header twice; the second copy
        // (whose id came back) was closed.
        let mut closed = items[0].clone();
        closed["ID"] = json!("300");
        closed["PROPERTY_VALUES"]["STATE"] = json!("finished");
        let mut page = Page::read(&raw(items.clone()));
        page.merge(Page::read(&raw(vec![closed])));
        assert_eq!(page.runs.len(), 1, "one run, though two headers");
        assert_eq!(
            (page.runs[0].item_id, page.runs[0].value.state),
            (300, RunState::Finished)
        );
        let page = Page::read(&raw(items));
        assert!(
            page.problems.contains(&Problem::Truncated { item_id: 202 }),
            "{:?}",
            page.problems
        );
        assert!(page.problems.contains(&Problem::BadEntries {
            item_id: 203,
            count: 2
        }));
        for id in [204, 205, 206, 207, 208] {
            assert!(
                page.problems
                    .iter()
                    .any(|p| matches!(p, Problem::Unreadable { item_id: Some(i), .. } if *i == id)),
                "{id}: {:?}",
                page.problems
            );
        }
        assert!(page.problems.contains(&Problem::Unreadable {
            item_id: None,
            reason: "no item id"
        }));
        let record = RunRecord::assemble(page.runs[0].clone(), &page.chunks);
        assert_eq!(record.rows.len(), 3, "the duplicate chunk adds nothing");
        assert_eq!(record.tally().recorded(), 3);
        assert_eq!(
            record.rows[2].outcome,
            Some(Outcome::AlreadyFinished),
            "recorded later"
        );
        let cut_outcomes: Vec<&str> = record.strays.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(
            cut_outcomes,
            ["z.1"],
            "the complete part of the cut chunk is kept"
        );
        assert_eq!(Page::read(&raw(vec![])).problems, []);
        let not_list = RawResponse {
            result: json!("x"),
            total: None,
            next: None,
            time: None,
        };
        assert_eq!(Page::read(&not_list).problems, [Problem::NotAList]);
    }

    #[test]
    fn the_csv_has_every_field_the_names_and_the_outcome_in_both_languages() {
        let (page, _) = written_run();
        let record = RunRecord::assemble(page.runs[0].clone(), &page.chunks);
        let csv = record.to_csv(Lang::En);
        let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
        assert_eq!(lines.len(), 4);
        assert_eq!(
            lines[0],
            "ID,Started,Started by,Template,Module,Entity,Document,Modified,Locked until,\
             Template name,Started by (name),Document title,Outcome,Message"
        );
        assert_eq!(
            lines[1],
            "66e412fdc9bd44.00000000,2024-09-13T15:06:05+03:00,1,4,crm,CCrmDocumentDeal,DEAL_999,\
             2024-09-13T15:06:05+03:00,,Approval,Anna,Deal #1,deleted,"
        );
        assert!(
            lines[2].ends_with(",failed,\"Нет доступа, \"\"x\"\"\""),
            "{}",
            lines[2]
        );
        assert!(lines[3].ends_with(",unknown,"), "{}", lines[3]);
        let ru = record.to_csv(Lang::Ru);
        assert!(
            ru.contains("Название шаблона") && ru.contains("неизвестно"),
            "{ru}"
        );
    }
}
