//! Where dictionary files come from: the file system, or memory.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::parse::MAX_FILE_BYTES;

/// Reads dictionary files by name. Names are as written in `$INCLUDE` (relative to
/// the including file's directory) or given to [`crate::Dictionary::load`].
pub trait Resolver {
    /// The canonical name of `name` included from `from` (`None` for the root): two
    /// names of the same file must resolve to the same string, since the loader
    /// detects include cycles and reads each file once by this name.
    fn resolve(&self, from: Option<&str>, name: &str) -> String;
    /// The file's text, or `None` if it cannot be read. The loader rejects text over
    /// 4 MiB, and more than 16 MiB in one load, with [`crate::ErrorKind::TooLarge`].
    fn read(&self, name: &str) -> Option<String>;
}

/// Reads files from disk; relative includes are resolved against the including file
/// and names are canonicalized (symbolic links, `.` and `..` resolved).
///
/// Only regular files are read (not devices such as `/dev/zero`, FIFOs or
/// directories), and at most 4 MiB + 1 octet of each, so an oversized file is
/// reported as [`crate::ErrorKind::TooLarge`] without reading it all.
#[derive(Clone, Debug, Default)]
pub struct FsResolver;

impl Resolver for FsResolver {
    fn resolve(&self, from: Option<&str>, name: &str) -> String {
        let p = Path::new(name);
        let joined: PathBuf = if p.is_absolute() {
            p.to_path_buf()
        } else {
            from.and_then(|f| Path::new(f).parent())
                .unwrap_or_else(|| Path::new(""))
                .join(p)
        };
        std::fs::canonicalize(&joined)
            .unwrap_or(joined)
            .to_string_lossy()
            .into_owned()
    }

    fn read(&self, name: &str) -> Option<String> {
        // Checked before opening: opening a FIFO would block.
        if !std::fs::metadata(name).ok()?.is_file() {
            return None;
        }
        let file = std::fs::File::open(name).ok()?;
        if !file.metadata().ok()?.is_file() {
            return None;
        }
        let limit = u64::try_from(MAX_FILE_BYTES)
            .unwrap_or(u64::MAX)
            .saturating_add(1);
        let mut bytes = Vec::new();
        file.take(limit).read_to_end(&mut bytes).ok()?;
        // FreeRADIUS dictionaries are ASCII with the odd Latin-1 comment.
        Some(String::from_utf8_lossy(&bytes).into_owned())
    }
}

/// `a/./b/../c` -> `a/c`; empty segments dropped, a leading `/` kept, `..` at the top
/// kept (nothing to go up to).
fn normalize(name: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for seg in name.split('/') {
        match seg {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    if name.starts_with('/') {
        format!("/{joined}")
    } else {
        joined
    }
}

/// Files held in memory (tests, fuzzing, embedded dictionaries). Includes are
/// resolved relative to the including file's "directory" (the part before the last `/`),
/// and names normalized (`a/./b/../c` is `a/c`); insert files under normalized names.
#[derive(Clone, Debug, Default)]
pub struct MemoryResolver {
    files: HashMap<String, String>,
}

impl MemoryResolver {
    /// An empty set of files.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) a file.
    pub fn insert(&mut self, name: impl Into<String>, text: impl Into<String>) -> &mut Self {
        self.files.insert(name.into(), text.into());
        self
    }
}

impl Resolver for MemoryResolver {
    fn resolve(&self, from: Option<&str>, name: &str) -> String {
        if name.starts_with('/') {
            return normalize(name);
        }
        match from.and_then(|f| f.rfind('/').and_then(|i| f.get(..=i))) {
            Some(dir) => normalize(&format!("{dir}{name}")),
            None => normalize(name),
        }
    }

    fn read(&self, name: &str) -> Option<String> {
        self.files.get(name).cloned()
    }
}
