//! The panic screen in a real browser: it replaces the page, offers a
//! reload, and never shows the panic's text.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;
use workflow_monitor::ui::panic_screen;

wasm_bindgen_test_configure!(run_in_browser);

fn body_html() -> String {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
        .map(|b| b.inner_html())
        .unwrap_or_default()
}

#[wasm_bindgen_test]
fn replaces_the_page_with_a_reload_action_and_keeps_the_message_out() {
    if let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
    {
        body.set_inner_html("<p id=\"app\">the app</p>");
    }
    panic_screen::show("index out of bounds <img src=x onerror=alert(1)>");
    let html = body_html();
    assert!(
        html.contains("Workflow Monitor stopped because of an internal error"),
        "{html}"
    );
    assert!(html.contains(">Reload</a>"), "{html}");
    assert!(!html.contains("the app"), "the broken page is gone");
    assert!(
        !html.contains("index out of bounds"),
        "the panic text stays in the console"
    );
    assert!(!html.contains("onerror"));
}
