//! A packet printed the way FreeRADIUS's debug output prints one.

use core::fmt;

use radius_codec::Packet;

use crate::model::Encrypt;
use crate::Dictionary;

/// A packet as FreeRADIUS's debug output (`radiusd -X`, `radclient -x`) shows it: a
/// header line with code, Identifier and length, then one `Name = value` line per
/// attribute, tab-indented, in wire order. Strings are quoted with FreeRADIUS escapes,
/// enumerated values by name, dates as `"Dec  2 2026 05:00:00 UTC"` (FreeRADIUS on a
/// server in UTC), tagged attributes as `Name:N` (`:0` when untagged), unknown
/// attributes and values malformed for their type by number as `Attr-... = 0x...`
/// (see [`Decoded::freeradius_name`](crate::Decoded::freeradius_name)); values of
/// attributes flagged `secret` or hidden (`encrypt=`) are never shown.
///
/// Made by [`Dictionary::display`], so examples, command line tools and bindings share
/// one printer.
#[derive(Debug)]
pub struct PacketDisplay<'d, 'a> {
    dict: &'d Dictionary,
    packet: Packet<&'a [u8]>,
}

impl Dictionary {
    /// The packet, printed like FreeRADIUS's debug output (see [`PacketDisplay`]).
    ///
    /// ```
    /// use radius_codec::{AttrType, PacketBuilder, SharedSecret};
    /// use radius_dict::Dictionary;
    ///
    /// let dict = Dictionary::builtin();
    /// let mut b = PacketBuilder::disconnect_request(7);
    /// b.without_message_authenticator();
    /// dict.add(&mut b, "User-Name", "bob", None)?;
    /// dict.add(&mut b, "Acct-Terminate-Cause", "Admin-Reset", None)?;
    /// let packet = b.finish_packet(&SharedSecret::from("s"))?;
    /// assert_eq!(
    ///     dict.display(&packet).to_string(),
    ///     "Disconnect-Request Id 7 length 31\n\tUser-Name = \"bob\"\n\tAcct-Terminate-Cause = Admin-Reset\n",
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn display<'d, 'a, T: AsRef<[u8]>>(&'d self, packet: &'a Packet<T>) -> PacketDisplay<'d, 'a> {
        PacketDisplay {
            dict: self,
            packet: packet.view(),
        }
    }
}

impl fmt::Display for PacketDisplay<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = &self.packet;
        writeln!(f, "{} Id {} length {}", p.code(), p.identifier(), p.length())?;
        for d in self.dict.decode(p, None) {
            let text = match d.def {
                Some(def) if def.flags().secret || def.flags().encrypt != Encrypt::None => {
                    "<hidden>".to_owned()
                }
                _ => d.freeradius_value(),
            };
            writeln!(f, "\t{} = {text}", d.freeradius_name())?;
        }
        Ok(())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use radius_codec::Packet;

    use crate::Dictionary;

    /// An Access-Request (Identifier 0, Request Authenticator 0..16) holding one
    /// attribute given as its type and value octets.
    fn request(attr: &[u8]) -> Vec<u8> {
        let mut p = vec![1, 0, 0, 0];
        p.extend(0u8..16);
        p.extend_from_slice(attr);
        let len = u16::try_from(p.len()).unwrap().to_be_bytes();
        p[2..4].copy_from_slice(&len);
        p
    }

    /// An attribute's octets: type, length, value.
    pub(crate) fn attr(t: u8, value: &[u8]) -> Vec<u8> {
        let mut a = vec![t, u8::try_from(value.len() + 2).unwrap()];
        a.extend_from_slice(value);
        a
    }

    /// A Vendor-Specific attribute holding one vendor attribute.
    pub(crate) fn vsa(vendor: u32, t: u8, value: &[u8]) -> Vec<u8> {
        let mut v = vendor.to_be_bytes().to_vec();
        v.extend(attr(t, value));
        attr(26, &v)
    }

    /// The attributes FreeRADIUS 3.2.1 prints raw (`radsniff -x`'s text): unknown
    /// vendors and standard attributes, unknown short extended types (as their
    /// parent, type first), EVS, and values malformed for their type. The raw-name
    /// reader (`raw.rs`) reads each line back to the same octets.
    pub(crate) fn raw_cases() -> Vec<(Vec<u8>, &'static str)> {
        vec![
            (vsa(9999, 1, &[1, 2, 3]), "Attr-26.9999.1 = 0x010203"),
            (vsa(9999, 2, b"abc"), "Attr-26.9999.2 = 0x616263"),
            (attr(192, &[0xab, 0xcd]), "Attr-192 = 0xabcd"),
            (attr(241, &[200, 1, 2]), "Attr-241 = 0xc80102"),
            (attr(242, &[7, b'z']), "Attr-242 = 0x077a"),
            (attr(245, &[1, 0, 1, 2]), "Attr-245.1 = 0x0102"),
            (
                attr(241, &[26, 0, 0, 0x27, 0x0f, 1, 1, 2]),
                "Attr-241.26.9999.1 = 0x0102",
            ),
            (attr(241, &[5, 99, 4, b'a', b'b']), "Attr-241.5.99 = 0x6162"),
            // Values malformed for their type.
            (attr(27, &[0, 0, 1]), "Attr-27 = 0x000001"),
            (attr(8, &[10, 0, 0, 1, 2]), "Attr-8 = 0x0a00000102"),
            (attr(55, &[0, 1]), "Attr-55 = 0x0001"),
            (attr(96, &[0, 1, 2, 3]), "Attr-96 = 0x00010203"),
            (
                attr(97, &[0, 200, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
                "Attr-97 = 0x00c800000000000000000000000000000000",
            ),
            (vsa(14122, 7, &[0, 1]), "Attr-26.14122.7 = 0x0001"),
            (attr(241, &[1, 0, 1]), "Attr-241.1 = 0x0001"),
            // Vendor-Specific attributes whose content does not parse: the attribute
            // whole, vendor id included (FreeRADIUS's raw fallback of data2vp_vsas):
            // a sub-attribute overrunning the VSA, no vendor data, too short for a
            // vendor id, not the vendor's format (USR `4,0`, Lucent `2,1`, WiMAX
            // `1,1,c`), an unknown vendor's in the RFC format, a sub-attribute
            // shorter than its header, octets left over, vendor id 0.
            (
                attr(26, &[0, 0, 0, 9, 1, 7, b'x', b'y']),
                "Attr-26 = 0x0000000901077879",
            ),
            (attr(26, &[0, 0, 0, 9]), "Attr-26 = 0x00000009"),
            (attr(26, &[0, 0, 9]), "Attr-26 = 0x000009"),
            (
                attr(26, &[0, 0, 0x01, 0xad, 0, 0, 1]),
                "Attr-26 = 0x000001ad000001",
            ),
            (
                attr(26, &[0, 0, 0x12, 0xee, 0, 1, 2, b'a']),
                "Attr-26 = 0x000012ee00010261",
            ),
            (
                attr(26, &[0, 0, 0x27, 0x0f, 1, 9, 1]),
                "Attr-26 = 0x0000270f010901",
            ),
            (
                attr(26, &[0, 0, 0x60, 0xb5, 1, 2, 0]),
                "Attr-26 = 0x000060b5010200",
            ),
            (attr(26, &[0, 0, 0, 9, 1, 1]), "Attr-26 = 0x000000090101"),
            (
                attr(26, &[0, 0, 0, 9, 1, 5, b'a', b'=', b'b', 1]),
                "Attr-26 = 0x000000090105613d6201",
            ),
            (attr(26, &[0, 0, 0, 0, 1, 9]), "Attr-26 = 0x000000000109"),
            // Vendor-Specific attributes FreeRADIUS does not split: a USR (`4,0`)
            // type of 2^24 or more, or 0; a Lucent (`2,1`) type 0; WiMAX (`1,1,c`)
            // holding two sub-attributes, a sub-attribute without data, the More
            // flag with no continuation. (A WiMAX type the dictionary does not
            // define is raw too, where the dictionary defines the vendor: not the
            // built-in one; tests/wimax.rs.)
            (
                attr(26, &[0, 0, 0x01, 0xad, 1, 0, 0, 0, b'a']),
                "Attr-26 = 0x000001ad0100000061",
            ),
            (
                attr(26, &[0, 0, 0x01, 0xad, 0, 0, 0, 0, b'a']),
                "Attr-26 = 0x000001ad0000000061",
            ),
            (
                attr(26, &[0, 0, 0x12, 0xee, 0, 0, 4, b'a']),
                "Attr-26 = 0x000012ee00000461",
            ),
            (
                attr(26, &[0, 0, 0x60, 0xb5, 1, 4, 0, b'a', 2, 4, 0, b'b']),
                "Attr-26 = 0x000060b50104006102040062",
            ),
            (
                attr(26, &[0, 0, 0x60, 0xb5, 1, 3, 0]),
                "Attr-26 = 0x000060b5010300",
            ),
            (
                attr(26, &[0, 0, 0x60, 0xb5, 1, 4, 0x80, b'a']),
                "Attr-26 = 0x000060b501048061",
            ),
            // RFC 6929 attributes whose structure does not parse (FreeRADIUS's raw
            // fallback of data2vp_extended and the EVS/TLV decoders): an extended
            // attribute without data; a long-extended one without data, or with the
            // More flag and no continuation (the first fragment whole); an EVS too
            // short for vendor id, vendor type and data, or with a vendor id over 24
            // bits (after the Extended-Type and flags); TLVs that do not parse.
            (attr(241, &[1]), "Attr-241 = 0x01"),
            (attr(245, &[4, 0]), "Attr-245 = 0x0400"),
            (attr(246, &[4]), "Attr-246 = 0x04"),
            (attr(245, &[4, 0x80, 1, 2]), "Attr-245 = 0x04800102"),
            (attr(241, &[26, 0, 0, 9]), "Attr-241.26 = 0x000009"),
            (attr(242, &[26, 0, 0, 0, 9, 1]), "Attr-242.26 = 0x0000000901"),
            (
                attr(241, &[26, 1, 0, 0, 9, 1, b'a']),
                "Attr-241.26 = 0x010000090161",
            ),
            (attr(245, &[26, 0, 0, 0, 0, 9, 1]), "Attr-245.26 = 0x0000000901"),
            (attr(241, &[5, 1, 9, 0]), "Attr-241.5 = 0x010900"),
            (
                attr(241, &[5, 2, 6, 0, 0, 0, 1, 9]),
                "Attr-241.5 = 0x02060000000109",
            ),
        ]
    }

    /// The attribute line as the packet printer writes it.
    fn line(a: &[u8]) -> String {
        let bytes = request(a);
        let p = Packet::new_checked(&bytes[..]).unwrap();
        let text = Dictionary::builtin().display(&p).to_string();
        let lines: Vec<&str> = text.lines().skip(1).collect();
        assert_eq!(lines.len(), 1, "{text}");
        lines[0].strip_prefix('\t').unwrap().to_owned()
    }

    /// Each attribute as FreeRADIUS 3.2.1 prints it: the text is what `radsniff -x`
    /// printed for the same octets (a capture of these packets, TZ=UTC, dictionaries
    /// of /usr/share/freeradius; the built-in dictionary names them the same).
    #[test]
    fn attributes_print_as_freeradius() {
        let cases: &[(Vec<u8>, &str)] = &[
            // Strings: quotes and escapes; UTF-8 as it is, other octets in octal.
            (attr(1, b"bob"), r#"User-Name = "bob""#),
            (attr(1, b"say \"hi\""), r#"User-Name = "say \"hi\"""#),
            (attr(11, b"back\\slash"), r#"Filter-Id = "back\\slash""#),
            (
                attr(11, b"tab\there\nnl\rcr"),
                r#"Filter-Id = "tab\there\nnl\rcr""#,
            ),
            (attr(11, b"\x01\x7f\x1b"), r#"Filter-Id = "\001\177\033""#),
            (
                attr(11, "caf\u{e9} \u{20ac}".as_bytes()),
                "Filter-Id = \"caf\u{e9} \u{20ac}\"",
            ),
            (attr(11, b"\xff\xfe\x80a"), r#"Filter-Id = "\377\376\200a""#),
            (attr(11, b"it's $x %{y}"), r#"Filter-Id = "it's $x %{y}""#),
            (attr(11, b"a\x00b"), r#"Filter-Id = "a\000b""#),
            // Octets in hex, printable or not.
            (attr(24, b"\xde\xad\xbe\xef"), "State = 0xdeadbeef"),
            (attr(25, b"abc"), "Class = 0x616263"),
            // Numbers, VALUE names, unknown values.
            (attr(5, &7u32.to_be_bytes()), "NAS-Port = 7"),
            (attr(6, &2u32.to_be_bytes()), "Service-Type = Framed-User"),
            (attr(6, &999u32.to_be_bytes()), "Service-Type = 999"),
            (attr(27, &u32::MAX.to_be_bytes()), "Session-Timeout = 4294967295"),
            (attr(40, &3u32.to_be_bytes()), "Acct-Status-Type = Interim-Update"),
            (
                attr(55, &1_796_187_600u32.to_be_bytes()),
                r#"Event-Timestamp = "Dec  2 2026 05:00:00 UTC""#,
            ),
            // Addresses, prefixes, interface ids.
            (attr(4, &[10, 0, 0, 1]), "NAS-IP-Address = 10.0.0.1"),
            (
                attr(95, &[0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]),
                "NAS-IPv6-Address = 2001:db8::1",
            ),
            (
                attr(96, &[2, 0x11, 0x22, 0xff, 0xfe, 0x33, 0, 5]),
                "Framed-Interface-Id = 211:22ff:fe33:5",
            ),
            (
                attr(97, &[0, 64, 0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0]),
                "Framed-IPv6-Prefix = 2001:db8::/64",
            ),
            (attr(97, &[0, 0]), "Framed-IPv6-Prefix = ::/0"),
            (
                attr(123, &[0, 56, 0x20, 1, 0x0d, 0xb8, 0xaa, 0xbb, 0xcc]),
                "Delegated-IPv6-Prefix = 2001:db8:aabb:cc00::/56",
            ),
            // Tags: always shown on a tagged attribute, `:0` when untagged.
            (attr(64, &[1, 0, 0, 13]), "Tunnel-Type:1 = VLAN"),
            (attr(65, &[0, 0, 0, 6]), "Tunnel-Medium-Type:0 = IEEE-802"),
            (attr(64, &[0x20, 0, 0, 13]), "Tunnel-Type:0 = 536870925"),
            (attr(81, b"\x0110"), r#"Tunnel-Private-Group-Id:1 = "10""#),
            (attr(81, b"10"), r#"Tunnel-Private-Group-Id:0 = "10""#),
            (attr(81, b"\x0010"), r#"Tunnel-Private-Group-Id:0 = "10""#),
            (attr(81, b" 10"), r#"Tunnel-Private-Group-Id:0 = " 10""#),
            // Vendor-Specific, known and unknown.
            (
                vsa(9, 1, b"shell:priv-lvl=15"),
                r#"Cisco-AVPair = "shell:priv-lvl=15""#,
            ),
            (
                vsa(14122, 7, &1000u32.to_be_bytes()),
                "WISPr-Bandwidth-Max-Up = 1000",
            ),
            (vsa(311, 11, &[0; 4]), "MS-CHAP-Challenge = 0x00000000"),
            // A known extended attribute (the raw ones are in `raw_cases`).
            (
                attr(241, &[1, 0, 0, 0, 1]),
                "Frag-Status = Fragmentation-Supported",
            ),
        ];
        for (a, want) in cases.iter().chain(&raw_cases()) {
            assert_eq!(line(a), *want);
        }
    }

    /// Deliberate differences: a malformed tagged integer keeps every octet (radsniff
    /// printed `Attr-64 = 0x00000d`, zeroing the tag, which radclient would send back
    /// as other octets); hidden values are not shown; C1 control characters are
    /// escaped (FreeRADIUS writes them to the terminal as they are); an empty
    /// extended attribute is kept raw, as an empty standard one is kept (FreeRADIUS's
    /// data2vp drops every empty attribute but Chargeable-User-Identity: radsniff
    /// prints nothing for `f2 02`).
    #[test]
    fn deliberate_differences() {
        assert_eq!(line(&attr(242, &[])), "Attr-242 = 0x");
        assert_eq!(line(&attr(246, &[])), "Attr-246 = 0x");
        assert_eq!(line(&attr(64, &[1, 0, 13])), "Attr-64 = 0x01000d");
        assert_eq!(
            line(&attr(69, &[1, 0x80, 1, 2, 3])),
            "Tunnel-Password:1 = <hidden>"
        );
        assert_eq!(
            line(&attr(1, "x\u{85}y".as_bytes())),
            r#"User-Name = "x\302\205y""#
        );
    }
}
