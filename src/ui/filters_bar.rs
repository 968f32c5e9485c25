//! The filters above the table: one-click presets, the active filters as
//! removable chips with "Clear all", and the editor behind "Add filter".

use std::rc::Rc;

use leptos::prelude::*;

use crate::domain::screen::ViewEdit;
use crate::domain::table::filters::{Filter, FilterKind, Preset};
use crate::rest::RestClient;
use crate::ui::filter_chips::FilterChips;
use crate::ui::filter_editor::FilterEditor;
use crate::ui::i18n::texts;
use crate::ui::names::Names;
use crate::ui::screen::ScreenHandle;

/// What the filter controls may do to the screen: read the view's
/// filters and send filter edits (the core renews the query's moment, so
/// relative bounds such as "5 minutes ago" resolve against the change).
#[derive(Clone, Copy)]
pub struct FilterChange(ScreenHandle);

impl FilterChange {
    /// The filter controls of `screen`.
    pub fn new(screen: ScreenHandle) -> FilterChange {
        FilterChange(screen)
    }

    /// Sets a filter in its slot.
    pub fn set(self, filter: Filter) {
        self.0.edit(ViewEdit::SetFilter(filter));
    }

    /// Removes the filter of `kind`.
    pub fn remove(self, kind: FilterKind) {
        self.0.edit(ViewEdit::RemoveFilter(kind));
    }

    /// Removes every filter.
    pub fn clear(self) {
        self.0.edit(ViewEdit::ClearFilters);
    }

    /// Applies `preset`, or removes it when it is on.
    pub fn toggle_preset(self, preset: Preset) {
        self.0.edit(ViewEdit::TogglePreset(preset));
    }

    /// The active filter of `kind` (tracked).
    pub fn current(self, kind: FilterKind) -> Option<Filter> {
        self.0.view.with(|v| v.filters().get(kind).cloned())
    }

    /// Whether `preset` is active exactly (tracked).
    pub fn has_preset(self, preset: Preset) -> bool {
        self.0.view.with(|v| v.filters().has_preset(preset))
    }

    /// The screen (for what reads the whole view).
    pub fn screen(self) -> ScreenHandle {
        self.0
    }
}

/// Presets, chips and the filter editor.
#[component]
pub fn FiltersBar(
    /// The filters' part of the screen.
    change: FilterChange,
    /// For the user search.
    rest: Rc<RestClient>,
    /// The session's template and user names (pickers and chips).
    names: Names,
) -> impl IntoView {
    let editing = RwSignal::new(false);
    // The editor comes and goes; its children must be Send, an Rc is not.
    let rest_for_editor = StoredValue::new_local(Rc::clone(&rest));
    let t = texts();
    view! {
        <section class="wm-filters" aria-label=t.filters>
            <div class="wm-filters__row">
                <div class="wm-presets" role="group" aria-label=t.presets>
                    {Preset::ALL
                        .into_iter()
                        .map(|p| {
                            let toggle = move |_| change.toggle_preset(p);
                            view! {
                                <button
                                    type="button"
                                    class="wm-preset"
                                    aria-pressed=move || change.has_preset(p).to_string()
                                    on:click=toggle
                                >
                                    {p.name(t)}
                                </button>
                            }
                        })
                        .collect_view()}
                </div>
                <button
                    type="button"
                    class="wm-button wm-filters__add"
                    aria-expanded=move || editing.get().to_string()
                    aria-controls="wm-filter-editor"
                    on:click=move |_| editing.update(|e| *e = !*e)
                >
                    {t.add_filter}
                </button>
            </div>
            <FilterChips change=change names=names/>
            <Show when=move || editing.get()>
                <FilterEditor change=change names=names rest=rest_for_editor.get_value()/>
            </Show>
        </section>
    }
}
