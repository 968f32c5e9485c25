//! The app opened as its own installer (INSTALL in the init data, §7.1):
//! say what installing does, then finish it.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::domain::session::Session;
use crate::portal::FrameClient;

/// Explains the installation and completes it with setInstallFinish.
#[component]
pub fn Installer(client: FrameClient, session: Session) -> impl IntoView {
    let (state, set_state) = signal(None::<Result<(), String>>);
    let finish = move |_| {
        let client = client.clone();
        set_state.set(Some(Ok(())));
        spawn_local(async move {
            if let Err(err) = client.install_finish().await {
                set_state.set(Some(Err(err.to_string())));
            }
        });
    };
    let busy = move || matches!(state.get(), Some(Ok(())));
    view! {
        <main class="wm-page wm-install">
            <h1 class="wm-install__title">"Install Workflow Monitor"</h1>
            <p>
                "Workflow Monitor lists the running workflows of "
                <strong>{session.portal.host.to_string()}</strong>
                " for portal administrators, and lets them stop or delete workflows after an explicit confirmation."
            </p>
            <p>"Installing it:"</p>
            <ul>
                <li>"changes no workflow, template or data in the portal;"</li>
                <li>"uses the permissions "<code>"bizproc"</code>" (to read running workflows) and "<code>"user_brief"</code>" (to show who started them);"</li>
                <li>"adds Workflow Monitor to the portal's menu. Only administrators can view workflows in it."</li>
            </ul>
            <button class="wm-button wm-button--primary" on:click=finish disabled=busy>
                {move || if busy() { "Finishing installation…" } else { "Finish installation" }}
            </button>
            {move || match state.get() {
                Some(Err(message)) => {
                    Some(
                        view! {
                            <p class="wm-state wm-state--error" role="alert">
                                {format!("The portal did not confirm the installation: {message}")}
                            </p>
                        },
                    )
                }
                _ => None,
            }}
        </main>
    }
}
