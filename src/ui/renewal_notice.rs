//! The notice shown when the portal did not renew the app's token ahead of
//! its expiry (`refreshAuth` unanswered, §4.3): what happened, in the
//! admin's language, and a Reload action.

use leptos::prelude::*;

use crate::portal::FrameError;
use crate::ui::i18n::{lang, texts};

/// An alert with a Reload link while `failure` holds the last planned
/// renewal's error; gone once a renewal succeeds.
#[component]
pub fn RenewalNotice(
    /// The last planned renewal's failure, `None` while the token is fresh.
    failure: ReadSignal<Option<FrameError>>,
) -> impl IntoView {
    move || {
        failure.get().map(|err| {
            let t = texts();
            view! {
                <section class="wm-banner wm-banner--danger wm-renewal" role="alert">
                    <h2 class="wm-renewal__title">{t.renewal_failed_title}</h2>
                    <p class="wm-renewal__text">{err.message(lang())}</p>
                    <p class="wm-renewal__text">{t.renewal_failed_hint}</p>
                    <a class="wm-button wm-button--primary" href="" target="_self">{t.reload}</a>
                </section>
            }
        })
    }
}
