//! The official JavaScript SDK (npm `@bitrix24/b24jssdk` 2.2.0, its UMD
//! browser bundle) runs inside the emulated portal exactly as it would in
//! Bitrix24: it initialises through the frame protocol, lists every workflow
//! page by page, batches, survives an expired token through refreshAuth,
//! opens a portal path in the slider and resizes its frame. Where the SDK
//! and the emulator disagree, the emulator is wrong.

use e2e::{assemble_sdk_dist, config_serving, wait_for, Harness, HarnessError, Result, Scratch};
use serde_json::{json, Value};

/// Starts the emulator serving the SDK page and waits for `initializeB24Frame`.
async fn open_sdk_page(label: &str, workflows: usize) -> Result<Harness> {
    let scratch = Scratch::new(label)?;
    let dist = assemble_sdk_dist(&scratch)?;
    let mut config = config_serving(&dist);
    config.workflows = workflows;
    let h = Harness::start_in(scratch, config).await?;
    h.portal().open().await?;
    let page = h.portal();
    wait_for("initializeB24Frame", || async {
        let state = page
            .in_app(
                "return window.sdkPage ? {ready: window.sdkPage.ready, error: window.sdkPage.error} : null;",
                vec![],
            )
            .await?;
        if let Some(error) = state["error"].as_str() {
            return Err(HarnessError::Unexpected(format!("the SDK did not start: {error}")));
        }
        Ok((state["ready"] == true).then_some(()))
    })
    .await?;
    Ok(h)
}

/// Runs `sdkPage.<call>` in the app frame and returns what its promise resolves to.
async fn sdk(h: &Harness, call: &str) -> Result<Value> {
    h.portal()
        .in_app(&format!("return window.sdkPage.{call};"), vec![])
        .await
}

async fn workflow_count(h: &Harness) -> Result<u64> {
    let stats = h.control.get("/_emulator/stats").await?;
    stats["workflows"]
        .as_u64()
        .ok_or_else(|| HarnessError::Unexpected(format!("stats: {stats}")))
}

fn rest_calls<'a>(log: &'a [Value], method: &str) -> Vec<&'a Value> {
    log.iter().filter(|e| e["method"] == method).collect()
}

async fn rest_log(h: &Harness) -> Result<Vec<Value>> {
    match h.control.get("/_emulator/log").await? {
        Value::Array(items) => Ok(items),
        other => Err(HarnessError::Unexpected(format!("REST log: {other}"))),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sdk_initialises_through_the_frame_protocol() -> Result<()> {
    let h = open_sdk_page("sdk-init", 20).await?;
    // b24jssdk sends "getInitData:<key>:<sid>" (empty params dropped) and,
    // on a first run, awaits setInstall's answer before it is ready (§4.2).
    let log = h.portal().frame_log().await?;
    let init = log
        .iter()
        .find(|e| e["command"] == "getInitData")
        .ok_or_else(|| HarnessError::Unexpected(format!("no getInitData: {log:?}")))?;
    assert_eq!(init["accepted"], true);
    assert_eq!(init["replied"], true);
    assert_eq!(
        init["data"].as_str().map(|d| d.split(':').count()),
        Some(3),
        "the SDK's short form: {init}"
    );
    let install = log
        .iter()
        .find(|e| e["command"] == "setInstall")
        .ok_or_else(|| HarnessError::Unexpected(format!("no setInstall: {log:?}")))?;
    assert_eq!(install["replied"], true);
    let status = h
        .portal()
        .in_app(
            "return document.getElementById('status').textContent;",
            vec![],
        )
        .await?;
    assert_eq!(status, json!("SDK ready (en, admin: true)"));
    h.finish().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sdk_lists_every_workflow_page_by_page() -> Result<()> {
    let h = open_sdk_page("sdk-list", 120).await?;
    h.control.delete("/_emulator/log").await?;
    let listed = sdk(&h, "listAll()").await?;
    let expected = workflow_count(&h).await?;
    assert_eq!(expected, 120);
    assert_eq!(listed["total"].as_u64(), Some(expected), "{listed}");
    let ids: Vec<&str> = listed["ids"]
        .as_array()
        .map(|ids| ids.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    assert_eq!(ids.len() as u64, expected, "every row, once");
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "no row twice");
    assert_eq!(listed["pages"], json!(3));
    assert!(listed["first"]["ID"].is_string());
    assert!(
        listed["first"]["TEMPLATE_ID"].is_string(),
        "{}",
        listed["first"]
    );

    // The portal saw exactly those three pages, sent the way the SDK sends
    // them: JSON body, the token as `auth`, no Authorization header (§4.4).
    let log = rest_log(&h).await?;
    let calls = rest_calls(&log, "bizproc.workflow.instances");
    let starts: Vec<i64> = calls
        .iter()
        .filter_map(|c| {
            let start = &c["params"]["start"];
            start.as_i64().or_else(|| start.as_str()?.parse().ok())
        })
        .collect();
    assert_eq!(starts, [0, 50, 100], "{calls:?}");
    for call in &calls {
        assert_eq!(call["status"], 200, "{call}");
        assert_eq!(call["auth_source"], "auth", "{call}");
        assert_eq!(call["authorization_header"], false, "{call}");
        assert_eq!(call["custom_headers"], json!([]), "{call}");
        assert!(
            call["content_type"]
                .as_str()
                .is_some_and(|ct| ct.starts_with("application/json")),
            "{call}"
        );
    }
    h.finish().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sdk_batches_pages_and_templates_in_one_request() -> Result<()> {
    let h = open_sdk_page("sdk-batch", 120).await?;
    h.control.delete("/_emulator/log").await?;
    let out = sdk(&h, "batch()").await?;
    let expected = workflow_count(&h).await?;
    for key in ["p0", "p1", "templates"] {
        assert_eq!(out[key]["ok"], true, "{key}: {}", out[key]);
    }
    let page = |key: &str| -> Vec<String> {
        out[key]["result"]
            .as_array()
            .map(|rows| {
                rows.iter()
                    .filter_map(|r| r["ID"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let (p0, p1) = (page("p0"), page("p1"));
    assert_eq!((p0.len(), p1.len()), (50, 50));
    assert!(p0.iter().all(|id| !p1.contains(id)), "pages overlap");
    assert!(p0.last() < p1.first(), "ORDER ID ASC holds across pages");
    assert_eq!(out["p0"]["total"].as_u64(), Some(expected));
    assert!(out["templates"]["result"]
        .as_array()
        .is_some_and(|t| !t.is_empty()));

    let log = rest_log(&h).await?;
    let batches = rest_calls(&log, "batch");
    assert_eq!(batches.len(), 1, "one HTTP request: {log:?}");
    assert_eq!(batches[0]["status"], 200);
    assert_eq!(
        batches[0]["batch_methods"],
        json!([
            "bizproc.workflow.instances",
            "bizproc.workflow.instances",
            "bizproc.workflow.template.list"
        ])
    );
    h.finish().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sdk_survives_an_expired_token_through_refresh_auth() -> Result<()> {
    let h = open_sdk_page("sdk-expiry", 60).await?;
    let before = sdk(&h, "countAgain()").await?;
    assert_eq!(before["total"], json!(60));
    h.control.delete("/_emulator/log").await?;
    h.control.delete("/_emulator/frame-log").await?;

    h.control
        .post("/_emulator/expire-tokens", &json!({}))
        .await?;
    let after = sdk(&h, "countAgain()").await?;
    assert_eq!(
        after["total"],
        json!(60),
        "the call succeeded after the refresh"
    );

    // The REST log: the expired token was refused, then the replay passed.
    let log = rest_log(&h).await?;
    let calls = rest_calls(&log, "bizproc.workflow.instances");
    let outcome: Vec<(Value, Value)> = calls
        .iter()
        .map(|c| (c["status"].clone(), c["error"].clone()))
        .collect();
    assert_eq!(
        outcome,
        [
            (json!(401), json!("expired_token")),
            (json!(200), Value::Null)
        ],
        "{calls:?}"
    );

    // The portal page answered the SDK's refreshAuth (§4.2, §4.3).
    let frames = h.control.frame_log().await?;
    let refresh: Vec<&Value> = frames
        .iter()
        .filter(|e| e["command"] == "refreshAuth")
        .collect();
    assert_eq!(refresh.len(), 1, "one coalesced refresh: {frames:?}");
    assert_eq!(refresh[0]["accepted"], true);
    assert_eq!(refresh[0]["replied"], true);
    h.finish().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sdk_resizes_its_frame() -> Result<()> {
    let h = open_sdk_page("sdk-resize", 10).await?;
    let page = h.portal();
    sdk(&h, "resize(910)").await?;
    let height = wait_for("the frame at 910 px", || async {
        let height = page.frame_height().await?;
        Ok(((height - 910.0).abs() < 1.0).then_some(height))
    })
    .await?;
    assert!((height - 910.0).abs() < 1.0);
    let entry = page
        .wait_log_entry("the resizeWindow entry", |e| e["command"] == "resizeWindow")
        .await?;
    assert_eq!(entry["accepted"], true);
    assert_eq!(entry["replied"], true);
    h.finish().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sdk_opens_a_deal_in_the_portal_slider() -> Result<()> {
    let h = open_sdk_page("sdk-open-path", 10).await?;
    let page = h.portal();
    sdk(&h, "openPath('/crm/deal/details/1633/')").await?;
    wait_for("Deal 1633 in the slider", || async {
        if !page.slider_is_open().await? {
            return Ok(None);
        }
        Ok(page
            .slider_text()
            .await?
            .contains("Deal 1633")
            .then_some(()))
    })
    .await?;
    page.close_slider().await?;
    let outcome = wait_for("the SDK's openPath outcome", || async {
        let opened = sdk(&h, "opened").await?;
        Ok((!opened.is_null()).then_some(opened))
    })
    .await?;
    assert_eq!(
        outcome,
        json!({"isOpenAtNewWindow": false, "isClose": true})
    );
    h.finish().await
}
