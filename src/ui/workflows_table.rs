//! The table of workflows: a real `<table>`, one column per visible field,
//! values rendered as text.

use leptos::prelude::*;

use crate::domain::filters::TimeContext;
use crate::domain::view::{Column, ViewState};
use crate::domain::workflows::{Field, WorkflowRow};
use crate::ui::cell_focus;
use crate::ui::date_cell::{first_tab_stop, DateCell};
use crate::ui::document_cell::{kind_cell, DocumentCell, PortalLinks};
use crate::ui::filters_bar::FilterChange;
use crate::ui::i18n::texts;
use crate::ui::name_cells::{TemplateCell, UserCell};
use crate::ui::names::Names;
use crate::ui::sort_header::SortHeader;
use crate::ui::span_cell::SpanCell;

/// One cell: its text, an optional tooltip with the exact value, and the
/// column's class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub text: String,
    pub title: Option<String>,
    pub class: &'static str,
}

/// `2024-09-13T10:25:01+03:00` → `2024-09-13 10:25`: the portal's own wall
/// time, short enough for a column; the exact value goes in the tooltip.
/// Anything else is shown as it came.
pub fn compact_date(iso: &str) -> String {
    let b = iso.as_bytes();
    let shaped = b.len() >= 16
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && iso.is_char_boundary(16);
    if shaped {
        format!("{} {}", &iso[..10], &iso[11..16])
    } else {
        iso.to_owned()
    }
}

/// The cell of `field` in `row`. Field values are data: they are only ever
/// rendered as text nodes, never as markup.
pub fn cell(row: &WorkflowRow, field: Field) -> Cell {
    let plain = |text: String, class| Cell {
        text,
        title: None,
        class,
    };
    let or_unparsed = |v: Option<String>| {
        v.or_else(|| row.unparsed(field).map(str::to_owned))
            .unwrap_or_default()
    };
    match field {
        Field::Id => plain(row.id.as_str().to_owned(), "wm-table__td wm-table__td--id"),
        Field::Started | Field::Modified | Field::OwnedUntil => {
            let exact = row.date_text(field);
            Cell {
                text: compact_date(&exact),
                title: (!exact.is_empty()).then_some(exact),
                class: "wm-table__td wm-table__td--date",
            }
        }
        Field::StartedBy => plain(
            or_unparsed(row.started_by.map(|u| u.0.to_string())),
            "wm-table__td wm-table__td--num",
        ),
        Field::TemplateId => plain(
            or_unparsed(row.template_id.map(|t| t.0.to_string())),
            "wm-table__td wm-table__td--num",
        ),
        Field::ModuleId => plain(or_unparsed(row.module_id.clone()), "wm-table__td"),
        Field::Entity => plain(
            or_unparsed(row.entity.clone()),
            "wm-table__td wm-table__td--wrap",
        ),
        Field::DocumentId => plain(
            or_unparsed(row.document_id.clone()),
            "wm-table__td wm-table__td--wrap",
        ),
    }
}

/// The table: sortable headers for the visible columns, then the rows.
#[component]
pub fn WorkflowsTable(
    /// The rows of the page shown.
    rows: Vec<WorkflowRow>,
    /// The view (its columns and sort).
    view: RwSignal<ViewState>,
    /// Now and the admin's UTC offset, for dates, spans and signals.
    now: Signal<TimeContext>,
    /// The session's template and user names.
    names: Names,
    /// Opens documents in the portal.
    links: PortalLinks,
    /// Sets filters (a document's "Show all workflows").
    change: FilterChange,
) -> impl IntoView {
    let columns = move || view.with(|v| v.columns().visible());
    // The one Tab stop among the dates (`ui::cell_focus`): (row, field).
    let stop_rows = rows.clone();
    let first_stop = Memo::new(move |_| {
        let dates: Vec<Field> = columns()
            .into_iter()
            .filter_map(|c| match c {
                Column::Field(f @ (Field::Started | Field::Modified | Field::OwnedUntil)) => {
                    Some(f)
                }
                _ => None,
            })
            .collect();
        first_tab_stop(&stop_rows, &dates).map(|(i, f)| (stop_rows[i].id.clone(), f))
    });
    view! {
        <p id="wm-table-keys" class="wm-visually-hidden">{texts().table_keys_hint}</p>
        <table class="wm-table" aria-describedby="wm-table-keys">
            <caption class="wm-visually-hidden">{texts().running_workflows}</caption>
            <thead>
                <tr>
                    {move || {
                        columns()
                            .into_iter()
                            .map(|column| view! { <SortHeader column=column view=view/> })
                            .collect_view()
                    }}
                </tr>
            </thead>
            <tbody
                on:keydown=move |ev| cell_focus::on_keydown(&ev)
                on:focusin=move |ev| cell_focus::on_focusin(&ev)
            >
                <For
                    each=move || rows.clone()
                    key=|row| row.id.clone()
                    children=move |row| {
                        view! {
                            <tr class="wm-table__row">
                                {move || {
                                    columns()
                                        .into_iter()
                                        .map(|column| match (column, row.template_id, row.started_by) {
                                            (
                                                Column::Field(
                                                    field @ (Field::Started | Field::Modified | Field::OwnedUntil),
                                                ),
                                                _,
                                                _,
                                            ) => {
                                                let stop = first_stop
                                                    .with(|s| s.as_ref() == Some(&(row.id.clone(), field)));
                                                view! { <DateCell row=row.clone() field=field now=now tab_stop=stop/> }
                                                    .into_any()
                                            }
                                            (Column::Age, _, _) => {
                                                view! { <SpanCell since=row.started now=now/> }.into_any()
                                            }
                                            (Column::Idle, _, _) => {
                                                view! { <SpanCell since=row.modified now=now/> }.into_any()
                                            }
                                            (Column::Field(Field::TemplateId), Some(id), _) => {
                                                view! { <TemplateCell id=id names=names/> }.into_any()
                                            }
                                            (Column::Field(Field::StartedBy), _, Some(id)) => {
                                                view! { <UserCell id=id names=names/> }.into_any()
                                            }
                                            (Column::Field(Field::DocumentId), _, _) => {
                                                view! {
                                                    <DocumentCell row=row.clone() names=names links=links change=change/>
                                                }
                                                    .into_any()
                                            }
                                            (Column::Field(field), _, _) => {
                                                let c = kind_cell(&row, field, texts())
                                                    .unwrap_or_else(|| cell(&row, field));
                                                view! { <td class=c.class title=c.title>{c.text}</td> }
                                                    .into_any()
                                            }
                                        })
                                        .collect_view()
                                }}
                            </tr>
                        }
                    }
                />
            </tbody>
        </table>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_shortened_to_the_portal_wall_time() {
        assert_eq!(
            compact_date("2024-09-13T10:25:01+03:00"),
            "2024-09-13 10:25"
        );
        assert_eq!(compact_date(""), "");
        assert_eq!(compact_date("yesterday"), "yesterday");
        assert_eq!(compact_date("2024-09-13T10:2ё"), "2024-09-13T10:2ё");
    }
}
