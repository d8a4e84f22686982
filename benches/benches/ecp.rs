//! ECP SigV4 benchmarks: verify a signed controller redirect and sign an approval,
//! against the floor of the work they must do (five HMAC-SHA256 and one SHA-256), and
//! aws-sigv4's presign of the same approval URL.
//!
//! Run: `cargo bench -p nacwire-benches --bench ecp`
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use std::hint::black_box;
use std::time::{Duration, SystemTime};

use criterion::{criterion_group, criterion_main, Criterion};
use ecp_sigv4::sigv4::{self, SigningKey};
use ecp_sigv4::{Approval, ControllerRedirect, Keyring, Secret, Signer, Verifier};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

const SECRET: &str = "ecp-sigv4-synthetic-test-secret";

fn now() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_406_648_274) // 2014-07-29T15:37:54Z
}

fn approval() -> Approval {
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
fn redirect_url(secret: &Secret) -> String {
    let signer = Signer::new("BigAuthInc", secret).expires(20);
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

type HmacSha256 = Hmac<Sha256>;

fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut m = HmacSha256::new_from_slice(key).unwrap();
    m.update(data);
    m.finalize().into_bytes().into()
}

/// The steady-state floor with a cached signing key: one SHA-256 of the canonical
/// request and one HMAC-SHA256 from an already keyed state.
fn floor_cached(creq: &[u8], sts_prefix: &str, key: &HmacSha256) -> [u8; 32] {
    let hash = sigv4::hex(&Sha256::digest(creq));
    let mut sts = String::with_capacity(sts_prefix.len() + 64);
    sts.push_str(sts_prefix);
    sts.push_str(&hash);
    let mut m = key.clone();
    m.update(sts.as_bytes());
    m.finalize().into_bytes().into()
}

fn keyed_state() -> HmacSha256 {
    let mut k = b"AWS4".to_vec();
    k.extend_from_slice(SECRET.as_bytes());
    let k = hmac(&k, b"20140729");
    let k = hmac(&k, b"world");
    let k = hmac(&k, b"ecp");
    let k = hmac(&k, b"aws4_request");
    HmacSha256::new_from_slice(&k).unwrap()
}

/// Five HMAC-SHA256 (four for the key, one for the signature) and one SHA-256 of the
/// canonical request, on inputs of the real sizes.
fn floor(creq: &[u8], sts_prefix: &str) -> [u8; 32] {
    let hash = sigv4::hex(&Sha256::digest(creq));
    let mut k = b"AWS4".to_vec();
    k.extend_from_slice(SECRET.as_bytes());
    let k = hmac(&k, b"20140729");
    let k = hmac(&k, b"world");
    let k = hmac(&k, b"ecp");
    let k = hmac(&k, b"aws4_request");
    let mut sts = String::with_capacity(sts_prefix.len() + 64);
    sts.push_str(sts_prefix);
    sts.push_str(&hash);
    hmac(&k, sts.as_bytes())
}

fn bench(c: &mut Criterion) {
    let secret = Secret::from(SECRET);
    let mut keys = Keyring::new();
    keys.insert("BigAuthInc", Secret::from(SECRET));
    let url = redirect_url(&secret);
    let verifier = Verifier::new(&keys);
    let u = ecp_sigv4::Url::parse(&url).unwrap();
    let creq = sigv4::canonical_request(
        "GET",
        u.path,
        &sigv4::canonical_query_raw(u.query),
        &format!("host:{}\n", u.host),
        "host",
        sigv4::UNSIGNED_PAYLOAD,
    );
    let sts_prefix = "AWS4-HMAC-SHA256\n20140729T153754Z\n20140729/world/ecp/aws4_request\n";

    let mut g = c.benchmark_group("ecp_verify_redirect");
    g.bench_function("ecp-sigv4", |b| {
        b.iter(|| {
            let q = verifier.verify_url(black_box(&url), now()).unwrap();
            ControllerRedirect::from_query(&q).unwrap()
        })
    });
    g.bench_function("ecp-sigv4-signature-only", |b| {
        b.iter(|| verifier.verify_url(black_box(&url), now()).unwrap())
    });
    g.bench_function("floor-5hmac-1sha", |b| {
        b.iter(|| floor(black_box(creq.as_bytes()), sts_prefix))
    });
    let keyed = keyed_state();
    g.bench_function("floor-cached-key-1hmac-1sha", |b| {
        b.iter(|| floor_cached(black_box(creq.as_bytes()), sts_prefix, &keyed))
    });
    g.finish();

    let signer = Signer::new("BigAuthInc", &secret).expires(60);
    let a = approval();
    let expected = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../crates/ecp-sigv4/testdata/ecp-synthetic-approval-default-port/signed-url.txt"
    ))
    .unwrap();
    assert_eq!(
        a.signed_url("10.10.21.6", 443, &signer, now()).unwrap(),
        expected.trim()
    );
    let approval_creq = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../crates/ecp-sigv4/testdata/ecp-synthetic-approval-default-port/query-canonical-request.txt"
    ))
    .unwrap();

    let mut g = c.benchmark_group("ecp_sign_approval");
    // a long-lived signer: the day's key is derived once
    g.bench_function("ecp-sigv4", |b| {
        b.iter(|| {
            black_box(&a)
                .signed_url("10.10.21.6", 443, &signer, now())
                .unwrap()
        })
    });
    // a new signer for every URL: the key is derived every time
    g.bench_function("ecp-sigv4-key-derived", |b| {
        b.iter(|| {
            let signer = Signer::new("BigAuthInc", &secret).expires(60);
            black_box(&a)
                .signed_url("10.10.21.6", 443, &signer, now())
                .unwrap()
        })
    });
    g.bench_function("floor-5hmac-1sha", |b| {
        b.iter(|| floor(black_box(&approval_creq), sts_prefix))
    });
    g.bench_function("floor-cached-key-1hmac-1sha", |b| {
        b.iter(|| floor_cached(black_box(&approval_creq), sts_prefix, &keyed))
    });
    g.bench_function("aws-sigv4", |b| {
        use aws_credential_types::Credentials;
        use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SignatureLocation, SigningSettings};
        use aws_sigv4::sign::v4;
        use aws_smithy_runtime_api::client::identity::Identity;
        let id: Identity = Credentials::new("BigAuthInc", SECRET, None, None, "ecp").into();
        // the same parameters, pre-encoded strictly so that aws-sigv4 signs the same query
        let base = "https://10.10.21.6/ext_approval.php?dest=http%3A%2F%2F1.2.3.4%2Fnews.com&opt27=36000&role=Guest_Access&token=T7vb1LdUZmsuY0q9V60Iww%21%21&username=test&wlan=1";
        b.iter(|| {
            let mut s = SigningSettings::default();
            s.signature_location = SignatureLocation::QueryParams;
            s.expires_in = Some(Duration::from_secs(60));
            let params = v4::SigningParams::builder()
                .identity(&id)
                .region("world")
                .name("ecp")
                .time(now())
                .settings(s)
                .build()
                .unwrap()
                .into();
            let req =
                SignableRequest::new("GET", black_box(base), std::iter::empty(), SignableBody::UnsignedPayload).unwrap();
            let (instructions, _sig) = sign(req, &params).unwrap().into_parts();
            let mut url = base.to_string();
            for (k, v) in instructions.params() {
                url.push('&');
                url.push_str(k);
                url.push('=');
                url.push_str(&sigv4::encode(v));
            }
            url
        })
    });
    g.finish();

    // the signing key alone, for reference: cacheable per day
    c.bench_function("sigv4_signing_key_derive", |b| {
        b.iter(|| SigningKey::derive(black_box(SECRET.as_bytes()), "20140729", "world", "ecp"))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
