//! The quiet line shown while the app waits to retry a request the portal
//! refused for load (or did not answer): "Portal is busy, retrying in 3 s…",
//! counting down, with "Cancel"; and after a cancel, the line that offers
//! to ask again. The table stays on screen throughout.

use leptos::prelude::*;

use crate::domain::methods::limits::Busy;
use crate::ui::i18n::{lang, texts};

/// How often the countdown is redrawn.
const TICK_MS: u32 = 250;

fn now_ms() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Date::now()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    }
}

/// "Portal is busy, retrying in N s…" with a "Cancel" button, while `busy`
/// is set.
#[component]
pub fn BusyLine(
    /// The wait to show, from the REST client's limiter.
    busy: Signal<Option<Busy>>,
    /// Stops the retrying.
    on_cancel: Callback<()>,
) -> impl IntoView {
    let lang = lang();
    let t = lang.texts();
    let now = RwSignal::new(now_ms());
    // The countdown ticks only while something waits.
    let ticker = StoredValue::new_local(None::<gloo_timers::callback::Interval>);
    Effect::new(move |_| {
        let waiting = busy.with(Option::is_some);
        now.set(now_ms());
        ticker.set_value(
            waiting
                .then(|| gloo_timers::callback::Interval::new(TICK_MS, move || now.set(now_ms()))),
        );
    });
    move || {
        busy.get().map(|b| {
            view! {
                <p class="wm-banner wm-busy" role="status" aria-live="polite">
                    <span class="wm-busy__text">{move || b.text(lang, now.get())}</span>
                    " "
                    <button class="wm-button wm-busy__cancel" type="button"
                        title=t.busy_cancel_hint on:click=move |_| on_cancel.run(())>
                        {t.busy_cancel}
                    </button>
                </p>
            }
        })
    }
}

/// After "Cancel": says the table shows the last rows, and offers "Retry".
#[component]
pub fn StoppedLine(
    /// Asks the portal again.
    on_retry: Callback<()>,
) -> impl IntoView {
    let t = texts();
    view! {
        <p class="wm-banner wm-busy" role="status">
            <span class="wm-busy__text">{t.stopped_retrying}</span>
            " "
            <button class="wm-button wm-busy__cancel" type="button" on:click=move |_| on_retry.run(())>
                {t.retry}
            </button>
        </p>
    }
}
