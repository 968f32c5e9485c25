//! One Tab stop for all the dates and signals in the table body (the
//! "roving tabindex" of the WAI-ARIA grid pattern): a dozen focusable
//! values per row would put hundreds of Tab presses between the column
//! headers and the pager. Tab enters the table at one value (the first
//! date, then the last one focused) and leaves it; the arrow keys, Home
//! and End move between the values, each showing its tooltip on focus.
//!
//! Elements take part by carrying [`FOCUS_ATTR`] and `tabindex="-1"` (or
//! `"0"` for the one stop). Where the arrows go is a pure function of the
//! values' cells ([`target`]); the DOM glue only reads positions and moves
//! the focus (it runs only from browser events).

pub use crate::ui::table_body::markup::FOCUS_ATTR;

/// A move of the focus between values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    /// The previous value (ArrowLeft).
    Left,
    /// The next value (ArrowRight).
    Right,
    /// The nearest value in the row above (ArrowUp).
    Up,
    /// The nearest value in the row below (ArrowDown).
    Down,
    /// The row's first value (Home).
    RowStart,
    /// The row's last value (End).
    RowEnd,
}

impl Move {
    /// The move for a `KeyboardEvent.key`; `None` for other keys.
    pub fn from_key(key: &str) -> Option<Move> {
        Some(match key {
            "ArrowLeft" => Move::Left,
            "ArrowRight" => Move::Right,
            "ArrowUp" => Move::Up,
            "ArrowDown" => Move::Down,
            "Home" => Move::RowStart,
            "End" => Move::RowEnd,
            _ => return None,
        })
    }
}

/// Where the focus goes from value `from` after `m`. `cells` are the
/// values' `(row, column)` in document order. Up and Down go to the
/// nearest row that has values, to the value closest to the same column.
/// `None`: nowhere (the edge of the table).
pub fn target(cells: &[(usize, usize)], from: usize, m: Move) -> Option<usize> {
    let (row, col) = *cells.get(from)?;
    let in_row = |r: usize| {
        cells
            .iter()
            .enumerate()
            .filter(move |(_, (rr, _))| *rr == r)
    };
    let closest = |r: usize| {
        in_row(r)
            .min_by_key(|(_, (_, c))| c.abs_diff(col))
            .map(|(i, _)| i)
    };
    match m {
        Move::Right => (from + 1 < cells.len()).then_some(from + 1),
        Move::Left => from.checked_sub(1),
        Move::Down => cells
            .iter()
            .map(|(r, _)| *r)
            .filter(|r| *r > row)
            .min()
            .and_then(closest),
        Move::Up => cells
            .iter()
            .map(|(r, _)| *r)
            .filter(|r| *r < row)
            .max()
            .and_then(closest),
        Move::RowStart => in_row(row).map(|(i, _)| i).next(),
        Move::RowEnd => in_row(row).map(|(i, _)| i).next_back(),
    }
}

/// The table body's `keydown`: moves the focus between the values.
pub fn on_keydown(ev: &web_sys::KeyboardEvent) {
    use wasm_bindgen::JsCast;
    if ev.alt_key() || ev.ctrl_key() || ev.meta_key() || ev.shift_key() {
        return;
    }
    let Some(m) = Move::from_key(&ev.key()) else {
        return;
    };
    let Some(from_el) = marked_target(ev.target()) else {
        return;
    };
    let values = values_beside(&from_el);
    let cells: Vec<(usize, usize)> = values.iter().map(cell_of).collect();
    let Some(from) = values.iter().position(|e| *e == from_el) else {
        return;
    };
    let Some(to) = target(&cells, from, m) else {
        return;
    };
    ev.prevent_default();
    make_stop(&values, to);
    if let Some(el) = values[to].dyn_ref::<web_sys::HtmlElement>() {
        let _ = el.focus();
    }
}

/// The table body's `focusin`: the focused value becomes the one Tab stop,
/// so Tab leaves the table and Shift+Tab comes back to it.
pub fn on_focusin(ev: &web_sys::FocusEvent) {
    let Some(el) = marked_target(ev.target()) else {
        return;
    };
    let values = values_beside(&el);
    if let Some(at) = values.iter().position(|e| *e == el) {
        make_stop(&values, at);
    }
}

/// The event's target, if it is a marked value.
fn marked_target(target: Option<web_sys::EventTarget>) -> Option<web_sys::Element> {
    use wasm_bindgen::JsCast;
    target?
        .dyn_into::<web_sys::Element>()
        .ok()
        .filter(|e| e.has_attribute(FOCUS_ATTR))
}

/// Every marked value of the table body `el` is in, in document order.
fn values_beside(el: &web_sys::Element) -> Vec<web_sys::Element> {
    use wasm_bindgen::JsCast;
    let Some(body) = el.closest("tbody").ok().flatten() else {
        return Vec::new();
    };
    let Ok(list) = body.query_selector_all(&format!("[{FOCUS_ATTR}]")) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
        .collect()
}

/// `(row, column)` of the cell a value is in.
fn cell_of(el: &web_sys::Element) -> (usize, usize) {
    let td = el.closest("td").ok().flatten();
    let column = td.as_ref().map_or(0, index_among_siblings);
    let row = td
        .and_then(|td| td.parent_element())
        .map_or(0, |tr| index_among_siblings(&tr));
    (row, column)
}

fn index_among_siblings(el: &web_sys::Element) -> usize {
    let mut n = 0;
    let mut at = el.previous_element_sibling();
    while let Some(prev) = at {
        n += 1;
        at = prev.previous_element_sibling();
    }
    n
}

/// Makes `values[at]` the only one in the Tab order.
fn make_stop(values: &[web_sys::Element], at: usize) {
    for (i, el) in values.iter().enumerate() {
        let _ = el.set_attribute("tabindex", if i == at { "0" } else { "-1" });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three rows: dates in columns 1 and 8, a badge in 10 on row 1, and a
    /// row with only column 8.
    const CELLS: [(usize, usize); 6] = [(0, 1), (0, 8), (1, 1), (1, 8), (1, 10), (2, 8)];

    #[test]
    fn left_and_right_walk_the_values_in_reading_order() {
        assert_eq!(target(&CELLS, 0, Move::Right), Some(1));
        assert_eq!(
            target(&CELLS, 1, Move::Right),
            Some(2),
            "on to the next row"
        );
        assert_eq!(target(&CELLS, 5, Move::Right), None);
        assert_eq!(target(&CELLS, 0, Move::Left), None);
        assert_eq!(target(&CELLS, 2, Move::Left), Some(1));
    }

    #[test]
    fn up_and_down_keep_to_the_column_or_the_nearest_one() {
        assert_eq!(target(&CELLS, 0, Move::Down), Some(2));
        assert_eq!(target(&CELLS, 4, Move::Down), Some(5), "column 10 → 8");
        assert_eq!(target(&CELLS, 2, Move::Down), Some(5), "column 1 → 8");
        assert_eq!(target(&CELLS, 5, Move::Down), None);
        assert_eq!(target(&CELLS, 5, Move::Up), Some(3));
        assert_eq!(target(&CELLS, 1, Move::Up), None);
    }

    #[test]
    fn home_and_end_go_to_the_ends_of_the_row() {
        assert_eq!(target(&CELLS, 3, Move::RowStart), Some(2));
        assert_eq!(target(&CELLS, 2, Move::RowEnd), Some(4));
        assert_eq!(target(&[], 0, Move::RowEnd), None);
    }

    #[test]
    fn only_the_navigation_keys_move() {
        assert_eq!(Move::from_key("ArrowDown"), Some(Move::Down));
        assert_eq!(Move::from_key("Home"), Some(Move::RowStart));
        assert_eq!(Move::from_key("Tab"), None);
        assert_eq!(Move::from_key("Enter"), None);
    }
}
