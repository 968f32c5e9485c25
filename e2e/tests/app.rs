//! The app itself, built for release, inside the emulator's portal page in
//! real headless Chromium. Each test would fail without the feature it names.

use e2e::app::{app_calls, app_dist, screenshot, screenshot_path, AppFrame};
use e2e::table::{expect_pairs, list_queries, RestLog, TablePage, HEADERS};
use e2e::{config_serving, wait_for, Harness, Result};
use portal_emulator::Config;
use serde_json::{json, Value};

const WORKFLOWS: usize = 120;

fn config() -> Result<Config> {
    let mut config = config_serving(&app_dist()?);
    config.workflows = WORKFLOWS;
    Ok(config)
}

/// What the emulator itself says the first screen must show.
async fn expected_first_page(h: &Harness) -> Result<Value> {
    let token = h.control.post("/_emulator/token", &json!({})).await?;
    let r = reqwest::Client::new()
        .post(format!(
            "{}/rest/bizproc.workflow.instances.json",
            h.emulator.portal_url()
        ))
        .json(&json!({
            "auth": token["access_token"],
            "select": ["ID"],
            "order": {"STARTED": "DESC", "ID": "DESC"},
        }))
        .send()
        .await?;
    Ok(r.json().await?)
}

#[tokio::test]
async fn boots_in_the_portal_frame_and_lists_page_one_newest_first() -> Result<()> {
    let h = Harness::start("app-boot", config()?).await?;
    h.portal().open().await?;
    let app = AppFrame::of(&h);
    let rows = app.wait_rows(50).await?;
    // The handshake went through the portal page's protocol.
    let log = h.portal().frame_log().await?;
    assert!(
        log.iter().any(|e| e["command"] == "getInitData"
            && e["accepted"] == true
            && e["replied"] == true),
        "{log:?}"
    );
    assert_eq!(app.headers().await?, HEADERS);
    let expected = expected_first_page(&h).await?;
    assert_eq!(
        rows[0][0],
        expected["result"][0]["ID"].as_str().unwrap_or_default()
    );
    assert_eq!(
        rows[49][0],
        expected["result"][49]["ID"].as_str().unwrap_or_default()
    );
    app.wait_text(&format!("Showing 1–50 of {WORKFLOWS}"))
        .await?;
    // The README's picture shows the table as the admin reads it: with
    // names, not the ids that hold their place while they load.
    e2e::table::TablePage::of(&h).wait_names_filled().await?;
    screenshot(&h, &screenshot_path("app-in-portal.png")).await?;
    h.finish().await
}

#[tokio::test]
async fn rest_calls_carry_auth_in_the_body_and_nothing_else() -> Result<()> {
    let h = Harness::start("app-rest", config()?).await?;
    h.portal().open().await?;
    AppFrame::of(&h).wait_rows(50).await?;
    let calls = app_calls(&h).await?;
    assert!(!calls.is_empty());
    for call in &calls {
        assert_eq!(call["auth_source"], "auth", "{call}");
        assert_eq!(call["authorization_header"], false, "{call}");
        assert_eq!(call["custom_headers"], json!([]), "{call}");
        assert_ne!(call["params"]["start"], json!(-1), "{call}");
        assert_ne!(call["params"]["start"], json!("-1"), "{call}");
    }
    // The rows come in a batch with their people (a list query is a
    // command of it).
    let list = calls
        .iter()
        .flat_map(list_queries)
        .find(|q| !q.is_signal_count())
        .expect("the app listed workflows");
    assert_eq!(
        list.order,
        expect_pairs(&[("STARTED", "DESC"), ("ID", "DESC")])
    );
    h.finish().await
}

#[tokio::test]
async fn a_non_admin_sees_the_admin_only_screen() -> Result<()> {
    let mut config = config()?;
    config.non_admin = true;
    let h = Harness::start("app-nonadmin", config).await?;
    h.portal().open().await?;
    AppFrame::of(&h)
        .wait_text("Only portal administrators can view running workflows")
        .await?;
    h.finish().await
}

#[tokio::test]
async fn a_plan_without_workflows_is_explained() -> Result<()> {
    let mut config = config()?;
    config.plan_without_bizproc = true;
    let h = Harness::start("app-plan", config).await?;
    h.portal().open().await?;
    AppFrame::of(&h)
        .wait_text("Workflows are not available on this portal's plan")
        .await?;
    h.finish().await
}

#[tokio::test]
async fn keeps_working_across_a_token_expiry_with_one_refresh_and_one_replay() -> Result<()> {
    let h = Harness::start("app-ttl", config()?).await?;
    h.portal().open().await?;
    let app = AppFrame::of(&h);
    app.wait_rows(50).await?;
    // Once the first screen is complete (its names too: they come after
    // the rows), the page's token expires. (Expiring it, rather than
    // waiting out a short lifetime, keeps a slow start on a loaded
    // machine from renewing the token before the test looks.)
    let table = TablePage::of(&h);
    table.wait_names_filled().await?;
    RestLog::of(&h).wait_settled(&table, 0).await?;
    h.control
        .post("/_emulator/expire-tokens", &json!({}))
        .await?;
    h.control.delete("/_emulator/log").await?;
    app.click_button("Refresh").await?;
    wait_for("a replayed list call", || async {
        let calls = app_calls(&h).await?;
        Ok((calls.len() >= 2).then_some(()))
    })
    .await?;
    app.wait_rows(50).await?;
    let calls = app_calls(&h).await?;
    // Page 1 (start 0); the prefetch of page 2 (start 50) follows it.
    let list: Vec<&Value> = calls
        .iter()
        .filter(|c| {
            list_queries(c)
                .iter()
                .any(|q| q.start == 0 && !q.is_signal_count())
        })
        .collect();
    assert_eq!(list.len(), 2, "one rejected call, one replay: {calls:?}");
    assert_eq!(list[0]["error"], "expired_token");
    assert_eq!(list[1]["status"], 200);
    let refreshes = h
        .portal()
        .frame_log()
        .await?
        .into_iter()
        .filter(|e| e["command"] == "refreshAuth")
        .count();
    assert_eq!(refreshes, 1);
    h.finish().await
}

#[tokio::test]
async fn the_frame_is_resized_to_the_content() -> Result<()> {
    let h = Harness::start("app-fit", config()?).await?;
    h.portal().open().await?;
    let app = AppFrame::of(&h);
    app.wait_rows(50).await?;
    let content = app.content_height().await?;
    assert!(content > 1000.0, "50 rows are tall: {content}");
    let frame = wait_for("the frame to follow the content", || async {
        let frame = h.portal().frame_height().await?;
        Ok(((frame - content).abs() <= 2.0).then_some(frame))
    })
    .await?;
    assert!(frame > 1000.0);
    // The page itself never scrolls inside the frame. Compact rows (the
    // default) keep one line and may scroll sideways inside the table's
    // card, as Bitrix24's grid does; the look tests pin that Comfortable
    // rows fit at 1280 px without it.
    let page_scrolls = app
        .js(
            "const e = document.scrollingElement || document.documentElement;\
             return e.scrollHeight > e.clientHeight + 1 || e.scrollWidth > e.clientWidth + 1;",
        )
        .await?;
    assert_eq!(page_scrolls, json!(false), "no inner scrollbar");
    h.finish().await
}

#[tokio::test]
async fn a_static_app_loaded_with_get_works_as_well() -> Result<()> {
    let mut config = config()?;
    config.static_app = true;
    let h = Harness::start("app-static", config).await?;
    h.portal().open().await?;
    AppFrame::of(&h).wait_rows(50).await?;
    let requests = h.control.app_requests().await?;
    assert!(
        requests.iter().all(|r| r["method"] != "POST"),
        "{requests:?}"
    );
    h.finish().await
}

#[tokio::test]
async fn opened_outside_bitrix24_it_explains_itself() -> Result<()> {
    let h = Harness::start("app-outside", config()?).await?;
    h.client
        .goto(&format!("http://{}/", h.emulator.app_addr))
        .await?;
    wait_for("the intro page", || async {
        let text = h.js("return document.body.innerText;", vec![]).await?;
        Ok(text
            .as_str()
            .filter(|t| {
                t.contains("Workflow Monitor for Bitrix24") && t.contains("How to install it")
            })
            .map(str::to_owned))
    })
    .await?;
    h.finish().await
}

#[tokio::test]
async fn the_installer_finishes_the_installation_then_the_app_opens() -> Result<()> {
    let mut config = config()?;
    config.install_pending = true;
    let h = Harness::start("app-install", config).await?;
    h.portal().open().await?;
    let app = AppFrame::of(&h);
    app.wait_text("Install Workflow Monitor").await?;
    assert!(!h.emulator.state.installed());
    app.click_button("Finish installation").await?;
    // The portal marks the app installed and reloads with install_finished=Y.
    wait_for("the portal to reload after installation", || async {
        let url = h.client.current_url().await?;
        Ok(url.as_str().contains("install_finished=Y").then_some(()))
    })
    .await?;
    assert!(h.emulator.state.installed());
    h.portal().wait_ready().await?;
    AppFrame::of(&h).wait_rows(50).await?;
    h.finish().await
}

#[tokio::test]
async fn marks_when_the_first_rows_are_painted() -> Result<()> {
    let h = Harness::start("app-mark", config()?).await?;
    h.portal().open().await?;
    let app = AppFrame::of(&h);
    app.wait_rows(50).await?;
    // Milliseconds from the portal page's navigation to the app's mark: the
    // frame's clock starts later, so both are put on the Unix time line.
    let mark = wait_for("the first-rows mark", || async {
        let v = app
            .js("const m = performance.getEntriesByName('wm:first-rows'); return m.length ? performance.timeOrigin + m[0].startTime : null;")
            .await?;
        Ok(v.as_f64())
    })
    .await?;
    let origin = h.js("return performance.timeOrigin;", vec![]).await?;
    let since_portal_opened = mark - origin.as_f64().unwrap_or(mark);
    assert!(since_portal_opened > 0.0, "{since_portal_opened}");
    println!("first rows painted {since_portal_opened:.0} ms after the portal page was opened");
    h.finish().await
}

#[tokio::test]
async fn auto_refresh_asks_again_for_the_same_page_every_30_seconds() -> Result<()> {
    let h = Harness::start("app-auto", config()?).await?;
    h.portal().open().await?;
    let app = AppFrame::of(&h);
    app.wait_rows(50).await?;
    app.page
        .in_app(
            "document.querySelector('button[aria-label=\"Next page\"]').click();",
            vec![],
        )
        .await?;
    app.wait_text(&format!("Showing 51–100 of {WORKFLOWS}"))
        .await?;
    h.control.delete("/_emulator/log").await?;
    let switched = app
        .page
        .in_app(
            "const l = Array.from(document.querySelectorAll('label')).find(l => l.textContent.includes('Auto-refresh every 30 s'));\
             if (!l) return false; l.querySelector('input').click(); return true;",
            vec![],
        )
        .await?;
    assert_eq!(switched, json!(true), "the auto-refresh switch is there");
    // The timer's period is 30 s; give it 45 s before calling it missing.
    let began = std::time::Instant::now();
    let again = loop {
        let calls = app_calls(&h).await?;
        if let Some(c) = calls.iter().find(|c| {
            list_queries(c)
                .iter()
                .any(|q| q.start == 50 && !q.is_signal_count())
        }) {
            break c.clone();
        }
        assert!(
            began.elapsed() < std::time::Duration::from_secs(45),
            "no automatic refresh of page 2: {calls:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    };
    assert_eq!(again["status"], 200);
    app.wait_text(&format!("Showing 51–100 of {WORKFLOWS}"))
        .await?;
    h.finish().await
}
