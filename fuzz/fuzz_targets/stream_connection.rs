//! radius-stream's Connection state machine: a client and a server over plain TCP,
//! driven by random operations — requests, replies, real bytes delivered in random
//! chunks, random bytes injected either way, timer jumps, EOF, close. Never panics,
//! and every request ends in exactly one Reply or Lost event (none is lost silently).
#![no_main]
use std::collections::HashSet;
use std::time::{Duration, Instant};

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use radius_codec::{AttrType, Code, DecodeOptions, Packet, PacketBuilder, SharedSecret};
use radius_stream::{Connection, Event, RequestHandle, Settings};

#[derive(Arbitrary, Debug)]
enum Op {
    ClientRequest { access: bool, user: Vec<u8> },
    ServerCoa,
    DeliverToServer { chunk: u8 },
    DeliverToClient { chunk: u8 },
    InjectToClient(Vec<u8>),
    InjectToServer(Vec<u8>),
    Advance { ms: u16 },
    ClientEof,
    ServerEof,
    CloseClient,
}

struct Side {
    conn: Connection,
    pending_out: Vec<u8>,
    sent: HashSet<RequestHandle>,
    done: HashSet<RequestHandle>,
}

impl Side {
    fn events(&mut self) -> Vec<Event> {
        std::iter::from_fn(|| self.conn.poll_event()).collect()
    }
}

fn settle(side: &mut Side) {
    for ev in side.events() {
        match ev {
            Event::Reply { handle, .. } | Event::Lost { handle, .. } => {
                assert!(side.sent.contains(&handle), "completion for a request never sent");
                assert!(side.done.insert(handle), "request completed twice");
            }
            Event::Request { packet } => {
                let Ok(p) = Packet::new_checked_with(&packet[..], &DecodeOptions::TCP) else {
                    panic!("delivered an invalid packet");
                };
                let code = match p.code() {
                    Code::AccessRequest => Code::AccessAccept,
                    Code::AccountingRequest => Code::AccountingResponse,
                    Code::CoaRequest => Code::CoaAck,
                    _ => continue,
                };
                let _ = side.conn.reply(&p, PacketBuilder::reply_to(&p, code));
            }
            _ => {}
        }
    }
    side.conn.poll_transmit(&mut side.pending_out);
}

fn deliver(from: &mut Side, to: &mut Side, chunk: u8, now: Instant) {
    let n = usize::from(chunk).max(1).min(from.pending_out.len());
    let bytes: Vec<u8> = from.pending_out.drain(..n).collect();
    let _ = to.conn.receive(&bytes, now);
}

fuzz_target!(|ops: Vec<Op>| {
    let secret = || SharedSecret::from("fuzz");
    let mut now = Instant::now();
    let settings = || {
        Settings::new(secret())
            .watchdog(Duration::from_millis(300), Duration::from_millis(200))
            .request_timeout(Duration::from_millis(1000))
    };
    let mut client = Side {
        conn: Connection::tcp_client(settings(), 7),
        pending_out: Vec::new(),
        sent: HashSet::new(),
        done: HashSet::new(),
    };
    let mut server = Side {
        conn: Connection::tcp_server(settings()),
        pending_out: Vec::new(),
        sent: HashSet::new(),
        done: HashSet::new(),
    };
    for op in ops.into_iter().take(200) {
        match op {
            Op::ClientRequest { access, user } => {
                let r = client.conn.send_request(now, |id, _, s| {
                    let mut b = if access {
                        let mut b = PacketBuilder::access_request(id, [id; 16]);
                        b.add_user_password(s, b"pw")?;
                        b
                    } else {
                        PacketBuilder::accounting_request(id)
                    };
                    b.add(AttrType::USER_NAME, &user[..user.len().min(253)])?;
                    Ok(b)
                });
                if let Ok(h) = r {
                    assert!(client.sent.insert(h));
                }
            }
            Op::ServerCoa => {
                if let Ok(h) = server
                    .conn
                    .send_request(now, |id, _, _| Ok(PacketBuilder::coa_request(id)))
                {
                    assert!(server.sent.insert(h));
                }
            }
            Op::DeliverToServer { chunk } => deliver(&mut client, &mut server, chunk, now),
            Op::DeliverToClient { chunk } => deliver(&mut server, &mut client, chunk, now),
            Op::InjectToClient(b) => {
                let _ = client.conn.receive(&b, now);
            }
            Op::InjectToServer(b) => {
                let _ = server.conn.receive(&b, now);
            }
            Op::Advance { ms } => {
                now += Duration::from_millis(u64::from(ms));
                client.conn.handle_timeout(now);
                server.conn.handle_timeout(now);
            }
            Op::ClientEof => client.conn.peer_closed(),
            Op::ServerEof => server.conn.peer_closed(),
            Op::CloseClient => client.conn.close(),
        }
        settle(&mut client);
        settle(&mut server);
        assert_eq!(client.conn.in_flight(), client.sent.len() - client.done.len());
    }
    // Close both: every request still in flight is reported.
    client.conn.close();
    server.conn.close();
    settle(&mut client);
    settle(&mut server);
    assert_eq!(client.sent, client.done, "a request ended without Reply or Lost");
    assert_eq!(server.sent, server.done, "a request ended without Reply or Lost");
});
