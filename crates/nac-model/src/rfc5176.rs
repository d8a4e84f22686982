//! The RFC 5176 §3.6 table of attributes, as data, and a checker that reports which
//! attributes a Disconnect or CoA packet may not carry (or carries too often).

use std::fmt;

use radius_codec::{AttrAddr, AttrType, BuiltinFormats, Code, Packet};

use crate::attr::AttrSpec;

/// How often an attribute may appear in a packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Occurrence {
    /// `0`: must not be present.
    Never,
    /// `0-1`.
    AtMostOnce,
    /// `0+`.
    Any,
}

/// What the table says about one attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ViolationKind {
    /// The table says `0` for this packet, or does not list the attribute.
    NotAllowed,
    /// The table says `0-1` and the packet has more.
    TooMany {
        /// How many the packet has.
        count: usize,
    },
}

/// One attribute a packet carries against the §3.6 table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Violation {
    /// The packet code.
    pub code: Code,
    /// The attribute.
    pub attr: AttrAddr,
    /// What is wrong.
    pub kind: ViolationKind,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            ViolationKind::NotAllowed => {
                write!(
                    f,
                    "{} is not allowed in {} (RFC 5176 §3.6)",
                    Named(self.attr),
                    self.code
                )
            }
            ViolationKind::TooMany { count } => write!(
                f,
                "{} appears {count} times in {}; at most once allowed (RFC 5176 §3.6)",
                Named(self.attr),
                self.code
            ),
        }
    }
}

/// An attribute as the violation texts name it: a standard attribute by the codec's
/// name (`Service-Type`), a VSA as `26.9.1 (Cisco)`, an extended one as `241.8`, any
/// other address in FreeRADIUS numbering (`Attr-245.26.9.1`).
struct Named(AttrAddr);

impl fmt::Display for Named {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let a = self.0;
        match (a.vendor().0, a.path()) {
            (0, [t]) => match u8::try_from(*t) {
                Ok(t) => write!(f, "{}", AttrType(t)),
                Err(_) => write!(f, "{a}"),
            },
            (0, [e @ 241..=246, x]) => write!(f, "{e}.{x}"),
            (v, [t]) if v != 0 => write!(f, "26.{v}.{t} ({})", a.vendor()),
            _ => write!(f, "{a}"),
        }
    }
}

use Occurrence::{Any, AtMostOnce as One, Never as No};

/// Columns: CoA-Request, CoA-ACK, CoA-NAK, Disconnect-Request, Disconnect-ACK,
/// Disconnect-NAK. `None` in a column: the attribute is not listed for that packet.
type Row = (u8, [Option<Occurrence>; 6]);

const fn coa_only(req: Occurrence) -> [Option<Occurrence>; 6] {
    [Some(req), Some(No), Some(No), None, None, None]
}

/// Identification attributes (Note 1): `0-1` in both requests, `0` in replies.
const ID: [Option<Occurrence>; 6] = [Some(One), Some(No), Some(No), Some(One), Some(No), Some(No)];

/// RFC 5176 §3.6, merged by attribute number, with RFC 5580/8559 (Operator-Name) and
/// RFC 6911 (Framed-IPv6-Address). Choices where the RFC contradicts itself:
/// Framed-IP-Address (8), Framed-Interface-Id (96) and Framed-IPv6-Prefix (97) are
/// allowed in Disconnect-Request, as the session identification attributes §3 says
/// they are (the table's `0` contradicts §3 and the §7 example "Disconnect Request with
/// Framed-IP-Address"); FortiGate and MikroTik hotspots need Framed-IP-Address there.
const TABLE: &[Row] = &[
    (1, ID),
    (4, ID),
    (5, ID),
    (6, [Some(One), Some(No), Some(One), Some(No), Some(No), Some(No)]),
    (7, coa_only(One)),
    (8, ID),
    (9, coa_only(One)),
    (10, coa_only(One)),
    (11, coa_only(Any)),
    (12, coa_only(One)),
    (13, coa_only(Any)),
    (14, coa_only(Any)),
    (15, coa_only(One)),
    (16, coa_only(One)),
    (18, [Some(Any), Some(No), Some(No), Some(Any), Some(No), Some(No)]),
    (19, coa_only(One)),
    (20, coa_only(One)),
    (22, coa_only(Any)),
    (23, coa_only(One)),
    (
        24,
        [Some(One), Some(One), Some(One), Some(No), Some(No), Some(No)],
    ),
    (25, [Some(Any), Some(No), Some(No), Some(Any), Some(No), Some(No)]),
    (26, [Some(Any), Some(No), Some(No), Some(Any), Some(No), Some(No)]),
    (27, coa_only(One)),
    (28, coa_only(One)),
    (29, coa_only(One)),
    (30, ID),
    (31, ID),
    (32, ID),
    (33, [Some(Any); 6]),
    (34, coa_only(One)),
    (35, coa_only(One)),
    (36, coa_only(One)),
    (37, coa_only(One)),
    (38, coa_only(Any)),
    (39, coa_only(One)),
    (44, ID),
    (49, [None, None, None, Some(One), Some(One), Some(No)]),
    (50, ID),
    (55, [Some(One); 6]),
    (56, coa_only(Any)),
    (57, coa_only(One)),
    (58, coa_only(Any)),
    (59, coa_only(One)),
    (61, [Some(One), Some(No), Some(No), Some(No), Some(No), Some(No)]),
    (62, coa_only(One)),
    (63, coa_only(One)),
    (64, coa_only(Any)),
    (65, coa_only(Any)),
    (66, coa_only(Any)),
    (67, coa_only(Any)),
    (69, coa_only(Any)),
    (71, coa_only(One)),
    (72, coa_only(One)),
    (78, coa_only(Any)),
    (
        79,
        [Some(Any), Some(One), Some(No), Some(Any), Some(One), Some(No)],
    ),
    (80, [Some(One); 6]),
    (81, coa_only(Any)),
    (82, coa_only(Any)),
    (83, coa_only(Any)),
    (85, coa_only(One)),
    (87, ID),
    (88, coa_only(One)),
    (89, ID),
    (90, coa_only(Any)),
    (91, coa_only(Any)),
    (92, coa_only(One)),
    (94, [Some(No), Some(No), Some(No), None, None, None]),
    (95, ID),
    (96, ID),
    (97, [Some(Any), Some(No), Some(No), Some(Any), Some(No), Some(No)]),
    (98, coa_only(Any)),
    (99, coa_only(Any)),
    (100, coa_only(One)),
    (
        101,
        [Some(No), Some(No), Some(Any), Some(No), Some(No), Some(Any)],
    ),
    (123, coa_only(Any)),
    // RFC 8559 §3.1 allows Operator-Name in CoA-Request and Disconnect-Request.
    (
        126,
        [Some(One), Some(No), Some(No), Some(One), Some(No), Some(No)],
    ),
    // RFC 6911 (0+ in CoA-Request); identification in Disconnect, as Framed-IP-Address.
    (
        168,
        [Some(Any), Some(No), Some(No), Some(Any), Some(No), Some(No)],
    ),
];

fn column(code: Code) -> Option<usize> {
    Some(match code {
        Code::CoaRequest => 0,
        Code::CoaAck => 1,
        Code::CoaNak => 2,
        Code::DisconnectRequest => 3,
        Code::DisconnectAck => 4,
        Code::DisconnectNak => 5,
        _ => return None,
    })
}

/// [`TABLE`] indexed by attribute number, built at compile time (an index out of
/// range would fail the build, not panic at run time).
#[allow(clippy::indexing_slicing)]
const BY_TYPE: [Option<[Option<Occurrence>; 6]>; 256] = {
    let mut out = [None; 256];
    let mut i = 0;
    while i < TABLE.len() {
        let (n, row) = TABLE[i];
        out[n as usize] = Some(row);
        i += 1;
    }
    out
};

/// What the table allows for `attr` in a packet of `code`; `None` for codes outside
/// RFC 5176.
#[must_use]
pub fn allowed(code: Code, attr: AttrAddr) -> Option<Occurrence> {
    let col = column(code)?;
    let row = match (attr.vendor().0, attr.path()) {
        // Operator-NAS-Identifier (RFC 8559 §3.4) in requests.
        (0, [241, 8]) => return Some(if col == 0 || col == 3 { One } else { No }),
        (0, [t]) => usize::try_from(*t)
            .ok()
            .and_then(|t| BY_TYPE.get(t).copied())
            .flatten(),
        // Other extended attributes and TLV children are not in the table.
        (0, _) => None,
        // Extended-Vendor-Specific (RFC 6929) postdates the table.
        _ if attr.is_evs() => None,
        _ => BY_TYPE.get(26).copied().flatten(),
    };
    Some(row.and_then(|r| r.get(col).copied().flatten()).unwrap_or(No))
}

/// Checks attribute addresses (in packet order) against the table for `code`; every
/// departure is reported once per attribute, in order of first appearance.
#[must_use]
pub fn check_ids(code: Code, attrs: impl IntoIterator<Item = AttrAddr>) -> Vec<Violation> {
    let ids: Vec<AttrAddr> = attrs.into_iter().collect();
    check_slice(code, &ids, |a| a)
}

/// The number of a standard attribute (the table's rows), `None` for any other
/// address.
fn standard(attr: &AttrAddr) -> Option<usize> {
    match (attr.vendor().0, attr.path()) {
        (0, [t @ 0..=255]) => usize::try_from(*t).ok(),
        _ => None,
    }
}

/// Without allocating unless there is something to report: standard attributes are
/// counted by number in one pass, other addresses (VSAs, 241.8) compared in full.
fn check_slice<T>(code: Code, attrs: &[T], id: impl Fn(&T) -> &AttrAddr) -> Vec<Violation> {
    // How often each standard attribute occurs; zeroed once its first occurrence has
    // been judged, so it is reported once.
    let mut counts = [0u32; 256];
    for a in attrs {
        if let Some(n) = standard(id(a)).and_then(|t| counts.get_mut(t)) {
            *n += 1;
        }
    }
    let mut out = Vec::new();
    for (i, a) in attrs.iter().enumerate() {
        let attr = id(a);
        let count = match standard(attr).and_then(|t| counts.get_mut(t)) {
            Some(n) => match core::mem::take(n) {
                0 => continue, // judged at its first occurrence
                n => n as usize,
            },
            None => {
                if attrs.iter().take(i).any(|b| id(b) == attr) {
                    continue;
                }
                attrs.iter().skip(i).filter(|b| id(b) == attr).count()
            }
        };
        let kind = match allowed(code, *attr) {
            Some(No) => ViolationKind::NotAllowed,
            Some(One) if attr.vendor().0 == 0 && count > 1 => ViolationKind::TooMany { count },
            _ => continue,
        };
        out.push(Violation {
            code,
            attr: *attr,
            kind,
        });
    }
    out
}

/// Checks a planned request.
#[must_use]
pub fn check(code: Code, attrs: &[AttrSpec]) -> Vec<Violation> {
    check_slice(code, attrs, |a| &a.addr)
}

/// Checks a packet on the wire: its attributes as the codec's structural reader
/// ([`Packet::addressed`], built-in vendor formats) addresses them, so each
/// sub-attribute of a Vendor-Specific counts, a fragmented long-extended attribute
/// counts once, and a Vendor-Specific of vendor id 0 is attribute 26 itself. Empty
/// for codes outside RFC 5176.
///
/// ```
/// use nac_model::rfc5176;
/// use radius_codec::{AttrType, Code, Packet, PacketBuilder, SharedSecret};
/// let mut b = PacketBuilder::new(Code::DisconnectRequest, 1, [0; 16]);
/// b.add(AttrType::USER_NAME, b"bob")?.add(AttrType::SERVICE_TYPE, &[0, 0, 0, 8])?;
/// let bytes = b.finish(&SharedSecret::from("s"))?;
/// let v = rfc5176::check_packet(&Packet::new_checked(&bytes[..])?);
/// assert_eq!(v.len(), 1);
/// assert_eq!(v[0].attr, radius_codec::AttrAddr::standard(6));
/// # Ok::<(), radius_codec::Error>(())
/// ```
#[must_use]
pub fn check_packet<T: AsRef<[u8]>>(packet: &Packet<T>) -> Vec<Violation> {
    let code = packet.code();
    if column(code).is_none() {
        return Vec::new();
    }
    let addrs: Vec<AttrAddr> = packet
        .view()
        .addressed(&BuiltinFormats)
        .map(|a| a.addr())
        .collect();
    check_slice(code, &addrs, |a| a)
}

#[cfg(test)]
mod tests {
    use super::*;
    use radius_codec::VendorId;

    fn ietf(n: u32) -> AttrAddr {
        AttrAddr::standard(n)
    }

    #[test]
    fn table_rules() {
        // Service-Type: CoA yes, Disconnect no; CoA-NAK may echo it (Authorize-Only).
        assert_eq!(allowed(Code::CoaRequest, ietf(6)), Some(One));
        assert_eq!(allowed(Code::DisconnectRequest, ietf(6)), Some(No));
        assert_eq!(allowed(Code::CoaNak, ietf(6)), Some(One));
        // Acct-Terminate-Cause is for Disconnect only (PacketFence sends it in CoA).
        assert_eq!(allowed(Code::CoaRequest, ietf(49)), Some(No));
        assert_eq!(allowed(Code::DisconnectRequest, ietf(49)), Some(One));
        // State: CoA only.
        assert_eq!(allowed(Code::DisconnectRequest, ietf(24)), Some(No));
        // Error-Cause only in NAKs; Filter-Id not in Disconnect.
        assert_eq!(allowed(Code::CoaNak, ietf(101)), Some(Any));
        assert_eq!(allowed(Code::CoaAck, ietf(101)), Some(No));
        assert_eq!(allowed(Code::DisconnectRequest, ietf(11)), Some(No));
        // Unlisted standard attributes are not allowed; VSAs are.
        assert_eq!(allowed(Code::CoaRequest, ietf(2)), Some(No));
        let vsa = AttrAddr::vendor_specific(VendorId::CISCO, 1);
        assert_eq!(allowed(Code::DisconnectRequest, vsa), Some(Any));
        assert_eq!(allowed(Code::AccessRequest, vsa), None);
        let v = check_ids(
            Code::DisconnectRequest,
            [ietf(1), ietf(1), ietf(6), vsa, vsa, ietf(8)],
        );
        assert_eq!(
            v,
            vec![
                Violation {
                    code: Code::DisconnectRequest,
                    attr: ietf(1),
                    kind: ViolationKind::TooMany { count: 2 }
                },
                Violation {
                    code: Code::DisconnectRequest,
                    attr: ietf(6),
                    kind: ViolationKind::NotAllowed
                },
            ]
        );
        assert_eq!(
            v[1].to_string(),
            "Service-Type is not allowed in Disconnect-Request (RFC 5176 §3.6)"
        );
        // Operator-NAS-Identifier (241.8) once in requests; other extended attributes,
        // EVS and TLV children are outside the table.
        let op_nas = AttrAddr::extended(241, 8);
        assert_eq!(allowed(Code::CoaRequest, op_nas), Some(One));
        assert_eq!(allowed(Code::CoaAck, op_nas), Some(No));
        assert_eq!(allowed(Code::CoaRequest, AttrAddr::extended(241, 9)), Some(No));
        let evs = AttrAddr::new(VendorId::CISCO, &[245, 26, 1]).unwrap();
        assert_eq!(allowed(Code::CoaRequest, evs), Some(No));
        let v = check_ids(Code::CoaAck, [vsa, op_nas, evs]);
        let texts: Vec<String> = v.iter().map(ToString::to_string).collect();
        assert_eq!(texts.len(), 3, "{texts:?}");
        assert!(texts[0].starts_with("26.9.1 ("), "{}", texts[0]);
        assert!(
            texts[1].starts_with("241.8 is not allowed in CoA-ACK"),
            "{}",
            texts[1]
        );
        assert!(
            texts[2].starts_with("Attr-245.26.9.1 is not allowed"),
            "{}",
            texts[2]
        );
    }

    /// A packet is checked as the codec addresses it: every VSA sub-attribute, a
    /// fragmented long-extended attribute once, a vendor-0 VSA as attribute 26.
    #[test]
    fn packets_are_checked_by_address() {
        use radius_codec::{PacketBuilder, SharedSecret};
        let mut b = PacketBuilder::new(Code::CoaAck, 1, [0; 16]);
        b.add(AttrType::VENDOR_SPECIFIC, &[0, 0, 0, 0, 1, 5, b'e', b'v', b'e'])
            .unwrap()
            .add_vsa(VendorId::CISCO, 1, b"a=b")
            .unwrap()
            .add_extended(AttrType(245), 1, &[0; 400])
            .unwrap();
        let bytes = b.finish(&SharedSecret::from("s")).unwrap();
        let p = Packet::new_checked(&bytes[..]).unwrap();
        let got: Vec<_> = check_packet(&p).iter().map(|v| (v.attr, v.kind)).collect();
        assert_eq!(
            got,
            [
                (AttrAddr::standard(26), ViolationKind::NotAllowed),
                (
                    AttrAddr::vendor_specific(VendorId::CISCO, 1),
                    ViolationKind::NotAllowed
                ),
                (AttrAddr::extended(245, 1), ViolationKind::NotAllowed),
            ]
        );
        let req = PacketBuilder::accounting_request(1)
            .finish(&SharedSecret::from("s"))
            .unwrap();
        assert!(check_packet(&Packet::new_checked(&req[..]).unwrap()).is_empty());
    }

    /// The one-pass check reports exactly what the plain quadratic reading of the
    /// table does, in the same order.
    #[test]
    fn one_pass_matches_the_quadratic_reading() {
        use proptest::prelude::*;
        fn naive(code: Code, attrs: &[AttrAddr]) -> Vec<Violation> {
            let mut out = Vec::new();
            for (i, &attr) in attrs.iter().enumerate() {
                if attrs[..i].contains(&attr) {
                    continue;
                }
                let count = attrs[i..].iter().filter(|b| **b == attr).count();
                let kind = match allowed(code, attr) {
                    Some(No) => ViolationKind::NotAllowed,
                    Some(One) if attr.vendor().0 == 0 && count > 1 => ViolationKind::TooMany { count },
                    _ => continue,
                };
                out.push(Violation { code, attr, kind });
            }
            out
        }
        let addr = prop_oneof![
            (1u32..=60).prop_map(AttrAddr::standard),
            (95u32..=101).prop_map(AttrAddr::standard),
            (1u32..=3).prop_map(|t| AttrAddr::vendor_specific(VendorId::CISCO, t)),
            (7u8..=9).prop_map(|x| AttrAddr::extended(241, x)),
            Just(AttrAddr::new(VendorId::CISCO, &[245, 26, 1]).unwrap()),
        ];
        let codes = [
            Code::CoaRequest,
            Code::CoaAck,
            Code::CoaNak,
            Code::DisconnectRequest,
            Code::DisconnectAck,
            Code::DisconnectNak,
            Code::AccessRequest,
        ];
        proptest!(|(attrs in proptest::collection::vec(addr, 0..24), c in 0usize..7)| {
            let code = codes[c];
            prop_assert_eq!(check_ids(code, attrs.iter().copied()), naive(code, &attrs));
        });
    }
}
