//! Arbitrary dictionary text (split into a root and one includable file): no panic,
//! no hang, bounded memory; whatever loads can be looked up.
#![no_main]
use libfuzzer_sys::fuzz_target;
use radius_dict::{Dictionary, MemoryResolver, Mode};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (root, other) = text.split_once('\u{0}').unwrap_or((&text, ""));
    let mut r = MemoryResolver::new();
    r.insert("dictionary", root);
    r.insert("dictionary.other", other);
    for mode in [Mode::Strict, Mode::Lenient] {
        if let Ok((d, _)) = Dictionary::load(&r, "dictionary", mode) {
            for a in d.attributes() {
                let _ = d.attr(a.name());
                let _ = d.attr_by_key(a.key());
                let _ = d.values(a).map(|v| v.iter().count());
            }
        }
    }
});
