//! PHP query strings and percent-encoding: the one encoder for every
//! text the app puts into a query (a `batch` command's `method?query`,
//! fact sheet §2.3) or into the URL fragment (`table::fragment`).
//!
//! The encoder refuses what PHP's `parse_str` would change or drop, so a
//! command means exactly what its JSON parameters mean.

use std::fmt::Write as _;

use serde_json::Value;
use thiserror::Error;

/// PHP's default `max_input_vars`: `parse_str` drops variables beyond it.
pub const MAX_INPUT_VARS: usize = 1000;

/// PHP's default `max_input_nesting_level`.
pub const MAX_NESTING: usize = 64;

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
pub fn percent_encode(text: &str, out: &mut String) {
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

/// [`percent_encode`] into a new string.
pub fn percent_encoded(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    percent_encode(text, &mut out);
    out
}

/// `None` for a bad escape or bytes that are not UTF-8. `+` stays `+`.
pub fn percent_decode(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = b.get(i + 1..i + 3)?;
            let s = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(s, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

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
    fn percent_round_trip_keeps_any_text() {
        for t in [
            "",
            "plain",
            "a b&c=d#e%f+g",
            "Сделка 1",
            "emoji 😀",
            "\\Crm\\Doc",
            "x:y@z",
        ] {
            assert_eq!(percent_decode(&percent_encoded(t)).as_deref(), Some(t));
        }
        assert_eq!(percent_decode("%"), None);
        assert_eq!(percent_decode("%zz"), None);
        assert_eq!(percent_decode("%ff"), None, "not UTF-8");
    }
}
