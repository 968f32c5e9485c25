//! The state of the workflows table, as one value: sort, filters, page,
//! page size and columns; the transitions a click makes; and the query a
//! state asks for (its requests are `table::requests`).
//!
//! Every change of sort, filters or page size goes back to page 1 (the old
//! page number means other rows now). The URL-fragment and saved-view
//! forms are in `domain::table::fragment`.

use crate::domain::i18n::{Lang, Texts};
use crate::domain::methods::instances::{
    Field, InstancesQuery, SortDir, INSTANCES_METHOD, PAGE_SIZE,
};
use crate::domain::table::filters::{Chip, Filter, FilterKind, Filters, Preset};
use crate::domain::table::paging::{last_page, page_start, PageSize, Showing, MAX_PAGE};
use crate::domain::table::requests::PageRequest;
use crate::domain::time::TimeContext;
use crate::domain::wire::batch::{BatchCommand, BatchRequest, CommandKey};

/// A column of the table: a field as the portal sends it, or a span the
/// app works out from one (Age from `STARTED`, Idle from `MODIFIED`).
///
/// A span column is sorted on the server by its date, reversed: the
/// longer ago a workflow started, the older it is, so Age ascending is
/// `STARTED DESC` ([`Column::order_key`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    /// One of the nine fields.
    Field(Field),
    /// Time since `STARTED`.
    Age,
    /// Time since `MODIFIED`.
    Idle,
    /// What it waits for: its open tasks and their assignees
    /// (`domain::table::waiting`), asked by the row's `ID`. Not sortable:
    /// the portal knows no such order.
    Waiting,
}

impl From<Field> for Column {
    fn from(field: Field) -> Column {
        Column::Field(field)
    }
}

impl PartialEq<Field> for Column {
    fn eq(&self, other: &Field) -> bool {
        *self == Column::Field(*other)
    }
}

impl Column {
    /// Every column in its default display order: the issue's nine, with
    /// Age after Started, Idle after Modified, and Waiting for after
    /// Template.
    pub const ALL: [Column; 12] = [
        Column::Field(Field::Id),
        Column::Field(Field::Started),
        Column::Age,
        Column::Field(Field::StartedBy),
        Column::Field(Field::TemplateId),
        Column::Waiting,
        Column::Field(Field::ModuleId),
        Column::Field(Field::Entity),
        Column::Field(Field::DocumentId),
        Column::Field(Field::Modified),
        Column::Idle,
        Column::Field(Field::OwnedUntil),
    ];

    /// Whether a new view shows it: the nine fields are shown, the span
    /// columns are offered in the Columns menu (so the first screen keeps
    /// its width).
    pub fn shown_by_default(self) -> bool {
        matches!(self, Column::Field(_))
    }

    /// The field the column is read from (and sorted by, when
    /// [`Column::sortable`]): Waiting for is asked by the row's `ID`.
    pub fn field(self) -> Field {
        match self {
            Column::Field(f) => f,
            Column::Age => Field::Started,
            Column::Idle => Field::Modified,
            Column::Waiting => Field::Id,
        }
    }

    /// Whether the portal can sort by it (all but Waiting for).
    pub fn sortable(self) -> bool {
        self != Column::Waiting
    }

    /// Its name in fragments and saved options: the field's slug, `age`,
    /// `idle`. Stable, never shown.
    pub fn slug(self) -> &'static str {
        match self {
            Column::Field(f) => f.slug(),
            Column::Age => "age",
            Column::Idle => "idle",
            Column::Waiting => "waiting",
        }
    }

    /// The column for a [`Column::slug`]; `None` otherwise.
    pub fn from_slug(slug: &str) -> Option<Column> {
        Column::ALL.into_iter().find(|c| c.slug() == slug)
    }

    /// The header (and its name in the Columns menu).
    pub fn header(self, texts: &Texts) -> &'static str {
        match self {
            Column::Field(f) => f.header(texts),
            Column::Age => texts.col_age,
            Column::Idle => texts.col_idle,
            Column::Waiting => texts.col_waiting,
        }
    }

    /// The direction of a first click: a field's own
    /// ([`Field::default_dir`]); for Age and Idle the longest first.
    pub fn default_dir(self) -> SortDir {
        match self {
            Column::Field(f) => f.default_dir(),
            Column::Age | Column::Idle => SortDir::Desc,
            Column::Waiting => SortDir::Asc,
        }
    }

    /// The server's sort key for this column sorted `dir`: a field as it
    /// is; a span by its date the other way round (Age descending, the
    /// oldest first, is `STARTED ASC`).
    pub fn order_key(self, dir: SortDir) -> (Field, SortDir) {
        match self {
            Column::Field(f) => (f, dir),
            Column::Waiting => (Field::Id, dir),
            Column::Age | Column::Idle => (self.field(), dir.toggled()),
        }
    }
}

/// The table's columns: every [`Column`] once, in display order, each
/// shown or hidden. `ID` is always shown (rows are keyed and acted on by
/// it).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Columns(Vec<(Column, bool)>);

impl Default for Columns {
    /// [`Column::ALL`] in order, each [`Column::shown_by_default`].
    fn default() -> Self {
        Columns(
            Column::ALL
                .iter()
                .map(|c| (*c, c.shown_by_default()))
                .collect(),
        )
    }
}

impl Columns {
    /// From `(column, visible)` in display order: duplicates are dropped
    /// (the first wins), `ID` is made visible, and a column not named is
    /// put right after the one it follows by default, shown as by default
    /// (so a choice saved before Age and Idle existed keeps its look, and
    /// the new columns wait, hidden, beside their dates).
    pub fn from_entries<C: Into<Column>>(entries: impl IntoIterator<Item = (C, bool)>) -> Columns {
        let mut out: Vec<(Column, bool)> = Vec::with_capacity(Column::ALL.len());
        for (c, v) in entries {
            let c = c.into();
            if !out.iter().any(|(g, _)| *g == c) {
                out.push((c, v || c == Field::Id));
            }
        }
        let mut previous: Option<Column> = None;
        for c in Column::ALL {
            if !out.iter().any(|(g, _)| *g == c) {
                let at = previous
                    .and_then(|p| out.iter().position(|(g, _)| *g == p))
                    .map_or(0, |i| i + 1);
                out.insert(at, (c, c.shown_by_default()));
            }
            previous = Some(c);
        }
        Columns(out)
    }

    /// Every column and whether it is shown, in display order (for the
    /// "Columns" menu).
    pub fn entries(&self) -> &[(Column, bool)] {
        &self.0
    }

    /// The shown columns, in display order (for the table).
    pub fn visible(&self) -> Vec<Column> {
        self.0.iter().filter(|(_, v)| *v).map(|(c, _)| *c).collect()
    }

    /// Whether `column` is shown.
    pub fn is_visible(&self, column: impl Into<Column>) -> bool {
        let column = column.into();
        self.0.iter().any(|(c, v)| *c == column && *v)
    }

    /// Shows or hides a column; `ID` cannot be hidden. Whether it changed.
    pub fn set_visible(&mut self, column: impl Into<Column>, visible: bool) -> bool {
        let column = column.into();
        let visible = visible || column == Field::Id;
        match self.0.iter_mut().find(|(c, _)| *c == column) {
            Some((_, v)) if *v != visible => {
                *v = visible;
                true
            }
            _ => false,
        }
    }

    /// Moves `column` to display position `to` (0-based, clamped to the
    /// end). Whether it moved.
    pub fn move_to(&mut self, column: impl Into<Column>, to: usize) -> bool {
        let column = column.into();
        let Some(from) = self.0.iter().position(|(c, _)| *c == column) else {
            return false;
        };
        let to = to.min(self.0.len() - 1);
        if from == to {
            return false;
        }
        let entry = self.0.remove(from);
        self.0.insert(to, entry);
        true
    }
}

/// The `aria-sort` value of a header. Only the primary key gets a
/// direction: ARIA asks for `aria-sort` on one header at a time; the
/// secondary keys show their position badge instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AriaSort {
    /// `ascending`.
    Ascending,
    /// `descending`.
    Descending,
    /// `none` (the UI may also leave the attribute out).
    None,
}

impl AriaSort {
    /// The attribute value.
    pub fn as_str(self) -> &'static str {
        match self {
            AriaSort::Ascending => "ascending",
            AriaSort::Descending => "descending",
            AriaSort::None => "none",
        }
    }
}

/// Where a pagination button goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageTarget {
    /// "First page".
    First,
    /// "Previous page".
    Previous,
    /// "Next page".
    Next,
    /// "Last page".
    Last,
    /// Jump-to-page (clamped).
    Number(u64),
}

/// The whole view of the table. Fields are private so every change goes
/// through a transition that keeps the rules (page 1 after a change, `ID`
/// always shown).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ViewState {
    sort: Vec<(Column, SortDir)>,
    filters: Filters,
    page: u64,
    page_size: PageSize,
    columns: Columns,
}

impl Default for ViewState {
    /// The first screen: newest first, no filters, page 1 of 50, all
    /// columns.
    fn default() -> Self {
        ViewState {
            sort: vec![(Column::Field(Field::Started), SortDir::Desc)],
            filters: Filters::new(),
            page: 1,
            page_size: PageSize::Fifty,
            columns: Columns::default(),
        }
    }
}

impl ViewState {
    /// A view from its parts (used by the fragment codec): sort keys on a
    /// field already sorted by are dropped (Age after Started too: the
    /// server sorts a field once), an empty sort becomes the default, the
    /// page is clamped to `1..=MAX_PAGE`.
    pub fn from_parts(
        sort: Vec<(Column, SortDir)>,
        filters: Filters,
        page: u64,
        page_size: PageSize,
        columns: Columns,
    ) -> ViewState {
        let mut keys: Vec<(Column, SortDir)> = Vec::new();
        for (c, d) in sort {
            if c.sortable() && !keys.iter().any(|(g, _)| g.field() == c.field()) {
                keys.push((c, d));
            }
        }
        if keys.is_empty() {
            keys = ViewState::default().sort;
        }
        ViewState {
            sort: keys,
            filters,
            page: page.clamp(1, MAX_PAGE),
            page_size,
            columns,
        }
    }

    /// Sort keys, most significant first, as the admin chose them: by
    /// column, in the column's own direction (the server's keys are
    /// [`Column::order_key`]; the `ID` tie-breaker is added to the request,
    /// not here).
    pub fn sort(&self) -> &[(Column, SortDir)] {
        &self.sort
    }

    /// The active filters.
    pub fn filters(&self) -> &Filters {
        &self.filters
    }

    /// The page, from 1.
    pub fn page(&self) -> u64 {
        self.page
    }

    /// Rows per page.
    pub fn page_size(&self) -> PageSize {
        self.page_size
    }

    /// The columns.
    pub fn columns(&self) -> &Columns {
        &self.columns
    }

    // ------------------------------------------------------------ sort --

    /// A plain click on a header: sort by `column` alone. If it was
    /// already a sort key its direction flips; otherwise it starts in
    /// [`Column::default_dir`] (dates newest first, spans longest first).
    pub fn sort_by(&mut self, column: impl Into<Column>) {
        let column = column.into();
        if !column.sortable() {
            return;
        }
        let dir = self
            .sort_position(column)
            .map_or(column.default_dir(), |(_, d)| d.toggled());
        self.set_sort(vec![(column, dir)]);
    }

    /// A Shift+click: flips `column` where it is; takes the place of the
    /// key on the same field (Age where Started was: the server sorts a
    /// field once) in [`Column::default_dir`]; else appends it.
    pub fn then_sort_by(&mut self, column: impl Into<Column>) {
        let column = column.into();
        if !column.sortable() {
            return;
        }
        let mut sort = self.sort.clone();
        match sort.iter_mut().find(|(c, _)| c.field() == column.field()) {
            Some((c, d)) if *c == column => *d = d.toggled(),
            Some(key) => *key = (column, column.default_dir()),
            None => sort.push((column, column.default_dir())),
        }
        self.set_sort(sort);
    }

    /// A header click: Shift adds a key, a plain click replaces the sort.
    pub fn click_header(&mut self, column: impl Into<Column>, shift: bool) {
        if shift {
            self.then_sort_by(column);
        } else {
            self.sort_by(column);
        }
    }

    fn set_sort(&mut self, sort: Vec<(Column, SortDir)>) {
        if sort != self.sort {
            self.sort = sort;
            self.page = 1;
        }
    }

    /// `column`'s position among the sort keys (1 = primary) and its
    /// direction (the column's own: Age descending is oldest first), for
    /// the header badge; `None` when it is not a key.
    pub fn sort_position(&self, column: impl Into<Column>) -> Option<(usize, SortDir)> {
        let column = column.into();
        self.sort
            .iter()
            .position(|(c, _)| *c == column)
            .map(|i| (i + 1, self.sort[i].1))
    }

    /// The header's `aria-sort`: a direction on the primary key only, in
    /// the column's own terms (the Age header says "descending" while the
    /// server sorts `STARTED ASC`), so one header at a time carries it.
    pub fn aria_sort(&self, column: impl Into<Column>) -> AriaSort {
        match self.sort_position(column) {
            Some((1, SortDir::Asc)) => AriaSort::Ascending,
            Some((1, SortDir::Desc)) => AriaSort::Descending,
            _ => AriaSort::None,
        }
    }

    // --------------------------------------------------------- filters --

    /// Sets a filter in its slot (replacing that kind's previous one);
    /// page 1 if anything changed.
    pub fn set_filter(&mut self, filter: Filter) {
        if self.filters.set(filter) {
            self.page = 1;
        }
    }

    /// Removes a filter (a chip's ×); page 1 if there was one.
    pub fn remove_filter(&mut self, kind: FilterKind) {
        if self.filters.remove(kind) {
            self.page = 1;
        }
    }

    /// "Clear all"; page 1 if there were filters.
    pub fn clear_filters(&mut self) {
        if self.filters.clear() {
            self.page = 1;
        }
    }

    /// A preset button: sets its ordinary filter.
    pub fn apply_preset(&mut self, preset: Preset) {
        self.set_filter(preset.filter());
    }

    /// The chips (see `Filters::chips`).
    pub fn chips(&self, names: &dyn Fn(&Filter) -> Option<String>, lang: Lang) -> Vec<Chip> {
        self.filters.chips(names, lang)
    }

    // ----------------------------------------------------------- paging --

    /// Changes the page size; page 1 if it changed.
    pub fn set_page_size(&mut self, size: PageSize) {
        if size != self.page_size {
            self.page_size = size;
            self.page = 1;
        }
    }

    /// Goes to a page, clamped to `1..=last` for `total` rows.
    pub fn go_to(&mut self, target: PageTarget, total: u64) {
        let last = last_page(total, self.page_size);
        self.page = match target {
            PageTarget::First => 1,
            PageTarget::Previous => self.page.saturating_sub(1),
            PageTarget::Next => self.page.saturating_add(1),
            PageTarget::Last => last,
            PageTarget::Number(n) => n,
        }
        .clamp(1, last);
    }

    /// After an answer: if the list shrank below this page, go to the new
    /// last page.
    pub fn clamp_page(&mut self, total: u64) {
        self.page = self.page.min(last_page(total, self.page_size));
    }

    /// Whether there is a page after this one.
    pub fn has_next(&self, total: u64) -> bool {
        self.page < last_page(total, self.page_size)
    }

    /// The offset of this page's first row.
    pub fn start(&self) -> u64 {
        page_start(self.page, self.page_size)
    }

    /// "Showing 51–100 of 2,345" for this page holding `rows` rows.
    pub fn showing(&self, rows: usize, total: u64) -> Showing {
        Showing::new(self.start(), rows as u64, total)
    }

    /// Whether `other` lists the same rows in the same order (only page,
    /// page size or columns differ): then a different total means the list
    /// changed under the admin (`TotalChange::detect`).
    pub fn same_list(&self, other: &ViewState) -> bool {
        self.sort == other.sort && self.filters == other.filters
    }

    // ---------------------------------------------------------- columns --

    /// Shows or hides a column (`ID` stays). The page stays: the rows are
    /// the same, only the SELECT changes.
    pub fn set_column_visible(&mut self, column: impl Into<Column>, visible: bool) {
        self.columns.set_visible(column, visible);
    }

    /// Moves a column to display position `to` (0-based).
    pub fn move_column(&mut self, column: impl Into<Column>, to: usize) {
        self.columns.move_to(column, to);
    }

    /// Replaces the columns (a saved choice).
    pub fn set_columns(&mut self, columns: Columns) {
        self.columns = columns;
    }

    /// The view to save as the admin's default: this one on page 1.
    pub fn as_default(&self) -> ViewState {
        ViewState {
            page: 1,
            ..self.clone()
        }
    }

    // --------------------------------------------------------- requests --

    /// The fields to request: `ID`, what the shown columns are read from
    /// (Age needs `STARTED`, Idle `MODIFIED`; Document also `MODULE_ID`
    /// and `ENTITY`, its kind, which names and links the document with
    /// those columns hidden too), and what the active filters need to be
    /// checked ([`crate::domain::table::filters::violations`]). A list element's link
    /// also needs its template, so it shows only with the Template column:
    /// a hidden column is otherwise never asked for.
    pub fn select(&self) -> Vec<Field> {
        let mut wanted: Vec<Field> = self
            .columns
            .visible()
            .into_iter()
            .map(Column::field)
            .collect();
        wanted.push(Field::Id);
        if wanted.contains(&Field::DocumentId) {
            wanted.extend([Field::ModuleId, Field::Entity]);
        }
        wanted.extend(self.filters.needed_fields());
        Field::ALL
            .into_iter()
            .filter(|f| wanted.contains(f))
            .collect()
    }

    /// The 50-row query at offset `start`.
    pub fn query_at(&self, start: u64, ctx: TimeContext) -> InstancesQuery {
        InstancesQuery {
            order: self.sort.iter().map(|(c, d)| c.order_key(*d)).collect(),
            start,
            select: self.select(),
            filter: self.filters.conditions(ctx),
        }
    }

    /// The request for this page. `total` is the last known total of the
    /// same list, if any: batch commands past it are left out (at least
    /// one is always sent).
    pub fn request(&self, ctx: TimeContext, total: Option<u64>) -> PageRequest {
        self.request_for(self.page, ctx, total)
    }

    /// The request for the next page, to prefetch; `None` on the last page.
    /// Built with the same `ctx` as [`ViewState::request`], it is equal to
    /// the request made when the admin goes there.
    pub fn prefetch_next(&self, ctx: TimeContext, total: u64) -> Option<PageRequest> {
        self.has_next(total)
            .then(|| self.request_for(self.page + 1, ctx, Some(total)))
    }

    fn request_for(&self, page: u64, ctx: TimeContext, total: Option<u64>) -> PageRequest {
        let start = page_start(page, self.page_size);
        if self.page_size == PageSize::Fifty {
            return PageRequest::Single {
                query: self.query_at(start, ctx),
            };
        }
        let starts: Vec<u64> = (0..self.page_size.calls())
            .map(|i| start + i * PAGE_SIZE)
            .enumerate()
            .filter(|(i, s)| *i == 0 || total.is_none_or(|t| *s < t))
            .map(|(_, s)| s)
            .collect();
        let mut parts = Vec::with_capacity(starts.len());
        let mut commands = Vec::with_capacity(starts.len());
        for s in starts {
            let key = format!("s{s}");
            let Ok(command_key) = CommandKey::new(key.clone()) else {
                continue;
            };
            commands.push(BatchCommand {
                key: command_key,
                method: INSTANCES_METHOD.to_owned(),
                params: self.query_at(s, ctx).to_params(),
            });
            parts.push((key, s));
        }
        match BatchRequest::new(true, commands) {
            Ok(request) => PageRequest::Batch { request, parts },
            // Unreachable: 1..=10 commands with distinct valid keys and
            // encodable params. Falling back to one page keeps the screen
            // working rather than failing the admin for our own bug.
            Err(_) => PageRequest::Single {
                query: self.query_at(start, ctx),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::methods::instances::WorkflowPage;
    use crate::domain::table::requests::{Prefetched, PREFETCH_MAX_AGE_SECS};

    #[test]
    fn id_cannot_be_hidden() {
        let mut c = Columns::default();
        assert!(!c.set_visible(Field::Id, false));
        assert!(c.is_visible(Field::Id));
        let c = Columns::from_entries([(Field::Id, false), (Field::Started, false)]);
        assert!(c.is_visible(Field::Id));
        assert!(!c.is_visible(Field::Started));
        assert_eq!(c.entries().len(), Column::ALL.len());
    }

    fn prefetched(request: PageRequest, fetched_at: i64) -> Prefetched {
        Prefetched {
            request,
            page: WorkflowPage {
                rows: Vec::new(),
                total: 120,
                next: Some(100),
                dropped: 0,
            },
            fetched_at,
        }
    }

    #[test]
    fn a_prefetched_page_answers_only_its_own_request_while_fresh() {
        let view = ViewState::default();
        let time = TimeContext {
            now: 1_700_000_000,
            offset_minutes: 0,
        };
        let Some(next) = view.prefetch_next(time, 120) else {
            panic!("page 2 of 120 rows is prefetched");
        };
        let now = 1_700_000_000;
        let hit = prefetched(next.clone(), now - PREFETCH_MAX_AGE_SECS).answer(&next, now);
        assert_eq!(hit.map(|p| p.total), Some(120));
        assert_eq!(
            prefetched(next.clone(), now - PREFETCH_MAX_AGE_SECS - 1).answer(&next, now),
            None,
            "too old"
        );
        assert_eq!(
            prefetched(next.clone(), now + 5).answer(&next, now),
            None,
            "from the future: the clock moved back"
        );
        let first = view.request(time, Some(120));
        assert_eq!(prefetched(next, now).answer(&first, now), None);
    }

    const CTX: TimeContext = TimeContext {
        now: 1_735_689_600,
        offset_minutes: 180,
    };

    fn order_of(view: &ViewState) -> String {
        view.query_at(0, CTX).to_params()["order"].to_string()
    }

    #[test]
    fn age_and_idle_sort_on_their_dates_the_other_way_round() {
        let mut v = ViewState::default();
        v.sort_by(Column::Age);
        // The first click on Age: oldest first.
        assert_eq!(order_of(&v), r#"{"STARTED":"ASC","ID":"ASC"}"#);
        assert_eq!(v.aria_sort(Column::Age), AriaSort::Descending);
        assert_eq!(v.aria_sort(Field::Started), AriaSort::None);
        v.sort_by(Column::Age);
        assert_eq!(order_of(&v), r#"{"STARTED":"DESC","ID":"DESC"}"#);
        assert_eq!(v.aria_sort(Column::Age), AriaSort::Ascending);
        v.sort_by(Column::Idle);
        assert_eq!(order_of(&v), r#"{"MODIFIED":"ASC","ID":"ASC"}"#);
        assert_eq!(v.aria_sort(Column::Idle), AriaSort::Descending);
        assert_eq!(v.aria_sort(Field::Modified), AriaSort::None);
        assert_eq!(v.page(), 1);
    }

    #[test]
    fn the_first_screens_started_sort_is_not_an_age_sort() {
        let v = ViewState::default();
        assert_eq!(v.aria_sort(Field::Started), AriaSort::Descending);
        assert_eq!(v.aria_sort(Column::Age), AriaSort::None);
        assert_eq!(v.sort_position(Column::Age), None);
    }

    #[test]
    fn shift_click_on_a_span_takes_the_place_of_its_dates_key() {
        let mut v = ViewState::default();
        v.sort_by(Field::TemplateId);
        v.then_sort_by(Field::Started);
        v.then_sort_by(Column::Age);
        assert_eq!(
            order_of(&v),
            r#"{"TEMPLATE_ID":"ASC","STARTED":"ASC","ID":"ASC"}"#
        );
        assert_eq!(v.sort_position(Column::Age), Some((2, SortDir::Desc)));
        assert_eq!(v.sort_position(Field::Started), None);
        v.then_sort_by(Column::Age);
        assert_eq!(
            order_of(&v),
            r#"{"TEMPLATE_ID":"ASC","STARTED":"DESC","ID":"ASC"}"#
        );
        v.then_sort_by(Column::Idle);
        assert_eq!(
            order_of(&v),
            r#"{"TEMPLATE_ID":"ASC","STARTED":"DESC","MODIFIED":"ASC","ID":"ASC"}"#
        );
    }

    #[test]
    fn two_keys_on_one_field_keep_the_first() {
        let v = ViewState::from_parts(
            vec![
                (Column::Age, SortDir::Asc),
                (Column::Field(Field::Started), SortDir::Asc),
                (Column::Idle, SortDir::Desc),
            ],
            Filters::new(),
            1,
            PageSize::Fifty,
            Columns::default(),
        );
        assert_eq!(
            order_of(&v),
            r#"{"STARTED":"DESC","MODIFIED":"ASC","ID":"DESC"}"#
        );
    }

    #[test]
    fn span_columns_are_offered_hidden_beside_their_dates() {
        let c = Columns::default();
        let slugs: Vec<&str> = c.entries().iter().map(|(c, _)| c.slug()).collect();
        assert_eq!(
            slugs,
            [
                "id", "started", "age", "by", "template", "waiting", "module", "entity",
                "document", "modified", "idle", "locked"
            ]
        );
        assert!(!c.is_visible(Column::Age) && !c.is_visible(Column::Idle));
        assert!(!c.is_visible(Column::Waiting));
        assert_eq!(c.visible().len(), 9);
    }

    #[test]
    fn waiting_for_is_never_a_sort_key_and_asks_only_the_id() {
        let mut v = ViewState::default();
        let before = v.sort().to_vec();
        v.click_header(Column::Waiting, false);
        v.click_header(Column::Waiting, true);
        assert_eq!(v.sort(), before);
        let parts = ViewState::from_parts(
            vec![
                (Column::Waiting, SortDir::Asc),
                (Column::Age, SortDir::Desc),
            ],
            Filters::new(),
            1,
            PageSize::Fifty,
            Columns::default(),
        );
        assert_eq!(parts.sort(), [(Column::Age, SortDir::Desc)]);
        for c in Column::ALL {
            v.set_column_visible(c, c == Field::Id);
        }
        v.set_column_visible(Column::Waiting, true);
        assert_eq!(v.select(), [Field::Id]);
        assert_eq!(Column::from_slug("waiting"), Some(Column::Waiting));
    }

    #[test]
    fn select_asks_for_the_date_a_shown_span_is_read_from() {
        let mut v = ViewState::default();
        for c in Column::ALL {
            v.set_column_visible(c, c == Field::Id);
        }
        assert_eq!(v.select(), [Field::Id]);
        v.set_column_visible(Column::Age, true);
        assert_eq!(v.select(), [Field::Id, Field::Started]);
        v.set_column_visible(Column::Age, false);
        v.set_column_visible(Column::Idle, true);
        assert_eq!(v.select(), [Field::Id, Field::Modified]);
        v.set_column_visible(Field::Modified, true);
        assert_eq!(v.select(), [Field::Id, Field::Modified], "once");
    }

    #[test]
    fn moving_a_column_past_the_end_puts_it_last() {
        let mut c = Columns::default();
        assert!(c.move_to(Field::Id, 99));
        assert_eq!(c.entries().last(), Some(&(Column::Field(Field::Id), true)));
        assert!(!c.move_to(Field::Id, Column::ALL.len() - 1));
    }
}
