//! The table of workflows: a real `<table>`, one column per field of the
//! method, values rendered as text.

use leptos::prelude::*;

use crate::domain::workflows::{Field, WorkflowRow};

/// Column headers, in the order of the issue.
pub const HEADERS: [&str; 9] = [
    "ID",
    "Started",
    "Started by",
    "Template",
    "Module",
    "Entity",
    "Document",
    "Modified",
    "Locked until",
];

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

/// The nine cells of a row. Field values are data: they are only ever
/// rendered as text nodes, never as markup.
pub fn cells(row: &WorkflowRow) -> [Cell; 9] {
    let plain = |text: String, class| Cell {
        text,
        title: None,
        class,
    };
    let date = |field| {
        let exact = row.date_text(field);
        Cell {
            text: compact_date(&exact),
            title: (!exact.is_empty()).then_some(exact),
            class: "wm-table__td wm-table__td--date",
        }
    };
    let text = |v: &Option<String>, f: Field| {
        v.clone()
            .or_else(|| row.unparsed(f).map(str::to_owned))
            .unwrap_or_default()
    };
    let number = |v: Option<u64>, f: Field| {
        v.map(|n| n.to_string())
            .or_else(|| row.unparsed(f).map(str::to_owned))
            .unwrap_or_default()
    };
    [
        plain(row.id.as_str().to_owned(), "wm-table__td wm-table__td--id"),
        date(Field::Started),
        plain(
            number(row.started_by.map(|u| u.0), Field::StartedBy),
            "wm-table__td wm-table__td--num",
        ),
        plain(
            number(row.template_id.map(|t| t.0), Field::TemplateId),
            "wm-table__td wm-table__td--num",
        ),
        plain(text(&row.module_id, Field::ModuleId), "wm-table__td"),
        plain(
            text(&row.entity, Field::Entity),
            "wm-table__td wm-table__td--wrap",
        ),
        plain(
            text(&row.document_id, Field::DocumentId),
            "wm-table__td wm-table__td--wrap",
        ),
        date(Field::Modified),
        date(Field::OwnedUntil),
    ]
}

/// The table.
#[component]
pub fn WorkflowsTable(
    /// The rows of the current page.
    rows: Vec<WorkflowRow>,
) -> impl IntoView {
    view! {
        <div class="wm-table-wrap">
            <table class="wm-table">
                <caption class="wm-visually-hidden">"Running workflows"</caption>
                <thead>
                    <tr>
                        {HEADERS
                            .iter()
                            .map(|h| view! { <th scope="col" class="wm-table__th">{*h}</th> })
                            .collect_view()}
                    </tr>
                </thead>
                <tbody>
                    <For
                        each=move || rows.clone()
                        key=|row| row.id.clone()
                        children=|row| {
                            let cells = cells(&row);
                            view! {
                                <tr class="wm-table__row">
                                    {cells
                                        .into_iter()
                                        .map(|cell| {
                                            view! {
                                                <td class=cell.class title=cell.title>
                                                    {cell.text}
                                                </td>
                                            }
                                        })
                                        .collect_view()}
                                </tr>
                            }
                        }
                    />
                </tbody>
            </table>
        </div>
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
