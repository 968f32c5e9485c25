//! Page sizes and page arithmetic: which rows a page holds, the last page
//! for a total, "Showing 51–100 of 2,345", jump-to-page input, and whether
//! the total moved while the admin was paging.
//!
//! The server returns at most 50 rows per call (§1.2), so a larger page is
//! several `start` offsets fetched in one batch (`domain::view`).

use thiserror::Error;

use super::workflows::PAGE_SIZE;

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

/// `2345` → `"2,345"` (English digit grouping).
pub fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
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

    /// `51`.
    pub fn first_text(&self) -> String {
        group_thousands(self.first)
    }

    /// `100`.
    pub fn last_text(&self) -> String {
        group_thousands(self.last)
    }

    /// `2,345`.
    pub fn total_text(&self) -> String {
        group_thousands(self.total)
    }

    /// `Showing 51–100 of 2,345`; `No workflows` when nothing matches;
    /// `No workflows on this page (2,345 in all)` past the end.
    pub fn text(&self) -> String {
        match (self.first, self.total) {
            (0, 0) => "No workflows".to_owned(),
            (0, _) => format!("No workflows on this page ({} in all)", self.total_text()),
            _ => format!(
                "Showing {}–{} of {}",
                self.first_text(),
                self.last_text(),
                self.total_text()
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
    pub fn message(&self) -> String {
        let grew = self.after > self.before;
        let n = self.after.abs_diff(self.before);
        let what = match (grew, n == 1) {
            (true, true) => "workflow started",
            (true, false) => "workflows started",
            (false, true) => "workflow ended or was removed",
            (false, false) => "workflows ended or were removed",
        };
        format!(
            "The list changed while you were reading: {} {what}; there are now {} in all. Rows may have moved between pages.",
            group_thousands(n),
            group_thousands(self.after)
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
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(2_345), "2,345");
        assert_eq!(group_thousands(1_234_567), "1,234,567");
    }
}
