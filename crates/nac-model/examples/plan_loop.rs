//! A fixed number of intent -> plan -> encoded CoA-Request iterations, for
//! load-independent instruction counts of the `benches/benches/nac.rs` cases:
//!
//! ```text
//! cargo build --release -p nac-model --example plan_loop
//! perf stat -e instructions:u target/release/examples/plan_loop cisco 100000
//! perf stat -e instructions:u target/release/examples/plan_loop cisco 0   # set-up only
//! ```
//!
//! Cases: `cisco`, `aruba`, `juniper`, `generic`, `plan-only`, `encode-only`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::time::{Duration, UNIX_EPOCH};

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

fn main() {
    let mut args = std::env::args().skip(1);
    let case = args.next().unwrap_or_else(|| "cisco".into());
    let n: u64 = args.next().map_or(100_000, |a| a.parse().unwrap());
    let s = session();
    let secret = SharedSecret::from("testing123");
    let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let (profile, intent) = match case.as_str() {
        "cisco" | "plan-only" | "encode-only" => {
            (Profile::CISCO_IOS, Intent::Reauthenticate(ReauthKind::Last))
        }
        "aruba" => (Profile::ARUBA_CX, Intent::ChangeRole("employee".into())),
        "juniper" => (
            Profile::JUNIPER_MX,
            Intent::ActivateService(ServiceRef::new("tiered").with_params(["1280000", "5120000"])),
        ),
        "generic" => (Profile::GENERIC, Intent::DISCONNECT),
        other => panic!("unknown case {other}"),
    };
    let plan = profile.plan(&s, &intent, now).unwrap();
    let mut total = 0usize;
    for _ in 0..n {
        total += match case.as_str() {
            "plan-only" => profile
                .plan(black_box(&s), black_box(&intent), now)
                .unwrap()
                .attrs
                .len(),
            "encode-only" => black_box(&plan).encode(7, &secret).unwrap().as_bytes().len(),
            _ => profile
                .plan(black_box(&s), black_box(&intent), now)
                .unwrap()
                .encode(7, &secret)
                .unwrap()
                .as_bytes()
                .len(),
        };
    }
    println!("{case} {n} {total}");
}
