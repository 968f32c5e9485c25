//! Offers a text file to download: a Blob URL on a temporary link, so a
//! report of thousands of rows never goes through a `data:` URL.

/// Offers `content` as the file `name` (`mime` with its charset). Returns
/// whether the browser took it; a refusal (a sandbox without downloads)
/// is for the caller to say.
pub fn offer(name: &str, mime: &str, content: &str) -> bool {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsCast;
        let attempt = || -> Option<()> {
            let document = web_sys::window()?.document()?;
            let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(content));
            let options = web_sys::BlobPropertyBag::new();
            options.set_type(mime);
            let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
            let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
            let link: web_sys::HtmlAnchorElement =
                document.create_element("a").ok()?.dyn_into().ok()?;
            link.set_href(&url);
            link.set_download(name);
            link.click();
            // The click has started the download; the URL may go.
            let _ = web_sys::Url::revoke_object_url(&url);
            Some(())
        };
        attempt().is_some()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = (name, mime, content);
        false
    }
}
