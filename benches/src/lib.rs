//! Shared inputs for the benchmarks: the packets every peer is measured on
//! (`shared/vectors/bench-packets`), embedded so the benches need no files at run time.

/// Benchmark packet A: Access-Request, 145 octets, Message-Authenticator first.
pub const A_HEX: &str = include_str!("../data/A.hex");
/// Benchmark packet B: CoA-Request, 168 octets, two Cisco-AVPair VSAs.
pub const B_HEX: &str = include_str!("../data/B.hex");
/// Benchmark packet C: Accounting-Request, 295 octets, 23 attributes.
pub const C_HEX: &str = include_str!("../data/C.hex");
/// The shared secret of the benchmark packets.
pub const SECRET: &str = "testing123";

/// Decodes a hex string (whitespace ignored). Panics on bad input: bench data only.
#[must_use]
pub fn hex(s: &str) -> Vec<u8> {
    let s: Vec<u8> = s.bytes().filter(u8::is_ascii_hexdigit).collect();
    s.chunks(2)
        .map(|p| {
            let d = |c: u8| (c as char).to_digit(16).unwrap_or(0) as u8;
            match p {
                [h, l] => (d(*h) << 4) | d(*l),
                _ => 0,
            }
        })
        .collect()
}

/// The three packets with their names.
#[must_use]
pub fn packets() -> [(&'static str, Vec<u8>); 3] {
    [("A", hex(A_HEX)), ("B", hex(B_HEX)), ("C", hex(C_HEX))]
}

/// One attribute value of a benchmark packet (from `attrs.json`).
#[derive(Clone, Copy, Debug)]
pub enum Attr {
    /// Message-Authenticator placeholder.
    MessageAuthenticator,
    /// A text attribute.
    Str(u8, &'static str),
    /// An integer (or date) attribute.
    Int(u8, u32),
    /// An IPv4 address attribute.
    Ip(u8, [u8; 4]),
    /// An octets attribute.
    Octets(u8, &'static [u8]),
    /// User-Password, hidden.
    Password(&'static str),
    /// A Vendor-Specific text attribute (vendor, vendor type, text).
    Vsa(u32, u8, &'static str),
}

/// How to build one benchmark packet.
#[derive(Clone, Copy, Debug)]
pub struct Recipe {
    /// Packet code.
    pub code: u8,
    /// Identifier.
    pub id: u8,
    /// Request Authenticator (Access-Request only; zeros otherwise).
    pub authenticator: [u8; 16],
    /// Attributes in order.
    pub attrs: &'static [Attr],
}

/// Packet A's recipe.
pub const A: Recipe = Recipe {
    code: 1,
    id: 42,
    authenticator: [
        0x5e, 0xe7, 0xa8, 0xf1, 0xc2, 0xb9, 0x4d, 0x7e, 0x8a, 0x13, 0xf0, 0xc6, 0xd2, 0xe4, 0x9b, 0x01,
    ],
    attrs: &[
        Attr::MessageAuthenticator,
        Attr::Str(1, "alice@example.org"),
        Attr::Password("correct-horse"),
        Attr::Ip(4, [192, 0, 2, 10]),
        Attr::Int(5, 7),
        Attr::Str(31, "B0-EE-7B-97-7F-33"),
        Attr::Str(30, "00-11-22-33-44-55:eduroam"),
        Attr::Int(61, 19),
        Attr::Int(6, 2),
    ],
};

/// Packet B's recipe.
pub const B: Recipe = Recipe {
    code: 43,
    id: 16,
    authenticator: [0; 16],
    attrs: &[
        Attr::Ip(4, [192, 0, 2, 10]),
        Attr::Str(44, "0A1B2C3D-00000042"),
        Attr::Str(31, "B0-EE-7B-97-7F-33"),
        Attr::Vsa(9, 1, "subscriber:command=reauthenticate"),
        Attr::Vsa(9, 1, "subscriber:reauthenticate-type=last"),
        Attr::Int(27, 3600),
        Attr::Str(11, "acl-guest-in"),
    ],
};

/// Packet C's recipe.
pub const C: Recipe = Recipe {
    code: 4,
    id: 51,
    authenticator: [0; 16],
    attrs: &[
        Attr::Int(40, 3),
        Attr::Str(44, "0A1B2C3D-00000042"),
        Attr::Str(50, "multi-7f3e1c2a9b4d5e6f"),
        Attr::Str(1, "alice@example.org"),
        Attr::Ip(4, [192, 0, 2, 10]),
        Attr::Str(32, "bng-01.pop3.example.net"),
        Attr::Int(5, 7),
        Attr::Int(61, 15),
        Attr::Str(87, "ge-0/0/1.100:100-200"),
        Attr::Int(6, 2),
        Attr::Int(7, 1),
        Attr::Ip(8, [100, 64, 12, 34]),
        Attr::Str(31, "B0-EE-7B-97-7F-33"),
        Attr::Str(30, "00-11-22-33-44-55:eduroam"),
        Attr::Int(45, 1),
        Attr::Int(46, 86399),
        Attr::Int(42, 123_456_789),
        Attr::Int(43, 987_654_321),
        Attr::Int(47, 123_456),
        Attr::Int(48, 654_321),
        Attr::Int(55, 1_767_225_600),
        Attr::Int(41, 0),
        Attr::Octets(25, b"class-7f3e1c2a9b4d5e6f708192"),
    ],
};

/// Builds a recipe with radius-codec.
pub fn build(r: &Recipe, secret: &radius_codec::SharedSecret) -> radius_codec::Result<Vec<u8>> {
    use radius_codec::{AttrType, Code, PacketBuilder, Value, VendorId};
    let mut b = PacketBuilder::new(Code::new(r.code), r.id, r.authenticator);
    b.without_message_authenticator();
    for a in r.attrs {
        match *a {
            Attr::MessageAuthenticator => {
                b.add_message_authenticator();
            }
            Attr::Str(t, s) => {
                b.add(AttrType(t), s.as_bytes())?;
            }
            Attr::Octets(t, o) => {
                b.add(AttrType(t), o)?;
            }
            Attr::Int(t, v) => {
                b.add_value(AttrType(t), &Value::Integer(v))?;
            }
            Attr::Ip(t, ip) => {
                b.add_value(AttrType(t), &Value::IpAddr(ip.into()))?;
            }
            Attr::Password(p) => {
                b.add_user_password(secret, p.as_bytes())?;
            }
            Attr::Vsa(v, t, s) => {
                b.add_vsa(VendorId(v), u32::from(t), s.as_bytes())?;
            }
        }
    }
    b.finish(secret)
}

/// The data type of each attribute number in the benchmark packets (what a dictionary
/// would say).
#[must_use]
pub fn data_type(t: u8) -> radius_codec::DataType {
    use radius_codec::DataType;
    match t {
        4 | 8 => DataType::IpAddr,
        5 | 6 | 7 | 27 | 40..=43 | 45..=48 | 61 => DataType::Integer,
        55 => DataType::Date,
        2 | 25 | 80 => DataType::Octets,
        26 => DataType::Vsa,
        _ => DataType::String,
    }
}
