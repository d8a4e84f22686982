//! # nacwire-mac
//!
//! The one MAC address text parser of the nacwire crates. `nac-model`'s `MacAddress`,
//! `radius-dict`'s `ether` values and `ecp-sigv4`'s redirect parameters all read MAC
//! addresses through [`parse`]; each then decides which [`Spelling`]s it takes (an ECP
//! redirect takes only the two its controllers send). This crate depends on nothing
//! but `thiserror`, so `ecp-sigv4` stays apart from the RADIUS crates.
//!
//! ```
//! use nacwire_mac::{parse, Spelling};
//! assert_eq!(parse("b0ee.7b97.7f33"), Ok(([0xb0, 0xee, 0x7b, 0x97, 0x7f, 0x33], Spelling::Dotted)));
//! assert_eq!(parse("B0-EE-7B-97-7F-33").unwrap().1, Spelling::Groups(b'-'));
//! assert!(parse("b0ee.7b97.7f3").is_err());
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

/// How the address was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Spelling {
    /// Twelve hex digits, no separator (`b0ee7b977f33`).
    Bare,
    /// Six groups of two digits with this separator (`:`, `-` or space).
    Groups(u8),
    /// Six groups of one or two digits, at least one of one digit, with this separator
    /// (`0:1a:2:3:4:5`, as FreeRADIUS accepts for `ether`).
    ShortGroups(u8),
    /// Three groups of four digits with `.` (`b0ee.7b97.7f33`, Cisco).
    Dotted,
    /// Two groups of six digits with this separator (`b0ee7b-977f33`, `-` or `:`).
    Halves(u8),
}

/// Why a string is not a MAC address.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Empty input.
    #[error("empty MAC address")]
    Empty,
    /// Longer than any MAC spelling (17 characters).
    #[error("MAC address too long ({len} characters, at most 17)")]
    TooLong {
        /// Input length in bytes.
        len: usize,
    },
    /// A character that is neither a hex digit nor a separator.
    #[error("invalid character {ch:?} at position {position} of MAC address")]
    InvalidCharacter {
        /// 0-based byte position.
        position: usize,
        /// The character.
        ch: char,
    },
    /// The groups do not form one of the known spellings, or separators are mixed.
    #[error("MAC address groups do not form a known spelling (aa:bb:cc:dd:ee:ff, aabb.ccdd.eeff, aabbcc-ddeeff or aabbccddeeff)")]
    BadGrouping,
}

const fn hex_value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Parses a MAC address in any common spelling, in any case, with no surrounding
/// blanks: `aa:bb:cc:dd:ee:ff`, `aa-bb-cc-dd-ee-ff`, `aa bb cc dd ee ff`,
/// `a:b:c:d:e:f` (short groups), `aabb.ccdd.eeff`, `aabbcc-ddeeff`, `aabbcc:ddeeff`,
/// `aabbccddeeff`. One separator per address. Returns the octets and the spelling.
pub fn parse(s: &str) -> Result<([u8; 6], Spelling), Error> {
    let b = s.as_bytes();
    if b.is_empty() {
        return Err(Error::Empty);
    }
    if b.len() > 17 {
        return Err(Error::TooLong { len: b.len() });
    }
    // Digit runs between separators: up to six, each up to twelve digits.
    let mut groups = [[0u8; 12]; 6];
    let mut lens = [0usize; 6];
    let mut group = 0usize;
    let mut sep: Option<u8> = None;
    for (position, &c) in b.iter().enumerate() {
        if let Some(v) = hex_value(c) {
            let (Some(g), Some(n)) = (groups.get_mut(group), lens.get_mut(group)) else {
                return Err(Error::BadGrouping);
            };
            let Some(slot) = g.get_mut(*n) else {
                return Err(Error::BadGrouping);
            };
            *slot = v;
            *n += 1;
            continue;
        }
        if !matches!(c, b':' | b'-' | b'.' | b' ') {
            let ch = s
                .get(position..)
                .and_then(|r| r.chars().next())
                .unwrap_or('\u{fffd}');
            return Err(Error::InvalidCharacter { position, ch });
        }
        if sep.is_some_and(|p| p != c) {
            return Err(Error::BadGrouping);
        }
        sep = Some(c);
        group += 1;
        if group >= groups.len() {
            return Err(Error::BadGrouping);
        }
    }
    let shape = lens.get(..=group).unwrap_or(&[]);
    let spelling = match (sep, shape) {
        (None, [12]) => Spelling::Bare,
        (Some(c @ (b':' | b'-' | b' ')), [2, 2, 2, 2, 2, 2]) => Spelling::Groups(c),
        (Some(c @ (b':' | b'-' | b' ')), l) if l.len() == 6 && l.iter().all(|n| matches!(n, 1 | 2)) => {
            Spelling::ShortGroups(c)
        }
        (Some(b'.'), [4, 4, 4]) => Spelling::Dotted,
        (Some(c @ (b'-' | b':')), [6, 6]) => Spelling::Halves(c),
        _ => return Err(Error::BadGrouping),
    };
    let mut out = [0u8; 6];
    if let Spelling::ShortGroups(_) = spelling {
        for ((o, g), n) in out.iter_mut().zip(&groups).zip(&lens) {
            *o = match (n, g) {
                (1, [lo, ..]) => *lo,
                (_, [hi, lo, ..]) => (hi << 4) | lo,
            };
        }
    } else {
        let mut nibbles = groups
            .iter()
            .zip(&lens)
            .flat_map(|(g, n)| g.iter().take(*n).copied());
        for o in &mut out {
            let (Some(hi), Some(lo)) = (nibbles.next(), nibbles.next()) else {
                return Err(Error::BadGrouping);
            };
            *o = (hi << 4) | lo;
        }
    }
    Ok((out, spelling))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const M: [u8; 6] = [0xb0, 0xee, 0x7b, 0x97, 0x7f, 0x33];

    #[test]
    fn every_spelling() {
        for (s, sp) in [
            ("b0:ee:7b:97:7f:33", Spelling::Groups(b':')),
            ("B0-EE-7B-97-7F-33", Spelling::Groups(b'-')),
            ("b0 ee 7b 97 7f 33", Spelling::Groups(b' ')),
            ("b0ee.7b97.7f33", Spelling::Dotted),
            ("b0ee7b-977f33", Spelling::Halves(b'-')),
            ("b0ee7b:977f33", Spelling::Halves(b':')),
            ("b0ee7b977f33", Spelling::Bare),
        ] {
            assert_eq!(parse(s), Ok((M, sp)), "{s}");
        }
        assert_eq!(
            parse("0:1a:2:3:4:5"),
            Ok(([0, 0x1a, 2, 3, 4, 5], Spelling::ShortGroups(b':')))
        );
    }

    #[test]
    fn refusals() {
        for (s, e) in [
            ("", Error::Empty),
            ("b0:ee:7b:97:7f:33:00", Error::TooLong { len: 20 }),
            ("b0:ee:7b:97:7f", Error::BadGrouping),
            ("b0:ee-7b:97:7f:33", Error::BadGrouping),
            ("b0ee.7b97.7f3", Error::BadGrouping),
            ("b0e:e7b:977:f33", Error::BadGrouping),
            ("b0ee7b977f33 ", Error::BadGrouping),
            ("b0ee7b977f3300", Error::BadGrouping),
            (":b0ee7b977f33", Error::BadGrouping),
            (
                "b0ee7b977f3g",
                Error::InvalidCharacter {
                    position: 11,
                    ch: 'g',
                },
            ),
            (
                "é",
                Error::InvalidCharacter {
                    position: 0, ch: 'é'
                },
            ),
        ] {
            assert_eq!(parse(s).map(|(m, _)| m), Err(e), "{s:?}");
        }
    }
}
