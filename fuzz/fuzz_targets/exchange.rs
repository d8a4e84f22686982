//! The sans-I/O exchange, client and server side, driven by random sequences of
//! sends, deliveries (in any order, duplicated), replies (genuine, tampered, forged),
//! cancellations and timer events over a simulated network and clock.
//!
//! Invariants: no request completes without a reply that verifies against it and that
//! the server really sent; in-flight counts match a model and stay within 256 per
//! destination; the server's DuplicateCache never answers a request with a reply made
//! for a different request; the cache stays within its bounds.
#![no_main]
use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use radius_codec::exchange::{Client, ClientEvent, DuplicateCache, Origin, Retransmit, Seen};
use radius_codec::{
    AttrType, Code, Packet, PacketBuilder, ReplyPolicy, Requirement, SharedSecret, Signature, Value,
};

#[derive(Arbitrary, Debug)]
enum Op {
    Send {
        dest: bool,
        kind: u8,
        eap: bool,
    },
    Deliver {
        index: u16,
        keep: bool,
    },
    Reply {
        index: u16,
        keep: bool,
        tamper: Option<(u16, u8)>,
    },
    Forge(Vec<u8>),
    Advance(u16),
    Cancel {
        dest: bool,
        identifier: u8,
    },
    ServerSigns(bool),
}

#[derive(Arbitrary, Debug)]
struct Input {
    policy: u8,
    unlimited: bool,
    ops: Vec<Op>,
}

const SECRETS: [&str; 2] = ["secret-zero", "secret-one"];

fn secret(dest: u8) -> SharedSecret {
    SharedSecret::from(SECRETS[usize::from(dest)])
}

/// The server: verifies, deduplicates, answers.
struct Server {
    cache: DuplicateCache<u8>,
    /// What the cache must hold: (dest, code, identifier, authenticator) -> reply.
    answered: HashMap<(u8, u8, u8, [u8; 16]), Vec<u8>>,
    signs: bool,
}

impl Server {
    fn handle(&mut self, dest: u8, bytes: &[u8], now: Instant) -> Option<Vec<u8>> {
        let secret = secret(dest);
        let req = Packet::new_checked(bytes).expect("the client sends valid packets");
        req.verify_request(&secret)
            .expect("the client signs what it sends");
        let origin = Origin::new(0u8, 1000, 1812 + u16::from(dest));
        let key = (dest, req.code().get(), req.identifier(), req.authenticator());
        match self.cache.check(&origin, &req, now) {
            Seen::New => {}
            Seen::InProgress => return None,
            Seen::Replay(r) => {
                // Never a reply made for another request.
                let reply = Packet::new_checked(r).expect("cached reply is valid");
                reply
                    .verify_reply(&req, &secret)
                    .expect("a replayed reply answers this request");
                assert_eq!(self.answered.get(&key).map(Vec::as_slice), Some(r));
                return Some(r.to_vec());
            }
        }
        let code = match req.code() {
            Code::AccessRequest | Code::StatusServer => Code::AccessAccept,
            Code::AccountingRequest => Code::AccountingResponse,
            Code::CoaRequest => Code::CoaAck,
            _ => Code::DisconnectAck,
        };
        let eap = req.first(AttrType::EAP_MESSAGE).is_some();
        let mut b = PacketBuilder::reply_to(&req, code);
        if !self.signs && !eap {
            b.without_message_authenticator();
        }
        let reply = b.finish(&secret).expect("reply builds");
        self.cache.store_reply(&origin, &req, &reply);
        self.answered.insert(key, reply.clone());
        Some(reply)
    }
}

fuzz_target!(|input: Input| {
    let t0 = Instant::now();
    let mut now = t0;
    let retransmit = if input.unlimited {
        Retransmit {
            initial: Duration::from_millis(100),
            max_count: 0,
            max_time: Duration::ZERO,
            max_duration: Duration::ZERO,
        }
    } else {
        Retransmit {
            initial: Duration::from_millis(500),
            max_count: 3,
            max_time: Duration::from_secs(2),
            max_duration: Duration::from_secs(6),
        }
    };
    let requirement = [Requirement::Yes, Requirement::Auto, Requirement::No][usize::from(input.policy % 3)];
    let mut client = Client::new(7).with_retransmit(retransmit);
    for d in 0..2u8 {
        client.add_destination_with(d, secret(d), ReplyPolicy::new(requirement));
    }
    let mut server = Server {
        cache: DuplicateCache::new(Duration::from_secs(5), 16).with_per_source_limit(8),
        answered: HashMap::new(),
        signs: true,
    };
    // The model: what is in flight, per destination and Identifier.
    let mut pending: [HashMap<u8, Vec<u8>>; 2] = [HashMap::new(), HashMap::new()];
    let mut to_server: Vec<(u8, Vec<u8>)> = Vec::new();
    let mut to_client: Vec<(u8, Vec<u8>)> = Vec::new();
    let mut genuine: HashSet<Vec<u8>> = HashSet::new();
    let mut auth_counter = 0u32;

    for op in input.ops.into_iter().take(256) {
        match op {
            Op::Send { dest, kind, eap } => {
                let d = u8::from(dest);
                auth_counter += 1;
                let mut ra = [0u8; 16];
                ra[..4].copy_from_slice(&auth_counter.to_be_bytes());
                let res = client.send(&d, now, |id, s| {
                    let mut b = match kind % 5 {
                        0 => PacketBuilder::access_request(id, ra),
                        1 => PacketBuilder::status_server(id, ra),
                        2 => PacketBuilder::accounting_request(id),
                        3 => PacketBuilder::coa_request(id),
                        _ => PacketBuilder::disconnect_request(id),
                    };
                    // a unique User-Name lets the model follow a request across a change of
                    // Identifier (Accounting-Request retransmissions)
                    b.add(AttrType::USER_NAME, &auth_counter.to_be_bytes())?;
                    if kind % 5 == 2 {
                        b.add_value(AttrType::ACCT_DELAY_TIME, &Value::Integer(0))?;
                    }
                    if eap && kind % 5 == 0 {
                        b.add(AttrType::EAP_MESSAGE, &[2, 1, 0, 5, 1])?;
                    }
                    b.finish(s)
                });
                match res {
                    Ok(tx) => {
                        let id = tx.bytes[1];
                        assert!(
                            pending[usize::from(d)].insert(id, tx.bytes.clone()).is_none(),
                            "identifier reused"
                        );
                        to_server.push((d, tx.bytes));
                    }
                    Err(radius_codec::Error::IdentifiersExhausted) => {
                        assert_eq!(pending[usize::from(d)].len(), 256)
                    }
                    Err(e) => panic!("send failed: {e}"),
                }
            }
            Op::Deliver { index, keep } => {
                if to_server.is_empty() {
                    continue;
                }
                let i = usize::from(index) % to_server.len();
                let (d, bytes) = if keep {
                    to_server[i].clone()
                } else {
                    to_server.swap_remove(i)
                };
                if let Some(reply) = server.handle(d, &bytes, now) {
                    genuine.insert(reply.clone());
                    to_client.push((d, reply));
                }
            }
            Op::Reply { index, keep, tamper } => {
                if to_client.is_empty() {
                    continue;
                }
                let i = usize::from(index) % to_client.len();
                let (d, mut bytes) = if keep {
                    to_client[i].clone()
                } else {
                    to_client.swap_remove(i)
                };
                if let Some((at, mask)) = tamper {
                    let n = bytes.len();
                    bytes[usize::from(at) % n] ^= mask;
                }
                receive(&mut client, &mut pending, &genuine, d, &bytes, now);
            }
            Op::Forge(bytes) => {
                receive(&mut client, &mut pending, &genuine, 0, &bytes, now);
            }
            Op::Advance(ms) => {
                now += Duration::from_millis(u64::from(ms));
                for ev in client.handle_timeout(now) {
                    match ev {
                        ClientEvent::Retransmit(tx) => {
                            let p = Packet::new_checked(&tx.bytes[..]).expect("retransmission is valid");
                            p.verify_request(&secret(tx.dest))
                                .expect("retransmission is signed");
                            let model = &mut pending[usize::from(tx.dest)];
                            let name = user_name(&p);
                            let old = model
                                .iter()
                                .find(|(_, b)| user_name(&Packet::new_unchecked(&b[..])) == name)
                                .map(|(id, _)| *id)
                                .expect("retransmission of a pending request");
                            if old != p.identifier() {
                                // RFC 5080 §2.2.1: a changed Accounting-Request gets a new
                                // Identifier; only those change.
                                assert_eq!(p.code(), Code::AccountingRequest);
                                assert!(!model.contains_key(&p.identifier()), "new identifier was free");
                            }
                            model.remove(&old);
                            model.insert(p.identifier(), tx.bytes.clone());
                            to_server.push((tx.dest, tx.bytes));
                        }
                        ClientEvent::TimedOut { dest, request } => {
                            let removed = pending[usize::from(dest)].remove(&request[1]);
                            assert_eq!(
                                removed.as_deref(),
                                Some(&request[..]),
                                "timed out request was pending"
                            );
                        }
                        other => panic!("unexpected timer event {other:?}"),
                    }
                }
            }
            Op::Cancel { dest, identifier } => {
                let d = u8::from(dest);
                let got = client.cancel(&d, identifier);
                assert_eq!(got, pending[usize::from(d)].remove(&identifier));
            }
            Op::ServerSigns(s) => server.signs = s,
        }
        for d in 0..2u8 {
            let n = client.in_flight(&d);
            assert!(n <= 256);
            assert_eq!(
                n,
                pending[usize::from(d)].len(),
                "in-flight count matches the model"
            );
        }
        let total: usize = pending.iter().map(HashMap::len).sum();
        assert_eq!(client.poll_timeout().is_some(), total > 0);
        assert!(server.cache.len() <= 16);
        assert!(server.cache.len_for(&0) <= 8);
    }
});

fn user_name(p: &Packet<&[u8]>) -> Vec<u8> {
    p.first(AttrType::USER_NAME)
        .map(|a| a.value().to_vec())
        .unwrap_or_default()
}

fn receive(
    client: &mut Client<u8>,
    pending: &mut [HashMap<u8, Vec<u8>>; 2],
    genuine: &HashSet<Vec<u8>>,
    d: u8,
    bytes: &[u8],
    now: Instant,
) {
    match client.receive(&d, bytes, now) {
        Ok(ClientEvent::Reply {
            dest,
            request,
            reply,
            signature,
            ..
        }) => {
            assert_eq!(dest, d);
            assert!(
                genuine.contains(&reply),
                "a reply the server never sent completed a request"
            );
            let req = Packet::new_checked(&request[..]).expect("request valid");
            let rep = Packet::new_checked(&reply[..]).expect("reply valid");
            let signed = rep
                .verify_reply(&req, &secret(d))
                .expect("completed by a verified reply");
            assert_eq!(signed, signature == Signature::Signed);
            let model = pending[usize::from(d)].remove(&req.identifier());
            assert_eq!(
                model.as_deref(),
                Some(&request[..]),
                "completed request was pending"
            );
        }
        Ok(ClientEvent::Unmatched { .. }) | Err(_) => {}
        Ok(other) => panic!("unexpected receive event {other:?}"),
    }
}
