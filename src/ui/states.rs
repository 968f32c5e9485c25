//! The page-level states every screen shares: loading, and a failure with
//! its message.

use leptos::prelude::*;

/// A quiet loading line, announced to screen readers.
#[component]
pub fn Loading(
    /// What is being loaded, e.g. "running workflows".
    what: &'static str,
) -> impl IntoView {
    view! {
        <p class="wm-state wm-state--loading" role="status" aria-live="polite">
            {format!("Loading {what}…")}
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
) -> impl IntoView {
    view! {
        <section class="wm-state wm-state--error" role="alert">
            <h2 class="wm-state__title">{title}</h2>
            <p class="wm-state__text">{message}</p>
            {reload.then(|| view! { <a class="wm-button" href="" target="_self">"Reload"</a> })}
        </section>
    }
}
