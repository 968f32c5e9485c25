//! `cargo xtask test`: setup, then every test layer in order, stopping at
//! the first that fails and naming it; a summary table of the layers ends
//! the run either way.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use crate::app;
use crate::setup::{self, APP_PACKAGE, CHROMEDRIVER, WASM_TARGET};
use crate::util::{self, io_at, run, timed, Error, Result, TestCounts, Workspace};

/// Each e2e test starts its own Chromium; two at a time keep both cores
/// busy without starving the browsers (the machine has 2 cores).
const E2E_TEST_THREADS: &str = "2";

/// One test layer, in the order they run; its `--skip` name is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Layer {
    Setup,
    Fmt,
    Clippy,
    Native,
    Wasm,
    #[value(name = "build")]
    AppBuild,
    E2e,
}

const LAYERS: &[Layer] = &[
    Layer::Setup,
    Layer::Fmt,
    Layer::Clippy,
    Layer::Native,
    Layer::Wasm,
    Layer::AppBuild,
    Layer::E2e,
];

impl Layer {
    fn as_str(self) -> &'static str {
        match self {
            Layer::Setup => "setup",
            Layer::Fmt => "fmt",
            Layer::Clippy => "clippy",
            Layer::Native => "native tests",
            Layer::Wasm => "wasm browser tests",
            Layer::AppBuild => "app release build",
            Layer::E2e => "end-to-end tests",
        }
    }

    fn run(self, ws: &Workspace) -> Result<Ran> {
        match self {
            Layer::Setup => setup::ensure(&ws.root, setup::EVERYTHING)
                .map(|_| Ran::Passed(TestCounts::default())),
            Layer::Fmt => cargo(&["fmt", "--all", "--", "--check"]),
            Layer::Clippy => cargo(&[
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ]),
            Layer::Native => {
                util::run_counting(util::cargo().args(["test", "--workspace", "--exclude", "e2e"]))
                    .map(Ran::Passed)
            }
            Layer::Wasm => wasm_tests(ws),
            Layer::AppBuild => {
                if app::has_trunk_setup(&ws.root)? {
                    app::build(&ws.root).map(|_| Ran::Passed(TestCounts::default()))
                } else {
                    Ok(Ran::Skipped("the app has no Trunk.toml yet".into()))
                }
            }
            Layer::E2e => e2e_tests(ws),
        }
    }
}

/// How a layer that did not fail ended; test layers count their tests.
enum Ran {
    Passed(TestCounts),
    Skipped(String),
}

/// A row of the summary table.
enum Row {
    Passed(Duration),
    Skipped(Duration, String),
    Failed(Duration),
    NotRun,
}

/// Runs every layer but those in `skips` (`--skip`, for a quick local
/// loop; CI never skips); an error names the layer that failed.
pub fn run_all(ws: &Workspace, skips: &[Layer]) -> Result<()> {
    let mut rows: Vec<(Layer, Row)> = Vec::new();
    let mut failure: Option<(Layer, Error)> = None;
    let mut counts = TestCounts::default();
    let started_all = std::time::Instant::now();
    for &layer in LAYERS {
        if failure.is_some() {
            rows.push((layer, Row::NotRun));
            continue;
        }
        if skips.contains(&layer) {
            println!("==> test layer: {}: skipped (--skip)", layer.as_str());
            rows.push((layer, Row::Skipped(Duration::ZERO, "--skip".into())));
            continue;
        }
        let started = std::time::Instant::now();
        match timed(&format!("test layer: {}", layer.as_str()), || layer.run(ws)) {
            Ok((Ran::Passed(ran), took)) => {
                counts += ran;
                rows.push((layer, Row::Passed(took)));
            }
            Ok((Ran::Skipped(reason), took)) => {
                println!("    {}: {reason}", layer.as_str());
                rows.push((layer, Row::Skipped(took, reason)));
            }
            Err(err) => {
                rows.push((layer, Row::Failed(started.elapsed())));
                failure = Some((layer, err));
            }
        }
    }
    print_summary(&rows);
    match failure {
        None => {
            println!(
                "xtask test: every layer passed or had nothing to run, in {}",
                util::human_duration(started_all.elapsed())
            );
            // The closing line, in the plain form CI reads in any language.
            println!(
                "tests: {} passed, {} failed, {} skipped",
                counts.passed, counts.failed, counts.ignored
            );
            Ok(())
        }
        Some((layer, err)) => Err(Error::Unusable(format!(
            "test layer `{}` failed: {err}",
            layer.as_str()
        ))),
    }
}

fn print_summary(rows: &[(Layer, Row)]) {
    println!();
    println!("test summary");
    let total: Duration = rows
        .iter()
        .map(|(_, row)| match row {
            Row::Passed(took) | Row::Skipped(took, _) | Row::Failed(took) => *took,
            Row::NotRun => Duration::ZERO,
        })
        .sum();
    for (layer, row) in rows {
        let (result, took, note) = match row {
            Row::Passed(took) => ("pass", util::human_duration(*took), String::new()),
            Row::Skipped(took, reason) => ("skip", util::human_duration(*took), reason.clone()),
            Row::Failed(took) => ("FAIL", util::human_duration(*took), String::new()),
            Row::NotRun => ("-", "-".to_string(), "not run".to_string()),
        };
        println!("  {:<20} {result:<5} {took:>12}  {note}", layer.as_str());
    }
    println!(
        "  {:<20} {:<5} {:>12}",
        "total",
        "",
        util::human_duration(total)
    );
    println!();
}

fn cargo(args: &[&str]) -> Result<Ran> {
    run(util::cargo().args(args))?;
    Ok(Ran::Passed(TestCounts::default()))
}

// ------------------------------------------------------------------ wasm --

/// The integration test targets (`tests/NAME.rs`) that hold browser tests:
/// the file, or the folder of modules beside it, mentions
/// `wasm_bindgen_test`.
fn browser_test_targets(root: &Path) -> Result<Vec<String>> {
    let tests = root.join("tests");
    if !tests.is_dir() {
        return Ok(Vec::new());
    }
    let mut targets = Vec::new();
    for entry in std::fs::read_dir(&tests).map_err(io_at(&tests))? {
        let path = entry.map_err(io_at(&tests))?.path();
        if path.extension().is_none_or(|ext| ext != "rs") {
            continue;
        }
        let Some(stem) = path.file_stem().and_then(|stem| stem.to_str()) else {
            continue;
        };
        if mentions_browser_tests(&path)? || mentions_browser_tests(&tests.join(stem))? {
            targets.push(stem.to_string());
        }
    }
    targets.sort();
    Ok(targets)
}

/// Whether a `.rs` file, or any `.rs` file under a folder, uses
/// wasm-bindgen-test. A missing path uses nothing.
fn mentions_browser_tests(path: &Path) -> Result<bool> {
    if path.is_dir() {
        for entry in std::fs::read_dir(path).map_err(io_at(path))? {
            if mentions_browser_tests(&entry.map_err(io_at(path))?.path())? {
                return Ok(true);
            }
        }
        return Ok(false);
    }
    if path.extension().is_none_or(|ext| ext != "rs") || !path.is_file() {
        return Ok(false);
    }
    let text = std::fs::read_to_string(path).map_err(io_at(path))?;
    Ok(uses_wasm_bindgen_test(&text))
}

/// Whether Rust source uses wasm-bindgen-test (outside line comments).
fn uses_wasm_bindgen_test(source: &str) -> bool {
    source
        .lines()
        .map(|line| line.split("//").next().unwrap_or(line))
        .any(|code| code.contains("wasm_bindgen_test"))
}

fn wasm_tests(ws: &Workspace) -> Result<Ran> {
    let targets = browser_test_targets(&ws.root)?;
    if targets.is_empty() {
        println!("    wasm layer: no browser tests yet");
        return Ok(Ran::Skipped("no browser tests yet".into()));
    }
    println!("    browser test targets: {}", targets.join(", "));
    // The REST client's browser tests talk to a real portal: an emulator
    // that lives as long as this layer (its process group stopped when `_emulator`
    // drops, whatever the outcome).
    let (_emulator, portal_url) = start_test_portal(ws)?;
    let mut cmd = util::cargo();
    // The runner adds headless and --no-sandbox itself; the rest of the flags
    // keep Chromium from reaching for outside hosts. A webdriver.json the app
    // keeps at its root wins.
    if !ws.root.join("webdriver.json").is_file() {
        let path = ws.target_dir.join("xtask-webdriver.json");
        std::fs::create_dir_all(&ws.target_dir).map_err(io_at(&ws.target_dir))?;
        std::fs::write(&path, webdriver_json()).map_err(io_at(&path))?;
        cmd.env("WASM_BINDGEN_TEST_WEBDRIVER_JSON", &path);
    }
    cmd.args(["test", "-p", APP_PACKAGE, "--target", WASM_TARGET]);
    for target in &targets {
        cmd.args(["--test", target]);
    }
    cmd.env(
        "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
        "wasm-bindgen-test-runner",
    )
    // Read at compile time (`option_env!`) by tests/rest_client.rs; cargo
    // rebuilds the test when it changes.
    .env(TEST_PORTAL_ENV, &portal_url);
    with_browser_env(ws, "wasm-tmp", cmd)
}

/// The variable that tells the browser tests where the portal is.
const TEST_PORTAL_ENV: &str = "WFM_TEST_PORTAL";

/// Builds the portal emulator (profile `tool`, shared with `cargo xtask
/// demo`) and starts it on free ports, without the leaky bucket so the
/// tests' pace never trips it. Returns it with its portal origin.
fn start_test_portal(ws: &Workspace) -> Result<(util::Background, String)> {
    run(util::cargo().args(crate::demo::emulator_cargo_args("build")))?;
    let exe = ws.target_dir.join("tool").join("portal-emulator");
    let mut cmd = Command::new(&exe);
    cmd.args([
        "--portal-addr",
        "127.0.0.1:0",
        "--app-addr",
        "127.0.0.1:0",
        "--rate",
        "0",
        "--workflows",
        "500",
    ]);
    let (emulator, url) = util::Background::start(
        "portal-emulator",
        &mut cmd,
        Duration::from_secs(60),
        portal_origin_in,
    )?;
    println!("    {TEST_PORTAL_ENV}={url}");
    Ok((emulator, url))
}

/// The portal origin in the emulator's startup line
/// `portal-emulator: REST API   http://127.0.0.1:PORT/rest/`.
fn portal_origin_in(line: &str) -> Option<String> {
    let rest = line.split("REST API").nth(1)?.trim();
    let origin = rest.strip_suffix("/rest/")?;
    origin.starts_with("http://").then(|| origin.to_string())
}

/// Chromium flags that work here (shared/toolchain.md), less the ones the
/// test runner adds and the user-data-dir chromedriver makes fresh in TMPDIR.
const CHROMIUM_FLAGS: &[&str] = &[
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

/// The capabilities wasm-bindgen-test-runner sends to chromedriver.
fn webdriver_json() -> String {
    let args: Vec<String> = CHROMIUM_FLAGS
        .iter()
        .map(|flag| format!("\"{flag}\""))
        .collect();
    format!(
        "{{\n  \"goog:chromeOptions\": {{\n    \"args\": [{}]\n  }}\n}}\n",
        args.join(", ")
    )
}

// ------------------------------------------------------------------- e2e --

fn e2e_tests(ws: &Workspace) -> Result<Ran> {
    let mut cmd = util::cargo();
    cmd.args([
        "test",
        "-p",
        "e2e",
        "--",
        "--test-threads",
        E2E_TEST_THREADS,
    ]);
    with_browser_env(ws, "e2e-tmp", cmd)
}

/// Runs a command that starts Chromium, with CHROMEDRIVER set and TMPDIR
/// pointed at a fresh folder of its own under the target folder, removed
/// afterwards: Chromium leaves `org.chromium.Chromium.*` folders behind
/// (pitfall 7).
fn with_browser_env(ws: &Workspace, tmp_name: &str, mut cmd: Command) -> Result<Ran> {
    let tmp = util::scratch_dir(&ws.target_dir, tmp_name)?;
    cmd.env("CHROMEDRIVER", CHROMEDRIVER)
        .env("TMPDIR", tmp.path());
    let result = util::run_counting(&mut cmd);
    util::remove_scratch(tmp);
    result.map(Ran::Passed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_chromium_flags_as_webdriver_capabilities() {
        let json = webdriver_json();
        assert!(
            json.starts_with("{\n  \"goog:chromeOptions\": {\n    \"args\": [\"--disable-gpu\", ")
        );
        assert!(json.contains("\"--disable-background-networking\""));
        assert!(json.trim_end().ends_with("]\n  }\n}"));
    }

    #[test]
    fn sees_wasm_bindgen_test_in_code_but_not_in_comments() {
        assert!(uses_wasm_bindgen_test(
            "use wasm_bindgen_test::*;\n#[wasm_bindgen_test]\nfn renders() {}"
        ));
        assert!(!uses_wasm_bindgen_test(
            "// later: wasm_bindgen_test in the browser\n#[test]\nfn sorts() {}"
        ));
    }

    #[test]
    fn finds_browser_test_targets_in_files_and_module_folders() {
        let root = tempfile::tempdir().unwrap();
        let tests = root.path().join("tests");
        std::fs::create_dir_all(tests.join("browser")).unwrap();
        std::fs::write(tests.join("native.rs"), "#[test]\nfn parses() {}\n").unwrap();
        std::fs::write(
            tests.join("components.rs"),
            "#[wasm_bindgen_test]\nfn a() {}\n",
        )
        .unwrap();
        std::fs::write(tests.join("browser.rs"), "mod table;\n").unwrap();
        std::fs::write(
            tests.join("browser").join("table.rs"),
            "use wasm_bindgen_test::wasm_bindgen_test;\n",
        )
        .unwrap();
        let found = browser_test_targets(root.path()).unwrap();
        assert_eq!(found, vec!["browser", "components"]);
    }

    #[test]
    fn reads_the_portal_origin_from_the_emulators_startup_lines() {
        assert_eq!(
            portal_origin_in("portal-emulator: REST API   http://127.0.0.1:40123/rest/"),
            Some("http://127.0.0.1:40123".to_string())
        );
        assert_eq!(
            portal_origin_in("portal-emulator: app host   http://127.0.0.1:40124/"),
            None
        );
        assert_eq!(
            portal_origin_in("portal-emulator: REST API   nonsense"),
            None
        );
    }

    #[test]
    fn finds_no_browser_tests_without_a_tests_folder() {
        let root = tempfile::tempdir().unwrap();
        assert!(browser_test_targets(root.path()).unwrap().is_empty());
    }
}
