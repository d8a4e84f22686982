//! decode -> rebuild -> decode: the same code, identifier and attributes in order.
#![no_main]
use libfuzzer_sys::fuzz_target;
use radius_codec::{AttrType, AuthenticatorKind, Packet, PacketBuilder, SharedSecret};

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
    q.verify_request(&secret).expect("rebuilt request verifies");
});
