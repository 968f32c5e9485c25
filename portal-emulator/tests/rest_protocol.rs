//! Transport-level behaviour: CORS, auth, errors, limits and faults.

mod common;

use common::Portal;
use portal_emulator::Config;
use serde_json::{json, Value};

#[tokio::test]
async fn cors_headers_match_bitrix24_on_answers_and_preflights() {
    let p = Portal::start(5).await;
    let r = p
        .http
        .post(p.url("/rest/server.time.json"))
        .json(&json!({"auth": p.token}))
        .send()
        .await
        .expect("post");
    let h = r.headers();
    assert_eq!(h["access-control-allow-origin"], "*");
    assert_eq!(
        h["access-control-allow-headers"],
        "origin, content-type, accept"
    );
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert!(h.get("access-control-allow-credentials").is_none());
    let pre = p
        .http
        .request(
            reqwest::Method::OPTIONS,
            p.url("/rest/bizproc.workflow.instances.json"),
        )
        .header("origin", "http://app.example")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "authorization")
        .send()
        .await
        .expect("preflight");
    assert_eq!(pre.status().as_u16(), 200);
    // Authorization is not among the allowed headers, so a browser fails the preflight.
    let allowed = pre.headers()["access-control-allow-headers"]
        .to_str()
        .expect("ascii");
    assert!(!allowed.contains("authorization"));
    assert!(pre.headers().get("access-control-allow-methods").is_none());
}

#[tokio::test]
async fn tokens_missing_unknown_and_expired_get_their_own_errors() {
    let p = Portal::start(5).await;
    let (s, b) = p.raw_json("/rest/server.time.json", &json!({})).await;
    assert_eq!((s, b["error"].clone()), (401, json!("NO_AUTH_FOUND")));
    let (s, b) = p
        .raw_json("/rest/server.time.json", &json!({"auth": "forged"}))
        .await;
    assert_eq!((s, b["error"].clone()), (401, json!("invalid_token")));
    let (s, _) = p.call("server.time", json!({})).await;
    assert_eq!(s, 200);
    p.control("/_emulator/expire-tokens", json!({})).await;
    let (s, b) = p.call("server.time", json!({})).await;
    assert_eq!(
        (s, b),
        (
            401,
            json!({"error": "expired_token", "error_description": "The access token provided has expired"})
        )
    );
    // A new token works again; `access_token` is accepted like `auth`.
    let fresh = p.new_token().await;
    let (s, _) = p
        .raw_json("/rest/server.time.json", &json!({"access_token": fresh}))
        .await;
    assert_eq!(s, 200);
}

#[tokio::test]
async fn a_short_token_ttl_expires_tokens() {
    let mut config = Config::for_tests(5);
    config.token_ttl = 0;
    let p = Portal::with(config).await;
    let (s, b) = p.call("server.time", json!({})).await;
    assert_eq!((s, b["error"].clone()), (401, json!("expired_token")));
}

#[tokio::test]
async fn the_server_accepts_a_bearer_header_and_the_log_records_headers() {
    let p = Portal::start(5).await;
    p.http
        .delete(p.url("/_emulator/log"))
        .send()
        .await
        .expect("reset");
    let r = p
        .http
        .post(p.url("/rest/profile"))
        .header("authorization", format!("Bearer {}", p.token))
        .header("x-request-id", "42")
        .json(&json!({}))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status().as_u16(), 200);
    let (_, _) = p.call("profile", json!({"select": ["ID"]})).await;
    let log = p.get("/_emulator/log").await;
    let entries = log.as_array().expect("log");
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["method"], json!("profile"));
    assert_eq!(entries[0]["authorization_header"], json!(true));
    assert_eq!(entries[0]["auth_source"], json!("header"));
    assert_eq!(entries[0]["custom_headers"], json!(["x-request-id"]));
    assert_eq!(entries[1]["authorization_header"], json!(false));
    assert_eq!(entries[1]["auth_source"], json!("auth"));
    assert_eq!(
        entries[1]["params"]["auth"],
        json!("***"),
        "tokens are never logged"
    );
    assert_eq!(entries[1]["params"]["select"], json!(["ID"]));
    assert_eq!(entries[1]["status"], json!(200));
}

#[tokio::test]
async fn non_admins_are_refused_bizproc_methods_but_not_user_methods() {
    let mut config = Config::for_tests(5);
    config.non_admin = true;
    let p = Portal::with(config).await;
    for m in [
        "bizproc.workflow.instances",
        "bizproc.workflow.template.list",
        "bizproc.workflow.kill",
    ] {
        let (s, b) = p.call(m, json!({"ID": "x"})).await;
        assert_eq!(
            (s, b),
            (
                403,
                json!({"error": "ACCESS_DENIED", "error_description": "Access denied!"})
            ),
            "{m}"
        );
    }
    let (s, b) = p.call("profile", json!({})).await;
    assert_eq!((s, b["result"]["ADMIN"].clone()), (200, json!(false)));
    let (s, _) = p.call("user.get", json!({"ID": 1})).await;
    assert_eq!(s, 200);
}

#[tokio::test]
async fn a_plan_without_bizproc_has_no_bizproc_methods() {
    let p = Portal::start(5).await;
    p.knobs(json!({"plan_without_bizproc": true})).await;
    let (s, b) = p.call("bizproc.workflow.instances", json!({})).await;
    assert_eq!(
        (s, b),
        (
            404,
            json!({"error": "ERROR_METHOD_NOT_FOUND", "error_description": "Method not found!"})
        )
    );
    let (s, _) = p.call("app.info", json!({})).await;
    assert_eq!(s, 200);
    let (s, b) = p.call("no.such.method", json!({})).await;
    assert_eq!(
        (s, b["error"].clone()),
        (404, json!("ERROR_METHOD_NOT_FOUND"))
    );
}

#[tokio::test]
async fn the_leaky_bucket_refuses_past_the_burst_and_a_batch_counts_once() {
    let p = Portal::start(5).await;
    p.knobs(json!({"rate": 0.001, "burst": 5})).await;
    for _ in 0..4 {
        assert_eq!(p.call("server.time", json!({})).await.0, 200);
    }
    let cmd: serde_json::Map<String, Value> = (0..20)
        .map(|i| (format!("c{i}"), json!("server.time")))
        .collect();
    let (s, b) = p.call("batch", json!({"cmd": cmd})).await;
    assert_eq!(s, 200, "one batch of 20 is one request: {b}");
    let (s, b) = p.call("server.time", json!({})).await;
    assert_eq!(
        (s, b),
        (
            503,
            json!({"error": "QUERY_LIMIT_EXCEEDED", "error_description": "Too many requests"})
        )
    );
}

#[tokio::test]
async fn the_operating_budget_blocks_one_method_with_429_and_reports_its_reset() {
    let p = Portal::start(5).await;
    p.knobs(json!({"operating_charge_s": 100.0, "operating_limit_s": 250.0}))
        .await;
    let mut reset_at = None;
    for i in 1..=3 {
        let (s, b) = p.call("bizproc.workflow.instances", json!({})).await;
        assert_eq!(s, 200, "call {i}: {b}");
        let used = b["time"]["operating"].as_f64().expect("operating");
        assert!(used >= 100.0 * i as f64, "{used}");
        reset_at = b["time"]["operating_reset_at"].as_i64();
    }
    let now = chrono::Utc::now().timestamp();
    let reset = reset_at.expect("operating_reset_at");
    assert!(reset > now && reset <= now + 600, "{reset} vs {now}");
    let (s, b) = p.call("bizproc.workflow.instances", json!({})).await;
    assert_eq!(
        (s, b),
        (
            429,
            json!({"error": "OPERATION_TIME_LIMIT", "error_description": "Method is blocked due to operation time limit."})
        )
    );
    assert_eq!(
        p.call("bizproc.workflow.template.list", json!({})).await.0,
        200,
        "other methods run"
    );
    // Self-hosted portals report nothing about it.
    p.knobs(json!({"operating_reported": false})).await;
    let (_, b) = p.call("server.time", json!({})).await;
    assert!(b["time"].get("operating").is_none());
    p.control("/_emulator/reset-limits", json!({})).await;
    assert_eq!(p.call("bizproc.workflow.instances", json!({})).await.0, 200);
}

#[tokio::test]
async fn injected_faults_answer_500() {
    let p = Portal::start(5).await;
    p.knobs(json!({"fail_rate": 1.0})).await;
    let (s, b) = p.call("server.time", json!({})).await;
    assert_eq!(
        (s, b),
        (
            500,
            json!({"error": "INTERNAL_SERVER_ERROR", "error_description": "Internal server error"})
        )
    );
    p.knobs(json!({"fail_rate": 0.0})).await;
    assert_eq!(p.call("server.time", json!({})).await.0, 200);
}

#[tokio::test]
async fn injected_503s_are_marked_in_the_log_and_leave_the_bucket_alone() {
    let p = Portal::start(5).await;
    p.knobs(json!({"inject_503_rate": 1.0, "rate": 2.0, "burst": 1.0}))
        .await;
    for _ in 0..3 {
        let (s, b) = p.call("server.time", json!({})).await;
        assert_eq!(
            (s, b),
            (
                503,
                json!({"error": "QUERY_LIMIT_EXCEEDED", "error_description": "Too many requests"})
            )
        );
    }
    p.knobs(json!({"inject_503_rate": 0.0})).await;
    // The bucket (burst 1) took none of the injected ones: one request
    // fits, the next overflows for real.
    assert_eq!(p.call("server.time", json!({})).await.0, 200);
    assert_eq!(p.call("server.time", json!({})).await.0, 503);
    let log = p.get("/_emulator/log").await;
    let marks: Vec<(u64, bool)> = log
        .as_array()
        .expect("a list")
        .iter()
        .filter(|e| e["method"] == "server.time")
        .map(|e| (e["status"].as_u64().unwrap_or(0), e["injected"] == true))
        .collect();
    assert_eq!(
        marks,
        [
            (503, true),
            (503, true),
            (503, true),
            (200, false),
            (503, false)
        ]
    );
}

#[tokio::test]
async fn with_the_network_down_answers_carry_no_cors_headers_and_are_logged() {
    let p = Portal::start(5).await;
    p.knobs(json!({"network_down": true})).await;
    let r = p
        .http
        .post(p.url("/rest/server.time.json"))
        .json(&json!({"auth": p.token}))
        .send()
        .await
        .expect("answered");
    // Without `Access-Control-Allow-Origin` the browser's fetch rejects
    // as on a lost connection; the app never sees status or body.
    assert!(r.headers().get("access-control-allow-origin").is_none());
    assert_eq!(r.status().as_u16(), 502);
    p.knobs(json!({"network_down": false})).await;
    assert_eq!(p.call("server.time", json!({})).await.0, 200);
    let log = p.get("/_emulator/log").await;
    let marks: Vec<(u64, bool, Value)> = log
        .as_array()
        .expect("a list")
        .iter()
        .filter(|e| e["method"] == "server.time")
        .map(|e| {
            (
                e["status"].as_u64().unwrap_or(0),
                e["injected"] == true,
                e["error"].clone(),
            )
        })
        .collect();
    assert_eq!(
        marks,
        [
            (502, true, json!("NETWORK_DOWN")),
            (200, false, Value::Null)
        ]
    );
}

#[tokio::test]
async fn the_tests_own_queries_skip_faults_limits_and_the_operating_budget() {
    let p = Portal::start(5).await;
    p.knobs(json!({
        "inject_503_rate": 1.0,
        "fail_rate": 1.0,
        "network_down": true,
        "rate": 2.0,
        "burst": 1.0,
        "operating_limit_s": 1.0,
        "operating_charge_s": 5.0,
    }))
    .await;
    for _ in 0..3 {
        let r = p
            .http
            .post(p.url("/rest/bizproc.workflow.instances.json"))
            .header(portal_emulator::rest::ORACLE_HEADER, "1")
            .json(&json!({"auth": p.token, "select": ["ID"]}))
            .send()
            .await
            .expect("answered");
        assert_eq!(r.status().as_u16(), 200);
        let body: Value = r.json().await.expect("json");
        assert_eq!(body["total"], 5);
    }
    p.knobs(json!({"inject_503_rate": 0.0, "fail_rate": 0.0, "network_down": false}))
        .await;
    // The bucket (burst 1) and the budget are untouched: the app's first
    // call goes through and is charged, the next one overflows the bucket,
    // and once the bucket drained the spent budget blocks the method.
    let error = |(status, body): (u16, Value)| (status, body["error"].clone());
    assert_eq!(p.call("bizproc.workflow.instances", json!({})).await.0, 200);
    assert_eq!(
        error(p.call("bizproc.workflow.instances", json!({})).await),
        (503, json!("QUERY_LIMIT_EXCEEDED"))
    );
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    assert_eq!(
        error(p.call("bizproc.workflow.instances", json!({})).await),
        (429, json!("OPERATION_TIME_LIMIT"))
    );
}

#[tokio::test]
async fn unknown_knobs_are_refused() {
    let p = Portal::start(5).await;
    let r = p
        .http
        .post(p.url("/_emulator/knobs"))
        .json(&json!({"rat": 3}))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status().as_u16(), 400);
}

#[tokio::test]
async fn latency_delays_every_rest_answer() {
    let p = Portal::start(5).await;
    p.knobs(json!({"latency_ms": 300})).await;
    // A lower bound only: sleeping guarantees at least this much, on any machine.
    let began = std::time::Instant::now();
    assert_eq!(p.call("server.time", json!({})).await.0, 200);
    assert!(began.elapsed() >= std::time::Duration::from_millis(300));
    let log = p.get("/_emulator/log").await;
    let last = log
        .as_array()
        .and_then(|l| l.last())
        .cloned()
        .unwrap_or_default();
    assert!(
        last["duration_ms"].as_f64().unwrap_or(0.0) >= 300.0,
        "{last}"
    );
}

#[tokio::test]
async fn the_control_api_allows_browser_tests_from_any_origin() {
    let p = Portal::start(5).await;
    let pre = p
        .http
        .request(reqwest::Method::OPTIONS, p.url("/_emulator/knobs"))
        .header("origin", "http://127.0.0.1:9999")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type")
        .send()
        .await
        .expect("preflight");
    assert_eq!(pre.status().as_u16(), 204);
    assert_eq!(
        pre.headers()["access-control-allow-headers"],
        "content-type"
    );
    let r = p
        .http
        .post(p.url("/_emulator/token"))
        .send()
        .await
        .expect("token");
    assert_eq!(r.headers()["access-control-allow-origin"], "*");
}
