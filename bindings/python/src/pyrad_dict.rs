//! pyrad's dictionary reader (`pyrad.dictionary` / `pyrad.dictfile`) in Rust: the native half of
//! `nacwire.pyrad.dictionary`.

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyTuple};

/// One dictionary source being read: its text, the read position and where it sits.
struct Source {
    name: usize,
    dir: std::path::PathBuf,
    path: Option<std::path::PathBuf>,
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
}

/// A line: the file (index into `Walk::files`), its 1-based number, and where its
/// text is (`Walk::texts[text][start..end]`, the newline included).
struct Line {
    file: usize,
    line: usize,
    text: usize,
    start: usize,
    end: usize,
}

/// pyrad's `DictFile`: every line of a dictionary and its `$INCLUDE`s, in order.
/// `$INCLUDE name` is relative to the including file's directory (the current
/// directory for text given directly); `$INCLUDE-` skips a missing file.
struct Walk {
    files: Vec<String>,
    texts: Vec<String>,
    lines: Vec<Line>,
    error: Option<WalkError>,
}

impl Walk {
    fn text(&self, l: &Line) -> &str {
        self.texts
            .get(l.text)
            .and_then(|t| t.get(l.start..l.end))
            .unwrap_or_default()
    }

    fn file(&self, l: &Line) -> &str {
        self.files.get(l.file).map(String::as_str).unwrap_or_default()
    }

    /// Adds a source's text (newlines as Python's text mode reads them) and name.
    fn add(&mut self, name: String, text: String) -> (usize, usize) {
        let text = if text.contains('\r') {
            text.replace("\r\n", "\n").replace('\r', "\n")
        } else {
            text
        };
        self.texts.push(text);
        let id = match self.files.iter().position(|f| *f == name) {
            Some(i) => i,
            None => {
                self.files.push(name);
                self.files.len() - 1
            }
        };
        (id, self.texts.len() - 1)
    }
}

fn basename(name: &str) -> String {
    std::path::Path::new(name)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn walk(path: Option<&str>, text: Option<&str>) -> Walk {
    let mut out = Walk {
        files: Vec::new(),
        texts: Vec::new(),
        lines: Vec::new(),
        error: None,
    };
    let cwd = std::env::current_dir()
        .and_then(std::fs::canonicalize)
        .unwrap_or_default();
    let mut stack: Vec<Source> = Vec::new();
    let open = |out: &mut Walk,
                stack: &[Source],
                target: &str,
                optional: bool|
     -> Result<Option<Source>, WalkError> {
        let base = stack.last().map_or_else(|| cwd.clone(), |s| s.dir.clone());
        let fname = base.join(target); // an absolute target replaces base
        if optional && !fname.exists() {
            return Ok(None);
        }
        let io = |e| WalkError::Io(e, fname.to_string_lossy().into_owned());
        let real = std::fs::canonicalize(&fname).map_err(io)?;
        if let Some(top) = stack.last() {
            if stack.iter().any(|s| s.path.as_ref() == Some(&real)) {
                return Err(WalkError::Recursive {
                    file: out.files.get(top.name).cloned().unwrap_or_default(),
                    line: top.line,
                    target: target.to_owned(),
                });
            }
        }
        let body = std::fs::read_to_string(&fname).map_err(io)?;
        let sub = std::path::Path::new(target)
            .parent()
            .unwrap_or_else(|| std::path::Path::new(""));
        let (name, text) = out.add(basename(target), body);
        Ok(Some(Source {
            name,
            dir: base.join(sub),
            path: Some(real),
            text,
            offset: 0,
            line: 0,
        }))
    };
    let first = match (path, text) {
        (Some(p), _) => open(&mut out, &stack, p, false),
        (None, t) => {
            let (name, text) = out.add(String::new(), t.unwrap_or_default().to_owned());
            Ok(Some(Source {
                name,
                dir: cwd.clone(),
                path: None,
                text,
                offset: 0,
                line: 0,
            }))
        }
    };
    match first {
        Ok(Some(s)) => stack.push(s),
        Ok(None) => {}
        Err(e) => {
            out.error = Some(e);
            return out;
        }
    }
    while let Some(top) = stack.last_mut() {
        let rest = out
            .texts
            .get(top.text)
            .and_then(|t| t.get(top.offset..))
            .unwrap_or_default();
        if rest.is_empty() {
            stack.pop();
            continue;
        }
        let len = rest.find('\n').map_or(rest.len(), |i| i + 1);
        let line = Line {
            file: top.name,
            line: top.line + 1,
            text: top.text,
            start: top.offset,
            end: top.offset + len,
        };
        top.offset += len;
        top.line += 1;
        let content = rest
            .get(..len)
            .unwrap_or_default()
            .split('#')
            .next()
            .unwrap_or_default();
        let mut words = content.split_whitespace();
        let directive = words
            .next()
            .filter(|d| d.eq_ignore_ascii_case("$INCLUDE") || d.eq_ignore_ascii_case("$INCLUDE-"));
        if let Some(d) = directive {
            let optional = d.ends_with('-');
            let target = words.collect::<Vec<_>>().join(" ");
            if !target.is_empty() {
                match open(&mut out, &stack, &target, optional) {
                    Ok(Some(s)) => stack.push(s),
                    Ok(None) => {}
                    Err(e) => {
                        out.error = Some(e);
                        return out;
                    }
                }
                continue;
            }
        }
        out.lines.push(line);
    }
    out
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

/// `DictFile`'s lines: `([(file, line, text), ...], error)`; the caller raises the
/// error (an exception instance, or None) after the lines, where pyrad would.
#[pyfunction]
#[pyo3(signature = (path, text, parse_error))]
fn pyrad_dict_lines<'py>(
    py: Python<'py>,
    path: Option<&str>,
    text: Option<&str>,
    parse_error: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyTuple>> {
    let w = walk(path, text);
    let lines = PyList::empty(py);
    for l in &w.lines {
        lines.append((w.file(l), l.line, w.text(l)))?;
    }
    let error = match w.error {
        Some(e) => walk_error(py, e, parse_error)
            .into_value(py)
            .into_any()
            .into_bound(py),
        None => py.None().into_bound(py),
    };
    PyTuple::new(py, [lines.into_any(), error])
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

/// The Python objects a dictionary read works on (pyrad's `Dictionary` state).
struct DictState<'py> {
    py: Python<'py>,
    vendors: Bound<'py, PyAny>,
    vendors_fwd: Bound<'py, PyDict>,
    attrindex: Bound<'py, PyAny>,
    attributes: Bound<'py, PyDict>,
    skipped_attributes: Bound<'py, pyo3::types::PySet>,
    bad_vendors: Bound<'py, pyo3::types::PySet>,
    tlvs: Bound<'py, PyDict>,
    skipped_codes: Bound<'py, pyo3::types::PySet>,
    helpers: Bound<'py, PyTuple>,
    file: String,
    line: usize,
    vendor: String,
    format: Option<String>,
    reasons: Vec<&'static str>,
    debug: Option<Bound<'py, PyList>>,
}

impl<'py> DictState<'py> {
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

    /// A new `Attribute` (`helpers[1]`) without its `__init__`: the fields that differ
    /// from the class's defaults go into the instance dict (the class makes `values`
    /// and `sub_attributes` on first use). 5,800 `__init__` frames and their BiDicts
    /// were most of loading the FreeRADIUS tree.
    #[allow(clippy::too_many_arguments)]
    fn new_attribute(
        &self,
        name: &Bound<'py, PyAny>,
        code: &Bound<'py, PyAny>,
        datatype: &str,
        sub: bool,
        vendor: &str,
        encrypt: u8,
        has_tag: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = self.py;
        let new = py.get_type::<PyAny>().getattr(pyo3::intern!(py, "__new__"))?;
        let attr = new.call1((self.helpers.get_item(1)?,))?;
        let ad = attr.getattr(pyo3::intern!(py, "__dict__"))?;
        ad.set_item(pyo3::intern!(py, "name"), name)?;
        ad.set_item(pyo3::intern!(py, "code"), code)?;
        ad.set_item(pyo3::intern!(py, "type"), datatype)?;
        if !vendor.is_empty() {
            ad.set_item(pyo3::intern!(py, "vendor"), vendor)?;
        }
        if encrypt != 0 {
            ad.set_item(pyo3::intern!(py, "encrypt"), encrypt)?;
        }
        if has_tag {
            ad.set_item(pyo3::intern!(py, "has_tag"), true)?;
        }
        if sub {
            ad.set_item(pyo3::intern!(py, "is_sub_attribute"), true)?;
        }
        Ok(attr)
    }

    /// Removes a key from the TLV map when it is there (without raising and
    /// discarding a `KeyError` for each of the thousands of attributes that are not).
    fn forget_tlv(&self, key: &Bound<'py, PyTuple>) -> PyResult<()> {
        if !self.tlvs.is_empty() && self.tlvs.contains(key)? {
            self.tlvs.del_item(key)?;
        }
        Ok(())
    }

    /// An attribute code: decimal, `0x` hex or `0o` octal (Python's `int` for the rest).
    fn code(&self, text: &str) -> PyResult<Bound<'py, PyAny>> {
        if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
            if let Ok(n) = text.parse::<u64>() {
                return Ok(n.into_pyobject(self.py)?.into_any());
            }
        }
        self.helpers.get_item(3)?.call1((text,))
    }

    fn attribute(&mut self, tokens: &[&str]) -> PyResult<()> {
        let py = self.py;
        if !(4..=5).contains(&tokens.len()) {
            return Err(self.error("Incorrect number of tokens for attribute definition"));
        }
        let mut vendor = self.vendor.clone();
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
                vendor = (*flags).to_owned();
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
        let mut codes = Vec::new();
        for c in code_text.split('.') {
            match self.code(c) {
                Ok(v) => codes.push(v),
                Err(_) => return Err(self.error(format!("Illegal attribute code: {code_text}"))),
            }
        }
        let mut datatype = datatype.split('[').next().unwrap_or_default().to_owned();
        if !DATATYPES.contains(&datatype.as_str()) && !UNSUPPORTED_DATATYPES.contains(&datatype.as_str()) {
            // FreeRADIUS itself reads type names case-insensitively (juniper's `String`).
            let lower = datatype.to_lowercase();
            if DATATYPES.contains(&lower.as_str()) {
                datatype = lower;
            } else {
                return Err(self.error(format!("Illegal type: {datatype}")));
            }
        }
        let vid = self
            .vendors_fwd
            .get_item(&vendor)?
            .ok_or_else(|| pyo3::exceptions::PyKeyError::new_err(vendor.clone()))?;
        let pair = |a: &Bound<'py, PyAny>| PyTuple::new(py, [vid.clone(), a.clone()]);
        let (first, last) = match (codes.first(), codes.last()) {
            (Some(f), Some(l)) => (f.clone(), l.clone()),
            _ => return Err(self.error(format!("Illegal attribute code: {code_text}"))),
        };
        if codes.len() > 1 && self.skipped_codes.contains(pair(&first)?)? {
            return self.skip(name, "sub-attribute of unsupported attribute");
        }
        if self.format.is_some() {
            return self.skip(name, "extended vendor-specific attribute");
        }
        if self.bad_vendors.contains(&vendor)? {
            return self.skip(name, "vendor format");
        }
        if UNSUPPORTED_DATATYPES.contains(&datatype.as_str()) {
            if codes.len() == 1 {
                self.skipped_codes.add(pair(&first)?)?;
                self.forget_tlv(&pair(&first)?)?;
            }
            let reason = match datatype.as_str() {
                "vsa" => "data type vsa",
                "extended" => "data type extended",
                "long-extended" => "data type long-extended",
                "evs" => "data type evs",
                "ipv4prefix" => "data type ipv4prefix",
                "combo-ip" => "data type combo-ip",
                "bool" => "data type bool",
                "uint16" => "data type uint16",
                _ => "data type uint32",
            };
            return self.skip(name, reason);
        }
        if array {
            return self.skip(name, "array flag");
        }
        if codes.len() > 2 || (codes.len() == 2 && datatype == "tlv") {
            return self.skip(name, "nested TLV");
        }
        let sub = codes.len() == 2;
        let mut parent = None;
        let key = if sub {
            match self.tlvs.get_item(pair(&first)?)? {
                Some(p) => parent = Some(p),
                None => return Err(self.error(format!("Sub-attribute {name} of unknown TLV {first}"))),
            }
            if vendor.is_empty() {
                PyTuple::new(py, [first.clone(), last.clone()])?.into_any()
            } else {
                PyTuple::new(py, [vid.clone(), first.clone(), last.clone()])?.into_any()
            }
        } else if vendor.is_empty() {
            first.clone()
        } else {
            pair(&first)?.into_any()
        };
        let name_obj = pyo3::types::PyString::new(py, name).into_any();
        Self::bidict_add(&self.attrindex, &name_obj, &key)?;
        let attr = self.new_attribute(&name_obj, &last, &datatype, sub, &vendor, encrypt, has_tag)?;
        self.attributes.set_item(&name_obj, &attr)?;
        match parent {
            Some(p) => {
                p.getattr(pyo3::intern!(py, "sub_attributes"))?
                    .set_item(&last, &name_obj)?;
                attr.setattr(pyo3::intern!(py, "parent"), p)?;
            }
            None => {
                self.skipped_codes.discard(pair(&last)?)?;
                if datatype == "tlv" {
                    self.tlvs.set_item(pair(&last)?, &attr)?;
                } else {
                    self.forget_tlv(&pair(&last)?)?;
                }
            }
        }
        Ok(())
    }

    /// A VALUE's octets: integers in Rust, everything else (and every error) by
    /// `helpers[2](type, text)`, pyrad's `int(text, 0)` + `tools.EncodeAttr`.
    fn value_octets(&self, datatype: &str, text: &str) -> PyResult<Bound<'py, PyAny>> {
        let plain = !text.is_empty()
            && text.bytes().all(|b| b.is_ascii_digit())
            && (text == "0" || !text.starts_with('0'));
        if plain {
            if let Ok(n) = text.parse::<u64>() {
                let bytes: Option<Vec<u8>> = match datatype {
                    "integer" | "date" => u32::try_from(n).ok().map(|v| v.to_be_bytes().to_vec()),
                    "short" => u16::try_from(n).ok().map(|v| v.to_be_bytes().to_vec()),
                    "byte" => u8::try_from(n).ok().map(|v| vec![v]),
                    "signed" => i32::try_from(n).ok().map(|v| v.to_be_bytes().to_vec()),
                    "integer64" => Some(n.to_be_bytes().to_vec()),
                    _ => None,
                };
                if let Some(b) = bytes {
                    return Ok(PyBytes::new(self.py, &b).into_any());
                }
            }
        }
        self.helpers.get_item(2)?.call1((datatype, text))
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
        if self.skipped_attributes.contains(*attr_name)? && !self.attributes.contains(*attr_name)? {
            return Ok(());
        }
        let Some(attr) = self.attributes.get_item(*attr_name)? else {
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
        let datatype: String = attr.getattr(pyo3::intern!(py, "type"))?.extract()?;
        let encoded = match self.value_octets(&datatype, text) {
            Ok(v) => v,
            Err(e) => {
                let is_value_error = e.is_instance_of::<PyValueError>(py)
                    || e.is_instance_of::<PyTypeError>(py)
                    || e.matches(py, self.helpers.get_item(4)?)?;
                if !is_value_error {
                    return Err(e);
                }
                let shown = e.value(py).str()?.to_string();
                return Err(self.error(format!("Illegal value {text} for attribute {attr_name}: {shown}")));
            }
        };
        let values = attr.getattr(pyo3::intern!(py, "values"))?;
        Self::bidict_add(&values, &pyo3::types::PyString::new(py, key).into_any(), &encoded)
    }

    fn vendor_def(&mut self, tokens: &[&str]) -> PyResult<()> {
        let py = self.py;
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
                Some(f) => format = Some(f.to_owned()),
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
}

/// pyrad's `Dictionary.ReadDictionary` on a path or on text: the definitions go into
/// `d`'s `vendors`, `attributes`, `attrindex` and private state, as the Python class
/// keeps them. `helpers` = (ParseError, Attribute, value octets(type, text), int code
/// parser, struct.error). Returns (skip reasons, debug records or None, warnings).
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
    let vendors = d.getattr("vendors")?;
    let mut st = DictState {
        py,
        vendors_fwd: vendors.getattr("forward")?.cast_into::<PyDict>()?,
        vendors,
        attrindex: d.getattr("attrindex")?,
        attributes: d.getattr("attributes")?.cast_into::<PyDict>()?,
        skipped_attributes: d.getattr("skipped_attributes")?.cast_into()?,
        bad_vendors: d.getattr("_bad_vendors")?.cast_into()?,
        tlvs: d.getattr("_tlvs")?.cast_into::<PyDict>()?,
        skipped_codes: d.getattr("_skipped_codes")?.cast_into()?,
        helpers: helpers.clone(),
        file: String::new(),
        line: 0,
        vendor: String::new(),
        format: None,
        reasons: Vec::new(),
        debug: if debug { Some(PyList::empty(py)) } else { None },
    };
    let w = walk(path, text);
    let warnings = PyList::empty(py);
    let mut deferred = Vec::new();
    for l in &w.lines {
        let content = w.text(l).split('#').next().unwrap_or_default();
        let tokens: Vec<&str> = content.split_whitespace().collect();
        let Some(first) = tokens.first() else { continue };
        if st.file != w.file(l) {
            w.file(l).clone_into(&mut st.file);
        }
        st.line = l.line;
        match first.to_uppercase().as_str() {
            "ATTRIBUTE" => st.attribute(&tokens)?,
            "VALUE" => st.value(&tokens, Some(&mut deferred), &warnings)?,
            "VENDOR" => st.vendor_def(&tokens)?,
            "BEGIN-VENDOR" => st.begin_vendor(&tokens)?,
            "END-VENDOR" => st.end_vendor(&tokens)?,
            _ => {}
        }
    }
    if let Some(e) = w.error {
        return Err(walk_error(py, e, &helpers.get_item(0)?));
    }
    for (file, line, tokens) in &deferred {
        st.file.clone_from(file);
        st.line = *line;
        let tokens: Vec<&str> = tokens.iter().map(String::as_str).collect();
        st.value(&tokens, None, &warnings)?;
    }
    let reasons = PyList::new(py, st.reasons.iter().copied())?;
    let debug = match st.debug {
        Some(l) => l.into_any(),
        None => py.None().into_bound(py),
    };
    PyTuple::new(py, [reasons.into_any(), debug, warnings.into_any()])
}

/// Registers the dictionary reader on the native module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(pyrad_dict_lines, m)?)?;
    m.add_function(wrap_pyfunction!(pyrad_read_dictionary, m)?)?;
    // the one copy of these lists: `nacwire.pyrad.dictionary` builds its sets from them
    m.add("pyrad_datatypes", PyTuple::new(m.py(), DATATYPES)?)?;
    m.add(
        "pyrad_unsupported_datatypes",
        PyTuple::new(m.py(), UNSUPPORTED_DATATYPES)?,
    )?;
    m.add("pyrad_attribute_flags", PyTuple::new(m.py(), ATTRIBUTE_FLAGS)?)?;
    Ok(())
}
