//! What each cell of the workflows table shows, as plain values: a pure
//! function of the row, the column, the clock, the language and the names
//! the session knows. The table body (`ui::table_body`) draws these and,
//! when the clock or the names move on, redraws only the cells whose value
//! changed.
//!
//! Field values are data: every string here ends up as a text node or an
//! attribute value, never as markup.

use crate::domain::display::documents::{entity_name, module_name, portal_url, DocumentRef};
use crate::domain::display::names::{
    id_title, template_label, TemplateLabel, UserLabel, UserNames,
};
use crate::domain::i18n::{fill, Lang, Texts};
use crate::domain::methods::instances::{Field, TemplateId, UserId, WorkflowRow};
use crate::domain::methods::lookups::Templates;
use crate::domain::table::filters::DocumentFilter;
use crate::domain::table::signals::SignalKind;
use crate::domain::table::view::Column;
use crate::domain::table::waiting::{OpenTask, Waiting, WaitingMap};
use crate::domain::time::format::{
    absolute_text, date_value, elapsed_text, relative_text, DateValue,
};
use crate::domain::time::instant::Timestamp;
use crate::domain::time::TimeContext;

/// Everything a cell's value depends on besides its row and column.
#[derive(Debug, Clone, Copy)]
pub struct CellContext<'a> {
    /// Now, and the admin's UTC offset.
    pub time: TimeContext,
    /// The admin's language.
    pub lang: Lang,
    /// The portal's templates, once loaded without error.
    pub templates: Option<&'a Templates>,
    /// Whether the template list is still loading (not failed).
    pub templates_loading: bool,
    /// The users met in this session.
    pub users: &'a UserNames,
    /// Whether the last `user.get` did not fail (names may still come).
    pub users_loading: bool,
    /// The portal's origin (`https://host`), for document links.
    pub origin: &'a str,
    /// What the workflows shown so far wait for (the Waiting for column).
    pub waiting: &'a WaitingMap,
}

/// A plain cell: text, an optional tooltip, the column's class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub text: String,
    pub title: Option<String>,
    pub class: &'static str,
}

/// A date as the admin reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateShown {
    /// No value: an empty cell.
    Empty,
    /// Text that is not a readable date, shown as sent, with a tooltip
    /// saying so.
    Raw { raw: String, tip: &'static str },
    /// A date: in the admin's zone, how long ago, and the exact value as
    /// the portal sent it (ISO 8601) for `<time datetime>` and the tooltip.
    Stamp {
        exact: String,
        absolute: String,
        relative: String,
    },
}

/// The Stuck badge or the Idle mark beside a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Badge {
    pub kind: SignalKind,
    pub label: &'static str,
    pub explanation: String,
}

impl Badge {
    /// The badge's classes.
    pub fn class(&self) -> &'static str {
        match self.kind {
            SignalKind::Stuck => "wm-badge wm-badge--danger wm-signal",
            SignalKind::Idle => "wm-badge wm-badge--muted wm-signal",
        }
    }
}

/// A template or user name (or its id while the name is not known).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    /// `wm-name--template` or `wm-name--user`.
    pub kind_class: &'static str,
    pub text: String,
    /// The whole name and the id ("Loading the name…" while it loads).
    pub title: String,
    /// A muted placeholder a name will replace.
    pub pending: bool,
    /// "System / automation".
    pub system: bool,
}

/// What the Document cell shows before its filter button.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocumentShown {
    /// A value the app cannot read: as sent, never linked.
    Raw(String),
    /// A readable document without a page of its own.
    Label { label: String, title: String },
    /// A link to the document's page in the portal: `href` for a new tab,
    /// `path` for the portal's slider (when `slider`).
    Link {
        label: String,
        title: String,
        href: String,
        path: String,
        slider: bool,
    },
}

/// The Document cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub shown: DocumentShown,
    /// "Show all workflows of Deal 12": the filter and its accessible name.
    pub filter: Option<(DocumentFilter, String)>,
}

/// One cell of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CellShown {
    Plain(Cell),
    Date {
        date: DateShown,
        badge: Option<Badge>,
    },
    /// Age or Idle: `3 h`.
    Span(String),
    Name(Name),
    Document(Document),
    /// Waiting for: a value the keyboard reaches, its tooltip the whole
    /// detail (every task, assignee and the workflow's state).
    Waiting(Cell),
}

/// The cell of `column` in `row`.
pub fn cell_shown(row: &WorkflowRow, column: Column, ctx: &CellContext<'_>) -> CellShown {
    let t = ctx.lang.texts();
    match column {
        Column::Age => CellShown::Span(span(row.started, ctx)),
        Column::Idle => CellShown::Span(span(row.modified, ctx)),
        Column::Waiting => CellShown::Waiting(waiting_cell(row, ctx)),
        Column::Field(field @ (Field::Started | Field::Modified | Field::OwnedUntil)) => {
            CellShown::Date {
                date: date_shown(date_value(row, field), ctx),
                badge: badge(row, field, ctx),
            }
        }
        Column::Field(Field::TemplateId) => match row.template_id {
            Some(id) => CellShown::Name(template_name(id, ctx)),
            None => CellShown::Plain(plain_cell(row, Field::TemplateId)),
        },
        Column::Field(Field::StartedBy) => match row.started_by {
            Some(id) => CellShown::Name(user_name(id, ctx)),
            None => CellShown::Plain(plain_cell(row, Field::StartedBy)),
        },
        Column::Field(Field::DocumentId) => CellShown::Document(document(row, ctx)),
        Column::Field(field) => {
            CellShown::Plain(kind_cell(row, field, t).unwrap_or_else(|| plain_cell(row, field)))
        }
    }
}

/// The class of a Waiting for cell.
pub const WAITING_CLASS: &str = "wm-table__td wm-waiting";
/// … while its tasks load.
pub const WAITING_PENDING_CLASS: &str = "wm-table__td wm-waiting wm-waiting--pending";
/// … with no open task.
pub const WAITING_NONE_CLASS: &str = "wm-table__td wm-waiting wm-waiting--none";
/// … stuck with no open task: the signal.
pub const WAITING_STUCK_CLASS: &str = "wm-table__td wm-waiting wm-waiting--stuck";
/// … not known.
pub const WAITING_UNKNOWN_CLASS: &str = "wm-table__td wm-waiting wm-waiting--unknown";

/// The Waiting for cell: the first open task and who it waits for
/// ("Approve invoice · Anna Petrova, +2"), "+1 task" when there are more;
/// its tooltip names every task, every assignee and the workflow's state.
/// A workflow with no open task says so, marked when it is stuck too.
fn waiting_cell(row: &WorkflowRow, ctx: &CellContext<'_>) -> Cell {
    let t = ctx.lang.texts();
    let cell = |text: &str, title: String, class| Cell {
        text: text.to_owned(),
        title: Some(title),
        class,
    };
    match ctx.waiting.get(&row.id) {
        None => cell("…", t.waiting_loading.to_owned(), WAITING_PENDING_CLASS),
        Some(Waiting::NoTask) => {
            if SignalKind::Stuck.of(row, ctx.time.now).is_some() {
                cell(
                    t.waiting_none,
                    t.waiting_none_stuck_tip.to_owned(),
                    WAITING_STUCK_CLASS,
                )
            } else {
                cell(
                    t.waiting_none,
                    t.waiting_none_tip.to_owned(),
                    WAITING_NONE_CLASS,
                )
            }
        }
        Some(Waiting::Unfiltered) => cell(
            t.waiting_unknown,
            t.waiting_unfiltered.to_owned(),
            WAITING_UNKNOWN_CLASS,
        ),
        Some(Waiting::Failed(err)) => cell(
            t.waiting_unknown,
            fill(t.waiting_failed, &[("error", &err.message(ctx.lang))]),
            WAITING_UNKNOWN_CLASS,
        ),
        Some(Waiting::Tasks { tasks, more }) => {
            let Some(first) = tasks.first() else {
                return cell(
                    t.waiting_none,
                    t.waiting_none_tip.to_owned(),
                    WAITING_NONE_CLASS,
                );
            };
            let name = |u: UserId| ctx.users.label(u, t).text().to_owned();
            let people = match first.waiting.split_first() {
                None => t.waiting_nobody.to_owned(),
                Some((one, [])) => name(*one),
                Some((one, rest)) => fill(
                    t.waiting_more_people,
                    &[
                        ("name", &name(*one)),
                        ("n", &ctx.lang.number(rest.len() as u64)),
                    ],
                ),
            };
            let mut text = fill(
                t.waiting_line,
                &[("task", task_name(first)), ("people", &people)],
            );
            if tasks.len() > 1 {
                text.push_str(" · ");
                text.push_str(
                    &ctx.lang
                        .plural(tasks.len() as u64 - 1, &t.waiting_more_tasks),
                );
            }
            let mut title = String::new();
            for task in tasks {
                let all: Vec<String> = task.waiting.iter().map(|u| name(*u)).collect();
                let people = if all.is_empty() {
                    t.waiting_nobody.to_owned()
                } else {
                    all.join(", ")
                };
                title.push_str(&fill(
                    t.waiting_tip_task,
                    &[("task", task_name(task)), ("people", &people)],
                ));
                if task.answered > 0 {
                    title.push_str(" (");
                    title.push_str(&ctx.lang.plural(task.answered as u64, &t.waiting_answered));
                    title.push(')');
                }
                title.push('\n');
            }
            if !first.state.is_empty() {
                title.push_str(&fill(t.waiting_tip_state, &[("state", &first.state)]));
                title.push('\n');
            }
            if *more {
                title.push_str(t.waiting_more_rows);
            }
            let title = title.trim_end().to_owned();
            cell(&text, title, WAITING_CLASS)
        }
    }
}

/// A task's name, or its id when the portal sent none.
fn task_name(task: &OpenTask) -> &str {
    if task.name.is_empty() {
        &task.id
    } else {
        &task.name
    }
}

fn span(since: Option<Timestamp>, ctx: &CellContext<'_>) -> String {
    elapsed_text(since, ctx.time.now, ctx.lang)
}

fn date_shown(value: DateValue, ctx: &CellContext<'_>) -> DateShown {
    match value {
        DateValue::Empty => DateShown::Empty,
        DateValue::Raw(raw) => DateShown::Raw {
            raw,
            tip: ctx.lang.texts().time_unreadable,
        },
        DateValue::Stamp(t) => DateShown::Stamp {
            exact: t.to_iso8601(),
            absolute: absolute_text(t.unix_s, ctx.time.offset_minutes, ctx.lang),
            relative: relative_text(t.unix_s, ctx.time.now, ctx.lang),
        },
    }
}

/// The signal shown in `field`'s cell, if any: Stuck next to the lock,
/// Idle next to the last change.
pub fn signal_beside(field: Field) -> Option<SignalKind> {
    match field {
        Field::OwnedUntil => Some(SignalKind::Stuck),
        Field::Modified => Some(SignalKind::Idle),
        _ => None,
    }
}

fn badge(row: &WorkflowRow, field: Field, ctx: &CellContext<'_>) -> Option<Badge> {
    let kind = signal_beside(field)?;
    let signal = kind.of(row, ctx.time.now)?;
    Some(Badge {
        kind,
        label: kind.label(ctx.lang),
        explanation: signal.explanation(ctx.lang),
    })
}

impl Name {
    /// A name cell. Its tooltip: the name (it may be cut on screen) and
    /// the id; for a placeholder the id, and "Loading the name…" while it
    /// loads (not after a failure, which the page's note explains).
    fn new(
        kind_class: &'static str,
        text: &str,
        (pending, system, loading): (bool, bool, bool),
        id_line: String,
        t: &Texts,
    ) -> Name {
        let title = match (pending, loading) {
            (true, true) => format!("{id_line}\n{}", t.name_pending),
            (true, false) => id_line,
            (false, _) => format!("{text}\n{id_line}"),
        };
        Name {
            kind_class,
            text: text.to_owned(),
            title,
            pending,
            system,
        }
    }
}

fn template_name(id: TemplateId, ctx: &CellContext<'_>) -> Name {
    let t = ctx.lang.texts();
    let label = template_label(ctx.templates, id, t);
    let pending = matches!(label, TemplateLabel::Pending(_));
    Name::new(
        "wm-name wm-name--template",
        label.text(),
        (pending, false, ctx.templates_loading),
        id_title(t.template_title, id.0),
        t,
    )
}

fn user_name(id: UserId, ctx: &CellContext<'_>) -> Name {
    let t = ctx.lang.texts();
    let label = ctx.users.label(id, t);
    let system = matches!(label, UserLabel::System(_));
    Name::new(
        "wm-name wm-name--user",
        label.text(),
        (label.is_pending(), system, ctx.users_loading),
        id_title(t.user_title, id.0),
        t,
    )
}

fn document(row: &WorkflowRow, ctx: &CellContext<'_>) -> Document {
    let t = ctx.lang.texts();
    let module = row.module_id.as_deref().unwrap_or_default();
    let entity = row.entity.as_deref().unwrap_or_default();
    let raw = raw_document(row);
    let doc = document_ref(row, ctx.templates);
    let filter = row
        .document_id
        .as_deref()
        .and_then(|d| DocumentFilter::new(module, entity, Some(d)).ok())
        .map(|f| {
            let name = match &doc {
                Some(d) => fill(t.doc_show_all, &[("document", &d.label(t))]),
                None => t.doc_show_all_raw.to_owned(),
            };
            (f, name)
        });
    let shown = match doc {
        None => DocumentShown::Raw(raw.to_owned()),
        Some(d) => {
            let label = d.label(t);
            let title = raw.to_owned();
            match d.portal_path() {
                None => DocumentShown::Label { label, title },
                Some(path) => DocumentShown::Link {
                    label,
                    title,
                    href: portal_url(ctx.origin, &path),
                    slider: d.opens_in_slider(),
                    path,
                },
            }
        }
    };
    Document { shown, filter }
}

/// The document as the portal wrote it.
fn raw_document(row: &WorkflowRow) -> &str {
    row.document_id
        .as_deref()
        .or_else(|| row.unparsed(Field::DocumentId))
        .unwrap_or_default()
}

/// The document of `row`, when its fields name one. A list element's page
/// needs its template's list: known once the templates have arrived.
fn document_ref(row: &WorkflowRow, templates: Option<&Templates>) -> Option<DocumentRef> {
    let module = row.module_id.as_deref().unwrap_or_default();
    let entity = row.entity.as_deref().unwrap_or_default();
    DocumentRef::parse(module, entity, raw_document(row))
        .ok()
        .map(|d| {
            let list = row.template_id.and_then(|id| templates?.document_type(id));
            d.with_template_type(list)
        })
}

/// The document's label as the table shows it ("Deal 42"), or the raw
/// value when it names no known document.
pub fn document_label(row: &WorkflowRow, templates: Option<&Templates>, t: &Texts) -> String {
    match document_ref(row, templates) {
        Some(d) => d.label(t),
        None => raw_document(row).to_owned(),
    }
}

/// The document's page on the portal at `origin` as a full URL, when its
/// fields name a document with a page.
pub fn document_url(
    row: &WorkflowRow,
    templates: Option<&Templates>,
    origin: &str,
) -> Option<String> {
    let path = document_ref(row, templates)?.portal_path()?;
    Some(portal_url(origin, &path))
}

/// The ID cell's classes.
pub const ID_CLASS: &str = "wm-table__td wm-table__td--id";

/// The cell of `field` in `row` as plain text, as the portal sent it.
pub fn plain_cell(row: &WorkflowRow, field: Field) -> Cell {
    let plain = |text: String, class| Cell {
        text,
        title: None,
        class,
    };
    let or_unparsed = |v: Option<String>| {
        v.or_else(|| row.unparsed(field).map(str::to_owned))
            .unwrap_or_default()
    };
    match field {
        // A long ID is cut short on screen: whole in the cell's text (to
        // copy) and in its tooltip.
        Field::Id => Cell {
            text: row.id.as_str().to_owned(),
            title: Some(row.id.as_str().to_owned()),
            class: ID_CLASS,
        },
        Field::Started | Field::Modified | Field::OwnedUntil => {
            plain(row.date_text(field), "wm-table__td wm-table__td--date")
        }
        Field::StartedBy => plain(
            or_unparsed(row.started_by.map(|u| u.0.to_string())),
            "wm-table__td wm-table__td--num",
        ),
        Field::TemplateId => plain(
            or_unparsed(row.template_id.map(|t| t.0.to_string())),
            "wm-table__td wm-table__td--num",
        ),
        Field::ModuleId => plain(or_unparsed(row.module_id.clone()), "wm-table__td"),
        Field::Entity => plain(
            or_unparsed(row.entity.clone()),
            "wm-table__td wm-table__td--wrap",
        ),
        Field::DocumentId => plain(
            or_unparsed(row.document_id.clone()),
            "wm-table__td wm-table__td--wrap",
        ),
    }
}

/// The Module and Entity cells of a row, readable: `crm` reads "CRM",
/// `CCrmDocumentDeal` reads "Deal", with the raw value in the tooltip.
/// `None` for other fields and for values the app does not know (those
/// keep their raw text, [`plain_cell`]).
pub fn kind_cell(row: &WorkflowRow, field: Field, t: &Texts) -> Option<Cell> {
    let module = row.module_id.as_deref()?;
    let (text, raw) = match field {
        Field::ModuleId => (module_name(module, t)?, module),
        Field::Entity => {
            let entity = row.entity.as_deref()?;
            (entity_name(module, entity, t)?, entity)
        }
        _ => return None,
    };
    Some(Cell {
        text: text.to_owned(),
        title: Some(raw.to_owned()),
        class: "wm-table__td wm-table__td--kind",
    })
}

/// The date Tab first stops at in the table: the first value any row
/// shows in a date column, in reading order. `None` when no row shows one.
pub fn first_tab_stop(rows: &[WorkflowRow], columns: &[Column]) -> Option<(usize, Column)> {
    rows.iter().enumerate().find_map(|(i, row)| {
        columns
            .iter()
            .find(|c| match c {
                Column::Field(f @ (Field::Started | Field::Modified | Field::OwnedUntil)) => {
                    date_value(row, *f) != DateValue::Empty
                }
                _ => false,
            })
            .map(|c| (i, *c))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::i18n::EN;
    use crate::domain::methods::instances::{TemplateId, UserId};
    use crate::domain::methods::lookups::{TemplateInfo, UserInfo};
    use serde_json::json;

    static NO_WAITING: WaitingMap = WaitingMap::new();

    const NOW: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z

    fn row(v: serde_json::Value) -> WorkflowRow {
        WorkflowRow::from_value(&v).expect("row")
    }

    fn templates() -> Templates {
        Templates::new(vec![
            TemplateInfo {
                id: TemplateId(3),
                name: "Deal approval".into(),
                document_type: Some("DEAL".into()),
            },
            TemplateInfo {
                id: TemplateId(9),
                name: "<b>Lists</b>".into(),
                document_type: Some("iblock_22".into()),
            },
        ])
    }

    fn ctx<'a>(templates: Option<&'a Templates>, users: &'a UserNames) -> CellContext<'a> {
        CellContext {
            time: TimeContext {
                now: NOW,
                offset_minutes: 180,
            },
            lang: Lang::En,
            templates,
            templates_loading: templates.is_none(),
            users,
            users_loading: true,
            origin: "https://portal.example/",
            waiting: &NO_WAITING,
        }
    }

    fn deal() -> WorkflowRow {
        row(json!({
            "ID": "wf-1",
            "MODULE_ID": "crm",
            "ENTITY": "CCrmDocumentDeal",
            "DOCUMENT_ID": "DEAL_12",
            "TEMPLATE_ID": "3",
            "STARTED_BY": "5",
            "STARTED": "2025-12-31T21:00:00+03:00",
            "MODIFIED": "2025-12-01T00:00:00+00:00",
            "OWNED_UNTIL": "2025-12-31T23:00:00+00:00",
        }))
    }

    #[test]
    fn dates_read_in_the_admins_zone_with_the_exact_value_kept() {
        let users = UserNames::new();
        let c = ctx(None, &users);
        let CellShown::Date { date, badge } = cell_shown(&deal(), Field::Started.into(), &c) else {
            panic!("a date cell");
        };
        assert_eq!(
            date,
            DateShown::Stamp {
                exact: "2025-12-31T21:00:00+03:00".into(),
                absolute: absolute_text(NOW - 6 * 3600, 180, Lang::En),
                relative: relative_text(NOW - 6 * 3600, NOW, Lang::En),
            }
        );
        assert_eq!(badge, None, "no signal beside Started");
        let odd = row(json!({"ID": "x", "STARTED": "yesterday", "MODIFIED": null}));
        assert_eq!(
            cell_shown(&odd, Field::Started.into(), &c),
            CellShown::Date {
                date: DateShown::Raw {
                    raw: "yesterday".into(),
                    tip: EN.time_unreadable
                },
                badge: None
            }
        );
        assert_eq!(
            cell_shown(&odd, Field::Modified.into(), &c),
            CellShown::Date {
                date: DateShown::Empty,
                badge: None
            }
        );
    }

    #[test]
    fn stuck_sits_by_the_lock_and_idle_by_the_last_change_and_both_follow_the_clock() {
        let users = UserNames::new();
        let mut c = ctx(None, &users);
        let badge_of = |c: &CellContext<'_>, f: Field| match cell_shown(&deal(), f.into(), c) {
            CellShown::Date { badge, .. } => badge,
            other => panic!("not a date: {other:?}"),
        };
        let stuck = badge_of(&c, Field::OwnedUntil).expect("the lock expired an hour ago");
        assert_eq!(
            (stuck.kind, stuck.label, stuck.class()),
            (
                SignalKind::Stuck,
                EN.badge_stuck,
                "wm-badge wm-badge--danger wm-signal"
            )
        );
        assert!(stuck.explanation.contains("1 h"), "{}", stuck.explanation);
        let idle = badge_of(&c, Field::Modified).expect("no change for a month");
        assert_eq!(idle.kind, SignalKind::Idle);
        assert_eq!(badge_of(&c, Field::Started), None);
        // Two minutes after the lock's expiry it is not stuck yet.
        c.time.now = NOW - 3600 + 120;
        assert_eq!(badge_of(&c, Field::OwnedUntil), None);
        assert_eq!(signal_beside(Field::Started), None);
    }

    #[test]
    fn names_replace_ids_once_known_and_say_why_they_are_missing() {
        let mut users = UserNames::new();
        users.asking(&[UserId(5)]);
        let list = templates();
        let waiting = ctx(None, &users);
        let template = |c: &CellContext<'_>| cell_shown(&deal(), Field::TemplateId.into(), c);
        let user = |c: &CellContext<'_>| cell_shown(&deal(), Field::StartedBy.into(), c);
        assert_eq!(
            template(&waiting),
            CellShown::Name(Name {
                kind_class: "wm-name wm-name--template",
                text: "3".into(),
                title: format!("Template ID 3\n{}", EN.name_pending),
                pending: true,
                system: false,
            })
        );
        let CellShown::Name(u) = user(&waiting) else {
            panic!("a name");
        };
        assert!(u.pending && u.text == "5" && u.title.ends_with(EN.name_pending));
        let mut failed = waiting;
        failed.users_loading = false;
        let CellShown::Name(u) = user(&failed) else {
            panic!("a name");
        };
        assert_eq!(u.title, "User ID 5", "no promise after a failure");
        users.answered(
            &[UserId(5)],
            &[UserInfo {
                id: UserId(5),
                name: "Ann Lee".into(),
            }],
        );
        let known = ctx(Some(&list), &users);
        let CellShown::Name(t) = template(&known) else {
            panic!("a name");
        };
        assert_eq!(
            (t.text.as_str(), t.title.as_str(), t.pending),
            ("Deal approval", "Deal approval\nTemplate ID 3", false)
        );
        let CellShown::Name(u) = user(&known) else {
            panic!("a name");
        };
        assert_eq!(
            (u.text.as_str(), u.pending, u.system),
            ("Ann Lee", false, false)
        );
        let system = row(json!({"ID": "s", "STARTED_BY": "0"}));
        let CellShown::Name(s) = cell_shown(&system, Field::StartedBy.into(), &known) else {
            panic!("a name");
        };
        assert!(s.system && !s.pending);
        // No id at all: the cell shows what the portal sent, as text.
        let none = row(json!({"ID": "n", "TEMPLATE_ID": "abc"}));
        assert_eq!(
            cell_shown(&none, Field::TemplateId.into(), &known),
            CellShown::Plain(Cell {
                text: "abc".into(),
                title: None,
                class: "wm-table__td wm-table__td--num"
            })
        );
    }

    #[test]
    fn documents_link_to_their_portal_page_and_filter_by_themselves() {
        let users = UserNames::new();
        let c = ctx(None, &users);
        let CellShown::Document(d) = cell_shown(&deal(), Field::DocumentId.into(), &c) else {
            panic!("a document");
        };
        assert_eq!(
            d.shown,
            DocumentShown::Link {
                label: "Deal 12".into(),
                title: "DEAL_12".into(),
                href: "https://portal.example/crm/deal/details/12/".into(),
                path: "/crm/deal/details/12/".into(),
                slider: true,
            }
        );
        let (filter, name) = d.filter.expect("a filter");
        assert_eq!(
            filter,
            DocumentFilter::new("crm", "CCrmDocumentDeal", Some("DEAL_12")).expect("filter")
        );
        assert_eq!(name, "Show all workflows of Deal 12");
        let hostile = row(json!({
            "ID": "h", "MODULE_ID": "crm", "ENTITY": "CCrmDocumentDeal",
            "DOCUMENT_ID": "<img src=x onerror=alert(1)>"
        }));
        let CellShown::Document(d) = cell_shown(&hostile, Field::DocumentId.into(), &c) else {
            panic!("a document");
        };
        assert_eq!(
            d.shown,
            DocumentShown::Raw("<img src=x onerror=alert(1)>".into()),
            "an unreadable value is shown as sent and never linked"
        );
        assert_eq!(
            d.filter.map(|(_, n)| n),
            Some(EN.doc_show_all_raw.to_owned())
        );
    }

    #[test]
    fn list_elements_link_once_their_templates_list_is_known() {
        let users = UserNames::new();
        let list = templates();
        let element = row(json!({
            "ID": "l", "MODULE_ID": "lists", "ENTITY": "BizprocDocument",
            "DOCUMENT_ID": "77", "TEMPLATE_ID": "9"
        }));
        let before = cell_shown(&element, Field::DocumentId.into(), &ctx(None, &users));
        let after = cell_shown(
            &element,
            Field::DocumentId.into(),
            &ctx(Some(&list), &users),
        );
        assert_ne!(before, after, "the template's list changes the link");
        let CellShown::Document(d) = after else {
            panic!("a document");
        };
        assert!(
            matches!(&d.shown, DocumentShown::Link { path, .. } if path.contains("22")),
            "{:?}",
            d.shown
        );
    }

    #[test]
    fn spans_kinds_and_plain_values() {
        let users = UserNames::new();
        let c = ctx(None, &users);
        assert_eq!(
            cell_shown(&deal(), Column::Age, &c),
            CellShown::Span(elapsed_text(
                Some(Timestamp {
                    unix_s: NOW - 6 * 3600,
                    offset_minutes: 180
                }),
                NOW,
                Lang::En
            ))
        );
        assert_eq!(
            cell_shown(&row(json!({"ID": "q"})), Column::Idle, &c),
            CellShown::Span(String::new())
        );
        assert_eq!(
            cell_shown(&deal(), Field::ModuleId.into(), &c),
            CellShown::Plain(Cell {
                text: "CRM".into(),
                title: Some("crm".into()),
                class: "wm-table__td wm-table__td--kind"
            })
        );
        assert_eq!(
            cell_shown(&deal(), Field::Id.into(), &c),
            CellShown::Plain(Cell {
                text: "wf-1".into(),
                title: Some("wf-1".into()),
                class: "wm-table__td wm-table__td--id"
            }),
            "the whole ID in its tooltip too: it may be cut short on screen"
        );
        let odd = row(json!({"ID": "o", "MODULE_ID": "iblock", "ENTITY": "CIBlockDocument"}));
        assert_eq!(kind_cell(&odd, Field::ModuleId, &EN), None);
        assert_eq!(kind_cell(&odd, Field::Entity, &EN), None);
    }

    #[test]
    fn tab_first_stops_at_the_first_date_shown() {
        let rows = [
            row(json!({"ID": "a", "OWNED_UNTIL": null})),
            row(json!({"ID": "b", "MODIFIED": "2026-01-01T00:00:00Z", "STARTED": "x"})),
        ];
        let dates = [
            Column::Field(Field::OwnedUntil),
            Column::Age,
            Column::Field(Field::Started),
            Column::Field(Field::Modified),
        ];
        assert_eq!(
            first_tab_stop(&rows, &dates),
            Some((1, Column::Field(Field::Started)))
        );
        assert_eq!(
            first_tab_stop(&rows, &[Column::Field(Field::OwnedUntil), Column::Age]),
            None
        );
        assert_eq!(first_tab_stop(&[], &dates), None);
    }
}

#[cfg(test)]
mod waiting_tests {
    use super::*;
    use crate::domain::i18n::EN;
    use crate::domain::methods::lookups::UserInfo;
    use crate::domain::wire::errors::RestError;
    use serde_json::json;

    const NOW: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z

    fn ctx<'a>(users: &'a UserNames, waiting: &'a WaitingMap, lang: Lang) -> CellContext<'a> {
        CellContext {
            time: TimeContext {
                now: NOW,
                offset_minutes: 0,
            },
            lang,
            templates: None,
            templates_loading: false,
            users,
            users_loading: false,
            origin: "https://portal.example",
            waiting,
        }
    }

    fn task(name: &str, waiting: &[u64], answered: usize) -> OpenTask {
        OpenTask {
            id: "31".into(),
            name: name.into(),
            state: "Approval of the invoice".into(),
            waiting: waiting.iter().map(|u| UserId(*u)).collect(),
            answered,
        }
    }

    fn shown(row: &WorkflowRow, w: Option<Waiting>, users: &UserNames, lang: Lang) -> Cell {
        let mut map = WaitingMap::new();
        if let Some(w) = w {
            map.insert(row.id.clone(), w);
        }
        match cell_shown(row, Column::Waiting, &ctx(users, &map, lang)) {
            CellShown::Waiting(c) => c,
            other => panic!("{other:?}"),
        }
    }

    fn users() -> UserNames {
        let mut u = UserNames::new();
        u.insert(&UserInfo {
            id: UserId(5),
            name: "Anna Petrova".into(),
        });
        u.insert(&UserInfo {
            id: UserId(6),
            name: "Ivan Sokolov".into(),
        });
        u
    }

    fn running() -> WorkflowRow {
        WorkflowRow::from_value(&json!({"ID": "wf-1"})).expect("row")
    }

    fn stuck() -> WorkflowRow {
        // The lock expired an hour ago.
        WorkflowRow::from_value(&json!({"ID": "wf-2", "OWNED_UNTIL": "2025-12-31T23:00:00+00:00"}))
            .expect("row")
    }

    #[test]
    fn the_first_task_and_its_first_assignee_then_how_many_more() {
        let u = users();
        let one = shown(
            &running(),
            Some(Waiting::Tasks {
                tasks: vec![task("Approve invoice", &[5, 6, 9], 1)],
                more: false,
            }),
            &u,
            Lang::En,
        );
        assert_eq!(one.text, "Approve invoice · Anna Petrova, +2");
        assert_eq!(one.class, WAITING_CLASS);
        let title = one.title.expect("a tooltip");
        assert!(title.contains("Approve invoice: waiting for Anna Petrova, Ivan Sokolov"));
        assert!(title.contains("(1 already answered)"));
        assert!(title.contains("Workflow state: Approval of the invoice"));
        let two = shown(
            &running(),
            Some(Waiting::Tasks {
                tasks: vec![task("Sign", &[6], 0), task("", &[], 0)],
                more: true,
            }),
            &u,
            Lang::En,
        );
        assert_eq!(two.text, "Sign · Ivan Sokolov · +1 task");
        let title = two.title.expect("a tooltip");
        assert!(title.contains("31: waiting for no one"), "{title}");
        assert!(title.ends_with(EN.waiting_more_rows));
    }

    #[test]
    fn a_stuck_workflow_with_no_task_is_the_signal() {
        let u = users();
        let plain = shown(&running(), Some(Waiting::NoTask), &u, Lang::En);
        assert_eq!(plain.text, "No open task");
        assert_eq!(plain.class, WAITING_NONE_CLASS);
        let s = shown(&stuck(), Some(Waiting::NoTask), &u, Lang::En);
        assert_eq!(s.text, "No open task");
        assert_eq!(s.class, WAITING_STUCK_CLASS);
        assert_eq!(s.title.as_deref(), Some(EN.waiting_none_stuck_tip));
    }

    #[test]
    fn loading_failed_and_unfiltered_each_say_so() {
        let u = users();
        let pending = shown(&running(), None, &u, Lang::En);
        assert_eq!(
            (pending.text.as_str(), pending.class),
            ("…", WAITING_PENDING_CLASS)
        );
        let failed = shown(
            &running(),
            Some(Waiting::Failed(RestError::Timeout { after_ms: 30_000 })),
            &u,
            Lang::En,
        );
        assert_eq!(failed.text, "Not known");
        assert!(failed
            .title
            .is_some_and(|t| t.starts_with("Its tasks could not be loaded: ")));
        let odd = shown(&running(), Some(Waiting::Unfiltered), &u, Lang::En);
        assert_eq!(odd.title.as_deref(), Some(EN.waiting_unfiltered));
    }

    #[test]
    fn russian_counts_the_other_tasks() {
        let u = users();
        let tasks = vec![task("Согласовать", &[5], 0); 3];
        let c = shown(
            &running(),
            Some(Waiting::Tasks { tasks, more: false }),
            &u,
            Lang::Ru,
        );
        assert_eq!(c.text, "Согласовать · Anna Petrova · +2 задания");
    }
}
