//! Hostile dictionary trees stay bounded: each file is read and parsed once per load,
//! aliases of one file are one file, warnings are capped, only regular files of a
//! bounded size are read.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::cell::RefCell;
use std::collections::HashMap;

use radius_dict::{Dictionary, ErrorKind, FsResolver, MemoryResolver, Mode, Resolver};

/// A [`MemoryResolver`] that counts reads and bytes per file.
#[derive(Default)]
struct Counting {
    files: MemoryResolver,
    reads: RefCell<HashMap<String, usize>>,
    bytes: RefCell<usize>,
}

impl Resolver for Counting {
    fn resolve(&self, from: Option<&str>, name: &str) -> String {
        self.files.resolve(from, name)
    }

    fn read(&self, name: &str) -> Option<String> {
        *self.reads.borrow_mut().entry(name.to_string()).or_default() += 1;
        let text = self.files.read(name)?;
        *self.bytes.borrow_mut() += text.len();
        Some(text)
    }
}

impl Counting {
    fn reads(&self, name: &str) -> usize {
        self.reads.borrow().get(name).copied().unwrap_or(0)
    }
}

/// Issue: one file could be loaded up to 2048 times, each load queueing its pending
/// VALUEs again. Now it is read once, under any of its names.
#[test]
fn a_file_included_many_times_is_parsed_once() {
    let mut r = Counting::default();
    let names = ["x", "./x", "sub/../x", "./sub/./../x"];
    let root: String = (0..2000)
        .map(|i| format!("$INCLUDE {}\n", names[i % 4]))
        .collect();
    let x: String = (0..100).map(|i| format!("VALUE Nowhere V{i} {i}\n")).collect();
    r.files.insert("dir/dictionary", root);
    r.files.insert("dir/x", x);
    let (_, warnings) = Dictionary::load(&r, "dir/dictionary", Mode::Lenient).unwrap();
    assert_eq!(r.reads("dir/x"), 1);
    assert_eq!(warnings.len(), 100);
    assert!(warnings.iter().all(|w| *w.kind() == ErrorKind::UnknownAttribute));

    // Strict: the first unknown VALUE is the error, once.
    let e = Dictionary::load(&r, "dir/dictionary", Mode::Strict).unwrap_err();
    assert_eq!(*e.kind(), ErrorKind::UnknownAttribute);
    assert_eq!(r.reads("dir/x"), 2, "one read per load");
}

/// The definitions a twice-included file makes are the same as with one include.
#[test]
fn repeated_include_gives_the_same_dictionary() {
    let mut once = MemoryResolver::new();
    once.insert("d", "$INCLUDE a\nATTRIBUTE Late 2 string\n");
    once.insert("a", "ATTRIBUTE Early 1 integer\nVALUE Early One 1\n");
    let mut twice = once.clone();
    twice.insert(
        "d",
        "$INCLUDE a\n$INCLUDE ./a\nATTRIBUTE Late 2 string\n$INCLUDE a\n",
    );
    let (a, _) = Dictionary::load(&once, "d", Mode::Strict).unwrap();
    let (b, _) = Dictionary::load(&twice, "d", Mode::Strict).unwrap();
    let names = |d: &Dictionary| d.attributes().map(|a| a.name().to_string()).collect::<Vec<_>>();
    assert_eq!(names(&a), names(&b));
    assert_eq!(a.value_count(), b.value_count());
}

/// Issue: `$INCLUDE-` read each file twice (once to see whether it exists).
#[test]
fn optional_include_reads_once() {
    let mut r = Counting::default();
    r.files.insert("d", "$INCLUDE- a\n$INCLUDE- missing\n");
    r.files.insert("a", "ATTRIBUTE A 1 string\n");
    let (d, _) = Dictionary::load(&r, "d", Mode::Strict).unwrap();
    assert!(d.attr("A").is_some());
    assert_eq!(r.reads("a"), 1);
    assert_eq!(r.reads("missing"), 1);
}

/// A cycle through an alias (`./d`) is a cycle, not a nesting-depth error.
#[test]
fn cycles_are_found_through_aliases() {
    let mut r = MemoryResolver::new();
    r.insert("dir/d", "ATTRIBUTE A 1 string\n$INCLUDE ./d\n");
    let e = Dictionary::load(&r, "dir/d", Mode::Strict).unwrap_err();
    assert_eq!(*e.kind(), ErrorKind::IncludeCycle);
    assert_eq!((e.file(), e.line()), ("dir/d", 2));
}

/// Lenient loads keep at most 1000 warnings and say how many were dropped.
#[test]
fn warnings_are_capped() {
    let mut r = MemoryResolver::new();
    let text: String = (0..50_000).map(|i| format!("VALUE-ALIAS A{i} B\n")).collect();
    r.insert("d", text);
    let (_, warnings) = Dictionary::load(&r, "d", Mode::Lenient).unwrap();
    assert_eq!(warnings.len(), 1001);
    let last = warnings.last().unwrap();
    assert_eq!(*last.kind(), ErrorKind::TooManyWarnings);
    assert_eq!(last.token(), "49000");
}

#[test]
fn oversized_files_are_rejected() {
    let mut r = Counting::default();
    r.files.insert("d", "$INCLUDE big\n");
    r.files.insert("big", "#".repeat((4 << 20) + 1));
    let e = Dictionary::load(&r, "d", Mode::Strict).unwrap_err();
    assert_eq!(*e.kind(), ErrorKind::TooLarge);
    assert_eq!((e.file(), e.line()), ("d", 1));

    // 6 files of 3 MiB: the sixth goes over the 16 MiB a load may read.
    let mut r = Counting::default();
    r.files.insert(
        "d",
        (0..6).map(|i| format!("$INCLUDE f{i}\n")).collect::<String>(),
    );
    for i in 0..6 {
        r.files.insert(format!("f{i}"), "#".repeat(3 << 20));
    }
    let e = Dictionary::load(&r, "d", Mode::Strict).unwrap_err();
    assert_eq!(*e.kind(), ErrorKind::TooLarge);
    assert_eq!(e.line(), 6);
    assert!(*r.bytes.borrow() < (18 << 20) + 100, "stopped at the sixth file");
}

fn scratch_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("radius-dict-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Issue: `$INCLUDE /dev/zero` read until memory ran out; a FIFO would block.
#[cfg(unix)]
#[test]
fn only_regular_files_are_read() {
    let dir = scratch_dir("special");
    let fifo = dir.join("fifo");
    let have_fifo = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    let mut targets = vec!["/dev/zero".to_string(), dir.display().to_string()];
    if have_fifo {
        targets.push(fifo.display().to_string());
    }
    for target in targets {
        let root = dir.join("dictionary");
        std::fs::write(&root, format!("$INCLUDE {target}\n")).unwrap();
        let e = Dictionary::from_file(&root).unwrap_err();
        assert_eq!(*e.kind(), ErrorKind::MissingInclude, "{target}");
        // Optional: skipped.
        std::fs::write(&root, format!("$INCLUDE- {target}\nATTRIBUTE A 1 string\n")).unwrap();
        assert!(Dictionary::from_file(&root).unwrap().attr("A").is_some());
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A cycle through a symbolic link or `./` on disk is found on canonical paths.
#[cfg(unix)]
#[test]
fn disk_cycles_are_found_on_canonical_paths() {
    let dir = scratch_dir("cycle");
    let up = format!("../{}", dir.file_name().unwrap().to_string_lossy());
    // Each round adds `../dir` to the name as written: only the canonical path repeats.
    for (target, text) in [
        ("d", format!("ATTRIBUTE A 1 string\n$INCLUDE {up}/d\n")),
        ("e", format!("ATTRIBUTE A 1 string\n$INCLUDE {up}/link\n")),
    ] {
        std::fs::write(dir.join(target), text).unwrap();
        let _ = std::fs::remove_file(dir.join("link"));
        std::os::unix::fs::symlink(dir.join(target), dir.join("link")).unwrap();
        let e =
            Dictionary::load(&FsResolver, &dir.join(target).display().to_string(), Mode::Strict).unwrap_err();
        assert_eq!(*e.kind(), ErrorKind::IncludeCycle, "{target}");
        assert_eq!(e.line(), 2);
    }
    let _ = std::fs::remove_dir_all(&dir);
}
