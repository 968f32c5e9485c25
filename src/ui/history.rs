//! The "History" view: the portal's runs, newest first, each opening its
//! workflows with their outcomes and a CSV. It renders the core's
//! [`HistoryView`](crate::domain::actions::history_view::HistoryView);
//! every portal text is rendered as text.

use leptos::prelude::*;

use crate::domain::actions::history::read::{RunRecord, Stored};
use crate::domain::actions::history::record::{RunHeader, RunState};
use crate::domain::actions::history_view::{HistoryEvent, Shown};
use crate::domain::actions::run::Action;
use crate::domain::actions::texts::counts_lines;
use crate::domain::i18n::{fill, Lang};
use crate::domain::screen::Event;
use crate::domain::time::format::absolute_text;
use crate::ui::i18n::lang;
use crate::ui::screen::ScreenHandle;
use crate::ui::table_body::markup::{escape, wrap};
use wasm_bindgen::JsCast;

/// Rows of a run drawn at most (the CSV has them all).
const ROWS_SHOWN: usize = 500;

/// "History": the button, and the view when open. The view is markup
/// (every text escaped) with one listener for its buttons: the runs'
/// (`data-item`), Back and Download CSV (`data-act`).
#[component]
pub fn HistoryPanel(screen: ScreenHandle) -> impl IntoView {
    let lang = lang();
    let t = lang.texts();
    let shown = screen.slice(|s| s.history().shown().clone());
    let offset = move || untrack(|| screen.read(|s| s.clock().offset_minutes));
    let send = move |e: HistoryEvent| screen.dispatch(Event::History(e));
    let is_open = move || shown.with(|s| !matches!(s, Shown::Closed));
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(el) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        let attr = |name: &str| {
            el.closest(&format!("[{name}]"))
                .ok()
                .flatten()
                .and_then(|e| e.get_attribute(name))
        };
        let event = match attr("data-act").as_deref() {
            Some("back") => Some(HistoryEvent::Back),
            Some("download") => Some(HistoryEvent::Download),
            _ => attr("data-item")
                .and_then(|v| v.parse::<u64>().ok())
                .map(HistoryEvent::OpenRun),
        };
        if let Some(event) = event {
            send(event);
        }
    };
    view! {
        <div class="wm-history-bar">
            <button class="wm-button" type="button" id="wm-history"
                aria-expanded=move || is_open().to_string()
                on:click=move |_| send(if is_open() { HistoryEvent::Close } else { HistoryEvent::Open })>
                {t.history_button}
            </button>
        </div>
        {move || {
            let body = shown.with(|s| body_html(s, lang, offset()))?;
            Some(view! {
                <section class="wm-history" role="region" aria-label=t.history_title>
                    <h2 class="wm-history__title">{t.history_title}</h2>
                    <div on:click=on_click inner_html=body></div>
                    <button class="wm-button" type="button"
                        on:click=move |_| send(HistoryEvent::Close)>{t.close}</button>
                </section>
            })
        }}
    }
}

/// The open view's body as markup; `None` when it is closed.
fn body_html(shown: &Shown, lang: Lang, offset: i32) -> Option<String> {
    let t = lang.texts();
    let mut out = String::new();
    match shown {
        Shown::Closed => return None,
        Shown::Runs(None) => line(&mut out, " role=\"status\"", t.history_loading),
        Shown::Runs(Some(Err(m)))
        | Shown::Run {
            record: Some(Err(m)),
            ..
        } => line(
            &mut out,
            " class=\"wm-banner wm-banner--warning\" role=\"alert\"",
            m,
        ),
        Shown::Runs(Some(Ok(runs))) if runs.is_empty() => line(&mut out, "", t.history_none),
        Shown::Runs(Some(Ok(runs))) => {
            head_html(
                &mut out,
                &[
                    t.history_when,
                    t.history_who,
                    t.history_what,
                    t.history_counts,
                    t.history_state,
                ],
            );
            out.push_str(&runs_html(runs, lang, offset));
            out.push_str("</tbody></table>");
        }
        Shown::Run {
            header,
            record: None,
        } => {
            let title = run_title(&header.value, lang, offset);
            line(
                &mut out,
                " role=\"status\"",
                &format!("{title} — {}", t.history_loading),
            );
        }
        Shown::Run {
            record: Some(Ok(record)),
            ..
        } => {
            let h = &record.header.value;
            let about = format!(
                "{} · {} · {}",
                run_title(h, lang, offset),
                h.who.name,
                state_word(h.state, lang)
            );
            line(&mut out, " class=\"wm-history__run\"", &about);
            out.push_str("<div class=\"wm-run__buttons\">");
            button_html(&mut out, "back", "wm-button", t.history_back);
            button_html(
                &mut out,
                "download",
                "wm-button wm-button--primary",
                t.history_download,
            );
            out.push_str("</div>");
            let total = record.rows.len();
            if total > ROWS_SHOWN {
                let note = fill(
                    t.history_first_rows,
                    &[
                        ("shown", &lang.number(ROWS_SHOWN as u64)),
                        ("n", &lang.number(total as u64)),
                    ],
                );
                line(&mut out, "", &note);
            }
            head_html(
                &mut out,
                &[
                    t.field_id,
                    t.field_template,
                    t.field_document,
                    t.field_started_by,
                    t.report_outcome,
                    t.report_message,
                ],
            );
            out.push_str(&rows_html(record, lang));
            out.push_str("</tbody></table>");
        }
    }
    Some(out)
}

/// A paragraph of text with `attrs` (written as they are).
fn line(out: &mut String, attrs: &str, text: &str) {
    out.push_str("<p");
    out.push_str(attrs);
    wrap(out, ">", text, "</p>");
}

/// A history table's start: its column heads, then the body opened.
fn head_html(out: &mut String, heads: &[&str]) {
    out.push_str("<table class=\"wm-history__table\"><thead><tr>");
    for head in heads {
        wrap(out, "<th scope=\"col\">", head, "</th>");
    }
    out.push_str("</tr></thead><tbody>");
}

fn button_html(out: &mut String, act: &str, class: &str, text: &str) {
    out.push_str("<button type=\"button\" class=\"");
    out.push_str(class);
    out.push_str("\" data-act=\"");
    out.push_str(act);
    wrap(out, "\">", text, "</button>");
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

/// Cells as markup, each escaped.
fn cells_html(out: &mut String, cells: &[&str]) {
    for cell in cells {
        wrap(out, "<td>", cell, "</td>");
    }
}

/// The runs' rows as markup: the first cell a button naming the run's
/// item (`data-item`), the rest text.
fn runs_html(runs: &[Stored<RunHeader>], lang: Lang, offset: i32) -> String {
    let t = lang.texts();
    let mut out = String::new();
    for run in runs {
        let h = &run.value;
        let started = when(h, lang, offset);
        let counts = h
            .tally
            .map(|tally| counts_lines(tally, &h.action, lang).join(" · "))
            .unwrap_or_default();
        let what = format!(
            "{} · {}",
            action_word(&h.action, lang),
            lang.plural(h.total as u64, &t.workflows)
        );
        out.push_str("<tr><td><button class=\"wm-link\" type=\"button\" data-item=\"");
        out.push_str(&run.item_id.to_string());
        out.push_str("\" aria-label=\"");
        escape(&mut out, &fill(t.history_open_run, &[("when", &started)]));
        out.push_str("\">");
        escape(&mut out, &started);
        out.push_str("</button></td>");
        let row = [
            h.who.name.as_str(),
            &what,
            &counts,
            state_word(h.state, lang),
        ];
        cells_html(&mut out, &row);
        out.push_str("</tr>");
    }
    out
}

/// A run's workflows as markup (the first [`ROWS_SHOWN`]).
fn rows_html(record: &RunRecord, lang: Lang) -> String {
    let t = lang.texts();
    let done = match record.header.value.action {
        Action::Stop { .. } => t.outcome_stopped,
        Action::Delete => t.outcome_deleted,
    };
    let mut out = String::new();
    for row in record.rows.iter().take(ROWS_SHOWN) {
        let s = &row.snapshot;
        let (word, message) = row.outcome_text(done, t);
        out.push_str("<tr>");
        cells_html(
            &mut out,
            &[
                s.row.id.as_str(),
                &s.template,
                &s.document,
                &s.started_by,
                word,
                message,
            ],
        );
        out.push_str("</tr>");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::actions::history::journal::tests::{header, row};
    use crate::domain::actions::history::read::RecordRow;
    use crate::domain::actions::history::read::Stored;
    use crate::domain::actions::history::record::Snapshot;
    use crate::domain::actions::run::Outcome;

    #[test]
    fn hostile_names_and_messages_stay_text_in_the_history() {
        let hostile = "<img src=x onerror=alert(1)>";
        let mut h = header(1);
        h.who.name = hostile.into();
        let stored = Stored {
            item_id: 42,
            written: None,
            value: h,
        };
        let runs = runs_html(std::slice::from_ref(&stored), Lang::En, 0);
        assert!(runs.contains("data-item=\"42\""), "{runs}");
        assert!(!runs.contains("<img"), "{runs}");
        assert!(
            runs.contains("&lt;img src=x onerror=alert(1)&gt;"),
            "{runs}"
        );
        let record = RunRecord {
            header: stored,
            rows: vec![RecordRow {
                snapshot: Snapshot::of(&row(1, 2), hostile, "A", "D"),
                outcome: Some(Outcome::Failed(hostile.into())),
            }],
            strays: Vec::new(),
            last_write: None,
        };
        let rows = rows_html(&record, Lang::En);
        assert!(!rows.contains("<img"), "{rows}");
        assert_eq!(
            rows.matches("&lt;img").count(),
            2,
            "template and message: {rows}"
        );
        assert_eq!(rows.matches("<td>").count(), 6);
        // The whole run view: its buttons name their acts, texts escaped.
        let shown = Shown::Run {
            header: Box::new(record.header.clone()),
            record: Some(Ok(Box::new(record))),
        };
        let body = body_html(&shown, Lang::En, 0).expect("open");
        assert!(
            body.contains("data-act=\"back\">Back to the runs</button>"),
            "{body}"
        );
        assert!(body.contains("data-act=\"download\""), "{body}");
        assert!(!body.contains("<img"), "{body}");
        let failed = Shown::Runs(Some(Err(hostile.into())));
        let body = body_html(&failed, Lang::En, 0).expect("open");
        assert!(body.contains("role=\"alert\">&lt;img"), "{body}");
        assert_eq!(body_html(&Shown::Closed, Lang::En, 0), None);
    }
}
