//! The screen's two clocks: the tick that lets "3 min ago", the spans and
//! the signals catch up between answers, and the optional auto-refresh.
//! A hidden tab gets neither.

use gloo_timers::callback::Interval;
use leptos::prelude::*;

use crate::domain::screen::{Event, Screen};
use crate::ui::browser::clock::time_context;
use crate::ui::browser::url;

use super::ScreenHandle;

/// How often the clock catches up.
const CLOCK_TICK_MS: u32 = 30_000;

/// How often the optional auto-refresh asks again.
const AUTO_REFRESH_MS: u32 = 30_000;

/// Runs both clocks for as long as the reactive owner lives.
pub fn run(screen: ScreenHandle) {
    let every = move |ms: u32, event: fn() -> Event| {
        Interval::new(ms, move || {
            if !url::page_hidden() {
                screen.dispatch(event());
            }
        })
    };
    let tick = every(CLOCK_TICK_MS, || Event::Tick { at: time_context() });
    StoredValue::new_local(tick);
    // The timer runs only while auto-refresh is on; the core decides what
    // a due refresh does (never touching the view or the inputs).
    // The effect runs on every change of the screen; the timer is made
    // or dropped only when auto-refresh turns on or off.
    let ticker = StoredValue::new_local(None::<Interval>);
    Effect::new(move |was: Option<bool>| {
        let on = screen.read(Screen::auto_refresh);
        if was != Some(on) {
            let due = || Event::AutoRefreshDue { at: time_context() };
            ticker.set_value(on.then(|| every(AUTO_REFRESH_MS, due)));
        }
        on
    });
}
