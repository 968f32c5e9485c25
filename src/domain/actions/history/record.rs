//! What the history keeps, as values and as the compact JSON of its
//! `DATA` property (version 1): a run's header, the snapshot of each
//! workflow it acted on, and each workflow's outcome.
//!
//! Every text is fitted to a byte budget when it is recorded, so no value
//! the portal or an admin wrote (a 100 KB template name) can push an item
//! past [`super::storage::DATA_BUDGET`]. Characters outside the Basic
//! Multilingual Plane are written as `\u` escapes: the encoded `DATA` then
//! holds no 4-byte UTF-8 sequence, which a 3-byte `utf8` MySQL column
//! would cut (whether the portal's columns are `utf8mb4` is unconfirmed).

use serde_json::{json, Map, Value};

use crate::domain::actions::job::Tally;
use crate::domain::actions::run::{Action, Outcome};
use crate::domain::methods::instances::{Field, UserId, WorkflowId, WorkflowRow};

/// The version written first in every `DATA` array.
pub const DATA_VERSION: u64 = 1;
/// The most bytes a workflow id takes in `DATA` (uniqids take 25).
pub const ID_BUDGET: usize = 200;
/// The most bytes each other text of a snapshot or header takes in `DATA`.
pub const TEXT_BUDGET: usize = 600;
/// The most bytes an outcome's message takes in `DATA`, so that 50
/// outcomes always fit one item.
pub const MESSAGE_BUDGET: usize = 360;

/// A run's key: `<start in Unix ms>.<user id>`, unique per admin and
/// millisecond, and the value of every one of its items' `RUN`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RunKey(String);

impl RunKey {
    /// The key of a run `who` started at `started_at_ms`.
    pub fn new(started_at_ms: i64, who: UserId) -> RunKey {
        RunKey(format!("{started_at_ms}.{}", who.0))
    }

    /// A key as read back; `None` unless it is `<digits>.<digits>`.
    pub fn parse(text: &str) -> Option<RunKey> {
        let (ms, user) = text.split_once('.')?;
        let digits =
            |s: &str| !s.is_empty() && s.len() <= 20 && s.bytes().all(|b| b.is_ascii_digit());
        (digits(ms) && digits(user)).then(|| RunKey(text.to_owned()))
    }

    /// The key as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Who started a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Who {
    /// The admin's user id.
    pub id: UserId,
    /// Their name as the app showed it (fitted to [`TEXT_BUDGET`]).
    pub name: String,
}

/// Where a run stands in the history (`STATE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RunState {
    /// Sending batches, or stopped without a word (see
    /// [`super::interrupted`]).
    Running,
    /// Every workflow has its outcome.
    Finished,
    /// Cancelled by the admin; the rest is "not attempted".
    Cancelled,
    /// Closed after it was found interrupted (Dismiss, or Resume, which
    /// starts a run of its own).
    Interrupted,
}

impl RunState {
    /// The stored value.
    pub fn as_str(self) -> &'static str {
        match self {
            RunState::Running => "running",
            RunState::Finished => "finished",
            RunState::Cancelled => "cancelled",
            RunState::Interrupted => "interrupted",
        }
    }

    /// The state for a stored value.
    pub fn from_wire(text: &str) -> Option<RunState> {
        [
            RunState::Running,
            RunState::Finished,
            RunState::Cancelled,
            RunState::Interrupted,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

/// A run as its header item records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunHeader {
    /// The run's key.
    pub key: RunKey,
    /// Who started it.
    pub who: Who,
    /// When, in Unix milliseconds of the admin's clock.
    pub started_at_ms: i64,
    /// What was done, with the status text of a stop.
    pub action: Action,
    /// How many workflows it was confirmed for.
    pub total: usize,
    /// Where it stands.
    pub state: RunState,
    /// The counts, once it ended.
    pub tally: Option<Tally>,
    /// When it ended, in Unix milliseconds.
    pub ended_at_ms: Option<i64>,
}

impl RunHeader {
    /// The header of a run starting now: `Running`, no tally. Texts are
    /// fitted to their budget.
    pub fn start(who: Who, started_at_ms: i64, action: Action, total: usize) -> RunHeader {
        let action = match action {
            Action::Stop { status } => Action::Stop {
                status: fit(&status, TEXT_BUDGET),
            },
            Action::Delete => Action::Delete,
        };
        RunHeader {
            key: RunKey::new(started_at_ms, who.id),
            who: Who {
                id: who.id,
                name: fit(&who.name, TEXT_BUDGET),
            },
            started_at_ms,
            action,
            total,
            state: RunState::Running,
            tally: None,
            ended_at_ms: None,
        }
    }

    /// This header once the run ended in `state` with `tally`.
    pub fn ended(&self, state: RunState, tally: Tally, at_ms: i64) -> RunHeader {
        RunHeader {
            state,
            tally: Some(tally),
            ended_at_ms: Some(at_ms),
            ..self.clone()
        }
    }

    /// `DATA`: `[1, user id, name, started ms, "stop"|"delete", status|null,
    /// total, ended ms|null, [done, already finished, failed, not
    /// attempted]|null]`. The key and state travel in `RUN` and `STATE`.
    pub(super) fn data(&self) -> Value {
        let (kind, status) = match &self.action {
            Action::Stop { status } => ("stop", Value::String(status.clone())),
            Action::Delete => ("delete", Value::Null),
        };
        let tally = self.tally.map_or(Value::Null, |t| {
            json!([t.done, t.already_finished, t.failed, t.not_attempted])
        });
        json!([
            DATA_VERSION,
            self.who.id.0,
            self.who.name,
            self.started_at_ms,
            kind,
            status,
            self.total,
            self.ended_at_ms,
            tally
        ])
    }

    /// Reads a header from its `RUN`, `STATE` and `DATA`.
    pub(super) fn from_parts(key: RunKey, state: RunState, data: &Value) -> Option<RunHeader> {
        let a = versioned(data)?;
        let action = match a.get(4)?.as_str()? {
            "stop" => Action::Stop {
                status: a.get(5)?.as_str().unwrap_or_default().to_owned(),
            },
            "delete" => Action::Delete,
            _ => return None,
        };
        let tally = match a.get(8) {
            Some(Value::Array(t)) if t.len() == 4 => {
                let n = |i: usize| t[i].as_u64().and_then(|n| usize::try_from(n).ok());
                Some(Tally {
                    done: n(0)?,
                    already_finished: n(1)?,
                    failed: n(2)?,
                    not_attempted: n(3)?,
                })
            }
            _ => None,
        };
        Some(RunHeader {
            key,
            who: Who {
                id: UserId(a.get(1)?.as_u64()?),
                name: a.get(2)?.as_str()?.to_owned(),
            },
            started_at_ms: a.get(3)?.as_i64()?,
            action,
            total: usize::try_from(a.get(6)?.as_u64()?).ok()?,
            state,
            tally,
            ended_at_ms: a.get(7).and_then(Value::as_i64),
        })
    }
}

/// A workflow as it was when the run was confirmed: its nine fields as the
/// portal wrote them, and the names the admin saw. For a deletion this is
/// the only record left of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    /// The nine fields (texts fitted to their budget).
    pub row: WorkflowRow,
    /// The template's name.
    pub template: String,
    /// The name of who started it.
    pub started_by: String,
    /// The document's label.
    pub document: String,
}

impl Snapshot {
    /// The snapshot of `row` with the names shown for it. Every text is
    /// fitted to its budget (a cut text ends with `…`).
    pub fn of(row: &WorkflowRow, template: &str, started_by: &str, document: &str) -> Snapshot {
        let fitted = |t: &Option<String>| t.as_deref().map(|t| fit(t, TEXT_BUDGET));
        Snapshot {
            row: WorkflowRow {
                id: WorkflowId::new(fit(row.id.as_str(), ID_BUDGET)),
                module_id: fitted(&row.module_id),
                entity: fitted(&row.entity),
                document_id: fitted(&row.document_id),
                unparsed: row
                    .unparsed
                    .iter()
                    .map(|(f, raw)| (*f, fit(raw, TEXT_BUDGET)))
                    .collect(),
                ..row.clone()
            },
            template: fit(template, TEXT_BUDGET),
            started_by: fit(started_by, TEXT_BUDGET),
            document: fit(document, TEXT_BUDGET),
        }
    }

    /// The value of `field` as the portal wrote it; `None` when absent.
    pub fn field_text(&self, field: Field) -> Option<String> {
        self.row.field_text(field)
    }

    /// `[ID, MODIFIED, OWNED_UNTIL, MODULE_ID, ENTITY, DOCUMENT_ID, STARTED,
    /// STARTED_BY, TEMPLATE_ID, template, started by, document]`: the nine
    /// in [`Field::ALL`] order as text or `null`, then the three names.
    pub(super) fn data(&self) -> Value {
        let mut a: Vec<Value> = Field::ALL
            .iter()
            .map(|f| self.field_text(*f).map_or(Value::Null, Value::String))
            .collect();
        a.push(Value::String(self.template.clone()));
        a.push(Value::String(self.started_by.clone()));
        a.push(Value::String(self.document.clone()));
        Value::Array(a)
    }

    /// Reads a snapshot back through the portal's own row reader, so a
    /// value reads as it did when the portal sent it.
    pub(super) fn from_data(v: &Value) -> Option<Snapshot> {
        let a = v.as_array()?;
        if a.len() < 12 {
            return None;
        }
        let mut obj = Map::new();
        for (i, field) in Field::ALL.iter().enumerate() {
            match &a[i] {
                Value::String(_) | Value::Null => {
                    obj.insert(field.as_str().to_owned(), a[i].clone());
                }
                _ => return None,
            }
        }
        let name = |i: usize| a[i].as_str().map(str::to_owned);
        Some(Snapshot {
            row: WorkflowRow::from_value(&Value::Object(obj))?,
            template: name(9)?,
            started_by: name(10)?,
            document: name(11)?,
        })
    }
}

/// `[id, "d"|"a"|"f"|"n", message]`: done, already finished, failed (with
/// the portal's message, fitted), not attempted.
pub(super) fn outcome_data(id: &WorkflowId, outcome: &Outcome) -> Value {
    let id = fit(id.as_str(), ID_BUDGET);
    match outcome {
        Outcome::Done => json!([id, "d"]),
        Outcome::AlreadyFinished => json!([id, "a"]),
        Outcome::Failed(m) => json!([id, "f", fit(m, MESSAGE_BUDGET)]),
        Outcome::NotAttempted => json!([id, "n"]),
    }
}

/// Reads one outcome entry.
pub(super) fn outcome_from_data(v: &Value) -> Option<(WorkflowId, Outcome)> {
    let a = v.as_array()?;
    let id = a.first()?.as_str().filter(|s| !s.is_empty())?;
    let outcome = match a.get(1)?.as_str()? {
        "d" => Outcome::Done,
        "a" => Outcome::AlreadyFinished,
        "f" => Outcome::Failed(
            a.get(2)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
        ),
        "n" => Outcome::NotAttempted,
        _ => return None,
    };
    Some((WorkflowId::new(id), outcome))
}

/// The elements of a `DATA` array of [`DATA_VERSION`] (the version
/// first).
pub(super) fn versioned(data: &Value) -> Option<&Vec<Value>> {
    let a = data.as_array()?;
    (a.first()?.as_u64()? == DATA_VERSION).then_some(a)
}

/// `value` as stored: compact JSON, characters beyond U+FFFF as `\u`
/// surrogate pairs (so the text is 1–3-byte UTF-8 only).
pub(super) fn encode(value: &Value) -> String {
    let json = value.to_string();
    if json.chars().all(|c| (c as u32) <= 0xFFFF) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if (c as u32) > 0xFFFF {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Bytes `c` takes inside an encoded JSON string.
fn encoded_char_len(c: char) -> usize {
    match c {
        '"' | '\\' | '\n' | '\r' | '\t' | '\u{8}' | '\u{c}' => 2,
        c if (c as u32) < 0x20 => 6,
        c if (c as u32) > 0xFFFF => 12,
        c => c.len_utf8(),
    }
}

/// Bytes `text` takes in `DATA` as a JSON string, quotes included.
pub fn encoded_len(text: &str) -> usize {
    2 + text.chars().map(encoded_char_len).sum::<usize>()
}

/// `text` cut so that it takes at most `budget` bytes in `DATA` (quotes
/// included), ending with `…` when cut; whole characters only.
pub fn fit(text: &str, budget: usize) -> String {
    if encoded_len(text) <= budget {
        return text.to_owned();
    }
    // Room for the quotes and the ellipsis (3 bytes).
    let room = budget.saturating_sub(2 + 3);
    let mut used = 0;
    let mut out = String::new();
    for c in text.chars() {
        used += encoded_char_len(c);
        if used > room {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::methods::instances::TemplateId;

    /// A row as the portal sends it, read by the portal reader.
    pub(crate) fn portal_row(id: &str) -> WorkflowRow {
        WorkflowRow::from_value(&json!({
            "ID": id,
            "MODIFIED": "2024-09-13T15:06:05+03:00",
            "OWNED_UNTIL": null,
            "MODULE_ID": "crm",
            "ENTITY": "CCrmDocumentDeal",
            "DOCUMENT_ID": "DEAL_1633",
            "STARTED": "yesterday",
            "STARTED_BY": "17",
            "TEMPLATE_ID": 4,
        }))
        .expect("a row")
    }

    #[test]
    fn a_snapshot_reads_back_as_the_portal_wrote_it() {
        let row = portal_row("66e412fdc9bd44.36306599");
        let snap = Snapshot::of(&row, "Approval <b>", "Anna \"Ann\" Петрова", "Deal #1633");
        let back = Snapshot::from_data(&snap.data()).expect("reads back");
        assert_eq!(back, snap);
        assert_eq!(back.row, row, "nothing fitted: the row is the portal's");
        assert_eq!(back.row.unparsed(Field::Started), Some("yesterday"));
        assert_eq!(back.row.started_by, Some(UserId(17)));
        assert_eq!(back.row.template_id, Some(TemplateId(4)));
        assert_eq!(back.row.owned_until, None);
        assert_eq!(
            snap.data()[1],
            json!("2024-09-13T15:06:05+03:00"),
            "the instant with the portal's offset"
        );
        assert_eq!(snap.data()[2], Value::Null, "unlocked stays null");
    }

    #[test]
    fn hostile_texts_are_fitted_and_survive_encoding() {
        let huge = "<script>alert(1)</script>\"'\\ ".repeat(4_000);
        let emoji = "😀".repeat(30_000);
        let mut row = portal_row("66e412fdc9bd44.36306599");
        row.document_id = Some(huge.clone());
        let snap = Snapshot::of(&row, &huge, &emoji, "Сделка «Ромашка»\u{0}\u{1f}");
        for text in [&snap.template, &snap.started_by] {
            assert!(encoded_len(text) <= TEXT_BUDGET, "{}", encoded_len(text));
            assert!(text.ends_with('…'));
        }
        assert!(snap.template.starts_with("<script>alert(1)</script>\"'\\"));
        assert!(snap.started_by.starts_with("😀😀"));
        let stored = encode(&snap.data());
        assert!(stored.is_ascii() || stored.chars().all(|c| (c as u32) <= 0xFFFF));
        assert!(!stored.contains('😀'), "escaped as a surrogate pair");
        assert!(stored.len() < 12 * TEXT_BUDGET, "{}", stored.len());
        let parsed: Value = serde_json::from_str(&stored).expect("valid JSON");
        let back = Snapshot::from_data(&parsed).expect("reads back");
        assert_eq!(back, snap);
        assert_eq!(back.document, "Сделка «Ромашка»\u{0}\u{1f}");
    }

    #[test]
    fn fit_cuts_whole_characters_within_the_budget() {
        assert_eq!(fit("short", 100), "short");
        let cut = fit(&"я".repeat(100), 20);
        assert!(encoded_len(&cut) <= 20, "{cut}");
        assert_eq!(cut, format!("{}…", "я".repeat(7)));
        assert_eq!(fit("\"\"\"\"\"\"", 9), "\"\"…");
        assert_eq!(encoded_len("a😀\u{1}"), 2 + 1 + 12 + 6);
    }

    #[test]
    fn a_header_reads_back_with_its_action_and_tally() {
        let who = Who {
            id: UserId(1),
            name: "Admin".into(),
        };
        let stop = Action::Stop {
            status: "Stopped by Workflow Monitor".into(),
        };
        let h = RunHeader::start(who, 1_726_229_165_123, stop, 120);
        assert_eq!(h.key.as_str(), "1726229165123.1");
        let back = RunHeader::from_parts(h.key.clone(), RunState::Running, &h.data());
        assert_eq!(back.as_ref(), Some(&h));
        let t = Tally {
            done: 100,
            already_finished: 10,
            failed: 5,
            not_attempted: 5,
        };
        let end = h.ended(RunState::Cancelled, t, 1_726_229_200_000);
        let back = RunHeader::from_parts(end.key.clone(), RunState::Cancelled, &end.data());
        assert_eq!(back, Some(end));
        let delete = RunHeader::start(h.who.clone(), 5, Action::Delete, 1);
        assert_eq!(delete.data()[4], json!("delete"));
        assert_eq!(
            RunHeader::from_parts(delete.key.clone(), RunState::Running, &delete.data())
                .map(|h| h.action),
            Some(Action::Delete)
        );
        assert_eq!(
            RunHeader::from_parts(h.key.clone(), RunState::Running, &json!([2, 1])),
            None,
            "an unknown version is not guessed at"
        );
    }

    #[test]
    fn outcomes_read_back_and_keys_are_checked() {
        for o in [
            Outcome::Done,
            Outcome::AlreadyFinished,
            Outcome::Failed("Access denied <b>".into()),
            Outcome::NotAttempted,
        ] {
            let id = WorkflowId::new("a.1");
            assert_eq!(outcome_from_data(&outcome_data(&id, &o)), Some((id, o)));
        }
        assert_eq!(outcome_from_data(&json!(["a.1", "z"])), None);
        assert_eq!(outcome_from_data(&json!(["", "d"])), None);
        let long = Outcome::Failed("x".repeat(10_000));
        let v = outcome_data(&WorkflowId::new("a.1"), &long);
        assert!(encode(&v).len() <= ID_BUDGET + MESSAGE_BUDGET + 10);
        assert_eq!(
            RunKey::parse("1726229165123.1").map(|k| k.0),
            Some("1726229165123.1".into())
        );
        for bad in ["", "1.", ".1", "1.2.3", "a.1", "1726229165123"] {
            assert_eq!(RunKey::parse(bad), None, "{bad}");
        }
    }
}
