//! # radius-codec
//!
//! A complete RADIUS wire codec: every packet kind (Access, Accounting, Status-Server,
//! CoA/Disconnect per RFC 5176), every attribute format (Vendor-Specific in every vendor
//! format, RFC 6929 extended, long-extended, EVS and TLVs, RFC 2868 tags, concat),
//! every FreeRADIUS 3.2 data type, all hidden-value schemes, CHAP, all authenticators
//! and Message-Authenticator with BlastRADIUS-safe defaults.
//!
//! - **Zero-copy**: [`Packet`] is a view over your buffer; attribute values are slices.
//! - **Sans-I/O**: no sockets, clocks or random numbers inside. Random authenticators,
//!   salts and `now` are arguments; [`exchange`] is a state machine you drive.
//! - **Validate once, then never panic**: [`Packet::new_checked`] checks everything;
//!   afterwards accessors and iterators are infallible. Fuzzed. As in FreeRADIUS 3.2,
//!   a Vendor-Specific or RFC 6929 extended attribute whose structure does not parse
//!   does not make the packet invalid: it is kept as a raw attribute
//!   ([`AddrValue::is_malformed`]); opt in to refusing it with
//!   [`DecodeOptions::strict_vsa`] and [`DecodeOptions::strict_extended`].
//! - **Secure by default**: Message-Authenticator first in Access-Request,
//!   Status-Server and Access-* replies; replies always verified; Proxy-State echoed and
//!   checked; [`ServerPolicy`] and [`ReplyPolicy`] follow FreeRADIUS 3.2.5+.
//!
//! - **One structural reader**: [`Packet::addressed`] yields every attribute as an
//!   [`AttrAddr`] and its value octets, in wire order: Vendor-Specific split in each
//!   vendor's format, WiMAX continuations and long-extended fragments joined, EVS split,
//!   nothing dropped; [`AddrValue::decode`] gives the typed [`Value`]. Its counterpart
//!   for building is [`PacketBuilder::add_at`].
//!
//! Names (`User-Name`, `Cisco-AVPair`) live in dictionaries: see the `radius-dict`
//! crate, which names and formats what [`Packet::addressed`] reads. This crate works
//! on numbers.
//!
//! ```
//! use radius_codec::{AttrType, Code, DataType, Packet, PacketBuilder, SharedSecret, Value};
//!
//! let secret = SharedSecret::from("testing123");
//! // Client: a PAP Access-Request (the authenticator comes from your CSPRNG).
//! let mut req = PacketBuilder::access_request(1, [7; 16]);
//! req.add(AttrType::USER_NAME, b"bob")?
//!     .add_user_password(&secret, b"hello")?
//!     .add_value(AttrType::NAS_PORT, &Value::Integer(3))?;
//! let req_bytes = req.finish(&secret)?;
//!
//! // Server: validate, verify, read, answer.
//! let request = Packet::new_checked(&req_bytes[..])?;
//! request.verify_request(&secret)?;
//! assert!(request.message_authenticator().is_some()); // first, by default
//! let pw = request.first(AttrType::USER_PASSWORD).unwrap();
//! let clear = radius_codec::crypto::unhide_user_password(pw.value(), &secret, &request.authenticator())?;
//! assert_eq!(clear, b"hello");
//! let mut reply = PacketBuilder::reply_to(&request, Code::AccessAccept);
//! reply.add_value(AttrType::SESSION_TIMEOUT, &Value::Integer(3600))?;
//! let reply_bytes = reply.finish(&secret)?;
//!
//! // Client: verify the reply against the request.
//! let reply = Packet::new_checked(&reply_bytes[..])?;
//! assert!(reply.verify_reply(&request, &secret)?); // true: it carried Message-Authenticator
//! let timeout = reply.first(AttrType::SESSION_TIMEOUT).unwrap().decode(DataType::Integer)?;
//! assert_eq!(timeout, Value::Integer(3600));
//! # Ok::<(), radius_codec::Error>(())
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

mod addr;
mod addressed;
mod auth;
mod builder;
pub mod crypto;
mod error;
pub mod exchange;
pub mod extended;
mod packet;
pub mod radius11;
mod reader;
mod types;
mod value;
pub mod vsa;

pub use addr::{AttrAddr, MAX_DEPTH};
pub use addressed::{AddrValue, Addressed};
pub use auth::{Learned, LearnedReplies, ReplyPolicy, Requirement, ServerPolicy, Signature};
pub use builder::{PacketBuilder, MAX_VALUE_LEN};
pub use crypto::SharedSecret;
pub use error::{Error, ErrorKind, Result};
pub use extended::{Evs, ExtendedAttr, Tlv, Tlvs};
pub use packet::{
    Attribute, Attributes, BuiltinFormats, DecodeOptions, ExtendedAttrs, Packet, VendorFormats, HEADER_LEN,
    MAX_PACKET_LEN, MAX_PACKET_LEN_TCP,
};
pub use types::{AttrType, AuthenticatorKind, Code, VendorId};
pub use value::{encode_tagged, split_tag, DataType, Value};
pub use vsa::{VendorAttr, VendorFormat, Vsa};

#[cfg(test)]
mod malformed;
#[cfg(test)]
mod proptests;
#[cfg(test)]
mod rfc_vectors;
