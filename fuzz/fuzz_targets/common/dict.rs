//! The dictionary the dictionary fuzz targets use: the built-in one plus a WiMAX
//! vendor (continuation format), hidden and tagged attributes, a TLV tree and an
//! Ascend filter (`abinary`).

// Each target uses the parts it needs.
#![allow(dead_code)]

use std::sync::OnceLock;

use radius_dict::{AttrDef, Dictionary, MemoryResolver, Mode};

/// The WiMAX Forum's vendor id.
pub const WIMAX: u32 = 24757;

const EXTRA: &str = "\
VENDOR WiMAX 24757 format=1,1,c
BEGIN-VENDOR WiMAX
ATTRIBUTE WiMAX-Capability 1 octets
ATTRIBUTE WiMAX-Name 2 string
ATTRIBUTE WiMAX-Num 3 integer
ATTRIBUTE WiMAX-Blob 4 octets
END-VENDOR WiMAX
VENDOR Fuzz 65000
BEGIN-VENDOR Fuzz
ATTRIBUTE Fuzz-Secret 1 string encrypt=1
ATTRIBUTE Fuzz-Salted 2 octets encrypt=2
ATTRIBUTE Fuzz-Ascend 3 string encrypt=3
ATTRIBUTE Fuzz-Tagged 4 string has_tag
ATTRIBUTE Fuzz-Tagged-Int 5 integer has_tag
ATTRIBUTE Fuzz-Tagged-Salted 6 string has_tag,encrypt=2
ATTRIBUTE Fuzz-Tree 7 tlv
ATTRIBUTE Fuzz-Leaf 7.1 integer
ATTRIBUTE Fuzz-Branch 7.2 tlv
ATTRIBUTE Fuzz-Branch-Addr 7.2.1 ipaddr
ATTRIBUTE Fuzz-Branch-Text 7.2.2 string
ATTRIBUTE Fuzz-Filter 8 abinary
END-VENDOR Fuzz
";

/// The dictionary and its attributes, in definition order.
pub fn dict() -> &'static (Dictionary, Vec<AttrDef>) {
    static DICT: OnceLock<(Dictionary, Vec<AttrDef>)> = OnceLock::new();
    DICT.get_or_init(|| {
        let mut files = MemoryResolver::new();
        files.insert("fuzz", EXTRA);
        let (d, _) = Dictionary::builtin()
            .clone()
            .load_more(&files, "fuzz", Mode::Strict)
            .expect("the fuzz dictionary loads");
        let attrs = d.attributes().cloned().collect();
        (d, attrs)
    })
}
