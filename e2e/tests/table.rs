//! The workflows table's interactions, end to end: sorting, multi-sort,
//! paging and prefetch, page sizes as one batch, presets and filters, a
//! filter the portal ignores, the URL fragment and the total-changed
//! notice. Each test checks both what the table shows and what the
//! emulator received, and each would fail without the feature it names.
//!
//! Every test prints `REST requests | <interaction> | <n> | <calls>`: the
//! requests the emulator logged from the app between the interaction and
//! the moment the screen showed its result with every answer received
//! (a prefetch of the next page included when it had been sent by then).
//! Collect them with `cargo test -p e2e --test table -- --nocapture`.

use e2e::app::app_dist;
use e2e::table::{
    date_to_unix, emulator_call, emulator_rows, expect_pairs, iso_to_unix, list_queries, pairs,
    showing, text_of, unix_now, user_get_references, ListQuery, RestLog, TablePage, HEADERS,
    LIST_METHOD, USER_GET_METHOD,
};
use e2e::{config_serving, Harness, Result};
use portal_emulator::Config;
use serde_json::{json, Value};

const WORKFLOWS: u64 = 300;

/// The first screen's ORDER: newest first, `ID` as tie-breaker.
const NEWEST_FIRST: [(&str, &str); 2] = [("STARTED", "DESC"), ("ID", "DESC")];

fn config() -> Result<Config> {
    let mut config = config_serving(&app_dist()?);
    config.workflows = WORKFLOWS as usize;
    Ok(config)
}

/// Opens the app in the portal and waits for its first screen.
async fn open(h: &Harness) -> Result<TablePage<'_>> {
    h.portal().open().await?;
    let table = TablePage::of(h);
    table.wait_showing(&showing(1, 50, WORKFLOWS)).await?;
    Ok(table)
}

/// Waits until the screen has settled, then prints and returns what the
/// app asked for since `mark` (see [`RestLog::cost`]).
async fn cost(
    interaction: &str,
    log: &RestLog<'_>,
    table: &TablePage<'_>,
    loaded: u64,
    mark: u64,
) -> Result<Vec<Value>> {
    log.cost(interaction, table, loaded, mark).await
}

fn rows_on(start: u64, total: u64) -> u64 {
    total.saturating_sub(start).min(50)
}

// ---------------------------------------------------------------------------
// Sorting

#[tokio::test]
async fn first_screen_lists_newest_first_from_one_list_request() -> Result<()> {
    let h = Harness::start("table-default", config()?).await?;
    let table = open(&h).await?;
    let expected = emulator_rows(&h, &NEWEST_FIRST, json!({}), 0, 50).await?;
    assert_eq!(expected.total, WORKFLOWS);
    table
        .wait_ids("page 1, newest first", &expected.ids)
        .await?;

    let headers = table.headers().await?;
    let names: Vec<&str> = headers.iter().map(|h| h.name.as_str()).collect();
    assert_eq!(names, HEADERS);
    for header in &headers {
        let want = if header.name == "Started" {
            "descending"
        } else {
            "none"
        };
        assert_eq!(header.aria_sort, want, "{header:?}");
        assert_eq!(header.badge, None, "one sort key, no badges: {header:?}");
    }

    let log = RestLog::of(&h);
    let calls = cost("first screen", &log, &table, 0, 0).await?;
    let page_one: Vec<ListQuery> = calls
        .iter()
        .flat_map(list_queries)
        .filter(|q| q.start == 0 && !q.is_signal_count())
        .collect();
    assert_eq!(page_one.len(), 1, "one request for page 1: {page_one:#?}");
    // 50 rows are one list command; on the first screen it rides in a
    // batch with the user.get that names its people (see names.rs).
    assert_eq!(page_one[0].batch_key.as_deref(), Some("s0"));
    assert_eq!(page_one[0].order, expect_pairs(&NEWEST_FIRST));
    assert!(page_one[0].filter.is_empty(), "{page_one:#?}");
    h.finish().await
}

#[tokio::test]
async fn clicking_a_header_sorts_on_the_server_and_clicking_again_reverses() -> Result<()> {
    let h = Harness::start("table-sort", config()?).await?;
    let table = open(&h).await?;
    let log = RestLog::of(&h);
    log.wait_settled(&table, 0).await?;

    let newest = [("MODIFIED", "DESC"), ("ID", "DESC")];
    let mark = log.mark().await?;
    table.click_header("Modified").await?;
    let sent = log
        .wait_query(mark, "a list query ordered by MODIFIED", |q| {
            q.start == 0 && q.order.first().is_some_and(|(k, _)| k == "MODIFIED")
        })
        .await?;
    assert_eq!(sent.order, expect_pairs(&newest));
    let expected = emulator_rows(&h, &newest, json!({}), 0, 50).await?;
    table
        .wait_ids(
            "rows by MODIFIED DESC, as the emulator orders them",
            &expected.ids,
        )
        .await?;
    table.wait_aria_sort("Modified", "descending").await?;
    assert_eq!(table.header("Started").await?.aria_sort, "none");
    table.wait_showing(&showing(1, 50, WORKFLOWS)).await?;
    let calls = cost("click header Modified", &log, &table, 0, mark).await?;
    let page_one = calls
        .iter()
        .flat_map(list_queries)
        .filter(|q| q.start == 0 && !q.is_signal_count())
        .count();
    assert_eq!(page_one, 1, "one request for the sorted page 1");

    let oldest = [("MODIFIED", "ASC"), ("ID", "ASC")];
    let mark = log.mark().await?;
    table.click_header("Modified").await?;
    let sent = log
        .wait_query(mark, "a list query ordered by MODIFIED ASC", |q| {
            q.start == 0 && q.order.first() == Some(&("MODIFIED".into(), "ASC".into()))
        })
        .await?;
    assert_eq!(sent.order, expect_pairs(&oldest));
    let reversed = emulator_rows(&h, &oldest, json!({}), 0, 50).await?;
    assert_ne!(reversed.ids, expected.ids);
    table
        .wait_ids(
            "rows by MODIFIED ASC, as the emulator orders them",
            &reversed.ids,
        )
        .await?;
    table.wait_aria_sort("Modified", "ascending").await?;
    cost("click header Modified again", &log, &table, 0, mark).await?;
    h.finish().await
}

#[tokio::test]
async fn shift_click_adds_sort_keys_in_click_order_with_id_last() -> Result<()> {
    let h = Harness::start("table-multisort", config()?).await?;
    let table = open(&h).await?;
    let log = RestLog::of(&h);
    log.wait_settled(&table, 0).await?;

    let mark = log.mark().await?;
    table.click_header("Template").await?;
    let sent = log
        .wait_query(mark, "a list query ordered by TEMPLATE_ID", |q| {
            q.start == 0 && q.order.first().is_some_and(|(k, _)| k == "TEMPLATE_ID")
        })
        .await?;
    assert_eq!(
        sent.order,
        expect_pairs(&[("TEMPLATE_ID", "ASC"), ("ID", "ASC")])
    );
    table.wait_aria_sort("Template", "ascending").await?;
    cost("click header Template", &log, &table, 0, mark).await?;

    let both = [("TEMPLATE_ID", "ASC"), ("STARTED", "DESC"), ("ID", "ASC")];
    let mark = log.mark().await?;
    table.shift_click_header("Started").await?;
    let sent = log
        .wait_query(mark, "a list query with a second sort key", |q| {
            q.start == 0 && q.order.len() == 3
        })
        .await?;
    assert_eq!(sent.order, expect_pairs(&both), "click order, then ID");
    let expected = emulator_rows(&h, &both, json!({}), 0, 50).await?;
    table
        .wait_ids("rows by template, then newest first", &expected.ids)
        .await?;
    let template = table.header("Template").await?;
    let started = table.header("Started").await?;
    assert_eq!(template.badge.as_deref(), Some("1"), "{template:?}");
    assert_eq!(started.badge.as_deref(), Some("2"), "{started:?}");
    assert_eq!(template.aria_sort, "ascending");
    for other in table.headers().await? {
        if other.name != "Template" && other.name != "Started" {
            assert_eq!(other.badge, None, "{other:?}");
        }
    }
    cost("shift+click header Started", &log, &table, 0, mark).await?;
    h.finish().await
}

// ---------------------------------------------------------------------------
// Paging

#[tokio::test]
async fn next_page_shows_rows_51_to_100_without_a_request_once_prefetched() -> Result<()> {
    let h = Harness::start("table-next", config()?).await?;
    let table = open(&h).await?;
    let log = RestLog::of(&h);
    log.wait_query(0, "the prefetch of rows 51–100", |q| q.start == 50)
        .await?;
    log.wait_settled(&table, 0).await?;

    let mark = log.mark().await?;
    table.next_page().await?;
    table.wait_showing(&showing(51, 100, WORKFLOWS)).await?;
    let expected = emulator_rows(&h, &NEWEST_FIRST, json!({}), 50, 50).await?;
    table.wait_ids("rows 51–100", &expected.ids).await?;
    let calls = cost("next page (prefetched)", &log, &table, 0, mark).await?;
    let refetched: Vec<ListQuery> = calls
        .iter()
        .flat_map(list_queries)
        .filter(|q| q.start == 50)
        .collect();
    assert!(
        refetched.is_empty(),
        "page 2 must come from the prefetch: {refetched:#?}"
    );
    let page_two_cost = calls
        .iter()
        .flat_map(list_queries)
        .filter(|q| q.start < 100)
        .count();
    println!("REST requests | showing page 2 after the prefetch | {page_two_cost} |");

    let mark = log.mark().await?;
    table.previous_page().await?;
    table.wait_showing(&showing(1, 50, WORKFLOWS)).await?;
    let first = emulator_rows(&h, &NEWEST_FIRST, json!({}), 0, 50).await?;
    table.wait_ids("rows 1–50 again", &first.ids).await?;
    cost("previous page", &log, &table, 0, mark).await?;
    h.finish().await
}

#[tokio::test]
async fn last_page_and_jump_to_page_show_the_right_rows() -> Result<()> {
    let h = Harness::start("table-last", config()?).await?;
    let table = open(&h).await?;
    let log = RestLog::of(&h);
    log.wait_settled(&table, 0).await?;

    let mark = log.mark().await?;
    table.last_page().await?;
    table.wait_showing(&showing(251, 300, WORKFLOWS)).await?;
    let last = emulator_rows(&h, &NEWEST_FIRST, json!({}), 250, 50).await?;
    table.wait_ids("rows 251–300", &last.ids).await?;
    let calls = cost("last page", &log, &table, 0, mark).await?;
    let asked: Vec<u64> = calls
        .iter()
        .flat_map(list_queries)
        .map(|q| q.start)
        .collect();
    assert!(
        asked.contains(&250),
        "the last page is start=250: {asked:?}"
    );

    let mark = log.mark().await?;
    table.go_to_page(3).await?;
    table.wait_showing(&showing(101, 150, WORKFLOWS)).await?;
    let third = emulator_rows(&h, &NEWEST_FIRST, json!({}), 100, 50).await?;
    table.wait_ids("rows 101–150", &third.ids).await?;
    let calls = cost("jump to page 3", &log, &table, 0, mark).await?;
    let asked: Vec<u64> = calls
        .iter()
        .flat_map(list_queries)
        .map(|q| q.start)
        .collect();
    assert!(asked.contains(&100), "page 3 is start=100: {asked:?}");

    let mark = log.mark().await?;
    table.first_page().await?;
    table.wait_showing(&showing(1, 50, WORKFLOWS)).await?;
    let first = emulator_rows(&h, &NEWEST_FIRST, json!({}), 0, 50).await?;
    table.wait_ids("rows 1–50", &first.ids).await?;
    cost("first page", &log, &table, 0, mark).await?;
    h.finish().await
}

#[tokio::test]
async fn two_hundred_rows_per_page_come_from_one_batch_of_four_offsets() -> Result<()> {
    let h = Harness::start("table-size", config()?).await?;
    let table = open(&h).await?;
    let log = RestLog::of(&h);
    log.wait_settled(&table, 0).await?;

    let mark = log.mark().await?;
    table.set_rows_per_page(200).await?;
    table.wait_showing(&showing(1, 200, WORKFLOWS)).await?;
    let expected = emulator_rows(&h, &NEWEST_FIRST, json!({}), 0, 200).await?;
    let rows = table.wait_ids("rows 1–200", &expected.ids).await?;
    assert_eq!(rows.len(), 200);
    let calls = cost("rows per page 200", &log, &table, 0, mark).await?;

    let page: Vec<&Value> = calls
        .iter()
        .filter(|c| list_queries(c).iter().any(|q| q.start < 200))
        .collect();
    assert_eq!(page.len(), 1, "one request for 200 rows: {calls:#?}");
    let batch = page[0];
    assert_eq!(batch["method"], "batch");
    // The four offsets, then one `user.get` per offset naming that part's
    // people by reference: a screen of new rows comes named in one request.
    assert_eq!(
        batch["batch_methods"],
        json!([
            LIST_METHOD,
            LIST_METHOD,
            LIST_METHOD,
            LIST_METHOD,
            USER_GET_METHOD,
            USER_GET_METHOD,
            USER_GET_METHOD,
            USER_GET_METHOD
        ])
    );
    assert_eq!(user_get_references(batch).len(), 4, "{batch:#?}");
    let parts = list_queries(batch);
    let keys: Vec<&str> = parts
        .iter()
        .map(|q| q.batch_key.as_deref().unwrap_or(""))
        .collect();
    assert_eq!(keys, ["s0", "s50", "s100", "s150"]);
    let starts: Vec<u64> = parts.iter().map(|q| q.start).collect();
    assert_eq!(starts, [0, 50, 100, 150]);
    for part in &parts {
        assert_eq!(part.order, expect_pairs(&NEWEST_FIRST), "{part:?}");
    }
    h.finish().await
}

// ---------------------------------------------------------------------------
// Presets and filters

#[tokio::test]
async fn stuck_preset_asks_for_locks_older_than_five_minutes() -> Result<()> {
    let mut config = config()?;
    // Data anchored to now: some locks run into the future, some expired a
    // moment ago; neither is stuck.
    config.epoch = None;
    let h = Harness::start("table-stuck", config).await?;
    let table = open(&h).await?;
    let log = RestLog::of(&h);
    log.wait_settled(&table, 0).await?;

    let before = unix_now();
    let mark = log.mark().await?;
    table.apply_preset("Stuck").await?;
    let sent = log
        .wait_query(mark, "a list query filtered on OWNED_UNTIL", |q| {
            q.start == 0 && !q.is_signal_count() && q.filter.contains_key("<OWNED_UNTIL")
        })
        .await?;
    let after = unix_now();
    assert_eq!(sent.filter.len(), 1, "{sent:?}");
    assert_eq!(sent.order, expect_pairs(&NEWEST_FIRST));
    let bound = text_of(&sent.filter["<OWNED_UNTIL"]);
    let at = iso_to_unix(&bound).unwrap_or_else(|| panic!("not an ISO date: {bound}"));
    assert!(
        (before - 305..=after - 295).contains(&at),
        "locked until more than 5 minutes ago: {bound} ({at}), now {before}..{after}"
    );

    let expected = emulator_rows(&h, &NEWEST_FIRST, json!({"<OWNED_UNTIL": bound}), 0, 50).await?;
    assert!(
        (1..WORKFLOWS).contains(&expected.total),
        "{}",
        expected.total
    );
    table
        .wait_showing(&showing(1, rows_on(0, expected.total), expected.total))
        .await?;
    let rows = table
        .wait_ids("only stuck workflows", &expected.ids)
        .await?;
    for row in &rows {
        let locked = row
            .get("Locked until")
            .and_then(Value::as_str)
            .unwrap_or("");
        assert!(!locked.is_empty(), "a stuck row is locked: {row:?}");
    }
    table.wait_chips(&["Stuck"]).await?;
    cost("preset Stuck", &log, &table, 0, mark).await?;
    let alerts = table.role_texts("alert").await?;
    assert!(alerts.iter().all(|a| !a.contains("ignored")), "{alerts:?}");
    h.finish().await
}

#[tokio::test]
async fn started_by_automation_preset_lists_only_system_workflows() -> Result<()> {
    let h = Harness::start("table-auto", config()?).await?;
    let table = open(&h).await?;
    let log = RestLog::of(&h);
    log.wait_settled(&table, 0).await?;

    let mark = log.mark().await?;
    table.apply_preset("Started by automation").await?;
    let sent = log
        .wait_query(mark, "a list query filtered on STARTED_BY", |q| {
            q.start == 0 && !q.is_signal_count() && q.filter.contains_key("STARTED_BY")
        })
        .await?;
    assert_eq!(
        pairs(&Value::Object(sent.filter.clone())),
        expect_pairs(&[("STARTED_BY", "0")])
    );
    let expected = emulator_rows(&h, &NEWEST_FIRST, json!({"STARTED_BY": "0"}), 0, 50).await?;
    assert!(
        (1..WORKFLOWS).contains(&expected.total),
        "{}",
        expected.total
    );
    table
        .wait_showing(&showing(1, rows_on(0, expected.total), expected.total))
        .await?;
    table
        .wait_ids("only workflows started by automation", &expected.ids)
        .await?;
    table.wait_chips(&["Started by automation"]).await?;
    cost("preset Started by automation", &log, &table, 0, mark).await?;
    h.finish().await
}

/// A template with running workflows, as offered by the "Template" select:
/// `(option value, template ID, workflows of it)`, the most used one.
async fn pick_template(h: &Harness, table: &TablePage<'_>) -> Result<(String, String, u64)> {
    let mut counts: Vec<(String, u64)> = Vec::new();
    let mut start = 0;
    while start < WORKFLOWS {
        let page = emulator_call(
            h,
            LIST_METHOD,
            json!({"select": ["ID", "TEMPLATE_ID"], "order": {"ID": "ASC"}, "start": start}),
        )
        .await?;
        for row in page["result"].as_array().into_iter().flatten() {
            let id = text_of(&row["TEMPLATE_ID"]);
            match counts.iter_mut().find(|(t, _)| *t == id) {
                Some((_, n)) => *n += 1,
                None => counts.push((id, 1)),
            }
        }
        start += 50;
    }
    let names = emulator_call(
        h,
        "bizproc.workflow.template.list",
        json!({"select": ["ID", "NAME"]}),
    )
    .await?;
    let name_of = |id: &str| {
        names["result"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|t| text_of(&t["ID"]) == id)
            .map(|t| text_of(&t["NAME"]))
    };
    counts.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    // The options come from template.list, loaded after the select appears.
    let found = e2e::wait_for("a template with workflows among the options", || async {
        let options = table.options("Template").await?;
        Ok(counts.iter().find_map(|(id, n)| {
            let name = name_of(id);
            options
                .iter()
                .find(|(value, text)| value == id || Some(text) == name.as_ref())
                .map(|(value, _)| (value.clone(), id.clone(), *n))
        }))
    })
    .await;
    if found.is_err() {
        eprintln!("Template options: {:?}", table.options("Template").await);
    }
    found
}

#[tokio::test]
async fn template_filter_lists_only_that_templates_workflows() -> Result<()> {
    let h = Harness::start("table-template", config()?).await?;
    let table = open(&h).await?;
    let log = RestLog::of(&h);
    log.wait_settled(&table, 0).await?;
    let (value, template, count) = pick_template(&h, &table).await?;

    let mark = log.mark().await?;
    table.choose_value("Template", &value).await?;
    let sent = log
        .wait_query(mark, "a list query filtered on TEMPLATE_ID", |q| {
            q.start == 0 && !q.is_signal_count() && q.filter.contains_key("TEMPLATE_ID")
        })
        .await?;
    assert_eq!(
        pairs(&Value::Object(sent.filter.clone())),
        expect_pairs(&[("TEMPLATE_ID", &template)])
    );
    let expected =
        emulator_rows(&h, &NEWEST_FIRST, json!({"TEMPLATE_ID": template}), 0, 50).await?;
    assert_eq!(expected.total, count);
    assert!(count < WORKFLOWS);
    table
        .wait_showing(&showing(1, rows_on(0, count), count))
        .await?;
    table
        .wait_ids("only the template's workflows", &expected.ids)
        .await?;
    let chips = table.chips().await?;
    assert!(
        chips.len() == 1 && chips[0].starts_with("Template is"),
        "{chips:?}"
    );
    cost("Template filter", &log, &table, 0, mark).await?;
    let alerts = table.role_texts("alert").await?;
    assert!(alerts.iter().all(|a| !a.contains("ignored")), "{alerts:?}");
    h.finish().await
}

#[tokio::test]
async fn a_filter_the_portal_ignores_is_named_in_an_alert() -> Result<()> {
    let h = Harness::start("table-ignored", config()?).await?;
    let table = open(&h).await?;
    let log = RestLog::of(&h);
    log.wait_settled(&table, 0).await?;
    h.control
        .post(
            "/_emulator/knobs",
            &json!({"ignore_filter_fields": ["TEMPLATE_ID"]}),
        )
        .await?;
    let (value, template, _) = pick_template(&h, &table).await?;

    let mark = log.mark().await?;
    table.choose_value("Template", &value).await?;
    let sent = log
        .wait_query(mark, "a list query filtered on TEMPLATE_ID", |q| {
            q.start == 0 && !q.is_signal_count() && q.filter.contains_key("TEMPLATE_ID")
        })
        .await?;
    assert_eq!(text_of(&sent.filter["TEMPLATE_ID"]), template);
    let alert = table
        .wait_role_text("alert", "ignored the Template filter")
        .await?;
    println!("alert: {alert}");
    cost(
        "Template filter, ignored by the portal",
        &log,
        &table,
        0,
        mark,
    )
    .await?;
    h.finish().await
}

#[tokio::test]
async fn started_range_is_sent_as_an_id_range_and_works_where_started_is_ignored() -> Result<()> {
    let h = Harness::start("table-started", config()?).await?;
    let table = open(&h).await?;
    let log = RestLog::of(&h);
    log.wait_settled(&table, 0).await?;
    h.control
        .post("/_emulator/knobs", &json!({"started_filter": "ignore"}))
        .await?;
    // This portal really does ignore a STARTED filter.
    let on_started = emulator_rows(
        &h,
        &NEWEST_FIRST,
        json!({">=STARTED": "2025-04-01T00:00:00+00:00", "<STARTED": "2025-07-01T00:00:00+00:00"}),
        0,
        50,
    )
    .await?;
    assert_eq!(on_started.total, WORKFLOWS);

    let mark = log.mark().await?;
    table
        .fill_range("Started", "2025-04-01", "2025-06-30")
        .await?;
    let sent = log
        .wait_query(mark, "a list query with an ID range", |q| {
            q.start == 0
                && !q.is_signal_count()
                && q.filter.contains_key(">=ID")
                && q.filter.contains_key("<ID")
        })
        .await?;
    let keys: Vec<&str> = sent.filter.keys().map(String::as_str).collect();
    assert_eq!(keys, [">=ID", "<ID"], "only the ID range: {sent:?}");
    let (from, to) = (text_of(&sent.filter[">=ID"]), text_of(&sent.filter["<ID"]));
    let hex = |s: &str| {
        assert!(
            s.len() == 8
                && s.bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
            "8 lower-case hex digits: {s}"
        );
        i64::from_str_radix(s, 16).unwrap_or_default()
    };
    let (from_s, to_s) = (hex(&from), hex(&to));
    let day_one = date_to_unix("2025-04-01").unwrap_or_default();
    let day_after = date_to_unix("2025-07-01").unwrap_or_default();
    assert!(
        (from_s - day_one).abs() <= 14 * 3600,
        "from is the start of 2025-04-01 in some time zone: {from}"
    );
    assert_eq!(
        to_s - from_s,
        day_after - day_one,
        "to covers all of 30 June"
    );

    let expected =
        emulator_rows(&h, &NEWEST_FIRST, json!({">=ID": from, "<ID": to}), 0, 50).await?;
    assert!(
        (1..WORKFLOWS).contains(&expected.total),
        "{}",
        expected.total
    );
    table
        .wait_showing(&showing(1, rows_on(0, expected.total), expected.total))
        .await?;
    table
        .wait_ids("only workflows started April–June 2025", &expected.ids)
        .await?;
    cost("Started range", &log, &table, 0, mark).await?;
    let alerts = table.role_texts("alert").await?;
    assert!(alerts.iter().all(|a| !a.contains("ignored")), "{alerts:?}");
    h.finish().await
}

#[tokio::test]
async fn removing_chips_and_clear_all_return_to_the_full_list() -> Result<()> {
    let h = Harness::start("table-clear", config()?).await?;
    let table = open(&h).await?;
    let log = RestLog::of(&h);
    log.wait_settled(&table, 0).await?;

    let mark = log.mark().await?;
    table.apply_preset("Started by automation").await?;
    table.wait_chips(&["Started by automation"]).await?;
    table.apply_preset("Older than 30 days").await?;
    table
        .wait_chips(&["Started by automation", "Older than 30 days"])
        .await?;
    let both = log
        .wait_query(mark, "a list query with both filters", |q| {
            q.start == 0
                && !q.is_signal_count()
                && q.filter.contains_key("STARTED_BY")
                && q.filter.contains_key("<ID")
        })
        .await?;
    let expected = emulator_rows(&h, &NEWEST_FIRST, Value::Object(both.filter), 0, 50).await?;
    table
        .wait_showing(&showing(1, rows_on(0, expected.total), expected.total))
        .await?;
    cost("two presets", &log, &table, 0, mark).await?;

    let mark = log.mark().await?;
    table.remove_chip("Older than 30 days").await?;
    table.wait_chips(&["Started by automation"]).await?;
    let automation = emulator_rows(&h, &NEWEST_FIRST, json!({"STARTED_BY": "0"}), 0, 50).await?;
    table
        .wait_showing(&showing(1, rows_on(0, automation.total), automation.total))
        .await?;
    table
        .wait_ids("automation's workflows again", &automation.ids)
        .await?;
    cost("remove one chip", &log, &table, 0, mark).await?;

    let mark = log.mark().await?;
    table.clear_all().await?;
    table.wait_chips(&[]).await?;
    table.wait_showing(&showing(1, 50, WORKFLOWS)).await?;
    let all = emulator_rows(&h, &NEWEST_FIRST, json!({}), 0, 50).await?;
    table.wait_ids("the full list", &all.ids).await?;
    let calls = cost("Clear all", &log, &table, 0, mark).await?;
    for q in calls
        .iter()
        .flat_map(list_queries)
        .filter(|q| !q.is_signal_count())
    {
        assert!(q.filter.is_empty(), "no filter after Clear all: {q:?}");
    }
    h.finish().await
}

// ---------------------------------------------------------------------------
// View state and a changing list

#[tokio::test]
async fn the_url_fragment_keeps_sort_and_page_across_a_portal_reload() -> Result<()> {
    let h = Harness::start("table-fragment", config()?).await?;
    let table = open(&h).await?;
    let log = RestLog::of(&h);
    let by_modified = [("MODIFIED", "DESC"), ("ID", "DESC")];
    table.click_header("Modified").await?;
    table.wait_aria_sort("Modified", "descending").await?;
    let first = emulator_rows(&h, &by_modified, json!({}), 0, 50).await?;
    table.wait_ids("page 1 by MODIFIED", &first.ids).await?;
    table.next_page().await?;
    table.wait_showing(&showing(51, 100, WORKFLOWS)).await?;
    let second = emulator_rows(&h, &by_modified, json!({}), 50, 50).await?;
    table.wait_ids("page 2 by MODIFIED", &second.ids).await?;
    let fragment = table.fragment().await?;
    assert!(
        fragment.contains("page=2") && fragment.contains("modified"),
        "the view is in the fragment: {fragment:?}"
    );
    log.wait_settled(&table, 0).await?;

    let mark = log.mark().await?;
    h.portal().reload().await?;
    let table = TablePage::of(&h);
    table.wait_showing(&showing(51, 100, WORKFLOWS)).await?;
    table
        .wait_ids("page 2 by MODIFIED after the reload", &second.ids)
        .await?;
    table.wait_aria_sort("Modified", "descending").await?;
    assert_eq!(table.fragment().await?, fragment);
    let calls = cost("portal reload with a view", &log, &table, mark, mark).await?;
    assert!(
        calls
            .iter()
            .flat_map(list_queries)
            .any(|q| q.start == 50 && q.order == expect_pairs(&by_modified)),
        "page 2 by MODIFIED was asked for: {calls:#?}"
    );
    h.finish().await
}

#[tokio::test]
async fn a_total_that_changed_between_pages_is_announced() -> Result<()> {
    let h = Harness::start("table-changed", config()?).await?;
    let table = open(&h).await?;
    let log = RestLog::of(&h);
    log.wait_query(0, "the prefetch of rows 51–100", |q| q.start == 50)
        .await?;
    log.wait_settled(&table, 0).await?;
    h.control
        .post("/_emulator/workflows", &json!({"count": 5}))
        .await?;
    let grown = WORKFLOWS + 5;

    let mark = log.mark().await?;
    table.next_page().await?;
    e2e::wait_for("page 2 to show", || async {
        Ok(table
            .showing()
            .await?
            .starts_with("Showing 51–100 of ")
            .then_some(()))
    })
    .await?;
    let noticed = |texts: Vec<String>| texts.into_iter().find(|t| t.contains("changed"));
    let mut start = 50;
    if noticed(table.role_texts("status").await?).is_none() {
        // Page 2 was prefetched before the change: the app learns the new
        // total with the page after it.
        table.next_page().await?;
        table.wait_showing(&showing(101, 150, grown)).await?;
        start = 100;
    }
    let notice = table.wait_role_text("status", "changed").await?;
    assert!(
        notice.contains("305"),
        "the notice gives the new total: {notice}"
    );
    table
        .wait_showing(&showing(start + 1, start + 50, grown))
        .await?;
    let expected = emulator_rows(&h, &NEWEST_FIRST, json!({}), start, 50).await?;
    assert_eq!(expected.total, grown);
    table
        .wait_ids("the rows of the changed list", &expected.ids)
        .await?;
    println!("notice: {notice}");
    cost("paging after 5 workflows started", &log, &table, 0, mark).await?;
    h.finish().await
}

/// Waits until the table's headers are `want`, in that order.
async fn wait_headers(table: &TablePage<'_>, want: &[&str]) -> Result<()> {
    e2e::wait_for(&format!("the headers {want:?}"), || async {
        let names: Vec<String> = table.headers().await?.into_iter().map(|h| h.name).collect();
        Ok((names == want).then_some(()))
    })
    .await
}

#[tokio::test]
async fn column_choice_and_the_default_view_come_back_on_the_next_open() -> Result<()> {
    let h = Harness::start("table-saved", config()?).await?;
    let table = open(&h).await?;
    let log = RestLog::of(&h);
    log.wait_settled(&table, 0).await?;

    // Hide "Template", move "Modified" before "Document".
    let chosen = [
        "ID",
        "Started",
        "Started by",
        "Module",
        "Entity",
        "Modified",
        "Document",
        "Locked until",
    ];
    let mark = log.mark().await?;
    table.press("Columns").await?;
    table.set_checked("Template", false).await?;
    table.press("Move Modified up").await?;
    wait_headers(&table, &chosen).await?;
    let narrowed = log
        .wait_query(mark, "a list query without TEMPLATE_ID", |q| {
            q.start == 0 && !q.is_signal_count() && !q.select.is_empty()
        })
        .await?;
    assert!(
        !narrowed.select.iter().any(|f| f == "TEMPLATE_ID"),
        "a hidden column is not asked for: {narrowed:?}"
    );
    assert!(
        narrowed.select.iter().any(|f| f == "MODIFIED"),
        "a shown column is asked for: {narrowed:?}"
    );
    let saved = e2e::wait_for("wm_columns in the user options", || async {
        let options = h.control.get("/_emulator/options").await?;
        Ok(options["user"].get("wm_columns").cloned())
    })
    .await?;
    println!("wm_columns: {saved}");

    // A view of its own, saved as the default.
    table.click_header("Modified").await?;
    table.wait_aria_sort("Modified", "descending").await?;
    table.apply_preset("Started by automation").await?;
    table.wait_chips(&["Started by automation"]).await?;
    table.press("Save as default view").await?;
    table.wait_role_text("status", "default view").await?;
    let view = e2e::wait_for("wm_view in the user options", || async {
        let options = h.control.get("/_emulator/options").await?;
        Ok(options["user"].get("wm_view").cloned())
    })
    .await?;
    println!("wm_view: {view}");
    log.wait_settled(&table, 0).await?;

    // The next open: a new tab (no fragment, no session storage of the
    // old tab), a new render of the portal page with the saved options
    // in its init data.
    let mark = log.mark().await?;
    let tab = h.client.new_window(true).await?;
    h.client.switch_to_window(tab.handle).await?;
    h.portal().open().await?;
    let table = TablePage::of(&h);
    wait_headers(&table, &chosen).await?;
    table.wait_aria_sort("Modified", "descending").await?;
    table.wait_chips(&["Started by automation"]).await?;
    let by_modified = [("MODIFIED", "DESC"), ("ID", "DESC")];
    let expected = emulator_rows(&h, &by_modified, json!({"STARTED_BY": "0"}), 0, 50).await?;
    table
        .wait_showing(&showing(1, rows_on(0, expected.total), expected.total))
        .await?;
    table
        .wait_ids("the default view's rows", &expected.ids)
        .await?;
    let calls = cost(
        "next open with a saved default view",
        &log,
        &table,
        mark,
        mark,
    )
    .await?;
    let first = calls
        .iter()
        .flat_map(list_queries)
        .find(|q| q.start == 0 && !q.is_signal_count())
        .ok_or_else(|| e2e::HarnessError::Unexpected(format!("no page 1 asked for: {calls:#?}")))?;
    assert_eq!(first.order, expect_pairs(&by_modified));
    assert_eq!(
        pairs(&Value::Object(first.filter.clone())),
        expect_pairs(&[("STARTED_BY", "0")])
    );
    assert!(
        !first.select.iter().any(|f| f == "TEMPLATE_ID"),
        "the saved column choice shapes SELECT: {first:?}"
    );
    h.finish().await
}
