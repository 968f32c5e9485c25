//! The frame client in a real browser, against a stand-in portal page.
//!
//! The test page is a top window, so the "portal" is a same-origin hidden
//! iframe whose window answers the way the fact sheet (§4.2) says a portal
//! page does: it reads `command:JSON:callback:SID`, checks the SID, and
//! replies `callback:JSON` to the sender for the app's origin. The client
//! is pointed at it with `FrameClient::with_parent`.
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use futures::future::{join, join3, select, Either};
use gloo_timers::future::TimeoutFuture;
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;
use workflow_monitor::domain::frame::{Command, FrameName, UserOption};
use workflow_monitor::domain::methods::session::SessionError;
use workflow_monitor::portal::{FrameClient, FrameError};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = r#"
// A stand-in portal page in a hidden same-origin iframe.
export function install_portal(sid, initJson) {
  const frame = document.createElement('iframe');
  frame.style.display = 'none';
  document.body.appendChild(frame);
  const portal = {
    frame, window: frame.contentWindow, log: [], held: [], refreshes: 0,
    refreshDelay: 50, refreshSilent: false,
  };
  const init = JSON.parse(initJson);
  portal.window.addEventListener('message', (event) => {
    // The parent's own checks (§4.2): origin, string, SID.
    if (event.origin !== location.origin || typeof event.data !== 'string') { return; }
    const r = event.data.split(':');
    const len = r.length;
    const msg = {
      raw: event.data, command: r[0], params: r.slice(1, len - 2).join(':'),
      callback: r[len - 2], sid: r[len - 1],
    };
    portal.log.push(msg);
    if (msg.sid !== sid) { return; }
    const args = msg.params ? JSON.parse(msg.params) : {};
    const source = event.source;
    const reply = (result) => {
      if (msg.callback) { source.postMessage(msg.callback + ':' + JSON.stringify(result), location.origin); }
    };
    switch (msg.command) {
      case 'getInitData': reply(init); break;
      case 'refreshAuth': {
        if (portal.refreshSilent) { break; }
        const n = ++portal.refreshes;
        setTimeout(() => reply({ AUTH_ID: 'fresh-' + n, AUTH_EXPIRES: '3600', REFRESH_ID: 'r' + n }), portal.refreshDelay);
        break;
      }
      case 'resizeWindow': reply({ width: 800, height: Number(args.height) }); break;
      case 'openPath': {
        // The tests' answered command: held until released, late, or echoed.
        const { hold, delay, ...rest } = args;
        if (hold) { portal.held.push(() => reply(rest)); }
        else if (delay) { setTimeout(() => reply(rest), delay); }
        else { reply(rest); }
        break;
      }
      default: break; // refused (setInstallFinish for a non-admin) or unknown: no reply at all
    }
  });
  return portal;
}

export function portal_window(portal) { return portal.window; }
export function remove_portal(portal) { portal.frame.remove(); }
export function sent_messages(portal) { return portal.log.map((m) => m.raw); }
export function held_count(portal) { return portal.held.length; }
export function release_held(portal, index) { portal.held[index](); }
export function silence_refresh(portal) { portal.refreshSilent = true; }
export function callback_of(portal, index) { return portal.log[index].callback; }

// Messages a portal would never send, or that come from elsewhere.
export function dispatch_foreign_origin(data) {
  window.dispatchEvent(new MessageEvent('message', { data, origin: 'https://evil.example' }));
}
export function dispatch_plain_event() { window.dispatchEvent(new Event('message')); }
export function post_object(callback) {
  window.postMessage({ callback, result: { forged: true } }, location.origin);
}
export function post_same_origin(data) { window.postMessage(data, location.origin); }
// A real cross-origin message: a sandboxed frame has an opaque origin ("null").
export function post_from_sandbox(data) {
  const frame = document.createElement('iframe');
  frame.style.display = 'none';
  frame.setAttribute('sandbox', 'allow-scripts');
  const literal = JSON.stringify(data).replace(/</g, '\\u003c');
  frame.srcdoc = '<script>parent.postMessage(' + literal + ', "*");<\/script>';
  document.body.appendChild(frame);
  setTimeout(() => frame.remove(), 2000);
}

// Counts message listeners added to and removed from this window.
export function spy_on_listeners() {
  const spy = { added: 0, removed: 0 };
  const add = window.addEventListener;
  const remove = window.removeEventListener;
  window.addEventListener = function (type, listener, options) {
    if (type === 'message') { spy.added++; }
    return add.call(this, type, listener, options);
  };
  window.removeEventListener = function (type, listener, options) {
    if (type === 'message') { spy.removed++; }
    return remove.call(this, type, listener, options);
  };
  spy.restore = () => { window.addEventListener = add; window.removeEventListener = remove; };
  return spy;
}
export function listeners_added(spy) { return spy.added; }
export function listeners_removed(spy) { return spy.removed; }
export function restore_listeners(spy) { spy.restore(); }

export function add_block(height) {
  const block = document.createElement('div');
  block.style.height = height + 'px';
  document.body.appendChild(block);
  return block;
}
export function remove_block(block) { block.remove(); }
"#)]
extern "C" {
    type Portal;
    type Spy;

    fn install_portal(sid: &str, init_json: &str) -> Portal;
    fn portal_window(portal: &Portal) -> web_sys::Window;
    fn remove_portal(portal: &Portal);
    fn sent_messages(portal: &Portal) -> Vec<String>;
    fn held_count(portal: &Portal) -> u32;
    fn release_held(portal: &Portal, index: u32);
    fn silence_refresh(portal: &Portal);
    fn callback_of(portal: &Portal, index: u32) -> String;

    fn dispatch_foreign_origin(data: &str);
    fn dispatch_plain_event();
    fn post_object(callback: &str);
    fn post_same_origin(data: &str);
    fn post_from_sandbox(data: &str);

    fn spy_on_listeners() -> Spy;
    fn listeners_added(spy: &Spy) -> u32;
    fn listeners_removed(spy: &Spy) -> u32;
    fn restore_listeners(spy: &Spy);

    fn add_block(height: u32) -> JsValue;
    fn remove_block(block: &JsValue);
}

// ------------------------------------------------------------- helpers --

/// A stand-in portal page; removed from the document when dropped.
struct FakePortal {
    portal: Portal,
    sid: String,
}

impl Drop for FakePortal {
    fn drop(&mut self) {
        remove_portal(&self.portal);
    }
}

fn page_host() -> String {
    web_sys::window()
        .expect("window")
        .location()
        .host()
        .expect("host")
}

fn init_data(host: &str) -> Value {
    json!({
        "LANG": "de", "DOMAIN": host, "PROTOCOL": 0, "PATH": "/rest",
        "AUTH_ID": "tok-1", "AUTH_EXPIRES": "3600", "REFRESH_ID": "ref-1",
        "MEMBER_ID": "m1", "FIRST_RUN": true, "IS_ADMIN": true, "INSTALL": false,
        "USER_OPTIONS": [], "APP_OPTIONS": {"a": "b:c"}, "PLACEMENT": "DEFAULT",
        "PLACEMENT_OPTIONS": ""
    })
}

fn open_portal_with(sid: &str, init: Value) -> FakePortal {
    FakePortal {
        portal: install_portal(sid, &init.to_string()),
        sid: sid.to_owned(),
    }
}

fn open_portal(sid: &str) -> FakePortal {
    open_portal_with(sid, init_data(&page_host()))
}

/// A client whose parent is the fake portal, for this page's origin.
fn connect(portal: &FakePortal) -> FrameClient {
    let name = format!("{}|0|{}", page_host(), portal.sid);
    let frame = FrameName::parse(&name).expect("frame name");
    FrameClient::with_parent(portal_window(&portal.portal), frame).expect("client")
}

fn sent(portal: &FakePortal) -> Vec<String> {
    sent_messages(&portal.portal)
}

fn sent_commands(portal: &FakePortal, command: &str) -> Vec<String> {
    let prefix = format!("{command}:");
    sent(portal)
        .into_iter()
        .filter(|m| m.starts_with(&prefix))
        .collect()
}

/// Splits a request the way the portal does: (command, params, callback, sid).
fn parse_request(msg: &str) -> (String, String, String, String) {
    let r: Vec<&str> = msg.split(':').collect();
    let len = r.len();
    (
        r[0].into(),
        r[1..len - 2].join(":"),
        r[len - 2].into(),
        r[len - 1].into(),
    )
}

async fn sleep(ms: u32) {
    TimeoutFuture::new(ms).await;
}

/// Waits (up to 3 s) for a condition instead of sleeping a fixed time.
async fn until(what: &str, condition: impl Fn() -> bool) {
    for _ in 0..300 {
        if condition() {
            return;
        }
        sleep(10).await;
    }
    panic!("timed out waiting for: {what}");
}

fn resize_heights(portal: &FakePortal) -> Vec<u64> {
    sent_commands(portal, "resizeWindow")
        .iter()
        .map(|m| {
            let (_, params, _, _) = parse_request(m);
            let params: Value = serde_json::from_str(&params).expect("params");
            assert_eq!(params["width"], json!("100%"));
            params["height"].as_u64().expect("height")
        })
        .collect()
}

const SECOND: Duration = Duration::from_secs(1);

// --------------------------------------------------------------- tests --

#[wasm_bindgen_test]
async fn handshake_reads_the_session_from_get_init_data() {
    let portal = open_portal("sid-hand");
    let client = connect(&portal);

    let session = client.init().await.expect("session");

    assert_eq!(session.portal.host.to_string(), page_host());
    assert!(!session.portal.https);
    assert_eq!(session.credentials.token.secret(), "tok-1");
    assert_eq!(session.lang, "de");
    assert!(session.is_admin && session.first_run && !session.install);
    assert_eq!(session.app_options["a"], json!("b:c"));
    assert_eq!(client.credentials(), session.credentials);
    until("two messages", || sent(&portal).len() == 2).await;
    let messages = sent(&portal);
    let (command, params, callback, sid) = parse_request(&messages[0]);
    assert_eq!(
        (command.as_str(), params.as_str(), sid.as_str()),
        ("getInitData", "{}", "sid-hand")
    );
    assert!(!callback.is_empty());
    // First run: the portal is told it is done, without asking for a reply.
    assert_eq!(
        messages[1..],
        [r#"setInstall:{"install":true}::sid-hand"#.to_owned()]
    );
    assert_eq!(client.pending_requests(), 0);
}

#[wasm_bindgen_test]
async fn handshake_refuses_init_data_naming_another_portal() {
    let mut init = init_data(&page_host());
    init["DOMAIN"] = json!("evil.example");
    let portal = open_portal_with("sid-evil", init);
    let client = connect(&portal);

    let result = client.init().await;

    assert!(
        matches!(
            result,
            Err(FrameError::BadAnswer(SessionError::DomainMismatch { .. }))
        ),
        "{result:?}"
    );
}

#[wasm_bindgen_test]
async fn replies_reach_only_the_request_they_answer() {
    let portal = open_portal("sid-one");
    let other_portal = open_portal("sid-two");
    let first = connect(&portal);
    let second = connect(&other_portal);

    let calls = join3(
        first.call(
            Command::OpenPath,
            Some(json!({"hold": true, "n": 1})),
            SECOND,
        ),
        first.call(
            Command::OpenPath,
            Some(json!({"hold": true, "n": 2})),
            SECOND,
        ),
        second.call(
            Command::OpenPath,
            Some(json!({"hold": true, "n": 3})),
            SECOND,
        ),
    );
    let answer_out_of_order = async {
        until("three held requests", || {
            held_count(&portal.portal) == 2 && held_count(&other_portal.portal) == 1
        })
        .await;
        release_held(&portal.portal, 1);
        release_held(&other_portal.portal, 0);
        release_held(&portal.portal, 0);
        // A well-formed reply to an id nobody is waiting for.
        post_same_origin("wm99_00000000000000000000000000000000:{\"n\":4}");
    };
    let ((a, b, c), ()) = join(calls, answer_out_of_order).await;

    assert_eq!(a, Ok(json!({"n": 1})));
    assert_eq!(b, Ok(json!({"n": 2})));
    assert_eq!(c, Ok(json!({"n": 3})));
    until("the stray reply to arrive", || {
        second.ignored_messages() == 3
    })
    .await;
    // Each client dropped the other's replies and the stray one.
    assert_eq!(first.ignored_messages(), 2);
    assert_eq!(second.ignored_messages(), 3);
    assert_eq!(first.pending_requests() + second.pending_requests(), 0);
}

#[wasm_bindgen_test]
async fn ignores_foreign_origins_non_strings_and_malformed_replies() {
    let portal = open_portal("sid-hostile");
    let client = connect(&portal);

    let call = client.call(
        Command::OpenPath,
        Some(json!({"hold": true, "real": true})),
        3 * SECOND,
    );
    let attack_then_answer = async {
        until("the held request", || held_count(&portal.portal) == 1).await;
        let callback = callback_of(&portal.portal, 0);
        let forged = format!("{callback}:{{\"forged\":true}}");
        dispatch_foreign_origin(&forged);
        dispatch_plain_event();
        post_object(&callback);
        post_from_sandbox(&forged);
        post_same_origin(&format!("{callback}:not json"));
        until("five ignored messages", || client.ignored_messages() == 5).await;
        assert_eq!(
            client.pending_requests(),
            1,
            "still waiting for the real reply"
        );
        release_held(&portal.portal, 0);
    };
    let (result, ()) = join(call, attack_then_answer).await;

    assert_eq!(result, Ok(json!({"real": true})));
    assert_eq!(client.ignored_messages(), 5);
}

#[wasm_bindgen_test]
async fn a_command_without_answer_times_out_and_a_late_reply_is_ignored() {
    let portal = open_portal("sid-late");
    let client = connect(&portal);

    let started = js_sys::Date::now();
    let refused = client
        .call(Command::SetInstallFinish, None, Duration::from_millis(100))
        .await;
    let waited = js_sys::Date::now() - started;
    assert_eq!(
        refused,
        Err(FrameError::Timeout {
            command: Command::SetInstallFinish
        })
    );
    assert!((90.0..1000.0).contains(&waited), "waited {waited} ms");
    assert_eq!(client.pending_requests(), 0);

    let late = client
        .call(
            Command::OpenPath,
            Some(json!({"delay": 300})),
            Duration::from_millis(100),
        )
        .await;
    assert_eq!(
        late,
        Err(FrameError::Timeout {
            command: Command::OpenPath
        })
    );
    assert_eq!(client.pending_requests(), 0, "the timeout cleans up");
    until("the late reply", || client.ignored_messages() == 1).await;

    // The client still works afterwards.
    let echoed = client
        .call(Command::OpenPath, Some(json!({"x": "a:b"})), SECOND)
        .await;
    assert_eq!(echoed, Ok(json!({"x": "a:b"})));
}

#[wasm_bindgen_test]
async fn concurrent_refreshes_share_one_refresh_auth_message() {
    let portal = open_portal("sid-refresh");
    let client = connect(&portal);

    let (a, b, c) = join3(
        client.refresh_auth(),
        client.refresh_auth(),
        client.refresh_auth(),
    )
    .await;

    let a = a.expect("refreshed");
    assert_eq!(a.token.secret(), "fresh-1");
    assert_eq!(b, Ok(a.clone()));
    assert_eq!(c, Ok(a.clone()));
    assert_eq!(sent_commands(&portal, "refreshAuth").len(), 1);
    assert_eq!(client.credentials(), a);

    // A refresh after the shared one has finished asks again.
    let next = client.refresh_auth().await.expect("refreshed again");
    assert_eq!(next.token.secret(), "fresh-2");
    assert_eq!(sent_commands(&portal, "refreshAuth").len(), 2);
    assert_eq!(client.pending_requests(), 0);
}

#[wasm_bindgen_test]
async fn a_silent_portal_makes_refresh_time_out_once_for_all_callers() {
    let portal = open_portal("sid-silent");
    silence_refresh(&portal.portal);
    let client = connect(&portal).with_refresh_timeout(Duration::from_millis(150));

    let (a, b) = join(client.refresh_auth(), client.refresh_auth()).await;

    assert_eq!(a, Err(FrameError::RefreshTimeout));
    assert_eq!(b, Err(FrameError::RefreshTimeout));
    assert_eq!(sent_commands(&portal, "refreshAuth").len(), 1);
    assert_eq!(client.pending_requests(), 0);
    assert!(FrameError::RefreshTimeout
        .to_string()
        .contains("Reload the page"));
}

#[wasm_bindgen_test]
async fn a_refresh_every_caller_dropped_is_abandoned() {
    let portal = open_portal("sid-dropped");
    silence_refresh(&portal.portal);
    let client = connect(&portal);

    match select(Box::pin(client.refresh_auth()), Box::pin(sleep(30))).await {
        Either::Left(_) => panic!("a silent portal cannot answer"),
        Either::Right(_) => {}
    }

    assert_eq!(
        client.pending_requests(),
        0,
        "the dropped refresh left no pending id"
    );
    let again = select(Box::pin(client.refresh_auth()), Box::pin(sleep(30))).await;
    assert!(matches!(again, Either::Right(_)));
    assert_eq!(
        sent_commands(&portal, "refreshAuth").len(),
        2,
        "a new caller starts a new refresh"
    );
}

#[wasm_bindgen_test]
async fn resize_and_user_options_are_sent_without_waiting_for_a_reply() {
    let portal = open_portal("sid-resize");
    let client = connect(&portal);

    client.resize_window(480).expect("sent");
    client
        .set_user_option(UserOption::Theme, &json!("dark"))
        .expect("sent");

    until("two messages", || sent(&portal).len() == 2).await;
    let messages = sent(&portal);
    let (command, params, callback, sid) = parse_request(&messages[0]);
    assert_eq!(
        (command.as_str(), callback.as_str(), sid.as_str()),
        ("resizeWindow", "", "sid-resize")
    );
    assert_eq!(
        serde_json::from_str::<Value>(&params).ok(),
        Some(json!({"width": "100%", "height": 480}))
    );
    let (command, params, callback, _) = parse_request(&messages[1]);
    assert_eq!((command.as_str(), callback.as_str()), ("setUserOption", ""));
    assert_eq!(
        serde_json::from_str::<Value>(&params).ok(),
        Some(json!({"name": "wm_theme", "value": "dark"}))
    );
    assert_eq!(client.pending_requests(), 0);
    sleep(50).await;
    assert_eq!(
        client.ignored_messages(),
        0,
        "no reply came back to be ignored"
    );
}

#[wasm_bindgen_test]
async fn keep_fitted_follows_the_content_height_until_dropped() {
    let portal = open_portal("sid-fit");
    let client = connect(&portal);

    let guard = client.keep_fitted();
    until("the first fit", || !resize_heights(&portal).is_empty()).await;

    let tall = add_block(2000);
    until("the frame to grow", || {
        resize_heights(&portal).last().is_some_and(|h| *h >= 2000)
    })
    .await;
    let grown = resize_heights(&portal).len();

    // Many changes in one task: one measurement, one message.
    let blocks: Vec<JsValue> = (0..10).map(|_| add_block(10)).collect();
    until("the frame to grow again", || {
        resize_heights(&portal).len() > grown
    })
    .await;
    sleep(100).await;
    assert_eq!(resize_heights(&portal).len(), grown + 1);
    let heights = resize_heights(&portal);
    assert_eq!(heights[grown] - heights[grown - 1], 100);

    // Asked to refit between changes in one task: still one message, the
    // next animation frame's.
    let before = resize_heights(&portal).len();
    let refitted: Vec<JsValue> = (0..3)
        .map(|_| {
            let block = add_block(10);
            guard.refit();
            block
        })
        .collect();
    until("the refit", || resize_heights(&portal).len() > before).await;
    sleep(100).await;
    assert_eq!(resize_heights(&portal).len(), before + 1);
    assert_eq!(resize_heights(&portal)[before] - heights[grown], 30);

    // Asked to refit with nothing changed: nothing is sent.
    guard.refit();
    guard.refit();
    sleep(100).await;
    assert_eq!(resize_heights(&portal).len(), before + 1);

    remove_block(&tall);
    blocks.iter().chain(&refitted).for_each(remove_block);
    until("the frame to shrink", || {
        resize_heights(&portal).last().is_some_and(|h| *h < 2000)
    })
    .await;
    let heights = resize_heights(&portal);
    assert!(
        heights.windows(2).all(|w| w[0] != w[1]),
        "never the same height twice: {heights:?}"
    );

    drop(guard);
    let sent_before = heights.len();
    let after_drop = add_block(3000);
    sleep(150).await;
    remove_block(&after_drop);
    assert_eq!(
        resize_heights(&portal).len(),
        sent_before,
        "stopped on drop"
    );
}

#[wasm_bindgen_test]
async fn one_listener_for_the_clients_life_removed_on_drop() {
    let portal = open_portal("sid-listener");
    let spy = spy_on_listeners();
    let client = connect(&portal);
    let copy = client.clone();

    for n in 0..5 {
        let echoed = copy
            .call(Command::OpenPath, Some(json!({ "n": n })), SECOND)
            .await;
        assert_eq!(echoed, Ok(json!({ "n": n })));
    }
    assert_eq!(listeners_added(&spy), 1);
    drop(client);
    assert_eq!(listeners_removed(&spy), 0, "a clone still uses it");
    drop(copy);
    assert_eq!(listeners_removed(&spy), 1);
    restore_listeners(&spy);

    // A reply arriving after the drop reaches no dropped closure.
    post_same_origin("wm1_00000000000000000000000000000000:{}");
    sleep(20).await;
}
