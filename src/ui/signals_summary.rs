//! The summary line above the table: "12 stuck · 40 idle > 7 days" under
//! the current filters, each count a button that applies its preset.
//!
//! The counts come from the portal (`domain::table::signals`): one batch, sent
//! beside the page's own request and never in its way. They are asked
//! again only when the filters change or on a refresh, never for paging,
//! sorting or columns (a cache keyed by the filters and the minute). If
//! they cannot be had, a short note replaces them; the table is untouched.

use std::rc::Rc;

use futures::future::{AbortHandle, Abortable};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::domain::table::filters::Filters;
use crate::domain::table::signals::{
    CountsCache, CountsKey, CountsRequest, SignalCounts, SignalKind,
};
use crate::domain::table::view::ViewState;
use crate::domain::time::TimeContext;
use crate::rest::signals::count_signals;
use crate::rest::RestClient;
use crate::ui::filters_bar::FilterChange;
use crate::ui::i18n::lang;

/// Where the counts stand.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct Counts {
    /// The last counts that came (for the filters asked, or before).
    known: Option<SignalCounts>,
    /// Newer counts are on their way: `known` may be stale.
    loading: bool,
    /// The last request failed.
    failed: bool,
}

/// The summary line.
#[component]
pub fn SignalsSummary(
    /// The table's view: its filters are counted; a press sets a preset.
    view: RwSignal<ViewState>,
    /// Renewed on every filter change and refresh.
    time: RwSignal<TimeContext>,
    /// Bumped by Refresh and auto-refresh: ask again even if cached.
    refresh: RwSignal<u64>,
    /// The list on screen: its filters and total (a count whose preset is
    /// active is that total).
    listed: Signal<Option<(Filters, u64)>>,
    /// For the counts batch.
    rest: Rc<RestClient>,
) -> impl IntoView {
    let lang = lang();
    let texts = lang.texts();
    let change = FilterChange::new(view, time);
    // Only the filters: paging, sorting and columns leave this unchanged.
    let filters = Memo::new(move |_| view.with(|v| v.filters().clone()));
    let counts = RwSignal::new(Counts::default());
    let cache = StoredValue::new(CountsCache::default());
    let seen_refresh = StoredValue::new(None::<u64>);
    let in_flight = StoredValue::new_local(None::<AbortHandle>);

    Effect::new(move |_| {
        let f = filters.get();
        let t = time.get();
        let r = refresh.get();
        if seen_refresh.get_value() != Some(r) {
            seen_refresh.set_value(Some(r));
            cache.update_value(CountsCache::clear);
        }
        if let Some(old) = in_flight.try_update_value(Option::take).flatten() {
            old.abort();
        }
        let key = CountsKey::new(&f, t);
        if let Some(hit) = cache.with_value(|c| c.get(&key)) {
            counts.set(Counts {
                known: Some(hit),
                ..Counts::default()
            });
            return;
        }
        counts.update(|c| c.loading = true);
        let request = CountsRequest::new(&f, t);
        let rest = Rc::clone(&rest);
        let (handle, registration) = AbortHandle::new_pair();
        in_flight.set_value(Some(handle));
        spawn_local(async move {
            match Abortable::new(count_signals(&rest, &request), registration).await {
                Err(_aborted) => {}
                Ok(Ok(found)) => {
                    cache.update_value(|c| c.put(key, found));
                    counts.set(Counts {
                        known: Some(found),
                        ..Counts::default()
                    });
                }
                Ok(Err(_)) => counts.set(Counts {
                    failed: true,
                    ..Counts::default()
                }),
            }
        });
    });

    // The number of `kind`; a count that is the list's total waits for
    // the list of these very filters.
    let number = move |kind: SignalKind| {
        let total = listed.with(|l| {
            l.as_ref()
                .filter(|(f, _)| filters.with(|now| now == f))
                .map(|(_, n)| *n)
        });
        counts.with(|c| c.known.and_then(|k| k.get(kind).resolve(total)))
    };
    let ready = move || SignalKind::ALL.iter().all(|k| number(*k).is_some());
    let button = move |kind: SignalKind| {
        let preset = kind.preset();
        let class = move || match (kind, number(kind).unwrap_or(0)) {
            (_, 0) => "wm-signals__count wm-badge wm-badge--muted",
            (SignalKind::Stuck, _) => "wm-signals__count wm-badge wm-badge--danger",
            (SignalKind::Idle, _) => "wm-signals__count wm-badge wm-badge--warning",
        };
        let toggle = move |_| {
            if change.has_preset(preset) {
                change.remove(preset.filter().kind());
            } else {
                change.apply(|v| v.apply_preset(preset));
            }
        };
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
