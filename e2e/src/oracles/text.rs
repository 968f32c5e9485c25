//! Texts and instants the tests expect, computed on their own (not with
//! the app's code): grouped numbers, the pager's line, dates, spans.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};

/// `2345` → `2,345`.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `Showing 51–100 of 2,345`.
pub fn showing(first: u64, last: u64, total: u64) -> String {
    format!(
        "Showing {}–{} of {}",
        grouped(first),
        grouped(last),
        grouped(total)
    )
}

/// Unix seconds of midnight UTC of `YYYY-MM-DD`.
pub fn date_to_unix(date: &str) -> Option<i64> {
    let day = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").ok()?;
    Some(day.and_time(NaiveTime::MIN).and_utc().timestamp())
}

/// Unix seconds of an ISO 8601 instant `YYYY-MM-DDTHH:MM:SS` (fractions
/// allowed) followed by `Z`, `±HH:MM`, `±HH` or nothing for UTC (what the
/// app sends and the portal returns).
pub fn iso_to_unix(iso: &str) -> Option<i64> {
    let iso = iso.trim();
    DateTime::parse_from_rfc3339(iso)
        .or_else(|_| DateTime::parse_from_str(iso, "%Y-%m-%dT%H:%M:%S%.f%#z"))
        .map(|instant| instant.timestamp())
        .or_else(|_| {
            NaiveDateTime::parse_from_str(iso, "%Y-%m-%dT%H:%M:%S%.f")
                .map(|instant| instant.and_utc().timestamp())
        })
        .ok()
}

/// Unix seconds now, by the machine's clock (the browser's too).
pub fn unix_now() -> i64 {
    Utc::now().timestamp()
}

/// `unix_s` as ISO 8601 in UTC (`2026-01-01T00:00:00+00:00`), the form the
/// portal reads in a FILTER; empty for an instant chrono cannot represent
/// (hundreds of thousands of years away), which no portal accepts either.
pub fn iso_utc(unix_s: i64) -> String {
    DateTime::from_timestamp(unix_s, 0)
        .map(|instant| instant.format("%Y-%m-%dT%H:%M:%S+00:00").to_string())
        .unwrap_or_default()
}

/// A span as the app writes it in English, largest whole unit, rounded
/// down: `45 s`, `3 min`, `23 h`, `6 d`, `2 y` (an implementation of its
/// own, to check the app's).
pub fn span_en(seconds: i64) -> String {
    let s = seconds.max(0);
    let (n, unit) = match s {
        s if s < 60 => (s, "s"),
        s if s < 3_600 => (s / 60, "min"),
        s if s < 86_400 => (s / 3_600, "h"),
        s if s < 365 * 86_400 => (s / 86_400, "d"),
        s => (s / (365 * 86_400), "y"),
    };
    format!("{} {unit}", grouped(n as u64))
}

/// The records of a CSV text (RFC 4180: quoted cells may hold the
/// separator, quotes doubled, and line ends).
pub fn csv_records(text: &str, sep: char) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') if cell.is_empty() => quoted = true,
            (false, c) if c == sep => record.push(std::mem::take(&mut cell)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                record.push(std::mem::take(&mut cell));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => cell.push(c),
        }
    }
    if !cell.is_empty() || !record.is_empty() {
        record.push(cell);
        records.push(record);
    }
    records
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_iso_instants_in_any_offset() {
        assert_eq!(iso_to_unix("2026-01-01T00:00:00Z"), Some(1_767_225_600));
        assert_eq!(
            iso_to_unix("2026-01-01T03:00:00+03:00"),
            Some(1_767_225_600)
        );
        assert_eq!(
            iso_to_unix("2025-12-31T19:00:00-05:00"),
            Some(1_767_225_600)
        );
        assert_eq!(iso_to_unix("yesterday"), None);
        assert_eq!(
            iso_to_unix("2026-01-01T03:00:00.250+03"),
            Some(1_767_225_600)
        );
        assert_eq!(iso_to_unix("2026-01-01T00:00:00"), Some(1_767_225_600));
    }

    #[test]
    fn writes_and_reads_dates_in_utc() {
        assert_eq!(iso_utc(1_767_225_600), "2026-01-01T00:00:00+00:00");
        assert_eq!(iso_utc(951_782_400 + 3_661), "2000-02-29T01:01:01+00:00");
        assert_eq!(date_to_unix("2026-01-01"), Some(1_767_225_600));
        assert_eq!(date_to_unix("2026-02-30"), None);
        assert_eq!(iso_to_unix(&iso_utc(1_234_567_890)), Some(1_234_567_890));
    }

    #[test]
    fn showing_groups_thousands_with_an_en_dash() {
        assert_eq!(showing(51, 100, 2345), "Showing 51–100 of 2,345");
        assert_eq!(grouped(300), "300");
        assert_eq!(grouped(1_000_000), "1,000,000");
    }
}
