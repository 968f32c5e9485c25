//! How the app looks, read inside its frame: the theme shown, the page's
//! colours and overflow, and accessibility checks with axe-core (npm,
//! installed by `npm ci` in e2e/).

use std::path::PathBuf;

use serde_json::Value;

use crate::app::AppFrame;
use crate::{wait_for, HarnessError, Result};

/// The WCAG 2 A and AA rule sets (2.0, 2.1, 2.2) axe runs, colour contrast
/// among them.
pub const WCAG_AA_TAGS: [&str; 6] = [
    "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa",
];

/// axe-core's browser build, installed by `npm ci` in e2e/.
pub fn axe_source_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("node_modules/axe-core/axe.min.js")
}

/// One rule axe found broken, with the elements that break it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The rule (`color-contrast`).
    pub rule: String,
    /// `minor` to `critical`.
    pub impact: String,
    /// What the rule asks for.
    pub help: String,
    /// Each failing element: its CSS path and axe's explanation.
    pub nodes: Vec<(String, String)>,
}

/// The violations as lines a person can act on.
pub fn describe(violations: &[Violation]) -> String {
    let mut out = String::new();
    for v in violations {
        out.push_str(&format!("{} ({}): {}\n", v.rule, v.impact, v.help));
        for (target, summary) in &v.nodes {
            out.push_str(&format!("  {target}: {}\n", summary.replace('\n', " ")));
        }
    }
    out
}

/// An sRGB colour parsed from a computed `rgb()` / `rgba()` value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rgb(pub f64, pub f64, pub f64);

impl Rgb {
    /// Reads `rgb(38, 38, 38)` or `rgba(0, 0, 0, 0)` (alpha ignored).
    pub fn parse(css: &str) -> Option<Rgb> {
        let inner = css.split_once('(')?.1.trim_end_matches(')');
        let mut parts = inner
            .split([',', ' ', '/'])
            .filter(|p| !p.is_empty())
            .map(|p| p.trim().parse::<f64>().ok());
        Some(Rgb(parts.next()??, parts.next()??, parts.next()??))
    }

    /// WCAG relative luminance, 0 (black) to 1 (white).
    pub fn luminance(self) -> f64 {
        let lin = |c: f64| {
            let c = c / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(self.0) + 0.7152 * lin(self.1) + 0.0722 * lin(self.2)
    }

    /// Dark enough to be a dark theme's surface.
    pub fn is_dark(self) -> bool {
        self.luminance() < 0.1
    }
}

/// The app frame's look (page object).
pub struct Look<'a> {
    /// The app frame.
    pub app: &'a AppFrame<'a>,
}

impl<'a> Look<'a> {
    /// The look of `app`.
    pub fn of(app: &'a AppFrame<'a>) -> Self {
        Look { app }
    }

    /// The computed background colour of the app's body.
    pub async fn background(&self) -> Result<Rgb> {
        let v = self
            .app
            .js("return getComputedStyle(document.body).backgroundColor;")
            .await?;
        let css = v.as_str().unwrap_or_default();
        Rgb::parse(css).ok_or_else(|| HarnessError::Unexpected(format!("body background {css:?}")))
    }

    /// Waits until the app's background is dark (`true`) or light.
    pub async fn wait_dark(&self, dark: bool) -> Result<Rgb> {
        let what = if dark { "a dark" } else { "a light" };
        wait_for(&format!("{what} background in the app"), || async {
            let bg = self.background().await?;
            Ok((bg.is_dark() == dark).then_some(bg))
        })
        .await
    }

    /// `(scrollWidth, clientWidth)` of the app's document: wider content
    /// than the frame means the page itself overflows sideways.
    pub async fn page_widths(&self) -> Result<(f64, f64)> {
        self.widths("document.scrollingElement || document.documentElement")
            .await
    }

    /// The heights of the table's body rows, in px: `(lowest, tallest)`.
    pub async fn row_heights(&self) -> Result<(f64, f64)> {
        let v = self
            .app
            .js(
                "const hs = Array.from(document.querySelectorAll('table tbody tr'))\
                   .map(tr => tr.getBoundingClientRect().height);\
                 return hs.length ? [Math.min(...hs), Math.max(...hs)] : null;",
            )
            .await?;
        match (v[0].as_f64(), v[1].as_f64()) {
            (Some(low), Some(tall)) => Ok((low, tall)),
            _ => Err(HarnessError::Unexpected(format!("no table rows: {v}"))),
        }
    }

    /// `(scrollWidth, clientWidth)` of the table's wrapper.
    pub async fn table_wrap_widths(&self) -> Result<(f64, f64)> {
        self.widths("document.querySelector('.wm-table-wrap')")
            .await
    }

    async fn widths(&self, element: &str) -> Result<(f64, f64)> {
        let v = self
            .app
            .js(&format!(
                "const e = {element}; return e ? [e.scrollWidth, e.clientWidth] : null;"
            ))
            .await?;
        match (v[0].as_f64(), v[1].as_f64()) {
            (Some(scroll), Some(client)) => Ok((scroll, client)),
            _ => Err(HarnessError::Unexpected(format!(
                "no widths for {element}: {v}"
            ))),
        }
    }

    /// Controls (buttons, inputs, selects) whose box reaches past the
    /// frame's right edge, by their text or label.
    pub async fn controls_past_the_edge(&self) -> Result<Vec<String>> {
        let v = self
            .app
            .js(
                "const w = document.documentElement.clientWidth;\
                 return Array.from(document.querySelectorAll('button, input, select, textarea'))\
                   .filter(c => !c.closest('.wm-table-wrap') && c.getClientRects().length)\
                   .filter(c => c.getBoundingClientRect().right > w + 1)\
                   .map(c => (c.getAttribute('aria-label') || c.textContent || c.outerHTML).trim().slice(0, 60));",
            )
            .await?;
        Ok(serde_json::from_value(v).unwrap_or_default())
    }

    /// Runs axe-core on the app's document with the WCAG 2 A/AA rules
    /// (colour contrast included) and returns what it found. axe is put
    /// into the frame through WebDriver (no page script loads it, so no
    /// content security policy has to allow it), once per page.
    pub async fn axe(&self) -> Result<AxeReport> {
        let loaded = self.app.js("return typeof window.axe;").await?;
        if loaded.as_str() != Some("object") {
            let path = axe_source_path();
            let source = std::fs::read_to_string(&path).map_err(|e| {
                HarnessError::Unexpected(format!(
                    "{}: {e}: run `npm ci` in e2e/ (or `cargo xtask setup`)",
                    path.display()
                ))
            })?;
            self.app
                .js(&format!("{source}\n;return typeof window.axe;"))
                .await?;
        }
        let tags = serde_json::to_string(&WCAG_AA_TAGS).unwrap_or_default();
        let found = self
            .app
            .js(&format!(
                "const brief = list => list.map(v => ({{ rule: v.id, impact: v.impact || '', help: v.help,\
                   nodes: v.nodes.map(n => [n.target.join(' '), n.failureSummary || '']) }}));\
                 return window.axe.run(document, {{ runOnly: {{ type: 'tag', values: {tags} }},\
                     resultTypes: ['violations', 'incomplete'] }})\
                   .then(r => ({{ violations: brief(r.violations), incomplete: brief(r.incomplete),\
                     passed: r.passes.map(p => p.id) }}));"
            ))
            .await?;
        let list = |key: &str| -> Vec<Violation> {
            found[key]
                .as_array()
                .map(|items| items.iter().map(violation).collect())
                .unwrap_or_default()
        };
        if !found.is_object() {
            return Err(HarnessError::Unexpected(format!("axe answered {found}")));
        }
        Ok(AxeReport {
            violations: list("violations"),
            incomplete: list("incomplete"),
            passed: serde_json::from_value(found["passed"].clone()).unwrap_or_default(),
        })
    }
}

/// What one axe run found.
#[derive(Debug, Clone, Default)]
pub struct AxeReport {
    /// Rules broken.
    pub violations: Vec<Violation>,
    /// Rules axe could not decide for some elements (to be checked by eye).
    pub incomplete: Vec<Violation>,
    /// Rules that applied to the page and passed.
    pub passed: Vec<String>,
}

fn violation(v: &Value) -> Violation {
    Violation {
        rule: v["rule"].as_str().unwrap_or_default().to_owned(),
        impact: v["impact"].as_str().unwrap_or_default().to_owned(),
        help: v["help"].as_str().unwrap_or_default().to_owned(),
        nodes: v["nodes"]
            .as_array()
            .map(|nodes| {
                nodes
                    .iter()
                    .map(|n| {
                        (
                            n[0].as_str().unwrap_or_default().to_owned(),
                            n[1].as_str().unwrap_or_default().to_owned(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_computed_colours_and_tells_dark_from_light() {
        let dark = Rgb::parse("rgb(38, 38, 38)").expect("rgb");
        assert!(dark.is_dark());
        let white = Rgb::parse("rgba(255, 255, 255, 1)").expect("rgba");
        assert!(!white.is_dark());
        assert!((white.luminance() - 1.0).abs() < 1e-9);
        assert_eq!(Rgb::parse("transparent"), None);
    }
}
