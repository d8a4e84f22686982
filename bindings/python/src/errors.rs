//! The one place where Rust errors become Python exceptions.
//!
//! `nacwire.Error` is the base of every exception the package raises; each subclass
//! carries the Rust error's message and its structured fields as attributes.

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;

create_exception!(nacwire, Error, PyException, "Base of every nacwire exception.");
create_exception!(
    nacwire,
    PacketError,
    Error,
    "Malformed RADIUS input: a packet or attribute that does not parse (attributes: offset, attribute)."
);
create_exception!(
    nacwire,
    VerifyError,
    Error,
    "A packet parsed but failed verification: authenticators, Message-Authenticator, BlastRADIUS policy, Proxy-State, reply matching."
);
create_exception!(
    nacwire,
    BuildError,
    Error,
    "A packet could not be built: unknown attribute name, a value of the wrong type or out of range, a value too long."
);
create_exception!(
    nacwire,
    DictionaryError,
    Error,
    "A dictionary file failed to load (attributes: file, line, column, token)."
);
create_exception!(
    nacwire,
    ExchangeError,
    Error,
    "The client exchange refused a request: unknown destination, all 256 identifiers in flight."
);

create_exception!(
    nacwire,
    ModelError,
    Error,
    "Malformed or refused NAC model input: a MAC address, a packet that is not a session, a request a vendor profile cannot plan, JSON that does not fit (attributes: kind, position, character, length, attribute, profile, intent, field, violations, line, column, seconds, group; None where they do not apply)."
);

create_exception!(
    nacwire,
    SignatureError,
    Error,
    "A captive-portal (ECP) URL that does not parse or verify, or an approval that cannot be signed (attributes: kind, parameter, value, expected, reason, length, maximum, seconds, identity; None where they do not apply)."
);

/// The docstring of `nacwire.TransportError`.
const TRANSPORT_DOC: &str = "A connection could not be made or used: sockets, TLS (certificates, ALPN), a peer that closed. \
Also an OSError (as nacwire.Timeout is a TimeoutError), so that `except OSError` around network code still catches it.";

/// `nacwire.TransportError`: a subclass of `nacwire.Error` and of `OSError` (two bases,
/// which `create_exception!` cannot make), made once by calling `type`.
static TRANSPORT_ERROR: pyo3::sync::PyOnceLock<Py<pyo3::types::PyType>> = pyo3::sync::PyOnceLock::new();

fn transport_error_type(py: Python<'_>) -> PyResult<&Bound<'_, pyo3::types::PyType>> {
    TRANSPORT_ERROR
        .get_or_try_init(py, || {
            let namespace = pyo3::types::PyDict::new(py);
            namespace.set_item("__module__", "nacwire")?;
            namespace.set_item("__doc__", TRANSPORT_DOC)?;
            let bases = (
                py.get_type::<Error>(),
                py.get_type::<pyo3::exceptions::PyOSError>(),
            );
            Ok(py
                .get_type::<pyo3::types::PyType>()
                .call1(("TransportError", bases, namespace))?
                .cast_into::<pyo3::types::PyType>()?
                .unbind())
        })
        .map(|t| t.bind(py))
}

/// Registers the exception classes on the native module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("Error", py.get_type::<Error>())?;
    m.add("PacketError", py.get_type::<PacketError>())?;
    m.add("VerifyError", py.get_type::<VerifyError>())?;
    m.add("BuildError", py.get_type::<BuildError>())?;
    m.add("DictionaryError", py.get_type::<DictionaryError>())?;
    m.add("ExchangeError", py.get_type::<ExchangeError>())?;
    m.add("TransportError", transport_error_type(py)?)?;
    m.add("ModelError", py.get_type::<ModelError>())?;
    m.add("SignatureError", py.get_type::<SignatureError>())?;
    Ok(())
}

/// Builds an exception of class `E` with `message` and sets `fields` on it.
fn with_fields<E: pyo3::PyTypeInfo>(message: String, fields: &[(&str, Option<Py<PyAny>>)]) -> PyErr {
    let err = PyErr::new::<E, _>(message);
    Python::attach(|py| {
        let value = err.value(py);
        for (name, v) in fields {
            // Setting an attribute on a fresh exception instance cannot fail.
            let _ = value.setattr(*name, v.as_ref().map_or_else(|| py.None(), |v| v.clone_ref(py)));
        }
    });
    err
}

fn int(n: usize) -> Option<Py<PyAny>> {
    Python::attach(|py| n.into_pyobject(py).ok().map(|o| o.into_any().unbind()))
}

fn text(s: &str) -> Option<Py<PyAny>> {
    Python::attach(|py| Some(pyo3::types::PyString::new(py, s).into_any().unbind()))
}

/// A codec error as the matching Python exception: one `match` on its
/// [`radius_codec::ErrorKind`], then the structured fields where the variant has them.
pub(crate) fn codec(e: radius_codec::Error) -> PyErr {
    use radius_codec::{Error as E, ErrorKind as K};
    let msg = e.to_string();
    let attr = |a: radius_codec::AttrType| int(usize::from(a.0));
    match e.kind() {
        K::Malformed => {
            let (offset, attribute) = match e {
                E::AttributeTooShort { offset, attr: a, .. }
                | E::AttributeOverrun { offset, attr: a, .. } => (int(offset), attr(a)),
                E::VsaMalformed { offset, .. }
                | E::MissingContinuation { offset, .. }
                | E::TlvMalformed { offset, .. }
                | E::MalformedMessageAuthenticator { offset, .. } => (int(offset), None),
                E::HeaderTooShort { .. } | E::LengthOutOfRange { .. } | E::Truncated { .. } => (int(0), None),
                _ => (None, None),
            };
            with_fields::<PacketError>(msg, &[("offset", offset), ("attribute", attribute)])
        }
        // A reply refused only for want of Message-Authenticator: name the way out, as
        // the secure default stops every server that does not sign (FreeRADIUS < 3.2.5).
        K::Verification => match e {
            E::MissingMessageAuthenticator { code } if !code.is_request() => {
                PyErr::new::<VerifyError, _>(format!(
                    "{msg}; a server that does not sign its replies (FreeRADIUS before 3.2.5) \
                 needs require_message_authenticator=\"auto\""
                ))
            }
            _ => PyErr::new::<VerifyError, _>(msg),
        },
        K::Exchange => PyErr::new::<ExchangeError, _>(msg),
        // A value that does not fit its type reaches Python only from a build.
        K::Build | K::Value => match e {
            E::MissingAttribute { attr: a } | E::WrongAttributeKind { attr: a } => {
                with_fields::<BuildError>(msg, &[("attribute", attr(a))])
            }
            _ => with_fields::<BuildError>(msg, &[("attribute", None)]),
        },
        _ => with_fields::<PacketError>(msg, &[("offset", None), ("attribute", None)]),
    }
}

/// A dictionary error about a value or name given to build a packet (unknown name,
/// bad value, bad tag) as `BuildError` with `attribute`; a codec error inside it keeps
/// its own class and fields.
pub(crate) fn text_err(e: radius_dict::Error) -> PyErr {
    let attribute = e.attribute().map(str::to_owned);
    if let radius_dict::ErrorKind::Codec(inner) = e.kind() {
        // the codec's messages name no attribute ("hidden value of 200 octets is
        // invalid for this scheme"): say which, and what fits
        if let (Some(name), radius_codec::Error::HiddenLength { len }) = (attribute.as_deref(), inner) {
            return with_fields::<BuildError>(
                format!(
                    "{name}: {len} octets are too many to hide (User-Password takes at most 128, \
                     RFC 2865 §5.2; salt-encrypted values such as Tunnel-Password at most 239 \
                     in one attribute; encrypt=3 values 16)"
                ),
                &[("attribute", text(name))],
            );
        }
        let err = codec(*inner);
        Python::attach(|py| {
            let _ = err.value(py).setattr("attribute", attribute.as_deref());
        });
        return err;
    }
    with_fields::<BuildError>(
        e.to_string(),
        &[("attribute", attribute.as_deref().and_then(text))],
    )
}

/// An unknown attribute name, as `BuildError`; the message ends with the closest
/// names the dictionary has (`(did you mean 'User-Name'?)`), when it has some.
pub(crate) fn unknown_attribute(name: &str, suggestions: &[String]) -> PyErr {
    let mut message = format!("{name}: unknown attribute");
    if let Some((last, rest)) = suggestions.split_last() {
        let quoted: Vec<String> = rest.iter().map(|n| format!("'{n}'")).collect();
        if quoted.is_empty() {
            message.push_str(&format!(" (did you mean '{last}'?)"));
        } else {
            message.push_str(&format!(" (did you mean {} or '{last}'?)", quoted.join(", ")));
        }
    }
    with_fields::<BuildError>(message, &[("attribute", text(name))])
}

/// A dictionary load error as `DictionaryError` with file, line, column and token.
pub(crate) fn dict(e: &radius_dict::Error) -> PyErr {
    with_fields::<DictionaryError>(
        e.to_string(),
        &[
            ("file", text(e.file())),
            ("line", int(e.line())),
            ("column", int(e.column())),
            ("token", text(e.token())),
        ],
    )
}

/// A `DictionaryError` about a name defined somewhere under `file` (line and column
/// 0: not known), with the name as `token`.
pub(crate) fn dict_name(file: &str, name: &str, msg: String) -> PyErr {
    with_fields::<DictionaryError>(
        msg,
        &[
            ("file", text(file)),
            ("line", int(0)),
            ("column", int(0)),
            ("token", text(name)),
        ],
    )
}

/// A `BuildError` with a message (`attribute` None: every `BuildError` has it).
pub(crate) fn build(msg: impl Into<String>) -> PyErr {
    with_fields::<BuildError>(msg.into(), &[("attribute", None)])
}

/// A `BuildError` about the value given for attribute `name`.
pub(crate) fn build_for(name: &str, msg: impl Into<String>) -> PyErr {
    with_fields::<BuildError>(msg.into(), &[("attribute", text(name))])
}

/// A nac-model failure, for [`model`].
#[derive(Debug)]
pub(crate) enum Model {
    /// nac-model's one error type.
    Nac(nac_model::Error),
    /// JSON that does not parse or does not fit the shape.
    Json(serde_json::Error),
    /// A value from Python that names nothing the model knows (`kind`, message).
    Invalid(&'static str, String),
    /// JSON that parses but is refused at a place in it (`kind` "json", message,
    /// line and column, 1-based).
    JsonAt(String, usize, usize),
}

impl From<nac_model::Error> for Model {
    fn from(e: nac_model::Error) -> Self {
        Self::Nac(e)
    }
}

/// The fields every `ModelError` carries (None where they do not apply).
const MODEL_FIELDS: [&str; 12] = [
    "position",
    "character",
    "length",
    "attribute",
    "profile",
    "intent",
    "field",
    "violations",
    "line",
    "column",
    "seconds",
    "group",
];

/// A nac-model error as `ModelError`, with `kind` and the error's structured fields.
pub(crate) fn model(e: Model) -> PyErr {
    use nac_model::Error as N;
    let attr = |a: radius_codec::AttrType| int(usize::from(a.0));
    let mut fields: Vec<(&str, Option<Py<PyAny>>)> = Vec::new();
    let (kind, msg): (&str, String) = match &e {
        Model::Nac(n) => {
            let kind = match n {
                N::MacEmpty => "empty",
                N::MacTooLong { len } => {
                    fields.push(("length", int(*len)));
                    "too_long"
                }
                N::MacInvalidCharacter { position, ch } => {
                    fields.push(("position", int(*position)));
                    fields.push(("character", text(ch.encode_utf8(&mut [0; 4]))));
                    "invalid_character"
                }
                N::MacBadGrouping => "bad_grouping",
                N::WrongCode(_) => "wrong_code",
                N::NotText(a) => {
                    fields.push(("attribute", attr(*a)));
                    "not_text"
                }
                N::BadValue { attr: a, .. } => {
                    fields.push(("attribute", attr(*a)));
                    "bad_value"
                }
                N::Unsupported { profile, intent } => {
                    fields.push(("profile", text(profile)));
                    fields.push(("intent", text(&crate::nac::intent_kind_name(*intent))));
                    "unsupported"
                }
                N::MissingIdentity { profile, field } => {
                    fields.push(("profile", text(profile)));
                    fields.push(("field", text(&field.to_string())));
                    "missing_identity"
                }
                N::NoSessionIdentification { profile } => {
                    fields.push(("profile", text(profile)));
                    "no_session_identification"
                }
                N::MissingState => "missing_state",
                N::NotAllowed(v) => {
                    let list: Vec<String> = v.iter().map(ToString::to_string).collect();
                    fields.push((
                        "violations",
                        Python::attach(|py| list.into_pyobject(py).ok().map(|o| o.into_any().unbind())),
                    ));
                    "not_allowed"
                }
                N::EmptyUsername => "empty_username",
                N::Timeout { field, seconds } => {
                    fields.push(("field", text(field)));
                    fields.push(("seconds", int(*seconds as usize)));
                    "timeout"
                }
                N::BadGroup(g) => {
                    fields.push(("group", text(g)));
                    "bad_group"
                }
                N::MissingFromSession(f) => {
                    fields.push(("field", text(f)));
                    "missing_from_session"
                }
                N::NoEnforcementProfile => "no_enforcement_profile",
                N::MissingField(f) => {
                    fields.push(("field", text(f)));
                    "missing_field"
                }
                N::Json(j) => {
                    fields.push(("line", int(j.inner().line())));
                    fields.push(("column", int(j.inner().column())));
                    "json"
                }
                _ => "model",
            };
            (kind, n.to_string())
        }
        Model::Json(j) => {
            fields.push(("line", int(j.line())));
            fields.push(("column", int(j.column())));
            ("json", j.to_string())
        }
        Model::Invalid(kind, msg) => (kind, msg.clone()),
        Model::JsonAt(msg, line, column) => {
            fields.push(("line", int(*line)));
            fields.push(("column", int(*column)));
            ("json", msg.clone())
        }
    };
    let mut all: Vec<(&str, Option<Py<PyAny>>)> = vec![("kind", text(kind))];
    for name in MODEL_FIELDS {
        let v = fields
            .iter()
            .find(|(n, _)| *n == name)
            .and_then(|(_, v)| v.as_ref().map(|v| Python::attach(|py| v.clone_ref(py))));
        all.push((name, v));
    }
    with_fields::<ModelError>(msg, &all)
}

/// The fields every `SignatureError` carries (None where they do not apply).
const SIGNATURE_FIELDS: [&str; 8] = [
    "parameter",
    "value",
    "expected",
    "reason",
    "length",
    "maximum",
    "seconds",
    "identity",
];

/// An ecp-sigv4 error as `SignatureError`, with `kind` (the variant in snake case) and
/// the error's structured fields.
pub(crate) fn ecp(e: ecp_sigv4::Error) -> PyErr {
    use ecp_sigv4::Error as E;
    let msg = e.to_string();
    let secs = |n: i64| Python::attach(|py| Some(n.into_pyobject(py).ok()?.into_any().unbind()));
    let big = |n: u64| Python::attach(|py| Some(n.into_pyobject(py).ok()?.into_any().unbind()));
    let mut f: Vec<(&str, Option<Py<PyAny>>)> = Vec::new();
    let kind = match e {
        E::UrlTooLong { len, max } => {
            f.extend([("length", int(len)), ("maximum", int(max))]);
            "url_too_long"
        }
        E::InvalidUrl { reason } => {
            f.push(("reason", text(reason)));
            "invalid_url"
        }
        E::BadPercentEncoding { value } => {
            f.push(("value", text(&value)));
            "bad_percent_encoding"
        }
        E::MissingParameter(name) => {
            f.push(("parameter", text(name)));
            "missing_parameter"
        }
        E::DuplicateParameter { name } => {
            f.push(("parameter", text(&name)));
            "duplicate_parameter"
        }
        E::EncodedAmzName { name } => {
            f.push(("parameter", text(&name)));
            "encoded_amz_name"
        }
        E::WrongAlgorithm(v) => {
            f.extend([
                ("parameter", text("X-Amz-Algorithm")),
                ("value", text(&v)),
                ("expected", text("AWS4-HMAC-SHA256")),
            ]);
            "wrong_algorithm"
        }
        E::BadCredential => {
            f.push(("parameter", text("X-Amz-Credential")));
            "bad_credential"
        }
        E::WrongRegion { got, expected } => {
            f.extend([
                ("parameter", text("X-Amz-Credential")),
                ("value", text(&got)),
                ("expected", text(expected)),
            ]);
            "wrong_region"
        }
        E::WrongService { got, expected } => {
            f.extend([
                ("parameter", text("X-Amz-Credential")),
                ("value", text(&got)),
                ("expected", text(expected)),
            ]);
            "wrong_service"
        }
        E::WrongTerminator(v) => {
            f.extend([
                ("parameter", text("X-Amz-Credential")),
                ("value", text(&v)),
                ("expected", text("aws4_request")),
            ]);
            "wrong_terminator"
        }
        E::CredentialDateMismatch { credential, amz_date } => {
            f.extend([
                ("parameter", text("X-Amz-Credential")),
                ("value", text(&credential)),
                ("expected", text(amz_date.get(..8).unwrap_or(&amz_date))),
            ]);
            "credential_date_mismatch"
        }
        E::BadDate { value } => {
            f.extend([("parameter", text("X-Amz-Date")), ("value", text(&value))]);
            "bad_date"
        }
        E::BadExpires(v) => {
            f.extend([("parameter", text("X-Amz-Expires")), ("value", text(&v))]);
            "bad_expires"
        }
        E::ExpiresTooLong { expires, max } => {
            f.extend([
                ("parameter", text("X-Amz-Expires")),
                ("seconds", big(expires)),
                ("maximum", big(max)),
            ]);
            "expires_too_long"
        }
        E::WrongSignedHeaders(v) => {
            f.extend([
                ("parameter", text("X-Amz-SignedHeaders")),
                ("value", text(&v)),
                ("expected", text("host")),
            ]);
            "wrong_signed_headers"
        }
        E::NotYetValid { secs_early } => {
            f.push(("seconds", secs(secs_early)));
            "not_yet_valid"
        }
        E::Expired { secs_late } => {
            f.push(("seconds", secs(secs_late)));
            "expired"
        }
        E::UnknownIdentity(identity) => {
            f.push(("identity", text(&identity)));
            "unknown_identity"
        }
        E::BadSignatureFormat { len } => {
            f.extend([("parameter", text("X-Amz-Signature")), ("length", int(len))]);
            "bad_signature_format"
        }
        E::BadSignature => "bad_signature",
        E::NotSigned => "not_signed",
        E::NotUtf8 { param } => {
            f.push(("parameter", text(&param)));
            "not_utf8"
        }
        E::InvalidHost { host } => {
            f.push(("value", text(&host)));
            "invalid_host"
        }
        E::ReservedParameter { name } => {
            f.push(("parameter", text(&name)));
            "reserved_parameter"
        }
        E::ControllerNotAllowed { hwc_ip } => {
            f.extend([("parameter", text("hwc_ip")), ("value", text(&hwc_ip))]);
            "controller_not_allowed"
        }
        E::InvalidValue { param, reason } => {
            f.extend([("parameter", text(&param)), ("reason", text(reason))]);
            "invalid_value"
        }
        _ => "signature",
    };
    let mut all: Vec<(&str, Option<Py<PyAny>>)> = vec![("kind", text(kind))];
    for name in SIGNATURE_FIELDS {
        let v = f
            .iter()
            .find(|(n, _)| *n == name)
            .and_then(|(_, v)| v.as_ref().map(|v| Python::attach(|py| v.clone_ref(py))));
        all.push((name, v));
    }
    with_fields::<SignatureError>(msg, &all)
}

/// A transport failure (socket, TLS, closed connection) as `TransportError`.
pub(crate) fn transport(msg: impl Into<String>) -> PyErr {
    let msg = msg.into();
    Python::attach(|py| match transport_error_type(py) {
        Ok(ty) => PyErr::from_type(ty.clone(), (msg,)),
        Err(e) => e,
    })
}
