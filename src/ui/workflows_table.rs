//! The table of workflows: a real `<table>`, sortable headers for the
//! visible columns, then the rows (`ui::table_body`, drawn directly: a
//! page may hold 500 rows).

use std::rc::Rc;

use leptos::ev::MouseEvent;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::domain::actions::selection::PageCheck;
use crate::domain::display::cells::{CellContext, DocumentShown};
use crate::domain::methods::instances::{WorkflowId, WorkflowRow};
use crate::domain::screen::{Event, SelectEdit};
use crate::domain::table::filters::Filter;
use crate::domain::time::TimeContext;
use crate::ui::cell_focus;
use crate::ui::filters_bar::FilterChange;
use crate::ui::i18n::{lang, texts};
use crate::ui::names::Names;
use crate::ui::portal_links::{plain_click, PortalLinks};
use crate::ui::screen::ScreenHandle;
use crate::ui::sort_header::SortHeader;
use crate::ui::table_body::markup::SELECT_CLASS;
use crate::ui::table_body::DrawnBody;
use crate::ui::tip;

/// The table: sortable headers for the visible columns, then the rows.
#[component]
pub fn WorkflowsTable(
    /// The rows of the page shown.
    rows: Vec<WorkflowRow>,
    /// The screen: its view's columns and sort.
    screen: ScreenHandle,
    /// Now and the admin's UTC offset, for dates, spans and signals.
    now: Signal<TimeContext>,
    /// The session's template and user names.
    names: Names,
    /// Opens documents in the portal.
    links: PortalLinks,
    /// Sets filters (a document's "Show all workflows").
    change: FilterChange,
) -> impl IntoView {
    let lang = lang();
    let origin = links.origin();
    let rows = Rc::new(rows);
    // The table reads the page's session-long signals through copies that
    // live as long as it does: a subscriber that dies leaves an entry in
    // a long-lived signal, and the memory grew with every page shown.
    let view = screen.view;
    let shown_view = Memo::new(move |_| view.get());
    let visible = Memo::new(move |_| shown_view.with(|v| v.columns().visible()));
    let now = Memo::new(move |_| now.get());
    let body = NodeRef::<leptos::html::Tbody>::new();
    // What the rows wait for: the table follows its version and reads the
    // map itself, so the map is never copied.
    let waiting = screen.slice(|s| s.waiting().version());
    // The selection and the header box's state, in one slice.
    let picked = screen.slice(|s| (s.selection().clone(), s.page_check()));
    let selection = Signal::derive(move || picked.with(|p| p.0.clone()));
    let page_check = move || picked.with(|p| p.1);
    // The drawn rows live as long as this table.
    let drawn = StoredValue::new_local(None::<DrawnBody>);
    // Draws the rows once the body is in the page, then keeps them up to
    // date: new columns draw them again; the clock and the names only
    // touch the cells whose value changed.
    Effect::new(move |_| {
        let columns = visible.get();
        let time = now.get();
        waiting.track();
        let Some(tbody) = body.get() else {
            return;
        };
        screen.read_untracked(|s| {
            names.with(|known| {
                let ctx = CellContext {
                    time,
                    lang,
                    templates: known.templates(),
                    templates_loading: known.templates.is_none(),
                    users: &known.users,
                    users_loading: known.users_error.is_none(),
                    origin: &origin,
                    waiting: s.waiting().known(),
                };
                let picked = selection.get_untracked();
                let selected = |id: &WorkflowId| picked.contains(id);
                drawn.update_value(|d| match d {
                    Some(d) if d.columns() == columns => d.update(&rows, &ctx),
                    _ => {
                        *d = Some(DrawnBody::draw(
                            tbody.clone(),
                            &rows,
                            columns,
                            &ctx,
                            &selected,
                        ))
                    }
                });
            })
        });
    });
    // The checkboxes follow the core's selection.
    Effect::new(move |_| {
        let picked = selection.get();
        drawn.with_value(|d| {
            if let Some(d) = d {
                d.check(&|id| picked.contains(id));
            }
        });
    });
    let toggle =
        move |id: String| screen.dispatch(Event::Select(SelectEdit::Toggle(WorkflowId::new(id))));
    let on_change = move |ev: leptos::ev::Event| {
        if let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .filter(|i| i.class_name() == SELECT_CLASS)
        {
            toggle(input.value());
        }
    };
    // Space on any value of a row (but a button) toggles the row's box;
    // the checkbox itself toggles as checkboxes do.
    let on_keydown = move |ev: web_sys::KeyboardEvent| {
        if ev.key() == " " && !(ev.alt_key() || ev.ctrl_key() || ev.meta_key()) {
            let target = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
            if let Some(el) = target.filter(|e| {
                !matches!(
                    e.tag_name().to_ascii_lowercase().as_str(),
                    "input" | "button"
                )
            }) {
                let id = el
                    .closest("tr")
                    .ok()
                    .flatten()
                    .and_then(|tr| {
                        tr.query_selector(&format!("input.{SELECT_CLASS}"))
                            .ok()
                            .flatten()
                    })
                    .and_then(|i| i.dyn_into::<web_sys::HtmlInputElement>().ok())
                    .map(|i| i.value());
                if let Some(id) = id {
                    ev.prevent_default();
                    toggle(id);
                    return;
                }
            }
        }
        cell_focus::on_keydown(&ev);
    };
    // A plain click on a document's link opens it in the portal's slider;
    // its button shows every workflow of that document.
    let on_click = move |ev: MouseEvent| {
        let Some(target) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        let Some(hit) = target
            .closest("a.wm-doc__link, button.wm-doc__filter")
            .ok()
            .flatten()
        else {
            return;
        };
        let Some(row) = hit
            .closest("tr")
            .ok()
            .flatten()
            .and_then(|tr| tr.dyn_into::<web_sys::HtmlTableRowElement>().ok())
            .and_then(|tr| usize::try_from(tr.section_row_index()).ok())
        else {
            return;
        };
        let Some(doc) = drawn.with_value(|d| d.as_ref()?.document(row).cloned()) else {
            return;
        };
        if hit.tag_name().eq_ignore_ascii_case("button") {
            if let Some((filter, _)) = doc.filter {
                change.set(Filter::Document(filter));
            }
            return;
        }
        if let DocumentShown::Link {
            href,
            path,
            slider: true,
            ..
        } = doc.shown
        {
            if plain_click(&ev) {
                ev.prevent_default();
                links.open(path, href);
            }
        }
    };
    view! {
        <p id="wm-table-keys" class="wm-visually-hidden">{texts().table_keys_hint}</p>
        <table class="wm-table" aria-describedby="wm-table-keys">
            <caption class="wm-visually-hidden">{texts().running_workflows}</caption>
            <thead>
                <tr>
                    <th scope="col" class="wm-table__th wm-table__th--select">
                        <input type="checkbox" class="wm-select-page" aria-label=texts().select_page
                            prop:checked=move || page_check() == PageCheck::All
                            prop:indeterminate=move || page_check() == PageCheck::Some
                            on:change=move |_| screen.dispatch(Event::Select(SelectEdit::TogglePage))/>
                    </th>
                    {move || {
                        visible
                            .get()
                            .into_iter()
                            .map(|column| {
                                view! { <SortHeader column=column screen=screen shown=shown_view.into()/> }
                            })
                            .collect_view()
                    }}
                </tr>
            </thead>
            <tbody
                node_ref=body
                on:keydown=on_keydown
                on:change=on_change
                on:focusin=move |ev| {
                    cell_focus::on_focusin(&ev);
                    tip::on_focusin(&ev);
                }
                on:mouseover=move |ev| tip::on_mouseover(&ev)
                on:click=on_click
            ></tbody>
        </table>
        // The table's one tooltip (`ui::tip`); the stylesheet hides it
        // while the table has neither the mouse nor the focus.
        <div id=tip::TIP_ID class="wm-tip" role="tooltip" hidden></div>
    }
}
