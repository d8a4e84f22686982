//! # nacwire-io
//!
//! Socket drivers around nacwire's sans-I/O state machines: RADIUS over TCP and TLS
//! (RadSec, RFC 6613/6614, RADIUS/1.1 by ALPN) with blocking `std` sockets. UDP drivers
//! join them here.
//!
//! - [`stream::StreamClient`]: one connection to a server, reused across requests,
//!   re-opened with exponential backoff after it closes; requests pipelined; every
//!   request ends in a reply or a [`stream::Completion::Lost`].
//! - [`stream::StreamServer`]: accepts TCP or TLS connections, one thread each, and
//!   answers requests with a handler; secrets by peer address and transport.
//! - `tokio_stream::AsyncStreamClient` (feature `tokio`): the same client, async.
//! - [`udp::UdpClient`] and [`udp::UdpServer`]: RADIUS over UDP around the sans-I/O
//!   exchange (source-port pool past 256 in flight, RFC 5080 timers) and duplicate
//!   cache; with the `tokio` feature, `udp_tokio::AsyncUdpClient` and
//!   `udp_tokio::AsyncUdpServer` (example: `coa_responder`).
//! - [`pem`]: certificates and keys from PEM files for the TLS configurations of
//!   [`radius_stream::tls`].
//!
//! ```no_run
//! use nacwire_io::stream::{Connector, StreamClient};
//! use radius_codec::{AttrType, PacketBuilder};
//! use radius_stream::tls::{client_config, Alpn, TlsVersions};
//! use radius_stream::Settings;
//!
//! let roots = nacwire_io::pem::roots("ca.pem")?;
//! let id = nacwire_io::pem::identity("client.pem", "client.key")?;
//! let config = client_config(roots, Some(id), Alpn::Allow, TlsVersions::Tls12And13)?;
//! let connector = Connector::tls(config, "radius.example.net")?;
//! let mut client = StreamClient::new("192.0.2.1:2083".parse()?, connector, Settings::tls());
//! let reply = client.request(|id, _version, _secret| {
//!     let mut b = PacketBuilder::accounting_request(id);
//!     b.add(AttrType::USER_NAME, b"bob")?;
//!     Ok(b)
//! })?;
//! println!("{:?}", radius_codec::Packet::new_checked(&reply[..])?.code());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod error;
pub mod pem;
pub mod stream;
#[cfg(feature = "tokio")]
pub mod tokio_stream;
pub mod udp;
#[cfg(feature = "tokio")]
pub mod udp_tokio;

pub use error::Error;
pub use radius_stream;
