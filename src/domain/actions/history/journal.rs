//! Writing a run's journal. Before anything is done, one request records
//! the header and the snapshot of every workflow of the run (halting at
//! the first write that fails, so a run whose journal cannot be written
//! never starts). Then each `batch` of the run carries, as its first
//! command(s), the outcomes known since the previous one; the last request
//! records the last outcomes and closes the header.
//!
//! Every item's `DATA` stays within [`DATA_BUDGET`]: snapshots are packed
//! by their encoded size, outcomes go [`OUTCOMES_PER_COMMAND`] to an item
//! (each fitted so that many always fit). Journal command keys are `h_run`,
//! `h_end` and `h<seq>`, never the actions' `c<i>`; `seq` numbers the
//! run's chunks, so a chunk written twice by a retried request is read
//! once.

use serde_json::{json, Value};
use thiserror::Error;

use crate::domain::actions::job::Tally;
use crate::domain::actions::run::Outcome;
use crate::domain::methods::instances::WorkflowId;
use crate::domain::wire::batch::{
    BatchCommand, BatchError, BatchRequest, BatchResponse, CommandKey, MAX_COMMANDS,
};
use crate::domain::wire::errors::{loose_u64, RestError};

use super::record::{encode, outcome_data, RunHeader, RunState, Snapshot, DATA_VERSION};
use super::storage::{values, Kind, DATA_BUDGET, ENTITY};

/// Outcomes per journal command: 50 fitted outcomes always fit one item.
pub const OUTCOMES_PER_COMMAND: usize = 50;
/// The key of the command that adds the header.
pub const HEADER_KEY: &str = "h_run";
/// The key of the command that closes the header.
pub const END_KEY: &str = "h_end";

/// Why a journal write failed.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum JournalError {
    /// The portal refused the write.
    #[error("the history could not be written: {0}")]
    Refused(RestError),
    /// The batch has no answer for the write (it halted before it).
    #[error("the portal did not write the history entry \"{key}\"")]
    NotWritten {
        /// The command's key.
        key: String,
    },
    /// `entity.item.add` answered something that is not an item id.
    #[error("the portal answered {found} instead of the new history entry's id")]
    NoId {
        /// What it answered, cut short.
        found: String,
    },
}

/// A run's journal as it is written: the header and the next chunk's
/// sequence number.
#[derive(Debug, Clone, PartialEq)]
pub struct Journal {
    header: RunHeader,
    next_seq: u64,
}

impl Journal {
    /// The journal of the run `header` describes.
    pub fn new(header: RunHeader) -> Journal {
        Journal {
            header,
            next_seq: 0,
        }
    }

    /// The run's header as recorded at its start.
    pub fn header(&self) -> &RunHeader {
        &self.header
    }

    /// The requests to send (in order, each after the previous one
    /// succeeded) before any action: the header first, then the
    /// snapshots packed by size. They halt at the first failed write;
    /// check each answer with [`check`].
    pub fn start(&mut self, snapshots: &[Snapshot]) -> Result<Vec<BatchRequest>, BatchError> {
        let mut commands = vec![add(
            HEADER_KEY,
            self.header.key.as_str().to_owned(),
            values(
                Kind::Run,
                self.header.key.as_str(),
                Some(RunState::Running.as_str()),
                encode(&self.header.data()),
            ),
        )?];
        for chunk in pack(snapshots.iter().map(Snapshot::data).collect()) {
            let seq = self.take_seq();
            let data = json!([DATA_VERSION, seq, chunk, []]);
            commands.push(self.chunk_command(seq, data)?);
        }
        commands
            .chunks(MAX_COMMANDS)
            .map(|c| BatchRequest::new(true, c.to_vec()))
            .collect()
    }

    /// How many commands of a `batch` the journal needs for `pending`
    /// outcomes (0 when there are none): the run's actions get the rest.
    pub fn slots(pending: usize) -> usize {
        pending.div_ceil(OUTCOMES_PER_COMMAND)
    }

    /// The commands that record `outcomes`, to put first in the next
    /// `batch` of the run ([`Journal::slots`] of them). A failed one is
    /// seen in that batch's answer with [`check`]: the run should pause
    /// before the next batch, as its journal is no longer complete.
    pub fn outcomes(
        &mut self,
        outcomes: &[(WorkflowId, Outcome)],
    ) -> Result<Vec<BatchCommand>, BatchError> {
        outcomes
            .chunks(OUTCOMES_PER_COMMAND)
            .map(|chunk| {
                let seq = self.take_seq();
                let entries: Vec<Value> = chunk.iter().map(|(id, o)| outcome_data(id, o)).collect();
                self.chunk_command(seq, json!([DATA_VERSION, seq, [], entries]))
            })
            .collect()
    }

    /// The last request(s): the last outcomes, then the header closed in
    /// `state` with `tally` at `at_ms` (`header_item` is the header's id,
    /// from [`header_item_id`]).
    pub fn finish(
        &mut self,
        header_item: u64,
        outcomes: &[(WorkflowId, Outcome)],
        state: RunState,
        tally: Tally,
        at_ms: i64,
    ) -> Result<Vec<BatchRequest>, BatchError> {
        let mut commands = self.outcomes(outcomes)?;
        let ended = self.header.ended(state, tally, at_ms);
        commands.push(close_command(&ended, header_item)?);
        commands
            .chunks(MAX_COMMANDS)
            .map(|c| BatchRequest::new(false, c.to_vec()))
            .collect()
    }

    fn take_seq(&mut self) -> u64 {
        self.next_seq += 1;
        self.next_seq - 1
    }

    fn chunk_command(&self, seq: u64, data: Value) -> Result<BatchCommand, BatchError> {
        let run = self.header.key.as_str();
        add(
            &format!("h{seq}"),
            format!("{run}#{seq}"),
            values(Kind::Rows, run, None, encode(&data)),
        )
    }
}

/// The command that rewrites a header's `STATE` and `DATA` (closing it
/// at the end of its run, or on Dismiss or Resume of an interrupted one,
/// with [`RunState::Interrupted`]); `item` is the header's id.
pub fn close_command(header: &RunHeader, item: u64) -> Result<BatchCommand, BatchError> {
    Ok(BatchCommand {
        key: CommandKey::new(END_KEY)?,
        method: "entity.item.update".to_owned(),
        params: json!({
            "ENTITY": ENTITY,
            "ID": item,
            "PROPERTY_VALUES": {
                "STATE": header.state.as_str(),
                "DATA": encode(&header.data()),
            },
        }),
    })
}

/// The header's item id, from the answer of the first start request.
pub fn header_item_id(answer: &BatchResponse) -> Result<u64, JournalError> {
    match answer.get(HEADER_KEY) {
        Some(Ok(raw)) => {
            loose_u64(&raw.result)
                .filter(|id| *id > 0)
                .ok_or_else(|| JournalError::NoId {
                    found: raw.result.to_string().chars().take(80).collect(),
                })
        }
        Some(Err(e)) => Err(JournalError::Refused(e.clone())),
        None => Err(JournalError::NotWritten {
            key: HEADER_KEY.to_owned(),
        }),
    }
}

/// Whether every journal command of `request` was written, from its
/// answer: the first failure otherwise. Action commands are not looked
/// at.
pub fn check(request: &BatchRequest, answer: &BatchResponse) -> Result<(), JournalError> {
    for key in request.keys().filter(|k| k.starts_with('h')) {
        match answer.get(key) {
            Some(Ok(_)) => {}
            Some(Err(e)) => return Err(JournalError::Refused(e.clone())),
            None => {
                return Err(JournalError::NotWritten {
                    key: key.to_owned(),
                })
            }
        }
    }
    Ok(())
}

/// An `entity.item.add` of the storage.
fn add(key: &str, name: String, values: Value) -> Result<BatchCommand, BatchError> {
    Ok(BatchCommand {
        key: CommandKey::new(key)?,
        method: "entity.item.add".to_owned(),
        // An iblock element needs a name; it also tells items apart in
        // the portal's own tools.
        params: json!({ "ENTITY": ENTITY, "NAME": name, "PROPERTY_VALUES": values }),
    })
}

/// The bytes a chunk's `DATA` takes besides its entries: `[1,<seq>,[`
/// `],[]]` with a seq of up to 20 digits, and a margin.
const CHUNK_OVERHEAD: usize = 64;

/// `entries` in order, in groups whose encoded size (with commas) stays
/// within [`DATA_BUDGET`]; an entry larger than that alone (impossible
/// for fitted snapshots) still gets a group of its own.
fn pack(entries: Vec<Value>) -> Vec<Vec<Value>> {
    let mut groups: Vec<Vec<Value>> = Vec::new();
    let mut current: Vec<Value> = Vec::new();
    let mut used = CHUNK_OVERHEAD;
    for entry in entries {
        let size = encode(&entry).len() + 1;
        if !current.is_empty() && used + size > DATA_BUDGET {
            groups.push(std::mem::take(&mut current));
            used = CHUNK_OVERHEAD;
        }
        used += size;
        current.push(entry);
    }
    if !current.is_empty() {
        groups.push(current);
    }
    groups
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::domain::actions::history::record::{fit, Who};
    use crate::domain::actions::run::Action;
    use crate::domain::methods::instances::{UserId, WorkflowRow};
    use crate::domain::wire::batch::parse_batch;
    use crate::domain::wire::query::percent_decode;

    /// A row with `n` as its id's tail and a document of `doc` bytes.
    pub(crate) fn row(n: usize, doc: usize) -> WorkflowRow {
        WorkflowRow::from_value(&json!({
            "ID": format!("66e412fdc9bd44.{n:08}"),
            "MODIFIED": "2024-09-13T15:06:05+03:00",
            "MODULE_ID": "crm",
            "ENTITY": "CCrmDocumentDeal",
            "DOCUMENT_ID": format!("DEAL_{}", "9".repeat(doc)),
            "STARTED": "2024-09-13T15:06:05+03:00",
            "STARTED_BY": "1",
            "TEMPLATE_ID": "4",
        }))
        .expect("a row")
    }

    pub(crate) fn header(total: usize) -> RunHeader {
        RunHeader::start(
            Who {
                id: UserId(7),
                name: "Anna".into(),
            },
            1_726_229_165_123,
            Action::Delete,
            total,
        )
    }

    /// The `DATA` of command `key` of `request`, decoded.
    pub(crate) fn data_of(request: &BatchRequest, key: &str) -> String {
        let cmd = request.to_params()["cmd"][key]
            .as_str()
            .expect("a command")
            .to_owned();
        let query = cmd.split_once('?').expect("a query").1.to_owned();
        query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(k, _)| percent_decode(k).as_deref() == Some("PROPERTY_VALUES[DATA]"))
            .and_then(|(_, v)| percent_decode(v))
            .expect("DATA")
    }

    #[test]
    fn the_start_records_the_header_then_every_snapshot_and_halts_on_a_failure() {
        let snaps: Vec<Snapshot> = (0..120)
            .map(|i| Snapshot::of(&row(i, 4), "T", "U", "D"))
            .collect();
        let mut journal = Journal::new(header(120));
        let start = journal.start(&snaps).expect("encodable");
        assert_eq!(start.len(), 1, "120 small snapshots take one request");
        let params = start[0].to_params();
        assert_eq!(
            params["halt"],
            json!(1),
            "nothing more after a failed write"
        );
        let keys: Vec<&str> = start[0].keys().collect();
        assert_eq!(keys[0], HEADER_KEY);
        assert_eq!(keys[1], "h0");
        let header_cmd = params["cmd"][HEADER_KEY].as_str().expect("a command");
        assert!(header_cmd.starts_with("entity.item.add?ENTITY=wmruns&NAME=1726229165123.7&"));
        assert!(
            header_cmd.contains("PROPERTY_VALUES[KIND]=run"),
            "{header_cmd}"
        );
        assert!(
            header_cmd.contains("PROPERTY_VALUES[STATE]=running"),
            "{header_cmd}"
        );
        let mut seen = 0;
        for key in &keys[1..] {
            let data = data_of(&start[0], key);
            assert!(data.len() <= DATA_BUDGET, "{}", data.len());
            let v: Value = serde_json::from_str(&data).expect("JSON");
            seen += v[2].as_array().expect("snapshots").len();
        }
        assert_eq!(seen, 120);
    }

    #[test]
    fn big_snapshots_are_split_by_bytes_and_every_item_stays_in_budget() {
        let huge = "Ж".repeat(100_000);
        let snaps: Vec<Snapshot> = (0..300)
            .map(|i| Snapshot::of(&row(i, 100_000), &huge, &huge, &huge))
            .collect();
        let mut journal = Journal::new(header(300));
        let start = journal.start(&snaps).expect("encodable");
        let mut seen = Vec::new();
        for request in &start {
            for key in request.keys().filter(|k| *k != HEADER_KEY) {
                let data = data_of(request, key);
                assert!(data.len() <= DATA_BUDGET, "{key}: {}", data.len());
                let v: Value = serde_json::from_str(&data).expect("JSON");
                for s in v[2].as_array().expect("snapshots") {
                    seen.push(s[0].as_str().expect("id").to_owned());
                }
            }
        }
        let want: Vec<String> = (0..300).map(|i| format!("66e412fdc9bd44.{i:08}")).collect();
        assert_eq!(seen, want, "every snapshot once, in order");
        assert!(start.iter().map(|r| r.keys().count()).sum::<usize>() > 20);
    }

    #[test]
    fn outcomes_take_one_command_per_fifty_and_fit_their_item() {
        assert_eq!(Journal::slots(0), 0);
        assert_eq!(Journal::slots(49), 1);
        assert_eq!(Journal::slots(50), 1);
        assert_eq!(Journal::slots(51), 2);
        let mut journal = Journal::new(header(60));
        journal.start(&[]).expect("encodable");
        let worst: Vec<(WorkflowId, Outcome)> = (0..60)
            .map(|i| {
                let id = WorkflowId::new(format!("{i}{}", "😀".repeat(500)));
                (id, Outcome::Failed("\"<b>\"\u{1}".repeat(10_000)))
            })
            .collect();
        let commands = journal.outcomes(&worst).expect("encodable");
        assert_eq!(commands.len(), Journal::slots(60));
        let keys: Vec<&str> = commands.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(keys, ["h0", "h1"], "numbered after the start's (none here)");
        let request = BatchRequest::new(false, commands).expect("encodable");
        let data = data_of(&request, "h0");
        assert!(data.len() <= DATA_BUDGET, "{}", data.len());
        let v: Value = serde_json::from_str(&data).expect("JSON");
        assert_eq!(v[3].as_array().map(Vec::len), Some(50));
        assert_eq!(fit(&"x".repeat(5), 4), "…");
    }

    #[test]
    fn the_header_id_and_each_write_are_read_from_the_answers() {
        let ok = parse_batch(&json!({"result": {"result": {"h_run": 2331, "h0": 2332}}}))
            .expect("batch");
        assert_eq!(header_item_id(&ok), Ok(2331));
        let mut journal = Journal::new(header(1));
        let start = journal
            .start(&[Snapshot::of(&row(1, 1), "", "", "")])
            .expect("encodable");
        assert_eq!(check(&start[0], &ok), Ok(()));
        let halted = parse_batch(&json!({"result": {
            "result": {"h_run": "2331"},
            "result_error": {"h0": {"error": "ACCESS_DENIED", "error_description": "Access denied!"}},
        }}))
        .expect("batch");
        assert_eq!(header_item_id(&halted), Ok(2331), "an id sent as a string");
        assert!(matches!(
            check(&start[0], &halted),
            Err(JournalError::Refused(_))
        ));
        let lost = parse_batch(&json!({"result": {"result": {"h_run": 1}}})).expect("batch");
        assert_eq!(
            check(&start[0], &lost),
            Err(JournalError::NotWritten { key: "h0".into() })
        );
        let odd = parse_batch(&json!({"result": {"result": {"h_run": false}}})).expect("batch");
        assert!(matches!(
            header_item_id(&odd),
            Err(JournalError::NoId { .. })
        ));
        // Action commands are the run's business, not the journal's.
        let mixed = BatchRequest::new(
            false,
            vec![BatchCommand::indexed(
                0,
                "bizproc.workflow.kill",
                json!({"ID": "x"}),
            )],
        )
        .expect("encodable");
        assert_eq!(check(&mixed, &lost), Ok(()));
    }

    #[test]
    fn the_end_records_the_last_outcomes_then_closes_the_header() {
        let mut journal = Journal::new(header(2));
        journal.start(&[]).expect("encodable");
        let done = [(WorkflowId::new("a.1"), Outcome::Done)];
        let t = Tally {
            done: 1,
            ..Tally::default()
        };
        let end = journal
            .finish(2331, &done, RunState::Finished, t, 1_726_229_999_000)
            .expect("encodable");
        assert_eq!(end.len(), 1);
        let keys: Vec<&str> = end[0].keys().collect();
        assert_eq!(keys, ["h0", END_KEY]);
        let cmd = end[0].to_params()["cmd"][END_KEY]
            .as_str()
            .expect("a command")
            .to_owned();
        assert!(
            cmd.starts_with("entity.item.update?ENTITY=wmruns&ID=2331&"),
            "{cmd}"
        );
        assert!(cmd.contains("PROPERTY_VALUES[STATE]=finished"), "{cmd}");
        let data: Value = serde_json::from_str(&data_of(&end[0], END_KEY)).expect("JSON");
        assert_eq!(data[7], json!(1_726_229_999_000_i64));
        assert_eq!(data[8], json!([1, 0, 0, 0]));
    }
}
