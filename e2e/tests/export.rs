//! Export, end to end: the file the app offers against the emulator's own
//! rows (every ID once, names right) while workflows start and finish
//! during the export, the selection's export in Russian (its separator),
//! and Cancel. Each test would fail without the feature it names.

use std::collections::{BTreeMap, BTreeSet};

use e2e::app::app_dist;
use e2e::oracles::emulator::{emulator_templates, emulator_users};
use e2e::oracles::rest_log::text_of;
use e2e::oracles::text::csv_records;
use e2e::table::TablePage;
use e2e::{config_serving, wait_for, Harness, Result};
use portal_emulator::Config;
use serde_json::{json, Value};

fn config(workflows: usize, lang: &str) -> Result<Config> {
    let mut config = config_serving(&app_dist()?);
    config.workflows = workflows;
    config.lang = lang.to_owned();
    Ok(config)
}

async fn app(h: &Harness, script: &str, args: Vec<Value>) -> Result<Value> {
    h.portal().in_app(script, args).await
}

/// Opens the app, waits for its first rows, and catches every download:
/// its name and its text (read from the Blob the link points to).
async fn open(h: &Harness) -> Result<Vec<String>> {
    h.portal().open().await?;
    let table = TablePage::of(h);
    let ids = wait_for("the first rows", || async {
        let ids = table.ids().await?;
        Ok((!ids.is_empty()).then_some(ids))
    })
    .await?;
    app(
        h,
        "window.__files = [];
         const make = URL.createObjectURL;
         const blobs = new Map();
         URL.createObjectURL = (b) => { const u = make.call(URL, b); blobs.set(u, b); return u; };
         HTMLAnchorElement.prototype.click = function () {
           const b = blobs.get(this.href); const name = this.download;
           if (b) b.arrayBuffer().then(a => {
             const u = new Uint8Array(a);
             const bom = u[0] === 0xEF && u[1] === 0xBB && u[2] === 0xBF;
             window.__files.push({name, type: b.type, bom, text: new TextDecoder().decode(u)});
           });
         };
         return null;",
        vec![],
    )
    .await?;
    Ok(ids)
}

/// Picks the dialog's choice labelled `label` (a radio or a checkbox).
async fn pick(h: &Harness, label: &str) -> Result<()> {
    let v = app(
        h,
        "const l = Array.from(document.querySelectorAll('#wm-export-dialog label'))
           .find(l => l.textContent.trim() === arguments[0]);
         if (!l) return 'no choice ' + arguments[0];
         l.querySelector('input').click();
         return null;",
        vec![json!(label)],
    )
    .await?;
    match v.as_str() {
        Some(problem) => Err(e2e::HarnessError::Unexpected(problem.to_owned())),
        None => Ok(()),
    }
}

/// The downloaded file, once there.
async fn file(h: &Harness) -> Result<Value> {
    wait_for("the exported file", || async {
        let v = app(
            h,
            "return window.__files.length ? window.__files[0] : null;",
            vec![],
        )
        .await?;
        Ok((!v.is_null()).then_some(v))
    })
    .await
}

/// The export's note or progress line.
async fn panel(h: &Harness) -> Result<String> {
    let v = app(
        h,
        "const r = Array.from(document.querySelectorAll('.wm-run')).pop();
         return r ? r.textContent.replace(/\\s+/g, ' ').trim() : '';",
        vec![],
    )
    .await?;
    Ok(v.as_str().unwrap_or_default().to_owned())
}

#[tokio::test]
async fn an_export_holds_every_running_workflow_once_with_names_while_the_portal_changes(
) -> Result<()> {
    let h = Harness::start("export-json", config(6000, "en")?).await?;
    open(&h).await?;
    let table = TablePage::of(&h);
    // A request of 50 commands takes about a second: time to change the
    // portal between the export's requests.
    h.control.batch_command_latency(20).await?;
    let before: Vec<String> = h
        .emulator
        .state
        .store()
        .rows()
        .iter()
        .map(|w| w.id.clone())
        .collect();
    let mut sorted = before.clone();
    sorted.sort();
    table.press("Export…").await?;
    pick(&h, "JSON").await?;
    pick(&h, "All nine fields").await?;
    table.press("Export").await?;
    wait_for("the first part", || async {
        let p = panel(&h).await?;
        Ok(p.starts_with("Exporting 2,500 of").then_some(p))
    })
    .await?;
    // Meanwhile: the last ten (not read yet) and two of the first (read)
    // finish, and five start.
    let finished: Vec<String> = sorted[sorted.len() - 10..]
        .iter()
        .chain(&sorted[..2])
        .cloned()
        .collect();
    h.control
        .post("/_emulator/workflows/finish", &json!({"ids": finished}))
        .await?;
    let added = h
        .control
        .post("/_emulator/workflows", &json!({"count": 5}))
        .await?;
    let added: Vec<String> = added["ids"]
        .as_array()
        .into_iter()
        .flatten()
        .map(text_of)
        .collect();
    let got = file(&h).await?;
    let name = got["name"].as_str().unwrap_or_default();
    assert!(
        name.starts_with("workflows-127.0.0.1-") && name.ends_with(".json"),
        "{name}"
    );
    let doc: Value = serde_json::from_str(got["text"].as_str().unwrap_or_default())
        .map_err(|e| e2e::HarnessError::Unexpected(format!("the file is JSON: {e}")))?;
    let rows = doc["workflows"].as_array().cloned().unwrap_or_default();
    let ids: Vec<String> = rows.iter().map(|r| text_of(&r["ID"])).collect();
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "every ID once");
    let read_early: BTreeSet<&String> = sorted[..2].iter().collect();
    let ended_late: BTreeSet<&String> = sorted[sorted.len() - 10..].iter().collect();
    // Every workflow that ran throughout is there; the ten that ended
    // before their part was read are not; nothing else is.
    for id in &before {
        if ended_late.contains(id) {
            assert!(!unique.contains(id), "{id} ended before it was read");
        } else if !read_early.contains(id) {
            assert!(unique.contains(id), "{id} ran throughout");
        }
    }
    let known: BTreeSet<&String> = before.iter().chain(&added).collect();
    assert!(
        ids.iter().all(|id| known.contains(id)),
        "only the portal's workflows"
    );
    assert_eq!(doc["count"].as_u64(), Some(ids.len() as u64));
    assert_eq!(doc["matched_at_start"].as_u64(), Some(6000));
    // Names as the portal has them.
    let templates: BTreeMap<u64, String> = emulator_templates(&h).await?.into_iter().collect();
    let people: BTreeSet<u64> = rows
        .iter()
        .filter_map(|r| text_of(&r["STARTED_BY"]).parse().ok())
        .filter(|u| *u > 0)
        .collect();
    let people: Vec<u64> = people.into_iter().collect();
    let mut users: BTreeMap<u64, String> = BTreeMap::new();
    for chunk in people.chunks(50) {
        users.extend(emulator_users(&h, chunk).await?);
    }
    for r in &rows {
        let t: u64 = text_of(&r["TEMPLATE_ID"]).parse().unwrap_or_default();
        if let Some(name) = templates.get(&t).filter(|n| !n.is_empty()) {
            assert_eq!(text_of(&r["template_name"]), *name, "{r}");
        }
        let u: u64 = text_of(&r["STARTED_BY"]).parse().unwrap_or_default();
        if let Some(name) = users.get(&u) {
            assert_eq!(text_of(&r["started_by_name"]), *name, "{r}");
        }
        // A deal's link is its page on this portal, whole.
        if let Some(n) = text_of(&r["DOCUMENT_ID"]).strip_prefix("DEAL_") {
            let url = text_of(&r["document_url"]);
            assert!(
                url.starts_with("http://127.0.0.1:")
                    && url.ends_with(&format!("/crm/deal/details/{n}/")),
                "{r}"
            );
        }
    }
    let note = panel(&h).await?;
    assert!(
        note.starts_with(&format!(
            "Exported {} workflows to {name}.",
            e2e::oracles::text::grouped(ids.len() as u64)
        )),
        "{note}"
    );
    assert!(note.contains("6,000 matched when it began"), "{note}");
    h.finish().await
}

#[tokio::test]
async fn the_selection_exports_alone_with_the_russian_separator() -> Result<()> {
    let h = Harness::start("export-ru", config(40, "ru")?).await?;
    let ids = open(&h).await?;
    let table = TablePage::of(&h);
    for id in &ids[..3] {
        table
            .set_checked(&format!("Выбрать процесс {id}"), true)
            .await?;
    }
    // The toolbar's and the selection bar's "Экспорт…" share the name:
    // the bar's.
    app(
        &h,
        "document.getElementById('wm-export-selected').click(); return null;",
        vec![],
    )
    .await?;
    pick(&h, "Выбранные: 3").await?;
    table.press("Экспортировать").await?;
    let got = file(&h).await?;
    let text = got["text"].as_str().unwrap_or_default();
    assert_eq!(got["bom"], json!(true), "UTF-8 with a BOM");
    let lines: Vec<&str> = text
        .trim_start_matches('\u{feff}')
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .collect();
    assert!(lines[0].starts_with("ID;STARTED;"), "{}", lines[0]);
    assert_eq!(
        lines.len(),
        5,
        "the header, the 3 selected, the last line: {text}"
    );
    for id in &ids[..3] {
        assert!(
            lines.iter().any(|l| l.starts_with(&format!("{id};"))),
            "{id}: {text}"
        );
    }
    assert!(
        lines[4].starts_with("# 3 workflows exported from 127.0.0.1"),
        "{}",
        lines[4]
    );
    assert!(got["type"]
        .as_str()
        .unwrap_or_default()
        .starts_with("text/csv"));
    h.finish().await
}

#[tokio::test]
async fn cancel_stops_the_export_and_saves_nothing() -> Result<()> {
    let h = Harness::start("export-cancel", config(8000, "en")?).await?;
    open(&h).await?;
    let table = TablePage::of(&h);
    h.control.batch_command_latency(30).await?;
    table.press("Export…").await?;
    table.press("Export").await?;
    wait_for("the progress", || async {
        let p = panel(&h).await?;
        Ok(p.starts_with("Exporting").then_some(p))
    })
    .await?;
    table.press("Cancel export").await?;
    let note = wait_for("the note", || async {
        let p = panel(&h).await?;
        Ok(p.starts_with("Export cancelled").then_some(p))
    })
    .await?;
    assert!(note.contains("no file was saved"), "{note}");
    // Nothing more is sent: the list requests stop growing.
    let count = || async {
        let log = h.control.app_requests().await?;
        Ok::<usize, e2e::HarnessError>(
            log.iter()
                .filter(|e| e.to_string().contains("%3EID"))
                .count(),
        )
    };
    let at_cancel = count().await?;
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    assert!(
        count().await? <= at_cancel + 1,
        "at most the request in flight finishes"
    );
    let files = app(&h, "return window.__files.length;", vec![]).await?;
    assert_eq!(files.as_u64(), Some(0));
    h.finish().await
}

#[tokio::test]
async fn hostile_names_come_out_of_the_csv_as_inert_text() -> Result<()> {
    use e2e::portal_emulator::data::{FORMULA_TEXT, HOSTILE_TEXT};
    let h = Harness::start("export-hostile", config(3000, "en")?).await?;
    open(&h).await?;
    let table = TablePage::of(&h);
    table.press("Export…").await?;
    pick(&h, "All nine fields").await?;
    table.press("Export").await?;
    let got = file(&h).await?;
    let records = csv_records(got["text"].as_str().unwrap_or_default(), ',');
    let header = records[0].clone();
    let col = |name: &str| header.iter().position(|h| h == name);
    let (Some(template), Some(template_name), Some(by), Some(by_name)) = (
        col("TEMPLATE_ID"),
        col("template_name"),
        col("STARTED_BY"),
        col("started_by_name"),
    ) else {
        return Err(e2e::HarnessError::Unexpected(format!("header {header:?}")));
    };
    let rows = &records[1..records.len() - 1];
    assert_eq!(rows.len(), 3000, "every workflow, then the last line");
    let hostile: Vec<&Vec<String>> = rows.iter().filter(|r| r[template] == "212").collect();
    assert!(
        !hostile.is_empty(),
        "the markup-named template runs somewhere"
    );
    for r in &hostile {
        assert_eq!(
            r[template_name], HOSTILE_TEXT,
            "markup stays one cell, verbatim"
        );
    }
    let formula: Vec<&Vec<String>> = rows.iter().filter(|r| r[by] == "58").collect();
    assert!(!formula.is_empty(), "user 58 started something");
    for r in &formula {
        assert!(
            r[by_name].starts_with(&format!("'{FORMULA_TEXT}")),
            "{:?}",
            r[by_name]
        );
    }
    // No cell from the portal starts like a formula; only the app's own
    // text guard for an identifier (`="…"`) does.
    for r in rows {
        for cell in r {
            if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                assert!(
                    cell.starts_with("=\"") && cell.ends_with('"'),
                    "{cell:?} in {r:?}"
                );
            }
        }
    }
    let xss = app(&h, "return window.__xss === undefined;", vec![]).await?;
    assert_eq!(xss, json!(true));
    h.finish().await
}

#[tokio::test]
async fn exporting_2500_with_names_costs_one_request_of_rows_and_at_most_one_of_people(
) -> Result<()> {
    use e2e::oracles::rest_log::{describe_calls, user_gets, RestLog};
    let h = Harness::start("export-cost", config(2500, "en")?).await?;
    open(&h).await?;
    let table = TablePage::of(&h);
    // The first screen's names are in (its own requests are not the
    // export's).
    wait_for("the first screen named", || async {
        let v = app(
            &h,
            "return document.querySelectorAll('.wm-name--pending').length;",
            vec![],
        )
        .await?;
        Ok((v.as_u64() == Some(0)).then_some(()))
    })
    .await?;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let log = RestLog::of(&h);
    let mark = log.mark().await?;
    table.press("Export…").await?;
    table.press("Export").await?;
    let got = file(&h).await?;
    let lines = got["text"].as_str().unwrap_or_default().lines().count();
    assert_eq!(lines, 2502, "the header, 2,500 rows, the last line");
    let calls = log.since(mark).await?;
    let described = describe_calls(&calls);
    println!(
        "REST requests | export of 2,500 with names | {} | {described}",
        calls.len()
    );
    let rows = calls
        .iter()
        .filter(|c| c.to_string().contains("%3EID"))
        .count();
    let people = calls.iter().filter(|c| !user_gets(c).is_empty()).count();
    assert_eq!(rows, 1, "one chained batch reads 2,500: {described}");
    assert!(
        people <= 1,
        "the unknown people in one request: {described}"
    );
    assert_eq!(calls.len(), rows + people, "nothing else: {described}");
    let all = log.app_calls().await?;
    println!(
        "REST requests | open, then export of 2,500 with names | {} | {}",
        all.len(),
        describe_calls(&all)
    );
    h.finish().await
}

#[tokio::test]
async fn the_export_dialog_is_modal_keyboard_operable_and_passes_axe() -> Result<()> {
    use e2e::look::{describe, Look};
    let h = Harness::start("export-axe", config(20, "en")?).await?;
    open(&h).await?;
    let table = TablePage::of(&h);
    let look = Look::of(&table.app);
    for (theme, dark) in [("Light", false), ("Dark", true)] {
        table.choose("Theme", theme).await?;
        look.wait_dark(dark).await?;
        table.press("Export…").await?;
        let d = wait_for("the export dialog with the focus inside", || async {
            let v = app(
                &h,
                "const d = document.querySelector('[role=dialog]');
                 return d && d.contains(document.activeElement)
                   ? {modal: d.getAttribute('aria-modal'), name: document.getElementById(d.getAttribute('aria-labelledby')).textContent}
                   : null;",
                vec![],
            )
            .await?;
            Ok((!v.is_null()).then_some(v))
        })
        .await?;
        assert_eq!(d["modal"], "true");
        assert_eq!(d["name"], "Export workflows");
        let report = look.axe().await?;
        assert!(
            report.violations.is_empty(),
            "axe found WCAG 2 A/AA violations with the export dialog open, {theme} theme:\n{}",
            describe(&report.violations)
        );
        // Escape closes it and gives the focus back to "Export…".
        app(
            &h,
            "document.activeElement.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', bubbles: true}));
             return null;",
            vec![],
        )
        .await?;
        wait_for("the focus back on Export…", || async {
            let v = app(
                &h,
                "return !document.querySelector('[role=dialog]') && document.activeElement && document.activeElement.id === 'wm-export';",
                vec![],
            )
            .await?;
            Ok((v == json!(true)).then_some(()))
        })
        .await?;
    }
    let files = app(&h, "return window.__files.length;", vec![]).await?;
    assert_eq!(files.as_u64(), Some(0), "nothing exported");
    h.finish().await
}
