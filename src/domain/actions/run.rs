//! One run of an action: the commands that act on the target set, split
//! into `batch` requests of up to 50 that do not halt on a failure, and
//! what each workflow's command came to.
//!
//! `terminate` and `kill` answer `true`; their failures come with an
//! EMPTY error code and a message (fact sheet §1.5), which is also what a
//! workflow that finished meanwhile gets. So an empty-code failure is not
//! taken as "already finished" on its word: it is [`Answer::Recheck`],
//! and the list says whether the workflow still runs.

use serde_json::{json, Value};

use crate::domain::methods::instances::WorkflowId;
use crate::domain::wire::batch::{
    BatchError, BatchRequest, BatchResponse, CommandKey, CommandOutcome,
};
use crate::domain::wire::errors::{ErrorCode, RestError};

/// What the admin asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// `bizproc.workflow.terminate`: stops the workflow and keeps its
    /// data; `status` is shown as its status (`STATUS`).
    Stop {
        /// The status text.
        status: String,
    },
    /// `bizproc.workflow.kill`: deletes the workflow with all its data.
    Delete,
}

impl Action {
    /// The REST method.
    pub fn method(&self) -> &'static str {
        match self {
            Action::Stop { .. } => "bizproc.workflow.terminate",
            Action::Delete => "bizproc.workflow.kill",
        }
    }

    /// The parameters for `id`: the ID as a string, as the methods want
    /// it, and the status text for a stop.
    pub fn params(&self, id: &WorkflowId) -> Value {
        match self {
            Action::Stop { status } => json!({ "ID": id.as_str(), "STATUS": status }),
            Action::Delete => json!({ "ID": id.as_str() }),
        }
    }
}

/// One request of a run: the workflows it acts on, in command order
/// (command `i` acts on `ids[i]`), and the batch itself.
#[derive(Debug, Clone, PartialEq)]
pub struct RunBatch {
    /// The workflows, in command order.
    pub ids: Vec<WorkflowId>,
    /// The `batch` request, `halt=0`.
    pub request: BatchRequest,
}

impl RunBatch {
    /// Each workflow of the batch with what its command's answer says
    /// (a workflow the answer does not mention is to be rechecked).
    pub fn answers<'a>(
        &'a self,
        answer: &'a BatchResponse,
    ) -> impl Iterator<Item = (&'a WorkflowId, Answer)> + 'a {
        self.ids.iter().enumerate().map(move |(i, id)| {
            let key = CommandKey::indexed(i);
            (id, read_answer(answer.get(key.as_str())))
        })
    }
}

/// The batches that apply `action` to `ids`, each id once and in order,
/// up to 50 commands a request; a failure never stops the rest of its
/// batch (`halt=0`). Repeated ids are acted on once.
pub fn batches(action: &Action, ids: &[WorkflowId]) -> Result<Vec<RunBatch>, BatchError> {
    let made = super::per_workflow(ids, action.method(), |id| action.params(id))?;
    Ok(made
        .into_iter()
        .map(|(ids, request)| RunBatch { ids, request })
        .collect())
}

/// What one command's answer says, before any recheck.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// Done: the portal answered `true`.
    Done,
    /// The portal refused for a reason that is not about this workflow
    /// having finished: the admin reads the message.
    Failed(String),
    /// The workflow may have finished meanwhile, or the command failed:
    /// an empty-code failure with its message, an answer that is not
    /// `true`, or no answer at all. The list decides.
    Recheck(Option<String>),
    /// The portal refused the command before running it (its method's
    /// time budget or the request rate): it may be sent again once the
    /// list says the workflow still runs.
    NotRun(String),
}

/// What a workflow's command came to, as the report shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Stopped or deleted.
    Done,
    /// It no longer ran when the command came.
    AlreadyFinished,
    /// It still runs; the portal's message, as text.
    Failed(String),
    /// Nothing was sent for it (the run was cancelled first).
    NotAttempted,
}

/// Reads the answer of one command (`None`: the batch has no entry for
/// it).
pub fn read_answer(outcome: Option<&CommandOutcome>) -> Answer {
    match outcome {
        Some(Ok(raw)) if raw.result == Value::Bool(true) => Answer::Done,
        Some(Ok(raw)) => Answer::Recheck(Some(format!(
            "the portal answered {} instead of true",
            short(&raw.result.to_string())
        ))),
        Some(Err(RestError::Portal(e))) if e.code == ErrorCode::Other && e.wire.is_empty() => {
            Answer::Recheck((!e.description.is_empty()).then(|| e.description.clone()))
        }
        Some(Err(e)) if e.is_operating_limit() || e.is(ErrorCode::QueryLimitExceeded) => {
            Answer::NotRun(e.to_string())
        }
        Some(Err(e)) => Answer::Failed(e.to_string()),
        None => Answer::Recheck(None),
    }
}

/// The outcome of an [`Answer::Recheck`], once the list says whether the
/// workflow `still_runs`.
pub fn after_recheck(message: Option<String>, still_runs: bool) -> Outcome {
    if still_runs {
        Outcome::Failed(message.unwrap_or_else(|| "the portal did not say why".to_owned()))
    } else {
        Outcome::AlreadyFinished
    }
}

/// At most 200 characters of a portal's text, for a message.
fn short(text: &str) -> String {
    match text.char_indices().nth(200) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::wire::batch::parse_batch;

    use crate::domain::actions::test_ids as ids;

    #[test]
    fn a_run_is_batches_of_fifty_that_do_not_halt_each_id_once() {
        let mut targets = ids(120);
        targets.push(targets[3].clone());
        let stop = Action::Stop {
            status: "Stopped in Workflow Monitor".into(),
        };
        let run = batches(&stop, &targets).expect("encodable");
        let sizes: Vec<usize> = run.iter().map(|b| b.ids.len()).collect();
        assert_eq!(sizes, [50, 50, 20]);
        let sent: Vec<&WorkflowId> = run.iter().flat_map(|b| &b.ids).collect();
        assert_eq!(sent, ids(120).iter().collect::<Vec<_>>(), "in order, once");
        let params = run[0].request.to_params();
        assert_eq!(params["halt"], json!(0));
        let cmd = params["cmd"]["c0"].as_str().expect("a command");
        assert!(cmd.starts_with("bizproc.workflow.terminate?"), "{cmd}");
        assert!(cmd.contains("ID=66e412fdc9bd44.00000000"), "{cmd}");
        assert!(
            cmd.contains("STATUS=Stopped%20in%20Workflow%20Monitor"),
            "{cmd}"
        );
        let kill = batches(&Action::Delete, &targets[..2]).expect("encodable");
        let cmd = kill[0].request.to_params()["cmd"]["c1"].clone();
        assert_eq!(
            cmd,
            json!("bizproc.workflow.kill?ID=66e412fdc9bd44.00000001")
        );
        assert!(batches(&Action::Delete, &[]).expect("nothing").is_empty());
    }

    #[test]
    fn every_answer_shape_is_read() {
        let body = json!({
            "result": {
                "result": {"0": true, "1": false, "2": {"odd": "<script>"}},
                "result_error": {
                    "3": {"error": "", "error_description": "Workflow not found"},
                    "4": {"error": "ACCESS_DENIED", "error_description": "Access denied!"},
                    "5": {"error": ""},
                    "6": {"error": "SOMETHING_NEW", "error_description": "new"},
                    "8": {"error": "OPERATION_TIME_LIMIT", "error_description": "Method is blocked due to operation time limit."}
                },
                "result_total": [], "result_next": [], "result_time": []
            }
        });
        let answer = parse_batch(&body).expect("a batch answer");
        let read = |k: &str| read_answer(answer.get(k));
        assert_eq!(read("0"), Answer::Done);
        assert!(matches!(read("1"), Answer::Recheck(Some(m)) if m.contains("false")));
        assert!(matches!(read("2"), Answer::Recheck(Some(m)) if m.contains("<script>")));
        assert_eq!(
            read("3"),
            Answer::Recheck(Some("Workflow not found".into()))
        );
        assert!(matches!(read("4"), Answer::Failed(_)));
        assert_eq!(read("5"), Answer::Recheck(None));
        assert!(matches!(read("6"), Answer::Failed(m) if m.contains("SOMETHING_NEW")));
        assert_eq!(read("7"), Answer::Recheck(None), "no entry at all");
        assert!(
            matches!(read("8"), Answer::NotRun(_)),
            "refused before it ran: may go again"
        );
    }

    #[test]
    fn a_batch_answer_is_read_per_workflow_in_command_order() {
        let run = batches(&Action::Delete, &ids(3)).expect("encodable");
        let body = json!({"result": {
            "result": {"c0": true},
            "result_error": {"c2": {"error": "", "error_description": "gone"}},
        }});
        let answer = parse_batch(&body).expect("a batch answer");
        let read: Vec<(String, Answer)> = run[0]
            .answers(&answer)
            .map(|(id, a)| (id.as_str().to_owned(), a))
            .collect();
        assert_eq!(
            read,
            [
                ("66e412fdc9bd44.00000000".to_owned(), Answer::Done),
                ("66e412fdc9bd44.00000001".to_owned(), Answer::Recheck(None)),
                (
                    "66e412fdc9bd44.00000002".to_owned(),
                    Answer::Recheck(Some("gone".into()))
                ),
            ]
        );
    }

    #[test]
    fn a_recheck_tells_finished_from_failed() {
        let msg = Some("Workflow not found".to_owned());
        assert_eq!(after_recheck(msg.clone(), false), Outcome::AlreadyFinished);
        assert_eq!(
            after_recheck(msg, true),
            Outcome::Failed("Workflow not found".into())
        );
        assert!(matches!(after_recheck(None, true), Outcome::Failed(m) if !m.is_empty()));
    }

    #[test]
    fn a_huge_answer_is_cut_in_its_message() {
        let raw = crate::domain::wire::errors::RawResponse {
            result: Value::String("x".repeat(100_000)),
            total: None,
            next: None,
            time: None,
        };
        let Answer::Recheck(Some(m)) = read_answer(Some(&Ok(raw))) else {
            panic!("an odd answer is rechecked");
        };
        assert!(m.chars().count() < 260, "{}", m.len());
    }
}
