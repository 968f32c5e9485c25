//! Bitrix24's "air" design tokens, which the app's CSS is written on: the
//! global, light and dark token sheets (plain CSS custom properties) of the
//! npm package `@bitrix24/b24ui-nuxt` (MIT), fetched when the app is built
//! and never kept in git.
//!
//! Only three CSS files of the package are needed, not its Vue/Nuxt
//! dependency tree (about 220 packages, 210 MB), so `npm install` is not
//! used: `npm pack` fetches the pinned version's tarball through the
//! registry (npm checks it against the registry's integrity, and this
//! module checks that integrity against the pin, as a lock file would), and
//! the three files are joined, unchanged, under the package's licence into
//! [`VENDORED`] (git-ignored). Each build keeps the tokens `style/app.css`
//! uses from it (`src/css.rs`). Nothing is fetched when that file already
//! comes from the pinned version.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::setup::State;
use crate::util::{self, io_at, run, Error, Result};

/// The npm package with the tokens.
pub const PACKAGE: &str = "@bitrix24/b24ui-nuxt";
/// The pinned version (`npm view @bitrix24/b24ui-nuxt versions`).
pub const VERSION: &str = "2.13.0";
/// The registry's integrity of that version's tarball.
pub const INTEGRITY: &str =
    "sha512-jt3TscGdpTxGsDE70s3IEHGcikA/F5NaaTxDqQJDCh3OecOkjLSOqkfFmG6ofaP/gz5JogBF1iaPbHudxQyUVw==";
/// Where the token sheets are inside the tarball.
const TOKEN_DIR: &str = "package/dist/runtime/air-design-tokens";
/// The sheets the app uses, in cascade order: sizes, type, radii, spacing
/// and palettes; the light context (`:root`, `.light`); the dark context
/// (`.dark`). The edge, mobile and desktop variants are left out.
pub const FILES: &[&str] = &[
    "001_b24_global.css",
    "003_b24_context_light.css",
    "004_b24_context_dark.css",
];
/// The package's licence file inside the tarball.
const LICENSE: &str = "package/LICENSE";
/// The joined sheet, relative to the repository root.
pub const VENDORED: &str = "style/vendor/b24-air-tokens.css";

/// The first line of [`VENDORED`]: names the version and integrity it was
/// made from, so a changed pin makes it again. `/*!` marks a licence
/// comment that CSS minifiers keep.
pub fn header_line() -> String {
    format!("/*! {PACKAGE}@{VERSION} {INTEGRITY}")
}

/// Makes [`VENDORED`] from the pinned package unless it already is.
pub fn ensure(root: &Path) -> Result<State> {
    let out = root.join(VENDORED);
    let wanted = format!("{PACKAGE}@{VERSION}");
    let current = std::fs::read_to_string(&out).ok();
    if current.as_deref().is_some_and(is_current) {
        return Ok(State::Present(wanted));
    }
    if util::probe("npm", &["--version"]).is_none() {
        return Err(Error::Unusable(format!(
            "npm is needed to fetch the design tokens ({wanted}) and was not found"
        )));
    }
    // Inside this clone's target folder: two clones building at once must
    // not share a scratch folder.
    let scratch_dir = util::scratch_dir(&util::target_dir(root), "xtask-design-tokens")?;
    let scratch = scratch_dir.path();
    let packed = pack(scratch)?;
    let mut members: Vec<String> = FILES
        .iter()
        .map(|file| format!("{TOKEN_DIR}/{file}"))
        .collect();
    members.push(LICENSE.to_string());
    run(Command::new("tar")
        .arg("-xzf")
        .arg(&packed)
        .arg("-C")
        .arg(scratch)
        .args(&members))?;
    let read = |member: &str| {
        let path = scratch.join(member);
        std::fs::read_to_string(&path).map_err(io_at(&path))
    };
    let license = read(LICENSE)?;
    let mut sheets = Vec::new();
    for file in FILES {
        sheets.push((*file, read(&format!("{TOKEN_DIR}/{file}"))?));
    }
    let text = joined(&license, &sheets);
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir).map_err(io_at(dir))?;
    }
    std::fs::write(&out, text).map_err(io_at(&out))?;
    util::remove_scratch(scratch_dir);
    Ok(State::Installed(wanted))
}

/// Whether a vendored sheet comes from the pinned version.
pub fn is_current(text: &str) -> bool {
    text.lines().next() == Some(header_line().as_str())
}

/// `npm pack` of the pinned version into `dir`; the tarball's path, once
/// its integrity is the pinned one.
fn pack(dir: &Path) -> Result<PathBuf> {
    let spec = format!("{PACKAGE}@{VERSION}");
    let mut cmd = Command::new("npm");
    cmd.args(["pack", &spec, "--json", "--pack-destination"])
        .arg(dir);
    let command = util::describe(&cmd);
    println!("    $ {command}");
    let stdout = util::output(&mut cmd)?;
    let packed = packed_tarball(&stdout).ok_or_else(|| {
        Error::Unusable(format!("`{command}` did not report the tarball it wrote"))
    })?;
    if packed.integrity != INTEGRITY {
        return Err(Error::Unusable(format!(
            "{spec} from the registry has integrity {}, the pin in xtask/src/tokens.rs says {INTEGRITY}",
            packed.integrity
        )));
    }
    Ok(dir.join(packed.filename))
}

/// One tarball in `npm pack --json`'s answer (a list, one per package).
#[derive(Debug, PartialEq, Eq, serde::Deserialize)]
pub struct Packed {
    /// The registry's integrity of the tarball (`sha512-…`).
    pub integrity: String,
    /// The tarball's file name in the destination folder.
    pub filename: String,
}

/// The first tarball `npm pack --json` reports, if it reports one.
pub fn packed_tarball(json: &str) -> Option<Packed> {
    serde_json::from_str::<Vec<Packed>>(json)
        .ok()?
        .into_iter()
        .next()
}

/// The vendored sheet: the header with the licence, then each sheet as it
/// came, after a comment naming it.
pub fn joined(license: &str, sheets: &[(&str, String)]) -> String {
    // The licence text ends up inside a comment: it must not close it.
    let license = license.trim().replace("*/", "* /");
    let mut text = format!(
        "{}\n   Bitrix24 \"air\" design tokens from {}, taken by\n   `cargo xtask build` (xtask/src/tokens.rs, xtask/src/css.rs). Not in git.\n\n{license}\n*/\n",
        header_line(),
        TOKEN_DIR.trim_start_matches("package/")
    );
    for (name, css) in sheets {
        text.push_str(&format!("/* {name} */\n{}\n", css.trim_end()));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_integrity_and_file_name_from_npm_pack_json() {
        let json = r#"[
  {
    "id": "@bitrix24/b24ui-nuxt@2.13.0",
    "integrity": "sha512-abc==",
    "filename": "bitrix24-b24ui-nuxt-2.13.0.tgz",
    "files": []
  }
]"#;
        assert_eq!(
            packed_tarball(json),
            Some(Packed {
                integrity: "sha512-abc==".into(),
                filename: "bitrix24-b24ui-nuxt-2.13.0.tgz".into()
            })
        );
        assert_eq!(packed_tarball("[]"), None);
        assert_eq!(packed_tarball("npm ERR! 404"), None);
    }

    #[test]
    fn the_joined_sheet_carries_the_licence_and_names_its_version() {
        let text = joined(
            "MIT License\n\nCopyright (c) 2024 Bitrix24\n",
            &[("001_b24_global.css", ":root{--a:1}\n".to_string())],
        );
        assert!(is_current(&text));
        assert!(text.contains("Copyright (c) 2024 Bitrix24"));
        assert!(text.contains("/* 001_b24_global.css */\n:root{--a:1}\n"));
        let licence_end = text.find("*/").unwrap_or(0);
        assert!(licence_end > text.find("Copyright").unwrap_or(usize::MAX));
    }

    #[test]
    fn a_sheet_from_another_version_is_made_again() {
        assert!(!is_current("/*! @bitrix24/b24ui-nuxt@2.12.0 sha512-old\n"));
        assert!(!is_current(""));
    }
}
