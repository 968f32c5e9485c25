//! The selection: explicit rows, or every workflow matching the filters.
//!
//! Explicit rows survive paging, sorting and page-size changes (they are
//! ids, not positions); a change of the filters clears the selection, and
//! says so, since what matched before may not match now. "All matching"
//! is the filters themselves, resolved from the portal right before the
//! confirmation, never from the rows on screen.

use std::collections::HashSet;

use crate::domain::methods::instances::WorkflowId;
use crate::domain::table::filters::Filters;

/// What the admin selected.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Selection {
    /// Nothing.
    #[default]
    Empty,
    /// These workflows, whatever page they were picked on.
    Rows(HashSet<WorkflowId>),
    /// Every workflow that matches `filters`; `total` is what the list
    /// said when the admin chose it (the recheck tells the real set).
    AllMatching {
        /// The filters the set is made of.
        filters: Filters,
        /// The list's total at the choice.
        total: u64,
    },
}

/// The header checkbox of a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageCheck {
    /// No row of the page is selected.
    None,
    /// Some rows are (the checkbox is "mixed").
    Some,
    /// Every row is.
    All,
}

impl Selection {
    /// Whether `id` is selected.
    pub fn contains(&self, id: &WorkflowId) -> bool {
        match self {
            Selection::Empty => false,
            Selection::Rows(ids) => ids.contains(id),
            Selection::AllMatching { .. } => true,
        }
    }

    /// How many workflows are selected (for "all matching", the list's
    /// total when chosen).
    pub fn count(&self) -> u64 {
        match self {
            Selection::Empty => 0,
            Selection::Rows(ids) => ids.len() as u64,
            Selection::AllMatching { total, .. } => *total,
        }
    }

    /// Nothing is selected.
    pub fn is_empty(&self) -> bool {
        self.count() == 0
    }

    /// Toggles `id`, a row of `page`. Unticking a row while "all
    /// matching" is chosen leaves the rest of that page selected: the
    /// admin sees exactly what stays ticked.
    pub fn toggle(&mut self, id: &WorkflowId, page: &[WorkflowId]) {
        let mut ids = match std::mem::take(self) {
            Selection::Rows(ids) => ids,
            Selection::Empty => HashSet::new(),
            Selection::AllMatching { .. } => page.iter().cloned().collect(),
        };
        if !ids.remove(id) {
            ids.insert(id.clone());
        }
        *self = Selection::from_rows(ids);
    }

    /// The header checkbox: selects every row of `page`, or, when all
    /// of them already are, unselects them (rows of other pages stay).
    pub fn toggle_page(&mut self, page: &[WorkflowId]) {
        let all = self.page_check(page) == PageCheck::All;
        let mut ids = match std::mem::take(self) {
            Selection::Rows(ids) => ids,
            Selection::Empty | Selection::AllMatching { .. } => HashSet::new(),
        };
        for id in page {
            if all {
                ids.remove(id);
            } else {
                ids.insert(id.clone());
            }
        }
        *self = Selection::from_rows(ids);
    }

    /// The state of the header checkbox for `page`.
    pub fn page_check(&self, page: &[WorkflowId]) -> PageCheck {
        let selected = page.iter().filter(|id| self.contains(id)).count();
        match selected {
            0 => PageCheck::None,
            n if n == page.len() => PageCheck::All,
            _ => PageCheck::Some,
        }
    }

    /// The number to offer in "Select all N matching": when every row of
    /// `page` is selected and more than those match (`total`).
    pub fn offer_all_matching(&self, page: &[WorkflowId], total: u64) -> Option<u64> {
        let more = total > page.len() as u64;
        let offered = matches!(self, Selection::Rows(_))
            && !page.is_empty()
            && self.page_check(page) == PageCheck::All
            && more;
        offered.then_some(total)
    }

    /// Chooses every workflow matching `filters` (`total` of them now).
    pub fn select_all_matching(&mut self, filters: Filters, total: u64) {
        *self = if total == 0 {
            Selection::Empty
        } else {
            Selection::AllMatching { filters, total }
        };
    }

    /// Clears the selection.
    pub fn clear(&mut self) {
        *self = Selection::Empty;
    }

    /// The view's filters became `filters`. A selection made under other
    /// filters is cleared; returns how many were unselected, for the
    /// admin's notice (`None` when nothing changed).
    pub fn filters_changed(&mut self, before: &Filters, filters: &Filters) -> Option<u64> {
        if before == filters || self.is_empty() {
            return None;
        }
        let dropped = self.count();
        self.clear();
        Some(dropped)
    }

    fn from_rows(ids: HashSet<WorkflowId>) -> Selection {
        if ids.is_empty() {
            Selection::Empty
        } else {
            Selection::Rows(ids)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::methods::instances::UserId;
    use crate::domain::table::filters::Filter;

    fn ids(range: std::ops::Range<u32>) -> Vec<WorkflowId> {
        range.map(|i| WorkflowId::new(format!("wf{i}"))).collect()
    }

    /// Filters other than none: started by the system.
    fn stuck() -> Filters {
        let mut f = Filters::new();
        f.set(Filter::StartedBy(UserId(0)));
        f
    }

    #[test]
    fn rows_are_toggled_one_by_one_and_survive_other_pages() {
        let first = ids(0..50);
        let second = ids(50..100);
        let mut s = Selection::default();
        s.toggle(&first[3], &first);
        s.toggle(&first[7], &first);
        assert_eq!(s.count(), 2);
        assert_eq!(s.page_check(&first), PageCheck::Some);
        // Another page (paging, sorting, page size): nothing of it is
        // selected, and the first page's picks stay.
        assert_eq!(s.page_check(&second), PageCheck::None);
        s.toggle(&second[0], &second);
        assert_eq!(s.count(), 3);
        s.toggle(&first[3], &first);
        assert!(!s.contains(&first[3]));
        assert!(s.contains(&first[7]) && s.contains(&second[0]));
    }

    #[test]
    fn the_header_box_selects_the_page_then_unselects_only_it() {
        let first = ids(0..50);
        let second = ids(50..100);
        let mut s = Selection::default();
        s.toggle(&second[1], &second);
        s.toggle_page(&first);
        assert_eq!(s.page_check(&first), PageCheck::All);
        assert_eq!(s.count(), 51);
        s.toggle_page(&first);
        assert_eq!(s.page_check(&first), PageCheck::None);
        assert_eq!(s, Selection::Rows([second[1].clone()].into()));
        s.toggle(&second[1], &second);
        assert_eq!(s, Selection::Empty, "nothing left is nothing");
    }

    #[test]
    fn all_matching_is_offered_for_a_whole_page_of_a_longer_list() {
        let page = ids(0..50);
        let mut s = Selection::default();
        assert_eq!(s.offer_all_matching(&page, 3000), None);
        s.toggle_page(&page);
        assert_eq!(
            s.offer_all_matching(&page, 50),
            None,
            "nothing more matches"
        );
        assert_eq!(s.offer_all_matching(&page, 3000), Some(3000));
        s.select_all_matching(stuck(), 3000);
        assert_eq!(s.count(), 3000);
        assert!(s.contains(&WorkflowId::new("not on screen")));
        assert_eq!(s.offer_all_matching(&page, 3000), None, "already chosen");
        // Unticking one row keeps the rest of the page, explicitly.
        s.toggle(&page[0], &page);
        assert_eq!(s.count(), 49);
        assert!(!s.contains(&page[0]) && s.contains(&page[1]));
        s.select_all_matching(stuck(), 0);
        assert!(s.is_empty());
    }

    #[test]
    fn a_filter_change_clears_the_selection_and_says_how_many() {
        let page = ids(0..10);
        let mut s = Selection::default();
        s.toggle(&page[2], &page);
        s.toggle(&page[4], &page);
        let before = Filters::default();
        assert_eq!(s.filters_changed(&before, &before), None, "same filters");
        assert_eq!(s.count(), 2);
        assert_eq!(s.filters_changed(&before, &stuck()), Some(2));
        assert!(s.is_empty());
        assert_eq!(
            s.filters_changed(&stuck(), &before),
            None,
            "nothing to clear"
        );
    }
}
