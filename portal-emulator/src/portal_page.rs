//! The portal page that hosts the app frame (fact sheet §4.1), the parent
//! side of the frame protocol (§4.2, in `assets/applayout.js`), the
//! `lazyload.ajax.php` endpoint that page talks to, and readable portal pages
//! for the paths an app links to or opens with `openPath` (§1.7).
//!
//! Every render is a fresh `app.layout`: a new APP_SID, freshly minted
//! tokens, and a hidden form POSTed into the iframe, exactly as the real
//! component does. Values reach the page either HTML-escaped or inside a
//! `<script type="application/json">` block with `<`, `>` and `&` escaped, so
//! hostile data (user names, query parameters) stays data.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Map, Value};

use crate::auth::UserId;
use crate::php;
use crate::state::now_ms;
use crate::Shared;

/// Path of the portal page that shows the app, as in Bitrix24 (`/marketplace/app/<ID>/`).
pub const APP_PAGE_PATH: &str = "/marketplace/app/1/";

/// The endpoint the parent page POSTs `access_refresh` and option saves to (§4.2).
pub const LAZYLOAD_PATH: &str = "/bitrix/components/bitrix/app.layout/lazyload.ajax.php";

/// The app's name in the portal menu and page title.
pub const APP_NAME: &str = "Workflow Monitor";

/// The scopes the app is installed with, as the portal writes them in
/// APPLICATION_SCOPE and in a refreshed token's `scope` (§7.2): the knob
/// `scopes` (by default `bizproc,user_brief,entity`).
pub fn application_scope(state: &Shared) -> String {
    state.knobs().scopes.join(",")
}

/// What real portals send as SERVER_ENDPOINT (§4.1). The emulator has no
/// OAuth server; the value is passed through for fidelity only.
pub const SERVER_ENDPOINT: &str = "https://oauth.bitrix.info/rest/";

/// The value of the iframe's `allow` attribute (§4.1, S13).
pub const IFRAME_ALLOW: &str = "geolocation *; microphone *; camera *; autoplay *;";

const PORTAL_CSS_PATH: &str = "/bitrix/css/emulator/portal.css";
const APPLAYOUT_JS_PATH: &str = "/bitrix/js/emulator/applayout.js";

const PORTAL_CSS: &str = include_str!("../assets/portal.css");
const APPLAYOUT_JS: &str = include_str!("../assets/applayout.js");
const CHROME_HTML: &str = include_str!("../assets/portal-chrome.html");
const SLIDER_HTML: &str = include_str!("../assets/portal-slider.html");

/// Query parameters Bitrix treats as system parameters and never passes on in
/// PLACEMENT_OPTIONS (§4.1: "minus system params and `_r`"). The list is the
/// one Bitrix's request object strips from URLs (login/logout/cache switches
/// and `sessid`); which exact list app.layout uses is not in the fact sheet.
const SYSTEM_PARAMS: &[&str] = &[
    "_r",
    "login",
    "login_form",
    "logout",
    "register",
    "forgot_password",
    "change_password",
    "confirm_registration",
    "confirm_code",
    "confirm_user_id",
    "bitrix_include_areas",
    "clear_cache",
    "show_page_exec_time",
    "show_include_exec_time",
    "show_sql_stat",
    "show_cache_stat",
    "show_link_stat",
    "sessid",
];

/// Characters PHP's `urlencode` leaves alone are alphanumerics and `-_.`.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.');

/// State of the page side that the shared `Emulator` does not hold: the
/// portal session and which users have finished their first run.
#[derive(Debug)]
struct PageState {
    /// `bitrix_sessid()`: fixed for the emulator's one browser session.
    sessid: String,
    /// Users for whom `setInstall {install:true}` was saved (§4.2), so
    /// FIRST_RUN is false on their later renders.
    first_run_done: Mutex<HashSet<UserId>>,
}

impl PageState {
    fn new() -> Self {
        PageState {
            sessid: random_hex(16),
            first_run_done: Mutex::new(HashSet::new()),
        }
    }

    fn first_run_done(&self) -> MutexGuard<'_, HashSet<UserId>> {
        self.first_run_done
            .lock()
            .unwrap_or_else(|p| p.into_inner())
    }
}

/// The routes of the portal page, its assets, `lazyload.ajax.php` and the
/// portal pages apps link to. Unknown paths get a portal-style 404 page, so
/// this router carries the portal origin's fallback.
pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/", get(redirect_to_app))
        .route(APP_PAGE_PATH, get(app_page))
        .route(LAZYLOAD_PATH, post(lazyload))
        .route(PORTAL_CSS_PATH, get(portal_css))
        .route(APPLAYOUT_JS_PATH, get(applayout_js))
        .fallback(portal_path)
        .layer(Extension(Arc::new(PageState::new())))
}

// ---------------------------------------------------------------------------
// Small helpers

/// `len` random bytes as lower-case hex, from the operating system's RNG.
fn random_hex(len: usize) -> String {
    let mut buf = vec![0u8; len];
    rand::rng().fill_bytes(&mut buf);
    to_hex(&buf)
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// 32 hex characters derived from the seed: stable for one emulator
/// configuration, like a real portal's `member_id`.
fn seeded_hex(seed: u64, salt: u64) -> String {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ salt);
    let mut buf = [0u8; 16];
    rng.fill_bytes(&mut buf);
    to_hex(&buf)
}

/// The portal's `member_id` (§4.1): fixed per emulator seed.
pub fn member_id(state: &Shared) -> String {
    seeded_hex(state.config.seed, 0x6d_65_6d_62_65_72)
}

/// The app's APPLICATION_TOKEN (§4.1): fixed per emulator seed.
pub fn application_token(state: &Shared) -> String {
    seeded_hex(state.config.seed, 0x61_70_70_74_6f_6b)
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// JSON that is safe inside a `<script>` element: `<`, `>` and `&` (which
/// only occur inside JSON strings) and the JS line separators are escaped.
pub fn script_json(value: &Value) -> String {
    let text = serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned());
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// Fills `{{NAME}}` slots in one pass; values are inserted as given (callers
/// escape), so a value that contains `{{…}}` is never expanded again.
fn fill(template: &str, slots: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() * 2);
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let key = &after[..end];
        match slots.iter().find(|(name, _)| *name == key) {
            Some((_, value)) => out.push_str(value),
            None => out.push_str(&rest[start..start + 2 + end + 2]),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

fn html_response(status: StatusCode, html: String) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        html,
    )
        .into_response()
}

fn json_response(status: StatusCode, value: &Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        value.to_string(),
    )
        .into_response()
}

/// `CURRENT_HOST` (§4.1): the host the browser asked for, with `:port`
/// when it is not the default; the configured host if the header is unusable.
fn current_host(headers: &HeaderMap, state: &Shared) -> String {
    headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-.:[]".contains(c))
        })
        .map_or_else(|| state.domain().to_owned(), str::to_owned)
}

/// `scheme://host:port` of a URL (the app's origin, checked by the parent).
pub fn origin_of(url: &str) -> &str {
    let Some(scheme_end) = url.find("://") else {
        return url;
    };
    let host_start = scheme_end + 3;
    match url[host_start..].find(['/', '?', '#']) {
        Some(i) => &url[..host_start + i],
        None => url,
    }
}

fn is_https(state: &Shared) -> bool {
    state.portal_origin.starts_with("https://")
}

/// The signed-in user's display name and initials for the header.
fn user_label(state: &Shared, user: UserId) -> (String, String) {
    match state.directory.user(user) {
        Some(u) => {
            let name = format!("{} {}", u.name, u.last_name).trim().to_owned();
            let initials: String = [&u.name, &u.last_name]
                .iter()
                .filter_map(|s| s.chars().next())
                .collect();
            (name, initials.to_uppercase())
        }
        None => (format!("User {user}"), "U".to_owned()),
    }
}

// ---------------------------------------------------------------------------
// The portal chrome (header, left menu, content card)

/// Sections of the left menu, to highlight the current one (`Other`: none).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Feed,
    Crm,
    Workflows,
    Employees,
    Workgroups,
    Apps,
    App,
    Other,
}

const MENU: &[(&str, &str, Section, &str)] = &[
    ("Feed", "/stream/", Section::Feed, "feed"),
    ("Messenger", "/online/", Section::Other, "chat"),
    ("Calendar", "/calendar/", Section::Other, "calendar"),
    ("Tasks and Projects", "/tasks/", Section::Other, "tasks"),
    ("Workgroups", "/workgroups/", Section::Workgroups, "groups"),
    ("CRM", "/crm/deal/", Section::Crm, "crm"),
    (
        "Workflows",
        "/bizproc/processes/",
        Section::Workflows,
        "workflows",
    ),
    ("Employees", "/company/", Section::Employees, "employees"),
    ("Applications", "/marketplace/", Section::Apps, "apps"),
    (APP_NAME, APP_PAGE_PATH, Section::App, "app"),
];

fn render_menu(active: Section) -> String {
    let mut out = String::new();
    for (label, href, section, icon) in MENU {
        let is_active = *section == active && active != Section::Other;
        out.push_str(&format!(
            "<li class=\"b24-menu__item{}\"><a class=\"b24-menu__link\" href=\"{}\"{}>\
             <span class=\"b24-menu__icon b24-menu__icon--{}\" aria-hidden=\"true\"></span>\
             <span class=\"b24-menu__text\">{}</span></a></li>\n",
            if is_active {
                " b24-menu__item--active"
            } else {
                ""
            },
            escape_html(href),
            if is_active {
                " aria-current=\"page\""
            } else {
                ""
            },
            icon,
            escape_html(label),
        ));
    }
    out
}

/// A full portal page around `content` (raw HTML), with `tail` (raw HTML)
/// before `</body>`.
fn chrome(
    state: &Shared,
    title: &str,
    active: Section,
    content: &str,
    tail: &str,
    host: &str,
) -> String {
    let (user_name, initials) = user_label(state, state.current_user());
    fill(
        CHROME_HTML,
        &[
            ("LANG", &escape_html(&state.config.lang)),
            ("TITLE", &escape_html(title)),
            ("CSS", PORTAL_CSS_PATH),
            ("PORTAL_NAME", "Emulated portal"),
            ("PORTAL_HOST", &escape_html(host)),
            ("USER_NAME", &escape_html(&user_name)),
            ("USER_INITIALS", &escape_html(&initials)),
            ("MENU", &render_menu(active)),
            ("CONTENT", content),
            ("TAIL", tail),
        ],
    )
}

/// A page as the side slider shows it (`IFRAME=Y&IFRAME_TYPE=SIDE_SLIDER`):
/// the content card without the portal's header and menu.
fn slider_page(state: &Shared, title: &str, content: &str) -> String {
    fill(
        SLIDER_HTML,
        &[
            ("LANG", &escape_html(&state.config.lang)),
            ("TITLE", &escape_html(title)),
            ("CSS", PORTAL_CSS_PATH),
            ("CONTENT", content),
        ],
    )
}

// ---------------------------------------------------------------------------
// Routes

async fn redirect_to_app() -> Response {
    (StatusCode::FOUND, [(header::LOCATION, APP_PAGE_PATH)]).into_response()
}

async fn portal_css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        PORTAL_CSS,
    )
        .into_response()
}

async fn applayout_js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        APPLAYOUT_JS,
    )
        .into_response()
}

/// PLACEMENT_OPTIONS for the DEFAULT placement: the page's own GET
/// parameters minus the system ones (§4.1), as PHP would parse them.
fn placement_options(uri: &Uri) -> Map<String, Value> {
    let mut params = php::parse_str(uri.query().unwrap_or(""));
    for name in SYSTEM_PARAMS {
        params.remove(*name);
    }
    params
}

/// The form fields POSTed into the iframe, in the documented order (§4.1).
fn form_fields(
    state: &Shared,
    issued: &crate::auth::Issued,
    placement_options: &Map<String, Value>,
) -> Vec<(&'static str, String)> {
    let mut fields = vec![
        ("AUTH_ID", issued.access_token.clone()),
        ("AUTH_EXPIRES", issued.expires_in.to_string()),
        ("REFRESH_ID", issued.refresh_token.clone()),
        ("SERVER_ENDPOINT", SERVER_ENDPOINT.to_owned()),
        ("APPLICATION_TOKEN", application_token(state)),
        ("APPLICATION_SCOPE", application_scope(state)),
        ("member_id", member_id(state)),
        // A local application (§4.1: L local, F free, D demo, T trial, P paid).
        ("status", "L".to_owned()),
        ("PLACEMENT", "DEFAULT".to_owned()),
    ];
    // Sent only if non-empty, as a JSON string (§4.1).
    if !placement_options.is_empty() {
        fields.push((
            "PLACEMENT_OPTIONS",
            Value::Object(placement_options.clone()).to_string(),
        ));
    }
    fields
}

/// The portal page with the app: `app.layout` (§4.1).
async fn app_page(
    State(state): State<Shared>,
    Extension(page): Extension<Arc<PageState>>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let host = current_host(&headers, &state);
    let protocol = u8::from(is_https(&state));
    let knobs = state.knobs();
    let user = state.current_user();
    let is_admin = !knobs.non_admin;
    // §4.1: APP_SID = md5(uniqid(rand(), true)), new on every render.
    let app_sid = random_hex(16);
    let issued = state.tokens().mint(user, knobs.token_ttl, now_ms());
    let options = state.options().clone();
    let placement = placement_options(&uri);
    let first_run = !page.first_run_done().contains(&user);
    // §4.2, §7.1: INSTALL is true only when the app is not installed yet, an
    // installer URL is set and the viewer is an admin. With
    // `--install-pending` the emulated app is its own installer (installer
    // URL = handler URL) and is not installed until setInstallFinish.
    let installed = state.installed();
    let install = is_admin && !installed;

    let app_url = state.app_url.clone();
    let app_origin = origin_of(&app_url).to_owned();
    let frame_name = format!("{host}|{protocol}|{app_sid}");
    let action = format!(
        "{app_url}{}DOMAIN={}&PROTOCOL={protocol}&LANG={}&APP_SID={}",
        if app_url.contains('?') { '&' } else { '?' },
        utf8_percent_encode(&host, QUERY_VALUE),
        utf8_percent_encode(&state.config.lang, QUERY_VALUE),
        app_sid,
    );
    let fields = form_fields(&state, &issued, &placement);

    let init_data = json!({
        "LANG": state.config.lang,
        "PROTOCOL": protocol,
        "PATH": "/rest",
        "AUTH_ID": issued.access_token,
        // §4.2: a string of seconds, as the PHP template renders it.
        "AUTH_EXPIRES": issued.expires_in.to_string(),
        "REFRESH_ID": issued.refresh_token,
        "MEMBER_ID": member_id(&state),
        "IS_ADMIN": is_admin,
        "INSTALL": install,
        // PHP arrays: an empty one is `[]`, not `{}` (§8.2).
        "USER_OPTIONS": php::php_array(options.user.clone()),
        "APP_OPTIONS": php::php_array(options.app.clone()),
        "PLACEMENT": "DEFAULT",
        "PLACEMENT_OPTIONS": php::php_array(placement.clone()),
    });
    let config = json!({
        "appSid": app_sid,
        "appOrigin": app_origin,
        "staticApp": state.config.static_app,
        "sessid": page.sessid,
        "lazyloadUrl": LAZYLOAD_PATH,
        "frameLogUrl": "/_emulator/frame-log",
        "firstRun": first_run,
        "initData": init_data,
    });

    let mut form = format!(
        "<form id=\"app-form\" class=\"app-frame__form\" method=\"post\" target=\"{}\" action=\"{}\" hidden>\n",
        escape_html(&frame_name),
        escape_html(&action),
    );
    for (name, value) in &fields {
        form.push_str(&format!(
            "<input type=\"hidden\" name=\"{}\" value=\"{}\">\n",
            escape_html(name),
            escape_html(value)
        ));
    }
    form.push_str("</form>\n");

    let content = format!(
        "<section class=\"b24-card b24-card--app\" aria-labelledby=\"pagetitle\">\n\
         <div class=\"b24-pagetitle\"><h1 id=\"pagetitle\" class=\"b24-pagetitle__title\">{title}</h1></div>\n\
         <div id=\"app-frame-layout\" class=\"app-frame\">\n\
         <iframe id=\"app-frame\" class=\"app-frame__iframe\" name=\"{name}\" allow=\"{allow}\" title=\"{title}\" frameborder=\"0\"></iframe>\n\
         </div>\n{form}</section>\n\
         <details id=\"frame-panel\" class=\"devpanel\">\n\
         <summary class=\"devpanel__summary\">Frame messages <span class=\"devpanel__count\" id=\"frame-count\">0</span></summary>\n\
         <div class=\"devpanel__body\"><p class=\"devpanel__hint\">Every postMessage this page received from any frame, \
         with why it was accepted or refused. Tokens are redacted.</p>\n\
         <table class=\"devpanel__table\"><thead><tr>\
         <th scope=\"col\">#</th><th scope=\"col\">Time</th><th scope=\"col\">Origin</th>\
         <th scope=\"col\">Command</th><th scope=\"col\">Accepted</th><th scope=\"col\">Reason</th>\
         <th scope=\"col\">Replied</th><th scope=\"col\">Data</th></tr></thead>\
         <tbody id=\"frame-log-rows\"></tbody></table></div>\n</details>\n",
        title = escape_html(APP_NAME),
        name = escape_html(&frame_name),
        allow = IFRAME_ALLOW,
    );
    let tail = format!(
        "<div id=\"side-slider\" class=\"side-slider\" hidden>\n\
         <div class=\"side-slider__overlay\" data-slider-close></div>\n\
         <div class=\"side-slider__panel\" role=\"dialog\" aria-modal=\"true\" aria-label=\"Slider\">\n\
         <button type=\"button\" class=\"side-slider__close\" data-slider-close aria-label=\"Close\">\u{00d7}</button>\n\
         <iframe id=\"side-slider-frame\" class=\"side-slider__frame\" title=\"Slider\"></iframe>\n\
         </div>\n</div>\n\
         <script type=\"application/json\" id=\"portal-config\">{}</script>\n\
         <script src=\"{APPLAYOUT_JS_PATH}\"></script>\n",
        script_json(&config),
    );
    // A non-admin opening an app that is not installed yet gets the portal's
    // notice instead of the frame (§7.1, S13).
    let shows_frame = installed || is_admin;
    let tail = if shows_frame { tail } else { String::new() };
    let content = if shows_frame {
        content
    } else {
        format!(
            "<section class=\"b24-card b24-card--app\" aria-labelledby=\"pagetitle\">\n\
             <div class=\"b24-pagetitle\"><h1 id=\"pagetitle\" class=\"b24-pagetitle__title\">{}</h1></div>\n\
             <p id=\"app-not-installed\" class=\"b24-notice\">The application is not fully installed yet. \
             Please contact your Bitrix24 administrator to complete the installation.</p>\n</section>\n",
            escape_html(APP_NAME)
        )
    };
    let html = chrome(&state, APP_NAME, Section::App, &content, &tail, &host);
    html_response(StatusCode::OK, html)
}

/// Parses a lazyload request body (`parse_str`, as PHP receives it).
fn lazyload_params(body: &Bytes) -> Map<String, Value> {
    php::parse_str(&String::from_utf8_lossy(body))
}

/// `lazyload.ajax.php`: the page's own back end, reached with the portal
/// session (the `sessid`), never with the app's token (§4.2).
async fn lazyload(
    State(state): State<Shared>,
    Extension(page): Extension<Arc<PageState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let params = lazyload_params(&body);
    let sessid = params.get("sessid").and_then(Value::as_str).unwrap_or("");
    if sessid != page.sessid {
        return json_response(
            StatusCode::FORBIDDEN,
            &json!({"error": "SESSION_ERROR", "error_description": "Wrong sessid"}),
        );
    }
    let knobs = state.knobs();
    let user = state.current_user();
    let is_admin = !knobs.non_admin;
    let action = params.get("action").and_then(Value::as_str).unwrap_or("");
    let name = params
        .get("name")
        .and_then(php::to_php_string)
        .unwrap_or_default();
    // The value arrives form-encoded (PHP bracket notation for structures),
    // so scalars come back as strings on the next render, as from a portal.
    let value = params
        .get("value")
        .cloned()
        .unwrap_or(Value::String(String::new()));
    match action {
        "access_refresh" => {
            let issued = state.tokens().mint(user, knobs.token_ttl, now_ms());
            let host = current_host(&headers, &state);
            json_response(
                StatusCode::OK,
                &json!({
                    "access_token": issued.access_token,
                    "expires": now_ms() / 1000 + issued.expires_in as i64,
                    "expires_in": issued.expires_in,
                    "scope": application_scope(&state),
                    "domain": host,
                    "server_endpoint": SERVER_ENDPOINT,
                    "status": "L",
                    "client_endpoint": format!("{}/rest/", state.portal_origin),
                    "member_id": member_id(&state),
                    "user_id": issued.user_id,
                    "refresh_token": issued.refresh_token,
                }),
            )
        }
        "set_user_option" if !name.is_empty() => {
            state.options().user.insert(name, value);
            json_response(StatusCode::OK, &json!({"result": true}))
        }
        // §4.2: app options are for admins only.
        "set_option" if !is_admin => json_response(
            StatusCode::FORBIDDEN,
            &json!({"error": "ACCESS_DENIED", "error_description": "Access denied!"}),
        ),
        "set_option" if !name.is_empty() => {
            let mut options = state.options();
            options.app.insert(name, value);
            json_response(StatusCode::OK, &php::php_array(options.app.clone()))
        }
        "set_install" => {
            let done = params.get("install").is_some_and(php::truthy);
            let mut set = page.first_run_done();
            if done {
                set.insert(user);
            } else {
                set.remove(&user);
            }
            json_response(StatusCode::OK, &json!({"result": true}))
        }
        "set_installed" if !is_admin => json_response(
            StatusCode::FORBIDDEN,
            &json!({"error": "ACCESS_DENIED", "error_description": "Access denied!"}),
        ),
        "set_installed" => {
            let v = params.get("v").and_then(Value::as_str) == Some("Y");
            state.options().installed = v;
            json_response(StatusCode::OK, &json!({"result": true}))
        }
        _ => json_response(
            StatusCode::BAD_REQUEST,
            &json!({"error": "WRONG_ACTION", "error_description": "Unknown action or missing name"}),
        ),
    }
}

// ---------------------------------------------------------------------------
// Portal pages an app links to (§1.7)

/// A readable portal page: its title, menu section and body.
struct PortalPage {
    title: String,
    section: Section,
    facts: Vec<(&'static str, String)>,
}

fn crm_page(kind: &str, id: &str, entity: &str) -> PortalPage {
    PortalPage {
        title: format!("{kind} {id}"),
        section: Section::Crm,
        facts: vec![("Type", entity.to_owned()), ("ID", id.to_owned())],
    }
}

fn is_id(s: &str) -> bool {
    !s.is_empty() && s.len() <= 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// Recognises the portal paths of §1.7; `None` is a 404.
fn recognise(state: &Shared, path: &str, query: &Map<String, Value>) -> Option<PortalPage> {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    match segments.as_slice() {
        ["crm", kind @ ("deal" | "lead" | "contact" | "company"), "details", id] if is_id(id) => {
            let (label, entity) = match *kind {
                "deal" => ("Deal", "CRM deal"),
                "lead" => ("Lead", "CRM lead"),
                "contact" => ("Contact", "CRM contact"),
                _ => ("Company", "CRM company"),
            };
            Some(crm_page(label, id, entity))
        }
        // UNCONFIRMED quote URL form (§1.7): both spellings are served.
        ["crm", "quote", "details", id] if is_id(id) => {
            Some(crm_page("Estimate", id, "CRM estimate"))
        }
        ["crm", "type", type_id, "details", id] if is_id(type_id) && is_id(id) => {
            // §1.7: SmartInvoice is entityTypeId 31, quote is 7.
            Some(match *type_id {
                "31" => crm_page("Invoice", id, "CRM invoice (entityTypeId 31)"),
                "7" => crm_page("Estimate", id, "CRM estimate (entityTypeId 7)"),
                _ => PortalPage {
                    title: format!("Smart process {type_id} \u{00b7} item {id}"),
                    section: Section::Crm,
                    facts: vec![
                        ("Type", format!("Smart process (entityTypeId {type_id})")),
                        ("ID", (*id).to_owned()),
                    ],
                },
            })
        }
        ["company", "personal", "user", id] if is_id(id) => {
            let user = state.directory.user(id.parse().ok()?)?;
            Some(PortalPage {
                title: format!("{} {}", user.name, user.last_name)
                    .trim()
                    .to_owned(),
                section: Section::Employees,
                facts: vec![
                    ("Position", user.work_position.clone()),
                    ("Department", user.department.clone()),
                    ("User ID", user.id.to_string()),
                ],
            })
        }
        ["bizproc", "processes"] => {
            let get = |k: &str| query.get(k).and_then(php::to_php_string);
            let mut facts = Vec::new();
            let title = match (get("list_id"), get("element_id")) {
                (Some(list), Some(element)) => {
                    facts.push(("List", list.clone()));
                    facts.push(("Element", element.clone()));
                    format!("Workflows \u{00b7} list {list} \u{00b7} element {element}")
                }
                _ => "Workflows".to_owned(),
            };
            Some(PortalPage {
                title,
                section: Section::Workflows,
                facts,
            })
        }
        ["workgroups", "group", id] if is_id(id) => Some(PortalPage {
            title: format!("Workgroup {id}"),
            section: Section::Workgroups,
            facts: vec![("Group ID", (*id).to_owned())],
        }),
        _ => None,
    }
}

fn page_body(title: &str, facts: &[(&'static str, String)], note: &str) -> String {
    let mut dl = String::new();
    for (name, value) in facts {
        dl.push_str(&format!(
            "<dt>{}</dt><dd>{}</dd>",
            escape_html(name),
            escape_html(value)
        ));
    }
    format!(
        "<section class=\"b24-card\" aria-labelledby=\"pagetitle\">\n\
         <div class=\"b24-pagetitle\"><h1 id=\"pagetitle\" class=\"b24-pagetitle__title\">{}</h1></div>\n\
         <div class=\"b24-entity\"><dl class=\"b24-entity__facts\">{dl}</dl>\n\
         <p class=\"b24-entity__note\">{}</p></div>\n</section>\n",
        escape_html(title),
        escape_html(note),
    )
}

/// Every other GET on the portal: the pages of §1.7, or a 404 page.
async fn portal_path(
    State(state): State<Shared>,
    headers: HeaderMap,
    method: Method,
    uri: Uri,
) -> Response {
    let query = php::parse_str(uri.query().unwrap_or(""));
    // The side slider loads pages with IFRAME=Y&IFRAME_TYPE=SIDE_SLIDER (§1.7).
    let in_slider = query.get("IFRAME").and_then(Value::as_str) == Some("Y");
    let host = current_host(&headers, &state);
    let found = if method == Method::GET || method == Method::HEAD {
        recognise(&state, uri.path(), &query)
    } else {
        None
    };
    let (status, title, section, body) = match found {
        Some(page) => (
            StatusCode::OK,
            page.title.clone(),
            page.section,
            page_body(
                &page.title,
                &page.facts,
                "A page of the emulated portal: it stands in for the real one an app links to.",
            ),
        ),
        None => (
            StatusCode::NOT_FOUND,
            "Page not found".to_owned(),
            Section::Other,
            page_body(
                "Page not found",
                &[("Path", uri.path().to_owned())],
                "The emulated portal has no such page.",
            ),
        ),
    };
    let html = if in_slider {
        slider_page(&state, &title, &body)
    } else {
        chrome(&state, &title, section, &body, "", &host)
    };
    let mut response = html_response(status, html);
    // Portal pages may be framed only by the portal itself (the side slider).
    response.headers_mut().insert(
        header::X_FRAME_OPTIONS,
        HeaderValue::from_static("SAMEORIGIN"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_slots_once_and_keeps_unknown_ones() {
        assert_eq!(
            fill("a {{X}} b {{Y}} {{Z}}", &[("X", "{{Y}}"), ("Y", "2")]),
            "a {{Y}} b 2 {{Z}}"
        );
        assert_eq!(fill("open {{X", &[("X", "1")]), "open {{X");
    }

    #[test]
    fn script_json_cannot_close_the_script_element() {
        let text = script_json(&json!({"x": "</script><!-- & \u{2028}"}));
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'));
        let back: Value = serde_json::from_str(&text).expect("still JSON");
        assert_eq!(back["x"], "</script><!-- & \u{2028}");
    }

    #[test]
    fn origin_is_scheme_host_and_port() {
        assert_eq!(
            origin_of("http://127.0.0.1:8081/app/?x=1"),
            "http://127.0.0.1:8081"
        );
        assert_eq!(origin_of("https://a.example"), "https://a.example");
    }

    #[test]
    fn placement_options_drop_system_parameters() {
        let uri: Uri = "/marketplace/app/1/?_r=1&sessid=x&filter[a]=b&id=5"
            .parse()
            .expect("uri");
        let options = placement_options(&uri);
        assert_eq!(
            Value::Object(options),
            json!({"filter": {"a": "b"}, "id": "5"})
        );
    }
}
