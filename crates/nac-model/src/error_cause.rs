//! Error-Cause (RFC 5176 §3.5, RFC 7930): why a NAS answered ACK or NAK.

use std::fmt;

/// An Error-Cause value (attribute 101). Open: values this crate does not name are
/// kept and shown by number.
///
/// Names are FreeRADIUS' dictionary spellings, so logs read the same as `radclient`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ErrorCause(pub u32);

/// The class of an Error-Cause, from its range (RFC 5176 §3.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorClass {
    /// 2xx: success, allowed in ACKs only.
    Success,
    /// 4xx: fatal error by the client (DAC): the request was wrong; do not resend it as is.
    ClientError,
    /// 5xx: fatal error at the NAS (DAS).
    ServerError,
    /// 0-199, 300-399 and 600 up except the values defined later (601): reserved.
    Reserved,
}

macro_rules! causes {
    ($( $(#[$m:meta])* $konst:ident = $v:literal => $name:literal, $text:literal; )*) => {
        impl ErrorCause {
            $( $(#[$m])* pub const $konst: Self = Self($v); )*

            /// Every named value, in numeric order.
            pub const ALL: &'static [Self] = &[$( Self::$konst ),*];

            /// FreeRADIUS' name (`Session-Context-Not-Found`), if known.
            #[must_use]
            pub const fn name(self) -> Option<&'static str> {
                match self.0 { $( $v => Some($name), )* _ => None }
            }

            /// The RFC's description ("Session Context Not Found"), if known.
            #[must_use]
            pub const fn description(self) -> Option<&'static str> {
                match self.0 { $( $v => Some($text), )* _ => None }
            }

            /// The value for a FreeRADIUS name (case-insensitive) or a decimal number.
            #[must_use]
            pub fn from_name(name: &str) -> Option<Self> {
                $( if name.eq_ignore_ascii_case($name) { return Some(Self::$konst); } )*
                name.parse().ok().map(Self)
            }
        }
    };
}

causes! {
    /// 201: the session was already gone; residual context was removed (Disconnect-ACK).
    RESIDUAL_CONTEXT_REMOVED = 201 => "Residual-Context-Removed", "Residual Session Context Removed";
    /// 202: must not be sent by RFC 5176 implementations.
    INVALID_EAP_PACKET = 202 => "Invalid-EAP-Packet", "Invalid EAP Packet (Ignored)";
    /// 401: an attribute (or VSA) the NAS does not support.
    UNSUPPORTED_ATTRIBUTE = 401 => "Unsupported-Attribute", "Unsupported Attribute";
    /// 402: NAS or session identification (or State for Authorize-Only) is missing.
    MISSING_ATTRIBUTE = 402 => "Missing-Attribute", "Missing Attribute";
    /// 403: NAS-IP-Address / NAS-Identifier / NAS-IPv6-Address do not match the NAS.
    NAS_IDENTIFICATION_MISMATCH = 403 => "NAS-Identification-Mismatch", "NAS Identification Mismatch";
    /// 404: some other part of the request is malformed.
    INVALID_REQUEST = 404 => "Invalid-Request", "Invalid Request";
    /// 405: an unsupported Service-Type value.
    UNSUPPORTED_SERVICE = 405 => "Unsupported-Service", "Unsupported Service";
    /// 406: unsupported extension (typically a proxy got ICMP port unreachable).
    UNSUPPORTED_EXTENSION = 406 => "Unsupported-Extension", "Unsupported Extension";
    /// 407: an attribute value the NAS does not support.
    INVALID_ATTRIBUTE_VALUE = 407 => "Invalid-Attribute-Value", "Invalid Attribute Value";
    /// 501: the NAS is configured to refuse dynamic authorization for this session.
    ADMINISTRATIVELY_PROHIBITED = 501 => "Administratively-Prohibited", "Administratively Prohibited";
    /// 502: a proxy could not route the request (RFC 8559: unknown realm).
    REQUEST_NOT_ROUTABLE = 502 => "Proxy-Request-Not-Routable", "Request Not Routable (Proxy)";
    /// 503: no session matched the identification attributes.
    SESSION_CONTEXT_NOT_FOUND = 503 => "Session-Context-Not-Found", "Session Context Not Found";
    /// 504: the session cannot be removed (Disconnect-NAK).
    SESSION_CONTEXT_NOT_REMOVABLE = 504 => "Session-Context-Not-Removable", "Session Context Not Removable";
    /// 505: some other proxy processing error.
    OTHER_PROXY_PROCESSING_ERROR = 505 => "Proxy-Processing-Error", "Other Proxy Processing Error";
    /// 506: the NAS lacks resources right now.
    RESOURCES_UNAVAILABLE = 506 => "Resources-Unavailable", "Resources Unavailable";
    /// 507: Authorize-Only accepted: the NAS will send an Access-Request (CoA-NAK).
    REQUEST_INITIATED = 507 => "Request-Initiated", "Request Initiated";
    /// 508: several sessions matched and the NAS cannot act on more than one.
    MULTIPLE_SESSION_SELECTION_UNSUPPORTED = 508 => "Multiple-Session-Selection-Unsupported", "Multiple Session Selection Unsupported";
    /// 601: the response would be too big (RFC 7930 §4).
    RESPONSE_TOO_BIG = 601 => "Response-Too-Big", "Response Too Big";
}

impl ErrorCause {
    /// The class from the value's range.
    #[must_use]
    pub const fn class(self) -> ErrorClass {
        match self.0 {
            200..=299 => ErrorClass::Success,
            400..=499 => ErrorClass::ClientError,
            500..=599 => ErrorClass::ServerError,
            // RFC 7930 allocates 601 as an error of the responder.
            601 => ErrorClass::ServerError,
            _ => ErrorClass::Reserved,
        }
    }

    /// Whether sending the same request later may succeed: the NAS lacked resources
    /// (506) or a proxy failed (505); not for anything the client got wrong.
    #[must_use]
    pub const fn is_retryable(self) -> bool {
        matches!(self.0, 505 | 506)
    }
}

impl fmt::Display for ErrorCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(n) => f.write_str(n),
            None => write!(f, "{}", self.0),
        }
    }
}

impl fmt::Debug for ErrorCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(n) => write!(f, "{n}({})", self.0),
            None => write!(f, "ErrorCause({})", self.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The RFC 5176 §3.5 table and RFC 7930 §4, number by number.
    #[test]
    fn rfc_table() {
        let table: [(u32, &str); 18] = [
            (201, "Residual Session Context Removed"),
            (202, "Invalid EAP Packet (Ignored)"),
            (401, "Unsupported Attribute"),
            (402, "Missing Attribute"),
            (403, "NAS Identification Mismatch"),
            (404, "Invalid Request"),
            (405, "Unsupported Service"),
            (406, "Unsupported Extension"),
            (407, "Invalid Attribute Value"),
            (501, "Administratively Prohibited"),
            (502, "Request Not Routable (Proxy)"),
            (503, "Session Context Not Found"),
            (504, "Session Context Not Removable"),
            (505, "Other Proxy Processing Error"),
            (506, "Resources Unavailable"),
            (507, "Request Initiated"),
            (508, "Multiple Session Selection Unsupported"),
            (601, "Response Too Big"),
        ];
        assert_eq!(ErrorCause::ALL.len(), table.len());
        for (n, text) in table {
            let c = ErrorCause(n);
            assert_eq!(c.description(), Some(text));
            assert_eq!(ErrorCause::from_name(c.name().unwrap()), Some(c));
        }
        assert_eq!(ErrorCause(201).class(), ErrorClass::Success);
        assert_eq!(ErrorCause(404).class(), ErrorClass::ClientError);
        assert_eq!(ErrorCause(508).class(), ErrorClass::ServerError);
        assert_eq!(ErrorCause(301).class(), ErrorClass::Reserved);
        assert_eq!(ErrorCause(9999).to_string(), "9999");
        assert_eq!(
            ErrorCause::from_name("503"),
            Some(ErrorCause::SESSION_CONTEXT_NOT_FOUND)
        );
        assert_eq!(format!("{:?}", ErrorCause(503)), "Session-Context-Not-Found(503)");
    }
}
