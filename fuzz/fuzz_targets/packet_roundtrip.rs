//! decode -> rebuild -> decode: the same code, identifier and attributes in order, and
//! the rebuilt (signed) packet passes the verifier for its kind: nothing is skipped
//! under `cfg(fuzzing)`.
#![no_main]
use libfuzzer_sys::fuzz_target;
use radius_codec::{AttrType, AuthenticatorKind, Code, Packet, PacketBuilder, SharedSecret};

fuzz_target!(|data: &[u8]| {
    let Ok(p) = Packet::new_checked(data) else { return };
    let secret = SharedSecret::from("fuzz");
    let mut b = PacketBuilder::new(p.code(), p.identifier(), p.authenticator());
    b.without_message_authenticator();
    for a in p.attributes() {
        if a.typ() == AttrType::MESSAGE_AUTHENTICATOR {
            b.add_message_authenticator();
        } else {
            b.add(a.typ(), a.value()).expect("a decoded attribute fits");
        }
    }
    let bytes = b.finish(&secret).expect("same length as the input");
    let q = Packet::new_checked(&bytes[..]).expect("rebuilt packet validates");
    assert_eq!(p.code(), q.code());
    assert_eq!(p.identifier(), q.identifier());
    assert_eq!(p.length(), q.length());
    if p.code().authenticator_kind() == AuthenticatorKind::Random {
        assert_eq!(p.authenticator(), q.authenticator());
    }
    let strip = |x: &Packet<&[u8]>| -> Vec<(AttrType, Vec<u8>)> {
        x.attributes()
            .map(|a| {
                let v = if a.typ() == AttrType::MESSAGE_AUTHENTICATOR {
                    Vec::new()
                } else {
                    a.value().to_vec()
                };
                (a.typ(), v)
            })
            .collect()
    };
    assert_eq!(strip(&p), strip(&q));
    if q.code().is_request() {
        q.verify_request(&secret).expect("rebuilt request verifies");
    } else {
        // A reply (or an unknown code): its Message-Authenticator was computed over the
        // vector the builder used, the authenticator it was given.
        let vector = p.authenticator();
        q.verify_message_authenticator(&secret, Some(&vector))
            .expect("rebuilt Message-Authenticator verifies");
        // and against a request with that authenticator, the Response Authenticator too
        let request_code = [
            Code::AccessRequest,
            Code::AccountingRequest,
            Code::CoaRequest,
            Code::DisconnectRequest,
            Code::StatusServer,
        ]
        .into_iter()
        .find(|c| c.accepts_reply(q.code()));
        if let Some(code) = request_code {
            let mut req = vec![code.get(), q.identifier(), 0, 0];
            req.extend_from_slice(&vector);
            for ps in q.all(AttrType::PROXY_STATE) {
                req.push(AttrType::PROXY_STATE.0);
                req.push(u8::try_from(ps.value().len() + 2).expect("fits"));
                req.extend_from_slice(ps.value());
            }
            let Ok(len) = u16::try_from(req.len()) else { return };
            req[2..4].copy_from_slice(&len.to_be_bytes());
            q.verify_reply(&Packet::new_unchecked(&req[..]), &secret)
                .expect("rebuilt reply verifies against its request");
        }
    }
});
