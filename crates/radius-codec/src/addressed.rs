//! The structural reader: every attribute of a packet as an [`AttrAddr`] and its value
//! octets ([`Packet::addressed`]). Every structure whose layout is known from numbers
//! alone is taken apart here, once; a dictionary only looks the addresses up, and
//! descends TLVs where its types say so.

use std::borrow::Cow;

use crate::extended::EVS_TYPE;
use crate::packet::{evs_ok, read_extended, vendor_of, Attribute, Attributes, VendorFormats};
use crate::vsa::{VendorAttr, VendorAttrs};
use crate::Vsa;
use crate::{AttrAddr, AttrType, DataType, Packet, Result, Value, VendorId};

/// One attribute as [`Packet::addressed`] reads it: where it lives, its value octets
/// and where it starts on the wire.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AddrValue<'a> {
    addr: AttrAddr,
    value: Cow<'a, [u8]>,
    offset: usize,
    fragments: usize,
    malformed: bool,
}

impl<'a> AddrValue<'a> {
    /// The attribute's address.
    #[must_use]
    pub const fn addr(&self) -> AttrAddr {
        self.addr
    }

    /// The value octets (for a Vendor-Specific sub-attribute, after its header; for
    /// an EVS, after the vendor id and vendor type).
    #[must_use]
    pub fn value(&self) -> &[u8] {
        &self.value
    }

    /// Takes the value: borrowed from the packet unless it was joined from
    /// long-extended fragments or WiMAX continuations.
    #[must_use]
    pub fn into_value(self) -> Cow<'a, [u8]> {
        self.value
    }

    /// Offset from the start of the packet of the (first) attribute that carries the
    /// value: for a Vendor-Specific sub-attribute, of its Vendor-Specific attribute.
    #[must_use]
    pub const fn offset(&self) -> usize {
        self.offset
    }

    /// How many attributes (long-extended fragments) or WiMAX sub-attributes carried
    /// the value: 1 unless it was joined.
    #[must_use]
    pub const fn fragments(&self) -> usize {
        self.fragments
    }

    /// True for an attribute whose structure could not be taken apart, which
    /// FreeRADIUS 3.2 keeps as a raw attribute:
    ///
    /// - a Vendor-Specific too short for a vendor id, without vendor data, whose
    ///   sub-attributes do not fill it exactly in the vendor's format, or (WiMAX,
    ///   `1,1,c`) that does not hold exactly one sub-attribute with data, of a type
    ///   [`VendorFormats::knows`], whose continuation does not end: the attribute
    ///   whole, address `0, [26]`, the value every octet after type and length
    ///   (vendor id included), printed `Attr-26 = 0x...`;
    ///   [`crate::Attribute::vsa_with`] on it says what is wrong (except for WiMAX);
    /// - an extended attribute (241-244) without Extended-Type and data, a
    ///   long-extended one (245-246) without flags and data or whose More flag is not
    ///   followed by the fragments that end the value: the attribute (the first
    ///   fragment) whole, address `0, [t]`, printed `Attr-245 = 0x...`;
    /// - an Extended-Vendor-Specific too short for vendor id, vendor type and one
    ///   octet of data, or with a vendor id over 24 bits: address `0, [t, 26]`, the
    ///   value after the Extended-Type (and flags), printed `Attr-241.26 = 0x...`.
    ///
    /// ```
    /// use radius_codec::{AttrAddr, BuiltinFormats, Packet};
    /// // User-Name "bob", a Cisco VSA whose sub-attribute claims 7 octets of 4,
    /// // NAS-Port 7.
    /// let mut bytes = vec![4, 1, 0, 41];
    /// bytes.extend([0; 16]);
    /// bytes.extend([1, 5, b'b', b'o', b'b', 26, 10, 0, 0, 0, 9, 1, 7, b'x', b'y']);
    /// bytes.extend([5, 6, 0, 0, 0, 7]);
    /// let p = Packet::new_checked(&bytes[..])?;
    /// let got: Vec<_> = p
    ///     .addressed(&BuiltinFormats)
    ///     .map(|a| (a.addr().to_string(), a.value().to_vec(), a.is_malformed()))
    ///     .collect();
    /// assert_eq!(
    ///     got,
    ///     [
    ///         ("Attr-1".into(), b"bob".to_vec(), false),
    ///         ("Attr-26".into(), vec![0, 0, 0, 9, 1, 7, b'x', b'y'], true),
    ///         ("Attr-5".into(), vec![0, 0, 0, 7], false),
    ///     ]
    /// );
    /// # Ok::<(), radius_codec::Error>(())
    /// ```
    #[must_use]
    pub const fn is_malformed(&self) -> bool {
        self.malformed
    }

    /// Decodes the value as `data_type`: the typed reader for callers that know the
    /// type of each address. Borrows from the packet where the value does.
    ///
    /// ```
    /// use radius_codec::{AttrAddr, BuiltinFormats, DataType, Packet, PacketBuilder, SharedSecret, Value};
    /// let mut b = PacketBuilder::accounting_request(1);
    /// b.add_at(&AttrAddr::standard(5), &7u32.to_be_bytes())?;
    /// let bytes = b.finish(&SharedSecret::from("s"))?;
    /// let p = Packet::new_checked(&bytes[..])?;
    /// let (addr, value) = p
    ///     .addressed(&BuiltinFormats)
    ///     .map(|a| (a.addr(), a.decode(DataType::Integer)))
    ///     .next()
    ///     .unwrap();
    /// assert_eq!((addr, value?), (AttrAddr::standard(5), Value::Integer(7)));
    /// # Ok::<(), radius_codec::Error>(())
    /// ```
    pub fn decode(&self, data_type: DataType) -> Result<Value<'a>> {
        match &self.value {
            Cow::Borrowed(b) => Value::decode(data_type, b),
            Cow::Owned(b) => Value::decode(data_type, b).map(Value::into_owned),
        }
    }
}

/// The Vendor-Specific attribute being read, sub-attribute by sub-attribute.
#[derive(Clone, Debug)]
struct VsaCursor<'a> {
    offset: usize,
    vendor: VendorId,
    subs: VendorAttrs<'a>,
}

/// Iterator over the attributes of a packet as addresses and values; see
/// [`Packet::addressed`].
#[derive(Clone)]
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct Addressed<'a, 'f> {
    attrs: Attributes<'a>,
    formats: &'f dyn VendorFormats,
    vsa: Option<VsaCursor<'a>>,
}

impl core::fmt::Debug for Addressed<'_, '_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Addressed")
            .field("attrs", &self.attrs)
            .field("vsa", &self.vsa)
            .finish_non_exhaustive()
    }
}

impl<'a> Iterator for Addressed<'a, '_> {
    type Item = AddrValue<'a>;

    fn next(&mut self) -> Option<AddrValue<'a>> {
        loop {
            if let Some(cur) = &mut self.vsa {
                if let Some(sub) = cur.subs.next() {
                    return Some(AddrValue {
                        addr: AttrAddr::vendor_specific(cur.vendor, sub.vendor_type()),
                        value: Cow::Borrowed(sub.value()),
                        offset: cur.offset,
                        fragments: 1,
                        malformed: false,
                    });
                }
                self.vsa = None;
            }
            let a = self.attrs.next()?;
            // Vendor id 0 is the standard space, not a vendor: its sub-attribute `t`
            // would read as the standard attribute `t` (a User-Name inside a VSA), so
            // it stays whole. A VSA that does not parse stays whole too, flagged.
            if a.typ() == AttrType::VENDOR_SPECIFIC {
                let vendor = vendor_of(a.value());
                let format = self.formats.vendor_format(vendor);
                match a.vsa_with(format) {
                    Ok(vsa) if vendor != VendorId(0) && format.has_continuation() => {
                        return Some(
                            read_wimax(&a, &vsa, &mut self.attrs, self.formats)
                                .unwrap_or_else(|| whole(&a, true)),
                        );
                    }
                    Ok(vsa) if vendor != VendorId(0) => {
                        self.vsa = Some(VsaCursor {
                            offset: a.offset(),
                            vendor: vsa.vendor(),
                            subs: vsa.attrs(),
                        });
                        continue;
                    }
                    Ok(_) => return Some(whole(&a, false)),
                    Err(_) => return Some(whole(&a, true)),
                }
            }
            return Some(read_plain(a, &mut self.attrs));
        }
    }
}

/// The attribute whole: address `0, [t]`, its value as it is.
fn whole<'a>(a: &Attribute<'a>, malformed: bool) -> AddrValue<'a> {
    AddrValue {
        addr: AttrAddr::standard(u32::from(a.typ().0)),
        value: Cow::Borrowed(a.value()),
        offset: a.offset(),
        fragments: 1,
        malformed,
    }
}

/// The one sub-attribute of a WiMAX (`1,1,c`) Vendor-Specific, as FreeRADIUS 3.2's
/// `data2vp_wimax` takes it: exactly one, filling the VSA, with at least one octet of
/// data.
fn wimax_single<'a>(vsa: &Vsa<'a>) -> Option<VendorAttr<'a>> {
    let mut subs = vsa.attrs();
    let sub = subs.next()?;
    (subs.next().is_none() && !sub.value().is_empty()).then_some(sub)
}

/// A WiMAX (`1,1,c`) value, joined over the VSAs that continue it (each the next
/// attribute, a VSA of the same vendor holding one sub-attribute of the same type),
/// as FreeRADIUS 3.2 reads it; `None` (the first VSA is then kept whole, as
/// FreeRADIUS keeps it raw) when the VSA does not hold exactly one sub-attribute with
/// data, the type is unknown to `formats`, or the continuation does not end. On
/// success `rest` is past the last fragment.
fn read_wimax<'a>(
    a: &Attribute<'a>,
    vsa: &Vsa<'a>,
    rest: &mut Attributes<'a>,
    formats: &dyn VendorFormats,
) -> Option<AddrValue<'a>> {
    let first = wimax_single(vsa)?;
    let (vendor, vendor_type) = (vsa.vendor(), first.vendor_type());
    if !formats.knows(vendor, vendor_type) {
        return None;
    }
    let mut item = AddrValue {
        addr: AttrAddr::vendor_specific(vendor, vendor_type),
        value: Cow::Borrowed(first.value()),
        offset: a.offset(),
        fragments: 1,
        malformed: false,
    };
    let mut more = first.more();
    let mut ahead = rest.clone();
    while more {
        let next = ahead.next()?;
        if next.typ() != AttrType::VENDOR_SPECIFIC || vendor_of(next.value()) != vendor {
            return None;
        }
        let next = next.vsa_with(vsa.format()).ok()?;
        let sub = wimax_single(&next).filter(|s| s.vendor_type() == vendor_type)?;
        item.value.to_mut().extend_from_slice(sub.value());
        item.fragments += 1;
        more = sub.more();
    }
    *rest = ahead;
    Some(item)
}

/// Octets of an EVS vendor header: vendor id (4) and vendor type (1).
const EVS_HEADER: usize = 5;

/// A standard, extended, long-extended (joining the fragments that follow in `rest`)
/// or EVS attribute. What FreeRADIUS 3.2 keeps raw comes out flagged malformed: an
/// extended attribute without Extended-Type and data, a long-extended one without
/// flags and data, or whose More flag is not followed by the fragments that end the
/// value (each as the plain attribute, `0, [t]`, the first fragment only); an EVS too
/// short for its vendor header and one octet of data, or whose vendor id has more
/// than 24 bits (`0, [t, 26]`, the joined value after the Extended-Type). An EVS of
/// vendor id 0 is the extended attribute `t.26`, not flagged (vendor 0 is no vendor
/// address: `0, [t, 26, vt]` is a TLV child).
fn read_plain<'a>(a: Attribute<'a>, rest: &mut Attributes<'a>) -> AddrValue<'a> {
    let t = a.typ();
    let short = match a.value().len() {
        0..=1 => t.is_extended() || t.is_long_extended(),
        2 => t.is_long_extended(),
        _ => false,
    };
    if short {
        return whole(&a, true);
    }
    let mut ahead = rest.clone();
    let Some(e) = read_extended(a, &mut ahead) else {
        return whole(&a, false);
    };
    if !e.is_complete() {
        return whole(&a, true);
    }
    *rest = ahead;
    let (attr, offset, fragments) = (e.attr().0, e.offset(), e.fragments());
    if e.ext_type() != EVS_TYPE {
        return AddrValue {
            addr: AttrAddr::extended(attr, e.ext_type()),
            value: e.into_data(),
            offset,
            fragments,
            malformed: false,
        };
    }
    let evs = e
        .evs()
        .filter(|_| evs_ok(e.data()))
        .map(|evs| (evs.vendor(), evs.vendor_type()));
    let (addr, value, malformed) = match evs {
        // The vendor header (vendor id, vendor type) is in the first fragment only.
        Some((vendor, vendor_type)) if vendor != VendorId(0) => {
            let value = match e.into_data() {
                Cow::Borrowed(d) => Cow::Borrowed(d.get(EVS_HEADER..).unwrap_or_default()),
                Cow::Owned(mut d) => {
                    d.drain(..EVS_HEADER.min(d.len()));
                    Cow::Owned(d)
                }
            };
            (AttrAddr::evs(attr, vendor, vendor_type), value, false)
        }
        Some(_) => (AttrAddr::extended(attr, EVS_TYPE), e.into_data(), false),
        None => (AttrAddr::extended(attr, EVS_TYPE), e.into_data(), true),
    };
    AddrValue {
        addr,
        value,
        offset,
        fragments,
        malformed,
    }
}

impl<'a, T: AsRef<[u8]> + ?Sized> Packet<&'a T> {
    /// Every attribute in wire order as an [`AttrAddr`] and its value octets: the one
    /// structural walk of a packet.
    ///
    /// | on the wire                                      | address          | value                       |
    /// |--------------------------------------------------|------------------|-----------------------------|
    /// | a standard attribute                             | `0, [t]`         | its value                   |
    /// | each sub-attribute of a Vendor-Specific          | `V, [vt]`        | the sub-attribute's value   |
    /// | a WiMAX (`1,1,c`) value continued over VSAs      | `V, [vt]`        | joined                      |
    /// | extended (241-244), long-extended (245-246)      | `0, [t, ext]`    | fragments joined            |
    /// | Extended-Vendor-Specific (Extended-Type 26)      | `V, [t, 26, vt]` | after the vendor header     |
    /// | a VSA that does not parse (flagged [`AddrValue::is_malformed`]) | `0, [26]` | the whole value |
    /// | an extended attribute too short for its header or data, a broken fragment chain (flagged) | `0, [t]` | the whole value (first fragment) |
    /// | an EVS too short, or a vendor id over 24 bits (flagged) | `0, [t, 26]` | after the Extended-Type |
    /// | a VSA of vendor id 0                             | `0, [26]`        | the whole value             |
    /// | an EVS of vendor id 0                            | `0, [t, 26]`     | after the Extended-Type     |
    ///
    /// Vendor-Specific attributes are split in the format `formats` gives each vendor
    /// (a dictionary, or [`crate::BuiltinFormats`]). WiMAX (`1,1,c`), as FreeRADIUS
    /// 3.2's `data2vp_wimax` reads it: each VSA holds one sub-attribute with data; one
    /// flagged "more" goes on in the next attribute, a VSA of the same vendor holding
    /// one sub-attribute of the same type, until one without the flag; a VSA that
    /// breaks this (or whose type `formats` does not [`VendorFormats::knows`]) is
    /// yielded whole and flagged, the first fragment only, and what follows it is read
    /// afresh. A long-extended fragment chain likewise. Whatever does not parse (which
    /// [`Packet::new_checked`] lets through, as FreeRADIUS 3.2 does) is yielded flagged
    /// [`AddrValue::is_malformed`], between the attributes around it. Items come in
    /// wire order of their first octet. Nothing is dropped.
    ///
    /// TLVs are not descended: whether a value is TLVs is a property of its data type,
    /// which the caller knows; it descends with [`crate::Tlvs`] and [`AttrAddr::child`].
    /// [`AddrValue::decode`] gives the typed value.
    ///
    /// ```
    /// use radius_codec::{AttrAddr, AttrType, BuiltinFormats, Packet, PacketBuilder, SharedSecret, VendorId};
    /// let mut b = PacketBuilder::accounting_request(1);
    /// b.add(AttrType::USER_NAME, b"bob")?
    ///     .add_vsa(VendorId::CISCO, 1, b"shell:priv-lvl=15")?
    ///     .add_extended(AttrType::EXTENDED_5, 4, &[7; 600])?; // three fragments
    /// let bytes = b.finish(&SharedSecret::from("s"))?;
    /// let p = Packet::new_checked(&bytes[..])?;
    /// let got: Vec<_> = p
    ///     .addressed(&BuiltinFormats)
    ///     .map(|a| (a.addr().to_string(), a.value().len(), a.fragments()))
    ///     .collect();
    /// assert_eq!(
    ///     got,
    ///     [("Attr-1".into(), 3, 1), ("Attr-26.9.1".into(), 17, 1), ("Attr-245.4".into(), 600, 3)]
    /// );
    /// # Ok::<(), radius_codec::Error>(())
    /// ```
    pub fn addressed<'f>(&self, formats: &'f dyn VendorFormats) -> Addressed<'a, 'f> {
        Addressed {
            attrs: self.attributes(),
            formats,
            vsa: None,
        }
    }
}

impl Packet<Vec<u8>> {
    /// Every attribute as an address and its value; see [`Packet::addressed`].
    pub fn addressed<'f>(&self, formats: &'f dyn VendorFormats) -> Addressed<'_, 'f> {
        self.view().addressed(formats)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::{BuiltinFormats, DecodeOptions, PacketBuilder, SharedSecret, VendorFormat, HEADER_LEN};

    /// An Accounting-Request with the given raw attributes (type, value), unvalidated.
    fn raw(attrs: &[(u8, &[u8])]) -> Vec<u8> {
        let mut p = vec![4, 1, 0, 0];
        p.extend_from_slice(&[0; 16]);
        for (t, v) in attrs {
            p.push(*t);
            p.push(u8::try_from(v.len() + 2).unwrap());
            p.extend_from_slice(v);
        }
        let len = u16::try_from(p.len()).unwrap().to_be_bytes();
        p[2..4].copy_from_slice(&len);
        p
    }

    fn vsa(vendor: u32, subs: &[&[u8]]) -> Vec<u8> {
        let mut v = vendor.to_be_bytes().to_vec();
        subs.iter().for_each(|s| v.extend_from_slice(s));
        v
    }

    /// A WiMAX sub-attribute: type, length, continuation flag, value.
    fn wimax(t: u8, more: bool, value: &[u8]) -> Vec<u8> {
        let mut v = vec![
            t,
            u8::try_from(value.len() + 3).unwrap(),
            if more { 0x80 } else { 0 },
        ];
        v.extend_from_slice(value);
        v
    }

    /// (address, value, offset, fragments, borrowed) of every item.
    fn read(bytes: &[u8], formats: &dyn VendorFormats) -> Vec<(String, Vec<u8>, usize, usize, bool)> {
        Packet::new_unchecked(bytes)
            .addressed(formats)
            .map(|a| {
                let (addr, offset, fragments) = (a.addr().to_string(), a.offset(), a.fragments());
                let value = a.into_value();
                let borrowed = matches!(value, Cow::Borrowed(_));
                (addr, value.into_owned(), offset, fragments, borrowed)
            })
            .collect()
    }

    fn item(
        addr: &str,
        value: &[u8],
        offset: usize,
        fragments: usize,
    ) -> (String, Vec<u8>, usize, usize, bool) {
        (
            addr.to_string(),
            value.to_vec(),
            offset,
            fragments,
            fragments == 1,
        )
    }

    #[test]
    fn standard_and_vendor_specific_in_every_format() {
        let cisco = vsa(9, &[&[1, 5, b'a', b'=', b'b'], &[2, 2]]);
        let usr = vsa(429, &[&[0, 0, 0x98, 0x01, b'x', b'y']]);
        let lucent = vsa(4846, &[&[0x01, 0x02, 4, 7]]);
        let bytes = raw(&[
            (1, b"bob"),
            (26, &cisco),
            (26, &usr),
            (26, &lucent),
            (5, &[0, 0, 0, 3]),
        ]);
        let p = Packet::new_checked(&bytes[..]).unwrap();
        assert_eq!(p.addressed(&BuiltinFormats).count(), 6);
        let vsa_at = HEADER_LEN + 5;
        let usr_at = vsa_at + 2 + cisco.len();
        let lucent_at = usr_at + 2 + usr.len();
        assert_eq!(
            read(&bytes, &BuiltinFormats),
            [
                item("Attr-1", b"bob", HEADER_LEN, 1),
                item("Attr-26.9.1", b"a=b", vsa_at, 1),
                item("Attr-26.9.2", b"", vsa_at, 1),
                item("Attr-26.429.38913", b"xy", usr_at, 1),
                item("Attr-26.4846.258", &[7], lucent_at, 1),
                item("Attr-5", &[0, 0, 0, 3], lucent_at + 2 + lucent.len(), 1),
            ]
        );
        // The format comes from the caller: read as `1,1`, the USR VSA does not parse
        // and stays whole.
        let rfc = |_| VendorFormat::RFC;
        assert_eq!(read(&bytes, &rfc)[3], item("Attr-26", &usr, usr_at, 1));
    }

    /// WiMAX (`1,1,c`) as FreeRADIUS 3.2's `data2vp_wimax` reads it: a VSA holds
    /// one sub-attribute with data; one flagged "more" goes on in the next attribute,
    /// a VSA of the same vendor holding one sub-attribute of the same type, until one
    /// without the flag. A VSA that breaks these rules (two sub-attributes, no data, a
    /// continuation that does not follow or does not end) is kept whole and flagged
    /// (`Attr-26 = 0x...`), the first fragment only; what follows it is read afresh.
    #[test]
    fn wimax_values_are_read_as_freeradius_reads_them() {
        let w = |subs: &[&[u8]]| vsa(24757, subs);
        /// Address, value, index of the VSA it starts at, fragments, malformed.
        type Want = (&'static str, Vec<u8>, usize, usize, bool);
        let cases: Vec<(Vec<Vec<u8>>, Vec<Want>)> = vec![
            // Joined over three VSAs.
            (
                vec![
                    w(&[&wimax(99, true, &[1])]),
                    w(&[&wimax(99, true, &[2])]),
                    w(&[&wimax(99, false, &[3])]),
                ],
                vec![("Attr-26.24757.99", vec![1, 2, 3], 0, 3, false)],
            ),
            // Two sub-attributes in one VSA: raw, flag or not.
            (
                vec![w(&[&wimax(1, false, b"a"), &wimax(2, false, b"b")])],
                vec![(
                    "Attr-26",
                    w(&[&wimax(1, false, b"a"), &wimax(2, false, b"b")]),
                    0,
                    1,
                    true,
                )],
            ),
            // No data.
            (
                vec![w(&[&wimax(1, false, b"")])],
                vec![("Attr-26", w(&[&wimax(1, false, b"")]), 0, 1, true)],
            ),
            // A continuation holding a second sub-attribute: both raw.
            (
                vec![
                    w(&[&wimax(1, true, b"a")]),
                    w(&[&wimax(1, false, b"b"), &wimax(2, false, b"c")]),
                ],
                vec![
                    ("Attr-26", w(&[&wimax(1, true, b"a")]), 0, 1, true),
                    (
                        "Attr-26",
                        w(&[&wimax(1, false, b"b"), &wimax(2, false, b"c")]),
                        1,
                        1,
                        true,
                    ),
                ],
            ),
            // The flag on the last VSA of the packet: raw.
            (
                vec![w(&[&wimax(1, true, b"a")])],
                vec![("Attr-26", w(&[&wimax(1, true, b"a")]), 0, 1, true)],
            ),
            // The flag on every fragment: the first raw; the second, read afresh,
            // raw too.
            (
                vec![w(&[&wimax(1, true, b"a")]), w(&[&wimax(1, true, b"b")])],
                vec![
                    ("Attr-26", w(&[&wimax(1, true, b"a")]), 0, 1, true),
                    ("Attr-26", w(&[&wimax(1, true, b"b")]), 1, 1, true),
                ],
            ),
        ];
        for (vsas, want) in cases {
            let attrs: Vec<(u8, &[u8])> = vsas.iter().map(|v| (26, &v[..])).collect();
            let bytes = raw(&attrs);
            let at: Vec<usize> = vsas
                .iter()
                .scan(HEADER_LEN, |o, v| {
                    let here = *o;
                    *o += v.len() + 2;
                    Some(here)
                })
                .collect();
            let p = Packet::new_checked(&bytes[..]).unwrap();
            let got: Vec<_> = p
                .addressed(&BuiltinFormats)
                .map(|a| {
                    (
                        a.addr().to_string(),
                        a.value().to_vec(),
                        a.offset(),
                        a.fragments(),
                        a.is_malformed(),
                    )
                })
                .collect();
            let want: Vec<_> = want
                .into_iter()
                .map(|(addr, v, i, n, bad)| (addr.to_string(), v, at[i], n, bad))
                .collect();
            assert_eq!(got, want);
        }
        // A type the caller does not know: raw, as FreeRADIUS keeps a WiMAX VSA whose
        // type its dictionary does not define.
        struct Only1;
        impl VendorFormats for Only1 {
            fn vendor_format(&self, vendor: VendorId) -> VendorFormat {
                VendorFormat::for_vendor(vendor)
            }
            fn knows(&self, _: VendorId, vendor_type: u32) -> bool {
                vendor_type == 1
            }
        }
        let (one, two) = (w(&[&wimax(1, false, b"a")]), w(&[&wimax(2, false, b"b")]));
        let bytes = raw(&[(26, &one), (26, &two)]);
        let got: Vec<_> = Packet::new_checked(&bytes[..])
            .unwrap()
            .addressed(&Only1)
            .map(|a| (a.addr().to_string(), a.is_malformed()))
            .collect();
        assert_eq!(got, [("Attr-26.24757.1".into(), false), ("Attr-26".into(), true)]);
    }

    #[test]
    fn wimax_continuation_ends_at_anything_but_its_next_fragment() {
        let first = vsa(24757, &[&wimax(1, true, b"ab")]);
        let other_vendor = vsa(5323, &[&wimax(1, false, b"x")]);
        let other_type = vsa(24757, &[&wimax(2, false, b"y")]);
        // Another attribute, another vendor, another type, the end of the packet: the
        // first fragment is raw, and what follows comes out itself.
        for (next, addr) in [
            (&(1u8, &b"bob"[..]), "Attr-1"),
            (&(26, &other_vendor[..]), "Attr-26.5323.1"),
            (&(26, &other_type[..]), "Attr-26.24757.2"),
        ] {
            let bytes = raw(&[(26, &first), *next]);
            let got = read(&bytes, &BuiltinFormats);
            let names: Vec<_> = got.iter().map(|i| (i.0.as_str(), i.2)).collect();
            assert_eq!(
                names,
                [("Attr-26", HEADER_LEN), (addr, HEADER_LEN + 2 + first.len())]
            );
            assert_eq!(got[0].1, first);
        }
        let bytes = raw(&[(26, &first)]);
        assert_eq!(read(&bytes, &BuiltinFormats).len(), 1);
        // Without the `c` format the flag octet is data, not a continuation.
        let rfc = |_| VendorFormat::RFC;
        let bytes = raw(&[(26, &first), (26, &first)]);
        let got = read(&bytes, &rfc);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].1, [0x80, b'a', b'b']);
    }

    /// RFC 6929 §2.2: "the data from the attributes MUST be concatenated in order".
    #[test]
    fn long_extended_fragments_are_joined_and_evs_split() {
        let mut b = PacketBuilder::accounting_request(1);
        let long: Vec<u8> = (0..600u16).map(|i| i as u8).collect();
        b.add(AttrType::USER_NAME, b"bob")
            .unwrap()
            .add_extended(AttrType(241), 1, b"ext")
            .unwrap()
            .add_extended(AttrType(245), 4, &long)
            .unwrap()
            .add_evs(AttrType(246), VendorId(9), 7, &long)
            .unwrap()
            .add_evs(AttrType(242), VendorId(9), 8, b"short")
            .unwrap()
            .add(AttrType::NAS_PORT, &[0, 0, 0, 1])
            .unwrap();
        let bytes = b.finish(&SharedSecret::from("s")).unwrap();
        let p = Packet::new_checked(&bytes[..]).unwrap();
        let offsets: Vec<_> = p.attributes().map(|a| a.offset()).collect();
        // bob, ext, 3 fragments, 3 fragments, short, port
        assert_eq!(offsets.len(), 10);
        assert_eq!(
            read(&bytes, &BuiltinFormats),
            [
                item("Attr-1", b"bob", offsets[0], 1),
                item("Attr-241.1", b"ext", offsets[1], 1),
                item("Attr-245.4", &long, offsets[2], 3),
                item("Attr-246.26.9.7", &long, offsets[5], 3),
                item("Attr-242.26.9.8", b"short", offsets[8], 1),
                item("Attr-5", &[0, 0, 0, 1], offsets[9], 1),
            ]
        );
        let evs = p.addressed(&BuiltinFormats).nth(3).unwrap();
        assert_eq!(evs.addr(), AttrAddr::evs(246, VendorId(9), 7));
        assert_eq!(evs.decode(DataType::Octets).unwrap(), Value::Octets(long.into()));
    }

    #[test]
    fn what_does_not_parse_comes_out_whole() {
        // A VSA whose sub-attribute overruns, a VSA without vendor data, an extended
        // attribute without its Extended-Type, a long-extended one without its flags,
        // an EVS too short for its vendor header: each is its plain attribute (the
        // short EVS, an extended attribute of Extended-Type 26).
        let bad_vsa = vsa(9, &[&[1, 9, b'x']]);
        let bytes = raw(&[
            (26, &bad_vsa),
            (26, &[0, 0, 0, 9]),
            (241, &[]),
            (245, &[4]),
            (242, &[26, 0, 0, 9]),
        ]);
        // As FreeRADIUS 3.2 keeps each raw, the packet is valid by default; refused
        // only when asked.
        Packet::new_checked(&bytes[..]).unwrap();
        assert!(
            Packet::new_checked_with(&bytes[..], &DecodeOptions::UDP.strict_extended()).is_err(),
            "short extended"
        );
        let at = |i: usize| HEADER_LEN + [0, 9, 15, 17, 20][i];
        assert_eq!(
            read(&bytes, &BuiltinFormats),
            [
                item("Attr-26", &bad_vsa, at(0), 1),
                item("Attr-26", &[0, 0, 0, 9], at(1), 1),
                item("Attr-241", &[], at(2), 1),
                item("Attr-245", &[4], at(3), 1),
                item("Attr-242.26", &[0, 0, 9], at(4), 1),
            ]
        );
        // Each is flagged malformed.
        let flags: Vec<_> = Packet::new_unchecked(&bytes[..])
            .addressed(&BuiltinFormats)
            .map(|a| a.is_malformed())
            .collect();
        assert_eq!(flags, [true, true, true, true, true]);
        // The same VSA in a packet validated with the default options (as FreeRADIUS
        // does, Vendor-Specific content is not part of the packet's validity).
        let bytes = raw(&[(26, &bad_vsa), (1, b"a")]);
        let p = Packet::new_checked(&bytes[..]).unwrap();
        let got: Vec<_> = p
            .addressed(&BuiltinFormats)
            .map(|a| (a.addr(), a.is_malformed()))
            .collect();
        assert_eq!(
            got,
            [(AttrAddr::standard(26), true), (AttrAddr::standard(1), false)]
        );
    }

    /// A Vendor-Specific whose content does not parse, between good attributes (a
    /// WiMAX value continued over two VSAs before it, Cisco and standard ones after):
    /// every other attribute is read as usual, in wire order, and the bad one whole.
    /// Each way of not parsing: a sub-attribute overrunning the VSA, one below its
    /// header length, no vendor data, too short for a vendor id, not the vendor's
    /// format (4-octet USR types, 2-octet Lucent types, a WiMAX length below 3), an
    /// empty value, and a vendor id 0 whose content does not parse.
    #[test]
    fn a_malformed_vsa_between_good_attributes() {
        let bads: [&[u8]; 9] = [
            &[0, 0, 0, 9, 1, 7, b'x', b'y'],
            &[0, 0, 0, 9, 1, 1],
            &[0, 0, 0, 9],
            &[0, 0, 9],
            &[0, 0, 0x01, 0xad, 0, 0, 1],
            &[0, 0, 0x12, 0xee, 0, 1, 2, b'a'],
            &[0, 0, 0x60, 0xb5, 1, 2, 0],
            &[],
            &[0, 0, 0, 0, 1, 9],
        ];
        let first = wimax(1, true, b"ab");
        let second = wimax(1, false, b"cd");
        let cisco = vsa(9, &[&[1, 5, b'a', b'=', b'b']]);
        for bad in bads {
            let bytes = raw(&[
                (1, b"bob"),
                (26, &vsa(24757, &[&first])),
                (26, &vsa(24757, &[&second])),
                (26, bad),
                (26, &cisco),
                (5, &[0, 0, 0, 7]),
            ]);
            let p = Packet::new_checked(&bytes[..]).unwrap();
            assert!(
                Packet::new_checked_with(&bytes[..], &DecodeOptions::UDP.strict_vsa()).is_err(),
                "{bad:?}"
            );
            assert_eq!(p.attributes().count(), 6);
            assert_eq!(p.vsas().count(), 3, "the bad one is skipped");
            let at = |i: usize| HEADER_LEN + [0, 5, 16, 27, 29 + bad.len(), 40 + bad.len()][i];
            assert_eq!(
                read(&bytes, &BuiltinFormats),
                [
                    item("Attr-1", b"bob", at(0), 1),
                    item("Attr-26.24757.1", b"abcd", at(1), 2),
                    item("Attr-26", bad, at(3), 1),
                    item("Attr-26.9.1", b"a=b", at(4), 1),
                    item("Attr-5", &[0, 0, 0, 7], at(5), 1),
                ],
                "{bad:?}"
            );
            let flags: Vec<_> = p.addressed(&BuiltinFormats).map(|a| a.is_malformed()).collect();
            assert_eq!(flags, [false, false, true, false, false], "{bad:?}");
        }
        // Between the two halves of a WiMAX value, it breaks the continuation: the
        // first half is raw (FreeRADIUS 3.2 keeps it so); the second then stands
        // alone.
        let bytes = raw(&[
            (26, &vsa(24757, &[&first])),
            (26, bads[0]),
            (26, &vsa(24757, &[&second])),
        ]);
        let got: Vec<_> = Packet::new_checked(&bytes[..])
            .unwrap()
            .addressed(&BuiltinFormats)
            .map(|a| (a.addr().to_string(), a.value().to_vec(), a.is_malformed()))
            .collect();
        assert_eq!(
            got,
            [
                ("Attr-26".into(), vsa(24757, &[&first]), true),
                ("Attr-26".into(), bads[0].to_vec(), true),
                ("Attr-26.24757.1".into(), b"cd".to_vec(), false),
            ]
        );
    }

    /// Vendor id 0 is the standard space: a Vendor-Specific or an
    /// Extended-Vendor-Specific of vendor 0 has no vendor address. Read as one, its
    /// sub-attribute `1` was the address of User-Name (`0, [1]`), so a dictionary
    /// decoded a second User-Name smuggled inside a VSA, and an EVS came out as a TLV
    /// child of `241.26`. Each comes out whole, as its plain attribute.
    #[test]
    fn vendor_id_zero_is_not_a_vendor_address() {
        let smuggled = vsa(0, &[&[1, 5, b'e', b'v', b'e']]);
        let evs0 = [26u8, 0, 0, 0, 0, 1, b'x'];
        let bytes = raw(&[(1, b"alice"), (26, &smuggled), (241, &evs0)]);
        let p = Packet::new_checked(&bytes[..]).unwrap();
        let got: Vec<_> = p
            .addressed(&BuiltinFormats)
            .map(|a| (a.addr(), a.value().to_vec()))
            .collect();
        assert_eq!(
            got,
            [
                (AttrAddr::standard(1), b"alice".to_vec()),
                (AttrAddr::standard(26), smuggled),
                (AttrAddr::extended(241, 26), evs0[1..].to_vec()),
            ]
        );
        // What comes out is where it goes back: add_at writes the same bytes.
        let mut b = PacketBuilder::accounting_request(1);
        for (addr, value) in &got {
            b.add_at(addr, value).unwrap();
        }
        let again = b.finish(&SharedSecret::from("s")).unwrap();
        assert_eq!(again[HEADER_LEN..], bytes[HEADER_LEN..]);
    }

    /// A fragment chain that does not end (the More flag followed by anything but its
    /// next fragment, or by the end of the packet) is kept raw, as FreeRADIUS 3.2
    /// keeps it: the first fragment whole (`Attr-245 = 0x...`); what follows is read
    /// afresh.
    #[test]
    fn a_broken_fragment_chain_is_raw() {
        let bytes = raw(&[
            (245, &[4, 0x80, 1, 2]),
            (246, &[4, 0, 3]),
            (245, &[4, 0x80, 5]),
            (245, &[5, 0, 6]),
            (245, &[4, 0x80, 7]),
            (245, &[4, 0, 8]),
            (245, &[4, 0x80, 9]),
        ]);
        let got: Vec<_> = Packet::new_checked(&bytes[..])
            .unwrap()
            .addressed(&BuiltinFormats)
            .map(|a| {
                (
                    a.addr().to_string(),
                    a.value().to_vec(),
                    a.fragments(),
                    a.is_malformed(),
                )
            })
            .collect();
        let e = |a: &str, v: &[u8], n, bad| (a.to_string(), v.to_vec(), n, bad);
        assert_eq!(
            got,
            [
                e("Attr-245", &[4, 0x80, 1, 2], 1, true),
                e("Attr-246.4", &[3], 1, false),
                e("Attr-245", &[4, 0x80, 5], 1, true),
                e("Attr-245.5", &[6], 1, false),
                e("Attr-245.4", &[7, 8], 2, false),
                e("Attr-245", &[4, 0x80, 9], 1, true),
            ]
        );
        // Packet::extended keeps what it joined.
        let p = Packet::new_unchecked(&bytes[..]);
        let ext: Vec<_> = p
            .extended()
            .map(|e| (e.attr().0, e.ext_type(), e.data().to_vec()))
            .collect();
        assert_eq!(ext.len(), 6);
        assert_eq!(ext[3], (245, 5, vec![6]));
    }

    #[test]
    fn typed_values_borrow_from_the_packet() {
        let bytes = raw(&[
            (1, b"bob"),
            (26, &vsa(24757, &[&wimax(1, true, b"ab")])),
            (26, &vsa(24757, &[&wimax(1, false, b"cd")])),
        ]);
        let p = Packet::new_checked(&bytes[..]).unwrap();
        let values: Vec<_> = p
            .addressed(&BuiltinFormats)
            .map(|a| a.decode(DataType::String).unwrap())
            .collect();
        assert_eq!(
            values,
            [
                Value::String(Cow::Borrowed(b"bob")),
                Value::String(b"abcd".to_vec().into())
            ]
        );
        assert!(matches!(values[0], Value::String(Cow::Borrowed(_))));
        assert!(matches!(values[1], Value::String(Cow::Owned(_))));
        assert!(p
            .addressed(&BuiltinFormats)
            .next()
            .unwrap()
            .decode(DataType::Integer)
            .is_err());
    }

    /// One address and value, as [`PacketBuilder::add_at`] takes them.
    fn addressed_value() -> impl Strategy<Value = (AttrAddr, Vec<u8>)> {
        let bytes = |max: usize| proptest::collection::vec(any::<u8>(), 0..=max);
        // An extended value needs one octet of data (FreeRADIUS 3.2 keeps an empty
        // one raw), so does a WiMAX one.
        let data = |max: usize| proptest::collection::vec(any::<u8>(), 1..=max);
        let standard = (1u32..=255).prop_filter("structured", |t| !matches!(t, 26 | 80 | 241..=246));
        let ext = (0u8..=255).prop_filter("EVS", |x| *x != 26);
        prop_oneof![
            (standard, bytes(253)).prop_map(|(t, v)| (AttrAddr::standard(t), v)),
            (any::<u8>(), bytes(247))
                .prop_map(|(t, v)| (AttrAddr::vendor_specific(VendorId::CISCO, t.into()), v)),
            (any::<u8>(), data(500))
                .prop_map(|(t, v)| (AttrAddr::vendor_specific(VendorId::WIMAX, t.into()), v)),
            (1u32..=0xff_ffff, bytes(245))
                .prop_map(|(t, v)| (AttrAddr::vendor_specific(VendorId::USR, t), v)),
            (241u8..=244, ext.clone(), data(252)).prop_map(|(a, x, v)| (AttrAddr::extended(a, x), v)),
            (245u8..=246, ext, data(500)).prop_map(|(a, x, v)| (AttrAddr::extended(a, x), v)),
            (241u8..=244, 1u32..=0xff_ffff, any::<u8>(), data(247))
                .prop_map(|(a, vendor, t, v)| (AttrAddr::evs(a, VendorId(vendor), t), v)),
            (245u8..=246, 1u32..=0xff_ffff, any::<u8>(), data(500))
                .prop_map(|(a, vendor, t, v)| (AttrAddr::evs(a, VendorId(vendor), t), v)),
        ]
    }

    proptest! {
        /// add_at -> addressed is the identity, every item starting at an attribute.
        #[test]
        fn what_add_at_writes_addressed_reads(items in proptest::collection::vec(addressed_value(), 0..6)) {
            let mut b = PacketBuilder::accounting_request(1);
            for (addr, value) in &items {
                b.add_at(addr, value).unwrap();
            }
            let bytes = b.finish(&SharedSecret::from("s")).unwrap();
            let p = Packet::new_checked(&bytes[..]).unwrap();
            let starts: Vec<_> = p.attributes().map(|a| a.offset()).collect();
            let got: Vec<_> = p.addressed(&BuiltinFormats).collect();
            let back: Vec<_> = got.iter().map(|a| (a.addr(), a.value().to_vec())).collect();
            prop_assert_eq!(back, items);
            prop_assert!(got.iter().all(|a| starts.contains(&a.offset())));
            prop_assert!(got.windows(2).all(|w| w[0].offset() < w[1].offset()));
        }

        /// Any attribute list, unchecked: no panic, and every octet of a standard
        /// attribute's value is in some item.
        #[test]
        fn any_attribute_list_is_read_without_loss(attrs in proptest::collection::vec((any::<u8>(), proptest::collection::vec(any::<u8>(), 0..40)), 0..12)) {
            let list: Vec<(u8, &[u8])> = attrs.iter().map(|(t, v)| (*t, &v[..])).collect();
            let bytes = raw(&list);
            let got = read(&bytes, &BuiltinFormats);
            let plain = |t: &u8| !matches!(t, 26 | 241..=246);
            for (t, v) in attrs.iter().filter(|(t, _)| plain(t)) {
                let addr = AttrAddr::standard(u32::from(*t)).to_string();
                prop_assert!(got.iter().any(|i| i.0 == addr && &i.1 == v));
            }
            prop_assert_eq!(got.len() >= attrs.iter().filter(|(t, _)| plain(t)).count(), true);
        }
    }
}
