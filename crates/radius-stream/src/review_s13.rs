//! Adversarial review (s13), beside the unit tests (sharing their PKI): deframing at the edges, ALPN outcomes for every pair of
//! version settings, RADIUS/1.1 Tokens from a hand-driven peer, the watchdog on an
//! idle connection, and peers that close at awkward moments. The "raw peer" is a
//! plain rustls connection driven here, so it can send any plaintext octets.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::io::{Read, Write};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use radius_codec::{AttrType, Code, DecodeOptions, Packet, PacketBuilder, SharedSecret};
use rustls::pki_types::ServerName;

use crate::tests::{configs, Pki};
use crate::tls::{client_config, server_config, Alpn, TlsVersions};
use crate::{CloseReason, Connection, Deframer, Event, FrameError, Settings, Version};

fn name() -> ServerName<'static> {
    ServerName::try_from("localhost").unwrap()
}

fn events(c: &mut Connection) -> Vec<Event> {
    std::iter::from_fn(|| c.poll_event()).collect()
}

/// Moves bytes both ways between two connections until quiet.
fn drive(a: &mut Connection, b: &mut Connection, now: Instant) {
    for _ in 0..20 {
        let (mut x, mut y) = (Vec::new(), Vec::new());
        a.poll_transmit(&mut x);
        b.poll_transmit(&mut y);
        if x.is_empty() && y.is_empty() {
            return;
        }
        let _ = b.receive(&x, now);
        let _ = a.receive(&y, now);
    }
}

fn acct(id: u8, _v: Version, _s: &SharedSecret) -> radius_codec::Result<PacketBuilder> {
    let mut b = PacketBuilder::accounting_request(id);
    b.add(AttrType::USER_NAME, b"bob")?;
    Ok(b)
}

fn version_of(ev: &[Event]) -> Option<Version> {
    ev.iter().find_map(|e| match e {
        Event::Connected { version } => Some(*version),
        _ => None,
    })
}

fn closed_of(ev: &[Event]) -> Option<&CloseReason> {
    ev.iter().find_map(|e| match e {
        Event::Closed(r) => Some(r),
        _ => None,
    })
}

/// Our client [`Connection`] against a rustls server driven by hand (the "raw peer").
struct RawServer {
    client: Connection,
    peer: rustls::ServerConnection,
    now: Instant,
}

impl RawServer {
    fn new(client_alpn: Alpn, peer_alpn: Alpn) -> Self {
        let (cc, sc) = configs(client_alpn, peer_alpn, TlsVersions::Tls13);
        let mut s = Self {
            client: Connection::tls_client(cc, name(), Settings::tls(), 7).unwrap(),
            peer: rustls::ServerConnection::new(sc).unwrap(),
            now: Instant::now(),
        };
        s.pump();
        s
    }

    /// Moves TLS bytes both ways until quiet.
    fn pump(&mut self) {
        for _ in 0..20 {
            let mut to_peer = Vec::new();
            self.client.poll_transmit(&mut to_peer);
            let mut to_client = Vec::new();
            while self.peer.wants_write() {
                self.peer.write_tls(&mut to_client).unwrap();
            }
            if to_peer.is_empty() && to_client.is_empty() {
                return;
            }
            let mut rd = &to_peer[..];
            while !rd.is_empty() {
                if self.peer.read_tls(&mut rd).unwrap() == 0 {
                    break;
                }
                if self.peer.process_new_packets().is_err() {
                    break;
                }
            }
            let _ = self.client.receive(&to_client, self.now);
        }
    }

    /// What the client sent, as plaintext.
    fn received(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        let _ = self.peer.reader().read_to_end(&mut out);
        out
    }

    /// Sends plaintext octets to the client.
    fn send(&mut self, bytes: &[u8]) {
        self.peer.writer().write_all(bytes).unwrap();
        self.pump();
    }
}

/// Finding R1. A peer's close_notify followed by more octets (TLS says to ignore
/// them) in one `receive` of more than rustls's 4096-octet read: rustls's `read_tls`
/// answers `Ok(0)` for ever once close_notify was seen, and the read loop never
/// consumed the rest, spinning at 100 % CPU inside `receive` (nacwire-io reads 32 KiB
/// at a time, so any authenticated peer could hang a server thread).
#[test]
fn close_notify_followed_by_more_bytes_does_not_hang() {
    let (cc, sc) = configs(Alpn::Off, Alpn::Off, TlsVersions::Tls13);
    let now = Instant::now();
    let mut client = Connection::tls_client(cc, name(), Settings::tls(), 1).unwrap();
    let mut server = Connection::tls_server(sc, Settings::tls()).unwrap();
    drive(&mut client, &mut server, now);
    assert_eq!(version_of(&events(&mut server)), Some(Version::V1_0));
    events(&mut client);
    client.close();
    let mut wire = Vec::new();
    client.poll_transmit(&mut wire);
    assert!(!wire.is_empty());
    wire.extend_from_slice(&[0x17; 6000]);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let r = server.receive(&wire, now).is_ok();
        let ev = events(&mut server);
        let _ = tx.send((r, format!("{:?}", closed_of(&ev))));
    });
    let (ok, closed) = rx
        .recv_timeout(Duration::from_secs(10))
        .expect("receive() did not return: spinning on read_tls() == Ok(0)");
    assert!(ok);
    assert_eq!(closed, "Some(PeerClosed)");
}

/// Finding R2. A TLS client that is open but idle (nothing sent or received since
/// the handshake) had no timer: `poll_timeout()` was `None`, so a driver that sleeps
/// until it never sent the Status-Server watchdog, and a dead peer went unnoticed
/// until the first request was lost. The quiet time now counts from the handshake.
#[test]
fn idle_tls_client_schedules_its_watchdog_from_the_handshake() {
    let (cc, sc) = configs(Alpn::Allow, Alpn::Allow, TlsVersions::Tls13);
    let now = Instant::now();
    let mut client = Connection::tls_client(cc, name(), Settings::tls(), 1).unwrap();
    let mut server = Connection::tls_server(sc, Settings::tls()).unwrap();
    drive(&mut client, &mut server, now);
    assert_eq!(version_of(&events(&mut client)), Some(Version::V1_1));
    assert_eq!(client.poll_timeout(), Some(now + Duration::from_secs(30)));
    // at that time the watchdog goes out and is answered
    let later = now + Duration::from_secs(30);
    client.handle_timeout(later);
    assert!(client.wants_write());
    drive(&mut client, &mut server, later);
    assert!(events(&mut client)
        .iter()
        .any(|e| matches!(e, Event::WatchdogAnswered)));
    // unanswered (the server went silent), it closes the connection
    let t = client.poll_timeout().unwrap();
    assert_eq!(t, later + Duration::from_secs(30));
    client.handle_timeout(t);
    client.handle_timeout(t + Duration::from_secs(10));
    assert_eq!(
        closed_of(&events(&mut client)),
        Some(&CloseReason::WatchdogTimeout)
    );
}

/// RFC 9765 §3.3: every pair of version settings. `None` = the client closes or the
/// handshake fails.
#[test]
fn alpn_outcomes_for_every_pair_of_settings() {
    use Alpn::*;
    let v10 = Some(Version::V1_0);
    let v11 = Some(Version::V1_1);
    let table = [
        // (client, server, client sees, server sees)
        (Off, Off, v10, v10),
        (Off, Forbid, v10, v10),
        (Off, Allow, v10, v10),
        (Off, Require, None, None), // Close-S: the client connects, then sees the close
        (Forbid, Off, v10, v10),
        (Forbid, Forbid, v10, v10),
        (Forbid, Allow, v10, v10),
        (Forbid, Require, None, None), // no_application_protocol alert
        (Allow, Off, v10, v10),
        (Allow, Forbid, v10, v10),
        (Allow, Allow, v11, v11),
        (Allow, Require, v11, v11),
        (Require, Off, None, None), // Close-C: the server connects, then sees the close
        (Require, Forbid, None, None),
        (Require, Allow, v11, v11),
        (Require, Require, v11, v11),
    ];
    for (ca, sa, want_c, want_s) in table {
        let (cc, sc) = configs(ca, sa, TlsVersions::Tls13);
        let now = Instant::now();
        let mut client = Connection::tls_client(cc, name(), Settings::tls(), 1).unwrap();
        let mut server = Connection::tls_server(sc, Settings::tls()).unwrap();
        drive(&mut client, &mut server, now);
        let (ec, es) = (events(&mut client), events(&mut server));
        let got_c = version_of(&ec).filter(|_| !client.is_closed());
        let got_s = version_of(&es).filter(|_| !server.is_closed());
        assert_eq!(
            (got_c, got_s),
            (want_c, want_s),
            "{ca:?} -> {sa:?}: {ec:?} / {es:?}"
        );
        if want_c.is_none() {
            assert!(client.is_closed(), "{ca:?} -> {sa:?}");
        }
    }
}

/// RADIUS/1.1 Tokens from a peer: a reply is matched by its Token alone (Identifier
/// and Reserved-2 octets are ignored, RFC 9765 §4.1), a Token that matches nothing (or
/// a second reply with the same Token) closes the connection.
#[test]
fn radius_1_1_replies_matched_by_token_only() {
    let mut p = RawServer::new(Alpn::Require, Alpn::Require);
    assert_eq!(version_of(&events(&mut p.client)), Some(Version::V1_1));
    let h = p.client.send_request(p.now, acct).unwrap();
    p.pump();
    let req = p.received();
    assert_eq!(req.len(), usize::from(u16::from_be_bytes([req[2], req[3]])));
    assert_eq!(req[1], 0, "Reserved-1 is zero");
    let token = &req[4..8];
    // a reply with junk in Reserved-1 and Reserved-2
    let mut reply = vec![Code::AccountingResponse.into(), 0x5a, 0, 20];
    reply.extend_from_slice(token);
    reply.extend_from_slice(&[0xee; 12]);
    p.send(&reply);
    let ev = events(&mut p.client);
    assert!(
        ev.iter()
            .any(|e| matches!(e, Event::Reply { handle, .. } if *handle == h)),
        "{ev:?}"
    );
    // the same reply again matches nothing: discard and close
    p.send(&reply);
    let ev = events(&mut p.client);
    let want_key = u32::from_be_bytes([token[0], token[1], token[2], token[3]]);
    assert_eq!(
        closed_of(&ev),
        Some(&CloseReason::UnmatchedReply {
            code: Code::AccountingResponse,
            key: want_key
        })
    );
}

/// Frames over TLS from the raw peer: a zero Length and an oversized Length close
/// the connection with a typed reason; a packet split across records and reads is
/// put together; a peer closing mid-packet is reported as such with the request lost.
#[test]
fn deframing_edges_over_tls() {
    // zero Length
    let mut p = RawServer::new(Alpn::Off, Alpn::Off);
    events(&mut p.client);
    let h = p.client.send_request(p.now, acct).unwrap();
    p.pump();
    p.send(&[2, 1, 0, 0]);
    let ev = events(&mut p.client);
    assert!(ev
        .iter()
        .any(|e| matches!(e, Event::Lost { handle, .. } if *handle == h)));
    assert_eq!(
        closed_of(&ev),
        Some(&CloseReason::Frame(FrameError::BadLength {
            length: 0,
            max: 65_535
        }))
    );

    // Length above the configured maximum (4096 here)
    let (cc, sc) = configs(Alpn::Off, Alpn::Off, TlsVersions::Tls13);
    let mut settings = Settings::tls();
    settings.max_packet_len = 4096;
    let mut p = RawServer {
        client: Connection::tls_client(cc, name(), settings, 7).unwrap(),
        peer: rustls::ServerConnection::new(sc).unwrap(),
        now: Instant::now(),
    };
    p.pump();
    events(&mut p.client);
    p.send(&[2, 1, 0x10, 0x01]);
    assert_eq!(
        closed_of(&events(&mut p.client)),
        Some(&CloseReason::Frame(FrameError::BadLength {
            length: 4097,
            max: 4096
        }))
    );

    // a reply split octet by octet over separate TLS records, then mid-packet close
    let mut p = RawServer::new(Alpn::Off, Alpn::Off);
    events(&mut p.client);
    let h1 = p.client.send_request(p.now, acct).unwrap();
    let h2 = p.client.send_request(p.now, acct).unwrap();
    p.pump();
    let sent = p.received();
    let first = Packet::new_checked_with(&sent[..], &DecodeOptions::TCP).unwrap();
    let reply = PacketBuilder::reply_to(&first, Code::AccountingResponse)
        .for_tcp()
        .finish(&SharedSecret::from("radsec"))
        .unwrap();
    for b in &reply {
        p.send(std::slice::from_ref(b));
    }
    let ev = events(&mut p.client);
    assert!(
        ev.iter()
            .any(|e| matches!(e, Event::Reply { handle, .. } if *handle == h1)),
        "{ev:?}"
    );
    p.peer.writer().write_all(&reply[..7]).unwrap();
    p.peer.send_close_notify();
    p.pump();
    let ev = events(&mut p.client);
    assert!(ev
        .iter()
        .any(|e| matches!(e, Event::Lost { handle, .. } if *handle == h2)));
    assert_eq!(
        closed_of(&ev),
        Some(&CloseReason::PeerClosedMidPacket { buffered: 7 })
    );
}

/// The deframer on its own: a packet of exactly 20 octets, the 4-octet header split
/// 1+3, a zero-length header, and bytes after an error are never read as a packet.
#[test]
fn deframer_edges() {
    let mut d = Deframer::new();
    d.extend(&[4]);
    assert_eq!(d.next_packet(), Ok(None));
    d.extend(&[1, 0]);
    assert_eq!(d.next_packet(), Ok(None));
    d.extend(&[20]);
    assert_eq!(d.next_packet(), Ok(None));
    d.extend(&[0; 16]);
    assert_eq!(d.next_packet().unwrap().unwrap().len(), 20);
    assert_eq!(d.buffered(), 0);
    let mut d = Deframer::new();
    d.extend(&[4, 1, 0, 0]);
    assert_eq!(
        d.next_packet(),
        Err(FrameError::BadLength {
            length: 0,
            max: 65_535
        })
    );
}

/// Finding R3. `receive` reported an ALPN refusal and an unmatched reply as
/// `Error::NotOpen` ("handshake in progress or closed"), which names neither; the
/// reason was only in the `Closed` event. It now returns `Error::Closed(reason)`.
#[test]
fn receive_errors_name_why_the_connection_closed() {
    use crate::Error;
    // RADIUS/1.1 required, the server speaks plain RadSec (no ALPN)
    let (cc, sc) = configs(Alpn::Require, Alpn::Off, TlsVersions::Tls13);
    let now = Instant::now();
    let mut client = Connection::tls_client(cc, name(), Settings::tls(), 1).unwrap();
    let mut server = Connection::tls_server(sc, Settings::tls()).unwrap();
    let mut results = Vec::new();
    for _ in 0..6 {
        let (mut x, mut y) = (Vec::new(), Vec::new());
        client.poll_transmit(&mut x);
        server.poll_transmit(&mut y);
        let _ = server.receive(&x, now);
        results.push(client.receive(&y, now));
    }
    assert!(
        results
            .iter()
            .any(|r| matches!(r, Err(Error::Closed(CloseReason::Alpn)))),
        "{results:?}"
    );

    // a reply that matches no request
    let mut p = RawServer::new(Alpn::Off, Alpn::Off);
    events(&mut p.client);
    let reply = [5u8, 77, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    p.peer.writer().write_all(&reply).unwrap();
    let mut wire = Vec::new();
    while p.peer.wants_write() {
        p.peer.write_tls(&mut wire).unwrap();
    }
    let r = p.client.receive(&wire, p.now);
    assert!(
        matches!(
            r,
            Err(Error::Closed(CloseReason::UnmatchedReply {
                code: Code::AccountingResponse,
                key: 77
            }))
        ),
        "{r:?}"
    );
}

/// Finding R4. `Alpn::Allow` with `TlsVersions::Tls12` offered (client) or picked
/// (server) `radius/1.1` although RADIUS/1.1 needs TLS 1.3 (RFC 9765 §3.4), so a side
/// limited to TLS 1.2 with the default ALPN setting failed every handshake with a peer
/// that allows RADIUS/1.1: the peer agreed on `radius/1.1` over TLS 1.2 and both
/// closed. Limited to TLS 1.2, "allow" can only ever mean historic RadSec: only
/// `radius/1.0` is offered.
#[test]
fn allow_limited_to_tls_1_2_speaks_radius_1_0() {
    let pki = Pki::new();
    let client = |v| client_config(pki.roots(), Some(pki.identity("client")), Alpn::Allow, v).unwrap();
    let server = |v| server_config(pki.identity("localhost"), Some(pki.roots()), Alpn::Allow, v).unwrap();
    for (cv, sv) in [
        (TlsVersions::Tls12, TlsVersions::Tls12And13),
        (TlsVersions::Tls12And13, TlsVersions::Tls12),
        (TlsVersions::Tls12, TlsVersions::Tls12),
    ] {
        let now = Instant::now();
        let mut c = Connection::tls_client(client(cv), name(), Settings::tls(), 1).unwrap();
        let mut s = Connection::tls_server(server(sv), Settings::tls()).unwrap();
        drive(&mut c, &mut s, now);
        let (ec, es) = (events(&mut c), events(&mut s));
        assert_eq!(version_of(&ec), Some(Version::V1_0), "{cv:?}/{sv:?}: {ec:?}");
        assert_eq!(version_of(&es), Some(Version::V1_0), "{cv:?}/{sv:?}: {es:?}");
        assert!(c.is_open() && s.is_open(), "{cv:?}/{sv:?}: {ec:?} / {es:?}");
    }
    // with TLS 1.3 available, "allow" still gets RADIUS/1.1
    let now = Instant::now();
    let mut c = Connection::tls_client(client(TlsVersions::Tls12And13), name(), Settings::tls(), 1).unwrap();
    let mut s = Connection::tls_server(server(TlsVersions::Tls12And13), Settings::tls()).unwrap();
    drive(&mut c, &mut s, now);
    assert_eq!(version_of(&events(&mut c)), Some(Version::V1_1));
}
