//! `bizproc.task.list` over HTTP (fact sheet S25): one row per assignee,
//! FILTER/SELECT/ORDER, paging, the list-value knob, batch, and the tasks
//! oracle `GET /_emulator/tasks`.

mod common;

use common::Portal;
use portal_emulator::Config;
use serde_json::{json, Value};

const METHOD: &str = "bizproc.task.list";

/// Every task the portal holds (the oracle), or one workflow's.
async fn oracle(p: &Portal, workflow: Option<&str>) -> Vec<Value> {
    let path = match workflow {
        Some(id) => format!("/_emulator/tasks?workflow={id}"),
        None => "/_emulator/tasks".to_owned(),
    };
    p.get(&path).await.as_array().expect("task list").clone()
}

/// Every row of the listing with these params, following `next`.
async fn all_rows(p: &Portal, mut params: Value) -> Vec<Value> {
    let mut rows = Vec::new();
    let mut start = 0u64;
    loop {
        params["start"] = json!(start);
        let (status, body) = p.call(METHOD, params.clone()).await;
        assert_eq!(status, 200, "{body}");
        rows.extend(body["result"].as_array().expect("rows").iter().cloned());
        match body.get("next").and_then(Value::as_u64) {
            Some(n) => start = n,
            None => return rows,
        }
    }
}

fn assignees(task: &Value) -> usize {
    task["users"].as_array().map_or(0, Vec::len)
}

/// An open task with at least `n` assignees.
async fn open_task_with(p: &Portal, n: usize) -> Value {
    oracle(p, None)
        .await
        .into_iter()
        .find(|t| t["status"] == json!(0) && assignees(t) >= n)
        .expect("such a task")
}

#[tokio::test]
async fn default_rows_page_by_fifty_and_cover_every_assignee() {
    let p = Portal::start(1500).await;
    let tasks = oracle(&p, None).await;
    let expected: usize = tasks.iter().map(assignees).sum();
    assert!(expected > 100, "{expected}");

    let (status, body) = p.call(METHOD, json!({})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["total"], json!(expected));
    assert_eq!(body["next"], json!(50));
    assert!(body["time"]["operating"].is_number());
    let rows = body["result"].as_array().expect("rows");
    assert_eq!(rows.len(), 50);
    let keys: Vec<&str> = rows[0]
        .as_object()
        .expect("row")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "MODULE_ID",
            "ENTITY",
            "DOCUMENT_ID",
            "ID",
            "WORKFLOW_ID",
            "DOCUMENT_NAME",
            "NAME",
            "DOCUMENT_URL"
        ]
    );
    for row in rows {
        for (k, v) in row.as_object().expect("row") {
            assert!(v.is_string(), "{k}: {v}");
        }
        assert!(row["DOCUMENT_URL"]
            .as_str()
            .is_some_and(|u| u.starts_with('/')));
    }
    // ID DESC by default.
    let ids: Vec<u64> = rows
        .iter()
        .map(|r| r["ID"].as_str().and_then(|s| s.parse().ok()).expect("id"))
        .collect();
    assert!(ids.windows(2).all(|w| w[0] >= w[1]), "{ids:?}");

    // The last page has no next; all pages together are every row.
    let all = all_rows(&p, json!({})).await;
    assert_eq!(all.len(), expected);
    let (_, last) = p.call(METHOD, json!({"start": (expected / 50) * 50})).await;
    assert!(last.get("next").is_none(), "{last}");
    assert_eq!(last["total"], json!(expected));
}

#[tokio::test]
async fn a_task_with_several_assignees_is_one_row_per_assignee() {
    let p = Portal::start(1500).await;
    let task = open_task_with(&p, 3).await;
    let wf = task["workflow_id"].as_str().expect("workflow id");
    let rows = all_rows(
        &p,
        json!({"filter": {"WORKFLOW_ID": wf, "STATUS": 0}, "select": ["ID", "USER_ID", "USER_STATUS", "STATUS"]}),
    )
    .await;
    assert_eq!(rows.len(), assignees(&task));
    let id = task["id"].to_string();
    let mut users: Vec<String> = Vec::new();
    for (row, user) in rows.iter().zip(task["users"].as_array().expect("users")) {
        assert_eq!(row["ID"], json!(id));
        assert_eq!(row["STATUS"], json!("0"));
        assert_eq!(row["USER_ID"], json!(user["user_id"].to_string()));
        assert_eq!(row["USER_STATUS"], json!(user["status"].to_string()));
        users.push(row["USER_ID"].as_str().expect("user").to_owned());
    }
    users.sort();
    users.dedup();
    assert_eq!(users.len(), rows.len(), "different users");
}

#[tokio::test]
async fn filter_by_workflow_id_scalar_and_list_with_the_knob_both_ways() {
    let p = Portal::start(1500).await;
    let tasks = oracle(&p, None).await;
    let a = tasks[0]["workflow_id"].as_str().expect("a").to_owned();
    let b = tasks
        .iter()
        .map(|t| t["workflow_id"].as_str().expect("b"))
        .find(|w| *w != a)
        .expect("another workflow")
        .to_owned();
    let count = |wf: &str| -> usize {
        tasks
            .iter()
            .filter(|t| t["workflow_id"] == json!(wf))
            .map(assignees)
            .sum()
    };
    let wf_of = |rows: &[Value]| -> Vec<String> {
        rows.iter()
            .map(|r| r["WORKFLOW_ID"].as_str().expect("wf").to_owned())
            .collect()
    };

    let rows = all_rows(&p, json!({"filter": {"WORKFLOW_ID": a}})).await;
    assert_eq!(rows.len(), count(&a));
    assert!(wf_of(&rows).iter().all(|w| *w == a));
    // The oracle for one workflow agrees.
    let of_a = oracle(&p, Some(&a)).await;
    assert_eq!(of_a.iter().map(assignees).sum::<usize>(), rows.len());

    // A JSON list means IN by default.
    let rows = all_rows(&p, json!({"filter": {"WORKFLOW_ID": [a, b]}})).await;
    assert_eq!(rows.len(), count(&a) + count(&b));
    assert!(wf_of(&rows).iter().all(|w| *w == a || *w == b));
    // So does PHP bracket notation.
    let form = format!(
        "auth={}&filter[WORKFLOW_ID][]={a}&filter[WORKFLOW_ID][]={b}",
        p.token
    );
    let (s, body) = p
        .raw(
            &format!("/rest/{METHOD}.json"),
            "application/x-www-form-urlencoded",
            form.clone(),
        )
        .await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["total"], json!(count(&a) + count(&b)));

    // With the knob off, a list is the string "Array" and matches nothing.
    p.knobs(json!({"task_filter_lists": false})).await;
    let (s, body) = p
        .call(METHOD, json!({"filter": {"WORKFLOW_ID": [a, b]}}))
        .await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["total"], json!(0));
    assert_eq!(body["result"], json!([]));
    let (_, body) = p
        .raw(
            &format!("/rest/{METHOD}.json"),
            "application/x-www-form-urlencoded",
            form,
        )
        .await;
    assert_eq!(body["total"], json!(0));
    // A scalar still works.
    let (_, body) = p.call(METHOD, json!({"filter": {"WORKFLOW_ID": a}})).await;
    assert_eq!(body["total"], json!(count(&a)));
}

#[tokio::test]
async fn status_filter_splits_open_and_finished_tasks() {
    let p = Portal::start(1500).await;
    let tasks = oracle(&p, None).await;
    let rows_with = |f: &dyn Fn(&Value) -> bool| -> usize {
        tasks.iter().filter(|t| f(t)).map(assignees).sum()
    };
    let open = rows_with(&|t| t["status"] == json!(0));
    let finished = rows_with(&|t| t["status"] != json!(0));
    assert!(open > 0 && finished > 0);

    let (_, all) = p.call(METHOD, json!({})).await;
    let (_, b) = p.call(METHOD, json!({"filter": {"STATUS": 0}})).await;
    assert_eq!(b["total"], json!(open));
    let rows = all_rows(
        &p,
        json!({"filter": {"!STATUS": "0"}, "select": ["STATUS"]}),
    )
    .await;
    assert_eq!(rows.len(), finished);
    assert!(rows
        .iter()
        .all(|r| ["1", "2", "3"].contains(&r["STATUS"].as_str().unwrap_or(""))));
    assert_eq!(all["total"], json!(open + finished));
    let (_, b) = p.call(METHOD, json!({"filter": {">=STATUS": 1}})).await;
    assert_eq!(b["total"], json!(finished));
    // `=` is the documented equality (knob, as for instances).
    p.knobs(json!({"accept_eq_operators": true, "case_insensitive_filter_fields": true}))
        .await;
    let (_, b) = p.call(METHOD, json!({"filter": {"=status": 0}})).await;
    assert_eq!(b["total"], json!(open));
}

#[tokio::test]
async fn select_picks_fields_and_keeps_the_document() {
    let p = Portal::start(800).await;
    let (s, b) = p
        .call(
            METHOD,
            json!({"select": ["user_status", "STATUS", "OVERDUE_DATE", "PARAMETERS", "WORKFLOW_STARTED", "BOGUS"], "order": {"ID": "asc"}}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    let rows = b["result"].as_array().expect("rows");
    for row in rows {
        let keys: Vec<&str> = row
            .as_object()
            .expect("row")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "MODULE_ID",
                "ENTITY",
                "DOCUMENT_ID",
                "WORKFLOW_STARTED",
                "OVERDUE_DATE",
                "STATUS",
                "USER_STATUS",
                "PARAMETERS",
                "DOCUMENT_URL"
            ]
        );
        assert!(row["PARAMETERS"].is_object());
        assert!(row["OVERDUE_DATE"].is_null() || row["OVERDUE_DATE"].is_string());
        assert!(row["WORKFLOW_STARTED"]
            .as_str()
            .is_some_and(|d| d.ends_with("+03:00")));
    }
    let (_, b) = p
        .call(
            METHOD,
            json!({"select": ["ID", "NAME", "WORKFLOW_STATE", "ACTIVITY"], "filter": {"STATUS": 0}}),
        )
        .await;
    let row = &b["result"][0];
    assert!(row["NAME"].as_str().is_some_and(|n| !n.is_empty()));
    assert!(row["WORKFLOW_STATE"]
        .as_str()
        .is_some_and(|n| !n.is_empty()));
    assert!(row["ACTIVITY"]
        .as_str()
        .is_some_and(|a| a.ends_with("Activity")));
}

#[tokio::test]
async fn an_unknown_filter_field_is_dropped_or_with_the_strict_knob_refused() {
    let p = Portal::start(500).await;
    let (_, all) = p.call(METHOD, json!({})).await;
    let (s, b) = p
        .call(
            METHOD,
            json!({"filter": {"NO_SUCH_FIELD": 1, "%NAME": "x"}}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["total"], all["total"], "dropped, as the source does");

    p.knobs(json!({"task_filter_strict": true})).await;
    let (s, b) = p
        .call(METHOD, json!({"filter": {"NO_SUCH_FIELD": 1}}))
        .await;
    assert_eq!(s, 400, "{b}");
    assert_eq!(b["error"], json!("ERROR_ARGUMENT"));
    assert!(b["error_description"]
        .as_str()
        .is_some_and(|d| d.contains("NO_SUCH_FIELD")));
    let (s, b) = p.call(METHOD, json!({"filter": {"%NAME": "x"}})).await;
    assert_eq!((s, b["error"].clone()), (400, json!("ERROR_ARGUMENT")));
    // DOCUMENT_URL is not a column.
    let (s, _) = p
        .call(METHOD, json!({"filter": {"DOCUMENT_URL": "/"}}))
        .await;
    assert_eq!(s, 400);
}

#[tokio::test]
async fn works_inside_batch_with_totals_and_next() {
    let p = Portal::start(1500).await;
    let task = open_task_with(&p, 2).await;
    let wf = task["workflow_id"].as_str().expect("wf");
    let (s, b) = p
        .call(
            "batch",
            json!({"halt": 0, "cmd": {
                "one": format!("{METHOD}?filter[WORKFLOW_ID]={wf}&filter[STATUS]=0&select[]=USER_ID"),
                "all": format!("{METHOD}?start=50"),
                "ids": format!("{METHOD}?filter[WORKFLOW_ID][]={wf}&filter[WORKFLOW_ID][]=none"),
            }}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    let r = &b["result"];
    assert_eq!(
        r["result"]["one"].as_array().map(Vec::len),
        Some(assignees(&task))
    );
    assert_eq!(r["result_total"]["one"], json!(assignees(&task)));
    assert_eq!(r["result"]["all"].as_array().map(Vec::len), Some(50));
    assert_eq!(r["result_next"]["all"], json!(100));
    assert!(r["result_next"].get("one").is_none());
    let of_wf: usize = oracle(&p, Some(wf)).await.iter().map(assignees).sum();
    assert_eq!(r["result_total"]["ids"], json!(of_wf));
    assert_eq!(r["result_error"], json!([]));
}

#[tokio::test]
async fn terminate_and_kill_take_a_workflows_tasks_away() {
    let p = Portal::start(1500).await;
    let tasks = oracle(&p, None).await;
    let mut open_wfs = tasks
        .iter()
        .filter(|t| t["status"] == json!(0))
        .map(|t| t["workflow_id"].as_str().expect("wf").to_owned());
    for method in ["bizproc.workflow.terminate", "bizproc.workflow.kill"] {
        let wf = open_wfs.next().expect("a workflow with a task");
        let (s, b) = p.call(method, json!({"ID": wf})).await;
        assert_eq!(s, 200, "{b}");
        assert!(oracle(&p, Some(&wf)).await.is_empty(), "{method}");
        let (_, b) = p.call(METHOD, json!({"filter": {"WORKFLOW_ID": wf}})).await;
        assert_eq!(b["total"], json!(0), "{method}");
    }
}

#[tokio::test]
async fn needs_the_bizproc_scope_and_non_admins_see_their_own_tasks() {
    let p = Portal::start(300).await;
    p.knobs(json!({"scopes": ["user_brief"]})).await;
    let (s, b) = p.call(METHOD, json!({})).await;
    assert_eq!((s, b["error"].clone()), (401, json!("insufficient_scope")));

    let mut config = Config::for_tests(2500);
    config.non_admin = true;
    let p = Portal::with(config).await;
    let rows = all_rows(&p, json!({"select": ["USER_ID"]})).await;
    assert!(rows.iter().all(|r| r["USER_ID"] == json!("7")));
    let own: usize = oracle(&p, None)
        .await
        .iter()
        .flat_map(|t| t["users"].as_array().cloned().unwrap_or_default())
        .filter(|u| u["user_id"] == json!(7))
        .count();
    assert_eq!(rows.len(), own);
    let (s, _) = p.call(METHOD, json!({"filter": {"USER_ID": 7}})).await;
    assert_eq!(s, 200);
    let (s, b) = p.call(METHOD, json!({"filter": {"USER_ID": 1}})).await;
    assert_eq!((s, b["error"].clone()), (403, json!("ACCESS_DENIED")));
}
