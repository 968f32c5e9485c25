//! The filters above the table: one-click presets, the active filters as
//! removable chips with "Clear all", and the editor behind "Add filter".

use std::rc::Rc;

use leptos::prelude::*;

use crate::domain::table::filters::{Filter, FilterKind, Preset};
use crate::domain::table::view::ViewState;
use crate::domain::time::TimeContext;
use crate::rest::RestClient;
use crate::ui::browser::clock::time_context;
use crate::ui::filter_chips::FilterChips;
use crate::ui::filter_editor::FilterEditor;
use crate::ui::i18n::texts;
use crate::ui::names::Names;

/// The one way the filter controls change the view: through a
/// [`ViewState`] transition (which goes back to page 1), and only when
/// something changed, with `time` renewed so that relative bounds
/// ("5 minutes ago") resolve against the moment of the change.
#[derive(Clone, Copy)]
pub struct FilterChange {
    view: RwSignal<ViewState>,
    time: RwSignal<TimeContext>,
}

impl FilterChange {
    /// The change handle of `view`, renewing `time` on every change.
    pub fn new(view: RwSignal<ViewState>, time: RwSignal<TimeContext>) -> FilterChange {
        FilterChange { view, time }
    }

    /// Applies `change` to the view.
    pub fn apply(self, change: impl FnOnce(&mut ViewState)) {
        let mut next = self.view.get_untracked();
        change(&mut next);
        if next != self.view.get_untracked() {
            self.time.set(time_context());
            self.view.set(next);
        }
    }

    /// Sets a filter in its slot.
    pub fn set(self, filter: Filter) {
        self.apply(|v| v.set_filter(filter));
    }

    /// Removes the filter of `kind`.
    pub fn remove(self, kind: FilterKind) {
        self.apply(|v| v.remove_filter(kind));
    }

    /// The active filter of `kind` (tracked).
    pub fn current(self, kind: FilterKind) -> Option<Filter> {
        self.view.with(|v| v.filters().get(kind).cloned())
    }

    /// Whether `preset` is active exactly (tracked).
    pub fn has_preset(self, preset: Preset) -> bool {
        self.view.with(|v| v.filters().has_preset(preset))
    }
}

/// Presets, chips and the filter editor.
#[component]
pub fn FiltersBar(
    /// The table's whole view; every change goes through its transitions.
    view: RwSignal<ViewState>,
    /// For the user search.
    rest: Rc<RestClient>,
    /// Renewed on every filter change, so presets resolve against now.
    time: RwSignal<TimeContext>,
    /// The session's template and user names (pickers and chips).
    names: Names,
) -> impl IntoView {
    let change = FilterChange { view, time };
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
                            let toggle = move |_| {
                                if change.has_preset(p) {
                                    change.remove(p.filter().kind());
                                } else {
                                    change.apply(|v| v.apply_preset(p));
                                }
                            };
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
            <FilterChips view=view change=change names=names/>
            <Show when=move || editing.get()>
                <FilterEditor change=change names=names rest=rest_for_editor.get_value()/>
            </Show>
        </section>
    }
}
