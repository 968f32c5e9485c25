//! The fault knobs for bulk actions (`fail_stop`, `finish_after_list`,
//! `batch_command_latency_ms`) and the terminate/kill oracle
//! `/_emulator/actions`.

mod common;

use std::time::Instant;

use common::Portal;
use serde_json::{json, Value};

async fn ids(p: &Portal, n: usize) -> Vec<String> {
    let (_, b) = p
        .call(
            "bizproc.workflow.instances",
            json!({"order": {"ID": "ASC"}}),
        )
        .await;
    b["result"]
        .as_array()
        .expect("rows")
        .iter()
        .take(n)
        .map(|r| r["ID"].as_str().expect("ID").to_owned())
        .collect()
}

async fn total(p: &Portal) -> Value {
    let (_, b) = p.call("bizproc.workflow.instances", json!({})).await;
    b["total"].clone()
}

#[tokio::test]
async fn fail_stop_fails_that_workflow_with_an_empty_code_and_keeps_it_running() {
    let p = Portal::start(10).await;
    let ids = ids(&p, 2).await;
    p.knobs(json!({"fail_stop": {ids[0].clone(): "The workflow is busy"}}))
        .await;
    for method in ["bizproc.workflow.terminate", "bizproc.workflow.kill"] {
        let (s, b) = p.call(method, json!({"ID": ids[0]})).await;
        assert_eq!(
            (s, b),
            (
                400,
                json!({"error": "", "error_description": "The workflow is busy"})
            ),
            "{method}"
        );
    }
    assert_eq!(total(&p).await, json!(10), "it keeps running");
    let (s, _) = p.call("bizproc.workflow.kill", json!({"ID": ids[1]})).await;
    assert_eq!(s, 200, "other workflows stop as usual");
    assert_eq!(total(&p).await, json!(9));
}

#[tokio::test]
async fn finish_after_list_ends_workflows_once_right_after_the_next_listing() {
    let p = Portal::start(10).await;
    let ids = ids(&p, 2).await;
    p.knobs(json!({"finish_after_list": [ids[0].clone()]}))
        .await;
    let (_, b) = p
        .call(
            "bizproc.workflow.instances",
            json!({"order": {"ID": "ASC"}}),
        )
        .await;
    assert_eq!(b["result"][0]["ID"], json!(ids[0]), "listed while running");
    assert_eq!(b["total"], json!(10));
    let (s, b) = p
        .call("bizproc.workflow.terminate", json!({"ID": ids[0]}))
        .await;
    assert_eq!((s, b["error"].clone()), (400, json!("")), "ended meanwhile");
    assert_eq!(total(&p).await, json!(9));
    let knobs = p.get("/_emulator/knobs").await;
    assert_eq!(knobs["finish_after_list"], json!([]), "one-shot");
}

#[tokio::test]
async fn finish_after_list_waits_for_the_end_of_a_batch_that_lists() {
    let p = Portal::start(10).await;
    let ids = ids(&p, 1).await;
    p.knobs(json!({"finish_after_list": [ids[0].clone()]}))
        .await;
    let list = "bizproc.workflow.instances?order[ID]=ASC";
    let (_, b) = p
        .call("batch", json!({"halt": 0, "cmd": {"c0": list, "c1": list}}))
        .await;
    assert_eq!(b["result"]["result"]["c0"][0]["ID"], json!(ids[0]));
    assert_eq!(
        b["result"]["result"]["c1"][0]["ID"],
        json!(ids[0]),
        "still listed by the same request's second command"
    );
    assert_eq!(total(&p).await, json!(9), "ended once the batch answered");
}

#[tokio::test]
async fn batch_command_latency_delays_every_command_of_a_batch() {
    let p = Portal::start(5).await;
    let batch = json!({"cmd": {"a": "server.time", "b": "server.time", "c": "server.time"}});
    let began = Instant::now();
    p.call("batch", batch.clone()).await;
    let plain = began.elapsed().as_millis();
    p.knobs(json!({"batch_command_latency_ms": 150})).await;
    let began = Instant::now();
    let (s, _) = p.call("batch", batch).await;
    let slow = began.elapsed().as_millis();
    assert_eq!(s, 200);
    assert!(slow >= 450, "three commands × 150 ms, took {slow} ms");
    assert!(plain < 450, "no delay without the knob, took {plain} ms");
    let began = Instant::now();
    p.call("server.time", json!({})).await;
    assert!(began.elapsed().as_millis() < 150, "not outside a batch");
}

#[tokio::test]
async fn actions_record_every_terminate_and_kill_including_batch_commands() {
    let p = Portal::start(10).await;
    let ids = ids(&p, 3).await;
    p.knobs(json!({"fail_stop": {ids[1].clone(): "Busy"}}))
        .await;
    let (s, _) = p
        .call(
            "bizproc.workflow.terminate",
            json!({"ID": ids[0], "STATUS": "Stopped by admin"}),
        )
        .await;
    assert_eq!(s, 200);
    let (s, b) = p
        .call(
            "batch",
            json!({"cmd": {
                "list": "bizproc.workflow.instances?order[ID]=ASC",
                "k1": "bizproc.workflow.kill?ID=$result[list][0][ID]",
                "k2": format!("bizproc.workflow.kill?ID={}", ids[0]),
                "t": "bizproc.workflow.terminate?",
            }}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    let actions = p.get("/_emulator/actions").await;
    let rows: Vec<Value> = actions
        .as_array()
        .expect("list")
        .iter()
        .map(|a| {
            assert!(a["at_ms"].as_i64().is_some_and(|t| t > 0));
            json!([
                a["seq"],
                a["method"],
                a["id"],
                a["status"],
                a["batch_key"],
                a["outcome"],
                a["message"]
            ])
        })
        .collect();
    assert_eq!(
        rows,
        [
            json!([
                1,
                "bizproc.workflow.terminate",
                ids[0],
                "Stopped by admin",
                null,
                "ok",
                null
            ]),
            json!([
                2,
                "bizproc.workflow.kill",
                ids[1],
                null,
                "k1",
                "failed",
                "Busy"
            ]),
            json!([
                3,
                "bizproc.workflow.kill",
                ids[0],
                null,
                "k2",
                "not_found",
                format!("Workflow instance \"{}\" is not found", ids[0])
            ]),
            json!([
                4,
                "bizproc.workflow.terminate",
                "",
                null,
                "t",
                "empty_id",
                "Empty workflow instance ID"
            ]),
        ]
    );
    let r = p
        .http
        .delete(p.url("/_emulator/actions"))
        .send()
        .await
        .expect("delete");
    assert_eq!(r.status().as_u16(), 204);
    assert_eq!(p.get("/_emulator/actions").await, json!([]));
}
