//! # radius-dict
//!
//! The FreeRADIUS dictionary format: a strict parser that reads the whole FreeRADIUS
//! 3.2 tree (every keyword, type name and flag it accepts), with errors that carry
//! file, line, column and the offending token, and a model that maps names to numbers
//! and back: vendors with their Vendor-Specific format, attributes by name
//! (case-insensitive) or by numeric path, and enumerated values.
//!
//! The dictionary names and formats; it does not parse packet structure. Reading a
//! packet ([`Dictionary::decode`]) takes what the codec's structural reader
//! ([`radius_codec::Packet::addressed`]) yields, an address and value octets per
//! attribute (Vendor-Specific split, WiMAX continuations and long-extended fragments
//! joined, EVS split), and only looks the address up, descends TLVs where the type is
//! `tlv`, splits tags, reveals hidden values and names. Building
//! ([`Dictionary::add`]) places values with the codec's
//! [`radius_codec::PacketBuilder::add_at_with`].
//!
//! Values as text: [`Dictionary::parse_value`] and [`Dictionary::format_value`] are
//! the plain pair (data taken exactly, dates as seconds since 1970),
//! [`Dictionary::parse_value_freeradius`] and [`Dictionary::format_value_freeradius`]
//! the FreeRADIUS pair (quoted strings with escapes, dates as
//! `"Dec  2 2026 05:00:00 UTC"`); both parsers read every date spelling FreeRADIUS
//! 3.2 prints.
//!
//! ```
//! use radius_dict::{Dictionary, MemoryResolver, Mode};
//! use radius_codec::DataType;
//!
//! let mut files = MemoryResolver::new();
//! files.insert("dictionary", "
//! ATTRIBUTE  Service-Type  6  integer
//! VALUE      Service-Type  Framed-User  2
//! VENDOR     Cisco  9
//! BEGIN-VENDOR Cisco
//! ATTRIBUTE  Cisco-AVPair  1  string
//! END-VENDOR Cisco
//! ");
//! let (dict, warnings) = Dictionary::load(&files, "dictionary", Mode::Strict)?;
//! assert!(warnings.is_empty());
//! let st = dict.attr("service-type").unwrap();
//! assert_eq!(st.data_type(), DataType::Integer);
//! assert_eq!(dict.values(st).unwrap().number("framed-user"), Some(2));
//! assert_eq!(dict.attr("Cisco-AVPair").unwrap().addr().vendor(), radius_codec::VendorId(9));
//! # Ok::<(), radius_dict::Error>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(
    test,
    allow(
        clippy::indexing_slicing,
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic
    )
)]

mod abinary;
mod date;
mod display;
mod error;
mod hash;
mod model;
mod packet;
mod parse;
mod raw;
mod resolver;
mod suggest;
mod text;

use hash::{with_lowercase, FxMap};
use radius_codec::VendorId;

pub use abinary::FilterError;
pub use display::PacketDisplay;
pub use error::{Error, ErrorKind};
pub use model::{AttrDef, Encrypt, Flags, Values, Vendor, MAX_DEPTH};
pub use packet::{Decoded, Hiding};
pub use parse::Mode;
/// Where an attribute lives: the codec's one attribute address type, re-exported.
pub use radius_codec::AttrAddr;
pub use resolver::{FsResolver, MemoryResolver, Resolver};

/// The crate README's examples, run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// The embedded files of [`Dictionary::builtin`].
pub const BUILTIN_FILES: &[(&str, &str)] = &[
    ("dictionary", include_str!("../builtin/dictionary")),
    ("dictionary.rfc", include_str!("../builtin/dictionary.rfc")),
    (
        "dictionary.vendors",
        include_str!("../builtin/dictionary.vendors"),
    ),
];

/// A loaded dictionary.
#[derive(Clone, Debug, Default)]
pub struct Dictionary {
    vendors: Vec<Vendor>,
    vendor_by_name: FxMap<String, usize>,
    vendor_by_id: FxMap<u32, usize>,
    attrs: Vec<AttrDef>,
    by_name: FxMap<String, usize>,
    by_key: FxMap<AttrAddr, usize>,
    /// `by_key` for the 255 standard attributes, without hashing (the common case
    /// when decoding). `u32::MAX`: none.
    standard: Vec<u32>,
    /// VALUEs belong to the attribute's number, shared by every name it has (as in
    /// FreeRADIUS).
    values: FxMap<AttrAddr, Values>,
    /// Distinct (attribute name, value name) pairs defined, for statistics: keyed by
    /// attribute index and a hash of the lowercase value name.
    value_pairs: FxMap<(usize, u64), ()>,
}

impl Dictionary {
    /// An empty dictionary.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The built-in dictionary: the standard attributes of the RFCs nacwire's users
    /// meet and the common vendors (Cisco and Airespace, Microsoft, Juniper/ERX, Aruba, HP, Extreme,
    /// Fortinet, MikroTik, Ruckus, Meraki, WISPr, DSL Forum), written for nacwire from
    /// the RFCs and IANA
    /// registries and checked against FreeRADIUS 3.2 by the tests. Parsed once, on
    /// first use.
    pub fn builtin() -> &'static Self {
        static BUILTIN: std::sync::OnceLock<Dictionary> = std::sync::OnceLock::new();
        BUILTIN.get_or_init(|| {
            let mut files = MemoryResolver::new();
            for (name, text) in BUILTIN_FILES {
                files.insert(*name, *text);
            }
            // The embedded files are checked by the tests: loading cannot fail, and an
            // empty dictionary would only make lookups miss, never panic.
            Self::load(&files, "dictionary", Mode::Strict)
                .map(|(d, _)| d)
                .unwrap_or_default()
        })
    }

    /// Loads `root` and everything it includes. Returns the dictionary and, in
    /// [`Mode::Lenient`], the problems that were skipped.
    ///
    /// Hostile trees stay bounded: each file (by the resolver's canonical name) is
    /// read and parsed at most once per load, a file including itself is
    /// [`ErrorKind::IncludeCycle`], and includes nest at most 32 deep. A load reads
    /// at most 2048 files, 4 MiB per file and 16 MiB in all, and defines at most
    /// 2^20 attributes ([`ErrorKind::TooLarge`]); a lenient load keeps at most 1000
    /// warnings, then one [`ErrorKind::TooManyWarnings`].
    pub fn load(resolver: &dyn Resolver, root: &str, mode: Mode) -> Result<(Self, Vec<Error>), Error> {
        Self::new().load_more(resolver, root, mode)
    }

    /// Loads a dictionary file from disk (strict).
    pub fn from_file(path: impl AsRef<std::path::Path>) -> Result<Self, Error> {
        let path = path.as_ref().to_string_lossy().into_owned();
        Self::load(&FsResolver, &path, Mode::Strict).map(|(d, _)| d)
    }

    /// Loads more files on top of this dictionary (e.g. a site's own dictionary on top
    /// of another).
    pub fn load_more(
        self,
        resolver: &dyn Resolver,
        root: &str,
        mode: Mode,
    ) -> Result<(Self, Vec<Error>), Error> {
        let mut loader = parse::Loader::new(self, resolver, mode);
        loader.load_root(root)?;
        Ok((loader.dict, loader.warnings))
    }

    /// An attribute by name (case-insensitive).
    #[must_use]
    pub fn attr(&self, name: &str) -> Option<&AttrDef> {
        self.attr_index(name).and_then(|i| self.attr_at(i))
    }

    /// An attribute by vendor and numeric path.
    #[must_use]
    pub fn attr_by_addr(&self, key: AttrAddr) -> Option<&AttrDef> {
        if let (VendorId(0), [t @ 0..=255]) = (key.vendor(), key.path()) {
            let i = self.standard.get(*t as usize).copied().unwrap_or(u32::MAX);
            return self.attrs.get(i as usize);
        }
        // Everything else, standard numbers over 255 (FreeRADIUS's internal and
        // virtual attributes) included.
        self.by_key.get(&key).and_then(|i| self.attrs.get(*i))
    }

    /// The enumerated values of an attribute.
    #[must_use]
    pub fn values(&self, attr: &AttrDef) -> Option<&Values> {
        self.values.get(&attr.addr)
    }

    /// A vendor by name (case-insensitive).
    #[must_use]
    pub fn vendor_by_name(&self, name: &str) -> Option<&Vendor> {
        with_lowercase(name, |n| self.vendor_by_name.get(n).copied()).and_then(|i| self.vendors.get(i))
    }

    /// A vendor by id.
    #[must_use]
    pub fn vendor_by_id(&self, id: VendorId) -> Option<&Vendor> {
        self.vendor_by_id.get(&id.0).and_then(|i| self.vendors.get(*i))
    }

    /// Every vendor, in definition order.
    pub fn vendors(&self) -> impl Iterator<Item = &Vendor> {
        self.vendors.iter()
    }

    /// Every attribute, in definition order.
    pub fn attributes(&self) -> impl Iterator<Item = &AttrDef> {
        self.attrs.iter()
    }

    /// Number of attributes.
    #[must_use]
    pub fn attr_count(&self) -> usize {
        self.attrs.len()
    }

    /// Number of VALUE definitions: distinct (attribute name, value name) pairs.
    #[must_use]
    pub fn value_count(&self) -> usize {
        self.value_pairs.len()
    }

    // ---- used by the loader ------------------------------------------------------

    pub(crate) fn attr_index(&self, name: &str) -> Option<usize> {
        with_lowercase(name, |n| self.by_name.get(n).copied())
    }

    pub(crate) fn attr_at(&self, i: usize) -> Option<&AttrDef> {
        self.attrs.get(i)
    }

    pub(crate) fn reserve(&mut self, attrs: usize) {
        self.attrs.reserve(attrs);
        self.by_name.reserve(attrs);
        self.by_key.reserve(attrs);
    }

    pub(crate) fn add_vendor(&mut self, v: Vendor) {
        if let Some(&i) = self.vendor_by_name.get(&v.name.to_ascii_lowercase()) {
            // Redefinition with the same id: the later format wins, as in FreeRADIUS.
            if let Some(old) = self.vendors.get_mut(i) {
                old.format = v.format;
            }
            return;
        }
        let i = self.vendors.len();
        self.vendor_by_name.insert(v.name.to_ascii_lowercase(), i);
        self.vendor_by_id.insert(v.id.0, i);
        self.vendors.push(v);
    }

    pub(crate) fn add_attr(&mut self, def: AttrDef) {
        let i = self.attrs.len();
        self.by_name.insert(def.name.to_ascii_lowercase(), i);
        // A later name for the same number wins for printing, as in FreeRADIUS.
        self.index_key(def.addr, i);
        self.attrs.push(def);
    }

    /// Makes the number of the definition at `i` resolve to it.
    pub(crate) fn repoint_key(&mut self, i: usize) {
        if let Some(def) = self.attrs.get(i) {
            let key = def.addr;
            self.index_key(key, i);
        }
    }

    /// Makes `key` resolve to attribute `i`.
    fn index_key(&mut self, key: AttrAddr, i: usize) {
        self.by_key.insert(key, i);
        if let (VendorId(0), [t]) = (key.vendor(), key.path()) {
            if self.standard.is_empty() {
                self.standard = vec![u32::MAX; 256];
            }
            if let Some(slot) = self.standard.get_mut(*t as usize) {
                *slot = u32::try_from(i).unwrap_or(u32::MAX);
            }
        }
    }

    /// Replaces the definition at `i` (same name), re-indexing its number.
    pub(crate) fn replace_attr(&mut self, i: usize, def: AttrDef) {
        let Some(slot) = self.attrs.get_mut(i) else {
            return;
        };
        let old_key = slot.addr;
        let new_key = def.addr;
        *slot = def;
        if self.by_key.get(&old_key) == Some(&i) {
            self.by_key.remove(&old_key);
            if let (VendorId(0), [t]) = (old_key.vendor(), old_key.path()) {
                if let Some(slot) = self.standard.get_mut(*t as usize) {
                    *slot = u32::MAX;
                }
            }
        }
        self.index_key(new_key, i);
    }

    /// Adds VALUE `name` = `number` to attribute `attr`. The name is the one `number`
    /// prints as unless `keep_printed` and it has one already (a VALUE read before
    /// its attribute: FreeRADIUS prints the attribute's own names, not those of
    /// `dictionary.compat`).
    pub(crate) fn add_value(&mut self, attr: usize, name: &str, number: u64, keep_printed: bool) {
        let Some(def) = self.attrs.get_mut(attr) else {
            return;
        };
        let lower = name.to_ascii_lowercase();
        let name_hash = {
            use std::hash::{Hash, Hasher};
            let mut h = hash::FxHasher::default();
            lower.hash(&mut h);
            h.finish()
        };
        self.value_pairs.insert((attr, name_hash), ());
        let v = self.values.entry(def.addr).or_default();
        v.by_name.insert(lower, number);
        if !(keep_printed && v.by_number.contains_key(&number)) {
            v.by_number.insert(number, name.to_string());
        }
    }

    pub(crate) fn values_of_index(&self, attr: usize) -> Option<&Values> {
        self.attrs.get(attr).and_then(|d| self.values(d))
    }
}
