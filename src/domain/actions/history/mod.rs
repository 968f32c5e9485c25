//! The history of runs (issue 14), kept in the portal's application
//! storage so every admin of the portal sees the same one. Pure data: the
//! requests that write and read it and what their answers mean; the shell
//! sends them.
//!
//! - [`storage`]: the storage's layout, its setup, and whether history
//!   can be kept (what the confirmation says before anything is done).
//! - [`record`]: what is kept — a run's header, each workflow's snapshot,
//!   each outcome — and its compact, versioned `DATA`.
//! - [`journal`]: writing a run's journal: everything before the first
//!   action, then the outcomes inside the run's own batches.
//! - [`read`]: listing runs, reading one run back, its tally and CSV.
//! - [`interrupted`]: a run the frame left behind, at the next open.

pub mod interrupted;
pub mod journal;
pub mod read;
pub mod record;
pub mod storage;
