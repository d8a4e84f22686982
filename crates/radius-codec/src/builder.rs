//! Building packets.
//!
//! A [`PacketBuilder`] appends attributes by number and then [`PacketBuilder::finish`]
//! sets, in order: the Length, the Message-Authenticator (HMAC over the packet with the
//! right vector in the Authenticator field), and finally the Authenticator itself.
//!
//! Message-Authenticator goes FIRST in Access-Request, Status-Server and
//! Access-Accept/Reject/Challenge by default (BlastRADIUS, CVE-2024-3596), as
//! FreeRADIUS 3.2.5+ and pyrad 2.6 do.

use crate::auth::{compute_message_authenticator, AUTH_RANGE};
use crate::crypto::{chap_password, hide_ascend_secret, hide_salted, hide_user_password, md5};
use crate::extended::{encode_extended, encode_tlv, EVS_TYPE};
use crate::packet::{
    BuiltinFormats, DecodeOptions, Packet, VendorFormats, HEADER_LEN, MAX_PACKET_LEN, MAX_PACKET_LEN_TCP,
};
use crate::value::encode_tagged;
use crate::vsa::{encode_vsa, encode_wimax, VendorFormat};
use crate::{AttrAddr, AttrType, AuthenticatorKind, Code, Error, Result, SharedSecret, Value, VendorId};

/// The largest value one attribute can carry.
pub const MAX_VALUE_LEN: usize = 253;

/// Builds one packet: attributes in order, then [`PacketBuilder::finish`] sets Length,
/// Message-Authenticator and the Authenticator, in that order.
///
/// ```
/// use radius_codec::{AttrType, Code, Packet, PacketBuilder, SharedSecret};
/// let secret = SharedSecret::from("testing123");
/// let mut b = PacketBuilder::coa_request(7);
/// b.add(AttrType::USER_NAME, b"alice")?
///     .add_vsa(radius_codec::VendorId::CISCO, 1, b"subscriber:command=reauthenticate")?;
/// let bytes = b.finish(&secret)?;
/// let p = Packet::new_checked(&bytes[..])?;
/// assert_eq!(p.code(), Code::CoaRequest);
/// p.verify_request(&secret)?;
/// # Ok::<(), radius_codec::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct PacketBuilder {
    buf: Vec<u8>,
    kind: AuthenticatorKind,
    vector: [u8; 16],
    ma_offset: Option<usize>,
    max_len: usize,
    /// One bit per salt (low 15 bits) claimed by this packet's salt-encrypted
    /// attributes ([`Self::claim_salt`]); empty until the first.
    salts: Vec<u64>,
}

impl PacketBuilder {
    /// A packet of any code.
    ///
    /// `authenticator` means, by [`Code::authenticator_kind`]: for Access-Request and
    /// Status-Server, the random Request Authenticator to send (use a CSPRNG); for
    /// Accounting/CoA/Disconnect requests nothing (it is computed; pass zeros); for
    /// replies, the Request Authenticator of the request being answered.
    #[must_use]
    pub fn new(code: Code, identifier: u8, authenticator: [u8; 16]) -> Self {
        let kind = code.authenticator_kind();
        let vector = match kind {
            AuthenticatorKind::RequestMd5 => [0; 16],
            _ => authenticator,
        };
        let mut buf = Vec::with_capacity(512);
        buf.extend_from_slice(&[code.get(), identifier, 0, 0]);
        buf.extend_from_slice(&[0; 16]);
        let mut b = Self {
            buf,
            kind,
            vector,
            ma_offset: None,
            max_len: MAX_PACKET_LEN,
            salts: Vec::new(),
        };
        if code.message_authenticator_first() {
            b.add_message_authenticator();
        }
        b
    }

    /// An Access-Request with the given random Request Authenticator.
    #[must_use]
    pub fn access_request(identifier: u8, authenticator: [u8; 16]) -> Self {
        Self::new(Code::AccessRequest, identifier, authenticator)
    }

    /// A Status-Server (RFC 5997) with the given random Request Authenticator.
    #[must_use]
    pub fn status_server(identifier: u8, authenticator: [u8; 16]) -> Self {
        Self::new(Code::StatusServer, identifier, authenticator)
    }

    /// An Accounting-Request.
    #[must_use]
    pub fn accounting_request(identifier: u8) -> Self {
        Self::new(Code::AccountingRequest, identifier, [0; 16])
    }

    /// A CoA-Request (RFC 5176).
    #[must_use]
    pub fn coa_request(identifier: u8) -> Self {
        Self::new(Code::CoaRequest, identifier, [0; 16])
    }

    /// A Disconnect-Request (RFC 5176).
    #[must_use]
    pub fn disconnect_request(identifier: u8) -> Self {
        Self::new(Code::DisconnectRequest, identifier, [0; 16])
    }

    /// A reply to `request` with the given code: same Identifier, the request's
    /// authenticator as vector, every Proxy-State copied in order (RFC 2865 §5.33), and
    /// Message-Authenticator first when the code calls for it or the request had one.
    #[must_use]
    pub fn reply_to<T: AsRef<[u8]>>(request: &Packet<T>, code: Code) -> Self {
        let mut b = Self::new(code, request.identifier(), request.authenticator());
        let req = request.view();
        if req.message_authenticator().is_some() {
            b.add_message_authenticator();
        }
        for ps in req.all(AttrType::PROXY_STATE) {
            b.push_attr(AttrType::PROXY_STATE, ps.value());
        }
        b
    }

    /// Allows packets up to 65535 octets (RADIUS over TCP/TLS, RFC 7930).
    #[must_use]
    pub fn for_tcp(mut self) -> Self {
        self.max_len = MAX_PACKET_LEN_TCP;
        self
    }

    /// The vector hidden values are encrypted with: the Request Authenticator for
    /// Access-Request/Status-Server and replies, zeros for requests whose authenticator
    /// is computed. Use it with the [`crate::crypto`] functions for hidden VSAs.
    #[must_use]
    pub const fn hidden_vector(&self) -> &[u8; 16] {
        &self.vector
    }

    /// The salt for the next salt-encrypted attribute of this packet, asked for as
    /// `salt`: `salt` itself unless this packet has used it already, else the next
    /// salt after it (most significant bit kept set) that it has not. RFC 2868 §3.5
    /// requires each salt of a packet to be unique: two attributes with the same salt
    /// and vector share a keystream, so one value XOR the other leaks. Every
    /// salt-encrypting adder of this builder takes its salt from here, and so should a
    /// caller that hides values itself with [`crate::crypto::hide_salted`]. A salt
    /// claimed by an add that then fails stays used. A `salt` without the most
    /// significant bit is returned as it is (hiding then refuses it);
    /// [`Error::SaltsExhausted`] once all 32,768 salts are used (a packet cannot hold
    /// that many attributes).
    ///
    /// Salts are unique within a packet only. For Accounting, CoA and Disconnect
    /// requests the hiding vector is zeros, so the same salt in two packets with the
    /// same secret gives the same keystream: pick the first salt of each packet at
    /// random.
    pub fn claim_salt(&mut self, salt: u16) -> Result<u16> {
        if salt & 0x8000 == 0 {
            return Ok(salt);
        }
        if self.salts.is_empty() {
            self.salts = vec![0; 0x8000 / 64]; // one bit per salt: 4 KiB
        }
        for step in 0..0x8000u16 {
            let s = 0x8000 | (salt.wrapping_add(step) & 0x7fff);
            let i = usize::from(s & 0x7fff);
            let (word, bit) = (i / 64, 1u64 << (i % 64));
            if let Some(w) = self.salts.get_mut(word) {
                if *w & bit == 0 {
                    *w |= bit;
                    return Ok(s);
                }
            }
        }
        Err(Error::SaltsExhausted)
    }

    /// Octets written so far (header included).
    #[must_use]
    pub fn len(&self) -> usize {
        self.buf.len()
    }

    /// True when no attribute was added.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.buf.len() == HEADER_LEN
    }

    /// Adds a Message-Authenticator placeholder here, unless there already is one.
    pub fn add_message_authenticator(&mut self) -> &mut Self {
        if self.ma_offset.is_none() {
            self.ma_offset = Some(self.buf.len() + 2);
            self.buf.extend_from_slice(&[80, 18]);
            self.buf.extend_from_slice(&[0; 16]);
        }
        self
    }

    /// Removes the Message-Authenticator that was put first by default.
    ///
    /// Only for talking to peers that reject it: without it an Access-Request or
    /// Access-* reply is exposed to BlastRADIUS (CVE-2024-3596).
    pub fn without_message_authenticator(&mut self) -> &mut Self {
        if let Some(off) = self.ma_offset.take() {
            let start = off - 2;
            self.buf.drain(start..start + 18);
        }
        self
    }

    #[inline]
    fn push_attr(&mut self, typ: AttrType, value: &[u8]) {
        self.buf.push(typ.0);
        self.buf.push((value.len() + 2) as u8);
        self.buf.extend_from_slice(value);
    }

    /// Appends an attribute with raw value octets (at most 253).
    ///
    /// Message-Authenticator (80) is refused: use
    /// [`PacketBuilder::add_message_authenticator`].
    #[inline]
    pub fn add(&mut self, typ: AttrType, value: &[u8]) -> Result<&mut Self> {
        if typ == AttrType::MESSAGE_AUTHENTICATOR {
            return Err(Error::WrongAttributeKind { attr: typ });
        }
        if value.len() > MAX_VALUE_LEN {
            return Err(Error::ValueTooLong {
                attr: typ,
                len: value.len(),
                max: MAX_VALUE_LEN,
            });
        }
        self.push_attr(typ, value);
        Ok(self)
    }

    /// Appends an attribute with a typed value, encoded in place.
    #[inline]
    pub fn add_value(&mut self, typ: AttrType, value: &Value<'_>) -> Result<&mut Self> {
        if typ == AttrType::MESSAGE_AUTHENTICATOR {
            return Err(Error::WrongAttributeKind { attr: typ });
        }
        let start = self.buf.len();
        self.buf.extend_from_slice(&[typ.0, 0]);
        let encoded = value.encode(&mut self.buf);
        let len = self.buf.len() - start - 2;
        if let Err(e) = encoded {
            self.buf.truncate(start);
            return Err(e);
        }
        if len > MAX_VALUE_LEN {
            self.buf.truncate(start);
            return Err(Error::ValueTooLong {
                attr: typ,
                len,
                max: MAX_VALUE_LEN,
            });
        }
        if let Some(l) = self.buf.get_mut(start + 1) {
            *l = (len + 2) as u8;
        }
        Ok(self)
    }

    /// Appends a tagged attribute (RFC 2868): `Tunnel-Type:1 = VLAN` is
    /// `add_tagged(AttrType::TUNNEL_TYPE, 1, &Value::Integer(13))`.
    pub fn add_tagged(&mut self, typ: AttrType, tag: u8, value: &Value<'_>) -> Result<&mut Self> {
        let mut v = Vec::new();
        encode_tagged(value, tag, &mut v)?;
        self.add(typ, &v)
    }

    /// Appends a `concat` value (EAP-Message, ...) split into 253-octet attributes.
    pub fn add_concat(&mut self, typ: AttrType, value: &[u8]) -> Result<&mut Self> {
        if value.is_empty() {
            return self.add(typ, value);
        }
        for chunk in value.chunks(MAX_VALUE_LEN) {
            self.add(typ, chunk)?;
        }
        Ok(self)
    }

    /// Appends a Vendor-Specific attribute in the vendor's built-in format
    /// ([`VendorFormat::for_vendor`]).
    pub fn add_vsa(&mut self, vendor: VendorId, vendor_type: u32, value: &[u8]) -> Result<&mut Self> {
        self.add_vsa_with(vendor, VendorFormat::for_vendor(vendor), vendor_type, value)
    }

    /// Appends a Vendor-Specific attribute in the given format. With a continuation
    /// format (WiMAX) a long value is split over several VSAs.
    pub fn add_vsa_with(
        &mut self,
        vendor: VendorId,
        format: VendorFormat,
        vendor_type: u32,
        value: &[u8],
    ) -> Result<&mut Self> {
        if format.has_continuation() {
            encode_wimax(&mut self.buf, vendor, vendor_type, value)?;
        } else {
            encode_vsa(&mut self.buf, vendor, format, vendor_type, value, false)?;
        }
        Ok(self)
    }

    /// Appends an extended (241-244) or long-extended (245-246) attribute; a long value
    /// in a long-extended attribute is fragmented with the More flag (RFC 6929 §2.2).
    /// For TLV content, build the value with [`crate::extended::encode_tlv`].
    pub fn add_extended(&mut self, attr: AttrType, ext_type: u8, value: &[u8]) -> Result<&mut Self> {
        encode_extended(&mut self.buf, attr, ext_type, value)?;
        Ok(self)
    }

    /// Appends an Extended-Vendor-Specific attribute (RFC 6929 §2.4) inside `attr`.
    pub fn add_evs(
        &mut self,
        attr: AttrType,
        vendor: VendorId,
        vendor_type: u8,
        value: &[u8],
    ) -> Result<&mut Self> {
        let mut data = Vec::with_capacity(5 + value.len());
        data.extend_from_slice(&vendor.0.to_be_bytes());
        data.push(vendor_type);
        data.extend_from_slice(value);
        encode_extended(&mut self.buf, attr, EVS_TYPE, &data)?;
        Ok(self)
    }

    /// Appends raw value octets at an attribute address, Vendor-Specific attributes in
    /// their vendor's built-in format ([`VendorFormat::for_vendor`]); see
    /// [`PacketBuilder::add_at_with`].
    ///
    /// ```
    /// use radius_codec::{AttrAddr, Packet, PacketBuilder, SharedSecret, VendorId};
    /// let mut b = PacketBuilder::coa_request(1);
    /// b.add_at(&AttrAddr::standard(1), b"alice")?
    ///     .add_at(&AttrAddr::new(VendorId::CISCO, &[1]).unwrap(), b"a=b")?
    ///     .add_at(&AttrAddr::new(VendorId(0), &[241, 2, 1]).unwrap(), &[7])?;
    /// let bytes = b.finish(&SharedSecret::from("s"))?;
    /// assert!(Packet::new_checked(&bytes[..]).is_ok());
    /// # Ok::<(), radius_codec::Error>(())
    /// ```
    pub fn add_at(&mut self, addr: &AttrAddr, value: &[u8]) -> Result<&mut Self> {
        self.add_at_with(addr, &BuiltinFormats, value)
    }

    /// Encodes a typed value and appends it at an attribute address (see
    /// [`PacketBuilder::add_at`]).
    pub fn add_value_at(&mut self, addr: &AttrAddr, value: &Value<'_>) -> Result<&mut Self> {
        let mut bytes = Vec::new();
        value.encode(&mut bytes)?;
        self.add_at(addr, &bytes)
    }

    /// Appends raw value octets at an attribute address, Vendor-Specific attributes in
    /// the format `formats` gives their vendor:
    ///
    /// - `vendor 0, [t]`: a standard attribute ([`PacketBuilder::add`]; a `concat`
    ///   value is [`PacketBuilder::add_concat`]'s);
    /// - `vendor 0, [t, c, ..]` with `t` not extended: TLVs nested in a standard `tlv`
    ///   attribute;
    /// - `vendor 0, [241..=246, x, ..]`: an extended or long-extended attribute
    ///   (fragmented when long), deeper numbers as nested TLVs;
    /// - `vendor V, [241..=246, 26, t, ..]`: Extended-Vendor-Specific;
    /// - `vendor V, [t, ..]`: a Vendor-Specific attribute (WiMAX continuation when the
    ///   format has it), deeper numbers as nested TLVs.
    ///
    /// A number too large for its octet is [`Error::AddressNotEncodable`], and nothing
    /// is appended.
    pub fn add_at_with(
        &mut self,
        addr: &AttrAddr,
        formats: &dyn VendorFormats,
        value: &[u8],
    ) -> Result<&mut Self> {
        let path = addr.path();
        let not = Error::AddressNotEncodable {
            vendor: addr.vendor(),
            number: path.first().copied().unwrap_or(0),
        };
        let u8_of = |n: u32| u8::try_from(n).map_err(|_| not);
        let nest = |depth: usize| -> Result<Vec<u8>> {
            let mut v = value.to_vec();
            for n in path.iter().skip(depth).rev() {
                let mut out = Vec::with_capacity(v.len() + 2);
                encode_tlv(&mut out, u8_of(*n)?, &v)?;
                v = out;
            }
            Ok(v)
        };
        match (addr.vendor(), path) {
            (VendorId(0), [t]) => {
                self.add(AttrType(u8_of(*t)?), value)?;
            }
            (VendorId(0), [e, x, ..]) if (241..=246).contains(e) => {
                let (e, x) = (u8_of(*e)?, u8_of(*x)?);
                let v = nest(2)?;
                self.add_extended(AttrType(e), x, &v)?;
            }
            (v, [e, 26, t, ..]) if v.0 != 0 && (241..=246).contains(e) => {
                let (e, t) = (u8_of(*e)?, u8_of(*t)?);
                let inner = nest(3)?;
                self.add_evs(AttrType(e), v, t, &inner)?;
            }
            (VendorId(0), [t, _, ..]) => {
                // a TLV child of a standard tlv attribute (RFC 6930 IPv6-6rd-Configuration)
                let t = u8_of(*t)?;
                let v = nest(1)?;
                self.add(AttrType(t), &v)?;
            }
            (v, [t, ..]) if v.0 != 0 => {
                let inner = nest(1)?;
                self.add_vsa_with(v, formats.vendor_format(v), *t, &inner)?;
            }
            _ => return Err(not),
        }
        Ok(self)
    }

    /// Appends User-Password, hidden with the Request Authenticator (RFC 2865 §5.2).
    pub fn add_user_password(&mut self, secret: &SharedSecret, password: &[u8]) -> Result<&mut Self> {
        let hidden = hide_user_password(password, secret, &self.vector)?;
        self.add(AttrType::USER_PASSWORD, &hidden)
    }

    /// Appends CHAP-Password for `password`, with the Request Authenticator as the
    /// challenge (RFC 2865 §2.2).
    pub fn add_chap_password(&mut self, chap_ident: u8, password: &[u8]) -> Result<&mut Self> {
        let v = chap_password(chap_ident, password, &self.vector);
        self.add(AttrType::CHAP_PASSWORD, &v)
    }

    /// Appends Tunnel-Password (RFC 2868 §3.5): tag, salt, salt-encrypted value. The
    /// salt is `salt` unless the packet has it already ([`Self::claim_salt`]).
    pub fn add_tunnel_password(
        &mut self,
        secret: &SharedSecret,
        tag: u8,
        salt: u16,
        password: &[u8],
    ) -> Result<&mut Self> {
        self.add_salted(AttrType::TUNNEL_PASSWORD, Some(tag), secret, salt, password)
    }

    /// Appends any salt-encrypted (`encrypt=2`) attribute, with an optional tag; the
    /// salt as [`Self::add_tunnel_password`] takes it.
    pub fn add_salted(
        &mut self,
        typ: AttrType,
        tag: Option<u8>,
        secret: &SharedSecret,
        salt: u16,
        value: &[u8],
    ) -> Result<&mut Self> {
        let salt = self.claim_salt(salt)?;
        let hidden = hide_salted(value, secret, &self.vector, salt)?;
        let mut v = Vec::with_capacity(hidden.len() + 1);
        if let Some(tag) = tag {
            if tag > 0x1f {
                return Err(Error::InvalidTag { tag });
            }
            v.push(tag);
        }
        v.extend_from_slice(&hidden);
        self.add(typ, &v)
    }

    /// Appends a salt-encrypted vendor attribute (MS-MPPE-Send-Key is vendor 311, type
    /// 16; MS-MPPE-Recv-Key type 17).
    pub fn add_salted_vsa(
        &mut self,
        secret: &SharedSecret,
        vendor: VendorId,
        vendor_type: u32,
        salt: u16,
        value: &[u8],
    ) -> Result<&mut Self> {
        let salt = self.claim_salt(salt)?;
        let hidden = hide_salted(value, secret, &self.vector, salt)?;
        self.add_vsa(vendor, vendor_type, &hidden)
    }

    /// Appends an Ascend-Send-Secret style (`encrypt=3`) attribute.
    pub fn add_ascend_secret(
        &mut self,
        typ: AttrType,
        secret: &SharedSecret,
        value: &[u8],
    ) -> Result<&mut Self> {
        let hidden = hide_ascend_secret(value, secret, &self.vector)?;
        self.add(typ, &hidden)
    }

    /// The buffer with its Length set and nothing signed (for RADIUS/1.1, which has
    /// no MD5 authenticators).
    pub(crate) fn into_unsigned(mut self) -> Result<Vec<u8>> {
        let len = self.buf.len();
        if len > self.max_len {
            return Err(Error::PacketTooLong {
                len,
                max: self.max_len,
            });
        }
        if let Some(dst) = self.buf.get_mut(2..4) {
            dst.copy_from_slice(&(len as u16).to_be_bytes());
        }
        Ok(self.buf)
    }

    /// Finishes the packet: Length, Message-Authenticator, then Authenticator.
    pub fn finish(mut self, secret: &SharedSecret) -> Result<Vec<u8>> {
        let len = self.buf.len();
        if len > self.max_len {
            return Err(Error::PacketTooLong {
                len,
                max: self.max_len,
            });
        }
        let len16 = (len as u16).to_be_bytes();
        if let Some(dst) = self.buf.get_mut(2..4) {
            dst.copy_from_slice(&len16);
        }
        if let Some(off) = self.ma_offset {
            let ma = compute_message_authenticator(&self.buf, off, &self.vector, secret);
            if let Some(dst) = self.buf.get_mut(off..off + 16) {
                dst.copy_from_slice(&ma);
            }
        }
        // The Authenticator field still holds zeros. For a computed authenticator, put
        // the vector (zeros for requests, the Request Authenticator for replies) in
        // place and hash the buffer in one pass.
        let auth = match self.kind {
            AuthenticatorKind::Random => self.vector,
            AuthenticatorKind::RequestMd5 | AuthenticatorKind::Response => {
                if let Some(dst) = self.buf.get_mut(AUTH_RANGE) {
                    dst.copy_from_slice(&self.vector);
                }
                md5(&[&self.buf, secret.expose()])
            }
        };
        if let Some(dst) = self.buf.get_mut(AUTH_RANGE) {
            dst.copy_from_slice(&auth);
        }
        Ok(self.buf)
    }

    /// [`finish`](Self::finish), returned as an owned, validated [`Packet`]: read it
    /// back (attributes, verification) without re-wrapping the bytes, send
    /// [`Packet::as_bytes`], keep it with [`Packet::into_inner`].
    ///
    /// ```
    /// use radius_codec::{AttrType, PacketBuilder, SharedSecret};
    /// let secret = SharedSecret::from("testing123");
    /// let mut b = PacketBuilder::coa_request(9);
    /// b.add(AttrType::USER_NAME, b"bob")?;
    /// let packet = b.finish_packet(&secret)?;
    /// packet.verify_request(&secret)?;
    /// assert_eq!(packet.first(AttrType::USER_NAME).unwrap().value(), b"bob");
    /// # Ok::<(), radius_codec::Error>(())
    /// ```
    pub fn finish_packet(self, secret: &SharedSecret) -> Result<Packet<Vec<u8>>> {
        let max_len = self.max_len;
        let bytes = self.finish(secret)?;
        // The builder emits only well-formed attributes; checking costs one walk and
        // keeps "validated" true whatever raw octets the caller added.
        Packet::new_checked_with(bytes, &DecodeOptions::UDP.max_len(max_len).opaque_vsa())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extended::encode_tlv;

    fn bytes_of(f: impl FnOnce(&mut PacketBuilder) -> Result<()>) -> Vec<u8> {
        let mut b = PacketBuilder::coa_request(1);
        f(&mut b).unwrap();
        b.buf
    }

    /// Salts are unique in a packet (RFC 2868 §3.5): a repeat gets the next free
    /// one, wrapping within the salts whose high bit is set; a salt without that bit
    /// is passed through for hiding to refuse.
    #[test]
    fn claimed_salts_are_unique() {
        let mut b = PacketBuilder::access_request(1, [0; 16]);
        let got: Vec<u16> = [0x8001, 0x8001, 0xffff, 0xffff, 0x8000, 0x8002]
            .into_iter()
            .map(|s| b.claim_salt(s).unwrap())
            .collect();
        assert_eq!(got, [0x8001, 0x8002, 0xffff, 0x8000, 0x8003, 0x8004]);
        assert_eq!(b.claim_salt(0x1234), Ok(0x1234));
        // bounded: once every salt is taken, an error (never a loop without end)
        let mut full = PacketBuilder::access_request(1, [0; 16]);
        for _ in 0..0x8000 {
            full.claim_salt(0x8000).unwrap();
        }
        assert_eq!(full.claim_salt(0x8000), Err(Error::SaltsExhausted));
        assert_eq!(full.claim_salt(0xabcd), Err(Error::SaltsExhausted));
        let s = SharedSecret::from("s");
        assert_eq!(
            b.add_tunnel_password(&s, 1, 0x0001, b"x").unwrap_err(),
            Error::InvalidSalt { salt: 1 }
        );
        b.add_tunnel_password(&s, 1, 0x8001, b"x").unwrap();
        b.add_salted_vsa(&s, VendorId(311), 16, 0x8001, b"k").unwrap();
        let bytes = b.finish(&s).unwrap();
        let p = Packet::new_checked(&bytes[..]).unwrap();
        let tp = p.first(AttrType::TUNNEL_PASSWORD).unwrap();
        assert_eq!(tp.value()[1..3], [0x80, 0x05]);
        let vsa = p.vsas().next().unwrap().attrs().next().unwrap();
        assert_eq!(vsa.value()[..2], [0x80, 0x06]);
    }

    /// `add_at` puts each address kind where the explicit methods do.
    #[test]
    fn add_at_places_every_kind() {
        let a = |v: u32, p: &[u32]| AttrAddr::new(VendorId(v), p).unwrap();
        let long = [7u8; 300];
        let tlv = |t: u8, v: &[u8]| {
            let mut o = Vec::new();
            encode_tlv(&mut o, t, v).unwrap();
            o
        };
        let cases: Vec<(AttrAddr, &[u8], Vec<u8>)> = vec![
            (
                a(0, &[1]),
                b"bob",
                bytes_of(|b| b.add(AttrType(1), b"bob").map(|_| ())),
            ),
            (
                a(0, &[173, 1]),
                &[9],
                bytes_of(|b| b.add(AttrType(173), &tlv(1, &[9])).map(|_| ())),
            ),
            (
                a(0, &[241, 8]),
                &[1, 2],
                bytes_of(|b| b.add_extended(AttrType(241), 8, &[1, 2]).map(|_| ())),
            ),
            (
                a(0, &[245, 1]),
                &long,
                bytes_of(|b| b.add_extended(AttrType(245), 1, &long).map(|_| ())),
            ),
            (
                a(0, &[241, 2, 1]),
                &[5],
                bytes_of(|b| b.add_extended(AttrType(241), 2, &tlv(1, &[5])).map(|_| ())),
            ),
            (
                a(9, &[245, 26, 3]),
                b"x",
                bytes_of(|b| b.add_evs(AttrType(245), VendorId(9), 3, b"x").map(|_| ())),
            ),
            (
                a(9, &[1]),
                b"a=b",
                bytes_of(|b| b.add_vsa(VendorId(9), 1, b"a=b").map(|_| ())),
            ),
            (
                a(24757, &[1, 3]),
                &[4],
                bytes_of(|b| b.add_vsa(VendorId::WIMAX, 1, &tlv(3, &[4])).map(|_| ())),
            ),
        ];
        for (addr, value, want) in cases {
            assert_eq!(bytes_of(|b| b.add_at(&addr, value).map(|_| ())), want, "{addr}");
        }
    }

    /// A number too large for its octet is an error and nothing is appended.
    #[test]
    fn add_at_refuses_what_has_no_place() {
        let mut b = PacketBuilder::coa_request(1);
        let empty = b.len();
        for addr in [
            AttrAddr::standard(256),
            AttrAddr::new(VendorId(0), &[241, 300]).unwrap(),
            AttrAddr::new(VendorId(0), &[1, 256]).unwrap(),
            AttrAddr::new(VendorId(9), &[245, 26, 256]).unwrap(),
        ] {
            let e = b.add_at(&addr, b"x").unwrap_err();
            assert!(matches!(e, Error::AddressNotEncodable { .. }), "{addr}: {e}");
            assert_eq!(b.len(), empty, "{addr}");
        }
    }
}
