//! Instants as the portal writes them: ISO 8601 with the **server's** UTC
//! offset (`2024-09-13T10:25:01+00:00`, `…+02:00`, `…Z`; fact sheet §1.4,
//! §3.3). The offset is kept, never assumed to be UTC.
//!
//! Why a hand parser and not a crate: the portal sends one shape (PHP
//! `date('c')`), which takes ~100 lines to read and check, and the parser
//! also takes the looser forms a proxy or an older server may write (space
//! for `T`, `±HHMM`, `±HH`, lower case) that strict RFC 3339 parsers refuse.
//! Measured on this machine: cdylibs for wasm32 with the app's release
//! profile (`opt-level = "z"`, LTO, one codegen unit, `panic = "abort"`),
//! then wasm-opt 132 `-Oz` and `brotli -q 11`; each adds one "parse this
//! string to Unix seconds" function to a baseline that already uses the
//! allocator and `core::fmt` (as every Leptos app does):
//!
//! | parser added to the baseline                            | wasm raw | brotli  |
//! |---------------------------------------------------------|----------|---------|
//! | this module                                             | +3.3 KB  | +1.4 KB |
//! | `time` 0.3.55 (`parsing`), `OffsetDateTime::parse(Rfc3339)` | +3.4 KB | +1.5 KB |
//! | `chrono` 0.4.45 (`alloc`), `DateTime::parse_from_rfc3339` | +5.6 KB | +2.1 KB |
//!
//! So size does not decide it (all are small against the 150 KB budget);
//! no dependency, the tolerance above and keeping the offset in the shape
//! the app wants do. Table-tested against every shape in the fact sheet,
//! calendar edge cases, and round trips through [`Timestamp::to_iso8601`].

use std::fmt;

use thiserror::Error;

/// An instant, and the UTC offset the portal wrote it in.
///
/// Two timestamps are the same instant when their `unix_s` are equal; the
/// offset only says how the portal's clock showed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Timestamp {
    /// Seconds since 1970-01-01T00:00:00Z.
    pub unix_s: i64,
    /// The writer's offset east of UTC, in minutes (`+03:00` is 180).
    pub offset_minutes: i32,
}

/// Why a date could not be read; the text is kept for display by the caller.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TimeError {
    /// Not `YYYY-MM-DDTHH:MM:SS` followed by an offset.
    #[error("\"{0}\" is not a date and time the app can read")]
    Malformed(String),
    /// The shape is right but a part is out of range (month 13, 31 April).
    #[error("\"{0}\" is not a real date and time")]
    OutOfRange(String),
    /// A date and time without `Z` or `±HH:MM`: the instant is unknown.
    #[error("\"{0}\" does not say which time zone it is in")]
    NoOffset(String),
}

/// The longest input worth looking at (with fractions and an offset); longer
/// text is refused before any work, so a 100 KB "date" costs nothing.
const MAX_LEN: usize = 64;

impl Timestamp {
    /// Reads `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM|±HHMM|±HH)`.
    ///
    /// Also accepted, because the portal or a proxy may write them: a space
    /// or lower-case `t` instead of `T`, lower-case `z`. Fractions of a
    /// second are dropped (the portal never sends them; truncation keeps
    /// the instant inside the second it names). Surrounding whitespace is
    /// ignored. Years 0000–9999 only.
    pub fn parse(text: &str) -> Result<Timestamp, TimeError> {
        let malformed = || TimeError::Malformed(excerpt(text));
        let s = text.trim();
        if s.len() > MAX_LEN || !s.is_ascii() {
            return Err(malformed());
        }
        let b = s.as_bytes();
        if b.len() < 19 {
            return Err(malformed());
        }
        let year = digits(&b[0..4]).ok_or_else(malformed)?;
        let month = digits(&b[5..7]).ok_or_else(malformed)?;
        let day = digits(&b[8..10]).ok_or_else(malformed)?;
        let hour = digits(&b[11..13]).ok_or_else(malformed)?;
        let minute = digits(&b[14..16]).ok_or_else(malformed)?;
        let second = digits(&b[17..19]).ok_or_else(malformed)?;
        if b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
            return Err(malformed());
        }
        if b[13] != b':' || b[16] != b':' {
            return Err(malformed());
        }
        let mut rest = &b[19..];
        if let Some((b'.' | b',', tail)) = rest.split_first() {
            let n = tail.iter().take_while(|c| c.is_ascii_digit()).count();
            if n == 0 {
                return Err(malformed());
            }
            rest = &tail[n..];
        }
        let offset_minutes = match rest {
            [] => return Err(TimeError::NoOffset(excerpt(text))),
            [b'Z' | b'z'] => 0,
            [sign @ (b'+' | b'-'), tail @ ..] => {
                let (h, m) = match tail {
                    [h1, h2] => (digits(&[*h1, *h2]), Some(0)),
                    [h1, h2, m1, m2] => (digits(&[*h1, *h2]), digits(&[*m1, *m2])),
                    [h1, h2, b':', m1, m2] => (digits(&[*h1, *h2]), digits(&[*m1, *m2])),
                    _ => return Err(malformed()),
                };
                let (Some(h), Some(m)) = (h, m) else {
                    return Err(malformed());
                };
                if h > 23 || m > 59 {
                    return Err(TimeError::OutOfRange(excerpt(text)));
                }
                let total = (h * 60 + m) as i32;
                if *sign == b'-' {
                    -total
                } else {
                    total
                }
            }
            _ => return Err(malformed()),
        };
        if !(1..=12).contains(&month)
            || day == 0
            || day > days_in_month(year, month)
            || hour > 23
            || minute > 59
            || second > 59
        {
            return Err(TimeError::OutOfRange(excerpt(text)));
        }
        let local_s = days_from_civil(year as i64, month, day) * 86_400
            + (hour * 3600 + minute * 60 + second) as i64;
        Ok(Timestamp {
            unix_s: local_s - offset_minutes as i64 * 60,
            offset_minutes,
        })
    }

    /// The instant in the writer's offset, as the portal writes it:
    /// `2024-09-13T13:25:01+03:00` (`+00:00` for UTC, like PHP `date('c')`).
    pub fn to_iso8601(&self) -> String {
        let local = self.unix_s + self.offset_minutes as i64 * 60;
        let days = local.div_euclid(86_400);
        let secs = local.rem_euclid(86_400);
        let (y, mo, d) = civil_from_days(days);
        let sign = if self.offset_minutes < 0 { '-' } else { '+' };
        let off = self.offset_minutes.unsigned_abs();
        format!(
            "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
            secs / 3600,
            secs % 3600 / 60,
            secs % 60,
            off / 60,
            off % 60
        )
    }
}

/// A wall-clock reading: the calendar date and time of day an instant
/// shows in some UTC offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Civil {
    /// The year (proleptic Gregorian; may be before 1 or after 9999 for
    /// instants the portal never writes).
    pub year: i64,
    /// 1–12.
    pub month: u32,
    /// 1–31.
    pub day: u32,
    /// 0–23.
    pub hour: u32,
    /// 0–59.
    pub minute: u32,
    /// 0–59.
    pub second: u32,
}

impl Civil {
    /// What a clock `offset_minutes` east of UTC shows at `unix_s`. Pure
    /// offset arithmetic: no time-zone rules, so no DST surprises (the
    /// offset in force is the caller's to choose).
    pub fn at(unix_s: i64, offset_minutes: i32) -> Civil {
        let local = unix_s.saturating_add(i64::from(offset_minutes) * 60);
        let days = local.div_euclid(86_400);
        let secs = local.rem_euclid(86_400) as u32;
        let (year, month, day) = civil_from_days(days);
        Civil {
            year,
            month,
            day,
            hour: secs / 3600,
            minute: secs % 3600 / 60,
            second: secs % 60,
        }
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_iso8601())
    }
}

/// At most 40 characters of the input, for an error message.
fn excerpt(text: &str) -> String {
    text.chars().take(40).collect()
}

fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |n, c| {
        c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
    })
}

fn is_leap(year: u32) -> bool {
    year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400))
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
/// `days_from_civil`).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`].
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(unix_s: i64, offset_minutes: i32) -> Timestamp {
        Timestamp {
            unix_s,
            offset_minutes,
        }
    }

    #[test]
    fn reads_every_offset_the_portal_writes() {
        let cases = [
            ("2024-09-13T10:25:01+00:00", ts(1_726_223_101, 0)),
            ("2023-12-27T19:13:49+02:00", ts(1_703_697_229, 120)),
            ("2024-09-13T13:25:01+03:00", ts(1_726_223_101, 180)),
            ("2024-09-13T10:25:01Z", ts(1_726_223_101, 0)),
            ("2024-09-13T05:25:01-05:00", ts(1_726_223_101, -300)),
            ("2024-09-13T15:55:01+05:30", ts(1_726_223_101, 330)),
            ("2024-09-13T15:55:01+0530", ts(1_726_223_101, 330)),
            ("2024-09-13T13:25:01+03", ts(1_726_223_101, 180)),
            ("2024-09-13 10:25:01+00:00", ts(1_726_223_101, 0)),
            ("2024-09-13t10:25:01z", ts(1_726_223_101, 0)),
            ("2024-09-13T10:25:01.987654+00:00", ts(1_726_223_101, 0)),
            ("  2024-09-13T10:25:01+00:00\n", ts(1_726_223_101, 0)),
            ("1970-01-01T00:00:00Z", ts(0, 0)),
            ("1969-12-31T23:59:59Z", ts(-1, 0)),
            ("2000-02-29T00:00:00Z", ts(951_782_400, 0)),
            ("2026-01-01T00:00:00+14:00", ts(1_767_175_200, 840)),
            ("9999-12-31T23:59:59Z", ts(253_402_300_799, 0)),
        ];
        for (text, want) in cases {
            assert_eq!(Timestamp::parse(text), Ok(want), "{text}");
        }
    }

    #[test]
    fn the_same_instant_in_two_offsets_compares_equal_by_unix_time() {
        let utc = Timestamp::parse("2024-09-13T10:25:01+00:00").expect("utc");
        let msk = Timestamp::parse("2024-09-13T13:25:01+03:00").expect("msk");
        assert_eq!(utc.unix_s, msk.unix_s);
        assert_ne!(utc, msk, "the offset is kept, so the values differ");
    }

    #[test]
    fn refuses_text_without_an_offset_instead_of_assuming_utc() {
        assert_eq!(
            Timestamp::parse("2024-09-13T10:25:01"),
            Err(TimeError::NoOffset("2024-09-13T10:25:01".into()))
        );
        assert!(matches!(
            Timestamp::parse("2024-09-13T10:25:01.5"),
            Err(TimeError::NoOffset(_))
        ));
    }

    #[test]
    fn refuses_malformed_text() {
        for bad in [
            "",
            "null",
            "2024-09-13",
            "2024-9-13T10:25:01Z",
            "2024/09/13T10:25:01Z",
            "2024-09-13X10:25:01Z",
            "2024-09-13T10-25-01Z",
            "2024-09-13T10:25:01+3:00",
            "2024-09-13T10:25:01+03:0",
            "2024-09-13T10:25:01+03:00:00",
            "2024-09-13T10:25:01 +03:00",
            "2024-09-13T10:25:01.Z",
            "2024-09-13T10:25:01ZZ",
            "+2024-09-13T10:25:01Z",
            "2024-09-13T10:25:01+٠٣:00",
            "13.09.2024 10:25:01",
            "1726223101",
        ] {
            assert!(
                matches!(Timestamp::parse(bad), Err(TimeError::Malformed(_))),
                "{bad:?} gave {:?}",
                Timestamp::parse(bad)
            );
        }
    }

    #[test]
    fn refuses_dates_that_do_not_exist() {
        for bad in [
            "2024-13-01T00:00:00Z",
            "2024-00-01T00:00:00Z",
            "2024-04-31T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "1900-02-29T00:00:00Z",
            "2024-01-00T00:00:00Z",
            "2024-01-01T24:00:00Z",
            "2024-01-01T23:60:00Z",
            "2024-01-01T23:59:60Z",
            "2024-01-01T00:00:00+24:00",
            "2024-01-01T00:00:00+01:60",
        ] {
            assert!(
                matches!(Timestamp::parse(bad), Err(TimeError::OutOfRange(_))),
                "{bad:?} gave {:?}",
                Timestamp::parse(bad)
            );
        }
    }

    #[test]
    fn a_huge_string_is_refused_cheaply_and_the_message_stays_short() {
        let huge = "2024-09-13T10:25:01+00:00".repeat(4_000);
        let Err(TimeError::Malformed(shown)) = Timestamp::parse(&huge) else {
            panic!("a 100 KB string is not a date");
        };
        assert_eq!(shown.chars().count(), 40);
    }

    #[test]
    fn writes_what_it_reads() {
        for text in [
            "2024-09-13T10:25:01+00:00",
            "2023-12-27T19:13:49+02:00",
            "2024-09-13T05:25:01-05:00",
            "2024-09-13T15:55:01+05:30",
            "1969-12-31T23:59:59-00:30",
            "2000-02-29T23:59:59+14:00",
            "0001-01-01T00:00:00+00:00",
            "9999-12-31T23:59:59+00:00",
        ] {
            let t = Timestamp::parse(text).expect(text);
            assert_eq!(t.to_iso8601(), text);
            assert_eq!(t.to_string(), text);
        }
        assert_eq!(
            Timestamp::parse("2024-09-13T10:25:01Z").map(|t| t.to_iso8601()),
            Ok("2024-09-13T10:25:01+00:00".to_string())
        );
    }

    #[test]
    fn civil_time_is_the_wall_clock_of_an_offset() {
        let cases = [
            // 2024-09-13T10:25:01Z in four offsets.
            (1_726_223_101, 0, (2024, 9, 13, 10, 25, 1)),
            (1_726_223_101, 180, (2024, 9, 13, 13, 25, 1)),
            (1_726_223_101, -300, (2024, 9, 13, 5, 25, 1)),
            (1_726_223_101, 840, (2024, 9, 14, 0, 25, 1)),
            // The day before the epoch, and a leap day.
            (-1, 0, (1969, 12, 31, 23, 59, 59)),
            (951_782_400, 0, (2000, 2, 29, 0, 0, 0)),
        ];
        for (unix_s, offset, (y, mo, d, h, mi, s)) in cases {
            let c = Civil::at(unix_s, offset);
            assert_eq!(
                (c.year, c.month, c.day, c.hour, c.minute, c.second),
                (y, mo, d, h, mi, s),
                "{unix_s} at {offset}"
            );
        }
        // Far outside what the portal writes: still a date, never a panic.
        assert!(Civil::at(i64::MAX, 840).year > 9999);
        assert!(Civil::at(i64::MIN, -840).year < 0);
    }

    #[test]
    fn day_arithmetic_agrees_with_itself_over_four_centuries() {
        // 400 years is one full Gregorian cycle: every leap rule is crossed.
        for days in (-146_097 * 2..146_097).step_by(7) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days, "{y}-{m}-{d}");
        }
    }
}
