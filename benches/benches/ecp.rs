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
use std::time::Duration;

use common::ecp::*;
use criterion::{criterion_group, criterion_main, Criterion};
use ecp_sigv4::sigv4::{self, SigningKey};
use ecp_sigv4::{ControllerRedirect, Keyring, Secret, Signer, Verifier};

mod common {
    pub(crate) mod ecp;
}

fn bench(c: &mut Criterion) {
    let mut keys = Keyring::new();
    keys.insert("BigAuthInc", Secret::from(SECRET));
    let url = redirect_url();
    let verifier = Verifier::new(keys);
    let creq = canonical_request(&url);
    let sts_prefix = STS_PREFIX;

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

    let signer = Signer::new("BigAuthInc", Secret::from(SECRET)).expires(60);
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
            let signer = Signer::new("BigAuthInc", Secret::from(SECRET)).expires(60);
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
