//! What happens to the screen: the admin's intents and the answers to the
//! core's requests.

use crate::domain::actions::flow::ActEvent;
use crate::domain::actions::history::read::Page;
use crate::domain::actions::history::storage::Availability;
use crate::domain::actions::history_view::HistoryEvent;
use crate::domain::export::flow::ExportEvent;
use crate::domain::methods::instances::{UserId, WorkflowId, WorkflowPage};
use crate::domain::methods::limits::Busy;
use crate::domain::methods::lookups::{Templates, UserInfo};
use crate::domain::table::filters::{Filter, FilterKind, Preset};
use crate::domain::table::paging::PageSize;
use crate::domain::table::signals::SignalCounts;
use crate::domain::table::view::{Column, PageTarget, ViewState};
use crate::domain::time::TimeContext;
use crate::domain::wire::errors::RestError;

use super::effect::Ticket;

/// A change of the view the admin asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum ViewEdit {
    /// A column header clicked (Shift adds it to the sort).
    ClickHeader {
        /// The column.
        column: Column,
        /// Whether Shift was held.
        shift: bool,
    },
    /// A filter set in its slot.
    SetFilter(Filter),
    /// The filter of a kind removed.
    RemoveFilter(FilterKind),
    /// Every filter removed.
    ClearFilters,
    /// A preset pressed: applied, or removed when it is already on.
    TogglePreset(Preset),
    /// Another page size.
    SetPageSize(PageSize),
    /// Another page.
    GoTo(PageTarget),
    /// A column shown or hidden.
    SetColumnVisible {
        /// The column.
        column: Column,
        /// Shown or not.
        visible: bool,
    },
    /// A column moved to another position.
    MoveColumn {
        /// The column.
        column: Column,
        /// Its new position.
        to: usize,
    },
}

impl ViewEdit {
    /// Applies the edit to `view`; `total` is the list's last known total
    /// (for "Last" and clamping).
    pub(super) fn apply(&self, view: &mut ViewState, total: u64) {
        match self {
            ViewEdit::ClickHeader { column, shift } => view.click_header(*column, *shift),
            ViewEdit::SetFilter(filter) => view.set_filter(filter.clone()),
            ViewEdit::RemoveFilter(kind) => view.remove_filter(*kind),
            ViewEdit::ClearFilters => view.clear_filters(),
            ViewEdit::TogglePreset(preset) => {
                if view.filters().has_preset(*preset) {
                    view.remove_filter(preset.filter().kind());
                } else {
                    view.apply_preset(*preset);
                }
            }
            ViewEdit::SetPageSize(size) => view.set_page_size(*size),
            ViewEdit::GoTo(target) => view.go_to(*target, total),
            ViewEdit::SetColumnVisible { column, visible } => {
                view.set_column_visible(*column, *visible)
            }
            ViewEdit::MoveColumn { column, to } => view.move_column(*column, *to),
        }
    }

    /// Whether the edit changes the filters: relative bounds ("5 minutes
    /// ago") then resolve against the moment of the change.
    pub(super) fn renews_time(&self) -> bool {
        matches!(
            self,
            ViewEdit::SetFilter(_)
                | ViewEdit::RemoveFilter(_)
                | ViewEdit::ClearFilters
                | ViewEdit::TogglePreset(_)
        )
    }

    /// Whether the edit changes the column choice (kept per user).
    pub(super) fn touches_columns(&self) -> bool {
        matches!(
            self,
            ViewEdit::SetColumnVisible { .. } | ViewEdit::MoveColumn { .. }
        )
    }
}

/// A page's answer: its rows and the people its batch named.
#[derive(Debug, Clone, PartialEq)]
pub struct PageAnswer {
    /// The rows.
    pub page: WorkflowPage,
    /// The people named in the same request (by reference).
    pub people: Vec<UserInfo>,
    /// The people that request settles: those of them not in `people`
    /// are gone (see `PageWithPeople::settled_people`).
    pub settled: Vec<UserId>,
    /// What the batch said about the lookups it carried (the first
    /// screen's); `None` when it carried none.
    pub lookups: Option<LookupsAnswer>,
}

/// The lookups a first screen's batch answered.
#[derive(Debug, Clone, PartialEq)]
pub struct LookupsAnswer {
    /// Whether `app.info` answered (and the client's bucket now fits the
    /// plan).
    pub plan: bool,
    /// The templates.
    pub templates: TemplatesPart,
    /// Who the admin is, if `profile` answered.
    pub me: Option<UserInfo>,
    /// Whether runs can be kept in the history, and the runs still
    /// marked running, if its read ran.
    pub history: Option<(Availability, Page)>,
}

/// The templates as a first screen's batch left them.
#[derive(Debug, Clone, PartialEq)]
pub enum TemplatesPart {
    /// The command did not run: they are still to be asked.
    Missing,
    /// More than one page: the rest is on its way
    /// ([`Event::TemplatesAnswered`] follows).
    Loading,
    /// All of them, or the error.
    Loaded(Result<Templates, RestError>),
}

/// Something that happened.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// The screen opened: its first page, names, plan and counts.
    Start {
        /// Now.
        at: TimeContext,
    },
    /// The admin changed the view.
    Edit {
        /// The change.
        edit: ViewEdit,
        /// Now.
        at: TimeContext,
    },
    /// "Refresh": the same view asked again, against now.
    Refresh {
        /// Now.
        at: TimeContext,
    },
    /// "Retry" after a failure or a cancel: as a refresh.
    Retry {
        /// Now.
        at: TimeContext,
    },
    /// The auto-refresh timer fired (the shell sends it only for a
    /// visible tab).
    AutoRefreshDue {
        /// Now.
        at: TimeContext,
    },
    /// Auto-refresh switched on or off.
    SetAutoRefresh(bool),
    /// The clock moved on ("3 min ago" catches up).
    Tick {
        /// Now.
        at: TimeContext,
    },
    /// The page request of `ticket` answered.
    PageAnswered {
        /// Which request.
        ticket: Ticket,
        /// Its answer.
        result: Result<PageAnswer, RestError>,
        /// Now.
        at: TimeContext,
    },
    /// The prefetch of `ticket` answered.
    Prefetched {
        /// Which request.
        ticket: Ticket,
        /// Its answer.
        result: Result<PageAnswer, RestError>,
        /// Now.
        at: TimeContext,
    },
    /// `user.get` answered for `asked`.
    UsersAnswered {
        /// The people asked for.
        asked: Vec<UserId>,
        /// The people found.
        result: Result<Vec<UserInfo>, RestError>,
    },
    /// The template list loaded (or failed).
    TemplatesAnswered(Result<Templates, RestError>),
    /// The counts of `ticket` answered.
    CountsAnswered {
        /// Which request.
        ticket: Ticket,
        /// The counts.
        result: Result<SignalCounts, RestError>,
    },
    /// The REST client waits for the busy portal (or stopped waiting).
    Busy(Option<Busy>),
    /// "Cancel" on the busy line.
    Cancel,
    /// A user picked in the "Started by" search (their name is known).
    UserPicked(UserInfo),
    /// "Save as default view".
    SaveDefault,
    /// The selection changed.
    Select(SelectEdit),
    /// A step of acting on the selection.
    Act {
        /// What happened.
        event: ActEvent,
        /// Now.
        at: TimeContext,
    },
    /// A step of the export.
    Export {
        /// What happened.
        event: ExportEvent,
        /// Now.
        at: TimeContext,
    },
    /// A step of the overview.
    Overview {
        /// What happened.
        event: super::OverviewEvent,
        /// Now.
        at: TimeContext,
    },
    /// The Waiting for request `seq` answered.
    WaitingAnswered {
        /// Which request.
        seq: u64,
        /// Its answer.
        result: Result<crate::domain::wire::batch::BatchResponse, RestError>,
    },
    /// The portal said who the admin is (`profile`).
    Me(UserInfo),
    /// A step in the "History" view.
    History(HistoryEvent),
}

/// A change of the selection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SelectEdit {
    /// A row's checkbox (Space on a focused row).
    Toggle(WorkflowId),
    /// "Select all on this page".
    TogglePage,
    /// "Select all <N> matching".
    AllMatching,
    /// "Clear selection".
    Clear,
}
