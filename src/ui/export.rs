//! The export as the core's export flow (`domain::export::flow`) has it:
//! "Export…" in the toolbar, the dialog that chooses what goes into the
//! file, the progress bar with Cancel (the table stays usable meanwhile:
//! the bar is not modal) and the end's note.

use leptos::prelude::*;

use crate::domain::export::file::Format;
use wasm_bindgen::JsCast;

use crate::domain::export::flow::{Choosing, Columns, ExportEvent, Scope, Stage};
use crate::domain::i18n::{fill, Lang};
use crate::domain::screen::Screen;
use crate::ui::actions::{keep_focus_in, EXPORT_SELECTED_ID};
use crate::ui::browser::focus::{focus_now, focus_soon};
use crate::ui::i18n::lang;
use crate::ui::screen::ScreenHandle;
use crate::ui::table_body::markup::wrap;

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

/// The modal dialog: scope, format, columns, and "Export". Its choices
/// are markup (every text escaped) with one listener for their changes.
#[component]
fn ExportDialog(screen: ScreenHandle, c: Choosing, origin: String) -> impl IntoView {
    let lang = lang();
    let t = lang.texts();
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
    focus_soon("#wm-export-dialog input:checked");
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
        "Escape" => {
            ev.prevent_default();
            close();
        }
        "Tab" => keep_focus_in(&ev),
        _ => {}
    };
    let on_change = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let now = untrack(|| {
            screen.read(|s| match s.export().stage() {
                Stage::Choosing(c) => Some(c.choice),
                _ => None,
            })
        });
        if let Some(now) = now {
            let next = now.with(&input.name(), &input.value(), input.checked());
            screen.export(ExportEvent::Choose(next));
        }
    };
    let origin = StoredValue::new(origin);
    view! {
        <div class="wm-dialog-layer">
            <div id="wm-export-dialog" class="wm-dialog" role="dialog" aria-modal="true"
                aria-labelledby="wm-export-title" on:keydown=on_keydown>
                <div on:change=on_change inner_html=choices_html(&c, lang)></div>
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

/// One choice of a group: its value, label, whether checked, whether
/// disabled.
type ChoiceMarkup<'a> = (&'a str, &'a str, bool, bool);

/// The dialog's title and its three groups of choices, as markup.
fn choices_html(c: &Choosing, lang: Lang) -> String {
    let t = lang.texts();
    let mut out = String::new();
    wrap(
        &mut out,
        "<h2 id=\"wm-export-title\" class=\"wm-dialog__title\">",
        t.export_title,
        "</h2>",
    );
    let ch = c.choice;
    let matching = fill(t.export_scope_matching, &[("n", &lang.number(c.matching))]);
    let selected = fill(t.export_scope_selected, &[("n", &lang.number(c.selected))]);
    let groups: [(&str, &str, [ChoiceMarkup<'_>; 2]); 3] = [
        (
            t.export_scope,
            "scope",
            [
                ("matching", &matching, ch.scope == Scope::Matching, false),
                (
                    "selected",
                    &selected,
                    ch.scope == Scope::Selected,
                    c.selected == 0,
                ),
            ],
        ),
        (
            t.export_format,
            "format",
            [
                ("csv", t.export_csv, ch.format == Format::Csv, false),
                ("json", t.export_json, ch.format == Format::Json, false),
            ],
        ),
        (
            t.export_columns,
            "columns",
            [
                (
                    "visible",
                    t.export_columns_visible,
                    ch.columns == Columns::Visible,
                    false,
                ),
                (
                    "all",
                    t.export_columns_all,
                    ch.columns == Columns::All,
                    false,
                ),
            ],
        ),
    ];
    for (legend, name, options) in groups {
        wrap(
            &mut out,
            "<fieldset class=\"wm-fieldset\"><legend>",
            legend,
            "</legend>",
        );
        for (value, label, checked, disabled) in options {
            choice_html(&mut out, "radio", name, value, checked, disabled, label);
        }
        if name == "columns" {
            let label = t.export_local_times;
            choice_html(
                &mut out,
                "checkbox",
                "local",
                "on",
                ch.local_times,
                false,
                label,
            );
        }
        out.push_str("</fieldset>");
    }
    out
}

/// One labelled radio button or checkbox.
fn choice_html(
    out: &mut String,
    kind: &str,
    name: &str,
    value: &str,
    checked: bool,
    disabled: bool,
    label: &str,
) {
    out.push_str("<label class=\"wm-choice\"><input type=\"");
    out.push_str(kind);
    out.push_str("\" name=\"");
    out.push_str(name);
    out.push_str("\" value=\"");
    out.push_str(value);
    out.push('"');
    if checked {
        out.push_str(" checked");
    }
    if disabled {
        out.push_str(" disabled");
    }
    wrap(out, "> ", label, "</label>");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::export::flow::Choice;

    #[test]
    fn the_choices_are_labelled_escaped_and_checked_as_chosen() {
        let c = Choosing {
            choice: Choice {
                format: Format::Json,
                ..Choice::default()
            },
            selected: 0,
            matching: 2500,
        };
        let html = choices_html(&c, Lang::En);
        assert!(html.starts_with("<h2 id=\"wm-export-title\""), "{html}");
        assert!(html.contains("<input type=\"radio\" name=\"scope\" value=\"matching\" checked> All 2,500 matching the filters</label>"), "{html}");
        assert!(
            html.contains("value=\"selected\" disabled> 0 selected"),
            "{html}"
        );
        assert!(html.contains("value=\"json\" checked> JSON"), "{html}");
        assert!(
            html.contains("value=\"csv\"> CSV (Excel, LibreOffice)"),
            "{html}"
        );
        assert!(
            html.contains("<input type=\"checkbox\" name=\"local\" value=\"on\"> Add each date"),
            "{html}"
        );
        assert_eq!(html.matches("<fieldset").count(), 3);
        assert_eq!(html.matches("<legend>").count(), 3);
    }
}
