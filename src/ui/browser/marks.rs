//! Performance marks the benchmarks read (`performance.getEntriesByName`,
//! `cargo xtask bench app`).
//!
//! A mark is one entry on the page's own performance timeline; one set
//! after a paint also costs one animation-frame callback and one timer.
//! Nothing is logged and nothing leaves the page, so marks cost nothing
//! worth counting when nobody reads them. Every mark but
//! [`FIRST_ROWS`] replaces its previous entry: a long session keeps one
//! entry per name, and a reader finds the latest one.

/// The portal's init data has arrived: the frame handshake is done.
pub const HANDSHAKE: &str = "wm:handshake";

/// The first rows of the table have been painted (set once).
pub const FIRST_ROWS: &str = "wm:first-rows";

/// A page of rows is in the app's hands (answered or prefetched) and is
/// about to be rendered. With [`ROWS`] it times a render.
pub const ROWS_DATA: &str = "wm:rows-data";

/// The latest page of rows has been painted.
pub const ROWS: &str = "wm:rows";

/// Every name on screen (templates and people) has been painted: the
/// table is complete. Set once per screen.
pub const NAMED: &str = "wm:named";

/// An export's file was offered (benchmarks time the export by it).
pub const EXPORTED: &str = "wm:exported";

/// Every chart of the overview is drawn (or failed) for the current
/// filters.
pub const OVERVIEW: &str = "wm:overview";

/// What every row on screen waits for is drawn (the Waiting for column).
pub const WAITING: &str = "wm:waiting";

/// Sets `name` now, replacing an earlier entry of the same name (except
/// [`FIRST_ROWS`], which is set once anyway).
pub fn mark_now(name: &'static str) {
    #[cfg(target_arch = "wasm32")]
    {
        if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
            if name != FIRST_ROWS {
                performance.clear_marks_with_mark_name(name);
            }
            // A mark that cannot be set only costs the benchmark a number.
            let _ = performance.mark(name);
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = name;
}

/// Sets `name` once the browser has painted the current DOM: the next
/// animation frame runs before that frame's layout and paint, so the mark
/// waits for a task queued from it, which runs after them.
pub fn mark_after_paint(name: &'static str) {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::closure::Closure;
        use wasm_bindgen::JsCast;
        let Some(window) = web_sys::window() else {
            return;
        };
        let after_frame = Closure::once_into_js(move || {
            let Some(window) = web_sys::window() else {
                return;
            };
            let after_paint = Closure::once_into_js(move || mark_now(name));
            let _ = window.set_timeout_with_callback(after_paint.unchecked_ref());
        });
        let _ = window.request_animation_frame(after_frame.unchecked_ref());
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = name;
}
