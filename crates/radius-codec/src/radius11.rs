//! RADIUS/1.1 (RFC 9765) packets and the RFC 7930 Protocol-Error reply.
//!
//! RADIUS/1.1 is negotiated with TLS ALPN ([`ALPN_RADIUS_1_1`], TLS 1.3 only, RFC 9765
//! §3.4). On such a connection the header changes meaning (RFC 9765 §4.1):
//!
//! ```text
//!  Code | Reserved-1 (the old Identifier, 0) | Length | Token (4) | Reserved-2 (12 zeros)
//! ```
//!
//! - Reserved-1 and Reserved-2 are sent as zeros and ignored on receipt; requests and
//!   replies are matched by the 4-octet Token instead (a reply carries its request's
//!   Token), so more than 256 requests can be in flight.
//! - There is no MD5: no Request/Response Authenticator, no shared secret, no
//!   Message-Authenticator (never sent, ignored on receipt, §5.2), no
//!   Original-Packet-Code (§5.5), and attributes that were obfuscated (User-Password,
//!   Tunnel-Password, ...) are sent as plain values (§5.1): add them with
//!   [`PacketBuilder::add`], not [`PacketBuilder::add_user_password`].
//! - [`PacketBuilder::finish_radius11`] enforces the sender's rules of §5.1.1 and §5.1.2:
//!   a User-Password of 1 to 128 octets, and CHAP-Password only with a CHAP-Challenge
//!   (there is no Request Authenticator to use as the challenge).
//!
//! ```
//! use radius_codec::{AttrType, Code, Packet, PacketBuilder};
//! let mut req = PacketBuilder::new(Code::AccessRequest, 0, [0; 16]);
//! req.add(AttrType::USER_NAME, b"bob")?.add(AttrType::USER_PASSWORD, b"hello")?;
//! let req = req.finish_radius11(0x0102_0304)?;
//! let req = Packet::new_checked(&req[..])?;
//! assert_eq!(req.token(), 0x0102_0304);
//! assert!(req.message_authenticator().is_none());
//! let reply = PacketBuilder::reply_to(&req, Code::AccessAccept).finish_radius11(req.token())?;
//! Packet::new_checked(&reply[..])?.verify_reply_radius11(&req)?;
//! # Ok::<(), radius_codec::Error>(())
//! ```

use crate::auth::AUTH_RANGE;
use crate::crypto::MAX_USER_PASSWORD;
use crate::packet::Packet;
use crate::{AttrType, Code, DataType, Error, PacketBuilder, Result, Value};

/// ALPN protocol name of RADIUS/TLS as in RFC 6614 (RFC 9765 §3.1).
pub const ALPN_RADIUS_1_0: &[u8] = b"radius/1.0";
/// ALPN protocol name of RADIUS/1.1 (RFC 9765 §3.1).
pub const ALPN_RADIUS_1_1: &[u8] = b"radius/1.1";

/// Error-Cause 406, "Unsupported Extension" (RFC 5176 §3.5): what a RadSec server that
/// does not accept CoA/Disconnect over the connection answers (RFC 6614 §2.5).
pub const ERROR_CAUSE_UNSUPPORTED_EXTENSION: u32 = 406;
/// Error-Cause 601, "Response Too Big" (RFC 7930 §4).
pub const ERROR_CAUSE_RESPONSE_TOO_BIG: u32 = 601;
/// Extended-Type 3 of Extended-Attribute-1: Response-Length (241.3, RFC 7930 §3.1).
pub const RESPONSE_LENGTH_EXT_TYPE: u8 = 3;
/// Extended-Type 4 of Extended-Attribute-1: Original-Packet-Code (241.4, RFC 7930; RFC 9765
/// §5.5 cites its definition as RFC 7930 §4). Never sent over RADIUS/1.1.
pub const ORIGINAL_PACKET_CODE_EXT_TYPE: u8 = 4;

impl<T: AsRef<[u8]>> Packet<T> {
    /// The RADIUS/1.1 Token: the first four octets of the Authenticator field.
    pub fn token(&self) -> u32 {
        let a = self.authenticator();
        u32::from_be_bytes([a[0], a[1], a[2], a[3]])
    }

    /// Verifies a RADIUS/1.1 reply against its request (RFC 9765): the code pairing,
    /// the Token, and that every Proxy-State in the reply was sent in the request. The
    /// Identifier (Reserved-1), Reserved-2 and any Message-Authenticator are ignored,
    /// as the RFC says they are on receipt.
    pub fn verify_reply_radius11<U: AsRef<[u8]>>(&self, request: &Packet<U>) -> Result<()> {
        let (req_code, code) = (request.code(), self.code());
        if !req_code.accepts_reply(code) {
            return Err(Error::UnexpectedReply {
                request: req_code,
                reply: code,
            });
        }
        if request.token() != self.token() {
            return Err(Error::TokenMismatch {
                expected: request.token(),
                got: self.token(),
            });
        }
        let (req, reply) = (request.view(), self.view());
        for ps in reply.all(AttrType::PROXY_STATE) {
            if !req.all(AttrType::PROXY_STATE).any(|r| r.value() == ps.value()) {
                return Err(Error::UnexpectedProxyState);
            }
        }
        Ok(())
    }

    /// Checks the CHAP-Password of a RADIUS/1.1 Access-Request against the clear-text
    /// password. Unlike [`Packet::verify_chap_password`], the challenge must be a
    /// CHAP-Challenge attribute ([`Error::MissingAttribute`] otherwise): over RADIUS/1.1
    /// the Authenticator field holds the Token and zeros, not a random challenge
    /// (RFC 9765 §5.1.2). Constant-time.
    pub fn verify_chap_password_radius11(&self, password: &[u8]) -> Result<bool> {
        if self.view().first(AttrType::CHAP_CHALLENGE).is_none() {
            return Err(Error::MissingAttribute {
                attr: AttrType::CHAP_CHALLENGE,
            });
        }
        self.verify_chap_password(password)
    }
}

impl PacketBuilder {
    /// Finishes the packet as RADIUS/1.1 (RFC 9765): Reserved-1 (Identifier) zero, the
    /// Token then twelve zero octets in the Authenticator field (§4.1), no MD5. Replies
    /// carry their request's Token.
    ///
    /// Attributes RADIUS/1.1 forbids are left out: a Message-Authenticator (one added by
    /// default is removed, §5.2) and Original-Packet-Code (241.4, added by
    /// [`PacketBuilder::protocol_error`], §5.5). An Access-Request is refused
    /// ([`Error::ValueLength`], [`Error::ValueTooLong`]) when its User-Password is empty
    /// or longer than 128 octets (§5.1.1), and ([`Error::MissingAttribute`]) when it
    /// carries CHAP-Password without CHAP-Challenge (§5.1.2).
    pub fn finish_radius11(mut self, token: u32) -> Result<Vec<u8>> {
        self.without_message_authenticator();
        let mut buf = without_original_packet_code(self.into_unsigned()?);
        check_obfuscated_attributes(&buf)?;
        if let Some(id) = buf.get_mut(1) {
            *id = 0;
        }
        let mut field = [0u8; 16];
        field[..4].copy_from_slice(&token.to_be_bytes());
        if let Some(dst) = buf.get_mut(AUTH_RANGE) {
            dst.copy_from_slice(&field);
        }
        Ok(buf)
    }

    /// A Protocol-Error reply (code 52, RFC 7930 §4) to `request`: its Identifier,
    /// Original-Packet-Code (241.4) naming the request's code, and `error_cause`
    /// (e.g. [`ERROR_CAUSE_RESPONSE_TOO_BIG`] with `response_length` set to the largest
    /// reply the requester said it accepts, Response-Length 241.3). Finish it with
    /// [`PacketBuilder::finish`] (Response Authenticator) or
    /// [`PacketBuilder::finish_radius11`] (which leaves out Original-Packet-Code and
    /// Message-Authenticator, RFC 9765 §5.5 and §5.2).
    pub fn protocol_error<T: AsRef<[u8]>>(
        request: &Packet<T>,
        error_cause: u32,
        response_length: Option<u32>,
    ) -> Result<Self> {
        let mut b = Self::reply_to(request, Code::ProtocolError).for_tcp();
        b.add_message_authenticator();
        b.add_extended(
            AttrType::EXTENDED_1,
            ORIGINAL_PACKET_CODE_EXT_TYPE,
            &u32::from(request.code().get()).to_be_bytes(),
        )?;
        if let Some(len) = response_length {
            b.add_extended(AttrType::EXTENDED_1, RESPONSE_LENGTH_EXT_TYPE, &len.to_be_bytes())?;
        }
        b.add_value(AttrType::ERROR_CAUSE, &Value::Integer(error_cause))?;
        Ok(b)
    }
}

/// The packet without its Original-Packet-Code attributes (RFC 9765 §5.5), Length fixed.
/// `buf` is a packet this crate built: well-formed attributes after the header.
fn without_original_packet_code(buf: Vec<u8>) -> Vec<u8> {
    let is_opc = |a: &[u8]| {
        a.first() == Some(&AttrType::EXTENDED_1.0) && a.get(2) == Some(&ORIGINAL_PACKET_CODE_EXT_TYPE)
    };
    let header = crate::HEADER_LEN;
    let mut attrs = buf.get(header..).unwrap_or_default();
    if !attr_chunks(attrs).any(is_opc) {
        return buf;
    }
    let mut out = buf.get(..header).unwrap_or_default().to_vec();
    while let Some((a, rest)) = split_attr(attrs) {
        if !is_opc(a) {
            out.extend_from_slice(a);
        }
        attrs = rest;
    }
    let len = (out.len() as u16).to_be_bytes();
    if let Some(dst) = out.get_mut(2..4) {
        dst.copy_from_slice(&len);
    }
    out
}

/// The first attribute of `attrs` and the rest, or `None` at the end (or on a length
/// that does not fit, which a built packet never has).
fn split_attr(attrs: &[u8]) -> Option<(&[u8], &[u8])> {
    let len = usize::from(*attrs.get(1)?);
    if len < 2 || len > attrs.len() {
        return None;
    }
    Some(attrs.split_at(len))
}

fn attr_chunks(mut attrs: &[u8]) -> impl Iterator<Item = &[u8]> {
    std::iter::from_fn(move || {
        let (a, rest) = split_attr(attrs)?;
        attrs = rest;
        Some(a)
    })
}

/// RFC 9765 §5.1.1 and §5.1.2 for an Access-Request about to be sent over RADIUS/1.1.
fn check_obfuscated_attributes(buf: &[u8]) -> Result<()> {
    let p = Packet::new_unchecked(buf);
    if p.code() != Code::AccessRequest {
        return Ok(());
    }
    for pw in p.all(AttrType::USER_PASSWORD) {
        let len = pw.value().len();
        if len == 0 {
            return Err(Error::ValueLength {
                data_type: DataType::String,
                len,
            });
        }
        if len > MAX_USER_PASSWORD {
            return Err(Error::ValueTooLong {
                attr: AttrType::USER_PASSWORD,
                len,
                max: MAX_USER_PASSWORD,
            });
        }
    }
    if p.first(AttrType::CHAP_PASSWORD).is_some() && p.first(AttrType::CHAP_CHALLENGE).is_none() {
        return Err(Error::MissingAttribute {
            attr: AttrType::CHAP_CHALLENGE,
        });
    }
    Ok(())
}

/// The Original-Packet-Code (241.4) of a Protocol-Error, if present and well formed.
pub fn original_packet_code<T: AsRef<[u8]>>(packet: &Packet<T>) -> Option<Code> {
    packet.view().extended().find_map(|a| {
        if a.attr() == AttrType::EXTENDED_1 && a.ext_type() == ORIGINAL_PACKET_CODE_EXT_TYPE {
            let v: [u8; 4] = a.data().try_into().ok()?;
            u8::try_from(u32::from_be_bytes(v)).ok().map(Code::new)
        } else {
            None
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SharedSecret;

    #[test]
    fn radius11_header_layout() {
        // RFC 9765 §4: Reserved-1 zero, Token in the first 4 octets, Reserved-2 zero.
        let mut b = PacketBuilder::access_request(77, [9; 16]);
        b.add(AttrType::USER_PASSWORD, b"hello").unwrap();
        let bytes = b.finish_radius11(0xdead_beef).unwrap();
        assert_eq!(bytes[0], 1);
        assert_eq!(bytes[1], 0);
        assert_eq!(&bytes[4..8], &[0xde, 0xad, 0xbe, 0xef]);
        assert_eq!(&bytes[8..20], &[0; 12]);
        let p = Packet::new_checked(&bytes[..]).unwrap();
        // "Message-Authenticator ... MUST NOT be sent"; the password is plain.
        assert!(p.message_authenticator().is_none());
        assert_eq!(p.first(AttrType::USER_PASSWORD).unwrap().value(), b"hello");
        assert_eq!(usize::from(p.length()), bytes.len());
    }

    #[test]
    fn radius11_reply_matches_by_token_not_identifier() {
        let req = PacketBuilder::accounting_request(5).finish_radius11(42).unwrap();
        let req = Packet::new_checked(&req[..]).unwrap();
        let reply = PacketBuilder::reply_to(&req, Code::AccountingResponse)
            .finish_radius11(42)
            .unwrap();
        Packet::new_checked(&reply[..])
            .unwrap()
            .verify_reply_radius11(&req)
            .unwrap();
        let wrong = PacketBuilder::reply_to(&req, Code::AccountingResponse)
            .finish_radius11(43)
            .unwrap();
        assert_eq!(
            Packet::new_checked(&wrong[..])
                .unwrap()
                .verify_reply_radius11(&req),
            Err(Error::TokenMismatch {
                expected: 42,
                got: 43
            })
        );
    }

    #[test]
    fn protocol_error_carries_original_code_and_cause() {
        let s = SharedSecret::from("radsec");
        let req = PacketBuilder::access_request(3, [1; 16]).finish(&s).unwrap();
        let req = Packet::new_checked(&req[..]).unwrap();
        let pe = PacketBuilder::protocol_error(&req, ERROR_CAUSE_RESPONSE_TOO_BIG, Some(4096))
            .unwrap()
            .finish(&s)
            .unwrap();
        let pe = Packet::new_checked(&pe[..]).unwrap();
        assert_eq!(pe.code(), Code::ProtocolError);
        assert!(pe.verify_reply(&req, &s).unwrap());
        assert_eq!(original_packet_code(&pe), Some(Code::AccessRequest));
        let cause = pe.first(AttrType::ERROR_CAUSE).unwrap().value();
        assert_eq!(cause, 601u32.to_be_bytes());
    }

    #[test]
    fn radius11_protocol_error_has_no_original_packet_code() {
        // RFC 9765 §5.5: Original-Packet-Code MUST NOT be sent over RADIUS/1.1 (the old
        // finish_radius11 kept the one protocol_error adds).
        let req = PacketBuilder::accounting_request(0).finish_radius11(7).unwrap();
        let req = Packet::new_checked(&req[..]).unwrap();
        let pe = PacketBuilder::protocol_error(&req, ERROR_CAUSE_RESPONSE_TOO_BIG, Some(4096))
            .unwrap()
            .finish_radius11(req.token())
            .unwrap();
        let pe = Packet::new_checked(&pe[..]).unwrap();
        assert_eq!(pe.code(), Code::ProtocolError);
        assert_eq!(original_packet_code(&pe), None);
        assert!(pe.message_authenticator().is_none());
        // The rest survives: Response-Length, Error-Cause, the Token; Length is right.
        assert_eq!(
            pe.first(AttrType::ERROR_CAUSE).unwrap().value(),
            601u32.to_be_bytes()
        );
        assert!(pe
            .view()
            .extended()
            .any(|a| a.ext_type() == RESPONSE_LENGTH_EXT_TYPE && a.data() == 4096u32.to_be_bytes()));
        assert_eq!(pe.token(), 7);
        pe.verify_reply_radius11(&req).unwrap();
    }

    #[test]
    fn radius11_chap_password_needs_chap_challenge() {
        // RFC 9765 §5.1.2: no Request Authenticator to take the challenge from.
        let mut b = PacketBuilder::access_request(0, [0; 16]);
        b.add(AttrType::CHAP_PASSWORD, &[1; 17]).unwrap();
        assert_eq!(
            b.clone().finish_radius11(1),
            Err(Error::MissingAttribute {
                attr: AttrType::CHAP_CHALLENGE
            })
        );
        b.add(AttrType::CHAP_CHALLENGE, &[2; 16]).unwrap();
        assert!(b.finish_radius11(1).is_ok());
    }

    #[test]
    fn radius11_chap_is_verified_only_with_a_chap_challenge() {
        // A CHAP response computed over the Authenticator field (Token + zeros) must
        // not verify over RADIUS/1.1: the field is no challenge there (§5.1.2).
        let token_field = {
            let mut f = [0u8; 16];
            f[..4].copy_from_slice(&9u32.to_be_bytes());
            f
        };
        let chap = |challenge: &[u8]| {
            use md5::{Digest, Md5};
            let mut h = Md5::new();
            h.update([7u8]);
            h.update(b"hello");
            h.update(challenge);
            let mut v = vec![7u8];
            v.extend_from_slice(&h.finalize());
            v
        };
        let mut b = PacketBuilder::access_request(0, [0; 16]);
        b.add(AttrType::CHAP_PASSWORD, &chap(&token_field)).unwrap();
        let mut raw = b.into_unsigned().unwrap();
        raw[4..20].copy_from_slice(&token_field);
        let p = Packet::new_checked(&raw[..]).unwrap();
        assert!(p.verify_chap_password(b"hello").unwrap()); // RADIUS/1.0 reading
        assert_eq!(
            p.verify_chap_password_radius11(b"hello"),
            Err(Error::MissingAttribute {
                attr: AttrType::CHAP_CHALLENGE
            })
        );
        let mut b = PacketBuilder::access_request(0, [0; 16]);
        b.add(AttrType::CHAP_PASSWORD, &chap(&[3; 16])).unwrap();
        b.add(AttrType::CHAP_CHALLENGE, &[3; 16]).unwrap();
        let raw = b.finish_radius11(9).unwrap();
        let p = Packet::new_checked(&raw[..]).unwrap();
        assert!(p.verify_chap_password_radius11(b"hello").unwrap());
        assert!(!p.verify_chap_password_radius11(b"hellO").unwrap());
    }

    #[test]
    fn radius11_user_password_is_1_to_128_octets() {
        // RFC 9765 §5.1.1: at least one octet, at most 128.
        let with = |pw: &[u8]| {
            let mut b = PacketBuilder::access_request(0, [0; 16]);
            b.add(AttrType::USER_PASSWORD, pw).unwrap();
            b.finish_radius11(1)
        };
        assert!(with(&[b'x'; 128]).is_ok());
        assert!(with(b"x").is_ok());
        assert_eq!(
            with(&[b'x'; 129]),
            Err(Error::ValueTooLong {
                attr: AttrType::USER_PASSWORD,
                len: 129,
                max: 128
            })
        );
        assert_eq!(
            with(b""),
            Err(Error::ValueLength {
                data_type: DataType::String,
                len: 0
            })
        );
    }
}
