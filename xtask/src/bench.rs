//! `cargo xtask bench [NAME...] [-- ARGS]`: runs the benchmarks; each prints
//! its own table and writes its results as JSON under `target/bench/`.

use std::path::PathBuf;

use crate::util::{self, io_at, run, timed, Error, Result, Workspace};

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
}

/// Every benchmark, in the order `cargo xtask bench` runs them. The app's
/// own bench joins this list when it exists.
pub const BENCHES: &[Bench] = &[Bench {
    name: "emulator",
    about: "the portal emulator's REST API under load",
    package: "portal-emulator",
    bin: "emulator-bench",
    json: "emulator.json",
}];

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
    for bench in benches {
        let out = out_dir.join(bench.json);
        // Built first as a step of its own, so the bench's time is its own.
        timed(&format!("bench: build {}", bench.bin), || {
            run(util::cargo()
                .args(["build", "--profile", "tool", "-p", bench.package])
                .args(["--bin", bench.bin]))
        })?;
        let (_, took) = timed(&format!("bench: {}", bench.name), || {
            run(util::cargo()
                .args(["run", "--quiet", "--profile", "tool", "-p", bench.package])
                .args(["--bin", bench.bin, "--", "--out"])
                .arg(&out)
                .args(extra)
                .current_dir(&ws.root))
        })?;
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
}
