//! The notice shown when the portal did not renew the app's token ahead of
//! its expiry (`refreshAuth` unanswered, §4.3): what happened, in the
//! admin's language, and a Reload action.

use leptos::prelude::*;

use crate::portal::{FrameClient, FrameError};
use crate::ui::i18n::{lang, texts};

/// Reloads the whole portal page (`reloadWindow`): its fresh render hands
/// the app a fresh token, which reloading only the frame would not (the
/// page would hand over the same, expired one). If the message cannot be
/// sent, the frame reloads itself.
fn reload_portal(client: &FrameClient) {
    if client.reload_window().is_err() {
        // Nothing more to try if the browser refuses this too.
        let _ = web_sys::window().map(|w| w.location().reload());
    }
}

/// An alert with a Reload button while `failure` holds the last planned
/// renewal's error; gone once a renewal succeeds.
#[component]
pub fn RenewalNotice(
    /// The last planned renewal's failure, `None` while the token is fresh.
    failure: ReadSignal<Option<FrameError>>,
    /// The portal page, asked to reload.
    client: FrameClient,
) -> impl IntoView {
    let client = StoredValue::new_local(client);
    move || {
        failure.get().map(|err| {
            let t = texts();
            view! {
                <section class="wm-banner wm-banner--danger wm-renewal" role="alert">
                    <h2 class="wm-renewal__title">{t.renewal_failed_title}</h2>
                    <p class="wm-renewal__text">{err.message(lang())}</p>
                    <p class="wm-renewal__text">{t.renewal_failed_hint}</p>
                    <button
                        class="wm-button wm-button--primary"
                        type="button"
                        on:click=move |_| client.with_value(reload_portal)
                    >
                        {t.reload}
                    </button>
                </section>
            }
        })
    }
}
