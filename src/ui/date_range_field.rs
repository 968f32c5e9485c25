//! A date range filter (Started, Modified, Locked until): "From" and "To"
//! dates in the administrator's own time zone. Either end may stay open;
//! clearing both removes the filter.

use leptos::prelude::*;

use crate::domain::i18n::{fill, Lang};
use crate::domain::table::filters::{
    span_text, DateBound, DateRange, Filter, FilterError, FilterKind, WallTime,
};
use crate::ui::filters_bar::FilterChange;
use crate::ui::i18n::lang;

/// The range a date filter holds; `None` for the other kinds.
pub fn range_of(filter: &Filter) -> Option<DateRange> {
    match filter {
        Filter::Started(r) | Filter::Modified(r) | Filter::LockedUntil(r) => Some(*r),
        _ => None,
    }
}

/// The date filter of `kind` holding `range`; `None` for kinds that are
/// not date ranges.
pub fn range_filter(kind: FilterKind, range: DateRange) -> Option<Filter> {
    match kind {
        FilterKind::Started => Some(Filter::Started(range)),
        FilterKind::Modified => Some(Filter::Modified(range)),
        FilterKind::LockedUntil => Some(Filter::LockedUntil(range)),
        _ => None,
    }
}

/// An `<input type="date">` value as a bound: empty is an open end.
pub fn parse_bound(value: &str) -> Result<Option<DateBound>, FilterError> {
    if value.trim().is_empty() {
        return Ok(None);
    }
    WallTime::parse(value).map(|w| Some(DateBound::At(w)))
}

/// The input's value for a bound. A relative bound (a preset's "30 days
/// ago") has no fixed date: the input stays empty and [`bound_note`] says it.
pub fn bound_value(bound: Option<DateBound>) -> String {
    match bound {
        Some(DateBound::At(w)) => w.to_input_value(),
        _ => String::new(),
    }
}

/// `30 days ago` for a relative bound.
pub fn bound_note(bound: Option<DateBound>, lang: Lang) -> Option<String> {
    match bound {
        Some(DateBound::Ago(s)) => Some(fill(
            lang.texts().range_ago,
            &[("span", &span_text(s, lang))],
        )),
        _ => None,
    }
}

/// Which end of the range an input edits.
#[derive(Clone, Copy, PartialEq, Eq)]
enum End {
    From,
    To,
}

/// A fieldset named after the column, with "From" and "To" dates.
#[component]
pub fn DateRangeField(
    /// `Started`, `Modified` or `LockedUntil`.
    kind: FilterKind,
    /// Applies changes.
    change: FilterChange,
) -> impl IntoView {
    let lang = lang();
    let range = Memo::new(move |_| {
        change
            .current(kind)
            .as_ref()
            .and_then(range_of)
            .unwrap_or_default()
    });
    let error = RwSignal::new(None::<String>);
    let edit = move |end: End, value: String| {
        let bound = match parse_bound(&value) {
            Ok(b) => b,
            Err(e) => {
                error.set(Some(e.message(lang)));
                return;
            }
        };
        error.set(None);
        let mut r = range.get_untracked();
        match end {
            End::From => r.from = bound,
            End::To => r.to = bound,
        }
        let Some(filter) = range_filter(kind, r) else {
            return;
        };
        // An open range is void: setting it removes the filter.
        change.set(filter);
    };
    let input = move |end: End, label: &'static str| {
        let value = move || {
            let r = range.get();
            bound_value(if end == End::From { r.from } else { r.to })
        };
        let note = move || {
            let r = range.get();
            bound_note(if end == End::From { r.from } else { r.to }, lang)
        };
        view! {
            <label class="wm-range__end">
                <span class="wm-field__label">{label}</span>
                <input
                    class="wm-input"
                    type="date"
                    prop:value=value
                    on:change=move |ev| edit(end, event_target_value(&ev))
                />
                <span class="wm-range__note">{note}</span>
            </label>
        }
    };
    view! {
        <fieldset class="wm-field wm-range">
            <legend class="wm-field__label">{kind.name(lang.texts())}</legend>
            <div class="wm-range__ends">{input(End::From, lang.texts().range_from_label)} {input(End::To, lang.texts().range_to_label)}</div>
            <p class="wm-field__error" role="alert">{move || error.get()}</p>
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_dates_are_open_ends_and_bad_ones_are_errors() {
        assert_eq!(parse_bound(""), Ok(None));
        let Ok(Some(b)) = parse_bound("2025-01-31") else {
            panic!("a date");
        };
        assert_eq!(bound_value(Some(b)), "2025-01-31");
        assert!(parse_bound("2025-02-30").is_err());
    }

    #[test]
    fn a_presets_relative_end_is_described_not_shown_as_a_date() {
        let r = range_of(&crate::domain::table::filters::Preset::OlderThan30Days.filter())
            .expect("a range");
        assert_eq!(bound_value(r.to), "");
        assert_eq!(bound_note(r.to, Lang::En).as_deref(), Some("30 days ago"));
        assert_eq!(bound_note(r.to, Lang::Ru).as_deref(), Some("30 дней назад"));
        assert_eq!(bound_note(r.from, Lang::En), None);
    }

    #[test]
    fn clearing_both_ends_makes_a_void_filter_that_removes_itself() {
        let f = range_filter(FilterKind::Modified, DateRange::default()).expect("a filter");
        assert!(f.is_void());
        assert_eq!(
            range_filter(FilterKind::Template, DateRange::default()),
            None
        );
    }
}
