//! Names and documents, end to end: the table names templates and users
//! from the portal's own data (and says "System / automation", "User 77",
//! "Automation rule or robot"), within the REST budget (one
//! `template.list`, one `user.get` per screen for new ids only, none when
//! paging back); documents read "Deal 1633", link to the portal and open
//! in its slider; "Show all workflows of …" filters the table to the
//! document; hostile portal data stays text. Each test would fail without
//! the feature it names.
//!
//! Every test prints `REST requests | <interaction> | <n> | <calls>`, as
//! `e2e/tests/table.rs` does. Collect them with
//! `cargo test -p e2e --test names -- --nocapture`.

use std::collections::{BTreeSet, HashMap};

use e2e::app::app_dist;
use e2e::portal_emulator::data::{GONE_USERS, HOSTILE_TEXT};
use e2e::table::{
    describe_calls, emulator_call, emulator_full_rows, emulator_rows, emulator_templates,
    emulator_users, expect_pairs, is_template_list, list_queries, pairs, showing, text_of,
    user_get_references, user_gets, RestLog, TablePage, TEMPLATE_LIST_METHOD,
};
use e2e::{config_serving, wait_for, Harness, HarnessError, Result};
use portal_emulator::Config;
use serde_json::{json, Map, Value};

const WORKFLOWS: u64 = 600;

/// The first screen's ORDER: newest first, `ID` as tie-breaker.
const NEWEST_FIRST: [(&str, &str); 2] = [("STARTED", "DESC"), ("ID", "DESC")];

fn config() -> Result<Config> {
    let mut config = config_serving(&app_dist()?);
    config.workflows = WORKFLOWS as usize;
    Ok(config)
}

/// Opens the app in the portal and waits for its first screen with every
/// name filled in.
async fn open(h: &Harness) -> Result<TablePage<'_>> {
    h.portal().open().await?;
    let table = TablePage::of(h);
    table.wait_showing(&showing(1, 50, WORKFLOWS)).await?;
    table.wait_names_filled().await?;
    Ok(table)
}

/// Waits until every answer reached the app, then prints and returns what
/// the app asked for since `mark`.
async fn cost(
    interaction: &str,
    log: &RestLog<'_>,
    table: &TablePage<'_>,
    mark: u64,
) -> Result<Vec<Value>> {
    log.cost(interaction, table, 0, mark).await
}

fn field(row: &Map<String, Value>, name: &str) -> String {
    row.get(name).map(text_of).unwrap_or_default()
}

/// The people (not 0) who started `rows`, each once.
fn people(rows: &[Map<String, Value>]) -> BTreeSet<u64> {
    rows.iter()
        .filter_map(|r| field(r, "STARTED_BY").parse::<u64>().ok())
        .filter(|id| *id != 0)
        .collect()
}

/// Every `user.get` in `calls`, each as the set of ids it asked for.
fn user_get_sets(calls: &[Value]) -> Vec<BTreeSet<u64>> {
    calls
        .iter()
        .flat_map(user_gets)
        .map(|ids| ids.into_iter().collect())
        .collect()
}

/// What the Started by cell must say, from the portal's own answers.
fn user_text(id: u64, users: &HashMap<u64, String>) -> String {
    match (id, users.get(&id)) {
        (0, _) => "System / automation".to_owned(),
        (_, Some(name)) if !name.is_empty() => name.clone(),
        _ => format!("User {id}"),
    }
}

/// What the Template cell must say.
fn template_text(id: u64, templates: &HashMap<u64, String>) -> String {
    match templates.get(&id) {
        Some(name) => name.clone(),
        None => format!("Automation rule or robot (template {id})"),
    }
}

/// The readable document and its portal path, from fact sheet §1.6–§1.7
/// (written here independently of the app). `list_of` gives a list
/// element's list (its template's `iblock_<id>`).
fn document(entity: &str, id: &str, list_of: Option<u64>) -> Option<(String, Option<String>)> {
    let num = |prefix: &str| id.strip_prefix(prefix).and_then(|n| n.parse::<u64>().ok());
    let crm = |kind: &str, label: &str, n: u64| {
        Some((
            format!("{label} {n}"),
            Some(format!("/crm/{kind}/details/{n}/")),
        ))
    };
    let typed =
        |label: String, t: u64, n: u64| Some((label, Some(format!("/crm/type/{t}/details/{n}/"))));
    match entity {
        "CCrmDocumentDeal" => crm("deal", "Deal", num("DEAL_")?),
        "CCrmDocumentLead" => crm("lead", "Lead", num("LEAD_")?),
        "CCrmDocumentContact" => crm("contact", "Contact", num("CONTACT_")?),
        "CCrmDocumentCompany" => crm("company", "Company", num("COMPANY_")?),
        "Bitrix\\Crm\\Integration\\BizProc\\Document\\Quote" => {
            let n = num("QUOTE_")?;
            typed(format!("Estimate {n}"), 7, n)
        }
        "Bitrix\\Crm\\Integration\\BizProc\\Document\\SmartInvoice" => {
            let n = num("SMART_INVOICE_")?;
            typed(format!("Invoice {n}"), 31, n)
        }
        "Bitrix\\Crm\\Integration\\BizProc\\Document\\Dynamic" => {
            let (t, n) = id.strip_prefix("DYNAMIC_")?.split_once('_')?;
            let (t, n) = (t.parse().ok()?, n.parse().ok()?);
            typed(format!("Smart process {t} · item {n}"), t, n)
        }
        "Bitrix\\Disk\\BizProcDocument" => {
            Some((format!("Drive file {}", id.parse::<u64>().ok()?), None))
        }
        "BizprocDocument" => {
            let n = id.parse::<u64>().ok()?;
            Some((
                format!("List element {n}"),
                list_of
                    .map(|l| format!("/bizproc/processes/?livefeed=y&list_id={l}&element_id={n}")),
            ))
        }
        "Bitrix\\Lists\\BizprocDocumentLists" => Some((
            format!("Group list element {}", id.parse::<u64>().ok()?),
            None,
        )),
        _ => None,
    }
}

/// Each template's list (iblock) id, from `DOCUMENT_TYPE` `iblock_<id>`.
async fn template_lists(h: &Harness) -> Result<HashMap<u64, u64>> {
    let answer = emulator_call(
        h,
        TEMPLATE_LIST_METHOD,
        json!({"select": ["ID", "DOCUMENT_TYPE"]}),
    )
    .await?;
    Ok(answer["result"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| {
            let id = text_of(&t["ID"]).parse().ok()?;
            let kind = text_of(&t["DOCUMENT_TYPE"][2]);
            Some((id, kind.strip_prefix("iblock_")?.parse().ok()?))
        })
        .collect())
}

/// The first workflow (oldest first) matching `filter`, by the emulator.
async fn find_workflow(h: &Harness, filter: Value, what: &str) -> Result<String> {
    let found = emulator_rows(h, &[("ID", "ASC")], filter, 0, 1).await?;
    found.ids.first().cloned().ok_or_else(|| {
        HarnessError::Unexpected(format!(
            "the emulator's {WORKFLOWS} workflows have none {what}: choose another count"
        ))
    })
}

/// Shows only workflow `id` (the ID filter, as a person types it).
async fn show_only(table: &TablePage<'_>, id: &str) -> Result<()> {
    table.fill("ID", id).await?;
    table.wait_ids("the one workflow", &[id.to_owned()]).await?;
    table.wait_names_filled().await
}

/// The one row on screen, cells by header.
async fn only_row(table: &TablePage<'_>) -> Result<Map<String, Value>> {
    let mut rows = table.rows().await?;
    match rows.len() {
        1 => Ok(rows.remove(0)),
        n => Err(HarnessError::Unexpected(format!("{n} rows, not one"))),
    }
}

fn cell(row: &Map<String, Value>, header: &str) -> String {
    row.get(header)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

// ---------------------------------------------------------------------------

#[tokio::test]
async fn the_table_names_templates_and_people_from_the_portals_data() -> Result<()> {
    let h = Harness::start("names-table", config()?).await?;
    let table = open(&h).await?;
    let rows = emulator_full_rows(&h, &NEWEST_FIRST, json!({}), 0).await?;
    let templates: HashMap<u64, String> = emulator_templates(&h).await?.into_iter().collect();
    let ids: Vec<u64> = people(&rows).into_iter().collect();
    let users: HashMap<u64, String> = emulator_users(&h, &ids).await?.into_iter().collect();

    let expected: Vec<(String, String, String)> = rows
        .iter()
        .map(|r| {
            let by: u64 = field(r, "STARTED_BY").parse().unwrap_or(u64::MAX);
            let template: u64 = field(r, "TEMPLATE_ID").parse().unwrap_or(u64::MAX);
            (
                field(r, "ID"),
                user_text(by, &users),
                template_text(template, &templates),
            )
        })
        .collect();
    // The page must show each case the test names.
    assert!(expected.iter().any(|e| e.1 == "System / automation"));
    assert!(expected.iter().any(|e| users.values().any(|n| *n == e.1)));
    assert!(
        expected
            .iter()
            .any(|e| e.2.starts_with("Automation rule or robot")),
        "page 1 has a workflow of a template template.list hides"
    );
    assert!(expected
        .iter()
        .any(|e| templates.values().any(|n| *n == e.2)));

    let shown = wait_for("names as the portal gives them", || async {
        let got: Vec<(String, String, String)> = table
            .rows()
            .await?
            .iter()
            .map(|r| (cell(r, "ID"), cell(r, "Started by"), cell(r, "Template")))
            .collect();
        Ok((got == expected).then_some(got))
    })
    .await;
    if shown.is_err() {
        let got = table.rows().await.unwrap_or_default();
        eprintln!("on screen: {:#?}", got.iter().take(5).collect::<Vec<_>>());
        eprintln!(
            "expected: {:#?}",
            expected.iter().take(5).collect::<Vec<_>>()
        );
    }
    shown?;

    // The Template picker offers the names, alphabetically.
    let options = table.options("Template").await?;
    let names: Vec<String> = options
        .iter()
        .filter(|(v, _)| !v.is_empty())
        .map(|(_, t)| t.clone())
        .collect();
    let mut sorted = names.clone();
    sorted.sort_by_key(|n| n.to_lowercase());
    assert_eq!(names, sorted, "template names in alphabetical order");
    assert_eq!(names.len(), templates.len());

    // A person the portal no longer returns reads "User 77".
    let log = RestLog::of(&h);
    let gone = find_workflow(
        &h,
        json!({"STARTED_BY": GONE_USERS.to_vec()}),
        "by a dismissed user",
    )
    .await?;
    let mark = log.mark().await?;
    show_only(&table, &gone).await?;
    let row = only_row(&table).await?;
    let by = cell(&row, "Started by");
    assert!(
        GONE_USERS.iter().any(|u| by == format!("User {u}")),
        "{row:?}"
    );
    cost("one workflow of a dismissed user", &log, &table, mark).await?;
    h.finish().await
}

/// The people among `ids` the portal's `user.get` does not return (gone
/// or never were): the only ones the app may ask for again by id.
async fn unnamed(h: &Harness, ids: &BTreeSet<u64>) -> Result<BTreeSet<u64>> {
    let list: Vec<u64> = ids.iter().copied().collect();
    let found: BTreeSet<u64> = emulator_users(h, &list)
        .await?
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    Ok(ids.difference(&found).copied().collect())
}

/// The `user.get` commands of the request for the page at `start`, as
/// their references: one per 50-row part, each to every row's STARTED_BY.
fn references_of(calls: &[Value], start: u64) -> Result<Vec<Vec<String>>> {
    let request = calls
        .iter()
        .find(|c| {
            list_queries(c)
                .iter()
                .any(|q| q.start == start && !q.is_signal_count())
        })
        .ok_or_else(|| HarnessError::Unexpected(format!("no request for start={start}")))?;
    Ok(user_get_references(request))
}

fn refs(key: &str) -> Vec<String> {
    (0..50)
        .map(|i| format!("$result[{key}][{i}][STARTED_BY]"))
        .collect()
}

#[tokio::test]
async fn names_cost_one_template_list_and_every_screen_names_its_people_in_its_own_request(
) -> Result<()> {
    let h = Harness::start("names-cost", config()?).await?;
    let table = open(&h).await?;
    let log = RestLog::of(&h);
    let calls = cost("first screen, names filled", &log, &table, 0).await?;

    let templates: Vec<&Value> = calls.iter().filter(|c| is_template_list(c)).collect();
    assert_eq!(
        templates.len(),
        1,
        "one template.list: {}",
        describe_calls(&calls)
    );
    let page1 = emulator_full_rows(&h, &NEWEST_FIRST, json!({}), 0).await?;
    let page2 = emulator_full_rows(&h, &NEWEST_FIRST, json!({}), 50).await?;
    // Page 1's people in the rows' own batch, by reference to each row's
    // STARTED_BY (one round trip to a named table); page 2's likewise in
    // its prefetch. Only people those answers could not name (gone from
    // the portal) are asked again by id.
    assert_eq!(
        references_of(&calls, 0)?,
        vec![refs("s0")],
        "page 1's people asked with its rows: {}",
        describe_calls(&calls)
    );
    assert_eq!(
        references_of(&calls, 50)?,
        vec![refs("s50")],
        "page 2's people asked with its prefetch: {}",
        describe_calls(&calls)
    );
    let met: BTreeSet<u64> = people(&page1).union(&people(&page2)).copied().collect();
    let gone = unnamed(&h, &met).await?;
    let asked: BTreeSet<u64> = user_get_sets(&calls).into_iter().flatten().collect();
    assert!(
        asked.is_subset(&gone),
        "only people the portal did not name are asked again ({gone:?}): {}",
        describe_calls(&calls)
    );
    let named = table.rows().await?;
    for (row, want) in named.iter().zip(&page1) {
        let id: u64 = field(want, "STARTED_BY").parse().unwrap_or(0);
        assert_ne!(
            cell(row, "Started by"),
            id.to_string(),
            "page 1 is named: {row:?}"
        );
    }

    // Next page (prefetched with its people): named at once; the only
    // request is the prefetch of page 3, with its people.
    let mark = log.mark().await?;
    table.next_page().await?;
    table.wait_showing(&showing(51, 100, WORKFLOWS)).await?;
    assert_eq!(
        table.pending_names().await?,
        0,
        "page 2 is named as soon as it shows"
    );
    let calls = cost("Next page, names filled", &log, &table, mark).await?;
    assert_eq!(references_of(&calls, 100)?, vec![refs("s100")]);
    let page3 = emulator_full_rows(&h, &NEWEST_FIRST, json!({}), 100).await?;
    let gone = unnamed(&h, &people(&page3)).await?;
    let asked: BTreeSet<u64> = user_get_sets(&calls).into_iter().flatten().collect();
    assert!(asked.is_subset(&gone), "{}", describe_calls(&calls));
    assert!(!calls.iter().any(is_template_list), "templates are kept");

    // Back to page 1: its people are known.
    let mark = log.mark().await?;
    table.previous_page().await?;
    table.wait_showing(&showing(1, 50, WORKFLOWS)).await?;
    table.wait_names_filled().await?;
    let calls = cost("Previous page, names filled", &log, &table, mark).await?;
    assert!(
        user_get_sets(&calls).is_empty(),
        "{}",
        describe_calls(&calls)
    );
    assert!(!calls.iter().any(is_template_list));
    h.finish().await
}

#[tokio::test]
async fn documents_read_as_their_kind_and_open_in_the_portals_slider() -> Result<()> {
    let h = Harness::start("names-docs", config()?).await?;
    let table = open(&h).await?;
    let rows = emulator_full_rows(&h, &NEWEST_FIRST, json!({}), 0).await?;
    let lists = template_lists(&h).await?;
    let origin = h.emulator.portal_url();

    let mut expected_cells = Vec::new();
    let mut expected_links = Vec::new();
    for r in &rows {
        let list = field(r, "TEMPLATE_ID")
            .parse()
            .ok()
            .and_then(|t| lists.get(&t).copied());
        let doc = field(r, "DOCUMENT_ID");
        match document(&field(r, "ENTITY"), &doc, list) {
            Some((label, path)) => {
                if let Some(p) = path {
                    expected_links.push((
                        label.clone(),
                        format!("{origin}{p}"),
                        "_blank".to_owned(),
                    ));
                }
                expected_cells.push(label);
            }
            None => expected_cells.push(doc),
        }
    }
    let got: Vec<String> = table
        .rows()
        .await?
        .iter()
        .map(|r| cell(r, "Document"))
        .collect();
    assert_eq!(got, expected_cells);
    let links = wait_for(
        "the list elements' links (their lists come with the templates)",
        || async {
            let links = table.table_links().await?;
            Ok((links == expected_links).then_some(links))
        },
    )
    .await;
    if links.is_err() {
        eprintln!(
            "links: {:#?}",
            table.table_links().await.unwrap_or_default()
        );
        eprintln!("expected: {expected_links:#?}");
    }
    links?;

    // Module and Entity read as kinds.
    let first = &table.rows().await?[0];
    assert!(
        ["CRM", "Drive", "Lists"].contains(&cell(first, "Module").as_str()),
        "{first:?}"
    );

    // A plain click opens the deal in the portal's slider, not a new tab.
    let (label, _, _) = expected_links
        .iter()
        .find(|(l, _, _)| l.starts_with("Deal "))
        .cloned()
        .ok_or_else(|| HarnessError::Unexpected("no deal on page 1".into()))?;
    let n = label.trim_start_matches("Deal ");
    let page = h.portal();
    let windows = h.client.windows().await?.len();
    table.click_link(&label).await?;
    wait_for("the slider", || async {
        Ok(page.slider_is_open().await?.then_some(()))
    })
    .await?;
    wait_for(&format!("{label} in the slider"), || async {
        Ok(page.slider_text().await?.contains(&label).then_some(()))
    })
    .await?;
    let path = format!("/crm/deal/details/{n}/");
    let sent = page
        .wait_log_entry("openPath in the frame log", |e| {
            e["command"] == "openPath" && e["accepted"] == true
        })
        .await?;
    assert!(
        text_of(&sent["data"]).contains(&format!("\"path\":\"{path}\"")),
        "{sent}"
    );
    assert_eq!(h.client.windows().await?.len(), windows, "no new tab");
    page.close_slider().await?;

    // A smart process item or an invoice opens at its entityTypeId path.
    if let Some((typed, url, _)) = expected_links
        .iter()
        .find(|(l, _, _)| l.starts_with("Smart process") || l.starts_with("Invoice"))
        .cloned()
    {
        table.click_link(&typed).await?;
        wait_for(&format!("{typed} in the slider"), || async {
            if !page.slider_is_open().await? {
                return Ok(None);
            }
            Ok(page.slider_text().await?.contains(&typed).then_some(()))
        })
        .await?;
        println!("opened {typed} ({url}) in the slider");
        page.close_slider().await?;
    }
    h.finish().await
}

#[tokio::test]
async fn show_all_workflows_of_a_document_filters_the_table_to_it() -> Result<()> {
    let h = Harness::start("names-doc-filter", config()?).await?;
    let table = open(&h).await?;
    let log = RestLog::of(&h);
    log.wait_settled(&table, 0).await?;
    let rows = emulator_full_rows(&h, &NEWEST_FIRST, json!({}), 0).await?;
    // The page's CRM document with the most running workflows.
    let mut best: Option<(u64, Map<String, Value>)> = None;
    for r in rows.iter().filter(|r| field(r, "MODULE_ID") == "crm") {
        let filter = json!({
            "MODULE_ID": field(r, "MODULE_ID"),
            "ENTITY": field(r, "ENTITY"),
            "DOCUMENT_ID": field(r, "DOCUMENT_ID"),
        });
        let total = emulator_rows(&h, &NEWEST_FIRST, filter, 0, 1).await?.total;
        if best.as_ref().is_none_or(|(t, _)| total > *t) {
            best = Some((total, r.clone()));
        }
    }
    let Some((total, row)) = best else {
        return Err(HarnessError::Unexpected("no CRM document on page 1".into()));
    };
    let (label, _) = document(&field(&row, "ENTITY"), &field(&row, "DOCUMENT_ID"), None)
        .ok_or_else(|| HarnessError::Unexpected(format!("unreadable {row:?}")))?;

    let mark = log.mark().await?;
    table
        .press(&format!("Show all workflows of {label}"))
        .await?;
    let sent = log
        .wait_query(mark, "a list query filtered on the document", |q| {
            q.start == 0 && q.filter.contains_key("DOCUMENT_ID")
        })
        .await?;
    let want = [
        ("MODULE_ID", field(&row, "MODULE_ID")),
        ("ENTITY", field(&row, "ENTITY")),
        ("DOCUMENT_ID", field(&row, "DOCUMENT_ID")),
    ];
    let want: Vec<(&str, &str)> = want.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        pairs(&Value::Object(sent.filter.clone())),
        expect_pairs(&want)
    );
    let filter: Map<String, Value> = want
        .iter()
        .map(|(k, v)| ((*k).to_owned(), json!(v)))
        .collect();
    let expected = emulator_rows(&h, &NEWEST_FIRST, Value::Object(filter), 0, 50).await?;
    assert_eq!(expected.total, total);
    table
        .wait_ids(&format!("the workflows of {label}"), &expected.ids)
        .await?;
    table.wait_chips(&[&format!("Document is {label}")]).await?;
    let shown: Vec<String> = table
        .rows()
        .await?
        .iter()
        .map(|r| cell(r, "Document"))
        .collect();
    assert!(shown.iter().all(|d| *d == label), "{shown:?}");
    println!("{label}: {total} running workflow(s)");
    cost(
        &format!("Show all workflows of {label}"),
        &log,
        &table,
        mark,
    )
    .await?;
    h.finish().await
}

#[tokio::test]
async fn hostile_portal_data_shows_as_text_and_makes_no_element() -> Result<()> {
    let h = Harness::start("names-hostile", config()?).await?;
    let table = open(&h).await?;
    let log = RestLog::of(&h);
    let hostile_name = emulator_users(&h, &[57])
        .await?
        .into_iter()
        .next()
        .map(|(_, n)| n)
        .ok_or_else(|| HarnessError::Unexpected("user 57 is missing".into()))?;
    assert!(hostile_name.contains(HOSTILE_TEXT));
    let cases = [
        (
            json!({"DOCUMENT_ID": HOSTILE_TEXT}),
            "Document",
            HOSTILE_TEXT.to_owned(),
        ),
        (
            json!({"TEMPLATE_ID": 212}),
            "Template",
            HOSTILE_TEXT.to_owned(),
        ),
        (json!({"STARTED_BY": 57}), "Started by", hostile_name),
    ];
    for (filter, column, want) in cases {
        let id = find_workflow(&h, filter.clone(), &format!("with {filter}")).await?;
        let mark = log.mark().await?;
        show_only(&table, &id).await?;
        let row = only_row(&table).await?;
        // `rows()` collapses runs of spaces, as the text has none.
        assert_eq!(cell(&row, column), want, "{column}: {row:?}");
        let (elements, ran) = table.injected().await?;
        assert_eq!(elements, 0, "markup in {column} made elements");
        assert!(!ran, "markup in {column} ran a script");
        cost(
            &format!("one workflow with markup in {column}"),
            &log,
            &table,
            mark,
        )
        .await?;
    }
    h.finish().await
}

#[tokio::test]
async fn names_fill_in_without_moving_the_layout() -> Result<()> {
    let h = Harness::start("names-layout", config()?).await?;
    let table = open(&h).await?;
    let log = RestLog::of(&h);
    log.wait_settled(&table, 0).await?;
    // Slow answers from now on. Page 2 comes prefetched with its people;
    // the last page is asked on the click and its rows show.
    h.control
        .post("/_emulator/knobs", &json!({"latency_ms": 1500}))
        .await?;
    let page1 = emulator_full_rows(&h, &NEWEST_FIRST, json!({}), 0).await?;
    let page2 = emulator_full_rows(&h, &NEWEST_FIRST, json!({}), 50).await?;
    let last = emulator_full_rows(&h, &NEWEST_FIRST, json!({}), WORKFLOWS - 50).await?;
    let known: BTreeSet<u64> = people(&page1).union(&people(&page2)).copied().collect();
    assert!(
        !people(&last).is_subset(&known),
        "the last page must name someone pages 1 and 2 do not"
    );
    // One of the last page's workflows ends first: the page brings one
    // row fewer than its people references name, so its answer settles
    // nobody and the people it missed take another round trip (a complete
    // answer would name them, or settle them as gone, with the rows).
    let gone = field(&last[0], "ID");
    h.control
        .post("/_emulator/workflows/finish", &json!({"ids": [gone]}))
        .await?;
    table.last_page().await?;
    let before = wait_for("the last page with names still loading", || async {
        let (pending, rows, columns) = table.layout().await?;
        Ok((pending > 0 && rows.len() >= 49).then_some((rows, columns)))
    })
    .await?;
    table.wait_names_filled().await?;
    let (_, rows, columns) = table.layout().await?;
    assert_eq!(rows, before.0, "row heights moved when names arrived");
    assert_eq!(columns, before.1, "column widths moved when names arrived");
    h.finish().await
}

#[tokio::test]
async fn a_russian_portal_gets_names_and_documents_in_russian() -> Result<()> {
    let mut config = config()?;
    config.lang = "ru".to_owned();
    let h = Harness::start("names-ru", config).await?;
    h.portal().open().await?;
    let table = TablePage::of(&h);
    table.wait_showing("Показаны 1–50 из 600").await?;
    table.wait_names_filled().await?;
    let rows = emulator_full_rows(&h, &NEWEST_FIRST, json!({}), 0).await?;
    let deal = rows
        .iter()
        .find_map(|r| {
            field(r, "DOCUMENT_ID")
                .strip_prefix("DEAL_")
                .map(str::to_owned)
        })
        .ok_or_else(|| HarnessError::Unexpected("no deal on page 1".into()))?;
    let body = table
        .app
        .js("return document.querySelector('table tbody').innerText;")
        .await?;
    let body = body.as_str().unwrap_or_default();
    for want in [
        "Система / автоматизация".to_owned(),
        format!("Сделка {deal}"),
        "Правило автоматизации или робот".to_owned(),
    ] {
        assert!(body.contains(&want), "{want:?} is not in the table");
    }
    table
        .press(&format!("Показать все процессы документа «Сделка {deal}»"))
        .await?;
    // The chip (the page object's `chips` reads the English remove buttons).
    let chip = format!("Документ: Сделка {deal}");
    wait_for(&format!("the chip {chip:?}"), || async {
        let v = table
            .app
            .js("return Array.from(document.querySelectorAll('.wm-chip__label')).map(c => c.textContent);")
            .await?;
        let chips: Vec<String> = serde_json::from_value(v).unwrap_or_default();
        Ok((chips == [chip.clone()]).then_some(()))
    })
    .await?;
    h.finish().await
}
