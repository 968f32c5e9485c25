//! The export driven through the screen: events in, requests and file
//! parts out.

use serde_json::{json, Value};

use super::*;
use crate::domain::actions::selection::Selection;
use crate::domain::export::file::Format;
use crate::domain::export::flow::{Choice, Columns, ExportEffect, ExportEvent, Scope, Stage};
use crate::domain::i18n::Lang;
use crate::domain::methods::instances::{TemplateId, UserId, WorkflowId, WorkflowPage};
use crate::domain::methods::lookups::{TemplateInfo, Templates, UserInfo};
use crate::domain::table::view::ViewState;
use crate::domain::time::TimeContext;
use crate::domain::wire::batch::{parse_batch, BatchRequest, BatchResponse};
use crate::domain::wire::errors::RestError;

const ORIGIN: &str = "https://b24.example.com";

fn at(s: i64) -> TimeContext {
    TimeContext {
        now: 1_800_000_000 + s,
        offset_minutes: 180,
    }
}

fn id(i: u64) -> String {
    format!("66e412fdc9bd44.{i:08}")
}

fn user(id: u64) -> UserInfo {
    UserInfo {
        id: UserId(id),
        name: format!("User Number {id}"),
    }
}

/// A screen showing a page of `total` (named: templates and user 1 known).
fn screen(total: u64) -> Screen {
    let mut s = Screen::new(ViewState::default(), Lang::En, at(0));
    let fx = s.update(Event::Start { at: at(0) });
    let ticket = fx
        .iter()
        .find_map(|e| match e {
            Effect::FetchPage { ticket, .. } => Some(*ticket),
            _ => None,
        })
        .unwrap();
    s.update(Event::TemplatesAnswered(Ok(Templates::new(vec![
        TemplateInfo {
            id: TemplateId(1),
            name: "Approve invoice".to_owned(),
            document_type: None,
        },
    ]))));
    s.update(Event::UserPicked(user(1)));
    let page = WorkflowPage {
        rows: Vec::new(),
        total,
        next: None,
        dropped: 0,
    };
    s.update(Event::PageAnswered {
        ticket,
        result: Ok(PageAnswer {
            page,
            people: vec![],
            settled: vec![],
            lookups: None,
        }),
        at: at(0),
    });
    s
}

fn step(s: &mut Screen, event: ExportEvent, seconds: i64) -> Vec<Effect> {
    s.update(Event::Export {
        event,
        at: at(seconds),
    })
}

fn exports(fx: &[Effect]) -> Vec<&ExportEffect> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Export(x) => Some(x),
            _ => None,
        })
        .collect()
}

fn fetch(fx: &[Effect]) -> Option<(u64, BatchRequest)> {
    exports(fx).into_iter().find_map(|e| match e {
        ExportEffect::Fetch { seq, request } => Some((*seq, request.clone())),
        _ => None,
    })
}

fn written(fx: &[Effect]) -> String {
    exports(fx)
        .into_iter()
        .filter_map(|e| match e {
            ExportEffect::Write(part) => Some(part.as_str()),
            _ => None,
        })
        .collect()
}

/// A chained answer: command `c{i}` holds `rows[50i..50i+50]`, each
/// started by `by(i)`; the first command says `total`.
fn chained(
    rows: &[String],
    total: u64,
    by: impl Fn(usize) -> u64,
) -> Result<BatchResponse, RestError> {
    let mut result = serde_json::Map::new();
    let mut totals = serde_json::Map::new();
    for (c, chunk) in rows.chunks(50).enumerate() {
        let list: Vec<Value> = chunk
            .iter()
            .enumerate()
            .map(|(j, r)| json!({"ID": r, "STARTED_BY": by(c * 50 + j).to_string(), "TEMPLATE_ID": "1"}))
            .collect();
        result.insert(format!("c{c}"), Value::Array(list));
        totals.insert(format!("c{c}"), json!(total - (c as u64 * 50)));
    }
    Ok(parse_batch(
        &json!({"result": {"result": result, "result_error": [], "result_total": totals}}),
    )
    .unwrap())
}

fn open_and_start(s: &mut Screen, choice: Choice) -> Vec<Effect> {
    step(
        s,
        ExportEvent::Open {
            selected: choice.scope == Scope::Selected,
        },
        1,
    );
    step(s, ExportEvent::Choose(choice), 1);
    step(
        s,
        ExportEvent::Start {
            origin: ORIGIN.to_owned(),
        },
        2,
    )
}

#[test]
fn a_filtered_set_is_read_once_and_each_part_written_when_its_people_are_named() {
    let mut s = screen(60);
    let fx = open_and_start(&mut s, Choice::default());
    let ex = exports(&fx);
    assert_eq!(ex[0], &ExportEffect::Begin);
    assert!(
        written(&fx)
            .starts_with("\u{feff}ID,STARTED,STARTED_BY,started_by_name,TEMPLATE_ID,template_name"),
        "{}",
        written(&fx)
    );
    let (seq, request) = fetch(&fx).unwrap();
    assert_eq!(request.keys().count(), 50);
    // 60 rows: 10 of them started by someone not yet known.
    let rows: Vec<String> = (0..60).map(id).collect();
    let fx = step(
        &mut s,
        ExportEvent::Answered {
            seq,
            result: chained(&rows, 60, |i| if i < 50 { 1 } else { 2 }),
        },
        3,
    );
    assert_eq!(fetch(&fx), None, "a short page ends the read");
    assert!(fx.contains(&Effect::AskUsers(vec![UserId(2)])));
    assert_eq!(written(&fx), "", "the part waits for its names");
    let fx = s.update(Event::UsersAnswered {
        asked: vec![UserId(2)],
        result: Ok(vec![user(2)]),
    });
    let file = written(&fx);
    assert_eq!(
        file.matches("\r\n").count(),
        61,
        "60 rows and the last line"
    );
    assert!(
        file.contains(&format!("{},,2,User Number 2,1,Approve invoice,", id(59))),
        "{file}"
    );
    assert!(
        file.contains("# 60 workflows exported from b24.example.com at "),
        "{file}"
    );
    let save = exports(&fx).into_iter().find_map(|e| match e {
        ExportEffect::Save { name, mime } => Some((name.clone(), mime.clone())),
        _ => None,
    });
    let (name, mime) = save.unwrap();
    assert!(
        name.starts_with("workflows-b24.example.com-") && name.ends_with(".csv"),
        "{name}"
    );
    assert!(mime.starts_with("text/csv"));
    let Stage::Ended(ended) = s.export().stage() else {
        panic!("ended")
    };
    assert_eq!(ended.rows, 60);
    assert_eq!(
        ended.text(Lang::En),
        format!("Exported 60 workflows to {name}.")
    );
}

#[test]
fn a_large_set_goes_on_from_the_last_row_and_says_how_far_it_is() {
    let mut s = screen(5000);
    let fx = open_and_start(
        &mut s,
        Choice {
            format: Format::Json,
            columns: Columns::All,
            ..Choice::default()
        },
    );
    let (seq, _) = fetch(&fx).unwrap();
    let rows: Vec<String> = (0..5000).map(id).collect();
    let fx = step(
        &mut s,
        ExportEvent::Answered {
            seq,
            result: chained(&rows[..2500], 5000, |_| 1),
        },
        4,
    );
    let (seq2, next) = fetch(&fx).unwrap();
    assert_ne!(seq, seq2);
    let c0 = next.to_params()["cmd"]["c0"].as_str().unwrap().to_owned();
    assert!(c0.contains(&id(2499)), "{c0}");
    let Stage::Running(run) = s.export().stage() else {
        panic!("running")
    };
    assert_eq!(run.written(), 2500);
    assert_eq!(
        run.progress_text(Lang::En),
        "Exporting 2,500 of 5,000… about 2 s left"
    );
    // 100 more started meanwhile: the file has them, and says so.
    let more: Vec<String> = (0..2600).map(|i| id(2500 + i)).collect();
    let fx = step(
        &mut s,
        ExportEvent::Answered {
            seq: seq2,
            result: chained(&more[..2500], 2600, |_| 1),
        },
        5,
    );
    let (seq3, _) = fetch(&fx).unwrap();
    let fx = step(
        &mut s,
        ExportEvent::Answered {
            seq: seq3,
            result: chained(&more[2500..], 100, |_| 1),
        },
        6,
    );
    assert_eq!(fetch(&fx), None);
    let Stage::Ended(ended) = s.export().stage() else {
        panic!("ended")
    };
    assert_eq!(ended.rows, 5100);
    assert!(
        ended
            .text(Lang::En)
            .ends_with("5,000 matched when it began (+100 since)."),
        "{}",
        ended.text(Lang::En)
    );
    let tail = written(&fx);
    assert!(
        tail.starts_with(',')
            && tail.contains("],\"count\":5100,")
            && tail.contains("\"matched_at_start\":5000"),
        "{tail}"
    );
}

#[test]
fn cancel_sends_nothing_more_and_drops_the_file() {
    let mut s = screen(5000);
    let fx = open_and_start(&mut s, Choice::default());
    let (seq, _) = fetch(&fx).unwrap();
    let fx = step(&mut s, ExportEvent::Cancel, 3);
    assert_eq!(exports(&fx), [&ExportEffect::Discard]);
    let rows: Vec<String> = (0..2500).map(id).collect();
    let fx = step(
        &mut s,
        ExportEvent::Answered {
            seq,
            result: chained(&rows, 5000, |_| 1),
        },
        4,
    );
    assert!(fx.is_empty(), "{fx:?}");
    let Stage::Ended(ended) = s.export().stage() else {
        panic!("ended")
    };
    assert_eq!(ended.file, None);
    assert_eq!(
        ended.text(Lang::En),
        "Export cancelled after 0 workflows; no file was saved."
    );
}

#[test]
fn a_failed_read_ends_with_the_portals_message_and_no_file() {
    let mut s = screen(10);
    let fx = open_and_start(&mut s, Choice::default());
    let (seq, _) = fetch(&fx).unwrap();
    let answer = parse_batch(&json!({"result": {"result": [], "result_error": {"c0": {"error": "ACCESS_DENIED", "error_description": "Access denied"}}}})).unwrap();
    let fx = step(
        &mut s,
        ExportEvent::Answered {
            seq,
            result: Ok(answer),
        },
        3,
    );
    assert_eq!(exports(&fx), [&ExportEffect::Discard]);
    let Stage::Ended(ended) = s.export().stage() else {
        panic!("ended")
    };
    assert!(
        ended.text(Lang::En).starts_with("The export stopped: "),
        "{}",
        ended.text(Lang::En)
    );
    // An answer of an older request is not taken.
    let fx = step(
        &mut s,
        ExportEvent::Answered {
            seq,
            result: chained(&[id(1)], 1, |_| 1),
        },
        4,
    );
    assert!(fx.is_empty());
}

#[test]
fn the_selection_is_reread_by_id_50_a_request_and_only_its_rows_are_written() {
    let mut s = screen(500);
    for i in 0..60 {
        s.update(Event::Select(SelectEdit::Toggle(WorkflowId::new(id(i)))));
    }
    assert!(matches!(s.selection(), Selection::Rows(ids) if ids.len() == 60));
    let fx = open_and_start(
        &mut s,
        Choice {
            scope: Scope::Selected,
            ..Choice::default()
        },
    );
    let (seq, request) = fetch(&fx).unwrap();
    assert_eq!(request.keys().count(), 50);
    // The portal answers each ID's command with its row (and one stray).
    let mut result = serde_json::Map::new();
    for i in 0..50u64 {
        result.insert(
            format!("c{i}"),
            json!([{"ID": id(i), "STARTED_BY": "1", "TEMPLATE_ID": "1"}]),
        );
    }
    result.insert(
        "c7".into(),
        json!([{"ID": id(7), "STARTED_BY": "1"}, {"ID": id(999), "STARTED_BY": "1"}]),
    );
    let answer = parse_batch(&json!({"result": {"result": result, "result_error": []}})).unwrap();
    let fx = step(
        &mut s,
        ExportEvent::Answered {
            seq,
            result: Ok(answer),
        },
        3,
    );
    let (seq2, request) = fetch(&fx).unwrap();
    assert_eq!(request.keys().count(), 10);
    let mut result = serde_json::Map::new();
    // Two of the last ten finished meanwhile.
    for i in 50..58u64 {
        result.insert(
            format!("c{}", i - 50),
            json!([{"ID": id(i), "STARTED_BY": "1"}]),
        );
    }
    let answer = parse_batch(&json!({"result": {"result": result, "result_error": []}})).unwrap();
    let fx = step(
        &mut s,
        ExportEvent::Answered {
            seq: seq2,
            result: Ok(answer),
        },
        4,
    );
    assert_eq!(fetch(&fx), None);
    let Stage::Ended(ended) = s.export().stage() else {
        panic!("ended")
    };
    assert_eq!(ended.rows, 58);
    assert!(!written(&fx).contains(&id(999)));
}

#[test]
fn the_selected_scope_needs_a_selection() {
    let mut s = screen(10);
    step(&mut s, ExportEvent::Open { selected: true }, 1);
    step(
        &mut s,
        ExportEvent::Choose(Choice {
            scope: Scope::Selected,
            ..Choice::default()
        }),
        1,
    );
    let Stage::Choosing(c) = s.export().stage() else {
        panic!("choosing")
    };
    assert_eq!(c.choice.scope, Scope::Matching);
    assert_eq!(c.matching, 10);
    step(&mut s, ExportEvent::Close, 1);
    assert_eq!(s.export().stage(), &Stage::Idle);
}

#[test]
fn the_dialogs_controls_change_the_choice_and_nothing_else() {
    let c = Choice::default();
    assert_eq!(c.with("format", "json", true).format, Format::Json);
    assert_eq!(c.with("columns", "all", true).columns, Columns::All);
    assert_eq!(c.with("scope", "selected", true).scope, Scope::Selected);
    assert!(c.with("local", "on", true).local_times);
    assert!(
        !c.with("local", "on", true)
            .with("local", "on", false)
            .local_times
    );
    assert_eq!(c.with("format", "xlsx", true), c);
    assert_eq!(c.with("<script>", "json", true), c);
}
