//! The Workflow Monitor app inside the portal frame (page object), and where
//! its release build is.

use std::path::PathBuf;

use fantoccini::Locator;
use serde_json::{json, Value};

use crate::{wait_for, Harness, HarnessError, PortalPage, Result};

/// The app's release build (`<repo>/dist`), made by `cargo xtask build`
/// (which `cargo xtask test` runs before this layer).
pub fn app_dist() -> Result<PathBuf> {
    let dist = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../dist");
    if !dist.join("index.html").is_file() {
        return Err(HarnessError::Unexpected(format!(
            "{} has no app build: run `cargo xtask build` first",
            dist.display()
        )));
    }
    Ok(dist)
}

/// The app as a person sees it, inside the portal's frame.
pub struct AppFrame<'a> {
    pub page: PortalPage<'a>,
}

impl<'a> AppFrame<'a> {
    pub fn of(h: &'a Harness) -> Self {
        AppFrame { page: h.portal() }
    }

    /// Runs `script` in the app frame and returns its value.
    pub async fn js(&self, script: &str) -> Result<Value> {
        self.page.in_app(script, vec![]).await
    }

    /// Waits until the app shows `n` table rows; returns the cells' text
    /// (the columns' cells, without each row's selection checkbox).
    pub async fn wait_rows(&self, n: usize) -> Result<Vec<Vec<String>>> {
        wait_for(&format!("{n} rows in the app's table"), || async {
            let rows = self
                .js(
                    "return Array.from(document.querySelectorAll('table tbody tr'))\
                     .map(tr => Array.from(tr.cells).filter(td => !td.classList.contains('wm-table__td--select')).map(td => td.textContent));",
                )
                .await?;
            let rows: Vec<Vec<String>> = serde_json::from_value(rows).unwrap_or_default();
            Ok((rows.len() == n).then_some(rows))
        })
        .await
    }

    /// The column headers (not the selection checkbox's).
    pub async fn headers(&self) -> Result<Vec<String>> {
        let v = self
            .js("return Array.from(document.querySelectorAll('table thead th[scope=col]:not(.wm-table__th--select)')).map(th => th.textContent);")
            .await?;
        Ok(serde_json::from_value(v).unwrap_or_default())
    }

    /// Waits until the app's text contains `needle`; returns the text.
    pub async fn wait_text(&self, needle: &str) -> Result<String> {
        wait_for(&format!("\"{needle}\" in the app"), || async {
            let text = self
                .js("return document.body ? document.body.innerText : '';")
                .await?;
            let text = text.as_str().unwrap_or_default().to_owned();
            Ok(text.contains(needle).then_some(text))
        })
        .await
    }

    /// Clicks the button whose text is `label`, inside the app.
    pub async fn click_button(&self, label: &str) -> Result<()> {
        let clicked = self
            .page
            .in_app(
                "const b = Array.from(document.querySelectorAll('button')).find(b => b.textContent.trim() === arguments[0]);\
                 if (!b) return false; b.click(); return true;",
                vec![json!(label)],
            )
            .await?;
        if clicked.as_bool() == Some(true) {
            Ok(())
        } else {
            Err(HarnessError::Unexpected(format!(
                "no button \"{label}\" in the app"
            )))
        }
    }

    /// The app document's full height, read inside the frame.
    pub async fn content_height(&self) -> Result<f64> {
        let v = self
            .js("return document.documentElement.getBoundingClientRect().height;")
            .await?;
        v.as_f64()
            .ok_or_else(|| HarnessError::Unexpected(format!("content height {v}")))
    }

    /// Whether anything in the frame would show a scrollbar: the document
    /// vertically or horizontally, or the table's own box horizontally.
    pub async fn has_inner_scroll(&self) -> Result<bool> {
        let v = self
            .js(
                "const e = document.scrollingElement || document.documentElement;\
                 const t = document.querySelector('.wm-table-wrap');\
                 return e.scrollHeight > e.clientHeight + 1 || e.scrollWidth > e.clientWidth + 1\
                   || (!!t && t.scrollWidth > t.clientWidth + 1);",
            )
            .await?;
        Ok(v.as_bool() == Some(true))
    }
}

/// Saves a PNG of the whole browser window.
pub async fn screenshot(h: &Harness, path: &std::path::Path) -> Result<()> {
    let png = h.client.screenshot().await?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, png)?;
    Ok(())
}

/// Where the test suite keeps its screenshots; with `WFM_UPDATE_DOCS=1` the
/// README's screenshot in `docs/` is written instead.
pub fn screenshot_path(name: &str) -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    if std::env::var_os("WFM_UPDATE_DOCS").is_some() {
        root.join("docs").join(name)
    } else {
        root.join("target").join("screenshots").join(name)
    }
}

/// Finds an element in the current context by CSS (for clicks that need a
/// real WebDriver click rather than a scripted one).
pub async fn css(h: &Harness, selector: &str) -> Result<fantoccini::elements::Element> {
    Ok(h.client.find(Locator::Css(selector)).await?)
}

/// Every REST request the app made, from the emulator's log: requests that
/// carry the app host's origin (the tests' own queries carry none).
pub async fn app_calls(h: &Harness) -> Result<Vec<Value>> {
    let log = h.control.get("/_emulator/log").await?;
    Ok(log
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|e| {
            e["origin"]
                .as_str()
                .is_some_and(|o| o.starts_with("http://127.0.0.1"))
        })
        .collect())
}
