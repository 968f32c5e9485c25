//! Acting on workflows (issue 14, in progress): what the admin selected,
//! the `terminate` / `kill` commands that act on it in batches, and what
//! each workflow's command came to. Pure data; the screen core and the
//! shell will drive it.

pub mod confirm;
pub mod job;
pub mod recheck;
pub mod run;
pub mod selection;
