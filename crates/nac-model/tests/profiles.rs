//! Golden requests per vendor profile and intent. Each expected packet is built
//! independently, attribute by attribute, *by name* with radius-dict's builtin
//! dictionary (whose numbers are cross-checked against FreeRADIUS by its own tests),
//! and compared byte for byte with what the profile plans and encodes.
#![allow(
    clippy::redundant_clone,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::time::{Duration, UNIX_EPOCH};

use nac_model::{
    AttrSpec, CalledStationId, Error, Intent, IntentKind, Profile, RateLimit, ReauthKind, RequestKind,
    ServiceRef, Session, SessionKind, StationId, Vendor, VendorSessionId,
};
use radius_codec::{AttrAddr, AttrType, Code, Packet, PacketBuilder, SharedSecret, Value, VendorId};
use radius_dict::Dictionary;

const NOW: u64 = 1_700_000_000;
const SECRET: &str = "testing123";
const ID: u8 = 7;

fn session() -> Session {
    let mut s = Session::default();
    s.nas.ipv4 = Some("192.0.2.10".parse().unwrap());
    s.id.user_name = Some("alice".into());
    s.id.acct_session_id = Some("0A1B2C3D-00000042".into());
    s.id.calling_station = Some(StationId::Mac("b0:ee:7b:97:7f:33".parse().unwrap()));
    s.id.called_station = Some(CalledStationId::parse("00-11-22-33-44-55:corp"));
    s.id.nas_port = Some(50101);
    s.id.nas_port_id = Some("1/1/3".into());
    s.id.framed_ip = Some("10.20.30.40".parse().unwrap());
    s.id.vendor_ids.push(VendorSessionId::CiscoAuditSessionId(
        "0A0B0C0D0000001A2B3C4D5E".into(),
    ));
    s.kind = SessionKind::Dot1x;
    s.state = Some(b"st-1".to_vec());
    s
}

/// The expected packet, by names.
fn by_names(code: Code, attrs: &[(&str, &str)]) -> Vec<u8> {
    let dict = Dictionary::builtin();
    let mut b = PacketBuilder::new(code, ID, [0; 16]);
    b.add_message_authenticator();
    for (name, text) in attrs {
        dict.add(&mut b, name, text, None)
            .unwrap_or_else(|e| panic!("{name} = {text}: {e}"));
    }
    b.add_value(AttrType::EVENT_TIMESTAMP, &Value::Date(NOW as u32))
        .unwrap();
    b.finish(&SharedSecret::from(SECRET)).unwrap()
}

fn check(profile: &Profile, s: &Session, intent: Intent, port: u16, code: Code, want: &[(&str, &str)]) {
    let now = UNIX_EPOCH + Duration::from_secs(NOW);
    let plan = profile
        .plan(s, &intent, now)
        .unwrap_or_else(|e| panic!("{} {intent:?}: {e}", profile.name));
    assert_eq!(plan.port, port, "{} {intent:?}", profile.name);
    assert_eq!(plan.code(), code, "{} {intent:?}", profile.name);
    let got = plan.encode(ID, &SharedSecret::from(SECRET)).unwrap().into_inner();
    let want_bytes = by_names(code, want);
    if got != want_bytes {
        let show = |b: &[u8]| {
            let p = Packet::new_checked(b).unwrap();
            Dictionary::builtin()
                .decode(&p, None)
                .iter()
                .map(|d| format!("{} = {}", d.name, d.text()))
                .collect::<Vec<_>>()
        };
        panic!(
            "{} {intent:?}\n got: {:#?}\nwant: {:#?}",
            profile.name,
            show(&got),
            show(&want_bytes)
        );
    }
    // Every planned request verifies as RFC 5176 requires.
    let p = Packet::new_checked(&got[..]).unwrap();
    p.verify_request(&SharedSecret::from(SECRET)).unwrap();
}

const COA: Code = Code::CoaRequest;
const DM: Code = Code::DisconnectRequest;

#[test]
fn generic() {
    let p = Profile::GENERIC;
    let s = session();
    let id = [
        ("NAS-IP-Address", "192.0.2.10"),
        ("User-Name", "alice"),
        ("Acct-Session-Id", "0A1B2C3D-00000042"),
        ("Calling-Station-Id", "B0-EE-7B-97-7F-33"),
        ("Framed-IP-Address", "10.20.30.40"),
    ];
    let with = |extra: &[(&'static str, &'static str)]| [&id[..], extra].concat();
    check(&p, &s, Intent::DISCONNECT, 3799, DM, &id);
    check(
        &p,
        &s,
        Intent::Disconnect {
            terminate_cause: Some(6),
        },
        3799,
        DM,
        &with(&[("Acct-Terminate-Cause", "Admin-Reset")]),
    );
    check(
        &p,
        &s,
        Intent::ChangeRole("staff".into()),
        3799,
        COA,
        &with(&[("Filter-Id", "staff")]),
    );
    check(
        &p,
        &s,
        Intent::ApplyFilter("guest-acl".into()),
        3799,
        COA,
        &with(&[("Filter-Id", "guest-acl")]),
    );
    check(
        &p,
        &s,
        Intent::SessionTimeout(3600),
        3799,
        COA,
        &with(&[("Session-Timeout", "3600")]),
    );
    check(
        &p,
        &s,
        Intent::IdleTimeout(600),
        3799,
        COA,
        &with(&[("Idle-Timeout", "600")]),
    );
    check(
        &p,
        &s,
        Intent::AuthorizeOnly,
        3799,
        COA,
        &with(&[("Service-Type", "Authorize-Only"), ("State", "0x73742d31")]),
    );
    // Authorize-Only needs State.
    let mut no_state = s.clone();
    no_state.state = None;
    assert_eq!(
        p.plan(&no_state, &Intent::AuthorizeOnly, UNIX_EPOCH),
        Err(Error::MissingState)
    );
}

#[test]
fn cisco() {
    let s = session();
    let ios = Profile::CISCO_IOS;
    let id = [
        ("NAS-IP-Address", "192.0.2.10"),
        ("Calling-Station-Id", "B0-EE-7B-97-7F-33"),
        ("Acct-Session-Id", "0A1B2C3D-00000042"),
        ("Cisco-AVPair", "audit-session-id=0A0B0C0D0000001A2B3C4D5E"),
    ];
    let with = |extra: &[(&'static str, &'static str)]| [&id[..], extra].concat();
    check(&ios, &s, Intent::DISCONNECT, 1700, DM, &id);
    check(
        &ios,
        &s,
        Intent::Reauthenticate(ReauthKind::Last),
        1700,
        COA,
        &with(&[
            ("Cisco-AVPair", "subscriber:command=reauthenticate"),
            ("Cisco-AVPair", "subscriber:reauthenticate-type=last"),
        ]),
    );
    check(
        &ios,
        &s,
        Intent::Reauthenticate(ReauthKind::Rerun),
        1700,
        COA,
        &with(&[
            ("Cisco-AVPair", "subscriber:command=reauthenticate"),
            ("Cisco-AVPair", "subscriber:reauthenticate-type=rerun"),
        ]),
    );
    check(
        &ios,
        &s,
        Intent::BouncePort { seconds: None },
        1700,
        COA,
        &with(&[("Cisco-AVPair", "subscriber:command=bounce-host-port")]),
    );
    check(
        &ios,
        &s,
        Intent::DisablePort,
        1700,
        COA,
        &with(&[("Cisco-AVPair", "subscriber:command=disable-host-port")]),
    );
    check(
        &ios,
        &s,
        Intent::ActivateService(ServiceRef::new("GUEST-SVC")),
        1700,
        COA,
        &with(&[
            ("Cisco-AVPair", "subscriber:command=activate-service"),
            ("Cisco-AVPair", "subscriber:service-name=GUEST-SVC"),
        ]),
    );
    check(
        &ios,
        &s,
        Intent::DeactivateService(ServiceRef::new("GUEST-SVC")),
        1700,
        COA,
        &with(&[
            ("Cisco-AVPair", "subscriber:command=deactivate-service"),
            ("Cisco-AVPair", "subscriber:service-name=GUEST-SVC"),
        ]),
    );

    let wlc = Profile::CISCO_WLC;
    let wid = [
        ("Calling-Station-Id", "B0-EE-7B-97-7F-33"),
        ("NAS-IP-Address", "192.0.2.10"),
        ("NAS-Port", "50101"),
        ("Cisco-AVPair", "audit-session-id=0A0B0C0D0000001A2B3C4D5E"),
    ];
    check(&wlc, &s, Intent::DISCONNECT, 3799, DM, &wid);
    check(
        &wlc,
        &s,
        Intent::Reauthenticate(ReauthKind::Default),
        1700,
        COA,
        &[
            &wid[..],
            &[
                ("Cisco-AVPair", "subscriber:command=reauthenticate"),
                ("Cisco-AVPair", "subscriber:reauthenticate-type=last"),
            ],
        ]
        .concat(),
    );

    let isg = Profile::CISCO_ISG;
    let iid = [("User-Name", "alice"), ("Acct-Session-Id", "0A1B2C3D-00000042")];
    let iwith = |extra: &[(&'static str, &'static str)]| [&iid[..], extra].concat();
    check(&isg, &s, Intent::DISCONNECT, 1700, DM, &iid);
    check(
        &isg,
        &s,
        Intent::AccountLogon,
        1700,
        COA,
        &iwith(&[("Cisco-AVPair", "subscriber:command=account-logon")]),
    );
    check(
        &isg,
        &s,
        Intent::AccountLogoff,
        1700,
        COA,
        &iwith(&[("Cisco-AVPair", "subscriber:command=account-logoff")]),
    );
    check(
        &isg,
        &s,
        Intent::ActivateService(ServiceRef::new("BOOST").with_params(["20M", "5M"])),
        1700,
        COA,
        &iwith(&[("Cisco-AVPair", "subscriber:sa=BOOST(20M,5M)")]),
    );
    check(
        &isg,
        &s,
        Intent::DeactivateService(ServiceRef::new("BOOST")),
        1700,
        COA,
        &iwith(&[("Cisco-AVPair", "subscriber:sd=BOOST")]),
    );
    check(
        &isg,
        &s,
        Intent::Policy {
            ingress: Some("q_in".into()),
            egress: Some("q_out_uncapped".into()),
        },
        1700,
        COA,
        &iwith(&[
            ("Cisco-AVPair", "subscriber:sub-qos-policy-in=q_in"),
            ("Cisco-AVPair", "subscriber:sub-qos-policy-out=q_out_uncapped"),
        ]),
    );
}

#[test]
fn juniper() {
    let p = Profile::JUNIPER_MX;
    let s = session();
    let id = [("Acct-Session-Id", "0A1B2C3D-00000042")];
    let with = |extra: &[(&'static str, &'static str)]| [&id[..], extra].concat();
    check(&p, &s, Intent::DISCONNECT, 3799, DM, &id);
    let mut svc = ServiceRef::new("tiered").with_params(["1280000", "5120000"]);
    svc.tag = Some(3);
    check(
        &p,
        &s,
        Intent::ActivateService(svc),
        3799,
        COA,
        &with(&[("ERX-Service-Activate:3", "tiered(1280000,5120000)")]),
    );
    check(
        &p,
        &s,
        Intent::ActivateService(ServiceRef::new("basic")),
        3799,
        COA,
        &with(&[("ERX-Service-Activate:1", "basic")]),
    );
    check(
        &p,
        &s,
        Intent::DeactivateService(ServiceRef::new("basic")),
        3799,
        COA,
        &with(&[("ERX-Service-Deactivate", "basic")]),
    );
    check(
        &p,
        &s,
        Intent::Policy {
            ingress: Some("in-10M".into()),
            egress: Some("out-50M".into()),
        },
        3799,
        COA,
        &with(&[
            ("ERX-Ingress-Policy-Name", "in-10M"),
            ("ERX-Egress-Policy-Name", "out-50M"),
        ]),
    );
    // Acct-Session-Id is mandatory (JunosE).
    let mut s2 = s.clone();
    s2.id.acct_session_id = None;
    assert!(matches!(
        p.plan(&s2, &Intent::DISCONNECT, UNIX_EPOCH),
        Err(Error::MissingIdentity {
            field: nac_model::IdField::AcctSessionId,
            ..
        })
    ));
}

#[test]
fn aruba_and_hp() {
    let s = session();
    let ctl = Profile::ARUBA_CONTROLLER;
    let cid = [
        ("Calling-Station-Id", "B0-EE-7B-97-7F-33"),
        ("NAS-IP-Address", "192.0.2.10"),
    ];
    check(&ctl, &s, Intent::DISCONNECT, 3799, DM, &cid);
    check(
        &ctl,
        &s,
        Intent::ChangeRole("employee".into()),
        3799,
        COA,
        &[&cid[..], &[("Aruba-User-Role", "employee")]].concat(),
    );

    let cx = Profile::ARUBA_CX;
    let xid = [
        ("Calling-Station-Id", "B0-EE-7B-97-7F-33"),
        ("NAS-Port", "50101"),
        ("NAS-IP-Address", "192.0.2.10"),
        ("User-Name", "alice"),
    ];
    check(&cx, &s, Intent::DISCONNECT, 3799, DM, &xid);
    check(
        &cx,
        &s,
        Intent::ChangeRole("employee".into()),
        3799,
        COA,
        &[&xid[..], &[("Aruba-User-Role", "employee")]].concat(),
    );
    check(
        &cx,
        &s,
        Intent::BouncePort { seconds: None },
        3799,
        COA,
        &[&xid[..], &[("Aruba-Port-Bounce-Host", "12")]].concat(),
    );

    let hp = Profile::HP_AOS_SWITCH;
    let hid = [
        ("User-Name", "alice"),
        ("Calling-Station-Id", "b0-ee-7b-97-7f-33"),
        ("NAS-IP-Address", "192.0.2.10"),
        ("NAS-Port-Id", "1/1/3"),
    ];
    check(&hp, &s, Intent::DISCONNECT, 3799, DM, &hid);
    check(
        &hp,
        &s,
        Intent::ChangeRole("employee".into()),
        3799,
        COA,
        &[&hid[..], &[("HP-User-Role", "employee")]].concat(),
    );
    check(
        &hp,
        &s,
        Intent::BouncePort { seconds: Some(20) },
        3799,
        COA,
        &[&hid[..], &[("HP-Port-Bounce-Host", "20")]].concat(),
    );
}

#[test]
fn extreme_ruckus_meraki() {
    let s = session();
    let ex = Profile::EXTREME;
    let eid = [
        ("Calling-Station-Id", "B0-EE-7B-97-7F-33"),
        ("NAS-IP-Address", "192.0.2.10"),
        ("Acct-Session-Id", "0A1B2C3D-00000042"),
    ];
    check(&ex, &s, Intent::DISCONNECT, 3799, DM, &eid);
    check(
        &ex,
        &s,
        Intent::ChangeRole("Enterasys:version=1:policy=guest".into()),
        3799,
        COA,
        &[&eid[..], &[("Filter-Id", "Enterasys:version=1:policy=guest")]].concat(),
    );

    let rk = Profile::RUCKUS;
    check(
        &rk,
        &s,
        Intent::DISCONNECT,
        3799,
        DM,
        &[
            ("Calling-Station-Id", "B0-EE-7B-97-7F-33"),
            ("NAS-IP-Address", "192.0.2.10"),
        ],
    );

    let mk = Profile::MERAKI;
    let mid = [
        ("Calling-Station-Id", "B0-EE-7B-97-7F-33"),
        ("NAS-IP-Address", "192.0.2.10"),
        ("Acct-Session-Id", "0A1B2C3D-00000042"),
        ("Cisco-AVPair", "audit-session-id=0A0B0C0D0000001A2B3C4D5E"),
    ];
    check(&mk, &s, Intent::DISCONNECT, 3799, DM, &mid);
    check(
        &mk,
        &s,
        Intent::Reauthenticate(ReauthKind::Default),
        1700,
        COA,
        &[
            &mid[..],
            &[
                ("Cisco-AVPair", "subscriber:command=reauthenticate"),
                ("Cisco-AVPair", "subscriber:reauthenticate-type=last"),
            ],
        ]
        .concat(),
    );
}

#[test]
fn mikrotik() {
    let p = Profile::MIKROTIK;
    let mut hotspot = session();
    hotspot.kind = SessionKind::Hotspot;
    let hid = [
        ("User-Name", "alice"),
        ("Framed-IP-Address", "10.20.30.40"),
        ("Acct-Session-Id", "0A1B2C3D-00000042"),
    ];
    check(&p, &hotspot, Intent::DISCONNECT, 3799, DM, &hid);
    check(
        &p,
        &hotspot,
        Intent::RateLimit(RateLimit {
            upload_bps: 2_000_000,
            download_bps: 10_000_000,
        }),
        3799,
        COA,
        &[&hid[..], &[("Mikrotik-Rate-Limit", "2M/10M")]].concat(),
    );
    check(
        &p,
        &hotspot,
        Intent::SessionTimeout(1800),
        3799,
        COA,
        &[&hid[..], &[("Session-Timeout", "1800")]].concat(),
    );
    // A MAC-authenticated wireless client: User-Name is the MAC, colon upper case.
    let mut wifi = session();
    wifi.kind = SessionKind::MacAuth;
    check(
        &p,
        &wifi,
        Intent::DISCONNECT,
        3799,
        DM,
        &[("User-Name", "B0:EE:7B:97:7F:33")],
    );
}

#[test]
fn fortinet() {
    let s = session();
    let fg = Profile::FORTIGATE;
    check(
        &fg,
        &s,
        Intent::DISCONNECT,
        3799,
        DM,
        &[
            ("User-Name", "alice"),
            ("Acct-Session-Id", "0A1B2C3D-00000042"),
            ("Framed-IP-Address", "10.20.30.40"),
        ],
    );
    let mut no_ip = s.clone();
    no_ip.id.framed_ip = None;
    assert!(matches!(
        fg.plan(&no_ip, &Intent::DISCONNECT, UNIX_EPOCH),
        Err(Error::MissingIdentity {
            field: nac_model::IdField::FramedIpAddress,
            ..
        })
    ));

    let fs = Profile::FORTISWITCH;
    let fid = [
        ("Calling-Station-Id", "b0-ee-7b-97-7f-33"),
        ("NAS-IP-Address", "192.0.2.10"),
        ("Acct-Session-Id", "0A1B2C3D-00000042"),
        ("User-Name", "alice"),
    ];
    check(&fs, &s, Intent::DISCONNECT, 3799, DM, &fid);
    for (intent, action) in [
        (Intent::BouncePort { seconds: None }, "action=bounce-port"),
        (Intent::DisablePort, "action=disable-port"),
        (Intent::Reauthenticate(ReauthKind::Default), "action=reauth-port"),
    ] {
        check(
            &fs,
            &s,
            intent,
            3799,
            COA,
            &[&fid[..], &[("Fortinet-Host-Port-AVPair", action)]].concat(),
        );
    }
    check(
        &fs,
        &s,
        Intent::SessionTimeout(900),
        3799,
        COA,
        &[&fid[..], &[("Session-Timeout", "900")]].concat(),
    );
}

/// Every (profile, intent) pair either plans a request that passes the RFC 5176
/// table, or says it is unsupported, as `supports` predicts.
#[test]
fn capability_matrix() {
    let s = session();
    let intents = [
        Intent::DISCONNECT,
        Intent::Reauthenticate(ReauthKind::Last),
        Intent::ChangeRole("r".into()),
        Intent::ApplyFilter("f".into()),
        Intent::SessionTimeout(60),
        Intent::IdleTimeout(60),
        Intent::BouncePort { seconds: None },
        Intent::DisablePort,
        Intent::RateLimit(RateLimit {
            upload_bps: 1000,
            download_bps: 1000,
        }),
        Intent::Policy {
            ingress: Some("i".into()),
            egress: None,
        },
        Intent::ActivateService(ServiceRef::new("s")),
        Intent::DeactivateService(ServiceRef::new("s")),
        Intent::AccountLogon,
        Intent::AccountLogoff,
        Intent::AuthorizeOnly,
    ];
    let mut supported = 0;
    for p in Profile::ALL {
        assert_eq!(Profile::by_name(&p.name).map(|q| q.vendor), Some(p.vendor));
        assert_eq!(Profile::for_vendor(p.vendor).name, p.name);
        for i in &intents {
            match p.plan(&s, i, UNIX_EPOCH) {
                Ok(plan) => {
                    assert!(p.supports(i.kind()), "{} {i:?}", p.name);
                    assert!(plan.deviations.is_empty());
                    assert!(nac_model::rfc5176::check(plan.code(), &plan.attrs).is_empty());
                    supported += 1;
                }
                Err(Error::Unsupported { intent, .. }) => {
                    assert_eq!(intent, i.kind());
                    assert!(!p.supports(i.kind()), "{} {i:?}", p.name);
                }
                Err(e) => panic!("{} {i:?}: {e}", p.name),
            }
        }
    }
    assert_eq!(supported, 46);
    assert!(!Profile::RUCKUS.supports(IntentKind::ChangeRole));
    assert_eq!(Profile::by_name("nope"), None);
    assert_eq!(Profile::for_vendor(Vendor::CiscoIsg).coa_port, 1700);
}

#[test]
fn raw_requests_are_checked() {
    let s = session();
    let p = Profile::GENERIC;
    // Service-Type in a Disconnect-Request breaks §3.6 unless the profile allows it.
    let raw = Intent::Raw {
        kind: RequestKind::Disconnect,
        attrs: vec![AttrSpec::ietf(AttrType::SERVICE_TYPE, Value::Integer(1))],
    };
    let err = p.plan(&s, &raw, UNIX_EPOCH).unwrap_err();
    assert!(matches!(&err, Error::NotAllowed(v) if v.len() == 1));
    assert_eq!(
        err.to_string(),
        "request breaks RFC 5176 §3.6: Service-Type is not allowed in Disconnect-Request (RFC 5176 §3.6)"
    );
    // A site profile for Ruckus ZoneDirector 9.10, which only ACKs with Service-Type.
    let mut zd = Profile::RUCKUS;
    zd.allowed_deviations = vec![(
        AttrAddr::standard(6),
        "ZoneDirector 9.10 only ACKs with Service-Type (PacketFence issue 3004)".into(),
    )]
    .into();
    let plan = zd.plan(&s, &raw, UNIX_EPOCH).unwrap();
    assert_eq!(plan.deviations.len(), 1);
    assert!(plan.deviations[0].reason.contains("3004"));
    // A VSA in a raw CoA is fine and lands after the identification attributes.
    let raw = Intent::Raw {
        kind: RequestKind::Coa,
        attrs: vec![AttrSpec::text(
            AttrAddr::vendor_specific(VendorId::RUCKUS, 1),
            "staff",
        )],
    };
    let plan = zd.plan(&s, &raw, UNIX_EPOCH).unwrap();
    assert_eq!(plan.attrs[2].addr, AttrAddr::vendor_specific(VendorId::RUCKUS, 1));
    // No identification at all.
    let bare = Session::default();
    assert!(matches!(
        Profile::GENERIC.plan(&bare, &Intent::DISCONNECT, UNIX_EPOCH),
        Err(Error::NoSessionIdentification { .. })
    ));
    // A value too long for one attribute is the codec's typed error at encode time.
    let mut long = s.clone();
    long.id.user_name = Some("x".repeat(300));
    let plan = Profile::GENERIC
        .plan(&long, &Intent::DISCONNECT, UNIX_EPOCH)
        .unwrap();
    assert!(plan.encode(1, &SharedSecret::from(SECRET)).is_err());
}
