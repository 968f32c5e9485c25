//! The app's benchmark (`cargo xtask bench app`, `src/bin/app-bench.rs`):
//! the pure parts (statistics, round trips, budgets, transfer sizes),
//! tested natively with `cargo test -p e2e --lib`, and the browser
//! readings it is made of.

pub mod browser;
pub mod budgets;
pub mod stats;
pub mod transfer;
pub mod waves;

use std::path::{Path, PathBuf};

use crate::{sdk_bundle, HarnessError, Result, Scratch};

/// Assembles the SDK side of the side-by-side in `<scratch>/sdk-bench`:
/// `sdk-page/bench.html` as its `index.html` and the SDK bundle beside it.
pub fn assemble_sdk_bench_dist(scratch: &Scratch) -> Result<PathBuf> {
    let bundle = sdk_bundle();
    if !bundle.is_file() {
        return Err(HarnessError::Unexpected(format!(
            "{} is missing: run `cargo xtask setup` (npm ci in e2e/)",
            bundle.display()
        )));
    }
    let dist = scratch.subdir("sdk-bench")?;
    let page = Path::new(env!("CARGO_MANIFEST_DIR")).join("sdk-page/bench.html");
    std::fs::copy(page, dist.join("index.html"))?;
    std::fs::copy(bundle, dist.join("b24jssdk.min.js"))?;
    Ok(dist)
}
