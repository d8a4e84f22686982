//! `Dictionary::decode` on arbitrary attribute lists: no panic, with or without the
//! secret, and nothing dropped (every plain standard attribute comes out with its
//! number), whatever the Vendor-Specific, extended and hidden attributes around it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use proptest::prelude::*;
use radius_codec::{AttrAddr, Packet, PacketBuilder, SharedSecret, VendorId, Vsa};
use radius_dict::{Dictionary, Hiding};

/// An Access-Request (code 1) with the given raw attributes, unvalidated.
fn raw(attrs: &[(u8, Vec<u8>)]) -> Vec<u8> {
    let mut p = vec![1, 7, 0, 0];
    p.extend_from_slice(&[9; 16]);
    for (t, v) in attrs {
        p.push(*t);
        p.push(u8::try_from(v.len() + 2).unwrap());
        p.extend_from_slice(v);
    }
    let len = u16::try_from(p.len()).unwrap().to_be_bytes();
    p[2..4].copy_from_slice(&len);
    p
}

/// Attribute types that exercise structure and hiding: Vendor-Specific (with
/// vendor ids the dictionary knows, WiMAX among them, and 0), extended and
/// long-extended, User-Password, Tunnel-Password, a `tlv` type, and the rest.
fn attr() -> impl Strategy<Value = (u8, Vec<u8>)> {
    let bytes = || proptest::collection::vec(any::<u8>(), 0..40);
    let vendor = prop_oneof![
        Just(0u32),
        Just(9),
        Just(311),
        Just(24757),
        Just(14122),
        any::<u32>()
    ];
    prop_oneof![
        (vendor.clone(), bytes()).prop_map(|(v, rest)| {
            let mut value = v.to_be_bytes().to_vec();
            value.extend(rest);
            (26u8, value)
        }),
        // Well-formed `1,1` sub-attributes (types 1-3, so User-Name's number comes up).
        (vendor, proptest::collection::vec((1u8..=3, bytes()), 1..3)).prop_map(|(v, subs)| {
            let mut value = v.to_be_bytes().to_vec();
            for (t, data) in subs {
                value.push(t);
                value.push(u8::try_from(data.len() + 2).unwrap());
                value.extend(data);
            }
            (26u8, value)
        }),
        (241u8..=246, bytes()).prop_map(|(t, v)| (t, v)),
        (prop_oneof![Just(2u8), Just(69), Just(173), any::<u8>()], bytes()),
    ]
}

proptest! {
    #[test]
    fn any_attribute_list_decodes_without_panic_or_loss(attrs in proptest::collection::vec(attr(), 0..12)) {
        let d = Dictionary::builtin();
        let bytes = raw(&attrs);
        let p = Packet::new_unchecked(&bytes[..]);
        let secret = SharedSecret::from("s");
        let hiding = Hiding { secret: &secret, salt: 0x8001 };
        for h in [None, Some(&hiding)] {
            let got = d.decode(&p, h);
            for (t, _) in attrs.iter().filter(|(t, _)| !matches!(t, 26 | 241..=246)) {
                let number = u32::from(*t);
                // A `tlv` attribute may come out as its children (same first number).
                prop_assert!(
                    got.iter().any(|a| a.addr.vendor().0 == 0 && a.addr.path().first() == Some(&number)),
                    "attribute {} missing from {:?}", t, got
                );
            }
            // A Vendor-Specific of vendor id 0 never becomes a standard attribute.
            let standard = got.iter().filter(|a| a.addr == AttrAddr::standard(1)).count();
            prop_assert_eq!(standard, attrs.iter().filter(|(t, _)| *t == 1).count());
            let _ = d.display(&p).to_string();
        }
    }

    /// Any Vendor-Specific content between standard attributes, in a packet that
    /// validates (only the top-level walk is checked, as FreeRADIUS checks it): the
    /// standard attributes come out by name, in wire order, with their values; each
    /// VSA that does not parse in its vendor's format comes out between them, whole,
    /// malformed, printed `Attr-26 = 0x<value>`; and the printed text reads back to
    /// the same packet.
    #[test]
    fn malformed_vsas_are_kept_in_place(
        attrs in proptest::collection::vec(
            prop_oneof![
                (prop_oneof![Just(1u8), Just(25), Just(18)], proptest::collection::vec(0x20u8..0x7f, 1..12)),
                (
                    // WiMAX (24757), read across VSAs as FreeRADIUS reads it, is in
                    // tests/wimax.rs.
                    prop_oneof![Just(0u32), Just(9), Just(429), Just(4846), Just(9999)],
                    proptest::collection::vec(any::<u8>(), 0..10),
                ).prop_map(|(v, rest)| {
                    let mut value = v.to_be_bytes().to_vec();
                    value.extend(rest);
                    (26u8, value)
                }),
                proptest::collection::vec(any::<u8>(), 0..4).prop_map(|v| (26u8, v)),
            ],
            0..10,
        )
    ) {
        let d = Dictionary::builtin();
        let bytes = raw(&attrs);
        let p = Packet::new_checked(&bytes[..]).unwrap();
        let parses = |v: &[u8]| {
            let vendor = VendorId::of_vsa_value(v).unwrap_or(VendorId(0));
            Vsa::new_checked(v, d.vendor_format(vendor), 0).is_ok()
        };
        let hex = |v: &[u8]| v.iter().map(|b| format!("{b:02x}")).collect::<String>();
        let want: Vec<(String, String, bool)> = attrs
            .iter()
            .filter(|(t, v)| *t != 26 || !parses(v))
            .map(|(t, v)| match t {
                26 => ("Attr-26".to_string(), format!("0x{}", hex(v)), true),
                _ => {
                    let def = d.attr_by_addr(AttrAddr::standard(u32::from(*t))).unwrap();
                    let value = radius_codec::Value::decode(def.data_type(), v).unwrap();
                    (def.name().to_string(), d.format_value_freeradius(def, &value), false)
                }
            })
            .collect();
        let decoded = d.decode(&p, None);
        let got: Vec<(String, String, bool)> = decoded
            .iter()
            .filter(|a| a.addr.vendor() == VendorId(0))
            .filter(|a| a.addr != AttrAddr::standard(26) || a.is_malformed())
            .map(|a| (a.freeradius_name().into_owned(), a.freeradius_value(), a.is_malformed()))
            .collect();
        prop_assert_eq!(got, want);
        // Where nothing was split (no VSA parsed): the malformed ones as printed
        // (`Attr-26 = 0x...`), the others by name and text, read back with the
        // dictionary, give the same attribute octets.
        if decoded.len() == attrs.len() && decoded.iter().all(|a| a.addr.vendor() == VendorId(0)) {
            let mut b = PacketBuilder::accounting_request(0);
            for a in &decoded {
                if a.is_malformed() {
                    d.add(&mut b, &a.freeradius_name(), &a.freeradius_value(), None).unwrap();
                } else {
                    d.add(&mut b, &a.name, &a.text(), None).unwrap();
                }
            }
            let again = b.finish(&SharedSecret::from("s")).unwrap();
            prop_assert_eq!(&again[20..], &bytes[20..]);
        }
    }
}
