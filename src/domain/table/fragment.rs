//! The view as text: the URL fragment (`#sort=-started&template=212&page=3`)
//! and the per-user saved default view and column choice.
//!
//! Format: `key=value` parts joined by `&`, in a fixed order, defaults left
//! out (the first screen is the empty fragment):
//!
//! | key | value | example |
//! |---|---|---|
//! | `sort` | column slugs (a field's, `age`, `idle`), `-` for descending, in key order | `sort=-started,template`, `sort=-age` |
//! | `started`, `modified`, `locked` | `from..to`; each end a date, a date and time, or an age (`5m`, `7d`) or empty | `started=2025-01-01..2025-01-31`, `locked=..5m` |
//! | `template` | id, `!` to exclude | `template=!212` |
//! | `by` | user id (`0`: automation) | `by=0` |
//! | `module`, `entity`, `document` | text | `module=crm&entity=CCrmDocumentDeal` |
//! | `id` | a workflow ID | `id=66e412fdc9bd44.36306599` |
//! | `page`, `size` | numbers | `page=3&size=100` |
//! | `cols` | column slugs in display order, `!` for hidden | `cols=id,started,!age,!by` |
//!
//! Text values are percent-encoded except `A-Z a-z 0-9 - . _ ~` (the one encoder,
//! `wire::query`), so the fragment is already safe to put in a URL. Reading is tolerant: unknown
//! keys, garbled values and bad percent escapes are dropped one part at a
//! time, never failing and never panicking; the rest of the view is kept.
//!
//! Saved options come back from the portal as strings, so the saved forms
//! are strings too: a view serializes as its fragment text, columns as
//! their `cols` value.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::domain::wire::query::{percent_decode, percent_encoded};

use crate::domain::frame::UserOption;
use crate::domain::methods::instances::{SortDir, TemplateId, UserId};
use crate::domain::table::filters::{
    DateBound, DateRange, DocumentFilter, Filter, Filters, WallTime,
};
use crate::domain::table::paging::{PageSize, MAX_PAGE};
use crate::domain::table::view::{Column, Columns, ViewState};

/// Input beyond this many bytes is ignored (a real view is < 1 KB).
pub const MAX_FRAGMENT_LEN: usize = 4096;

/// Longest text value kept (ids, entity class names are far shorter).
const MAX_VALUE_LEN: usize = 256;

impl ViewState {
    /// The view as a fragment (without `#`); `""` for the default view.
    pub fn to_fragment(&self) -> String {
        let default = ViewState::default();
        let mut parts: Vec<String> = Vec::new();
        if self.sort() != default.sort() {
            let keys: Vec<String> = self
                .sort()
                .iter()
                .map(|(f, d)| match d {
                    SortDir::Desc => format!("-{}", f.slug()),
                    SortDir::Asc => f.slug().to_owned(),
                })
                .collect();
            parts.push(format!("sort={}", keys.join(",")));
        }
        for f in self.filters().iter() {
            parts.extend(filter_parts(f));
        }
        if self.page() != 1 {
            parts.push(format!("page={}", self.page()));
        }
        if self.page_size() != PageSize::default() {
            parts.push(format!("size={}", self.page_size().as_str()));
        }
        if *self.columns() != Columns::default() {
            parts.push(format!("cols={}", self.columns().to_option_value()));
        }
        parts.join("&")
    }

    /// Reads a fragment (with or without `#`). Whatever cannot be read is
    /// left at its default.
    pub fn from_fragment(text: &str) -> ViewState {
        ViewState::from_fragment_over(text, Columns::default())
    }

    /// [`ViewState::from_fragment`] with `columns` used when the fragment
    /// does not name any (the admin's saved column choice).
    pub fn from_fragment_over(text: &str, columns: Columns) -> ViewState {
        let text = text.strip_prefix('#').unwrap_or(text);
        let text = cut(text, MAX_FRAGMENT_LEN);
        let mut sort = Vec::new();
        let mut filters = Filters::new();
        let mut page = 1;
        let mut size = PageSize::default();
        let mut cols = columns;
        let (mut module, mut entity, mut document) = (None, None, None);
        for part in text.split('&') {
            let Some((key, raw)) = part.split_once('=') else {
                continue;
            };
            let Some(value) = percent_decode(raw) else {
                continue;
            };
            if value.len() > MAX_VALUE_LEN {
                continue;
            }
            match key {
                "sort" => sort = parse_sort(&value),
                "started" | "modified" | "locked" => {
                    if let Some(r) = parse_range(&value) {
                        filters.set(match key {
                            "started" => Filter::Started(r),
                            "modified" => Filter::Modified(r),
                            _ => Filter::LockedUntil(r),
                        });
                    }
                }
                "template" => {
                    let (exclude, id) = match value.strip_prefix('!') {
                        Some(rest) => (true, rest),
                        None => (false, value.as_str()),
                    };
                    if let Some(id) = parse_u64(id) {
                        filters.set(Filter::Template {
                            id: TemplateId(id),
                            exclude,
                        });
                    }
                }
                "by" => {
                    if let Some(id) = parse_u64(&value) {
                        filters.set(Filter::StartedBy(UserId(id)));
                    }
                }
                "module" => module = Some(value),
                "entity" => entity = Some(value),
                "document" => document = Some(value),
                "id" => {
                    if let Ok(f) = Filter::workflow_id(&value) {
                        filters.set(f);
                    }
                }
                "page" => {
                    if let Some(p) = parse_u64(&value) {
                        page = p.clamp(1, MAX_PAGE);
                    } else if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
                        page = MAX_PAGE;
                    }
                }
                "size" => {
                    if let Some(s) = PageSize::parse(&value) {
                        size = s;
                    }
                }
                "cols" => {
                    if let Some(c) = Columns::parse_option_value(&value) {
                        cols = c;
                    }
                }
                _ => {}
            }
        }
        if let (Some(m), Some(e)) = (module, entity) {
            if let Ok(d) = DocumentFilter::new(&m, &e, document.as_deref()) {
                filters.set(Filter::Document(d));
            }
        }
        ViewState::from_parts(sort, filters, page, size, cols)
    }
}

impl Columns {
    /// The saved form: slugs in display order, `!` before hidden ones:
    /// `id,started,!age,by,template,...`. Values written before Age and
    /// Idle existed (nine field slugs) still read: the new columns are
    /// added hidden ([`Columns::from_entries`]).
    pub fn to_option_value(&self) -> String {
        let tokens: Vec<String> = self
            .entries()
            .iter()
            .map(|(f, v)| {
                if *v {
                    f.slug().to_owned()
                } else {
                    format!("!{}", f.slug())
                }
            })
            .collect();
        tokens.join(",")
    }

    /// Reads [`Columns::to_option_value`]; unknown tokens are dropped,
    /// unnamed columns appended (shown). `None` when no token is a column.
    pub fn parse_option_value(text: &str) -> Option<Columns> {
        let entries: Vec<(Column, bool)> = cut(text, MAX_FRAGMENT_LEN)
            .split(',')
            .filter_map(|t| {
                let t = t.trim();
                match t.strip_prefix('!') {
                    Some(slug) => Column::from_slug(slug).map(|c| (c, false)),
                    None => Column::from_slug(t).map(|c| (c, true)),
                }
            })
            .collect();
        (!entries.is_empty()).then(|| Columns::from_entries(entries))
    }
}

/// The fragment parts of one filter.
fn filter_parts(f: &Filter) -> Vec<String> {
    match f {
        Filter::Started(r) => vec![format!("started={}", range_text(r))],
        Filter::Modified(r) => vec![format!("modified={}", range_text(r))],
        Filter::LockedUntil(r) => vec![format!("locked={}", range_text(r))],
        Filter::Template { id, exclude } => {
            let bang = if *exclude { "!" } else { "" };
            vec![format!("template={bang}{}", id.0)]
        }
        Filter::StartedBy(u) => vec![format!("by={}", u.0)],
        Filter::Document(d) => {
            let mut out = vec![
                format!("module={}", percent_encoded(d.module())),
                format!("entity={}", percent_encoded(d.entity())),
            ];
            if let Some(doc) = d.document() {
                out.push(format!("document={}", percent_encoded(doc)));
            }
            out
        }
        Filter::WorkflowId(id) => vec![format!("id={}", percent_encoded(id.as_str()))],
    }
}

fn range_text(r: &DateRange) -> String {
    let end = |b: &Option<DateBound>| match b {
        None => String::new(),
        Some(DateBound::At(w)) => w.to_input_value(),
        Some(DateBound::Ago(s)) => age_text(*s),
    };
    format!("{}..{}", end(&r.from), end(&r.to))
}

/// `300` → `5m`, `604800` → `7d`: the largest exact unit.
fn age_text(s: u64) -> String {
    match s {
        s if s > 0 && s % 86_400 == 0 => format!("{}d", s / 86_400),
        s if s > 0 && s % 3_600 == 0 => format!("{}h", s / 3_600),
        s if s > 0 && s % 60 == 0 => format!("{}m", s / 60),
        s => format!("{s}s"),
    }
}

fn parse_age(t: &str) -> Option<u64> {
    let (n, unit) = t.split_at_checked(t.len().checked_sub(1)?)?;
    let mult = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3_600,
        "d" => 86_400,
        _ => return None,
    };
    parse_u64(n)?.checked_mul(mult)
}

fn parse_bound(t: &str) -> Result<Option<DateBound>, ()> {
    if t.is_empty() {
        return Ok(None);
    }
    if let Some(s) = parse_age(t) {
        return Ok(Some(DateBound::Ago(s)));
    }
    WallTime::parse(t)
        .map(|w| Some(DateBound::At(w)))
        .map_err(|_| ())
}

fn parse_range(t: &str) -> Option<DateRange> {
    let (from, to) = t.split_once("..")?;
    let r = DateRange {
        from: parse_bound(from).ok()?,
        to: parse_bound(to).ok()?,
    };
    (!r.is_open()).then_some(r)
}

fn parse_sort(t: &str) -> Vec<(Column, SortDir)> {
    t.split(',')
        .filter_map(|k| {
            let (dir, slug) = match k.strip_prefix('-') {
                Some(rest) => (SortDir::Desc, rest),
                None => (SortDir::Asc, k.strip_prefix('+').unwrap_or(k)),
            };
            Column::from_slug(slug).map(|c| (c, dir))
        })
        .collect()
}

/// Plain ASCII digits only (no sign, no spaces), fitting in u64.
fn parse_u64(t: &str) -> Option<u64> {
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse().ok()
}

/// The longest prefix of at most `max` bytes ending on a char boundary.
fn cut(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

impl Serialize for ViewState {
    /// As its fragment text (saved options are strings).
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_fragment())
    }
}

impl<'de> Deserialize<'de> for ViewState {
    /// From fragment text; a value that is not a string is the default
    /// view (a saved option the app did not write).
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::String(s) => ViewState::from_fragment(&s),
            _ => ViewState::default(),
        })
    }
}

impl Serialize for Columns {
    /// As [`Columns::to_option_value`].
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_option_value())
    }
}

impl<'de> Deserialize<'de> for Columns {
    /// From [`Columns::to_option_value`] text; anything unreadable is the
    /// default columns.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::String(s) => Columns::parse_option_value(&s).unwrap_or_default(),
            _ => Columns::default(),
        })
    }
}

/// The admin's saved choices, as user options (saved with
/// `user.option.set`, read back from `USER_OPTIONS`): each value a string. Other keys are
/// ignored; a missing one is `None`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SavedOptions {
    /// The default view (opened when the URL has no fragment), saved on
    /// page 1.
    #[serde(rename = "wm_view", default, skip_serializing_if = "Option::is_none")]
    pub view: Option<ViewState>,
    /// The column choice and order (kept even when a link opens another
    /// view).
    #[serde(
        rename = "wm_columns",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub columns: Option<Columns>,
}

impl SavedOptions {
    /// The view to open: the fragment's if it says anything, else the
    /// saved default view, else the first screen. The saved columns apply
    /// unless the fragment names its own.
    pub fn initial_view(&self, fragment: &str) -> ViewState {
        let columns = self.columns.clone().unwrap_or_default();
        let bare = fragment.strip_prefix('#').unwrap_or(fragment);
        if !bare.trim().is_empty() {
            return ViewState::from_fragment_over(bare, columns);
        }
        let mut view = self.view.clone().unwrap_or_default().as_default();
        if self.columns.is_some() {
            view.set_columns(columns);
        }
        view
    }

    /// The options to save, by [`UserOption`] (their names in the portal
    /// are the serde names above, pinned by a test).
    pub fn to_user_options(&self) -> Vec<(UserOption, Value)> {
        let Ok(Value::Object(saved)) = serde_json::to_value(self) else {
            return Vec::new();
        };
        UserOption::ALL
            .into_iter()
            .filter_map(|option| Some((option, saved.get(option.name())?.clone())))
            .collect()
    }

    /// Records `view` as the default view and its columns as the column
    /// choice.
    pub fn save_default(&mut self, view: &ViewState) {
        self.view = Some(view.as_default());
        self.columns = Some(view.columns().clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::methods::instances::Field;

    #[test]
    fn the_saved_options_are_named_as_their_user_options() {
        let mut saved = SavedOptions::default();
        assert_eq!(saved.to_user_options(), []);
        let mut view = ViewState::default();
        view.sort_by(Column::Age);
        saved.save_default(&view);
        let options = saved.to_user_options();
        let names: Vec<&str> = options.iter().map(|(o, _)| o.name()).collect();
        assert_eq!(names, ["wm_view", "wm_columns"]);
        // What is saved under each name reads back as the same choice.
        let stored: serde_json::Map<String, Value> = options
            .into_iter()
            .map(|(o, v)| (o.name().to_owned(), v))
            .collect();
        let back: SavedOptions = serde_json::from_value(Value::Object(stored)).expect("back");
        assert_eq!(back, saved);
    }

    #[test]
    fn age_and_idle_travel_in_the_fragment_and_the_saved_columns() {
        let mut v = ViewState::default();
        v.sort_by(Column::Age);
        v.set_column_visible(Column::Age, true);
        v.move_column(Column::Idle, 1);
        let text = v.to_fragment();
        assert_eq!(
            text,
            "sort=-age&cols=id,!idle,started,age,by,template,!waiting,module,entity,document,\
             modified,locked"
        );
        assert_eq!(ViewState::from_fragment(&text), v);
        let cols = v.columns().to_option_value();
        assert_eq!(
            Columns::parse_option_value(&cols).as_ref(),
            Some(v.columns())
        );
    }

    #[test]
    fn columns_saved_before_age_and_idle_read_as_they_were() {
        // What the app wrote before the span columns existed.
        let old = "id,modified,started,by,template,module,!entity,document,locked";
        let Some(cols) = Columns::parse_option_value(old) else {
            panic!("an old value reads");
        };
        let slugs: Vec<String> = cols
            .entries()
            .iter()
            .map(|(c, v)| format!("{}{}", if *v { "" } else { "!" }, c.slug()))
            .collect();
        assert_eq!(
            slugs.join(","),
            "id,modified,!idle,started,!age,by,template,!waiting,module,!entity,document,locked"
        );
        let visible: Vec<&str> = cols.visible().iter().map(|c| c.slug()).collect();
        assert_eq!(
            visible,
            ["id", "modified", "started", "by", "template", "module", "document", "locked"]
        );
        // An old URL: field sort slugs and a column list without the spans.
        let v = ViewState::from_fragment("sort=-modified,template&cols=id,started,!by");
        assert_eq!(
            v.sort(),
            [
                (Column::Field(Field::Modified), SortDir::Desc),
                (Column::Field(Field::TemplateId), SortDir::Asc)
            ]
        );
        assert!(!v.columns().is_visible(Field::StartedBy));
        assert!(!v.columns().is_visible(Column::Age));
        assert_eq!(v.columns().entries().len(), Column::ALL.len());
    }

    #[test]
    fn ages_use_the_largest_exact_unit() {
        for (s, t) in [(300, "5m"), (604_800, "7d"), (3_600, "1h"), (61, "61s")] {
            assert_eq!(age_text(s), t);
            assert_eq!(parse_age(t), Some(s));
        }
        assert_eq!(parse_age("d"), None);
        assert_eq!(parse_age("99999999999999999999d"), None);
        assert_eq!(parse_age("-5m"), None);
    }
}
