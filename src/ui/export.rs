//! The export as the core's export flow (`domain::export::flow`) has it:
//! "Export…" in the toolbar, the dialog that chooses what goes into the
//! file, the progress bar with Cancel (the table stays usable meanwhile:
//! the bar is not modal) and the end's note.

use leptos::prelude::*;

use crate::domain::export::file::Format;
use crate::domain::export::flow::{Choice, Choosing, Columns, ExportEvent, Scope, Stage};
use crate::domain::i18n::fill;
use crate::domain::screen::Screen;
use crate::ui::actions::{keep_focus_in, EXPORT_SELECTED_ID};
use crate::ui::browser::focus::{focus_now, focus_soon};
use crate::ui::i18n::lang;
use crate::ui::screen::ScreenHandle;

/// The toolbar's "Export…".
const EXPORT_ID: &str = "wm-export";

/// The toolbar's "Export…" (the whole filtered set, or the selection).
#[component]
pub fn ExportButton(screen: ScreenHandle) -> impl IntoView {
    let t = lang().texts();
    view! {
        <button id=EXPORT_ID class="wm-button" type="button"
            disabled=move || screen.read(|s| s.export().is_running())
            on:click=move |_| screen.export(ExportEvent::Open { selected: false })>
            {t.act_export}
        </button>
    }
}

/// Which part of the export is on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Idle,
    Choosing,
    Running,
    Ended,
}

fn part(s: &Screen) -> Part {
    match s.export().stage() {
        Stage::Idle => Part::Idle,
        Stage::Choosing(_) => Part::Choosing,
        Stage::Running(_) => Part::Running,
        Stage::Ended(_) => Part::Ended,
    }
}

/// The dialog, the progress or the end's note.
#[component]
pub fn ExportPanel(screen: ScreenHandle, origin: String) -> impl IntoView {
    let lang = lang();
    let t = lang.texts();
    let on = screen.slice(part);
    let origin = StoredValue::new(origin);
    move || match on.get() {
        Part::Idle => None,
        Part::Choosing => {
            let c = untrack(|| {
                screen.read(|s| match s.export().stage() {
                    Stage::Choosing(c) => Some(c.clone()),
                    _ => None,
                })
            })?;
            Some(view! { <ExportDialog screen=screen c=c origin=origin.get_value()/> }.into_any())
        }
        Part::Running => {
            let progress = move || {
                screen.read(|s| match s.export().stage() {
                    Stage::Running(r) => {
                        (r.written(), r.of().max(r.written()), r.progress_text(lang))
                    }
                    _ => (0, 0, String::new()),
                })
            };
            focus_soon("#wm-export-cancel");
            Some(view! {
                <section class="wm-run" aria-label=t.export_progress_name>
                    <div class="wm-run__bar" role="progressbar" aria-label=t.export_progress_name
                        aria-valuemin="0" aria-valuemax=move || progress().1.to_string()
                        aria-valuenow=move || progress().0.to_string()
                        aria-valuetext=move || progress().2>
                        <div class="wm-run__fill" style:width=move || {
                            let (done, of, _) = progress();
                            format!("{}%", (done * 100).checked_div(of).unwrap_or(0))
                        }></div>
                    </div>
                    <p class="wm-run__line" role="status">{move || progress().2}</p>
                    <div class="wm-run__buttons">
                        <button id="wm-export-cancel" class="wm-button" type="button"
                            on:click=move |_| screen.export(ExportEvent::Cancel)>{t.export_cancel}</button>
                    </div>
                </section>
            }.into_any())
        }
        Part::Ended => {
            let (text, failed) = untrack(|| {
                screen.read(|s| match s.export().stage() {
                    Stage::Ended(e) => Some((e.text(lang), e.error.is_some())),
                    _ => None,
                })
            })?;
            focus_soon("#wm-export-dismiss");
            Some(
                view! {
                    <section class="wm-run" class:wm-state--error=failed
                        role=if failed { "alert" } else { "status" }>
                        <p class="wm-run__line">{text}</p>
                        <button id="wm-export-dismiss" class="wm-button" type="button"
                            on:click=move |_| {
                                screen.export(ExportEvent::Dismiss);
                                focus_now(&format!("#{EXPORT_ID}"));
                            }>{t.export_dismiss}</button>
                    </section>
                }
                .into_any(),
            )
        }
    }
}

/// The modal dialog: scope, format, columns, and "Export".
#[component]
fn ExportDialog(screen: ScreenHandle, c: Choosing, origin: String) -> impl IntoView {
    let lang = lang();
    let t = lang.texts();
    let choice = screen.slice(|s| match s.export().stage() {
        Stage::Choosing(c) => c.choice,
        _ => Choice::default(),
    });
    let opener = if c.choice.scope == Scope::Selected {
        format!("#{EXPORT_SELECTED_ID}")
    } else {
        format!("#{EXPORT_ID}")
    };
    let opener = StoredValue::new(opener);
    let close = move || {
        screen.export(ExportEvent::Close);
        focus_now(&opener.get_value());
    };
    let set = move |f: fn(&mut Choice)| {
        let mut next = choice.get_untracked();
        f(&mut next);
        screen.export(ExportEvent::Choose(next));
    };
    focus_soon("#wm-export-dialog input:checked");
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
        "Escape" => {
            ev.prevent_default();
            close();
        }
        "Tab" => keep_focus_in(&ev),
        _ => {}
    };
    let origin = StoredValue::new(origin);
    let radio = move |name: &'static str,
                      label: String,
                      checked: Signal<bool>,
                      disabled: bool,
                      pick: fn(&mut Choice)| {
        view! {
            <label class="wm-choice">
                <input type="radio" name=name prop:checked=checked disabled=disabled
                    on:change=move |_| set(pick)/>
                " "{label}
            </label>
        }
    };
    let is = move |f: fn(&Choice) -> bool| Signal::derive(move || choice.with(f));
    view! {
        <div class="wm-dialog-layer">
            <div id="wm-export-dialog" class="wm-dialog" role="dialog" aria-modal="true"
                aria-labelledby="wm-export-title" on:keydown=on_keydown>
                <h2 id="wm-export-title" class="wm-dialog__title">{t.export_title}</h2>
                <fieldset class="wm-fieldset">
                    <legend>{t.export_scope}</legend>
                    {radio("wm-export-scope",
                        fill(t.export_scope_matching, &[("n", &lang.number(c.matching))]),
                        is(|c| c.scope == Scope::Matching), false, |c| c.scope = Scope::Matching)}
                    {radio("wm-export-scope",
                        fill(t.export_scope_selected, &[("n", &lang.number(c.selected))]),
                        is(|c| c.scope == Scope::Selected), c.selected == 0, |c| c.scope = Scope::Selected)}
                </fieldset>
                <fieldset class="wm-fieldset">
                    <legend>{t.export_format}</legend>
                    {radio("wm-export-format", t.export_csv.to_owned(),
                        is(|c| c.format == Format::Csv), false, |c| c.format = Format::Csv)}
                    {radio("wm-export-format", t.export_json.to_owned(),
                        is(|c| c.format == Format::Json), false, |c| c.format = Format::Json)}
                </fieldset>
                <fieldset class="wm-fieldset">
                    <legend>{t.export_columns}</legend>
                    {radio("wm-export-columns", t.export_columns_visible.to_owned(),
                        is(|c| c.columns == Columns::Visible), false, |c| c.columns = Columns::Visible)}
                    {radio("wm-export-columns", t.export_columns_all.to_owned(),
                        is(|c| c.columns == Columns::All), false, |c| c.columns = Columns::All)}
                    <label class="wm-choice">
                        <input type="checkbox" prop:checked=is(|c| c.local_times)
                            on:change=move |_| set(|c| c.local_times = !c.local_times)/>
                        " "{t.export_local_times}
                    </label>
                </fieldset>
                <div class="wm-dialog__buttons">
                    <button class="wm-button" type="button" on:click=move |_| close()>{t.export_close}</button>
                    <button class="wm-button wm-button--primary" type="button"
                        on:click=move |_| screen.export(ExportEvent::Start { origin: origin.get_value() })>
                        {t.export_start}
                    </button>
                </div>
            </div>
        </div>
    }
}
