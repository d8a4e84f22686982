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

/// Registers the exception classes on the native module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("Error", py.get_type::<Error>())?;
    m.add("PacketError", py.get_type::<PacketError>())?;
    m.add("VerifyError", py.get_type::<VerifyError>())?;
    m.add("BuildError", py.get_type::<BuildError>())?;
    m.add("DictionaryError", py.get_type::<DictionaryError>())?;
    m.add("ExchangeError", py.get_type::<ExchangeError>())?;
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

/// A codec error as the matching Python exception.
pub(crate) fn codec(e: radius_codec::Error) -> PyErr {
    use radius_codec::Error as E;
    let msg = e.to_string();
    let attr = |a: radius_codec::AttrType| int(usize::from(a.0));
    match e {
        E::HeaderTooShort { .. } | E::LengthOutOfRange { .. } | E::Truncated { .. } => {
            with_fields::<PacketError>(msg, &[("offset", int(0)), ("attribute", None)])
        }
        E::AttributeTooShort { offset, attr: a, .. } | E::AttributeOverrun { offset, attr: a, .. } => {
            with_fields::<PacketError>(msg, &[("offset", int(offset)), ("attribute", attr(a))])
        }
        E::VsaMalformed { offset, .. }
        | E::MissingContinuation { offset, .. }
        | E::TlvMalformed { offset, .. }
        | E::MalformedMessageAuthenticator { offset, .. } => {
            with_fields::<PacketError>(msg, &[("offset", int(offset)), ("attribute", None)])
        }
        E::BadRequestAuthenticator
        | E::BadResponseAuthenticator
        | E::BadMessageAuthenticator
        | E::MissingMessageAuthenticator { .. }
        | E::IdentifierMismatch { .. }
        | E::UnexpectedReply { .. }
        | E::UnexpectedProxyState
        | E::ProxyStateWithoutMessageAuthenticator => PyErr::new::<VerifyError, _>(msg),
        E::UnknownDestination | E::IdentifiersExhausted => PyErr::new::<ExchangeError, _>(msg),
        E::MissingAttribute { attr: a } | E::WrongAttributeKind { attr: a } => {
            with_fields::<BuildError>(msg, &[("attribute", attr(a))])
        }
        E::ChapPasswordLength { .. } | E::TlvTooDeep { .. } => PyErr::new::<PacketError, _>(msg),
        _ => PyErr::new::<BuildError, _>(msg),
    }
}

/// A dictionary text/value error (unknown name, bad value) as `BuildError`.
pub(crate) fn text_err(e: radius_dict::TextError) -> PyErr {
    use radius_dict::TextError as T;
    let msg = e.to_string();
    match e {
        T::UnknownAttribute(name) => with_fields::<BuildError>(msg, &[("attribute", text(&name))]),
        T::InvalidValue { attr, .. } | T::InvalidTag(attr) | T::NotEncodable(attr) => {
            with_fields::<BuildError>(msg, &[("attribute", text(&attr))])
        }
        T::Codec { attr, source } => {
            let inner = codec(source);
            Python::attach(|py| {
                let _ = inner.value(py).setattr("attribute", attr.as_str());
            });
            inner
        }
        _ => PyErr::new::<BuildError, _>(msg),
    }
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
