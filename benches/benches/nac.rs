//! nac-model: intent -> planned and encoded CoA-Request (profile recipe, RFC 5176
//! table check, encoding with Message-Authenticator and Request Authenticator).
//!
//! Run: `cargo bench -p nacwire-benches --bench nac`
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use std::hint::black_box;
use std::time::{Duration, UNIX_EPOCH};

use criterion::{criterion_group, criterion_main, Criterion};
use nac_model::{Intent, MacAddress, Profile, ReauthKind, ServiceRef, Session, StationId, VendorSessionId};
use radius_codec::SharedSecret;

fn session() -> Session {
    let mut s = Session::default();
    s.nas.ipv4 = Some("192.0.2.10".parse().unwrap());
    s.id.user_name = Some("alice".into());
    s.id.acct_session_id = Some("0A1B2C3D-00000042".into());
    s.id.calling_station = Some(StationId::Mac("b0:ee:7b:97:7f:33".parse::<MacAddress>().unwrap()));
    s.id.nas_port = Some(50101);
    s.id.vendor_ids.push(VendorSessionId::CiscoAuditSessionId(
        "0A0B0C0D0000001A2B3C4D5E".into(),
    ));
    s
}

fn bench(c: &mut Criterion) {
    let s = session();
    let secret = SharedSecret::from("testing123");
    let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let cases = [
        (
            "cisco_ios_reauthenticate",
            Profile::CISCO_IOS,
            Intent::Reauthenticate(ReauthKind::Last),
        ),
        (
            "aruba_cx_change_role",
            Profile::ARUBA_CX,
            Intent::ChangeRole("employee".into()),
        ),
        (
            "juniper_mx_activate_service",
            Profile::JUNIPER_MX,
            Intent::ActivateService(ServiceRef::new("tiered").with_params(["1280000", "5120000"])),
        ),
        ("generic_disconnect", Profile::GENERIC, Intent::DISCONNECT),
    ];
    for (name, profile, intent) in &cases {
        c.bench_function(&format!("nac_intent_to_coa_{name}"), |b| {
            b.iter(|| {
                let plan = profile.plan(black_box(&s), black_box(intent), now).unwrap();
                plan.encode(7, &secret).unwrap()
            })
        });
    }
    // The two halves for the Cisco case: planning, and encoding the plan.
    let (_, cisco, reauth) = &cases[0];
    c.bench_function("nac_plan_only_cisco_ios_reauthenticate", |b| {
        b.iter(|| cisco.plan(black_box(&s), black_box(reauth), now).unwrap())
    });
    let plan = cisco.plan(&s, reauth, now).unwrap();
    c.bench_function("nac_encode_only_cisco_ios_reauthenticate", |b| {
        b.iter(|| black_box(&plan).encode(7, &secret).unwrap())
    });
    // The floor: the HMAC-MD5 (from a keyed state, as SharedSecret keeps it) and the
    // MD5 every such request costs, on the same packet.
    let bytes = Profile::CISCO_IOS
        .plan(&s, &Intent::Reauthenticate(ReauthKind::Last), now)
        .unwrap()
        .encode(7, &secret)
        .unwrap()
        .into_inner();
    c.bench_function("nac_floor_hmac_md5_plus_md5", |b| {
        use hmac::{Hmac, Mac};
        use md5::{Digest, Md5};
        let keyed = <Hmac<Md5> as Mac>::new_from_slice(b"testing123").unwrap();
        b.iter(|| {
            let mut m = keyed.clone();
            m.update(black_box(&bytes));
            let ma = m.finalize().into_bytes();
            let mut h = Md5::new();
            h.update(black_box(&bytes));
            h.update(b"testing123");
            (ma, h.finalize())
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
