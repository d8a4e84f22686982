//! `date` values as real FreeRADIUS 3.2.1 output has them: a detail file written by
//! `radiusd` (TZ=UTC, the `detail` module) and `radclient -x` run under other time
//! zones. Each is read back to the value FreeRADIUS sent, and printed back to the
//! same text.
#![allow(clippy::unwrap_used, clippy::panic)]

use radius_codec::{DataType, Value};
use radius_dict::{Dictionary, ErrorKind};

/// Three records of `detail` (FreeRADIUS 3.2.1, TZ=UTC), as written; the requests
/// were sent by `radclient` with Event-Timestamp 1796187600, 4294967295 and 0.
const DETAIL: &str = "Wed Dec  2 09:30:21 2026
\tUser-Name = \"bob\"
\tAcct-Status-Type = Start
\tAcct-Session-Id = \"S1\"
\tEvent-Timestamp = \"Dec  2 2026 05:00:00 UTC\"
\tNAS-IP-Address = 127.0.0.1
\tTimestamp = 1796203821

Wed Dec  2 09:30:21 2026
\tUser-Name = \"bob\"
\tAcct-Status-Type = Stop
\tAcct-Session-Id = \"S1\"
\tEvent-Timestamp = \"Feb  7 2106 06:28:15 UTC\"
\tNAS-IP-Address = 127.0.0.1
\tTimestamp = 1796203821

Wed Dec  2 09:30:21 2026
\tUser-Name = \"bob\"
\tAcct-Status-Type = Interim-Update
\tAcct-Session-Id = \"S1\"
\tEvent-Timestamp = \"Jan  1 1970 00:00:00 UTC\"
\tNAS-IP-Address = 127.0.0.1
\tTimestamp = 1796203821
";

#[test]
fn detail_file_dates_read_back_and_print_the_same() {
    let dict = Dictionary::builtin();
    let ts = dict.attr("Event-Timestamp").unwrap();
    let got: Vec<(u32, String)> = DETAIL
        .lines()
        .filter_map(|l| l.strip_prefix("\tEvent-Timestamp = "))
        .map(|text| {
            let v = dict.parse_value_freeradius(ts, text).unwrap();
            let Value::Date(secs) = v else { panic!("{v:?}") };
            assert_eq!(dict.format_value_freeradius(ts, &v), text, "printed back");
            (secs, text.to_string())
        })
        .collect();
    let secs: Vec<u32> = got.iter().map(|(s, _)| *s).collect();
    assert_eq!(secs, [1_796_187_600, u32::MAX, 0]);
}

/// `radclient -x` printing Event-Timestamp = 1780376400 under TZ=Asia/Dubai,
/// TZ=GMT, TZ=Etc/UTC, TZ=Europe/Berlin and TZ=Asia/Kolkata.
#[test]
fn other_time_zones() {
    let dict = Dictionary::builtin();
    let ts = dict.attr("Event-Timestamp").unwrap();
    for text in [
        "\"Jun  2 2026 09:00:00 +04\"",
        "\"Jun  2 2026 05:00:00 GMT\"",
        "\"Jun  2 2026 05:00:00 UTC\"",
    ] {
        assert_eq!(
            dict.parse_value_freeradius(ts, text).unwrap(),
            Value::Date(1_780_376_400),
            "{text}"
        );
    }
    // Zone names are refused with the zone quoted: FreeRADIUS itself reads them as
    // its own local time (3.2.1 under TZ=Europe/Berlin read this one back as
    // 08:00:00 CEST, an hour off), so only the writer's zone gives the instant.
    for (text, zone) in [
        ("\"Jun  2 2026 07:00:00 CEST\"", "CEST"),
        ("\"Jun  2 2026 10:30:00 IST\"", "IST"),
    ] {
        let e = dict.parse_value_freeradius(ts, text).unwrap_err();
        assert_eq!((e.kind(), e.token()), (&ErrorKind::UnknownTimeZone, zone));
    }
}

/// What `radclient` 3.2.1 refused is refused here too; what it wrapped around
/// silently (before 1970, after 2106) is an error here.
#[test]
fn what_freeradius_refuses_or_wraps() {
    let dict = Dictionary::builtin();
    let ts = dict.attr("Event-Timestamp").unwrap();
    for text in [
        // radclient: failed to parse time string
        "\"2026-12-02T05:00:00Z\"",
        "\"2026-12-02 05:00:00\"",
        "\"Dec 2 26\"",
        "\"Dec 2 2026 05\"",
        "\"Dec 0 2026\"",
        "\"Dec 32 2026\"",
        // radclient: Expected end of line or comma
        "Dec  2 2026 05:00:00 UTC",
    ] {
        let e = dict.parse_value_freeradius(ts, text).unwrap_err();
        assert_eq!(
            e.kind(),
            &ErrorKind::InvalidValue {
                data_type: DataType::Date
            },
            "{text}"
        );
    }
    // radclient sent "Jan 1 1970" (TZ=Europe/Berlin) as Feb  7 2106 06:28:16 CET,
    // "Dec 2 1969" (TZ=UTC) as Jan  8 2106 06:28:16 UTC and 4294967296 as 0.
    for text in [
        "\"Jan 1 1970 00:00:00 +0100\"",
        "\"Dec 2 1969\"",
        "\"4294967296\"",
    ] {
        let e = dict.parse_value_freeradius(ts, text).unwrap_err();
        assert_eq!(e.kind(), &ErrorKind::DateOutOfRange, "{text}");
    }
}
