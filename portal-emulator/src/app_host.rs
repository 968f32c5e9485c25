//! The app host: the second origin, where the app's build is served.
//!
//! The portal loads the app by POSTing a form into the iframe (fact sheet
//! §4.1), and plain static hosts often answer that POST with 405 (§8.1,
//! S19). This host answers GET and POST on `/` and on every path without a
//! file extension with `index.html` (SPA style), serves the other files of
//! `--dist` with the MIME types browsers insist on (`application/wasm` for
//! streaming compilation), never leaves the dist directory, and sends no
//! `X-Frame-Options` (§4.1: it would break the embed). Without `--dist` a
//! small placeholder app shows what the portal handed over.
//!
//! Every request is also recorded (`GET /_emulator/app-requests` on this
//! origin) so tests can prove that the frame was loaded with a POST carrying
//! the documented fields, in order.

use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Json, Router};
use percent_encoding::percent_decode_str;
use serde::Serialize;

use crate::portal_page::escape_html;

use crate::state::now_ms;
use crate::Shared;

/// The placeholder app served when no `--dist` is given.
const PLACEHOLDER_HTML: &str = include_str!("../assets/placeholder-app.html");

/// Form fields whose values are secrets: recorded only as a short fingerprint.
const SECRET_FIELDS: &[&str] = &["AUTH_ID", "REFRESH_ID", "APPLICATION_TOKEN"];

/// One request the app host received.
#[derive(Debug, Clone, Serialize)]
pub struct AppRequest {
    /// 1-based position in the log.
    pub seq: u64,
    /// Unix ms when the request arrived.
    pub at_ms: i64,
    /// `GET`, `POST`, …
    pub method: String,
    /// The raw request path.
    pub path: String,
    /// The raw query string (without `?`), if any.
    pub query: Option<String>,
    pub content_type: Option<String>,
    /// The form-urlencoded body as ordered `[name, value]` pairs; secret
    /// values are replaced by `[redacted …<last 6 characters>]`.
    pub form: Vec<(String, String)>,
}

/// The app host's own request log; one per router (so one per emulator).
#[derive(Debug, Clone, Default)]
struct RequestLog(Arc<Mutex<Vec<AppRequest>>>);

impl RequestLog {
    fn push(&self, mut entry: AppRequest) {
        let mut log = self.0.lock().unwrap_or_else(|p| p.into_inner());
        entry.seq = log.len() as u64 + 1;
        log.push(entry);
    }

    fn all(&self) -> Vec<AppRequest> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    fn clear(&self) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }
}

/// The routes of the app origin.
pub fn routes() -> Router<Shared> {
    Router::new()
        .route(
            "/_emulator/app-requests",
            get(list_requests).delete(clear_requests),
        )
        .route("/", get(serve).post(serve))
        .route("/{*path}", get(serve).post(serve))
        .layer(Extension(RequestLog::default()))
}

async fn list_requests(Extension(log): Extension<RequestLog>) -> Json<Vec<AppRequest>> {
    Json(log.all())
}

async fn clear_requests(Extension(log): Extension<RequestLog>) -> StatusCode {
    log.clear();
    StatusCode::NO_CONTENT
}

/// What a request path asks for, once decoded and checked.
#[derive(Debug, PartialEq, Eq)]
enum Target {
    /// A path without a file extension: the app's `index.html`.
    Index,
    /// A file below the dist directory (relative, checked segments).
    File(PathBuf),
}

/// Why a path was refused.
#[derive(Debug, PartialEq, Eq)]
enum PathError {
    /// `..`, `.`, a backslash, a NUL or bad percent-encoding: an attempt to
    /// leave the directory, or nonsense.
    Traversal,
    /// A hidden file (`.env`, `.git/…`): never served.
    Hidden,
}

/// Decodes and checks a request path. Every segment is checked after
/// percent-decoding, so `%2e%2e` and `..%2f` are caught as well.
fn resolve(path: &str) -> Result<Target, PathError> {
    let decoded = percent_decode_str(path)
        .decode_utf8()
        .map_err(|_| PathError::Traversal)?;
    if decoded.contains('\\') || decoded.contains('\0') {
        return Err(PathError::Traversal);
    }
    let mut segments = Vec::new();
    for segment in decoded.split('/').filter(|s| !s.is_empty()) {
        match segment {
            "." | ".." => return Err(PathError::Traversal),
            s if s.starts_with('.') => return Err(PathError::Hidden),
            s => segments.push(s),
        }
    }
    let Some(last) = segments.last() else {
        return Ok(Target::Index);
    };
    if Path::new(last).extension().is_none() {
        return Ok(Target::Index);
    }
    let relative: PathBuf = segments.iter().collect();
    // Belt and braces: only plain names may remain.
    if relative
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return Err(PathError::Traversal);
    }
    Ok(Target::File(relative))
}

/// The Content-Type for a file name. JavaScript and WebAssembly get the types
/// browsers require for modules and `instantiateStreaming`.
fn content_type(path: &Path) -> String {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "wasm" => "application/wasm".to_owned(),
        "js" | "mjs" => "text/javascript; charset=utf-8".to_owned(),
        "html" | "htm" => "text/html; charset=utf-8".to_owned(),
        "css" => "text/css; charset=utf-8".to_owned(),
        "json" | "map" => "application/json".to_owned(),
        "svg" => "image/svg+xml".to_owned(),
        "txt" => "text/plain; charset=utf-8".to_owned(),
        _ => mime_guess::from_path(path)
            .first_or_octet_stream()
            .essence_str()
            .to_owned(),
    }
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        text,
    )
        .into_response()
}

fn file_response(bytes: Vec<u8>, content_type: &str, head: bool) -> Response {
    let len = bytes.len();
    let body = if head {
        Body::empty()
    } else {
        Body::from(bytes)
    };
    let mut response = Response::new(body);
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    // A development host: the app is rebuilt often, never serve stale files.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// Splits a form-urlencoded body into ordered pairs (`+` is a space).
fn form_pairs(body: &[u8]) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(body);
    let decode = |s: &str| {
        percent_decode_str(&s.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned()
    };
    text.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn redact(name: &str, value: &str) -> String {
    if SECRET_FIELDS.contains(&name) && !value.is_empty() {
        let tail: String = value
            .chars()
            .rev()
            .take(6)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        format!("[redacted …{tail}]")
    } else {
        value.to_owned()
    }
}

fn record(log: &RequestLog, method: &Method, uri: &Uri, headers: &HeaderMap, body: &[u8]) {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let is_form = content_type
        .as_deref()
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    let form = if is_form {
        form_pairs(body)
            .into_iter()
            .map(|(k, v)| {
                let v = redact(&k, &v);
                (k, v)
            })
            .collect()
    } else {
        Vec::new()
    };
    log.push(AppRequest {
        seq: 0,
        at_ms: now_ms(),
        method: method.as_str().to_owned(),
        path: uri.path().to_owned(),
        query: uri.query().map(str::to_owned),
        content_type,
        form,
    });
}

/// The placeholder page, with a line saying how it was loaded: the method
/// and the names of the POSTed fields (never their values).
fn placeholder(method: &Method, body: &[u8], headers: &HeaderMap) -> String {
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    let names: Vec<String> = if is_form {
        form_pairs(body).into_iter().map(|(k, _)| k).collect()
    } else {
        Vec::new()
    };
    let line = if names.is_empty() {
        format!("Loaded with {}.", method.as_str())
    } else {
        format!(
            "Loaded with {} carrying {}.",
            method.as_str(),
            names.join(", ")
        )
    };
    PLACEHOLDER_HTML.replace("<!--request-->", &escape_html(&line))
}

async fn serve(
    State(state): State<Shared>,
    Extension(log): Extension<RequestLog>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    record(&log, &method, &uri, &headers, &body);
    let head = method == Method::HEAD;
    let target = match resolve(uri.path()) {
        Ok(target) => target,
        Err(PathError::Traversal) => return plain(StatusCode::BAD_REQUEST, "Bad path"),
        Err(PathError::Hidden) => return plain(StatusCode::NOT_FOUND, "Not found"),
    };
    let Some(dist) = state.config.dist.as_deref() else {
        return match target {
            Target::Index => file_response(
                placeholder(&method, &body, &headers).into_bytes(),
                "text/html; charset=utf-8",
                head,
            ),
            Target::File(_) => plain(StatusCode::NOT_FOUND, "Not found (no --dist given)"),
        };
    };
    let relative = match target {
        Target::Index => PathBuf::from("index.html"),
        Target::File(relative) => {
            // The portal POSTs to the handler URL (§4.1), which may name an
            // HTML page (`/app/index.html`); a POST to any other asset is a
            // mistake a static host would refuse too.
            let is_page = relative
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"));
            if method == Method::POST && !is_page {
                let mut response = plain(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed");
                response
                    .headers_mut()
                    .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
                return response;
            }
            relative
        }
    };
    match read_inside(dist, &relative).await {
        Some(bytes) if is_html(&relative) => {
            let page = allow_portal_in_csp(&String::from_utf8_lossy(&bytes), &state.portal_origin);
            file_response(page.into_bytes(), &content_type(&relative), head)
        }
        Some(bytes) => file_response(bytes, &content_type(&relative), head),
        None if relative == Path::new("index.html") => plain(
            StatusCode::NOT_FOUND,
            "The --dist directory has no index.html",
        ),
        None => plain(StatusCode::NOT_FOUND, "Not found"),
    }
}

fn is_html(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"))
}

/// The app's page allows REST calls over HTTPS only (`connect-src 'self'
/// https:` in its CSP meta tag); this portal speaks plain HTTP (see "What it
/// does not emulate"). As a host serving the app to a plain-HTTP portal
/// must, the app host adds the portal origin to `connect-src` of a page's
/// Content-Security-Policy meta tag, and changes nothing else. A page
/// without one is served as it is.
pub fn allow_portal_in_csp(html: &str, portal_origin: &str) -> String {
    const META: &str = "http-equiv=\"Content-Security-Policy\"";
    if !portal_origin.starts_with("http:") {
        return html.to_owned();
    }
    let Some(meta_at) = html.find(META) else {
        return html.to_owned();
    };
    let Some(content_at) = html[meta_at..]
        .find("content=\"")
        .map(|i| meta_at + i + "content=\"".len())
    else {
        return html.to_owned();
    };
    let Some(len) = html[content_at..].find('"') else {
        return html.to_owned();
    };
    let policy = &html[content_at..content_at + len];
    let widened: Vec<String> = policy
        .split(';')
        .map(|d| {
            let d = d.trim();
            if d.split_whitespace().next() == Some("connect-src")
                && !d.split_whitespace().any(|s| s == portal_origin)
            {
                format!("{d} {portal_origin}")
            } else {
                d.to_owned()
            }
        })
        .collect();
    format!(
        "{}{}{}",
        &html[..content_at],
        widened.join("; "),
        &html[content_at + len..]
    )
}

/// Reads `root/relative` if it is a file that, with symlinks resolved, still
/// lies inside `root`.
async fn read_inside(root: &Path, relative: &Path) -> Option<Vec<u8>> {
    let root = tokio::fs::canonicalize(root).await.ok()?;
    let path = tokio::fs::canonicalize(root.join(relative)).await.ok()?;
    if !path.starts_with(&root) {
        return None;
    }
    if !tokio::fs::metadata(&path).await.ok()?.is_file() {
        return None;
    }
    tokio::fs::read(&path).await.ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_without_an_extension_are_the_app() {
        assert_eq!(resolve("/"), Ok(Target::Index));
        assert_eq!(resolve("/workflows/123"), Ok(Target::Index));
        assert_eq!(
            resolve("/pkg/app_bg.wasm"),
            Ok(Target::File(PathBuf::from("pkg/app_bg.wasm")))
        );
    }

    #[test]
    fn refuses_every_spelling_of_dot_dot() {
        for path in [
            "/../Cargo.toml",
            "/a/../../x.js",
            "/%2e%2e/x.js",
            "/..%2fx.js",
            "/a%5c..%5cx.js",
            "/./x.js",
            "/%ff.js",
        ] {
            assert_eq!(resolve(path), Err(PathError::Traversal), "{path}");
        }
        assert_eq!(resolve("/.env"), Err(PathError::Hidden));
    }

    #[test]
    fn gives_browsers_the_types_they_require() {
        assert_eq!(content_type(Path::new("a.wasm")), "application/wasm");
        assert_eq!(
            content_type(Path::new("a.js")),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(content_type(Path::new("a.png")), "image/png");
    }

    #[test]
    fn adds_the_plain_http_portal_to_connect_src_only() {
        let page = r#"<meta http-equiv="Content-Security-Policy" content="default-src 'none'; connect-src 'self' https:; img-src 'self'" /><p>"#;
        assert_eq!(
            allow_portal_in_csp(page, "http://127.0.0.1:8080"),
            r#"<meta http-equiv="Content-Security-Policy" content="default-src 'none'; connect-src 'self' https: http://127.0.0.1:8080; img-src 'self'" /><p>"#
        );
        assert_eq!(allow_portal_in_csp(page, "https://b24.example.com"), page);
        assert_eq!(
            allow_portal_in_csp("<p>no policy</p>", "http://x"),
            "<p>no policy</p>"
        );
    }

    #[test]
    fn redacts_tokens_but_keeps_a_fingerprint() {
        assert_eq!(redact("AUTH_ID", "0123456789abcdef"), "[redacted …abcdef]");
        assert_eq!(redact("DOMAIN", "x"), "x");
    }
}
