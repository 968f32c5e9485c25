//! The app driven from the keyboard alone: real key presses sent through
//! WebDriver (trusted events, so the browser itself moves the focus), and
//! what has the focus, by accessible name.

use fantoccini::Locator;
use serde_json::Value;

use crate::table::FIND_JS;
use crate::{Harness, HarnessError, Result};

/// WebDriver's code for the Tab key.
pub const TAB: &str = "\u{E004}";
/// WebDriver's code for Enter.
pub const ENTER: &str = "\u{E007}";
/// WebDriver's code for the space bar.
pub const SPACE: &str = " ";

/// What has the keyboard focus in the app frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Focused {
    /// `BUTTON`, `INPUT`, `A`, …
    pub tag: String,
    /// The accessible name (as the table page object computes it).
    pub name: String,
    /// Whether a focus indicator is drawn: an outline or a box shadow.
    pub indicated: bool,
}

/// The keyboard of the app frame in `h`'s portal page.
pub struct Keyboard<'a> {
    h: &'a Harness,
}

impl<'a> Keyboard<'a> {
    /// The keyboard for `h`.
    pub fn of(h: &'a Harness) -> Self {
        Keyboard { h }
    }

    /// Sends `keys` to whatever has the focus inside the app frame.
    pub async fn press(&self, keys: &str) -> Result<()> {
        let frame = self.h.client.find(Locator::Id("app-frame")).await?;
        frame.enter_frame().await?;
        let sent = async {
            let active = self.h.client.active_element().await?;
            active.send_keys(keys).await?;
            Ok::<(), HarnessError>(())
        }
        .await;
        self.h.client.enter_parent_frame().await?;
        sent
    }

    /// Moves the focus to the start of the app's document, as a person
    /// clicking an empty spot of the page would.
    pub async fn start_over(&self) -> Result<()> {
        self.h
            .portal()
            .in_app(
                "if (document.activeElement) document.activeElement.blur();
                 document.body.setAttribute('tabindex', '-1');
                 document.body.focus();
                 document.body.removeAttribute('tabindex');
                 return null;",
                vec![],
            )
            .await
            .map(|_| ())
    }

    /// What has the focus now.
    pub async fn focused(&self) -> Result<Focused> {
        let v = self
            .h
            .portal()
            .in_app(
                &format!(
                    "{FIND_JS}
                     const el = document.activeElement;
                     if (!el || el === document.body) return null;
                     const s = getComputedStyle(el);
                     const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
                     const shadow = s.boxShadow && s.boxShadow !== 'none';
                     return [el.tagName, nameOf(el), outline || shadow];"
                ),
                vec![],
            )
            .await?;
        let Value::Array(parts) = v else {
            return Ok(Focused {
                tag: String::new(),
                name: String::new(),
                indicated: false,
            });
        };
        Ok(Focused {
            tag: parts[0].as_str().unwrap_or_default().to_owned(),
            name: parts[1].as_str().unwrap_or_default().to_owned(),
            indicated: parts[2].as_bool().unwrap_or(false),
        })
    }

    /// Presses Tab until the focus is on a control named `name`; every
    /// control passed on the way, in order (`name` last). Fails after
    /// `limit` presses.
    pub async fn tab_to(&self, name: &str, limit: usize) -> Result<Vec<Focused>> {
        let mut seen = Vec::new();
        for _ in 0..limit {
            self.press(TAB).await?;
            let now = self.focused().await?;
            let found = now.name == name;
            seen.push(now);
            if found {
                return Ok(seen);
            }
        }
        Err(HarnessError::Unexpected(format!(
            "{limit} presses of Tab never reached \"{name}\"; the focus went through {:?}",
            seen.iter().map(|f| f.name.as_str()).collect::<Vec<_>>()
        )))
    }
}
