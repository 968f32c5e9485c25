//! Time and signals, end to end: the Stuck badge and the Idle mark on the
//! rows, the summary of stuck and idle counts (from the portal, one batch,
//! asked again only when the filters change or on a refresh), the Age and
//! Idle columns sorted on the server, and the exact timestamp reachable by
//! keyboard. Each test would fail without the feature it names.
//!
//! The data is anchored to now (`config.epoch = None`), and every lock
//! and every last change is moved at least 10 minutes away from the two
//! boundaries (now − 5 min, now − 7 days), so that the seconds a test takes
//! cannot move a workflow across one; a few rows are crafted exactly.
//!
//! Every test prints `REST requests | <interaction> | <n> | <calls>` like
//! `tests/table.rs` (`cargo test -p e2e --test signals -- --nocapture`).

use std::collections::BTreeSet;

use e2e::app::{app_dist, screenshot, screenshot_path};
use e2e::keyboard::{Keyboard, TAB};
use e2e::portal_emulator::store::{uniqid, Store, Workflow};
use e2e::table::{
    emulator_call, emulator_rows, expect_pairs, grouped, is_counts_batch, iso_to_unix, iso_utc,
    list_queries, showing, span_en, text_of, unix_now, ListQuery, RestLog, TablePage, LIST_METHOD,
};
use e2e::{config_serving, wait_for, Harness, HarnessError, Result};
use fantoccini::key::Key;
use portal_emulator::Config;
use serde_json::{json, Value};

/// The summary line's accessible name.
const SUMMARY: &str = "Stuck and idle workflows under the current filters";

const NEWEST_FIRST: [(&str, &str); 2] = [("STARTED", "DESC"), ("ID", "DESC")];

const DAY: i64 = 86_400;

fn config(workflows: usize) -> Result<Config> {
    let mut config = config_serving(&app_dist()?);
    config.workflows = workflows;
    config.epoch = None;
    Ok(config)
}

/// The rows crafted by [`anchor`], by what they are.
struct Crafted {
    /// Locked until 2 h ago: stuck. Started by automation.
    stuck: String,
    /// Locked for 10 more minutes: running, not stuck.
    locked_ahead: String,
    /// The lock expired 100 s ago: not stuck yet.
    just_expired: String,
    /// Unlocked, unchanged for 10 days: idle. Started by automation.
    idle: String,
    /// Started 5 minutes ago, unlocked.
    fresh: String,
}

/// Moves every generated lock and last change at least 10 minutes away
/// from the boundaries at `now`, and adds the [`Crafted`] rows. The store
/// is written in place (the emulator runs in this process).
fn anchor(h: &Harness, now: i64) -> Result<Crafted> {
    let mut store = h.emulator.state.store_mut();
    let mut rows: Vec<Workflow> = store.rows().to_vec();
    let (stuck_at, idle_at) = (now - 300, now - 7 * DAY);
    for w in &mut rows {
        if w.owned_until.is_some_and(|t| (t - stuck_at).abs() < 600) {
            w.owned_until = Some(now + 1_800);
        }
        if (w.modified - idle_at).abs() < 600 {
            w.modified = (idle_at + 600).max(w.started);
        }
    }
    let Some(model) = rows.first().cloned() else {
        return Err(HarnessError::Unexpected(
            "the emulator has no workflows".into(),
        ));
    };
    let mut make = |n: u32, started_ago: i64, modified_ago: i64, lock: Option<i64>, by: u32| {
        let started = now - started_ago;
        let w = Workflow {
            id: uniqid(started, 100 + n, 1.25),
            started,
            modified: now - modified_ago,
            owned_until: lock,
            started_by: by,
            ..model.clone()
        };
        let id = w.id.clone();
        rows.push(w);
        id
    };
    let crafted = Crafted {
        stuck: make(1, DAY, 3 * 3_600, Some(now - 2 * 3_600), 0),
        locked_ahead: make(2, 2 * 3_600, 30, Some(now + 600), 1),
        just_expired: make(3, 3 * 3_600, 240, Some(now - 100), 1),
        idle: make(4, 20 * DAY, 10 * DAY, None, 0),
        fresh: make(5, 300, 60, None, 1),
    };
    *store = Store::from_rows(rows);
    Ok(crafted)
}

/// Waits until the screen has settled, then prints and returns what the
/// app asked for since `mark`, and how many of those were counts batches.
async fn cost(
    interaction: &str,
    log: &RestLog<'_>,
    table: &TablePage<'_>,
    loaded: u64,
    mark: u64,
) -> Result<(Vec<Value>, usize)> {
    let calls = log.cost(interaction, table, loaded, mark).await?;
    let counts = calls.iter().filter(|c| is_counts_batch(c)).count();
    Ok((calls, counts))
}

/// The summary's buttons for these totals.
fn summary(stuck: u64, idle: u64) -> Vec<String> {
    vec![
        format!("{} stuck", grouped(stuck)),
        format!("{} idle > 7 days", grouped(idle)),
    ]
}

/// The emulator's own total under `filter`.
async fn total(h: &Harness, filter: Value) -> Result<u64> {
    Ok(emulator_rows(h, &NEWEST_FIRST, filter, 0, 1).await?.total)
}

/// `filter` with `key: value` added.
fn with(filter: &Value, key: &str, value: String) -> Value {
    let mut f = filter.as_object().cloned().unwrap_or_default();
    f.insert(key.to_owned(), json!(value));
    Value::Object(f)
}

// ---------------------------------------------------------------------------
// (a) The badges on the rows

#[tokio::test]
async fn a_stuck_row_shows_the_stuck_badge_and_a_locked_or_fresh_row_does_not() -> Result<()> {
    let h = Harness::start("signals-badges", config(40)?).await?;
    let now = unix_now();
    let rows = anchor(&h, now)?;
    h.portal().open().await?;
    let table = TablePage::of(&h);
    table.wait_showing(&showing(1, 45, 45)).await?;

    let stuck = table.signals_in_row(&rows.stuck).await?;
    assert_eq!(stuck.len(), 1, "{stuck:?}");
    assert_eq!(stuck[0].column, "Locked until", "beside the lock");
    assert_eq!(stuck[0].text, "Stuck");
    assert_eq!(
        stuck[0].description,
        "Stuck: the lock expired 2 h ago (more than 5 minutes). The workflow is probably hung."
    );
    assert!(
        stuck[0].focusable,
        "the explanation is reachable by keyboard"
    );
    // From the row's lock, ArrowRight reaches the badge and shows why.
    let lock_focused = h
        .portal()
        .in_app(
            "const t = Array.from(document.querySelectorAll('tbody tr'))
               .find(tr => tr.textContent.includes(arguments[0]));
             const dates = t ? Array.from(t.querySelectorAll('time')) : [];
             const lock = dates[dates.length - 1];
             if (!lock) return false;
             lock.scrollIntoView({block: 'center'});
             lock.focus();
             return true;",
            vec![json!(rows.stuck)],
        )
        .await?;
    assert_eq!(lock_focused, json!(true));
    Keyboard::of(&h).press(&Key::Right.to_string()).await?;
    let badge = table.focused_value().await?;
    assert_eq!(
        badge
            .as_ref()
            .map(|f| (f.element.text.as_str(), f.tip_visible)),
        Some(("Stuck", true)),
        "the badge takes the focus and shows its explanation: {badge:?}"
    );
    // A picture of the explanation on focus, for whoever reviews the look.
    screenshot(&h, &screenshot_path("signals-stuck-badge.png")).await?;

    for (what, id) in [
        ("locked for 10 more minutes", &rows.locked_ahead),
        ("the lock expired 100 s ago", &rows.just_expired),
        ("started 5 minutes ago", &rows.fresh),
    ] {
        let found = table.signals_in_row(id).await?;
        assert!(found.is_empty(), "{what}: no badge, got {found:?}");
    }

    let idle = table.signals_in_row(&rows.idle).await?;
    assert_eq!(idle.len(), 1, "{idle:?}");
    assert_eq!(idle[0].column, "Modified", "beside the last change");
    assert_eq!(idle[0].text, "Idle");
    assert_eq!(
        idle[0].description,
        "Idle: no change for 10 d (more than 7 days)."
    );

    // Every Stuck badge on screen is a workflow the portal calls stuck, and
    // every one it calls stuck has the badge (all 45 rows are on screen).
    let mut badged = BTreeSet::new();
    for id in table.ids().await? {
        let signals = table.signals_in_row(&id).await?;
        if signals.iter().any(|s| s.text == "Stuck") {
            badged.insert(id);
        }
    }
    let portal: BTreeSet<String> = emulator_rows(
        &h,
        &NEWEST_FIRST,
        json!({"<OWNED_UNTIL": iso_utc(now - 300)}),
        0,
        50,
    )
    .await?
    .ids
    .into_iter()
    .collect();
    assert!(portal.contains(&rows.stuck), "{portal:?}");
    assert_eq!(badged, portal);
    let log = RestLog::of(&h);
    cost("first screen with badges", &log, &table, 0, 0).await?;
    h.finish().await
}

// ---------------------------------------------------------------------------
// (b) The summary's counts

#[tokio::test]
async fn the_summary_counts_are_the_portals_totals_and_a_count_applies_its_preset() -> Result<()> {
    let h = Harness::start("signals-counts", config(120)?).await?;
    let now = unix_now();
    anchor(&h, now)?;
    h.portal().open().await?;
    let table = TablePage::of(&h);
    table.wait_showing(&showing(1, 50, 125)).await?;
    let stuck_if = ("<OWNED_UNTIL", iso_utc(now - 300));
    let idle_if = ("<MODIFIED", iso_utc(now - 7 * DAY));

    let none = json!({});
    let stuck = total(&h, with(&none, stuck_if.0, stuck_if.1.clone())).await?;
    let idle = total(&h, with(&none, idle_if.0, idle_if.1.clone())).await?;
    assert!(
        (1..125).contains(&stuck) && (1..125).contains(&idle),
        "{stuck} {idle}"
    );
    table
        .wait_group_buttons(SUMMARY, &summary(stuck, idle))
        .await?;
    let said = table.group_text(SUMMARY).await?.unwrap_or_default();
    println!("summary: {said}");
    assert!(said.contains('·'), "{said}");

    // Under a filter, the counts are that filter's.
    table.apply_preset("Started by automation").await?;
    table.wait_chips(&["Started by automation"]).await?;
    let auto = json!({"STARTED_BY": "0"});
    let auto_stuck = with(&auto, stuck_if.0, stuck_if.1.clone());
    let (stuck, idle) = (
        total(&h, auto_stuck.clone()).await?,
        total(&h, with(&auto, idle_if.0, idle_if.1.clone())).await?,
    );
    assert!(stuck >= 1 && idle >= 1, "the crafted rows: {stuck} {idle}");
    table
        .wait_group_buttons(SUMMARY, &summary(stuck, idle))
        .await?;

    // One click on the stuck count: the Stuck preset, its chip, its rows.
    table.press(&format!("{} stuck", grouped(stuck))).await?;
    table
        .wait_chips(&["Started by automation", "Stuck"])
        .await?;
    let listed = emulator_rows(&h, &NEWEST_FIRST, auto_stuck.clone(), 0, 50).await?;
    assert_eq!(listed.total, stuck);
    table
        .wait_showing(&showing(1, stuck.min(50), stuck))
        .await?;
    table
        .wait_ids("the stuck workflows started by automation", &listed.ids)
        .await?;
    // Now the stuck count is the list's total; idle counts within it.
    let both = total(&h, with(&auto_stuck, idle_if.0, idle_if.1.clone())).await?;
    table
        .wait_group_buttons(SUMMARY, &summary(stuck, both))
        .await?;

    // The idle count applies the other preset.
    table
        .press(&format!("{} idle > 7 days", grouped(both)))
        .await?;
    table
        .wait_chips(&[
            "Started by automation",
            "Stuck",
            "Idle for more than 7 days",
        ])
        .await?;
    let log = RestLog::of(&h);
    cost("press the idle count", &log, &table, 0, 0).await?;
    h.finish().await
}

// ---------------------------------------------------------------------------
// (c) What the counts cost

#[tokio::test]
async fn the_counts_cost_one_batch_per_filter_change_and_nothing_for_paging_or_sorting(
) -> Result<()> {
    let h = Harness::start("signals-cost", config(120)?).await?;
    let now = unix_now();
    anchor(&h, now)?;
    h.control
        .post("/_emulator/knobs", &json!({"latency_ms": 250}))
        .await?;
    h.portal().open().await?;
    let table = TablePage::of(&h);
    table.wait_showing(&showing(1, 50, 125)).await?;
    let log = RestLog::of(&h);
    let stuck = total(&h, json!({"<OWNED_UNTIL": iso_utc(now - 300)})).await?;
    let idle = total(&h, json!({"<MODIFIED": iso_utc(now - 7 * DAY)})).await?;
    table
        .wait_group_buttons(SUMMARY, &summary(stuck, idle))
        .await?;

    let (calls, counts) = cost("first screen", &log, &table, 0, 0).await?;
    assert_eq!(counts, 1, "one counts batch: {calls:#?}");
    let batch = calls
        .iter()
        .find(|c| is_counts_batch(c))
        .cloned()
        .unwrap_or_default();
    let parts = list_queries(&batch);
    let keys: Vec<(&str, Vec<&str>)> = parts
        .iter()
        .map(|q| {
            (
                q.batch_key.as_deref().unwrap_or(""),
                q.filter.keys().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        keys,
        [("stuck", vec!["<OWNED_UNTIL"]), ("idle", vec!["<MODIFIED"])]
    );
    for q in &parts {
        assert_eq!(q.select, ["ID"], "only ID: {q:?}");
    }
    // Sent beside the page, not after it: with every answer 250 ms late,
    // the counts were asked while the page's answer was still on its way.
    let page = calls
        .iter()
        .find(|c| {
            list_queries(c)
                .iter()
                .any(|q| q.start == 0 && !q.is_signal_count())
        })
        .cloned()
        .unwrap_or_default();
    let at = |c: &Value, k: &str| c[k].as_f64().unwrap_or(0.0);
    println!(
        "the counts were asked {:.0} ms after the page; the page's answer took {:.0} ms",
        at(&batch, "at_ms") - at(&page, "at_ms"),
        at(&page, "duration_ms")
    );
    assert!(
        at(&batch, "at_ms") < at(&page, "at_ms") + at(&page, "duration_ms"),
        "the counts went out before the page came back: {batch} {page}"
    );
    h.control
        .post("/_emulator/knobs", &json!({"latency_ms": 0}))
        .await?;

    let zero = |what: &str, calls: &[Value], counts: usize| {
        assert_eq!(counts, 0, "{what}: no counts batch: {calls:#?}");
    };

    let mark = log.mark().await?;
    table.next_page().await?;
    table.wait_showing(&showing(51, 100, 125)).await?;
    let (calls, counts) = cost("next page", &log, &table, 0, mark).await?;
    zero("next page", &calls, counts);

    let mark = log.mark().await?;
    table.click_header("Modified").await?;
    table.wait_aria_sort("Modified", "descending").await?;
    table.wait_showing(&showing(1, 50, 125)).await?;
    let (calls, counts) = cost("sort by Modified", &log, &table, 0, mark).await?;
    zero("sort", &calls, counts);

    let mark = log.mark().await?;
    table.set_rows_per_page(100).await?;
    table.wait_showing(&showing(1, 100, 125)).await?;
    let (calls, counts) = cost("100 rows per page", &log, &table, 0, mark).await?;
    zero("page size", &calls, counts);

    let mark = log.mark().await?;
    table.press("Columns").await?;
    table.set_checked("Age", true).await?;
    table.press("Columns").await?;
    wait_for("the Age column", || async {
        let names: Vec<String> = table.headers().await?.into_iter().map(|h| h.name).collect();
        Ok(names.iter().any(|n| n == "Age").then_some(()))
    })
    .await?;
    let (calls, counts) = cost("show the Age column", &log, &table, 0, mark).await?;
    zero("columns", &calls, counts);

    let mark = log.mark().await?;
    table.apply_preset("Started by automation").await?;
    let auto_stuck = total(
        &h,
        json!({"STARTED_BY": "0", "<OWNED_UNTIL": iso_utc(now - 300)}),
    )
    .await?;
    let auto_idle = total(
        &h,
        json!({"STARTED_BY": "0", "<MODIFIED": iso_utc(now - 7 * DAY)}),
    )
    .await?;
    table
        .wait_group_buttons(SUMMARY, &summary(auto_stuck, auto_idle))
        .await?;
    let (calls, counts) = cost("a filter (Started by automation)", &log, &table, 0, mark).await?;
    assert_eq!(
        counts, 1,
        "one counts batch after a filter change: {calls:#?}"
    );
    let merged: Vec<Vec<(String, String)>> = calls
        .iter()
        .filter(|c| is_counts_batch(c))
        .flat_map(list_queries)
        .map(|q| {
            let mut keys: Vec<(String, String)> = q
                .filter
                .iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        if k == "STARTED_BY" {
                            text_of(v)
                        } else {
                            String::new()
                        },
                    )
                })
                .collect();
            keys.sort();
            keys
        })
        .collect();
    assert_eq!(
        merged,
        [
            expect_pairs(&[("<OWNED_UNTIL", ""), ("STARTED_BY", "0")]),
            expect_pairs(&[("<MODIFIED", ""), ("STARTED_BY", "0")]),
        ],
        "the current filter merged with each condition"
    );

    let mark = log.mark().await?;
    table.press("Refresh").await?;
    wait_for("the refresh's counts batch", || async {
        let calls = log.since(mark).await?;
        Ok(calls.iter().any(is_counts_batch).then_some(()))
    })
    .await?;
    let (calls, counts) = cost("Refresh", &log, &table, 0, mark).await?;
    assert_eq!(counts, 1, "a refresh asks again: {calls:#?}");

    // With Stuck on, the stuck count is the list's total: only idle is asked.
    let mark = log.mark().await?;
    table.apply_preset("Stuck").await?;
    table
        .wait_chips(&["Started by automation", "Stuck"])
        .await?;
    let both = total(
        &h,
        json!({"STARTED_BY": "0", "<OWNED_UNTIL": iso_utc(now - 300), "<MODIFIED": iso_utc(now - 7 * DAY)}),
    )
    .await?;
    table
        .wait_group_buttons(SUMMARY, &summary(auto_stuck, both))
        .await?;
    let (calls, counts) = cost("preset Stuck", &log, &table, 0, mark).await?;
    assert_eq!(counts, 1, "{calls:#?}");
    let asked: Vec<String> = calls
        .iter()
        .filter(|c| is_counts_batch(c))
        .flat_map(list_queries)
        .filter_map(|q| q.batch_key)
        .collect();
    assert_eq!(asked, ["idle"], "the stuck count is the list's own total");
    h.finish().await
}

// ---------------------------------------------------------------------------
// (d) The Age and Idle columns

/// The header names, in order.
async fn header_names(table: &TablePage<'_>) -> Result<Vec<String>> {
    Ok(table.headers().await?.into_iter().map(|h| h.name).collect())
}

/// The Age cells of the first five rows of `page` (a list answer with ID
/// and STARTED) read the time since their Started, as of some moment
/// between `before` and now.
async fn check_ages(table: &TablePage<'_>, page: &Value, before: i64) -> Result<()> {
    for row in page["result"].as_array().into_iter().flatten().take(5) {
        let id = text_of(&row["ID"]);
        let started = iso_to_unix(&text_of(&row["STARTED"]))
            .ok_or_else(|| HarnessError::Unexpected(format!("STARTED of {row}")))?;
        let shown = table.cell_shown_text(&id, "Age").await?;
        let after = unix_now();
        let (early, late) = (span_en(before - started), span_en(after - started));
        assert!(
            shown == early || shown == late,
            "Age of {id}: {shown:?}, expected {early:?} (or {late:?})"
        );
        println!("Age of {id}: {shown}");
    }
    Ok(())
}

#[tokio::test]
async fn age_sorts_by_started_the_other_way_round_and_reads_the_time_since_the_start() -> Result<()>
{
    let h = Harness::start("signals-age", config(120)?).await?;
    let now = unix_now();
    anchor(&h, now)?;
    h.portal().open().await?;
    let table = TablePage::of(&h);
    table.wait_showing(&showing(1, 50, 125)).await?;
    let log = RestLog::of(&h);
    log.wait_settled(&table, 0).await?;

    table.press("Columns").await?;
    table.set_checked("Age", true).await?;
    table.set_checked("Idle", true).await?;
    table.press("Columns").await?;
    wait_for("the Age and Idle columns beside their dates", || async {
        let names = header_names(&table).await?;
        Ok((names
            == [
                "ID",
                "Started",
                "Age",
                "Started by",
                "Template",
                "Module",
                "Entity",
                "Document",
                "Modified",
                "Idle",
                "Locked until",
            ])
        .then_some(()))
    })
    .await?;
    log.wait_settled(&table, 0).await?;

    // The first click on Age: the oldest first, i.e. STARTED ascending.
    let oldest = [("STARTED", "ASC"), ("ID", "ASC")];
    let before = unix_now();
    let mark = log.mark().await?;
    table.click_header_named("Age").await?;
    let sent = log
        .wait_query(mark, "a page ordered by STARTED", |q: &ListQuery| {
            q.start == 0
                && !q.is_signal_count()
                && q.order.first().is_some_and(|(k, _)| k == "STARTED")
        })
        .await?;
    assert_eq!(sent.order, expect_pairs(&oldest));
    table.wait_aria_sort("Age", "descending").await?;
    assert_eq!(table.header("Started").await?.aria_sort, "none");
    let expected = emulator_rows(&h, &oldest, json!({}), 0, 50).await?;
    table
        .wait_ids("the oldest workflows first", &expected.ids)
        .await?;

    // An Age cell reads the time since the row's Started, by now.
    let page = emulator_call(
        &h,
        LIST_METHOD,
        json!({"select": ["ID", "STARTED"], "order": {"STARTED": "ASC", "ID": "ASC"}}),
    )
    .await?;
    check_ages(&table, &page, before).await?;
    let (calls, counts) = cost("click header Age", &log, &table, 0, mark).await?;
    assert_eq!(counts, 0, "sorting costs no counts: {calls:#?}");

    // Again: the youngest first.
    let newest = [("STARTED", "DESC"), ("ID", "DESC")];
    let before = unix_now();
    let mark = log.mark().await?;
    table.click_header_named("Age").await?;
    let sent = log
        .wait_query(mark, "a page ordered by STARTED DESC", |q: &ListQuery| {
            q.start == 0
                && !q.is_signal_count()
                && q.order.first() == Some(&("STARTED".into(), "DESC".into()))
        })
        .await?;
    assert_eq!(sent.order, expect_pairs(&newest));
    table.wait_aria_sort("Age", "ascending").await?;
    assert_eq!(table.header("Started").await?.aria_sort, "none");
    let youngest = emulator_call(
        &h,
        LIST_METHOD,
        json!({"select": ["ID", "STARTED"], "order": {"STARTED": "DESC", "ID": "DESC"}}),
    )
    .await?;
    let ids: Vec<String> = youngest["result"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| text_of(&r["ID"]))
        .collect();
    table.wait_ids("the youngest workflows first", &ids).await?;
    check_ages(&table, &youngest, before).await?;
    cost("click header Age again", &log, &table, 0, mark).await?;

    // Idle: the longest unchanged first, MODIFIED ascending.
    let mark = log.mark().await?;
    table.click_header_named("Idle").await?;
    let sent = log
        .wait_query(mark, "a page ordered by MODIFIED", |q: &ListQuery| {
            q.start == 0
                && !q.is_signal_count()
                && q.order.first().is_some_and(|(k, _)| k == "MODIFIED")
        })
        .await?;
    assert_eq!(
        sent.order,
        expect_pairs(&[("MODIFIED", "ASC"), ("ID", "ASC")])
    );
    table.wait_aria_sort("Idle", "descending").await?;
    assert_eq!(table.header("Age").await?.aria_sort, "none");
    assert_eq!(table.header("Modified").await?.aria_sort, "none");
    cost("click header Idle", &log, &table, 0, mark).await?;

    // Hiding Started and Modified while Age and Idle show asks for the
    // same fields (Age needs STARTED, Idle MODIFIED): the rows on screen
    // answer the new view, so nothing is sent, and Age still reads.
    let mark = log.mark().await?;
    table.press("Columns").await?;
    table.set_checked("Started", false).await?;
    table.set_checked("Modified", false).await?;
    table.press("Columns").await?;
    wait_for("Started and Modified hidden", || async {
        let names: Vec<String> = table.headers().await?.into_iter().map(|h| h.name).collect();
        Ok((!names.iter().any(|n| n == "Started" || n == "Modified")
            && names.iter().any(|n| n == "Age"))
        .then_some(()))
    })
    .await?;
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    let sent = log.queries_since(mark).await?;
    assert!(
        sent.iter().all(ListQuery::is_signal_count),
        "no page asked again: {sent:?}"
    );
    let first = table.ids().await?.first().cloned().unwrap_or_default();
    assert!(!table.cell_shown_text(&first, "Age").await?.is_empty());
    h.finish().await
}

// ---------------------------------------------------------------------------
// (e) The exact timestamp by keyboard

#[tokio::test]
async fn the_exact_timestamp_is_reachable_by_keyboard_and_the_arrows_walk_the_dates() -> Result<()>
{
    let h = Harness::start("signals-keyboard", config(120)?).await?;
    h.portal().open().await?;
    let table = TablePage::of(&h);
    table.wait_showing(&showing(1, 50, 120)).await?;
    let first = emulator_call(
        &h,
        LIST_METHOD,
        json!({"select": ["ID", "STARTED"], "order": {"STARTED": "DESC", "ID": "DESC"}}),
    )
    .await?;
    let id = text_of(&first["result"][0]["ID"]);
    let started = text_of(&first["result"][0]["STARTED"]);
    table
        .wait_ids(
            "page 1",
            &emulator_rows(&h, &NEWEST_FIRST, json!({}), 0, 50)
                .await?
                .ids,
        )
        .await?;
    assert!(
        !table.date_tip_shown(&started).await?,
        "the exact value is not shown before the focus comes"
    );

    let focused = table.tab_to_first_date(40).await?;
    println!("focused: {focused:?}");
    assert_eq!(focused.element.column, "Started");
    assert_eq!(focused.element.tag, "time");
    assert_eq!(
        focused.element.description, started,
        "the exact value, with the portal's offset, as the portal sent it ({id})"
    );
    assert!(started.ends_with("+03:00"), "{started}");
    assert!(focused.tip_visible, "the tooltip shows on keyboard focus");
    screenshot(&h, &screenshot_path("signals-keyboard-focus.png")).await?;
    assert!(
        focused.element.text.contains(" ago"),
        "the cell reads the date and how long ago: {:?}",
        focused.element.text
    );

    // One Tab stop in the whole body; the arrow keys walk the values.
    assert_eq!(table.tab_stops_in_body().await?, 1);
    let keys = Keyboard::of(&h);
    let modified = emulator_call(
        &h,
        LIST_METHOD,
        json!({"select": ["ID", "MODIFIED"], "order": {"STARTED": "DESC", "ID": "DESC"}}),
    )
    .await?;
    let modified_of = |i: usize| text_of(&modified["result"][i]["MODIFIED"]);
    // ArrowRight walks the row's values in reading order: the row's
    // document link and its "Show all workflows of …" button (names and
    // documents) come between Started and Modified.
    let mut passed = Vec::new();
    let right = loop {
        keys.press(&Key::Right.to_string()).await?;
        if let Some(value) = table.focused_value().await? {
            break Some(value);
        }
        let on = keys.focused().await?;
        passed.push((on.tag.clone(), on.indicated));
        if passed.len() > 2 {
            break None;
        }
    };
    // (A document the app cannot link has only the button.)
    let tags: Vec<&str> = passed.iter().map(|(tag, _)| tag.as_str()).collect();
    assert!(
        tags == ["A", "BUTTON"] || tags == ["BUTTON"],
        "the document's link, then its filter button: {passed:?}"
    );
    assert!(
        passed.iter().all(|(_, ring)| *ring),
        "each with a focus ring"
    );
    assert_eq!(
        right
            .as_ref()
            .map(|f| (f.element.column.as_str(), f.element.description.as_str())),
        Some(("Modified", modified_of(0).as_str())),
        "ArrowRight: the same row's next date"
    );
    keys.press(&Key::Down.to_string()).await?;
    let down = table.focused_value().await?;
    assert_eq!(
        down.as_ref()
            .map(|f| (f.element.column.as_str(), f.element.description.as_str())),
        Some(("Modified", modified_of(1).as_str())),
        "ArrowDown: the row below, same column"
    );
    assert!(down.is_some_and(|f| f.tip_visible));
    // Tab leaves the table for the pager; Shift+Tab comes back to the
    // value last focused.
    keys.press(TAB).await?;
    assert_eq!(table.focused_value().await?, None, "Tab left the table");
    let outside = keys.focused().await?;
    println!("after the table, Tab is on {outside:?}");
    keys.press(&format!("{}{}", Key::Shift, Key::Tab)).await?;
    let back = table.focused_value().await?;
    assert_eq!(
        back.map(|f| f.element.description),
        Some(modified_of(1)),
        "Shift+Tab returns to the value last focused"
    );
    let log = RestLog::of(&h);
    cost("first screen (keyboard)", &log, &table, 0, 0).await?;
    h.finish().await
}
