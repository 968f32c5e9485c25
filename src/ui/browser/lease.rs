//! The run lease (`domain::actions::lease`) in the app's `localStorage`:
//! shared by every tab of the app in this browser. Without storage (a
//! privacy setting refuses it) there is no lease to find, and the run
//! goes on: the recheck before every confirmation still holds.

use crate::domain::actions::lease::{lease, may_run, LEASE_KEY};

/// This tab's name among the app's tabs (random per page load).
#[cfg(target_arch = "wasm32")]
fn tab() -> String {
    thread_local! {
        static TAB: String = format!("{:x}", (js_sys::Math::random() * 9.0e15) as u64);
    }
    TAB.with(Clone::clone)
}

#[cfg(target_arch = "wasm32")]
fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Takes the lease for this tab unless another tab's is still valid:
/// `Err(seconds)` until it lapses.
pub fn claim() -> Result<(), u64> {
    #[cfg(target_arch = "wasm32")]
    {
        let Some(store) = storage() else {
            return Ok(());
        };
        let now = js_sys::Date::now() as i64;
        let held = store.get_item(LEASE_KEY).ok().flatten();
        may_run(held.as_deref(), &tab(), now)?;
        let _ = store.set_item(LEASE_KEY, &lease(&tab(), now));
        // Two tabs that wrote at once: the last write wins, the other
        // reads it back and stands down.
        let now_held = store.get_item(LEASE_KEY).ok().flatten();
        may_run(now_held.as_deref(), &tab(), now)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = (lease, may_run, LEASE_KEY);
        Ok(())
    }
}

/// Whether the page is going away: its lease is given up for good (a
/// request failing as the page closes must not renew it).
#[cfg(target_arch = "wasm32")]
fn leaving() -> bool {
    LEAVING.with(std::cell::Cell::get)
}

#[cfg(target_arch = "wasm32")]
thread_local! {
    static LEAVING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Renews this tab's lease (before each request of a run).
pub fn renew() {
    #[cfg(target_arch = "wasm32")]
    if let Some(store) = storage().filter(|_| !leaving()) {
        let now = js_sys::Date::now() as i64;
        let held = store.get_item(LEASE_KEY).ok().flatten();
        if may_run(held.as_deref(), &tab(), now).is_ok() {
            let _ = store.set_item(LEASE_KEY, &lease(&tab(), now));
        }
    }
}

/// Gives this tab's lease up.
pub fn release() {
    #[cfg(target_arch = "wasm32")]
    if let Some(store) = storage() {
        let held = store.get_item(LEASE_KEY).ok().flatten();
        if held
            .as_deref()
            .and_then(|h| h.rsplit_once('|'))
            .map(|(t, _)| t)
            == Some(tab().as_str())
        {
            let _ = store.remove_item(LEASE_KEY);
        }
    }
}

/// Gives the lease up when the page goes away (the frame closed or
/// reloaded: its run stops with it), so that the next open may resume at
/// once. Installed once, for the page's life.
pub fn release_on_leave() {
    #[cfg(target_arch = "wasm32")]
    {
        use std::cell::Cell;
        use wasm_bindgen::closure::Closure;
        use wasm_bindgen::JsCast;
        thread_local! {
            static INSTALLED: Cell<bool> = const { Cell::new(false) };
        }
        if INSTALLED.with(|f| f.replace(true)) {
            return;
        }
        let Some(window) = web_sys::window() else {
            return;
        };
        let on_leave = Closure::<dyn Fn()>::new(|| {
            LEAVING.with(|l| l.set(true));
            release();
        });
        let _ =
            window.add_event_listener_with_callback("pagehide", on_leave.as_ref().unchecked_ref());
        on_leave.forget();
    }
}
