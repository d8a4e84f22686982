//! ECP verification rules: time window edges, key rotation, every kind of bad input,
//! the controller redirect model, and property tests of sign -> verify.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::time::{Duration, SystemTime};

use ecp_sigv4::*;
use proptest::prelude::*;

const T0: &str = "20261122T120000Z";

fn t0() -> SystemTime {
    AmzDate::parse(T0).unwrap().to_system_time()
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|b| format!("{b:02x}")).collect()
}

fn keys() -> Keyring {
    let mut k = Keyring::new();
    k.insert("portal-1", Secret::from("s3cret"));
    k
}

fn sign(params: &[(&str, &str)], expires: u64) -> String {
    let s = Signer::new("portal-1", Secret::from("s3cret")).expires(expires);
    s.presign("https", "portal.example.net", None, "/ecp/login", params, t0())
        .unwrap()
}

const REDIRECT: &[(&str, &str)] = &[
    ("token", "T7vb1LdUZmsuY0q9V60Iww!!"),
    ("wlan", "12"),
    ("dest", "http://neverssl.com/?a=b&c=d"),
    ("hwc_ip", "10.10.21.6"),
    ("hwc_port", "8443"),
    ("mac", "b0:ee:7b:97:7f:33"),
    ("bssid", "00-11-22-33-44-55"),
    ("ssid", "6775657374"),
    ("vns", "Guest VNS"),
    ("ap", "AP-3rd-floor"),
    ("sn", "1234567890"),
    ("role", "Unregistered"),
    ("vlan", "200"),
    ("apmac", "001122334455"),
];

#[test]
fn time_window_edges() {
    let url = sign(REDIRECT, 20);
    let k = keys();
    let v = Verifier::new(k.clone());
    let s = |secs: i64| {
        if secs >= 0 {
            t0() + Duration::from_secs(secs.unsigned_abs())
        } else {
            t0() - Duration::from_secs(secs.unsigned_abs())
        }
    };
    // X-Amz-Date - 10 s <= now <= X-Amz-Date + 20 s
    v.verify_url(&url, s(-10)).unwrap();
    assert_eq!(
        v.verify_url(&url, s(-11)).unwrap_err(),
        Error::NotYetValid { secs_early: 1 }
    );
    v.verify_url(&url, s(20)).unwrap();
    assert_eq!(
        v.verify_url(&url, s(21)).unwrap_err(),
        Error::Expired { secs_late: 1 }
    );
    assert_eq!(
        v.verify_url(&url, s(3600)).unwrap_err(),
        Error::Expired { secs_late: 3580 }
    );
    // configurable skew and grace
    let lax = Verifier::new(k.clone())
        .max_future_skew(Duration::from_secs(300))
        .expiry_grace(Duration::from_secs(30));
    lax.verify_url(&url, s(-300)).unwrap();
    lax.verify_url(&url, s(50)).unwrap();
    assert!(matches!(lax.verify_url(&url, s(51)), Err(Error::Expired { .. })));
    // the cap on X-Amz-Expires
    let long = sign(REDIRECT, 901);
    assert_eq!(
        v.verify_url(&long, s(0)).unwrap_err(),
        Error::ExpiresTooLong {
            expires: 901,
            max: 900
        }
    );
    Verifier::new(k)
        .max_expires(3600)
        .verify_url(&long, s(0))
        .unwrap();
}

#[test]
fn key_rotation_accepts_old_and_new_secrets() {
    let mut k = Keyring::new();
    k.insert("portal-1", Secret::from("new-secret"))
        .insert("portal-1", Secret::from("s3cret"));
    let url = sign(REDIRECT, 20);
    let q = Verifier::new(k.clone()).verify_url(&url, t0()).unwrap();
    assert_eq!(q.signature().unwrap().secret_index, 1);
    k.remove("portal-1");
    k.insert("portal-1", Secret::from("new-secret"));
    assert_eq!(
        Verifier::new(k.clone()).verify_url(&url, t0()).unwrap_err(),
        Error::BadSignature
    );
    let mut other = Keyring::new();
    other.insert("portal-2", Secret::from("s3cret"));
    assert_eq!(
        Verifier::new(other.clone()).verify_url(&url, t0()).unwrap_err(),
        Error::UnknownIdentity("portal-1".into())
    );
}

#[test]
fn controller_redirect_is_typed() {
    let url = sign(REDIRECT, 20);
    let k = keys();
    let q = Verifier::new(k).verify_url(&url, t0()).unwrap();
    let r = ControllerRedirect::from_query(&q).unwrap();
    assert_eq!(r.token, "T7vb1LdUZmsuY0q9V60Iww!!");
    assert_eq!(r.wlan, "12");
    assert_eq!(r.dest, "http://neverssl.com/?a=b&c=d");
    assert_eq!(r.hwc_ip.as_deref(), Some("10.10.21.6"));
    assert_eq!(r.hwc_port, Some(8443));
    assert_eq!(r.controller().unwrap(), ("10.10.21.6", 8443));
    let mac = r.mac.as_ref().unwrap();
    assert_eq!(mac.sent, "b0:ee:7b:97:7f:33");
    assert_eq!(mac.addr.to_string(), "b0:ee:7b:97:7f:33");
    let bssid = r.bssid.as_ref().unwrap();
    assert_eq!(bssid.sent, "00-11-22-33-44-55");
    assert_eq!(bssid.addr.to_string(), "00:11:22:33:44:55");
    assert_eq!(r.ssid.as_ref().unwrap().octets(SsidRule::Auto).unwrap(), b"guest");
    assert_eq!(r.vns.as_deref(), Some("Guest VNS"));
    assert_eq!(r.vlan, Some(200));
    assert_eq!(r.extras, [("apmac".into(), "001122334455".into())]);
    // text that needed no unescaping borrows from the URL; escaped text is owned
    assert!(matches!(r.wlan, std::borrow::Cow::Borrowed(_)));
    assert!(matches!(r.dest, std::borrow::Cow::Owned(_)));
    let owned: ControllerRedirect<'static> = r.clone().into_owned();
    assert_eq!(owned, r);
    assert_eq!(&*r.signature.as_ref().unwrap().identity, "portal-1");
    assert_eq!(r.signature.as_ref().unwrap().query_form, QueryForm::Raw);

    // an unsigned redirect (the controller signs only when configured to)
    let unsigned = "https://portal.example.net/ecp/login?token=abc&wlan=1&dest=http%3A%2F%2Fx%2F&vlan=4094";
    let r = ControllerRedirect::from_query(&parse_unsigned(unsigned, 4096).unwrap()).unwrap();
    assert_eq!((r.vlan, r.signature), (Some(4094), None));

    // typed errors for bad values and missing parameters
    let bad = |q: &str| {
        let url = format!("https://p/x?{q}");
        ControllerRedirect::from_query(&parse_unsigned(&url, 4096).unwrap())
            .map(ControllerRedirect::into_owned)
    };
    let base = "token=t&wlan=1&dest=d";
    assert_eq!(
        bad("wlan=1&dest=d").unwrap_err(),
        Error::MissingParameter("token")
    );
    assert_eq!(
        bad("token=t&dest=d").unwrap_err(),
        Error::MissingParameter("wlan")
    );
    assert_eq!(
        bad("token=t&wlan=1").unwrap_err(),
        Error::MissingParameter("dest")
    );
    assert_eq!(
        bad("token=&wlan=1&dest=d").unwrap_err(),
        Error::MissingParameter("token")
    );
    for (extra, param) in [
        ("vlan=4095", "vlan"),
        ("vlan=-1", "vlan"),
        ("vlan=12a", "vlan"),
        ("vlan=%20", "vlan"),
        ("vlan=99999", "vlan"),
        ("hwc_port=70000", "hwc_port"),
        ("mac=zz:ee:7b:97:7f:33", "mac"),
        ("bssid=0011", "bssid"),
    ] {
        match bad(&format!("{base}&{extra}")) {
            Err(Error::InvalidValue { param: p, .. }) => assert_eq!(p, param, "{extra}"),
            other => panic!("{extra}: {other:?}"),
        }
    }
}

/// What live controllers send, beside what the vendor table says: each row decodes
/// fully, with exact values.
#[test]
fn realistic_redirects_decode() {
    struct Row {
        name: &'static str,
        params: &'static [(&'static str, &'static str)],
        ssid_text: Option<&'static [u8]>,
        ssid_auto: Option<&'static [u8]>,
        vlan: Option<u16>,
        extras: &'static [(&'static str, &'static str)],
    }
    const BASE: [(&str, &str); 3] = [
        ("token", "T7vb1LdUZmsuY0q9V60Iww!!"),
        ("wlan", "1"),
        ("dest", "http://neverssl.com/"),
    ];
    let rows = [
        Row {
            name: "plain-text SSID and vlan=0 (live controller)",
            params: &[
                ("ssid", "Guest-WiFi"),
                ("vlan", "0"),
                ("hwc_ip", "10.10.21.6"),
                ("hwc_port", "443"),
            ],
            ssid_text: Some(b"Guest-WiFi"),
            ssid_auto: Some(b"Guest-WiFi"),
            vlan: None,
            extras: &[],
        },
        Row {
            name: "hex SSID (vendor table)",
            params: &[("ssid", "47756573742d57694669"), ("vlan", "200")],
            ssid_text: Some(b"47756573742d57694669"),
            ssid_auto: Some(b"Guest-WiFi"),
            vlan: Some(200),
            extras: &[],
        },
        Row {
            name: "SSID with spaces, empty vlan",
            params: &[("ssid", "Guest WiFi 5GHz"), ("vlan", "")],
            ssid_text: Some(b"Guest WiFi 5GHz"),
            ssid_auto: Some(b"Guest WiFi 5GHz"),
            vlan: None,
            extras: &[],
        },
        Row {
            name: "optional fields absent",
            params: &[],
            ssid_text: None,
            ssid_auto: None,
            vlan: None,
            extras: &[],
        },
        Row {
            name: "unknown extra parameters (AP location fields), in order",
            params: &[
                ("mac", "B0-EE-7B-97-7F-33"),
                ("aploc", "Building 2 / Floor 3"),
                ("apmac", "00:11:22:33:44:55"),
                ("vns", "Guest"),
                ("ssid", "café 🙂"),
                ("apname", "AP-3rd-floor"),
                ("vlan", "4094"),
            ],
            ssid_text: Some("café 🙂".as_bytes()),
            ssid_auto: Some("café 🙂".as_bytes()),
            vlan: Some(4094),
            extras: &[
                ("aploc", "Building 2 / Floor 3"),
                ("apmac", "00:11:22:33:44:55"),
                ("apname", "AP-3rd-floor"),
            ],
        },
    ];
    let v = Verifier::new(keys());
    for row in rows {
        let params: Vec<(&str, &str)> = BASE.iter().chain(row.params).copied().collect();
        // signed (our signer sorts the query) and unsigned in the controller's order
        let signed = sign(&params, 20);
        let unsigned = format!(
            "https://portal.example.net/ecp/login?{}",
            params
                .iter()
                .map(|(k, v)| format!("{k}={}", sigv4::encode(v)))
                .collect::<Vec<_>>()
                .join("&")
        );
        let q = v.verify_url(&signed, t0()).unwrap();
        let u = parse_unsigned(&unsigned, 4096).unwrap();
        for (how, q) in [("signed", &q), ("unsigned", &u)] {
            let r = ControllerRedirect::from_query(q).unwrap_or_else(|e| panic!("{}: {how}: {e}", row.name));
            assert_eq!(r.token, "T7vb1LdUZmsuY0q9V60Iww!!");
            assert_eq!(r.dest, "http://neverssl.com/");
            let ssid = |rule| r.ssid.as_ref().map(|s| s.octets(rule).unwrap());
            assert_eq!(ssid(SsidRule::Text).as_deref(), row.ssid_text, "{}", row.name);
            assert_eq!(ssid(SsidRule::Auto).as_deref(), row.ssid_auto, "{}", row.name);
            assert_eq!(r.vlan, row.vlan, "{}", row.name);
            let extras: Vec<(&str, &str)> = r.extras.iter().map(|(k, v)| (k.as_ref(), v.as_ref())).collect();
            if how == "unsigned" {
                assert_eq!(extras, row.extras, "{}: order received", row.name);
            } else {
                let mut sorted = row.extras.to_vec();
                sorted.sort_unstable();
                assert_eq!(extras, sorted, "{}", row.name);
            }
            if let Some(mac) = &r.mac {
                assert_eq!(mac.sent, "B0-EE-7B-97-7F-33");
                assert_eq!(mac.addr, Mac([0xb0, 0xee, 0x7b, 0x97, 0x7f, 0x33]));
            }
        }
    }
}

#[test]
fn bad_input_table() {
    let k = keys();
    let v = Verifier::new(k);
    let good = sign(&[("token", "t"), ("wlan", "1"), ("dest", "d")], 20);
    let swap = |from: &str, to: &str| good.replacen(from, to, 1);
    let sig_at = good.find("X-Amz-Signature=").unwrap() + 16;
    let cases: Vec<(&str, String, Error)> = vec![
        (
            "too long",
            format!("{good}&pad={}", "x".repeat(5000)),
            Error::UrlTooLong {
                len: good.len() + 5005,
                max: 4096,
            },
        ),
        (
            "not a URL",
            "portal.example.net/x?a=b".into(),
            Error::InvalidUrl { reason: "no scheme" },
        ),
        (
            "duplicate key",
            format!("{good}&wlan=2"),
            Error::DuplicateParameter { name: "wlan".into() },
        ),
        (
            "duplicate X-Amz key",
            swap("wlan=1", "wlan=1&X-Amz-Date=20261122T120000Z"),
            Error::DuplicateParameter {
                name: "X-Amz-Date".into(),
            },
        ),
        (
            "encoded X-Amz name",
            swap("wlan=1", "wlan=1&X%2DAmz-Foo=1"),
            Error::EncodedAmzName {
                name: "X%2DAmz-Foo".into(),
            },
        ),
        (
            "encoded x-amz name, lower case",
            swap("wlan=1", "wlan=1&%78-amz-date=1"),
            Error::EncodedAmzName {
                name: "%78-amz-date".into(),
            },
        ),
        (
            "bad percent-encoding",
            swap("wlan=1", "wlan=1&x=%G1"),
            Error::BadPercentEncoding { value: "%G1".into() },
        ),
        (
            "missing signature",
            good[..sig_at - 17].to_string(),
            Error::MissingParameter("X-Amz-Signature"),
        ),
        (
            "missing date",
            swap("X-Amz-Date=20261122T120000Z&", ""),
            Error::MissingParameter("X-Amz-Date"),
        ),
        (
            "missing algorithm",
            swap("X-Amz-Algorithm=AWS4-HMAC-SHA256&", ""),
            Error::MissingParameter("X-Amz-Algorithm"),
        ),
        (
            "missing credential",
            swap(
                "X-Amz-Credential=portal-1%2F20261122%2Fworld%2Fecp%2Faws4_request&",
                "",
            ),
            Error::MissingParameter("X-Amz-Credential"),
        ),
        (
            "missing expires",
            swap("X-Amz-Expires=20&", ""),
            Error::MissingParameter("X-Amz-Expires"),
        ),
        (
            "missing signed headers",
            swap("X-Amz-SignedHeaders=host&", ""),
            Error::MissingParameter("X-Amz-SignedHeaders"),
        ),
        (
            "wrong algorithm",
            swap("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA1"),
            Error::WrongAlgorithm("AWS4-HMAC-SHA1".into()),
        ),
        (
            "wrong region",
            swap("%2Fworld%2F", "%2Fus-east-1%2F"),
            Error::WrongRegion {
                got: "us-east-1".into(),
                expected: "world",
            },
        ),
        (
            "wrong service",
            swap("%2Fecp%2F", "%2Fs3%2F"),
            Error::WrongService {
                got: "s3".into(),
                expected: "ecp",
            },
        ),
        (
            "wrong terminator",
            swap("aws4_request", "aws5_request"),
            Error::WrongTerminator("aws5_request".into()),
        ),
        ("short credential", swap("portal-1%2F", ""), Error::BadCredential),
        ("empty identity", swap("portal-1%2F", "%2F"), Error::BadCredential),
        (
            "credential date mismatch",
            swap("%2F20261122%2F", "%2F20261121%2F"),
            Error::CredentialDateMismatch {
                credential: "20261121".into(),
                amz_date: "20261122T120000Z".into(),
            },
        ),
        (
            "bad date",
            swap("X-Amz-Date=20261122T120000Z", "X-Amz-Date=20261122T250000Z"),
            Error::BadDate {
                value: "20261122T250000Z".into(),
            },
        ),
        (
            "bad expires",
            swap("X-Amz-Expires=20", "X-Amz-Expires=2O"),
            Error::BadExpires("2O".into()),
        ),
        (
            "negative expires",
            swap("X-Amz-Expires=20", "X-Amz-Expires=-20"),
            Error::BadExpires("-20".into()),
        ),
        (
            "huge expires",
            swap("X-Amz-Expires=20", "X-Amz-Expires=99999999999999999999"),
            Error::BadExpires("99999999999999999999".into()),
        ),
        (
            "signed headers",
            swap("X-Amz-SignedHeaders=host", "X-Amz-SignedHeaders=host%3Bx"),
            Error::WrongSignedHeaders("host%3Bx".into()),
        ),
        (
            "short signature",
            good[..good.len() - 1].to_string(),
            Error::BadSignatureFormat { len: 63 },
        ),
        (
            "non-hex signature",
            format!("{}z", &good[..good.len() - 1]),
            Error::BadSignatureFormat { len: 64 },
        ),
        ("altered value", swap("wlan=1", "wlan=2"), Error::BadSignature),
        (
            "altered host",
            swap("portal.example.net", "portal.example.org"),
            Error::BadSignature,
        ),
        (
            "altered path",
            swap("/ecp/login", "/ecp/logon"),
            Error::BadSignature,
        ),
        (
            "added parameter",
            format!("{good}&role=admin"),
            Error::BadSignature,
        ),
    ];
    for (name, url, expected) in cases {
        assert_eq!(v.verify_url(&url, t0()).unwrap_err(), expected, "{name}");
    }
    // the host is compared lowercase and the fragment is ignored
    v.verify_url(&swap("portal.example.net", "PORTAL.Example.NET"), t0())
        .unwrap();
    v.verify_url(&format!("{good}#frag"), t0()).unwrap();
}

#[test]
fn raw_query_rule_accepts_literal_reserved_characters() {
    // A controller that signs `!!` raw: build such a URL by hand with the engine.
    use ecp_sigv4::sigv4::{self, SigningKey};
    let raw = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=portal-1%2F20261122%2Fworld%2Fecp%2Faws4_request&X-Amz-Date=20261122T120000Z&X-Amz-Expires=20&X-Amz-SignedHeaders=host&dest=http%3A%2F%2Fx%2F&token=abc!!&wlan=1";
    let creq = sigv4::canonical_request(
        "GET",
        "/login",
        raw,
        "host:portal.example.net\n",
        "host",
        sigv4::UNSIGNED_PAYLOAD,
    );
    let sts = sigv4::string_to_sign("20261122T120000Z", "20261122/world/ecp/aws4_request", &creq);
    let sig = SigningKey::derive(b"s3cret", "20261122", "world", "ecp").sign(&sts);
    // parameters in the controller's own order, signature in the middle
    let url = format!(
        "https://portal.example.net/login?token=abc!!&wlan=1&X-Amz-Signature={}&dest=http%3A%2F%2Fx%2F&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=portal-1%2F20261122%2Fworld%2Fecp%2Faws4_request&X-Amz-Date=20261122T120000Z&X-Amz-Expires=20&X-Amz-SignedHeaders=host",
        hex(&sig)
    );
    let k = keys();
    let q = Verifier::new(k.clone()).verify_url(&url, t0()).unwrap();
    assert_eq!(q.get("token").unwrap().as_deref(), Some("abc!!"));
    // re-encoding `!` would break it: the same URL with %21%21 does not verify
    assert_eq!(
        Verifier::new(k)
            .verify_url(&url.replace("!!", "%21%21"), t0())
            .unwrap_err(),
        Error::BadSignature
    );
}

/// Port 0 reaches no server: refused wherever a port is read or written (a URL, the
/// controller's `hwc_port`, an approval, a presign), never taken as the default port.
/// Ports 1 and 65535 stay usable.
#[test]
fn port_zero_is_refused_everywhere() {
    const ZERO: &str = "port 0 is not a usable port";
    let signer = Signer::new("portal-1", Secret::from("s3cret")).expires(60);
    let verifier = Verifier::new(keys());
    for url in [
        "https://portal.example.net:0/ecp/login?token=t",
        "http://[2001:db8::1]:000/x",
    ] {
        assert_eq!(
            verifier.verify_url(url, t0()).unwrap_err(),
            Error::InvalidUrl { reason: ZERO },
            "{url}"
        );
        assert_eq!(
            parse_unsigned(url, 4096).unwrap_err(),
            Error::InvalidUrl { reason: ZERO },
            "{url}"
        );
    }
    assert_eq!(
        signer
            .presign("https", "portal.example.net", Some(0), "/", &[], t0())
            .unwrap_err(),
        Error::InvalidUrl { reason: ZERO }
    );
    let redirect = parse_unsigned("https://p/x?token=t&wlan=1&dest=d&hwc_port=0", 4096).unwrap();
    assert_eq!(
        ControllerRedirect::from_query(&redirect).unwrap_err(),
        Error::InvalidValue {
            param: "hwc_port".into(),
            reason: ZERO
        }
    );
    let approval = Approval {
        token: "t".into(),
        wlan: "1".into(),
        username: "u".into(),
        dest: None,
        role: None,
        opt27: None,
    };
    assert_eq!(
        approval.signed_url("10.0.0.1", 0, &signer, t0()).unwrap_err(),
        Error::InvalidValue {
            param: "hwc_port".into(),
            reason: ZERO
        }
    );
    for port in [1u16, 65535] {
        let url = approval.signed_url("10.0.0.1", port, &signer, t0()).unwrap();
        assert!(url.starts_with(&format!("https://10.0.0.1:{port}/")), "{url}");
        let url = format!("https://p/x?token=t&wlan=1&dest=d&hwc_port={port}");
        let q = parse_unsigned(&url, 4096).unwrap();
        assert_eq!(ControllerRedirect::from_query(&q).unwrap().hwc_port, Some(port));
    }
}

#[test]
fn ipv6_controller_and_port_in_approval() {
    let signer = Signer::new("portal-1", Secret::from("s3cret")).expires(60);
    let a = Approval {
        token: "t".into(),
        wlan: "1".into(),
        username: "u".into(),
        dest: None,
        role: None,
        opt27: None,
    };
    let url = a.signed_url("2001:db8::6", 8443, &signer, t0()).unwrap();
    assert_eq!(url, a.signed_url("[2001:db8::6]", 8443, &signer, t0()).unwrap());
    assert!(
        url.starts_with("https://[2001:db8::6]:8443/ext_approval.php?"),
        "{url}"
    );
    let url80 = a.signed_url("10.0.0.1", 80, &signer, t0()).unwrap();
    assert!(url80.starts_with("http://10.0.0.1/ext_approval.php?"), "{url80}");
    let k = keys();
    for u in [&url, &url80] {
        let q = Verifier::new(k.clone()).verify_url(u, t0()).unwrap();
        assert_eq!(Approval::from_query(&q).unwrap(), a);
    }
    let mut no_user = a;
    no_user.username.clear();
    assert_eq!(
        no_user.signed_url("10.0.0.1", 443, &signer, t0()).unwrap_err(),
        Error::MissingParameter("username")
    );
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        ".*",
        "[ -~]{0,40}",
        Just(String::new()),
        Just("!!*'();:@&=+$,/?#[] %".to_string()),
        Just("ሴ 日本語 🙂".to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn sign_then_verify_any_values(
        token in any_text(), dest in any_text(), user in any_text(), role in any_text(),
        extra_key in "[a-z][a-z0-9_]{0,10}", extra in any_text(), opt27 in any::<u32>(),
        port in prop_oneof![Just(443u16), Just(80u16), 1u16..],
    ) {
        prop_assume!(!token.is_empty() && !user.is_empty());
        prop_assume!(!["token", "wlan", "username", "dest", "role", "opt27"].contains(&extra_key.as_str()));
        let signer = Signer::new("portal-1", Secret::from("s3cret")).expires(60);
        let params = [("token", token.as_str()), ("wlan", "1"), ("username", user.as_str()),
            ("dest", dest.as_str()), ("role", role.as_str()), (extra_key.as_str(), extra.as_str())];
        let url = signer.presign(if port == 80 { "http" } else { "https" }, "ctl.example", Some(port), "/ext_approval.php", &params, t0()).unwrap();
        let k = keys();
        let q = Verifier::new(k.clone()).verify_url(&url, t0()).unwrap();
        for (name, value) in params {
            let got = q.get(name).unwrap();
            prop_assert_eq!(got.as_deref(), Some(value));
        }
        // the strict AWS rule gives the same canonical query: raw == canonical
        let u = Url::parse(&url).unwrap();
        let strict = sigv4::canonical_query_strict(sigv4::split_query(u.query).filter(|(k, _)| *k != "X-Amz-Signature")).unwrap();
        prop_assert_eq!(strict, sigv4::canonical_query_raw(u.query));
        let a = Approval { token: token.clone(), wlan: "1".into(), username: user.clone(), dest: Some(dest.clone()), role: Some(role.clone()), opt27: Some(opt27) };
        let approval_url = a.signed_url("10.1.2.3", port, &signer, t0()).unwrap();
        let back = Verifier::new(k).verify_url(&approval_url, t0()).unwrap();
        let mut parsed = Approval::from_query(&back).unwrap();
        if dest.is_empty() { parsed.dest = Some(String::new()); }
        if role.is_empty() { parsed.role = Some(String::new()); }
        prop_assert_eq!(parsed, a);
    }

    #[test]
    fn any_single_byte_change_fails(pos in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let url = sign(REDIRECT, 20);
        let mut bytes = url.clone().into_bytes();
        let i = pos.index(bytes.len());
        prop_assume!(bytes[i] != byte);
        bytes[i] = byte;
        let k = keys();
        let Ok(changed) = String::from_utf8(bytes) else { return Ok(()) };
        // changing the case of the host or a hex digit of the signature, or the
        // fragment, is not a change of meaning; everything else must fail
        let same_meaning = changed.eq_ignore_ascii_case(&url)
            && (url[..i].matches('/').count() < 3 || url[..i].contains("X-Amz-Signature="));
        let r = Verifier::new(k).verify_url(&changed, t0());
        if !same_meaning {
            prop_assert!(r.is_err(), "{changed}");
        }
    }
}

#[test]
fn key_cache_stays_correct_across_days_and_eviction() {
    let signer = Signer::new("portal-1", Secret::from("s3cret")).expires(60);
    let k = keys();
    let v = Verifier::new(k);
    // 40 different days: more than the cache holds; each verifies, twice
    for day in 0..40u64 {
        let when = t0() + Duration::from_secs(day * 86_400);
        let url = signer
            .presign("https", "p.example", None, "/x", &[("token", "t")], when)
            .unwrap();
        v.verify_url(&url, when).unwrap();
        v.verify_url(&url, when).unwrap();
        // a URL of that day signed with another secret still fails with the key cached
        let bad = Signer::new("portal-1", Secret::from("other"));
        let bad_url = bad
            .presign("https", "p.example", None, "/x", &[("token", "t")], when)
            .unwrap();
        assert_eq!(v.verify_url(&bad_url, when).unwrap_err(), Error::BadSignature);
    }
    // the signer keeps one day's key: going back a day, or forth, signs exactly as a
    // fresh signer does
    for day in [3u64, 39, 3, 3, 0] {
        let when = t0() + Duration::from_secs(day * 86_400 + 7);
        let sign = |s: &Signer| {
            s.presign("https", "p.example", None, "/x", &[("token", "t")], when)
                .unwrap()
        };
        let url = sign(&signer);
        assert_eq!(
            url,
            sign(&Signer::new("portal-1", Secret::from("s3cret")).expires(60))
        );
        v.verify_url(&url, when).unwrap();
    }
}

#[test]
fn identities_with_escapes_in_the_credential() {
    for identity in ["my portal", "ecp+1", "ünïcode", "plain-portal"] {
        let signer = Signer::new(identity, Secret::from("s3cret")).expires(60);
        let url = signer
            .presign("https", "p.example", None, "/x", &[("token", "t")], t0())
            .unwrap();
        let mut k = Keyring::new();
        k.insert(identity, Secret::from("s3cret"));
        let q = Verifier::new(k.clone()).verify_url(&url, t0()).unwrap();
        let info = q.signature().unwrap();
        assert_eq!(&*info.identity, identity);
    }
}

/// H9: `now` or `X-Amz-Date` anywhere in the i64 range gives a typed time error, never
/// an arithmetic overflow (the window edges used to be subtracted unchecked).
#[test]
fn far_times_saturate() {
    let signer = Signer::new("portal-1", Secret::from("s3cret")).expires(20);
    let v = Verifier::new(keys());
    let year1 = SystemTime::UNIX_EPOCH - Duration::from_secs(62_135_596_800); // 0001-01-01
    let old = signer
        .presign("https", "p.example", None, "/x", &[("token", "t")], year1)
        .unwrap();
    let recent = sign(&[("token", "t")], 20);
    let far_future = SystemTime::UNIX_EPOCH + Duration::from_secs(i64::MAX as u64);
    let far_past = SystemTime::UNIX_EPOCH - Duration::from_secs(i64::MAX as u64);
    assert!(matches!(
        v.verify_url(&old, far_future),
        Err(Error::Expired { secs_late: i64::MAX })
    ));
    assert!(matches!(
        v.verify_url(&recent, far_past),
        Err(Error::NotYetValid { secs_early: i64::MAX })
    ));
    // huge skew and grace saturate as well
    let lax = Verifier::new(keys())
        .max_future_skew(Duration::MAX)
        .expiry_grace(Duration::MAX);
    lax.verify_url(&old, year1 + Duration::from_secs(1 << 40))
        .unwrap();
    lax.verify_url(&recent, far_past).unwrap_err();
}

/// Issue 12 (2): owned verifier and signer, in a `static` and across threads, with
/// secrets that change while serving.
#[test]
fn owned_verifier_and_signer_live_in_statics_and_rotate_keys() {
    use std::sync::{Arc, OnceLock};
    static SIGNER: OnceLock<Signer> = OnceLock::new();
    static VERIFIER: OnceLock<(SharedKeyring, Verifier)> = OnceLock::new();
    let signer = SIGNER.get_or_init(|| Signer::new("portal-1", Secret::from("s3cret")).expires(20));
    let (live, verifier) = VERIFIER.get_or_init(|| {
        let live = SharedKeyring::new(keys());
        (live.clone(), Verifier::new(live))
    });
    let url = signer
        .presign("https", "p.example", None, "/x", &[("token", "t")], t0())
        .unwrap();
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| verifier.verify_url(&url, t0()).unwrap());
        }
    });
    // rotation without a restart: the new secret first, the old one still accepted
    let mut rotated = Keyring::new();
    rotated
        .insert("portal-1", Secret::from("new"))
        .insert("portal-1", Secret::from("s3cret"));
    live.replace(rotated);
    assert_eq!(
        verifier
            .verify_url(&url, t0())
            .unwrap()
            .signature()
            .unwrap()
            .secret_index,
        1
    );
    // ... then the old secret is retired: the cached key of the old secret is not used
    let mut retired = Keyring::new();
    retired.insert("portal-1", Secret::from("new"));
    live.replace(retired);
    assert_eq!(verifier.verify_url(&url, t0()).unwrap_err(), Error::BadSignature);

    // a callback lookup (e.g. a secret store); fresh Arcs each call still verify
    let calls = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    let by_callback = Verifier::new(move |identity: &str| {
        counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if identity == "portal-1" {
            vec![Arc::new(Secret::from("s3cret"))]
        } else {
            Vec::new()
        }
    });
    let cloned = by_callback.clone();
    cloned.verify_url(&url, t0()).unwrap();
    by_callback.verify_url(&url, t0()).unwrap();
    assert_eq!(calls.load(std::sync::atomic::Ordering::Relaxed), 2);

    // a signer stored in a struct, cloned, and a shared secret
    struct Service {
        signer: Signer,
    }
    let svc = Service {
        signer: signer.clone(),
    };
    assert_eq!(
        svc.signer
            .presign("https", "p.example", None, "/x", &[("token", "t")], t0())
            .unwrap(),
        url
    );
    let shared = Arc::new(Secret::from("s3cret"));
    let s2 = Signer::with_shared_secret("portal-1", shared).expires(20);
    assert_eq!(
        s2.presign("https", "p.example", None, "/x", &[("token", "t")], t0())
            .unwrap(),
        url
    );
}

/// Issue 12 (3): the signer refuses hosts that are not hosts and parameters that are
/// the signature's; `hwc_ip` can be checked against an allow-list.
#[test]
fn signer_side_safety() {
    let signer = Signer::new("portal-1", Secret::from("s3cret"));
    let a = Approval {
        token: "t".into(),
        wlan: "1".into(),
        username: "u".into(),
        dest: None,
        role: None,
        opt27: None,
    };
    for host in [
        "",
        "evil.com/x?",
        "evil.com#",
        "10.0.0.1:8443",
        "a b",
        "user@evil.com",
        "[::1",
    ] {
        assert_eq!(
            a.signed_url(host, 443, &signer, t0()).unwrap_err(),
            Error::InvalidHost { host: host.into() },
            "{host:?}"
        );
    }
    for name in ["X-Amz-Signature", "x-amz-date", "X-AMZ-Anything"] {
        assert_eq!(
            signer
                .presign(
                    "https",
                    "p.example",
                    None,
                    "/x",
                    &[("token", "t"), (name, "0")],
                    t0()
                )
                .unwrap_err(),
            Error::ReservedParameter { name: name.into() }
        );
    }
    assert!(matches!(
        signer.presign("https", "p.example", None, "x?y", &[], t0()),
        Err(Error::InvalidUrl { .. })
    ));
    assert!(matches!(
        signer.presign("ftp", "p.example", None, "/x", &[], t0()),
        Err(Error::InvalidUrl { .. })
    ));

    // allow-list of controllers for unsigned redirects
    let allowed: [std::net::IpAddr; 2] = ["10.10.21.6".parse().unwrap(), "2001:db8::6".parse().unwrap()];
    let redirect = |q: &str| {
        ControllerRedirect::from_query(
            &parse_unsigned(&format!("https://p/x?token=t&wlan=1&dest=d{q}"), 4096).unwrap(),
        )
        .unwrap()
        .into_owned()
    };
    assert_eq!(
        redirect("&hwc_ip=10.10.21.6&hwc_port=8443")
            .controller_allowed(&allowed)
            .unwrap(),
        (allowed[0], 8443)
    );
    assert_eq!(
        redirect("&hwc_ip=%5B2001%3Adb8%3A%3A6%5D")
            .controller_allowed(&allowed)
            .unwrap(),
        (allowed[1], 443)
    );
    for q in [
        "&hwc_ip=10.10.21.7",
        "&hwc_ip=evil.example",
        "&hwc_ip=10.10.21.6.evil",
    ] {
        assert!(
            matches!(
                redirect(q).controller_allowed(&allowed),
                Err(Error::ControllerNotAllowed { .. })
            ),
            "{q}"
        );
    }
    assert_eq!(
        redirect("").controller_allowed(&allowed).unwrap_err(),
        Error::MissingParameter("hwc_ip")
    );
}

/// Issue 12 (4): an empty canonical path, as a switch on both sides.
#[test]
fn empty_path_switch() {
    let signer = Signer::new("portal-1", Secret::from("s3cret")).empty_path(EmptyPath::Empty);
    let url = signer
        .presign("https", "portal.example.net", None, "", &[("token", "t")], t0())
        .unwrap();
    assert!(
        url.starts_with("https://portal.example.net?X-Amz-Algorithm="),
        "{url}"
    );
    Verifier::new(keys())
        .empty_path(EmptyPath::Empty)
        .verify_url(&url, t0())
        .unwrap();
    assert_eq!(
        Verifier::new(keys()).verify_url(&url, t0()).unwrap_err(),
        Error::BadSignature
    );
    // the default signs an empty path as "/" and emits it
    let default = Signer::new("portal-1", Secret::from("s3cret"))
        .presign("https", "portal.example.net", None, "", &[("token", "t")], t0())
        .unwrap();
    assert!(default.starts_with("https://portal.example.net/?"), "{default}");
    Verifier::new(keys()).verify_url(&default, t0()).unwrap();
    // a URL received without a path verifies under "/" by default
    Verifier::new(keys())
        .verify_url(&default.replacen(".net/?", ".net?", 1), t0())
        .unwrap();
}

/// A framework's re-serialization: decode, then encode with `+` for a space and
/// `%XX` (uppercase) for everything but `A-Za-z0-9-_.~` (PHP `http_build_query`,
/// Python `urlencode`).
fn reserialize(query: &str) -> String {
    query
        .split('&')
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let enc = |s: &str| {
                let bytes: Vec<u8> = percent_encoding::percent_decode_str(s).collect();
                bytes
                    .iter()
                    .map(|&b| match b {
                        b' ' => "+".to_string(),
                        b if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) => char::from(b).to_string(),
                        b => format!("%{b:02X}"),
                    })
                    .collect::<String>()
            };
            format!("{}={}", enc(k), enc(v))
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Issue 12 (4): the re-serialized-query fallback, off by default.
#[test]
fn reserialized_query_fallback() {
    use ecp_sigv4::sigv4::SigningKey;
    // a controller-style redirect: `!!` raw and `%20` for the space in `vns`
    let query = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=portal-1%2F20261122%2Fworld%2Fecp%2Faws4_request&X-Amz-Date=20261122T120000Z&X-Amz-Expires=20&X-Amz-SignedHeaders=host&dest=http%3A%2F%2Fx%2F&token=abc!!&vns=Guest%20VNS&wlan=1";
    let creq = format!("GET\n/login\n{query}\nhost:portal.example.net\n\nhost\nUNSIGNED-PAYLOAD");
    let sts = sigv4::string_to_sign("20261122T120000Z", "20261122/world/ecp/aws4_request", &creq);
    let sig = hex(&SigningKey::derive(b"s3cret", "20261122", "world", "ecp").sign(&sts));
    let raw = format!("https://portal.example.net/login?{query}&X-Amz-Signature={sig}");
    let framework = format!(
        "https://portal.example.net/login?{}&X-Amz-Signature={sig}",
        reserialize(query)
    );
    assert!(
        framework.contains("token=abc%21%21") && framework.contains("vns=Guest+VNS"),
        "{framework}"
    );

    let strict = Verifier::new(keys());
    let tolerant = Verifier::new(keys()).reserialized_query_fallback(true);
    assert_eq!(
        strict.verify_url(&framework, t0()).unwrap_err(),
        Error::BadSignature
    );
    let q = tolerant.verify_url(&raw, t0()).unwrap();
    assert_eq!(q.signature().unwrap().query_form, QueryForm::Raw);
    let q = tolerant.verify_url(&framework, t0()).unwrap();
    assert_eq!(
        q.signature().unwrap().query_form,
        QueryForm::ReencodedUriComponent
    );
    let r = ControllerRedirect::from_query(&q).unwrap();
    assert_eq!((r.token.as_ref(), r.vns.as_deref()), ("abc!!", Some("Guest VNS")));

    // what our own signer emits, re-serialized, matches the strict re-encoding
    let ours = sign(&[("token", "a b!"), ("wlan", "1"), ("dest", "d")], 20);
    let (base, q) = ours.split_once('?').unwrap();
    let (q, sig) = q.rsplit_once("&X-Amz-Signature=").unwrap();
    let re = format!("{base}?{}&X-Amz-Signature={sig}", reserialize(q));
    assert_ne!(re, ours);
    let q = tolerant.verify_url(&re, t0()).unwrap();
    assert_eq!(q.signature().unwrap().query_form, QueryForm::ReencodedStrict);
    assert_eq!(q.get("token").unwrap().as_deref(), Some("a b!"));
    // a name the framework encoded is found by its decoded name
    let encoded_name = re.replacen("token=", "%74oken=", 1);
    let q = tolerant.verify_url(&encoded_name, t0()).unwrap();
    assert_eq!(q.get("token").unwrap().as_deref(), Some("a b!"));
    assert_eq!(ControllerRedirect::from_query(&q).unwrap().token, "a b!");
    assert_eq!(
        strict.verify_url(&encoded_name, t0()).unwrap_err(),
        Error::BadSignature
    );
    // names that decode alike are one parameter, repeated
    assert_eq!(
        parse_unsigned("https://p/x?token=a&%74oken=b", 4096).unwrap_err(),
        Error::DuplicateParameter { name: "token".into() }
    );
    let q = parse_unsigned("https://p/x?token=t&wlan=1&dest=d&ap%20loc=2", 4096).unwrap();
    assert_eq!(q.get("ap loc").unwrap().as_deref(), Some("2"));

    // repeated keys stay an error; altered values still fail
    assert_eq!(
        tolerant
            .verify_url(&format!("{framework}&wlan=1"), t0())
            .unwrap_err(),
        Error::DuplicateParameter { name: "wlan".into() }
    );
    assert_eq!(
        tolerant
            .verify_url(&framework.replace("abc%21%21", "abd%21%21"), t0())
            .unwrap_err(),
        Error::BadSignature
    );
}

/// Issue 12 (5): messages a portal developer can act on.
#[test]
fn error_messages() {
    let v = Verifier::new(keys());
    let good = sign(&[("token", "t"), ("wlan", "1"), ("dest", "d"), ("vns", "v")], 20);
    let msg = |r: Result<SignedQuery<'_>, Error>| r.unwrap_err().to_string();
    let cases: [(&str, String, &[&str]); 5] = [
        (
            "bad signature",
            msg(v.verify_url(&good.replace("wlan=1", "wlan=2"), t0())),
            &[
                "shared secret",
                "host, port, path",
                "re-encoded the query",
                "reserialized_query_fallback",
            ],
        ),
        (
            "not signed",
            msg(v.verify_url("https://p.example/x?token=t&wlan=1&dest=d", t0())),
            &[
                "not signed",
                "no X-Amz-* parameters",
                "Identity and Shared Secret",
                "WLAN",
            ],
        ),
        (
            "bad hex counts characters",
            msg(v.verify_url(&format!("{}é", &good[..good.len() - 2]), t0())),
            &["64 hex digits, got 63 characters"],
        ),
        (
            "non-UTF-8 names its parameter",
            ControllerRedirect::from_query(
                &parse_unsigned("https://p/x?token=t&wlan=1&dest=d&vns=%FF", 4096).unwrap(),
            )
            .unwrap_err()
            .to_string(),
            &["parameter \"vns\" is not UTF-8"],
        ),
        (
            "SSID hex rule",
            ControllerRedirect::from_query(
                &parse_unsigned("https://p/x?token=t&wlan=1&dest=d&ssid=67756", 4096).unwrap(),
            )
            .unwrap()
            .ssid
            .unwrap()
            .octets(SsidRule::Hex)
            .unwrap_err()
            .to_string(),
            &["invalid ssid", "even number of hex digits"],
        ),
    ];
    for (name, message, needles) in cases {
        for needle in needles {
            assert!(message.contains(needle), "{name}: {message:?} lacks {needle:?}");
        }
    }
}
