//! The overview's requests and what their answers count.

use crate::domain::display::documents::DocumentKind;
use crate::domain::export::chain::Chain;
use crate::domain::methods::instances::{
    Field, InstancesQuery, SortDir, TemplateId, UserId, WorkflowPage, WorkflowRow,
};
use crate::domain::table::filters::{
    DateBound, DateRange, DocumentFilter, Filter, FilterKind, Filters, Preset,
};
use crate::domain::time::TimeContext;
use crate::domain::wire::batch::{
    BatchCommand, BatchError, BatchRequest, BatchResponse, CommandKey, MAX_COMMANDS,
};

/// The list method every count asks.
const INSTANCES: &str = "bizproc.workflow.instances";
const DAY_S: u64 = 86_400;

/// How many templates the template chart names; the rest are "Other".
pub const TOP: usize = 10;

/// The age bands since start, the youngest first: `[from, to)` days ago.
pub const AGE_BANDS: [(u64, Option<u64>); 6] = [
    (0, Some(1)),
    (1, Some(7)),
    (7, Some(30)),
    (30, Some(90)),
    (90, Some(365)),
    (365, None),
];

/// The filter of age band `i`: started between `to` and `from` days ago
/// (sent, like the Started filter, as an `ID` prefix range).
pub fn age_filter(i: usize) -> Option<Filter> {
    let (younger, older) = *AGE_BANDS.get(i)?;
    let ago = |days: u64| DateBound::Ago(days * DAY_S);
    Some(Filter::Started(DateRange {
        from: older.map(ago),
        to: (younger > 0).then(|| ago(younger)),
    }))
}

/// The filter of a document kind.
pub fn kind_filter(kind: DocumentKind) -> Option<Filter> {
    DocumentFilter::new(kind.module(), kind.entity(), None)
        .ok()
        .map(Filter::Document)
}

/// The part of the stuck / idle split a command counts for one template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Split {
    /// Stuck (the Stuck preset).
    Stuck,
    /// Idle for 7 days (the preset).
    Idle,
    /// Both at once, so the bar's parts do not overlap.
    Both,
}

impl Split {
    const ALL: [Split; 3] = [Split::Stuck, Split::Idle, Split::Both];

    fn letter(self) -> char {
        match self {
            Split::Stuck => 's',
            Split::Idle => 'i',
            Split::Both => 'b',
        }
    }

    fn presets(self) -> &'static [Preset] {
        match self {
            Split::Stuck => &[Preset::Stuck],
            Split::Idle => &[Preset::IdleFor7Days],
            Split::Both => &[Preset::Stuck, Preset::IdleFor7Days],
        }
    }
}

/// Which of the overview's requests an answer belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Part {
    /// The `i`-th request of per-template counts (50 templates each).
    Templates(usize),
    /// The chained read of the first rows, for the starters.
    Sample,
    /// The ages, the kinds and the top templates' split.
    Rest,
}

/// One request the overview sends.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// Which it is.
    pub part: Part,
    /// The batch.
    pub batch: BatchRequest,
}

/// The count command for `filters` with each of `extra` set in its slot.
fn count_command(
    key: String,
    filters: &Filters,
    extra: &[Filter],
    ctx: TimeContext,
) -> Result<BatchCommand, BatchError> {
    let mut with = filters.clone();
    for f in extra {
        with.set(f.clone());
    }
    let query = InstancesQuery {
        order: vec![(Field::Id, SortDir::Asc)],
        start: 0,
        select: vec![Field::Id],
        filter: with.conditions(ctx),
    };
    Ok(BatchCommand {
        key: CommandKey::new(key)?,
        method: INSTANCES.to_owned(),
        params: query.to_params(),
    })
}

/// The key of template `id`'s count.
fn template_key(id: TemplateId) -> String {
    format!("t{}", id.0)
}

/// The requests of the first round: the per-template counts (one request
/// per 50 templates) and the starters' read. `templates` are the portal's
/// templates (`bizproc.workflow.template.list`); automation rules and
/// robots are not among them and are counted as the rest of the total.
pub fn first_round(
    filters: &Filters,
    templates: &[TemplateId],
    ctx: TimeContext,
) -> Result<(Vec<Request>, Chain), BatchError> {
    let mut out = Vec::new();
    for (i, chunk) in templates.chunks(MAX_COMMANDS).enumerate() {
        let commands = chunk
            .iter()
            .map(|&id| {
                let f = Filter::Template { id, exclude: false };
                count_command(template_key(id), filters, &[f], ctx)
            })
            .collect::<Result<Vec<_>, _>>()?;
        out.push(Request {
            part: Part::Templates(i),
            batch: BatchRequest::new(false, commands)?,
        });
    }
    let mut people = filters.clone();
    people.remove(FilterKind::StartedBy);
    let chain = Chain::new(people.conditions(ctx), vec![Field::StartedBy]);
    if let Some(batch) = chain.next_request() {
        out.push(Request {
            part: Part::Sample,
            batch: batch?,
        });
    }
    Ok((out, chain))
}

/// The second request: the total without a template filter (`ta`) and
/// without a document filter (`ka`), the age bands (`a0`…), the kinds
/// (`k0`…), and each top template's split (`s<id>`, `i<id>`, `b<id>`):
/// 2 + 6 + 10 + 3 × 10 = 48 commands.
pub fn second_round(
    filters: &Filters,
    top: &[TemplateId],
    ctx: TimeContext,
) -> Result<Request, BatchError> {
    let mut commands = Vec::new();
    let without = |kind: FilterKind, key: &str| {
        let mut f = filters.clone();
        f.remove(kind);
        count_command(key.to_owned(), &f, &[], ctx)
    };
    commands.push(without(FilterKind::Template, "ta")?);
    commands.push(without(FilterKind::Document, "ka")?);
    for i in 0..AGE_BANDS.len() {
        if let Some(f) = age_filter(i) {
            commands.push(count_command(format!("a{i}"), filters, &[f], ctx)?);
        }
    }
    for (i, kind) in DocumentKind::ALL.into_iter().enumerate() {
        if let Some(f) = kind_filter(kind) {
            commands.push(count_command(format!("k{i}"), filters, &[f], ctx)?);
        }
    }
    for &id in top.iter().take(TOP) {
        let template = Filter::Template { id, exclude: false };
        for split in Split::ALL {
            let mut extra = vec![template.clone()];
            extra.extend(split.presets().iter().map(|p| p.filter()));
            let key = format!("{}{}", split.letter(), id.0);
            commands.push(count_command(key, filters, &extra, ctx)?);
        }
    }
    Ok(Request {
        part: Part::Rest,
        batch: BatchRequest::new(false, commands)?,
    })
}

/// The `total` of command `key`, if it ran and its answer reads.
pub fn total(answer: &BatchResponse, key: &str) -> Option<u64> {
    match answer.get(key)? {
        Ok(raw) => WorkflowPage::from_raw(raw).ok().map(|p| p.total),
        Err(_) => None,
    }
}

/// The per-template counts one answer gives; a template whose command
/// failed is left out (and the chart says it is incomplete).
pub fn template_counts(
    answer: &BatchResponse,
    templates: &[TemplateId],
) -> Vec<(TemplateId, Option<u64>)> {
    templates
        .iter()
        .map(|&id| (id, total(answer, &template_key(id))))
        .collect()
}

/// What the second request counted.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RestCounts {
    /// All under the filters but the template one.
    pub templates_total: Option<u64>,
    /// All under the filters but the document one.
    pub kinds_total: Option<u64>,
    /// Per age band.
    pub ages: Vec<Option<u64>>,
    /// Per [`DocumentKind::ALL`].
    pub kinds: Vec<Option<u64>>,
    /// Per top template: stuck, idle, both.
    pub splits: Vec<(TemplateId, [Option<u64>; 3])>,
}

impl RestCounts {
    /// Reads the second request's answer for the top templates `top`.
    pub fn read(answer: &BatchResponse, top: &[TemplateId]) -> RestCounts {
        RestCounts {
            templates_total: total(answer, "ta"),
            kinds_total: total(answer, "ka"),
            ages: (0..AGE_BANDS.len())
                .map(|i| total(answer, &format!("a{i}")))
                .collect(),
            kinds: (0..DocumentKind::ALL.len())
                .map(|i| total(answer, &format!("k{i}")))
                .collect(),
            splits: top
                .iter()
                .take(TOP)
                .map(|&id| {
                    let n = |s: Split| total(answer, &format!("{}{}", s.letter(), id.0));
                    (id, [n(Split::Stuck), n(Split::Idle), n(Split::Both)])
                })
                .collect(),
        }
    }
}

/// The people who started the sampled rows, by count (most first, then
/// by ID); `0` is "System / automation".
pub fn starters(rows: &[WorkflowRow]) -> Vec<(UserId, u64)> {
    let mut by: std::collections::BTreeMap<u64, u64> = std::collections::BTreeMap::new();
    for row in rows {
        *by.entry(row.started_by.map_or(0, |u| u.0)).or_default() += 1;
    }
    let mut counts: Vec<(UserId, u64)> = by.into_iter().map(|(u, n)| (UserId(u), n)).collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0 .0.cmp(&b.0 .0)));
    counts
}
