//! What the admin sees if the app panics: an error screen with a reload
//! action instead of a blank or frozen frame.

use std::panic;

/// The error screen. Static markup only: nothing from the panic message is
/// put into the page. The reload link needs no script (the app URL answers
/// GET, and the frame keeps `window.name`, so the app boots again).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
const SCREEN: &str = r#"<main class="wm-fatal" role="alert">
<h1 class="wm-fatal__title">Workflow Monitor stopped because of an internal error</h1>
<p class="wm-fatal__text">Nothing was changed in your portal. Reload the app to continue; if it happens again, the browser console has the details for a bug report.</p>
<a class="wm-button wm-button--primary" href="" target="_self">Reload</a>
</main>"#;

/// Installs the panic hook: the panic goes to the console, then the page
/// becomes the error screen.
pub fn install() {
    panic::set_hook(Box::new(|info| {
        show(&info.to_string());
    }));
}

/// Logs `message` to the console and replaces the page with the error
/// screen. The message never reaches the page.
#[cfg(target_arch = "wasm32")]
pub fn show(message: &str) {
    web_sys::console::error_1(&format!("Workflow Monitor: {message}").into());
    let body = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body());
    if let Some(body) = body {
        show_in(&body);
    }
}

/// Replaces everything inside `root` with the error screen.
#[cfg(target_arch = "wasm32")]
pub fn show_in(root: &web_sys::Element) {
    root.set_inner_html(SCREEN);
}

/// Natively (tests) there is no page to replace: the message goes to stderr.
#[cfg(not(target_arch = "wasm32"))]
pub fn show(message: &str) {
    // Natively (tests) there is no page to replace.
    eprintln!("Workflow Monitor: {message}");
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_screen_offers_a_reload_and_carries_no_script() {
        assert!(super::SCREEN.contains("Reload"));
        assert!(!super::SCREEN.contains("<script"));
        assert!(!super::SCREEN.contains("onclick"));
    }
}
