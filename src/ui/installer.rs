//! The app opened as its own installer (INSTALL in the init data, §7.1):
//! say what installing does, then finish it.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::domain::i18n::fill;
use crate::domain::methods::session::Session;
use crate::portal::FrameClient;
use crate::ui::i18n::{lang, texts};

/// Explains the installation and completes it with setInstallFinish.
#[component]
pub fn Installer(client: FrameClient, session: Session) -> impl IntoView {
    let lang = lang();
    let (state, set_state) = signal(None::<Result<(), String>>);
    let finish = move |_| {
        let client = client.clone();
        set_state.set(Some(Ok(())));
        spawn_local(async move {
            if let Err(err) = client.install_finish().await {
                set_state.set(Some(Err(err.message(lang))));
            }
        });
    };
    let busy = move || matches!(state.get(), Some(Ok(())));
    let t = texts();
    // The portal's host goes in bold where the sentence says {portal}.
    let (before, after) = t
        .install_what
        .split_once("{portal}")
        .unwrap_or((t.install_what, ""));
    view! {
        <main class="wm-page wm-install">
            <h1 class="wm-install__title">{t.install_title}</h1>
            <p>{before}<strong>{session.portal.host.to_string()}</strong>{after}</p>
            <p>{t.install_list_intro}</p>
            <ul>
                <li>{t.install_no_changes}</li>
                <li>{t.install_permissions}</li>
                <li>{t.install_menu}</li>
            </ul>
            <button class="wm-button wm-button--primary" on:click=finish disabled=busy>
                {move || if busy() { t.install_finishing } else { t.install_finish }}
            </button>
            {move || match state.get() {
                Some(Err(message)) => {
                    Some(
                        view! {
                            <p class="wm-state wm-state--error" role="alert">
                                {fill(t.install_failed, &[("reason", &message)])}
                            </p>
                        },
                    )
                }
                _ => None,
            }}
        </main>
    }
}
