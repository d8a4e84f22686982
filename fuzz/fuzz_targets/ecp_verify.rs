//! Reaches the verified paths: SIGN a valid redirect with a fixed secret from
//! fuzz-chosen parameters, time and identity, mutate its parameters, times and
//! encodings with the fuzz input, then verify and run the tolerant model on what
//! verifies. Invariants: an unmutated redirect verifies exactly inside its time
//! window; whatever verifies means what was signed (every signed value reads back
//! unchanged); nothing panics. An arbitrary URL is also verified and parsed.
#![no_main]
use std::net::IpAddr;
use std::time::{Duration, SystemTime};

use arbitrary::Arbitrary;
use ecp_sigv4::{
    parse_unsigned, Approval, ControllerRedirect, Error, Keyring, PortRule, Secret, Signer, SsidRule, Verifier,
};
use libfuzzer_sys::fuzz_target;

const SECRET: &str = "ecp-sigv4-synthetic-test-secret";
const IDENTITIES: [&str; 4] = ["BigAuthInc", "portal 1", "ünïcode", "a+b"];
const NAMES: [&str; 14] = [
    "ssid", "vlan", "mac", "bssid", "hwc_ip", "hwc_port", "vns", "ap", "sn", "role", "aploc", "apmac", "token2", "x y",
];
/// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z: what `X-Amz-Date` can carry.
const FIRST: i64 = -62_135_596_800;
const LAST: i64 = 253_402_300_799;

#[derive(Arbitrary, Debug)]
enum Mutation {
    /// Replace a pair's value.
    SetValue(u8, String),
    /// Swap two pairs (order must not matter).
    Swap(u8, u8),
    /// Spell one unreserved octet of a pair as `%XX` (same meaning, other bytes).
    Escape(u8, u16, bool),
    /// Re-serialize the whole query as a web framework does (`+` for space).
    Reserialize,
    /// Drop a pair.
    Drop(u8),
    /// Append a pair.
    Append(String, String),
}

#[derive(Arbitrary, Debug)]
struct Input {
    token: String,
    wlan: String,
    dest: String,
    fields: Vec<(u8, String)>,
    identity: u8,
    sign_secs: i64,
    expires: u16,
    now_delta: i32,
    port: Option<u16>,
    omit_port: bool,
    fallback: bool,
    mutations: Vec<Mutation>,
    allowed: Vec<IpAddr>,
    url: String,
}

fn at(secs: i64) -> SystemTime {
    if secs >= 0 {
        SystemTime::UNIX_EPOCH + Duration::from_secs(secs.unsigned_abs())
    } else {
        SystemTime::UNIX_EPOCH - Duration::from_secs(secs.unsigned_abs())
    }
}

/// Framework re-serialization of one `k=v`: decode, then `+` for space and `%XX` for
/// everything but `A-Za-z0-9-_.~`. `None` when the input has a bad escape.
fn reserialize(pair: &str) -> Option<String> {
    let enc = |s: &str| -> Option<String> {
        let b = s.as_bytes();
        let mut out = String::new();
        let mut i = 0;
        while let Some(&c) = b.get(i) {
            let octet = if c == b'%' {
                let h = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
                i += 3;
                u8::from_str_radix(h, 16).ok()?
            } else {
                i += 1;
                c
            };
            match octet {
                b' ' => out.push('+'),
                o if o.is_ascii_alphanumeric() || b"-_.~".contains(&o) => out.push(char::from(o)),
                o => out.push_str(&format!("%{o:02X}")),
            }
        }
        Some(out)
    };
    let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
    Some(format!("{}={}", enc(k)?, enc(v)?))
}

fuzz_target!(|i: Input| {
    let identity = IDENTITIES[usize::from(i.identity) % IDENTITIES.len()];
    let mut keys = Keyring::new();
    keys.insert(identity, Secret::from(SECRET));
    let rule = if i.omit_port { PortRule::Omit } else { PortRule::IncludeNonDefault };
    let verifier = Verifier::new(keys)
        .port_rule(rule)
        .max_expires(u64::MAX)
        .max_url_len(usize::MAX)
        .reserialized_query_fallback(i.fallback);

    // Arbitrary URLs: never a panic.
    let now = at(i.sign_secs);
    if let Ok(q) = verifier.verify_url(&i.url, now) {
        let _ = ControllerRedirect::from_query(&q);
    }
    if let Ok(q) = parse_unsigned(&i.url, 8192) {
        if let Ok(r) = ControllerRedirect::from_query(&q) {
            let _ = r.controller_allowed(&i.allowed);
        }
        let _ = Approval::from_query(&q);
    }

    // A signed redirect from fuzz-chosen values.
    let mut params: Vec<(&str, &str)> = vec![("token", &i.token), ("wlan", &i.wlan), ("dest", &i.dest)];
    for (n, v) in &i.fields {
        let name = NAMES[usize::from(*n) % NAMES.len()];
        if !params.iter().any(|(k, _)| *k == name) {
            params.push((name, v));
        }
    }
    let sign_secs = FIRST + i.sign_secs.rem_euclid(LAST - FIRST + 1);
    let signer = Signer::new(identity, Secret::from(SECRET))
        .expires(u64::from(i.expires))
        .port_rule(rule);
    let url = signer
        .presign("https", "portal.example.net", i.port.filter(|p| *p != 0), "/ecp/login", &params, at(sign_secs))
        .expect("valid parameters sign");
    let (base, query) = url.split_once('?').expect("a query");
    let mut pairs: Vec<String> = query.split('&').map(str::to_string).collect();
    let mutated = !i.mutations.is_empty();
    for m in &i.mutations {
        let n = pairs.len().max(1);
        match m {
            Mutation::SetValue(at, v) => {
                if let Some(p) = pairs.get_mut(usize::from(*at) % n) {
                    let k = p.split_once('=').map_or(p.as_str(), |(k, _)| k).to_string();
                    *p = format!("{k}={v}");
                }
            }
            Mutation::Swap(a, b) if !pairs.is_empty() => pairs.swap(usize::from(*a) % n, usize::from(*b) % n),
            Mutation::Swap(..) => {}
            Mutation::Escape(at, pos, lower) => {
                if let Some(p) = pairs.get_mut(usize::from(*at) % n) {
                    let pos = usize::from(*pos) % p.len().max(1);
                    if let Some(c) = p.as_bytes().get(pos).copied().filter(|c| c.is_ascii_alphanumeric()) {
                        let esc = if *lower { format!("%{c:02x}") } else { format!("%{c:02X}") };
                        p.replace_range(pos..=pos, &esc);
                    }
                }
            }
            Mutation::Reserialize => {
                if let Some(re) = pairs.iter().map(|p| reserialize(p)).collect::<Option<Vec<_>>>() {
                    pairs = re;
                }
            }
            Mutation::Drop(at) => {
                if !pairs.is_empty() {
                    pairs.remove(usize::from(*at) % n);
                }
            }
            Mutation::Append(k, v) => pairs.push(format!("{k}={v}")),
        }
    }
    let url = format!("{base}?{}", pairs.join("&"));
    let now_secs = sign_secs.saturating_add(i64::from(i.now_delta));
    let result = verifier.verify_url(&url, at(now_secs));
    if !mutated {
        let inside = (-10..=i64::from(i.expires)).contains(&i64::from(i.now_delta));
        match &result {
            Ok(_) => assert!(inside, "verified outside its window"),
            Err(Error::NotYetValid { .. } | Error::Expired { .. }) => assert!(!inside, "{result:?}"),
            Err(e) => panic!("an unmutated signed redirect fails: {e:?}\n{url}"),
        }
    }
    let Ok(q) = result else { return };
    // What verifies means what was signed.
    for (k, v) in &params {
        assert_eq!(q.get(k).expect("signed values decode").as_deref(), Some(*v), "{k} in {url}");
    }
    assert_eq!(q.params().count(), params.len(), "{url}");
    // The tolerant model on what verifies.
    if let Ok(r) = ControllerRedirect::from_query(&q) {
        assert_eq!((&*r.token, &*r.wlan, &*r.dest), (&*i.token, &*i.wlan, &*i.dest));
        if let Some(ssid) = &r.ssid {
            for rule in [SsidRule::Text, SsidRule::Hex, SsidRule::Auto] {
                let _ = ssid.octets(rule);
            }
            assert_eq!(ssid.octets(SsidRule::Text).ok().as_deref(), Some(ssid.as_sent()));
        }
        let _ = r.controller_allowed(&i.allowed);
        let _ = Approval::for_redirect(&r, "u").signed_url("10.0.0.1", 443, &signer, at(now_secs));
    }
});
