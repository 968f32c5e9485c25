//! `bizproc.task.list` (fact sheet S25, docs
//! `api-reference/bizproc/bizproc-task/bizproc-task-list.md`): the tasks of
//! running workflows, one row per (task, assignee), 50 per page.
//!
//! SELECT, ORDER and FILTER follow the grammar of the other bizproc lists
//! (§1.3, with the same knobs for `=`/`!=` and field-name case); two
//! UNCONFIRMED points are knobs of their own: `task_filter_lists` (a list
//! value means IN, or is compared as "Array") and `task_filter_strict` (an
//! unknown field or operator is an error instead of being dropped).

use serde_json::{json, Map, Value};

use super::instances::{start_offset, PAGE};
use super::{filter, Ctx, RestError, Success};
use crate::php;
use crate::store::{format_date, Op, Operand};
use crate::tasks::{self, TaskCondition, TaskField, TaskQuery, TaskRow};
use crate::Shared;

/// The SELECT default (the source's, before the always-selected fields).
const DEFAULT_SELECT: [TaskField; 4] = [
    TaskField::Id,
    TaskField::WorkflowId,
    TaskField::DocumentName,
    TaskField::Name,
];

/// Selected whatever SELECT says: the document, which DOCUMENT_URL is
/// computed from.
const ALWAYS: [TaskField; 3] = [
    TaskField::ModuleId,
    TaskField::Entity,
    TaskField::DocumentId,
];

/// The fields of each row, in order: the document first, then the asked
/// (or default) fields in field-map order, then DOCUMENT_URL.
pub fn select(upper: &Map<String, Value>) -> Vec<TaskField> {
    let asked = filter::select_fields(upper, TaskField::from_name);
    let asked: Vec<TaskField> = if asked.is_empty() {
        DEFAULT_SELECT.to_vec()
    } else {
        asked
    };
    let mut out = ALWAYS.to_vec();
    out.extend(
        TaskField::ALL
            .into_iter()
            .filter(|f| asked.contains(f) && !ALWAYS.contains(f) && *f != TaskField::DocumentUrl),
    );
    out.push(TaskField::DocumentUrl);
    out
}

/// ORDER: like the other lists, `ID DESC` when nothing valid is left;
/// PARAMETERS and DOCUMENT_URL are not columns.
pub fn order(upper: &Map<String, Value>) -> Vec<(TaskField, bool)> {
    let keys = filter::order_keys(upper, |n| {
        TaskField::from_name(n).filter(|f| f.kind().is_some())
    });
    if keys.is_empty() {
        vec![(TaskField::Id, true)]
    } else {
        keys
    }
}

/// FILTER: each key split into operator and field as §1.3 describes.
pub fn conditions(upper: &Map<String, Value>, ctx: &Ctx) -> Result<Vec<TaskCondition>, RestError> {
    let Some(filter) = upper.get("FILTER") else {
        return Ok(Vec::new());
    };
    let knobs = &ctx.knobs;
    let mut out = Vec::new();
    for (key, value) in php::entries(filter) {
        let (prefix, name) = filter::split_key(&key);
        let Some(op) = filter::operator(prefix, knobs) else {
            if knobs.task_filter_strict {
                return Err(RestError::argument(
                    &format!("Filter operation is not allowed: {prefix}"),
                    "FILTER",
                ));
            }
            continue;
        };
        let name = if knobs.case_insensitive_filter_fields {
            name.to_uppercase()
        } else {
            name.to_owned()
        };
        if knobs.ignore_filter_fields.contains(&name) {
            continue;
        }
        let Some((field, kind)) =
            TaskField::from_name(&name).and_then(|f| f.kind().map(|k| (f, k)))
        else {
            if knobs.task_filter_strict {
                return Err(RestError::argument(
                    &format!("Filter field is not allowed: {name}"),
                    "FILTER",
                ));
            }
            continue;
        };
        let operand = if !knobs.task_filter_lists && (value.is_array() || value.is_object()) {
            // PHP's `(string)$array`.
            Operand::Text(vec!["Array".to_owned()])
        } else {
            filter::operand(kind, value, &ctx.offset, ctx.now_ms / 1000)
        };
        out.push(TaskCondition { field, op, operand });
    }
    Ok(out)
}

/// One row as the server renders it: scalars as strings, dates with the
/// server's offset, absent values as `null`.
pub fn render(row: &TaskRow<'_>, fields: &[TaskField], ctx: &Ctx) -> Value {
    let t = row.task;
    let date = |s: i64| json!(format_date(s, &ctx.offset));
    let mut out = Map::new();
    for &f in fields {
        let v = match f {
            TaskField::Id => json!(t.id.to_string()),
            TaskField::WorkflowId => json!(t.workflow_id),
            TaskField::DocumentName => json!(t.document_name),
            TaskField::Description => json!(t.description),
            TaskField::Name => json!(t.name),
            TaskField::Modified => date(t.modified),
            TaskField::WorkflowStarted => date(t.workflow_started),
            TaskField::WorkflowStartedBy => json!(t.workflow_started_by.to_string()),
            TaskField::OverdueDate => t.overdue_date.map_or(Value::Null, date),
            TaskField::WorkflowTemplateId => json!(t.workflow_template_id.to_string()),
            TaskField::WorkflowTemplateName => json!(t.workflow_template_name),
            TaskField::WorkflowState => json!(t.workflow_state),
            TaskField::Status => json!(t.status.to_string()),
            TaskField::UserId => json!(row.user.user_id.to_string()),
            TaskField::UserStatus => json!(row.user.status.to_string()),
            TaskField::ModuleId => json!(t.module_id),
            TaskField::Entity => json!(t.entity),
            TaskField::DocumentId => json!(t.document_id),
            TaskField::Activity => json!(t.activity),
            TaskField::ActivityName => json!(t.activity_name),
            TaskField::Parameters => t.parameters(),
            TaskField::DocumentUrl => json!(t.document_url),
        };
        out.insert(f.name().to_owned(), v);
    }
    Value::Object(out)
}

/// The method. Any user may call it; an administrator sees every task
/// unless a USER_ID filter is given, anyone else gets their own tasks (a
/// USER_ID filter for somebody else is refused: the emulator has no
/// subordinates).
pub fn task_list(
    state: &Shared,
    ctx: &Ctx,
    params: &Map<String, Value>,
) -> Result<Success, RestError> {
    let offset = start_offset(params)?;
    let upper = php::upper_keys(params);
    let fields = select(&upper);
    let mut conditions = conditions(&upper, ctx)?;
    if !ctx.is_admin {
        let me = i64::from(ctx.user);
        let user_filter = conditions
            .iter()
            .find(|c| c.field == TaskField::UserId && c.op == Op::Eq);
        match user_filter.map(|c| &c.operand) {
            None => conditions.push(TaskCondition {
                field: TaskField::UserId,
                op: Op::Eq,
                operand: Operand::Int(vec![me]),
            }),
            Some(Operand::Int(ids)) if ids.iter().all(|id| *id == me) => {}
            Some(_) => return Err(RestError::access_denied()),
        }
    }
    let q = TaskQuery {
        conditions,
        order: order(&upper),
    };
    let store = state.store();
    let (rows, total) = tasks::query(store.tasks(), &q, offset, PAGE);
    let rows: Vec<Value> = rows.iter().map(|r| render(r, &fields, ctx)).collect();
    let next = offset + rows.len();
    Ok(Success {
        result: Value::Array(rows),
        total: Some(total),
        next: (next < total).then_some(next),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upper(v: Value) -> Map<String, Value> {
        php::upper_keys(v.as_object().expect("object"))
    }

    #[test]
    fn select_always_has_the_document_and_its_url() {
        let names = |v: Value| -> Vec<&'static str> {
            select(&upper(v)).into_iter().map(TaskField::name).collect()
        };
        assert_eq!(
            names(json!({})),
            [
                "MODULE_ID",
                "ENTITY",
                "DOCUMENT_ID",
                "ID",
                "WORKFLOW_ID",
                "DOCUMENT_NAME",
                "NAME",
                "DOCUMENT_URL"
            ]
        );
        assert_eq!(
            names(json!({"select":["status","USER_ID","BOGUS"]})),
            [
                "MODULE_ID",
                "ENTITY",
                "DOCUMENT_ID",
                "STATUS",
                "USER_ID",
                "DOCUMENT_URL"
            ]
        );
        assert_eq!(names(json!({"select":["ENTITY"]})).len(), 4);
        assert_eq!(names(json!({"select":["NOPE"]})).len(), 8, "default");
    }

    #[test]
    fn order_defaults_to_id_desc_and_ignores_non_columns() {
        assert_eq!(
            order(&upper(json!({"order":{"document_url":"asc"}}))),
            vec![(TaskField::Id, true)]
        );
        assert_eq!(
            order(&upper(json!({"order":{"MODIFIED":"asc","STATUS":"DESC"}}))),
            vec![(TaskField::Modified, false), (TaskField::Status, true)]
        );
    }
}
