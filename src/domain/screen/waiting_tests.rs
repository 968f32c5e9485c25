//! The Waiting for column driven through the screen: asked after the rows,
//! only while shown, one request per 50 rows, each workflow once until a
//! refresh.

use serde_json::json;

use super::*;
use crate::domain::i18n::Lang;
use crate::domain::methods::instances::{UserId, WorkflowId, WorkflowPage, WorkflowRow};
use crate::domain::methods::tasks::TASK_LIST_METHOD;
use crate::domain::table::paging::PageSize;
use crate::domain::table::view::{Column, ViewState};
use crate::domain::table::waiting::Waiting;
use crate::domain::time::TimeContext;
use crate::domain::wire::batch::{parse_batch, BatchResponse};
use crate::domain::wire::errors::RestError;

fn at(s: i64) -> TimeContext {
    TimeContext {
        now: 1_800_000_000 + s,
        offset_minutes: 0,
    }
}

fn fetches(fx: &[Effect]) -> Vec<WaitingFetch> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Waiting(f) => Some(f.clone()),
            _ => None,
        })
        .collect()
}

fn page_ticket(fx: &[Effect]) -> Option<Ticket> {
    fx.iter().find_map(|e| match e {
        Effect::FetchPage { ticket, .. } => Some(*ticket),
        _ => None,
    })
}

fn row(id: &str) -> WorkflowRow {
    WorkflowRow::from_value(&json!({"ID": id, "STARTED_BY": "1"})).expect("row")
}

fn rows(s: &mut Screen, ticket: Ticket, ids: &[String], seconds: i64) -> Vec<Effect> {
    s.update(Event::PageAnswered {
        ticket,
        result: Ok(PageAnswer {
            page: WorkflowPage {
                rows: ids.iter().map(|id| row(id)).collect(),
                total: ids.len() as u64,
                next: None,
                dropped: 0,
            },
            people: vec![],
            settled: vec![],
            lookups: None,
        }),
        at: at(seconds),
    })
}

fn ids(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("wf{i}")).collect()
}

fn view(shown: bool) -> ViewState {
    let mut v = ViewState::default();
    v.set_column_visible(Column::Waiting, shown);
    v
}

/// A screen of `view` showing `n` rows; the effects of the answer.
fn screen(view: ViewState, n: usize) -> (Screen, Vec<Effect>) {
    let mut s = Screen::new(view, Lang::En, at(0));
    let fx = s.update(Event::Start { at: at(0) });
    assert!(fetches(&fx).is_empty(), "nothing before the rows");
    let fx = rows(&mut s, page_ticket(&fx).expect("a page"), &ids(n), 1);
    (s, fx)
}

/// Every command of `fetch` answers one open task of user 7 and 8, but
/// the first, which has none.
fn answer(fetch: &WaitingFetch) -> BatchResponse {
    let mut result = serde_json::Map::new();
    for (i, (key, _)) in fetch.request.batch.methods().enumerate() {
        let id = fetch.request.ids[i].as_str();
        let rows = if i == 0 {
            json!([])
        } else {
            json!([
                {"ID": "1", "WORKFLOW_ID": id, "NAME": "Approve", "STATUS": "0",
                 "USER_ID": "7", "USER_STATUS": "0"},
                {"ID": "1", "WORKFLOW_ID": id, "NAME": "Approve", "STATUS": "0",
                 "USER_ID": "8", "USER_STATUS": "0"}
            ])
        };
        result.insert(key.to_owned(), rows);
    }
    parse_batch(&json!({"result": {"result": result}})).expect("answer")
}

#[test]
fn hidden_it_asks_nothing() {
    let (_, fx) = screen(view(false), 3);
    assert!(fetches(&fx).is_empty());
}

#[test]
fn shown_it_asks_the_rows_on_screen_in_one_request_after_them() {
    let (mut s, fx) = screen(view(true), 3);
    let sent = fetches(&fx);
    assert_eq!(sent.len(), 1);
    let f = &sent[0];
    assert_eq!(
        f.request.ids,
        ids(3).into_iter().map(WorkflowId::new).collect::<Vec<_>>()
    );
    assert!(f
        .request
        .batch
        .methods()
        .all(|(_, m)| m == TASK_LIST_METHOD));
    let fx = s.update(Event::WaitingAnswered {
        seq: f.seq,
        result: Ok(answer(f)),
    });
    assert!(fx.contains(&Effect::AskUsers(vec![UserId(7), UserId(8)])));
    assert!(fx.contains(&Effect::Mark(Mark::Waiting)));
    let known = s.waiting().known();
    assert_eq!(known.get(&WorkflowId::new("wf0")), Some(&Waiting::NoTask));
    assert!(matches!(
        known.get(&WorkflowId::new("wf2")),
        Some(Waiting::Tasks { tasks, .. }) if tasks[0].waiting == [UserId(7), UserId(8)]
    ));
    // The same answer again asks nothing more.
    let again = s.update(Event::WaitingAnswered {
        seq: f.seq,
        result: Ok(answer(f)),
    });
    assert!(again.is_empty(), "{again:?}");
}

#[test]
fn a_screen_of_a_hundred_rows_takes_two_requests() {
    let mut v = view(true);
    v.set_page_size(PageSize::Hundred);
    let (_, fx) = screen(v, 100);
    let sent = fetches(&fx);
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].request.ids.len(), 50);
    assert_eq!(sent[1].request.ids.len(), 50);
}

#[test]
fn showing_the_column_asks_the_tasks_but_not_the_rows_again() {
    let (mut s, _) = screen(view(false), 3);
    let fx = s.update(Event::Edit {
        edit: ViewEdit::SetColumnVisible {
            column: Column::Waiting,
            visible: true,
        },
        at: at(2),
    });
    assert_eq!(page_ticket(&fx), None, "the rows on screen answer it");
    assert!(!s.is_stale());
    assert_eq!(fetches(&fx).len(), 1);
    assert!(fx.iter().any(|e| matches!(e, Effect::SaveOption { .. })));
    let fx = s.update(Event::Edit {
        edit: ViewEdit::SetColumnVisible {
            column: Column::Waiting,
            visible: false,
        },
        at: at(3),
    });
    assert!(fetches(&fx).is_empty());
    assert_eq!(page_ticket(&fx), None);
}

#[test]
fn each_workflow_is_asked_once_until_a_refresh_and_an_older_answer_is_dropped() {
    let (mut s, fx) = screen(view(true), 3);
    let first = fetches(&fx).remove(0);
    s.update(Event::WaitingAnswered {
        seq: first.seq,
        result: Ok(answer(&first)),
    });
    // Another sort brings the same rows: nothing more is asked.
    let fx = s.update(Event::Edit {
        edit: ViewEdit::ClickHeader {
            column: Column::Field(crate::domain::methods::instances::Field::Id),
            shift: false,
        },
        at: at(2),
    });
    let fx = rows(&mut s, page_ticket(&fx).expect("a page"), &ids(3), 2);
    assert!(fetches(&fx).is_empty());
    // Refresh: asked again; an answer to the request before it is dropped.
    let fx = s.update(Event::Refresh { at: at(3) });
    let fx = rows(&mut s, page_ticket(&fx).expect("a page"), &ids(4), 3);
    let sent = fetches(&fx);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].request.ids.len(), 4);
    let fx = s.update(Event::Refresh { at: at(4) });
    s.update(Event::WaitingAnswered {
        seq: sent[0].seq,
        result: Ok(answer(&sent[0])),
    });
    assert!(s.waiting().known().is_empty(), "dropped");
    let fx = rows(&mut s, page_ticket(&fx).expect("a page"), &ids(4), 4);
    assert_eq!(fetches(&fx).len(), 1);
}

#[test]
fn a_failure_is_kept_per_workflow_and_a_cancel_is_asked_again() {
    let (mut s, fx) = screen(view(true), 2);
    let f = fetches(&fx).remove(0);
    let fx = s.update(Event::WaitingAnswered {
        seq: f.seq,
        result: Err(RestError::Cancelled),
    });
    assert!(fx.is_empty());
    assert!(s.waiting().known().is_empty());
    // The next screen of the same rows asks them again.
    let fx = s.update(Event::Edit {
        edit: ViewEdit::SetPageSize(PageSize::Hundred),
        at: at(2),
    });
    let fx = rows(&mut s, page_ticket(&fx).expect("a page"), &ids(2), 2);
    let f = fetches(&fx).remove(0);
    s.update(Event::WaitingAnswered {
        seq: f.seq,
        result: Err(RestError::Timeout { after_ms: 1 }),
    });
    assert!(matches!(
        s.waiting().known().get(&WorkflowId::new("wf1")),
        Some(Waiting::Failed(RestError::Timeout { .. }))
    ));
}
