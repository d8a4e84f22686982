//! CoA on endpoint change, end to end on loopback.
//!
//! An IPAM self-registration portal marks an endpoint Known in ClearPass. Instead of
//! waiting for the session to time out, the planner picks the intent for each live
//! session, the Cisco profile builds the CoA-Request, a NAS stand-in on loopback
//! (built on radius-codec) answers, and the outcome is printed. A second session the
//! NAS does not know shows the "session not found" outcome.
//!
//! Run: `cargo run -p nac-model --example endpoint_change`
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::net::UdpSocket;
use std::time::{Duration, SystemTime};

use nac_model::clearpass::Endpoint;
use nac_model::planner::{plan_endpoint_change, EndpointState};
use nac_model::{ErrorCause, Outcome, Profile, Reply, Session, SessionKind};
use radius_codec::{AttrType, Code, Packet, PacketBuilder, SharedSecret, Value, VendorId};

const SECRET: &str = "testing123";
const LIVE_SESSION: &[u8] = b"audit-session-id=0A0B0C0D0000001A2B3C4D5E";

/// The NAS stand-in: verifies each request, ACKs the session it knows, NAKs others
/// with Session-Context-Not-Found.
fn nas(sock: UdpSocket, requests: usize) {
    let secret = SharedSecret::from(SECRET);
    let mut buf = [0u8; 4096];
    for _ in 0..requests {
        let (n, from) = sock.recv_from(&mut buf).unwrap();
        let req = Packet::new_checked(&buf[..n]).unwrap();
        req.verify_request(&secret).unwrap();
        let known = req
            .vsas()
            .filter(|v| v.vendor() == VendorId::CISCO)
            .flat_map(|v| v.attrs())
            .any(|a| a.value() == LIVE_SESSION);
        let reply = if known {
            PacketBuilder::reply_to(&req, Code::CoaAck)
        } else {
            let mut b = PacketBuilder::reply_to(&req, Code::CoaNak);
            b.add_value(
                AttrType::ERROR_CAUSE,
                &Value::Integer(ErrorCause::SESSION_CONTEXT_NOT_FOUND.0),
            )
            .unwrap();
            b
        };
        sock.send_to(&reply.finish(&secret).unwrap(), from).unwrap();
    }
}

/// A session as the switch reported it in its Accounting-Request.
fn session_from_accounting(audit: &[u8], acct_id: &[u8]) -> Session {
    let secret = SharedSecret::from(SECRET);
    let mut b = PacketBuilder::accounting_request(1);
    b.add(AttrType::USER_NAME, b"b0ee7b977f33").unwrap();
    b.add_value(
        AttrType::NAS_IP_ADDRESS,
        &Value::IpAddr("192.0.2.10".parse().unwrap()),
    )
    .unwrap();
    b.add(AttrType::CALLING_STATION_ID, b"B0-EE-7B-97-7F-33").unwrap();
    b.add(AttrType::ACCT_SESSION_ID, acct_id).unwrap();
    b.add_vsa(VendorId::CISCO, 1, audit).unwrap();
    let bytes = b.finish(&secret).unwrap();
    Session::from_packet(&Packet::new_checked(&bytes[..]).unwrap()).unwrap()
}

/// Runs the scenario and returns each session's outcome.
fn run() -> Vec<Outcome> {
    // ClearPass' endpoint before and after the portal's PATCH.
    let before: Endpoint =
        serde_json::from_str(r#"{"mac_address":"b0ee7b977f33","status":"Unknown","attributes":{}}"#).unwrap();
    let after: Endpoint = serde_json::from_str(
        r#"{"mac_address":"b0ee7b977f33","status":"Known","attributes":{"IPAM-Registered":true}}"#,
    )
    .unwrap();
    let sessions = [
        session_from_accounting(LIVE_SESSION, b"0000002A"),
        session_from_accounting(b"audit-session-id=FFFF00000000000000000000", b"0000002B"),
    ];
    assert_eq!(sessions[0].kind, SessionKind::MacAuth);

    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    let nas_sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    let nas_addr = nas_sock.local_addr().unwrap();
    let responder = std::thread::spawn(move || nas(nas_sock, 2));
    sock.set_read_timeout(Some(Duration::from_secs(2))).unwrap();

    // The switch's profile, pointed at the loopback NAS instead of port 1700.
    let mut cisco = Profile::CISCO_IOS;
    cisco.coa_port = nas_addr.port();

    let planned = plan_endpoint_change(
        Some(&EndpointState::from_endpoint(&before, None)),
        &EndpointState::from_endpoint(&after, None),
        &sessions,
        |_| &cisco,
    );
    let secret = SharedSecret::from(SECRET);
    let mut outcomes = Vec::new();
    for (n, p) in planned.iter().enumerate() {
        let session = &sessions[p.session];
        let plan = cisco.plan(session, &p.intent, SystemTime::now()).unwrap();
        let request = plan.encode(n as u8, &secret).unwrap();
        println!(
            "session {} ({:?}): {:?} because {:?} -> {} to port {}, {} attributes",
            session.id.acct_session_id.as_deref().unwrap_or("?"),
            session.kind,
            p.intent,
            p.reason,
            plan.code(),
            plan.port,
            plan.attrs.len()
        );
        sock.send_to(request.as_bytes(), ("127.0.0.1", plan.port))
            .unwrap();
        let mut buf = [0u8; 4096];
        let (len, _) = sock.recv_from(&mut buf).unwrap();
        let reply = Packet::new_checked(&buf[..len]).unwrap();
        reply.verify_reply(&request, &secret).unwrap();
        let outcome = plan.outcome(&Reply::from_packet(&reply).unwrap());
        println!("    {} -> {outcome}", reply.code());
        outcomes.push(outcome);
    }
    responder.join().unwrap();
    outcomes
}

fn main() {
    run();
}

#[test]
fn endpoint_change_on_loopback() {
    assert_eq!(
        run(),
        [
            Outcome::Applied { residual_only: false },
            Outcome::SessionNotFound
        ]
    );
}
