//! The emulator's control API.

use serde_json::Value;

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
