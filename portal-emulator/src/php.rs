//! How PHP turns a request into parameters, as Bitrix24's REST server sees
//! them (fact sheet §4.4: `CRestUtil::getRequestData`): a JSON body is
//! decoded as JSON, any other body and the query string go through
//! `parse_str` (bracket notation, `select[0]=ID`, `filter[%3ESTARTED]=…`),
//! and the query and the body are merged with `array_replace`.
//!
//! PHP arrays are represented as JSON objects with string keys in insertion
//! order; [`entries`] reads JSON arrays and objects alike, because a JSON
//! body gives arrays where `parse_str` gives maps with keys "0", "1", ….

use percent_encoding::percent_decode_str;
use serde_json::{Map, Value};

/// Decodes one `application/x-www-form-urlencoded` component (`+` is a space).
fn url_decode(s: &str) -> String {
    let spaced = s.replace('+', " ");
    percent_decode_str(&spaced).decode_utf8_lossy().into_owned()
}

/// PHP's `parse_str`: a query string into a (nested) PHP array.
pub fn parse_str(input: &str) -> Map<String, Value> {
    let mut out = Map::new();
    for pair in input.split('&').filter(|p| !p.is_empty()) {
        let (raw_key, raw_value) = pair.split_once('=').unwrap_or((pair, ""));
        let key = url_decode(raw_key);
        let value = url_decode(raw_value);
        let Some((base, path)) = split_key(&key) else {
            continue;
        };
        insert(&mut out, base, &path, Value::String(value));
    }
    out
}

/// Splits `name[a][b][]` into `name` and `[Some("a"), Some("b"), None]`,
/// with PHP's quirks: leading spaces dropped, `.` and ` ` in the base name
/// become `_`, an unmatched `[` is kept literally (as `_`) and ends parsing.
fn split_key(key: &str) -> Option<(String, Vec<Option<String>>)> {
    let key = key.trim_start_matches(' ');
    if key.is_empty() {
        return None;
    }
    let (base_raw, mut rest) = match key.find('[') {
        Some(i) if key[i..].contains(']') => (&key[..i], &key[i..]),
        _ => (key, ""),
    };
    if base_raw.is_empty() {
        return None;
    }
    let base: String = base_raw
        .chars()
        .map(|c| match c {
            '.' | ' ' | '[' => '_',
            c => c,
        })
        .collect();
    let mut path = Vec::new();
    while let Some(stripped) = rest.strip_prefix('[') {
        let Some(end) = stripped.find(']') else {
            break;
        };
        let inner = &stripped[..end];
        path.push(if inner.is_empty() {
            None
        } else {
            Some(inner.to_owned())
        });
        rest = &stripped[end + 1..];
        // PHP ignores anything after the brackets that is not another bracket.
        if !rest.starts_with('[') {
            break;
        }
    }
    Some((base, path))
}

/// The next integer key PHP would use for `$a[] = …`.
fn next_index(map: &Map<String, Value>) -> String {
    map.keys()
        .filter_map(|k| k.parse::<i64>().ok())
        .filter(|n| *n >= 0)
        .max()
        .map_or(0, |n| n + 1)
        .to_string()
}

fn insert(map: &mut Map<String, Value>, key: String, path: &[Option<String>], value: Value) {
    let Some((first, rest)) = path.split_first() else {
        map.insert(key, value);
        return;
    };
    let child = map.entry(key).or_insert_with(|| Value::Object(Map::new()));
    if !child.is_object() {
        *child = Value::Object(Map::new());
    }
    let Value::Object(child_map) = child else {
        return;
    };
    let sub_key = first.clone().unwrap_or_else(|| next_index(child_map));
    insert(child_map, sub_key, rest, value);
}

/// Decodes a request body the way `CRestUtil::getRequestData` does: JSON when
/// the Content-Type says so (invalid JSON gives no parameters), `parse_str`
/// for everything else.
pub fn decode_body(content_type: Option<&str>, body: &[u8]) -> Map<String, Value> {
    let is_json = content_type
        .map(|ct| ct.to_ascii_lowercase().starts_with("application/json"))
        .unwrap_or(false);
    if is_json {
        match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(map)) => map,
            Ok(Value::Array(items)) => items
                .into_iter()
                .enumerate()
                .map(|(i, v)| (i.to_string(), v))
                .collect(),
            _ => Map::new(),
        }
    } else {
        parse_str(&String::from_utf8_lossy(body))
    }
}

/// `array_replace($query, $body)`: body keys win, top level only.
pub fn merge(query: Map<String, Value>, body: Map<String, Value>) -> Map<String, Value> {
    let mut out = query;
    for (k, v) in body {
        out.insert(k, v);
    }
    out
}

/// The key/value pairs of a PHP array, whether it arrived as a JSON object
/// or as a JSON array (keys "0", "1", …). Scalars have no entries.
pub fn entries(value: &Value) -> Vec<(String, &Value)> {
    match value {
        Value::Object(map) => map.iter().map(|(k, v)| (k.clone(), v)).collect(),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v))
            .collect(),
        _ => Vec::new(),
    }
}

/// `array_change_key_case($params, CASE_UPPER)`: later duplicates win.
pub fn upper_keys(params: &Map<String, Value>) -> Map<String, Value> {
    let mut out = Map::new();
    for (k, v) in params {
        out.insert(k.to_uppercase(), v.clone());
    }
    out
}

/// PHP's loose string conversion of a scalar (`(string)$v`).
pub fn to_php_string(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(true) => Some("1".to_owned()),
        Value::Bool(false) | Value::Null => Some(String::new()),
        Value::Array(_) | Value::Object(_) => None,
    }
}

/// PHP's `intval()` on a request value: leading whitespace, an optional sign,
/// then digits; anything else gives 0.
pub fn intval(value: &Value) -> i64 {
    match value {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().map(|f| f as i64))
            .unwrap_or(0),
        Value::Bool(b) => i64::from(*b),
        Value::String(s) => {
            let t = s.trim_start();
            let (sign, digits) = match t.as_bytes().first() {
                Some(b'-') => (-1, &t[1..]),
                Some(b'+') => (1, &t[1..]),
                _ => (1, t),
            };
            let end = digits
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(digits.len());
            digits[..end].parse::<i64>().map_or(0, |n| sign * n)
        }
        _ => 0,
    }
}

/// PHP's truthiness, as used for flags like batch `halt`.
pub fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !(s.is_empty() || s == "0"),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// How PHP's `json_encode` writes an array: a JSON list when the keys are
/// exactly 0..n-1 in order, `[]` when empty, an object otherwise (§2.3: empty
/// batch maps arrive as `[]`).
pub fn php_array(map: Map<String, Value>) -> Value {
    let sequential = map
        .keys()
        .enumerate()
        .all(|(i, k)| k.parse::<usize>().ok() == Some(i));
    if sequential {
        Value::Array(map.into_iter().map(|(_, v)| v).collect())
    } else {
        Value::Object(map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_bracket_notation_like_php() {
        let p = parse_str(
            "select[0]=ID&select[1]=STARTED&filter[%3ESTARTED_BY]=0&order[ID]=desc&start=50",
        );
        assert_eq!(
            Value::Object(p),
            json!({"select":{"0":"ID","1":"STARTED"},"filter":{">STARTED_BY":"0"},"order":{"ID":"desc"},"start":"50"})
        );
    }

    #[test]
    fn appends_with_empty_brackets_and_decodes_plus_and_percent() {
        let p = parse_str("a[]=x&a[]=y+z&a[5]=q&a[]=r&b=%D0%BF%D1%80%D0%B8");
        assert_eq!(
            Value::Object(p),
            json!({"a":{"0":"x","1":"y z","5":"q","6":"r"},"b":"при"})
        );
    }

    #[test]
    fn nests_deeper_keys_and_keeps_operators_inside_brackets() {
        let p = parse_str("filter[%3C%3DMODIFIED]=2025-01-01T00%3A00%3A00%2B03%3A00&filter[%40ID][]=1&filter[%40ID][]=2");
        assert_eq!(
            Value::Object(p),
            json!({"filter":{"<=MODIFIED":"2025-01-01T00:00:00+03:00","@ID":{"0":"1","1":"2"}}})
        );
    }

    #[test]
    fn mangles_dots_and_spaces_in_the_base_name_and_skips_empty_names() {
        let p = parse_str("a.b=1&c d=2&=3&&e");
        assert_eq!(Value::Object(p), json!({"a_b":"1","c_d":"2","e":""}));
    }

    #[test]
    fn a_later_duplicate_wins_and_scalar_is_replaced_by_array() {
        let p = parse_str("x=1&x=2&y=1&y[a]=2");
        assert_eq!(Value::Object(p), json!({"x":"2","y":{"a":"2"}}));
    }

    #[test]
    fn decodes_json_only_with_a_json_content_type() {
        let body = br#"{"select":["ID"],"auth":"t"}"#;
        assert_eq!(
            Value::Object(decode_body(Some("application/json; charset=utf-8"), body)),
            json!({"select":["ID"],"auth":"t"})
        );
        // text/plain (what BX24 v1 sends, §4.4) goes through parse_str.
        assert_eq!(
            Value::Object(decode_body(
                Some("text/plain;charset=UTF-8"),
                b"auth=t&start=50"
            )),
            json!({"auth":"t","start":"50"})
        );
        // Invalid JSON gives no parameters at all.
        assert!(decode_body(Some("application/json"), b"{oops").is_empty());
    }

    #[test]
    fn body_replaces_query_at_the_top_level() {
        let q = parse_str("auth=q&start=50&filter[A]=1");
        let b = decode_body(
            Some("application/json"),
            br#"{"auth":"b","filter":{"B":2}}"#,
        );
        assert_eq!(
            Value::Object(merge(q, b)),
            json!({"auth":"b","start":"50","filter":{"B":2}})
        );
    }

    #[test]
    fn intval_follows_php() {
        for (v, n) in [
            (json!("50"), 50),
            (json!(" 7abc"), 7),
            (json!("-1"), -1),
            (json!("abc"), 0),
            (json!(12.9), 12),
            (json!(true), 1),
            (json!(null), 0),
            (json!([1]), 0),
        ] {
            assert_eq!(intval(&v), n, "{v}");
        }
    }

    #[test]
    fn php_array_encodes_lists_maps_and_empty_like_json_encode() {
        let mut m = Map::new();
        assert_eq!(php_array(m.clone()), json!([]));
        m.insert("0".into(), json!(1));
        m.insert("1".into(), json!(2));
        assert_eq!(php_array(m.clone()), json!([1, 2]));
        m.insert("k".into(), json!(3));
        assert_eq!(php_array(m), json!({"0":1,"1":2,"k":3}));
    }

    #[test]
    fn entries_reads_lists_and_maps_alike() {
        assert_eq!(entries(&json!(["a"])), vec![("0".to_owned(), &json!("a"))]);
        assert_eq!(
            entries(&json!({"x":"a"})),
            vec![("x".to_owned(), &json!("a"))]
        );
        assert!(entries(&json!("a")).is_empty());
    }
}
