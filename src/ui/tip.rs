//! The table's one tooltip. A value that explains itself (a date's exact
//! value, a badge's explanation, a shortened ID) carries its text in
//! [`TIP_ATTR`]; a value the keyboard reaches also names the tooltip as
//! its accessible description (`aria-describedby`, [`TIP_ID`]). The one
//! element is filled and placed beside the value with the keyboard focus
//! or under the mouse, so a page of 500 rows holds one tooltip instead of
//! thousands, and a screen reader reads the text of the value it is on.
//!
//! The DOM glue runs only from browser events.

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

pub use crate::ui::table_body::markup::{TIP_ATTR, TIP_ID};

/// Matches a value with a tooltip ([`TIP_ATTR`]).
const TIP_SELECTOR: &str = "[data-tip]";

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
/// mouse. (When the table has neither the mouse nor the focus, the
/// stylesheet hides the tooltip.)
pub fn on_mouseover(ev: &web_sys::MouseEvent) {
    match value_of(ev.target()) {
        Some(el) => show(&el),
        None => hide(),
    }
}

/// Shows `el`'s text again if it has the keyboard focus (its text
/// changed).
pub fn refresh(el: &Element) {
    let focused = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element());
    if focused.as_ref() == Some(el) {
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
/// when there is no room above).
fn show(el: &Element) {
    let (Some(tip), Some(text)) = (tip(), el.get_attribute(TIP_ATTR)) else {
        return hide();
    };
    tip.set_text_content(Some(&text));
    tip.set_hidden(false);
    let at = el.get_bounding_client_rect();
    let height = tip.offset_height();
    // Above the value, or below it when there is no room above; the
    // stylesheet places it there and keeps it inside the frame's width.
    let above = at.top() as i32 - height - 4;
    let top = if above >= 0 {
        above
    } else {
        at.bottom() as i32 + 4
    };
    let style = tip.style();
    for (side, px) in [("--wm-tip-x", at.left() as i32), ("--wm-tip-y", top)] {
        let _ = style.set_property(side, &format!("{px}px"));
    }
}

fn hide() {
    if let Some(tip) = tip() {
        tip.set_hidden(true);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_selector_matches_the_attribute() {
        assert_eq!(TIP_SELECTOR, format!("[{TIP_ATTR}]"));
    }
}
