//! Native helpers of `nacwire.pyrad`, the pyrad 2.6 drop-in.
//!
//! pyrad keeps a packet as an ordered dict from wire keys (the attribute code, or
//! `(vendor, code)` for an RFC 2865 vendor attribute) to lists of value octets; a
//! TLV's value is a dict from sub-attribute code to a list. These functions build,
//! decode, read, write and sign whole packets in that model in one call each, so the
//! Python layer only does what pyrad's API needs on top (tags, TLVs, salt encryption).

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyTuple};

/// pyrad's limit on a packet's Length field.
const MAX_PACKET: usize = 8192;
const VENDOR_SPECIFIC: u8 = 26;

fn too_long(key: &Bound<'_, PyAny>, len: usize) -> PyErr {
    let shown = key.repr().map(|r| r.to_string()).unwrap_or_default();
    PyValueError::new_err(format!(
        "Value of attribute {shown} is too long ({len} octets, at most 253 fit into an attribute)"
    ))
}

/// Appends one attribute: `key` an int code or a `(vendor, code)` tuple. Returns false,
/// having written nothing, for any other key (the caller hands it to `encode_slow`).
fn encode_one(out: &mut Vec<u8>, key: &Bound<'_, PyAny>, value: &[u8]) -> PyResult<bool> {
    if let Some(code) = key
        .is_instance_of::<pyo3::types::PyInt>()
        .then(|| key.extract::<u8>().ok())
        .flatten()
    {
        if value.len() > 253 {
            return Err(too_long(key, value.len()));
        }
        out.push(code);
        out.extend_from_slice(&[value.len() as u8 + 2]);
        out.extend_from_slice(value);
        return Ok(true);
    }
    let Ok((vendor, sub)) = key.extract::<(u32, Bound<'_, PyAny>)>() else {
        return Ok(false);
    };
    let Some(sub_code) = sub
        .is_instance_of::<pyo3::types::PyInt>()
        .then(|| sub.extract::<u8>().ok())
        .flatten()
    else {
        return Ok(false);
    };
    if value.len() > 253 {
        return Err(too_long(&sub, value.len()));
    }
    if value.len() + 6 > 253 {
        return Err(too_long(key, value.len() + 6));
    }
    out.extend_from_slice(&[VENDOR_SPECIFIC, value.len() as u8 + 8]);
    out.extend_from_slice(&vendor.to_be_bytes());
    out.extend_from_slice(&[sub_code, value.len() as u8 + 2]);
    out.extend_from_slice(value);
    Ok(true)
}

/// One value of the raw view: bytes natively, anything else (a value that is not
/// bytes, a key that is no attribute code) through the packet's `_PktEncodeAttribute`,
/// as pyrad encodes every attribute: its octets, or pyrad's errors (`struct.error` for
/// a code out of range, `TypeError` for a str or an int value, ...). `encode_tlv` is the
/// packet's bound `_PktEncodeTlv`.
fn encode_value(
    out: &mut Vec<u8>,
    encode_tlv: &Bound<'_, PyAny>,
    key: &Bound<'_, PyAny>,
    value: &Bound<'_, PyAny>,
) -> PyResult<()> {
    if let Ok(bytes) = value.cast::<PyBytes>() {
        if encode_one(out, key, bytes.as_bytes())? {
            return Ok(());
        }
    }
    let py = value.py();
    let encoded = encode_tlv
        .getattr(pyo3::intern!(py, "__self__"))?
        .call_method1(pyo3::intern!(py, "_PktEncodeAttribute"), (key, value))?;
    match encoded.cast::<PyBytes>() {
        Ok(bytes) => out.extend_from_slice(bytes.as_bytes()),
        Err(_) => out.extend(encoded.extract::<Vec<u8>>()?),
    }
    Ok(())
}

/// Encodes a packet's raw view (`(key, values)` pairs) into attribute octets; a dict
/// value (a TLV) is encoded by `encode_tlv(key, value)`, pyrad's `_PktEncodeTlv`.
#[pyfunction]
fn pyrad_encode<'py>(
    py: Python<'py>,
    items: &Bound<'py, PyAny>,
    encode_tlv: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyBytes>> {
    let mut out = Vec::with_capacity(256);
    for item in items.try_iter()? {
        let (key, values): (Bound<'py, PyAny>, Bound<'py, PyAny>) = item?.extract()?;
        if values.is_instance_of::<PyDict>() {
            let encoded = encode_tlv.call1((&key, &values))?;
            out.extend_from_slice(encoded.cast::<PyBytes>()?.as_bytes());
            continue;
        }
        for value in values.try_iter()? {
            encode_value(&mut out, encode_tlv, &key, &value?)?;
        }
    }
    Ok(PyBytes::new(py, &out))
}

/// How a plan decodes a plain attribute's values (see `nacwire.pyrad.tools._codec`).
const KIND_STRING: u8 = 1;
const KIND_INTEGER: u8 = 2;
const KIND_IPADDR: u8 = 3;
const KIND_OCTETS: u8 = 4;
const KIND_DATE: u8 = 5;

/// The text of a `string` value, or None when it is not UTF-8 (pyrad then gives the
/// octets). Checked here (a failed decode in Python makes an exception, which costs
/// far more: an encrypted `User-Password` read as a string); ASCII, the common case,
/// is checked by the cheaper test and decoded by Python alone.
fn text_or<'py>(py: Python<'py>, octets: &[u8]) -> PyResult<Option<Bound<'py, PyAny>>> {
    if octets.is_ascii() {
        return Ok(Some(pyo3::types::PyString::from_bytes(py, octets)?.into_any()));
    }
    Ok(std::str::from_utf8(octets)
        .ok()
        .map(|text| pyo3::types::PyString::new(py, text).into_any()))
}

/// Decodes one value of a plain attribute: a named value first, then the type.
fn read_value<'py>(
    py: Python<'py>,
    value: &Bound<'py, PyAny>,
    kind: u8,
    named: &Bound<'py, PyDict>,
    decode: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    if !named.is_empty() {
        if let Some(name) = named.get_item(value)? {
            return Ok(name);
        }
    }
    let Ok(bytes) = value.cast::<PyBytes>() else {
        return decode.call1((value,));
    };
    let octets = bytes.as_bytes();
    match (kind, octets) {
        (KIND_STRING, _) => Ok(text_or(py, octets)?.unwrap_or_else(|| value.clone())),
        (KIND_INTEGER | KIND_DATE, [a, b, c, d]) => {
            Ok(u32::from_be_bytes([*a, *b, *c, *d]).into_pyobject(py)?.into_any())
        }
        (KIND_IPADDR, [a, b, c, d]) => {
            Ok(pyo3::types::PyString::new(py, &format!("{a}.{b}.{c}.{d}")).into_any())
        }
        (KIND_OCTETS, _) => Ok(value.clone()),
        // Other types, and wrong sizes (pyrad's error messages), in Python.
        _ => decode.call1((value,)),
    }
}

/// The plan the pure-Python dictionary cached for `key` (and its attribute), when it
/// is still for the attribute the dictionary holds now; `None`: take the slow path.
fn current_plan<'py>(
    py: Python<'py>,
    pkt: &Bound<'py, PyDict>,
    key: &Bound<'py, PyAny>,
) -> PyResult<Option<(Bound<'py, PyTuple>, Bound<'py, PyAny>)>> {
    let dict = pkt.getattr(pyo3::intern!(py, "dict"))?;
    let Ok(plans) = dict.getattr(pyo3::intern!(py, "_plans")) else {
        return Ok(None);
    };
    let Ok(plans) = plans.cast::<PyDict>() else {
        return Ok(None);
    };
    let Some(plan) = plans.get_item(key)? else {
        return Ok(None);
    };
    let plan = plan.cast::<PyTuple>()?.clone();
    if plan.len() < 7 {
        return Ok(None); // `(attribute,)`: not a plain attribute
    }
    let attr = plan.get_item(0)?;
    let current = dict
        .getattr(pyo3::intern!(py, "attributes"))?
        .cast::<PyDict>()?
        .get_item(key)?;
    Ok(current.is_some_and(|c| c.is(&attr)).then_some((plan, attr)))
}

/// `pkt[key]` for pyrad's packet dict: a plain attribute by name through the plan its
/// dictionary caches (`_plans`: name -> (attribute, wire key, decode, encode, kind,
/// named values, values by name), or `(attribute,)` for one that is not plain), or a
/// wire key's raw list. Returns `slow` when the Python layer must
/// answer (tags, TLVs, salt encryption, no plan yet, another dictionary class).
///
/// One call per read instead of several Python frames: the read path of
/// "decode + read every attribute" in benches/python/bench_radius.py.
#[pyfunction]
fn pyrad_read<'py>(
    py: Python<'py>,
    pkt: &Bound<'py, PyDict>,
    key: &Bound<'py, PyAny>,
    slow: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    if !key.is_instance_of::<pyo3::types::PyString>() {
        return pkt
            .get_item(key)?
            .ok_or_else(|| pyo3::exceptions::PyKeyError::new_err(key.clone().unbind()));
    }
    let Some((plan, _)) = current_plan(py, pkt, key)? else {
        return Ok(slow.clone());
    };
    let wire = plan.get_item(1)?;
    let decode = plan.get_item(2)?;
    let kind: u8 = plan.get_item(4)?.extract()?;
    let named = plan.get_item(5)?;
    let named = named.cast::<PyDict>()?;
    let raw = pkt
        .get_item(&wire)?
        .ok_or_else(|| pyo3::exceptions::PyKeyError::new_err(wire.clone().unbind()))?;
    let out = PyList::empty(py);
    for value in raw.try_iter()? {
        out.append(read_value(py, &value?, kind, named, &decode)?)?;
    }
    Ok(out.into_any())
}

/// Encodes one value of a plain attribute: a named value first, then the type; `None`
/// when the Python encoder must do it (other types, other value types, errors).
fn write_value(value: &Bound<'_, PyAny>, kind: u8, named: &Bound<'_, PyDict>) -> PyResult<Option<Vec<u8>>> {
    if !named.is_empty() {
        match named.get_item(value) {
            Ok(Some(encoded)) => return Ok(encoded.cast::<PyBytes>().ok().map(|b| b.as_bytes().to_vec())),
            Ok(None) => {}
            Err(_) => return Ok(None), // unhashable: the Python encoder raises pyrad's error
        }
    }
    let encoded = match kind {
        KIND_STRING => match value.cast::<pyo3::types::PyString>() {
            Ok(text) => Some(text.to_str()?.as_bytes().to_vec()),
            Err(_) => value.cast::<PyBytes>().ok().map(|b| b.as_bytes().to_vec()),
        },
        KIND_INTEGER | KIND_DATE if value.is_exact_instance_of::<pyo3::types::PyInt>() => {
            value.extract::<u32>().ok().map(|n| n.to_be_bytes().to_vec())
        }
        KIND_IPADDR => match value.cast_exact::<pyo3::types::PyString>() {
            // Only the canonical dotted quad; anything else gets pyrad's checks.
            Ok(text) => {
                let text = text.to_str()?;
                text.parse::<std::net::Ipv4Addr>()
                    .ok()
                    .filter(|a| a.to_string() == text)
                    .map(|a| a.octets().to_vec())
            }
            Err(_) => None,
        },
        _ => None,
    };
    Ok(encoded.filter(|e| e.len() <= 253))
}

/// `pkt[key] = item` for a plain attribute named `key`: stores `[octets, ...]` under
/// its wire key (through `OrderedDict.__setitem__`, `hooks`: `nacwire.pyrad.packet._HOOKS`) and
/// returns None, or returns `slow` when the Python layer must encode (no plan, a value
/// the fast codecs do not take).
#[pyfunction]
fn pyrad_write<'py>(
    py: Python<'py>,
    pkt: &Bound<'py, PyDict>,
    key: &Bound<'py, PyAny>,
    item: &Bound<'py, PyAny>,
    slow: &Bound<'py, PyAny>,
    hooks: &Bound<'py, PyTuple>,
) -> PyResult<Bound<'py, PyAny>> {
    let Some((plan, attr)) = current_plan(py, pkt, key)? else {
        return Ok(slow.clone());
    };
    let kind: u8 = plan.get_item(4)?.extract()?;
    let forward = attr
        .getattr(pyo3::intern!(py, "values"))?
        .getattr(pyo3::intern!(py, "forward"))?;
    let named = forward.cast::<PyDict>()?;
    let out = PyList::empty(py);
    let one;
    let values: Vec<Bound<'py, PyAny>> =
        if item.is_instance_of::<PyList>() || item.is_instance_of::<PyTuple>() {
            item.try_iter()?.collect::<PyResult<_>>()?
        } else {
            one = item.clone();
            vec![one]
        };
    for value in &values {
        match write_value(value, kind, named)? {
            Some(encoded) => out.append(PyBytes::new(py, &encoded))?,
            None => return Ok(slow.clone()),
        }
    }
    hooks
        .get_item(HOOK_OD_SETITEM)?
        .call1((pkt, plan.get_item(1)?, out))?;
    Ok(py.None().into_bound(py))
}

/// pyrad's `PwCrypt` (`hide`) and `PwDecrypt` (reveal, trailing NULs removed) for the
/// lengths RFC 2865 5.2 allows (`None` otherwise: the Python code handles the rest).
fn pw_octets(secret: &[u8], authenticator: &[u8], data: &[u8], hide: bool) -> Option<Vec<u8>> {
    let auth: &[u8; 16] = authenticator.try_into().ok()?;
    // RFC 2865 5.2 with the limits of radius_codec::crypto::{hide,unhide}_user_password,
    // without building a SharedSecret (its keyed HMAC state) for each call.
    let max = radius_codec::crypto::MAX_USER_PASSWORD;
    if data.len() > max || (!hide && (data.is_empty() || data.len() % 16 != 0)) {
        return None;
    }
    let mut out = data.to_vec();
    if hide {
        out.resize(data.len().div_ceil(16).max(1) * 16, 0);
    }
    let mut prev: [u8; 16] = *auth;
    for (i, block) in out.chunks_mut(16).enumerate() {
        let mut h = <md5::Md5 as md5::Digest>::new();
        md5::Digest::update(&mut h, secret);
        md5::Digest::update(&mut h, prev);
        let key: [u8; 16] = md5::Digest::finalize(h).into();
        block.iter_mut().zip(key).for_each(|(b, k)| *b ^= k);
        let next = if hide {
            &*block
        } else {
            data.get(i * 16..i * 16 + 16)?
        };
        prev.copy_from_slice(next);
    }
    if !hide {
        while out.last() == Some(&0) {
            out.pop();
        }
    }
    Some(out)
}

/// [`pw_octets`] on bytes.
#[pyfunction]
fn pyrad_pw<'py>(
    py: Python<'py>,
    secret: &[u8],
    authenticator: &[u8],
    data: &[u8],
    hide: bool,
) -> Option<Bound<'py, PyBytes>> {
    pw_octets(secret, authenticator, data, hide).map(|out| PyBytes::new(py, &out))
}

/// `AuthPacket.PwCrypt(password)` (`hide`) and `PwDecrypt(password)` in one call, with
/// the packet's secret and authenticator when both are bytes and the password is str
/// or bytes of a length RFC 2865 5.2 allows; else None (the Python code does it, with
/// pyrad's errors).
fn pwfield<'py>(
    pkt: &Bound<'py, PyAny>,
    password: &Bound<'py, PyAny>,
    hide: bool,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    let py = pkt.py();
    let fields = instance_dict(pkt)?;
    let (Some(secret), Some(auth)) = (
        fields.get_item(pyo3::intern!(py, "secret"))?,
        fields.get_item(pyo3::intern!(py, "authenticator"))?,
    ) else {
        return Ok(None);
    };
    let (Ok(secret), Ok(auth)) = (secret.cast_exact::<PyBytes>(), auth.cast_exact::<PyBytes>()) else {
        return Ok(None);
    };
    let data: &[u8] = if let Ok(text) = password.cast_exact::<pyo3::types::PyString>() {
        match text.to_str() {
            Ok(t) => t.as_bytes(),
            Err(_) => return Ok(None),
        }
    } else if let Ok(b) = password.cast_exact::<PyBytes>() {
        b.as_bytes()
    } else {
        return Ok(None);
    };
    let Some(out) = pw_octets(secret.as_bytes(), auth.as_bytes(), data, hide) else {
        return Ok(None);
    };
    if hide {
        return Ok(Some(PyBytes::new(py, &out).into_any()));
    }
    // bytes.decode("utf-8", errors="ignore")
    let mut text = String::with_capacity(out.len());
    for chunk in out.utf8_chunks() {
        text.push_str(chunk.valid());
    }
    Ok(Some(pyo3::types::PyString::new(py, &text).into_any()))
}

/// Registers the helpers on the native module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(pyrad_read, m)?)?;
    m.add_function(wrap_pyfunction!(pyrad_write, m)?)?;
    m.add_function(wrap_pyfunction!(pyrad_pw, m)?)?;
    m.add_function(wrap_pyfunction!(pyrad_encode, m)?)?;
    register_packet(m)?;
    crate::pyrad_dict::register(m)?;
    Ok(())
}

// ---------------------------------------------------------------------------------
// Packets: construction, decoding, keys and signing in one call each.
//
// `hooks` is the tuple `nacwire.pyrad.packet` builds once (see `_HOOKS` there); the
// packet dict is an `OrderedDict` subclass whose `__setitem__` is Python code, so
// entries go in through `OrderedDict.__setitem__` itself (never `PyDict_SetItem`,
// which would bypass the order the OrderedDict keeps).

const HOOK_OD_SETITEM: usize = 0;
const HOOK_OD_CLEAR: usize = 1;
const HOOK_OD_MOVE_TO_END: usize = 2;
const HOOK_TLV_TEST: usize = 3;
const HOOK_PACKET_ERROR: usize = 4;
const HOOK_GLOBALS: usize = 5;
const HOOK_CREATE_ID: usize = 6;
const HOOK_DECODE_PACKET: usize = 7;
const HOOK_OD_KEYS: usize = 9;
const HOOK_NATIVE_TYPES: usize = 10;
const HOOK_READ_PLAN: usize = 11;
const HOOK_GETITEM: usize = 12;
const HOOK_KEYS: usize = 13;
const HOOK_SETITEM: usize = 14;
const HOOK_PWCRYPT: usize = 15;
const HOOK_PWDECRYPT: usize = 16;
const HOOK_AUTH_REQUEST: usize = 17;
const HOOK_DELITEM: usize = 18;
const HOOK_CONTAINS: usize = 19;
const HOOK_ADD_MA: usize = 20;

const MESSAGE_AUTHENTICATOR: u8 = 80;
const PROXY_STATE: u8 = 33;

/// A wire key of the raw view.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum WireKey {
    Code(u8),
    Vsa(u32, u8),
}

impl WireKey {
    /// One number per key (a vendor key has bit 40 set), for fast scans.
    fn packed(self) -> u64 {
        match self {
            Self::Code(c) => u64::from(c),
            Self::Vsa(v, c) => 1 << 40 | u64::from(v) << 8 | u64::from(c),
        }
    }
}

/// A hasher for object addresses (the keys of `PyradDictCtx::resolved`): one multiply.
#[derive(Default, Clone, Copy)]
struct AddressHasher(u64);

impl std::hash::Hasher for AddressHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_usize(&mut self, n: usize) {
        self.0 = (n as u64 >> 4).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

type AddressMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<AddressHasher>>;

fn key_object<'py>(py: Python<'py>, key: WireKey) -> PyResult<Bound<'py, PyAny>> {
    Ok(match key {
        WireKey::Code(c) => c.into_pyobject(py)?.into_any(),
        WireKey::Vsa(v, s) => PyTuple::new(py, [v, u32::from(s)])?.into_any(),
    })
}

/// The wire key of a key object (an int, or `(vendor, code)`), if it is one.
fn wire_key(obj: &Bound<'_, PyAny>) -> Option<WireKey> {
    // Type checks first: a failed extraction makes an exception, which costs more
    // than the whole lookup.
    if obj.is_instance_of::<pyo3::types::PyInt>() {
        return obj.extract::<u8>().ok().map(WireKey::Code);
    }
    let pair = obj.cast::<PyTuple>().ok().filter(|t| t.len() == 2)?;
    let (vendor, code) = (pair.get_item(0).ok()?, pair.get_item(1).ok()?);
    if !vendor.is_instance_of::<pyo3::types::PyInt>() || !code.is_instance_of::<pyo3::types::PyInt>() {
        return None;
    }
    Some(WireKey::Vsa(vendor.extract().ok()?, code.extract().ok()?))
}

/// An int field's value, if it is one (no exception made for None).
fn int_field(obj: &Bound<'_, PyAny>) -> Option<i64> {
    if obj.is_instance_of::<pyo3::types::PyInt>() {
        obj.extract().ok()
    } else {
        None
    }
}

// ---------------------------------------------------------------------------------
// A packet's attributes in Rust. A packet of one of nacwire.pyrad's own classes keeps
// them in a `PyradAttrs` (the instance attribute `_nw`, "native mode") instead of the
// OrderedDict while only these operations touch them: construction, decoding, reads,
// writes and `in` by plain attribute name, `keys()`, Message-Authenticator, encoding
// and Proxy-State copying. Anything else first fills the OrderedDict with pyrad's raw
// view (`pyrad_fill`) and the packet goes on in dict mode. Decoding in dict mode is
// the same split, filled at once.

/// One wire key's values in the order they came.
struct NGroup {
    key: WireKey,
    /// A TLV: each value carries its sub-attribute code.
    tlv: bool,
    /// (sub-attribute code, 0 for a plain attribute; start; end) into `PyradAttrs::data`.
    vals: Vals,
}

/// A value's (sub-attribute code, start, end).
type ValRange = (u8, u32, u32);

/// A group's values: the first kept inline (most attributes occur once, and a packet
/// is decoded without an allocation per attribute), the others in a `Vec`.
#[derive(Default)]
struct Vals {
    first: Option<ValRange>,
    rest: Vec<ValRange>,
}

impl Vals {
    fn push(&mut self, v: ValRange) {
        if self.first.is_none() {
            self.first = Some(v);
        } else {
            self.rest.push(v);
        }
    }

    fn iter(&self) -> impl Iterator<Item = &ValRange> {
        self.first.iter().chain(self.rest.iter())
    }

    fn iter_mut(&mut self) -> impl Iterator<Item = &mut ValRange> {
        self.first.iter_mut().chain(self.rest.iter_mut())
    }
}

impl Extend<ValRange> for Vals {
    fn extend<I: IntoIterator<Item = ValRange>>(&mut self, values: I) {
        for v in values {
            self.push(v);
        }
    }
}

impl FromIterator<ValRange> for Vals {
    fn from_iter<I: IntoIterator<Item = ValRange>>(values: I) -> Self {
        let mut out = Self::default();
        out.extend(values);
        out
    }
}

/// The attributes of a packet in native mode (see above).
#[pyclass(module = "nacwire._native")]
pub(crate) struct PyradAttrs {
    data: Vec<u8>,
    groups: Vec<NGroup>,
    /// The groups' keys (`WireKey::packed`), in the same order: what `find` scans.
    keys: Vec<u64>,
    /// Group positions by key, once there are many groups (empty before).
    index: std::collections::HashMap<WireKey, usize>,
    /// The dictionary the packet was made with, and its lookup tables.
    ctx: Option<(Py<PyAny>, Py<PyradDictCtx>)>,
}

/// Above this many groups, `PyradAttrs::find` uses an index.
const INDEX_AFTER: usize = 32;

#[pymethods]
impl PyradAttrs {
    fn __traverse__(&self, visit: pyo3::PyVisit<'_>) -> Result<(), pyo3::PyTraverseError> {
        if let Some((d, ctx)) = &self.ctx {
            visit.call(d)?;
            visit.call(ctx)?;
        }
        Ok(())
    }

    fn __clear__(&mut self) {
        self.ctx = None;
    }
}

impl PyradAttrs {
    fn new(ctx: Option<(Py<PyAny>, Py<PyradDictCtx>)>) -> Self {
        Self {
            data: Vec::with_capacity(256),
            groups: Vec::with_capacity(16),
            keys: Vec::with_capacity(16),
            index: std::collections::HashMap::new(),
            ctx,
        }
    }

    fn find(&self, key: WireKey) -> Option<usize> {
        if self.index.is_empty() {
            let packed = key.packed();
            self.keys.iter().position(|&k| k == packed)
        } else {
            self.index.get(&key).copied()
        }
    }

    fn group(&self, key: WireKey) -> Option<&NGroup> {
        self.find(key).and_then(|i| self.groups.get(i))
    }

    fn push_group(&mut self, group: NGroup) -> usize {
        let at = self.groups.len();
        if !self.index.is_empty() || at >= INDEX_AFTER {
            if self.index.is_empty() {
                for (i, g) in self.groups.iter().enumerate() {
                    self.index.insert(g.key, i);
                }
            }
            self.index.insert(group.key, at);
        }
        self.keys.push(group.key.packed());
        self.groups.push(group);
        at
    }

    fn bytes(&self, start: u32, end: u32) -> &[u8] {
        self.data.get(start as usize..end as usize).unwrap_or_default()
    }

    /// Stores `value`, returning its range.
    fn store(&mut self, value: &[u8]) -> PyResult<(u32, u32)> {
        let too_big = |_| PyValueError::new_err("packet too large");
        let start = u32::try_from(self.data.len()).map_err(too_big)?;
        self.data.extend_from_slice(value);
        let end = u32::try_from(self.data.len()).map_err(too_big)?;
        Ok((start, end))
    }

    /// Rewrites `data` with only the values in use once most of it is not (values
    /// replaced by writes stay behind otherwise: a packet reused for many writes).
    fn compact(&mut self) {
        if self.data.len() <= 1024 {
            return; // (at most this much left behind: not worth counting)
        }
        let live: usize = self
            .groups
            .iter()
            .flat_map(|g| g.vals.iter())
            .map(|&(_, s, e)| e.saturating_sub(s) as usize)
            .sum();
        if self.data.len() <= 2 * live + 1024 {
            return;
        }
        let mut data = Vec::with_capacity(live);
        for g in &mut self.groups {
            for v in g.vals.iter_mut() {
                let (s, e) = (v.1 as usize, v.2 as usize);
                let start = data.len();
                data.extend_from_slice(self.data.get(s..e).unwrap_or_default());
                // within u32: the live bytes were addressed by u32 ranges already
                v.1 = u32::try_from(start).unwrap_or(u32::MAX);
                v.2 = u32::try_from(data.len()).unwrap_or(u32::MAX);
            }
        }
        self.data = data;
    }

    /// Sets `key`'s values (in place when present, else first or last).
    fn set(&mut self, key: WireKey, values: &[&[u8]], front: bool) -> PyResult<()> {
        self.compact();
        let mut vals = Vals::default();
        for v in values {
            let (s, e) = self.store(v)?;
            vals.push((0, s, e));
        }
        match self.find(key).and_then(|i| self.groups.get_mut(i)) {
            Some(g) => {
                g.tlv = false;
                g.vals = vals;
            }
            None if front => {
                self.groups.insert(
                    0,
                    NGroup {
                        key,
                        tlv: false,
                        vals,
                    },
                );
                self.keys.insert(0, key.packed());
                if !self.index.is_empty() {
                    self.index = self.groups.iter().enumerate().map(|(i, g)| (g.key, i)).collect();
                }
            }
            None => {
                self.push_group(NGroup {
                    key,
                    tlv: false,
                    vals,
                });
            }
        }
        Ok(())
    }

    /// Appends a plain value received at `start..end` of `data` (pyrad's split).
    fn push_plain(&mut self, key: WireKey, start: u32, end: u32) -> PyResult<()> {
        match self.find(key).and_then(|i| self.groups.get_mut(i)) {
            Some(g) if !g.tlv => g.vals.push((0, start, end)),
            Some(_) => return Err(PyTypeError::new_err("a TLV and a plain attribute share a key")),
            None => {
                self.push_group(NGroup {
                    key,
                    tlv: false,
                    vals: Vals {
                        first: Some((0, start, end)),
                        rest: Vec::new(),
                    },
                });
            }
        }
        Ok(())
    }

    /// Appends a TLV's sub-attributes, received at `start..end` of `data`.
    fn push_tlv(&mut self, key: WireKey, start: u32, end: u32) -> PyResult<()> {
        let subs = split_ranges(self.bytes(start, end), start)
            .ok_or_else(|| PyValueError::new_err("TLV sub-attribute length is invalid"))?;
        let at = match self.find(key) {
            Some(i) => i,
            None => self.push_group(NGroup {
                key,
                tlv: true,
                vals: Vals::default(),
            }),
        };
        match self.groups.get_mut(at) {
            Some(g) if g.tlv => g.vals.extend(subs),
            _ => return Err(PyTypeError::new_err("a TLV and a plain attribute share a key")),
        }
        Ok(())
    }

    /// The OrderedDict value of a group: a list of bytes, or a TLV's dict of lists.
    fn value_object<'py>(&self, py: Python<'py>, g: &NGroup) -> PyResult<Bound<'py, PyAny>> {
        if !g.tlv {
            let list = PyList::empty(py);
            for &(_, s, e) in g.vals.iter() {
                list.append(PyBytes::new(py, self.bytes(s, e)))?;
            }
            return Ok(list.into_any());
        }
        let dict = PyDict::new(py);
        for &(sub, s, e) in g.vals.iter() {
            let value = PyBytes::new(py, self.bytes(s, e));
            match dict.get_item(sub)? {
                Some(list) => list.cast::<PyList>()?.append(value)?,
                None => dict.set_item(sub, PyList::new(py, [value])?)?,
            }
        }
        Ok(dict.into_any())
    }

    /// The attribute octets (`None` when there is a TLV group), and where the first
    /// Message-Authenticator value sits in `out`.
    fn encode(&self, py: Python<'_>, out: &mut Vec<u8>) -> PyResult<Option<Option<usize>>> {
        let mut ma = None;
        for g in &self.groups {
            if g.tlv {
                return Ok(None);
            }
            for &(_, s, e) in g.vals.iter() {
                let value = self.bytes(s, e);
                if ma.is_none() && g.key == WireKey::Code(MESSAGE_AUTHENTICATOR) {
                    ma = Some(out.len() + 2);
                }
                match g.key {
                    WireKey::Code(code) if value.len() <= 253 => {
                        out.extend_from_slice(&[code, value.len() as u8 + 2]);
                        out.extend_from_slice(value);
                    }
                    WireKey::Vsa(vendor, sub) if value.len() + 6 <= 253 => {
                        out.extend_from_slice(&[VENDOR_SPECIFIC, value.len() as u8 + 8]);
                        out.extend_from_slice(&vendor.to_be_bytes());
                        out.extend_from_slice(&[sub, value.len() as u8 + 2]);
                        out.extend_from_slice(value);
                    }
                    // Too long: pyrad's error, naming the key as it does.
                    _ => {
                        encode_one(&mut Vec::new(), &key_object(py, g.key)?, value)?;
                    }
                }
            }
        }
        Ok(Some(ma))
    }

    /// The lookup tables of dictionary `d`, from the cache when `d` is the packet's.
    fn ctx<'py>(&mut self, d: &Bound<'py, PyAny>) -> PyResult<Option<Bound<'py, PyradDictCtx>>> {
        if let Some((dict, ctx)) = &self.ctx {
            if dict.is(d) {
                return Ok(Some(ctx.bind(d.py()).clone()));
            }
        }
        let ctx = dict_ctx(d)?;
        self.ctx = ctx.as_ref().map(|c| (d.clone().unbind(), c.clone().unbind()));
        Ok(ctx)
    }
}

/// A cursor over a list of sub-attributes (type, length, value) at `pos..end` of a
/// buffer that each step is given (so the buffer is not borrowed in between).
#[derive(Clone, Copy, Debug)]
struct SubCursor {
    pos: usize,
    end: usize,
}

impl SubCursor {
    /// The next sub-attribute's (type, value start, value end); None at the end or
    /// where the list is not well formed.
    fn next(&mut self, data: &[u8]) -> Option<(u8, u32, u32)> {
        if self.pos >= self.end {
            return None;
        }
        let kind = *data.get(self.pos)?;
        let len = usize::from(*data.get(self.pos + 1)?);
        if len < 2 || self.pos + len > self.end {
            return None;
        }
        let range = (
            u32::try_from(self.pos + 2).ok()?,
            u32::try_from(self.pos + len).ok()?,
        );
        self.pos += len;
        Some((kind, range.0, range.1))
    }

    /// Whether the whole list is well formed (pyrad's `_PktSplitSubAttributes`).
    fn well_formed(mut self, data: &[u8]) -> bool {
        while self.pos < self.end {
            if self.next(data).is_none() {
                return false;
            }
        }
        true
    }
}

/// Splits a TLV's value into (sub-attribute, start, end) ranges (`base`: the value's
/// offset); `None` when the list is not well formed.
fn split_ranges(data: &[u8], base: u32) -> Option<Vec<(u8, u32, u32)>> {
    let mut out = Vec::new();
    let mut pos = 0usize;
    while pos < data.len() {
        let kind = *data.get(pos)?;
        let len = usize::from(*data.get(pos + 1)?);
        if len < 2 || pos + len > data.len() {
            return None;
        }
        let start = base + u32::try_from(pos + 2).ok()?;
        let end = base + u32::try_from(pos + len).ok()?;
        out.push((kind, start, end));
        pos += len;
    }
    Some(out)
}

/// The lookup tables of a nacwire.pyrad `Dictionary` that native mode reads, kept on
/// the dictionary (`_nwctx`): its plans, attributes and index (the same dict objects,
/// so they stay current), and its TLV wire keys while it is unchanged.
#[pyclass(module = "nacwire._native")]
pub(crate) struct PyradDictCtx {
    plans: Py<PyDict>,
    attributes: Py<PyDict>,
    backward: Py<PyDict>,
    forward: Py<PyDict>,
    /// (number of attributes, number of index entries) when the TLV keys were taken.
    tlv_stamp: Option<(usize, usize)>,
    /// The TLV attribute codes (a bit per code) and vendor TLV keys, sorted.
    tlv_codes: [u64; 4],
    tlv_vsas: Vec<(u32, u8)>,
    /// Plans already taken apart, by the address of the name object they were asked
    /// for (the entry holds the name, so the address stays its own). An entry holds
    /// while the dictionary maps the name to the same attribute object; reading
    /// another file clears them all (`clear`), as it clears the plans.
    resolved: AddressMap<usize, Resolved>,
}

/// A plan's parts (see `PyradDictCtx::resolved`).
struct Resolved {
    name: Py<PyAny>,
    attr: Py<PyAny>,
    wire: WireKey,
    wire_obj: Py<PyAny>,
    kind: u8,
    decode: Py<PyAny>,
    back: Py<PyDict>,
    fwd: Py<PyDict>,
}

/// At most this many resolved names are kept (names made anew for each call would
/// otherwise add entries without end).
const RESOLVED_MAX: usize = 4096;

/// The parts of a plain attribute's plan that native reads and writes use.
struct PlanParts<'py> {
    wire: WireKey,
    /// The wire key as pyrad's raw view has it (an int or a (vendor, code) tuple).
    wire_obj: Bound<'py, PyAny>,
    kind: u8,
    decode: Bound<'py, PyAny>,
    /// Named values: encoded octets -> name, and name -> encoded octets.
    back: Bound<'py, PyDict>,
    fwd: Bound<'py, PyDict>,
}

impl Resolved {
    fn parts<'py>(&self, py: Python<'py>) -> PlanParts<'py> {
        PlanParts {
            wire: self.wire,
            wire_obj: self.wire_obj.bind(py).clone(),
            kind: self.kind,
            decode: self.decode.bind(py).clone(),
            back: self.back.bind(py).clone(),
            fwd: self.fwd.bind(py).clone(),
        }
    }
}

#[pymethods]
impl PyradDictCtx {
    fn __traverse__(&self, visit: pyo3::PyVisit<'_>) -> Result<(), pyo3::PyTraverseError> {
        visit.call(&self.plans)?;
        visit.call(&self.attributes)?;
        visit.call(&self.backward)?;
        visit.call(&self.forward)?;
        for r in self.resolved.values() {
            visit.call(&r.name)?;
            visit.call(&r.attr)?;
            visit.call(&r.wire_obj)?;
            visit.call(&r.decode)?;
            visit.call(&r.back)?;
            visit.call(&r.fwd)?;
        }
        Ok(())
    }

    fn __clear__(&mut self) {
        self.resolved.clear();
    }

    /// Forgets the plans taken apart (the dictionary read another file). They are
    /// released after the tables' borrow ends (releasing one may run Python code).
    fn clear(slf: &Bound<'_, Self>) -> PyResult<()> {
        let released = match slf.try_borrow_mut() {
            Ok(mut c) => std::mem::take(&mut c.resolved),
            Err(_) => {
                return Err(pyo3::exceptions::PyRuntimeError::new_err(
                    "the dictionary's tables are in use by another thread",
                ))
            }
        };
        drop(released);
        Ok(())
    }

    /// A copied or pickled dictionary makes its own tables again: this copies as None.
    fn __reduce__<'py>(&self, py: Python<'py>) -> (Bound<'py, pyo3::types::PyType>, ()) {
        (py.None().into_bound(py).get_type(), ())
    }
}

impl PyradDictCtx {
    fn is_tlv(&self, key: WireKey) -> bool {
        match key {
            WireKey::Code(c) => self
                .tlv_codes
                .get(usize::from(c / 64))
                .is_some_and(|w| w & (1 << (c % 64)) != 0),
            WireKey::Vsa(v, c) => self.tlv_vsas.binary_search(&(v, c)).is_ok(),
        }
    }
}

/// `d`'s tables, made and kept on `d` when it is a nacwire.pyrad `Dictionary`
/// (`None` for other dictionary classes: their packets take the Python paths).
fn dict_ctx<'py>(d: &Bound<'py, PyAny>) -> PyResult<Option<Bound<'py, PyradDictCtx>>> {
    let py = d.py();
    if d.is_none() {
        return Ok(None);
    }
    if let Ok(Some(ctx)) = d.getattr_opt(pyo3::intern!(py, "_nwctx")) {
        if let Ok(ctx) = ctx.cast_into::<PyradDictCtx>() {
            return Ok(Some(ctx));
        }
    }
    let get = |name: &Bound<'py, pyo3::types::PyString>,
               on: &Bound<'py, PyAny>|
     -> Option<Bound<'py, PyDict>> { on.getattr(name).ok()?.cast_into::<PyDict>().ok() };
    let (Some(plans), Some(attributes)) = (
        get(pyo3::intern!(py, "_plans"), d),
        get(pyo3::intern!(py, "attributes"), d),
    ) else {
        return Ok(None);
    };
    let Ok(index) = d.getattr(pyo3::intern!(py, "attrindex")) else {
        return Ok(None);
    };
    let (Some(backward), Some(forward)) = (
        get(pyo3::intern!(py, "backward"), &index),
        get(pyo3::intern!(py, "forward"), &index),
    ) else {
        return Ok(None);
    };
    let ctx = Bound::new(
        py,
        PyradDictCtx {
            plans: plans.unbind(),
            attributes: attributes.unbind(),
            backward: backward.unbind(),
            forward: forward.unbind(),
            tlv_stamp: None,
            tlv_codes: [0; 4],
            tlv_vsas: Vec::new(),
            resolved: AddressMap::default(),
        },
    )?;
    if d.setattr(pyo3::intern!(py, "_nwctx"), &ctx).is_err() {
        return Ok(None);
    }
    Ok(Some(ctx))
}

/// Whether a key not seen yet in a packet is a TLV of its dictionary.
enum TlvTest<'py> {
    /// No dictionary: nothing is a TLV (and Vendor-Specific stays whole).
    NoDictionary,
    /// A nacwire.pyrad `Dictionary`'s tables, borrowed while the packet is split (no
    /// Python code runs meanwhile).
    Keys(PyRef<'py, PyradDictCtx>),
    /// Another dictionary class (or tables in use elsewhere): `key in obj`.
    Container(Bound<'py, PyAny>),
}

impl TlvTest<'_> {
    fn is_tlv(&self, key: WireKey) -> PyResult<bool> {
        match self {
            Self::NoDictionary => Ok(false),
            Self::Keys(ctx) => Ok(ctx.is_tlv(key)),
            Self::Container(c) => c.contains(key_object(c.py(), key)?),
        }
    }
}

/// The TLV test for dictionary `d` (its TLV keys refreshed when it changed).
fn tlv_test<'py>(
    pkt: &Bound<'py, PyAny>,
    d: &Bound<'py, PyAny>,
    ctx: Option<&Bound<'py, PyradDictCtx>>,
    hooks: &Bound<'py, PyTuple>,
) -> PyResult<TlvTest<'py>> {
    let py = pkt.py();
    if d.is_none() {
        return Ok(TlvTest::NoDictionary);
    }
    let Some(ctx) = ctx else {
        if d.hasattr(pyo3::intern!(py, "_tlv_keys"))? {
            return Ok(TlvTest::Container(
                d.call_method0(pyo3::intern!(py, "_tlv_keys"))?,
            ));
        }
        return Ok(TlvTest::Container(hooks.get_item(HOOK_TLV_TEST)?.call1((pkt,))?));
    };
    // Tables borrowed elsewhere (a finalizer that runs during a read, say): the
    // dictionary's own answer.
    let container = || -> PyResult<TlvTest<'py>> {
        Ok(TlvTest::Container(
            d.call_method0(pyo3::intern!(py, "_tlv_keys"))?,
        ))
    };
    let Ok(stamp) = ctx
        .try_borrow()
        .map(|c| (c.attributes.bind(py).len(), c.forward.bind(py).len(), c.tlv_stamp))
    else {
        return container();
    };
    let (stamp, taken) = ((stamp.0, stamp.1), stamp.2);
    if taken != Some(stamp) {
        let keys = d.call_method0(pyo3::intern!(py, "_tlv_keys"))?;
        let mut codes = [0u64; 4];
        let mut vsas = Vec::new();
        for key in keys.try_iter()? {
            match wire_key(&key?) {
                Some(WireKey::Code(c)) => {
                    if let Some(w) = codes.get_mut(usize::from(c / 64)) {
                        *w |= 1 << (c % 64);
                    }
                }
                Some(WireKey::Vsa(v, c)) => vsas.push((v, c)),
                None => {}
            }
        }
        vsas.sort_unstable();
        let Ok(mut c) = ctx.try_borrow_mut() else {
            // read by a decode on another thread just now: ask the keys themselves
            return Ok(TlvTest::Container(keys));
        };
        c.tlv_codes = codes;
        c.tlv_vsas = vsas;
        c.tlv_stamp = Some(stamp);
    }
    match ctx.try_borrow() {
        Ok(c) => Ok(TlvTest::Keys(c)),
        Err(_) => container(),
    }
}

/// A received packet's header fields.
struct Header {
    code: u8,
    ident: u8,
    auth: [u8; 16],
    length: usize,
}

/// pyrad's split of a packet into its raw view (pyrad 2.6's `DecodePacket` rules),
/// into `st` (empty); returns the header and whether Message-Authenticator is present.
/// `ValueError`/`TypeError` for a malformed packet (the caller's `PacketError`).
fn split_packet(st: &mut PyradAttrs, packet: &[u8], tlvs: &TlvTest<'_>) -> PyResult<(Header, bool)> {
    let (header, _) = packet
        .split_first_chunk::<20>()
        .ok_or_else(|| PyValueError::new_err("Packet header is corrupt"))?;
    let [code, ident, l0, l1, auth @ ..] = *header;
    let length = usize::from(u16::from_be_bytes([l0, l1]));
    if length < 20 || packet.len() < length {
        return Err(PyValueError::new_err("Packet has invalid length"));
    }
    if length > MAX_PACKET {
        return Err(PyValueError::new_err(format!(
            "Packet length is too long ({length})"
        )));
    }
    st.data.clear();
    st.data
        .extend_from_slice(packet.get(..length).unwrap_or_default());
    // Whether a key is a TLV: the group's kind once it exists.
    let is_tlv = |st: &PyradAttrs, key: WireKey| -> PyResult<bool> {
        match st.group(key) {
            Some(g) => Ok(g.tlv),
            None => tlvs.is_tlv(key),
        }
    };
    let vendor_split = !matches!(tlvs, TlvTest::NoDictionary);
    let mut has_ma = false;
    let mut pos = 20usize;
    while pos < length {
        let (kind, attr_len) = match st.data.get(pos..length) {
            Some([k, l, ..]) => (*k, usize::from(*l)),
            _ => return Err(PyValueError::new_err("Attribute header is corrupt")),
        };
        if attr_len < 2 {
            return Err(PyValueError::new_err(format!(
                "Attribute length is too small ({attr_len})"
            )));
        }
        // A value running past the end is cut there (pyrad slices).
        let (start, end) = (pos + 2, (pos + attr_len).min(length));
        pos += attr_len;
        let range = |a: usize, b: usize| -> (u32, u32) { (a as u32, b as u32) };
        if kind == VENDOR_SPECIFIC {
            let value = st.data.get(start..end).unwrap_or_default();
            let list = SubCursor { pos: start + 4, end };
            let vendor = match (vendor_split, value) {
                (true, [a, b, c, d, _, _, ..]) if list.well_formed(&st.data) => {
                    Some(u32::from_be_bytes([*a, *b, *c, *d]))
                }
                _ => None,
            };
            match vendor {
                Some(vendor) => {
                    // pyrad files a vendor TLV while splitting the Vendor-Specific,
                    // before the plain sub-attributes of the same one. (Which were
                    // TLVs: a bit each, as at most 124 sub-attributes fit in one.)
                    let (mut cur, mut i, mut tlvs_at) = (list, 0u32, 0u128);
                    while let Some((sub, s, e)) = cur.next(&st.data) {
                        let key = WireKey::Vsa(vendor, sub);
                        if is_tlv(st, key)? {
                            st.push_tlv(key, s, e)?;
                            tlvs_at |= 1u128.checked_shl(i).unwrap_or(0);
                        }
                        i += 1;
                    }
                    let (mut cur, mut i) = (list, 0u32);
                    while let Some((sub, s, e)) = cur.next(&st.data) {
                        if tlvs_at & 1u128.checked_shl(i).unwrap_or(0) == 0 {
                            st.push_plain(WireKey::Vsa(vendor, sub), s, e)?;
                        }
                        i += 1;
                    }
                }
                None => {
                    let (s, e) = range(start.min(end), end);
                    st.push_plain(WireKey::Code(kind), s, e)?;
                }
            }
            continue;
        }
        let key = WireKey::Code(kind);
        let (s, e) = range(start.min(end), end);
        if kind == MESSAGE_AUTHENTICATOR {
            has_ma = true;
            st.push_plain(key, s, e)?;
        } else if is_tlv(st, key)? {
            st.push_tlv(key, s, e)?;
        } else {
            st.push_plain(key, s, e)?;
        }
    }
    Ok((
        Header {
            code,
            ident,
            auth,
            length,
        },
        has_ma,
    ))
}

/// `Packet.DecodePacket`: replaces header fields and attributes with a received
/// packet's; `PacketError` when it is malformed (the packet is then unchanged).
fn decode_into<'py>(
    pkt: &Bound<'py, PyDict>,
    fields: &Bound<'py, PyDict>,
    packet: &Bound<'py, PyAny>,
    hooks: &Bound<'py, PyTuple>,
) -> PyResult<()> {
    let py = pkt.py();
    let any = pkt.as_any();
    let d = match fields.get_item(pyo3::intern!(py, "dict"))? {
        Some(d) => d,
        None => match any.getattr(pyo3::intern!(py, "dict")) {
            Ok(d) => d,
            Err(e) if e.is_instance_of::<pyo3::exceptions::PyAttributeError>(py) => py.None().into_bound(py),
            Err(e) => return Err(e),
        },
    };
    let packet_error = |msg: String| {
        PyErr::from_value(
            match hooks.get_item(HOOK_PACKET_ERROR).and_then(|c| c.call1((msg,))) {
                Ok(e) => e,
                Err(e) => e.into_value(py).into_bound(py).into_any(),
            },
        )
    };
    let ctx = dict_ctx(&d)?;
    let tlvs = tlv_test(any, &d, ctx.as_ref(), hooks)?;
    let bytes;
    let data: &[u8] = if let Ok(b) = packet.cast::<PyBytes>() {
        b.as_bytes()
    } else if packet.is_instance_of::<pyo3::types::PyByteArray>()
        || packet.is_instance_of::<pyo3::types::PyMemoryView>()
    {
        bytes = py
            .get_type::<PyBytes>()
            .call1((packet,))?
            .cast_into::<PyBytes>()?;
        bytes.as_bytes()
    } else {
        return Err(packet_error("Packet header is corrupt".to_owned()));
    };
    let mut st = PyradAttrs::new(ctx.map(|c| (d.clone().unbind(), c.unbind())));
    let (header, has_ma) = match split_packet(&mut st, data, &tlvs) {
        Ok(s) => s,
        Err(e) if e.is_instance_of::<PyValueError>(py) => {
            return Err(packet_error(e.value(py).str()?.to_string()))
        }
        Err(e) if e.is_instance_of::<PyTypeError>(py) => {
            return Err(packet_error("Packet header is corrupt".to_owned()))
        }
        Err(e) => return Err(e),
    };
    fields.set_item(pyo3::intern!(py, "code"), header.code)?;
    fields.set_item(pyo3::intern!(py, "id"), header.ident)?;
    fields.set_item(pyo3::intern!(py, "authenticator"), PyBytes::new(py, &header.auth))?;
    let raw = if data.len() == header.length && packet.is_instance_of::<PyBytes>() {
        packet.clone()
    } else {
        PyBytes::new(py, data.get(..header.length).unwrap_or_default()).into_any()
    };
    fields.set_item(pyo3::intern!(py, "raw_packet"), raw)?;
    if !pkt.is_empty() {
        hooks.get_item(HOOK_OD_CLEAR)?.call1((pkt,))?;
    }
    if has_ma {
        fields.set_item(pyo3::intern!(py, "message_authenticator"), true)?;
    }
    if native_type(any, hooks)? {
        fields.set_item(pyo3::intern!(py, "_nw"), Bound::new(py, st)?)?;
        return Ok(());
    }
    fields.set_item(pyo3::intern!(py, "_nw"), py.None())?;
    let setitem = hooks.get_item(HOOK_OD_SETITEM)?;
    for g in &st.groups {
        setitem.call1((pkt, key_object(py, g.key)?, st.value_object(py, g)?))?;
    }
    Ok(())
}

/// `Packet.DecodePacket(packet)` in one call (`hooks`: see `nacwire.pyrad.packet`).
#[pyfunction]
fn pyrad_decode<'py>(
    pkt: &Bound<'py, PyDict>,
    packet: &Bound<'py, PyAny>,
    hooks: &Bound<'py, PyTuple>,
) -> PyResult<()> {
    decode_into(pkt, &instance_dict(pkt.as_any())?, packet, hooks)
}

/// The instance dict of a packet: its fields are set there directly (pyrad's packet
/// classes define no descriptors for them).
fn instance_dict<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyDict>> {
    Ok(obj
        .getattr(pyo3::intern!(obj.py(), "__dict__"))?
        .cast_into::<PyDict>()?)
}

/// Whether `pkt` is of one of nacwire.pyrad's own packet classes (native mode is for
/// those only: a subclass may use the OrderedDict directly, as pyrad's code does).
fn native_type(pkt: &Bound<'_, PyAny>, hooks: &Bound<'_, PyTuple>) -> PyResult<bool> {
    let ty = pkt.get_type();
    for t in hooks.get_item(HOOK_NATIVE_TYPES)?.cast::<PyTuple>()?.iter() {
        if t.is(&ty) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The next id of `nacwire.pyrad.packet`'s module-wide counter (its `CreateID()`;
/// a replaced `CreateID` is called).
fn next_id<'py>(hooks: &Bound<'py, PyTuple>) -> PyResult<Bound<'py, PyAny>> {
    let py = hooks.py();
    let globals = hooks.get_item(HOOK_GLOBALS)?;
    let globals = globals.cast::<PyDict>()?;
    let create = globals.get_item(pyo3::intern!(py, "CreateID"))?;
    match create {
        Some(f) if f.is(&hooks.get_item(HOOK_CREATE_ID)?) => {
            let current = globals.get_item(pyo3::intern!(py, "CurrentID"))?;
            match current.map(|c| c.extract::<i64>()) {
                Some(Ok(c)) => {
                    let next = (c + 1).rem_euclid(256).into_pyobject(py)?.into_any();
                    globals.set_item(pyo3::intern!(py, "CurrentID"), &next)?;
                    Ok(next)
                }
                _ => f.call0(),
            }
        }
        Some(f) => f.call0(),
        None => Err(pyo3::exceptions::PyNameError::new_err(
            "name 'CreateID' is not defined",
        )),
    }
}

/// The instance dict a new packet starts from: pyrad 2.6's fields in the order its
/// `__init__` assigns them (`AuthPacket`'s with `auth_type`), then `_nw`, all None.
/// Never changed: copied into each new packet's dict.
fn init_template(py: Python<'_>, auth: bool) -> PyResult<&Bound<'_, PyDict>> {
    static PLAIN: pyo3::sync::PyOnceLock<Py<PyDict>> = pyo3::sync::PyOnceLock::new();
    static AUTH: pyo3::sync::PyOnceLock<Py<PyDict>> = pyo3::sync::PyOnceLock::new();
    let make = |auth: bool| -> PyResult<Py<PyDict>> {
        let d = PyDict::new(py);
        for name in TEMPLATE_FIELDS {
            if auth || name != "auth_type" {
                d.set_item(pyo3::types::PyString::intern(py, name), py.None())?;
            }
        }
        Ok(d.unbind())
    };
    let cell = if auth { &AUTH } else { &PLAIN };
    Ok(cell.get_or_try_init(py, || make(auth))?.bind(py))
}

/// The fields of `init_template`, in its order (`auth_type` for `AuthPacket` only).
const TEMPLATE_FIELDS: [&str; 11] = [
    "code",
    "id",
    "secret",
    "authenticator",
    "request_authenticator",
    "_request_code",
    "message_authenticator",
    "raw_packet",
    "dict",
    "auth_type",
    "_nw",
];

/// A new `AuthPacket`'s `__init__` failed after `Packet.__init__`'s part had begun:
/// pyrad's assigns `auth_type` only once that has returned, so it is taken out again.
fn untemplate_auth_type(fields: &Bound<'_, PyDict>) -> PyResult<()> {
    let name = pyo3::intern!(fields.py(), "auth_type");
    if fields.contains(name)? {
        fields.del_item(name)?;
    }
    Ok(())
}

/// A new packet's `__init__` failed before pyrad's would have assigned the template's
/// fields from `first` on: they are taken out again, so that a subclass that catches
/// the error sees the fields pyrad's packet has (and the class defaults, as before).
fn untemplate(fields: &Bound<'_, PyDict>, first: &str) -> PyResult<()> {
    let py = fields.py();
    let from = TEMPLATE_FIELDS.iter().position(|n| *n == first).unwrap_or(0);
    for name in TEMPLATE_FIELDS.iter().skip(from) {
        let name = pyo3::types::PyString::intern(py, name);
        if fields.contains(&name)? {
            fields.del_item(name)?;
        }
    }
    Ok(())
}

/// `Packet.__init__` up to the attributes given by name: header fields, secret,
/// dictionary, decoding `packet=`; returns the packet's instance dict and whether the
/// packet is new (its instance dict was empty).
fn init_fields<'py>(
    pkt: &Bound<'py, PyDict>,
    header: InitHeader<'_, 'py>,
    auth: bool,
    packet: Option<Bound<'py, PyAny>>,
    dict: Option<Bound<'py, PyAny>>,
    message_authenticator: Option<Bound<'py, PyAny>>,
    hooks: &Bound<'py, PyTuple>,
) -> PyResult<(Bound<'py, PyDict>, bool)> {
    let py = pkt.py();
    let any = pkt.as_any();
    let none = py.None().into_bound(py);
    let fields = instance_dict(any)?;
    let fresh = fields.is_empty();
    // (before the template below hides a `dict` of the class)
    let d = match dict {
        Some(d) => d,
        None => match any.getattr(pyo3::intern!(py, "dict")) {
            Ok(d) => d,
            Err(e) if e.is_instance_of::<pyo3::exceptions::PyAttributeError>(py) => none.clone(),
            Err(e) => return Err(e),
        },
    };
    if fresh {
        // pyrad's fields, in its order, all at once (one copy of the keys, sized for
        // them: no resize as they are set below).
        fields.update(init_template(py, auth)?.as_mapping())?;
    } else {
        // Initialised again: OrderedDict.__init__() keeps the entries, so the
        // attributes of native mode go into the OrderedDict first.
        if let Some(nw) = fields.get_item(pyo3::intern!(py, "_nw"))? {
            if let Ok(nw) = nw.cast::<PyradAttrs>() {
                pyrad_fill(pkt, nw, hooks)?;
            }
        }
    }
    let InitHeader {
        code,
        id,
        secret,
        authenticator,
    } = header;
    // Decoded by our DecodePacket: code, id and authenticator come from the packet, so
    // they are set once (after a failed decode, as pyrad leaves them: below).
    let decode = match &packet {
        Some(_) => {
            let decode = any.get_type().getattr(pyo3::intern!(py, "DecodePacket"))?;
            Some(decode.is(&hooks.get_item(HOOK_DECODE_PACKET)?))
        }
        None => None,
    };
    let header_from_packet = fresh && decode == Some(true);
    if !header_from_packet {
        fields.set_item(pyo3::intern!(py, "code"), code)?;
    }
    // (id None, with packet= too: pyrad takes an id before decoding, and the counter
    // moves)
    let id = if id.is_none() { next_id(hooks)? } else { id.clone() };
    if !header_from_packet {
        fields.set_item(pyo3::intern!(py, "id"), &id)?;
    }
    // A TypeError below: pyrad has set code and id (and the fields before the one that
    // fails), not what the packet would have given.
    let early_error = |first: &str, message: &'static str| -> PyResult<PyErr> {
        if header_from_packet {
            fields.set_item(pyo3::intern!(py, "code"), code)?;
            fields.set_item(pyo3::intern!(py, "id"), &id)?;
        }
        if fresh {
            untemplate(&fields, first)?;
        }
        Ok(PyTypeError::new_err(message))
    };
    if !secret.is_instance_of::<PyBytes>() {
        return Err(early_error("secret", "secret must be a binary string")?);
    }
    fields.set_item(pyo3::intern!(py, "secret"), secret)?;
    if !authenticator.is_none() && !authenticator.is_instance_of::<PyBytes>() {
        return Err(early_error(
            "authenticator",
            "authenticator must be a binary string",
        )?);
    }
    if !header_from_packet {
        fields.set_item(pyo3::intern!(py, "authenticator"), authenticator)?;
    }
    if !fresh {
        // Initialised again: back to the defaults the packet classes hold.
        for name in [
            pyo3::intern!(py, "request_authenticator"),
            pyo3::intern!(py, "_request_code"),
            pyo3::intern!(py, "message_authenticator"),
            pyo3::intern!(py, "raw_packet"),
        ] {
            fields.set_item(name, &none)?;
        }
    }
    fields.set_item(pyo3::intern!(py, "dict"), &d)?;
    match packet {
        Some(packet) => {
            if decode == Some(true) {
                if let Err(e) = decode_into(pkt, &fields, &packet, hooks) {
                    // pyrad sets raw_packet before DecodePacket; auth_type (AuthPacket)
                    // only after the whole Packet.__init__
                    fields.set_item(pyo3::intern!(py, "raw_packet"), &packet)?;
                    if fresh {
                        untemplate_auth_type(&fields)?;
                    }
                    if header_from_packet {
                        // pyrad's fields after a failed decode: the header's when it
                        // unpacked (20 octets), else those given
                        let head = packet.cast::<PyBytes>().ok().and_then(|b| {
                            let h = b.as_bytes().get(..20)?;
                            Some((
                                h.first().copied()?,
                                h.get(1).copied()?,
                                PyBytes::new(py, h.get(4..)?),
                            ))
                        });
                        match head {
                            Some((c, i, a)) => {
                                fields.set_item(pyo3::intern!(py, "code"), c)?;
                                fields.set_item(pyo3::intern!(py, "id"), i)?;
                                fields.set_item(pyo3::intern!(py, "authenticator"), a)?;
                            }
                            None => {
                                fields.set_item(pyo3::intern!(py, "code"), code)?;
                                fields.set_item(pyo3::intern!(py, "id"), &id)?;
                                fields.set_item(pyo3::intern!(py, "authenticator"), authenticator)?;
                            }
                        }
                    }
                    return Err(e);
                }
            } else {
                fields.set_item(pyo3::intern!(py, "raw_packet"), &packet)?;
                fields.set_item(pyo3::intern!(py, "_nw"), &none)?;
                if let Err(e) = any.call_method1(pyo3::intern!(py, "DecodePacket"), (packet,)) {
                    if fresh {
                        untemplate_auth_type(&fields)?;
                    }
                    return Err(e);
                }
            }
        }
        None if pkt.is_empty() && native_type(any, hooks)? => {
            let ctx = dict_ctx(&d)?.map(|c| (d.clone().unbind(), c.unbind()));
            fields.set_item(pyo3::intern!(py, "_nw"), Bound::new(py, PyradAttrs::new(ctx))?)?;
        }
        None => fields.set_item(pyo3::intern!(py, "_nw"), &none)?,
    }
    if let Some(ma) = message_authenticator {
        fields.set_item(pyo3::intern!(py, "message_authenticator"), ma)?;
    }
    Ok((fields, fresh))
}

/// `Packet.keys()`: attribute names for known wire keys, the keys themselves
/// otherwise, in the packet's order.
#[pyfunction]
fn pyrad_keys<'py>(pkt: &Bound<'py, PyDict>, d: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyList>> {
    let py = pkt.py();
    let out = PyList::empty(py);
    if pkt.is_empty() {
        return Ok(out); // (pyrad looks at the dictionary only for a key)
    }
    // The OrderedDict's own iteration (its order, not the dict storage's).
    let keys = pkt.as_any().try_iter()?;
    if d.is_none() {
        for k in keys {
            out.append(k?)?;
        }
        return Ok(out);
    }
    let back = d
        .getattr(pyo3::intern!(py, "attrindex"))?
        .getattr(pyo3::intern!(py, "backward"))?;
    match back.cast::<PyDict>() {
        Ok(back) => {
            for k in keys {
                let k = k?;
                match back.get_item(&k)? {
                    Some(name) => out.append(name)?,
                    None => out.append(k)?,
                }
            }
        }
        Err(_) => {
            let get = back.getattr(pyo3::intern!(py, "get"))?;
            for k in keys {
                let k = k?;
                out.append(get.call1((&k, &k))?)?;
            }
        }
    }
    Ok(out)
}

/// Encodes the packet's raw view (its OrderedDict order) into `out`; returns the
/// offset of the first Message-Authenticator value written, if any.
fn encode_packet<'py>(
    pkt: &Bound<'py, PyDict>,
    encode_tlv: &Bound<'py, PyAny>,
    out: &mut Vec<u8>,
) -> PyResult<Option<usize>> {
    let mut ma = None;
    for key in pkt.as_any().try_iter()? {
        let key = key?;
        let Some(values) = pkt.get_item(&key)? else {
            continue;
        };
        if values.is_instance_of::<PyDict>() {
            let encoded = encode_tlv.call1((&key, &values))?;
            out.extend_from_slice(encoded.cast::<PyBytes>()?.as_bytes());
            continue;
        }
        let is_ma = ma.is_none() && wire_key(&key) == Some(WireKey::Code(MESSAGE_AUTHENTICATOR));
        for value in values.try_iter()? {
            let value = value?;
            let at = out.len() + 2;
            encode_value(out, encode_tlv, &key, &value)?;
            if is_ma && ma.is_none() {
                ma = Some(at);
            }
        }
    }
    Ok(ma)
}

fn hmac_md5(key: &[u8], parts: &[&[u8]]) -> [u8; 16] {
    use hmac::Mac;
    let cached = LAST_MAC.try_with(|cell| {
        let Ok(mut slot) = cell.try_borrow_mut() else {
            return keyed_md5(key);
        };
        if let Some((k, mac)) = slot.as_ref() {
            if radius_codec::crypto::ct_eq(k, key) {
                return mac.clone();
            }
        }
        if let Some((mut old, mut old_mac)) = slot.take() {
            // overwritten before release: the keyed state is as good as the secret
            old.fill(0);
            old_mac.clone_from(&keyed_md5(&[]));
            std::hint::black_box((&old, &old_mac));
        }
        let mac = keyed_md5(key);
        *slot = Some((key.to_vec(), mac.clone()));
        mac
    });
    // (no cache while the thread's storage is being torn down)
    let mut mac = cached.unwrap_or_else(|_| keyed_md5(key));
    for p in parts {
        mac.update(p);
    }
    mac.finalize().into_bytes().into()
}

fn keyed_md5(key: &[u8]) -> hmac::Hmac<md5::Md5> {
    <hmac::Hmac<md5::Md5> as hmac::Mac>::new_from_slice(key)
        .unwrap_or_else(|_| <hmac::Hmac<md5::Md5> as hmac::digest::KeyInit>::new(&Default::default()))
}

thread_local! {
    /// The secret last used for an HMAC-MD5 on this thread and its keyed state: keying
    /// costs two MD5 blocks, and a program signs with few secrets. (The secret is
    /// compared in constant time and overwritten when another replaces it.)
    static LAST_MAC: std::cell::RefCell<Option<(Vec<u8>, hmac::Hmac<md5::Md5>)>> =
        const { std::cell::RefCell::new(None) };
}

/// `Packet._refresh_message_authenticator` and the encoding after it, in one call:
/// Message-Authenticator (80) set to zeros (first in the packet when new), the
/// attributes encoded, the HMAC-MD5 (RFC 3579 3.2) computed over them and stored as
/// the packet's 80 value. Returns the attribute octets, or with `whole` the packet
/// (header with the packet's authenticator field).
#[pyfunction]
fn pyrad_sign<'py>(
    pkt: &Bound<'py, PyDict>,
    encode_tlv: &Bound<'py, PyAny>,
    hooks: &Bound<'py, PyTuple>,
    whole: bool,
) -> PyResult<Bound<'py, PyBytes>> {
    let py = pkt.py();
    let any = pkt.as_any();
    let zero = PyBytes::new(py, &[0u8; 16]);
    let first = !pkt.contains(MESSAGE_AUTHENTICATOR)?;
    let setitem = hooks.get_item(HOOK_OD_SETITEM)?;
    setitem.call1((pkt, MESSAGE_AUTHENTICATOR, PyList::new(py, [&zero])?))?;
    if first {
        hooks
            .get_item(HOOK_OD_MOVE_TO_END)?
            .call1((pkt, MESSAGE_AUTHENTICATOR, false))?;
    }
    let code: u8 = any.getattr(pyo3::intern!(py, "code"))?.extract()?;
    let ident: u8 = any.getattr(pyo3::intern!(py, "id"))?.extract()?;
    let secret_obj = any.getattr(pyo3::intern!(py, "secret"))?;
    let secret_copy;
    let secret: &[u8] = if let Ok(bytes) = secret_obj.cast::<PyBytes>() {
        bytes.as_bytes()
    } else if let Ok(array) = secret_obj.cast::<pyo3::types::PyByteArray>() {
        secret_copy = array.to_vec();
        &secret_copy
    } else {
        // pyrad signs with `hmac.new(secret, ...)`: its error for a str (or None) secret
        return Err(PyTypeError::new_err(format!(
            "key: expected bytes or bytearray, but got '{}'",
            secret_obj.get_type().name()?
        )));
    };
    let auth_obj = any.getattr(pyo3::intern!(py, "authenticator"))?;
    let request_code = any
        .getattr_opt(pyo3::intern!(py, "_request_code"))?
        .and_then(|c| int_field(&c));
    let vector = ma_vector(code, request_code, &auth_obj)?;
    let mut out = signed_header(code, ident);
    let ma = encode_packet(pkt, encode_tlv, &mut out)?;
    let mac = sign_ma(&mut out, secret, vector, ma)?;
    setitem.call1((
        pkt,
        MESSAGE_AUTHENTICATOR,
        PyList::new(py, [PyBytes::new(py, &mac)])?,
    ))?;
    signed_packet(py, out, &auth_obj, whole)
}

/// The vector a packet's Message-Authenticator is computed with (RFC 3579 3.2, RFC 5176
/// 3.5): sixteen zero octets in Accounting-Request, CoA-Request, Disconnect-Request and
/// an Accounting-Response that does not answer Status-Server, else the authenticator
/// field (pyrad's "No authenticator found" when it is None).
fn ma_vector<'a>(
    code: u8,
    request_code: Option<i64>,
    authenticator: &'a Bound<'_, PyAny>,
) -> PyResult<&'a [u8]> {
    if matches!(code, 4 | 40 | 43) || (code == 5 && request_code != Some(12)) {
        return Ok(&[0; 16]);
    }
    if authenticator.is_none() {
        return Err(pyo3::exceptions::PyException::new_err("No authenticator found"));
    }
    Ok(authenticator.extract()?)
}

/// A packet's header (code, id, length and authenticator to fill in), for the
/// attributes to be appended to.
fn signed_header(code: u8, ident: u8) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    out.extend_from_slice(&[code, ident, 0, 0]);
    out.extend_from_slice(&[0; 16]);
    out
}

/// Sets the Length field of `out` (a header and the attributes) and the
/// Message-Authenticator value whose octets start at `ma`; returns the value.
fn sign_ma(out: &mut [u8], secret: &[u8], vector: &[u8], ma: Option<usize>) -> PyResult<[u8; 16]> {
    let total = u16::try_from(out.len())
        .map_err(|_| PyValueError::new_err(format!("Packet is too long ({} octets)", out.len())))?;
    if let Some(len) = out.get_mut(2..4) {
        len.copy_from_slice(&total.to_be_bytes());
    }
    let mac = hmac_md5(
        secret,
        &[
            out.get(..4).unwrap_or_default(),
            vector,
            out.get(20..).unwrap_or_default(),
        ],
    );
    if let Some(slot) = ma.and_then(|at| out.get_mut(at..at + 16)) {
        slot.copy_from_slice(&mac);
    }
    Ok(mac)
}

/// The signed packet's bytes: the attributes alone, or (`whole`) the packet with the
/// authenticator in its header field as struct's "16s" packs it (cut or padded with
/// zeros to 16 octets).
fn signed_packet<'py>(
    py: Python<'py>,
    mut out: Vec<u8>,
    authenticator: &Bound<'py, PyAny>,
    whole: bool,
) -> PyResult<Bound<'py, PyBytes>> {
    if !whole {
        return Ok(PyBytes::new(py, out.get(20..).unwrap_or_default()));
    }
    let a = authenticator
        .cast::<PyBytes>()
        .map_err(|_| PyTypeError::new_err("authenticator must be a binary string"))?
        .as_bytes();
    if let Some(slot) = out.get_mut(4..20) {
        for (f, b) in slot.iter_mut().zip(a.iter().chain(std::iter::repeat(&0))) {
            *f = *b;
        }
    }
    Ok(PyBytes::new(py, &out))
}

/// What a native-mode call found for a name key: the plan's parts, or why not.
enum Planned<'py> {
    Plan(PlanParts<'py>),
    /// No current plan for this name (the caller makes one and asks again).
    NoPlan,
    /// Not a plain attribute name of a nacwire.pyrad dictionary: dict mode.
    Slow,
}

/// The dictionary's current plan for a name key (see `current_plan`), through the
/// packet's cached tables for dictionary `d`.
fn native_plan<'py>(
    st: &mut PyradAttrs,
    d: &Bound<'py, PyAny>,
    key: &Bound<'py, PyAny>,
) -> PyResult<Planned<'py>> {
    let py = d.py();
    if !key.is_instance_of::<pyo3::types::PyString>() {
        return Ok(Planned::Slow);
    }
    let Some(ctx) = st.ctx(d)? else {
        return Ok(Planned::Slow);
    };
    let address = key.as_ptr() as usize;
    let Ok(c) = ctx.try_borrow() else {
        return Ok(Planned::Slow);
    };
    let current = c.attributes.bind(py).get_item(key)?;
    let Some(current) = current else {
        return Ok(Planned::NoPlan);
    };
    if let Some(r) = c.resolved.get(&address) {
        if r.attr.bind(py).is(&current) {
            return Ok(Planned::Plan(r.parts(py)));
        }
    }
    let Some(plan) = c.plans.bind(py).get_item(key)? else {
        return Ok(Planned::NoPlan);
    };
    drop(c);
    let plan = plan.cast_into::<PyTuple>()?;
    if !plan.get_item(0).is_ok_and(|a| a.is(&current)) {
        return Ok(Planned::NoPlan);
    }
    if plan.len() < 7 {
        return Ok(Planned::Slow); // `(attribute,)`: not a plain attribute
    }
    let wire_obj = plan.get_item(1)?;
    let Some(wire) = wire_key(&wire_obj) else {
        return Ok(Planned::Slow);
    };
    let parts = PlanParts {
        wire,
        wire_obj,
        kind: plan.get_item(4)?.extract()?,
        decode: plan.get_item(2)?,
        back: plan.get_item(5)?.cast_into::<PyDict>()?,
        fwd: plan.get_item(6)?.cast_into::<PyDict>()?,
    };
    // (entries replaced or dropped are released after the borrow: releasing one may
    // run Python code that reads packets)
    let mut released = None;
    let mut replaced = None;
    if let Ok(mut c) = ctx.try_borrow_mut() {
        if c.resolved.len() >= RESOLVED_MAX {
            released = Some(std::mem::take(&mut c.resolved));
        }
        replaced = c.resolved.insert(
            address,
            Resolved {
                name: key.clone().unbind(),
                attr: current.unbind(),
                wire,
                wire_obj: parts.wire_obj.clone().unbind(),
                kind: parts.kind,
                decode: parts.decode.clone().unbind(),
                back: parts.back.clone().unbind(),
                fwd: parts.fwd.clone().unbind(),
            },
        );
    }
    drop((released, replaced));
    Ok(Planned::Plan(parts))
}

/// Decodes one value of a plain attribute from its octets (see `read_value`).
fn read_octets<'py>(
    py: Python<'py>,
    octets: &[u8],
    kind: u8,
    named: &Bound<'py, PyDict>,
    decode: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    if !named.is_empty() {
        if let Some(name) = named.get_item(PyBytes::new(py, octets))? {
            return Ok(name);
        }
    }
    match (kind, octets) {
        (KIND_STRING, _) => match text_or(py, octets)? {
            Some(text) => Ok(text),
            None => Ok(PyBytes::new(py, octets).into_any()),
        },
        (KIND_INTEGER | KIND_DATE, [a, b, c, d]) => {
            Ok(u32::from_be_bytes([*a, *b, *c, *d]).into_pyobject(py)?.into_any())
        }
        (KIND_IPADDR, [a, b, c, d]) => {
            let mut text = String::with_capacity(15);
            for (i, n) in [a, b, c, d].into_iter().enumerate() {
                if i > 0 {
                    text.push('.');
                }
                push_decimal(&mut text, *n);
            }
            Ok(pyo3::types::PyString::new(py, &text).into_any())
        }
        (KIND_OCTETS, _) => Ok(PyBytes::new(py, octets).into_any()),
        _ => decode.call1((PyBytes::new(py, octets),)),
    }
}

fn push_decimal(text: &mut String, n: u8) {
    if n >= 100 {
        text.push(char::from(b'0' + n / 100));
    }
    if n >= 10 {
        text.push(char::from(b'0' + n / 10 % 10));
    }
    text.push(char::from(b'0' + n % 10));
}

/// A plan and its wire key, or the sentinel to return instead.
type PlanOr<'py> = Result<PlanParts<'py>, Bound<'py, PyAny>>;

/// The current plan for a name key of a packet in native mode, or what to return
/// instead: `noplan` (the caller makes one and asks again) or `slow` (dict mode
/// answers: entries put into the OrderedDict directly, not a plain attribute, or the
/// attributes borrowed by another thread).
///
/// Borrows are tried, never waited for: a decoder written in Python (a type Rust does
/// not decode) runs while the attributes are borrowed, and another thread may come in
/// then; the dict path answers it.
fn plan_or<'py>(
    pkt: &Bound<'py, PyDict>,
    nw: &Bound<'py, PyradAttrs>,
    d: &Bound<'py, PyAny>,
    key: &Bound<'py, PyAny>,
    slow: &Bound<'py, PyAny>,
    noplan: &Bound<'py, PyAny>,
) -> PyResult<PlanOr<'py>> {
    Ok(match plan_for(pkt, nw, d, key)? {
        Planned::Plan(p) => Ok(p),
        Planned::NoPlan => Err(noplan.clone()),
        Planned::Slow => Err(slow.clone()),
    })
}

/// `plan_or` without sentinels.
fn plan_for<'py>(
    pkt: &Bound<'py, PyDict>,
    nw: &Bound<'py, PyradAttrs>,
    d: &Bound<'py, PyAny>,
    key: &Bound<'py, PyAny>,
) -> PyResult<Planned<'py>> {
    if !pkt.is_empty() {
        return Ok(Planned::Slow);
    }
    let Ok(mut st) = nw.try_borrow_mut() else {
        return Ok(Planned::Slow);
    };
    native_plan(&mut st, d, key)
}

/// `pkt[key]` in native mode: the decoded values of a plain attribute by name; `noplan`
/// when the dictionary has no current plan for it, `slow` when dict mode must answer.
#[pyfunction]
fn pyrad_nread<'py>(
    py: Python<'py>,
    pkt: &Bound<'py, PyDict>,
    nw: &Bound<'py, PyradAttrs>,
    key: &Bound<'py, PyAny>,
    d: &Bound<'py, PyAny>,
    slow: &Bound<'py, PyAny>,
    noplan: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let plan = match plan_or(pkt, nw, d, key, slow, noplan)? {
        Ok(found) => found,
        Err(instead) => return Ok(instead),
    };
    Ok(match nread_plan(py, nw, &plan)? {
        Some(out) => out.into_any(),
        None => slow.clone(),
    })
}

/// The values of the attribute `plan` reads, or None when dict mode must answer.
fn nread_plan<'py>(
    py: Python<'py>,
    nw: &Bound<'py, PyradAttrs>,
    plan: &PlanParts<'py>,
) -> PyResult<Option<Bound<'py, PyList>>> {
    let (decode, kind, named) = (&plan.decode, plan.kind, &plan.back);
    let Ok(st) = nw.try_borrow() else {
        return Ok(None);
    };
    let Some(g) = st.group(plan.wire) else {
        return Err(pyo3::exceptions::PyKeyError::new_err(
            plan.wire_obj.clone().unbind(),
        ));
    };
    if g.tlv {
        return Ok(None);
    }
    values_list(py, &st, g, kind, named, decode).map(Some)
}

/// The decoded values of a plain group, as a new list.
fn values_list<'py>(
    py: Python<'py>,
    st: &PyradAttrs,
    g: &NGroup,
    kind: u8,
    named: &Bound<'py, PyDict>,
    decode: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyList>> {
    if let (Some((_, s, e)), true) = (g.vals.first, g.vals.rest.is_empty()) {
        return PyList::new(py, [read_octets(py, st.bytes(s, e), kind, named, decode)?]);
    }
    let out = PyList::empty(py);
    for &(_, s, e) in g.vals.iter() {
        out.append(read_octets(py, st.bytes(s, e), kind, named, decode)?)?;
    }
    Ok(out)
}

/// `key in pkt` in native mode (as `pyrad_nread`: a bool, `noplan` or `slow`).
#[pyfunction]
fn pyrad_ncontains<'py>(
    py: Python<'py>,
    pkt: &Bound<'py, PyDict>,
    nw: &Bound<'py, PyradAttrs>,
    key: &Bound<'py, PyAny>,
    d: &Bound<'py, PyAny>,
    slow: &Bound<'py, PyAny>,
    noplan: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let wire = match plan_or(pkt, nw, d, key, slow, noplan)? {
        Ok(plan) => plan.wire,
        Err(instead) => return Ok(instead),
    };
    let Ok(st) = nw.try_borrow() else {
        return Ok(slow.clone());
    };
    Ok(pyo3::types::PyBool::new(py, st.find(wire).is_some())
        .to_owned()
        .into_any())
}

/// `pkt[key] = item` (or with `append`, `AddAttribute(key, item)`) in native mode, for a
/// plain attribute by name: None when done, else `noplan` or `slow` (nothing changed).
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn pyrad_nwrite<'py>(
    py: Python<'py>,
    pkt: &Bound<'py, PyDict>,
    nw: &Bound<'py, PyradAttrs>,
    key: &Bound<'py, PyAny>,
    item: &Bound<'py, PyAny>,
    d: &Bound<'py, PyAny>,
    append: bool,
    slow: &Bound<'py, PyAny>,
    noplan: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let plan = match plan_or(pkt, nw, d, key, slow, noplan)? {
        Ok(found) => found,
        Err(instead) => return Ok(instead),
    };
    Ok(if nwrite_plan(nw, &plan, item, append)? {
        py.None().into_bound(py)
    } else {
        slow.clone()
    })
}

/// Writes `item` (a value or a list of values) as the attribute `plan` is for; false
/// when dict mode must do it (nothing changed then).
fn nwrite_plan(
    nw: &Bound<'_, PyradAttrs>,
    plan: &PlanParts<'_>,
    item: &Bound<'_, PyAny>,
    append: bool,
) -> PyResult<bool> {
    let (wire, kind, named) = (plan.wire, plan.kind, &plan.fwd);
    let mut encoded: Vec<Vec<u8>> = Vec::new();
    if item.is_instance_of::<PyList>() || item.is_instance_of::<PyTuple>() {
        for value in item.try_iter()? {
            match write_value(&value?, kind, named)? {
                Some(e) => encoded.push(e),
                None => return Ok(false),
            }
        }
    } else {
        match write_value(item, kind, named)? {
            Some(e) => encoded.push(e),
            None => return Ok(false),
        }
    }
    // (values encoded first: a named value's lookup may run Python code)
    let Ok(mut st) = nw.try_borrow_mut() else {
        return Ok(false);
    };
    let values: Vec<&[u8]> = encoded.iter().map(Vec::as_slice).collect();
    match st.find(wire) {
        Some(i) if append => {
            if st.groups.get(i).is_some_and(|g| g.tlv) {
                return Ok(false);
            }
            let mut added = Vec::with_capacity(values.len());
            for v in &values {
                let (s, e) = st.store(v)?;
                added.push((0, s, e));
            }
            if let Some(g) = st.groups.get_mut(i) {
                g.vals.extend(added);
            }
        }
        _ => st.set(wire, &values, false)?,
    }
    Ok(true)
}

/// `keys()` in native mode: attribute names for known wire keys, the keys otherwise;
/// None when dict mode must answer.
#[pyfunction]
fn pyrad_nkeys<'py>(
    py: Python<'py>,
    pkt: &Bound<'py, PyDict>,
    nw: &Bound<'py, PyradAttrs>,
    d: &Bound<'py, PyAny>,
) -> PyResult<Option<Bound<'py, PyList>>> {
    if !pkt.is_empty() {
        return Ok(None);
    }
    let Ok(mut st) = nw.try_borrow_mut() else {
        return Ok(None);
    };
    let ctx = st.ctx(d)?;
    if ctx.is_none() && !d.is_none() {
        return Ok(None);
    }
    // (made at its size: appending grew the list three times for a request)
    let mut keys = Vec::with_capacity(st.groups.len());
    let Some(ctx) = ctx else {
        for g in &st.groups {
            keys.push(key_object(py, g.key)?);
        }
        return Ok(Some(PyList::new(py, keys)?));
    };
    let Ok(back) = ctx.try_borrow().map(|c| c.backward.bind(py).clone()) else {
        return Ok(None);
    };
    // (looked up each time: a program may add names to the index at any time)
    for g in &st.groups {
        let k = key_object(py, g.key)?;
        keys.push(back.get_item(&k)?.unwrap_or(k));
    }
    Ok(Some(PyList::new(py, keys)?))
}

/// Message-Authenticator's value in native mode: set in place, or added first; false
/// when dict mode must do it.
#[pyfunction]
fn pyrad_nset_ma(pkt: &Bound<'_, PyDict>, nw: &Bound<'_, PyradAttrs>, value: &[u8]) -> PyResult<bool> {
    if !pkt.is_empty() {
        return Ok(false);
    }
    let Ok(mut st) = nw.try_borrow_mut() else {
        return Ok(false);
    };
    st.set(WireKey::Code(MESSAGE_AUTHENTICATOR), &[value], true)?;
    Ok(true)
}

/// The raw view's value for a wire key in native mode (a new list, or a TLV's dict),
/// None when absent, `slow` when dict mode must answer.
#[pyfunction]
fn pyrad_nraw<'py>(
    py: Python<'py>,
    pkt: &Bound<'py, PyDict>,
    nw: &Bound<'py, PyradAttrs>,
    key: &Bound<'py, PyAny>,
    slow: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let Some(wire) = wire_key(key).filter(|_| pkt.is_empty()) else {
        return Ok(slow.clone());
    };
    let Ok(st) = nw.try_borrow() else {
        return Ok(slow.clone());
    };
    match st.find(wire).and_then(|i| st.groups.get(i)) {
        Some(g) => st.value_object(py, g),
        None => Ok(py.None().into_bound(py)),
    }
}

/// The attribute octets in native mode; None when dict mode must encode (TLVs, or
/// entries put into the OrderedDict directly).
#[pyfunction]
fn pyrad_nencode<'py>(
    py: Python<'py>,
    pkt: &Bound<'py, PyDict>,
    nw: &Bound<'py, PyradAttrs>,
) -> PyResult<Option<Bound<'py, PyBytes>>> {
    if !pkt.is_empty() {
        return Ok(None);
    }
    let mut out = Vec::with_capacity(256);
    let Ok(st) = nw.try_borrow() else {
        return Ok(None);
    };
    Ok(st.encode(py, &mut out)?.map(|_| PyBytes::new(py, &out)))
}

/// `pyrad_sign` in native mode, with the packet's fields (code, id, secret,
/// authenticator, `_request_code`); None when dict mode must do it (TLVs, entries put
/// into the OrderedDict directly, a field missing or of another type).
#[pyfunction]
fn pyrad_nsign<'py>(
    py: Python<'py>,
    pkt: &Bound<'py, PyDict>,
    nw: &Bound<'py, PyradAttrs>,
    whole: bool,
) -> PyResult<Option<Bound<'py, PyBytes>>> {
    if !pkt.is_empty() {
        return Ok(None);
    }
    let fields = instance_dict(pkt.as_any())?;
    let field = |name: &Bound<'py, pyo3::types::PyString>| fields.get_item(name);
    let (Some(code), Some(ident), Some(secret), Some(authenticator)) = (
        field(pyo3::intern!(py, "code"))?,
        field(pyo3::intern!(py, "id"))?,
        field(pyo3::intern!(py, "secret"))?,
        field(pyo3::intern!(py, "authenticator"))?,
    ) else {
        return Ok(None);
    };
    let (Some(code), Some(ident), Ok(secret)) = (
        int_field(&code).and_then(|c| u8::try_from(c).ok()),
        int_field(&ident).and_then(|i| u8::try_from(i).ok()),
        secret.cast::<PyBytes>(),
    ) else {
        return Ok(None);
    };
    let secret = secret.as_bytes();
    let request_code = field(pyo3::intern!(py, "_request_code"))?.and_then(|c| int_field(&c));
    let Ok(mut st) = nw.try_borrow_mut() else {
        return Ok(None);
    };
    if st.groups.iter().any(|g| g.tlv) {
        return Ok(None);
    }
    st.set(WireKey::Code(MESSAGE_AUTHENTICATOR), &[&[0u8; 16]], true)?;
    let vector = ma_vector(code, request_code, &authenticator)?;
    let mut out = signed_header(code, ident);
    let Some(ma) = st.encode(py, &mut out)? else {
        return Ok(None);
    };
    let mac = sign_ma(&mut out, secret, vector, ma)?;
    st.set(WireKey::Code(MESSAGE_AUTHENTICATOR), &[&mac], true)?;
    drop(st);
    signed_packet(py, out, &authenticator, whole).map(Some)
}

/// A request's Proxy-State values copied to its reply (both in native mode; the reply
/// has none yet): true when done, false when dict mode must do it.
#[pyfunction]
fn pyrad_ncopy_proxy_state(
    request: &Bound<'_, PyDict>,
    request_nw: &Bound<'_, PyradAttrs>,
    reply: &Bound<'_, PyDict>,
    reply_nw: &Bound<'_, PyradAttrs>,
) -> PyResult<bool> {
    if !request.is_empty() || !reply.is_empty() || request_nw.is(reply_nw) {
        return Ok(false);
    }
    let Ok(src) = request_nw.try_borrow() else {
        return Ok(false);
    };
    let key = WireKey::Code(PROXY_STATE);
    let Some(g) = src.find(key).and_then(|i| src.groups.get(i)) else {
        return Ok(true);
    };
    if g.tlv {
        return Ok(false);
    }
    let Ok(mut dst) = reply_nw.try_borrow_mut() else {
        return Ok(false);
    };
    if dst.find(key).is_some() {
        return Ok(true);
    }
    let values: Vec<&[u8]> = g.vals.iter().map(|&(_, s, e)| src.bytes(s, e)).collect();
    dst.set(key, &values, false)?;
    Ok(true)
}

/// Leaves native mode: the attributes go into the OrderedDict (pyrad's raw view, in
/// order; entries put there directly meanwhile keep their values and come after).
#[pyfunction]
fn pyrad_fill(
    pkt: &Bound<'_, PyDict>,
    nw: &Bound<'_, PyradAttrs>,
    hooks: &Bound<'_, PyTuple>,
) -> PyResult<()> {
    let py = pkt.py();
    let Ok(st) = nw.try_borrow() else {
        return Err(pyo3::exceptions::PyRuntimeError::new_err(
            "the packet is being changed by another thread",
        ));
    };
    let fields = instance_dict(pkt.as_any())?;
    fields.set_item(pyo3::intern!(py, "_nw"), py.None())?;
    let setitem = hooks.get_item(HOOK_OD_SETITEM)?;
    if pkt.is_empty() {
        for g in &st.groups {
            setitem.call1((pkt, key_object(py, g.key)?, st.value_object(py, g)?))?;
        }
        return Ok(());
    }
    let move_to_end = hooks.get_item(HOOK_OD_MOVE_TO_END)?;
    let before: Vec<Bound<'_, PyAny>> = hooks
        .get_item(HOOK_OD_KEYS)?
        .call1((pkt,))?
        .try_iter()?
        .collect::<PyResult<_>>()?;
    let mut ours = Vec::with_capacity(st.groups.len());
    for g in &st.groups {
        let key = key_object(py, g.key)?;
        if !pkt.contains(&key)? {
            setitem.call1((pkt, &key, st.value_object(py, g)?))?;
        }
        move_to_end.call1((pkt, &key))?;
        ours.push(key);
    }
    for key in before {
        let mut theirs = true;
        for k in &ours {
            if k.eq(&key)? {
                theirs = false;
                break;
            }
        }
        if theirs {
            move_to_end.call1((pkt, &key))?;
        }
    }
    Ok(())
}

/// Registers the packet helpers.
pub(crate) fn register_packet(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(pyrad_set_hooks, m)?)?;
    m.add_class::<PyradPacketMethods>()?;
    m.add_class::<PyradAuthInit>()?;
    m.add_class::<PyradAcctInit>()?;
    m.add_class::<PyradCoAInit>()?;
    m.add_function(wrap_pyfunction!(pyrad_decode, m)?)?;
    m.add_function(wrap_pyfunction!(pyrad_keys, m)?)?;
    m.add_function(wrap_pyfunction!(pyrad_sign, m)?)?;
    m.add_function(wrap_pyfunction!(pyrad_nread, m)?)?;
    m.add_function(wrap_pyfunction!(pyrad_ncontains, m)?)?;
    m.add_function(wrap_pyfunction!(pyrad_nwrite, m)?)?;
    m.add_function(wrap_pyfunction!(pyrad_nkeys, m)?)?;
    m.add_function(wrap_pyfunction!(pyrad_nset_ma, m)?)?;
    m.add_function(wrap_pyfunction!(pyrad_nencode, m)?)?;
    m.add_function(wrap_pyfunction!(pyrad_nsign, m)?)?;
    m.add_function(wrap_pyfunction!(pyrad_ncopy_proxy_state, m)?)?;
    m.add_function(wrap_pyfunction!(pyrad_fill, m)?)?;
    m.add_function(wrap_pyfunction!(pyrad_nraw, m)?)?;
    Ok(())
}

/// The hooks of `nacwire.pyrad.packet` (its `_HOOKS`), for the native methods of
/// `PyradPacketMethods`; set when the module is imported (again on a reload).
static PACKET_HOOKS: std::sync::RwLock<Option<Py<PyTuple>>> = std::sync::RwLock::new(None);

/// Registers `nacwire.pyrad.packet`'s hooks (see `PACKET_HOOKS`).
#[pyfunction]
fn pyrad_set_hooks(hooks: &Bound<'_, PyTuple>) {
    if let Ok(mut slot) = PACKET_HOOKS.write() {
        *slot = Some(hooks.clone().unbind());
    }
}

fn packet_hooks(py: Python<'_>) -> PyResult<Bound<'_, PyTuple>> {
    PACKET_HOOKS
        .read()
        .ok()
        .and_then(|slot| slot.as_ref().map(|h| h.bind(py).clone()))
        .ok_or_else(|| pyo3::exceptions::PyRuntimeError::new_err("nacwire.pyrad.packet is not loaded"))
}

/// The hot methods of `nacwire.pyrad`'s packet classes, in Rust. A base class with no
/// storage of its own (its instances are the size of `object`), so that the packet
/// classes, `OrderedDict` subclasses, can take it as a second base and use its methods
/// as theirs: a call then runs no Python frame. What the fast paths do not answer goes
/// to the Python method (`_HOOKS`), as before.
#[pyclass(frozen, subclass, module = "nacwire._native", name = "PyradPacketMethods")]
#[derive(Debug)]
pub(crate) struct PyradPacketMethods;

#[pymethods]
impl PyradPacketMethods {
    /// `pkt[key]`: the decoded values (a new list) of an attribute by name, or the raw
    /// values of a wire key; see `Packet._getitem`.
    fn __getitem__<'py>(slf: &Bound<'py, Self>, key: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let any = slf.as_any();
        if let Some(out) = read_resolved(any, key)? {
            return Ok(out.into_any());
        }
        if let Some((nw, plan)) = planned(any, key)? {
            if let Some(out) = nread_plan(py, &nw, &plan)? {
                return Ok(out.into_any());
            }
        }
        packet_hooks(py)?.get_item(HOOK_GETITEM)?.call1((any, key))
    }

    /// `Packet.__init__(code=0, id=None, secret=b"", authenticator=None, **attributes)`.
    /// `Packet` takes it as its `__init__`, which makes it the class's `tp_init` slot:
    /// a packet is made with no Python frame and no second copy of its arguments.
    /// `AuthPacket`, `AcctPacket` and `CoAPacket` take theirs from the bases below.
    #[pyo3(signature = (*args, **kwargs))]
    fn __init__(
        slf: &Bound<'_, Self>,
        args: &Bound<'_, PyTuple>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<()> {
        init_packet(slf.as_any(), args, kwargs, INIT_PACKET)
    }

    /// `pkt[key] = item`; see `Packet._setitem`.
    fn __setitem__(slf: &Bound<'_, Self>, key: &Bound<'_, PyAny>, item: &Bound<'_, PyAny>) -> PyResult<()> {
        let py = slf.py();
        let any = slf.as_any();
        if let Some((nw, plan)) = resolved_plan(any, key)? {
            if nwrite_plan(&nw, &plan, item, false)? {
                return Ok(());
            }
        }
        if let Some((nw, plan)) = planned(any, key)? {
            if nwrite_plan(&nw, &plan, item, false)? {
                return Ok(());
            }
        }
        packet_hooks(py)?
            .get_item(HOOK_SETITEM)?
            .call1((any, key, item))?;
        Ok(())
    }

    /// `del pkt[key]`; see `Packet._delitem`. (Native as well so that `pkt[key] = item`
    /// reaches `__setitem__` directly: CPython keeps both in one slot.)
    fn __delitem__(slf: &Bound<'_, Self>, key: &Bound<'_, PyAny>) -> PyResult<()> {
        packet_hooks(slf.py())?
            .get_item(HOOK_DELITEM)?
            .call1((slf, key))?;
        Ok(())
    }

    /// `key in pkt`; see `Packet._contains`.
    fn __contains__(slf: &Bound<'_, Self>, key: &Bound<'_, PyAny>) -> PyResult<bool> {
        let py = slf.py();
        let any = slf.as_any();
        if let Some((nw, plan)) = planned(any, key)? {
            if let Ok(st) = nw.try_borrow() {
                return Ok(st.find(plan.wire).is_some());
            }
        }
        packet_hooks(py)?
            .get_item(HOOK_CONTAINS)?
            .call1((any, key))?
            .is_truthy()
    }

    /// `add_message_authenticator()` when the packet has its id and authenticator (a
    /// packet of these classes in native mode); see `Packet._add_message_authenticator`.
    fn _add_message_authenticator(slf: &Bound<'_, Self>) -> PyResult<()> {
        let py = slf.py();
        let any = slf.as_any();
        let hooks = packet_hooks(py)?;
        if native_type(any, &hooks)? {
            let fields = instance_dict(any)?;
            let set = |name| -> PyResult<bool> { Ok(fields.get_item(name)?.is_some_and(|v| !v.is_none())) };
            if set(pyo3::intern!(py, "id"))? && set(pyo3::intern!(py, "authenticator"))? {
                if let Some(nw) = fields.get_item(pyo3::intern!(py, "_nw"))? {
                    if let (Ok(nw), Ok(pkt)) = (nw.cast::<PyradAttrs>(), any.cast::<PyDict>()) {
                        if pyrad_nset_ma(pkt, nw, &[0; 16])? {
                            fields.set_item(pyo3::intern!(py, "message_authenticator"), true)?;
                            return Ok(());
                        }
                    }
                }
            }
        }
        hooks.get_item(HOOK_ADD_MA)?.call1((any,))?;
        Ok(())
    }

    /// `AuthPacket.PwCrypt`; see `AuthPacket._PwCrypt`.
    fn _pw_crypt<'py>(slf: &Bound<'py, Self>, password: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        match pwfield(slf.as_any(), password, true)? {
            Some(out) => Ok(out),
            None => packet_hooks(slf.py())?
                .get_item(HOOK_PWCRYPT)?
                .call1((slf, password)),
        }
    }

    /// `AuthPacket.PwDecrypt`; see `AuthPacket._PwDecrypt`.
    fn _pw_decrypt<'py>(slf: &Bound<'py, Self>, password: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        match pwfield(slf.as_any(), password, false)? {
            Some(out) => Ok(out),
            None => packet_hooks(slf.py())?
                .get_item(HOOK_PWDECRYPT)?
                .call1((slf, password)),
        }
    }

    /// `AuthPacket.RequestPacket`: signed in one call when the packet has its id and
    /// authenticator and carries Message-Authenticator; see `AuthPacket._RequestPacket`.
    fn _auth_request_packet<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let any = slf.as_any();
        let hooks = packet_hooks(py)?;
        if native_type(any, &hooks)? {
            let fields = instance_dict(any)?;
            let ready = fields
                .get_item(pyo3::intern!(py, "message_authenticator"))?
                .is_some_and(|m| m.is_truthy().unwrap_or(false))
                && fields
                    .get_item(pyo3::intern!(py, "id"))?
                    .is_some_and(|i| !i.is_none())
                && fields
                    .get_item(pyo3::intern!(py, "authenticator"))?
                    .is_some_and(|a| !a.is_none());
            if ready {
                if let Some(nw) = fields.get_item(pyo3::intern!(py, "_nw"))? {
                    if let (Ok(nw), Ok(pkt)) = (nw.cast::<PyradAttrs>(), any.cast::<PyDict>()) {
                        if let Some(out) = pyrad_nsign(py, pkt, nw, true)? {
                            return Ok(out.into_any());
                        }
                    }
                }
            }
        }
        hooks.get_item(HOOK_AUTH_REQUEST)?.call1((any,))
    }

    /// The packet's dictionary (kept in the instance dict, as pyrad does); setting it
    /// also points the attributes of native mode at the new dictionary's tables.
    #[getter(dict)]
    fn get_dict<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        instance_dict(slf.as_any())?
            .get_item(pyo3::intern!(py, "dict"))?
            .ok_or_else(|| pyo3::exceptions::PyAttributeError::new_err("dict"))
    }

    #[setter(dict)]
    fn set_dict(slf: &Bound<'_, Self>, value: &Bound<'_, PyAny>) -> PyResult<()> {
        set_packet_dict(slf.as_any(), Some(value))
    }

    #[deleter(dict)]
    fn del_dict(slf: &Bound<'_, Self>) -> PyResult<()> {
        set_packet_dict(slf.as_any(), None)
    }

    /// Attribute names for known attributes, wire keys for the others, in the
    /// packet's order; see `Packet._keys`.
    fn keys<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let any = slf.as_any();
        if let Some((pkt, nw, d)) = native_state(any)? {
            if let Some(keys) = pyrad_nkeys(py, &pkt, &nw, &d)? {
                return Ok(keys.into_any());
            }
        }
        packet_hooks(py)?.get_item(HOOK_KEYS)?.call1((any,))
    }
}

/// What `__init__` takes for one of `nacwire.pyrad.packet`'s classes: its name (for
/// messages), its default code and whether it has `auth_type`.
#[derive(Clone, Copy, Debug)]
struct InitVariant {
    class: &'static str,
    code: u8,
    auth: bool,
}

const INIT_PACKET: InitVariant = InitVariant {
    class: "Packet",
    code: 0,
    auth: false,
};

/// Defines a base class with no storage whose only method is the `__init__` of one of
/// the packet subclasses (a class of its own, so that `Packet.__init__(self, ...)`
/// stays `Packet`'s in a subclass, as in pyrad).
macro_rules! init_base {
    ($rust:ident, $name:literal, $doc:literal, $class:literal, $code:literal, $auth:literal) => {
        #[doc = $doc]
        #[pyclass(frozen, subclass, module = "nacwire._native", name = $name)]
        #[derive(Debug)]
        pub(crate) struct $rust;

        #[pymethods]
        impl $rust {
            #[doc = $doc]
            #[pyo3(signature = (*args, **kwargs))]
            fn __init__(
                slf: &Bound<'_, Self>,
                args: &Bound<'_, PyTuple>,
                kwargs: Option<&Bound<'_, PyDict>>,
            ) -> PyResult<()> {
                let variant = InitVariant {
                    class: $class,
                    code: $code,
                    auth: $auth,
                };
                init_packet(slf.as_any(), args, kwargs, variant)
            }
        }
    };
}

init_base!(
    PyradAuthInit,
    "PyradAuthInit",
    "`AuthPacket.__init__(code=AccessRequest, id=None, secret=b\"\", authenticator=None, auth_type=\"pap\", **attributes)`.",
    "AuthPacket",
    1,
    true
);
init_base!(
    PyradAcctInit,
    "PyradAcctInit",
    "`AcctPacket.__init__(code=AccountingRequest, id=None, secret=b\"\", authenticator=None, **attributes)`.",
    "AcctPacket",
    4,
    false
);
init_base!(
    PyradCoAInit,
    "PyradCoAInit",
    "`CoAPacket.__init__(code=CoARequest, id=None, secret=b\"\", authenticator=None, **attributes)`.",
    "CoAPacket",
    43,
    false
);

/// The packet classes' `__init__` (`class`: the class of `nacwire.pyrad.packet` it is for, named in messages):
/// Python's argument rules for `(self, code=<code>, id=None, secret=b"",
/// authenticator=None[, auth_type="pap"], **attributes)`, then `init_fields`, the
/// attributes given by name and (AuthPacket) `auth_type`.
fn init_packet(
    pkt: &Bound<'_, PyAny>,
    args: &Bound<'_, PyTuple>,
    kwargs: Option<&Bound<'_, PyDict>>,
    InitVariant { class, code, auth }: InitVariant,
) -> PyResult<()> {
    let py = pkt.py();
    let hooks = packet_hooks(py)?;
    // The parameters (the first `count`), then the names `attributes` may hold that
    // are not attributes.
    let names = [
        pyo3::intern!(py, "code"),
        pyo3::intern!(py, "id"),
        pyo3::intern!(py, "secret"),
        pyo3::intern!(py, "authenticator"),
        pyo3::intern!(py, "auth_type"),
        pyo3::intern!(py, "packet"),
        pyo3::intern!(py, "dict"),
        pyo3::intern!(py, "message_authenticator"),
        pyo3::intern!(py, "fd"),
    ];
    const PACKET: usize = 5; // (then dict, message_authenticator, fd)
    let count = if auth { 5 } else { 4 };
    // An argument error; Python's call of pyrad's __init__ checks the keyword names
    // first (a slot is given the caller's dict as it is: `Packet(**{1: 2})`).
    let arg_error = |message: String| -> PyErr {
        let bad = kwargs.is_some_and(|kw| {
            kw.keys()
                .iter()
                .any(|k| !k.is_instance_of::<pyo3::types::PyString>())
        });
        PyTypeError::new_err(if bad {
            "keywords must be strings".to_owned()
        } else {
            message
        })
    };
    if args.len() > count {
        return Err(arg_error(format!(
            "{class}.__init__() takes from 1 to {} positional arguments but {} were given",
            count + 1,
            args.len() + 1
        )));
    }
    let mut given: [Option<Bound<'_, PyAny>>; 9] = Default::default();
    for (slot, value) in given.iter_mut().zip(args.iter()) {
        *slot = Some(value);
    }
    // One pass over the keywords: names are interned, so most match by identity.
    let mut named = false;
    if let Some(kw) = kwargs {
        for (key, value) in kw.iter() {
            let at = match names.iter().position(|n| key.is(n)) {
                Some(at) => Some(at),
                None if !key.is_instance_of::<pyo3::types::PyString>() => {
                    return Err(arg_error(String::new()));
                }
                None => names.iter().position(|n| key.eq(n).unwrap_or(false)),
            };
            match at {
                Some(i) if i < count => {
                    if given.get(i).is_some_and(Option::is_some) {
                        return Err(arg_error(format!(
                            "{class}.__init__() got multiple values for argument '{}'",
                            key.str()?
                        )));
                    }
                    if let Some(slot) = given.get_mut(i) {
                        *slot = Some(value);
                    }
                }
                Some(i) if i >= PACKET => {
                    if let Some(slot) = given.get_mut(i) {
                        *slot = Some(value);
                    }
                }
                _ if key.eq(pyo3::intern!(py, "self"))? => {
                    return Err(arg_error(format!(
                        "{class}.__init__() got multiple values for argument 'self'"
                    )));
                }
                _ => named = true,
            }
        }
    }
    let [c, id, secret, authenticator, auth_type, packet, dict, ma, _fd] = given;
    let none = py.None().into_bound(py);
    let (fields, fresh) = init_fields(
        pkt.cast::<PyDict>()?,
        InitHeader {
            code: &c.unwrap_or_else(|| {
                code.into_pyobject(py)
                    .map_or_else(|_| none.clone(), |v| v.into_any())
            }),
            id: &id.unwrap_or_else(|| none.clone()),
            secret: &secret.unwrap_or_else(|| PyBytes::new(py, b"").into_any()),
            authenticator: &authenticator.unwrap_or_else(|| none.clone()),
        },
        auth,
        packet,
        dict,
        ma,
        &hooks,
    )?;
    if let (true, Some(kw)) = (named, kwargs) {
        // The attributes given by name (pyrad's **attributes without its own names).
        let attributes = PyDict::new(py);
        for (key, value) in kw.iter() {
            let known = names.iter().take(count).chain(names.iter().skip(PACKET));
            if !known.clone().any(|n| key.is(n) || key.eq(n).unwrap_or(false)) {
                attributes.set_item(key, value)?;
            }
        }
        if let Err(e) = pkt.call_method1(pyo3::intern!(py, "_AddNamed"), (&attributes,)) {
            if fresh {
                untemplate_auth_type(&fields)?;
            }
            return Err(e);
        }
    }
    if auth {
        let auth_type = match auth_type {
            Some(a) => a,
            None => pyo3::intern!(py, "pap").clone().into_any(),
        };
        fields.set_item(pyo3::intern!(py, "auth_type"), auth_type)?;
    }
    Ok(())
}

/// The header fields `__init__` was given (or their defaults).
struct InitHeader<'a, 'py> {
    code: &'a Bound<'py, PyAny>,
    id: &'a Bound<'py, PyAny>,
    secret: &'a Bound<'py, PyAny>,
    authenticator: &'a Bound<'py, PyAny>,
}

/// `f` of the dictionary's resolved entry for name `key`, while the dictionary still
/// maps the name to the same `Attribute`; None when there is none (or the tables are
/// borrowed). What `f` returns is taken out: the tables are not borrowed while a value
/// is decoded (a decoder may be Python code).
fn with_resolved<'py, R>(
    ctx: &Bound<'py, PyradDictCtx>,
    key: &Bound<'py, PyAny>,
    f: impl FnOnce(&Resolved) -> R,
) -> PyResult<Option<R>> {
    let Ok(c) = ctx.try_borrow() else {
        return Ok(None);
    };
    let Some(r) = c.resolved.get(&(key.as_ptr() as usize)) else {
        return Ok(None);
    };
    let current = c.attributes.bind(ctx.py()).get_item(key)?;
    Ok(current.is_some_and(|cur| cur.is(&r.attr)).then(|| f(r)))
}

/// `pkt[key]` in one pass when the packet is in native mode and its dictionary has
/// resolved `key` already (the common case: a name read before); None otherwise.
fn read_resolved<'py>(
    any: &Bound<'py, PyAny>,
    key: &Bound<'py, PyAny>,
) -> PyResult<Option<Bound<'py, PyList>>> {
    let py = any.py();
    let Ok(nw) = any.getattr(pyo3::intern!(py, "_nw"))?.cast_into::<PyradAttrs>() else {
        return Ok(None);
    };
    if !any.cast::<PyDict>().is_ok_and(|pkt| pkt.is_empty()) {
        return Ok(None);
    }
    let Ok(st) = nw.try_borrow() else {
        return Ok(None);
    };
    let Some((_, ctx)) = &st.ctx else {
        return Ok(None);
    };
    let Some((wire, kind, named, decode)) = with_resolved(ctx.bind(py), key, |r| {
        (r.wire, r.kind, r.back.bind(py).clone(), r.decode.bind(py).clone())
    })?
    else {
        return Ok(None);
    };
    let Some(g) = st.group(wire) else {
        return Err(pyo3::exceptions::PyKeyError::new_err(
            key_object(py, wire)?.unbind(),
        ));
    };
    if g.tlv {
        return Ok(None);
    }
    values_list(py, &st, g, kind, &named, &decode).map(Some)
}

/// The packet's native attributes and the plan for `key`, when the packet is in native
/// mode and its dictionary has resolved `key` already (as `read_resolved`).
fn resolved_plan<'py>(
    any: &Bound<'py, PyAny>,
    key: &Bound<'py, PyAny>,
) -> PyResult<Option<(Bound<'py, PyradAttrs>, PlanParts<'py>)>> {
    let py = any.py();
    let Ok(nw) = any.getattr(pyo3::intern!(py, "_nw"))?.cast_into::<PyradAttrs>() else {
        return Ok(None);
    };
    if !any.cast::<PyDict>().is_ok_and(|pkt| pkt.is_empty()) {
        return Ok(None);
    }
    let parts = {
        let Ok(st) = nw.try_borrow() else {
            return Ok(None);
        };
        let Some((_, ctx)) = &st.ctx else {
            return Ok(None);
        };
        let Some(parts) = with_resolved(ctx.bind(py), key, |r| r.parts(py))? else {
            return Ok(None);
        };
        parts
    };
    Ok(Some((nw, parts)))
}

/// Sets (or, with None, deletes) a packet's `dict`, and points the attributes of native
/// mode at the new dictionary's tables (None: the Python paths answer, and raise
/// `AttributeError` as pyrad's do). Nothing changes when they are borrowed elsewhere.
fn set_packet_dict(pkt: &Bound<'_, PyAny>, value: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
    let py = pkt.py();
    let fields = instance_dict(pkt)?;
    let name = pyo3::intern!(py, "dict");
    let nw = fields
        .get_item(pyo3::intern!(py, "_nw"))?
        .and_then(|nw| nw.cast_into::<PyradAttrs>().ok());
    let ctx = match (&nw, value) {
        (Some(_), Some(d)) => dict_ctx(d)?.map(|c| (d.clone().unbind(), c.unbind())),
        _ => None,
    };
    let st = match &nw {
        Some(nw) => match nw.try_borrow_mut() {
            Ok(st) => Some(st),
            Err(_) => {
                return Err(pyo3::exceptions::PyRuntimeError::new_err(
                    "the packet is being changed by another thread",
                ))
            }
        },
        None => None,
    };
    match value {
        Some(d) => fields.set_item(name, d)?,
        None if fields.contains(name)? => fields.del_item(name)?,
        None => return Err(pyo3::exceptions::PyAttributeError::new_err("dict")),
    }
    let old = st.map(|mut st| std::mem::replace(&mut st.ctx, ctx));
    drop(old); // (released after the borrow)
    Ok(())
}

/// The packet's native attributes and the current plan for the name `key`, made by the
/// dictionary (`_read_plan`) when it has none yet; None when dict mode must answer.
fn planned<'py>(
    any: &Bound<'py, PyAny>,
    key: &Bound<'py, PyAny>,
) -> PyResult<Option<(Bound<'py, PyradAttrs>, PlanParts<'py>)>> {
    let Some((pkt, nw, d)) = native_state(any)? else {
        return Ok(None);
    };
    let mut planned = plan_for(&pkt, &nw, &d, key)?;
    if matches!(planned, Planned::NoPlan) {
        let hooks = packet_hooks(any.py())?;
        if !hooks.get_item(HOOK_READ_PLAN)?.call1((&d, key))?.is_none() {
            planned = plan_for(&pkt, &nw, &d, key)?;
        }
    }
    Ok(match planned {
        Planned::Plan(plan) => Some((nw, plan)),
        _ => None,
    })
}

/// A packet in native mode: itself as a dict, its attributes and its dictionary.
type NativeState<'py> = (Bound<'py, PyDict>, Bound<'py, PyradAttrs>, Bound<'py, PyAny>);

/// The native state of a packet, or None when it is in dict mode or its dictionary is
/// not a nacwire.pyrad `Dictionary`. The dictionary is the one the attributes hold:
/// `pkt.dict = other` goes through `PyradPacketMethods.dict`, which re-points them.
fn native_state<'py>(any: &Bound<'py, PyAny>) -> PyResult<Option<NativeState<'py>>> {
    let py = any.py();
    let Ok(nw) = any.getattr(pyo3::intern!(py, "_nw"))?.cast_into::<PyradAttrs>() else {
        return Ok(None);
    };
    let d = match nw.try_borrow() {
        Ok(st) => st.ctx.as_ref().map(|(d, _)| d.bind(py).clone()),
        Err(_) => None,
    };
    let (Some(d), Ok(pkt)) = (d, any.cast::<PyDict>()) else {
        return Ok(None);
    };
    Ok(Some((pkt.clone(), nw, d)))
}
