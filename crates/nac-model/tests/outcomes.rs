//! Replies as a NAS sends them (built with radius-codec) -> outcomes, for each
//! Error-Cause class; sessions read from real request packets; the endpoint-change
//! planner on a table of transitions.
#![allow(
    clippy::redundant_clone,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::time::UNIX_EPOCH;

use nac_model::clearpass::{Device, Endpoint, EndpointStatus};
use nac_model::planner::{plan_endpoint_change, EndpointState, Reason};
use nac_model::{
    Error, ErrorCause, Intent, Outcome, Profile, ProtocolViolation, ReauthKind, Reply, Session, SessionKind,
    StationId,
};
use radius_codec::{AttrType, Code, Packet, PacketBuilder, SharedSecret, Value, VendorId};
use radius_dict::Dictionary;

const SECRET: &str = "testing123";

/// The request, and a verified reply with these Error-Causes (and extras).
fn exchange(
    profile: &Profile,
    intent: &Intent,
    reply_code: Code,
    causes: &[u32],
    echo_service: bool,
) -> Outcome {
    let mut s = Session::default();
    s.nas.ipv4 = Some("192.0.2.1".parse().unwrap());
    s.id.user_name = Some("alice".into());
    s.id.acct_session_id = Some("42".into());
    s.state = Some(b"st".to_vec());
    let plan = profile.plan(&s, intent, UNIX_EPOCH).unwrap();
    let secret = SharedSecret::from(SECRET);
    let req = plan.encode(9, &secret).unwrap();
    let mut b = PacketBuilder::reply_to(&req, reply_code);
    b.add_message_authenticator();
    for c in causes {
        b.add_value(AttrType::ERROR_CAUSE, &Value::Integer(*c)).unwrap();
    }
    if echo_service {
        b.add_value(AttrType::SERVICE_TYPE, &Value::Integer(17)).unwrap();
        b.add(AttrType::STATE, b"st").unwrap();
    }
    b.add(AttrType::REPLY_MESSAGE, b"done").unwrap();
    let reply_bytes = b.finish(&secret).unwrap();
    let reply = Packet::new_checked(&reply_bytes[..]).unwrap();
    match reply.verify_reply(&req, &secret) {
        Ok(ma) => assert!(ma),
        // radius-codec already refuses a reply of the wrong family; the outcome says
        // the same for callers that interpret before verifying.
        Err(radius_codec::Error::UnexpectedReply { .. }) => {}
        Err(e) => panic!("{e}"),
    }
    let r = Reply::from_packet(&reply).unwrap();
    assert_eq!(r.reply_messages, ["done"]);
    assert_eq!(
        r.error_causes,
        causes.iter().map(|c| ErrorCause(*c)).collect::<Vec<_>>()
    );
    plan.outcome(&r)
}

#[test]
fn outcomes_by_error_cause_class() {
    let g = Profile::GENERIC;
    let coa = Intent::SessionTimeout(60);
    let dm = Intent::DISCONNECT;
    use Code::{CoaAck, CoaNak, DisconnectAck, DisconnectNak};
    let table: Vec<(&Intent, Code, &[u32], bool, Outcome)> = vec![
        (
            &coa,
            CoaAck,
            &[],
            false,
            Outcome::Applied { residual_only: false },
        ),
        (
            &dm,
            DisconnectAck,
            &[],
            false,
            Outcome::Applied { residual_only: false },
        ),
        // 2xx: success, in ACKs.
        (
            &dm,
            DisconnectAck,
            &[201],
            false,
            Outcome::Applied { residual_only: true },
        ),
        // 503 alone: not found.
        (&dm, DisconnectNak, &[503], false, Outcome::SessionNotFound),
        (&coa, CoaNak, &[503], false, Outcome::SessionNotFound),
        // 4xx: the request was wrong.
        (
            &coa,
            CoaNak,
            &[401, 407],
            false,
            Outcome::Rejected {
                causes: vec![ErrorCause(401), ErrorCause(407)],
            },
        ),
        (
            &dm,
            DisconnectNak,
            &[402],
            false,
            Outcome::Rejected {
                causes: vec![ErrorCause::MISSING_ATTRIBUTE],
            },
        ),
        // 5xx: the NAS failed.
        (
            &dm,
            DisconnectNak,
            &[504],
            false,
            Outcome::Rejected {
                causes: vec![ErrorCause(504)],
            },
        ),
        (
            &coa,
            CoaNak,
            &[506],
            false,
            Outcome::Rejected {
                causes: vec![ErrorCause(506)],
            },
        ),
        (
            &coa,
            CoaNak,
            &[601],
            false,
            Outcome::Rejected {
                causes: vec![ErrorCause::RESPONSE_TOO_BIG],
            },
        ),
        (&coa, CoaNak, &[], false, Outcome::Rejected { causes: vec![] }),
        // Unknown values are kept.
        (
            &coa,
            CoaNak,
            &[599],
            false,
            Outcome::Rejected {
                causes: vec![ErrorCause(599)],
            },
        ),
        // Violations: the wrong family, causes in the wrong reply.
        (
            &coa,
            DisconnectAck,
            &[],
            false,
            Outcome::ProtocolViolation(ProtocolViolation::WrongReplyCode {
                request: Code::CoaRequest,
                reply: DisconnectAck,
            }),
        ),
        (
            &dm,
            DisconnectAck,
            &[503],
            false,
            Outcome::ProtocolViolation(ProtocolViolation::CauseInWrongReply {
                cause: ErrorCause(503),
                reply: DisconnectAck,
            }),
        ),
        (
            &dm,
            DisconnectNak,
            &[201],
            false,
            Outcome::ProtocolViolation(ProtocolViolation::CauseInWrongReply {
                cause: ErrorCause(201),
                reply: DisconnectNak,
            }),
        ),
        // Authorize-Only: NAK + 507 is success; an ACK is a violation; 405 is a refusal.
        (
            &Intent::AuthorizeOnly,
            CoaNak,
            &[507],
            true,
            Outcome::AuthorizeOnlyStarted,
        ),
        (
            &Intent::AuthorizeOnly,
            CoaAck,
            &[],
            false,
            Outcome::ProtocolViolation(ProtocolViolation::AckToAuthorizeOnly),
        ),
        (
            &Intent::AuthorizeOnly,
            CoaNak,
            &[405],
            false,
            Outcome::Rejected {
                causes: vec![ErrorCause::UNSUPPORTED_SERVICE],
            },
        ),
        // 507 to a plain CoA is just a refusal.
        (
            &coa,
            CoaNak,
            &[507],
            false,
            Outcome::Rejected {
                causes: vec![ErrorCause(507)],
            },
        ),
    ];
    for (intent, code, causes, echo, want) in table {
        let got = exchange(&g, intent, code, causes, echo);
        assert_eq!(got, want, "{intent:?} {code} {causes:?}");
        assert_eq!(
            got.is_success(),
            matches!(want, Outcome::Applied { .. } | Outcome::AuthorizeOnlyStarted)
        );
    }
    assert_eq!(
        Outcome::Rejected {
            causes: vec![ErrorCause(401), ErrorCause(9999)]
        }
        .to_string(),
        "rejected: Unsupported-Attribute, 9999"
    );
}

/// Error-Cause names agree with the builtin dictionary's VALUEs (which agree with
/// FreeRADIUS, checked in radius-dict's tests).
#[test]
fn error_cause_names_match_dictionary() {
    let dict = Dictionary::builtin();
    let attr = dict.attr("Error-Cause").unwrap();
    let values = dict.values(attr).unwrap();
    for c in ErrorCause::ALL {
        assert_eq!(values.number(c.name().unwrap()), Some(u64::from(c.0)), "{c:?}");
    }
}

#[test]
fn session_from_requests() {
    let secret = SharedSecret::from(SECRET);
    // A MAC-auth Access-Request from a Cisco switch.
    let mut b = PacketBuilder::access_request(1, [3; 16]);
    b.add(AttrType::USER_NAME, b"b0ee7b977f33").unwrap();
    b.add_user_password(&secret, b"b0ee7b977f33").unwrap();
    b.add_value(AttrType::SERVICE_TYPE, &Value::Integer(10)).unwrap();
    b.add_value(
        AttrType::NAS_IP_ADDRESS,
        &Value::IpAddr("192.0.2.10".parse().unwrap()),
    )
    .unwrap();
    b.add_value(AttrType::NAS_PORT, &Value::Integer(50101)).unwrap();
    b.add(AttrType::NAS_PORT_ID, b"GigabitEthernet1/0/3").unwrap();
    b.add(AttrType::CALLING_STATION_ID, b"B0-EE-7B-97-7F-33").unwrap();
    b.add(AttrType::CALLED_STATION_ID, b"00-11-22-33-44-55").unwrap();
    b.add_vsa(VendorId::CISCO, 1, b"audit-session-id=0A0B0C0D0000001A2B3C4D5E")
        .unwrap();
    b.add_vsa(VendorId::CISCO, 1, b"service-type=Call Check").unwrap();
    b.add(AttrType::ACCT_SESSION_ID, b"0000002A").unwrap();
    b.add_extended(AttrType::EXTENDED_1, 8, b"op-nas-7").unwrap();
    let bytes = b.finish(&secret).unwrap();
    let s = Session::from_packet(&Packet::new_checked(&bytes[..]).unwrap()).unwrap();
    assert_eq!(s.kind, SessionKind::MacAuth);
    assert_eq!(s.nas.ipv4, Some("192.0.2.10".parse().unwrap()));
    assert_eq!(s.id.nas_port, Some(50101));
    assert_eq!(s.id.nas_port_id.as_deref(), Some("GigabitEthernet1/0/3"));
    assert_eq!(
        s.id.calling_station,
        Some(StationId::Mac("b0:ee:7b:97:7f:33".parse().unwrap()))
    );
    assert_eq!(
        s.id.called_station.as_ref().unwrap().mac.unwrap().to_string(),
        "00:11:22:33:44:55"
    );
    assert_eq!(s.id.cisco_audit_session_id(), Some("0A0B0C0D0000001A2B3C4D5E"));
    assert_eq!(s.id.vendor_ids.len(), 2);
    assert_eq!(s.id.operator_nas_id.as_deref(), Some(&b"op-nas-7"[..]));
    // The session drives a plan straight away.
    let plan = Profile::CISCO_IOS
        .plan(&s, &Intent::Reauthenticate(ReauthKind::Last), UNIX_EPOCH)
        .unwrap();
    assert_eq!(plan.attrs.len(), 7); // 4 identification, 2 commands, Event-Timestamp

    // An Accounting-Request for a PPP session.
    let mut b = PacketBuilder::accounting_request(2);
    b.add(AttrType::USER_NAME, b"sub@isp").unwrap();
    b.add_value(AttrType::FRAMED_PROTOCOL, &Value::Integer(1))
        .unwrap();
    b.add_value(
        AttrType::FRAMED_IP_ADDRESS,
        &Value::IpAddr("100.64.0.9".parse().unwrap()),
    )
    .unwrap();
    b.add_value(
        AttrType::FRAMED_IPV6_PREFIX,
        &Value::Ipv6Prefix("2001:db8:1::".parse().unwrap(), 48),
    )
    .unwrap();
    b.add(AttrType::CLASS, b"c1").unwrap();
    b.add(AttrType::CHARGEABLE_USER_IDENTITY, b"cui-1").unwrap();
    let bytes = b.finish(&secret).unwrap();
    let s = Session::from_packet(&Packet::new_checked(&bytes[..]).unwrap()).unwrap();
    assert_eq!(s.kind, SessionKind::Ppp);
    assert_eq!(s.id.framed_ip, Some("100.64.0.9".parse().unwrap()));
    assert_eq!(
        s.id.framed_ipv6_prefix,
        Some(("2001:db8:1::".parse().unwrap(), 48))
    );
    assert_eq!(s.class, [b"c1".to_vec()]);
    assert_eq!(s.id.cui.as_deref(), Some(&b"cui-1"[..]));

    // A Vendor-Specific of vendor id 0 is no vendor attribute: neither a vendor
    // session id nor (its sub-attribute 1) a second User-Name.
    let mut b = PacketBuilder::accounting_request(2);
    b.add(AttrType::USER_NAME, b"alice").unwrap();
    b.add(AttrType::VENDOR_SPECIFIC, &[0, 0, 0, 0, 1, 5, b'e', b'v', b'e'])
        .unwrap();
    b.add_vsa(VendorId::ARUBA, 1, b"role").unwrap();
    let bytes = b.finish(&secret).unwrap();
    let s = Session::from_packet(&Packet::new_checked(&bytes[..]).unwrap()).unwrap();
    assert_eq!(s.id.user_name.as_deref(), Some("alice"));
    assert_eq!(s.id.vendor_ids.len(), 1);

    // Errors: the wrong code, non-text identifiers, bad lengths.
    let ack = PacketBuilder::new(Code::CoaAck, 1, [0; 16])
        .finish(&secret)
        .unwrap();
    assert_eq!(
        Session::from_packet(&Packet::new_checked(&ack[..]).unwrap()),
        Err(Error::WrongCode(Code::CoaAck))
    );
    let mut b = PacketBuilder::accounting_request(3);
    b.add(AttrType::USER_NAME, &[0xff, 0xfe]).unwrap();
    let bytes = b.finish(&secret).unwrap();
    assert_eq!(
        Session::from_packet(&Packet::new_checked(&bytes[..]).unwrap()),
        Err(Error::NotText(AttrType::USER_NAME))
    );
    // A Cisco VSA whose second sub-attribute runs past its end: the packet is valid
    // (the codec keeps the VSA whole, as FreeRADIUS does), but the audit-session-id in
    // it cannot be read: an error, never a session silently without it.
    let audit = b"audit-session-id=0A0B0C0D0000001A2B3C4D5E";
    let mut vsa = vec![0, 0, 0, 9, 1, u8::try_from(audit.len() + 2).unwrap()];
    vsa.extend_from_slice(audit);
    vsa.extend_from_slice(&[1, 9, b'x']);
    let mut b = PacketBuilder::accounting_request(5);
    b.add(AttrType::USER_NAME, b"bob").unwrap();
    b.add(AttrType::VENDOR_SPECIFIC, &vsa).unwrap();
    let bytes = b.finish(&secret).unwrap();
    assert!(matches!(
        Session::from_packet(&Packet::new_checked(&bytes[..]).unwrap()),
        Err(Error::BadValue {
            attr: AttrType::VENDOR_SPECIFIC,
            source: radius_codec::Error::VsaMalformed { .. },
        })
    ));
    // The same for the other structures the codec keeps whole: a WiMAX VSA holding
    // two sub-attributes (FreeRADIUS 3.2 keeps it raw), an Operator-NAS-Identifier
    // (241.8) without data, a long-extended fragment whose More flag has no
    // continuation.
    for (t, value, source) in [
        (
            26u8,
            &[0, 0, 0x60, 0xb5, 1, 4, 0, b'a', 2, 4, 0, b'b'][..],
            "VsaMalformed",
        ),
        (241, &[8], "AttributeTooShort"),
        (245, &[4, 0x80, b'x'], "MissingContinuation"),
    ] {
        let mut b = PacketBuilder::accounting_request(6);
        b.add(AttrType::USER_NAME, b"bob").unwrap();
        b.add(AttrType(t), value).unwrap();
        let bytes = b.finish(&secret).unwrap();
        match Session::from_packet(&Packet::new_checked(&bytes[..]).unwrap()) {
            Err(Error::BadValue { attr, source: e }) => {
                assert_eq!(attr, AttrType(t));
                assert!(format!("{e:?}").starts_with(source), "{e:?}");
            }
            other => panic!("{t}: {other:?}"),
        }
    }
    let mut b = PacketBuilder::accounting_request(4);
    b.add(AttrType::NAS_PORT, &[1, 2]).unwrap();
    let bytes = b.finish(&secret).unwrap();
    assert!(matches!(
        Session::from_packet(&Packet::new_checked(&bytes[..]).unwrap()),
        Err(Error::BadValue {
            attr: AttrType::NAS_PORT,
            ..
        })
    ));
}

fn state(status: EndpointStatus, role: Option<&str>, digest: u64) -> EndpointState {
    EndpointState {
        status,
        role: role.map(str::to_owned),
        attributes_digest: digest,
    }
}

#[test]
fn planner_transitions() {
    use EndpointStatus::{Disabled, Known, Unknown};
    let sessions = [Session::default(), Session::default()];
    // AOS-CX changes roles in place but has no re-authenticate CoA: a disconnect
    // makes the switch authenticate the client again.
    let profiles = [
        (Profile::ARUBA_CX, "attribute"),
        (Profile::CISCO_IOS, "reauth"),
        (Profile::RUCKUS, "disconnect"),
    ];
    let reauth = Intent::Reauthenticate(ReauthKind::Last);
    type Row = (
        Option<EndpointState>,
        EndpointState,
        [Option<(Intent, Reason)>; 3],
    );
    #[rustfmt::skip]
    let table: Vec<Row> = vec![
        // New endpoint registered as Known: re-authenticate where possible.
        (None, state(Known, None, 0), [
            Some((Intent::DISCONNECT, Reason::BecameKnown)),
            Some((reauth.clone(), Reason::BecameKnown)),
            Some((Intent::DISCONNECT, Reason::BecameKnown)),
        ]),
        (Some(state(Unknown, None, 0)), state(Known, None, 0), [
            Some((Intent::DISCONNECT, Reason::BecameKnown)),
            Some((reauth.clone(), Reason::BecameKnown)),
            Some((Intent::DISCONNECT, Reason::BecameKnown)),
        ]),
        // Disabled: disconnect everywhere; already disabled: nothing.
        (Some(state(Known, Some("staff"), 0)), state(Disabled, Some("staff"), 0), [
            Some((Intent::DISCONNECT, Reason::Disabled)),
            Some((Intent::DISCONNECT, Reason::Disabled)),
            Some((Intent::DISCONNECT, Reason::Disabled)),
        ]),
        (Some(state(Disabled, None, 0)), state(Disabled, None, 1), [None, None, None]),
        // Role change: in place, by re-authentication, or by disconnect, per profile.
        (Some(state(Known, Some("guest"), 0)), state(Known, Some("staff"), 0), [
            Some((Intent::ChangeRole("staff".into()), Reason::RoleChanged)),
            Some((reauth.clone(), Reason::RoleChanged)),
            Some((Intent::DISCONNECT, Reason::RoleChanged)),
        ]),
        // Known -> Unknown.
        (Some(state(Known, None, 0)), state(Unknown, None, 0), [
            Some((Intent::DISCONNECT, Reason::BecameUnknown)),
            Some((reauth.clone(), Reason::BecameUnknown)),
            Some((Intent::DISCONNECT, Reason::BecameUnknown)),
        ]),
        // Other policy attributes changed.
        (Some(state(Known, Some("staff"), 1)), state(Known, Some("staff"), 2), [
            Some((Intent::DISCONNECT, Reason::AttributesChanged)),
            Some((reauth.clone(), Reason::AttributesChanged)),
            Some((Intent::DISCONNECT, Reason::AttributesChanged)),
        ]),
        // Nothing changed.
        (Some(state(Known, Some("staff"), 1)), state(Known, Some("staff"), 1), [None, None, None]),
        (Some(state(Unknown, None, 0)), state(Unknown, None, 0), [None, None, None]),
    ];
    for (prev, cur, want) in table {
        for ((profile, label), want) in profiles.iter().zip(want) {
            let got = plan_endpoint_change(prev.as_ref(), &cur, &sessions, |_| profile);
            match want {
                None => assert!(got.is_empty(), "{prev:?} -> {cur:?} ({label}): {got:?}"),
                Some((intent, reason)) => {
                    assert_eq!(got.len(), 2, "{prev:?} -> {cur:?} ({label})");
                    for (i, p) in got.iter().enumerate() {
                        assert_eq!((p.session, &p.intent, p.reason), (i, &intent, reason), "{label}");
                    }
                }
            }
        }
    }
    // No session: nothing to do, whatever changed.
    assert!(plan_endpoint_change(None, &state(Known, None, 0), &[], |_| &profiles[0].0).is_empty());
}

#[test]
fn planner_inputs_from_clearpass() {
    let before: Endpoint = serde_json::from_str(
        r#"{"mac_address":"b0ee7b977f33","status":"Known","attributes":{"Role":"guest","IPAM-Subnet":"10.1.0.0/16"}}"#,
    )
    .unwrap();
    let after: Endpoint = serde_json::from_str(
        r#"{"mac_address":"b0ee7b977f33","status":"Known","attributes":{"Role":"staff","IPAM-Subnet":"10.1.0.0/16"}}"#,
    )
    .unwrap();
    let (b, a) = (
        EndpointState::from_endpoint(&before, Some("Role")),
        EndpointState::from_endpoint(&after, Some("Role")),
    );
    assert_eq!(a.role.as_deref(), Some("staff"));
    assert_eq!(
        a.attributes_digest, b.attributes_digest,
        "the role is not an 'other attribute'"
    );
    let aruba = Profile::ARUBA_CONTROLLER;
    let p = plan_endpoint_change(Some(&b), &a, &[Session::default()], |_| &aruba);
    assert_eq!(p[0].intent, Intent::ChangeRole("staff".into()));

    let mut moved = after;
    moved
        .attributes
        .as_mut()
        .unwrap()
        .insert("IPAM-Subnet".into(), "10.2.0.0/16".into());
    let m = EndpointState::from_endpoint(&moved, Some("Role"));
    assert_ne!(m.attributes_digest, a.attributes_digest);

    let dev: Device =
        serde_json::from_str(r#"{"mac":"B0-EE-7B-97-7F-33","enabled":false,"role_id":2}"#).unwrap();
    let d = EndpointState::from_device(&dev);
    assert_eq!(
        (d.status, d.role.as_deref()),
        (EndpointStatus::Disabled, Some("2"))
    );
}
