//! Plan attributes in the codec's vocabulary: an [`AttrAddr`] (where the attribute
//! lives), an owned [`Value`] (what it carries) and an optional RFC 2868 tag.
//!
//! Shared by [`crate::plan`] and [`crate::rfc5176`], which both depend on this module
//! and not on each other.

use std::borrow::Cow;

use radius_codec::{encode_tagged, AttrAddr, AttrType, PacketBuilder, Value, VendorId};

/// One attribute of a plan: the codec's address and an owned value.
///
/// Placement on the wire (standard, Vendor-Specific, extended, EVS, TLV child) is
/// [`PacketBuilder::add_at`]'s; the value's octets are [`Value::encode`]'s.
///
/// ```
/// use nac_model::AttrSpec;
/// use radius_codec::{AttrAddr, AttrType, Value, VendorId};
/// let role = AttrSpec::text(AttrAddr::vendor_specific(VendorId::ARUBA, 1), "employee");
/// assert_eq!(role.value.as_str(), Some("employee"));
/// let port = AttrSpec::ietf(AttrType::NAS_PORT, Value::Integer(7));
/// assert_eq!(port.addr, AttrAddr::standard(5));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AttrSpec {
    /// Which attribute.
    pub addr: AttrAddr,
    /// RFC 2868 tag (1-31) for tagged attributes such as ERX-Service-Activate.
    pub tag: Option<u8>,
    /// The value (text is [`Value::String`]; constant text borrows, without allocating).
    pub value: Value<'static>,
}

impl AttrSpec {
    /// An untagged attribute.
    #[must_use]
    pub const fn new(addr: AttrAddr, value: Value<'static>) -> Self {
        Self {
            addr,
            tag: None,
            value,
        }
    }

    /// A standard attribute.
    #[must_use]
    pub const fn ietf(t: AttrType, value: Value<'static>) -> Self {
        Self::new(AttrAddr::standard(t.0 as u32), value)
    }

    /// A Vendor-Specific attribute.
    #[must_use]
    pub const fn vendor(vendor: VendorId, vendor_type: u32, value: Value<'static>) -> Self {
        Self::new(AttrAddr::vendor_specific(vendor, vendor_type), value)
    }

    /// A `string` attribute from text (a `&'static str` is borrowed, a `String` moved).
    #[must_use]
    pub fn text(addr: AttrAddr, text: impl Into<Cow<'static, str>>) -> Self {
        let bytes = match text.into() {
            Cow::Borrowed(s) => Cow::Borrowed(s.as_bytes()),
            Cow::Owned(s) => Cow::Owned(s.into_bytes()),
        };
        Self::new(addr, Value::String(bytes))
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
        match (&self.value, self.tag) {
            // Text and octets are their own encoding: no intermediate buffer.
            (Value::String(o) | Value::Octets(o), None) => b.add_at(&self.addr, o),
            (value, tag) => b.add_at(&self.addr, &value_bytes(value, tag)?),
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
