//! The portal's limits met by the release build in the emulator (issue 6):
//! a burst of clicks paced under the real bucket (2/s, burst 50), injected
//! 503s shown as "Portal is busy…" and followed by the right rows, Cancel
//! keeping the rows marked stale, an operating budget that runs out (429)
//! pausing the method until its reset, and ten seconds without network
//! recovered without a click.

use std::time::{Duration, Instant};

use e2e::app::app_dist;
use e2e::table::{emulator_rows, list_queries, showing, RestLog, TablePage};
use e2e::{config_serving, Harness, Result};
use portal_emulator::Config;
use serde_json::{json, Value};

const NEWEST: [(&str, &str); 2] = [("STARTED", "DESC"), ("ID", "DESC")];
const BY_MODIFIED: [(&str, &str); 2] = [("MODIFIED", "DESC"), ("ID", "DESC")];
const BY_MODIFIED_ASC: [(&str, &str); 2] = [("MODIFIED", "ASC"), ("ID", "ASC")];

/// Long enough for every retry of a call (the longest sequence is 31 s)
/// or a paused method's reset.
const PATIENCE: Duration = Duration::from_secs(75);

fn config(workflows: usize) -> Result<Config> {
    let mut config = config_serving(&app_dist()?);
    config.workflows = workflows;
    Ok(config)
}

async fn knobs(h: &Harness, patch: Value) -> Result<()> {
    h.control.post("/_emulator/knobs", &patch).await?;
    Ok(())
}

fn status(c: &Value) -> u64 {
    c["status"].as_u64().unwrap_or(0)
}

fn injected(c: &Value) -> bool {
    c["injected"] == true
}

/// The app's requests the portal refused because its own bucket was full.
fn overflows(calls: &[Value]) -> Vec<&Value> {
    calls
        .iter()
        .filter(|c| status(c) == 503 && !injected(c))
        .collect()
}

/// Whether a log entry carries a list query (alone or in a batch).
fn lists(c: &Value) -> bool {
    !list_queries(c).is_empty()
}

/// The highest level the portal's bucket (draining `rate` per second)
/// reached under the requests it admitted.
fn peak_level(calls: &[Value], rate: f64) -> f64 {
    let mut level: f64 = 0.0;
    let mut peak: f64 = 0.0;
    let mut last_ms: Option<f64> = None;
    for c in calls.iter().filter(|c| !(status(c) == 503 || injected(c))) {
        let at = c["at_ms"].as_f64().unwrap_or(0.0);
        if let Some(last) = last_ms {
            level = (level - (at - last).max(0.0) / 1000.0 * rate).max(0.0);
        }
        last_ms = Some(at);
        level += 1.0;
        peak = peak.max(level);
    }
    peak
}

/// Presses `name`, waiting while it is disabled (the pager disables its
/// buttons while a page loads); as fast as a person can click.
async fn press_when_enabled(table: &TablePage<'_>, name: &str) -> Result<()> {
    let deadline = Instant::now() + PATIENCE;
    loop {
        match table.press(name).await {
            Ok(()) => return Ok(()),
            Err(e) if Instant::now() > deadline => return Err(e),
            Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
        }
    }
}

async fn stale(table: &TablePage<'_>) -> Result<bool> {
    Ok(table
        .app
        .js("return !!document.querySelector('.wm-table-wrap--stale');")
        .await?
        == json!(true))
}

async fn failures(table: &TablePage<'_>) -> Result<Vec<String>> {
    Ok(table
        .role_texts("alert")
        .await?
        .into_iter()
        .filter(|t| t.contains("Could not load"))
        .collect())
}

/// A session of impatient clicks against the portal's bucket (2/s, burst
/// 50) with `license` in `app.info`: Refresh pressed 25 times as fast as
/// a person can, thirty page changes, then 500 rows per page and a walk to
/// the last page. Returns the app's requests, once every answer arrived.
async fn impatient_session(label: &str, license: &str) -> Result<Vec<Value>> {
    const WORKFLOWS: u64 = 3_000;
    let mut config = config(WORKFLOWS as usize)?;
    config.rate = 2.0;
    config.burst = 50.0;
    let h = Harness::start(label, config).await?;
    knobs(&h, json!({"license": license})).await?;
    let log = RestLog::of(&h);
    h.portal().open().await?;
    let table = TablePage::of(&h).patient(PATIENCE);
    table.wait_showing(&showing(1, 50, WORKFLOWS)).await?;
    let started = Instant::now();
    for _ in 0..25 {
        table.press("Refresh").await?;
    }
    for _ in 0..30 {
        press_when_enabled(&table, "Next page").await?;
    }
    table
        .wait_showing(&showing(1_501, 1_550, WORKFLOWS))
        .await?;
    table.set_rows_per_page(500).await?;
    table.wait_showing(&showing(1, 500, WORKFLOWS)).await?;
    for _ in 0..3 {
        press_when_enabled(&table, "Next page").await?;
    }
    press_when_enabled(&table, "Last page").await?;
    table
        .wait_showing(&showing(2_501, WORKFLOWS, WORKFLOWS))
        .await?;
    let expected = emulator_rows(&h, &NEWEST, json!({}), 2_500, 500).await?;
    table
        .wait_ids("the last page of 500", &expected.ids)
        .await?;
    log.wait_settled(&table, 0).await?;
    let calls = log.app_calls().await?;
    println!(
        "burst ({license}): {} requests in {:?}, the portal's bucket peaked at {:.1} of 50, {} refused",
        calls.len(),
        started.elapsed(),
        peak_level(&calls, 2.0),
        overflows(&calls).len()
    );
    h.finish().await?;
    Ok(calls)
}

#[tokio::test]
async fn a_burst_of_clicks_is_paced_and_never_overflows_the_portals_bucket() -> Result<()> {
    let calls = impatient_session("limits-burst", "en_pro100").await?;
    assert!(
        overflows(&calls).is_empty(),
        "the app overflowed the portal's bucket: {:#?}",
        overflows(&calls)
    );
    let peak = peak_level(&calls, 2.0);
    assert!(peak >= 30.0, "the bucket only reached {peak:.1}");
    // The control: the same clicks from an app that believes the portal
    // allows 5/s and 250 (an Enterprise LICENSE) while it enforces 2/s
    // and 50 — the load is more than the bucket takes unpaced.
    let unpaced = impatient_session("limits-burst-control", "en_ent250").await?;
    assert!(
        !overflows(&unpaced).is_empty(),
        "the session never needed pacing: {} requests, peak {:.1}",
        unpaced.len(),
        peak_level(&unpaced, 2.0)
    );
    Ok(())
}

/// A portal of 300 workflows without a rate limit, the app open on its
/// first page and every answer in the app's hands.
async fn opened(label: &str) -> Result<Harness> {
    let h = Harness::start(label, config(300)?).await?;
    h.portal().open().await?;
    let table = TablePage::of(&h).patient(PATIENCE);
    let newest = emulator_rows(&h, &NEWEST, json!({}), 0, 50).await?;
    table.wait_ids("page 1", &newest.ids).await?;
    RestLog::of(&h).wait_settled(&table, 0).await?;
    Ok(h)
}

#[tokio::test]
async fn injected_503s_show_the_busy_line_and_cancel_keeps_the_rows_marked_stale() -> Result<()> {
    let h = opened("limits-busy").await?;
    let log = RestLog::of(&h);
    let table = TablePage::of(&h).patient(PATIENCE);
    let newest = emulator_rows(&h, &NEWEST, json!({}), 0, 50).await?;

    // Every answer is a 503: the app says it waits, and the old rows are
    // greyed out under the new order.
    knobs(&h, json!({"inject_503_rate": 1.0})).await?;
    let mark = log.mark().await?;
    table.click_header("Modified").await?;
    let line = table
        .wait_role_text("status", "Portal is busy, retrying in")
        .await?;
    println!("busy line: {line}");
    assert!(stale(&table).await?, "the rows of the old order are marked");
    assert_eq!(table.ids().await?, newest.ids, "no new rows yet");
    // The portal recovers: the right rows follow without a click.
    knobs(&h, json!({"inject_503_rate": 0.0})).await?;
    let by_modified = emulator_rows(&h, &BY_MODIFIED, json!({}), 0, 50).await?;
    table
        .wait_ids("page 1 by Modified after the 503s", &by_modified.ids)
        .await?;
    assert!(!stale(&table).await?);
    assert!(failures(&table).await?.is_empty());
    let calls = log.since(mark).await?;
    let refused = calls.iter().filter(|c| injected(c)).count();
    assert!(refused >= 1, "the 503s were met: {calls:#?}");
    log.wait_settled(&table, 0).await?;

    // Cancel: the retrying stops, the rows stay (marked), Retry asks again.
    knobs(&h, json!({"inject_503_rate": 1.0})).await?;
    table.click_header("Modified").await?;
    table
        .wait_role_text("status", "Portal is busy, retrying in")
        .await?;
    table.press("Cancel").await?;
    table.wait_role_text("status", "Stopped retrying").await?;
    assert_eq!(table.ids().await?, by_modified.ids, "the rows are kept");
    assert!(stale(&table).await?, "…and marked as not the new order's");
    // Nothing is sent any more: the log stays still.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let quiet = log.mark().await?;
    tokio::time::sleep(Duration::from_secs(4)).await;
    let after = log.since(quiet).await?;
    assert!(after.is_empty(), "sent after Cancel: {after:#?}");
    knobs(&h, json!({"inject_503_rate": 0.0})).await?;
    table.press("Retry").await?;
    let ascending = emulator_rows(&h, &BY_MODIFIED_ASC, json!({}), 0, 50).await?;
    table
        .wait_ids("page 1 by Modified, ascending, after Retry", &ascending.ids)
        .await?;
    assert!(!stale(&table).await?);
    h.finish().await
}

#[tokio::test]
async fn a_spent_operating_budget_pauses_the_method_until_its_reset() -> Result<()> {
    let h = opened("limits-429").await?;
    let log = RestLog::of(&h);
    let table = TablePage::of(&h).patient(PATIENCE);

    // Each list call now costs 2 s of a 3 s budget per 20 s window.
    knobs(
        &h,
        json!({"operating_limit_s": 3.0, "operating_charge_s": 2.0, "operating_window_s": 20.0}),
    )
    .await?;
    let mark = log.mark().await?;
    table.click_header("Modified").await?;
    let by_modified = emulator_rows(&h, &BY_MODIFIED, json!({}), 0, 50).await?;
    table
        .wait_ids("page 1 by Modified", &by_modified.ids)
        .await?;
    // The next one meets the spent budget.
    table.click_header("Modified").await?;
    table
        .wait_role_text("status", "used its share of the portal's time")
        .await?;
    let ascending = emulator_rows(&h, &BY_MODIFIED_ASC, json!({}), 0, 50).await?;
    table
        .wait_ids("page 1 ascending after the pause", &ascending.ids)
        .await?;
    assert!(failures(&table).await?.is_empty());

    let calls = log.since(mark).await?;
    // The list method's requests: its own calls, and the batches that
    // carry it (the rows with their people). A refusal is a 429 of the
    // call, or the method's OPERATION_TIME_LIMIT inside a batch (billed
    // per nested method).
    let list_calls: Vec<&Value> = calls
        .iter()
        .filter(|c| list_queries(c).iter().any(|q| !q.is_signal_count()))
        .collect();
    let refused = |c: &Value| {
        status(c) == 429
            || c["batch_errors"]
                .as_object()
                .is_some_and(|e| e.values().any(|code| code == "OPERATION_TIME_LIMIT"))
    };
    let first_429 = list_calls
        .iter()
        .position(|c| refused(c))
        .expect("the budget ran out");
    let refused_at = list_calls[first_429]["at_ms"].as_f64().unwrap_or(0.0);
    let next_at = list_calls
        .get(first_429 + 1)
        .and_then(|c| c["at_ms"].as_f64())
        .expect("the method was called again");
    let paused_ms = next_at - refused_at;
    let refusals = list_calls.iter().filter(|c| refused(c)).count();
    println!(
        "429: the list method paused {paused_ms:.0} ms, refused {refusals} times, {} list calls",
        list_calls.len()
    );
    // Paused at least the 10 s floor (a second of slack for the clocks).
    assert!(paused_ms >= 9_000.0, "retried after {paused_ms} ms");
    assert!(
        refusals <= 3,
        "a paused method is not hammered: {list_calls:#?}"
    );
    h.finish().await
}

#[tokio::test]
async fn ten_seconds_without_network_recover_without_a_click() -> Result<()> {
    let h = opened("limits-outage").await?;
    let log = RestLog::of(&h);
    let table = TablePage::of(&h).patient(PATIENCE);

    knobs(&h, json!({"network_down": true})).await?;
    let down_at = Instant::now();
    let mark = log.mark().await?;
    table.click_header("Modified").await?;
    let line = table
        .wait_role_text("status", "Portal did not answer, retrying in")
        .await?;
    println!("outage: {line}");
    tokio::time::sleep(Duration::from_secs(10).saturating_sub(down_at.elapsed())).await;
    knobs(&h, json!({"network_down": false})).await?;
    let back_at = Instant::now();
    let by_modified = emulator_rows(&h, &BY_MODIFIED, json!({}), 0, 50).await?;
    table
        .wait_ids("page 1 by Modified after the outage", &by_modified.ids)
        .await?;
    println!(
        "outage: rows {:?} after the network returned",
        back_at.elapsed()
    );
    assert!(failures(&table).await?.is_empty());
    assert!(!stale(&table).await?);
    let calls = log.since(mark).await?;
    let lost = calls.iter().filter(|c| injected(c) && lists(c)).count();
    assert!(
        lost >= 2,
        "the app kept trying during the outage: {calls:#?}"
    );
    h.finish().await
}
