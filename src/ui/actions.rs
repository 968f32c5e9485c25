//! Acting on the selection, as the core's acting flow
//! (`domain::actions::flow`) has it: the action bar with its count (and
//! the offer to select all matching), the confirmation dialog, and the
//! run's progress and result. Every control dispatches an event; the
//! words are the domain's (`domain::actions::texts`), shown as text.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::domain::actions::flow::{ActEvent, ActionKind, Confirming, Running, Stage};
use crate::domain::actions::history::interrupted::Found;
use crate::domain::actions::job::Phase;
use crate::domain::actions::run::Outcome;
use crate::domain::actions::selection::Selection;
use crate::domain::actions::texts::{
    other_tab_text, progress_text, result_title, tally_lines, ConfirmText,
};
use crate::domain::export::flow::ExportEvent;
use crate::domain::i18n::{fill, Lang};
use crate::domain::screen::{Event, Screen, SelectEdit};
use crate::ui::browser::focus::{focus_now, focus_soon};
use crate::ui::i18n::lang;
use crate::ui::names::Names;
use crate::ui::screen::ScreenHandle;
use crate::ui::table_body::markup::wrap;

/// The ids of the buttons that open a confirmation (focus goes back to
/// them when it closes).
const STOP_ID: &str = "wm-act-stop";
const DELETE_ID: &str = "wm-act-delete";
const STOP_SELECTOR: &str = "#wm-act-stop";
const DELETE_SELECTOR: &str = "#wm-act-delete";
/// The selection bar's "Export…".
pub(crate) const EXPORT_SELECTED_ID: &str = "wm-export-selected";

/// "All 50 on this page are selected. Select all 2,345 matching", then
/// the action bar while anything is selected, and a live count.
#[component]
pub fn SelectionBar(screen: ScreenHandle) -> impl IntoView {
    let lang = lang();
    let t = lang.texts();
    // One slice for the whole bar (each slice costs code): the count,
    // whether it is "all matching", the offer, and whether the flow is
    // busy (checking the set or running).
    let bar = screen.slice(|s| {
        (
            s.selection().count(),
            matches!(s.selection(), Selection::AllMatching { .. }),
            s.offer_all_matching(),
            matches!(s.acting().stage(), Stage::Resolving(_) | Stage::Running(_)),
        )
    });
    let count = move || bar.with(|b| b.0);
    let all_matching = move || bar.with(|b| b.1);
    let offer = move || bar.with(|b| b.2);
    let running = move || bar.with(|b| b.3);
    let page_rows = move || screen.read(|s| s.page_ids().len() as u64);
    let said = move || {
        let n = count();
        match (n, all_matching()) {
            (0, _) => t.selection_none.to_owned(),
            (n, true) => fill(t.all_matching_selected, &[("n", &lang.number(n))]),
            (n, false) => fill(t.n_selected, &[("n", &lang.number(n))]),
        }
    };
    let begin = move |kind| screen.act(ActEvent::Begin(kind));
    let exporting = move || screen.read(|s| s.export().is_running());
    view! {
        // Announced on every change of the count, present from the start
        // so the first change is announced too.
        <p class="wm-visually-hidden" role="status" aria-live="polite">
            {move || (count() > 0 || offer().is_some()).then(said)}
        </p>
        {move || offer().map(|total| view! {
            <p class="wm-banner wm-selbar__offer">
                {fill(t.page_all_selected, &[("n", &lang.number(page_rows()))])}
                " "
                <button class="wm-button wm-button--link" type="button"
                    on:click=move |_| screen.dispatch(Event::Select(SelectEdit::AllMatching))>
                    {fill(t.select_all_matching, &[("n", &lang.number(total))])}
                </button>
            </p>
        })}
        <Show when=move || { count() > 0 }>
            <div class="wm-selbar" role="toolbar" aria-label=t.selection_toolbar
                on:keydown=toolbar_keys>
                <span class="wm-selbar__count">{said}</span>
                <button id=STOP_ID class="wm-button" type="button" disabled=running
                    on:click=move |_| begin(ActionKind::Stop)>{t.act_stop}</button>
                <button id=DELETE_ID class="wm-button wm-button--danger" type="button"
                    disabled=running
                    on:click=move |_| begin(ActionKind::Delete)>{t.act_delete}</button>
                <button id=EXPORT_SELECTED_ID class="wm-button" type="button"
                    disabled=move || running() || exporting()
                    on:click=move |_| screen.export(ExportEvent::Open { selected: true })>
                    {t.act_export}
                </button>
                <button class="wm-button" type="button" disabled=running
                    on:click=move |_| screen.dispatch(Event::Select(SelectEdit::Clear))>
                    {t.clear_selection}
                </button>
            </div>
        </Show>
    }
}

/// The arrow keys move between the toolbar's buttons (WAI-ARIA toolbar).
fn toolbar_keys(ev: leptos::ev::KeyboardEvent) {
    let step: i32 = match ev.key().as_str() {
        "ArrowRight" => 1,
        "ArrowLeft" => -1,
        _ => return,
    };
    let Some(bar) = ev
        .current_target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    let Ok(list) = bar.query_selector_all("button:not([disabled])") else {
        return;
    };
    let buttons: Vec<web_sys::HtmlElement> = (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into().ok())
        .collect();
    let active = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element());
    let at = buttons.iter().position(|b| {
        active
            .as_ref()
            .is_some_and(|a| a == b.as_ref() as &web_sys::Element)
    });
    let Some(at) = at else { return };
    let n = buttons.len() as i32;
    let to = (at as i32 + step).rem_euclid(n) as usize;
    ev.prevent_default();
    let _ = buttons[to].focus();
}

/// Which part of the flow is on screen (the panel is drawn again only
/// when this changes: typing in the dialog or a batch's answer must not
/// redraw it, or the focus would be lost).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Idle,
    Resolving,
    Failed,
    Confirming,
    Running,
    Finished,
}

fn part(s: &Screen) -> Part {
    match s.acting().stage() {
        Stage::Idle => Part::Idle,
        Stage::Resolving(_) => Part::Resolving,
        Stage::Failed { .. } => Part::Failed,
        Stage::Confirming(_) => Part::Confirming,
        Stage::Running(_) => Part::Running,
        Stage::Finished(_) => Part::Finished,
    }
}

/// A run a closed frame left behind: what it is, with Resume and Dismiss
/// when it was interrupted (nothing is sent before a click).
#[component]
pub fn LeftBanner(screen: ScreenHandle) -> impl IntoView {
    let lang = lang();
    let t = lang.texts();
    let found = screen.slice(move |s| {
        s.acting().left().found().map(|f| {
            let interrupted = matches!(f, Found::Interrupted(_));
            (f.text(lang, s.clock()), interrupted)
        })
    });
    move || {
        found.get().map(|(text, interrupted)| {
            view! {
                <section class="wm-banner wm-banner--warning wm-left" role="region"
                    aria-label=t.history_left_region>
                    <p>{text}</p>
                    {interrupted.then(|| view! {
                        <div class="wm-run__buttons">
                            <button class="wm-button wm-button--primary" type="button"
                                on:click=move |_| screen.act(ActEvent::ResumeLeft)>{t.resume}</button>
                            <button class="wm-button" type="button"
                                on:click=move |_| screen.act(ActEvent::DismissLeft)>{t.history_dismiss}</button>
                        </div>
                    })}
                </section>
            }
        })
    }
}

/// The flow's panel: the check under way or failed, the confirmation, the
/// progress, the result.
#[component]
pub fn ActingPanel(screen: ScreenHandle, names: Names) -> impl IntoView {
    let lang = lang();
    let t = lang.texts();
    let on = screen.slice(part);
    // What the part shows, read once when it comes (untracked: the panel
    // is drawn again only when the part changes).
    let shown = move |f: &dyn Fn(&Stage) -> Option<Shown>| {
        untrack(|| screen.read(|s| f(s.acting().stage())))
    };
    move || {
        let view = match on.get() {
            Part::Resolving => view! {
                <section class="wm-run" aria-busy="true">
                    <p class="wm-run__line" role="status">{t.checking_selection}</p>
                    <button class="wm-button" type="button"
                        on:click=move |_| screen.act(ActEvent::Close)>{t.cancel}</button>
                </section>
            }
            .into_any(),
            Part::Failed => {
                let Some(Shown::Failed(message, kind)) = shown(&|st| match st {
                    Stage::Failed { message, kind } => Some(Shown::Failed(message.clone(), *kind)),
                    _ => None,
                }) else {
                    return None;
                };
                view! {
                    <section class="wm-run wm-state--error" role="alert">
                        <p class="wm-run__line">{t.check_failed}</p>
                        <p class="wm-run__detail">{message}</p>
                        <button class="wm-button" type="button"
                            on:click=move |_| close_to(screen, kind)>{t.close}</button>
                    </section>
                }
                .into_any()
            }
            Part::Confirming => {
                let Some(Shown::Confirming(c)) = shown(&|st| match st {
                    Stage::Confirming(c) => Some(Shown::Confirming(Box::new(c.clone()))),
                    _ => None,
                }) else {
                    return None;
                };
                view! { <ConfirmDialog screen=screen names=names c=*c/> }.into_any()
            }
            Part::Running => view! { <Progress screen=screen/> }.into_any(),
            Part::Finished => {
                let Some(Shown::Finished(result)) = shown(&|st| match st {
                    Stage::Finished(run) => Some(Shown::Finished(ResultText::of(run, lang))),
                    _ => None,
                }) else {
                    return None;
                };
                view! { <Result screen=screen result=result/> }.into_any()
            }
            Part::Idle => return None,
        };
        Some(view)
    }
}

/// What a part of the flow shows, taken from the stage when it comes.
enum Shown {
    Failed(String, ActionKind),
    Confirming(Box<Confirming>),
    Finished(ResultText),
}

/// A finished run in words: its title, counts and failed rows.
struct ResultText {
    title: &'static str,
    tally: Vec<String>,
    failed: Vec<(String, String)>,
}

impl ResultText {
    fn of(run: &Running, lang: Lang) -> ResultText {
        ResultText {
            title: result_title(&run.job, lang),
            tally: tally_lines(&run.job, lang),
            failed: run
                .job
                .outcomes()
                .filter_map(|(id, o)| match o {
                    Outcome::Failed(m) => Some((id.as_str().to_owned(), m.clone())),
                    _ => None,
                })
                .collect(),
        }
    }
}

/// Closes the flow and gives the focus back to the button that opened it.
fn close_to(screen: ScreenHandle, kind: ActionKind) {
    screen.act(ActEvent::Close);
    focus_now(match kind {
        ActionKind::Stop => STOP_SELECTOR,
        ActionKind::Delete => DELETE_SELECTOR,
    });
}

/// The confirmation: a modal dialog that states what will be affected;
/// its button is the only way to start.
#[component]
fn ConfirmDialog(screen: ScreenHandle, names: Names, c: Confirming) -> impl IntoView {
    let lang = lang();
    let t = lang.texts();
    let offset = screen.read(|s| s.clock().offset_minutes);
    let text = names.with_templates(|list| ConfirmText::of(&c, list, lang, offset));
    let kind = c.kind;
    // Whether the button may start, and another tab's lease (one slice).
    let state = screen.slice(|s| match s.acting().stage() {
        Stage::Confirming(c) => (c.can_confirm(), c.blocked, c.history.clone()),
        _ => (false, None, None),
    });
    let can = move || state.with(|s| s.0);
    let blocked = move || {
        state
            .with(|s| s.1)
            .map(|seconds| other_tab_text(seconds, lang))
    };
    // The focus moves in at once: to the first field, else a button.
    focus_soon("#wm-dialog input, #wm-dialog button:not([disabled])");
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
        "Escape" => {
            ev.prevent_default();
            close_to(screen, kind);
        }
        "Tab" => keep_focus_in(&ev),
        _ => {}
    };
    let status = c.status.clone();
    let typed_label = text.typed_label.clone();
    view! {
        <div class="wm-dialog-layer">
            <div id="wm-dialog" class="wm-dialog" role="dialog" aria-modal="true"
                aria-labelledby="wm-dialog-title" aria-describedby="wm-dialog-count"
                on:keydown=on_keydown>
                <div inner_html=about_html(&text, lang)></div>
                {(kind == ActionKind::Stop).then(|| view! {
                    <label class="wm-field">
                        <span class="wm-field__label">{t.status_text}</span>
                        <input class="wm-input" type="text" maxlength="255" prop:value=status
                            on:input=move |ev| screen.act(ActEvent::StatusText(event_target_value(&ev)))/>
                    </label>
                })}
                {typed_label.map(|label| view! {
                    <label class="wm-field">
                        <span class="wm-field__label">{label}</span>
                        <input class="wm-input" type="text" inputmode="numeric" autocomplete="off"
                            on:input=move |ev| screen.act(ActEvent::Typed(event_target_value(&ev)))/>
                    </label>
                })}
                {move || blocked().map(|m| view! { <p class="wm-banner wm-banner--warning" role="alert">{m}</p> })}
                {move || state.with(|s| s.2.clone()).map(|m| view! {
                    <p class="wm-banner wm-banner--warning" role="alert">{m}" "{t.history_keep_report}</p>
                })}
                <div class="wm-dialog__buttons">
                    <button class="wm-button" type="button"
                        on:click=move |_| close_to(screen, kind)>{t.cancel}</button>
                    <button class="wm-button" type="button"
                        class:wm-button--primary=kind == ActionKind::Stop
                        class:wm-button--danger-fill=kind == ActionKind::Delete
                        disabled=move || !can()
                        on:click=move |_| screen.act(ActEvent::Confirm)>
                        {text.button.clone()}
                    </button>
                </div>
            </div>
        </div>
    }
}

/// Tab and Shift+Tab go round the dialog's controls: the focus stays
/// inside while a modal dialog is open.
pub(crate) fn keep_focus_in(ev: &leptos::ev::KeyboardEvent) {
    let Some(d) = ev
        .current_target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    let all = focusables(&d);
    let (Some(first), Some(last)) = (all.first(), all.last()) else {
        return;
    };
    let active = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|doc| doc.active_element());
    let on = |el: &web_sys::HtmlElement| {
        active
            .as_ref()
            .is_some_and(|a| a == el.as_ref() as &web_sys::Element)
    };
    if ev.shift_key() && on(first) {
        ev.prevent_default();
        let _ = last.focus();
    } else if !ev.shift_key() && on(last) {
        ev.prevent_default();
        let _ = first.focus();
    }
}

/// What the dialog states (the action, the count, the breakdown, the
/// notes) as markup, every text escaped: its title and count are the
/// dialog's name and description.
fn about_html(text: &ConfirmText, lang: Lang) -> String {
    let t = lang.texts();
    let mut out = String::new();
    wrap(
        &mut out,
        "<h2 id=\"wm-dialog-title\" class=\"wm-dialog__title\">",
        &text.title,
        "</h2>",
    );
    wrap(
        &mut out,
        "<p id=\"wm-dialog-count\" class=\"wm-dialog__count\">",
        &text.count,
        "</p>",
    );
    if let Some(w) = &text.warning {
        wrap(
            &mut out,
            "<p class=\"wm-banner wm-banner--danger\">",
            w,
            "</p>",
        );
    }
    if !text.top.is_empty() {
        wrap(
            &mut out,
            "<table class=\"wm-dialog__breakdown\"><caption>",
            t.confirm_by_template,
            "</caption><tbody>",
        );
        for (name, n) in &text.top {
            wrap(&mut out, "<tr><th scope=\"row\">", name, "</th>");
            wrap(&mut out, "<td>", n, "</td></tr>");
        }
        out.push_str("</tbody></table>");
    }
    for line in text.more.iter().chain(&text.started) {
        wrap(&mut out, "<p class=\"wm-dialog__line\">", line, "</p>");
    }
    for note in &text.notes {
        wrap(
            &mut out,
            "<p class=\"wm-banner wm-banner--warning\">",
            note,
            "</p>",
        );
    }
    out
}

/// The dialog's focusable controls, in order.
fn focusables(root: &web_sys::Element) -> Vec<web_sys::HtmlElement> {
    let Ok(list) = root.query_selector_all("input, button:not([disabled])") else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into().ok())
        .collect()
}

/// The run under way: a progress bar with Pause / Resume and Cancel.
#[component]
fn Progress(screen: ScreenHandle) -> impl IntoView {
    let lang = lang();
    let t = lang.texts();
    let now = screen.slice(move |s| match s.acting().stage() {
        Stage::Running(run) => {
            let (done, total) = run.job.progress();
            let problem = run
                .history_problem()
                .filter(|_| run.job.phase() == Phase::Paused)
                .map(|p| fill(t.history_paused, &[("reason", p)]));
            (
                done,
                total,
                run.job.phase(),
                progress_text(&run.job, lang),
                problem,
            )
        }
        _ => (0, 0, Phase::Finished, String::new(), None),
    });
    let done = move || now.with(|n| n.0);
    let total = move || now.with(|n| n.1);
    let phase = move || now.with(|n| n.2);
    let line = move || now.with(|n| n.3.clone());
    let paused = move || phase() == Phase::Paused;
    let cancelled = move || phase() == Phase::Cancelled;
    // The confirm button is gone with its dialog: the focus goes to Pause.
    focus_soon("#wm-run-pause");
    view! {
        <section class="wm-run" aria-label=t.run_progress>
            <div class="wm-run__bar" role="progressbar" aria-label=t.run_progress
                aria-valuemin="0" aria-valuemax=move || total().to_string()
                aria-valuenow=move || done().to_string() aria-valuetext=line>
                <div class="wm-run__fill"
                    style:width=move || format!("{}%", done() * 100 / total().max(1))></div>
            </div>
            <p class="wm-run__line">{line}</p>
            {move || now.with(|n| n.4.clone()).map(|m| view! {
                <p class="wm-banner wm-banner--warning" role="alert">{m}</p>
            })}
            <div class="wm-run__buttons">
                <button id="wm-run-pause" class="wm-button" type="button" disabled=cancelled
                    on:click=move |_| screen.act(if paused() { ActEvent::Resume } else { ActEvent::Pause })>
                    {move || if paused() { t.resume } else { t.pause }}
                </button>
                <button class="wm-button" type="button" disabled=cancelled
                    on:click=move |_| screen.act(ActEvent::Cancel)>{t.cancel}</button>
            </div>
        </section>
    }
}

/// The run's result: counts per outcome, the failed rows with the
/// portal's messages, Retry failed and the report.
#[component]
fn Result(screen: ScreenHandle, result: ResultText) -> impl IntoView {
    let lang = lang();
    let t = lang.texts();
    let ResultText {
        title,
        tally,
        failed,
    } = result;
    let any_failed = !failed.is_empty();
    // The progress bar's buttons are gone: the focus goes to the title.
    focus_soon("#wm-run-title");
    view! {
        <section class="wm-run wm-run--result" role="region" aria-labelledby="wm-run-title">
            <h2 id="wm-run-title" class="wm-run__title" tabindex="-1">{title}</h2>
            <ul class="wm-run__tally" role="status">
                {tally.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}
            </ul>
            {any_failed.then(|| view! {
                <table class="wm-run__failed">
                    <caption>{t.result_failed_rows}</caption>
                    <tbody>
                        {failed.into_iter().map(|(id, m)| view! {
                            <tr><th scope="row" class="wm-run__id">{id}</th><td>{m}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
            <div class="wm-run__buttons">
                {any_failed.then(|| view! {
                    <button class="wm-button" type="button"
                        on:click=move |_| screen.act(ActEvent::RetryFailed)>{t.retry_failed}</button>
                })}
                <button class="wm-button" type="button"
                    on:click=move |_| screen.act(ActEvent::DownloadReport)>{t.download_report}</button>
                <button class="wm-button" type="button"
                    on:click=move |_| screen.act(ActEvent::Close)>{t.close}</button>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dialogs_statement_is_escaped_markup_naming_the_dialog() {
        let hostile = "<img src=x onerror=alert(1)>";
        let text = ConfirmText {
            title: "Stop 2 workflows?".into(),
            count: "2 workflows will be stopped.".into(),
            top: vec![(hostile.into(), "2".into())],
            more: Some("and 3 more".into()),
            started: Some("Started between a & b".into()),
            notes: vec!["1 finished meanwhile".into()],
            warning: None,
            typed_label: None,
            button: "Stop 2 workflows".into(),
        };
        let html = about_html(&text, Lang::En);
        assert!(html.starts_with("<h2 id=\"wm-dialog-title\""), "{html}");
        assert!(html.contains("id=\"wm-dialog-count\""), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("<th scope=\"row\">&lt;img"), "{html}");
        assert!(html.contains("between a &amp; b"), "{html}");
        assert!(html.contains("1 finished meanwhile"), "{html}");
        assert!(!html.contains("wm-banner--danger"), "no warning: {html}");
    }
}
