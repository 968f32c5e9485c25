//! `cargo xtask setup`: installs every tool the builds and tests need, from
//! the registries this machine reaches (crates.io, npm, Debian), each only
//! when the installed version is missing or wrong.
//!
//! Pins and the reasons for them are in `shared/toolchain.md`: trunk 0.21.14
//! (0.22 needs a newer rustc), wasm-bindgen-cli equal to the `wasm-bindgen`
//! in `Cargo.lock` (installed from a patched copy, pitfall 2), wasm-opt from
//! npm `binaryen@132` (Debian's breaks the module, pitfall 3).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use semver::Version;

use crate::deps::{self, DependencyGraph};
use crate::tokens;
use crate::util::{self, io_at, probe, run, timed, version_in, Error, Result};

/// The trunk release that works with this machine's rustc.
pub const TRUNK_VERSION: &str = "0.21.14";
/// The npm `binaryen` major version whose wasm-opt we use.
pub const BINARYEN_VERSION: &str = "132";
/// The npm `terser` release that minifies the app's JS glue (`app.rs`).
pub const TERSER_VERSION: &str = "5.51.4";
/// The app crate, whose dependencies decide the wasm-bindgen version.
pub const APP_PACKAGE: &str = "workflow-monitor";
/// The browser tests' and the app's compile target.
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// Where Debian puts the driver; the e2e and wasm layers are given this path.
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// The newest webpki-roots the registry here serves (pitfall 2).
const WEBPKI_ROOTS_SERVED: Version = Version::new(1, 0, 10);
/// Debian binaries and the packages that bring them.
const DEBIAN_TOOLS: &[(&str, &str)] = &[
    ("chromium", "chromium"),
    ("chromedriver", "chromium-driver"),
    ("brotli", "brotli"),
];
/// Written into `e2e/node_modules` after `npm ci`: a copy of the lock file
/// it was installed from, so a changed lock file triggers a new `npm ci`.
const NPM_STAMP: &str = ".xtask-package-lock.json";

/// One thing `setup` makes sure of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    /// `rustup target add wasm32-unknown-unknown`.
    WasmTarget,
    /// The rustfmt and clippy components.
    RustComponents,
    /// Debian's chromium, chromium-driver and brotli.
    DebianPackages,
    /// trunk, pinned.
    Trunk,
    /// wasm-bindgen and wasm-bindgen-test-runner at the app's version.
    WasmBindgen,
    /// wasm-opt from npm binaryen.
    WasmOpt,
    /// terser from npm, for the app's JS glue.
    Terser,
    /// `npm ci` in e2e/.
    E2eNodeModules,
    /// Bitrix24's design tokens from npm, for the app's CSS.
    DesignTokens,
}

impl Tool {
    /// The name used in step headers and in the summary.
    pub fn as_str(self) -> &'static str {
        match self {
            Tool::WasmTarget => "wasm32 target",
            Tool::RustComponents => "rustfmt + clippy",
            Tool::DebianPackages => "chromium, chromedriver, brotli",
            Tool::Trunk => "trunk",
            Tool::WasmBindgen => "wasm-bindgen-cli",
            Tool::WasmOpt => "wasm-opt (npm binaryen)",
            Tool::Terser => "terser (npm)",
            Tool::E2eNodeModules => "e2e node_modules",
            Tool::DesignTokens => "design tokens (npm b24ui-nuxt)",
        }
    }
}

/// Everything, for `setup` and `test`.
pub const EVERYTHING: &[Tool] = &[
    Tool::WasmTarget,
    Tool::RustComponents,
    Tool::DebianPackages,
    Tool::Trunk,
    Tool::WasmBindgen,
    Tool::WasmOpt,
    Tool::Terser,
    Tool::E2eNodeModules,
    Tool::DesignTokens,
];

/// What a release build of the app with Trunk needs.
pub const APP_BUILD: &[Tool] = &[
    Tool::WasmTarget,
    Tool::Trunk,
    Tool::WasmBindgen,
    Tool::WasmOpt,
    Tool::Terser,
    Tool::DesignTokens,
];

/// What setup found or did for one tool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    /// Already installed at the right version (which is given).
    Present(String),
    /// Installed now (at the version given).
    Installed(String),
    /// Not needed by the repository as it is now (the reason is given).
    NotNeeded(String),
}

/// One line of the setup summary.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The tool.
    pub tool: Tool,
    /// What was found or done.
    pub state: State,
    /// How long checking (and installing) took.
    pub took: Duration,
}

/// The folders to put first on PATH so the pinned tools win: cargo's `bin`
/// (trunk, wasm-bindgen) and the npm binaryen's `.bin` (wasm-opt).
pub fn tool_path_dirs() -> Vec<PathBuf> {
    vec![util::cargo_home().join("bin"), binaryen_bin_dir()]
}

fn binaryen_dir() -> PathBuf {
    util::tools_dir().join(format!("binaryen-{BINARYEN_VERSION}"))
}

fn binaryen_bin_dir() -> PathBuf {
    binaryen_dir().join("node_modules").join(".bin")
}

fn terser_dir() -> PathBuf {
    util::tools_dir().join(format!("terser-{TERSER_VERSION}"))
}

/// The pinned terser (not put on PATH: `app.rs` calls it by this path).
pub fn terser_bin() -> PathBuf {
    terser_dir()
        .join("node_modules")
        .join(".bin")
        .join("terser")
}

/// Makes sure of each tool in turn, then prints a summary of versions.
pub fn ensure(root: &Path, tools: &[Tool]) -> Result<Vec<Outcome>> {
    let mut outcomes = Vec::new();
    for &tool in tools {
        let (state, took) = timed(&format!("setup: {}", tool.as_str()), || {
            let state = ensure_one(root, tool)?;
            println!("    {}", describe_state(&state));
            Ok(state)
        })?;
        outcomes.push(Outcome { tool, state, took });
    }
    print_summary(&outcomes);
    Ok(outcomes)
}

fn ensure_one(root: &Path, tool: Tool) -> Result<State> {
    match tool {
        Tool::WasmTarget => ensure_wasm_target(),
        Tool::RustComponents => ensure_components(),
        Tool::DebianPackages => ensure_debian_packages(),
        Tool::Trunk => ensure_trunk(),
        Tool::WasmBindgen => ensure_wasm_bindgen(root),
        Tool::WasmOpt => ensure_wasm_opt(),
        Tool::Terser => ensure_terser(),
        Tool::E2eNodeModules => ensure_e2e_node_modules(root),
        Tool::DesignTokens => tokens::ensure(root),
    }
}

fn describe_state(state: &State) -> String {
    match state {
        State::Present(version) => format!("{version}: already installed"),
        State::Installed(version) => format!("{version}: installed now"),
        State::NotNeeded(reason) => format!("not needed: {reason}"),
    }
}

fn print_summary(outcomes: &[Outcome]) {
    println!();
    println!("setup summary");
    for (name, args) in [
        ("rustc", ["--version"]),
        ("node", ["--version"]),
        ("npm", ["--version"]),
    ] {
        let version = probe(name, &args);
        let version = version
            .as_deref()
            .and_then(version_in)
            .unwrap_or("not found");
        println!(
            "  {name:<32} {:<18} {:>10}  {version}",
            "on the machine", ""
        );
    }
    for outcome in outcomes {
        let (state, version) = match &outcome.state {
            State::Present(version) => ("already installed", version.as_str()),
            State::Installed(version) => ("installed now", version.as_str()),
            State::NotNeeded(reason) => ("not needed", reason.as_str()),
        };
        println!(
            "  {:<32} {:<18} {:>10}  {version}",
            outcome.tool.as_str(),
            state,
            util::human_duration(outcome.took)
        );
    }
    println!(
        "  (xtask puts {} first on PATH for its steps)",
        tool_path_dirs()
            .iter()
            .map(|dir| dir.display().to_string())
            .collect::<Vec<_>>()
            .join(":")
    );
    println!();
}

// ---------------------------------------------------------------- rustup --

fn rustup_list(what: &str) -> Result<String> {
    probe("rustup", &[what, "list", "--installed"]).ok_or_else(|| {
        Error::Unusable(format!(
            "`rustup {what} list --installed` did not work: this project needs a rustup-managed toolchain"
        ))
    })
}

fn ensure_wasm_target() -> Result<State> {
    if rustup_list("target")?
        .lines()
        .any(|line| line.trim() == WASM_TARGET)
    {
        return Ok(State::Present(WASM_TARGET.into()));
    }
    run(Command::new("rustup").args(["target", "add", WASM_TARGET]))?;
    Ok(State::Installed(WASM_TARGET.into()))
}

/// The components of `wanted` that rustup's installed list lacks. Rustup
/// lists them with the host triple appended (`clippy-x86_64-unknown-linux-gnu`).
pub fn missing_components<'a>(installed: &str, wanted: &[&'a str]) -> Vec<&'a str> {
    wanted
        .iter()
        .copied()
        .filter(|name| {
            !installed.lines().map(str::trim).any(|line| {
                line == *name
                    || line
                        .strip_prefix(name)
                        .is_some_and(|rest| rest.starts_with('-') && !rest.starts_with("-preview"))
            })
        })
        .collect()
}

fn ensure_components() -> Result<State> {
    let missing = missing_components(&rustup_list("component")?, &["rustfmt", "clippy"]);
    let installed_any = !missing.is_empty();
    if installed_any {
        run(Command::new("rustup")
            .args(["component", "add"])
            .args(&missing))?;
    }
    let rustfmt = probe("rustfmt", &["--version"]);
    let clippy = probe("cargo", &["clippy", "--version"]);
    let version = format!(
        "rustfmt {}, clippy {}",
        rustfmt.as_deref().and_then(version_in).unwrap_or("?"),
        clippy.as_deref().and_then(version_in).unwrap_or("?")
    );
    Ok(if installed_any {
        State::Installed(version)
    } else {
        State::Present(version)
    })
}

// ---------------------------------------------------------------- Debian --

fn ensure_debian_packages() -> Result<State> {
    let missing: Vec<&str> = DEBIAN_TOOLS
        .iter()
        .filter(|(binary, _)| util::find_on_path(binary).is_none())
        .map(|(_, package)| *package)
        .collect();
    if !missing.is_empty() {
        println!("    missing: {}", missing.join(" "));
        run(apt_get()?.arg("update"))?;
        run(apt_get()?
            .args(["install", "-y", "--no-install-recommends"])
            .args(&missing))?;
    }
    let version = |binary: &str| {
        probe(binary, &["--version"])
            .as_deref()
            .and_then(version_in)
            .map(str::to_string)
            .unwrap_or_else(|| "?".into())
    };
    let (chromium, driver) = (version("chromium"), version("chromedriver"));
    if major(&chromium) != major(&driver) {
        println!("    warning: chromium {chromium} and chromedriver {driver} differ; the e2e tests may fail");
    }
    let versions = format!(
        "chromium {chromium}, chromedriver {driver}, brotli {}",
        version("brotli")
    );
    Ok(if missing.is_empty() {
        State::Present(versions)
    } else {
        State::Installed(versions)
    })
}

fn major(version: &str) -> &str {
    version.split('.').next().unwrap_or(version)
}

/// `apt-get` as root, or through sudo when we are not root. Without a
/// terminal (CI) sudo must not wait for a password, hence `-n`.
fn apt_get() -> Result<Command> {
    let is_root = probe("id", &["-u"]).as_deref() == Some("0");
    if is_root {
        let mut cmd = Command::new("apt-get");
        cmd.env("DEBIAN_FRONTEND", "noninteractive");
        return Ok(cmd);
    }
    if util::find_on_path("sudo").is_none() {
        return Err(Error::Unusable(
            "installing Debian packages needs root, and sudo is not available".into(),
        ));
    }
    let mut cmd = Command::new("sudo");
    if !std::io::stdin().is_terminal() {
        cmd.arg("-n");
    }
    cmd.args(["DEBIAN_FRONTEND=noninteractive", "apt-get"]);
    Ok(cmd)
}

// ----------------------------------------------------------------- trunk --

fn installed_version(program: &str) -> Option<String> {
    probe(program, &["--version"])
        .as_deref()
        .and_then(version_in)
        .map(str::to_string)
}

fn ensure_trunk() -> Result<State> {
    let found = installed_version("trunk");
    if found.as_deref() == Some(TRUNK_VERSION) {
        return Ok(State::Present(TRUNK_VERSION.into()));
    }
    println!(
        "    found {}; installing trunk {TRUNK_VERSION} (about 6 min on 2 cores)",
        found.as_deref().unwrap_or("no trunk")
    );
    run(util::cargo().args(["install", "--locked", "trunk", "--version", TRUNK_VERSION]))?;
    expect_version("trunk", TRUNK_VERSION)?;
    Ok(State::Installed(TRUNK_VERSION.into()))
}

fn expect_version(program: &str, wanted: &str) -> Result<()> {
    match installed_version(program) {
        Some(version) if version == wanted => Ok(()),
        other => Err(Error::Unusable(format!(
            "after installing, `{program} --version` reports {} instead of {wanted}; is another {program} earlier on PATH?",
            other.as_deref().unwrap_or("nothing")
        ))),
    }
}

// ---------------------------------------------------------- wasm-bindgen --

/// The `wasm-bindgen` version the app crate pulls in, as cargo resolves
/// the workspace (`cargo metadata`), or `None` while the app does not use it.
///
/// Only the app's own dependency tree counts: the emulator's chrono also
/// lists wasm-bindgen (for wasm32 targets), which must not make every fresh
/// machine spend minutes on a CLI nothing uses.
pub fn app_wasm_bindgen_version(root: &Path) -> Result<Option<String>> {
    wasm_bindgen_version_in(&DependencyGraph::of_workspace(root)?)
}

/// [`app_wasm_bindgen_version`] in a dependency graph.
pub fn wasm_bindgen_version_in(graph: &DependencyGraph) -> Result<Option<String>> {
    match graph
        .versions_reachable(APP_PACKAGE, "wasm-bindgen")
        .as_slice()
    {
        [] => Ok(None),
        [version] => Ok(Some(version.to_string())),
        several => Err(Error::Unusable(format!(
            "{APP_PACKAGE} pulls in several wasm-bindgen versions ({}); the CLI must match exactly one",
            several
                .iter()
                .map(Version::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

fn ensure_wasm_bindgen(root: &Path) -> Result<State> {
    let Some(version) = app_wasm_bindgen_version(root)? else {
        return Ok(State::NotNeeded(format!(
            "{APP_PACKAGE} does not depend on wasm-bindgen yet"
        )));
    };
    let cli = installed_version("wasm-bindgen");
    let runner = installed_version("wasm-bindgen-test-runner");
    if cli.as_deref() == Some(&version) && runner.as_deref() == Some(&version) {
        return Ok(State::Present(version));
    }
    println!(
        "    Cargo.lock wants {version}, found {}; installing wasm-bindgen-cli {version} (about 3 min)",
        cli.as_deref().unwrap_or("no wasm-bindgen")
    );
    install_wasm_bindgen_cli(&version)?;
    expect_version("wasm-bindgen", &version)?;
    expect_version("wasm-bindgen-test-runner", &version)?;
    Ok(State::Installed(version))
}

/// Pitfall 2: the crate's own lock file wants a webpki-roots the registry
/// here does not serve, so install from a copy whose lock is pinned back.
fn install_wasm_bindgen_cli(version: &str) -> Result<()> {
    let name = format!("wasm-bindgen-cli-{version}");
    let tools = util::tools_dir();
    std::fs::create_dir_all(&tools).map_err(io_at(&tools))?;
    let source = match registry_source(&name) {
        Some(source) => source,
        None => {
            // `cargo info` downloads and unpacks the crate into the registry
            // cache; run outside the workspace so its lock file plays no part.
            run(util::cargo()
                .args(["info", &format!("wasm-bindgen-cli@{version}")])
                .current_dir(&tools)
                .stdout(Stdio::null()))?;
            registry_source(&name).ok_or_else(|| {
                Error::Unusable(format!(
                    "`cargo info` ran but {name} is not under {}",
                    util::cargo_home().join("registry/src").display()
                ))
            })?
        }
    };
    // Outside the repository: a crate inside it would be taken for a
    // workspace member. The copy (and its target/ of several hundred MB) is
    // removed once installed, or when installing fails.
    let copy_dir = util::scratch_dir(&tools.join("src"), &name)?;
    let copy = copy_dir.path();
    println!("    copying {} to {}", source.display(), copy.display());
    util::copy_dir(&source, copy)?;
    let lock_path = copy.join("Cargo.lock");
    let lock_text = std::fs::read_to_string(&lock_path).map_err(io_at(&lock_path))?;
    if let Some(unserved) = webpki_roots_to_pin(&lock_text)? {
        run(util::cargo()
            .args(["update", "-p", &format!("webpki-roots@{unserved}")])
            .args(["--precise", &WEBPKI_ROOTS_SERVED.to_string()])
            .current_dir(copy))?;
    }
    run(util::cargo()
        .args(["install", "--locked", "--force", "--path"])
        .arg(copy))?;
    util::remove_scratch(copy_dir);
    Ok(())
}

/// The unpacked source of `name` (`crate-version`) in cargo's registry cache.
fn registry_source(name: &str) -> Option<PathBuf> {
    let registries = util::cargo_home().join("registry").join("src");
    std::fs::read_dir(registries)
        .ok()?
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.path().join(name))
        .find(|dir| dir.join("Cargo.toml").is_file())
}

/// The webpki-roots version in a lock file that is newer than the registry
/// here serves, if any (of the same major version: an older major is
/// served).
pub fn webpki_roots_to_pin(lock_text: &str) -> Result<Option<Version>> {
    Ok(deps::locked_versions(lock_text, "webpki-roots")?
        .into_iter()
        .find(|version| {
            version.major == WEBPKI_ROOTS_SERVED.major && *version > WEBPKI_ROOTS_SERVED
        }))
}

// ------------------------------------------------------- npm-based tools --

/// A command-line tool installed from npm into a folder of its own under
/// [`util::tools_dir`], at a pinned version.
struct NpmTool {
    /// The npm package.
    package: &'static str,
    /// The pinned version, as the tool's `--version` reports it.
    version: &'static str,
    /// The folder npm installs into (`--prefix`).
    dir: PathBuf,
    /// The tool's executable in that folder.
    bin: PathBuf,
    /// Why the project needs it, for the error when npm is missing.
    needed_for: &'static str,
}

/// Installs `tool` with npm unless its executable already reports the
/// pinned version; checks the version again afterwards.
fn ensure_npm_tool(tool: &NpmTool) -> Result<State> {
    let found = || {
        probe(&tool.bin, &["--version"])
            .as_deref()
            .and_then(version_in)
            .map(str::to_string)
    };
    if found().as_deref() == Some(tool.version) {
        return Ok(State::Present(tool.version.into()));
    }
    if probe("npm", &["--version"]).is_none() {
        return Err(Error::Unusable(format!(
            "npm is needed for {}, {}, and was not found",
            tool.package, tool.needed_for
        )));
    }
    std::fs::create_dir_all(&tool.dir).map_err(io_at(&tool.dir))?;
    run(Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--prefix"])
        .arg(&tool.dir)
        .arg(format!("{}@{}", tool.package, tool.version)))?;
    match found() {
        Some(version) if version == tool.version => Ok(State::Installed(version)),
        other => Err(Error::Unusable(format!(
            "{} reports version {} after installing {}@{}",
            tool.bin.display(),
            other.as_deref().unwrap_or("nothing"),
            tool.package,
            tool.version
        ))),
    }
}

fn ensure_wasm_opt() -> Result<State> {
    ensure_npm_tool(&NpmTool {
        package: "binaryen",
        version: BINARYEN_VERSION,
        dir: binaryen_dir(),
        bin: binaryen_bin_dir().join("wasm-opt"),
        needed_for: "whose wasm-opt shrinks the app's wasm",
    })
}

fn ensure_terser() -> Result<State> {
    ensure_npm_tool(&NpmTool {
        package: "terser",
        version: TERSER_VERSION,
        dir: terser_dir(),
        bin: terser_bin(),
        needed_for: "which minifies the app's JS glue",
    })
}

// ------------------------------------------------------------------- npm --

/// Whether `npm ci` must run: no `node_modules`, or it was installed from
/// another lock file than the current one (or not by us).
pub fn npm_ci_needed(lock: &str, node_modules_exists: bool, stamp: Option<&str>) -> bool {
    !node_modules_exists || stamp != Some(lock)
}

fn ensure_e2e_node_modules(root: &Path) -> Result<State> {
    let e2e = root.join("e2e");
    let lock_path = e2e.join("package-lock.json");
    if !lock_path.is_file() {
        return Ok(State::NotNeeded("e2e/ has no package-lock.json yet".into()));
    }
    let lock = std::fs::read_to_string(&lock_path).map_err(io_at(&lock_path))?;
    let modules = e2e.join("node_modules");
    let stamp_path = modules.join(NPM_STAMP);
    let stamp = std::fs::read_to_string(&stamp_path).ok();
    let state = "in step with package-lock.json".to_string();
    if !npm_ci_needed(&lock, modules.is_dir(), stamp.as_deref()) {
        return Ok(State::Present(state));
    }
    run(Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&e2e))?;
    std::fs::write(&stamp_path, &lock).map_err(io_at(&stamp_path))?;
    Ok(State::Installed(state))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_rustup_components_by_name_prefix() {
        let installed = "cargo-x86_64-unknown-linux-gnu\nclippy-x86_64-unknown-linux-gnu\nrust-std-x86_64-unknown-linux-gnu\n";
        assert_eq!(
            missing_components(installed, &["rustfmt", "clippy"]),
            vec!["rustfmt"]
        );
        assert!(missing_components(
            "rustfmt-x86_64-unknown-linux-gnu\nclippy-x86_64-unknown-linux-gnu",
            &["rustfmt", "clippy"]
        )
        .is_empty());
    }

    fn graph(packages: &[(&str, &[&str])]) -> DependencyGraph {
        // `cargo metadata`'s shape; ids are `name@version`.
        let id = |name: &str| format!("\"{name}@0.1.0\"");
        let packages_json: Vec<String> = packages
            .iter()
            .map(|(name, _)| {
                format!(
                    "{{\"id\": {}, \"name\": \"{name}\", \"version\": \"0.1.0\"}}",
                    id(name)
                )
            })
            .collect();
        let nodes_json: Vec<String> = packages
            .iter()
            .map(|(name, deps)| {
                let deps: Vec<String> = deps.iter().map(|dep| id(dep)).collect();
                format!(
                    "{{\"id\": {}, \"dependencies\": [{}]}}",
                    id(name),
                    deps.join(", ")
                )
            })
            .collect();
        let json = format!(
            "{{\"packages\": [{}], \"resolve\": {{\"nodes\": [{}]}}}}",
            packages_json.join(", "),
            nodes_json.join(", ")
        );
        DependencyGraph::from_json(&json).unwrap()
    }

    #[test]
    fn reads_the_app_wasm_bindgen_version_from_the_graph() {
        let graph = graph(&[
            ("leptos", &["wasm-bindgen"]),
            ("wasm-bindgen", &[]),
            ("workflow-monitor", &["leptos"]),
        ]);
        assert_eq!(
            wasm_bindgen_version_in(&graph).ok().flatten().as_deref(),
            Some("0.1.0")
        );
    }

    #[test]
    fn needs_no_wasm_bindgen_while_only_the_emulator_pulls_it_in() {
        let graph = graph(&[
            ("chrono", &["wasm-bindgen"]),
            ("portal-emulator", &["chrono"]),
            ("wasm-bindgen", &[]),
            ("workflow-monitor", &[]),
        ]);
        assert_eq!(wasm_bindgen_version_in(&graph).ok().flatten(), None);
    }

    #[test]
    fn pins_back_only_a_webpki_roots_newer_than_served() {
        let lock = |version: &str| {
            format!("[[package]]\nname = \"webpki-roots\"\nversion = \"{version}\"\n")
        };
        assert_eq!(
            webpki_roots_to_pin(&lock("1.0.11")).unwrap(),
            Some(Version::new(1, 0, 11))
        );
        assert_eq!(webpki_roots_to_pin(&lock("1.0.10")).unwrap(), None);
        assert_eq!(webpki_roots_to_pin(&lock("0.26.11")).unwrap(), None);
        assert_eq!(
            webpki_roots_to_pin("[[package]]\nname = \"other\"\nversion = \"1.0.11\"\n").unwrap(),
            None
        );
    }

    #[test]
    fn runs_npm_ci_only_when_node_modules_is_missing_or_stale() {
        let lock = "{\"lockfileVersion\": 3}";
        assert!(npm_ci_needed(lock, false, None));
        assert!(
            npm_ci_needed(lock, true, None),
            "installed by hand: not known to match"
        );
        assert!(npm_ci_needed(lock, true, Some("{\"lockfileVersion\": 2}")));
        assert!(!npm_ci_needed(lock, true, Some(lock)));
    }
}
