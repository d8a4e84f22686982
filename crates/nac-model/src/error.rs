//! The crate's one error type.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use radius_codec::{AttrType, Code};

use crate::intent::IntentKind;
use crate::profile::IdField;
use crate::rfc5176;

/// Everything nac-model refuses: a string that is not a MAC address, a packet that is
/// not a session or a readable reply, a request a profile cannot plan, a cOS Core user
/// or a ClearPass request the other side would refuse.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    // ---- MAC addresses ------------------------------------------------------------
    /// Empty MAC address.
    #[error("empty MAC address")]
    MacEmpty,
    /// Longer than any MAC spelling (17 characters).
    #[error("MAC address too long ({len} characters, at most 17)")]
    MacTooLong {
        /// Input length in bytes.
        len: usize,
    },
    /// A character that is neither a hex digit nor the separator of this spelling.
    #[error("invalid character {ch:?} at position {position} of MAC address")]
    MacInvalidCharacter {
        /// 0-based byte position.
        position: usize,
        /// The character.
        ch: char,
    },
    /// The groups do not form one of the known spellings (6x2, 3x4 with `.`, 2x6, 1x12),
    /// or separators are mixed.
    #[error("MAC address groups do not form a known spelling (aa:bb:cc:dd:ee:ff, aabb.ccdd.eeff, aabbcc-ddeeff or aabbccddeeff)")]
    MacBadGrouping,

    // ---- sessions and replies -----------------------------------------------------
    /// Only Access-Request and Accounting-Request describe a session.
    #[error("a {0} does not describe a session (need Access-Request or Accounting-Request)")]
    WrongCode(Code),
    /// An identification attribute that must be text is not UTF-8.
    #[error("attribute {0} is not valid UTF-8 text")]
    NotText(AttrType),
    /// An attribute value has the wrong length for its type.
    #[error("attribute {attr}: {source}")]
    BadValue {
        /// The attribute.
        attr: AttrType,
        /// What the codec found.
        #[source]
        source: radius_codec::Error,
    },

    // ---- plans ----------------------------------------------------------------------
    /// The vendor has no recipe for this intent.
    #[error("{profile} has no recipe for {intent}")]
    Unsupported {
        /// Profile name.
        profile: Cow<'static, str>,
        /// The intent.
        intent: IntentKind,
    },
    /// The profile needs an identification attribute the session does not have.
    #[error("{profile} needs {field} to identify the session, and the session has none")]
    MissingIdentity {
        /// Profile name.
        profile: Cow<'static, str>,
        /// What is missing.
        field: IdField,
    },
    /// None of the profile's session identification attributes is known.
    #[error("{profile}: the session has none of the attributes this NAS identifies sessions by")]
    NoSessionIdentification {
        /// Profile name.
        profile: Cow<'static, str>,
    },
    /// Authorize-Only needs the session's State (RFC 5176 §3.2).
    #[error("Authorize-Only needs the session's State attribute (RFC 5176 §3.2)")]
    MissingState,
    /// The request would break RFC 5176 §3.6 where the profile does not allow it.
    #[error("request breaks RFC 5176 §3.6: {}", .0.first().map(ToString::to_string).unwrap_or_default())]
    NotAllowed(Vec<rfc5176::Violation>),

    // ---- cOS Core users -------------------------------------------------------------
    /// Empty user name.
    #[error("user name is empty")]
    EmptyUsername,
    /// A timeout of zero or over one month.
    #[error("{field} of {seconds} s is outside 1..={max} s (one month)", max = crate::cos_core::MAX_TIMEOUT)]
    Timeout {
        /// `session_timeout` or `idle_timeout`.
        field: &'static str,
        /// The value.
        seconds: u32,
    },
    /// A group name containing a comma (the wire separator) or empty.
    #[error("group name {0:?} is empty or contains a comma")]
    BadGroup(String),
    /// The session has no User-Name or no Framed-IP-Address.
    #[error("the session has no {0}")]
    MissingFromSession(&'static str),

    // ---- ClearPass requests ---------------------------------------------------------
    /// A session-action CoA without enforcement profiles.
    #[error("a session-action CoA needs at least one enforcement profile")]
    NoEnforcementProfile,
    /// A device create without `mac` or `role_id`.
    #[error("creating a device needs {0}")]
    MissingField(&'static str),
    /// A body did not serialize.
    #[error("body: {0}")]
    Json(JsonError),
}

/// A `serde_json` error, shared so that [`Error`] stays `Clone` and comparable (two
/// are equal when they say the same thing).
#[derive(Clone, Debug)]
pub struct JsonError(pub Arc<serde_json::Error>);

impl JsonError {
    /// The underlying `serde_json` error (line, column, category).
    #[must_use]
    pub fn inner(&self) -> &serde_json::Error {
        &self.0
    }
}

impl PartialEq for JsonError {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || self.0.to_string() == other.0.to_string()
    }
}

impl Eq for JsonError {}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Self::Json(JsonError(Arc::new(e)))
    }
}
