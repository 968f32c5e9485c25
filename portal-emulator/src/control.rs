//! Control and inspection under `/_emulator/` on the portal origin: tokens
//! for scripted tests, the REST request log, the frame-message log, runtime
//! knobs for every fault, data changes for a list that changes while it
//! is read, the terminate/kill oracle (`/_emulator/actions`), the user
//! tasks of the workflows (`/_emulator/tasks`) and the app's
//! storage (`/_emulator/entity`). None of this exists on a real portal.

use axum::extract::Request;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::config::Knobs;
use crate::state::now_ms;
use crate::Shared;

pub fn routes() -> axum::Router<Shared> {
    let routes = axum::Router::new()
        .route("/_emulator/token", post(token))
        .route("/_emulator/log", get(rest_log).delete(clear_rest_log))
        .route(
            "/_emulator/frame-log",
            get(frame_log)
                .post(append_frame_log)
                .delete(clear_frame_log),
        )
        .route("/_emulator/knobs", get(knobs).post(set_knobs))
        .route("/_emulator/expire-tokens", post(expire_tokens))
        .route("/_emulator/reset-limits", post(reset_limits))
        .route("/_emulator/options", get(options))
        .route("/_emulator/stats", get(stats))
        .route("/_emulator/workflows", post(add_workflows))
        .route("/_emulator/workflows/modify", post(modify_workflows))
        .route("/_emulator/workflows/finish", post(finish_workflows))
        .route("/_emulator/actions", get(actions).delete(clear_actions))
        .route("/_emulator/tasks", get(tasks))
        .route("/_emulator/entity", get(entity).delete(clear_entity))
        .route("/_emulator/entity/age", post(age_entity));
    // Browser tests of the app run on an origin of their own and drive the
    // emulator from there, so the control API (unlike /rest/) allows any
    // origin any method and JSON bodies.
    routes.layer(axum::middleware::from_fn(allow_any_origin))
}

async fn allow_any_origin(request: Request, next: Next) -> Response {
    let mut response = if request.method() == Method::OPTIONS {
        let mut preflight = StatusCode::NO_CONTENT.into_response();
        let h = preflight.headers_mut();
        h.insert(
            "access-control-allow-methods",
            HeaderValue::from_static("GET, POST, DELETE"),
        );
        h.insert(
            "access-control-allow-headers",
            HeaderValue::from_static("content-type"),
        );
        preflight
    } else {
        next.run(request).await
    };
    response
        .headers_mut()
        .insert("access-control-allow-origin", HeaderValue::from_static("*"));
    response
}

fn bad_request(message: String) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({"error": message}))).into_response()
}

/// A fresh access token for the user who opens the app.
async fn token(State(state): State<Shared>) -> Json<Value> {
    let user = state.current_user();
    let issued = state.tokens().mint(user, state.knobs().token_ttl, now_ms());
    Json(json!({
        "access_token": issued.access_token,
        "refresh_token": issued.refresh_token,
        "expires_in": issued.expires_in,
        "user_id": issued.user_id,
        "domain": state.domain(),
    }))
}

async fn rest_log(State(state): State<Shared>) -> Json<Value> {
    Json(json!(state.rest_log()))
}

async fn clear_rest_log(State(state): State<Shared>) -> StatusCode {
    state.clear_rest_log();
    StatusCode::NO_CONTENT
}

/// Every terminate and kill the portal executed, batch commands included.
async fn actions(State(state): State<Shared>) -> Json<Value> {
    Json(json!(state.actions()))
}

async fn clear_actions(State(state): State<Shared>) -> StatusCode {
    state.clear_actions();
    StatusCode::NO_CONTENT
}

/// The user tasks the portal holds (the oracle of `bizproc.task.list`):
/// `?workflow=<id>` for one workflow's, otherwise every task; each with its
/// assignees and their answers.
async fn tasks(State(state): State<Shared>, RawQuery(query): RawQuery) -> Json<Value> {
    let params = crate::php::parse_str(query.as_deref().unwrap_or(""));
    let workflow = params.get("workflow").and_then(crate::php::to_php_string);
    let store = state.store();
    let tasks: Vec<&crate::tasks::Task> = match &workflow {
        Some(id) => store.tasks_of(id),
        None => store.tasks().iter().collect(),
    };
    Json(json!(tasks))
}

/// The app's application storage (`entity.*`) as it stands.
async fn entity(State(state): State<Shared>) -> Json<Value> {
    Json(crate::rest::entity_dump(&state))
}

/// Forgets every storage, as if the app had never created one.
async fn clear_entity(State(state): State<Shared>) -> StatusCode {
    state.entities().clear();
    StatusCode::NO_CONTENT
}

/// `{"seconds": N}`: every stored item as if written N seconds earlier.
async fn age_entity(State(state): State<Shared>, Json(body): Json<Value>) -> StatusCode {
    match body["seconds"].as_i64() {
        Some(seconds) => {
            state.entities().age(seconds);
            StatusCode::NO_CONTENT
        }
        None => StatusCode::BAD_REQUEST,
    }
}

async fn frame_log(State(state): State<Shared>) -> Json<Value> {
    Json(Value::Array(state.frame_log()))
}

async fn append_frame_log(State(state): State<Shared>, Json(entry): Json<Value>) -> StatusCode {
    state.log_frame(entry);
    StatusCode::NO_CONTENT
}

async fn clear_frame_log(State(state): State<Shared>) -> StatusCode {
    state.clear_frame_log();
    StatusCode::NO_CONTENT
}

async fn knobs(State(state): State<Shared>) -> Json<Knobs> {
    Json(state.knobs())
}

/// Merges a partial JSON object into the knobs; unknown names are refused.
async fn set_knobs(State(state): State<Shared>, Json(patch): Json<Value>) -> Response {
    let Value::Object(patch) = patch else {
        return bad_request("expected a JSON object of knobs".into());
    };
    let mut current = json!(state.knobs());
    if let Some(obj) = current.as_object_mut() {
        for (k, v) in patch {
            obj.insert(k, v);
        }
    }
    match serde_json::from_value::<Knobs>(current) {
        Ok(knobs) => {
            state.set_knobs(knobs.clone());
            Json(knobs).into_response()
        }
        Err(err) => bad_request(format!("invalid knobs: {err}")),
    }
}

async fn expire_tokens(State(state): State<Shared>) -> StatusCode {
    state.tokens().expire_all(now_ms());
    StatusCode::NO_CONTENT
}

async fn reset_limits(State(state): State<Shared>) -> StatusCode {
    state.limits().reset();
    StatusCode::NO_CONTENT
}

async fn options(State(state): State<Shared>) -> Json<Value> {
    Json(json!(*state.options()))
}

async fn stats(State(state): State<Shared>) -> Json<Value> {
    let now = now_ms() / 1000;
    let store = state.store();
    let stuck = store
        .rows()
        .iter()
        .filter(|w| w.owned_until.is_some_and(|o| o < now - 300))
        .count();
    Json(json!({
        "workflows": store.len(),
        "stuck": stuck,
        "tasks": store.tasks().len(),
        "open_tasks": store.tasks().iter().filter(|t| t.is_open()).count(),
        "templates": state.directory.templates.len(),
        "users": state.directory.users.len(),
        "bucket_level": state.limits().level(),
        "rest_requests": state.rest_log().len(),
    }))
}

/// Which workflows a change applies to: explicit IDs, or the first `count`
/// in storage order.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct Selection {
    ids: Vec<String>,
    count: usize,
}

impl Selection {
    fn resolve(&self, state: &Shared) -> Vec<String> {
        if !self.ids.is_empty() {
            return self.ids.clone();
        }
        state
            .store()
            .rows()
            .iter()
            .take(self.count)
            .map(|w| w.id.clone())
            .collect()
    }
}

/// Starts `count` new workflows now.
async fn add_workflows(State(state): State<Shared>, Json(sel): Json<Selection>) -> Json<Value> {
    let ids = state
        .store_mut()
        .start_new(&state.directory, sel.count, now_ms() / 1000);
    Json(json!({"ids": ids}))
}

/// Marks workflows as modified now (they move in a `MODIFIED DESC` list).
async fn modify_workflows(State(state): State<Shared>, Json(sel): Json<Selection>) -> Json<Value> {
    let now = now_ms() / 1000;
    let ids: Vec<String> = sel
        .resolve(&state)
        .into_iter()
        .filter(|id| state.store_mut().touch(id, now))
        .collect();
    Json(json!({"ids": ids}))
}

/// Finishes workflows: they leave the list of running ones.
async fn finish_workflows(State(state): State<Shared>, Json(sel): Json<Selection>) -> Json<Value> {
    let ids: Vec<String> = sel
        .resolve(&state)
        .into_iter()
        .filter(|id| state.store_mut().remove(id))
        .collect();
    Json(json!({"ids": ids}))
}
