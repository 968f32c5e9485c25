//! The acting flow, event by event: what each step sends, and what it
//! never sends.

use std::collections::BTreeSet;

use serde_json::{json, Map, Value};

use super::*;
use crate::domain::actions::history::record::{Snapshot, Who};
use crate::domain::methods::instances::UserId;
use crate::domain::table::filters::Filter;
use crate::domain::wire::batch::parse_batch;

const AT: TimeContext = TimeContext {
    now: 1_767_225_600,
    offset_minutes: 180,
};

const ID_PREFIX: &str = "66e412fdc9bd44.";

fn id(i: usize) -> WorkflowId {
    WorkflowId::new(format!("{ID_PREFIX}{i:08}"))
}

fn row_json(i: usize) -> Value {
    json!({
        "ID": id(i).as_str(),
        "TEMPLATE_ID": (i % 3 + 1).to_string(),
        "STARTED": "2026-01-01T03:00:00+03:00",
        "DOCUMENT_ID": format!("DEAL_{i}"),
        "STARTED_BY": "1",
    })
}

/// A batch answer: `ok` commands with their values, `err` commands with
/// empty-code failures, and a total for each listed command.
fn answer(ok: Vec<(String, Value)>, err: &[(String, &str)]) -> BatchResponse {
    let (mut result, mut errors, mut totals) = (Map::new(), Map::new(), Map::new());
    for (k, v) in ok {
        if let Value::Array(a) = &v {
            totals.insert(k.clone(), json!(a.len()));
        }
        result.insert(k, v);
    }
    for (k, m) in err {
        errors.insert(k.clone(), json!({"error": "", "error_description": m}));
    }
    parse_batch(&json!({"result": {
        "result": result, "result_error": errors, "result_total": totals
    }}))
    .expect("a batch answer")
}

/// The answer to a re-read: for each command, its row if `running` holds it.
fn reread_answer(request: &BatchRequest, running: &BTreeSet<usize>, all: usize) -> BatchResponse {
    let cmds = request.to_params()["cmd"]
        .as_object()
        .cloned()
        .expect("commands");
    let ok = cmds
        .iter()
        .map(|(k, cmd)| {
            let cmd = cmd.as_str().unwrap_or_default();
            // The ids the command asks for, in their order of number.
            let asked: BTreeSet<usize> = cmd
                .match_indices(ID_PREFIX)
                .filter_map(|(at, p)| cmd.get(at + p.len()..at + p.len() + 8)?.parse().ok())
                .collect();
            let rows: Vec<Value> = asked
                .into_iter()
                .filter(|i| *i < all && running.contains(i))
                .map(row_json)
                .collect();
            (k.clone(), Value::Array(rows))
        })
        .collect();
    answer(ok, &[])
}

/// `true` for every command of `request` but those in `failing` (empty
/// code, a message).
fn acted(request: &BatchRequest, failing: &[usize]) -> BatchResponse {
    let keys: Vec<String> = request.keys().map(str::to_owned).collect();
    let ok = keys
        .iter()
        .enumerate()
        .filter(|(i, _)| !failing.contains(i))
        .map(|(_, k)| (k.clone(), Value::Bool(true)))
        .collect();
    let err: Vec<(String, &str)> = failing
        .iter()
        .map(|i| (keys[*i].clone(), "Workflow is locked"))
        .collect();
    answer(ok, &err)
}

fn rows_target(ids: &[usize]) -> Target {
    Target {
        selection: Selection::Rows(ids.iter().map(|i| id(*i)).collect()),
        filters: Filters::new(),
        seen: Vec::new(),
    }
}

fn resolve(fx: &[ActEffect]) -> (u64, BatchRequest) {
    match fx {
        [.., ActEffect::Resolve { seq, request }] => (*seq, request.clone()),
        other => panic!("no resolving request: {other:?}"),
    }
}

/// The run's request in `fx`: an action batch or journal write (`Send`),
/// or a recheck (`Reread`).
fn send(fx: &[ActEffect]) -> (u64, BatchRequest) {
    match fx
        .iter()
        .find(|e| matches!(e, ActEffect::Send { .. } | ActEffect::Repeatable { .. }))
        .cloned()
    {
        Some(ActEffect::Send { seq, request } | ActEffect::Repeatable { seq, request }) => {
            (seq, request)
        }
        _ => panic!("nothing sent: {fx:?}"),
    }
}

fn sent_ids(request: &BatchRequest) -> Vec<String> {
    request.to_params()["cmd"]
        .as_object()
        .expect("commands")
        .values()
        .map(|c| {
            let c = c.as_str().unwrap_or_default();
            let start = c.find("ID=").expect("an ID") + 3;
            c[start..].split('&').next().unwrap_or_default().to_owned()
        })
        .collect()
}

/// `event`, and when it asks for the run lease, the lease granted.
fn step(acting: &mut Acting, event: ActEvent) -> Vec<ActEffect> {
    let fx = acting.update(event, Lang::En, None, AT);
    if fx == [ActEffect::Claim] {
        return acting.update(ActEvent::Claimed(Ok(())), Lang::En, None, AT);
    }
    fx
}

/// The run's request `seq` answered with `result`.
fn sent(acting: &mut Acting, seq: u64, result: Result<BatchResponse, RestError>) -> Vec<ActEffect> {
    acting.update(ActEvent::Sent { seq, result }, Lang::En, None, AT)
}

/// The confirm button, the lease granted.
fn confirm(acting: &mut Acting) -> Vec<ActEffect> {
    step(acting, ActEvent::Confirm)
}

fn confirming(acting: &Acting) -> &Confirming {
    match acting.stage() {
        Stage::Confirming(c) => c,
        other => panic!("not confirming: {other:?}"),
    }
}

/// Selected rows 0..n resolved with `running` still running: the flow in
/// its confirmation.
fn confirmed_rows(kind: ActionKind, n: usize, running: &BTreeSet<usize>) -> Acting {
    let mut acting = Acting::default();
    let all: Vec<usize> = (0..n).collect();
    let mut fx = acting.begin(kind, rows_target(&all), AT);
    while let Some(ActEffect::Resolve { seq, request }) = fx.last().cloned() {
        let result = Ok(reread_answer(&request, running, n));
        fx = acting.update(
            ActEvent::Resolved { seq, result },
            Lang::En,
            Some("Ann Lee"),
            AT,
        );
    }
    acting
}

#[test]
fn stop_rereads_the_selected_rows_confirms_what_still_runs_and_sends_only_that() {
    let mut acting = Acting::default();
    let fx = acting.begin(ActionKind::Stop, rows_target(&[0, 1, 2]), AT);
    let (seq, request) = resolve(&fx);
    let cmds = request.to_params()["cmd"].clone();
    assert_eq!(
        cmds.as_object().map(Map::len),
        Some(3),
        "one re-read per row"
    );
    assert!(acting
        .update(ActEvent::Confirm, Lang::En, None, AT)
        .is_empty());
    // Row 1 finished meanwhile.
    let running: BTreeSet<usize> = [0, 2].into();
    let result = Ok(reread_answer(&request, &running, 3));
    let fx = acting.update(
        ActEvent::Resolved { seq, result },
        Lang::En,
        Some("Ann Lee"),
        AT,
    );
    assert!(fx.is_empty(), "nothing is sent before the confirmation");
    let c = confirming(&acting);
    assert_eq!(c.count(), 2);
    assert_eq!(c.finished, vec![id(1)]);
    assert_eq!(c.status, "Stopped in Workflow Monitor by Ann Lee");
    assert!(c.can_confirm(), "a stop needs no typed count");
    acting.update(
        ActEvent::StatusText("Cleanup <b>".into()),
        Lang::En,
        None,
        AT,
    );
    let fx = confirm(&mut acting);
    let (seq, request) = send(&fx);
    assert_eq!(sent_ids(&request), [id(0).as_str(), id(2).as_str()]);
    let cmds = request.to_params()["cmd"].to_string();
    assert!(cmds.contains("bizproc.workflow.terminate"), "{cmds}");
    assert!(cmds.contains("STATUS=Cleanup%20%3Cb%3E"), "{cmds}");
    assert!(
        acting
            .update(ActEvent::Confirm, Lang::En, None, AT)
            .is_empty(),
        "a second click sends nothing"
    );
    let fx = sent(&mut acting, seq, Ok(acted(&request, &[])));
    assert_eq!(fx, vec![ActEffect::Release, ActEffect::Refresh]);
    let Stage::Finished(run) = acting.stage() else {
        panic!("not finished: {:?}", acting.stage());
    };
    let t = run.job.tally();
    assert_eq!((t.done, t.already_finished), (2, 1));
}

#[test]
fn all_matching_lists_the_filtered_set_and_looks_up_a_seen_row_that_vanished() {
    let mut filters = Filters::new();
    filters.set(Filter::StartedBy(UserId(1)));
    let target = Target {
        selection: Selection::AllMatching {
            filters: filters.clone(),
            total: 4,
        },
        filters,
        seen: vec![id(0), id(1), id(2)],
    };
    let mut acting = Acting::default();
    let fx = acting.begin(ActionKind::Delete, target, AT);
    let (seq, request) = resolve(&fx);
    let c0 = request.to_params()["cmd"]["c0"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(c0.contains("filter[STARTED_BY]=1"), "{c0}");
    assert!(c0.contains("order[ID]=ASC"), "{c0}");
    // Row 1 is gone; rows 5 and 6 started since and match.
    let listed: Vec<Value> = [0, 2, 3, 5, 6].into_iter().map(row_json).collect();
    let mut ok = vec![("c0".to_owned(), Value::Array(listed))];
    ok.extend((1..50).map(|i| (format!("c{i}"), json!([]))));
    let fx = acting.update(
        ActEvent::Resolved {
            seq,
            result: Ok(answer(ok, &[])),
        },
        Lang::En,
        None,
        AT,
    );
    let (seq, request) = resolve(&fx);
    assert_eq!(
        request.to_params()["cmd"].as_object().map(Map::len),
        Some(1),
        "only the vanished row is looked up"
    );
    let result = Ok(reread_answer(&request, &BTreeSet::new(), 7));
    acting.update(ActEvent::Resolved { seq, result }, Lang::En, None, AT);
    let c = confirming(&acting);
    assert_eq!(c.count(), 5);
    assert_eq!(c.finished, vec![id(1)]);
    assert_eq!((c.selected, c.added, c.fewer), (4, 2, 0));
    assert!(c.needs_typed_count());
    assert!(!c.can_confirm());
    assert!(acting
        .update(ActEvent::Confirm, Lang::En, None, AT)
        .is_empty());
    acting.update(ActEvent::Typed("4".into()), Lang::En, None, AT);
    assert!(
        acting
            .update(ActEvent::Confirm, Lang::En, None, AT)
            .is_empty(),
        "a wrong count keeps the button off"
    );
    acting.update(ActEvent::Typed(" 5 ".into()), Lang::En, None, AT);
    let fx = confirm(&mut acting);
    let (_, request) = send(&fx);
    let want: Vec<String> = [0, 2, 3, 5, 6]
        .into_iter()
        .map(|i| id(i).as_str().to_owned())
        .collect();
    assert_eq!(sent_ids(&request), want, "only the re-listed set");
    assert!(request.to_params()["cmd"]
        .to_string()
        .contains("bizproc.workflow.kill"));
}

#[test]
fn pause_holds_the_next_batch_and_cancel_reports_the_rest_not_attempted() {
    let running: BTreeSet<usize> = (0..120).collect();
    let mut acting = confirmed_rows(ActionKind::Stop, 120, &running);
    let fx = confirm(&mut acting);
    let (seq, first) = send(&fx);
    assert_eq!(sent_ids(&first).len(), 50);
    assert!(acting
        .update(ActEvent::Pause, Lang::En, None, AT)
        .is_empty());
    let fx = sent(&mut acting, seq, Ok(acted(&first, &[])));
    assert!(fx.is_empty(), "paused: nothing more goes");
    let fx = step(&mut acting, ActEvent::Resume);
    let (seq, second) = send(&fx);
    assert_eq!(sent_ids(&second)[0], id(50).as_str());
    assert!(
        acting
            .update(ActEvent::Cancel, Lang::En, None, AT)
            .is_empty(),
        "the batch in flight finishes"
    );
    let fx = sent(&mut acting, seq, Ok(acted(&second, &[])));
    assert_eq!(fx, vec![ActEffect::Release, ActEffect::Refresh]);
    let Stage::Finished(run) = acting.stage() else {
        panic!("not finished");
    };
    assert_eq!(run.job.tally().not_attempted, 20);
    assert_eq!(run.job.tally().done, 100);
}

#[test]
fn a_lost_request_is_rechecked_and_what_still_runs_goes_again_once_the_list_says_so() {
    let running: BTreeSet<usize> = (0..3).collect();
    let mut acting = confirmed_rows(ActionKind::Delete, 3, &running);
    acting.update(ActEvent::Typed("3".into()), Lang::En, None, AT);
    let (seq, _) = send(&confirm(&mut acting));
    let fx = sent(
        &mut acting,
        seq,
        Err(RestError::Timeout { after_ms: 30_000 }),
    );
    let (seq, recheck) = send(&fx);
    let cmds = recheck.to_params()["cmd"].to_string();
    assert!(cmds.contains("bizproc.workflow.instances"), "{cmds}");
    assert!(!cmds.contains("kill"), "a read, not the action again");
    // Row 0 was deleted by the lost request; 1 and 2 still run.
    let still: BTreeSet<usize> = [1, 2].into();
    let fx = sent(&mut acting, seq, Ok(reread_answer(&recheck, &still, 3)));
    let (seq, again) = send(&fx);
    assert_eq!(sent_ids(&again), [id(1).as_str(), id(2).as_str()]);
    let fx = sent(&mut acting, seq, Ok(acted(&again, &[1])));
    // Row 2's empty-code failure is rechecked too.
    let (seq, recheck) = send(&fx);
    let fx = sent(
        &mut acting,
        seq,
        Ok(reread_answer(&recheck, &[2].into(), 3)),
    );
    assert_eq!(fx, vec![ActEffect::Release, ActEffect::Refresh]);
    let Stage::Finished(run) = acting.stage() else {
        panic!("not finished");
    };
    let t = run.job.tally();
    assert_eq!((t.done, t.failed), (2, 1));
    assert_eq!(run.job.failed(), vec![id(2)]);
}

#[test]
fn a_recheck_that_fails_acts_on_nothing_and_says_why() {
    let mut acting = Acting::default();
    let (seq, _) = resolve(&acting.begin(ActionKind::Stop, rows_target(&[0]), AT));
    let result = Err(RestError::Timeout { after_ms: 30_000 });
    let fx = acting.update(ActEvent::Resolved { seq, result }, Lang::En, None, AT);
    assert!(fx.is_empty());
    assert!(matches!(acting.stage(), Stage::Failed { message, .. } if !message.is_empty()));
    assert!(acting
        .update(ActEvent::Confirm, Lang::En, None, AT)
        .is_empty());
}

#[test]
fn closing_during_the_recheck_aborts_it_and_its_late_answer_is_dropped() {
    let mut acting = Acting::default();
    let (seq, request) = resolve(&acting.begin(ActionKind::Stop, rows_target(&[0]), AT));
    assert_eq!(
        acting.update(ActEvent::Close, Lang::En, None, AT),
        vec![ActEffect::AbortResolve]
    );
    let result = Ok(reread_answer(&request, &[0].into(), 1));
    acting.update(ActEvent::Resolved { seq, result }, Lang::En, None, AT);
    assert_eq!(acting.stage(), &Stage::Idle);
}

#[test]
fn nothing_selected_starts_nothing_and_a_run_under_way_cannot_be_replaced() {
    let mut acting = Acting::default();
    let empty = Target {
        selection: Selection::Empty,
        filters: Filters::new(),
        seen: Vec::new(),
    };
    assert!(acting.begin(ActionKind::Stop, empty, AT).is_empty());
    let mut acting = confirmed_rows(ActionKind::Stop, 2, &[0, 1].into());
    send(&confirm(&mut acting));
    assert!(acting
        .begin(ActionKind::Delete, rows_target(&[0]), AT)
        .is_empty());
    assert!(acting.is_running());
}

#[test]
fn the_report_downloads_with_a_name_that_says_what_and_when() {
    let mut acting = confirmed_rows(ActionKind::Stop, 2, &[0].into());
    let (seq, request) = send(&confirm(&mut acting));
    sent(&mut acting, seq, Ok(acted(&request, &[])));
    let fx = acting.update(ActEvent::DownloadReport, Lang::En, None, AT);
    let [ActEffect::Download { name, content }] = fx.as_slice() else {
        panic!("no download: {fx:?}");
    };
    assert_eq!(name, "workflows-stopped-2026-01-01-0300.csv");
    assert!(content.contains(&format!("{},stopped,", id(0).as_str())));
    assert!(content.contains(&format!("{},already finished,", id(1).as_str())));
}

#[test]
fn retry_failed_targets_exactly_the_failed_rows() {
    let mut acting = confirmed_rows(ActionKind::Stop, 3, &[0, 1, 2].into());
    let (seq, request) = send(&confirm(&mut acting));
    let fx = sent(&mut acting, seq, Ok(acted(&request, &[2])));
    let (seq, recheck) = send(&fx);
    sent(
        &mut acting,
        seq,
        Ok(reread_answer(&recheck, &[2].into(), 3)),
    );
    let (kind, target) = acting
        .retry_target(&Filters::new())
        .expect("a failed row to retry");
    assert_eq!(kind, ActionKind::Stop);
    assert_eq!(target.selection, Selection::Rows([id(2)].into()));
}

#[test]
fn another_tabs_run_blocks_the_start_and_a_double_click_asks_once() {
    let mut acting = confirmed_rows(ActionKind::Stop, 2, &[0, 1].into());
    assert_eq!(
        acting.update(ActEvent::Confirm, Lang::En, None, AT),
        vec![ActEffect::Claim]
    );
    assert!(
        acting
            .update(ActEvent::Confirm, Lang::En, None, AT)
            .is_empty(),
        "a second click while the lease is asked sends nothing"
    );
    let fx = acting.update(ActEvent::Claimed(Err(90)), Lang::En, None, AT);
    assert!(fx.is_empty(), "nothing is sent: {fx:?}");
    assert_eq!(confirming(&acting).blocked, Some(90));
    // Once the other tab is done, the same confirmation starts.
    let (_, request) = send(&confirm(&mut acting));
    assert_eq!(sent_ids(&request).len(), 2);
    // A late, repeated grant starts nothing more.
    assert!(acting
        .update(ActEvent::Claimed(Ok(())), Lang::En, None, AT)
        .is_empty());
}

/// `confirmed_rows` with `history` known, and the record the screen
/// prepares right before the start.
fn confirmed_with_history(n: usize, history: Option<Availability>) -> Acting {
    let all: BTreeSet<usize> = (0..n).collect();
    let mut acting = Acting::default();
    if let Some(h) = history {
        acting.set_history(h);
    }
    let mut fx = acting.begin(
        ActionKind::Stop,
        rows_target(&all.iter().copied().collect::<Vec<_>>()),
        AT,
    );
    while let Some(ActEffect::Resolve { seq, request }) = fx.last().cloned() {
        let result = Ok(reread_answer(&request, &all, n));
        fx = acting.update(ActEvent::Resolved { seq, result }, Lang::En, None, AT);
    }
    if let Some(rows) = acting.to_snapshot() {
        let snaps = rows
            .iter()
            .map(|r| Snapshot::of(r, "Approval", "Ann Lee", "Deal"))
            .collect();
        let who = Who {
            id: UserId(7),
            name: "Ann Lee".into(),
        };
        acting.prepare_record(who, snaps);
    }
    acting
}

fn keys(request: &BatchRequest) -> Vec<String> {
    request.keys().map(str::to_owned).collect()
}

/// `true` for every command (journal writes answer item ids).
fn all_ok(request: &BatchRequest) -> BatchResponse {
    let ok = request
        .keys()
        .enumerate()
        .map(|(i, k)| {
            let v = if k.starts_with('h') {
                json!(100 + i)
            } else {
                json!(true)
            };
            (k.to_owned(), v)
        })
        .collect();
    answer(ok, &[])
}

#[test]
fn a_recorded_run_writes_its_journal_first_then_outcomes_inside_its_batches() {
    let n = 150;
    let mut acting = confirmed_with_history(n, Some(Availability::Ready));
    assert!(confirming(&acting).history.is_none(), "no warning");
    let fx = confirm(&mut acting);
    let (seq, start) = send(&fx);
    assert_eq!(
        keys(&start),
        ["h_run", "h0"],
        "header and snapshots, nothing else"
    );
    assert_eq!(
        start.to_params()["halt"],
        json!(1),
        "halting at a failed write"
    );
    let fx = sent(&mut acting, seq, Ok(all_ok(&start)));
    let (seq, first) = send(&fx);
    let k = keys(&first);
    assert_eq!(k.len(), 50, "no outcome to write yet: all 50 act");
    assert!(
        k.iter().all(|k| k.starts_with('c')),
        "no outcome known yet: {k:?}"
    );
    // The request is lost: its workflows are rechecked (all gone: done).
    let fx = sent(
        &mut acting,
        seq,
        Err(RestError::Network {
            detail: "reset".into(),
        }),
    );
    assert!(
        matches!(fx.as_slice(), [ActEffect::Repeatable { .. }]),
        "the recheck is a read, retried as reads are: {fx:?}"
    );
    let (seq, recheck) = send(&fx);
    let fx = sent(
        &mut acting,
        seq,
        Ok(reread_answer(&recheck, &BTreeSet::new(), n)),
    );
    let (seq, second) = send(&fx);
    let k = keys(&second);
    assert_eq!(k[0], "h1", "the 49 outcomes go first: {k:?}");
    assert_eq!(k.len(), 50);
    // Its journal write fails: the run pauses, saying why.
    let ok: Vec<(String, Value)> = k[1..].iter().map(|k| (k.clone(), json!(true))).collect();
    let refused = answer(ok, &[("h1".to_owned(), "Storage is full")]);
    let fx = sent(&mut acting, seq, Ok(refused));
    assert!(
        !fx.iter().any(|e| matches!(e, ActEffect::Send { .. })),
        "{fx:?}"
    );
    let Stage::Running(run) = acting.stage() else {
        panic!("still running");
    };
    assert_eq!(run.job.phase(), Phase::Paused);
    assert!(run
        .history_problem()
        .is_some_and(|p| p.contains("Storage is full")));
    // Resumed, the refused outcomes go again, first.
    let mut fx = step(&mut acting, ActEvent::Resume);
    let mut last = Vec::new();
    let mut written = 0;
    while let Some(ActEffect::Send { seq, request } | ActEffect::Repeatable { seq, request }) = fx
        .iter()
        .find(|e| matches!(e, ActEffect::Send { .. } | ActEffect::Repeatable { .. }))
        .cloned()
    {
        last = keys(&request);
        written += request.to_params().to_string().matches("%22d%22").count();
        fx = sent(&mut acting, seq, Ok(all_ok(&request)));
    }
    assert_eq!(
        last.last().map(String::as_str),
        Some("h_end"),
        "closed last: {last:?}"
    );
    assert_eq!(written, n, "every outcome written once after the refusal");
    assert!(fx.contains(&ActEffect::Refresh));
    assert!(matches!(acting.stage(), Stage::Finished(_)));
}

#[test]
fn a_recorded_run_of_2500_acts_in_51_batches_with_every_outcome_written() {
    let n = 2_500;
    let mut acting = confirmed_with_history(n, Some(Availability::Ready));
    let mut fx = confirm(&mut acting);
    let (mut batches, mut sizes, mut written) = (0, Vec::new(), 0);
    while let Some(ActEffect::Send { seq, request } | ActEffect::Repeatable { seq, request }) = fx
        .iter()
        .find(|e| matches!(e, ActEffect::Send { .. } | ActEffect::Repeatable { .. }))
        .cloned()
    {
        let actions = keys(&request).iter().filter(|k| k.starts_with('c')).count();
        if actions > 0 {
            batches += 1;
            sizes.push(actions);
            assert!(keys(&request).len() <= 50);
        }
        written += request.to_params().to_string().matches("%22d%22").count();
        fx = sent(&mut acting, seq, Ok(all_ok(&request)));
    }
    assert_eq!(batches, 51, "{sizes:?}");
    assert_eq!(sizes[0], 50, "the first batch has no outcome to carry");
    assert!(sizes[1..].iter().all(|&s| s == 49), "{sizes:?}");
    assert_eq!(written, n, "every outcome written once");
    assert!(matches!(acting.stage(), Stage::Finished(_)));
}

#[test]
fn a_journal_that_cannot_be_started_brings_the_confirmation_back_with_a_warning() {
    let mut acting = confirmed_with_history(3, None);
    let fx = confirm(&mut acting);
    let (seq, start) = send(&fx);
    let refused = answer(vec![], &[("h_run".to_owned(), "no room")]);
    let fx = sent(&mut acting, seq, Ok(refused));
    assert_eq!(fx, vec![ActEffect::Release], "nothing acted on");
    let c = confirming(&acting);
    assert!(
        c.history
            .as_deref()
            .is_some_and(|w| w.contains("cannot be recorded")),
        "{c:?}"
    );
    assert_eq!(keys(&start), ["h_run", "h0"]);
    // Confirmed again, it acts without a journal, 50 a request.
    let fx = confirm(&mut acting);
    let (_, batch) = send(&fx);
    assert_eq!(keys(&batch), ["c0", "c1", "c2"]);
}

#[test]
fn without_history_the_confirmation_says_so_and_the_run_keeps_no_journal() {
    use super::super::history::storage::Unavailable;
    let mut acting = Acting::default();
    acting.set_history(Availability::Unavailable(Unavailable::NoScope));
    let fx = acting.begin(ActionKind::Stop, rows_target(&[0, 1]), AT);
    let (seq, reread) = resolve(&fx);
    let select = reread.to_params().to_string();
    assert!(
        !select.contains("MODIFIED"),
        "only what the confirmation needs: {select}"
    );
    let all: BTreeSet<usize> = [0, 1].into();
    acting.update(
        ActEvent::Resolved {
            seq,
            result: Ok(reread_answer(&reread, &all, 2)),
        },
        Lang::En,
        None,
        AT,
    );
    assert!(acting.to_snapshot().is_none(), "nothing to snapshot");
    let c = confirming(&acting);
    assert!(
        c.history.as_deref().is_some_and(|w| w.contains("entity")),
        "{c:?}"
    );
    let fx = confirm(&mut acting);
    assert_eq!(keys(&send(&fx).1), ["c0", "c1"]);
}

#[test]
fn a_portal_without_the_storage_gets_it_made_before_the_first_run() {
    let mut acting = confirmed_with_history(2, Some(Availability::NeedsSetup));
    let fx = confirm(&mut acting);
    let (seq, setup) = send(&fx);
    assert!(setup.to_params().to_string().contains("entity.add"));
    let fx = sent(&mut acting, seq, Ok(all_ok(&setup)));
    assert_eq!(keys(&send(&fx).1), ["h_run", "h0"]);
}
