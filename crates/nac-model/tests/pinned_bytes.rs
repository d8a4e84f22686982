//! Every builtin profile x a set of intents x three sessions, encoded, pinned to the
//! bytes the code produced before nac-model moved onto the codec's attribute
//! vocabulary (issue 10 items 1 and 6): refactors of the profile table and of the
//! plan types must not change a single encoded octet.
//!
//! `tests/data/pinned_bytes.txt` was generated at the start of that change by running
//! this test with `NAC_PIN_WRITE=1` on the code before it; regenerate it only for an
//! intended change of the wire output, and say so in the commit.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::fmt::Write as _;
use std::time::{Duration, UNIX_EPOCH};

use nac_model::{
    CalledStationId, Error, Intent, Profile, RateLimit, ReauthKind, RequestKind, ServiceRef, Session,
    SessionKind, StationId, VendorSessionId,
};
use radius_codec::SharedSecret;

/// The attributes of the `Raw` intents, in the plan vocabulary of the day.
mod raw {
    use nac_model::AttrSpec;
    use radius_codec::{AttrAddr, AttrType, Value, VendorId};

    /// Standard, vendor (tagged and not), extended and IPv6 values.
    pub(super) fn coa_attrs() -> Vec<AttrSpec> {
        vec![
            AttrSpec::text(AttrAddr::standard(11), "raw-filter"),
            AttrSpec::ietf(AttrType::SESSION_TIMEOUT, Value::Integer(120)),
            AttrSpec::text(AttrAddr::vendor_specific(VendorId::CISCO, 1), "a=b"),
            AttrSpec::text(AttrAddr::vendor_specific(VendorId::ERX, 65), "svc(1)").tagged(2),
            AttrSpec::ietf(
                AttrType::FRAMED_IPV6_PREFIX,
                Value::Ipv6Prefix("2001:db8::".parse().unwrap(), 32),
            ),
            AttrSpec::ietf(AttrType::FRAMED_INTERFACE_ID, Value::Ifid([9; 8])),
            AttrSpec::ietf(AttrType(168), Value::Ipv6Addr("2001:db8::9".parse().unwrap())),
            AttrSpec::new(AttrAddr::extended(241, 8), Value::Octets(vec![1, 2, 3].into())),
        ]
    }

    /// A Disconnect with a reply message and a framed address.
    pub(super) fn disconnect_attrs() -> Vec<AttrSpec> {
        vec![
            AttrSpec::text(AttrAddr::standard(18), "bye"),
            AttrSpec::ietf(
                AttrType::FRAMED_IP_ADDRESS,
                Value::IpAddr("10.0.0.9".parse().unwrap()),
            ),
        ]
    }
}

fn full_session() -> Session {
    let mut s = Session::default();
    s.nas.ipv4 = Some("192.0.2.10".parse().unwrap());
    s.nas.ipv6 = Some("2001:db8::10".parse().unwrap());
    s.nas.identifier = Some("nas-7".into());
    s.id.user_name = Some("alice".into());
    s.id.cui = Some(b"\x00cui-1".to_vec());
    s.id.acct_session_id = Some("0A1B2C3D-00000042".into());
    s.id.acct_multi_session_id = Some("multi-9".into());
    s.id.calling_station = Some(StationId::Mac("b0:ee:7b:97:7f:33".parse().unwrap()));
    s.id.called_station = Some(CalledStationId::parse("00-11-22-33-44-55:corp"));
    s.id.nas_port = Some(50101);
    s.id.nas_port_id = Some("1/1/3".into());
    s.id.framed_ip = Some("10.20.30.40".parse().unwrap());
    s.id.framed_ipv6_prefix = Some(("2001:db8:1::".parse().unwrap(), 48));
    s.id.framed_interface_id = Some([1, 2, 3, 4, 5, 6, 7, 8]);
    s.id.framed_ipv6_address = Some("2001:db8:1::5".parse().unwrap());
    s.id.operator_name = Some("1example.net".into());
    s.id.operator_nas_id = Some(b"opaque-nas".to_vec());
    s.id.vendor_ids.push(VendorSessionId::CiscoAuditSessionId(
        "0A0B0C0D0000001A2B3C4D5E".into(),
    ));
    s.kind = SessionKind::Dot1x;
    s.state = Some(b"st-1".to_vec());
    s
}

fn mac_auth_session() -> Session {
    let mut s = full_session();
    s.kind = SessionKind::MacAuth;
    s.state = None;
    s
}

fn sparse_session() -> Session {
    let mut s = Session::default();
    s.nas.ipv4 = Some("192.0.2.10".parse().unwrap());
    s.id.calling_station = Some(StationId::Mac("b0:ee:7b:97:7f:33".parse().unwrap()));
    s
}

fn intents() -> Vec<(&'static str, Intent)> {
    let tiered = ServiceRef::new("tiered").with_params(["1280000", "5120000"]);
    let mut tagged = ServiceRef::new("video");
    tagged.tag = Some(3);
    vec![
        ("disconnect", Intent::DISCONNECT),
        (
            "disconnect-cause",
            Intent::Disconnect {
                terminate_cause: Some(6),
            },
        ),
        ("reauth-default", Intent::Reauthenticate(ReauthKind::Default)),
        ("reauth-last", Intent::Reauthenticate(ReauthKind::Last)),
        ("reauth-rerun", Intent::Reauthenticate(ReauthKind::Rerun)),
        ("change-role", Intent::ChangeRole("employee".into())),
        ("apply-filter", Intent::ApplyFilter("acl-guest".into())),
        ("session-timeout", Intent::SessionTimeout(3600)),
        ("idle-timeout", Intent::IdleTimeout(600)),
        ("bounce-port", Intent::BouncePort { seconds: None }),
        ("bounce-port-5", Intent::BouncePort { seconds: Some(5) }),
        ("disable-port", Intent::DisablePort),
        (
            "rate-limit",
            Intent::RateLimit(RateLimit {
                upload_bps: 2_000_000,
                download_bps: 10_000_000,
            }),
        ),
        (
            "policy-both",
            Intent::Policy {
                ingress: Some("in-10m".into()),
                egress: Some("out-50m".into()),
            },
        ),
        (
            "policy-in",
            Intent::Policy {
                ingress: Some("in-10m".into()),
                egress: None,
            },
        ),
        ("activate", Intent::ActivateService(tiered.clone())),
        ("activate-tagged", Intent::ActivateService(tagged)),
        ("deactivate", Intent::DeactivateService(tiered)),
        ("logon", Intent::AccountLogon),
        ("logoff", Intent::AccountLogoff),
        ("authorize-only", Intent::AuthorizeOnly),
        (
            "raw-coa",
            Intent::Raw {
                kind: RequestKind::Coa,
                attrs: raw::coa_attrs(),
            },
        ),
        (
            "raw-disconnect",
            Intent::Raw {
                kind: RequestKind::Disconnect,
                attrs: raw::disconnect_attrs(),
            },
        ),
    ]
}

/// One line per profile x session x intent: the encoded packet in hex, `unsupported`
/// (no recipe) or `error` (error texts are not pinned: they name attributes, and
/// naming is what changes).
fn render() -> String {
    let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let secret = SharedSecret::from("testing123");
    let sessions = [
        ("full", full_session()),
        ("mac-auth", mac_auth_session()),
        ("sparse", sparse_session()),
    ];
    let mut out = String::new();
    for profile in Profile::ALL.iter() {
        for (sname, s) in &sessions {
            for (iname, intent) in intents() {
                let line = match profile.plan(s, &intent, now) {
                    Ok(plan) => match plan.encode(42, &secret) {
                        Ok(p) => {
                            let hex: String = p.as_bytes().iter().map(|b| format!("{b:02x}")).collect();
                            format!("port={} dev={} {hex}", plan.port, plan.deviations.len())
                        }
                        Err(_) => "encode-error".into(),
                    },
                    Err(Error::Unsupported { .. }) => "unsupported".into(),
                    Err(_) => "error".into(),
                };
                writeln!(out, "{} {sname} {iname} {line}", profile.name).unwrap();
            }
        }
    }
    out
}

#[test]
fn encoded_bytes_match_the_pinned_file() {
    let got = render();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/pinned_bytes.txt");
    if std::env::var_os("NAC_PIN_WRITE").is_some() {
        std::fs::write(path, &got).unwrap();
    }
    let want = std::fs::read_to_string(path).unwrap();
    assert_eq!(got.lines().count(), 14 * 3 * intents().len());
    for (g, w) in got.lines().zip(want.lines()) {
        assert_eq!(g, w);
    }
    assert_eq!(got.lines().count(), want.lines().count());
    // The pin is not vacuous: most combinations encode.
    let encoded = want.lines().filter(|l| l.contains("port=")).count();
    assert!(encoded > 200, "{encoded}");
}
