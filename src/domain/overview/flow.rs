//! One overview: its requests in order, their answers, its charts.

use crate::domain::export::chain::Chain;
use crate::domain::methods::instances::{TemplateId, UserId};
use crate::domain::table::filters::Filters;
use crate::domain::time::TimeContext;
use crate::domain::wire::batch::{BatchError, BatchResponse, MAX_COMMANDS};
use crate::domain::wire::errors::RestError;

use super::model::{
    age_chart, kind_chart, starter_chart, template_chart, top_templates, Chart, Dimension,
};
use super::plan::{
    first_round, second_round, starters, template_counts, Part, Request, RestCounts,
};

/// Where one chart stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChartState {
    /// Its counts are on their way.
    Loading,
    /// None of its counts could be had.
    Failed,
    /// Drawn (possibly incomplete: see its coverage).
    Ready(Chart),
}

/// The sample's outcome.
#[derive(Debug, Clone, PartialEq)]
enum Sample {
    Waiting,
    Failed,
    Read {
        people: Vec<(UserId, u64)>,
        whole: bool,
        of: u64,
    },
}

/// One overview for one filter set at one moment.
#[derive(Debug, Clone, PartialEq)]
pub struct Overview {
    filters: Filters,
    ctx: TimeContext,
    templates: Vec<TemplateId>,
    templates_known: bool,
    counts: Vec<(TemplateId, Option<u64>)>,
    pending: Vec<usize>,
    chain: Chain,
    sample: Sample,
    rest: Option<Option<RestCounts>>,
    top: Vec<TemplateId>,
    sent_rest: bool,
    requests: u64,
}

impl Overview {
    /// An overview of `filters` over the portal's `templates` (`None`
    /// when the template list could not be had: the template chart then
    /// says it failed), and its first requests (sent together).
    pub fn start(
        filters: &Filters,
        templates: Option<&[TemplateId]>,
        ctx: TimeContext,
    ) -> Result<(Overview, Vec<Request>), BatchError> {
        let templates_known = templates.is_some();
        let templates = templates.unwrap_or_default();
        let (first, chain) = first_round(filters, templates, ctx)?;
        let pending = first
            .iter()
            .filter_map(|r| match r.part {
                Part::Templates(i) => Some(i),
                _ => None,
            })
            .collect();
        let mut o = Overview {
            filters: filters.clone(),
            ctx,
            templates: templates.to_vec(),
            templates_known,
            counts: templates.iter().map(|&id| (id, None)).collect(),
            pending,
            chain,
            sample: Sample::Waiting,
            rest: None,
            top: Vec::new(),
            sent_rest: false,
            requests: first.len() as u64,
        };
        let mut out = first;
        out.extend(o.next());
        Ok((o, out))
    }

    /// Requests sent so far.
    pub fn requests(&self) -> u64 {
        self.requests
    }

    /// Every answer is in.
    pub fn is_done(&self) -> bool {
        self.rest.is_some() && self.sample != Sample::Waiting
    }

    /// The second request, once every template count is in.
    fn next(&mut self) -> Option<Request> {
        if !self.pending.is_empty() || self.sent_rest {
            return None;
        }
        self.sent_rest = true;
        self.top = top_templates(&self.counts);
        match second_round(&self.filters, &self.top, self.ctx) {
            Ok(r) => {
                self.requests += 1;
                Some(r)
            }
            Err(_) => {
                self.rest = Some(None);
                None
            }
        }
    }

    /// An answer (or the failure of the whole request) for `part`; the
    /// requests it lets go.
    pub fn answered(
        &mut self,
        part: Part,
        answer: Result<&BatchResponse, &RestError>,
    ) -> Vec<Request> {
        match part {
            Part::Templates(i) => {
                if !self.pending.contains(&i) {
                    return Vec::new();
                }
                self.pending.retain(|&p| p != i);
                if let Ok(answer) = answer {
                    let chunk = self
                        .templates
                        .chunks(MAX_COMMANDS)
                        .nth(i)
                        .unwrap_or_default();
                    for (id, n) in template_counts(answer, chunk) {
                        if let Some(slot) = self.counts.iter_mut().find(|(t, _)| *t == id) {
                            slot.1 = n;
                        }
                    }
                }
                self.next().into_iter().collect()
            }
            Part::Sample => {
                if self.sample != Sample::Waiting {
                    return Vec::new();
                }
                self.sample = match answer.map(|a| self.chain.answered(a)) {
                    Ok(Ok(rows)) => Sample::Read {
                        people: starters(&rows),
                        whole: self.chain.is_done(),
                        of: self.chain.first_total().unwrap_or(rows.len() as u64),
                    },
                    _ => Sample::Failed,
                };
                Vec::new()
            }
            Part::Rest => {
                if self.rest.is_none() && self.pending.is_empty() {
                    self.rest = Some(answer.ok().map(|a| RestCounts::read(a, &self.top)));
                }
                Vec::new()
            }
        }
    }

    /// Where the chart of `dimension` stands.
    pub fn chart(&self, dimension: Dimension) -> ChartState {
        let f = &self.filters;
        match dimension {
            Dimension::Starter => match &self.sample {
                Sample::Waiting => ChartState::Loading,
                Sample::Failed => ChartState::Failed,
                Sample::Read { people, whole, of } => {
                    ChartState::Ready(starter_chart(people, *whole, *of, f))
                }
            },
            _ => {
                let Some(rest) = &self.rest else {
                    return ChartState::Loading;
                };
                let empty = RestCounts::default();
                let rest = rest.as_ref().unwrap_or(&empty);
                let chart = match dimension {
                    Dimension::Template => {
                        template_chart(&self.counts, rest.templates_total, &rest.splits, f)
                    }
                    Dimension::Age => age_chart(&rest.ages, f),
                    _ => kind_chart(&rest.kinds, rest.kinds_total, f),
                };
                let nothing = match dimension {
                    Dimension::Template => {
                        !self.templates_known
                            || !self.counts.is_empty()
                                && self.counts.iter().all(|(_, n)| n.is_none())
                    }
                    Dimension::Age => rest.ages.iter().all(Option::is_none),
                    _ => rest.kinds.iter().all(Option::is_none),
                };
                if nothing {
                    ChartState::Failed
                } else {
                    ChartState::Ready(chart)
                }
            }
        }
    }
}
