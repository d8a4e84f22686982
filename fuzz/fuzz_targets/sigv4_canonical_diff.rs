//! Differential: the raw (Extreme) and strict (AWS) canonical queries agree on every
//! query whose keys are unique and whose keys and values are strictly encoded (what
//! `Signer` emits), in any order.
#![no_main]
use ecp_sigv4::sigv4::{canonical_query_raw, canonical_query_strict, encode, split_query};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (Vec<(String, String)>, Vec<u8>)| {
    let (pairs, order) = input;
    let mut encoded: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (k, v) in &pairs {
        if k == "X-Amz-Signature" || !seen.insert(k.clone()) {
            continue;
        }
        encoded.push(format!("{}={}", encode(k), encode(v)));
    }
    // any order: a permutation chosen by the input
    for (i, o) in order.iter().enumerate() {
        let n = encoded.len();
        if n > 1 {
            encoded.swap(i % n, usize::from(*o) % n);
        }
    }
    let raw = encoded.join("&");
    let strict = canonical_query_strict(split_query(&raw)).expect("strictly encoded input decodes");
    assert_eq!(canonical_query_raw(&raw), strict, "{raw}");
});
