//! The page-level states every screen shares: loading, and a failure with
//! its message.

use leptos::prelude::*;

use crate::ui::i18n::texts;

/// A quiet loading line, announced to screen readers.
#[component]
pub fn Loading(
    /// What the admin waits for: "Loading running workflows…".
    text: &'static str,
) -> impl IntoView {
    view! {
        <p class="wm-state wm-state--loading" role="status" aria-live="polite">
            {text}
        </p>
    }
}

/// A screen explaining why the app cannot go on.
#[component]
pub fn Failure(
    /// The headline.
    title: String,
    /// What happened and what to do, for an administrator.
    message: String,
    /// Whether to offer reloading the app.
    #[prop(default = true)]
    reload: bool,
    /// A passing failure: offer asking again instead of reloading.
    #[prop(default = None)]
    retry: Option<Callback<()>>,
) -> impl IntoView {
    let t = texts();
    let action = match retry {
        Some(retry) => Some(
            view! {
                <button class="wm-button" type="button" on:click=move |_| retry.run(())>
                    {t.retry}
                </button>
            }
            .into_any(),
        ),
        None => reload.then(|| {
            view! { <a class="wm-button" href="" target="_self">{t.reload}</a> }.into_any()
        }),
    };
    view! {
        <section class="wm-state wm-state--error" role="alert">
            <h2 class="wm-state__title">{title}</h2>
            <p class="wm-state__text">{message}</p>
            {action}
        </section>
    }
}
