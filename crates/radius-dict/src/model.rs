//! The dictionary model: vendors, attribute definitions, enumerated values.

use std::collections::BTreeMap;

use crate::hash::{with_lowercase, FxMap};

use radius_codec::{AttrAddr, DataType, VendorFormat, VendorId};

pub use radius_codec::MAX_DEPTH;

/// The `encrypt=` flag: which hidden-value scheme an attribute uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Encrypt {
    /// Not hidden.
    #[default]
    None,
    /// `encrypt=1`: User-Password (RFC 2865 §5.2).
    UserPassword,
    /// `encrypt=2`: salt encryption (Tunnel-Password, MS-MPPE keys).
    Salted,
    /// `encrypt=3`: Ascend-Send-Secret.
    AscendSecret,
}

/// ATTRIBUTE flags.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Flags {
    /// `has_tag`: RFC 2868 tag.
    pub has_tag: bool,
    /// `encrypt=N`.
    pub encrypt: Encrypt,
    /// `array`: several fixed-size values in one attribute.
    pub array: bool,
    /// `concat`: long values split over several attributes (EAP-Message).
    pub concat: bool,
    /// `virtual`: computed by the server, never on the wire.
    pub virtual_: bool,
    /// `secret`: never printed.
    pub secret: bool,
}

impl core::fmt::Display for Flags {
    /// The flags as a FreeRADIUS `ATTRIBUTE` line writes them (`has_tag,encrypt=2`);
    /// nothing when none is set.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let encrypt = match self.encrypt {
            Encrypt::None => None,
            Encrypt::UserPassword => Some("encrypt=1"),
            Encrypt::Salted => Some("encrypt=2"),
            Encrypt::AscendSecret => Some("encrypt=3"),
        };
        let all = [
            self.has_tag.then_some("has_tag"),
            encrypt,
            self.array.then_some("array"),
            self.concat.then_some("concat"),
            self.virtual_.then_some("virtual"),
            self.secret.then_some("secret"),
        ];
        for (i, flag) in all.into_iter().flatten().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            f.write_str(flag)?;
        }
        Ok(())
    }
}

/// A vendor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Vendor {
    pub(crate) name: String,
    pub(crate) id: VendorId,
    pub(crate) format: VendorFormat,
}

impl Vendor {
    /// Its name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its Private Enterprise Number.
    #[must_use]
    pub fn id(&self) -> VendorId {
        self.id
    }

    /// Its Vendor-Specific format.
    #[must_use]
    pub fn format(&self) -> VendorFormat {
        self.format
    }
}

/// An attribute definition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttrDef {
    pub(crate) name: String,
    pub(crate) addr: AttrAddr,
    pub(crate) data_type: DataType,
    pub(crate) fixed_len: Option<u16>,
    pub(crate) flags: Flags,
    /// Made by [`crate::Dictionary::raw_attr`], not defined by the dictionary.
    pub(crate) raw: bool,
}

impl AttrDef {
    /// Its name as defined.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Where it lives.
    #[must_use]
    pub fn addr(&self) -> AttrAddr {
        self.addr
    }

    /// Its data type.
    #[must_use]
    pub fn data_type(&self) -> DataType {
        self.data_type
    }

    /// The fixed length of an `octets[N]` attribute.
    #[must_use]
    pub fn fixed_len(&self) -> Option<u16> {
        self.fixed_len
    }

    /// Its flags.
    #[must_use]
    pub fn flags(&self) -> Flags {
        self.flags
    }

    /// True for a raw attribute ([`crate::Dictionary::raw_attr`]: a FreeRADIUS
    /// `Attr-27` style name, an `octets` value written in hex and placed as it is),
    /// false for one the dictionary defines.
    #[must_use]
    pub fn is_raw(&self) -> bool {
        self.raw
    }
}

/// The enumerated values of one attribute, both ways.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Values {
    pub(crate) by_number: BTreeMap<u64, String>,
    pub(crate) by_name: FxMap<String, u64>,
}

impl Values {
    /// The name of a number (the last one defined, as FreeRADIUS prints).
    #[must_use]
    pub fn name(&self, number: u64) -> Option<&str> {
        self.by_number.get(&number).map(String::as_str)
    }

    /// The number of a name (case-insensitive).
    #[must_use]
    pub fn number(&self, name: &str) -> Option<u64> {
        with_lowercase(name, |n| self.by_name.get(n).copied())
    }

    /// Number of distinct names.
    #[must_use]
    pub fn len(&self) -> usize {
        self.by_name.len()
    }

    /// True when there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }

    /// `(number, name)` pairs in number order.
    pub fn iter(&self) -> impl Iterator<Item = (u64, &str)> {
        self.by_number.iter().map(|(n, s)| (*n, s.as_str()))
    }
}
