//! Text values round-trip for every data type: a value decoded from fuzz octets is
//! printed and parsed back to the same value (`format_value` / `parse_value` for
//! every value whose text is UTF-8, the FreeRADIUS-syntax pair for every value), and
//! any text that parses prints to text that parses to the same value. Every input
//! also goes to the Ascend filter (`abinary`) attribute, as octets and as the words
//! after a filter's head, so that the fuzzer reaches the filter parser and printer
//! whichever attribute it picked.
#![no_main]
use libfuzzer_sys::fuzz_target;
use radius_codec::{Value, VendorId, Vsa};
use radius_dict::AttrDef;

#[path = "common/dict.rs"]
mod common;

fuzz_target!(|input: (u16, &[u8])| {
    let (which, data) = input;
    let (dict, attrs) = common::dict();
    if let Some(def) = attrs.get(usize::from(which) % attrs.len()) {
        round_trips(def, data);
    }
    let Some(filter) = dict.attr("Fuzz-Filter") else {
        return;
    };
    round_trips(filter, data);
    if let Some((first, rest)) = data.split_first() {
        let heads = [
            "ip in forward ",
            "ipv6 out drop ",
            "ipx in drop ",
            "generic out forward ",
        ];
        let head = heads
            .get(usize::from(*first) % heads.len())
            .copied()
            .unwrap_or("");
        let text = format!("{head}{}", String::from_utf8_lossy(rest));
        if let Ok(v) = dict.parse_value(filter, &text) {
            let again = dict.format_value_freeradius(filter, &v);
            let back = dict
                .parse_value_freeradius(filter, &again)
                .expect("printed filter parses");
            assert_eq!(back, v, "{text:?} {again:?}");
        }
    }
});

fn round_trips(def: &AttrDef, data: &[u8]) {
    let (dict, _) = common::dict();
    let canonical = |v: &Value<'_>| v.to_bytes().ok();

    if let Ok(v) = Value::decode(def.data_type(), data) {
        // A Vendor-Specific value whose content does not parse in its vendor's format
        // prints (`0x...`), but by name only a well-formed one is read back (as
        // radclient refuses it; the raw `Attr-26 = 0x...` name carries the others,
        // radius-dict's raw round trip checks that).
        let readable = match &v {
            Value::Vsa(b) => {
                let vendor = VendorId::of_vsa_value(b).unwrap_or(VendorId(0));
                Vsa::new_checked(b, dict.vendor_format(vendor), 0).is_ok()
            }
            _ => true,
        };
        round_trips_decoded(dict, def, &v, readable);
    }

    // Arbitrary text: text -> value -> text -> value is stable.
    let text = String::from_utf8_lossy(data);
    let parsed = [
        dict.parse_value(def, &text),
        dict.parse_value_freeradius(def, &text),
    ];
    for v in parsed.into_iter().flatten() {
        let again = dict.format_value_freeradius(def, &v);
        let back = dict
            .parse_value_freeradius(def, &again)
            .expect("printed text parses");
        assert_eq!(canonical(&back), canonical(&v), "{} {again:?}", def.name());
    }
}

/// A value decoded from octets prints, and its text reads back to the same value
/// (`readable`: a value that the dictionary reads back by name at all).
fn round_trips_decoded(dict: &radius_dict::Dictionary, def: &AttrDef, v: &Value<'_>, readable: bool) {
    let canonical = |v: &Value<'_>| v.to_bytes().ok();
    let text = dict.format_value(def, v);
    let fr = dict.format_value_freeradius(def, v);
    if !readable {
        return;
    }
    let utf8_string = !matches!(v, Value::String(b) if std::str::from_utf8(b).is_err());
    if utf8_string {
        let back = dict
            .parse_value(def, &text)
            .unwrap_or_else(|e| panic!("{} {text:?}: {e}", def.name()));
        assert_eq!(canonical(&back), canonical(v), "{} {text:?}", def.name());
    }
    let back = dict
        .parse_value_freeradius(def, &fr)
        .unwrap_or_else(|e| panic!("{} {fr:?}: {e}", def.name()));
    assert_eq!(canonical(&back), canonical(v), "{} {fr:?}", def.name());
}
