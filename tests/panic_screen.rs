//! The panic screen in a real browser: it replaces the page, offers a
//! reload, and never shows the panic's text. (It is drawn into a container
//! here: replacing the test page's own body would take the test runner's
//! report with it.)
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;
use workflow_monitor::ui::panic_screen;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn replaces_the_page_with_a_reload_action() {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a document");
    let root = document.create_element("div").expect("a div");
    root.set_inner_html("<p id=\"app\">the app</p>");
    panic_screen::show_in(&root);
    let html = root.inner_html();
    assert!(
        html.contains("Workflow Monitor stopped because of an internal error"),
        "{html}"
    );
    assert!(html.contains(">Reload</a>"), "{html}");
    assert!(!html.contains("id=\"app\""), "the broken page is gone");
    assert!(!html.contains("<script"));
}
