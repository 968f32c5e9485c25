//! The screen's state and its one transition, [`Screen::update`].

use std::sync::Arc;

use crate::domain::actions::flow::{ActEffect, ActEvent, Acting, Target};
use crate::domain::actions::history::record::{Snapshot, Who};
use crate::domain::actions::history_view::HistoryView;
use crate::domain::actions::selection::{PageCheck, Selection};
use crate::domain::display::cells::document_label;
use crate::domain::display::names::started_by;
use crate::domain::display::names::template_label;
use crate::domain::export::flow::{Context, Export, ExportEvent, Known};
use crate::domain::frame::UserOption;
use crate::domain::i18n::{fill, Lang};
use crate::domain::methods::instances::{TemplateId, UserId, WorkflowId, WorkflowPage};
use crate::domain::methods::limits::Busy;
use crate::domain::methods::lookups::UserInfo;
use crate::domain::overview::flow::Overview;
use crate::domain::overview::plan::Part;
use crate::domain::table::filters::{violations, Filter, FilterKind, Violation};
use crate::domain::table::first_screen::FirstScreen;
use crate::domain::table::fragment::SavedOptions;
use crate::domain::table::paging::TotalChange;
use crate::domain::table::requests::{PageRequest, Prefetched};
use crate::domain::table::signals::{CountsCache, CountsKey, CountsRequest};
use crate::domain::table::view::{Column, ViewState};
use crate::domain::time::TimeContext;
use crate::domain::wire::errors::RestError;

use super::counts::{Counts, Summary};
use super::effect::{Effect, Mark, PageAsk, Slot, Ticket};
use super::event::{Event, LookupsAnswer, PageAnswer, SelectEdit, TemplatesPart, ViewEdit};
use super::names::Names;
use super::overview::{OverviewEvent, OverviewSlice};
use super::waiting::WaitingSlice;

/// The rows on screen, with the view and time they were asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct Shown {
    /// The view the rows answer.
    pub view: ViewState,
    /// The moment the query was resolved against.
    pub time: TimeContext,
    /// The rows (shared: the shell's slices clone it for nothing).
    pub page: Arc<WorkflowPage>,
}

/// Where the page's request stands.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Status {
    /// Nothing is awaited: the rows on screen answer the view.
    #[default]
    Idle,
    /// A newer page is on its way; the rows on screen (if any) are stale.
    Loading,
    /// The last request failed (retries ran out, or a hard error).
    Failed(RestError),
    /// The admin cancelled the wait: the rows on screen stay.
    Stopped,
}

/// A note above the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// The list's total changed between two pages of it.
    TotalChanged(TotalChange),
    /// The view was saved as the default.
    SavedDefault,
    /// A change of the filters cleared a selection of this many.
    SelectionCleared(u64),
}

impl Notice {
    /// The note for the admin.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Notice::TotalChanged(change) => change.message(lang),
            Notice::SavedDefault => lang.texts().saved_default_view.to_owned(),
            Notice::SelectionCleared(n) => {
                let t = lang.texts();
                fill(
                    t.selection_cleared,
                    &[("workflows", &lang.plural(*n, &t.workflows))],
                )
            }
        }
    }
}

/// A page request under way, and what it was asked for.
#[derive(Debug, Clone, PartialEq)]
struct Pending {
    ticket: Ticket,
    view: ViewState,
    time: TimeContext,
    request: PageRequest,
}

/// Where the session's lookups (the plan and the templates) stand: they
/// ride in the first page request's batch, or go alone when they cannot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lookups {
    /// Not asked yet.
    Unasked,
    /// In the batch of this page request.
    Riding(Ticket),
    /// Asked (answered or on their way on their own).
    Asked,
}

/// The workflows screen.
#[derive(Debug, Clone, PartialEq)]
pub struct Screen {
    lang: Lang,
    view: ViewState,
    /// The moment the view's query resolves against: renewed by filter
    /// changes and refreshes, kept by sorting and paging (so a prefetched
    /// page is the very page asked for later).
    time: TimeContext,
    /// The clock the rows are shown against.
    clock: TimeContext,
    shown: Option<Shown>,
    status: Status,
    notice: Option<Notice>,
    prefetched: Option<Prefetched>,
    names: Names,
    counts: Counts,
    /// Counts already had, by filters and minute.
    counts_cache: CountsCache,
    busy: Option<Busy>,
    auto_refresh: bool,
    /// Screens of rows shown so far (each gets one `Named` mark).
    screens: u64,
    named_marked: Option<u64>,
    /// The last ticket number handed out.
    seq: u64,
    page: Option<Pending>,
    /// The prefetch under way.
    prefetch: Option<(Ticket, PageRequest)>,
    counting: Option<(Ticket, CountsKey)>,
    lookups: Lookups,
    selection: Selection,
    acting: Acting,
    history: HistoryView,
    export: Export,
    overview: OverviewSlice,
    waiting: WaitingSlice,
    /// The admin, once the portal said.
    me: Option<UserInfo>,
}

/// What the export needs of the names.
fn known(names: &Names, lang: Lang) -> Known<'_> {
    Known {
        templates: names.templates(),
        templates_settled: names.templates.is_some(),
        users: &names.users,
        lang,
    }
}

impl Screen {
    /// A screen opening on `view`, in `lang`, at `at`; nothing is asked
    /// until [`Event::Start`].
    pub fn new(view: ViewState, lang: Lang, at: TimeContext) -> Screen {
        Screen {
            lang,
            view,
            time: at,
            clock: at,
            shown: None,
            status: Status::Idle,
            notice: None,
            prefetched: None,
            names: Names::default(),
            counts: Counts::default(),
            counts_cache: CountsCache::default(),
            busy: None,
            auto_refresh: false,
            screens: 0,
            named_marked: None,
            seq: 0,
            page: None,
            prefetch: None,
            counting: None,
            lookups: Lookups::Unasked,
            selection: Selection::Empty,
            acting: Acting::default(),
            history: HistoryView::default(),
            export: Export::default(),
            overview: OverviewSlice::default(),
            waiting: WaitingSlice::default(),
            me: None,
        }
    }

    /// The view the admin asked for (the headers, pager and chips show it
    /// even while its rows load).
    pub fn view(&self) -> &ViewState {
        &self.view
    }

    /// The moment the view's query resolves against.
    pub fn time(&self) -> TimeContext {
        self.time
    }

    /// The clock the rows are shown against.
    pub fn clock(&self) -> TimeContext {
        self.clock
    }

    /// The rows on screen, if any came yet.
    pub fn shown(&self) -> Option<&Shown> {
        self.shown.as_ref()
    }

    /// Where the page's request stands.
    pub fn status(&self) -> &Status {
        &self.status
    }

    /// The note above the table.
    pub fn notice(&self) -> Option<Notice> {
        self.notice
    }

    /// The names known.
    pub fn names(&self) -> &Names {
        &self.names
    }

    /// The summary's counts.
    pub fn counts(&self) -> Counts {
        self.counts
    }

    /// What the summary line shows. A count that is the list's own total
    /// (its preset is on) waits until the list of these very filters is
    /// on screen, so it never shows the total of the filters before.
    pub fn summary(&self) -> Summary {
        let total = self
            .shown
            .as_ref()
            .filter(|s| s.view.filters() == self.view.filters())
            .map(|s| s.page.total);
        Summary::of(self.counts, total)
    }

    /// What the admin selected.
    pub fn selection(&self) -> &Selection {
        &self.selection
    }

    /// The "History" view.
    pub fn history(&self) -> &HistoryView {
        &self.history
    }

    /// The acting flow: the recheck, confirmation, run and result.
    pub fn acting(&self) -> &Acting {
        &self.acting
    }

    /// The export.
    pub fn export(&self) -> &Export {
        &self.export
    }

    /// The admin, once the portal said.
    pub fn me(&self) -> Option<&UserInfo> {
        self.me.as_ref()
    }

    /// The ids of the rows on screen, in order.
    pub fn page_ids(&self) -> Vec<WorkflowId> {
        self.shown.as_ref().map_or_else(Vec::new, |s| {
            s.page.rows.iter().map(|r| r.id.clone()).collect()
        })
    }

    /// The header checkbox of the page on screen.
    pub fn page_check(&self) -> PageCheck {
        self.selection.page_check(&self.page_ids())
    }

    /// The count to offer in "Select all <N> matching", when the whole
    /// page is selected and more match.
    pub fn offer_all_matching(&self) -> Option<u64> {
        let shown = self.shown.as_ref()?;
        if shown.view.filters() != self.view.filters() {
            return None;
        }
        self.selection
            .offer_all_matching(&self.page_ids(), shown.page.total)
    }

    /// The portal's busy state, while the client waits.
    pub fn busy(&self) -> Option<Busy> {
        self.busy
    }

    /// Whether auto-refresh is on.
    pub fn auto_refresh(&self) -> bool {
        self.auto_refresh
    }

    /// The total of the list on screen (0 before any).
    pub fn total(&self) -> u64 {
        self.shown.as_ref().map_or(0, |s| s.page.total)
    }

    /// Whether the rows on screen do not answer the view: a newer answer
    /// is awaited, or they belong to another view (its request failed or
    /// was cancelled) while the headers already show the new one.
    pub fn is_stale(&self) -> bool {
        self.status == Status::Loading || self.shown.as_ref().is_some_and(|s| s.view != self.view)
    }

    /// The filters the portal ignored, proven by rows that break them.
    pub fn ignored(&self) -> Vec<Violation> {
        self.shown.as_ref().map_or_else(Vec::new, |s| {
            violations(&s.page.rows, s.view.filters(), s.time)
        })
    }

    /// Whether every name on screen is known.
    pub fn all_named(&self) -> bool {
        self.shown
            .as_ref()
            .is_some_and(|s| self.names.all_named(&s.page.rows, self.lang.texts()))
    }

    /// The one transition: applies `event`, returns what the shell must do.
    pub fn update(&mut self, event: Event) -> Vec<Effect> {
        let mut fx = Vec::new();
        match event {
            Event::Start { at } => {
                self.time = at;
                self.clock = at;
                fx.push(Effect::SetFragment(self.view.to_fragment()));
                // The plan and the templates ride in the page's batch.
                self.ask_page(at, &mut fx);
                self.ask_counts(&mut fx);
            }
            Event::Edit { edit, at } => self.edit(edit, at, &mut fx),
            Event::Refresh { at } | Event::Retry { at } => self.reload(at, &mut fx),
            Event::AutoRefreshDue { at } => {
                // Never in the way of what the admin just asked for.
                if self.auto_refresh && self.status != Status::Loading {
                    self.reload(at, &mut fx);
                }
            }
            Event::SetAutoRefresh(on) => self.auto_refresh = on,
            Event::Tick { at } => self.clock = at,
            Event::PageAnswered { ticket, result, at } => {
                if self.page.as_ref().is_some_and(|p| p.ticket == ticket) {
                    self.page_answered(result, at, &mut fx);
                }
            }
            Event::Prefetched { ticket, result, at } => {
                self.prefetched_answer(ticket, result, at, &mut fx)
            }
            Event::UsersAnswered { asked, result } => {
                self.names.answered(&asked, result);
                self.check_named(&mut fx);
                self.flush_export(&mut fx);
            }
            Event::TemplatesAnswered(result) => {
                self.names.templates = Some(result);
                self.check_named(&mut fx);
                self.flush_export(&mut fx);
                self.ask_overview(&mut fx);
            }
            Event::CountsAnswered { ticket, result } => {
                if self.counting.as_ref().is_some_and(|(t, _)| *t == ticket) {
                    let Some((_, key)) = self.counting.take() else {
                        return fx;
                    };
                    match result {
                        Ok(counts) => {
                            self.counts_cache.put(key, counts);
                            self.counts.known(counts);
                        }
                        Err(_) => {
                            self.counts.known = None;
                            self.counts.loading = false;
                            self.counts.failed = true;
                        }
                    }
                }
            }
            Event::Busy(busy) => self.busy = busy,
            Event::Cancel => fx.push(Effect::CancelWaiting),
            Event::UserPicked(user) => {
                self.names.remember(std::slice::from_ref(&user));
                self.check_named(&mut fx);
            }
            Event::SaveDefault => {
                let mut saved = SavedOptions::default();
                saved.save_default(&self.view);
                fx.extend(
                    saved
                        .to_user_options()
                        .into_iter()
                        .map(|(option, value)| Effect::SaveOption { option, value }),
                );
                self.notice = Some(Notice::SavedDefault);
            }
            Event::Select(edit) => self.select(edit),
            Event::Act { event, at } => self.act(event, at, &mut fx),
            Event::History(event) => {
                let made = self.history.update(event, self.lang);
                fx.extend(made.into_iter().map(Effect::History));
            }
            Event::Export { event, at } => self.export_step(event, at, &mut fx),
            Event::Overview { event, at } => self.overview_step(event, at, &mut fx),
            Event::WaitingAnswered { seq, result } => {
                let Some(people) = self.waiting.answered(seq, &result) else {
                    return fx;
                };
                let asked = self.names.ask(people);
                if !asked.is_empty() {
                    fx.push(Effect::AskUsers(asked));
                }
                if self.waiting_shown() && self.waiting.all_known(&self.page_ids()) {
                    fx.push(Effect::Mark(Mark::Waiting));
                }
            }
            Event::Me(user) => {
                self.names.remember(std::slice::from_ref(&user));
                self.me = Some(user);
            }
        }
        fx
    }

    fn overview_step(&mut self, event: OverviewEvent, at: TimeContext, fx: &mut Vec<Effect>) {
        match event {
            OverviewEvent::Show(open) => {
                self.overview.open = open;
                self.ask_overview(fx);
            }
            OverviewEvent::Pick(bar) => {
                if let Some(filter) = bar.filter() {
                    self.edit(ViewEdit::SetFilter(filter), at, fx);
                }
            }
            OverviewEvent::Answered { seq, part, result } => {
                let next = self.overview.answered(seq, part, &result);
                fx.extend(next.into_iter().map(Effect::Overview));
                if part == Part::Sample {
                    // The top starters' names, through the session's cache.
                    let people = self.overview.starters();
                    let wanted = self.names.ask(people);
                    if !wanted.is_empty() {
                        fx.push(Effect::AskUsers(wanted));
                    }
                }
            }
        }
    }

    /// The overview of the view's filters, once the screen's rows are
    /// shown and the templates are settled, while the region is open:
    /// from the cache, or counted.
    fn ask_overview(&mut self, fx: &mut Vec<Effect>) {
        if !self.overview.open || self.shown.is_none() {
            return;
        }
        let key = CountsKey::new(self.view.filters(), self.time);
        if self.overview.has(&key) || self.overview.cached(&key) {
            return;
        }
        let Some(templates) = &self.names.templates else {
            return;
        };
        let ids: Option<Vec<TemplateId>> = templates
            .as_ref()
            .ok()
            .map(|t| t.iter().map(|i| i.id).collect());
        if let Ok((overview, first)) =
            Overview::start(self.view.filters(), ids.as_deref(), self.time)
        {
            let made = self.overview.begin(key, overview, first);
            fx.extend(made.into_iter().map(Effect::Overview));
        }
    }

    /// The overview slice.
    pub fn overview(&self) -> &OverviewSlice {
        &self.overview
    }

    /// The Waiting for column's slice.
    pub fn waiting(&self) -> &WaitingSlice {
        &self.waiting
    }

    fn flush_export(&mut self, fx: &mut Vec<Effect>) {
        let made = self.export.flush(known(&self.names, self.lang));
        fx.extend(made.into_iter().map(Effect::Export));
    }

    fn export_step(&mut self, event: ExportEvent, at: TimeContext, fx: &mut Vec<Effect>) {
        let made = match event {
            ExportEvent::Open { selected } => {
                let total = self.total();
                self.export.open(selected, &self.selection, total);
                Vec::new()
            }
            ExportEvent::Choose(choice) => {
                self.export.choose(choice);
                Vec::new()
            }
            ExportEvent::Close | ExportEvent::Dismiss => {
                self.export.close();
                Vec::new()
            }
            ExportEvent::Start { origin } => {
                let visible = self
                    .view
                    .columns()
                    .visible()
                    .into_iter()
                    .filter_map(|c| match c {
                        Column::Field(f) => Some(f),
                        _ => None,
                    })
                    .collect();
                let ctx = Context {
                    selection: &self.selection,
                    conditions: self.view.filters().conditions(at),
                    visible,
                    at,
                };
                self.export
                    .start(origin, ctx, known(&self.names, self.lang))
            }
            ExportEvent::Answered { seq, result } => {
                let (made, people) =
                    self.export
                        .answered(seq, result, at, known(&self.names, self.lang));
                let asked = self.names.ask(people);
                if !asked.is_empty() {
                    fx.push(Effect::AskUsers(asked));
                }
                made
            }
            ExportEvent::Cancel => self.export.cancel(),
        };
        fx.extend(made.into_iter().map(Effect::Export));
    }

    fn select(&mut self, edit: SelectEdit) {
        let page = self.page_ids();
        match edit {
            SelectEdit::Toggle(id) => self.selection.toggle(&id, &page),
            SelectEdit::TogglePage => self.selection.toggle_page(&page),
            SelectEdit::AllMatching => {
                if let Some(total) = self.offer_all_matching() {
                    self.selection
                        .select_all_matching(self.view.filters().clone(), total);
                }
            }
            SelectEdit::Clear => self.selection.clear(),
        }
    }

    fn act(&mut self, event: ActEvent, at: TimeContext, fx: &mut Vec<Effect>) {
        let made = match event {
            ActEvent::Begin(kind) => {
                let seen = match &self.shown {
                    Some(s) if s.view.filters() == self.view.filters() => self.page_ids(),
                    _ => Vec::new(),
                };
                let target = Target {
                    selection: self.selection.clone(),
                    filters: self.view.filters().clone(),
                    seen,
                };
                self.acting.begin(kind, target, at)
            }
            ActEvent::RetryFailed => match self.acting.retry_target(self.view.filters()) {
                Some((kind, target)) => self.acting.begin(kind, target, at),
                None => Vec::new(),
            },
            other => {
                if other == ActEvent::Claimed(Ok(())) {
                    self.prepare_record();
                }
                let me = self.me.as_ref().map(|u| u.name.as_str());
                self.acting.update(other, self.lang, me, at)
            }
        };
        for effect in made {
            if effect == ActEffect::Refresh {
                // The acted-on rows are gone: so is their selection.
                self.selection.clear();
                self.reload(at, fx);
            } else {
                fx.push(Effect::Act(effect));
            }
        }
    }

    /// Right before a run starts: who starts it and each confirmed row as
    /// the admin saw it (names included), for its journal.
    fn prepare_record(&mut self) {
        let Some(rows) = self.acting.to_snapshot() else {
            return;
        };
        let t = self.lang.texts();
        let templates = self.names.templates();
        let snapshots = rows
            .iter()
            .map(|row| {
                let template = row
                    .template_id
                    .map(|id| template_label(templates, id, t).text().to_owned())
                    .unwrap_or_default();
                let started_by = row
                    .started_by
                    .map(|id| self.names.users.label(id, t).text().to_owned())
                    .unwrap_or_default();
                Snapshot::of(
                    row,
                    &template,
                    &started_by,
                    &document_label(row, templates, t),
                )
            })
            .collect();
        let who = match &self.me {
            Some(me) => Who {
                id: me.id,
                name: me.label(t),
            },
            None => Who {
                id: UserId(0),
                name: String::new(),
            },
        };
        self.acting.prepare_record(who, snapshots);
    }

    fn edit(&mut self, edit: ViewEdit, at: TimeContext, fx: &mut Vec<Effect>) {
        let mut next = self.view.clone();
        edit.apply(&mut next, self.total());
        if next == self.view {
            return;
        }
        // A column shown, hidden or moved that asks for the very fields
        // the rows on screen have: they answer the new view as they are.
        let same_rows = edit.touches_columns()
            && self.status == Status::Idle
            && self.shown.as_ref().is_some_and(|s| s.view == self.view)
            && next.select() == self.view.select();
        let filters_changed = next.filters() != self.view.filters();
        if let Some(n) = self
            .selection
            .filters_changed(self.view.filters(), next.filters())
        {
            self.notice = Some(Notice::SelectionCleared(n));
        }
        self.view = next;
        if edit.renews_time() {
            self.time = at;
        }
        fx.push(Effect::SetFragment(self.view.to_fragment()));
        if edit.touches_columns() {
            fx.push(Effect::SaveOption {
                option: UserOption::Columns,
                value: self.view.columns().to_option_value().into(),
            });
        }
        if same_rows {
            if let Some(shown) = self.shown.as_mut() {
                shown.view = self.view.clone();
            }
            self.ask_waiting(fx);
            return;
        }
        self.ask_page(at, fx);
        if filters_changed {
            self.ask_counts(fx);
        }
    }

    /// The same view asked again against `at`: only the clock moves on,
    /// so presets like "Stuck" mean "now" again.
    fn reload(&mut self, at: TimeContext, fx: &mut Vec<Effect>) {
        self.time = at;
        self.prefetched = None;
        if self.prefetch.take().is_some() {
            fx.push(Effect::Abort(Slot::Prefetch));
        }
        self.counts_cache.clear();
        self.overview.clear();
        self.waiting.clear();
        self.ask_page(at, fx);
        self.ask_counts(fx);
    }

    fn ticket(&mut self, slot: Slot) -> Ticket {
        self.seq += 1;
        Ticket {
            slot,
            seq: self.seq,
        }
    }

    /// The view's page: from the prefetched page when it is the very one
    /// (no request), by joining the prefetch under way for it, or asked.
    fn ask_page(&mut self, at: TimeContext, fx: &mut Vec<Effect>) {
        let known_total = self
            .shown
            .as_ref()
            .filter(|s| s.view.same_list(&self.view))
            .map(|s| s.page.total);
        let request = self.view.request(self.time, known_total);
        if let Some(old) = self.page.take() {
            if old.ticket.slot == Slot::Page {
                fx.push(Effect::Abort(Slot::Page));
            }
            if self.lookups == Lookups::Riding(old.ticket) {
                // They were in the aborted batch: the next one takes them.
                self.lookups = Lookups::Unasked;
            }
        }
        let (view, time) = (self.view.clone(), self.time);
        let pending = |ticket| Pending {
            ticket,
            view,
            time,
            request: request.clone(),
        };
        if let Some(page) = self
            .prefetched
            .take()
            .and_then(|p| p.answer(&request, at.now))
        {
            let pending = pending(self.ticket(Slot::Page));
            self.lookups_alone(fx);
            self.show(pending, page, at, fx);
            return;
        }
        self.status = Status::Loading;
        if let Some((ahead, _)) = self.prefetch.as_ref().filter(|(_, r)| *r == request) {
            // "Next" pressed before the prefetch came: its answer is this
            // page, so nothing more is sent.
            self.page = Some(pending(*ahead));
            self.lookups_alone(fx);
            return;
        }
        let ticket = self.ticket(Slot::Page);
        let mut ask = with_people(&request, known_total);
        if self.lookups == Lookups::Unasked {
            if let Some(first) = match &ask {
                PageAsk::WithPeople(both) => FirstScreen::new(both),
                _ => None,
            } {
                ask = PageAsk::First(first);
                self.lookups = Lookups::Riding(ticket);
            }
        }
        self.page = Some(pending(ticket));
        fx.push(Effect::FetchPage { ticket, ask });
        self.lookups_alone(fx);
    }

    /// The lookups on their own, if nothing carries them.
    fn lookups_alone(&mut self, fx: &mut Vec<Effect>) {
        if self.lookups == Lookups::Unasked {
            self.lookups = Lookups::Asked;
            fx.push(Effect::LoadTemplates);
            fx.push(Effect::DetectPlan);
        }
    }

    /// What a page answer says about the lookups it carried.
    fn lookups_answered(
        &mut self,
        ticket: Ticket,
        answer: Option<&LookupsAnswer>,
        fx: &mut Vec<Effect>,
    ) {
        if self.lookups != Lookups::Riding(ticket) {
            return;
        }
        self.lookups = Lookups::Asked;
        let (plan, templates) = match answer {
            Some(a) => (a.plan, a.templates.clone()),
            None => (false, TemplatesPart::Missing),
        };
        if let Some(me) = answer.and_then(|a| a.me.clone()) {
            self.names.remember(std::slice::from_ref(&me));
            self.me = Some(me);
        }
        if let Some((history, running)) = answer.and_then(|a| a.history.as_ref()) {
            self.acting.set_history(history.clone());
            let read = self.acting.opened(running);
            fx.extend(read.into_iter().map(Effect::Act));
        }
        match templates {
            TemplatesPart::Missing => fx.push(Effect::LoadTemplates),
            TemplatesPart::Loading => {}
            TemplatesPart::Loaded(result) => self.names.templates = Some(result),
        }
        if !plan {
            fx.push(Effect::DetectPlan);
        }
    }

    fn page_answered(
        &mut self,
        result: Result<PageAnswer, RestError>,
        at: TimeContext,
        fx: &mut Vec<Effect>,
    ) {
        let Some(pending) = self.page.take() else {
            return;
        };
        let lookups = result.as_ref().ok().and_then(|a| a.lookups.as_ref());
        self.lookups_answered(pending.ticket, lookups, fx);
        match result {
            Ok(answer) => {
                self.names.settle(&answer.settled, &answer.people);
                self.show(pending, answer.page, at, fx);
            }
            Err(RestError::Cancelled) => self.status = Status::Stopped,
            Err(err) => self.status = Status::Failed(err),
        }
    }

    fn prefetched_answer(
        &mut self,
        ticket: Ticket,
        result: Result<PageAnswer, RestError>,
        at: TimeContext,
        fx: &mut Vec<Effect>,
    ) {
        if !self.prefetch.as_ref().is_some_and(|(t, _)| *t == ticket) {
            return;
        }
        let Some((_, request)) = self.prefetch.take() else {
            return;
        };
        if self.page.as_ref().is_some_and(|p| p.ticket == ticket) {
            // The admin is already waiting for this very page.
            self.page_answered(result, at, fx);
            return;
        }
        // A failed prefetch costs nothing visible: "Next" asks again.
        let Ok(answer) = result else {
            return;
        };
        self.names.settle(&answer.settled, &answer.people);
        // Its people are asked now too, so "Next" shows a named table at
        // once.
        let wanted = self.names.ask(started_by(&answer.page.rows));
        if !wanted.is_empty() {
            fx.push(Effect::AskUsers(wanted));
        }
        self.prefetched = Some(Prefetched {
            request,
            page: answer.page,
            fetched_at: at.now,
        });
    }

    /// Puts `page` on screen as the answer of `pending`.
    fn show(
        &mut self,
        pending: Pending,
        page: WorkflowPage,
        at: TimeContext,
        fx: &mut Vec<Effect>,
    ) {
        fx.push(Effect::Mark(Mark::RowsData));
        // The people on this screen, and the one a restored "Started by"
        // filter names (for its chip), in one request.
        let chosen = match pending.view.filters().get(FilterKind::StartedBy) {
            Some(Filter::StartedBy(u)) => Some(*u),
            _ => None,
        };
        let wanted = self.names.ask(started_by(&page.rows).chain(chosen));
        if !wanted.is_empty() {
            fx.push(Effect::AskUsers(wanted));
        }
        let changed = self
            .shown
            .as_ref()
            .filter(|p| p.view.same_list(&pending.view) && p.view.page() != pending.view.page())
            .and_then(|p| TotalChange::detect(Some(p.page.total), page.total));
        self.notice = changed.map(Notice::TotalChanged);
        self.status = Status::Idle;
        self.clock = at;
        self.prefetch_after(&pending, page.total, fx);
        self.screens += 1;
        self.shown = Some(Shown {
            view: pending.view,
            time: pending.time,
            page: Arc::new(page),
        });
        fx.push(Effect::Mark(Mark::Rows));
        if self.screens == 1 {
            fx.push(Effect::Mark(Mark::FirstRows));
        }
        self.check_named(fx);
        self.ask_overview(fx);
        self.ask_waiting(fx);
    }

    /// Whether the Waiting for column is shown.
    fn waiting_shown(&self) -> bool {
        self.view.columns().is_visible(Column::Waiting)
    }

    /// What the rows on screen wait for, for those not yet known, while
    /// the column is shown.
    fn ask_waiting(&mut self, fx: &mut Vec<Effect>) {
        if !self.waiting_shown() || self.is_stale() {
            return;
        }
        let ids = self.page_ids();
        fx.extend(self.waiting.ask(&ids).into_iter().map(Effect::Waiting));
    }

    /// Fetches the page after the one just shown, unless it is already on
    /// its way.
    fn prefetch_after(&mut self, shown: &Pending, total: u64, fx: &mut Vec<Effect>) {
        let Some(request) = shown.view.prefetch_next(shown.time, total) else {
            return;
        };
        if self.prefetch.as_ref().is_some_and(|(_, r)| *r == request) {
            return;
        }
        if self.prefetch.take().is_some() {
            fx.push(Effect::Abort(Slot::Prefetch));
        }
        let ticket = self.ticket(Slot::Prefetch);
        fx.push(Effect::Prefetch {
            ticket,
            ask: with_people(&request, Some(total)),
        });
        self.prefetch = Some((ticket, request));
    }

    /// The summary's counts for the view's filters: from the cache, or
    /// asked (superseding any older count under way).
    fn ask_counts(&mut self, fx: &mut Vec<Effect>) {
        if self.counting.take().is_some() {
            fx.push(Effect::Abort(Slot::Counts));
        }
        let key = CountsKey::new(self.view.filters(), self.time);
        if let Some(hit) = self.counts_cache.get(&key) {
            self.counts.known(hit);
            return;
        }
        self.counts.loading = true;
        let ticket = self.ticket(Slot::Counts);
        fx.push(Effect::CountSignals {
            ticket,
            request: CountsRequest::new(self.view.filters(), self.time),
        });
        self.counting = Some((ticket, key));
    }

    /// `Named` once per screen, when every name on it is known.
    fn check_named(&mut self, fx: &mut Vec<Effect>) {
        if self.named_marked != Some(self.screens) && self.all_named() {
            self.named_marked = Some(self.screens);
            fx.push(Effect::Mark(Mark::Named));
        }
    }
}

/// `request` with its people asked by reference in the same batch, or
/// alone when that batch cannot be built.
fn with_people(request: &PageRequest, total: Option<u64>) -> PageAsk {
    request
        .with_people(total)
        .map_or_else(|| PageAsk::Plain(request.clone()), PageAsk::WithPeople)
}
