//! A CoA/Disconnect responder on tokio: what a NAS stand-in or a CoA gateway's test
//! double needs. ACKs requests for known sessions, NAKs the others with Error-Cause
//! 503 (Session-Context-Not-Found).
//!
//! `cargo run -p nacwire-io --features tokio --example coa_responder -- 127.0.0.1:3799 testing123`
//! then `nacwire send coa 127.0.0.1:3799 testing123 Acct-Session-Id=S1`.

use std::net::SocketAddr;

use nacwire_io::udp_tokio::AsyncUdpServer;
use radius_codec::{AttrType, Code, PacketBuilder, SharedSecret, Value};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let addr: SocketAddr = args.next().unwrap_or_else(|| "127.0.0.1:3799".into()).parse()?;
    let secret = args.next().unwrap_or_else(|| "testing123".into());
    let known = ["S1", "S2"];

    let mut server =
        AsyncUdpServer::bind(addr, move |_peer| Some(SharedSecret::from(secret.as_str()))).await?;
    println!("CoA responder on {}", server.local_addr()?);
    server
        .run(|req| {
            let p = &req.packet;
            let (ack, nak) = match p.code() {
                Code::CoaRequest => (Code::CoaAck, Code::CoaNak),
                Code::DisconnectRequest => (Code::DisconnectAck, Code::DisconnectNak),
                _ => return None,
            };
            let session = p.first(AttrType(44)).map(|a| a.value().to_vec());
            let found = session
                .as_deref()
                .is_some_and(|s| known.iter().any(|k| k.as_bytes() == s));
            println!(
                "{} from {} session {:?}: {}",
                p.code(),
                req.peer,
                session.as_deref().map(String::from_utf8_lossy),
                if found { "ACK" } else { "NAK" }
            );
            let mut reply = PacketBuilder::reply_to(p, if found { ack } else { nak });
            if !found {
                reply.add_value(AttrType(101), &Value::Integer(503)).ok()?; // Error-Cause
            }
            reply.finish(req.secret).ok()
        })
        .await?;
    Ok(())
}
