//! Who holds the JS heap: the live allocations of V8's sampling heap
//! profiler (DevTools `HeapProfiler.getSamplingProfile`), attributed by
//! their allocation stack. The app frame and the emulated portal page
//! share one isolate, and the test driver keeps its own objects in the
//! page (ChromeDriver's element cache), so the heap's total says little
//! about the app alone.

use serde_json::Value;

/// Live bytes by who allocated them.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct HeapShares {
    /// The app: a stack through its JS glue or its wasm.
    pub app: f64,
    /// The emulated portal page's own script (its message log, panels).
    pub portal: f64,
    /// ChromeDriver's scripts (the element cache of WebDriver commands).
    pub webdriver: f64,
    /// No script on the stack (allocated by the browser itself).
    pub other: f64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Origin {
    App,
    Portal,
    WebDriver,
}

fn origin(frame: &Value) -> Option<Origin> {
    let cf = &frame["callFrame"];
    let url = cf["url"].as_str().unwrap_or_default();
    let name = cf["functionName"].as_str().unwrap_or_default();
    if url.contains("workflow-monitor") {
        Some(Origin::App)
    } else if url.ends_with("applayout.js") {
        Some(Origin::Portal)
    } else if name == "callFunction" || name.contains("element-6066-11e4") {
        Some(Origin::WebDriver)
    } else {
        None
    }
}

/// Attributes every sampled allocation of `profile` (the answer of
/// `HeapProfiler.getSamplingProfile`): to the app when any frame of its
/// stack is the app's, else to the portal page, else to WebDriver, else
/// to the browser.
pub fn shares(profile: &Value) -> HeapShares {
    let mut out = HeapShares::default();
    let head = profile.get("profile").unwrap_or(profile).get("head");
    let mut stack: Vec<(&Value, Vec<Origin>)> = match head {
        Some(h) => vec![(h, Vec::new())],
        None => return out,
    };
    while let Some((node, mut seen)) = stack.pop() {
        if let Some(o) = origin(node) {
            seen.push(o);
        }
        let size = node["selfSize"].as_f64().unwrap_or(0.0);
        if size > 0.0 {
            let slot = if seen.contains(&Origin::App) {
                &mut out.app
            } else if seen.contains(&Origin::Portal) {
                &mut out.portal
            } else if seen.contains(&Origin::WebDriver) {
                &mut out.webdriver
            } else {
                &mut out.other
            };
            *slot += size;
        }
        if let Some(children) = node["children"].as_array() {
            for child in children {
                stack.push((child, seen.clone()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn node(name: &str, url: &str, size: u64, children: Vec<Value>) -> Value {
        json!({"callFrame": {"functionName": name, "url": url}, "selfSize": size, "children": children})
    }

    #[test]
    fn allocations_go_to_the_nearest_known_code_on_their_stack() {
        let app_js = "http://127.0.0.1:9/workflow-monitor-abc.js";
        let profile = json!({"profile": {"head": node("(root)", "", 0, vec![
            node("(V8 API)", "", 100, vec![]),
            node("", "http://127.0.0.1:8/applayout.js", 40, vec![
                node("render", "http://127.0.0.1:8/applayout.js", 2, vec![]),
            ]),
            node("callFunction", "", 7, vec![
                node("dispatch", app_js, 0, vec![
                    node("", "", 5, vec![]),
                ]),
            ]),
            node("r", app_js, 3, vec![node("js-to-wasm", "http://x/workflow-monitor-abc_bg.wasm", 11, vec![])]),
        ])}});
        let s = shares(&profile);
        assert_eq!(
            s,
            HeapShares {
                app: 19.0,
                portal: 42.0,
                webdriver: 7.0,
                other: 100.0
            }
        );
        assert_eq!(shares(&json!({})), HeapShares::default());
    }
}
