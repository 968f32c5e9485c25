//! The overview region above the table: a disclosure the admin can
//! collapse (kept per user as [`UserOption::Overview`]) with four charts
//! drawn as inline SVG inside plain buttons. Every bar carries its label
//! and number as text (no colour-only meaning); a click on a bar puts its
//! filter on the table. Each chart has a name and a data table for screen
//! readers. The markup is escaped text with one delegated click listener.

use leptos::prelude::*;
use serde_json::{Map, Value};
use wasm_bindgen::JsCast;

use crate::domain::display::names::template_label;
use crate::domain::frame::UserOption;
use crate::domain::i18n::{fill, Lang, Texts};
use crate::domain::overview::flow::ChartState;
use crate::domain::overview::model::{BarKey, Chart, Coverage, Dimension, Parts};
use crate::domain::screen::{Event, Names, OverviewEvent, Screen};
use crate::portal::FrameClient;
use crate::ui::browser::clock::time_context;
use crate::ui::i18n::lang;
use crate::ui::screen::ScreenHandle;
use crate::ui::table_body::markup::{escape, wrap};

/// Whether the overview was left open (closed when never set).
pub fn saved_open(user_options: &Map<String, Value>) -> bool {
    UserOption::Overview
        .read(user_options)
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("open"))
}

/// The overview region.
#[component]
pub fn OverviewRegion(
    screen: ScreenHandle,
    open: bool,
    frame: StoredValue<FrameClient, LocalStorage>,
) -> impl IntoView {
    let lang = lang();
    let t = lang.texts();
    if open {
        screen.dispatch(step(OverviewEvent::Show(true)));
    }
    let html = screen.slice(move |s| charts_html(s, lang));
    let on_toggle = move |ev: leptos::ev::Event| {
        let Some(details) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        let open = details.has_attribute("open");
        if open != untrack(|| screen.read(|s| s.overview().is_open())) {
            screen.dispatch(step(OverviewEvent::Show(open)));
            let value = Value::from(if open { "open" } else { "closed" });
            frame.with_value(|f| {
                // Kept per user by the portal; a refused save costs
                // nothing visible.
                let _ = f.set_user_option(UserOption::Overview, &value);
            });
        }
    };
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let bar = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("[data-bar]").ok().flatten())
            .and_then(|e| e.get_attribute("data-bar"))
            .and_then(|token| BarKey::from_token(&token));
        if let Some(bar) = bar {
            screen.dispatch(step(OverviewEvent::Pick(bar)));
        }
    };
    view! {
        <details id="wm-overview" class="wm-overview" prop:open=open on:toggle=on_toggle>
            <summary class="wm-overview__summary">{t.overview_title}</summary>
            <div class="wm-overview__charts" on:click=on_click inner_html=move || html.get()></div>
        </details>
    }
}

/// The screen event of an overview step, now.
fn step(event: OverviewEvent) -> Event {
    Event::Overview {
        event,
        at: time_context(),
    }
}

/// The four charts as markup (empty while the region is closed).
pub fn charts_html(screen: &Screen, lang: Lang) -> String {
    let slice = screen.overview();
    let mut out = String::new();
    if !slice.is_open() {
        return out;
    }
    for d in Dimension::ALL {
        chart_html(&mut out, d, &slice.chart(d), screen.names(), lang);
    }
    out
}

fn title(d: Dimension, t: &Texts) -> &'static str {
    match d {
        Dimension::Template => t.overview_by_template,
        Dimension::Age => t.overview_by_age,
        Dimension::Kind => t.overview_by_kind,
        Dimension::Starter => t.overview_by_starter,
    }
}

fn slug(d: Dimension) -> &'static str {
    match d {
        Dimension::Template => "template",
        Dimension::Age => "age",
        Dimension::Kind => "kind",
        Dimension::Starter => "starter",
    }
}

/// A bar's label.
fn label(key: BarKey, names: &Names, t: &Texts) -> String {
    match key {
        BarKey::Template(id) => template_label(names.templates(), id, t).text().to_owned(),
        BarKey::Automation => t.overview_automation.to_owned(),
        BarKey::OtherTemplates => t.overview_other.to_owned(),
        BarKey::Age(i) => [
            t.overview_age_0,
            t.overview_age_1,
            t.overview_age_2,
            t.overview_age_3,
            t.overview_age_4,
            t.overview_age_5,
        ]
        .get(i)
        .copied()
        .unwrap_or_default()
        .to_owned(),
        BarKey::Kind(k) => k.name(t).to_owned(),
        BarKey::OtherKinds => t.overview_other_kinds.to_owned(),
        BarKey::Starter(u) => names.users.label(u, t).text().to_owned(),
        BarKey::OtherStarters => t.overview_other_people.to_owned(),
    }
}

fn parts_text(p: &Parts, lang: Lang) -> String {
    let t = lang.texts();
    let n = |v: u64| lang.number(v);
    format!(
        "{} · {}",
        fill(t.overview_stuck, &[("n", &n(p.stuck))]),
        fill(t.overview_idle, &[("n", &n(p.idle))])
    )
}

fn chart_html(out: &mut String, d: Dimension, state: &ChartState, names: &Names, lang: Lang) {
    let t = lang.texts();
    let id = slug(d);
    out.push_str("<figure class=\"wm-chart\" role=\"group\" aria-labelledby=\"wm-chart-");
    out.push_str(id);
    out.push_str("\" data-chart=\"");
    out.push_str(id);
    out.push_str("\">");
    out.push_str("<figcaption class=\"wm-chart__title\" id=\"wm-chart-");
    out.push_str(id);
    out.push_str("\">");
    escape(out, title(d, t));
    out.push_str("</figcaption>");
    let chart = match state {
        ChartState::Loading => {
            wrap(
                out,
                "<p class=\"wm-chart__note\">",
                t.overview_loading,
                "</p></figure>",
            );
            return;
        }
        ChartState::Failed => {
            wrap(
                out,
                "<p class=\"wm-chart__note wm-chart__note--failed\">",
                t.overview_failed,
                "</p></figure>",
            );
            return;
        }
        ChartState::Ready(c) => c,
    };
    if chart.is_empty() {
        wrap(
            out,
            "<p class=\"wm-chart__note\">",
            t.overview_empty,
            "</p>",
        );
    } else {
        bars_html(out, chart, names, lang);
        table_html(out, d, chart, names, lang);
    }
    let note = match chart.coverage {
        Coverage::Exact if d == Dimension::Starter => {
            let n: u64 = chart.bars.iter().map(|b| b.count).sum();
            Some(fill(t.overview_whole, &[("n", &lang.number(n))]))
        }
        Coverage::Exact => None,
        Coverage::Incomplete => Some(t.overview_incomplete.to_owned()),
        Coverage::Sample { rows, of } => Some(fill(
            t.overview_sample,
            &[("rows", &lang.number(rows)), ("n", &lang.number(of))],
        )),
    };
    if let Some(note) = note {
        wrap(out, "<p class=\"wm-chart__note\">", &note, "</p>");
    }
    out.push_str("</figure>");
}

/// A percentage of the chart's largest bar, to two decimals.
fn share(n: u64, max: u64) -> String {
    // Integer arithmetic: float formatting would add to the download.
    let hundredths = (u128::from(n) * 10_000 + u128::from(max) / 2) / u128::from(max.max(1));
    format!("{}.{:02}", hundredths / 100, hundredths % 100)
}

fn bars_html(out: &mut String, chart: &Chart, names: &Names, lang: Lang) {
    let t = lang.texts();
    let max = chart.max();
    out.push_str("<ul class=\"wm-chart__bars\">");
    for bar in &chart.bars {
        let name = label(bar.key, names, t);
        out.push_str("<li>");
        match bar.key.token() {
            Some(token) => {
                out.push_str("<button type=\"button\" class=\"wm-bar\" data-bar=\"");
                escape(out, &token);
                out.push_str("\" aria-pressed=\"");
                out.push_str(if bar.active { "true" } else { "false" });
                out.push_str("\" title=\"");
                escape(out, &fill(t.overview_show, &[("name", &name)]));
                out.push_str("\">");
            }
            None => out.push_str("<div class=\"wm-bar wm-bar--static\">"),
        }
        wrap(out, "<span class=\"wm-bar__label\">", &name, "</span>");
        // The drawing: the bar's length, split into its parts when known.
        out.push_str(
            "<svg class=\"wm-bar__svg\" viewBox=\"0 0 100 8\" preserveAspectRatio=\"none\" \
             aria-hidden=\"true\" focusable=\"false\">",
        );
        let segments: Vec<(&str, u64)> = match bar.parts {
            Some(p) => vec![("stuck", p.stuck), ("idle", p.idle), ("rest", p.rest)],
            None => vec![("rest", bar.count)],
        };
        let mut x = 0u64;
        for (class, n) in segments {
            if n == 0 {
                continue;
            }
            out.push_str("<rect class=\"wm-bar__");
            out.push_str(class);
            out.push_str("\" x=\"");
            out.push_str(&share(x, max));
            out.push_str("\" y=\"0\" height=\"8\" width=\"");
            out.push_str(&share(n, max));
            out.push_str("\"></rect>");
            x += n;
        }
        out.push_str("</svg>");
        wrap(
            out,
            "<span class=\"wm-bar__count\">",
            &lang.number(bar.count),
            "</span>",
        );
        if let Some(p) = &bar.parts {
            wrap(
                out,
                "<span class=\"wm-bar__parts\">",
                &parts_text(p, lang),
                "</span>",
            );
        }
        out.push_str(if bar.key.token().is_some() {
            "</button>"
        } else {
            "</div>"
        });
        out.push_str("</li>");
    }
    out.push_str("</ul>");
}

/// The chart's numbers as a table, for screen readers.
fn table_html(out: &mut String, d: Dimension, chart: &Chart, names: &Names, lang: Lang) {
    let t = lang.texts();
    out.push_str("<table class=\"wm-visually-hidden\">");
    wrap(out, "<caption>", title(d, t), "</caption>");
    out.push_str("<thead><tr>");
    wrap(out, "<th scope=\"col\">", t.overview_value, "</th>");
    wrap(out, "<th scope=\"col\">", t.overview_count, "</th>");
    out.push_str("</tr></thead><tbody>");
    for bar in &chart.bars {
        let mut count = lang.number(bar.count);
        if let Some(p) = &bar.parts {
            count = format!("{count} ({})", parts_text(p, lang));
        }
        wrap(
            out,
            "<tr><th scope=\"row\">",
            &label(bar.key, names, t),
            "</th>",
        );
        wrap(out, "<td>", &count, "</td></tr>");
    }
    out.push_str("</tbody></table>");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::methods::instances::TemplateId;
    use crate::domain::overview::model::{Bar, Chart};

    fn names_with(template: &str) -> Names {
        use crate::domain::methods::lookups::{TemplateInfo, Templates};
        Names {
            templates: Some(Ok(Templates::new(vec![TemplateInfo {
                id: TemplateId(1),
                name: template.to_owned(),
                document_type: None,
            }]))),
            ..Names::default()
        }
    }

    fn chart() -> Chart {
        Chart {
            dimension: Dimension::Template,
            bars: vec![
                Bar {
                    key: BarKey::Template(TemplateId(1)),
                    count: 1200,
                    parts: Some(Parts {
                        stuck: 200,
                        idle: 400,
                        rest: 600,
                    }),
                    active: true,
                },
                Bar {
                    key: BarKey::Automation,
                    count: 300,
                    parts: None,
                    active: false,
                },
            ],
            coverage: Coverage::Incomplete,
        }
    }

    #[test]
    fn a_chart_is_named_bars_are_buttons_with_text_and_names_stay_text() {
        let names = names_with("<img src=x onerror=alert(1)>");
        let mut out = String::new();
        chart_html(
            &mut out,
            Dimension::Template,
            &ChartState::Ready(chart()),
            &names,
            Lang::En,
        );
        assert!(
            out.contains("aria-labelledby=\"wm-chart-template\""),
            "{out}"
        );
        assert!(out.contains("id=\"wm-chart-template\">By template</figcaption>"));
        assert!(!out.contains("<img"), "a hostile name is escaped: {out}");
        assert!(out.contains("&lt;img src=x onerror=alert(1)&gt;"));
        // One button: the automation remainder has no single filter.
        assert_eq!(out.matches("<button").count(), 1);
        assert!(out.contains("data-bar=\"t1\" aria-pressed=\"true\""));
        assert!(out.contains("wm-bar wm-bar--static"));
        // Numbers and parts as text; the drawing's widths follow the counts.
        assert!(
            out.contains("<span class=\"wm-bar__count\">1,200</span>"),
            "{out}"
        );
        assert!(out.contains("200 stuck · 400 idle over 7 days"));
        assert!(
            out.contains("class=\"wm-bar__idle\" x=\"16.67\" y=\"0\" height=\"8\" width=\"33.33\"")
        );
        assert!(out.contains("width=\"25.00\""), "automation 300 of 1,200");
        // The data table and the incomplete note.
        assert!(out.contains("<table class=\"wm-visually-hidden\"><caption>By template</caption>"));
        assert!(out.contains(Lang::En.texts().overview_incomplete));
    }

    #[test]
    fn loading_failed_and_empty_charts_say_so_in_russian_too() {
        let names = Names::default();
        for (state, text) in [
            (ChartState::Loading, Lang::Ru.texts().overview_loading),
            (ChartState::Failed, Lang::Ru.texts().overview_failed),
        ] {
            let mut out = String::new();
            chart_html(&mut out, Dimension::Age, &state, &names, Lang::Ru);
            assert!(out.contains(text), "{out}");
            assert!(out.contains("По возрасту"), "{out}");
        }
        let mut out = String::new();
        let empty = Chart {
            dimension: Dimension::Kind,
            bars: vec![],
            coverage: Coverage::Exact,
        };
        chart_html(
            &mut out,
            Dimension::Kind,
            &ChartState::Ready(empty),
            &names,
            Lang::En,
        );
        assert!(out.contains("No running workflows."));
        assert!(!out.contains("<table"));
    }

    #[test]
    fn the_starters_say_whether_they_are_a_sample() {
        let names = Names::default();
        let chart = |coverage| Chart {
            dimension: Dimension::Starter,
            bars: vec![Bar {
                key: BarKey::Starter(crate::domain::methods::instances::UserId(0)),
                count: 40,
                parts: None,
                active: false,
            }],
            coverage,
        };
        let mut out = String::new();
        let sample = Coverage::Sample {
            rows: 2_500,
            of: 9_000,
        };
        chart_html(
            &mut out,
            Dimension::Starter,
            &ChartState::Ready(chart(sample)),
            &names,
            Lang::En,
        );
        assert!(
            out.contains("Counted among the first 2,500 of 9,000 workflows"),
            "{out}"
        );
        assert!(out.contains("System / automation"), "{out}");
        let mut out = String::new();
        chart_html(
            &mut out,
            Dimension::Starter,
            &ChartState::Ready(chart(Coverage::Exact)),
            &names,
            Lang::En,
        );
        assert!(out.contains("All 40 workflows counted."), "{out}");
    }

    #[test]
    fn the_region_remembers_open_only_when_saved_open() {
        let opts = |v: Value| v.as_object().cloned().unwrap_or_default();
        assert!(saved_open(&opts(
            serde_json::json!({"wm_overview": "open"})
        )));
        assert!(!saved_open(&opts(
            serde_json::json!({"wm_overview": "closed"})
        )));
        assert!(!saved_open(&opts(serde_json::json!({"wm_overview": 1}))));
        assert!(!saved_open(&Map::new()));
    }
}
