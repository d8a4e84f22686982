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
use radius_codec::{AttrAddr, Packet, SharedSecret};
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
}
