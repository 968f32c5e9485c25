//! The workflows screen: the view (sort, filters, page, page size, columns)
//! kept in the URL fragment, the page of rows for it, prefetching of the
//! next page, and the notices about what the portal did.

use std::rc::Rc;

use futures::future::{AbortHandle, Abortable};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::json;

use crate::domain::display::names::{started_by, UserNames};
use crate::domain::display::theme::Theme;
use crate::domain::i18n::Lang;
use crate::domain::methods::instances::WorkflowPage;
use crate::domain::methods::limits::Busy;
use crate::domain::methods::limits::{reaction, Reaction};
use crate::domain::methods::session::Session;
use crate::domain::table::filters::{violations, Filter, FilterKind};
use crate::domain::table::fragment::SavedOptions;
use crate::domain::table::paging::TotalChange;
use crate::domain::table::requests::Prefetched;
use crate::domain::table::view::{Columns, ViewState};
use crate::domain::time::TimeContext;
use crate::domain::wire::errors::RestError;
use crate::portal::FrameClient;
use crate::rest::RestClient;
use crate::ui::browser::clock::time_context;
use crate::ui::browser::marks;
use crate::ui::browser::url;
use crate::ui::busy_line::{BusyLine, StoppedLine};
use crate::ui::columns_menu::ColumnsMenu;
use crate::ui::filters_bar::{FilterChange, FiltersBar};
use crate::ui::frame_auth::FrameAuth;
use crate::ui::i18n::lang;
use crate::ui::names::{Names, NamesNote};
use crate::ui::pager::Pager;
use crate::ui::portal_links::PortalLinks;
use crate::ui::signals_summary::SignalsSummary;
use crate::ui::states::{Failure, Loading};
use crate::ui::theme_switch::ThemeSwitch;
use crate::ui::workflows_table::WorkflowsTable;

/// The headline and explanation an administrator gets for an error.
fn explain(err: &RestError, lang: Lang) -> (String, String) {
    let t = lang.texts();
    match err {
        RestError::AccessDenied { .. } => (
            t.admins_only_title.to_owned(),
            t.admins_only_text.to_owned(),
        ),
        RestError::MethodNotFound { .. } => {
            (t.no_bizproc_title.to_owned(), t.no_bizproc_text.to_owned())
        }
        // The reason is the frame client's own message, in `lang`.
        RestError::RefreshFailed(e) => (t.renewal_failed_title.to_owned(), e.reason.clone()),
        other => (t.load_failed.to_owned(), other.message(lang)),
    }
}

/// How often the optional auto-refresh asks again.
const AUTO_REFRESH_MS: u32 = 30_000;

/// How often "3 min ago", the spans and the signals catch up with the
/// clock between answers.
const CLOCK_TICK_MS: u32 = 30_000;

/// A page on screen, with the view and time it was asked for.
#[derive(Clone)]
struct Shown {
    view: ViewState,
    time: TimeContext,
    page: WorkflowPage,
}

/// The workflows screen.
#[component]
pub fn WorkflowsPage(client: FrameClient, session: Session) -> impl IntoView {
    let lang = lang();
    let t = lang.texts();
    let rest = Rc::new(RestClient::new(
        session.portal.clone(),
        Rc::new(FrameAuth::new(client.clone(), lang)),
    ));
    // The plan sizes the client's bucket; until it is known (and if it
    // never is) the safe 2/s, 50 applies. It goes beside the first page,
    // never before it.
    {
        let rest = Rc::clone(&rest);
        spawn_local(async move {
            let _ = rest.detect_plan().await;
        });
    }
    // A wait to retry, shown as "Portal is busy, retrying in N s…".
    let busy = RwSignal::new(None::<Busy>);
    rest.limiter().subscribe(move |b| {
        let _ = busy.try_set(b);
    });
    // The admin pressed "Cancel": the table keeps its rows.
    let stopped = RwSignal::new(false);
    let saved: SavedOptions =
        serde_json::from_value(serde_json::Value::Object(session.user_options.clone()))
            .unwrap_or_default();
    let view = RwSignal::new(saved.initial_view(&url::read_fragment()));
    let time = RwSignal::new(time_context());
    let refresh = RwSignal::new(0u64);
    let shown = RwSignal::new(None::<Shown>);
    let failure = RwSignal::new(None::<RestError>);
    let loading = RwSignal::new(false);
    let notice = RwSignal::new(None::<String>);
    let prefetched = StoredValue::new_local(None::<Prefetched>);
    let in_flight = StoredValue::new_local(None::<AbortHandle>);
    let first_paint = StoredValue::new(true);
    // Template names load beside the first page of rows; user names come
    // after each screen's rows, and with each prefetched page (one request
    // for the people not met yet).
    let names = Names::load(&rest);
    let links = PortalLinks::new(session.portal.origin(), client.clone());
    let change = FilterChange::new(view, time);
    // The clock the rows are shown against: set with every page shown,
    // and ticking while the tab is visible.
    let clock = RwSignal::new(time_context());
    let tick = gloo_timers::callback::Interval::new(CLOCK_TICK_MS, move || {
        if !url::page_hidden() {
            clock.set(time_context());
        }
    });
    let _tick = StoredValue::new_local(tick);

    let counts_rest = Rc::clone(&rest);
    let rest_for_cancel = Rc::clone(&rest);
    // The view lives in the URL fragment: bookmarkable, survives a reload.
    Effect::new(move |_| url::write_fragment(&view.with(|v| v.to_fragment())));

    let start_prefetch = {
        let rest = Rc::clone(&rest);
        move |v: &ViewState, t: TimeContext, total: u64| {
            let Some(request) = v.prefetch_next(t, total) else {
                return;
            };
            let rest = Rc::clone(&rest);
            spawn_local(async move {
                if let Ok(page) = rest.fetch_page(&request).await {
                    // Its people are asked now too, so Next shows a named
                    // table at once (one `user.get` for the new ones, and
                    // none when the page is shown).
                    names.ask_users(&rest, started_by(&page.rows));
                    prefetched.set_value(Some(Prefetched {
                        request,
                        page,
                        fetched_at: time_context().now,
                    }));
                }
            });
        }
    };

    // Counts the screens shown, so `wm:named` is set once per screen.
    let screens = RwSignal::new(0u64);
    let names_rest = Rc::clone(&rest);
    let show = move |v: ViewState, t: TimeContext, page: WorkflowPage| {
        marks::mark_now(marks::ROWS_DATA);
        // The people on this screen, and the one a restored "Started by"
        // filter names (for its chip), in one request.
        let chosen = match v.filters().get(FilterKind::StartedBy) {
            Some(Filter::StartedBy(u)) => Some(*u),
            _ => None,
        };
        names.ask_users(&names_rest, started_by(&page.rows).chain(chosen));
        let previous = shown.get_untracked();
        let changed = previous
            .as_ref()
            .filter(|p| p.view.same_list(&v) && p.view.page() != v.page())
            .and_then(|p| TotalChange::detect(Some(p.page.total), page.total));
        notice.set(changed.map(|c| c.message(lang)));
        failure.set(None);
        stopped.set(false);
        loading.set(false);
        clock.set(time_context());
        start_prefetch(&v, t, page.total);
        screens.update(|n| *n += 1);
        shown.set(Some(Shown {
            view: v,
            time: t,
            page,
        }));
        marks::mark_after_paint(marks::ROWS);
        if first_paint.get_value() {
            first_paint.set_value(false);
            marks::mark_after_paint(marks::FIRST_ROWS);
        }
    };
    // `wm:named` once every name on the screen is known (syncs the page's
    // performance timeline, nothing else).
    Effect::new(move |marked: Option<u64>| {
        let screen = screens.get();
        let named = shown.with(|s| s.as_ref().is_some_and(|s| names.all_named(&s.page.rows)));
        if named && marked != Some(screen) {
            marks::mark_after_paint(marks::NAMED);
            return screen;
        }
        marked.unwrap_or(u64::MAX)
    });

    // Every change of the view (or a refresh) asks for its page; an older
    // request still under way is aborted and its answer never shown.
    let filters_rest = Rc::clone(&rest);
    Effect::new(move |_| {
        refresh.track();
        let v = view.get();
        let t = time.get();
        let known_total = shown.with_untracked(|s| {
            s.as_ref()
                .filter(|s| s.view.same_list(&v))
                .map(|s| s.page.total)
        });
        let request = v.request(t, known_total);
        if let Some(old) = in_flight.get_value() {
            old.abort();
        }
        let hit = prefetched
            .try_update_value(|p| p.take())
            .flatten()
            .and_then(|p| p.answer(&request, time_context().now));
        let show = show.clone();
        if let Some(page) = hit {
            show(v, t, page);
            return;
        }
        loading.set(true);
        // A first screen (nobody known yet) asks its people in the same
        // batch as its rows, by reference: the table comes named in one
        // round trip. Later screens ask only for people not met yet.
        let with_people = names
            .users
            .with_untracked(UserNames::is_empty)
            .then(|| request.with_people(known_total))
            .flatten();
        let rest = Rc::clone(&rest);
        let (handle, registration) = AbortHandle::new_pair();
        in_flight.set_value(Some(handle));
        spawn_local(async move {
            let load = async {
                match &with_people {
                    Some(both) => {
                        let (page, people) = rest.fetch_page_with_people(both).await?;
                        names.remember_all(&people);
                        Ok(page)
                    }
                    None => rest.fetch_page(&request).await,
                }
            };
            let fetched = Abortable::new(load, registration).await;
            match fetched {
                Err(_aborted) => {}
                Ok(Ok(page)) => show(v, t, page),
                Ok(Err(RestError::Cancelled)) => {
                    loading.set(false);
                    stopped.set(true);
                }
                Ok(Err(err)) => {
                    loading.set(false);
                    failure.set(Some(err));
                }
            }
        });
    });

    // A refresh asks again for the same view (same page, same filters):
    // only the clock moves on, so presets like "Stuck" mean "now" again.
    let reload = move || {
        stopped.set(false);
        prefetched.set_value(None);
        time.set(time_context());
        refresh.update(|n| *n += 1);
    };
    let on_refresh = move |_| reload();
    // Held by the reactive owner: callbacks must not hold an `Rc` itself.
    let limiter = StoredValue::new_local(Rc::clone(rest_for_cancel.limiter()));
    let on_cancel = Callback::new(move |()| limiter.with_value(|l| l.cancel_waiting()));
    let on_retry = Callback::new(move |()| reload());
    // Optional auto-refresh. It touches neither the view nor the filter
    // inputs, so it never interrupts typing; a hidden tab is not refreshed.
    let auto = RwSignal::new(false);
    let ticker = StoredValue::new_local(None::<gloo_timers::callback::Interval>);
    Effect::new(move |_| {
        let on = auto.get();
        ticker.set_value(on.then(|| {
            gloo_timers::callback::Interval::new(AUTO_REFRESH_MS, move || {
                if !url::page_hidden() {
                    reload();
                }
            })
        }));
    });
    let frame = StoredValue::new_local(client);
    let save_columns = Callback::new(move |columns: Columns| {
        let value = columns.to_option_value();
        // Kept per user by the portal; a refused save costs nothing visible.
        frame.with_value(|f| {
            let _ = f.send(
                "setUserOption",
                Some(json!({"name": "wm_columns", "value": value})),
            );
        });
    });
    let save_default = move |_| {
        let mut saved = SavedOptions::default();
        view.with_untracked(|v| saved.save_default(v));
        let Ok(serde_json::Value::Object(options)) = serde_json::to_value(&saved) else {
            return;
        };
        frame.with_value(|f| {
            for (name, value) in options {
                let _ = f.send("setUserOption", Some(json!({"name": name, "value": value})));
            }
        });
        notice.set(Some(t.saved_default_view.to_owned()));
    };
    // Rows are stale while a newer answer is awaited, and whenever they
    // belong to another view than the one asked for (its request failed
    // or was cancelled): the headers already show the new order.
    let stale = move || {
        loading.get() || shown.with(|s| s.as_ref().is_some_and(|s| view.with(|v| *v != s.view)))
    };
    let total = Signal::derive(move || shown.with(|s| s.as_ref().map_or(0, |s| s.page.total)));
    let listed = Signal::derive(move || {
        shown.with(|s| s.as_ref().map(|s| (s.view.filters().clone(), s.page.total)))
    });
    let showing = Signal::derive(move || {
        shown.with(|s| {
            s.as_ref().map_or_else(String::new, |s| {
                s.view.showing(s.page.rows.len(), s.page.total).text(lang)
            })
        })
    });
    let ignored = move || {
        shown.with(|s| {
            s.as_ref().map_or_else(Vec::new, |s| {
                violations(&s.page.rows, s.view.filters(), s.time)
                    .into_iter()
                    .map(|v| v.message(lang))
                    .collect::<Vec<_>>()
            })
        })
    };

    view! {
        <main class="wm-page">
            <div class="wm-toolbar">
                <h1 class="wm-toolbar__title">{t.running_workflows}</h1>
                <div class="wm-toolbar__actions">
                    <ColumnsMenu view=view on_saved=save_columns/>
                    <ThemeSwitch initial=Theme::saved(&session.user_options) frame=frame/>
                    <button class="wm-button" type="button" on:click=save_default>
                        {t.save_default_view}
                    </button>
                    <label class="wm-toggle">
                        <input type="checkbox" prop:checked=move || auto.get()
                            on:change=move |ev| auto.set(event_target_checked(&ev))/>
                        {t.auto_refresh}
                    </label>
                    <button class="wm-button" type="button" on:click=on_refresh>{t.refresh}</button>
                </div>
            </div>
            <FiltersBar view=view rest=filters_rest time=time names=names/>
            <Show when=move || shown.with(Option::is_some)>
                <NamesNote names=names/>
            </Show>
            <SignalsSummary view=view time=time refresh=refresh listed=listed rest=counts_rest/>
            {move || {
                ignored()
                    .into_iter()
                    .map(|m| view! { <p class="wm-banner wm-banner--warning" role="alert">{m}</p> })
                    .collect_view()
            }}
            {move || notice.get().map(|m| view! { <p class="wm-banner" role="status">{m}</p> })}
            <BusyLine busy=busy.into() on_cancel=on_cancel/>
            {move || stopped.get().then(|| view! { <StoppedLine on_retry=on_retry/> })}
            {move || {
                failure.get().map(|err| {
                    let (title, message) = explain(&err, lang);
                    // Retries ran out on a passing failure (busy portal,
                    // 5xx, network): ask again in place, keeping the view.
                    let retry = (reaction(&err) != Reaction::Hard).then_some(on_retry);
                    view! { <Failure title=title message=message retry=retry/> }
                })
            }}
            {move || match shown.get() {
                None if failure.with(Option::is_none) && !stopped.get() => {
                    Some(view! { <Loading text=t.loading_workflows/> }.into_any())
                }
                None => None,
                Some(s) if s.page.rows.is_empty() => {
                    Some(
                        view! {
                            <section class="wm-state wm-state--empty">
                                <h2 class="wm-state__title">{t.empty_title}</h2>
                                <p class="wm-state__text">
                                    {if s.view.filters().is_empty() {
                                        t.empty_portal
                                    } else {
                                        t.empty_filtered
                                    }}
                                </p>
                            </section>
                        }
                            .into_any(),
                    )
                }
                Some(s) => {
                    Some(
                        view! {
                            <div class="wm-table-wrap" class:wm-table-wrap--stale=stale
                                aria-busy=move || loading.get().to_string()>
                                <WorkflowsTable
                                    rows=s.page.rows
                                    view=view
                                    now=clock.into()
                                    names=names
                                    links=links
                                    change=change
                                />
                            </div>
                        }
                            .into_any(),
                    )
                }
            }}
            {move || shown.with(Option::is_some).then(|| view! { <Pager view=view total=total showing=showing/> })}
        </main>
    }
}
