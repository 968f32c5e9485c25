//! `batch` over HTTP (§2.3).

mod common;

use common::Portal;
use serde_json::{json, Map, Value};

#[tokio::test]
async fn the_fact_sheet_example_batch() {
    let p = Portal::start(120).await;
    let (s, b) = p
        .call(
            "batch",
            json!({"halt": 0, "cmd": {"k1": "bizproc.workflow.instances?select[0]=ID&start=0", "k2": "user.get?ID=5"}}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    let r = &b["result"];
    assert_eq!(r["result"]["k1"].as_array().map(Vec::len), Some(50));
    assert_eq!(r["result"]["k1"][0].as_object().map(|o| o.len()), Some(1));
    assert_eq!(r["result"]["k2"][0]["ID"], json!("5"));
    assert_eq!(r["result_total"], json!({"k1": 120, "k2": 1}));
    assert_eq!(
        r["result_next"],
        json!({"k1": 50}),
        "only keys with a next page"
    );
    assert_eq!(r["result_error"], json!([]), "empty maps are PHP []");
    assert!(r["result_time"]["k1"]["operating"].is_number());
    assert!(b["time"].is_object());
}

#[tokio::test]
async fn pages_in_one_batch_equal_the_pages_one_by_one() {
    let p = Portal::start(230).await;
    let cmd: Map<String, Value> = (0..5)
        .map(|i| {
            (
                format!("p{i}"),
                json!(format!(
                    "bizproc.workflow.instances?select[]=ID&order[ID]=asc&start={}",
                    i * 50
                )),
            )
        })
        .collect();
    let (_, b) = p.call("batch", json!({"cmd": cmd})).await;
    let mut batched = Vec::new();
    for i in 0..5 {
        for row in b["result"]["result"][format!("p{i}")]
            .as_array()
            .expect("page")
        {
            batched.push(row["ID"].as_str().expect("id").to_owned());
        }
    }
    assert_eq!(
        batched,
        p.all_ids(json!({"order": {"ID": "asc"}, "select": ["ID"]}))
            .await
    );
}

#[tokio::test]
async fn more_than_fifty_commands_are_refused_one_by_one() {
    let p = Portal::start(5).await;
    let cmd: Map<String, Value> = (0..53)
        .map(|i| (format!("c{i}"), json!("server.time")))
        .collect();
    let (s, b) = p.call("batch", json!({"cmd": cmd})).await;
    assert_eq!(s, 200);
    assert_eq!(b["result"]["result"].as_object().map(Map::len), Some(50));
    let errors = b["result"]["result_error"].as_object().expect("errors");
    assert_eq!(errors.keys().collect::<Vec<_>>(), ["c50", "c51", "c52"]);
    assert_eq!(
        errors["c50"],
        json!({"error": "ERROR_BATCH_LENGTH_EXCEEDED", "error_description": "Max batch length exceeded"})
    );
}

#[tokio::test]
async fn numeric_keys_give_lists_and_errors_are_kept_per_command() {
    let p = Portal::start(5).await;
    p.knobs(json!({"non_admin": false})).await;
    let (_, b) = p
        .call("batch", json!({"cmd": ["server.time", "no.such.method", "batch?cmd[a]=server.time", "bizproc.workflow.kill"]}))
        .await;
    let r = &b["result"];
    assert!(r["result"].is_array(), "keys 0..n come out as a list: {r}");
    assert_eq!(r["result"].as_array().map(Vec::len), Some(1));
    let e = r["result_error"]
        .as_object()
        .expect("keys 1..3 are an object");
    assert_eq!(e["1"]["error"], json!("ERROR_METHOD_NOT_FOUND"));
    assert_eq!(e["2"]["error"], json!("ERROR_BATCH_METHOD_NOT_ALLOWED"));
    assert_eq!(e["3"]["error"], json!("ERROR_WRONG_WORKFLOW_ID"));
}

#[tokio::test]
async fn halt_stops_at_the_first_error_and_non_strings_are_skipped() {
    let p = Portal::start(5).await;
    let (_, b) = p
        .call("batch", json!({"halt": 1, "cmd": {"a": "server.time", "n": 42, "b": "bizproc.workflow.kill", "c": "server.time"}}))
        .await;
    let r = &b["result"];
    assert_eq!(
        r["result"]
            .as_object()
            .map(|o| o.keys().cloned().collect::<Vec<_>>()),
        Some(vec!["a".to_owned()])
    );
    assert_eq!(
        r["result_error"]
            .as_object()
            .map(|o| o.keys().cloned().collect::<Vec<_>>()),
        Some(vec!["b".to_owned()])
    );
    let (_, b) = p
        .call(
            "batch",
            json!({"halt": 0, "cmd": {"b": "bizproc.workflow.kill", "c": "server.time"}}),
        )
        .await;
    assert!(b["result"]["result"]["c"].is_string());
}

#[tokio::test]
async fn references_feed_one_command_into_the_next() {
    let p = Portal::start(60).await;
    let (_, b) = p
        .call(
            "batch",
            json!({"cmd": {
                "list": "bizproc.workflow.instances?select[]=ID&select[]=STARTED_BY&order[ID]=asc&filter[>STARTED_BY]=0",
                "who": "user.get?FILTER[@ID][]=$result[list][0][STARTED_BY]",
                "kill": "bizproc.workflow.kill?ID=$result[list][0][ID]",
                "count": "bizproc.workflow.instances?filter[>STARTED_BY]=0&start=$next[list]",
            }}),
        )
        .await;
    let r = &b["result"];
    let started_by = r["result"]["list"][0]["STARTED_BY"].as_str().expect("by");
    let who = r["result"]["who"].as_array().expect("users");
    assert!(
        who.is_empty() || who[0]["ID"] == json!(started_by),
        "{who:?}"
    );
    assert_eq!(r["result"]["kill"], json!(true), "{r}");
    assert!(r["result_total"]["count"].is_number());
}

#[tokio::test]
async fn a_query_string_batch_is_decoded_like_php() {
    let p = Portal::start(10).await;
    // cmd values in a URL are encoded twice (§2.3).
    let body = format!(
        "auth={}&halt=0&cmd[t]=server.time&cmd[u]=user.get%3FID%3D5",
        p.token
    );
    let (s, b) = p
        .raw("/rest/batch", "application/x-www-form-urlencoded", body)
        .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["result"]["result"]["u"][0]["ID"], json!("5"));
    assert!(b["result"]["result"]["t"].is_string());
}
