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

use std::fmt::Write as _;

use serde_json::{json, Map, Value};
use thiserror::Error;

use super::errors::{loose_u64, scalar_text, CallTime, ParseError, RawResponse, RestError};

/// The most commands one batch may hold (`CRestUtil::BATCH_MAX_LENGTH`).
pub const MAX_COMMANDS: usize = 50;

/// PHP's default `max_input_vars`: `parse_str` drops variables beyond it.
pub const MAX_INPUT_VARS: usize = 1000;

/// PHP's default `max_input_nesting_level`.
pub const MAX_NESTING: usize = 64;

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
            let query = encode_query(&c.params).map_err(|e| e.for_command(&key))?;
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
        let added = BatchRequest::new(self.halt, more)?;
        let mut cmds = self.cmds.clone();
        for (key, cmd) in added.cmds {
            if cmds.iter().any(|(k, _)| *k == key) {
                return Err(BatchError::DuplicateKey { key });
            }
            cmds.push((key, cmd));
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

/// Why parameters cannot be encoded (before the command key is known).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EncodeError {
    /// Not an object (or `null`).
    #[error("the parameters are not an object")]
    NotObject,
    /// A key or value `parse_str` would change or drop.
    #[error("the parameter {path} cannot be sent in a query string: {reason}")]
    Unencodable { path: String, reason: &'static str },
    /// More than [`MAX_INPUT_VARS`] variables.
    #[error("{0} parameters; the portal reads at most 1000")]
    TooManyVariables(usize),
}

impl EncodeError {
    fn for_command(self, key: &str) -> BatchError {
        let key = key.to_owned();
        match self {
            EncodeError::NotObject => BatchError::ParamsNotObject { key },
            EncodeError::Unencodable { path, reason } => {
                BatchError::Unencodable { key, path, reason }
            }
            EncodeError::TooManyVariables(count) => BatchError::TooManyVariables { key, count },
        }
    }
}

/// Encodes parameters as a PHP query string that `parse_str` reads back to
/// the same structure, with every scalar as a string (as PHP has them):
///
/// - objects and lists nest as `a[k]=…`, lists with explicit indices
///   (`select[0]=ID`); empty ones send nothing, as `http_build_query` does
///   (the server treats a missing and an empty `filter`/`select` alike);
/// - strings are percent-encoded except `A-Z a-z 0-9 - . _ ~`, so `&`, `=`,
///   `+`, `%`, `#`, spaces and UTF-8 arrive intact; brackets around keys
///   stay literal, and keys are encoded inside them (`filter[%3ESTARTED_BY]`);
/// - `true`/`false` become `1`/`0` (what PHP's own `http_build_query`
///   sends; `"false"` would be truthy in PHP);
/// - numbers keep their JSON text.
///
/// Refused: `null` (a query string cannot say it: PHP's encoder drops it,
/// which would silently remove a filter), empty keys, keys with `]` or NUL,
/// top-level keys with `.`, spaces or `[` (PHP rewrites them to `_`),
/// nesting deeper than 64, more than 1000 variables.
pub fn encode_query(params: &Value) -> Result<String, EncodeError> {
    let obj = match params {
        Value::Null => return Ok(String::new()),
        Value::Object(o) => o,
        _ => return Err(EncodeError::NotObject),
    };
    let mut out = String::new();
    let mut count = 0usize;
    for (key, value) in obj {
        if key.is_empty() || key.contains(['.', ' ', '[', ']', '\0']) {
            return Err(EncodeError::Unencodable {
                path: path_text(std::slice::from_ref(key)),
                reason: "PHP rewrites top-level names that are empty or hold '.', ' ', '[' or ']'",
            });
        }
        let mut prefix = String::new();
        percent_encode(key, &mut prefix);
        let mut path = vec![key.clone()];
        encode_value(value, &mut prefix, &mut path, &mut out, &mut count)?;
    }
    if count > MAX_INPUT_VARS {
        return Err(EncodeError::TooManyVariables(count));
    }
    Ok(out)
}

/// `top[a][b]`, each part cut to 40 characters, for messages.
fn path_text(path: &[String]) -> String {
    let Some((top, nested)) = path.split_first() else {
        return String::new();
    };
    let mut s: String = top.chars().take(40).collect();
    for p in nested {
        s.push('[');
        s.extend(p.chars().take(40));
        s.push(']');
    }
    s
}

fn encode_value(
    value: &Value,
    prefix: &mut String,
    path: &mut Vec<String>,
    out: &mut String,
    count: &mut usize,
) -> Result<(), EncodeError> {
    let scalar = match value {
        Value::Null => {
            return Err(EncodeError::Unencodable {
                path: path_text(path),
                reason: "null cannot be expressed in a query string",
            })
        }
        Value::Bool(b) => Some(if *b { "1".to_owned() } else { "0".to_owned() }),
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(s.clone()),
        Value::Array(_) | Value::Object(_) => None,
    };
    if let Some(text) = scalar {
        *count += 1;
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(prefix);
        out.push('=');
        percent_encode(&text, out);
        return Ok(());
    }
    // `path` is the top-level name plus one entry per bracket; PHP reads up
    // to 64 brackets and drops deeper variables (checked with PHP 8.2).
    if path.len() > MAX_NESTING {
        return Err(EncodeError::Unencodable {
            path: path_text(path),
            reason: "nested deeper than PHP reads (64 levels)",
        });
    }
    let mark = prefix.len();
    match value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let _ = write!(prefix, "[{i}]");
                path.push(i.to_string());
                encode_value(item, prefix, path, out, count)?;
                path.pop();
                prefix.truncate(mark);
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                if k.is_empty() || k.contains([']', '\0']) {
                    path.push(k.clone());
                    let path = path_text(path);
                    return Err(EncodeError::Unencodable {
                        path,
                        reason: "PHP cannot read keys that are empty or hold ']' or NUL",
                    });
                }
                prefix.push('[');
                percent_encode(k, prefix);
                prefix.push(']');
                path.push(k.clone());
                encode_value(item, prefix, path, out, count)?;
                path.pop();
                prefix.truncate(mark);
            }
        }
        _ => {}
    }
    Ok(())
}

/// RFC 3986 percent-encoding of everything but the unreserved characters.
fn percent_encode(text: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in text.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xF)]));
        }
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
                    found: super::errors::json_type(other),
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
                RestError::Other {
                    code: String::new(),
                    description: scalar_text(value).unwrap_or_else(|| value.to_string()),
                    status: None,
                }
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

    fn enc(v: Value) -> String {
        encode_query(&v).expect("encodable")
    }

    #[test]
    fn encodes_the_instances_query_in_bracket_notation() {
        assert_eq!(
            enc(
                json!({"select": ["ID", "STARTED"], "order": {"STARTED": "DESC"},
                       "filter": {">STARTED_BY": 0}, "start": 50})
            ),
            "select[0]=ID&select[1]=STARTED&order[STARTED]=DESC&filter[%3ESTARTED_BY]=0&start=50"
        );
    }

    #[test]
    fn percent_encodes_everything_parse_str_would_misread() {
        assert_eq!(
            enc(json!({"filter": {"<=MODIFIED": "2025-01-01T00:00:00+03:00"}})),
            "filter[%3C%3DMODIFIED]=2025-01-01T00%3A00%3A00%2B03%3A00"
        );
        assert_eq!(
            enc(json!({"q": "a&b=c%d+e f#g"})),
            "q=a%26b%3Dc%25d%2Be%20f%23g"
        );
        assert_eq!(enc(json!({"q": "Ёж €"})), "q=%D0%81%D0%B6%20%E2%82%AC");
        assert_eq!(enc(json!({"q": "-._~"})), "q=-._~");
        assert_eq!(enc(json!({"f": {"a b.c[d": 1}})), "f[a%20b.c%5Bd]=1");
    }

    #[test]
    fn scalars_become_the_text_php_would_hold() {
        assert_eq!(
            enc(json!({"t": true, "f": false, "n": -1.5, "i": 212})),
            "t=1&f=0&n=-1.5&i=212"
        );
    }

    #[test]
    fn empty_containers_and_no_params_send_nothing() {
        assert_eq!(
            enc(json!({"filter": {}, "select": [], "start": 0})),
            "start=0"
        );
        assert_eq!(enc(json!(null)), "");
        assert_eq!(enc(json!({})), "");
    }

    #[test]
    fn refuses_what_parse_str_would_change() {
        for (params, path) in [
            (json!({"a.b": 1}), "a.b"),
            (json!({"a b": 1}), "a b"),
            (json!({"a[": 1}), "a["),
            (json!({"": 1}), ""),
            (json!({"f": {"x]": 1}}), "f[x]]"),
            (json!({"f": {"": 1}}), "f[]"),
            (json!({"f": {"a\u{0}b": 1}}), "f[a\u{0}b]"),
            (
                json!({"filter": {"OWNED_UNTIL": null}}),
                "filter[OWNED_UNTIL]",
            ),
        ] {
            match encode_query(&params) {
                Err(EncodeError::Unencodable { path: got, .. }) => assert_eq!(got, path),
                other => panic!("{params} gave {other:?}"),
            }
        }
        assert_eq!(encode_query(&json!([1])), Err(EncodeError::NotObject));
        assert_eq!(encode_query(&json!("a=1")), Err(EncodeError::NotObject));
    }

    #[test]
    fn refuses_more_variables_or_nesting_than_php_reads() {
        let many: Vec<u32> = (0..1001).collect();
        assert_eq!(
            encode_query(&json!({ "ids": many })),
            Err(EncodeError::TooManyVariables(1001))
        );
        // 64 brackets are read, 65 are not.
        let nest = |levels: usize| (0..levels).fold(json!(1), |v, _| json!({ "a": v }));
        let read = encode_query(&nest(65)).expect("64 brackets");
        assert_eq!(read.matches('[').count(), 64);
        assert!(matches!(
            encode_query(&nest(66)),
            Err(EncodeError::Unencodable { .. })
        ));
    }

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
