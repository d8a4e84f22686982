//! The main demonstration: a CoA-Request for a live session is built by attribute
//! names with the built-in dictionary, sent over UDP to a responder on loopback (a NAS
//! stand-in built on the same crates), verified there, answered with a CoA-ACK, and the
//! reply is verified against the request. Both packets are printed decoded by name.
//!
//! Run: `cargo run --release -p radius-dict --example coa_loopback`
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::net::UdpSocket;
use std::time::{Duration, Instant};

use radius_codec::exchange::{Client, ClientEvent};
use radius_codec::{Code, DecodeOptions, Packet, PacketBuilder, ServerPolicy, SharedSecret};
use radius_dict::Dictionary;

const SECRET: &str = "testing123";

fn show(dict: &Dictionary, label: &str, bytes: &[u8]) {
    let p = Packet::new_checked_with(bytes, &DecodeOptions::UDP.vendor_formats(dict)).expect("valid packet");
    let auth: String = p.authenticator().iter().map(|b| format!("{b:02x}")).collect();
    println!(
        "{label}: {} id={} length={} authenticator={auth}",
        p.code(),
        p.identifier(),
        p.length()
    );
    for d in dict.decode(&p, None) {
        let tag = d.tag.map(|t| format!(":{t}")).unwrap_or_default();
        println!("    {}{tag} = {}", d.name, d.text());
    }
}

fn main() {
    let dict = Dictionary::builtin();

    // The NAS stand-in: verifies the request (authenticator, Message-Authenticator,
    // BlastRADIUS policy), reads it by name, and answers CoA-ACK.
    let nas = UdpSocket::bind("127.0.0.1:0").unwrap();
    let nas_addr = nas.local_addr().unwrap();
    let responder = std::thread::spawn(move || {
        let secret = SharedSecret::from(SECRET);
        let mut policy = ServerPolicy::default();
        let mut buf = [0u8; 4096];
        let (n, from) = nas.recv_from(&mut buf).unwrap();
        let req = Packet::new_checked(&buf[..n]).unwrap();
        policy.verify(&req, &secret).unwrap();
        let session = Dictionary::builtin()
            .decode(&req, None)
            .into_iter()
            .find(|d| d.name == "Acct-Session-Id")
            .map(|d| d.text())
            .unwrap_or_default();
        println!("responder: request verified; session {session} found; answering CoA-ACK");
        let ack = PacketBuilder::reply_to(&req, Code::CoaAck)
            .finish(&secret)
            .unwrap();
        nas.send_to(&ack, from).unwrap();
    });

    // The CoA client: attributes by name, sans-I/O exchange driven over a socket.
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    sock.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
    let mut client = Client::new(u64::from(std::process::id()));
    client.add_destination(nas_addr, SharedSecret::from(SECRET));
    let tx = client
        .send(&nas_addr, Instant::now(), |id, secret| {
            let mut b = PacketBuilder::coa_request(id);
            for (name, value) in [
                ("Message-Authenticator", "0x00"),
                ("NAS-IP-Address", "192.0.2.10"),
                ("Acct-Session-Id", "0A1B2C3D-00000042"),
                ("Calling-Station-Id", "B0-EE-7B-97-7F-33"),
                ("Cisco-AVPair", "subscriber:command=reauthenticate"),
                ("Cisco-AVPair", "subscriber:reauthenticate-type=last"),
                ("Session-Timeout", "3600"),
                ("Tunnel-Type:1", "VLAN"),
                ("Tunnel-Medium-Type:1", "IEEE-802"),
                ("Tunnel-Private-Group-Id:1", "200"),
            ] {
                dict.add(&mut b, name, value, None).expect("valid attribute");
            }
            b.finish(secret)
        })
        .unwrap();
    sock.send_to(&tx.bytes, nas_addr).unwrap();
    show(dict, "sent", &tx.bytes);

    let mut buf = [0u8; 4096];
    let (n, from) = sock.recv_from(&mut buf).unwrap();
    match client.receive(&from, &buf[..n], Instant::now()).unwrap() {
        ClientEvent::Reply { reply, rtt, .. } => {
            show(dict, "received", &reply);
            println!("reply verified against the request (Response Authenticator, Message-Authenticator, Proxy-State) in {rtt:?}");
        }
        other => panic!("unexpected {other:?}"),
    }
    responder.join().unwrap();
}
