//! The overview: what runs under the current filters at a glance, by
//! template, by age, by document kind and by who started it.
//!
//! Every number but the starters' is exact: the `total` of a list command
//! that selects only `ID` (§1.4: the server always counts), 50 such
//! commands to a `batch`. Each bar counts what clicking it shows: the
//! current filters with the bar's filter set in its slot (so a chart is a
//! facet: the template chart under a Template filter still shows every
//! template, the chosen one marked).
//!
//! Its requests ([`plan`]): one per 50 templates for the per-template
//! counts, one chained read of up to 2,500 rows for the starters, and,
//! once the template counts are in, one for the ages, the document kinds
//! and the stuck / idle split of the top ten templates. Three requests on
//! a portal with up to 50 templates; the first two go together.
//!
//! The people who start workflows are too many to count one by one, so
//! the starters chart counts the people in the first 2,500 workflows (ID
//! order, the oldest first); under 2,500 that is every workflow, and the
//! chart says which it is.

pub mod flow;
pub mod model;
pub mod plan;

#[cfg(test)]
mod tests;
