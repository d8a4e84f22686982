//! The validated packet view.
//!
//! # No panics after validation
//!
//! [`Packet::new_checked`] does all validation once: the header length rules of
//! RFC 2865 §3, every attribute's length (the type/length walk must end exactly at the
//! packet's Length) and the shape of Message-Authenticator. If it returns `Ok`, no accessor and no
//! iterator of that packet can fail or panic, and the attribute iterator never stops
//! early: there is no "malformed tail" to lose a Message-Authenticator in.
//! [`Packet::new_unchecked`] skips validation; the accessors still do not panic on such
//! a packet, but attribute iteration stops at the first malformed attribute.
//!
//! # Malformed Vendor-Specific content is an attribute, not a bad packet
//!
//! The content of a Vendor-Specific attribute (vendor id, then sub-attributes in the
//! vendor's format) is not part of that validation by default, as in FreeRADIUS 3.2,
//! whose `rad_packet_ok` walks only the top-level attributes and whose decoder keeps a
//! VSA that does not parse as a raw `Attr-26 = 0x...` attribute. A VSA whose
//! sub-attribute lengths do not add up, that does not follow its vendor's format, or
//! that is too short for a vendor id is therefore one attribute like any other: the
//! attribute iterator yields it, [`Attribute::vsa`] says why it does not parse
//! ([`Error::VsaMalformed`]), [`Packet::vsas`] skips it, and [`Packet::addressed`]
//! yields it whole as `Attr-26`, flagged [`crate::AddrValue::is_malformed`]. The
//! other attributes, before and after it, are read as usual. Opt in to refusing such
//! packets with [`DecodeOptions::strict_vsa`] or [`DecodeOptions::vendor_formats`].
//!
//! The same holds for RFC 6929 extended attributes (241-246), which FreeRADIUS 3.2
//! also decodes raw when their structure does not parse: an extended attribute
//! without Extended-Type and data (`Attr-241 = 0x01`), a long-extended one without
//! flags and data, or whose More flag is not followed by the fragments that end the
//! value (`Attr-245 = 0x<first fragment>`, the fragments after it read on their own),
//! an Extended-Vendor-Specific too short for its vendor header and data or with a
//! vendor id over 24 bits (`Attr-241.26 = 0x...`). [`Packet::addressed`] yields each
//! flagged; opt in to refusing them with [`DecodeOptions::strict_extended`].

use std::borrow::Cow;

use crate::extended::{ExtendedAttr, EVS_TYPE, MORE_FLAG};
use crate::reader::Reader;
use crate::vsa::{VendorFormat, Vsa};
use crate::{AttrType, Code, DataType, Error, Result, Value, VendorId};

/// Byte ranges of the fixed header.
mod field {
    pub(crate) type Field = core::ops::Range<usize>;
    pub(crate) const CODE: usize = 0;
    pub(crate) const IDENTIFIER: usize = 1;
    pub(crate) const LENGTH: Field = 2..4;
    pub(crate) const AUTHENTICATOR: Field = 4..20;
    pub(crate) const ATTRIBUTES: usize = 20;
}

pub(crate) use field::AUTHENTICATOR as AUTHENTICATOR_FIELD;

/// Length of the fixed header.
pub const HEADER_LEN: usize = 20;
/// Maximum packet length over UDP (RFC 2865 §3).
pub const MAX_PACKET_LEN: usize = 4096;
/// Maximum packet length over TCP/TLS (RFC 7930 §2).
pub const MAX_PACKET_LEN_TCP: usize = 65535;

/// Looks up the Vendor-Specific format of a vendor during validation.
pub trait VendorFormats {
    /// The format of `vendor`'s Vendor-Specific attributes.
    fn vendor_format(&self, vendor: VendorId) -> VendorFormat;

    /// Whether `vendor`'s attribute `vendor_type` is known (defined in a
    /// dictionary). Asked by [`Packet::addressed`] only for vendors whose format has
    /// the continuation flag (WiMAX, `1,1,c`): FreeRADIUS 3.2 keeps such a VSA whose
    /// type it does not know as a raw attribute (`Attr-26 = 0x...`). Every type by
    /// default.
    fn knows(&self, vendor: VendorId, vendor_type: u32) -> bool {
        let _ = (vendor, vendor_type);
        true
    }
}

/// The formats FreeRADIUS' dictionaries assign ([`VendorFormat::for_vendor`]).
#[derive(Clone, Copy, Debug, Default)]
pub struct BuiltinFormats;

impl VendorFormats for BuiltinFormats {
    fn vendor_format(&self, vendor: VendorId) -> VendorFormat {
        VendorFormat::for_vendor(vendor)
    }
}

impl<F: Fn(VendorId) -> VendorFormat> VendorFormats for F {
    fn vendor_format(&self, vendor: VendorId) -> VendorFormat {
        self(vendor)
    }
}

/// How strictly [`Packet::new_checked_with`] validates.
///
/// The top-level attribute list (each type/length, the walk ending exactly at Length)
/// and Message-Authenticator are always checked. The content of Vendor-Specific
/// attributes is checked only on request ([`DecodeOptions::strict_vsa`],
/// [`DecodeOptions::vendor_formats`]), the structure of RFC 6929 extended attributes
/// likewise ([`DecodeOptions::strict_extended`]): by default one that does not parse
/// is kept as a raw attribute, as FreeRADIUS 3.2 keeps it (see
/// [`crate::AddrValue::is_malformed`]).
#[derive(Clone, Copy)]
pub struct DecodeOptions<'a> {
    max_len: usize,
    /// `Some`: every Vendor-Specific must parse in these formats.
    vsa: Option<&'a dyn VendorFormats>,
    /// Every RFC 6929 extended attribute must parse (header, fragment chain, EVS).
    extended: bool,
}

impl core::fmt::Debug for DecodeOptions<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("DecodeOptions")
            .field("max_len", &self.max_len)
            .field("check_vsa_structure", &self.vsa.is_some())
            .field("check_extended_structure", &self.extended)
            .finish()
    }
}

impl Default for DecodeOptions<'_> {
    fn default() -> Self {
        Self::UDP
    }
}

impl<'a> DecodeOptions<'a> {
    /// UDP rules: Length at most 4096; the content of Vendor-Specific and RFC 6929
    /// extended attributes is not checked (one that does not parse is a raw
    /// attribute, as in FreeRADIUS).
    pub const UDP: Self = Self {
        max_len: MAX_PACKET_LEN,
        vsa: None,
        extended: false,
    };
    /// RADIUS over TCP/TLS (RFC 7930): Length up to 65535, otherwise as [`Self::UDP`].
    pub const TCP: Self = Self {
        max_len: MAX_PACKET_LEN_TCP,
        vsa: None,
        extended: false,
    };

    /// Refuses a packet whose Vendor-Specific content does not parse in the given
    /// formats (e.g. a dictionary's): a VSA without vendor data, or whose
    /// sub-attributes do not fill it exactly, is then [`Error::VsaMalformed`], one too
    /// short for a vendor id [`Error::AttributeTooShort`]. Stricter than FreeRADIUS,
    /// which keeps such a VSA as a raw attribute (the default here). Only the
    /// structure of each VSA is checked: a WiMAX VSA that parses but that
    /// [`Packet::addressed`] keeps raw as FreeRADIUS does (several sub-attributes, a
    /// continuation that does not end, a type the dictionary does not define) is not
    /// refused.
    #[must_use]
    pub fn vendor_formats(mut self, formats: &'a dyn VendorFormats) -> Self {
        self.vsa = Some(formats);
        self
    }

    /// [`DecodeOptions::vendor_formats`] with the built-in formats
    /// ([`BuiltinFormats`]): a packet with a Vendor-Specific that does not parse in
    /// its vendor's built-in format is refused (for a peer that must send only
    /// well-formed VSAs).
    #[must_use]
    pub const fn strict_vsa(mut self) -> Self {
        self.vsa = Some(&BuiltinFormats);
        self
    }

    /// Refuses a packet with an RFC 6929 extended attribute (241-246) that
    /// FreeRADIUS 3.2 would keep as a raw attribute (what [`Packet::addressed`]
    /// flags [`crate::AddrValue::is_malformed`]): an extended attribute without
    /// Extended-Type and data, or a long-extended one without flags and data
    /// ([`Error::AttributeTooShort`]); the More flag without the continuations that
    /// end the value, each the same type and Extended-Type
    /// ([`Error::MissingContinuation`]); an Extended-Vendor-Specific too short for its
    /// vendor id, vendor type and one octet of data, or with a vendor id of more
    /// than 24 bits ([`Error::EvsMalformed`]). For a peer that must send only
    /// well-formed extended attributes; by default such an attribute is kept raw.
    #[must_use]
    pub const fn strict_extended(mut self) -> Self {
        self.extended = true;
        self
    }

    /// Leaves the content of Vendor-Specific attributes unchecked (the default):
    /// undoes [`DecodeOptions::vendor_formats`] and [`DecodeOptions::strict_vsa`].
    #[must_use]
    pub const fn opaque_vsa(mut self) -> Self {
        self.vsa = None;
        self
    }

    /// Sets the largest accepted Length (clamped to 20..=65535).
    #[must_use]
    pub const fn max_len(mut self, max_len: usize) -> Self {
        self.max_len = if max_len < HEADER_LEN {
            HEADER_LEN
        } else if max_len > MAX_PACKET_LEN_TCP {
            MAX_PACKET_LEN_TCP
        } else {
            max_len
        };
        self
    }
}

/// A RADIUS packet: a view over a buffer.
///
/// ```
/// use radius_codec::{AttrType, Code, Packet};
/// // RFC 2865 §7.1, the Access-Accept
/// let bytes = [
///     0x02, 0x00, 0x00, 0x26, 0x86, 0xfe, 0x22, 0x0e, 0x76, 0x24, 0xba, 0x2a, 0x10, 0x05,
///     0xf6, 0xbf, 0x9b, 0x55, 0xe0, 0xb2, 0x06, 0x06, 0x00, 0x00, 0x00, 0x01, 0x0f, 0x06,
///     0x00, 0x00, 0x00, 0x00, 0x0e, 0x06, 0xc0, 0xa8, 0x01, 0x03,
/// ];
/// let p = Packet::new_checked(&bytes[..])?;
/// assert_eq!(p.code(), Code::AccessAccept);
/// assert_eq!(p.attributes().count(), 3);
/// assert_eq!(p.first(AttrType::LOGIN_IP_HOST).unwrap().value(), [192, 168, 1, 3]);
/// # Ok::<(), radius_codec::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Packet<T> {
    buffer: T,
}

impl<T: AsRef<[u8]>> core::fmt::Debug for Packet<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Packet")
            .field("code", &self.code())
            .field("identifier", &self.identifier())
            .field("length", &self.length())
            .finish_non_exhaustive()
    }
}

impl<T: AsRef<[u8]>> Packet<T> {
    /// Wraps a buffer without validating it.
    pub const fn new_unchecked(buffer: T) -> Self {
        Self { buffer }
    }

    /// Wraps and validates a buffer with the UDP rules ([`DecodeOptions::UDP`]).
    pub fn new_checked(buffer: T) -> Result<Self> {
        Self::new_checked_with(buffer, &DecodeOptions::UDP)
    }

    /// Wraps and validates a buffer with the given options.
    pub fn new_checked_with(buffer: T, opts: &DecodeOptions<'_>) -> Result<Self> {
        let p = Self { buffer };
        p.check(opts)?;
        Ok(p)
    }

    /// Runs every check of [`Packet::new_checked_with`] on this packet.
    pub fn check(&self, opts: &DecodeOptions<'_>) -> Result<()> {
        let bytes = self.buffer.as_ref();
        let length = check_header(bytes, opts.max_len)?;
        let attrs = bytes.get(field::ATTRIBUTES..length).unwrap_or_default();
        check_attributes(attrs, opts)
    }

    /// The packet Code.
    pub fn code(&self) -> Code {
        Code::new(self.byte(field::CODE))
    }

    /// The Identifier.
    pub fn identifier(&self) -> u8 {
        self.byte(field::IDENTIFIER)
    }

    /// The Length field.
    pub fn length(&self) -> u16 {
        be_u16(self.buffer.as_ref().get(field::LENGTH))
    }

    /// The Authenticator field.
    pub fn authenticator(&self) -> [u8; 16] {
        self.buffer
            .as_ref()
            .get(field::AUTHENTICATOR)
            .and_then(|b| b.try_into().ok())
            .unwrap_or_default()
    }

    /// The packet's octets, exactly `Length` of them (trailing padding excluded).
    pub fn as_bytes(&self) -> &[u8] {
        let b = self.buffer.as_ref();
        b.get(..usize::from(self.length())).unwrap_or(b)
    }

    /// A borrowed view of this packet.
    pub fn view(&self) -> Packet<&[u8]> {
        Packet::new_unchecked(self.as_bytes())
    }

    /// A packet that owns a copy of the bytes.
    pub fn to_owned_packet(&self) -> Packet<Vec<u8>> {
        Packet::new_unchecked(self.as_bytes().to_vec())
    }

    /// The inner buffer.
    pub fn into_inner(self) -> T {
        self.buffer
    }

    fn byte(&self, i: usize) -> u8 {
        self.buffer.as_ref().get(i).copied().unwrap_or(0)
    }
}

impl<'a, T: AsRef<[u8]> + ?Sized> Packet<&'a T> {
    /// The attribute octets (from offset 20 up to Length).
    pub fn attribute_bytes(&self) -> &'a [u8] {
        let b = self.buffer.as_ref();
        let end = usize::from(self.length()).min(b.len());
        b.get(field::ATTRIBUTES..end).unwrap_or_default()
    }

    /// Every attribute, in wire order.
    pub fn attributes(&self) -> Attributes<'a> {
        Attributes {
            reader: Reader::new(self.attribute_bytes()),
        }
    }

    /// The first attribute of type `typ`.
    pub fn first(&self, typ: AttrType) -> Option<Attribute<'a>> {
        self.attributes().find(|a| a.typ == typ)
    }

    /// Every attribute of type `typ`, in order.
    pub fn all(&self, typ: AttrType) -> impl Iterator<Item = Attribute<'a>> + 'a {
        self.attributes().filter(move |a| a.typ == typ)
    }

    /// The values of every attribute of type `typ`, joined (EAP-Message and other
    /// `concat` attributes). Borrowed when there is only one.
    pub fn concat(&self, typ: AttrType) -> Option<Cow<'a, [u8]>> {
        let mut it = self.all(typ);
        let first = it.next()?;
        let Some(second) = it.next() else {
            return Some(Cow::Borrowed(first.value));
        };
        let mut v = first.value.to_vec();
        v.extend_from_slice(second.value);
        for a in it {
            v.extend_from_slice(a.value);
        }
        Some(Cow::Owned(v))
    }

    /// Every Vendor-Specific attribute, parsed in the vendor's built-in format.
    /// A VSA whose content does not parse in that format is skipped here (it is still
    /// one of [`Packet::attributes`], and [`Packet::addressed`] yields it raw); it
    /// cannot occur in a packet validated with [`DecodeOptions::strict_vsa`].
    pub fn vsas(&self) -> impl Iterator<Item = Vsa<'a>> + 'a {
        self.all(AttrType::VENDOR_SPECIFIC).filter_map(|a| a.vsa().ok())
    }

    /// The extended (241-244) and long-extended (245-246) attributes, with long-extended
    /// fragments reassembled. A chain that stops with the More flag still set (possible
    /// in a packet validated with the default options, not with
    /// [`DecodeOptions::strict_extended`]) comes out with
    /// [`ExtendedAttr::is_complete`] false.
    pub fn extended(&self) -> ExtendedAttrs<'a> {
        ExtendedAttrs {
            inner: self.attributes(),
        }
    }
}

/// The owned packet: the same readers as the borrowed view, over the packet's own
/// buffer (what [`crate::PacketBuilder::finish_packet`] returns and
/// [`Packet::to_owned_packet`] makes). A binding or a long-lived state holds one without
/// a lifetime and reads it without copying; [`Packet::attribute_at`] iterates with an
/// offset cursor instead of a borrow.
impl Packet<Vec<u8>> {
    /// The attribute octets (from offset 20 up to Length).
    pub fn attribute_bytes(&self) -> &[u8] {
        self.view().attribute_bytes()
    }

    /// Every attribute, in wire order.
    pub fn attributes(&self) -> Attributes<'_> {
        self.view().attributes()
    }

    /// The first attribute of type `typ`.
    pub fn first(&self, typ: AttrType) -> Option<Attribute<'_>> {
        self.view().first(typ)
    }

    /// Every attribute of type `typ`, in order.
    pub fn all(&self, typ: AttrType) -> impl Iterator<Item = Attribute<'_>> + '_ {
        self.view().all(typ)
    }

    /// The values of every attribute of type `typ`, joined.
    pub fn concat(&self, typ: AttrType) -> Option<Cow<'_, [u8]>> {
        self.view().concat(typ)
    }

    /// Every Vendor-Specific attribute, parsed in the vendor's built-in format.
    pub fn vsas(&self) -> impl Iterator<Item = Vsa<'_>> + '_ {
        self.view().vsas()
    }

    /// The extended and long-extended attributes, fragments reassembled.
    pub fn extended(&self) -> ExtendedAttrs<'_> {
        self.view().extended()
    }
}

impl<T: AsRef<[u8]>> Packet<T> {
    /// The attribute at packet offset `offset` and the offset of the next one: a
    /// cursor that needs no borrow between steps. Start at [`HEADER_LEN`]; `None` at the
    /// end (or at an offset that is not an attribute of a validated packet).
    ///
    /// ```
    /// use radius_codec::{AttrType, PacketBuilder, SharedSecret, HEADER_LEN};
    /// let mut b = PacketBuilder::disconnect_request(1);
    /// b.add(AttrType::USER_NAME, b"bob")?.add(AttrType::ACCT_SESSION_ID, b"42")?;
    /// let packet = b.finish_packet(&SharedSecret::from("s"))?;
    /// let (mut at, mut types) = (HEADER_LEN, Vec::new());
    /// while let Some((attr, next)) = packet.attribute_at(at) {
    ///     types.push(attr.typ());
    ///     at = next;
    /// }
    /// assert_eq!(types, [AttrType::USER_NAME, AttrType::ACCT_SESSION_ID]);
    /// # Ok::<(), radius_codec::Error>(())
    /// ```
    pub fn attribute_at(&self, offset: usize) -> Option<(Attribute<'_>, usize)> {
        let bytes = self.as_bytes();
        let rest = bytes.get(offset..)?;
        let start = offset.checked_sub(HEADER_LEN)?;
        let mut r = Reader::new(rest);
        let mut a = read_attr(&mut r).ok()?;
        // read_attr numbers offsets as if `rest` began at the attribute list.
        a.offset = offset;
        let next = start + r.offset() + HEADER_LEN;
        Some((a, next))
    }
}

fn be_u16(b: Option<&[u8]>) -> u16 {
    b.and_then(|b| b.try_into().ok()).map_or(0, u16::from_be_bytes)
}

/// The vendor id at the start of a Vendor-Specific value (0 if it is too short).
pub(crate) fn vendor_of(value: &[u8]) -> VendorId {
    VendorId::of_vsa_value(value).unwrap_or(VendorId(0))
}

fn check_header(bytes: &[u8], max_len: usize) -> Result<usize> {
    if bytes.len() < HEADER_LEN {
        return Err(Error::HeaderTooShort { len: bytes.len() });
    }
    let length = usize::from(be_u16(bytes.get(field::LENGTH)));
    if !(HEADER_LEN..=max_len).contains(&length) {
        return Err(Error::LengthOutOfRange { length, max: max_len });
    }
    if bytes.len() < length {
        return Err(Error::Truncated {
            length,
            available: bytes.len(),
        });
    }
    Ok(length)
}

/// A long-extended fragment chain that is waiting for its continuation.
#[derive(Clone, Copy)]
struct Pending {
    offset: usize,
    attr: AttrType,
    ext_type: u8,
    /// For an Extended-Vendor-Specific: the first octets of the joined value (the
    /// vendor header is checked once the chain ends) and how many there are.
    evs_head: Option<([u8; EVS_MIN], usize)>,
}

/// Octets an Extended-Vendor-Specific value needs: vendor id, vendor type and one
/// octet of data (FreeRADIUS 3.2 keeps a shorter one raw).
pub(crate) const EVS_MIN: usize = 6;

/// Whether an Extended-Vendor-Specific value (after the Extended-Type and flags,
/// joined) is one FreeRADIUS 3.2 decodes: long enough for its vendor header and one
/// octet of data, and a vendor id of at most 24 bits.
pub(crate) fn evs_ok(data: &[u8]) -> bool {
    data.len() >= EVS_MIN && data.first() == Some(&0)
}

fn check_attributes(attrs: &[u8], opts: &DecodeOptions<'_>) -> Result<()> {
    let mut r = Reader::new(attrs);
    let mut pending: Option<Pending> = None;
    let mut seen_ma = false;
    while !r.is_empty() {
        let a = read_attr(&mut r)?;
        let min = |min: usize| Error::AttributeTooShort {
            offset: a.offset,
            attr: a.typ,
            len: a.value.len() + 2,
            min,
        };
        let evs = |offset: usize, attr: AttrType, len: usize| Error::EvsMalformed { offset, attr, len };
        // RFC 6929 structure only when asked: otherwise an extended attribute that
        // does not parse is a raw attribute (FreeRADIUS 3.2's `rad_packet_ok` does
        // not look inside either).
        if let Some(p) = pending.take() {
            // A continuation: the same type and Extended-Type, and the flags octet.
            let [ext, flags, data @ ..] = a.value else {
                return Err(Error::MissingContinuation {
                    offset: p.offset,
                    attr: p.attr,
                    ext_type: p.ext_type,
                });
            };
            if a.typ != p.attr || *ext != p.ext_type {
                return Err(Error::MissingContinuation {
                    offset: p.offset,
                    attr: p.attr,
                    ext_type: p.ext_type,
                });
            }
            let evs_head = p.evs_head.map(|(mut head, n)| {
                let take = data.len().min(EVS_MIN - n);
                if let (Some(to), Some(from)) = (head.get_mut(n..n + take), data.get(..take)) {
                    to.copy_from_slice(from);
                }
                (head, n + take)
            });
            if flags & MORE_FLAG != 0 {
                pending = Some(Pending { evs_head, ..p });
            } else if let Some((head, n)) = evs_head {
                if !evs_ok(head.get(..n).unwrap_or_default()) {
                    return Err(evs(p.offset, p.attr, n));
                }
            }
            continue;
        }
        match a.typ.0 {
            // Vendor-Specific content only when asked: otherwise a VSA that does not
            // parse is a raw attribute (FreeRADIUS 3.2's `rad_packet_ok` does not look
            // inside either).
            26 => {
                if let Some(formats) = opts.vsa {
                    let format = formats.vendor_format(vendor_of(a.value));
                    Vsa::new_checked(a.value, format, a.offset)?;
                }
            }
            80 => {
                if a.value.len() != 16 || seen_ma {
                    return Err(Error::MalformedMessageAuthenticator {
                        offset: a.offset,
                        len: a.value.len(),
                    });
                }
                seen_ma = true;
            }
            241..=244 if opts.extended => match a.value {
                [] | [_] => return Err(min(4)),
                [EVS_TYPE, rest @ ..] if !evs_ok(rest) => return Err(evs(a.offset, a.typ, rest.len())),
                _ => {}
            },
            245..=246 if opts.extended => match a.value {
                [] | [_] | [_, _] => return Err(min(5)),
                [ext, flags, rest @ ..] => {
                    let evs_head = (*ext == EVS_TYPE).then(|| {
                        let mut head = [0; EVS_MIN];
                        let n = rest.len().min(EVS_MIN);
                        if let (Some(to), Some(from)) = (head.get_mut(..n), rest.get(..n)) {
                            to.copy_from_slice(from);
                        }
                        (head, n)
                    });
                    if flags & MORE_FLAG != 0 {
                        pending = Some(Pending {
                            offset: a.offset,
                            attr: a.typ,
                            ext_type: *ext,
                            evs_head,
                        });
                    } else if evs_head.is_some() && !evs_ok(rest) {
                        return Err(evs(a.offset, a.typ, rest.len()));
                    }
                }
            },
            _ => {}
        }
    }
    match pending {
        Some(p) => Err(Error::MissingContinuation {
            offset: p.offset,
            attr: p.attr,
            ext_type: p.ext_type,
        }),
        None => Ok(()),
    }
}

/// The one definition of "this packet carries a Message-Authenticator", used by every
/// verifier and policy: the offset (from the packet start) of its 16-octet value.
///
/// Walks the header and the whole top-level attribute list up to Length, whether or not
/// the packet was validated: a malformed list (which could hide one), a
/// Message-Authenticator that is not 16 octets, or a second one is an error, never
/// "absent". So a packet made with [`Packet::new_unchecked`] is held to the same rule
/// as one made with [`Packet::new_checked`].
pub(crate) fn scan_message_authenticator(bytes: &[u8]) -> Result<Option<usize>> {
    let length = check_header(bytes, MAX_PACKET_LEN_TCP)?;
    let mut r = Reader::new(bytes.get(field::ATTRIBUTES..length).unwrap_or_default());
    let mut found = None;
    while !r.is_empty() {
        let a = read_attr(&mut r)?;
        if a.typ == AttrType::MESSAGE_AUTHENTICATOR {
            if a.value.len() != 16 || found.is_some() {
                return Err(Error::MalformedMessageAuthenticator {
                    offset: a.offset,
                    len: a.value.len(),
                });
            }
            found = Some(a.offset + 2);
        }
    }
    Ok(found)
}

fn read_attr<'a>(r: &mut Reader<'a>) -> Result<Attribute<'a>> {
    let offset = HEADER_LEN + r.offset();
    let remaining = r.remaining();
    let Some([typ, len]) = r.peek(2).and_then(|h| <[u8; 2]>::try_from(h).ok()) else {
        return Err(Error::AttributeTooShort {
            offset,
            attr: AttrType(r.rest().first().copied().unwrap_or(0)),
            len: remaining,
            min: 2,
        });
    };
    let (typ, len) = (AttrType(typ), usize::from(len));
    if len < 2 {
        return Err(Error::AttributeTooShort {
            offset,
            attr: typ,
            len,
            min: 2,
        });
    }
    let Some(whole) = r.take(len) else {
        return Err(Error::AttributeOverrun {
            offset,
            attr: typ,
            len,
            remaining,
        });
    };
    Ok(Attribute {
        offset,
        typ,
        value: whole.get(2..).unwrap_or_default(),
    })
}

/// One attribute of a packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Attribute<'a> {
    offset: usize,
    typ: AttrType,
    value: &'a [u8],
}

impl<'a> Attribute<'a> {
    /// The attribute type.
    #[must_use]
    pub const fn typ(&self) -> AttrType {
        self.typ
    }

    /// The value octets (after type and length).
    #[must_use]
    pub const fn value(&self) -> &'a [u8] {
        self.value
    }

    /// Offset of the attribute from the start of the packet.
    #[must_use]
    pub const fn offset(&self) -> usize {
        self.offset
    }

    /// Decodes the value as the given data type.
    pub fn decode(&self, data_type: DataType) -> Result<Value<'a>> {
        Value::decode(data_type, self.value)
    }

    /// Parses a Vendor-Specific attribute in its vendor's built-in format.
    pub fn vsa(&self) -> Result<Vsa<'a>> {
        self.vsa_with(VendorFormat::for_vendor(vendor_of(self.value)))
    }

    /// Parses a Vendor-Specific attribute in the given format.
    pub fn vsa_with(&self, format: VendorFormat) -> Result<Vsa<'a>> {
        if self.typ != AttrType::VENDOR_SPECIFIC {
            return Err(Error::WrongAttributeKind { attr: self.typ });
        }
        Vsa::new_checked(self.value, format, self.offset)
    }
}

/// Iterator over the attributes of a packet, in wire order.
#[derive(Clone, Debug)]
pub struct Attributes<'a> {
    reader: Reader<'a>,
}

impl<'a> Iterator for Attributes<'a> {
    type Item = Attribute<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        // A validated packet cannot fail here; an unchecked one ends at the first error.
        read_attr(&mut self.reader).ok()
    }
}

/// Iterator over reassembled extended attributes; see [`Packet::extended`].
#[derive(Clone, Debug)]
pub struct ExtendedAttrs<'a> {
    inner: Attributes<'a>,
}

impl<'a> Iterator for ExtendedAttrs<'a> {
    type Item = ExtendedAttr<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let a = self.inner.next()?;
            if let Some(e) = read_extended(a, &mut self.inner) {
                return Some(e);
            }
        }
    }
}

/// Reads `a` as an extended (241-244) or long-extended (245-246) attribute, joining
/// the long-extended fragments that follow it in `rest` (RFC 6929 §2.2): the one
/// reassembly of the crate, used by [`Packet::extended`] and [`Packet::addressed`].
///
/// `None` when `a` is neither, or too short for its header (only in an unchecked
/// packet). In a validated packet every fragment is the same attribute and
/// Extended-Type; in an unchecked one anything else ends the chain (keeping what was
/// joined) and is left in `rest` to be read on its own.
///
/// The value is incomplete ([`ExtendedAttr::is_complete`] false) when a fragment with
/// the More flag is followed by anything but its next fragment (the same type and
/// Extended-Type, with a flags octet), or ends the packet.
pub(crate) fn read_extended<'a>(a: Attribute<'a>, rest: &mut Attributes<'a>) -> Option<ExtendedAttr<'a>> {
    let (ext_type, mut more, data) = match a.value {
        [ext, data @ ..] if a.typ.is_extended() => (*ext, false, data),
        [ext, flags, data @ ..] if a.typ.is_long_extended() => (*ext, flags & MORE_FLAG != 0, data),
        _ => return None,
    };
    let mut out = ExtendedAttr {
        offset: a.offset,
        attr: a.typ,
        ext_type,
        data: Cow::Borrowed(data),
        fragments: 1,
        complete: true,
    };
    while more {
        let mut ahead = rest.clone();
        let Some(next) = ahead.next() else { break };
        let [ext, flags, data @ ..] = next.value else {
            break;
        };
        if next.typ != a.typ || *ext != ext_type {
            break;
        }
        out.data.to_mut().extend_from_slice(data);
        out.fragments += 1;
        more = flags & MORE_FLAG != 0;
        *rest = ahead;
    }
    out.complete = !more;
    Some(out)
}
