//! A sortable column header: a button inside a `<th>` that carries
//! `aria-sort`; Shift+click adds a secondary sort key.

use leptos::ev::MouseEvent;
use leptos::prelude::*;

use crate::domain::methods::instances::SortDir;
use crate::domain::screen::ViewEdit;
use crate::domain::table::view::{Column, ViewState};
use crate::ui::i18n::texts;
use crate::ui::screen::ScreenHandle;

/// The header of one column.
#[component]
pub fn SortHeader(
    /// The column.
    column: Column,
    /// The screen; clicking changes its view's sort.
    screen: ScreenHandle,
    /// The same view, relayed through a signal that lives as long as the
    /// table: the header reads this one (a subscription to the page's
    /// own signal would outlive the header).
    shown: Signal<ViewState>,
) -> impl IntoView {
    if !column.sortable() {
        // Nothing the portal can sort by: a plain header.
        return view! {
            <th scope="col" class="wm-table__th wm-table__th--plain">{column.header(texts())}</th>
        }
        .into_any();
    }
    let position = move || shown.with(|v| v.sort_position(column));
    let keys = move || shown.with(|v| v.sort().len());
    let aria = move || shown.with(|v| v.aria_sort(column).as_str());
    let on_click = move |ev: MouseEvent| {
        let shift = ev.shift_key();
        screen.edit(ViewEdit::ClickHeader { column, shift });
    };
    // Positions are shown only when several keys sort the table.
    let badge = move || match position() {
        // `sort_position` counts from 1.
        Some((n, _)) if keys() > 1 => Some(view! { <span class="wm-sort__badge">{n}</span> }),
        _ => None,
    };
    view! {
        <th scope="col" class="wm-table__th" aria-sort=aria>
            <button
                type="button"
                class="wm-sort"
                class:wm-sort--asc=move || matches!(position(), Some((_, SortDir::Asc)))
                class:wm-sort--desc=move || matches!(position(), Some((_, SortDir::Desc)))
                on:click=on_click
                title=texts().sort_hint
            >
                {column.header(texts())}
                {badge}
            </button>
        </th>
    }
    .into_any()
}
