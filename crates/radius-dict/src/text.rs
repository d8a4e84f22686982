//! Values as text, the way FreeRADIUS and radclient write them.

use std::borrow::Cow;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use radius_codec::{DataType, Value, VendorId, Vsa};

use crate::abinary;
use crate::date::{self, DateError};
use crate::error::{Error, ErrorKind};
use crate::model::{AttrDef, Encrypt};
use crate::{parse::parse_u64, Dictionary};

fn hex_bytes(s: &str) -> Option<Vec<u8>> {
    let h = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X"))?;
    // (from_str_radix alone would take a sign: "0x+a+b")
    if h.len() % 2 != 0 || !h.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    h.as_bytes()
        .chunks(2)
        .map(|p| u8::from_str_radix(core::str::from_utf8(p).ok()?, 16).ok())
        .collect()
}

/// An `ether` value: every spelling the one MAC parser knows, one-digit groups
/// (`0:1:2:3:4:5`, as FreeRADIUS takes them) included.
fn mac(s: &str) -> Option<[u8; 6]> {
    nacwire_mac::parse(s).ok().map(|(octets, _)| octets)
}

/// One to four hex digits (no sign, unlike `from_str_radix`).
fn hex16(p: &str) -> Option<u16> {
    if p.is_empty() || p.len() > 4 || !p.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u16::from_str_radix(p, 16).ok()
}

fn ifid(s: &str) -> Option<[u8; 8]> {
    let parts: Vec<&str> = s.split(':').collect();
    if parts.len() != 4 {
        return None;
    }
    let mut out = [0u8; 8];
    for (chunk, p) in out.chunks_mut(2).zip(parts) {
        chunk.copy_from_slice(&hex16(p)?.to_be_bytes());
    }
    Some(out)
}

/// The value as an error may quote it: never for hidden or secret attributes.
fn shown_value<'t>(attr: &AttrDef, text: &'t str) -> &'t str {
    if attr.flags().secret || attr.flags().encrypt != Encrypt::None {
        return "<hidden>";
    }
    text
}

/// The characters FreeRADIUS skips around a value.
fn is_blank(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// The octets of a FreeRADIUS quoted string's inside (`q` is the quote character):
/// `\\`, `\"`, `\'`, `\n`, `\r`, `\t` and three-digit octal `\NNN`. A bare quote
/// character inside, or any other escape, is an error.
fn unescape(inner: &str, q: char) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == q {
            return None;
        }
        if c != '\\' {
            let mut buf = [0u8; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            continue;
        }
        match chars.next()? {
            '\\' => out.push(b'\\'),
            '"' => out.push(b'"'),
            '\'' => out.push(b'\''),
            'n' => out.push(b'\n'),
            'r' => out.push(b'\r'),
            't' => out.push(b'\t'),
            d0 @ '0'..='3' => {
                let d1 = chars.next()?.to_digit(8)?;
                let d2 = chars.next()?.to_digit(8)?;
                let n = d0.to_digit(8)? * 64 + d1 * 8 + d2;
                out.push(u8::try_from(n).ok()?);
            }
            _ => return None,
        }
    }
    Some(out)
}

/// `"..."` with FreeRADIUS escapes: `\\`, `\"`, `\n`, `\r`, `\t`; other control
/// characters and octets that are not UTF-8 as `\NNN` octal; printable text as it is.
fn quote(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() + 2);
    s.push('"');
    let octal = |s: &mut String, b: u8| s.push_str(&format!("\\{b:03o}"));
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\\' => s.push_str("\\\\"),
                '"' => s.push_str("\\\""),
                '\n' => s.push_str("\\n"),
                '\r' => s.push_str("\\r"),
                '\t' => s.push_str("\\t"),
                c if c.is_control() => {
                    let mut buf = [0u8; 4];
                    for b in c.encode_utf8(&mut buf).bytes() {
                        octal(&mut s, b);
                    }
                }
                c => s.push(c),
            }
        }
        for b in chunk.invalid() {
            octal(&mut s, *b);
        }
    }
    s.push('"');
    s
}

impl Dictionary {
    /// Parses the text form of a value for `attr`. The text is data, taken exactly as
    /// given: nothing is trimmed and no quotes or escapes are interpreted, so
    /// `" bob "` is the five-character string with its blanks and `"\"x\""` keeps its
    /// quotes. Integers accept numbers (decimal or `0x` hex) and the attribute's VALUE
    /// names; addresses are dotted or colon notation, prefixes `addr/len`; octets are
    /// `0x` hex or, without `0x`, the text's own bytes. The value of a raw attribute
    /// ([`Dictionary::raw_attr`], `Attr-27`) is `0x` (or `0X`) and an even number of
    /// hex digits, as FreeRADIUS takes only hex for one, at most 65515 octets (what
    /// the largest packet holds); anything else is an [`ErrorKind::InvalidValue`].
    ///
    /// A `vsa` value (`Vendor-Specific = 0x...`) must be a Vendor-Specific that
    /// parses in its vendor's format in this dictionary (vendor id, then
    /// sub-attributes that fill it exactly); octets that do not are an
    /// [`ErrorKind::InvalidValue`]: send them raw, `Attr-26 = 0x...`, as a packet
    /// decoded with such a VSA prints it (FreeRADIUS's radclient takes no
    /// `Vendor-Specific` by name at all, only `Attr-26`).
    ///
    /// A `date` is seconds since 1970 (a number as for integers, or a VALUE name), or
    /// a calendar date as FreeRADIUS 3.2 prints and reads one (`Dec  2 2026 05:00:00
    /// UTC`, as in `radiusd -X` output and detail files):
    ///
    /// - month, day and year, in any order, separated by spaces or tabs: the month by
    ///   its English abbreviation or full name in any case (`Dec`, `december`), the
    ///   year in full (1900 or later: FreeRADIUS takes no two-digit years), the day
    ///   from 1 to the month's length;
    /// - then, optionally, the time `H:M` or `H:M:S` (FreeRADIUS also takes it before
    ///   or between the date fields, and so does this), midnight without it;
    /// - then, after the time only, optionally the time zone: `UTC` or `GMT` (any
    ///   case), or a numeric offset `+HH`, `-HH`, `+HHMM`, `-HHMM` (how `%Z` prints
    ///   zones without an abbreviation, e.g. `+04`, `+0530`). Without one the time is
    ///   UTC.
    ///
    /// So `Dec  2 2026 05:00:00 UTC`, `Dec 2 2026`, `2 December 2026 05:00`,
    /// `05:00:00 Dec 2 2026` and `Dec  2 2026 09:00:00 +04` are all read. Not read (an
    /// [`ErrorKind::InvalidValue`]): ISO 8601 and `YYYY-MM-DD` forms (FreeRADIUS 3.2
    /// refuses them too), blanks before or after the text, dates and times that do
    /// not exist (`Feb 30`, `25:00`, which FreeRADIUS rolls over into the next month
    /// or day), and anything after the time zone (which FreeRADIUS ignores). Zone
    /// names other than UTC and GMT (`CET`, `EST`) are [`ErrorKind::UnknownTimeZone`]:
    /// FreeRADIUS ignores the zone and reads the time in its own local zone, so the
    /// instant depends on the server that wrote it. A date before 1970 or after
    /// `Feb  7 2106 06:28:15 UTC` (or a number beyond 32 bits, or below 0) is
    /// [`ErrorKind::DateOutOfRange`], where FreeRADIUS silently wraps around.
    ///
    /// An `abinary` value (Ascend-Data-Filter, Ascend-Call-Filter) is `0x` hex (the
    /// octets as given; FreeRADIUS 3.2.1 pads hex to 32 octets, 3.2.7 and later take
    /// it as it is) or an Ascend filter as FreeRADIUS 3.2 reads it (its
    /// `ascend_parse_filter`): words separated by blanks, keywords in any case,
    ///
    /// ```text
    /// ip      in|out forward|drop [srcip A[/N]] [dstip A[/N]] [PROTO]
    ///                             [srcport CMP PORT] [dstport CMP PORT] [est]
    /// ipv6    in|out forward|drop (as ip, with IPv6 addresses)
    /// ipx     in|out forward|drop [srcipxnet NET srcipxnode NODE [srcipxsock CMP SOCKET]]
    ///                             [dstipxnet NET dstipxnode NODE [dstipxsock CMP SOCKET]]
    /// generic in|out forward|drop [OFFSET MASK VALUE [==|!=] [more]]
    /// ```
    ///
    /// where the `ip` words after the action come in any order; an IPv4 `A` is
    /// `a.b.c.d` (or `a`, `a.b`, `a.b.c` before a `/N`) and a missing or zero `/N`
    /// is the address's class's (`10.0.0.1` is `10.0.0.1/8`), as in FreeRADIUS; an
    /// IPv6 `A` is masked to its `/N` (128 without); `PROTO` is a number up to 255
    /// or `tcp`, `udp`, `icmp`, `ospf` (0 without); `CMP` is `<`, `=`, `>` or `!=`;
    /// `PORT` a number or one of FreeRADIUS's names (`www`, `domain`, `ntp`, ...);
    /// `NET` (8), `NODE` (12) and `SOCKET` (4) are hex digits, `0x` optional; the
    /// generic `OFFSET` is decimal, `MASK` and `VALUE` twelve hex digits. The value
    /// is the 32-octet filter (48 for `ipv6`). Stricter than FreeRADIUS, which
    /// reads them into other octets than they say: partial IPv4 addresses without
    /// `/N`, numbers out of range, hex with trailing junk, socket and node keywords
    /// of the other side. Beyond it: `ipv6` (FreeRADIUS 3.2 cannot read the type's
    /// name, though 3.2.7 and later print such filters), both IPX sides in one
    /// filter (FreeRADIUS prints them but reads only one). A text that is not a
    /// filter is [`ErrorKind::InvalidFilter`], its token the word at fault.
    ///
    /// [`Dictionary::format_value`] is the inverse for every value whose text is
    /// UTF-8. For FreeRADIUS syntax (quoted strings with escapes), use
    /// [`Dictionary::parse_value_freeradius`].
    ///
    /// ```
    /// use radius_codec::Value;
    /// use radius_dict::{Dictionary, ErrorKind};
    ///
    /// let dict = Dictionary::builtin();
    /// let ts = dict.attr("Event-Timestamp").unwrap();
    /// assert_eq!(dict.parse_value(ts, "1796187600")?, Value::Date(1_796_187_600));
    /// assert_eq!(dict.parse_value(ts, "Dec  2 2026 05:00:00 UTC")?, Value::Date(1_796_187_600));
    /// assert_eq!(dict.parse_value(ts, "Dec 2 2026 06:00 +0100")?, Value::Date(1_796_187_600));
    /// let e = dict.parse_value(ts, "Dec 31 1969 23:59:59 UTC").unwrap_err();
    /// assert_eq!(*e.kind(), ErrorKind::DateOutOfRange);
    /// assert_eq!(
    ///     e.to_string(),
    ///     "Event-Timestamp: date out of range (Jan  1 1970 00:00:00 UTC to Feb  7 2106 06:28:15 UTC) (\"Dec 31 1969 23:59:59 UTC\")",
    /// );
    /// # Ok::<(), radius_dict::Error>(())
    /// ```
    pub fn parse_value(&self, attr: &AttrDef, text: &str) -> Result<Value<'static>, Error> {
        let bad = || {
            Error::value(
                attr.name(),
                shown_value(attr, text),
                ErrorKind::InvalidValue {
                    data_type: attr.data_type(),
                },
            )
        };
        if attr.is_raw() {
            return crate::raw::raw_octets(attr, text).map(|b| Value::Octets(Cow::Owned(b)));
        }
        let number =
            || -> Option<u64> { parse_u64(text).or_else(|| self.values(attr).and_then(|v| v.number(text))) };
        // A word where a number or one of the attribute's VALUE names goes: a
        // misspelt name, with the closest ones suggested.
        let bad_number = || {
            let word = !text.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '+');
            match self.values(attr) {
                Some(v) if word && !v.is_empty() => {
                    Error::value(attr.name(), shown_value(attr, text), ErrorKind::UnknownValueName)
                        // (a hidden attribute's value is not hinted at)
                        .suggesting(if shown_value(attr, text) == text {
                            self.suggest_values(attr, text)
                        } else {
                            Vec::new()
                        })
                }
                _ => bad(),
            }
        };
        Ok(match attr.data_type() {
            DataType::String => Value::String(Cow::Owned(text.as_bytes().to_vec())),
            DataType::Octets
            | DataType::Abinary
            | DataType::Tlv
            | DataType::Vsa
            | DataType::Extended
            | DataType::LongExtended
            | DataType::Evs => {
                let bytes = if text.starts_with("0x") || text.starts_with("0X") {
                    hex_bytes(text).ok_or_else(bad)?
                } else if attr.data_type() == DataType::Abinary {
                    abinary::parse(text).map_err(|(e, token)| {
                        Error::value(attr.name(), shown_value(attr, token), ErrorKind::InvalidFilter(e))
                    })?
                } else if attr.data_type() == DataType::Octets {
                    text.as_bytes().to_vec()
                } else {
                    return Err(bad());
                };
                match attr.data_type() {
                    DataType::Octets => Value::Octets(Cow::Owned(bytes)),
                    DataType::Abinary => Value::Abinary(Cow::Owned(bytes)),
                    DataType::Tlv => Value::Tlv(Cow::Owned(bytes)),
                    DataType::Vsa => {
                        let vendor = VendorId::of_vsa_value(&bytes).unwrap_or(VendorId(0));
                        Vsa::new_checked(&bytes, self.vendor_format(vendor), 0).map_err(|_| bad())?;
                        Value::Vsa(Cow::Owned(bytes))
                    }
                    DataType::Extended => Value::Extended(Cow::Owned(bytes)),
                    DataType::LongExtended => Value::LongExtended(Cow::Owned(bytes)),
                    _ => Value::Evs(Cow::Owned(bytes)),
                }
            }
            DataType::Integer => Value::Integer(
                number()
                    .and_then(|n| u32::try_from(n).ok())
                    .ok_or_else(bad_number)?,
            ),
            DataType::Date => Value::Date(self.parse_date(attr, text)?),
            DataType::Integer64 => Value::Integer64(number().ok_or_else(bad_number)?),
            DataType::Short => Value::Short(
                number()
                    .and_then(|n| u16::try_from(n).ok())
                    .ok_or_else(bad_number)?,
            ),
            DataType::Byte => Value::Byte(
                number()
                    .and_then(|n| u8::try_from(n).ok())
                    .ok_or_else(bad_number)?,
            ),
            DataType::Signed => {
                let v = match text.strip_prefix('-') {
                    Some(n) => parse_u64(n).and_then(|n| i64::try_from(n).ok()).map(|n| -n),
                    None => number().and_then(|n| i64::try_from(n).ok()),
                };
                Value::Signed(v.and_then(|n| i32::try_from(n).ok()).ok_or_else(bad_number)?)
            }
            DataType::IpAddr => Value::IpAddr(text.parse::<Ipv4Addr>().map_err(|_| bad())?),
            DataType::Ipv6Addr => Value::Ipv6Addr(text.parse::<Ipv6Addr>().map_err(|_| bad())?),
            DataType::ComboIp => Value::ComboIp(text.parse::<IpAddr>().map_err(|_| bad())?),
            DataType::Ipv4Prefix => {
                let (a, l) = text.split_once('/').unwrap_or((text, "32"));
                let bits = l.parse::<u8>().ok().filter(|b| *b <= 32).ok_or_else(bad)?;
                Value::Ipv4Prefix(a.parse().map_err(|_| bad())?, bits)
            }
            DataType::Ipv6Prefix => {
                let (a, l) = text.split_once('/').unwrap_or((text, "128"));
                let bits = l.parse::<u8>().ok().filter(|b| *b <= 128).ok_or_else(bad)?;
                Value::Ipv6Prefix(a.parse().map_err(|_| bad())?, bits)
            }
            DataType::Ether => Value::Ether(mac(text).ok_or_else(bad)?),
            DataType::Ifid => Value::Ifid(ifid(text).ok_or_else(bad)?),
            _ => return Err(bad()),
        })
    }

    /// The text form of a value of `attr`, the inverse of
    /// [`Dictionary::parse_value`]: VALUE names where defined, strings exactly as
    /// they are (blanks, quotes and control characters included; a string that is
    /// not UTF-8 as `0x` hex, which `parse_value` reads back as text, so use
    /// [`Dictionary::format_value_freeradius`] for a form that keeps every octet),
    /// dates as the number of seconds since 1970 (the form JSON output and the
    /// bindings carry; [`Dictionary::format_value_freeradius`] prints FreeRADIUS's
    /// `Dec  2 2026 05:00:00 UTC`), everything else in FreeRADIUS notation (IPv6
    /// interface ids as `211:22ff:fe33:4455`, Ascend filters as their text where one
    /// reads back to the same octets, see [`Dictionary::format_value_freeradius`],
    /// `0x` hex otherwise).
    #[must_use]
    pub fn format_value(&self, attr: &AttrDef, value: &Value<'_>) -> String {
        let named = |n: u64| self.values(attr).and_then(|v| v.name(n)).map(str::to_string);
        let hex = |b: &[u8]| {
            let mut s = String::from("0x");
            for x in b {
                s.push_str(&format!("{x:02x}"));
            }
            s
        };
        match value {
            Value::String(b) => match core::str::from_utf8(b) {
                Ok(s) => s.to_string(),
                Err(_) => hex(b),
            },
            Value::Abinary(b) => abinary::format(b).unwrap_or_else(|| hex(b)),
            Value::Octets(b)
            | Value::Tlv(b)
            | Value::Vsa(b)
            | Value::Extended(b)
            | Value::LongExtended(b)
            | Value::Evs(b) => hex(b),
            Value::Integer(v) | Value::Date(v) => named(u64::from(*v)).unwrap_or_else(|| v.to_string()),
            Value::Integer64(v) => named(*v).unwrap_or_else(|| v.to_string()),
            Value::Short(v) => named(u64::from(*v)).unwrap_or_else(|| v.to_string()),
            Value::Byte(v) => named(u64::from(*v)).unwrap_or_else(|| v.to_string()),
            Value::Signed(v) => v.to_string(),
            Value::IpAddr(a) => a.to_string(),
            Value::Ipv6Addr(a) => a.to_string(),
            Value::ComboIp(a) => a.to_string(),
            Value::Ipv4Prefix(a, l) => format!("{a}/{l}"),
            Value::Ipv6Prefix(a, l) => format!("{a}/{l}"),
            Value::Ether(m) => m.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(":"),
            // FreeRADIUS's ifid_ntoa: `%x:%x:%x:%x`, no leading zeros.
            Value::Ifid(i) => i
                .chunks(2)
                .map(|c| format!("{:x}", c.iter().fold(0u16, |a, b| a << 8 | u16::from(*b))))
                .collect::<Vec<_>>()
                .join(":"),
            _ => String::new(),
        }
    }

    /// A `date` text: a number of seconds (decimal or `0x` hex), a VALUE name, or a
    /// calendar date (see [`Dictionary::parse_value`]).
    fn parse_date(&self, attr: &AttrDef, text: &str) -> Result<u32, Error> {
        let err = |token: &str, kind| Error::value(attr.name(), shown_value(attr, token), kind);
        let out_of_range = || err(text, ErrorKind::DateOutOfRange);
        let number = parse_u64(text).or_else(|| self.values(attr).and_then(|v| v.number(text)));
        if let Some(n) = number {
            return u32::try_from(n).map_err(|_| out_of_range());
        }
        // A decimal number beyond 64 bits, or a negative one: a time outside the
        // range, not a misspelling.
        let digits = text.strip_prefix('-').unwrap_or(text);
        if !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
            && digits.bytes().any(|b| b != b'0')
        {
            return Err(out_of_range());
        }
        date::parse(text).map_err(|e| match e {
            DateError::Invalid => err(
                text,
                ErrorKind::InvalidValue {
                    data_type: attr.data_type(),
                },
            ),
            DateError::OutOfRange => out_of_range(),
            DateError::TimeZone(zone) => err(zone, ErrorKind::UnknownTimeZone),
        })
    }

    /// Parses a value in FreeRADIUS syntax, as written after `=` in radclient input
    /// or a users file: blanks around it are skipped; `"..."` or `'...'` is a quoted
    /// string with the escapes `\\`, `\"`, `\'`, `\n`, `\r`, `\t` and octal `\NNN`
    /// (its octets are the value of a `string` or `octets` attribute, or the text of
    /// any other type, so `"Dec  2 2026 05:00:00 UTC"` for a `date`); a bare word is
    /// read as by [`Dictionary::parse_value`] and may not contain blanks (as in
    /// radclient, a date with blanks must be quoted). A raw attribute's value is hex,
    /// quoted or not (`"0x0102"` as FreeRADIUS reads it).
    ///
    /// [`Dictionary::format_value_freeradius`] is its inverse for every value.
    pub fn parse_value_freeradius(&self, attr: &AttrDef, text: &str) -> Result<Value<'static>, Error> {
        let bad = || {
            Error::value(
                attr.name(),
                shown_value(attr, text),
                ErrorKind::InvalidValue {
                    data_type: attr.data_type(),
                },
            )
        };
        let t = text.trim_matches(is_blank);
        let quoted = match t.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let inner = t
                    .strip_prefix(q)
                    .and_then(|r| r.strip_suffix(q))
                    .ok_or_else(bad)?;
                Some(unescape(inner, q).ok_or_else(bad)?)
            }
            _ => None,
        };
        match (quoted, attr.data_type()) {
            (Some(bytes), DataType::String) if !attr.is_raw() => Ok(Value::String(Cow::Owned(bytes))),
            (Some(bytes), DataType::Octets) if !attr.is_raw() => Ok(Value::Octets(Cow::Owned(bytes))),
            (Some(bytes), _) => {
                let s = String::from_utf8(bytes).map_err(|_| bad())?;
                self.parse_value(attr, &s)
            }
            (None, _) if t.contains(is_blank) => Err(bad()),
            (None, _) => self.parse_value(attr, t),
        }
    }

    /// The text of a value in FreeRADIUS syntax: strings in double quotes with
    /// escapes (every octet kept, control characters and non-UTF-8 octets as `\NNN`),
    /// dates in double quotes as FreeRADIUS 3.2 prints them on a server in UTC
    /// (`"Dec  2 2026 05:00:00 UTC"`, `strftime`'s `%b %e %Y %H:%M:%S %Z`, never a
    /// VALUE name), Ascend filters (`abinary`) in double quotes, everything else as
    /// [`Dictionary::format_value`] prints it.
    /// [`Dictionary::parse_value_freeradius`] reads it back to the same value.
    ///
    /// An Ascend filter prints as FreeRADIUS 3.2's `print_abinary` prints it
    /// (`"ip in forward srcip 10.1.1.0/24 dstip 192.168.0.1/32 tcp dstport = 80"`:
    /// fields in the order of the grammar in [`Dictionary::parse_value`], protocol
    /// and port names as FreeRADIUS prints them, ports in decimal, IPX numbers as
    /// `0x` hex, an address of zero left out), except where FreeRADIUS's text does
    /// not read back: a protocol without a name prints as its number (FreeRADIUS:
    /// `??`), a generic filter in full (FreeRADIUS stops after the action, and prints
    /// one without offset, mask and value as `"generic in forward 0   =="`), an IPv6
    /// filter as `ipv6 ...` (FreeRADIUS 3.2.7 and later: `?? ...`; 3.2.1 to 3.2.6 do
    /// not know IPv6 filters and print the 48 octets raw, `Attr-242 = 0x03...`).
    /// Octets that no filter text reads back to exactly (another length than 32, or
    /// 48 for IPv6, as FreeRADIUS also prints in hex; or a field the text cannot
    /// say, such as a flag other than 0 or 1, non-zero padding, an unknown
    /// comparison, a prefix length with an address of zero or a `/0` with an IPv4
    /// address) print as `0x` hex, unquoted.
    ///
    /// ```
    /// use radius_codec::Value;
    /// use radius_dict::Dictionary;
    ///
    /// let dict = Dictionary::builtin();
    /// let ts = dict.attr("Event-Timestamp").unwrap();
    /// let text = dict.format_value_freeradius(ts, &Value::Date(1_796_187_600));
    /// assert_eq!(text, "\"Dec  2 2026 05:00:00 UTC\"");
    /// assert_eq!(dict.parse_value_freeradius(ts, &text)?, Value::Date(1_796_187_600));
    /// assert_eq!(dict.format_value(ts, &Value::Date(1_796_187_600)), "1796187600");
    /// # Ok::<(), radius_dict::Error>(())
    /// ```
    #[must_use]
    pub fn format_value_freeradius(&self, attr: &AttrDef, value: &Value<'_>) -> String {
        match value {
            Value::String(b) => quote(b),
            Value::Date(secs) => format!("\"{}\"", date::format(*secs)),
            Value::Abinary(b) => match abinary::format(b) {
                Some(text) => quote(text.as_bytes()),
                None => self.format_value(attr, value),
            },
            other => self.format_value(attr, other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Decoded;
    use proptest::prelude::*;

    fn attr(name: &str) -> &'static AttrDef {
        Dictionary::builtin().attr(name).unwrap()
    }

    fn string(s: &[u8]) -> Value<'static> {
        Value::String(Cow::Owned(s.to_vec()))
    }

    /// Issue: `" bob "` was sent as `bob`, `"quoted"` as `quoted`, `a=b<TAB>` as `a=b`.
    #[test]
    fn api_values_are_data() {
        let d = Dictionary::builtin();
        for name in ["User-Name", "User-Password", "Filter-Id"] {
            for text in [" bob ", "\"quoted\"", "a=b\t", "", " ", "\"", "'x'", "\\n"] {
                let v = d.parse_value(attr(name), text).unwrap();
                assert_eq!(v, string(text.as_bytes()), "{name} {text:?}");
                assert_eq!(d.format_value(attr(name), &v), text);
            }
        }
        // Numbers are not trimmed either.
        assert!(d.parse_value(attr("Session-Timeout"), " 5").is_err());
        assert!(d.parse_value(attr("Session-Timeout"), "\"5\"").is_err());
    }

    #[test]
    fn freeradius_syntax_round_trips() {
        let d = Dictionary::builtin();
        let un = attr("User-Name");
        let cases: &[(&[u8], &str)] = &[
            (b" bob ", "\" bob \""),
            (b"\"quoted\"", "\"\\\"quoted\\\"\""),
            (b"a=b\t", "\"a=b\\t\""),
            (b"back\\slash", "\"back\\\\slash\""),
            (b"\xff\x00\x1b", "\"\\377\\000\\033\""),
            ("caf\u{e9}".as_bytes(), "\"caf\u{e9}\""),
            (b"", "\"\""),
        ];
        for (bytes, text) in cases {
            let v = string(bytes);
            assert_eq!(d.format_value_freeradius(un, &v), *text);
            assert_eq!(d.parse_value_freeradius(un, text).unwrap(), v, "{text}");
        }
        // Syntax: blanks around, single quotes, bare words; errors are typed.
        assert_eq!(
            d.parse_value_freeradius(un, "  'it\\'s' ").unwrap(),
            string(b"it's")
        );
        assert_eq!(d.parse_value_freeradius(un, " bob\t").unwrap(), string(b"bob"));
        for bad in ["\"open", "\"a\"b\"", "bob smith", "\"\\q\"", "\"\\400\""] {
            assert!(
                matches!(
                    d.parse_value_freeradius(un, bad).map_err(|e| e.kind().clone()),
                    Err(ErrorKind::InvalidValue {
                        data_type: DataType::String
                    })
                ),
                "{bad}"
            );
        }
        let st = attr("Service-Type");
        assert_eq!(
            d.parse_value_freeradius(st, "\"Framed-User\"").unwrap(),
            Value::Integer(2)
        );
        assert_eq!(d.format_value_freeradius(st, &Value::Integer(2)), "Framed-User");
    }

    /// `0x` text is hex digits only: a sign inside (which `u8::from_str_radix` takes
    /// on its own) is refused, for octets and every type that reads `0x` text.
    #[test]
    fn hex_text_takes_hex_digits_only() {
        let d = Dictionary::builtin();
        let class = attr("Class");
        assert_eq!(
            d.parse_value(class, "0x0A0b").unwrap(),
            Value::Octets(Cow::Owned(vec![0x0a, 0x0b]))
        );
        for bad in ["0x+a+b", "0x-1", "0x 1", "0x1", "0xg0", "0x+0"] {
            assert!(d.parse_value(class, bad).is_err(), "{bad}");
        }
        assert_eq!(hex_bytes("0x"), Some(Vec::new()));
        assert_eq!(hex_bytes("0x+a+b"), None);
    }

    /// Value errors are the crate's one error type, with the attribute and token.
    #[test]
    fn value_errors_name_the_attribute() {
        let d = Dictionary::builtin();
        let e = d.parse_value(attr("Session-Timeout"), "ten").unwrap_err();
        assert_eq!(
            *e.kind(),
            ErrorKind::InvalidValue {
                data_type: DataType::Integer
            }
        );
        assert_eq!(
            (e.attribute(), e.token(), e.file(), e.line()),
            (Some("Session-Timeout"), "ten", "", 0)
        );
        assert_eq!(
            e.to_string(),
            format!(
                "Session-Timeout: not a valid {} value (\"ten\")",
                DataType::Integer
            )
        );
        let mut b = radius_codec::PacketBuilder::accounting_request(1);
        let e = d.add(&mut b, "No-Such-Attribute", "x", None).unwrap_err();
        assert_eq!(
            (e.kind(), e.attribute()),
            (&ErrorKind::UnknownAttribute, Some("No-Such-Attribute"))
        );
        let long = "x".repeat(300);
        let e = d.add(&mut b, "Filter-Id", &long, None).unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::Codec(_)), "{e}");
        assert!(std::error::Error::source(&e).is_some());
    }

    #[test]
    fn ifid_prints_as_freeradius() {
        let d = Dictionary::builtin();
        let a = attr("Framed-Interface-Id");
        let v = Value::Ifid([0x02, 0x11, 0x22, 0xff, 0xfe, 0x33, 0x00, 0x05]);
        assert_eq!(d.format_value(a, &v), "211:22ff:fe33:5");
        assert_eq!(d.parse_value(a, "211:22ff:fe33:5").unwrap(), v);
        assert_eq!(d.parse_value(a, "0211:22ff:fe33:0005").unwrap(), v);
        assert!(d.parse_value(a, "+211:22ff:fe33:5").is_err());
        assert!(d.parse_value(a, "00211:22ff:fe33:5").is_err());
    }

    #[test]
    fn errors_do_not_quote_hidden_values() {
        // A hidden octets attribute: bad hex must not be quoted in the error.
        let mut files = crate::MemoryResolver::new();
        files.insert("d", "ATTRIBUTE Key 1 octets encrypt=2\n");
        let (d, _) = Dictionary::load(&files, "d", crate::Mode::Strict).unwrap();
        let key = d.attr("Key").unwrap();
        let e = d.parse_value(key, "0xsecretsecret").unwrap_err();
        assert!(!e.to_string().contains("secret"), "{e}");
    }

    /// The password a caller gives is the password the server decrypts.
    #[test]
    fn user_password_is_sent_exactly() {
        use radius_codec::{Packet, PacketBuilder, SharedSecret};
        let d = Dictionary::builtin();
        let secret = SharedSecret::from("s3cret");
        let ra = [7u8; 16];
        let mut b = PacketBuilder::access_request(1, ra);
        let hiding = crate::Hiding {
            secret: &secret,
            salt: 0x8001,
        };
        d.add(&mut b, "User-Password", " pass word\t", Some(&hiding))
            .unwrap();
        let bytes = b.finish(&secret).unwrap();
        let p = Packet::new_checked(&bytes[..]).unwrap();
        let got = d.decode(&p, Some(&hiding));
        let pw = got.iter().find(|a| a.name == "User-Password").unwrap();
        assert_eq!(pw.value, string(b" pass word\t"));
    }

    /// `date` text as FreeRADIUS 3.2.1 prints it (`radclient -x`, TZ=UTC:
    /// `Event-Timestamp = "Dec  2 2026 05:00:00 UTC"`) and the other spellings its
    /// radclient read, through both parsers; numbers stay as they were.
    #[test]
    fn dates_read_and_print_as_freeradius() {
        let d = Dictionary::builtin();
        let ts = attr("Event-Timestamp");
        let v = Value::Date(1_796_187_600);
        for text in [
            "1796187600",
            "0x6b0fa5d0",
            "Dec  2 2026 05:00:00 UTC",
            "2 Dec 2026 05:00",
            "December 2 2026 05:00:00 UTC",
            "05:00:00 Dec 2 2026",
            "Dec  2 2026 09:00:00 +04",
        ] {
            assert_eq!(d.parse_value(ts, text).unwrap(), v, "{text}");
            let quoted = format!(" \"{text}\"\t");
            assert_eq!(d.parse_value_freeradius(ts, &quoted).unwrap(), v, "{quoted}");
        }
        assert_eq!(d.format_value_freeradius(ts, &v), "\"Dec  2 2026 05:00:00 UTC\"");
        assert_eq!(d.format_value(ts, &v), "1796187600");
        // As in radclient ("Expected end of line or comma"), a bare date with blanks
        // is not one value.
        assert!(d.parse_value_freeradius(ts, "Dec  2 2026 05:00:00 UTC").is_err());
        assert_eq!(
            d.parse_value_freeradius(ts, "1796187600").unwrap(),
            v,
            "a bare number"
        );
    }

    /// Bad dates are typed errors that quote the text as it is, blanks included.
    #[test]
    fn date_errors_are_typed() {
        let d = Dictionary::builtin();
        let ts = attr("Event-Timestamp");
        let kind = |text: &str| d.parse_value(ts, text).unwrap_err().kind().clone();
        for text in [
            "Dec 31 1969 23:59:59 UTC",
            "Feb  7 2106 06:28:16 UTC",
            "Jan  1 1970 00:00:00 +0100",
            "4294967296",
            "0x100000000",
            "99999999999999999999999999",
            "-1",
        ] {
            assert_eq!(kind(text), ErrorKind::DateOutOfRange, "{text}");
        }
        let invalid = ErrorKind::InvalidValue {
            data_type: DataType::Date,
        };
        for text in [
            "2026-12-02T05:00:00Z",
            "2026-12-02",
            "Feb 30 2026",
            "Dec 2 2026 25:00:00",
            " 1796187600",
            "Dec 2 26",
            "-0",
            "",
        ] {
            assert_eq!(kind(text), invalid, "{text:?}");
        }
        let e = d.parse_value(ts, "Dec  2 2026 06:00:00 CET").unwrap_err();
        assert_eq!(
            (e.kind(), e.attribute(), e.token()),
            (&ErrorKind::UnknownTimeZone, Some("Event-Timestamp"), "CET")
        );
        let e = d.parse_value(ts, "Dec  2 2026 05:00:00 UTC junk").unwrap_err();
        assert_eq!(e.token(), "Dec  2 2026 05:00:00 UTC junk");
        assert_eq!(
            e.to_string(),
            "Event-Timestamp: not a valid date value (\"Dec  2 2026 05:00:00 UTC junk\")"
        );
        let e = d.parse_value(ts, "Dec 31 1969 23:59:59 UTC").unwrap_err();
        assert_eq!(
            e.to_string(),
            "Event-Timestamp: date out of range (Jan  1 1970 00:00:00 UTC to Feb  7 2106 \
             06:28:15 UTC) (\"Dec 31 1969 23:59:59 UTC\")"
        );
        // Through the builder too, with nothing added.
        let mut b = radius_codec::PacketBuilder::accounting_request(1);
        let empty = b.len();
        let e = d.add(&mut b, "Event-Timestamp", "Dec 2 1969", None).unwrap_err();
        assert_eq!((e.kind(), b.len()), (&ErrorKind::DateOutOfRange, empty));
    }

    /// The packet printer shows dates as FreeRADIUS's debug output does; the plain
    /// text (JSON output, bindings) keeps the number.
    #[test]
    fn packets_print_dates_as_freeradius() {
        use radius_codec::{Packet, PacketBuilder, SharedSecret};
        let d = Dictionary::builtin();
        let mut b = PacketBuilder::accounting_request(9);
        d.add(&mut b, "Acct-Status-Type", "Start", None).unwrap();
        d.add(&mut b, "Event-Timestamp", "Dec  2 2026 05:00:00 UTC", None)
            .unwrap();
        let bytes = b.finish(&SharedSecret::from("s")).unwrap();
        let p = Packet::new_checked(&bytes[..]).unwrap();
        assert_eq!(
            d.display(&p).to_string(),
            "Accounting-Request Id 9 length 32\n\tAcct-Status-Type = Start\n\t\
             Event-Timestamp = \"Dec  2 2026 05:00:00 UTC\"\n"
        );
        let texts: Vec<_> = d.decode(&p, None).iter().map(Decoded::text).collect();
        assert_eq!(texts, ["Start", "1796187600"]);
    }

    fn ascend() -> Dictionary {
        let mut files = crate::MemoryResolver::new();
        files.insert(
            "d",
            "VENDOR Ascend 529\nBEGIN-VENDOR Ascend\nATTRIBUTE Ascend-Data-Filter 242 abinary\n\
             ATTRIBUTE Ascend-Call-Filter 243 abinary\nEND-VENDOR Ascend\n",
        );
        Dictionary::load(&files, "d", crate::Mode::Strict).unwrap().0
    }

    /// Ascend filters through the dictionary's four text functions: filter text
    /// (quoted in FreeRADIUS syntax), `0x` hex for octets no text reads back.
    #[test]
    fn ascend_filters_read_and_print_as_freeradius() {
        let d = ascend();
        let f = d.attr("Ascend-Data-Filter").unwrap();
        let text = "ip in forward srcip 10.1.1.0/24 dstip 192.168.0.1/32 tcp dstport = 80";
        let v = d.parse_value(f, text).unwrap();
        let Value::Abinary(octets) = &v else {
            panic!("{v:?}")
        };
        assert_eq!(
            octets[..],
            [
                1, 1, 1, 0, 10, 1, 1, 0, 192, 168, 0, 1, 24, 32, 6, 0, 0, 0, 0, 80, 0, 2, 0, 0, 0, 0, 0, 0,
                0, 0, 0, 0
            ]
        );
        assert_eq!(d.format_value(f, &v), text);
        let quoted = d.format_value_freeradius(f, &v);
        assert_eq!(quoted, format!("\"{text}\""));
        assert_eq!(d.parse_value_freeradius(f, &quoted).unwrap(), v);
        assert_eq!(d.parse_value_freeradius(f, &format!(" '{text}'\t")).unwrap(), v);
        // Keywords in any case.
        let c = d.attr("Ascend-Call-Filter").unwrap();
        let v = d
            .parse_value(c, "GENERIC OUT DROP 0 FFFF00000000 0a0b00000000 MORE")
            .unwrap();
        assert_eq!(
            d.format_value_freeradius(c, &v),
            "\"generic out drop 0 ffff00000000 0a0b00000000 == more\""
        );
        // Hex is the octets as given, and octets no text says print as hex.
        // (Too short, empty, a non-zero padding octet.)
        for hex in ["0x01010100", "0x", &format!("0x01010101{}", "00".repeat(28))] {
            let v = d.parse_value(f, hex).unwrap();
            assert_eq!(d.format_value(f, &v), hex.to_ascii_lowercase());
            assert_eq!(d.format_value_freeradius(f, &v), hex.to_ascii_lowercase());
            assert_eq!(d.parse_value_freeradius(f, hex).unwrap(), v);
        }
        let v = d
            .parse_value(f, &format!("0x01010100{}", "00".repeat(28)))
            .unwrap();
        assert_eq!(d.format_value_freeradius(f, &v), "\"ip in forward 0\"");
        // A bare filter in FreeRADIUS syntax is several words, as in radclient.
        assert!(d.parse_value_freeradius(f, text).is_err());
    }

    #[test]
    fn ascend_filter_errors_are_typed() {
        let d = ascend();
        let f = d.attr("Ascend-Data-Filter").unwrap();
        let e = d
            .parse_value(f, "ip in forward srcip 10.0.0.1/33 tcp")
            .unwrap_err();
        assert_eq!(
            (e.kind(), e.attribute(), e.token()),
            (
                &ErrorKind::InvalidFilter(crate::FilterError::BadAddress),
                Some("Ascend-Data-Filter"),
                "10.0.0.1/33"
            )
        );
        assert_eq!(
            e.to_string(),
            "Ascend-Data-Filter: not a valid Ascend filter: invalid address (\"10.0.0.1/33\")"
        );
        let e = d.parse_value(f, "ip in").unwrap_err();
        assert_eq!(
            e.to_string(),
            "Ascend-Data-Filter: not a valid Ascend filter: a word is missing after (\"ip in\")"
        );
        // Bad hex stays an invalid abinary value.
        let e = d.parse_value(f, "0x123").unwrap_err();
        assert_eq!(
            *e.kind(),
            ErrorKind::InvalidValue {
                data_type: DataType::Abinary
            }
        );
        // Through the builder, nothing is added.
        let mut b = radius_codec::PacketBuilder::accounting_request(1);
        let empty = b.len();
        let e = d
            .add(
                &mut b,
                "Ascend-Data-Filter",
                "ipv6 in forward srcip 10.0.0.1",
                None,
            )
            .unwrap_err();
        assert_eq!(
            (e.kind(), b.len()),
            (&ErrorKind::InvalidFilter(crate::FilterError::BadAddress), empty)
        );
    }

    /// The packet printer shows filters as FreeRADIUS's debug output does.
    #[test]
    fn packets_print_ascend_filters() {
        use radius_codec::{Packet, PacketBuilder, SharedSecret};
        let d = ascend();
        let mut b = PacketBuilder::accounting_request(3);
        d.add(
            &mut b,
            "Ascend-Data-Filter",
            "ipx in forward srcipxnet 12 srcipxnode 0a0b0c0d0e0f",
            None,
        )
        .unwrap();
        d.add(
            &mut b,
            "Ascend-Call-Filter",
            "ipv6 out drop dstip 2001:db8::/32 udp",
            None,
        )
        .unwrap();
        d.add(&mut b, "Ascend-Data-Filter", "0x0101", None).unwrap();
        let bytes = b.finish(&SharedSecret::from("s")).unwrap();
        let p = Packet::new_checked(&bytes[..]).unwrap();
        assert_eq!(
            d.display(&p).to_string(),
            "Accounting-Request Id 3 length 126\n\
             \tAscend-Data-Filter = \"ipx in forward srcipxnet 0x0012 srcipxnode 0x0a0b0c0d0e0f\"\n\
             \tAscend-Call-Filter = \"ipv6 out drop dstip 2001:db8::/32 udp\"\n\
             \tAscend-Data-Filter = 0x0101\n"
        );
        let texts: Vec<_> = d.decode(&p, None).iter().map(Decoded::text).collect();
        assert_eq!(
            texts,
            [
                "ipx in forward srcipxnet 0x0012 srcipxnode 0x0a0b0c0d0e0f",
                "ipv6 out drop dstip 2001:db8::/32 udp",
                "0x0101"
            ]
        );
    }

    proptest! {
        /// Any `abinary` octets print (as text or hex) and read back to the same
        /// octets, through both pairs.
        #[test]
        fn every_abinary_round_trips(
            head in (0u8..5, 0u8..2, 0u8..2),
            body in proptest::collection::vec(prop_oneof![4 => Just(0u8), 1 => any::<u8>()], 0..=60),
        ) {
            let d = ascend();
            let f = d.attr("Ascend-Data-Filter").unwrap();
            let mut octets = vec![head.0, head.1, head.2, 0];
            octets.extend(body);
            let v = Value::Abinary(Cow::Owned(octets));
            let plain = d.format_value(f, &v);
            prop_assert_eq!(d.parse_value(f, &plain).unwrap(), v.clone());
            let fr = d.format_value_freeradius(f, &v);
            prop_assert_eq!(d.parse_value_freeradius(f, &fr).unwrap(), v);
        }

        #[test]
        fn every_string_round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
            let d = Dictionary::builtin();
            let un = attr("User-Name");
            let v = string(&bytes);
            let text = d.format_value_freeradius(un, &v);
            prop_assert_eq!(d.parse_value_freeradius(un, &text).unwrap(), v.clone());
            if let Ok(s) = core::str::from_utf8(&bytes) {
                prop_assert_eq!(d.format_value(un, &v), s);
                prop_assert_eq!(d.parse_value(un, s).unwrap(), v);
            }
        }

        /// Print, then parse: the same date, through both pairs.
        #[test]
        fn every_date_round_trips(secs in any::<u32>()) {
            let d = Dictionary::builtin();
            let ts = attr("Event-Timestamp");
            let v = Value::Date(secs);
            let fr = d.format_value_freeradius(ts, &v);
            prop_assert_eq!(d.parse_value_freeradius(ts, &fr).unwrap(), v.clone());
            let inner = fr.trim_matches('"');
            prop_assert_eq!(d.parse_value(ts, inner).unwrap(), v.clone());
            let plain = d.format_value(ts, &v);
            prop_assert_eq!(d.parse_value(ts, &plain).unwrap(), v);
        }

        #[test]
        fn every_ifid_round_trips(b in any::<[u8; 8]>()) {
            let d = Dictionary::builtin();
            let a = attr("Framed-Interface-Id");
            let text = d.format_value(a, &Value::Ifid(b));
            prop_assert_eq!(d.parse_value(a, &text).unwrap(), Value::Ifid(b));
        }
    }
}
