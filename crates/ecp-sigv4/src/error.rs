//! The crate's error type: one variant per thing an operator needs to be told.

/// Why a URL could not be verified, parsed or signed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The URL is longer than the configured cap.
    #[error("URL is {len} octets, more than the {max} allowed")]
    UrlTooLong {
        /// Its length.
        len: usize,
        /// The cap.
        max: usize,
    },
    /// The URL is not `http(s)://host[:port][/path][?query][#fragment]`.
    #[error("malformed URL: {reason}")]
    InvalidUrl {
        /// What is wrong.
        reason: &'static str,
    },
    /// A `%` is not followed by two hex digits.
    #[error("malformed percent-encoding in {value:?}")]
    BadPercentEncoding {
        /// The offending text (at most 64 characters).
        value: String,
    },
    /// A required query parameter is missing.
    #[error("missing required parameter {0}")]
    MissingParameter(&'static str),
    /// A query parameter appears more than once.
    #[error("parameter {name:?} appears more than once")]
    DuplicateParameter {
        /// Its name as received (at most 64 characters).
        name: String,
    },
    /// An `X-Amz-*` parameter name is percent-encoded (a smuggling attempt).
    #[error("percent-encoded X-Amz parameter name {name:?}")]
    EncodedAmzName {
        /// The name as received (at most 64 characters).
        name: String,
    },
    /// `X-Amz-Algorithm` is not `AWS4-HMAC-SHA256`.
    #[error("unsupported X-Amz-Algorithm {0:?}")]
    WrongAlgorithm(String),
    /// `X-Amz-Credential` is not `<identity>/<YYYYMMDD>/<region>/<service>/aws4_request`.
    #[error("malformed X-Amz-Credential")]
    BadCredential,
    /// The credential's region is not the expected one (`world` for ECP).
    #[error("credential region {got:?}, expected {expected:?}")]
    WrongRegion {
        /// The region in the credential.
        got: String,
        /// The expected region.
        expected: &'static str,
    },
    /// The credential's service is not the expected one (`ecp`).
    #[error("credential service {got:?}, expected {expected:?}")]
    WrongService {
        /// The service in the credential.
        got: String,
        /// The expected service.
        expected: &'static str,
    },
    /// The credential scope does not end in `aws4_request`.
    #[error("credential terminator {0:?}, expected \"aws4_request\"")]
    WrongTerminator(String),
    /// The credential's date is not the date of `X-Amz-Date`.
    #[error("credential date {credential} differs from X-Amz-Date {amz_date}")]
    CredentialDateMismatch {
        /// `YYYYMMDD` from the credential.
        credential: String,
        /// `X-Amz-Date`.
        amz_date: String,
    },
    /// `X-Amz-Date` is not a valid `YYYYMMDDThhmmssZ`.
    #[error("malformed X-Amz-Date {value:?}")]
    BadDate {
        /// The value (at most 32 characters).
        value: String,
    },
    /// `X-Amz-Expires` is not a decimal number of seconds.
    #[error("malformed X-Amz-Expires {0:?}")]
    BadExpires(String),
    /// `X-Amz-Expires` is longer than the configured cap.
    #[error("X-Amz-Expires of {expires} s exceeds the {max} s allowed")]
    ExpiresTooLong {
        /// The value.
        expires: u64,
        /// The cap.
        max: u64,
    },
    /// `X-Amz-SignedHeaders` is not `host`.
    #[error("X-Amz-SignedHeaders must be \"host\", got {0:?}")]
    WrongSignedHeaders(String),
    /// `now` is before `X-Amz-Date - max_future_skew` (clock skew, or a URL from the future).
    #[error("not yet valid: signed {secs_early} s in the future (check clocks / NTP)")]
    NotYetValid {
        /// Seconds beyond the allowed skew.
        secs_early: i64,
    },
    /// `now` is after `X-Amz-Date + X-Amz-Expires + grace` (stale or bookmarked URL).
    #[error("expired {secs_late} s ago (stale or bookmarked URL)")]
    Expired {
        /// Seconds past the end of validity.
        secs_late: i64,
    },
    /// The identity in the credential is not configured.
    #[error("unknown identity {0:?}")]
    UnknownIdentity(String),
    /// `X-Amz-Signature` is not 64 hex digits.
    #[error("X-Amz-Signature must be 64 hex digits, got {len} characters")]
    BadSignatureFormat {
        /// Its length in characters (not octets).
        len: usize,
    },
    /// The signature does not match with any configured secret for the identity.
    #[error(
        "signature does not match: either the shared secret differs from the controller's, \
         or the URL checked is not the one signed. Usual causes: the portal URL configured \
         here (scheme, host, port, path) differs from the ECP URL set on the controller; \
         the URL was rebuilt from a Host header; a proxy or web framework re-encoded the \
         query (verify the raw query bytes, or enable Verifier::reserialized_query_fallback)"
    )]
    BadSignature,
    /// The URL has no `X-Amz-*` parameter at all: the controller is not signing.
    #[error(
        "the redirect is not signed (no X-Amz-* parameters): set the Identity and Shared \
         Secret in the WLAN's external captive portal settings on the controller, or read \
         unsigned redirects with parse_unsigned"
    )]
    NotSigned,
    /// A parameter's value is not UTF-8 text after percent-decoding.
    #[error("parameter {param:?} is not UTF-8 text after percent-decoding")]
    NotUtf8 {
        /// The parameter (at most 64 characters).
        param: String,
    },
    /// A host to sign for is empty or not a hostname or an IP literal.
    #[error("host {host:?} is not a hostname or an IP address literal")]
    InvalidHost {
        /// The host as given (at most 64 characters).
        host: String,
    },
    /// A caller's parameter uses a name the signature itself needs (`X-Amz-*`).
    #[error("parameter name {name:?} is reserved for the signature (X-Amz-*)")]
    ReservedParameter {
        /// The name as given (at most 64 characters).
        name: String,
    },
    /// `hwc_ip` is not one of the controllers the portal is configured for.
    #[error("hwc_ip {hwc_ip:?} is not an allowed controller address")]
    ControllerNotAllowed {
        /// The value received (at most 64 characters).
        hwc_ip: String,
    },
    /// A parameter's value is invalid for its type.
    #[error("invalid {param}: {reason}")]
    InvalidValue {
        /// The parameter.
        param: String,
        /// What is wrong.
        reason: &'static str,
    },
}

/// At most 64 characters of `s`, for error messages.
pub(crate) fn clip(s: &str) -> String {
    s.chars().take(64).collect()
}
