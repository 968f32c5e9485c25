//! terminate, kill, template.list, user.get, user.search, app.info, and the
//! control API's data changes.

mod common;

use common::Portal;
use serde_json::{json, Value};

async fn first_id(p: &Portal) -> String {
    let (_, b) = p
        .call(
            "bizproc.workflow.instances",
            json!({"order": {"ID": "ASC"}}),
        )
        .await;
    b["result"][0]["ID"].as_str().expect("id").to_owned()
}

#[tokio::test]
async fn terminate_and_kill_remove_a_workflow_and_report_failures_with_an_empty_code() {
    let p = Portal::start(40).await;
    for method in ["bizproc.workflow.terminate", "bizproc.workflow.kill"] {
        let id = first_id(&p).await;
        let (s, b) = p
            .call(method, json!({"ID": id, "STATUS": "Stopped by admin"}))
            .await;
        assert_eq!((s, b["result"].clone()), (200, json!(true)), "{method}");
        assert_ne!(first_id(&p).await, id, "{method}: it left the list");
        let (s, b) = p.call(method, json!({"ID": id})).await;
        assert_eq!(s, 400);
        assert_eq!(b["error"], json!(""), "{method}: {b}");
        assert!(b["error_description"].as_str().expect("text").contains(&id));
        let (s, b) = p.call(method, json!({})).await;
        assert_eq!(
            (s, b),
            (
                400,
                json!({"error": "ERROR_WRONG_WORKFLOW_ID", "error_description": "Empty workflow instance ID"})
            )
        );
    }
    let (_, b) = p.call("bizproc.workflow.instances", json!({})).await;
    assert_eq!(b["total"], json!(38));
}

#[tokio::test]
async fn template_list_hides_automation_templates_that_running_workflows_use() {
    let p = Portal::start(2000).await;
    let (s, b) = p.call("bizproc.workflow.template.list", json!({})).await;
    assert_eq!(s, 200);
    let first = b["result"][0].as_object().expect("row");
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        ["ID"],
        "default SELECT is ID"
    );
    let (_, b) = p
        .call(
            "bizproc.workflow.template.list",
            json!({"select": ["ID", "NAME", "DOCUMENT_TYPE"]}),
        )
        .await;
    let listed: Vec<String> = b["result"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r["ID"].as_str().expect("id").to_owned())
        .collect();
    assert_eq!(b["total"].as_u64(), Some(listed.len() as u64));
    assert!(b["result"][0]["DOCUMENT_TYPE"]
        .as_array()
        .is_some_and(|a| a.len() == 3));
    let mut numeric: Vec<u64> = listed.iter().map(|i| i.parse().expect("n")).collect();
    let copy = numeric.clone();
    numeric.sort_unstable();
    assert_eq!(numeric, copy, "ORDER defaults to ID ASC");
    let (_, rows) = p
        .call(
            "bizproc.workflow.instances",
            json!({"select": ["TEMPLATE_ID"], "order": {"TEMPLATE_ID": "DESC"}}),
        )
        .await;
    let mut used: Vec<String> = Vec::new();
    let mut start = 0;
    loop {
        let (_, page) = p
            .call(
                "bizproc.workflow.instances",
                json!({"select": ["TEMPLATE_ID"], "start": start}),
            )
            .await;
        for r in page["result"].as_array().expect("rows") {
            used.push(r["TEMPLATE_ID"].as_str().expect("id").to_owned());
        }
        match page["next"].as_u64() {
            Some(n) => start = n,
            None => break,
        }
    }
    assert!(rows["total"].as_u64().is_some());
    assert!(
        used.iter().any(|t| !listed.contains(t)),
        "some rows carry a template id that template.list never returns"
    );
    let (_, named) = p
        .call(
            "bizproc.workflow.template.list",
            json!({"select": ["NAME"], "filter": {"ID": listed[0]}}),
        )
        .await;
    assert_eq!(named["total"], json!(1));
}

#[tokio::test]
async fn user_get_by_id_list_and_gone_users_are_absent() {
    let p = Portal::start(5).await;
    let (s, b) = p
        .call("user.get", json!({"FILTER": {"@ID": [1, 5, 57, 77]}}))
        .await;
    assert_eq!(s, 200, "{b}");
    let ids: Vec<&str> = b["result"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|u| u["ID"].as_str().expect("ID"))
        .collect();
    assert_eq!(ids, ["1", "5", "57"], "77 was dismissed");
    let hostile = &b["result"][2]["LAST_NAME"];
    assert!(hostile.as_str().expect("name").contains("<script>"));
    assert!(
        b["result"][0].get("EMAIL").is_none(),
        "user_brief has no contacts"
    );
    // Old style: the filter as top-level parameters.
    let (_, b) = p.call("user.get", json!({"ID": 5})).await;
    assert_eq!(b["total"], json!(1));
    let (_, all) = p.call("user.get", json!({})).await;
    assert_eq!(all["total"], json!(60));
    assert_eq!(all["next"], json!(50));
}

#[tokio::test]
async fn user_search_finds_by_name_prefix() {
    let p = Portal::start(5).await;
    let (s, b) = p.call("user.search", json!({"FIND": "admin"})).await;
    assert_eq!(s, 200);
    let rows = b["result"].as_array().expect("rows");
    assert!(rows.iter().any(|u| u["ID"] == json!("1")), "{b}");
    let (_, none) = p.call("user.search", json!({"FIND": "zzzz"})).await;
    assert_eq!(none["total"], json!(0));
    let (_, by_filter) = p
        .call("user.search", json!({"FILTER": {"LAST_NAME": "Administ"}}))
        .await;
    assert_eq!(by_filter["result"][0]["ID"], json!("1"));
}

#[tokio::test]
async fn app_info_profile_and_server_time() {
    let p = Portal::start(5).await;
    let (_, b) = p.call("app.info", json!({})).await;
    assert_eq!(b["result"]["LICENSE"], json!("en_pro100"));
    assert_eq!(b["result"]["INSTALLED"], json!(true));
    p.knobs(json!({"license": "de_ent250"})).await;
    let (_, b) = p.call("app.info", json!({})).await;
    assert_eq!(b["result"]["LICENSE"], json!("de_ent250"));
    assert_eq!(b["result"]["LICENSE_FAMILY"], json!("ent"));
    let (_, b) = p.call("profile", json!({})).await;
    assert_eq!(
        (b["result"]["ID"].clone(), b["result"]["ADMIN"].clone()),
        (json!("1"), json!(true))
    );
    let (_, b) = p.call("server.time", json!({})).await;
    assert!(b["result"].as_str().expect("time").ends_with("+03:00"));
}

#[tokio::test]
async fn the_list_can_change_while_it_is_read() {
    let p = Portal::start(100).await;
    let added: Value = p.control("/_emulator/workflows", json!({"count": 3})).await;
    assert_eq!(added["ids"].as_array().map(Vec::len), Some(3));
    let (_, b) = p.call("bizproc.workflow.instances", json!({})).await;
    assert_eq!(b["total"], json!(103));
    // The newest MODIFIED comes first in the default order.
    let touched = p
        .control("/_emulator/workflows/modify", json!({"count": 1}))
        .await;
    let id = touched["ids"][0].as_str().expect("id").to_owned();
    let (_, b) = p
        .call("bizproc.workflow.instances", json!({"select": ["ID"]}))
        .await;
    let top: Vec<&str> = b["result"].as_array().expect("rows")[..4]
        .iter()
        .map(|r| r["ID"].as_str().expect("id"))
        .collect();
    assert!(top.contains(&id.as_str()), "{id} in {top:?}");
    let finished = p
        .control("/_emulator/workflows/finish", json!({"ids": [id]}))
        .await;
    assert_eq!(finished["ids"].as_array().map(Vec::len), Some(1));
    let (_, b) = p.call("bizproc.workflow.instances", json!({})).await;
    assert_eq!(b["total"], json!(102));
}
