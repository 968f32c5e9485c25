//! Dates and spans for people: the table's Started, Modified and Locked
//! until cells in the administrator's time zone and language, a relative
//! form ("3 h ago", "in 2 min"), and the Age and Idle spans.
//!
//! Everything is offset arithmetic on Unix seconds: the administrator's
//! offset comes in a [`TimeContext`] (read once by the UI), each portal
//! value keeps its own offset for the exact form. No time-zone database,
//! so no daylight-saving rules to get wrong: the offset in force when the
//! page was shown is the one used for every row of it.

use crate::domain::i18n::{fill, Lang, Plural};
use crate::domain::methods::instances::{Field, WorkflowRow};
use crate::domain::time::instant::{Civil, Timestamp};
use crate::domain::time::TimeContext;

const MINUTE: u64 = 60;
const HOUR: u64 = 3_600;
const DAY: u64 = 86_400;
/// A year of the relative form: 365 days (an approximation for people;
/// "1 y" never claims a calendar year).
const YEAR: u64 = 365 * DAY;

/// `seconds` in its largest whole unit, rounded down: `45 s`, `3 min`,
/// `23 h`, `6 d`, `2 y`; Russian `3 ч`, `5 дней`, `2 года`.
pub fn span_text(seconds: u64, lang: Lang) -> String {
    let t = lang.texts();
    let (n, forms): (u64, &Plural) = match seconds {
        s if s < MINUTE => (s, &t.short_seconds),
        s if s < HOUR => (s / MINUTE, &t.short_minutes),
        s if s < DAY => (s / HOUR, &t.short_hours),
        s if s < YEAR => (s / DAY, &t.short_days),
        s => (s / YEAR, &t.short_years),
    };
    lang.plural(n, forms)
}

/// `instant` seen from `now` (both Unix seconds): `3 h ago`, `in 2 min`,
/// `just now`; Russian `3 ч назад`, `через 2 мин`.
pub fn relative_text(instant: i64, now: i64, lang: Lang) -> String {
    let t = lang.texts();
    // i128: the difference of two far-apart i64 instants does not fit i64.
    let diff = i128::from(instant) - i128::from(now);
    let span = u64::try_from(diff.unsigned_abs()).unwrap_or(u64::MAX);
    match diff {
        0 => t.rel_now.to_owned(),
        d if d < 0 => fill(t.rel_past, &[("span", &span_text(span, lang))]),
        _ => fill(t.rel_future, &[("span", &span_text(span, lang))]),
    }
}

/// The instant on the wall clock of `offset_minutes`, to the minute, in
/// the language's usual form: `Nov 28, 2026, 14:05` in English,
/// `28.11.2026, 14:05` in Russian. The year is always written, so every
/// date reads the same way whatever its year.
pub fn absolute_text(unix_s: i64, offset_minutes: i32, lang: Lang) -> String {
    let c = Civil::at(unix_s, offset_minutes);
    let year = if c.year >= 0 {
        format!("{:04}", c.year)
    } else {
        c.year.to_string()
    };
    let time = format!("{:02}:{:02}", c.hour, c.minute);
    match lang {
        Lang::En => {
            let month = lang
                .texts()
                .months_short
                .split_whitespace()
                .nth(c.month as usize - 1)
                .unwrap_or_default();
            format!("{month} {}, {year}, {time}", c.day)
        }
        Lang::Ru => format!("{:02}.{:02}.{year}, {time}", c.day, c.month),
    }
}

/// A readable date value, in every form the cell needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateText {
    /// In the admin's zone: `Nov 28, 2026, 14:05`.
    pub absolute: String,
    /// From now: `3 h ago`.
    pub relative: String,
    /// As the portal wrote it, with the portal's offset:
    /// `2026-11-28T14:05:09+03:00` (also the `datetime` attribute).
    pub exact: String,
}

impl DateText {
    /// The forms of `t` for an admin at `ctx`.
    pub fn of(t: Timestamp, ctx: TimeContext, lang: Lang) -> DateText {
        DateText {
            absolute: absolute_text(t.unix_s, ctx.offset_minutes, lang),
            relative: relative_text(t.unix_s, ctx.now, lang),
            exact: t.to_iso8601(),
        }
    }
}

/// A date field of a row, as far as it could be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateValue {
    /// No value (`OWNED_UNTIL` null: not locked; or not sent).
    Empty,
    /// A date the app read.
    Stamp(Timestamp),
    /// Text the portal sent that is not a date the app can read: shown as
    /// it came, never guessed at.
    Raw(String),
}

impl DateValue {
    /// Its text forms for an admin at `ctx`, when it is a date.
    pub fn text(&self, ctx: TimeContext, lang: Lang) -> Option<DateText> {
        match self {
            DateValue::Stamp(t) => Some(DateText::of(*t, ctx, lang)),
            DateValue::Empty | DateValue::Raw(_) => None,
        }
    }
}

/// The date of `field` (Started, Modified, Locked until) of `row`; any
/// other field is [`DateValue::Empty`].
pub fn date_value(row: &WorkflowRow, field: Field) -> DateValue {
    let value = match field {
        Field::Started => row.started,
        Field::Modified => row.modified,
        Field::OwnedUntil => row.owned_until,
        _ => return DateValue::Empty,
    };
    match (value, row.unparsed(field)) {
        (Some(t), _) => DateValue::Stamp(t),
        (None, Some(raw)) => DateValue::Raw(raw.to_owned()),
        (None, None) => DateValue::Empty,
    }
}

/// The time passed since `since` (the Age and Idle cells): `3 h`, `12 d`.
/// An instant after `now` (clocks that disagree) reads `in 2 min`, never
/// a negative age; no value reads `""`.
pub fn elapsed_text(since: Option<Timestamp>, now: i64, lang: Lang) -> String {
    let Some(t) = since else {
        return String::new();
    };
    if t.unix_s > now {
        return relative_text(t.unix_s, now, lang);
    }
    span_text(now.abs_diff(t.unix_s), lang)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// 2026-11-28T14:05:09+03:00.
    const NOW: i64 = 1_795_863_909;

    fn ctx(offset_minutes: i32) -> TimeContext {
        TimeContext {
            now: NOW,
            offset_minutes,
        }
    }

    fn ts(text: &str) -> Timestamp {
        Timestamp::parse(text).expect(text)
    }

    #[test]
    fn spans_take_the_largest_whole_unit_in_each_language() {
        let cases: [(u64, &str, &str); 14] = [
            (0, "0 s", "0 с"),
            (59, "59 s", "59 с"),
            (60, "1 min", "1 мин"),
            (119, "1 min", "1 мин"),
            (3_599, "59 min", "59 мин"),
            (3_600, "1 h", "1 ч"),
            (86_399, "23 h", "23 ч"),
            (86_400, "1 d", "1 день"),
            (3 * 86_400, "3 d", "3 дня"),
            (5 * 86_400, "5 d", "5 дней"),
            (21 * 86_400, "21 d", "21 день"),
            (365 * 86_400 - 1, "364 d", "364 дня"),
            (2 * 365 * 86_400, "2 y", "2 года"),
            (1_000 * 365 * 86_400, "1,000 y", "1\u{a0}000 лет"),
        ];
        for (s, en, ru) in cases {
            assert_eq!(span_text(s, Lang::En), en, "{s}");
            assert_eq!(span_text(s, Lang::Ru), ru, "{s}");
        }
    }

    #[test]
    fn relative_forms_point_into_the_past_or_the_future() {
        let cases: [(i64, &str, &str); 7] = [
            (-3 * 3_600 - 59, "3 h ago", "3 ч назад"),
            (120, "in 2 min", "через 2 мин"),
            (0, "just now", "только что"),
            (-1, "1 s ago", "1 с назад"),
            (7 * 86_400, "in 7 d", "через 7 дней"),
            (-400 * 86_400, "1 y ago", "1 год назад"),
            (-31 * 86_400, "31 d ago", "31 день назад"),
        ];
        for (delta, en, ru) in cases {
            assert_eq!(relative_text(NOW + delta, NOW, Lang::En), en, "{delta}");
            assert_eq!(relative_text(NOW + delta, NOW, Lang::Ru), ru, "{delta}");
        }
        // The extremes of i64 do not overflow.
        assert!(relative_text(i64::MIN, i64::MAX, Lang::En).ends_with(" y ago"));
        assert!(relative_text(i64::MAX, i64::MIN, Lang::En).starts_with("in "));
    }

    #[test]
    fn absolute_dates_use_the_admins_offset_and_the_locales_form() {
        // (portal text, admin offset, English, Russian)
        let cases = [
            (
                "2026-11-28T14:05:09+03:00",
                180,
                "Nov 28, 2026, 14:05",
                "28.11.2026, 14:05",
            ),
            // The same instant for an admin in New York (-05:00).
            (
                "2026-11-28T14:05:09+03:00",
                -300,
                "Nov 28, 2026, 06:05",
                "28.11.2026, 06:05",
            ),
            // A UTC value for a Moscow admin crosses midnight and the year.
            (
                "2025-12-31T22:30:00Z",
                180,
                "Jan 1, 2026, 01:30",
                "01.01.2026, 01:30",
            ),
            // Half-hour offsets on both sides.
            (
                "2026-03-01T00:10:00+05:30",
                -210,
                "Feb 28, 2026, 15:10",
                "28.02.2026, 15:10",
            ),
            // Far past and far future.
            (
                "0001-01-01T00:00:00+00:00",
                0,
                "Jan 1, 0001, 00:00",
                "01.01.0001, 00:00",
            ),
            (
                "9999-12-31T23:59:59+00:00",
                840,
                "Jan 1, 10000, 13:59",
                "01.01.10000, 13:59",
            ),
        ];
        for (text, offset, en, ru) in cases {
            let t = ts(text);
            assert_eq!(absolute_text(t.unix_s, offset, Lang::En), en, "{text}");
            assert_eq!(absolute_text(t.unix_s, offset, Lang::Ru), ru, "{text}");
        }
    }

    #[test]
    fn dst_plays_no_part_one_offset_gives_evenly_spaced_wall_times() {
        // 2026-03-29 01:00Z is when Europe/Berlin moves to summer time;
        // with a fixed offset the wall clock simply keeps counting.
        let before = ts("2026-03-29T00:30:00Z").unix_s;
        let shown: Vec<String> = (0..3)
            .map(|h| absolute_text(before + h * 3_600, 60, Lang::Ru))
            .collect();
        assert_eq!(
            shown,
            [
                "29.03.2026, 01:30",
                "29.03.2026, 02:30",
                "29.03.2026, 03:30"
            ]
        );
    }

    #[test]
    fn rows_in_different_offsets_show_in_one_zone_and_keep_their_own_exact_text() {
        let body = json!([
            {"ID": "a", "STARTED": "2026-11-28T14:05:09+03:00"},
            {"ID": "b", "STARTED": "2026-11-28T06:05:09-05:00"},
            {"ID": "c", "STARTED": "2026-11-28T11:05:09Z"},
            {"ID": "d", "STARTED": "2026-11-28T11:35:09+00:30"}
        ]);
        let rows: Vec<WorkflowRow> = body
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(WorkflowRow::from_value)
            .collect();
        let texts: Vec<DateText> = rows
            .iter()
            .filter_map(|r| date_value(r, Field::Started).text(ctx(180), Lang::En))
            .collect();
        assert_eq!(texts.len(), 4);
        let exact: Vec<&str> = texts
            .iter()
            .map(|d| {
                assert_eq!(d.absolute, "Nov 28, 2026, 14:05");
                assert_eq!(d.relative, "just now");
                d.exact.as_str()
            })
            .collect();
        assert_eq!(
            exact,
            [
                "2026-11-28T14:05:09+03:00",
                "2026-11-28T06:05:09-05:00",
                "2026-11-28T11:05:09+00:00",
                "2026-11-28T11:35:09+00:30",
            ]
        );
    }

    #[test]
    fn unreadable_values_are_shown_raw_and_null_locks_empty() {
        let row = WorkflowRow::from_value(&json!({
            "ID": "x", "STARTED": "yesterday", "MODIFIED": 1_795_863_909,
            "OWNED_UNTIL": null
        }))
        .expect("row");
        let raw = date_value(&row, Field::Started);
        assert_eq!(raw, DateValue::Raw("yesterday".into()));
        assert_eq!(raw.text(ctx(0), Lang::Ru), None);
        assert_eq!(
            date_value(&row, Field::Modified),
            DateValue::Raw("1795863909".into())
        );
        assert_eq!(date_value(&row, Field::OwnedUntil), DateValue::Empty);
        assert_eq!(date_value(&row, Field::TemplateId), DateValue::Empty);
        assert_eq!(elapsed_text(row.started, NOW, Lang::En), "");
    }

    #[test]
    fn elapsed_time_is_a_span_and_a_future_start_says_so() {
        let started = ts("2026-11-25T14:05:09+03:00");
        assert_eq!(elapsed_text(Some(started), NOW, Lang::En), "3 d");
        assert_eq!(elapsed_text(Some(started), NOW, Lang::Ru), "3 дня");
        let ahead = Timestamp {
            unix_s: NOW + 90,
            offset_minutes: 180,
        };
        assert_eq!(elapsed_text(Some(ahead), NOW, Lang::En), "in 1 min");
        let same = Timestamp {
            unix_s: NOW,
            offset_minutes: 0,
        };
        assert_eq!(elapsed_text(Some(same), NOW, Lang::En), "0 s");
    }

    #[test]
    fn both_catalogues_name_twelve_months() {
        for lang in Lang::ALL {
            assert_eq!(lang.texts().months_short.split_whitespace().count(), 12);
        }
    }
}
