//! RFC 6929 attributes: Extended Type (241-244), Long Extended Type (245-246),
//! Extended-Vendor-Specific and TLVs.
//!
//! ```text
//! Extended:       Type(241..244) Length Extended-Type Value...
//! Long Extended:  Type(245..246) Length Extended-Type M|Reserved Value...
//! EVS (Extended-Type 26): Vendor-Id(4) Vendor-Type(1) Value...
//! TLV:            Type Length Value...   (nested to any depth)
//! ```
//!
//! A long-extended value longer than 251 octets is split over several attributes with
//! the More flag set on all but the last (RFC 6929 §2.2); [`ExtendedAttr`] holds the
//! reassembled value. In an EVS that is fragmented, only the first fragment carries the
//! vendor header.

use std::borrow::Cow;

use crate::reader::Reader;
use crate::{AttrType, Error, Result, VendorId};

/// The More flag of a long-extended attribute.
pub const MORE_FLAG: u8 = 0x80;
/// The Extended-Type that introduces an Extended-Vendor-Specific value.
pub const EVS_TYPE: u8 = 26;
/// The deepest TLV nesting [`Tlvs::validate_tree`] accepts.
pub const MAX_TLV_DEPTH: usize = 32;

/// An extended or long-extended attribute, reassembled from its fragments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExtendedAttr<'a> {
    pub(crate) offset: usize,
    pub(crate) attr: AttrType,
    pub(crate) ext_type: u8,
    pub(crate) data: Cow<'a, [u8]>,
    pub(crate) fragments: usize,
    pub(crate) complete: bool,
}

impl<'a> ExtendedAttr<'a> {
    /// Offset of the (first) attribute in the packet.
    #[must_use]
    pub const fn offset(&self) -> usize {
        self.offset
    }

    /// The outer attribute type (241-246).
    #[must_use]
    pub const fn attr(&self) -> AttrType {
        self.attr
    }

    /// The Extended-Type octet.
    #[must_use]
    pub const fn ext_type(&self) -> u8 {
        self.ext_type
    }

    /// The value, joined over every fragment.
    #[must_use]
    pub fn data(&self) -> &[u8] {
        &self.data
    }

    /// How many attributes carried this value (1 unless fragmented).
    #[must_use]
    pub const fn fragments(&self) -> usize {
        self.fragments
    }

    /// Whether the value is whole: false for a long-extended chain whose last fragment
    /// still has the More flag set, because the packet ends there or goes on with
    /// another attribute (RFC 6929 §2.2 calls such a chain malformed). The pieces are
    /// still joined and returned, so that a program can log them; a reader that acts
    /// on the value should skip it, as [`crate::Packet::addressed`] does (it keeps
    /// the first fragment whole and flags it malformed).
    #[must_use]
    pub const fn is_complete(&self) -> bool {
        self.complete
    }

    /// Takes the value, borrowed when it came in one fragment.
    #[must_use]
    pub fn into_data(self) -> Cow<'a, [u8]> {
        self.data
    }

    /// The Extended-Vendor-Specific content, when the Extended-Type is 26.
    #[must_use]
    pub fn evs(&self) -> Option<Evs<'_>> {
        if self.ext_type != EVS_TYPE {
            return None;
        }
        Evs::parse(&self.data)
    }
}

/// An Extended-Vendor-Specific value (RFC 6929 §2.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Evs<'a> {
    vendor: VendorId,
    vendor_type: u8,
    value: &'a [u8],
}

impl<'a> Evs<'a> {
    /// Parses `Vendor-Id(4) Vendor-Type(1) Value`.
    #[must_use]
    pub fn parse(data: &'a [u8]) -> Option<Self> {
        let mut r = Reader::new(data);
        let vendor = VendorId(u32::from_be_bytes(*r.take_array::<4>()?));
        let vendor_type = r.take_u8()?;
        Some(Self {
            vendor,
            vendor_type,
            value: r.rest(),
        })
    }

    /// The vendor id.
    #[must_use]
    pub const fn vendor(&self) -> VendorId {
        self.vendor
    }

    /// The vendor's attribute type.
    #[must_use]
    pub const fn vendor_type(&self) -> u8 {
        self.vendor_type
    }

    /// The value.
    #[must_use]
    pub const fn value(&self) -> &'a [u8] {
        self.value
    }
}

/// One TLV.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tlv<'a> {
    tlv_type: u8,
    value: &'a [u8],
}

impl<'a> Tlv<'a> {
    /// The TLV type.
    #[must_use]
    pub const fn tlv_type(&self) -> u8 {
        self.tlv_type
    }

    /// The value.
    #[must_use]
    pub const fn value(&self) -> &'a [u8] {
        self.value
    }

    /// Reads the value as nested TLVs.
    pub fn children(&self) -> Result<Tlvs<'a>> {
        Tlvs::new_checked(self.value)
    }
}

/// A validated sequence of TLVs (one level). Iteration cannot fail.
#[derive(Clone, Debug)]
pub struct Tlvs<'a> {
    reader: Reader<'a>,
}

impl<'a> Tlvs<'a> {
    /// Validates one level of TLVs: every TLV has length >= 2 and none overruns.
    pub fn new_checked(data: &'a [u8]) -> Result<Self> {
        let mut r = Reader::new(data);
        while !r.is_empty() {
            read_tlv(&mut r)?;
        }
        Ok(Self {
            reader: Reader::new(data),
        })
    }

    /// Validates `data` as a tree of TLVs where every value is itself TLVs down to
    /// `depth` levels (the leaves are opaque). Used where a dictionary says the value is
    /// a `tlv`. Fails with [`Error::TlvTooDeep`] past [`MAX_TLV_DEPTH`].
    pub fn validate_tree(data: &[u8], depth: usize) -> Result<()> {
        if depth > MAX_TLV_DEPTH {
            return Err(Error::TlvTooDeep { max: MAX_TLV_DEPTH });
        }
        for tlv in Tlvs::new_checked(data)? {
            if depth > 1 {
                Self::validate_tree(tlv.value, depth - 1)?;
            }
        }
        Ok(())
    }
}

impl<'a> Iterator for Tlvs<'a> {
    type Item = Tlv<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        // Validated in `new_checked`: reading cannot fail; if it did, iteration ends.
        read_tlv(&mut self.reader).ok()
    }
}

fn read_tlv<'a>(r: &mut Reader<'a>) -> Result<Tlv<'a>> {
    let offset = r.offset();
    let remaining = r.remaining();
    let tlv_type = r.take_u8().ok_or(Error::TlvMalformed {
        offset,
        tlv_type: 0,
        len: 0,
        remaining,
    })?;
    let len = r.take_u8().unwrap_or(0) as usize;
    let err = Error::TlvMalformed {
        offset,
        tlv_type,
        len,
        remaining,
    };
    let body = len.checked_sub(2).ok_or(err)?;
    let value = r.take(body).ok_or(err)?;
    Ok(Tlv { tlv_type, value })
}

/// Appends a TLV (`type`, `length`, `value`) to `out`; the value is at most 253 octets.
pub fn encode_tlv(out: &mut Vec<u8>, tlv_type: u8, value: &[u8]) -> Result<()> {
    if value.len() > 253 {
        return Err(Error::ValueTooLong {
            attr: AttrType(tlv_type),
            len: value.len(),
            max: 253,
        });
    }
    out.push(tlv_type);
    out.push((value.len() + 2) as u8);
    out.extend_from_slice(value);
    Ok(())
}

/// Appends an extended (241-244) or long-extended (245-246) attribute, fragmenting a
/// long-extended value with the More flag as needed. `data` is the whole value after the
/// Extended-Type (for EVS, starting with the vendor id).
pub(crate) fn encode_extended(out: &mut Vec<u8>, attr: AttrType, ext_type: u8, data: &[u8]) -> Result<()> {
    if attr.is_extended() {
        if data.len() > 252 {
            return Err(Error::ValueTooLong {
                attr,
                len: data.len(),
                max: 252,
            });
        }
        out.push(attr.0);
        out.push((data.len() + 3) as u8);
        out.push(ext_type);
        out.extend_from_slice(data);
        return Ok(());
    }
    if !attr.is_long_extended() {
        return Err(Error::WrongAttributeKind { attr });
    }
    let mut chunks = data.chunks(251).peekable();
    if data.is_empty() {
        out.extend_from_slice(&[attr.0, 4, ext_type, 0]);
        return Ok(());
    }
    while let Some(chunk) = chunks.next() {
        let more = if chunks.peek().is_some() { MORE_FLAG } else { 0 };
        out.extend_from_slice(&[attr.0, (chunk.len() + 4) as u8, ext_type, more]);
        out.extend_from_slice(chunk);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tlvs_nest_and_fail_typed() {
        // 241.2 { 1 23 45 } { 3 { 1 ab cd } { 2 "foo" } } value part
        let v = [
            1, 4, 0x23, 0x45, 3, 0x0b, 1, 4, 0xab, 0xcd, 2, 5, b'f', b'o', b'o',
        ];
        let top: Vec<_> = Tlvs::new_checked(&v).unwrap().collect();
        assert_eq!(top.len(), 2);
        let inner: Vec<_> = top[1].children().unwrap().collect();
        assert_eq!(inner[1].value(), b"foo");
        assert!(Tlvs::new_checked(&[1, 5, 0]).is_err());
        assert!(Tlvs::new_checked(&[1]).is_err());
        assert!(Tlvs::new_checked(&[1, 1]).is_err());
        assert!(Tlvs::validate_tree(&v, 1).is_ok());
        assert!(matches!(
            Tlvs::validate_tree(&v, 40),
            Err(Error::TlvTooDeep { .. })
        ));
    }

    #[test]
    fn long_extended_fragments_at_251() {
        let data = vec![7u8; 600];
        let mut out = Vec::new();
        encode_extended(&mut out, AttrType::EXTENDED_5, 4, &data).unwrap();
        assert_eq!(&out[..4], &[245, 255, 4, 0x80]);
        assert_eq!(&out[255..259], &[245, 255, 4, 0x80]);
        assert_eq!(&out[510..514], &[245, 102, 4, 0]);
        assert_eq!(out.len(), 600 + 12);
    }
}
