//! The browser lowercases template names exactly as Rust would: the app
//! sorts them with the browser's `toLowerCase` (`rest::lookups::lowercase`)
//! instead of carrying Rust's Unicode case tables.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use workflow_monitor::rest::lookups::lowercase;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn every_character_lowercases_as_in_rust() {
    // Spaced apart, so that no character is another's final-sigma context.
    let every: String = (0..=0x10_FFFF_u32)
        .filter_map(char::from_u32)
        .flat_map(|c| [c, ' '])
        .collect();
    let ours = lowercase(&every);
    let rust = every.to_lowercase();
    if ours != rust {
        let differ: Vec<String> = every
            .split(' ')
            .zip(ours.split(' ').zip(rust.split(' ')))
            .filter(|(_, (a, b))| a != b)
            .take(20)
            .map(|(c, (a, b))| format!("{c:?}: browser {a:?}, Rust {b:?}"))
            .collect();
        panic!("the browser lowercases differently: {differ:?}");
    }
}

#[wasm_bindgen_test]
fn names_lowercase_as_in_rust_in_context() {
    let names = [
        "Согласование договора",
        "ЁЛКА и Ёж",
        "Deal APPROVAL (v2)",
        "ΟΔΟΣ",
        "ΣΑΣ ΣΑΣ.",
        "AΣb",
        "ΑΣ'Σ",
        "İstanbul",
        "Straße ẞ",
        "ǅemal Ǆ",
        "",
    ];
    for name in names {
        assert_eq!(lowercase(name), name.to_lowercase(), "{name:?}");
    }
}
