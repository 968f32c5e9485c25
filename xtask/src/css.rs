//! The release build's style sheet: Bitrix24's design tokens the app uses,
//! then the app's own styles, minified into one file ([`BUILT`]) that
//! `index.html` links. Made on every `cargo xtask build`, before Trunk runs.
//!
//! The vendored token sheet ([`tokens::VENDORED`]) defines 1,075 custom
//! properties for every component of the design system; `style/app.css`
//! uses a few dozen. Only the tokens `style/app.css` refers to are kept,
//! together with every token those refer to (`--ui-a: var(--ui-b)` keeps
//! `--ui-b`), in every context (`:root`, `.light`, `.dark`, ...). Both
//! sheets are read by lightningcss, the CSS parser and minifier Trunk
//! itself uses, so a `var()` is found wherever CSS allows one (fallbacks
//! included), not by matching text. A variable `style/app.css` refers to
//! that neither sheet defines stops the build: it would silently fall back
//! to the property's initial value in the browser.
//!
//! The token sheet's licence comment (`/*! ... */`) is kept; the app's own
//! comments are not.

use std::collections::{BTreeMap, BTreeSet};
use std::convert::Infallible;
use std::fmt;
use std::path::Path;

use lightningcss::declaration::DeclarationBlock;
use lightningcss::properties::custom::{CustomPropertyName, Variable};
use lightningcss::properties::Property;
use lightningcss::stylesheet::{MinifyOptions, ParserOptions, PrinterOptions, StyleSheet};
use lightningcss::visit_types;
use lightningcss::visitor::{Visit, VisitTypes, Visitor};

use crate::tokens;
use crate::util::{io_at, Error, Result};

/// The app's own styles, relative to the repository root.
pub const APP: &str = "style/app.css";
/// The built sheet `index.html` links (git-ignored), relative to the root.
pub const BUILT: &str = "style/built/app.css";

/// Why the sheets could not be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CssError {
    /// A sheet is not CSS lightningcss can read.
    Parse {
        sheet: &'static str,
        message: String,
    },
    /// lightningcss could not minify or print a sheet.
    Print {
        sheet: &'static str,
        message: String,
    },
    /// `style/app.css` refers to variables that no sheet defines.
    Undefined(Vec<String>),
}

impl fmt::Display for CssError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CssError::Parse { sheet, message } => write!(f, "{sheet} is not valid CSS: {message}"),
            CssError::Print { sheet, message } => {
                write!(f, "could not minify {sheet}: {message}")
            }
            CssError::Undefined(names) => write!(
                f,
                "{APP} uses {}, which neither it nor the design tokens define",
                names.join(", ")
            ),
        }
    }
}

/// Writes [`BUILT`] from the vendored tokens and [`APP`]; returns how many
/// of the token sheet's custom properties were kept, and how many it has.
pub fn build(root: &Path) -> Result<(usize, usize)> {
    let read = |relative: &str| {
        let path = root.join(relative);
        std::fs::read_to_string(&path).map_err(io_at(&path))
    };
    let tokens_css = read(tokens::VENDORED)?;
    let app_css = read(APP)?;
    let built = bundle(&tokens_css, &app_css).map_err(|e| Error::Unusable(e.to_string()))?;
    let out = root.join(BUILT);
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir).map_err(io_at(dir))?;
    }
    std::fs::write(&out, built.css).map_err(io_at(&out))?;
    Ok((built.kept, built.defined))
}

/// The built sheet and what was kept of the tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bundle {
    /// The tokens `app_css` needs, then `app_css`, minified.
    pub css: String,
    /// Custom properties of the token sheet kept.
    pub kept: usize,
    /// Custom properties the token sheet defines.
    pub defined: usize,
}

/// The tokens `app_css` needs (and those they need), then `app_css`, both
/// minified, in that order (the cascade order of two linked sheets).
pub fn bundle(tokens_css: &str, app_css: &str) -> std::result::Result<Bundle, CssError> {
    const TOKENS: &str = "the design token sheet";
    let parse_error = |sheet: &'static str| {
        move |e: lightningcss::error::Error<lightningcss::error::ParserError<'_>>| CssError::Parse {
            sheet,
            message: e.to_string(),
        }
    };
    let mut tokens_sheet =
        StyleSheet::parse(tokens_css, ParserOptions::default()).map_err(parse_error(TOKENS))?;
    let mut app_sheet =
        StyleSheet::parse(app_css, ParserOptions::default()).map_err(parse_error(APP))?;

    let mut app_refs = References::default();
    visit(&mut app_sheet, &mut app_refs);
    let mut token_refs = References::default();
    visit(&mut tokens_sheet, &mut token_refs);

    let mut undefined: Vec<String> = app_refs
        .used
        .iter()
        .filter(|name| {
            !app_refs.defined.contains_key(*name) && !token_refs.defined.contains_key(*name)
        })
        .cloned()
        .collect();
    undefined.sort();
    if !undefined.is_empty() {
        return Err(CssError::Undefined(undefined));
    }

    let keep = closure(&app_refs.used, &token_refs.defined);
    let kept = token_refs
        .defined
        .keys()
        .filter(|name| keep.contains(*name))
        .count();
    let mut shake = Shake { keep: &keep };
    let Ok(()) = tokens_sheet.visit(&mut shake);

    let tokens_min = minified(tokens_sheet, TOKENS)?;
    let app_min = minified(app_sheet, APP)?;
    Ok(Bundle {
        css: format!("{tokens_min}\n{app_min}\n"),
        kept,
        defined: token_refs.defined.len(),
    })
}

fn visit<'i>(sheet: &mut StyleSheet<'i, '_>, refs: &mut References) {
    let Ok(()) = sheet.visit(refs);
}

fn minified(
    mut sheet: StyleSheet<'_, '_>,
    name: &'static str,
) -> std::result::Result<String, CssError> {
    let print_error = |message: String| CssError::Print {
        sheet: name,
        message,
    };
    sheet
        .minify(MinifyOptions::default())
        .map_err(|e| print_error(e.to_string()))?;
    let printed = sheet
        .to_css(PrinterOptions {
            minify: true,
            ..PrinterOptions::default()
        })
        .map_err(|e| print_error(e.to_string()))?;
    Ok(printed.code)
}

/// Every custom property `roots` reaches through the definitions' `var()`s.
fn closure(
    roots: &BTreeSet<String>,
    defined: &BTreeMap<String, BTreeSet<String>>,
) -> BTreeSet<String> {
    let mut keep = BTreeSet::new();
    let mut todo: Vec<&String> = roots.iter().collect();
    while let Some(name) = todo.pop() {
        if keep.insert(name.clone()) {
            todo.extend(defined.get(name).into_iter().flatten());
        }
    }
    keep
}

/// What a sheet defines and refers to: each custom property with the
/// variables its values refer to (over all the rules that set it), and
/// every variable referred to anywhere.
#[derive(Debug, Default)]
struct References {
    defined: BTreeMap<String, BTreeSet<String>>,
    used: BTreeSet<String>,
    /// The custom property whose value is being visited.
    inside: Option<String>,
}

impl<'i> Visitor<'i> for References {
    type Error = Infallible;

    fn visit_types(&self) -> VisitTypes {
        visit_types!(PROPERTIES | VARIABLES)
    }

    fn visit_property(
        &mut self,
        property: &mut Property<'i>,
    ) -> std::result::Result<(), Infallible> {
        self.inside = match property {
            Property::Custom(custom) => match &custom.name {
                CustomPropertyName::Custom(name) => {
                    let name = name.0.to_string();
                    self.defined.entry(name.clone()).or_default();
                    Some(name)
                }
                CustomPropertyName::Unknown(_) => None,
            },
            _ => None,
        };
        let visited = property.visit_children(self);
        self.inside = None;
        visited
    }

    fn visit_variable(&mut self, var: &mut Variable<'i>) -> std::result::Result<(), Infallible> {
        let name = var.name.ident.0.to_string();
        if let Some(inside) = &self.inside {
            self.defined
                .entry(inside.clone())
                .or_default()
                .insert(name.clone());
        }
        self.used.insert(name);
        var.visit_children(self)
    }
}

/// Drops every custom property not in `keep` from every rule.
struct Shake<'k> {
    keep: &'k BTreeSet<String>,
}

impl Shake<'_> {
    fn wanted(&self, property: &Property<'_>) -> bool {
        match property {
            Property::Custom(custom) => match &custom.name {
                CustomPropertyName::Custom(name) => self.keep.contains(name.0.as_ref()),
                CustomPropertyName::Unknown(_) => true,
            },
            _ => true,
        }
    }
}

impl<'i> Visitor<'i> for Shake<'_> {
    type Error = Infallible;

    fn visit_types(&self) -> VisitTypes {
        visit_types!(PROPERTIES)
    }

    fn visit_declaration_block(
        &mut self,
        decls: &mut DeclarationBlock<'i>,
    ) -> std::result::Result<(), Infallible> {
        decls.declarations.retain(|p| self.wanted(p));
        decls.important_declarations.retain(|p| self.wanted(p));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKENS: &str = "/*! tokens 1.0 (MIT) */
@layer theme{:root{--ui-a:1px;--ui-b:var(--ui-c);--ui-c:red;--ui-d:var(--ui-e, var(--ui-f));--ui-e:0;--ui-f:0;--ui-unused:blue;--ui-g:var(--ui-unused-too)}}
@layer theme{.dark{--ui-c:black;--ui-unused:white}}
";

    #[test]
    fn keeps_the_tokens_the_app_uses_and_those_they_refer_to() {
        let app = "/* the app */ :root { --wm-x: var(--ui-b); }
.wm-box { margin: var(--ui-a); padding: var(--wm-x) }
.wm-gap { gap: var(--ui-missing-with-fallback, var(--ui-d)); }";
        let err = bundle(TOKENS, app).expect_err("--ui-missing-with-fallback is defined nowhere");
        assert_eq!(
            err,
            CssError::Undefined(vec!["--ui-missing-with-fallback".to_string()])
        );

        let app = app.replace("--ui-missing-with-fallback", "--ui-a");
        let built = bundle(TOKENS, &app).expect("builds");
        let css = &built.css;
        for kept in [
            "--ui-a:",
            "--ui-b:",
            "--ui-c:red",
            "--ui-c:black",
            "--ui-d:",
            "--ui-e:",
            "--ui-f:",
        ] {
            assert!(css.contains(kept), "{kept} missing from {css}");
        }
        for dropped in ["--ui-unused", "--ui-g"] {
            assert!(!css.contains(dropped), "{dropped} kept in {css}");
        }
        assert_eq!((built.kept, built.defined), (6, 8));
        assert!(css.starts_with("/*! tokens 1.0 (MIT) */"), "{css}");
        assert!(!css.contains("the app"), "the app's comments go: {css}");
        assert!(
            css.find("--ui-a:").unwrap_or(usize::MAX) < css.find(".wm-box").unwrap_or(0),
            "tokens first: {css}"
        );
    }

    #[test]
    fn stops_at_a_sheet_it_cannot_read() {
        for bad in [".wm-box{color:red !importan}", "@media (", "a{width:calc(}"] {
            let err = bundle(TOKENS, bad).expect_err(bad);
            assert!(
                matches!(err, CssError::Parse { sheet: APP, .. }),
                "{bad}: {err:?}"
            );
        }
        let err = bundle("@media (", ".wm-box{}").expect_err("tokens");
        assert!(matches!(err, CssError::Parse { .. }), "{err:?}");
    }

    #[test]
    fn the_built_sheet_for_the_vendored_tokens_keeps_their_licence() {
        let license = "Permission is hereby granted, free of charge";
        let text = tokens::joined(
            &format!("MIT License\n\n{license}\n"),
            &[(
                "001_b24_global.css",
                ":root{--ui-a:var(--ui-b);--ui-b:2px;--ui-z:3px}".to_string(),
            )],
        );
        let built = bundle(&text, ".wm-box{margin:var(--ui-a)}").expect("builds");
        assert!(built.css.contains(license), "{}", built.css);
        assert!(
            built.css.contains(&tokens::header_line()[3..]),
            "{}",
            built.css
        );
        assert_eq!((built.kept, built.defined), (2, 3));
    }
}
