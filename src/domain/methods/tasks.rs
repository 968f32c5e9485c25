//! `bizproc.task.list` (fact sheet S25, docs
//! `api-reference/bizproc/bizproc-task/bizproc-task-list.md`): the tasks
//! people have in running workflows. One row per task and assignee, 50
//! rows a page; an administrator sees every user's tasks.
//!
//! The docs do not say whether a list value in `FILTER[WORKFLOW_ID]`
//! means "any of these" (UNCONFIRMED), and a single call's 50 rows are
//! shared by every workflow it matches. So the tasks of a screen are
//! asked one workflow per command, up to 50 commands to a `batch`: one
//! request per screen of up to 50 rows, exact whatever the portal does
//! with lists. Rows are checked against what was asked: a portal that
//! drops a filter field (fact sheet §1.3: unknown fields are dropped) is
//! caught, never read as "no task".

use serde_json::{json, Value};

use crate::domain::methods::instances::{UserId, WorkflowId};
use crate::domain::wire::errors::{json_type, loose_u64, scalar_text, ParseError, RawResponse};

/// Lists workflow tasks.
pub const TASK_LIST_METHOD: &str = "bizproc.task.list";

/// `STATUS` of a task still open (docs: 0 = not yet done).
pub const TASK_OPEN: u64 = 0;

/// `USER_STATUS` of an assignee who has not answered yet.
pub const USER_WAITING: u64 = 0;

/// The fields asked: the task, its workflow and state, its assignee and
/// their answer, and `STATUS` to check the filter held.
pub const TASK_SELECT: [&str; 7] = [
    "ID",
    "WORKFLOW_ID",
    "NAME",
    "WORKFLOW_STATE",
    "STATUS",
    "USER_ID",
    "USER_STATUS",
];

/// The parameters of the open tasks of one workflow.
pub fn open_tasks_params(workflow: &WorkflowId) -> Value {
    json!({
        "SELECT": TASK_SELECT,
        "FILTER": { "WORKFLOW_ID": workflow.as_str(), "STATUS": TASK_OPEN },
        "ORDER": { "ID": "ASC" },
    })
}

/// One row of `task.list`: a task and one of its assignees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskRow {
    /// `ID`, as sent (numeric on every portal seen; kept as text).
    pub id: String,
    /// `WORKFLOW_ID`; `None` when missing.
    pub workflow: Option<WorkflowId>,
    /// `NAME` (portal text: render as text only).
    pub name: String,
    /// `WORKFLOW_STATE`: the workflow's state title.
    pub state: String,
    /// `STATUS`, when sent and numeric.
    pub status: Option<u64>,
    /// `USER_ID`, when sent and numeric.
    pub user: Option<UserId>,
    /// `USER_STATUS`, when sent and numeric.
    pub user_status: Option<u64>,
}

fn text(row: &Value, key: &str) -> Option<String> {
    row.get(key)
        .and_then(scalar_text)
        .map(|s| s.trim().to_owned())
}

fn number(row: &Value, key: &str) -> Option<u64> {
    row.get(key).and_then(loose_u64)
}

/// Reads one page of `task.list`. A row that is not an object is skipped;
/// a missing field is `None` or empty, never a failure of the page.
pub fn parse_task_rows(raw: &RawResponse) -> Result<Vec<TaskRow>, ParseError> {
    let items: &[Value] = match &raw.result {
        Value::Array(items) => items,
        // An empty PHP array may come as `{}`; a map keyed 0..n as an
        // object of rows.
        Value::Object(o) if o.is_empty() => &[],
        Value::Object(o) => {
            return Ok(o.values().filter_map(row).collect());
        }
        other => {
            return Err(ParseError::UnexpectedResult {
                expected: "a list of tasks",
                found: json_type(other),
            })
        }
    };
    Ok(items.iter().filter_map(row).collect())
}

fn row(v: &Value) -> Option<TaskRow> {
    if !v.is_object() {
        return None;
    }
    Some(TaskRow {
        id: text(v, "ID").unwrap_or_default(),
        workflow: text(v, "WORKFLOW_ID")
            .filter(|s| !s.is_empty())
            .map(WorkflowId::new),
        name: text(v, "NAME").unwrap_or_default(),
        state: text(v, "WORKFLOW_STATE").unwrap_or_default(),
        status: number(v, "STATUS"),
        user: number(v, "USER_ID").map(UserId),
        user_status: number(v, "USER_STATUS"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(result: Value) -> RawResponse {
        RawResponse {
            result,
            total: None,
            next: None,
            time: None,
        }
    }

    #[test]
    fn params_ask_the_open_tasks_of_one_workflow() {
        let p = open_tasks_params(&WorkflowId::new("66e4.1"));
        assert_eq!(p["FILTER"]["WORKFLOW_ID"], "66e4.1");
        assert_eq!(p["FILTER"]["STATUS"], 0);
        assert_eq!(p["SELECT"].as_array().unwrap().len(), TASK_SELECT.len());
        assert_eq!(p["ORDER"]["ID"], "ASC");
    }

    #[test]
    fn rows_are_read_as_the_docs_show_them() {
        let rows = parse_task_rows(&raw(json!([{
            "ID": "1477", "WORKFLOW_ID": "67a2ffdb2c57a3.35276854",
            "NAME": "Add the contractor", "WORKFLOW_STATE": "Waiting for information",
            "STATUS": "0", "USER_ID": "1", "USER_STATUS": "0"
        }])))
        .unwrap();
        assert_eq!(
            rows,
            vec![TaskRow {
                id: "1477".into(),
                workflow: Some(WorkflowId::new("67a2ffdb2c57a3.35276854")),
                name: "Add the contractor".into(),
                state: "Waiting for information".into(),
                status: Some(0),
                user: Some(UserId(1)),
                user_status: Some(0),
            }]
        );
    }

    #[test]
    fn odd_answers_never_fail_the_page_unless_the_result_is_no_list() {
        assert_eq!(parse_task_rows(&raw(json!([]))).unwrap(), vec![]);
        assert_eq!(parse_task_rows(&raw(json!({}))).unwrap(), vec![]);
        // Numbers as numbers, a junk row, missing fields.
        let rows =
            parse_task_rows(&raw(json!({"0": {"ID": 5, "USER_ID": 7}, "1": "junk"}))).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].id, "5");
        assert_eq!(rows[0].user, Some(UserId(7)));
        assert_eq!(rows[0].workflow, None);
        assert_eq!(rows[0].status, None);
        let rows = parse_task_rows(&raw(json!([{"USER_ID": "x", "NAME": null}]))).unwrap();
        assert_eq!(rows[0].user, None);
        assert_eq!(rows[0].name, "");
        assert!(matches!(
            parse_task_rows(&raw(json!("nope"))),
            Err(ParseError::UnexpectedResult { .. })
        ));
    }
}
