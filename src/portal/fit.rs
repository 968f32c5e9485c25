//! Keeps the portal's frame as tall as the app's content, so the portal
//! never shows a scrollbar inside the frame (§7.3, §8.7).

use std::cell::Cell;
use std::rc::Rc;

use js_sys::Function;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Document, ResizeObserver, Window};

use crate::domain::frame;

use super::client::FrameClient;

/// Keeps the frame fitted while it lives; dropping it stops the
/// observation. Returned by [`FrameClient::keep_fitted`].
#[must_use = "the frame stops following the content when the guard is dropped"]
pub struct FitGuard {
    /// `None` where the browser has no ResizeObserver: the frame was fitted
    /// once, and [`FitGuard::refit`] still works.
    fitting: Option<Fitting>,
    state: Rc<FitState>,
}

struct Fitting {
    observer: ResizeObserver,
    on_frame: Function,
    _on_resize: Closure<dyn FnMut()>,
    _on_frame: Closure<dyn FnMut()>,
}

struct FitState {
    client: FrameClient,
    window: Window,
    /// The height last asked for; the same height is not sent twice.
    last_sent: Cell<Option<u32>>,
    /// The animation frame a measurement is scheduled for.
    frame_request: Cell<Option<i32>>,
}

impl FrameClient {
    /// Sends `resizeWindow` whenever the content's height changes, as
    /// observed on `<html>` and `<body>`, at most once per animation frame
    /// and only when the height differs from the last one sent. Also fits
    /// once right away.
    ///
    /// The content is measured as the height of `<html>` or of `<body>`'s
    /// content with its overflow, whichever is taller. Two layout rules
    /// follow: `<html>`/`<body>` must not be sized to the viewport
    /// (`height: 100%`, `100vh`), or the frame can never shrink; and
    /// overlays must be positioned inside `<body>` to be counted.
    pub fn keep_fitted(&self) -> FitGuard {
        let state = Rc::new(FitState {
            client: self.clone(),
            window: self.inner.link.own.clone(),
            last_sent: Cell::new(None),
            frame_request: Cell::new(None),
        });
        let measuring = Rc::clone(&state);
        let on_frame_closure = Closure::<dyn FnMut()>::new(move || {
            measuring.frame_request.set(None);
            measuring.fit();
        });
        let on_frame: Function = on_frame_closure
            .as_ref()
            .unchecked_ref::<Function>()
            .clone();
        let scheduling = Rc::clone(&state);
        let scheduled = on_frame.clone();
        let on_resize = Closure::<dyn FnMut()>::new(move || scheduling.schedule(&scheduled));
        let observer = ResizeObserver::new(on_resize.as_ref().unchecked_ref());
        let document = state.window.document();
        let fitting = match (observer, document) {
            (Ok(observer), Some(document)) => {
                if let Some(html) = document.document_element() {
                    observer.observe(&html);
                }
                if let Some(body) = document.body() {
                    observer.observe(&body);
                }
                // A new observation reports the current size, which
                // schedules the first fit.
                Some(Fitting {
                    observer,
                    on_frame,
                    _on_resize: on_resize,
                    _on_frame: on_frame_closure,
                })
            }
            _ => {
                state.fit();
                None
            }
        };
        FitGuard { fitting, state }
    }
}

impl FitGuard {
    /// Measures again at the next animation frame: for changes the
    /// observer does not see, such as an overlay growing past the content.
    pub fn refit(&self) {
        match &self.fitting {
            Some(fitting) => self.state.schedule(&fitting.on_frame),
            None => self.state.fit(),
        }
    }
}

impl Drop for Fitting {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}

impl Drop for FitGuard {
    fn drop(&mut self) {
        // Cancel before the closures go: a dropped closure must not be called.
        if let Some(request) = self.state.frame_request.take() {
            // Nothing else to do if the browser refuses.
            let _ = self.state.window.cancel_animation_frame(request);
        }
    }
}

impl FitState {
    /// One measurement per animation frame, however many changes.
    fn schedule(&self, on_frame: &Function) {
        if self.frame_request.get().is_some() {
            return;
        }
        match self.window.request_animation_frame(on_frame) {
            Ok(request) => self.frame_request.set(Some(request)),
            Err(_) => self.fit(),
        }
    }

    fn fit(&self) {
        let Some(content) = self.window.document().as_ref().and_then(content_height) else {
            return;
        };
        let Some(height) = frame::fit_height(content, self.last_sent.get()) else {
            return;
        };
        if self.client.resize_window(height).is_ok() {
            self.last_sent.set(Some(height));
        }
    }
}

/// The content's height in CSS pixels: `<html>`'s box, or `<body>`'s
/// content with its overflow plus what surrounds `<body>`, whichever is
/// more. Neither grows with the frame, so fitting cannot feed itself.
fn content_height(document: &Document) -> Option<f64> {
    let html = document.document_element()?;
    let html_box = html.get_bounding_client_rect();
    let mut height = html_box.height();
    if let Some(body) = document.body() {
        let body_box = body.get_bounding_client_rect();
        let above = body_box.top() - html_box.top();
        let below = (html_box.bottom() - body_box.bottom()).max(0.0);
        let body_height = body_box.height().max(f64::from(body.scroll_height()));
        height = height.max(above + body_height + below);
    }
    Some(height)
}
