//! The two redirects of an Extreme external captive portal, typed.

use std::borrow::Cow;
use std::time::SystemTime;

use crate::ecp::{SignatureInfo, SignedQuery, Signer};
use crate::sigv4::hex_octet;
use crate::Error;

/// A MAC address as the controller sends it (`aa:bb:cc:dd:ee:ff`, `-` separated or
/// bare hex).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Mac(pub [u8; 6]);

impl Mac {
    /// Parses 12 hex digits, optionally separated by `:` or `-` every two.
    pub fn parse(param: &str, s: &str) -> Result<Self, Error> {
        Self::parse_bytes(s.as_bytes()).ok_or_else(|| Error::InvalidValue {
            param: param.to_string(),
            reason: "not a MAC address",
        })
    }

    fn parse_bytes(b: &[u8]) -> Option<Self> {
        let (step, sep) = match b.len() {
            12 => (2, None),
            17 => match b.get(2) {
                Some(&c @ (b':' | b'-')) => (3, Some(c)),
                _ => return None,
            },
            _ => return None,
        };
        let mut out = [0u8; 6];
        for (i, o) in out.iter_mut().enumerate() {
            let at = i * step;
            if let (Some(sep), true) = (sep, i < 5) {
                if b.get(at + 2) != Some(&sep) {
                    return None;
                }
            }
            *o = hex_octet(b.get(at..at + 2)?)?;
        }
        Some(Self(out))
    }
}

impl core::fmt::Display for Mac {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let [a, b, c, d, e, g] = self.0;
        write!(f, "{a:02x}:{b:02x}:{c:02x}:{d:02x}:{e:02x}:{g:02x}")
    }
}

fn decode_hex(h: &[u8]) -> Option<Vec<u8>> {
    if h.len() % 2 != 0 {
        return None;
    }
    h.chunks_exact(2).map(hex_octet).collect()
}

/// The controller -> portal redirect: every documented parameter, typed and validated.
///
/// Text borrows from the URL (decoded values that needed no unescaping are not
/// copied); [`ControllerRedirect::into_owned`] makes a `'static` copy.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ControllerRedirect<'a> {
    /// Session token to echo in the approval (required).
    pub token: Cow<'a, str>,
    /// WLAN id (required).
    pub wlan: Cow<'a, str>,
    /// The URL the guest first asked for (required).
    pub dest: Cow<'a, str>,
    /// The controller's address for `/ext_approval.php`.
    pub hwc_ip: Option<Cow<'a, str>>,
    /// The controller's port for `/ext_approval.php`.
    pub hwc_port: Option<u16>,
    /// The guest's MAC address.
    pub mac: Option<Mac>,
    /// The AP radio's BSSID.
    pub bssid: Option<Mac>,
    /// The SSID octets (sent hex-encoded, at most 32 octets).
    pub ssid: Option<Vec<u8>>,
    /// The VNS name.
    pub vns: Option<Cow<'a, str>>,
    /// The AP name.
    pub ap: Option<Cow<'a, str>>,
    /// The AP serial number.
    pub sn: Option<Cow<'a, str>>,
    /// The guest's current role.
    pub role: Option<Cow<'a, str>>,
    /// The containment VLAN, 1..=4094.
    pub vlan: Option<u16>,
    /// Any other parameter, decoded, sorted by name.
    pub extras: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    /// The verified signature, when the controller signed the redirect.
    pub signature: Option<SignatureInfo<'a>>,
}

fn text(q: &SignedQuery<'_>, name: &'static str) -> Result<Option<String>, Error> {
    Ok(q.get(name)?.map(Cow::into_owned))
}

fn required(q: &SignedQuery<'_>, name: &'static str) -> Result<String, Error> {
    match text(q, name)? {
        Some(v) if !v.is_empty() => Ok(v),
        _ => Err(Error::MissingParameter(name)),
    }
}

fn number<T: core::str::FromStr>(q: &SignedQuery<'_>, name: &'static str) -> Result<Option<T>, Error> {
    text(q, name)?
        .map(|v| parse_number(name, v.as_bytes()))
        .transpose()
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
        // Values that must be short ASCII (numbers, MACs, hex) are decoded on the stack.
        let mut buf = [0u8; 96];
        for (k, raw) in q.params() {
            let text = || crate::sigv4::decode_str(raw);
            match k {
                "token" => r.token = text()?,
                "wlan" => r.wlan = text()?,
                "dest" => r.dest = text()?,
                "hwc_ip" => r.hwc_ip = Some(text()?),
                "vns" => r.vns = Some(text()?),
                "ap" => r.ap = Some(text()?),
                "sn" => r.sn = Some(text()?),
                "role" => r.role = Some(text()?),
                "hwc_port" => r.hwc_port = Some(parse_number(k, short(k, raw, &mut buf)?)?),
                "mac" | "bssid" => {
                    let mac = Mac::parse_bytes(short(k, raw, &mut buf)?)
                        .ok_or_else(|| invalid(k, "not a MAC address"))?;
                    *(if k == "mac" { &mut r.mac } else { &mut r.bssid }) = Some(mac);
                }
                "ssid" => {
                    let bytes = decode_hex(short(k, raw, &mut buf)?).filter(|b| b.len() <= 32);
                    r.ssid = Some(bytes.ok_or_else(|| invalid(k, "not hex-encoded octets (at most 32)"))?);
                }
                "vlan" => {
                    let vlan: u16 = parse_number(k, short(k, raw, &mut buf)?)?;
                    if !(1..=4094).contains(&vlan) {
                        return Err(invalid(k, "outside 1..=4094"));
                    }
                    r.vlan = Some(vlan);
                }
                _ => r.extras.push((crate::sigv4::decode_str(k)?, text()?)),
            }
        }
        for (name, v) in [("token", &r.token), ("wlan", &r.wlan), ("dest", &r.dest)] {
            if v.is_empty() {
                return Err(Error::MissingParameter(name));
            }
        }
        Ok(r)
    }

    /// A copy that owns its text.
    #[must_use]
    pub fn into_owned(self) -> ControllerRedirect<'static> {
        let own = |c: Cow<'a, str>| Cow::Owned(c.into_owned());
        ControllerRedirect {
            token: own(self.token),
            wlan: own(self.wlan),
            dest: own(self.dest),
            hwc_ip: self.hwc_ip.map(own),
            hwc_port: self.hwc_port,
            mac: self.mac,
            bssid: self.bssid,
            ssid: self.ssid,
            vns: self.vns.map(own),
            ap: self.ap.map(own),
            sn: self.sn.map(own),
            role: self.role.map(own),
            vlan: self.vlan,
            extras: self.extras.into_iter().map(|(k, v)| (own(k), own(v))).collect(),
            signature: self.signature.map(SignatureInfo::into_owned),
        }
    }
}

fn parse_number<T: core::str::FromStr>(param: &str, v: &[u8]) -> Result<T, Error> {
    let digits = !v.is_empty() && v.iter().all(u8::is_ascii_digit);
    digits
        .then(|| core::str::from_utf8(v).ok()?.parse().ok())
        .flatten()
        .ok_or_else(|| Error::InvalidValue {
            param: param.into(),
            reason: "not a number in range",
        })
}

/// A value that must be short ASCII, percent-decoded into `buf` when it has escapes.
fn short<'b>(param: &str, raw: &'b str, buf: &'b mut [u8; 96]) -> Result<&'b [u8], Error> {
    crate::sigv4::decode_into(raw, buf)?.ok_or_else(|| Error::InvalidValue {
        param: param.into(),
        reason: "too long",
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
            token: r.token.clone().into_owned(),
            wlan: r.wlan.clone().into_owned(),
            username: username.into(),
            dest: Some(r.dest.clone().into_owned()),
            role: None,
            opt27: None,
        }
    }

    /// The signed URL `http(s)://hwc_ip[:hwc_port]/ext_approval.php?...`: http when the
    /// port is 80, https otherwise.
    pub fn signed_url(
        &self,
        hwc_ip: &str,
        hwc_port: u16,
        signer: &Signer<'_>,
        now: SystemTime,
    ) -> Result<String, Error> {
        for (name, v) in [
            ("token", &self.token),
            ("wlan", &self.wlan),
            ("username", &self.username),
        ] {
            if v.is_empty() {
                return Err(Error::MissingParameter(name));
            }
        }
        let scheme = if hwc_port == 80 { "http" } else { "https" };
        let host = if hwc_ip.contains(':') && !hwc_ip.starts_with('[') {
            Cow::Owned(format!("[{hwc_ip}]"))
        } else {
            Cow::Borrowed(hwc_ip)
        };
        let mut digits = [0u8; 20];
        let opt27 = self
            .opt27
            .map(|v| crate::sigv4::decimal(u64::from(v), &mut digits));
        let optional = [
            ("dest", self.dest.as_deref()),
            ("role", self.role.as_deref()),
            ("opt27", opt27),
        ];
        let mut params = [("", ""); 6];
        let mut n = 0;
        let required = [
            ("token", self.token.as_str()),
            ("wlan", &self.wlan),
            ("username", &self.username),
        ];
        for (name, value) in required
            .into_iter()
            .chain(optional.into_iter().filter_map(|(k, v)| Some((k, v?))))
        {
            if let Some(slot) = params.get_mut(n) {
                *slot = (name, value);
                n += 1;
            }
        }
        let params = params.get(..n).unwrap_or_default();
        signer.presign(scheme, &host, Some(hwc_port), "/ext_approval.php", params, now)
    }

    /// Reads an approval (the controller side, or tests).
    pub fn from_query(q: &SignedQuery<'_>) -> Result<Self, Error> {
        Ok(Self {
            token: required(q, "token")?,
            wlan: required(q, "wlan")?,
            username: required(q, "username")?,
            dest: text(q, "dest")?,
            role: text(q, "role")?,
            opt27: number(q, "opt27")?,
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
}
