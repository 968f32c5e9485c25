//! The "Theme" switch (Auto / Light / Dark); the theme is shown on the
//! page by `ui::browser::theme`.

use leptos::prelude::*;
use serde_json::Value;

use crate::domain::display::theme::Theme;
use crate::domain::frame::UserOption;
use crate::portal::FrameClient;
use crate::ui::browser::theme::apply;
use crate::ui::i18n::texts;

/// A select labelled "Theme": shows the choice at once and saves it as the
/// admin's user option `wm_theme`, which the next start reads.
#[component]
pub fn ThemeSwitch(
    /// The choice the app started with (the saved one, else Auto).
    initial: Theme,
    /// The portal frame, to save the choice through.
    frame: StoredValue<FrameClient, LocalStorage>,
) -> impl IntoView {
    let choice = RwSignal::new(initial);
    let on_change = move |ev| {
        let Some(theme) = Theme::parse(&event_target_value(&ev)) else {
            return;
        };
        choice.set(theme);
        apply(theme);
        // Kept per user by the portal; a refused save costs nothing visible.
        frame.with_value(|f| {
            let _ = f.set_user_option(UserOption::Theme, &Value::from(theme.as_str()));
        });
    };
    view! {
        <label class="wm-select-field">
            <span class="wm-select-field__label">{texts().theme}</span>
            <select class="wm-input wm-select" on:change=on_change>
                {Theme::ALL
                    .into_iter()
                    .map(|t| {
                        view! {
                            <option value=t.as_str() selected=move || choice.get() == t>
                                {t.label(texts())}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}
