//! "Waiting for": what each workflow on screen waits for, read from its
//! open tasks (`bizproc.task.list`, `domain::methods::tasks`).
//!
//! The requests: one command per workflow (`FILTER[WORKFLOW_ID]` and
//! `FILTER[STATUS]=0`), 50 to a `batch`, so a screen of up to 50 rows
//! costs one request. The answer of each command is grouped by task (a
//! row per assignee); the people named are those who have not answered
//! yet. A command whose rows belong to another workflow or to a task no
//! longer open proves the portal dropped the filter: that workflow's
//! tasks are then "not known", never "no open task".

use std::collections::BTreeMap;

use crate::domain::methods::instances::{UserId, WorkflowId};
use crate::domain::methods::tasks::{
    open_tasks_params, parse_task_rows, TaskRow, TASK_LIST_METHOD, TASK_OPEN, USER_WAITING,
};
use crate::domain::wire::batch::{
    BatchCommand, BatchError, BatchRequest, BatchResponse, CommandKey, MAX_COMMANDS,
};
use crate::domain::wire::errors::{ParseError, RestError};

/// An open task of a workflow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenTask {
    /// The task's `ID`.
    pub id: String,
    /// Its `NAME`.
    pub name: String,
    /// The workflow's state title (`WORKFLOW_STATE`).
    pub state: String,
    /// The assignees who have not answered, in the portal's order.
    pub waiting: Vec<UserId>,
    /// The assignees who already answered (a task everyone must answer
    /// stays open until the last one does).
    pub answered: usize,
}

/// What a workflow waits for.
#[derive(Debug, Clone, PartialEq)]
pub enum Waiting {
    /// Its open tasks, oldest first (never empty); `more` when the portal
    /// had more rows than one page (50 assignees) holds.
    Tasks { tasks: Vec<OpenTask>, more: bool },
    /// No open task: it waits for a timer, an event, a robot, or nothing.
    NoTask,
    /// The portal answered with rows the filter excludes: it did not
    /// filter by workflow, so the tasks are not known.
    Unfiltered,
    /// The request failed.
    Failed(RestError),
}

impl Waiting {
    /// The people it names (those who have not answered).
    pub fn people(&self) -> impl Iterator<Item = UserId> + '_ {
        let tasks: &[OpenTask] = match self {
            Waiting::Tasks { tasks, .. } => tasks,
            _ => &[],
        };
        tasks.iter().flat_map(|t| t.waiting.iter().copied())
    }
}

/// What the screen knows of the workflows it showed.
pub type WaitingMap = BTreeMap<WorkflowId, Waiting>;

/// One request: the workflows it asks for, in command order.
#[derive(Debug, Clone, PartialEq)]
pub struct WaitingRequest {
    /// The workflows, command `w{i}` for the `i`-th.
    pub ids: Vec<WorkflowId>,
    /// The batch.
    pub batch: BatchRequest,
}

fn key(i: usize) -> String {
    format!("w{i}")
}

/// The requests for `ids`: 50 workflows to a batch. A request that cannot
/// be built (never expected: fixed keys, at most 50) is left out.
pub fn requests(ids: &[WorkflowId]) -> Vec<WaitingRequest> {
    ids.chunks(MAX_COMMANDS)
        .filter_map(|chunk| {
            let commands = chunk
                .iter()
                .enumerate()
                .map(|(i, id)| {
                    Ok(BatchCommand {
                        key: CommandKey::new(key(i))?,
                        method: TASK_LIST_METHOD.to_owned(),
                        params: open_tasks_params(id),
                    })
                })
                .collect::<Result<Vec<_>, BatchError>>()
                .ok()?;
            Some(WaitingRequest {
                ids: chunk.to_vec(),
                batch: BatchRequest::new(false, commands).ok()?,
            })
        })
        .collect()
}

/// What `result`, the answer of the request for `ids`, says of each.
pub fn read(
    ids: &[WorkflowId],
    result: &Result<BatchResponse, RestError>,
) -> Vec<(WorkflowId, Waiting)> {
    ids.iter()
        .enumerate()
        .map(|(i, id)| {
            let waiting = match result {
                Err(err) => Waiting::Failed(err.clone()),
                Ok(batch) => match batch.get(&key(i)) {
                    None => Waiting::Failed(RestError::BadResponse(ParseError::MissingResult)),
                    Some(Err(err)) => Waiting::Failed(err.clone()),
                    Some(Ok(raw)) => match parse_task_rows(raw) {
                        Ok(rows) => of_rows(id, &rows, raw.next.is_some()),
                        Err(err) => Waiting::Failed(RestError::BadResponse(err)),
                    },
                },
            };
            (id.clone(), waiting)
        })
        .collect()
}

/// The open tasks of workflow `id` from its rows.
pub fn of_rows(id: &WorkflowId, rows: &[TaskRow], more: bool) -> Waiting {
    let foreign = rows.iter().any(|r| {
        r.workflow.as_ref().is_some_and(|w| w != id) || r.status.is_some_and(|s| s != TASK_OPEN)
    });
    if foreign {
        return Waiting::Unfiltered;
    }
    let mut tasks: Vec<OpenTask> = Vec::new();
    for r in rows {
        let at = match tasks.iter().position(|t| t.id == r.id) {
            Some(at) => at,
            None => {
                tasks.push(OpenTask {
                    id: r.id.clone(),
                    name: r.name.clone(),
                    state: r.state.clone(),
                    waiting: Vec::new(),
                    answered: 0,
                });
                tasks.len() - 1
            }
        };
        let task = &mut tasks[at];
        match (r.user, r.user_status) {
            (Some(u), Some(USER_WAITING) | None) if !task.waiting.contains(&u) => {
                task.waiting.push(u);
            }
            (Some(_), Some(USER_WAITING) | None) | (None, _) => {}
            (Some(_), Some(_)) => task.answered += 1,
        }
    }
    if tasks.is_empty() {
        Waiting::NoTask
    } else {
        Waiting::Tasks { tasks, more }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::wire::batch::parse_batch;
    use serde_json::json;

    fn ids(n: usize) -> Vec<WorkflowId> {
        (0..n).map(|i| WorkflowId::new(format!("wf{i}"))).collect()
    }

    fn row(task: &str, wf: &str, user: u64, status: u64) -> TaskRow {
        TaskRow {
            id: task.into(),
            workflow: Some(WorkflowId::new(wf)),
            name: format!("Task {task}"),
            state: "Approval".into(),
            status: Some(0),
            user: Some(UserId(user)),
            user_status: Some(status),
        }
    }

    #[test]
    fn one_command_per_workflow_fifty_to_a_request() {
        assert!(requests(&[]).is_empty());
        let one = requests(&ids(50));
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].ids.len(), 50);
        let methods: Vec<_> = one[0].batch.methods().collect();
        assert_eq!(methods.len(), 50);
        assert!(methods.iter().all(|(_, m)| *m == TASK_LIST_METHOD));
        assert_eq!(methods[7].0, "w7");
        let two = requests(&ids(51));
        assert_eq!(two.len(), 2);
        assert_eq!(two[1].ids, vec![WorkflowId::new("wf50")]);
        assert_eq!(two[1].batch.keys().collect::<Vec<_>>(), vec!["w0"]);
    }

    #[test]
    fn rows_are_grouped_by_task_naming_who_has_not_answered() {
        let id = WorkflowId::new("a");
        let w = of_rows(
            &id,
            &[
                row("1", "a", 5, 0),
                row("1", "a", 6, 1),
                row("1", "a", 7, 0),
                row("2", "a", 8, 0),
            ],
            false,
        );
        let Waiting::Tasks { tasks, more } = &w else {
            panic!("{w:?}");
        };
        assert!(!more);
        assert_eq!(tasks.len(), 2);
        assert_eq!(tasks[0].waiting, vec![UserId(5), UserId(7)]);
        assert_eq!(tasks[0].answered, 1);
        assert_eq!(tasks[1].waiting, vec![UserId(8)]);
        assert_eq!(
            w.people().collect::<Vec<_>>(),
            vec![UserId(5), UserId(7), UserId(8)]
        );
        assert_eq!(of_rows(&id, &[], false), Waiting::NoTask);
    }

    #[test]
    fn a_dropped_filter_is_caught_not_read_as_no_task() {
        let id = WorkflowId::new("a");
        assert_eq!(
            of_rows(&id, &[row("1", "b", 5, 0)], false),
            Waiting::Unfiltered
        );
        let mut done = row("1", "a", 5, 0);
        done.status = Some(1);
        assert_eq!(of_rows(&id, &[done], false), Waiting::Unfiltered);
    }

    #[test]
    fn each_command_answers_its_own_workflow() {
        let asked = ids(4);
        let body = json!({"result": {
            "result": {
                "w0": [{"ID": "9", "WORKFLOW_ID": "wf0", "NAME": "Approve", "STATUS": "0",
                        "USER_ID": "3", "USER_STATUS": "0"}],
                "w1": [],
                "w3": "not a list"
            },
            "result_error": {"w2": {"error": "ACCESS_DENIED", "error_description": "no"}},
            "result_next": {"w0": 50}
        }});
        let batch = parse_batch(&body).unwrap();
        let read = read(&asked, &Ok(batch));
        assert_eq!(read.len(), 4);
        assert!(
            matches!(&read[0].1, Waiting::Tasks { more: true, tasks } if tasks[0].name == "Approve")
        );
        assert_eq!(read[1].1, Waiting::NoTask);
        assert!(matches!(read[2].1, Waiting::Failed(RestError::Portal(_))));
        assert!(matches!(
            read[3].1,
            Waiting::Failed(RestError::BadResponse(_))
        ));
        let failed = super::read(&asked, &Err(RestError::Timeout { after_ms: 5 }));
        assert!(failed
            .iter()
            .all(|(_, w)| matches!(w, Waiting::Failed(RestError::Timeout { .. }))));
    }
}
