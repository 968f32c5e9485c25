//! Page sizes and page arithmetic: which rows a page holds, the last page
//! for a total, "Showing 51–100 of 2,345", jump-to-page input, and whether
//! the total moved while the admin was paging.
//!
//! The server returns at most 50 rows per call (§1.2), so a larger page is
//! several `start` offsets fetched in one batch (`domain::table::view`).

use thiserror::Error;

use crate::domain::i18n::{fill, Lang};

use crate::domain::methods::instances::PAGE_SIZE;

/// Rows per page, as offered under "Rows per page".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum PageSize {
    /// 50 rows: one call.
    #[default]
    Fifty,
    /// 100 rows: a batch of 2.
    Hundred,
    /// 200 rows: a batch of 4.
    TwoHundred,
    /// 500 rows: a batch of 10.
    FiveHundred,
}

impl PageSize {
    /// All sizes, smallest first.
    pub const ALL: [PageSize; 4] = [
        PageSize::Fifty,
        PageSize::Hundred,
        PageSize::TwoHundred,
        PageSize::FiveHundred,
    ];

    /// Rows per page.
    pub fn rows(self) -> u64 {
        match self {
            PageSize::Fifty => 50,
            PageSize::Hundred => 100,
            PageSize::TwoHundred => 200,
            PageSize::FiveHundred => 500,
        }
    }

    /// Server calls per page (each returns at most 50 rows).
    pub fn calls(self) -> u64 {
        self.rows() / PAGE_SIZE
    }

    /// The option text and value: `"50"`, `"100"`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            PageSize::Fifty => "50",
            PageSize::Hundred => "100",
            PageSize::TwoHundred => "200",
            PageSize::FiveHundred => "500",
        }
    }

    /// The size for an option value (`"200"`); `None` for anything else.
    pub fn parse(text: &str) -> Option<PageSize> {
        PageSize::ALL
            .into_iter()
            .find(|p| p.as_str() == text.trim())
    }
}

/// The largest page number the app will use; keeps `start` arithmetic far
/// from overflow whatever a URL says.
pub const MAX_PAGE: u64 = 1_000_000;

/// The last page for `total` rows: at least 1 (an empty list has one,
/// empty, page).
pub fn last_page(total: u64, size: PageSize) -> u64 {
    total.div_ceil(size.rows()).clamp(1, MAX_PAGE)
}

/// The offset of page `page`'s first row (pages count from 1).
pub fn page_start(page: u64, size: PageSize) -> u64 {
    page.clamp(1, MAX_PAGE).saturating_sub(1) * size.rows()
}

/// Which rows are on screen, for "Showing 51–100 of 2,345".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Showing {
    /// The first row's number (1-based); 0 when the page is empty.
    pub first: u64,
    /// The last row's number; 0 when the page is empty.
    pub last: u64,
    /// All matching rows.
    pub total: u64,
}

impl Showing {
    /// For a page starting at offset `start` that holds `rows` rows.
    pub fn new(start: u64, rows: u64, total: u64) -> Showing {
        if rows == 0 {
            return Showing {
                first: 0,
                last: 0,
                total,
            };
        }
        Showing {
            first: start + 1,
            last: start + rows,
            total: total.max(start + rows),
        }
    }

    /// `Showing 51–100 of 2,345`; `No workflows` when nothing matches;
    /// `No workflows on this page (2,345 in all)` past the end; numbers
    /// grouped as `lang` groups them.
    pub fn text(&self, lang: Lang) -> String {
        let t = lang.texts();
        let total = lang.number(self.total);
        match (self.first, self.total) {
            (0, 0) => t.no_workflows.to_owned(),
            (0, _) => fill(t.no_workflows_on_this_page, &[("total", &total)]),
            _ => fill(
                t.showing,
                &[
                    ("first", &lang.number(self.first)),
                    ("last", &lang.number(self.last)),
                    ("total", &total),
                ],
            ),
        }
    }
}

/// Why jump-to-page text is not a page number.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PageInputError {
    /// Empty, or not a whole number.
    #[error("enter a page number")]
    NotANumber,
}

/// The page for jump-to-page text, clamped to `1..=last`: `"0"` is 1,
/// `"999"` past the end is the last page. Whitespace and digit grouping
/// (`1,234`, `1 234`) are accepted.
pub fn parse_page_input(text: &str, last: u64) -> Result<u64, PageInputError> {
    let digits: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ',' && *c != '\u{a0}')
        .collect();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(PageInputError::NotANumber);
    }
    // Too many digits for u64 is simply "past the end".
    let page = digits.parse::<u64>().unwrap_or(u64::MAX);
    Ok(page.clamp(1, last.max(1)))
}

/// The total moved between two pages of the same list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TotalChange {
    /// The total the admin saw before.
    pub before: u64,
    /// The total now.
    pub after: u64,
}

impl TotalChange {
    /// Whether to tell the admin: `previous` is the total of the page they
    /// were reading (`None` for a first load or after the sort or filters
    /// changed, when a new total is expected); `current` the new answer's.
    pub fn detect(previous: Option<u64>, current: u64) -> Option<TotalChange> {
        let before = previous?;
        (before != current).then_some(TotalChange {
            before,
            after: current,
        })
    }

    /// For an `aria-live` notice.
    pub fn message(&self, lang: Lang) -> String {
        let t = lang.texts();
        let n = self.after.abs_diff(self.before);
        let change = if self.after > self.before {
            lang.plural(n, &t.workflows_started)
        } else {
            lang.plural(n, &t.workflows_ended)
        };
        fill(
            t.list_changed,
            &[("change", &change), ("total", &lang.number(self.after))],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_sizes_are_whole_numbers_of_server_pages() {
        let calls: Vec<u64> = PageSize::ALL.iter().map(|p| p.calls()).collect();
        assert_eq!(calls, [1, 2, 4, 10]);
        for p in PageSize::ALL {
            assert_eq!(PageSize::parse(p.as_str()), Some(p));
        }
        assert_eq!(PageSize::parse("75"), None);
    }

    #[test]
    fn last_page_is_at_least_one() {
        assert_eq!(last_page(0, PageSize::Fifty), 1);
        assert_eq!(last_page(50, PageSize::Fifty), 1);
        assert_eq!(last_page(51, PageSize::Fifty), 2);
        assert_eq!(last_page(2_345, PageSize::Hundred), 24);
        assert_eq!(last_page(u64::MAX, PageSize::Fifty), MAX_PAGE);
    }

    #[test]
    fn groups_thousands_with_commas() {
        assert_eq!(Lang::En.number(2_345), "2,345");
        let s = Showing::new(1_000, 50, 1_234_567);
        assert_eq!(s.text(Lang::En), "Showing 1,001–1,050 of 1,234,567");
        assert_eq!(
            s.text(Lang::Ru),
            "Показаны 1\u{a0}001–1\u{a0}050 из 1\u{a0}234\u{a0}567"
        );
    }
}
