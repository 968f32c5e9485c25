//! What the core asks the shell to do, as data.

use serde_json::Value;

use crate::domain::actions::flow::ActEffect;
use crate::domain::actions::history_view::HistoryEffect;
use crate::domain::export::flow::ExportEffect;
use crate::domain::frame::UserOption;
use crate::domain::methods::instances::UserId;
use crate::domain::table::first_screen::FirstScreen;
use crate::domain::table::requests::{PageRequest, PageWithPeople};
use crate::domain::table::signals::CountsRequest;

/// A fetching part of the screen. Only the latest request of a slot
/// counts: starting one supersedes (and aborts) the one before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Slot {
    /// The page of rows on screen.
    Page,
    /// The next page, fetched ahead of "Next".
    Prefetch,
    /// The summary's stuck and idle counts.
    Counts,
    /// The recheck that resolves the set to act on.
    Resolve,
}

impl Slot {
    /// How many slots there are.
    pub const COUNT: usize = 4;

    /// The slot's place among the [`Slot::COUNT`], for a table per slot.
    pub fn index(self) -> usize {
        match self {
            Slot::Page => 0,
            Slot::Prefetch => 1,
            Slot::Counts => 2,
            Slot::Resolve => 3,
        }
    }
}

/// One request of a slot. An answer is taken only while its ticket is the
/// slot's current one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Ticket {
    /// The slot it belongs to.
    pub slot: Slot,
    /// Its number; later requests have higher numbers.
    pub seq: u64,
}

/// A page as the portal is asked for it: with its people asked by
/// reference in the same `batch` (one request names the table), or, when
/// that batch cannot be built, the page alone.
#[derive(Debug, Clone, PartialEq)]
pub enum PageAsk {
    /// The rows and their people in one request.
    WithPeople(PageWithPeople),
    /// The rows only.
    Plain(PageRequest),
    /// The first screen: the rows, their people, the plan and the first
    /// page of templates in one request.
    First(FirstScreen),
}

impl PageAsk {
    /// The page's own request (what a prefetched page is matched on).
    pub fn page(&self) -> &PageRequest {
        match self {
            PageAsk::WithPeople(both) => &both.page,
            PageAsk::Plain(request) => request,
            PageAsk::First(first) => &first.page.page,
        }
    }
}

/// A point of the page's performance timeline (benchmarks read it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// A screen's rows arrived (now).
    RowsData,
    /// A screen's rows are painted (after the next paint).
    Rows,
    /// The first screen's rows are painted.
    FirstRows,
    /// Every name on the screen is known and painted.
    Named,
    /// What every row on the screen waits for is known (the Waiting for
    /// column).
    Waiting,
}

/// What the shell must do.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Fetch the page on screen; answer with
    /// [`Event::PageAnswered`](super::Event::PageAnswered).
    FetchPage {
        /// The request's ticket (slot [`Slot::Page`]).
        ticket: Ticket,
        /// What to send.
        ask: PageAsk,
    },
    /// Fetch the next page ahead; answer with
    /// [`Event::Prefetched`](super::Event::Prefetched).
    Prefetch {
        /// The request's ticket (slot [`Slot::Prefetch`]).
        ticket: Ticket,
        /// What to send.
        ask: PageAsk,
    },
    /// Abort the request under way in this slot, if any: its answer is no
    /// longer wanted.
    Abort(Slot),
    /// Ask `user.get` for these people (one request); answer with
    /// [`Event::UsersAnswered`](super::Event::UsersAnswered).
    AskUsers(Vec<UserId>),
    /// Load every template (once per session); answer with
    /// [`Event::TemplatesAnswered`](super::Event::TemplatesAnswered).
    LoadTemplates,
    /// Ask the portal's plan (`app.info`) so the client's bucket fits it.
    DetectPlan,
    /// Count the stuck and idle workflows; answer with
    /// [`Event::CountsAnswered`](super::Event::CountsAnswered).
    CountSignals {
        /// The request's ticket (slot [`Slot::Counts`]).
        ticket: Ticket,
        /// What to count.
        request: CountsRequest,
    },
    /// Keep a user option in the portal (`setUserOption`).
    SaveOption {
        /// Which option.
        option: UserOption,
        /// Its value.
        value: Value,
    },
    /// Put the view in the URL fragment (bookmarkable, kept on reload).
    SetFragment(String),
    /// End the client's wait for the busy portal (the admin's "Cancel").
    CancelWaiting,
    /// Set a performance mark.
    Mark(Mark),
    /// A step of acting on the selection.
    Act(ActEffect),
    /// A step in the "History" view.
    History(HistoryEffect),
    /// A step of the export.
    Export(ExportEffect),
    /// A request of the overview.
    Overview(super::OverviewFetch),
    /// A request of the Waiting for column.
    Waiting(super::WaitingFetch),
}
