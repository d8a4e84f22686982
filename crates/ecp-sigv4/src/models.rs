//! The two redirects of an Extreme external captive portal, typed.
//!
//! The vendor's parameter table is a description, not the protocol: the controller
//! redirect model takes what controllers really send (plain-text SSIDs, `vlan=0` or an
//! empty `vlan` for "no containment VLAN", extra parameters such as AP location
//! fields) and still gives typed values.

use std::borrow::Cow;
use std::net::IpAddr;
use std::time::SystemTime;

use crate::ecp::{SignatureInfo, SignedQuery, Signer};
use crate::error::clip;
use crate::sigv4::{self, hex_octet};
use crate::Error;

/// A MAC address (`aa:bb:cc:dd:ee:ff`, `-` separated or bare hex).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Mac(pub [u8; 6]);

impl Mac {
    /// Parses 12 hex digits, optionally separated by `:` or `-` every two; `param`
    /// names the parameter in the error.
    pub fn parse(param: &str, s: &str) -> Result<Self, Error> {
        Self::parse_bytes(s.as_bytes()).ok_or_else(|| Error::InvalidValue {
            param: clip(param),
            reason: "not a MAC address",
        })
    }

    /// The two spellings controllers send: twelve hex digits, or six pairs separated
    /// by `:` or `-` (through the one MAC parser, `nacwire-mac`).
    fn parse_bytes(b: &[u8]) -> Option<Self> {
        use nacwire_mac::Spelling;
        match nacwire_mac::parse(core::str::from_utf8(b).ok()?).ok()? {
            (octets, Spelling::Bare | Spelling::Groups(b':' | b'-')) => Some(Self(octets)),
            _ => None,
        }
    }
}

impl core::fmt::Display for Mac {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let [a, b, c, d, e, g] = self.0;
        write!(f, "{a:02x}:{b:02x}:{c:02x}:{d:02x}:{e:02x}:{g:02x}")
    }
}

/// A MAC address parameter: the text as sent (percent-decoded; portals echo it back,
/// e.g. as the approval's user name) beside the parsed address.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MacParam<'a> {
    /// The value as sent, percent-decoded (`B0-EE-7B-97-7F-33`, `b0:ee:...`).
    pub sent: Cow<'a, str>,
    /// The parsed address.
    pub addr: Mac,
}

impl MacParam<'_> {
    /// A copy that owns its text.
    #[must_use]
    pub fn into_owned(self) -> MacParam<'static> {
        MacParam {
            sent: Cow::Owned(self.sent.into_owned()),
            addr: self.addr,
        }
    }
}

/// How to turn the `ssid` parameter into SSID octets.
///
/// The vendor's table says the SSID is sent hex-encoded; live controllers send it as
/// text (`ssid=Guest-WiFi`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SsidRule {
    /// The octets as sent (percent-decoded).
    Text,
    /// The value is hex digits (at most 64, even count) encoding the octets.
    Hex,
    /// Hex only when the value is an even-length string of hex digits, at most 64 of
    /// them; text otherwise. A text SSID that looks like hex (`cafe`, `00`) is read as
    /// hex: choose [`SsidRule::Text`] when the controller is known to send text.
    #[default]
    Auto,
}

/// The `ssid` parameter, kept as sent; [`Ssid::octets`] applies a [`SsidRule`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Ssid<'a> {
    sent: Cow<'a, [u8]>,
}

impl Ssid<'_> {
    /// A copy that owns its octets.
    #[must_use]
    pub fn into_owned(self) -> Ssid<'static> {
        Ssid {
            sent: Cow::Owned(self.sent.into_owned()),
        }
    }

    /// The value as sent, percent-decoded, as octets (SSIDs need not be UTF-8).
    #[must_use]
    pub fn as_sent(&self) -> &[u8] {
        &self.sent
    }

    /// The value as sent, when it is UTF-8 text.
    #[must_use]
    pub fn text(&self) -> Option<&str> {
        core::str::from_utf8(&self.sent).ok()
    }

    /// Whether the value is an even-length string of at most 64 hex digits (what
    /// [`SsidRule::Auto`] decodes as hex).
    #[must_use]
    pub fn looks_hex(&self) -> bool {
        self.sent.len() % 2 == 0 && self.sent.len() <= 64 && self.sent.iter().all(u8::is_ascii_hexdigit)
    }

    /// The SSID octets under `rule`. Only [`SsidRule::Hex`] can fail (not an even
    /// count of at most 64 hex digits).
    pub fn octets(&self, rule: SsidRule) -> Result<Vec<u8>, Error> {
        let hex = match rule {
            SsidRule::Text => false,
            SsidRule::Hex => true,
            SsidRule::Auto => self.looks_hex(),
        };
        if !hex {
            return Ok(self.sent.to_vec());
        }
        if !self.looks_hex() {
            return Err(Error::InvalidValue {
                param: "ssid".into(),
                reason: "not an even number of hex digits (at most 64)",
            });
        }
        Ok(self.sent.chunks_exact(2).filter_map(hex_octet).collect())
    }
}

/// The controller -> portal redirect: the documented parameters typed, every other
/// parameter kept in the order received.
///
/// Text borrows from the URL when it needed no unescaping;
/// [`ControllerRedirect::into_owned`] gives a `'static` copy (to keep it, or to hand
/// it to another language).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ControllerRedirect<'a> {
    /// Session token to echo in the approval (required).
    pub token: Cow<'a, str>,
    /// WLAN id (required).
    pub wlan: Cow<'a, str>,
    /// The URL the guest first asked for (required).
    pub dest: Cow<'a, str>,
    /// The controller's address for `/ext_approval.php`. Unchecked text: when the
    /// redirect is not signed, use [`ControllerRedirect::controller_allowed`].
    pub hwc_ip: Option<Cow<'a, str>>,
    /// The controller's port for `/ext_approval.php` (1..=65535: `hwc_port=0` is
    /// [`Error::InvalidValue`]; empty is `None`).
    pub hwc_port: Option<u16>,
    /// The guest's MAC address.
    pub mac: Option<MacParam<'a>>,
    /// The AP radio's BSSID.
    pub bssid: Option<MacParam<'a>>,
    /// The SSID, as sent (see [`Ssid::octets`]).
    pub ssid: Option<Ssid<'a>>,
    /// The VNS name.
    pub vns: Option<Cow<'a, str>>,
    /// The AP name.
    pub ap: Option<Cow<'a, str>>,
    /// The AP serial number.
    pub sn: Option<Cow<'a, str>>,
    /// The guest's current role.
    pub role: Option<Cow<'a, str>>,
    /// The containment VLAN, 1..=4094; `None` when absent, empty or `0` (the role has
    /// no containment VLAN).
    pub vlan: Option<u16>,
    /// Every other parameter (but `X-Amz-*`), decoded, in the order received.
    pub extras: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    /// The verified signature, when the controller signed the redirect.
    pub signature: Option<SignatureInfo>,
}

impl<'a> ControllerRedirect<'a> {
    /// Builds the typed redirect from a verified (or unsigned) query, in one pass over
    /// its parameters.
    pub fn from_query(q: &SignedQuery<'a>) -> Result<Self, Error> {
        let mut r = Self {
            token: Cow::Borrowed(""),
            wlan: Cow::Borrowed(""),
            dest: Cow::Borrowed(""),
            hwc_ip: None,
            hwc_port: None,
            mac: None,
            bssid: None,
            ssid: None,
            vns: None,
            ap: None,
            sn: None,
            role: None,
            vlan: None,
            extras: Vec::new(),
            signature: q.signature().cloned(),
        };
        let invalid = |param: &str, reason| Error::InvalidValue {
            param: param.into(),
            reason,
        };
        for (k, raw) in q.params() {
            let name = q.name(k)?;
            let k = &*name;
            let text = || q.decode(k, raw);
            match k {
                "token" => r.token = text()?,
                "wlan" => r.wlan = text()?,
                "dest" => r.dest = text()?,
                "hwc_ip" => r.hwc_ip = Some(text()?),
                "vns" => r.vns = Some(text()?),
                "ap" => r.ap = Some(text()?),
                "sn" => r.sn = Some(text()?),
                "role" => r.role = Some(text()?),
                "hwc_port" => {
                    let v = text()?;
                    r.hwc_port = match parse_number::<u16>(k, &v) {
                        _ if v.is_empty() => None,
                        // not "absent": an approval sent to 443 instead would reach
                        // another service than the one the controller named
                        Ok(0) => return Err(invalid(k, crate::url::PORT_ZERO)),
                        Ok(port) => Some(port),
                        Err(e) => return Err(e),
                    };
                }
                "mac" | "bssid" => {
                    let sent = text()?;
                    let addr =
                        Mac::parse_bytes(sent.as_bytes()).ok_or_else(|| invalid(k, "not a MAC address"))?;
                    *(if k == "mac" { &mut r.mac } else { &mut r.bssid }) = Some(MacParam { sent, addr });
                }
                "ssid" => {
                    let sent = if q.form().plus_is_space() && raw.contains('+') {
                        Cow::Owned(sigv4::decode(&raw.replace('+', " "))?.into_owned())
                    } else {
                        sigv4::decode(raw)?
                    };
                    r.ssid = Some(Ssid { sent });
                }
                "vlan" => {
                    let v = text()?;
                    r.vlan = match parse_number::<u16>(k, &v) {
                        _ if v.is_empty() => None,
                        Ok(0) => None,
                        Ok(vlan @ 1..=4094) => Some(vlan),
                        _ => return Err(invalid(k, "not 0, empty or a VLAN id in 1..=4094")),
                    };
                }
                _ => r.extras.push((name.clone(), text()?)),
            }
        }
        for (name, v) in [("token", &r.token), ("wlan", &r.wlan), ("dest", &r.dest)] {
            if v.is_empty() {
                return Err(Error::MissingParameter(name));
            }
        }
        Ok(r)
    }

    /// The value of an extra (undocumented) parameter, the first if repeated.
    #[must_use]
    pub fn extra(&self, name: &str) -> Option<&str> {
        self.extras
            .iter()
            .find(|(k, _)| k.as_ref() == name)
            .map(|(_, v)| v.as_ref())
    }

    /// A copy that owns its text.
    #[must_use]
    pub fn into_owned(self) -> ControllerRedirect<'static> {
        fn own(c: Cow<'_, str>) -> Cow<'static, str> {
            Cow::Owned(c.into_owned())
        }
        ControllerRedirect {
            token: own(self.token),
            wlan: own(self.wlan),
            dest: own(self.dest),
            hwc_ip: self.hwc_ip.map(own),
            hwc_port: self.hwc_port,
            mac: self.mac.map(MacParam::into_owned),
            bssid: self.bssid.map(MacParam::into_owned),
            ssid: self.ssid.map(Ssid::into_owned),
            vns: self.vns.map(own),
            ap: self.ap.map(own),
            sn: self.sn.map(own),
            role: self.role.map(own),
            vlan: self.vlan,
            extras: self.extras.into_iter().map(|(k, v)| (own(k), own(v))).collect(),
            signature: self.signature,
        }
    }

    /// Where to send the approval: `hwc_ip` and `hwc_port` (443 when absent). Trust it
    /// only when the redirect was signed ([`ControllerRedirect::signature`]); for
    /// unsigned set-ups use [`ControllerRedirect::controller_allowed`].
    pub fn controller(&self) -> Result<(&str, u16), Error> {
        let ip = self.hwc_ip.as_deref().filter(|ip| !ip.is_empty());
        Ok((
            ip.ok_or(Error::MissingParameter("hwc_ip"))?,
            self.hwc_port.unwrap_or(443),
        ))
    }

    /// [`ControllerRedirect::controller`], with `hwc_ip` required to be an IP address
    /// in `allowed`: in an unsigned set-up anyone can edit the redirect, and a portal
    /// must not send approvals (and the guest) to a host the guest chose.
    pub fn controller_allowed(&self, allowed: &[IpAddr]) -> Result<(IpAddr, u16), Error> {
        let (ip, port) = self.controller()?;
        let trimmed = ip
            .strip_prefix('[')
            .and_then(|v| v.strip_suffix(']'))
            .unwrap_or(ip);
        match trimmed.parse::<IpAddr>() {
            Ok(addr) if allowed.contains(&addr) => Ok((addr, port)),
            _ => Err(Error::ControllerNotAllowed { hwc_ip: clip(ip) }),
        }
    }
}

fn parse_number<T: core::str::FromStr>(param: &str, v: &str) -> Result<T, Error> {
    let digits = !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit());
    digits
        .then(|| v.parse().ok())
        .flatten()
        .ok_or_else(|| Error::InvalidValue {
            param: param.into(),
            reason: "not a number in range",
        })
}

/// The portal's decision, sent back to the controller as a signed `/ext_approval.php`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Approval {
    /// The token from the controller redirect.
    pub token: String,
    /// The WLAN id from the controller redirect.
    pub wlan: String,
    /// The user name to record (required even when signed).
    pub username: String,
    /// Where to send the guest afterwards.
    pub dest: Option<String>,
    /// The controller role to assign.
    pub role: Option<String>,
    /// Session-Timeout in seconds (RADIUS attribute 27).
    pub opt27: Option<u32>,
}

impl Approval {
    /// The approval for a redirect: token and WLAN copied, destination kept.
    #[must_use]
    pub fn for_redirect(r: &ControllerRedirect<'_>, username: impl Into<String>) -> Self {
        Self {
            token: r.token.to_string(),
            wlan: r.wlan.to_string(),
            username: username.into(),
            dest: Some(r.dest.to_string()),
            role: None,
            opt27: None,
        }
    }

    /// The signed URL `http(s)://hwc_ip[:hwc_port]/ext_approval.php?...`: http when the
    /// port is 80, https otherwise. `hwc_ip` must be a hostname or an IP address (an
    /// IPv6 address with or without brackets); anything else, port 0
    /// ([`Error::InvalidValue`]), or an empty token, WLAN or user name, is an error.
    pub fn signed_url(
        &self,
        hwc_ip: &str,
        hwc_port: u16,
        signer: &Signer,
        now: SystemTime,
    ) -> Result<String, Error> {
        let required = [
            ("token", self.token.as_str()),
            ("wlan", &self.wlan),
            ("username", &self.username),
        ];
        if let Some((name, _)) = required.iter().find(|(_, v)| v.is_empty()) {
            return Err(Error::MissingParameter(name));
        }
        if hwc_port == 0 {
            return Err(Error::InvalidValue {
                param: "hwc_port".into(),
                reason: crate::url::PORT_ZERO,
            });
        }
        let scheme = if hwc_port == 80 { "http" } else { "https" };
        let host = if hwc_ip.parse::<std::net::Ipv6Addr>().is_ok() {
            format!("[{hwc_ip}]")
        } else {
            hwc_ip.to_string()
        };
        let opt27 = self.opt27.map(|v| v.to_string());
        let optional = [
            ("dest", self.dest.as_deref()),
            ("role", self.role.as_deref()),
            ("opt27", opt27.as_deref()),
        ];
        let params: Vec<(&str, &str)> = required
            .into_iter()
            .chain(optional.into_iter().filter_map(|(k, v)| Some((k, v?))))
            .collect();
        signer.presign(scheme, &host, Some(hwc_port), "/ext_approval.php", &params, now)
    }

    /// Reads an approval (the controller side, or tests).
    pub fn from_query(q: &SignedQuery<'_>) -> Result<Self, Error> {
        let required = |name: &'static str| match q.get(name)? {
            Some(v) if !v.is_empty() => Ok(v),
            _ => Err(Error::MissingParameter(name)),
        };
        Ok(Self {
            token: required("token")?,
            wlan: required("wlan")?,
            username: required("username")?,
            dest: q.get("dest")?,
            role: q.get("role")?,
            opt27: q.get("opt27")?.map(|v| parse_number("opt27", &v)).transpose()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn macs() {
        for s in ["00:11:22:aa:BB:cc", "00-11-22-AA-BB-CC", "001122aabbcc"] {
            assert_eq!(Mac::parse("mac", s).unwrap().to_string(), "00:11:22:aa:bb:cc");
        }
        for s in [
            "00:11:22:aa:bb",
            "00:11-22:aa:bb:cc",
            "0011.22aa.bbcc",
            "00112233445g",
            "ééééééééé:éé",
        ] {
            assert!(Mac::parse("mac", s).is_err(), "{s}");
        }
    }

    #[test]
    fn ssid_rules() {
        fn ssid(s: &[u8]) -> Ssid<'_> {
            Ssid {
                sent: Cow::Borrowed(s),
            }
        }
        type Case = (&'static [u8], SsidRule, Option<&'static [u8]>);
        let cases: [Case; 10] = [
            (b"Guest-WiFi", SsidRule::Auto, Some(b"Guest-WiFi")),
            (b"Guest-WiFi", SsidRule::Text, Some(b"Guest-WiFi")),
            (b"Guest-WiFi", SsidRule::Hex, None),
            (b"6775657374", SsidRule::Auto, Some(b"guest")),
            (b"6775657374", SsidRule::Text, Some(b"6775657374")),
            (b"67756", SsidRule::Auto, Some(b"67756")),
            (b"67756", SsidRule::Hex, None),
            (b"cafe", SsidRule::Auto, Some(&[0xca, 0xfe])),
            (b"", SsidRule::Auto, Some(b"")),
            (b"\xff\xfe", SsidRule::Auto, Some(b"\xff\xfe")),
        ];
        for (sent, rule, want) in cases {
            assert_eq!(ssid(sent).octets(rule).ok().as_deref(), want, "{sent:?} {rule:?}");
        }
        // 64 hex digits are hex under Auto, 66 are text
        let long = "61".repeat(32);
        assert_eq!(
            ssid(long.as_bytes()).octets(SsidRule::Auto).unwrap(),
            b"a".repeat(32)
        );
        let longer = "61".repeat(33);
        assert_eq!(
            ssid(longer.as_bytes()).octets(SsidRule::Auto).unwrap(),
            longer.as_bytes()
        );
        assert!(ssid(longer.as_bytes()).octets(SsidRule::Hex).is_err());
        assert_eq!(ssid(b"caf\xc3\xa9").text(), Some("café"));
        assert_eq!(ssid(b"\xff").text(), None);
    }
}
