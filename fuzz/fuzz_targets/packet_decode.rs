//! No panic on any input: validate, walk, decode every attribute as every type,
//! reassemble extended attributes, parse VSAs, read the structure with
//! `Packet::addressed` (on the unchecked view too); `strict_extended` refuses exactly
//! what `addressed` keeps raw. Then, so that the verifiers and the
//! policies run on packets that pass their integrity checks (nothing is skipped under
//! `cfg(fuzzing)`), the same attributes are re-signed with a fixed secret and verified,
//! and the unsigned original is verified as it came (it must not pass where it
//! carries an integrity check).
#![no_main]
use libfuzzer_sys::fuzz_target;
use radius_codec::{
    AttrAddr, AttrType, AuthenticatorKind, BuiltinFormats, Code, DataType, DecodeOptions, Packet,
    PacketBuilder, ReplyPolicy, Requirement, ServerPolicy, SharedSecret, Tlvs,
};

fuzz_target!(|data: &[u8]| {
    let secret = SharedSecret::from("testing123");
    // Unchecked views must never panic in the verifiers either.
    let raw = Packet::new_unchecked(data);
    let _ = raw.verify_request(&secret);
    let _ = raw.message_authenticator();
    let _ = ServerPolicy::default().verify(&raw, &secret);
    for a in raw.addressed(&BuiltinFormats) {
        let _ = a.decode(DataType::Octets);
    }
    for (tcp, opts) in [
        (false, DecodeOptions::UDP),
        // strict VSA and extended validation on one side, so that both modes are
        // reached
        (true, DecodeOptions::TCP.strict_vsa().strict_extended()),
    ] {
        let Ok(p) = Packet::new_checked_with(data, &opts) else {
            continue;
        };
        for a in p.attributes() {
            for dt in DataType::ALL {
                let _ = a.decode(dt);
            }
            if let Ok(vsa) = a.vsa() {
                for sub in vsa.attrs() {
                    let _ = Tlvs::validate_tree(sub.value(), 3);
                }
            }
        }
        for e in p.extended() {
            let _ = e.evs();
            let _ = Tlvs::validate_tree(e.data(), 8);
        }
        for a in p.addressed(&BuiltinFormats) {
            for dt in DataType::ALL {
                let _ = a.decode(dt);
            }
        }
        if !tcp {
            addressed_round_trip(&p);
            // strict_extended refuses exactly the packets in which `addressed` keeps
            // an RFC 6929 attribute raw (as FreeRADIUS 3.2 does).
            let raw_extended = p.addressed(&BuiltinFormats).any(|a| {
                a.is_malformed() && a.addr().path().first().is_some_and(|t| (241..=246).contains(t))
            });
            let strict = Packet::new_checked_with(data, &DecodeOptions::UDP.strict_extended());
            assert_eq!(strict.is_err(), raw_extended, "{strict:?}");
        }
        let _ = p.verify_request(&secret);
        let _ = p.verify_reply(&p, &secret);
        let _ = ServerPolicy::default().verify(&p, &secret);
        let _ = p.concat(AttrType::EAP_MESSAGE);

        // The same packet, signed: the request verifiers must accept it, and the
        // policies then decide on Message-Authenticator alone.
        if !p.code().is_request() {
            continue;
        }
        let mut b = PacketBuilder::new(p.code(), p.identifier(), p.authenticator());
        b.without_message_authenticator();
        if tcp {
            b = b.for_tcp();
        }
        for a in p.attributes() {
            if a.typ() == AttrType::MESSAGE_AUTHENTICATOR {
                b.add_message_authenticator();
            } else if b.add(a.typ(), a.value()).is_err() {
                return;
            }
        }
        let Ok(signed) = b.finish(&secret) else { return };
        let q = Packet::new_checked_with(&signed[..], &opts).expect("a re-signed valid packet validates");
        q.verify_request(&secret).expect("a signed request verifies");
        // ServerPolicy(yes, yes): Message-Authenticator, or a request kind that needs none.
        let strict = ServerPolicy::new(Requirement::Yes, Requirement::Yes).verify(&q, &secret);
        let needs_ma = matches!(q.code(), Code::AccessRequest | Code::StatusServer)
            || q.first(AttrType::EAP_MESSAGE).is_some();
        assert_eq!(strict.is_ok(), q.message_authenticator().is_some() || !needs_ma);
        // The unsigned original passes only where it carries no integrity check, or
        // where it is byte for byte what was signed.
        let protected = p.message_authenticator().is_some()
            || p.code().authenticator_kind() == AuthenticatorKind::RequestMd5;
        if protected && p.as_bytes() != q.as_bytes() {
            assert!(p.verify_request(&secret).is_err(), "an unsigned packet verified");
        }
        // A reply to it, signed, verifies under every reply policy that allows it.
        let reply_code = match p.code() {
            Code::AccessRequest | Code::StatusServer => Code::AccessAccept,
            Code::AccountingRequest => Code::AccountingResponse,
            Code::CoaRequest => Code::CoaAck,
            Code::DisconnectRequest => Code::DisconnectAck,
            _ => continue,
        };
        let Ok(reply) = PacketBuilder::reply_to(&q, reply_code).finish(&secret) else {
            continue;
        };
        let reply = Packet::new_checked(&reply[..]).expect("reply validates");
        for req in [Requirement::Yes, Requirement::Auto, Requirement::No] {
            ReplyPolicy::new(req)
                .verify(&reply, &q, &secret)
                .expect("a signed reply verifies");
        }
    }
});

/// What `Packet::addressed` reads, written back with `PacketBuilder::add_at`, reads the
/// same: one address vocabulary both ways (Message-Authenticator only by presence, its
/// value is recomputed).
fn addressed_round_trip(p: &Packet<&[u8]>) {
    let ma = AttrAddr::standard(u32::from(AttrType::MESSAGE_AUTHENTICATOR.0));
    let read = |p: &Packet<&[u8]>| -> Vec<(AttrAddr, Vec<u8>)> {
        p.addressed(&BuiltinFormats)
            .map(|a| {
                let v = if a.addr() == ma {
                    Vec::new()
                } else {
                    a.value().to_vec()
                };
                (a.addr(), v)
            })
            .collect()
    };
    let before = read(p);
    let mut b = PacketBuilder::new(p.code(), p.identifier(), p.authenticator());
    b.without_message_authenticator();
    for (addr, value) in &before {
        if *addr == ma {
            b.add_message_authenticator();
        } else if b.add_at(addr, value).is_err() {
            return;
        }
    }
    let Ok(bytes) = b.finish(&SharedSecret::from("testing123")) else {
        return;
    };
    let q = Packet::new_checked(&bytes[..]).expect("a packet built from a valid one validates");
    assert_eq!(
        before,
        read(&q),
        "addressed -> add_at -> addressed changed the packet"
    );
}
