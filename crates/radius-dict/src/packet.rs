//! Building packets by name and reading them back as names and text.

use std::borrow::Cow;

use radius_codec::crypto::{
    hide_ascend_secret, hide_salted, hide_user_password, unhide_ascend_secret, unhide_salted,
    unhide_user_password,
};
use radius_codec::extended::Tlvs;
use radius_codec::{
    encode_tagged, split_tag, AttrType, AuthenticatorKind, DataType, Packet, PacketBuilder, SharedSecret,
    Value, VendorFormat, VendorId,
};

use crate::error::{Error, ErrorKind};
use crate::model::{AttrDef, Encrypt};
use crate::Dictionary;
use radius_codec::AttrAddr;

/// Secrets for hidden values: the shared secret and the salt for `encrypt=2`
/// attributes (pick it at random with the top bit set; see RFC 2868 §3.5).
#[derive(Debug)]
pub struct Hiding<'s> {
    /// The shared secret.
    pub secret: &'s SharedSecret,
    /// The salt for salt-encrypted attributes: the first one of a packet gets it, the
    /// next ones the next free salts after it (RFC 2868 §3.5 wants each unique; see
    /// `PacketBuilder::claim_salt`). Its most significant bit must be set; pick it at
    /// random per packet.
    pub salt: u16,
}

/// One attribute of a packet, decoded with the dictionary `'d`; its value borrows
/// from the packet `'a` where it can.
///
/// `Debug` prints the attribute (name, key, definition, tag, value), not the
/// dictionary, and `<hidden>` for the value of a hidden (`encrypt=`) or `secret`
/// attribute.
#[derive(Clone)]
pub struct Decoded<'d, 'a> {
    /// The name (`Attr-...` with the numbers when the dictionary does not know it).
    pub name: Cow<'d, str>,
    /// Where it lives.
    pub addr: AttrAddr,
    /// Its definition, if known.
    pub def: Option<&'d AttrDef>,
    /// The RFC 2868 tag, for tagged attributes.
    pub tag: Option<u8>,
    /// The typed value (octets when unknown, malformed or hidden).
    pub value: Value<'a>,
    /// The value did not decode as the definition's type: `value` holds the
    /// attribute's octets as they were on the wire (tag octet included).
    malformed: bool,
    /// The value is hidden (`encrypt=`) and was not revealed (no secret, or one that
    /// did not reveal it): `value` holds the attribute's octets, tag octet included.
    hidden: bool,
    dict: &'d Dictionary,
}

impl core::fmt::Debug for Decoded<'_, '_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let hidden = self
            .def
            .is_some_and(|d| d.flags().secret || d.flags().encrypt != Encrypt::None);
        let mut s = f.debug_struct("Decoded");
        s.field("name", &self.name)
            .field("addr", &self.addr)
            .field("def", &self.def)
            .field("tag", &self.tag);
        if hidden {
            s.field("value", &format_args!("<hidden>"));
        } else {
            s.field("value", &self.value);
        }
        s.finish_non_exhaustive()
    }
}

impl Decoded<'_, '_> {
    /// The value as text, as [`Dictionary::format_value`] prints it: VALUE names
    /// where defined, dates as seconds since 1970, FreeRADIUS notation otherwise
    /// (`<secret>` for attributes flagged `secret`). For FreeRADIUS's own syntax
    /// (quoted strings, `"Dec  2 2026 05:00:00 UTC"`), use
    /// [`Dictionary::format_value_freeradius`].
    #[must_use]
    pub fn text(&self) -> String {
        match (self.def, self.hidden_octets()) {
            (Some(d), _) if d.flags().secret => "<secret>".to_string(),
            (Some(_), Some(hidden)) => hex(hidden),
            (Some(d), None) => self.dict.format_value(d, &self.value),
            (None, _) => match &self.value {
                Value::Octets(b) => hex(b),
                _ => String::from("0x"),
            },
        }
    }
    /// True when the dictionary defines the attribute but its value did not decode as
    /// the defined type (an `integer` of 3 octets, an `ipaddr` of 5, an
    /// `ipv6prefix` longer than 128 bits): [`Decoded::value`] then holds the
    /// attribute's octets as they were on the wire, tag octet included. A hidden
    /// value that was not revealed is not malformed.
    ///
    /// Also true for a Vendor-Specific attribute whose content does not parse in its
    /// vendor's format (sub-attribute lengths that do not add up, too short for a
    /// vendor id; the codec's [`radius_codec::AddrValue::is_malformed`]): it is then
    /// the attribute whole, address `0, [26]` (named `Vendor-Specific` when the
    /// dictionary defines it), its value every octet after type and length, printed
    /// by [`Decoded::freeradius_name`] and [`Decoded::freeradius_value`] as
    /// FreeRADIUS 3.2 prints it: `Attr-26 = 0x<vendor id and data>`. Likewise for an
    /// RFC 6929 attribute whose structure does not parse: `0, [t]` for an extended
    /// attribute without data or a long-extended one whose More flag has no
    /// continuation (`Attr-245 = 0x<first fragment>`), `0, [t, 26]` for an EVS too
    /// short for its vendor header or with a vendor id over 24 bits
    /// (`Attr-241.26 = 0x...`).
    #[must_use]
    pub fn is_malformed(&self) -> bool {
        self.malformed
    }

    /// The name as FreeRADIUS 3.2 prints the attribute (`radiusd -X`, `radclient
    /// -x`, `radsniff`, detail files), to go with [`Decoded::freeradius_value`]:
    ///
    /// - an attribute flagged `has_tag` always with its tag, `:0` when it has none
    ///   (`Tunnel-Type:1`, `Tunnel-Private-Group-Id:0`): FreeRADIUS prints a
    ///   received tagged attribute so and reads `:0` as "no tag";
    /// - an attribute the dictionary does not know, or whose value is malformed, by
    ///   number (`Attr-27`, `Attr-26.9999.1`, `Attr-241.26.9999.1`), as FreeRADIUS
    ///   names such a "raw" attribute; an unknown RFC 6929 short extended type
    ///   (241..=244, not Extended-Vendor-Specific) as its parent (`Attr-241`), as
    ///   FreeRADIUS 3.2 does, the type then being the first octet of the value;
    /// - any other attribute by its name.
    #[must_use]
    pub fn freeradius_name(&self) -> Cow<'_, str> {
        match self.def {
            Some(def) if !self.malformed => {
                if def.flags().has_tag {
                    Cow::Owned(format!("{}:{}", self.name, self.tag.unwrap_or(0)))
                } else {
                    Cow::Borrowed(&*self.name)
                }
            }
            _ => match self.short_extended_unknown() {
                Some((e, _)) => Cow::Owned(format!("Attr-{e}")),
                None => Cow::Owned(self.addr.to_string()),
            },
        }
    }

    /// The value as FreeRADIUS 3.2 prints it, to go with [`Decoded::freeradius_name`]:
    /// [`Dictionary::format_value_freeradius`] for a known attribute (quoted strings,
    /// VALUE names, dates), the octets as `0x` hex for an unknown or malformed one
    /// (so the pair, fed back to radclient, sends the same octets), `<secret>` for
    /// an attribute flagged `secret`. A hidden value that was not revealed prints
    /// as the `0x` hex of its hidden octets after the tag octet, as FreeRADIUS 3.2
    /// prints them ([`Decoded::hidden_octets`]; the name carries the tag).
    #[must_use]
    pub fn freeradius_value(&self) -> String {
        match (self.def, self.hidden_octets()) {
            (Some(d), _) if d.flags().secret => "<secret>".to_string(),
            (Some(_), Some(hidden)) => hex(hidden),
            (Some(d), None) if !self.malformed => self.dict.format_value_freeradius(d, &self.value),
            _ => {
                let mut s = String::from("0x");
                if let Some((_, t)) = self.short_extended_unknown() {
                    s.push_str(&format!("{t:02x}"));
                }
                if let Value::Octets(b) = &self.value {
                    for x in b.iter() {
                        s.push_str(&format!("{x:02x}"));
                    }
                }
                s
            }
        }
    }

    /// The octets of a hidden value that was not revealed, after the tag octet when
    /// the attribute has one ([`Decoded::tag`] holds it): the salt and ciphertext of a
    /// Tunnel-Password, as FreeRADIUS 3.2 prints them (radsniff: `Attr-69 =
    /// 0x8001...` for `01 80 01 ...`, the tag left out of the hex). `None` for a value
    /// that is not hidden or was revealed.
    #[must_use]
    pub fn hidden_octets(&self) -> Option<&[u8]> {
        let (true, Some(def), Value::Octets(b)) = (self.hidden, self.def, &self.value) else {
            return None;
        };
        // The split of `decode_one`: a first octet up to 0x1f is the tag.
        match b.split_first() {
            Some((t, rest)) if def.flags().has_tag && *t <= 0x1f => Some(rest),
            _ => Some(b),
        }
    }

    /// `(241..=244, type)` for an RFC 6929 short extended attribute the dictionary
    /// does not know that is not Extended-Vendor-Specific (FreeRADIUS 3.2 prints it
    /// as its parent, `Attr-241 = 0x<type><value>`; a known one with a malformed
    /// value by its own number, `Attr-241.1`).
    fn short_extended_unknown(&self) -> Option<(u32, u8)> {
        if self.def.is_some() {
            return None;
        }
        match (self.addr.vendor(), self.addr.path()) {
            (VendorId(0), [e @ 241..=244, t]) if *t != 26 => Some((*e, u8::try_from(*t).ok()?)),
            _ => None,
        }
    }
}

/// `0x` and the octets in lowercase hex.
fn hex(octets: &[u8]) -> String {
    let mut s = String::with_capacity(2 + 2 * octets.len());
    s.push_str("0x");
    for x in octets {
        s.push_str(&format!("{x:02x}"));
    }
    s
}

fn codec(attr: &AttrDef) -> impl Fn(radius_codec::Error) -> Error + '_ {
    move |source| Error::value(attr.name(), "", ErrorKind::Codec(source))
}

/// RFC 2868: tags 1..=31 on attributes flagged `has_tag`, or 0: "no tag", as
/// FreeRADIUS reads it (a tag octet of 0 where one is always sent, integers and
/// salt-encrypted values such as Tunnel-Password; none on other values), and as it
/// prints an untagged one it received (`Tunnel-Private-Group-Id:0 = "10"`).
fn tag_allowed(attr: &AttrDef, tag: u8) -> bool {
    attr.flags().has_tag && tag <= 31
}

impl Dictionary {
    /// The vendor format the dictionary gives `vendor`, or the built-in one.
    #[must_use]
    pub fn vendor_format(&self, vendor: VendorId) -> VendorFormat {
        self.vendor_by_id(vendor)
            .map_or_else(|| VendorFormat::for_vendor(vendor), |v| v.format())
    }

    /// Appends `name = text` to a packet: `Tunnel-Type:1 = VLAN` style tags, VALUE
    /// names, Vendor-Specific, extended, long-extended, EVS and TLV attributes, and
    /// hidden values (`encrypt=1/2/3`) with `hiding`. `text` is data, taken exactly
    /// (see [`Dictionary::parse_value`]).
    ///
    /// A tag (`Name:N`) must be in 1..=31, or 0 for "no tag" (as FreeRADIUS reads
    /// it, and prints an untagged attribute it received: `Tunnel-Private-Group-Id:0`),
    /// on an attribute flagged `has_tag`; anything else is [`ErrorKind::InvalidTag`]
    /// and nothing is added.
    ///
    /// `name` is a dictionary name or, for a name the dictionary does not define, a
    /// raw FreeRADIUS name with a `0x` value (`Attr-27 = 0x000001`,
    /// `Attr-26.9999.1 = 0x61`; see [`Dictionary::raw_attr`]): what
    /// [`Decoded::freeradius_name`] and [`Decoded::freeradius_value`] print for an
    /// unknown attribute or a malformed value is added back with the same octets.
    ///
    /// ```
    /// use radius_codec::{Packet, PacketBuilder, SharedSecret};
    /// use radius_dict::Dictionary;
    ///
    /// let dict = Dictionary::builtin();
    /// let mut b = PacketBuilder::accounting_request(1);
    /// dict.add(&mut b, "Attr-27", "0x000001", None)?;
    /// dict.add(&mut b, "Attr-26.9999.1", "0x61", None)?;
    /// let bytes = b.finish(&SharedSecret::from("s"))?;
    /// assert_eq!(bytes[20..], [27, 5, 0, 0, 1, 26, 9, 0, 0, 0x27, 0x0f, 1, 3, 0x61]);
    /// let p = Packet::new_checked(&bytes[..])?;
    /// assert_eq!(
    ///     dict.display(&p).to_string(),
    ///     "Accounting-Request Id 1 length 34\n\tAttr-27 = 0x000001\n\tAttr-26.9999.1 = 0x61\n",
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add(
        &self,
        b: &mut PacketBuilder,
        name: &str,
        text: &str,
        hiding: Option<&Hiding<'_>>,
    ) -> Result<(), Error> {
        let (base, tag_text) = match name.rsplit_once(':') {
            Some((n, t)) if !t.is_empty() && t.bytes().all(|c| c.is_ascii_digit()) => (n, Some(t)),
            _ => (name, None),
        };
        let attr = self.attr_or_raw(base)?;
        let attr = &*attr;
        if attr.addr() == AttrAddr::standard(80) {
            // Message-Authenticator is computed when the packet is finished (radclient
            // accepts `Message-Authenticator = 0x00` the same way).
            b.add_message_authenticator();
            return Ok(());
        }
        let tag = match tag_text {
            None => None,
            Some(t) => Some(
                t.parse::<u8>()
                    .ok()
                    .filter(|n| tag_allowed(attr, *n))
                    .ok_or_else(|| Error::value(attr.name(), t, ErrorKind::InvalidTag))?,
            ),
        };
        let value = self.parse_value(attr, text)?;
        self.add_typed(b, attr, tag, &value, hiding)
    }

    /// Appends a typed value of `attr` to a packet: the same placement, tagging and
    /// hiding as [`Dictionary::add`], for callers that already hold a [`Value`] (the
    /// Python bindings, programs that compute values). Message-Authenticator is
    /// requested rather than added (it is computed when the packet is finished).
    /// `attr` may be a raw attribute ([`Dictionary::attr_or_raw`]): its value's
    /// octets are placed as they are.
    pub fn add_typed(
        &self,
        b: &mut PacketBuilder,
        attr: &AttrDef,
        tag: Option<u8>,
        value: &Value<'_>,
        hiding: Option<&Hiding<'_>>,
    ) -> Result<(), Error> {
        if attr.addr() == AttrAddr::standard(80) {
            b.add_message_authenticator();
            return Ok(());
        }
        if attr.flags().virtual_ {
            return Err(Error::value(attr.name(), "", ErrorKind::NotEncodable));
        }
        if let Some(t) = tag.filter(|t| !tag_allowed(attr, *t)) {
            return Err(Error::value(attr.name(), &t.to_string(), ErrorKind::InvalidTag));
        }
        let mut bytes = Vec::new();
        match (tag, attr.flags().has_tag && attr.flags().encrypt == Encrypt::None) {
            (t, true) => encode_tagged(value, t.unwrap_or(0), &mut bytes).map_err(codec(attr))?,
            _ => value.encode(&mut bytes).map_err(codec(attr))?,
        }
        let vector = *b.hidden_vector();
        let need = || Error::value(attr.name(), "", ErrorKind::NotEncodable);
        bytes = match attr.flags().encrypt {
            Encrypt::None => bytes,
            Encrypt::UserPassword => {
                hide_user_password(&bytes, hiding.ok_or_else(need)?.secret, &vector).map_err(codec(attr))?
            }
            Encrypt::AscendSecret => hide_ascend_secret(&bytes, hiding.ok_or_else(need)?.secret, &vector)
                .map_err(codec(attr))?
                .to_vec(),
            Encrypt::Salted => {
                let h = hiding.ok_or_else(need)?;
                // (unique in the packet: the first salted attribute gets h.salt)
                let salt = b.claim_salt(h.salt).map_err(codec(attr))?;
                let salted = hide_salted(&bytes, h.secret, &vector, salt).map_err(codec(attr))?;
                if attr.flags().has_tag {
                    let mut v = vec![tag.unwrap_or(0)];
                    v.extend_from_slice(&salted);
                    v
                } else {
                    salted
                }
            }
        };
        self.place(b, attr, &bytes)
    }

    /// Puts encoded value octets where the attribute's key says: the codec's
    /// [`PacketBuilder::add_at_with`] with this dictionary's vendor formats, or
    /// [`PacketBuilder::add_concat`] for a standard `concat` attribute.
    fn place(&self, b: &mut PacketBuilder, attr: &AttrDef, bytes: &[u8]) -> Result<(), Error> {
        let key = attr.addr();
        let placed = match (key.vendor(), key.path()) {
            (VendorId(0), [t]) if attr.flags().concat => match u8::try_from(*t) {
                Ok(t) => b.add_concat(AttrType(t), bytes).map(|_| ()),
                Err(_) => Err(radius_codec::Error::AddressNotEncodable {
                    vendor: VendorId(0),
                    number: *t,
                }),
            },
            _ => b.add_at_with(&key, self, bytes).map(|_| ()),
        };
        placed.map_err(|e| match e {
            radius_codec::Error::AddressNotEncodable { .. } => {
                Error::value(attr.name(), "", ErrorKind::NotEncodable)
            }
            e => codec(attr)(e),
        })
    }

    /// Decodes every attribute of a request in wire order; nothing is dropped (unknown
    /// attributes are named by number; a Vendor-Specific or extended attribute whose
    /// structure does not parse is kept raw, [`Decoded::is_malformed`]). The structure (Vendor-Specific in this
    /// dictionary's vendor formats, WiMAX continuation, long-extended fragments, EVS)
    /// is the codec's [`Packet::addressed`]; TLVs are descended where the type is
    /// `tlv`. With `hiding` (the same [`Hiding`] that [`Dictionary::add`] takes; its
    /// salt is not used here), hidden values are revealed wherever they live, joined
    /// ones included, with the vector the packet's code calls for: its own Request
    /// Authenticator for Access-Request and Status-Server, zeros for
    /// Accounting/CoA/Disconnect requests (RFC 2866 §3, RFC 5176 §3.5). A reply's hidden
    /// values need its request: use [`Dictionary::decode_reply`]; here they stay hidden.
    pub fn decode<'d, 'a>(
        &'d self,
        packet: &Packet<&'a [u8]>,
        hiding: Option<&Hiding<'_>>,
    ) -> Vec<Decoded<'d, 'a>> {
        let vector = match packet.code().authenticator_kind() {
            AuthenticatorKind::Random => Some(packet.authenticator()),
            AuthenticatorKind::RequestMd5 => Some([0; 16]),
            _ => None,
        };
        let reveal = hiding.zip(vector).map(|(h, v)| (h.secret, v));
        self.decode_with(packet, reveal)
    }

    /// Decodes a reply as [`Dictionary::decode`] does a request; with `hiding`, its
    /// hidden values are revealed with the Request Authenticator of `request`.
    pub fn decode_reply<'d, 'a, U: AsRef<[u8]>>(
        &'d self,
        reply: &Packet<&'a [u8]>,
        request: &Packet<U>,
        hiding: Option<&Hiding<'_>>,
    ) -> Vec<Decoded<'d, 'a>> {
        self.decode_with(reply, hiding.map(|h| (h.secret, request.authenticator())))
    }

    /// Names and formats what the codec's structural reader ([`Packet::addressed`],
    /// with this dictionary's vendor formats) yields: looks each address up, descends
    /// TLVs, splits tags and reveals hidden values.
    fn decode_with<'d, 'a>(
        &'d self,
        packet: &Packet<&'a [u8]>,
        hiding: Option<(&SharedSecret, [u8; 16])>,
    ) -> Vec<Decoded<'d, 'a>> {
        // One entry per attribute in the common case.
        let mut out = Vec::with_capacity(packet.attributes().count() + 4);
        for item in packet.addressed(self) {
            let addr = item.addr();
            if item.is_malformed() {
                // A Vendor-Specific or extended attribute whose structure does not
                // parse: kept raw, as FreeRADIUS 3.2 keeps it (`Attr-26 = 0x...`,
                // `Attr-245 = 0x...`, `Attr-241.26 = 0x...`).
                let def = self.attr_by_addr(addr);
                out.push(Decoded {
                    name: def.map_or_else(|| Cow::Owned(addr.to_string()), |d| Cow::Borrowed(d.name())),
                    addr,
                    def,
                    tag: None,
                    value: Value::Octets(item.into_value()),
                    malformed: true,
                    hidden: false,
                    dict: self,
                });
                continue;
            }
            match item.into_value() {
                Cow::Borrowed(value) => self.decode_one(addr, value, hiding, &mut out),
                Cow::Owned(value) => self.decode_owned(addr, &value, hiding, &mut out),
            }
        }
        out
    }

    /// `decode_one` for a value joined from several attributes: the
    /// result owns its octets.
    fn decode_owned<'d>(
        &'d self,
        key: AttrAddr,
        value: &[u8],
        hiding: Option<(&SharedSecret, [u8; 16])>,
        out: &mut Vec<Decoded<'d, '_>>,
    ) {
        let mut tmp = Vec::new();
        self.decode_one(key, value, hiding, &mut tmp);
        out.extend(tmp.into_iter().map(|d| Decoded {
            value: d.value.into_owned(),
            ..d
        }));
    }

    fn decode_one<'d, 'a>(
        &'d self,
        key: AttrAddr,
        bytes: &'a [u8],
        hiding: Option<(&SharedSecret, [u8; 16])>,
        out: &mut Vec<Decoded<'d, 'a>>,
    ) {
        let Some(def) = self.attr_by_addr(key) else {
            out.push(Decoded {
                name: Cow::Owned(key.to_string()),
                addr: key,
                def: None,
                tag: None,
                value: Value::Octets(bytes.into()),
                malformed: false,
                hidden: false,
                dict: self,
            });
            return;
        };
        if def.data_type() == DataType::Tlv {
            // Children when there are some and every one has a key; otherwise (empty,
            // malformed, nested deeper than the model) the value as it is: nothing
            // is dropped.
            let children: Option<Vec<_>> = Tlvs::new_checked(bytes).ok().map(|tlvs| {
                tlvs.map(|tlv| key.child(u32::from(tlv.tlv_type())).map(|k| (k, tlv.value())))
                    .collect::<Option<Vec<_>>>()
                    .unwrap_or_default()
            });
            if let Some(children) = children.filter(|c| !c.is_empty()) {
                for (child, value) in children {
                    self.decode_one(child, value, hiding, out);
                }
                return;
            }
        }
        let flags = def.flags();
        let (tag, body): (Option<u8>, Cow<'a, [u8]>) = if flags.has_tag && flags.encrypt == Encrypt::None {
            split_tag(def.data_type(), bytes).unwrap_or_else(|_| (None, bytes.into()))
        } else if flags.has_tag {
            match bytes.split_first() {
                Some((t, rest)) if *t <= 0x1f => ((*t != 0).then_some(*t), rest.into()),
                _ => (None, bytes.into()),
            }
        } else {
            (None, bytes.into())
        };
        let revealed: Option<Vec<u8>> = match (flags.encrypt, hiding) {
            (Encrypt::UserPassword, Some((s, ra))) => unhide_user_password(&body, s, &ra).ok(),
            (Encrypt::Salted, Some((s, ra))) => unhide_salted(&body, s, &ra).ok(),
            (Encrypt::AscendSecret, Some((s, ra))) => unhide_ascend_secret(&body, s, &ra).ok(),
            _ => None,
        };
        let decoded = match (&revealed, &body) {
            (Some(r), _) => Value::decode(def.data_type(), r).map(Value::into_owned),
            (None, Cow::Borrowed(b)) => Value::decode(def.data_type(), b),
            (None, Cow::Owned(b)) => Value::decode(def.data_type(), b).map(Value::into_owned),
        };
        let hidden_but_unrevealed = flags.encrypt != Encrypt::None && revealed.is_none();
        let (value, malformed) = match decoded {
            Ok(v) if !hidden_but_unrevealed => (v, false),
            Ok(_) => (Value::Octets(bytes.into()), false),
            Err(_) => (Value::Octets(bytes.into()), !hidden_but_unrevealed),
        };
        out.push(Decoded {
            name: Cow::Borrowed(def.name()),
            addr: key,
            def: Some(def),
            tag,
            value,
            malformed,
            hidden: hidden_but_unrevealed,
            dict: self,
        });
    }
}

/// A dictionary tells the codec each vendor's Vendor-Specific format: for
/// [`Packet::addressed`] (what [`Dictionary::decode`] does), and for
/// `DecodeOptions::UDP.vendor_formats(&dict)`, which refuses a packet whose
/// Vendor-Specific content does not parse in them (by default such a VSA is kept as a
/// malformed attribute, as FreeRADIUS keeps it).
impl radius_codec::VendorFormats for Dictionary {
    fn vendor_format(&self, vendor: VendorId) -> VendorFormat {
        Self::vendor_format(self, vendor)
    }

    /// Whether this dictionary defines the vendor attribute: FreeRADIUS 3.2 keeps a
    /// WiMAX VSA of a type its dictionary does not define raw (`Attr-26 = 0x...`).
    /// A vendor the dictionary does not define at all (its format then the built-in
    /// one, [`VendorFormat::for_vendor`]) has no list of types to judge by: every
    /// type is taken.
    fn knows(&self, vendor: VendorId, vendor_type: u32) -> bool {
        self.vendor_by_id(vendor).is_none()
            || self
                .attr_by_addr(AttrAddr::vendor_specific(vendor, vendor_type))
                .is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the packet printer writes for a tagged attribute reads back to the same
    /// octets: FreeRADIUS prints an untagged one as `Name:0` (radsniff 3.2.1:
    /// `Tunnel-Private-Group-Id:0 = "10"` for the octets `10`) and radclient reads
    /// `:0` as no tag.
    #[test]
    fn tag_zero_is_no_tag() {
        let d = Dictionary::builtin();
        let secret = SharedSecret::from("s");
        let mut b = PacketBuilder::accounting_request(1);
        d.add(&mut b, "Tunnel-Private-Group-Id:0", "10", None).unwrap();
        d.add(&mut b, "Tunnel-Private-Group-Id:0", "\x01x", None).unwrap();
        d.add(&mut b, "Tunnel-Type:0", "VLAN", None).unwrap();
        let bytes = b.finish(&secret).unwrap();
        let p = Packet::new_checked(&bytes[..]).unwrap();
        let values: Vec<&[u8]> = p.attributes().map(|a| a.value()).collect();
        // No tag octet; a 0 one in front of a first octet that could be read as a tag.
        assert_eq!(values, [&b"10"[..], b"\x00\x01x", &[0, 0, 0, 13]]);
        assert_eq!(
            d.display(&p).to_string(),
            "Accounting-Request Id 1 length 35\n\tTunnel-Private-Group-Id:0 = \"10\"\n\t\
             Tunnel-Private-Group-Id:0 = \"\\001x\"\n\tTunnel-Type:0 = VLAN\n"
        );
    }

    /// Issue: `Tunnel-Private-Group-Id:256` was added untagged, without an error.
    #[test]
    fn tags_out_of_range_are_errors() {
        let d = Dictionary::builtin();
        let secret = SharedSecret::from("s");
        let hiding = Hiding {
            secret: &secret,
            salt: 0x8001,
        };
        let mut b = PacketBuilder::access_request(1, [0; 16]);
        let empty = b.len();
        for (name, text) in [
            ("Tunnel-Private-Group-Id:256", "10"),
            ("Tunnel-Private-Group-Id:32", "10"),
            ("Tunnel-Private-Group-Id:99999999999999999999999", "10"),
            ("Tunnel-Type:32", "VLAN"),
            ("Tunnel-Password:300", "pw"),
            ("User-Name:1", "bob"),
        ] {
            let e = d.add(&mut b, name, text, Some(&hiding)).unwrap_err();
            let (base, tag) = name.rsplit_once(':').unwrap();
            assert_eq!(*e.kind(), ErrorKind::InvalidTag, "{name}");
            assert_eq!(
                (e.attribute(), e.token()),
                (Some(base), &tag[..tag.len().min(40)]),
                "{name}"
            );
            assert_eq!(b.len(), empty, "{name}: nothing added");
        }
        for (name, text) in [
            ("Tunnel-Private-Group-Id:1", "10"),
            ("Tunnel-Private-Group-Id:31", "10"),
            ("Tunnel-Type:0", "VLAN"),
            ("Tunnel-Type:31", "VLAN"),
            ("Tunnel-Password:0", "pw"),
            ("Tunnel-Password:5", "pw"),
        ] {
            d.add(&mut b, name, text, Some(&hiding)).unwrap();
        }
        let bytes = b.finish(&secret).unwrap();
        let p = Packet::new_checked(&bytes[..]).unwrap();
        let tags: Vec<_> = d.decode(&p, Some(&hiding)).iter().map(|a| a.tag).collect();
        assert_eq!(tags, [None, Some(1), Some(31), None, Some(31), None, Some(5)]);
    }

    /// An empty or malformed `tlv` value is decoded as it is, not dropped.
    #[test]
    fn tlv_without_children_is_kept() {
        let d = Dictionary::builtin();
        let mut b = PacketBuilder::accounting_request(1);
        b.add(AttrType(173), &[]).unwrap();
        b.add(AttrType(173), &[1, 9]).unwrap();
        b.add(AttrType(173), &[1, 3, 7]).unwrap();
        let bytes = b.finish(&SharedSecret::from("s")).unwrap();
        let p = Packet::new_checked(&bytes[..]).unwrap();
        let got: Vec<_> = d.decode(&p, None).iter().map(|a| (a.addr, a.text())).collect();
        let six_rd = AttrAddr::standard(173);
        assert_eq!(
            got,
            [
                (six_rd, "0x".to_string()),
                (six_rd, "0x0109".to_string()),
                (six_rd.child(1).unwrap(), "7".to_string()),
            ]
        );
    }

    /// RFC 2868 §3.5: each salt of a packet is unique. One `Hiding` for several
    /// salt-encrypted attributes (Tunnel-Password per tag, MS-MPPE keys) gave them all
    /// its salt, so the same keystream: the XOR of two ciphertexts was the XOR of the
    /// passwords. Now the first gets the salt given, the next ones the next free ones.
    #[test]
    fn salts_are_unique_in_a_packet() {
        let d = Dictionary::builtin();
        let secret = SharedSecret::from("s3cret");
        let hiding = Hiding {
            secret: &secret,
            salt: 0xfffe,
        };
        let mut b = PacketBuilder::access_request(1, [7; 16]);
        b.add_tunnel_password(&secret, 3, 0x8000, b"first").unwrap();
        for (name, value) in [
            ("Tunnel-Password:1", "pw-one"),
            ("Tunnel-Password:2", "pw-two"),
            ("MS-MPPE-Send-Key", "0x0011223344556677"),
            ("MS-MPPE-Recv-Key", "0x8899aabbccddeeff"),
        ] {
            d.add(&mut b, name, value, Some(&hiding)).unwrap();
        }
        b.add_tunnel_password(&secret, 4, 0xfffe, b"last").unwrap();
        let bytes = b.finish(&secret).unwrap();
        let p = Packet::new_checked(&bytes[..]).unwrap();
        let salts: Vec<u16> = d
            .decode(&p, None)
            .iter()
            .filter_map(|a| {
                let o = a.hidden_octets()?;
                Some(u16::from_be_bytes([*o.first()?, *o.get(1)?]))
            })
            .collect();
        // wraps within the salts that have the high bit set, skipping 0x8000 (taken)
        assert_eq!(salts, [0x8000, 0xfffe, 0xffff, 0x8001, 0x8002, 0x8003]);
        let texts: Vec<_> = d
            .decode(&p, Some(&hiding))
            .iter()
            .filter(|a| a.def.is_some_and(|def| def.flags().encrypt == Encrypt::Salted))
            .map(Decoded::text)
            .collect();
        assert_eq!(
            texts,
            [
                "first",
                "pw-one",
                "pw-two",
                "0x0011223344556677",
                "0x8899aabbccddeeff",
                "last"
            ]
        );
    }

    /// A hidden value is revealed wherever it lives, also when the codec joined it
    /// from several attributes (here a salt-encrypted WiMAX value of 258 octets, over
    /// two continued Vendor-Specific attributes).
    #[test]
    fn joined_hidden_values_are_revealed() {
        let mut files = crate::MemoryResolver::new();
        files.insert(
            "d",
            "VENDOR WiMAX 24757 format=1,1,c\nBEGIN-VENDOR WiMAX\n\
             ATTRIBUTE WiMAX-Key 5 octets encrypt=2\nEND-VENDOR WiMAX\n",
        );
        let (d, _) = Dictionary::load(&files, "d", crate::Mode::Strict).unwrap();
        let secret = SharedSecret::from("s3cret");
        let hiding = Hiding {
            secret: &secret,
            salt: 0x8001,
        };
        let key: Vec<u8> = (0..240u8).collect();
        let text: String = key.iter().map(|b| format!("{b:02x}")).collect();
        let mut b = PacketBuilder::access_request(1, [3; 16]);
        d.add(&mut b, "WiMAX-Key", &format!("0x{text}"), Some(&hiding))
            .unwrap();
        d.add(&mut b, "WiMAX-Key", "0x0102", Some(&hiding)).unwrap();
        let bytes = b.finish(&secret).unwrap();
        let opts = radius_codec::DecodeOptions::UDP.vendor_formats(&d);
        let p = Packet::new_checked_with(&bytes[..], &opts).unwrap();
        assert_eq!(p.all(AttrType::VENDOR_SPECIFIC).count(), 3);
        let got: Vec<_> = d
            .decode(&p, Some(&hiding))
            .into_iter()
            .filter(|a| a.addr.vendor() == VendorId::WIMAX)
            .map(|a| (a.name.to_string(), a.value))
            .collect();
        assert_eq!(
            got,
            [
                ("WiMAX-Key".to_string(), Value::Octets(key.into())),
                ("WiMAX-Key".to_string(), Value::Octets(vec![1, 2].into())),
            ]
        );
        // Without the secret both stay hidden: the salted octets, joined.
        let hidden: Vec<_> = d
            .decode(&p, None)
            .iter()
            .filter(|a| a.addr.vendor() == VendorId::WIMAX)
            .map(|a| a.value.to_bytes().unwrap().len())
            .collect();
        assert_eq!(hidden, [258, 18]);
    }

    /// A hidden value printed without the secret (or with one that does not reveal
    /// it) shows its salt and ciphertext, the tag only in the name, as FreeRADIUS 3.2
    /// prints it (radsniff: `Attr-69 = 0x8001...` for the octets `01 80 01 ...`);
    /// the secret reveals it.
    #[test]
    fn a_hidden_value_prints_without_its_tag_octet() {
        let d = Dictionary::builtin();
        let secret = SharedSecret::from("s3cret");
        let mut b = PacketBuilder::access_request(1, [9; 16]);
        let hiding = Hiding {
            secret: &secret,
            salt: 0x8001,
        };
        d.add(&mut b, "Tunnel-Password:1", "tunnel-pw", Some(&hiding))
            .unwrap();
        d.add(&mut b, "Tunnel-Password:0", "untagged", Some(&hiding))
            .unwrap();
        let bytes = b.finish(&secret).unwrap();
        let p = Packet::new_checked(&bytes[..]).unwrap();
        let wire: Vec<Vec<u8>> = p.all(AttrType(69)).map(|a| a.value().to_vec()).collect();
        assert_eq!((wire[0][0], wire[1][0]), (1, 0), "tag octets");
        let hexed = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
        for (wrong, what) in [
            (None, "no secret"),
            (Some(SharedSecret::from("other")), "wrong secret"),
        ] {
            let h = wrong.as_ref().map(|s| Hiding { secret: s, salt: 0 });
            let printed: Vec<_> = d
                .decode(&p, h.as_ref())
                .iter()
                .filter(|a| a.addr == AttrAddr::standard(69))
                .map(|a| (a.freeradius_name().into_owned(), a.freeradius_value(), a.text()))
                .collect();
            let want: Vec<_> = [("Tunnel-Password:1", &wire[0]), ("Tunnel-Password:0", &wire[1])]
                .iter()
                .map(|(n, w)| {
                    let v = format!("0x{}", hexed(&w[1..]));
                    (n.to_string(), v.clone(), v)
                })
                .collect();
            assert_eq!(printed, want, "{what}");
            // The value itself keeps the octets as they were, tag octet included.
            let values: Vec<_> = d
                .decode(&p, h.as_ref())
                .iter()
                .filter(|a| a.addr == AttrAddr::standard(69))
                .map(|a| a.value.to_bytes().unwrap().to_vec())
                .collect();
            assert_eq!(values, wire, "{what}");
        }
        let revealed: Vec<_> = d
            .decode(
                &p,
                Some(&Hiding {
                    secret: &secret,
                    salt: 0,
                }),
            )
            .iter()
            .filter(|a| a.addr == AttrAddr::standard(69))
            .map(|a| {
                (
                    a.freeradius_name().into_owned(),
                    a.freeradius_value(),
                    a.hidden_octets().is_none(),
                )
            })
            .collect();
        assert_eq!(
            revealed,
            [
                ("Tunnel-Password:1".to_string(), "\"tunnel-pw\"".to_string(), true),
                ("Tunnel-Password:0".to_string(), "\"untagged\"".to_string(), true)
            ]
        );
    }

    /// A Vendor-Specific of vendor id 0 carrying sub-attribute 1 decoded as a second
    /// User-Name (vendor 0's address `[1]` is User-Name's): it is the plain
    /// Vendor-Specific attribute.
    #[test]
    fn a_vendor_zero_vsa_is_not_a_user_name() {
        let d = Dictionary::builtin();
        let mut b = PacketBuilder::accounting_request(1);
        b.add(AttrType::USER_NAME, b"alice")
            .unwrap()
            .add(AttrType::VENDOR_SPECIFIC, &[0, 0, 0, 0, 1, 5, b'e', b'v', b'e'])
            .unwrap();
        let bytes = b.finish(&SharedSecret::from("s")).unwrap();
        let p = Packet::new_checked(&bytes[..]).unwrap();
        let names: Vec<_> = d.decode(&p, None).iter().map(|a| a.name.to_string()).collect();
        assert_eq!(names, ["User-Name", "Vendor-Specific"]);
    }

    /// A Vendor-Specific whose content does not parse (here a sub-attribute that
    /// claims 9 octets of 3, and one in a dictionary vendor's `2,1` format that the
    /// octets do not follow), between good attributes: the packet decodes, every
    /// other attribute as usual and in wire order, the bad one whole and malformed,
    /// printed as FreeRADIUS 3.2 prints it (radsniff: `Attr-26 = 0x...`), named
    /// `Vendor-Specific` (when the dictionary has it) with its octets as hex in the
    /// plain text; the printed pair reads back to the same octets.
    #[test]
    fn a_malformed_vsa_is_kept_between_good_attributes() {
        let mut files = crate::MemoryResolver::new();
        files.insert(
            "d",
            "VENDOR Wide 7777 format=2,1\nBEGIN-VENDOR Wide\n\
             ATTRIBUTE Wide-Thing 300 string\nEND-VENDOR Wide\n",
        );
        let (wide, _) = Dictionary::load(&files, "d", crate::Mode::Strict).unwrap();
        let row = |n: &str, t: &str, m: bool| (n.to_string(), t.to_string(), m);
        let overrun = [0, 0, 0, 9, 1, 3, b'a', 2, 9, b'x'];
        let not_wide = [0, 0, 0x1e, 0x61, 1, 5, b'a', b'b', b'c'];
        let cases = [
            (
                Dictionary::builtin(),
                &overrun[..],
                [
                    row("User-Name", "bob", false),
                    row("Vendor-Specific", "0x00000009010361020978", true),
                    row("Cisco-AVPair", "a=b", false),
                    row("NAS-Port", "7", false),
                ],
            ),
            (
                &wide,
                &not_wide[..],
                [
                    // This dictionary defines neither the standard attributes nor
                    // Vendor-Specific: all by number.
                    row("Attr-1", "0x626f62", false),
                    row("Attr-26", "0x00001e610105616263", true),
                    row("Attr-26.9.1", "0x613d62", false),
                    row("Attr-5", "0x00000007", false),
                ],
            ),
        ];
        let secret = SharedSecret::from("s");
        for (d, bad, want) in cases {
            let mut b = PacketBuilder::accounting_request(3);
            b.add(AttrType::USER_NAME, b"bob")
                .unwrap()
                .add(AttrType::VENDOR_SPECIFIC, bad)
                .unwrap()
                .add_vsa(VendorId::CISCO, 1, b"a=b")
                .unwrap()
                .add(AttrType::NAS_PORT, &[0, 0, 0, 7])
                .unwrap();
            let bytes = b.finish(&secret).unwrap();
            let p = Packet::new_checked(&bytes[..]).unwrap();
            // Refused only when asked to check VSA content in the dictionary's formats.
            let strict = radius_codec::DecodeOptions::UDP.vendor_formats(d);
            assert!(Packet::new_checked_with(&bytes[..], &strict).is_err());
            let decoded = d.decode(&p, None);
            let got: Vec<_> = decoded
                .iter()
                .map(|a| (a.name.to_string(), a.text(), a.is_malformed()))
                .collect();
            assert_eq!(got, want);
            let hex: String = bad.iter().map(|b| format!("{b:02x}")).collect();
            let bad_one = &decoded[1];
            assert_eq!(bad_one.addr, AttrAddr::standard(26));
            assert_eq!(bad_one.tag, None);
            assert_eq!(bad_one.value, Value::Octets(bad.into()));
            assert_eq!(
                (bad_one.freeradius_name(), bad_one.freeradius_value()),
                (Cow::Borrowed("Attr-26"), format!("0x{hex}"))
            );
            assert!(d
                .display(&p)
                .to_string()
                .contains(&format!("\tAttr-26 = 0x{hex}\n")));
            // By name, such octets are not a valid `vsa` value (written raw, they are
            // sent as they are; FreeRADIUS takes only `Attr-26 = 0x...`).
            if let Some(def) = d.attr("Vendor-Specific") {
                let e = d.parse_value(def, &format!("0x{hex}")).unwrap_err();
                assert_eq!(
                    *e.kind(),
                    ErrorKind::InvalidValue {
                        data_type: DataType::Vsa
                    }
                );
                let good = d.parse_value(def, "0x000000090105613d62").unwrap();
                assert_eq!(good.to_bytes().unwrap(), [0, 0, 0, 9, 1, 5, b'a', b'=', b'b']);
            }
            // The printed pair reads back to the same octets.
            let mut again = PacketBuilder::accounting_request(0);
            d.add(&mut again, "Attr-26", &format!("0x{hex}"), None).unwrap();
            let again = again.finish(&secret).unwrap();
            assert_eq!(
                again[20..],
                [&[26, u8::try_from(bad.len() + 2).unwrap()][..], bad].concat()
            );
        }
    }

    /// Issue: `Debug` of a decoded attribute printed the whole dictionary (150 KB)
    /// and revealed passwords.
    #[test]
    fn debug_prints_the_attribute_not_the_dictionary() {
        let d = Dictionary::builtin();
        let secret = SharedSecret::from("s3cret");
        let ra = [9u8; 16];
        let mut b = PacketBuilder::access_request(1, ra);
        let hiding = Hiding {
            secret: &secret,
            salt: 0x8001,
        };
        d.add(&mut b, "User-Name", "alice", None).unwrap();
        d.add(&mut b, "User-Password", "hunter2-pw", Some(&hiding))
            .unwrap();
        d.add(&mut b, "Tunnel-Password:1", "tunnel-pw", Some(&hiding))
            .unwrap();
        let bytes = b.finish(&secret).unwrap();
        let p = Packet::new_checked(&bytes[..]).unwrap();
        let decoded = d.decode(&p, Some(&hiding));
        let pw = decoded.iter().find(|a| a.name == "User-Password").unwrap();
        assert_eq!(pw.text(), "hunter2-pw", "revealed for the caller");
        let debug = format!("{decoded:?}");
        assert!(debug.len() < 2000, "{} bytes", debug.len());
        assert!(
            debug.contains("User-Name") && debug.contains("Tunnel-Password"),
            "{debug}"
        );
        for secret in ["hunter2", "104, 117, 110", "tunnel-pw", "s3cret"] {
            assert!(!debug.contains(secret), "{secret} in {debug}");
        }
    }
}
