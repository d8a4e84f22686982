//! RadSec throughput: requests per second over ONE TLS 1.3 connection, pipelined,
//! nacwire client -> nacwire server on loopback (RADIUS/1.0 over TLS with
//! Message-Authenticator, and RADIUS/1.1 without MD5), beside UDP with
//! Message-Authenticator in the same run, and through radsecproxy (nacwire TLS client
//! -> radsecproxy -> nacwire UDP server) when radsecproxy is installed.
//!
//! Every request is a PAP Access-Request (User-Name, hidden User-Password,
//! Message-Authenticator first); the server verifies it, reveals the password and
//! answers an Access-Accept signed the same way; the client verifies every reply.
//! One iteration = WINDOW requests sent back to back, then all replies collected.
//!
//! Run: `cargo bench -p nacwire-benches --bench radsec`
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use std::net::{SocketAddr, UdpSocket};
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use nacwire_io::stream::{Acceptor, Completion, Connector, Handler, RequestInfo, StreamClient, StreamServer};
use nacwire_tests::radsec::{radsecproxy_logging, wait_tcp, Pki};
use radius_codec::exchange::{Client, ClientEvent};
use radius_codec::{crypto, AttrType, Code, Packet, PacketBuilder, SharedSecret};
use radius_stream::tls::{Alpn, TlsVersions};
use radius_stream::{Secrets, Settings, Version};

const WINDOW: usize = 200;
const UDP_SECRET: &str = "testing123";

fn authenticator(n: u64) -> [u8; 16] {
    crypto::chap_response(n as u8, b"bench", &n.to_be_bytes())
}

/// What every server does with a request: verify, reveal the password, answer.
fn answer(p: &Packet<&[u8]>, version: Version, secret: &SharedSecret) -> Option<PacketBuilder> {
    let pw = p.first(AttrType::USER_PASSWORD)?.value();
    let clear = match version {
        Version::V1_1 => pw.to_vec(),
        _ => crypto::unhide_user_password(pw, secret, &p.authenticator()).ok()?,
    };
    let code = if clear == b"hello" {
        Code::AccessAccept
    } else {
        Code::AccessReject
    };
    Some(PacketBuilder::reply_to(p, code))
}

fn handler() -> Handler {
    Arc::new(|p: &Packet<&[u8]>, info: &RequestInfo| answer(p, info.version, &info.secret))
}

/// A UDP server answering with Message-Authenticator (verifying the request's).
fn udp_server() -> SocketAddr {
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = sock.local_addr().unwrap();
    std::thread::spawn(move || {
        let secret = SharedSecret::from(UDP_SECRET);
        let mut buf = [0u8; 4096];
        while let Ok((n, from)) = sock.recv_from(&mut buf) {
            let Ok(p) = Packet::new_checked(&buf[..n]) else {
                continue;
            };
            if p.verify_request(&secret).is_err() || p.message_authenticator().is_none() {
                continue;
            }
            if let Some(reply) = answer(&p, Version::V1_0, &secret) {
                let reply = reply.finish(&secret).unwrap();
                let _ = sock.send_to(&reply, from);
            }
        }
    });
    addr
}

fn tls_round(c: &mut StreamClient, n: &mut u64) {
    for _ in 0..WINDOW {
        *n += 1;
        let a = authenticator(*n);
        c.send(move |id, version, s| {
            let mut b = PacketBuilder::access_request(id, a);
            b.add(AttrType::USER_NAME, b"bob")?;
            match version {
                Version::V1_1 => b.add(AttrType::USER_PASSWORD, b"hello")?,
                _ => b.add_user_password(s, b"hello")?,
            };
            Ok(b)
        })
        .unwrap();
    }
    for _ in 0..WINDOW {
        match c.next_completion(Duration::from_secs(10)).unwrap() {
            Completion::Reply { reply, .. } => assert_eq!(reply[0], 2),
            other => panic!("{other:?}"),
        }
    }
}

fn udp_round(sock: &UdpSocket, client: &mut Client<SocketAddr>, dest: SocketAddr, n: &mut u64) {
    let now = Instant::now();
    for _ in 0..WINDOW {
        *n += 1;
        let a = authenticator(*n);
        let tx = client
            .send(&dest, now, |id, s| {
                let mut b = PacketBuilder::access_request(id, a);
                b.add(AttrType::USER_NAME, b"bob")?
                    .add_user_password(s, b"hello")?;
                b.finish(s)
            })
            .unwrap();
        sock.send_to(&tx.bytes, dest).unwrap();
    }
    let mut buf = [0u8; 4096];
    let mut got = 0;
    while got < WINDOW {
        let (len, from) = sock.recv_from(&mut buf).unwrap();
        match client.receive(&from, &buf[..len], Instant::now()) {
            Ok(ClientEvent::Reply { reply, .. }) => {
                assert_eq!(reply[0], 2);
                got += 1;
            }
            other => panic!("{other:?}"),
        }
    }
}

fn pipelined(c: &mut Criterion) {
    let pki = Pki::new("bench").unwrap();
    let mut g = c.benchmark_group("radsec_pipelined");
    g.throughput(Throughput::Elements(WINDOW as u64));

    // UDP with Message-Authenticator (the baseline).
    let udp_dest = udp_server();
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    sock.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut client = Client::new(1);
    client.add_destination(udp_dest, SharedSecret::from(UDP_SECRET));
    let mut n = 0;
    g.bench_function("udp+message-authenticator", |b| {
        b.iter(|| udp_round(&sock, &mut client, udp_dest, &mut n))
    });

    // One TLS 1.3 connection, RADIUS/1.0 (MD5 + Message-Authenticator inside TLS) and
    // RADIUS/1.1 (no MD5).
    for (name, alpn) in [
        ("tls1.3/radius1.0", Alpn::Off),
        ("tls1.3/radius1.1", Alpn::Require),
    ] {
        let server = StreamServer::bind(
            "127.0.0.1:0".parse().unwrap(),
            Acceptor::Tls(pki.server_config(alpn, TlsVersions::Tls13)),
            Settings::tls(),
            Secrets::new(),
        )
        .unwrap()
        .spawn(handler())
        .unwrap();
        let connector = Connector::tls(pki.client_config(alpn, TlsVersions::Tls13), "localhost").unwrap();
        let mut c = StreamClient::new(server.local_addr(), connector, Settings::tls());
        c.connect().unwrap();
        let mut n = 0;
        g.bench_function(name, |b| b.iter(|| tls_round(&mut c, &mut n)));
        assert_eq!(c.connections_opened(), 1, "one connection for the whole run");
    }

    // Through radsecproxy: nacwire TLS client -> radsecproxy -> nacwire UDP server.
    let proxy = ["/usr/sbin/radsecproxy", "/usr/bin/radsecproxy"]
        .iter()
        .map(std::path::Path::new)
        .find(|p| p.is_file());
    if let Some(proxy) = proxy {
        let tls = nacwire_tests::free_tcp_port();
        let conf = format!(
            "ListenTLS 127.0.0.1:{tls}\n\
             tls default {{\n CACertificateFile {ca}\n CertificateFile {cert}\n CertificateKeyFile {key}\n}}\n\
             client nacwire {{\n host 127.0.0.1\n type tls\n secret radsec\n certificateNameCheck off\n}}\n\
             server udp {{\n host 127.0.0.1\n port {port}\n type udp\n secret {UDP_SECRET}\n}}\n\
             realm * {{\n server udp\n}}\n",
            ca = pki.path("ca.pem").display(),
            cert = pki.path("server.pem").display(),
            key = pki.path("server.key").display(),
            port = udp_dest.port(),
        );
        let _p = radsecproxy_logging(proxy, "bench", &conf, 1).unwrap();
        assert!(wait_tcp(tls, Duration::from_secs(5)));
        let connector =
            Connector::tls(pki.client_config(Alpn::Off, TlsVersions::Tls13), "localhost").unwrap();
        let mut c = StreamClient::new(
            SocketAddr::from(([127, 0, 0, 1], tls)),
            connector,
            Settings::tls(),
        );
        c.connect().unwrap();
        let mut n = 0;
        g.bench_function("radsecproxy(tls1.3->udp)", |b| {
            b.iter(|| tls_round(&mut c, &mut n))
        });
    } else {
        eprintln!("radsecproxy not installed: its bench is skipped");
    }
    g.finish();
}

criterion_group!(benches, pipelined);
criterion_main!(benches);
