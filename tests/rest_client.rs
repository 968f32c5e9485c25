//! The REST client's fetch transport in a real browser, against a running
//! portal emulator: what actually crosses the wire (CORS preflight, body,
//! headers), token refresh and replay, typed errors, timeouts.
//!
//! `cargo xtask test` starts the emulator and builds these tests with its
//! URL in `WFM_TEST_PORTAL`. By hand:
//!
//! ```text
//! target/tool/portal-emulator --portal-addr 127.0.0.1:0 --app-addr 127.0.0.1:0 --rate 0
//! WFM_TEST_PORTAL=http://127.0.0.1:PORT \
//! CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
//! CHROMEDRIVER=/usr/bin/chromedriver \
//! cargo test --target wasm32-unknown-unknown --test rest_client
//! ```
//!
//! The tests drive the emulator through `/_emulator/*` (tokens, knobs, the
//! request log), which must answer cross-origin requests from the test
//! page. The tests run one at a time (wasm-bindgen-test runs them serially),
//! and each starts by resetting the knobs it uses.

#![cfg(target_arch = "wasm32")]

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use futures::future::{FutureExt, LocalBoxFuture};
use gloo_net::http::Request;
use serde_json::{json, Value};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use workflow_monitor::domain::methods::instances::{InstancesQuery, INSTANCES_METHOD, PAGE_SIZE};
use workflow_monitor::domain::methods::limits::RetryPolicy;
use workflow_monitor::domain::methods::session::{AccessToken, Credentials, Host, Portal};
use workflow_monitor::domain::wire::batch::{BatchCommand, BatchRequest};
use workflow_monitor::domain::wire::errors::{ErrorCode, PortalError, RefreshError, RestError};
use workflow_monitor::rest::{Auth, RestClient};

wasm_bindgen_test_configure!(run_in_browser);

/// The emulator's origin, baked in at build time by `cargo xtask test`.
fn portal_origin() -> &'static str {
    match option_env!("WFM_TEST_PORTAL") {
        Some(url) => url.trim_end_matches('/'),
        None => panic!(
            "WFM_TEST_PORTAL is not set: run these tests with `cargo xtask test`, \
             or start portal-emulator and build with WFM_TEST_PORTAL=http://127.0.0.1:PORT"
        ),
    }
}

fn portal() -> Portal {
    let origin = portal_origin();
    let (https, host) = match origin.strip_prefix("https://") {
        Some(host) => (true, host),
        None => (false, origin.trim_start_matches("http://")),
    };
    Portal {
        host: Host::parse(host).expect("WFM_TEST_PORTAL is http(s)://host:port"),
        https,
        rest_path: "/rest".to_owned(),
    }
}

// ----------------------------------------------------- emulator control --

async fn control(method: &str, path: &str, body: Option<Value>) -> Value {
    let url = format!("{}/_emulator/{path}", portal_origin());
    let builder = match method {
        "GET" => Request::get(&url),
        _ => Request::post(&url),
    };
    let response = match body {
        Some(body) => builder.json(&body).expect("json body").send().await,
        None => builder.send().await,
    }
    .unwrap_or_else(|e| panic!("{method} {url}: {e} (does /_emulator answer CORS?)"));
    assert!(response.ok(), "{method} {url}: HTTP {}", response.status());
    let text = response.text().await.expect("control answer");
    if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).expect("control answer is JSON")
    }
}

/// Knobs back to what these tests assume, then any changes.
async fn knobs(changes: Value) {
    let mut all = json!({"non_admin": false, "latency_ms": 0, "fail_rate": 0.0});
    if let (Some(all), Some(changes)) = (all.as_object_mut(), changes.as_object()) {
        for (k, v) in changes {
            all.insert(k.clone(), v.clone());
        }
    }
    control("POST", "knobs", Some(all)).await;
}

/// A fresh token for the user the knobs say opens the app.
async fn mint() -> Credentials {
    let issued = control("POST", "token", None).await;
    Credentials {
        token: AccessToken::new(issued["access_token"].as_str().expect("access_token")),
        expires_at_ms: 0.0,
    }
}

async fn expire_all_tokens() {
    control("POST", "expire-tokens", None).await;
}

/// The REST requests the emulator logged after the first `skip`.
async fn rest_log_since(skip: usize) -> Vec<Value> {
    let log = control("GET", "log", None).await;
    log.as_array()
        .expect("the log is a list")
        .iter()
        .skip(skip)
        .cloned()
        .collect()
}

async fn rest_log_len() -> usize {
    rest_log_since(0).await.len()
}

// ------------------------------------------------------------ fake auth --

/// Hands out a token and counts refreshes; a refresh mints a new token
/// from the emulator (what the portal page does for `refreshAuth`).
struct FakeAuth {
    current: RefCell<Credentials>,
    refreshes: Cell<u32>,
    /// Make every token dead again right after a refresh.
    expire_after_refresh: bool,
}

impl FakeAuth {
    async fn new() -> Rc<FakeAuth> {
        Rc::new(FakeAuth {
            current: RefCell::new(mint().await),
            refreshes: Cell::new(0),
            expire_after_refresh: false,
        })
    }
}

/// `Auth` is implemented on a handle so the refresh future can own it.
struct Handle(Rc<FakeAuth>);

impl Auth for Handle {
    fn credentials(&self) -> Credentials {
        self.0.current.borrow().clone()
    }

    fn refresh(&self) -> LocalBoxFuture<'static, Result<Credentials, RefreshError>> {
        let auth = Rc::clone(&self.0);
        auth.refreshes.set(auth.refreshes.get() + 1);
        async move {
            let fresh = mint().await;
            if auth.expire_after_refresh {
                expire_all_tokens().await;
            }
            *auth.current.borrow_mut() = fresh.clone();
            Ok(fresh)
        }
        .boxed_local()
    }
}

/// No retries: a test of one failure sees it at once (retrying is tested
/// natively, with a recording clock).
fn send_once() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 1,
        ..RetryPolicy::default()
    }
}

fn client(auth: &Rc<FakeAuth>) -> RestClient {
    RestClient::new(portal(), Rc::new(Handle(Rc::clone(auth))))
}

async fn workflows_in_emulator() -> u64 {
    control("GET", "stats", None).await["workflows"]
        .as_u64()
        .expect("stats.workflows")
}

// ---------------------------------------------------------------- tests --

#[wasm_bindgen_test]
async fn lists_the_first_page_of_fifty_with_the_total() {
    knobs(json!({})).await;
    let auth = FakeAuth::new().await;
    let page = client(&auth)
        .list_workflows(&InstancesQuery::default())
        .await
        .expect("the first page");
    let total = workflows_in_emulator().await;
    assert!(total > PAGE_SIZE, "the emulator has more than one page");
    assert_eq!(page.rows.len(), PAGE_SIZE as usize);
    assert_eq!(page.total, total);
    assert_eq!(page.next, Some(PAGE_SIZE));
    assert_eq!(page.dropped, 0);
    assert!(page.rows.iter().all(|r| r.started.is_some()));
    // Newest first: STARTED DESC (then ID DESC).
    let started: Vec<i64> = page
        .rows
        .iter()
        .filter_map(|r| r.started.map(|t| t.unix_s))
        .collect();
    assert!(
        started.windows(2).all(|w| w[0] >= w[1]),
        "sorted STARTED DESC"
    );
    assert_eq!(auth.refreshes.get(), 0);
}

#[wasm_bindgen_test]
async fn sends_the_token_in_the_body_and_no_authorization_header() {
    knobs(json!({})).await;
    let auth = FakeAuth::new().await;
    let before = rest_log_len().await;
    client(&auth)
        .list_workflows(&InstancesQuery::default())
        .await
        .expect("the first page");
    let log = rest_log_since(before).await;
    assert_eq!(log.len(), 1, "one request: {log:?}");
    let entry = &log[0];
    assert_eq!(entry["method"], json!(INSTANCES_METHOD));
    assert_eq!(
        entry["auth_source"],
        json!("auth"),
        "the token came in the `auth` param"
    );
    assert_eq!(entry["authorization_header"], json!(false));
    assert_eq!(
        entry["custom_headers"],
        json!([]),
        "only CORS-allowed headers"
    );
    let content_type = entry["content_type"].as_str().unwrap_or_default();
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    assert_eq!(entry["status"], json!(200));
    // The emulator saw the parameters the app meant, in order.
    assert_eq!(
        entry["params"]["order"].to_string(),
        r#"{"STARTED":"DESC","ID":"DESC"}"#
    );
    assert_eq!(entry["params"]["start"], json!(0));
    // It came from the test page: a real cross-origin request that passed CORS.
    let page_origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .expect("the page origin");
    assert_eq!(entry["origin"], json!(page_origin));
    assert_ne!(page_origin, portal_origin());
}

#[wasm_bindgen_test]
async fn an_expired_token_is_refreshed_once_and_the_call_replayed_once() {
    knobs(json!({})).await;
    let auth = FakeAuth::new().await;
    expire_all_tokens().await;
    let before = rest_log_len().await;
    let page = client(&auth)
        .list_workflows(&InstancesQuery::default())
        .await
        .expect("the page, after one refresh");
    assert_eq!(page.rows.len(), PAGE_SIZE as usize);
    assert_eq!(auth.refreshes.get(), 1);
    let calls: Vec<(Value, Value)> = rest_log_since(before)
        .await
        .into_iter()
        .filter(|e| e["method"] == json!(INSTANCES_METHOD))
        .map(|e| (e["status"].clone(), e["error"].clone()))
        .collect();
    assert_eq!(
        calls,
        [
            (json!(401), json!("expired_token")),
            (json!(200), Value::Null)
        ]
    );
}

#[wasm_bindgen_test]
async fn a_second_auth_failure_is_returned_after_one_refresh() {
    knobs(json!({})).await;
    let auth = Rc::new(FakeAuth {
        current: RefCell::new(mint().await),
        refreshes: Cell::new(0),
        expire_after_refresh: true,
    });
    expire_all_tokens().await;
    let before = rest_log_len().await;
    let err = client(&auth)
        .list_workflows(&InstancesQuery::default())
        .await
        .expect_err("the renewed token is dead too");
    assert!(
        matches!(
            err,
            RestError::Portal(PortalError {
                code: ErrorCode::ExpiredToken,
                ..
            })
        ),
        "{err:?}"
    );
    assert_eq!(auth.refreshes.get(), 1);
    let instances_calls = rest_log_since(before)
        .await
        .iter()
        .filter(|e| e["method"] == json!(INSTANCES_METHOD))
        .count();
    assert_eq!(instances_calls, 2, "the call and exactly one replay");
}

#[wasm_bindgen_test]
async fn a_non_admin_gets_the_typed_access_denied() {
    knobs(json!({"non_admin": true})).await;
    // Tokens belong to users: mint after switching to the non-admin user.
    let auth = FakeAuth::new().await;
    let result = client(&auth)
        .list_workflows(&InstancesQuery::default())
        .await;
    knobs(json!({})).await;
    let err = result.expect_err("admins only");
    assert!(
        matches!(
            err,
            RestError::Portal(PortalError {
                code: ErrorCode::AccessDenied,
                ..
            })
        ),
        "{err:?}"
    );
    assert_eq!(err.code(), Some("ACCESS_DENIED"));
    assert_eq!(
        err.to_string(),
        "Only portal administrators can view running workflows."
    );
    assert_eq!(auth.refreshes.get(), 0);
}

#[wasm_bindgen_test]
async fn a_batch_reads_two_pages_in_one_request() {
    knobs(json!({})).await;
    let auth = FakeAuth::new().await;
    let first = InstancesQuery::default();
    let request = BatchRequest::new(
        false,
        vec![
            BatchCommand::indexed(0, INSTANCES_METHOD, first.to_params()),
            BatchCommand::indexed(1, INSTANCES_METHOD, first.at(PAGE_SIZE).to_params()),
        ],
    )
    .expect("a valid batch");
    let before = rest_log_len().await;
    let answer = client(&auth).batch(&request).await.expect("the batch");
    let page = |key: &str| {
        let raw = answer
            .get(key)
            .and_then(|o| o.as_ref().ok())
            .unwrap_or_else(|| panic!("{key}: {:?}", answer.get(key)));
        workflow_monitor::domain::methods::instances::WorkflowPage::from_raw(raw).expect("a page")
    };
    let (p0, p1) = (page("c0"), page("c1"));
    assert_eq!((p0.rows.len(), p1.rows.len()), (50, 50));
    assert_eq!(p0.next, Some(50));
    assert!(
        p0.rows.iter().all(|a| p1.rows.iter().all(|b| a.id != b.id)),
        "two different pages"
    );
    let log = rest_log_since(before).await;
    let batch: Vec<&Value> = log
        .iter()
        .filter(|e| e["method"] == json!("batch"))
        .collect();
    assert_eq!(batch.len(), 1);
    assert_eq!(
        batch[0]["batch_methods"],
        json!([INSTANCES_METHOD, INSTANCES_METHOD])
    );
}

#[wasm_bindgen_test]
async fn a_slow_portal_is_aborted_with_a_typed_timeout() {
    knobs(json!({"latency_ms": 2000})).await;
    let auth = FakeAuth::new().await;
    let result = client(&auth)
        .with_timeout_ms(300)
        .with_retry_policy(send_once())
        .list_workflows(&InstancesQuery::default())
        .await;
    knobs(json!({})).await;
    assert_eq!(result, Err(RestError::Timeout { after_ms: 300 }));
}

#[wasm_bindgen_test]
async fn an_unreachable_portal_is_a_network_error() {
    knobs(json!({})).await;
    let auth = FakeAuth::new().await;
    let nowhere = Portal {
        // Nothing listens on the discard port; Chromium may also refuse it
        // as an unsafe port. Either way the request never gets an answer.
        host: Host::parse("127.0.0.1:9").expect("host"),
        https: false,
        rest_path: "/rest".to_owned(),
    };
    let err = RestClient::new(nowhere, Rc::new(Handle(Rc::clone(&auth))))
        .with_retry_policy(send_once())
        .call("app.info", Value::Null)
        .await
        .expect_err("nobody answers");
    assert!(matches!(err, RestError::Network { .. }), "{err:?}");
    assert!(err.is_retryable());
}
