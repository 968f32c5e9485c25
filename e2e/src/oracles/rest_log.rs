//! What the app asked the portal for, read from the emulator's request log:
//! the list queries (single calls and batch commands), the `user.get`s and
//! `template.list`s, the summary's count batches.

use serde_json::{json, Map, Value};

use crate::pages::table::TablePage;
use crate::{wait_for, Harness, Result};

/// The REST method that lists running workflows.
pub const LIST_METHOD: &str = "bizproc.workflow.instances";

/// One 50-row list query the app made: a `bizproc.workflow.instances` call,
/// or one command of a `batch`.
#[derive(Debug, Clone, PartialEq)]
pub struct ListQuery {
    /// The log entry's `seq`.
    pub seq: u64,
    /// The batch command key (`s50`), or `None` for a single call.
    pub batch_key: Option<String>,
    /// ORDER as `(field, direction)` in the order sent.
    pub order: Vec<(String, String)>,
    /// FILTER as sent (values as text).
    pub filter: Map<String, Value>,
    /// `start` (0 when absent).
    pub start: u64,
    /// SELECT as sent, in order (empty when absent).
    pub select: Vec<String>,
}

/// A JSON value as the text PHP would see (`12` and `"12"` alike).
pub fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// An object's `(key, value-as-text)` pairs in their order.
pub fn pairs(v: &Value) -> Vec<(String, String)> {
    v.as_object()
        .map(|m| m.iter().map(|(k, v)| (k.clone(), text_of(v))).collect())
        .unwrap_or_default()
}

/// `(key, value)` pairs from string slices, for comparing with [`pairs`].
pub fn expect_pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn case_insensitive<'v>(params: &'v Value, key: &str) -> Option<&'v Value> {
    params
        .as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
}

fn query_of(seq: u64, batch_key: Option<String>, params: &Value) -> ListQuery {
    let start = case_insensitive(params, "start")
        .map(text_of)
        .and_then(|s| s.trim().parse::<u64>().ok())
        .unwrap_or(0);
    ListQuery {
        seq,
        batch_key,
        order: case_insensitive(params, "order")
            .map(pairs)
            .unwrap_or_default(),
        filter: case_insensitive(params, "filter")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default(),
        start,
        select: case_insensitive(params, "select")
            .map(|v| match v {
                Value::Array(items) => items.iter().map(text_of).collect(),
                Value::Object(items) => items.values().map(text_of).collect(),
                other => vec![text_of(other)],
            })
            .unwrap_or_default(),
    }
}

/// The list queries in one log entry: the call itself, or each list
/// command of a batch (decoded as the portal decodes them, PHP
/// `parse_str`).
pub fn list_queries(entry: &Value) -> Vec<ListQuery> {
    let seq = entry["seq"].as_u64().unwrap_or(0);
    let method = entry["method"].as_str().unwrap_or_default();
    if method == LIST_METHOD {
        return vec![query_of(seq, None, &entry["params"])];
    }
    if method != "batch" {
        return Vec::new();
    }
    let Some(cmds) = case_insensitive(&entry["params"], "cmd").and_then(Value::as_object) else {
        return Vec::new();
    };
    cmds.iter()
        .filter_map(|(key, cmd)| {
            let cmd = cmd.as_str()?;
            let (method, query) = cmd.split_once('?').unwrap_or((cmd, ""));
            if !method.trim().eq_ignore_ascii_case(LIST_METHOD) {
                return None;
            }
            let params = Value::Object(portal_emulator::php::parse_str(query));
            Some(query_of(seq, Some(key.clone()), &params))
        })
        .collect()
}

/// The emulator's REST log, as far as the app (not the test) is concerned.
pub struct RestLog<'a> {
    h: &'a Harness,
}

impl<'a> RestLog<'a> {
    /// Waits until the screen has settled (every request made since
    /// `loaded` answered), then prints `REST requests | <interaction> | <n>
    /// | <calls> | counts batches: <k>` and returns the calls since `mark`.
    pub async fn cost(
        &self,
        interaction: &str,
        table: &TablePage<'_>,
        loaded: u64,
        mark: u64,
    ) -> Result<Vec<Value>> {
        self.wait_settled(table, loaded).await?;
        let calls = self.since(mark).await?;
        let counts = calls.iter().filter(|c| is_counts_batch(c)).count();
        println!(
            "REST requests | {interaction} | {} | {} | counts batches: {counts}",
            calls.len(),
            describe_calls(&calls)
        );
        Ok(calls)
    }

    /// The log of `h`'s emulator.
    pub fn of(h: &'a Harness) -> Self {
        RestLog { h }
    }

    /// Every REST request the app made (requests with the app host's
    /// origin; the test's own queries carry none).
    pub async fn app_calls(&self) -> Result<Vec<Value>> {
        crate::app::app_calls(self.h).await
    }

    /// The `seq` of the latest entry (of anyone), to count from.
    pub async fn mark(&self) -> Result<u64> {
        let log = self.h.control.get("/_emulator/log").await?;
        Ok(log
            .as_array()
            .and_then(|l| l.last())
            .and_then(|e| e["seq"].as_u64())
            .unwrap_or(0))
    }

    /// The app's requests after `mark`.
    pub async fn since(&self, mark: u64) -> Result<Vec<Value>> {
        Ok(self
            .app_calls()
            .await?
            .into_iter()
            .filter(|e| e["seq"].as_u64().unwrap_or(0) > mark)
            .collect())
    }

    /// The app's list queries after `mark`, in order.
    pub async fn queries_since(&self, mark: u64) -> Result<Vec<ListQuery>> {
        Ok(self
            .since(mark)
            .await?
            .iter()
            .flat_map(list_queries)
            .collect())
    }

    /// Waits for a list query after `mark` that satisfies `pred`.
    pub async fn wait_query(
        &self,
        mark: u64,
        what: &str,
        pred: impl Fn(&ListQuery) -> bool,
    ) -> Result<ListQuery> {
        let result = wait_for(what, || async {
            Ok(self
                .queries_since(mark)
                .await?
                .into_iter()
                .find(|q| pred(q)))
        })
        .await;
        if result.is_err() {
            eprintln!(
                "{what}: the app's list queries were {:#?}",
                self.queries_since(mark).await.unwrap_or_default()
            );
        }
        result
    }

    /// Waits until every request the app made since `loaded` (the mark
    /// taken before the app frame's document loaded) has reached the app:
    /// the frame has received as many `/rest/` responses as the emulator
    /// logged. Then counts are final and a prefetched page is in the
    /// app's hands.
    pub async fn wait_settled(&self, table: &TablePage<'_>, loaded: u64) -> Result<()> {
        wait_for("every REST answer to reach the app", || async {
            let logged = self.since(loaded).await?.len() as u64;
            let received = table.rest_responses_received().await?;
            Ok((received >= logged).then_some(()))
        })
        .await
    }
}

/// The method that lists templates.
pub const TEMPLATE_LIST_METHOD: &str = "bizproc.workflow.template.list";
/// The method that reads users by id.
pub const USER_GET_METHOD: &str = "user.get";

/// The ids one `user.get` asked for: `FILTER[@ID]` (or `filter`), numbers
/// or strings, or a comma-separated string.
/// The `@ID` values of a `user.get`'s parameters, as text.
fn user_get_values(params: &Value) -> Vec<String> {
    let filter = case_insensitive(params, "filter").unwrap_or(params);
    let ids = filter
        .as_object()
        .and_then(|f| f.iter().find(|(k, _)| k.eq_ignore_ascii_case("@ID")))
        .map(|(_, v)| v.clone())
        .unwrap_or(Value::Null);
    let items: Vec<Value> = match ids {
        Value::Array(items) => items,
        Value::Object(items) => items.into_iter().map(|(_, v)| v).collect(),
        Value::String(s) => s.split(',').map(|p| json!(p.trim())).collect(),
        other => vec![other],
    };
    items.iter().map(|v| text_of(v).trim().to_owned()).collect()
}

fn user_get_ids(params: &Value) -> Vec<u64> {
    user_get_values(params)
        .iter()
        .filter_map(|v| v.parse().ok())
        .collect()
}

/// Whether a `user.get` names its people by reference to another
/// command's answer (`$result[s0][3][STARTED_BY]`), not by id.
fn by_reference(params: &Value) -> bool {
    let values = user_get_values(params);
    !values.is_empty() && values.iter().all(|v| v.starts_with("$result["))
}

/// The `user.get` commands of a batch entry that name their people by
/// reference, each as its references (`$result[s0][3][STARTED_BY]`).
pub fn user_get_references(entry: &Value) -> Vec<Vec<String>> {
    batch_commands(entry, USER_GET_METHOD)
        .iter()
        .filter(|p| by_reference(p))
        .map(user_get_values)
        .collect()
}

/// The `user.get` requests in one log entry (a call, or each `user.get`
/// command of a batch), each as the ids it asked for.
pub fn user_gets(entry: &Value) -> Vec<Vec<u64>> {
    let method = entry["method"].as_str().unwrap_or_default();
    if method.eq_ignore_ascii_case(USER_GET_METHOD) {
        return vec![user_get_ids(&entry["params"])];
    }
    batch_commands(entry, USER_GET_METHOD)
        .iter()
        .filter(|p| !by_reference(p))
        .map(user_get_ids)
        .collect()
}

/// The decoded parameters of each command of a batch entry calling `method`.
fn batch_commands(entry: &Value, method: &str) -> Vec<Value> {
    if entry["method"].as_str() != Some("batch") {
        return Vec::new();
    }
    let Some(cmds) = case_insensitive(&entry["params"], "cmd").and_then(Value::as_object) else {
        return Vec::new();
    };
    cmds.values()
        .filter_map(|cmd| {
            let (m, query) = cmd.as_str()?.split_once('?').unwrap_or((cmd.as_str()?, ""));
            m.trim()
                .eq_ignore_ascii_case(method)
                .then(|| Value::Object(portal_emulator::php::parse_str(query)))
        })
        .collect()
}

/// Whether a log entry asks for templates (a `template.list`, or a batch
/// of them).
pub fn is_template_list(entry: &Value) -> bool {
    entry["method"]
        .as_str()
        .is_some_and(|m| m.eq_ignore_ascii_case(TEMPLATE_LIST_METHOD))
        || !batch_commands(entry, TEMPLATE_LIST_METHOD).is_empty()
}

/// One line per request for the `REST requests | …` reports: the method,
/// the `start` of list queries and the ids of `user.get`s.
pub fn describe_calls(calls: &[Value]) -> String {
    calls
        .iter()
        .map(|c| {
            let mut out = c["method"].as_str().unwrap_or("?").to_owned();
            let starts: Vec<String> = list_queries(c)
                .iter()
                .map(|q| match &q.batch_key {
                    Some(key) if q.is_signal_count() => format!("count {key}"),
                    _ => format!("start={}", q.start),
                })
                .collect();
            if !starts.is_empty() {
                out.push_str(&format!(" [{}]", starts.join(", ")));
            }
            for ids in user_gets(c) {
                out.push_str(&format!(" [@ID {ids:?}]"));
            }
            out
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The batch keys of the stuck and idle counts' commands.
pub const SIGNAL_COUNT_KEYS: [&str; 2] = ["stuck", "idle"];

impl ListQuery {
    /// Whether this is one of the summary's count commands (`stuck` or
    /// `idle` in a batch), not a page of the table.
    pub fn is_signal_count(&self) -> bool {
        self.batch_key
            .as_deref()
            .is_some_and(|k| SIGNAL_COUNT_KEYS.contains(&k))
    }
}

/// Whether a logged request is the summary's counts batch.
pub fn is_counts_batch(entry: &Value) -> bool {
    let queries = list_queries(entry);
    entry["method"] == "batch"
        && !queries.is_empty()
        && queries.iter().all(ListQuery::is_signal_count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batch_commands_are_decoded_as_the_portal_decodes_them() {
        let entry = json!({"seq": 7, "method": "batch", "params": {"halt": "1", "cmd": {
            "s0": "bizproc.workflow.instances?order%5BSTARTED%5D=DESC&order%5BID%5D=DESC&start=0",
            "s50": "bizproc.workflow.instances?order%5BSTARTED%5D=DESC&order%5BID%5D=DESC&filter%5B%3E%3DID%5D=6a&start=50",
            "u": "user.get?ID=1"
        }}});
        let qs = list_queries(&entry);
        assert_eq!(qs.len(), 2);
        assert_eq!(qs[1].batch_key.as_deref(), Some("s50"));
        assert_eq!(qs[1].start, 50);
        assert_eq!(
            qs[1].order,
            expect_pairs(&[("STARTED", "DESC"), ("ID", "DESC")])
        );
        assert_eq!(qs[1].filter[">=ID"], "6a");
    }

    #[test]
    fn user_get_ids_are_read_from_calls_and_batches() {
        let call = json!({"method": "user.get", "params": {"FILTER": {"@ID": [5, "7"]}}});
        assert_eq!(user_gets(&call), vec![vec![5, 7]]);
        let batch = json!({"method": "batch", "params": {"halt": 0, "cmd": {
            "u0": "user.get?FILTER%5B%40ID%5D%5B0%5D=1&FILTER%5B%40ID%5D%5B1%5D=2",
            "t": "bizproc.workflow.template.list?start=50"
        }}});
        assert_eq!(user_gets(&batch), vec![vec![1, 2]]);
        assert!(user_get_references(&batch).is_empty());
        assert!(is_template_list(&batch));
        let named = json!({"method": "batch", "params": {"halt": 1, "cmd": {
            "s0": "bizproc.workflow.instances?start=0",
            "people_s0": "user.get?FILTER%5B%40ID%5D%5B0%5D=%24result%5Bs0%5D%5B0%5D%5BSTARTED_BY%5D"
        }}});
        assert!(user_gets(&named).is_empty());
        assert_eq!(
            user_get_references(&named),
            vec![vec!["$result[s0][0][STARTED_BY]".to_owned()]]
        );
        assert!(!is_template_list(&call));
    }
}
