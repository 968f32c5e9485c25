//! The `batch` method (fact sheet §2.3): up to 50 calls in one request.
//!
//! Each command travels as a string `method?query`, the query in PHP
//! bracket notation (`select[0]=ID&order[STARTED]=DESC&filter[%3ESTARTED_BY]=0`)
//! which the server reads with `parse_url` and `parse_str`. The encoder
//! refuses what `parse_str` would change or drop (keys with `]`, top-level
//! keys with `.` or spaces, `null`), so a command means exactly what its
//! JSON parameters mean; `tests/fixtures/batch_parse_str.json` holds what
//! PHP 8.2's own `parse_url` + `parse_str` made of the encoder's output.
//!
//! Answers are maps by command key, serialized by PHP: an empty map is `[]`,
//! and numeric keys turn a map into a list. Keys are therefore required to
//! start with a letter or `_` (never numeric), and parsing accepts both.

use serde_json::{json, Map, Value};
use thiserror::Error;

use crate::domain::wire::query::{encode_query, EncodeError};

use crate::domain::wire::errors::{
    loose_u64, scalar_text, CallTime, ErrorCode, ParseError, RawResponse, RestError,
};

/// The most commands one batch may hold (`CRestUtil::BATCH_MAX_LENGTH`).
pub const MAX_COMMANDS: usize = 50;

/// Why a batch could not be built. Each one is a bug in the caller; the
/// request is refused before anything is sent.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum BatchError {
    /// No commands.
    #[error("a batch needs at least one command")]
    Empty,
    /// More than [`MAX_COMMANDS`].
    #[error("a batch holds at most 50 commands, not {count}")]
    TooMany { count: usize },
    /// A key that is empty, numeric or not `[A-Za-z_][A-Za-z0-9_]*`.
    #[error("\"{key}\" cannot be a batch command key: use a letter or _ followed by letters, digits or _")]
    BadKey { key: String },
    /// The same key twice.
    #[error("the batch command key \"{key}\" is used twice")]
    DuplicateKey { key: String },
    /// Not a REST method name.
    #[error("\"{method}\" is not a REST method name")]
    BadMethod { method: String },
    /// A method the server refuses inside a batch (§2.3).
    #[error("\"{method}\" cannot run inside a batch")]
    NotAllowedInBatch { method: String },
    /// Parameters that are not a JSON object (or `null` for none).
    #[error("the parameters of \"{key}\" are not an object")]
    ParamsNotObject { key: String },
    /// A value or key `parse_str` cannot carry unchanged.
    #[error("the parameter {path} of \"{key}\" cannot be sent in a batch: {reason}")]
    Unencodable {
        key: String,
        path: String,
        reason: &'static str,
    },
    /// More variables than PHP reads.
    #[error("\"{key}\" has {count} parameters; the portal reads at most 1000")]
    TooManyVariables { key: String, count: usize },
}

/// Whether `name` is a REST method name: dot-separated ASCII words of
/// lower-case letters, digits and `_` (`bizproc.workflow.instances`).
/// Upper case is refused too: names are case-insensitive on the server, and
/// one spelling keeps logs and tests exact.
pub fn is_method_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 128
        && name.split('.').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        })
}

/// A command key: `[A-Za-z_][A-Za-z0-9_]{0,63}`. Never numeric, so the
/// answer's maps stay maps (§2.3).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CommandKey(String);

impl CommandKey {
    /// Checks a key.
    pub fn new(key: impl Into<String>) -> Result<CommandKey, BatchError> {
        let key = key.into();
        let b = key.as_bytes();
        let ok = !b.is_empty()
            && b.len() <= 64
            && (b[0].is_ascii_alphabetic() || b[0] == b'_')
            && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_');
        if ok {
            Ok(CommandKey(key))
        } else {
            Err(BatchError::BadKey {
                key: key.chars().take(80).collect(),
            })
        }
    }

    /// `c0`, `c1`, ...: keys for commands that need no names.
    pub fn indexed(i: usize) -> CommandKey {
        CommandKey(format!("c{i}"))
    }

    /// The key as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One call inside a batch.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchCommand {
    /// Names the command in the answer's maps.
    pub key: CommandKey,
    /// The REST method, e.g. `bizproc.workflow.instances`.
    pub method: String,
    /// The method's parameters, as for a single call (an object, or `null`).
    pub params: Value,
}

impl BatchCommand {
    /// A command with the key `c{i}`.
    pub fn indexed(i: usize, method: &str, params: Value) -> BatchCommand {
        BatchCommand {
            key: CommandKey::indexed(i),
            method: method.to_owned(),
            params,
        }
    }
}

/// A checked batch, ready to send as the parameters of `batch`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchRequest {
    halt: bool,
    /// (key, `method?query`), in the caller's order.
    cmds: Vec<(String, String)>,
}

impl BatchRequest {
    /// Checks and encodes up to 50 commands. With `halt`, the portal stops
    /// at the first command that fails; later ones do not run.
    pub fn new(halt: bool, commands: Vec<BatchCommand>) -> Result<BatchRequest, BatchError> {
        if commands.is_empty() {
            return Err(BatchError::Empty);
        }
        if commands.len() > MAX_COMMANDS {
            return Err(BatchError::TooMany {
                count: commands.len(),
            });
        }
        let mut cmds: Vec<(String, String)> = Vec::with_capacity(commands.len());
        for c in commands {
            let key = c.key.0;
            if cmds.iter().any(|(k, _)| *k == key) {
                return Err(BatchError::DuplicateKey { key });
            }
            if !is_method_name(&c.method) {
                return Err(BatchError::BadMethod {
                    method: c.method.chars().take(80).collect(),
                });
            }
            if matches!(c.method.as_str(), "batch" | "download" | "upload") {
                return Err(BatchError::NotAllowedInBatch { method: c.method });
            }
            let query = encode_query(&c.params).map_err(|e| command_error(e, &key))?;
            let cmd = if query.is_empty() {
                c.method
            } else {
                format!("{}?{query}", c.method)
            };
            cmds.push((key, cmd));
        }
        Ok(BatchRequest { halt, cmds })
    }

    /// This batch with `more` commands after its own, checked as
    /// [`BatchRequest::new`] checks them (at most 50 in all, distinct keys).
    pub fn extended(&self, more: Vec<BatchCommand>) -> Result<BatchRequest, BatchError> {
        let count = self.cmds.len() + more.len();
        if count > MAX_COMMANDS {
            return Err(BatchError::TooMany { count });
        }
        self.joined(&BatchRequest::new(self.halt, more)?)
    }

    /// This batch's commands, then `after`'s (at most 50 in all, distinct
    /// keys); `halt` is this batch's.
    pub fn joined(&self, after: &BatchRequest) -> Result<BatchRequest, BatchError> {
        let count = self.cmds.len() + after.cmds.len();
        if count > MAX_COMMANDS {
            return Err(BatchError::TooMany { count });
        }
        let mut cmds = self.cmds.clone();
        for (key, cmd) in &after.cmds {
            if cmds.iter().any(|(k, _)| k == key) {
                return Err(BatchError::DuplicateKey { key: key.clone() });
            }
            cmds.push((key.clone(), cmd.clone()));
        }
        Ok(BatchRequest {
            halt: self.halt,
            cmds,
        })
    }

    /// The parameters of `batch`: `{"halt":0|1,"cmd":{key:"method?query"}}`.
    pub fn to_params(&self) -> Value {
        let cmd: Map<String, Value> = self
            .cmds
            .iter()
            .map(|(k, c)| (k.clone(), Value::String(c.clone())))
            .collect();
        json!({"halt": u8::from(self.halt), "cmd": cmd})
    }

    /// The keys, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.cmds.iter().map(|(k, _)| k.as_str())
    }

    /// `(key, method)` of every command, in order (for the per-method
    /// operating budgets, which count each method inside a batch, §2.3).
    pub fn methods(&self) -> impl Iterator<Item = (&str, &str)> {
        self.cmds.iter().map(|(k, c)| {
            let method = c.split_once('?').map_or(c.as_str(), |(m, _)| m);
            (k.as_str(), method)
        })
    }
}

/// The batch error for a command whose parameters cannot be encoded.
fn command_error(e: EncodeError, key: &str) -> BatchError {
    let key = key.to_owned();
    match e {
        EncodeError::NotObject => BatchError::ParamsNotObject { key },
        EncodeError::Unencodable { path, reason } => BatchError::Unencodable { key, path, reason },
        EncodeError::TooManyVariables(count) => BatchError::TooManyVariables { key, count },
    }
}

/// What one command of a batch came to.
pub type CommandOutcome = Result<RawResponse, RestError>;

/// A batch answer, by command key, in the portal's order.
///
/// A command in neither `result` nor `result_error` did not run (after a
/// failure with `halt`); [`BatchResponse::get`] gives `None` for it.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchResponse {
    /// Each command that ran: its key and its result or error.
    pub outcomes: Vec<(String, CommandOutcome)>,
    /// The `time` of the batch itself.
    pub time: Option<CallTime>,
}

impl BatchResponse {
    /// The outcome of the command `key`; `None` if it did not run.
    pub fn get(&self, key: &str) -> Option<&CommandOutcome> {
        self.outcomes
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, outcome)| outcome)
    }

    /// Reads the parts of a successful `batch` answer: `raw.result` is
    /// `{"result":{..},"result_error":{..},"result_total":{..},
    /// "result_next":{..},"result_time":{..}}`, each map possibly `[]` or a
    /// list. An error wins over a result for the same key.
    pub fn from_raw(raw: &RawResponse) -> Result<BatchResponse, ParseError> {
        let inner = match &raw.result {
            Value::Object(o) => o.clone(),
            // A batch with nothing to report may come back as `[]`.
            Value::Array(a) if a.is_empty() => Map::new(),
            other => {
                return Err(ParseError::UnexpectedResult {
                    expected: "the batch's maps of results",
                    found: crate::domain::wire::errors::json_type(other),
                })
            }
        };
        let section = |name: &str| php_map(inner.get(name));
        let results = section("result");
        let errors = section("result_error");
        let totals = section("result_total");
        let nexts = section("result_next");
        let times = section("result_time");
        let find = |m: &[(String, Value)], k: &str| {
            m.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone())
        };
        let mut outcomes: Vec<(String, CommandOutcome)> = Vec::new();
        for (key, value) in &results {
            if find(&errors, key).is_some() {
                continue;
            }
            outcomes.push((
                key.clone(),
                Ok(RawResponse {
                    result: value.clone(),
                    total: find(&totals, key).as_ref().and_then(loose_u64),
                    next: find(&nexts, key).as_ref().and_then(loose_u64),
                    time: find(&times, key).as_ref().and_then(CallTime::from_value),
                }),
            ));
        }
        for (key, value) in &errors {
            let err = RestError::from_payload(None, value).unwrap_or_else(|| {
                // Not a payload: keep whatever text it had.
                RestError::portal(
                    ErrorCode::Other,
                    scalar_text(value).unwrap_or_else(|| value.to_string()),
                )
            });
            outcomes.push((key.clone(), Err(err)));
        }
        Ok(BatchResponse {
            outcomes,
            time: raw.time.clone(),
        })
    }
}

/// A PHP array serialized by `json_encode`: an object, or a list (keys
/// `0..n`, and `[]` for empty). Anything else counts as empty.
fn php_map(v: Option<&Value>) -> Vec<(String, Value)> {
    match v {
        Some(Value::Object(m)) => m.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v.clone()))
            .collect(),
        _ => Vec::new(),
    }
}

/// Reads a whole `batch` answer body.
pub fn parse_batch(body: &Value) -> Result<BatchResponse, ParseError> {
    BatchResponse::from_raw(&RawResponse::from_body(body)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_the_batch_parameters() {
        let req = BatchRequest::new(
            false,
            vec![
                BatchCommand::indexed(
                    0,
                    "bizproc.workflow.instances",
                    json!({"select": ["ID"], "start": 0}),
                ),
                BatchCommand::indexed(1, "app.info", json!(null)),
            ],
        )
        .expect("valid");
        assert_eq!(
            req.to_params().to_string(),
            r#"{"halt":0,"cmd":{"c0":"bizproc.workflow.instances?select[0]=ID&start=0","c1":"app.info"}}"#
        );
        let halting =
            BatchRequest::new(true, vec![BatchCommand::indexed(0, "app.info", json!({}))])
                .expect("valid");
        assert_eq!(halting.to_params()["halt"], json!(1));
        assert_eq!(req.keys().collect::<Vec<_>>(), ["c0", "c1"]);
    }

    #[test]
    fn refuses_batches_the_portal_would_cut_or_misread() {
        let cmd = |i| BatchCommand::indexed(i, "app.info", json!(null));
        let two = BatchRequest::new(
            false,
            vec![
                BatchCommand::indexed(0, "user.get", json!({"ID": 1})),
                cmd(1),
            ],
        )
        .expect("valid");
        assert_eq!(
            two.methods().collect::<Vec<_>>(),
            [("c0", "user.get"), ("c1", "app.info")]
        );
        assert_eq!(
            BatchRequest::new(false, (0..51).map(cmd).collect()),
            Err(BatchError::TooMany { count: 51 })
        );
        assert!(BatchRequest::new(false, (0..50).map(cmd).collect()).is_ok());
        assert_eq!(BatchRequest::new(false, vec![]), Err(BatchError::Empty));
        assert_eq!(
            BatchRequest::new(false, vec![cmd(1), cmd(1)]),
            Err(BatchError::DuplicateKey { key: "c1".into() })
        );
        for method in ["batch", "download", "upload"] {
            assert_eq!(
                BatchRequest::new(false, vec![BatchCommand::indexed(0, method, json!(null))]),
                Err(BatchError::NotAllowedInBatch {
                    method: method.into()
                })
            );
        }
        for method in ["", "a..b", "user.get?x=1", "../x", "User.Get", "a b", "a#b"] {
            assert!(
                matches!(
                    BatchRequest::new(false, vec![BatchCommand::indexed(0, method, json!(null))]),
                    Err(BatchError::BadMethod { .. })
                ),
                "{method}"
            );
        }
        assert_eq!(
            BatchRequest::new(
                false,
                vec![BatchCommand::indexed(0, "app.info", json!([1]))]
            ),
            Err(BatchError::ParamsNotObject { key: "c0".into() })
        );
    }

    #[test]
    fn command_keys_are_never_numeric() {
        for bad in [
            "",
            "0",
            "12",
            "-1",
            "1a",
            "a-b",
            "a b",
            "ключ",
            &"k".repeat(65),
        ] {
            assert!(CommandKey::new(bad).is_err(), "{bad}");
        }
        for good in ["c0", "page_2", "_x", "A"] {
            assert_eq!(CommandKey::new(good).map(|k| k.0), Ok(good.to_owned()));
        }
    }

    #[test]
    fn method_names_are_dotted_lower_case_words() {
        assert!(is_method_name("bizproc.workflow.instances"));
        assert!(is_method_name("user.get"));
        assert!(is_method_name("crm.item.list"));
        assert!(!is_method_name("bizproc.workflow."));
        assert!(!is_method_name(".x"));
        assert!(!is_method_name("x/y"));
    }
}
