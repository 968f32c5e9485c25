//! A running emulator on ephemeral ports and a small client for it.
#![allow(dead_code)]

use portal_emulator::{start, Config, Running};
use serde_json::{json, Value};

pub struct Portal {
    pub running: Running,
    pub http: reqwest::Client,
    pub token: String,
}

impl Portal {
    /// Starts an emulator with `workflows` rows, no rate limit, and a token.
    pub async fn start(workflows: usize) -> Portal {
        Self::with(Config::for_tests(workflows)).await
    }

    pub async fn with(config: Config) -> Portal {
        let running = start(config).await.expect("emulator starts");
        let http = reqwest::Client::new();
        let mut portal = Portal {
            running,
            http,
            token: String::new(),
        };
        portal.token = portal.new_token().await;
        portal
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.running.portal_url(), path)
    }

    pub async fn new_token(&self) -> String {
        let v: Value = self
            .http
            .post(self.url("/_emulator/token"))
            .send()
            .await
            .expect("token")
            .json()
            .await
            .expect("token json");
        v["access_token"].as_str().expect("access_token").to_owned()
    }

    /// POSTs JSON with the token as `auth` in the body, as the app does.
    pub async fn call(&self, method: &str, params: Value) -> (u16, Value) {
        let mut body = params;
        if let Some(obj) = body.as_object_mut() {
            obj.entry("auth").or_insert(json!(self.token));
        }
        self.raw_json(&format!("/rest/{method}.json"), &body).await
    }

    pub async fn raw_json(&self, path: &str, body: &Value) -> (u16, Value) {
        let r = self
            .http
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .expect("request");
        let status = r.status().as_u16();
        (status, r.json().await.expect("json answer"))
    }

    /// POSTs a body with the given content type.
    pub async fn raw(&self, path: &str, content_type: &str, body: String) -> (u16, Value) {
        let r = self
            .http
            .post(self.url(path))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("request");
        let status = r.status().as_u16();
        (status, r.json().await.expect("json answer"))
    }

    pub async fn knobs(&self, patch: Value) {
        let r = self
            .http
            .post(self.url("/_emulator/knobs"))
            .json(&patch)
            .send()
            .await
            .expect("knobs");
        assert_eq!(r.status().as_u16(), 200, "knobs accepted: {patch}");
    }

    pub async fn control(&self, path: &str, body: Value) -> Value {
        let r = self
            .http
            .post(self.url(path))
            .json(&body)
            .send()
            .await
            .expect("control");
        let text = r.text().await.expect("body");
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    pub async fn get(&self, path: &str) -> Value {
        self.http
            .get(self.url(path))
            .send()
            .await
            .expect("get")
            .json()
            .await
            .expect("json")
    }

    /// Every ID of the listing with this query, following `next`.
    pub async fn all_ids(&self, mut params: Value) -> Vec<String> {
        let mut ids = Vec::new();
        let mut start = 0u64;
        loop {
            params["start"] = json!(start);
            let (status, body) = self
                .call("bizproc.workflow.instances", params.clone())
                .await;
            assert_eq!(status, 200, "{body}");
            for row in body["result"].as_array().expect("rows") {
                ids.push(row["ID"].as_str().expect("ID").to_owned());
            }
            match body.get("next").and_then(Value::as_u64) {
                Some(n) => start = n,
                None => return ids,
            }
        }
    }
}
