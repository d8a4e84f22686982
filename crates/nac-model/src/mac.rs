//! MAC addresses as NAS devices, RADIUS servers and NAC APIs write them.
//!
//! One [`MacAddress`] type parses every common spelling and formats in the named
//! styles each system expects, because the same device is `B0-EE-7B-97-7F-33` in a
//! Calling-Station-Id (RFC 3580), `b0ee7b977f33` in ClearPass' API, `b0ee.7b97.7f33` on
//! a Cisco CLI and `B0:EE:7B:97:7F:33` in a MikroTik User-Name.

use std::fmt;
use std::str::FromStr;

use crate::error::Error;

/// A 48-bit IEEE MAC address (EUI-48).
///
/// ```
/// use nac_model::{MacAddress, MacFormat};
/// let mac: MacAddress = "b0ee.7b97.7f33".parse()?;
/// assert_eq!(mac.format(MacFormat::RFC3580), "B0-EE-7B-97-7F-33");
/// assert_eq!(mac.format(MacFormat::BARE_LOWER), "b0ee7b977f33");
/// assert_eq!(mac.to_string(), "b0:ee:7b:97:7f:33");
/// # Ok::<(), nac_model::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct MacAddress([u8; 6]);

/// How the hexadecimal groups of a MAC address are separated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Separator {
    /// `aa:bb:cc:dd:ee:ff`
    Colon,
    /// `aa-bb-cc-dd-ee-ff` (IEEE 802, RFC 3580)
    Hyphen,
    /// `aabb.ccdd.eeff` (Cisco)
    Dot,
    /// `aabbcc-ddeeff` (OUI-NIC: AOS-Switch `single-dash`, FortiSwitch "single hyphen")
    OuiNic,
    /// `aabbccddeeff`
    None,
    /// `aa bb cc dd ee ff`
    Space,
}

/// Letter case of the hexadecimal digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HexCase {
    /// `a`-`f`
    Lower,
    /// `A`-`F`
    Upper,
}

/// A named output style: separator and case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MacFormat {
    /// Group separator.
    pub separator: Separator,
    /// Digit case.
    pub case: HexCase,
}

impl MacFormat {
    /// `AA-BB-CC-DD-EE-FF`: RFC 3580 §3.21 Calling-Station-Id (IEEE 802 canonical form),
    /// what FreeRADIUS' `rewrite_calling_station_id` produces.
    pub const RFC3580: Self = Self::new(Separator::Hyphen, HexCase::Upper);
    /// `aa-bb-cc-dd-ee-ff`: AOS-Switch `multi-dash`, FortiSwitch default.
    pub const HYPHEN_LOWER: Self = Self::new(Separator::Hyphen, HexCase::Lower);
    /// `aa:bb:cc:dd:ee:ff`: the usual Unix spelling (and this type's `Display`).
    pub const COLON_LOWER: Self = Self::new(Separator::Colon, HexCase::Lower);
    /// `AA:BB:CC:DD:EE:FF`: MikroTik (CAPsMAN `mac-format` default, hotspot User-Name).
    pub const COLON_UPPER: Self = Self::new(Separator::Colon, HexCase::Upper);
    /// `aabbccddeeff`: ClearPass API, AOS-Switch default, Aruba Instant/AOS-CX MAC-auth
    /// User-Name.
    pub const BARE_LOWER: Self = Self::new(Separator::None, HexCase::Lower);
    /// `AABBCCDDEEFF`: AOS-Switch `no-delimiter-uppercase`, Alcatel.
    pub const BARE_UPPER: Self = Self::new(Separator::None, HexCase::Upper);
    /// `aabb.ccdd.eeff`: Cisco IOS/IOS-XE and ASR display.
    pub const CISCO: Self = Self::new(Separator::Dot, HexCase::Lower);
    /// `aabbcc-ddeeff`: OUI-NIC style, lower case.
    pub const OUI_NIC_LOWER: Self = Self::new(Separator::OuiNic, HexCase::Lower);
    /// `AABBCC-DDEEFF`: OUI-NIC style, upper case.
    pub const OUI_NIC_UPPER: Self = Self::new(Separator::OuiNic, HexCase::Upper);

    /// A style from its parts.
    #[must_use]
    pub const fn new(separator: Separator, case: HexCase) -> Self {
        Self { separator, case }
    }

    /// Every named style, for tests and menus.
    pub const ALL: [Self; 9] = [
        Self::RFC3580,
        Self::HYPHEN_LOWER,
        Self::COLON_LOWER,
        Self::COLON_UPPER,
        Self::BARE_LOWER,
        Self::BARE_UPPER,
        Self::CISCO,
        Self::OUI_NIC_LOWER,
        Self::OUI_NIC_UPPER,
    ];
}

impl MacAddress {
    /// The broadcast address `ff:ff:ff:ff:ff:ff`.
    pub const BROADCAST: Self = Self([0xff; 6]);

    /// From the six octets.
    #[must_use]
    pub const fn new(octets: [u8; 6]) -> Self {
        Self(octets)
    }

    /// The six octets.
    #[must_use]
    pub const fn octets(&self) -> [u8; 6] {
        self.0
    }

    /// The Organizationally Unique Identifier (first three octets).
    #[must_use]
    pub const fn oui(&self) -> [u8; 3] {
        [self.0[0], self.0[1], self.0[2]]
    }

    /// The U/L bit: locally administered, as randomized ("private") client MACs are
    /// (ClearPass `randomized_mac`).
    #[must_use]
    pub const fn is_locally_administered(&self) -> bool {
        self.0[0] & 0x02 != 0
    }

    /// The I/G bit: a group (multicast or broadcast) address.
    #[must_use]
    pub const fn is_multicast(&self) -> bool {
        self.0[0] & 0x01 != 0
    }

    /// Formats in `style`.
    #[must_use]
    pub fn format(&self, style: MacFormat) -> String {
        let mut buf = [0u8; 17];
        let n = self.format_into(style, &mut buf);
        // Only ASCII hex digits and separators were written.
        buf.get(..n)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or_default()
            .to_owned()
    }

    /// Writes the `style` spelling into `out`, returning its length (12 to 17).
    pub fn format_into(&self, style: MacFormat, out: &mut [u8; 17]) -> usize {
        let digits: &[u8; 16] = match style.case {
            HexCase::Lower => b"0123456789abcdef",
            HexCase::Upper => b"0123456789ABCDEF",
        };
        let sep = match style.separator {
            Separator::Colon => Some(b':'),
            Separator::Hyphen | Separator::OuiNic => Some(b'-'),
            Separator::Dot => Some(b'.'),
            Separator::Space => Some(b' '),
            Separator::None => None,
        };
        let mut n = 0;
        for (i, byte) in self.0.iter().enumerate() {
            let boundary = match style.separator {
                Separator::Colon | Separator::Hyphen | Separator::Space => i > 0,
                Separator::Dot => i == 2 || i == 4,
                Separator::OuiNic => i == 3,
                Separator::None => false,
            };
            if let (true, Some(s)) = (boundary, sep) {
                if let Some(slot) = out.get_mut(n) {
                    *slot = s;
                }
                n += 1;
            }
            for nibble in [byte >> 4, byte & 0x0f] {
                if let (Some(slot), Some(d)) = (out.get_mut(n), digits.get(usize::from(nibble))) {
                    *slot = *d;
                }
                n += 1;
            }
        }
        n
    }
}

impl FromStr for MacAddress {
    type Err = Error;

    /// Accepts, in any case: `aa:bb:cc:dd:ee:ff`, `aa-bb-cc-dd-ee-ff`,
    /// `aa bb cc dd ee ff`, `aabb.ccdd.eeff`, `aabbcc-ddeeff`, `aabbcc:ddeeff`,
    /// `aabbccddeeff`, and six groups of one or two digits (`0:1b:63:84:45:e6`, as
    /// macOS `arp` and FreeRADIUS's `ether` write them). One separator per spelling;
    /// no surrounding blanks.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        use nacwire_mac::Error as E;
        match nacwire_mac::parse(s) {
            Ok((octets, _)) => Ok(Self(octets)),
            Err(E::Empty) => Err(Error::MacEmpty),
            Err(E::TooLong { len }) => Err(Error::MacTooLong { len }),
            Err(E::InvalidCharacter { position, ch }) => Err(Error::MacInvalidCharacter { position, ch }),
            Err(_) => Err(Error::MacBadGrouping),
        }
    }
}

impl TryFrom<&str> for MacAddress {
    type Error = Error;
    fn try_from(s: &str) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<[u8; 6]> for MacAddress {
    fn from(o: [u8; 6]) -> Self {
        Self(o)
    }
}

impl fmt::Display for MacAddress {
    /// `aa:bb:cc:dd:ee:ff`; use [`MacAddress::format`] for other styles.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buf = [0u8; 17];
        let n = self.format_into(MacFormat::COLON_LOWER, &mut buf);
        f.write_str(
            buf.get(..n)
                .and_then(|b| std::str::from_utf8(b).ok())
                .unwrap_or_default(),
        )
    }
}

impl fmt::Debug for MacAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MacAddress({self})")
    }
}

impl serde::Serialize for MacAddress {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for MacAddress {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Serde adapter for APIs that write MACs bare and lower case (ClearPass
/// `mac_address`): accepts any spelling, writes `aabbccddeeff`.
pub mod bare_lower {
    use super::{MacAddress, MacFormat};

    /// Serializes as `aabbccddeeff`.
    pub fn serialize<S: serde::Serializer>(mac: &MacAddress, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&mac.format(MacFormat::BARE_LOWER))
    }

    /// Parses any spelling.
    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<MacAddress, D::Error> {
        serde::Deserialize::deserialize(d)
    }

    /// The same for `Option<MacAddress>` fields.
    pub mod option {
        use super::{MacAddress, MacFormat};

        /// Serializes `Some` as `aabbccddeeff`.
        pub fn serialize<S: serde::Serializer>(mac: &Option<MacAddress>, s: S) -> Result<S::Ok, S::Error> {
            match mac {
                Some(m) => s.serialize_some(&m.format(MacFormat::BARE_LOWER)),
                None => s.serialize_none(),
            }
        }

        /// Parses any spelling, or null.
        pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<MacAddress>, D::Error> {
            serde::Deserialize::deserialize(d)
        }
    }
}

/// A Calling-Station-Id: a MAC address for 802.1X and MAC authentication, but a
/// telephone number, an IP address or anything else on other NASes (PPTP/L2TP send
/// the client's IP), so both are kept.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum StationId {
    /// The value parsed as a MAC address.
    Mac(MacAddress),
    /// Anything else, as received.
    Other(String),
}

impl StationId {
    /// Parses `text`: a MAC if it is one, otherwise kept as text.
    #[must_use]
    pub fn parse(text: &str) -> Self {
        text.parse()
            .map_or_else(|_| Self::Other(text.to_owned()), Self::Mac)
    }

    /// The MAC address, when the value is one.
    #[must_use]
    pub fn mac(&self) -> Option<MacAddress> {
        match self {
            Self::Mac(m) => Some(*m),
            Self::Other(_) => None,
        }
    }

    /// The value to send: a MAC in `style`, other text as received.
    #[must_use]
    pub fn render(&self, style: MacFormat) -> String {
        match self {
            Self::Mac(m) => m.format(style),
            Self::Other(t) => t.clone(),
        }
    }
}

/// A Called-Station-Id: `AA-BB-CC-DD-EE-FF:SSID` for IEEE 802.11 (RFC 3580 §3.20),
/// the bridge or access point MAC alone for wired 802.1X, or anything else.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CalledStationId {
    /// The access point or switch MAC, when the value starts with one.
    pub mac: Option<MacAddress>,
    /// The SSID after the `:` that follows the MAC.
    pub ssid: Option<String>,
    /// The value as received (or as built).
    pub raw: String,
}

impl CalledStationId {
    /// Parses `text`, keeping it as received in [`CalledStationId::raw`].
    #[must_use]
    pub fn parse(text: &str) -> Self {
        let raw = text.to_owned();
        // A MAC spelling is 12 to 17 characters; try the `MAC:SSID` split on the
        // last of the candidates that parses.
        for end in [17usize, 14, 13, 12] {
            let (Some(head), Some(tail)) = (text.get(..end), text.get(end..)) else {
                continue;
            };
            let Ok(mac) = head.parse::<MacAddress>() else {
                continue;
            };
            if tail.is_empty() {
                return Self {
                    mac: Some(mac),
                    ssid: None,
                    raw,
                };
            }
            if let Some(ssid) = tail.strip_prefix(':') {
                return Self {
                    mac: Some(mac),
                    ssid: Some(ssid.to_owned()),
                    raw,
                };
            }
        }
        Self {
            mac: None,
            ssid: None,
            raw,
        }
    }

    /// Builds the RFC 3580 form `AA-BB-CC-DD-EE-FF:SSID` (or the MAC alone).
    #[must_use]
    pub fn new(mac: MacAddress, ssid: Option<&str>) -> Self {
        let mut raw = mac.format(MacFormat::RFC3580);
        if let Some(s) = ssid {
            raw.push(':');
            raw.push_str(s);
        }
        Self {
            mac: Some(mac),
            ssid: ssid.map(str::to_owned),
            raw,
        }
    }
}

impl fmt::Display for CalledStationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings() {
        let want = MacAddress::new([0xb0, 0xee, 0x7b, 0x97, 0x7f, 0x33]);
        for s in [
            "b0:ee:7b:97:7f:33",
            "B0-EE-7B-97-7F-33",
            "b0ee.7b97.7f33",
            "b0ee7b977f33",
            "B0EE7B-977F33",
            "b0ee7b:977f33",
            "b0 ee 7b 97 7f 33",
            "B0:ee:7B:97:7f:33",
        ] {
            assert_eq!(s.parse::<MacAddress>(), Ok(want), "{s}");
        }
        // one-digit groups, as macOS `arp` prints them
        assert_eq!(
            "0:1b:63:84:45:e6".parse::<MacAddress>(),
            Ok(MacAddress::new([0x00, 0x1b, 0x63, 0x84, 0x45, 0xe6]))
        );
        assert_eq!(
            "0-1-2-3-4-5".parse::<MacAddress>(),
            Ok(MacAddress::new([0, 1, 2, 3, 4, 5]))
        );
        assert_eq!("0:1b:63:84:45".parse::<MacAddress>(), Err(Error::MacBadGrouping));
        assert_eq!(
            "0:1b:63:84:45:e6f".parse::<MacAddress>(),
            Err(Error::MacBadGrouping)
        );
        for (s, e) in [
            ("", Error::MacEmpty),
            ("b0:ee:7b:97:7f:33:00", Error::MacTooLong { len: 20 }),
            ("b0:ee:7b:97:7f", Error::MacBadGrouping),
            ("b0:ee-7b:97:7f:33", Error::MacBadGrouping),
            ("b0ee.7b97.7f3", Error::MacBadGrouping),
            ("b0e:e7b:977:f33", Error::MacBadGrouping),
            (
                "b0:ee:7b:97:7f:3g",
                Error::MacInvalidCharacter {
                    position: 16,
                    ch: 'g',
                },
            ),
            ("b0ee7b977f33 ", Error::MacBadGrouping),
            ("b0ee7b977f3", Error::MacBadGrouping),
            ("b0ee7b977f3300", Error::MacBadGrouping),
            (":b0ee7b977f33", Error::MacBadGrouping),
            (
                "b0:ee:7b:97:7f:é",
                Error::MacInvalidCharacter {
                    position: 15,
                    ch: 'é',
                },
            ),
        ] {
            assert_eq!(s.parse::<MacAddress>(), Err(e), "{s:?}");
        }
    }

    #[test]
    fn styles() {
        let m: MacAddress = "00:11:22:33:ca:fe".parse().unwrap();
        let table = [
            (MacFormat::RFC3580, "00-11-22-33-CA-FE"),
            (MacFormat::HYPHEN_LOWER, "00-11-22-33-ca-fe"),
            (MacFormat::COLON_LOWER, "00:11:22:33:ca:fe"),
            (MacFormat::COLON_UPPER, "00:11:22:33:CA:FE"),
            (MacFormat::BARE_LOWER, "00112233cafe"),
            (MacFormat::BARE_UPPER, "00112233CAFE"),
            (MacFormat::CISCO, "0011.2233.cafe"),
            (MacFormat::OUI_NIC_LOWER, "001122-33cafe"),
            (MacFormat::OUI_NIC_UPPER, "001122-33CAFE"),
            (
                MacFormat::new(Separator::Space, HexCase::Upper),
                "00 11 22 33 CA FE",
            ),
        ];
        for (style, text) in table {
            assert_eq!(m.format(style), text);
        }
        assert_eq!(m.oui(), [0, 0x11, 0x22]);
        assert!(!m.is_locally_administered() && !m.is_multicast());
        let random: MacAddress = "da:a1:19:00:00:01".parse().unwrap();
        assert!(random.is_locally_administered() && !random.is_multicast());
        assert!(MacAddress::BROADCAST.is_multicast());
    }

    #[test]
    fn called_station() {
        let c = CalledStationId::parse("00-11-22-33-44-55:Corp Wi-Fi:5G");
        assert_eq!(c.mac.map(|m| m.octets()), Some([0, 0x11, 0x22, 0x33, 0x44, 0x55]));
        assert_eq!(c.ssid.as_deref(), Some("Corp Wi-Fi:5G"));
        let c = CalledStationId::parse("001122334455:guest");
        assert_eq!(c.ssid.as_deref(), Some("guest"));
        assert!(c.mac.is_some());
        let c = CalledStationId::parse("0011.2233.4455");
        assert!(c.mac.is_some() && c.ssid.is_none());
        let c = CalledStationId::parse("5551234");
        assert!(c.mac.is_none() && c.ssid.is_none());
        assert_eq!(c.raw, "5551234");
        let built = CalledStationId::new("00:11:22:33:44:55".parse().unwrap(), Some("guest"));
        assert_eq!(built.raw, "00-11-22-33-44-55:guest");
        assert_eq!(CalledStationId::parse(&built.raw), built);
        assert_eq!(StationId::parse("10.0.0.1"), StationId::Other("10.0.0.1".into()));
    }
}
