//! `cargo xtask`: the project's developer tasks: install the tools, run every
//! test layer, build the app, run the demo, run the benchmarks.
//!
//! `main` only reads the command line and dispatches; each task is a module.

mod app;
mod bench;
mod csp;
mod css;
mod demo;
mod lockfile;
mod package;
mod setup;
mod test;
mod tokens;
mod util;

use std::process::ExitCode;
use std::time::Instant;

use util::{Error, Result, Workspace};

const USAGE: &str = "\
usage: cargo xtask <task> [args]

tasks:
  setup                   install or check every tool (trunk, wasm-bindgen-cli, wasm-opt,
                          chromium, chromedriver, brotli, e2e npm packages) and the
                          app's design tokens (npm @bitrix24/b24ui-nuxt); idempotent
  test [--skip LAYER,..]  setup, then fmt, clippy, native tests, wasm browser tests,
                          the app build and the end-to-end tests; stops at the first failure
                          (layers: setup fmt clippy native wasm build e2e; CI skips none)
  build                   release build of the app into dist/ (once it has a Trunk.toml)
  package                 the release build as target/workflow-monitor.zip, ready to upload
                          to Bitrix24 as a static local application
  demo [-- FLAGS]         build, then run the portal emulator; FLAGS go to the emulator
                          (e.g. cargo xtask demo -- --workflows 50 --latency-ms 300)
  bench [NAME..] [-- ARGS]
                          run the benchmarks (all, or those named); JSON in target/bench/
  help                    this text";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((task, rest)) = args.split_first() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    if matches!(task.as_str(), "help" | "-h" | "--help") {
        println!("{USAGE}");
        print_benches();
        return ExitCode::SUCCESS;
    }
    let started = Instant::now();
    match dispatch(task, rest) {
        Ok(()) => {
            // `test` ends on its own `tests: N passed, N failed` line, which
            // CI reads as the run's closing line; nothing may follow it.
            if task != "test" {
                println!(
                    "xtask {task}: finished in {}",
                    util::human_duration(started.elapsed())
                );
            }
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!(
                "xtask {task}: error after {}: {err}",
                util::human_duration(started.elapsed())
            );
            ExitCode::FAILURE
        }
    }
}

fn print_benches() {
    println!("\nbenches:");
    for bench in bench::BENCHES {
        println!("  {:<22}  {}", bench.name, bench.about);
    }
}

fn dispatch(task: &str, rest: &[String]) -> Result<()> {
    let ws = Workspace::locate()?;
    // Every step runs from the root, whatever folder cargo was called in,
    // and finds the pinned tools before any others (main is still the only
    // thread here, as `set_var` wants).
    std::env::set_current_dir(&ws.root).map_err(util::io_at(&ws.root))?;
    util::prepend_to_path(&setup::tool_path_dirs())?;
    match task {
        "setup" => {
            no_args(task, rest)?;
            setup::ensure(&ws.root, setup::EVERYTHING).map(drop)
        }
        "test" => test::run_all(&ws, rest),
        "build" => {
            no_args(task, rest)?;
            build(&ws)
        }
        "package" => {
            no_args(task, rest)?;
            build(&ws)?;
            let out = ws.target_dir.join("workflow-monitor.zip");
            let files = package::zip_dir(&app::dist_dir(&ws.root), &out)?;
            println!("package: {files} files in {}", out.display());
            Ok(())
        }
        "demo" => demo::run_demo(&ws, &after_dashes(rest)),
        "bench" => {
            let (names, extra) = split_at_dashes(rest);
            bench::run_benches(&ws, &bench::select(&names)?, &extra)
        }
        other => Err(Error::Unusable(format!("unknown task `{other}`\n{USAGE}"))),
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

fn no_args(task: &str, rest: &[String]) -> Result<()> {
    if rest.is_empty() {
        Ok(())
    } else {
        Err(Error::Unusable(format!(
            "`{task}` takes no arguments (got {})",
            rest.join(" ")
        )))
    }
}

/// The arguments before `--` and those after it.
fn split_at_dashes(args: &[String]) -> (Vec<String>, Vec<String>) {
    match args.iter().position(|arg| arg == "--") {
        Some(at) => (args[..at].to_vec(), args[at + 1..].to_vec()),
        None => (args.to_vec(), Vec::new()),
    }
}

/// Everything for the emulator: `demo -- --seed 3` and `demo --seed 3` alike.
fn after_dashes(args: &[String]) -> Vec<String> {
    match args.first() {
        Some(first) if first == "--" => args[1..].to_vec(),
        _ => args.to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(words: &[&str]) -> Vec<String> {
        words.iter().map(|word| word.to_string()).collect()
    }

    #[test]
    fn splits_bench_names_from_bench_arguments() {
        let (names, extra) = split_at_dashes(&strings(&["emulator", "--", "--seconds", "5"]));
        assert_eq!(names, strings(&["emulator"]));
        assert_eq!(extra, strings(&["--seconds", "5"]));
        let (names, extra) = split_at_dashes(&strings(&[]));
        assert!(names.is_empty() && extra.is_empty());
    }

    #[test]
    fn passes_demo_flags_with_or_without_dashes() {
        assert_eq!(
            after_dashes(&strings(&["--", "--seed", "3"])),
            strings(&["--seed", "3"])
        );
        assert_eq!(
            after_dashes(&strings(&["--seed", "3"])),
            strings(&["--seed", "3"])
        );
    }
}
