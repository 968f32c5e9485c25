//! Acting on workflows (issue 14, in progress): what the admin selected,
//! the `terminate` / `kill` commands that act on it in batches, and what
//! each workflow's command came to. Pure data; the screen core and the
//! shell will drive it.

pub mod confirm;
pub mod flow;
pub mod history;
pub mod history_view;
pub mod job;
pub mod journaling;
pub mod lease;
pub mod left;
pub mod recheck;
pub mod run;
pub mod selection;
pub mod texts;

use std::collections::HashSet;

use serde_json::Value;

use crate::domain::methods::instances::WorkflowId;
use crate::domain::wire::batch::{BatchCommand, BatchError, BatchRequest, MAX_COMMANDS};

/// One command per workflow of `ids` (each once, in first-seen order),
/// 50 a `batch` that never halts: each batch with the workflows of its
/// commands (command `c{i}` is about the `i`-th).
fn per_workflow(
    ids: &[WorkflowId],
    method: &str,
    params: impl Fn(&WorkflowId) -> Value,
) -> Result<Vec<(Vec<WorkflowId>, BatchRequest)>, BatchError> {
    let mut seen = HashSet::new();
    let unique: Vec<&WorkflowId> = ids.iter().filter(|id| seen.insert(*id)).collect();
    unique
        .chunks(MAX_COMMANDS)
        .map(|chunk| {
            let commands = chunk
                .iter()
                .enumerate()
                .map(|(i, id)| BatchCommand::indexed(i, method, params(id)))
                .collect();
            let ids = chunk.iter().map(|id| (*id).clone()).collect();
            Ok((ids, BatchRequest::new(false, commands)?))
        })
        .collect()
}

/// `n` workflow ids as the portal writes them, for tests.
#[cfg(test)]
fn test_ids(n: usize) -> Vec<WorkflowId> {
    (0..n)
        .map(|i| WorkflowId::new(format!("66e412fdc9bd44.{i:08}")))
        .collect()
}
