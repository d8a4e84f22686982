//! Native helpers of `nacwire.pyrad`, the pyrad 2.6 drop-in.
//!
//! pyrad keeps a packet as an ordered dict from wire keys (the attribute code, or
//! `(vendor, code)` for an RFC 2865 vendor attribute) to lists of value octets; a
//! TLV's value is a dict from sub-attribute code to a list. These two functions move
//! whole packets between bytes and that raw view in one call each, so the Python layer
//! only does what pyrad's API needs on top (names, tags, typed values).

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyTuple};

/// pyrad's limit on a packet's Length field.
const MAX_PACKET: usize = 8192;
const VENDOR_SPECIFIC: u8 = 26;

/// Splits `data` into (type, value) pairs; `None` when the list is not well formed.
fn split_tlvs(data: &[u8]) -> Option<Vec<(u8, &[u8])>> {
    let mut out = Vec::new();
    let mut rest = data;
    while !rest.is_empty() {
        let (&kind, tail) = rest.split_first()?;
        let (&len, _) = tail.split_first()?;
        let len = usize::from(len);
        if len < 2 || len > rest.len() {
            return None;
        }
        let (attr, next) = rest.split_at(len);
        out.push((kind, attr.get(2..)?));
        rest = next;
    }
    Some(out)
}

/// A TLV's value as pyrad stores it: `{sub code: [octets, ...]}`.
fn tlv_dict<'py>(py: Python<'py>, data: &[u8]) -> PyResult<Bound<'py, PyDict>> {
    let subs =
        split_tlvs(data).ok_or_else(|| PyValueError::new_err("TLV sub-attribute length is invalid"))?;
    let dict = PyDict::new(py);
    for (kind, value) in subs {
        let value = PyBytes::new(py, value);
        match dict.get_item(kind)? {
            Some(list) => list.cast::<PyList>()?.append(value)?,
            None => dict.set_item(kind, PyList::new(py, [value])?)?,
        }
    }
    Ok(dict)
}

/// Appends `value` to the list under `key` in `groups` (creating it).
fn push<'py>(groups: &Bound<'py, PyDict>, key: &Bound<'py, PyAny>, value: Bound<'py, PyAny>) -> PyResult<()> {
    match groups.get_item(key)? {
        Some(list) => list.cast::<PyList>()?.append(value),
        None => groups.set_item(key, PyList::new(groups.py(), [value])?),
    }
}

/// Merges a TLV's sub-attributes into the dict under `key` in `groups`.
fn push_tlv<'py>(groups: &Bound<'py, PyDict>, key: &Bound<'py, PyAny>, data: &[u8]) -> PyResult<()> {
    let py = groups.py();
    let subs = tlv_dict(py, data)?;
    match groups.get_item(key)? {
        Some(existing) => {
            let existing = existing.cast::<PyDict>()?;
            for (sub, values) in subs.iter() {
                match existing.get_item(&sub)? {
                    Some(list) => {
                        let list = list.cast::<PyList>()?;
                        for v in values.try_iter()? {
                            list.append(v?)?;
                        }
                    }
                    None => existing.set_item(sub, values)?,
                }
            }
            Ok(())
        }
        None => groups.set_item(key, subs),
    }
}

/// Decodes a packet into `(code, id, authenticator, groups, length, has_ma)`:
/// `groups` maps each key, in order of first appearance, to its list of value octets
/// (a TLV to a dict of sub-attribute lists), as pyrad's packet dict holds them, and
/// `has_ma` says whether Message-Authenticator (80) is present.
///
/// `vendor_split` is false for a packet without dictionary (Vendor-Specific stays
/// whole under 26); `tlvs` answers `key in tlvs` for the keys that are TLVs.
/// Errors are `ValueError`s with pyrad's messages (the Python layer raises them as
/// `PacketError`). Like pyrad, octets after the Length field are ignored and an
/// attribute running past the end is cut short there rather than rejected.
#[pyfunction]
#[pyo3(signature = (packet, vendor_split, tlvs=None))]
fn pyrad_split<'py>(
    py: Python<'py>,
    packet: &[u8],
    vendor_split: bool,
    tlvs: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyTuple>> {
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
    let is_tlv = |key: &Bound<'py, PyAny>| -> PyResult<bool> {
        match tlvs {
            Some(t) => t.contains(key),
            None => Ok(false),
        }
    };
    let groups = PyDict::new(py);
    let mut has_ma = false;
    let mut rest = packet.get(20..length).unwrap_or_default();
    while !rest.is_empty() {
        let (kind, attr_len) = match rest {
            [k, l, ..] => (*k, usize::from(*l)),
            _ => return Err(PyValueError::new_err("Attribute header is corrupt")),
        };
        if attr_len < 2 {
            return Err(PyValueError::new_err(format!(
                "Attribute length is too small ({attr_len})"
            )));
        }
        let value = rest.get(2..attr_len.min(rest.len())).unwrap_or_default();
        rest = rest.get(attr_len..).unwrap_or_default();
        if kind == VENDOR_SPECIFIC {
            let vsas = match (vendor_split, value) {
                (true, [a, b, c, d, tail @ ..]) if value.len() >= 6 => {
                    split_tlvs(tail).map(|s| (u32::from_be_bytes([*a, *b, *c, *d]), s))
                }
                _ => None,
            };
            match vsas {
                Some((vendor, subs)) => {
                    // pyrad files a vendor TLV while splitting the Vendor-Specific,
                    // before the plain sub-attributes of the same one.
                    let mut plain = Vec::with_capacity(subs.len());
                    for (sub, v) in subs {
                        let key = PyTuple::new(py, [vendor, u32::from(sub)])?.into_any();
                        if is_tlv(&key)? {
                            push_tlv(&groups, &key, v)?;
                        } else {
                            plain.push((key, v));
                        }
                    }
                    for (key, v) in plain {
                        push(&groups, &key, PyBytes::new(py, v).into_any())?;
                    }
                }
                None => push(
                    &groups,
                    &kind.into_pyobject(py)?.into_any(),
                    PyBytes::new(py, value).into_any(),
                )?,
            }
            continue;
        }
        let key = kind.into_pyobject(py)?.into_any();
        if kind == 80 {
            has_ma = true;
            push(&groups, &key, PyBytes::new(py, value).into_any())?;
        } else if is_tlv(&key)? {
            push_tlv(&groups, &key, value)?;
        } else {
            push(&groups, &key, PyBytes::new(py, value).into_any())?;
        }
    }
    PyTuple::new(
        py,
        [
            code.into_pyobject(py)?.into_any(),
            ident.into_pyobject(py)?.into_any(),
            PyBytes::new(py, &auth).into_any(),
            groups.into_any(),
            length.into_pyobject(py)?.into_any(),
            pyo3::types::PyBool::new(py, has_ma).to_owned().into_any(),
        ],
    )
}

fn too_long(key: &Bound<'_, PyAny>, len: usize) -> PyErr {
    let shown = key.repr().map(|r| r.to_string()).unwrap_or_default();
    PyValueError::new_err(format!(
        "Value of attribute {shown} is too long ({len} octets, at most 253 fit into an attribute)"
    ))
}

/// Appends one attribute: `key` an int code or a `(vendor, code)` tuple.
fn encode_one(out: &mut Vec<u8>, key: &Bound<'_, PyAny>, value: &[u8]) -> PyResult<()> {
    if let Ok(code) = key.extract::<u8>() {
        if value.len() > 253 {
            return Err(too_long(key, value.len()));
        }
        out.push(code);
        out.extend_from_slice(&[value.len() as u8 + 2]);
        out.extend_from_slice(value);
        return Ok(());
    }
    let Ok((vendor, sub)) = key.extract::<(u32, Bound<'_, PyAny>)>() else {
        return Err(PyTypeError::new_err(format!("invalid attribute key {key}")));
    };
    let sub_code: u8 = sub.extract()?;
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
            let value = value?;
            match value.cast::<PyBytes>() {
                Ok(b) => encode_one(&mut out, &key, b.as_bytes())?,
                Err(_) => {
                    let v: Vec<u8> = value.extract()?;
                    encode_one(&mut out, &key, &v)?;
                }
            }
        }
    }
    Ok(PyBytes::new(py, &out))
}

/// How a plan decodes a plain attribute's values (see `nacwire.pyrad.tools._codec`).
const KIND_STRING: u8 = 1;
const KIND_INTEGER: u8 = 2;
const KIND_IPADDR: u8 = 3;
const KIND_OCTETS: u8 = 4;

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
        (KIND_STRING, _) => match std::str::from_utf8(octets) {
            Ok(text) => Ok(pyo3::types::PyString::new(py, text).into_any()),
            Err(_) => Ok(value.clone()),
        },
        (KIND_INTEGER, [a, b, c, d]) => {
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

/// `pkt[key]` for pyrad's packet dict: a plain attribute by name through the plan its
/// dictionary caches (`_plans`: name -> (attribute, wire key, decode, encode, kind,
/// named values)), or a wire key's raw list. Returns `slow` when the Python layer must
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
    let dict = pkt.getattr(pyo3::intern!(py, "dict"))?;
    let Ok(plans) = dict.getattr(pyo3::intern!(py, "_plans")) else {
        return Ok(slow.clone());
    };
    let Ok(plans) = plans.cast::<PyDict>() else {
        return Ok(slow.clone());
    };
    let Some(plan) = plans.get_item(key)? else {
        return Ok(slow.clone());
    };
    let plan = plan.cast::<PyTuple>()?;
    let attr = plan.get_item(0)?;
    let current = dict
        .getattr(pyo3::intern!(py, "attributes"))?
        .cast::<PyDict>()?
        .get_item(key)?;
    if !current.is_some_and(|c| c.is(&attr)) {
        return Ok(slow.clone());
    }
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
            Ok(Some(encoded)) => return Ok(encoded.extract::<Vec<u8>>().ok()),
            Ok(None) => {}
            Err(_) => return Ok(None), // unhashable: the Python encoder raises pyrad's error
        }
    }
    let encoded = match kind {
        KIND_STRING => match value.cast::<pyo3::types::PyString>() {
            Ok(text) => Some(text.to_str()?.as_bytes().to_vec()),
            Err(_) => value.cast::<PyBytes>().ok().map(|b| b.as_bytes().to_vec()),
        },
        KIND_INTEGER if value.is_exact_instance_of::<pyo3::types::PyInt>() => {
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

/// `pkt[key] = item` for a plain attribute named `key`: `(wire key, [octets, ...])`
/// for the caller to store, or `slow` when the Python layer must encode (no plan, a
/// value the fast codecs do not take).
#[pyfunction]
fn pyrad_write<'py>(
    py: Python<'py>,
    pkt: &Bound<'py, PyDict>,
    key: &Bound<'py, PyAny>,
    item: &Bound<'py, PyAny>,
    slow: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let dict = pkt.getattr(pyo3::intern!(py, "dict"))?;
    let Ok(plans) = dict.getattr(pyo3::intern!(py, "_plans")) else {
        return Ok(slow.clone());
    };
    let Ok(plans) = plans.cast::<PyDict>() else {
        return Ok(slow.clone());
    };
    let Some(plan) = plans.get_item(key)? else {
        return Ok(slow.clone());
    };
    let plan = plan.cast::<PyTuple>()?;
    let attr = plan.get_item(0)?;
    let current = dict
        .getattr(pyo3::intern!(py, "attributes"))?
        .cast::<PyDict>()?
        .get_item(key)?;
    if !current.is_some_and(|c| c.is(&attr)) {
        return Ok(slow.clone());
    }
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
    Ok(PyTuple::new(py, [plan.get_item(1)?, out.into_any()])?.into_any())
}

/// pyrad's `PwCrypt` (`hide`) and `PwDecrypt` (reveal, trailing NULs removed) for the
/// lengths RFC 2865 5.2 allows (`None` otherwise: the Python code handles the rest).
#[pyfunction]
fn pyrad_pw<'py>(
    py: Python<'py>,
    secret: &[u8],
    authenticator: &[u8],
    data: &[u8],
    hide: bool,
) -> Option<Bound<'py, PyBytes>> {
    let auth: &[u8; 16] = authenticator.try_into().ok()?;
    let secret = radius_codec::SharedSecret::new(secret.to_vec());
    let out = if hide {
        radius_codec::crypto::hide_user_password(data, &secret, auth).ok()?
    } else {
        radius_codec::crypto::unhide_user_password(data, &secret, auth).ok()?
    };
    Some(PyBytes::new(py, &out))
}

/// Registers the helpers on the native module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(pyrad_read, m)?)?;
    m.add_function(wrap_pyfunction!(pyrad_write, m)?)?;
    m.add_function(wrap_pyfunction!(pyrad_pw, m)?)?;
    m.add_function(wrap_pyfunction!(pyrad_split, m)?)?;
    m.add_function(wrap_pyfunction!(pyrad_encode, m)?)?;
    Ok(())
}
