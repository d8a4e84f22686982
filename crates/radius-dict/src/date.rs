//! The FreeRADIUS `date` type as text.
//!
//! A `date` is a 32-bit count of seconds since 1970-01-01 00:00:00 UTC, so it runs
//! from `Jan  1 1970 00:00:00 UTC` (0) to `Feb  7 2106 06:28:15 UTC` (2^32 - 1).
//!
//! FreeRADIUS 3.2 prints one with `strftime("%b %e %Y %H:%M:%S %Z")` in the server's
//! local time zone (`value_data_prints`), and reads text back with
//! `strptime` in that format, falling back to `fr_get_time` (`src/lib/misc.c`): a
//! decimal number, or three or four blank-separated fields (month name, day, year,
//! and `H:M[:S]`) in any order, with whatever follows the fourth field ignored.
//! This module prints as a server running in UTC does and reads the same spellings,
//! more strictly: see [`parse`].

use nacwire_calendar::{civil_from_days, days_from_civil, days_in_month};

/// The month abbreviations `%b` prints (C locale).
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The full month names `strptime`'s `%b` also reads.
const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The longest text read as a date (FreeRADIUS copies the text into a 64-octet
/// buffer before splitting it).
const MAX_TEXT: usize = 64;

/// Why a text is not a `date`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DateError<'t> {
    /// Not a spelling of a date.
    Invalid,
    /// A date, but before 1970 or after `Feb  7 2106 06:28:15 UTC`.
    OutOfRange,
    /// A date whose time zone is not UTC, GMT or a numeric offset (the zone).
    TimeZone(&'t str),
}

/// A date as FreeRADIUS 3.2 prints it on a server in UTC
/// (`%b %e %Y %H:%M:%S %Z`): `Dec  2 2026 05:00:00 UTC`.
pub(crate) fn format(secs: u32) -> String {
    let secs = i64::from(secs);
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let t = secs.rem_euclid(86_400);
    let month = usize::try_from(m - 1)
        .ok()
        .and_then(|i| MONTHS.get(i))
        .copied()
        .unwrap_or("???");
    format!(
        "{month} {d:>2} {y} {:02}:{:02}:{:02} UTC",
        t / 3600,
        t / 60 % 60,
        t % 60
    )
}

/// One to `max` ASCII digits as a number.
fn digits(s: &str, max: usize) -> Option<i64> {
    if s.is_empty() || s.len() > max || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// A month by its abbreviation or full English name, any case: 1..=12.
fn month(s: &str) -> Option<i64> {
    (1..=12i64)
        .zip(MONTHS.iter().zip(MONTH_NAMES.iter()))
        .find(|(_, (abbr, full))| s.eq_ignore_ascii_case(abbr) || s.eq_ignore_ascii_case(full))
        .map(|(m, _)| m)
}

/// `H:M` or `H:M:S` (one or two digits each) as seconds into the day.
fn time_of_day(s: &str) -> Option<i64> {
    let mut parts = s.split(':');
    let h = digits(parts.next()?, 2).filter(|h| *h < 24)?;
    let m = digits(parts.next()?, 2).filter(|m| *m < 60)?;
    let sec = match parts.next() {
        Some(p) => digits(p, 2).filter(|s| *s < 60)?,
        None => 0,
    };
    if parts.next().is_some() {
        return None;
    }
    Some(h * 3600 + m * 60 + sec)
}

/// A time zone as seconds east of UTC: `UTC` and `GMT` (any case), or a numeric
/// offset `+HH`, `-HH`, `+HHMM`, `-HHMM` (the way `%Z` prints zones that have no
/// abbreviation, e.g. `+04` for Asia/Dubai, `+0530`).
fn zone_offset(s: &str) -> Option<i64> {
    if s.eq_ignore_ascii_case("UTC") || s.eq_ignore_ascii_case("GMT") {
        return Some(0);
    }
    let (sign, rest) = match s.as_bytes().first() {
        Some(b'+') => (1, s.get(1..)?),
        Some(b'-') => (-1, s.get(1..)?),
        _ => return None,
    };
    let (hh, mm) = match rest.len() {
        2 => (rest, "00"),
        4 => (rest.get(..2)?, rest.get(2..)?),
        _ => return None,
    };
    let h = digits(hh, 2).filter(|h| *h < 24)?;
    let m = digits(mm, 2).filter(|m| *m < 60)?;
    Some(sign * (h * 3600 + m * 60))
}

/// Reads a `date` that is not a plain number (those, and VALUE names, are the
/// caller's): three, four or five fields separated by spaces or tabs, nothing
/// before the first or after the last.
///
/// - Three of the first four fields are the date, in any order: the month (the
///   field that starts with a letter: `Dec` or `December`, any case), the year (the
///   number that is 1900 or more) and the day (the other number, 1 up to the
///   month's length).
/// - A fourth field, in any of the first four places, is the time: `H:M` or
///   `H:M:S`, one or two digits each, hours 0..=23, minutes and seconds 0..=59.
///   Without it the time is midnight.
/// - A fifth field is the time zone: `UTC`, `GMT` or a numeric offset (`+04`,
///   `-0330`). Without one the time is UTC.
///
/// Other time zone names (`CET`, `EST`, ...) are [`DateError::TimeZone`]: they are
/// ambiguous, and FreeRADIUS ignores the zone and reads the time in its own local
/// zone, so only the writer's zone gives the instant. A date before 1970 or after
/// `Feb  7 2106 06:28:15 UTC` is [`DateError::OutOfRange`]. Work is bounded: texts
/// over 64 octets are refused before they are split.
pub(crate) fn parse(text: &str) -> Result<u32, DateError<'_>> {
    let blank = |c: char| c == ' ' || c == '\t';
    if text.len() > MAX_TEXT || text.starts_with(blank) || text.ends_with(blank) {
        return Err(DateError::Invalid);
    }
    let mut fields = text.split(blank).filter(|f| !f.is_empty());
    let mut first = [""; 4];
    let mut n = 0;
    for slot in &mut first {
        match fields.next() {
            Some(f) => {
                *slot = f;
                n += 1;
            }
            None => break,
        }
    }
    let zone = fields.next();
    if fields.next().is_some() || n < 3 || (zone.is_some() && n < 4) {
        return Err(DateError::Invalid);
    }
    let first = first.get(..n).ok_or(DateError::Invalid)?;
    // The time is the field with a colon; with four fields there must be one.
    let mut time = None;
    let mut month_no = None;
    let mut numbers = [0i64; 2];
    let mut count = 0;
    for f in first {
        if f.contains(':') {
            if time.is_some() || n != 4 {
                return Err(DateError::Invalid);
            }
            time = Some(time_of_day(f).ok_or(DateError::Invalid)?);
        } else if f.starts_with(|c: char| c.is_ascii_alphabetic()) {
            if month_no.is_some() {
                return Err(DateError::Invalid);
            }
            month_no = Some(month(f).ok_or(DateError::Invalid)?);
        } else {
            let slot = numbers.get_mut(count).ok_or(DateError::Invalid)?;
            // Nine digits at most: a year that long is out of range, not an overflow.
            *slot = digits(f, 9).ok_or(DateError::Invalid)?;
            count += 1;
        }
    }
    let (Some(m), 2) = (month_no, count) else {
        return Err(DateError::Invalid);
    };
    if n == 4 && time.is_none() {
        return Err(DateError::Invalid);
    }
    // FreeRADIUS: "We can't use 2-digit years any more, they make it impossible to
    // tell what's the day, and what's the year."
    let (y, d) = match numbers {
        [y, d] if y >= 1900 && d < 1900 => (y, d),
        [d, y] if y >= 1900 && d < 1900 => (y, d),
        _ => return Err(DateError::Invalid),
    };
    if !(1..=days_in_month(y, m)).contains(&d) {
        return Err(DateError::Invalid);
    }
    let offset = match zone {
        None => 0,
        Some(z) => zone_offset(z).ok_or(DateError::TimeZone(z))?,
    };
    let local = days_from_civil(y, m, d) * 86_400 + time.unwrap_or(0);
    u32::try_from(local - offset).map_err(|_| DateError::OutOfRange)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// FreeRADIUS 3.2.1 `radclient -x` (TZ=UTC) printed these for the numbers.
    #[test]
    fn prints_as_freeradius() {
        for (secs, text) in [
            (0, "Jan  1 1970 00:00:00 UTC"),
            (1_764_651_600, "Dec  2 2025 05:00:00 UTC"),
            (1_780_376_400, "Jun  2 2026 05:00:00 UTC"),
            (1_796_187_600, "Dec  2 2026 05:00:00 UTC"),
            (951_782_400, "Feb 29 2000 00:00:00 UTC"),
            (u32::MAX, "Feb  7 2106 06:28:15 UTC"),
        ] {
            assert_eq!(format(secs), text, "{secs}");
            assert_eq!(parse(text), Ok(secs), "{text}");
        }
    }

    /// The spellings FreeRADIUS 3.2.1's radclient read (TZ=UTC), and the value it
    /// read them as.
    #[test]
    fn reads_what_freeradius_reads() {
        let dec2 = 1_796_169_600; // Dec  2 2026 00:00:00 UTC
        let five = dec2 + 5 * 3600;
        for (text, secs) in [
            ("Dec  2 2026 05:00:00 UTC", five),
            ("Dec 2 2026", dec2),
            ("2 Dec 2026 05:00", five),
            ("December 2 2026 05:00:00 UTC", five),
            ("dec 02 2026 05:00:00", five),
            ("05:00:00 Dec 2 2026", five),
            ("2026 2 Dec", dec2),
            ("Dec 2026 2", dec2),
            ("Dec 2 2026 5:7:9 UTC", dec2 + 5 * 3600 + 7 * 60 + 9),
            ("Dec\t2\t2026\t05:00:00\tUTC", five),
            ("Feb  7 2106 06:28:15 UTC", u32::MAX),
            ("Jan  1 1970 00:00:00 UTC", 0),
        ] {
            assert_eq!(parse(text), Ok(secs), "{text}");
        }
    }

    /// Time zones: UTC and GMT are zero, numeric offsets (as `%Z` prints zones
    /// without an abbreviation, e.g. Asia/Dubai's `+04`) are applied, names refused.
    #[test]
    fn time_zones() {
        let five = 1_780_376_400; // Jun  2 2026 05:00:00 UTC
        for text in [
            "Jun  2 2026 05:00:00 UTC",
            "Jun  2 2026 05:00:00 GMT",
            "Jun  2 2026 05:00:00 utc",
            "Jun  2 2026 09:00:00 +04",
            "Jun  2 2026 10:30:00 +0530",
            "Jun  2 2026 01:30:00 -0330",
            "Jun  2 2026 05:00:00 +0000",
            "Jun  2 2026 05:00:00 -00",
        ] {
            assert_eq!(parse(text), Ok(five), "{text}");
        }
        for (text, zone) in [
            ("Jun  2 2026 07:00:00 CEST", "CEST"),
            ("Jun  2 2026 10:30:00 IST", "IST"),
            ("Jun  2 2026 05:00:00 Z", "Z"),
            ("Jun  2 2026 05:00:00 +05:30", "+05:30"),
            ("Jun  2 2026 05:00:00 +2400", "+2400"),
            ("Jun  2 2026 05:00:00 +1", "+1"),
        ] {
            assert_eq!(parse(text), Err(DateError::TimeZone(zone)), "{text}");
        }
    }

    #[test]
    fn out_of_range() {
        for text in [
            "Dec 31 1969 23:59:59 UTC",
            "Jan  1 1970 00:00:00 +0100",
            "Feb  7 2106 06:28:16 UTC",
            "Jan  1 1900",
            "Jan  1 999999999",
        ] {
            assert_eq!(parse(text), Err(DateError::OutOfRange), "{text}");
        }
        assert_eq!(parse("Feb  7 2106 07:28:15 +0100"), Ok(u32::MAX));
    }

    /// Stricter than FreeRADIUS, which normalises (Feb 30 is Mar 2, 25:00 the next
    /// day), ignores what follows the fourth field, and reads `Decimal` as December.
    #[test]
    fn refuses_what_is_not_a_date() {
        for text in [
            "",
            "Dec",
            "Dec 2",
            "Dec 2 26",
            "Dec 2 2026 05",
            "Dec 2 2026 UTC",
            "Dec 0 2026",
            "Dec 32 2026",
            "Feb 29 2026",
            "Feb 30 2026",
            "Dec 2 2026 25:00:00",
            "Dec 2 2026 05:60:00",
            "Dec 2 2026 05:00:60",
            "Dec 2 2026 05:00:00:00",
            "Dec 2 2026 -5:00:00",
            "Dec 2 2026 05:00:00 UTC extra",
            "Decimal 2 2026",
            "Dec Jan 2026",
            "Dec 2026 2027",
            "Dec 2 1",
            " Dec 2 2026",
            "Dec 2 2026 ",
            "Dec 2, 2026",
            "2026-12-02",
            "2026-12-02T05:00:00Z",
            "2026-12-02 05:00:00",
            "Dec 2 2026 05:00:00 UTC UTC",
            "Dec 2 2026 0x5:00",
            "Dec +2 2026",
            "Dec 2 1234567890",
        ] {
            assert_eq!(parse(text), Err(DateError::Invalid), "{text:?}");
        }
        let long = format!("Dec 2 2026{}", " ".repeat(100));
        assert_eq!(parse(&long), Err(DateError::Invalid));
    }

    proptest! {
        /// Print, then parse: the same value, for every 32-bit date.
        #[test]
        fn every_date_round_trips(secs in any::<u32>()) {
            let text = format(secs);
            prop_assert_eq!(parse(&text), Ok(secs));
        }

        /// Any text: an answer, never a panic.
        #[test]
        fn any_text_is_answered(text in "[ \tA-Za-z0-9:+-]{0,40}") {
            let _ = parse(&text);
        }

        /// Every field order FreeRADIUS reads, and every numeric zone, agree.
        #[test]
        fn orders_and_offsets_agree(secs in any::<u32>(), order in 0usize..24, off in -1439i64..=1439) {
            let (y, m, d) = civil_from_days(i64::from(secs).div_euclid(86_400));
            let t = i64::from(secs).rem_euclid(86_400);
            let time = format!("{}:{}:{}", t / 3600, t / 60 % 60, t % 60);
            let month = MONTH_NAMES[usize::try_from(m - 1).unwrap()];
            let mut fields = [month.to_string(), d.to_string(), y.to_string(), time];
            // a permutation of the four fields
            let mut rest = order;
            for i in (1..fields.len()).rev() {
                fields.swap(i, rest % (i + 1));
                rest /= i + 1;
            }
            let joined = fields.join(" ");
            prop_assert_eq!(parse(&joined), Ok(secs), "{}", joined);
            let local = i64::from(secs) + off * 60;
            let (ly, lm, ld) = civil_from_days(local.div_euclid(86_400));
            let lt = local.rem_euclid(86_400);
            let sign = if off < 0 { '-' } else { '+' };
            let text = format!(
                "{} {ld} {ly} {:02}:{:02}:{:02} {sign}{:02}{:02}",
                MONTHS[usize::try_from(lm - 1).unwrap()],
                lt / 3600,
                lt / 60 % 60,
                lt % 60,
                off.abs() / 60,
                off.abs() % 60,
            );
            prop_assert_eq!(parse(&text), Ok(secs), "{}", text);
        }
    }
}
