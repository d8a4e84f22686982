//! A table of malformed packets that reaches every structural decode error.

use crate::*;

fn pkt(code: u8, attrs: &[u8]) -> Vec<u8> {
    let mut v = vec![code, 1, 0, 0];
    v.extend_from_slice(&[0; 16]);
    v.extend_from_slice(attrs);
    let len = v.len() as u16;
    v[2..4].copy_from_slice(&len.to_be_bytes());
    v
}

#[test]
fn malformed_table() {
    let a = AttrType;
    let mut short_len = pkt(1, &[]);
    short_len[3] = 19;
    let mut long_len = pkt(1, &[]);
    long_len[2..4].copy_from_slice(&4097u16.to_be_bytes());
    let mut truncated = pkt(1, &[1, 5, b'a', b'b', b'c']);
    truncated.truncate(23);
    let cases: Vec<(&str, Vec<u8>, Error)> = vec![
        ("empty", vec![], Error::HeaderTooShort { len: 0 }),
        ("19 octets", vec![1; 19], Error::HeaderTooShort { len: 19 }),
        (
            "Length 19",
            short_len,
            Error::LengthOutOfRange {
                length: 19,
                max: 4096,
            },
        ),
        (
            "Length 4097",
            long_len,
            Error::LengthOutOfRange {
                length: 4097,
                max: 4096,
            },
        ),
        (
            "buffer shorter than Length",
            truncated,
            Error::Truncated {
                length: 25,
                available: 23,
            },
        ),
        (
            "lone type octet",
            pkt(1, &[1]),
            Error::AttributeTooShort {
                offset: 20,
                attr: a(1),
                len: 1,
                min: 2,
            },
        ),
        (
            "attribute length 1",
            pkt(1, &[1, 1, 0]),
            Error::AttributeTooShort {
                offset: 20,
                attr: a(1),
                len: 1,
                min: 2,
            },
        ),
        (
            "attribute length 0",
            pkt(1, &[4, 6, 1, 2, 3, 4, 5, 0]),
            Error::AttributeTooShort {
                offset: 26,
                attr: a(5),
                len: 0,
                min: 2,
            },
        ),
        (
            "overrun",
            pkt(1, &[1, 9, b'a']),
            Error::AttributeOverrun {
                offset: 20,
                attr: a(1),
                len: 9,
                remaining: 3,
            },
        ),
        (
            "VSA without vendor data",
            pkt(4, &[26, 6, 0, 0, 0, 9]),
            Error::VsaMalformed {
                offset: 20,
                vendor: VendorId(9),
                sub_offset: 0,
            },
        ),
        (
            "VSA with 3-octet vendor id",
            pkt(4, &[26, 5, 0, 0, 9]),
            Error::AttributeTooShort {
                offset: 20,
                attr: a(26),
                len: 5,
                min: 6,
            },
        ),
        (
            "VSA sub-attribute overrun",
            pkt(4, &[26, 9, 0, 0, 0, 9, 1, 7, b'x']),
            Error::VsaMalformed {
                offset: 20,
                vendor: VendorId(9),
                sub_offset: 0,
            },
        ),
        (
            "VSA USR type over 24 bits",
            pkt(4, &[26, 11, 0, 0, 0x01, 0xad, 1, 0, 0, 0, b'x']),
            Error::VsaMalformed {
                offset: 20,
                vendor: VendorId(429),
                sub_offset: 0,
            },
        ),
        (
            "VSA Lucent type 0",
            pkt(4, &[26, 10, 0, 0, 0x12, 0xee, 0, 0, 4, b'x']),
            Error::VsaMalformed {
                offset: 20,
                vendor: VendorId(4846),
                sub_offset: 0,
            },
        ),
        (
            "extended without type",
            pkt(4, &[241, 2]),
            Error::AttributeTooShort {
                offset: 20,
                attr: a(241),
                len: 2,
                min: 4,
            },
        ),
        (
            "extended without data",
            pkt(4, &[242, 3, 1]),
            Error::AttributeTooShort {
                offset: 20,
                attr: a(242),
                len: 3,
                min: 4,
            },
        ),
        (
            "EVS without vendor type",
            pkt(4, &[241, 7, 26, 0, 0, 0, 1]),
            Error::EvsMalformed {
                offset: 20,
                attr: a(241),
                len: 4,
            },
        ),
        (
            "EVS without data",
            pkt(4, &[241, 8, 26, 0, 0, 0, 1, 1]),
            Error::EvsMalformed {
                offset: 20,
                attr: a(241),
                len: 5,
            },
        ),
        (
            "EVS vendor id over 24 bits",
            pkt(4, &[242, 9, 26, 1, 0, 0, 9, 1, b'x']),
            Error::EvsMalformed {
                offset: 20,
                attr: a(242),
                len: 6,
            },
        ),
        (
            "long-extended without flags",
            pkt(4, &[245, 3, 1]),
            Error::AttributeTooShort {
                offset: 20,
                attr: a(245),
                len: 3,
                min: 5,
            },
        ),
        (
            "long-extended without data",
            pkt(4, &[246, 4, 1, 0]),
            Error::AttributeTooShort {
                offset: 20,
                attr: a(246),
                len: 4,
                min: 5,
            },
        ),
        (
            "long EVS without vendor type",
            pkt(4, &[245, 8, 26, 0, 0, 0, 0, 1]),
            Error::EvsMalformed {
                offset: 20,
                attr: a(245),
                len: 4,
            },
        ),
        (
            "long EVS too short over its fragments",
            pkt(4, &[245, 6, 26, 0x80, 0, 0, 245, 6, 26, 0, 0, 9]),
            Error::EvsMalformed {
                offset: 20,
                attr: a(245),
                len: 4,
            },
        ),
        (
            "More flag followed by a fragment without flags",
            pkt(4, &[245, 5, 1, 0x80, b'x', 245, 3, 1]),
            Error::MissingContinuation {
                offset: 20,
                attr: a(245),
                ext_type: 1,
            },
        ),
        (
            "More flag on every fragment",
            pkt(4, &[245, 5, 1, 0x80, b'x', 245, 5, 1, 0x80, b'y']),
            Error::MissingContinuation {
                offset: 20,
                attr: a(245),
                ext_type: 1,
            },
        ),
        (
            "More flag on the last attribute",
            pkt(4, &[245, 5, 1, 0x80, b'x']),
            Error::MissingContinuation {
                offset: 20,
                attr: a(245),
                ext_type: 1,
            },
        ),
        (
            "More flag followed by another type",
            pkt(4, &[245, 5, 1, 0x80, b'x', 1, 3, b'u']),
            Error::MissingContinuation {
                offset: 20,
                attr: a(245),
                ext_type: 1,
            },
        ),
        (
            "More flag followed by another extended type",
            pkt(4, &[245, 5, 1, 0x80, b'x', 245, 5, 2, 0, b'y']),
            Error::MissingContinuation {
                offset: 20,
                attr: a(245),
                ext_type: 1,
            },
        ),
        (
            "Message-Authenticator of 4 octets",
            pkt(1, &[80, 6, 0, 0, 0, 0]),
            Error::MalformedMessageAuthenticator { offset: 20, len: 4 },
        ),
        (
            "two Message-Authenticators",
            {
                let mut v = vec![80, 18];
                v.extend_from_slice(&[0; 16]);
                v.extend_from_slice(&[80, 18]);
                v.extend_from_slice(&[0; 16]);
                pkt(1, &v)
            },
            Error::MalformedMessageAuthenticator { offset: 38, len: 16 },
        ),
    ];
    let strict = DecodeOptions::UDP.strict_vsa().strict_extended();
    for (name, bytes, expected) in cases {
        assert_eq!(
            Packet::new_checked_with(&bytes[..], &strict).unwrap_err(),
            expected,
            "{name}"
        );
        let structured = match expected {
            Error::VsaMalformed { .. } | Error::EvsMalformed { .. } | Error::MissingContinuation { .. } => {
                true
            }
            Error::AttributeTooShort { attr, .. } => matches!(attr.0, 26 | 241..=246),
            _ => false,
        };
        if structured {
            // Vendor-Specific and extended structure is checked only on request: by
            // default such an attribute is one of its own (FreeRADIUS 3.2: a raw
            // `Attr-26`, `Attr-241`, `Attr-241.26`), flagged malformed.
            let p = Packet::new_checked(&bytes[..]).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(p.vsas().count(), 0, "{name}");
            let flags: Vec<_> = p.addressed(&BuiltinFormats).map(|a| a.is_malformed()).collect();
            assert_eq!(flags.first(), Some(&true), "{name}: {flags:?}");
            // Only one of the strict options refuses it.
            let one = if name.contains("VSA") {
                DecodeOptions::UDP.strict_extended()
            } else {
                DecodeOptions::UDP.strict_vsa()
            };
            Packet::new_checked_with(&bytes[..], &one).unwrap_or_else(|e| panic!("{name}: {e}"));
        } else {
            assert_eq!(Packet::new_checked(&bytes[..]).unwrap_err(), expected, "{name}");
        }
        // an unchecked view of the same bytes never panics either
        let p = Packet::new_unchecked(&bytes[..]);
        let _ = (
            p.code(),
            p.identifier(),
            p.length(),
            p.authenticator(),
            p.attributes().count(),
        );
        let _ = p.extended().count();
        let _ = p.vsas().count();
    }
}

#[test]
fn padding_after_length_is_ignored_and_tcp_limit_is_opt_in() {
    // RFC 2865 §3: "Octets outside the range of the Length field MUST be treated as
    // padding and ignored on reception."
    let mut v = pkt(1, &[1, 3, b'u']);
    v.extend_from_slice(&[0xff; 7]);
    let p = Packet::new_checked(&v[..]).unwrap();
    assert_eq!(p.as_bytes().len(), 23);
    assert_eq!(p.attributes().count(), 1);

    let mut big = pkt(4, &[]);
    for _ in 0..300 {
        big.extend_from_slice(&[18, 22]);
        big.extend_from_slice(&[b'x'; 20]);
    }
    let len = big.len() as u16;
    big[2..4].copy_from_slice(&len.to_be_bytes());
    assert!(matches!(
        Packet::new_checked(&big[..]),
        Err(Error::LengthOutOfRange { .. })
    ));
    let p = Packet::new_checked_with(&big[..], &DecodeOptions::TCP).unwrap();
    assert_eq!(p.attributes().count(), 300);
}

/// Keeping an attribute whose structure does not parse (a malformed Vendor-Specific;
/// for RFC 6929, the More flag without its continuation, an EVS too short for its
/// vendor header, an extended attribute without data) changes nothing for the checks
/// that guard a packet's integrity: the top-level type/length walk must still end
/// exactly at the packet's Length, Message-Authenticator is still found and verified
/// over the whole packet, the BlastRADIUS policies still see it, and a tampered packet
/// still fails.
#[test]
fn attributes_kept_whole_leave_the_strict_checks_strict() {
    let s = SharedSecret::from("testing123");
    let kept: [(u8, &[u8]); 5] = [
        (26, &[0, 0, 0, 9, 1, 7, b'x', b'y']), // sub-attribute overrunning the VSA
        (26, &[0, 0, 9]),                      // too short for a Vendor-Id
        (245, &[4, 0x80, b'x']),               // More flag, no continuation
        (241, &[26, 0, 0, 9]),                 // EVS too short for its header
        (242, &[1]),                           // Extended-Type without data
    ];
    for (t, v) in kept {
        // Before a truncated or overrunning top-level attribute: refused, by the
        // walk and by the verifiers, which walk the same list.
        for tail in [&[1u8][..], &[1, 9, b'a'], &[1, 1]] {
            let mut attrs = vec![t, u8::try_from(v.len() + 2).unwrap()];
            attrs.extend_from_slice(v);
            let offset = 20 + attrs.len();
            attrs.extend_from_slice(tail);
            let bytes = pkt(1, &attrs);
            assert!(
                matches!(
                    Packet::new_checked(&bytes[..]),
                    Err(Error::AttributeTooShort { offset: o, .. } | Error::AttributeOverrun { offset: o, .. })
                        if o == offset
                ),
                "{t} {v:?} {tail:?}"
            );
            let p = Packet::new_unchecked(&bytes[..]);
            assert!(
                p.verify_message_authenticator(&s, None).is_err(),
                "{t} {v:?} {tail:?}"
            );
            assert!(
                ServerPolicy::default().verify(&p, &s).is_err(),
                "{t} {v:?} {tail:?}"
            );
        }
        // Without a Message-Authenticator, the policy that requires one refuses it.
        let mut b = PacketBuilder::access_request(8, [5; 16]);
        b.without_message_authenticator().add(AttrType(t), v).unwrap();
        let bare = b.finish(&s).unwrap();
        let bare = Packet::new_checked(&bare[..]).unwrap();
        assert_eq!(
            ServerPolicy::new(Requirement::Yes, Requirement::No).verify(&bare, &s),
            Err(Error::MissingMessageAuthenticator {
                code: Code::AccessRequest
            }),
            "{t} {v:?}"
        );
    }
    // A VSA length that hides the rest of the packet is a top-level overrun, whatever
    // is inside it.
    let bytes = pkt(1, &[26, 30, 0, 0, 0, 9, 1, 3, b'x']);
    assert!(matches!(
        Packet::new_checked(&bytes[..]),
        Err(Error::AttributeOverrun { offset: 20, .. })
    ));

    // Signed, all of them between good attributes: valid, verified, and the policies
    // see the Message-Authenticator; the strict options refuse the packet.
    let mut b = PacketBuilder::access_request(7, [5; 16]);
    b.add(AttrType::USER_NAME, b"bob").unwrap();
    for (t, v) in kept {
        b.add(AttrType(t), v).unwrap();
    }
    b.add(AttrType::NAS_PORT, &[0, 0, 0, 7]).unwrap();
    let bytes = b.finish_packet(&s).unwrap().as_bytes().to_vec();
    let p = Packet::new_checked(&bytes[..]).unwrap();
    assert!(Packet::new_checked_with(&bytes[..], &DecodeOptions::UDP.strict_vsa()).is_err());
    assert!(Packet::new_checked_with(&bytes[..], &DecodeOptions::UDP.strict_extended()).is_err());
    let types: Vec<_> = p.attributes().map(|a| a.typ().0).collect();
    assert_eq!(types, [80, 1, 26, 26, 245, 241, 242, 5]);
    let flags: Vec<_> = p.addressed(&BuiltinFormats).map(|a| a.is_malformed()).collect();
    assert_eq!(flags, [false, false, true, true, true, true, true, false]);
    // extended() joins what it can and says which values are whole: the chain whose
    // More flag is followed by another attribute is not.
    let ext: Vec<_> = p
        .extended()
        .map(|e| (e.attr().0, e.data().to_vec(), e.is_complete()))
        .collect();
    assert_eq!(
        ext,
        [
            (245, b"x".to_vec(), false),
            (241, vec![0, 0, 9], true),
            (242, vec![], true)
        ]
    );
    assert!(p.message_authenticator().is_some());
    p.verify_request(&s).unwrap();
    ServerPolicy::new(Requirement::Yes, Requirement::Yes)
        .verify(&p, &s)
        .unwrap();
    // One octet changed inside each kept attribute's value: the signature catches it.
    let mut at = 20 + 18 + 5;
    for (_, v) in kept {
        let mut forged = bytes.clone();
        forged[at + 2 + v.len() - 1] ^= 1;
        let q = Packet::new_checked(&forged[..]).unwrap();
        assert_eq!(q.verify_request(&s), Err(Error::BadMessageAuthenticator), "{v:?}");
        assert!(ServerPolicy::default().verify(&q, &s).is_err(), "{v:?}");
        at += 2 + v.len();
    }
}

#[test]
fn odd_vendor_data_is_kept_unless_strict() {
    let v = pkt(4, &[26, 10, 0, 0, 0, 9, 1, 7, b'x', b'y']);
    let strict = DecodeOptions::UDP.strict_vsa();
    assert_eq!(
        Packet::new_checked_with(&v[..], &strict).unwrap_err(),
        Error::VsaMalformed {
            offset: 20,
            vendor: VendorId(9),
            sub_offset: 0
        }
    );
    for opts in [DecodeOptions::UDP, DecodeOptions::TCP, strict.opaque_vsa()] {
        let p = Packet::new_checked_with(&v[..], &opts).unwrap();
        assert_eq!(p.attributes().count(), 1);
        assert_eq!(p.vsas().count(), 0);
        // the attribute itself says what is wrong with it
        let a = p.first(AttrType::VENDOR_SPECIFIC).unwrap();
        assert!(matches!(a.vsa(), Err(Error::VsaMalformed { offset: 20, .. })));
    }
    // a dictionary-supplied format makes it valid: vendor 9 as format 1,0
    let usr = |_: VendorId| VendorFormat::new(1, 0, false).unwrap();
    let opts = DecodeOptions::UDP.vendor_formats(&usr);
    Packet::new_checked_with(&v[..], &opts).unwrap();
    // too short for a vendor id: refused only when strict
    let short = pkt(4, &[26, 5, 0, 0, 9]);
    Packet::new_checked(&short[..]).unwrap();
    assert!(matches!(
        Packet::new_checked_with(&short[..], &opts),
        Err(Error::AttributeTooShort { min: 6, .. })
    ));
}

#[test]
fn value_errors() {
    assert_eq!(
        Value::decode(DataType::Integer, &[1, 2, 3]),
        Err(Error::ValueLength {
            data_type: DataType::Integer,
            len: 3
        })
    );
    assert!(matches!(
        Value::decode(DataType::ComboIp, &[1; 5]),
        Err(Error::ValueLength { .. })
    ));
    assert!(matches!(
        Value::decode(DataType::Tlv, &[1, 9]),
        Err(Error::TlvMalformed { .. })
    ));
    assert!(matches!(
        Value::decode(DataType::Evs, &[0, 0, 0, 1]),
        Err(Error::ValueLength { .. })
    ));
    assert!(matches!(
        Value::decode(DataType::Vsa, &[0, 0, 1]),
        Err(Error::ValueLength { .. })
    ));
}

#[test]
fn builder_limits() {
    let s = SharedSecret::from("s");
    let mut b = PacketBuilder::accounting_request(1);
    assert!(matches!(
        b.add(AttrType::CLASS, &[0; 254]),
        Err(Error::ValueTooLong { max: 253, .. })
    ));
    assert!(matches!(
        b.add(AttrType::MESSAGE_AUTHENTICATOR, &[0; 16]),
        Err(Error::WrongAttributeKind { .. })
    ));
    assert!(matches!(
        b.add_extended(AttrType(1), 1, b"x"),
        Err(Error::WrongAttributeKind { .. })
    ));
    assert!(matches!(
        b.add_extended(AttrType::EXTENDED_1, 1, &[0; 253]),
        Err(Error::ValueTooLong { .. })
    ));
    for _ in 0..20 {
        b.add(AttrType::CLASS, &[0; 253]).unwrap();
    }
    assert!(matches!(
        b.clone().finish(&s),
        Err(Error::PacketTooLong { max: 4096, .. })
    ));
    let ok = b.for_tcp().finish(&s).unwrap();
    Packet::new_checked_with(&ok[..], &DecodeOptions::TCP)
        .unwrap()
        .verify_request(&s)
        .unwrap();
}

#[test]
fn blastradius_policies() {
    let s = SharedSecret::from("testing123");
    let ra = [3; 16];
    let with_ma = PacketBuilder::access_request(1, ra).finish(&s).unwrap();
    let mut b = PacketBuilder::access_request(2, ra);
    b.without_message_authenticator();
    let without = b.finish(&s).unwrap();
    let mut b = PacketBuilder::access_request(3, ra);
    b.without_message_authenticator()
        .add(AttrType::PROXY_STATE, b"ps")
        .unwrap();
    let proxied = b.finish(&s).unwrap();
    let p = |v: &Vec<u8>| Packet::new_checked(v.clone()).unwrap();

    // yes: required
    let mut pol = ServerPolicy::new(Requirement::Yes, Requirement::No);
    assert_eq!(
        pol.check(&p(&without)),
        Err(Error::MissingMessageAuthenticator {
            code: Code::AccessRequest
        })
    );
    pol.check(&p(&with_ma)).unwrap();
    // auto: learned from the first packet
    let mut pol = ServerPolicy::default();
    pol.check(&p(&with_ma)).unwrap();
    assert!(pol.requires_message_authenticator());
    assert!(pol.check(&p(&without)).is_err());
    let mut pol = ServerPolicy::default();
    pol.check(&p(&without)).unwrap();
    assert!(!pol.requires_message_authenticator());
    // ... a NAS that never sent Proxy-State may not start now without MA
    assert_eq!(
        pol.check(&p(&proxied)),
        Err(Error::ProxyStateWithoutMessageAuthenticator)
    );
    // ... but a legacy proxy whose first request had Proxy-State is let through
    let mut pol = ServerPolicy::default();
    pol.check(&p(&proxied)).unwrap();
    pol.check(&p(&proxied)).unwrap();
    // no/no lets everything through
    let mut pol = ServerPolicy::new(Requirement::No, Requirement::No);
    pol.check(&p(&proxied)).unwrap();
    // Status-Server and EAP always need it
    let mut b = PacketBuilder::status_server(1, ra);
    b.without_message_authenticator();
    let ss = b.finish(&s).unwrap();
    assert!(ServerPolicy::new(Requirement::No, Requirement::No)
        .check(&p(&ss))
        .is_err());

    // client side: reply policies
    let req = p(&with_ma);
    let mut r = PacketBuilder::reply_to(&req, Code::AccessAccept);
    r.without_message_authenticator();
    let bare_accept = r.finish(&s).unwrap();
    let signed_accept = PacketBuilder::reply_to(&req, Code::AccessAccept)
        .finish(&s)
        .unwrap();
    assert!(ReplyPolicy::new(Requirement::Yes)
        .verify(&p(&bare_accept), &req, &s)
        .is_err());
    // auto: the first reply not obliged to be signed decides (trust on first use)
    let mut auto = ReplyPolicy::default();
    auto.verify(&p(&signed_accept), &req, &s).unwrap();
    assert!(auto.verify(&p(&bare_accept), &req, &s).is_err(), "auto learns");
    let mut legacy = ReplyPolicy::default();
    legacy.verify(&p(&bare_accept), &req, &s).unwrap();
    legacy.verify(&p(&signed_accept), &req, &s).unwrap();
    legacy.verify(&p(&bare_accept), &req, &s).unwrap();
    // a tampered Message-Authenticator in a reply is caught even though the
    // Response Authenticator is recomputed over it
    let mut forged = signed_accept;
    forged[25] ^= 0xff;
    let auth = auth::compute_authenticator(&forged, &req.authenticator(), &s);
    forged[4..20].copy_from_slice(&auth);
    assert_eq!(
        p(&forged).verify_reply(&req, &s),
        Err(Error::BadMessageAuthenticator)
    );
}

#[test]
fn proxy_state_is_echoed_and_checked() {
    let s = SharedSecret::from("testing123");
    let mut b = PacketBuilder::access_request(1, [9; 16]);
    b.add(AttrType::PROXY_STATE, b"one")
        .unwrap()
        .add(AttrType::PROXY_STATE, b"two")
        .unwrap();
    let req_bytes = b.finish(&s).unwrap();
    let req = Packet::new_checked(&req_bytes[..]).unwrap();
    let reply = PacketBuilder::reply_to(&req, Code::AccessReject)
        .finish(&s)
        .unwrap();
    let reply = Packet::new_checked(&reply[..]).unwrap();
    let ps: Vec<_> = reply.all(AttrType::PROXY_STATE).map(|a| a.value()).collect();
    assert_eq!(ps, [&b"one"[..], b"two"]);
    reply.verify_reply(&req, &s).unwrap();
    let mut r = PacketBuilder::reply_to(&req, Code::AccessReject);
    r.add(AttrType::PROXY_STATE, b"injected").unwrap();
    let bad = r.finish(&s).unwrap();
    assert_eq!(
        Packet::new_checked(&bad[..]).unwrap().verify_reply(&req, &s),
        Err(Error::UnexpectedProxyState)
    );
}

#[test]
fn chap_with_chap_challenge_attribute() {
    let s = SharedSecret::from("testing123");
    let challenge = [0x42u8; 24];
    let mut b = PacketBuilder::access_request(1, [1; 16]);
    b.add(AttrType::USER_NAME, b"bob")
        .unwrap()
        .add(
            AttrType::CHAP_PASSWORD,
            &crypto::chap_password(9, b"hello", &challenge),
        )
        .unwrap()
        .add(AttrType::CHAP_CHALLENGE, &challenge)
        .unwrap();
    let bytes = b.finish(&s).unwrap();
    let p = Packet::new_checked(&bytes[..]).unwrap();
    assert!(p.verify_chap_password(b"hello").unwrap());
    assert!(!p.verify_chap_password(b"hellO").unwrap());
    let none = PacketBuilder::access_request(1, [1; 16]).finish(&s).unwrap();
    assert_eq!(
        Packet::new_checked(&none[..]).unwrap().verify_chap_password(b"x"),
        Err(Error::MissingAttribute {
            attr: AttrType::CHAP_PASSWORD
        })
    );
}
