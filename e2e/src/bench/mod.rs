//! The app's benchmark (`cargo xtask bench app`, `src/bin/app-bench.rs`):
//! the pure parts (statistics, round trips, budgets, transfer sizes),
//! tested natively with `cargo test -p e2e --lib`, and the browser
//! readings it is made of.

pub mod browser;
pub mod budgets;
pub mod heap;
pub mod stats;
pub mod stop;
pub mod transfer;
pub mod waves;

use std::path::PathBuf;

use crate::{Result, Scratch};

/// Assembles the SDK side of the side-by-side in `<scratch>/sdk-bench`:
/// `sdk-page/bench.html` as its `index.html` and the SDK bundle beside it.
pub fn assemble_sdk_bench_dist(scratch: &Scratch) -> Result<PathBuf> {
    crate::assemble_sdk_page(scratch, "bench.html", "sdk-bench")
}
