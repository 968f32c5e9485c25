//! Showing the rows' density on the page: `data-density` on the root
//! element, which the stylesheet reads (Compact is its default, so the
//! rows are compact before the portal says what the admin chose).

use crate::domain::display::density::Density;

/// Shows `density` on the page now. Called with the saved choice as soon
/// as the session arrives (before the table is painted), and on every
/// change of the switch.
pub fn apply(density: Density) {
    #[cfg(target_arch = "wasm32")]
    {
        let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        else {
            return;
        };
        let _ = root.set_attribute("data-density", density.as_str());
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = density;
}
