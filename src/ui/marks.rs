//! Performance marks the benchmarks read (`performance.getEntriesByName`).

/// The first rows of the table have been painted.
pub const FIRST_ROWS: &str = "wm:first-rows";

/// Sets `name` once the browser has painted the current frame: the mark
/// goes after the next animation frame, when the rows are on screen.
pub fn mark_after_paint(name: &'static str) {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::closure::Closure;
        use wasm_bindgen::JsCast;
        let Some(window) = web_sys::window() else {
            return;
        };
        let callback = Closure::once_into_js(move || {
            if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
                // A mark that cannot be set only costs the benchmark a number.
                let _ = performance.mark(name);
            }
        });
        let _ = window.request_animation_frame(callback.unchecked_ref());
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = name;
}
