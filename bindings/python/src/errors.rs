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

/// Registers the exception classes on the native module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("Error", py.get_type::<Error>())?;
    m.add("PacketError", py.get_type::<PacketError>())?;
    m.add("VerifyError", py.get_type::<VerifyError>())?;
    m.add("BuildError", py.get_type::<BuildError>())?;
    m.add("DictionaryError", py.get_type::<DictionaryError>())?;
    m.add("ExchangeError", py.get_type::<ExchangeError>())?;
    m.add("ModelError", py.get_type::<ModelError>())?;
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
        K::Verification => PyErr::new::<VerifyError, _>(msg),
        K::Exchange => PyErr::new::<ExchangeError, _>(msg),
        // A value that does not fit its type reaches Python only from a build.
        K::Build | K::Value => match e {
            E::MissingAttribute { attr: a } | E::WrongAttributeKind { attr: a } => {
                with_fields::<BuildError>(msg, &[("attribute", attr(a))])
            }
            _ => PyErr::new::<BuildError, _>(msg),
        },
        _ => PyErr::new::<PacketError, _>(msg),
    }
}

/// A dictionary error about a value or name given to build a packet (unknown name,
/// bad value, bad tag) as `BuildError` with `attribute`; a codec error inside it keeps
/// its own class and fields.
pub(crate) fn text_err(e: radius_dict::Error) -> PyErr {
    let attribute = e.attribute().map(str::to_owned);
    if let radius_dict::ErrorKind::Codec(inner) = e.kind() {
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

/// An unknown attribute name, as `BuildError`.
pub(crate) fn unknown_attribute(name: &str) -> PyErr {
    with_fields::<BuildError>(format!("{name}: unknown attribute"), &[("attribute", text(name))])
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

/// A plain `BuildError` with a message.
pub(crate) fn build(msg: impl Into<String>) -> PyErr {
    PyErr::new::<BuildError, _>(msg.into())
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
