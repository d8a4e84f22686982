//! Plan attributes: which attribute (by number) and the value to send.
//!
//! Shared by [`crate::plan`] and [`crate::rfc5176`], which both depend on this module
//! and not on each other.

use std::borrow::Cow;
use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use radius_codec::{encode_tagged, AttrAddr, AttrType, PacketBuilder, Value, VendorId};

/// Which attribute, by number (names live in dictionaries).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AttrId {
    /// A standard attribute (1-240).
    Ietf(AttrType),
    /// A Vendor-Specific sub-attribute in the vendor's format.
    Vendor {
        /// Vendor.
        vendor: VendorId,
        /// Vendor type.
        vendor_type: u32,
    },
    /// An RFC 6929 extended attribute (`241.8` is `Extended { attr: 241, ext_type: 8 }`).
    Extended {
        /// 241-246.
        attr: AttrType,
        /// Extended-Type.
        ext_type: u8,
    },
}

impl AttrId {
    /// The codec's address of this attribute.
    #[must_use]
    pub const fn addr(self) -> AttrAddr {
        match self {
            Self::Ietf(t) => AttrAddr::standard(t.0 as u32),
            Self::Vendor { vendor, vendor_type } => AttrAddr::vendor_specific(vendor, vendor_type),
            Self::Extended { attr, ext_type } => AttrAddr::extended(attr.0, ext_type),
        }
    }
}

impl fmt::Display for AttrId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Ietf(t) => write!(f, "{t}"),
            Self::Vendor { vendor, vendor_type } => write!(f, "26.{}.{vendor_type} ({vendor})", vendor.0),
            Self::Extended { attr, ext_type } => write!(f, "{}.{ext_type}", attr.0),
        }
    }
}

/// A value to send.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AttrData {
    /// `string`: text (borrowed for the recipes' fixed commands).
    Text(Cow<'static, str>),
    /// `octets`.
    Octets(Vec<u8>),
    /// `integer`.
    Integer(u32),
    /// `date` (Event-Timestamp): seconds since 1970.
    Date(u32),
    /// `ipaddr`.
    Ipv4(Ipv4Addr),
    /// `ipv6addr`.
    Ipv6(Ipv6Addr),
    /// `ipv6prefix`.
    Ipv6Prefix(Ipv6Addr, u8),
    /// `ifid`.
    InterfaceId([u8; 8]),
}

impl AttrData {
    fn value(&self) -> Value<'_> {
        match self {
            Self::Text(t) => Value::String(t.as_bytes().into()),
            Self::Octets(o) => Value::Octets(o.as_slice().into()),
            Self::Integer(n) => Value::Integer(*n),
            Self::Date(n) => Value::Date(*n),
            Self::Ipv4(a) => Value::IpAddr(*a),
            Self::Ipv6(a) => Value::Ipv6Addr(*a),
            Self::Ipv6Prefix(a, l) => Value::Ipv6Prefix(*a, *l),
            Self::InterfaceId(i) => Value::Ifid(*i),
        }
    }
}

/// One attribute of a plan.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AttrSpec {
    /// Which attribute.
    pub id: AttrId,
    /// RFC 2868 tag (1-31) for tagged attributes such as ERX-Service-Activate.
    pub tag: Option<u8>,
    /// The value.
    pub data: AttrData,
}

impl AttrSpec {
    /// A standard attribute.
    #[must_use]
    pub fn ietf(t: AttrType, data: AttrData) -> Self {
        Self {
            id: AttrId::Ietf(t),
            tag: None,
            data,
        }
    }

    /// A vendor attribute.
    #[must_use]
    pub fn vendor(vendor: VendorId, vendor_type: u32, data: AttrData) -> Self {
        Self {
            id: AttrId::Vendor { vendor, vendor_type },
            tag: None,
            data,
        }
    }

    /// The same attribute with a tag.
    #[must_use]
    pub fn tagged(mut self, tag: u8) -> Self {
        self.tag = Some(tag);
        self
    }

    /// Appends this attribute to `b`, where the codec's
    /// [`PacketBuilder::add_at`] places its address.
    pub fn encode(&self, b: &mut PacketBuilder) -> Result<(), radius_codec::Error> {
        let addr = self.id.addr();
        match (&self.data, self.tag) {
            // Text and octets are their own encoding: no intermediate buffer.
            (AttrData::Text(t), None) => b.add_at(&addr, t.as_bytes()),
            (AttrData::Octets(o), None) => b.add_at(&addr, o),
            (data, tag) => b.add_at(&addr, &value_bytes(&data.value(), tag)?),
        }
        .map(|_| ())
    }
}

/// A value's octets, with the RFC 2868 tag when there is one.
fn value_bytes(value: &Value<'_>, tag: Option<u8>) -> Result<Vec<u8>, radius_codec::Error> {
    let mut bytes = Vec::with_capacity(16);
    match tag {
        Some(tag) => encode_tagged(value, tag, &mut bytes)?,
        None => value.encode(&mut bytes)?,
    }
    Ok(bytes)
}
