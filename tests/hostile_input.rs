//! Hostile input: whatever the portal, the portal page or the address bar
//! hands the app — arbitrary JSON (deep nesting, huge strings, wrong types,
//! `[]` for maps, unknown fields and codes) and arbitrary strings — every
//! reader returns a value or an error, never a panic. Property tests
//! (proptest), a few hundred cases each so the suite stays fast on two
//! cores.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use serde_json::{json, Map, Value};
use workflow_monitor::domain::display::cells::CellContext;
use workflow_monitor::domain::display::documents::DocumentRef;
use workflow_monitor::domain::display::names::UserNames;
use workflow_monitor::domain::frame::{
    accept_reply, decode_reply, open_path_reply, refreshed_credentials, split_reply, FrameName,
};
use workflow_monitor::domain::i18n::Lang;
use workflow_monitor::domain::methods::instances::{parse_instances, WorkflowPage};
use workflow_monitor::domain::methods::instances::{Field, TemplateId, UserId, WorkflowRow};
use workflow_monitor::domain::methods::lookups::{parse_templates, parse_users};
use workflow_monitor::domain::methods::lookups::{TemplateInfo, Templates, UserInfo};
use workflow_monitor::domain::methods::session::{Host, Session};
use workflow_monitor::domain::table::fragment::SavedOptions;
use workflow_monitor::domain::table::view::{Column, ViewState};
use workflow_monitor::domain::table::waiting::{OpenTask, Waiting, WaitingMap};
use workflow_monitor::domain::time::TimeContext;
use workflow_monitor::domain::wire::batch::{parse_batch, BatchResponse};
use workflow_monitor::domain::wire::errors::{classify, RawResponse, RestError};
use workflow_monitor::ui::table_body::markup::rows_markup;

/// Keys the readers look for, so that random objects hit the real paths.
const KEYS: &[&str] = &[
    "result",
    "total",
    "next",
    "time",
    "error",
    "error_description",
    "argument",
    "result_error",
    "result_total",
    "result_next",
    "result_time",
    "operating",
    "operating_reset_at",
    "ID",
    "MODIFIED",
    "OWNED_UNTIL",
    "MODULE_ID",
    "ENTITY",
    "DOCUMENT_ID",
    "STARTED",
    "STARTED_BY",
    "TEMPLATE_ID",
    "NAME",
    "LAST_NAME",
    "AUTH_ID",
    "AUTH_EXPIRES",
    "DOMAIN",
    "PATH",
    "LANG",
    "IS_ADMIN",
    "USER_OPTIONS",
    "APP_OPTIONS",
    "PLACEMENT_OPTIONS",
    "wm_view",
    "wm_columns",
    "wm_theme",
    "c0",
    "0",
    "",
    "__proto__",
];

/// Strings that mean something somewhere: codes, numbers as text, dates,
/// markup, PHP's empty map, separators of the wire formats.
fn tricky_string() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("[]".to_owned()),
        Just("expired_token".to_owned()),
        Just("ACCESS_DENIED".to_owned()),
        Just("QUERY_LIMIT_EXCEEDED".to_owned()),
        Just("-1".to_owned()),
        Just("18446744073709551616".to_owned()),
        Just("1e308".to_owned()),
        Just("NaN".to_owned()),
        Just("2026-11-28T14:05:09+03:00".to_owned()),
        Just("<img src=x onerror=alert(1)>".to_owned()),
        Just("DEAL_1633".to_owned()),
        Just("DYNAMIC_147_1".to_owned()),
        Just("a:b|c&d=e#f".to_owned()),
        "[a-zA-Z0-9_:|&=#%.-]{0,24}",
        any::<String>(),
    ]
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        tricky_string().prop_map(Value::String),
    ]
}

/// Arbitrary JSON, up to 6 levels deep, with keys from [`KEYS`] and random
/// ones.
fn any_json() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(6, 64, 8, |inner| {
        let key = prop_oneof![
            4 => proptest::sample::select(KEYS).prop_map(str::to_owned),
            1 => any::<String>(),
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::vec((key, inner), 0..8)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// An answer shaped like the portal's, with arbitrary parts in it.
fn answer_like() -> impl Strategy<Value = Value> {
    (any_json(), any_json(), any_json(), any_json()).prop_map(|(result, total, next, time)| {
        json!({"result": result, "total": total, "next": next, "time": time})
    })
}

/// A `batch` answer shaped like the portal's, with arbitrary maps.
fn batch_like() -> impl Strategy<Value = Value> {
    (any_json(), any_json(), any_json(), any_json()).prop_map(|(r, e, t, n)| {
        json!({"result": {"result": r, "result_error": e, "result_total": t,
                          "result_next": n, "result_time": []}})
    })
}

/// An error payload with an arbitrary code and description.
fn error_like() -> impl Strategy<Value = Value> {
    (tricky_string(), any_json(), any_json()).prop_map(|(code, description, argument)| {
        json!({"error": code, "error_description": description, "argument": argument})
    })
}

/// Everything a `RawResponse` reader is given.
fn read_raw(raw: &RawResponse) {
    let _ = WorkflowPage::from_raw(raw);
    let _ = BatchResponse::from_raw(raw);
    let _ = parse_templates(raw);
    let _ = parse_users(raw);
}

fn host() -> Host {
    Host::parse("127.0.0.1:8080").expect("a valid host")
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn response_bodies_never_panic(value in prop_oneof![any_json(), answer_like(), batch_like(), error_like()], status in prop_oneof![Just(200u16), Just(401u16), Just(503u16), any::<u16>()]) {
        let body = value.to_string();
        if let Ok(raw) = classify(status, &body) {
            read_raw(&raw);
        }
        let _ = parse_instances(&value);
        let _ = parse_batch(&value);
        if let Ok(raw) = RawResponse::from_body(&value) {
            read_raw(&raw);
        }
    }

    #[test]
    fn arbitrary_text_as_a_body_never_panics(body in any::<String>(), status in any::<u16>()) {
        let _ = classify(status, &body);
    }

    #[test]
    fn error_payloads_never_panic_and_keep_their_code(payload in prop_oneof![error_like(), any_json()], status in proptest::option::of(any::<u16>())) {
        if let Some(err) = RestError::from_payload(status, &payload) {
            // Every error can be explained in both languages.
            for lang in workflow_monitor::domain::i18n::Lang::ALL {
                let _ = err.message(lang);
            }
            let _ = err.code();
            let _ = err.is_auth_expired();
        }
    }

    #[test]
    fn frame_replies_never_panic(data in prop_oneof![
        any::<String>(),
        (tricky_string(), any_json()).prop_map(|(id, v)| format!("{id}:{v}")),
        any_json().prop_map(|v| format!("wm1_ab:{v}")),
    ]) {
        let _ = decode_reply(&data);
        let _ = split_reply(&data);
        let accepted = accept_reply("http://p", "http://p", Some(&data), |id| id == "wm1_ab");
        if let Ok((id, value)) = accepted {
            prop_assert_eq!(id, "wm1_ab");
            let _ = refreshed_credentials(&value, 0.0);
            let _ = open_path_reply(&value);
        }
    }

    #[test]
    fn init_data_never_panics_and_never_leaves_the_portal(data in prop_oneof![
        any_json(),
        (any_json(), tricky_string(), any_json(), any_json()).prop_map(|(token, domain, expires, path)| {
            json!({"AUTH_ID": token, "DOMAIN": domain, "AUTH_EXPIRES": expires, "PATH": path,
                   "USER_OPTIONS": [], "PLACEMENT_OPTIONS": "{\"a\":"})
        }),
    ], now in any::<f64>()) {
        if let Ok(session) = Session::from_init_data(&data, &host(), false, now) {
            // Whatever DOMAIN and PATH said, requests go to the frame's portal.
            prop_assert_eq!(session.portal.origin(), "http://127.0.0.1:8080");
            let url = session.portal.method_url("batch");
            prop_assert!(url.starts_with("http://127.0.0.1:8080/"), "{}", url);
            prop_assert!(!url.contains(['?', '#', '\\', '@']), "{}", url);
            let _ = session.credentials.refresh_delay_ms(now);
            let _ = serde_json::from_value::<SavedOptions>(Value::Object(session.user_options));
        }
        let _ = refreshed_credentials(&data, now);
    }

    #[test]
    fn saved_options_never_panic(options in any_json()) {
        let _ = serde_json::from_value::<SavedOptions>(options);
    }

    #[test]
    fn hosts_and_frame_names_are_plain_or_refused(raw in prop_oneof![
        any::<String>(),
        "[a-zA-Z0-9.:@/%_-]{0,40}",
        ("[a-z0-9.-]{1,20}", "[0-9|a-z]{0,6}", "[a-f0-9]{0,40}").prop_map(|(h, p, s)| format!("{h}|{p}|{s}")),
    ]) {
        if let Ok(host) = Host::parse(&raw) {
            prop_assert!(host.as_str().bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-' || b == b':'), "{:?}", host);
        }
        if let Ok(frame) = FrameName::parse(&raw) {
            let origin = frame.origin();
            prop_assert!(origin.starts_with("http://") || origin.starts_with("https://"));
            prop_assert!(!origin[8..].contains(['/', '@', '?', '#']), "{}", origin);
        }
    }

    #[test]
    fn url_fragments_never_panic_and_read_back(fragment in prop_oneof![
        any::<String>(),
        "[a-z]{0,6}=[a-zA-Z0-9_,:.%+-]{0,20}(&[a-z]{0,6}=[a-zA-Z0-9_,:.%+-]{0,20}){0,6}",
    ]) {
        let view = ViewState::from_fragment(&fragment);
        // What the app writes back, it reads back as the same view.
        let again = ViewState::from_fragment(&view.to_fragment());
        prop_assert_eq!(again, view);
    }

    #[test]
    fn document_links_come_only_from_parsed_ids(module in tricky_string(), entity in tricky_string(), id in tricky_string()) {
        for (m, e) in [(module.as_str(), entity.as_str()), ("crm", "CCrmDocumentDeal"), ("crm", "Bitrix\\Crm\\Integration\\BizProc\\Document\\Dynamic")] {
            if let Ok(doc) = DocumentRef::parse(m, e, &id) {
                if let Some(path) = doc.portal_path() {
                    prop_assert!(path.starts_with('/'), "{}", path);
                    prop_assert!(path.bytes().all(|b| b.is_ascii_alphanumeric() || b"/_-".contains(&b)), "{}", path);
                }
            }
        }
    }

    #[test]
    fn table_markup_keeps_portal_data_as_text(values in proptest::collection::vec(prop_oneof![tricky_string(), any::<String>()], 9), name in prop_oneof![tricky_string(), any::<String>()]) {
        let mut row = Map::new();
        for (field, value) in Field::ALL.iter().zip(&values) {
            row.insert(field.as_str().to_owned(), Value::String(value.clone()));
        }
        let Some(row) = WorkflowRow::from_value(&Value::Object(row)) else {
            return Ok(());
        };
        let templates = Templates::new(vec![TemplateInfo { id: TemplateId(1), name: name.clone(), document_type: Some(name.clone()) }]);
        let mut users = UserNames::new();
        users.answered(&[UserId(1)], &[UserInfo { id: UserId(1), name: name.clone() }]);
        let columns: Vec<Column> = Field::ALL.iter().copied().map(Column::Field).chain([Column::Age, Column::Idle, Column::Waiting]).collect();
        let mut waiting = WaitingMap::new();
        let task = OpenTask { id: name.clone(), name: name.clone(), state: name.clone(), waiting: vec![UserId(1), UserId(2)], answered: 1 };
        waiting.insert(row.id.clone(), Waiting::Tasks { tasks: vec![task.clone(), task], more: true });
        let ctx = CellContext {
            time: TimeContext { now: 1_767_225_600, offset_minutes: 180 },
            lang: Lang::En,
            templates: Some(&templates),
            templates_loading: false,
            users: &users,
            users_loading: false,
            origin: "https://portal.example",
            waiting: &waiting,
        };
        let markup = rows_markup(&[row], &columns, &ctx, &|_| true);
        if let Err(e) = only_our_markup(&markup.html) {
            prop_assert!(false, "{}: {}", e, markup.html);
        }
    }
}

/// The elements and attributes the table's markup may contain: all of
/// them literals of `ui::table_body::markup`.
const TAGS: [&str; 7] = ["tr", "td", "span", "time", "a", "button", "input"];
const ATTRS: [&str; 14] = [
    "class",
    "value",
    "checked",
    "title",
    "href",
    "target",
    "rel",
    "tabindex",
    "data-wm-focus",
    "type",
    "aria-label",
    "aria-describedby",
    "data-tip",
    "datetime",
];

/// Reads `html` as a browser would, as far as tags, attributes and text
/// go, and fails on any element or attribute the app does not write, or
/// on a character data could use to break out of text.
fn only_our_markup(html: &str) -> Result<(), String> {
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        let text = &rest[..at];
        if text.contains('>') || text.contains('"') || text.contains('\'') {
            return Err(format!("bare markup character in text {text:?}"));
        }
        rest = &rest[at + 1..];
        let end = rest.find('>').ok_or("unterminated tag")?;
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        let tag = tag.strip_prefix('/').unwrap_or(tag);
        let (name, mut attrs) = tag.split_once(' ').unwrap_or((tag, ""));
        if !TAGS.contains(&name) {
            return Err(format!("element {name:?}"));
        }
        while !attrs.is_empty() {
            let (attr, after) = attrs
                .split_once("=\"")
                .ok_or(format!("attribute {attrs:?}"))?;
            let attr = attr.trim_start();
            if !ATTRS.contains(&attr) {
                return Err(format!("attribute {attr:?}"));
            }
            let close = after.find('"').ok_or("unterminated value")?;
            attrs = &after[close + 1..];
        }
    }
    Ok(())
}

/// Deep nesting: serde_json stops at 128 levels, so a body nested deeper is
/// an error, not a stack overflow.
#[test]
fn deeply_nested_bodies_are_refused_without_overflowing() {
    for depth in [129, 10_000, 200_000] {
        let body = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        assert!(matches!(
            classify(200, &body),
            Err(RestError::NotJson { .. })
        ));
        let body = format!("{}1{}", "{\"result\":".repeat(depth), "}".repeat(depth));
        assert!(classify(200, &body).is_err());
        let reply = format!("wm1_ab:{}", "[".repeat(depth));
        assert_eq!(decode_reply(&reply), None);
    }
}

/// Nesting below the parser's limit goes through every reader.
#[test]
fn nesting_to_the_parsers_limit_is_read_or_refused() {
    let mut value = json!("leaf");
    for i in 0..120 {
        value = if i % 2 == 0 {
            json!([value])
        } else {
            json!({"result": value, "ID": "x"})
        };
    }
    let body = json!({"result": value}).to_string();
    if let Ok(raw) = classify(200, &body) {
        read_raw(&raw);
    }
    let init = json!({"AUTH_ID": "t", "USER_OPTIONS": value.clone(), "PLACEMENT_OPTIONS": value});
    let _ = Session::from_init_data(&init, &host(), false, 0.0);
}

/// Huge strings are read, and what reaches the screen is cut short.
#[test]
fn huge_strings_are_read_and_excerpts_stay_short() {
    let huge = "x".repeat(4 << 20);
    let err = classify(502, &format!("<html>{huge}")).expect_err("not JSON");
    let RestError::NotJson { excerpt, .. } = err else {
        panic!("expected NotJson, got {err:?}");
    };
    assert!(excerpt.chars().count() <= 200);
    let body = json!({"error": huge, "error_description": huge}).to_string();
    assert!(classify(400, &body).is_err());
    let body = json!({"result": [{"ID": huge}], "total": huge}).to_string();
    let raw = classify(200, &body).expect("an answer");
    read_raw(&raw);
    assert_eq!(
        decode_reply(&format!("{huge}:{{}}")),
        None,
        "an overlong id is not ours"
    );
    let _ = ViewState::from_fragment(&huge);
}
