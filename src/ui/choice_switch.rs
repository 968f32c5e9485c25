//! The admin's display choices kept per user in the portal, each a
//! labelled select: the colour theme (Auto / Light / Dark, shown by
//! `ui::browser::theme`) and the rows' density (Compact / Comfortable,
//! `ui::browser::density`). One component for both, so they look, save
//! and read back the same way.

use leptos::prelude::*;
use serde_json::{Map, Value};

use crate::domain::display::density::Density;
use crate::domain::display::theme::Theme;
use crate::domain::frame::UserOption;
use crate::portal::FrameClient;
use crate::ui::i18n::texts;

/// What a [`choice_switch`] offers and how it shows a choice.
pub struct Choices {
    /// What the select is labelled.
    pub label: &'static str,
    /// The user option the choice is saved under.
    pub option: UserOption,
    /// Every choice: its saved form and what the select shows.
    pub choices: Vec<(&'static str, &'static str)>,
    /// The saved form of the choice the app started with.
    pub initial: &'static str,
    /// Shows the choice whose saved form is given on the page; its saved
    /// form again, or `None` when it is not one of the choices.
    pub show: fn(&str) -> Option<&'static str>,
}

/// A select labelled `label`: shows a choice at once (`show`) and saves
/// it as the admin's user option `option` through `frame`, which the
/// next start reads. A plain function, not a component: the two switches
/// share one copy of its code.
pub fn choice_switch(
    Choices {
        label,
        option,
        choices,
        initial,
        show,
    }: Choices,
    frame: StoredValue<FrameClient, LocalStorage>,
) -> impl IntoView {
    let choice = RwSignal::new(initial);
    let on_change = move |ev| {
        let Some(saved) = show(&event_target_value(&ev)) else {
            return;
        };
        choice.set(saved);
        // Kept per user by the portal; a refused save costs nothing visible.
        frame.with_value(|f| {
            let _ = f.set_user_option(option, &Value::from(saved));
        });
    };
    view! {
        <label class="wm-select-field">
            <span class="wm-select-field__label">{label}</span>
            <select class="wm-input wm-select" on:change=on_change>
                {choices
                    .into_iter()
                    .map(|(value, text)| {
                        view! { <option value=value selected=move || choice.get() == value>{text}</option> }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}

/// The "Theme" switch, starting from the choice saved in `user_options`.
pub fn theme_switch(
    user_options: &Map<String, Value>,
    frame: StoredValue<FrameClient, LocalStorage>,
) -> impl IntoView {
    let t = texts();
    let choices = Choices {
        label: t.theme,
        option: UserOption::Theme,
        choices: Theme::ALL
            .iter()
            .map(|c| (c.as_str(), c.label(t)))
            .collect(),
        initial: Theme::saved(user_options).as_str(),
        show: |s| {
            let c = Theme::parse(s)?;
            crate::ui::browser::theme::apply(c);
            Some(c.as_str())
        },
    };
    choice_switch(choices, frame)
}

/// The "Density" switch (Compact / Comfortable), starting from the choice
/// saved in `user_options`.
pub fn density_switch(
    user_options: &Map<String, Value>,
    frame: StoredValue<FrameClient, LocalStorage>,
) -> impl IntoView {
    let t = texts();
    let choices = Choices {
        label: t.density,
        option: UserOption::Density,
        choices: Density::ALL
            .iter()
            .map(|c| (c.as_str(), c.label(t)))
            .collect(),
        initial: Density::saved(user_options).as_str(),
        show: |s| {
            let c = Density::parse(s)?;
            crate::ui::browser::density::apply(c);
            Some(c.as_str())
        },
    };
    choice_switch(choices, frame)
}
