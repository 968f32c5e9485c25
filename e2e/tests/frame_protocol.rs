//! The portal page speaks the parent side of the frame protocol as Bitrix24
//! does (fact sheet §4.1, §4.2), proven in headless Chromium with a probe
//! app that sends raw messages and records every reply.

use e2e::portal_emulator::state::now_ms;
use e2e::{config_serving, fixture, wait_for, Harness, HarnessError, Result};
use portal_emulator::Config;
use serde_json::{json, Value};

/// Starts the emulator serving the probe app, opens the portal page and
/// waits for the probe's own handshake; returns its init data.
async fn open_probe(label: &str, edit: impl FnOnce(&mut Config)) -> Result<(Harness, Value)> {
    let mut config = config_serving(&fixture("probe-app"));
    edit(&mut config);
    let h = Harness::start(label, config).await?;
    h.portal().open().await?;
    let init = h.portal().probe().wait_ready().await?;
    Ok((h, init))
}

fn portal_host(h: &Harness) -> String {
    h.emulator.portal_addr.to_string()
}

/// The log entry of the first message whose data contains `needle`.
async fn log_entry_with(h: &Harness, needle: &str) -> Result<Value> {
    let needle = needle.to_owned();
    h.portal()
        .wait_log_entry(&format!("a frame-log entry with {needle}"), move |e| {
            e["data"].as_str().is_some_and(|d| d.contains(&needle))
        })
        .await
}

fn assert_refused(entry: &Value, reason: &str) {
    assert_eq!(entry["accepted"], false, "{entry}");
    assert_eq!(entry["reason"], reason, "{entry}");
    assert_eq!(entry["replied"], false, "{entry}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn handshake_returns_every_init_data_field() -> Result<()> {
    let (h, init) = open_probe("handshake", |_| {}).await?;
    let page = h.portal();

    assert_eq!(init["LANG"], "en");
    assert_eq!(init["DOMAIN"], json!(portal_host(&h)));
    assert_eq!(init["PROTOCOL"], json!(0), "PROTOCOL is a number");
    assert_eq!(init["PATH"], "/rest");
    assert_eq!(init["AUTH_EXPIRES"], "3600", "AUTH_EXPIRES is a string");
    assert_eq!(init["IS_ADMIN"], true);
    assert_eq!(init["INSTALL"], false);
    assert_eq!(init["FIRST_RUN"], true);
    assert_eq!(init["USER_OPTIONS"], json!([]));
    assert_eq!(init["APP_OPTIONS"], json!([]));
    assert_eq!(init["PLACEMENT"], "DEFAULT");
    assert_eq!(init["PLACEMENT_OPTIONS"], json!([]));
    let member_id = init["MEMBER_ID"].as_str().unwrap_or_default();
    assert_eq!(member_id.len(), 32);
    assert!(init["REFRESH_ID"].as_str().is_some_and(|r| !r.is_empty()));
    let token = init["AUTH_ID"].as_str().unwrap_or_default();
    assert_eq!(
        h.emulator.state.tokens().check(Some(token), now_ms()),
        Ok(1),
        "AUTH_ID is a live token of the admin"
    );

    // The iframe name carries the same host and this render's SID.
    let name = page.frame_name().await?;
    let sid = page.app_sid().await?;
    assert_eq!(name, format!("{}|0|{sid}", portal_host(&h)));

    // FIRST_RUN is cleared once answered.
    let again = page
        .probe()
        .call("getInitData", None, "second", 5000)
        .await?
        .ok_or_else(|| HarnessError::Unexpected("no second init".into()))?;
    assert_eq!(again["FIRST_RUN"], false);

    // b24jssdk's form drops the empty params segment: "getInitData:<cb>:<sid>".
    page.probe()
        .send_raw(json!(format!("getInitData:short-form:{sid}")))
        .await?;
    let short = wait_for("the reply to the short form", || async {
        let received = page.probe().received().await?;
        Ok(received
            .into_iter()
            .find(|m| m["callbackId"] == "short-form"))
    })
    .await?;
    assert_eq!(short["payload"]["AUTH_ID"], json!(token));
    assert_eq!(short["origin"], json!(h.emulator.portal_url()));

    // The log never shows a token.
    let log = serde_json::to_string(&page.frame_log().await?).unwrap_or_default();
    assert!(log.contains("getInitData"));
    assert!(
        !log.contains(token),
        "the frame log leaked the access token"
    );
    h.finish().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replies_only_when_a_callback_id_is_given() -> Result<()> {
    let (h, _) = open_probe("no-callback", |_| {}).await?;
    let page = h.portal();
    let probe = page.probe();
    let before = probe.received().await?.len();

    probe
        .send(
            "setTitle",
            Some(json!({"title": "Set without a callback"})),
            "",
        )
        .await?;
    wait_for("the new title", || async {
        Ok((page.heading().await? == "Set without a callback").then_some(()))
    })
    .await?;
    probe.barrier("after-silent").await?;

    let received = probe.received().await?;
    assert_eq!(
        received.len(),
        before + 1,
        "only the barrier was answered: {received:?}"
    );
    let entry = log_entry_with(&h, "Set without a callback").await?;
    assert_eq!(entry["accepted"], true);
    assert_eq!(entry["replied"], false);
    h.finish().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_params_may_contain_colons() -> Result<()> {
    let (h, _) = open_probe("colons", |_| {}).await?;
    let page = h.portal();
    let title = "Deals: 12:30 at http://example.com:8080/a:b";
    let reply = page
        .probe()
        .call(
            "setTitle",
            Some(json!({"title": title})),
            "colon-title",
            5000,
        )
        .await?;
    assert_eq!(
        reply,
        Some(json!({"title": title})),
        "the echo survives ':'"
    );
    assert_eq!(page.heading().await?, title);
    assert_eq!(page.document_title().await?, title);

    let value = json!({"name": "filter", "value": "{\"a\":\"b:c\"}"});
    let reply = page
        .probe()
        .call("setUserOption", Some(value.clone()), "colon-option", 5000)
        .await?;
    assert_eq!(reply, Some(value));
    h.finish().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refuses_a_wrong_app_sid_silently() -> Result<()> {
    let (h, _) = open_probe("wrong-sid", |_| {}).await?;
    let page = h.portal();
    let probe = page.probe();
    let wrong = "0123456789abcdef0123456789abcdef";
    probe
        .send_raw(json!(format!("getInitData::cb-wrong-sid:{wrong}")))
        .await?;
    let entry = log_entry_with(&h, "cb-wrong-sid").await?;
    assert_refused(&entry, "wrong APP_SID");
    assert_eq!(entry["command"], "getInitData");
    probe.barrier("after-wrong-sid").await?;
    assert!(!probe.got_reply("cb-wrong-sid").await?);
    h.finish().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refuses_data_that_is_not_a_string() -> Result<()> {
    let (h, _) = open_probe("not-string", |_| {}).await?;
    let page = h.portal();
    let probe = page.probe();
    let sid = page.app_sid().await?;
    probe
        .send_raw(json!({"command": "getInitData", "callback": "cb-object", "sid": sid}))
        .await?;
    let entry = log_entry_with(&h, "cb-object").await?;
    assert_refused(&entry, "not a string");
    probe.barrier("after-object").await?;
    assert!(!probe.got_reply("cb-object").await?);
    h.finish().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refuses_messages_from_other_origins_and_logs_them_on_the_server() -> Result<()> {
    let (h, _) = open_probe("foreign", |_| {}).await?;
    let page = h.portal();
    let probe = page.probe();
    let sid = page.app_sid().await?;

    // A frame of another origin (localhost instead of 127.0.0.1: same
    // server, different origin) that knows the SID.
    let foreign = format!(
        "http://localhost:{}/foreign.html#sid={sid}&cb=cb-foreign",
        h.emulator.app_addr.port()
    );
    page.in_app(
        "window.probe.foreign(arguments[0]); return true;",
        vec![json!(foreign)],
    )
    .await?;
    let entry = log_entry_with(&h, "cb-foreign").await?;
    assert_refused(&entry, "wrong origin");
    assert_eq!(
        entry["origin"],
        json!(format!("http://localhost:{}", h.emulator.app_addr.port()))
    );

    // The portal page itself is not the app either.
    h.js(
        "window.postMessage('getInitData::cb-self:' + arguments[0], '*'); return true;",
        vec![json!(sid)],
    )
    .await?;
    let entry = log_entry_with(&h, "cb-self").await?;
    assert_refused(&entry, "wrong origin");

    probe.barrier("after-foreign").await?;
    assert!(!probe.got_reply("cb-foreign").await?);
    assert!(!probe.got_reply("cb-self").await?);

    // Every entry also reached the emulator (`/_emulator/frame-log`).
    let server_log = wait_for("the refusals in the server's frame log", || async {
        let log = h.control.frame_log().await?;
        let both = ["cb-foreign", "cb-self"].iter().all(|cb| {
            log.iter().any(|e| {
                e["data"].as_str().is_some_and(|d| d.contains(cb)) && e["reason"] == "wrong origin"
            })
        });
        Ok(both.then_some(log))
    })
    .await?;
    assert!(server_log
        .iter()
        .any(|e| e["command"] == "getInitData" && e["accepted"] == true));
    h.finish().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_commands_get_no_reply() -> Result<()> {
    let (h, _) = open_probe("unknown", |_| {}).await?;
    let page = h.portal();
    let probe = page.probe();
    probe
        .send("fetchSecrets", Some(json!({"x": 1})), "cb-unknown")
        .await?;
    let entry = log_entry_with(&h, "cb-unknown").await?;
    assert_refused(&entry, "unknown command");
    assert_eq!(entry["command"], "fetchSecrets");
    probe.barrier("after-unknown").await?;
    assert!(!probe.got_reply("cb-unknown").await?);

    let interface = probe
        .call("getInterface", None, "interface", 5000)
        .await?
        .unwrap_or(Value::Null);
    let commands = interface["command"].as_array().cloned().unwrap_or_default();
    for c in [
        "getInitData",
        "refreshAuth",
        "resizeWindow",
        "setTitle",
        "openPath",
    ] {
        assert!(commands.contains(&json!(c)), "getInterface lacks {c}");
    }
    assert!(!commands.contains(&json!("fetchSecrets")));
    assert_eq!(interface["event"], json!([]));
    h.finish().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resize_window_really_resizes_the_frame() -> Result<()> {
    let (h, _) = open_probe("resize", |_| {}).await?;
    let page = h.portal();
    for height in [1234.0, 640.0] {
        let reply = page
            .probe()
            .call(
                "resizeWindow",
                Some(json!({"width": "100%", "height": height})),
                &format!("resize-{height}"),
                5000,
            )
            .await?
            .ok_or_else(|| HarnessError::Unexpected("no resize reply".into()))?;
        assert_eq!(reply["height"].as_f64(), Some(height), "{reply}");
        let actual = page.frame_height().await?;
        assert!(
            (actual - height).abs() < 1.0,
            "frame is {actual}px, not {height}px"
        );
    }
    h.finish().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn set_title_changes_the_heading_and_the_tab_title() -> Result<()> {
    let (h, _) = open_probe("title", |_| {}).await?;
    let page = h.portal();
    assert_eq!(page.heading().await?, "Workflow Monitor");
    let reply = page
        .probe()
        .call(
            "setTitle",
            Some(json!({"title": "Running workflows (2,500)"})),
            "t",
            5000,
        )
        .await?;
    assert_eq!(reply, Some(json!({"title": "Running workflows (2,500)"})));
    assert_eq!(page.heading().await?, "Running workflows (2,500)");
    assert_eq!(page.document_title().await?, "Running workflows (2,500)");
    h.finish().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn open_path_shows_the_deal_in_a_slider_and_reports_the_close() -> Result<()> {
    let (h, _) = open_probe("open-path", |_| {}).await?;
    let page = h.portal();
    let probe = page.probe();

    probe
        .send(
            "openPath",
            Some(json!({"path": "/crm/deal/details/1633/"})),
            "op-deal",
        )
        .await?;
    wait_for("the slider", || async {
        Ok(page.slider_is_open().await?.then_some(()))
    })
    .await?;
    let text = wait_for("the deal page in the slider", || async {
        let text = page.slider_text().await?;
        Ok(text.contains("Deal 1633").then_some(text))
    })
    .await?;
    assert!(
        !text.contains("Feed"),
        "the slider shows the page without the portal menu"
    );
    assert!(
        !probe.got_reply("op-deal").await?,
        "no answer before the slider closes"
    );

    page.close_slider().await?;
    let closed = probe
        .call("getInterface", None, "after-close", 5000)
        .await?;
    assert!(closed.is_some());
    let reply = probe.received().await?;
    let reply = reply
        .iter()
        .find(|m| m["callbackId"] == "op-deal")
        .ok_or_else(|| HarnessError::Unexpected("no reply after closing".into()))?;
    assert_eq!(reply["payload"], json!({"result": "close"}));

    // b24jssdk's trick: an allowed prefix followed by dot segments the
    // browser resolves (§1.7).
    let sdk_path = "/crm/type/0/details/0/../../../../../crm/deal/details/77/?IFRAME=Y&IFRAME_TYPE=SIDE_SLIDER";
    probe
        .send("openPath", Some(json!({"path": sdk_path})), "op-sdk")
        .await?;
    wait_for("the SDK-style path in the slider", || async {
        if !page.slider_is_open().await? {
            return Ok(None);
        }
        Ok(page.slider_text().await?.contains("Deal 77").then_some(()))
    })
    .await?;
    page.close_slider().await?;

    for (path, cb) in [
        ("crm/deal/details/1633/", "op-relative"),
        ("https://evil.example/crm/deal/details/1/", "op-absolute"),
        ("/bizproc/processes/", "op-not-allowed"),
    ] {
        let reply = probe
            .call("openPath", Some(json!({"path": path})), cb, 5000)
            .await?;
        assert_eq!(
            reply,
            Some(json!({"result": "error", "errorCode": "PATH_NOT_AVAILABLE"})),
            "{path}"
        );
    }
    assert!(!page.slider_is_open().await?);
    h.finish().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_options_survive_a_reload_and_first_run_ends_with_set_install() -> Result<()> {
    let (h, init) = open_probe("user-option", |_| {}).await?;
    assert_eq!(init["FIRST_RUN"], true);
    let page = h.portal();
    let first_sid = page.app_sid().await?;
    let reply = page
        .probe()
        .call(
            "setUserOption",
            Some(json!({"name": "columns", "value": "ID,STARTED,TEMPLATE_ID"})),
            "save-columns",
            5000,
        )
        .await?;
    assert_eq!(
        reply,
        Some(json!({"name": "columns", "value": "ID,STARTED,TEMPLATE_ID"}))
    );
    let reply = page
        .probe()
        .call(
            "setInstall",
            Some(json!({"install": true})),
            "install",
            5000,
        )
        .await?;
    assert_eq!(reply, Some(json!({"install": true})));

    page.reload().await?;
    let init = page.probe().wait_ready().await?;
    assert_ne!(
        page.app_sid().await?,
        first_sid,
        "a new render has a new APP_SID"
    );
    assert_eq!(
        init["USER_OPTIONS"],
        json!({"columns": "ID,STARTED,TEMPLATE_ID"})
    );
    assert_eq!(init["FIRST_RUN"], false);
    assert_eq!(init["APP_OPTIONS"], json!([]));
    h.finish().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn app_options_are_saved_for_admins_and_silently_ignored_for_others() -> Result<()> {
    let (h, _) = open_probe("app-option-admin", |_| {}).await?;
    let page = h.portal();
    let reply = page
        .probe()
        .call(
            "setAppOption",
            Some(json!({"name": "mode", "value": "strict"})),
            "app-opt",
            5000,
        )
        .await?;
    assert_eq!(
        reply,
        Some(json!({"mode": "strict"})),
        "replies with all app options"
    );
    page.reload().await?;
    let init = page.probe().wait_ready().await?;
    assert_eq!(init["APP_OPTIONS"], json!({"mode": "strict"}));
    h.finish().await?;

    let (h, init) = open_probe("app-option-user", |c| c.non_admin = true).await?;
    assert_eq!(init["IS_ADMIN"], false);
    let page = h.portal();
    let probe = page.probe();
    probe
        .send(
            "setAppOption",
            Some(json!({"name": "mode", "value": "loose"})),
            "app-opt-denied",
        )
        .await?;
    let entry = log_entry_with(&h, "app-opt-denied").await?;
    assert_refused(&entry, "denied: not admin");
    probe.barrier("after-denied").await?;
    assert!(!probe.got_reply("app-opt-denied").await?);
    assert!(h.emulator.state.options().app.is_empty());
    h.finish().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refresh_auth_hands_out_a_new_live_token() -> Result<()> {
    let (h, init) = open_probe("refresh", |_| {}).await?;
    let page = h.portal();
    let old = init["AUTH_ID"].as_str().unwrap_or_default().to_owned();
    h.control
        .post("/_emulator/expire-tokens", &json!({}))
        .await
        .ok();
    let reply = page
        .probe()
        .call("refreshAuth", None, "refresh", 10_000)
        .await?
        .ok_or_else(|| HarnessError::Unexpected("no refreshAuth reply".into()))?;
    let new = reply["AUTH_ID"].as_str().unwrap_or_default().to_owned();
    assert!(!new.is_empty() && new != old);
    assert!(reply["REFRESH_ID"].as_str().is_some_and(|r| !r.is_empty()));
    assert_eq!(reply["AUTH_EXPIRES"].as_u64(), Some(3600));
    assert_eq!(h.emulator.state.tokens().check(Some(&new), now_ms()), Ok(1));

    let init = page
        .probe()
        .call("getInitData", None, "after-refresh", 5000)
        .await?
        .unwrap_or(Value::Null);
    assert_eq!(
        init["AUTH_ID"],
        json!(new),
        "getInitData hands out the refreshed token"
    );
    h.finish().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_frame_is_loaded_with_a_post_of_the_documented_fields() -> Result<()> {
    let mut config = config_serving(&fixture("probe-app"));
    config.lang = "de".to_owned();
    let h = Harness::start("post-mode", config).await?;
    h.portal()
        .open_with_query("?workflow=66e412fdc9bd44.36306599")
        .await?;
    let init = h.portal().probe().wait_ready().await?;
    let sid = h.portal().app_sid().await?;
    assert_eq!(init["LANG"], "de");
    assert_eq!(
        init["PLACEMENT_OPTIONS"],
        json!({"workflow": "66e412fdc9bd44.36306599"})
    );

    let requests = h.control.app_requests().await?;
    let load = requests
        .iter()
        .find(|r| r["path"] == "/")
        .ok_or_else(|| HarnessError::Unexpected(format!("no load of /: {requests:?}")))?;
    assert_eq!(load["method"], "POST");
    assert_eq!(
        load["query"],
        json!(format!(
            "DOMAIN={}&PROTOCOL=0&LANG=de&APP_SID={sid}",
            portal_host(&h).replace(':', "%3A")
        ))
    );
    let form = load["form"].as_array().cloned().unwrap_or_default();
    let names: Vec<&str> = form.iter().filter_map(|p| p[0].as_str()).collect();
    assert_eq!(
        names,
        [
            "AUTH_ID",
            "AUTH_EXPIRES",
            "REFRESH_ID",
            "SERVER_ENDPOINT",
            "APPLICATION_TOKEN",
            "APPLICATION_SCOPE",
            "member_id",
            "status",
            "PLACEMENT",
            "PLACEMENT_OPTIONS"
        ]
    );
    let value = |n: &str| {
        form.iter()
            .find(|p| p[0] == n)
            .and_then(|p| p[1].as_str())
            .unwrap_or_default()
            .to_owned()
    };
    let token = init["AUTH_ID"].as_str().unwrap_or_default();
    let tail = &token[token.len().saturating_sub(6)..];
    assert_eq!(
        value("AUTH_ID"),
        format!("[redacted …{tail}]"),
        "the same token as getInitData"
    );
    assert_eq!(value("AUTH_EXPIRES"), "3600");
    assert_eq!(value("APPLICATION_SCOPE"), "bizproc,user_brief,entity");
    assert_eq!(
        value("member_id"),
        init["MEMBER_ID"].as_str().unwrap_or_default()
    );
    assert_eq!(value("status"), "L");
    assert_eq!(value("PLACEMENT"), "DEFAULT");
    assert_eq!(
        serde_json::from_str::<Value>(&value("PLACEMENT_OPTIONS")).ok(),
        Some(json!({"workflow": "66e412fdc9bd44.36306599"}))
    );
    h.finish().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_static_app_is_loaded_with_get_and_still_handshakes() -> Result<()> {
    let (h, init) = open_probe("static", |c| c.static_app = true).await?;
    assert!(init["AUTH_ID"].as_str().is_some_and(|t| !t.is_empty()));
    let sid = h.portal().app_sid().await?;
    let requests = h.control.app_requests().await?;
    let loads: Vec<&Value> = requests.iter().filter(|r| r["path"] == "/").collect();
    assert_eq!(loads.len(), 1, "{requests:?}");
    assert_eq!(loads[0]["method"], "GET");
    assert!(loads[0]["query"]
        .as_str()
        .is_some_and(|q| q.ends_with(&format!("APP_SID={sid}"))));
    assert_eq!(loads[0]["form"], json!([]));
    h.finish().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reload_window_renders_the_portal_page_again() -> Result<()> {
    let (h, _) = open_probe("reload", |_| {}).await?;
    let page = h.portal();
    let first = page.app_sid().await?;
    page.probe().send("reloadWindow", None, "reload").await?;
    wait_for("a new render", || async {
        let sid = match page.app_sid().await {
            Ok(sid) => sid,
            Err(_) => return Ok(None),
        };
        Ok((sid != first).then_some(()))
    })
    .await?;
    page.wait_ready().await?;
    let init = page.probe().wait_ready().await?;
    assert_eq!(init["FIRST_RUN"], true, "setInstall was never sent");
    h.finish().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn install_finish_marks_the_app_installed_and_reloads_with_the_flag() -> Result<()> {
    let (h, _) = open_probe("install-finish", |_| {}).await?;
    let page = h.portal();
    page.probe()
        .send("setInstallFinish", None, "finish")
        .await?;
    wait_for("install_finished=Y in the portal URL", || async {
        let url = h.client.current_url().await?;
        Ok(url
            .query()
            .is_some_and(|q| q.contains("install_finished=Y"))
            .then_some(()))
    })
    .await?;
    assert!(h.emulator.state.options().installed);
    page.wait_ready().await?;
    let init = page.probe().wait_ready().await?;
    // The flag is an ordinary GET parameter of the page, so it reaches the app.
    assert_eq!(init["PLACEMENT_OPTIONS"], json!({"install_finished": "Y"}));
    h.finish().await
}
