//! The "Columns" menu: which columns the table shows, and in what order.

use leptos::prelude::*;

use crate::domain::i18n::fill;
use crate::domain::methods::instances::Field;
use crate::domain::screen::ViewEdit;
use crate::domain::table::view::Column;
use crate::ui::i18n::texts;
use crate::ui::screen::ScreenHandle;

/// Where a column may move: `(up, down)` targets, `None` at either end.
pub fn move_targets(position: usize, count: usize) -> (Option<usize>, Option<usize>) {
    let up = position.checked_sub(1);
    let down = (position + 1 < count).then_some(position + 1);
    (up, down)
}

/// A "Columns" button opening one checkbox per column (ID always shown)
/// with "Move … up" / "Move … down" buttons.
#[component]
pub fn ColumnsMenu(
    /// The screen; only its view's columns change here (the core keeps
    /// them as the admin's user option).
    screen: ScreenHandle,
) -> impl IntoView {
    let view = screen.view;
    let open = RwSignal::new(false);
    let entries = move || view.with(|v| v.columns().entries().to_vec());
    let position = move |field: Column| {
        view.with(|v| {
            let all = v.columns().entries();
            let at = all.iter().position(|(f, _)| *f == field).unwrap_or(0);
            move_targets(at, all.len())
        })
    };
    let row = move |(field, _): (Column, bool)| {
        let name = field.header(texts());
        let shown = move || view.with(|v| v.columns().is_visible(field));
        view! {
            <li class="wm-columns__item">
                <label class="wm-check wm-columns__check">
                    <input
                        type="checkbox"
                        prop:checked=shown
                        disabled=field == Field::Id
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            screen.edit(ViewEdit::SetColumnVisible { column: field, visible: on });
                        }
                    />
                    {name}
                </label>
                <button
                    type="button"
                    class="wm-columns__move"
                    aria-label=fill(texts().move_up, &[("name", name)])
                    disabled=move || position(field).0.is_none()
                    on:click=move |_| {
                        if let Some(to) = position(field).0 {
                            screen.edit(ViewEdit::MoveColumn { column: field, to });
                        }
                    }
                >
                    "↑"
                </button>
                <button
                    type="button"
                    class="wm-columns__move"
                    aria-label=fill(texts().move_down, &[("name", name)])
                    disabled=move || position(field).1.is_none()
                    on:click=move |_| {
                        if let Some(to) = position(field).1 {
                            screen.edit(ViewEdit::MoveColumn { column: field, to });
                        }
                    }
                >
                    "↓"
                </button>
            </li>
        }
    };
    view! {
        <div
            class="wm-columns"
            on:keydown=move |ev| {
                if ev.key() == "Escape" {
                    open.set(false);
                }
            }
        >
            <button
                type="button"
                class="wm-button wm-columns__toggle"
                aria-expanded=move || open.get().to_string()
                aria-controls="wm-columns-list"
                on:click=move |_| open.update(|o| *o = !*o)
            >
                {texts().columns}
            </button>
            <Show when=move || open.get()>
                <ul class="wm-columns__list" id="wm-columns-list" aria-label=texts().columns>
                    <For each=entries key=|(f, _)| *f children=row/>
                </ul>
            </Show>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::table::view::ViewState;

    #[test]
    fn the_first_cannot_move_up_and_the_last_cannot_move_down() {
        assert_eq!(move_targets(0, 9), (None, Some(1)));
        assert_eq!(move_targets(4, 9), (Some(3), Some(5)));
        assert_eq!(move_targets(8, 9), (Some(7), None));
    }

    #[test]
    fn moving_through_the_view_keeps_every_column_once() {
        let mut v = ViewState::default();
        let (up, _) = move_targets(2, 9);
        let Some(up) = up else { panic!("a target") };
        let field = v.columns().entries()[2].0;
        v.move_column(field, up);
        assert_eq!(v.columns().entries()[1].0, field);
        assert_eq!(v.columns().entries().len(), Column::ALL.len());
    }
}
