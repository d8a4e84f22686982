//! The proleptic Gregorian calendar as day counts since 1970-01-01 (UTC has no leap
//! seconds in Unix time, so a timestamp is `days * 86_400 + seconds of the day`).
//!
//! The one copy of this arithmetic in nacwire: `ecp-sigv4` reads and writes
//! `X-Amz-Date` with it, `radius-dict` FreeRADIUS's date text. The conversions are
//! Howard Hinnant's `days_from_civil` and `civil_from_days` ("chrono-Compatible
//! Low-Level Date Algorithms"), exact for every year within ±2^40, far beyond any
//! timestamp a protocol carries. Callers check their fields' ranges first
//! ([`days_in_month`]); out of range, the results are defined but meaningless.
//!
//! ```
//! use nacwire_calendar::{civil_from_days, days_from_civil, days_in_month};
//!
//! assert_eq!(days_from_civil(1970, 1, 1), 0);
//! assert_eq!(days_from_civil(2026, 12, 2), 20_789);
//! assert_eq!(civil_from_days(20_789), (2026, 12, 2));
//! assert_eq!(days_in_month(2024, 2), 29);
//! ```

#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

/// Days since 1970-01-01 of `year`-`month`-`day` (month 1..=12, day
/// 1..=[`days_in_month`]); negative before 1970.
#[must_use]
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date `(year, month 1..=12, day 1..=31)` of a day count since 1970-01-01.
#[must_use]
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Whether `year` has a February 29.
#[must_use]
pub fn is_leap_year(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// The number of days of `month` (1..=12) in `year`; 31 for a month outside 1..=12,
/// which callers refuse before they ask.
#[must_use]
pub fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_dates() {
        for (date, days) in [
            ((1970, 1, 1), 0),
            ((1969, 12, 31), -1),
            ((2000, 2, 29), 11_016),
            ((2000, 3, 1), 11_017),
            ((2038, 1, 19), 24_855),
            ((2106, 2, 7), 49_710),
            ((1900, 3, 1), -25_508),
        ] {
            assert_eq!(days_from_civil(date.0, date.1, date.2), days, "{date:?}");
            assert_eq!(civil_from_days(days), date, "{days}");
        }
    }

    #[test]
    fn month_lengths() {
        let lengths = |y| (1..=12).map(|m| days_in_month(y, m)).sum::<i64>();
        assert_eq!(lengths(2023), 365);
        assert_eq!(lengths(2024), 366);
        assert_eq!(lengths(1900), 365);
        assert_eq!(lengths(2000), 366);
    }

    proptest! {
        /// Each day count is one date and back, and the next day is the next date.
        #[test]
        fn days_round_trip(days in -1_000_000_000i64..1_000_000_000) {
            let (y, m, d) = civil_from_days(days);
            prop_assert!((1..=12).contains(&m) && (1..=days_in_month(y, m)).contains(&d));
            prop_assert_eq!(days_from_civil(y, m, d), days);
            let next = civil_from_days(days + 1);
            let expected = if d < days_in_month(y, m) {
                (y, m, d + 1)
            } else if m < 12 {
                (y, m + 1, 1)
            } else {
                (y + 1, 1, 1)
            };
            prop_assert_eq!(next, expected);
        }
    }
}
