//! The portal's REST API under `/rest/` (fact sheet §1–§4.5, §6).
//!
//! A request goes through the same stages as on a Bitrix24 cloud portal:
//! CORS headers on every answer, request decoding (JSON or PHP bracket
//! notation, query and body merged), the leaky bucket, the token check, the
//! method lookup, the per-method operating-time check, the method itself.

mod batch;
mod entity;
mod error;
mod filter;
mod instances;
mod methods;
mod tasks;

use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use chrono::FixedOffset;
use serde_json::{json, Map, Value};

use crate::auth::{TokenError, UserId};
use crate::config::Knobs;
use crate::limits::Operating;
use crate::php;
use crate::state::{now_ms, RestLogEntry};
use crate::store::format_date;
use crate::Shared;

pub use entity::dump as entity_dump;
pub use error::RestError;

/// What a method returns on success.
#[derive(Debug, Clone, PartialEq)]
pub struct Success {
    pub result: Value,
    pub total: Option<usize>,
    pub next: Option<usize>,
}

impl Success {
    pub fn value(result: Value) -> Self {
        Success {
            result,
            total: None,
            next: None,
        }
    }
}

/// Who is calling and when.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub user: UserId,
    pub is_admin: bool,
    pub now_ms: i64,
    pub knobs: Knobs,
    pub offset: FixedOffset,
    /// A test's own query (header [`ORACLE_HEADER`]): no operating time
    /// is checked or charged.
    pub oracle: bool,
    /// The key of the batch command being run, or `None` at the top level.
    pub batch_key: Option<String>,
}

/// A request carrying this header is a test asking what the portal holds
/// (the oracle the app is compared with): it skips latency, injected
/// faults, the network knob, the leaky bucket and the operating budget, so
/// that checking the app never changes what the app meets. A browser
/// cannot send it without a preflight, which the portal refuses (§4.5).
pub const ORACLE_HEADER: &str = "x-emulator-oracle";

pub fn routes() -> axum::Router<Shared> {
    axum::Router::new().route("/rest/{method}", any(handle))
}

/// The headers `CRestUtil::sendHeaders` puts on every REST answer (§4.5).
/// No Allow-Methods and no Allow-Credentials: a preflight that asks for an
/// `Authorization` or any custom header fails in the browser, as in production.
fn cors(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert("access-control-allow-origin", HeaderValue::from_static("*"));
    h.insert(
        "access-control-allow-headers",
        HeaderValue::from_static("origin, content-type, accept"),
    );
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    response
}

fn json_response(status: StatusCode, body: &Value) -> Response {
    let mut r = (status, body.to_string()).into_response();
    r.headers_mut().insert(
        "content-type",
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    r
}

/// Headers a browser may send without asking (CORS-safelisted) and the ones
/// the portal allows; anything else is "custom" in the log.
const PLAIN_HEADERS: &[&str] = &[
    "accept",
    "accept-encoding",
    "accept-language",
    "connection",
    "content-length",
    "content-type",
    "content-language",
    "cookie",
    "host",
    "origin",
    "referer",
    "user-agent",
    "pragma",
    "cache-control",
    "priority",
    "dnt",
    "upgrade-insecure-requests",
    "access-control-request-method",
    "access-control-request-headers",
];

fn custom_headers(headers: &HeaderMap) -> Vec<String> {
    headers
        .keys()
        .map(|k| k.as_str().to_owned())
        .filter(|k| {
            !PLAIN_HEADERS.contains(&k.as_str()) && !k.starts_with("sec-") && k != "authorization"
        })
        .collect()
}

/// Replaces token values in logged parameters.
fn redact(params: &Map<String, Value>) -> Value {
    let mut out = params.clone();
    for key in ["auth", "access_token"] {
        if let Some(v) = out.get_mut(key) {
            *v = Value::String("***".into());
        }
    }
    Value::Object(out)
}

/// The `time` object of a response (§3.3).
pub fn time_object(
    start_ms: f64,
    finish_ms: f64,
    processing_s: f64,
    operating: Option<Operating>,
    offset: &FixedOffset,
) -> Value {
    let mut t = json!({
        "start": start_ms / 1000.0,
        "finish": finish_ms / 1000.0,
        "duration": (finish_ms - start_ms) / 1000.0,
        "processing": processing_s,
        "date_start": format_date((start_ms / 1000.0) as i64, offset),
        "date_finish": format_date((finish_ms / 1000.0) as i64, offset),
    });
    if let (Some(op), Some(obj)) = (operating, t.as_object_mut()) {
        // `operating_reset_at` is omitted when no reset time is known (§3.2).
        if let Some(reset) = op.reset_at {
            obj.insert("operating_reset_at".into(), json!(reset));
        }
        obj.insert("operating".into(), json!(op.used_s));
    }
    t
}

/// Where the token came from, and the token: `auth`, then `access_token`,
/// then `Authorization: Bearer` (§4.4, S11).
fn find_token(
    params: &Map<String, Value>,
    headers: &HeaderMap,
) -> (Option<String>, Option<&'static str>) {
    for key in ["auth", "access_token"] {
        if let Some(t) = params.get(key).and_then(php::to_php_string) {
            if !t.is_empty() {
                return (
                    Some(t),
                    Some(if key == "auth" {
                        "auth"
                    } else {
                        "access_token"
                    }),
                );
            }
        }
    }
    let bearer = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty());
    match bearer {
        Some(t) => (Some(t), Some("header")),
        None => (None, None),
    }
}

/// The server's UTC offset.
pub fn server_offset(state: &Shared) -> FixedOffset {
    FixedOffset::east_opt(state.config.server_offset_minutes * 60)
        .unwrap_or_else(|| FixedOffset::east_opt(0).expect("UTC is a valid offset"))
}

async fn handle(
    State(state): State<Shared>,
    Path(raw_method): Path<String>,
    http_method: Method,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if http_method == Method::OPTIONS {
        // The preflight: answered with the same headers, nothing else (§4.5).
        return cors(StatusCode::OK.into_response());
    }
    let began = Instant::now();
    let arrived_ms = now_ms();
    // `.json` (and `.xml`, not emulated: answered as JSON) pick the format (§4.4).
    let method = raw_method
        .strip_suffix(".json")
        .or_else(|| raw_method.strip_suffix(".xml"))
        .unwrap_or(&raw_method)
        .to_lowercase();
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let params = php::merge(
        php::parse_str(query.as_deref().unwrap_or("")),
        php::decode_body(content_type.as_deref(), &body),
    );
    let (token, auth_source) = find_token(&params, &headers);
    let oracle = headers.contains_key(ORACLE_HEADER);
    let knobs = if oracle {
        Knobs {
            rate: 0.0,
            latency_ms: 0,
            fail_rate: 0.0,
            inject_503_rate: 0.0,
            network_down: false,
            batch_command_latency_ms: 0,
            ..state.knobs()
        }
    } else {
        state.knobs()
    };
    if knobs.latency_ms > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(knobs.latency_ms)).await;
    }

    // A 503 injected by a knob, whatever the bucket holds (marked in the
    // log so tests can tell it from a real overflow).
    let injected = knobs.inject_503_rate > 0.0 && {
        use rand::Rng;
        state
            .faults()
            .random_bool(knobs.inject_503_rate.clamp(0.0, 1.0))
    };
    // The network is gone (knob `network_down`): the answer carries no
    // CORS headers, so the browser's `fetch` rejects exactly as it does
    // when the connection fails, and the app sees no status and no body.
    let network_down = knobs.network_down;
    let outcome = if network_down {
        Err(RestError::internal())
    } else if injected {
        Err(RestError::query_limit())
    } else {
        respond(
            &state,
            &method,
            &params,
            token.as_deref(),
            &knobs,
            arrived_ms,
            oracle,
        )
        .await
    };
    let (status, body, error) = match outcome {
        Ok(body) => (StatusCode::OK, body, None),
        Err(e) => (e.status, e.body(), Some(e.code.clone())),
    };
    let status = if network_down {
        StatusCode::BAD_GATEWAY
    } else {
        status
    };
    state.log_rest(RestLogEntry {
        seq: 0,
        at_ms: arrived_ms,
        batch_methods: if method == "batch" {
            batch::methods_of(&params)
        } else {
            Vec::new()
        },
        batch_errors: if method == "batch" {
            batch::errors_of(&body)
        } else {
            Default::default()
        },
        method,
        params: redact(&params),
        auth_source: auth_source.map(str::to_owned),
        content_type,
        authorization_header: headers.contains_key("authorization"),
        custom_headers: custom_headers(&headers),
        origin: headers
            .get("origin")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        status: status.as_u16(),
        error: if network_down {
            Some("NETWORK_DOWN".to_owned())
        } else {
            error
        },
        injected: injected || network_down,
        duration_ms: began.elapsed().as_secs_f64() * 1000.0,
    });
    if network_down {
        return json_response(StatusCode::BAD_GATEWAY, &Value::Null);
    }
    cors(json_response(status, &body))
}

/// Everything after decoding: limits, faults, auth, the method.
async fn respond(
    state: &Shared,
    method: &str,
    params: &Map<String, Value>,
    token: Option<&str>,
    knobs: &Knobs,
    arrived_ms: i64,
    oracle: bool,
) -> Result<Value, RestError> {
    state
        .limits()
        .set_operating_window(knobs.operating_window_s);
    if !state.limits().admit(now_ms(), knobs.rate, knobs.burst) {
        return Err(RestError::query_limit());
    }
    if knobs.fail_rate > 0.0 {
        use rand::Rng;
        if state.faults().random_bool(knobs.fail_rate.clamp(0.0, 1.0)) {
            return Err(RestError::internal());
        }
    }
    let user = match state.tokens().check(token, now_ms()) {
        Ok(user) => user,
        Err(TokenError::Missing) => return Err(RestError::no_auth()),
        Err(TokenError::Expired) => return Err(RestError::expired_token()),
        Err(TokenError::Invalid) => return Err(RestError::invalid_token()),
    };
    let ctx = Ctx {
        user,
        is_admin: state.directory.user(user).is_some_and(|u| u.is_admin),
        now_ms: arrived_ms,
        knobs: knobs.clone(),
        offset: server_offset(state),
        oracle,
        batch_key: None,
    };
    let started = now_ms() as f64;
    let (success, operating) = if method == "batch" {
        let ran = batch::run(state, &ctx, params).await;
        state.after_batch();
        ran?
    } else {
        invoke(state, &ctx, method, params, !oracle)?
    };
    let finish = now_ms() as f64;
    let mut body = Map::new();
    body.insert("result".into(), success.result);
    if let Some(next) = success.next {
        body.insert("next".into(), json!(next));
    }
    if let Some(total) = success.total {
        body.insert("total".into(), json!(total));
    }
    let operating = operating.filter(|_| knobs.operating_reported);
    body.insert(
        "time".into(),
        time_object(
            started,
            finish,
            (finish - started) / 1000.0,
            operating,
            &ctx.offset,
        ),
    );
    Ok(Value::Object(body))
}

/// Runs one method (top level or inside a batch) with the operating-time
/// check before and the accounting after (§3.2). `charge` is false for
/// methods nested in a batch whose budget goes to `batch` (knob).
pub fn invoke(
    state: &Shared,
    ctx: &Ctx,
    method: &str,
    params: &Map<String, Value>,
    charge: bool,
) -> Result<(Success, Option<Operating>), RestError> {
    let handler = methods::lookup(method, &ctx.knobs).ok_or_else(RestError::method_not_found)?;
    // The token's scopes are checked before the method runs (S11).
    if let Some(needed) = methods::scopes_of(method) {
        if !needed
            .iter()
            .any(|s| ctx.knobs.scopes.iter().any(|g| g == s))
        {
            return Err(RestError::insufficient_scope(
                ctx.knobs.insufficient_scope_status,
            ));
        }
    }
    if !ctx.oracle
        && state
            .limits()
            .blocked(method, now_ms(), ctx.knobs.operating_limit_s)
    {
        return Err(RestError::operation_time_limit());
    }
    let began = Instant::now();
    let result = handler(state, ctx, params);
    if charge {
        let spent = began.elapsed().as_secs_f64() + ctx.knobs.operating_charge_s;
        state.limits().charge(method, now_ms(), spent);
    }
    let operating = state.limits().operating(method, now_ms());
    result.map(|s| (s, Some(operating)))
}
