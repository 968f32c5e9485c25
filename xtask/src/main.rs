//! `cargo xtask`: the project's developer tasks: install the tools, run every
//! test layer, build the app, run the demo, run the benchmarks.
//!
//! `main` only reads the command line and dispatches; each task is a module.

mod app;
mod bench;
mod csp;
mod css;
mod demo;
mod deps;
mod package;
mod setup;
mod test;
mod tokens;
mod util;

use std::process::ExitCode;
use std::time::Instant;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use util::{Result, Workspace};

/// The project's developer tasks.
#[derive(Debug, Parser)]
#[command(
    name = "xtask",
    bin_name = "cargo xtask",
    arg_required_else_help = true
)]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

/// One task of `cargo xtask`.
#[derive(Debug, PartialEq, Eq, Subcommand)]
enum Task {
    /// Install or check every tool (trunk, wasm-bindgen-cli, wasm-opt,
    /// chromium, chromedriver, brotli, e2e npm packages) and the app's design
    /// tokens (npm @bitrix24/b24ui-nuxt); idempotent.
    Setup,
    /// Setup, then fmt, clippy, native tests, wasm browser tests, the app
    /// build and the end-to-end tests; stops at the first failure (CI skips
    /// none).
    Test {
        /// Layers to leave out, for a quick local loop: `--skip e2e,wasm`,
        /// `--skip=fmt`, or `--skip` repeated.
        #[arg(long, value_name = "LAYER", value_delimiter = ',')]
        skip: Vec<test::Layer>,
    },
    /// Release build of the app into dist/ (once it has a Trunk.toml).
    Build,
    /// The release build as target/workflow-monitor.zip, ready to upload to
    /// Bitrix24 as a static local application.
    Package,
    /// Build, then run the portal emulator; FLAGS go to the emulator, with
    /// or without `--` (e.g. cargo xtask demo -- --workflows 50 --latency-ms 300).
    Demo {
        /// The emulator's own flags.
        #[arg(
            value_name = "FLAGS",
            trailing_var_arg = true,
            allow_hyphen_values = true
        )]
        flags: Vec<String>,
    },
    /// Run the benchmarks (all, or those named); JSON in target/bench/.
    Bench {
        /// The benches to run (all when none is named).
        #[arg(value_name = "NAME")]
        names: Vec<String>,
        /// After `--`: flags for the benches, each given to the benches that take it.
        #[arg(last = true, value_name = "ARGS")]
        args: Vec<String>,
    },
}

impl Task {
    /// The task's name, as typed.
    fn name(&self) -> &'static str {
        match self {
            Task::Setup => "setup",
            Task::Test { .. } => "test",
            Task::Build => "build",
            Task::Package => "package",
            Task::Demo { .. } => "demo",
            Task::Bench { .. } => "bench",
        }
    }
}

/// The command line's definition, with the benches listed under the help.
fn command() -> clap::Command {
    let benches: Vec<String> = bench::BENCHES
        .iter()
        .map(|bench| format!("  {:<22}  {}", bench.name, bench.about))
        .collect();
    Cli::command().after_help(format!("Benches:\n{}", benches.join("\n")))
}

/// Reads `args` (the program name first) into the task to run.
fn parse(args: impl IntoIterator<Item = String>) -> std::result::Result<Task, clap::Error> {
    let matches = command().try_get_matches_from(args)?;
    Cli::from_arg_matches(&matches).map(|cli| cli.task)
}

fn main() -> ExitCode {
    let task = match parse(std::env::args()) {
        Ok(task) => task,
        // Help and version exit 0, a usage error 2, as clap prints them.
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(2));
        }
    };
    let name = task.name();
    let started = Instant::now();
    match dispatch(task) {
        Ok(()) => {
            // `test` ends on its own `tests: N passed, N failed` line, which
            // CI reads as the run's closing line; nothing may follow it.
            if name != "test" {
                println!(
                    "xtask {name}: finished in {}",
                    util::human_duration(started.elapsed())
                );
            }
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!(
                "xtask {name}: error after {}: {err}",
                util::human_duration(started.elapsed())
            );
            ExitCode::FAILURE
        }
    }
}

fn dispatch(task: Task) -> Result<()> {
    let ws = Workspace::locate()?;
    // Every step runs from the root, whatever folder cargo was called in,
    // and finds the pinned tools before any others (main is still the only
    // thread here, as `set_var` wants).
    std::env::set_current_dir(&ws.root).map_err(util::io_at(&ws.root))?;
    util::prepend_to_path(&setup::tool_path_dirs())?;
    match task {
        Task::Setup => setup::ensure(&ws.root, setup::EVERYTHING).map(drop),
        Task::Test { skip } => test::run_all(&ws, &skip),
        Task::Build => build(&ws),
        Task::Package => {
            build(&ws)?;
            let out = ws.target_dir.join("workflow-monitor.zip");
            let files = package::zip_dir(&app::dist_dir(&ws.root), &out)?;
            println!("package: {files} files in {}", out.display());
            Ok(())
        }
        Task::Demo { flags } => demo::run_demo(&ws, &flags),
        Task::Bench { names, args } => bench::run_benches(&ws, &bench::select(&names)?, &args),
    }
}

fn build(ws: &Workspace) -> Result<()> {
    if !app::has_trunk_setup(&ws.root)? {
        println!("build: the app has no build yet (no Trunk.toml and index.html at the root); nothing to do");
        return Ok(());
    }
    setup::ensure(&ws.root, setup::APP_BUILD)?;
    let (dist, _) = util::timed("build: app release build", || app::build(&ws.root))?;
    println!("build: the app is in {}", dist.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test::Layer;

    fn parsed(line: &str) -> std::result::Result<Task, clap::Error> {
        parse(
            std::iter::once("xtask")
                .chain(line.split_whitespace())
                .map(str::to_string),
        )
    }

    fn strings(words: &[&str]) -> Vec<String> {
        words.iter().map(|word| word.to_string()).collect()
    }

    #[test]
    fn reads_every_task_as_the_readme_and_ci_spell_it() {
        assert_eq!(parsed("setup").unwrap(), Task::Setup);
        assert_eq!(parsed("test").unwrap(), Task::Test { skip: vec![] });
        assert_eq!(parsed("build").unwrap(), Task::Build);
        assert_eq!(parsed("package").unwrap(), Task::Package);
        assert!(parsed("setup --fast").is_err(), "setup takes no arguments");
        assert!(parsed("build extra").is_err(), "build takes no arguments");
        assert!(parsed("deploy").is_err());
        assert!(parsed("").is_err(), "a task is required");
    }

    #[test]
    fn reads_skipped_layers_in_both_spellings() {
        assert_eq!(
            parsed("test --skip e2e,wasm --skip=fmt").unwrap(),
            Task::Test {
                skip: vec![Layer::E2e, Layer::Wasm, Layer::Fmt]
            }
        );
        assert_eq!(
            parsed("test --skip build").unwrap(),
            Task::Test {
                skip: vec![Layer::AppBuild]
            }
        );
        let err = parsed("test --skip lint").unwrap_err().to_string();
        assert!(err.contains("lint") && err.contains("e2e"), "{err}");
        assert!(parsed("test --fast").is_err());
    }

    #[test]
    fn splits_bench_names_from_bench_arguments() {
        assert_eq!(
            parsed("bench emulator -- --runs 5").unwrap(),
            Task::Bench {
                names: strings(&["emulator"]),
                args: strings(&["--runs", "5"])
            }
        );
        assert_eq!(
            parsed("bench app -- --soak-minutes=1").unwrap(),
            Task::Bench {
                names: strings(&["app"]),
                args: strings(&["--soak-minutes=1"])
            }
        );
        assert_eq!(
            parsed("bench").unwrap(),
            Task::Bench {
                names: vec![],
                args: vec![]
            }
        );
    }

    #[test]
    fn passes_demo_flags_with_or_without_dashes() {
        let flags = strings(&["--latency-ms", "100", "--workflows", "100000"]);
        assert_eq!(
            parsed("demo -- --latency-ms 100 --workflows 100000").unwrap(),
            Task::Demo {
                flags: flags.clone()
            }
        );
        assert_eq!(
            parsed("demo --latency-ms 100 --workflows 100000").unwrap(),
            Task::Demo { flags }
        );
        assert_eq!(parsed("demo").unwrap(), Task::Demo { flags: vec![] });
    }

    #[test]
    fn the_command_line_definition_is_consistent() {
        command().debug_assert();
    }
}
