//! The running workflows of the emulated portal and the query engine behind
//! `bizproc.workflow.instances` (fact sheet §1.2–§1.4): filter, multi-key
//! order, 50-row pages with a total. Values are kept typed here; the REST
//! layer renders them the way the server does (every value a string, dates
//! with the server's offset).

use std::cmp::Ordering;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::auth::UserId;
use crate::data::{Directory, DocumentKind, GONE_USERS, HOSTILE_TEXT};
use crate::tasks::Task;

/// One running workflow (a row of `b_bp_workflow_instance`).
#[derive(Debug, Clone, PartialEq)]
pub struct Workflow {
    pub id: String,
    pub module_id: String,
    pub entity: String,
    pub document_id: String,
    /// Unix seconds.
    pub started: i64,
    pub modified: i64,
    pub owned_until: Option<i64>,
    pub template_id: u32,
    pub started_by: UserId,
}

/// The fields of `bizproc.workflow.instances`, in the server's field-map
/// order (§1.2). `TemplateId` is the ORM column `WORKFLOW_TEMPLATE_ID`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Id,
    Modified,
    OwnedUntil,
    ModuleId,
    Entity,
    DocumentId,
    Started,
    StartedBy,
    TemplateId,
}

/// The column type behind a field, which decides how values compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Int,
    Date,
}

impl Field {
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

    /// The wire name.
    pub fn name(self) -> &'static str {
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

    /// Exact (case-sensitive) lookup, as `isset($fields[$field])` does (§1.3).
    pub fn from_name(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.name() == name)
    }

    pub fn kind(self) -> Kind {
        match self {
            Field::Id | Field::ModuleId | Field::Entity | Field::DocumentId => Kind::Text,
            Field::StartedBy | Field::TemplateId => Kind::Int,
            Field::Modified | Field::OwnedUntil | Field::Started => Kind::Date,
        }
    }
}

/// A filter operator the server accepts (§1.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// A filter value after the server's conversion.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    Text(Vec<String>),
    Int(Vec<i64>),
    /// Instants; `None` stands for SQL NULL (an empty value).
    Date(Vec<Option<i64>>),
    /// A value the server could not convert (e.g. `strtotime` gave false):
    /// the condition compares against nothing and matches no row (DERIVED).
    Unusable,
}

/// One condition of the filter.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub field: Field,
    pub op: Op,
    pub operand: Operand,
}

/// The parsed query: conditions (ANDed) and the order keys (`true` = DESC).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Query {
    pub conditions: Vec<Condition>,
    pub order: Vec<(Field, bool)>,
}

/// One page of results.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<'a> {
    pub rows: Vec<&'a Workflow>,
    pub total: usize,
}

/// ASCII case-insensitive comparison, like MySQL's default `_ci` collations
/// for the text columns.
fn cmp_ci(a: &str, b: &str) -> Ordering {
    a.bytes()
        .map(|c| c.to_ascii_lowercase())
        .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

fn compare(field: Field, a: &Workflow, b: &Workflow) -> Ordering {
    match field {
        Field::Id => cmp_ci(&a.id, &b.id),
        Field::ModuleId => cmp_ci(&a.module_id, &b.module_id),
        Field::Entity => cmp_ci(&a.entity, &b.entity),
        Field::DocumentId => cmp_ci(&a.document_id, &b.document_id),
        Field::Started => a.started.cmp(&b.started),
        Field::Modified => a.modified.cmp(&b.modified),
        // MySQL sorts NULL first in ascending order (and so last descending).
        Field::OwnedUntil => a.owned_until.cmp(&b.owned_until),
        Field::StartedBy => a.started_by.cmp(&b.started_by),
        Field::TemplateId => a.template_id.cmp(&b.template_id),
    }
}

/// An integer that orders rows like `compare(field, ..)` does, or ties where
/// it cannot tell (text beyond its first eight bytes). Descending flips it.
fn sort_key(w: &Workflow, field: Field, desc: bool) -> i64 {
    let text = |s: &str| -> i64 {
        let mut buf = [0u8; 8];
        for (slot, b) in buf.iter_mut().zip(s.bytes()) {
            *slot = b.to_ascii_lowercase();
        }
        (u64::from_be_bytes(buf) ^ (1 << 63)) as i64
    };
    let key = match field {
        Field::Id => text(&w.id),
        Field::ModuleId => text(&w.module_id),
        Field::Entity => text(&w.entity),
        Field::DocumentId => text(&w.document_id),
        Field::Started => w.started,
        Field::Modified => w.modified,
        Field::OwnedUntil => w.owned_until.unwrap_or(i64::MIN),
        Field::StartedBy => i64::from(w.started_by),
        Field::TemplateId => i64::from(w.template_id),
    };
    if desc {
        !key
    } else {
        key
    }
}

fn holds(op: Op, ord: Ordering) -> bool {
    match op {
        Op::Eq => ord == Ordering::Equal,
        Op::Ne => ord != Ordering::Equal,
        Op::Lt => ord == Ordering::Less,
        Op::Le => ord != Ordering::Greater,
        Op::Gt => ord == Ordering::Greater,
        Op::Ge => ord != Ordering::Less,
    }
}

/// IN for `''`, NOT IN for `!`; a range operator needs exactly one value.
fn combine(op: Op, hits: impl Iterator<Item = bool>, len: usize) -> bool {
    let mut hits = hits;
    match op {
        Op::Eq => hits.any(|h| h),
        Op::Ne => hits.all(|h| h),
        _ if len == 1 => hits.any(|h| h),
        _ => false,
    }
}

/// A column value of any row type, for [`eval`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    Text(&'a str),
    Int(i64),
    /// `None` is SQL NULL.
    Date(Option<i64>),
}

/// Evaluates `column <op> operand` with SQL semantics: a NULL column
/// satisfies no comparison (`FIELD => null` is IS NULL and `!FIELD => null`
/// IS NOT NULL, as the ORM builds them); an array value means IN / NOT IN for
/// `''` / `!` and matches nothing with a range operator; an unusable value
/// matches nothing; a value of the wrong type for the column matches nothing.
pub fn eval(op: Op, operand: &Operand, cell: Cell<'_>) -> bool {
    match (operand, cell) {
        (Operand::Text(values), Cell::Text(col)) => combine(
            op,
            values.iter().map(|v| holds(op, cmp_ci(col, v))),
            values.len(),
        ),
        (Operand::Int(values), Cell::Int(col)) => combine(
            op,
            values.iter().map(|v| holds(op, col.cmp(v))),
            values.len(),
        ),
        (Operand::Date(values), Cell::Date(col)) => combine(
            op,
            values.iter().map(|v| match (col, v) {
                (None, None) => op == Op::Eq,
                (Some(_), None) => op == Op::Ne,
                (None, Some(_)) => false,
                (Some(c), Some(v)) => holds(op, c.cmp(v)),
            }),
            values.len(),
        ),
        _ => false,
    }
}

impl Workflow {
    /// The value of one column.
    pub fn cell(&self, field: Field) -> Cell<'_> {
        match field {
            Field::Id => Cell::Text(&self.id),
            Field::ModuleId => Cell::Text(&self.module_id),
            Field::Entity => Cell::Text(&self.entity),
            Field::DocumentId => Cell::Text(&self.document_id),
            Field::Started => Cell::Date(Some(self.started)),
            Field::Modified => Cell::Date(Some(self.modified)),
            Field::OwnedUntil => Cell::Date(self.owned_until),
            Field::StartedBy => Cell::Int(i64::from(self.started_by)),
            Field::TemplateId => Cell::Int(i64::from(self.template_id)),
        }
    }
}

impl Condition {
    /// Whether the row satisfies this condition (see [`eval`]).
    pub fn matches(&self, w: &Workflow) -> bool {
        eval(self.op, &self.operand, w.cell(self.field))
    }
}

/// All running workflows.
#[derive(Debug, Clone, Default)]
pub struct Store {
    rows: Vec<Workflow>,
    /// The user tasks of these workflows (`bizproc.task.list`), by ID.
    tasks: Vec<Task>,
    rng: Option<ChaCha8Rng>,
}

/// A workflow ID as PHP's `uniqid("", true)` makes it (§1.4, S18): eight hex
/// digits of the Unix second, five of the microsecond, then `lcg_value()*10`
/// printed with `%.8F` — one decimal digit, a dot and eight digits. (The fact
/// sheet's "14 hex characters" counts that decimal digit as hex.)
pub fn uniqid(seconds: i64, micros: u32, lcg: f64) -> String {
    format!(
        "{:08x}{:05x}{:.8}",
        seconds.max(0) as u64,
        micros % 1_000_000,
        lcg.clamp(0.0, 9.999_999_99)
    )
}

const DAY: i64 = 86_400;

impl Store {
    /// Generates `n` running workflows anchored at `epoch` (Unix seconds).
    pub fn generate(directory: &Directory, n: usize, seed: u64, epoch: i64) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let templates = &directory.templates;
        let total_weight: u32 = templates.iter().map(|t| t.weight).sum();
        let user_ids: Vec<UserId> = directory.users.iter().map(|u| u.id).collect();
        let mut rows = Vec::with_capacity(n);
        for i in 0..n {
            let mut pick = rng.random_range(0..total_weight.max(1));
            let template = templates
                .iter()
                .find(|t| {
                    if pick < t.weight {
                        true
                    } else {
                        pick -= t.weight;
                        false
                    }
                })
                .unwrap_or(&templates[0]);
            // Two years back, skewed towards recent starts.
            let u: f64 = rng.random();
            let started = epoch - 60 - (u * u * 730.0 * DAY as f64) as i64;
            let age = epoch - started;
            let roll: f64 = rng.random();
            let (modified, owned_until) = if roll < 0.04 {
                // Stuck: the lock expired more than five minutes ago (§1.3).
                let m = started + (rng.random::<f64>() * age as f64 * 0.9) as i64;
                let lock = (m + 300).min(epoch - 301 - rng.random_range(0..DAY));
                (m.min(lock), Some(lock.max(started)))
            } else if roll < 0.05 {
                // Lock expired only a moment ago: not stuck yet.
                let lock = epoch - rng.random_range(10..290);
                (lock - 60, Some(lock))
            } else if roll < 0.13 {
                // Executing right now: locked into the future.
                (
                    epoch - rng.random_range(0..120),
                    Some(epoch + rng.random_range(30..600)),
                )
            } else {
                // Waiting (for a task, a delay, an event): no lock.
                let idle: f64 = rng.random();
                (started + ((1.0 - idle * idle) * age as f64) as i64, None)
            };
            let started_by = if template.is_automation() || rng.random_bool(0.25) {
                0
            } else if rng.random_bool(0.01) {
                GONE_USERS[rng.random_range(0..GONE_USERS.len())]
            } else {
                // A few people start most workflows.
                let k: f64 = rng.random();
                user_ids[((k * k * k) * user_ids.len() as f64) as usize % user_ids.len()]
            };
            let item = 1 + rng.random_range(0..template.kind.item_range());
            let micros = rng.random_range(0..1_000_000);
            let lcg: f64 = rng.random::<f64>() * 10.0;
            let mut w = Workflow {
                id: uniqid(started, micros, lcg),
                module_id: template.kind.module_id().to_owned(),
                entity: template.kind.entity().to_owned(),
                document_id: template.kind.document_id(item),
                started,
                modified: modified.clamp(started, epoch),
                owned_until,
                template_id: template.id,
                started_by,
            };
            if i == n / 3 {
                // The row with hostile text in a field (§ issue: content safety).
                let kind = DocumentKind::ListsFeed(26);
                w.module_id = kind.module_id().to_owned();
                w.entity = kind.entity().to_owned();
                w.document_id = HOSTILE_TEXT.to_owned();
            }
            rows.push(w);
        }
        let tasks = crate::tasks::generate(directory, &rows, seed, epoch);
        Store {
            rows,
            tasks,
            rng: Some(rng),
        }
    }

    /// A store holding exactly these rows (for tests).
    pub fn from_rows(rows: Vec<Workflow>) -> Self {
        Store {
            rows,
            tasks: Vec::new(),
            rng: None,
        }
    }

    /// Every task of the running workflows, by ID.
    pub fn tasks(&self) -> &[Task] {
        &self.tasks
    }

    /// The tasks of one workflow, by ID.
    pub fn tasks_of(&self, workflow_id: &str) -> Vec<&Task> {
        self.tasks
            .iter()
            .filter(|t| t.workflow_id == workflow_id)
            .collect()
    }

    /// Replaces the tasks (for tests).
    pub fn set_tasks(&mut self, mut tasks: Vec<Task>) {
        tasks.sort_by_key(|t| t.id);
        self.tasks = tasks;
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn rows(&self) -> &[Workflow] {
        &self.rows
    }

    pub fn get(&self, id: &str) -> Option<&Workflow> {
        self.rows.iter().find(|w| w.id == id)
    }

    /// Runs a query and returns `limit` rows from `offset` with the total.
    /// Rows that compare equal on every order key keep their storage order,
    /// as MySQL usually does for a table scan.
    pub fn query(&self, q: &Query, offset: usize, limit: usize) -> Page<'_> {
        // Each hit carries an order-preserving integer projection of the
        // first order key, so most comparisons never touch the rows: this is
        // what keeps a page of a million rows fast.
        let first = q.order.first().copied();
        let mut hits: Vec<(i64, u32)> = self
            .rows
            .iter()
            .enumerate()
            .filter(|(_, w)| q.conditions.iter().all(|c| c.matches(w)))
            .map(|(i, w)| (first.map_or(0, |(f, desc)| sort_key(w, f, desc)), i as u32))
            .collect();
        let total = hits.len();
        let cmp = |a: &(i64, u32), b: &(i64, u32)| -> Ordering {
            a.0.cmp(&b.0).then_with(|| {
                let (wa, wb) = (&self.rows[a.1 as usize], &self.rows[b.1 as usize]);
                for &(field, desc) in &q.order {
                    let o = compare(field, wa, wb);
                    let o = if desc { o.reverse() } else { o };
                    if o != Ordering::Equal {
                        return o;
                    }
                }
                a.1.cmp(&b.1)
            })
        };
        let end = offset.saturating_add(limit).min(total);
        if offset >= total {
            return Page {
                rows: Vec::new(),
                total,
            };
        }
        // Only rows offset..end are needed: two linear-time selections bring
        // them to the right place, then only those few are sorted. This keeps
        // a deep page (the last of a million) as cheap as the first.
        if offset > 0 {
            hits.select_nth_unstable_by(offset, cmp);
        }
        let window = &mut hits[offset..];
        if window.len() > end - offset {
            window.select_nth_unstable_by(end - offset, cmp);
        }
        let window = &mut window[..end - offset];
        window.sort_unstable_by(cmp);
        let rows = window
            .iter()
            .map(|&(_, i)| &self.rows[i as usize])
            .collect();
        Page { rows, total }
    }

    /// Removes a workflow (terminate, kill, finish) and its tasks, as
    /// `CBPTaskService::DeleteByWorkflow` does; whether it was there.
    pub fn remove(&mut self, id: &str) -> bool {
        let before = self.rows.len();
        self.rows.retain(|w| w.id != id);
        let removed = self.rows.len() != before;
        if removed {
            self.tasks.retain(|t| t.workflow_id != id);
        }
        removed
    }

    /// Starts `count` new workflows at `now` (Unix seconds); returns their IDs.
    pub fn start_new(&mut self, directory: &Directory, count: usize, now: i64) -> Vec<String> {
        let rng = self
            .rng
            .get_or_insert_with(|| ChaCha8Rng::seed_from_u64(now as u64));
        let mut ids = Vec::with_capacity(count);
        for _ in 0..count {
            let t = &directory.templates[rng.random_range(0..directory.templates.len())];
            let item = 1 + rng.random_range(0..t.kind.item_range());
            let id = uniqid(
                now,
                rng.random_range(0..1_000_000),
                rng.random::<f64>() * 10.0,
            );
            self.rows.push(Workflow {
                id: id.clone(),
                module_id: t.kind.module_id().to_owned(),
                entity: t.kind.entity().to_owned(),
                document_id: t.kind.document_id(item),
                started: now,
                modified: now,
                owned_until: None,
                template_id: t.id,
                started_by: if t.is_automation() { 0 } else { 1 },
            });
            ids.push(id);
        }
        ids
    }

    /// Marks a workflow as modified at `now`; whether it exists.
    pub fn touch(&mut self, id: &str, now: i64) -> bool {
        match self.rows.iter_mut().find(|w| w.id == id) {
            Some(w) => {
                w.modified = now;
                true
            }
            None => false,
        }
    }
}

/// Formats a Unix time as PHP's `date('c')` in the server's zone (§1.4).
pub fn format_date(seconds: i64, offset: &FixedOffset) -> String {
    offset
        .timestamp_opt(seconds, 0)
        .single()
        .map(|d| d.format("%Y-%m-%dT%H:%M:%S%:z").to_string())
        .unwrap_or_default()
}

/// What `strtotime` would make of a filter value, for the forms clients
/// send: ISO 8601 with or without an offset (`Z`, `+03:00`, `+0300`), the
/// portal's site format `DD.MM.YYYY HH:MI:SS`, a bare date, `@<unix>`, and
/// `now`. Values without an offset are in the server's zone. `None` is
/// strtotime's `false`.
pub fn strtotime(value: &str, offset: &FixedOffset, now: i64) -> Option<i64> {
    let v = value.trim();
    if v.eq_ignore_ascii_case("now") {
        return Some(now);
    }
    if let Some(unix) = v.strip_prefix('@') {
        return unix.parse().ok();
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(v) {
        return Some(d.timestamp());
    }
    for fmt in ["%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%d %H:%M:%S%.f%z"] {
        if let Ok(d) = DateTime::parse_from_str(v, fmt) {
            return Some(d.timestamp());
        }
    }
    let local = |n: NaiveDateTime| {
        offset
            .from_local_datetime(&n)
            .single()
            .map(|d| d.timestamp())
    };
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
        "%d.%m.%Y %H:%M:%S",
        "%d.%m.%Y %H:%M",
    ] {
        if let Ok(n) = NaiveDateTime::parse_from_str(v, fmt) {
            return local(n);
        }
    }
    for fmt in ["%Y-%m-%d", "%d.%m.%Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(v, fmt) {
            return d.and_hms_opt(0, 0, 0).and_then(local);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offset() -> FixedOffset {
        FixedOffset::east_opt(3 * 3600).expect("offset")
    }

    fn row(id: &str, started: i64, modified: i64, owned: Option<i64>, t: u32, by: u32) -> Workflow {
        Workflow {
            id: id.into(),
            module_id: "crm".into(),
            entity: "CCrmDocumentDeal".into(),
            document_id: format!("DEAL_{t}"),
            started,
            modified,
            owned_until: owned,
            template_id: t,
            started_by: by,
        }
    }

    fn ids(page: &Page<'_>) -> Vec<String> {
        page.rows.iter().map(|w| w.id.clone()).collect()
    }

    #[test]
    fn uniqid_has_the_php_shape_and_encodes_the_start_second() {
        let id = uniqid(0x66e4_12fd, 0xc9bd4, 4.363_065_99);
        assert_eq!(id, "66e412fdc9bd44.36306599");
        let re_ok = id.len() == 23
            && id[..13].chars().all(|c| c.is_ascii_hexdigit())
            && id.as_bytes()[13].is_ascii_digit()
            && &id[14..15] == "."
            && id[15..].chars().all(|c| c.is_ascii_digit());
        assert!(re_ok, "{id}");
    }

    #[test]
    fn generated_ids_match_their_start_time_and_data_is_deterministic() {
        let d = Directory::generate(1);
        let a = Store::generate(&d, 500, 9, 1_767_225_600);
        let b = Store::generate(&d, 500, 9, 1_767_225_600);
        assert_eq!(a.rows, b.rows);
        for w in a.rows() {
            let secs = i64::from_str_radix(&w.id[..8], 16).expect("hex");
            assert_eq!(secs, w.started, "{}", w.id);
            assert!(w.modified >= w.started);
        }
        let mut unique: Vec<&str> = a.rows().iter().map(|w| w.id.as_str()).collect();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), 500);
    }

    #[test]
    fn generated_data_is_realistic() {
        let d = Directory::generate(1);
        let epoch = 1_767_225_600;
        let s = Store::generate(&d, 5000, 1, epoch);
        let stuck = s
            .rows()
            .iter()
            .filter(|w| w.owned_until.is_some_and(|o| o < epoch - 300))
            .count();
        assert!((100..400).contains(&stuck), "a few percent stuck: {stuck}");
        let automation = s.rows().iter().filter(|w| w.started_by == 0).count();
        assert!(automation > 500, "{automation}");
        let oldest = s.rows().iter().map(|w| w.started).min().unwrap_or(epoch);
        assert!(epoch - oldest > 600 * DAY, "spread over two years");
        assert!(s.rows().iter().any(|w| w.document_id.contains("<script>")));
        let hidden = s
            .rows()
            .iter()
            .filter(|w| d.template(w.template_id).is_some_and(|t| t.is_automation()))
            .count();
        assert!(hidden > 0, "rows use automation templates");
        for entity in ["BizprocDocument", "Bitrix\\Disk\\BizProcDocument"] {
            assert!(s.rows().iter().any(|w| w.entity == entity), "{entity}");
        }
    }

    #[test]
    fn filters_with_sql_semantics() {
        let s = Store::from_rows(vec![
            row("a", 100, 150, None, 1, 0),
            row("b", 200, 250, Some(260), 2, 57),
            row("c", 300, 350, Some(100), 2, 5),
        ]);
        let q = |field, op, operand| Query {
            conditions: vec![Condition { field, op, operand }],
            order: vec![(Field::Id, false)],
        };
        let run = |query: Query| ids(&s.query(&query, 0, 50));
        assert_eq!(
            run(q(Field::TemplateId, Op::Eq, Operand::Int(vec![2]))),
            ["b", "c"]
        );
        assert_eq!(
            run(q(Field::StartedBy, Op::Gt, Operand::Int(vec![0]))),
            ["b", "c"]
        );
        assert_eq!(
            run(q(Field::StartedBy, Op::Ne, Operand::Int(vec![57, 5]))),
            ["a"]
        );
        // NULL satisfies no comparison.
        assert_eq!(
            run(q(
                Field::OwnedUntil,
                Op::Lt,
                Operand::Date(vec![Some(1000)])
            )),
            ["b", "c"]
        );
        assert_eq!(
            run(q(Field::OwnedUntil, Op::Ne, Operand::Date(vec![Some(100)]))),
            ["b"]
        );
        assert_eq!(
            run(q(Field::OwnedUntil, Op::Eq, Operand::Date(vec![None]))),
            ["a"]
        );
        assert_eq!(
            run(q(Field::Id, Op::Ge, Operand::Text(vec!["B".into()]))),
            ["b", "c"]
        );
        assert!(run(q(Field::Started, Op::Lt, Operand::Unusable)).is_empty());
        assert!(run(q(Field::TemplateId, Op::Lt, Operand::Int(vec![5, 6]))).is_empty());
    }

    #[test]
    fn orders_by_several_keys_with_nulls_first_ascending_and_pages() {
        let s = Store::from_rows(vec![
            row("a", 1, 5, Some(9), 2, 0),
            row("b", 2, 5, None, 1, 0),
            row("c", 3, 7, Some(1), 2, 0),
            row("d", 4, 5, None, 2, 0),
        ]);
        let order = |o: Vec<(Field, bool)>| Query {
            conditions: vec![],
            order: o,
        };
        assert_eq!(
            ids(&s.query(
                &order(vec![(Field::Modified, true), (Field::Id, true)]),
                0,
                50
            )),
            ["c", "d", "b", "a"]
        );
        assert_eq!(
            ids(&s.query(&order(vec![(Field::OwnedUntil, false)]), 0, 50)),
            ["b", "d", "c", "a"]
        );
        assert_eq!(
            ids(&s.query(&order(vec![(Field::OwnedUntil, true)]), 0, 50)),
            ["a", "c", "b", "d"]
        );
        let page = s.query(
            &order(vec![(Field::TemplateId, false), (Field::Started, true)]),
            1,
            2,
        );
        assert_eq!(ids(&page), ["d", "c"]);
        assert_eq!(page.total, 4);
        assert!(s.query(&order(vec![]), 4, 50).rows.is_empty());
    }

    #[test]
    fn partial_selection_gives_the_same_page_as_a_full_sort() {
        let d = Directory::generate(2);
        let s = Store::generate(&d, 3000, 2, 1_767_225_600);
        let q = Query {
            conditions: vec![],
            order: vec![(Field::TemplateId, false), (Field::Modified, true)],
        };
        let full = s.query(&q, 0, 3000);
        for offset in [0, 1, 100, 1499, 2950, 2990] {
            let page = s.query(&q, offset, 50);
            let end = (offset + 50).min(3000);
            assert_eq!(
                page.rows,
                full.rows[offset..end].to_vec(),
                "offset {offset}"
            );
        }
    }

    #[test]
    fn strtotime_reads_the_forms_clients_send() {
        let o = offset();
        let utc = 1_735_689_600; // 2025-01-01T00:00:00Z
        assert_eq!(strtotime("2025-01-01T00:00:00Z", &o, 0), Some(utc));
        assert_eq!(strtotime("2025-01-01T03:00:00+03:00", &o, 0), Some(utc));
        assert_eq!(strtotime("2025-01-01T03:00:00+0300", &o, 0), Some(utc));
        assert_eq!(strtotime("2025-01-01 03:00:00", &o, 0), Some(utc));
        assert_eq!(strtotime("01.01.2025 03:00:00", &o, 0), Some(utc));
        assert_eq!(strtotime("2025-01-01", &o, 0), Some(utc - 3 * 3600));
        assert_eq!(strtotime("@1735689600", &o, 0), Some(utc));
        assert_eq!(strtotime("now", &o, 42), Some(42));
        assert_eq!(strtotime("yesterday-ish", &o, 0), None);
        assert_eq!(strtotime("", &o, 0), None);
    }

    #[test]
    fn formats_dates_with_the_server_offset() {
        assert_eq!(
            format_date(1_735_689_600, &offset()),
            "2025-01-01T03:00:00+03:00"
        );
    }

    #[test]
    fn mutations_add_touch_and_remove() {
        let d = Directory::generate(1);
        let mut s = Store::generate(&d, 10, 1, 1_767_225_600);
        let new = s.start_new(&d, 2, 1_767_300_000);
        assert_eq!(s.len(), 12);
        assert!(s.touch(&new[0], 1_767_300_100));
        assert_eq!(s.get(&new[0]).map(|w| w.modified), Some(1_767_300_100));
        assert!(s.remove(&new[1]));
        assert!(!s.remove(&new[1]));
        assert_eq!(s.len(), 11);
    }
}
