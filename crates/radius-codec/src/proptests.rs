//! Property tests: build -> decode -> equal for every data type and packet kind, and
//! hide -> unhide identity for every hidden-value scheme at every length.

use std::borrow::Cow;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use proptest::prelude::*;

use crate::crypto::*;
use crate::*;

fn bytes(max: usize) -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), 0..=max)
}

fn value() -> impl Strategy<Value = Value<'static>> {
    prop_oneof![
        bytes(253).prop_map(|b| Value::String(Cow::Owned(b))),
        bytes(253).prop_map(|b| Value::Octets(Cow::Owned(b))),
        any::<[u8; 4]>().prop_map(|a| Value::IpAddr(Ipv4Addr::from(a))),
        any::<[u8; 16]>().prop_map(|a| Value::Ipv6Addr(Ipv6Addr::from(a))),
        (any::<u128>(), 0u8..=128).prop_map(|(a, bits)| {
            let mask = u128::MAX.checked_shl(128 - u32::from(bits)).unwrap_or(0);
            Value::Ipv6Prefix(Ipv6Addr::from(a & mask), bits)
        }),
        (any::<u32>(), 0u8..=32).prop_map(|(a, bits)| {
            let mask = u32::MAX.checked_shl(32 - u32::from(bits)).unwrap_or(0);
            Value::Ipv4Prefix(Ipv4Addr::from(a & mask), bits)
        }),
        any::<u32>().prop_map(Value::Integer),
        any::<u64>().prop_map(Value::Integer64),
        any::<i32>().prop_map(Value::Signed),
        any::<u16>().prop_map(Value::Short),
        any::<u8>().prop_map(Value::Byte),
        any::<u32>().prop_map(Value::Date),
        any::<[u8; 8]>().prop_map(Value::Ifid),
        any::<[u8; 6]>().prop_map(Value::Ether),
        any::<[u8; 4]>().prop_map(|a| Value::ComboIp(IpAddr::from(a))),
        any::<[u8; 16]>().prop_map(|a| Value::ComboIp(IpAddr::from(a))),
        bytes(253).prop_map(|b| Value::Abinary(Cow::Owned(b))),
        proptest::collection::vec((any::<u8>(), bytes(20)), 0..8).prop_map(|tlvs| {
            let mut v = Vec::new();
            for (t, b) in tlvs {
                extended::encode_tlv(&mut v, t, &b).unwrap();
            }
            Value::Tlv(Cow::Owned(v))
        }),
        (any::<u32>(), bytes(200)).prop_map(|(vendor, b)| {
            let mut v = vendor.to_be_bytes().to_vec();
            v.extend_from_slice(&b);
            Value::Vsa(Cow::Owned(v))
        }),
        bytes(200).prop_map(|b| Value::Extended(Cow::Owned(b))),
        bytes(200).prop_map(|b| Value::LongExtended(Cow::Owned(b))),
        (any::<u32>(), any::<u8>(), bytes(200)).prop_map(|(vendor, t, b)| {
            let mut v = vendor.to_be_bytes().to_vec();
            v.push(t);
            v.extend_from_slice(&b);
            Value::Evs(Cow::Owned(v))
        }),
    ]
}

fn code() -> impl Strategy<Value = Code> {
    prop_oneof![
        Just(Code::AccessRequest),
        Just(Code::AccessAccept),
        Just(Code::AccessReject),
        Just(Code::AccountingRequest),
        Just(Code::AccountingResponse),
        Just(Code::AccessChallenge),
        Just(Code::StatusServer),
        Just(Code::StatusClient),
        Just(Code::DisconnectRequest),
        Just(Code::DisconnectAck),
        Just(Code::DisconnectNak),
        Just(Code::CoaRequest),
        Just(Code::CoaAck),
        Just(Code::CoaNak),
        Just(Code::ProtocolError),
        any::<u8>().prop_map(Code::new),
    ]
}

/// An attribute to add to a builder, kept for comparison after decoding.
#[derive(Clone, Debug)]
enum Item {
    Plain(u8, Value<'static>),
    Vsa(u32, u32, Vec<u8>),
    Extended(u8, u8, Vec<u8>),
}

fn item() -> impl Strategy<Value = Item> {
    prop_oneof![
        // plain attributes (not 26, 80 or 241-246, which have structure)
        (1u8..=25, value()).prop_map(|(t, v)| Item::Plain(t, v)),
        (27u8..=79, value()).prop_map(|(t, v)| Item::Plain(t, v)),
        (81u8..=240, value()).prop_map(|(t, v)| Item::Plain(t, v)),
        (any::<u32>(), 0u32..=255, bytes(240)).prop_map(|(v, t, b)| Item::Vsa(v, t, b)),
        (
            241u8..=246,
            any::<u8>().prop_filter("not EVS", |e| *e != 26),
            bytes(700)
        )
            .prop_map(|(t, e, b)| Item::Extended(t, e, b)),
    ]
}

proptest! {
    #[test]
    fn every_value_round_trips(v in value()) {
        let bytes = v.to_bytes().unwrap();
        let back = Value::decode(v.data_type(), &bytes).unwrap();
        prop_assert_eq!(back.clone().into_owned(), v);
        prop_assert_eq!(back.to_bytes().unwrap(), bytes);
    }

    #[test]
    fn every_packet_kind_round_trips(
        code in code(),
        id in any::<u8>(),
        auth in any::<[u8; 16]>(),
        items in proptest::collection::vec(item(), 0..12),
        secret in bytes(40),
    ) {
        let secret = SharedSecret::new(secret);
        let mut b = PacketBuilder::new(code, id, auth);
        for it in &items {
            match it {
                Item::Plain(t, v) => { b.add_value(AttrType(*t), v).unwrap(); }
                Item::Vsa(vendor, t, v) => {
                    b.add_vsa_with(VendorId(*vendor), VendorFormat::RFC, *t, v).unwrap();
                }
                Item::Extended(t, e, v) => {
                    let t = AttrType(*t);
                    let v = if t.is_extended() { &v[..v.len().min(252)] } else { &v[..] };
                    b.add_extended(t, *e, v).unwrap();
                }
            }
        }
        let Ok(bytes) = b.finish(&secret) else {
            return Ok(()); // over 4096 octets: a typed error, covered elsewhere
        };
        let opts = DecodeOptions::UDP.vendor_formats(&|_| VendorFormat::RFC);
        let p = Packet::new_checked_with(&bytes[..], &opts).unwrap();
        prop_assert_eq!(p.code(), code);
        prop_assert_eq!(p.identifier(), id);
        prop_assert_eq!(usize::from(p.length()), bytes.len());
        // authenticators verify for the packet's kind
        match code.authenticator_kind() {
            AuthenticatorKind::Random => {
                prop_assert_eq!(p.authenticator(), auth);
                prop_assert!(p.verify_message_authenticator(&secret, None).unwrap());
            }
            AuthenticatorKind::RequestMd5 => {
                p.verify_request(&secret).unwrap();
            }
            AuthenticatorKind::Response => {
                let mut req = bytes.clone();
                req[0] = 1;
                req[4..20].copy_from_slice(&auth);
                let req = Packet::new_unchecked(&req[..]);
                let vector = req.authenticator();
                prop_assert_eq!(
                    auth::compute_authenticator(&bytes, &vector, &secret),
                    p.authenticator()
                );
            }
        }
        // every item comes back, in order
        let mut plain = p.attributes().filter(|a| {
            !matches!(a.typ().0, 26 | 80 | 241..=246)
        });
        let mut vsas = p.vsas();
        let mut exts = p.extended();
        for it in &items {
            match it {
                Item::Plain(t, v) => {
                    let a = plain.next().unwrap();
                    prop_assert_eq!(a.typ(), AttrType(*t));
                    prop_assert_eq!(a.decode(v.data_type()).unwrap().into_owned(), v.clone());
                }
                Item::Vsa(vendor, t, v) => {
                    let vsa = vsas.next().unwrap();
                    prop_assert_eq!(vsa.vendor(), VendorId(*vendor));
                    let sub: Vec<_> = vsa.attrs().collect();
                    prop_assert_eq!(sub.len(), 1);
                    prop_assert_eq!(sub[0].vendor_type(), *t);
                    prop_assert_eq!(sub[0].value(), &v[..]);
                }
                Item::Extended(t, e, v) => {
                    let x = exts.next().unwrap();
                    let t = AttrType(*t);
                    let v = if t.is_extended() { &v[..v.len().min(252)] } else { &v[..] };
                    prop_assert_eq!(x.attr(), t);
                    prop_assert_eq!(x.ext_type(), *e);
                    prop_assert_eq!(x.data(), v);
                }
            }
        }
        prop_assert!(plain.next().is_none());
    }

    #[test]
    fn user_password_hides_and_unhides(pw in bytes(128), secret in bytes(64), ra in any::<[u8; 16]>()) {
        // trailing zeros are indistinguishable from padding (RFC 2865 §5.2)
        let mut pw = pw;
        while pw.last() == Some(&0) { pw.pop(); }
        let s = SharedSecret::new(secret);
        let hidden = hide_user_password(&pw, &s, &ra).unwrap();
        prop_assert_eq!(hidden.len(), pw.len().div_ceil(16).max(1) * 16);
        prop_assert_eq!(unhide_user_password(&hidden, &s, &ra).unwrap(), pw);
    }

    #[test]
    fn salted_hides_and_unhides(v in bytes(250), secret in bytes(64), ra in any::<[u8; 16]>(), salt in 0x8000u16..) {
        let s = SharedSecret::new(secret);
        let hidden = hide_salted(&v, &s, &ra, salt).unwrap();
        prop_assert_eq!(unhide_salted(&hidden, &s, &ra).unwrap(), v);
    }

    #[test]
    fn ascend_hides_and_unhides(v in bytes(16), secret in bytes(64), ra in any::<[u8; 16]>()) {
        let mut v = v;
        while v.last() == Some(&0) { v.pop(); }
        let s = SharedSecret::new(secret);
        let hidden = hide_ascend_secret(&v, &s, &ra).unwrap();
        prop_assert_eq!(unhide_ascend_secret(&hidden, &s, &ra).unwrap(), v);
    }

    #[test]
    fn tunnel_password_through_a_reply(pw in bytes(239), salt in 0x8000u16.., tag in 0u8..=31) {
        let s = SharedSecret::from("testing123");
        let req = PacketBuilder::access_request(1, [5; 16]).finish(&s).unwrap();
        let req = Packet::new_checked(&req[..]).unwrap();
        let mut b = PacketBuilder::reply_to(&req, Code::AccessAccept);
        b.add_tunnel_password(&s, tag, salt, &pw).unwrap();
        let reply = b.finish(&s).unwrap();
        let reply = Packet::new_checked(&reply[..]).unwrap();
        reply.verify_reply(&req, &s).unwrap();
        let v = reply.first(AttrType::TUNNEL_PASSWORD).unwrap().value();
        prop_assert_eq!(v[0], tag);
        prop_assert_eq!(unhide_salted(&v[1..], &s, &req.authenticator()).unwrap(), pw);
    }

    #[test]
    fn arbitrary_bytes_never_panic(data in bytes(600)) {
        if let Ok(p) = Packet::new_checked(&data[..]) {
            for a in p.attributes() {
                for dt in DataType::ALL {
                    let _ = a.decode(dt);
                }
            }
            let _ = p.extended().count();
            let _ = p.verify_request(&SharedSecret::from("x"));
        }
    }

    /// Any Vendor-Specific content among standard attributes: the packet validates
    /// (only the top-level walk is checked, as in FreeRADIUS), every attribute is
    /// read in order, the VSAs that do not parse in their vendor's format come out of
    /// `addressed` whole and flagged, the others as their sub-attributes, and the
    /// standard attributes around them unchanged; with `strict_vsa` the packet is
    /// refused exactly when one VSA does not parse.
    #[test]
    fn any_vsa_content_is_kept_between_the_others(
        attrs in proptest::collection::vec(
            prop_oneof![
                ((1u8..=25), bytes(20)).prop_map(|(t, v)| (t, v)),
                (
                    // WiMAX (24757), whose VSAs are read across attributes, has tests
                    // of its own (addressed.rs).
                    prop_oneof![Just(9u32), Just(429), Just(4846), Just(8164), any::<u32>()],
                    bytes(24),
                ).prop_map(|(vendor, data)| {
                    let mut v = vendor.to_be_bytes().to_vec();
                    v.extend(data);
                    (26, v)
                }),
                bytes(6).prop_map(|v| (26, v)),
            ],
            0..12,
        )
    ) {
        let mut b = PacketBuilder::accounting_request(1);
        for (t, v) in &attrs {
            b.add(AttrType(*t), v).unwrap();
        }
        let bytes = b.finish(&SharedSecret::from("s")).unwrap();
        let p = Packet::new_checked(&bytes[..]).unwrap();
        let read: Vec<(u8, Vec<u8>)> = p.attributes().map(|a| (a.typ().0, a.value().to_vec())).collect();
        prop_assert_eq!(&read, &attrs);
        p.verify_request(&SharedSecret::from("s")).unwrap();

        let parses = |v: &[u8]| {
            let vendor = VendorId::of_vsa_value(v).unwrap_or(VendorId(0));
            Vsa::new_checked(v, VendorFormat::for_vendor(vendor), 0).is_ok()
        };
        // What `addressed` must give for the attributes that are not split: the
        // standard ones and the malformed VSAs, in order (a VSA that parses gives
        // sub-attributes, or itself when its vendor id is 0; WiMAX joins values).
        let whole: Vec<(AttrAddr, Vec<u8>, bool)> = attrs
            .iter()
            .filter(|(t, v)| *t != 26 || !parses(v))
            .map(|(t, v)| (AttrAddr::standard(u32::from(*t)), v.clone(), *t == 26))
            .collect();
        let got: Vec<(AttrAddr, Vec<u8>, bool)> = p
            .addressed(&BuiltinFormats)
            .filter(|a| a.addr().vendor() == VendorId(0))
            .filter(|a| a.addr() != AttrAddr::standard(26) || a.is_malformed())
            .map(|a| (a.addr(), a.value().to_vec(), a.is_malformed()))
            .collect();
        prop_assert_eq!(got, whole);
        let strict = Packet::new_checked_with(&bytes[..], &DecodeOptions::UDP.strict_vsa());
        let all_parse = attrs.iter().all(|(t, v)| *t != 26 || parses(v));
        prop_assert_eq!(strict.is_ok(), all_parse);
        prop_assert_eq!(
            p.vsas().count(),
            attrs.iter().filter(|(t, v)| *t == 26 && parses(v)).count()
        );
    }

    /// Any RFC 6929 extended content among standard attributes (random values, a
    /// More flag or not): the packet validates by default (only the top-level walk is
    /// checked, as in FreeRADIUS); the standard attributes come out of `addressed`
    /// unchanged and in order; a short extended attribute (241-244) is flagged
    /// exactly when FreeRADIUS 3.2 keeps it raw (no Extended-Type and data; an EVS
    /// too short for vendor id, vendor type and data, or with a vendor id over 24
    /// bits); a long-extended one (245-246) without the More flag likewise; and
    /// `strict_extended` refuses the packet exactly when `addressed` flags something.
    #[test]
    fn any_extended_content_is_kept_between_the_others(
        attrs in proptest::collection::vec(
            prop_oneof![
                ((1u8..=25), bytes(8)).prop_map(|(t, v)| (t, v)),
                ((241u8..=246), bytes(10)).prop_map(|(t, v)| (t, v)),
                ((241u8..=246), bytes(9)).prop_map(|(t, v)| {
                    let mut e = vec![26, 0];
                    e.extend(v);
                    (t, e)
                }),
                ((245u8..=246), bytes(6)).prop_map(|(t, v)| {
                    let mut e = vec![4, 0x80];
                    e.extend(v);
                    (t, e)
                }),
            ],
            0..10,
        )
    ) {
        let mut b = PacketBuilder::accounting_request(1);
        for (t, v) in &attrs {
            b.add(AttrType(*t), v).unwrap();
        }
        let bytes = b.finish(&SharedSecret::from("s")).unwrap();
        let p = Packet::new_checked(&bytes[..]).unwrap();
        let starts: Vec<usize> = p.attributes().map(|a| a.offset()).collect();
        prop_assert_eq!(starts.len(), attrs.len());
        let got: Vec<_> = p.addressed(&BuiltinFormats).collect();
        // Standard attributes, unchanged and in order.
        let standard: Vec<(usize, Vec<u8>)> = attrs
            .iter()
            .zip(&starts)
            .filter(|((t, _), _)| *t <= 25)
            .map(|((_, v), o)| (*o, v.clone()))
            .collect();
        let got_standard: Vec<(usize, Vec<u8>)> = got
            .iter()
            .filter(|a| a.addr().vendor() == VendorId(0) && a.addr().path().first().is_some_and(|t| *t <= 25))
            .map(|a| (a.offset(), a.value().to_vec()))
            .collect();
        prop_assert_eq!(got_standard, standard);
        // Single attributes whose fate FreeRADIUS decides alone.
        let evs_ok = |d: &[u8]| d.len() >= 6 && d[0] == 0;
        for ((t, v), o) in attrs.iter().zip(&starts) {
            let raw = match (t, &v[..]) {
                (241..=244, [_]) | (241..=244, []) => Some(true),
                (241..=244, [26, d @ ..]) => Some(!evs_ok(d)),
                (241..=244, _) => Some(false),
                (245..=246, [] | [_] | [_, _]) => Some(true),
                (245..=246, [26, f, d @ ..]) if f & 0x80 == 0 => Some(!evs_ok(d)),
                (245..=246, [_, f, ..]) if f & 0x80 == 0 => Some(false),
                _ => None,
            };
            // A lone fragment without the More flag may still end a chain before it.
            let in_chain = got.iter().any(|a| a.fragments() > 1 && a.offset() < *o
                && starts.iter().position(|s| s == o).is_some_and(|i| {
                    let first = starts.iter().position(|s| *s == a.offset()).unwrap_or(0);
                    i < first + a.fragments()
                }));
            if let (Some(raw), false) = (raw, in_chain) {
                let item = got.iter().find(|a| a.offset() == *o);
                prop_assert!(item.is_some(), "{} {:?}", t, v);
                prop_assert_eq!(item.map(|a| a.is_malformed()), Some(raw), "{} {:?}", t, v);
            }
        }
        let flagged = got.iter().any(|a| a.is_malformed());
        let strict = Packet::new_checked_with(&bytes[..], &DecodeOptions::UDP.strict_extended());
        prop_assert_eq!(strict.is_err(), flagged, "{:?}", strict);
    }
}
