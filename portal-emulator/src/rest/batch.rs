//! `batch` (fact sheet §2.3): up to 50 string commands `method?query` in PHP
//! bracket notation, `halt`, `$result[…]` references between commands, and
//! the result maps (`[]` when empty, lists for keys 0..n).

use std::time::Instant;

use serde_json::{json, Map, Value};

use super::{invoke, time_object, Ctx, RestError, Success};
use crate::config::BatchBilling;
use crate::limits::Operating;
use crate::php;
use crate::state::now_ms;
use crate::Shared;

/// `CRestUtil::BATCH_MAX_LENGTH`.
pub const MAX_COMMANDS: usize = 50;

/// Methods that cannot run inside a batch (§2.3).
const NOT_IN_BATCH: [&str; 3] = ["batch", "download", "upload"];

fn commands(params: &Map<String, Value>) -> Vec<(String, &Value)> {
    params
        .get("cmd")
        .or_else(|| params.get("CMD"))
        .map(php::entries)
        .unwrap_or_default()
}

/// The method names of a batch's commands, for the request log.
pub fn methods_of(params: &Map<String, Value>) -> Vec<String> {
    commands(params)
        .into_iter()
        .filter_map(|(_, v)| v.as_str())
        .map(|c| c.split('?').next().unwrap_or("").trim().to_lowercase())
        .collect()
}

/// The results gathered so far, by the names references use.
#[derive(Default)]
struct Results {
    result: Map<String, Value>,
    error: Map<String, Value>,
    total: Map<String, Value>,
    next: Map<String, Value>,
    time: Map<String, Value>,
}

impl Results {
    fn map(&self, name: &str) -> Option<&Map<String, Value>> {
        match name {
            "result" => Some(&self.result),
            "error" => Some(&self.error),
            "total" => Some(&self.total),
            "next" => Some(&self.next),
            "time" => Some(&self.time),
            _ => None,
        }
    }
}

/// One `$name[a][b]…` reference found in a string: its byte span and value.
fn find_reference(s: &str, results: &Results) -> Option<(usize, usize, Value)> {
    let mut from = 0;
    while let Some(pos) = s[from..].find('$') {
        let start = from + pos;
        let rest = &s[start + 1..];
        let name_len = rest.find('[').unwrap_or(rest.len());
        if let Some(map) = results.map(&rest[..name_len]) {
            let mut i = start + 1 + name_len;
            let mut path = Vec::new();
            while s[i..].starts_with('[') {
                let Some(close) = s[i..].find(']') else { break };
                path.push(&s[i + 1..i + close]);
                i += close + 1;
            }
            // `CRestUtil::processBatchElement` (S8): the walk goes down
            // while the key exists and stops at the last one found, so a
            // reference past a short list is that list, and one to a
            // command that failed is the whole map.
            if !path.is_empty() {
                let mut cur: Option<&Value> = None;
                let whole = Value::Object(map.clone());
                for seg in &path {
                    let here = cur.unwrap_or(&whole);
                    let next = match here {
                        Value::Array(a) => seg.parse::<usize>().ok().and_then(|n| a.get(n)),
                        Value::Object(o) => o.get(*seg),
                        _ => None,
                    };
                    match next {
                        Some(v) => cur = Some(v),
                        None => break,
                    }
                }
                return Some((start, i, cur.cloned().unwrap_or(whole)));
            }
        }
        from = start + 1;
    }
    None
}

/// Replaces references in every string of a parsed command: a value that is
/// exactly one reference takes the referenced value (arrays included); a
/// reference inside text is replaced by the value's text (`Array` for a
/// list, as PHP's `str_replace` writes it). A path that goes past what
/// exists resolves to the last value found (S8).
fn resolve(value: &Value, results: &Results) -> Value {
    match value {
        Value::String(s) => {
            if let Some((0, end, v)) = find_reference(s, results) {
                if end == s.len() {
                    return match v {
                        Value::Array(_) | Value::Object(_) => v,
                        scalar => json!(php::to_php_string(&scalar).unwrap_or_default()),
                    };
                }
            }
            let mut text = s.clone();
            let mut guard = 0;
            while let Some((a, b, v)) = find_reference(&text, results) {
                let replacement = match &v {
                    Value::Array(_) | Value::Object(_) => "Array".to_owned(),
                    scalar => php::to_php_string(scalar).unwrap_or_default(),
                };
                text.replace_range(a..b, &replacement);
                guard += 1;
                if guard > 100 {
                    break;
                }
            }
            Value::String(text)
        }
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), resolve(v, results)))
                .collect(),
        ),
        // PHP walks every array of the query (`processBatchStructure`).
        Value::Array(items) => Value::Array(items.iter().map(|v| resolve(v, results)).collect()),
        other => other.clone(),
    }
}

/// Runs a batch. The whole batch answers 200 even when commands fail. The
/// knob `batch_command_latency_ms` delays each command that runs.
pub async fn run(
    state: &Shared,
    ctx: &Ctx,
    params: &Map<String, Value>,
) -> Result<(Success, Option<Operating>), RestError> {
    // A test's own batch is neither checked nor charged.
    let billing = if ctx.oracle {
        BatchBilling::Nested
    } else {
        ctx.knobs.batch_billing
    };
    if billing == BatchBilling::Batch
        && state
            .limits()
            .blocked("batch", now_ms(), ctx.knobs.operating_limit_s)
    {
        return Err(RestError::operation_time_limit());
    }
    let began = Instant::now();
    let halt = params
        .get("halt")
        .or_else(|| params.get("HALT"))
        .is_some_and(php::truthy);
    let mut results = Results::default();
    let mut ran = 0usize;
    for (key, command) in commands(params) {
        // Non-string items are skipped (`if (!is_string($call)) continue;`, S9).
        let Some(command) = command.as_str() else {
            continue;
        };
        if ran >= MAX_COMMANDS {
            results.error.insert(
                key,
                json!({"error": "ERROR_BATCH_LENGTH_EXCEEDED", "error_description": "Max batch length exceeded"}),
            );
            continue;
        }
        ran += 1;
        let (method, query) = command.split_once('?').unwrap_or((command, ""));
        let method = method.trim().to_lowercase();
        let failed = if NOT_IN_BATCH.contains(&method.as_str()) {
            Some(RestError::new(
                405,
                "ERROR_BATCH_METHOD_NOT_ALLOWED",
                "Method is not allowed for batch usage",
            ))
        } else {
            let parsed = Value::Object(php::parse_str(query));
            let sub_params = match resolve(&parsed, &results) {
                Value::Object(m) => m,
                _ => Map::new(),
            };
            if ctx.knobs.batch_command_latency_ms > 0 {
                tokio::time::sleep(std::time::Duration::from_millis(
                    ctx.knobs.batch_command_latency_ms,
                ))
                .await;
            }
            let sub_ctx = Ctx {
                batch_key: Some(key.clone()),
                ..ctx.clone()
            };
            let start = now_ms() as f64;
            match invoke(
                state,
                &sub_ctx,
                &method,
                &sub_params,
                billing == BatchBilling::Nested,
            ) {
                Ok((success, operating)) => {
                    let finish = now_ms() as f64;
                    results.result.insert(key.clone(), success.result);
                    if let Some(total) = success.total {
                        results.total.insert(key.clone(), json!(total));
                    }
                    if let Some(next) = success.next {
                        results.next.insert(key.clone(), json!(next));
                    }
                    let operating = operating.filter(|_| ctx.knobs.operating_reported);
                    results.time.insert(
                        key.clone(),
                        time_object(
                            start,
                            finish,
                            (finish - start) / 1000.0,
                            operating,
                            &ctx.offset,
                        ),
                    );
                    None
                }
                Err(e) => Some(e),
            }
        };
        if let Some(e) = failed {
            results.error.insert(key, e.body());
            if halt {
                break;
            }
        }
    }
    if billing == BatchBilling::Batch {
        let spent = began.elapsed().as_secs_f64() + ctx.knobs.operating_charge_s;
        state.limits().charge("batch", now_ms(), spent);
    }
    let operating = state.limits().operating("batch", now_ms());
    let result = json!({
        "result": php::php_array(results.result),
        "result_error": php::php_array(results.error),
        "result_total": php::php_array(results.total),
        "result_next": php::php_array(results.next),
        "result_time": php::php_array(results.time),
    });
    Ok((Success::value(result), Some(operating)))
}

/// The error code of every failed sub-command in a batch answer, by key
/// (for the request log).
pub fn errors_of(body: &Value) -> std::collections::BTreeMap<String, String> {
    body["result"]["result_error"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(key, e)| {
            let code = e["error"].as_str().unwrap_or_default().to_owned();
            (key.clone(), code)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn results() -> Results {
        let mut r = Results::default();
        r.result.insert(
            "list".into(),
            json!([{"ID": "66e412fdc9bd44.36306599", "TEMPLATE_ID": "212"}]),
        );
        r.result.insert("ids".into(), json!(["1", "2"]));
        r.total.insert("list".into(), json!(120));
        r
    }

    #[test]
    fn resolves_whole_and_embedded_references() {
        let r = results();
        let v = json!({
            "ID": "$result[list][0][ID]",
            "FILTER": {"@ID": "$result[ids]"},
            "note": "total=$total[list];first=$result[list][0][TEMPLATE_ID]",
            "missing": "$result[nope][0]",
            "past": "$result[list][49][ID]",
            "price": "$5",
            "list": ["$result[list][0][ID]", ["$total[list]"]],
        });
        assert_eq!(
            resolve(&v, &r),
            json!({
                "ID": "66e412fdc9bd44.36306599",
                "FILTER": {"@ID": ["1", "2"]},
                "note": "total=120;first=212",
                "missing": {
                    "list": [{"ID": "66e412fdc9bd44.36306599", "TEMPLATE_ID": "212"}],
                    "ids": ["1", "2"]
                },
                "past": [{"ID": "66e412fdc9bd44.36306599", "TEMPLATE_ID": "212"}],
                "price": "$5",
                "list": ["66e412fdc9bd44.36306599", ["120"]],
            })
        );
    }

    #[test]
    fn lists_command_methods_for_the_log() {
        let p =
            json!({"cmd": {"a": "bizproc.workflow.instances?start=0", "b": "User.Get", "c": 5}});
        assert_eq!(
            methods_of(p.as_object().expect("object")),
            vec!["bizproc.workflow.instances", "user.get"]
        );
    }
}
