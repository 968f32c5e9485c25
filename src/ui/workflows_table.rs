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
        // Dates are drawn by `DateCell`; here only as the portal sent them.
        Field::Started | Field::Modified | Field::OwnedUntil => {
            plain(row.date_text(field), "wm-table__td wm-table__td--date")
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
    // The page's signals relayed through copies that live as long as this
    // table (see `Names::relay`): every row and cell subscribes to these,
    // never to a session-long signal directly.
    let names = names.relay();
    let now = Memo::new(move |_| now.get());
    let now: Signal<TimeContext> = now.into();
    let visible = Memo::new(move |_| view.with(|v| v.columns().visible()));
    let columns = move || visible.get();
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
