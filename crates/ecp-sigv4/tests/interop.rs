//! Interop: an independent implementation of the controller's procedure signs, the
//! crate verifies; the crate signs an approval, an independent verifier written the
//! way Extreme's sample PHP verifier works checks it. Nothing here calls the crate's
//! engine: encoding, hashing and key derivation are redone from the specification.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::time::{Duration, SystemTime};

use ecp_sigv4::{AmzDate, Approval, ControllerRedirect, Keyring, Secret, Signer, Verifier};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

const SECRET: &str = "interop-secret";
const IDENTITY: &str = "BigAuthInc";
const AMZ: &str = "20261122T120000Z";

fn t0() -> SystemTime {
    AmzDate::parse(AMZ).unwrap().to_system_time()
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut m = Hmac::<Sha256>::new_from_slice(key).unwrap();
    m.update(data);
    m.finalize().into_bytes().to_vec()
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|b| format!("{b:02x}")).collect()
}

/// JavaScript's `encodeURIComponent`: everything but `A-Za-z0-9-_.!~*'()` as `%XX`.
fn encode_uri_component(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// JavaScript's `decodeURIComponent` (`+` stays `+`).
fn decode_uri_component(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

fn signature(secret: &str, amz: &str, canonical_request: &str) -> String {
    let day = &amz[..8];
    let sts = format!(
        "AWS4-HMAC-SHA256\n{amz}\n{day}/world/ecp/aws4_request\n{}",
        hex(&Sha256::digest(canonical_request.as_bytes()))
    );
    let mut k = hmac(format!("AWS4{secret}").as_bytes(), day.as_bytes());
    for part in ["world", "ecp", "aws4_request"] {
        k = hmac(&k, part.as_bytes());
    }
    hex(&hmac(&k, sts.as_bytes()))
}

/// The controller's procedure: every key and value encoded as `encodeURIComponent`
/// does, the X-Amz parameters added, sorted by key, signed over the bytes as sent.
/// The URL lists the parameters in the controller's own order (reversed here), with
/// the signature in the middle.
fn controller_redirect(host: &str, path: &str, params: &[(&str, &str)]) -> String {
    let day = &AMZ[..8];
    let credential = format!("{IDENTITY}/{day}/world/ecp/aws4_request");
    let mut pairs: Vec<(String, String)> = params
        .iter()
        .map(|(k, v)| (encode_uri_component(k), encode_uri_component(v)))
        .collect();
    for (k, v) in [
        ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
        ("X-Amz-Credential", &credential),
        ("X-Amz-Date", AMZ),
        ("X-Amz-Expires", "20"),
        ("X-Amz-SignedHeaders", "host"),
    ] {
        pairs.push((k.to_string(), encode_uri_component(v)));
    }
    let mut sorted = pairs.clone();
    sorted.sort();
    let canonical_query = sorted
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    let creq = format!("GET\n{path}\n{canonical_query}\nhost:{host}\n\nhost\nUNSIGNED-PAYLOAD");
    let sig = signature(SECRET, AMZ, &creq);
    let mut sent: Vec<String> = pairs.iter().rev().map(|(k, v)| format!("{k}={v}")).collect();
    sent.insert(sent.len() / 2, format!("X-Amz-Signature={sig}"));
    format!("https://{host}{path}?{}", sent.join("&"))
}

const AWKWARD: &[(&str, &str)] = &[
    ("token", "T7vb1LdUZmsuY0q9V60Iww!!"),
    ("wlan", "7"),
    ("dest", "http://example.com/a%2Fb?x=1&y=2#frag"),
    ("hwc_ip", "10.10.21.6"),
    ("hwc_port", "443"),
    ("mac", "b0:ee:7b:97:7f:33"),
    ("ssid", "Café Guest+ (5 GHz)"),
    ("vns", "Guest VNS !*'()~"),
    ("role", ""),
    ("ap", "AP 1+1=2"),
    ("aploc", "Bâtiment B / étage 2"),
    ("note", "=&#"),
    ("empty", ""),
];

#[test]
fn controller_signed_redirect_verifies_and_decodes() {
    let url = controller_redirect("portal.example.net", "/ecp/login", AWKWARD);
    assert!(url.contains("token=T7vb1LdUZmsuY0q9V60Iww!!"), "{url}");
    let mut keys = Keyring::new();
    keys.insert(IDENTITY, Secret::from(SECRET));
    let v = Verifier::new(keys);
    let q = v.verify_url(&url, t0() + Duration::from_secs(5)).unwrap();
    let r = ControllerRedirect::from_query(&q).unwrap();
    assert_eq!(r.token, "T7vb1LdUZmsuY0q9V60Iww!!");
    assert_eq!(r.wlan, "7");
    assert_eq!(r.dest, "http://example.com/a%2Fb?x=1&y=2#frag");
    assert_eq!(r.controller().unwrap(), ("10.10.21.6", 443));
    assert_eq!(r.ssid.as_ref().unwrap().text(), Some("Café Guest+ (5 GHz)"));
    assert_eq!(r.vns.as_deref(), Some("Guest VNS !*'()~"));
    assert_eq!(r.role.as_deref(), Some(""));
    assert_eq!(r.ap.as_deref(), Some("AP 1+1=2"));
    // unknown parameters in the order received (the controller's order: reversed)
    assert_eq!(
        r.extras,
        [("empty", ""), ("note", "=&#"), ("aploc", "Bâtiment B / étage 2")]
            .map(|(k, v)| (k.into(), v.into()))
    );
    // a single changed value fails
    let bad = url.replacen("wlan=7", "wlan=8", 1);
    assert_eq!(
        v.verify_url(&bad, t0()).unwrap_err(),
        ecp_sigv4::Error::BadSignature
    );
}

/// Extreme's sample PHP verifier: split the raw query on `&` and `=`, drop the
/// signature, `ksort`, join, nothing decoded; host with a non-default port.
fn php_style_verify(url: &str, secret: &str) -> Vec<(String, String)> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap();
    let (authority, rest) = rest.split_once('/').unwrap();
    let (path, query) = rest.split_once('?').unwrap();
    let mut pairs: Vec<(&str, &str)> = query
        .split('&')
        .map(|p| p.split_once('=').unwrap_or((p, "")))
        .collect();
    let sig = pairs
        .iter()
        .find(|(k, _)| *k == "X-Amz-Signature")
        .unwrap()
        .1
        .to_string();
    let amz = pairs
        .iter()
        .find(|(k, _)| *k == "X-Amz-Date")
        .unwrap()
        .1
        .to_string();
    pairs.retain(|(k, _)| *k != "X-Amz-Signature");
    pairs.sort_by(|a, b| a.0.cmp(b.0));
    let canonical_query = pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    let creq = format!("GET\n/{path}\n{canonical_query}\nhost:{authority}\n\nhost\nUNSIGNED-PAYLOAD");
    assert_eq!(signature(secret, &amz, &creq), sig, "independent verifier: {url}");
    pairs
        .into_iter()
        .filter(|(k, _)| !k.starts_with("X-Amz-"))
        .map(|(k, v)| (decode_uri_component(k), decode_uri_component(v)))
        .collect()
}

#[test]
fn crate_signed_approval_verifies_independently() {
    let signer = Signer::new(IDENTITY, Secret::from(SECRET)).expires(60);
    for (user, dest, port) in [
        ("Jürgen Müller", "http://example.com/a%2Fb?x=1&y=2#frag", 443),
        ("guest+tag@example.org", "", 8443),
        ("张伟 !*'()~", "=&#", 80),
    ] {
        let a = Approval {
            token: "T7vb1LdUZmsuY0q9V60Iww!!".into(),
            wlan: "1".into(),
            username: user.into(),
            dest: Some(dest.into()),
            role: Some("Guest Access".into()),
            opt27: Some(3600),
        };
        let url = a.signed_url("10.10.21.6", port, &signer, t0()).unwrap();
        let got = php_style_verify(&url, SECRET);
        let want: Vec<(String, String)> = [
            ("dest", dest),
            ("opt27", "3600"),
            ("role", "Guest Access"),
            ("token", "T7vb1LdUZmsuY0q9V60Iww!!"),
            ("username", user),
            ("wlan", "1"),
        ]
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .to_vec();
        assert_eq!(got, want, "{url}");
    }
}
