//! The "History" view: the portal's runs, newest first, each opening its
//! workflows with their outcomes and a CSV. It renders the core's
//! [`HistoryView`](crate::domain::actions::history_view::HistoryView);
//! every portal text is rendered as text.

use leptos::prelude::*;

use crate::domain::actions::history::read::{RunRecord, Stored};
use crate::domain::actions::history::record::{RunHeader, RunState};
use crate::domain::actions::history_view::{HistoryEvent, Shown};
use crate::domain::actions::run::{Action, Outcome};
use crate::domain::actions::texts::counts_lines;
use crate::domain::i18n::{fill, Lang};
use crate::domain::screen::Event;
use crate::domain::time::format::absolute_text;
use crate::ui::i18n::lang;
use crate::ui::screen::ScreenHandle;

/// Rows of a run drawn at most (the CSV has them all).
const ROWS_SHOWN: usize = 500;

/// "History": the button, and the view when open.
#[component]
pub fn HistoryPanel(screen: ScreenHandle) -> impl IntoView {
    let lang = lang();
    let t = lang.texts();
    let shown = screen.slice(|s| s.history().shown().clone());
    let offset = move || untrack(|| screen.read(|s| s.clock().offset_minutes));
    let send = move |e: HistoryEvent| screen.dispatch(Event::History(e));
    let is_open = move || shown.with(|s| !matches!(s, Shown::Closed));
    view! {
        <div class="wm-history-bar">
            <button class="wm-button" type="button" id="wm-history"
                aria-expanded=move || is_open().to_string()
                on:click=move |_| send(if is_open() { HistoryEvent::Close } else { HistoryEvent::Open })>
                {t.history_button}
            </button>
        </div>
        {move || {
            let body = match shown.get() {
                Shown::Closed => return None,
                Shown::Runs(None) => view! { <p role="status">{t.history_loading}</p> }.into_any(),
                Shown::Runs(Some(Err(m))) | Shown::Run { record: Some(Err(m)), .. } => {
                    view! { <p class="wm-banner wm-banner--warning" role="alert">{m}</p> }.into_any()
                }
                Shown::Runs(Some(Ok(runs))) => runs_table(runs, lang, offset(), send).into_any(),
                Shown::Run { header, record: None } => view! {
                    <p role="status">{run_title(&header.value, lang, offset())}" — "{t.history_loading}</p>
                }
                .into_any(),
                Shown::Run { record: Some(Ok(record)), .. } => {
                    run_view(&record, lang, offset(), send).into_any()
                }
            };
            Some(view! {
                <section class="wm-history" role="region" aria-label=t.history_title>
                    <h2 class="wm-history__title">{t.history_title}</h2>
                    {body}
                    <button class="wm-button" type="button"
                        on:click=move |_| send(HistoryEvent::Close)>{t.close}</button>
                </section>
            })
        }}
    }
}

fn action_word(action: &Action, lang: Lang) -> &'static str {
    let t = lang.texts();
    match action {
        Action::Stop { .. } => t.history_action_stop,
        Action::Delete => t.history_action_delete,
    }
}

fn state_word(state: RunState, lang: Lang) -> &'static str {
    let t = lang.texts();
    match state {
        RunState::Running => t.history_state_running,
        RunState::Finished => t.history_state_finished,
        RunState::Cancelled => t.history_state_cancelled,
        RunState::Interrupted => t.history_state_interrupted,
    }
}

fn when(h: &RunHeader, lang: Lang, offset: i32) -> String {
    absolute_text(h.started_at_ms.div_euclid(1000), offset, lang)
}

fn run_title(h: &RunHeader, lang: Lang, offset: i32) -> String {
    format!(
        "{} · {} · {}",
        action_word(&h.action, lang),
        lang.plural(h.total as u64, &lang.texts().workflows),
        when(h, lang, offset)
    )
}

fn runs_table(
    runs: Vec<Stored<RunHeader>>,
    lang: Lang,
    offset: i32,
    send: impl Fn(HistoryEvent) + Copy + 'static,
) -> impl IntoView {
    let t = lang.texts();
    if runs.is_empty() {
        return view! { <p>{t.history_none}</p> }.into_any();
    }
    let rows = runs
        .into_iter()
        .map(|run| {
            let h = &run.value;
            let item = run.item_id;
            let started = when(h, lang, offset);
            let counts = h
                .tally
                .map(|tally| counts_lines(tally, &h.action, lang).join(" · "))
                .unwrap_or_default();
            let label = fill(t.history_open_run, &[("when", &started)]);
            view! {
                <tr>
                    <td><button class="wm-link" type="button" aria-label=label
                        on:click=move |_| send(HistoryEvent::OpenRun(item))>{started.clone()}</button></td>
                    <td>{h.who.name.clone()}</td>
                    <td>{action_word(&h.action, lang)}" · "{lang.plural(h.total as u64, &t.workflows)}</td>
                    <td>{counts}</td>
                    <td>{state_word(h.state, lang)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="wm-history__table">
            <thead><tr>
                <th scope="col">{t.history_when}</th>
                <th scope="col">{t.history_who}</th>
                <th scope="col">{t.history_what}</th>
                <th scope="col">{t.history_counts}</th>
                <th scope="col">{t.history_state}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

fn run_view(
    record: &RunRecord,
    lang: Lang,
    offset: i32,
    send: impl Fn(HistoryEvent) + Copy + 'static,
) -> impl IntoView {
    let t = lang.texts();
    let h = &record.header.value;
    let done = match h.action {
        Action::Stop { .. } => t.outcome_stopped,
        Action::Delete => t.outcome_deleted,
    };
    let total = record.rows.len();
    let note = (total > ROWS_SHOWN).then(|| {
        fill(
            t.history_first_rows,
            &[
                ("shown", &lang.number(ROWS_SHOWN as u64)),
                ("n", &lang.number(total as u64)),
            ],
        )
    });
    let rows = record
        .rows
        .iter()
        .take(ROWS_SHOWN)
        .map(|row| {
            let s = &row.snapshot;
            let (word, message) = match &row.outcome {
                Some(Outcome::Done) => (done, String::new()),
                Some(Outcome::AlreadyFinished) => (t.outcome_already_finished, String::new()),
                Some(Outcome::Failed(m)) => (t.outcome_failed, m.clone()),
                Some(Outcome::NotAttempted) => (t.outcome_not_attempted, String::new()),
                None => (t.outcome_unknown, String::new()),
            };
            view! {
                <tr>
                    <td class="wm-history__id">{s.row.id.as_str().to_owned()}</td>
                    <td>{s.template.clone()}</td>
                    <td>{s.document.clone()}</td>
                    <td>{s.started_by.clone()}</td>
                    <td>{word}</td>
                    <td>{message}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <p class="wm-history__run">{run_title(h, lang, offset)}" · "{h.who.name.clone()}" · "{state_word(h.state, lang)}</p>
        <div class="wm-run__buttons">
            <button class="wm-button" type="button"
                on:click=move |_| send(HistoryEvent::Back)>{t.history_back}</button>
            <button class="wm-button wm-button--primary" type="button"
                on:click=move |_| send(HistoryEvent::Download)>{t.history_download}</button>
        </div>
        {note.map(|n| view! { <p>{n}</p> })}
        <table class="wm-history__table">
            <thead><tr>
                <th scope="col">{t.field_id}</th>
                <th scope="col">{t.field_template}</th>
                <th scope="col">{t.field_document}</th>
                <th scope="col">{t.field_started_by}</th>
                <th scope="col">{t.report_outcome}</th>
                <th scope="col">{t.report_message}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}
