//! The rows of the workflows table, drawn straight into the DOM.
//!
//! A page may hold 500 rows of nine or eleven cells. Drawn as reactive
//! components, every cell cost a few signals, effects and comment
//! markers, and a page of 500 took about half a second of script. Here
//! the rows are markup built from what each cell shows
//! (`ui::table_body::markup`, pure and tested natively: data is only ever
//! escaped text) and handed to the browser's parser in one call. When the
//! clock or the names move on, every cell's value is computed again and
//! only the cells that changed are touched: a date's texts and badge are
//! patched in place (a value with the keyboard focus keeps it), any other
//! changed cell is replaced.

pub mod markup;

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlTableRowElement, HtmlTableSectionElement};

use crate::domain::display::cells::{
    cell_shown, Badge, CellContext, CellShown, DateShown, Document,
};
use crate::domain::methods::instances::{WorkflowId, WorkflowRow};
use crate::domain::table::view::Column;
use crate::ui::table_body::markup::{
    badge_html, cell_html, date_texts, rows_markup, SELECT_CLASS, TIP_ATTR,
};
use crate::ui::tip;

/// The drawn rows of one page, for one set of columns.
pub struct DrawnBody {
    tbody: HtmlTableSectionElement,
    columns: Vec<Column>,
    /// What each drawn cell shows, by row and column.
    cells: Vec<Vec<CellShown>>,
}

impl DrawnBody {
    /// Draws `rows` into `tbody` (replacing what it held) for `columns`.
    pub fn draw(
        tbody: HtmlTableSectionElement,
        rows: &[WorkflowRow],
        columns: Vec<Column>,
        ctx: &CellContext<'_>,
        selected: &dyn Fn(&WorkflowId) -> bool,
    ) -> DrawnBody {
        let markup = rows_markup(rows, &columns, ctx, selected);
        tbody.set_inner_html(&markup.html);
        DrawnBody {
            tbody,
            columns,
            cells: markup.cells,
        }
    }

    /// The columns drawn.
    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// Brings the drawn cells up to date with `ctx` (the clock, the
    /// names): only the cells whose value changed are touched. A cell the
    /// page no longer holds (never expected) is skipped.
    pub fn update(&mut self, rows: &[WorkflowRow], ctx: &CellContext<'_>) {
        let trs = self.tbody.rows();
        for (i, (row, cells)) in rows.iter().zip(self.cells.iter_mut()).enumerate() {
            let mut tr = None;
            for (j, (column, drawn)) in self.columns.iter().zip(cells.iter_mut()).enumerate() {
                let shown = cell_shown(row, *column, ctx);
                if shown == *drawn {
                    continue;
                }
                let tr = tr.get_or_insert_with(|| {
                    u32::try_from(i)
                        .ok()
                        .and_then(|i| trs.item(i))
                        .and_then(|e| e.dyn_into::<HtmlTableRowElement>().ok())
                });
                // The row's checkbox cell comes first.
                let td = tr
                    .as_ref()
                    .and_then(|tr| u32::try_from(j + 1).ok().and_then(|j| tr.cells().item(j)));
                if let Some(td) = td {
                    update_cell(&td, drawn, &shown);
                }
                *drawn = shown;
            }
        }
    }

    /// Checks each row's checkbox as `selected` says (the core's selection
    /// is the truth; a click's own toggle is overwritten by it).
    pub fn check(&self, selected: &dyn Fn(&WorkflowId) -> bool) {
        let Ok(boxes) = self
            .tbody
            .query_selector_all(&format!("input.{SELECT_CLASS}"))
        else {
            return;
        };
        for i in 0..boxes.length() {
            if let Some(input) = boxes
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::HtmlInputElement>().ok())
            {
                let want = selected(&WorkflowId::new(input.value()));
                if input.checked() != want {
                    input.set_checked(want);
                }
            }
        }
    }

    /// The Document cell of row `row` (its position on the page), as
    /// drawn: what a click on its link or button acts on.
    pub fn document(&self, row: usize) -> Option<&Document> {
        self.cells.get(row)?.iter().find_map(|c| match c {
            CellShown::Document(d) => Some(d),
            _ => None,
        })
    }
}

/// Brings the drawn cell `td` from `old` to `new`.
fn update_cell(td: &Element, old: &CellShown, new: &CellShown) {
    if let (
        CellShown::Date {
            date: old_date,
            badge: old_badge,
        },
        CellShown::Date { date, badge },
    ) = (old, new)
    {
        if patch_date(td, old_date, date) {
            patch_badge(td, old_badge.as_ref(), badge.as_ref());
            return;
        }
    }
    // Any other change: the cell is drawn again (never the Tab stop: the
    // stop is a date, and dates are patched).
    let mut html = String::new();
    cell_html(&mut html, new, false);
    td.set_outer_html(&html);
}

/// Patches a date's texts in place (the value itself stays, and so does
/// the keyboard focus on it); `false` when the value itself changed (the
/// cell must be drawn again).
fn patch_date(td: &Element, old: &DateShown, new: &DateShown) -> bool {
    match (old, new) {
        (DateShown::Stamp { exact: e0, .. }, DateShown::Stamp { exact, .. }) if e0 == exact => {
            if old != new {
                if let Ok(Some(time)) = td.query_selector(".wm-time") {
                    let mut html = String::new();
                    date_texts(&mut html, new);
                    time.set_inner_html(&html);
                }
            }
            true
        }
        (a, b) => a == b,
    }
}

/// Shows, explains again or removes a date's badge.
fn patch_badge(td: &Element, old: Option<&Badge>, new: Option<&Badge>) {
    let drawn = td.query_selector(".wm-signal").ok().flatten();
    match (old, new, &drawn) {
        (Some(o), Some(n), Some(badge)) if o.kind == n.kind => {
            if o.explanation != n.explanation {
                let _ = badge.set_attribute(TIP_ATTR, &n.explanation);
                tip::refresh(badge);
            }
        }
        _ => {
            if let Some(badge) = drawn {
                badge.remove();
            }
            if let Some(b) = new {
                let mut html = String::new();
                badge_html(&mut html, b);
                let _ = td.insert_adjacent_html("beforeend", &html);
            }
        }
    }
}
