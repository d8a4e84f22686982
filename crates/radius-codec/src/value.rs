//! Typed attribute values for every FreeRADIUS 3.2 data type.

use std::borrow::Cow;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::extended::Tlvs;
use crate::{Error, Result};

/// The data types of FreeRADIUS 3.2 dictionaries (RFC 8044 names where they exist).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DataType {
    /// Printable text (usually UTF-8), 0..=253 octets.
    String,
    /// Opaque octets.
    Octets,
    /// IPv4 address, 4 octets (`ipaddr`).
    IpAddr,
    /// IPv6 address, 16 octets (`ipv6addr`).
    Ipv6Addr,
    /// IPv6 prefix (RFC 3162 §2.3): reserved, prefix length, 0..=16 prefix octets.
    Ipv6Prefix,
    /// IPv4 prefix (RFC 6572 §3.4): reserved, prefix length, 4 octets.
    Ipv4Prefix,
    /// Unsigned 32-bit integer.
    Integer,
    /// Unsigned 64-bit integer.
    Integer64,
    /// Signed 32-bit integer.
    Signed,
    /// Unsigned 16-bit integer.
    Short,
    /// Unsigned 8-bit integer.
    Byte,
    /// Seconds since the Unix epoch, 32 bits.
    Date,
    /// IPv6 interface id, 8 octets.
    Ifid,
    /// Ethernet MAC address, 6 octets.
    Ether,
    /// IPv4 or IPv6 address, by length (4 or 16).
    ComboIp,
    /// Ascend binary filter: kept raw.
    Abinary,
    /// Nested TLVs (RFC 6929).
    Tlv,
    /// Vendor-Specific content (vendor id + vendor data).
    Vsa,
    /// Extended attribute content (RFC 6929 §2.1).
    Extended,
    /// Long-extended attribute content (RFC 6929 §2.2).
    LongExtended,
    /// Extended-Vendor-Specific content (RFC 6929 §2.4).
    Evs,
}

impl DataType {
    /// Every data type.
    pub const ALL: [Self; 21] = [
        Self::String,
        Self::Octets,
        Self::IpAddr,
        Self::Ipv6Addr,
        Self::Ipv6Prefix,
        Self::Ipv4Prefix,
        Self::Integer,
        Self::Integer64,
        Self::Signed,
        Self::Short,
        Self::Byte,
        Self::Date,
        Self::Ifid,
        Self::Ether,
        Self::ComboIp,
        Self::Abinary,
        Self::Tlv,
        Self::Vsa,
        Self::Extended,
        Self::LongExtended,
        Self::Evs,
    ];

    /// The FreeRADIUS dictionary name of the type.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::String => "string",
            Self::Octets => "octets",
            Self::IpAddr => "ipaddr",
            Self::Ipv6Addr => "ipv6addr",
            Self::Ipv6Prefix => "ipv6prefix",
            Self::Ipv4Prefix => "ipv4prefix",
            Self::Integer => "integer",
            Self::Integer64 => "integer64",
            Self::Signed => "signed",
            Self::Short => "short",
            Self::Byte => "byte",
            Self::Date => "date",
            Self::Ifid => "ifid",
            Self::Ether => "ether",
            Self::ComboIp => "combo-ip",
            Self::Abinary => "abinary",
            Self::Tlv => "tlv",
            Self::Vsa => "vsa",
            Self::Extended => "extended",
            Self::LongExtended => "long-extended",
            Self::Evs => "evs",
        }
    }

    /// The fixed value length of this type, if it has one.
    #[must_use]
    pub const fn fixed_len(self) -> Option<usize> {
        match self {
            Self::IpAddr | Self::Integer | Self::Signed | Self::Date => Some(4),
            Self::Ipv6Addr => Some(16),
            Self::Ipv4Prefix | Self::Ether => Some(6),
            Self::Integer64 | Self::Ifid => Some(8),
            Self::Short => Some(2),
            Self::Byte => Some(1),
            _ => None,
        }
    }
}

impl core::fmt::Display for DataType {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

/// A typed attribute value. Octet variants borrow from the packet when decoded; use
/// [`Value::into_owned`] to keep one.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Value<'a> {
    /// `string`: the octets as sent (use [`Value::as_str`] for UTF-8).
    String(Cow<'a, [u8]>),
    /// `octets`.
    Octets(Cow<'a, [u8]>),
    /// `ipaddr`.
    IpAddr(Ipv4Addr),
    /// `ipv6addr`.
    Ipv6Addr(Ipv6Addr),
    /// `ipv6prefix`: address and prefix length.
    Ipv6Prefix(Ipv6Addr, u8),
    /// `ipv4prefix`: address and prefix length.
    Ipv4Prefix(Ipv4Addr, u8),
    /// `integer`.
    Integer(u32),
    /// `integer64`.
    Integer64(u64),
    /// `signed`.
    Signed(i32),
    /// `short`.
    Short(u16),
    /// `byte`.
    Byte(u8),
    /// `date` (seconds since 1970-01-01 UTC).
    Date(u32),
    /// `ifid`.
    Ifid([u8; 8]),
    /// `ether`.
    Ether([u8; 6]),
    /// `combo-ip`.
    ComboIp(IpAddr),
    /// `abinary`, raw.
    Abinary(Cow<'a, [u8]>),
    /// `tlv`: one validated level of TLVs, raw.
    Tlv(Cow<'a, [u8]>),
    /// `vsa`, raw.
    Vsa(Cow<'a, [u8]>),
    /// `extended`, raw.
    Extended(Cow<'a, [u8]>),
    /// `long-extended`, raw.
    LongExtended(Cow<'a, [u8]>),
    /// `evs`, raw.
    Evs(Cow<'a, [u8]>),
}

fn arr<const N: usize>(b: &[u8]) -> Option<[u8; N]> {
    b.try_into().ok()
}

impl<'a> Value<'a> {
    /// Decodes `bytes` as `data_type`. Wrong lengths and out-of-range prefix lengths are
    /// typed errors.
    pub fn decode(data_type: DataType, bytes: &'a [u8]) -> Result<Self> {
        let len_err = Error::ValueLength {
            data_type,
            len: bytes.len(),
        };
        let b = Cow::Borrowed(bytes);
        Ok(match data_type {
            DataType::String => Self::String(b),
            DataType::Octets => Self::Octets(b),
            DataType::Abinary => Self::Abinary(b),
            DataType::Extended => Self::Extended(b),
            DataType::LongExtended => Self::LongExtended(b),
            DataType::Evs => {
                if bytes.len() < 5 {
                    return Err(len_err);
                }
                Self::Evs(b)
            }
            DataType::Vsa => {
                if bytes.len() < 4 {
                    return Err(len_err);
                }
                Self::Vsa(b)
            }
            DataType::Tlv => {
                Tlvs::new_checked(bytes)?;
                Self::Tlv(b)
            }
            DataType::IpAddr => Self::IpAddr(Ipv4Addr::from(arr::<4>(bytes).ok_or(len_err)?)),
            DataType::Ipv6Addr => Self::Ipv6Addr(Ipv6Addr::from(arr::<16>(bytes).ok_or(len_err)?)),
            DataType::Integer => Self::Integer(u32::from_be_bytes(arr(bytes).ok_or(len_err)?)),
            DataType::Date => Self::Date(u32::from_be_bytes(arr(bytes).ok_or(len_err)?)),
            DataType::Signed => Self::Signed(i32::from_be_bytes(arr(bytes).ok_or(len_err)?)),
            DataType::Integer64 => Self::Integer64(u64::from_be_bytes(arr(bytes).ok_or(len_err)?)),
            DataType::Short => Self::Short(u16::from_be_bytes(arr(bytes).ok_or(len_err)?)),
            DataType::Byte => Self::Byte(u8::from_be_bytes(arr(bytes).ok_or(len_err)?)),
            DataType::Ifid => Self::Ifid(arr(bytes).ok_or(len_err)?),
            DataType::Ether => Self::Ether(arr(bytes).ok_or(len_err)?),
            DataType::ComboIp => match bytes.len() {
                4 => Self::ComboIp(IpAddr::V4(Ipv4Addr::from(arr::<4>(bytes).ok_or(len_err)?))),
                16 => Self::ComboIp(IpAddr::V6(Ipv6Addr::from(arr::<16>(bytes).ok_or(len_err)?))),
                _ => return Err(len_err),
            },
            DataType::Ipv4Prefix => {
                let [_reserved, bits, a, b, c, d] = arr::<6>(bytes).ok_or(len_err)?;
                if bits > 32 {
                    return Err(Error::PrefixLength { data_type, bits });
                }
                Self::Ipv4Prefix(Ipv4Addr::new(a, b, c, d), bits)
            }
            DataType::Ipv6Prefix => {
                let [_reserved, bits, prefix @ ..] = bytes else {
                    return Err(len_err);
                };
                if prefix.len() > 16 {
                    return Err(len_err);
                }
                if *bits > 128 || usize::from(*bits).div_ceil(8) > prefix.len() {
                    return Err(Error::PrefixLength {
                        data_type,
                        bits: *bits,
                    });
                }
                let mut addr = [0u8; 16];
                for (dst, src) in addr.iter_mut().zip(prefix) {
                    *dst = *src;
                }
                Self::Ipv6Prefix(Ipv6Addr::from(addr), *bits)
            }
        })
    }

    /// Decodes an `array` attribute (FreeRADIUS flag `array`): several fixed-size
    /// values of `data_type` packed into one attribute. Only fixed-size types can be
    /// arrays; the length must be a whole multiple of the element size.
    pub fn decode_array(data_type: DataType, bytes: &'a [u8]) -> Result<Vec<Self>> {
        let len_err = Error::ValueLength {
            data_type,
            len: bytes.len(),
        };
        let size = data_type.fixed_len().ok_or(len_err)?;
        if bytes.len() % size != 0 {
            return Err(len_err);
        }
        bytes.chunks(size).map(|c| Self::decode(data_type, c)).collect()
    }

    /// The data type of this value.
    #[must_use]
    pub const fn data_type(&self) -> DataType {
        match self {
            Self::String(_) => DataType::String,
            Self::Octets(_) => DataType::Octets,
            Self::IpAddr(_) => DataType::IpAddr,
            Self::Ipv6Addr(_) => DataType::Ipv6Addr,
            Self::Ipv6Prefix(..) => DataType::Ipv6Prefix,
            Self::Ipv4Prefix(..) => DataType::Ipv4Prefix,
            Self::Integer(_) => DataType::Integer,
            Self::Integer64(_) => DataType::Integer64,
            Self::Signed(_) => DataType::Signed,
            Self::Short(_) => DataType::Short,
            Self::Byte(_) => DataType::Byte,
            Self::Date(_) => DataType::Date,
            Self::Ifid(_) => DataType::Ifid,
            Self::Ether(_) => DataType::Ether,
            Self::ComboIp(_) => DataType::ComboIp,
            Self::Abinary(_) => DataType::Abinary,
            Self::Tlv(_) => DataType::Tlv,
            Self::Vsa(_) => DataType::Vsa,
            Self::Extended(_) => DataType::Extended,
            Self::LongExtended(_) => DataType::LongExtended,
            Self::Evs(_) => DataType::Evs,
        }
    }

    /// Appends the wire encoding of the value to `out`.
    ///
    /// Prefix values are masked to their prefix length. An IPv6 prefix is sent with all
    /// 16 address octets (`2001:db8::/32` is 18 octets of value), as FreeRADIUS 3.2
    /// (radclient) and pyrad 2.6 send it; [`Value::decode`] accepts both that and the
    /// shorter form RFC 3162 §2.3 allows (just the octets the prefix length needs).
    #[inline]
    pub fn encode(&self, out: &mut Vec<u8>) -> Result<()> {
        match self {
            Self::String(b)
            | Self::Octets(b)
            | Self::Abinary(b)
            | Self::Tlv(b)
            | Self::Vsa(b)
            | Self::Extended(b)
            | Self::LongExtended(b)
            | Self::Evs(b) => out.extend_from_slice(b),
            Self::IpAddr(a) => out.extend_from_slice(&a.octets()),
            Self::Ipv6Addr(a) => out.extend_from_slice(&a.octets()),
            Self::Integer(v) | Self::Date(v) => out.extend_from_slice(&v.to_be_bytes()),
            Self::Integer64(v) => out.extend_from_slice(&v.to_be_bytes()),
            Self::Signed(v) => out.extend_from_slice(&v.to_be_bytes()),
            Self::Short(v) => out.extend_from_slice(&v.to_be_bytes()),
            Self::Byte(v) => out.push(*v),
            Self::Ifid(v) => out.extend_from_slice(v),
            Self::Ether(v) => out.extend_from_slice(v),
            Self::ComboIp(IpAddr::V4(a)) => out.extend_from_slice(&a.octets()),
            Self::ComboIp(IpAddr::V6(a)) => out.extend_from_slice(&a.octets()),
            Self::Ipv4Prefix(a, bits) => {
                if *bits > 32 {
                    return Err(Error::PrefixLength {
                        data_type: DataType::Ipv4Prefix,
                        bits: *bits,
                    });
                }
                let mask = u32::MAX.checked_shl(32 - u32::from(*bits)).unwrap_or(0);
                out.extend_from_slice(&[0, *bits]);
                out.extend_from_slice(&(u32::from(*a) & mask).to_be_bytes());
            }
            Self::Ipv6Prefix(a, bits) => {
                if *bits > 128 {
                    return Err(Error::PrefixLength {
                        data_type: DataType::Ipv6Prefix,
                        bits: *bits,
                    });
                }
                let mask = u128::MAX.checked_shl(128 - u32::from(*bits)).unwrap_or(0);
                let masked = (u128::from(*a) & mask).to_be_bytes();
                out.extend_from_slice(&[0, *bits]);
                out.extend_from_slice(&masked);
            }
        }
        Ok(())
    }

    /// The encoded value as a new vector.
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let mut v = Vec::new();
        self.encode(&mut v)?;
        Ok(v)
    }

    /// The text of a `string` value, when it is valid UTF-8.
    #[must_use]
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::String(b) => core::str::from_utf8(b).ok(),
            _ => None,
        }
    }

    /// A copy that owns its octets.
    #[must_use]
    pub fn into_owned(self) -> Value<'static> {
        let own = |b: Cow<'a, [u8]>| Cow::Owned(b.into_owned());
        match self {
            Self::String(b) => Value::String(own(b)),
            Self::Octets(b) => Value::Octets(own(b)),
            Self::Abinary(b) => Value::Abinary(own(b)),
            Self::Tlv(b) => Value::Tlv(own(b)),
            Self::Vsa(b) => Value::Vsa(own(b)),
            Self::Extended(b) => Value::Extended(own(b)),
            Self::LongExtended(b) => Value::LongExtended(own(b)),
            Self::Evs(b) => Value::Evs(own(b)),
            Self::IpAddr(v) => Value::IpAddr(v),
            Self::Ipv6Addr(v) => Value::Ipv6Addr(v),
            Self::Ipv6Prefix(a, b) => Value::Ipv6Prefix(a, b),
            Self::Ipv4Prefix(a, b) => Value::Ipv4Prefix(a, b),
            Self::Integer(v) => Value::Integer(v),
            Self::Integer64(v) => Value::Integer64(v),
            Self::Signed(v) => Value::Signed(v),
            Self::Short(v) => Value::Short(v),
            Self::Byte(v) => Value::Byte(v),
            Self::Date(v) => Value::Date(v),
            Self::Ifid(v) => Value::Ifid(v),
            Self::Ether(v) => Value::Ether(v),
            Self::ComboIp(v) => Value::ComboIp(v),
        }
    }
}

/// Splits the tag off a tagged value (RFC 2868 §3).
///
/// For `integer` attributes the first octet is always the tag (0 = none) and the value
/// is the remaining 3 octets. For text and octets, a first octet in `0x01..=0x1F` is a
/// tag; a first octet of 0 is an explicit "no tag" and is removed; anything else is
/// part of the value.
pub fn split_tag(data_type: DataType, bytes: &[u8]) -> Result<(Option<u8>, Cow<'_, [u8]>)> {
    match (data_type, bytes) {
        (DataType::Integer, [tag, a, b, c]) => {
            if *tag > 0x1f {
                return Err(Error::InvalidTag { tag: *tag });
            }
            let tag = (*tag != 0).then_some(*tag);
            Ok((tag, Cow::Owned(vec![0, *a, *b, *c])))
        }
        (DataType::Integer, _) => Err(Error::ValueLength {
            data_type,
            len: bytes.len(),
        }),
        (_, [t @ 0x01..=0x1f, rest @ ..]) => Ok((Some(*t), Cow::Borrowed(rest))),
        (_, [0, rest @ ..]) => Ok((None, Cow::Borrowed(rest))),
        _ => Ok((None, Cow::Borrowed(bytes))),
    }
}

/// Encodes a tagged value: `tag` must be 0..=31 (0 = none). Integers carry the tag in
/// their first octet and must fit in 24 bits; text values get a leading 0 when untagged
/// and their first octet could be read as a tag, as FreeRADIUS does.
pub fn encode_tagged(value: &Value<'_>, tag: u8, out: &mut Vec<u8>) -> Result<()> {
    if tag > 0x1f {
        return Err(Error::InvalidTag { tag });
    }
    match value {
        Value::Integer(v) => {
            if *v > 0x00ff_ffff {
                return Err(Error::ValueLength {
                    data_type: DataType::Integer,
                    len: 4,
                });
            }
            out.push(tag);
            out.extend_from_slice(v.to_be_bytes().get(1..).unwrap_or_default());
        }
        Value::String(b) | Value::Octets(b) => {
            if tag != 0 {
                out.push(tag);
            } else if matches!(b.first(), Some(0x00..=0x1f)) {
                out.push(0);
            }
            out.extend_from_slice(b);
        }
        other => {
            if tag != 0 {
                out.push(tag);
            }
            other.encode(out)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_lengths_are_enforced() {
        for dt in DataType::ALL {
            if let Some(n) = dt.fixed_len() {
                let short = vec![0u8; n - 1];
                assert_eq!(
                    Value::decode(dt, &short),
                    Err(Error::ValueLength {
                        data_type: dt,
                        len: n - 1
                    }),
                    "{dt}"
                );
                let long = vec![0u8; n + 1];
                assert!(Value::decode(dt, &long).is_err(), "{dt}");
                assert!(Value::decode(dt, &vec![0u8; n]).is_ok(), "{dt}");
            }
        }
    }

    #[test]
    fn arrays() {
        let v = Value::decode_array(DataType::IpAddr, &[10, 0, 0, 1, 10, 0, 0, 2]).unwrap();
        assert_eq!(
            v,
            [
                Value::IpAddr([10, 0, 0, 1].into()),
                Value::IpAddr([10, 0, 0, 2].into())
            ]
        );
        assert!(Value::decode_array(DataType::IpAddr, &[1, 2, 3, 4, 5]).is_err());
        assert!(Value::decode_array(DataType::String, b"abc").is_err());
        assert_eq!(Value::decode_array(DataType::Short, &[]).unwrap(), []);
    }

    #[test]
    fn prefixes() {
        // 2001:db8::/32 as FreeRADIUS 3.2 radclient and pyrad 2.6 send it: all 16 octets
        let full = [0, 32, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        let v = Value::decode(DataType::Ipv6Prefix, &full).unwrap();
        assert_eq!(v, Value::Ipv6Prefix("2001:db8::".parse().unwrap(), 32));
        assert_eq!(v.to_bytes().unwrap(), full);
        // the short form RFC 3162 §2.3 allows still decodes, and is re-sent in full
        let short = Value::decode(DataType::Ipv6Prefix, &[0, 32, 0x20, 0x01, 0x0d, 0xb8]).unwrap();
        assert_eq!(short, v);
        assert_eq!(short.to_bytes().unwrap(), full);
        // host bits are masked; /0 and /128 are 16 octets too
        let v = Value::Ipv6Prefix("2001:db8:ffff::1".parse().unwrap(), 33);
        assert_eq!(v.to_bytes().unwrap()[2..6], [0x20, 0x01, 0x0d, 0xb8]);
        assert_eq!(v.to_bytes().unwrap()[6], 0x80);
        assert_eq!(
            Value::Ipv6Prefix(Ipv6Addr::LOCALHOST, 0).to_bytes().unwrap(),
            [0u8; 18]
        );
        assert_eq!(
            Value::Ipv6Prefix(Ipv6Addr::LOCALHOST, 128)
                .to_bytes()
                .unwrap()
                .len(),
            18
        );
        assert!(matches!(
            Value::decode(DataType::Ipv6Prefix, &[0, 64, 0x20, 0x01]),
            Err(Error::PrefixLength { bits: 64, .. })
        ));
        assert!(Value::decode(DataType::Ipv6Prefix, &[0, 129]).is_err());
        assert!(Value::decode(DataType::Ipv6Prefix, &[0]).is_err());
        let v = Value::Ipv4Prefix(Ipv4Addr::new(10, 1, 2, 3), 8);
        assert_eq!(v.to_bytes().unwrap(), [0, 8, 10, 0, 0, 0]);
        assert!(Value::decode(DataType::Ipv4Prefix, &[0, 33, 0, 0, 0, 0]).is_err());
    }

    #[test]
    fn tags() {
        // Tunnel-Type:1 = VLAN (13)
        let mut out = Vec::new();
        encode_tagged(&Value::Integer(13), 1, &mut out).unwrap();
        assert_eq!(out, [1, 0, 0, 13]);
        assert_eq!(
            split_tag(DataType::Integer, &out).unwrap(),
            (Some(1), Cow::Owned(vec![0, 0, 0, 13]))
        );
        let mut out = Vec::new();
        encode_tagged(&Value::String(Cow::Borrowed(b"100")), 0, &mut out).unwrap();
        assert_eq!(out, b"100");
        let mut out = Vec::new();
        encode_tagged(&Value::String(Cow::Borrowed(b"\x05x")), 0, &mut out).unwrap();
        assert_eq!(out, b"\x00\x05x");
        assert_eq!(
            split_tag(DataType::String, &out).unwrap(),
            (None, Cow::Borrowed(&b"\x05x"[..]))
        );
        assert!(encode_tagged(&Value::Integer(1), 32, &mut out).is_err());
        assert!(split_tag(DataType::Integer, &[0x40, 0, 0, 1]).is_err());
    }
}
