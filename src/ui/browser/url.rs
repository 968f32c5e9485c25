//! The view's place in the URL: the fragment of the app frame's address.
//! Replacing it (not pushing) keeps the portal's history clean.
//!
//! Reloading the portal page POSTs the frame anew, to the app URL without
//! the fragment (§4.1), so the view is also kept in the tab's session
//! storage and restored from there when the address has no fragment.

/// Where the last view of this tab is kept.
#[cfg(target_arch = "wasm32")]
const LAST_VIEW_KEY: &str = "wm_last_view";

/// The current fragment, without `#`; else the tab's last view.
pub fn read_fragment() -> String {
    #[cfg(target_arch = "wasm32")]
    {
        let Some(window) = web_sys::window() else {
            return String::new();
        };
        let fragment = window
            .location()
            .hash()
            .map(|h| h.trim_start_matches('#').to_owned())
            .unwrap_or_default();
        if !fragment.is_empty() {
            return fragment;
        }
        // Storage may be refused (privacy settings): then there is no last view.
        window
            .session_storage()
            .ok()
            .flatten()
            .and_then(|s| s.get_item(LAST_VIEW_KEY).ok().flatten())
            .unwrap_or_default()
    }
    #[cfg(not(target_arch = "wasm32"))]
    String::new()
}

/// Writes `fragment` into the address without a new history entry.
pub fn write_fragment(fragment: &str) {
    #[cfg(target_arch = "wasm32")]
    {
        let Some(window) = web_sys::window() else {
            return;
        };
        let Ok(history) = window.history() else {
            return;
        };
        let url = if fragment.is_empty() {
            // Drop a stale fragment, keep path and query.
            let location = window.location();
            format!(
                "{}{}",
                location.pathname().unwrap_or_default(),
                location.search().unwrap_or_default()
            )
        } else {
            format!("#{fragment}")
        };
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
        if let Ok(Some(storage)) = window.session_storage() {
            let _ = storage.set_item(LAST_VIEW_KEY, fragment);
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = fragment;
}

/// Whether the page is in a background tab (nothing to refresh for).
pub fn page_hidden() -> bool {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window()
            .and_then(|w| w.document())
            .is_some_and(|d| d.hidden())
    }
    #[cfg(not(target_arch = "wasm32"))]
    false
}
