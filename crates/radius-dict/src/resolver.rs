//! Where dictionary files come from: the file system, or memory.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Reads dictionary files by name. Names are as written in `$INCLUDE` (relative to
/// the including file's directory) or given to [`crate::Dictionary::load`].
pub trait Resolver {
    /// The canonical name of `name` included from `from` (`None` for the root).
    fn resolve(&self, from: Option<&str>, name: &str) -> String;
    /// The file's text, or `None` if it cannot be read.
    fn read(&self, name: &str) -> Option<String>;
}

/// Reads files from disk; relative includes are resolved against the including file.
#[derive(Clone, Debug, Default)]
pub struct FsResolver;

impl Resolver for FsResolver {
    fn resolve(&self, from: Option<&str>, name: &str) -> String {
        let p = Path::new(name);
        if p.is_absolute() {
            return name.to_string();
        }
        let base: PathBuf = from
            .and_then(|f| Path::new(f).parent().map(Path::to_path_buf))
            .unwrap_or_default();
        base.join(p).to_string_lossy().into_owned()
    }

    fn read(&self, name: &str) -> Option<String> {
        let bytes = std::fs::read(name).ok()?;
        // FreeRADIUS dictionaries are ASCII with the odd Latin-1 comment.
        Some(String::from_utf8_lossy(&bytes).into_owned())
    }
}

/// Files held in memory (tests, fuzzing, embedded dictionaries). Includes are
/// resolved relative to the including file's "directory" (the part before the last `/`).
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
            return name.to_string();
        }
        match from.and_then(|f| f.rfind('/').and_then(|i| f.get(..=i))) {
            Some(dir) => format!("{dir}{name}"),
            None => name.to_string(),
        }
    }

    fn read(&self, name: &str) -> Option<String> {
        self.files.get(name).cloned()
    }
}
