//! The crate's one error type.

use std::time::Duration;

use radius_stream::{CloseReason, LostReason};

/// What can go wrong in the drivers (UDP, TCP/TLS) and in reading PEM files.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A socket call failed.
    #[error("socket: {0}")]
    Io(#[from] std::io::Error),
    /// The exchange refused the request (it could not be built, or every Identifier of
    /// every allowed socket is in flight).
    #[error(transparent)]
    Codec(#[from] radius_codec::Error),
    /// A UDP client waited past every deadline without a completion.
    #[error("no completion")]
    NoCompletion,
    /// The connection state machine refused the call (a connection it closed is
    /// [`Error::Closed`], never this).
    #[error(transparent)]
    Stream(radius_stream::Error),
    /// The connection closed before it opened (TLS failure, ALPN, peer closed).
    #[error("connection closed: {0}")]
    Closed(CloseReason),
    /// The request got no reply.
    #[error("request lost: {0}")]
    Lost(LostReason),
    /// Nothing happened before the deadline.
    #[error("timed out")]
    Timeout,
    /// The last connection attempt failed; the next is allowed after this wait.
    #[error("reconnecting in {0:?} (backoff)")]
    Backoff(Duration),
    /// The TLS server name is neither a DNS name nor an IP address.
    #[error("invalid TLS server name")]
    BadServerName,
    /// A PEM file could not be read or holds no usable PEM section.
    #[error("{path}: {source}")]
    Pem {
        /// The file.
        path: String,
        /// What was wrong.
        source: rustls::pki_types::pem::Error,
    },
    /// A certificate was refused as a trust anchor.
    #[error("{path}: {source}")]
    Anchor {
        /// The file.
        path: String,
        /// What was wrong.
        source: rustls::Error,
    },
}

/// One way to say a closed connection: the state machine's `Closed(reason)` becomes
/// [`Error::Closed`], the rest [`Error::Stream`].
impl From<radius_stream::Error> for Error {
    fn from(e: radius_stream::Error) -> Self {
        match e {
            radius_stream::Error::Closed(reason) => Self::Closed(reason),
            other => Self::Stream(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closed_connection_is_said_one_way() {
        let e = Error::from(radius_stream::Error::Closed(CloseReason::Alpn));
        assert!(matches!(e, Error::Closed(CloseReason::Alpn)), "{e:?}");
        let e = Error::from(radius_stream::Error::IdentifiersExhausted);
        assert!(
            matches!(e, Error::Stream(radius_stream::Error::IdentifiersExhausted)),
            "{e:?}"
        );
    }
}
