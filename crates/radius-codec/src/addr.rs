//! The one attribute address type: where an attribute lives, as numbers.
//!
//! See [`AttrAddr`] for each kind of attribute. `Display` is FreeRADIUS's numbering
//! of unknown attributes. Where an address goes on the wire is
//! [`crate::PacketBuilder::add_at`]'s business.

use core::fmt;

use crate::VendorId;

/// The deepest attribute path (type, TLV levels, extended types) an address holds.
pub const MAX_DEPTH: usize = 8;

/// Where an attribute lives.
///
/// A vendor ([`VendorId`]; 0 for the standard space) and a numeric path of at most [`MAX_DEPTH`] numbers:
///
/// | attribute                         | vendor | path             | `Display`          |
/// |-----------------------------------|--------|------------------|--------------------|
/// | standard (User-Name)              | 0      | `[1]`            | `Attr-1`           |
/// | TLV child of a standard `tlv`     | 0      | `[173, 1]`       | `Attr-173.1`       |
/// | Vendor-Specific (Cisco-AVPair)    | 9      | `[1]`            | `Attr-26.9.1`      |
/// | TLV child of a VSA                | V      | `[t, c]`         | `Attr-26.V.t.c`    |
/// | extended / long-extended          | 0      | `[241, 1]`       | `Attr-241.1`       |
/// | TLV child of an extended          | 0      | `[241, 2, 1]`    | `Attr-241.2.1`     |
/// | Extended-Vendor-Specific          | V      | `[245, 26, t]`   | `Attr-245.26.V.t`  |
///
/// `Copy`, `Hash` and `Ord` (by vendor, then path), so it keys maps and sorts.
///
/// ```
/// use radius_codec::{AttrAddr, VendorId};
/// let avpair = AttrAddr::new(VendorId::CISCO, &[1]).unwrap();
/// assert_eq!(avpair.to_string(), "Attr-26.9.1");
/// assert_eq!(AttrAddr::standard(1).to_string(), "Attr-1");
/// let child = AttrAddr::new(VendorId(0), &[241, 2]).unwrap().child(1).unwrap();
/// assert_eq!(child.path(), [241, 2, 1]);
/// assert_eq!(child.parent().unwrap().path(), [241, 2]);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AttrAddr {
    // Field order is the `Ord`: vendor, then path (a prefix before its children).
    vendor: VendorId,
    path: [u32; MAX_DEPTH],
    len: u8,
}

impl AttrAddr {
    /// An address from a vendor and a path of 1..=[`MAX_DEPTH`] numbers.
    #[must_use]
    pub fn new(vendor: VendorId, path: &[u32]) -> Option<Self> {
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
            vendor: VendorId(0),
            len: 1,
            path,
        }
    }

    /// The Vendor-Specific attribute `vendor_type` of `vendor`. Vendor 0 is the
    /// standard space, not a vendor: `vendor_specific(VendorId(0), t)` is
    /// [`AttrAddr::standard`]`(t)`, so a caller holding a vendor id read from a packet
    /// must not pass 0 ([`crate::Packet::addressed`] never does).
    #[must_use]
    pub const fn vendor_specific(vendor: VendorId, vendor_type: u32) -> Self {
        let mut path = [0u32; MAX_DEPTH];
        path[0] = vendor_type;
        Self { vendor, path, len: 1 }
    }

    /// The extended or long-extended attribute `attr.ext_type` (`241.8`).
    #[must_use]
    pub const fn extended(attr: u8, ext_type: u8) -> Self {
        let mut path = [0u32; MAX_DEPTH];
        path[0] = attr as u32;
        path[1] = ext_type as u32;
        Self {
            vendor: VendorId(0),
            path,
            len: 2,
        }
    }

    /// The Extended-Vendor-Specific attribute `vendor_type` of `vendor`, carried in
    /// the extended or long-extended attribute `attr` (`245.26.V.t`). With vendor 0
    /// this is the TLV child `attr.26.vendor_type`, not an EVS.
    #[must_use]
    pub const fn evs(attr: u8, vendor: VendorId, vendor_type: u8) -> Self {
        let mut path = [0u32; MAX_DEPTH];
        path[0] = attr as u32;
        path[1] = 26;
        path[2] = vendor_type as u32;
        Self { vendor, path, len: 3 }
    }

    /// The vendor id (0 for standard attributes).
    #[must_use]
    pub const fn vendor(&self) -> VendorId {
        self.vendor
    }

    /// The numeric path.
    #[must_use]
    pub fn path(&self) -> &[u32] {
        self.path.get(..usize::from(self.len)).unwrap_or_default()
    }

    /// The address with one more number appended (a TLV child); `None` past
    /// [`MAX_DEPTH`].
    #[must_use]
    pub fn child(&self, n: u32) -> Option<Self> {
        let mut k = *self;
        let slot = k.path.get_mut(usize::from(k.len))?;
        *slot = n;
        k.len += 1;
        Some(k)
    }

    /// The parent's address (`None` at the top).
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

    /// Reads FreeRADIUS's numbering, as [`Display`](fmt::Display) writes it, with or
    /// without the `Attr-` prefix: `1`, `173.1` (TLV child), `26.V.t[.c..]`
    /// (Vendor-Specific), `241.1`, `241.2.1`, `245.26.V.t[.c..]`
    /// (Extended-Vendor-Specific). `None` for anything else, for a vendor id 0 (`26.0.1`
    /// is not User-Name) and for more than [`MAX_DEPTH`] numbers in the path.
    ///
    /// ```
    /// use radius_codec::{AttrAddr, VendorId};
    /// assert_eq!(AttrAddr::parse("Attr-26.9.1"), Some(AttrAddr::vendor_specific(VendorId::CISCO, 1)));
    /// assert_eq!(AttrAddr::parse("245.26.9.7"), Some(AttrAddr::evs(245, VendorId::CISCO, 7)));
    /// assert_eq!(AttrAddr::parse("241.8"), Some(AttrAddr::extended(241, 8)));
    /// assert_eq!(AttrAddr::parse("26.0.1"), None);
    /// let a = AttrAddr::parse("Attr-26.24757.1.3").unwrap();
    /// assert_eq!(AttrAddr::parse(&a.to_string()), Some(a));
    /// ```
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.strip_prefix("Attr-").unwrap_or(text);
        let mut numbers = [0u32; MAX_DEPTH + 2];
        let mut n = 0usize;
        for part in text.split('.') {
            // Digits only: `str::parse` would take a leading `+`.
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            *numbers.get_mut(n)? = part.parse().ok()?;
            n += 1;
        }
        let numbers = numbers.get(..n)?;
        match numbers {
            [26, vendor, path @ ..] if !path.is_empty() => {
                (*vendor != 0).then_some(())?;
                Self::new(VendorId(*vendor), path)
            }
            [e @ 241..=246, 26, vendor, t, rest @ ..] => {
                (*vendor != 0).then_some(())?;
                let mut a = Self::new(VendorId(*vendor), &[*e, 26, *t])?;
                for c in rest {
                    a = a.child(*c)?;
                }
                Some(a)
            }
            path => Self::new(VendorId(0), path),
        }
    }

    /// True for an Extended-Vendor-Specific address (`vendor V, [241..=246, 26, ..]`).
    #[must_use]
    pub fn is_evs(&self) -> bool {
        self.vendor.0 != 0 && matches!(self.path(), [241..=246, 26, _, ..])
    }
}

impl fmt::Debug for AttrAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Display for AttrAddr {
    /// FreeRADIUS's numbering: `Attr-1`, `Attr-26.9.1`, `Attr-241.2.1`,
    /// `Attr-245.26.V.t`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let nums = |f: &mut fmt::Formatter<'_>, ns: &[u32]| ns.iter().try_for_each(|n| write!(f, ".{n}"));
        match (self.vendor.0, self.path()) {
            (0, [first, rest @ ..]) => {
                write!(f, "Attr-{first}")?;
                nums(f, rest)
            }
            (v, [e, 26, rest @ ..]) if (241..=246).contains(e) => {
                write!(f, "Attr-{e}.26.{v}")?;
                nums(f, rest)
            }
            (v, path) => {
                write!(f, "Attr-26.{v}")?;
                nums(f, path)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_reads_what_display_writes() {
        use proptest::prelude::*;
        let n = || 0u32..300;
        let addr = prop_oneof![
            (1u32..=255, proptest::collection::vec(n(), 0..3)).prop_map(|(t, rest)| {
                let t = if t == 26 || (241..=246).contains(&t) { 1 } else { t };
                let mut p = vec![t];
                p.extend(rest);
                AttrAddr::new(VendorId(0), &p).unwrap()
            }),
            (1u32.., proptest::collection::vec(n(), 1..4))
                .prop_map(|(v, p)| AttrAddr::new(VendorId(v), &p).unwrap()),
            (241u8..=246, 0u8..=255, proptest::collection::vec(n(), 0..3)).prop_map(|(e, x, rest)| {
                let x = if x == 26 { 1 } else { x };
                let mut a = AttrAddr::extended(e, x);
                for c in rest {
                    a = a.child(c).unwrap();
                }
                a
            }),
            (241u8..=246, 1u32.., 0u8..=255).prop_map(|(e, v, t)| AttrAddr::evs(e, VendorId(v), t)),
        ];
        proptest!(|(a in addr)| {
            prop_assert_eq!(AttrAddr::parse(&a.to_string()), Some(a));
            let bare = a.to_string();
            prop_assert_eq!(AttrAddr::parse(bare.trim_start_matches("Attr-")), Some(a));
        });
        for bad in [
            "",
            "Attr-",
            "1.",
            ".1",
            "1..2",
            "+1",
            "-1",
            "x",
            "26.0.1",
            "245.26.0.1",
            "4294967296",
            "1.2.3.4.5.6.7.8.9",
        ] {
            assert_eq!(AttrAddr::parse(bad), None, "{bad:?}");
        }
        assert_eq!(AttrAddr::parse("26"), Some(AttrAddr::standard(26)));
        assert_eq!(
            AttrAddr::parse("26.9"),
            Some(AttrAddr::new(VendorId(0), &[26, 9]).unwrap())
        );
        assert_eq!(
            AttrAddr::parse("1.2.3.4.5.6.7.8"),
            AttrAddr::new(VendorId(0), &[1, 2, 3, 4, 5, 6, 7, 8])
        );
    }

    #[test]
    fn display_is_freeradius_numbering() {
        let a = |v, p: &[u32]| AttrAddr::new(VendorId(v), p).unwrap().to_string();
        assert_eq!(a(0, &[1]), "Attr-1");
        assert_eq!(a(0, &[241, 2, 1]), "Attr-241.2.1");
        assert_eq!(a(9, &[1]), "Attr-26.9.1");
        assert_eq!(a(24757, &[1, 3]), "Attr-26.24757.1.3");
        assert_eq!(a(9, &[245, 26, 7]), "Attr-245.26.9.7");
        assert!(AttrAddr::new(VendorId(0), &[]).is_none());
        assert!(AttrAddr::new(VendorId(0), &[1; MAX_DEPTH + 1]).is_none());
        assert!(AttrAddr::new(VendorId(0), &[1; MAX_DEPTH])
            .unwrap()
            .child(1)
            .is_none());
        assert!(AttrAddr::standard(1).parent().is_none());
        assert_eq!(
            AttrAddr::vendor_specific(VendorId(9), 1),
            AttrAddr::new(VendorId(9), &[1]).unwrap()
        );
        assert_eq!(
            AttrAddr::extended(241, 8),
            AttrAddr::new(VendorId(0), &[241, 8]).unwrap()
        );
        let evs = AttrAddr::evs(245, VendorId(9), 7);
        assert_eq!(evs, AttrAddr::new(VendorId(9), &[245, 26, 7]).unwrap());
        assert!(evs.is_evs());
        assert_eq!(
            AttrAddr::new(VendorId(0), &[1, 2]).unwrap().parent(),
            Some(AttrAddr::standard(1))
        );
    }
}
