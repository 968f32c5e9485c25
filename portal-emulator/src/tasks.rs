//! The user tasks of running workflows (`b_bp_task` joined with
//! `b_bp_task_user`) behind `bizproc.task.list` (fact sheet S25): the
//! generated tasks and the query engine. A task with several assignees is
//! one row per assignee, as the server's join gives it.
//!
//! Values are kept typed here; `rest::tasks` renders them as the server does.

use std::cmp::Ordering;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use serde_json::{json, Value};

use crate::auth::UserId;
use crate::data::{Directory, DocumentKind};
use crate::store::{eval, Cell, Kind, Op, Operand, Workflow};

/// `CBPTaskStatus`: 0 running, 1 approved (Yes), 2 rejected (No), 3 done
/// (Ok), 4 timed out.
pub const STATUS_RUNNING: u8 = 0;
/// `CBPTaskUserStatus`: 0 waiting, 1 yes, 2 no, 3 ok.
pub const USER_WAITING: u8 = 0;

/// One assignee of a task and their answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assignee {
    pub user_id: UserId,
    pub status: u8,
}

/// One task with the workflow and document columns the server joins in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Task {
    pub id: u32,
    pub workflow_id: String,
    pub name: String,
    pub description: String,
    pub activity: &'static str,
    pub activity_name: String,
    /// Unix seconds.
    pub modified: i64,
    pub overdue_date: Option<i64>,
    pub status: u8,
    pub users: Vec<Assignee>,
    /// An approval every assignee must answer (`ApproveType` "all"), not
    /// the first one ("any"). PARAMETERS is derived from this and ACTIVITY.
    pub all_must_answer: bool,
    /// The workflow's state title (`b_bp_workflow_state.STATE_TITLE`).
    pub workflow_state: String,
    pub workflow_started: i64,
    pub workflow_started_by: UserId,
    pub workflow_template_id: u32,
    pub workflow_template_name: String,
    pub module_id: String,
    pub entity: String,
    pub document_id: String,
    pub document_name: String,
    /// `CBPDocument::getDocumentAdminPage`: a portal-relative link.
    pub document_url: String,
}

impl Task {
    /// Whether the task still waits for an answer.
    pub fn is_open(&self) -> bool {
        self.status == STATUS_RUNNING
    }

    /// PARAMETERS: the activity's settings the task form shows (computed,
    /// not stored, so that a million workflows stay cheap).
    pub fn parameters(&self) -> Value {
        let mut p = parameters(self.activity);
        if self.all_must_answer {
            p["ApproveType"] = json!("all");
        }
        p
    }
}

/// One row of the join: a task and one of its assignees.
#[derive(Debug, Clone, Copy)]
pub struct TaskRow<'a> {
    pub task: &'a Task,
    pub user: &'a Assignee,
}

/// The fields of `bizproc.task.list` in the order of the docs' field list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskField {
    Id,
    WorkflowId,
    DocumentName,
    Description,
    Name,
    Modified,
    WorkflowStarted,
    WorkflowStartedBy,
    OverdueDate,
    WorkflowTemplateId,
    WorkflowTemplateName,
    WorkflowState,
    Status,
    UserId,
    UserStatus,
    ModuleId,
    Entity,
    DocumentId,
    Activity,
    ActivityName,
    Parameters,
    DocumentUrl,
}

impl TaskField {
    pub const ALL: [TaskField; 22] = [
        TaskField::Id,
        TaskField::WorkflowId,
        TaskField::DocumentName,
        TaskField::Description,
        TaskField::Name,
        TaskField::Modified,
        TaskField::WorkflowStarted,
        TaskField::WorkflowStartedBy,
        TaskField::OverdueDate,
        TaskField::WorkflowTemplateId,
        TaskField::WorkflowTemplateName,
        TaskField::WorkflowState,
        TaskField::Status,
        TaskField::UserId,
        TaskField::UserStatus,
        TaskField::ModuleId,
        TaskField::Entity,
        TaskField::DocumentId,
        TaskField::Activity,
        TaskField::ActivityName,
        TaskField::Parameters,
        TaskField::DocumentUrl,
    ];

    pub fn name(self) -> &'static str {
        match self {
            TaskField::Id => "ID",
            TaskField::WorkflowId => "WORKFLOW_ID",
            TaskField::DocumentName => "DOCUMENT_NAME",
            TaskField::Description => "DESCRIPTION",
            TaskField::Name => "NAME",
            TaskField::Modified => "MODIFIED",
            TaskField::WorkflowStarted => "WORKFLOW_STARTED",
            TaskField::WorkflowStartedBy => "WORKFLOW_STARTED_BY",
            TaskField::OverdueDate => "OVERDUE_DATE",
            TaskField::WorkflowTemplateId => "WORKFLOW_TEMPLATE_ID",
            TaskField::WorkflowTemplateName => "WORKFLOW_TEMPLATE_NAME",
            TaskField::WorkflowState => "WORKFLOW_STATE",
            TaskField::Status => "STATUS",
            TaskField::UserId => "USER_ID",
            TaskField::UserStatus => "USER_STATUS",
            TaskField::ModuleId => "MODULE_ID",
            TaskField::Entity => "ENTITY",
            TaskField::DocumentId => "DOCUMENT_ID",
            TaskField::Activity => "ACTIVITY",
            TaskField::ActivityName => "ACTIVITY_NAME",
            TaskField::Parameters => "PARAMETERS",
            TaskField::DocumentUrl => "DOCUMENT_URL",
        }
    }

    /// Exact (case-sensitive) lookup.
    pub fn from_name(name: &str) -> Option<TaskField> {
        TaskField::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The column kind, or `None` for the values that are not columns
    /// (PARAMETERS is serialized, DOCUMENT_URL is computed after the query):
    /// these cannot be filtered or ordered on.
    pub fn kind(self) -> Option<Kind> {
        use TaskField::*;
        Some(match self {
            Id | WorkflowStartedBy | WorkflowTemplateId | Status | UserId | UserStatus => Kind::Int,
            Modified | WorkflowStarted | OverdueDate => Kind::Date,
            Parameters | DocumentUrl => return None,
            _ => Kind::Text,
        })
    }
}

impl TaskRow<'_> {
    /// The value of one column (`None` for non-columns).
    pub fn cell(&self, field: TaskField) -> Option<Cell<'_>> {
        let t = self.task;
        Some(match field {
            TaskField::Id => Cell::Int(i64::from(t.id)),
            TaskField::WorkflowId => Cell::Text(&t.workflow_id),
            TaskField::DocumentName => Cell::Text(&t.document_name),
            TaskField::Description => Cell::Text(&t.description),
            TaskField::Name => Cell::Text(&t.name),
            TaskField::Modified => Cell::Date(Some(t.modified)),
            TaskField::WorkflowStarted => Cell::Date(Some(t.workflow_started)),
            TaskField::WorkflowStartedBy => Cell::Int(i64::from(t.workflow_started_by)),
            TaskField::OverdueDate => Cell::Date(t.overdue_date),
            TaskField::WorkflowTemplateId => Cell::Int(i64::from(t.workflow_template_id)),
            TaskField::WorkflowTemplateName => Cell::Text(&t.workflow_template_name),
            TaskField::WorkflowState => Cell::Text(&t.workflow_state),
            TaskField::Status => Cell::Int(i64::from(t.status)),
            TaskField::UserId => Cell::Int(i64::from(self.user.user_id)),
            TaskField::UserStatus => Cell::Int(i64::from(self.user.status)),
            TaskField::ModuleId => Cell::Text(&t.module_id),
            TaskField::Entity => Cell::Text(&t.entity),
            TaskField::DocumentId => Cell::Text(&t.document_id),
            TaskField::Activity => Cell::Text(t.activity),
            TaskField::ActivityName => Cell::Text(&t.activity_name),
            TaskField::Parameters | TaskField::DocumentUrl => return None,
        })
    }
}

/// One condition of a task filter.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskCondition {
    pub field: TaskField,
    pub op: Op,
    pub operand: Operand,
}

/// A parsed task query: conditions (ANDed) and order keys (`true` = DESC).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TaskQuery {
    pub conditions: Vec<TaskCondition>,
    pub order: Vec<(TaskField, bool)>,
}

fn compare_cells(a: Option<Cell<'_>>, b: Option<Cell<'_>>) -> Ordering {
    match (a, b) {
        (Some(Cell::Int(x)), Some(Cell::Int(y))) => x.cmp(&y),
        (Some(Cell::Text(x)), Some(Cell::Text(y))) => x
            .bytes()
            .map(|c| c.to_ascii_lowercase())
            .cmp(y.bytes().map(|c| c.to_ascii_lowercase())),
        // NULL first ascending, as MySQL does.
        (Some(Cell::Date(x)), Some(Cell::Date(y))) => x.cmp(&y),
        _ => Ordering::Equal,
    }
}

/// Runs a task query over `tasks`: `limit` rows from `offset` and the total
/// number of rows. Rows equal on every key keep storage order.
pub fn query<'a>(
    tasks: &'a [Task],
    q: &TaskQuery,
    offset: usize,
    limit: usize,
) -> (Vec<TaskRow<'a>>, usize) {
    let mut rows: Vec<TaskRow<'a>> = tasks
        .iter()
        .flat_map(|task| task.users.iter().map(move |user| TaskRow { task, user }))
        .filter(|row| {
            q.conditions.iter().all(|c| {
                row.cell(c.field)
                    .is_some_and(|cell| eval(c.op, &c.operand, cell))
            })
        })
        .collect();
    let total = rows.len();
    rows.sort_by(|a, b| {
        for &(field, desc) in &q.order {
            let o = compare_cells(a.cell(field), b.cell(field));
            let o = if desc { o.reverse() } else { o };
            if o.is_ne() {
                return o;
            }
        }
        Ordering::Equal
    });
    let page = rows.into_iter().skip(offset).take(limit).collect();
    (page, total)
}

/// A kind of task the demo portal's templates give people.
struct TaskKind {
    name: &'static str,
    activity: &'static str,
    state: &'static str,
    description: &'static str,
}

const TASK_KINDS: &[TaskKind] = &[
    TaskKind {
        name: "Approve invoice",
        activity: "ApproveActivity",
        state: "Waiting for approval",
        description: "Please check the invoice amount and approve the payment.",
    },
    TaskKind {
        name: "Review contract",
        activity: "ReviewActivity",
        state: "Contract review",
        description: "Read the contract draft and mark it as reviewed.",
    },
    TaskKind {
        name: "Provide delivery details",
        activity: "RequestInformationActivity",
        state: "Waiting for delivery details",
        description: "Fill in the delivery address and the preferred date.",
    },
    TaskKind {
        name: "Approve vacation request",
        activity: "ApproveActivity",
        state: "Waiting for approval",
        description: "An employee asks for paid leave. Approve or reject the request.",
    },
    TaskKind {
        name: "Approve discount",
        activity: "ApproveActivity",
        state: "Discount approval",
        description: "The deal has a discount over 15%. Approve or reject it.",
    },
    TaskKind {
        name: "Check customer details",
        activity: "RequestInformationOptionalActivity",
        state: "Data verification",
        description: "Check the customer's requisites; correct them if needed.",
    },
    TaskKind {
        name: "Approve purchase request",
        activity: "ApproveActivity",
        state: "Waiting for approval",
        description: "Approve the purchase within the department budget.",
    },
    TaskKind {
        name: "Review expense report",
        activity: "ReviewActivity",
        state: "Expense review",
        description: "Look through the receipts attached to the report.",
    },
];

fn parameters(activity: &str) -> Value {
    match activity {
        "ApproveActivity" => json!({
            "ApproveType": "any",
            "TaskButton1Message": "Approve",
            "TaskButton2Message": "Reject",
            "CommentLabelMessage": "Comment",
            "ShowComment": "Y",
            "CommentRequired": "N",
            "AccessControl": "N",
        }),
        "ReviewActivity" => json!({
            "TaskButtonMessage": "Reviewed",
            "ShowComment": "N",
            "CommentRequired": "N",
            "AccessControl": "N",
        }),
        _ => json!({
            "Fields": [{
                "Id": "delivery_info",
                "Type": "string",
                "Name": "Details",
                "Required": activity == "RequestInformationActivity",
                "Multiple": false,
            }],
            "TaskButtonMessage": "Save",
            "ShowComment": "N",
            "CommentRequired": "N",
            "AccessControl": "N",
        }),
    }
}

/// The document's kind from the workflow's template (the hostile row's
/// document is a news-feed list element whatever its template).
fn kind_of(w: &Workflow, directory: &Directory) -> Option<DocumentKind> {
    if w.entity == DocumentKind::ListsFeed(26).entity() {
        return Some(
            directory
                .template(w.template_id)
                .map(|t| t.kind)
                .filter(|k| matches!(k, DocumentKind::ListsFeed(_)))
                .unwrap_or(DocumentKind::ListsFeed(26)),
        );
    }
    directory.template(w.template_id).map(|t| t.kind)
}

/// The item number at the end of a DOCUMENT_ID (`DEAL_12` → `12`).
fn item_of(document_id: &str) -> &str {
    document_id.rsplit('_').next().unwrap_or(document_id)
}

/// DOCUMENT_NAME and DOCUMENT_URL of a workflow's document.
pub fn document_name_and_url(w: &Workflow, directory: &Directory) -> (String, String) {
    let item = item_of(&w.document_id);
    match kind_of(w, directory) {
        Some(DocumentKind::Deal) => (
            format!("Deal #{item}"),
            format!("/crm/deal/details/{item}/"),
        ),
        Some(DocumentKind::Lead) => (
            format!("Lead #{item}"),
            format!("/crm/lead/details/{item}/"),
        ),
        Some(DocumentKind::Contact) => (
            format!("Contact #{item}"),
            format!("/crm/contact/details/{item}/"),
        ),
        Some(DocumentKind::Company) => (
            format!("Company #{item}"),
            format!("/crm/company/details/{item}/"),
        ),
        Some(DocumentKind::Quote) => (
            format!("Estimate #{item}"),
            format!("/crm/type/7/details/{item}/"),
        ),
        Some(DocumentKind::SmartInvoice) => (
            format!("Invoice #{item}"),
            format!("/crm/type/31/details/{item}/"),
        ),
        Some(DocumentKind::Dynamic(t)) => (
            format!("Item #{item}"),
            format!("/crm/type/{t}/details/{item}/"),
        ),
        Some(DocumentKind::ListsFeed(iblock)) => (
            format!("Request #{}", w.document_id),
            format!(
                "/bizproc/processes/?livefeed=y&list_id={iblock}&element_id={}",
                w.document_id
            ),
        ),
        Some(DocumentKind::ListsGroup(iblock)) => (
            format!("List element #{}", w.document_id),
            format!(
                "/workgroups/group/1/lists/{iblock}/element/0/{}/",
                w.document_id
            ),
        ),
        Some(DocumentKind::Disk(_)) => (
            format!("File #{}", w.document_id),
            format!("/docs/file/?fileId={}", w.document_id),
        ),
        None => (w.document_id.clone(), String::new()),
    }
}

/// A name Bitrix gives an activity of a template (`A12345_67890_…`).
fn activity_name(rng: &mut ChaCha8Rng) -> String {
    format!(
        "A{}_{}_{}_{}",
        rng.random_range(10_000..100_000),
        rng.random_range(10_000..100_000),
        rng.random_range(10_000..100_000),
        rng.random_range(10_000..100_000)
    )
}

fn distinct_users(rng: &mut ChaCha8Rng, pool: &[UserId], n: usize) -> Vec<UserId> {
    let mut out: Vec<UserId> = Vec::with_capacity(n);
    while out.len() < n.min(pool.len()) {
        let u = pool[rng.random_range(0..pool.len())];
        if !out.contains(&u) {
            out.push(u);
        }
    }
    out
}

/// Generates the tasks of the running workflows, deterministically from the
/// seed (on an RNG of their own, so the workflows do not change): about 30%
/// of the workflows a person started wait for one open task with 1–4
/// assignees, some of those have finished tasks before it, and a few
/// workflows have finished tasks only. Stuck workflows are drawn like the
/// rest, so most of them have no open task.
/// Workflows younger than this (a week) get an open task more often.
const YOUNG_S: i64 = 7 * 86_400;

pub fn generate(directory: &Directory, workflows: &[Workflow], seed: u64, epoch: i64) -> Vec<Task> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x7a_5c_b0_0c);
    let pool: Vec<UserId> = directory.users.iter().map(|u| u.id).collect();
    let mut tasks: Vec<Task> = Vec::new();
    for w in workflows {
        if w.started_by == 0 || pool.is_empty() {
            continue;
        }
        let roll: f64 = rng.random();
        // A workflow a person started this week mostly still waits for a
        // person (its first approval); older ones have more often moved
        // on to timers, robots or nothing. About 30% over all.
        let open_share = if epoch - w.started < YOUNG_S {
            0.70
        } else {
            0.26
        };
        let (open, finished) = if roll < open_share {
            (true, usize::from(rng.random_bool(0.4)))
        } else if roll < open_share + 0.06 {
            (false, 1 + usize::from(rng.random_bool(0.3)))
        } else {
            continue;
        };
        let kind = &TASK_KINDS[rng.random_range(0..TASK_KINDS.len())];
        let template_name = directory
            .template(w.template_id)
            .map(|t| t.name.clone())
            .unwrap_or_default();
        let (document_name, document_url) = document_name_and_url(w, directory);
        let base = |name: &str, kind: &TaskKind, modified: i64, rng: &mut ChaCha8Rng| Task {
            id: 0,
            workflow_id: w.id.clone(),
            name: name.to_owned(),
            description: kind.description.to_owned(),
            activity: kind.activity,
            activity_name: activity_name(rng),
            modified,
            overdue_date: None,
            status: STATUS_RUNNING,
            users: Vec::new(),
            all_must_answer: false,
            workflow_state: kind.state.to_owned(),
            workflow_started: w.started,
            workflow_started_by: w.started_by,
            workflow_template_id: w.template_id,
            workflow_template_name: template_name.clone(),
            module_id: w.module_id.clone(),
            entity: w.entity.clone(),
            document_id: w.document_id.clone(),
            document_name: document_name.clone(),
            document_url: document_url.clone(),
        };
        let span = (w.modified - w.started).max(1);
        for k in 0..finished {
            // Earlier steps, answered by one person.
            let earlier = &TASK_KINDS[rng.random_range(0..TASK_KINDS.len())];
            let at = w.started + span * (k as i64 + 1) / (finished as i64 + 2);
            let mut t = base(earlier.name, earlier, at.min(epoch), &mut rng);
            t.status = match earlier.activity {
                "ApproveActivity" => rng.random_range(1..=2),
                _ => 3,
            };
            let user = distinct_users(&mut rng, &pool, 1)[0];
            t.users.push(Assignee {
                user_id: user,
                status: t.status,
            });
            // The workflow moved on: its state is the current one.
            t.workflow_state = kind.state.to_owned();
            tasks.push(t);
        }
        if open {
            let n = [1, 1, 1, 2, 2, 3, 4][rng.random_range(0..7)];
            let mut t = base(kind.name, kind, w.modified.min(epoch), &mut rng);
            if rng.random_bool(0.4) {
                t.overdue_date = Some(t.modified + rng.random_range(3_600..10 * 86_400));
            }
            let users = distinct_users(&mut rng, &pool, n);
            // With several assignees who must all answer, one may have.
            let answered = (n > 1 && rng.random_bool(0.5)).then(|| rng.random_range(0..n));
            if answered.is_some() && kind.activity == "ApproveActivity" {
                t.all_must_answer = true;
            }
            for (i, user_id) in users.into_iter().enumerate() {
                t.users.push(Assignee {
                    user_id,
                    status: match (answered == Some(i), kind.activity) {
                        (false, _) => USER_WAITING,
                        (true, "ApproveActivity") => 1,
                        (true, _) => 3,
                    },
                });
            }
            tasks.push(t);
        }
    }
    // IDs grow with time, with the gaps of a real table.
    tasks.sort_by_key(|t| t.modified);
    let mut id = 100 + rng.random_range(0..50);
    for t in &mut tasks {
        id += rng.random_range(1..4);
        t.id = id;
    }
    tasks.sort_by_key(|t| t.id);
    tasks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    const EPOCH: i64 = 1_767_225_600;

    #[test]
    fn tasks_are_deterministic_and_realistic() {
        let d = Directory::generate(1);
        let a = Store::generate(&d, 3000, 1, EPOCH);
        let b = Store::generate(&d, 3000, 1, EPOCH);
        assert_eq!(a.tasks(), b.tasks());
        let people = a.rows().iter().filter(|w| w.started_by != 0).count();
        let open: Vec<&Task> = a.tasks().iter().filter(|t| t.is_open()).collect();
        let share = open.len() as f64 / people as f64;
        assert!((0.25..0.35).contains(&share), "about 30%: {share}");
        assert!(open.iter().all(|t| (1..=4).contains(&t.users.len())));
        assert!(open.iter().any(|t| t.users.len() >= 3));
        assert!(open
            .iter()
            .any(|t| t.users.len() > 1 && t.users.iter().any(|u| u.status == 1)));
        assert!(a.tasks().iter().any(|t| (1..=3).contains(&t.status)));
        let mut ids: Vec<u32> = a.tasks().iter().map(|t| t.id).collect();
        ids.dedup();
        assert_eq!(ids.len(), a.tasks().len(), "unique, sorted ids");
        // At most one open task per workflow, on workflows a person started.
        for t in &open {
            let w = a.get(&t.workflow_id).expect("workflow exists");
            assert_ne!(w.started_by, 0);
            assert_eq!(
                open.iter()
                    .filter(|o| o.workflow_id == t.workflow_id)
                    .count(),
                1
            );
        }
    }

    #[test]
    fn young_workflows_a_person_started_mostly_wait_for_a_person() {
        let d = Directory::generate(1);
        let s = Store::generate(&d, 3000, 1, EPOCH);
        let share = |young: bool| {
            let ws: Vec<&Workflow> = s
                .rows()
                .iter()
                .filter(|w| w.started_by != 0 && (EPOCH - w.started < YOUNG_S) == young)
                .collect();
            let open = ws
                .iter()
                .filter(|w| {
                    s.tasks()
                        .iter()
                        .any(|t| t.workflow_id == w.id && t.is_open())
                })
                .count();
            open as f64 / ws.len().max(1) as f64
        };
        assert!(share(true) > 0.55, "young: {}", share(true));
        assert!(share(false) < 0.35, "old: {}", share(false));
    }

    #[test]
    fn some_stuck_workflows_have_no_open_task_and_some_have_one() {
        let d = Directory::generate(1);
        let s = Store::generate(&d, 3000, 1, EPOCH);
        let stuck: Vec<&Workflow> = s
            .rows()
            .iter()
            .filter(|w| w.owned_until.is_some_and(|o| o < EPOCH - 300))
            .collect();
        let with_open = |w: &Workflow| {
            s.tasks()
                .iter()
                .any(|t| t.workflow_id == w.id && t.is_open())
        };
        assert!(stuck.iter().any(|w| !with_open(w)));
        assert!(stuck.iter().any(|w| with_open(w)));
    }

    #[test]
    fn removing_a_workflow_removes_its_tasks() {
        let d = Directory::generate(1);
        let mut s = Store::generate(&d, 500, 1, EPOCH);
        let id = s.tasks()[0].workflow_id.clone();
        assert!(s.remove(&id));
        assert!(s.tasks().iter().all(|t| t.workflow_id != id));
    }

    #[test]
    fn document_urls_are_portal_relative() {
        let d = Directory::generate(1);
        let s = Store::generate(&d, 2000, 1, EPOCH);
        for t in s.tasks() {
            assert!(t.document_url.starts_with('/'), "{}", t.document_url);
        }
        assert!(s
            .tasks()
            .iter()
            .any(|t| t.document_url.starts_with("/crm/deal/details/")));
    }

    #[test]
    fn one_row_per_assignee_ordered_and_paged() {
        let d = Directory::generate(1);
        let s = Store::generate(&d, 1000, 1, EPOCH);
        let rows_total: usize = s.tasks().iter().map(|t| t.users.len()).sum();
        let q = TaskQuery {
            conditions: vec![],
            order: vec![(TaskField::Id, true)],
        };
        let (page, total) = query(s.tasks(), &q, 0, 50);
        assert_eq!(total, rows_total);
        assert_eq!(page.len(), 50.min(total));
        assert!(page.windows(2).all(|p| p[0].task.id >= p[1].task.id));
        let q = TaskQuery {
            conditions: vec![TaskCondition {
                field: TaskField::Status,
                op: Op::Ne,
                operand: Operand::Int(vec![0]),
            }],
            order: vec![],
        };
        let (page, _) = query(s.tasks(), &q, 0, 10_000);
        assert!(page.iter().all(|r| r.task.status != 0));
        assert!(!page.is_empty());
    }
}
