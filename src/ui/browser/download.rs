//! Offers a text file to download: a Blob URL on a temporary link, so a
//! report of thousands of rows never goes through a `data:` URL.

/// Offers `content` as the file `name` (`mime` with its charset). Returns
/// whether the browser took it; a refusal (a sandbox without downloads)
/// is for the caller to say.
pub fn offer(name: &str, mime: &str, content: &str) -> bool {
    #[cfg(target_arch = "wasm32")]
    {
        let attempt = || -> Option<()> {
            let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(content));
            let options = web_sys::BlobPropertyBag::new();
            options.set_type(mime);
            let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
            click_link(&blob, name)
        };
        attempt().is_some()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = (name, mime, content);
        false
    }
}

#[cfg(target_arch = "wasm32")]
thread_local! {
    /// The file being written: one `Blob` a part, so its text is never one
    /// string in the page's memory.
    static PARTS: std::cell::RefCell<Option<js_sys::Array>> = const { std::cell::RefCell::new(None) };
}

/// Starts a new file written in parts (dropping any earlier one).
pub fn begin_parts() {
    #[cfg(target_arch = "wasm32")]
    PARTS.with(|p| *p.borrow_mut() = Some(js_sys::Array::new()));
}

/// Appends `text` to the file as a part of its own.
pub fn append_part(text: &str) {
    #[cfg(target_arch = "wasm32")]
    PARTS.with(|p| {
        let parts = p.borrow();
        let Some(parts) = parts.as_ref() else { return };
        let one = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
        if let Ok(blob) = web_sys::Blob::new_with_str_sequence(&one) {
            parts.push(&blob);
        }
    });
    #[cfg(not(target_arch = "wasm32"))]
    let _ = text;
}

/// Drops the file's parts.
pub fn discard_parts() {
    #[cfg(target_arch = "wasm32")]
    PARTS.with(|p| *p.borrow_mut() = None);
}

/// Offers the parts as the file `name` of type `mime`, then drops them.
/// Returns whether the browser took it.
pub fn save_parts(name: &str, mime: &str) -> bool {
    #[cfg(target_arch = "wasm32")]
    {
        let Some(parts) = PARTS.with(|p| p.borrow_mut().take()) else {
            return false;
        };
        let attempt = || -> Option<()> {
            let options = web_sys::BlobPropertyBag::new();
            options.set_type(mime);
            let blob = web_sys::Blob::new_with_blob_sequence_and_options(&parts, &options).ok()?;
            click_link(&blob, name)
        };
        attempt().is_some()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = (name, mime);
        false
    }
}

/// Downloads `blob` as `name` through a temporary link (works inside the
/// portal's frame), its URL revoked once the click has started it.
#[cfg(target_arch = "wasm32")]
fn click_link(blob: &web_sys::Blob, name: &str) -> Option<()> {
    use wasm_bindgen::JsCast;
    let document = web_sys::window()?.document()?;
    let url = web_sys::Url::create_object_url_with_blob(blob).ok()?;
    let link: web_sys::HtmlAnchorElement = document.create_element("a").ok()?.dyn_into().ok()?;
    link.set_href(&url);
    link.set_download(name);
    link.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Some(())
}
