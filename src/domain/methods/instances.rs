//! Running workflows as `bizproc.workflow.instances` lists them (fact sheet
//! §1.2–§1.4, §2.1): the query the app sends and the page it reads back.
//!
//! The portal is loose: every value may come as a string, rows carry only
//! some fields, `OWNED_UNTIL` may be `null`, dates carry the server's
//! offset. Parsing keeps every row it can identify and every value it can
//! read; a value it cannot read is kept as text in [`WorkflowRow::unparsed`].

use std::fmt;

use serde_json::{json, Map, Value};

use crate::domain::i18n::Texts;
use crate::domain::time::instant::Timestamp;
use crate::domain::wire::errors::{json_type, loose_u64, scalar_text, ParseError, RawResponse};

/// The REST method this module talks to.
pub const INSTANCES_METHOD: &str = "bizproc.workflow.instances";

/// Rows per page; fixed by the server (`IRestService::LIST_LIMIT`, §1.2).
pub const PAGE_SIZE: u64 = 50;

/// A workflow's id: the string from PHP `uniqid("", true)`
/// (`66e412fdc9bd44.36306599`), not a number. Kept exactly as given.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct WorkflowId(String);

impl WorkflowId {
    /// Wraps an id as the portal sent it.
    pub fn new(id: impl Into<String>) -> Self {
        WorkflowId(id.into())
    }

    /// The id, for REST parameters and display.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for WorkflowId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A portal user's id. `0` in `STARTED_BY` means the system or an
/// automation rule started the workflow (§1.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UserId(pub u64);

impl UserId {
    /// Whether this is the "nobody / the system" id `0`.
    pub fn is_system(self) -> bool {
        self.0 == 0
    }
}

/// A workflow template's id (`TEMPLATE_ID`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TemplateId(pub u64);

/// The fields `bizproc.workflow.instances` can select, sort and filter by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// `ID`: the workflow id.
    Id,
    /// `MODIFIED`: last change.
    Modified,
    /// `OWNED_UNTIL`: lock time; stuck when more than 5 minutes past.
    OwnedUntil,
    /// `MODULE_ID`: the document's module (`crm`, `disk`, `lists`).
    ModuleId,
    /// `ENTITY`: the document's class.
    Entity,
    /// `DOCUMENT_ID`: the document (`DEAL_1633`).
    DocumentId,
    /// `STARTED`: when the workflow started.
    Started,
    /// `STARTED_BY`: who started it (`0`: the system).
    StartedBy,
    /// `TEMPLATE_ID`: the workflow template.
    TemplateId,
}

impl Field {
    /// All nine, in the documentation's order (the order the app selects).
    pub const ALL: [Field; 9] = [
        Field::Id,
        Field::Modified,
        Field::OwnedUntil,
        Field::ModuleId,
        Field::Entity,
        Field::DocumentId,
        Field::Started,
        Field::StartedBy,
        Field::TemplateId,
    ];

    /// The wire name, upper case as the server's field map spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Id => "ID",
            Field::Modified => "MODIFIED",
            Field::OwnedUntil => "OWNED_UNTIL",
            Field::ModuleId => "MODULE_ID",
            Field::Entity => "ENTITY",
            Field::DocumentId => "DOCUMENT_ID",
            Field::Started => "STARTED",
            Field::StartedBy => "STARTED_BY",
            Field::TemplateId => "TEMPLATE_ID",
        }
    }

    /// The field for a wire name (exact, upper case); `None` otherwise.
    pub fn from_wire(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.as_str() == name)
    }

    /// The table's columns in their default order (the issue's order).
    pub const COLUMNS: [Field; 9] = [
        Field::Id,
        Field::Started,
        Field::StartedBy,
        Field::TemplateId,
        Field::ModuleId,
        Field::Entity,
        Field::DocumentId,
        Field::Modified,
        Field::OwnedUntil,
    ];

    /// The column header (also names the field's filter input).
    pub fn header(self, t: &Texts) -> &'static str {
        match self {
            Field::Id => t.field_id,
            Field::Started => t.field_started,
            Field::StartedBy => t.field_started_by,
            Field::TemplateId => t.field_template,
            Field::ModuleId => t.field_module,
            Field::Entity => t.field_entity,
            Field::DocumentId => t.field_document,
            Field::Modified => t.field_modified,
            Field::OwnedUntil => t.field_locked_until,
        }
    }

    /// A short lower-case name for URL fragments and saved views
    /// (`started`, `by`, `locked`); stable, never shown.
    pub fn slug(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Started => "started",
            Field::StartedBy => "by",
            Field::TemplateId => "template",
            Field::ModuleId => "module",
            Field::Entity => "entity",
            Field::DocumentId => "document",
            Field::Modified => "modified",
            Field::OwnedUntil => "locked",
        }
    }

    /// The field for a [`Field::slug`]; `None` otherwise.
    pub fn from_slug(slug: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.slug() == slug)
    }

    /// The direction of the first click on this field's header: newest
    /// first for dates and for `ID` (a uniqid grows with time, §1.4),
    /// A→Z / smallest first for everything else.
    pub fn default_dir(self) -> SortDir {
        match self {
            Field::Started | Field::Modified | Field::OwnedUntil | Field::Id => SortDir::Desc,
            Field::ModuleId
            | Field::Entity
            | Field::DocumentId
            | Field::StartedBy
            | Field::TemplateId => SortDir::Asc,
        }
    }
}

/// A sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortDir {
    /// Ascending.
    Asc,
    /// Descending.
    Desc,
}

impl SortDir {
    /// The wire value. The server upper-cases it and reads anything but
    /// `DESC` as `ASC` (§1.2), so the app sends exactly these two.
    pub fn as_str(self) -> &'static str {
        match self {
            SortDir::Asc => "ASC",
            SortDir::Desc => "DESC",
        }
    }

    /// The other direction.
    pub fn toggled(self) -> SortDir {
        match self {
            SortDir::Asc => SortDir::Desc,
            SortDir::Desc => SortDir::Asc,
        }
    }
}

/// A FILTER operator the server honours (§1.3: `''`, `'!'`, `'<'`, `'<='`,
/// `'>'`, `'>='`). `=` and `!=` are deliberately absent: servers that do
/// not know them drop the condition silently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FilterOp {
    /// Equal (no prefix).
    Eq,
    /// Not equal (`!`).
    Not,
    /// Less than (`<`).
    Lt,
    /// Less than or equal (`<=`).
    Le,
    /// Greater than (`>`).
    Gt,
    /// Greater than or equal (`>=`).
    Ge,
}

impl FilterOp {
    /// The key prefix.
    pub fn as_str(self) -> &'static str {
        match self {
            FilterOp::Eq => "",
            FilterOp::Not => "!",
            FilterOp::Lt => "<",
            FilterOp::Le => "<=",
            FilterOp::Gt => ">",
            FilterOp::Ge => ">=",
        }
    }
}

/// A FILTER value: text (ids, dates, names) or a number (template and
/// user ids, sent as JSON numbers as the docs' examples do).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FilterValue {
    /// A string.
    Text(String),
    /// A non-negative integer.
    Number(u64),
}

impl FilterValue {
    fn to_json(&self) -> Value {
        match self {
            FilterValue::Text(s) => json!(s),
            FilterValue::Number(n) => json!(n),
        }
    }

    /// Which of two bounds is stricter for `op`; `None` when they cannot
    /// be compared (different kinds).
    fn stricter(op: FilterOp, a: &FilterValue, b: &FilterValue) -> Option<bool> {
        let a_less = match (a, b) {
            (FilterValue::Text(x), FilterValue::Text(y)) => x < y,
            (FilterValue::Number(x), FilterValue::Number(y)) => x < y,
            _ => return None,
        };
        match op {
            FilterOp::Lt | FilterOp::Le => Some(a_less),
            FilterOp::Gt | FilterOp::Ge => Some(!a_less),
            FilterOp::Eq | FilterOp::Not => None,
        }
    }
}

/// One FILTER entry: `{"<op><FIELD>": value}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Condition {
    /// The operator.
    pub op: FilterOp,
    /// The field (sent upper case).
    pub field: Field,
    /// The value.
    pub value: FilterValue,
}

impl Condition {
    /// A condition.
    pub fn new(op: FilterOp, field: Field, value: FilterValue) -> Condition {
        Condition { op, field, value }
    }

    /// The FILTER key, e.g. `>=ID`, `!TEMPLATE_ID`, `MODULE_ID`.
    pub fn key(&self) -> String {
        format!("{}{}", self.op.as_str(), self.field.as_str())
    }
}

/// One page (50 rows) of the running-workflows list, as a query.
///
/// Build it by hand for a fixed screen, or from a view with
/// `ViewState::query_at` (`domain::table::view`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstancesQuery {
    /// Sort keys, most significant first. `ID` is appended as the final
    /// tie-breaker when absent, so offset paging is stable (§2.1).
    pub order: Vec<(Field, SortDir)>,
    /// Offset of the page's first row: `(page - 1) * 50`. Unsigned, so the
    /// app can never send `start=-1` (§2.2: an SQL error on this method).
    pub start: u64,
    /// Fields to return. Sent in [`Field::ALL`] order, without duplicates,
    /// and always with `ID` (rows are keyed by it; and an empty SELECT
    /// would make the server pick its own default, §1.2).
    pub select: Vec<Field>,
    /// FILTER conditions, all of which must hold. Two with the same key
    /// cannot share one JSON object: see [`InstancesQuery::effective_filter`].
    pub filter: Vec<Condition>,
}

impl Default for InstancesQuery {
    /// The first screen: newest first (`STARTED DESC, ID DESC`), page 1,
    /// all nine fields, no filter.
    fn default() -> Self {
        InstancesQuery {
            order: vec![(Field::Started, SortDir::Desc), (Field::Id, SortDir::Desc)],
            start: 0,
            select: Field::ALL.to_vec(),
            filter: Vec::new(),
        }
    }
}

impl InstancesQuery {
    /// The sort keys as sent: duplicates dropped (the first wins; a JSON
    /// object cannot hold a key twice), then `ID` appended if absent, in
    /// the direction of the first key (`DESC` when there is none).
    pub fn effective_order(&self) -> Vec<(Field, SortDir)> {
        let mut out: Vec<(Field, SortDir)> = Vec::with_capacity(self.order.len() + 1);
        for &(field, dir) in &self.order {
            if !out.iter().any(|(f, _)| *f == field) {
                out.push((field, dir));
            }
        }
        if !out.iter().any(|(f, _)| *f == Field::Id) {
            let dir = out.first().map_or(SortDir::Desc, |(_, d)| *d);
            out.push((Field::Id, dir));
        }
        out
    }

    /// The fields as sent: `ID` plus [`InstancesQuery::select`], in
    /// [`Field::ALL`] order (so reordering columns does not change the
    /// request).
    pub fn effective_select(&self) -> Vec<Field> {
        Field::ALL
            .into_iter()
            .filter(|f| *f == Field::Id || self.select.contains(f))
            .collect()
    }

    /// The conditions as sent, one per FILTER key (a JSON object cannot
    /// hold a key twice, and the later of two would silently replace the
    /// earlier one). For the same key, in the position of the first:
    /// - bounds (`<`, `<=`, `>`, `>=`) keep the stricter value: both must
    ///   hold, and the stricter implies the other. Text compares
    ///   byte-wise, which is the server's order for the app's bounds
    ///   (8 lower-case hex digits of an `ID`; ISO dates written in one
    ///   offset);
    /// - `=` and `!` keep the first: the app's filters never produce two
    ///   of these on one key (one slot per filter kind), so this only
    ///   guards hand-built queries.
    ///
    /// `ID` and `>=ID` are different keys and are both sent.
    pub fn effective_filter(&self) -> Vec<Condition> {
        let mut out: Vec<Condition> = Vec::with_capacity(self.filter.len());
        for c in &self.filter {
            let key = c.key();
            match out.iter_mut().find(|o| o.key() == key) {
                None => out.push(c.clone()),
                Some(kept) => {
                    if FilterValue::stricter(c.op, &c.value, &kept.value) == Some(true) {
                        kept.value = c.value.clone();
                    }
                }
            }
        }
        out
    }

    /// The parameters of `bizproc.workflow.instances`:
    /// `{"select":[..],"order":{..},"filter":{..},"start":N}`.
    /// Keys are upper case, in this order, and `order` keeps its key order
    /// (the server applies sort keys in the order given).
    pub fn to_params(&self) -> Value {
        let select: Vec<Value> = self
            .effective_select()
            .iter()
            .map(|f| json!(f.as_str()))
            .collect();
        let mut order = Map::new();
        for (field, dir) in self.effective_order() {
            order.insert(field.as_str().to_owned(), json!(dir.as_str()));
        }
        let mut filter = Map::new();
        for c in self.effective_filter() {
            filter.insert(c.key(), c.value.to_json());
        }
        let mut params = Map::new();
        params.insert("select".into(), Value::Array(select));
        params.insert("order".into(), Value::Object(order));
        params.insert("filter".into(), Value::Object(filter));
        params.insert("start".into(), json!(self.start));
        Value::Object(params)
    }

    /// The same query at another offset.
    pub fn at(&self, start: u64) -> InstancesQuery {
        InstancesQuery {
            start,
            ..self.clone()
        }
    }
}

/// One running workflow. Only the id is certain; every other field may be
/// missing from the answer (only selected fields come back, and even those
/// not always, §1.4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkflowRow {
    /// `ID`, as sent.
    pub id: WorkflowId,
    /// Last change (`MODIFIED`).
    pub modified: Option<Timestamp>,
    /// Lock time (`OWNED_UNTIL`); `None` when unlocked (`null`).
    pub owned_until: Option<Timestamp>,
    /// `crm`, `disk`, `lists`, ...
    pub module_id: Option<String>,
    /// The document class, e.g. `CCrmDocumentDeal`.
    pub entity: Option<String>,
    /// e.g. `DEAL_1633`.
    pub document_id: Option<String>,
    /// Start time (`STARTED`).
    pub started: Option<Timestamp>,
    /// Who started it (`STARTED_BY`).
    pub started_by: Option<UserId>,
    /// The template (`TEMPLATE_ID`).
    pub template_id: Option<TemplateId>,
    /// Values that were present but could not be read, as text, so the UI
    /// can still show them (`STARTED: "yesterday"`). Their typed field is
    /// `None`.
    pub unparsed: Vec<(Field, String)>,
}

impl WorkflowRow {
    /// The text of a value that could not be read, if `field` had one.
    pub fn unparsed(&self, field: Field) -> Option<&str> {
        self.unparsed
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, raw)| raw.as_str())
    }

    /// A date field for display: the instant as the portal wrote it (ISO
    /// 8601 with the portal's offset), else the text that could not be
    /// read, else `""`. Friendlier formats come with the UI's locale.
    pub fn date_text(&self, field: Field) -> String {
        let value = match field {
            Field::Modified => self.modified,
            Field::OwnedUntil => self.owned_until,
            Field::Started => self.started,
            _ => None,
        };
        match value {
            Some(t) => t.to_iso8601(),
            None => self.unparsed(field).unwrap_or_default().to_owned(),
        }
    }

    /// The value of `field` as the portal wrote it (a date as ISO 8601
    /// with its offset); `None` when absent.
    pub fn field_text(&self, field: Field) -> Option<String> {
        let typed = match field {
            Field::Id => Some(self.id.as_str().to_owned()),
            Field::Modified | Field::OwnedUntil | Field::Started => {
                Some(self.date_text(field)).filter(|t| !t.is_empty())
            }
            Field::ModuleId => self.module_id.clone(),
            Field::Entity => self.entity.clone(),
            Field::DocumentId => self.document_id.clone(),
            Field::StartedBy => self.started_by.map(|u| u.0.to_string()),
            Field::TemplateId => self.template_id.map(|t| t.0.to_string()),
        };
        typed.or_else(|| self.unparsed(field).map(str::to_owned))
    }

    /// [`WorkflowRow::date_text`] of `STARTED`.
    pub fn started_text(&self) -> String {
        self.date_text(Field::Started)
    }

    /// [`WorkflowRow::date_text`] of `MODIFIED`.
    pub fn modified_text(&self) -> String {
        self.date_text(Field::Modified)
    }

    /// [`WorkflowRow::date_text`] of `OWNED_UNTIL` (`""` when unlocked).
    pub fn owned_until_text(&self) -> String {
        self.date_text(Field::OwnedUntil)
    }

    /// Reads one row; `None` when it has no usable `ID` (not an object, no
    /// `ID`, or an empty or non-scalar one).
    pub fn from_value(v: &Value) -> Option<WorkflowRow> {
        let obj = v.as_object()?;
        let id = obj
            .get(Field::Id.as_str())
            .and_then(|v| match v {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .filter(|s| !s.is_empty())?;
        let mut unparsed = Vec::new();
        let mut date = |field: Field| read_date(obj.get(field.as_str()), field, &mut unparsed);
        let modified = date(Field::Modified);
        let owned_until = date(Field::OwnedUntil);
        let started = date(Field::Started);
        let mut number = |field: Field| read_id(obj.get(field.as_str()), field, &mut unparsed);
        let started_by = number(Field::StartedBy).map(UserId);
        let template_id = number(Field::TemplateId).map(TemplateId);
        let mut text = |field: Field| read_text(obj.get(field.as_str()), field, &mut unparsed);
        let module_id = text(Field::ModuleId);
        let entity = text(Field::Entity);
        let document_id = text(Field::DocumentId);
        Some(WorkflowRow {
            id: WorkflowId(id),
            modified,
            owned_until,
            module_id,
            entity,
            document_id,
            started,
            started_by,
            template_id,
            unparsed,
        })
    }
}

/// Text of a value that is not a scalar (a list or an object), as JSON.
fn raw_text(v: &Value) -> String {
    scalar_text(v).unwrap_or_else(|| v.to_string())
}

/// A date: `null`, missing or `""` is `None`; unreadable text is kept.
fn read_date(
    v: Option<&Value>,
    field: Field,
    unparsed: &mut Vec<(Field, String)>,
) -> Option<Timestamp> {
    match v? {
        Value::Null => None,
        Value::String(s) if s.trim().is_empty() => None,
        Value::String(s) => match Timestamp::parse(s) {
            Ok(t) => Some(t),
            Err(_) => {
                unparsed.push((field, s.clone()));
                None
            }
        },
        // A bare number has no offset: which instant it names is unknown.
        other => {
            unparsed.push((field, raw_text(other)));
            None
        }
    }
}

/// A numeric id sent as a number or a string of digits.
fn read_id(v: Option<&Value>, field: Field, unparsed: &mut Vec<(Field, String)>) -> Option<u64> {
    let v = v?;
    match v {
        Value::Null => None,
        Value::String(s) if s.trim().is_empty() => None,
        other => match loose_u64(other) {
            Some(n) => Some(n),
            None => {
                unparsed.push((field, raw_text(other)));
                None
            }
        },
    }
}

/// Text kept verbatim (numbers become their decimal text).
fn read_text(
    v: Option<&Value>,
    field: Field,
    unparsed: &mut Vec<(Field, String)>,
) -> Option<String> {
    match v? {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        other => {
            unparsed.push((field, raw_text(other)));
            None
        }
    }
}

/// One page of running workflows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkflowPage {
    /// The rows, in the portal's order.
    pub rows: Vec<WorkflowRow>,
    /// How many workflows match in all. When the portal leaves it out
    /// (never seen: the server always counts, §1.4) it is the lower bound
    /// the page proves: `next`, else the number of rows.
    pub total: u64,
    /// The `start` of the next page; `None` on the last one.
    pub next: Option<u64>,
    /// Rows left out because they had no usable `ID` (without one a row can
    /// be neither keyed nor acted on).
    pub dropped: usize,
}

impl WorkflowPage {
    /// Reads the parts of a successful answer (also a batch sub-result).
    /// `result` must be a list; an object of rows (PHP arrays with gaps in
    /// their keys) and `[]`-for-empty are accepted too.
    pub fn from_raw(raw: &RawResponse) -> Result<WorkflowPage, ParseError> {
        let items: Vec<&Value> = match &raw.result {
            Value::Array(rows) => rows.iter().collect(),
            Value::Object(rows) => rows.values().collect(),
            other => {
                return Err(ParseError::UnexpectedResult {
                    expected: "a list of workflows",
                    found: json_type(other),
                })
            }
        };
        let rows: Vec<WorkflowRow> = items
            .iter()
            .filter_map(|v| WorkflowRow::from_value(v))
            .collect();
        let dropped = items.len() - rows.len();
        let total = raw
            .total
            .unwrap_or_else(|| raw.next.unwrap_or(items.len() as u64));
        Ok(WorkflowPage {
            rows,
            total,
            next: raw.next,
            dropped,
        })
    }
}

/// Reads a whole `bizproc.workflow.instances` answer body.
pub fn parse_instances(body: &Value) -> Result<WorkflowPage, ParseError> {
    WorkflowPage::from_raw(&RawResponse::from_body(body)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_screen_sends_started_desc_then_id_desc_with_all_nine_fields() {
        let params = InstancesQuery::default().to_params();
        assert_eq!(
            params.to_string(),
            r#"{"select":["ID","MODIFIED","OWNED_UNTIL","MODULE_ID","ENTITY","DOCUMENT_ID","STARTED","STARTED_BY","TEMPLATE_ID"],"order":{"STARTED":"DESC","ID":"DESC"},"filter":{},"start":0}"#
        );
    }

    #[test]
    fn appends_id_as_tie_breaker_in_the_first_keys_direction() {
        let q = InstancesQuery {
            order: vec![
                (Field::TemplateId, SortDir::Asc),
                (Field::Started, SortDir::Desc),
            ],
            start: 100,
            ..InstancesQuery::default()
        };
        assert_eq!(
            q.to_params()["order"].to_string(),
            r#"{"TEMPLATE_ID":"ASC","STARTED":"DESC","ID":"ASC"}"#
        );
        assert_eq!(q.to_params()["start"], json!(100));
        let empty = InstancesQuery {
            order: vec![],
            ..InstancesQuery::default()
        };
        assert_eq!(empty.to_params()["order"].to_string(), r#"{"ID":"DESC"}"#);
    }

    #[test]
    fn keeps_an_explicit_id_where_it_is_and_drops_duplicate_keys() {
        let q = InstancesQuery {
            order: vec![
                (Field::Id, SortDir::Asc),
                (Field::Modified, SortDir::Desc),
                (Field::Id, SortDir::Desc),
            ],
            ..InstancesQuery::default()
        };
        assert_eq!(
            q.to_params()["order"].to_string(),
            r#"{"ID":"ASC","MODIFIED":"DESC"}"#
        );
    }

    #[test]
    fn field_wire_names_round_trip() {
        for f in Field::ALL {
            assert_eq!(Field::from_wire(f.as_str()), Some(f));
        }
        assert_eq!(Field::from_wire("id"), None);
        assert_eq!(Field::from_wire("WORKFLOW_TEMPLATE_ID"), None);
    }

    #[test]
    fn a_row_without_a_usable_id_is_dropped_and_counted() {
        let body = json!({"result": [
            {"ID": "a1"}, {"STARTED": "2024-09-13T10:25:01+00:00"}, {"ID": ""},
            {"ID": null}, {"ID": ["x"]}, "not a row", {"ID": 17}
        ], "total": 7});
        let page = parse_instances(&body).expect("page");
        let ids: Vec<&str> = page.rows.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["a1", "17"]);
        assert_eq!(page.dropped, 5);
    }

    #[test]
    fn unreadable_values_become_none_and_keep_their_text() {
        let body = json!({"result": [{
            "ID": "x", "STARTED": "yesterday", "MODIFIED": 1726223101,
            "STARTED_BY": "user_5", "TEMPLATE_ID": -3, "OWNED_UNTIL": "",
            "DOCUMENT_ID": {"a": 1}, "MODULE_ID": 7
        }], "total": 1});
        let row = &parse_instances(&body).expect("page").rows[0];
        assert_eq!(
            (row.started, row.modified, row.owned_until),
            (None, None, None)
        );
        assert_eq!((row.started_by, row.template_id), (None, None));
        assert_eq!(row.unparsed(Field::Started), Some("yesterday"));
        assert_eq!(row.unparsed(Field::Modified), Some("1726223101"));
        assert_eq!(row.unparsed(Field::StartedBy), Some("user_5"));
        assert_eq!(row.unparsed(Field::TemplateId), Some("-3"));
        assert_eq!(row.unparsed(Field::OwnedUntil), None, "empty means unset");
        assert_eq!(row.unparsed(Field::DocumentId), Some(r#"{"a":1}"#));
        assert_eq!(row.module_id.as_deref(), Some("7"));
        assert_eq!(row.started_text(), "yesterday");
        assert_eq!(row.owned_until_text(), "");
    }

    #[test]
    fn dates_display_in_the_portals_offset() {
        let body = json!({"result": [{"ID": "x", "STARTED": "2023-12-27T19:13:49+02:00",
            "MODIFIED": "2024-09-13T10:25:01Z", "OWNED_UNTIL": null}]});
        let row = &parse_instances(&body).expect("page").rows[0];
        assert_eq!(row.started_text(), "2023-12-27T19:13:49+02:00");
        assert_eq!(row.modified_text(), "2024-09-13T10:25:01+00:00");
        assert_eq!(row.owned_until_text(), "");
    }

    #[test]
    fn a_missing_total_is_the_lower_bound_the_page_proves() {
        let with_next = json!({"result": [{"ID": "a"}], "next": 50});
        assert_eq!(parse_instances(&with_next).map(|p| p.total), Ok(50));
        let last = json!({"result": [{"ID": "a"}, {"ID": "b"}]});
        assert_eq!(
            parse_instances(&last).map(|p| (p.total, p.next)),
            Ok((2, None))
        );
    }

    #[test]
    fn refuses_a_result_that_is_not_a_list() {
        assert_eq!(
            parse_instances(&json!({"result": "x"})),
            Err(ParseError::UnexpectedResult {
                expected: "a list of workflows",
                found: "a string"
            })
        );
        assert_eq!(
            parse_instances(&json!({"total": 1})),
            Err(ParseError::MissingResult)
        );
        assert_eq!(parse_instances(&json!([])), Err(ParseError::NotAnObject));
    }

    #[test]
    fn user_zero_is_the_system() {
        assert!(UserId(0).is_system());
        assert!(!UserId(57).is_system());
    }
}
