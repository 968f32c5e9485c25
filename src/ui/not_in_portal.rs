//! The page shown when the app is opened outside a Bitrix24 frame.

use leptos::prelude::*;

use crate::ui::i18n::texts;

/// Says what the app is and how to install it, instead of a blank page.
#[component]
pub fn NotInPortal() -> impl IntoView {
    let t = texts();
    view! {
        <main class="wm-page wm-intro">
            <h1 class="wm-intro__title">{t.intro_title}</h1>
            <p>{t.intro_what}</p>
            <p>{t.intro_inside_only}</p>
            <h2>{t.intro_how}</h2>
            <ol>
                <li>{t.intro_step_open}</li>
                <li>{t.intro_step_path}</li>
                <li>{t.intro_step_use}</li>
            </ol>
        </main>
    }
}
