//! `cargo xtask bench [NAME...] [-- ARGS]`: runs the benchmarks; each prints
//! its own table and writes its results as JSON under `target/bench/`.

use std::path::PathBuf;

use crate::util::{self, io_at, run, timed, Error, Result, Workspace};
use crate::{app, setup};

/// A benchmark binary of the workspace.
#[derive(Debug, Clone, Copy)]
pub struct Bench {
    /// The name to select it with on the command line.
    pub name: &'static str,
    /// What it measures, for `cargo xtask help`.
    pub about: &'static str,
    /// The package holding the binary.
    pub package: &'static str,
    /// The binary, run with `--out FILE` and any extra arguments.
    pub bin: &'static str,
    /// The JSON file it writes, under `target/bench/`.
    pub json: &'static str,
    /// What must be installed or built first.
    pub needs: Needs,
    /// The flags it takes, each with one value (`--runs 3` or `--runs=3`):
    /// of the arguments after `--`, each bench gets its own.
    pub flags: &'static [&'static str],
}

/// The arguments of `extra` that `bench` takes; an error for a flag no
/// selected bench takes, so a typo is not silently dropped.
pub fn args_for(bench: &Bench, benches: &[Bench], extra: &[String]) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut it = extra.iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) => (flag, Some(value)),
            None => (arg.as_str(), None),
        };
        if !benches.iter().any(|b| b.flags.contains(&flag)) {
            return Err(Error::Unusable(format!(
                "no selected bench takes `{flag}`; they take: {}",
                benches
                    .iter()
                    .map(|b| format!("{} {}", b.name, b.flags.join(" ")))
                    .collect::<Vec<_>>()
                    .join("; ")
            )));
        }
        let value = match inline {
            Some(v) => v.to_owned(),
            None => it
                .next()
                .cloned()
                .ok_or_else(|| Error::Unusable(format!("`{flag}` needs a value")))?,
        };
        if bench.flags.contains(&flag) {
            out.push(flag.to_owned());
            out.push(value);
        }
    }
    Ok(out)
}

/// Every benchmark, in the order `cargo xtask bench` runs them: the
/// emulator's first, since the app's report quotes its figures.
pub const BENCHES: &[Bench] = &[
    Bench {
        name: "emulator",
        about: "the portal emulator's REST API under load",
        package: "portal-emulator",
        bin: "emulator-bench",
        json: "emulator.json",
        needs: Needs::Nothing,
        flags: &["--workflows", "--runs"],
    },
    Bench {
        name: "app",
        about: "the app's release build in the emulated portal, in headless Chromium, beside the official JS SDK",
        package: "e2e",
        bin: "app-bench",
        json: "app.json",
        needs: Needs::AppAndBrowser,
        flags: &["--runs", "--soak-minutes", "--only"],
    },
];

/// What a bench needs before it runs, prepared idempotently by xtask.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    /// Only its own binary.
    Nothing,
    /// Chromium, ChromeDriver, the e2e npm packages (the SDK) and the app's
    /// release build in `dist/`.
    AppAndBrowser,
}

/// The benches named (all when none is), or an error naming the unknown one.
pub fn select(names: &[String]) -> Result<Vec<Bench>> {
    if names.is_empty() {
        return Ok(BENCHES.to_vec());
    }
    names
        .iter()
        .map(|name| {
            BENCHES
                .iter()
                .find(|bench| bench.name == name)
                .copied()
                .ok_or_else(|| {
                    Error::Unusable(format!(
                        "no bench called `{name}`; there are: {}",
                        BENCHES
                            .iter()
                            .map(|b| b.name)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                })
        })
        .collect()
}

/// Runs the selected benches (tool profile: optimized, quick to build),
/// each with `extra` appended, and says where their JSON went.
pub fn run_benches(ws: &Workspace, benches: &[Bench], extra: &[String]) -> Result<()> {
    let out_dir = PathBuf::from("target").join("bench");
    let absolute_out_dir = ws.root.join(&out_dir);
    std::fs::create_dir_all(&absolute_out_dir).map_err(io_at(&absolute_out_dir))?;
    let mut written = Vec::new();
    if benches.iter().any(|b| b.needs == Needs::AppAndBrowser) {
        setup::ensure(&ws.root, setup::EVERYTHING)?;
        timed("bench: app release build", || app::build(&ws.root))?;
    }
    for bench in benches {
        let out = out_dir.join(bench.json);
        let own = args_for(bench, benches, extra)?;
        // Built first as a step of its own, so the bench's time is its own.
        timed(&format!("bench: build {}", bench.bin), || {
            run(util::cargo()
                .args(["build", "--profile", "tool", "-p", bench.package])
                .args(["--bin", bench.bin]))
        })?;
        let mut cmd = util::cargo();
        cmd.args(["run", "--quiet", "--profile", "tool", "-p", bench.package])
            .args(["--bin", bench.bin, "--", "--out"])
            .arg(&out)
            .args(&own)
            .current_dir(&ws.root);
        // Chromium's leftovers go to a folder of the bench's own (pitfall 7).
        let tmp = if bench.needs == Needs::AppAndBrowser {
            let tmp = util::scratch_dir(&ws.target_dir, "bench-tmp")?;
            cmd.env("CHROMEDRIVER", setup::CHROMEDRIVER)
                .env("TMPDIR", tmp.path());
            Some(tmp)
        } else {
            None
        };
        let ran = timed(&format!("bench: {}", bench.name), || run(&mut cmd));
        if let Some(tmp) = tmp {
            util::remove_scratch(tmp);
        }
        let (_, took) = ran?;
        written.push((bench.name, ws.root.join(&out), took));
    }
    println!();
    println!("bench results");
    for (name, path, took) in written {
        println!(
            "  {name:<12} {:>12}  {}",
            util::human_duration(took),
            path.display()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selects_every_bench_when_none_is_named() {
        let all = select(&[]).unwrap();
        assert_eq!(all.len(), BENCHES.len());
    }

    #[test]
    fn rejects_an_unknown_bench_naming_the_known_ones() {
        let err = select(&["nope".to_string()]).unwrap_err().to_string();
        assert!(err.contains("nope") && err.contains("emulator"), "{err}");
    }

    fn strings(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn gives_each_bench_only_the_flags_it_takes() {
        let extra = strings(&["--soak-minutes", "1", "--runs=3", "--workflows", "10"]);
        let [emulator, app] = [BENCHES[0], BENCHES[1]];
        assert_eq!(
            args_for(&app, BENCHES, &extra).unwrap(),
            strings(&["--soak-minutes", "1", "--runs", "3"])
        );
        assert_eq!(
            args_for(&emulator, BENCHES, &extra).unwrap(),
            strings(&["--runs", "3", "--workflows", "10"])
        );
        assert!(args_for(&app, BENCHES, &strings(&["--soak", "1"])).is_err());
        assert!(args_for(&app, BENCHES, &strings(&["--runs"])).is_err());
        // A flag of a bench that is not selected is an error too.
        assert!(args_for(&app, &[app], &strings(&["--workflows", "1"])).is_err());
    }

    #[test]
    fn runs_the_emulator_bench_before_the_app_bench_that_quotes_it() {
        let names: Vec<&str> = BENCHES.iter().map(|b| b.name).collect();
        assert_eq!(names, ["emulator", "app"]);
        assert_eq!(
            select(&["app".to_string()]).unwrap()[0].needs,
            Needs::AppAndBrowser
        );
    }
}
