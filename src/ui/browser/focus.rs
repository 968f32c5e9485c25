//! Moves the keyboard focus: now, or once the views being built are in
//! the document (a part of the acting flow that replaces the control that
//! had the focus hands it on). One plain function for every such place,
//! instead of an effect and a node reference per component.

/// Focuses the first element `selector` finds; whether there was one.
pub fn focus_now(selector: &str) -> bool {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsCast;
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector(selector).ok().flatten())
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            .is_some_and(|e| e.focus().is_ok())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = selector;
        false
    }
}

/// [`focus_now`] after the current task: by then the view that is being
/// built (and holds the element) is mounted.
pub fn focus_soon(selector: &'static str) {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::closure::Closure;
        use wasm_bindgen::JsCast;
        let Some(window) = web_sys::window() else {
            return;
        };
        let later = Closure::once_into_js(move || {
            focus_now(selector);
        });
        let _ = window.set_timeout_with_callback(later.unchecked_ref());
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = selector;
}
