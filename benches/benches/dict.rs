//! Dictionary benchmarks: parse the whole FreeRADIUS 3.2 tree from memory, and look
//! attributes up by name and by number.
//!
//! Run: `cargo bench -p nacwire-benches --bench dict` (needs the Debian
//! `freeradius-common` tree in /usr/share/freeradius).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use radius_dict::{AttrAddr, Dictionary, MemoryResolver, Mode};

const DIR: &str = "/usr/share/freeradius";

fn tree() -> MemoryResolver {
    let mut r = MemoryResolver::new();
    for e in std::fs::read_dir(DIR).unwrap() {
        let p = e.unwrap().path();
        let name = format!("fr/{}", p.file_name().unwrap().to_string_lossy());
        r.insert(
            name,
            String::from_utf8_lossy(&std::fs::read(&p).unwrap()).into_owned(),
        );
    }
    r
}

fn bench(c: &mut Criterion) {
    let files = tree();
    c.bench_function("dict_parse_freeradius_tree_from_memory", |b| {
        b.iter_with_large_drop(|| Dictionary::load(black_box(&files), "fr/dictionary", Mode::Strict).unwrap())
    });
    let (d, _) = Dictionary::load(&files, "fr/dictionary", Mode::Strict).unwrap();
    c.bench_function("dict_lookup_by_name", |b| {
        b.iter(|| d.attr(black_box("Cisco-AVPair")).unwrap().addr())
    });
    c.bench_function("dict_lookup_by_name_other_case", |b| {
        b.iter(|| d.attr(black_box("cisco-avpair")).unwrap().addr())
    });
    let key = AttrAddr::new(radius_codec::VendorId(9), &[1]).unwrap();
    c.bench_function("dict_lookup_by_number", |b| {
        b.iter(|| d.attr_by_addr(black_box(key)).unwrap().name().len())
    });
}

fn builtin_and_decode(c: &mut Criterion) {
    use nacwire_benches::{data_type, packets};
    use radius_codec::{AttrType, Packet};
    use radius_dict::BUILTIN_FILES;
    c.bench_function("dict_builtin_first_use", |b| {
        b.iter(|| {
            let mut files = MemoryResolver::new();
            for (n, t) in BUILTIN_FILES {
                files.insert(*n, *t);
            }
            Dictionary::load(&files, "dictionary", Mode::Strict).unwrap()
        })
    });
    let dict = Dictionary::builtin();
    let [_, _, (_, c_bytes)] = packets();
    let mut g = c.benchmark_group("decode_named_C");
    g.bench_function("radius-dict", |b| {
        b.iter(|| {
            let p = Packet::new_checked(black_box(&c_bytes[..])).unwrap();
            dict.decode(&p, None).len()
        })
    });
    g.bench_function("radius-codec-typed", |b| {
        b.iter(|| {
            let p = Packet::new_checked(black_box(&c_bytes[..])).unwrap();
            let mut n = 0usize;
            for a in p.attributes() {
                if a.typ() != AttrType::VENDOR_SPECIFIC {
                    n += a
                        .decode(data_type(a.typ().0))
                        .map(|v| v.to_bytes().map_or(0, |b| b.len()))
                        .unwrap_or(0);
                }
            }
            n
        })
    });
    g.finish();
}

criterion_group!(benches, bench, builtin_and_decode);
criterion_main!(benches);
