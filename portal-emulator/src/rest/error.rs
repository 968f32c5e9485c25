//! REST error payloads (fact sheet §6): `{"error": CODE, "error_description": TEXT}`
//! with the status of the exception that produced them.

use axum::http::StatusCode;
use serde_json::{json, Value};

/// One error answer.
#[derive(Debug, Clone, PartialEq)]
pub struct RestError {
    pub status: StatusCode,
    /// May be empty: bizproc terminate/kill failures have no code (§1.5).
    pub code: String,
    pub description: String,
    /// The `argument` key `ArgumentException` adds to the body (§6).
    pub argument: Option<String>,
}

impl RestError {
    pub fn new(status: u16, code: &str, description: &str) -> Self {
        RestError {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
            code: code.to_owned(),
            description: description.to_owned(),
            argument: None,
        }
    }

    pub fn body(&self) -> Value {
        let mut body = json!({"error": self.code, "error_description": self.description});
        if let (Some(argument), Some(obj)) = (&self.argument, body.as_object_mut()) {
            obj.insert("argument".into(), json!(argument));
        }
        body
    }

    /// 400 `ERROR_ARGUMENT` with its `argument` key (`ArgumentException`, §6).
    pub fn argument(description: &str, argument: &str) -> Self {
        RestError {
            argument: Some(argument.to_owned()),
            ..Self::new(400, "ERROR_ARGUMENT", description)
        }
    }

    /// `ArgumentNullException`: "Argument 'X' is null or empty".
    pub fn argument_null(name: &str) -> Self {
        Self::argument(&format!("Argument '{name}' is null or empty"), name)
    }

    /// The method's scope is not granted to the app (§6; the status is a
    /// knob, UNCONFIRMED §9.5).
    pub fn insufficient_scope(status: u16) -> Self {
        Self::new(
            status,
            "insufficient_scope",
            "The request requires higher privileges than provided by the access token",
        )
    }

    /// 503, the leaky bucket (§3.1; the real body from S22 #193).
    pub fn query_limit() -> Self {
        Self::new(503, "QUERY_LIMIT_EXCEEDED", "Too many requests")
    }

    /// 429, the operating-time budget (§3.2).
    pub fn operation_time_limit() -> Self {
        Self::new(
            429,
            "OPERATION_TIME_LIMIT",
            "Method is blocked due to operation time limit.",
        )
    }

    pub fn internal() -> Self {
        Self::new(500, "INTERNAL_SERVER_ERROR", "Internal server error")
    }

    pub fn no_auth() -> Self {
        Self::new(401, "NO_AUTH_FOUND", "Wrong authorization data")
    }

    pub fn expired_token() -> Self {
        Self::new(
            401,
            "expired_token",
            "The access token provided has expired",
        )
    }

    /// UNCONFIRMED status (§9.5): 401 as OAuthException gives it.
    pub fn invalid_token() -> Self {
        Self::new(401, "invalid_token", "The access token provided is invalid")
    }

    pub fn access_denied() -> Self {
        Self::new(403, "ACCESS_DENIED", "Access denied!")
    }

    pub fn method_not_found() -> Self {
        Self::new(404, "ERROR_METHOD_NOT_FOUND", "Method not found!")
    }

    /// What `LIMIT -1, 50` turns into (§2.2: DERIVED, UNCONFIRMED live).
    pub fn sql_error() -> Self {
        Self::new(500, "ERROR_CORE", "SQL query error!")
    }

    pub fn wrong_workflow_id(description: &str) -> Self {
        Self::new(400, "ERROR_WRONG_WORKFLOW_ID", description)
    }
}
