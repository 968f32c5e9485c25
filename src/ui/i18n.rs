//! The interface language as a Leptos context: the browser's language
//! until the portal's init data arrive, then the portal's `LANG`.

use leptos::prelude::*;

use crate::domain::i18n::{Lang, Texts};

/// Makes `lang` the language of everything below the calling component,
/// and of the document (`<html lang>`, for screen readers and hyphenation).
pub fn provide_lang(lang: Lang) {
    provide_context(lang);
    #[cfg(target_arch = "wasm32")]
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("lang", lang.tag());
    }
}

/// The language in effect here.
pub fn lang() -> Lang {
    use_context::<Lang>().unwrap_or_else(browser_lang)
}

/// The catalogue in effect here.
pub fn texts() -> &'static Texts {
    lang().texts()
}

/// The browser's preferred language (before the portal says its own).
pub fn browser_lang() -> Lang {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window()
            .and_then(|w| w.navigator().language())
            .map_or(Lang::En, |l| Lang::from_code(&l))
    }
    #[cfg(not(target_arch = "wasm32"))]
    Lang::En
}
