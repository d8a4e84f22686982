//! nac-model's vendor recipes against FreeRADIUS as the NAS: radiusd (a `type = coa`
//! listener) decodes every planned CoA-Request and Disconnect-Request with its own
//! dictionaries and acknowledges it; each vendor attribute must appear in its log
//! under FreeRADIUS' name with the value we meant, and the ACK must read as
//! "applied".

use std::net::{SocketAddr, UdpSocket};
use std::time::{Duration, SystemTime};

use nac_model::{
    CalledStationId, Intent, Outcome, Profile, RateLimit, ReauthKind, Reply, ServiceRef, Session,
    SessionKind, StationId, VendorSessionId,
};
use nacwire_tests::{exchange, require_program, FreeRadius, SECRET};
use radius_codec::exchange::{Client, Retransmit};
use radius_codec::{AttrAddr, Packet, ReplyPolicy, Requirement, SharedSecret, Value};
use radius_dict::Dictionary;

fn session(kind: SessionKind) -> Session {
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
    s.kind = kind;
    s.state = Some(b"st-1".to_vec());
    s
}

/// How radiusd prints a vendor attribute we sent.
fn expected_log_line(
    dict: &Dictionary,
    addr: AttrAddr,
    tag: Option<u8>,
    value: &Value<'_>,
) -> Option<String> {
    if addr.vendor().0 == 0 {
        return None;
    }
    let def = dict.attr_by_addr(addr)?;
    let tag = tag.map(|t| format!(":{t}")).unwrap_or_default();
    Some(match value {
        Value::String(_) => format!("{}{tag} = \"{}\"", def.name(), value.as_str()?),
        Value::Integer(n) => format!("{}{tag} = {n}", def.name()),
        _ => return None,
    })
}

#[test]
fn radiusd_acknowledges_every_vendor_recipe() {
    let Some(bin) = require_program("freeradius") else {
        return;
    };
    let server = FreeRadius::start(&bin).expect("start freeradius");
    let dest: SocketAddr = format!("127.0.0.1:{}", server.coa_port).parse().unwrap();
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    let mut client = Client::new(0xc0a).with_retransmit(Retransmit {
        initial: Duration::from_millis(500),
        max_count: 3,
        max_time: Duration::from_secs(2),
        max_duration: Duration::from_secs(5),
    });
    // radiusd 3.2.1 does not sign its CoA/Disconnect ACKs with Message-Authenticator.
    client.add_destination_with(
        dest,
        SharedSecret::from(SECRET),
        ReplyPolicy::new(Requirement::Auto),
    );
    let dict = Dictionary::builtin();
    let intents = [
        Intent::DISCONNECT,
        Intent::Reauthenticate(ReauthKind::Last),
        Intent::ChangeRole("employee".into()),
        Intent::ApplyFilter("guest-acl".into()),
        Intent::SessionTimeout(3600),
        Intent::IdleTimeout(600),
        Intent::BouncePort { seconds: None },
        Intent::DisablePort,
        Intent::RateLimit(RateLimit {
            upload_bps: 2_000_000,
            download_bps: 10_000_000,
        }),
        Intent::Policy {
            ingress: Some("in-10M".into()),
            egress: Some("out-50M".into()),
        },
        Intent::ActivateService(ServiceRef::new("tiered").with_params(["1280000", "5120000"])),
        Intent::DeactivateService(ServiceRef::new("tiered")),
        Intent::AccountLogon,
        Intent::AccountLogoff,
    ];
    let mut sent = 0;
    let mut expected = Vec::new();
    for profile in Profile::ALL {
        let kind = if profile.name == "mikrotik" {
            SessionKind::Hotspot
        } else {
            SessionKind::Dot1x
        };
        let s = session(kind);
        for intent in &intents {
            if !profile.supports(intent.kind()) {
                continue;
            }
            let plan = profile
                .plan(&s, intent, SystemTime::now())
                .unwrap_or_else(|e| panic!("{} {intent:?}: {e}", profile.name));
            let (request, reply) = exchange(&sock, &mut client, dest, |id, secret| {
                plan.encode(id, secret).map(Packet::into_inner)
            })
            .unwrap_or_else(|e| panic!("{} {intent:?}: {e}\n{}", profile.name, server.log()));
            let reply = Packet::new_checked(&reply[..]).unwrap();
            reply
                .verify_reply(
                    &Packet::new_checked(&request[..]).unwrap(),
                    &SharedSecret::from(SECRET),
                )
                .unwrap();
            assert_eq!(
                plan.outcome(&Reply::from_packet(&reply).unwrap()),
                Outcome::Applied { residual_only: false },
                "{} {intent:?}",
                profile.name
            );
            for a in &plan.attrs {
                expected.extend(
                    expected_log_line(dict, a.addr, a.tag, &a.value).map(|l| (profile.name.clone(), l)),
                );
            }
            sent += 1;
        }
    }
    assert_eq!(
        sent, 45,
        "every supported (profile, intent) pair but Authorize-Only"
    );
    // radiusd decoded each vendor attribute under its own dictionary's name.
    let last = expected.last().map(|(_, l)| l.clone()).unwrap_or_default();
    let log = server.log_with(&last);
    for (profile, line) in &expected {
        assert!(
            log.contains(line.as_str()),
            "{profile}: radiusd did not log `{line}`\n{log}"
        );
    }
    assert!(expected.len() > 40, "{}", expected.len());
}
