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
