//! The summary line above the table: "12 stuck · 40 idle > 7 days" under
//! the current filters, each count a button that applies its preset.
//!
//! The counts come from the portal (`domain::table::signals`): one batch, sent
//! beside the page's own request and never in its way. The screen core
//! asks them again only when the filters change or on a refresh, never
//! for paging, sorting or columns (`domain::screen::Counts`). If they
//! cannot be had, a short note replaces them; the table is untouched.

use leptos::prelude::*;

use crate::domain::screen::{Screen, Summary};
use crate::domain::table::signals::SignalKind;
use crate::ui::filters_bar::FilterChange;
use crate::ui::i18n::lang;

/// The summary line.
#[component]
pub fn SignalsSummary(
    /// The filters counted; a press toggles a preset.
    change: FilterChange,
) -> impl IntoView {
    let lang = lang();
    let texts = lang.texts();
    let screen = change.screen();
    let counts = screen.slice(Screen::summary);
    let number = move |kind: SignalKind| counts.with(|c| c.get(kind));
    let ready = move || counts.with(Summary::ready);
    let button = move |kind: SignalKind| {
        let preset = kind.preset();
        let class = move || match (kind, number(kind).unwrap_or(0)) {
            (_, 0) => "wm-signals__count wm-badge wm-badge--muted",
            (SignalKind::Stuck, _) => "wm-signals__count wm-badge wm-badge--danger",
            (SignalKind::Idle, _) => "wm-signals__count wm-badge wm-badge--warning",
        };
        let toggle = move |_| change.toggle_preset(preset);
        view! {
            <button
                type="button"
                class=class
                title=kind.count_hint(lang)
                aria-pressed=move || change.has_preset(preset).to_string()
                on:click=toggle
            >
                {move || number(kind).map(|n| kind.count_text(n, lang))}
            </button>
        }
    };
    view! {
        <div
            class="wm-signals"
            role="group"
            aria-label=texts.counts_label
            aria-live="polite"
            aria-busy=move || counts.with(|c| c.loading).to_string()
            class:wm-signals--stale=move || counts.with(|c| c.loading)
        >
            <Show when=move || counts.with(|c| c.failed)>
                <p class="wm-signals__note">{texts.counts_unavailable}</p>
            </Show>
            <Show when=move || !counts.with(|c| c.failed) && ready()>
                {button(SignalKind::Stuck)}
                <span class="wm-signals__sep" aria-hidden="true">
                    " · "
                </span>
                {button(SignalKind::Idle)}
            </Show>
        </div>
    }
}
