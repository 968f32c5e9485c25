//! The app on a portal of 1,000,000 running workflows: the first screen,
//! the last page, a sort and a preset all show the emulator's own rows
//! for the query, the totals read "of 1,000,000", and each costs the
//! requests it costs on a small portal (the page size sets the cost, not
//! the portal's size). Times are printed, never asserted.

use std::time::Instant;

use e2e::app::app_dist;
use e2e::table::{emulator_rows, list_queries, showing, RestLog, TablePage};
use e2e::{config_serving, Harness, Result};
use serde_json::json;

const WORKFLOWS: u64 = 1_000_000;

#[tokio::test]
async fn a_million_workflows_page_sort_and_filter_like_a_few() -> Result<()> {
    let mut config = config_serving(&app_dist()?);
    config.workflows = WORKFLOWS as usize;
    let h = Harness::start("table-million", config).await?;
    let log = RestLog::of(&h);

    let started = Instant::now();
    h.portal().open().await?;
    let table = TablePage::of(&h);
    table.wait_showing(&showing(1, 50, WORKFLOWS)).await?;
    let newest = [("STARTED", "DESC"), ("ID", "DESC")];
    let expected = emulator_rows(&h, &newest, json!({}), 0, 50).await?;
    assert_eq!(expected.total, WORKFLOWS);
    table.wait_ids("page 1 of a million", &expected.ids).await?;
    println!("first screen: {:?}", started.elapsed());
    log.wait_settled(&table, 0).await?;

    let mark = log.mark().await?;
    let started = Instant::now();
    table.last_page().await?;
    table
        .wait_showing(&showing(WORKFLOWS - 49, WORKFLOWS, WORKFLOWS))
        .await?;
    let expected = emulator_rows(&h, &newest, json!({}), WORKFLOWS - 50, 50).await?;
    table.wait_ids("the last page", &expected.ids).await?;
    println!("last page: {:?}", started.elapsed());
    log.wait_settled(&table, 0).await?;
    let asked: Vec<u64> = log
        .queries_since(mark)
        .await?
        .iter()
        .map(|q| q.start)
        .collect();
    assert_eq!(asked, [WORKFLOWS - 50], "one request, at the last offset");

    let mark = log.mark().await?;
    let started = Instant::now();
    table.click_header("Modified").await?;
    table.wait_aria_sort("Modified", "descending").await?;
    table.wait_showing(&showing(1, 50, WORKFLOWS)).await?;
    let by_modified = [("MODIFIED", "DESC"), ("ID", "DESC")];
    let expected = emulator_rows(&h, &by_modified, json!({}), 0, 50).await?;
    table.wait_ids("page 1 by Modified", &expected.ids).await?;
    println!("sort by Modified: {:?}", started.elapsed());
    log.wait_settled(&table, 0).await?;
    let calls = log.since(mark).await?;
    let starts: Vec<u64> = calls
        .iter()
        .flat_map(list_queries)
        .map(|q| q.start)
        .collect();
    assert_eq!(starts, [0, 50], "page 1 and its prefetch: {calls:#?}");

    let mark = log.mark().await?;
    let started = Instant::now();
    table.apply_preset("Started by automation").await?;
    let sent = log
        .wait_query(mark, "the preset's query", |q| {
            q.start == 0 && q.filter.contains_key("STARTED_BY")
        })
        .await?;
    let expected = emulator_rows(&h, &by_modified, json!({"STARTED_BY": "0"}), 0, 50).await?;
    assert!(
        expected.total > 50 && expected.total < WORKFLOWS,
        "{}",
        expected.total
    );
    table.wait_showing(&showing(1, 50, expected.total)).await?;
    table
        .wait_ids("page 1 of automation's workflows", &expected.ids)
        .await?;
    println!(
        "preset Started by automation ({} rows): {:?}; sent {sent:?}",
        expected.total,
        started.elapsed()
    );
    h.finish().await
}
