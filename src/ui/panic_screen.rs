//! What the admin sees if the app panics: an error screen with a reload
//! action instead of a blank or frozen frame.

use std::panic;

use crate::domain::i18n::Lang;

/// The error screen. Static markup only: nothing from the panic message is
/// put into the page. The reload link needs no script (the app URL answers
/// GET, and the frame keeps `window.name`, so the app boots again).
/// Its texts come from the catalogue of `lang` (ours, no markup in them).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn screen(lang: Lang) -> String {
    let t = lang.texts();
    format!(
        r#"<main class="wm-fatal" role="alert">
<h1 class="wm-fatal__title">{}</h1>
<p class="wm-fatal__text">{}</p>
<a class="wm-button wm-button--primary" href="" target="_self">{}</a>
</main>"#,
        t.panic_title, t.panic_text, t.reload
    )
}

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
    // The language the app was showing (`<html lang>`), read without Leptos.
    let lang = root
        .owner_document()
        .and_then(|d| d.document_element())
        .and_then(|e| e.get_attribute("lang"))
        .map_or(Lang::En, |l| Lang::from_code(&l));
    root.set_inner_html(&screen(lang));
}

/// Natively (tests) there is no page to replace: the message goes to stderr.
#[cfg(not(target_arch = "wasm32"))]
pub fn show(message: &str) {
    // Natively (tests) there is no page to replace.
    eprintln!("Workflow Monitor: {message}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_screen_offers_a_reload_and_carries_no_script() {
        for lang in Lang::ALL {
            let screen = screen(lang);
            assert!(screen.contains(lang.texts().reload));
            assert!(!screen.contains("<script"));
            assert!(!screen.contains("onclick"));
            assert!(!screen.contains('{'), "every placeholder filled: {screen}");
        }
    }
}
