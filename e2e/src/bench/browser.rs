//! Reading the browser for the bench: the app's performance marks, the
//! navigation and paint timings of the portal page and the app frame, the
//! files the frame loaded, timed clicks, and the heap through DevTools.
//!
//! Every time is put on the Unix time line (`performance.timeOrigin +
//! startTime`, in ms), where the emulator's request log also lives, so
//! marks and requests can be compared.

use std::time::Duration;

use serde_json::{json, Value};

use crate::bench::waves::Exchange;
use crate::table::FIND_JS;
use crate::{wait_for_within, Harness, HarnessError, Result};

/// How long the bench waits for any one thing on screen: generous, since a
/// paced page of 500 rows on two shared cores may take a while.
pub const PATIENCE: Duration = Duration::from_secs(60);

/// Runs `script` in the app frame.
pub async fn in_app(h: &Harness, script: &str, args: Vec<Value>) -> Result<Value> {
    h.portal().in_app(script, args).await
}

/// The latest entry of the mark `name` in the app frame, in Unix ms.
pub async fn mark(h: &Harness, name: &str) -> Result<Option<f64>> {
    let v = in_app(
        h,
        "const m = performance.getEntriesByName(arguments[0], 'mark');
         return m.length ? performance.timeOrigin + m[m.length - 1].startTime : null;",
        vec![json!(name)],
    )
    .await?;
    Ok(v.as_f64())
}

/// Waits until the app frame exists and has set `name` later than
/// `after` (Unix ms); returns the mark's time.
pub async fn wait_mark_after(h: &Harness, name: &str, after: f64) -> Result<f64> {
    wait_for_within(PATIENCE, &format!("the mark {name}"), || async {
        let frames = h
            .js("return !!document.getElementById('app-frame');", vec![])
            .await?;
        if frames.as_bool() != Some(true) {
            return Ok(None);
        }
        // The frame may still be loading: a failed look is "not yet".
        Ok(mark(h, name).await.ok().flatten().filter(|t| *t > after))
    })
    .await
}

/// Something the admin does, found the way a person finds it.
#[derive(Debug, Clone)]
pub enum Action {
    /// Presses the button with this accessible name ("Next page", a preset).
    Press(String),
    /// Clicks the sort button of this column header.
    Header(String),
    /// Chooses the option with this text in the select with this label.
    Choose(String, String),
}

impl Action {
    fn script(&self) -> (&'static str, Vec<Value>) {
        match self {
            Action::Press(name) => (
                "const b = buttonNamed(arguments[0]);
                 if (!b || b.disabled) return 'no enabled button ' + arguments[0];
                 const t = performance.timeOrigin + performance.now();
                 b.click();
                 return t;",
                vec![json!(name)],
            ),
            Action::Header(name) => (
                "const th = headerNamed(arguments[0]);
                 const b = th && th.querySelector('button');
                 if (!b) return 'no header ' + arguments[0];
                 const t = performance.timeOrigin + performance.now();
                 b.click();
                 return t;",
                vec![json!(name)],
            ),
            Action::Choose(label, text) => (
                "const s = controlNamed(arguments[0], null, 'select');
                 if (!s) return 'no select ' + arguments[0];
                 const o = Array.from(s.options).find(o => norm(o.textContent) === arguments[1]);
                 if (!o) return 'no option ' + arguments[1];
                 const t = performance.timeOrigin + performance.now();
                 setValue(s, o.value);
                 return t;",
                vec![json!(label), json!(text)],
            ),
        }
    }
}

/// Does `action` in the app frame; returns when it was done (Unix ms, by
/// the frame's clock, taken just before the click).
pub async fn act(h: &Harness, action: &Action) -> Result<f64> {
    let (body, args) = action.script();
    let v = in_app(h, &format!("{FIND_JS}\n{body}"), args).await?;
    v.as_f64()
        .ok_or_else(|| HarnessError::Unexpected(format!("{action:?}: {v}")))
}

/// The pager's "Showing 1–50 of 2,500".
pub async fn showing(h: &Harness) -> Result<String> {
    let v = in_app(
        h,
        "const e = document.querySelector('.wm-pager__showing');
         return e ? e.textContent.replace(/\\s+/g, ' ').trim() : '';",
        vec![],
    )
    .await?;
    Ok(v.as_str().unwrap_or_default().to_owned())
}

/// Waits until the pager says `text`.
pub async fn wait_showing(h: &Harness, text: &str) -> Result<()> {
    wait_for_within(PATIENCE, &format!("the pager to say {text}"), || async {
        Ok((showing(h).await.ok().as_deref() == Some(text)).then_some(()))
    })
    .await
}

/// Every REST request the emulator logged from a browser page (the app or
/// the SDK page: requests with an origin; the bench's own carry none).
pub async fn exchanges(h: &Harness) -> Result<Vec<Exchange>> {
    let log = h.control.get("/_emulator/log").await?;
    Ok(log
        .as_array()
        .map(|entries| {
            entries
                .iter()
                .filter(|e| e["origin"].as_str().is_some())
                .filter_map(Exchange::from_log)
                .collect()
        })
        .unwrap_or_default())
}

/// Waits until the frame has received an answer to every request the
/// emulator logged from it (the log was cleared before the page opened).
pub async fn wait_settled(h: &Harness) -> Result<()> {
    wait_for_within(PATIENCE, "every REST answer to reach the page", || async {
        let logged = exchanges(h).await?.len() as u64;
        let received = in_app(
            h,
            "return performance.getEntriesByType('resource').filter(e => e.name.includes('/rest/')).length;",
            vec![],
        )
        .await?
        .as_u64()
        .unwrap_or(0);
        Ok((received >= logged).then_some(()))
    })
    .await
}

/// Sets emulator knobs (`{"latency_ms": 100}`).
pub async fn knobs(h: &Harness, knobs: Value) -> Result<()> {
    h.control.post("/_emulator/knobs", &knobs).await.map(drop)
}

/// Starts a measured page load from scratch: the app's last view
/// forgotten (the tab's session storage, which restores it on a portal
/// reload), an empty page, the browser's HTTP cache emptied, the
/// emulator's bucket emptied and its log cleared.
pub async fn fresh_start(h: &Harness) -> Result<()> {
    // No app frame yet on the first start: nothing to forget.
    let _ = in_app(h, "sessionStorage.clear(); return null;", vec![]).await;
    h.client.goto("about:blank").await?;
    h.cdp("Network.clearBrowserCache", json!({})).await?;
    h.control
        .post("/_emulator/reset-limits", &json!({}))
        .await?;
    h.control.delete("/_emulator/log").await
}

/// Opens the portal page (with `query`, e.g. `?job=first50`); returns the
/// page's navigation start in Unix ms.
pub async fn open_portal(h: &Harness, query: &str) -> Result<f64> {
    h.portal().open_with_query(query).await?;
    let v = h.js("return performance.timeOrigin;", vec![]).await?;
    v.as_f64()
        .ok_or_else(|| HarnessError::Unexpected(format!("timeOrigin {v}")))
}

/// The portal page's and the app frame's navigation and paint timings,
/// the frame's files, and every `wm:` mark, in Unix ms.
pub async fn timings(h: &Harness) -> Result<Value> {
    let portal = h
        .js(
            "const n = performance.getEntriesByType('navigation')[0] || {};
             const o = performance.timeOrigin;
             const p = name => { const e = performance.getEntriesByName(name, 'paint')[0]; return e ? o + e.startTime : null; };
             return { origin: o, response_end: o + (n.responseEnd || 0),
                      dom_content_loaded: o + (n.domContentLoadedEventEnd || 0),
                      load: o + (n.loadEventEnd || 0), first_contentful_paint: p('first-contentful-paint') };",
            vec![],
        )
        .await?;
    let frame = in_app(
        h,
        "const o = performance.timeOrigin;
         const n = performance.getEntriesByType('navigation')[0] || {};
         const p = name => { const e = performance.getEntriesByName(name, 'paint')[0]; return e ? o + e.startTime : null; };
         const marks = {};
         performance.getEntriesByType('mark').forEach(m => { marks[m.name] = o + m.startTime; });
         const files = [{ url: location.href, transfer: n.transferSize || 0, end: o + (n.responseEnd || 0) }]
           .concat(performance.getEntriesByType('resource')
             .filter(e => e.name.startsWith(location.origin))
             .map(e => ({ url: e.name, transfer: e.transferSize, end: o + e.responseEnd })));
         return { origin: o, response_end: o + (n.responseEnd || 0),
                  dom_content_loaded: o + (n.domContentLoadedEventEnd || 0),
                  first_contentful_paint: p('first-contentful-paint'), marks, files };",
        vec![],
    )
    .await?;
    Ok(json!({ "portal": portal, "frame": frame }))
}

/// Empties the portal page's own log of frame messages (the emulator's
/// developer panel keeps every message the app sent, in the same JS
/// isolate as the app): what the stand-in for Bitrix24 remembers for the
/// tests is not the app's memory. Returns how many entries it held.
pub async fn drop_portal_log(h: &Harness) -> Result<u64> {
    let v = h
        .js(
            "const log = window.__frameLog;
             const n = Array.isArray(log) ? log.length : 0;
             if (Array.isArray(log)) { log.length = 0; }
             const rows = document.getElementById('frame-log-rows');
             if (rows) { rows.textContent = ''; }
             return n;",
            vec![],
        )
        .await?;
    Ok(v.as_u64().unwrap_or(0))
}

/// The JS heap in use after a forced garbage collection (bytes), through
/// DevTools (`HeapProfiler.collectGarbage`, `Runtime.getHeapUsage`): the
/// portal page and the app frame share one isolate (same site).
pub async fn heap_after_gc(h: &Harness) -> Result<f64> {
    h.cdp("HeapProfiler.collectGarbage", json!({})).await?;
    let usage = h.cdp("Runtime.getHeapUsage", json!({})).await?;
    usage["usedSize"]
        .as_f64()
        .ok_or_else(|| HarnessError::Unexpected(format!("heap usage {usage}")))
}

/// A script every new document runs first (DevTools): keeps the app's
/// wasm exports from Trunk's start event, so the bench can read the size
/// of its linear memory. Install before opening the portal page.
pub async fn watch_wasm_memory(h: &Harness) -> Result<()> {
    h.cdp(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": "addEventListener('TrunkApplicationStarted', e => { window.__benchWasm = e.detail && e.detail.wasm; });" }),
    )
    .await
    .map(drop)
}

/// The size of the app's wasm linear memory in bytes, if it is known.
pub async fn wasm_memory(h: &Harness) -> Result<Option<f64>> {
    let v = in_app(
        h,
        "const w = window.__benchWasm; return w && w.memory ? w.memory.buffer.byteLength : null;",
        vec![],
    )
    .await?;
    Ok(v.as_f64())
}
