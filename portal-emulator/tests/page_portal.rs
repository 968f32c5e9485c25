//! The portal page hosts the app as Bitrix24's app.layout does (fact sheet
//! §4.1), its back end refreshes tokens and keeps options (§4.2), and the
//! portal serves the pages apps link to (§1.7).

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use portal_emulator::portal_page::{APP_PAGE_PATH, IFRAME_ALLOW, LAZYLOAD_PATH};
use portal_emulator::state::now_ms;
use portal_emulator::{portal_router, Config, Emulator, Shared};
use serde_json::{json, Value};
use tower::ServiceExt;

const PORTAL: &str = "127.0.0.1:4100";

fn state_with(edit: impl FnOnce(&mut Config)) -> Shared {
    let mut config = Config::for_tests(5);
    edit(&mut config);
    Arc::new(Emulator::new(
        config,
        format!("http://{PORTAL}"),
        "http://127.0.0.1:4200/".to_owned(),
    ))
}

fn state() -> Shared {
    state_with(|_| {})
}

struct Answer {
    status: StatusCode,
    location: Option<String>,
    body: String,
}

async fn send(router: &Router, method: Method, uri: &str, form: Option<&str>) -> Answer {
    let mut request = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::HOST, PORTAL);
    if form.is_some() {
        request = request.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    }
    let request = request
        .body(Body::from(form.unwrap_or("").to_owned()))
        .expect("request");
    let response = router.clone().oneshot(request).await.expect("response");
    let status = response.status();
    let location = response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    Answer {
        status,
        location,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

async fn get(router: &Router, uri: &str) -> Answer {
    send(router, Method::GET, uri, None).await
}

/// The JSON config the page hands its script.
fn config_of(html: &str) -> Value {
    let start_tag = "<script type=\"application/json\" id=\"portal-config\">";
    let start = html.find(start_tag).expect("config block") + start_tag.len();
    let end = start + html[start..].find("</script>").expect("end of config");
    serde_json::from_str(&html[start..end]).expect("config is JSON")
}

/// The value of `attr` on the first tag that starts with `tag_start`.
fn attr(html: &str, tag_start: &str, attr: &str) -> Option<String> {
    let start = html.find(tag_start)?;
    let tag = &html[start..start + html[start..].find('>')?];
    let key = format!(" {attr}=\"");
    let at = tag.find(&key)? + key.len();
    Some(tag[at..at + tag[at..].find('"')?].to_owned())
}

/// The hidden form fields, in document order.
fn form_fields(html: &str) -> Vec<(String, String)> {
    let start = html.find("<form id=\"app-form\"").expect("form");
    let form = &html[start..start + html[start..].find("</form>").expect("form end")];
    form.match_indices("<input type=\"hidden\"")
        .map(|(i, _)| {
            let input = &form[i..];
            (
                attr(input, "<input", "name").expect("name"),
                attr(input, "<input", "value").expect("value"),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_root_redirects_to_the_app_page() {
    let router = portal_router(state());
    let answer = get(&router, "/").await;
    assert_eq!(answer.status, StatusCode::FOUND);
    assert_eq!(answer.location.as_deref(), Some(APP_PAGE_PATH));
}

#[tokio::test]
async fn the_iframe_is_named_host_protocol_sid_and_has_no_sandbox() {
    let router = portal_router(state());
    let html = get(&router, APP_PAGE_PATH).await.body;
    let name = attr(&html, "<iframe id=\"app-frame\"", "name").expect("iframe name");
    let parts: Vec<&str> = name.split('|').collect();
    assert_eq!(parts.len(), 3, "{name}");
    assert_eq!(parts[0], PORTAL);
    assert_eq!(parts[1], "0");
    assert_eq!(parts[2].len(), 32);
    assert!(parts[2].bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(
        attr(&html, "<iframe id=\"app-frame\"", "allow").as_deref(),
        Some(IFRAME_ALLOW)
    );
    assert!(attr(&html, "<iframe id=\"app-frame\"", "sandbox").is_none());
    assert!(!html.contains("sandbox="));
    assert_eq!(config_of(&html)["appSid"], parts[2]);
}

#[tokio::test]
async fn every_render_has_a_new_app_sid_and_fresh_valid_tokens() {
    let state = state();
    let router = portal_router(state.clone());
    let a = config_of(&get(&router, APP_PAGE_PATH).await.body);
    let b = config_of(&get(&router, APP_PAGE_PATH).await.body);
    assert_ne!(a["appSid"], b["appSid"]);
    assert_ne!(a["initData"]["AUTH_ID"], b["initData"]["AUTH_ID"]);
    let token = a["initData"]["AUTH_ID"].as_str().expect("token");
    assert_eq!(state.tokens().check(Some(token), now_ms()), Ok(1));
}

#[tokio::test]
async fn the_form_posts_the_documented_fields_in_order_to_the_app_url() {
    let state = state();
    let router = portal_router(state.clone());
    let html = get(&router, APP_PAGE_PATH).await.body;
    let config = config_of(&html);
    let sid = config["appSid"].as_str().expect("sid");
    let name = attr(&html, "<iframe id=\"app-frame\"", "name").expect("name");
    assert_eq!(
        attr(&html, "<form id=\"app-form\"", "method").as_deref(),
        Some("post")
    );
    assert_eq!(
        attr(&html, "<form id=\"app-form\"", "target").as_deref(),
        Some(name.as_str())
    );
    assert_eq!(
        attr(&html, "<form id=\"app-form\"", "action"),
        Some(format!(
            "http://127.0.0.1:4200/?DOMAIN=127.0.0.1%3A4100&amp;PROTOCOL=0&amp;LANG=en&amp;APP_SID={sid}"
        ))
    );
    let fields = form_fields(&html);
    let names: Vec<&str> = fields.iter().map(|(n, _)| n.as_str()).collect();
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
            "PLACEMENT"
        ]
    );
    let value = |n: &str| fields.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
    assert_eq!(
        value("AUTH_ID"),
        config["initData"]["AUTH_ID"].as_str().map(str::to_owned)
    );
    assert_eq!(value("AUTH_EXPIRES").as_deref(), Some("3600"));
    assert_eq!(
        value("APPLICATION_SCOPE").as_deref(),
        Some("bizproc,user_brief,entity")
    );
    assert_eq!(value("status").as_deref(), Some("L"));
    assert_eq!(value("PLACEMENT").as_deref(), Some("DEFAULT"));
    assert_eq!(
        value("member_id"),
        config["initData"]["MEMBER_ID"].as_str().map(str::to_owned)
    );
}

#[tokio::test]
async fn init_data_has_every_field_with_php_types() {
    let router = portal_router(state());
    let config = config_of(&get(&router, APP_PAGE_PATH).await.body);
    let init = &config["initData"];
    assert_eq!(init["LANG"], "en");
    assert_eq!(init["PROTOCOL"], 0);
    assert_eq!(init["PATH"], "/rest");
    assert_eq!(init["AUTH_EXPIRES"], "3600");
    assert_eq!(init["IS_ADMIN"], true);
    assert_eq!(init["INSTALL"], false);
    assert_eq!(init["USER_OPTIONS"], json!([]));
    assert_eq!(init["APP_OPTIONS"], json!([]));
    assert_eq!(init["PLACEMENT"], "DEFAULT");
    assert_eq!(init["PLACEMENT_OPTIONS"], json!([]));
    assert_eq!(init["MEMBER_ID"].as_str().map(str::len), Some(32));
    assert_eq!(config["firstRun"], true);
    assert_eq!(config["appOrigin"], "http://127.0.0.1:4200");
}

#[tokio::test]
async fn non_admins_get_is_admin_false() {
    let router = portal_router(state_with(|c| c.non_admin = true));
    let config = config_of(&get(&router, APP_PAGE_PATH).await.body);
    assert_eq!(config["initData"]["IS_ADMIN"], false);
}

#[tokio::test]
async fn placement_options_come_from_the_page_query_and_are_escaped() {
    let router = portal_router(state());
    let hostile = "%3C%2Fscript%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E%22%27";
    let html = get(&router, &format!("{APP_PAGE_PATH}?_r=5&id={hostile}"))
        .await
        .body;
    assert!(
        !html.contains("<script>alert(1)"),
        "hostile text reached the markup"
    );
    let config = config_of(&html);
    let expected = json!({"id": "</script><script>alert(1)</script>\"'"});
    assert_eq!(config["initData"]["PLACEMENT_OPTIONS"], expected);
    let fields = form_fields(&html);
    let last = fields.last().expect("fields");
    assert_eq!(last.0, "PLACEMENT_OPTIONS");
    let unescaped = last
        .1
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    assert_eq!(
        serde_json::from_str::<Value>(&unescaped).expect("json"),
        expected
    );
}

#[tokio::test]
async fn static_apps_are_flagged_for_a_get_load() {
    let router = portal_router(state_with(|c| c.static_app = true));
    let config = config_of(&get(&router, APP_PAGE_PATH).await.body);
    assert_eq!(config["staticApp"], true);
}

async fn lazyload(router: &Router, sessid: &str, rest: &str) -> Answer {
    let form = format!("sessid={sessid}&{rest}");
    send(router, Method::POST, LAZYLOAD_PATH, Some(&form)).await
}

#[tokio::test]
async fn lazyload_refuses_a_wrong_sessid() {
    let router = portal_router(state());
    let answer = lazyload(&router, "nope", "action=access_refresh").await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert!(!answer.body.contains("access_token"));
}

#[tokio::test]
async fn access_refresh_mints_a_new_valid_token() {
    let state = state();
    let router = portal_router(state.clone());
    let config = config_of(&get(&router, APP_PAGE_PATH).await.body);
    let sessid = config["sessid"].as_str().expect("sessid");
    let answer = lazyload(&router, sessid, "action=access_refresh").await;
    assert_eq!(answer.status, StatusCode::OK);
    let token: Value = serde_json::from_str(&answer.body).expect("json");
    let access = token["access_token"].as_str().expect("access_token");
    assert_ne!(token["access_token"], config["initData"]["AUTH_ID"]);
    assert_eq!(token["expires_in"], 3600);
    assert_eq!(state.tokens().check(Some(access), now_ms()), Ok(1));
}

#[tokio::test]
async fn saved_user_options_come_back_as_strings_on_the_next_render() {
    let router = portal_router(state());
    let config = config_of(&get(&router, APP_PAGE_PATH).await.body);
    let sessid = config["sessid"].as_str().expect("sessid");
    let answer = lazyload(
        &router,
        sessid,
        "action=set_user_option&name=columns&value=ID%2CSTARTED",
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);
    let answer = lazyload(
        &router,
        sessid,
        "action=set_user_option&name=page&value[size]=50",
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);
    let again = config_of(&get(&router, APP_PAGE_PATH).await.body);
    assert_eq!(
        again["initData"]["USER_OPTIONS"],
        json!({"columns": "ID,STARTED", "page": {"size": "50"}})
    );
}

#[tokio::test]
async fn user_options_given_at_start_are_handed_over_as_saved_ones() {
    let state = state_with(|c| {
        c.user_options = vec![
            ("wm_overview".into(), "open".into()),
            ("wm_columns".into(), "id,waiting".into()),
        ]
    });
    let router = portal_router(state);
    let config = config_of(&get(&router, APP_PAGE_PATH).await.body);
    assert_eq!(
        config["initData"]["USER_OPTIONS"],
        json!({"wm_overview": "open", "wm_columns": "id,waiting"})
    );
    assert_eq!(
        portal_emulator::config::parse_user_option("a=b=c"),
        Ok(("a".into(), "b=c".into()))
    );
    assert!(portal_emulator::config::parse_user_option("=x").is_err());
    assert!(portal_emulator::config::parse_user_option("novalue").is_err());
}

#[tokio::test]
async fn app_options_are_for_admins_only() {
    let state = state_with(|c| c.non_admin = true);
    let router = portal_router(state.clone());
    let config = config_of(&get(&router, APP_PAGE_PATH).await.body);
    let sessid = config["sessid"].as_str().expect("sessid");
    let answer = lazyload(&router, sessid, "action=set_option&name=a&value=1").await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert!(state.options().app.is_empty());

    let router = portal_router(state_with(|_| {}));
    let config = config_of(&get(&router, APP_PAGE_PATH).await.body);
    let sessid = config["sessid"].as_str().expect("sessid");
    let answer = lazyload(&router, sessid, "action=set_option&name=a&value=1").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(
        serde_json::from_str::<Value>(&answer.body).expect("json"),
        json!({"a": "1"})
    );
}

#[tokio::test]
async fn set_install_ends_the_first_run() {
    let router = portal_router(state());
    let config = config_of(&get(&router, APP_PAGE_PATH).await.body);
    assert_eq!(config["firstRun"], true);
    let sessid = config["sessid"].as_str().expect("sessid");
    let answer = lazyload(&router, sessid, "action=set_install&install=Y").await;
    assert_eq!(answer.status, StatusCode::OK);
    let again = config_of(&get(&router, APP_PAGE_PATH).await.body);
    assert_eq!(again["firstRun"], false);
}

#[tokio::test]
async fn set_installed_marks_the_app_installed() {
    let state = state();
    let router = portal_router(state.clone());
    let config = config_of(&get(&router, APP_PAGE_PATH).await.body);
    let sessid = config["sessid"].as_str().expect("sessid");
    let answer = lazyload(&router, sessid, "action=set_installed&v=Y").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(state.options().installed);
}

#[tokio::test]
async fn serves_readable_crm_user_and_workflow_pages() {
    let router = portal_router(state());
    for (path, expected) in [
        ("/crm/deal/details/1633/", "Deal 1633"),
        ("/crm/lead/details/7/", "Lead 7"),
        ("/crm/contact/details/8/", "Contact 8"),
        ("/crm/company/details/9/", "Company 9"),
        ("/crm/type/31/details/3/", "Invoice 3"),
        ("/crm/type/7/details/12/", "Estimate 12"),
        (
            "/crm/type/147/details/1/",
            "Smart process 147 \u{00b7} item 1",
        ),
        (
            "/bizproc/processes/?livefeed=y&list_id=26&element_id=5",
            "Workflows \u{00b7} list 26 \u{00b7} element 5",
        ),
    ] {
        let answer = get(&router, path).await;
        assert_eq!(answer.status, StatusCode::OK, "{path}");
        assert!(answer.body.contains(expected), "{path}: no {expected}");
        assert!(
            answer.body.contains("b24-menu"),
            "{path}: full portal chrome"
        );
    }
    let answer = get(&router, "/company/personal/user/1/").await;
    assert_eq!(answer.status, StatusCode::OK);
}

#[tokio::test]
async fn slider_pages_have_no_portal_chrome() {
    let router = portal_router(state());
    let answer = get(
        &router,
        "/crm/deal/details/1633/?IFRAME=Y&IFRAME_TYPE=SIDE_SLIDER",
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.body.contains("Deal 1633"));
    assert!(!answer.body.contains("b24-menu"));
}

#[tokio::test]
async fn unknown_paths_get_a_portal_style_404() {
    let router = portal_router(state());
    for path in [
        "/no/such/page/",
        "/crm/deal/details/abc/",
        "/company/personal/user/999999/",
    ] {
        let answer = get(&router, path).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{path}");
        assert!(answer.body.contains("Page not found"));
        assert!(answer.body.contains("b24-header"));
    }
}

#[tokio::test]
async fn an_app_pending_installation_opens_as_its_installer_until_it_finishes() {
    let state = state_with(|c| c.install_pending = true);
    let router = portal_router(state.clone());
    let config = config_of(&get(&router, APP_PAGE_PATH).await.body);
    assert_eq!(config["initData"]["INSTALL"], true);
    assert!(!state.installed());
    let sessid = config["sessid"].as_str().expect("sessid");
    assert_eq!(
        lazyload(&router, sessid, "action=set_installed&v=Y")
            .await
            .status,
        StatusCode::OK
    );
    assert!(state.installed());
    let again = config_of(&get(&router, APP_PAGE_PATH).await.body);
    assert_eq!(again["initData"]["INSTALL"], false);
}

#[tokio::test]
async fn a_non_admin_sees_the_not_installed_notice_instead_of_the_frame() {
    let router = portal_router(state_with(|c| {
        c.install_pending = true;
        c.non_admin = true;
    }));
    let body = get(&router, APP_PAGE_PATH).await.body;
    assert!(body.contains("The application is not fully installed yet"));
    assert!(!body.contains("id=\"app-frame\""));
}
