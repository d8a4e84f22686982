//! Inputs and floors shared by the ECP benches (`ecp`, criterion; `ecp_interleaved`).

use std::time::{Duration, SystemTime};

use ecp_sigv4::{sigv4, EmptyPath, PortRule};
use ecp_sigv4::{Approval, Secret, Signer};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

pub(crate) const SECRET: &str = "ecp-sigv4-synthetic-test-secret";

pub(crate) fn now() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_406_648_274) // 2014-07-29T15:37:54Z
}

pub(crate) fn approval() -> Approval {
    Approval {
        token: "T7vb1LdUZmsuY0q9V60Iww!!".into(),
        wlan: "1".into(),
        username: "test".into(),
        dest: Some("http://1.2.3.4/news.com".into()),
        role: Some("Guest_Access".into()),
        opt27: Some(36000),
    }
}

/// A controller redirect with the parameters a real one carries.
pub(crate) fn redirect_url() -> String {
    let signer = Signer::new("BigAuthInc", Secret::from(SECRET)).expires(20);
    signer
        .presign(
            "https",
            "portal.example.net",
            None,
            "/ecp/login",
            &[
                ("token", "T7vb1LdUZmsuY0q9V60Iww!!"),
                ("wlan", "1"),
                ("dest", "http://neverssl.com/"),
                ("hwc_ip", "10.10.21.6"),
                ("hwc_port", "443"),
                ("mac", "b0:ee:7b:97:7f:33"),
                ("bssid", "00:11:22:33:44:55"),
                ("ssid", "6775657374"),
                ("vns", "Guest"),
                ("ap", "AP-3rd-floor"),
                ("role", "Unregistered"),
                ("vlan", "200"),
            ],
            now(),
        )
        .unwrap()
}

pub(crate) type HmacSha256 = Hmac<Sha256>;

/// Lowercase hex (two pushes per octet, as the crate's own helper).
pub(crate) fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from_digit(u32::from(b >> 4), 16).unwrap());
        s.push(char::from_digit(u32::from(b & 15), 16).unwrap());
    }
    s
}

pub(crate) fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut m = HmacSha256::new_from_slice(key).unwrap();
    m.update(data);
    m.finalize().into_bytes().into()
}

/// The steady-state floor with a cached signing key: one SHA-256 of the canonical
/// request and one HMAC-SHA256 from an already keyed state.
pub(crate) fn floor_cached(creq: &[u8], sts_prefix: &str, key: &HmacSha256) -> [u8; 32] {
    let hash = hex(&Sha256::digest(creq));
    let mut sts = String::with_capacity(sts_prefix.len() + 64);
    sts.push_str(sts_prefix);
    sts.push_str(&hash);
    let mut m = key.clone();
    m.update(sts.as_bytes());
    m.finalize().into_bytes().into()
}

/// The four HMAC-SHA256 of the signing-key derivation.
fn derive_key() -> [u8; 32] {
    let mut k = b"AWS4".to_vec();
    k.extend_from_slice(SECRET.as_bytes());
    let k = hmac(&k, b"20140729");
    let k = hmac(&k, b"world");
    let k = hmac(&k, b"ecp");
    hmac(&k, b"aws4_request")
}

pub(crate) fn keyed_state() -> HmacSha256 {
    HmacSha256::new_from_slice(&derive_key()).unwrap()
}

/// Five HMAC-SHA256 (four for the key, one for the signature) and one SHA-256 of the
/// canonical request, on inputs of the real sizes.
pub(crate) fn floor(creq: &[u8], sts_prefix: &str) -> [u8; 32] {
    let hash = hex(&Sha256::digest(creq));
    let k = derive_key();
    let mut sts = String::with_capacity(sts_prefix.len() + 64);
    sts.push_str(sts_prefix);
    sts.push_str(&hash);
    hmac(&k, sts.as_bytes())
}

/// The canonical request of a signed URL, as the raw-query rule builds it.
pub(crate) fn canonical_request(url: &str) -> String {
    let u = ecp_sigv4::Url::parse(url).unwrap();
    ecp_sigv4::canonical_request(
        &u,
        &sigv4::canonical_query_raw(u.query),
        PortRule::IncludeNonDefault,
        EmptyPath::Slash,
    )
}

/// The string-to-sign prefix of both inputs (same identity, time and scope).
pub(crate) const STS_PREFIX: &str = "AWS4-HMAC-SHA256\n20140729T153754Z\n20140729/world/ecp/aws4_request\n";
