//! The fault-injection session (issue 6, part 7): the release build in the
//! emulator's portal page, driven through more than a hundred scripted
//! interactions — sort, filter, page, refresh, 500 rows per page — while
//! the portal answers 30 % of requests with 503 `QUERY_LIMIT_EXCEEDED`
//! (injected, beside the real 2/s, burst 50 bucket), 5 % with 500, every
//! answer 300 ms late, and tokens expire every 20 s.
//!
//! After each interaction the table must settle on exactly the rows the
//! emulator itself lists for that query. Meanwhile an observer in the app
//! frame records every table the admin could see (every paint of rows not
//! marked stale); at the end each of them must be the emulator's answer to
//! the query the screen names (sort arrows, chips, "Showing a–b of n").
//! The figures the issue asks for are printed as `FAULTS | …` lines.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use e2e::app::app_dist;
use e2e::table::{emulator_rows, showing, text_of, RestLog, TablePage};
use e2e::{config_serving, Harness, HarnessError, Result};
use serde_json::{json, Value};

const WORKFLOWS: u64 = 1_200;
const INTERACTIONS: usize = 110;
/// One call's retries take at most 31 s; a renewal and a give-up more.
const PATIENCE: Duration = Duration::from_secs(120);

/// Installs (once) the observer that records every table shown: the
/// screen's own description of its query and the row IDs, whenever rows
/// are painted that are not marked stale (greyed out, `aria-busy`).
const OBSERVER_JS: &str = r#"
if (!window.__wmSeen) {
  window.__wmSeen = [];
  const norm = s => (s || '').replace(/\s+/g, ' ').trim();
  let last = '';
  let queued = false;
  const take = () => {
    queued = false;
    const wrap = document.querySelector('.wm-table-wrap');
    if (!wrap) return;
    if (wrap.classList.contains('wm-table-wrap--stale') || wrap.getAttribute('aria-busy') === 'true') return;
    const snap = JSON.stringify({ key: window.__wmKey(), ids: window.__wmIds() });
    if (snap !== last) { last = snap; window.__wmSeen.push(snap); }
  };
  new MutationObserver(() => {
    if (!queued) { queued = true; requestAnimationFrame(take); }
  }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  take();
}
"#;

/// `__wmKey()`: the query as the screen names it (sorted headers with
/// their direction, the filter chips, the pager's "Showing a–b of n");
/// `__wmIds()`: the row IDs in order.
const KEY_JS: &str = r#"
window.__wmKey = () => {
  const norm = s => (s || '').replace(/\s+/g, ' ').trim();
  const sort = Array.from(document.querySelectorAll('table thead th[scope=col]'))
    .filter(th => (th.getAttribute('aria-sort') || 'none') !== 'none')
    .map(th => norm(th.textContent) + ':' + th.getAttribute('aria-sort'));
  const chips = Array.from(document.querySelectorAll('button'))
    .map(b => norm(b.getAttribute('aria-label') || ''))
    .filter(n => n.startsWith('Remove filter: ')).sort();
  const pager = document.querySelector('.wm-pager__showing');
  return JSON.stringify({ sort, chips, showing: pager ? norm(pager.textContent) : '' });
};
window.__wmIds = () => Array.from(document.querySelectorAll('table tbody tr'))
  .map(tr => { const id = tr.querySelector('.wm-table__td--id'); return id ? (id.textContent || '').replace(/\s+/g, ' ').trim() : ''; });
"#;

/// What the test expects the screen to be asking for.
#[derive(Debug, Clone)]
struct Model {
    /// The one sort column (header name), its server field and direction.
    column: &'static str,
    field: &'static str,
    desc: bool,
    /// `STARTED_BY` 0 ("Started by automation").
    automation: bool,
    /// `TEMPLATE_ID`.
    template: Option<String>,
    page: u64,
    size: u64,
    total: u64,
}

impl Model {
    fn order(&self) -> Vec<(&'static str, &'static str)> {
        let dir = if self.desc { "DESC" } else { "ASC" };
        if self.field == "ID" {
            vec![("ID", dir)]
        } else {
            vec![(self.field, dir), ("ID", dir)]
        }
    }

    fn filter(&self) -> Value {
        let mut f = serde_json::Map::new();
        if self.automation {
            f.insert("STARTED_BY".into(), json!("0"));
        }
        if let Some(t) = &self.template {
            f.insert("TEMPLATE_ID".into(), json!(t));
        }
        Value::Object(f)
    }

    fn last_page(&self) -> u64 {
        self.total.div_ceil(self.size).max(1)
    }

    fn describe(&self) -> String {
        format!(
            "{} {} · automation {} · template {:?} · page {} of {} × {}",
            self.column,
            if self.desc { "desc" } else { "asc" },
            self.automation,
            self.template,
            self.page,
            self.last_page(),
            self.size
        )
    }
}

/// Sortable columns the script clicks: (header, field, first-click direction desc?).
const SORTS: [(&str, &str, bool); 5] = [
    ("ID", "ID", true),
    ("Started", "STARTED", true),
    ("Modified", "MODIFIED", true),
    ("Started by", "STARTED_BY", false),
    ("Template", "TEMPLATE_ID", false),
];

/// A small deterministic generator (the script is the same every run).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

#[derive(Default)]
struct Figures {
    interactions: usize,
    by_kind: HashMap<&'static str, usize>,
    gave_up: usize,
}

async fn knobs(h: &Harness, patch: Value) -> Result<()> {
    h.control.post("/_emulator/knobs", &patch).await?;
    Ok(())
}

async fn key(table: &TablePage<'_>) -> Result<String> {
    let v = table
        .app
        .js(&format!(
            "{KEY_JS}\n{OBSERVER_JS}\nreturn window.__wmKey();"
        ))
        .await?;
    Ok(v.as_str().unwrap_or_default().to_owned())
}

async fn screen(table: &TablePage<'_>) -> Result<Value> {
    table
        .app
        .js(
            "const w = document.querySelector('.wm-table-wrap');
             const alerts = Array.from(document.querySelectorAll('[role=alert]')).map(e => (e.textContent || '').replace(/\\s+/g, ' ').trim());
             return { stale: !w || w.classList.contains('wm-table-wrap--stale') || w.getAttribute('aria-busy') === 'true',
                      alerts };",
        )
        .await
}

/// Waits until the table shows exactly `expected` for `model`, not stale;
/// presses Retry when the app gave up on a call (counted). Returns the
/// screen's key for this query.
async fn settle(
    table: &TablePage<'_>,
    model: &Model,
    expected: &[String],
    figures: &mut Figures,
) -> Result<String> {
    let want_showing = showing(
        (model.page - 1) * model.size + 1,
        (model.page * model.size).min(model.total),
        model.total,
    );
    let deadline = Instant::now() + PATIENCE;
    loop {
        let s = screen(table).await?;
        let alerts: Vec<String> = serde_json::from_value(s["alerts"].clone()).unwrap_or_default();
        if alerts.iter().any(|a| a.contains("Could not load")) {
            figures.gave_up += 1;
            println!("FAULTS | gave up, the admin presses Retry | {alerts:?}");
            table.press("Retry").await?;
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        }
        if let Some(other) = alerts.iter().find(|a| !a.is_empty()) {
            return Err(HarnessError::Unexpected(format!(
                "an alert during {}: {other}",
                model.describe()
            )));
        }
        if s["stale"] == false
            && table.showing().await? == want_showing
            && table.ids().await? == expected
        {
            return key(table).await;
        }
        if Instant::now() > deadline {
            let got = table.ids().await.unwrap_or_default();
            return Err(HarnessError::Unexpected(format!(
                "{} never showed: expected {want_showing} {:?}…, screen {s} ids {:?}…",
                model.describe(),
                expected.iter().take(3).collect::<Vec<_>>(),
                got.iter().take(3).collect::<Vec<_>>()
            )));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// One scripted interaction: changes the screen and the model alike.
/// Returns its kind.
async fn act(
    h: &Harness,
    table: &TablePage<'_>,
    model: &mut Model,
    templates: &[String],
    rng: &mut Lcg,
) -> Result<&'static str> {
    loop {
        match rng.next(20) {
            0..=3 => {
                let (column, field, first_desc) = SORTS[rng.next(SORTS.len() as u64) as usize];
                table.click_header(column).await?;
                model.desc = if model.column == column {
                    !model.desc
                } else {
                    first_desc
                };
                model.column = column;
                model.field = field;
                model.page = 1;
                return Ok("sort");
            }
            4..=7 if model.page < model.last_page() => {
                table.next_page().await?;
                model.page += 1;
                return Ok("next page");
            }
            8 | 9 if model.page > 1 => {
                table.previous_page().await?;
                model.page -= 1;
                return Ok("previous page");
            }
            10 if model.page < model.last_page() => {
                table.last_page().await?;
                model.page = model.last_page();
                return Ok("last page");
            }
            11 if model.page > 1 => {
                table.first_page().await?;
                model.page = 1;
                return Ok("first page");
            }
            12 | 13 => {
                table.press("Refresh").await?;
                return Ok("refresh");
            }
            14 | 15 => {
                model.size = if model.size == 50 { 500 } else { 50 };
                table.set_rows_per_page(model.size as u32).await?;
                model.page = 1;
                return Ok("rows per page");
            }
            16 | 17 if !model.automation => {
                let mut next = model.clone();
                next.automation = true;
                if !has_rows(h, &next).await? {
                    continue;
                }
                table.apply_preset("Started by automation").await?;
                model.automation = true;
                model.page = 1;
                return Ok("filter");
            }
            18 if !templates.is_empty() => {
                let t = &templates[rng.next(templates.len() as u64) as usize];
                let mut next = model.clone();
                next.template = Some(t.clone());
                if model.template.as_ref() == Some(t) || !has_rows(h, &next).await? {
                    continue;
                }
                table.choose_value("Template", t).await?;
                model.template = Some(t.clone());
                model.page = 1;
                return Ok("filter");
            }
            19 if model.automation || model.template.is_some() => {
                table.clear_all().await?;
                model.automation = false;
                model.template = None;
                model.page = 1;
                return Ok("clear filters");
            }
            _ => continue,
        }
    }
}

/// Whether `model`'s filters leave any workflow (the script keeps to
/// screens with rows).
async fn has_rows(h: &Harness, model: &Model) -> Result<bool> {
    Ok(emulator_rows(h, &model.order(), model.filter(), 0, 1)
        .await?
        .total
        > 0)
}

#[tokio::test]
async fn a_hundred_interactions_under_injected_faults_show_only_right_tables() -> Result<()> {
    let mut config = config_serving(&app_dist()?);
    config.workflows = WORKFLOWS as usize;
    config.rate = 2.0;
    config.burst = 50.0;
    config.latency_ms = 300;
    config.token_ttl = 20;
    let h = Harness::start("faults", config).await?;
    let log = RestLog::of(&h);
    h.portal().open().await?;
    let table = TablePage::of(&h).patient(PATIENCE);
    let mut figures = Figures::default();
    let mut model = Model {
        column: "Started",
        field: "STARTED",
        desc: true,
        automation: false,
        template: None,
        page: 1,
        size: 50,
        total: WORKFLOWS,
    };
    let first = emulator_rows(&h, &model.order(), model.filter(), 0, 50).await?;
    let mut truth: HashMap<String, Vec<String>> = HashMap::new();
    let k = settle(&table, &model, &first.ids, &mut figures).await?;
    truth.insert(k, first.ids);
    // Templates with running workflows, as the Template select offers them.
    let options = table.options("Template").await?;
    let mut templates = Vec::new();
    for (value, _) in options.iter().filter(|(v, _)| v.parse::<u64>().is_ok()) {
        let n = emulator_rows(&h, &[("ID", "DESC")], json!({"TEMPLATE_ID": value}), 0, 1)
            .await?
            .total;
        if n > 0 {
            templates.push(value.clone());
        }
        if templates.len() == 3 {
            break;
        }
    }

    // The faults start now.
    knobs(&h, json!({"inject_503_rate": 0.3, "fail_rate": 0.05})).await?;
    let mark = log.mark().await?;
    let started = Instant::now();
    let mut rng = Lcg(0x5eed);
    while figures.interactions < INTERACTIONS {
        let kind = act(&h, &table, &mut model, &templates, &mut rng).await?;
        figures.interactions += 1;
        *figures.by_kind.entry(kind).or_default() += 1;
        let expected = emulator_rows(
            &h,
            &model.order(),
            model.filter(),
            (model.page - 1) * model.size,
            model.size,
        )
        .await?;
        model.total = expected.total;
        let k = settle(&table, &model, &expected.ids, &mut figures).await?;
        if let Some(before) = truth.insert(k.clone(), expected.ids.clone()) {
            assert_eq!(before, expected.ids, "the data is still: {k}");
        }
    }
    let elapsed = started.elapsed();
    knobs(&h, json!({"inject_503_rate": 0.0, "fail_rate": 0.0})).await?;
    // Let what is under way finish (superseded requests were aborted, so
    // the frame's count of answers cannot be matched with the log): until
    // the log has been still for 3 s.
    let mut last = log.mark().await?;
    loop {
        tokio::time::sleep(Duration::from_secs(3)).await;
        let now = log.mark().await?;
        if now == last {
            break;
        }
        last = now;
    }

    // Every table the admin could see, checked against the emulator.
    let seen = table.app.js("return window.__wmSeen || [];").await?;
    let seen: Vec<String> = serde_json::from_value(seen).unwrap_or_default();
    let mut wrong = Vec::new();
    for snap in &seen {
        let snap: Value = serde_json::from_str(snap).unwrap_or_default();
        let k = text_of(&snap["key"]);
        let ids: Vec<String> = serde_json::from_value(snap["ids"].clone()).unwrap_or_default();
        match truth.get(&k) {
            Some(want) if *want == ids => {}
            Some(want) => wrong.push(format!(
                "{k}: shown {:?}…, the portal has {:?}…",
                &ids[..ids.len().min(3)],
                &want[..want.len().min(3)]
            )),
            None => wrong.push(format!(
                "{k}: a table for a query the script never asked for"
            )),
        }
    }

    let calls = log.since(mark).await?;
    let count = |pred: &dyn Fn(&Value) -> bool| calls.iter().filter(|c| pred(c)).count();
    let status = |c: &Value| c["status"].as_u64().unwrap_or(0);
    let injected_503 = count(&|c| status(c) == 503 && c["injected"] == true);
    let own_503 = count(&|c| status(c) == 503 && c["injected"] != true);
    let e500 = count(&|c| status(c) == 500);
    let token_refused = count(&|c| status(c) == 401);
    let failed = count(&|c| status(c) != 200);
    let renewals = h
        .portal()
        .frame_log()
        .await?
        .iter()
        .filter(|e| e["command"] == "refreshAuth")
        .count();
    let mut kinds: Vec<_> = figures.by_kind.iter().collect();
    kinds.sort();
    println!(
        "FAULTS | interactions | {} | {kinds:?}",
        figures.interactions
    );
    println!("FAULTS | session | {elapsed:?} at 300 ms latency, tokens of 20 s");
    println!(
        "FAULTS | requests sent | {} | answered 503 injected {injected_503}, 500 {e500}, 401 {token_refused}",
        calls.len()
    );
    println!(
        "FAULTS | retries | {} | calls given up {} (each recovered by Retry)",
        failed.saturating_sub(figures.gave_up),
        figures.gave_up
    );
    println!("FAULTS | token renewals | {renewals}");
    println!("FAULTS | 503 caused by the app itself | {own_503}");
    println!(
        "FAULTS | tables shown | {} | wrong {}",
        seen.len(),
        wrong.len()
    );
    assert!(wrong.is_empty(), "wrong tables shown: {wrong:#?}");
    assert_eq!(own_503, 0, "the app overflowed the bucket on its own");
    assert!(
        injected_503 >= 30 && e500 >= 3,
        "the faults really happened: {injected_503} 503, {e500} 500"
    );
    assert!(seen.len() > INTERACTIONS / 2, "the observer saw the tables");
    assert!(renewals >= 3, "tokens were renewed under way: {renewals}");
    h.finish().await
}
