//! The page shown when the app is opened outside a Bitrix24 frame.

use leptos::prelude::*;

/// Says what the app is and how to install it, instead of a blank page.
#[component]
pub fn NotInPortal() -> impl IntoView {
    view! {
        <main class="wm-page wm-intro">
            <h1 class="wm-intro__title">"Workflow Monitor for Bitrix24"</h1>
            <p>
                "Workflow Monitor lists every running workflow (business process) of a Bitrix24 portal, "
                "so that administrators can find stuck workflows, see what runs on a deal or a lead, and who started what."
            </p>
            <p>"It runs inside your Bitrix24 portal and cannot be used on its own page."</p>
            <h2>"How to install it"</h2>
            <ol>
                <li>"In your portal, open Applications → Developer resources → Other → Local application."</li>
                <li>"Set the handler path to the HTTPS address of this page, leave the installation path empty, and grant the permissions "<code>"bizproc"</code>" and "<code>"user_brief"</code>"."</li>
                <li>"Save, then open Workflow Monitor from the portal's left menu. Only portal administrators can view running workflows."</li>
            </ol>
        </main>
    }
}
