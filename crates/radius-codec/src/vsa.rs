//! Vendor-Specific attributes (RFC 2865 §5.26) in every vendor format FreeRADIUS knows.
//!
//! The content of a Vendor-Specific attribute is a 4-octet vendor id followed by vendor
//! data. Most vendors follow the RFC 2865 suggestion (1-octet type, 1-octet length), but
//! some use wider fields: USR uses `4,0` (a 4-octet type and no length: one attribute
//! fills the VSA), Lucent `2,1`, Starent `2,2`, and WiMAX `1,1,c` (a continuation octet
//! whose top bit says that the value goes on in the next VSA). The format is a property
//! of the vendor, so it is a parameter here; [`VendorFormat::for_vendor`] knows the
//! vendors whose format is not the default.

use crate::reader::Reader;
use crate::{Error, Result, VendorId};

/// The layout of the sub-attributes inside a vendor's Vendor-Specific attributes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct VendorFormat {
    type_len: u8,
    len_len: u8,
    continuation: bool,
}

impl Default for VendorFormat {
    fn default() -> Self {
        Self::RFC
    }
}

impl VendorFormat {
    /// `format=1,1`: the RFC 2865 suggested format.
    pub const RFC: Self = Self {
        type_len: 1,
        len_len: 1,
        continuation: false,
    };
    /// `format=4,0` (USR).
    pub const USR: Self = Self {
        type_len: 4,
        len_len: 0,
        continuation: false,
    };
    /// `format=2,1` (Lucent, Kineto, Alcatel-ESAM).
    pub const TYPE2: Self = Self {
        type_len: 2,
        len_len: 1,
        continuation: false,
    };
    /// `format=2,2` (Starent).
    pub const WIDE: Self = Self {
        type_len: 2,
        len_len: 2,
        continuation: false,
    };
    /// `format=1,1,c` (WiMAX): a continuation octet follows the length.
    pub const WIMAX: Self = Self {
        type_len: 1,
        len_len: 1,
        continuation: true,
    };

    /// A format with a type field of `type_len` octets (1, 2 or 4), a length field of
    /// `len_len` octets (0, 1 or 2) and an optional continuation octet (only with `1,1`).
    /// Returns `None` for combinations FreeRADIUS does not allow.
    #[must_use]
    pub const fn new(type_len: u8, len_len: u8, continuation: bool) -> Option<Self> {
        let ok = matches!(type_len, 1 | 2 | 4)
            && matches!(len_len, 0..=2)
            && (!continuation || (type_len == 1 && len_len == 1));
        if ok {
            Some(Self {
                type_len,
                len_len,
                continuation,
            })
        } else {
            None
        }
    }

    /// The format FreeRADIUS 3.2's dictionaries give this vendor (default `1,1`): USR
    /// `4,0`; Lucent, Kineto, Alcatel-ESAM `2,1`; Starent `2,2`; WiMAX and Telrad
    /// `1,1,c`.
    #[must_use]
    pub const fn for_vendor(vendor: VendorId) -> Self {
        match vendor.0 {
            429 => Self::USR,
            637 | 4846 | 16445 => Self::TYPE2,
            8164 => Self::WIDE,
            5323 | 24757 => Self::WIMAX,
            _ => Self::RFC,
        }
    }

    /// Width of the type field in octets.
    #[must_use]
    pub const fn type_len(self) -> u8 {
        self.type_len
    }

    /// Width of the length field in octets (0: no length, one attribute per VSA).
    #[must_use]
    pub const fn len_len(self) -> u8 {
        self.len_len
    }

    /// Whether a continuation octet follows the length (WiMAX).
    #[must_use]
    pub const fn has_continuation(self) -> bool {
        self.continuation
    }

    /// Octets of sub-attribute header: type, length and continuation.
    #[must_use]
    pub const fn header_len(self) -> usize {
        self.type_len as usize + self.len_len as usize + self.continuation as usize
    }

    /// The largest vendor type this format can carry.
    #[must_use]
    pub const fn max_type(self) -> u32 {
        match self.type_len {
            1 => 0xff,
            2 => 0xffff,
            _ => u32::MAX,
        }
    }
}

/// One sub-attribute inside a Vendor-Specific attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VendorAttr<'a> {
    vendor_type: u32,
    value: &'a [u8],
    more: bool,
}

impl<'a> VendorAttr<'a> {
    /// The vendor's attribute type.
    #[must_use]
    pub const fn vendor_type(&self) -> u32 {
        self.vendor_type
    }

    /// The value octets.
    #[must_use]
    pub const fn value(&self) -> &'a [u8] {
        self.value
    }

    /// The WiMAX continuation flag: the value continues in the next VSA.
    #[must_use]
    pub const fn more(&self) -> bool {
        self.more
    }
}

/// A validated Vendor-Specific attribute value: a vendor id and its sub-attributes.
///
/// Created by [`Vsa::new_checked`], which walks every sub-attribute once; iterating
/// afterwards cannot fail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Vsa<'a> {
    vendor: VendorId,
    format: VendorFormat,
    data: &'a [u8],
}

impl<'a> Vsa<'a> {
    /// Validates the value of a Vendor-Specific attribute (the octets after type and
    /// length) in the given vendor format. `offset` is only used in errors.
    pub fn new_checked(value: &'a [u8], format: VendorFormat, offset: usize) -> Result<Self> {
        let mut r = Reader::new(value);
        let vendor = r.take_array::<4>().map(|v| VendorId(u32::from_be_bytes(*v)));
        let Some(vendor) = vendor else {
            return Err(Error::AttributeTooShort {
                offset,
                attr: crate::AttrType::VENDOR_SPECIFIC,
                len: value.len() + 2,
                min: 6,
            });
        };
        let data = r.rest();
        if let Err(sub_offset) = walk(data, format, |_| ()) {
            return Err(Error::VsaMalformed {
                offset,
                vendor,
                sub_offset,
            });
        }
        Ok(Self { vendor, format, data })
    }

    /// The vendor id.
    #[must_use]
    pub const fn vendor(&self) -> VendorId {
        self.vendor
    }

    /// The format the value was validated with.
    #[must_use]
    pub const fn format(&self) -> VendorFormat {
        self.format
    }

    /// The vendor data after the vendor id.
    #[must_use]
    pub const fn data(&self) -> &'a [u8] {
        self.data
    }

    /// The sub-attributes, in order.
    #[must_use]
    pub fn attrs(&self) -> VendorAttrs<'a> {
        VendorAttrs {
            reader: Reader::new(self.data),
            format: self.format,
        }
    }
}

/// Iterator over the sub-attributes of a validated [`Vsa`].
#[derive(Clone, Debug)]
pub struct VendorAttrs<'a> {
    reader: Reader<'a>,
    format: VendorFormat,
}

impl<'a> Iterator for VendorAttrs<'a> {
    type Item = VendorAttr<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        // The data was validated by `Vsa::new_checked`; `read_one` cannot fail on it,
        // and if it somehow did the iterator simply ends.
        read_one(&mut self.reader, self.format).ok()
    }
}

/// The largest vendor type a 4-octet type field carries (its first octet is 0).
const MAX_WIDE_TYPE: u32 = 0x00ff_ffff;

/// Reads one sub-attribute; on error returns the offset of the bad sub-attribute.
fn read_one<'a>(r: &mut Reader<'a>, f: VendorFormat) -> core::result::Result<VendorAttr<'a>, usize> {
    let start = r.offset();
    let bad = |_| start;
    let vendor_type = r.take_be(f.type_len as usize).ok_or(start)?;
    // FreeRADIUS 3.2 (`rad_tlv_ok`) takes no type 0 in a 2- or 4-octet type field,
    // and no 4-octet type of 2^24 or more: such a VSA is raw.
    if (f.type_len >= 2 && vendor_type == 0) || vendor_type > MAX_WIDE_TYPE {
        return Err(start);
    }
    let value = if f.len_len == 0 {
        r.take(r.remaining()).ok_or(start)?
    } else {
        let len = r.take_be(f.len_len as usize).ok_or(start)? as usize;
        let more = if f.continuation {
            r.take_u8().ok_or(start)?
        } else {
            0
        };
        let body = len.checked_sub(f.header_len()).ok_or(start).map_err(bad)?;
        let value = r.take(body).ok_or(start)?;
        return Ok(VendorAttr {
            vendor_type,
            value,
            more: more & 0x80 != 0,
        });
    };
    Ok(VendorAttr {
        vendor_type,
        value,
        more: false,
    })
}

/// Walks every sub-attribute of vendor data; returns the offset of the first bad one.
fn walk(
    data: &[u8],
    format: VendorFormat,
    mut f: impl FnMut(VendorAttr<'_>),
) -> core::result::Result<(), usize> {
    let mut r = Reader::new(data);
    if r.is_empty() {
        return Err(0);
    }
    while !r.is_empty() {
        f(read_one(&mut r, format)?);
    }
    Ok(())
}

/// Appends one Vendor-Specific attribute (type 26) carrying one sub-attribute.
///
/// Fails if the sub-attribute does not fit in one VSA (for WiMAX, use
/// [`encode_wimax`], which splits with the continuation flag).
pub(crate) fn encode_vsa(
    out: &mut Vec<u8>,
    vendor: VendorId,
    format: VendorFormat,
    vendor_type: u32,
    value: &[u8],
    more: bool,
) -> Result<()> {
    if vendor_type > format.max_type().min(MAX_WIDE_TYPE) {
        return Err(Error::VendorTypeTooLarge {
            vendor_type,
            type_len: format.type_len,
        });
    }
    let sub_len = format.header_len() + value.len();
    let max_value = 255 - 2 - 4 - format.header_len();
    if value.len() > max_value {
        return Err(Error::ValueTooLong {
            attr: crate::AttrType::VENDOR_SPECIFIC,
            len: value.len(),
            max: max_value,
        });
    }
    out.push(26);
    out.push((2 + 4 + sub_len) as u8);
    out.extend_from_slice(&vendor.0.to_be_bytes());
    let tb = vendor_type.to_be_bytes();
    out.extend_from_slice(tb.get(4 - format.type_len as usize..).unwrap_or(&tb));
    match format.len_len {
        0 => {}
        1 => out.push(sub_len as u8),
        _ => out.extend_from_slice(&(sub_len as u16).to_be_bytes()),
    }
    if format.continuation {
        out.push(if more { 0x80 } else { 0 });
    }
    out.extend_from_slice(value);
    Ok(())
}

/// Appends a WiMAX-style (`1,1,c`) vendor attribute, split across as many VSAs as
/// needed with the continuation flag set on all but the last.
pub(crate) fn encode_wimax(
    out: &mut Vec<u8>,
    vendor: VendorId,
    vendor_type: u32,
    value: &[u8],
) -> Result<()> {
    let max = 255 - 2 - 4 - VendorFormat::WIMAX.header_len();
    let mut chunks = value.chunks(max).peekable();
    if value.is_empty() {
        return encode_vsa(out, vendor, VendorFormat::WIMAX, vendor_type, value, false);
    }
    while let Some(chunk) = chunks.next() {
        let more = chunks.peek().is_some();
        encode_vsa(out, vendor, VendorFormat::WIMAX, vendor_type, chunk, more)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cisco_avpair_parses() {
        // vendor 9, type 1, len 8, "abcdef"
        let v = [0, 0, 0, 9, 1, 8, b'a', b'b', b'c', b'd', b'e', b'f'];
        let vsa = Vsa::new_checked(&v, VendorFormat::RFC, 0).unwrap();
        assert_eq!(vsa.vendor(), VendorId::CISCO);
        let attrs: Vec<_> = vsa.attrs().collect();
        assert_eq!(attrs.len(), 1);
        assert_eq!(attrs[0].vendor_type(), 1);
        assert_eq!(attrs[0].value(), b"abcdef");
    }

    /// FreeRADIUS 3.2's `rad_tlv_ok`: no type 0 in a 2- or 4-octet type field, no
    /// 4-octet type of 2^24 or more (such a VSA is raw there); the encoder does not
    /// write one either.
    #[test]
    fn wide_types_as_freeradius_takes_them() {
        let usr = |t: [u8; 4]| {
            let mut v = vec![0, 0, 0x01, 0xad];
            v.extend(t);
            v.push(b'x');
            v
        };
        assert!(Vsa::new_checked(&usr([0, 0xff, 0xff, 0xff]), VendorFormat::USR, 0).is_ok());
        for t in [[1, 0, 0, 0], [0xff, 0, 0, 1], [0, 0, 0, 0]] {
            assert!(Vsa::new_checked(&usr(t), VendorFormat::USR, 0).is_err(), "{t:?}");
        }
        assert!(Vsa::new_checked(&[0, 0, 0x12, 0xee, 0, 0, 4, 1], VendorFormat::TYPE2, 0).is_err());
        assert!(Vsa::new_checked(&[0, 0, 0, 9, 0, 3, 1], VendorFormat::RFC, 0).is_ok());
        let mut out = Vec::new();
        assert!(encode_vsa(
            &mut out,
            VendorId(429),
            VendorFormat::USR,
            0x0100_0000,
            b"x",
            false
        )
        .is_err());
        assert!(out.is_empty());
    }

    #[test]
    fn every_format_round_trips() {
        for (format, vt) in [
            (VendorFormat::RFC, 7u32),
            (VendorFormat::USR, 0x02_0304),
            (VendorFormat::WIDE, 0x1234),
            (VendorFormat::new(2, 1, false).unwrap(), 300),
            (VendorFormat::new(4, 2, false).unwrap(), 70000),
            (VendorFormat::WIMAX, 9),
        ] {
            let mut out = Vec::new();
            encode_vsa(&mut out, VendorId(42), format, vt, b"value", false).unwrap();
            assert_eq!(out[1] as usize, out.len());
            let vsa = Vsa::new_checked(&out[2..], format, 0).unwrap();
            let a: Vec<_> = vsa.attrs().collect();
            assert_eq!(a.len(), 1, "{format:?}");
            assert_eq!(a[0].vendor_type(), vt);
            assert_eq!(a[0].value(), b"value");
        }
    }

    #[test]
    fn malformed_vendor_data_is_located() {
        // second sub-attribute claims length 9 with 3 octets left
        let v = [0, 0, 0, 9, 1, 3, b'a', 2, 9, b'x'];
        assert_eq!(
            Vsa::new_checked(&v, VendorFormat::RFC, 20),
            Err(Error::VsaMalformed {
                offset: 20,
                vendor: VendorId(9),
                sub_offset: 3
            })
        );
        // sub-attribute length below its header
        let v = [0, 0, 0, 9, 1, 1];
        assert!(Vsa::new_checked(&v, VendorFormat::RFC, 0).is_err());
        // no vendor data at all
        assert!(Vsa::new_checked(&[0, 0, 0, 9], VendorFormat::RFC, 0).is_err());
        assert!(Vsa::new_checked(&[0, 0, 9], VendorFormat::RFC, 0).is_err());
    }

    #[test]
    fn wimax_continuation_splits_and_flags() {
        let value = vec![0xab; 600];
        let mut out = Vec::new();
        encode_wimax(&mut out, VendorId::WIMAX, 3, &value).unwrap();
        let mut joined = Vec::new();
        let mut rest = &out[..];
        let mut flags = Vec::new();
        while let [26, len, ..] = rest {
            let (attr, tail) = rest.split_at(*len as usize);
            let vsa = Vsa::new_checked(&attr[2..], VendorFormat::WIMAX, 0).unwrap();
            for a in vsa.attrs() {
                joined.extend_from_slice(a.value());
                flags.push(a.more());
            }
            rest = tail;
        }
        assert_eq!(joined, value);
        assert_eq!(flags, [true, true, false]);
    }

    #[test]
    fn formats_reject_impossible_combinations() {
        assert!(VendorFormat::new(3, 1, false).is_none());
        assert!(VendorFormat::new(2, 2, true).is_none());
        assert_eq!(VendorFormat::for_vendor(VendorId::USR), VendorFormat::USR);
        let mut out = Vec::new();
        assert!(encode_vsa(&mut out, VendorId(1), VendorFormat::RFC, 256, b"", false).is_err());
    }
}
