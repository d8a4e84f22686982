//! The main demonstration: a CoA-Request for a live session is built, sent over UDP to
//! a responder on loopback (a NAS stand-in built on the same codec), verified there,
//! answered with a CoA-ACK, and the reply is verified against the request. Both packets
//! are printed decoded.
//!
//! Run: `cargo run --release -p radius-codec --example coa_loopback`
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::net::UdpSocket;
use std::time::{Duration, Instant};

use radius_codec::exchange::{Client, ClientEvent};
use radius_codec::{
    AttrType, Code, DataType, Packet, PacketBuilder, ServerPolicy, SharedSecret, Value, VendorId,
};

const SECRET: &str = "testing123";

/// The few types this demo prints; a dictionary (radius-dict) knows them all.
fn data_type(t: AttrType) -> DataType {
    match t {
        AttrType::NAS_IP_ADDRESS | AttrType::FRAMED_IP_ADDRESS => DataType::IpAddr,
        AttrType::SESSION_TIMEOUT | AttrType::ERROR_CAUSE | AttrType::NAS_PORT => DataType::Integer,
        AttrType::MESSAGE_AUTHENTICATOR | AttrType::STATE | AttrType::CLASS => DataType::Octets,
        _ => DataType::String,
    }
}

fn show(label: &str, bytes: &[u8]) {
    let p = Packet::new_checked(bytes).expect("valid packet");
    println!(
        "{label}: {} id={} length={} authenticator={}",
        p.code(),
        p.identifier(),
        p.length(),
        hex(&p.authenticator())
    );
    for a in p.attributes() {
        if a.typ() == AttrType::VENDOR_SPECIFIC {
            let vsa = a.vsa().expect("validated");
            for sub in vsa.attrs() {
                let name = if vsa.vendor() == VendorId::CISCO && sub.vendor_type() == 1 {
                    "Cisco-AVPair".to_string()
                } else {
                    format!("Vendor-{}-Attr-{}", vsa.vendor(), sub.vendor_type())
                };
                println!("    {name} = \"{}\"", String::from_utf8_lossy(sub.value()));
            }
            continue;
        }
        let shown = match a.decode(data_type(a.typ())).expect("well-formed value") {
            Value::String(s) => format!("\"{}\"", String::from_utf8_lossy(&s)),
            Value::Octets(o) => format!("0x{}", hex(&o)),
            Value::IpAddr(ip) => ip.to_string(),
            Value::Integer(i) => i.to_string(),
            other => format!("{other:?}"),
        };
        println!("    {} = {shown}", a.typ());
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn main() {
    // The NAS stand-in: verifies the request (authenticator, Message-Authenticator,
    // BlastRADIUS policy) and answers CoA-ACK, echoing nothing but what RFC 5176 allows.
    let nas = UdpSocket::bind("127.0.0.1:0").unwrap();
    let nas_addr = nas.local_addr().unwrap();
    let responder = std::thread::spawn(move || {
        let secret = SharedSecret::from(SECRET);
        let mut policy = ServerPolicy::default();
        let mut buf = [0u8; 4096];
        let (n, from) = nas.recv_from(&mut buf).unwrap();
        let req = Packet::new_checked(&buf[..n]).unwrap();
        req.verify_request(&secret).unwrap();
        policy.check(&req).unwrap();
        println!("responder: request verified (Request Authenticator and Message-Authenticator)");
        let ack = PacketBuilder::reply_to(&req, Code::CoaAck)
            .finish(&secret)
            .unwrap();
        nas.send_to(&ack, from).unwrap();
    });

    // The CoA client: sans-I/O exchange driven over a real socket.
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    sock.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
    let mut client = Client::new(u64::from(std::process::id()));
    client.add_destination(nas_addr, SharedSecret::from(SECRET));
    let tx = client
        .send(&nas_addr, Instant::now(), |id, secret| {
            let mut b = PacketBuilder::coa_request(id);
            b.add_message_authenticator()
                .add_value(AttrType::NAS_IP_ADDRESS, &Value::IpAddr([192, 0, 2, 10].into()))?
                .add(AttrType::ACCT_SESSION_ID, b"0A1B2C3D-00000042")?
                .add(AttrType::CALLING_STATION_ID, b"B0-EE-7B-97-7F-33")?
                .add_vsa(VendorId::CISCO, 1, b"subscriber:command=reauthenticate")?
                .add_vsa(VendorId::CISCO, 1, b"subscriber:reauthenticate-type=last")?
                .add_value(AttrType::SESSION_TIMEOUT, &Value::Integer(3600))?;
            b.finish(secret)
        })
        .unwrap();
    sock.send_to(&tx.bytes, nas_addr).unwrap();
    show("sent", &tx.bytes);

    let mut buf = [0u8; 4096];
    let (n, from) = sock.recv_from(&mut buf).unwrap();
    match client.receive(&from, &buf[..n], Instant::now()).unwrap() {
        ClientEvent::Reply { reply, rtt, .. } => {
            show("received", &reply);
            println!("reply verified against the request (Response Authenticator, Message-Authenticator, Proxy-State) in {rtt:?}");
        }
        other => panic!("unexpected {other:?}"),
    }
    responder.join().unwrap();
}
