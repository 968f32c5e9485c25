//! The markup of the table's rows, built from [`CellShown`] values.
//!
//! A page of 500 rows is about 22,000 elements. Built with one DOM call
//! per element, attribute and text, drawing it took ~100 ms of script on
//! the bench machine; handed to the browser's HTML parser in one string,
//! about a quarter of that. Safety holds by construction: tag and
//! attribute names are literals of this file, every attribute value is
//! double-quoted, and every value that comes from data (row fields,
//! names, texts, ids) goes through [`escape`], which leaves no `<`, `>`,
//! `&`, `"` or `'` of its own: data can only ever be text.

use crate::domain::display::cells::{
    cell_shown, first_tab_stop, Badge, Cell, CellContext, CellShown, DateShown, Document,
    DocumentShown, Name, ID_CLASS,
};
use crate::domain::methods::instances::{WorkflowId, WorkflowRow};
use crate::domain::table::view::Column;

/// The attribute that marks a value as a stop of the arrow keys
/// (`ui::cell_focus`).
pub const FOCUS_ATTR: &str = "data-wm-focus";

/// Appends `text` to `out`, escaped for use as HTML text or as a
/// double- or single-quoted attribute value.
pub fn escape(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(at) = rest.find(['<', '>', '&', '"', '\'']) {
        out.push_str(&rest[..at]);
        out.push_str(match rest.as_bytes()[at] {
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'&' => "&amp;",
            b'"' => "&quot;",
            _ => "&#39;",
        });
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
}

/// Appends `open` and `close` (markup, as they are) around `text`
/// (escaped).
pub fn wrap(out: &mut String, open: &str, text: &str, close: &str) {
    out.push_str(open);
    escape(out, text);
    out.push_str(close);
}

/// Writes ` name="value"` (the value escaped).
fn attr(out: &mut String, name: &str, value: &str) {
    out.push(' ');
    out.push_str(name);
    out.push_str("=\"");
    escape(out, value);
    out.push('"');
}

/// Writes `<tag class="…"` and the other attributes, then `>`.
fn open(out: &mut String, tag: &str, class: &str, attrs: &[(&str, &str)]) {
    out.push('<');
    out.push_str(tag);
    attr(out, "class", class);
    for (name, value) in attrs {
        attr(out, name, value);
    }
    out.push('>');
}

/// Writes `<tag class="…" …>text</tag>`.
fn element(out: &mut String, tag: &str, class: &str, attrs: &[(&str, &str)], text: &str) {
    open(out, tag, class, attrs);
    escape(out, text);
    close(out, tag);
}

fn close(out: &mut String, tag: &str) {
    out.push_str("</");
    out.push_str(tag);
    out.push('>');
}

/// The attribute that holds a value's tooltip text (`ui::tip`): the
/// table's one tooltip element shows it for the focused or hovered value.
pub const TIP_ATTR: &str = "data-tip";

/// The id of the table's one tooltip element, the accessible description
/// of every value the keyboard reaches.
pub const TIP_ID: &str = "wm-tip";

/// The rows of a page: their markup, and what each cell shows (to tell
/// later which cells the clock or the names changed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowsMarkup {
    pub html: String,
    pub cells: Vec<Vec<CellShown>>,
}

/// The class of a row's selection checkbox (its `value` is the
/// workflow's ID).
pub const SELECT_CLASS: &str = "wm-select";

/// The markup of `rows` for `columns`, each row led by its selection
/// checkbox (checked when `selected` says; a value of the arrow-key grid,
/// never a Tab stop of its own). The first date shown is the table's one
/// Tab stop.
pub fn rows_markup(
    rows: &[WorkflowRow],
    columns: &[Column],
    ctx: &CellContext<'_>,
    selected: &dyn Fn(&WorkflowId) -> bool,
) -> RowsMarkup {
    let stop = first_tab_stop(rows, columns);
    let t = ctx.lang.texts();
    let mut html = String::with_capacity(rows.len() * 1_500);
    let mut cells = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        html.push_str("<tr class=\"wm-table__row\">");
        select_cell(&mut html, row.id.as_str(), t.select_row, selected(&row.id));
        let mut shown_row = Vec::with_capacity(columns.len());
        for column in columns {
            let shown = cell_shown(row, *column, ctx);
            cell_html(&mut html, &shown, stop == Some((i, *column)));
            shown_row.push(shown);
        }
        html.push_str("</tr>");
        cells.push(shown_row);
    }
    RowsMarkup { html, cells }
}

/// A row's checkbox cell: "Select workflow <ID>".
fn select_cell(out: &mut String, id: &str, label: &str, checked: bool) {
    out.push_str("<td class=\"wm-table__td wm-table__td--select\"><input type=\"checkbox\"");
    attr(out, "class", SELECT_CLASS);
    attr(out, "value", id);
    attr(
        out,
        "aria-label",
        &crate::domain::i18n::fill(label, &[("id", id)]),
    );
    attr(out, "tabindex", "-1");
    attr(out, FOCUS_ATTR, "");
    if checked {
        attr(out, "checked", "");
    }
    out.push_str("></td>");
}

/// The markup of one cell (`<td>…</td>`); a date is the table's one Tab
/// stop when `tab_stop`.
pub fn cell_html(out: &mut String, shown: &CellShown, tab_stop: bool) {
    match shown {
        CellShown::Plain(c) => plain(out, c),
        CellShown::Span(s) => element(
            out,
            "td",
            "wm-table__td wm-table__td--num wm-table__td--span",
            &[],
            s,
        ),
        CellShown::Name(n) => name(out, n),
        CellShown::Document(d) => document(out, d),
        CellShown::Waiting(c) => {
            open(out, "td", c.class, &[]);
            out.push_str("<span class=\"wm-waiting__value\"");
            value_attrs(out, "-1", c.title.as_deref().unwrap_or_default());
            escape(out, &c.text);
            close(out, "span");
            close(out, "td");
        }
        CellShown::Date { date, badge } => {
            open(out, "td", "wm-table__td wm-table__td--date", &[]);
            date_html(out, date, tab_stop);
            if let Some(b) = badge {
                badge_html(out, b);
            }
            close(out, "td");
        }
    }
}

/// A plain cell. Its tooltip is the table's one tooltip when the cell
/// may be cut short on screen (the ID: its whole text stays in the cell,
/// to read and to copy), the browser's own otherwise.
fn plain(out: &mut String, c: &Cell) {
    let tip = if c.class == ID_CLASS {
        TIP_ATTR
    } else {
        "title"
    };
    match &c.title {
        Some(title) => element(out, "td", c.class, &[(tip, title)], &c.text),
        None => element(out, "td", c.class, &[], &c.text),
    }
}

/// A name: the cell itself is the name's box (no element inside it).
fn name(out: &mut String, n: &Name) {
    out.push_str("<td class=\"wm-table__td ");
    out.push_str(n.kind_class);
    out.push_str(match (n.pending, n.system) {
        (true, _) => " wm-name--pending\"",
        (false, true) => " wm-name--system\"",
        (false, false) => "\"",
    });
    attr(out, "title", &n.title);
    out.push('>');
    escape(out, &n.text);
    close(out, "td");
}

fn document(out: &mut String, d: &Document) {
    open(out, "td", "wm-table__td wm-table__td--doc", &[]);
    match &d.shown {
        DocumentShown::Raw(raw) => element(out, "span", "wm-doc__raw", &[], raw),
        DocumentShown::Label { label, title } => {
            element(out, "span", "wm-doc__label", &[("title", title)], label);
        }
        // A real link: middle click, Ctrl+click and the keyboard work as on
        // any link; a plain click opens the portal's slider instead
        // (`ui::workflows_table`).
        DocumentShown::Link {
            label, title, href, ..
        } => element(
            out,
            "a",
            "wm-doc__link",
            &[
                ("href", href),
                ("target", "_blank"),
                ("rel", "noopener noreferrer"),
                ("title", title),
                ("tabindex", "-1"),
                (FOCUS_ATTR, ""),
            ],
            label,
        ),
    }
    // The funnel icon is the stylesheet's (`.wm-doc__filter::before`): no
    // elements of its own in every row.
    if let Some((_, label)) = &d.filter {
        element(
            out,
            "button",
            "wm-doc__filter",
            &[
                ("type", "button"),
                ("aria-label", label),
                ("title", label),
                ("tabindex", "-1"),
                (FOCUS_ATTR, ""),
            ],
            "",
        );
    }
    close(out, "td");
}

/// Writes the attributes of a value the keyboard reaches and the table's
/// tooltip explains (`tip`), then `>`.
fn value_attrs(out: &mut String, tabindex: &str, tip: &str) {
    attr(out, FOCUS_ATTR, "");
    attr(out, "tabindex", tabindex);
    attr(out, "aria-describedby", TIP_ID);
    attr(out, TIP_ATTR, tip);
    out.push('>');
}

/// A date: the value (the keyboard reaches it), its exact value in the
/// tooltip. The relative time is a part of the value: beside the date
/// when compact, under it when comfortable (the stylesheet's choice).
fn date_html(out: &mut String, date: &DateShown, tab_stop: bool) {
    let tabindex = if tab_stop { "0" } else { "-1" };
    match date {
        DateShown::Empty => {}
        DateShown::Raw { raw, tip } => {
            out.push_str("<span class=\"wm-time wm-time--raw\"");
            value_attrs(out, tabindex, tip);
            escape(out, raw);
            close(out, "span");
        }
        DateShown::Stamp { exact, .. } => {
            out.push_str("<time class=\"wm-time\"");
            attr(out, "datetime", exact);
            value_attrs(out, tabindex, exact);
            date_texts(out, date);
            close(out, "time");
        }
    }
}

/// What a date value holds: the date, then its relative time (nothing for
/// other values).
pub fn date_texts(out: &mut String, date: &DateShown) {
    if let DateShown::Stamp {
        absolute, relative, ..
    } = date
    {
        escape(out, absolute);
        out.push(' ');
        element(out, "span", "wm-time__rel", &[], relative);
    }
}

/// The Stuck badge or the Idle mark, explained in the tooltip; the
/// keyboard reaches it.
pub fn badge_html(out: &mut String, b: &Badge) {
    out.push_str("<span class=\"");
    out.push_str(b.class());
    out.push('"');
    value_attrs(out, "-1", &b.explanation);
    escape(out, b.label);
    close(out, "span");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::display::names::UserNames;
    use crate::domain::i18n::Lang;
    use crate::domain::methods::instances::Field;
    use crate::domain::time::TimeContext;
    use serde_json::json;

    static NO_WAITING: crate::domain::table::waiting::WaitingMap =
        crate::domain::table::waiting::WaitingMap::new();

    fn escaped(s: &str) -> String {
        let mut out = String::new();
        escape(&mut out, s);
        out
    }

    #[test]
    fn escaping_leaves_no_markup_of_its_own() {
        assert_eq!(
            escaped(r#"<b>"Tom" & 'Jerry'</b>"#),
            "&lt;b&gt;&quot;Tom&quot; &amp; &#39;Jerry&#39;&lt;/b&gt;"
        );
        assert_eq!(escaped("Сделка 12 — ok"), "Сделка 12 — ok");
        assert_eq!(escaped(""), "");
        assert_eq!(escaped("&amp;"), "&amp;amp;", "entities in data stay text");
    }

    fn ctx(users: &UserNames) -> CellContext<'_> {
        CellContext {
            time: TimeContext {
                now: 1_767_225_600,
                offset_minutes: 0,
            },
            lang: Lang::En,
            templates: None,
            templates_loading: true,
            users,
            users_loading: true,
            origin: "https://portal.example",
            waiting: &NO_WAITING,
        }
    }

    fn deal_rows() -> [WorkflowRow; 2] {
        [
            WorkflowRow::from_value(&json!({
                "ID": "6935a2b1c4d5e6.12345678", "STARTED": "2025-12-31T23:00:00+00:00",
                "OWNED_UNTIL": "2025-12-31T22:00:00+00:00",
                "MODULE_ID": "crm", "ENTITY": "CCrmDocumentDeal", "DOCUMENT_ID": "DEAL_7",
            }))
            .expect("row"),
            WorkflowRow::from_value(&json!({"ID": "wf.2", "STARTED": "2025-12-31T23:30:00+00:00"}))
                .expect("row"),
        ]
    }

    const COLUMNS: [Column; 4] = [
        Column::Field(Field::Id),
        Column::Field(Field::Started),
        Column::Field(Field::OwnedUntil),
        Column::Field(Field::DocumentId),
    ];

    #[test]
    fn a_row_reads_as_the_cells_say_with_one_tab_stop() {
        let users = UserNames::new();
        let m = rows_markup(&deal_rows(), &COLUMNS, &ctx(&users), &|_| false);
        assert_eq!(m.cells.len(), 2);
        assert_eq!(m.cells[0].len(), 4);
        assert_eq!(m.html.matches("<tr class=\"wm-table__row\">").count(), 2);
        assert_eq!(m.html.matches("tabindex=\"0\"").count(), 1, "{}", m.html);
        // The lock expired two hours ago: Stuck, explained in the tooltip.
        assert!(m.html.contains(
            "<span class=\"wm-badge wm-badge--danger wm-signal\" data-wm-focus=\"\" tabindex=\"-1\" \
             aria-describedby=\"wm-tip\" data-tip=\"Stuck: the lock expired"
        ), "{}", m.html);
        assert!(m.html.contains(
            "<a class=\"wm-doc__link\" href=\"https://portal.example/crm/deal/details/7/\" target=\"_blank\" rel=\"noopener noreferrer\" title=\"DEAL_7\" tabindex=\"-1\" data-wm-focus=\"\">Deal 7</a>"
        ));
        // The filter button follows the link at once, its icon the
        // stylesheet's.
        assert!(m.html.contains(
            "Deal 7</a><button class=\"wm-doc__filter\" type=\"button\" aria-label=\"Show all workflows of Deal 7\" \
             title=\"Show all workflows of Deal 7\" tabindex=\"-1\" data-wm-focus=\"\"></button></td>"
        ), "{}", m.html);
        // Empty dates are empty cells.
        assert!(m
            .html
            .contains("<td class=\"wm-table__td wm-table__td--date\"></td>"));
    }

    #[test]
    fn the_id_is_whole_in_its_text_and_in_the_tooltip() {
        let users = UserNames::new();
        let m = rows_markup(&deal_rows(), &COLUMNS, &ctx(&users), &|_| false);
        assert!(
            m.html.contains(
                "></td><td class=\"wm-table__td wm-table__td--id\" \
             data-tip=\"6935a2b1c4d5e6.12345678\">6935a2b1c4d5e6.12345678</td>"
            ),
            "{}",
            m.html
        );
    }

    #[test]
    fn a_date_is_one_value_with_its_relative_time_inside_and_the_exact_one_in_the_tooltip() {
        let users = UserNames::new();
        let m = rows_markup(&deal_rows(), &COLUMNS, &ctx(&users), &|_| false);
        assert!(
            m.html.contains(
                "<td class=\"wm-table__td wm-table__td--date\"><time class=\"wm-time\" \
             datetime=\"2025-12-31T23:00:00+00:00\" data-wm-focus=\"\" tabindex=\"0\" \
             aria-describedby=\"wm-tip\" data-tip=\"2025-12-31T23:00:00+00:00\">\
             Dec 31, 2025, 23:00 <span class=\"wm-time__rel\">1 h ago</span></time></td>"
            ),
            "{}",
            m.html
        );
    }

    #[test]
    fn no_row_holds_a_tooltip_element_or_a_wrapper() {
        let users = UserNames::new();
        let rows = deal_rows();
        let columns: Vec<Column> = Field::ALL.iter().copied().map(Column::Field).collect();
        let m = rows_markup(&rows, &columns, &ctx(&users), &|_| false);
        for gone in [
            "role=\"tooltip\"",
            " id=\"",
            "wm-signal-wrap",
            "<svg",
            "wm-time__abs",
        ] {
            assert!(!m.html.contains(gone), "{gone} in {}", m.html);
        }
        // Every value the keyboard reaches is described by the one tooltip.
        assert_eq!(
            m.html.matches(FOCUS_ATTR).count() - rows.len() - 2,
            m.html.matches("aria-describedby=\"wm-tip\"").count(),
            "all but each row's checkbox, the link and its button: {}",
            m.html
        );
    }

    #[test]
    fn every_row_leads_with_its_named_checkbox_checked_as_selected_and_no_tab_stop() {
        let users = UserNames::new();
        let rows = deal_rows();
        let chosen = rows[1].id.clone();
        let m = rows_markup(&rows, &COLUMNS, &ctx(&users), &|id| *id == chosen);
        let boxes: Vec<&str> = m.html.split("<input ").skip(1).collect();
        assert_eq!(boxes.len(), 2, "{}", m.html);
        assert!(boxes[0].starts_with(&format!(
            "type=\"checkbox\" class=\"wm-select\" value=\"{0}\" aria-label=\"Select workflow {0}\" \
             tabindex=\"-1\" data-wm-focus=\"\">",
            rows[0].id.as_str()
        )), "{}", boxes[0]);
        assert!(!boxes[0]
            .split('>')
            .next()
            .unwrap_or_default()
            .contains("checked"));
        assert!(boxes[1]
            .split('>')
            .next()
            .unwrap_or_default()
            .ends_with(" checked=\"\""));
        assert_eq!(
            m.html.matches("tabindex=\"0\"").count(),
            1,
            "still one Tab stop"
        );
    }

    #[test]
    fn hostile_values_stay_text() {
        let users = UserNames::new();
        let evil = "<img src=x onerror=alert(1)>\"' onmouseover=\"x";
        let row = WorkflowRow::from_value(&json!({
            "ID": evil, "STARTED": evil, "MODULE_ID": evil, "ENTITY": evil,
            "DOCUMENT_ID": evil, "TEMPLATE_ID": evil, "STARTED_BY": evil,
        }))
        .expect("row");
        let columns: Vec<Column> = Field::ALL.iter().copied().map(Column::Field).collect();
        let m = rows_markup(&[row], &columns, &ctx(&users), &|_| false);
        assert!(!m.html.contains("<img"), "{}", m.html);
        assert!(!m.html.contains("\" onmouseover"), "{}", m.html);
        assert!(!m.html.contains('\''), "{}", m.html);
        assert!(m
            .html
            .contains("&lt;img src=x onerror=alert(1)&gt;&quot;&#39; onmouseover=&quot;x"));
    }
}
