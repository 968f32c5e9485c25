//! Native tests of the app's REST reading and writing against recorded
//! shapes: `tests/fixtures/*.json` (answers of `bizproc.workflow.instances`
//! and `batch`, error payloads, and what PHP's `parse_str` made of the
//! app's batch commands).

use std::path::PathBuf;

use serde_json::{json, Map, Value};
use workflow_monitor::domain::methods::instances::{
    parse_instances, Field, InstancesQuery, SortDir, TemplateId, UserId, WorkflowPage, WorkflowRow,
};
use workflow_monitor::domain::time::instant::Timestamp;
use workflow_monitor::domain::wire::batch::{
    parse_batch, BatchCommand, BatchRequest, BatchResponse, CommandKey,
};
use workflow_monitor::domain::wire::errors::{classify, ErrorCode, PortalError, RestError};

fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
        .join(name)
}

fn fixture(name: &str) -> Value {
    let path = fixture_path(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn page(name: &str) -> WorkflowPage {
    parse_instances(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn at(unix_s: i64, offset_minutes: i32) -> Option<Timestamp> {
    Some(Timestamp {
        unix_s,
        offset_minutes,
    })
}

fn row<'a>(page: &'a WorkflowPage, id: &str) -> &'a WorkflowRow {
    page.rows
        .iter()
        .find(|r| r.id.as_str() == id)
        .unwrap_or_else(|| panic!("no row {id}"))
}

// ------------------------------------------------------------ instances --

#[test]
fn reads_the_documentation_example_as_published() {
    let p = page("instances_docs_example.json");
    assert_eq!((p.total, p.next, p.dropped), (2, None, 0));
    let lead = &p.rows[0];
    assert_eq!(lead.id.as_str(), "66e412fdc9bd44.36306599");
    assert_eq!(lead.module_id.as_deref(), Some("crm"));
    assert_eq!(lead.entity.as_deref(), Some("CCrmDocumentLead"));
    assert_eq!(lead.document_id.as_deref(), Some("LEAD_1"));
    assert_eq!(lead.started, at(1_726_223_101, 0));
    assert_eq!(lead.owned_until, None);
    assert_eq!(lead.template_id, Some(TemplateId(1)));
    assert_eq!(lead.started_by, Some(UserId(0)));
    assert!(lead.started_by.is_some_and(UserId::is_system));
    // Selected but left out by the portal: missing, not unreadable.
    assert_eq!(lead.modified, None);
    assert!(lead.unparsed.is_empty());
    let deal = &p.rows[1];
    assert_eq!(deal.id.as_str(), "658c4d3d6a2906.51542462");
    assert_eq!(deal.started, at(1_703_697_229, 120), "+02:00 is kept");
    assert_eq!(deal.template_id, Some(TemplateId(212)));
    assert_eq!(deal.started_by, Some(UserId(57)));
}

#[test]
fn reads_every_value_sent_as_a_string() {
    let p = page("instances_all_strings.json");
    assert_eq!((p.total, p.next), (2500, Some(50)));
    let first = row(&p, "67a1b2c3d4e5f6.12345678");
    assert_eq!(first.modified, at(1_767_226_200, 180));
    assert_eq!(first.owned_until, at(1_767_226_500, 180));
    assert_eq!(first.started, at(1_767_225_600, 180));
    assert_eq!(first.started_by, Some(UserId(7)));
    assert_eq!(first.template_id, Some(TemplateId(12)));
    assert_eq!(first.document_id.as_deref(), Some("DEAL_42"));
    let second = row(&p, "67a1b2c3d4e5f5.00000001");
    assert_eq!(second.owned_until, None);
    assert_eq!(second.document_id.as_deref(), Some("777"));
    assert_eq!(second.started_by, Some(UserId(0)));
}

#[test]
fn reads_values_sent_as_numbers() {
    let p = page("instances_numbers.json");
    assert_eq!((p.total, p.next), (51, Some(50)));
    let r = &p.rows[0];
    assert_eq!(r.started_by, Some(UserId(57)));
    assert_eq!(r.template_id, Some(TemplateId(212)));
    assert_eq!(r.document_id.as_deref(), Some("777"));
    assert_eq!(r.started, at(1_767_225_600, 0));
}

#[test]
fn tolerates_missing_fields_nulls_and_unknown_keys() {
    let p = page("instances_missing_fields.json");
    assert_eq!((p.total, p.next), (4, None));
    assert_eq!(p.rows.len(), 3);
    assert_eq!(p.dropped, 1, "the row without an ID");
    let bare = row(&p, "66e412fdc9bd44.36306599");
    assert_eq!(
        (
            bare.started,
            bare.modified,
            bare.owned_until,
            bare.started_by,
            bare.template_id
        ),
        (None, None, None, None, None)
    );
    assert_eq!(
        (&bare.module_id, &bare.entity, &bare.document_id),
        (&None, &None, &None)
    );
    let extra = row(&p, "66e412fdc9bd45.00000000");
    assert_eq!(extra.started, at(1_726_223_101, 0));
    assert_eq!(extra.template_id, None);
    assert!(
        extra.unparsed.is_empty(),
        "an empty value is unset, not unreadable"
    );
    let nulls = row(&p, "66e412fdc9bd46.00000000");
    assert!(nulls.unparsed.is_empty());
    assert_eq!(nulls.module_id, None);
}

#[test]
fn keeps_each_rows_own_utc_offset() {
    let p = page("instances_mixed_offsets.json");
    let offsets: Vec<(i64, i32)> = p
        .rows
        .iter()
        .filter_map(|r| r.started.map(|t| (t.unix_s, t.offset_minutes)))
        .collect();
    assert_eq!(
        offsets,
        [
            (1_726_223_101, 0),
            (1_726_223_101, 120),
            (1_726_223_101, -300),
            (1_726_223_101, 330),
            (1_726_223_101, 180)
        ]
    );
    // A local date, and a date without an offset, are kept as text.
    assert_eq!(row(&p, "f").started, None);
    assert_eq!(
        row(&p, "f").unparsed(Field::Started),
        Some("13.09.2024 10:25:01")
    );
    assert_eq!(
        row(&p, "g").unparsed(Field::Started),
        Some("2024-09-13T10:25:01")
    );
    assert_eq!(row(&p, "g").started_text(), "2024-09-13T10:25:01");
}

#[test]
fn keeps_hostile_strings_verbatim_as_data() {
    let body = fixture("instances_hostile.json");
    let p = parse_instances(&body).expect("page");
    let sent = |i: usize, key: &str| body["result"][i][key].as_str().map(str::to_owned);
    let html = &p.rows[0];
    assert_eq!(Some(html.id.as_str().to_owned()), sent(0, "ID"));
    assert_eq!(html.module_id, sent(0, "MODULE_ID"));
    assert_eq!(html.entity, sent(0, "ENTITY"));
    assert_eq!(html.document_id, sent(0, "DOCUMENT_ID"));
    assert_eq!(
        html.unparsed(Field::Started).map(str::to_owned),
        sent(0, "STARTED")
    );
    assert_eq!(
        html.unparsed(Field::StartedBy).map(str::to_owned),
        sent(0, "STARTED_BY")
    );
    assert_eq!(
        html.unparsed(Field::TemplateId).map(str::to_owned),
        sent(0, "TEMPLATE_ID")
    );
    let control = &p.rows[1];
    assert_eq!(control.id.as_str(), "66e412fdc9bd44.36306599\u{0}\u{202e}");
    assert_eq!(
        control.document_id.as_deref(),
        Some("DEAL_1\r\nSet-Cookie: x=1")
    );
    assert_eq!(control.entity.as_deref(), Some("Ёж 😀 漢字"));
}

#[test]
fn keeps_100_kb_strings_whole() {
    let script = "<script>alert(1)</script>".repeat(4_096);
    let cyrillic = "Ж".repeat(51_200);
    let body = json!({"result": [{
        "ID": script, "DOCUMENT_ID": cyrillic, "STARTED": script, "STARTED_BY": cyrillic
    }], "total": "1"});
    let p = parse_instances(&body).expect("page");
    let r = &p.rows[0];
    assert!(script.len() >= 100_000 && cyrillic.len() >= 100_000);
    assert_eq!(r.id.as_str(), script);
    assert_eq!(r.document_id.as_deref(), Some(cyrillic.as_str()));
    assert_eq!(r.unparsed(Field::Started), Some(script.as_str()));
    assert_eq!(r.unparsed(Field::StartedBy), Some(cyrillic.as_str()));
}

#[test]
fn reads_an_empty_list_and_rows_sent_as_an_object() {
    let empty = page("instances_empty.json");
    assert_eq!((empty.rows.len(), empty.total, empty.next), (0, 0, None));
    let object = page("instances_result_object.json");
    let ids: Vec<&str> = object.rows.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["a", "b"]);
    assert_eq!((object.total, object.next), (3, Some(50)));
}

#[test]
fn every_fixture_answer_also_reads_through_classify() {
    for name in [
        "instances_docs_example.json",
        "instances_all_strings.json",
        "instances_numbers.json",
        "instances_missing_fields.json",
        "instances_mixed_offsets.json",
        "instances_hostile.json",
        "instances_empty.json",
        "instances_result_object.json",
    ] {
        let text = std::fs::read_to_string(fixture_path(name)).expect("fixture");
        let raw = classify(200, &text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            WorkflowPage::from_raw(&raw).as_ref(),
            Ok(&page(name)),
            "{name}"
        );
    }
}

#[test]
fn query_params_pin_the_exact_rest_keys() {
    let q = InstancesQuery {
        order: vec![(Field::OwnedUntil, SortDir::Asc)],
        start: 150,
        ..InstancesQuery::default()
    };
    assert_eq!(
        q.to_params().to_string(),
        concat!(
            r#"{"select":["ID","MODIFIED","OWNED_UNTIL","MODULE_ID","ENTITY","DOCUMENT_ID","STARTED","STARTED_BY","TEMPLATE_ID"],"#,
            r#""order":{"OWNED_UNTIL":"ASC","ID":"ASC"},"filter":{},"start":150}"#
        )
    );
    assert_eq!(
        InstancesQuery::default().to_params()["order"].to_string(),
        r#"{"STARTED":"DESC","ID":"DESC"}"#
    );
    assert_eq!(
        InstancesQuery::default().at(50).to_params()["start"],
        json!(50)
    );
}

// --------------------------------------------------------------- errors --

#[test]
fn classifies_every_recorded_error_payload() {
    let doc = fixture("error_payloads.json");
    let cases = doc["cases"].as_array().expect("cases");
    assert!(cases.len() >= 40);
    for case in cases {
        let name = case["name"].as_str().expect("name");
        let status = case["status"].as_u64().expect("status") as u16;
        let body = case["body"].as_str().expect("body");
        let err = classify(status, body).expect_err(name);
        assert_eq!(err.code(), case["code"].as_str(), "{name}: code");
        let variant = case["variant"].as_str().expect("variant");
        // A portal error by its typed code, a failure on the way by its variant.
        let debug = match err.error_code() {
            Some(code) => format!("{code:?}"),
            None => format!("{err:?}"),
        };
        assert!(
            debug.starts_with(variant)
                && (debug.len() == variant.len()
                    || debug[variant.len()..].starts_with([' ', '(', '{'])),
            "{name}: {debug} is not {variant}"
        );
        assert_eq!(
            err.is_retryable(),
            case["retryable"] == json!(true),
            "{name}: retryable"
        );
        assert_eq!(
            err.is_auth_expired(),
            case["auth_expired"] == json!(true),
            "{name}: auth_expired"
        );
        let message = err.to_string();
        assert!(
            message.len() > 20 && !message.starts_with('{'),
            "{name}: {message:?} is not a sentence"
        );
        // The portal's description is kept, never dropped.
        if let Ok(Value::Object(payload)) = serde_json::from_str::<Value>(body) {
            if let Some(Value::String(d)) = payload.get("error_description") {
                assert_eq!(
                    err.description(),
                    Some(d.as_str()).filter(|d| !d.is_empty()),
                    "{name}"
                );
            }
        }
    }
}

#[test]
fn an_empty_code_is_kept_with_its_description_and_status() {
    let err = classify(
        400,
        r#"{"error":"","error_description":"Workflow instance is not running"}"#,
    )
    .expect_err("error");
    assert_eq!(
        err,
        RestError::from_code(
            "",
            "Workflow instance is not running".into(),
            Some(400),
            &Map::new()
        )
    );
}

// ---------------------------------------------------------------- batch --

fn batch(name: &str) -> BatchResponse {
    parse_batch(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn reads_a_batch_answer_with_results_errors_totals_and_times() {
    let b = batch("batch_maps.json");
    let c0 = b.get("c0").expect("c0").as_ref().expect("c0 ok");
    assert_eq!((c0.total, c0.next), (Some(120), Some(50)));
    let time = c0.time.as_ref().expect("time");
    assert_eq!(
        (time.operating, time.operating_reset_at),
        (Some(1.5), Some(1_726_476_660))
    );
    let workflows = WorkflowPage::from_raw(c0).expect("page");
    assert_eq!(workflows.rows[0].id.as_str(), "66e412fdc9bd44.36306599");
    assert_eq!((workflows.total, workflows.next), (120, Some(50)));
    let users = b.get("users").expect("users").as_ref().expect("users ok");
    assert_eq!((users.total, users.next), (Some(1), None));
    assert_eq!(users.time.as_ref().and_then(|t| t.operating), None);
    assert_eq!(
        b.get("templates"),
        Some(&Err(RestError::portal(
            ErrorCode::InsufficientScope,
            String::new()
        )))
    );
    assert_eq!(b.time.as_ref().and_then(|t| t.duration), Some(0.4));
}

#[test]
fn reads_php_empty_arrays_as_empty_maps() {
    let b = batch("batch_empty_arrays.json");
    assert_eq!(b.outcomes.len(), 2);
    let c0 = b.get("c0").expect("c0").as_ref().expect("ok");
    assert_eq!(
        (c0.result.clone(), c0.total, c0.next),
        (json!([]), Some(0), None)
    );
    assert!(b.get("c1").is_some_and(|o| o.is_ok()));
}

#[test]
fn reads_maps_that_php_turned_into_lists() {
    let b = batch("batch_numeric_keys.json");
    let keys: Vec<&str> = b.outcomes.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["0", "1"]);
    let second = b.get("1").expect("1").as_ref().expect("ok");
    assert_eq!((second.total, second.next), (Some(2500), Some(100)));
    assert_eq!(second.time.as_ref().and_then(|t| t.operating), Some(0.2));
}

#[test]
fn a_halted_batch_tells_failed_from_not_run() {
    let b = batch("batch_halted.json");
    assert!(b.get("c0").is_some_and(|o| o.is_ok()));
    assert_eq!(
        b.get("c1"),
        Some(&Err(RestError::from_code(
            "",
            "Workflow instance is not running".into(),
            None,
            &Map::new()
        )))
    );
    assert_eq!(b.get("c2"), None, "not run");
}

#[test]
fn commands_past_fifty_come_back_as_typed_errors() {
    let b = batch("batch_too_long.json");
    assert_eq!(b.outcomes.iter().filter(|(_, o)| o.is_ok()).count(), 50);
    for key in ["c50", "c51"] {
        assert!(matches!(
            b.get(key),
            Some(Err(RestError::Portal(PortalError {
                code: ErrorCode::BatchLengthExceeded,
                ..
            })))
        ));
    }
}

/// What PHP holds after `parse_str` for parameters that were JSON, as
/// `json_encode` prints it: scalars as strings (`true` → "1", `false` →
/// "0"), empty containers gone, and arrays whose keys run 0..n in order
/// printed as lists.
fn php_view(v: &Value) -> Option<Value> {
    let entries: Vec<(String, Value)> = match v {
        Value::Bool(b) => return Some(json!(if *b { "1" } else { "0" })),
        Value::Number(n) => return Some(json!(n.to_string())),
        Value::String(s) => return Some(json!(s)),
        Value::Null => return None,
        Value::Array(items) => items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| php_view(item).map(|x| (i.to_string(), x)))
            .collect(),
        Value::Object(map) => map
            .iter()
            .filter_map(|(k, item)| php_view(item).map(|x| (k.clone(), x)))
            .collect(),
    };
    if entries.is_empty() {
        return None;
    }
    let is_list = entries
        .iter()
        .enumerate()
        .all(|(i, (k, _))| *k == i.to_string());
    Some(if is_list {
        Value::Array(entries.into_iter().map(|(_, x)| x).collect())
    } else {
        Value::Object(entries.into_iter().collect::<Map<String, Value>>())
    })
}

fn command_string(method: &str, params: &Value) -> String {
    let request = BatchRequest::new(
        false,
        vec![BatchCommand {
            key: CommandKey::new("c0").expect("key"),
            method: method.to_owned(),
            params: params.clone(),
        }],
    )
    .expect("encodable");
    request.to_params()["cmd"]["c0"]
        .as_str()
        .expect("a string command")
        .to_owned()
}

/// The encoder's output for each case is pinned, and PHP's own
/// `parse_url` + `parse_str` (recorded with PHP 8.2 by
/// `tests/fixtures/batch_parse_str.php`) read it back to exactly the
/// parameters meant, key order included.
///
/// After changing the encoder on purpose: `WFM_BLESS=1 cargo test --test
/// rest_parsing batch_encoding` rewrites the `cmd` fields, then
/// `php tests/fixtures/batch_parse_str.php` records PHP's reading again.
#[test]
fn batch_encoding_survives_php_parse_str() {
    let path = fixture_path("batch_parse_str.json");
    let mut doc = fixture("batch_parse_str.json");
    let bless = std::env::var_os("WFM_BLESS").is_some();
    let cases = doc["cases"].as_array_mut().expect("cases");
    assert!(cases.len() >= 10);
    for case in cases.iter_mut() {
        let name = case["name"].as_str().expect("name").to_owned();
        let method = case["method"].as_str().expect("method").to_owned();
        let cmd = command_string(&method, &case["params"]);
        if bless {
            case["cmd"] = json!(cmd);
            continue;
        }
        assert_eq!(
            case["cmd"].as_str(),
            Some(cmd.as_str()),
            "{name}: encoding changed"
        );
        let php = &case["php"];
        assert_eq!(
            php["method"].as_str(),
            Some(method.as_str()),
            "{name}: method"
        );
        let meant = php_view(&case["params"]).unwrap_or_else(|| json!([]));
        assert_eq!(
            php["params"].to_string(),
            meant.to_string(),
            "{name}: PHP read something else"
        );
    }
    if bless {
        let text = serde_json::to_string_pretty(&doc).expect("json") + "\n";
        std::fs::write(&path, text).expect("write fixture");
    }
}
