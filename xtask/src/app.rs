//! The app's release build with Trunk (`cargo xtask build`, and before the
//! demo and the end-to-end tests), once the app has a Trunk setup:
//! `Trunk.toml` and `index.html` at the repository root.

use std::path::{Path, PathBuf};
use std::process::Command;

use base64::Engine as _;
use sha2::{Digest, Sha384};

use crate::csp;
use crate::css;
use crate::setup::{self, BINARYEN_VERSION};
use crate::tokens;
use crate::util::{self, io_at, run, Error, Result};

/// Whether the app has a Trunk setup to build. A `Trunk.toml` without an
/// `index.html` is a mistake worth stopping for; neither means "no build yet".
pub fn has_trunk_setup(root: &Path) -> Result<bool> {
    match (
        root.join("Trunk.toml").is_file(),
        root.join("index.html").is_file(),
    ) {
        (true, true) => Ok(true),
        (true, false) => Err(Error::Unusable(
            "Trunk.toml is there but index.html is not: Trunk has nothing to build".into(),
        )),
        (false, _) => Ok(false),
    }
}

/// Where the release build goes, and what the emulator's `--dist` serves.
pub fn dist_dir(root: &Path) -> PathBuf {
    root.join("dist")
}

/// `trunk build --release` into `dist/`, with the pinned tools first on PATH
/// (main put them there) and Trunk kept offline (pitfall 4), after making
/// the style sheet `index.html` links ([`css::BUILT`]). Assumes setup ran
/// for [`setup::APP_BUILD`] (which also vendors the design tokens).
pub fn build(root: &Path) -> Result<PathBuf> {
    let trunk_toml_path = root.join("Trunk.toml");
    let trunk_toml = std::fs::read_to_string(&trunk_toml_path).map_err(io_at(&trunk_toml_path))?;
    let wasm_bindgen = setup::app_wasm_bindgen_version(root)?;
    let problems = trunk_pin_problems(&trunk_toml, wasm_bindgen.as_deref());
    if !problems.is_empty() {
        return Err(Error::Unusable(format!(
            "Trunk.toml would make Trunk download tools, which fails here:\n  - {}",
            problems.join("\n  - ")
        )));
    }
    let tokens_path = root.join(tokens::VENDORED);
    let vendored = std::fs::read_to_string(&tokens_path).unwrap_or_default();
    if !tokens::is_current(&vendored) {
        return Err(Error::Unusable(format!(
            "{} is missing or from another version: `cargo xtask setup` (or `build`) fetches it",
            tokens_path.display()
        )));
    }
    let (kept, defined) = css::build(root)?;
    println!(
        "    CSS: {} = the {kept} of {defined} design tokens {} uses, and it, minified",
        css::BUILT,
        css::APP
    );
    // Offline mode passes --offline to cargo: every crate must be local first.
    run(util::cargo().arg("fetch"))?;
    let dist = dist_dir(root);
    run(Command::new("trunk")
        .args(["build", "--release", "--dist"])
        .arg(&dist))?;
    minify_glue(&dist)?;
    pin_csp(&dist)?;
    print_dist_sizes(&dist)?;
    Ok(dist)
}

/// Minifies Trunk's JS glue (wasm-bindgen's `--target web` module) with the
/// pinned terser, then gives `index.html` the minified file's integrity.
/// Trunk's own JS minifier (minify-js, `minify = "on_release"`) stays off:
/// it stops at the glue's `export default` and is known to drop getters
/// (trunk-rs/trunk#1044, #761), and it would minify every page script too.
fn minify_glue(dist: &Path) -> Result<()> {
    let mut scripts = Vec::new();
    for entry in std::fs::read_dir(dist).map_err(io_at(dist))? {
        let path = entry.map_err(io_at(dist))?.path();
        if path.extension().is_some_and(|ext| ext == "js") {
            scripts.push(path);
        }
    }
    let [glue] = scripts.as_slice() else {
        return Err(Error::Unusable(format!(
            "{} should hold one .js (the wasm-bindgen glue), not {}",
            dist.display(),
            scripts.len()
        )));
    };
    let name = glue
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| Error::Unusable(format!("{}: not a UTF-8 name", glue.display())))?;
    let before = std::fs::metadata(glue).map_err(io_at(glue))?.len();
    let minified = glue.with_extension("min.js");
    run(Command::new(setup::terser_bin())
        .arg(glue)
        .args(["--module", "--compress", "--mangle", "--output"])
        .arg(&minified))?;
    std::fs::rename(&minified, glue).map_err(io_at(glue))?;
    let text = std::fs::read(glue).map_err(io_at(glue))?;
    let index = dist.join("index.html");
    let html = std::fs::read_to_string(&index).map_err(io_at(&index))?;
    let page = repin_integrity(&html, name, &text)
        .map_err(|e| Error::Unusable(format!("{}: {e}", index.display())))?;
    std::fs::write(&index, page).map_err(io_at(&index))?;
    println!(
        "    JS: {name} minified by terser {}: {before} -> {} bytes",
        setup::TERSER_VERSION,
        text.len()
    );
    Ok(())
}

/// Why a page's `integrity` for a file could not be changed.
#[derive(Debug, PartialEq, Eq)]
pub enum IntegrityError {
    /// No `<link>` refers to the file.
    NoLink(String),
    /// The `<link>` to the file has no `sha384-` integrity.
    NoSha384(String),
    /// A `<link>` or an attribute is not closed.
    Unclosed,
}

impl std::fmt::Display for IntegrityError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IntegrityError::NoLink(name) => write!(f, "no <link> to {name}"),
            IntegrityError::NoSha384(name) => {
                write!(f, "the <link> to {name} has no sha384 integrity")
            }
            IntegrityError::Unclosed => f.write_str("a <link> or its integrity is not closed"),
        }
    }
}

/// `html` with the `integrity` of the `<link>` to `name` (Trunk writes a
/// `sha384-` one on its modulepreload) made that of `content`.
pub fn repin_integrity(
    html: &str,
    name: &str,
    content: &[u8],
) -> std::result::Result<String, IntegrityError> {
    const PREFIX: &str = "integrity=\"sha384-";
    let href = format!("/{name}\"");
    let mut from = 0;
    while let Some(at) = html[from..].find("<link").map(|i| from + i) {
        let end = html[at..]
            .find('>')
            .map(|i| at + i)
            .ok_or(IntegrityError::Unclosed)?;
        let tag = &html[at..end];
        if tag.contains(&href) || tag.contains(&format!("\"{name}\"")) {
            let value_at = tag
                .find(PREFIX)
                .map(|i| at + i + PREFIX.len())
                .ok_or_else(|| IntegrityError::NoSha384(name.to_string()))?;
            let value_len = html[value_at..].find('"').ok_or(IntegrityError::Unclosed)?;
            let digest = base64::engine::general_purpose::STANDARD.encode(Sha384::digest(content));
            return Ok(format!(
                "{}{digest}{}",
                &html[..value_at],
                &html[value_at + value_len..]
            ));
        }
        from = end;
    }
    Err(IntegrityError::NoLink(name.to_string()))
}

/// Adds the hash of Trunk's inline loader script to the page's
/// Content-Security-Policy (`xtask/src/csp.rs`).
fn pin_csp(dist: &Path) -> Result<()> {
    let index = dist.join("index.html");
    let html = std::fs::read_to_string(&index).map_err(io_at(&index))?;
    let (page, pinned) = csp::pin_inline_scripts(&html)
        .map_err(|e| Error::Unusable(format!("{}: {e}", index.display())))?;
    std::fs::write(&index, page).map_err(io_at(&index))?;
    println!("    CSP: script-src pins {pinned} inline script(s) by SHA-256");
    Ok(())
}

/// The settings of a `Trunk.toml` that decide whether Trunk downloads.
#[derive(Debug, Default, serde::Deserialize)]
struct TrunkToml {
    #[serde(default)]
    build: TrunkBuild,
    #[serde(default)]
    tools: TrunkTools,
}

#[derive(Debug, Default, serde::Deserialize)]
struct TrunkBuild {
    offline: Option<bool>,
}

#[derive(Debug, Default, serde::Deserialize)]
struct TrunkTools {
    wasm_bindgen: Option<String>,
    wasm_opt: Option<String>,
}

/// What in a `Trunk.toml` would make Trunk reach for the network: it must be
/// offline and pin exactly the wasm-bindgen in `Cargo.lock` and our wasm-opt.
pub fn trunk_pin_problems(trunk_toml: &str, lock_wasm_bindgen: Option<&str>) -> Vec<String> {
    let trunk: TrunkToml = match toml::from_str(trunk_toml) {
        Ok(trunk) => trunk,
        Err(err) => return vec![format!("Trunk.toml is not valid TOML: {err}")],
    };
    let mut problems = Vec::new();
    if trunk.build.offline != Some(true) {
        problems.push("[build] needs `offline = true`".to_string());
    }
    match (trunk.tools.wasm_bindgen.as_deref(), lock_wasm_bindgen) {
        (_, None) => problems.push(format!(
            "Cargo.lock has no wasm-bindgen under {}",
            setup::APP_PACKAGE
        )),
        (Some(pinned), Some(locked)) if pinned == locked => {}
        (pinned, Some(locked)) => problems.push(format!(
            "[tools] wasm_bindgen is {}, Cargo.lock has {locked}: they must be equal",
            pinned.unwrap_or("not set")
        )),
    }
    let wanted_opt = format!("version_{BINARYEN_VERSION}");
    if trunk.tools.wasm_opt.as_deref() != Some(wanted_opt.as_str()) {
        problems.push(format!("[tools] needs `wasm_opt = \"{wanted_opt}\"`"));
    }
    problems
}

fn print_dist_sizes(dist: &Path) -> Result<()> {
    let mut files: Vec<(String, u64)> = Vec::new();
    for entry in std::fs::read_dir(dist).map_err(io_at(dist))? {
        let entry = entry.map_err(io_at(dist))?;
        let meta = entry.metadata().map_err(io_at(&entry.path()))?;
        if meta.is_file() {
            files.push((entry.file_name().to_string_lossy().into_owned(), meta.len()));
        }
    }
    files.sort();
    println!("    {}:", dist.display());
    for (name, bytes) in files {
        println!("    {:>10.1} KB  {name}", bytes as f64 / 1024.0);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[build]
target = "index.html"
offline = true # never download

[tools]
wasm_bindgen = "0.2.130"
wasm_opt = "version_132"
"#;

    #[test]
    fn accepts_an_offline_trunk_toml_pinned_to_the_lock_file() {
        assert!(trunk_pin_problems(GOOD, Some("0.2.130")).is_empty());
    }

    #[test]
    fn reports_a_wasm_bindgen_pin_that_differs_from_the_lock_file() {
        let problems = trunk_pin_problems(GOOD, Some("0.2.131"));
        assert_eq!(
            problems,
            vec!["[tools] wasm_bindgen is 0.2.130, Cargo.lock has 0.2.131: they must be equal"]
        );
    }

    #[test]
    fn reports_a_trunk_toml_that_would_download() {
        let problems = trunk_pin_problems("[build]\ntarget = \"index.html\"\n", Some("0.2.130"));
        assert_eq!(problems.len(), 3, "{problems:?}");
    }

    #[test]
    fn repins_the_integrity_of_the_minified_glue() {
        let page = r#"<link rel="stylesheet" href="./app-1.css" integrity="sha384-CSS"/>
<script type="module">import init from './wm-2.js';</script>
<link rel="modulepreload" href="./wm-2.js" crossorigin="anonymous" integrity="sha384-OLD"><link rel="preload" href="./wm-2_bg.wasm" integrity="sha384-WASM" as="fetch">"#;
        let out = repin_integrity(page, "wm-2.js", b"abc").expect("repinned");
        // sha384("abc"), base64.
        let abc = "ywB1P0WjXou1oD1pmsZQBycsMqsO3tFjGotgWkP/W+2AhgcroefMI1i67KE0yCWn";
        assert_eq!(out, page.replace("sha384-OLD", &format!("sha384-{abc}")));
        assert_eq!(
            repin_integrity(page, "other.js", b"abc"),
            Err(IntegrityError::NoLink("other.js".to_string()))
        );
        let bare = r#"<link rel="modulepreload" href="./wm-2.js">"#;
        assert_eq!(
            repin_integrity(bare, "wm-2.js", b"abc"),
            Err(IntegrityError::NoSha384("wm-2.js".to_string()))
        );
    }

    #[test]
    fn the_repositorys_trunk_toml_is_offline_and_pinned() {
        let real = include_str!("../../Trunk.toml");
        assert!(trunk_pin_problems(real, Some("0.2.130")).len() <= 1);
        assert!(
            trunk_pin_problems(real, Some("0.0.0"))
                .iter()
                .all(|problem| problem.starts_with("[tools] wasm_bindgen is 0.")),
            "only the version compared with the lock may differ here"
        );
    }

    #[test]
    fn reads_values_only_from_their_own_section() {
        let text = "[serve]\noffline = true\n[build]\noffline = false\n[tools]\nwasm_bindgen = \"0.2.130\"\nwasm_opt = \"version_132\"\n";
        assert_eq!(
            trunk_pin_problems(text, Some("0.2.130")),
            vec!["[build] needs `offline = true`"]
        );
        assert_eq!(trunk_pin_problems("[build\n", Some("0.2.130")).len(), 1);
    }
}
