//! The structural reader: every attribute of a packet as an [`AttrAddr`] and its value
//! octets ([`Packet::addressed`]). Every structure whose layout is known from numbers
//! alone is taken apart here, once; a dictionary only looks the addresses up, and
//! descends TLVs where its types say so.

use std::borrow::Cow;

use crate::packet::{read_extended, vendor_of, Attribute, Attributes, VendorFormats};
use crate::vsa::VendorAttrs;
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

    /// True for a Vendor-Specific attribute whose content could not be taken apart:
    /// too short for a vendor id, no vendor data, or sub-attributes that do not fill
    /// it exactly in the vendor's format. It is then the attribute whole, address
    /// `0, [26]` and the value every octet after type and length (vendor id
    /// included): what FreeRADIUS 3.2 keeps as a raw attribute and prints as
    /// `Attr-26 = 0x...`. [`crate::Attribute::vsa_with`] on it says what is wrong.
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
    /// The next sub-attribute is the first of its VSA (the only one that can continue
    /// a WiMAX value).
    first: bool,
}

/// Iterator over the attributes of a packet as addresses and values; see
/// [`Packet::addressed`].
#[derive(Clone)]
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct Addressed<'a, 'f> {
    attrs: Attributes<'a>,
    formats: &'f dyn VendorFormats,
    vsa: Option<VsaCursor<'a>>,
    /// A WiMAX-continued value being joined.
    continued: Option<AddrValue<'a>>,
    /// An attribute read while ending a continuation: it comes next.
    held: Option<AddrValue<'a>>,
}

impl core::fmt::Debug for Addressed<'_, '_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Addressed")
            .field("attrs", &self.attrs)
            .field("vsa", &self.vsa)
            .field("continued", &self.continued)
            .finish_non_exhaustive()
    }
}

impl<'a> Iterator for Addressed<'a, '_> {
    type Item = AddrValue<'a>;

    fn next(&mut self) -> Option<AddrValue<'a>> {
        loop {
            if let Some(held) = self.held.take() {
                return Some(held);
            }
            if let Some(cur) = &mut self.vsa {
                if let Some(sub) = cur.subs.next() {
                    let first = core::mem::replace(&mut cur.first, false);
                    let item = AddrValue {
                        addr: AttrAddr::vendor_specific(cur.vendor, sub.vendor_type()),
                        value: Cow::Borrowed(sub.value()),
                        offset: cur.offset,
                        fragments: 1,
                        malformed: false,
                    };
                    // WiMAX continuation (`1,1,c`): a value flagged "more" goes on in the
                    // first sub-attribute of the next VSA of the same vendor and type;
                    // the other sub-attributes of that VSA are attributes of their own.
                    if let Some(c) = self.continued.as_mut().filter(|c| first && c.addr == item.addr) {
                        c.value.to_mut().extend_from_slice(sub.value());
                        c.fragments += 1;
                        if sub.more() {
                            continue;
                        }
                        return self.continued.take();
                    }
                    let ended = self.continued.take();
                    let item = if sub.more() {
                        self.continued = Some(item);
                        None
                    } else {
                        Some(item)
                    };
                    match (ended, item) {
                        (Some(ended), item) => {
                            self.held = item;
                            return Some(ended);
                        }
                        (None, Some(item)) => return Some(item),
                        (None, None) => continue,
                    }
                }
                self.vsa = None;
            }
            let Some(a) = self.attrs.next() else {
                // The packet ends a continuation: what was joined stands.
                return self.continued.take();
            };
            // Vendor id 0 is the standard space, not a vendor: its sub-attribute `t`
            // would read as the standard attribute `t` (a User-Name inside a VSA), so
            // it stays whole. A VSA that does not parse stays whole too, flagged.
            let mut malformed = false;
            if a.typ() == AttrType::VENDOR_SPECIFIC {
                let vendor = vendor_of(a.value());
                match a.vsa_with(self.formats.vendor_format(vendor)) {
                    Ok(vsa) if vendor != VendorId(0) => {
                        self.vsa = Some(VsaCursor {
                            offset: a.offset(),
                            vendor: vsa.vendor(),
                            subs: vsa.attrs(),
                            first: true,
                        });
                        continue;
                    }
                    Ok(_) => {}
                    Err(_) => malformed = true,
                }
            }
            // Anything but a Vendor-Specific ends a continuation: what was joined stands.
            let mut item = read_plain(a, &mut self.attrs);
            item.malformed = malformed;
            if let Some(ended) = self.continued.take() {
                self.held = Some(item);
                return Some(ended);
            }
            return Some(item);
        }
    }
}

/// Octets of an EVS vendor header: vendor id (4) and vendor type (1).
const EVS_HEADER: usize = 5;

/// A standard, extended, long-extended (joining the fragments that follow in `rest`)
/// or EVS attribute; a Vendor-Specific that did not parse, or an extended attribute too
/// short for its header, as the plain attribute; an EVS of vendor id 0 as the extended
/// attribute `t.26` (vendor 0 is no vendor address: `0, [t, 26, vt]` is a TLV child).
fn read_plain<'a>(a: Attribute<'a>, rest: &mut Attributes<'a>) -> AddrValue<'a> {
    let plain = AddrValue {
        addr: AttrAddr::standard(u32::from(a.typ().0)),
        value: Cow::Borrowed(a.value()),
        offset: a.offset(),
        fragments: 1,
        malformed: false,
    };
    let Some(e) = read_extended(a, rest) else {
        return plain;
    };
    let (attr, offset, fragments) = (e.attr().0, e.offset(), e.fragments());
    let evs = e.evs().map(|evs| (evs.vendor(), evs.vendor_type()));
    let (addr, value) = match evs.filter(|(vendor, _)| *vendor != VendorId(0)) {
        // The vendor header (vendor id, vendor type) is in the first fragment only.
        Some((vendor, vendor_type)) => {
            let value = match e.into_data() {
                Cow::Borrowed(d) => Cow::Borrowed(d.get(EVS_HEADER..).unwrap_or_default()),
                Cow::Owned(mut d) => {
                    d.drain(..EVS_HEADER.min(d.len()));
                    Cow::Owned(d)
                }
            };
            (AttrAddr::evs(attr, vendor, vendor_type), value)
        }
        None => (AttrAddr::extended(attr, e.ext_type()), e.into_data()),
    };
    AddrValue {
        addr,
        value,
        offset,
        fragments,
        malformed: false,
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
    /// | an extended attribute too short for its header   | `0, [t]`         | the whole value             |
    /// | a VSA of vendor id 0                             | `0, [26]`        | the whole value             |
    /// | an EVS of vendor id 0                            | `0, [t, 26]`     | after the Extended-Type     |
    ///
    /// Vendor-Specific attributes are split in the format `formats` gives each vendor
    /// (a dictionary, or [`crate::BuiltinFormats`]). WiMAX continuation: a
    /// sub-attribute flagged "more" goes on in the first sub-attribute of the next VSA
    /// of the same vendor and type; the other sub-attributes of that VSA are attributes
    /// of their own, and anything else (another attribute, the end of the packet) ends
    /// the value with what was joined. An EVS too short for its vendor header (only in
    /// an unchecked packet) is the extended attribute `0, [t, 26]`. A Vendor-Specific
    /// whose content does not parse in the format `formats` gives its vendor (which
    /// [`Packet::new_checked`] lets through, as FreeRADIUS 3.2 does) is yielded whole,
    /// flagged [`AddrValue::is_malformed`], between the attributes around it; it ends
    /// a WiMAX continuation like any other attribute. Items come in wire order of
    /// their first octet. Nothing is dropped.
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
            continued: None,
            held: None,
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

    /// The WiMAX cases of radius-dict's `every_sub_attribute_is_decoded`, at the codec.
    #[test]
    fn wimax_continuation_joins_the_first_sub_attribute_of_the_next_vsa() {
        let vsas = [
            vsa(24757, &[&wimax(99, true, &[1])]),
            vsa(24757, &[&wimax(99, true, &[2]), &wimax(98, false, b"mid")]),
            vsa(24757, &[&wimax(99, false, &[3])]),
            vsa(24757, &[&wimax(98, true, b"ab"), &wimax(97, false, &[1])]),
            vsa(24757, &[&wimax(98, false, b"cd"), &wimax(98, false, b"tail")]),
        ];
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
        // The flag on a sub-attribute that is not the last of its VSA cannot continue:
        // the value so far stands alone, and so does the next fragment.
        assert_eq!(
            read(&bytes, &BuiltinFormats),
            [
                item("Attr-26.24757.99", &[1, 2], at[0], 2),
                item("Attr-26.24757.98", b"mid", at[1], 1),
                item("Attr-26.24757.99", &[3], at[2], 1),
                item("Attr-26.24757.98", b"ab", at[3], 1),
                item("Attr-26.24757.97", &[1], at[3], 1),
                item("Attr-26.24757.98", b"cd", at[4], 1),
                item("Attr-26.24757.98", b"tail", at[4], 1),
            ]
        );
    }

    #[test]
    fn wimax_continuation_ends_at_anything_but_its_next_fragment() {
        let first = vsa(24757, &[&wimax(1, true, b"ab")]);
        let other_vendor = vsa(5323, &[&wimax(1, false, b"x")]);
        let other_type = vsa(24757, &[&wimax(2, false, b"y")]);
        // Another attribute, another vendor, another type, the end of the packet: each
        // ends the value (what was joined stands) and then comes out itself.
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
                [
                    ("Attr-26.24757.1", HEADER_LEN),
                    (addr, HEADER_LEN + 2 + first.len())
                ]
            );
            assert_eq!(got[0].1, b"ab");
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
        let opts = DecodeOptions::UDP.opaque_vsa();
        assert!(
            Packet::new_checked_with(&bytes[..], &opts).is_err(),
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
        // Only the Vendor-Specific attributes are flagged malformed.
        let flags: Vec<_> = Packet::new_unchecked(&bytes[..])
            .addressed(&BuiltinFormats)
            .map(|a| a.is_malformed())
            .collect();
        assert_eq!(flags, [true, true, false, false, false]);
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
        // Between the two halves of a WiMAX value, it ends the value with what was
        // joined; the second half then stands alone.
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
                ("Attr-26.24757.1".into(), b"ab".to_vec(), false),
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

    /// In an unchecked packet a fragment chain ends at anything that is not its next
    /// fragment; that attribute is read on its own.
    #[test]
    fn a_broken_fragment_chain_keeps_what_it_joined() {
        let bytes = raw(&[
            (245, &[4, 0x80, 1, 2]),
            (246, &[4, 0, 3]),
            (245, &[4, 0x80, 5]),
            (245, &[5, 0, 6]),
            (245, &[4, 0x80, 7]),
        ]);
        let got: Vec<_> = read(&bytes, &BuiltinFormats)
            .into_iter()
            .map(|i| (i.0, i.1, i.3))
            .collect();
        let e = |a: &str, v: &[u8], n| (a.to_string(), v.to_vec(), n);
        assert_eq!(
            got,
            [
                e("Attr-245.4", &[1, 2], 1),
                e("Attr-246.4", &[3], 1),
                e("Attr-245.4", &[5], 1),
                e("Attr-245.5", &[6], 1),
                e("Attr-245.4", &[7], 1),
            ]
        );
        // Packet::extended reads the same chains.
        let p = Packet::new_unchecked(&bytes[..]);
        let ext: Vec<_> = p
            .extended()
            .map(|e| (e.attr().0, e.ext_type(), e.data().to_vec()))
            .collect();
        assert_eq!(ext.len(), 5);
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
        let standard = (1u32..=255).prop_filter("structured", |t| !matches!(t, 26 | 80 | 241..=246));
        let ext = (0u8..=255).prop_filter("EVS", |x| *x != 26);
        prop_oneof![
            (standard, bytes(253)).prop_map(|(t, v)| (AttrAddr::standard(t), v)),
            (any::<u8>(), bytes(247))
                .prop_map(|(t, v)| (AttrAddr::vendor_specific(VendorId::CISCO, t.into()), v)),
            (any::<u8>(), bytes(500))
                .prop_map(|(t, v)| (AttrAddr::vendor_specific(VendorId::WIMAX, t.into()), v)),
            (any::<u32>(), bytes(245)).prop_map(|(t, v)| (AttrAddr::vendor_specific(VendorId::USR, t), v)),
            (241u8..=244, ext.clone(), bytes(252)).prop_map(|(a, x, v)| (AttrAddr::extended(a, x), v)),
            (245u8..=246, ext, bytes(500)).prop_map(|(a, x, v)| (AttrAddr::extended(a, x), v)),
            (241u8..=244, 1u32.., any::<u8>(), bytes(247))
                .prop_map(|(a, vendor, t, v)| (AttrAddr::evs(a, VendorId(vendor), t), v)),
            (245u8..=246, 1u32.., any::<u8>(), bytes(500))
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
