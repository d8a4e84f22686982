//! `nacwire.radius`: packets, dictionaries, verification and the sans-I/O exchange.

use std::borrow::Cow;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use pyo3::exceptions::{PyKeyError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};

use radius_codec::exchange::{self, ClientEvent as Ev, Retransmit, Seen};
use radius_codec::{
    AttrType, AuthenticatorKind, Code, DataType, Packet as CodecPacket, PacketBuilder, ReplyPolicy,
    Requirement, ServerPolicy, SharedSecret, Signature, Value,
};
use radius_dict::{AttrAddr, AttrDef, Decoded, Dictionary as Dict, FsResolver, Hiding, Mode, Resolver};

use crate::convert::{hash_of, import, py_ipv4, py_ipv4net, py_ipv6, py_ipv6net, secret_of};
use crate::errors;

// ---------------------------------------------------------------------------------
// Python classes the conversions create (looked up once per interpreter).

static FROMTS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static DATETIME: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static ENUMVALUE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static MONOTONIC: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static URANDOM: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static MAPPING: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

fn monotonic(py: Python<'_>) -> PyResult<f64> {
    import(py, &MONOTONIC, "time", "monotonic")?.call0()?.extract()
}

/// Random octets from `os.urandom`, drawn from a pool refilled 4 KiB at a time: one
/// call into Python per 256 authenticators instead of one per packet (`build` of packet
/// A: -0.9 us, benches/python/bench_radius.py).
static POOL: std::sync::Mutex<(Vec<u8>, usize)> = std::sync::Mutex::new((Vec::new(), 0));

fn random<const N: usize>(py: Python<'_>) -> PyResult<[u8; N]> {
    let take = |pool: &mut (Vec<u8>, usize)| -> Option<[u8; N]> {
        let out: [u8; N] = pool.0.get(pool.1..pool.1 + N)?.try_into().ok()?;
        pool.1 += N;
        Some(out)
    };
    {
        let mut pool = POOL.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(out) = take(&mut pool) {
            return Ok(out);
        }
    }
    // refill without holding the lock while Python runs
    let fresh: Vec<u8> = import(py, &URANDOM, "os", "urandom")?.call1((4096,))?.extract()?;
    let mut pool = POOL.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    *pool = (fresh, 0);
    take(&mut pool).ok_or_else(|| PyValueError::new_err("os.urandom returned too few octets"))
}

pub(crate) fn random16(py: Python<'_>) -> PyResult<[u8; 16]> {
    random::<16>(py)
}

// ---------------------------------------------------------------------------------
// Secrets

/// A RADIUS shared secret, prepared once (its keyed HMAC-MD5 state is computed when it
/// is created). Pass a `Secret` wherever a secret is taken to skip that work per call;
/// `bytes` and `str` are accepted too. Its `repr` never shows the secret.
#[pyclass(frozen, module = "nacwire.radius")]
pub(crate) struct Secret {
    inner: Arc<SharedSecret>,
}

#[pymethods]
impl Secret {
    #[new]
    fn new(secret: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(Self {
            inner: secret_of(secret)?,
        })
    }

    fn __repr__(&self) -> &'static str {
        "Secret(<redacted>)"
    }
}

impl Secret {
    pub(crate) fn shared(&self) -> &Arc<SharedSecret> {
        &self.inner
    }
}

fn requirement(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Requirement> {
    let Some(obj) = obj else {
        return Ok(Requirement::Auto);
    };
    if obj.is_none() {
        return Ok(Requirement::Auto);
    }
    if let Ok(b) = obj.extract::<bool>() {
        return Ok(if b { Requirement::Yes } else { Requirement::No });
    }
    match obj.extract::<String>()?.as_str() {
        "auto" => Ok(Requirement::Auto),
        "yes" | "require" => Ok(Requirement::Yes),
        "no" => Ok(Requirement::No),
        other => Err(PyValueError::new_err(format!(
            "requirement must be True, False or \"auto\", not {other:?}"
        ))),
    }
}

// ---------------------------------------------------------------------------------
// Dictionary

#[derive(Clone)]
enum DictRef {
    Builtin(&'static Dict),
    Owned(Arc<Dict>),
}

type EnumCache = Arc<std::sync::Mutex<std::collections::HashMap<(AttrAddr, u64), Py<PyAny>>>>;

/// A dictionary and the `EnumValue` objects made for its VALUE names. They are
/// immutable, so each is made once per dictionary and shared: reading a named integer
/// costs a lookup instead of a Python constructor call (decode of packet A: -1.3 us,
/// benches/python/bench_radius.py). Bounded by the dictionary's VALUE count.
#[derive(Clone)]
pub(crate) struct DictHandle {
    dict: DictRef,
    enums: EnumCache,
}

impl DictHandle {
    fn owned(dict: Dict) -> Self {
        Self {
            dict: DictRef::Owned(Arc::new(dict)),
            enums: EnumCache::default(),
        }
    }

    fn enum_value<'py>(
        &self,
        py: Python<'py>,
        key: AttrAddr,
        n: u64,
        name: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let lock = || {
            self.enums
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        };
        if let Some(v) = lock().get(&(key, n)) {
            return Ok(v.bind(py).clone());
        }
        let v = import(py, &ENUMVALUE, "nacwire._values", "EnumValue")?.call1((n, name))?;
        lock().insert((key, n), v.clone().unbind());
        Ok(v)
    }
}

impl std::ops::Deref for DictHandle {
    type Target = Dict;
    fn deref(&self) -> &Dict {
        match &self.dict {
            DictRef::Builtin(d) => d,
            DictRef::Owned(d) => d,
        }
    }
}

static BUILTIN_ENUMS: std::sync::OnceLock<EnumCache> = std::sync::OnceLock::new();

/// A RADIUS dictionary: names, numbers, data types and VALUE names of attributes.
///
/// `Dictionary.builtin()` is embedded (RFC attributes and the common vendors);
/// `Dictionary.load(path)` reads a FreeRADIUS dictionary tree (the whole 3.2 tree
/// loads). Immutable and safe to share between threads.
#[pyclass(frozen, module = "nacwire.radius")]
pub(crate) struct Dictionary {
    inner: DictHandle,
    warnings: Vec<String>,
}

impl Dictionary {
    /// The dictionary (with its value cache) for the other modules.
    pub(crate) fn handle(&self) -> DictHandle {
        self.inner.clone()
    }

    pub(crate) fn builtin_handle() -> DictHandle {
        DictHandle {
            dict: DictRef::Builtin(Dict::builtin()),
            enums: Arc::clone(BUILTIN_ENUMS.get_or_init(EnumCache::default)),
        }
    }
}

fn load_with(
    py: Python<'_>,
    resolver: &(dyn Resolver + Sync),
    root: &str,
    strict: bool,
    base: Option<Dict>,
) -> PyResult<Dictionary> {
    let mode = if strict { Mode::Strict } else { Mode::Lenient };
    let result = py.detach(|| base.unwrap_or_default().load_more(resolver, root, mode));
    let (dict, warnings) = result.map_err(|e| errors::dict(&e))?;
    if let Some(name) = name_with_nul(&dict) {
        return Err(errors::dict_name(
            root,
            &name,
            format!("{root}: the name {name:?} contains a NUL character"),
        ));
    }
    Ok(Dictionary {
        inner: DictHandle::owned(dict),
        warnings: warnings.iter().map(ToString::to_string).collect(),
    })
}

/// A root dictionary file that could not be read (`path: cannot be read`, line 0):
/// the message gains the operating system's reason (`No such file or directory`,
/// `Permission denied`), and the `OSError` becomes its `__cause__`; any other error
/// is kept as it is.
fn unreadable_root(py: Python<'_>, path: &std::path::Path, e: PyErr) -> PyErr {
    let is_root = e.is_instance_of::<errors::DictionaryError>(py)
        && e.value(py)
            .getattr("line")
            .and_then(|l| l.extract::<usize>())
            .is_ok_and(|l| l == 0);
    if !is_root {
        return e;
    }
    let Err(io) = std::fs::File::open(path) else {
        return e;
    };
    let value = e.value(py);
    let message = format!("{}: cannot be read: {io}", path.display());
    if value.setattr("args", (message,)).is_err() {
        return e;
    }
    e.set_cause(py, Some(PyErr::from(io)));
    e
}

/// The first vendor, attribute or VALUE name of `dict` holding a NUL: such a name
/// could not be given back to `build` or a lookup (a `ValueError` there), so a
/// dictionary defining one does not load.
fn name_with_nul(dict: &Dict) -> Option<String> {
    let nul = |n: &str| n.contains('\0');
    if let Some(v) = dict.vendors().find(|v| nul(v.name())) {
        return Some(v.name().to_owned());
    }
    for a in dict.attributes() {
        if nul(a.name()) {
            return Some(a.name().to_owned());
        }
        if let Some((_, n)) = dict.values(a).and_then(|v| v.iter().find(|(_, n)| nul(n))) {
            return Some(n.to_owned());
        }
    }
    None
}

/// The dictionary a load starts from: `on`, the built-in one, or none.
fn base_of(on_builtin: bool, on: Option<&Bound<'_, Dictionary>>) -> PyResult<Option<Dict>> {
    match (on_builtin, on) {
        (true, Some(_)) => Err(PyValueError::new_err(
            "on_builtin=True and on= both name the dictionary to load on top of: give one",
        )),
        (true, None) => Ok(Some(Dict::builtin().clone())),
        (false, Some(d)) => Ok(Some((*d.get().inner).clone())),
        (false, None) => Ok(None),
    }
}

#[pymethods]
impl Dictionary {
    /// The built-in dictionary (embedded; no files read).
    #[staticmethod]
    fn builtin() -> Self {
        Self {
            inner: Self::builtin_handle(),
            warnings: Vec::new(),
        }
    }

    /// Loads a FreeRADIUS dictionary file and everything it `$INCLUDE`s; a directory
    /// (`"/usr/share/freeradius"`, as `radiusd -d` and `nacwire --dict-dir` take it)
    /// loads its `dictionary` file.
    ///
    /// `on=` loads the files on top of a dictionary already loaded (a site dictionary
    /// over the FreeRADIUS tree); `on_builtin=True` on top of the built-in one. The
    /// files on top are authoritative for the attributes they define: an `ATTRIBUTE`
    /// of the base, by name, is replaced by the new definition. A `VENDOR` of the base
    /// under another number is an error (the FreeRADIUS tree already defines vendors
    /// such as `Acme`), as is a name defined twice within the files loaded.
    /// `strict=False` skips recoverable problems (a VALUE for an unknown
    /// attribute, an unknown flag, a duplicate definition) and reports them in
    /// `warnings`; a line that does not parse still raises `DictionaryError` (with
    /// `file`, `line`, `column`, `token`). A path with a NUL character is a
    /// `ValueError`. The GIL is released while loading.
    #[staticmethod]
    #[pyo3(signature = (path, *, strict = true, on_builtin = false, on = None))]
    fn load(
        py: Python<'_>,
        #[pyo3(from_py_with = crate::convert::path_arg)] path: std::path::PathBuf,
        strict: bool,
        on_builtin: bool,
        on: Option<&Bound<'_, Self>>,
    ) -> PyResult<Self> {
        let base = base_of(on_builtin, on)?;
        let path = if path.is_dir() {
            path.join("dictionary")
        } else {
            path
        };
        load_with(py, &FsResolver, &path.to_string_lossy(), strict, base)
            .map_err(|e| unreadable_root(py, &path, e))
    }

    /// Parses dictionary text given as a string (`$INCLUDE` is not available);
    /// `strict`, `on_builtin` and `on` as for `load`.
    #[staticmethod]
    #[pyo3(signature = (text, *, strict = true, on_builtin = false, on = None))]
    fn parse(
        py: Python<'_>,
        text: &str,
        strict: bool,
        on_builtin: bool,
        on: Option<&Bound<'_, Self>>,
    ) -> PyResult<Self> {
        let mut r = radius_dict::MemoryResolver::new();
        r.insert("dictionary", text);
        let base = base_of(on_builtin, on)?;
        load_with(py, &r, "dictionary", strict, base)
    }

    /// Problems skipped by a lenient load, as text (`file:line: message`).
    #[getter]
    fn warnings(&self) -> Vec<String> {
        self.warnings.clone()
    }

    fn __len__(&self) -> usize {
        self.inner.attr_count()
    }

    fn __contains__(&self, name: &str) -> PyResult<bool> {
        Ok(self.inner.attr(no_nul("attribute name", name)?).is_some())
    }

    /// The definition of an attribute by name, or `None` (`ValueError` for a name
    /// with a NUL character).
    fn attribute(&self, name: &str) -> PyResult<Option<AttributeDef>> {
        let name = no_nul("attribute name", name)?;
        Ok(self.inner.attr(name).map(|d| AttributeDef::of(&self.inner, d)))
    }

    /// Every attribute name, in definition order.
    fn attribute_names(&self) -> Vec<String> {
        self.inner.attributes().map(|a| a.name().to_string()).collect()
    }

    /// The attribute names closest to `name`, a misspelt one (`User-Nmae` gives
    /// `["User-Name"]`); empty when none is close or `name` is defined (radius-dict's
    /// `Dictionary::suggest_attributes`, as the command line's "did you mean").
    fn suggest(&self, name: &str) -> PyResult<Vec<String>> {
        let name = no_nul("attribute name", name)?;
        Ok(self
            .inner
            .suggest_attributes(name)
            .into_iter()
            .map(str::to_string)
            .collect())
    }

    /// Vendor names and their numbers.
    fn vendors<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for v in self.inner.vendors() {
            d.set_item(v.name(), v.id().0)?;
        }
        Ok(d)
    }

    fn __repr__(&self) -> String {
        let kind = match self.inner.dict {
            DictRef::Builtin(_) => "builtin",
            DictRef::Owned(_) => "loaded",
        };
        format!(
            "<Dictionary {kind}: {} attributes, {} vendors, {} values>",
            self.inner.attr_count(),
            self.inner.vendors().count(),
            self.inner.value_count()
        )
    }
}

/// What a dictionary says about one attribute. Equal (and hashed alike) when every
/// field is.
#[pyclass(frozen, get_all, module = "nacwire.radius")]
#[derive(PartialEq, Eq, Hash)]
pub(crate) struct AttributeDef {
    /// The name.
    name: String,
    /// The vendor number (0 for standard attributes).
    vendor: u32,
    /// The numeric path (type, then sub-types of extended/TLV attributes).
    path: Vec<u32>,
    /// The FreeRADIUS data type name (`string`, `integer`, `ipaddr`, ...).
    data_type: String,
    /// Whether it takes an RFC 2868 tag.
    tagged: bool,
    /// Hiding: `None`, `"user-password"`, `"salted"` or `"ascend-secret"`.
    encrypt: Option<&'static str>,
    /// VALUE names and their numbers.
    values: Vec<(String, u64)>,
}

impl AttributeDef {
    fn of(dict: &Dict, d: &AttrDef) -> Self {
        let key = d.addr();
        Self {
            name: d.name().to_string(),
            vendor: key.vendor().0,
            path: key.path().to_vec(),
            data_type: d.data_type().name().to_string(),
            tagged: d.flags().has_tag,
            encrypt: match d.flags().encrypt {
                radius_dict::Encrypt::None => None,
                radius_dict::Encrypt::UserPassword => Some("user-password"),
                radius_dict::Encrypt::Salted => Some("salted"),
                radius_dict::Encrypt::AscendSecret => Some("ascend-secret"),
                _ => Some("other"),
            },
            values: dict
                .values(d)
                .map(|v| v.iter().map(|(n, s)| (s.to_string(), n)).collect())
                .unwrap_or_default(),
        }
    }
}

#[pymethods]
impl AttributeDef {
    fn __repr__(&self) -> String {
        let key = AttrAddr::new(radius_codec::VendorId(self.vendor), &self.path)
            .map(|k| k.to_string())
            .unwrap_or_default();
        format!("<AttributeDef {} {} {}>", self.name, key, self.data_type)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<Self>().is_ok_and(|o| o.get() == self)
    }

    fn __hash__(&self) -> u64 {
        hash_of(self)
    }
}

// ---------------------------------------------------------------------------------
// Values: Rust -> Python

fn value_to_py<'py>(
    py: Python<'py>,
    dict: &DictHandle,
    def: Option<&AttrDef>,
    value: &Value<'_>,
) -> PyResult<Bound<'py, PyAny>> {
    let named = |n: u64| -> PyResult<Option<Bound<'py, PyAny>>> {
        let Some(d) = def else { return Ok(None) };
        let Some(name) = dict.values(d).and_then(|v| v.name(n)) else {
            return Ok(None);
        };
        dict.enum_value(py, d.addr(), n, name).map(Some)
    };
    let int = |n: u64| -> PyResult<Bound<'py, PyAny>> {
        match named(n)? {
            Some(v) => Ok(v),
            None => Ok(n.into_pyobject(py)?.into_any()),
        }
    };
    Ok(match value {
        Value::String(b) => match std::str::from_utf8(b) {
            Ok(s) => PyString::new(py, s).into_any(),
            Err(_) => PyBytes::new(py, b).into_any(),
        },
        Value::Octets(b)
        | Value::Abinary(b)
        | Value::Tlv(b)
        | Value::Vsa(b)
        | Value::Extended(b)
        | Value::LongExtended(b)
        | Value::Evs(b) => PyBytes::new(py, b).into_any(),
        Value::Integer(v) => int(u64::from(*v))?,
        Value::Integer64(v) => int(*v)?,
        Value::Short(v) => int(u64::from(*v))?,
        Value::Byte(v) => int(u64::from(*v))?,
        Value::Signed(v) => v.into_pyobject(py)?.into_any(),
        Value::Date(v) => {
            let utc = crate::convert::utc(py)?;
            let datetime = import(py, &DATETIME, "datetime", "datetime")?;
            FROMTS
                .get_or_try_init(py, || datetime.getattr("fromtimestamp").map(Bound::unbind))?
                .bind(py)
                .call1((*v, utc))?
        }
        Value::IpAddr(a) => py_ipv4(py, *a)?,
        Value::Ipv6Addr(a) => py_ipv6(py, *a)?,
        Value::ComboIp(IpAddr::V4(a)) => py_ipv4(py, *a)?,
        Value::ComboIp(IpAddr::V6(a)) => py_ipv6(py, *a)?,
        Value::Ipv4Prefix(a, l) => py_ipv4net(py, *a, *l)?,
        Value::Ipv6Prefix(a, l) => py_ipv6net(py, *a, *l)?,
        Value::Ifid(b) => PyBytes::new(py, b).into_any(),
        Value::Ether(m) => PyString::new(
            py,
            &format!(
                "{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
                m[0], m[1], m[2], m[3], m[4], m[5]
            ),
        )
        .into_any(),
        _ => py.None().into_bound(py),
    })
}

// ---------------------------------------------------------------------------------
// Values: Python -> Rust

/// Converts a Python value to the attribute's data type.
///
/// `str` is the FreeRADIUS text form for every type but `string`/`octets`, where it
/// is sent exactly as given (UTF-8); `bytes` is sent as is for `string`, `octets` and
/// the raw types; `int` fills the integer types and `date`; `ipaddress` objects fill
/// address and prefix types; `datetime` fills `date`.
fn value_from_py(dict: &Dict, def: &AttrDef, obj: &Bound<'_, PyAny>) -> PyResult<Value<'static>> {
    let t = def.data_type();
    let wrong = |what: &str| {
        let article = if what.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        errors::build_for(
            def.name(),
            format!(
                "{}: {article} {what} is not a valid {} value",
                def.name(),
                t.name()
            ),
        )
    };
    if let Ok(b) = obj.cast::<PyBytes>() {
        let v = b.as_bytes().to_vec();
        return Ok(match t {
            DataType::String => Value::String(Cow::Owned(v)),
            DataType::Octets => Value::Octets(Cow::Owned(v)),
            DataType::Abinary => Value::Abinary(Cow::Owned(v)),
            DataType::Tlv => Value::Tlv(Cow::Owned(v)),
            DataType::Vsa => Value::Vsa(Cow::Owned(v)),
            DataType::Extended => Value::Extended(Cow::Owned(v)),
            DataType::LongExtended => Value::LongExtended(Cow::Owned(v)),
            DataType::Evs => Value::Evs(Cow::Owned(v)),
            DataType::Ifid => Value::Ifid(
                v.try_into()
                    .map_err(|_| wrong("bytes of a length other than 8"))?,
            ),
            DataType::Ether => Value::Ether(
                v.try_into()
                    .map_err(|_| wrong("bytes of a length other than 6"))?,
            ),
            _ => return Err(wrong("bytes")),
        });
    }
    if let Ok(s) = obj.cast::<PyString>() {
        let s = s.to_str()?;
        return match t {
            // data, not dictionary syntax: sent exactly as given
            DataType::String => Ok(Value::String(Cow::Owned(s.as_bytes().to_vec()))),
            DataType::Octets => Ok(Value::Octets(Cow::Owned(s.as_bytes().to_vec()))),
            _ => dict
                .parse_value(def, no_nul(&format!("{} value", def.name()), s)?)
                .map_err(errors::text_err),
        };
    }
    if obj.is_instance_of::<pyo3::types::PyBool>() {
        // an int to Python, but no RADIUS type is a truth value: a flag passed where a
        // number was meant (`{"Session-Timeout": enabled}`) would send 0 or 1
        return Err(wrong("bool"));
    }
    if obj.is_instance_of::<pyo3::types::PyInt>() {
        let too_big = || {
            errors::build_for(
                def.name(),
                format!("{}: {obj} is out of range for {}", def.name(), t.name()),
            )
        };
        return Ok(match t {
            DataType::Integer => Value::Integer(obj.extract().map_err(|_| too_big())?),
            DataType::Date => Value::Date(obj.extract().map_err(|_| too_big())?),
            DataType::Integer64 => Value::Integer64(obj.extract().map_err(|_| too_big())?),
            DataType::Signed => Value::Signed(obj.extract().map_err(|_| too_big())?),
            DataType::Short => Value::Short(obj.extract().map_err(|_| too_big())?),
            DataType::Byte => Value::Byte(obj.extract().map_err(|_| too_big())?),
            _ => return Err(wrong("int")),
        });
    }
    if obj.hasattr("timestamp")? && obj.hasattr("tzinfo")? {
        if t != DataType::Date {
            return Err(wrong("datetime"));
        }
        let ts: f64 = crate::convert::aware_timestamp(obj)?;
        if !(0.0..=f64::from(u32::MAX)).contains(&ts) {
            return Err(errors::build_for(
                def.name(),
                format!("{}: date out of the 32-bit range", def.name()),
            ));
        }
        return Ok(Value::Date(ts as u32));
    }
    // ipaddress objects and anything else with a FreeRADIUS text form
    let text = obj.str()?.to_str()?.to_owned();
    match t {
        DataType::String | DataType::Octets => Err(wrong(&obj.get_type().name()?.to_string())),
        _ => dict
            .parse_value(def, no_nul(&format!("{} value", def.name()), &text)?)
            .map_err(errors::text_err),
    }
}

// ---------------------------------------------------------------------------------
// Attribute keys from Python

/// `name` (an attribute or VALUE name, or a value's text form) unless it holds a NUL:
/// no dictionary can define such a name, and a message printing it raw would show a
/// truncated name, so it is a `ValueError` with the name escaped.
pub(crate) fn no_nul<'s>(what: &str, name: &'s str) -> PyResult<&'s str> {
    if name.contains('\0') {
        return Err(PyValueError::new_err(format!(
            "{what} {name:?} contains a NUL character"
        )));
    }
    Ok(name)
}

/// A key as given from Python: a name (with an optional `:tag`), a standard type
/// number, or a `(vendor, type, ...)` tuple. A name the dictionary does not define
/// may be FreeRADIUS's raw name of an attribute (`Attr-26.9999.1`, as
/// `Packet.text()` and radclient print unknown attributes), and a number or tuple the
/// dictionary does not define is that raw attribute: its value is then octets.
fn resolve<'d>(dict: &'d Dict, key: &Bound<'_, PyAny>) -> PyResult<(Cow<'d, AttrDef>, Option<u8>)> {
    if let Ok(s) = key.cast::<PyString>() {
        let s = no_nul("attribute name", s.to_str()?)?;
        let (base, tag) = split_name_tag(s).map_err(errors::build)?;
        let def = dict.attr_or_raw(base).map_err(|e| match e.kind() {
            radius_dict::ErrorKind::UnknownAttribute => errors::unknown_attribute(base, e.suggestions()),
            _ => errors::text_err(e),
        })?;
        return Ok((def, tag));
    }
    let k = key_of(key)?;
    match dict.attr_by_addr(k) {
        Some(def) => Ok((Cow::Borrowed(def), None)),
        None => {
            let def = dict
                .raw_attr(&k.to_string())
                .map_err(|e| errors::build(format!("the dictionary has no attribute {k}, and {e}")))?;
            Ok((Cow::Owned(def), None))
        }
    }
}

fn split_name_tag(name: &str) -> Result<(&str, Option<u8>), String> {
    match name.rsplit_once(':') {
        Some((n, t)) if !t.is_empty() && t.bytes().all(|c| c.is_ascii_digit()) => match t.parse::<u8>() {
            Ok(tag) if tag <= 31 => Ok((n, Some(tag))),
            _ => Err(format!("{n}: tag {t} is outside 0..=31")),
        },
        _ => Ok((name, None)),
    }
}

fn key_of(key: &Bound<'_, PyAny>) -> PyResult<AttrAddr> {
    if key.is_instance_of::<pyo3::types::PyBool>() {
        // an int to Python, but `packet[True]` reading User-Name (type 1) is a mistake
        return Err(PyTypeError::new_err(
            "an attribute key is a name, a type number or a (vendor, type, ...) tuple, not a bool",
        ));
    }
    if let Ok(n) = key.extract::<u32>() {
        return AttrAddr::new(radius_codec::VendorId(0), &[n])
            .ok_or_else(|| PyValueError::new_err("bad attribute number"));
    }
    if let Ok(t) = key.cast::<PyTuple>() {
        let nums: Vec<u32> = t.extract()?;
        if let [vendor, path @ ..] = nums.as_slice() {
            if let Some(k) = AttrAddr::new(radius_codec::VendorId(*vendor), path) {
                return Ok(k);
            }
        }
        return Err(PyValueError::new_err(
            "an attribute key tuple is (vendor, type, ...) with 1 to 5 numbers after the vendor",
        ));
    }
    Err(PyTypeError::new_err(
        "an attribute key is a name, a type number or a (vendor, type, ...) tuple",
    ))
}

// ---------------------------------------------------------------------------------
// Building

/// An attribute converted from Python, ready to be added without the GIL.
pub(crate) enum Prepared {
    /// A typed value of a dictionary attribute.
    Typed {
        key: AttrAddr,
        tag: Option<u8>,
        value: Value<'static>,
        /// The definition of a raw attribute (one the dictionary does not define, or
        /// named by FreeRADIUS's raw name), which the dictionary cannot look up again.
        raw: Option<AttrDef>,
    },
    /// CHAP-Password given as the cleartext password: the CHAP response is computed
    /// over the Request Authenticator (RFC 1994, RFC 2865 5.3).
    Chap(Vec<u8>),
}

/// Converts `(key, value)` pairs (or a mapping of key -> value or list of values).
pub(crate) fn prepare_attributes(
    dict: &Dict,
    attributes: Option<&Bound<'_, PyAny>>,
) -> PyResult<Vec<Prepared>> {
    let Some(attributes) = attributes else {
        return Ok(Vec::new());
    };
    // a `dict`, or any other mapping (`types.MappingProxyType`, a
    // `collections.abc.Mapping`): iterating one gives its keys, not pairs
    let mapping = if let Ok(d) = attributes.cast::<PyDict>() {
        Some(d.clone())
    } else if attributes.is_instance(&import(attributes.py(), &MAPPING, "collections.abc", "Mapping")?)? {
        let d = PyDict::new(attributes.py());
        for item in attributes.call_method0("items")?.try_iter()? {
            let (k, val): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item?.extract()?;
            d.set_item(k, val)?;
        }
        Some(d)
    } else {
        None
    };
    let pairs: Vec<(Bound<'_, PyAny>, Bound<'_, PyAny>)> = if let Some(d) = mapping {
        let mut v = Vec::new();
        for (k, val) in d.iter() {
            if val.is_instance_of::<PyList>() {
                for item in val.try_iter()? {
                    v.push((k.clone(), item?));
                }
            } else {
                v.push((k, val));
            }
        }
        v
    } else {
        let mut v = Vec::new();
        for item in attributes.try_iter()? {
            let item = item?;
            let (k, val): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item.extract().map_err(|_| {
                PyTypeError::new_err("attributes are (key, value) pairs or a mapping of key to value")
            })?;
            v.push((k, val));
        }
        v
    };
    let mut out = Vec::with_capacity(pairs.len());
    for (k, val) in pairs {
        let (def, mut tag) = resolve(dict, &k)?;
        let mut val = val;
        if let Ok(t) = val.cast::<PyTuple>() {
            if t.len() == 2 && def.flags().has_tag {
                let given = t.get_item(0)?;
                if !given.is_instance_of::<pyo3::types::PyInt>() {
                    return Err(PyTypeError::new_err(format!("{}: a tag is an int", def.name())));
                }
                let n = given.extract::<u8>().ok().filter(|n| *n <= 31).ok_or_else(|| {
                    errors::build_for(
                        def.name(),
                        format!("{}: tag {given} is outside 0..=31", def.name()),
                    )
                })?;
                tag = Some(n);
                val = t.get_item(1)?;
            }
        }
        if def.addr() == AttrAddr::standard(3) {
            if let Ok(password) = val.cast::<PyString>() {
                out.push(Prepared::Chap(password.to_str()?.as_bytes().to_vec()));
                continue;
            }
        }
        let value = match (&def, val.cast::<PyString>()) {
            // a raw attribute's text is FreeRADIUS's: `0x` and hex digits
            (Cow::Owned(raw), Ok(text)) => dict.parse_value(raw, text.to_str()?).map_err(errors::text_err)?,
            _ => value_from_py(dict, &def, &val)?,
        };
        out.push(Prepared::Typed {
            key: def.addr(),
            tag,
            value,
            raw: match def {
                Cow::Owned(raw) => Some(raw),
                Cow::Borrowed(_) => None,
            },
        });
    }
    Ok(out)
}

/// Why prepared attributes could not be added (mapped to Python after the GIL is back).
pub(crate) enum AddError {
    Dict(radius_dict::Error),
    Codec(radius_codec::Error),
    Unsupported(String),
}

impl AddError {
    pub(crate) fn into_py(self) -> PyErr {
        match self {
            Self::Dict(e) => errors::text_err(e),
            Self::Codec(e) => errors::codec(e),
            Self::Unsupported(m) => errors::build(m),
        }
    }
}

/// Adds prepared attributes to `b`. `clear` sends hidden attributes unobfuscated, as
/// RADIUS/1.1 requires (RFC 9765: TLS protects them; there is no MD5 obfuscation).
pub(crate) fn apply_attributes(
    dict: &Dict,
    b: &mut PacketBuilder,
    prepared: &[Prepared],
    hiding: Option<&Hiding<'_>>,
    clear: bool,
) -> Result<(), AddError> {
    // (each salt-encrypted attribute gets a salt of its own: radius-dict's add_typed
    // takes the first from `hiding`, the next ones from PacketBuilder::claim_salt)
    for p in prepared {
        match p {
            Prepared::Chap(password) => {
                let ident = b.hidden_vector()[15];
                b.add_chap_password(ident, password).map_err(AddError::Codec)?;
            }
            Prepared::Typed { key, tag, value, raw } => {
                let def = match raw {
                    Some(raw) => raw,
                    None => dict.attr_by_addr(*key).ok_or_else(|| {
                        AddError::Unsupported(format!("the dictionary has no attribute {key}"))
                    })?,
                };
                if clear && def.flags().encrypt != radius_dict::Encrypt::None {
                    add_clear(b, def, *tag, value)?;
                } else {
                    dict.add_typed(b, def, *tag, value, hiding)
                        .map_err(AddError::Dict)?;
                }
            }
        }
    }
    Ok(())
}

/// A hidden attribute sent in clear (RADIUS/1.1): standard attributes only
/// (User-Password, Tunnel-Password, ...), tag octet first where the attribute has one.
fn add_clear(
    b: &mut PacketBuilder,
    def: &AttrDef,
    tag: Option<u8>,
    value: &Value<'_>,
) -> Result<(), AddError> {
    let key = def.addr();
    let (0, [n]) = (key.vendor().0, key.path()) else {
        return Err(AddError::Unsupported(format!(
            "{}: hidden vendor attributes are not supported over RADIUS/1.1 here",
            def.name()
        )));
    };
    let typ = u8::try_from(*n)
        .map_err(|_| AddError::Unsupported(format!("{}: not a standard attribute", def.name())))?;
    let mut bytes = Vec::new();
    if def.flags().has_tag {
        bytes.push(tag.unwrap_or(0));
    }
    value.encode(&mut bytes).map_err(AddError::Codec)?;
    b.add(AttrType(typ), &bytes).map_err(AddError::Codec)?;
    Ok(())
}

/// Adds `(key, value)` pairs (or a mapping of key -> value or list of values) to `b`.
fn add_attributes(
    dict: &Dict,
    b: &mut PacketBuilder,
    attributes: Option<&Bound<'_, PyAny>>,
    hiding: Option<&Hiding<'_>>,
) -> PyResult<()> {
    let prepared = prepare_attributes(dict, attributes)?;
    apply_attributes(dict, b, &prepared, hiding, false).map_err(AddError::into_py)
}

pub(crate) fn code_of(obj: &Bound<'_, PyAny>) -> PyResult<Code> {
    if obj.is_instance_of::<pyo3::types::PyBool>() {
        return Err(PyTypeError::new_err(
            "a packet code is an int or a name, not a bool",
        ));
    }
    if obj.is_instance_of::<pyo3::types::PyInt>() {
        let n: u8 = obj
            .extract()
            .map_err(|_| PyValueError::new_err(format!("packet code {obj} is outside 0..=255")))?;
        return Ok(Code::new(n));
    }
    let name: String = obj
        .extract()
        .map_err(|_| PyTypeError::new_err("a packet code is an int or a name"))?;
    (0..=255u8)
        .map(Code::new)
        .find(|c| c.name().is_some_and(|n| n.eq_ignore_ascii_case(&name)))
        .ok_or_else(|| PyValueError::new_err(format!("unknown packet code {name:?}")))
}

pub(crate) fn salt_of(py: Python<'_>, salt: Option<u16>) -> PyResult<u16> {
    match salt {
        Some(s) => Ok(s),
        None => {
            let r = random::<2>(py)?;
            Ok(u16::from_be_bytes(r) | 0x8000)
        }
    }
}

/// Adds Message-Authenticator (`Some(true)`), leaves it out (`Some(false)`) or keeps
/// the builder's default for the code (`None`).
fn choose_message_authenticator(b: &mut PacketBuilder, choice: Option<bool>) {
    match choice {
        Some(true) => {
            b.add_message_authenticator();
        }
        Some(false) => {
            b.without_message_authenticator();
        }
        None => {}
    }
}

/// The end of `build` and `reply`: the Message-Authenticator choice, the attributes
/// (hidden with `secret` and `salt`), then lengths and authenticators.
fn finish_built(
    py: Python<'_>,
    mut b: PacketBuilder,
    dict: &Dict,
    attributes: Option<&Bound<'_, PyAny>>,
    message_authenticator: Option<bool>,
    secret: &SharedSecret,
    salt: Option<u16>,
) -> PyResult<Vec<u8>> {
    choose_message_authenticator(&mut b, message_authenticator);
    let hiding = Hiding {
        secret,
        salt: salt_of(py, salt)?,
    };
    add_attributes(dict, &mut b, attributes, Some(&hiding))?;
    b.finish(secret).map_err(errors::codec)
}

/// Builds a packet of any code by attribute names and typed values.
///
/// `code` is a number or a name (`"Access-Request"`, `"coa-request"`: any case).
/// `attributes` are `(key, value)` pairs or a mapping; a list value adds the attribute
/// once per item, in order. A key is a name (`"Tunnel-Type:1"` for tag 1), a standard
/// type number, or a `(vendor, type, ...)` tuple. A value is `str` (sent as given for
/// string and octets attributes; the FreeRADIUS text form for the other types, VALUE
/// names included), `bytes`, `int`, an `ipaddress` address or network, an aware
/// `datetime` for dates (a naive one, read by Python in the local time zone, is a
/// `ValueError`), or `(tag, value)` for a tagged attribute. CHAP-Password given as `str`
/// is the cleartext password: the CHAP response is computed. Hidden attributes
/// (User-Password, Tunnel-Password, ...) are hidden with `secret` (and `salt`, random
/// by default).
///
/// The Request Authenticator is random for Access-Request and Status-Server (or
/// `authenticator`, 16 bytes) and computed for the other requests.
/// Message-Authenticator goes first in Access-* and Status-Server packets;
/// `message_authenticator=True` adds it to any code, `False` leaves it out.
///
/// Raises `BuildError` (unknown name, a value of the wrong type or out of range, a
/// packet over 4096 octets), `TypeError` for arguments of the wrong type and
/// `ValueError` for a bad `code`, `identifier` (0..=255), `authenticator` or
/// `salt` (0..=65535), and for an attribute name (or a value given as text for a
/// type other than string and octets) holding a NUL character.
#[pyfunction]
#[pyo3(signature = (code, secret, attributes = None, *, identifier = 0, authenticator = None,
                    dictionary = None, message_authenticator = None, salt = None))]
#[allow(clippy::too_many_arguments)]
fn build(
    py: Python<'_>,
    code: &Bound<'_, PyAny>,
    secret: &Bound<'_, PyAny>,
    attributes: Option<&Bound<'_, PyAny>>,
    #[pyo3(from_py_with = crate::convert::identifier_arg)] identifier: u8,
    authenticator: Option<&[u8]>,
    dictionary: Option<&Bound<'_, Dictionary>>,
    message_authenticator: Option<bool>,
    #[pyo3(from_py_with = crate::convert::opt_u16_arg)] salt: Option<u16>,
) -> PyResult<Packet> {
    let code = code_of(code)?;
    let secret = secret_of(secret)?;
    let dict = dictionary.map_or_else(Dictionary::builtin_handle, |d| d.get().inner.clone());
    // taken as bytes: a `[u8; 16]` argument would be extracted element by element
    let authenticator: Option<[u8; 16]> = authenticator
        .map(|a| {
            a.try_into()
                .map_err(|_| PyValueError::new_err("the authenticator is 16 octets"))
        })
        .transpose()?;
    let auth = match (authenticator, code.authenticator_kind()) {
        (Some(a), _) => a,
        (None, AuthenticatorKind::Random) => random16(py)?,
        (None, _) => [0; 16],
    };
    let b = PacketBuilder::new(code, identifier, auth);
    let bytes = finish_built(py, b, &dict, attributes, message_authenticator, &secret, salt)?;
    Packet::from_vec(bytes, dict, Some((secret, None)))
}

/// Builds a reply to `request`: same Identifier, every Proxy-State copied, the
/// Response Authenticator computed with `secret`, Message-Authenticator first for
/// Access-* replies or when the request carried one (`message_authenticator` as for
/// `build`). `attributes` and the errors are those of `build`; the request's
/// dictionary is used unless `dictionary` is given.
///
/// `code` must answer the request's code (`ValueError` naming both otherwise):
/// Access-Accept/Reject/Challenge answer Access-Request, Accounting-Response answers
/// Accounting-Request, Access-Accept, Access-Reject or Accounting-Response answer
/// Status-Server, Disconnect-ACK/NAK answer Disconnect-Request, CoA-ACK/NAK answer
/// CoA-Request, and Protocol-Error answers any request. (To test a client with a
/// mismatched reply, use `build(code, secret, identifier=request.identifier,
/// authenticator=request.authenticator)`.)
#[pyfunction]
#[pyo3(signature = (request, code, secret, attributes = None, *, dictionary = None,
                    message_authenticator = None, salt = None))]
#[allow(clippy::too_many_arguments)]
fn reply(
    py: Python<'_>,
    request: &Bound<'_, Packet>,
    code: &Bound<'_, PyAny>,
    secret: &Bound<'_, PyAny>,
    attributes: Option<&Bound<'_, PyAny>>,
    dictionary: Option<&Bound<'_, Dictionary>>,
    message_authenticator: Option<bool>,
    #[pyo3(from_py_with = crate::convert::opt_u16_arg)] salt: Option<u16>,
) -> PyResult<Packet> {
    let code = code_of(code)?;
    let secret = secret_of(secret)?;
    let req = request.get();
    let dict = dictionary.map_or_else(|| req.dict.clone(), |d| d.get().inner.clone());
    let view = CodecPacket::new_unchecked(&req.data[..]);
    check_reply_code(view.code(), code)?;
    let b = PacketBuilder::reply_to(&view, code);
    let bytes = finish_built(py, b, &dict, attributes, message_authenticator, &secret, salt)?;
    Packet::from_vec(bytes, dict, Some((secret, Some(view.authenticator()))))
}

/// `reply` answers a request of code `request` (RFC 2865 §4, RFC 2866 §4, RFC 5176
/// §3, RFC 5997 §3, RFC 7930 §4), or a `ValueError` naming both codes and the ones
/// that answer it. A request of a code no RFC defines may be answered by any code.
fn check_reply_code(request: Code, reply: Code) -> PyResult<()> {
    if matches!(request, Code::Unknown(_)) || request.accepts_reply(reply) {
        return Ok(());
    }
    if !request.is_request() {
        return Err(PyValueError::new_err(format!(
            "{reply} cannot answer {request}: {request} is not a request"
        )));
    }
    let answers: Vec<String> = (0..=255u8)
        .map(Code::new)
        .filter(|c| !matches!(c, Code::Unknown(_)) && request.accepts_reply(*c))
        .map(|c| c.to_string())
        .collect();
    Err(PyValueError::new_err(format!(
        "{reply} does not answer {request} (it is answered by {})",
        answers.join(", ")
    )))
}

// ---------------------------------------------------------------------------------
// Packet

/// A validated RADIUS packet (immutable). Attributes are decoded on access.
///
/// Create one with `Packet.decode(data)` (validates every attribute once), `build()`
/// or `reply()`. With a secret (and, for replies, the request), hidden values such as
/// User-Password and Tunnel-Password are revealed when read.
///
/// Read it like a mapping with repeated keys: `packet["User-Name"]` (the first
/// value, `KeyError` when absent; `ValueError` for a name with a NUL character; names
/// case-insensitive, `"Tunnel-Type:1"` for tag 1's values without the tag),
/// `get`, `get_all`, `in`, `keys()`/iteration (names
/// in wire order, once per attribute), `items()`, `to_dict()`, `attributes()` (with
/// numbers and tags). Values: `str` (`bytes` when a text attribute is not UTF-8),
/// `bytes`, `int` (an `EnumValue` when the dictionary names it), `ipaddress` objects,
/// `datetime` (UTC), `(tag, value)` for tagged attributes. Equal and hashed by its
/// bytes; not picklable (pickle `bytes(packet)`).
#[pyclass(frozen, module = "nacwire.radius")]
pub(crate) struct Packet {
    pub(crate) data: Vec<u8>,
    dict: DictHandle,
    /// The secret for hidden values, and the request's header when this is a reply.
    hiding: Option<(Arc<SharedSecret>, Option<Vec<u8>>)>,
    /// Hidden attributes travel in clear (RADIUS/1.1, RFC 9765): read them as such.
    clear_hidden: bool,
}

impl Packet {
    pub(crate) fn from_vec(
        data: Vec<u8>,
        dict: DictHandle,
        secret: Option<(Arc<SharedSecret>, Option<[u8; 16]>)>,
    ) -> PyResult<Self> {
        // The top-level attribute list is checked; a Vendor-Specific or extended
        // attribute whose structure does not parse is read as a malformed attribute
        // (FreeRADIUS 3.2's raw `Attr-26`, `Attr-245`, `Attr-241.26`), not a reason to
        // refuse the packet.
        CodecPacket::new_checked(&data[..]).map_err(errors::codec)?;
        // The request's header is all a reply's hidden values need (its Request
        // Authenticator): kept as a 20-octet packet for `Dictionary::decode_reply`.
        let hiding = secret.map(|(s, request_auth)| {
            (
                s,
                request_auth.map(|a| {
                    let mut header = vec![1, 0, 0, 20];
                    header.extend_from_slice(&a);
                    header
                }),
            )
        });
        Ok(Self {
            data,
            dict,
            hiding,
            clear_hidden: false,
        })
    }

    fn view(&self) -> CodecPacket<&[u8]> {
        // validated in `from_vec`
        CodecPacket::new_unchecked(&self.data[..])
    }

    /// The packet of a RADIUS/1.1 connection: hidden attributes are in clear.
    pub(crate) const fn with_clear_hidden(mut self) -> Self {
        self.clear_hidden = true;
        self
    }

    fn decoded(&self) -> Vec<Decoded<'_, '_>> {
        let mut all = match &self.hiding {
            None => self.dict.decode(&self.view(), None),
            Some((secret, request)) => {
                let hiding = Hiding { secret, salt: 0 };
                match request {
                    Some(r) => self.dict.decode_reply(
                        &self.view(),
                        &CodecPacket::new_unchecked(&r[..]),
                        Some(&hiding),
                    ),
                    None => self.dict.decode(&self.view(), Some(&hiding)),
                }
            }
        };
        if self.clear_hidden {
            for d in &mut all {
                let (Some(def), Value::Octets(raw)) = (d.def, &d.value) else {
                    continue;
                };
                if def.flags().encrypt == radius_dict::Encrypt::None {
                    continue;
                }
                let (tag, body) = match (def.flags().has_tag, raw.split_first()) {
                    (true, Some((t, rest))) if *t <= 0x1f => ((*t != 0).then_some(*t), rest),
                    _ => (None, &raw[..]),
                };
                if let Ok(v) = Value::decode(def.data_type(), body).map(Value::into_owned) {
                    d.tag = tag;
                    d.value = v;
                }
            }
        }
        all
    }

    /// An attribute's value: a hidden value that was not revealed is its octets after
    /// the tag octet (the tag is given apart, as for every tagged attribute: the salt
    /// and ciphertext of a Tunnel-Password, as `text()` prints them).
    fn value<'py>(&self, py: Python<'py>, d: &Decoded<'_, '_>) -> PyResult<Bound<'py, PyAny>> {
        match d.hidden_octets().filter(|_| !self.clear_hidden) {
            Some(octets) => Ok(PyBytes::new(py, octets).into_any()),
            None => value_to_py(py, &self.dict, d.def, &d.value),
        }
    }

    /// The value as read by name: `(tag, value)` for a tagged attribute, unless the key
    /// named the tag (`"Tunnel-Type:1"`).
    fn entry<'py>(&self, py: Python<'py>, d: &Decoded<'_, '_>, key: &Key) -> PyResult<Bound<'py, PyAny>> {
        let v = self.value(py, d)?;
        match (d.tag, key) {
            (_, Key::Name(_, Some(_))) => Ok(v),
            (Some(t), _) => Ok(PyTuple::new(py, [t.into_pyobject(py)?.into_any(), v])?.into_any()),
            (None, _) => Ok(v),
        }
    }

    /// A key as given to `get`, `get_all`, `[]` and `in`: a name (case-insensitive,
    /// as the dictionary's and `build`'s; `"Tunnel-Type:1"` for one tag, `:0` for
    /// none), a type number or a `(vendor, type, ...)` tuple.
    fn key(key: &Bound<'_, PyAny>) -> PyResult<Key> {
        if let Ok(s) = key.cast::<PyString>() {
            let name = no_nul("attribute name", s.to_str()?)?;
            return Ok(match split_name_tag(name) {
                Ok((base, tag)) => Key::Name(base.to_owned(), tag),
                // a tag out of range names no attribute of any packet
                Err(_) => Key::Name(name.to_owned(), None),
            });
        }
        key_of(key).map(Key::Addr)
    }

    fn matches(d: &Decoded<'_, '_>, key: &Key) -> bool {
        match key {
            Key::Name(name, tag) => {
                d.name.eq_ignore_ascii_case(name)
                    && tag.is_none_or(|t| {
                        d.def.is_some_and(|def| def.flags().has_tag) && d.tag.unwrap_or(0) == t
                    })
            }
            Key::Addr(addr) => d.addr == *addr,
        }
    }
}

/// A key read from Python by `Packet.get` and the like.
enum Key {
    /// A name and the tag it names (`"Tunnel-Type:1"`).
    Name(String, Option<u8>),
    /// A type number or `(vendor, type, ...)`.
    Addr(AttrAddr),
}

#[pymethods]
impl Packet {
    /// Validates `data` (`bytes`, `bytearray` or `memoryview`, as `socket.recv_into`
    /// fills them; copied) as a RADIUS packet (every attribute, once): `PacketError`
    /// when the header or the top-level attribute list is malformed. A Vendor-Specific
    /// or RFC 6929 extended attribute whose inner structure does not parse is not: as
    /// FreeRADIUS 3.2 does, it is kept whole (`Vendor-Specific`, its octets as
    /// `bytes`; `Attr-26 = 0x...`, `Attr-245 = 0x...`, `Attr-241.26 = 0x...` in
    /// `text()`).
    ///
    /// `secret` (with `request` for a reply) lets hidden values be revealed when read;
    /// it does not verify anything: call `verify_request` / `verify_reply` for that.
    /// A wrong secret is not an error here: hidden values (User-Password,
    /// Tunnel-Password, ...) then decrypt to noise, usually `bytes` (noise is rarely
    /// UTF-8) but sometimes a `str`, never an exception. To tell, verify first:
    /// `verify_reply` always checks the secret (Response Authenticator), and
    /// `verify_request` does for every request but an Access-Request without
    /// Message-Authenticator, whose random authenticator carries nothing to check it
    /// against (for those, `verify_request(secret, require_message_authenticator=True)`
    /// refuses the request rather than guess).
    #[staticmethod]
    #[pyo3(signature = (data, *, dictionary = None, secret = None, request = None))]
    fn decode(
        #[pyo3(from_py_with = crate::convert::octets_arg)] data: Vec<u8>,
        dictionary: Option<&Bound<'_, Dictionary>>,
        secret: Option<&Bound<'_, PyAny>>,
        request: Option<&Bound<'_, Self>>,
    ) -> PyResult<Self> {
        let dict = dictionary.map_or_else(Dictionary::builtin_handle, |d| d.get().inner.clone());
        let secret = secret.map(secret_of).transpose()?;
        let req_auth = request.map(|r| r.get().view().authenticator());
        Self::from_vec(data, dict, secret.map(|s| (s, req_auth)))
    }

    /// The packet code as a number.
    #[getter]
    fn code(&self) -> u8 {
        self.view().code().get()
    }

    /// The packet code's name (`Access-Request`, `CoA-ACK`, ...).
    #[getter]
    fn code_name(&self) -> String {
        self.view().code().to_string()
    }

    /// The Identifier.
    #[getter]
    fn identifier(&self) -> u8 {
        self.view().identifier()
    }

    /// The 16-octet Authenticator field.
    #[getter]
    fn authenticator<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.view().authenticator())
    }

    /// The wire bytes.
    #[getter]
    fn raw<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.data)
    }

    fn __bytes__<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.data)
    }

    fn __len__(&self) -> usize {
        self.decoded().len()
    }

    /// The attribute names in wire order; a name appears once per attribute, so
    /// `len(p.keys()) == len(p)` (as `email.message.Message` does with headers).
    fn keys(&self) -> Vec<String> {
        self.decoded().iter().map(|d| d.name.to_string()).collect()
    }

    /// Iterates over `keys()`: `for name in packet`, `list(packet)`.
    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, pyo3::types::PyIterator>> {
        PyList::new(py, self.keys())?.try_iter()
    }

    /// Every attribute in wire order as `(name, value)` pairs.
    fn items<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for d in self.decoded() {
            list.append((
                PyString::new(py, &d.name),
                self.entry(py, &d, &Key::Name(String::new(), None))?,
            ))?;
        }
        Ok(list)
    }

    /// Every attribute in wire order with its number: `(name, (vendor, type, ...), tag, value)`.
    fn attributes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for d in self.decoded() {
            let mut key: Vec<u32> = vec![d.addr.vendor().0];
            key.extend_from_slice(d.addr.path());
            let v = self.value(py, &d)?;
            list.append((PyString::new(py, &d.name), PyTuple::new(py, key)?, d.tag, v))?;
        }
        Ok(list)
    }

    /// Attribute names mapped to lists of values (wire order within each list).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let out = PyDict::new(py);
        for d in self.decoded() {
            let v = self.entry(py, &d, &Key::Name(String::new(), None))?;
            match out.get_item(&*d.name)? {
                Some(l) => l.cast::<PyList>()?.append(v)?,
                None => out.set_item(&*d.name, PyList::new(py, [v])?)?,
            }
        }
        Ok(out)
    }

    /// The first value of an attribute (by name, type number or `(vendor, type, ...)`),
    /// or `default`. Names are case-insensitive, as for `build`; a tagged attribute's
    /// value is `(tag, value)`, and a name with a tag (`"Tunnel-Type:1"`, as `build`
    /// takes it; `:0` for an untagged one) reads that tag's values alone, without it.
    #[pyo3(signature = (key, default = None))]
    fn get<'py>(
        &self,
        py: Python<'py>,
        key: &Bound<'py, PyAny>,
        default: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        let key = Self::key(key)?;
        for d in self.decoded() {
            if Self::matches(&d, &key) {
                return self.entry(py, &d, &key).map(Some);
            }
        }
        Ok(default)
    }

    /// Every value of an attribute, in wire order (empty when absent).
    fn get_all<'py>(&self, py: Python<'py>, key: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyList>> {
        let key = Self::key(key)?;
        let list = PyList::empty(py);
        for d in self.decoded() {
            if Self::matches(&d, &key) {
                list.append(self.entry(py, &d, &key)?)?;
            }
        }
        Ok(list)
    }

    fn __getitem__<'py>(&self, py: Python<'py>, key: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        self.get(py, key, None)?
            .ok_or_else(|| PyKeyError::new_err(key.clone().unbind()))
    }

    fn __contains__(&self, key: &Bound<'_, PyAny>) -> PyResult<bool> {
        let key = Self::key(key)?;
        Ok(self.decoded().iter().any(|d| Self::matches(d, &key)))
    }

    /// Verifies a request (the Request Authenticator of Accounting, CoA and Disconnect
    /// requests; Message-Authenticator where present) and applies the BlastRADIUS
    /// server policy. Returns whether a valid Message-Authenticator was present;
    /// raises `VerifyError` when anything fails.
    ///
    /// An Access-Request's authenticator is random, so one without
    /// Message-Authenticator carries nothing to check: `False` is returned whatever
    /// `secret` is (a wrong secret shows only as a garbled User-Password). Pass
    /// `require_message_authenticator=True` to refuse such requests, and
    /// `limit_proxy_state=True` to refuse unsigned ones carrying Proxy-State
    /// (BlastRADIUS). Each call stands alone, so `"auto"` (the default, `None`) has no
    /// earlier request to learn from and accepts both; keep per-client state yourself
    /// (FreeRADIUS 3.2.5's `auto`: once a client signs, require it). Status-Server and
    /// requests with EAP-Message must always be signed (RFC 5997, RFC 3579).
    #[pyo3(signature = (secret, *, require_message_authenticator = None, limit_proxy_state = None))]
    fn verify_request(
        &self,
        secret: &Bound<'_, PyAny>,
        require_message_authenticator: Option<&Bound<'_, PyAny>>,
        limit_proxy_state: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<bool> {
        let secret = secret_of(secret)?;
        let view = self.view();
        let mut policy = ServerPolicy::new(
            requirement(require_message_authenticator)?,
            requirement(limit_proxy_state)?,
        );
        let signature = policy.verify(&view, &secret).map_err(errors::codec)?;
        Ok(signature == Signature::Signed)
    }

    /// Verifies a reply against its request (Identifier, code, Response Authenticator,
    /// Message-Authenticator, Proxy-State) and the reply policy: `True` (default,
    /// recommended) requires Message-Authenticator on Access-* and Status-Server
    /// replies. Returns whether it was present.
    #[pyo3(signature = (request, secret, *, require_message_authenticator = None))]
    fn verify_reply(
        &self,
        request: &Bound<'_, Self>,
        secret: &Bound<'_, PyAny>,
        require_message_authenticator: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<bool> {
        let secret = secret_of(secret)?;
        let req = request.get().view();
        let view = self.view();
        let require = match require_message_authenticator {
            None => Requirement::Yes,
            Some(r) => requirement(Some(r))?,
        };
        ReplyPolicy::new(require)
            .verify(&view, &req, &secret)
            .map_err(errors::codec)?;
        Ok(view.message_authenticator().is_some())
    }

    /// FreeRADIUS-style text: a header line, then `Name = value` lines as FreeRADIUS
    /// 3.2 prints a received packet (quoted strings, VALUE names, dates as
    /// `"Dec  2 2026 05:00:00 UTC"`, `:0` on untagged tagged attributes, unknown or
    /// malformed attributes as `Attr-N = 0x...`), which radclient reads back; hidden
    /// and secret values shown as `<secret>` unless `reveal=True`.
    #[pyo3(signature = (*, reveal = false))]
    fn text(&self, reveal: bool) -> String {
        let v = self.view();
        let mut out = format!("{} Id {} Length {}\n", v.code(), v.identifier(), v.length());
        for d in self.decoded() {
            let hidden = d
                .def
                .is_some_and(|def| def.flags().secret || def.flags().encrypt != radius_dict::Encrypt::None);
            let text = if hidden && !reveal {
                "<secret>".to_string()
            } else {
                d.freeradius_value()
            };
            out.push_str(&format!("\t{} = {}\n", d.freeradius_name(), text));
        }
        out
    }

    fn __repr__(&self) -> String {
        let v = self.view();
        let mut parts = Vec::new();
        for d in self.decoded() {
            let hidden = d
                .def
                .is_some_and(|def| def.flags().secret || def.flags().encrypt != radius_dict::Encrypt::None);
            let text = if hidden { "<secret>".to_string() } else { d.text() };
            parts.push(format!("{}={}", d.name, text));
        }
        format!(
            "<Packet {} id={} len={} [{}]>",
            v.code(),
            v.identifier(),
            v.length(),
            parts.join(", ")
        )
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<Self>().is_ok_and(|o| o.get().data == self.data)
    }

    fn __hash__(&self) -> u64 {
        hash_of(&self.data)
    }
}

// ---------------------------------------------------------------------------------
// The sans-I/O client exchange

/// Time on Python's `time.monotonic()` clock, mapped onto `Instant`.
struct Clock {
    origin: Instant,
    origin_secs: f64,
}

impl Clock {
    fn new(py: Python<'_>) -> PyResult<Self> {
        Ok(Self {
            origin: Instant::now(),
            origin_secs: monotonic(py)?,
        })
    }

    fn at(&self, py: Python<'_>, now: Option<f64>) -> PyResult<Instant> {
        let now = match now {
            Some(n) => n,
            None => monotonic(py)?,
        };
        let delta = now - self.origin_secs;
        if !delta.is_finite() {
            return Err(PyValueError::new_err("now must be a finite number of seconds"));
        }
        Ok(if delta >= 0.0 {
            self.origin + Duration::from_secs_f64(delta.min(1e9))
        } else {
            self.origin
                .checked_sub(Duration::from_secs_f64((-delta).min(1e9)))
                .unwrap_or(self.origin)
        })
    }

    fn secs(&self, t: Instant) -> f64 {
        match t.checked_duration_since(self.origin) {
            Some(d) => self.origin_secs + d.as_secs_f64(),
            None => self.origin_secs - self.origin.duration_since(t).as_secs_f64(),
        }
    }
}

/// What the client reports: a verified reply, a retransmission due, a timeout, or a
/// reply that matched nothing.
#[pyclass(frozen, get_all, module = "nacwire.radius")]
pub(crate) struct ClientEvent {
    /// `"reply"`, `"retransmit"`, `"timeout"` or `"unmatched"`.
    kind: &'static str,
    /// The destination (as registered).
    destination: String,
    /// The request as last sent (`None` for `"unmatched"`).
    request: Option<Py<Packet>>,
    /// The verified reply (`"reply"` only).
    reply: Option<Py<Packet>>,
    /// Bytes to send again (`"retransmit"` only).
    data: Option<Py<PyBytes>>,
    /// Retransmission number (`"retransmit"`) .
    attempt: u32,
    /// Round-trip time in seconds (`"reply"`).
    rtt: Option<f64>,
    /// The Identifier (every kind).
    identifier: u8,
    /// For `"reply"`: `"signed"` (a valid Message-Authenticator), `"not-required"`
    /// (Accounting, CoA, Disconnect: the Response Authenticator protects it) or
    /// `"accepted-unsigned"` (an Access-* or Status-Server reply without
    /// Message-Authenticator that the policy let through: BlastRADIUS exposure).
    signature: Option<&'static str>,
}

#[pymethods]
impl ClientEvent {
    fn __repr__(&self) -> String {
        format!(
            "<ClientEvent {} {} id={}>",
            self.kind, self.destination, self.identifier
        )
    }
}

/// The client side of RADIUS exchanges, sans I/O: it allocates identifiers, builds
/// requests, schedules retransmissions (RFC 5080) and verifies replies (BlastRADIUS
/// reply policy per destination). The caller moves the bytes. Safe to share between
/// threads (calls take turns).
#[pyclass(frozen, module = "nacwire.radius")]
pub(crate) struct Client {
    /// Locked only while no Python code runs (no conversion, no callback), so a
    /// call from another thread or from Python code a conversion runs never finds
    /// it taken.
    state: std::sync::Mutex<ClientState>,
    clock: Clock,
}

struct ClientState {
    inner: exchange::Client<String>,
    /// Each destination's dictionary, and its secret: the packets of its events reveal
    /// hidden values with it (a reply's Tunnel-Password, MS-MPPE keys), as `build`'s
    /// and `Packet.decode(..., secret=, request=)`'s do.
    dicts: std::collections::HashMap<String, (DictHandle, Arc<SharedSecret>)>,
}

/// A destination's dictionary and, when it is known, its secret.
type DestOf = (DictHandle, Option<Arc<SharedSecret>>);

impl ClientState {
    fn dict(&self, dest: &str) -> DestOf {
        self.dicts.get(dest).map_or_else(
            || (Dictionary::builtin_handle(), None),
            |(d, s)| (d.clone(), Some(Arc::clone(s))),
        )
    }
}

#[pymethods]
impl Client {
    /// `retries`/`timeout` set the RFC 5080 parameters: the first retransmission after
    /// `timeout` seconds, at most `retries` retransmissions (0: no limit, RFC 5080's
    /// MRC; `max_duration` then ends the request), doubling up to
    /// `max_timeout` (0: no cap), giving up after `max_duration` seconds in all (0: no
    /// limit). A `timeout` above a non-zero `max_timeout` is a `ValueError`, as is a
    /// negative or non-finite number of seconds.
    #[new]
    #[pyo3(signature = (*, timeout = 2.0, retries = 5, max_timeout = 16.0, max_duration = 30.0, seed = None))]
    fn new(
        py: Python<'_>,
        timeout: f64,
        #[pyo3(from_py_with = crate::convert::u32_arg)] retries: u32,
        max_timeout: f64,
        max_duration: f64,
        #[pyo3(from_py_with = crate::convert::opt_u64_arg)] seed: Option<u64>,
    ) -> PyResult<Self> {
        let dur = |s: f64, what: &str| {
            Duration::try_from_secs_f64(s)
                .map_err(|_| PyValueError::new_err(format!("{what} must be >= 0 seconds")))
        };
        let seed = match seed {
            Some(s) => s,
            None => {
                let r = random16(py)?;
                u64::from_le_bytes([r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]])
            }
        };
        let (initial, max_time) = (dur(timeout, "timeout")?, dur(max_timeout, "max_timeout")?);
        if !max_time.is_zero() && initial > max_time {
            return Err(PyValueError::new_err(format!(
                "timeout ({timeout} s) is more than max_timeout ({max_timeout} s): the first \
                 wait cannot be longer than the longest"
            )));
        }
        let inner = exchange::Client::new(seed).with_retransmit(Retransmit {
            initial,
            max_count: retries,
            max_time,
            max_duration: dur(max_duration, "max_duration")?,
        });
        Ok(Self {
            state: std::sync::Mutex::new(ClientState {
                inner,
                dicts: std::collections::HashMap::new(),
            }),
            clock: Clock::new(py)?,
        })
    }

    /// Registers a destination (any string, e.g. `"127.0.0.1:1812"`) with its secret,
    /// dictionary and reply policy: `require_message_authenticator` is `True`
    /// (recommended: every Access-* and Status-Server reply must be signed), `"auto"`
    /// (learn it from the server; for servers before FreeRADIUS 3.2.5) or `False`.
    #[pyo3(signature = (destination, secret, *, dictionary = None, require_message_authenticator = None))]
    fn add_destination(
        &self,
        destination: String,
        secret: &Bound<'_, PyAny>,
        dictionary: Option<&Bound<'_, Dictionary>>,
        require_message_authenticator: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let secret = secret_of(secret)?;
        let require = match require_message_authenticator {
            None => Requirement::Yes,
            Some(r) => requirement(Some(r))?,
        };
        let dict = dictionary.map_or_else(Dictionary::builtin_handle, |d| d.get().inner.clone());
        let mut state = self.lock();
        state
            .dicts
            .insert(destination.clone(), (dict, Arc::clone(&secret)));
        state
            .inner
            .add_destination_with(destination, secret.clone_secret(), ReplyPolicy::new(require));
        Ok(())
    }

    /// Builds a request to `destination` with a free Identifier and records it as
    /// pending. Returns the packet to send.
    #[pyo3(signature = (destination, code, attributes = None, *, now = None, message_authenticator = None))]
    fn send(
        &self,
        py: Python<'_>,
        destination: String,
        code: &Bound<'_, PyAny>,
        attributes: Option<&Bound<'_, PyAny>>,
        now: Option<f64>,
        message_authenticator: Option<bool>,
    ) -> PyResult<Packet> {
        let code = code_of(code)?;
        if !code.is_request() {
            return Err(errors::build(format!("{code} is not a request")));
        }
        let now = self.clock.at(py, now)?;
        let (dict, secret) = self
            .lock()
            .dicts
            .get(&destination)
            .cloned()
            .ok_or_else(|| exchange_err(&destination)(radius_codec::Error::UnknownDestination))?;
        // every conversion from Python first, then the exchange with the lock held
        let prepared = prepare_attributes(&dict, attributes)?;
        let auth = random16(py)?;
        let salt = salt_of(py, None)?;
        let mut failure: Option<AddError> = None;
        let sent = self.lock().inner.send(&destination, now, |id, secret| {
            let mut b = PacketBuilder::new(code, id, auth);
            choose_message_authenticator(&mut b, message_authenticator);
            let hiding = Hiding { secret, salt };
            if let Err(e) = apply_attributes(&dict, &mut b, &prepared, Some(&hiding), false) {
                failure = Some(e);
                return Err(radius_codec::Error::MissingAttribute { attr: AttrType(0) });
            }
            b.finish(secret)
        });
        if let Some(e) = failure {
            return Err(e.into_py());
        }
        let t = sent.map_err(exchange_err(&destination))?;
        Packet::from_vec(t.bytes, dict, Some((secret, None)))
    }

    /// Feeds a datagram received from `destination`. Returns a `"reply"` event (the
    /// reply verified against its request and the policy) or `"unmatched"`; raises
    /// `PacketError`/`VerifyError` for a malformed or forged reply (the request stays
    /// pending).
    #[pyo3(signature = (destination, data, *, now = None))]
    fn receive(
        &self,
        py: Python<'_>,
        destination: String,
        data: &[u8],
        now: Option<f64>,
    ) -> PyResult<ClientEvent> {
        let now = self.clock.at(py, now)?;
        let (ev, dict) = {
            let mut state = self.lock();
            let ev = state.inner.receive(&destination, data, now);
            (ev, state.dict(&destination))
        };
        Self::event(py, ev.map_err(exchange_err(&destination))?, dict)
    }

    /// Advances timers: returns retransmissions due and requests that gave up.
    #[pyo3(signature = (*, now = None))]
    fn handle_timeout(&self, py: Python<'_>, now: Option<f64>) -> PyResult<Vec<ClientEvent>> {
        let now = self.clock.at(py, now)?;
        let events: Vec<(Ev<String>, DestOf)> = {
            let mut state = self.lock();
            let events = state.inner.handle_timeout(now);
            events
                .into_iter()
                .map(|e| {
                    let dict = state.dict(event_destination(&e));
                    (e, dict)
                })
                .collect()
        };
        events
            .into_iter()
            .map(|(e, dest)| Self::event(py, e, dest))
            .collect()
    }

    /// When `handle_timeout` next has work (seconds on the `time.monotonic()` clock),
    /// or `None` with nothing pending.
    fn poll_timeout(&self) -> Option<f64> {
        let next = self.lock().inner.poll_timeout();
        next.map(|t| self.clock.secs(t))
    }

    /// What the client has learned of a destination's replies under
    /// `require_message_authenticator="auto"` (2 bytes), to persist across restarts;
    /// `None` for an unknown destination.
    fn reply_state<'py>(&self, py: Python<'py>, destination: String) -> Option<Bound<'py, PyBytes>> {
        let learned = self.lock().inner.reply_state(&destination);
        learned.map(|l| PyBytes::new(py, &l.to_bytes()))
    }

    /// Restores what `reply_state` returned (after `add_destination`).
    fn set_reply_state(&self, destination: String, state: &[u8]) -> PyResult<()> {
        let learned = <[u8; 2]>::try_from(state)
            .ok()
            .and_then(radius_codec::LearnedReplies::from_bytes)
            .ok_or_else(|| PyValueError::new_err("not a reply state from Client.reply_state"))?;
        let result = self.lock().inner.set_reply_state(&destination, learned);
        result.map_err(errors::codec)
    }

    /// Requests in flight to `destination`.
    fn in_flight(&self, destination: String) -> usize {
        self.lock().inner.in_flight(&destination)
    }

    /// Forgets a pending request; returns whether there was one.
    fn cancel(
        &self,
        destination: String,
        #[pyo3(from_py_with = crate::convert::identifier_arg)] identifier: u8,
    ) -> bool {
        self.lock().inner.cancel(&destination, identifier).is_some()
    }

    fn __repr__(&self) -> String {
        let state = self.lock();
        let mut names: Vec<&String> = state.dicts.keys().collect();
        names.sort_unstable();
        let pending: usize = names.iter().map(|d| state.inner.in_flight(d)).sum();
        format!("<Client destinations={names:?} in_flight={pending}>")
    }
}

/// The destination an exchange event is about.
/// [`errors::codec`] for an exchange with `destination`: an unknown one is named, with
/// the way to add it (the codec's message is only "unknown destination").
fn exchange_err(destination: &str) -> impl Fn(radius_codec::Error) -> PyErr + '_ {
    move |e| match e {
        radius_codec::Error::UnknownDestination => PyErr::new::<errors::ExchangeError, _>(format!(
            "unknown destination '{destination}': add it first with add_destination()"
        )),
        other => errors::codec(other),
    }
}

fn event_destination(ev: &Ev<String>) -> &str {
    match ev {
        Ev::Reply { dest, .. } | Ev::Unmatched { dest, .. } | Ev::TimedOut { dest, .. } => dest,
        Ev::Retransmit(t) => &t.dest,
        _ => "",
    }
}

impl Client {
    fn lock(&self) -> std::sync::MutexGuard<'_, ClientState> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A request of an event: hidden values readable with the destination's secret.
    fn packet(py: Python<'_>, (dict, secret): &DestOf, bytes: Vec<u8>) -> PyResult<Py<Packet>> {
        let hiding = secret.as_ref().map(|s| (Arc::clone(s), None));
        Py::new(py, Packet::from_vec(bytes, dict.clone(), hiding)?)
    }

    /// A reply of an event: hidden values revealed with the secret and the request's
    /// authenticator.
    fn reply_packet(
        py: Python<'_>,
        (dict, secret): &DestOf,
        request: &[u8],
        bytes: Vec<u8>,
    ) -> PyResult<Py<Packet>> {
        let auth = request.get(4..20).and_then(|a| <[u8; 16]>::try_from(a).ok());
        let hiding = secret.as_ref().map(|s| (Arc::clone(s), auth));
        Py::new(py, Packet::from_vec(bytes, dict.clone(), hiding)?)
    }

    fn event(py: Python<'_>, ev: Ev<String>, dest: DestOf) -> PyResult<ClientEvent> {
        let dict = &dest;
        let id_of = |b: &[u8]| b.get(1).copied().unwrap_or(0);
        Ok(match ev {
            Ev::Reply {
                dest,
                request,
                reply,
                rtt,
                signature,
            } => ClientEvent {
                kind: "reply",
                signature: Some(match signature {
                    Signature::Signed => "signed",
                    Signature::NotRequired => "not-required",
                    _ => "accepted-unsigned",
                }),
                identifier: id_of(&reply),
                reply: Some(Self::reply_packet(py, dict, &request, reply)?),
                request: Some(Self::packet(py, dict, request)?),
                destination: dest,
                data: None,
                attempt: 0,
                rtt: Some(rtt.as_secs_f64()),
            },
            Ev::Unmatched { dest, identifier } => ClientEvent {
                kind: "unmatched",
                signature: None,
                destination: dest,
                request: None,
                reply: None,
                data: None,
                attempt: 0,
                rtt: None,
                identifier,
            },
            Ev::Retransmit(t) => ClientEvent {
                kind: "retransmit",
                signature: None,
                identifier: id_of(&t.bytes),
                data: Some(PyBytes::new(py, &t.bytes).unbind()),
                request: Some(Self::packet(py, dict, t.bytes)?),
                destination: t.dest,
                reply: None,
                attempt: t.attempt,
                rtt: None,
            },
            Ev::TimedOut { dest, request } => ClientEvent {
                kind: "timeout",
                signature: None,
                identifier: id_of(&request),
                request: Some(Self::packet(py, dict, request)?),
                destination: dest,
                reply: None,
                data: None,
                attempt: 0,
                rtt: None,
            },
            _ => return Err(errors::build("unknown client event")),
        })
    }
}

// ---------------------------------------------------------------------------------
// Duplicate detection (server side)

/// The server's duplicate-request cache (RFC 5080 §2.2.2): a retransmitted request
/// gets the cached reply instead of being processed twice. Safe to share between the
/// threads of a threaded server.
#[pyclass(frozen, module = "nacwire.radius")]
pub(crate) struct DuplicateCache {
    /// Locked only while no Python code runs.
    inner: std::sync::Mutex<exchange::DuplicateCache<String>>,
    clock: Clock,
    lifetime: f64,
    max_entries: usize,
    per_source: usize,
}

/// The `(host, port)` of a source address as `socket` and asyncio give it: IPv6
/// addresses come as `(host, port, flowinfo, scope_id)`.
fn source_of(source: &Bound<'_, PyAny>) -> PyResult<(String, u16)> {
    let bad = || {
        PyTypeError::new_err("source is a (host, port) address as socket.recvfrom gives it (IPv6: 4-tuple)")
    };
    let t = source.cast::<PyTuple>().map_err(|_| bad())?;
    if !(2..=4).contains(&t.len()) {
        return Err(bad());
    }
    let host: String = t.get_item(0)?.extract().map_err(|_| bad())?;
    let port: u16 = t
        .get_item(1)?
        .extract()
        .map_err(|_| PyValueError::new_err("the source port is 0..=65535"))?;
    Ok((host, port))
}

#[pymethods]
impl DuplicateCache {
    /// Entries live `lifetime` seconds; at most `max_entries` in all and `per_source`
    /// per source host (a flood from one host evicts its own oldest entries, never
    /// another host's).
    #[new]
    #[pyo3(signature = (*, lifetime = 5.0, max_entries = 65536, per_source = 1024))]
    fn new(py: Python<'_>, lifetime: f64, max_entries: usize, per_source: usize) -> PyResult<Self> {
        let life = Duration::try_from_secs_f64(lifetime)
            .map_err(|_| PyValueError::new_err("lifetime must be >= 0"))?;
        Ok(Self {
            inner: std::sync::Mutex::new(
                exchange::DuplicateCache::new(life, max_entries).with_per_source_limit(per_source),
            ),
            clock: Clock::new(py)?,
            lifetime,
            max_entries,
            per_source,
        })
    }

    /// Checks a request from `source`, the address `socket.recvfrom` or asyncio gives
    /// (`(host, port)`, or `(host, port, flowinfo, scope_id)` for IPv6), that arrived
    /// on `local_port` (the key is RFC 5080's: source, local port, code, Identifier,
    /// Request Authenticator). Returns `None` when new (process it, then
    /// `store_reply`), `True` while the first copy is being processed (drop it), or the
    /// cached reply's bytes (send them again).
    #[pyo3(signature = (source, request, *, local_port = 0, now = None))]
    fn check<'py>(
        &self,
        py: Python<'py>,
        source: &Bound<'py, PyAny>,
        request: &Bound<'py, Packet>,
        #[pyo3(from_py_with = crate::convert::port_arg)] local_port: u16,
        now: Option<f64>,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        let (host, port) = source_of(source)?;
        let now = self.clock.at(py, now)?;
        let req = request.get().view();
        let origin = exchange::Origin::new(host, port, local_port);
        let seen = match self.lock().check(&origin, &req, now) {
            Seen::New => None,
            Seen::InProgress => Some(None),
            Seen::Replay(b) => Some(Some(b.to_vec())),
        };
        Ok(match seen {
            None => None,
            Some(None) => Some(pyo3::types::PyBool::new(py, true).to_owned().into_any()),
            Some(Some(b)) => Some(PyBytes::new(py, &b).into_any()),
        })
    }

    /// Records the reply sent for a request (same `source` and `local_port` as `check`).
    #[pyo3(signature = (source, request, reply, *, local_port = 0))]
    fn store_reply(
        &self,
        source: &Bound<'_, PyAny>,
        request: &Bound<'_, Packet>,
        reply: &[u8],
        #[pyo3(from_py_with = crate::convert::port_arg)] local_port: u16,
    ) -> PyResult<()> {
        let (host, port) = source_of(source)?;
        let req = request.get().view();
        let origin = exchange::Origin::new(host, port, local_port);
        self.lock().store_reply(&origin, &req, reply);
        Ok(())
    }

    fn __len__(&self) -> usize {
        self.lock().len()
    }

    fn __repr__(&self) -> String {
        format!(
            "<DuplicateCache {} entries, lifetime={}s, max_entries={}, per_source={}>",
            self.lock().len(),
            self.lifetime,
            self.max_entries,
            self.per_source
        )
    }
}

impl DuplicateCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, exchange::DuplicateCache<String>> {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Registers the classes and functions on the native module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Secret>()?;
    m.add_class::<Dictionary>()?;
    m.add_class::<AttributeDef>()?;
    m.add_class::<Packet>()?;
    m.add_class::<Client>()?;
    m.add_class::<ClientEvent>()?;
    m.add_class::<DuplicateCache>()?;
    m.add_function(wrap_pyfunction!(build, m)?)?;
    m.add_function(wrap_pyfunction!(reply, m)?)?;
    Ok(())
}
