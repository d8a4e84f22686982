//! `nacwire.ecp`: verify the signed redirects of Extreme external captive portals
//! (controller -> portal) into typed objects, and build and sign the approvals
//! (portal -> controller), with key rotation.
//!
//! Every class is immutable (`frozen`) and safe to share between threads; a
//! `Keyring` is replaced as a whole (`Keyring.replace`) while verifiers use it.
//! Secrets never appear in a `repr`.

use std::cell::RefCell;
use std::net::{IpAddr, Ipv6Addr};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use ecp_sigv4::{
    AmzDate, Approval as RApproval, ControllerRedirect as RRedirect, EmptyPath, Error as RError, PortRule,
    QueryForm, Secret, SignatureInfo as RSignatureInfo, SsidRule,
};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyList, PyString, PyTuple};

use crate::convert::{import, time_of};
use crate::errors;

// ---------------------------------------------------------------------------------
// Python classes the conversions create (looked up once per interpreter).

static MAC: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static IP_ADDRESS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static DATETIME: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

// ---------------------------------------------------------------------------------
// Small conversions

/// A duration given as seconds (`int`/`float`) or a `datetime.timedelta`.
fn duration_of(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Duration> {
    let secs: f64 = if obj.hasattr("total_seconds")? {
        obj.call_method0("total_seconds")?.extract()?
    } else {
        obj.extract()?
    };
    if !secs.is_finite() || secs < 0.0 {
        return Err(PyValueError::new_err(format!(
            "{what} must be a finite number of seconds, at least 0"
        )));
    }
    Ok(Duration::from_secs_f64(secs.min(1e12)))
}

/// A URL (or query) given as `str`, or as `bytes` that must be UTF-8 text.
fn url_text(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<String> {
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(s.to_str()?.to_owned());
    }
    if let Ok(b) = obj.cast::<PyBytes>() {
        return String::from_utf8(b.as_bytes().to_vec()).map_err(|_| {
            errors::ecp(RError::InvalidUrl {
                reason: "not UTF-8 text",
            })
        });
    }
    Err(PyTypeError::new_err(format!("{what} is a str or bytes")))
}

/// An ECP shared secret given as `bytes` or `str` (UTF-8), not empty: an HMAC key of
/// no octets is known to everyone (an unset environment variable, a blank field).
fn secret_of(obj: &Bound<'_, PyAny>) -> PyResult<Secret> {
    let octets = if let Ok(b) = obj.cast::<PyBytes>() {
        b.as_bytes().to_vec()
    } else if let Ok(s) = obj.cast::<PyString>() {
        s.to_str()?.as_bytes().to_vec()
    } else {
        return Err(PyTypeError::new_err("an ECP shared secret is bytes or str"));
    };
    if octets.is_empty() {
        return Err(PyValueError::new_err(
            "the ECP shared secret is empty: anyone could sign redirects and approvals",
        ));
    }
    Ok(Secret::new(octets))
}

/// One secret (`bytes`, `str`) or an iterable of them.
fn secrets_of(obj: &Bound<'_, PyAny>) -> PyResult<Vec<Secret>> {
    if obj.is_instance_of::<PyBytes>() || obj.is_instance_of::<PyString>() {
        return Ok(vec![secret_of(obj)?]);
    }
    obj.try_iter()
        .map_err(|_| PyTypeError::new_err("secrets are bytes, str or an iterable of them"))?
        .map(|s| secret_of(&s?))
        .collect()
}

fn port_rule_of(name: &str) -> PyResult<PortRule> {
    match name {
        "include_non_default" => Ok(PortRule::IncludeNonDefault),
        "omit" => Ok(PortRule::Omit),
        _ => Err(PyValueError::new_err(format!(
            "port_rule is \"include_non_default\" or \"omit\", not {name:?}"
        ))),
    }
}

fn port_rule_name(rule: PortRule) -> &'static str {
    if rule == PortRule::Omit {
        "omit"
    } else {
        "include_non_default"
    }
}

fn empty_path_of(name: &str) -> PyResult<EmptyPath> {
    match name {
        "slash" => Ok(EmptyPath::Slash),
        "empty" => Ok(EmptyPath::Empty),
        _ => Err(PyValueError::new_err(format!(
            "empty_path is \"slash\" or \"empty\", not {name:?}"
        ))),
    }
}

fn ssid_rule_of(name: &str) -> PyResult<SsidRule> {
    match name {
        "auto" => Ok(SsidRule::Auto),
        "text" => Ok(SsidRule::Text),
        "hex" => Ok(SsidRule::Hex),
        _ => Err(PyValueError::new_err(format!(
            "rule is \"auto\", \"text\" or \"hex\", not {name:?}"
        ))),
    }
}

fn query_form_name(form: QueryForm) -> &'static str {
    match form {
        QueryForm::ReencodedUriComponent => "reencoded_uri_component",
        QueryForm::ReencodedStrict => "reencoded_strict",
        QueryForm::RawBrowserQuote => "raw_browser_quote",
        _ => "raw",
    }
}

/// Python's `repr` of a string (for `__repr__`s).
fn r(py: Python<'_>, s: &str) -> String {
    PyString::new(py, s)
        .repr()
        .map_or_else(|_| format!("{s:?}"), |r| r.to_string())
}

fn opt_r(py: Python<'_>, s: Option<&str>) -> String {
    s.map_or_else(|| "None".to_owned(), |s| r(py, s))
}

/// An aware UTC `datetime` for seconds since 1970.
fn py_datetime(py: Python<'_>, unix: i64) -> PyResult<Bound<'_, PyAny>> {
    let utc = crate::convert::utc(py)?;
    import(py, &DATETIME, "datetime", "datetime")?.call_method1("fromtimestamp", (unix, utc))
}

// ---------------------------------------------------------------------------------
// Keyring and secret lookups

/// Identities and how many secrets each has: what `repr` and `identities` show.
fn summary(keys: &[(String, Vec<Secret>)]) -> Vec<(String, usize)> {
    keys.iter().map(|(k, v)| (k.clone(), v.len())).collect()
}

/// `{identity: secret | [secrets]}` (a mapping or an iterable of pairs).
fn keyring_of(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<(String, Vec<Secret>)>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(Vec::new());
    };
    let pairs = if obj.hasattr("items")? {
        obj.call_method0("items")?
    } else {
        obj.clone()
    };
    let mut out: Vec<(String, Vec<Secret>)> = Vec::new();
    for pair in pairs.try_iter()? {
        let (identity, secrets): (String, Bound<'_, PyAny>) = pair?.extract().map_err(|_| {
            PyTypeError::new_err("keys map an identity (str) to a secret or a list of secrets")
        })?;
        if identity.is_empty() {
            return Err(PyValueError::new_err("an identity is not empty"));
        }
        let secrets = secrets_of(&secrets)?;
        match out.iter_mut().find(|(k, _)| *k == identity) {
            Some((_, v)) => v.extend(secrets),
            None => out.push((identity, secrets)),
        }
    }
    Ok(out)
}

fn build_keyring(keys: Vec<(String, Vec<Secret>)>) -> ecp_sigv4::Keyring {
    let mut ring = ecp_sigv4::Keyring::new();
    for (identity, secrets) in keys {
        for s in secrets {
            ring.insert(identity.clone(), s);
        }
    }
    ring
}

/// The secrets of each identity the portal shares with its controllers: several per
/// identity while a key is rotated (tried in order). Replace it as a whole with
/// `replace` while verifiers use it. Its `repr` shows identities, never secrets.
#[pyclass(frozen, module = "nacwire.ecp")]
pub(crate) struct Keyring {
    shared: ecp_sigv4::SharedKeyring,
    summary: Mutex<Vec<(String, usize)>>,
}

#[pymethods]
impl Keyring {
    /// `Keyring({"identity": b"secret"})`, or a list of secrets per identity (the
    /// current one first during rotation).
    #[new]
    #[pyo3(signature = (keys = None))]
    fn new(keys: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let keys = keyring_of(keys)?;
        Ok(Self {
            summary: Mutex::new(summary(&keys)),
            shared: ecp_sigv4::SharedKeyring::new(build_keyring(keys)),
        })
    }

    /// Replaces every identity and secret at once; verifications already running
    /// finish with the old keys.
    fn replace(&self, keys: &Bound<'_, PyAny>) -> PyResult<()> {
        let keys = keyring_of(Some(keys))?;
        let mut s = self.summary.lock().unwrap_or_else(PoisonError::into_inner);
        *s = summary(&keys);
        self.shared.replace(build_keyring(keys));
        Ok(())
    }

    /// The identities, in the order given.
    #[getter]
    fn identities(&self) -> Vec<String> {
        let s = self.summary.lock().unwrap_or_else(PoisonError::into_inner);
        s.iter().map(|(k, _)| k.clone()).collect()
    }

    fn __contains__(&self, identity: &str) -> bool {
        let s = self.summary.lock().unwrap_or_else(PoisonError::into_inner);
        s.iter().any(|(k, _)| k == identity)
    }

    fn __len__(&self) -> usize {
        self.summary.lock().unwrap_or_else(PoisonError::into_inner).len()
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        let s = self.summary.lock().unwrap_or_else(PoisonError::into_inner);
        let items: Vec<String> = s
            .iter()
            .map(|(k, n)| format!("{}: <{n} secret{}>", r(py, k), if *n == 1 { "" } else { "s" }))
            .collect();
        format!("Keyring({{{}}})", items.join(", "))
    }
}

thread_local! {
    /// The exception a Python secret lookup raised during the verification running on
    /// this thread, re-raised once the verification returns.
    static LOOKUP_ERROR: RefCell<Option<PyErr>> = const { RefCell::new(None) };
}

/// A Python callable `identity -> secrets` as a crate secret lookup. It runs inside a
/// verification (which has released the GIL), so it takes the GIL itself.
fn callback_lookup(f: Py<PyAny>) -> impl Fn(&str) -> Vec<Arc<Secret>> + Send + Sync {
    move |identity: &str| {
        Python::attach(|py| {
            let got = f.bind(py).call1((identity,)).and_then(|v| {
                if v.is_none() {
                    Ok(Vec::new())
                } else {
                    secrets_of(&v)
                }
            });
            match got {
                Ok(v) => v.into_iter().map(Arc::new).collect(),
                Err(e) => {
                    LOOKUP_ERROR.with(|c| *c.borrow_mut() = Some(e));
                    Vec::new()
                }
            }
        })
    }
}

// ---------------------------------------------------------------------------------
// Verifier

/// Verifies signed ECP URLs (controller redirects, or approvals on the controller side)
/// against a `Keyring` or a callable `identity -> secrets`. Keep one for the life of
/// the service and share it between threads: it caches the derived signing keys.
#[pyclass(frozen, module = "nacwire.ecp")]
pub(crate) struct Verifier {
    inner: ecp_sigv4::Verifier,
    keys: Py<PyAny>,
    settings: String,
}

impl Verifier {
    /// Runs a verification with the GIL released; an exception raised by a Python
    /// secret lookup wins over the verification's own result.
    fn run<T: Send>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&ecp_sigv4::Verifier) -> Result<T, RError> + Send,
    ) -> PyResult<T> {
        LOOKUP_ERROR.with(|c| c.borrow_mut().take());
        let result = py.detach(|| f(&self.inner));
        if let Some(e) = LOOKUP_ERROR.with(|c| c.borrow_mut().take()) {
            return Err(e);
        }
        result.map_err(errors::ecp)
    }

    /// `verify` and `verify_request`: the redirect at `url`, verified and typed.
    fn redirect(
        &self,
        py: Python<'_>,
        url: String,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<ControllerRedirect> {
        let now = time_of(py, now)?;
        let inner = self.run(py, move |v| {
            let q = v.verify_url(&url, now)?;
            RRedirect::from_query(&q).map(RRedirect::into_owned)
        })?;
        Ok(ControllerRedirect { inner })
    }
}

/// `scheme://host[:port]path?query` from parts; the crate's URL parser checks it.
fn compose(scheme: &str, host: &str, port: Option<u16>, path: &str, query: &str) -> Result<String, RError> {
    let bad = |reason| Err(RError::InvalidUrl { reason });
    if !scheme.eq_ignore_ascii_case("https") && !scheme.eq_ignore_ascii_case("http") {
        return bad("scheme is not http or https");
    }
    if host.is_empty() || host.contains(['/', '?', '#', '@']) {
        return bad("host is not a hostname or an address");
    }
    if !path.is_empty() && !path.starts_with('/') {
        return bad("path does not start with /");
    }
    if path.contains(['?', '#']) {
        return bad("path contains ? or #");
    }
    if query.contains('#') {
        return bad("query contains #");
    }
    let query = query.strip_prefix('?').unwrap_or(query);
    let host = if host.parse::<Ipv6Addr>().is_ok() {
        format!("[{host}]")
    } else {
        host.to_owned()
    };
    let port = port.map(|p| format!(":{p}")).unwrap_or_default();
    Ok(format!("{scheme}://{host}{port}{path}?{query}"))
}

#[pymethods]
impl Verifier {
    /// A verifier. `keys` is a `Keyring` or a callable `identity -> secrets` (bytes,
    /// str, a list of them, or None/[] for an unknown identity). Time window:
    /// `X-Amz-Date - max_future_skew <= now <= X-Amz-Date + X-Amz-Expires + expiry_grace`.
    #[new]
    #[pyo3(signature = (
        keys,
        *,
        max_future_skew = None,
        expiry_grace = None,
        max_expires = 900,
        max_url_len = 4096,
        port_rule = "include_non_default",
        empty_path = "slash",
        reserialized_query_fallback = false,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        keys: &Bound<'_, PyAny>,
        max_future_skew: Option<&Bound<'_, PyAny>>,
        expiry_grace: Option<&Bound<'_, PyAny>>,
        #[pyo3(from_py_with = crate::convert::u64_arg)] max_expires: u64,
        max_url_len: usize,
        port_rule: &str,
        empty_path: &str,
        reserialized_query_fallback: bool,
    ) -> PyResult<Self> {
        let base = if let Ok(k) = keys.cast::<Keyring>() {
            ecp_sigv4::Verifier::new(k.get().shared.clone())
        } else if keys.is_callable() {
            ecp_sigv4::Verifier::new(callback_lookup(keys.clone().unbind()))
        } else {
            return Err(PyTypeError::new_err(
                "keys is a nacwire.ecp.Keyring or a callable identity -> secrets",
            ));
        };
        let skew = match max_future_skew {
            Some(d) => duration_of(d, "max_future_skew")?,
            None => Duration::from_secs(10),
        };
        let grace = match expiry_grace {
            Some(d) => duration_of(d, "expiry_grace")?,
            None => Duration::ZERO,
        };
        let port_rule = port_rule_of(port_rule)?;
        let empty = empty_path_of(empty_path)?;
        let settings = format!(
            "max_future_skew={:?}, expiry_grace={:?}, max_expires={max_expires}, max_url_len={max_url_len}, \
             port_rule='{}', empty_path='{empty_path}', reserialized_query_fallback={}",
            skew.as_secs_f64(),
            grace.as_secs_f64(),
            port_rule_name(port_rule),
            if reserialized_query_fallback {
                "True"
            } else {
                "False"
            },
        );
        Ok(Self {
            inner: base
                .max_future_skew(skew)
                .expiry_grace(grace)
                .max_expires(max_expires)
                .max_url_len(max_url_len)
                .port_rule(port_rule)
                .empty_path(empty)
                .reserialized_query_fallback(reserialized_query_fallback),
            keys: keys.clone().unbind(),
            settings,
        })
    }

    /// Verifies a controller redirect as received (rebuilt from the portal's
    /// *configured* URL and the raw query, never from a Host header) and types it.
    /// `now` is a datetime or seconds since 1970 (default: the system clock).
    #[pyo3(signature = (url, *, now = None))]
    fn verify(
        &self,
        py: Python<'_>,
        url: &Bound<'_, PyAny>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<ControllerRedirect> {
        let url = url_text(url, "url")?;
        self.redirect(py, url, now)
    }

    /// `verify` from parts: the configured host (a name or an address, without the
    /// port), the path and the raw query (as received, with or without `?`).
    #[pyo3(signature = (host, path, query, *, scheme = "https", port = None, now = None))]
    #[allow(clippy::too_many_arguments)]
    fn verify_request(
        &self,
        py: Python<'_>,
        host: &str,
        path: &str,
        query: &Bound<'_, PyAny>,
        scheme: &str,
        #[pyo3(from_py_with = crate::convert::opt_port_arg)] port: Option<u16>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<ControllerRedirect> {
        let query = url_text(query, "query")?;
        let url = compose(scheme, host, port, path, &query).map_err(errors::ecp)?;
        self.redirect(py, url, now)
    }

    /// Verifies a signed `/ext_approval.php` URL (the controller's side, or tests).
    #[pyo3(signature = (url, *, now = None))]
    fn verify_approval(
        &self,
        py: Python<'_>,
        url: &Bound<'_, PyAny>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Approval> {
        let url = url_text(url, "url")?;
        let now = time_of(py, now)?;
        let inner = self.run(py, move |v| RApproval::from_query(&v.verify_url(&url, now)?))?;
        Ok(Approval { inner })
    }

    /// The keys given (a `Keyring` or the callable).
    #[getter]
    fn keys(&self, py: Python<'_>) -> Py<PyAny> {
        self.keys.clone_ref(py)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let keys = self.keys.bind(py).repr()?;
        Ok(format!("Verifier({keys}, {})", self.settings))
    }
}

/// Parses an unsigned controller redirect (a controller not configured to sign).
/// Nothing is verified: check `hwc_ip` with `controller_allowed`.
#[pyfunction]
#[pyo3(signature = (url, *, max_url_len = 4096))]
fn parse_unsigned(
    py: Python<'_>,
    url: &Bound<'_, PyAny>,
    max_url_len: usize,
) -> PyResult<ControllerRedirect> {
    let url = url_text(url, "url")?;
    let inner = py
        .detach(move || {
            let q = ecp_sigv4::parse_unsigned(&url, max_url_len)?;
            RRedirect::from_query(&q).map(RRedirect::into_owned)
        })
        .map_err(errors::ecp)?;
    Ok(ControllerRedirect { inner })
}

// ---------------------------------------------------------------------------------
// ControllerRedirect and SignatureInfo

/// What a verified signature said: who signed, when, for how long.
#[pyclass(frozen, module = "nacwire.ecp")]
pub(crate) struct SignatureInfo {
    inner: RSignatureInfo,
}

#[pymethods]
impl SignatureInfo {
    /// The identity (access key id) that signed.
    #[getter]
    fn identity(&self) -> &str {
        &self.inner.identity
    }

    /// `X-Amz-Date`, an aware UTC datetime.
    #[getter]
    fn date<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_datetime(py, self.inner.date.unix())
    }

    /// `X-Amz-Expires`, seconds.
    #[getter]
    fn expires(&self) -> u64 {
        self.inner.expires
    }

    /// Which of the identity's secrets matched (0 = first; more during rotation).
    #[getter]
    fn secret_index(&self) -> usize {
        self.inner.secret_index
    }

    /// Which spelling of the query matched: "raw"; "raw_browser_quote" (the raw query
    /// with a browser's `%27` read back as the `'` the controller signed); or with
    /// `reserialized_query_fallback`, "reencoded_uri_component" / "reencoded_strict".
    #[getter]
    fn query_form(&self) -> &'static str {
        query_form_name(self.inner.query_form)
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "SignatureInfo(identity={}, date='{}', expires={}, secret_index={}, query_form='{}')",
            r(py, &self.inner.identity),
            self.inner.date.to_amz(),
            self.inner.expires,
            self.inner.secret_index,
            query_form_name(self.inner.query_form),
        )
    }
}

/// The controller -> portal redirect, typed: the documented parameters as attributes,
/// every other parameter in `extras` in the order received.
#[pyclass(frozen, module = "nacwire.ecp")]
pub(crate) struct ControllerRedirect {
    inner: RRedirect<'static>,
}

fn mac_object<'py>(
    py: Python<'py>,
    m: Option<&ecp_sigv4::MacParam<'_>>,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    m.map(|m| import(py, &MAC, "nacwire.nac", "MacAddress")?.call1((PyBytes::new(py, &m.addr.0),)))
        .transpose()
}

#[pymethods]
impl ControllerRedirect {
    /// The session token to echo in the approval.
    #[getter]
    fn token(&self) -> &str {
        &self.inner.token
    }

    /// The WLAN id.
    #[getter]
    fn wlan(&self) -> &str {
        &self.inner.wlan
    }

    /// The URL the guest first asked for.
    #[getter]
    fn dest(&self) -> &str {
        &self.inner.dest
    }

    /// The controller's address for the approval, as sent (unchecked text).
    #[getter]
    fn hwc_ip(&self) -> Option<&str> {
        self.inner.hwc_ip.as_deref()
    }

    /// The controller's port for the approval, as sent.
    #[getter]
    fn hwc_port(&self) -> Option<u16> {
        self.inner.hwc_port
    }

    /// The guest's MAC address (`nacwire.nac.MacAddress`).
    #[getter]
    fn mac<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        mac_object(py, self.inner.mac.as_ref())
    }

    /// The `mac` parameter as sent (portals often echo it, e.g. as the user name).
    #[getter]
    fn mac_sent(&self) -> Option<&str> {
        self.inner.mac.as_ref().map(|m| &*m.sent)
    }

    /// The AP radio's BSSID (`nacwire.nac.MacAddress`).
    #[getter]
    fn bssid<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        mac_object(py, self.inner.bssid.as_ref())
    }

    /// The `bssid` parameter as sent.
    #[getter]
    fn bssid_sent(&self) -> Option<&str> {
        self.inner.bssid.as_ref().map(|m| &*m.sent)
    }

    /// The `ssid` parameter as sent, percent-decoded, as text (invalid UTF-8 replaced
    /// by U+FFFD; `ssid_octets` gives the octets).
    #[getter]
    fn ssid(&self) -> Option<String> {
        self.inner
            .ssid
            .as_ref()
            .map(|s| String::from_utf8_lossy(s.as_sent()).into_owned())
    }

    /// The SSID octets: "auto" (hex when the value is an even count of at most 64 hex
    /// digits, text otherwise), "text" (as sent) or "hex" (must be hex). None when
    /// the redirect has no `ssid`.
    #[pyo3(signature = (rule = "auto"))]
    fn ssid_octets<'py>(&self, py: Python<'py>, rule: &str) -> PyResult<Option<Bound<'py, PyBytes>>> {
        let rule = ssid_rule_of(rule)?;
        self.inner
            .ssid
            .as_ref()
            .map(|s| s.octets(rule).map(|o| PyBytes::new(py, &o)).map_err(errors::ecp))
            .transpose()
    }

    /// The VNS name.
    #[getter]
    fn vns(&self) -> Option<&str> {
        self.inner.vns.as_deref()
    }

    /// The AP name.
    #[getter]
    fn ap(&self) -> Option<&str> {
        self.inner.ap.as_deref()
    }

    /// The AP serial number.
    #[getter]
    fn sn(&self) -> Option<&str> {
        self.inner.sn.as_deref()
    }

    /// The guest's current role.
    #[getter]
    fn role(&self) -> Option<&str> {
        self.inner.role.as_deref()
    }

    /// The containment VLAN (1..4094); None when absent, empty or 0.
    #[getter]
    fn vlan(&self) -> Option<u16> {
        self.inner.vlan
    }

    /// Every other parameter (but `X-Amz-*`), decoded, in the order received.
    #[getter]
    fn extras<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let items: Vec<Bound<'py, PyTuple>> = self
            .inner
            .extras
            .iter()
            .map(|(k, v)| PyTuple::new(py, [&**k, &**v]))
            .collect::<PyResult<_>>()?;
        PyList::new(py, items)
    }

    /// The value of an extra parameter (the first if repeated), or None.
    fn extra(&self, name: &str) -> Option<&str> {
        self.inner.extra(name)
    }

    /// The verified signature, or None for an unsigned redirect.
    #[getter]
    fn signature(&self) -> Option<SignatureInfo> {
        self.inner.signature.clone().map(|inner| SignatureInfo { inner })
    }

    /// Where to send the approval: `(hwc_ip, hwc_port)`, port 443 when absent. Trust
    /// it only when the redirect was signed; otherwise use `controller_allowed`.
    fn controller(&self) -> PyResult<(String, u16)> {
        let (ip, port) = self.inner.controller().map_err(errors::ecp)?;
        Ok((ip.to_owned(), port))
    }

    /// `controller()`, with `hwc_ip` required to be one of the `allowed` IP addresses
    /// (str or `ipaddress` objects): returns `(ipaddress object, port)`.
    fn controller_allowed<'py>(
        &self,
        py: Python<'py>,
        allowed: &Bound<'py, PyAny>,
    ) -> PyResult<(Bound<'py, PyAny>, u16)> {
        let mut list: Vec<IpAddr> = Vec::new();
        for a in allowed.try_iter()? {
            let a = a?;
            if a.is_instance_of::<PyBytes>() {
                return Err(PyTypeError::new_err(
                    "an allowed address is a str or an ipaddress object",
                ));
            }
            let t = a.str()?.to_str()?.to_owned();
            list.push(
                t.parse()
                    .map_err(|_| PyValueError::new_err(format!("{t:?} is not an IP address")))?,
            );
        }
        let (ip, port) = self.inner.controller_allowed(&list).map_err(errors::ecp)?;
        let ip = import(py, &IP_ADDRESS, "ipaddress", "ip_address")?.call1((ip.to_string(),))?;
        Ok((ip, port))
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<Self>().is_ok_and(|o| o.get().inner == self.inner)
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        let i = &self.inner;
        let mut out = format!(
            "ControllerRedirect(token={}, wlan={}, dest={}",
            r(py, &i.token),
            r(py, &i.wlan),
            r(py, &i.dest)
        );
        let mut field = |name: &str, v: Option<String>| {
            if let Some(v) = v {
                out.push_str(&format!(", {name}={v}"));
            }
        };
        field("hwc_ip", i.hwc_ip.as_deref().map(|s| r(py, s)));
        field("hwc_port", i.hwc_port.map(|p| p.to_string()));
        field("mac", i.mac.as_ref().map(|m| r(py, &m.sent)));
        field("bssid", i.bssid.as_ref().map(|m| r(py, &m.sent)));
        field("ssid", self.ssid().map(|s| r(py, &s)));
        field("vns", i.vns.as_deref().map(|s| r(py, s)));
        field("ap", i.ap.as_deref().map(|s| r(py, s)));
        field("sn", i.sn.as_deref().map(|s| r(py, s)));
        field("role", i.role.as_deref().map(|s| r(py, s)));
        field("vlan", i.vlan.map(|v| v.to_string()));
        if !i.extras.is_empty() {
            let e: Vec<String> = i
                .extras
                .iter()
                .map(|(k, v)| format!("({}, {})", r(py, k), r(py, v)))
                .collect();
            field("extras", Some(format!("[{}]", e.join(", "))));
        }
        field(
            "signed_by",
            Some(opt_r(py, i.signature.as_ref().map(|s| &*s.identity))),
        );
        out.push(')');
        out
    }
}

// ---------------------------------------------------------------------------------
// Signer and Approval

/// Signs ECP URLs as one identity (the portal's signed approvals, or a controller's
/// redirects in tests). Keep one per identity and share it between threads: it keeps
/// the day's derived key. Its `repr` never shows the secret.
#[pyclass(frozen, module = "nacwire.ecp")]
pub(crate) struct Signer {
    inner: ecp_sigv4::Signer,
    expires: u64,
    port_rule: &'static str,
    empty_path: String,
}

#[pymethods]
impl Signer {
    /// `Signer(identity, secret)`: `X-Amz-Expires` (seconds, 1 to 604800 as SigV4
    /// allows; a verifier takes at most its `max_expires`, 900 by default), the port
    /// rule and the empty-path rule must match the verifier's.
    #[new]
    #[pyo3(signature = (identity, secret, *, expires = 60, port_rule = "include_non_default", empty_path = "slash"))]
    fn new(
        identity: &str,
        secret: &Bound<'_, PyAny>,
        #[pyo3(from_py_with = crate::convert::u64_arg)] expires: u64,
        port_rule: &str,
        empty_path: &str,
    ) -> PyResult<Self> {
        if identity.is_empty() || identity.contains('/') {
            return Err(PyValueError::new_err("an identity is not empty and has no '/'"));
        }
        // what SigV4 allows for a presigned URL; 2**63 was signed, then refused by
        // every verifier as a malformed X-Amz-Expires
        if !(1..=604_800).contains(&expires) {
            return Err(PyValueError::new_err(format!(
                "expires is 1..=604800 seconds (SigV4's limits), not {expires}"
            )));
        }
        let rule = port_rule_of(port_rule)?;
        Ok(Self {
            inner: ecp_sigv4::Signer::new(identity, secret_of(secret)?)
                .expires(expires)
                .port_rule(rule)
                .empty_path(empty_path_of(empty_path)?),
            expires,
            port_rule: port_rule_name(rule),
            empty_path: empty_path.to_owned(),
        })
    }

    /// The identity this signer signs as.
    #[getter]
    fn identity(&self) -> &str {
        self.inner.identity()
    }

    /// `X-Amz-Expires`, seconds.
    #[getter]
    fn expires(&self) -> u64 {
        self.expires
    }

    /// Presigns `GET scheme://host[:port]path?params` (params: a mapping or pairs of
    /// str): strictly percent-encoded, sorted, `X-Amz-Signature` last.
    #[pyo3(signature = (host, path, params, *, scheme = "https", port = None, now = None))]
    #[allow(clippy::too_many_arguments)]
    fn presign(
        &self,
        py: Python<'_>,
        host: &str,
        path: &str,
        params: &Bound<'_, PyAny>,
        scheme: &str,
        #[pyo3(from_py_with = crate::convert::opt_port_arg)] port: Option<u16>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<String> {
        let pairs = if params.hasattr("items")? {
            params.call_method0("items")?
        } else {
            params.clone()
        };
        let mut owned: Vec<(String, String)> = Vec::new();
        for p in pairs.try_iter()? {
            owned.push(
                p?.extract()
                    .map_err(|_| PyTypeError::new_err("params are (str, str) pairs or a mapping of str"))?,
            );
        }
        let borrowed: Vec<(&str, &str)> = owned.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let host = if host.parse::<Ipv6Addr>().is_ok() {
            format!("[{host}]")
        } else {
            host.to_owned()
        };
        let now = time_of(py, now)?;
        self.inner
            .presign(scheme, &host, port, path, &borrowed, now)
            .map_err(errors::ecp)
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "Signer({}, <secret redacted>, expires={}, port_rule='{}', empty_path={})",
            r(py, self.inner.identity()),
            self.expires,
            self.port_rule,
            r(py, &self.empty_path),
        )
    }
}

/// The portal's decision, sent back to the controller as a signed
/// `/ext_approval.php` URL.
#[pyclass(frozen, module = "nacwire.ecp")]
pub(crate) struct Approval {
    inner: RApproval,
}

#[pymethods]
impl Approval {
    /// An approval: `token` and `wlan` from the redirect, the user name to record,
    /// and optionally where to send the guest, the role to assign and the
    /// Session-Timeout in seconds (`opt27`).
    #[new]
    #[pyo3(signature = (token, wlan, username, *, dest = None, role = None, session_timeout = None))]
    fn new(
        token: String,
        wlan: String,
        username: String,
        dest: Option<String>,
        role: Option<String>,
        #[pyo3(from_py_with = crate::convert::opt_u32_arg)] session_timeout: Option<u32>,
    ) -> Self {
        Self {
            inner: RApproval {
                token,
                wlan,
                username,
                dest,
                role,
                opt27: session_timeout,
            },
        }
    }

    /// The approval for a redirect: its token, WLAN and destination.
    #[staticmethod]
    #[pyo3(signature = (redirect, username, *, role = None, session_timeout = None))]
    fn for_redirect(
        redirect: &ControllerRedirect,
        username: String,
        role: Option<String>,
        #[pyo3(from_py_with = crate::convert::opt_u32_arg)] session_timeout: Option<u32>,
    ) -> Self {
        let mut inner = RApproval::for_redirect(&redirect.inner, username);
        inner.role = role;
        inner.opt27 = session_timeout;
        Self { inner }
    }

    #[getter]
    fn token(&self) -> &str {
        &self.inner.token
    }

    #[getter]
    fn wlan(&self) -> &str {
        &self.inner.wlan
    }

    #[getter]
    fn username(&self) -> &str {
        &self.inner.username
    }

    #[getter]
    fn dest(&self) -> Option<&str> {
        self.inner.dest.as_deref()
    }

    #[getter]
    fn role(&self) -> Option<&str> {
        self.inner.role.as_deref()
    }

    /// Session-Timeout in seconds (sent as `opt27`).
    #[getter]
    fn session_timeout(&self) -> Option<u32> {
        self.inner.opt27
    }

    /// The signed `http(s)://hwc_ip[:hwc_port]/ext_approval.php?...` (http when the
    /// port is 80). `hwc_ip` is a str or an `ipaddress` object.
    #[pyo3(signature = (hwc_ip, hwc_port, signer, *, now = None))]
    fn signed_url(
        &self,
        py: Python<'_>,
        hwc_ip: &Bound<'_, PyAny>,
        #[pyo3(from_py_with = crate::convert::port_arg)] hwc_port: u16,
        signer: &Signer,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<String> {
        if hwc_ip.is_instance_of::<PyBytes>() {
            return Err(PyTypeError::new_err("hwc_ip is a str or an ipaddress object"));
        }
        let ip = hwc_ip.str()?.to_str()?.to_owned();
        let now = time_of(py, now)?;
        self.inner
            .signed_url(&ip, hwc_port, &signer.inner, now)
            .map_err(errors::ecp)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<Self>().is_ok_and(|o| o.get().inner == self.inner)
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        let i = &self.inner;
        format!(
            "Approval(token={}, wlan={}, username={}, dest={}, role={}, session_timeout={})",
            r(py, &i.token),
            r(py, &i.wlan),
            r(py, &i.username),
            opt_r(py, i.dest.as_deref()),
            opt_r(py, i.role.as_deref()),
            i.opt27.map_or_else(|| "None".to_owned(), |v| v.to_string()),
        )
    }
}

/// An `X-Amz-Date` (`YYYYMMDDThhmmssZ`) as an aware UTC datetime (tests, logs).
#[pyfunction]
fn parse_amz_date<'py>(py: Python<'py>, value: &str) -> PyResult<Bound<'py, PyAny>> {
    let d = AmzDate::parse(value).map_err(errors::ecp)?;
    // year 0000 parses but is before Python's datetime.MINYEAR
    py_datetime(py, d.unix()).map_err(|_| {
        errors::ecp(ecp_sigv4::Error::BadDate {
            value: value.to_owned(),
        })
    })
}

/// Registers the classes on the native module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Keyring>()?;
    m.add_class::<Verifier>()?;
    m.add_class::<ControllerRedirect>()?;
    m.add_class::<SignatureInfo>()?;
    m.add_class::<Signer>()?;
    m.add_class::<Approval>()?;
    m.add_function(wrap_pyfunction!(parse_unsigned, m)?)?;
    m.add_function(wrap_pyfunction!(parse_amz_date, m)?)?;
    Ok(())
}
