//! Packets built from fuzz input through the dictionary (named attributes with tags
//! and hidden values under a fixed secret, TLVs, WiMAX VSAs with several
//! sub-attributes and continuations, raw attributes), then decoded with the
//! dictionary and printed as FreeRADIUS does: no panic, nothing is dropped (a
//! Vendor-Specific whose content does not parse is kept whole, malformed), and
//! every attribute printed raw (`Attr-27 = 0x000001`, `Attr-26 = 0x...`) reads back.
#![no_main]
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use radius_codec::{AttrType, DecodeOptions, Packet, PacketBuilder, SharedSecret, Value, VendorId};
use radius_dict::Hiding;

#[path = "common/dict.rs"]
mod common;

#[derive(Arbitrary, Debug)]
enum Op {
    /// A dictionary attribute (by index) with a value decoded from octets.
    Named {
        attr: u16,
        tag: Option<u8>,
        value: Vec<u8>,
    },
    /// A WiMAX Vendor-Specific with raw sub-attributes (type, continuation, value).
    Wimax { subs: Vec<(u8, bool, Vec<u8>)> },
    /// Any attribute with raw octets.
    Raw { typ: u8, value: Vec<u8> },
}

#[derive(Arbitrary, Debug)]
struct Input {
    authenticator: [u8; 16],
    salt: u16,
    ops: Vec<Op>,
}

fuzz_target!(|input: Input| {
    let (dict, attrs) = common::dict();
    let secret = SharedSecret::from("fuzz-secret");
    let hiding = Hiding {
        secret: &secret,
        salt: input.salt | 0x8000,
    };
    let mut b = PacketBuilder::access_request(1, input.authenticator);
    for op in input.ops.iter().take(64) {
        match op {
            Op::Named { attr, tag, value } => {
                let Some(def) = attrs.get(usize::from(*attr) % attrs.len()) else {
                    continue;
                };
                let Ok(v) = Value::decode(def.data_type(), value) else {
                    continue;
                };
                let text = dict.format_value(def, &v);
                let name = match tag {
                    Some(t) => format!("{}:{t}", def.name()),
                    None => def.name().to_string(),
                };
                let _ = dict.add(&mut b, &name, &text, Some(&hiding));
            }
            Op::Wimax { subs } => {
                let mut value = common::WIMAX.to_be_bytes().to_vec();
                for (t, more, v) in subs.iter().take(8) {
                    let v = v.get(..v.len().min(60)).unwrap_or_default();
                    value.extend_from_slice(&[*t, (v.len() + 3) as u8, if *more { 0x80 } else { 0 }]);
                    value.extend_from_slice(v);
                }
                let _ = b.add(AttrType::VENDOR_SPECIFIC, &value);
            }
            Op::Raw { typ, value } => {
                let _ = b.add(AttrType(*typ), value);
            }
        }
    }
    let Ok(bytes) = b.finish(&secret) else { return };
    // The default options: a Vendor-Specific whose content does not parse in the
    // dictionary's formats is decoded too (whole, malformed, `Attr-26 = 0x...`).
    let Ok(p) = Packet::new_checked_with(&bytes[..], &DecodeOptions::UDP) else {
        return;
    };
    // With the dictionary's formats, strict validation refuses exactly the packets
    // with such a VSA.
    let strict = DecodeOptions::UDP.vendor_formats(dict);
    let bad_vsa = p.attributes().any(|a| {
        a.typ() == AttrType::VENDOR_SPECIFIC
            && a.vsa_with(dict.vendor_format(VendorId::of_vsa_value(a.value()).unwrap_or(VendorId(0))))
                .is_err()
    });
    assert_eq!(Packet::new_checked_with(&bytes[..], &strict).is_err(), bad_vsa);
    let decoded = dict.decode(&p, Some(&hiding));
    for d in &decoded {
        let _ = d.text();
        let _ = format!("{d:?}");
        // FreeRADIUS's form: a malformed value is printed raw, by number, in hex.
        let (name, value) = (d.freeradius_name(), d.freeradius_value());
        if d.is_malformed() {
            assert!(
                name.starts_with("Attr-") && value.starts_with("0x"),
                "{name} = {value}"
            );
        }
        // A raw pair reads back: its name to its address, its value to its octets.
        if name.starts_with("Attr-") {
            let raw = dict.raw_attr(&name).unwrap_or_else(|e| panic!("{name}: {e}"));
            let octets = dict
                .parse_value(&raw, &value)
                .unwrap_or_else(|e| panic!("{name} = {value}: {e}"));
            if raw.addr() == d.addr {
                assert_eq!(
                    octets.to_bytes().ok(),
                    d.value.to_bytes().ok(),
                    "{name} = {value}"
                );
            } else {
                // An unknown short extended type, printed as its parent, type first.
                assert_eq!(raw.addr().path(), d.addr.path().get(..1).unwrap_or_default());
            }
        }
    }
    let _ = dict.display(&p).to_string();

    // Nothing is dropped: every standard attribute gives at least one entry ...
    let top = |t: u8| !matches!(t, 26 | 241..=246);
    let standard = p.attributes().filter(|a| top(a.typ().0)).count();
    let decoded_standard = decoded
        .iter()
        .filter(|d| d.addr.vendor().0 == 0)
        .filter(|d| {
            d.addr
                .path()
                .first()
                .is_some_and(|t| u8::try_from(*t).is_ok_and(top))
        })
        .count();
    assert!(decoded_standard >= standard, "{decoded_standard} < {standard}");

    // ... and every octet of every WiMAX sub-attribute is in a decoded WiMAX value, or
    // in a WiMAX VSA kept whole (FreeRADIUS 3.2 keeps raw one that holds several
    // sub-attributes, one of a type it does not know, or a broken continuation).
    let format = dict.vendor_format(VendorId(common::WIMAX));
    let sub_octets = |v: &[u8]| -> usize {
        radius_codec::Vsa::new_checked(v, format, 0)
            .ok()
            .filter(|v| v.vendor().0 == common::WIMAX)
            .map_or(0, |v| v.attrs().map(|s| s.value().len()).sum())
    };
    let sent: usize = p
        .attributes()
        .filter(|a| a.typ() == AttrType::VENDOR_SPECIFIC)
        .map(|a| sub_octets(a.value()))
        .sum();
    let got: usize = decoded
        .iter()
        .map(|d| match d.value.to_bytes() {
            Ok(b) if d.addr.vendor().0 == common::WIMAX => b.len(),
            Ok(b) if d.is_malformed() && d.addr == radius_codec::AttrAddr::standard(26) => sub_octets(&b),
            _ => 0,
        })
        .sum();
    assert_eq!(sent, got, "WiMAX octets");
});
