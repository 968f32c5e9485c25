//! `bizproc.workflow.instances` over HTTP: request decoding, the response
//! shape, SELECT/ORDER/FILTER semantics with silent drops, paging.

mod common;

use common::Portal;
use serde_json::{json, Value};

const ALL_FIELDS: [&str; 9] = [
    "ID",
    "MODIFIED",
    "OWNED_UNTIL",
    "MODULE_ID",
    "ENTITY",
    "DOCUMENT_ID",
    "STARTED",
    "STARTED_BY",
    "TEMPLATE_ID",
];

fn is_iso_with_offset(s: &str) -> bool {
    chrono::DateTime::parse_from_rfc3339(s).is_ok() && s.ends_with("+03:00")
}

#[tokio::test]
async fn the_docs_example_request_returns_every_field_as_a_string() {
    let p = Portal::start(300).await;
    // The request of the method's official page (fixture).
    let (status, body) = p
        .call(
            "bizproc.workflow.instances",
            json!({"select": ALL_FIELDS, "order": {"STARTED": "DESC"}, "filter": {">STARTED_BY": 0}}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let rows = body["result"].as_array().expect("result array");
    assert_eq!(rows.len(), 50);
    assert_eq!(body["next"], json!(50));
    let total = body["total"].as_u64().expect("total");
    assert!(total > 50 && total < 300, "only user-started: {total}");
    let mut last_started = String::from("9999");
    for row in rows {
        let obj = row.as_object().expect("row object");
        assert_eq!(obj.len(), 9);
        for f in ALL_FIELDS {
            let v = &obj[f];
            assert!(
                v.is_string() || (f == "OWNED_UNTIL" && v.is_null()),
                "{f}: {v}"
            );
        }
        assert_ne!(obj["STARTED_BY"], json!("0"));
        for f in ["STARTED", "MODIFIED"] {
            assert!(
                is_iso_with_offset(obj[f].as_str().unwrap_or("")),
                "{f}: {}",
                obj[f]
            );
        }
        // Descending by STARTED (dates of one offset compare as text).
        let started = obj["STARTED"].as_str().unwrap_or("").to_owned();
        assert!(started <= last_started);
        last_started = started;
    }
    let time = &body["time"];
    for k in [
        "start",
        "finish",
        "duration",
        "processing",
        "date_start",
        "date_finish",
        "operating",
    ] {
        assert!(time.get(k).is_some(), "time.{k} in {time}");
    }
}

#[tokio::test]
async fn select_defaults_and_drops_unknown_names_and_order_defaults_to_modified_desc() {
    let p = Portal::start(120).await;
    let (_, body) = p
        .call("bizproc.workflow.instances", json!({"select": ["NOPE"]}))
        .await;
    let rows = body["result"].as_array().expect("rows");
    let keys: Vec<&String> = rows[0].as_object().expect("row").keys().collect();
    assert_eq!(keys, ["ID", "MODIFIED", "OWNED_UNTIL"]);
    let modified: Vec<&str> = rows
        .iter()
        .map(|r| r["MODIFIED"].as_str().unwrap_or(""))
        .collect();
    let mut sorted = modified.clone();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(modified, sorted, "default order MODIFIED DESC");
    // Lower-case values in SELECT are upper-cased.
    let (_, body) = p
        .call(
            "bizproc.workflow.instances",
            json!({"select": ["template_id"]}),
        )
        .await;
    let keys: Vec<String> = body["result"][0]
        .as_object()
        .expect("row")
        .keys()
        .cloned()
        .collect();
    assert_eq!(keys, ["TEMPLATE_ID"]);
}

#[tokio::test]
async fn the_alias_the_json_suffix_and_bracket_notation_give_the_same_answer() {
    let p = Portal::start(200).await;
    let params = json!({"select": ["ID", "TEMPLATE_ID"], "order": {"ID": "asc"}, "filter": {">=TEMPLATE_ID": 50}, "start": 50});
    let (_, a) = p.call("bizproc.workflow.instances", params.clone()).await;
    let (_, b) = p.call("bizproc.workflow.instance.list", params).await;
    assert_eq!(a["result"], b["result"]);
    assert!(!a["result"].as_array().expect("rows").is_empty());
    // BX24 v1 style: text/plain body in PHP bracket notation, no `.json`.
    let form = format!(
        "auth={}&select[0]=ID&select[1]=TEMPLATE_ID&order[ID]=asc&filter[%3E%3DTEMPLATE_ID]=50&start=50",
        p.token
    );
    let (status, c) = p
        .raw(
            "/rest/bizproc.workflow.instances",
            "text/plain;charset=UTF-8",
            form,
        )
        .await;
    assert_eq!(status, 200, "{c}");
    assert_eq!(a["result"], c["result"]);
    // Token and start in the query string, filter in the body: merged.
    let (status, d) = p
        .raw_json(
            &format!("/rest/bizproc.workflow.instances.json?auth={}&start=50", p.token),
            &json!({"select": ["ID", "TEMPLATE_ID"], "order": {"ID": "asc"}, "filter": {">=TEMPLATE_ID": 50}}),
        )
        .await;
    assert_eq!(status, 200, "{d}");
    assert_eq!(a["result"], d["result"]);
}

#[tokio::test]
async fn paging_by_start_visits_every_row_once_and_the_last_page_has_no_next() {
    let p = Portal::start(173).await;
    let ids = p.all_ids(json!({"order": {"ID": "ASC"}})).await;
    assert_eq!(ids.len(), 173);
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted);
    sorted.dedup();
    assert_eq!(sorted.len(), 173);
    let (_, last) = p
        .call("bizproc.workflow.instances", json!({"start": 150}))
        .await;
    assert_eq!(last["result"].as_array().map(Vec::len), Some(23));
    assert!(last.get("next").is_none());
    assert_eq!(last["total"], json!(173));
    let (_, past) = p
        .call("bizproc.workflow.instances", json!({"start": 500}))
        .await;
    assert_eq!(past["result"], json!([]));
    assert_eq!(past["total"], json!(173));
}

#[tokio::test]
async fn start_minus_one_is_an_sql_error() {
    let p = Portal::start(10).await;
    let (status, body) = p
        .call("bizproc.workflow.instances", json!({"start": -1}))
        .await;
    assert_eq!(status, 500);
    assert_eq!(
        body,
        json!({"error": "ERROR_CORE", "error_description": "SQL query error!"})
    );
}

async fn total(p: &Portal, filter: Value) -> u64 {
    let (status, body) = p
        .call("bizproc.workflow.instances", json!({"filter": filter}))
        .await;
    assert_eq!(status, 200, "{body}");
    body["total"].as_u64().expect("total")
}

#[tokio::test]
async fn unsupported_operators_and_lower_case_fields_are_silently_ignored() {
    let p = Portal::start(400).await;
    let everything = total(&p, json!({})).await;
    assert_eq!(everything, 400);
    let (_, body) = p
        .call(
            "bizproc.workflow.instances",
            json!({"select": ["TEMPLATE_ID"], "order": {"ID": "ASC"}}),
        )
        .await;
    let template: u64 = body["result"][0]["TEMPLATE_ID"]
        .as_str()
        .expect("id")
        .parse()
        .expect("number");
    let exact = total(&p, json!({"TEMPLATE_ID": template})).await;
    assert!(exact > 0 && exact < everything);
    // `=`, `!=`, `%`, `@` and lower-case names: dropped, so everything comes back.
    for dropped in [
        json!({"=TEMPLATE_ID": template}),
        json!({"!=TEMPLATE_ID": template}),
        json!({"%DOCUMENT_ID": "DEAL"}),
        json!({"@TEMPLATE_ID": [template]}),
        json!({"template_id": template}),
        json!({"NO_SUCH_FIELD": 1}),
    ] {
        assert_eq!(total(&p, dropped.clone()).await, everything, "{dropped}");
    }
    assert_eq!(
        total(&p, json!({"!TEMPLATE_ID": template})).await,
        everything - exact
    );
    // A portal on the newer docs accepts them.
    p.knobs(json!({"accept_eq_operators": true, "case_insensitive_filter_fields": true}))
        .await;
    assert_eq!(total(&p, json!({"=TEMPLATE_ID": template})).await, exact);
    assert_eq!(total(&p, json!({"template_id": template})).await, exact);
    assert_eq!(
        total(&p, json!({"!=TEMPLATE_ID": template})).await,
        everything - exact
    );
}

#[tokio::test]
async fn dates_are_converted_for_modified_and_owned_until_from_any_offset() {
    let p = Portal::start(500).await;
    let stats = p.get("/_emulator/stats").await;
    let stuck_expected = stats["stuck"].as_u64().expect("stuck");
    assert!(stuck_expected > 0);
    let now = chrono::Utc::now();
    let five_min_ago = now - chrono::Duration::minutes(5);
    // The same instant written in three offsets gives the same answer (§1.3).
    let utc = five_min_ago.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let plus5 = five_min_ago
        .with_timezone(&chrono::FixedOffset::east_opt(5 * 3600).expect("offset"))
        .to_rfc3339();
    let minus7 = five_min_ago
        .with_timezone(&chrono::FixedOffset::west_opt(7 * 3600).expect("offset"))
        .to_rfc3339();
    for v in [&utc, &plus5, &minus7] {
        assert_eq!(
            total(&p, json!({"<OWNED_UNTIL": v})).await,
            stuck_expected,
            "{v}"
        );
    }
    // Unlocked rows (OWNED_UNTIL null) satisfy no comparison.
    let locked = total(&p, json!({">=OWNED_UNTIL": "2000-01-01T00:00:00Z"})).await;
    assert!(locked < 500 / 3, "{locked}");
    let a = total(&p, json!({"<MODIFIED": "2026-01-01T00:00:00+00:00"})).await;
    let b = total(&p, json!({">=MODIFIED": "2026-01-01T03:00:00+03:00"})).await;
    assert_eq!(a + b, 500);
    // strtotime fails: the condition matches nothing.
    assert_eq!(total(&p, json!({"<MODIFIED": "not a date"})).await, 0);
}

#[tokio::test]
async fn started_filter_works_or_is_ignored_depending_on_the_portal() {
    let p = Portal::start(300).await;
    let cut = json!({"<STARTED": "2025-10-01T00:00:00Z"});
    let older = total(&p, cut.clone()).await;
    assert!(older > 0 && older < 300);
    p.knobs(json!({"started_filter": "ignore"})).await;
    assert_eq!(total(&p, cut).await, 300, "the portal ignores STARTED");
    p.knobs(json!({"started_filter": "convert", "ignore_filter_fields": ["TEMPLATE_ID"]}))
        .await;
    assert_eq!(total(&p, json!({"TEMPLATE_ID": 1})).await, 300);
}

#[tokio::test]
async fn ids_compare_as_strings_so_an_id_range_is_a_start_time_range() {
    let p = Portal::start(300).await;
    // uniqid: the first 8 hex digits are the start second (§1.4, S18).
    let cut = 1_759_276_800i64; // 2025-10-01T00:00:00Z
    let by_started = total(&p, json!({"<STARTED": "2025-10-01T00:00:00Z"})).await;
    let by_id = total(&p, json!({"<ID": format!("{cut:08x}")})).await;
    assert_eq!(by_started, by_id);
}

#[tokio::test]
async fn document_filter_and_template_filter_combine() {
    let p = Portal::start(600).await;
    let (_, body) = p
        .call(
            "bizproc.workflow.instances",
            json!({"select": ["MODULE_ID", "ENTITY", "DOCUMENT_ID"], "filter": {"ENTITY": "CCrmDocumentDeal"}, "order": {"ID": "ASC"}}),
        )
        .await;
    let row = &body["result"][0];
    let n = total(
        &p,
        json!({"MODULE_ID": row["MODULE_ID"], "ENTITY": row["ENTITY"], "DOCUMENT_ID": row["DOCUMENT_ID"]}),
    )
    .await;
    assert!(n >= 1);
    assert!(total(&p, json!({"ENTITY": "CCrmDocumentDeal"})).await > n);
}

#[tokio::test]
async fn hostile_text_arrives_as_plain_json_string() {
    let p = Portal::start(30).await;
    let (_, body) = p
        .call(
            "bizproc.workflow.instances",
            json!({"select": ["DOCUMENT_ID"], "filter": {"MODULE_ID": "lists"}}),
        )
        .await;
    let docs: Vec<&str> = body["result"]
        .as_array()
        .expect("rows")
        .iter()
        .filter_map(|r| r["DOCUMENT_ID"].as_str())
        .collect();
    assert!(docs.iter().any(|d| d.contains("<script>")), "{docs:?}");
}
