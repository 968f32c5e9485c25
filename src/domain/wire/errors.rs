//! What a REST answer means: its result (with `total`, `next`, `time`), or
//! an error an administrator can act on (fact sheet §1.4, §3.3, §6).
//!
//! Classification is a pure function of the HTTP status and the body text
//! ([`classify`]), so every error payload is tested natively from fixtures.
//! Error payloads are `{"error":"<CODE>","error_description":"<text>"}`;
//! the code may be empty (bizproc terminate/kill/start failures) and may be
//! unknown to the app: both are kept with their description, never dropped.

use std::fmt;

use serde_json::{Map, Value};
use thiserror::Error;

use crate::domain::i18n::{fill, Lang, Texts};

/// The portal's error codes the app tells apart (fact sheet §6). Their
/// wire spellings and messages are in one table, [`CODES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// `expired_token`: the access token ran out (401). The client renews
    /// it once and replays the call; this reaches the user only if that
    /// failed too.
    ExpiredToken,
    /// `invalid_token`: the portal does not accept the token (401).
    InvalidToken,
    /// `NO_AUTH_FOUND`: no usable token or webhook reached the portal (401).
    NoAuthFound,
    /// `insufficient_scope`: the app lacks a scope (403 for webhooks, 401 for OAuth).
    InsufficientScope,
    /// `user_access_error`: the admin limited the app to other users.
    UserAccessError,
    /// `authorization_error` (401).
    AuthorizationError,
    /// `APPLICATION_NOT_FOUND` (401): the app is not installed (any more).
    ApplicationNotFound,
    /// `CONNECTION_ERROR` (401): the portal could not reach its OAuth server.
    ConnectionError,
    /// `ACCESS_DENIED` (403): `bizproc.workflow.instances` is admin-only (§1.1).
    AccessDenied,
    /// `ACCESS_DENIED` whose description says the REST API needs a
    /// commercial plan (§6): the same code, a different cause and remedy.
    RestApiNotOnPlan,
    /// `INVALID_CREDENTIALS` (403): the user behind the token lacks rights.
    InvalidCredentials,
    /// `QUERY_LIMIT_EXCEEDED` (503): the leaky bucket is full (§3.1).
    QueryLimitExceeded,
    /// `OPERATION_TIME_LIMIT` (429): the method used up its server time (§3.2).
    OperationTimeLimit,
    /// `OVERLOAD_LIMIT` (503): REST blocked by hand; only support lifts it.
    OverloadLimit,
    /// `ERROR_METHOD_NOT_FOUND` (404): on cloud, the bizproc methods do not
    /// exist on plans without business processes (§1.1).
    MethodNotFound,
    /// `ERROR_BATCH_LENGTH_EXCEEDED`: more than 50 commands in a batch.
    BatchLengthExceeded,
    /// `ERROR_BATCH_METHOD_NOT_ALLOWED`: a method that may not run in a batch.
    BatchMethodNotAllowed,
    /// `INVALID_REQUEST` (400): "Https required".
    InvalidRequest,
    /// `INTERNAL_SERVER_ERROR` (500).
    InternalServerError,
    /// `ERROR_UNEXPECTED_ANSWER` (500).
    UnexpectedAnswer,
    /// `PORTAL_DELETED`: the portal (or its public part) is closed.
    PortalDeleted,
    /// `ERROR_CORE`: a generic server exception (400), or an SQL error (500).
    ErrorCore,
    /// `ERROR_ARGUMENT` (400): a parameter the app sent was refused; the
    /// payload's `argument` says which.
    ErrorArgument,
    /// `WRONG_ENCODING`: the portal could not encode its own answer.
    WrongEncoding,
    /// `ERROR_WRONG_WORKFLOW_ID` (400): empty or unknown workflow or template id.
    WrongWorkflowId,
    /// `METHOD_CONFIRM_WAITING` (401): an admin has yet to confirm the method.
    MethodConfirmWaiting,
    /// `METHOD_CONFIRM_DENIED` (403).
    MethodConfirmDenied,
    /// Any other code, including the empty one (bizproc terminate/kill
    /// failures answer `{"error":"","error_description":"<reason>"}`); the
    /// code as sent is kept in [`PortalError::wire`].
    Other,
}

/// A known code's message: a template that may name `{description}`.
type Message = fn(&Texts) -> &'static str;

/// The one table from wire code to [`ErrorCode`] and its message. Codes
/// are matched exactly as the server writes them (case-sensitive: the
/// OAuth ones are lower case). `ACCESS_DENIED` reads as
/// [`ErrorCode::AccessDenied`]; [`ErrorCode::RestApiNotOnPlan`] is told
/// apart by its description.
pub const CODES: [(&str, ErrorCode, Message); 27] = [
    ("expired_token", ErrorCode::ExpiredToken, |t| {
        t.err_expired_token
    }),
    ("invalid_token", ErrorCode::InvalidToken, |t| {
        t.err_invalid_token
    }),
    ("NO_AUTH_FOUND", ErrorCode::NoAuthFound, |t| {
        t.err_no_auth_found
    }),
    ("insufficient_scope", ErrorCode::InsufficientScope, |t| {
        t.err_insufficient_scope
    }),
    ("user_access_error", ErrorCode::UserAccessError, |t| {
        t.err_user_access
    }),
    ("authorization_error", ErrorCode::AuthorizationError, |t| {
        t.err_authorization
    }),
    (
        "APPLICATION_NOT_FOUND",
        ErrorCode::ApplicationNotFound,
        |t| t.err_application_not_found,
    ),
    ("CONNECTION_ERROR", ErrorCode::ConnectionError, |t| {
        t.err_connection
    }),
    ("ACCESS_DENIED", ErrorCode::AccessDenied, |t| {
        t.err_access_denied
    }),
    ("ACCESS_DENIED", ErrorCode::RestApiNotOnPlan, |t| {
        t.err_rest_not_on_plan
    }),
    ("INVALID_CREDENTIALS", ErrorCode::InvalidCredentials, |t| {
        t.err_invalid_credentials
    }),
    ("QUERY_LIMIT_EXCEEDED", ErrorCode::QueryLimitExceeded, |t| {
        t.err_query_limit
    }),
    ("OPERATION_TIME_LIMIT", ErrorCode::OperationTimeLimit, |t| {
        t.err_operation_time_limit
    }),
    ("OVERLOAD_LIMIT", ErrorCode::OverloadLimit, |t| {
        t.err_overload
    }),
    ("ERROR_METHOD_NOT_FOUND", ErrorCode::MethodNotFound, |t| {
        t.err_method_not_found
    }),
    (
        "ERROR_BATCH_LENGTH_EXCEEDED",
        ErrorCode::BatchLengthExceeded,
        |t| t.err_batch_length,
    ),
    (
        "ERROR_BATCH_METHOD_NOT_ALLOWED",
        ErrorCode::BatchMethodNotAllowed,
        |t| t.err_batch_method,
    ),
    ("INVALID_REQUEST", ErrorCode::InvalidRequest, |t| {
        t.err_invalid_request
    }),
    (
        "INTERNAL_SERVER_ERROR",
        ErrorCode::InternalServerError,
        |t| t.err_internal,
    ),
    (
        "ERROR_UNEXPECTED_ANSWER",
        ErrorCode::UnexpectedAnswer,
        |t| t.err_unexpected_answer,
    ),
    ("PORTAL_DELETED", ErrorCode::PortalDeleted, |t| {
        t.err_portal_deleted
    }),
    ("ERROR_CORE", ErrorCode::ErrorCore, |t| t.err_core),
    ("ERROR_ARGUMENT", ErrorCode::ErrorArgument, |t| {
        t.err_argument
    }),
    ("WRONG_ENCODING", ErrorCode::WrongEncoding, |t| {
        t.err_wrong_encoding
    }),
    ("ERROR_WRONG_WORKFLOW_ID", ErrorCode::WrongWorkflowId, |t| {
        t.err_wrong_workflow_id
    }),
    (
        "METHOD_CONFIRM_WAITING",
        ErrorCode::MethodConfirmWaiting,
        |t| t.err_confirm_waiting,
    ),
    (
        "METHOD_CONFIRM_DENIED",
        ErrorCode::MethodConfirmDenied,
        |t| t.err_confirm_denied,
    ),
];

impl ErrorCode {
    /// The code for a wire code; [`ErrorCode::Other`] for any code not in
    /// [`CODES`].
    pub fn from_wire(code: &str) -> ErrorCode {
        CODES
            .iter()
            .find(|(wire, _, _)| *wire == code)
            .map_or(ErrorCode::Other, |(_, known, _)| *known)
    }

    /// The wire spelling; `None` for [`ErrorCode::Other`].
    pub fn wire(self) -> Option<&'static str> {
        CODES
            .iter()
            .find(|(_, known, _)| *known == self)
            .map(|(wire, _, _)| *wire)
    }

    fn message(self, t: &Texts) -> Option<&'static str> {
        CODES
            .iter()
            .find(|(_, known, _)| *known == self)
            .map(|(_, _, message)| message(t))
    }
}

/// An error payload from the portal: its code, typed and as sent, and its
/// own description (not meant to be shown raw, §6, but kept for details
/// and logs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalError {
    /// What the app makes of the code.
    pub code: ErrorCode,
    /// The code exactly as the portal sent it (`""` for the empty one).
    pub wire: String,
    /// The portal's `error_description`, `""` when it gave none.
    pub description: String,
    /// The HTTP status; `None` inside a batch, where only the whole batch
    /// has one.
    pub status: Option<u16>,
    /// The payload's `argument` (for `ERROR_ARGUMENT`: which parameter).
    pub argument: Option<String>,
}

impl PortalError {
    /// The message for the administrator, in `lang`.
    fn message(&self, lang: Lang) -> String {
        let t = lang.texts();
        let d = self.description.as_str();
        if let (ErrorCode::ErrorArgument, Some(a)) = (
            self.code,
            self.argument.as_deref().filter(|a| !a.is_empty()),
        ) {
            return fill(t.err_argument_named, &[("argument", a), ("description", d)]);
        }
        if let Some(template) = self.code.message(t) {
            return fill(template, &[("description", d)]);
        }
        let code = self.wire.as_str();
        match (code.is_empty(), d.is_empty()) {
            (true, true) => t.err_other_bare.to_owned(),
            (true, false) => fill(t.err_other_description, &[("description", d)]),
            (false, true) => fill(t.err_other_code, &[("code", code)]),
            (false, false) => fill(t.err_other_both, &[("code", code), ("description", d)]),
        }
    }
}

/// Why a REST call failed, for the administrator reading it: an error the
/// portal answered ([`RestError::Portal`]), or a failure on the way.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RestError {
    /// The portal answered with an error payload.
    Portal(PortalError),
    /// The request never got an answer: offline, DNS, refused connection,
    /// or a CORS refusal (all look the same to a web page).
    Network { detail: String },
    /// No answer within the client's time limit; the request was aborted.
    Timeout { after_ms: u32 },
    /// The portal answered with a redirect; the app does not follow it, so
    /// its token never goes to another address.
    Redirected,
    /// The body is not JSON (a proxy, login or maintenance page).
    NotJson {
        status: u16,
        /// The first 200 characters of the body.
        excerpt: String,
    },
    /// An error status with no error payload.
    HttpStatus { status: u16 },
    /// JSON, but not the shape of an answer.
    BadResponse(#[from] ParseError),
    /// Renewing the token through the portal page failed.
    RefreshFailed(#[from] RefreshError),
    /// A method name the app must never send (a bug): it would become part
    /// of the URL the token is posted to.
    InvalidMethod { method: String },
    /// Parameters that are not a JSON object (a bug in the app).
    InvalidParams { method: String },
    /// The admin stopped the app from waiting for the portal ("Cancel"
    /// while it was about to retry); nothing is wrong with the portal.
    Cancelled,
}

impl RestError {
    /// A portal error with a known `code` and `description`, as answered
    /// outside a batch without a status (for callers and tests that make
    /// one).
    pub fn portal(code: ErrorCode, description: String) -> RestError {
        RestError::Portal(PortalError {
            code,
            wire: code.wire().unwrap_or_default().to_owned(),
            description,
            status: None,
            argument: None,
        })
    }

    /// The portal's error code, typed; `None` for failures on the way.
    pub fn error_code(&self) -> Option<ErrorCode> {
        match self {
            RestError::Portal(e) => Some(e.code),
            _ => None,
        }
    }

    /// Whether the portal answered with `code`.
    pub fn is(&self, code: ErrorCode) -> bool {
        self.error_code() == Some(code)
    }

    /// The message for the administrator, in `lang`: what happened and
    /// what to do. The portal's own code and description are kept where
    /// they are the only explanation there is.
    pub fn message(&self, lang: Lang) -> String {
        let t = lang.texts();
        let with = |template: &str, name: &str, value: &str| fill(template, &[(name, value)]);
        match self {
            RestError::Portal(e) => e.message(lang),
            RestError::Network { .. } => t.err_network.to_owned(),
            RestError::Timeout { after_ms } => {
                let seconds = if after_ms.is_multiple_of(1000) {
                    lang.plural(u64::from(after_ms / 1000), &t.err_seconds)
                } else {
                    let tenths = seconds_in_tenths(*after_ms);
                    let point = match lang {
                        Lang::En => '.',
                        Lang::Ru => ',',
                    };
                    let n = format!("{}{point}{}", tenths / 10, tenths % 10);
                    with(t.err_seconds_fraction, "n", &n)
                };
                with(t.err_timeout, "seconds", &seconds)
            }
            RestError::Redirected => t.err_redirected.to_owned(),
            RestError::NotJson { status, .. } => {
                with(t.err_not_json, "status", &status.to_string())
            }
            RestError::HttpStatus { status } => {
                with(t.err_http_status, "status", &status.to_string())
            }
            RestError::BadResponse(e) => with(t.err_bad_response, "detail", &e.to_string()),
            RestError::RefreshFailed(e) => with(t.err_refresh_failed, "reason", &e.reason),
            RestError::InvalidMethod { method } => with(t.err_invalid_method, "method", method),
            RestError::InvalidParams { method } => with(t.err_invalid_params, "method", method),
            RestError::Cancelled => t.err_cancelled.to_owned(),
        }
    }

    /// The headline and the explanation the page shows for this error, in
    /// `lang`: the two causes an admin meets first (not an admin, no
    /// workflows on the plan) have their own headline; a failed renewal
    /// shows the frame client's own reason.
    pub fn headline(&self, lang: Lang) -> (String, String) {
        let t = lang.texts();
        match self {
            RestError::Portal(e) if e.code == ErrorCode::AccessDenied => (
                t.admins_only_title.to_owned(),
                t.admins_only_text.to_owned(),
            ),
            RestError::Portal(e) if e.code == ErrorCode::MethodNotFound => {
                (t.no_bizproc_title.to_owned(), t.no_bizproc_text.to_owned())
            }
            RestError::RefreshFailed(e) => (t.renewal_failed_title.to_owned(), e.reason.clone()),
            other => (t.load_failed.to_owned(), other.message(lang)),
        }
    }
}

/// In English, for logs and tests; the UI uses [`RestError::message`].
impl fmt::Display for RestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

/// Renewing the access token failed; `reason` says how (timeout, no reply,
/// the portal page refused).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{reason}")]
pub struct RefreshError {
    /// What went wrong, for the administrator.
    pub reason: String,
}

/// Why JSON from the portal is not the answer it should be.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ParseError {
    /// The body is not a JSON object.
    #[error("the answer is not a JSON object")]
    NotAnObject,
    /// A successful answer without `result`.
    #[error("the answer has no \"result\"")]
    MissingResult,
    /// `result` has a type this answer cannot have.
    #[error("\"result\" is {found}, not {expected}")]
    UnexpectedResult {
        /// What was expected, e.g. "a list of workflows".
        expected: &'static str,
        /// The JSON type found.
        found: &'static str,
    },
}

/// The JSON type of a value, for messages.
pub(crate) fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Scalars as the text PHP would print; other values have none.
pub(crate) fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(if *b { "1" } else { "" }.to_owned()),
        _ => None,
    }
}

/// A non-negative whole number sent as a number or a string (`50`, `"50"`,
/// `50.0`); anything else is `None`.
pub(crate) fn loose_u64(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64().or_else(|| {
            n.as_f64()
                .filter(|f| f.is_finite() && *f >= 0.0 && f.fract() == 0.0 && *f < 1e19)
                .map(|f| f as u64)
        }),
        Value::String(s) => {
            let t = s.trim();
            if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            t.parse().ok()
        }
        _ => None,
    }
}

/// `ms` in seconds, rounded to tenths exactly as `format!("{:.1}", ms as
/// f64 / 1000.0)` rounds: to the nearer tenth of the quotient as an `f64`,
/// a tie to the even one. Integer arithmetic instead of float formatting,
/// which would bring `<f64 as Display>` and its tables (some 9 KB of
/// compressed wasm) into the app for this one message.
fn seconds_in_tenths(ms: u32) -> u32 {
    let (tenths, rest) = (ms / 100, ms % 100);
    if rest != 50 {
        // At least 1 ms from the midpoint, far more than the quotient's
        // rounding error (below 2^-30 s for any u32).
        return tenths + u32::from(rest > 50);
    }
    // `ms / 1000` as an f64 is `mantissa * 2^exponent`; compare it with the
    // midpoint (2 * tenths + 1) / 20 without rounding: 20 * mantissa
    // against (2 * tenths + 1) * 2^-exponent, in u128 (ms >= 50, so the
    // quotient is a normal number below 2^23 and -exponent is 30..=57).
    let bits = (f64::from(ms) / 1000.0).to_bits();
    let mantissa = u128::from((bits & ((1 << 52) - 1)) | (1 << 52));
    let shift = 1075 - ((bits >> 52) & 0x7ff) as u32;
    let scaled = 20 * mantissa;
    let midpoint = u128::from(2 * tenths + 1) << shift;
    match scaled.cmp(&midpoint) {
        std::cmp::Ordering::Less => tenths,
        std::cmp::Ordering::Greater => tenths + 1,
        std::cmp::Ordering::Equal => tenths + tenths % 2,
    }
}

/// A finite number sent as a number or a string (`0.35`, `"0.35"`,
/// `" 3600 "`); anything else is `None`.
pub(crate) fn loose_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => number_in_text(s),
        _ => None,
    }
    .filter(|f| f.is_finite())
}

/// The number in `text` (surrounding whitespace ignored) when it is written
/// the way Rust reads an `f64` (`"5"`, `"-0.35"`, `"+5"`, `".5"`, `"5."`,
/// `"1e3"`, `"1.E-3"`), and finite.
///
/// The text is put into JSON's number syntax and read by serde_json, which
/// the app has anyway: `str::parse::<f64>` would add Rust's own float
/// parser and its tables (some 13 KB of compressed wasm) for the same
/// numbers. serde_json's reader may differ from Rust's in the last binary
/// digit (its default, not `float_roundtrip`), which no reader here
/// (seconds of lifetime or operating time) can notice.
pub(crate) fn number_in_text(text: &str) -> Option<f64> {
    let text = text.trim();
    let (minus, unsigned) = match text.as_bytes().first()? {
        b'-' => ("-", &text[1..]),
        b'+' => ("", &text[1..]),
        _ => ("", text),
    };
    let (mantissa, exponent) =
        unsigned.split_at(unsigned.find(['e', 'E']).unwrap_or(unsigned.len()));
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !digits(whole) || !digits(fraction) {
        return None;
    }
    // JSON wants one digit before the point (and no leading zeros), at
    // least one after it, and checks the exponent itself.
    let whole = match whole.trim_start_matches('0') {
        "" => "0",
        w => w,
    };
    let point = if fraction.is_empty() { "" } else { "." };
    let json = format!("{minus}{whole}{point}{fraction}{exponent}");
    serde_json::from_str::<f64>(&json)
        .ok()
        .filter(|f| f.is_finite())
}

impl RestError {
    /// Reads an error payload: `{"error": code, "error_description": text}`
    /// (codes may be numbers; the description may be missing). Also reads
    /// the REST v3 shape `{"error": {"code", "message"}}` (§6) defensively.
    /// `None` when the value carries no `error`.
    pub fn from_payload(status: Option<u16>, payload: &Value) -> Option<RestError> {
        let obj = payload.as_object()?;
        let (code, description) = match obj.get("error")? {
            Value::Null => return None,
            Value::Object(inner) => (
                inner.get("code").and_then(scalar_text).unwrap_or_default(),
                inner
                    .get("message")
                    .and_then(scalar_text)
                    .unwrap_or_default(),
            ),
            other => (
                scalar_text(other).unwrap_or_default(),
                obj.get("error_description")
                    .and_then(scalar_text)
                    .unwrap_or_default(),
            ),
        };
        Some(RestError::from_code(&code, description, status, obj))
    }

    /// The error for a wire code, through [`CODES`]. `payload` supplies
    /// extra keys (`argument`).
    pub fn from_code(
        code: &str,
        description: String,
        status: Option<u16>,
        payload: &Map<String, Value>,
    ) -> RestError {
        let known = match ErrorCode::from_wire(code) {
            ErrorCode::AccessDenied
                if description.to_ascii_lowercase().contains("commercial plan") =>
            {
                ErrorCode::RestApiNotOnPlan
            }
            known => known,
        };
        RestError::Portal(PortalError {
            code: known,
            wire: code.to_owned(),
            description,
            status,
            argument: payload.get("argument").and_then(scalar_text),
        })
    }

    /// The wire code (`""` for the empty one); `None` for transport errors.
    pub fn code(&self) -> Option<&str> {
        match self {
            RestError::Portal(e) => Some(&e.wire),
            _ => None,
        }
    }

    /// The portal's own description of the error, if it gave one.
    pub fn description(&self) -> Option<&str> {
        match self {
            RestError::Portal(e) => Some(e.description.as_str()).filter(|d| !d.is_empty()),
            _ => None,
        }
    }

    /// The token ran out or was refused: renew it and replay the call once
    /// (`expired_token`, `invalid_token`; §4.3, §8.6).
    pub fn is_auth_expired(&self) -> bool {
        self.is(ErrorCode::ExpiredToken) || self.is(ErrorCode::InvalidToken)
    }

    /// Whether this is the portal refusing a method whose operating
    /// budget is spent (`OPERATION_TIME_LIMIT`, §3.2).
    pub fn is_operating_limit(&self) -> bool {
        self.is(ErrorCode::OperationTimeLimit)
    }

    /// Worth trying again later, unchanged: the rate limits (503
    /// `QUERY_LIMIT_EXCEEDED`; 429 `OPERATION_TIME_LIMIT`, after its reset
    /// time), server errors (5xx) and the network (including timeouts).
    /// A caller retries only calls that are safe to repeat.
    ///
    /// Not retryable although 5xx: `OVERLOAD_LIMIT` (a manual block until
    /// support lifts it) and `PORTAL_DELETED`.
    pub fn is_retryable(&self) -> bool {
        let retry_status = |s: u16| s >= 500 || s == 429 || s == 408;
        match self {
            RestError::Portal(e) => match e.code {
                ErrorCode::QueryLimitExceeded
                | ErrorCode::OperationTimeLimit
                | ErrorCode::InternalServerError
                | ErrorCode::UnexpectedAnswer => true,
                ErrorCode::ErrorCore | ErrorCode::Other => e.status.is_some_and(retry_status),
                _ => false,
            },
            RestError::Network { .. } | RestError::Timeout { .. } => true,
            RestError::HttpStatus { status } | RestError::NotJson { status, .. } => {
                retry_status(*status)
            }
            _ => false,
        }
    }
}

/// The `time` object of an answer (§3.3): every field optional, numbers
/// accepted as strings. `operating*` are missing on self-hosted portals.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CallTime {
    /// Unix seconds (fractional) the portal started the call.
    pub start: Option<f64>,
    /// Unix seconds (fractional) it finished.
    pub finish: Option<f64>,
    /// `finish - start`, seconds.
    pub duration: Option<f64>,
    /// Seconds spent inside the method.
    pub processing: Option<f64>,
    /// Seconds of this method's operating budget used in the last 10 min.
    pub operating: Option<f64>,
    /// Unix seconds when the oldest used bucket of that budget frees up.
    pub operating_reset_at: Option<i64>,
}

impl CallTime {
    /// Reads a `time` object; anything that is not an object gives `None`.
    pub fn from_value(v: &Value) -> Option<CallTime> {
        let o = v.as_object()?;
        let f = |k: &str| o.get(k).and_then(loose_f64);
        Some(CallTime {
            start: f("start"),
            finish: f("finish"),
            duration: f("duration"),
            processing: f("processing"),
            operating: f("operating"),
            operating_reset_at: f("operating_reset_at").map(|x| x as i64),
        })
    }
}

/// A successful answer, split into its parts (§1.4, §2.1).
#[derive(Debug, Clone, PartialEq)]
pub struct RawResponse {
    /// `result`, as sent.
    pub result: Value,
    /// `total`, for list methods.
    pub total: Option<u64>,
    /// `next`: the `start` of the next page; absent on the last page.
    pub next: Option<u64>,
    /// `time`.
    pub time: Option<CallTime>,
}

impl RawResponse {
    /// Splits a successful body. `result` must be there (it may be `null`
    /// or `false` for some methods); `total` and `next` may be numbers or
    /// strings, and are dropped when they are not whole non-negative numbers.
    pub fn from_body(body: &Value) -> Result<RawResponse, ParseError> {
        let obj = body.as_object().ok_or(ParseError::NotAnObject)?;
        let result = obj.get("result").ok_or(ParseError::MissingResult)?;
        Ok(RawResponse {
            result: result.clone(),
            total: obj.get("total").and_then(loose_u64),
            next: obj.get("next").and_then(loose_u64),
            time: obj.get("time").and_then(CallTime::from_value),
        })
    }
}

/// What an HTTP answer means: a result, or why not.
///
/// - JSON with an `error` key is an error whatever the status (some
///   gateways answer 200);
/// - any other non-2xx status is [`RestError::HttpStatus`] (empty body, or
///   JSON without an error) or [`RestError::NotJson`];
/// - a 2xx JSON object must have a `result`.
pub fn classify(status: u16, body: &str) -> Result<RawResponse, RestError> {
    let ok_status = (200..300).contains(&status);
    if body.trim().is_empty() {
        return Err(if ok_status {
            RestError::NotJson {
                status,
                excerpt: String::new(),
            }
        } else {
            RestError::HttpStatus { status }
        });
    }
    let Ok(json) = serde_json::from_str::<Value>(body) else {
        return Err(RestError::NotJson {
            status,
            excerpt: body.chars().take(200).collect(),
        });
    };
    if let Some(err) = RestError::from_payload(Some(status), &json) {
        return Err(err);
    }
    if !ok_status {
        return Err(RestError::HttpStatus { status });
    }
    Ok(RawResponse::from_body(&json)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn payload(code: &str, description: &str) -> String {
        json!({"error": code, "error_description": description}).to_string()
    }

    #[test]
    fn every_fact_sheet_code_has_its_own_error_code_and_round_trips() {
        let codes = [
            "expired_token",
            "invalid_token",
            "NO_AUTH_FOUND",
            "insufficient_scope",
            "user_access_error",
            "authorization_error",
            "APPLICATION_NOT_FOUND",
            "CONNECTION_ERROR",
            "ACCESS_DENIED",
            "INVALID_CREDENTIALS",
            "QUERY_LIMIT_EXCEEDED",
            "OPERATION_TIME_LIMIT",
            "OVERLOAD_LIMIT",
            "ERROR_METHOD_NOT_FOUND",
            "ERROR_BATCH_LENGTH_EXCEEDED",
            "ERROR_BATCH_METHOD_NOT_ALLOWED",
            "INVALID_REQUEST",
            "INTERNAL_SERVER_ERROR",
            "ERROR_UNEXPECTED_ANSWER",
            "PORTAL_DELETED",
            "ERROR_CORE",
            "ERROR_ARGUMENT",
            "WRONG_ENCODING",
            "ERROR_WRONG_WORKFLOW_ID",
            "METHOD_CONFIRM_WAITING",
            "METHOD_CONFIRM_DENIED",
        ];
        for code in codes {
            let err = classify(400, &payload(code, "d")).expect_err(code);
            assert!(
                !matches!(
                    err,
                    RestError::Portal(PortalError {
                        code: ErrorCode::Other,
                        ..
                    })
                ),
                "{code} fell to Other"
            );
            assert_eq!(err.code(), Some(code));
            assert_eq!(err.description(), Some("d"));
        }
    }

    #[test]
    fn the_code_table_reads_each_wire_code_back_and_words_each_code() {
        for (wire, code, _) in CODES {
            assert_eq!(code.wire(), Some(wire));
            let read = ErrorCode::from_wire(wire);
            // The plan's ACCESS_DENIED is told apart by its description.
            if code != ErrorCode::RestApiNotOnPlan {
                assert_eq!(read, code, "{wire}");
            }
            for lang in [Lang::En, Lang::Ru] {
                let message = RestError::portal(code, "d".into()).message(lang);
                assert!(!message.is_empty() && !message.contains('{'), "{wire}");
            }
        }
        assert_eq!(ErrorCode::from_wire("ERROR_TEAPOT"), ErrorCode::Other);
        assert_eq!(ErrorCode::Other.wire(), None);
    }

    #[test]
    fn the_headline_names_the_first_causes_an_admin_meets() {
        let t = Lang::En.texts();
        let denied = RestError::portal(ErrorCode::AccessDenied, String::new());
        assert_eq!(denied.headline(Lang::En).0, t.admins_only_title);
        let plan = RestError::portal(ErrorCode::MethodNotFound, String::new());
        assert_eq!(plan.headline(Lang::En).0, t.no_bizproc_title);
        let renewal = RestError::RefreshFailed(RefreshError {
            reason: "the page refused".into(),
        });
        assert_eq!(
            renewal.headline(Lang::En),
            (t.renewal_failed_title.to_owned(), "the page refused".into())
        );
        let busy = RestError::portal(ErrorCode::QueryLimitExceeded, String::new());
        assert_eq!(
            busy.headline(Lang::Ru),
            (
                Lang::Ru.texts().load_failed.to_owned(),
                busy.message(Lang::Ru)
            )
        );
    }

    #[test]
    fn codes_are_case_sensitive_as_on_the_wire() {
        let err = classify(401, &payload("EXPIRED_TOKEN", "x")).expect_err("error");
        assert_eq!(
            err,
            RestError::from_code("EXPIRED_TOKEN", "x".into(), Some(401), &Map::new())
        );
        assert!(!err.is_auth_expired());
    }

    #[test]
    fn keeps_empty_and_unknown_codes_with_their_description() {
        assert_eq!(
            classify(400, &payload("", "Workflow is not running")),
            Err(RestError::from_code(
                "",
                "Workflow is not running".into(),
                Some(400),
                &Map::new()
            ))
        );
        let unknown = classify(418, &payload("ERROR_TEAPOT", "short and stout")).expect_err("e");
        assert_eq!(unknown.code(), Some("ERROR_TEAPOT"));
        assert_eq!(
            unknown.to_string(),
            "The portal reported the error ERROR_TEAPOT: short and stout"
        );
        assert_eq!(
            classify(400, &payload("", "Workflow is not running"))
                .expect_err("e")
                .to_string(),
            "The portal refused the request: Workflow is not running"
        );
    }

    #[test]
    fn messages_speak_to_the_administrator() {
        let denied = classify(403, &payload("ACCESS_DENIED", "Access denied!")).expect_err("e");
        assert_eq!(
            denied.to_string(),
            "Only portal administrators can view running workflows."
        );
        let plan =
            classify(404, &payload("ERROR_METHOD_NOT_FOUND", "Method not found!")).expect_err("e");
        assert_eq!(
            plan.to_string(),
            "Workflows are not available on this portal's plan."
        );
        let arg = classify(
            400,
            &json!({"error":"ERROR_ARGUMENT","error_description":"bad","argument":"ORDER"})
                .to_string(),
        )
        .expect_err("e");
        assert_eq!(
            arg,
            RestError::Portal(PortalError {
                code: ErrorCode::ErrorArgument,
                wire: "ERROR_ARGUMENT".into(),
                description: "bad".into(),
                status: Some(400),
                argument: Some("ORDER".into()),
            })
        );
        assert_eq!(
            arg.to_string(),
            "The portal refused a value the app sent (parameter \"ORDER\"): bad"
        );
        assert_eq!(
            RestError::Timeout { after_ms: 30_000 }.to_string(),
            "The portal did not answer within 30 seconds."
        );
        assert_eq!(
            RestError::Timeout { after_ms: 300 }.to_string(),
            "The portal did not answer within 0.3 seconds."
        );
    }

    #[test]
    fn reads_numbers_in_text_as_rust_reads_floats() {
        let cases = [
            ("3600", Some(3600.0)),
            (" 0.35\n", Some(0.35)),
            ("-0.35", Some(-0.35)),
            ("+5", Some(5.0)),
            (".5", Some(0.5)),
            ("5.", Some(5.0)),
            ("007", Some(7.0)),
            ("1e3", Some(1000.0)),
            ("1.E-3", Some(0.001)),
            ("-.5e+1", Some(-5.0)),
            ("1e-400", Some(0.0)),
            ("1e400", None),
            ("inf", None),
            ("NaN", None),
            ("", None),
            (".", None),
            ("-", None),
            ("e5", None),
            ("1e", None),
            ("1 5", None),
            ("1_000", None),
            ("0x10", None),
            ("--5", None),
            ("5,5", None),
        ];
        for (text, want) in cases {
            assert_eq!(number_in_text(text), want, "{text:?}");
        }
    }

    #[test]
    fn number_in_text_agrees_with_rusts_float_parser() {
        // Every text of up to five characters from the pieces of a float.
        let alphabet = ['0', '1', '5', '9', '.', '-', '+', 'e', 'E', ' ', 'i'];
        let mut texts = vec![String::new()];
        for _ in 0..5 {
            let longer: Vec<String> = texts
                .iter()
                .filter(|t| t.len() == texts.last().map_or(0, String::len))
                .flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}")))
                .collect();
            texts.extend(longer);
        }
        let long = [
            "3.141592653589793238462643383279",
            "123456789012345678901234567890",
            "0.000000000000000000000000000001",
            "1.7976931348623157e308",
            "2.2250738585072014e-308",
            "4.9e-324",
            "9007199254740993",
            "1716898765.123456",
        ];
        texts.extend(long.iter().map(|t| t.to_string()));
        for text in &texts {
            let rust = text.trim().parse::<f64>().ok().filter(|f| f.is_finite());
            match (number_in_text(text), rust) {
                (None, None) => {}
                (Some(ours), Some(theirs)) => assert!(
                    ours == theirs || (ours - theirs).abs() <= theirs.abs() * f64::EPSILON,
                    "{text:?}: {ours} against {theirs}"
                ),
                (ours, theirs) => panic!("{text:?}: {ours:?} against {theirs:?}"),
            }
        }
    }

    #[test]
    fn timeout_seconds_round_like_float_formatting() {
        let float = |ms: u32| format!("{:.1}", f64::from(ms) / 1000.0);
        let ints = |ms: u32| {
            let t = seconds_in_tenths(ms);
            format!("{}.{}", t / 10, t % 10)
        };
        // Every midpoint (where float rounding decides) up to 10^7 ms,
        // everything around them, and a spread over the whole u32 range.
        let near_midpoints = (0..100_000u32).flat_map(|h| (h * 100 + 45)..=(h * 100 + 55));
        let spread = (0..=u32::MAX / 9_973).map(|i| i * 9_973);
        let ends = [
            0,
            1,
            49,
            50,
            51,
            99,
            100,
            u32::MAX - 50,
            u32::MAX - 1,
            u32::MAX,
        ];
        for ms in near_midpoints.chain(spread).chain(ends) {
            assert_eq!(ints(ms), float(ms), "{ms} ms");
        }
        assert_eq!(ints(1_250), "1.2", "an exact tie goes to the even tenth");
        assert_eq!(ints(750), "0.8");
        assert_eq!(ints(1_350), "1.4");
    }

    #[test]
    fn messages_are_in_the_admins_language() {
        let ru = |e: RestError| e.message(Lang::Ru);
        assert_eq!(
            ru(RestError::Timeout { after_ms: 30_000 }),
            "Портал не ответил за 30 секунд."
        );
        assert_eq!(
            ru(RestError::Timeout { after_ms: 1_000 }),
            "Портал не ответил за 1 секунду."
        );
        assert_eq!(
            ru(RestError::Timeout { after_ms: 300 }),
            "Портал не ответил за 0,3 секунды."
        );
        assert_eq!(
            ru(RestError::from_code(
                "SOME_CODE",
                "<b>x</b>".into(),
                Some(400),
                &Map::new()
            )),
            "Портал сообщил об ошибке SOME_CODE: <b>x</b>"
        );
        let every = [
            classify(401, &payload("expired_token", "")),
            classify(403, &payload("ACCESS_DENIED", "")),
            classify(503, &payload("QUERY_LIMIT_EXCEEDED", "")),
            classify(404, &payload("ERROR_METHOD_NOT_FOUND", "")),
            classify(400, &payload("", "")),
        ];
        for err in every.into_iter().filter_map(Result::err) {
            let text = err.message(Lang::Ru);
            assert!(
                text.chars().any(|c| ('а'..='я').contains(&c)),
                "{err:?}: {text}"
            );
            assert_ne!(text, err.message(Lang::En));
        }
    }

    #[test]
    fn access_denied_for_the_plan_is_told_apart_from_admin_only() {
        let err = classify(
            403,
            &payload(
                "ACCESS_DENIED",
                "REST API is available only on commercial plans",
            ),
        )
        .expect_err("e");
        assert!(matches!(
            err,
            RestError::Portal(PortalError {
                code: ErrorCode::RestApiNotOnPlan,
                ..
            })
        ));
        assert_eq!(err.code(), Some("ACCESS_DENIED"));
    }

    #[test]
    fn reads_numeric_codes_missing_descriptions_and_the_v3_shape() {
        assert_eq!(
            classify(400, r#"{"error":100}"#),
            Err(RestError::from_code(
                "100",
                String::new(),
                Some(400),
                &Map::new()
            ))
        );
        assert_eq!(
            classify(
                401,
                r#"{"error":{"code":"expired_token","message":"gone","validation":[]}}"#
            ),
            Err(RestError::from_code(
                "expired_token",
                "gone".into(),
                Some(401),
                &Map::new()
            ))
        );
    }

    #[test]
    fn an_error_payload_wins_even_with_status_200() {
        assert_eq!(
            classify(200, &payload("QUERY_LIMIT_EXCEEDED", "Too many requests")),
            Err(RestError::from_code(
                "QUERY_LIMIT_EXCEEDED",
                "Too many requests".into(),
                Some(200),
                &Map::new()
            ))
        );
    }

    #[test]
    fn transport_shapes_have_their_own_variants() {
        assert_eq!(
            classify(502, ""),
            Err(RestError::HttpStatus { status: 502 })
        );
        assert_eq!(
            classify(500, "{\"result\":1}"),
            Err(RestError::HttpStatus { status: 500 })
        );
        assert_eq!(
            classify(200, "  "),
            Err(RestError::NotJson {
                status: 200,
                excerpt: String::new()
            })
        );
        let html = format!("<html>{}</html>", "x".repeat(1000));
        let Err(RestError::NotJson { status, excerpt }) = classify(503, &html) else {
            panic!("html is not JSON");
        };
        assert_eq!((status, excerpt.chars().count()), (503, 200));
        assert_eq!(
            classify(200, "[1,2]"),
            Err(RestError::BadResponse(ParseError::NotAnObject))
        );
        assert_eq!(
            classify(200, "{\"total\":3}"),
            Err(RestError::BadResponse(ParseError::MissingResult))
        );
        assert_eq!(
            classify(200, "{\"result\":[],\"error\":null}").map(|r| r.result),
            Ok(json!([]))
        );
    }

    #[test]
    fn splits_a_successful_answer_into_its_parts() {
        let body = r#"{"result":[{"ID":"a"}],"total":"120","next":50,
            "time":{"start":1726476060.581428,"duration":"0.23","operating_reset_at":1726476660,"operating":0}}"#;
        let raw = classify(200, body).expect("ok");
        assert_eq!(raw.result, json!([{"ID":"a"}]));
        assert_eq!((raw.total, raw.next), (Some(120), Some(50)));
        let time = raw.time.expect("time");
        assert_eq!(time.start, Some(1726476060.581428));
        assert_eq!(time.duration, Some(0.23));
        assert_eq!(time.operating_reset_at, Some(1726476660));
        assert_eq!(time.operating, Some(0.0));
        assert_eq!(time.finish, None);
    }

    #[test]
    fn loose_numbers_accept_strings_and_refuse_the_rest() {
        for (v, want) in [
            (json!(50), Some(50)),
            (json!("50"), Some(50)),
            (json!(" 7 "), Some(7)),
            (json!(50.0), Some(50)),
            (json!(-1), None),
            (json!("-1"), None),
            (json!("1e3"), None),
            (json!(""), None),
            (json!(null), None),
            (json!(2.5), None),
            (json!("99999999999999999999999"), None),
        ] {
            assert_eq!(loose_u64(&v), want, "{v}");
        }
    }

    #[test]
    fn only_token_errors_ask_for_a_refresh() {
        let expired = RestError::portal(ErrorCode::ExpiredToken, String::new());
        let invalid = RestError::portal(ErrorCode::InvalidToken, String::new());
        let no_auth = RestError::portal(ErrorCode::NoAuthFound, String::new());
        assert!(expired.is_auth_expired() && invalid.is_auth_expired());
        assert!(!no_auth.is_auth_expired());
        assert!(!RestError::portal(ErrorCode::AccessDenied, String::new()).is_auth_expired());
    }

    #[test]
    fn retries_limits_server_errors_and_the_network_only() {
        let d = String::new;
        let retryable = [
            RestError::portal(ErrorCode::QueryLimitExceeded, d()),
            RestError::portal(ErrorCode::OperationTimeLimit, d()),
            RestError::portal(ErrorCode::InternalServerError, d()),
            RestError::portal(ErrorCode::UnexpectedAnswer, d()),
            RestError::Network { detail: d() },
            RestError::Timeout { after_ms: 1 },
            RestError::HttpStatus { status: 502 },
            RestError::HttpStatus { status: 429 },
            RestError::NotJson {
                status: 504,
                excerpt: d(),
            },
            RestError::from_code("ERROR_CORE", d(), Some(500), &Map::new()),
            RestError::from_code(&d(), d(), Some(503), &Map::new()),
        ];
        for e in retryable {
            assert!(e.is_retryable(), "{e:?}");
        }
        let final_ = [
            RestError::portal(ErrorCode::OverloadLimit, d()),
            RestError::portal(ErrorCode::PortalDeleted, d()),
            RestError::portal(ErrorCode::AccessDenied, d()),
            RestError::portal(ErrorCode::ExpiredToken, d()),
            RestError::portal(ErrorCode::MethodNotFound, d()),
            RestError::HttpStatus { status: 404 },
            RestError::NotJson {
                status: 200,
                excerpt: d(),
            },
            RestError::from_code("ERROR_CORE", d(), Some(400), &Map::new()),
            RestError::from_code(&d(), d(), None, &Map::new()),
            RestError::Redirected,
            RestError::BadResponse(ParseError::MissingResult),
        ];
        for e in final_ {
            assert!(!e.is_retryable(), "{e:?}");
        }
    }
}
