//! Opening portal pages from the app: a document's page in the portal's
//! slider (`openPath`, §1.7, §4.2), or in a new tab where the portal
//! refuses it. A link is a real `<a href>` to `https://PORTAL/path`
//! (new tab), so a middle click, Ctrl+click or the keyboard work as on
//! any link; only a plain click goes to the slider.

use leptos::ev::MouseEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::domain::frame::OpenPathReply;
use crate::portal::FrameClient;

/// Opens portal pages: their URL, and the slider.
#[derive(Clone, Copy)]
pub struct PortalLinks {
    origin: StoredValue<String>,
    frame: StoredValue<FrameClient, LocalStorage>,
}

impl PortalLinks {
    /// Links into the portal at `origin` (`https://host`), opened through
    /// `frame`.
    pub fn new(origin: String, frame: FrameClient) -> PortalLinks {
        PortalLinks {
            origin: StoredValue::new(origin),
            frame: StoredValue::new_local(frame),
        }
    }

    /// The portal's origin (`https://host`).
    pub fn origin(self) -> String {
        self.origin.get_value()
    }

    /// Opens `path` in the portal's slider; if the portal refuses it, in a
    /// new tab at `url` instead. The answer comes only when the slider
    /// closes, so nothing waits for it.
    pub fn open(self, path: String, url: String) {
        let frame = self.frame.with_value(FrameClient::clone);
        spawn_local(async move {
            if let Ok(OpenPathReply::Refused(_)) = frame.open_path(&path).await {
                if let Some(window) = web_sys::window() {
                    let _ = window.open_with_url_and_target(&url, "_blank");
                }
            }
        });
    }
}

/// Whether a click is a plain one (no modifier, main button): the others
/// keep the browser's own behaviour (a new tab or window).
pub fn plain_click(ev: &MouseEvent) -> bool {
    ev.button() == 0 && !(ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.alt_key())
}
