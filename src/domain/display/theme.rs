//! The colour theme an admin chose: Auto (follow the system), Light or
//! Dark, kept per user in the portal as [`UserOption::Theme`].
//!
//! Pure: whether the system prefers dark is passed in, never read.

use serde_json::{Map, Value};

use crate::domain::frame::UserOption;
use crate::domain::i18n::Texts;

/// A theme choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    /// Follow the system's (browser's) light or dark preference.
    #[default]
    Auto,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

impl Theme {
    /// Every choice, in the order the switch offers them.
    pub const ALL: [Theme; 3] = [Theme::Auto, Theme::Light, Theme::Dark];

    /// The saved and attribute form: `auto`, `light`, `dark`.
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Auto => "auto",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    /// What the switch shows.
    pub fn label(self, t: &Texts) -> &'static str {
        match self {
            Theme::Auto => t.theme_auto,
            Theme::Light => t.theme_light,
            Theme::Dark => t.theme_dark,
        }
    }

    /// Reads the saved form (surrounding space and case ignored); `None`
    /// for anything else.
    pub fn parse(text: &str) -> Option<Theme> {
        let text = text.trim();
        Theme::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(text))
    }

    /// The saved choice among the portal's user options; Auto when there
    /// is none or it cannot be read.
    pub fn saved(user_options: &Map<String, Value>) -> Theme {
        UserOption::Theme
            .read(user_options)
            .and_then(Theme::parse)
            .unwrap_or_default()
    }

    /// Whether this choice shows the dark theme, given whether the system
    /// prefers dark.
    pub fn is_dark(self, system_prefers_dark: bool) -> bool {
        match self {
            Theme::Auto => system_prefers_dark,
            Theme::Light => false,
            Theme::Dark => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_saved_form_reads_back_as_the_same_choice() {
        for theme in Theme::ALL {
            assert_eq!(Theme::parse(theme.as_str()), Some(theme));
        }
        assert_eq!(Theme::parse(" Dark "), Some(Theme::Dark));
        assert_eq!(Theme::parse("sepia"), None);
        assert_eq!(Theme::parse(""), None);
    }

    #[test]
    fn reads_the_saved_choice_from_the_user_options() {
        let options = |v: Value| v.as_object().cloned().unwrap_or_default();
        assert_eq!(
            Theme::saved(&options(json!({"wm_theme": "dark"}))),
            Theme::Dark
        );
        assert_eq!(
            Theme::saved(&options(json!({"wm_theme": "light", "wm_view": ""}))),
            Theme::Light
        );
    }

    #[test]
    fn falls_back_to_auto_when_nothing_usable_was_saved() {
        let options = |v: Value| v.as_object().cloned().unwrap_or_default();
        assert_eq!(Theme::saved(&Map::new()), Theme::Auto);
        assert_eq!(
            Theme::saved(&options(json!({"wm_theme": "neon"}))),
            Theme::Auto
        );
        assert_eq!(Theme::saved(&options(json!({"wm_theme": 1}))), Theme::Auto);
    }

    #[test]
    fn auto_follows_the_system_and_the_others_do_not() {
        assert!(Theme::Auto.is_dark(true));
        assert!(!Theme::Auto.is_dark(false));
        assert!(Theme::Dark.is_dark(false));
        assert!(!Theme::Light.is_dark(true));
    }
}
