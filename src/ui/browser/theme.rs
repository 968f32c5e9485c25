//! Showing a colour theme on the page.
//!
//! The design-token package scopes its dark tokens to a `.dark` class and
//! its light ones to `:root`, so a theme is shown by the `dark` class on
//! the root element; `data-theme` there records the choice. Auto follows
//! the system's preference, also when it changes while the app is open.

use crate::domain::display::theme::Theme;

/// The media query for a system in dark mode.
#[cfg(target_arch = "wasm32")]
const PREFERS_DARK: &str = "(prefers-color-scheme: dark)";

/// Shows `theme` on the page now. Called at boot (Auto, before the portal
/// answers), with the saved choice as soon as the session arrives (before
/// the table is painted), and on every change of the switch.
pub fn apply(theme: Theme) {
    #[cfg(target_arch = "wasm32")]
    {
        let Some(window) = web_sys::window() else {
            return;
        };
        let Some(root) = window.document().and_then(|d| d.document_element()) else {
            return;
        };
        let prefers_dark = window
            .match_media(PREFERS_DARK)
            .ok()
            .flatten()
            .is_some_and(|m| m.matches());
        let _ = root.set_attribute("data-theme", theme.as_str());
        let _ = root
            .class_list()
            .toggle_with_force("dark", theme.is_dark(prefers_dark));
        follow_system(&window);
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = theme;
}

/// Re-applies the shown choice when the system switches between light and
/// dark (it matters only for Auto). Installed once, for the page's life.
#[cfg(target_arch = "wasm32")]
fn follow_system(window: &web_sys::Window) {
    use std::cell::Cell;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    thread_local! {
        static FOLLOWING: Cell<bool> = const { Cell::new(false) };
    }
    if FOLLOWING.with(|f| f.replace(true)) {
        return;
    }
    let Some(query) = window.match_media(PREFERS_DARK).ok().flatten() else {
        return;
    };
    let on_change = Closure::<dyn Fn()>::new(|| {
        let shown = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
            .and_then(|root| root.get_attribute("data-theme"));
        apply(shown.as_deref().and_then(Theme::parse).unwrap_or_default());
    });
    let _ = query.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
    // The listener lives as long as the page.
    on_change.forget();
}
