//! Client/server pairs driven in memory with a simulated clock (quinn-proto's `Pair`).

use std::sync::Arc;
use std::time::{Duration, Instant};

use radius_codec::radius11::original_packet_code;
use radius_codec::{AttrType, Code, DecodeOptions, Packet, PacketBuilder, SharedSecret};
use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName};
use rustls::RootCertStore;

use crate::tls::{client_config, server_config, Alpn, Identity, TlsVersions};
use crate::*;

pub(crate) struct Pki {
    pub(crate) ca: CertificateDer<'static>,
    issuer: Issuer<'static, KeyPair>,
}

impl Pki {
    pub(crate) fn new() -> Self {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let key = KeyPair::generate().unwrap();
        let ca = params.self_signed(&key).unwrap().der().clone();
        Self {
            ca,
            issuer: Issuer::new(params, key),
        }
    }

    pub(crate) fn identity(&self, name: &str) -> Identity {
        let params = CertificateParams::new(vec![name.to_string()]).unwrap();
        let key = KeyPair::generate().unwrap();
        let cert = params.signed_by(&key, &self.issuer).unwrap();
        Identity {
            chain: vec![cert.der().clone()],
            key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
        }
    }

    pub(crate) fn roots(&self) -> RootCertStore {
        let mut r = RootCertStore::empty();
        r.add(self.ca.clone()).unwrap();
        r
    }
}

struct Pair {
    client: Connection,
    server: Connection,
    now: Instant,
}

impl Pair {
    fn tcp(secret: &str) -> Self {
        Self {
            client: Connection::tcp_client(Settings::new(SharedSecret::from(secret)), 9),
            server: Connection::tcp_server(Settings::new(SharedSecret::from(secret))),
            now: Instant::now(),
        }
    }

    fn tls(client_alpn: Alpn, server_alpn: Alpn, versions: TlsVersions) -> Self {
        let (cc, sc) = configs(client_alpn, server_alpn, versions);
        Self::with_configs(&cc, &sc)
    }

    fn with_configs(cc: &Arc<rustls::ClientConfig>, sc: &Arc<rustls::ServerConfig>) -> Self {
        let name = ServerName::try_from("localhost").unwrap();
        Self {
            client: Connection::tls_client(cc.clone(), name, Settings::tls(), 3).unwrap(),
            server: Connection::tls_server(sc.clone(), Settings::tls()).unwrap(),
            now: Instant::now(),
        }
    }

    /// Moves bytes both ways until quiet.
    fn drive(&mut self) {
        for _ in 0..20 {
            let mut a = Vec::new();
            self.client.poll_transmit(&mut a);
            let mut b = Vec::new();
            self.server.poll_transmit(&mut b);
            if a.is_empty() && b.is_empty() {
                return;
            }
            let _ = self.server.receive(&a, self.now);
            let _ = self.client.receive(&b, self.now);
        }
    }

    fn events(c: &mut Connection) -> Vec<Event> {
        std::iter::from_fn(|| c.poll_event()).collect()
    }
}

pub(crate) fn configs(
    client_alpn: Alpn,
    server_alpn: Alpn,
    versions: TlsVersions,
) -> (Arc<rustls::ClientConfig>, Arc<rustls::ServerConfig>) {
    let pki = Pki::new();
    let cc = client_config(pki.roots(), Some(pki.identity("client")), client_alpn, versions).unwrap();
    let sc = server_config(
        pki.identity("localhost"),
        Some(pki.roots()),
        server_alpn,
        versions,
    )
    .unwrap();
    (cc, sc)
}

fn acct(id: u8, _v: Version, _s: &SharedSecret) -> radius_codec::Result<PacketBuilder> {
    let mut b = PacketBuilder::accounting_request(id);
    b.add(AttrType::USER_NAME, b"bob")?;
    Ok(b)
}

fn answer_all(server: &mut Connection) -> usize {
    let mut n = 0;
    for ev in Pair::events(server) {
        if let Event::Request { packet } = ev {
            let req = Packet::new_checked_with(&packet[..], &DecodeOptions::TCP).unwrap();
            let code = match req.code() {
                Code::AccessRequest => Code::AccessAccept,
                Code::CoaRequest => Code::CoaAck,
                _ => Code::AccountingResponse,
            };
            server.reply(&req, PacketBuilder::reply_to(&req, code)).unwrap();
            n += 1;
        }
    }
    n
}

fn connected(c: &mut Connection) -> Version {
    match Pair::events(c).into_iter().find_map(|e| match e {
        Event::Connected { version } => Some(version),
        _ => None,
    }) {
        Some(v) => v,
        None => panic!("not connected"),
    }
}

#[test]
fn tcp_pipelined_requests_get_verified_replies() {
    let mut p = Pair::tcp("s3cret");
    assert_eq!(connected(&mut p.client), Version::V1_0);
    let handles: Vec<_> = (0..300)
        .map(|_| p.client.send_request(p.now, acct))
        .take_while(Result::is_ok)
        .map(Result::unwrap)
        .collect();
    // 256 identifiers, one reserved for the watchdog (RFC 6613 §2.6.5).
    assert_eq!(handles.len(), 255);
    assert!(matches!(
        p.client.send_request(p.now, acct),
        Err(Error::IdentifiersExhausted)
    ));
    p.drive();
    assert_eq!(answer_all(&mut p.server), 255);
    p.drive();
    let replies = Pair::events(&mut p.client)
        .into_iter()
        .filter(|e| matches!(e, Event::Reply { .. }))
        .count();
    assert_eq!(replies, 255);
    assert_eq!(p.client.in_flight(), 0);
}

#[test]
fn tls12_and_tls13_without_alpn_speak_radius_1_0() {
    for v in [TlsVersions::Tls12, TlsVersions::Tls13] {
        let mut p = Pair::tls(Alpn::Off, Alpn::Off, v);
        p.drive();
        assert_eq!(connected(&mut p.client), Version::V1_0);
        assert_eq!(connected(&mut p.server), Version::V1_0);
        let h = p.client.send_request(p.now, acct).unwrap();
        p.drive();
        answer_all(&mut p.server);
        p.drive();
        assert!(Pair::events(&mut p.client)
            .iter()
            .any(|e| matches!(e, Event::Reply { handle, .. } if *handle == h)));
    }
}

#[test]
fn alpn_negotiates_radius_1_1_with_tokens_and_no_md5() {
    let mut p = Pair::tls(Alpn::Allow, Alpn::Allow, TlsVersions::Tls12And13);
    p.drive();
    assert_eq!(connected(&mut p.client), Version::V1_1);
    assert_eq!(connected(&mut p.server), Version::V1_1);
    // More than 256 requests in flight: Tokens are 32 bits.
    let mut handles = Vec::new();
    for _ in 0..400 {
        handles.push(
            p.client
                .send_request(p.now, |id, v, _| {
                    assert_eq!((id, v), (0, Version::V1_1));
                    let mut b = PacketBuilder::access_request(id, [0; 16]);
                    b.add(AttrType::USER_NAME, b"bob")?
                        .add(AttrType::USER_PASSWORD, b"hello")?;
                    Ok(b)
                })
                .unwrap(),
        );
    }
    p.drive();
    let events = Pair::events(&mut p.server);
    let mut n = 0;
    for ev in events {
        if let Event::Request { packet } = ev {
            let req = Packet::new_checked_with(&packet[..], &DecodeOptions::TCP).unwrap();
            assert_eq!(req.identifier(), 0);
            assert!(req.message_authenticator().is_none());
            assert_eq!(req.first(AttrType::USER_PASSWORD).unwrap().value(), b"hello");
            p.server
                .reply(&req, PacketBuilder::reply_to(&req, Code::AccessAccept))
                .unwrap();
            n += 1;
        }
    }
    assert_eq!(n, 400);
    p.drive();
    let replies = Pair::events(&mut p.client)
        .into_iter()
        .filter(|e| matches!(e, Event::Reply { .. }))
        .count();
    assert_eq!(replies, 400);
}

#[test]
fn required_radius_1_1_against_a_1_0_peer_closes() {
    let mut p = Pair::tls(Alpn::Require, Alpn::Off, TlsVersions::Tls13);
    p.drive();
    let events = Pair::events(&mut p.client);
    assert!(
        events
            .iter()
            .any(|e| matches!(e, Event::Closed(CloseReason::Alpn))),
        "{events:?}"
    );
    assert!(!p.client.is_open());
}

#[test]
fn wrong_ca_is_a_tls_error_event() {
    let pki = Pki::new();
    let other = Pki::new();
    let cc = client_config(
        other.roots(),
        Some(other.identity("c")),
        Alpn::Off,
        TlsVersions::Tls13,
    )
    .unwrap();
    let sc = server_config(
        pki.identity("localhost"),
        Some(pki.roots()),
        Alpn::Off,
        TlsVersions::Tls13,
    )
    .unwrap();
    let mut p = Pair {
        client: Connection::tls_client(cc, ServerName::try_from("localhost").unwrap(), Settings::tls(), 1)
            .unwrap(),
        server: Connection::tls_server(sc, Settings::tls()).unwrap(),
        now: Instant::now(),
    };
    p.drive();
    let ev = Pair::events(&mut p.client);
    assert!(
        ev.iter().any(|e| matches!(e, Event::Closed(CloseReason::Tls(_)))),
        "{ev:?}"
    );
    assert!(matches!(p.client.send_request(p.now, acct), Err(Error::NotOpen)));
}

#[test]
fn watchdog_fires_on_quiet_and_closes_when_unanswered() {
    let mut p = Pair::tcp("s");
    p.client.handle_timeout(p.now);
    let t = p.client.poll_timeout().unwrap();
    assert_eq!(t, p.now + Duration::from_secs(30));
    // Answered watchdog: Status-Server with the reserved identifier.
    p.now = t;
    p.client.handle_timeout(p.now);
    let mut wire = Vec::new();
    p.client.poll_transmit(&mut wire);
    assert_eq!(wire[0], 12);
    // RFC 6613 §2.6.5: Identifier 0 is the one reserved for Status-Server (it was 255).
    assert_eq!(wire[1], 0);
    assert_eq!(u32::from(wire[1]), WATCHDOG_KEY);
    p.server.receive(&wire, p.now).unwrap();
    p.drive();
    assert!(Pair::events(&mut p.client)
        .iter()
        .any(|e| matches!(e, Event::WatchdogAnswered)));
    // A request in flight, then the peer stalls: the watchdog goes unanswered.
    p.client = Connection::tcp_client(
        Settings::new(SharedSecret::from("s")).request_timeout(Duration::from_secs(120)),
        5,
    );
    p.client.handle_timeout(p.now);
    let h = p.client.send_request(p.now, acct).unwrap();
    p.now += Duration::from_secs(30);
    p.client.handle_timeout(p.now); // sends the watchdog
    p.now += Duration::from_secs(10);
    p.client.handle_timeout(p.now);
    let ev = Pair::events(&mut p.client);
    assert!(ev.iter().any(|e| matches!(e,
        Event::Lost { handle, reason: LostReason::Closed(CloseReason::WatchdogTimeout), .. } if *handle == h)),
        "{ev:?}");
    assert!(matches!(
        ev.last(),
        Some(Event::Closed(CloseReason::WatchdogTimeout))
    ));
}

#[test]
fn request_timeout_reports_lost_without_retransmitting() {
    let mut p = Pair::tcp("s");
    let h = p.client.send_request(p.now, acct).unwrap();
    let mut wire = Vec::new();
    p.client.poll_transmit(&mut wire);
    p.now += Duration::from_secs(30);
    p.client.handle_timeout(p.now);
    let mut again = Vec::new();
    p.client.poll_transmit(&mut again);
    // RFC 6613 §2.6.1: no retransmission on an open connection (only a watchdog).
    assert!(again.is_empty() || again[0] == 12);
    assert!(Pair::events(&mut p.client).iter().any(|e| matches!(e,
        Event::Lost { handle, reason: LostReason::TimedOut, .. } if *handle == h)));
}

#[test]
fn bad_authenticator_discards_and_closes() {
    // RFC 6613 §2.6.4: "silently discard" becomes discard and close.
    let mut p = Pair::tcp("one");
    let mut server = Connection::tcp_server(Settings::new(SharedSecret::from("two")));
    p.client.send_request(p.now, acct).unwrap();
    let mut wire = Vec::new();
    p.client.poll_transmit(&mut wire);
    assert!(server.receive(&wire, p.now).is_err());
    let ev = Pair::events(&mut server);
    assert!(matches!(
        ev.last(),
        Some(Event::Closed(CloseReason::BadPacket(_)))
    ));
}

#[test]
fn peer_closing_mid_packet_loses_requests_reported() {
    let mut p = Pair::tcp("s");
    let h = p.client.send_request(p.now, acct).unwrap();
    p.client.receive(&[2, 0, 0, 40, 1, 2], p.now).unwrap();
    p.client.peer_closed();
    let ev = Pair::events(&mut p.client);
    assert!(ev
        .iter()
        .any(|e| matches!(e, Event::Lost { handle, .. } if *handle == h)));
    assert!(matches!(
        ev.last(),
        Some(Event::Closed(CloseReason::PeerClosedMidPacket { buffered: 6 }))
    ));
}

#[test]
fn lengths_over_65535_cannot_exist_and_under_20_close() {
    let mut p = Pair::tcp("s");
    let h = p.client.send_request(p.now, acct).unwrap();
    assert!(p.client.receive(&[2, 0, 0, 19], p.now).is_err());
    let ev = Pair::events(&mut p.client);
    assert!(ev
        .iter()
        .any(|e| matches!(e, Event::Lost { handle, .. } if *handle == h)));
    assert!(matches!(
        ev.last(),
        Some(Event::Closed(CloseReason::Frame(FrameError::BadLength {
            length: 19,
            ..
        })))
    ));
}

#[test]
fn reverse_coa_is_naked_with_406_unless_accepted() {
    // RFC 6614 §2.5: a server may send CoA over the client's connection; a client
    // that does not accept it answers NAK with Error-Cause 406.
    let mut p = Pair::tcp("s");
    p.server
        .send_request(p.now, |id, _, _| {
            let mut b = PacketBuilder::coa_request(id);
            b.add(AttrType::USER_NAME, b"bob")?;
            Ok(b)
        })
        .unwrap();
    p.drive();
    let ev = Pair::events(&mut p.server);
    let reply = ev
        .iter()
        .find_map(|e| match e {
            Event::Reply { reply, .. } => Some(reply.clone()),
            _ => None,
        })
        .unwrap();
    let reply = Packet::new_checked(&reply[..]).unwrap();
    assert_eq!(reply.code(), Code::CoaNak);
    assert_eq!(
        reply.first(AttrType::ERROR_CAUSE).unwrap().value(),
        406u32.to_be_bytes()
    );

    let mut p = Pair::tcp("s");
    p.client = Connection::tcp_client(
        Settings::new(SharedSecret::from("s")).accept_dynamic_authorization(true),
        1,
    );
    p.server
        .send_request(p.now, |id, _, _| Ok(PacketBuilder::disconnect_request(id)))
        .unwrap();
    p.drive();
    assert_eq!(answer_all(&mut p.client), 1);
}

#[test]
fn protocol_error_is_delivered_as_a_reply() {
    let mut p = Pair::tcp("s");
    let h = p.client.send_request(p.now, acct).unwrap();
    p.drive();
    for ev in Pair::events(&mut p.server) {
        if let Event::Request { packet } = ev {
            let req = Packet::new_checked(&packet[..]).unwrap();
            let pe = PacketBuilder::protocol_error(&req, 601, Some(4096)).unwrap();
            p.server.reply(&req, pe).unwrap();
        }
    }
    p.drive();
    let ev = Pair::events(&mut p.client);
    let reply = ev
        .iter()
        .find_map(|e| match e {
            Event::Reply { handle, reply, .. } if *handle == h => Some(reply.clone()),
            _ => None,
        })
        .unwrap();
    let reply = Packet::new_checked(&reply[..]).unwrap();
    assert_eq!(reply.code(), Code::ProtocolError);
    assert_eq!(original_packet_code(&reply), Some(Code::AccountingRequest));
}

#[test]
fn unmatched_reply_closes() {
    let mut p = Pair::tcp("s");
    let s = SharedSecret::from("s");
    let req = PacketBuilder::accounting_request(77).finish(&s).unwrap();
    let req = Packet::new_checked(&req[..]).unwrap();
    let reply = PacketBuilder::reply_to(&req, Code::AccountingResponse)
        .finish(&s)
        .unwrap();
    assert!(p.client.receive(&reply, p.now).is_err());
    assert!(matches!(
        Pair::events(&mut p.client).last(),
        Some(Event::Closed(CloseReason::UnmatchedReply { key: 77, .. }))
    ));
    let _ = Arc::new(());
}

#[test]
fn a_reply_failing_verification_reports_its_request_lost() {
    // Found by the stream_connection fuzz target: the request whose reply failed
    // verification vanished without an Event::Lost.
    let mut p = Pair::tcp("s");
    let h = p.client.send_request(p.now, acct).unwrap();
    let mut wire = Vec::new();
    p.client.poll_transmit(&mut wire);
    let req = Packet::new_checked(&wire[..]).unwrap();
    let forged = PacketBuilder::reply_to(&req, Code::AccountingResponse)
        .finish(&SharedSecret::from("not-s"))
        .unwrap();
    assert!(p.client.receive(&forged, p.now).is_err());
    let ev = Pair::events(&mut p.client);
    assert!(
        ev.iter().any(|e| matches!(e,
            Event::Lost { handle, reason: LostReason::Closed(CloseReason::BadPacket(_)), .. } if *handle == h)),
        "{ev:?}"
    );
}

#[test]
fn radius_1_0_requests_never_take_identifier_0() {
    // RFC 6613 §2.6.5: Identifier 0 stays free for the Status-Server watchdog (the old
    // code reserved 255 and handed 0 to a request).
    let mut p = Pair::tcp("s");
    let mut ids = Vec::new();
    while p.client.send_request(p.now, acct).is_ok() {}
    let mut wire = Vec::new();
    p.client.poll_transmit(&mut wire);
    let mut rest = &wire[..];
    while rest.len() >= 4 {
        let len = usize::from(u16::from_be_bytes([rest[2], rest[3]]));
        ids.push(rest[1]);
        rest = &rest[len..];
    }
    ids.sort_unstable();
    assert_eq!(ids, (1..=255).collect::<Vec<u8>>());
}

/// The Token of every RADIUS/1.1 request the server sees, in order.
fn server_tokens(p: &mut Pair) -> Vec<(Code, u32)> {
    Pair::events(&mut p.server)
        .into_iter()
        .filter_map(|e| match e {
            Event::Request { packet } => {
                let req = Packet::new_checked_with(&packet[..], &DecodeOptions::TCP).unwrap();
                let (code, token) = (req.code(), req.token());
                p.server
                    .reply(&req, PacketBuilder::reply_to(&req, Code::AccountingResponse))
                    .unwrap();
                Some((code, token))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn radius_1_1_watchdog_takes_the_next_token_not_a_reserved_one() {
    // RFC 9765 §6.2: the reserved-Identifier practice MUST NOT be used for RADIUS/1.1;
    // §4.2.1: every new packet takes the next value of the connection's counter. The
    // old code sent every RADIUS/1.1 watchdog with the fixed Token 255.
    let (cc, sc) = configs(Alpn::Allow, Alpn::Allow, TlsVersions::Tls13);
    let mut p = Pair::with_configs(&cc, &sc);
    let mut settings = Settings::tls();
    settings.answer_status_server = false; // see the Status-Server as a request
    p.server = Connection::tls_server(sc, settings).unwrap();
    p.drive();
    assert_eq!(connected(&mut p.client), Version::V1_1);
    Pair::events(&mut p.server);
    p.client.handle_timeout(p.now);
    p.client.send_request(p.now, acct).unwrap();
    p.drive();
    let first = server_tokens(&mut p);
    p.drive();
    p.now += Duration::from_secs(30);
    p.client.handle_timeout(p.now); // quiet for 30 s: the watchdog goes out
    p.drive();
    let watchdog = server_tokens(&mut p);
    p.drive();
    assert!(Pair::events(&mut p.client)
        .iter()
        .any(|e| matches!(e, Event::WatchdogAnswered)));
    p.client.send_request(p.now, acct).unwrap();
    p.drive();
    let last = server_tokens(&mut p);
    let t = first[0].1;
    assert_eq!(first, vec![(Code::AccountingRequest, t)]);
    assert_eq!(watchdog, vec![(Code::StatusServer, t.wrapping_add(1))]);
    assert_eq!(last, vec![(Code::AccountingRequest, t.wrapping_add(2))]);
}

#[test]
fn radius_1_1_protocol_error_reply_has_no_original_packet_code() {
    // RFC 9765 §5.5: Original-Packet-Code MUST NOT be sent over RADIUS/1.1.
    let mut p = Pair::tls(Alpn::Require, Alpn::Require, TlsVersions::Tls13);
    p.drive();
    assert_eq!(connected(&mut p.client), Version::V1_1);
    let h = p.client.send_request(p.now, acct).unwrap();
    p.drive();
    for ev in Pair::events(&mut p.server) {
        if let Event::Request { packet } = ev {
            let req = Packet::new_checked_with(&packet[..], &DecodeOptions::TCP).unwrap();
            let pe = PacketBuilder::protocol_error(&req, 506, None).unwrap();
            p.server.reply(&req, pe).unwrap();
        }
    }
    p.drive();
    let reply = Pair::events(&mut p.client)
        .into_iter()
        .find_map(|e| match e {
            Event::Reply { handle, reply, .. } if handle == h => Some(reply),
            _ => None,
        })
        .unwrap();
    let reply = Packet::new_checked_with(&reply[..], &DecodeOptions::TCP).unwrap();
    assert_eq!(reply.code(), Code::ProtocolError);
    assert_eq!(original_packet_code(&reply), None);
    assert_eq!(
        reply.first(AttrType::ERROR_CAUSE).unwrap().value(),
        506u32.to_be_bytes()
    );
}

#[test]
fn radius_1_1_chap_without_chap_challenge_is_not_sent() {
    // RFC 9765 §5.1.2: a client MUST include CHAP-Challenge with CHAP-Password.
    let mut p = Pair::tls(Alpn::Allow, Alpn::Allow, TlsVersions::Tls13);
    p.drive();
    assert_eq!(connected(&mut p.client), Version::V1_1);
    let r = p.client.send_request(p.now, |id, _, _| {
        let mut b = PacketBuilder::access_request(id, [0; 16]);
        b.add(AttrType::CHAP_PASSWORD, &[1; 17])?;
        Ok(b)
    });
    assert!(matches!(
        r,
        Err(Error::Codec(radius_codec::Error::MissingAttribute { attr })) if attr == AttrType::CHAP_CHALLENGE
    ));
    assert_eq!(p.client.in_flight(), 0);
}

#[test]
fn allow_does_not_resume_tls_sessions() {
    // RFC 9765 §3.5: a session that negotiated radius/1.1 may only be resumed as
    // radius/1.1; rustls does not bind ALPN to tickets, so `Allow` does not resume.
    // The old configs resumed the second connection.
    let (cc, sc) = configs(Alpn::Allow, Alpn::Allow, TlsVersions::Tls13);
    for _ in 0..2 {
        let mut p = Pair::with_configs(&cc, &sc);
        p.drive();
        assert_eq!(connected(&mut p.client), Version::V1_1);
        p.client.send_request(p.now, acct).unwrap();
        p.drive();
        assert_eq!(answer_all(&mut p.server), 1);
        p.drive();
        let kind = p.client.tls().unwrap().handshake_kind();
        assert_eq!(kind, Some(rustls::HandshakeKind::Full));
    }
    // `Require` may resume: every handshake is radius/1.1 or fails.
    let (cc, sc) = configs(Alpn::Require, Alpn::Require, TlsVersions::Tls13);
    let mut kinds = Vec::new();
    for _ in 0..2 {
        let mut p = Pair::with_configs(&cc, &sc);
        p.drive();
        assert_eq!(connected(&mut p.client), Version::V1_1);
        p.client.send_request(p.now, acct).unwrap();
        p.drive();
        answer_all(&mut p.server);
        p.drive();
        kinds.push(p.client.tls().unwrap().handshake_kind());
    }
    assert_eq!(kinds[1], Some(rustls::HandshakeKind::Resumed));
}

#[test]
fn forbid_offers_radius_1_0_and_refuses_1_1_with_an_alert() {
    // RFC 9765 §3.3 value "1.0": send radius/1.0; a server so configured answers a
    // client offering only radius/1.1 with no_application_protocol (120) ("Alert").
    let mut p = Pair::tls(Alpn::Forbid, Alpn::Allow, TlsVersions::Tls13);
    p.drive();
    assert_eq!(connected(&mut p.client), Version::V1_0);
    assert_eq!(connected(&mut p.server), Version::V1_0);
    assert_eq!(p.server.tls().unwrap().alpn_protocol(), Some(&b"radius/1.0"[..]));

    let mut p = Pair::tls(Alpn::Require, Alpn::Forbid, TlsVersions::Tls13);
    p.drive();
    let ev = Pair::events(&mut p.client);
    assert!(
        ev.iter().any(|e| matches!(
            e,
            Event::Closed(CloseReason::Tls(rustls::Error::AlertReceived(
                rustls::AlertDescription::NoApplicationProtocol
            )))
        )),
        "{ev:?}"
    );
    assert!(matches!(
        Pair::events(&mut p.server).last(),
        Some(Event::Closed(CloseReason::Tls(
            rustls::Error::NoApplicationProtocol
        )))
    ));

    // A server that requires radius/1.1 closes a client sending no ALPN ("Close-S").
    let mut p = Pair::tls(Alpn::Off, Alpn::Require, TlsVersions::Tls13);
    p.drive();
    assert!(Pair::events(&mut p.server)
        .iter()
        .any(|e| matches!(e, Event::Closed(CloseReason::Alpn))));
    // The default is "1.0, 1.1" (RFC 9765 §3.3).
    assert_eq!(Alpn::default(), Alpn::Allow);
}

#[test]
fn server_side_radius_1_1_token_counter_starts_from_the_given_seed() {
    // RFC 9765 §4.2.1: the counter SHOULD start at a random value on every connection.
    // A server side had no seed: every connection's CoA Tokens started at the same value.
    let first_token = |seed: Option<u64>| {
        let (cc, sc) = configs(Alpn::Require, Alpn::Require, TlsVersions::Tls13);
        let mut p = Pair::with_configs(&cc, &sc);
        if let Some(seed) = seed {
            p.server = Connection::tls_server(sc, Settings::tls())
                .unwrap()
                .with_seed(seed);
        }
        p.drive();
        assert_eq!(connected(&mut p.server), Version::V1_1);
        p.server
            .send_request(p.now, |id, _, _| Ok(PacketBuilder::coa_request(id)))
            .unwrap();
        p.drive();
        // The client NAKs it (406); the NAK carries the request's Token.
        Pair::events(&mut p.server)
            .into_iter()
            .find_map(|e| match e {
                Event::Reply { reply, .. } => Some(Packet::new_unchecked(&reply[..]).token()),
                _ => None,
            })
            .unwrap()
    };
    assert_eq!(first_token(None), first_token(None));
    let (a, b) = (first_token(Some(1)), first_token(Some(2)));
    assert_ne!(a, b);
    assert_eq!(a, first_token(Some(1)));
}

#[test]
fn radius_1_1_over_tls_1_2_closes() {
    // RFC 9765 §3.4: RADIUS/1.1 requires TLS 1.3. A TLS 1.2 handshake that agrees on
    // radius/1.1 is closed on both sides rather than used. Our own `Allow` over TLS 1.2
    // no longer offers radius/1.1, so the client here is a peer that does (both names,
    // TLS 1.2 only), built by hand.
    let pki = Pki::new();
    let mut cc = client_config(
        pki.roots(),
        Some(pki.identity("client")),
        Alpn::Allow,
        TlsVersions::Tls12,
    )
    .unwrap();
    Arc::make_mut(&mut cc).alpn_protocols = Alpn::Allow.protocols();
    let sc = server_config(
        pki.identity("localhost"),
        Some(pki.roots()),
        Alpn::Allow,
        TlsVersions::Tls12And13,
    )
    .unwrap();
    let mut p = Pair::with_configs(&cc, &sc);
    p.drive();
    for c in [&mut p.client, &mut p.server] {
        assert_eq!(c.tls().unwrap().alpn_protocol(), Some(&b"radius/1.1"[..]));
        assert!(Pair::events(c)
            .iter()
            .any(|e| matches!(e, Event::Closed(CloseReason::Alpn))));
        assert!(!c.is_open());
    }
}

/// Close and loss reasons print as words, never as Rust values: the drivers, the
/// command line and the Python bindings show them to users as they are.
#[test]
fn close_reasons_read_as_words() {
    let reasons = [
        CloseReason::Local,
        CloseReason::PeerClosed,
        CloseReason::PeerClosedMidPacket { buffered: 7 },
        CloseReason::Frame(FrameError::BadLength {
            length: 3,
            max: 65535,
        }),
        CloseReason::Tls(rustls::Error::AlertReceived(
            rustls::AlertDescription::CertificateRequired,
        )),
        CloseReason::WatchdogTimeout,
        CloseReason::BadPacket(radius_codec::Error::BadMessageAuthenticator),
        CloseReason::UnmatchedReply {
            code: Code::AccessAccept,
            key: 9,
        },
        CloseReason::Alpn,
    ];
    for r in reasons {
        let lost = LostReason::Closed(r.clone()).to_string();
        for text in [r.to_string(), lost, Error::Closed(r.clone()).to_string()] {
            assert!(
                !text.contains("Closed(")
                    && !text.contains("AlertReceived(")
                    && !text.contains("{ ")
                    && !text.contains("Mid"),
                "{r:?}: {text}"
            );
        }
    }
    assert_eq!(
        Error::Closed(CloseReason::PeerClosedMidPacket { buffered: 7 }).to_string(),
        "the connection closed: the peer closed the connection 7 octets into a packet"
    );
    assert_eq!(LostReason::TimedOut.to_string(), "no reply in time");
}
