//! Values as text, the way FreeRADIUS and radclient write them.

use std::borrow::Cow;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use radius_codec::{DataType, Value};

use crate::model::AttrDef;
use crate::{parse::parse_u64, Dictionary};

/// Why a text value does not fit an attribute.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TextError {
    /// No attribute has this name.
    #[error("unknown attribute {0:?}")]
    UnknownAttribute(String),
    /// The text is not a valid value of the attribute's type (and not one of its
    /// VALUE names).
    #[error("{value:?} is not a valid {data_type} value for {attr}")]
    InvalidValue {
        /// The attribute.
        attr: String,
        /// Its data type.
        data_type: DataType,
        /// The text (at most 80 characters).
        value: String,
    },
    /// A tag outside 1..=31, or a tag on an attribute without `has_tag`.
    #[error("invalid tag for {0}")]
    InvalidTag(String),
    /// The attribute cannot be encoded (virtual, or a container type).
    #[error("{0} cannot be sent in a packet")]
    NotEncodable(String),
    /// Encoding failed in the codec.
    #[error("{attr}: {source}")]
    Codec {
        /// The attribute.
        attr: String,
        /// The codec's error.
        source: radius_codec::Error,
    },
}

fn hex_bytes(s: &str) -> Option<Vec<u8>> {
    let h = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X"))?;
    if h.len() % 2 != 0 {
        return None;
    }
    h.as_bytes()
        .chunks(2)
        .map(|p| u8::from_str_radix(core::str::from_utf8(p).ok()?, 16).ok())
        .collect()
}

fn mac(s: &str) -> Option<[u8; 6]> {
    let parts: Vec<&str> = s.split([':', '-']).collect();
    let bytes: Vec<u8> = if parts.len() == 6 {
        parts
            .iter()
            .map(|p| u8::from_str_radix(p, 16).ok())
            .collect::<Option<_>>()?
    } else {
        hex_bytes(&format!("0x{}", s.replace('.', "")))?
    };
    bytes.try_into().ok()
}

fn ifid(s: &str) -> Option<[u8; 8]> {
    let parts: Vec<&str> = s.split(':').collect();
    if parts.len() != 4 {
        return None;
    }
    let mut out = [0u8; 8];
    for (chunk, p) in out.chunks_mut(2).zip(parts) {
        chunk.copy_from_slice(&u16::from_str_radix(p, 16).ok()?.to_be_bytes());
    }
    Some(out)
}

impl Dictionary {
    /// Parses the text form of a value for `attr`: numbers or VALUE names for
    /// integers, dotted or colon addresses, `addr/len` prefixes, `0x...` octets.
    pub fn parse_value(&self, attr: &AttrDef, text: &str) -> Result<Value<'static>, TextError> {
        let text = text.trim();
        let text = text
            .strip_prefix('"')
            .and_then(|t| t.strip_suffix('"'))
            .unwrap_or(text);
        let bad = || TextError::InvalidValue {
            attr: attr.name().to_string(),
            data_type: attr.data_type(),
            value: text.chars().take(80).collect(),
        };
        let number =
            || -> Option<u64> { parse_u64(text).or_else(|| self.values(attr).and_then(|v| v.number(text))) };
        Ok(match attr.data_type() {
            DataType::String => Value::String(Cow::Owned(text.as_bytes().to_vec())),
            DataType::Octets
            | DataType::Abinary
            | DataType::Tlv
            | DataType::Vsa
            | DataType::Extended
            | DataType::LongExtended
            | DataType::Evs => {
                let bytes = if text.starts_with("0x") || text.starts_with("0X") {
                    hex_bytes(text).ok_or_else(bad)?
                } else if attr.data_type() == DataType::Octets {
                    text.as_bytes().to_vec()
                } else {
                    return Err(bad());
                };
                match attr.data_type() {
                    DataType::Octets => Value::Octets(Cow::Owned(bytes)),
                    DataType::Abinary => Value::Abinary(Cow::Owned(bytes)),
                    DataType::Tlv => Value::Tlv(Cow::Owned(bytes)),
                    DataType::Vsa => Value::Vsa(Cow::Owned(bytes)),
                    DataType::Extended => Value::Extended(Cow::Owned(bytes)),
                    DataType::LongExtended => Value::LongExtended(Cow::Owned(bytes)),
                    _ => Value::Evs(Cow::Owned(bytes)),
                }
            }
            DataType::Integer => {
                Value::Integer(number().and_then(|n| u32::try_from(n).ok()).ok_or_else(bad)?)
            }
            DataType::Date => Value::Date(number().and_then(|n| u32::try_from(n).ok()).ok_or_else(bad)?),
            DataType::Integer64 => Value::Integer64(number().ok_or_else(bad)?),
            DataType::Short => Value::Short(number().and_then(|n| u16::try_from(n).ok()).ok_or_else(bad)?),
            DataType::Byte => Value::Byte(number().and_then(|n| u8::try_from(n).ok()).ok_or_else(bad)?),
            DataType::Signed => {
                let v = match text.strip_prefix('-') {
                    Some(n) => parse_u64(n).and_then(|n| i64::try_from(n).ok()).map(|n| -n),
                    None => number().and_then(|n| i64::try_from(n).ok()),
                };
                Value::Signed(v.and_then(|n| i32::try_from(n).ok()).ok_or_else(bad)?)
            }
            DataType::IpAddr => Value::IpAddr(text.parse::<Ipv4Addr>().map_err(|_| bad())?),
            DataType::Ipv6Addr => Value::Ipv6Addr(text.parse::<Ipv6Addr>().map_err(|_| bad())?),
            DataType::ComboIp => Value::ComboIp(text.parse::<IpAddr>().map_err(|_| bad())?),
            DataType::Ipv4Prefix => {
                let (a, l) = text.split_once('/').unwrap_or((text, "32"));
                let bits = l.parse::<u8>().ok().filter(|b| *b <= 32).ok_or_else(bad)?;
                Value::Ipv4Prefix(a.parse().map_err(|_| bad())?, bits)
            }
            DataType::Ipv6Prefix => {
                let (a, l) = text.split_once('/').unwrap_or((text, "128"));
                let bits = l.parse::<u8>().ok().filter(|b| *b <= 128).ok_or_else(bad)?;
                Value::Ipv6Prefix(a.parse().map_err(|_| bad())?, bits)
            }
            DataType::Ether => Value::Ether(mac(text).ok_or_else(bad)?),
            DataType::Ifid => Value::Ifid(ifid(text).ok_or_else(bad)?),
            _ => return Err(bad()),
        })
    }

    /// The text form of a value of `attr`: VALUE names where defined, printable
    /// strings as they are, everything else in FreeRADIUS notation.
    #[must_use]
    pub fn format_value(&self, attr: &AttrDef, value: &Value<'_>) -> String {
        let named = |n: u64| self.values(attr).and_then(|v| v.name(n)).map(str::to_string);
        let hex = |b: &[u8]| {
            let mut s = String::from("0x");
            for x in b {
                s.push_str(&format!("{x:02x}"));
            }
            s
        };
        match value {
            Value::String(b) => match core::str::from_utf8(b) {
                Ok(s) if !s.chars().any(char::is_control) => s.to_string(),
                _ => hex(b),
            },
            Value::Octets(b)
            | Value::Abinary(b)
            | Value::Tlv(b)
            | Value::Vsa(b)
            | Value::Extended(b)
            | Value::LongExtended(b)
            | Value::Evs(b) => hex(b),
            Value::Integer(v) | Value::Date(v) => named(u64::from(*v)).unwrap_or_else(|| v.to_string()),
            Value::Integer64(v) => named(*v).unwrap_or_else(|| v.to_string()),
            Value::Short(v) => named(u64::from(*v)).unwrap_or_else(|| v.to_string()),
            Value::Byte(v) => named(u64::from(*v)).unwrap_or_else(|| v.to_string()),
            Value::Signed(v) => v.to_string(),
            Value::IpAddr(a) => a.to_string(),
            Value::Ipv6Addr(a) => a.to_string(),
            Value::ComboIp(a) => a.to_string(),
            Value::Ipv4Prefix(a, l) => format!("{a}/{l}"),
            Value::Ipv6Prefix(a, l) => format!("{a}/{l}"),
            Value::Ether(m) => m.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(":"),
            Value::Ifid(i) => i
                .chunks(2)
                .map(|c| c.iter().map(|b| format!("{b:02x}")).collect::<String>())
                .collect::<Vec<_>>()
                .join(":"),
            _ => String::new(),
        }
    }
}
