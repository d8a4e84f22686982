//! `nacwire.nac`: MAC addresses, sessions, intents, vendor profiles, plans, outcomes,
//! the endpoint-change planner, and the ClearPass and cOS Core shapes.
//!
//! Every class here is immutable (`frozen`) and safe to share between threads; changes
//! are made by building a new object (`Session.replace`, `Profile.replace`).

use std::borrow::Cow;
use std::net::{Ipv4Addr, Ipv6Addr};

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pyclass::CompareOp;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyDict, PyInt, PyList, PyString, PyTuple};

use nac_model::{
    AttrSpec, CalledStationId, ErrorClass, HexCase, IdField, Intent as RIntent, MacFormat, RateLimit,
    ReauthKind, RequestKind, RoleChange, Separator, ServiceRef, SessionKind, StationId, VendorSessionId,
};
use radius_codec::{AttrAddr, AttrType, Code, Packet as CodecPacket, Value, VendorId};

use crate::convert::{
    hash_of, import, py_ipv4, py_ipv6, py_ipv6net, secret_of, time_of, IPV4, IPV6, IPV6NET,
};
use crate::errors::{self, Model};
use crate::radius;

// ---------------------------------------------------------------------------------
// Python classes the conversions create (looked up once per interpreter).

static JSON_DUMPS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static JSON_LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

fn invalid(kind: &'static str, msg: impl Into<String>) -> PyErr {
    errors::model(Model::Invalid(kind, msg.into()))
}

// ---------------------------------------------------------------------------------
// Small conversions

/// Text of a `str` or of an `ipaddress` object (anything but bytes and numbers).
fn text_of(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<String> {
    if obj.is_instance_of::<PyBytes>() || obj.is_instance_of::<PyInt>() {
        return Err(PyTypeError::new_err(format!(
            "{what} is a str or an ipaddress object"
        )));
    }
    Ok(obj.str()?.to_str()?.to_owned())
}

fn ipv4_of(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Ipv4Addr> {
    let t = text_of(obj, what)?;
    t.parse()
        .map_err(|_| invalid("invalid_value", format!("{what}: {t:?} is not an IPv4 address")))
}

fn ipv6_of(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Ipv6Addr> {
    let t = text_of(obj, what)?;
    t.parse()
        .map_err(|_| invalid("invalid_value", format!("{what}: {t:?} is not an IPv6 address")))
}

fn ipv6_prefix_of(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<(Ipv6Addr, u8)> {
    let t = text_of(obj, what)?;
    let bad = || {
        invalid(
            "invalid_value",
            format!("{what}: {t:?} is not an IPv6 prefix (addr/len)"),
        )
    };
    let (a, l) = t.split_once('/').ok_or_else(bad)?;
    let a: Ipv6Addr = a.parse().map_err(|_| bad())?;
    let l: u8 = l.parse().map_err(|_| bad())?;
    if l > 128 {
        return Err(bad());
    }
    Ok((a, l))
}

/// JSON text given as `str` or `bytes` (UTF-8).
fn json_text<'a>(obj: &'a Bound<'_, PyAny>) -> PyResult<Cow<'a, [u8]>> {
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Ok(Cow::Borrowed(b.as_bytes()));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Cow::Owned(s.to_str()?.as_bytes().to_vec()));
    }
    Err(PyTypeError::new_err("JSON is given as str or bytes"))
}

/// Refuses JSON text holding an integer outside -2^63..=2^64-1 (`ModelError`, kind
/// `"json"`, with its line and column). serde_json (without arbitrary precision) reads
/// such an integer as a float: `10**30` in an endpoint's `attributes` came back as
/// `1e+30`, another number than the one sent, and in a typed field (`id`, `count`,
/// `session_timeout`) it was refused as "floating point". No field of these shapes
/// holds such a number: typed integer fields are 32 or 64 bits, and free-form fields
/// (`attributes`, `custom`, `profile`, `_links`, a session's other fields, a filter)
/// cannot keep it exact, so it is refused rather than rounded; send it as a string.
/// Numbers written with a fraction or an exponent are floats, and stay floats.
fn check_json_integers(text: &[u8]) -> PyResult<()> {
    let (mut i, mut in_string) = (0, false);
    while let Some(&c) = text.get(i) {
        if in_string {
            match c {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        if c == b'"' {
            in_string = true;
            i += 1;
            continue;
        }
        if c != b'-' && !c.is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while text
            .get(i)
            .is_some_and(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'))
        {
            i += 1;
        }
        let token = text.get(start..i).unwrap_or_default();
        let integer = !token.iter().any(|b| matches!(b, b'.' | b'e' | b'E'));
        let fits =
            || std::str::from_utf8(token).is_ok_and(|t| t.parse::<i64>().is_ok() || t.parse::<u64>().is_ok());
        if integer && token.iter().any(u8::is_ascii_digit) && !fits() {
            let before = text.get(..start).unwrap_or_default();
            let line = before.iter().filter(|b| **b == b'\n').count() + 1;
            let column = start - before.iter().rposition(|b| *b == b'\n').map_or(0, |n| n + 1) + 1;
            let digits = token.iter().filter(|b| b.is_ascii_digit()).count();
            let shown: String = token.iter().take(24).map(|b| char::from(*b)).collect();
            let more = if token.len() > 24 { "..." } else { "" };
            return Err(errors::model(Model::JsonAt(
                format!(
                    "integer {shown}{more} ({digits} digits) at line {line} column {column} is \
                     outside -2**63..2**64-1: it would become an inexact float; send it as a string"
                ),
                line,
                column,
            )));
        }
    }
    Ok(())
}

/// Parses JSON text (`str` or `bytes`) into a nac-model type. Every such type is a
/// JSON object: serde would also fill a struct from an array, field by field in
/// declaration order (`[5, "mac"]` as an Endpoint with id 5), so an array is refused
/// first, with serde's own error for an object expected.
macro_rules! parse_json {
    ($t:ty, $obj:expr) => {{
        let bytes = json_text($obj)?;
        check_json_integers(&bytes)?;
        if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
            let e = serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(&bytes)
                .err()
                .ok_or_else(|| errors::model(Model::Invalid("json", "a JSON object is expected".into())))?;
            return Err(errors::model(Model::Json(e)));
        }
        serde_json::from_slice::<$t>(&bytes).map_err(|e| errors::model(Model::Json(e)))
    }};
}

/// JSON text of a nac-model value.
macro_rules! to_json {
    ($v:expr) => {
        serde_json::to_string($v).map_err(|e| errors::model(Model::Json(e)))
    };
}

/// A Python value (dict, list, str, numbers, None) as JSON text, through `json.dumps`
/// with `allow_nan=False`: NaN and infinities are not JSON (json.dumps would write
/// `NaN`, which the JSON parser then refused with only a column number).
fn dumps(obj: &Bound<'_, PyAny>) -> PyResult<String> {
    let kwargs = PyDict::new(obj.py());
    kwargs.set_item("allow_nan", false)?;
    import(obj.py(), &JSON_DUMPS, "json", "dumps")?
        .call((obj,), Some(&kwargs))
        .map_err(|e| invalid("invalid_value", format!("not JSON-serializable: {e}")))?
        .extract()
}

/// JSON text as Python objects, through `json.loads`.
fn loads<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    import(py, &JSON_LOADS, "json", "loads")?.call1((text,))
}

// ---------------------------------------------------------------------------------
// MacAddress

const STYLES: [(&str, MacFormat); 12] = [
    ("rfc3580", MacFormat::RFC3580),
    ("hyphen_lower", MacFormat::HYPHEN_LOWER),
    ("colon_lower", MacFormat::COLON_LOWER),
    ("colon_upper", MacFormat::COLON_UPPER),
    ("bare_lower", MacFormat::BARE_LOWER),
    ("bare_upper", MacFormat::BARE_UPPER),
    ("cisco", MacFormat::CISCO),
    ("cisco_upper", MacFormat::new(Separator::Dot, HexCase::Upper)),
    ("oui_nic_lower", MacFormat::OUI_NIC_LOWER),
    ("oui_nic_upper", MacFormat::OUI_NIC_UPPER),
    ("space_lower", MacFormat::new(Separator::Space, HexCase::Lower)),
    ("space_upper", MacFormat::new(Separator::Space, HexCase::Upper)),
];

fn style_of(name: &str) -> PyResult<MacFormat> {
    STYLES
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, f)| *f)
        .ok_or_else(|| {
            let names: Vec<&str> = STYLES.iter().map(|(n, _)| *n).collect();
            invalid(
                "unknown_style",
                format!("unknown MAC style {name:?}; one of {}", names.join(", ")),
            )
        })
}

fn style_name(f: MacFormat) -> &'static str {
    STYLES.iter().find(|(_, s)| *s == f).map_or("custom", |(n, _)| n)
}

/// A 48-bit IEEE MAC address (EUI-48).
#[pyclass(frozen, module = "nacwire.nac")]
#[derive(Clone, Copy)]
pub(crate) struct MacAddress {
    inner: nac_model::MacAddress,
}

impl MacAddress {
    fn of(obj: &Bound<'_, PyAny>) -> PyResult<nac_model::MacAddress> {
        if let Ok(m) = obj.cast::<Self>() {
            return Ok(m.get().inner);
        }
        if let Ok(s) = obj.cast::<PyString>() {
            return s.to_str()?.parse().map_err(|e| errors::model(Model::Nac(e)));
        }
        if let Ok(b) = obj.cast::<PyBytes>() {
            let octets: [u8; 6] = b.as_bytes().try_into().map_err(|_| {
                invalid(
                    "invalid_value",
                    format!("a MAC address is 6 octets, not {}", b.as_bytes().len()),
                )
            })?;
            return Ok(nac_model::MacAddress::new(octets));
        }
        Err(PyTypeError::new_err(
            "a MAC address is a str, 6 bytes or a MacAddress",
        ))
    }
}

#[pymethods]
impl MacAddress {
    /// Parses any common spelling (`aa:bb:cc:dd:ee:ff`, `AA-BB-CC-DD-EE-FF`,
    /// `aabb.ccdd.eeff`, `aabbcc-ddeeff`, `aabbccddeeff`, `aa bb cc dd ee ff`, any
    /// case, and `0:1b:63:84:45:e6` with one-digit groups, as macOS `arp` prints it),
    /// or takes 6 octets. Raises `ModelError` (`kind`: `empty`, `too_long`,
    /// `invalid_character`, `bad_grouping`; `invalid_value` for bytes that are not 6
    /// octets). No surrounding whitespace: strip input first.
    #[new]
    fn new(value: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(Self {
            inner: Self::of(value)?,
        })
    }

    /// The broadcast address `ff:ff:ff:ff:ff:ff`.
    #[classattr]
    const BROADCAST: Self = Self {
        inner: nac_model::MacAddress::BROADCAST,
    };

    /// The names `format` takes.
    #[classattr]
    fn styles() -> Vec<&'static str> {
        STYLES.iter().map(|(n, _)| *n).collect()
    }

    /// The address in a named style (see `MacAddress.styles`).
    #[pyo3(signature = (style = "colon_lower"))]
    fn format(&self, style: &str) -> PyResult<String> {
        Ok(self.inner.format(style_of(style)?))
    }

    /// The six octets.
    #[getter]
    fn octets<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.octets())
    }

    /// The Organizationally Unique Identifier (first three octets).
    #[getter]
    fn oui<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.oui())
    }

    /// The U/L bit: a locally administered (often randomized) address.
    #[getter]
    fn is_locally_administered(&self) -> bool {
        self.inner.is_locally_administered()
    }

    /// The I/G bit: a group (multicast or broadcast) address.
    #[getter]
    fn is_multicast(&self) -> bool {
        self.inner.is_multicast()
    }

    fn __str__(&self) -> String {
        self.inner.to_string()
    }

    fn __repr__(&self) -> String {
        format!("MacAddress('{}')", self.inner)
    }

    fn __bytes__<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.octets())
    }

    fn __hash__(&self) -> u64 {
        let mut b = [0u8; 8];
        if let Some(dst) = b.get_mut(..6) {
            dst.copy_from_slice(&self.inner.octets());
        }
        u64::from_le_bytes(b)
    }

    fn __richcmp__(&self, other: &Bound<'_, PyAny>, op: CompareOp, py: Python<'_>) -> Py<PyAny> {
        let Ok(o) = other.cast::<Self>() else {
            return py.NotImplemented();
        };
        let result = op.matches(self.inner.cmp(&o.get().inner));
        result
            .into_pyobject(py)
            .map_or_else(|_| py.NotImplemented(), |b| b.to_owned().into_any().unbind())
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        Ok((slf.get_type().into_any(), (slf.get().inner.to_string(),)))
    }
}

// ---------------------------------------------------------------------------------
// Session

const SESSION_KINDS: [(&str, SessionKind); 8] = [
    ("dot1x", SessionKind::Dot1x),
    ("mac_auth", SessionKind::MacAuth),
    ("web_auth", SessionKind::WebAuth),
    ("ppp", SessionKind::Ppp),
    ("ipoe", SessionKind::Ipoe),
    ("hotspot", SessionKind::Hotspot),
    ("vpn", SessionKind::Vpn),
    ("unknown", SessionKind::Unknown),
];

fn session_kind_name(k: SessionKind) -> &'static str {
    SESSION_KINDS
        .iter()
        .find(|(_, v)| *v == k)
        .map_or("unknown", |(n, _)| n)
}

/// A live session: the NAS' identification and the attributes that identify the
/// session there (RFC 5176 §3).
#[pyclass(frozen, module = "nacwire.nac")]
#[derive(Clone)]
pub(crate) struct Session {
    inner: nac_model::Session,
}

fn opt_text(v: &Bound<'_, PyAny>) -> PyResult<Option<String>> {
    if v.is_none() {
        return Ok(None);
    }
    Ok(Some(v.extract()?))
}

fn opt_bytes(v: &Bound<'_, PyAny>) -> PyResult<Option<Vec<u8>>> {
    if v.is_none() {
        return Ok(None);
    }
    match v.cast::<PyBytes>() {
        Ok(b) => Ok(Some(b.as_bytes().to_vec())),
        Err(_) => Err(PyTypeError::new_err("expected bytes or None")),
    }
}

/// Sets the session fields named in `changes` (keyword arguments).
fn apply_session(s: &mut nac_model::Session, changes: Option<&Bound<'_, PyDict>>) -> PyResult<()> {
    let Some(changes) = changes else {
        return Ok(());
    };
    for (k, v) in changes.iter() {
        let key: String = k.extract()?;
        let none = v.is_none();
        match key.as_str() {
            "nas_ip" => s.nas.ipv4 = if none { None } else { Some(ipv4_of(&v, "nas_ip")?) },
            "nas_ipv6" => {
                s.nas.ipv6 = if none {
                    None
                } else {
                    Some(ipv6_of(&v, "nas_ipv6")?)
                }
            }
            "nas_identifier" => s.nas.identifier = opt_text(&v)?,
            "user_name" => s.id.user_name = opt_text(&v)?,
            "cui" => s.id.cui = opt_bytes(&v)?,
            "acct_session_id" => s.id.acct_session_id = opt_text(&v)?,
            "acct_multi_session_id" => s.id.acct_multi_session_id = opt_text(&v)?,
            "calling_station" => {
                s.id.calling_station = if none {
                    None
                } else if let Ok(m) = v.cast::<MacAddress>() {
                    Some(StationId::Mac(m.get().inner))
                } else {
                    Some(StationId::parse(&v.extract::<String>()?))
                };
            }
            "called_station" => s.id.called_station = opt_text(&v)?.map(|t| CalledStationId::parse(&t)),
            "nas_port" => s.id.nas_port = crate::convert::opt_u32_arg(&v)?,
            "nas_port_id" => s.id.nas_port_id = opt_text(&v)?,
            "framed_ip" => {
                s.id.framed_ip = if none {
                    None
                } else {
                    Some(ipv4_of(&v, "framed_ip")?)
                }
            }
            "framed_ipv6_prefix" => {
                s.id.framed_ipv6_prefix = if none {
                    None
                } else {
                    Some(ipv6_prefix_of(&v, "framed_ipv6_prefix")?)
                };
            }
            "framed_interface_id" => {
                s.id.framed_interface_id = match opt_bytes(&v)? {
                    None => None,
                    Some(b) => Some(
                        b.try_into()
                            .map_err(|_| invalid("invalid_value", "framed_interface_id is 8 octets"))?,
                    ),
                };
            }
            "framed_ipv6_address" => {
                s.id.framed_ipv6_address = if none {
                    None
                } else {
                    Some(ipv6_of(&v, "framed_ipv6_address")?)
                };
            }
            "cisco_audit_session_id" => {
                s.id.vendor_ids
                    .retain(|i| !matches!(i, VendorSessionId::CiscoAuditSessionId(_)));
                if let Some(t) = opt_text(&v)? {
                    s.id.vendor_ids.push(VendorSessionId::CiscoAuditSessionId(t));
                }
            }
            "operator_name" => s.id.operator_name = opt_text(&v)?,
            "operator_nas_id" => s.id.operator_nas_id = opt_bytes(&v)?,
            "kind" => {
                let name: String = if none { "unknown".into() } else { v.extract()? };
                s.kind = SESSION_KINDS
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, k)| *k)
                    .ok_or_else(|| invalid("invalid_value", format!("unknown session kind {name:?}")))?;
            }
            "state" => s.state = opt_bytes(&v)?,
            "classes" => {
                s.class = if none {
                    Vec::new()
                } else {
                    let mut out = Vec::new();
                    for item in v.try_iter()? {
                        out.push(
                            opt_bytes(&item?)?.ok_or_else(|| PyTypeError::new_err("classes are bytes"))?,
                        );
                    }
                    out
                };
            }
            other => {
                return Err(PyTypeError::new_err(format!("Session has no field {other:?}")));
            }
        }
    }
    Ok(())
}

/// Packet bytes from a `nacwire.radius.Packet` (already validated) or `bytes`
/// (validated here), then `f` on the view.
fn with_packet<R>(obj: &Bound<'_, PyAny>, f: impl FnOnce(&CodecPacket<&[u8]>) -> PyResult<R>) -> PyResult<R> {
    if let Ok(p) = obj.cast::<radius::Packet>() {
        // Validated when the Packet was made.
        return f(&CodecPacket::new_unchecked(&p.get().data[..]));
    }
    if let Ok(b) = obj.cast::<PyBytes>() {
        let view = CodecPacket::new_checked(b.as_bytes()).map_err(errors::codec)?;
        return f(&view);
    }
    Err(PyTypeError::new_err(
        "a packet is a nacwire.radius.Packet or bytes",
    ))
}

#[pymethods]
impl Session {
    /// A session from its fields (all keyword, all optional): `nas_ip`, `nas_ipv6`,
    /// `nas_identifier`, `user_name`, `cui`, `acct_session_id`,
    /// `acct_multi_session_id`, `calling_station` (a MAC or other text),
    /// `called_station`, `nas_port`, `nas_port_id`, `framed_ip`,
    /// `framed_ipv6_prefix`, `framed_interface_id`, `framed_ipv6_address`,
    /// `cisco_audit_session_id`, `operator_name`, `operator_nas_id`, `kind`, `state`,
    /// `classes`.
    #[new]
    #[pyo3(signature = (**fields))]
    fn new(fields: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let mut inner = nac_model::Session::default();
        apply_session(&mut inner, fields)?;
        Ok(Self { inner })
    }

    /// Reads the NAS and session identification from an Access-Request or
    /// Accounting-Request (a `nacwire.radius.Packet` or its bytes). The kind is
    /// inferred (EAP: dot1x; Call-Check or a MAC User-Name: mac_auth; PPP: ppp).
    #[staticmethod]
    fn from_packet(packet: &Bound<'_, PyAny>) -> PyResult<Self> {
        with_packet(packet, |view| {
            nac_model::Session::from_packet(view)
                .map(|inner| Self { inner })
                .map_err(|e| errors::model(Model::Nac(e)))
        })
    }

    /// A copy with the given fields changed (same names as the constructor).
    #[pyo3(signature = (**changes))]
    fn replace(&self, changes: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let mut inner = self.inner.clone();
        apply_session(&mut inner, changes)?;
        Ok(Self { inner })
    }

    /// NAS-IP-Address.
    #[getter]
    fn nas_ip<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.inner.nas.ipv4.map(|a| py_ipv4(py, a)).transpose()
    }

    /// NAS-IPv6-Address.
    #[getter]
    fn nas_ipv6<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.inner.nas.ipv6.map(|a| py_ipv6(py, a)).transpose()
    }

    /// NAS-Identifier.
    #[getter]
    fn nas_identifier(&self) -> Option<String> {
        self.inner.nas.identifier.clone()
    }

    /// User-Name.
    #[getter]
    fn user_name(&self) -> Option<String> {
        self.inner.id.user_name.clone()
    }

    /// Chargeable-User-Identity.
    #[getter]
    fn cui<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyBytes>> {
        self.inner.id.cui.as_ref().map(|b| PyBytes::new(py, b))
    }

    /// Acct-Session-Id.
    #[getter]
    fn acct_session_id(&self) -> Option<String> {
        self.inner.id.acct_session_id.clone()
    }

    /// Acct-Multi-Session-Id.
    #[getter]
    fn acct_multi_session_id(&self) -> Option<String> {
        self.inner.id.acct_multi_session_id.clone()
    }

    /// Calling-Station-Id: a `MacAddress` when it is one, the text otherwise.
    #[getter]
    fn calling_station<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        Ok(match &self.inner.id.calling_station {
            None => None,
            Some(StationId::Mac(m)) => Some(Bound::new(py, MacAddress { inner: *m })?.into_any()),
            Some(StationId::Other(t)) => Some(PyString::new(py, t).into_any()),
        })
    }

    /// Called-Station-Id as received.
    #[getter]
    fn called_station(&self) -> Option<String> {
        self.inner.id.called_station.as_ref().map(|c| c.raw.clone())
    }

    /// The access point or switch MAC at the start of Called-Station-Id.
    #[getter]
    fn called_station_mac(&self) -> Option<MacAddress> {
        self.inner
            .id
            .called_station
            .as_ref()
            .and_then(|c| c.mac)
            .map(|inner| MacAddress { inner })
    }

    /// The SSID after the MAC in Called-Station-Id (RFC 3580 §3.20).
    #[getter]
    fn ssid(&self) -> Option<String> {
        self.inner.id.called_station.as_ref().and_then(|c| c.ssid.clone())
    }

    /// NAS-Port.
    #[getter]
    fn nas_port(&self) -> Option<u32> {
        self.inner.id.nas_port
    }

    /// NAS-Port-Id.
    #[getter]
    fn nas_port_id(&self) -> Option<String> {
        self.inner.id.nas_port_id.clone()
    }

    /// Framed-IP-Address.
    #[getter]
    fn framed_ip<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.inner.id.framed_ip.map(|a| py_ipv4(py, a)).transpose()
    }

    /// Framed-IPv6-Prefix.
    #[getter]
    fn framed_ipv6_prefix<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.inner
            .id
            .framed_ipv6_prefix
            .map(|(a, l)| py_ipv6net(py, a, l))
            .transpose()
    }

    /// Framed-Interface-Id (8 octets).
    #[getter]
    fn framed_interface_id<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyBytes>> {
        self.inner.id.framed_interface_id.map(|b| PyBytes::new(py, &b))
    }

    /// Framed-IPv6-Address.
    #[getter]
    fn framed_ipv6_address<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.inner
            .id
            .framed_ipv6_address
            .map(|a| py_ipv6(py, a))
            .transpose()
    }

    /// Cisco `audit-session-id` (from Cisco-AVPair).
    #[getter]
    fn cisco_audit_session_id(&self) -> Option<String> {
        self.inner.id.cisco_audit_session_id().map(str::to_owned)
    }

    /// Other vendor attributes seen, as `(vendor, vendor_type, value)`.
    #[getter]
    fn vendor_attributes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for v in &self.inner.id.vendor_ids {
            if let VendorSessionId::Other {
                vendor,
                vendor_type,
                value,
            } = v
            {
                list.append((vendor.0, *vendor_type, PyBytes::new(py, value)))?;
            }
        }
        Ok(list)
    }

    /// Operator-Name (RFC 5580).
    #[getter]
    fn operator_name(&self) -> Option<String> {
        self.inner.id.operator_name.clone()
    }

    /// Operator-NAS-Identifier (RFC 8559).
    #[getter]
    fn operator_nas_id<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyBytes>> {
        self.inner
            .id
            .operator_nas_id
            .as_ref()
            .map(|b| PyBytes::new(py, b))
    }

    /// How the session was authenticated: `dot1x`, `mac_auth`, `web_auth`, `ppp`,
    /// `ipoe`, `hotspot`, `vpn` or `unknown`.
    #[getter]
    fn kind(&self) -> &'static str {
        session_kind_name(self.inner.kind)
    }

    /// The State to send with Authorize-Only.
    #[getter]
    fn state<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyBytes>> {
        self.inner.state.as_ref().map(|b| PyBytes::new(py, b))
    }

    /// Class attributes received for the session.
    #[getter]
    fn classes<'py>(&self, py: Python<'py>) -> Vec<Bound<'py, PyBytes>> {
        self.inner.class.iter().map(|c| PyBytes::new(py, c)).collect()
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<Self>().is_ok_and(|o| o.get().inner == self.inner)
    }

    fn __hash__(&self) -> u64 {
        hash_of(&self.inner)
    }

    /// Identification fields; State and Class are shown by length only.
    fn __repr__(&self) -> String {
        let s = &self.inner;
        let mut parts = vec![format!("kind={}", session_kind_name(s.kind))];
        let mut push = |k: &str, v: Option<String>| {
            if let Some(v) = v {
                parts.push(format!("{k}={v}"));
            }
        };
        push("nas_ip", s.nas.ipv4.map(|a| a.to_string()));
        push("nas_ipv6", s.nas.ipv6.map(|a| a.to_string()));
        push("nas_identifier", s.nas.identifier.as_deref().map(py_text));
        push("user_name", s.id.user_name.as_deref().map(py_text));
        push("acct_session_id", s.id.acct_session_id.as_deref().map(py_text));
        push(
            "acct_multi_session_id",
            s.id.acct_multi_session_id.as_deref().map(py_text),
        );
        push(
            "calling_station",
            s.id.calling_station.as_ref().map(|c| match c {
                StationId::Mac(m) => m.to_string(),
                StationId::Other(t) => py_text(t),
            }),
        );
        push(
            "called_station",
            s.id.called_station.as_ref().map(|c| py_text(&c.raw)),
        );
        push("nas_port", s.id.nas_port.map(|p| p.to_string()));
        push("nas_port_id", s.id.nas_port_id.as_deref().map(py_text));
        push("framed_ip", s.id.framed_ip.map(|a| a.to_string()));
        push(
            "framed_ipv6_prefix",
            s.id.framed_ipv6_prefix.map(|(a, l)| format!("{a}/{l}")),
        );
        push(
            "framed_ipv6_address",
            s.id.framed_ipv6_address.map(|a| a.to_string()),
        );
        push(
            "cisco_audit_session_id",
            s.id.cisco_audit_session_id().map(py_text),
        );
        push("operator_name", s.id.operator_name.as_deref().map(py_text));
        push("cui", s.id.cui.as_ref().map(|c| format!("<{} bytes>", c.len())));
        push("state", s.state.as_ref().map(|c| format!("<{} bytes>", c.len())));
        if !s.class.is_empty() {
            parts.push(format!("classes=<{}>", s.class.len()));
        }
        format!("<Session {}>", parts.join(" "))
    }
}

// ---------------------------------------------------------------------------------
// Raw attributes (Intent.raw, PacketPlan.attributes)

fn attr_id_of(obj: &Bound<'_, PyAny>) -> PyResult<AttrAddr> {
    if let Ok(n) = obj.cast::<PyInt>() {
        let n: u8 = n
            .extract()
            .map_err(|_| invalid("invalid_value", "a standard attribute number is 1..=255"))?;
        return Ok(AttrAddr::standard(u32::from(n)));
    }
    if let Ok(t) = obj.cast::<PyTuple>() {
        let (vendor, vendor_type): (u32, u32) = t.extract().map_err(|_| {
            invalid(
                "invalid_value",
                "a vendor attribute is a (vendor, vendor_type) pair",
            )
        })?;
        if vendor == 0 {
            return Err(invalid(
                "invalid_value",
                "vendor id 0 is no vendor (a (0, 1) pair would be User-Name)",
            ));
        }
        return Ok(AttrAddr::vendor_specific(VendorId(vendor), vendor_type));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        let s = s.to_str()?;
        // FreeRADIUS numbering of an extended attribute ("241.8"), read by the codec.
        return AttrAddr::parse(s)
            .filter(|a| a.vendor() == VendorId(0) && matches!(a.path(), [241..=246, _]))
            .ok_or_else(|| {
                invalid(
                    "invalid_value",
                    format!("{s:?} is not an extended attribute (241.8)"),
                )
            });
    }
    Err(PyTypeError::new_err(
        "an attribute is a type number, a (vendor, vendor_type) pair or \"241.N\"",
    ))
}

/// A type number, a `(vendor, vendor_type)` pair or `"241.N"`; any other address
/// (EVS, TLV child) as FreeRADIUS numbers it (`"Attr-245.26.9.1"`).
fn attr_id_to_py<'py>(py: Python<'py>, addr: AttrAddr) -> PyResult<Bound<'py, PyAny>> {
    Ok(match (addr.vendor().0, addr.path()) {
        (0, [t]) => t.into_pyobject(py)?.into_any(),
        (0, [e @ 241..=246, x]) => PyString::new(py, &format!("{e}.{x}")).into_any(),
        (v, [t]) if v != 0 => (v, *t).into_pyobject(py)?.into_any(),
        _ => PyString::new(py, &addr.to_string()).into_any(),
    })
}

/// The attribute as `Intent` and `PacketPlan` reprs show it: its name in the built-in
/// dictionary (`Cisco-AVPair`), else the standard name, `26.V.T (Vendor)`, `241.N`,
/// or FreeRADIUS numbering for anything else.
fn attr_label(addr: AttrAddr) -> String {
    if let Some(def) = radius_dict::Dictionary::builtin().attr_by_addr(addr) {
        return def.name().to_owned();
    }
    match (addr.vendor().0, addr.path()) {
        (0, [t]) => u8::try_from(*t).map_or_else(|_| addr.to_string(), |t| AttrType(t).to_string()),
        (0, [e @ 241..=246, x]) => format!("{e}.{x}"),
        (v, [t]) if v != 0 => format!("26.{v}.{t} ({})", addr.vendor()),
        _ => addr.to_string(),
    }
}

fn attr_data_of(obj: &Bound<'_, PyAny>) -> PyResult<Value<'static>> {
    let py = obj.py();
    if obj.is_instance_of::<pyo3::types::PyBool>() {
        return Err(PyTypeError::new_err("a bool is not an attribute value"));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::String(Cow::Owned(s.to_str()?.as_bytes().to_vec())));
    }
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Ok(Value::Octets(Cow::Owned(b.as_bytes().to_vec())));
    }
    if obj.is_instance_of::<PyInt>() {
        return Ok(Value::Integer(obj.extract().map_err(|_| {
            invalid("invalid_value", format!("{obj} is outside 0..=4294967295"))
        })?));
    }
    if obj.is_instance(&import(py, &IPV4, "ipaddress", "IPv4Address")?)? {
        return Ok(Value::IpAddr(ipv4_of(obj, "value")?));
    }
    if obj.is_instance(&import(py, &IPV6, "ipaddress", "IPv6Address")?)? {
        return Ok(Value::Ipv6Addr(ipv6_of(obj, "value")?));
    }
    if obj.is_instance(&import(py, &IPV6NET, "ipaddress", "IPv6Network")?)? {
        let (a, l) = ipv6_prefix_of(obj, "value")?;
        return Ok(Value::Ipv6Prefix(a, l));
    }
    Err(PyTypeError::new_err(
        "an attribute value is str, bytes, int, IPv4Address, IPv6Address or IPv6Network",
    ))
}

fn attr_data_to_py<'py>(py: Python<'py>, d: &Value<'_>) -> PyResult<Bound<'py, PyAny>> {
    Ok(match d {
        Value::String(t) => match core::str::from_utf8(t) {
            Ok(t) => PyString::new(py, t).into_any(),
            Err(_) => PyBytes::new(py, t).into_any(),
        },
        Value::Octets(o) => PyBytes::new(py, o).into_any(),
        Value::Integer(n) | Value::Date(n) => n.into_pyobject(py)?.into_any(),
        Value::IpAddr(a) => py_ipv4(py, *a)?,
        Value::Ipv6Addr(a) => py_ipv6(py, *a)?,
        Value::Ipv6Prefix(a, l) => py_ipv6net(py, *a, *l)?,
        Value::Ifid(i) => PyBytes::new(py, i).into_any(),
        _ => py.None().into_bound(py),
    })
}

fn attr_spec_of(obj: &Bound<'_, PyAny>) -> PyResult<AttrSpec> {
    let t = obj.cast::<PyTuple>().map_err(|_| {
        PyTypeError::new_err("a raw attribute is an (attribute, value) or (attribute, value, tag) tuple")
    })?;
    let (id, value, tag) = match t.len() {
        2 => (t.get_item(0)?, t.get_item(1)?, None),
        3 => {
            let tag: u8 = t.get_item(2)?.extract()?;
            if !(1..=31).contains(&tag) {
                return Err(invalid("invalid_value", format!("tag {tag} is outside 1..=31")));
            }
            (t.get_item(0)?, t.get_item(1)?, Some(tag))
        }
        _ => {
            return Err(PyTypeError::new_err(
                "a raw attribute is an (attribute, value) or (attribute, value, tag) tuple",
            ))
        }
    };
    Ok(AttrSpec {
        addr: attr_id_of(&id)?,
        tag,
        value: attr_data_of(&value)?,
    })
}

// ---------------------------------------------------------------------------------
// Intent

const REAUTH_KINDS: [(&str, ReauthKind); 3] = [
    ("default", ReauthKind::Default),
    ("last", ReauthKind::Last),
    ("rerun", ReauthKind::Rerun),
];

/// The Python name of an intent kind (`ChangeRole` -> `change_role`).
pub(crate) fn intent_kind_name(k: nac_model::IntentKind) -> String {
    // Display says `change-role`
    k.to_string().replace('-', "_")
}

fn service_of(name: String, params: Vec<String>, tag: Option<u8>) -> PyResult<ServiceRef> {
    if let Some(t) = tag {
        if !(1..=31).contains(&t) {
            return Err(invalid("invalid_value", format!("tag {t} is outside 1..=31")));
        }
    }
    let mut s = ServiceRef::new(name).with_params(params);
    s.tag = tag;
    Ok(s)
}

fn py_text(t: &str) -> String {
    let mut out = String::from("'");
    for c in t.chars() {
        match c {
            '\'' => out.push_str("\\'"),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&c.escape_default().to_string()),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

fn service_args(s: &ServiceRef) -> String {
    let mut out = py_text(&s.name);
    if !s.params.is_empty() {
        let p: Vec<String> = s.params.iter().map(|p| py_text(p)).collect();
        out.push_str(&format!(", [{}]", p.join(", ")));
    }
    if let Some(t) = s.tag {
        out.push_str(&format!(", tag={t}"));
    }
    out
}

/// What to do to a live session, whatever the vendor: build one with the static
/// methods (`Intent.disconnect()`, `Intent.change_role("staff")`, ...).
#[pyclass(frozen, module = "nacwire.nac")]
#[derive(Clone)]
pub(crate) struct Intent {
    inner: RIntent,
}

#[pymethods]
impl Intent {
    /// End the session (Disconnect-Request), optionally with an Acct-Terminate-Cause
    /// (e.g. 6, Admin-Reset).
    #[staticmethod]
    #[pyo3(signature = (terminate_cause = None))]
    fn disconnect(#[pyo3(from_py_with = crate::convert::opt_u32_arg)] terminate_cause: Option<u32>) -> Self {
        Self {
            inner: RIntent::Disconnect { terminate_cause },
        }
    }

    /// Run authentication again so the new policy applies: `"default"` (the NAS'
    /// choice), `"last"` (the method that succeeded last) or `"rerun"` (all methods).
    #[staticmethod]
    #[pyo3(signature = (kind = "default"))]
    fn reauthenticate(kind: &str) -> PyResult<Self> {
        let k = REAUTH_KINDS
            .iter()
            .find(|(n, _)| *n == kind)
            .map(|(_, k)| *k)
            .ok_or_else(|| {
                invalid(
                    "invalid_value",
                    format!("reauthenticate kind {kind:?} is not default, last or rerun"),
                )
            })?;
        Ok(Self {
            inner: RIntent::Reauthenticate(k),
        })
    }

    /// Put the session in another role (user group).
    #[staticmethod]
    fn change_role(role: String) -> Self {
        Self {
            inner: RIntent::ChangeRole(role),
        }
    }

    /// Apply a named filter (Filter-Id).
    #[staticmethod]
    fn apply_filter(name: String) -> Self {
        Self {
            inner: RIntent::ApplyFilter(name),
        }
    }

    /// Replace Session-Timeout (seconds).
    #[staticmethod]
    fn session_timeout(#[pyo3(from_py_with = crate::convert::u32_arg)] seconds: u32) -> Self {
        Self {
            inner: RIntent::SessionTimeout(seconds),
        }
    }

    /// Replace Idle-Timeout (seconds).
    #[staticmethod]
    fn idle_timeout(#[pyo3(from_py_with = crate::convert::u32_arg)] seconds: u32) -> Self {
        Self {
            inner: RIntent::IdleTimeout(seconds),
        }
    }

    /// Take the port down and up, for `seconds` where the vendor takes a time.
    #[staticmethod]
    #[pyo3(signature = (seconds = None))]
    fn bounce_port(#[pyo3(from_py_with = crate::convert::opt_u32_arg)] seconds: Option<u32>) -> Self {
        Self {
            inner: RIntent::BouncePort { seconds },
        }
    }

    /// Shut the port.
    #[staticmethod]
    fn disable_port() -> Self {
        Self {
            inner: RIntent::DisablePort,
        }
    }

    /// Change the bandwidth (bits per second, from the subscriber's side).
    #[staticmethod]
    fn rate_limit(
        #[pyo3(from_py_with = crate::convert::u64_arg)] upload_bps: u64,
        #[pyo3(from_py_with = crate::convert::u64_arg)] download_bps: u64,
    ) -> Self {
        Self {
            inner: RIntent::RateLimit(RateLimit {
                upload_bps,
                download_bps,
            }),
        }
    }

    /// Change QoS policies by name.
    #[staticmethod]
    #[pyo3(signature = (ingress = None, egress = None))]
    fn policy(ingress: Option<String>, egress: Option<String>) -> Self {
        Self {
            inner: RIntent::Policy { ingress, egress },
        }
    }

    /// Activate a subscriber service (`name(p1,p2)`); `tag` groups Juniper's
    /// service attributes (1-31).
    #[staticmethod]
    #[pyo3(signature = (name, params = Vec::new(), *, tag = None))]
    fn activate_service(name: String, params: Vec<String>, tag: Option<u8>) -> PyResult<Self> {
        Ok(Self {
            inner: RIntent::ActivateService(service_of(name, params, tag)?),
        })
    }

    /// Deactivate a subscriber service.
    #[staticmethod]
    #[pyo3(signature = (name, params = Vec::new(), *, tag = None))]
    fn deactivate_service(name: String, params: Vec<String>, tag: Option<u8>) -> PyResult<Self> {
        Ok(Self {
            inner: RIntent::DeactivateService(service_of(name, params, tag)?),
        })
    }

    /// Log the subscriber on (Cisco ISG account-logon).
    #[staticmethod]
    fn account_logon() -> Self {
        Self {
            inner: RIntent::AccountLogon,
        }
    }

    /// Log the subscriber off (Cisco ISG account-logoff).
    #[staticmethod]
    fn account_logoff() -> Self {
        Self {
            inner: RIntent::AccountLogoff,
        }
    }

    /// Ask the NAS to send an Access-Request for the session (RFC 5176 §3.2); the
    /// session needs its State.
    #[staticmethod]
    fn authorize_only() -> Self {
        Self {
            inner: RIntent::AuthorizeOnly,
        }
    }

    /// Exactly these attributes after the profile's identification, in a
    /// `"disconnect"` or `"coa"` request; still checked against RFC 5176 §3.6.
    /// Each attribute is `(attribute, value)` or `(attribute, value, tag)`: the
    /// attribute a type number, a `(vendor, vendor_type)` pair or `"241.N"`; the value
    /// str, bytes, int, IPv4Address, IPv6Address or IPv6Network.
    #[staticmethod]
    fn raw(kind: &str, attributes: &Bound<'_, PyAny>) -> PyResult<Self> {
        let kind = match kind {
            "disconnect" => RequestKind::Disconnect,
            "coa" => RequestKind::Coa,
            other => {
                return Err(invalid(
                    "invalid_value",
                    format!("raw request kind {other:?} is not \"disconnect\" or \"coa\""),
                ))
            }
        };
        let mut attrs = Vec::new();
        for a in attributes.try_iter()? {
            attrs.push(attr_spec_of(&a?)?);
        }
        Ok(Self {
            inner: RIntent::Raw { kind, attrs },
        })
    }

    /// The intent's kind: `disconnect`, `reauthenticate`, `change_role`, ...
    #[getter]
    fn kind(&self) -> String {
        intent_kind_name(self.inner.kind())
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<Self>().is_ok_and(|o| o.get().inner == self.inner)
    }

    fn __hash__(&self) -> u64 {
        hash_of(&self.inner)
    }

    /// The call that builds this intent.
    fn __repr__(&self) -> String {
        let opt = |v: Option<u32>| v.map_or_else(String::new, |v| v.to_string());
        match &self.inner {
            RIntent::Disconnect { terminate_cause } => {
                format!("Intent.disconnect({})", opt(*terminate_cause))
            }
            RIntent::Reauthenticate(k) => {
                let name = REAUTH_KINDS
                    .iter()
                    .find(|(_, v)| v == k)
                    .map_or("default", |(n, _)| n);
                format!("Intent.reauthenticate('{name}')")
            }
            RIntent::ChangeRole(r) => format!("Intent.change_role({})", py_text(r)),
            RIntent::ApplyFilter(f) => format!("Intent.apply_filter({})", py_text(f)),
            RIntent::SessionTimeout(s) => format!("Intent.session_timeout({s})"),
            RIntent::IdleTimeout(s) => format!("Intent.idle_timeout({s})"),
            RIntent::BouncePort { seconds } => format!("Intent.bounce_port({})", opt(*seconds)),
            RIntent::DisablePort => "Intent.disable_port()".into(),
            RIntent::RateLimit(r) => format!("Intent.rate_limit({}, {})", r.upload_bps, r.download_bps),
            RIntent::Policy { ingress, egress } => {
                let o = |v: &Option<String>| v.as_deref().map_or_else(|| "None".to_string(), py_text);
                format!("Intent.policy({}, {})", o(ingress), o(egress))
            }
            RIntent::ActivateService(s) => format!("Intent.activate_service({})", service_args(s)),
            RIntent::DeactivateService(s) => format!("Intent.deactivate_service({})", service_args(s)),
            RIntent::AccountLogon => "Intent.account_logon()".into(),
            RIntent::AccountLogoff => "Intent.account_logoff()".into(),
            RIntent::AuthorizeOnly => "Intent.authorize_only()".into(),
            RIntent::Raw { kind, attrs } => {
                let k = match kind {
                    RequestKind::Disconnect => "disconnect",
                    RequestKind::Coa => "coa",
                };
                let a: Vec<String> = attrs.iter().map(|a| attr_label(a.addr)).collect();
                format!("Intent.raw('{k}', <{}>)", a.join(", "))
            }
            _ => format!("<Intent {}>", self.kind()),
        }
    }
}

// ---------------------------------------------------------------------------------
// Profile

/// A vendor profile: how one kind of NAS wants its Disconnect and CoA requests
/// (ports, identification attributes and MAC spellings, the recipe per intent).
/// `Profile.get("cisco-ios")`; adjust a copy for a site with `replace`.
#[pyclass(frozen, module = "nacwire.nac")]
#[derive(Clone)]
pub(crate) struct Profile {
    inner: nac_model::Profile,
}

const ID_FIELDS: [IdField; 17] = [
    IdField::NasIpAddress,
    IdField::NasIpv6Address,
    IdField::NasIdentifier,
    IdField::UserName,
    IdField::UserNameMac,
    IdField::Cui,
    IdField::AcctSessionId,
    IdField::AcctMultiSessionId,
    IdField::CallingStationId,
    IdField::CalledStationId,
    IdField::NasPort,
    IdField::NasPortId,
    IdField::FramedIpAddress,
    IdField::FramedIpv6,
    IdField::FramedIpv6Address,
    IdField::CiscoAuditSessionId,
    IdField::Operator,
];

fn id_fields_of(names: &[String]) -> PyResult<Vec<IdField>> {
    names
        .iter()
        .map(|n| {
            ID_FIELDS
                .iter()
                .find(|f| f.to_string().eq_ignore_ascii_case(n))
                .copied()
                .ok_or_else(|| {
                    let all: Vec<String> = ID_FIELDS.iter().map(ToString::to_string).collect();
                    invalid(
                        "invalid_value",
                        format!(
                            "unknown identification attribute {n:?}; one of {}",
                            all.join(", ")
                        ),
                    )
                })
        })
        .collect()
}

fn id_fields(f: &[IdField]) -> Vec<String> {
    f.iter().map(ToString::to_string).collect()
}

#[pymethods]
impl Profile {
    /// The builtin profile with this name (case-insensitive); `ModelError` when there
    /// is none.
    #[staticmethod]
    fn get(name: &str) -> PyResult<Self> {
        nac_model::Profile::by_name(name)
            .map(|inner| Self { inner })
            .ok_or_else(|| {
                invalid(
                    "unknown_profile",
                    format!("no builtin profile {name:?}; one of {}", Self::names().join(", ")),
                )
            })
    }

    /// The builtin profiles' names.
    #[staticmethod]
    fn names() -> Vec<String> {
        nac_model::Profile::ALL
            .iter()
            .map(|p| p.name.to_string())
            .collect()
    }

    /// Every builtin profile.
    #[staticmethod]
    fn all() -> Vec<Self> {
        nac_model::Profile::ALL
            .into_iter()
            .map(|inner| Self { inner })
            .collect()
    }

    /// A copy adjusted for a site. `identity`, `mac_auth_identity` and `required` are
    /// lists of identification attribute names as `identity` shows them
    /// (`"NAS-Port"`, `"User-Name (client MAC)"`, ...); an empty `mac_auth_identity`
    /// removes the MAC-authentication override.
    #[pyo3(signature = (*, coa_port = None, disconnect_port = None, message_authenticator = None,
                        event_timestamp = None, calling_station_mac = None, user_name_mac = None,
                        identity = None, mac_auth_identity = None, required = None))]
    #[allow(clippy::too_many_arguments)]
    fn replace(
        &self,
        #[pyo3(from_py_with = crate::convert::opt_port_arg)] coa_port: Option<u16>,
        #[pyo3(from_py_with = crate::convert::opt_port_arg)] disconnect_port: Option<u16>,
        message_authenticator: Option<bool>,
        event_timestamp: Option<bool>,
        calling_station_mac: Option<&str>,
        user_name_mac: Option<&str>,
        identity: Option<&Bound<'_, PyAny>>,
        mac_auth_identity: Option<&Bound<'_, PyAny>>,
        required: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let names = |what: &str, v: Option<&Bound<'_, PyAny>>| -> PyResult<Option<Vec<String>>> {
            let Some(v) = v else { return Ok(None) };
            let wrong = || PyTypeError::new_err(format!("{what} is a list of attribute names (str)"));
            // a str is a sequence of one-letter names: refuse it rather than split it
            if v.is_instance_of::<PyString>() {
                return Err(wrong());
            }
            v.extract::<Vec<String>>().map(Some).map_err(|_| wrong())
        };
        let identity = names("identity", identity)?;
        let mac_auth_identity = names("mac_auth_identity", mac_auth_identity)?;
        let required = names("required", required)?;
        let mut p = self.inner.clone();
        if let Some(v) = coa_port {
            p.coa_port = v;
        }
        if let Some(v) = disconnect_port {
            p.disconnect_port = v;
        }
        if let Some(v) = message_authenticator {
            p.message_authenticator = v;
        }
        if let Some(v) = event_timestamp {
            p.event_timestamp = v;
        }
        if let Some(v) = calling_station_mac {
            p.calling_station_mac = style_of(v)?;
        }
        if let Some(v) = user_name_mac {
            p.user_name_mac = style_of(v)?;
        }
        if let Some(v) = identity {
            p.identity = Cow::Owned(id_fields_of(&v)?);
        }
        if let Some(v) = mac_auth_identity {
            p.mac_auth_identity = if v.is_empty() {
                None
            } else {
                Some(Cow::Owned(id_fields_of(&v)?))
            };
        }
        if let Some(v) = required {
            p.required = Cow::Owned(id_fields_of(&v)?);
        }
        Ok(Self { inner: p })
    }

    /// The short name (`"cisco-ios"`).
    #[getter]
    fn name(&self) -> &str {
        &self.inner.name
    }

    /// The vendor recipe (`"cisco_ios"`, `"juniper_mx"`, ...).
    #[getter]
    fn vendor(&self) -> String {
        // The builtin profile's name in Python spelling: one row in nac-model's table.
        match self.inner.vendor.name() {
            "" => "unknown".to_owned(),
            name => name.replace('-', "_"),
        }
    }

    /// Where the recipe comes from.
    #[getter]
    fn source(&self) -> &str {
        &self.inner.source
    }

    /// CoA-Request destination port.
    #[getter]
    fn coa_port(&self) -> u16 {
        self.inner.coa_port
    }

    /// Disconnect-Request destination port.
    #[getter]
    fn disconnect_port(&self) -> u16 {
        self.inner.disconnect_port
    }

    /// Identification attributes sent first, in order, when the session has them.
    #[getter]
    fn identity(&self) -> Vec<String> {
        id_fields(&self.inner.identity)
    }

    /// Identification used instead for MAC-authenticated sessions, when set.
    #[getter]
    fn mac_auth_identity(&self) -> Option<Vec<String>> {
        self.inner.mac_auth_identity.as_deref().map(id_fields)
    }

    /// Identification attributes that must be present.
    #[getter]
    fn required(&self) -> Vec<String> {
        id_fields(&self.inner.required)
    }

    /// Calling-Station-Id spelling (a `MacAddress.styles` name).
    #[getter]
    fn calling_station_mac(&self) -> &'static str {
        style_name(self.inner.calling_station_mac)
    }

    /// User-Name spelling when the profile sends the client MAC as User-Name.
    #[getter]
    fn user_name_mac(&self) -> &'static str {
        style_name(self.inner.user_name_mac)
    }

    /// Message-Authenticator in every request.
    #[getter]
    fn message_authenticator(&self) -> bool {
        self.inner.message_authenticator
    }

    /// Event-Timestamp in every request.
    #[getter]
    fn event_timestamp(&self) -> bool {
        self.inner.event_timestamp
    }

    /// How roles change: `"attribute"` (a CoA with the role name), `"reauthenticate"`
    /// or `"disconnect"`.
    #[getter]
    fn role_change(&self) -> &'static str {
        match self.inner.role {
            RoleChange::Attribute(_) => "attribute",
            RoleChange::Reauthenticate => "reauthenticate",
            RoleChange::Disconnect => "disconnect",
        }
    }

    /// The intent kinds this profile's recipe covers.
    fn supported(&self) -> Vec<String> {
        nac_model::IntentKind::ALL
            .iter()
            .filter(|k| self.inner.supports(**k))
            .map(|k| intent_kind_name(*k))
            .collect()
    }

    /// Whether the recipe covers an intent (an `Intent` or its kind name).
    fn supports(&self, intent: &Bound<'_, PyAny>) -> PyResult<bool> {
        if let Ok(i) = intent.cast::<Intent>() {
            return Ok(self.inner.supports(i.get().inner.kind()));
        }
        let name: String = intent.extract()?;
        nac_model::IntentKind::ALL
            .iter()
            .find(|k| intent_kind_name(**k) == name)
            .map(|k| self.inner.supports(*k))
            .ok_or_else(|| invalid("invalid_value", format!("unknown intent kind {name:?}")))
    }

    /// Plans the request that carries out `intent` on `session`. `now` (seconds since
    /// 1970 or a datetime; default: the current time) becomes the Event-Timestamp.
    /// Raises `ModelError` when the profile has no recipe, the session lacks the
    /// identification the NAS needs, or the request would break RFC 5176 §3.6.
    #[pyo3(signature = (session, intent, *, now = None))]
    fn plan(
        &self,
        py: Python<'_>,
        session: &Bound<'_, Session>,
        intent: &Bound<'_, Intent>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PacketPlan> {
        let now = time_of(py, now)?;
        self.inner
            .plan(&session.get().inner, &intent.get().inner, now)
            .map(|inner| PacketPlan { inner })
            .map_err(|e| errors::model(Model::Nac(e)))
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<Self>().is_ok_and(|o| o.get().inner == self.inner)
    }

    fn __hash__(&self) -> u64 {
        hash_of(&(&self.inner.name, self.inner.coa_port, self.inner.disconnect_port))
    }

    fn __repr__(&self) -> String {
        format!(
            "<Profile {} coa_port={} disconnect_port={} identity=[{}]>",
            self.inner.name,
            self.inner.coa_port,
            self.inner.disconnect_port,
            id_fields(&self.inner.identity).join(", ")
        )
    }
}

// ---------------------------------------------------------------------------------
// PacketPlan

/// A planned Disconnect-Request or CoA-Request: code, port and attributes in wire
/// order. `packet(identifier, secret)` encodes it.
#[pyclass(frozen, module = "nacwire.nac")]
pub(crate) struct PacketPlan {
    inner: nac_model::PacketPlan,
}

#[pymethods]
impl PacketPlan {
    /// `"disconnect"` or `"coa"`.
    #[getter]
    fn kind(&self) -> &'static str {
        match self.inner.kind {
            RequestKind::Disconnect => "disconnect",
            RequestKind::Coa => "coa",
        }
    }

    /// The packet code (40 or 43).
    #[getter]
    fn code(&self) -> u8 {
        self.inner.code().get()
    }

    /// The packet code's name.
    #[getter]
    fn code_name(&self) -> String {
        self.inner.code().to_string()
    }

    /// The UDP destination port at the NAS.
    #[getter]
    fn port(&self) -> u16 {
        self.inner.port
    }

    /// Whether Message-Authenticator goes first.
    #[getter]
    fn message_authenticator(&self) -> bool {
        self.inner.message_authenticator
    }

    /// An Authorize-Only CoA: its success is a CoA-NAK with Error-Cause 507.
    #[getter]
    fn authorize_only(&self) -> bool {
        self.inner.authorize_only
    }

    /// The attributes in order, as `(attribute, tag, value)`: the attribute a type
    /// number, a `(vendor, vendor_type)` pair or `"241.N"`.
    #[getter]
    fn attributes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for a in &self.inner.attrs {
            list.append((attr_id_to_py(py, a.addr)?, a.tag, attr_data_to_py(py, &a.value)?))?;
        }
        Ok(list)
    }

    /// RFC 5176 §3.6 departures the profile makes on purpose: `(what, why)`.
    #[getter]
    fn deviations(&self) -> Vec<(String, String)> {
        self.inner
            .deviations
            .iter()
            .map(|d| (d.violation.to_string(), d.reason.to_string()))
            .collect()
    }

    /// The request's bytes: Request Authenticator (and Message-Authenticator)
    /// computed with `secret`. Keep them for retransmission.
    fn encode<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = crate::convert::identifier_arg)] identifier: u8,
        secret: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let secret = secret_of(secret)?;
        let packet = self.inner.encode(identifier, &secret).map_err(errors::codec)?;
        Ok(PyBytes::new(py, packet.as_bytes()))
    }

    /// The request as a `nacwire.radius.Packet` (attributes readable by name).
    #[pyo3(signature = (identifier, secret, *, dictionary = None))]
    fn packet<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = crate::convert::identifier_arg)] identifier: u8,
        secret: &Bound<'py, PyAny>,
        dictionary: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let bytes = self.encode(py, identifier, secret)?;
        let kwargs = PyDict::new(py);
        kwargs.set_item("secret", secret)?;
        if let Some(d) = dictionary {
            kwargs.set_item("dictionary", d)?;
        }
        py.get_type::<radius::Packet>()
            .call_method("decode", (bytes,), Some(&kwargs))
    }

    /// The outcome of `reply` to this plan's request: verified against `request`
    /// with `secret` first (pass `secret=None` only for a reply verified already,
    /// such as a `Client` "reply" event).
    fn outcome(
        &self,
        request: &Bound<'_, PyAny>,
        reply: &Bound<'_, PyAny>,
        secret: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Outcome> {
        Outcome::interpret(request, reply, secret, Some(self.inner.authorize_only))
    }

    fn __repr__(&self) -> String {
        let attrs: Vec<String> = self
            .inner
            .attrs
            .iter()
            .map(|a| {
                let v = match &a.value {
                    Value::String(t) => match core::str::from_utf8(t) {
                        Ok(t) => format!("{t:?}"),
                        Err(_) => format!("<{} bytes>", t.len()),
                    },
                    Value::Octets(o) => format!("<{} bytes>", o.len()),
                    Value::Integer(n) | Value::Date(n) => n.to_string(),
                    Value::IpAddr(x) => x.to_string(),
                    Value::Ipv6Addr(x) => x.to_string(),
                    Value::Ipv6Prefix(x, l) => format!("{x}/{l}"),
                    Value::Ifid(_) => "<ifid>".into(),
                    _ => "?".into(),
                };
                let id = attr_label(a.addr);
                match a.tag {
                    Some(t) => format!("{id}:{t}={v}"),
                    None => format!("{id}={v}"),
                }
            })
            .collect();
        format!(
            "<PacketPlan {} port={}{} [{}]>",
            self.inner.code(),
            self.inner.port,
            if self.inner.authorize_only {
                " authorize-only"
            } else {
                ""
            },
            attrs.join(", ")
        )
    }
}

// ---------------------------------------------------------------------------------
// ErrorCause and Outcome

/// An Error-Cause value (RFC 5176 §3.5): compares and hashes as its number.
#[pyclass(frozen, module = "nacwire.nac")]
#[derive(Clone, Copy)]
pub(crate) struct ErrorCause {
    inner: nac_model::ErrorCause,
}

#[pymethods]
impl ErrorCause {
    /// From the number (`ValueError` outside 0..=2**32-1) or FreeRADIUS' name
    /// (`"Session-Context-Not-Found"`; `ModelError` for an unknown one).
    #[new]
    fn new(value: &Bound<'_, PyAny>) -> PyResult<Self> {
        if value.is_instance_of::<PyInt>() {
            let n: u32 = value.extract().map_err(|_| {
                PyValueError::new_err(format!("Error-Cause {value} is outside 0..=4294967295"))
            })?;
            return Ok(Self {
                inner: nac_model::ErrorCause(n),
            });
        }
        let name: String = value
            .extract()
            .map_err(|_| PyTypeError::new_err("an Error-Cause is an int or a name"))?;
        nac_model::ErrorCause::from_name(&name)
            .map(|inner| Self { inner })
            .ok_or_else(|| invalid("invalid_value", format!("unknown Error-Cause {name:?}")))
    }

    /// Every value the crate names (FreeRADIUS' dictionary), in numeric order.
    #[staticmethod]
    fn all() -> Vec<Self> {
        nac_model::ErrorCause::ALL
            .iter()
            .map(|inner| Self { inner: *inner })
            .collect()
    }

    /// The number.
    #[getter]
    fn value(&self) -> u32 {
        self.inner.0
    }

    /// FreeRADIUS' name, if known.
    #[getter]
    fn name(&self) -> Option<&'static str> {
        self.inner.name()
    }

    /// The RFC's description, if known.
    #[getter]
    fn description(&self) -> Option<&'static str> {
        self.inner.description()
    }

    /// `"success"` (2xx), `"client_error"` (4xx), `"server_error"` (5xx, 601) or
    /// `"reserved"`.
    #[getter]
    fn error_class(&self) -> &'static str {
        match self.inner.class() {
            ErrorClass::Success => "success",
            ErrorClass::ClientError => "client_error",
            ErrorClass::ServerError => "server_error",
            ErrorClass::Reserved => "reserved",
        }
    }

    /// Whether the same request may succeed later (505, 506).
    #[getter]
    fn is_retryable(&self) -> bool {
        self.inner.is_retryable()
    }

    fn __int__(&self) -> u32 {
        self.inner.0
    }

    fn __index__(&self) -> u32 {
        self.inner.0
    }

    fn __hash__(&self) -> u64 {
        u64::from(self.inner.0)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        if let Ok(o) = other.cast::<Self>() {
            return o.get().inner == self.inner;
        }
        other.is_instance_of::<PyInt>() && other.extract::<u32>().is_ok_and(|n| n == self.inner.0)
    }

    fn __str__(&self) -> String {
        self.inner.to_string()
    }

    fn __repr__(&self) -> String {
        match self.inner.name() {
            Some(n) => format!("ErrorCause({}, '{n}')", self.inner.0),
            None => format!("ErrorCause({})", self.inner.0),
        }
    }
}

/// What a Disconnect or CoA reply means: `kind` is `"applied"`,
/// `"authorize_only_started"`, `"session_not_found"`, `"rejected"` or
/// `"protocol_violation"`.
#[pyclass(frozen, get_all, module = "nacwire.nac")]
pub(crate) struct Outcome {
    /// The outcome's kind.
    kind: &'static str,
    /// Applied or Authorize-Only started.
    is_success: bool,
    /// Applied, but the session was already gone (Error-Cause 201).
    residual_only: bool,
    /// The Error-Cause values of the reply, in order.
    causes: Vec<ErrorCause>,
    /// What the reply got wrong (`"protocol_violation"` only).
    violation: Option<String>,
    /// The reply's code name.
    reply_code: String,
    /// Reply-Message texts.
    reply_messages: Vec<String>,
    /// Acct-Terminate-Cause of the reply.
    acct_terminate_cause: Option<u32>,
    /// The text form (`"rejected: Unsupported-Attribute"`).
    text: String,
}

impl Outcome {
    fn interpret(
        request: &Bound<'_, PyAny>,
        reply: &Bound<'_, PyAny>,
        secret: Option<&Bound<'_, PyAny>>,
        authorize_only: Option<bool>,
    ) -> PyResult<Self> {
        let secret = secret.filter(|s| !s.is_none()).map(secret_of).transpose()?;
        with_packet(request, |req| {
            with_packet(reply, |rep| {
                if let Some(secret) = &secret {
                    rep.verify_reply(req, secret).map_err(errors::codec)?;
                }
                let r = nac_model::Reply::from_packet(rep).map_err(|e| errors::model(Model::Nac(e)))?;
                let authorize_only = authorize_only.unwrap_or_else(|| is_authorize_only(req));
                let o = nac_model::Outcome::interpret(req.code(), authorize_only, &r);
                Ok(Self::of(&o, &r))
            })
        })
    }

    fn of(o: &nac_model::Outcome, r: &nac_model::Reply) -> Self {
        use nac_model::Outcome as O;
        let (kind, residual_only, violation) = match o {
            O::Applied { residual_only } => ("applied", *residual_only, None),
            O::AuthorizeOnlyStarted => ("authorize_only_started", false, None),
            O::SessionNotFound => ("session_not_found", false, None),
            O::Rejected { .. } => ("rejected", false, None),
            O::ProtocolViolation(v) => ("protocol_violation", false, Some(v.to_string())),
            _ => ("unknown", false, None),
        };
        Self {
            kind,
            is_success: o.is_success(),
            residual_only,
            causes: r.error_causes.iter().map(|c| ErrorCause { inner: *c }).collect(),
            violation,
            reply_code: r.code.to_string(),
            reply_messages: r.reply_messages.clone(),
            acct_terminate_cause: r.acct_terminate_cause,
            text: o.to_string(),
        }
    }
}

/// A CoA-Request with Service-Type Authorize-Only (17).
fn is_authorize_only(req: &CodecPacket<&[u8]>) -> bool {
    req.code() == Code::CoaRequest
        && req
            .view()
            .attributes()
            .any(|a| a.typ() == AttrType::SERVICE_TYPE && a.value() == 17u32.to_be_bytes())
}

#[pymethods]
impl Outcome {
    /// Interprets `reply` (a `nacwire.radius.Packet` or bytes) to `request`, after
    /// verifying it (Identifier, code, Response Authenticator, Message-Authenticator)
    /// with `secret`. `secret=None` skips verification: only for a reply verified
    /// already, such as a `Client` "reply" event. `authorize_only` defaults to whether
    /// the request carries Service-Type Authorize-Only.
    #[staticmethod]
    #[pyo3(signature = (request, reply, secret, *, authorize_only = None))]
    fn from_reply(
        request: &Bound<'_, PyAny>,
        reply: &Bound<'_, PyAny>,
        secret: Option<&Bound<'_, PyAny>>,
        authorize_only: Option<bool>,
    ) -> PyResult<Self> {
        Self::interpret(request, reply, secret, authorize_only)
    }

    fn __str__(&self) -> String {
        self.text.clone()
    }

    fn __repr__(&self) -> String {
        format!("<Outcome {} ({}): {}>", self.kind, self.reply_code, self.text)
    }
}

// ---------------------------------------------------------------------------------
// HTTP request descriptions

/// An HTTP request described as data, for any HTTP client to perform: `method`,
/// `path` (percent-encoded), `query` (not encoded), `content_type` and `body`.
/// `repr()` leaves the body out: it can hold credentials.
#[pyclass(frozen, module = "nacwire.nac")]
pub(crate) struct HttpRequest {
    inner: nac_model::http::HttpRequest,
}

#[pymethods]
impl HttpRequest {
    /// `GET`, `POST`, `PUT`, `PATCH` or `DELETE`.
    #[getter]
    fn method(&self) -> &'static str {
        self.inner.method.as_str()
    }

    /// The path, percent-encoded.
    #[getter]
    fn path(&self) -> String {
        self.inner.path.clone()
    }

    /// Query parameters in order, not encoded.
    #[getter]
    fn query(&self) -> Vec<(String, String)> {
        self.inner.query.clone()
    }

    /// The path with the encoded query string.
    #[getter]
    fn path_and_query(&self) -> String {
        self.inner.path_and_query()
    }

    /// The body's `Content-Type`, if there is a body.
    #[getter]
    fn content_type(&self) -> Option<&'static str> {
        self.inner.body.as_ref().map(|b| b.content_type)
    }

    /// The body, if any.
    #[getter]
    fn body<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyBytes>> {
        self.inner.body.as_ref().map(|b| PyBytes::new(py, &b.bytes))
    }

    /// The body as text (JSON and form bodies are UTF-8).
    #[getter]
    fn body_text(&self) -> Option<&str> {
        self.inner.body_text()
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<Self>().is_ok_and(|o| o.get().inner == self.inner)
    }

    fn __repr__(&self) -> String {
        format!("<HttpRequest {}>", self.inner)
    }
}

fn http(inner: nac_model::http::HttpRequest) -> HttpRequest {
    HttpRequest { inner }
}

// ---------------------------------------------------------------------------------
// ClearPass

use nac_model::clearpass as cp;

/// A list reply's items, each wrapped for Python, and its count.
fn list_page<T, W>(page: cp::ListPage<T>, wrap: impl FnMut(T) -> W) -> (Vec<W>, Option<u64>) {
    (page.embedded.items.into_iter().map(wrap).collect(), page.count)
}

/// Keyword arguments as a JSON object: `MacAddress` values become text, the rest
/// goes through `json.dumps`.
fn kwargs_json(
    py: Python<'_>,
    kwargs: Option<&Bound<'_, PyDict>>,
    known: Option<&[&str]>,
    what: &str,
) -> PyResult<String> {
    let d = PyDict::new(py);
    if let Some(kwargs) = kwargs {
        for (k, v) in kwargs.iter() {
            let key: String = k.extract()?;
            if let Some(known) = known {
                if !known.contains(&key.as_str()) {
                    return Err(PyTypeError::new_err(format!("{what} has no field {key:?}")));
                }
            }
            let key = if key == "links" { "_links".to_string() } else { key };
            match v.cast::<MacAddress>() {
                Ok(m) => d.set_item(key, m.get().inner.to_string())?,
                Err(_) => d.set_item(key, v)?,
            }
        }
    }
    let text = dumps(d.as_any())?;
    check_json_integers(text.as_bytes())?;
    Ok(text)
}

const ENDPOINT_FIELDS: [&str; 9] = [
    "id",
    "mac_address",
    "description",
    "status",
    "randomized_mac",
    "device_insight_tags",
    "attributes",
    "profile",
    "links",
];

fn status_name(s: cp::EndpointStatus) -> &'static str {
    match s {
        cp::EndpointStatus::Known => "Known",
        cp::EndpointStatus::Unknown => "Unknown",
        cp::EndpointStatus::Disabled => "Disabled",
    }
}

fn status_of(s: &str) -> PyResult<cp::EndpointStatus> {
    match s {
        "Known" => Ok(cp::EndpointStatus::Known),
        "Unknown" => Ok(cp::EndpointStatus::Unknown),
        "Disabled" => Ok(cp::EndpointStatus::Disabled),
        other => Err(invalid(
            "invalid_value",
            format!("endpoint status {other:?} is not Known, Unknown or Disabled"),
        )),
    }
}

fn opt_json<'py>(py: Python<'py>, v: Option<&serde_json::Value>) -> PyResult<Option<Bound<'py, PyAny>>> {
    v.map(|v| loads(py, &v.to_string())).transpose()
}

/// A ClearPass endpoint (`/api/endpoint`). Every field is optional, so the same
/// class is a full object, a create body and a PATCH body.
#[pyclass(frozen, module = "nacwire.nac")]
#[derive(Clone)]
pub(crate) struct Endpoint {
    inner: cp::Endpoint,
}

#[pymethods]
impl Endpoint {
    /// An endpoint from its fields: `id`, `mac_address` (any spelling or a
    /// `MacAddress`), `description`, `status` (`"Known"`, `"Unknown"`,
    /// `"Disabled"`), `randomized_mac`, `device_insight_tags`, `attributes` (a dict),
    /// `profile`, `links`.
    #[new]
    #[pyo3(signature = (**fields))]
    fn new(py: Python<'_>, fields: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let text = kwargs_json(py, fields, Some(&ENDPOINT_FIELDS), "Endpoint")?;
        let inner = serde_json::from_str(&text).map_err(|e| errors::model(Model::Json(e)))?;
        Ok(Self { inner })
    }

    /// Parses ClearPass' JSON (`str` or `bytes`).
    #[staticmethod]
    fn from_json(text: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(Self {
            inner: parse_json!(cp::Endpoint, text)?,
        })
    }

    /// Parses a list reply (`{"_embedded":{"items":[...]},"count":N}`): the items and
    /// the count, when asked for.
    #[staticmethod]
    fn list_from_json(text: &Bound<'_, PyAny>) -> PyResult<(Vec<Self>, Option<u64>)> {
        let page = parse_json!(cp::ListPage<cp::Endpoint>, text)?;
        Ok(list_page(page, |inner| Self { inner }))
    }

    /// The JSON ClearPass takes (absent fields are left out; the MAC bare, lower case).
    fn to_json(&self) -> PyResult<String> {
        to_json!(&self.inner)
    }

    /// The JSON as Python objects.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        loads(py, &to_json!(&self.inner)?)
    }

    /// Read-only id.
    #[getter]
    fn id(&self) -> Option<u64> {
        self.inner.id
    }

    /// The MAC address.
    #[getter]
    fn mac_address(&self) -> Option<MacAddress> {
        self.inner.mac_address.map(|inner| MacAddress { inner })
    }

    /// Description.
    #[getter]
    fn description(&self) -> Option<String> {
        self.inner.description.clone()
    }

    /// `"Known"`, `"Unknown"` or `"Disabled"`.
    #[getter]
    fn status(&self) -> Option<&'static str> {
        self.inner.status.map(status_name)
    }

    /// Whether the MAC is randomized.
    #[getter]
    fn randomized_mac(&self) -> Option<bool> {
        self.inner.randomized_mac
    }

    /// Device Insight tags, as ClearPass sends them.
    #[getter]
    fn device_insight_tags<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        opt_json(py, self.inner.device_insight_tags.as_ref())
    }

    /// Custom attributes.
    #[getter]
    fn attributes<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.inner
            .attributes
            .as_ref()
            .map(|a| loads(py, &to_json!(a)?))
            .transpose()
    }

    /// Profiling information.
    #[getter]
    fn profile<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        opt_json(py, self.inner.profile.as_ref())
    }

    /// HAL links of a returned object.
    #[getter]
    fn links<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        opt_json(py, self.inner.links.as_ref())
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<Self>().is_ok_and(|o| o.get().inner == self.inner)
    }

    fn __repr__(&self) -> String {
        let e = &self.inner;
        let mut parts = Vec::new();
        if let Some(id) = e.id {
            parts.push(format!("id={id}"));
        }
        if let Some(m) = e.mac_address {
            parts.push(format!("mac_address={m}"));
        }
        if let Some(s) = e.status {
            parts.push(format!("status={}", status_name(s)));
        }
        if let Some(d) = &e.description {
            parts.push(format!("description={}", py_text(d)));
        }
        if let Some(a) = &e.attributes {
            let keys: Vec<String> = a.keys().map(|k| py_text(k)).collect();
            parts.push(format!("attributes=[{}]", keys.join(", ")));
        }
        format!("<Endpoint {}>", parts.join(" "))
    }
}

fn timestamp_to_py<'py>(py: Python<'py>, t: Option<&cp::Timestamp>) -> PyResult<Option<Bound<'py, PyAny>>> {
    Ok(match t {
        None => None,
        Some(cp::Timestamp::Epoch(n)) => Some(n.into_pyobject(py)?.into_any()),
        Some(cp::Timestamp::Text(s)) => Some(PyString::new(py, s).into_any()),
    })
}

/// A ClearPass guest device account (`/api/device`). Fields ClearPass does not
/// document are kept in `custom`. The password is never shown by `repr()`.
#[pyclass(frozen, module = "nacwire.nac")]
#[derive(Clone)]
pub(crate) struct Device {
    inner: cp::Device,
}

#[pymethods]
impl Device {
    /// A device from its JSON field names (`mac`, `enabled`, `role_id`, `expire_time`,
    /// `username`, `password`, `visitor_name`, ...); unknown names are custom fields.
    #[new]
    #[pyo3(signature = (**fields))]
    fn new(py: Python<'_>, fields: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let text = kwargs_json(py, fields, None, "Device")?;
        let inner = serde_json::from_str(&text).map_err(|e| errors::model(Model::Json(e)))?;
        Ok(Self { inner })
    }

    /// Parses ClearPass' JSON (`str` or `bytes`).
    #[staticmethod]
    fn from_json(text: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(Self {
            inner: parse_json!(cp::Device, text)?,
        })
    }

    /// Parses a list reply: the items and the count, when asked for.
    #[staticmethod]
    fn list_from_json(text: &Bound<'_, PyAny>) -> PyResult<(Vec<Self>, Option<u64>)> {
        let page = parse_json!(cp::ListPage<cp::Device>, text)?;
        Ok(list_page(page, |inner| Self { inner }))
    }

    /// The JSON ClearPass takes (absent fields left out).
    fn to_json(&self) -> PyResult<String> {
        to_json!(&self.inner)
    }

    /// The JSON as Python objects.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        loads(py, &to_json!(&self.inner)?)
    }

    /// Read-only id.
    #[getter]
    fn id(&self) -> Option<u64> {
        self.inner.id
    }

    /// The MAC address as ClearPass Guest writes it.
    #[getter]
    fn mac(&self) -> Option<String> {
        self.inner.mac.clone()
    }

    /// The MAC address, parsed (`ModelError` when it is not one).
    #[getter]
    fn mac_address(&self) -> PyResult<Option<MacAddress>> {
        self.inner
            .mac_address()
            .map(|r| {
                r.map(|inner| MacAddress { inner })
                    .map_err(|e| errors::model(Model::Nac(e)))
            })
            .transpose()
    }

    /// Account enabled.
    #[getter]
    fn enabled(&self) -> Option<bool> {
        self.inner.enabled
    }

    /// Role id.
    #[getter]
    fn role_id(&self) -> Option<u32> {
        self.inner.role_id
    }

    /// Role name.
    #[getter]
    fn role_name(&self) -> Option<String> {
        self.inner.role_name.clone()
    }

    /// Activation time (epoch seconds or text, as received).
    #[getter]
    fn start_time<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        timestamp_to_py(py, self.inner.start_time.as_ref())
    }

    /// Expiry time (epoch seconds or text, as received).
    #[getter]
    fn expire_time<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        timestamp_to_py(py, self.inner.expire_time.as_ref())
    }

    /// Creation time (epoch seconds or text, as received).
    #[getter]
    fn create_time<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        timestamp_to_py(py, self.inner.create_time.as_ref())
    }

    /// Read-only state.
    #[getter]
    fn current_state(&self) -> Option<String> {
        self.inner.current_state.clone()
    }

    /// Notes.
    #[getter]
    fn notes(&self) -> Option<String> {
        self.inner.notes.clone()
    }

    /// Visitor name.
    #[getter]
    fn visitor_name(&self) -> Option<String> {
        self.inner.visitor_name.clone()
    }

    /// Sponsor name.
    #[getter]
    fn sponsor_name(&self) -> Option<String> {
        self.inner.sponsor_name.clone()
    }

    /// Account user name.
    #[getter]
    fn username(&self) -> Option<String> {
        self.inner.username.clone()
    }

    /// Account password.
    #[getter]
    fn password(&self) -> Option<String> {
        self.inner.password.clone()
    }

    /// Other fields, as received.
    #[getter]
    fn custom<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        loads(py, &to_json!(&self.inner.custom)?)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<Self>().is_ok_and(|o| o.get().inner == self.inner)
    }

    /// The main fields; the password as `<redacted>`.
    fn __repr__(&self) -> String {
        let d = &self.inner;
        let mut parts = Vec::new();
        if let Some(id) = d.id {
            parts.push(format!("id={id}"));
        }
        if let Some(m) = &d.mac {
            parts.push(format!("mac={}", py_text(m)));
        }
        if let Some(e) = d.enabled {
            parts.push(format!("enabled={}", if e { "True" } else { "False" }));
        }
        if let Some(r) = d.role_id {
            parts.push(format!("role_id={r}"));
        }
        if let Some(r) = &d.role_name {
            parts.push(format!("role_name={}", py_text(r)));
        }
        if let Some(u) = &d.username {
            parts.push(format!("username={}", py_text(u)));
        }
        if d.password.is_some() {
            parts.push("password=<redacted>".into());
        }
        format!("<Device {}>", parts.join(" "))
    }
}

/// An entry of ClearPass' `/api/session`; fields that vary by version are in `other`.
#[pyclass(frozen, module = "nacwire.nac")]
pub(crate) struct ActiveSession {
    inner: cp::ActiveSession,
}

#[pymethods]
impl ActiveSession {
    /// Parses one session object.
    #[staticmethod]
    fn from_json(text: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(Self {
            inner: parse_json!(cp::ActiveSession, text)?,
        })
    }

    /// Parses a list reply: the items and the count, when asked for.
    #[staticmethod]
    fn list_from_json(text: &Bound<'_, PyAny>) -> PyResult<(Vec<Self>, Option<u64>)> {
        let page = parse_json!(cp::ListPage<cp::ActiveSession>, text)?;
        Ok(list_page(page, |inner| Self { inner }))
    }

    /// Session id.
    #[getter]
    fn id(&self) -> String {
        self.inner.id.clone()
    }

    /// Client MAC, as ClearPass writes it.
    #[getter]
    fn mac_address(&self) -> Option<String> {
        self.inner.mac_address.clone()
    }

    /// Client IP, as ClearPass writes it.
    #[getter]
    fn framedipaddress(&self) -> Option<String> {
        self.inner.framedipaddress.clone()
    }

    /// `"active"`, `"stale"` or `"closed"`.
    #[getter]
    fn state(&self) -> Option<&'static str> {
        self.inner.state.map(|s| match s {
            cp::SessionState::Active => "active",
            cp::SessionState::Stale => "stale",
            cp::SessionState::Closed => "closed",
        })
    }

    /// Every other field.
    #[getter]
    fn other<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        loads(py, &to_json!(&self.inner.other)?)
    }

    /// The JSON, as received (field order aside).
    fn to_json(&self) -> PyResult<String> {
        to_json!(&self.inner)
    }

    fn __repr__(&self) -> String {
        format!(
            "<ActiveSession {} mac_address={} state={}>",
            py_text(&self.inner.id),
            self.inner
                .mac_address
                .as_deref()
                .map_or_else(|| "None".into(), py_text),
            self.state().unwrap_or("None")
        )
    }
}

fn coa_flag(coa: Option<bool>) -> cp::CoaFlag {
    match coa {
        None => cp::CoaFlag::ServerDefault,
        Some(true) => cp::CoaFlag::Yes,
        Some(false) => cp::CoaFlag::No,
    }
}

fn action(a: &cp::Action) -> PyResult<HttpRequest> {
    a.to_http().map(http).map_err(|e| errors::model(Model::Nac(e)))
}

/// The ClearPass operations an integration performs, as `HttpRequest`s (paths
/// relative to `https://<cppm>`; add the OAuth bearer token).
#[pyclass(frozen, module = "nacwire.nac")]
pub(crate) struct ClearPass;

#[pymethods]
impl ClearPass {
    /// `PATCH /api/endpoint/mac-address/{mac}` with the fields set in `patch`.
    #[staticmethod]
    fn update_endpoint(mac: &Bound<'_, PyAny>, patch: &Bound<'_, Endpoint>) -> PyResult<HttpRequest> {
        action(&cp::Action::UpdateEndpoint {
            mac: MacAddress::of(mac)?,
            patch: patch.get().inner.clone(),
        })
    }

    /// `POST /api/endpoint`.
    #[staticmethod]
    fn create_endpoint(endpoint: &Bound<'_, Endpoint>) -> PyResult<HttpRequest> {
        action(&cp::Action::CreateEndpoint(endpoint.get().inner.clone()))
    }

    /// `GET /api/endpoint/mac-address/{mac}`.
    #[staticmethod]
    fn get_endpoint(mac: &Bound<'_, PyAny>) -> PyResult<HttpRequest> {
        action(&cp::Action::GetEndpoint(MacAddress::of(mac)?))
    }

    /// `POST /api/device` (`mac` and `role_id` required); `coa` sets
    /// `?change_of_authorization=` (None: the server's default).
    #[staticmethod]
    #[pyo3(signature = (device, *, coa = None))]
    fn create_device(device: &Bound<'_, Device>, coa: Option<bool>) -> PyResult<HttpRequest> {
        action(&cp::Action::CreateDevice {
            device: device.get().inner.clone(),
            coa: coa_flag(coa),
        })
    }

    /// `PATCH /api/device/mac/{mac}` with the fields set in `patch`.
    #[staticmethod]
    #[pyo3(signature = (mac, patch, *, coa = None))]
    fn update_device(
        mac: &Bound<'_, PyAny>,
        patch: &Bound<'_, Device>,
        coa: Option<bool>,
    ) -> PyResult<HttpRequest> {
        action(&cp::Action::UpdateDevice {
            mac: MacAddress::of(mac)?,
            patch: patch.get().inner.clone(),
            coa: coa_flag(coa),
        })
    }

    /// `GET /api/session?filter=...`: the active sessions of a MAC.
    #[staticmethod]
    fn active_sessions(mac: &Bound<'_, PyAny>) -> PyResult<HttpRequest> {
        action(&cp::Action::ActiveSessions(MacAddress::of(mac)?))
    }

    /// `POST /api/session/{id}/disconnect`.
    #[staticmethod]
    fn disconnect_session(id: String) -> PyResult<HttpRequest> {
        action(&cp::Action::DisconnectSession(id))
    }

    /// `POST /api/session/{id}/reauthorize` with a reauthorization profile.
    #[staticmethod]
    fn reauthorize_session(id: String, profile: String) -> PyResult<HttpRequest> {
        action(&cp::Action::ReauthorizeSession { id, profile })
    }

    /// `POST /api/session-action/{disconnect|coa}[/mac|/username|/ip/...]`: `kind` is
    /// `"disconnect"` or `"coa"` (which needs `enforcement_profiles`); exactly one
    /// of `mac`, `username`, `ip` or `filter` (a dict) selects the sessions.
    #[staticmethod]
    #[pyo3(signature = (kind, *, mac = None, username = None, ip = None, filter = None,
                        enforcement_profiles = Vec::new(), asynchronous = false))]
    fn session_action(
        kind: &str,
        mac: Option<&Bound<'_, PyAny>>,
        username: Option<String>,
        ip: Option<&Bound<'_, PyAny>>,
        filter: Option<&Bound<'_, PyAny>>,
        enforcement_profiles: Vec<String>,
        asynchronous: bool,
    ) -> PyResult<HttpRequest> {
        let kind = match kind {
            "disconnect" => cp::SessionActionKind::Disconnect,
            "coa" => cp::SessionActionKind::Coa,
            other => {
                return Err(invalid(
                    "invalid_value",
                    format!("session action {other:?} is not \"disconnect\" or \"coa\""),
                ))
            }
        };
        let mut selectors = Vec::new();
        if let Some(m) = mac {
            selectors.push(cp::Selector::Mac(MacAddress::of(m)?));
        }
        if let Some(u) = username {
            selectors.push(cp::Selector::Username(u));
        }
        if let Some(ip) = ip {
            let t = text_of(ip, "ip")?;
            let addr = t
                .parse()
                .map_err(|_| invalid("invalid_value", format!("ip: {t:?} is not an IP address")))?;
            selectors.push(cp::Selector::Ip(addr));
        }
        if let Some(f) = filter {
            let text = dumps(f)?;
            check_json_integers(text.as_bytes())?;
            let map: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(&text).map_err(|e| errors::model(Model::Json(e)))?;
            selectors.push(cp::Selector::Filter(map));
        }
        if selectors.len() != 1 {
            return Err(PyTypeError::new_err(
                "give exactly one of mac, username, ip or filter",
            ));
        }
        let selector = selectors.remove(0);
        action(&cp::Action::SessionAction {
            kind,
            selector,
            enforcement_profiles,
            asynchronous,
        })
    }
}

// ---------------------------------------------------------------------------------
// cOS Core

use nac_model::cos_core as cos;

/// A user cOS Core knows as authenticated (`/api/oper/userauth`), by IPv4 address.
#[pyclass(frozen, module = "nacwire.nac")]
#[derive(Clone)]
pub(crate) struct AuthenticatedUser {
    inner: cos::AuthenticatedUser,
}

fn user_err(e: nac_model::Error) -> PyErr {
    errors::model(Model::Nac(e))
}

/// The HTTP request for a CoS user-auth call.
fn cos_http(r: cos::Request) -> PyResult<HttpRequest> {
    r.to_http().map(http).map_err(user_err)
}

#[pymethods]
impl AuthenticatedUser {
    /// A user, validated as the firewall would (non-empty name, timeouts of 1 s to
    /// one month, group names without commas).
    #[new]
    #[pyo3(signature = (username, ip, groups = Vec::new(), session_timeout = 3600, *,
                        interface = None, idle_timeout = None))]
    fn new(
        username: &str,
        ip: &Bound<'_, PyAny>,
        groups: Vec<String>,
        session_timeout: u32,
        interface: Option<String>,
        idle_timeout: Option<u32>,
    ) -> PyResult<Self> {
        let mut inner = cos::AuthenticatedUser::new(username, ipv4_of(ip, "ip")?, groups, session_timeout)
            .map_err(user_err)?;
        inner.interface = interface;
        inner.idle_timeout = idle_timeout;
        inner.validate().map_err(user_err)?;
        Ok(Self { inner })
    }

    /// From a RADIUS session (User-Name and Framed-IP-Address).
    #[staticmethod]
    #[pyo3(signature = (session, groups = Vec::new(), session_timeout = 3600))]
    fn from_session(
        session: &Bound<'_, Session>,
        groups: Vec<String>,
        session_timeout: u32,
    ) -> PyResult<Self> {
        cos::AuthenticatedUser::from_session(&session.get().inner, groups, session_timeout)
            .map(|inner| Self { inner })
            .map_err(user_err)
    }

    /// Parses one user object as the API writes it.
    #[staticmethod]
    fn from_json(text: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(Self {
            inner: parse_json!(cos::AuthenticatedUser, text)?,
        })
    }

    /// The JSON the API writes.
    fn to_json(&self) -> PyResult<String> {
        to_json!(&self.inner)
    }

    /// User name.
    #[getter]
    fn username(&self) -> String {
        self.inner.username.clone()
    }

    /// IPv4 address.
    #[getter]
    fn ip<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_ipv4(py, self.inner.ip)
    }

    /// Group memberships.
    #[getter]
    fn groups(&self) -> Vec<String> {
        self.inner.groups.clone()
    }

    /// The interface the user is restricted to.
    #[getter]
    fn interface(&self) -> Option<String> {
        self.inner.interface.clone()
    }

    /// Output only (`"Identity Awareness"`).
    #[getter]
    fn agent_type(&self) -> Option<String> {
        self.inner.agent_type.clone()
    }

    /// Seconds.
    #[getter]
    fn session_timeout(&self) -> u32 {
        self.inner.session_timeout
    }

    /// Seconds (the firewall uses `session_timeout` when absent).
    #[getter]
    fn idle_timeout(&self) -> Option<u32> {
        self.inner.idle_timeout
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<Self>().is_ok_and(|o| o.get().inner == self.inner)
    }

    fn __repr__(&self) -> String {
        let u = &self.inner;
        format!(
            "<AuthenticatedUser {} ip={} groups=[{}] session_timeout={}>",
            py_text(&u.username),
            u.ip,
            u.groups.iter().map(|g| py_text(g)).collect::<Vec<_>>().join(", "),
            u.session_timeout
        )
    }
}

/// The cOS Core `/api/oper/userauth` operations, as `HttpRequest`s.
#[pyclass(frozen, module = "nacwire.nac")]
pub(crate) struct CosCore;

#[pymethods]
impl CosCore {
    /// `GET` the authenticated users (`num` caps the count; the firewall's default
    /// is 100).
    #[staticmethod]
    #[pyo3(signature = (num = None))]
    fn list(num: Option<u32>) -> PyResult<HttpRequest> {
        cos_http(cos::Request::List { num })
    }

    /// `GET` one user by IPv4 address (and interface).
    #[staticmethod]
    #[pyo3(signature = (ip, interface = None))]
    fn get(ip: &Bound<'_, PyAny>, interface: Option<String>) -> PyResult<HttpRequest> {
        cos_http(cos::Request::Get {
            ip: ipv4_of(ip, "ip")?,
            interface,
        })
    }

    /// `POST` (add or refresh) a user, form-encoded.
    #[staticmethod]
    fn add(user: &Bound<'_, AuthenticatedUser>) -> PyResult<HttpRequest> {
        cos_http(cos::Request::Add(user.get().inner.clone()))
    }

    /// `DELETE` a user by IPv4 address (and interface).
    #[staticmethod]
    #[pyo3(signature = (ip, interface = None))]
    fn remove(ip: &Bound<'_, PyAny>, interface: Option<String>) -> PyResult<HttpRequest> {
        cos_http(cos::Request::Remove {
            ip: ipv4_of(ip, "ip")?,
            interface,
        })
    }
}

/// A reply of `/api/oper/userauth`: `kind` is `"users"` (a list or lookup: `total`,
/// `users`), `"added"` (`user`), `"ok"` (delete) or `"error"` (`error_code`,
/// `error_message`).
#[pyclass(frozen, module = "nacwire.nac")]
pub(crate) struct UserauthResponse {
    inner: cos::Response,
}

#[pymethods]
impl UserauthResponse {
    /// Parses the API's JSON (`str` or `bytes`).
    #[staticmethod]
    fn from_json(text: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(Self {
            inner: parse_json!(cos::Response, text)?,
        })
    }

    /// The JSON as the API writes it.
    fn to_json(&self) -> PyResult<String> {
        to_json!(&self.inner)
    }

    /// `"users"`, `"added"`, `"ok"` or `"error"`.
    #[getter]
    fn kind(&self) -> &'static str {
        match self.inner {
            cos::Response::Users { .. } => "users",
            cos::Response::Added(_) => "added",
            cos::Response::Ok => "ok",
            cos::Response::Error { .. } => "error",
        }
    }

    /// The number of authenticated users on the firewall (`active_users_count`).
    #[getter]
    fn total(&self) -> Option<u32> {
        match &self.inner {
            cos::Response::Users { total, .. } => *total,
            _ => None,
        }
    }

    /// The users of a list or lookup (empty otherwise).
    #[getter]
    fn users(&self) -> Vec<AuthenticatedUser> {
        match &self.inner {
            cos::Response::Users { users, .. } => users
                .iter()
                .map(|u| AuthenticatedUser { inner: u.clone() })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The user as added.
    #[getter]
    fn user(&self) -> Option<AuthenticatedUser> {
        match &self.inner {
            cos::Response::Added(u) => Some(AuthenticatedUser { inner: u.clone() }),
            _ => None,
        }
    }

    /// `error_code` of an error reply.
    #[getter]
    fn error_code(&self) -> Option<u16> {
        match &self.inner {
            cos::Response::Error { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// `error_message` of an error reply.
    #[getter]
    fn error_message(&self) -> Option<String> {
        match &self.inner {
            cos::Response::Error { message, .. } => Some(message.clone()),
            _ => None,
        }
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<Self>().is_ok_and(|o| o.get().inner == self.inner)
    }

    fn __repr__(&self) -> String {
        match &self.inner {
            cos::Response::Users { total, users } => format!(
                "<UserauthResponse users total={} [{}]>",
                total.map_or_else(|| "None".into(), |t| t.to_string()),
                users
                    .iter()
                    .map(|u| format!("{}@{}", u.username, u.ip))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            cos::Response::Added(u) => format!("<UserauthResponse added {}@{}>", u.username, u.ip),
            cos::Response::Ok => "<UserauthResponse ok>".into(),
            cos::Response::Error { code, message } => {
                format!("<UserauthResponse error {code}: {}>", py_text(message))
            }
        }
    }
}

// ---------------------------------------------------------------------------------
// The endpoint-change planner

use nac_model::planner as pl;

/// What the planner looks at in an endpoint: status, role, and a digest of the other
/// policy attributes.
#[pyclass(frozen, module = "nacwire.nac")]
#[derive(Clone)]
pub(crate) struct EndpointState {
    inner: pl::EndpointState,
}

#[pymethods]
impl EndpointState {
    /// `status` is `"Known"`, `"Unknown"` or `"Disabled"`; `attributes_digest`
    /// changes whenever other policy attributes change.
    #[new]
    #[pyo3(signature = (status, role = None, attributes_digest = 0))]
    fn new(
        status: &str,
        role: Option<String>,
        #[pyo3(from_py_with = crate::convert::u64_arg)] attributes_digest: u64,
    ) -> PyResult<Self> {
        Ok(Self {
            inner: pl::EndpointState {
                status: status_of(status)?,
                role,
                attributes_digest,
            },
        })
    }

    /// From a ClearPass endpoint; `role_attribute` names the custom attribute that
    /// carries the role. A missing status counts as Unknown.
    #[staticmethod]
    #[pyo3(signature = (endpoint, role_attribute = None))]
    fn from_endpoint(endpoint: &Bound<'_, Endpoint>, role_attribute: Option<&str>) -> Self {
        Self {
            inner: pl::EndpointState::from_endpoint(&endpoint.get().inner, role_attribute),
        }
    }

    /// From a guest device: disabled accounts are Disabled, others Known; the role is
    /// the role name (or id).
    #[staticmethod]
    fn from_device(device: &Bound<'_, Device>) -> Self {
        Self {
            inner: pl::EndpointState::from_device(&device.get().inner),
        }
    }

    /// `"Known"`, `"Unknown"` or `"Disabled"`.
    #[getter]
    fn status(&self) -> &'static str {
        status_name(self.inner.status)
    }

    /// The role, when known.
    #[getter]
    fn role(&self) -> Option<String> {
        self.inner.role.clone()
    }

    /// Digest of the other policy attributes.
    #[getter]
    fn attributes_digest(&self) -> u64 {
        self.inner.attributes_digest
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<Self>().is_ok_and(|o| o.get().inner == self.inner)
    }

    fn __hash__(&self) -> u64 {
        hash_of(&self.inner)
    }

    fn __repr__(&self) -> String {
        format!(
            "EndpointState('{}', {}, {})",
            status_name(self.inner.status),
            self.inner.role.as_deref().map_or_else(|| "None".into(), py_text),
            self.inner.attributes_digest
        )
    }
}

/// One planned action: `intent` for `sessions[session]`, and why (`reason`:
/// `"disabled"`, `"became_known"`, `"became_unknown"`, `"role_changed"` or
/// `"attributes_changed"`).
#[pyclass(frozen, get_all, module = "nacwire.nac")]
pub(crate) struct PlannedIntent {
    /// Index into the sessions given.
    session: usize,
    /// What to do.
    intent: Py<Intent>,
    /// Why.
    reason: &'static str,
}

#[pymethods]
impl PlannedIntent {
    fn __repr__(&self) -> String {
        format!(
            "<PlannedIntent session={} {} ({})>",
            self.session,
            self.intent.get().__repr__(),
            self.reason
        )
    }
}

fn reason_name(r: pl::Reason) -> &'static str {
    match r {
        pl::Reason::Disabled => "disabled",
        pl::Reason::BecameKnown => "became_known",
        pl::Reason::BecameUnknown => "became_unknown",
        pl::Reason::RoleChanged => "role_changed",
        pl::Reason::AttributesChanged => "attributes_changed",
        _ => "other",
    }
}

/// The intents that make an endpoint change take effect on its live sessions now
/// (the "CoA when an IPAM marks a device Known" flow). `previous` is `None` for a
/// new endpoint; `profile` is one `Profile` for every session or a callable giving
/// each session's profile. Disabled: disconnect; Unknown <-> Known: re-authenticate
/// (disconnect where the profile cannot); a new role: change it in place where the
/// profile can, else re-authenticate or disconnect; other attributes changed:
/// re-authenticate.
#[pyfunction]
fn plan_endpoint_change(
    py: Python<'_>,
    previous: Option<&Bound<'_, EndpointState>>,
    current: &Bound<'_, EndpointState>,
    sessions: &Bound<'_, PyAny>,
    profile: &Bound<'_, PyAny>,
) -> PyResult<Vec<PlannedIntent>> {
    let mut list: Vec<nac_model::Session> = Vec::new();
    let mut profiles: Vec<nac_model::Profile> = Vec::new();
    for s in sessions.try_iter()? {
        let s = s?;
        let s = s
            .cast::<Session>()
            .map_err(|_| PyTypeError::new_err("sessions are nacwire.nac.Session objects"))?;
        let p = match profile.cast::<Profile>() {
            Ok(p) => p.get().inner.clone(),
            Err(_) => {
                let got = profile.call1((s,))?;
                let p = got
                    .cast::<Profile>()
                    .map_err(|_| PyTypeError::new_err("profile(session) must return a Profile"))?;
                p.get().inner.clone()
            }
        };
        list.push(s.get().inner.clone());
        profiles.push(p);
    }
    let generic = nac_model::Profile::GENERIC;
    let planned = pl::plan_endpoint_change(
        previous.map(|p| &p.get().inner),
        &current.get().inner,
        &list,
        |s| {
            list.iter()
                .position(|x| std::ptr::eq(x, s))
                .and_then(|i| profiles.get(i))
                .unwrap_or(&generic)
        },
    );
    planned
        .into_iter()
        .map(|p| {
            Ok(PlannedIntent {
                session: p.session,
                intent: Py::new(py, Intent { inner: p.intent })?,
                reason: reason_name(p.reason),
            })
        })
        .collect()
}

// ---------------------------------------------------------------------------------
// RFC 5176 §3.6

/// What a Disconnect or CoA packet carries against the RFC 5176 §3.6 table (with
/// RFC 5580/8559 Operator-Name and RFC 6911 Framed-IPv6-Address): one text per
/// attribute that is not allowed or appears too often; empty when the packet
/// conforms or is not a Disconnect/CoA packet.
#[pyfunction]
fn rfc5176_violations(packet: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
    with_packet(packet, |p| {
        Ok(nac_model::rfc5176::check_packet(p)
            .iter()
            .map(ToString::to_string)
            .collect())
    })
}

/// Registers the classes and functions on the native module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<MacAddress>()?;
    m.add_class::<Session>()?;
    m.add_class::<Intent>()?;
    m.add_class::<Profile>()?;
    m.add_class::<PacketPlan>()?;
    m.add_class::<ErrorCause>()?;
    m.add_class::<Outcome>()?;
    m.add_class::<HttpRequest>()?;
    m.add_class::<Endpoint>()?;
    m.add_class::<Device>()?;
    m.add_class::<ActiveSession>()?;
    m.add_class::<ClearPass>()?;
    m.add_class::<AuthenticatedUser>()?;
    m.add_class::<CosCore>()?;
    m.add_class::<UserauthResponse>()?;
    m.add_class::<EndpointState>()?;
    m.add_class::<PlannedIntent>()?;
    m.add_function(wrap_pyfunction!(plan_endpoint_change, m)?)?;
    m.add_function(wrap_pyfunction!(rfc5176_violations, m)?)?;
    Ok(())
}
