//! The workflows screen as a state machine: [`Screen`] holds everything
//! the page shows (the view, the rows and the query they answer, whether
//! they are loading, failed or stopped, notices, the prefetched page, the
//! names met, the signal counts, the portal's busy state), and
//! [`Screen::update`] turns one [`Event`] (an admin's intent or an answer)
//! into the [`Effect`]s the shell must run (a request, a saved option, a
//! new URL fragment), as data.
//!
//! Nothing here does I/O or reads a clock: the shell passes the time in
//! the events that need it, runs the effects through the REST and frame
//! clients and feeds their answers back. Every fetching part (page,
//! prefetch, counts) has a [`Slot`]; a new request in a slot supersedes
//! the one before, which the shell aborts and whose answer, should it
//! still come, the core drops (its [`Ticket`] is no longer current).

mod counts;
mod effect;
mod event;
#[cfg(test)]
mod export_tests;
mod names;
mod overview;
#[cfg(test)]
mod overview_tests;
mod state;
#[cfg(test)]
mod tests;
mod waiting;
#[cfg(test)]
mod waiting_tests;

pub use counts::{Counts, Summary};
pub use effect::{Effect, Mark, PageAsk, Slot, Ticket};
pub use event::{Event, LookupsAnswer, PageAnswer, SelectEdit, TemplatesPart, ViewEdit};
pub use names::Names;
pub use overview::{OverviewEvent, OverviewFetch, OverviewSlice};
pub use state::{Notice, Screen, Shown, Status};
pub use waiting::{WaitingFetch, WaitingSlice};
