//! The screen's behaviour as sequences of events and the effects they
//! must produce.

use crate::domain::frame::UserOption;

use super::*;
use crate::domain::i18n::Lang;
use crate::domain::methods::instances::{
    Field, TemplateId, UserId, WorkflowId, WorkflowPage, WorkflowRow,
};
use crate::domain::methods::limits::{Busy, BusyReason};
use crate::domain::methods::lookups::{Templates, UserInfo};
use crate::domain::table::filters::{Filter, FilterKind, Preset};
use crate::domain::table::paging::{PageSize, TotalChange};
use crate::domain::table::requests::PageRequest;
use crate::domain::table::signals::{Count, SignalCounts, SignalKind};
use crate::domain::table::view::{PageTarget, ViewState};
use crate::domain::time::TimeContext;
use crate::domain::wire::errors::{ErrorCode, RestError};

const T0: i64 = 1_800_000_000;

fn at(seconds: i64) -> TimeContext {
    TimeContext {
        now: T0 + seconds,
        offset_minutes: 0,
    }
}

fn row(id: u64, by: u64) -> WorkflowRow {
    WorkflowRow {
        id: WorkflowId::new(format!("wf{id}")),
        modified: None,
        owned_until: None,
        module_id: None,
        entity: None,
        document_id: None,
        started: None,
        started_by: Some(UserId(by)),
        template_id: Some(TemplateId(1)),
        unparsed: Vec::new(),
    }
}

/// `n` rows from `start` (each started by user 1), of `total`.
fn page(start: u64, n: u64, total: u64) -> WorkflowPage {
    WorkflowPage {
        rows: (start..start + n).map(|i| row(i, 1)).collect(),
        total,
        next: (start + n < total).then_some(start + n),
        dropped: 0,
    }
}

fn answer(page: WorkflowPage) -> Result<PageAnswer, RestError> {
    Ok(PageAnswer {
        page,
        people: vec![user(1)],
        settled: vec![],
        lookups: None,
    })
}

/// The first screen's answer: the plan read, the templates still loading
/// (more than one page).
fn first_answer(page: WorkflowPage) -> Result<PageAnswer, RestError> {
    first_answer_with(page, true, TemplatesPart::Loading)
}

/// The first screen's answer with these lookups.
fn first_answer_with(
    page: WorkflowPage,
    plan: bool,
    templates: TemplatesPart,
) -> Result<PageAnswer, RestError> {
    Ok(PageAnswer {
        page,
        people: vec![user(1)],
        settled: vec![],
        lookups: Some(LookupsAnswer {
            plan,
            templates,
            me: Some(user(42)),
            history: None,
        }),
    })
}

fn user(id: u64) -> UserInfo {
    UserInfo {
        id: UserId(id),
        name: format!("User Number {id}"),
    }
}

/// A passing failure (the portal stayed busy after every retry).
fn busy_error() -> RestError {
    RestError::portal(ErrorCode::QueryLimitExceeded, "Too many requests".into())
}

/// The page requests among `fx`: `(ticket, the page's own request)`.
fn fetches(fx: &[Effect]) -> Vec<(Ticket, PageRequest)> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::FetchPage { ticket, ask } => Some((*ticket, ask.page().clone())),
            _ => None,
        })
        .collect()
}

fn prefetches(fx: &[Effect]) -> Vec<(Ticket, PageRequest)> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Prefetch { ticket, ask } => Some((*ticket, ask.page().clone())),
            _ => None,
        })
        .collect()
}

fn one_fetch(fx: &[Effect]) -> Ticket {
    let all = fetches(fx);
    assert_eq!(all.len(), 1, "one page request expected in {fx:?}");
    all[0].0
}

fn counts_asked(fx: &[Effect]) -> Vec<Ticket> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::CountSignals { ticket, .. } => Some(*ticket),
            _ => None,
        })
        .collect()
}

/// The REST requests among `fx` (what the portal's bucket charges).
fn requests(fx: &[Effect]) -> usize {
    fx.iter()
        .filter(|e| {
            matches!(
                e,
                Effect::FetchPage { .. }
                    | Effect::Prefetch { .. }
                    | Effect::AskUsers(_)
                    | Effect::LoadTemplates
                    | Effect::DetectPlan
                    | Effect::CountSignals { .. }
            )
        })
        .count()
}

fn start_of(request: &PageRequest) -> u64 {
    match request {
        PageRequest::Single { query } => query.start,
        PageRequest::Batch { parts, .. } => parts[0].1,
    }
}

fn edit(screen: &mut Screen, edit: ViewEdit, seconds: i64) -> Vec<Effect> {
    screen.update(Event::Edit {
        edit,
        at: at(seconds),
    })
}

fn answer_page(
    screen: &mut Screen,
    ticket: Ticket,
    page: WorkflowPage,
    seconds: i64,
) -> Vec<Effect> {
    screen.update(Event::PageAnswered {
        ticket,
        result: answer(page),
        at: at(seconds),
    })
}

/// A screen started on `view`, with the start's effects.
fn started(view: ViewState) -> (Screen, Vec<Effect>) {
    let mut screen = Screen::new(view, Lang::En, at(0));
    let fx = screen.update(Event::Start { at: at(0) });
    (screen, fx)
}

/// A screen showing the first 50 of `total` rows, with the effects of
/// that answer.
fn showing(total: u64) -> (Screen, Vec<Effect>) {
    let (mut screen, fx) = started(ViewState::default());
    let ticket = one_fetch(&fx);
    let fx = screen.update(Event::PageAnswered {
        ticket,
        result: first_answer(page(0, 50.min(total), total)),
        at: at(1),
    });
    (screen, fx)
}

fn shown_start(screen: &Screen) -> Option<u64> {
    screen.shown().and_then(|s| s.page.rows.first()).map(|r| {
        r.id.as_str()
            .trim_start_matches("wf")
            .parse()
            .unwrap_or(u64::MAX)
    })
}

#[test]
fn the_first_screen_is_one_request_for_rows_people_plan_and_templates_beside_the_counts() {
    let (screen, fx) = started(ViewState::default());
    assert!(matches!(fx[0], Effect::SetFragment(_)));
    let Effect::FetchPage { ask, .. } = &fx[1] else {
        panic!("the page goes first: {fx:?}");
    };
    assert!(matches!(ask, PageAsk::First(_)), "rows, people and lookups");
    assert!(matches!(fx[2], Effect::CountSignals { .. }));
    assert_eq!(fx.len(), 3);
    assert_eq!(requests(&fx), 2);
    assert_eq!(*screen.status(), Status::Loading);
    assert!(screen.shown().is_none());
}

#[test]
fn the_lookups_answered_in_the_batch_cost_nothing_more() {
    let (mut screen, fx) = started(ViewState::default());
    let ticket = one_fetch(&fx);
    let fx = screen.update(Event::PageAnswered {
        ticket,
        result: first_answer_with(
            page(0, 50, 50),
            true,
            TemplatesPart::Loaded(Ok(Templates::default())),
        ),
        at: at(1),
    });
    assert_eq!(requests(&fx), 0, "{fx:?}");
    assert!(fx.contains(&Effect::Mark(Mark::Named)), "{fx:?}");
    // Later screens carry no lookups.
    let fx = screen.update(Event::Refresh { at: at(9) });
    let Some(Effect::FetchPage { ask, .. }) =
        fx.iter().find(|e| matches!(e, Effect::FetchPage { .. }))
    else {
        panic!("{fx:?}");
    };
    assert!(matches!(ask, PageAsk::WithPeople(_)));
}

#[test]
fn lookups_the_batch_did_not_bring_are_asked_alone() {
    let (mut screen, fx) = started(ViewState::default());
    let ticket = one_fetch(&fx);
    let fx = screen.update(Event::PageAnswered {
        ticket,
        result: first_answer_with(page(0, 50, 50), false, TemplatesPart::Missing),
        at: at(1),
    });
    assert!(fx.contains(&Effect::LoadTemplates), "{fx:?}");
    assert!(fx.contains(&Effect::DetectPlan), "{fx:?}");
    // A failed first page: the lookups go alone, once.
    let (mut screen, fx) = started(ViewState::default());
    let ticket = one_fetch(&fx);
    let fx = screen.update(Event::PageAnswered {
        ticket,
        result: Err(busy_error()),
        at: at(1),
    });
    assert_eq!(fx, vec![Effect::LoadTemplates, Effect::DetectPlan]);
    let fx = screen.update(Event::Retry { at: at(5) });
    assert!(!fx.contains(&Effect::LoadTemplates));
}

#[test]
fn a_first_request_superseded_hands_its_lookups_to_the_next() {
    let (mut screen, fx) = started(ViewState::default());
    let first = one_fetch(&fx);
    let fx = edit(&mut screen, ViewEdit::SetPageSize(PageSize::Hundred), 1);
    let Some(Effect::FetchPage { ticket, ask }) =
        fx.iter().find(|e| matches!(e, Effect::FetchPage { .. }))
    else {
        panic!("{fx:?}");
    };
    assert!(matches!(ask, PageAsk::First(_)), "{ask:?}");
    assert!(!fx.contains(&Effect::LoadTemplates));
    // The aborted one's late answer changes nothing.
    assert!(answer_page(&mut screen, first, page(0, 50, 50), 2).is_empty());
    let fx = screen.update(Event::PageAnswered {
        ticket: *ticket,
        result: first_answer(page(0, 100, 100)),
        at: at(3),
    });
    assert!(!fx.contains(&Effect::LoadTemplates) && !fx.contains(&Effect::DetectPlan));
}

#[test]
fn a_superseded_answer_is_dropped_and_its_request_aborted() {
    let (mut screen, fx) = started(ViewState::default());
    let first = one_fetch(&fx);
    let fx = edit(
        &mut screen,
        ViewEdit::ClickHeader {
            column: Field::Started.into(),
            shift: false,
        },
        1,
    );
    assert!(fx.contains(&Effect::Abort(Slot::Page)));
    let second = one_fetch(&fx);
    assert_ne!(first, second);
    // The old answer arrives late: nothing changes, nothing is done.
    let late = answer_page(&mut screen, first, page(0, 50, 120), 2);
    assert!(late.is_empty(), "{late:?}");
    assert!(screen.shown().is_none());
    assert_eq!(*screen.status(), Status::Loading);
    answer_page(&mut screen, second, page(0, 50, 120), 3);
    let shown = screen.shown().expect("the sorted rows");
    assert_eq!(shown.view, *screen.view());
    assert_eq!(*screen.status(), Status::Idle);
    assert!(!screen.is_stale());
}

#[test]
fn a_sort_costs_one_request_that_names_its_people() {
    let (mut screen, _) = showing(120);
    let fx = edit(
        &mut screen,
        ViewEdit::ClickHeader {
            column: Field::Modified.into(),
            shift: false,
        },
        5,
    );
    let asks: Vec<_> = fx
        .iter()
        .filter_map(|e| match e {
            Effect::FetchPage { ask, .. } => Some(ask),
            _ => None,
        })
        .collect();
    assert_eq!(asks.len(), 1);
    assert!(matches!(asks[0], PageAsk::WithPeople(_)));
    // Sorting is neither a new filter (no recount) nor a people lookup.
    assert_eq!(requests(&fx), 1, "{fx:?}");
    let ticket = one_fetch(&fx);
    let mut rows = page(0, 50, 120);
    rows.rows[0].started_by = Some(UserId(9));
    let fx = screen.update(Event::PageAnswered {
        ticket,
        result: Ok(PageAnswer {
            page: rows,
            people: vec![user(1), user(9)],
            settled: vec![],
            lookups: None,
        }),
        at: at(6),
    });
    assert!(
        !fx.iter().any(|e| matches!(e, Effect::AskUsers(_))),
        "the batch named everyone: {fx:?}"
    );
}

#[test]
fn people_the_batch_did_not_name_are_asked_once() {
    let (mut screen, fx) = started(ViewState::default());
    let ticket = one_fetch(&fx);
    let mut rows = page(0, 50, 50);
    rows.rows[3].started_by = Some(UserId(8));
    let fx = answer_page(&mut screen, ticket, rows, 1);
    assert!(fx.contains(&Effect::AskUsers(vec![UserId(8)])), "{fx:?}");
    let fx = screen.update(Event::UsersAnswered {
        asked: vec![UserId(8)],
        result: Err(busy_error()),
    });
    assert!(fx.is_empty());
    assert_eq!(screen.names().users_error, Some(busy_error()));
}

#[test]
fn people_a_complete_batch_did_not_name_are_gone_and_not_asked_again() {
    let (mut screen, fx) = started(ViewState::default());
    let ticket = one_fetch(&fx);
    let mut rows = page(0, 50, 50);
    rows.rows[3].started_by = Some(UserId(412));
    let fx = screen.update(Event::PageAnswered {
        ticket,
        result: Ok(PageAnswer {
            page: rows,
            people: vec![user(1)],
            settled: vec![UserId(1), UserId(412)],
            lookups: None,
        }),
        at: at(1),
    });
    assert!(
        !fx.iter().any(|e| matches!(e, Effect::AskUsers(_))),
        "the batch settled everyone: {fx:?}"
    );
    let t = Lang::En.texts();
    let label = screen.names().users.label(UserId(412), t);
    assert!(!label.is_pending(), "{label:?}");
}

#[test]
fn a_prefetched_next_page_costs_no_request() {
    let (mut screen, fx) = showing(160);
    let (ahead, request) = prefetches(&fx).pop().expect("page 2 fetched ahead");
    assert_eq!(start_of(&request), 50);
    let fx = screen.update(Event::Prefetched {
        ticket: ahead,
        result: answer(page(50, 50, 160)),
        at: at(2),
    });
    assert_eq!(requests(&fx), 0, "user 1 is known: {fx:?}");
    let fx = edit(&mut screen, ViewEdit::GoTo(PageTarget::Next), 3);
    assert!(fetches(&fx).is_empty(), "no request for page 2: {fx:?}");
    assert_eq!(shown_start(&screen), Some(50));
    assert_eq!(*screen.status(), Status::Idle);
    // ... and page 3 is fetched ahead in turn.
    let next = prefetches(&fx);
    assert_eq!(next.len(), 1);
    assert_eq!(start_of(&next[0].1), 100);
}

#[test]
fn next_pressed_before_the_prefetch_came_waits_for_it() {
    let (mut screen, fx) = showing(160);
    let (ahead, _) = prefetches(&fx).pop().expect("page 2 fetched ahead");
    let fx = edit(&mut screen, ViewEdit::GoTo(PageTarget::Next), 2);
    assert!(fetches(&fx).is_empty(), "{fx:?}");
    assert!(!fx.contains(&Effect::Abort(Slot::Prefetch)));
    assert_eq!(*screen.status(), Status::Loading);
    screen.update(Event::Prefetched {
        ticket: ahead,
        result: answer(page(50, 50, 160)),
        at: at(3),
    });
    assert_eq!(shown_start(&screen), Some(50));
    assert_eq!(*screen.status(), Status::Idle);
}

#[test]
fn an_old_prefetch_is_not_shown() {
    let (mut screen, fx) = showing(160);
    let (ahead, _) = prefetches(&fx).pop().expect("page 2 fetched ahead");
    screen.update(Event::Prefetched {
        ticket: ahead,
        result: answer(page(50, 50, 160)),
        at: at(2),
    });
    let fx = edit(&mut screen, ViewEdit::GoTo(PageTarget::Next), 2 + 61);
    let asked = fetches(&fx);
    assert_eq!(asked.len(), 1, "a minute-old page is asked again");
    assert_eq!(start_of(&asked[0].1), 50);
}

#[test]
fn a_changed_total_between_pages_is_noticed() {
    let (mut screen, _) = showing(160);
    // Page 3 (not prefetched): the list shrank meanwhile.
    let fx = edit(&mut screen, ViewEdit::GoTo(PageTarget::Number(3)), 2);
    let ticket = one_fetch(&fx);
    answer_page(&mut screen, ticket, page(100, 50, 157), 3);
    assert_eq!(
        screen.notice(),
        Some(Notice::TotalChanged(TotalChange {
            before: 160,
            after: 157
        }))
    );
    // A new filter expects a new total: no notice.
    let fx = edit(&mut screen, ViewEdit::TogglePreset(Preset::Stuck), 4);
    let ticket = one_fetch(&fx);
    answer_page(&mut screen, ticket, page(0, 12, 12), 5);
    assert_eq!(screen.notice(), None);
}

#[test]
fn cancel_keeps_the_rows_and_retry_asks_again() {
    let (mut screen, _) = showing(160);
    let fx = edit(&mut screen, ViewEdit::GoTo(PageTarget::Last), 2);
    let ticket = one_fetch(&fx);
    let busy = Busy {
        reason: BusyReason::RateLimited,
        until_ms: 5_000.0,
        attempt: 2,
    };
    screen.update(Event::Busy(Some(busy)));
    assert_eq!(screen.busy(), Some(busy));
    assert_eq!(screen.update(Event::Cancel), vec![Effect::CancelWaiting]);
    screen.update(Event::Busy(None));
    screen.update(Event::PageAnswered {
        ticket,
        result: Err(RestError::Cancelled),
        at: at(3),
    });
    assert_eq!(*screen.status(), Status::Stopped);
    assert_eq!(shown_start(&screen), Some(0), "page 1 stays");
    assert!(screen.is_stale(), "the headers name page 4");
    let fx = screen.update(Event::Retry { at: at(10) });
    let asked = fetches(&fx);
    assert_eq!(asked.len(), 1);
    assert_eq!(start_of(&asked[0].1), 150);
    assert_eq!(*screen.status(), Status::Loading);
    assert_eq!(screen.time(), at(10), "a retry is against now");
}

#[test]
fn a_failure_is_kept_until_a_retry_succeeds() {
    let (mut screen, fx) = started(ViewState::default());
    let ticket = one_fetch(&fx);
    screen.update(Event::PageAnswered {
        ticket,
        result: Err(busy_error()),
        at: at(1),
    });
    assert_eq!(*screen.status(), Status::Failed(busy_error()));
    let fx = screen.update(Event::Retry { at: at(20) });
    let ticket = one_fetch(&fx);
    assert_eq!(counts_asked(&fx).len(), 1, "the counts are asked again too");
    answer_page(&mut screen, ticket, page(0, 3, 3), 21);
    assert_eq!(*screen.status(), Status::Idle);
    assert_eq!(screen.total(), 3);
}

#[test]
fn rows_that_break_a_filter_raise_the_ignored_filter_alert() {
    let mut view = ViewState::default();
    view.set_filter(Filter::StartedBy(UserId(7)));
    let (mut screen, fx) = started(view);
    let ticket = one_fetch(&fx);
    let mut rows = page(0, 3, 3);
    rows.rows
        .iter_mut()
        .for_each(|r| r.started_by = Some(UserId(7)));
    answer_page(&mut screen, ticket, rows.clone(), 1);
    assert!(screen.ignored().is_empty());
    let fx = screen.update(Event::Refresh { at: at(5) });
    let ticket = one_fetch(&fx);
    rows.rows[1].started_by = Some(UserId(8));
    answer_page(&mut screen, ticket, rows, 6);
    let ignored = screen.ignored();
    assert_eq!(ignored.len(), 1);
    assert_eq!(ignored[0].filter, Filter::StartedBy(UserId(7)));
    assert_eq!(ignored[0].rows, vec![WorkflowId::new("wf1")]);
}

#[test]
fn auto_refresh_asks_the_same_view_and_never_touches_it() {
    let (mut screen, _) = showing(120);
    assert!(screen
        .update(Event::AutoRefreshDue { at: at(30) })
        .is_empty());
    screen.update(Event::SetAutoRefresh(true));
    let view = screen.view().clone();
    let fx = screen.update(Event::AutoRefreshDue { at: at(60) });
    let asked = fetches(&fx);
    assert_eq!(asked.len(), 1);
    assert_eq!(start_of(&asked[0].1), 0);
    assert_eq!(
        *screen.view(),
        view,
        "the view (and so every input) is untouched"
    );
    assert!(
        !fx.iter().any(|e| matches!(e, Effect::SetFragment(_))),
        "the URL stays: {fx:?}"
    );
    // Never in the way of an answer the admin is waiting for.
    let fx = edit(&mut screen, ViewEdit::SetPageSize(PageSize::Hundred), 61);
    assert_eq!(fetches(&fx).len(), 1);
    assert!(screen
        .update(Event::AutoRefreshDue { at: at(90) })
        .is_empty());
}

#[test]
fn counts_follow_the_filters_only_and_come_from_the_cache_within_the_minute() {
    let (mut screen, fx) = started(ViewState::default());
    let first = counts_asked(&fx)[0];
    let counts = SignalCounts {
        stuck: Count::Known(4),
        idle: Count::Known(9),
    };
    screen.update(Event::CountsAnswered {
        ticket: first,
        result: Ok(counts),
    });
    assert_eq!(screen.counts().known, Some(counts));
    let fx = edit(&mut screen, ViewEdit::SetPageSize(PageSize::TwoHundred), 2);
    assert!(counts_asked(&fx).is_empty(), "page size: no recount");
    let fx = edit(&mut screen, ViewEdit::TogglePreset(Preset::Stuck), 3);
    let stuck = counts_asked(&fx);
    assert_eq!(stuck.len(), 1);
    assert!(screen.counts().loading);
    let fx = edit(&mut screen, ViewEdit::TogglePreset(Preset::Stuck), 4);
    assert!(fx.contains(&Effect::Abort(Slot::Counts)));
    assert!(
        counts_asked(&fx).is_empty(),
        "back within the minute: cached"
    );
    assert_eq!(screen.counts().known, Some(counts));
    assert!(!screen.counts().loading);
    // The superseded count's late answer changes nothing.
    screen.update(Event::CountsAnswered {
        ticket: stuck[0],
        result: Err(busy_error()),
    });
    assert!(!screen.counts().failed);
    // A refresh forgets the cache.
    let fx = screen.update(Event::Refresh { at: at(5) });
    let again = counts_asked(&fx);
    assert_eq!(again.len(), 1);
    screen.update(Event::CountsAnswered {
        ticket: again[0],
        result: Err(busy_error()),
    });
    assert!(screen.counts().failed);
    assert_eq!(screen.counts().known, None);
}

#[test]
fn the_named_mark_comes_once_per_screen_when_every_name_is_known() {
    let (mut screen, fx) = showing(50);
    assert!(
        !fx.contains(&Effect::Mark(Mark::Named)),
        "templates not loaded"
    );
    assert!(fx.contains(&Effect::Mark(Mark::FirstRows)));
    let fx = screen.update(Event::TemplatesAnswered(Ok(Templates::default())));
    assert_eq!(fx, vec![Effect::Mark(Mark::Named)]);
    assert!(screen.all_named());
    let fx = screen.update(Event::UserPicked(user(3)));
    assert!(fx.is_empty(), "already marked for this screen");
    let fx = screen.update(Event::Refresh { at: at(9) });
    let ticket = one_fetch(&fx);
    let fx = answer_page(&mut screen, ticket, page(0, 50, 50), 10);
    assert!(fx.contains(&Effect::Mark(Mark::Named)));
    assert!(!fx.contains(&Effect::Mark(Mark::FirstRows)));
}

#[test]
fn a_column_change_is_saved_for_the_admin_and_kept_in_the_url() {
    let (mut screen, _) = showing(50);
    let fx = edit(
        &mut screen,
        ViewEdit::SetColumnVisible {
            column: Field::Modified.into(),
            visible: false,
        },
        2,
    );
    let Some(Effect::SaveOption { option, value }) =
        fx.iter().find(|e| matches!(e, Effect::SaveOption { .. }))
    else {
        panic!("the columns are saved: {fx:?}");
    };
    assert_eq!(*option, UserOption::Columns);
    assert_eq!(
        value.as_str(),
        Some(screen.view().columns().to_option_value().as_str())
    );
    assert!(fx.contains(&Effect::SetFragment(screen.view().to_fragment())));
    assert_eq!(fetches(&fx).len(), 1, "the SELECT changed");
    assert!(counts_asked(&fx).is_empty());
}

#[test]
fn an_edit_that_changes_nothing_does_nothing() {
    let (mut screen, _) = showing(50);
    assert!(edit(&mut screen, ViewEdit::GoTo(PageTarget::First), 2).is_empty());
    assert!(edit(&mut screen, ViewEdit::RemoveFilter(FilterKind::Template), 2).is_empty());
}

#[test]
fn saving_the_default_view_saves_it_and_says_so() {
    let (mut screen, _) = showing(50);
    let fx = screen.update(Event::SaveDefault);
    let names: Vec<&str> = fx
        .iter()
        .filter_map(|e| match e {
            Effect::SaveOption { option, .. } => Some(option.name()),
            _ => None,
        })
        .collect();
    assert_eq!(names, ["wm_view", "wm_columns"]);
    assert_eq!(screen.notice(), Some(Notice::SavedDefault));
}

#[test]
fn filter_changes_resolve_against_their_moment_sorting_keeps_it() {
    let (mut screen, _) = showing(50);
    edit(
        &mut screen,
        ViewEdit::TogglePreset(Preset::IdleFor7Days),
        100,
    );
    assert_eq!(screen.time(), at(100));
    edit(
        &mut screen,
        ViewEdit::ClickHeader {
            column: Field::Started.into(),
            shift: true,
        },
        200,
    );
    assert_eq!(screen.time(), at(100));
    screen.update(Event::Tick { at: at(300) });
    assert_eq!(screen.clock(), at(300));
    assert_eq!(screen.time(), at(100));
}

#[test]
fn every_slot_has_its_own_place_in_a_table_per_slot() {
    let mut seen = [false; Slot::COUNT];
    for slot in [Slot::Page, Slot::Prefetch, Slot::Counts, Slot::Resolve] {
        assert!(
            !std::mem::replace(&mut seen[slot.index()], true),
            "{slot:?}"
        );
    }
    assert!(seen.iter().all(|s| *s));
}

#[test]
fn a_count_that_is_the_lists_total_waits_for_the_list_of_those_filters() {
    let (mut screen, fx) = started(ViewState::default());
    let first = counts_asked(&fx)[0];
    answer_page(&mut screen, one_fetch(&fx), page(0, 50, 80), 1);
    screen.update(Event::CountsAnswered {
        ticket: first,
        result: Ok(SignalCounts {
            stuck: Count::Known(4),
            idle: Count::Known(9),
        }),
    });
    assert_eq!(
        screen.summary(),
        Summary {
            stuck: Some(4),
            idle: Some(9),
            loading: false,
            failed: false
        }
    );
    assert!(screen.summary().ready());
    // The stuck preset on: its count is the list's own total, which the
    // list on screen (other filters) cannot tell yet.
    let fx = edit(&mut screen, ViewEdit::TogglePreset(Preset::Stuck), 2);
    let counted = counts_asked(&fx)[0];
    screen.update(Event::CountsAnswered {
        ticket: counted,
        result: Ok(SignalCounts {
            stuck: Count::ListTotal,
            idle: Count::Known(2),
        }),
    });
    let summary = screen.summary();
    assert_eq!((summary.stuck, summary.idle), (None, Some(2)));
    assert!(!summary.ready(), "the old list's total is not the count");
    let ticket = one_fetch(&fx);
    answer_page(&mut screen, ticket, page(0, 7, 7), 3);
    assert_eq!(screen.summary().get(SignalKind::Stuck), Some(7));
    assert!(screen.summary().ready());
}

// ------------------------------------------------------------ selection

fn wf(i: u64) -> WorkflowId {
    WorkflowId::new(format!("wf{i}"))
}

#[test]
fn a_selection_survives_paging_and_a_filter_change_clears_it_and_says_so() {
    use crate::domain::actions::selection::{PageCheck, Selection};
    let (mut screen, _) = showing(120);
    screen.update(Event::Select(SelectEdit::Toggle(wf(3))));
    screen.update(Event::Select(SelectEdit::Toggle(wf(7))));
    assert_eq!(screen.selection().count(), 2);
    assert_eq!(screen.page_check(), PageCheck::Some);
    assert_eq!(screen.offer_all_matching(), None, "only for a whole page");
    let before = screen.view().page();
    edit(&mut screen, ViewEdit::GoTo(PageTarget::Next), 2);
    assert_ne!(screen.view().page(), before, "the page moved");
    assert_eq!(screen.selection().count(), 2, "paging keeps it");
    edit(
        &mut screen,
        ViewEdit::ClickHeader {
            column: crate::domain::table::view::Column::Age,
            shift: false,
        },
        3,
    );
    assert_eq!(screen.selection().count(), 2, "sorting keeps it");
    edit(
        &mut screen,
        ViewEdit::SetFilter(Filter::StartedBy(UserId(1))),
        4,
    );
    assert_eq!(screen.selection(), &Selection::Empty);
    assert_eq!(
        screen.notice().map(|n| n.text(Lang::En)),
        Some("The filters changed, so the selection of 2 workflows was cleared.".to_owned())
    );
}

#[test]
fn a_whole_page_offers_all_matching_and_stop_lists_the_filtered_set() {
    use crate::domain::actions::flow::{ActEffect, ActEvent, ActionKind, Stage};
    use crate::domain::actions::selection::Selection;
    let (mut screen, _) = showing(120);
    screen.update(Event::Select(SelectEdit::TogglePage));
    assert_eq!(screen.offer_all_matching(), Some(120));
    screen.update(Event::Select(SelectEdit::AllMatching));
    assert!(matches!(
        screen.selection(),
        Selection::AllMatching { total: 120, .. }
    ));
    assert_eq!(screen.selection().count(), 120);
    let fx = screen.update(Event::Act {
        event: ActEvent::Begin(ActionKind::Stop),
        at: at(5),
    });
    let [Effect::Act(ActEffect::Resolve { request, .. })] = fx.as_slice() else {
        panic!("one resolving request: {fx:?}");
    };
    assert_eq!(
        request.keys().count(),
        50,
        "a listing, 2,500 rows a request"
    );
    assert!(matches!(screen.acting().stage(), Stage::Resolving(_)));
    screen.update(Event::Select(SelectEdit::Clear));
    assert!(screen.selection().is_empty());
}

#[test]
fn a_finished_run_refreshes_the_table_and_counts_and_clears_the_selection() {
    use crate::domain::actions::flow::{ActEffect, ActEvent, ActionKind, Stage};
    use crate::domain::wire::batch::parse_batch;
    let (mut screen, _) = showing(3);
    assert_eq!(
        screen.me().map(|u| u.id),
        Some(UserId(42)),
        "the first screen's batch said who the admin is"
    );
    screen.update(Event::Me(user(9)));
    screen.update(Event::Select(SelectEdit::Toggle(wf(1))));
    let fx = screen.update(Event::Act {
        event: ActEvent::Begin(ActionKind::Stop),
        at: at(5),
    });
    let [Effect::Act(ActEffect::Resolve { seq, .. })] = fx.as_slice() else {
        panic!("a re-read: {fx:?}");
    };
    let reread = parse_batch(&serde_json::json!({"result": {
        "result": {"c0": [{"ID": "wf1", "TEMPLATE_ID": "1"}]}, "result_error": []
    }}))
    .expect("batch");
    screen.update(Event::Act {
        event: ActEvent::Resolved {
            seq: *seq,
            result: Ok(reread),
        },
        at: at(6),
    });
    let Stage::Confirming(c) = screen.acting().stage() else {
        panic!("confirming");
    };
    assert_eq!(c.status, "Stopped in Workflow Monitor by User Number 9");
    let fx = screen.update(Event::Act {
        event: ActEvent::Confirm,
        at: at(7),
    });
    assert_eq!(
        fx,
        vec![Effect::Act(ActEffect::Claim)],
        "the run lease first"
    );
    let fx = screen.update(Event::Act {
        event: ActEvent::Claimed(Ok(())),
        at: at(7),
    });
    // The journal first: the header and the row's snapshot, named as the
    // admin saw it, before anything is done.
    let [Effect::Act(ActEffect::Repeatable { seq, request })] = fx.as_slice() else {
        panic!("the journal's start, safe to repeat: {fx:?}");
    };
    assert_eq!(request.keys().collect::<Vec<_>>(), ["h_run", "h0"]);
    let start = request.to_params().to_string();
    assert!(
        start.contains("entity.item.add") && start.contains("wmruns"),
        "{start}"
    );
    assert!(
        start.contains("User%20Number%209"),
        "who started it: {start}"
    );
    let written = parse_batch(&serde_json::json!({"result": {
        "result": {"h_run": 71, "h0": 72}, "result_error": []
    }}))
    .expect("batch");
    let fx = screen.update(Event::Act {
        event: ActEvent::Sent {
            seq: *seq,
            result: Ok(written),
        },
        at: at(7),
    });
    let [Effect::Act(ActEffect::Send { seq, request })] = fx.as_slice() else {
        panic!("one batch: {fx:?}");
    };
    assert_eq!(request.keys().collect::<Vec<_>>(), ["c0"], "no outcome yet");
    let done = parse_batch(&serde_json::json!({"result": {
        "result": {"c0": true}, "result_error": []
    }}))
    .expect("batch");
    let fx = screen.update(Event::Act {
        event: ActEvent::Sent {
            seq: *seq,
            result: Ok(done),
        },
        at: at(8),
    });
    assert!(fetches(&fx).is_empty(), "not before the journal is closed");
    let [Effect::Act(ActEffect::Repeatable { seq, request })] = fx.as_slice() else {
        panic!("the journal's close: {fx:?}");
    };
    assert_eq!(request.keys().collect::<Vec<_>>(), ["h1", "h_end"]);
    let close = request.to_params().to_string();
    assert!(
        close.contains("entity.item.update") && close.contains("ID=71"),
        "{close}"
    );
    let closed = parse_batch(&serde_json::json!({"result": {
        "result": {"h1": 73, "h_end": true}, "result_error": []
    }}))
    .expect("batch");
    let fx = screen.update(Event::Act {
        event: ActEvent::Sent {
            seq: *seq,
            result: Ok(closed),
        },
        at: at(9),
    });
    assert_eq!(fetches(&fx).len(), 1, "the table refreshes");
    assert_eq!(
        counts_asked(&fx).len(),
        1,
        "so do the stuck and idle counts"
    );
    assert!(screen.selection().is_empty());
    assert!(matches!(screen.acting().stage(), Stage::Finished(_)));
}
