//! The filtered set read in a stable order: `ORDER ID ASC`, each command
//! asking for the rows after the previous command's last row (fact sheet
//! §2.2's keyset on the string `ID`), so a workflow that runs throughout
//! is read exactly once however many start or finish meanwhile.
//!
//! Within one `batch`, command `c{i}` names its bound by reference,
//! `>ID = $result[c{i-1}][49][ID]` (§2.3), so 50 pages cost one request.
//! The portal resolves a reference by walking its path while the keys
//! exist and stops at the last one found (`CRestUtil::processBatchElement`,
//! S8): after a short page, or a command that failed, the next command's
//! bound is not an ID but a whole list, and what it answers means nothing.
//! So a page is taken only while every page before it in the batch was
//! full, and only when its rows come after its bound in ID order; the
//! rest of the batch is discarded and the next request goes on from the
//! last row taken, by its literal ID.

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

/// Why a read stopped: nothing after it is known.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ChainError {
    /// The first list command of a request failed.
    #[error("the portal could not list the workflows: {0}")]
    Portal(RestError),
    /// The first list command's answer could not be read.
    #[error("the portal's list could not be read: {0}")]
    Unreadable(String),
    /// The first list command did not run.
    #[error("the portal did not answer the list command")]
    Missing,
    /// The portal's rows were not in ID order after the last one read.
    #[error("the portal did not list the workflows in ID order")]
    Disordered,
}

/// Reads every workflow matching a filter, request by request.
#[derive(Debug, Clone, PartialEq)]
pub struct Chain {
    filter: Vec<Condition>,
    select: Vec<Field>,
    commands: usize,
    after: Option<WorkflowId>,
    done: bool,
    first_total: Option<u64>,
    left: Option<u64>,
    requests: u64,
}

impl Chain {
    /// A read of the workflows matching `filter`, with `select`'s fields
    /// (and `ID`), 50 pages a request.
    pub fn new(filter: Vec<Condition>, mut select: Vec<Field>) -> Chain {
        if !select.contains(&Field::Id) {
            select.insert(0, Field::Id);
        }
        Chain {
            filter,
            select,
            commands: MAX_COMMANDS,
            after: None,
            done: false,
            first_total: None,
            left: None,
            requests: 0,
        }
    }

    /// The same read with at most `n` pages a request (1..=50).
    pub fn with_commands(mut self, n: usize) -> Chain {
        self.commands = n.clamp(1, MAX_COMMANDS);
        self
    }

    /// The next request, or `None` once everything is read.
    pub fn next_request(&self) -> Option<Result<BatchRequest, BatchError>> {
        if self.done {
            return None;
        }
        let commands = (0..self.commands)
            .map(|i| {
                let bound = if i == 0 {
                    self.after.as_ref().map(|id| id.as_str().to_owned())
                } else {
                    Some(format!(
                        "$result[{}][{}][ID]",
                        CommandKey::indexed(i - 1).as_str(),
                        PAGE_SIZE - 1
                    ))
                };
                let mut filter = self.filter.clone();
                if let Some(bound) = bound {
                    filter.push(Condition::new(
                        FilterOp::Gt,
                        Field::Id,
                        FilterValue::Text(bound),
                    ));
                }
                let query = InstancesQuery {
                    order: vec![(Field::Id, SortDir::Asc)],
                    start: 0,
                    select: self.select.clone(),
                    filter,
                };
                BatchCommand::indexed(i, INSTANCES, query.to_params())
            })
            .collect();
        Some(BatchRequest::new(false, commands))
    }

    /// Takes the answer to [`Self::next_request`]: the rows it brought, in
    /// ID order, each after the last one read before.
    pub fn answered(&mut self, answer: &BatchResponse) -> Result<Vec<WorkflowRow>, ChainError> {
        self.requests += 1;
        let mut rows: Vec<WorkflowRow> = Vec::new();
        for i in 0..self.commands {
            let first = i == 0;
            let key = CommandKey::indexed(i);
            let raw = match answer.get(key.as_str()) {
                Some(Ok(raw)) => raw,
                None if first => return Err(ChainError::Missing),
                Some(Err(e)) if first => return Err(ChainError::Portal(e.clone())),
                // A later command that failed or did not run: the next
                // request goes on from the last row taken.
                _ => break,
            };
            let page = match WorkflowPage::from_raw(raw) {
                Ok(page) => page,
                Err(e) if first => return Err(ChainError::Unreadable(e.to_string())),
                Err(_) => break,
            };
            let bound = rows.last().map(|r| &r.id).or(self.after.as_ref());
            let in_order = page.rows.windows(2).all(|w| w[0].id < w[1].id)
                && page
                    .rows
                    .first()
                    .is_none_or(|r| bound.is_none_or(|b| r.id > *b));
            if !in_order {
                if first {
                    return Err(ChainError::Disordered);
                }
                break;
            }
            let n = page.rows.len() as u64;
            if self.first_total.is_none() {
                self.first_total = raw.total.or(Some(n));
            }
            self.left = raw.total.map(|t| t.saturating_sub(n));
            rows.extend(page.rows);
            // A short page is the end; so is a full one the portal says
            // is all that is left (a set of exactly 2,500 takes one
            // request, not a second, empty one).
            if n < PAGE_SIZE || raw.total.is_some_and(|t| t <= n) {
                self.done = true;
                self.left = Some(0);
                break;
            }
        }
        if let Some(last) = rows.last() {
            self.after = Some(last.id.clone());
        }
        Ok(rows)
    }

    /// Whether everything is read.
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// How many matched when the read began (the first command's
    /// `total`); `None` before the first answer.
    pub fn first_total(&self) -> Option<u64> {
        self.first_total
    }

    /// How many the portal last said are still to read, when it said.
    pub fn left(&self) -> Option<u64> {
        self.left
    }

    /// How many requests were answered.
    pub fn requests(&self) -> u64 {
        self.requests
    }

    /// How many requests the rest needs at the least, by the portal's
    /// last word (`None` when it said none).
    pub fn requests_left(&self) -> Option<u64> {
        if self.done {
            return Some(0);
        }
        let per_request = PAGE_SIZE * self.commands as u64;
        self.left.map(|left| left.div_ceil(per_request).max(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::wire::batch::parse_batch;
    use serde_json::{json, Map, Value};

    fn id(i: u64) -> String {
        format!("66e412fdc9bd44.{i:08}")
    }

    fn rows(ids: &[String]) -> Value {
        Value::Array(ids.iter().map(|i| json!({"ID": i})).collect())
    }

    /// How a portal answers the chained request over `set`: each command
    /// resolves its bound as the server does (the walk stops at the last
    /// key found: after a short page the bound is the page itself), and a
    /// bound that is not an ID drops the condition (the worst case: the
    /// set from its start).
    fn portal(set: &[String], request: &BatchRequest, after: Option<&str>) -> BatchResponse {
        let mut result = Map::new();
        let mut total = Map::new();
        let mut previous: Option<Vec<String>> = None;
        for (i, key) in request.keys().enumerate() {
            let bound: Option<String> = if i == 0 {
                after.map(str::to_owned)
            } else {
                previous
                    .as_ref()
                    .and_then(|p| (p.len() == 50).then(|| p[49].clone()))
            };
            let matching: Vec<String> = set
                .iter()
                .filter(|x| bound.as_ref().is_none_or(|b| *x > b))
                .cloned()
                .collect();
            let page: Vec<String> = matching.iter().take(50).cloned().collect();
            result.insert(key.to_owned(), rows(&page));
            total.insert(key.to_owned(), json!(matching.len()));
            previous = Some(page);
        }
        parse_batch(
            &json!({"result": {"result": result, "result_error": [], "result_total": total}}),
        )
        .unwrap()
    }

    fn read_all(set: &[String], chain: &mut Chain) -> (Vec<String>, u64) {
        let mut got = Vec::new();
        let mut requests = 0;
        while let Some(request) = chain.next_request() {
            let request = request.unwrap();
            let after = chain.after.as_ref().map(|a| a.as_str().to_owned());
            let answer = portal(set, &request, after.as_deref());
            got.extend(
                chain
                    .answered(&answer)
                    .unwrap()
                    .into_iter()
                    .map(|r| r.id.as_str().to_owned()),
            );
            requests += 1;
            assert!(requests < 100, "the read ends");
        }
        (got, requests)
    }

    #[test]
    fn each_command_names_the_previous_commands_last_row_as_its_bound() {
        let mut chain = Chain::new(vec![], vec![Field::Started]);
        let request = chain.next_request().unwrap().unwrap();
        let params = request.to_params();
        let cmd = params["cmd"].as_object().unwrap();
        assert_eq!(cmd.len(), 50);
        let first = cmd["c0"].as_str().unwrap();
        assert!(
            !first.contains("%3EID") && !first.contains("result"),
            "{first}"
        );
        assert!(first.contains("order[ID]=ASC"), "{first}");
        let second = cmd["c1"].as_str().unwrap();
        assert!(
            second.contains("filter[%3EID]=%24result%5Bc0%5D%5B49%5D%5BID%5D"),
            "{second}"
        );
        assert!(second.contains("order[ID]=ASC&"), "{second}");
        assert!(second.ends_with("start=0"), "{second}");
        // The next request starts from the last row read, literally.
        let set: Vec<String> = (0..2600).map(id).collect();
        chain.answered(&portal(&set, &request, None)).unwrap();
        let next = chain.next_request().unwrap().unwrap().to_params();
        let c0 = next["cmd"]["c0"].as_str().unwrap().to_owned();
        assert!(c0.contains(&id(2499)), "{c0}");
    }

    #[test]
    fn a_set_is_read_once_in_id_order_2500_a_request() {
        for n in [0u64, 1, 49, 50, 51, 2499, 2500, 2501, 7777] {
            let set: Vec<String> = (0..n).map(id).collect();
            let mut chain = Chain::new(vec![], vec![]);
            let (got, requests) = read_all(&set, &mut chain);
            assert_eq!(got, set, "{n}");
            assert_eq!(requests, n.div_ceil(2500).max(1), "{n} rows");
            assert_eq!(chain.first_total(), Some(n));
        }
    }

    #[test]
    fn what_follows_a_short_page_is_discarded() {
        // 120 rows: c2 is short (20 rows, and no total said). Its bound
        // resolved to a list, c3 answers a row after it that is not the
        // set's: whatever follows a short page is not taken.
        let set: Vec<String> = (0..120).map(id).collect();
        let mut chain = Chain::new(vec![], vec![]);
        let answer = parse_batch(&json!({"result": {
            "result": {"c0": rows(&set[..50]), "c1": rows(&set[50..100]), "c2": rows(&set[100..]),
                       "c3": rows(&[id(5000)])},
            "result_error": []}}))
        .unwrap();
        let got = chain.answered(&answer).unwrap();
        assert_eq!(got.len(), 120);
        assert_eq!(got.last().unwrap().id.as_str(), id(119));
        assert!(chain.is_done(), "a short page ends the read");
        assert_eq!(chain.next_request(), None);
    }

    #[test]
    fn a_page_out_of_order_ends_the_batch_and_the_next_request_goes_on_from_the_last_row() {
        let set: Vec<String> = (0..200).map(id).collect();
        let mut chain = Chain::new(vec![], vec![]);
        // c1 answers rows it should not (before its bound): discarded.
        let answer = parse_batch(&json!({"result": {
            "result": {"c0": rows(&set[..50]), "c1": rows(&set[10..60]), "c2": rows(&set[100..150])},
            "result_error": {"c3": {"error": "", "error_description": "x"}},
            "result_total": {"c0": 200, "c1": 190, "c2": 100}}}))
        .unwrap();
        let got = chain.answered(&answer).unwrap();
        assert_eq!(got.len(), 50);
        assert!(!chain.is_done());
        let (rest, _) = read_all(&set, &mut chain);
        assert_eq!(rest, set[50..].to_vec());
    }

    #[test]
    fn a_failed_first_command_is_an_error_and_a_later_one_ends_the_batch() {
        let mut chain = Chain::new(vec![], vec![]);
        let answer = parse_batch(&json!({"result": {"result": [], "result_error": {"c0": {"error": "ACCESS_DENIED", "error_description": "no"}}}}))
            .unwrap();
        assert!(matches!(
            chain.answered(&answer),
            Err(ChainError::Portal(_))
        ));
        let answer = parse_batch(&json!({"result": {"result": [], "result_error": []}})).unwrap();
        assert_eq!(chain.answered(&answer), Err(ChainError::Missing));
        let set: Vec<String> = (0..50).map(id).collect();
        let answer = parse_batch(&json!({"result": {"result": {"c0": rows(&set)}, "result_error": {"c1": {"error": "OPERATION_TIME_LIMIT", "error_description": ""}}, "result_total": {"c0": 80}}}))
            .unwrap();
        assert_eq!(chain.answered(&answer).unwrap().len(), 50);
        assert!(!chain.is_done());
        assert_eq!(chain.left(), Some(30));
        assert_eq!(chain.requests_left(), Some(1));
    }

    #[test]
    fn rows_before_the_bound_fail_the_first_command() {
        let set: Vec<String> = (0..60).map(id).collect();
        let mut chain = Chain::new(vec![], vec![]);
        chain.after = Some(WorkflowId::new(id(30)));
        let answer = parse_batch(
            &json!({"result": {"result": {"c0": rows(&set[..10])}, "result_error": []}}),
        )
        .unwrap();
        assert_eq!(chain.answered(&answer), Err(ChainError::Disordered));
    }
}
