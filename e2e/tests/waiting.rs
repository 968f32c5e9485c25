//! "Waiting for", end to end: each row's open task and assignees against
//! the emulator's own tasks (`/_emulator/tasks`), the stuck workflows
//! with no task marked, its cost from the REST log (one batch of
//! `bizproc.task.list` per screen, the rows not asked again), axe with
//! the column shown, and Russian. Each test would fail without the
//! feature it names.

use std::collections::BTreeMap;

use e2e::app::app_dist;
use e2e::look::{describe, Look};
use e2e::oracles::emulator::emulator_users;
use e2e::oracles::rest_log::{describe_calls, RestLog};
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

/// One row's Waiting for cell as the page shows it.
#[derive(Debug, Clone)]
struct Shown {
    id: String,
    text: String,
    tip: String,
    stuck: bool,
}

/// Shows the column `label` through the Columns menu (`menu`).
async fn show_column(table: &TablePage<'_>, menu: &str, label: &str) -> Result<()> {
    table.press(menu).await?;
    table.set_checked(label, true).await?;
    table.press(menu).await
}

/// Waits until every row's Waiting for cell is filled and every name in
/// it is known; the cells.
async fn wait_filled(h: &Harness) -> Result<Vec<Shown>> {
    wait_for("every Waiting for cell filled", || async {
        let v = h
            .portal()
            .in_app(
                "const cells = Array.from(document.querySelectorAll('table tbody td.wm-waiting'));
                 if (cells.length === 0) return null;
                 if (cells.some(td => td.classList.contains('wm-waiting--pending'))) return null;
                 // A name still loading shows the user's id placeholder.
                 if (cells.some(td => /User \\d+|Пользователь \\d+/.test(td.textContent))) return null;
                 return cells.map(td => {
                   const tr = td.closest('tr');
                   const v = td.querySelector('.wm-waiting__value');
                   return {
                     id: tr.querySelector('input.wm-select').value,
                     text: td.textContent.trim(),
                     tip: v ? (v.getAttribute('data-tip') || '') : '',
                     stuck: td.classList.contains('wm-waiting--stuck'),
                   };
                 });",
                vec![],
            )
            .await?;
        Ok(v.as_array().map(|cells| {
            cells
                .iter()
                .map(|c| Shown {
                    id: c["id"].as_str().unwrap_or_default().to_owned(),
                    text: c["text"].as_str().unwrap_or_default().to_owned(),
                    tip: c["tip"].as_str().unwrap_or_default().to_owned(),
                    stuck: c["stuck"].as_bool().unwrap_or(false),
                })
                .collect::<Vec<_>>()
        }))
    })
    .await
}

/// An open task of the emulator: its name and the assignees who have not
/// answered.
#[derive(Debug, Clone)]
struct Task {
    name: String,
    waiting: Vec<u64>,
}

/// The open tasks of workflow `id`, by the emulator's own records.
async fn open_tasks(h: &Harness, id: &str) -> Result<Vec<Task>> {
    let v = h
        .control
        .get_query("/_emulator/tasks", &[("workflow", id)])
        .await?;
    let mut tasks: Vec<(u64, Task)> = v
        .as_array()
        .into_iter()
        .flatten()
        .filter(|t| t["status"].as_u64() == Some(0))
        .map(|t| {
            let waiting = t["users"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|u| u["status"].as_u64() == Some(0))
                .filter_map(|u| u["user_id"].as_u64())
                .collect();
            (
                t["id"].as_u64().unwrap_or_default(),
                Task {
                    name: t["name"].as_str().unwrap_or_default().to_owned(),
                    waiting,
                },
            )
        })
        .collect();
    tasks.sort_by_key(|(id, _)| *id);
    Ok(tasks.into_iter().map(|(_, t)| t).collect())
}

/// What the cell must say for `tasks`, the names from the emulator's
/// `user.get`.
fn expected(tasks: &[Task], names: &BTreeMap<u64, String>) -> Option<String> {
    let first = tasks.first()?;
    let name = |u: &u64| names.get(u).cloned().unwrap_or_default();
    let people = match first.waiting.as_slice() {
        [] => "no one".to_owned(),
        [one] => name(one),
        [one, rest @ ..] => format!("{}, +{}", name(one), rest.len()),
    };
    let mut text = format!("{} · {people}", first.name);
    match tasks.len() {
        1 => {}
        2 => text.push_str(" · +1 task"),
        n => text.push_str(&format!(" · +{} tasks", n - 1)),
    }
    Some(text)
}

#[tokio::test]
async fn waiting_for_names_each_open_task_as_the_emulator_holds_it() -> Result<()> {
    let h = Harness::start("waiting-names", config(400, "en")?).await?;
    h.portal().open().await?;
    let table = TablePage::of(&h);
    wait_for("the first rows", || async {
        Ok((!table.ids().await?.is_empty()).then_some(()))
    })
    .await?;
    let log = RestLog::of(&h);
    let mark = log.mark().await?;
    show_column(&table, "Columns", "Waiting for").await?;
    let cells = wait_filled(&h).await?;
    assert_eq!(cells.len(), table.ids().await?.len(), "one cell per row");

    // Every cell against the emulator's tasks and users.
    let mut per_row = Vec::new();
    let mut people = Vec::new();
    for c in &cells {
        let tasks = open_tasks(&h, &c.id).await?;
        people.extend(tasks.iter().flat_map(|t| t.waiting.iter().copied()));
        per_row.push(tasks);
    }
    people.sort_unstable();
    people.dedup();
    let names: BTreeMap<u64, String> = emulator_users(&h, &people).await?.into_iter().collect();
    let mut with_task = 0;
    for (c, tasks) in cells.iter().zip(&per_row) {
        match expected(tasks, &names) {
            Some(text) => {
                with_task += 1;
                assert_eq!(c.text, text, "workflow {}", c.id);
                // The detail names every assignee of every task.
                for t in tasks {
                    assert!(c.tip.contains(&t.name), "{}: {}", c.id, c.tip);
                    for u in &t.waiting {
                        assert!(c.tip.contains(&names[u]), "{}: {}", c.id, c.tip);
                    }
                }
            }
            None => assert_eq!(c.text, "No open task", "workflow {}", c.id),
        }
    }
    assert!(with_task > 0, "the first page holds workflows with a task");
    assert!(with_task < cells.len(), "and workflows without one");

    // The cost: one batch of per-workflow task.list commands for the
    // screen, the rows themselves not asked again, and user.get for the
    // assignees the screen had not named.
    let calls = log.since(mark).await?;
    let batches: Vec<&Value> = calls
        .iter()
        .filter(|c| c["method"] == json!("batch"))
        .collect();
    assert_eq!(batches.len(), 1, "{}", describe_calls(&calls));
    let cmd = &batches[0]["params"]["cmd"];
    let commands: Vec<&str> = cmd
        .as_object()
        .into_iter()
        .flat_map(|m| m.values())
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(commands.len(), cells.len());
    assert!(
        commands.iter().all(|c| c.starts_with("bizproc.task.list?")),
        "{commands:?}"
    );
    // One command per row on screen, each filtered by its workflow and
    // the open status.
    let mut asked: Vec<String> = commands
        .iter()
        .map(|c| {
            let query = c.split_once('?').map_or("", |(_, q)| q);
            let params = portal_emulator::php::parse_str(query);
            assert_eq!(params["FILTER"]["STATUS"], json!("0"), "{c}");
            params["FILTER"]["WORKFLOW_ID"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    asked.sort();
    let mut on_screen: Vec<String> = cells.iter().map(|c| c.id.clone()).collect();
    on_screen.sort();
    assert_eq!(asked, on_screen);
    assert!(
        calls
            .iter()
            .all(|c| c["method"] == json!("batch") || c["method"] == json!("user.get")),
        "{}",
        describe_calls(&calls)
    );

    // The stuck ones: those with no open task say so, marked.
    table.apply_preset("Stuck").await?;
    let stuck = wait_for("the stuck workflows' cells", || async {
        let cells = wait_filled(&h).await?;
        let ids = table.ids().await?;
        Ok((cells.iter().map(|c| &c.id).eq(ids.iter())).then_some(cells))
    })
    .await?;
    let mut marked = 0;
    for c in &stuck {
        let tasks = open_tasks(&h, &c.id).await?;
        if tasks.is_empty() {
            marked += 1;
            assert!(c.stuck, "{} is stuck with no task: marked", c.id);
            assert_eq!(c.text, "No open task");
            assert!(c.tip.starts_with("Stuck, and no one has an open task"));
        } else {
            assert!(!c.stuck, "{} has a task", c.id);
        }
    }
    assert!(
        marked > 0,
        "the demo data holds stuck workflows with no task"
    );

    // Refresh asks the tasks again: they move on.
    let mark = log.mark().await?;
    table.press("Refresh").await?;
    wait_for("the tasks asked again", || async {
        let calls = log.since(mark).await?;
        Ok(calls
            .iter()
            .any(|c| {
                c["params"]["cmd"].as_object().is_some_and(|m| {
                    m.values().any(|v| {
                        v.as_str()
                            .is_some_and(|s| s.starts_with("bizproc.task.list?"))
                    })
                })
            })
            .then_some(()))
    })
    .await?;
    Ok(())
}

#[tokio::test]
async fn waiting_for_passes_axe_and_reaches_the_keyboard() -> Result<()> {
    let h = Harness::start("waiting-axe", config(300, "en")?).await?;
    h.portal().open().await?;
    let table = TablePage::of(&h);
    wait_for("the first rows", || async {
        Ok((!table.ids().await?.is_empty()).then_some(()))
    })
    .await?;
    show_column(&table, "Columns", "Waiting for").await?;
    wait_filled(&h).await?;
    let look = Look::of(&table.app);
    for (theme, dark) in [("Light", false), ("Dark", true)] {
        table.choose("Theme", theme).await?;
        look.wait_dark(dark).await?;
        let report = look.axe().await?;
        assert!(
            report.violations.is_empty(),
            "axe, {theme} theme, with Waiting for shown:\n{}",
            describe(&report.violations)
        );
    }
    // Every value is an arrow-key stop described by the table's tooltip.
    let reachable = h
        .portal()
        .in_app(
            "return Array.from(document.querySelectorAll('td.wm-waiting .wm-waiting__value'))
               .every(v => v.hasAttribute('data-wm-focus') && v.getAttribute('aria-describedby') === 'wm-tip'
                 && (v.getAttribute('data-tip') || '').length > 0);",
            vec![],
        )
        .await?;
    assert_eq!(reachable, json!(true));
    // The header is plain: nothing to sort by.
    let sortable = h
        .portal()
        .in_app(
            "const th = Array.from(document.querySelectorAll('table thead th'))
               .find(th => th.textContent.trim() === 'Waiting for');
             return th ? th.querySelector('button') !== null : null;",
            vec![],
        )
        .await?;
    assert_eq!(sortable, json!(false));
    Ok(())
}

#[tokio::test]
async fn waiting_for_speaks_russian() -> Result<()> {
    let h = Harness::start("waiting-ru", config(300, "ru")?).await?;
    h.portal().open().await?;
    let table = TablePage::of(&h);
    wait_for("the first rows", || async {
        Ok((!table.ids().await?.is_empty()).then_some(()))
    })
    .await?;
    show_column(&table, "Столбцы", "Ожидает").await?;
    let cells = wait_filled(&h).await?;
    assert!(cells.iter().any(|c| c.text == "Нет открытых заданий"));
    assert!(cells.iter().any(|c| c.text.contains(" · ")));
    Ok(())
}
