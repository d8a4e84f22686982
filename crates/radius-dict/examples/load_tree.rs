//! Loads a dictionary tree from memory `runs` times and prints the median load time
//! and what was loaded, as one JSON line (used by `benches/python/dict_load.py` to
//! compare with pyrad in the same run).
//!
//! Run: `cargo run --release -p radius-dict --example load_tree -- /usr/share/freeradius 20`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::time::Instant;

use radius_dict::{Dictionary, MemoryResolver, Mode};

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().unwrap_or_else(|| "/usr/share/freeradius".into());
    let runs: usize = args.next().map_or(20, |n| n.parse().expect("runs"));
    let mut files = MemoryResolver::new();
    for e in std::fs::read_dir(&dir).expect("dictionary directory") {
        let p = e.unwrap().path();
        let name = format!("fr/{}", p.file_name().unwrap().to_string_lossy());
        files.insert(
            name,
            String::from_utf8_lossy(&std::fs::read(&p).unwrap()).into_owned(),
        );
    }
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        let (d, _) = Dictionary::load(&files, "fr/dictionary", Mode::Strict).expect("loads strictly");
        times.push(t.elapsed().as_secs_f64() * 1e3);
        last = Some(d); // dropped outside the timed section of the next run
    }
    times.sort_by(f64::total_cmp);
    let d = last.unwrap();
    println!(
        "{{\"median_ms\": {:.3}, \"attributes\": {}, \"vendors\": {}, \"values\": {}}}",
        times[times.len() / 2],
        d.attr_count(),
        d.vendors().count(),
        d.value_count()
    );
}
