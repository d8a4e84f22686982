//! No panic on any input: validate, walk, decode every attribute as every type,
//! reassemble extended attributes, parse VSAs, verify (integrity checks are skipped
//! under `cfg(fuzzing)` so the fuzzer reaches attribute decoding).
#![no_main]
use libfuzzer_sys::fuzz_target;
use radius_codec::{DataType, DecodeOptions, Packet, ServerPolicy, SharedSecret, Tlvs};

fuzz_target!(|data: &[u8]| {
    for opts in [DecodeOptions::UDP, DecodeOptions::TCP.opaque_vsa()] {
        let Ok(p) = Packet::new_checked_with(data, &opts) else {
            continue;
        };
        for a in p.attributes() {
            for dt in DataType::ALL {
                let _ = a.decode(dt);
            }
            if let Ok(vsa) = a.vsa() {
                for sub in vsa.attrs() {
                    let _ = Tlvs::validate_tree(sub.value(), 3);
                }
            }
        }
        for e in p.extended() {
            let _ = e.evs();
            let _ = Tlvs::validate_tree(e.data(), 8);
        }
        let secret = SharedSecret::from("testing123");
        let _ = p.verify_request(&secret);
        let _ = p.verify_reply(&p, &secret);
        let _ = ServerPolicy::default().check(&p);
        let _ = p.concat(radius_codec::AttrType::EAP_MESSAGE);
    }
});
