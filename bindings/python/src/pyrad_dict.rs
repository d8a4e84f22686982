//! pyrad's dictionary reader (`pyrad.dictionary` / `pyrad.dictfile`) in Rust: the native half of
//! `nacwire.pyrad.dictionary`.

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PySet, PyString, PyTuple};

/// One dictionary source being read: its text, the read position and where it sits.
struct Source {
    name: usize,
    dir: std::path::PathBuf,
    /// The file it was read from (as named, not resolved) and its (device, inode).
    path: Option<(std::path::PathBuf, Option<(u64, u64)>)>,
    text: usize,
    offset: usize,
    line: usize,
}

/// Why reading stopped early.
enum WalkError {
    /// A file includes itself (directly or not): pyrad's `ParseError`.
    Recursive {
        file: String,
        line: usize,
        target: String,
    },
    /// A file could not be read: `OSError` (with the file name, as `open` gives it).
    Io(std::io::Error, String),
    /// A file is not UTF-8 text: `UnicodeDecodeError`, as pyrad's text-mode read
    /// raises it (its bytes and where decoding stopped).
    Utf8(Vec<u8>, std::str::Utf8Error),
}

/// A line: the file (index into `Walk::files`), its 1-based number and where its text
/// is (`Walk::texts[text][start..end]`, the newline included).
struct Line {
    file: usize,
    line: usize,
    text: usize,
    start: usize,
    end: usize,
}

/// pyrad's `DictFile`: every line of a dictionary and its `$INCLUDE`s, in order, one at
/// a time ([`Walk::next_line`]). `$INCLUDE name` is relative to the including file's
/// directory (the current directory for text given directly); `$INCLUDE-` skips a
/// missing file. An include that cannot be read ends the lines (`error`).
struct Walk {
    files: Vec<String>,
    /// Where each name is in `files` (the tree has some 240).
    file_ids: FxMap<String, usize>,
    texts: Vec<String>,
    stack: Vec<Source>,
    cwd: std::path::PathBuf,
    error: Option<WalkError>,
    /// Where the include that failed is (file index, 1-based line), as pyrad's
    /// `DictFile` still reports it after the error.
    error_at: Option<(usize, usize)>,
    /// Whether [`Walk::next_line`] skips the lines without words (blank or comment).
    words_only: bool,
}

/// Whether the text has a carriage return (eight bytes at a time, no early exit: the
/// loop vectorizes; a flagged byte is only ever wrong above a real `\r` in its word).
fn has_cr(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut chunks = bytes.chunks_exact(8);
    let mut found = 0;
    for c in &mut chunks {
        let x = <[u8; 8]>::try_from(c).map_or(0, u64::from_le_bytes) ^ (ONES * u64::from(b'\r'));
        found |= x.wrapping_sub(ONES) & !x;
    }
    found & HIGH != 0 || chunks.remainder().contains(&b'\r')
}

/// A file's text with its newlines as Python's text mode (`open(name, "rt")`) reads
/// them: `\r\n` and a lone `\r` become `\n`.
fn text_mode(text: String) -> String {
    if has_cr(text.as_bytes()) {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    }
}

/// Whitespace as Python's `str.split()` sees it, for ASCII bytes: tab to CR, space,
/// and the separators U+001C to U+001F.
fn is_space(b: u8) -> bool {
    b == b' ' || (b'\t'..=b'\r').contains(&b) || (0x1c..=0x1f).contains(&b)
}

/// Whitespace as Python's `str.split()` sees it: Unicode `White_Space` (Rust's
/// `char::is_whitespace`) and U+001C to U+001F, which Python counts too.
fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Skips from `i` over the bytes that are certainly part of a word (not ASCII
/// whitespace or control, `#` or non-ASCII), eight at a time: the FreeRADIUS tree's
/// words are 650 kB a load, and a byte loop spent 13 instructions on each.
fn word_run(bytes: &[u8], mut i: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    while let Some(chunk) = bytes.get(i..i + 8).and_then(|c| <[u8; 8]>::try_from(c).ok()) {
        let x = u64::from_le_bytes(chunk);
        // a byte below 0x21, a `#` (0x23) or a byte with its high bit set: the lowest
        // flagged byte is the first of them (a borrow only flags bytes above it)
        let low = x.wrapping_sub(ONES * 0x21) & !x;
        let hash = x ^ (ONES * 0x23);
        let hash = hash.wrapping_sub(ONES) & !hash;
        let stop = (low | hash | x) & HIGH;
        if stop != 0 {
            return i + (stop.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    i
}

/// Where the line that `bytes[i]` is on ends (after its newline), eight bytes at a time.
fn find_newline(bytes: &[u8], mut i: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    while let Some(chunk) = bytes.get(i..i + 8).and_then(|c| <[u8; 8]>::try_from(c).ok()) {
        let x = u64::from_le_bytes(chunk) ^ (ONES * u64::from(b'\n'));
        let found = x.wrapping_sub(ONES) & !x & HIGH;
        if found != 0 {
            return i + (found.trailing_zeros() / 8) as usize + 1;
        }
        i += 8;
    }
    while let Some(&b) = bytes.get(i) {
        i += 1;
        if b == b'\n' {
            break;
        }
    }
    i
}

/// Finds the end of the line `rest` begins with (after its newline) and appends to
/// `out` where its words are (offsets plus `base`): the part before its first `#`,
/// split as Python's `str.split()` splits it. ASCII lines (all of the FreeRADIUS tree)
/// are split byte by byte in one pass; a line with other characters before its `#`
/// is split on [`is_py_space`], whose whitespace includes some of them.
fn split_line(rest: &str, base: usize, out: &mut Vec<(usize, usize)>) -> usize {
    let bytes = rest.as_bytes();
    let mut i = 0;
    loop {
        // the whitespace before a word (runs of tabs and spaces, mostly)
        while let Some(&b) = bytes.get(i) {
            if b == b'\t' || b == b' ' || (b != b'\n' && is_space(b)) {
                i += 1;
            } else {
                break;
            }
        }
        match bytes.get(i) {
            None => return i,
            Some(b'\n') => return i + 1,
            Some(b'#') => return find_newline(bytes, i),
            Some(0x80..) => break,
            Some(_) => {}
        }
        let start = i;
        i = word_run(bytes, i);
        while let Some(&b) = bytes.get(i) {
            if b < 0x80 && b != b'#' && !is_space(b) {
                i += 1;
            } else {
                break;
            }
        }
        out.push((base + start, base + i));
        if bytes.get(i).is_some_and(|&b| b >= 0x80) {
            break;
        }
    }
    // a non-ASCII character before the comment: the whole line by `is_py_space`
    while out.last().is_some_and(|&(s, _)| s >= base) {
        out.pop();
    }
    let len = rest.find('\n').map_or(rest.len(), |n| n + 1);
    let line = rest.get(..len).unwrap_or_default();
    let content = line.split('#').next().unwrap_or_default();
    let origin = line.as_ptr() as usize;
    for w in content.split(is_py_space).filter(|w| !w.is_empty()) {
        let s = w.as_ptr() as usize - origin;
        out.push((base + s, base + s + w.len()));
    }
    len
}

/// [`split_line`] for the lines of ASCII words, tabs and spaces (nearly all): a word
/// ends at the first byte up to 0x20, `#` or non-ASCII byte ([`word_end`]). A line
/// with another control character or a non-ASCII byte before its comment goes to
/// [`split_line`] from its start.
fn split_fast(rest: &str, base: usize, out: &mut Vec<(usize, usize)>) -> usize {
    let bytes = rest.as_bytes();
    let mark = out.len();
    let mut i = 0;
    loop {
        match bytes.get(i) {
            Some(b'\t' | b' ') => i += 1,
            Some(b'\n') => return i + 1,
            Some(b'#') => return find_newline(bytes, i),
            Some(0..=0x1f | 0x80..) => {
                out.truncate(mark);
                return split_line(rest, base, out);
            }
            Some(_) => {
                let end = word_end(bytes, i + 1);
                out.push((base + i, base + end));
                i = end;
            }
            None => return i,
        }
    }
}

/// Where the word that `bytes[i - 1]` is in ends for [`split_fast`]:
/// the first byte from `i` on that is up to 0x20, a `#` or non-ASCII, or the end.
fn word_end(bytes: &[u8], i: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // a byte below 0x21, a `#` (0x23) or a byte with its high bit set: the lowest
    // flagged byte is the first of them (a borrow only flags bytes above it)
    let stops = |x: u64| {
        let low = x.wrapping_sub(ONES * 0x21) & !x;
        let hash = x ^ (ONES * 0x23);
        let hash = hash.wrapping_sub(ONES) & !hash;
        (low | hash | x) & HIGH
    };
    let mut chunks = bytes.get(i..).unwrap_or_default().chunks_exact(8);
    let mut at = i;
    for c in &mut chunks {
        let stop = stops(<[u8; 8]>::try_from(c).map_or(HIGH, u64::from_le_bytes));
        if stop != 0 {
            return at + (stop.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    // the last bytes, then newlines: a stop at the end at the latest
    let mut pad = [b'\n'; 8];
    pad.iter_mut().zip(chunks.remainder()).for_each(|(d, s)| *d = *s);
    let stop = stops(u64::from_le_bytes(pad));
    (at + (stop.trailing_zeros() / 8) as usize).min(bytes.len())
}

/// A file's identity, (device, inode), where the platform has one.
#[cfg(unix)]
fn file_id(meta: &std::fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

/// A file's identity: none here (real paths are compared for every file).
#[cfg(not(unix))]
fn file_id(_meta: &std::fs::Metadata) -> Option<(u64, u64)> {
    None
}

/// The bytes of an open file. A regular file is read up to the size its stat gave (as
/// it was then: one read, where reading to the end takes a second one to see the end);
/// anything else to its end.
fn read_bytes(file: &mut std::fs::File, meta: &std::fs::Metadata) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    let size = usize::try_from(meta.len()).unwrap_or(usize::MAX);
    if meta.is_file() && size > 0 {
        bytes.try_reserve_exact(size).map_err(std::io::Error::other)?;
        file.take(meta.len()).read_to_end(&mut bytes)?;
    } else {
        file.read_to_end(&mut bytes)?;
    }
    Ok(bytes)
}

impl Walk {
    /// Starts at a file (`path`) or at text given directly.
    fn new(path: Option<&str>, text: Option<&str>) -> Self {
        let mut w = Self {
            files: Vec::new(),
            file_ids: FxMap::default(),
            texts: Vec::new(),
            stack: Vec::new(),
            cwd: std::env::current_dir()
                .and_then(std::fs::canonicalize)
                .unwrap_or_default(),
            error: None,
            error_at: None,
            words_only: false,
        };
        let first = match (path, text) {
            (Some(p), _) => w.open(p, false),
            (None, t) => {
                let (name, text) = w.add(String::new(), t.unwrap_or_default().to_owned());
                Ok(Some(Source {
                    name,
                    dir: w.cwd.clone(),
                    path: None,
                    text,
                    offset: 0,
                    line: 0,
                }))
            }
        };
        match first {
            Ok(Some(s)) => w.stack.push(s),
            Ok(None) => {}
            Err(e) => w.error = Some(e),
        }
        w
    }

    fn text(&self, l: &Line) -> &str {
        self.texts
            .get(l.text)
            .and_then(|t| t.get(l.start..l.end))
            .unwrap_or_default()
    }

    fn file(&self, l: &Line) -> &str {
        self.files.get(l.file).map(String::as_str).unwrap_or_default()
    }

    /// A line's words (`spans` from [`Walk::next_line`]) as text.
    fn word(&self, l: &Line, span: (usize, usize)) -> &str {
        self.texts
            .get(l.text)
            .and_then(|t| t.get(span.0..span.1))
            .unwrap_or_default()
    }

    /// Adds a source's text and name. A file's text has its newlines as Python's text
    /// mode reads them ([`text_mode`]); text given directly comes from a file-like
    /// object's `readlines()` and is taken as it is (a `StringIO`'s lines end only at
    /// `\n`, and pyrad splits a lone `\r` inside a line as white space).
    fn add(&mut self, name: String, text: String) -> (usize, usize) {
        self.texts.push(text);
        let next = self.files.len();
        let id = *self.file_ids.entry(name.clone()).or_insert(next);
        if id == next {
            self.files.push(name);
        }
        (id, self.texts.len() - 1)
    }

    /// Reads an included file (`None`: an optional one that is not there).
    fn open(&mut self, target: &str, optional: bool) -> Result<Option<Source>, WalkError> {
        let base = self
            .stack
            .last()
            .map_or_else(|| self.cwd.clone(), |s| s.dir.clone());
        let fname = base.join(target); // an absolute target replaces base
        if optional && !fname.exists() {
            return Ok(None);
        }
        let io = |e| WalkError::Io(e, fname.to_string_lossy().into_owned());
        // One open and one stat of the open file give both its identity and its size
        // (a stat by path, then `read_to_string`'s own, was a syscall more per file).
        let mut file = std::fs::File::open(&fname).map_err(io)?;
        let meta = file.metadata().map_err(io)?;
        let id = file_id(&meta);
        if let Some(top) = self.stack.last() {
            // The same file by real path, as pyrad compares; resolved only for a file
            // with the same (device, inode), the only ones whose real path can match.
            let mut real = None;
            let mut same = |(path, other): &(std::path::PathBuf, Option<(u64, u64)>)| {
                if id.is_some() && other.is_some() && id != *other {
                    return Ok(false);
                }
                let real = match &real {
                    Some(r) => r,
                    None => real.insert(std::fs::canonicalize(&fname).map_err(io)?),
                };
                Ok(std::fs::canonicalize(path).is_ok_and(|p| p == *real))
            };
            let mut recursive = false;
            for s in &self.stack {
                if let Some(p) = &s.path {
                    if same(p)? {
                        recursive = true;
                        break;
                    }
                }
            }
            if recursive {
                return Err(WalkError::Recursive {
                    file: self.files.get(top.name).cloned().unwrap_or_default(),
                    line: top.line,
                    target: target.to_owned(),
                });
            }
        }
        let bytes = read_bytes(&mut file, &meta).map_err(io)?;
        drop(file);
        let body = String::from_utf8(bytes).map_err(|e| {
            let err = e.utf8_error();
            WalkError::Utf8(e.into_bytes(), err)
        })?;
        let sub = std::path::Path::new(target)
            .parent()
            .unwrap_or_else(|| std::path::Path::new(""));
        let (name, text) = self.add(basename(target), text_mode(body));
        Ok(Some(Source {
            name,
            dir: base.join(sub),
            path: Some((fname.clone(), id)),
            text,
            offset: 0,
            line: 0,
        }))
    }

    /// The next line (`None` at the end, or at an include that failed: `error`) and,
    /// in `spans`, where its words are. `$INCLUDE` lines are followed, not returned.
    fn next_line(&mut self, spans: &mut Vec<(usize, usize)>) -> Option<Line> {
        loop {
            spans.clear();
            let top = self.stack.last_mut()?;
            let rest = self
                .texts
                .get(top.text)
                .and_then(|t| t.get(top.offset..))
                .unwrap_or_default();
            if rest.is_empty() {
                self.stack.pop();
                continue;
            }
            let len = split_fast(rest, top.offset, spans);
            let line = Line {
                file: top.name,
                line: top.line + 1,
                text: top.text,
                start: top.offset,
                end: top.offset + len,
            };
            top.offset += len;
            top.line += 1;
            let Some(&first) = spans.first() else {
                if self.words_only {
                    continue;
                }
                return Some(line);
            };
            // `$INCLUDE` and `$INCLUDE-` (most lines start with a keyword's letter), as
            // pyrad compares `str.upper()`: `$\u{131}nclude` (dotless i) is one too
            let directive = Some(self.word(&line, first)).filter(|d| d.starts_with('$'));
            if !directive.is_some_and(|d| {
                d.eq_ignore_ascii_case("$INCLUDE")
                    || d.eq_ignore_ascii_case("$INCLUDE-")
                    || (!d.is_ascii() && matches!(d.to_uppercase().as_str(), "$INCLUDE" | "$INCLUDE-"))
            }) {
                return Some(line);
            }
            let optional = directive.is_some_and(|d| d.ends_with('-'));
            let words = spans.get(1..).unwrap_or_default();
            let target = words
                .iter()
                .map(|&s| self.word(&line, s))
                .collect::<Vec<_>>()
                .join(" ");
            if target.is_empty() {
                return Some(line);
            }
            match self.open(&target, optional) {
                Ok(Some(s)) => self.stack.push(s),
                Ok(None) => {}
                Err(e) => {
                    self.error = Some(e);
                    self.error_at = Some((line.file, line.line));
                    self.stack.clear();
                    return None;
                }
            }
        }
    }
}

fn basename(name: &str) -> String {
    std::path::Path::new(name)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The walk's error as a Python exception (`parse_error` is pyrad's `ParseError`).
fn walk_error(py: Python<'_>, err: WalkError, parse_error: &Bound<'_, PyAny>) -> PyErr {
    match err {
        WalkError::Io(e, name) => {
            // OSError(errno, strerror, filename) picks the subclass (FileNotFoundError).
            let text = e.to_string();
            let strerror = text.split(" (os error").next().unwrap_or_default().to_owned();
            match e.raw_os_error() {
                Some(errno) => pyo3::exceptions::PyOSError::new_err((errno, strerror, name)),
                None => pyo3::exceptions::PyOSError::new_err(format!("{strerror}: {name}")),
            }
        }
        // Python's own decoder makes the exception, with its wording of the reason.
        WalkError::Utf8(bytes, err) => match PyBytes::new(py, &bytes).call_method1("decode", ("utf-8",)) {
            Err(e) => e,
            Ok(_) => pyo3::exceptions::PyUnicodeDecodeError::new_utf8(py, &bytes, err)
                .map_or_else(|e| e, |exc| PyErr::from_value(exc.into_any())),
        },
        WalkError::Recursive { file, line, target } => {
            let kwargs = PyDict::new(py);
            let made = kwargs
                .set_item("file", file)
                .and_then(|()| kwargs.set_item("line", line))
                .and_then(|()| parse_error.call((format!("Recursive include of {target}"),), Some(&kwargs)));
            match made {
                Ok(exc) => PyErr::from_value(exc),
                Err(e) => e,
            }
        }
    }
}

/// `DictFile`'s lines: `([(file, line, text), ...], error, where)`; the caller raises
/// the error (an exception instance, or None) after the lines, where pyrad would, and
/// `where` is the failed include's `(file, line)` (None without one).
#[pyfunction]
#[pyo3(signature = (path, text, parse_error))]
fn pyrad_dict_lines<'py>(
    py: Python<'py>,
    path: Option<&str>,
    text: Option<&str>,
    parse_error: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyTuple>> {
    let mut w = Walk::new(path, text);
    let lines = PyList::empty(py);
    let mut spans = Vec::new();
    while let Some(l) = w.next_line(&mut spans) {
        lines.append((w.file(&l), l.line, w.text(&l)))?;
    }
    let at = match w.error_at {
        Some((file, line)) => (w.files.get(file).cloned().unwrap_or_default(), line)
            .into_pyobject(py)?
            .into_any(),
        None => py.None().into_bound(py),
    };
    let error = match w.error {
        Some(e) => walk_error(py, e, parse_error)
            .into_value(py)
            .into_any()
            .into_bound(py),
        None => py.None().into_bound(py),
    };
    PyTuple::new(py, [lines.into_any(), error, at])
}

const DATATYPES: [&str; 15] = [
    "string",
    "ipaddr",
    "integer",
    "date",
    "octets",
    "abinary",
    "ipv6addr",
    "ipv6prefix",
    "short",
    "byte",
    "signed",
    "ifid",
    "ether",
    "tlv",
    "integer64",
];
/// A data type's index in `DATATYPES` (one `match`: the common ones without comparing
/// the name with the ones before them).
fn datatype_index(name: &str) -> Option<usize> {
    Some(match name {
        "string" => 0,
        "ipaddr" => 1,
        "integer" => 2,
        "date" => 3,
        "octets" => 4,
        "abinary" => 5,
        "ipv6addr" => 6,
        "ipv6prefix" => 7,
        "short" => 8,
        "byte" => 9,
        "signed" => 10,
        "ifid" => 11,
        "ether" => 12,
        "tlv" => 13,
        "integer64" => 14,
        _ => return None,
    })
}

#[cfg(test)]
mod datatype_tests {
    use super::{int_octets_of, DATATYPES};

    #[test]
    fn int_octets_of_takes_the_index_of_the_named_type() {
        let index = |t: &str| DATATYPES.iter().position(|d| *d == t).unwrap_or(usize::MAX);
        let octets = |t: &str, text: &str| {
            int_octets_of(index(t), text).map(|(o, n)| o.get(..n).unwrap_or_default().to_vec())
        };
        for t in ["integer", "date"] {
            assert_eq!(octets(t, "258"), Some(vec![0, 0, 1, 2]));
            assert_eq!(octets(t, "4294967296"), None);
        }
        assert_eq!(octets("short", "0x102"), Some(vec![1, 2]));
        assert_eq!(octets("short", "65536"), None);
        assert_eq!(octets("byte", "255"), Some(vec![255]));
        assert_eq!(octets("byte", "256"), None);
        assert_eq!(octets("signed", "2147483647"), Some(vec![0x7f, 0xff, 0xff, 0xff]));
        assert_eq!(octets("signed", "2147483648"), None);
        assert_eq!(octets("integer64", "258"), Some(vec![0, 0, 0, 0, 0, 0, 1, 2]));
        for t in DATATYPES {
            if !["integer", "date", "short", "byte", "signed", "integer64"].contains(&t) {
                assert_eq!(octets(t, "1"), None, "{t}");
            }
        }
    }

    #[test]
    fn datatype_index_is_the_position_in_datatypes() {
        for (i, t) in DATATYPES.iter().enumerate() {
            assert_eq!(super::datatype_index(t), Some(i), "{t}");
        }
        for t in ["", "String", "uint32", "vsa", "integer6", "tlvx"] {
            assert_eq!(super::datatype_index(t), None, "{t}");
        }
    }
}

const UNSUPPORTED_DATATYPES: [&str; 9] = [
    "vsa",
    "extended",
    "long-extended",
    "evs",
    "ipv4prefix",
    "combo-ip",
    "bool",
    "uint16",
    "uint32",
];
const ATTRIBUTE_FLAGS: [&str; 6] = ["has_tag", "encrypt", "secret", "array", "virtual", "concat"];

/// A small, fast hasher (FxHash's multiply-rotate) for the read's private maps: their
/// keys come from the files being read and the maps live for one call.
#[derive(Default, Clone, Copy)]
struct Fx(u64);

impl Fx {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl std::hash::Hasher for Fx {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(<[u8; 8]>::try_from(c).map_or(0, u64::from_le_bytes));
        }
        if chunks.remainder().is_empty() {
            return;
        }
        // the last eight bytes (overlapping the last chunk), or the few there are
        let tail = bytes.last_chunk::<8>().copied().unwrap_or_else(|| {
            let mut tail = [0u8; 8];
            tail.iter_mut().zip(bytes).for_each(|(d, s)| *d = *s);
            tail
        });
        self.add(u64::from_le_bytes(tail));
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_i64(&mut self, n: i64) {
        self.add(u64::from_ne_bytes(n.to_ne_bytes()));
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
}

type FxBuild = std::hash::BuildHasherDefault<Fx>;
type FxMap<K, V> = std::collections::HashMap<K, V, FxBuild>;
type FxSet<K> = std::collections::HashSet<K, FxBuild>;

/// A `(vendor id, code)` key as Rust integers, when both are integers that fit an `i64`.
type PairKey = Option<(i64, i64)>;

fn pair_key(vendor: Option<i64>, code: Option<i64>) -> PairKey {
    Some((vendor?, code?))
}

/// Which `(vendor id, code)` keys a Python set or dict of the dictionary
/// (`_skipped_codes`, `_tlvs`) may hold: a superset kept beside it during a read, so
/// that the thousands of attributes whose key is certainly not there skip the Python
/// lookup. A key that is not a pair of `i64`s sends every lookup to Python.
struct MayHold {
    keys: FxSet<(i64, i64)>,
    any: bool,
}

impl MayHold {
    fn of<'py>(keys: impl Iterator<Item = Bound<'py, PyAny>>) -> Self {
        let mut out = Self {
            keys: FxSet::default(),
            any: false,
        };
        for k in keys {
            out.note(k.extract::<(i64, i64)>().ok());
        }
        out
    }

    fn note(&mut self, key: PairKey) {
        match key {
            Some(k) => {
                self.keys.insert(k);
            }
            None => self.any = true,
        }
    }

    fn may_hold(&self, key: PairKey) -> bool {
        self.any || key.is_none_or(|k| self.keys.contains(&k))
    }
}

/// An attribute code: the Python int and, when it fits, the Rust one.
struct Code<'py> {
    obj: Bound<'py, PyAny>,
    key: Option<i64>,
}

/// A vendor as attributes use it (looked up once per name, until a VENDOR line
/// redefines it): its name as a Python string (`None` for no vendor), its id and
/// whether its format keeps its attributes out.
struct VendorInfo<'py> {
    name: Option<Bound<'py, PyString>>,
    id: Bound<'py, PyAny>,
    key: Option<i64>,
    bad: bool,
}

/// An attribute this read defined: its object, its data type (index into `DATATYPES`)
/// and the VALUEs given for it so far, packed as [`fill_values`] reads them: the
/// attribute gets them when the read ends (or is redefined), its `values` BiDict is
/// made from them when first read. `values` is the BiDict itself once a VALUE needed
/// Python to add it.
struct Slot<'py> {
    name: String,
    attr: Bound<'py, PyAny>,
    datatype: usize,
    pending: Vec<u8>,
    values: Option<Bound<'py, PyAny>>,
}

/// Packs one VALUE for [`fill_values`]: the name's and the octets' lengths (u32,
/// little-endian) before each.
fn pack_value(out: &mut Vec<u8>, key: &str, octets: &[u8]) -> PyResult<()> {
    let too_long = |_| PyValueError::new_err("VALUE too long");
    let key_len = u32::try_from(key.len()).map_err(too_long)?;
    let octets_len = u32::try_from(octets.len()).map_err(too_long)?;
    out.reserve(8 + key.len() + octets.len());
    out.extend_from_slice(&key_len.to_le_bytes());
    out.extend_from_slice(key.as_bytes());
    out.extend_from_slice(&octets_len.to_le_bytes());
    out.extend_from_slice(octets);
    Ok(())
}

/// [`pack_value`] for the octets of [`int_octets`] (the first `width` of `octets`, at
/// most 8): the length and the eight bytes copied as one, the extra ones cut.
fn pack_int(out: &mut Vec<u8>, key: &str, octets: [u8; 8], width: usize) -> PyResult<()> {
    let key_len = u32::try_from(key.len()).map_err(|_| PyValueError::new_err("VALUE too long"))?;
    let width = width.min(8);
    let mut tail = [0u8; 12];
    let (len, bytes) = tail.split_at_mut(4);
    len.copy_from_slice(&u32::try_from(width).unwrap_or(8).to_le_bytes());
    bytes.copy_from_slice(&octets);
    out.reserve(16 + key.len());
    out.extend_from_slice(&key_len.to_le_bytes());
    out.extend_from_slice(key.as_bytes());
    out.extend_from_slice(&tail);
    out.truncate(out.len() - (8 - width));
    Ok(())
}

/// The directives a dictionary line can start with (case does not matter).
#[derive(Clone, Copy)]
enum Keyword {
    Attribute,
    Value,
    Vendor,
    BeginVendor,
    EndVendor,
}

impl Keyword {
    const ALL: [(&'static str, Self); 5] = [
        ("ATTRIBUTE", Self::Attribute),
        ("VALUE", Self::Value),
        ("VENDOR", Self::Vendor),
        ("BEGIN-VENDOR", Self::BeginVendor),
        ("END-VENDOR", Self::EndVendor),
    ];

    /// pyrad compares `tokens[0].upper()`: for non-ASCII words Unicode's upper case
    /// (`attrıbute` is `ATTRIBUTE`).
    fn of(word: &str) -> Option<Self> {
        // the five have five lengths; dictionaries write them in capitals: one memcmp,
        // mostly (a word with other characters cannot match one ignoring ASCII case)
        let known = match word.len() {
            9 => Some(("ATTRIBUTE", Self::Attribute)),
            5 => Some(("VALUE", Self::Value)),
            6 => Some(("VENDOR", Self::Vendor)),
            12 => Some(("BEGIN-VENDOR", Self::BeginVendor)),
            10 => Some(("END-VENDOR", Self::EndVendor)),
            _ => None,
        };
        if let Some((k, kw)) = known {
            if k == word || k.eq_ignore_ascii_case(word) {
                return Some(kw);
            }
        }
        if word.is_ascii() {
            return None;
        }
        let upper = word.to_uppercase();
        Self::ALL.iter().find(|(k, _)| *k == upper).map(|&(_, kw)| kw)
    }
}

/// `0x` and hex digits as `int(text, 0)` and `int(text, 16)` read them (`None` for
/// anything else, or too large for a `u64`).
fn hex(text: &str) -> Option<u64> {
    let digits = text.strip_prefix("0x")?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u64::from_str_radix(digits, 16).ok()
}

/// A VALUE's octets for the integer types when the text is plain decimal or `0x` hex
/// (pyrad's `int(text, 0)` then `tools.EncodeAttr`); `None` sends it to Python.
fn int_octets(datatype: &str, text: &str) -> Option<([u8; 8], usize)> {
    int_octets_of(DATATYPES.iter().position(|t| *t == datatype)?, text)
}

/// [`int_octets`] for a data type given as its index in `DATATYPES`.
fn int_octets_of(datatype: usize, text: &str) -> Option<([u8; 8], usize)> {
    // the indices of integer, date, short, byte, signed and integer64
    let (width, max) = match datatype {
        2 | 3 => (4, u64::from(u32::MAX)),
        8 => (2, u64::from(u16::MAX)),
        9 => (1, u64::from(u8::MAX)),
        10 => (4, 0x7fff_ffff),
        14 => (8, u64::MAX),
        _ => return None,
    };
    let n = decimal(text).or_else(|| hex(text))?;
    if n > max {
        return None;
    }
    // the low `width` bytes, big-endian, at the front
    Some(((n << (64 - 8 * width)).to_be_bytes(), width))
}

/// Decimal digits (leading zeros too) as a `u64`, in one pass: `None` for anything else
/// or too large.
fn digits(text: &str) -> Option<u64> {
    if text.is_empty() {
        return None;
    }
    text.bytes().try_fold(0u64, |n, b| {
        let digit = b.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        n.checked_mul(10)?.checked_add(u64::from(digit))
    })
}

/// Plain decimal as `int(text, 0)` reads it (no sign, no `_`, no leading zero but in
/// `0`), when it fits a `u64`.
fn decimal(text: &str) -> Option<u64> {
    let bytes = text.as_bytes();
    if bytes.is_empty() || (bytes.len() > 1 && bytes.first() == Some(&b'0')) {
        return None;
    }
    let mut n: u64 = 0;
    for &b in bytes {
        let digit = b.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        n = n.checked_mul(10)?.checked_add(u64::from(digit))?;
    }
    Some(n)
}

/// A name's bit in a 4096-bit filter (`[u64; 64]`: the word and the bit in it), from its
/// length and its first and last eight bytes.
fn name_bit(name: &str) -> (usize, u64) {
    let b = name.as_bytes();
    let word = |c: Option<&[u8; 8]>| c.map_or(0, |c| u64::from_le_bytes(*c));
    let h = (word(b.first_chunk::<8>()) ^ word(b.last_chunk::<8>()).rotate_left(29) ^ b.len() as u64)
        .wrapping_mul(0x9e37_79b9_7f4a_7c15);
    ((h >> 58) as usize, 1 << ((h >> 52) & 63))
}

/// `(a, b)` as a Python tuple (what the reader's keys are).
fn pair<'py>(a: &Bound<'py, PyAny>, b: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyTuple>> {
    (a, b).into_pyobject(a.py())
}

/// The Python objects a dictionary read works on (pyrad's `Dictionary` state), and
/// what the read keeps beside them to touch them less.
struct DictState<'py> {
    py: Python<'py>,
    vendors: Bound<'py, PyAny>,
    vendors_fwd: Bound<'py, PyDict>,
    attrindex: Bound<'py, PyAny>,
    index_fwd: Bound<'py, PyDict>,
    index_bwd: Bound<'py, PyDict>,
    attributes: Bound<'py, PyDict>,
    skipped_attributes: Bound<'py, PySet>,
    bad_vendors: Bound<'py, PySet>,
    tlvs: Bound<'py, PyDict>,
    skipped_codes: Bound<'py, PySet>,
    helpers: Bound<'py, PyTuple>,
    /// The data types' names as Python strings (one object for all attributes of a type).
    datatypes: Vec<Bound<'py, PyString>>,
    file: String,
    line: usize,
    vendor: String,
    format: Option<String>,
    reasons: Vec<&'static str>,
    debug: Option<Bound<'py, PyList>>,
    vendor_cache: FxMap<String, std::rc::Rc<VendorInfo<'py>>>,
    /// The vendor the last attribute had (most follow one with the same).
    last_vendor: Option<(String, std::rc::Rc<VendorInfo<'py>>)>,
    skipped_codes_keys: MayHold,
    tlvs_keys: MayHold,
    /// The attributes this read defined that have had a VALUE, by name.
    slots: Vec<Slot<'py>>,
    slot_ids: FxMap<String, usize>,
    /// The slot the last VALUE went to (VALUEs come grouped by attribute).
    last_slot: usize,
    /// The name the last dropped VALUE had.
    last_dropped: String,
    /// This read's number: the attributes it makes carry it (with their data type), so
    /// that a VALUE knows them from attributes of earlier reads.
    read_id: u64,
    /// Names whose VALUEs are dropped (skipped, and not in `attributes`): the FreeRADIUS
    /// tree has 2,400 such VALUEs. A name leaves when an ATTRIBUTE defines it.
    dropped: FxSet<String>,
    /// A Bloom filter of `dropped` (one bit per name, see [`name_bit`]): most ATTRIBUTE
    /// names are not there, and the bit says so without hashing the name.
    dropped_bits: [u64; 64],
}

impl<'py> DictState<'py> {
    fn new(d: &Bound<'py, PyAny>, helpers: &Bound<'py, PyTuple>, debug: bool) -> PyResult<Self> {
        let py = d.py();
        let vendors = d.getattr("vendors")?;
        let attrindex = d.getattr("attrindex")?;
        let attributes = d.getattr("attributes")?.cast_into::<PyDict>()?;
        let skipped_attributes = d.getattr("skipped_attributes")?.cast_into::<PySet>()?;
        let tlvs = d.getattr("_tlvs")?.cast_into::<PyDict>()?;
        let skipped_codes = d.getattr("_skipped_codes")?.cast_into::<PySet>()?;
        Ok(Self {
            py,
            vendors_fwd: vendors.getattr("forward")?.cast_into::<PyDict>()?,
            vendors,
            index_fwd: attrindex.getattr("forward")?.cast_into::<PyDict>()?,
            index_bwd: attrindex.getattr("backward")?.cast_into::<PyDict>()?,
            attrindex,
            attributes,
            skipped_attributes,
            bad_vendors: d.getattr("_bad_vendors")?.cast_into()?,
            tlvs_keys: MayHold::of(tlvs.keys().iter()),
            tlvs,
            skipped_codes_keys: MayHold::of(skipped_codes.iter()),
            skipped_codes,
            helpers: helpers.clone(),
            datatypes: DATATYPES.iter().map(|t| PyString::intern(py, t)).collect(),
            file: String::new(),
            line: 0,
            vendor: String::new(),
            format: None,
            reasons: Vec::new(),
            debug: if debug { Some(PyList::empty(py)) } else { None },
            vendor_cache: FxMap::default(),
            last_vendor: None,
            slots: Vec::new(),
            slot_ids: FxMap::default(),
            last_slot: usize::MAX,
            last_dropped: String::new(),
            read_id: READS.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            dropped: FxSet::default(),
            dropped_bits: [0; 64],
        })
    }

    /// pyrad's `ParseError(msg, file=..., line=...)` at the current line.
    fn error(&self, msg: impl Into<String>) -> PyErr {
        let made = (|| -> PyResult<Bound<'py, PyAny>> {
            let kwargs = PyDict::new(self.py);
            kwargs.set_item("file", &self.file)?;
            kwargs.set_item("line", self.line)?;
            self.helpers.get_item(0)?.call((msg.into(),), Some(&kwargs))
        })();
        match made {
            Ok(exc) => PyErr::from_value(exc),
            Err(e) => e,
        }
    }

    fn skip(&mut self, name: &str, reason: &'static str) -> PyResult<()> {
        self.skipped_attributes.add(name)?;
        self.reasons.push(reason);
        if let Some(debug) = &self.debug {
            debug.append((&self.file, self.line, name, reason))?;
        }
        Ok(())
    }

    /// `BiDict.Add(one, two)`: inline for a new key, through Python otherwise.
    fn bidict_add(
        bidict: &Bound<'py, PyAny>,
        one: &Bound<'py, PyAny>,
        two: &Bound<'py, PyAny>,
    ) -> PyResult<()> {
        let py = bidict.py();
        let fwd = bidict.getattr(pyo3::intern!(py, "forward"))?;
        let fwd = fwd.cast::<PyDict>()?;
        if fwd.contains(one)? {
            bidict.call_method1(pyo3::intern!(py, "Add"), (one, two))?;
            return Ok(());
        }
        fwd.set_item(one, two)?;
        bidict.getattr(pyo3::intern!(py, "backward"))?.set_item(two, one)
    }

    /// `attrindex.Add(name, key)`, inline for a new name.
    /// Returns whether the name was there already.
    fn index_add(&self, name: &Bound<'py, PyString>, key: &Bound<'py, PyAny>) -> PyResult<bool> {
        if self.index_fwd.contains(name)? {
            self.attrindex
                .call_method1(pyo3::intern!(self.py, "Add"), (name, key))?;
            return Ok(true);
        }
        self.index_fwd.set_item(name, key)?;
        self.index_bwd.set_item(key, name)?;
        Ok(false)
    }

    /// A vendor by name, from the cache or from `vendors.forward` (`KeyError` as
    /// pyrad's lookup raises it) and `_bad_vendors`.
    fn vendor_info(&mut self, vendor: &str) -> PyResult<std::rc::Rc<VendorInfo<'py>>> {
        if let Some((name, v)) = &self.last_vendor {
            if name == vendor {
                return Ok(v.clone());
            }
        }
        if let Some(v) = self.vendor_cache.get(vendor) {
            let v = v.clone();
            self.last_vendor = Some((vendor.to_owned(), v.clone()));
            return Ok(v);
        }
        let id = self
            .vendors_fwd
            .get_item(vendor)?
            .ok_or_else(|| pyo3::exceptions::PyKeyError::new_err(vendor.to_owned()))?;
        let info = std::rc::Rc::new(VendorInfo {
            name: (!vendor.is_empty()).then(|| PyString::new(self.py, vendor)),
            key: id.extract::<i64>().ok(),
            bad: self.bad_vendors.contains(vendor)?,
            id,
        });
        self.vendor_cache.insert(vendor.to_owned(), info.clone());
        self.last_vendor = Some((vendor.to_owned(), info.clone()));
        Ok(info)
    }

    /// Removes a key from the TLV map when it is there (without raising and
    /// discarding a `KeyError` for each of the thousands of attributes that are not).
    fn forget_tlv(&self, vid: &Bound<'py, PyAny>, code: &Code<'py>, key: PairKey) -> PyResult<()> {
        if self.tlvs_keys.may_hold(key) && !self.tlvs.is_empty() {
            let key = pair(vid, &code.obj)?;
            if self.tlvs.contains(&key)? {
                self.tlvs.del_item(&key)?;
            }
        }
        Ok(())
    }

    /// An attribute code: decimal, `0x` hex or `0o` octal (Python's `int` for the rest).
    fn code(&self, text: &str) -> PyResult<Code<'py>> {
        let n = if text.as_bytes().first().is_some_and(u8::is_ascii_digit) {
            digits(text).or_else(|| hex(text))
        } else {
            None
        };
        if let Some(n) = n {
            return Ok(Code {
                obj: n.into_pyobject(self.py)?.into_any(),
                key: i64::try_from(n).ok(),
            });
        }
        let obj = self.helpers.get_item(3)?.call1((text,))?;
        let key = obj.extract::<i64>().ok();
        Ok(Code { obj, key })
    }

    fn attribute(&mut self, tokens: &[&str]) -> PyResult<()> {
        let py = self.py;
        if !(4..=5).contains(&tokens.len()) {
            return Err(self.error("Incorrect number of tokens for attribute definition"));
        }
        let mut flag_vendor = None;
        let (mut has_tag, mut encrypt, mut array) = (false, 0u8, false);
        if let Some(flags) = tokens.get(4) {
            let opts: Vec<(&str, Option<&str>)> = flags
                .split(',')
                .map(|kv| {
                    let parts: Vec<&str> = kv.split('=').collect();
                    (
                        parts.first().copied().unwrap_or_default(),
                        if parts.len() == 2 {
                            parts.get(1).copied()
                        } else {
                            None
                        },
                    )
                })
                .collect();
            let is_flags = opts.iter().any(|(k, _)| ATTRIBUTE_FLAGS.contains(k));
            if self.vendors_fwd.contains(*flags)?
                && !opts.iter().any(|(k, _)| *k == "has_tag" || *k == "encrypt")
            {
                flag_vendor = Some(*flags);
            } else if !is_flags {
                return Err(self.error(format!("Unknown vendor {flags}")));
            }
            if is_flags {
                for (k, v) in &opts {
                    match *k {
                        "has_tag" => has_tag = true,
                        "encrypt" => {
                            encrypt = match *v {
                                Some("1") => 1,
                                Some("2") => 2,
                                Some("3") => 3,
                                Some(other) => {
                                    return Err(self.error(format!("Illegal attribute encryption: {other}")))
                                }
                                None => return Err(self.error("Illegal attribute encryption: None")),
                            }
                        }
                        "array" => array = true,
                        _ => {}
                    }
                }
            }
        }
        let (name, code_text, datatype) = match tokens {
            [_, n, c, t, ..] => (*n, *c, *t),
            _ => return Err(self.error("Incorrect number of tokens for attribute definition")),
        };
        // the codes of `a.b.c`: only the first, the last and how many matter
        let (mut first, mut last, mut depth) = (None, None, 0usize);
        let mut rest = code_text;
        loop {
            // `split('.')`, byte by byte
            let (c, more) = match rest.as_bytes().iter().position(|&b| b == b'.') {
                Some(i) => (rest.get(..i).unwrap_or_default(), rest.get(i + 1..)),
                None => (rest, None),
            };
            match self.code(c) {
                Ok(v) if first.is_none() => first = Some(v),
                Ok(v) => last = Some(v),
                Err(_) => return Err(self.error(format!("Illegal attribute code: {code_text}"))),
            }
            depth += 1;
            match more {
                Some(m) => rest = m,
                None => break,
            }
        }
        let datatype = datatype
            .as_bytes()
            .iter()
            .position(|&b| b == b'[')
            .and_then(|i| datatype.get(..i))
            .unwrap_or(datatype);
        let mut known = datatype_index(datatype);
        let unsupported = known
            .is_none()
            .then(|| UNSUPPORTED_DATATYPES.iter().position(|t| *t == datatype))
            .flatten();
        if known.is_none() && unsupported.is_none() {
            // FreeRADIUS itself reads type names case-insensitively (juniper's `String`).
            let lower = datatype.to_lowercase();
            known = DATATYPES.iter().position(|t| *t == lower);
            if known.is_none() {
                return Err(self.error(format!("Illegal type: {datatype}")));
            }
        }
        let vendor = match flag_vendor {
            Some(v) => self.vendor_info(v)?,
            None => {
                let current = std::mem::take(&mut self.vendor);
                let info = self.vendor_info(&current);
                self.vendor = current;
                info?
            }
        };
        let vid = &vendor.id;
        let Some(first) = first.as_ref() else {
            return Err(self.error(format!("Illegal attribute code: {code_text}")));
        };
        let last = last.as_ref().unwrap_or(first);
        let first_key = pair_key(vendor.key, first.key);
        if depth > 1
            && self.skipped_codes_keys.may_hold(first_key)
            && self.skipped_codes.contains(pair(vid, &first.obj)?)?
        {
            return self.skip(name, "sub-attribute of unsupported attribute");
        }
        if self.format.is_some() {
            return self.skip(name, "extended vendor-specific attribute");
        }
        if vendor.bad {
            return self.skip(name, "vendor format");
        }
        let datatype = match (known, unsupported) {
            (Some(i), _) => i,
            (None, u) => {
                if depth == 1 {
                    self.skipped_codes.add(pair(vid, &first.obj)?)?;
                    self.skipped_codes_keys.note(first_key);
                    self.forget_tlv(vid, first, first_key)?;
                }
                let reason = match u.and_then(|i| UNSUPPORTED_DATATYPES.get(i)).copied() {
                    Some("vsa") => "data type vsa",
                    Some("extended") => "data type extended",
                    Some("long-extended") => "data type long-extended",
                    Some("evs") => "data type evs",
                    Some("ipv4prefix") => "data type ipv4prefix",
                    Some("combo-ip") => "data type combo-ip",
                    Some("bool") => "data type bool",
                    Some("uint16") => "data type uint16",
                    _ => "data type uint32",
                };
                return self.skip(name, reason);
            }
        };
        if array {
            return self.skip(name, "array flag");
        }
        let is_tlv = DATATYPES.get(datatype) == Some(&"tlv");
        if depth > 2 || (depth == 2 && is_tlv) {
            return self.skip(name, "nested TLV");
        }
        let sub = depth == 2;
        let mut parent = None;
        let key = if sub {
            match self.tlvs.get_item(pair(vid, &first.obj)?)? {
                Some(p) => parent = Some(p),
                None => return Err(self.error(format!("Sub-attribute {name} of unknown TLV {}", first.obj))),
            }
            if vendor.name.is_none() {
                pair(&first.obj, &last.obj)?.into_any()
            } else {
                PyTuple::new(py, [vid, &first.obj, &last.obj])?.into_any()
            }
        } else if vendor.name.is_none() {
            first.obj.clone()
        } else {
            pair(vid, &first.obj)?.into_any()
        };
        let name_obj = PyString::new(py, name);
        // A slot is only for a name this read defined, which attrindex then has.
        let redefined = self.index_add(&name_obj, &key)?;
        let type_obj = self
            .datatypes
            .get(datatype)
            .ok_or_else(|| PyValueError::new_err("Invalid data type"))?;
        let attr = PyradAttribute::made(
            py,
            &name_obj,
            &last.obj,
            type_obj,
            sub,
            vendor.name.as_ref(),
            encrypt,
            has_tag,
            (self.read_id, datatype),
        )?
        .into_any();
        self.attributes.set_item(&name_obj, &attr)?;
        let (word, bit) = name_bit(name);
        let maybe_dropped = self.dropped_bits.get(word).is_some_and(|w| w & bit != 0);
        if maybe_dropped && self.dropped.remove(name) {
            self.last_dropped.clear();
        }
        if redefined && !self.slot_ids.is_empty() {
            if let Some(i) = self.slot_ids.remove(name) {
                self.last_slot = usize::MAX;
                if let Some(old) = self.slots.get_mut(i) {
                    Self::flush(old)?;
                }
            }
        }
        let last_key = pair_key(vendor.key, last.key);
        match parent {
            Some(p) => {
                p.getattr(pyo3::intern!(py, "sub_attributes"))?
                    .set_item(&last.obj, &name_obj)?;
                attr.setattr(pyo3::intern!(py, "parent"), p)?;
            }
            None => {
                if self.skipped_codes_keys.may_hold(last_key) {
                    self.skipped_codes.discard(pair(vid, &last.obj)?)?;
                }
                if is_tlv {
                    self.tlvs.set_item(pair(vid, &last.obj)?, &attr)?;
                    self.tlvs_keys.note(last_key);
                } else {
                    self.forget_tlv(vid, last, last_key)?;
                }
            }
        }
        Ok(())
    }

    /// Gives a slot's attribute the VALUEs kept for it.
    fn flush(slot: &mut Slot<'py>) -> PyResult<()> {
        if slot.pending.is_empty() {
            return Ok(());
        }
        let attr = slot.attr.cast::<PyradAttribute>()?;
        attr.borrow_mut().pending = std::mem::take(&mut slot.pending);
        Ok(())
    }

    /// A VALUE's octets by `helpers[2](type, text)` (pyrad's `int(text, 0)` +
    /// `tools.EncodeAttr`), its errors as pyrad's ParseError.
    fn helper_octets(&self, datatype: &str, attr_name: &str, text: &str) -> PyResult<Bound<'py, PyAny>> {
        let py = self.py;
        match self.helpers.get_item(2)?.call1((datatype, text)) {
            Ok(v) => Ok(v),
            Err(e) => {
                let is_value_error = e.is_instance_of::<PyValueError>(py)
                    || e.is_instance_of::<PyTypeError>(py)
                    || e.matches(py, self.helpers.get_item(4)?)?;
                if !is_value_error {
                    return Err(e);
                }
                let shown = e.value(py).str()?.to_string();
                Err(self.error(format!("Illegal value {text} for attribute {attr_name}: {shown}")))
            }
        }
    }

    fn value(
        &mut self,
        tokens: &[&str],
        deferred: Option<&mut Vec<(String, usize, Vec<String>)>>,
        warnings: &Bound<'py, PyList>,
    ) -> PyResult<()> {
        let py = self.py;
        let [_, attr_name, key, text] = tokens else {
            return Err(self.error("Incorrect number of tokens for value definition"));
        };
        let cached = self
            .slots
            .get(self.last_slot)
            .is_some_and(|s| s.name == *attr_name);
        let found = if cached {
            Some(self.last_slot)
        } else {
            self.slot_ids.get(*attr_name).copied()
        };
        let index = if let Some(i) = found {
            i
        } else {
            if self.last_dropped == *attr_name || self.dropped.contains(*attr_name) {
                return Ok(());
            }
            let name = PyString::new(py, attr_name);
            let Some(attr) = self.attributes.get_item(&name)? else {
                if self.skipped_attributes.contains(&name)? {
                    self.dropped.insert((*attr_name).to_owned());
                    let (word, bit) = name_bit(attr_name);
                    if let Some(w) = self.dropped_bits.get_mut(word) {
                        *w |= bit;
                    }
                    (*attr_name).clone_into(&mut self.last_dropped);
                    return Ok(());
                }
                match deferred {
                    Some(list) => list.push((
                        self.file.clone(),
                        self.line,
                        tokens.iter().map(|t| (*t).to_owned()).collect(),
                    )),
                    None => warnings.append((&self.file, self.line, *attr_name))?,
                }
                return Ok(());
            };
            let made_here = attr.cast::<PyradAttribute>().ok().and_then(|a| {
                let a = a.try_borrow().ok()?;
                (a.made_by.0 == self.read_id).then_some(a.made_by.1)
            });
            let Some(datatype) = made_here else {
                // An attribute of an earlier read: straight into its BiDict.
                let datatype: String = attr.getattr(pyo3::intern!(py, "type"))?.extract()?;
                let encoded = match int_octets(&datatype, text) {
                    Some((octets, len)) => PyBytes::new(py, octets.get(..len).unwrap_or_default()).into_any(),
                    None => self.helper_octets(&datatype, attr_name, text)?,
                };
                let values = attr.getattr(pyo3::intern!(py, "values"))?;
                return Self::bidict_add(&values, PyString::new(py, key).as_any(), &encoded);
            };
            self.slots.push(Slot {
                name: (*attr_name).to_owned(),
                attr,
                datatype,
                pending: Vec::with_capacity(64),
                values: None,
            });
            let i = self.slots.len() - 1;
            self.slot_ids.insert((*attr_name).to_owned(), i);
            i
        };
        self.last_slot = index;
        let Some(slot) = self.slots.get_mut(index) else {
            return Ok(());
        };
        if slot.values.is_none() {
            if let Some((octets, len)) = int_octets_of(slot.datatype, text) {
                return pack_int(&mut slot.pending, key, octets, len);
            }
        }
        let datatype = DATATYPES.get(slot.datatype).copied().unwrap_or_default();
        let encoded = self.helper_octets(datatype, attr_name, text)?;
        let Some(slot) = self.slots.get_mut(index) else {
            return Ok(());
        };
        if slot.values.is_none() {
            if let Ok(b) = encoded.cast::<PyBytes>() {
                return pack_value(&mut slot.pending, key, b.as_bytes());
            }
            // Not bytes: the BiDict takes it as it is, from now on directly.
            Self::flush(slot)?;
            slot.values = Some(slot.attr.getattr(pyo3::intern!(py, "values"))?);
        }
        let values = slot
            .values
            .as_ref()
            .ok_or_else(|| PyValueError::new_err("values"))?;
        Self::bidict_add(values, PyString::new(py, key).as_any(), &encoded)
    }

    fn vendor_def(&mut self, tokens: &[&str]) -> PyResult<()> {
        let py = self.py;
        if let Some(name) = tokens.get(1) {
            self.vendor_cache.remove(*name);
            self.last_vendor = None;
        }
        if !(3..=4).contains(&tokens.len()) {
            return Err(self.error("Incorrect number of tokens for vendor definition"));
        }
        let (name, ident) = match tokens {
            [_, n, i, ..] => (*n, *i),
            _ => return Err(self.error("Incorrect number of tokens for vendor definition")),
        };
        if let Some(opt) = tokens.get(3) {
            let option: Vec<&str> = opt.split('=').collect();
            let head = option.first().copied().unwrap_or_default();
            if head != "format" {
                return Err(self.error(format!("Unknown option '{head}' for vendor definition")));
            }
            let Some(spec) = option.get(1) else {
                return Err(self.error("Syntax error in vendor specification"));
            };
            let parts: Vec<&str> = spec.split(',').collect();
            let continuation = parts.len() == 3 && parts.get(2) == Some(&"c");
            let nums = if continuation {
                parts.get(..2).unwrap_or_default()
            } else {
                &parts[..]
            };
            let int = py.import("builtins")?.getattr("int")?;
            let parsed: Option<(i64, i64)> = match nums {
                [t, l] => match (int.call1((*t,)), int.call1((*l,))) {
                    (Ok(t), Ok(l)) => Some((t.extract()?, l.extract()?)),
                    _ => None,
                },
                _ => None,
            };
            let Some((t, length)) = parsed else {
                return Err(self.error("Syntax error in vendor specification"));
            };
            if ![1, 2, 4].contains(&t) || ![0, 1, 2].contains(&length) {
                return Err(self.error(format!("Unknown vendor format specification {spec}")));
            }
            if (t, length, continuation) == (1, 1, false) {
                self.bad_vendors.discard(name)?;
            } else {
                self.bad_vendors.add(name)?;
            }
        }
        let int = py.import("builtins")?.getattr("int")?;
        let Ok(vid) = int.call1((ident, 0)) else {
            return Err(self.error(format!("Illegal vendor code: {ident}")));
        };
        self.vendors.call_method1(pyo3::intern!(py, "Add"), (name, vid))?;
        Ok(())
    }

    fn begin_vendor(&mut self, tokens: &[&str]) -> PyResult<()> {
        if !(2..=3).contains(&tokens.len()) {
            return Err(self.error("Incorrect number of tokens for begin-vendor statement"));
        }
        let mut format = None;
        if let Some(opt) = tokens.get(2) {
            match opt.strip_prefix("format=") {
                // pyrad tests the format's truth: `format=` (empty) skips nothing
                Some(f) => format = Some(f.to_owned()).filter(|f| !f.is_empty()),
                None => return Err(self.error(format!("Unknown option '{opt}' for begin-vendor statement"))),
            }
        }
        let vendor = tokens.get(1).copied().unwrap_or_default();
        if !self.vendors_fwd.contains(vendor)? {
            return Err(self.error(format!("Unknown vendor {vendor} in begin-vendor statement")));
        }
        self.vendor = vendor.to_owned();
        self.format = format;
        Ok(())
    }

    fn end_vendor(&mut self, tokens: &[&str]) -> PyResult<()> {
        let [_, vendor] = tokens else {
            return Err(self.error("Incorrect number of tokens for end-vendor statement"));
        };
        if self.vendor != *vendor {
            return Err(self.error(format!("Ending non-open vendor {vendor}")));
        }
        self.vendor.clear();
        self.format = None;
        Ok(())
    }

    /// The lines of a walk, then the VALUEs that came before their ATTRIBUTE.
    fn read(&mut self, w: &mut Walk, warnings: &Bound<'py, PyList>) -> PyResult<()> {
        let mut deferred = Vec::new();
        let mut spans = Vec::new();
        let mut file = None;
        w.words_only = true;
        while let Some(l) = w.next_line(&mut spans) {
            let Some(&first) = spans.first() else { continue };
            let text = w.texts.get(l.text).map_or("", String::as_str);
            let word = |s: &(usize, usize)| text.get(s.0..s.1).unwrap_or_default();
            let Some(keyword) = Keyword::of(word(&first)) else {
                continue;
            };
            // the words, without a heap allocation for the lines pyrad reads (at most 5)
            let mut few = [""; 8];
            let many: Vec<&str>;
            let tokens: &[&str] = if spans.len() <= few.len() {
                for (t, s) in few.iter_mut().zip(spans.iter()) {
                    *t = word(s);
                }
                few.get(..spans.len()).unwrap_or_default()
            } else {
                many = spans.iter().map(word).collect();
                &many
            };
            if file != Some(l.file) {
                file = Some(l.file);
                w.file(&l).clone_into(&mut self.file);
            }
            self.line = l.line;
            match keyword {
                Keyword::Attribute => self.attribute(tokens)?,
                Keyword::Value => self.value(tokens, Some(&mut deferred), warnings)?,
                Keyword::Vendor => self.vendor_def(tokens)?,
                Keyword::BeginVendor => self.begin_vendor(tokens)?,
                Keyword::EndVendor => self.end_vendor(tokens)?,
            }
        }
        if let Some(e) = w.error.take() {
            return Err(walk_error(self.py, e, &self.helpers.get_item(0)?));
        }
        for (file, line, tokens) in &deferred {
            self.file.clone_from(file);
            self.line = *line;
            let tokens: Vec<&str> = tokens.iter().map(String::as_str).collect();
            self.value(&tokens, None, warnings)?;
        }
        Ok(())
    }
}

/// pyrad's `Dictionary.ReadDictionary` on a path or on text: the definitions go into
/// `d`'s `vendors`, `attributes` and `attrindex` and private state, as the Python class
/// keeps them; an attribute's VALUEs wait in it, packed, until its `values` is first
/// read. `helpers` = (ParseError, Attribute, value
/// octets(type, text), int code parser, struct.error). Returns (number of attributes
/// skipped, their reasons sorted without repeats, debug records or None, warnings).
#[pyfunction]
#[pyo3(signature = (d, path, text, helpers, debug))]
fn pyrad_read_dictionary<'py>(
    py: Python<'py>,
    d: &Bound<'py, PyAny>,
    path: Option<&str>,
    text: Option<&str>,
    helpers: &Bound<'py, PyTuple>,
    debug: bool,
) -> PyResult<Bound<'py, PyTuple>> {
    let mut st = DictState::new(d, helpers, debug)?;
    let mut w = Walk::new(path, text);
    let warnings = PyList::empty(py);
    let read = st.read(&mut w, &warnings);
    // Even after an error: the attributes read so far are in `d`, with their VALUEs.
    for slot in &mut st.slots {
        DictState::flush(slot)?;
    }
    if let Err(e) = read {
        // pyrad logs these as it meets them, so they are out before its error too: a
        // VALUE of an unknown attribute warned in the deferred pass before a later
        // deferred VALUE fails, the attributes skipped before the failing line
        let logger = py.import("logging")?.call_method1("getLogger", ("pyrad",))?;
        for rec in st.debug.iter().flat_map(|l| l.iter()) {
            let mut args = vec!["%s(%d): skipping attribute %s: %s".into_pyobject(py)?.into_any()];
            args.extend(rec.try_iter()?.collect::<PyResult<Vec<_>>>()?);
            logger.call_method1("debug", PyTuple::new(py, args)?)?;
        }
        for rec in warnings.iter() {
            let mut args = vec!["%s(%d): ignoring value defined for unknown attribute %s"
                .into_pyobject(py)?
                .into_any()];
            args.extend(rec.try_iter()?.collect::<PyResult<Vec<_>>>()?);
            logger.call_method1("warning", PyTuple::new(py, args)?)?;
        }
        return Err(e);
    }
    // (the count and the kinds are what is reported: a string per skipped attribute
    // cost 3,000 objects per load of the FreeRADIUS tree)
    let mut kinds = st.reasons.clone();
    kinds.sort_unstable();
    kinds.dedup();
    let skipped = st.reasons.len().into_pyobject(py)?.into_any();
    let kinds = PyList::new(py, kinds)?.into_any();
    let debug = match st.debug {
        Some(l) => l.into_any(),
        None => py.None().into_bound(py),
    };
    PyTuple::new(py, [skipped, kinds, debug, warnings.into_any()])
}

/// Fills an attribute's `values` BiDict from the VALUEs the reader packed for it, in
/// their order, with `BiDict.Add`'s rules.
fn fill_values(values: &Bound<'_, PyAny>, packed: &[u8]) -> PyResult<()> {
    let py = values.py();
    let fwd = values
        .getattr(pyo3::intern!(py, "forward"))?
        .cast_into::<PyDict>()?;
    let bwd = values.getattr(pyo3::intern!(py, "backward"))?;
    fn bad() -> PyErr {
        PyValueError::new_err("malformed packed values")
    }
    fn take<'a>(rest: &mut &'a [u8]) -> PyResult<&'a [u8]> {
        let (len, tail) = rest.split_first_chunk::<4>().ok_or_else(bad)?;
        let len = usize::try_from(u32::from_le_bytes(*len)).map_err(|_| bad())?;
        let (part, tail) = tail.split_at_checked(len).ok_or_else(bad)?;
        *rest = tail;
        Ok(part)
    }
    let mut rest = packed;
    while !rest.is_empty() {
        let key = std::str::from_utf8(take(&mut rest)?).map_err(|_| bad())?;
        let key = PyString::new(py, key);
        let octets = PyBytes::new(py, take(&mut rest)?);
        if fwd.contains(&key)? {
            values.call_method1(pyo3::intern!(py, "Add"), (key, octets))?;
        } else {
            fwd.set_item(&key, &octets)?;
            bwd.set_item(octets, key)?;
        }
    }
    Ok(())
}

/// `nacwire.pyrad.BiDict`, the class of `values` (imported on first use).
fn bidict_class(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    static CLASS: pyo3::sync::PyOnceLock<Py<PyAny>> = pyo3::sync::PyOnceLock::new();
    CLASS
        .get_or_try_init(py, || {
            Ok::<_, PyErr>(py.import("nacwire.pyrad.bidict")?.getattr("BiDict")?.unbind())
        })
        .map(|c| c.bind(py))
}

/// pyrad's `dictionary.Attribute`: one attribute definition. `Attribute(name, code,
/// datatype, is_sub_attribute=False, vendor='', values=None, encrypt=0,
/// has_tag=False)` raises `ValueError` for a data type pyrad does not know. The
/// fields live in the object (the reader makes 5,800 of them per FreeRADIUS tree
/// without a Python call each); other attributes go in its `__dict__`. `values` (a
/// BiDict) is made on first read, from the VALUEs the reader kept packed for it;
/// `sub_attributes` (a dict) on first read too.
#[pyclass(
    name = "Attribute",
    module = "nacwire.pyrad.dictionary",
    subclass,
    dict,
    weakref
)]
pub(crate) struct PyradAttribute {
    #[pyo3(get, set)]
    name: Py<PyAny>,
    #[pyo3(get, set)]
    code: Py<PyAny>,
    #[pyo3(get, set, name = "type")]
    datatype: Py<PyAny>,
    #[pyo3(get, set)]
    vendor: Py<PyAny>,
    #[pyo3(get, set)]
    encrypt: Py<PyAny>,
    #[pyo3(get, set)]
    has_tag: Py<PyAny>,
    parent: Option<Py<PyAny>>,
    #[pyo3(get, set)]
    is_sub_attribute: Py<PyAny>,
    values: Option<Py<PyAny>>,
    /// VALUEs not yet in `values` (see [`pack_value`]).
    pending: Vec<u8>,
    sub_attributes: Option<Py<PyAny>>,
    /// The reader's number and the data type (index into `DATATYPES`) for an attribute
    /// a reader made; `(0, 0)` for the others.
    made_by: (u64, usize),
}

/// The number of the next dictionary read (0 is for attributes no read made).
static READS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// The constructor's parameters, in order (pyrad 2.6's `Attribute.__init__`).
const ATTRIBUTE_PARAMS: [&str; 8] = [
    "name",
    "code",
    "datatype",
    "is_sub_attribute",
    "vendor",
    "values",
    "encrypt",
    "has_tag",
];

/// The constructor's arguments by parameter, bound as Python binds them: too many
/// positional ones, an unknown keyword or one given twice is Python's TypeError.
fn bind_arguments<'py>(
    args: &Bound<'py, PyTuple>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<[Option<Bound<'py, PyAny>>; 8]> {
    let mut out: [Option<Bound<'py, PyAny>>; 8] = Default::default();
    if args.len() > out.len() {
        return Err(PyTypeError::new_err(format!(
            "Attribute.__init__() takes from 4 to 9 positional arguments but {} were given",
            args.len() + 1
        )));
    }
    for (slot, arg) in out.iter_mut().zip(args.iter()) {
        *slot = Some(arg);
    }
    for (key, value) in kwargs.into_iter().flat_map(|k| k.iter()) {
        let name = key.extract::<String>().unwrap_or_default();
        let Some(at) = ATTRIBUTE_PARAMS.iter().position(|p| *p == name) else {
            return Err(PyTypeError::new_err(format!(
                "Attribute.__init__() got an unexpected keyword argument {}",
                key.repr()?
            )));
        };
        match out.get_mut(at) {
            Some(slot @ None) => *slot = Some(value),
            _ => {
                return Err(PyTypeError::new_err(format!(
                    "Attribute.__init__() got multiple values for argument '{name}'"
                )))
            }
        }
    }
    Ok(out)
}

/// Which of the three required parameters were given.
fn given_required(args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<[bool; 3]> {
    let given = bind_arguments(args, kwargs)?;
    Ok([0, 1, 2].map(|i| given.get(i).is_some_and(Option::is_some)))
}

/// Python's TypeError for required parameters not given (`given` by position).
fn missing_arguments(given: &[bool; 3]) -> PyErr {
    let names: Vec<String> = ATTRIBUTE_PARAMS
        .iter()
        .zip(given)
        .filter(|(_, g)| !**g)
        .map(|(n, _)| format!("'{n}'"))
        .collect();
    let list = match names.as_slice() {
        [one] => one.clone(),
        [a, b] => format!("{a} and {b}"),
        [rest @ .., last] => format!("{}, and {last}", rest.join(", ")),
        [] => String::new(),
    };
    let plural = if names.len() == 1 { "argument" } else { "arguments" };
    PyTypeError::new_err(format!(
        "Attribute.__init__() missing {} required positional {plural}: {list}",
        names.len()
    ))
}

impl PyradAttribute {
    /// An attribute from the constructor's arguments (`new`).
    #[allow(clippy::too_many_arguments)]
    fn checked(
        py: Python<'_>,
        name: Bound<'_, PyAny>,
        code: Bound<'_, PyAny>,
        datatype: &Bound<'_, PyAny>,
        is_sub_attribute: Option<Bound<'_, PyAny>>,
        vendor: Option<Bound<'_, PyAny>>,
        values: Option<&Bound<'_, PyAny>>,
        encrypt: Option<Bound<'_, PyAny>>,
        has_tag: Option<Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let known = datatype.extract::<&str>().is_ok_and(|t| DATATYPES.contains(&t));
        if !known {
            return Err(PyValueError::new_err("Invalid data type"));
        }
        let mut filled = None;
        if let Some(v) = values.filter(|v| v.is_truthy().unwrap_or(true)) {
            let bidict = bidict_class(py)?.call0()?;
            for item in v.call_method0("items")?.try_iter()? {
                let (key, value): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item?.extract()?;
                bidict.call_method1(pyo3::intern!(py, "Add"), (key, value))?;
            }
            filled = Some(bidict.unbind());
        }
        let no = || pyo3::types::PyBool::new(py, false).to_owned().into_any().unbind();
        Ok(Self {
            name: name.unbind(),
            code: code.unbind(),
            datatype: datatype.clone().unbind(),
            vendor: vendor.map_or_else(
                || pyo3::intern!(py, "").clone().into_any().unbind(),
                Bound::unbind,
            ),
            encrypt: match encrypt {
                Some(e) => e.unbind(),
                None => 0u8.into_pyobject(py)?.into_any().unbind(),
            },
            has_tag: has_tag.map_or_else(no, Bound::unbind),
            parent: None,
            is_sub_attribute: is_sub_attribute.map_or_else(no, Bound::unbind),
            values: filled,
            pending: Vec::new(),
            sub_attributes: None,
            made_by: (0, 0),
        })
    }

    /// pyrad 2.6's pickled state: its attribute's `__dict__`. Its fields go to ours
    /// (`type` is the data type); anything else a program added to the instance dict.
    fn set_pyrad_state(slf: &Bound<'_, Self>, fields: &Bound<'_, PyDict>) -> PyResult<()> {
        let py = slf.py();
        let extra = PyDict::new(py);
        {
            let mut me = slf.borrow_mut();
            for (key, value) in fields.iter() {
                let field = key.extract::<String>().unwrap_or_default();
                let v = value.clone().unbind();
                match field.as_str() {
                    "name" => me.name = v,
                    "code" => me.code = v,
                    "type" => me.datatype = v,
                    "vendor" => me.vendor = v,
                    "encrypt" => me.encrypt = v,
                    "has_tag" => me.has_tag = v,
                    "is_sub_attribute" => me.is_sub_attribute = v,
                    "parent" => me.parent = (!value.is_none()).then_some(v),
                    "sub_attributes" => me.sub_attributes = Some(v),
                    "values" => {
                        me.pending.clear();
                        me.values = Some(v);
                    }
                    _ => extra.set_item(key, value)?,
                }
            }
        }
        if !extra.is_empty() {
            slf.getattr(pyo3::intern!(py, "__dict__"))?
                .call_method1(pyo3::intern!(py, "update"), (extra,))?;
        }
        Ok(())
    }

    /// An attribute with every field None (its state comes next: unpickling).
    fn blank(py: Python<'_>) -> Self {
        Self {
            name: py.None(),
            code: py.None(),
            datatype: py.None(),
            vendor: py.None(),
            encrypt: py.None(),
            has_tag: py.None(),
            parent: None,
            is_sub_attribute: py.None(),
            values: None,
            pending: Vec::new(),
            sub_attributes: None,
            made_by: (0, 0),
        }
    }
}

impl PyradAttribute {
    /// An attribute as the reader makes it.
    #[allow(clippy::too_many_arguments)]
    fn made<'py>(
        py: Python<'py>,
        name: &Bound<'py, PyString>,
        code: &Bound<'py, PyAny>,
        datatype: &Bound<'py, PyString>,
        sub: bool,
        vendor: Option<&Bound<'py, PyString>>,
        encrypt: u8,
        has_tag: bool,
        made_by: (u64, usize),
    ) -> PyResult<Bound<'py, Self>> {
        let vendor = match vendor {
            Some(v) => v.clone().into_any().unbind(),
            None => pyo3::intern!(py, "").clone().into_any().unbind(),
        };
        Bound::new(
            py,
            Self {
                name: name.clone().into_any().unbind(),
                code: code.clone().unbind(),
                datatype: datatype.clone().into_any().unbind(),
                vendor,
                encrypt: encrypt.into_pyobject(py)?.into_any().unbind(),
                has_tag: pyo3::types::PyBool::new(py, has_tag)
                    .to_owned()
                    .into_any()
                    .unbind(),
                parent: None,
                is_sub_attribute: pyo3::types::PyBool::new(py, sub).to_owned().into_any().unbind(),
                values: None,
                pending: Vec::new(),
                sub_attributes: None,
                made_by,
            },
        )
    }
}

#[pymethods]
impl PyradAttribute {
    /// `Attribute(name, code, datatype, is_sub_attribute=False, vendor='', values=None,
    /// encrypt=0, has_tag=False)`, bound as Python binds pyrad's `__init__` (the same
    /// errors). With no arguments at all, a blank attribute: what unpickling makes
    /// before `__setstate__` (pyrad's own pickles included); `__init__` then refuses
    /// to be called that way, as pyrad's does.
    #[new]
    #[pyo3(signature = (*args, **kwargs))]
    fn new(py: Python<'_>, args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let given = bind_arguments(args, kwargs)?;
        if given.iter().all(Option::is_none) {
            return Ok(Self::blank(py));
        }
        let [name, code, datatype, is_sub_attribute, vendor, values, encrypt, has_tag] = given;
        let (Some(name), Some(code), Some(datatype)) = (name, code, datatype) else {
            return Err(missing_arguments(&given_required(args, kwargs)?));
        };
        Self::checked(
            py,
            name,
            code,
            &datatype,
            is_sub_attribute,
            vendor,
            values.as_ref(),
            encrypt,
            has_tag,
        )
    }

    /// Checks only that it is not called without arguments (pyrad's `__init__` needs
    /// three): `Attribute(...)` is made by `__new__`. Here for subclasses whose
    /// `__init__` calls `super().__init__(...)` with the constructor's arguments.
    #[pyo3(signature = (*args, **kwargs))]
    fn __init__(&self, args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<()> {
        if args.is_empty() && kwargs.is_none_or(|k| k.is_empty()) {
            return Err(missing_arguments(&[false; 3]));
        }
        Ok(())
    }

    /// The TLV of a sub-attribute (None for the others).
    #[getter]
    fn parent(&self, py: Python<'_>) -> Py<PyAny> {
        self.parent
            .as_ref()
            .map_or_else(|| py.None(), |p| p.clone_ref(py))
    }

    #[setter]
    fn set_parent(&mut self, py: Python<'_>, parent: Py<PyAny>) {
        self.parent = (!parent.is_none(py)).then_some(parent);
    }

    /// The fields that hold containers (the others are a name, numbers and flags).
    fn __traverse__(&self, visit: pyo3::PyVisit<'_>) -> Result<(), pyo3::PyTraverseError> {
        for field in [&self.parent, &self.values, &self.sub_attributes]
            .into_iter()
            .flatten()
        {
            visit.call(field)?;
        }
        Ok(())
    }

    fn __clear__(&mut self) {
        self.parent = None;
        self.values = None;
        self.sub_attributes = None;
    }

    /// The named values (a BiDict), made on first read.
    #[getter]
    fn values(&mut self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        if let Some(v) = &self.values {
            return Ok(v.clone_ref(py));
        }
        let bidict = bidict_class(py)?.call0()?;
        fill_values(&bidict, &std::mem::take(&mut self.pending))?;
        self.values = Some(bidict.clone().unbind());
        Ok(bidict.unbind())
    }

    #[setter]
    fn set_values(&mut self, values: Py<PyAny>) {
        self.pending.clear();
        self.values = Some(values);
    }

    /// The sub-attributes of a TLV (code -> name), a dict made on first read.
    #[getter]
    fn sub_attributes(&mut self, py: Python<'_>) -> Py<PyAny> {
        self.sub_attributes
            .get_or_insert_with(|| PyDict::new(py).into_any().unbind())
            .clone_ref(py)
    }

    #[setter]
    fn set_sub_attributes(&mut self, value: Py<PyAny>) {
        self.sub_attributes = Some(value);
    }

    /// Copies and pickles: the constructor's arguments, then the rest as state.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let values = slf.getattr(pyo3::intern!(py, "values"))?;
        let subs = slf.getattr(pyo3::intern!(py, "sub_attributes"))?;
        let me = slf.borrow();
        // copyreg.__newobj__(cls, *args): `cls.__new__` without `__init__`, as pickle
        // makes other objects (a subclass's `__init__` may take other arguments)
        let cls = slf.get_type().into_any();
        let args = PyTuple::new(
            py,
            [
                &cls,
                me.name.bind(py),
                me.code.bind(py),
                me.datatype.bind(py),
                me.is_sub_attribute.bind(py),
                me.vendor.bind(py),
                &py.None().into_bound(py),
                me.encrypt.bind(py),
                me.has_tag.bind(py),
            ],
        )?;
        let extra = slf.getattr(pyo3::intern!(py, "__dict__"))?;
        let parent = me
            .parent
            .as_ref()
            .map_or_else(|| py.None().into_bound(py), |p| p.bind(py).clone());
        let state = PyTuple::new(py, [&parent, &values, &subs, &extra])?;
        let newobj = py.import("copyreg")?.getattr("__newobj__")?;
        PyTuple::new(py, [newobj, args.into_any(), state.into_any()])
    }

    /// Our pickles' state (a 4-tuple, see `__reduce__`), or pyrad 2.6's: its
    /// attribute's `__dict__` (a pickle made by pyrad, loaded after the switch).
    fn __setstate__(slf: &Bound<'_, Self>, state: &Bound<'_, PyAny>) -> PyResult<()> {
        let py = slf.py();
        if let Ok(fields) = state.cast::<PyDict>() {
            return Self::set_pyrad_state(slf, fields);
        }
        let (parent, values, subs, extra): (Py<PyAny>, Py<PyAny>, Py<PyAny>, Bound<'_, PyAny>) =
            state.extract()?;
        {
            let mut me = slf.borrow_mut();
            me.parent = (!parent.is_none(py)).then_some(parent);
            me.pending.clear();
            me.values = Some(values);
            me.sub_attributes = Some(subs);
        }
        slf.getattr(pyo3::intern!(py, "__dict__"))?
            .call_method1(pyo3::intern!(py, "update"), (extra,))?;
        Ok(())
    }
}

/// Registers the dictionary reader on the native module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(pyrad_dict_lines, m)?)?;
    m.add_function(wrap_pyfunction!(pyrad_read_dictionary, m)?)?;
    // `nacwire.pyrad.dictionary.Attribute` (a private name here: the public one is there)
    m.setattr("_PyradAttribute", m.py().get_type::<PyradAttribute>())?;
    // the one copy of these lists: `nacwire.pyrad.dictionary` builds its sets from them
    m.add("pyrad_datatypes", PyTuple::new(m.py(), DATATYPES)?)?;
    m.add(
        "pyrad_unsupported_datatypes",
        PyTuple::new(m.py(), UNSUPPORTED_DATATYPES)?,
    )?;
    m.add("pyrad_attribute_flags", PyTuple::new(m.py(), ATTRIBUTE_FLAGS)?)?;
    Ok(())
}
