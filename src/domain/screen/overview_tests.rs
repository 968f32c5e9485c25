//! The overview driven through the screen: after the rows, while open,
//! cached per filter set for a minute, emptied by a refresh.

use serde_json::{json, Map};

use super::*;
use crate::domain::i18n::Lang;
use crate::domain::methods::instances::{TemplateId, UserId, WorkflowPage};
use crate::domain::methods::lookups::{TemplateInfo, Templates};
use crate::domain::overview::flow::ChartState;
use crate::domain::overview::model::{BarKey, Dimension};
use crate::domain::overview::plan::Part;
use crate::domain::table::filters::{Filter, FilterKind};
use crate::domain::table::view::ViewState;
use crate::domain::time::TimeContext;
use crate::domain::wire::batch::{parse_batch, BatchResponse};

fn at(s: i64) -> TimeContext {
    TimeContext {
        now: 1_800_000_000 + s,
        offset_minutes: 0,
    }
}

fn templates() -> Templates {
    Templates::new(
        [1, 2]
            .into_iter()
            .map(|i| TemplateInfo {
                id: TemplateId(i),
                name: format!("Template {i}"),
                document_type: None,
            })
            .collect(),
    )
}

fn fetches(fx: &[Effect]) -> Vec<OverviewFetch> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Overview(f) => Some(f.clone()),
            _ => None,
        })
        .collect()
}

fn page_ticket(fx: &[Effect]) -> Ticket {
    fx.iter()
        .find_map(|e| match e {
            Effect::FetchPage { ticket, .. } => Some(*ticket),
            _ => None,
        })
        .expect("a page request")
}

fn rows(s: &mut Screen, ticket: Ticket, seconds: i64) -> Vec<Effect> {
    s.update(Event::PageAnswered {
        ticket,
        result: Ok(PageAnswer {
            page: WorkflowPage {
                rows: Vec::new(),
                total: 30,
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

fn step(s: &mut Screen, event: OverviewEvent, seconds: i64) -> Vec<Effect> {
    s.update(Event::Overview {
        event,
        at: at(seconds),
    })
}

/// An answer in which every command counts `n`.
fn every(fetch: &OverviewFetch, n: u64) -> BatchResponse {
    let mut result = Map::new();
    let mut total = Map::new();
    for k in fetch.request.batch.keys() {
        result.insert(k.to_owned(), json!([]));
        total.insert(k.to_owned(), json!(n));
    }
    parse_batch(&json!({"result": {"result": result, "result_error": [],
        "result_total": total, "result_next": [], "result_time": []}}))
    .expect("answer")
}

/// A screen with the overview open and the templates known, before its
/// rows came; the page request's ticket.
fn open_screen() -> (Screen, Ticket) {
    let mut s = Screen::new(ViewState::default(), Lang::En, at(0));
    assert!(step(&mut s, OverviewEvent::Show(true), 0).is_empty());
    let fx = s.update(Event::Start { at: at(0) });
    assert!(fetches(&fx).is_empty(), "nothing before the rows");
    s.update(Event::TemplatesAnswered(Ok(templates())));
    let ticket = page_ticket(&fx);
    (s, ticket)
}

/// Answers every request of the overview until it is done; how many.
fn finish(s: &mut Screen, mut pending: Vec<OverviewFetch>) -> usize {
    let mut sent = 0;
    while let Some(f) = pending.pop() {
        sent += 1;
        let result = Ok(every(&f, 3));
        let fx = step(
            s,
            OverviewEvent::Answered {
                seq: f.seq,
                part: f.request.part,
                result,
            },
            2,
        );
        pending.extend(fetches(&fx));
    }
    sent
}

#[test]
fn the_overview_goes_out_after_the_first_rows_and_takes_three_requests() {
    let (mut s, ticket) = open_screen();
    let fx = rows(&mut s, ticket, 1);
    let first = fetches(&fx);
    let parts: Vec<Part> = first.iter().map(|f| f.request.part).collect();
    assert_eq!(parts, [Part::Templates(0), Part::Sample]);
    assert!(!s.overview().is_done());
    assert_eq!(finish(&mut s, first), 3);
    assert!(s.overview().is_done());
    let ChartState::Ready(chart) = s.overview().chart(Dimension::Template) else {
        panic!("drawn");
    };
    assert_eq!(chart.bars[0].count, 3);
    assert_eq!(s.overview().requests(), 3);
}

#[test]
fn a_closed_overview_asks_nothing_until_it_is_opened() {
    let mut s = Screen::new(ViewState::default(), Lang::En, at(0));
    let fx = s.update(Event::Start { at: at(0) });
    s.update(Event::TemplatesAnswered(Ok(templates())));
    let fx = rows(&mut s, page_ticket(&fx), 1);
    assert!(fetches(&fx).is_empty());
    let fx = step(&mut s, OverviewEvent::Show(true), 2);
    assert_eq!(fetches(&fx).len(), 2);
}

#[test]
fn the_overview_waits_for_the_templates() {
    let mut s = Screen::new(ViewState::default(), Lang::En, at(0));
    step(&mut s, OverviewEvent::Show(true), 0);
    let fx = s.update(Event::Start { at: at(0) });
    let fx = rows(&mut s, page_ticket(&fx), 1);
    assert!(fetches(&fx).is_empty(), "the templates are not known yet");
    let fx = s.update(Event::TemplatesAnswered(Ok(templates())));
    assert_eq!(fetches(&fx).len(), 2);
}

#[test]
fn a_filter_set_counted_this_minute_costs_nothing_and_a_refresh_asks_again() {
    let (mut s, ticket) = open_screen();
    let first = fetches(&rows(&mut s, ticket, 1));
    finish(&mut s, first);
    // A bar: its filter goes to the table, and the overview follows it.
    let fx = step(
        &mut s,
        OverviewEvent::Pick(BarKey::Template(TemplateId(2))),
        3,
    );
    assert_eq!(
        s.view().filters().get(FilterKind::Template),
        Some(&Filter::Template {
            id: TemplateId(2),
            exclude: false
        })
    );
    let fx = rows(&mut s, page_ticket(&fx), 4);
    let second = fetches(&fx);
    assert_eq!(second.len(), 2, "a new filter set is counted");
    finish(&mut s, second);
    // Back to no filter within the minute: from the cache.
    let fx = s.update(Event::Edit {
        edit: ViewEdit::RemoveFilter(FilterKind::Template),
        at: at(5),
    });
    let fx = rows(&mut s, page_ticket(&fx), 5);
    assert!(fetches(&fx).is_empty(), "{fx:?}");
    assert!(matches!(
        s.overview().chart(Dimension::Age),
        ChartState::Ready(_)
    ));
    // Refresh: counted again.
    let fx = s.update(Event::Refresh { at: at(6) });
    let fx = rows(&mut s, page_ticket(&fx), 6);
    assert_eq!(fetches(&fx).len(), 2);
}

#[test]
fn an_answer_for_an_older_overview_is_dropped() {
    let (mut s, ticket) = open_screen();
    let old = fetches(&rows(&mut s, ticket, 1));
    let fx = step(
        &mut s,
        OverviewEvent::Pick(BarKey::Template(TemplateId(1))),
        2,
    );
    rows(&mut s, page_ticket(&fx), 3);
    let stale = &old[0];
    let fx = step(
        &mut s,
        OverviewEvent::Answered {
            seq: stale.seq,
            part: stale.request.part,
            result: Ok(every(stale, 9)),
        },
        4,
    );
    assert!(fetches(&fx).is_empty());
    assert_eq!(s.overview().chart(Dimension::Template), ChartState::Loading);
}

#[test]
fn a_bar_without_a_filter_changes_nothing() {
    let (mut s, ticket) = open_screen();
    rows(&mut s, ticket, 1);
    let fx = step(&mut s, OverviewEvent::Pick(BarKey::Automation), 2);
    assert!(fx.is_empty());
    assert!(s.view().filters().is_empty());
}

#[test]
fn the_top_starters_are_named_through_the_cache() {
    let (mut s, ticket) = open_screen();
    let first = fetches(&rows(&mut s, ticket, 1));
    let sample = first
        .iter()
        .find(|f| f.request.part == Part::Sample)
        .expect("a sample");
    let rows: Vec<serde_json::Value> = [7, 7, 0, 9]
        .iter()
        .enumerate()
        .map(|(i, u)| json!({"ID": format!("66e412fd{i:06}.0"), "STARTED_BY": u.to_string()}))
        .collect();
    let answer = parse_batch(
        &json!({"result": {"result": {"c0": rows}, "result_error": [],
        "result_total": {"c0": 4}, "result_next": [], "result_time": []}}),
    )
    .expect("answer");
    let fx = step(
        &mut s,
        OverviewEvent::Answered {
            seq: sample.seq,
            part: Part::Sample,
            result: Ok(answer),
        },
        2,
    );
    let asked: Vec<Vec<UserId>> = fx
        .iter()
        .filter_map(|e| match e {
            Effect::AskUsers(u) => Some(u.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(asked, [vec![UserId(7), UserId(9)]]);
}
