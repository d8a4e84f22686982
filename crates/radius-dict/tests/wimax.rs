//! WiMAX continuation (vendor format 1,1,c): a value longer than one VSA is split on
//! encode and joined again on decode, as FreeRADIUS does.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use radius_codec::{Packet, PacketBuilder, SharedSecret, Value};
use radius_dict::{Dictionary, MemoryResolver, Mode};

#[test]
fn continued_values_are_joined() {
    let mut r = MemoryResolver::new();
    r.insert(
        "dictionary",
        "VENDOR WiMAX 24757 format=1,1,c\nBEGIN-VENDOR WiMAX\nATTRIBUTE WiMAX-Blob 99 octets\n\
         ATTRIBUTE WiMAX-Name 98 string\nEND-VENDOR WiMAX\n",
    );
    let (dict, _) = Dictionary::load(&r, "dictionary", Mode::Strict).unwrap();
    let long: String = (0..600).map(|i| char::from(b'a' + (i % 26) as u8)).collect();
    let mut b = PacketBuilder::accounting_request(1);
    dict.add(&mut b, "WiMAX-Name", "short", None).unwrap();
    dict.add(&mut b, "WiMAX-Blob", &format!("0x{}", hex(long.as_bytes())), None)
        .unwrap();
    dict.add(&mut b, "User-Name", "after", None).ok(); // not in this dictionary: an error, ignored
    dict.add(&mut b, "WiMAX-Name", "tail", None).unwrap();
    let bytes = b.finish(&SharedSecret::from("s")).unwrap();
    let p = Packet::new_checked_with(
        &bytes[..],
        &radius_codec::DecodeOptions::UDP.vendor_formats(&dict),
    )
    .unwrap();
    // Three VSAs carry the 600-octet value.
    assert_eq!(p.all(radius_codec::AttrType::VENDOR_SPECIFIC).count(), 5);
    let decoded = dict.decode(&p, None);
    let names: Vec<_> = decoded.iter().map(|d| d.name.to_string()).collect();
    assert_eq!(names, ["WiMAX-Name", "WiMAX-Blob", "WiMAX-Name"]);
    assert_eq!(decoded[1].value, Value::Octets(long.as_bytes().to_vec().into()));
    assert_eq!(decoded[2].text(), "tail");
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn wimax_dict() -> Dictionary {
    let mut r = MemoryResolver::new();
    r.insert(
        "dictionary",
        "VENDOR WiMAX 24757 format=1,1,c\nBEGIN-VENDOR WiMAX\nATTRIBUTE WiMAX-Blob 99 octets\n\
         ATTRIBUTE WiMAX-Name 98 string\nATTRIBUTE WiMAX-Num 97 integer\nEND-VENDOR WiMAX\n",
    );
    Dictionary::load(&r, "dictionary", Mode::Strict).unwrap().0
}

/// One WiMAX sub-attribute: type, length, continuation flag, value.
fn sub(t: u8, more: bool, value: &[u8]) -> Vec<u8> {
    let mut v = vec![
        t,
        u8::try_from(value.len() + 3).unwrap(),
        if more { 0x80 } else { 0 },
    ];
    v.extend_from_slice(value);
    v
}

/// A packet of Vendor-Specific attributes (vendor 24757), each with the given
/// sub-attributes, decoded as FreeRADIUS prints them (name, value).
fn decode_vsas(vsas: &[Vec<Vec<u8>>]) -> Vec<(String, String)> {
    let dict = wimax_dict();
    let mut b = PacketBuilder::accounting_request(1);
    for subs in vsas {
        let mut value = 24757u32.to_be_bytes().to_vec();
        for s in subs {
            value.extend_from_slice(s);
        }
        b.add(radius_codec::AttrType::VENDOR_SPECIFIC, &value).unwrap();
    }
    let bytes = b.finish(&SharedSecret::from("s")).unwrap();
    let opts = radius_codec::DecodeOptions::UDP.vendor_formats(&dict);
    let p = Packet::new_checked_with(&bytes[..], &opts).unwrap();
    dict.decode(&p, None)
        .iter()
        .map(|d| (d.freeradius_name().into_owned(), d.freeradius_value()))
        .collect()
}

fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
    p.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

/// Issue: only the first sub-attribute of each continued VSA was read; the others
/// disappeared ("3 sub-attributes decode to 1"). Nothing disappears: as FreeRADIUS
/// 3.2's `data2vp_wimax` reads WiMAX, a VSA holds one sub-attribute (continued over
/// the next VSAs, one sub-attribute each, while flagged); a VSA holding several, or
/// breaking a continuation, is kept whole, `Attr-26 = 0x<vendor id and data>`, the
/// first fragment of a broken continuation alone (radsniff prints the same).
#[test]
fn every_sub_attribute_is_decoded() {
    // Several sub-attributes in one VSA: raw.
    let got = decode_vsas(&[vec![
        sub(98, false, b"a"),
        sub(99, false, &[1, 2]),
        sub(97, false, &[0, 0, 0, 7]),
    ]]);
    assert_eq!(
        got,
        pairs(&[("Attr-26", "0x000060b562040061630500010261070000000007")])
    );

    // One each: decoded; a continued value joined.
    let got = decode_vsas(&[
        vec![sub(98, false, b"x")],
        vec![sub(99, true, &[1, 2])],
        vec![sub(99, false, &[3])],
        vec![sub(97, false, &[0, 0, 0, 9])],
    ]);
    assert_eq!(
        got,
        pairs(&[
            ("WiMAX-Name", "\"x\""),
            ("WiMAX-Blob", "0x010203"),
            ("WiMAX-Num", "9")
        ])
    );

    // A continuation carrying another sub-attribute: the first fragment raw, the
    // continuation (two sub-attributes) raw; what follows decoded.
    let got = decode_vsas(&[
        vec![sub(99, true, &[1])],
        vec![sub(99, false, &[2]), sub(98, false, b"mid")],
        vec![sub(98, false, b"tail")],
    ]);
    assert_eq!(
        got,
        pairs(&[
            ("Attr-26", "0x000060b563048001"),
            ("Attr-26", "0x000060b5630400026206006d6964"),
            ("WiMAX-Name", "\"tail\""),
        ])
    );

    // A type the dictionary does not define: raw (FreeRADIUS does not look inside).
    let got = decode_vsas(&[vec![sub(200, false, b"z")], vec![sub(98, false, b"a")]]);
    assert_eq!(
        got,
        pairs(&[("Attr-26", "0x000060b5c804007a"), ("WiMAX-Name", "\"a\"")])
    );
}
