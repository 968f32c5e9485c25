//! The table's one tooltip. A value that explains itself (a date's exact
//! value, a badge's explanation, a shortened ID) carries its text in
//! [`TIP_ATTR`]; a value the keyboard reaches also names the tooltip as
//! its accessible description (`aria-describedby`, [`TIP_ID`]). The one
//! element is filled and placed beside the value with the keyboard focus
//! or under the mouse, so a page of 500 rows holds one tooltip instead of
//! thousands, and a screen reader reads the text of the value it is on.
//!
//! The DOM glue runs only from browser events.

use std::cell::RefCell;

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

pub use crate::ui::table_body::markup::{TIP_ATTR, TIP_ID};

/// Matches a value with a tooltip ([`TIP_ATTR`]).
const TIP_SELECTOR: &str = "[data-tip]";

thread_local! {
    /// The value the tooltip is shown for, if any.
    static ANCHOR: RefCell<Option<Element>> = const { RefCell::new(None) };
}

/// The value with a tooltip that `target` is in, if any.
fn value_of(target: Option<web_sys::EventTarget>) -> Option<Element> {
    target?
        .dyn_into::<Element>()
        .ok()?
        .closest(TIP_SELECTOR)
        .ok()
        .flatten()
}

/// The table body's `focusin`: the tooltip of the focused value.
pub fn on_focusin(ev: &web_sys::FocusEvent) {
    match value_of(ev.target()) {
        Some(el) => show(&el),
        None => hide(),
    }
}

/// The table body's `mouseover`: the tooltip of the value under the
/// mouse; the focused value's again between values. (When the table has
/// neither the mouse nor the focus, the stylesheet hides the tooltip.)
pub fn on_mouseover(ev: &web_sys::MouseEvent) {
    match value_of(ev.target()).or_else(focused_value) {
        Some(el) => show(&el),
        None => hide(),
    }
}

/// The focused element, if it is a value with a tooltip in a table body.
fn focused_value() -> Option<Element> {
    let el = web_sys::window()?.document()?.active_element()?;
    (el.has_attribute(TIP_ATTR) && el.closest("tbody").ok().flatten().is_some()).then_some(el)
}

/// Shows `el`'s text again if the tooltip is shown for it (its text
/// changed).
pub fn refresh(el: &Element) {
    if ANCHOR.with(|a| a.borrow().as_ref() == Some(el)) {
        show(el);
    }
}

fn tip() -> Option<HtmlElement> {
    web_sys::window()?
        .document()?
        .get_element_by_id(TIP_ID)?
        .dyn_into::<HtmlElement>()
        .ok()
}

/// Fills the tooltip with `el`'s text and places it above `el` (below
/// when there is no room above), inside the frame's width.
fn show(el: &Element) {
    let (Some(tip), Some(text)) = (tip(), el.get_attribute(TIP_ATTR)) else {
        return hide();
    };
    tip.set_text_content(Some(&text));
    tip.set_hidden(false);
    let at = el.get_bounding_client_rect();
    let size = tip.get_bounding_client_rect();
    let width = el
        .owner_document()
        .and_then(|d| d.document_element())
        .map_or(f64::MAX, |r| f64::from(r.client_width()));
    let left = at.left().min(width - size.width() - 4.0).max(4.0);
    let above = at.top() - size.height() - 4.0;
    let top = if above >= 0.0 {
        above
    } else {
        at.bottom() + 4.0
    };
    // Whole pixels: no float formatting in the wasm for this.
    let style = tip.style();
    for (side, at) in [("left", left), ("top", top)] {
        let _ = style.set_property(side, &format!("{}px", at as i32));
    }
    ANCHOR.with(|a| *a.borrow_mut() = Some(el.clone()));
}

fn hide() {
    if let Some(tip) = tip() {
        tip.set_hidden(true);
    }
    ANCHOR.with(|a| *a.borrow_mut() = None);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_selector_matches_the_attribute() {
        assert_eq!(TIP_SELECTOR, format!("[{TIP_ATTR}]"));
    }
}
