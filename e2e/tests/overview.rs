//! The overview, end to end: every chart's numbers against the emulator's
//! own counts for the same filters, a bar's click filtering the table to
//! exactly that set, the overview's cost from the REST log, axe in the
//! light and the dark theme, and Russian. Each test would fail without the
//! feature it names.

use e2e::app::{app_dist, screenshot, screenshot_path};
use e2e::look::{describe, Look};
use e2e::oracles::emulator::emulator_call;
use e2e::oracles::rest_log::RestLog;
use e2e::table::{showing, TablePage};
use e2e::{config_serving, wait_for, Harness, Result};
use portal_emulator::Config;
use serde_json::{json, Value};

fn config(workflows: usize, lang: &str) -> Result<Config> {
    let mut config = config_serving(&app_dist()?);
    config.workflows = workflows;
    config.lang = lang.to_owned();
    Ok(config)
}

/// One bar as the page shows it.
#[derive(Debug, Clone)]
struct Bar {
    token: String,
    label: String,
    count: u64,
    pressed: bool,
}

/// Opens the portal, waits for the first rows, opens the overview and
/// waits until no chart is counting; the REST log mark taken before the
/// overview opened.
async fn open_overview(h: &Harness) -> Result<u64> {
    h.portal().open().await?;
    let table = TablePage::of(h);
    wait_for("the first rows", || async {
        Ok((!table.ids().await?.is_empty()).then_some(()))
    })
    .await?;
    let mark = RestLog::of(h).mark().await?;
    h.portal()
        .in_app(
            "document.querySelector('#wm-overview summary').click(); return null;",
            vec![],
        )
        .await?;
    wait_counted(h).await?;
    // The benchmark times the overview by this mark.
    let marked = h
        .portal()
        .in_app(
            "return performance.getEntriesByName('wm:overview', 'mark').length > 0;",
            vec![],
        )
        .await?;
    assert_eq!(marked, json!(true), "the wm:overview mark is set");
    Ok(mark)
}

/// Waits until four charts are drawn and none is counting.
async fn wait_counted(h: &Harness) -> Result<()> {
    wait_for("the overview counted", || async {
        let v = h
            .portal()
            .in_app(
                "const f = document.querySelectorAll('#wm-overview .wm-chart');
                 const counting = Array.from(document.querySelectorAll('#wm-overview .wm-chart__note'))
                   .some(n => /Counting|Подсчёт/.test(n.textContent));
                 return f.length === 4 && !counting;",
                vec![],
            )
            .await?;
        Ok((v == json!(true)).then_some(()))
    })
    .await
}

/// The bars of chart `chart` (`template`, `age`, `kind`, `starter`).
async fn bars(h: &Harness, chart: &str) -> Result<Vec<Bar>> {
    let v = h
        .portal()
        .in_app(
            "return Array.from(document.querySelectorAll(
               '#wm-overview [data-chart=\"' + arguments[0] + '\"] .wm-bar')).map(b => ({
               token: b.getAttribute('data-bar') || '',
               label: b.querySelector('.wm-bar__label').textContent,
               count: b.querySelector('.wm-bar__count').textContent,
               pressed: b.getAttribute('aria-pressed') === 'true'}));",
            vec![json!(chart)],
        )
        .await?;
    Ok(v.as_array()
        .into_iter()
        .flatten()
        .map(|b| Bar {
            token: b["token"].as_str().unwrap_or_default().to_owned(),
            label: b["label"].as_str().unwrap_or_default().to_owned(),
            count: b["count"]
                .as_str()
                .unwrap_or_default()
                .chars()
                .filter(char::is_ascii_digit)
                .collect::<String>()
                .parse()
                .unwrap_or(u64::MAX),
            pressed: b["pressed"].as_bool().unwrap_or(false),
        })
        .collect())
}

/// The emulator's own count under `filter`.
async fn count(h: &Harness, filter: Value) -> Result<u64> {
    let v = emulator_call(
        h,
        "bizproc.workflow.instances",
        json!({"select": ["ID"], "filter": filter}),
    )
    .await?;
    v["total"]
        .as_u64()
        .ok_or_else(|| e2e::HarnessError::Unexpected(format!("no total in {v}")))
}

#[tokio::test]
async fn every_chart_counts_what_the_emulator_counts_and_a_bar_filters_the_table() -> Result<()> {
    let h = Harness::start("overview-counts", config(1500, "en")?).await?;
    let mark = open_overview(&h).await?;
    let all = count(&h, json!({})).await?;
    // The README's picture (under target/ unless WFM_UPDATE_DOCS is set).
    screenshot(&h, &screenshot_path("overview.png")).await?;

    // Cost: three batches of at most 50 commands, after the first rows.
    let calls = RestLog::of(&h).since(mark).await?;
    let batches: Vec<&Value> = calls.iter().filter(|c| c["method"] == "batch").collect();
    assert_eq!(batches.len(), 3, "{calls:#?}");
    for b in &batches {
        let n = b["params"]["cmd"].as_object().map_or(0, |c| c.len());
        assert!((1..=50).contains(&n), "{n} commands");
    }
    let others: Vec<&Value> = calls
        .iter()
        .filter(|c| c["method"] != "batch" && c["method"] != "user.get")
        .collect();
    assert!(others.is_empty(), "only batches and names: {others:#?}");

    // By template: each bar is the emulator's count for that template; the
    // rest of the total is automation.
    let templates = bars(&h, "template").await?;
    assert!(!templates.is_empty());
    let mut listed = 0;
    for b in &templates {
        if let Some(id) = b.token.strip_prefix('t') {
            let id: u64 = id.parse().unwrap_or_default();
            assert_eq!(
                b.count,
                count(&h, json!({"TEMPLATE_ID": id})).await?,
                "{b:?}"
            );
            listed += b.count;
        }
    }
    let rest: u64 = templates
        .iter()
        .filter(|b| b.token.is_empty())
        .map(|b| b.count)
        .sum();
    assert_eq!(listed + rest, all, "{templates:?}");

    // By age: the bands add up to all.
    let ages = bars(&h, "age").await?;
    assert_eq!(ages.len(), 6, "{ages:?}");
    assert_eq!(ages.iter().map(|b| b.count).sum::<u64>(), all);

    // By document kind: a deal bar is the emulator's deal count.
    let kinds = bars(&h, "kind").await?;
    assert_eq!(kinds.iter().map(|b| b.count).sum::<u64>(), all, "{kinds:?}");
    let deals = count(
        &h,
        json!({"MODULE_ID": "crm", "ENTITY": "CCrmDocumentDeal"}),
    )
    .await?;
    if deals > 0 {
        let bar = kinds.iter().find(|b| b.token == "kdeal");
        assert_eq!(bar.map(|b| b.count), Some(deals), "{kinds:?}");
    }

    // By who started it: under 2,500 every workflow is counted, exactly.
    let starters = bars(&h, "starter").await?;
    for b in starters.iter().filter(|b| b.token.starts_with('u')) {
        let id: u64 = b.token[1..].parse().unwrap_or_default();
        assert_eq!(
            b.count,
            count(&h, json!({"STARTED_BY": id})).await?,
            "{b:?}"
        );
        assert!(!b.label.is_empty());
    }
    let note = h
        .portal()
        .in_app(
            "return document.querySelector('[data-chart=\"starter\"] .wm-chart__note').textContent;",
            vec![],
        )
        .await?;
    assert_eq!(note, json!("All 1,500 workflows counted."));

    // A bar's click: the table shows exactly that set, and the chart marks it.
    let first = templates
        .iter()
        .find(|b| b.token.starts_with('t'))
        .cloned()
        .ok_or_else(|| e2e::HarnessError::Unexpected("no template bar".into()))?;
    h.portal()
        .in_app(
            "document.querySelector('#wm-overview [data-bar=\"' + arguments[0] + '\"]').click(); return null;",
            vec![json!(first.token)],
        )
        .await?;
    let table = TablePage::of(&h);
    table
        .wait_showing(&showing(1, first.count.min(50), first.count))
        .await?;
    wait_for("the bar marked", || async {
        let t = bars(&h, "template").await?;
        Ok(t.iter()
            .any(|b| b.token == first.token && b.pressed)
            .then_some(()))
    })
    .await?;
    wait_counted(&h).await?;
    // The age chart now counts that template's workflows only.
    let ages = bars(&h, "age").await?;
    assert_eq!(ages.iter().map(|b| b.count).sum::<u64>(), first.count);
    Ok(())
}

#[tokio::test]
async fn the_overview_passes_axe_in_the_light_and_the_dark_theme() -> Result<()> {
    let h = Harness::start("overview-axe", config(300, "en")?).await?;
    open_overview(&h).await?;
    let table = TablePage::of(&h);
    let look = Look::of(&table.app);
    for (theme, dark) in [("Light", false), ("Dark", true)] {
        table.choose("Theme", theme).await?;
        look.wait_dark(dark).await?;
        let report = look.axe().await?;
        assert!(
            report.violations.is_empty(),
            "axe, {theme} theme, with the overview open:\n{}",
            describe(&report.violations)
        );
    }
    // The bars are buttons reached by Tab, each named by its text.
    let named = h
        .portal()
        .in_app(
            "return Array.from(document.querySelectorAll('#wm-overview button.wm-bar'))
               .every(b => b.tabIndex === 0 && b.textContent.trim().length > 0);",
            vec![],
        )
        .await?;
    assert_eq!(named, json!(true));
    Ok(())
}

#[tokio::test]
async fn the_overview_speaks_russian() -> Result<()> {
    let h = Harness::start("overview-ru", config(200, "ru")?).await?;
    open_overview(&h).await?;
    let titles = h
        .portal()
        .in_app(
            "return Array.from(document.querySelectorAll('#wm-overview figcaption')).map(f => f.textContent);",
            vec![],
        )
        .await?;
    assert_eq!(
        titles,
        json!([
            "По шаблонам",
            "По возрасту с момента запуска",
            "По типу документа",
            "Кто запустил"
        ])
    );
    let summary = h
        .portal()
        .in_app(
            "return document.querySelector('#wm-overview summary').textContent;",
            vec![],
        )
        .await?;
    assert_eq!(summary, json!("Обзор"));
    Ok(())
}
