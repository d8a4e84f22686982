//! Adversarial review (s13): redirect URLs shaped the way real controllers and real
//! capture paths produce them, signed by an independent signer that works on the raw
//! query as Extreme's procedure does (pairs as sent, minus `X-Amz-Signature`, sorted by
//! raw key, nothing decoded), and forgeries of them.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::time::{Duration, SystemTime};

use ecp_sigv4::{AmzDate, ControllerRedirect, Error, Keyring, QueryForm, Secret, Verifier};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

const SECRET: &str = "review-secret";
const IDENTITY: &str = "BigAuthInc";
const AMZ: &str = "20261122T120000Z";

fn t0() -> SystemTime {
    AmzDate::parse(AMZ).unwrap().to_system_time()
}

fn at(secs: i64) -> SystemTime {
    if secs >= 0 {
        t0() + Duration::from_secs(secs.unsigned_abs())
    } else {
        t0() - Duration::from_secs(secs.unsigned_abs())
    }
}

fn verifier() -> Verifier {
    let mut k = Keyring::new();
    k.insert(IDENTITY, Secret::from(SECRET));
    Verifier::new(k)
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut m = Hmac::<Sha256>::new_from_slice(key).unwrap();
    m.update(data);
    m.finalize().into_bytes().to_vec()
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|b| format!("{b:02x}")).collect()
}

/// The standard X-Amz pairs (credential with `%2F`, as controllers send it).
fn amz_pairs(expires: u64) -> String {
    format!(
        "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={IDENTITY}%2F{}%2Fworld%2Fecp%2Faws4_request\
         &X-Amz-Date={AMZ}&X-Amz-Expires={expires}&X-Amz-SignedHeaders=host",
        &AMZ[..8]
    )
}

/// Signs `raw_query` (no signature in it) for `host_line` and `path` the way the
/// controller and Extreme's sample verifier canonicalize: raw pairs, sorted by raw key.
fn raw_signature(host_line: &str, path: &str, raw_query: &str) -> String {
    let mut pairs: Vec<(&str, &str)> = raw_query
        .split('&')
        .filter(|s| !s.is_empty())
        .map(|s| s.split_once('=').unwrap_or((s, "")))
        .filter(|(k, _)| *k != "X-Amz-Signature")
        .collect();
    pairs.sort_by(|a, b| a.0.cmp(b.0));
    let canonical_query = pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    let creq = format!("GET\n{path}\n{canonical_query}\nhost:{host_line}\n\nhost\nUNSIGNED-PAYLOAD");
    let day = &AMZ[..8];
    let sts = format!(
        "AWS4-HMAC-SHA256\n{AMZ}\n{day}/world/ecp/aws4_request\n{}",
        hex(&Sha256::digest(creq.as_bytes()))
    );
    let mut k = hmac(format!("AWS4{SECRET}").as_bytes(), day.as_bytes());
    for part in ["world", "ecp", "aws4_request"] {
        k = hmac(&k, part.as_bytes());
    }
    hex(&hmac(&k, sts.as_bytes()))
}

/// A query in the controller's own order: its parameters first, then the X-Amz pairs,
/// then the signature (what captured redirects look like).
fn controller_query(host_line: &str, path: &str, params: &str, expires: u64) -> String {
    let q = format!("{params}&{}", amz_pairs(expires));
    let sig = raw_signature(host_line, path, &q);
    format!("{q}&X-Amz-Signature={sig}")
}

const PARAMS: &str = "wlan=3&token=T7vb1LdUZmsuY0q9V60Iww!!&dest=http%3a%2f%2fneverssl.com%2F%3Fa%3Db\
                      &hwc_ip=10.10.21.6&hwc_port=443&mac=B0-EE-7B-97-7F-33&ssid=Guest%20WiFi%20(5GHz)\
                      &vns=Guest+VNS&vlan=&ap=AP%2D3rd&role=Unregistered";

/// Captured URLs the crate must accept: the controller's parameter order, lower-case
/// hex in escapes, `+` kept literal, an empty value, the signature in upper case, a
/// fragment, a trailing `&` or `?&`, explicit default ports, IPv6 literals.
#[test]
fn real_captured_shapes_verify() {
    let v = verifier();
    let q = controller_query("portal.example.net", "/ecp/login.php", PARAMS, 20);
    let base = format!("https://portal.example.net/ecp/login.php?{q}");
    let sig_at = base.find("X-Amz-Signature=").unwrap() + 16;
    let upper = format!("{}{}", &base[..sig_at], base[sig_at..].to_ascii_uppercase());
    let variants = [
        base.clone(),
        format!("{base}#section"),
        format!("{base}&"),
        base.replacen('?', "?&", 1),
        base.replacen(
            "https://portal.example.net/",
            "https://portal.example.net:443/",
            1,
        ),
        base.replacen("https://portal.example.net/", "HTTPS://Portal.Example.NET/", 1),
        upper,
    ];
    for url in &variants {
        let q = v.verify_url(url, at(5)).unwrap_or_else(|e| panic!("{url}: {e}"));
        let r = ControllerRedirect::from_query(&q).unwrap();
        assert_eq!(r.token, "T7vb1LdUZmsuY0q9V60Iww!!");
        assert_eq!(r.dest, "http://neverssl.com/?a=b");
        assert_eq!(r.ssid.unwrap().text(), Some("Guest WiFi (5GHz)"));
        assert_eq!(r.vns.as_deref(), Some("Guest+VNS"));
        assert_eq!(r.vlan, None);
        assert_eq!(r.mac.unwrap().addr.to_string(), "b0:ee:7b:97:7f:33");
    }

    // http on port 80 written out; a non-default port goes into the host line
    let q = controller_query("portal.example.net", "/p", PARAMS, 20);
    v.verify_url(&format!("http://portal.example.net:80/p?{q}"), at(0))
        .unwrap();
    let q = controller_query("portal.example.net:8080", "/p", PARAMS, 20);
    v.verify_url(&format!("http://portal.example.net:8080/p?{q}"), at(0))
        .unwrap();

    // IPv6 literals keep their brackets (and are lower-cased) in the host line
    let q = controller_query("[2001:db8::a]:8443", "/p", PARAMS, 20);
    v.verify_url(&format!("https://[2001:DB8::A]:8443/p?{q}"), at(0))
        .unwrap();
    let q = controller_query("[2001:db8::a]", "/p", PARAMS, 20);
    v.verify_url(&format!("https://[2001:db8::a]:443/p?{q}"), at(0))
        .unwrap();

    // a path with escapes is signed as written
    let q = controller_query("portal.example.net", "/ecp/%7Eguest/login%2Ephp", PARAMS, 20);
    v.verify_url(
        &format!("https://portal.example.net/ecp/%7Eguest/login%2Ephp?{q}"),
        at(0),
    )
    .unwrap();
}

/// Changes to a captured URL that alter what was signed are refused.
#[test]
fn forgeries_of_a_captured_url_fail() {
    let v = verifier();
    let q = controller_query("portal.example.net", "/ecp/login.php", PARAMS, 20);
    let base = format!("https://portal.example.net/ecp/login.php?{q}");
    let forged = [
        base.replacen("wlan=3", "wlan=4", 1),
        base.replacen("%3a%2f%2f", "%3A%2F%2F", 1), // same value, other bytes
        base.replacen("vns=Guest+VNS", "vns=Guest%20VNS", 1),
        base.replacen("&role=Unregistered", "", 1),
        format!(
            "{}#&role=Unregistered",
            base.replacen("&role=Unregistered", "", 1)
        ),
        base.replacen("vlan=&", "vlan=1&", 1),
        base.replacen("/ecp/login.php", "/ecp/Login.php", 1),
        base.replacen("/ecp/login.php", "/ecp/login.php/", 1),
        base.replacen("portal.example.net", "portal.example.net:8443", 1),
        base.replacen("portal.example.net", "portal.example.net.", 1),
        base.replacen("https://", "http://", 1)
            .replacen("net/", "net:443/", 1),
        format!("{base}&extra=1"),
        format!("{base}&extra"),
        format!("{base}&x-amz-date=20261122T120000Z"),
    ];
    for url in &forged {
        assert_eq!(v.verify_url(url, at(0)), Err(Error::BadSignature), "{url}");
    }
}

/// The time window, to the second, on a controller-shaped URL (sample PHP: refuse when
/// `now - date < -10` or `> X-Amz-Expires`), including sub-second `now`.
#[test]
fn clock_skew_boundaries() {
    let v = verifier();
    let q = controller_query("portal.example.net", "/p", PARAMS, 20);
    let url = format!("https://portal.example.net/p?{q}");
    v.verify_url(&url, at(-10)).unwrap();
    v.verify_url(&url, at(20)).unwrap();
    v.verify_url(&url, at(20) + Duration::from_millis(999)).unwrap();
    assert_eq!(
        v.verify_url(&url, at(-11)),
        Err(Error::NotYetValid { secs_early: 1 })
    );
    assert_eq!(v.verify_url(&url, at(21)), Err(Error::Expired { secs_late: 1 }));
    // X-Amz-Expires=0: valid during its own second only
    let q = controller_query("portal.example.net", "/p", PARAMS, 0);
    let url = format!("https://portal.example.net/p?{q}");
    v.verify_url(&url, at(0)).unwrap();
    assert_eq!(v.verify_url(&url, at(1)), Err(Error::Expired { secs_late: 1 }));
}

/// Very long URLs (a long original destination) and bad input: typed errors.
#[test]
fn long_and_bad_urls_give_typed_errors() {
    let v = verifier();
    let dest = "a".repeat(3000);
    let params = format!("{PARAMS}&utm={dest}");
    let q = controller_query("portal.example.net", "/p", &params, 20);
    let url = format!("https://portal.example.net/p?{q}");
    assert!(url.len() < 4096);
    v.verify_url(&url, at(0)).unwrap();
    let params = format!("{PARAMS}&utm={}", "a".repeat(5000));
    let q = controller_query("portal.example.net", "/p", &params, 20);
    let url = format!("https://portal.example.net/p?{q}");
    assert!(matches!(v.verify_url(&url, at(0)), Err(Error::UrlTooLong { .. })));
    let long_v = verifier().max_url_len(1 << 16);
    long_v.verify_url(&url, at(0)).unwrap();

    for (url, want) in [
        ("https://portal.example.net/p?", Error::NotSigned),
        ("https://portal.example.net/p", Error::NotSigned),
        ("https://portal.example.net/p?&&", Error::NotSigned),
        ("https://portal.example.net/p?#x", Error::NotSigned),
        (
            "https://portal.example.net/p?X-Amz-Signature=",
            Error::MissingParameter("X-Amz-Algorithm"),
        ),
    ] {
        assert_eq!(v.verify_url(url, at(0)), Err(want), "{url}");
    }
}

/// Finding E1. A controller that encodes like JavaScript's `encodeURIComponent` (the
/// only behaviour observed: `!` left literal) leaves `'` literal too. A browser that
/// follows its `Location` header percent-encodes `'` in the query of an http(s) URL
/// (WHATWG URL standard, "special-query percent-encode set" = query set + U+0027), so
/// the portal receives `%27` where the controller signed `'`: an SSID or AP name with
/// an apostrophe ("Joe's Cafe") failed with `BadSignature` under the default (raw)
/// verifier. Same decoded values, so accepting it forges nothing; anything else
/// changed still fails.
#[test]
fn browser_escaped_apostrophe_still_verifies() {
    let v = verifier();
    let params = "token=T7vb1LdUZmsuY0q9V60Iww!!&wlan=1&dest=http%3A%2F%2Fexample.com%2F\
                  &ssid=Joe's%20Cafe&ap=Joe's-AP&vns=it+is";
    let q = controller_query("portal.example.net", "/p", params, 20);
    let as_sent = format!("https://portal.example.net/p?{q}");
    assert_eq!(v.verify_url(&as_sent, at(0)).unwrap().form(), QueryForm::Raw);
    let via_browser = as_sent.replace('\'', "%27");
    let q = v
        .verify_url(&via_browser, at(0))
        .unwrap_or_else(|e| panic!("{via_browser}: {e}"));
    assert_eq!(q.form(), QueryForm::RawBrowserQuote);
    let r = ControllerRedirect::from_query(&q).unwrap();
    assert_eq!(r.ssid.unwrap().text(), Some("Joe's Cafe"));
    assert_eq!(r.ap.as_deref(), Some("Joe's-AP"));
    // `+` is still a literal plus: the query was not re-serialized
    assert_eq!(r.vns.as_deref(), Some("it+is"));
    // ... and anything else changed still fails
    let forged = via_browser.replacen("wlan=1", "wlan=2", 1);
    assert_eq!(v.verify_url(&forged, at(0)), Err(Error::BadSignature));
    let forged = via_browser.replacen("Joe%27s-AP", "Joe%2527s-AP", 1);
    assert_eq!(v.verify_url(&forged, at(0)), Err(Error::BadSignature));
}

/// The apostrophe in a key changes the keys' order: the controller sorted `a%2F`
/// before `a'` (`%` < `'`), the browser's `a%27` sorts before `a%2F`. The verifier
/// sorts again after reading `%27` back.
#[test]
fn browser_escaped_apostrophe_in_a_key_keeps_the_signed_order() {
    let v = verifier();
    let params = "token=t&a'=1&a%2F=2&wlan=1";
    let q = controller_query("portal.example.net", "/p", params, 20);
    let via_browser = format!("https://portal.example.net/p?{q}").replace('\'', "%27");
    let q = v
        .verify_url(&via_browser, at(0))
        .unwrap_or_else(|e| panic!("{via_browser}: {e}"));
    assert_eq!(q.form(), QueryForm::RawBrowserQuote);
}

/// Secrets stay out of `Debug` and error text everywhere a portal might log them:
/// the secret, the keyring (fixed and shared), the verifier and signer (with derived
/// keys cached), a signing key, and the errors of a wrong-secret verification.
#[test]
fn secrets_never_reach_debug_or_errors() {
    use ecp_sigv4::sigv4::SigningKey;
    use ecp_sigv4::{SharedKeyring, Signer};
    let secret = "hunter2-very-secret";
    let mut k = Keyring::new();
    k.insert(IDENTITY, Secret::from(secret));
    let shared = SharedKeyring::new(k.clone());
    let v = Verifier::new(k.clone());
    let signer = Signer::new(IDENTITY, Secret::from(secret));
    let url = signer
        .presign("https", "portal.example.net", None, "/p", &[("token", "t")], t0())
        .unwrap();
    v.verify_url(&url, t0()).unwrap(); // a derived key is now cached
    let mut wrong = Keyring::new();
    wrong.insert(IDENTITY, Secret::from("other"));
    let err = Verifier::new(wrong).verify_url(&url, t0()).unwrap_err();
    let key = SigningKey::derive(secret.as_bytes(), "20261122", "world", "ecp");
    let texts = [
        format!("{:?}", Secret::from(secret)),
        format!("{k:?}"),
        format!("{shared:?}"),
        format!("{v:?}"),
        format!("{signer:?}"),
        format!("{key:?}"),
        format!("{err:?} {err}"),
    ];
    for t in &texts {
        assert!(!t.contains(secret), "{t}");
        assert!(!t.contains("hunter2"), "{t}");
    }
    assert_eq!(texts[0], "Secret(..)");
    assert_eq!(texts[5], "SigningKey(..)");
    assert_eq!(err, Error::BadSignature);
}
