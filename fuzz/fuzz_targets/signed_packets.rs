//! Valid, signed packets with their structure mutated around valid authenticators:
//! a request and a reply are built and signed with a fixed secret, then attributes are
//! inserted, removed, duplicated, resized, bytes flipped, Length changed. Whatever the
//! mutation, a packet whose bytes (up to Length) differ from what was signed must fail
//! verification where it carries an integrity check, checked or unchecked, and the
//! policies must never let it through on the strength of a malformed
//! Message-Authenticator.
#![no_main]
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use radius_codec::{
    AttrType, AuthenticatorKind, Code, Packet, PacketBuilder, ReplyPolicy, Requirement, ServerPolicy,
    SharedSecret,
};

#[derive(Arbitrary, Debug)]
enum Mutation {
    FlipByte { at: u16, mask: u8 },
    SetLength(u16),
    Truncate(u16),
    Insert { at: u16, typ: u8, value: Vec<u8> },
    InsertRaw { at: u16, bytes: Vec<u8> },
    RemoveAttr(u8),
    DuplicateAttr(u8),
    ResizeAttr { index: u8, len: u8 },
}

#[derive(Arbitrary, Debug)]
struct Input {
    request_code: u8,
    identifier: u8,
    authenticator: [u8; 16],
    with_ma: bool,
    attrs: Vec<(u8, Vec<u8>)>,
    reply_kind: u8,
    reply_signed: bool,
    reply_attrs: Vec<(u8, Vec<u8>)>,
    mutate_reply: bool,
    mutations: Vec<Mutation>,
}

const REQUESTS: [Code; 5] = [
    Code::AccessRequest,
    Code::StatusServer,
    Code::AccountingRequest,
    Code::CoaRequest,
    Code::DisconnectRequest,
];

/// Offsets of the top-level attributes, as far as they parse.
fn attr_offsets(bytes: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let end = bytes.len();
    let mut at = 20;
    while at + 2 <= end {
        let len = usize::from(bytes[at + 1]);
        if len < 2 || at + len > end {
            break;
        }
        out.push((at, len));
        at += len;
    }
    out
}

fn set_length(bytes: &mut [u8]) {
    if let Ok(len) = u16::try_from(bytes.len()) {
        if bytes.len() >= 4 {
            bytes[2..4].copy_from_slice(&len.to_be_bytes());
        }
    }
}

fn mutate(bytes: &mut Vec<u8>, m: &Mutation) {
    match m {
        Mutation::FlipByte { at, mask } => {
            let n = bytes.len();
            if let Some(b) = bytes.get_mut(usize::from(*at) % n.max(1)) {
                *b ^= mask;
            }
        }
        Mutation::SetLength(l) => {
            if bytes.len() >= 4 {
                bytes[2..4].copy_from_slice(&l.to_be_bytes());
            }
        }
        Mutation::Truncate(n) => bytes.truncate(usize::from(*n)),
        Mutation::Insert { at, typ, value } => {
            let offs = attr_offsets(bytes);
            let pos = offs
                .get(usize::from(*at) % (offs.len() + 1))
                .map_or(bytes.len(), |o| o.0);
            let value = &value[..value.len().min(253)];
            let mut attr = vec![*typ, u8::try_from(value.len() + 2).unwrap_or(255)];
            attr.extend_from_slice(value);
            bytes.splice(pos..pos, attr);
            set_length(bytes);
        }
        Mutation::InsertRaw { at, bytes: raw } => {
            let pos = 20 + usize::from(*at) % (bytes.len().saturating_sub(19)).max(1);
            let pos = pos.min(bytes.len());
            bytes.splice(pos..pos, raw.iter().copied());
            set_length(bytes);
        }
        Mutation::RemoveAttr(i) => {
            let offs = attr_offsets(bytes);
            if let Some(&(at, len)) = offs.get(usize::from(*i) % offs.len().max(1)) {
                bytes.drain(at..at + len);
                set_length(bytes);
            }
        }
        Mutation::DuplicateAttr(i) => {
            let offs = attr_offsets(bytes);
            if let Some(&(at, len)) = offs.get(usize::from(*i) % offs.len().max(1)) {
                let copy = bytes[at..at + len].to_vec();
                bytes.extend_from_slice(&copy);
                set_length(bytes);
            }
        }
        Mutation::ResizeAttr { index, len } => {
            let offs = attr_offsets(bytes);
            if let Some(&(at, _)) = offs.get(usize::from(*index) % offs.len().max(1)) {
                bytes[at + 1] = *len;
            }
        }
    }
}

fn build(
    code: Code,
    id: u8,
    auth: [u8; 16],
    with_ma: bool,
    attrs: &[(u8, Vec<u8>)],
    secret: &SharedSecret,
) -> Option<Vec<u8>> {
    let mut b = PacketBuilder::new(code, id, auth);
    if with_ma {
        b.add_message_authenticator();
    } else {
        b.without_message_authenticator();
    }
    for (t, v) in attrs.iter().take(32) {
        if *t == 80 || v.len() > 253 {
            continue;
        }
        b.add(AttrType(*t), v).ok()?;
    }
    b.finish(secret).ok()
}

fuzz_target!(|i: Input| {
    let secret = SharedSecret::from("fuzzing-secret");
    let code = REQUESTS[usize::from(i.request_code) % REQUESTS.len()];
    let Some(req) = build(code, i.identifier, i.authenticator, i.with_ma, &i.attrs, &secret) else {
        return;
    };
    // Builders accept raw values the validator may refuse (a bad VSA): such a packet
    // is not a valid starting point.
    let Ok(request) = Packet::new_checked(&req[..]) else {
        return;
    };
    request
        .verify_request(&secret)
        .expect("a signed request verifies");
    let mut policy = ServerPolicy::default();
    let _ = policy.verify(&request, &secret);

    let reply_code = match (code, i.reply_kind % 3) {
        (Code::AccessRequest, 0) => Code::AccessAccept,
        (Code::AccessRequest, 1) => Code::AccessReject,
        (Code::AccessRequest, _) => Code::AccessChallenge,
        (Code::StatusServer, 0) => Code::AccountingResponse,
        (Code::StatusServer, _) => Code::AccessAccept,
        (Code::AccountingRequest, _) => Code::AccountingResponse,
        (Code::CoaRequest, 0) => Code::CoaAck,
        (Code::CoaRequest, _) => Code::CoaNak,
        (_, 0) => Code::DisconnectAck,
        (_, _) => Code::DisconnectNak,
    };
    let mut rb = PacketBuilder::reply_to(&request, reply_code);
    if !i.reply_signed {
        rb.without_message_authenticator();
    }
    for (t, v) in i.reply_attrs.iter().take(32) {
        if *t == 80 || *t == 33 || v.len() > 253 {
            continue;
        }
        if rb.add(AttrType(*t), v).is_err() {
            return;
        }
    }
    let Ok(rep) = rb.finish(&secret) else { return };
    let Ok(reply) = Packet::new_checked(&rep[..]) else {
        return;
    };
    let signed = reply
        .verify_reply(&request, &secret)
        .expect("a signed reply verifies");
    assert_eq!(signed, reply.message_authenticator().is_some());
    for r in [Requirement::Yes, Requirement::Auto, Requirement::No] {
        let ok = ReplyPolicy::new(r).verify(&reply, &request, &secret).is_ok();
        let access = matches!(code, Code::AccessRequest | Code::StatusServer);
        let eap =
            request.first(AttrType::EAP_MESSAGE).is_some() || reply.first(AttrType::EAP_MESSAGE).is_some();
        let expected = match r {
            Requirement::Yes => signed || !access,
            Requirement::Auto => signed || !access || !eap,
            _ => true,
        };
        assert_eq!(ok, expected, "{r:?}");
    }

    // Mutate one of the two and verify again.
    let original = if i.mutate_reply { rep.clone() } else { req.clone() };
    let mut m = original.clone();
    for mu in i.mutations.iter().take(8) {
        mutate(&mut m, mu);
    }
    let unchanged = |p: &Packet<&[u8]>| p.as_bytes() == &original[..];
    let checked = Packet::new_checked(&m[..]);
    let unchecked = Packet::new_unchecked(&m[..]);
    if i.mutate_reply {
        // Every reply carries a Response Authenticator over all of it.
        for ok in [
            checked
                .as_ref()
                .map(|p| p.verify_reply(&request, &secret).is_ok())
                .unwrap_or(false),
            unchecked.verify_reply(&request, &secret).is_ok(),
            unchecked.view().verify_reply(&request, &secret).is_ok(),
        ] {
            if ok {
                assert!(unchanged(&unchecked.view()), "a mutated reply verified");
            }
        }
        let mut rp = ReplyPolicy::new(Requirement::Auto);
        if rp.verify(&unchecked, &request, &secret).is_ok() {
            assert!(unchanged(&unchecked.view()), "a mutated reply passed the policy");
        }
    } else {
        for p in [checked.ok(), Some(unchecked)].into_iter().flatten() {
            let verified = p.verify_request(&secret).is_ok();
            // What the mutated packet claims protects it: a Message-Authenticator, or a
            // computed Request Authenticator. (An Access-Request whose MA was removed
            // has no protection left; the policy below must then refuse it.)
            let protected = p.message_authenticator().is_some()
                || p.code().authenticator_kind() == AuthenticatorKind::RequestMd5;
            if verified && protected {
                assert!(unchanged(&p.view()), "a mutated signed request verified");
            }
            if verified {
                // A verified request's Message-Authenticator is well formed: the policy
                // sees it exactly as the verifier did.
                let mut strict = ServerPolicy::new(Requirement::Yes, Requirement::Yes);
                let has_ma = p.message_authenticator().is_some();
                let ok = strict.verify(&p, &secret).is_ok();
                if ok && matches!(p.code(), Code::AccessRequest | Code::StatusServer) {
                    assert!(has_ma, "ServerPolicy(yes) passed a request without a valid MA");
                }
            }
        }
    }
});
