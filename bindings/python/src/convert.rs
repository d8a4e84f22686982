//! Conversions shared by every module of the binding: Python classes looked up once,
//! shared secrets, addresses.

use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyString};
use radius_codec::SharedSecret;

use crate::radius::Secret;

pub(crate) static IPV4: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
pub(crate) static IPV6: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
pub(crate) static IPV4NET: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
pub(crate) static IPV6NET: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static TIME: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// `module.name`, looked up once per interpreter and kept in `cell`.
pub(crate) fn import<'py>(
    py: Python<'py>,
    cell: &'static PyOnceLock<Py<PyAny>>,
    module: &str,
    name: &str,
) -> PyResult<Bound<'py, PyAny>> {
    cell.get_or_try_init(py, || py.import(module)?.getattr(name).map(Bound::unbind))
        .map(|o| o.bind(py).clone())
}

/// `datetime.timezone.utc` (the same object as `datetime.UTC`, which Python 3.10 lacks).
pub(crate) fn utc(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    static UTC: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    UTC.get_or_try_init(py, || {
        py.import("datetime")?
            .getattr("timezone")?
            .getattr("utc")
            .map(Bound::unbind)
    })
    .map(|o| o.bind(py).clone())
}

/// A shared secret given from Python as `Secret`, `bytes` or `str` (UTF-8), not empty:
/// "The secret MUST NOT be empty (length 0) since this would allow packets to be
/// trivially forged" (RFC 2865 §3). An unset environment variable or config field
/// would otherwise sign and verify everything with no key at all.
pub(crate) fn secret_of(obj: &Bound<'_, PyAny>) -> PyResult<Arc<SharedSecret>> {
    if let Ok(s) = obj.cast::<Secret>() {
        return Ok(Arc::clone(s.get().shared()));
    }
    let octets = if let Ok(b) = obj.cast::<PyBytes>() {
        b.as_bytes().to_vec()
    } else if let Ok(s) = obj.cast::<PyString>() {
        s.to_str()?.as_bytes().to_vec()
    } else {
        return Err(PyTypeError::new_err(
            "a shared secret is a nacwire.radius.Secret, bytes or str",
        ));
    };
    if octets.is_empty() {
        return Err(PyValueError::new_err(
            "the shared secret is empty (RFC 2865 §3: it must not be, anyone could forge packets)",
        ));
    }
    Ok(Arc::new(SharedSecret::new(octets)))
}

/// An int argument in `T`'s range: `TypeError` for another type (a bool included),
/// `ValueError` naming the argument and the range otherwise (pyo3's own conversion
/// raises `OverflowError: out of range integral type conversion attempted`, which
/// names neither).
fn int_arg<T>(obj: &Bound<'_, PyAny>, what: &str, range: &str) -> PyResult<T>
where
    T: for<'a, 'py> FromPyObject<'a, 'py>,
{
    if !obj.is_instance_of::<pyo3::types::PyInt>() || obj.is_instance_of::<pyo3::types::PyBool>() {
        let kind = obj
            .get_type()
            .name()
            .map_or_else(|_| "?".to_owned(), |n| n.to_string());
        return Err(PyTypeError::new_err(format!("{what} is an int, not {kind}")));
    }
    obj.extract::<T>()
        .map_err(|_| PyValueError::new_err(format!("{what} is {range}, not {obj}")))
}

/// Octets given as `bytes`, `bytearray` or `memoryview` (copied). Anything else,
/// `str` included, is a `TypeError`.
pub(crate) fn octets_arg(obj: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Ok(b.as_bytes().to_vec());
    }
    if let Ok(b) = obj.cast::<pyo3::types::PyByteArray>() {
        return Ok(b.to_vec());
    }
    if obj.is_instance_of::<pyo3::types::PyMemoryView>() {
        let copy = obj.call_method0("tobytes")?;
        return Ok(copy.cast::<PyBytes>()?.as_bytes().to_vec());
    }
    let kind = obj
        .get_type()
        .name()
        .map_or_else(|_| "?".to_owned(), |n| n.to_string());
    Err(PyTypeError::new_err(format!(
        "data is bytes, bytearray or memoryview, not {kind}"
    )))
}

/// An unsigned int argument up to `max`: `ValueError` with the range instead of
/// pyo3's `OverflowError: out of range integral type conversion attempted` (pyo3
/// adds a note naming the argument).
fn unsigned<T>(obj: &Bound<'_, PyAny>, max: &str) -> PyResult<T>
where
    T: for<'a, 'py> FromPyObject<'a, 'py>,
{
    int_arg(obj, "the value", "?").map_err(|e| {
        if e.is_instance_of::<PyValueError>(obj.py()) {
            PyValueError::new_err(format!("{obj} is outside 0..={max}"))
        } else {
            e
        }
    })
}

/// A 16-bit unsigned argument, or `None`.
pub(crate) fn opt_u16_arg(obj: &Bound<'_, PyAny>) -> PyResult<Option<u16>> {
    (!obj.is_none()).then(|| unsigned(obj, "65535")).transpose()
}

/// A 32-bit unsigned argument (seconds, counts, Error-Cause values).
pub(crate) fn u32_arg(obj: &Bound<'_, PyAny>) -> PyResult<u32> {
    unsigned(obj, "4294967295")
}

/// A 32-bit unsigned argument, or `None`.
pub(crate) fn opt_u32_arg(obj: &Bound<'_, PyAny>) -> PyResult<Option<u32>> {
    (!obj.is_none()).then(|| u32_arg(obj)).transpose()
}

/// A 64-bit unsigned argument.
pub(crate) fn u64_arg(obj: &Bound<'_, PyAny>) -> PyResult<u64> {
    unsigned(obj, "18446744073709551615")
}

/// A 64-bit unsigned argument, or `None`.
pub(crate) fn opt_u64_arg(obj: &Bound<'_, PyAny>) -> PyResult<Option<u64>> {
    (!obj.is_none()).then(|| u64_arg(obj)).transpose()
}

/// A RADIUS Identifier argument (0..=255).
pub(crate) fn identifier_arg(obj: &Bound<'_, PyAny>) -> PyResult<u8> {
    int_arg(obj, "identifier", "0..=255")
}

/// A UDP/TCP port argument (0..=65535).
pub(crate) fn port_arg(obj: &Bound<'_, PyAny>) -> PyResult<u16> {
    int_arg(obj, "port", "0..=65535")
}

/// A UDP/TCP port argument that may be `None`.
pub(crate) fn opt_port_arg(obj: &Bound<'_, PyAny>) -> PyResult<Option<u16>> {
    if obj.is_none() {
        return Ok(None);
    }
    port_arg(obj).map(Some)
}

/// A file path argument (`str` or `os.PathLike`); a NUL character, which no file name
/// holds, is a `ValueError` (as Python's `open` says, and as for attribute names),
/// not an error of the file system later.
pub(crate) fn path_arg(obj: &Bound<'_, PyAny>) -> PyResult<std::path::PathBuf> {
    let path: std::path::PathBuf = obj.extract()?;
    if path.as_os_str().as_encoded_bytes().contains(&0) {
        return Err(PyValueError::new_err(format!(
            "path {:?} contains a NUL character",
            path.to_string_lossy()
        )));
    }
    Ok(path)
}

/// A file path argument that may be `None` ([`path_arg`]).
pub(crate) fn opt_path_arg(obj: &Bound<'_, PyAny>) -> PyResult<Option<std::path::PathBuf>> {
    if obj.is_none() {
        return Ok(None);
    }
    path_arg(obj).map(Some)
}

/// An `ipaddress.IPv4Address`.
pub(crate) fn py_ipv4(py: Python<'_>, a: Ipv4Addr) -> PyResult<Bound<'_, PyAny>> {
    import(py, &IPV4, "ipaddress", "IPv4Address")?.call1((u32::from(a),))
}

/// An `ipaddress.IPv6Address`.
pub(crate) fn py_ipv6(py: Python<'_>, a: Ipv6Addr) -> PyResult<Bound<'_, PyAny>> {
    import(py, &IPV6, "ipaddress", "IPv6Address")?.call1((u128::from(a),))
}

/// An `ipaddress.IPv4Network` (host bits allowed).
pub(crate) fn py_ipv4net(py: Python<'_>, a: Ipv4Addr, l: u8) -> PyResult<Bound<'_, PyAny>> {
    import(py, &IPV4NET, "ipaddress", "IPv4Network")?.call1(((u32::from(a), l), false))
}

/// An `ipaddress.IPv6Network` (host bits allowed).
pub(crate) fn py_ipv6net(py: Python<'_>, a: Ipv6Addr, l: u8) -> PyResult<Bound<'_, PyAny>> {
    import(py, &IPV6NET, "ipaddress", "IPv6Network")?.call1(((u128::from(a), l), false))
}

/// The seconds since 1970 of a `datetime`, which must be aware: Python reads a naive
/// one (`datetime(2026, 1, 1)`, `datetime.now()`) in the machine's local time zone,
/// so the same code would send another time on a machine in another zone, and the
/// value read back (UTC) would not be the one written. A `ValueError` says so.
pub(crate) fn aware_timestamp(o: &Bound<'_, PyAny>) -> PyResult<f64> {
    if o.hasattr("utcoffset")? && o.call_method0("utcoffset")?.is_none() {
        return Err(PyValueError::new_err(format!(
            "{} is a naive datetime (no tzinfo), which Python reads in the local time zone: \
             give an aware one, e.g. datetime.now(timezone.utc) or .replace(tzinfo=timezone.utc)",
            o.repr()?
        )));
    }
    o.call_method0("timestamp")?.extract()
}

/// `now` as seconds since 1970 (`float`/`int`) or an aware `datetime` (a naive one is
/// a `ValueError`, [`aware_timestamp`]); `None` is `time.time()`. A time before 1970
/// or not finite is a `ValueError`.
pub(crate) fn time_of(py: Python<'_>, now: Option<&Bound<'_, PyAny>>) -> PyResult<SystemTime> {
    let secs: f64 = match now {
        None => import(py, &TIME, "time", "time")?.call0()?.extract()?,
        Some(o) if o.hasattr("timestamp")? => aware_timestamp(o)?,
        Some(o) => o.extract()?,
    };
    if !secs.is_finite() || secs < 0.0 {
        return Err(PyValueError::new_err("now must be a finite time after 1970"));
    }
    Ok(UNIX_EPOCH + Duration::from_secs_f64(secs.min(1e12)))
}

/// `__hash__` of a value: its `Hash`, through the standard library's hasher.
pub(crate) fn hash_of(v: &impl std::hash::Hash) -> u64 {
    use std::hash::Hasher;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    v.hash(&mut h);
    h.finish()
}
