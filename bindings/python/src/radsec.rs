//! `nacwire.radsec`: RADIUS over TLS (RadSec, RFC 6614) and TCP (RFC 6613), with
//! RADIUS/1.1 (RFC 9765) by ALPN, over the blocking drivers of `nacwire-io`.
//!
//! Requests are converted from Python first, then sent and awaited with the GIL
//! released; the server calls the Python handler on its connection threads.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use nacwire_io::stream::{Acceptor, Connector, RequestInfo, StreamClient, StreamServer};
use nacwire_io::Error as IoError;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use radius_codec::{Packet as CodecPacket, PacketBuilder};
use radius_dict::Hiding;
use radius_stream::tls::{client_config, server_config, Alpn, TlsVersions};
use radius_stream::{CloseReason, Secrets, Settings, Transport, Version};

use crate::convert::{import, secret_of};
use crate::errors;
use crate::radius::{apply_attributes, code_of, prepare_attributes, DictHandle, Dictionary, Packet};

static TIMEOUT: pyo3::sync::PyOnceLock<Py<PyAny>> = pyo3::sync::PyOnceLock::new();

fn alpn_of(s: &str) -> PyResult<Alpn> {
    match s {
        "off" => Ok(Alpn::Off),
        "forbid" => Ok(Alpn::Forbid),
        "allow" => Ok(Alpn::Allow),
        "require" => Ok(Alpn::Require),
        _ => Err(PyValueError::new_err(
            "alpn is \"off\" (no ALPN), \"forbid\" (radius/1.0 only), \"allow\" (radius/1.0 or 1.1) or \"require\" (1.1 only)",
        )),
    }
}

fn versions_of(s: &str) -> PyResult<TlsVersions> {
    match s {
        "1.2+" => Ok(TlsVersions::Tls12And13),
        "1.2" => Ok(TlsVersions::Tls12),
        "1.3" => Ok(TlsVersions::Tls13),
        _ => Err(PyValueError::new_err(
            "tls_versions is \"1.2+\", \"1.2\" or \"1.3\"",
        )),
    }
}

fn transport_of(s: &str) -> PyResult<Transport> {
    match s {
        "tls" => Ok(Transport::Tls),
        "tcp" => Ok(Transport::Tcp),
        _ => Err(PyValueError::new_err("transport is \"tls\" or \"tcp\"")),
    }
}

const fn version_name(v: Version) -> &'static str {
    match v {
        Version::V1_1 => "1.1",
        _ => "1.0",
    }
}

/// Why a connection closed, in words, as a client says it (the peer is the server).
fn close_text(reason: &CloseReason) -> String {
    match reason {
        CloseReason::PeerClosed => "the server closed the connection".to_string(),
        CloseReason::PeerClosedMidPacket { buffered } => {
            format!("the server closed the connection {buffered} octets into a packet")
        }
        other => other.to_string(),
    }
}

/// A connection that failed for TLS or ALPN: a `TransportError` (a certificate the
/// server refused is not a lost request that a retry may get through).
const fn is_tls_failure(reason: &CloseReason) -> bool {
    matches!(reason, CloseReason::Tls(_) | CloseReason::Alpn)
}

/// A driver error as a Python exception: `nacwire.Timeout` when no reply came in time
/// or the request was lost with the connection, `nacwire.TransportError` for sockets,
/// TLS (a handshake or certificate refused, also when it ends a request in flight, as
/// a server refusing the client's certificate does under TLS 1.3) and the rest.
fn io_err(e: IoError) -> PyErr {
    match e {
        IoError::Lost(radius_stream::LostReason::Closed(why)) if is_tls_failure(&why) => {
            errors::transport(format!("connection failed: {}", close_text(&why)))
        }
        IoError::Timeout | IoError::Lost(_) => Python::attach(|py| {
            let message = match &e {
                IoError::Lost(radius_stream::LostReason::TimedOut) => {
                    "request lost: no reply within the timeout".to_string()
                }
                IoError::Lost(radius_stream::LostReason::Closed(CloseReason::PeerClosed)) => {
                    // what a RADIUS/TCP or RadSec server does with a request it cannot
                    // verify (RFC 6613 §2.6.4), or from a client it does not know
                    "request lost: the server closed the connection with it in flight (a \
                     server closes the connection on a request that does not verify, e.g. \
                     a wrong shared secret, or from a client it has no secret for)"
                        .to_string()
                }
                IoError::Lost(radius_stream::LostReason::Closed(why)) => {
                    format!(
                        "request lost: the connection closed with it in flight ({})",
                        close_text(why)
                    )
                }
                _ => e.to_string(),
            };
            match import(py, &TIMEOUT, "nacwire", "Timeout").and_then(|t| t.call1((message,))) {
                Ok(exc) => PyErr::from_value(exc),
                Err(err) => err,
            }
        }),
        IoError::Io(io) => {
            let err = errors::transport(format!("socket: {io}"));
            Python::attach(|py| err.set_cause(py, Some(PyErr::from(io))));
            err
        }
        IoError::Closed(why) => errors::transport(format!("connection closed: {}", close_text(&why))),
        other => errors::transport(other.to_string()),
    }
}

/// [`io_err`] for an exchange with `peer`: a `TransportError` names it (a `Timeout`
/// stays as it is), a socket error is its `__cause__`.
fn io_err_at(peer: SocketAddr) -> impl Fn(IoError) -> PyErr {
    move |e| match e {
        IoError::Lost(radius_stream::LostReason::Closed(why)) if is_tls_failure(&why) => {
            errors::transport(format!("{peer}: connection failed: {}", close_text(&why)))
        }
        IoError::Timeout | IoError::Lost(_) => io_err(e),
        IoError::Io(io) => {
            let err = errors::transport(format!("{peer}: socket: {io}"));
            Python::attach(|py| err.set_cause(py, Some(PyErr::from(io))));
            err
        }
        IoError::Closed(why) => errors::transport(format!("{peer}: connection closed: {}", close_text(&why))),
        other => errors::transport(format!("{peer}: {other}")),
    }
}

fn pem_err(e: impl std::fmt::Display) -> PyErr {
    errors::transport(format!("certificates: {e}"))
}

/// The CA certificates of a PEM file, at least one: a file with none (a key, a
/// typo'd path to another PEM) made an empty trust store that refused every peer
/// later, at connection time, with a certificate error.
macro_rules! ca_roots {
    ($path:expr) => {{
        let path: &std::path::Path = $path;
        let roots = nacwire_io::pem::roots(path).map_err(pem_err)?;
        if roots.is_empty() {
            return Err(pem_err(format!(
                "{}: no CA certificate in it (PEM, -----BEGIN CERTIFICATE-----)",
                path.display()
            )));
        }
        roots
    }};
}

/// A `(host, port)` address argument; a port out of range is a `ValueError`.
fn address_arg(obj: &Bound<'_, PyAny>) -> PyResult<(String, u16)> {
    let (host, port): (String, Bound<'_, PyAny>) = obj
        .extract()
        .map_err(|_| PyTypeError::new_err("address is a (host, port) pair"))?;
    Ok((host, crate::convert::port_arg(&port)?))
}

/// `host` resolved by Python's `socket.getaddrinfo`, as the UDP clients resolve
/// theirs: a name that does not resolve is a `TransportError` naming it, the
/// `socket.gaierror` as its `__cause__`; a host with a NUL character is the
/// `ValueError` `getaddrinfo` raises.
fn address_of(host: &str, port: u16) -> PyResult<SocketAddr> {
    Python::attach(|py| {
        let socket = py.import("socket")?;
        let kwargs = PyDict::new(py);
        kwargs.set_item("type", socket.getattr("SOCK_STREAM")?)?;
        let infos = match socket.call_method("getaddrinfo", (host, port), Some(&kwargs)) {
            Ok(infos) => infos,
            Err(e) if e.is_instance_of::<pyo3::exceptions::PyOSError>(py) => {
                let err =
                    errors::transport(format!("{host}:{port}: cannot resolve the host: {}", e.value(py)));
                err.set_cause(py, Some(e));
                return Err(err);
            }
            Err(e) => return Err(e),
        };
        for info in infos.try_iter()? {
            // (family, type, proto, canonname, sockaddr): sockaddr is (ip, port) or
            // (ip, port, flowinfo, scope_id); an IPv6 ip may carry `%scope`.
            let sockaddr = info?.get_item(4)?;
            let ip: String = sockaddr.get_item(0)?.extract()?;
            let ip = ip.split_once('%').map_or(ip.as_str(), |(ip, _)| ip);
            match ip.parse::<IpAddr>() {
                Ok(IpAddr::V6(v6)) => {
                    let flow: u32 = sockaddr.get_item(2)?.extract()?;
                    let scope: u32 = sockaddr.get_item(3)?.extract()?;
                    return Ok(SocketAddr::V6(std::net::SocketAddrV6::new(v6, port, flow, scope)));
                }
                Ok(v4) => return Ok(SocketAddr::new(v4, port)),
                // An address family this client does not speak (none today).
                Err(_) => {}
            }
        }
        Err(errors::transport(format!("{host}:{port}: no address")))
    })
}

/// A RadSec (or RADIUS/TCP) client: one connection, opened on first use, reused for
/// every request, re-opened with backoff after it closes. Thread-safe (requests from
/// several threads take turns).
#[pyclass(frozen, module = "nacwire.radsec")]
pub(crate) struct RadSecClient {
    inner: Mutex<StreamClient>,
    dict: DictHandle,
    /// `"tls"` or `"tcp"`, for `repr`.
    transport: &'static str,
    /// The server's address, for `repr`.
    peer: SocketAddr,
}

#[pymethods]
impl RadSecClient {
    /// `ca` (PEM) is required over TLS; `cert`/`key` are the client certificate most
    /// RadSec servers require. `secret` is `radsec` over TLS unless the server says
    /// otherwise; over TCP it is the shared secret. `alpn="allow"` (the RFC 9765 §3.3
    /// default) offers RADIUS/1.1 and 1.0, `"require"` insists on 1.1 (TLS 1.3),
    /// `"forbid"` offers only 1.0 and `"off"` sends no ALPN at all. A host name that
    /// does not resolve is a `TransportError` (its `__cause__` the `socket.gaierror`,
    /// as for the UDP clients); a `ca`, `cert` or `key` path with a NUL character is a
    /// `ValueError`.
    #[new]
    #[pyo3(signature = (host, port = 2083, *, transport = "tls", secret = None, ca = None, cert = None,
                        key = None, server_name = None, alpn = "allow", tls_versions = "1.2+",
                        dictionary = None, timeout = 5.0))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        host: &str,
        #[pyo3(from_py_with = crate::convert::port_arg)] port: u16,
        transport: &str,
        secret: Option<&Bound<'_, PyAny>>,
        #[pyo3(from_py_with = crate::convert::opt_path_arg)] ca: Option<PathBuf>,
        #[pyo3(from_py_with = crate::convert::opt_path_arg)] cert: Option<PathBuf>,
        #[pyo3(from_py_with = crate::convert::opt_path_arg)] key: Option<PathBuf>,
        server_name: Option<&str>,
        alpn: &str,
        tls_versions: &str,
        dictionary: Option<&Bound<'_, Dictionary>>,
        timeout: f64,
    ) -> PyResult<Self> {
        let addr = address_of(host, port)?;
        let timeout = Duration::try_from_secs_f64(timeout)
            .map_err(|_| PyValueError::new_err("timeout must be a number of seconds >= 0"))?;
        let transport = transport_of(transport)?;
        let mut settings = match transport {
            Transport::Tls => Settings::tls(),
            _ => Settings::new(radius_codec::SharedSecret::new(b"radsec".to_vec())),
        };
        if let Some(s) = secret {
            settings = settings.secret(secret_of(s)?.clone_secret());
        } else if transport == Transport::Tcp {
            return Err(PyValueError::new_err("RADIUS over TCP needs the shared secret"));
        }
        settings = settings.request_timeout(timeout);
        let connector = match transport {
            Transport::Tls => {
                let ca = ca.ok_or_else(|| PyValueError::new_err("TLS needs ca= (the server's CA, PEM)"))?;
                let roots = ca_roots!(&ca);
                let identity = match (cert, key) {
                    (Some(c), Some(k)) => Some(nacwire_io::pem::identity(&c, &k).map_err(pem_err)?),
                    (None, None) => None,
                    _ => return Err(PyValueError::new_err("cert= and key= go together")),
                };
                let config = client_config(roots, identity, alpn_of(alpn)?, versions_of(tls_versions)?)
                    .map_err(pem_err)?;
                Connector::tls(config, server_name.unwrap_or(host)).map_err(io_err)?
            }
            _ => Connector::Tcp,
        };
        let client = StreamClient::new(addr, connector, settings).with_connect_timeout(timeout);
        Ok(Self {
            inner: Mutex::new(client),
            transport: if transport == Transport::Tls { "tls" } else { "tcp" },
            peer: addr,
            dict: dictionary.map_or_else(Dictionary::builtin_handle, |d| d.get().handle()),
        })
    }

    /// Sends a request and returns its verified reply (the GIL is released while
    /// waiting). Raises `nacwire.Timeout` when it is lost (no reply, connection closed:
    /// requests are never resent on an open connection) and `nacwire.TransportError`
    /// when the connection cannot be made or TLS fails (a certificate refused, also
    /// when the refusal ends the request in flight, as under TLS 1.3). Over
    /// RADIUS/1.0 the reply's hidden values (Tunnel-Password, MS-MPPE keys) are
    /// revealed with the secret and this request.
    #[pyo3(signature = (code, attributes = None))]
    fn request(
        &self,
        py: Python<'_>,
        code: &Bound<'_, PyAny>,
        attributes: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Packet> {
        let code = code_of(code)?;
        if !code.is_request() {
            return Err(errors::build(format!("{code} is not a request")));
        }
        let prepared = prepare_attributes(&self.dict, attributes)?;
        let auth = crate::radius::random16(py)?;
        let salt = crate::radius::salt_of(py, None)?;
        let dict = self.dict.clone();
        let mut failure = None;
        // RADIUS/1.0: the secret and the Request Authenticator the reply's hidden
        // values (Tunnel-Password, MS-MPPE keys) are revealed with
        let mut hiding_of_reply: Option<(Arc<radius_codec::SharedSecret>, [u8; 16])> = None;
        // The lock is only ever taken without the GIL: a thread holding it waits for a
        // reply that the server (perhaps a handler in this process) needs the GIL to
        // send, so taking it with the GIL held would deadlock until the timeout.
        let (result, v11) = py.detach(|| {
            let mut client = self.lock();
            let result = client.request(|id, version, secret| {
                let mut b = PacketBuilder::new(code, id, auth);
                let hiding = Hiding { secret, salt };
                let clear = version == Version::V1_1;
                if let Err(e) = apply_attributes(&dict, &mut b, &prepared, Some(&hiding), clear) {
                    failure = Some(e);
                    return Err(radius_codec::Error::NotARequest { code });
                }
                if !clear {
                    // the authenticator as the connection will compute it (a copy
                    // finished the same way, with the stream's 65535-octet limit;
                    // random for Access-Request)
                    let sent = b.clone().for_tcp().finish(secret)?;
                    if let Some(a) = sent.get(4..20).and_then(|a| <[u8; 16]>::try_from(a).ok()) {
                        hiding_of_reply = Some((Arc::new(secret.clone_secret()), a));
                    }
                }
                Ok(b)
            });
            (result, client.version() == Some(Version::V1_1))
        });
        if let Some(e) = failure {
            return Err(e.into_py());
        }
        let reply = result.map_err(io_err_at(self.peer))?;
        if v11 {
            return Ok(Packet::from_vec(reply.to_vec(), self.dict.clone(), None)?.with_clear_hidden());
        }
        let hiding = hiding_of_reply.map(|(s, a)| (s, Some(a)));
        Packet::from_vec(reply.to_vec(), self.dict.clone(), hiding)
    }

    /// The RADIUS version of the open connection (`"1.0"`, `"1.1"`), or `None`.
    #[getter]
    fn version(&self, py: Python<'_>) -> Option<&'static str> {
        py.detach(|| self.lock().version().map(version_name))
    }

    /// Opens the connection now (it is opened on first use otherwise); returns the
    /// RADIUS version negotiated.
    fn connect(&self, py: Python<'_>) -> PyResult<&'static str> {
        py.detach(|| self.lock().connect())
            .map(version_name)
            .map_err(io_err_at(self.peer))
    }

    /// Closes the connection (it is re-opened by the next request).
    fn close(&self, py: Python<'_>) {
        py.detach(|| self.lock().close());
    }

    fn __enter__(slf: Bound<'_, Self>) -> Bound<'_, Self> {
        slf
    }

    #[pyo3(signature = (*_exc))]
    fn __exit__(&self, py: Python<'_>, _exc: &Bound<'_, PyTuple>) {
        self.close(py);
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        let version = self.version(py).unwrap_or("not connected");
        format!(
            "<RadSecClient {} {} version={version}>",
            self.transport, self.peer
        )
    }
}

impl RadSecClient {
    /// The connection, locked: call only without the GIL (see `request`).
    fn lock(&self) -> std::sync::MutexGuard<'_, StreamClient> {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// A RadSec (or RADIUS/TCP) server on background threads, answering with a Python
/// handler: `handler(request: Packet, info: dict) -> (code, attributes) | code | None`
/// (`None`: no reply). `info` holds `peer` ((host, port)), `version` ("1.0"/"1.1")
/// and `transport`. The handler runs on the connection's thread, one request at a
/// time per connection. A handler that raises, or returns a code or attributes that
/// cannot be built, is reported through `sys.unraisablehook` and the request gets no
/// reply (the client's request times out).
#[pyclass(frozen, module = "nacwire.radsec")]
pub(crate) struct RadSecServer {
    handle: Mutex<Option<nacwire_io::stream::ServerHandle>>,
    address: SocketAddr,
}

#[pymethods]
impl RadSecServer {
    /// `cert`/`key` (PEM) are the server's identity over TLS; with `ca` every client
    /// must present a certificate issued under it (RFC 6614 2.3). `secrets` maps
    /// client IP addresses to shared secrets (required over TCP; over TLS an unknown
    /// client uses `radsec`). A host name that does not resolve is a
    /// `TransportError` (its `__cause__` the `socket.gaierror`); a `cert`, `key` or
    /// `ca` path with a NUL character is a `ValueError`.
    #[new]
    #[pyo3(signature = (address, handler, *, transport = "tls", cert = None, key = None, ca = None,
                        alpn = "allow", tls_versions = "1.2+", secrets = None, dictionary = None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        #[pyo3(from_py_with = address_arg)] address: (String, u16),
        handler: Py<PyAny>,
        transport: &str,
        #[pyo3(from_py_with = crate::convert::opt_path_arg)] cert: Option<PathBuf>,
        #[pyo3(from_py_with = crate::convert::opt_path_arg)] key: Option<PathBuf>,
        #[pyo3(from_py_with = crate::convert::opt_path_arg)] ca: Option<PathBuf>,
        alpn: &str,
        tls_versions: &str,
        secrets: Option<&Bound<'_, PyDict>>,
        dictionary: Option<&Bound<'_, Dictionary>>,
    ) -> PyResult<Self> {
        if !handler.bind(py).is_callable() {
            return Err(PyTypeError::new_err(
                "handler is a callable: handler(request, info) -> (code, attributes) | code | None",
            ));
        }
        let transport = transport_of(transport)?;
        let addr = address_of(&address.0, address.1)?;
        let mut table = Secrets::new();
        if let Some(secrets) = secrets {
            for (ip, secret) in secrets.iter() {
                let Ok(text) = ip.extract::<String>() else {
                    let kind = ip
                        .get_type()
                        .name()
                        .map_or_else(|_| "?".to_owned(), |n| n.to_string());
                    return Err(PyTypeError::new_err(format!(
                        "secrets maps client IP addresses (str) to secrets, not {kind} keys"
                    )));
                };
                let ip: IpAddr = text.parse().map_err(|_| {
                    PyValueError::new_err(format!(
                        "secrets maps client IP addresses to secrets: {text:?} is not an IP address"
                    ))
                })?;
                table.insert(ip, transport, secret_of(&secret)?.clone_secret());
            }
        }
        if transport == Transport::Tcp && secrets.is_none_or(|s| s.is_empty()) {
            // every connection would be closed at its first request, the client told
            // only that the server closed it
            return Err(PyValueError::new_err(
                "RADIUS over TCP needs secrets= (client IP address -> shared secret): without \
                 one for a client, its connections are closed",
            ));
        }
        let acceptor = match transport {
            Transport::Tls => {
                let (Some(cert), Some(key)) = (cert, key) else {
                    return Err(PyValueError::new_err("TLS needs cert= and key= (PEM)"));
                };
                let identity = nacwire_io::pem::identity(&cert, &key).map_err(pem_err)?;
                let roots = match ca {
                    Some(c) => Some(ca_roots!(&c)),
                    None => None,
                };
                Acceptor::Tls(
                    server_config(identity, roots, alpn_of(alpn)?, versions_of(tls_versions)?)
                        .map_err(pem_err)?,
                )
            }
            _ => Acceptor::Tcp,
        };
        let settings = Settings::tls();
        let server = StreamServer::bind(addr, acceptor, settings, table).map_err(io_err)?;
        let address = server.local_addr().map_err(io_err)?;
        let dict = dictionary.map_or_else(Dictionary::builtin_handle, |d| d.get().handle());
        let handler = Arc::new(handler);
        let callback: nacwire_io::stream::Handler =
            Arc::new(move |request: &CodecPacket<&[u8]>, info: &RequestInfo| {
                answer(&handler, &dict, request, info)
            });
        let handle = server.spawn(callback).map_err(io_err)?;
        Ok(Self {
            handle: Mutex::new(Some(handle)),
            address,
        })
    }

    /// The listening `(host, port)`.
    #[getter]
    fn address(&self) -> (String, u16) {
        (self.address.ip().to_string(), self.address.port())
    }

    /// Stops accepting connections.
    fn close(&self, py: Python<'_>) {
        let handle = self
            .handle
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        py.detach(move || drop(handle));
    }

    fn __enter__(slf: Bound<'_, Self>) -> Bound<'_, Self> {
        slf
    }

    #[pyo3(signature = (*_exc))]
    fn __exit__(&self, py: Python<'_>, _exc: &Bound<'_, PyTuple>) {
        self.close(py);
    }

    fn __repr__(&self) -> String {
        format!("<RadSecServer {}>", self.address)
    }
}

/// Runs the Python handler for one request (on a connection thread) and builds its
/// reply. A handler that raises is reported through `sys.unraisablehook` and the
/// request gets no reply.
fn answer(
    handler: &Py<PyAny>,
    dict: &DictHandle,
    request: &CodecPacket<&[u8]>,
    info: &RequestInfo,
) -> Option<PacketBuilder> {
    Python::attach(|py| {
        let run = || -> PyResult<Option<PacketBuilder>> {
            let v11 = info.version == Version::V1_1;
            let secret = (!v11).then(|| Arc::new(info.secret.clone_secret()));
            let packet = Packet::from_vec(
                request.as_bytes().to_vec(),
                dict.clone(),
                secret.map(|s| (s, None)),
            )?;
            let packet = if v11 { packet.with_clear_hidden() } else { packet };
            let details = PyDict::new(py);
            details.set_item("peer", (info.peer.ip().to_string(), info.peer.port()))?;
            details.set_item("version", version_name(info.version))?;
            details.set_item(
                "transport",
                if info.transport == Transport::Tls {
                    "tls"
                } else {
                    "tcp"
                },
            )?;
            let out = handler.bind(py).call1((packet, details))?;
            if out.is_none() {
                return Ok(None);
            }
            let (code, attributes): (Bound<'_, PyAny>, Bound<'_, PyAny>) = match out.cast::<PyTuple>() {
                Ok(t) if t.len() == 2 => (t.get_item(0)?, t.get_item(1)?),
                _ => (out.clone(), py.None().into_bound(py)),
            };
            let code = code_of(&code)?;
            let attributes = (!attributes.is_none()).then_some(attributes);
            let prepared = prepare_attributes(dict, attributes.as_ref())?;
            let mut b = PacketBuilder::reply_to(request, code);
            let salt = crate::radius::salt_of(py, None)?;
            let hiding = Hiding {
                secret: &info.secret,
                salt,
            };
            apply_attributes(dict, &mut b, &prepared, Some(&hiding), v11)
                .map_err(crate::radius::AddError::into_py)?;
            Ok(Some(b))
        };
        match run() {
            Ok(b) => b,
            Err(e) => {
                e.write_unraisable(py, Some(handler.bind(py)));
                None
            }
        }
    })
}

/// Registers the classes on the native module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<RadSecClient>()?;
    m.add_class::<RadSecServer>()?;
    Ok(())
}
