//! The dictionary model: vendors, attribute definitions, enumerated values.

use std::collections::BTreeMap;

use crate::hash::{with_lowercase, FxMap};

use radius_codec::{DataType, VendorFormat, VendorId};

/// The deepest attribute path (type, TLV levels, extended types) the model keeps.
pub const MAX_DEPTH: usize = 8;

/// Where an attribute lives: a vendor (0 for the RADIUS standard space) and a
/// numeric path.
///
/// - `vendor 0, [1]`: User-Name; `vendor 0, [241, 1]`: an extended attribute.
/// - Vendor attributes keep the vendor apart: `vendor 9, [1]` is Cisco-AVPair.
/// - TLV children append to their parent's path: `vendor 0, [241, 2, 1]`.
/// - Extended-Vendor-Specific attributes: `vendor V, [245, 26, type]`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AttrKey {
    vendor: u32,
    len: u8,
    path: [u32; MAX_DEPTH],
}

impl AttrKey {
    /// A key from a vendor and a path (at most [`MAX_DEPTH`] numbers).
    #[must_use]
    pub fn new(vendor: u32, path: &[u32]) -> Option<Self> {
        if path.is_empty() || path.len() > MAX_DEPTH {
            return None;
        }
        let mut p = [0u32; MAX_DEPTH];
        p.iter_mut().zip(path).for_each(|(d, s)| *d = *s);
        Some(Self {
            vendor,
            len: path.len() as u8,
            path: p,
        })
    }

    /// The standard attribute `typ`.
    #[must_use]
    pub const fn standard(typ: u32) -> Self {
        let mut path = [0u32; MAX_DEPTH];
        path[0] = typ;
        Self {
            vendor: 0,
            len: 1,
            path,
        }
    }

    /// The vendor id (0 for standard attributes).
    #[must_use]
    pub const fn vendor(&self) -> u32 {
        self.vendor
    }

    /// The numeric path.
    #[must_use]
    pub fn path(&self) -> &[u32] {
        self.path.get(..usize::from(self.len)).unwrap_or_default()
    }

    /// The key with one more number appended (a TLV child).
    #[must_use]
    pub fn child(&self, n: u32) -> Option<Self> {
        let mut k = *self;
        let slot = k.path.get_mut(usize::from(k.len))?;
        *slot = n;
        k.len += 1;
        Some(k)
    }

    /// The parent's key (`None` at the top).
    #[must_use]
    pub fn parent(&self) -> Option<Self> {
        if self.len <= 1 {
            return None;
        }
        let mut k = *self;
        k.len -= 1;
        if let Some(slot) = k.path.get_mut(usize::from(k.len)) {
            *slot = 0;
        }
        Some(k)
    }
}

impl core::fmt::Debug for AttrKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{self}")
    }
}

impl core::fmt::Display for AttrKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        if self.vendor != 0 {
            write!(f, "{}:", self.vendor)?;
        }
        for (i, n) in self.path().iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            write!(f, "{n}")?;
        }
        Ok(())
    }
}

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
    pub(crate) key: AttrKey,
    pub(crate) data_type: DataType,
    pub(crate) fixed_len: Option<u16>,
    pub(crate) flags: Flags,
}

impl AttrDef {
    /// Its name as defined.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Where it lives.
    #[must_use]
    pub fn key(&self) -> AttrKey {
        self.key
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
