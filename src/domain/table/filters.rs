//! Typed filters for the running-workflows list: what the administrator
//! chose, the FILTER conditions it becomes (only what the server honours,
//! fact sheet §1.3), the presets, the chip labels, and the check that the
//! rows which came back really obey every active filter.
//!
//! Time is never read here: a [`TimeContext`] (now, and the
//! administrator's UTC offset) is passed in.

use std::fmt;

use thiserror::Error;

use crate::domain::time::TimeContext;

use crate::domain::i18n::{fill, Lang, Texts};
use crate::domain::methods::instances::{
    Condition, Field, FilterOp, FilterValue, TemplateId, UserId, WorkflowId, WorkflowRow,
};
use crate::domain::time::instant::Timestamp;

/// Why a filter value could not be built.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FilterError {
    /// Not `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM`, or not a real date.
    #[error("\"{0}\" is not a date (use YYYY-MM-DD, optionally with a time HH:MM)")]
    BadDate(String),
    /// A document filter without its module or entity.
    #[error("choose the kind of document (module and entity) first")]
    NoDocumentKind,
    /// An empty workflow ID.
    #[error("enter a workflow ID")]
    EmptyWorkflowId,
}

impl FilterError {
    /// The message for the administrator, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let t = lang.texts();
        match self {
            FilterError::BadDate(value) => fill(t.filter_bad_date, &[("value", value)]),
            FilterError::NoDocumentKind => t.filter_no_document_kind.to_owned(),
            FilterError::EmptyWorkflowId => t.filter_no_workflow_id.to_owned(),
        }
    }
}

/// A wall-clock date, optionally with a time of day (minutes), as the
/// administrator typed it in their own time zone; the `value` of an
/// `<input type="date">` or `<input type="datetime-local">`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WallTime {
    year: u16,
    month: u8,
    day: u8,
    time: Option<(u8, u8)>,
}

impl WallTime {
    /// Reads `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM` or `YYYY-MM-DD HH:MM`
    /// (surrounding whitespace ignored); the date must exist.
    pub fn parse(text: &str) -> Result<WallTime, FilterError> {
        let bad = || FilterError::BadDate(text.chars().take(40).collect());
        let s = text.trim();
        if !s.is_ascii() || !(s.len() == 10 || s.len() == 16) {
            return Err(bad());
        }
        let num = |r: std::ops::Range<usize>| -> Result<u16, FilterError> {
            let part = &s[r];
            if part.bytes().all(|b| b.is_ascii_digit()) {
                part.parse::<u16>().map_err(|_| bad())
            } else {
                Err(bad())
            }
        };
        let b = s.as_bytes();
        if b[4] != b'-' || b[7] != b'-' {
            return Err(bad());
        }
        let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let time = if s.len() == 16 {
            if !matches!(b[10], b'T' | b't' | b' ') || b[13] != b':' {
                return Err(bad());
            }
            let (h, m) = (num(11..13)?, num(14..16)?);
            Some((
                u8::try_from(h).map_err(|_| bad())?,
                u8::try_from(m).map_err(|_| bad())?,
            ))
        } else {
            None
        };
        let month = u8::try_from(month).map_err(|_| bad())?;
        let day = u8::try_from(day).map_err(|_| bad())?;
        let wall = WallTime {
            year,
            month,
            day,
            time,
        };
        wall.local_seconds().map(|_| wall).ok_or_else(bad)
    }

    /// A whole day.
    pub fn date(year: u16, month: u8, day: u8) -> Result<WallTime, FilterError> {
        WallTime::parse(&format!("{year:04}-{month:02}-{day:02}"))
    }

    /// A minute of a day.
    pub fn at(
        year: u16,
        month: u8,
        day: u8,
        hour: u8,
        minute: u8,
    ) -> Result<WallTime, FilterError> {
        WallTime::parse(&format!(
            "{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}"
        ))
    }

    /// Seconds since the epoch of this wall time read as UTC; `None` for a
    /// date that does not exist. The calendar is [`Timestamp::parse`]'s.
    fn local_seconds(&self) -> Option<i64> {
        let (h, m) = self.time.unwrap_or((0, 0));
        let text = format!(
            "{:04}-{:02}-{:02}T{h:02}:{m:02}:00Z",
            self.year, self.month, self.day
        );
        Timestamp::parse(&text).ok().map(|t| t.unix_s)
    }

    /// The first instant it names (midnight, or the minute's first second).
    pub fn start(&self, offset_minutes: i32) -> i64 {
        self.local_seconds().unwrap_or(0) - i64::from(offset_minutes) * 60
    }

    /// The first instant after it: a date covers its whole day and a time
    /// its whole minute, so "to 2025-01-31" includes all of the 31st.
    /// One fixed offset is used; see [`TimeContext`].
    pub fn end_exclusive(&self, offset_minutes: i32) -> i64 {
        let span = if self.time.is_some() { 60 } else { 86_400 };
        self.start(offset_minutes) + span
    }

    /// The `<input>` value: `2025-01-31` or `2025-01-31T09:30`.
    pub fn to_input_value(&self) -> String {
        let date = format!("{:04}-{:02}-{:02}", self.year, self.month, self.day);
        match self.time {
            Some((h, m)) => format!("{date}T{h:02}:{m:02}"),
            None => date,
        }
    }
}

impl fmt::Display for WallTime {
    /// For people: `2025-01-31` or `2025-01-31 09:30`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_input_value().replace('T', " "))
    }
}

/// One end of a date range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateBound {
    /// A wall time in the administrator's zone.
    At(WallTime),
    /// So many seconds before `now`; presets use it, so a saved "Stuck"
    /// view stays "stuck as of now" every time it is opened.
    Ago(u64),
}

impl DateBound {
    /// The instant of a `from` bound (inclusive).
    fn lower_instant(self, ctx: TimeContext) -> i64 {
        match self {
            DateBound::At(w) => w.start(ctx.offset_minutes),
            DateBound::Ago(s) => ctx.now.saturating_sub_unsigned(s),
        }
    }

    /// The instant of a `to` bound (exclusive: the first one past it).
    fn upper_instant(self, ctx: TimeContext) -> i64 {
        match self {
            DateBound::At(w) => w.end_exclusive(ctx.offset_minutes),
            DateBound::Ago(s) => ctx.now.saturating_sub_unsigned(s),
        }
    }
}

/// `30 days`, `5 minutes`, `1 hour`, `90 seconds`: the largest unit that
/// divides the span exactly (Russian in the genitive the date-range
/// phrases need: `30 дней`, `1 часа`).
pub fn span_text(seconds: u64, lang: Lang) -> String {
    let t = lang.texts();
    let (n, unit) = match seconds {
        s if s > 0 && s % 86_400 == 0 => (s / 86_400, &t.span_days),
        s if s > 0 && s % 3_600 == 0 => (s / 3_600, &t.span_hours),
        s if s > 0 && s % 60 == 0 => (s / 60, &t.span_minutes),
        s => (s, &t.span_seconds),
    };
    lang.plural(n, unit)
}

/// A range of instants; either end may be open. `from` is inclusive, `to`
/// covers the day or minute it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct DateRange {
    /// The earliest, or open.
    pub from: Option<DateBound>,
    /// The latest, or open.
    pub to: Option<DateBound>,
}

impl DateRange {
    /// Whether neither end is set (such a filter is removed).
    pub fn is_open(&self) -> bool {
        self.from.is_none() && self.to.is_none()
    }

    /// `[from, to)` in Unix seconds.
    fn instants(&self, ctx: TimeContext) -> (Option<i64>, Option<i64>) {
        (
            self.from.map(|b| b.lower_instant(ctx)),
            self.to.map(|b| b.upper_instant(ctx)),
        )
    }

    /// `2025-01-01 – 2025-01-31`, `from 2025-01-01`, `until 2025-01-31`,
    /// `more than 30 days ago`.
    pub fn text(&self, lang: Lang) -> String {
        let t = lang.texts();
        let span = |s: &u64| span_text(*s, lang);
        let end = |b: &DateBound| match b {
            DateBound::At(w) => w.to_string(),
            DateBound::Ago(s) => fill(t.range_ago, &[("span", &span(s))]),
        };
        match (&self.from, &self.to) {
            (Some(f), Some(to)) => fill(t.range_between, &[("from", &end(f)), ("to", &end(to))]),
            (Some(DateBound::Ago(s)), None) => fill(t.range_within, &[("span", &span(s))]),
            (Some(f), None) => fill(t.range_from, &[("date", &end(f))]),
            (None, Some(DateBound::Ago(s))) => fill(t.range_more_than_ago, &[("span", &span(s))]),
            (None, Some(to)) => fill(t.range_until, &[("date", &end(to))]),
            (None, None) => t.range_any.to_owned(),
        }
    }
}

/// The 8 lower-case hex digits a uniqid made in second `unix_s` starts with.
///
/// PHP's `uniqid` writes `%08x` of the second, then `%05x` of the
/// microsecond (§1.4). Clamped to the 32-bit range the prefix can hold.
pub fn id_prefix(unix_s: i64) -> String {
    let s = unix_s.clamp(0, i64::from(u32::MAX));
    format!("{s:08x}")
}

/// A document kind (`MODULE_ID` + `ENTITY`), optionally one document of it
/// (`DOCUMENT_ID`), compared as exact strings by the server.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DocumentFilter {
    module: String,
    entity: String,
    document: Option<String>,
}

impl DocumentFilter {
    /// A kind and, when `document` is non-empty, one document. Text is
    /// trimmed; module and entity are required.
    pub fn new(module: &str, entity: &str, document: Option<&str>) -> Result<Self, FilterError> {
        let (module, entity) = (module.trim(), entity.trim());
        if module.is_empty() || entity.is_empty() {
            return Err(FilterError::NoDocumentKind);
        }
        let document = document
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(str::to_owned);
        Ok(DocumentFilter {
            module: module.to_owned(),
            entity: entity.to_owned(),
            document,
        })
    }

    /// `MODULE_ID`, e.g. `crm`.
    pub fn module(&self) -> &str {
        &self.module
    }

    /// `ENTITY`, e.g. `CCrmDocumentDeal`.
    pub fn entity(&self) -> &str {
        &self.entity
    }

    /// `DOCUMENT_ID`, e.g. `DEAL_12`, if one document is chosen.
    pub fn document(&self) -> Option<&str> {
        self.document.as_deref()
    }
}

/// Which filter: one slot each, so a view holds at most one of a kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FilterKind {
    /// By `STARTED` (sent as an `ID` range).
    Started,
    /// By `MODIFIED`.
    Modified,
    /// By `OWNED_UNTIL`.
    LockedUntil,
    /// By `TEMPLATE_ID`.
    Template,
    /// By `STARTED_BY`.
    StartedBy,
    /// By `MODULE_ID`, `ENTITY`, `DOCUMENT_ID`.
    Document,
    /// By `ID`, exactly.
    WorkflowId,
}

impl FilterKind {
    /// All kinds, in chip order.
    pub const ALL: [FilterKind; 7] = [
        FilterKind::Started,
        FilterKind::Modified,
        FilterKind::LockedUntil,
        FilterKind::Template,
        FilterKind::StartedBy,
        FilterKind::Document,
        FilterKind::WorkflowId,
    ];

    /// The filter's name: its column's header (the input's label).
    pub fn name(self, t: &Texts) -> &'static str {
        match self {
            FilterKind::Started => t.field_started,
            FilterKind::Modified => t.field_modified,
            FilterKind::LockedUntil => t.field_locked_until,
            FilterKind::Template => t.field_template,
            FilterKind::StartedBy => t.field_started_by,
            FilterKind::Document => t.field_document,
            FilterKind::WorkflowId => t.filter_workflow_id,
        }
    }

    /// The column the filter belongs to.
    pub fn field(self) -> Field {
        match self {
            FilterKind::Started => Field::Started,
            FilterKind::Modified => Field::Modified,
            FilterKind::LockedUntil => Field::OwnedUntil,
            FilterKind::Template => Field::TemplateId,
            FilterKind::StartedBy => Field::StartedBy,
            FilterKind::Document => Field::DocumentId,
            FilterKind::WorkflowId => Field::Id,
        }
    }
}

/// One active filter.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Filter {
    /// Started within a range.
    Started(DateRange),
    /// Last modified within a range.
    Modified(DateRange),
    /// Locked until a time within a range (unlocked rows never match a
    /// bound: the server compares `NULL` as unknown).
    LockedUntil(DateRange),
    /// Of one template, or (`exclude`) of every other.
    Template {
        /// The template.
        id: TemplateId,
        /// Everything but this template.
        exclude: bool,
    },
    /// Started by one user; [`UserId`] `0` is "System / automation".
    StartedBy(UserId),
    /// Of one document kind, optionally one document.
    Document(DocumentFilter),
    /// Exactly one workflow.
    WorkflowId(WorkflowId),
}

impl Filter {
    /// A workflow ID filter from typed text (trimmed, must not be empty).
    pub fn workflow_id(text: &str) -> Result<Filter, FilterError> {
        let t = text.trim();
        if t.is_empty() {
            return Err(FilterError::EmptyWorkflowId);
        }
        Ok(Filter::WorkflowId(WorkflowId::new(t)))
    }

    /// Which slot it fills.
    pub fn kind(&self) -> FilterKind {
        match self {
            Filter::Started(_) => FilterKind::Started,
            Filter::Modified(_) => FilterKind::Modified,
            Filter::LockedUntil(_) => FilterKind::LockedUntil,
            Filter::Template { .. } => FilterKind::Template,
            Filter::StartedBy(_) => FilterKind::StartedBy,
            Filter::Document(_) => FilterKind::Document,
            Filter::WorkflowId(_) => FilterKind::WorkflowId,
        }
    }

    /// Whether it filters nothing (a range open at both ends).
    pub fn is_void(&self) -> bool {
        match self {
            Filter::Started(r) | Filter::Modified(r) | Filter::LockedUntil(r) => r.is_open(),
            _ => false,
        }
    }

    /// The fields a row needs for [`violations`] to check this filter.
    pub fn needs(&self) -> &'static [Field] {
        match self {
            // The check reads the ID the range was sent on.
            Filter::Started(_) | Filter::WorkflowId(_) => &[Field::Id],
            Filter::Modified(_) => &[Field::Modified],
            Filter::LockedUntil(_) => &[Field::OwnedUntil],
            Filter::Template { .. } => &[Field::TemplateId],
            Filter::StartedBy(_) => &[Field::StartedBy],
            Filter::Document(d) if d.document.is_some() => {
                &[Field::ModuleId, Field::Entity, Field::DocumentId]
            }
            Filter::Document(_) => &[Field::ModuleId, Field::Entity],
        }
    }

    /// The FILTER conditions, operators from §1.3's safe set only.
    ///
    /// `Started` is sent as a range on `ID`, not on `STARTED`: the server
    /// converts ISO dates only for `MODIFIED` and `OWNED_UNTIL`, so what it
    /// does with an ISO `STARTED` is UNCONFIRMED (§1.3, §9.2). An `ID` is
    /// a PHP uniqid whose first 8 hex digits are the Unix second it was
    /// made (§1.4), and the server compares IDs as strings, so
    /// `>=ID "<from>"` and `<ID "<first second after to>"` (8 lower-case hex
    /// digits each) select exactly the workflows started in that span, at
    /// one-second precision. ("66e412fd…" >= "66e412fd" because a string
    /// is greater than its own prefix.)
    pub fn conditions(&self, ctx: TimeContext) -> Vec<Condition> {
        let text = |s: String| FilterValue::Text(s);
        let iso = |unix_s: i64| {
            Timestamp {
                unix_s,
                offset_minutes: ctx.offset_minutes,
            }
            .to_iso8601()
        };
        let range = |r: &DateRange, field: Field, fmt: &dyn Fn(i64) -> String| {
            let (from, to) = r.instants(ctx);
            let mut out = Vec::new();
            if let Some(f) = from {
                out.push(Condition::new(FilterOp::Ge, field, text(fmt(f))));
            }
            if let Some(t) = to {
                out.push(Condition::new(FilterOp::Lt, field, text(fmt(t))));
            }
            out
        };
        match self {
            Filter::Started(r) => range(r, Field::Id, &id_prefix),
            Filter::Modified(r) => range(r, Field::Modified, &iso),
            Filter::LockedUntil(r) => range(r, Field::OwnedUntil, &iso),
            Filter::Template { id, exclude } => {
                let op = if *exclude {
                    FilterOp::Not
                } else {
                    FilterOp::Eq
                };
                vec![Condition::new(
                    op,
                    Field::TemplateId,
                    FilterValue::Number(id.0),
                )]
            }
            Filter::StartedBy(u) => vec![Condition::new(
                FilterOp::Eq,
                Field::StartedBy,
                FilterValue::Number(u.0),
            )],
            Filter::Document(d) => {
                let mut out = vec![
                    Condition::new(FilterOp::Eq, Field::ModuleId, text(d.module.clone())),
                    Condition::new(FilterOp::Eq, Field::Entity, text(d.entity.clone())),
                ];
                if let Some(doc) = &d.document {
                    out.push(Condition::new(
                        FilterOp::Eq,
                        Field::DocumentId,
                        text(doc.clone()),
                    ));
                }
                out
            }
            Filter::WorkflowId(id) => vec![Condition::new(
                FilterOp::Eq,
                Field::Id,
                text(id.as_str().to_owned()),
            )],
        }
    }

    /// The preset this filter is exactly, if any.
    pub fn preset(&self) -> Option<Preset> {
        Preset::ALL.into_iter().find(|p| p.filter() == *self)
    }

    /// The name to use in messages: the preset's name if it is one, else
    /// the filter kind's ("Template").
    pub fn name(&self, t: &Texts) -> &'static str {
        match self.preset() {
            Some(p) => p.name(t),
            None => self.kind().name(t),
        }
    }

    /// The chip's text: `Template is 212`, `Started 2025-01-01 –
    /// 2025-01-31`, `Stuck`, `Document is Deal 1633`. `name` is the
    /// display name of the template, user or document the filter refers
    /// to, when the UI knows it (ignored by the other kinds).
    pub fn chip_label(&self, name: Option<&str>, lang: Lang) -> String {
        let t = lang.texts();
        if let Some(p) = self.preset() {
            return p.name(t).to_owned();
        }
        let range = |r: &DateRange| {
            fill(
                t.chip_range,
                &[("field", self.kind().name(t)), ("range", &r.text(lang))],
            )
        };
        match self {
            Filter::Started(r) | Filter::Modified(r) | Filter::LockedUntil(r) => range(r),
            Filter::Template { id, exclude } => {
                let who = name.map_or_else(|| id.0.to_string(), str::to_owned);
                let template = if *exclude {
                    t.chip_template_is_not
                } else {
                    t.chip_template_is
                };
                fill(template, &[("name", &who)])
            }
            Filter::StartedBy(u) => match name {
                Some(n) => fill(t.chip_started_by, &[("name", n)]),
                None => fill(t.chip_started_by_user, &[("id", &u.0.to_string())]),
            },
            Filter::Document(d) => {
                // The UI's readable name: "Deal 1633", or the kind.
                if let Some(n) = name {
                    return match d.document {
                        Some(_) => fill(t.chip_document_named, &[("document", n)]),
                        None => fill(t.chip_document_kind, &[("kind", n)]),
                    };
                }
                // A kind the app knows reads as its name; any other shows
                // the raw module and entity (nothing is hidden).
                let kind =
                    crate::domain::display::documents::DocumentKind::of(&d.module, &d.entity)
                        .map_or_else(
                            || format!("{} / {}", d.module, d.entity),
                            |k| k.name(t).to_owned(),
                        );
                match &d.document {
                    Some(doc) => fill(t.chip_document_is, &[("doc", doc), ("kind", &kind)]),
                    None => fill(t.chip_document_kind, &[("kind", &kind)]),
                }
            }
            Filter::WorkflowId(id) => fill(t.chip_workflow_id, &[("id", id.as_str())]),
        }
    }

    /// Whether `row` proves the portal ignored this filter. A value the
    /// row lacks (not selected, `null`, unreadable) proves nothing.
    /// Text compares ignoring ASCII case, as the portal's database does.
    pub fn broken_by(&self, row: &WorkflowRow, ctx: TimeContext) -> bool {
        let outside = |r: &DateRange, t: Option<Timestamp>| {
            let Some(t) = t else { return false };
            let (from, to) = r.instants(ctx);
            from.is_some_and(|f| t.unix_s < f) || to.is_some_and(|e| t.unix_s >= e)
        };
        let differs = |want: &str, got: &Option<String>| {
            got.as_deref()
                .is_some_and(|g| !g.eq_ignore_ascii_case(want))
        };
        match self {
            Filter::Started(r) => {
                // The same string comparison the server was asked to make.
                let id = row.id.as_str().to_ascii_lowercase();
                let (from, to) = r.instants(ctx);
                from.is_some_and(|f| id.as_str() < id_prefix(f).as_str())
                    || to.is_some_and(|e| id.as_str() >= id_prefix(e).as_str())
            }
            Filter::Modified(r) => outside(r, row.modified),
            Filter::LockedUntil(r) => outside(r, row.owned_until),
            Filter::Template { id, exclude } => {
                row.template_id.is_some_and(|t| (t == *id) == *exclude)
            }
            Filter::StartedBy(u) => row.started_by.is_some_and(|s| s != *u),
            Filter::Document(d) => {
                differs(&d.module, &row.module_id)
                    || differs(&d.entity, &row.entity)
                    || d.document
                        .as_deref()
                        .is_some_and(|doc| differs(doc, &row.document_id))
            }
            Filter::WorkflowId(id) => !row.id.as_str().eq_ignore_ascii_case(id.as_str()),
        }
    }

    /// What the rows showed, for the admin: "it returned workflows of other
    /// templates".
    fn broken_text(&self, t: &Texts) -> &'static str {
        match self {
            Filter::Started(_) => t.broken_started,
            Filter::Modified(_) if self.preset().is_some() => t.broken_idle,
            Filter::Modified(_) => t.broken_modified,
            Filter::LockedUntil(_) if self.preset().is_some() => t.broken_stuck,
            Filter::LockedUntil(_) => t.broken_locked,
            Filter::Template { exclude: false, .. } => t.broken_template,
            Filter::Template { exclude: true, .. } => t.broken_template_excluded,
            Filter::StartedBy(u) if u.is_system() => t.broken_by_people,
            Filter::StartedBy(_) => t.broken_by_others,
            Filter::Document(_) => t.broken_document,
            Filter::WorkflowId(_) => t.broken_workflow_id,
        }
    }
}

/// One-click filters; each is an ordinary [`Filter`] the admin can edit or
/// remove like any other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Preset {
    /// Locked until more than 5 minutes ago (`<OWNED_UNTIL now−5 min`):
    /// the docs' definition of stuck (§1.3). Unlocked rows (`NULL`) are
    /// not stuck, and the server's `NULL` comparison leaves them out.
    Stuck,
    /// `STARTED_BY` 0.
    StartedByAutomation,
    /// Started before now − 30 days.
    OlderThan30Days,
    /// Modified before now − 7 days (`<MODIFIED`).
    IdleFor7Days,
}

/// Five minutes, the docs' threshold for "stuck".
pub const STUCK_AFTER_S: u64 = 5 * 60;
const DAY_S: u64 = 86_400;

impl Preset {
    /// All presets, in button order.
    pub const ALL: [Preset; 4] = [
        Preset::Stuck,
        Preset::StartedByAutomation,
        Preset::OlderThan30Days,
        Preset::IdleFor7Days,
    ];

    /// The button and chip text.
    pub fn name(self, t: &Texts) -> &'static str {
        match self {
            Preset::Stuck => t.preset_stuck,
            Preset::StartedByAutomation => t.preset_automation,
            Preset::OlderThan30Days => t.preset_older_30,
            Preset::IdleFor7Days => t.preset_idle_7,
        }
    }

    /// The filter it sets (relative to `now`, resolved per request).
    pub fn filter(self) -> Filter {
        let before = |s: u64| DateRange {
            from: None,
            to: Some(DateBound::Ago(s)),
        };
        match self {
            Preset::Stuck => Filter::LockedUntil(before(STUCK_AFTER_S)),
            Preset::StartedByAutomation => Filter::StartedBy(UserId(0)),
            Preset::OlderThan30Days => Filter::Started(before(30 * DAY_S)),
            Preset::IdleFor7Days => Filter::Modified(before(7 * DAY_S)),
        }
    }
}

/// The active filters, at most one per [`FilterKind`], in kind order.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Filters(Vec<Filter>);

impl Filters {
    /// No filters.
    pub fn new() -> Filters {
        Filters::default()
    }

    /// Sets `filter` in its slot, replacing the one there; a void filter
    /// (a range open at both ends) removes it. Returns whether anything
    /// changed.
    pub fn set(&mut self, filter: Filter) -> bool {
        if filter.is_void() {
            return self.remove(filter.kind());
        }
        match self.0.iter_mut().find(|f| f.kind() == filter.kind()) {
            Some(f) if *f == filter => false,
            Some(f) => {
                *f = filter;
                true
            }
            None => {
                self.0.push(filter);
                self.0.sort_by_key(Filter::kind);
                true
            }
        }
    }

    /// Removes the filter of `kind`; whether there was one.
    pub fn remove(&mut self, kind: FilterKind) -> bool {
        let before = self.0.len();
        self.0.retain(|f| f.kind() != kind);
        self.0.len() != before
    }

    /// Removes all; whether there were any.
    pub fn clear(&mut self) -> bool {
        let had = !self.0.is_empty();
        self.0.clear();
        had
    }

    /// The filter of `kind`.
    pub fn get(&self, kind: FilterKind) -> Option<&Filter> {
        self.0.iter().find(|f| f.kind() == kind)
    }

    /// The filters, in kind order.
    pub fn iter(&self) -> impl Iterator<Item = &Filter> {
        self.0.iter()
    }

    /// Whether none is active.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many are active.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether `preset`'s filter is active exactly.
    pub fn has_preset(&self, preset: Preset) -> bool {
        let f = preset.filter();
        self.get(f.kind()) == Some(&f)
    }

    /// All conditions. Every kind uses its own FILTER keys (`Started` the
    /// `>=ID`/`<ID` pair, the workflow ID filter the bare `ID`), so no key
    /// repeats; `InstancesQuery::effective_filter` would merge one if it did.
    pub fn conditions(&self, ctx: TimeContext) -> Vec<Condition> {
        self.0.iter().flat_map(|f| f.conditions(ctx)).collect()
    }

    /// The fields rows need for the active filters to be checked.
    pub fn needed_fields(&self) -> Vec<Field> {
        let mut out: Vec<Field> = Vec::new();
        for f in self.0.iter().flat_map(|f| f.needs().iter().copied()) {
            if !out.contains(&f) {
                out.push(f);
            }
        }
        out
    }

    /// The removable chips, in kind order. `names` gives the display name
    /// of a filter's template or user when the UI knows it.
    pub fn chips(&self, names: &dyn Fn(&Filter) -> Option<String>, lang: Lang) -> Vec<Chip> {
        self.0
            .iter()
            .map(|f| Chip {
                kind: f.kind(),
                label: f.chip_label(names(f).as_deref(), lang),
            })
            .collect()
    }
}

/// A removable chip: remove it with `ViewState::remove_filter(chip.kind)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chip {
    /// The filter it shows.
    pub kind: FilterKind,
    /// `Template is 212`, `Stuck`.
    pub label: String,
}

/// An active filter the portal did not apply: rows that break it came back
/// (the server drops filter keys it does not support without an error,
/// §1.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The filter, as the admin set it.
    pub filter: Filter,
    /// The rows that break it, in page order.
    pub rows: Vec<WorkflowId>,
}

impl Violation {
    /// Which filter.
    pub fn kind(&self) -> FilterKind {
        self.filter.kind()
    }

    /// For the admin: "The portal ignored the Template filter: it returned
    /// workflows of other templates."
    pub fn message(&self, lang: Lang) -> String {
        let t = lang.texts();
        fill(
            t.ignored_filter,
            &[
                ("filter", self.filter.name(t)),
                ("why", self.filter.broken_text(t)),
            ],
        )
    }
}

/// Which active filters the returned rows break, in kind order. Pass the
/// [`TimeContext`] the request was built with.
pub fn violations(rows: &[WorkflowRow], filters: &Filters, ctx: TimeContext) -> Vec<Violation> {
    filters
        .iter()
        .filter_map(|f| {
            let broken: Vec<WorkflowId> = rows
                .iter()
                .filter(|r| f.broken_by(r, ctx))
                .map(|r| r.id.clone())
                .collect();
            (!broken.is_empty()).then(|| Violation {
                filter: f.clone(),
                rows: broken,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn document_chips_name_a_known_kind_and_show_an_unknown_one_raw() {
        let chip = |m: &str, e: &str, d: Option<&str>| {
            let Ok(f) = DocumentFilter::new(m, e, d) else {
                panic!("a valid filter");
            };
            Filter::Document(f).chip_label(None, Lang::En)
        };
        assert_eq!(
            chip("crm", "CCrmDocumentDeal", None),
            "Document kind is Deal"
        );
        assert_eq!(
            chip("crm", "CCrmDocumentDeal", Some("DEAL_12")),
            "Document is DEAL_12 (Deal)"
        );
        assert_eq!(
            chip("iblock", "CIBlockDocument", Some("5")),
            "Document is 5 (iblock / CIBlockDocument)"
        );
        let named = |d: Option<&str>, name: &str| {
            let Ok(f) = DocumentFilter::new("crm", "CCrmDocumentDeal", d) else {
                panic!("a valid filter");
            };
            Filter::Document(f).chip_label(Some(name), Lang::En)
        };
        assert_eq!(
            named(Some("DEAL_1633"), "Deal 1633"),
            "Document is Deal 1633"
        );
        assert_eq!(named(None, "Deal"), "Document kind is Deal");
    }
    use super::*;

    const MSK: TimeContext = TimeContext {
        now: 1_735_689_600, // 2025-01-01T00:00:00Z
        offset_minutes: 180,
    };

    fn wall(s: &str) -> WallTime {
        WallTime::parse(s).expect(s)
    }

    #[test]
    fn wall_time_reads_input_values_and_refuses_impossible_dates() {
        assert_eq!(wall("2025-01-31").to_input_value(), "2025-01-31");
        assert_eq!(
            wall(" 2025-01-31T09:30 ").to_input_value(),
            "2025-01-31T09:30"
        );
        assert_eq!(wall("2025-01-31 09:30").to_string(), "2025-01-31 09:30");
        for bad in [
            "",
            "2025-02-30",
            "2025-13-01",
            "2025-01-01T24:00",
            "2025-01-01T09:60",
            "2025-1-01",
            "2025-01-01T09:30:00",
            "２０２５-01-01",
            "abcd-ef-gh",
            "2025-01-01X09:30",
        ] {
            assert!(WallTime::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_date_covers_its_whole_day_in_the_admins_zone() {
        let d = wall("2025-01-31");
        // 2025-01-31T00:00+03:00 is 2025-01-30T21:00Z.
        assert_eq!(d.start(180), 1_738_270_800);
        assert_eq!(d.end_exclusive(180) - d.start(180), 86_400);
        let m = wall("2025-01-31T09:30");
        assert_eq!(m.end_exclusive(-300) - m.start(-300), 60);
    }

    #[test]
    fn id_prefix_is_eight_lower_case_hex_digits_of_the_second() {
        assert_eq!(id_prefix(0x66e4_12fd), "66e412fd");
        assert_eq!(id_prefix(-5), "00000000");
        assert_eq!(id_prefix(1), "00000001");
        assert_eq!(id_prefix(i64::MAX), "ffffffff");
    }

    #[test]
    fn spans_read_in_the_largest_whole_unit() {
        assert_eq!(span_text(300, Lang::En), "5 minutes");
        assert_eq!(span_text(30 * 86_400, Lang::En), "30 days");
        assert_eq!(span_text(3_600, Lang::En), "1 hour");
        assert_eq!(span_text(90, Lang::En), "90 seconds");
        assert_eq!(span_text(0, Lang::En), "0 seconds");
        assert_eq!(span_text(300, Lang::Ru), "5 минут");
        assert_eq!(span_text(86_400, Lang::Ru), "1 дня");
        assert_eq!(span_text(2 * 3_600, Lang::Ru), "2 часов");
    }

    #[test]
    fn setting_a_filter_of_the_same_kind_replaces_it_and_an_open_range_removes_it() {
        let mut fs = Filters::new();
        assert!(fs.set(Filter::StartedBy(UserId(5))));
        assert!(!fs.set(Filter::StartedBy(UserId(5))));
        assert!(fs.set(Filter::StartedBy(UserId(6))));
        assert_eq!(fs.len(), 1);
        assert!(!fs.set(Filter::Started(DateRange::default())));
        assert!(fs.set(Preset::Stuck.filter()));
        assert!(fs.set(Filter::LockedUntil(DateRange::default())));
        assert_eq!(fs.len(), 1);
    }

    #[test]
    fn a_row_without_the_field_proves_nothing() {
        let row =
            WorkflowRow::from_value(&serde_json::json!({"ID": "66e412fdc9bd44.1"})).expect("row");
        for p in Preset::ALL {
            if p == Preset::OlderThan30Days {
                continue; // checked on the ID itself, which every row has
            }
            assert!(!p.filter().broken_by(&row, MSK), "{p:?}");
        }
    }

    #[test]
    fn document_filter_needs_module_and_entity() {
        assert_eq!(
            DocumentFilter::new(" ", "CCrmDocumentDeal", None),
            Err(FilterError::NoDocumentKind)
        );
        let d = DocumentFilter::new("crm", "CCrmDocumentDeal", Some("  ")).expect("kind");
        assert_eq!(d.document(), None);
        assert_eq!(Filter::workflow_id("  "), Err(FilterError::EmptyWorkflowId));
    }
}
