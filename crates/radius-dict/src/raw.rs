//! FreeRADIUS's raw attribute names (`Attr-27`, `Attr-26.9999.1`,
//! `Attr-241.26.9999.1`) and their `0x` values: what [`Decoded::freeradius_name`]
//! prints for an unknown attribute or a malformed value, read back.
//!
//! [`Decoded::freeradius_name`]: crate::Decoded::freeradius_name

use std::borrow::Cow;

use radius_codec::{AttrAddr, DataType, VendorId, MAX_PACKET_LEN_TCP};

use crate::error::{Error, ErrorKind};
use crate::model::{AttrDef, Flags};
use crate::Dictionary;

/// The most octets a raw value may have: what the largest packet (RADIUS over TCP or
/// TLS, 65535 octets) holds after its 20-octet header.
pub(crate) const MAX_RAW_LEN: usize = MAX_PACKET_LEN_TCP - 20;

/// The most numbers a raw name may have: an address's path and the `26` and vendor
/// numbers around it.
const MAX_NUMBERS: usize = crate::MAX_DEPTH + 2;

/// `s` starts with `prefix`, ASCII case ignored; the rest.
fn strip_prefix_ci<'s>(s: &'s str, prefix: &str) -> Option<&'s str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| s.get(prefix.len()..))
        .flatten()
}

/// One number of a raw name, as FreeRADIUS's `sscanf_i` reads it: decimal, or hex
/// after `0x`; no sign, no blanks.
fn number(name: &str, part: &str) -> Result<u32, Error> {
    let (digits, radix) = match strip_prefix_ci(part, "0x") {
        Some(h) => (h, 16),
        None => (part, 10),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return Err(Error::value(name, part, ErrorKind::BadNumber));
    }
    u32::from_str_radix(digits, radix).map_err(|_| Error::value(name, part, ErrorKind::NumberOutOfRange))
}

impl Dictionary {
    /// The attribute `name` names: the dictionary's attribute of that name
    /// (case-insensitive), or else, for a raw FreeRADIUS name (`Attr-27`,
    /// `Attr-26.9999.1`), the raw attribute [`Dictionary::raw_attr`] makes. A name
    /// that is neither is [`ErrorKind::UnknownAttribute`], with the closest names as
    /// its [`Error::suggestions`] (`User-Nmae`: `did you mean 'User-Name'?`).
    ///
    /// ```
    /// use radius_dict::Dictionary;
    ///
    /// let dict = Dictionary::builtin();
    /// assert!(!dict.attr_or_raw("Session-Timeout")?.is_raw());
    /// let raw = dict.attr_or_raw("Attr-27")?;
    /// assert!(raw.is_raw());
    /// assert_eq!(raw.addr(), dict.attr("Session-Timeout").unwrap().addr());
    /// # Ok::<(), radius_dict::Error>(())
    /// ```
    pub fn attr_or_raw(&self, name: &str) -> Result<Cow<'_, AttrDef>, Error> {
        match self.attr(name) {
            Some(def) => Ok(Cow::Borrowed(def)),
            None => self.raw_attr(name).map(Cow::Owned).map_err(|e| {
                if e.kind == ErrorKind::UnknownAttribute {
                    e.suggesting(self.suggest_attributes(name))
                } else {
                    e
                }
            }),
        }
    }

    /// A raw attribute from its FreeRADIUS name, whether or not the dictionary knows
    /// the number: the names [`Decoded::freeradius_name`](crate::Decoded::freeradius_name)
    /// prints for an unknown attribute or a malformed value, and the others FreeRADIUS
    /// 3.2 reads (`dict_unknown_from_str`):
    ///
    /// | name                         | attribute                                     |
    /// |------------------------------|-----------------------------------------------|
    /// | `Attr-27`                    | standard attribute 27                         |
    /// | `Attr-26.9999.1`             | Vendor-Specific: vendor 9999, type 1          |
    /// | `Attr-26.9999.1.2`           | TLV 2 in vendor 9999's type 1                 |
    /// | `Attr-241.1`, `Attr-245.1.2` | extended type 1 of 241; TLV 2 in 245.1        |
    /// | `Attr-241`                   | attribute 241 whole (its value starts with the extended type) |
    /// | `Attr-241.26.9999.1`         | Extended-Vendor-Specific: vendor 9999, type 1 |
    /// | `Attr-173.1`                 | TLV 1 of a standard `tlv` attribute           |
    /// | `Vendor-9999-Attr-1`, `Cisco-Attr-1` | Vendor-Specific type 1 of vendor 9999, of Cisco |
    ///
    /// `Attr-` and `Vendor-` in any case; each number decimal or `0x` hex. The
    /// attribute is named by its number (`Attr-26.9999.1`, as printed), its type is
    /// `octets`, it has no flags, and [`AttrDef::is_raw`] is true: its value is the
    /// attribute's octets, written `0x` and hex digits (see
    /// [`Dictionary::parse_value`]), placed as they are, never re-interpreted as the
    /// dictionary's type for that number, so a malformed value printed raw is sent
    /// back with the same octets. (FreeRADIUS decodes octets that are valid for the
    /// known type and encodes them again, which gives the same octets except for
    /// hidden values; those print by name, not raw.) One exception, as in FreeRADIUS:
    /// `Attr-80` is Message-Authenticator, computed when the packet is finished.
    ///
    /// Errors, each naming the attribute and the offending part:
    /// [`ErrorKind::UnknownAttribute`] when `name` is not of these forms (no digit
    /// after `Attr-`); [`ErrorKind::UnknownVendor`] for a vendor name the dictionary
    /// does not define; [`ErrorKind::BadNumber`] for a part that is not a number, or
    /// a name without its numbers (`Attr-26.9999` has no vendor type);
    /// [`ErrorKind::NumberOutOfRange`] for a number too large for its field (a type
    /// or TLV over 255, a vendor type too wide for the vendor's format, a vendor id
    /// over 32 bits or of 0), or for more numbers than an address holds
    /// ([`MAX_DEPTH`](crate::MAX_DEPTH)); [`ErrorKind::NotTlv`] for children under a
    /// standard attribute the dictionary does not define as `tlv`, or under a vendor
    /// whose format has types wider than one octet (unless the dictionary defines
    /// that parent as `tlv`). Vendor ids from 2^24 up, which
    /// FreeRADIUS refuses, are read: the wire holds 32 bits and this crate prints
    /// them.
    ///
    /// ```
    /// use radius_codec::{AttrAddr, VendorId};
    /// use radius_dict::{Dictionary, ErrorKind};
    ///
    /// let dict = Dictionary::builtin();
    /// let a = dict.raw_attr("Attr-26.9999.1")?;
    /// assert_eq!(a.addr(), AttrAddr::vendor_specific(VendorId(9999), 1));
    /// assert_eq!(dict.raw_attr("Attr-241.26.9999.1")?.addr(), AttrAddr::evs(241, VendorId(9999), 1));
    /// let e = dict.raw_attr("Attr-256").unwrap_err();
    /// assert_eq!((e.kind(), e.token()), (&ErrorKind::NumberOutOfRange, "256"));
    /// assert_eq!(e.to_string(), "Attr-256: number out of range (\"256\")");
    /// # Ok::<(), radius_dict::Error>(())
    /// ```
    pub fn raw_attr(&self, name: &str) -> Result<AttrDef, Error> {
        let unknown = || Error::value(name, name, ErrorKind::UnknownAttribute);
        // `Attr-...`, or `VENDOR-Attr-...` with `VENDOR` a name or `Vendor-N`.
        let (vendor, numbers) = match strip_prefix_ci(name, "Attr-") {
            Some(rest) => (None, rest),
            None => {
                let at = name
                    .char_indices()
                    .filter(|(i, _)| {
                        name.get(*i..)
                            .and_then(|s| strip_prefix_ci(s, "-Attr-"))
                            .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
                    })
                    .map(|(i, _)| i)
                    .next()
                    .ok_or_else(unknown)?;
                let (prefix, rest) = (name.get(..at).unwrap_or(""), name.get(at + 6..).unwrap_or(""));
                let id = match strip_prefix_ci(prefix, "Vendor-") {
                    Some(n) if n.starts_with(|c: char| c.is_ascii_digit()) => number(name, n)?,
                    _ => self
                        .vendor_by_name(prefix)
                        .map(|v| v.id().0)
                        .ok_or_else(|| Error::value(name, prefix, ErrorKind::UnknownVendor))?,
                };
                if id == 0 {
                    return Err(Error::value(name, prefix, ErrorKind::NumberOutOfRange));
                }
                (Some(id), rest)
            }
        };
        if !numbers.starts_with(|c: char| c.is_ascii_digit()) {
            return Err(unknown());
        }
        let mut ns = [0u32; MAX_NUMBERS];
        let mut len = 0;
        for part in numbers.split('.') {
            let slot = ns
                .get_mut(len)
                .ok_or_else(|| Error::value(name, part, ErrorKind::NumberOutOfRange))?;
            *slot = number(name, part)?;
            len += 1;
        }
        let ns = ns.get(..len).unwrap_or_default();
        let addr = match vendor {
            Some(v) => self.raw_vsa(name, VendorId(v), ns)?,
            None => self.raw_numbers(name, numbers, ns)?,
        };
        Ok(AttrDef {
            name: addr.to_string(),
            addr,
            data_type: DataType::Octets,
            fixed_len: None,
            flags: Flags::default(),
            raw: true,
        })
    }

    /// The address of `Attr-` followed by `ns` (`text` is that part of `name`).
    fn raw_numbers(&self, name: &str, text: &str, ns: &[u32]) -> Result<AttrAddr, Error> {
        let out_of_range = |n: &u32| Error::value(name, &n.to_string(), ErrorKind::NumberOutOfRange);
        let octet = |n: &u32| if *n > 255 { Err(out_of_range(n)) } else { Ok(*n) };
        let incomplete = || Error::value(name, text, ErrorKind::BadNumber);
        let vendor_id = |v: &u32| {
            if *v == 0 {
                Err(out_of_range(v))
            } else {
                Ok(VendorId(*v))
            }
        };
        let path = |vendor, head: &[u32], children: &[u32]| -> Result<AttrAddr, Error> {
            let mut a = AttrAddr::new(vendor, head).ok_or_else(incomplete)?;
            for c in children {
                a = a.child(octet(c)?).ok_or_else(|| out_of_range(c))?;
            }
            Ok(a)
        };
        match ns {
            [] | [26, _] | [241..=246, 26, _] => Err(incomplete()),
            [t] => Ok(AttrAddr::standard(octet(t)?)),
            [26, v, rest @ ..] => self.raw_vsa(name, vendor_id(v)?, rest),
            [e @ 241..=246, 26, v, t, children @ ..] => path(vendor_id(v)?, &[*e, 26, octet(t)?], children),
            [e @ 241..=246, x, children @ ..] => path(VendorId(0), &[*e, octet(x)?], children),
            [t, children @ ..] => {
                let t = octet(t)?;
                let tlv = self
                    .attr_by_addr(AttrAddr::standard(t))
                    .is_some_and(|d| d.data_type() == DataType::Tlv);
                if !tlv {
                    return Err(Error::value(name, &t.to_string(), ErrorKind::NotTlv));
                }
                path(VendorId(0), &[t], children)
            }
        }
    }

    /// The address of vendor `v`'s attribute `ns` (type, then TLV children).
    fn raw_vsa(&self, name: &str, v: VendorId, ns: &[u32]) -> Result<AttrAddr, Error> {
        let out_of_range = |n: &u32| Error::value(name, &n.to_string(), ErrorKind::NumberOutOfRange);
        let Some((t, children)) = ns.split_first() else {
            return Err(Error::value(name, name, ErrorKind::BadNumber));
        };
        let width = self.vendor_format(v).type_len();
        if width < 4 && u64::from(*t) >= 1u64 << (8 * u32::from(width)) {
            return Err(out_of_range(t));
        }
        let tlv = || {
            self.attr_by_addr(AttrAddr::vendor_specific(v, *t))
                .is_some_and(|d| d.data_type() == DataType::Tlv)
        };
        if width != 1 && !children.is_empty() && !tlv() {
            return Err(Error::value(name, &t.to_string(), ErrorKind::NotTlv));
        }
        let mut a = AttrAddr::vendor_specific(v, *t);
        for c in children {
            if *c > 255 {
                return Err(out_of_range(c));
            }
            a = a.child(*c).ok_or_else(|| out_of_range(c))?;
        }
        Ok(a)
    }
}

/// The octets of a raw attribute's value: `0x` (or `0X`) and an even number of hex
/// digits, at most [`MAX_RAW_LEN`] octets; anything else is
/// [`ErrorKind::InvalidValue`] (FreeRADIUS too takes only hex for an unknown
/// attribute).
pub(crate) fn raw_octets(attr: &AttrDef, text: &str) -> Result<Vec<u8>, Error> {
    let bad = || {
        Error::value(
            attr.name(),
            text,
            ErrorKind::InvalidValue {
                data_type: DataType::Octets,
            },
        )
    };
    let hex = strip_prefix_ci(text, "0x").ok_or_else(bad)?;
    if hex.len() % 2 != 0 || hex.len() / 2 > MAX_RAW_LEN || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(bad());
    }
    hex.as_bytes()
        .chunks(2)
        .map(|p| {
            let s = core::str::from_utf8(p).ok()?;
            u8::from_str_radix(s, 16).ok()
        })
        .collect::<Option<Vec<u8>>>()
        .ok_or_else(bad)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use radius_codec::{Packet, PacketBuilder, SharedSecret, Value, VendorId};

    use super::*;

    use crate::display::tests::{attr, raw_cases, vsa};

    /// An Accounting-Request holding `attrs` (octets of whole attributes), as sent.
    fn packet(attrs: &[u8]) -> Option<Vec<u8>> {
        let mut bytes = vec![4, 0, 0, 0];
        bytes.extend([0; 16]);
        bytes.extend_from_slice(attrs);
        let len = u16::try_from(bytes.len()).ok()?.to_be_bytes();
        bytes[2..4].copy_from_slice(&len);
        let ok = Packet::new_checked(&bytes[..]).is_ok();
        ok.then_some(bytes)
    }

    /// The attributes of a packet as printed: `(freeradius_name, freeradius_value)`.
    fn printed(bytes: &[u8]) -> Vec<(String, String)> {
        let p = Packet::new_checked(bytes).unwrap();
        Dictionary::builtin()
            .decode(&p, None)
            .iter()
            .map(|d| (d.freeradius_name().into_owned(), d.freeradius_value()))
            .collect()
    }

    /// The printed pairs added to a new Accounting-Request with `Dictionary::add`:
    /// its attribute octets.
    fn rebuilt(pairs: &[(String, String)]) -> Result<Vec<u8>, Error> {
        let d = Dictionary::builtin();
        let mut b = PacketBuilder::accounting_request(0);
        for (n, v) in pairs {
            d.add(&mut b, n, v, None)?;
        }
        let bytes = b.finish(&SharedSecret::from("s")).unwrap();
        Ok(bytes[20..].to_vec())
    }

    /// Every raw form the printer writes (display.rs's cases printed as
    /// `Attr-... = 0x...`: unknown standard, vendor, extended, EVS attributes, an
    /// unknown short extended type, values malformed for their type), read back by
    /// `Dictionary::add`, gives the attribute's octets as they were.
    #[test]
    fn every_printed_raw_form_reads_back_to_the_same_octets() {
        let more: &[(Vec<u8>, &str)] = &[
            (attr(64, &[1, 0, 13]), "Attr-64 = 0x01000d"),
            // Empty values, a vendor id from 2^24 up, a long-extended value in
            // fragments.
            (attr(192, &[]), "Attr-192 = 0x"),
            (vsa(0x0100_0000, 1, b"x"), "Attr-26.16777216.1 = 0x78"),
        ];
        for (a, line) in raw_cases().iter().chain(more) {
            let bytes = packet(a).unwrap();
            let pairs = printed(&bytes);
            let lines: Vec<String> = pairs.iter().map(|(n, v)| format!("{n} = {v}")).collect();
            assert_eq!(lines, [*line]);
            assert_eq!(rebuilt(&pairs).unwrap(), *a, "{line}");
        }
        // A long-extended value fragmented over two attributes: one raw value.
        let mut long = attr(245, &[1, 0x80].into_iter().chain([7; 251]).collect::<Vec<_>>());
        long.extend(attr(245, &[1, 0, 7, 7, 7]));
        let bytes = packet(&long).unwrap();
        let pairs = printed(&bytes);
        assert_eq!(pairs.len(), 1);
        assert_eq!(pairs[0].0, "Attr-245.1");
        assert_eq!(rebuilt(&pairs).unwrap(), long);
    }

    /// FreeRADIUS's other spellings: `Attr-` in any case, hex numbers,
    /// `Vendor-N-Attr-M`, `VendorName-Attr-M`, TLV children, `0X` values, quoted
    /// values.
    #[test]
    fn freeradius_spellings() {
        let d = Dictionary::builtin();
        let addr = |name: &str| d.raw_attr(name).unwrap().addr();
        let vsa = |v: u32, p: &[u32]| AttrAddr::new(VendorId(v), p).unwrap();
        assert_eq!(addr("attr-27"), AttrAddr::standard(27));
        assert_eq!(addr("ATTR-0x1b"), AttrAddr::standard(27));
        assert_eq!(addr("Vendor-9-Attr-1"), vsa(9, &[1]));
        assert_eq!(addr("vendor-0x270f-attr-1.2"), vsa(9999, &[1, 2]));
        assert_eq!(addr("Cisco-Attr-1"), vsa(9, &[1]));
        assert_eq!(addr("cisco-attr-1"), vsa(9, &[1]));
        assert_eq!(addr("Attr-26.9.1"), vsa(9, &[1]));
        assert_eq!(addr("Attr-26.24757.1.2.3"), vsa(24757, &[1, 2, 3]));
        assert_eq!(addr("Attr-241.2.1"), vsa(0, &[241, 2, 1]));
        assert_eq!(addr("Attr-241.26"), vsa(0, &[241, 26]));
        assert_eq!(addr("Attr-246.26.9.1.5"), vsa(9, &[246, 26, 1, 5]));
        assert_eq!(addr("Attr-26"), AttrAddr::standard(26));
        // A vendor with 4-octet types (USR) and one with 2-octet types (Lucent).
        assert_eq!(addr("Attr-26.429.4294967295"), vsa(429, &[u32::MAX]));
        assert_eq!(addr("Attr-26.4846.65535"), vsa(4846, &[65535]));
        // The name is the printed one; the type octets, no flags.
        let a = d.raw_attr("Vendor-9-Attr-0x01").unwrap();
        assert_eq!(
            (a.name(), a.data_type(), a.flags(), a.is_raw()),
            ("Attr-26.9.1", DataType::Octets, Flags::default(), true)
        );
        // A dictionary name first.
        assert!(!d.attr_or_raw("cisco-avpair").unwrap().is_raw());

        let raw = d.raw_attr("Attr-27").unwrap();
        let octets = |v: &[u8]| Value::Octets(Cow::Owned(v.to_vec()));
        assert_eq!(d.parse_value(&raw, "0X0A0b").unwrap(), octets(&[10, 11]));
        assert_eq!(d.parse_value(&raw, "0x").unwrap(), octets(&[]));
        assert_eq!(
            d.parse_value_freeradius(&raw, " \"0x0a\" ").unwrap(),
            octets(&[10])
        );
        assert_eq!(d.parse_value_freeradius(&raw, "'0x0a'").unwrap(), octets(&[10]));
        assert_eq!(d.format_value(&raw, &octets(&[10, 11])), "0x0a0b");
    }

    /// Children under a vendor with 2-octet types only where the dictionary has a
    /// `tlv` there (FreeRADIUS refuses them all; this crate prints them), read back
    /// to the same octets.
    #[test]
    fn children_of_a_wide_vendor_type() {
        let mut files = crate::MemoryResolver::new();
        files.insert(
            "dictionary",
            "VENDOR Wide 7777 format=2,1\nBEGIN-VENDOR Wide\nATTRIBUTE Wide-Tlv 300 tlv\n\
             ATTRIBUTE Wide-Tlv-Child 300.1 integer\nEND-VENDOR Wide\n",
        );
        let (d, _) = Dictionary::load(&files, "dictionary", crate::Mode::Strict).unwrap();
        let e = d.raw_attr("Attr-26.7777.301.2").unwrap_err();
        assert_eq!((e.kind(), e.token()), (&ErrorKind::NotTlv, "301"));
        // Vendor 7777, type 300, length 6 (type, length, TLV 2 of 3 octets: `x`).
        let vsa = [26, 12, 0, 0, 0x1e, 0x61, 1, 44, 6, 2, 3, b'x'];
        let mut bytes = vec![4, 0, 0, 32];
        bytes.extend([0; 16]);
        bytes.extend(vsa);
        let opts = radius_codec::DecodeOptions::UDP.vendor_formats(&d);
        let p = Packet::new_checked_with(&bytes[..], &opts).unwrap();
        let pairs: Vec<_> = d
            .decode(&p, None)
            .iter()
            .map(|a| (a.freeradius_name().into_owned(), a.freeradius_value()))
            .collect();
        assert_eq!(pairs, [("Attr-26.7777.300.2".to_string(), "0x78".to_string())]);
        let mut b = PacketBuilder::accounting_request(0);
        d.add(&mut b, &pairs[0].0, &pairs[0].1, None).unwrap();
        assert_eq!(b.finish(&SharedSecret::from("s")).unwrap()[20..], vsa);
    }

    /// A raw name for a number the dictionary knows sends the octets as they are,
    /// valid or not; `Attr-80` is Message-Authenticator, computed at the end.
    #[test]
    fn a_known_number_is_sent_raw() {
        let d = Dictionary::builtin();
        let mut b = PacketBuilder::accounting_request(0);
        d.add(&mut b, "Attr-27", "0x0000000a", None).unwrap();
        d.add(&mut b, "Attr-1", "0x626f62", None).unwrap();
        d.add(&mut b, "Attr-26.9.1", "0x613d62", None).unwrap();
        // User-Password's octets are not hidden again: they are the wire octets.
        d.add(&mut b, "Attr-2", "0x00112233445566778899aabbccddeeff", None)
            .unwrap();
        d.add(&mut b, "Attr-80", "0x00", None).unwrap();
        let bytes = b.finish(&SharedSecret::from("s")).unwrap();
        let p = Packet::new_checked(&bytes[..]).unwrap();
        let got: Vec<(u8, &[u8])> = p.attributes().map(|a| (a.typ().0, a.value())).collect();
        assert_eq!(got.len(), 5);
        assert_eq!(
            &got[..4],
            &[
                (27, &[0, 0, 0, 10][..]),
                (1, b"bob"),
                (26, &[0, 0, 0, 9, 1, 5, b'a', b'=', b'b']),
                (
                    2,
                    &[
                        0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd,
                        0xee, 0xff
                    ]
                ),
            ]
        );
        assert_eq!((got[4].0, got[4].1.len()), (80, 16));
        assert!(p
            .verify_message_authenticator(&SharedSecret::from("s"), None)
            .is_ok());
        let text = d.display(&p).to_string();
        assert!(
            text.contains("\tSession-Timeout = 10\n\tUser-Name = \"bob\"\n\tCisco-AVPair = \"a=b\"\n"),
            "{text}"
        );
    }

    /// Bad names and values are typed errors naming the attribute and the part.
    #[test]
    fn bad_forms_are_typed_errors() {
        use ErrorKind::*;
        let d = Dictionary::builtin();
        let long_path = format!("Attr-26.9.{}", ["1"; 9].join("."));
        let many = format!("Attr-{}", ["1"; 40].join("."));
        let name_cases: &[(&str, ErrorKind, &str)] = &[
            ("Attr-", UnknownAttribute, "Attr-"),
            ("Attr-x", UnknownAttribute, "Attr-x"),
            ("Frobnicate-Thing", UnknownAttribute, "Frobnicate-Thing"),
            ("Attr-27x", BadNumber, "27x"),
            ("Attr-27.", BadNumber, ""),
            ("Attr-+27", UnknownAttribute, "Attr-+27"),
            ("Attr-0x", BadNumber, "0x"),
            ("Attr-26.9.1.-1", BadNumber, "-1"),
            ("Attr-256", NumberOutOfRange, "256"),
            ("Attr-4294967296", NumberOutOfRange, "4294967296"),
            ("Attr-26.4294967296.1", NumberOutOfRange, "4294967296"),
            ("Attr-26.0.1", NumberOutOfRange, "0"),
            ("Attr-241.26.0.1", NumberOutOfRange, "0"),
            ("Vendor-0-Attr-1", NumberOutOfRange, "Vendor-0"),
            ("Attr-26.9.256", NumberOutOfRange, "256"),
            ("Attr-26.4846.65536", NumberOutOfRange, "65536"),
            ("Attr-26.9.1.256", NumberOutOfRange, "256"),
            ("Attr-241.256", NumberOutOfRange, "256"),
            ("Attr-241.26.9.256", NumberOutOfRange, "256"),
            ("Attr-241.1.300", NumberOutOfRange, "300"),
            (&long_path, NumberOutOfRange, "1"),
            (&many, NumberOutOfRange, "1"),
            ("Attr-26.9", BadNumber, "26.9"),
            ("Attr-241.26.9", BadNumber, "241.26.9"),
            ("Attr-1.2", NotTlv, "1"),
            ("Attr-192.1", NotTlv, "192"),
            ("Attr-26.4846.1.2", NotTlv, "1"),
            ("Nosuchvendor-Attr-1", UnknownVendor, "Nosuchvendor"),
        ];
        for (name, kind, token) in name_cases {
            let e = d.raw_attr(name).unwrap_err();
            assert_eq!((e.kind(), e.token()), (kind, *token), "{name}");
            if name.len() <= 40 {
                assert_eq!(e.attribute(), Some(*name));
            }
            // `add` says the same, and adds nothing.
            let mut b = PacketBuilder::accounting_request(0);
            assert_eq!(d.add(&mut b, name, "0x00", None).unwrap_err(), e);
            assert_eq!(b.finish(&SharedSecret::from("s")).unwrap().len(), 20);
        }
        let value_cases = [
            "000001", "0x0", "0x000", "0xzz", "0x 00", "0x-1", "'0x0g'", "0x00 ", "bob",
        ];
        for text in value_cases {
            let mut b = PacketBuilder::accounting_request(0);
            let e = d.add(&mut b, "Attr-27", text, None).unwrap_err();
            assert_eq!(
                (e.kind(), e.attribute(), e.token()),
                (
                    &InvalidValue {
                        data_type: DataType::Octets
                    },
                    Some("Attr-27"),
                    text
                ),
                "{text}"
            );
        }
        // Too long: for the attribute (the codec's error), for any packet.
        let mut b = PacketBuilder::accounting_request(0);
        let e = d
            .add(&mut b, "Attr-192", &format!("0x{}", "00".repeat(254)), None)
            .unwrap_err();
        assert!(
            matches!(e.kind(), Codec(radius_codec::Error::ValueTooLong { .. })),
            "{e}"
        );
        let huge = format!("0x{}", "00".repeat(MAX_RAW_LEN + 1));
        let e = d.add(&mut b, "Attr-245.1", &huge, None).unwrap_err();
        assert!(matches!(e.kind(), InvalidValue { .. }), "{e}");
        assert_eq!(e.token().len(), 43);
        // A tag on a raw attribute.
        let e = d.add(&mut b, "Attr-64:1", "0x0000000d", None).unwrap_err();
        assert_eq!((e.kind(), e.token()), (&InvalidTag, "1"));
        assert_eq!(b.finish(&SharedSecret::from("s")).unwrap().len(), 20);
    }

    proptest! {
        /// Any attribute octets that print raw (`Attr-... = 0x...`) read back, with
        /// `Dictionary::add`, to attributes that print the same; one printed pair
        /// from one attribute reads back to that attribute's octets.
        #[test]
        fn random_raw_attributes_round_trip(
            a in prop_oneof![
                (any::<u8>(), proptest::collection::vec(any::<u8>(), 0..24))
                    .prop_map(|(t, v)| attr(t, &v)),
                (
                    prop_oneof![Just(9u32), Just(311), Just(429), Just(4846), Just(9999),
                        Just(14122), Just(24757), any::<u32>()],
                    proptest::collection::vec(any::<u8>(), 0..24),
                ).prop_map(|(vendor, v)| {
                    let mut data = vendor.to_be_bytes().to_vec();
                    data.extend(v);
                    attr(26, &data)
                }),
                (any::<u32>(), any::<u8>(), proptest::collection::vec(any::<u8>(), 0..24))
                    .prop_map(|(vendor, t, v)| vsa(vendor, t, &v)),
                (241u8..=246, any::<u8>(), proptest::collection::vec(any::<u8>(), 0..24))
                    .prop_map(|(e, x, v)| {
                        let mut data = vec![x];
                        data.extend(v);
                        attr(e, &data)
                    }),
                (241u8..=246, any::<u32>(), proptest::collection::vec(any::<u8>(), 0..24))
                    .prop_map(|(e, vendor, v)| {
                        let mut data = vec![26];
                        data.extend(vendor.to_be_bytes());
                        data.extend(v);
                        attr(e, &data)
                    }),
            ]
        ) {
            // Message-Authenticator is computed, never raw.
            prop_assume!(a[0] != 80);
            // A long-extended attribute's flags octet is not printed (its More bit
            // is how fragments join; FreeRADIUS ignores the reserved bits too).
            let mut a = a;
            if matches!(a[0], 245 | 246) && a.len() >= 4 {
                a[3] = 0;
            }
            // Nor are the reserved bits of a WiMAX VSA's continuation octet (only its
            // top bit, C, means anything; FreeRADIUS ignores the others as well).
            if a.len() >= 9 && a[0] == 26 && a[2..6] == 24757u32.to_be_bytes() {
                a[8] &= 0x80;
            }
            let Some(bytes) = packet(&a) else { return Ok(()) };
            let pairs = printed(&bytes);
            if pairs.iter().any(|(n, _)| !n.starts_with("Attr-")) {
                return Ok(());
            }
            let again = rebuilt(&pairs).unwrap();
            let one = pairs.len() == 1;
            prop_assert_eq!(printed(&packet(&again).unwrap()), pairs);
            if one {
                prop_assert_eq!(again, a);
            }
        }

        /// Any raw value's hex reads back to its octets.
        #[test]
        fn raw_values_round_trip(v in proptest::collection::vec(any::<u8>(), 0..300)) {
            let d = Dictionary::builtin();
            let raw = d.raw_attr("Attr-26.9999.1").unwrap();
            let value = Value::Octets(Cow::Owned(v));
            let text = d.format_value_freeradius(&raw, &value);
            prop_assert_eq!(d.parse_value_freeradius(&raw, &text).unwrap(), value.clone());
            prop_assert_eq!(d.parse_value(&raw, &text.to_uppercase().replacen("0X", "0x", 1)).unwrap(), value);
        }
    }
}
