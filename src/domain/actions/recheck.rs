//! The target set, resolved from the portal right before the
//! confirmation, never from the rows on screen.
//!
//! - "All matching": [`Listing`] lists the filtered set, 50 list commands
//!   a `batch` (2,500 rows a request). Across requests it goes on from the
//!   last ID seen (`ORDER ID ASC` with `>ID`, fact sheet §2.2's keyset),
//!   so a workflow that ends between two requests cannot shift the next
//!   request's rows; within one request the commands page by offset.
//! - Explicit rows: [`reread`] asks for each ID (`FILTER {ID}`), 50 a
//!   request; an ID that no longer comes back has finished.

use std::collections::HashSet;

use crate::domain::methods::instances::{
    Condition, Field, FilterOp, FilterValue, InstancesQuery, SortDir, WorkflowId, WorkflowPage,
    WorkflowRow, PAGE_SIZE,
};
use crate::domain::wire::batch::{
    BatchCommand, BatchError, BatchRequest, BatchResponse, CommandKey, MAX_COMMANDS,
};
use crate::domain::wire::errors::RestError;

/// The list method.
const INSTANCES: &str = "bizproc.workflow.instances";

/// Why the set could not be resolved: nothing is acted on then.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RecheckError {
    /// A list command failed.
    #[error("the portal could not list the workflows: {0}")]
    Portal(RestError),
    /// A list command's answer could not be read.
    #[error("the portal's list could not be read: {0}")]
    Unreadable(String),
    /// A command of the batch did not run.
    #[error("the portal did not answer every list command")]
    Missing,
}

/// Lists every workflow matching `filter`, request by request.
#[derive(Debug, Clone, PartialEq)]
pub struct Listing {
    filter: Vec<Condition>,
    select: Vec<Field>,
    after: Option<WorkflowId>,
    done: bool,
    found: Vec<WorkflowRow>,
}

impl Listing {
    /// A listing of the workflows matching `filter`, with `select`'s
    /// fields (and `ID`).
    pub fn new(filter: Vec<Condition>, select: Vec<Field>) -> Listing {
        Listing {
            filter,
            select,
            after: None,
            done: false,
            found: Vec::new(),
        }
    }

    /// The next request, or `None` once everything is listed.
    pub fn next_request(&self) -> Option<Result<BatchRequest, BatchError>> {
        if self.done {
            return None;
        }
        let mut filter = self.filter.clone();
        if let Some(after) = &self.after {
            filter.push(Condition::new(
                FilterOp::Gt,
                Field::Id,
                FilterValue::Text(after.as_str().to_owned()),
            ));
        }
        let commands = (0..MAX_COMMANDS)
            .map(|i| {
                let query = InstancesQuery {
                    order: vec![(Field::Id, SortDir::Asc)],
                    start: i as u64 * PAGE_SIZE,
                    select: self.select.clone(),
                    filter: filter.clone(),
                };
                BatchCommand::indexed(i, INSTANCES, query.to_params())
            })
            .collect();
        Some(BatchRequest::new(false, commands))
    }

    /// Takes the answer to [`Self::next_request`]. A short page ends the
    /// listing; rows at or before the last ID seen are not taken twice.
    pub fn answered(&mut self, answer: &BatchResponse) -> Result<(), RecheckError> {
        let mut pages = Vec::with_capacity(MAX_COMMANDS);
        let mut said_total = None;
        for i in 0..MAX_COMMANDS {
            let key = CommandKey::indexed(i);
            let raw = match answer.get(key.as_str()) {
                None => return Err(RecheckError::Missing),
                Some(Err(e)) => return Err(RecheckError::Portal(e.clone())),
                Some(Ok(raw)) => raw,
            };
            if i == 0 {
                said_total = raw.total;
            }
            let page =
                WorkflowPage::from_raw(raw).map_err(|e| RecheckError::Unreadable(e.to_string()))?;
            let short = (page.rows.len() as u64) < PAGE_SIZE;
            pages.push(page);
            if short {
                self.done = true;
                break;
            }
        }
        // The first command's total (when the portal says one) is what
        // matched after the last ID seen: when this request brought that
        // many, nothing is left (a set of exactly 2,500 needs no second,
        // empty request).
        let brought: usize = pages.iter().map(|p| p.rows.len()).sum();
        if said_total.is_some_and(|t| t <= brought as u64) {
            self.done = true;
        }
        for page in pages {
            for row in page.rows {
                if self.after.as_ref().is_none_or(|a| row.id > *a) {
                    self.after = Some(row.id.clone());
                    self.found.push(row);
                }
            }
        }
        Ok(())
    }

    /// Whether everything is listed.
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// The workflows listed so far, in ID order.
    pub fn rows(&self) -> &[WorkflowRow] {
        &self.found
    }
}

/// The requests that re-read `ids` (each once), 50 IDs a request.
pub fn reread(ids: &[WorkflowId], select: &[Field]) -> Result<Vec<BatchRequest>, BatchError> {
    let query = |id: &WorkflowId| InstancesQuery {
        order: vec![(Field::Id, SortDir::Asc)],
        start: 0,
        select: select.to_vec(),
        filter: vec![Condition::new(
            FilterOp::Eq,
            Field::Id,
            FilterValue::Text(id.as_str().to_owned()),
        )],
    };
    let made = super::per_workflow(ids, INSTANCES, |id| query(id).to_params())?;
    Ok(made.into_iter().map(|(_, request)| request).collect())
}

/// Puts `rows` in ID order (the one sort of rows in the actions: one copy
/// of the sort in the wasm).
pub fn by_id(rows: &mut [WorkflowRow]) {
    rows.sort_unstable_by(|a, b| a.id.cmp(&b.id));
}

/// The rows a re-read answer brought (only rows whose ID was asked: a
/// portal that ignored the ID filter lists others, which are not taken).
pub fn reread_rows(
    asked: &[WorkflowId],
    answer: &BatchResponse,
) -> Result<Vec<WorkflowRow>, RecheckError> {
    let wanted: HashSet<&WorkflowId> = asked.iter().collect();
    let mut rows = Vec::new();
    for (_, outcome) in &answer.outcomes {
        let raw = outcome
            .as_ref()
            .map_err(|e| RecheckError::Portal(e.clone()))?;
        let page =
            WorkflowPage::from_raw(raw).map_err(|e| RecheckError::Unreadable(e.to_string()))?;
        rows.extend(page.rows.into_iter().filter(|r| wanted.contains(&r.id)));
    }
    by_id(&mut rows);
    rows.dedup_by(|a, b| a.id == b.id);
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::wire::batch::parse_batch;
    use serde_json::{json, Value};

    fn id(i: u64) -> String {
        format!("66e412fdc9bd44.{i:08}")
    }

    /// A batch answer of 50 list commands over `ids`: command `c{i}`
    /// holds rows `50i..50i+50` of them.
    fn listed(ids: &[String], commands: usize) -> BatchResponse {
        let mut result = serde_json::Map::new();
        for i in 0..commands {
            let rows: Vec<Value> = ids
                .iter()
                .skip(i * 50)
                .take(50)
                .map(|id| json!({"ID": id}))
                .collect();
            result.insert(format!("c{i}"), Value::Array(rows));
        }
        parse_batch(&json!({"result": {"result": result, "result_error": []}})).expect("batch")
    }

    #[test]
    fn a_listing_takes_2500_a_request_and_goes_on_after_the_last_id() {
        let all: Vec<String> = (0..2600).map(id).collect();
        let mut listing = Listing::new(Vec::new(), vec![Field::Id, Field::TemplateId]);
        let first = listing
            .next_request()
            .expect("a request")
            .expect("encodable");
        let params = first.to_params();
        let c49 = params["cmd"]["c49"].as_str().expect("50 commands");
        assert!(c49.contains("start=2450"), "{c49}");
        assert!(c49.contains("order[ID]=ASC"), "{c49}");
        listing.answered(&listed(&all[..2500], 50)).expect("read");
        assert!(!listing.is_done());
        assert_eq!(listing.rows().len(), 2500);
        let second = listing.next_request().expect("more").expect("encodable");
        let c0 = second.to_params()["cmd"]["c0"]
            .as_str()
            .expect("c0")
            .to_owned();
        assert!(c0.contains(&format!("filter[%3EID]={}", all[2499])), "{c0}");
        assert!(c0.contains("start=0"), "{c0}");
        // The rest: 100 rows, then short pages.
        listing.answered(&listed(&all[2500..], 50)).expect("read");
        assert!(listing.is_done());
        assert!(listing.next_request().is_none());
        let got: Vec<&str> = listing.rows().iter().map(|r| r.id.as_str()).collect();
        assert_eq!(got, all.iter().map(String::as_str).collect::<Vec<_>>());
    }

    #[test]
    fn a_set_of_exactly_2500_is_listed_in_one_request_when_the_portal_says_its_total() {
        let all: Vec<String> = (0..2500).map(id).collect();
        let mut listing = Listing::new(Vec::new(), vec![Field::Id]);
        let mut result = serde_json::Map::new();
        let mut totals = serde_json::Map::new();
        for i in 0..50 {
            let rows: Vec<Value> = all[i * 50..(i + 1) * 50]
                .iter()
                .map(|id| json!({"ID": id}))
                .collect();
            result.insert(format!("c{i}"), Value::Array(rows));
            totals.insert(format!("c{i}"), json!(2500));
        }
        let answer = parse_batch(&json!({"result": {
            "result": result, "result_error": [], "result_total": totals
        }}))
        .expect("batch");
        listing.answered(&answer).expect("read");
        assert!(listing.is_done(), "the total says nothing is left");
        assert_eq!(listing.rows().len(), 2500);
        // Without a total the listing must ask again (as above).
        let mut blind = Listing::new(Vec::new(), vec![Field::Id]);
        blind.answered(&listed(&all, 50)).expect("read");
        assert!(!blind.is_done());
    }

    #[test]
    fn a_listing_never_takes_a_row_twice_nor_one_before_its_place() {
        let all: Vec<String> = (0..60).map(id).collect();
        let mut listing = Listing::new(Vec::new(), vec![Field::Id]);
        // A portal that ignores `>ID` sends the first rows again.
        listing
            .answered(&listed(&all[..50], 1))
            .expect_err("c1 missing");
        let mut listing = Listing::new(Vec::new(), vec![Field::Id]);
        let mut first = all[..50].to_vec();
        first.extend(all[..10].iter().cloned());
        listing.answered(&listed(&first, 2)).expect("read");
        assert_eq!(listing.rows().len(), 50, "the repeated ten are dropped");
        assert!(listing.is_done());
    }

    #[test]
    fn a_failed_list_command_fails_the_recheck() {
        let only_error = json!({"result": {
            "result": [],
            "result_error": {"c0": {"error": "QUERY_LIMIT_EXCEEDED", "error_description": "Too many"}}
        }});
        let mut listing = Listing::new(Vec::new(), vec![Field::Id]);
        let answer = parse_batch(&only_error).expect("batch");
        assert!(matches!(
            listing.answered(&answer),
            Err(RecheckError::Portal(_))
        ));
        assert!(listing.rows().is_empty());
    }

    #[test]
    fn explicit_rows_are_reread_by_id_and_only_asked_ids_are_taken() {
        let asked: Vec<WorkflowId> = (0..3).map(|i| WorkflowId::new(id(i))).collect();
        let mut twice = asked.clone();
        twice.push(asked[1].clone());
        let requests = reread(&twice, &[Field::Id]).expect("encodable");
        assert_eq!(requests.len(), 1);
        let params = requests[0].to_params();
        assert_eq!(
            params["cmd"].as_object().map(|m| m.len()),
            Some(3),
            "each id once"
        );
        let c0 = params["cmd"]["c0"].as_str().expect("c0");
        assert!(c0.contains(&id(0)), "{c0}");
        // id 1 finished: no row; a portal ignoring the filter sends a
        // stranger, which is not taken.
        let body = json!({"result": {"result": {
            "c0": [{"ID": id(0)}],
            "c1": [],
            "c2": [{"ID": id(2)}, {"ID": "stranger.1"}]
        }}});
        let rows = reread_rows(&asked, &parse_batch(&body).expect("batch")).expect("read");
        let got: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(got, [id(0), id(2)]);
        assert_eq!(
            reread(
                &asked.iter().cycle().take(120).cloned().collect::<Vec<_>>(),
                &[Field::Id]
            )
            .expect("ok")
            .len(),
            1
        );
        let many: Vec<WorkflowId> = (0..120).map(|i| WorkflowId::new(id(i))).collect();
        assert_eq!(reread(&many, &[Field::Id]).expect("ok").len(), 3);
    }
}
