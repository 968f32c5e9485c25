//! The REST request(s) one screen of rows needs, asserted as data: a page
//! as one `bizproc.workflow.instances` call or, for 100+ rows, one
//! `batch`; the same with its people asked by reference in the one batch;
//! and a page fetched ahead of the admin's "Next".

use serde_json::{json, Value};

use crate::domain::methods::instances::{
    InstancesQuery, UserId, WorkflowPage, INSTANCES_METHOD, PAGE_SIZE,
};
use crate::domain::methods::lookups::{parse_users, UserInfo, USER_GET_METHOD};
use crate::domain::wire::batch::{BatchCommand, BatchRequest, BatchResponse, CommandKey};
use crate::domain::wire::errors::{ParseError, RestError};

/// A page of rows and its people in one round trip: a `batch` whose
/// `user.get` commands name the people by reference to the rows' answers
/// (`$result[s0][7][STARTED_BY]`, §2.3), so that a first screen is named
/// without waiting for the rows first.
#[derive(Debug, Clone, PartialEq)]
pub struct PageWithPeople {
    /// The page's request, read as any page ([`PageRequest::read_batch`]).
    pub page: PageRequest,
    /// The keys of the `user.get` commands, in order.
    pub people: Vec<String>,
    /// Each page part's key and how many of its rows the `user.get`
    /// refers to.
    pub referenced: Vec<(String, u64)>,
}

impl PageWithPeople {
    /// The people the answer names. A failed or missing `user.get` (or one
    /// the portal answered oddly) names nobody: its people are asked again
    /// the usual way, never taken for gone.
    pub fn read_people(&self, answer: &BatchResponse) -> Vec<UserInfo> {
        self.people
            .iter()
            .filter_map(|key| match answer.get(key) {
                Some(Ok(raw)) => parse_users(raw).ok(),
                _ => None,
            })
            .flatten()
            .collect()
    }

    /// The people the answer settles: when every `user.get` answered and
    /// each part brought exactly the rows its references name (so each
    /// reference was a row's `STARTED_BY`, not what the portal makes of a
    /// reference past the end), everyone the rows name. Whoever of them
    /// the answer does not name is gone (dismissed), not to be asked
    /// again. Empty when anything is in doubt.
    pub fn settled_people(&self, answer: &BatchResponse) -> Vec<UserId> {
        let all_answered = self
            .people
            .iter()
            .all(|key| matches!(answer.get(key), Some(Ok(_))));
        let mut ids = Vec::new();
        for (part, refs) in &self.referenced {
            let Some(Ok(raw)) = answer.get(part) else {
                return Vec::new();
            };
            let Ok(page) = WorkflowPage::from_raw(raw) else {
                return Vec::new();
            };
            if page.rows.len() as u64 != *refs {
                return Vec::new();
            }
            ids.extend(page.rows.iter().filter_map(|r| r.started_by));
        }
        if !all_answered {
            return Vec::new();
        }
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

/// The key of the `user.get` that names the people of the page part `part`.
fn people_key(part: &str) -> String {
    format!("people_{part}")
}

/// The request(s) one screen of rows needs.
#[derive(Debug, Clone, PartialEq)]
pub enum PageRequest {
    /// 50 rows: one `bizproc.workflow.instances` call.
    Single {
        /// The query it sends.
        query: InstancesQuery,
    },
    /// More than 50 rows: ONE `batch` call holding one command per
    /// 50-row `start` offset, keyed `s<start>` (never numeric, §2.3), with
    /// `halt` so a failure stops the rest (the page is all or nothing).
    Batch {
        /// The batch.
        request: BatchRequest,
        /// `(command key, start)` in page order.
        parts: Vec<(String, u64)>,
    },
}

impl PageRequest {
    /// The REST method to call.
    pub fn method(&self) -> &'static str {
        match self {
            PageRequest::Single { .. } => INSTANCES_METHOD,
            PageRequest::Batch { .. } => "batch",
        }
    }

    /// The parameters to send (without `auth`).
    pub fn params(&self) -> Value {
        match self {
            PageRequest::Single { query } => query.to_params(),
            PageRequest::Batch { request, .. } => request.to_params(),
        }
    }

    /// This page with its people asked in the same request (see
    /// [`PageWithPeople`]). After the rows, one `user.get` per part refers
    /// to each row's `STARTED_BY`; where the list's `total` is known, only
    /// to rows that exist (the portal resolves a reference past the end of
    /// a list to something else, S8). `None` when the batch cannot be
    /// built. The people found are only ever a bonus: whoever the answer
    /// does not name is asked the usual way.
    pub fn with_people(&self, total: Option<u64>) -> Option<PageWithPeople> {
        let (request, parts) = match self {
            PageRequest::Single { query } => {
                let key = format!("s{}", query.start);
                let command = BatchCommand {
                    key: CommandKey::new(key.clone()).ok()?,
                    method: INSTANCES_METHOD.to_owned(),
                    params: query.to_params(),
                };
                (
                    BatchRequest::new(true, vec![command]).ok()?,
                    vec![(key, query.start)],
                )
            }
            PageRequest::Batch { request, parts } => (request.clone(), parts.clone()),
        };
        let mut people = Vec::new();
        let mut referenced = Vec::new();
        let mut commands = Vec::new();
        for (key, start) in &parts {
            let rows = total.map_or(PAGE_SIZE, |t| t.saturating_sub(*start).min(PAGE_SIZE));
            if rows == 0 {
                continue;
            }
            let refs: Vec<String> = (0..rows)
                .map(|i| format!("$result[{key}][{i}][STARTED_BY]"))
                .collect();
            let person = people_key(key);
            commands.push(BatchCommand {
                key: CommandKey::new(person.clone()).ok()?,
                method: USER_GET_METHOD.to_owned(),
                params: json!({"FILTER": {"@ID": refs}}),
            });
            people.push(person);
            referenced.push((key.clone(), rows));
        }
        if commands.is_empty() {
            return None;
        }
        Some(PageWithPeople {
            page: PageRequest::Batch {
                request: request.extended(commands).ok()?,
                parts,
            },
            people,
            referenced,
        })
    }

    /// Joins a batch's answers into one page: rows in `start` order, the
    /// first part's `total`, the last part's `next`, parts after the end of
    /// the list ignored. Any failed or missing part is the error (a half
    /// page would misstate "Showing").
    /// A `Single` request is read with `WorkflowPage::from_raw` instead;
    /// here it is [`ParseError::UnexpectedResult`].
    pub fn read_batch(&self, answer: &BatchResponse) -> Result<WorkflowPage, RestError> {
        let PageRequest::Batch { parts, .. } = self else {
            return Err(RestError::BadResponse(ParseError::UnexpectedResult {
                expected: "a single call's answer",
                found: "a batch",
            }));
        };
        let mut page = WorkflowPage {
            rows: Vec::new(),
            total: 0,
            next: None,
            dropped: 0,
        };
        // Every part must have come back: a failure anywhere fails the page.
        let mut raws = Vec::with_capacity(parts.len());
        for (key, _) in parts {
            match answer.get(key) {
                Some(Ok(raw)) => raws.push(raw),
                Some(Err(e)) => return Err(e.clone()),
                None => return Err(RestError::BadResponse(ParseError::MissingResult)),
            }
        }
        for (i, raw) in raws.into_iter().enumerate() {
            let part = WorkflowPage::from_raw(raw)?;
            if i == 0 {
                page.total = part.total;
            }
            page.next = part.next;
            page.dropped += part.dropped;
            let ended = part.next.is_none();
            page.rows.extend(part.rows);
            if ended {
                // The list ended here (§2.1: no `next` on the last page);
                // later parts are past the end.
                break;
            }
        }
        Ok(page)
    }
}

/// How long a prefetched page may stand in for a fresh request, in
/// seconds. Workflows start and finish all the time: an old prefetch
/// would show a list that no longer is (and hide a changed total).
pub const PREFETCH_MAX_AGE_SECS: i64 = 60;

/// A page fetched ahead of the admin's "Next", with when it arrived.
#[derive(Debug, Clone, PartialEq)]
pub struct Prefetched {
    /// What was asked for.
    pub request: PageRequest,
    /// What came back.
    pub page: WorkflowPage,
    /// Unix seconds of its arrival.
    pub fetched_at: i64,
}

impl Prefetched {
    /// The page, when it answers exactly `request` and arrived at most
    /// [`PREFETCH_MAX_AGE_SECS`] before `now` (a clock that went back is
    /// not trusted either).
    pub fn answer(self, request: &PageRequest, now: i64) -> Option<WorkflowPage> {
        let age = now - self.fetched_at;
        (self.request == *request && (0..=PREFETCH_MAX_AGE_SECS).contains(&age))
            .then_some(self.page)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::methods::instances::{Field, SortDir};
    use crate::domain::wire::batch::parse_batch;

    fn asked(total: u64) -> PageWithPeople {
        let query = InstancesQuery {
            order: vec![(Field::Id, SortDir::Asc)],
            start: 0,
            select: vec![Field::Id, Field::StartedBy],
            filter: vec![],
        };
        PageRequest::Single { query }
            .with_people(Some(total))
            .expect("a batch")
    }

    fn rows(by: &[u64]) -> Value {
        Value::Array(
            by.iter()
                .enumerate()
                .map(|(i, u)| json!({"ID": format!("wf{i}"), "STARTED_BY": u.to_string()}))
                .collect(),
        )
    }

    #[test]
    fn an_answer_whose_references_all_named_rows_settles_its_people_and_the_missing_are_gone() {
        let request = asked(3);
        assert_eq!(request.referenced, [("s0".to_owned(), 3)]);
        // User 412 is not in the answer: dismissed.
        let answer = parse_batch(&json!({"result": {"result": {
            "s0": rows(&[1, 412, 1]),
            "people_s0": [{"ID": "1", "NAME": "Anna"}]}, "result_error": []}}))
        .unwrap();
        assert_eq!(request.settled_people(&answer), [UserId(1), UserId(412)]);
        assert_eq!(request.read_people(&answer).len(), 1);
    }

    #[test]
    fn a_part_shorter_than_its_references_or_a_failed_lookup_settles_nobody() {
        let request = asked(3);
        // A workflow ended meanwhile: the third reference went past the
        // end and resolved to something else.
        let short = parse_batch(&json!({"result": {"result": {
            "s0": rows(&[1, 412]),
            "people_s0": [{"ID": "1", "NAME": "Anna"}]}, "result_error": []}}))
        .unwrap();
        assert!(request.settled_people(&short).is_empty());
        let failed = parse_batch(&json!({"result": {"result": {"s0": rows(&[1, 412, 1])},
            "result_error": {"people_s0": {"error": "QUERY_LIMIT_EXCEEDED", "error_description": ""}}}}))
        .unwrap();
        assert!(request.settled_people(&failed).is_empty());
    }
}
