//! `X-Amz-Date` timestamps (`YYYYMMDDThhmmssZ`, UTC) without a date library.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use nacwire_calendar::{civil_from_days, days_from_civil, days_in_month};

use crate::Error;

/// A UTC timestamp with one-second resolution, as carried in `X-Amz-Date`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AmzDate {
    unix: i64,
}

fn digits(s: &[u8]) -> Option<i64> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(s.iter().fold(0i64, |acc, d| acc * 10 + i64::from(d - b'0')))
}

impl AmzDate {
    /// Parses `YYYYMMDDThhmmssZ`, checking every field's range.
    pub fn parse(s: &str) -> Result<Self, Error> {
        let b = s.as_bytes();
        let bad = || Error::BadDate {
            value: s.chars().take(32).collect(),
        };
        let (Some(date), Some(b'T'), Some(time), Some(b'Z'), 16) =
            (b.get(..8), b.get(8), b.get(9..15), b.get(15), b.len())
        else {
            return Err(bad());
        };
        let field = |s: &[u8], r: core::ops::Range<usize>| s.get(r).and_then(digits).ok_or_else(bad);
        let (y, mo, d) = (field(date, 0..4)?, field(date, 4..6)?, field(date, 6..8)?);
        let (h, mi, se) = (field(time, 0..2)?, field(time, 2..4)?, field(time, 4..6)?);
        let ok =
            (1..=12).contains(&mo) && (1..=days_in_month(y, mo)).contains(&d) && h < 24 && mi < 60 && se < 60;
        if !ok {
            return Err(bad());
        }
        Ok(Self {
            unix: days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + se,
        })
    }

    /// The timestamp of a `SystemTime` (sub-second part dropped).
    #[must_use]
    pub fn from_system_time(t: SystemTime) -> Self {
        let unix = match t.duration_since(UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
            // Before the epoch: round down to the whole second (-0.5 s is -1, -5 s is -5).
            Err(e) => {
                let d = e.duration();
                0i64.saturating_sub_unsigned(d.as_secs().saturating_add(u64::from(d.subsec_nanos() > 0)))
            }
        };
        Self { unix }
    }

    /// From seconds since the Unix epoch.
    #[must_use]
    pub const fn from_unix(unix: i64) -> Self {
        Self { unix }
    }

    /// Seconds since the Unix epoch.
    #[must_use]
    pub const fn unix(self) -> i64 {
        self.unix
    }

    /// As a `SystemTime`.
    #[must_use]
    pub fn to_system_time(self) -> SystemTime {
        if self.unix >= 0 {
            UNIX_EPOCH + Duration::from_secs(self.unix.unsigned_abs())
        } else {
            UNIX_EPOCH - Duration::from_secs(self.unix.unsigned_abs())
        }
    }

    fn parts(self) -> (i64, i64, i64, i64, i64, i64) {
        let days = self.unix.div_euclid(86_400);
        let secs = self.unix.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        (y, m, d, secs / 3600, secs / 60 % 60, secs % 60)
    }

    /// `YYYYMMDDThhmmssZ`.
    #[must_use]
    pub fn to_amz(self) -> String {
        String::from_utf8_lossy(&self.amz_bytes()).into_owned()
    }

    /// `YYYYMMDDThhmmssZ` in a stack buffer (years 0..=9999; others are clamped).
    #[must_use]
    pub fn amz_bytes(self) -> [u8; 16] {
        let (y, m, d, h, mi, s) = self.parts();
        let y = y.clamp(0, 9999);
        let mut out = *b"00000000T000000Z";
        let digits = |v: i64, width: usize, at: usize, out: &mut [u8; 16]| {
            let mut v = v;
            for i in (at..at + width).rev() {
                if let Some(slot) = out.get_mut(i) {
                    *slot = b'0' + u8::try_from(v % 10).unwrap_or(0);
                }
                v /= 10;
            }
        };
        digits(y, 4, 0, &mut out);
        digits(m, 2, 4, &mut out);
        digits(d, 2, 6, &mut out);
        digits(h, 2, 9, &mut out);
        digits(mi, 2, 11, &mut out);
        digits(s, 2, 13, &mut out);
        out
    }

    /// `YYYYMMDD`, the credential-scope date.
    #[must_use]
    pub fn date_stamp(self) -> String {
        String::from_utf8_lossy(self.amz_bytes().get(..8).unwrap_or_default()).into_owned()
    }
}

impl core::fmt::Display for AmzDate {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.to_amz())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_formats() {
        let d = AmzDate::parse("20150830T123600Z").unwrap();
        assert_eq!(d.unix(), 1_440_938_160);
        assert_eq!(d.to_amz(), "20150830T123600Z");
        assert_eq!(d.date_stamp(), "20150830");
        assert_eq!(
            AmzDate::parse("20000229T235959Z").unwrap().to_amz(),
            "20000229T235959Z"
        );
        for bad in [
            "",
            "20150830T123600",
            "20150830 123600Z",
            "2015083OT123600Z",
            "20150230T000000Z",
            "20190229T000000Z",
            "20151301T000000Z",
            "20150830T246000Z",
            "20150830T126000Z",
            "+0150830T123600Z",
            "20150830T123600Zx",
        ] {
            assert!(AmzDate::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn system_times_before_the_epoch_round_down() {
        let before = |secs, nanos| AmzDate::from_system_time(UNIX_EPOCH - Duration::new(secs, nanos)).unix();
        assert_eq!(before(5, 0), -5);
        assert_eq!(before(0, 500_000_000), -1);
        assert_eq!(before(5, 1), -6);
        let far = UNIX_EPOCH + Duration::from_secs(u64::MAX / 2);
        assert_eq!(AmzDate::from_system_time(far).unix(), i64::MAX);
    }

    #[test]
    fn round_trips_every_day_for_centuries() {
        for day in (-719_468..2_932_896).step_by(97) {
            let d = AmzDate::from_unix(day * 86_400 + 3723);
            assert_eq!(AmzDate::parse(&d.to_amz()).unwrap(), d);
        }
    }
}
