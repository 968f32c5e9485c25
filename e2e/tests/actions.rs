//! Acting on workflows, end to end: select rows (one by one, a page, all
//! matching), the recheck, the confirmation, the run with its progress,
//! Pause and Cancel, the per-row outcome, Retry failed — and the
//! emulator's log of every terminate and kill it ran, which must hold
//! exactly the confirmed set, each workflow once. Each test would fail
//! without the feature it names.

use std::collections::{BTreeMap, BTreeSet};

use e2e::app::app_dist;
use e2e::portal_emulator::state::{ActionEntry, ActionOutcome};
use e2e::table::TablePage;
use e2e::{config_serving, wait_for, Harness, HarnessError, Result};
use portal_emulator::Config;
use serde_json::{json, Value};

fn config(workflows: usize) -> Result<Config> {
    let mut config = config_serving(&app_dist()?);
    config.workflows = workflows;
    Ok(config)
}

/// Opens the app and waits for its first rows; their IDs.
async fn open(h: &Harness) -> Result<Vec<String>> {
    h.portal().open().await?;
    let table = TablePage::of(h);
    wait_for("the first rows", || async {
        let ids = table.ids().await?;
        Ok((!ids.is_empty()).then_some(ids))
    })
    .await
}

/// Ticks the checkboxes of `ids` ("Select workflow <ID>").
async fn select(table: &TablePage<'_>, ids: &[String]) -> Result<()> {
    for id in ids {
        table
            .set_checked(&format!("Select workflow {id}"), true)
            .await?;
    }
    Ok(())
}

/// Runs `script` in the app frame.
async fn app(h: &Harness, script: &str, args: Vec<Value>) -> Result<Value> {
    h.portal().in_app(script, args).await
}

/// The text of the dialog, or `None` while there is none.
async fn dialog(h: &Harness) -> Result<Option<Value>> {
    let v = app(
        h,
        "const d = document.querySelector('[role=dialog]');
         if (!d) return null;
         const confirm = Array.from(d.querySelectorAll('button')).pop();
         return {
           modal: d.getAttribute('aria-modal'),
           text: d.textContent.replace(/\\s+/g, ' ').trim(),
           button: confirm.textContent.trim(),
           enabled: !confirm.disabled,
           focus_inside: d.contains(document.activeElement),
         };",
        vec![],
    )
    .await?;
    Ok((!v.is_null()).then_some(v))
}

async fn wait_dialog(h: &Harness) -> Result<Value> {
    wait_for("the confirmation dialog", || dialog(h)).await
}

/// The run's result panel's text, once there.
async fn wait_result(h: &Harness) -> Result<String> {
    wait_for("the result panel", || async {
        let v = app(
            h,
            "const r = document.querySelector('.wm-run--result');
             return r ? r.textContent.replace(/\\s+/g, ' ').trim() : null;",
            vec![],
        )
        .await?;
        Ok(v.as_str().map(str::to_owned))
    })
    .await
}

/// The action bar's text, or empty when there is none.
async fn toolbar(h: &Harness) -> Result<String> {
    let v = app(
        h,
        "const t = document.querySelector('.wm-selbar[role=toolbar]');
         return t ? t.textContent.replace(/\\s+/g, ' ').trim() : '';",
        vec![],
    )
    .await?;
    Ok(v.as_str().unwrap_or_default().to_owned())
}

/// Every action the emulator ran, by workflow ID: how many times, the
/// statuses sent, the outcomes.
fn by_id(actions: &[ActionEntry]) -> BTreeMap<String, Vec<&ActionEntry>> {
    let mut map: BTreeMap<String, Vec<&ActionEntry>> = BTreeMap::new();
    for a in actions {
        map.entry(a.id.clone()).or_default().push(a);
    }
    map
}

#[tokio::test]
async fn stop_three_selected_rows_with_a_status_text_sends_exactly_those_three_once() -> Result<()>
{
    let h = Harness::start("actions-stop", config(40)?).await?;
    let ids = open(&h).await?;
    let table = TablePage::of(&h);
    let chosen: Vec<String> = ids[..3].to_vec();
    for id in &chosen {
        table
            .set_checked(&format!("Select workflow {id}"), true)
            .await?;
    }
    let bar = toolbar(&h).await?;
    assert!(bar.starts_with("3 selected"), "{bar}");
    table
        .wait_role_text("status", "3 selected")
        .await
        .map_err(|e| HarnessError::Unexpected(format!("the count is announced: {e}")))?;
    // The selection survives a sort.
    table.click_header("Started").await?;
    table.wait_aria_sort("Started", "ascending").await.ok();
    assert!(toolbar(&h).await?.starts_with("3 selected"));

    table.press("Stop…").await?;
    let d = wait_dialog(&h).await?;
    assert_eq!(d["modal"], json!("true"));
    assert_eq!(d["focus_inside"], json!(true), "the focus moved in: {d}");
    let text = d["text"].as_str().unwrap_or_default();
    assert!(text.contains("3 workflows will be stopped."), "{text}");
    assert!(text.contains("Status text"), "{text}");
    assert_eq!(d["button"], json!("Stop 3 workflows"));
    assert!(
        h.control.actions().await?.is_empty(),
        "nothing before the click"
    );
    table.fill("Status text", "Cleanup by <b>QA</b>").await?;
    table.press("Stop 3 workflows").await?;
    let result = wait_result(&h).await?;
    assert!(result.contains("stopped: 3"), "{result}");

    let actions = h.control.actions().await?;
    let seen = by_id(&actions);
    let want: BTreeSet<&String> = chosen.iter().collect();
    assert_eq!(seen.keys().collect::<BTreeSet<_>>(), want, "{actions:?}");
    for (id, calls) in &seen {
        assert_eq!(calls.len(), 1, "{id} was sent once: {calls:?}");
        assert_eq!(calls[0].method, "bizproc.workflow.terminate");
        assert_eq!(calls[0].status.as_deref(), Some("Cleanup by <b>QA</b>"));
        assert_eq!(calls[0].outcome, ActionOutcome::Ok);
    }
    // The run is in the portal's history: its header closed as finished
    // with the status text, a snapshot and an outcome for each of the 3.
    let items = h.control.entity_items("wmruns").await?;
    let props = |kind: &str| -> Vec<Value> {
        items
            .iter()
            .filter(|i| i["PROPERTY_VALUES"]["KIND"] == json!(kind))
            .map(|i| i["PROPERTY_VALUES"].clone())
            .collect()
    };
    let runs = props("run");
    assert_eq!(runs.len(), 1, "one run recorded: {items:?}");
    assert_eq!(runs[0]["STATE"], json!("finished"), "{runs:?}");
    let header = runs[0]["DATA"].as_str().unwrap_or_default();
    assert!(header.contains("Cleanup by <b>QA</b>"), "{header}");
    let chunks: String = props("rows")
        .iter()
        .map(|p| p["DATA"].as_str().unwrap_or_default().to_owned())
        .collect();
    for id in &chosen {
        assert_eq!(
            chunks.matches(&format!("[\"{id}\",\"d\"]")).count(),
            1,
            "{id} recorded stopped once: {chunks}"
        );
    }
    // The table refreshed: the stopped rows are gone, and so is the bar.
    wait_for("the stopped rows to leave the table", || async {
        let now = table.ids().await?;
        Ok((!now.iter().any(|i| chosen.contains(i))).then_some(()))
    })
    .await?;
    assert_eq!(toolbar(&h).await?, "", "nothing selected any more");
    h.finish().await
}

#[tokio::test]
async fn all_matching_rechecks_the_set_and_a_delete_needs_the_typed_count() -> Result<()> {
    let h = Harness::start("actions-all-matching", config(120)?).await?;
    let ids = open(&h).await?;
    let table = TablePage::of(&h);
    table.set_checked("Select all on this page", true).await?;
    table.press("Select all 120 matching").await?;
    let bar = toolbar(&h).await?;
    assert!(
        bar.starts_with("All 120 matching the filters selected"),
        "{bar}"
    );
    // One seen row ends before the click; another right after the
    // recheck's listing answers, so between the listing and the action.
    let gone_before = ids[1].clone();
    let gone_between = ids[2].clone();
    h.control
        .post(
            "/_emulator/workflows/finish",
            &json!({"ids": [gone_before]}),
        )
        .await?;
    // The re-listed set: what runs now (the oracle's own read).
    let relisted: BTreeSet<String> = h
        .emulator
        .state
        .store()
        .rows()
        .iter()
        .map(|w| w.id.clone())
        .collect();
    h.control.finish_after_list(&[&gone_between]).await?;
    table.press("Delete…").await?;
    let d = wait_dialog(&h).await?;
    let text = d["text"].as_str().unwrap_or_default().to_owned();
    assert!(text.contains("119 workflows will be deleted."), "{text}");
    assert!(text.contains("cannot be undone"), "{text}");
    assert!(
        text.contains("1 workflow finished since you selected them"),
        "{text}"
    );
    assert_eq!(d["button"], json!("Delete 119 workflows"));
    assert_eq!(d["enabled"], json!(false), "the count is not typed yet");
    table.fill("Type 119 to confirm", "5").await?;
    assert_eq!(
        wait_dialog(&h).await?["enabled"],
        json!(false),
        "a wrong count keeps it off"
    );
    table.fill("Type 119 to confirm", "119").await?;
    assert_eq!(wait_dialog(&h).await?["enabled"], json!(true));
    table.press("Delete 119 workflows").await?;
    let result = wait_result(&h).await?;
    let actions = h.control.actions().await?;
    let seen = by_id(&actions);
    assert!(
        !seen.contains_key(&gone_before),
        "never sent: {gone_before}"
    );
    for (id, calls) in &seen {
        assert!(relisted.contains(id), "{id} is outside the re-listed set");
        assert_eq!(calls.len(), 1, "{id} sent once: {calls:?}");
        assert_eq!(calls[0].method, "bizproc.workflow.kill");
    }
    assert_eq!(seen.len(), 119);
    // The one that ended in between is reported, as is the one before.
    assert!(result.contains("deleted: 118"), "{result}");
    assert!(result.contains("already finished: 2"), "{result}");
    h.finish().await
}

#[tokio::test]
async fn pause_holds_the_run_and_cancel_reports_the_rest_not_attempted() -> Result<()> {
    let h = Harness::start("actions-pause-cancel", config(400)?).await?;
    open(&h).await?;
    let table = TablePage::of(&h);
    table.set_checked("Select all on this page", true).await?;
    table.press("Select all 400 matching").await?;
    table.press("Stop…").await?;
    wait_dialog(&h).await?;
    // A second per command: each batch of 50 takes 2.5 s.
    h.control.batch_command_latency(50).await?;
    table.press("Stop 400 workflows").await?;
    wait_for("the progress bar", || async {
        let v = app(
            &h,
            "const p = document.querySelector('[role=progressbar]');
             return p ? p.getAttribute('aria-valuemax') : null;",
            vec![],
        )
        .await?;
        Ok(v.as_str().map(str::to_owned))
    })
    .await?;
    // The confirm button went with its dialog: the focus is on Pause.
    wait_for("the focus on Pause", || async {
        let v = app(&h, "return document.activeElement.id;", vec![]).await?;
        Ok((v == json!("wm-run-pause")).then_some(()))
    })
    .await?;
    // The journal is written first; Pause once the first batch acts.
    wait_for("the first batch to act", || async {
        Ok((!h.control.actions().await?.is_empty()).then_some(()))
    })
    .await?;
    table.press("Pause").await?;
    // The batch in flight finishes; then nothing more goes.
    let held = wait_for("the run to hold", || async {
        let a = h.control.actions().await?.len();
        tokio::time::sleep(std::time::Duration::from_secs(3)).await;
        let b = h.control.actions().await?.len();
        Ok((a == b && b > 0).then_some(b))
    })
    .await?;
    assert!(held < 400, "paused before the end: {held}");
    let line = app(
        &h,
        "return document.querySelector('.wm-run__line').textContent;",
        vec![],
    )
    .await?;
    assert!(
        line.as_str()
            .unwrap_or_default()
            .starts_with("Paused after"),
        "{line}"
    );
    table.press("Resume").await?;
    wait_for("the run to go on", || async {
        Ok((h.control.actions().await?.len() > held).then_some(()))
    })
    .await?;
    table.press("Cancel").await?;
    let result = wait_result(&h).await?;
    // The progress bar's buttons went: the focus is on the result's title.
    wait_for("the focus on the result", || async {
        let v = app(&h, "return document.activeElement.id;", vec![]).await?;
        Ok((v == json!("wm-run-title")).then_some(()))
    })
    .await?;
    let sent = h.control.actions().await?.len();
    assert!(sent < 400, "cancelled before the end: {sent}");
    assert!(
        result.contains(&format!("not attempted: {}", 400 - sent)),
        "{result} after {sent} sent"
    );
    assert!(result.contains(&format!("stopped: {sent}")), "{result}");
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    assert_eq!(
        h.control.actions().await?.len(),
        sent,
        "nothing after Cancel"
    );
    h.finish().await
}

#[tokio::test]
async fn a_failure_shows_the_portals_message_and_retry_failed_acts_on_it_alone() -> Result<()> {
    let h = Harness::start("actions-retry", config(20)?).await?;
    let ids = open(&h).await?;
    let table = TablePage::of(&h);
    select(&table, &ids[..2]).await?;
    let failing = ids[1].clone();
    h.control
        .fail_stop(&[(&failing, "Workflow is <i>locked</i> by another process")])
        .await?;
    table.press("Stop…").await?;
    wait_dialog(&h).await?;
    table.press("Stop 2 workflows").await?;
    let result = wait_result(&h).await?;
    assert!(result.contains("stopped: 1"), "{result}");
    assert!(result.contains("failed: 1"), "{result}");
    let failed_row = app(
        &h,
        "const r = document.querySelector('.wm-run__failed tbody tr');
         return r ? [r.cells[0].textContent, r.cells[1].textContent, r.querySelectorAll('i').length] : null;",
        vec![],
    )
    .await?;
    assert_eq!(
        failed_row,
        json!([failing, "Workflow is <i>locked</i> by another process", 0]),
        "the failed row with the portal's message, as text"
    );
    h.control.set_knobs(&json!({"fail_stop": {}})).await?;
    table.press("Retry failed").await?;
    let d = wait_dialog(&h).await?;
    assert_eq!(d["button"], json!("Stop 1 workflow"));
    table.press("Stop 1 workflow").await?;
    let result = wait_result(&h).await?;
    assert!(result.contains("stopped: 1"), "{result}");
    let calls: Vec<ActionEntry> = h
        .control
        .actions()
        .await?
        .into_iter()
        .filter(|a| a.id == failing)
        .collect();
    assert_eq!(calls.len(), 2, "failed once, then stopped: {calls:?}");
    assert_eq!(calls[1].outcome, ActionOutcome::Ok);
    assert_eq!(
        h.control.actions().await?.len(),
        3,
        "the first row was not sent again"
    );
    h.finish().await
}

#[tokio::test]
async fn escape_cancels_the_dialog_sends_nothing_and_gives_the_focus_back() -> Result<()> {
    let h = Harness::start("actions-escape", config(10)?).await?;
    let ids = open(&h).await?;
    let table = TablePage::of(&h);
    select(&table, &ids[..1]).await?;
    app(
        &h,
        "document.getElementById('wm-act-delete').focus();",
        vec![],
    )
    .await?;
    table.press("Delete…").await?;
    wait_dialog(&h).await?;
    e2e::keyboard::Keyboard::of(&h)
        .press(&fantoccini::key::Key::Escape.to_string())
        .await?;
    wait_for("the dialog to close", || async {
        Ok(dialog(&h).await?.is_none().then_some(()))
    })
    .await?;
    let focused = app(&h, "return document.activeElement.id;", vec![]).await?;
    assert_eq!(focused, json!("wm-act-delete"));
    assert!(h.control.actions().await?.is_empty());
    h.finish().await
}

#[tokio::test]
async fn russian_texts_name_the_selection_and_the_dialog() -> Result<()> {
    let mut config = config(10)?;
    config.lang = "ru".into();
    let h = Harness::start("actions-ru", config).await?;
    let ids = open(&h).await?;
    let table = TablePage::of(&h);
    table
        .set_checked(&format!("Выбрать процесс {}", ids[0]), true)
        .await?;
    let bar = toolbar(&h).await?;
    assert!(bar.starts_with("Выбрано: 1"), "{bar}");
    table.press("Остановить…").await?;
    let d = wait_dialog(&h).await?;
    let text = d["text"].as_str().unwrap_or_default();
    assert!(text.contains("Остановить процессы"), "{text}");
    assert!(text.contains("Текст статуса"), "{text}");
    assert_eq!(d["button"], json!("Остановить 1 процесс"));
    h.finish().await
}

#[tokio::test]
async fn space_on_a_row_toggles_its_box_and_the_box_joins_the_arrow_keys() -> Result<()> {
    use e2e::keyboard::{Keyboard, SPACE};
    let h = Harness::start("actions-keyboard", config(10)?).await?;
    let ids = open(&h).await?;
    let focused = app(
        &h,
        "const t = document.querySelector('tbody tr time');
         t.focus();
         return document.activeElement === t;",
        vec![],
    )
    .await?;
    assert_eq!(focused, json!(true));
    let keys = Keyboard::of(&h);
    keys.press(SPACE).await?;
    wait_for("the row to be selected", || async {
        Ok(toolbar(&h).await?.starts_with("1 selected").then_some(()))
    })
    .await?;
    let checked = app(
        &h,
        "return document.querySelector('tbody tr input.wm-select').checked;",
        vec![],
    )
    .await?;
    assert_eq!(checked, json!(true), "Space on a value ticks its row's box");
    keys.press(&fantoccini::key::Key::Home.to_string()).await?;
    let on_box = app(
        &h,
        "const a = document.activeElement;
         return [a.className, a.getAttribute('aria-label'),
                 document.querySelectorAll('tbody [tabindex=\"0\"]').length];",
        vec![],
    )
    .await?;
    assert_eq!(
        on_box,
        json!(["wm-select", format!("Select workflow {}", ids[0]), 1]),
        "Home reaches the row's box, still one Tab stop"
    );
    keys.press(SPACE).await?;
    wait_for("the selection to clear", || async {
        Ok(toolbar(&h).await?.is_empty().then_some(()))
    })
    .await?;
    h.finish().await
}

#[tokio::test]
async fn the_confirmation_passes_axe_in_the_light_and_the_dark_theme() -> Result<()> {
    use e2e::look::{describe, Look};
    let h = Harness::start("actions-axe", config(20)?).await?;
    let ids = open(&h).await?;
    let table = TablePage::of(&h);
    let look = Look::of(&table.app);
    select(&table, &ids[..2]).await?;
    for (theme, dark) in [("Light", false), ("Dark", true)] {
        table.choose("Theme", theme).await?;
        look.wait_dark(dark).await?;
        table.press("Delete…").await?;
        let d = wait_dialog(&h).await?;
        assert!(
            d["text"]
                .as_str()
                .is_some_and(|t| t.contains("Type 2 to confirm")),
            "{d}"
        );
        let report = look.axe().await?;
        assert!(
            report.violations.is_empty(),
            "axe found WCAG 2 A/AA violations with the dialog open, {theme} theme:\n{}",
            describe(&report.violations)
        );
        table.press("Cancel").await?;
        wait_for("the dialog to close", || async {
            Ok(dialog(&h).await?.is_none().then_some(()))
        })
        .await?;
    }
    assert!(h.control.actions().await?.is_empty(), "nothing was sent");
    h.finish().await
}

#[tokio::test]
async fn a_run_in_another_tab_blocks_the_start_until_it_lapses() -> Result<()> {
    let h = Harness::start("actions-other-tab", config(10)?).await?;
    let ids = open(&h).await?;
    let table = TablePage::of(&h);
    select(&table, &ids[..1]).await?;
    // Another tab of the app holds the run lease for a minute more.
    app(
        &h,
        "localStorage.setItem('wm_run_lease', 'othertab|' + (Date.now() + 60000));",
        vec![],
    )
    .await?;
    table.press("Stop…").await?;
    wait_dialog(&h).await?;
    table.press("Stop 1 workflow").await?;
    table
        .wait_role_text("alert", "Another tab of this browser is running an action")
        .await?;
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    assert!(h.control.actions().await?.is_empty(), "nothing was sent");
    assert!(dialog(&h).await?.is_some(), "the confirmation stays");
    // The other tab's run ends (its lease goes): the same button starts.
    app(&h, "localStorage.removeItem('wm_run_lease');", vec![]).await?;
    table.press("Stop 1 workflow").await?;
    let result = wait_result(&h).await?;
    assert!(result.contains("stopped: 1"), "{result}");
    let lease = app(&h, "return localStorage.getItem('wm_run_lease');", vec![]).await?;
    assert_eq!(lease, Value::Null, "the finished run gave its lease up");
    h.finish().await
}

#[tokio::test]
async fn a_reload_mid_run_offers_resume_which_acts_on_the_rest_after_a_new_confirmation(
) -> Result<()> {
    let h = Harness::start("actions-resume", config(300)?).await?;
    open(&h).await?;
    let table = TablePage::of(&h);
    table.set_checked("Select all on this page", true).await?;
    table.press("Select all 300 matching").await?;
    table.press("Stop…").await?;
    wait_dialog(&h).await?;
    // Each batch of 49 takes about 2.5 s: the reload comes mid-run.
    h.control.batch_command_latency(50).await?;
    table.press("Stop 300 workflows").await?;
    wait_for("the first batch to act", || async {
        Ok((!h.control.actions().await?.is_empty()).then_some(()))
    })
    .await?;
    h.portal().reload().await?;
    h.control.batch_command_latency(0).await?;
    // The batch out at the reload may still have finished on the portal.
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    let before = h.control.actions().await?.len();
    assert!(before < 300, "interrupted before the end: {before}");
    let stopped = by_id(&h.control.actions().await?)
        .values()
        .filter(|calls| calls.iter().any(|c| c.outcome == ActionOutcome::Ok))
        .count();
    // As if two minutes had passed without a write.
    h.control.age_entity_storage(180).await?;
    h.portal().reload().await?;
    let table = TablePage::of(&h);
    let banner = wait_for("the interrupted run's banner", || async {
        let v = app(
            &h,
            "const b = document.querySelector('.wm-left');
             return b ? b.textContent.replace(/\\s+/g, ' ').trim() : null;",
            vec![],
        )
        .await?;
        Ok(v.as_str().map(str::to_owned))
    })
    .await?;
    assert!(
        banner.starts_with("Stop of 300 workflows started")
            && banner.contains("was interrupted after"),
        "{banner}"
    );
    assert_eq!(
        h.control.actions().await?.len(),
        before,
        "nothing acted on at open"
    );
    table.press("Resume").await?;
    let d = wait_dialog(&h).await?;
    let text = d["text"].as_str().unwrap_or_default().to_owned();
    // What the run left unrecorded is rechecked: those it stopped before
    // the reload are reported finished, the rest is to be stopped.
    let rest = 300 - stopped;
    assert_eq!(
        d["button"],
        json!(format!("Stop {rest} workflows")),
        "only what still runs: {text}"
    );
    table.press(&format!("Stop {rest} workflows")).await?;
    let result = wait_result(&h).await?;
    assert!(result.contains(&format!("stopped: {rest}")), "{result}");
    let actions = h.control.actions().await?;
    let seen = by_id(&actions);
    assert_eq!(seen.len(), 300, "every workflow acted on");
    assert!(
        seen.values().all(|calls| calls
            .iter()
            .filter(|c| c.outcome == ActionOutcome::Ok)
            .count()
            == 1),
        "each stopped exactly once"
    );
    // The old run is closed as interrupted, the new one as finished.
    let states: BTreeSet<String> = h
        .control
        .entity_items("wmruns")
        .await?
        .iter()
        .filter(|i| i["PROPERTY_VALUES"]["KIND"] == json!("run"))
        .filter_map(|i| i["PROPERTY_VALUES"]["STATE"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(
        states,
        ["finished", "interrupted"].map(str::to_owned).into(),
        "{states:?}"
    );
    h.finish().await
}

#[tokio::test]
async fn the_history_lists_the_run_and_opens_its_rows_with_a_csv() -> Result<()> {
    let h = Harness::start("actions-history", config(40)?).await?;
    let ids = open(&h).await?;
    let table = TablePage::of(&h);
    let chosen: Vec<String> = ids[..2].to_vec();
    select(&table, &chosen).await?;
    table.press("Stop…").await?;
    wait_dialog(&h).await?;
    table.press("Stop 2 workflows").await?;
    wait_result(&h).await?;
    table.press("History").await?;
    let history = "const r = document.querySelector('.wm-history');
                   return r && !r.querySelector('[role=status]')
                     ? r.textContent.replace(/\\s+/g, ' ').trim() : null;";
    let text = wait_for("the history's runs", || async {
        let v = app(&h, history, vec![]).await?;
        Ok(v.as_str()
            .filter(|t| t.contains("Started"))
            .map(str::to_owned))
    })
    .await?;
    assert!(text.contains("Stop · 2 workflows"), "{text}");
    assert!(
        text.contains("stopped: 2") && text.contains("finished"),
        "{text}"
    );
    // The run opens with each workflow and its outcome.
    app(
        &h,
        "document.querySelector('.wm-history button.wm-link').click(); return null;",
        vec![],
    )
    .await?;
    let text = wait_for("the run's rows", || async {
        let v = app(&h, history, vec![]).await?;
        Ok(v.as_str()
            .filter(|t| t.contains("Download CSV"))
            .map(str::to_owned))
    })
    .await?;
    for id in &chosen {
        assert!(text.contains(id.as_str()), "{id} in {text}");
    }
    assert_eq!(text.matches("stopped").count(), 2, "{text}");
    // Its CSV: caught as the download is offered.
    app(
        &h,
        "window.__csv = null; window.__csvName = null;
         const make = URL.createObjectURL;
         URL.createObjectURL = (b) => { b.text().then(t => { window.__csv = t; }); return make.call(URL, b); };
         HTMLAnchorElement.prototype.click = function () { window.__csvName = this.download; };
         return null;",
        vec![],
    )
    .await?;
    table.press("Download CSV").await?;
    let file = wait_for("the CSV", || async {
        let v = app(
            &h,
            "return window.__csv ? [window.__csvName, window.__csv] : null;",
            vec![],
        )
        .await?;
        Ok((!v.is_null()).then_some(v))
    })
    .await?;
    let name = file[0].as_str().unwrap_or_default();
    assert!(
        name.starts_with("workflows-history-stopped-") && name.ends_with(".csv"),
        "{name}"
    );
    let csv = file[1].as_str().unwrap_or_default();
    assert_eq!(
        csv.lines().count(),
        3,
        "a header and the 2 workflows: {csv}"
    );
    for id in &chosen {
        assert!(
            csv.lines()
                .any(|l| l.contains(id.as_str()) && l.contains("stopped")),
            "{id}: {csv}"
        );
    }
    h.finish().await
}
