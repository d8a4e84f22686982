//! HTTP requests described as data: method, path, query and body, for any HTTP
//! client to perform. nac-model does no I/O.

use std::fmt;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// HTTP method.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    /// Upper-case name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Patch => "PATCH",
            Self::Delete => "DELETE",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A request body. Its `Debug` prints the content type and length, never the bytes:
/// bodies carry credentials (a guest device's `password`) and custom fields.
#[derive(Clone, PartialEq, Eq)]
pub struct Body {
    /// `Content-Type` header value.
    pub content_type: &'static str,
    /// The bytes.
    pub bytes: Vec<u8>,
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Body")
            .field("content_type", &self.content_type)
            .field("len", &self.bytes.len())
            .finish_non_exhaustive()
    }
}

/// `application/json`.
pub const JSON: &str = "application/json";
/// `application/x-www-form-urlencoded`.
pub const FORM: &str = "application/x-www-form-urlencoded";

/// A request to perform. `Debug` shows the method, path and query, and the body's
/// type and length only (see [`Body`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpRequest {
    /// Method.
    pub method: Method,
    /// Path, already percent-encoded (`/api/endpoint/mac-address/005056894ae2`).
    pub path: String,
    /// Query parameters, not encoded.
    pub query: Vec<(String, String)>,
    /// Body, if any.
    pub body: Option<Body>,
}

/// Unreserved characters (RFC 3986) plus `,` stay as they are.
const QUERY: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b',');

/// Percent-encodes one query or form component.
#[must_use]
pub fn encode_component(s: &str) -> String {
    utf8_percent_encode(s, QUERY).to_string()
}

/// `k1=v1&k2=v2`, each side percent-encoded (form bodies and query strings).
#[must_use]
pub fn encode_pairs(pairs: &[(String, String)]) -> String {
    let mut out = String::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(&encode_component(k));
        out.push('=');
        out.push_str(&encode_component(v));
    }
    out
}

impl HttpRequest {
    pub(crate) fn new(method: Method, path: impl Into<String>) -> Self {
        Self {
            method,
            path: path.into(),
            query: Vec::new(),
            body: None,
        }
    }

    pub(crate) fn param(mut self, k: &str, v: impl Into<String>) -> Self {
        self.query.push((k.to_owned(), v.into()));
        self
    }

    pub(crate) fn json<T: serde::Serialize>(mut self, body: &T) -> Result<Self, serde_json::Error> {
        self.body = Some(Body {
            content_type: JSON,
            bytes: serde_json::to_vec(body)?,
        });
        Ok(self)
    }

    /// Path and encoded query: `/api/oper/userauth?ip=192.0.2.1`.
    #[must_use]
    pub fn path_and_query(&self) -> String {
        if self.query.is_empty() {
            return self.path.clone();
        }
        format!("{}?{}", self.path, encode_pairs(&self.query))
    }

    /// The body as text (JSON and form bodies are UTF-8).
    #[must_use]
    pub fn body_text(&self) -> Option<&str> {
        self.body
            .as_ref()
            .and_then(|b| std::str::from_utf8(&b.bytes).ok())
    }
}

impl fmt::Display for HttpRequest {
    /// `METHOD /path?query (N-byte type body)`, for logs: bodies can hold
    /// credentials (a guest device's password), so they are not printed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path_and_query())?;
        if let Some(b) = &self.body {
            write!(f, " ({}-byte {} body)", b.bytes.len(), b.content_type)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// Issue: `Debug` printed request bodies byte by byte, a guest's password included.
    #[test]
    fn debug_does_not_print_bodies() {
        let body = serde_json::json!({
            "mac": "00-50-56-89-4a-e2",
            "password": "hunter2",
            "my_custom_field": "private-note",
        });
        let r = HttpRequest::new(Method::Post, "/api/device")
            .param("change_of_authorization", "true")
            .json(&body)
            .unwrap();
        let debug = format!("{r:?} {:?} {r:#?}", r.body);
        for secret in ["hunter2", "private-note", "104, 117, 110"] {
            assert!(!debug.contains(secret), "{secret} in {debug}");
        }
        let len = r.body.as_ref().unwrap().bytes.len();
        assert!(debug.contains(&format!("len: {len}")), "{debug}");
        assert!(debug.contains("/api/device") && debug.contains("change_of_authorization"));
    }
}
