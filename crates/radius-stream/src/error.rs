//! The crate's error types.

/// Why a byte stream cannot be split into packets. Any of these closes the connection
/// (RFC 6613 §2.6.4: a malformed packet means the stream is out of step).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FrameError {
    /// The Length field is below 20 or above the connection's maximum (65535 over
    /// streams, RFC 7930).
    #[error("packet Length {length} is outside 20..={max}")]
    BadLength {
        /// The Length field.
        length: usize,
        /// The maximum accepted.
        max: usize,
    },
    /// A whole packet arrived but does not validate.
    #[error("malformed packet: {0}")]
    Malformed(radius_codec::Error),
}

/// Errors of [`crate::Connection`] calls.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The stream could not be framed; the connection is closed.
    #[error(transparent)]
    Frame(#[from] FrameError),
    /// TLS failed (handshake, certificate, alert); the connection is closed.
    #[error("TLS: {0}")]
    Tls(#[from] rustls::Error),
    /// The request could not be built.
    #[error("building the packet: {0}")]
    Codec(#[from] radius_codec::Error),
    /// The connection is not (yet, or any more) open for requests.
    #[error("the connection is not open (handshake in progress or closed)")]
    NotOpen,
    /// What was received closed the connection for this reason (ALPN gave no usable
    /// version, a reply matched no request); the same reason is in the
    /// [`crate::Event::Closed`] queued.
    #[error("the connection closed: {0}")]
    Closed(crate::CloseReason),
    /// Every identifier (or Token) of the connection is in flight.
    #[error("all identifiers of the connection are in flight")]
    IdentifiersExhausted,
    /// The built packet is not a request.
    #[error("the built packet is a {0}, not a request")]
    NotARequest(radius_codec::Code),
    /// [`crate::Connection::reply`] was given a packet that is not a request.
    #[error("the packet to reply to is not a request")]
    NotAReply,
}
