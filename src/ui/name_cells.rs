//! The Template and Started by cells: the name when the session knows it,
//! else the id as a muted placeholder of the same fixed size, so names
//! fill in without moving the layout (one line, fixed width, cut with an
//! ellipsis; the whole name and the id in the tooltip).

use leptos::prelude::*;

use crate::domain::names::{id_title, template_label, TemplateLabel, UserLabel};
use crate::domain::workflows::{TemplateId, UserId};
use crate::ui::i18n::texts;
use crate::ui::names::Names;

/// The tooltip: the name (it may be cut on screen) and the id; for a
/// placeholder the id, and "Loading the name…" while it loads (not after a
/// failure, which the page's note explains).
fn tooltip(text: &str, pending: bool, loading: bool, id_line: String) -> String {
    match (pending, loading) {
        (true, true) => format!("{id_line}\n{}", texts().name_pending),
        (true, false) => id_line,
        (false, _) => format!("{text}\n{id_line}"),
    }
}

/// A template's cell.
#[component]
pub fn TemplateCell(
    /// The row's `TEMPLATE_ID`.
    id: TemplateId,
    /// The session's names.
    names: Names,
) -> impl IntoView {
    let label = Memo::new(move |_| names.with_templates(|list| template_label(list, id, texts())));
    let pending = move || matches!(label.get(), TemplateLabel::Pending(_));
    let loading = move || names.templates.with(Option::is_none);
    let title = move || {
        let l = label.get();
        let id_line = id_title(texts().template_title, id.0);
        tooltip(l.text(), pending(), loading(), id_line)
    };
    view! {
        <td class="wm-table__td wm-table__td--name">
            <span class="wm-name wm-name--template" class:wm-name--pending=pending title=title>
                {move || label.get().text().to_owned()}
            </span>
        </td>
    }
}

/// A "Started by" cell.
#[component]
pub fn UserCell(
    /// The row's `STARTED_BY`.
    id: UserId,
    /// The session's names.
    names: Names,
) -> impl IntoView {
    let label = Memo::new(move |_| names.users.with(|u| u.label(id, texts())));
    let pending = move || label.with(UserLabel::is_pending);
    let system = move || label.with(|l| matches!(l, UserLabel::System(_)));
    let loading = move || names.users_error.with(Option::is_none);
    let title = move || {
        let l = label.get();
        let id_line = id_title(texts().user_title, id.0);
        tooltip(l.text(), pending(), loading(), id_line)
    };
    view! {
        <td class="wm-table__td wm-table__td--name">
            <span
                class="wm-name wm-name--user"
                class:wm-name--pending=pending
                class:wm-name--system=system
                title=title
            >
                {move || label.get().text().to_owned()}
            </span>
        </td>
    }
}
