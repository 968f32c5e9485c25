//! Token lifetime, frame safety and content safety, in the app's release
//! build inside the emulator's portal page (issue 6). Each test would fail
//! without the feature it names: the token renewed ahead of its expiry, a
//! clear notice with Reload when the portal does not renew it, spoofed
//! frame messages ignored and counted, a hostile page that frames the app
//! getting nothing, and the Content-Security-Policy in effect.

use std::time::{Duration, Instant};

use e2e::app::{app_calls, app_dist, AppFrame};
use e2e::table::{list_queries, TablePage};
use e2e::{config_serving, wait_for, Harness, HarnessError, Result};
use portal_emulator::Config;
use serde_json::{json, Value};

fn config() -> Result<Config> {
    let mut config = config_serving(&app_dist()?);
    config.workflows = 120;
    Ok(config)
}

/// The app host's origin, `http://127.0.0.1:PORT`.
fn app_origin(h: &Harness) -> String {
    format!("http://{}", h.emulator.app_addr)
}

/// The frame-ignored counters the app publishes on its window.
async fn ignored(app: &AppFrame<'_>) -> Result<Value> {
    app.js("return window.__wmFrameIgnored || null;").await
}

/// Every URL the app frame fetched (scripts, styles, wasm, REST).
async fn fetched_urls(app: &AppFrame<'_>) -> Result<Vec<String>> {
    let v = app
        .js("return performance.getEntriesByType('resource').map(e => e.name);")
        .await?;
    Ok(serde_json::from_value(v).unwrap_or_default())
}

fn refresh_auths(log: &[Value]) -> Vec<&Value> {
    log.iter()
        .filter(|e| e["command"] == "refreshAuth")
        .collect()
}

// ---------------------------------------------------------------------------
// Token lifetime

#[tokio::test]
async fn renews_the_token_before_it_expires_so_no_call_is_refused() -> Result<()> {
    let mut config = config()?;
    // A 20 s token: renewed halfway, every 10 s.
    config.token_ttl = 20;
    let h = Harness::start("safety-ttl", config).await?;
    h.portal().open().await?;
    let app = AppFrame::of(&h);
    app.wait_rows(50).await?;
    // A minute of use: a refresh of the table every 5 s.
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(60) {
        tokio::time::sleep(Duration::from_secs(5)).await;
        app.click_button("Refresh").await?;
    }
    app.wait_rows(50).await?;
    let calls = app_calls(&h).await?;
    let refused: Vec<&Value> = calls.iter().filter(|c| c["status"] != 200).collect();
    assert!(
        refused.is_empty(),
        "no call may go out with an expired token: {refused:?}"
    );
    // List queries, alone or inside a batch (pages go out with their people).
    let lists: usize = calls.iter().map(|c| list_queries(c).len()).sum();
    assert!(lists >= 12, "the table was really used: {lists} list calls");
    let log = h.portal().frame_log().await?;
    let renewals = refresh_auths(&log);
    // 60 s of 20 s tokens renewed after 10 s: about six renewals.
    assert!(
        (4..=8).contains(&renewals.len()),
        "renewed ahead of time, not in a loop: {renewals:?}"
    );
    for r in &renewals {
        assert_eq!(r["accepted"], true, "{r}");
        assert_eq!(r["replied"], true, "{r}");
    }
    h.finish().await
}

#[tokio::test]
async fn a_renewal_the_portal_never_answers_offers_a_reload() -> Result<()> {
    let mut config = config()?;
    // A 12 s token: renewed after 6 s.
    config.token_ttl = 12;
    let h = Harness::start("safety-renewal", config).await?;
    h.portal().open().await?;
    let app = AppFrame::of(&h);
    app.wait_rows(50).await?;
    // The portal page's renewal request (`lazyload.ajax.php`
    // `action=access_refresh`) never comes back, so it never answers
    // refreshAuth, as a portal whose session hangs.
    h.js(
        "const fetchForReal = window.fetch;\
         window.fetch = function (url, init) {\
           if (init && String(init.body).indexOf('action=access_refresh') === 0) {\
             return new Promise(function () {});\
           }\
           return fetchForReal.apply(this, arguments);\
         };\
         return true;",
        vec![],
    )
    .await?;
    // Renewal after 6 s, then the 10 s the portal has to answer (the
    // page's wait is 20 s: it is asked twice).
    let needle = "The app's access to your portal could not be renewed";
    let text = match app.wait_text(needle).await {
        Err(HarnessError::Timeout(..)) => app.wait_text(needle).await?,
        other => other?,
    };
    let log = h.portal().frame_log().await?;
    let renewals = refresh_auths(&log);
    assert!(!renewals.is_empty(), "the app asked for a renewal");
    assert!(
        renewals.iter().all(|r| r["replied"] != true),
        "the portal never answered: {renewals:?}"
    );
    assert!(
        text.contains("did not renew the app's access token in time"),
        "{text}"
    );
    let alert = app
        .js(
            "const a = document.querySelector('.wm-renewal');\
             return a ? [a.getAttribute('role'), a.querySelector('button') && a.querySelector('button').textContent] : null;",
        )
        .await?;
    assert_eq!(alert, json!(["alert", "Reload"]));
    // Reload works: the portal page reloads (`reloadWindow`), its new
    // render hands the app a fresh token, and the notice is gone.
    let sid_before = h.portal().app_sid().await?;
    app.click_button("Reload").await?;
    wait_for("the app to boot again in a new portal page", || async {
        h.portal().wait_ready().await?;
        let booted = app
            .js("return !document.querySelector('.wm-renewal') && document.querySelectorAll('table tbody tr').length === 50;")
            .await;
        Ok(matches!(booted, Ok(v) if v == json!(true)).then_some(()))
    })
    .await?;
    assert_ne!(
        h.portal().app_sid().await?,
        sid_before,
        "a new portal render"
    );
    h.finish().await
}

// ---------------------------------------------------------------------------
// Frame safety

#[tokio::test]
async fn spoofed_frame_messages_are_ignored_and_counted() -> Result<()> {
    let h = Harness::start("safety-spoof", config()?).await?;
    h.portal().open().await?;
    let app = AppFrame::of(&h);
    app.wait_rows(50).await?;
    TablePage::of(&h).wait_names_filled().await?;
    assert_eq!(
        ignored(&app).await?,
        json!({"foreign_origin": 0, "not_a_string": 0, "malformed": 0,
               "unknown_callback": 0, "bad_json": 0, "total": 0}),
        "nothing ignored in normal use"
    );
    let forged_init = json!({"AUTH_ID": "forged-token", "DOMAIN": "evil.example",
                             "AUTH_EXPIRES": "3600", "PROTOCOL": 1})
    .to_string();
    // From the portal's own origin: an object, a string without a
    // callback id, and replies to ids the app never used.
    h.js(
        "const w = document.getElementById('app-frame').contentWindow;\
         const target = arguments[0];\
         w.postMessage({callbackId: 'wm1_0', AUTH_ID: 'forged-token'}, target);\
         w.postMessage('no callback id here', target);\
         w.postMessage('wm1_00000000000000000000000000000000:' + arguments[1], target);\
         w.postMessage('wm2_00000000000000000000000000000000:{\"AUTH_ID\":\"forged-token\"}', target);\
         return true;",
        vec![json!(app_origin(&h)), json!(forged_init)],
    )
    .await?;
    // From another origin (a data: frame in the portal page, origin
    // "null"): forged init data and an object.
    let index = h
        .js(
            "const frames = Array.from({length: window.length}, (_, i) => window[i]);\
             return frames.indexOf(document.getElementById('app-frame').contentWindow);",
            vec![],
        )
        .await?;
    let forged_reply = json!(format!(
        "wm1_00000000000000000000000000000000:{forged_init}"
    ));
    let script = format!(
        "const w = parent[{index}]; w.postMessage({forged_reply}, '*'); \
         w.postMessage({{AUTH_ID: 'forged-token'}}, '*');"
    );
    h.js(
        "const f = document.createElement('iframe');\
         f.src = 'data:text/html,' + encodeURIComponent('<script>' + arguments[0] + '</' + 'script>');\
         document.body.appendChild(f); return true;",
        vec![json!(script)],
    )
    .await?;
    let counts = wait_for("six ignored messages", || async {
        let counts = ignored(&app).await?;
        Ok((counts["total"] == 6).then_some(counts))
    })
    .await?;
    assert_eq!(
        counts,
        json!({"foreign_origin": 2, "not_a_string": 1, "malformed": 1,
               "unknown_callback": 2, "bad_json": 0, "total": 6})
    );
    // The app goes on with the portal's token, talking to the portal only.
    h.control.delete("/_emulator/log").await?;
    app.click_button("Refresh").await?;
    wait_for("the refreshed list", || async {
        let calls = app_calls(&h).await?;
        Ok(calls
            .iter()
            .any(|c| !list_queries(c).is_empty())
            .then_some(()))
    })
    .await?;
    for call in app_calls(&h).await? {
        assert_eq!(call["status"], 200, "{call}");
        assert_eq!(call["auth_source"], "auth", "{call}");
    }
    // (A forged token would have been refused: 401 invalid_token.)
    let portal = h.emulator.portal_url();
    let app_origin = app_origin(&h);
    for url in fetched_urls(&app).await? {
        assert!(
            url.starts_with(&format!("{portal}/")) || url.starts_with(&format!("{app_origin}/")),
            "the app fetched {url}"
        );
    }
    h.finish().await
}

#[tokio::test]
async fn a_page_of_another_origin_that_frames_the_app_gets_nothing() -> Result<()> {
    let h = Harness::start("safety-hostile", config()?).await?;
    let portal_host = h.emulator.portal_addr.to_string();
    let port = h.emulator.portal_addr.port();
    // A page of another origin (localhost, not 127.0.0.1) frames the app
    // with a window.name claiming the real portal, and posts forged
    // replies into it.
    h.client
        .goto(&format!("http://localhost:{port}/hostile-page"))
        .await?;
    let sid = "0123456789abcdef0123456789abcdef";
    let app_url = format!(
        "{}/?DOMAIN={portal_host}&PROTOCOL=0&LANG=en&APP_SID={sid}",
        app_origin(&h)
    );
    h.js(
        "window.__got = [];\
         window.addEventListener('message', e => window.__got.push(String(e.origin)));\
         document.body.textContent = '';\
         const f = document.createElement('iframe');\
         f.id = 'app-frame'; f.name = arguments[1]; f.src = arguments[0];\
         document.body.appendChild(f);\
         window.__spam = setInterval(() => f.contentWindow.postMessage(\
           'wm1_00000000000000000000000000000000:{\"AUTH_ID\":\"forged-token\",\"DOMAIN\":\"' + location.host + '\"}', '*'), 500);\
         return true;",
        vec![json!(app_url), json!(format!("{portal_host}|0|{sid}"))],
    )
    .await?;
    let app = AppFrame::of(&h);
    // The handshake goes to the named portal only, so it never completes.
    wait_for("the app's connection failure", || async {
        let text = app
            .js("return document.body ? document.body.innerText : '';")
            .await?;
        Ok(text
            .as_str()
            .is_some_and(|t| t.contains("Could not connect to your Bitrix24 portal"))
            .then_some(()))
    })
    .await?;
    let counts = ignored(&app).await?;
    assert!(
        counts["foreign_origin"].as_u64().unwrap_or(0) >= 1
            && counts["foreign_origin"] == counts["total"],
        "{counts}"
    );
    let got = h
        .js("clearInterval(window.__spam); return window.__got;", vec![])
        .await?;
    assert_eq!(got, json!([]), "the app posted nothing to the hostile page");
    assert!(app_calls(&h).await?.is_empty(), "no REST call at all");
    let app_origin = app_origin(&h);
    for url in fetched_urls(&app).await? {
        assert!(
            url.starts_with(&format!("{app_origin}/")),
            "the app fetched {url}"
        );
    }
    h.finish().await
}

// ---------------------------------------------------------------------------
// Content safety

/// Records every CSP violation in every frame, from before its first script.
async fn record_csp_violations(h: &Harness) -> Result<()> {
    h.cdp("Page.enable", json!({})).await?;
    h.cdp(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({"source": "window.__cspViolations = [];\
            document.addEventListener('securitypolicyviolation', function (e) {\
              window.__cspViolations.push({directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample});\
            }, true);"}),
    )
    .await?;
    Ok(())
}

#[tokio::test]
async fn the_app_runs_under_a_strict_content_security_policy() -> Result<()> {
    let h = Harness::start("safety-csp", config()?).await?;
    record_csp_violations(&h).await?;
    h.portal().open().await?;
    let app = AppFrame::of(&h);
    app.wait_rows(50).await?;
    let table = TablePage::of(&h);
    table.wait_names_filled().await?;
    // A session: sort, page, columns of names and documents, a refresh.
    table.click_header("Started").await?;
    table.next_page().await?;
    table.wait_showing("Showing 51–100 of 120").await?;
    app.click_button("Refresh").await?;
    app.wait_rows(50).await?;

    let policy = app
        .js("const m = document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]'); return m ? m.content : null;")
        .await?;
    let policy = policy.as_str().unwrap_or_default().to_owned();
    let portal = h.emulator.portal_url();
    for part in [
        "default-src 'none'",
        "style-src 'self'",
        "img-src 'self' data:",
        "base-uri 'none'",
        &format!("connect-src 'self' https: {portal}"),
    ] {
        assert!(policy.contains(part), "{part} in {policy}");
    }
    assert!(
        policy.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-"),
        "{policy}"
    );
    assert!(!policy.contains("unsafe-inline"), "{policy}");
    let violations = app.js("return window.__cspViolations;").await?;
    assert_eq!(violations, json!([]), "the app itself breaks no rule");

    // The policy is in effect: an injected inline script does not run,
    // and nothing can be fetched from another origin.
    let port = h.emulator.portal_addr.port();
    let blocked = h
        .portal()
        .in_app(
            "const s = document.createElement('script');\
             s.textContent = 'window.__inlineRan = true;';\
             document.body.appendChild(s);\
             return fetch('http://localhost:' + arguments[0] + '/rest/app.info.json')\
               .then(() => 'fetched', () => 'refused')\
               .then(r => [r, window.__inlineRan === true]);",
            vec![json!(port)],
        )
        .await?;
    assert_eq!(blocked, json!(["refused", false]));
    let directives = wait_for("the two violations reported", || async {
        let v = app
            .js("return window.__cspViolations.map(v => v.directive);")
            .await?;
        Ok((v.as_array().map_or(0, Vec::len) >= 2).then_some(v))
    })
    .await?;
    assert_eq!(directives, json!(["script-src-elem", "connect-src"]));
    h.finish().await
}
