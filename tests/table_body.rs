//! The table body in a real browser: rows drawn from markup, then kept up
//! to date by touching only the cells the clock or the names changed.
#![cfg(target_arch = "wasm32")]

use serde_json::json;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlTableSectionElement};
use workflow_monitor::domain::display::cells::CellContext;
use workflow_monitor::domain::display::names::UserNames;
use workflow_monitor::domain::i18n::Lang;
use workflow_monitor::domain::methods::instances::{Field, TemplateId, UserId, WorkflowRow};
use workflow_monitor::domain::methods::lookups::{TemplateInfo, Templates, UserInfo};
use workflow_monitor::domain::table::view::Column;
use workflow_monitor::domain::table::waiting::{OpenTask, Waiting, WaitingMap};
use workflow_monitor::domain::time::TimeContext;
use workflow_monitor::ui::table_body::markup::{TIP_ATTR, TIP_ID};
use workflow_monitor::ui::table_body::DrawnBody;

wasm_bindgen_test_configure!(run_in_browser);

/// 2026-01-01T00:00:00Z.
const NOW: i64 = 1_767_225_600;

fn rows() -> Vec<WorkflowRow> {
    [
        json!({
            "ID": "wf.1", "STARTED": "2025-12-31T23:00:00+00:00",
            "MODIFIED": "2025-12-31T23:58:00+00:00",
            // The lock expires in a minute: Stuck five minutes after that.
            "OWNED_UNTIL": "2026-01-01T00:01:00+00:00",
            "TEMPLATE_ID": "3", "STARTED_BY": "5",
        }),
        json!({
            "ID": "<img id=evil src=x>", "STARTED": "<b>soon</b>",
            "TEMPLATE_ID": "3", "STARTED_BY": "0",
        }),
    ]
    .iter()
    .map(|v| WorkflowRow::from_value(v).expect("row"))
    .collect()
}

fn columns() -> Vec<Column> {
    [
        Field::Id,
        Field::Started,
        Field::TemplateId,
        Field::StartedBy,
        Field::OwnedUntil,
    ]
    .into_iter()
    .map(Column::Field)
    .chain([Column::Age])
    .collect()
}

fn ctx<'a>(now: i64, templates: Option<&'a Templates>, users: &'a UserNames) -> CellContext<'a> {
    CellContext {
        time: TimeContext {
            now,
            offset_minutes: 0,
        },
        lang: Lang::En,
        templates,
        templates_loading: templates.is_none(),
        users,
        users_loading: true,
        origin: "https://portal.example",
        waiting: &NO_WAITING,
    }
}

static NO_WAITING: WaitingMap = WaitingMap::new();

fn tbody() -> HtmlTableSectionElement {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a document");
    let table = document.create_element("table").expect("table");
    let body = document.create_element("tbody").expect("tbody");
    table.append_child(&body).expect("append");
    document
        .body()
        .expect("body")
        .append_child(&table)
        .expect("append");
    body.dyn_into().expect("a tbody")
}

fn cell(body: &HtmlTableSectionElement, row: u32, col: u32) -> Element {
    let tr: web_sys::HtmlTableRowElement =
        body.rows().item(row).expect("row").dyn_into().expect("tr");
    // Column `col` comes after the row's checkbox cell.
    tr.cells().item(col + 1).expect("cell")
}

/// A cell that is itself a name: its kind (a class of the cell) and text.
fn name_of(cell: &Element, kind: &str) -> Option<String> {
    cell.class_list()
        .contains(kind)
        .then(|| cell.text_content().unwrap_or_default())
}

fn text(el: &Element, selector: &str) -> String {
    el.query_selector(selector)
        .ok()
        .flatten()
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

#[wasm_bindgen_test]
fn rows_are_drawn_as_text_with_one_tab_stop() {
    let body = tbody();
    let users = UserNames::new();
    let drawn = DrawnBody::draw(
        body.clone(),
        &rows(),
        columns(),
        &ctx(NOW, None, &users),
        &|_| false,
    );
    assert_eq!(drawn.columns(), &columns()[..]);
    assert_eq!(body.rows().length(), 2);
    assert!(body.query_selector("#evil").expect("query").is_none());
    assert!(body.query_selector("b").expect("query").is_none());
    assert_eq!(
        cell(&body, 1, 0).text_content().as_deref(),
        Some("<img id=evil src=x>")
    );
    assert_eq!(text(&cell(&body, 1, 1), ".wm-time--raw"), "<b>soon</b>");
    let stops = body
        .query_selector_all("[tabindex=\"0\"]")
        .expect("query")
        .length();
    assert_eq!(stops, 1);
    // Each described value names the table's one tooltip and carries the
    // text it shows; the rows hold no tooltip element of their own.
    let described = body
        .query_selector_all("[aria-describedby]")
        .expect("query");
    assert!(described.length() > 0);
    for i in 0..described.length() {
        let el: Element = described.item(i).expect("item").dyn_into().expect("el");
        assert_eq!(
            el.get_attribute("aria-describedby").as_deref(),
            Some(TIP_ID)
        );
        assert!(el.get_attribute(TIP_ATTR).is_some_and(|t| !t.is_empty()));
    }
    assert!(body.query_selector("[role=tooltip]").expect("q").is_none());
}

#[wasm_bindgen_test]
fn the_clock_patches_dates_in_place_and_shows_a_lock_that_expired() {
    let body = tbody();
    let users = UserNames::new();
    let rows = rows();
    let mut drawn = DrawnBody::draw(
        body.clone(),
        &rows,
        columns(),
        &ctx(NOW, None, &users),
        &|_| false,
    );
    let started = cell(&body, 0, 1);
    let lock = cell(&body, 0, 4);
    let id_cell = cell(&body, 0, 0);
    assert_eq!(text(&started, ".wm-time__rel"), "1 h ago");
    assert!(lock.query_selector(".wm-signal").expect("q").is_none());
    let time: HtmlElement = started
        .query_selector("time")
        .expect("q")
        .expect("a time")
        .dyn_into()
        .expect("html");
    time.focus().expect("focus");

    drawn.update(&rows, &ctx(NOW + 3_600, None, &users));

    assert_eq!(text(&started, ".wm-time__rel"), "2 h ago");
    assert_eq!(text(&cell(&body, 0, 5), "*"), "", "Age has no children");
    assert_eq!(cell(&body, 0, 5).text_content().as_deref(), Some("2 h"));
    assert_eq!(text(&lock, ".wm-signal"), "Stuck");
    let badge = lock
        .query_selector(".wm-signal")
        .expect("q")
        .expect("badge");
    assert!(badge
        .get_attribute(TIP_ATTR)
        .is_some_and(|t| t.contains("59 min")));
    assert!(
        cell(&body, 0, 1).is_same_node(Some(&started)),
        "patched in place"
    );
    assert!(cell(&body, 0, 0).is_same_node(Some(&id_cell)), "untouched");
    let active = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element());
    assert!(
        active.is_some_and(|a| a.is_same_node(Some(&time))),
        "the focused date keeps the focus"
    );

    // Back before the expiry: the badge goes.
    drawn.update(&rows, &ctx(NOW, None, &users));
    assert!(lock.query_selector(".wm-signal").expect("q").is_none());
}

#[wasm_bindgen_test]
fn names_replace_the_ids_they_name_and_nothing_else() {
    let body = tbody();
    let mut users = UserNames::new();
    users.asking(&[UserId(5)]);
    let rows = rows();
    let mut drawn = DrawnBody::draw(
        body.clone(),
        &rows,
        columns(),
        &ctx(NOW, None, &users),
        &|_| false,
    );
    let template = cell(&body, 0, 2);
    assert_eq!(name_of(&template, "wm-name--pending").as_deref(), Some("3"));
    assert_eq!(
        name_of(&cell(&body, 0, 3), "wm-name--pending").as_deref(),
        Some("5")
    );
    let started = cell(&body, 0, 1);

    let list = Templates::new(vec![TemplateInfo {
        id: TemplateId(3),
        name: "Deal <approval>".into(),
        document_type: None,
    }]);
    users.answered(
        &[UserId(5)],
        &[UserInfo {
            id: UserId(5),
            name: "Ann Lee".into(),
        }],
    );
    drawn.update(&rows, &ctx(NOW, Some(&list), &users));

    let named = cell(&body, 0, 2);
    assert_eq!(
        name_of(&named, "wm-name--template").as_deref(),
        Some("Deal <approval>")
    );
    assert!(named.query_selector("*").expect("q").is_none(), "text only");
    assert_eq!(name_of(&named, "wm-name--pending"), None);
    assert_eq!(
        name_of(&cell(&body, 0, 3), "wm-name--user").as_deref(),
        Some("Ann Lee")
    );
    assert_eq!(
        name_of(&cell(&body, 1, 3), "wm-name--system").as_deref(),
        Some("System / automation")
    );
    assert!(
        cell(&body, 0, 1).is_same_node(Some(&started)),
        "dates untouched"
    );
    assert!(drawn.document(0).is_none(), "no Document column");
}

#[wasm_bindgen_test]
fn waiting_for_fills_in_when_the_tasks_and_names_come() {
    let body = tbody();
    let mut users = UserNames::new();
    let rows = rows();
    let columns = vec![Column::Field(Field::Id), Column::Waiting];
    let mut drawn = DrawnBody::draw(
        body.clone(),
        &rows,
        columns,
        &ctx(NOW, None, &users),
        &|_| false,
    );
    let before = cell(&body, 0, 1);
    assert_eq!(before.text_content().as_deref(), Some("…"));
    assert!(before.class_list().contains("wm-waiting--pending"));

    let mut known = WaitingMap::new();
    known.insert(
        rows[0].id.clone(),
        Waiting::Tasks {
            tasks: vec![OpenTask {
                id: "7".into(),
                name: "<b>Approve</b> invoice".into(),
                state: "Approval".into(),
                waiting: vec![UserId(5), UserId(6), UserId(8)],
                answered: 0,
            }],
            more: false,
        },
    );
    known.insert(rows[1].id.clone(), Waiting::NoTask);
    users.insert(&UserInfo {
        id: UserId(5),
        name: "Anna Petrova".into(),
    });
    let mut c = ctx(NOW, None, &users);
    c.waiting = &known;
    drawn.update(&rows, &c);

    let first = cell(&body, 0, 1);
    assert_eq!(
        first.text_content().as_deref(),
        Some("<b>Approve</b> invoice · Anna Petrova, +2")
    );
    assert!(body.query_selector("b").expect("q").is_none(), "text only");
    let value = first
        .query_selector(".wm-waiting__value")
        .expect("q")
        .expect("a value the keyboard reaches");
    assert_eq!(value.get_attribute("tabindex").as_deref(), Some("-1"));
    assert_eq!(
        value.get_attribute("aria-describedby").as_deref(),
        Some(TIP_ID)
    );
    assert!(value
        .get_attribute(TIP_ATTR)
        .is_some_and(|t| t.contains("Workflow state: Approval")));
    assert_eq!(
        cell(&body, 1, 1).text_content().as_deref(),
        Some("No open task")
    );
    assert!(cell(&body, 0, 0)
        .text_content()
        .is_some_and(|t| t == "wf.1"));
}
