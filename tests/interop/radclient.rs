//! FreeRADIUS' radclient as a client of a CoA/Disconnect responder built on
//! radius-codec (RFC 5176).

use std::io::Write;
use std::net::UdpSocket;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use nacwire_tests::{require_program, SECRET};
use radius_codec::exchange::{DuplicateCache, Origin, Seen};
use radius_codec::{AttrType, Code, Packet, PacketBuilder, ServerPolicy, SharedSecret, Value};

/// Error-Cause 503: Session-Context-Not-Found (RFC 5176 §3.5).
const SESSION_CONTEXT_NOT_FOUND: u32 = 503;

/// Answers CoA/Disconnect requests for the single session of user `bob` until `stop`.
fn responder(sock: UdpSocket, stop: &AtomicBool) -> Vec<String> {
    let secret = SharedSecret::from(SECRET);
    let mut policy = ServerPolicy::default();
    let mut cache = DuplicateCache::default();
    let local = sock.local_addr().unwrap();
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    sock.set_read_timeout(Some(Duration::from_millis(100))).unwrap();
    while !stop.load(Ordering::Relaxed) {
        let Ok((n, from)) = sock.recv_from(&mut buf) else {
            continue;
        };
        let Ok(req) = Packet::new_checked(&buf[..n]) else {
            seen.push("malformed".into());
            continue;
        };
        if let Err(e) = policy.verify(&req, &secret) {
            seen.push(format!("dropped: {e}"));
            continue;
        }
        let origin = Origin::from_sockets(from, local);
        match cache.check(&origin, &req, Instant::now()) {
            Seen::New => {}
            Seen::InProgress => continue,
            Seen::Replay(r) => {
                sock.send_to(r, from).unwrap();
                continue;
            }
        }
        if let Some(a) = req.first(AttrType::FRAMED_IPV6_PREFIX) {
            seen.push(format!("Framed-IPv6-Prefix {:02x?}", a.value()));
        }
        let user = req
            .first(AttrType::USER_NAME)
            .map(|a| a.value().to_vec())
            .unwrap_or_default();
        let known = user == b"bob";
        let code = match (req.code(), known) {
            (Code::CoaRequest, true) => Code::CoaAck,
            (Code::CoaRequest, false) => Code::CoaNak,
            (Code::DisconnectRequest, true) => Code::DisconnectAck,
            (_, _) => Code::DisconnectNak,
        };
        seen.push(format!(
            "{} for {} -> {}",
            req.code(),
            String::from_utf8_lossy(&user),
            code
        ));
        let mut reply = PacketBuilder::reply_to(&req, code);
        if !known {
            reply
                .add_value(AttrType::ERROR_CAUSE, &Value::Integer(SESSION_CONTEXT_NOT_FOUND))
                .unwrap();
        }
        let reply = reply.finish(&secret).unwrap();
        cache.store_reply(&origin, &req, &reply);
        sock.send_to(&reply, from).unwrap();
    }
    seen
}

fn radclient(bin: &std::path::Path, port: u16, kind: &str, secret: &str, attrs: &str) -> (bool, String) {
    let mut child = Command::new(bin)
        .args(["-x", "-r", "2", "-t", "1"])
        .arg(format!("127.0.0.1:{port}"))
        .arg(kind)
        .arg(secret)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(attrs.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn radclient_coa_and_disconnect_against_radius_codec_responder() {
    let Some(bin) = require_program("radclient") else {
        return;
    };
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = sock.local_addr().unwrap().port();
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    let handle = std::thread::spawn(move || responder(sock, &flag));

    let (ok, out) = radclient(
        &bin,
        port,
        "coa",
        SECRET,
        "User-Name = bob\nSession-Timeout = 600\n",
    );
    assert!(ok, "{out}");
    assert!(out.contains("Received CoA-ACK"), "{out}");

    let (_, out) = radclient(&bin, port, "coa", SECRET, "User-Name = mallory\n");
    assert!(out.contains("Received CoA-NAK"), "{out}");
    assert!(out.contains("Error-Cause = Session-Context-Not-Found"), "{out}");

    let (ok, out) = radclient(
        &bin,
        port,
        "disconnect",
        SECRET,
        "User-Name = bob\nMessage-Authenticator = 0x00\n",
    );
    assert!(ok, "{out}");
    assert!(out.contains("Received Disconnect-ACK"), "{out}");

    let (_, out) = radclient(&bin, port, "disconnect", SECRET, "User-Name = nobody\n");
    assert!(out.contains("Received Disconnect-NAK"), "{out}");
    assert!(out.contains("Session-Context-Not-Found"), "{out}");

    // radclient (FreeRADIUS 3.2) sends an IPv6 prefix with all 16 octets, as
    // radius-codec now does.
    let (ok, out) = radclient(
        &bin,
        port,
        "coa",
        SECRET,
        "User-Name = bob\nFramed-IPv6-Prefix = 2001:db8::/32\n",
    );
    assert!(ok, "{out}");

    // With the wrong secret the responder drops the request and radclient gets nothing.
    let (ok, out) = radclient(&bin, port, "coa", "wrong-secret", "User-Name = bob\n");
    assert!(!ok, "{out}");
    assert!(!out.contains("Received"), "{out}");

    stop.store(true, Ordering::Relaxed);
    let seen = handle.join().unwrap();
    assert!(
        seen.iter().any(|s| s == "CoA-Request for bob -> CoA-ACK"),
        "{seen:?}"
    );
    assert!(
        seen.iter()
            .any(|s| s == "Disconnect-Request for bob -> Disconnect-ACK"),
        "{seen:?}"
    );
    assert!(
        seen.iter()
            .any(|s| s.starts_with("dropped: Request Authenticator")),
        "{seen:?}"
    );
    let ours = Value::Ipv6Prefix("2001:db8::".parse().unwrap(), 32)
        .to_bytes()
        .unwrap();
    assert_eq!(ours.len(), 18);
    assert!(
        seen.contains(&format!("Framed-IPv6-Prefix {ours:02x?}")),
        "radclient's encoding differs from ours: {seen:?}"
    );
}
