//! The portal page that hosts the app, and the probe app of the frame
//! protocol tests.

use fantoccini::Locator;
use serde_json::{json, Value};

use crate::{wait_for, Harness, HarnessError, Result, WAIT};

/// The portal page that hosts the app (`/marketplace/app/1/`).
pub struct PortalPage<'a> {
    pub(crate) h: &'a Harness,
}

impl<'a> PortalPage<'a> {
    /// Opens the app page and waits until the page script has run.
    pub async fn open(&self) -> Result<()> {
        self.open_with_query("").await
    }

    /// Opens the app page with a query string (`?a=b`, becomes PLACEMENT_OPTIONS).
    pub async fn open_with_query(&self, query: &str) -> Result<()> {
        let url = format!("{}{query}", self.h.emulator.app_page_url());
        self.h.client.goto(&url).await?;
        self.wait_ready().await
    }

    /// Waits until the page's frame-protocol script is listening.
    pub async fn wait_ready(&self) -> Result<()> {
        wait_for("the portal page script", || async {
            let ready = self
                .h
                .js("return Array.isArray(window.__frameLog);", vec![])
                .await?;
            Ok(ready.as_bool().filter(|b| *b))
        })
        .await
        .map(|_| ())
    }

    /// Reloads the whole portal page (a new render: new APP_SID, new tokens).
    pub async fn reload(&self) -> Result<()> {
        self.h.client.refresh().await?;
        self.wait_ready().await
    }

    /// The app iframe's `name` (`host:port|0|APP_SID`).
    pub async fn frame_name(&self) -> Result<String> {
        let frame = self.h.client.find(Locator::Id("app-frame")).await?;
        frame
            .attr("name")
            .await?
            .ok_or_else(|| HarnessError::Unexpected("the app iframe has no name".into()))
    }

    /// This render's APP_SID (the last part of the iframe name).
    pub async fn app_sid(&self) -> Result<String> {
        let name = self.frame_name().await?;
        name.rsplit('|')
            .next()
            .map(str::to_owned)
            .ok_or_else(|| HarnessError::Unexpected(format!("iframe name {name}")))
    }

    /// The content-area title the user sees.
    pub async fn heading(&self) -> Result<String> {
        Ok(self
            .h
            .client
            .find(Locator::Id("pagetitle"))
            .await?
            .text()
            .await?)
    }

    /// The browser tab's title.
    pub async fn document_title(&self) -> Result<String> {
        Ok(self.h.client.title().await?)
    }

    /// The app frame's rendered height in CSS pixels.
    pub async fn frame_height(&self) -> Result<f64> {
        let v = self
            .h
            .js(
                "return document.getElementById('app-frame').getBoundingClientRect().height;",
                vec![],
            )
            .await?;
        v.as_f64()
            .ok_or_else(|| HarnessError::Unexpected(format!("frame height {v}")))
    }

    /// The page's in-memory frame-message log (`window.__frameLog`).
    pub async fn frame_log(&self) -> Result<Vec<Value>> {
        match self.h.js("return window.__frameLog;", vec![]).await? {
            Value::Array(items) => Ok(items),
            other => Err(HarnessError::Unexpected(format!("__frameLog: {other}"))),
        }
    }

    /// Waits for a log entry that satisfies `pred` and returns it.
    pub async fn wait_log_entry(&self, what: &str, pred: impl Fn(&Value) -> bool) -> Result<Value> {
        wait_for(what, || async {
            Ok(self.frame_log().await?.into_iter().find(|e| pred(e)))
        })
        .await
    }

    /// Whether the side slider is showing.
    pub async fn slider_is_open(&self) -> Result<bool> {
        let v = self
            .h
            .js(
                "var s = document.getElementById('side-slider'); return !!s && !s.hidden;",
                vec![],
            )
            .await?;
        Ok(v.as_bool() == Some(true))
    }

    /// The text of the page shown in the side slider.
    pub async fn slider_text(&self) -> Result<String> {
        let frame = self.h.client.find(Locator::Id("side-slider-frame")).await?;
        frame.enter_frame().await?;
        let text = async {
            Ok::<_, HarnessError>(
                self.h
                    .client
                    .find(Locator::Css("body"))
                    .await?
                    .text()
                    .await?,
            )
        }
        .await;
        self.h.client.enter_parent_frame().await?;
        text
    }

    /// Closes the side slider the way a person does: the close button.
    pub async fn close_slider(&self) -> Result<()> {
        self.h
            .client
            .find(Locator::Css(".side-slider__close"))
            .await?
            .click()
            .await?;
        Ok(())
    }

    /// Runs `script` inside the app frame (then returns to the portal page).
    pub async fn in_app(&self, script: &str, args: Vec<Value>) -> Result<Value> {
        let frame = self.h.client.find(Locator::Id("app-frame")).await?;
        frame.enter_frame().await?;
        let result = self.h.js(script, args).await;
        self.h.client.enter_parent_frame().await?;
        result
    }

    /// The probe app inside the frame (page object for the fixture).
    pub fn probe(&self) -> ProbeApp<'_, 'a> {
        ProbeApp { page: self }
    }
}

/// The probe app (`e2e/fixtures/probe-app`): sends raw frame messages and
/// records every message the portal posts back.
pub struct ProbeApp<'p, 'a> {
    page: &'p PortalPage<'a>,
}

impl ProbeApp<'_, '_> {
    /// Waits until the probe has loaded and finished its own handshake, and
    /// returns the init data it received.
    pub async fn wait_ready(&self) -> Result<Value> {
        wait_for("the probe app's handshake", || async {
            let found = self.page.find_app_frame().await?;
            if !found {
                return Ok(None);
            }
            let init = self
                .page
                .in_app("return window.probe ? window.probe.init : null;", vec![])
                .await?;
            Ok((!init.is_null()).then_some(init))
        })
        .await
    }

    /// Posts `data` (any JSON value, a string for protocol messages) to the
    /// portal from the app frame.
    pub async fn send_raw(&self, data: Value) -> Result<()> {
        self.page
            .in_app(
                "window.probe.sendRaw(arguments[0]); return true;",
                vec![data],
            )
            .await
            .map(|_| ())
    }

    /// Sends `command:params:callback:sid` (BX24 v1's four segments) with
    /// this render's SID and waits up to `timeout_ms` for the reply.
    /// `None` when no reply came.
    pub async fn call(
        &self,
        command: &str,
        params: Option<Value>,
        callback: &str,
        timeout_ms: u64,
    ) -> Result<Option<Value>> {
        let v = self
            .page
            .in_app(
                "return window.probe.call(arguments[0], arguments[1], arguments[2], arguments[3]);",
                vec![
                    json!(command),
                    params.unwrap_or(Value::Null),
                    json!(callback),
                    json!(timeout_ms),
                ],
            )
            .await?;
        Ok(if v.get("timeout") == Some(&Value::Bool(true)) {
            None
        } else {
            v.get("payload").cloned()
        })
    }

    /// Sends a message and returns as soon as it is posted.
    pub async fn send(&self, command: &str, params: Option<Value>, callback: &str) -> Result<()> {
        self.page
            .in_app(
                "window.probe.send(arguments[0], arguments[1], arguments[2]); return true;",
                vec![
                    json!(command),
                    params.unwrap_or(Value::Null),
                    json!(callback),
                ],
            )
            .await
            .map(|_| ())
    }

    /// A round trip that is always answered (getInterface): once it is back,
    /// every earlier message has been handled.
    pub async fn barrier(&self, callback: &str) -> Result<()> {
        match self
            .call("getInterface", None, callback, WAIT.as_millis() as u64)
            .await?
        {
            Some(_) => Ok(()),
            None => Err(HarnessError::Timeout(WAIT, "the barrier reply".into())),
        }
    }

    /// Every message the probe received, as `{origin, data, callbackId, payload}`.
    pub async fn received(&self) -> Result<Vec<Value>> {
        match self
            .page
            .in_app("return window.probe.received;", vec![])
            .await?
        {
            Value::Array(items) => Ok(items),
            other => Err(HarnessError::Unexpected(format!("received: {other}"))),
        }
    }

    /// Whether any reply carried `callback` as its id.
    pub async fn got_reply(&self, callback: &str) -> Result<bool> {
        Ok(self
            .received()
            .await?
            .iter()
            .any(|m| m.get("callbackId").and_then(Value::as_str) == Some(callback)))
    }
}

impl PortalPage<'_> {
    async fn find_app_frame(&self) -> Result<bool> {
        Ok(!self
            .h
            .client
            .find_all(Locator::Id("app-frame"))
            .await?
            .is_empty())
    }
}
