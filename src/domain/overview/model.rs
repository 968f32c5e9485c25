//! The charts, from the counts: what each bar is, its number, its parts.

use crate::domain::display::documents::DocumentKind;
use crate::domain::methods::instances::{TemplateId, UserId};
use crate::domain::table::filters::{Filter, FilterKind, Filters};

use super::plan::{age_filter, kind_filter, AGE_BANDS, TOP};

/// Which chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dimension {
    /// By template.
    Template,
    /// By age since start.
    Age,
    /// By document kind.
    Kind,
    /// By who started it.
    Starter,
}

impl Dimension {
    /// All charts, in page order.
    pub const ALL: [Dimension; 4] = [
        Dimension::Template,
        Dimension::Age,
        Dimension::Kind,
        Dimension::Starter,
    ];

    /// The filter slot its bars set.
    pub fn kind(self) -> FilterKind {
        match self {
            Dimension::Template => FilterKind::Template,
            Dimension::Age => FilterKind::Started,
            Dimension::Kind => FilterKind::Document,
            Dimension::Starter => FilterKind::StartedBy,
        }
    }
}

/// What a bar stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BarKey {
    /// One template.
    Template(TemplateId),
    /// Automation rules and robots: the templates the template list does
    /// not return (§1.5), counted as the rest of the total.
    Automation,
    /// The templates after the top ten.
    OtherTemplates,
    /// Age band `i` of [`AGE_BANDS`].
    Age(usize),
    /// One document kind.
    Kind(DocumentKind),
    /// Documents of no kind the app knows.
    OtherKinds,
    /// One person, or `0`: "System / automation".
    Starter(UserId),
    /// The people after the top ten.
    OtherStarters,
}

impl BarKey {
    /// A token for the bar's markup (`t12`, `a3`, `kdeal`, `u7`); `None`
    /// for a bar that cannot be clicked.
    pub fn token(&self) -> Option<String> {
        match *self {
            BarKey::Template(id) => Some(format!("t{}", id.0)),
            BarKey::Age(i) => Some(format!("a{i}")),
            BarKey::Kind(k) => Some(format!("k{}", k.slug())),
            BarKey::Starter(u) => Some(format!("u{}", u.0)),
            _ => None,
        }
    }

    /// The bar of a [`BarKey::token`].
    pub fn from_token(token: &str) -> Option<BarKey> {
        let (head, rest) = token.split_at_checked(1)?;
        let number = || rest.parse::<u64>().ok();
        match head {
            "t" => number().map(|n| BarKey::Template(TemplateId(n))),
            "a" => number()
                .map(|n| n as usize)
                .filter(|&i| i < AGE_BANDS.len())
                .map(BarKey::Age),
            "k" => DocumentKind::from_slug(rest).map(BarKey::Kind),
            "u" => number().map(|n| BarKey::Starter(UserId(n))),
            _ => None,
        }
    }

    /// The filter a click sets; `None` for a bar that sums several values
    /// (no single filter selects exactly them).
    pub fn filter(&self) -> Option<Filter> {
        match *self {
            BarKey::Template(id) => Some(Filter::Template { id, exclude: false }),
            BarKey::Age(i) => age_filter(i),
            BarKey::Kind(k) => kind_filter(k),
            BarKey::Starter(u) => Some(Filter::StartedBy(u)),
            BarKey::Automation
            | BarKey::OtherTemplates
            | BarKey::OtherKinds
            | BarKey::OtherStarters => None,
        }
    }
}

/// A template bar's parts; they add up to the bar's count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parts {
    /// Stuck.
    pub stuck: u64,
    /// Idle for more than 7 days and not stuck.
    pub idle: u64,
    /// The rest.
    pub rest: u64,
}

impl Parts {
    /// From a bar's count and its stuck, idle and both counts.
    pub fn of(count: u64, stuck: u64, idle: u64, both: u64) -> Parts {
        let stuck = stuck.min(count);
        let idle = idle.saturating_sub(both).min(count - stuck);
        Parts {
            stuck,
            idle,
            rest: count - stuck - idle,
        }
    }
}

/// One bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bar {
    /// What it stands for.
    pub key: BarKey,
    /// How many workflows.
    pub count: u64,
    /// Its stuck / idle parts, when counted (top templates only).
    pub parts: Option<Parts>,
    /// Its filter is the table's current one.
    pub active: bool,
}

/// How far a chart's numbers go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coverage {
    /// Every number is exact and every workflow is in a bar.
    Exact,
    /// Some counts could not be had: the bars shown are exact, but not
    /// everything is shown.
    Incomplete,
    /// Counted among the first `rows` of `of` workflows (starters).
    Sample {
        /// Rows read.
        rows: u64,
        /// Workflows matching.
        of: u64,
    },
}

/// One chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chart {
    /// Which.
    pub dimension: Dimension,
    /// Its bars, in order.
    pub bars: Vec<Bar>,
    /// How far its numbers go.
    pub coverage: Coverage,
}

impl Chart {
    /// The largest bar, for the scale (at least 1).
    pub fn max(&self) -> u64 {
        self.bars.iter().map(|b| b.count).max().unwrap_or(0).max(1)
    }

    /// No workflow in any bar.
    pub fn is_empty(&self) -> bool {
        self.bars.is_empty()
    }
}

fn bar(key: BarKey, count: u64, filters: &Filters, kind: FilterKind) -> Bar {
    let active = key.filter().is_some_and(|f| filters.get(kind) == Some(&f));
    Bar {
        key,
        count,
        parts: None,
        active,
    }
}

/// The templates by count, most first (then by ID), without zeros.
pub fn ranked(counts: &[(TemplateId, Option<u64>)]) -> Vec<(TemplateId, u64)> {
    let mut known: Vec<(TemplateId, u64)> = counts
        .iter()
        .filter_map(|&(id, n)| n.filter(|&n| n > 0).map(|n| (id, n)))
        .collect();
    known.sort_by(|a, b| b.1.cmp(&a.1).then(a.0 .0.cmp(&b.0 .0)));
    known
}

/// The templates the split is asked for: the top ten.
pub fn top_templates(counts: &[(TemplateId, Option<u64>)]) -> Vec<TemplateId> {
    ranked(counts)
        .into_iter()
        .take(TOP)
        .map(|(id, _)| id)
        .collect()
}

/// The template chart: the top ten, "Other", and automation rules and
/// robots (the total less every listed template's count). `total` is the
/// count under the filters without the template one.
pub fn template_chart(
    counts: &[(TemplateId, Option<u64>)],
    total: Option<u64>,
    splits: &[(TemplateId, [Option<u64>; 3])],
    filters: &Filters,
) -> Chart {
    let kind = FilterKind::Template;
    let known = ranked(counts);
    let mut bars: Vec<Bar> = Vec::new();
    for &(id, n) in known.iter().take(TOP) {
        let mut b = bar(BarKey::Template(id), n, filters, kind);
        b.parts = splits.iter().find(|(t, _)| *t == id).and_then(|(_, s)| {
            let [Some(stuck), Some(idle), Some(both)] = *s else {
                return None;
            };
            Some(Parts::of(n, stuck, idle, both))
        });
        bars.push(b);
    }
    let other: u64 = known.iter().skip(TOP).map(|(_, n)| n).sum();
    if other > 0 {
        bars.push(bar(BarKey::OtherTemplates, other, filters, kind));
    }
    let all_known = counts.iter().all(|(_, n)| n.is_some());
    let listed: u64 = known.iter().map(|(_, n)| n).sum();
    let mut exact = all_known && total.is_some();
    if let (true, Some(total)) = (all_known, total) {
        match total.checked_sub(listed) {
            Some(0) => {}
            Some(rest) => bars.push(bar(BarKey::Automation, rest, filters, kind)),
            // The set moved between the requests: the bars are right, the
            // remainder is not.
            None => exact = false,
        }
    }
    let split_missing = bars
        .iter()
        .any(|b| matches!(b.key, BarKey::Template(_)) && b.parts.is_none());
    Chart {
        dimension: Dimension::Template,
        bars,
        coverage: if exact && !split_missing {
            Coverage::Exact
        } else {
            Coverage::Incomplete
        },
    }
}

/// The age chart, the youngest band first; empty bands are shown (an age
/// axis reads in order).
pub fn age_chart(ages: &[Option<u64>], filters: &Filters) -> Chart {
    let bars = (0..AGE_BANDS.len())
        .filter_map(|i| {
            let n = (*ages.get(i)?)?;
            Some(bar(BarKey::Age(i), n, filters, FilterKind::Started))
        })
        .collect::<Vec<_>>();
    let exact = bars.len() == AGE_BANDS.len();
    Chart {
        dimension: Dimension::Age,
        bars: if bars.iter().all(|b| b.count == 0) {
            Vec::new()
        } else {
            bars
        },
        coverage: if exact {
            Coverage::Exact
        } else {
            Coverage::Incomplete
        },
    }
}

/// The document kind chart, most first, and "Other" (the total less every
/// kind's count). `total` is the count without the document filter.
pub fn kind_chart(kinds: &[Option<u64>], total: Option<u64>, filters: &Filters) -> Chart {
    let kind = FilterKind::Document;
    let mut known: Vec<(DocumentKind, u64)> = Vec::new();
    let mut all_known = true;
    for (i, k) in DocumentKind::ALL.into_iter().enumerate() {
        match kinds.get(i).copied().flatten() {
            Some(n) => known.push((k, n)),
            None => all_known = false,
        }
    }
    let sum: u64 = known.iter().map(|(_, n)| n).sum();
    // Stable: equal counts keep the menu's order.
    known.sort_by_key(|k| std::cmp::Reverse(k.1));
    let mut bars: Vec<Bar> = known
        .into_iter()
        .filter(|&(_, n)| n > 0)
        .map(|(k, n)| bar(BarKey::Kind(k), n, filters, kind))
        .collect();
    let mut exact = all_known && total.is_some();
    if let (true, Some(total)) = (all_known, total) {
        match total.checked_sub(sum) {
            Some(0) => {}
            Some(rest) => bars.push(bar(BarKey::OtherKinds, rest, filters, kind)),
            None => exact = false,
        }
    }
    Chart {
        dimension: Dimension::Kind,
        bars,
        coverage: if exact {
            Coverage::Exact
        } else {
            Coverage::Incomplete
        },
    }
}

/// The starters chart from the sample: the top ten people, "System /
/// automation" (user `0`) as its own bar wherever it ranks, and "Other".
/// `whole` is whether the sample is every matching workflow; `of` how
/// many match.
pub fn starter_chart(people: &[(UserId, u64)], whole: bool, of: u64, filters: &Filters) -> Chart {
    let kind = FilterKind::StartedBy;
    let mut bars = Vec::new();
    let mut named = 0;
    let mut other = 0;
    for &(u, n) in people {
        if u.0 == 0 || named < TOP {
            named += usize::from(u.0 != 0);
            bars.push(bar(BarKey::Starter(u), n, filters, kind));
        } else {
            other += n;
        }
    }
    if other > 0 {
        bars.push(bar(BarKey::OtherStarters, other, filters, kind));
    }
    let rows: u64 = people.iter().map(|(_, n)| n).sum();
    Chart {
        dimension: Dimension::Starter,
        bars,
        coverage: if whole {
            Coverage::Exact
        } else {
            Coverage::Sample { rows, of }
        },
    }
}
