//! The Document cell: the document's readable name as a link to its page
//! in the portal ("Deal 1633"), and a button that filters the table to
//! every workflow of that document.
//!
//! The link is a real `<a href>` to `https://PORTAL/path` (new tab), so a
//! middle click, Ctrl+click or the keyboard work as on any link; a plain
//! click opens the page in the portal's slider with `openPath` instead
//! (§1.7, §4.2). Links come only from ids `domain::documents` parsed and
//! validated; a value it cannot read is shown as text, never linked.
//!
//! The link and the button are values of the table's one Tab stop
//! (`ui::cell_focus`): the arrow keys reach them, Enter opens or filters.

use leptos::ev::MouseEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::domain::documents::{entity_name, module_name, portal_url, DocumentRef};
use crate::domain::filters::{DocumentFilter, Filter};
use crate::domain::frame::OpenPathReply;
use crate::domain::i18n::{fill, Texts};
use crate::domain::workflows::{Field, WorkflowRow};
use crate::portal::FrameClient;
use crate::ui::filters_bar::FilterChange;
use crate::ui::i18n::texts;
use crate::ui::names::Names;
use crate::ui::workflows_table::Cell;

/// Opens portal pages: their URL, and the slider.
#[derive(Clone, Copy)]
pub struct PortalLinks {
    origin: StoredValue<String>,
    frame: StoredValue<FrameClient, LocalStorage>,
}

impl PortalLinks {
    /// Links into the portal at `origin` (`https://host`), opened through
    /// `frame`.
    pub fn new(origin: String, frame: FrameClient) -> PortalLinks {
        PortalLinks {
            origin: StoredValue::new(origin),
            frame: StoredValue::new_local(frame),
        }
    }

    /// The full URL of a portal path.
    pub fn url(self, path: &str) -> String {
        self.origin.with_value(|o| portal_url(o, path))
    }

    /// Opens `path` in the portal's slider; if the portal refuses it, in a
    /// new tab at `url` instead. The answer comes only when the slider
    /// closes, so nothing waits for it.
    pub fn open(self, path: String, url: String) {
        let frame = self.frame.with_value(FrameClient::clone);
        spawn_local(async move {
            if let Ok(OpenPathReply::Refused(_)) = frame.open_path(&path).await {
                if let Some(window) = web_sys::window() {
                    let _ = window.open_with_url_and_target(&url, "_blank");
                }
            }
        });
    }
}

/// Whether a click is a plain one (no modifier, main button): the others
/// keep the browser's own behaviour (a new tab or window).
fn plain_click(ev: &MouseEvent) -> bool {
    ev.button() == 0 && !(ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.alt_key())
}

/// A row's Document cell.
#[component]
pub fn DocumentCell(
    /// The row (its `MODULE_ID`, `ENTITY`, `DOCUMENT_ID`, `TEMPLATE_ID`).
    row: WorkflowRow,
    /// The session's names (a list element's list comes from its template).
    names: Names,
    /// Opens portal pages.
    links: PortalLinks,
    /// Sets the Document filter.
    change: FilterChange,
) -> impl IntoView {
    let module = row.module_id.clone().unwrap_or_default();
    let entity = row.entity.clone().unwrap_or_default();
    let raw = row
        .document_id
        .clone()
        .or_else(|| row.unparsed(Field::DocumentId).map(str::to_owned))
        .unwrap_or_default();
    let parsed = DocumentRef::parse(&module, &entity, &raw).ok();
    let template = row.template_id;
    // A list element's page needs its template's list: known once the
    // templates have arrived.
    let doc = Memo::new(move |_| {
        parsed.map(|d| {
            let list = template
                .and_then(|id| names.with_templates(|l| l?.document_type(id).map(str::to_owned)));
            d.with_template_type(list.as_deref())
        })
    });
    let filter = row
        .document_id
        .as_deref()
        .and_then(|d| DocumentFilter::new(&module, &entity, Some(d)).ok());
    let title = raw.clone();
    let shown = move || match doc.get() {
        None => view! { <span class="wm-doc__raw">{raw.clone()}</span> }.into_any(),
        Some(d) => {
            let label = d.label(texts());
            match d.portal_path() {
                None => view! { <span class="wm-doc__label" title=title.clone()>{label}</span> }
                    .into_any(),
                Some(path) => {
                    let url = links.url(&path);
                    let slider = d.opens_in_slider();
                    let href = url.clone();
                    let on_click = move |ev: MouseEvent| {
                        if slider && plain_click(&ev) {
                            ev.prevent_default();
                            links.open(path.clone(), url.clone());
                        }
                    };
                    view! {
                        <a
                            class="wm-doc__link"
                            href=href
                            target="_blank"
                            rel="noopener noreferrer"
                            title=title.clone()
                            tabindex="-1"
                            data-wm-focus=""
                            on:click=on_click
                        >
                            {label}
                        </a>
                    }
                    .into_any()
                }
            }
        }
    };
    let button = filter.map(|f| {
        let name = move || match doc.get() {
            Some(d) => fill(texts().doc_show_all, &[("document", &d.label(texts()))]),
            None => texts().doc_show_all_raw.to_owned(),
        };
        view! {
            <button
                type="button"
                class="wm-doc__filter"
                aria-label=name
                title=name
                tabindex="-1"
                data-wm-focus=""
                on:click=move |_| change.set(Filter::Document(f.clone()))
            >
                <svg class="wm-doc__icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
                    <path d="M2 3h12l-4.5 5.5V13l-3 1.5V8.5z"/>
                </svg>
            </button>
        }
    });
    view! { <td class="wm-table__td wm-table__td--doc">{shown} {button}</td> }
}

/// The Module and Entity cells of a row, readable: `crm` reads "CRM",
/// `CCrmDocumentDeal` reads "Deal", with the raw value in the tooltip.
/// `None` for other fields and for values the app does not know (those
/// keep their raw text, [`crate::ui::workflows_table::cell`]).
pub fn kind_cell(row: &WorkflowRow, field: Field, t: &Texts) -> Option<Cell> {
    let module = row.module_id.as_deref()?;
    let (text, raw) = match field {
        Field::ModuleId => (module_name(module, t)?, module),
        Field::Entity => {
            let entity = row.entity.as_deref()?;
            (entity_name(module, entity, t)?, entity)
        }
        _ => return None,
    };
    Some(Cell {
        text: text.to_owned(),
        title: Some(raw.to_owned()),
        class: "wm-table__td wm-table__td--kind",
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::i18n::{EN, RU};
    use crate::domain::workflows::WorkflowId;

    fn row(module: Option<&str>, entity: Option<&str>) -> WorkflowRow {
        WorkflowRow {
            id: WorkflowId::new("a"),
            modified: None,
            owned_until: None,
            module_id: module.map(str::to_owned),
            entity: entity.map(str::to_owned),
            document_id: None,
            started: None,
            started_by: None,
            template_id: None,
            unparsed: Vec::new(),
        }
    }

    #[test]
    fn module_and_entity_read_as_kinds_with_the_raw_value_in_the_tooltip() {
        let deal = row(Some("crm"), Some("CCrmDocumentDeal"));
        let m = kind_cell(&deal, Field::ModuleId, &EN).expect("module");
        assert_eq!((m.text.as_str(), m.title.as_deref()), ("CRM", Some("crm")));
        let e = kind_cell(&deal, Field::Entity, &RU).expect("entity");
        assert_eq!(
            (e.text.as_str(), e.title.as_deref()),
            ("Сделка", Some("CCrmDocumentDeal"))
        );
        assert_eq!(kind_cell(&deal, Field::DocumentId, &EN), None);
        let odd = row(Some("iblock"), Some("CIBlockDocument"));
        assert_eq!(kind_cell(&odd, Field::ModuleId, &EN), None);
        assert_eq!(kind_cell(&odd, Field::Entity, &EN), None);
        assert_eq!(kind_cell(&row(None, None), Field::ModuleId, &EN), None);
    }
}
