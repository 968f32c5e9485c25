//! The emulator's control API.

use portal_emulator::config::ValueOverflow;
use portal_emulator::state::ActionEntry;
use serde_json::{json, Value};

use crate::{HarnessError, Result};

/// A small client for the emulator's HTTP endpoints.
#[derive(Debug, Clone)]
pub struct Control {
    pub(crate) http: reqwest::Client,
    pub(crate) portal: String,
    pub(crate) app: String,
}

impl Control {
    /// `GET {portal}{path}` as JSON.
    pub async fn get(&self, path: &str) -> Result<Value> {
        let response = self
            .http
            .get(format!("{}{path}", self.portal))
            .send()
            .await?;
        Self::json(path, response).await
    }

    /// `GET {portal}{path}?{query}` as JSON, the query's values encoded.
    pub async fn get_query(&self, path: &str, query: &[(&str, &str)]) -> Result<Value> {
        let mut url = reqwest::Url::parse(&format!("{}{path}", self.portal))
            .map_err(|e| HarnessError::Unexpected(format!("{path}: {e}")))?;
        url.query_pairs_mut().extend_pairs(query);
        let response = self.http.get(url).send().await?;
        Self::json(path, response).await
    }

    /// `POST {portal}{path}` with a JSON body; the answer as JSON (null if empty).
    pub async fn post(&self, path: &str, body: &Value) -> Result<Value> {
        let response = self
            .http
            .post(format!("{}{path}", self.portal))
            .json(body)
            .send()
            .await?;
        Self::json(path, response).await
    }

    /// `DELETE {portal}{path}`.
    pub async fn delete(&self, path: &str) -> Result<()> {
        let response = self
            .http
            .delete(format!("{}{path}", self.portal))
            .send()
            .await?;
        if !response.status().is_success() {
            return Err(HarnessError::Unexpected(format!(
                "DELETE {path}: HTTP {}",
                response.status()
            )));
        }
        Ok(())
    }

    /// What the app host received (`GET {app}/_emulator/app-requests`).
    pub async fn app_requests(&self) -> Result<Vec<Value>> {
        let response = self
            .http
            .get(format!("{}/_emulator/app-requests", self.app))
            .send()
            .await?;
        match Self::json("/_emulator/app-requests", response).await? {
            Value::Array(items) => Ok(items),
            other => Err(HarnessError::Unexpected(format!("app requests: {other}"))),
        }
    }

    /// The portal page's frame-message log as the emulator received it.
    pub async fn frame_log(&self) -> Result<Vec<Value>> {
        match self.get("/_emulator/frame-log").await? {
            Value::Array(items) => Ok(items),
            other => Err(HarnessError::Unexpected(format!("frame log: {other}"))),
        }
    }

    /// Merges `patch` into the runtime knobs (`POST /_emulator/knobs`) and
    /// returns all knobs as they now stand.
    pub async fn set_knobs(&self, patch: &Value) -> Result<Value> {
        self.post("/_emulator/knobs", patch).await
    }

    /// Terminate and kill of each listed workflow fail with an empty error
    /// code, HTTP 400 and its message, and the workflow keeps running
    /// (knob `fail_stop`; replaces earlier failures, `&[]` clears them).
    pub async fn fail_stop(&self, failures: &[(&str, &str)]) -> Result<()> {
        let map: serde_json::Map<String, Value> = failures
            .iter()
            .map(|(id, message)| ((*id).to_owned(), json!(message)))
            .collect();
        self.set_knobs(&json!({ "fail_stop": map })).await.map(drop)
    }

    /// These workflows end right after the portal answers the next
    /// `bizproc.workflow.instances` call (knob `finish_after_list`,
    /// one-shot): they end "between listing and acting".
    pub async fn finish_after_list(&self, ids: &[&str]) -> Result<()> {
        self.set_knobs(&json!({ "finish_after_list": ids }))
            .await
            .map(drop)
    }

    /// Latency added to each command a batch runs (knob
    /// `batch_command_latency_ms`; 0 turns it off).
    pub async fn batch_command_latency(&self, ms: u64) -> Result<()> {
        self.set_knobs(&json!({ "batch_command_latency_ms": ms }))
            .await
            .map(drop)
    }

    /// The scopes granted to the app (knob `scopes`), e.g. without `entity`
    /// to see the app do without its history storage.
    pub async fn set_scopes(&self, scopes: &[&str]) -> Result<()> {
        self.set_knobs(&json!({ "scopes": scopes })).await.map(drop)
    }

    /// How long a string property value of the app's storage may be, and
    /// what happens to a longer one (knobs `entity_value_max_bytes`,
    /// `entity_value_overflow`).
    pub async fn entity_value_limit(
        &self,
        max_bytes: usize,
        overflow: ValueOverflow,
    ) -> Result<()> {
        self.set_knobs(&json!({
            "entity_value_max_bytes": max_bytes,
            "entity_value_overflow": overflow,
        }))
        .await
        .map(drop)
    }

    /// Every terminate and kill the portal executed, batch commands
    /// included, in order (`GET /_emulator/actions`).
    pub async fn actions(&self) -> Result<Vec<ActionEntry>> {
        let value = self.get("/_emulator/actions").await?;
        serde_json::from_value(value.clone())
            .map_err(|e| HarnessError::Unexpected(format!("actions ({e}): {value}")))
    }

    /// Forgets the recorded actions (`DELETE /_emulator/actions`).
    pub async fn clear_actions(&self) -> Result<()> {
        self.delete("/_emulator/actions").await
    }

    /// The app's storage as it stands (`GET /_emulator/entity`):
    /// `{"client_id", "entities": [{"ENTITY", "ID", "NAME", "ACCESS",
    /// "PROPERTIES", "ITEMS"}]}`, items as `entity.item.get` renders them.
    pub async fn entity_storage(&self) -> Result<Value> {
        self.get("/_emulator/entity").await
    }

    /// The items of one storage (by its code, in any case), or an empty list.
    pub async fn entity_items(&self, entity: &str) -> Result<Vec<Value>> {
        let storage = self.entity_storage().await?;
        let items = storage["entities"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|e| {
                e["ENTITY"]
                    .as_str()
                    .is_some_and(|c| c.eq_ignore_ascii_case(entity))
            })
            .and_then(|e| e["ITEMS"].as_array().cloned())
            .unwrap_or_default();
        Ok(items)
    }

    /// Every stored item as if written `seconds` earlier
    /// (`POST /_emulator/entity/age`).
    pub async fn age_entity_storage(&self, seconds: i64) -> Result<()> {
        self.post("/_emulator/entity/age", &json!({ "seconds": seconds }))
            .await
            .map(|_| ())
    }

    /// Deletes every storage of the app (`DELETE /_emulator/entity`).
    pub async fn clear_entity_storage(&self) -> Result<()> {
        self.delete("/_emulator/entity").await
    }

    async fn json(path: &str, response: reqwest::Response) -> Result<Value> {
        let status = response.status();
        let text = response.text().await?;
        if !status.is_success() {
            return Err(HarnessError::Unexpected(format!(
                "{path}: HTTP {status}: {text}"
            )));
        }
        if text.trim().is_empty() {
            return Ok(Value::Null);
        }
        serde_json::from_str(&text)
            .map_err(|e| HarnessError::Unexpected(format!("{path}: not JSON ({e}): {text}")))
    }
}
