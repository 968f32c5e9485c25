//! The workflows screen: the shell of the screen core
//! (`domain::screen`). It builds the clients, starts the core and renders
//! its state; every control dispatches an event, nothing else.

use std::rc::Rc;

use leptos::prelude::*;

use crate::domain::methods::limits::{reaction, Reaction};
use crate::domain::methods::session::Session;
use crate::domain::screen::{Event, Screen, Status};
use crate::domain::table::fragment::SavedOptions;
use crate::portal::FrameClient;
use crate::rest::RestClient;
use crate::ui::actions::{ActingPanel, LeftBanner, SelectionBar};
use crate::ui::browser::clock::time_context;
use crate::ui::browser::url;
use crate::ui::busy_line::{BusyLine, StoppedLine};
use crate::ui::choice_switch::{density_switch, theme_switch};
use crate::ui::columns_menu::ColumnsMenu;
use crate::ui::export::{ExportButton, ExportPanel};
use crate::ui::filters_bar::{FilterChange, FiltersBar};
use crate::ui::frame_auth::FrameAuth;
use crate::ui::history::HistoryPanel;
use crate::ui::i18n::lang;
use crate::ui::names::{Names, NamesNote};
use crate::ui::overview::{saved_open, OverviewRegion};
use crate::ui::pager::Pager;
use crate::ui::portal_links::PortalLinks;
use crate::ui::screen::ScreenHandle;
use crate::ui::signals_summary::SignalsSummary;
use crate::ui::states::{Failure, Loading};
use crate::ui::workflows_table::WorkflowsTable;

/// The workflows screen.
#[component]
pub fn WorkflowsPage(client: FrameClient, session: Session) -> impl IntoView {
    let lang = lang();
    let t = lang.texts();
    let auth = Rc::new(FrameAuth::new(client.clone(), lang));
    let rest = Rc::new(RestClient::new(session.portal.clone(), auth));
    let saved: SavedOptions =
        serde_json::from_value(serde_json::Value::Object(session.user_options.clone()))
            .unwrap_or_default();
    let first = saved.initial_view(&url::read_fragment());
    let core = Screen::new(first, lang, time_context());
    let screen = ScreenHandle::start(core, Rc::clone(&rest), client.clone());
    let names = Names::of(screen);
    let change = FilterChange::new(screen);
    let origin = session.portal.origin().to_owned();
    let links = PortalLinks::new(session.portal.origin(), client.clone());
    let overview_open = saved_open(&session.user_options);
    let frame = StoredValue::new_local(client);
    let shown = screen.slice(|s| s.shown().cloned());
    let status = screen.slice(|s| s.status().clone());
    // Banners read the screen on each change: their text is compared
    // before the DOM is touched, so an unchanged banner is not announced
    // again.
    let notice = move || screen.read(|s| s.notice().map(|n| n.text(lang)));
    let ignored = move || {
        screen.read(|s| {
            s.ignored()
                .iter()
                .map(|v| v.message(lang))
                .collect::<Vec<_>>()
        })
    };
    // The table keeps its own memo of the clock: it redraws on a tick only.
    let clock = Signal::derive(move || screen.read(Screen::clock));
    let busy = screen.slice(Screen::busy);
    let on = move |event: fn() -> Event| move |_| screen.dispatch(event());
    let refresh = || Event::Refresh { at: time_context() };
    let on_retry = Callback::new(move |()| screen.dispatch(Event::Retry { at: time_context() }));
    let on_cancel = Callback::new(move |()| screen.dispatch(Event::Cancel));
    let failure = move || match status.get() {
        Status::Failed(err) => Some(err),
        _ => None,
    };
    view! {
        <main class="wm-page">
            <div class="wm-toolbar">
                <h1 class="wm-toolbar__title">{t.running_workflows}</h1>
                <div class="wm-toolbar__actions">
                    <ExportButton screen=screen/>
                    <ColumnsMenu screen=screen/>
                    {theme_switch(&session.user_options, frame)}
                    {density_switch(&session.user_options, frame)}
                    <button class="wm-button" type="button" on:click=on(|| Event::SaveDefault)>
                        {t.save_default_view}
                    </button>
                    <label class="wm-toggle">
                        <input type="checkbox" prop:checked=move || screen.read(Screen::auto_refresh)
                            on:change=move |ev| screen.dispatch(Event::SetAutoRefresh(event_target_checked(&ev)))/>
                        {t.auto_refresh}
                    </label>
                    <button class="wm-button" type="button" on:click=on(refresh)>{t.refresh}</button>
                </div>
            </div>
            <FiltersBar change=change rest=rest names=names/>
            <Show when=move || shown.with(Option::is_some)>
                <NamesNote names=names/>
            </Show>
            <SignalsSummary change=change/>
            <OverviewRegion screen=screen open=overview_open frame=frame/>
            {move || ignored().into_iter()
                .map(|m| view! { <p class="wm-banner wm-banner--warning" role="alert">{m}</p> })
                .collect_view()}
            {move || notice().map(|m| view! { <p class="wm-banner" role="status">{m}</p> })}
            <LeftBanner screen=screen/>
            <HistoryPanel screen=screen/>
            <ActingPanel screen=screen names=names/>
            <SelectionBar screen=screen/>
            <ExportPanel screen=screen origin=origin/>
            <BusyLine busy=busy.into() on_cancel=on_cancel/>
            {move || (status.get() == Status::Stopped).then(|| view! { <StoppedLine on_retry=on_retry/> })}
            {move || failure().map(|err| {
                let (title, message) = err.headline(lang);
                // Retries ran out on a passing failure (busy portal, 5xx,
                // network): ask again in place, keeping the view.
                let retry = (reaction(&err) != Reaction::Hard).then_some(on_retry);
                view! { <Failure title=title message=message retry=retry/> }
            })}
            {move || match shown.get() {
                None => matches!(status.get(), Status::Idle | Status::Loading)
                    .then(|| view! { <Loading text=t.loading_workflows/> }.into_any()),
                Some(s) if s.page.rows.is_empty() => Some(view! {
                    <section class="wm-state wm-state--empty">
                        <h2 class="wm-state__title">{t.empty_title}</h2>
                        <p class="wm-state__text">
                            {if s.view.filters().is_empty() { t.empty_portal } else { t.empty_filtered }}
                        </p>
                    </section>
                }.into_any()),
                Some(s) => Some(view! {
                    <div class="wm-table-wrap" class:wm-table-wrap--stale=move || screen.read(Screen::is_stale)
                        aria-busy=move || (status.get() == Status::Loading).to_string()>
                        <WorkflowsTable rows=s.page.rows.clone() screen=screen now=clock
                            names=names links=links change=change/>
                    </div>
                }.into_any()),
            }}
            {move || shown.with(Option::is_some).then(|| view! { <Pager screen=screen/> })}
        </main>
    }
}
