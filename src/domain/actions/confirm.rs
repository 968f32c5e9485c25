//! What the confirmation states about the set it acts on: the exact
//! count, the top templates with their counts and "and N more", the
//! oldest and newest start; and the typed count a delete of more than
//! one workflow asks for.

use std::collections::HashMap;

use crate::domain::methods::instances::{TemplateId, WorkflowRow};
use crate::domain::time::instant::Timestamp;

/// How many templates the confirmation names.
pub const TOP_TEMPLATES: usize = 5;

/// The set, summed up for the confirmation.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Breakdown {
    /// How many workflows.
    pub count: usize,
    /// The templates with the most workflows (most first, then by id;
    /// `None`: rows without a template), at most [`TOP_TEMPLATES`].
    pub top: Vec<(Option<TemplateId>, usize)>,
    /// How many other templates there are.
    pub more_templates: usize,
    /// How many workflows those other templates hold.
    pub more_workflows: usize,
    /// The earliest start in the set, if any start is known.
    pub oldest: Option<Timestamp>,
    /// The latest start.
    pub newest: Option<Timestamp>,
}

/// Sums up `rows` (the re-listed set, each workflow once).
pub fn breakdown(rows: &[WorkflowRow]) -> Breakdown {
    let mut by_template: HashMap<Option<TemplateId>, usize> = HashMap::new();
    for row in rows {
        *by_template.entry(row.template_id).or_default() += 1;
    }
    // The top five by picking the largest five times (most first, then
    // by id): no sort for a list this short.
    let mut rest: Vec<(Option<TemplateId>, usize)> = by_template.into_iter().collect();
    let key = |e: &(Option<TemplateId>, usize)| (e.1, std::cmp::Reverse(e.0.map(|t| t.0)));
    let mut ranked = Vec::with_capacity(TOP_TEMPLATES);
    while ranked.len() < TOP_TEMPLATES {
        let Some(at) = (0..rest.len()).max_by_key(|i| key(&rest[*i])) else {
            break;
        };
        ranked.push(rest.swap_remove(at));
    }
    let starts = rows.iter().filter_map(|r| r.started);
    Breakdown {
        count: rows.len(),
        top: ranked,
        more_templates: rest.len(),
        more_workflows: rest.iter().map(|(_, n)| n).sum(),
        oldest: starts.clone().min_by_key(|t| t.unix_s),
        newest: starts.max_by_key(|t| t.unix_s),
    }
}

/// Whether `typed` is the count `n`, as the admin may write it: digits
/// with or without group separators (`2,345`, `2 345`, `2 345` with a
/// no-break space, `2.345`), spaces around.
pub fn typed_count_is(typed: &str, n: usize) -> bool {
    let typed = typed.trim();
    let mut digits = String::new();
    for c in typed.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ',' | '.' | ' ' | '\u{a0}' | '\u{202f}' | '\'' => {}
            _ => return false,
        }
    }
    // An empty or overlong number parses to nothing: never a match.
    digits.parse::<usize>().ok() == Some(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::methods::instances::WorkflowId;

    fn row(i: usize, template: Option<u64>, started: Option<i64>) -> WorkflowRow {
        WorkflowRow {
            id: WorkflowId::new(format!("wf{i}")),
            modified: None,
            owned_until: None,
            module_id: None,
            entity: None,
            document_id: None,
            started: started.map(|s| Timestamp {
                unix_s: s,
                offset_minutes: 180,
            }),
            started_by: None,
            template_id: template.map(TemplateId),
            unparsed: Vec::new(),
        }
    }

    #[test]
    fn the_top_five_templates_then_how_many_more() {
        // Template t holds t workflows (1..=7), and two rows have none.
        let mut rows = Vec::new();
        for t in 1..=7u64 {
            for _ in 0..t {
                rows.push(row(rows.len(), Some(t), Some(1_000 + rows.len() as i64)));
            }
        }
        rows.push(row(100, None, None));
        rows.push(row(101, None, Some(5)));
        let b = breakdown(&rows);
        assert_eq!(b.count, 30);
        let top: Vec<(Option<u64>, usize)> =
            b.top.iter().map(|(t, n)| (t.map(|t| t.0), *n)).collect();
        assert_eq!(
            top,
            [
                (Some(7), 7),
                (Some(6), 6),
                (Some(5), 5),
                (Some(4), 4),
                (Some(3), 3)
            ]
        );
        assert_eq!((b.more_templates, b.more_workflows), (3, 1 + 2 + 2));
        assert_eq!(b.oldest.map(|t| t.unix_s), Some(5));
        assert_eq!(b.newest.map(|t| t.unix_s), Some(1_027));
    }

    #[test]
    fn ties_rank_by_template_id_and_an_empty_set_has_nothing() {
        let rows = [row(0, Some(9), None), row(1, Some(2), None)];
        let b = breakdown(&rows);
        assert_eq!(b.top, [(Some(TemplateId(2)), 1), (Some(TemplateId(9)), 1)]);
        assert_eq!(b.oldest, None);
        assert_eq!(breakdown(&[]), Breakdown::default());
    }

    #[test]
    fn the_typed_count_is_read_as_people_write_numbers() {
        for typed in ["2345", "2,345", "2 345", "2\u{a0}345", " 2.345 ", "02345"] {
            assert!(typed_count_is(typed, 2345), "{typed:?}");
        }
        for typed in [
            "",
            "234",
            "23456",
            "2345a",
            "-2345",
            "2345 workflows",
            "２３４５",
        ] {
            assert!(!typed_count_is(typed, 2345), "{typed:?}");
        }
        assert!(typed_count_is("0", 0));
        assert!(!typed_count_is(",", 0));
    }
}
