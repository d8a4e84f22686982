//! The two redirects of an Extreme external captive portal, typed.

use std::borrow::Cow;
use std::time::SystemTime;

use crate::ecp::{SignatureInfo, SignedQuery, Signer};
use crate::Error;

/// A MAC address as the controller sends it (`aa:bb:cc:dd:ee:ff`, `-` separated or
/// bare hex).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Mac(pub [u8; 6]);

impl Mac {
    /// Parses 12 hex digits, optionally separated by `:` or `-` every two.
    pub fn parse(param: &str, s: &str) -> Result<Self, Error> {
        let bad = || Error::InvalidValue {
            param: param.to_string(),
            reason: "not a MAC address",
        };
        let b = s.as_bytes();
        let (step, sep) = match b.len() {
            12 => (2, None),
            17 => match b.get(2) {
                Some(&c @ (b':' | b'-')) => (3, Some(c)),
                _ => return Err(bad()),
            },
            _ => return Err(bad()),
        };
        let nibble = |c: u8| (c as char).to_digit(16).and_then(|d| u8::try_from(d).ok());
        let mut out = [0u8; 6];
        for (i, o) in out.iter_mut().enumerate() {
            let at = i * step;
            let (Some(&h), Some(&l)) = (b.get(at), b.get(at + 1)) else {
                return Err(bad());
            };
            if let (Some(sep), true) = (sep, i < 5) {
                if b.get(at + 2) != Some(&sep) {
                    return Err(bad());
                }
            }
            let (Some(h), Some(l)) = (nibble(h), nibble(l)) else {
                return Err(bad());
            };
            *o = h << 4 | l;
        }
        Ok(Self(out))
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
    h.chunks(2)
        .map(|p| {
            let s = core::str::from_utf8(p).ok()?;
            u8::from_str_radix(s, 16).ok()
        })
        .collect()
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
    text(q, name)?.map(|v| parse_number(name, &v)).transpose()
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
            let v = crate::sigv4::decode_str(raw)?;
            match k {
                "token" => r.token = v,
                "wlan" => r.wlan = v,
                "dest" => r.dest = v,
                "hwc_ip" => r.hwc_ip = Some(v),
                "hwc_port" => r.hwc_port = Some(parse_number(k, &v)?),
                "mac" => r.mac = Some(Mac::parse(k, &v)?),
                "bssid" => r.bssid = Some(Mac::parse(k, &v)?),
                "ssid" => {
                    let bytes = decode_hex(v.as_bytes()).filter(|b| b.len() <= 32);
                    r.ssid = Some(bytes.ok_or_else(|| invalid(k, "not hex-encoded octets (at most 32)"))?);
                }
                "vns" => r.vns = Some(v),
                "ap" => r.ap = Some(v),
                "sn" => r.sn = Some(v),
                "role" => r.role = Some(v),
                "vlan" => {
                    let vlan: u16 = parse_number(k, &v)?;
                    if !(1..=4094).contains(&vlan) {
                        return Err(invalid(k, "outside 1..=4094"));
                    }
                    r.vlan = Some(vlan);
                }
                _ => r.extras.push((crate::sigv4::decode_str(k)?, v)),
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

/// `v` in decimal, written into `buf` (no allocation).
fn decimal(mut v: u32, buf: &mut [u8; 10]) -> &str {
    let mut i = buf.len();
    loop {
        i -= 1;
        if let Some(d) = buf.get_mut(i) {
            *d = b'0' + (v % 10) as u8;
        }
        v /= 10;
        if v == 0 || i == 0 {
            break;
        }
    }
    core::str::from_utf8(buf.get(i..).unwrap_or_default()).unwrap_or_default()
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
            format!("[{hwc_ip}]")
        } else {
            hwc_ip.to_string()
        };
        let mut digits = [0u8; 10];
        let opt27 = self.opt27.map(|v| decimal(v, &mut digits));
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
