//! How dense the table's rows are: Compact (the default, a row on one line
//! from 1280 px up, as Bitrix24's own grid shows it) or Comfortable (the
//! relative time under each date, long values wrapping), kept per user in
//! the portal as [`UserOption::Density`], like the theme.

use serde_json::{Map, Value};

use crate::domain::frame::UserOption;
use crate::domain::i18n::Texts;

/// A density choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Density {
    /// One line per row on a frame of 1280 px and wider.
    #[default]
    Compact,
    /// Taller rows: the relative time under the date, values wrapping.
    Comfortable,
}

impl Density {
    /// Every choice, in the order the switch offers them.
    pub const ALL: [Density; 2] = [Density::Compact, Density::Comfortable];

    /// The saved and attribute form: `compact`, `comfortable`.
    pub fn as_str(self) -> &'static str {
        match self {
            Density::Compact => "compact",
            Density::Comfortable => "comfortable",
        }
    }

    /// What the switch shows.
    pub fn label(self, t: &Texts) -> &'static str {
        match self {
            Density::Compact => t.density_compact,
            Density::Comfortable => t.density_comfortable,
        }
    }

    /// Reads the saved form (surrounding space and case ignored); `None`
    /// for anything else.
    pub fn parse(text: &str) -> Option<Density> {
        let text = text.trim();
        Density::ALL
            .into_iter()
            .find(|d| d.as_str().eq_ignore_ascii_case(text))
    }

    /// The saved choice among the portal's user options; Compact when
    /// there is none or it cannot be read.
    pub fn saved(user_options: &Map<String, Value>) -> Density {
        UserOption::Density
            .read(user_options)
            .and_then(Density::parse)
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn options(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn the_saved_form_reads_back_as_the_same_choice() {
        for d in Density::ALL {
            assert_eq!(Density::parse(d.as_str()), Some(d));
        }
        assert_eq!(Density::parse(" Comfortable "), Some(Density::Comfortable));
        assert_eq!(Density::parse("cosy"), None);
    }

    #[test]
    fn reads_the_saved_choice_and_falls_back_to_compact() {
        assert_eq!(
            Density::saved(&options(
                json!({"wm_density": "comfortable", "wm_theme": "dark"})
            )),
            Density::Comfortable
        );
        assert_eq!(Density::saved(&Map::new()), Density::Compact);
        assert_eq!(
            Density::saved(&options(json!({"wm_density": "huge"}))),
            Density::Compact
        );
        assert_eq!(
            Density::saved(&options(json!({"wm_density": 2}))),
            Density::Compact
        );
    }
}
