//! The app host answers like a hosting the portal can embed (fact sheet
//! §4.1, §8.1): index.html for GET and POST, correct MIME types, no escape
//! from the dist directory, and 404 for missing files but SPA routes.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use http_body_util::BodyExt;
use portal_emulator::{app_router, Config, Emulator, Shared};
use tower::ServiceExt;

/// A dist directory with an index page, a wasm file and a JS file, next to
/// a secret file outside it; removed on drop.
struct Dist {
    root: PathBuf,
}

impl Dist {
    fn new(name: &str) -> Self {
        let root =
            std::env::temp_dir().join(format!("page-app-host-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let dist = root.join("dist");
        std::fs::create_dir_all(dist.join("pkg")).expect("create dist");
        std::fs::write(dist.join("index.html"), "<!DOCTYPE html><p>the app</p>").expect("index");
        std::fs::write(dist.join("pkg/app_bg.wasm"), b"\0asm\x01\0\0\0").expect("wasm");
        std::fs::write(dist.join("pkg/app.js"), "export default 1;").expect("js");
        std::fs::write(root.join("secret.txt"), "outside the dist").expect("secret");
        Dist { root }
    }

    fn dist(&self) -> PathBuf {
        self.root.join("dist")
    }
}

impl Drop for Dist {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

fn state(dist: Option<&Path>) -> Shared {
    let mut config = Config::for_tests(5);
    config.dist = dist.map(Path::to_path_buf);
    Arc::new(Emulator::new(
        config,
        "http://127.0.0.1:1".to_owned(),
        "http://127.0.0.1:2/".to_owned(),
    ))
}

async fn call(
    state: Shared,
    method: Method,
    uri: &str,
    body: &str,
) -> (StatusCode, String, String) {
    let mut request = Request::builder().method(method).uri(uri);
    if !body.is_empty() {
        request = request.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    }
    let request = request.body(Body::from(body.to_owned())).expect("request");
    let response = app_router(state).oneshot(request).await.expect("response");
    let status = response.status();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    assert!(
        response.headers().get("x-frame-options").is_none(),
        "the app host must not forbid framing (§4.1)"
    );
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (
        status,
        content_type,
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

#[tokio::test]
async fn post_to_the_app_url_returns_index_html() {
    let dist = Dist::new("post");
    let form = "AUTH_ID=abc&AUTH_EXPIRES=3600&PLACEMENT=DEFAULT";
    let (status, content_type, body) = call(
        state(Some(&dist.dist())),
        Method::POST,
        "/?DOMAIN=127.0.0.1%3A1&PROTOCOL=0&LANG=en&APP_SID=x",
        form,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type.starts_with("text/html"), "{content_type}");
    assert!(body.contains("the app"));
}

#[tokio::test]
async fn get_of_the_app_url_returns_index_html_too() {
    let dist = Dist::new("get");
    let (status, _, body) = call(state(Some(&dist.dist())), Method::GET, "/", "").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("the app"));
}

#[tokio::test]
async fn serves_wasm_as_application_wasm_and_js_as_javascript() {
    let dist = Dist::new("mime");
    let (status, content_type, _) = call(
        state(Some(&dist.dist())),
        Method::GET,
        "/pkg/app_bg.wasm",
        "",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type, "application/wasm");
    let (status, content_type, body) =
        call(state(Some(&dist.dist())), Method::GET, "/pkg/app.js", "").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        content_type.starts_with("text/javascript"),
        "{content_type}"
    );
    assert_eq!(body, "export default 1;");
}

#[tokio::test]
async fn refuses_path_traversal() {
    let dist = Dist::new("traversal");
    for uri in [
        "/../secret.txt",
        "/pkg/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/pkg/..%2f..%2fsecret.txt",
        "/..%5csecret.txt",
    ] {
        let (status, _, body) = call(state(Some(&dist.dist())), Method::GET, uri, "").await;
        assert!(
            status == StatusCode::BAD_REQUEST || status == StatusCode::NOT_FOUND,
            "{uri}: {status}"
        );
        assert!(!body.contains("outside the dist"), "{uri} leaked the file");
    }
}

#[cfg(unix)]
#[tokio::test]
async fn refuses_symlinks_that_leave_the_dist() {
    let dist = Dist::new("symlink");
    std::os::unix::fs::symlink(dist.root.join("secret.txt"), dist.dist().join("link.txt"))
        .expect("symlink");
    let (status, _, body) = call(state(Some(&dist.dist())), Method::GET, "/link.txt", "").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!body.contains("outside the dist"));
}

#[tokio::test]
async fn missing_files_are_404_but_routes_without_extension_are_the_app() {
    let dist = Dist::new("spa");
    let (status, _, _) = call(
        state(Some(&dist.dist())),
        Method::GET,
        "/pkg/missing.js",
        "",
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, content_type, body) = call(
        state(Some(&dist.dist())),
        Method::GET,
        "/workflows/66e4",
        "",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type.starts_with("text/html"));
    assert!(body.contains("the app"));
    let (status, _, body) = call(state(Some(&dist.dist())), Method::POST, "/settings", "a=1").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("the app"));
}

#[tokio::test]
async fn a_handler_url_naming_an_html_page_accepts_the_post_but_assets_do_not() {
    let dist = Dist::new("post-html");
    let (status, _, body) = call(
        state(Some(&dist.dist())),
        Method::POST,
        "/index.html?APP_SID=x",
        "AUTH_ID=a",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("the app"));
    let (status, _, _) = call(
        state(Some(&dist.dist())),
        Method::POST,
        "/pkg/app.js",
        "a=1",
    )
    .await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn without_dist_serves_the_placeholder_for_get_and_post() {
    let (status, content_type, body) = call(
        state(None),
        Method::POST,
        "/?DOMAIN=x&PROTOCOL=0&LANG=en&APP_SID=y",
        "AUTH_ID=topsecret&AUTH_EXPIRES=3600",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type.starts_with("text/html"));
    assert!(body.contains("Workflow Monitor will appear here"));
    assert!(body.contains("Loaded with POST carrying AUTH_ID, AUTH_EXPIRES."));
    assert!(
        !body.contains("topsecret"),
        "the placeholder never shows a token"
    );
    let (status, _, body) = call(state(None), Method::GET, "/", "").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("getInitData"));
    let (status, _, _) = call(state(None), Method::GET, "/app.js", "").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn records_requests_with_tokens_redacted() {
    let dist = Dist::new("log");
    let state = state(Some(&dist.dist()));
    let router = app_router(state);
    let request = Request::builder()
        .method(Method::POST)
        .uri("/?APP_SID=s")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("AUTH_ID=0123456789abcdef&PLACEMENT=DEFAULT"))
        .expect("request");
    let response = router.clone().oneshot(request).await.expect("post");
    assert_eq!(response.status(), StatusCode::OK);
    let request = Request::builder()
        .uri("/_emulator/app-requests")
        .body(Body::empty())
        .expect("request");
    let response = router.oneshot(request).await.expect("log");
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    let log: serde_json::Value = serde_json::from_slice(&bytes).expect("json");
    assert_eq!(log[0]["method"], "POST");
    assert_eq!(log[0]["query"], "APP_SID=s");
    assert_eq!(log[0]["form"][0][0], "AUTH_ID");
    assert_eq!(log[0]["form"][0][1], "[redacted …abcdef]");
    assert_eq!(log[0]["form"][1][1], "DEFAULT");
}
