//! The crate's one error type.

use crate::{AttrType, Code, DataType, VendorId};

/// Everything that can go wrong when decoding, building or verifying RADIUS data.
///
/// Small and `Copy`; every variant carries the numbers an operator needs to find the
/// problem (offsets are from the start of the packet, or of the value for value errors).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    // ---- packet structure -------------------------------------------------------
    /// The buffer is shorter than the 20-octet header.
    #[error("packet is {len} octets, shorter than the 20-octet header")]
    HeaderTooShort {
        /// Octets available.
        len: usize,
    },
    /// The Length field is outside `20..=max`.
    #[error("packet Length field {length} is outside 20..={max}")]
    LengthOutOfRange {
        /// The Length field.
        length: usize,
        /// The configured maximum (4096 over UDP, 65535 over TCP/TLS).
        max: usize,
    },
    /// The buffer holds fewer octets than the Length field claims (RFC 2865 §3: discard).
    #[error("packet Length field is {length} but only {available} octets were received")]
    Truncated {
        /// The Length field.
        length: usize,
        /// Octets available.
        available: usize,
    },
    /// An attribute header is cut off or its Length is below the minimum for its kind.
    #[error("attribute {attr} at offset {offset} has length {len}, below the minimum {min}")]
    AttributeTooShort {
        /// Offset of the attribute.
        offset: usize,
        /// Attribute type.
        attr: AttrType,
        /// Its Length octet (or the octets left, when the header itself is cut off).
        len: usize,
        /// The minimum length for this kind of attribute.
        min: usize,
    },
    /// An attribute's Length runs past the end of the packet (or of its container).
    #[error("attribute {attr} at offset {offset} has length {len} but only {remaining} octets remain")]
    AttributeOverrun {
        /// Offset of the attribute.
        offset: usize,
        /// Attribute type.
        attr: AttrType,
        /// Its Length octet.
        len: usize,
        /// Octets left in the packet or container.
        remaining: usize,
    },
    /// A Vendor-Specific attribute's content does not parse in the vendor's format.
    ///
    /// Returned for the one attribute ([`crate::Vsa::new_checked`],
    /// [`crate::Attribute::vsa`]), and for the whole packet only when validation was
    /// asked to check VSA content ([`crate::DecodeOptions::strict_vsa`],
    /// [`crate::DecodeOptions::vendor_formats`]): by default such a VSA is kept as a
    /// raw attribute, as FreeRADIUS 3.2 keeps it.
    #[error("Vendor-Specific at offset {offset} (vendor {vendor}) is malformed at sub-attribute offset {sub_offset}")]
    VsaMalformed {
        /// Offset of the Vendor-Specific attribute.
        offset: usize,
        /// Vendor id.
        vendor: VendorId,
        /// Offset of the bad sub-attribute inside the vendor data.
        sub_offset: usize,
    },
    /// A long-extended attribute has the More flag set but no continuation follows.
    #[error(
        "long-extended attribute {attr}.{ext_type} at offset {offset} has the More flag but no continuation"
    )]
    MissingContinuation {
        /// Offset of the fragment with the More flag.
        offset: usize,
        /// Attribute type (245 or 246).
        attr: AttrType,
        /// Extended type.
        ext_type: u8,
    },
    /// An Extended-Vendor-Specific value (Extended-Type 26; joined over its fragments
    /// when long-extended) too short for its vendor id, vendor type and one octet of
    /// data, or with a vendor id of more than 24 bits. Returned for the whole packet
    /// only with [`crate::DecodeOptions::strict_extended`]: by default it is kept as
    /// a raw attribute, as FreeRADIUS 3.2 keeps it.
    #[error(
        "Extended-Vendor-Specific {attr}.26 at offset {offset} is malformed ({len} octets of vendor data)"
    )]
    EvsMalformed {
        /// Offset of the (first) attribute.
        offset: usize,
        /// Attribute type (241-246).
        attr: AttrType,
        /// Octets after the Extended-Type (and flags), joined.
        len: usize,
    },
    /// A TLV inside a value is cut off or overruns its container.
    #[error("TLV at value offset {offset} (type {tlv_type}) has length {len}, invalid for the {remaining} octets left")]
    TlvMalformed {
        /// Offset inside the TLV container.
        offset: usize,
        /// TLV type.
        tlv_type: u8,
        /// Its Length octet.
        len: usize,
        /// Octets left in the container.
        remaining: usize,
    },
    /// TLVs are nested deeper than supported.
    #[error("TLVs nested deeper than {max} levels")]
    TlvTooDeep {
        /// The depth limit.
        max: usize,
    },

    // ---- values -----------------------------------------------------------------
    /// A value has a length its data type does not allow.
    #[error("a {data_type} value cannot be {len} octets long")]
    ValueLength {
        /// The data type.
        data_type: DataType,
        /// The length found.
        len: usize,
    },
    /// A prefix length is out of range or longer than the octets that carry it.
    #[error("prefix length {bits} is invalid for a {data_type} value")]
    PrefixLength {
        /// The data type.
        data_type: DataType,
        /// The prefix length in bits.
        bits: u8,
    },
    /// A tagged integer's tag or a tag argument is outside 0..=31.
    #[error("tag {tag} is outside 0..=31")]
    InvalidTag {
        /// The tag.
        tag: u8,
    },
    /// A hidden (encrypted) value has an impossible length.
    #[error("hidden value of {len} octets is invalid for this scheme")]
    HiddenLength {
        /// The length found.
        len: usize,
    },
    /// A decrypted salt-encrypted value carries an inner length larger than its data.
    #[error("decrypted value claims {claimed} octets but only {available} are present")]
    HiddenInnerLength {
        /// The length octet after decryption.
        claimed: usize,
        /// Octets available.
        available: usize,
    },
    /// A salt lacks its required high bit (RFC 2868 §3.5).
    #[error("salt {salt:#06x} must have its most significant bit set")]
    InvalidSalt {
        /// The salt.
        salt: u16,
    },
    /// Every salt (32,768 with the high bit set) is already taken by an attribute of
    /// the packet ([`crate::PacketBuilder::claim_salt`]).
    #[error("every salt of the packet is taken (RFC 2868 §3.5: one per attribute)")]
    SaltsExhausted,

    // ---- building ---------------------------------------------------------------
    /// A value is too long for the attribute that must carry it.
    #[error("value of {len} octets is too long for attribute {attr} (at most {max})")]
    ValueTooLong {
        /// Attribute type.
        attr: AttrType,
        /// Value length.
        len: usize,
        /// Maximum.
        max: usize,
    },
    /// The finished packet would exceed the maximum packet length.
    #[error("packet would be {len} octets, more than the maximum {max}")]
    PacketTooLong {
        /// The length it would have.
        len: usize,
        /// The configured maximum.
        max: usize,
    },
    /// The vendor format cannot represent this vendor type.
    #[error("vendor type {vendor_type} does not fit the vendor's {type_len}-octet type field")]
    VendorTypeTooLarge {
        /// Vendor attribute type.
        vendor_type: u32,
        /// Width of the type field.
        type_len: u8,
    },
    /// An attribute of this type cannot be added with this method.
    #[error("attribute {attr} cannot be added this way")]
    WrongAttributeKind {
        /// Attribute type.
        attr: AttrType,
    },
    /// An [`crate::AttrAddr`] has no place on the wire: a number too large for its
    /// octet, or a path shape no attribute format has (`number` is the first number
    /// of the path).
    #[error("attribute address (vendor {vendor}, {number}...) cannot be encoded")]
    AddressNotEncodable {
        /// The address's vendor.
        vendor: VendorId,
        /// The first number of its path.
        number: u32,
    },

    // ---- verification -----------------------------------------------------------
    /// The Request Authenticator of an Accounting/CoA/Disconnect request is wrong.
    #[error("Request Authenticator does not verify (wrong shared secret?)")]
    BadRequestAuthenticator,
    /// The Response Authenticator of a reply is wrong.
    #[error("Response Authenticator does not verify (wrong shared secret or forged reply)")]
    BadResponseAuthenticator,
    /// Message-Authenticator does not verify.
    #[error("Message-Authenticator does not verify")]
    BadMessageAuthenticator,
    /// Message-Authenticator is required by policy but missing.
    #[error("{code} has no Message-Authenticator, which policy requires (BlastRADIUS)")]
    MissingMessageAuthenticator {
        /// The packet code.
        code: Code,
    },
    /// Message-Authenticator is not 16 octets or appears more than once.
    #[error("Message-Authenticator at offset {offset} is malformed (length {len} or repeated)")]
    MalformedMessageAuthenticator {
        /// Offset of the attribute.
        offset: usize,
        /// Its value length.
        len: usize,
    },
    /// The reply's Identifier does not match the request.
    #[error("reply Identifier {got} does not match request Identifier {expected}")]
    IdentifierMismatch {
        /// The request's Identifier.
        expected: u8,
        /// The reply's Identifier.
        got: u8,
    },
    /// A RADIUS/1.1 reply's Token does not match the request's (RFC 9765).
    #[error("reply Token {got:#010x} does not match request Token {expected:#010x}")]
    TokenMismatch {
        /// The request's Token.
        expected: u32,
        /// The reply's Token.
        got: u32,
    },
    /// The reply's code does not answer the request's code.
    #[error("{reply} is not a valid reply to {request}")]
    UnexpectedReply {
        /// Request code.
        request: Code,
        /// Reply code.
        reply: Code,
    },
    /// A reply carries Proxy-State the request did not carry (BlastRADIUS).
    #[error("reply carries a Proxy-State the request did not send")]
    UnexpectedProxyState,
    /// An Access-Request carries Proxy-State but no Message-Authenticator and policy
    /// `limit_proxy_state` forbids that.
    #[error("request carries Proxy-State without Message-Authenticator")]
    ProxyStateWithoutMessageAuthenticator,
    /// CHAP-Password is not 17 octets.
    #[error("CHAP-Password is {len} octets, not 17")]
    ChapPasswordLength {
        /// Its length.
        len: usize,
    },
    /// The exchange has no such destination.
    #[error("unknown destination")]
    UnknownDestination,
    /// The packet a [`crate::exchange::Client::send`] closure built is not a request.
    #[error("the built packet is a {code}, not a request")]
    NotARequest {
        /// Its code.
        code: Code,
    },
    /// The packet a [`crate::exchange::Client::send`] closure built does not carry the
    /// Identifier the exchange allocated for it.
    #[error("the built packet has Identifier {built}, not the allocated {allocated}")]
    WrongIdentifier {
        /// The Identifier the exchange allocated.
        allocated: u8,
        /// The Identifier in the built packet.
        built: u8,
    },
    /// All 256 Identifiers of a destination are in flight.
    #[error("all 256 Identifiers for this destination are in use")]
    IdentifiersExhausted,
    /// The packet has no attribute needed for this operation.
    #[error("packet has no {attr} attribute")]
    MissingAttribute {
        /// The attribute type.
        attr: AttrType,
    },
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;

/// The category of an [`Error`]: what a binding or a command line tool maps errors by,
/// in one `match`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The packet does not parse: header, attribute, VSA, extended or TLV structure,
    /// a malformed Message-Authenticator or CHAP-Password.
    Malformed,
    /// A value does not fit its data type (length, prefix, tag, hidden-value length,
    /// salt). Malformed input when decoding, misuse when building: the caller knows
    /// which it was doing.
    Value,
    /// The input parsed but failed verification: authenticators,
    /// Message-Authenticator, BlastRADIUS policy, Proxy-State, reply matching.
    Verification,
    /// The caller asked the builder for something it cannot emit: a value too long, a
    /// packet too large, an attribute added the wrong way, a missing attribute.
    Build,
    /// The client exchange refused a request: unknown destination, Identifiers
    /// exhausted, a built packet that is not the request it allocated.
    Exchange,
}

impl Error {
    /// The error's category.
    ///
    /// ```
    /// use radius_codec::{Error, ErrorKind};
    /// assert_eq!(Error::BadMessageAuthenticator.kind(), ErrorKind::Verification);
    /// assert_eq!(Error::HeaderTooShort { len: 3 }.kind(), ErrorKind::Malformed);
    /// ```
    #[must_use]
    pub const fn kind(&self) -> ErrorKind {
        match self {
            Self::HeaderTooShort { .. }
            | Self::LengthOutOfRange { .. }
            | Self::Truncated { .. }
            | Self::AttributeTooShort { .. }
            | Self::AttributeOverrun { .. }
            | Self::VsaMalformed { .. }
            | Self::MissingContinuation { .. }
            | Self::EvsMalformed { .. }
            | Self::TlvMalformed { .. }
            | Self::TlvTooDeep { .. }
            | Self::MalformedMessageAuthenticator { .. }
            | Self::ChapPasswordLength { .. } => ErrorKind::Malformed,
            Self::ValueLength { .. }
            | Self::PrefixLength { .. }
            | Self::InvalidTag { .. }
            | Self::HiddenLength { .. }
            | Self::HiddenInnerLength { .. }
            | Self::InvalidSalt { .. }
            | Self::SaltsExhausted => ErrorKind::Value,
            Self::BadRequestAuthenticator
            | Self::BadResponseAuthenticator
            | Self::BadMessageAuthenticator
            | Self::MissingMessageAuthenticator { .. }
            | Self::IdentifierMismatch { .. }
            | Self::UnexpectedReply { .. }
            | Self::UnexpectedProxyState
            | Self::ProxyStateWithoutMessageAuthenticator
            | Self::TokenMismatch { .. } => ErrorKind::Verification,
            Self::ValueTooLong { .. }
            | Self::PacketTooLong { .. }
            | Self::VendorTypeTooLarge { .. }
            | Self::WrongAttributeKind { .. }
            | Self::AddressNotEncodable { .. }
            | Self::MissingAttribute { .. } => ErrorKind::Build,
            Self::UnknownDestination
            | Self::NotARequest { .. }
            | Self::WrongIdentifier { .. }
            | Self::IdentifiersExhausted => ErrorKind::Exchange,
        }
    }
}
