//! # radius-stream
//!
//! RADIUS over TCP (RFC 6613) and TLS (RadSec, RFC 6614), with RFC 7930's larger
//! packets and RADIUS/1.1 (RFC 9765, negotiated with ALPN), **sans-I/O**: no sockets,
//! clocks or random numbers inside. A driver (such as `nacwire-io`) feeds received
//! bytes, the time and timer expiries into a [`Connection`] and writes out what it
//! produces.
//!
//! - [`Deframer`]: packets out of a byte stream (`bytes::BytesMut`); needing more
//!   bytes is `Ok(None)`, a bad Length is an error (the connection must close).
//! - [`Connection`]: one connection with RFC 6613's rules: identifiers per connection
//!   (Identifier 0 reserved for the Status-Server watchdog, §2.6.5; RADIUS/1.1 reserves
//!   no Token), no retransmission (§2.6.1), "silently discard" becomes "discard and
//!   close" (§2.6.4), CoA/Disconnect in either direction (RFC 6614 §2.5, NAK with
//!   Error-Cause 406 when not accepted), every lost request reported as an
//!   [`Event::Lost`].
//! - TLS through rustls's sans-I/O [`rustls::ClientConnection`] /
//!   [`rustls::ServerConnection`], with ALPN `radius/1.0` and `radius/1.1` ([`tls`]).
//!
//! `RFC-CHECK.md` (beside this crate's `Cargo.toml`) lists each RFC 9765 and
//! RFC 6613/6614/7930 rule and where it is handled.
//!
//! ```
//! use std::time::Instant;
//! use radius_codec::{AttrType, Code, PacketBuilder, SharedSecret};
//! use radius_stream::{Connection, Event, Settings};
//!
//! // A client and a server over plain TCP, bytes moved by hand.
//! let now = Instant::now();
//! let mut client = Connection::tcp_client(Settings::new(SharedSecret::from("s")), 1);
//! let mut server = Connection::tcp_server(Settings::new(SharedSecret::from("s")));
//! let handle = client.send_request(now, |id, _version, _secret| {
//!     let mut b = PacketBuilder::accounting_request(id);
//!     b.add(AttrType::USER_NAME, b"bob")?;
//!     Ok(b)
//! })?;
//! let mut wire = Vec::new();
//! client.poll_transmit(&mut wire);
//! server.receive(&wire, now)?;
//! assert!(matches!(server.poll_event(), Some(Event::Connected { .. })));
//! let Some(Event::Request { packet, .. }) = server.poll_event() else { unreachable!() };
//! let request = radius_codec::Packet::new_checked_with(&packet[..], &radius_codec::DecodeOptions::TCP)?;
//! server.reply(&request, PacketBuilder::reply_to(&request, Code::AccountingResponse))?;
//! wire.clear();
//! server.poll_transmit(&mut wire);
//! client.receive(&wire, now)?;
//! assert!(matches!(client.poll_event(), Some(Event::Connected { .. })));
//! assert!(matches!(client.poll_event(), Some(Event::Reply { handle: h, .. }) if h == handle));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(
    test,
    allow(
        clippy::indexing_slicing,
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic
    )
)]

mod connection;
mod deframe;
mod error;
mod secrets;
pub mod tls;

pub use connection::{
    CloseReason, Connection, Event, LostReason, RequestHandle, Settings, Version, WATCHDOG_KEY,
};
pub use deframe::Deframer;
pub use error::{Error, FrameError};
pub use secrets::{Secrets, Transport, DEFAULT_TLS_SECRET};

#[cfg(test)]
mod review_s13;
#[cfg(test)]
mod tests;
