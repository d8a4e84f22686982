//! RadSec (RFC 6614), RADIUS over TCP (RFC 6613) and RADIUS/1.1 (RFC 9765) against
//! real peers on loopback: FreeRADIUS 3.2 as a TLS server (TLS 1.2 and 1.3),
//! radsecproxy 1.9 both ways, pyrad2's experimental RADIUS/1.1 both ways; and the
//! fault cases (peer closes mid-packet, bad Length, stalled peer, wrong certificate).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use nacwire_io::stream::{Acceptor, Connector, Handler, RequestInfo, StreamClient, StreamServer};
use nacwire_io::Error as IoError;
use nacwire_tests::radsec::{radsecproxy, require_pyrad2, wait_tcp, Peer, Pki};
use nacwire_tests::{free_tcp_port, free_udp_port, require_program, FreeRadius, SECRET};
use radius_codec::{crypto, AttrType, Code, DecodeOptions, Packet, PacketBuilder, SharedSecret, Value};
use radius_stream::tls::{Alpn, TlsVersions};
use radius_stream::{CloseReason, FrameError, LostReason, Secrets, Settings, Transport, Version};

fn random_auth() -> [u8; 16] {
    static N: AtomicUsize = AtomicUsize::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed) as u64;
    let t = Instant::now().elapsed().as_nanos() as u64 ^ u64::from(std::process::id());
    crypto::chap_response(n as u8, &n.to_be_bytes(), &t.to_be_bytes())
}

/// An Access-Request for `user`/`password`: User-Password hidden under RADIUS/1.0,
/// plain under RADIUS/1.1 (RFC 9765 §5.1.1).
fn access_request(
    user: &'static str,
    password: &'static str,
) -> impl FnOnce(u8, Version, &SharedSecret) -> radius_codec::Result<PacketBuilder> {
    move |id, version, secret| {
        let mut b = PacketBuilder::access_request(id, random_auth());
        b.add(AttrType::USER_NAME, user.as_bytes())?;
        match version {
            Version::V1_1 => b.add(AttrType::USER_PASSWORD, password.as_bytes())?,
            _ => b.add_user_password(secret, password.as_bytes())?,
        };
        Ok(b)
    }
}

fn accounting(id: u8, _: Version, _: &SharedSecret) -> radius_codec::Result<PacketBuilder> {
    let mut b = PacketBuilder::accounting_request(id);
    b.add(AttrType::USER_NAME, b"bob")?
        .add_value(AttrType::ACCT_STATUS_TYPE, &Value::Integer(1))?
        .add(AttrType::ACCT_SESSION_ID, b"nacwire-1")?;
    Ok(b)
}

fn status(id: u8, _: Version, _: &SharedSecret) -> radius_codec::Result<PacketBuilder> {
    Ok(PacketBuilder::status_server(id, random_auth()))
}

fn parse(reply: &[u8]) -> Packet<&[u8]> {
    Packet::new_checked_with(reply, &DecodeOptions::TCP).expect("valid reply")
}

fn text(p: &Packet<&[u8]>, t: AttrType) -> String {
    String::from_utf8_lossy(p.first(t).map(|a| a.value()).unwrap_or_default()).into_owned()
}

fn tls_version(c: &StreamClient) -> Option<rustls::ProtocolVersion> {
    c.connection()
        .and_then(|c| c.tls())
        .and_then(|t| t.protocol_version())
}

/// A nacwire server answering: Access-Request `bob`/`hello` -> Accept (Reply-Message
/// "nacwire <version>"), others -> Reject; accounting -> Response.
fn handler() -> Handler {
    Arc::new(|p: &Packet<&[u8]>, info: &RequestInfo| match p.code() {
        Code::AccessRequest => {
            let pw = p.first(AttrType::USER_PASSWORD)?.value();
            let clear = match info.version {
                Version::V1_1 => pw.to_vec(),
                _ => crypto::unhide_user_password(pw, &info.secret, &p.authenticator()).ok()?,
            };
            let ok = p.first(AttrType::USER_NAME).map(|a| a.value()) == Some(b"bob") && clear == b"hello";
            let mut r = PacketBuilder::reply_to(
                p,
                if ok {
                    Code::AccessAccept
                } else {
                    Code::AccessReject
                },
            );
            let msg = format!("nacwire {:?}", info.version);
            r.add(AttrType::REPLY_MESSAGE, msg.as_bytes()).ok()?;
            Some(r)
        }
        Code::AccountingRequest => Some(PacketBuilder::reply_to(p, Code::AccountingResponse)),
        _ => None,
    })
}

fn tls_server(pki: &Pki, alpn: Alpn, versions: TlsVersions) -> nacwire_io::stream::ServerHandle {
    StreamServer::bind(
        "127.0.0.1:0".parse().unwrap(),
        Acceptor::Tls(pki.server_config(alpn, versions)),
        Settings::tls(),
        Secrets::new(),
    )
    .unwrap()
    .spawn(handler())
    .unwrap()
}

fn tls_client(pki: &Pki, addr: SocketAddr, alpn: Alpn, versions: TlsVersions) -> StreamClient {
    let connector = Connector::tls(pki.client_config(alpn, versions), "localhost").unwrap();
    StreamClient::new(addr, connector, Settings::tls())
}

// ---- FreeRADIUS 3.2.1 as a RadSec server --------------------------------------------

#[test]
fn freeradius_radsec_auth_acct_status_over_tls12_and_tls13() {
    let Some(bin) = require_program("freeradius") else {
        return;
    };
    for (max, expect) in [
        ("1.2", rustls::ProtocolVersion::TLSv1_2),
        ("1.3", rustls::ProtocolVersion::TLSv1_3),
    ] {
        let pki = Pki::new("fr").unwrap();
        let server = FreeRadius::start_tls(&bin, &pki, max).expect("start freeradius with TLS");
        assert!(wait_tcp(server.tls_port, Duration::from_secs(5)));
        let addr = SocketAddr::from(([127, 0, 0, 1], server.tls_port));
        let mut c = tls_client(&pki, addr, Alpn::Off, TlsVersions::Tls12And13);
        assert_eq!(c.connect().unwrap(), Version::V1_0);
        assert_eq!(tls_version(&c), Some(expect), "TLS max {max}");

        // PAP over RadSec, secret "radsec" (RFC 6614 §2.3).
        let reply = c.request(access_request("bob", "hello")).unwrap();
        let reply = parse(&reply);
        assert_eq!(reply.code(), Code::AccessAccept, "{}", server.log());
        assert_eq!(text(&reply, AttrType::REPLY_MESSAGE), "Hello, bob");
        let reply = c.request(access_request("bob", "wrong")).unwrap();
        assert_eq!(parse(&reply).code(), Code::AccessReject);

        // Accounting and Status-Server on the same connection (one port, RFC 6614 §2.1).
        let reply = c.request(accounting).unwrap();
        assert_eq!(parse(&reply).code(), Code::AccountingResponse);
        let reply = c.request(status).unwrap();
        assert_eq!(parse(&reply).code(), Code::AccessAccept);
        // All of it over one connection.
        assert_eq!(c.connections_opened(), 1);
    }
}

#[test]
fn freeradius_refuses_a_client_certificate_from_another_ca() {
    let Some(bin) = require_program("freeradius") else {
        return;
    };
    let pki = Pki::new("fr-ca").unwrap();
    let stranger = Pki::new("stranger").unwrap();
    let server = FreeRadius::start_tls(&bin, &pki, "1.3").expect("start freeradius with TLS");
    let addr = SocketAddr::from(([127, 0, 0, 1], server.tls_port));
    // Trusts the server, but presents a certificate FreeRADIUS does not trust.
    let config = radius_stream::tls::client_config(
        pki.roots(),
        Some(nacwire_io::pem::identity(stranger.path("client.pem"), stranger.path("client.key")).unwrap()),
        Alpn::Off,
        TlsVersions::Tls13,
    )
    .unwrap();
    let mut c = StreamClient::new(
        addr,
        Connector::tls(config, "localhost").unwrap(),
        Settings::tls(),
    );
    // TLS 1.3: the client finishes its handshake first; the server's alert arrives
    // afterwards, so the refusal shows either at connect or on the first request.
    let outcome = c.connect().and_then(|_| c.request(status).map(|_| Version::V1_0));
    match outcome {
        Err(IoError::Closed(CloseReason::Tls(_) | CloseReason::PeerClosed))
        | Err(IoError::Lost(LostReason::Closed(CloseReason::Tls(_) | CloseReason::PeerClosed))) => {}
        other => panic!("expected a TLS refusal, got {other:?}"),
    }
}

// ---- radsecproxy 1.9 -----------------------------------------------------------------

fn radclient(port: u16, kind: &str, attrs: &str) -> String {
    let bin = require_program("radclient").expect("radclient");
    let mut child = Command::new(bin)
        .args(["-x", "-r", "1", "-t", "3"])
        .arg(format!("127.0.0.1:{port}"))
        .arg(kind)
        .arg(SECRET)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(attrs.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn radclient_through_radsecproxy_to_a_nacwire_radsec_server() {
    let Some(proxy) = require_program("radsecproxy") else {
        return;
    };
    let pki = Pki::new("rsp-client").unwrap();
    let server = tls_server(&pki, Alpn::Off, TlsVersions::Tls12And13);
    let udp = free_udp_port();
    let conf = format!(
        "ListenUDP 127.0.0.1:{udp}\n\
         tls default {{\n CACertificateFile {ca}\n CertificateFile {cert}\n CertificateKeyFile {key}\n}}\n\
         client localhost-udp {{\n host 127.0.0.1\n type udp\n secret {SECRET}\n}}\n\
         server nacwire {{\n host 127.0.0.1\n port {port}\n type tls\n secret radsec\n certificateNameCheck off\n StatusServer off\n}}\n\
         realm * {{\n server nacwire\n accountingServer nacwire\n}}\n",
        ca = pki.path("ca.pem").display(),
        cert = pki.path("client.pem").display(),
        key = pki.path("client.key").display(),
        port = server.local_addr().port(),
    );
    let p = radsecproxy(&proxy, "to-nacwire", &conf).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let out = radclient(udp, "auth", "User-Name = bob\nUser-Password = hello\n");
    assert!(
        out.contains("Received Access-Accept"),
        "{out}\n--- radsecproxy:\n{}",
        p.log()
    );
    assert!(out.contains("nacwire V1_0"), "{out}");
    let out = radclient(udp, "auth", "User-Name = bob\nUser-Password = nope\n");
    assert!(out.contains("Received Access-Reject"), "{out}\n{}", p.log());
    let out = radclient(
        udp,
        "acct",
        "User-Name = bob\nAcct-Status-Type = Start\nAcct-Session-Id = \"x1\"\n",
    );
    assert!(out.contains("Received Accounting-Response"), "{out}\n{}", p.log());
}

#[test]
fn nacwire_radsec_client_through_radsecproxy_to_freeradius() {
    let (Some(proxy), Some(fr)) = (require_program("radsecproxy"), require_program("freeradius")) else {
        return;
    };
    let pki = Pki::new("rsp-server").unwrap();
    let radiusd = FreeRadius::start(&fr).expect("start freeradius");
    let tls = free_tcp_port();
    let conf = format!(
        "ListenTLS 127.0.0.1:{tls}\n\
         tls default {{\n CACertificateFile {ca}\n CertificateFile {cert}\n CertificateKeyFile {key}\n}}\n\
         client nacwire {{\n host 127.0.0.1\n type tls\n secret radsec\n certificateNameCheck off\n}}\n\
         server fr-auth {{\n host 127.0.0.1\n port {auth}\n type udp\n secret {SECRET}\n}}\n\
         server fr-acct {{\n host 127.0.0.1\n port {acct}\n type udp\n secret {SECRET}\n}}\n\
         realm * {{\n server fr-auth\n accountingServer fr-acct\n}}\n",
        ca = pki.path("ca.pem").display(),
        cert = pki.path("server.pem").display(),
        key = pki.path("server.key").display(),
        auth = radiusd.auth_port,
        acct = radiusd.acct_port,
    );
    let p = radsecproxy(&proxy, "from-nacwire", &conf).unwrap();
    assert!(wait_tcp(tls, Duration::from_secs(5)), "{}", p.log());
    let addr = SocketAddr::from(([127, 0, 0, 1], tls));
    for (versions, expect) in [
        (TlsVersions::Tls12, rustls::ProtocolVersion::TLSv1_2),
        (TlsVersions::Tls12And13, rustls::ProtocolVersion::TLSv1_3),
    ] {
        let mut c = tls_client(&pki, addr, Alpn::Off, versions);
        let reply = c.request(access_request("bob", "hello")).unwrap();
        assert_eq!(tls_version(&c), Some(expect));
        let reply = parse(&reply);
        assert_eq!(reply.code(), Code::AccessAccept, "{}", p.log());
        assert_eq!(text(&reply, AttrType::REPLY_MESSAGE), "Hello, bob");
        assert_eq!(
            parse(&c.request(access_request("bob", "bad")).unwrap()).code(),
            Code::AccessReject
        );
        assert_eq!(
            parse(&c.request(accounting).unwrap()).code(),
            Code::AccountingResponse
        );
        // radsecproxy answers Status-Server itself.
        assert_eq!(parse(&c.request(status).unwrap()).code(), Code::AccessAccept);
    }
}

// ---- pyrad2 (experimental RADIUS/1.1) --------------------------------------------------

const PYRAD2_DICT: &str = "ATTRIBUTE\tUser-Name\t1\tstring
ATTRIBUTE\tUser-Password\t2\tstring\tencrypt=1
ATTRIBUTE\tReply-Message\t18\tstring
ATTRIBUTE\tState\t24\toctets
ATTRIBUTE\tClass\t25\toctets
ATTRIBUTE\tProxy-State\t33\toctets
ATTRIBUTE\tAcct-Status-Type\t40\tinteger
ATTRIBUTE\tAcct-Session-Id\t44\tstring
ATTRIBUTE\tMessage-Authenticator\t80\toctets
ATTRIBUTE\tError-Cause\t101\tinteger
VALUE\tAcct-Status-Type\tStart\t1
";

const PYRAD2_SERVER: &str = r#"
import asyncio, sys
from pyrad2.dictionary import Dictionary
from pyrad2.server import RemoteHost
from pyrad2.constants import PacketType
from pyrad2.radsec.server import RadSecServer
from pyrad2.radsec.v11 import RadiusVersion

DIR, PORT, VERSIONS = sys.argv[1], int(sys.argv[2]), sys.argv[3]

class Server(RadSecServer):
    async def handle_access_request(self, packet):
        if packet.radius_version == RadiusVersion.V1_0:
            pw = packet.pw_decrypt(packet.get(2)[0])
        else:
            pw = packet.get(2)[0]  # RADIUS/1.1: in clear
        if isinstance(pw, bytes):
            pw = pw.decode()
        ok = packet["User-Name"][0] == "bob" and pw == "hello"
        reply = packet.create_reply()
        reply.code = PacketType.AccessAccept if ok else PacketType.AccessReject
        reply["Reply-Message"] = f"pyrad2 v{int(packet.radius_version)} password={pw}"
        return reply
    async def handle_accounting(self, packet):
        reply = packet.create_reply()
        reply.code = PacketType.AccountingResponse
        return reply

versions = [RadiusVersion.V1_0, RadiusVersion.V1_1] if VERSIONS == "both" else [RadiusVersion.V1_1]
server = Server(
    listen_address="127.0.0.1", listen_port=PORT,
    hosts={"127.0.0.1": RemoteHost("127.0.0.1", b"radsec", "localhost")},
    dictionary=Dictionary(f"{DIR}/dictionary"),
    certfile=f"{DIR}/server.pem", keyfile=f"{DIR}/server.key", ca_certfile=f"{DIR}/ca.pem",
    radius_versions=versions,
)
print("READY", flush=True)
asyncio.run(server.run())
"#;

const PYRAD2_CLIENT: &str = r#"
import asyncio, sys
from pyrad2.dictionary import Dictionary
from pyrad2.radsec.client import RadSecClient
from pyrad2.radsec.v11 import RadiusVersion

DIR, PORT = sys.argv[1], int(sys.argv[2])

async def main():
    client = RadSecClient(
        server="127.0.0.1", port=PORT, secret=b"radsec", dict=Dictionary(f"{DIR}/dictionary"),
        certfile=f"{DIR}/client.pem", keyfile=f"{DIR}/client.key", certfile_server=f"{DIR}/ca.pem",
        check_hostname=False, radius_versions=(RadiusVersion.V1_1,), retries=1, timeout=5,
    )
    for user, pw in (("bob", "hello"), ("bob", "wrong")):
        req = client.create_auth_packet(User_Name=user)
        req.set_obfuscated("User-Password", pw)
        reply = await client.send_packet(req)
        print("AUTH", reply.code if reply is not None else None, reply["Reply-Message"][0] if reply is not None and "Reply-Message" in reply else "", flush=True)
    req = client.create_acct_packet(User_Name="bob")
    req["Acct-Status-Type"] = "Start"
    req["Acct-Session-Id"] = "py-1"
    reply = await client.send_packet(req)
    # (a pyrad2 Packet is a dict: an attribute-less reply is falsy, hence `is not None`)
    print("ACCT", reply.code if reply is not None else None, repr(client.last_error), flush=True)
    print("VERSION", int(client._negotiated_version), flush=True)
    await client.close()

asyncio.run(main())
"#;

fn pyrad2_files(pki: &Pki) {
    std::fs::write(pki.path("dictionary"), PYRAD2_DICT).unwrap();
    std::fs::write(pki.path("server.py"), PYRAD2_SERVER).unwrap();
    std::fs::write(pki.path("client.py"), PYRAD2_CLIENT).unwrap();
}

#[test]
fn nacwire_radius11_client_against_pyrad2_server() {
    let Some(python) = require_pyrad2() else {
        return;
    };
    let pki = Pki::new("pyrad2-server").unwrap();
    pyrad2_files(&pki);
    let port = free_tcp_port();
    let mut cmd = Command::new(&python);
    cmd.arg(pki.path("server.py"))
        .arg(&pki.dir)
        .arg(port.to_string())
        .arg("both");
    let peer = Peer::spawn(cmd, pki.path("server.log"), None).unwrap();
    assert!(wait_tcp(port, Duration::from_secs(20)), "{}", peer.log());
    let addr = SocketAddr::from(([127, 0, 0, 1], port));

    for alpn in [Alpn::Require, Alpn::Allow] {
        let mut c = tls_client(&pki, addr, alpn, TlsVersions::Tls13);
        assert_eq!(c.connect().unwrap(), Version::V1_1, "{}", peer.log());
        let reply = c.request(access_request("bob", "hello")).unwrap();
        let reply = parse(&reply);
        assert_eq!(reply.code(), Code::AccessAccept, "{}", peer.log());
        // The password travelled in clear inside TLS (no MD5 hiding in RADIUS/1.1).
        assert_eq!(text(&reply, AttrType::REPLY_MESSAGE), "pyrad2 v1 password=hello");
        // RFC 9765 §4: Reserved-1 is zero, and pyrad2's reply carries our Token (the
        // connection checked it); no Message-Authenticator.
        assert_eq!(reply.identifier(), 0);
        assert!(reply.message_authenticator().is_none());
        assert_eq!(
            parse(&c.request(access_request("bob", "x")).unwrap()).code(),
            Code::AccessReject
        );
        assert_eq!(
            parse(&c.request(accounting).unwrap()).code(),
            Code::AccountingResponse
        );
        assert_eq!(parse(&c.request(status).unwrap()).code(), Code::AccessAccept);
    }
    // Without ALPN pyrad2 falls back to RADIUS/1.0 (RFC 9765 §3.3) with secret radsec.
    let mut c = tls_client(&pki, addr, Alpn::Off, TlsVersions::Tls13);
    assert_eq!(c.connect().unwrap(), Version::V1_0);
    let reply = c.request(access_request("bob", "hello")).unwrap_or_else(|e| {
        std::thread::sleep(Duration::from_millis(500));
        panic!("{e:?}\n{}", peer.log())
    });
    let reply = parse(&reply);
    assert_eq!(text(&reply, AttrType::REPLY_MESSAGE), "pyrad2 v0 password=hello");
    assert_eq!(reply.code(), Code::AccessAccept, "{}", peer.log());
}

/// RFC 7930 §2 lets RADIUS over TCP/TLS carry packets up to 65535 octets (and defines
/// Protocol-Error with Error-Cause 601 for replies that are too big). pyrad2 3.2 refuses
/// anything over 8192 octets (`Packet length is too long`) by dropping the connection,
/// without a reply. nacwire sends the 10 000-octet request (RFC 7930 allows it) and
/// reports it lost when pyrad2 closes; a new connection then works.
#[test]
fn pyrad2_drops_rfc7930_packets_over_8192_octets() {
    let Some(python) = require_pyrad2() else {
        return;
    };
    let pki = Pki::new("pyrad2-7930").unwrap();
    pyrad2_files(&pki);
    let port = free_tcp_port();
    let mut cmd = Command::new(&python);
    cmd.arg(pki.path("server.py"))
        .arg(&pki.dir)
        .arg(port.to_string())
        .arg("both");
    let peer = Peer::spawn(cmd, pki.path("server.log"), None).unwrap();
    assert!(wait_tcp(port, Duration::from_secs(20)), "{}", peer.log());
    let mut c = tls_client(
        &pki,
        SocketAddr::from(([127, 0, 0, 1], port)),
        Alpn::Require,
        TlsVersions::Tls13,
    );
    // An Accounting-Request of 20 + 5 + n * 250 octets.
    let classes = |n: usize| {
        move |id: u8, _: Version, _: &SharedSecret| {
            let mut b = PacketBuilder::accounting_request(id);
            b.add(AttrType::USER_NAME, b"bob")?;
            for _ in 0..n {
                b.add(AttrType::CLASS, &[0x61; 248])?;
            }
            Ok(b)
        }
    };
    let (fits, big) = (classes(32), classes(40)); // 8025 and 10025 octets
    assert_eq!(parse(&c.request(fits).unwrap()).code(), Code::AccountingResponse);
    match c.request(big) {
        Err(IoError::Lost(LostReason::Closed(CloseReason::PeerClosed))) => {}
        other => panic!("{other:?}\n{}", peer.log()),
    }
    assert!(
        peer.wait_for("too long", Duration::from_secs(5)),
        "{}",
        peer.log()
    );
    assert_eq!(
        parse(&c.request(accounting).unwrap()).code(),
        Code::AccountingResponse
    );
    assert_eq!(c.connections_opened(), 2);
}

#[test]
fn pyrad2_radius11_client_against_nacwire_server() {
    let Some(python) = require_pyrad2() else {
        return;
    };
    let pki = Pki::new("pyrad2-client").unwrap();
    pyrad2_files(&pki);
    let server = tls_server(&pki, Alpn::Allow, TlsVersions::Tls13);
    let out = Command::new(&python)
        .arg(pki.path("client.py"))
        .arg(&pki.dir)
        .arg(server.local_addr().port().to_string())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let all = format!("{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("AUTH 2 nacwire V1_1"), "{all}");
    assert!(stdout.contains("AUTH 3 nacwire V1_1"), "{all}");
    assert!(stdout.contains("ACCT 5"), "{all}");
    assert!(stdout.contains("VERSION 1"), "{all}");
}

// ---- faults ------------------------------------------------------------------------------

/// A TCP peer that reads one request and then does `then` with the socket and the
/// request's Identifier.
fn misbehaving_peer(then: impl FnOnce(&mut std::net::TcpStream, u8) + Send + 'static) -> SocketAddr {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    std::thread::spawn(move || {
        let (mut s, _) = l.accept().unwrap();
        let mut buf = [0u8; 4096];
        let _ = s.read(&mut buf).unwrap();
        then(&mut s, buf[1]);
        std::thread::sleep(Duration::from_millis(200));
    });
    addr
}

fn tcp_client(addr: SocketAddr, settings: Settings) -> StreamClient {
    StreamClient::new(addr, Connector::Tcp, settings)
}

#[test]
fn fault_peer_closes_mid_packet() {
    let addr = misbehaving_peer(|s, id| {
        s.write_all(&[2, id, 0, 40, 1, 2, 3, 4, 5, 6]).unwrap();
        s.shutdown(std::net::Shutdown::Both).unwrap();
    });
    let mut c = tcp_client(addr, Settings::new(SharedSecret::from("s")));
    match c.request(accounting) {
        Err(IoError::Lost(LostReason::Closed(CloseReason::PeerClosedMidPacket { buffered: 10 }))) => {}
        other => panic!("{other:?}"),
    }
}

#[test]
fn fault_length_under_20_or_over_the_maximum() {
    for (header, settings, length, max) in [
        (
            [2u8, 0, 0, 19],
            Settings::new(SharedSecret::from("s")),
            19,
            65_535,
        ),
        // A 16-bit Length cannot exceed 65535 (RFC 7930's maximum); a connection
        // limited to 4096 octets refuses 65535.
        (
            [2u8, 0, 0xff, 0xff],
            {
                let mut s = Settings::new(SharedSecret::from("s"));
                s.max_packet_len = 4096;
                s
            },
            65_535,
            4096,
        ),
    ] {
        let addr = misbehaving_peer(move |s, id| {
            let mut h = header;
            h[1] = id;
            s.write_all(&h).unwrap();
        });
        let mut c = tcp_client(addr, settings);
        match c.request(accounting) {
            Err(IoError::Lost(LostReason::Closed(CloseReason::Frame(FrameError::BadLength {
                length: l,
                max: m,
            }))))
                if l == length && m == max => {}
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn fault_stalled_peer_watchdog_fires_and_connection_is_replaced() {
    // First connection: accepted, read, never answered. Second: a real server.
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = accepted.clone();
    std::thread::spawn(move || {
        let (mut stalled, _) = l.accept().unwrap();
        count.fetch_add(1, Ordering::SeqCst);
        let mut buf = [0u8; 4096];
        let _ = stalled.read(&mut buf);
        // The second connection is served by nacwire's server logic over the socket.
        let (s, _) = l.accept().unwrap();
        count.fetch_add(1, Ordering::SeqCst);
        let mut conn = radius_stream::Connection::tcp_server(Settings::new(SharedSecret::from("s")));
        let mut s = s;
        let mut out = Vec::new();
        loop {
            let n = match s.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            let _ = conn.receive(&buf[..n], Instant::now());
            while let Some(ev) = conn.poll_event() {
                if let radius_stream::Event::Request { packet } = ev {
                    let p = Packet::new_checked(&packet[..]).unwrap();
                    conn.reply(&p, PacketBuilder::reply_to(&p, Code::AccountingResponse))
                        .unwrap();
                }
            }
            out.clear();
            conn.poll_transmit(&mut out);
            s.write_all(&out).unwrap();
        }
        drop(stalled);
    });
    let settings = Settings::new(SharedSecret::from("s"))
        .watchdog(Duration::from_millis(200), Duration::from_millis(300))
        .request_timeout(Duration::from_secs(30));
    let mut c = tcp_client(addr, settings);
    let t0 = Instant::now();
    match c.request(accounting) {
        Err(IoError::Lost(LostReason::Closed(CloseReason::WatchdogTimeout))) => {}
        other => panic!("{other:?}"),
    }
    // Watchdog after 200 ms of quiet, declared dead 300 ms later: well before the
    // 30 s request timeout.
    assert!(t0.elapsed() < Duration::from_secs(5));
    // The next request opens a new connection.
    let reply = c.request(accounting).unwrap();
    assert_eq!(parse(&reply).code(), Code::AccountingResponse);
    assert_eq!(accepted.load(Ordering::SeqCst), 2);
    assert_eq!(c.connections_opened(), 2);
}

#[test]
fn fault_wrong_server_certificate_is_a_typed_error_and_backoff_follows() {
    let pki = Pki::new("right").unwrap();
    let other = Pki::new("wrong").unwrap();
    let server = tls_server(&pki, Alpn::Off, TlsVersions::Tls12And13);
    let mut c = tls_client(&other, server.local_addr(), Alpn::Off, TlsVersions::Tls12And13);
    match c.request(status) {
        Err(IoError::Closed(CloseReason::Tls(rustls::Error::InvalidCertificate(_)))) => {}
        other => panic!("{other:?}"),
    }
    // The failed attempt starts a backoff: no reconnect storm.
    assert!(matches!(c.request(status), Err(IoError::Backoff(_))));
}

#[test]
fn tcp_server_secrets_by_peer_and_transport() {
    // RFC 6613 §2.3: a TCP client without a configured secret is refused; with one,
    // served.
    let refused = StreamServer::bind(
        "127.0.0.1:0".parse().unwrap(),
        Acceptor::Tcp,
        Settings::new(SharedSecret::from("unused")),
        Secrets::new(),
    )
    .unwrap()
    .spawn(handler())
    .unwrap();
    let mut c = tcp_client(refused.local_addr(), Settings::new(SharedSecret::from("tcp")));
    assert!(c.request(accounting).is_err());

    let mut secrets = Secrets::new();
    secrets.insert([127, 0, 0, 1].into(), Transport::Tcp, SharedSecret::from("tcp"));
    let served = StreamServer::bind(
        "127.0.0.1:0".parse().unwrap(),
        Acceptor::Tcp,
        Settings::new(SharedSecret::from("unused")),
        secrets,
    )
    .unwrap()
    .spawn(handler())
    .unwrap();
    let mut c = tcp_client(served.local_addr(), Settings::new(SharedSecret::from("tcp")));
    assert_eq!(
        parse(&c.request(accounting).unwrap()).code(),
        Code::AccountingResponse
    );
    let reply = c.request(access_request("bob", "hello")).unwrap();
    assert_eq!(parse(&reply).code(), Code::AccessAccept);
}

#[test]
fn nacwire_radius11_both_sides_pipelined() {
    let pki = Pki::new("self").unwrap();
    let server = tls_server(&pki, Alpn::Allow, TlsVersions::Tls13);
    let mut c = tls_client(&pki, server.local_addr(), Alpn::Require, TlsVersions::Tls13);
    let handles: Vec<_> = (0..500).map(|_| c.send(accounting).unwrap()).collect();
    let mut got = 0;
    while got < handles.len() {
        match c.next_completion(Duration::from_secs(5)).unwrap() {
            nacwire_io::stream::Completion::Reply { reply, .. } => {
                assert_eq!(parse(&reply).code(), Code::AccountingResponse);
                got += 1;
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(c.version(), Some(Version::V1_1));
}

/// RFC 6614 §2.5: a server sends CoA/Disconnect back over the client's connection. A
/// client with a handler answers it; one without NAKs with Error-Cause 406.
#[test]
fn reverse_coa_over_the_clients_tls_connection() {
    let pki = Pki::new("reverse").unwrap();
    let server = tls_server(&pki, Alpn::Allow, TlsVersions::Tls13);
    for accept in [true, false] {
        let mut c = tls_client(&pki, server.local_addr(), Alpn::Allow, TlsVersions::Tls13);
        if accept {
            c = c.with_dynamic_authorization(|p: &Packet<&[u8]>| {
                (p.code() == Code::CoaRequest).then(|| PacketBuilder::reply_to(p, Code::CoaAck))
            });
        }
        c.connect().unwrap();
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stop2 = stop.clone();
        // The blocking client reads (and answers) while it is polled.
        let pump = std::thread::spawn(move || {
            while !stop2.load(Ordering::SeqCst) {
                c.poll().unwrap();
            }
        });
        let deadline = Instant::now() + Duration::from_secs(5);
        let peer = loop {
            if let Some(p) = server.peers().into_iter().next() {
                break p;
            }
            assert!(Instant::now() < deadline, "the client never showed up");
            std::thread::sleep(Duration::from_millis(10));
        };
        let done = server
            .request_to(
                peer,
                |id, _, _| {
                    let mut b = PacketBuilder::coa_request(id);
                    b.add(AttrType::USER_NAME, b"bob")?;
                    Ok(b)
                },
                Duration::from_secs(5),
            )
            .unwrap();
        stop.store(true, Ordering::SeqCst);
        pump.join().unwrap();
        let nacwire_io::stream::Completion::Reply { reply, .. } = done else {
            panic!("{done:?}")
        };
        let reply = parse(&reply);
        if accept {
            assert_eq!(reply.code(), Code::CoaAck);
        } else {
            assert_eq!(reply.code(), Code::CoaNak);
            assert_eq!(
                reply.first(AttrType::ERROR_CAUSE).unwrap().value(),
                406u32.to_be_bytes()
            );
        }
        // The client's connection closes when it is dropped; the server forgets it.
        let deadline = Instant::now() + Duration::from_secs(5);
        while server.peers().contains(&peer) {
            assert!(Instant::now() < deadline, "closed connection still listed");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}
