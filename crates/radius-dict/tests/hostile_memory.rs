//! A 1 MB hostile dictionary tree loads in bounded memory. Its own test binary (one
//! test), so the process's peak resident size is this load's.
//!
//! Before the fix, 69 KB of includes and VALUEs peaked at 418 MB: one file was parsed
//! up to 2048 times and each parse queued its VALUEs again.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use radius_dict::{Dictionary, ErrorKind, MemoryResolver, Mode};

/// The process's peak resident set size in bytes (Linux).
fn peak_rss() -> Option<usize> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: usize = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

#[test]
fn one_megabyte_of_includes_stays_small() {
    // Root: 3600 includes of one file; the file: 58 000 VALUEs for an attribute that
    // never exists (each is queued until the end of the load).
    let root = "$INCLUDE x\n".repeat(3600);
    let x: String = (0..58_000).map(|i| format!("VALUE Q v{i} 1\n")).collect();
    let total = root.len() + x.len();
    assert!((900_000..=1_100_000).contains(&total), "{total}");
    let mut r = MemoryResolver::new();
    r.insert("dictionary", root);
    r.insert("x", x);

    let (_, warnings) = Dictionary::load(&r, "dictionary", Mode::Lenient).unwrap();
    assert_eq!(warnings.len(), 1001);
    assert_eq!(*warnings[1000].kind(), ErrorKind::TooManyWarnings);
    let e = Dictionary::load(&r, "dictionary", Mode::Strict).unwrap_err();
    assert_eq!(*e.kind(), ErrorKind::UnknownAttribute);

    if let Some(peak) = peak_rss() {
        assert!(peak < 64 << 20, "peak resident size {} MB", peak >> 20);
    }
}
