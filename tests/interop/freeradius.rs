//! radius-codec as a client of FreeRADIUS' radiusd: PAP, CHAP, EAP-MD5 (for a
//! Message-Authenticator in the replies), a reply a post-auth rule signs, accounting and
//! Status-Server — all through ONE long-lived client, as a real service keeps one, so
//! that what `ReplyPolicy::Auto` learns from one exchange applies to the next.

use std::net::{SocketAddr, UdpSocket};
use std::time::Duration;

use nacwire_tests::{exchange, exchange_signed, require_program, FreeRadius, SECRET};
use radius_codec::exchange::{Client, Retransmit};
use radius_codec::{
    crypto, AttrType, Code, DataType, Learned, LearnedReplies, Packet, PacketBuilder, ReplyPolicy,
    Requirement, SharedSecret, Signature, Value,
};

/// One client for every destination, each with the default `Auto` reply policy.
fn client(dests: &[SocketAddr]) -> Client<SocketAddr> {
    let mut c = Client::new(0x5eed).with_retransmit(Retransmit {
        initial: Duration::from_millis(500),
        max_count: 3,
        max_time: Duration::from_secs(2),
        max_duration: Duration::from_secs(5),
    });
    for d in dests {
        c.add_destination_with(
            *d,
            SharedSecret::from(SECRET),
            ReplyPolicy::new(Requirement::Auto),
        );
    }
    c
}

/// A per-test "random" authenticator (tests only; use a CSPRNG in real code).
fn authenticator(seed: u8) -> [u8; 16] {
    crypto::chap_response(seed, b"nacwire", &std::process::id().to_be_bytes())
}

fn text(p: &Packet<&[u8]>, t: AttrType) -> String {
    String::from_utf8_lossy(p.first(t).map(|a| a.value()).unwrap_or_default()).into_owned()
}

#[test]
fn radiusd_accepts_what_radius_codec_builds() {
    let Some(bin) = require_program("freeradius") else {
        return;
    };
    let server = FreeRadius::start(&bin).expect("start freeradius");
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    let auth: SocketAddr = format!("127.0.0.1:{}", server.auth_port).parse().unwrap();
    let acct: SocketAddr = format!("127.0.0.1:{}", server.acct_port).parse().unwrap();
    let log = || server.log();
    let status = SocketAddr::from(([127, 0, 0, 1], server.status_port));
    // ONE client, kept across every scenario below.
    let mut c = client(&[auth, acct, status]);

    // (a) PAP: our Access-Request (Message-Authenticator first) is accepted; the
    // Access-Accept verifies. FreeRADIUS 3.2.1 adds no Message-Authenticator to PAP
    // replies: `auto` accepts it, says so, and learns that this server is legacy.
    let (req, reply, sig) = exchange_signed(&sock, &mut c, auth, |id, s| {
        let mut b = PacketBuilder::access_request(id, authenticator(1));
        b.add(AttrType::USER_NAME, b"bob")?
            .add_user_password(s, b"hello")?;
        b.finish(s)
    })
    .unwrap_or_else(|e| panic!("PAP: {e}\n{}", log()));
    let reply = Packet::new_checked(&reply[..]).unwrap();
    assert_eq!(reply.code(), Code::AccessAccept, "{}", log());
    assert_eq!(sig, Signature::AcceptedUnsigned);
    assert_eq!(c.reply_state(&auth).unwrap().access, Learned::Legacy);
    assert_eq!(text(&reply, AttrType::REPLY_MESSAGE), "Hello, bob");
    assert_eq!(
        reply
            .first(AttrType::SESSION_TIMEOUT)
            .unwrap()
            .decode(DataType::Integer)
            .unwrap(),
        Value::Integer(3600)
    );
    assert_eq!(
        Packet::new_checked(&req[..])
            .unwrap()
            .attributes()
            .next()
            .unwrap()
            .typ(),
        AttrType(80)
    );

    // A wrong password is rejected.
    let (_, reply) = exchange(&sock, &mut c, auth, |id, s| {
        let mut b = PacketBuilder::access_request(id, authenticator(2));
        b.add(AttrType::USER_NAME, b"bob")?
            .add_user_password(s, b"wrong")?;
        b.finish(s)
    })
    .unwrap();
    assert_eq!(
        Packet::new_checked(&reply[..]).unwrap().code(),
        Code::AccessReject
    );

    // (a) CHAP, with the Request Authenticator as challenge.
    let (_, reply) = exchange(&sock, &mut c, auth, |id, s| {
        let mut b = PacketBuilder::access_request(id, authenticator(3));
        b.add(AttrType::USER_NAME, b"bob")?
            .add_chap_password(7, b"hello")?;
        b.finish(s)
    })
    .unwrap_or_else(|e| panic!("CHAP: {e}\n{}", log()));
    assert_eq!(
        Packet::new_checked(&reply[..]).unwrap().code(),
        Code::AccessAccept,
        "{}",
        log()
    );

    // (a) EAP-MD5: every reply must carry a Message-Authenticator that verifies (RFC
    // 3579 §3.2, obliged: `auto` requires it and learns nothing from it).
    let identity = [2u8, 1, 0, 8, 1, b'b', b'o', b'b'];
    let (_, challenge, sig) = exchange_signed(&sock, &mut c, auth, |id, s| {
        let mut b = PacketBuilder::access_request(id, authenticator(4));
        b.add(AttrType::USER_NAME, b"bob")?
            .add_concat(AttrType::EAP_MESSAGE, &identity)?;
        b.finish(s)
    })
    .unwrap_or_else(|e| panic!("EAP identity: {e}\n{}", log()));
    let challenge = Packet::new_checked(&challenge[..]).unwrap();
    assert_eq!(challenge.code(), Code::AccessChallenge, "{}", log());
    assert_eq!(sig, Signature::Signed);
    assert!(challenge.message_authenticator().is_some());
    let eap = challenge.concat(AttrType::EAP_MESSAGE).unwrap();
    // EAP-Request (1), id, length, type MD5-Challenge (4), value-size 16, value
    assert_eq!((eap[0], eap[4], eap[5]), (1, 4, 16), "{eap:?}");
    let (eap_id, md5_challenge) = (eap[1], &eap[6..22]);
    let state = challenge.first(AttrType::STATE).unwrap().value().to_vec();
    let response = crypto::chap_response(eap_id, b"hello", md5_challenge);
    let mut eap_resp = vec![2, eap_id, 0, 22, 4, 16];
    eap_resp.extend_from_slice(&response);
    let (_, accept) = exchange(&sock, &mut c, auth, |id, s| {
        let mut b = PacketBuilder::access_request(id, authenticator(5));
        b.add(AttrType::USER_NAME, b"bob")?
            .add(AttrType::STATE, &state)?
            .add_concat(AttrType::EAP_MESSAGE, &eap_resp)?;
        b.finish(s)
    })
    .unwrap_or_else(|e| panic!("EAP-MD5 response: {e}\n{}", log()));
    let accept = Packet::new_checked(&accept[..]).unwrap();
    assert_eq!(accept.code(), Code::AccessAccept, "{}", log());
    assert!(
        accept.message_authenticator().is_some(),
        "Access-Accept to EAP carries MA"
    );
    assert_eq!(accept.concat(AttrType::EAP_MESSAGE).unwrap()[0], 3, "EAP-Success");

    // (a) After signed EAP replies, a plain PAP reply (unsigned) is still accepted by
    // the same client: the EAP replies were obliged to be signed and taught nothing.
    let (_, reply, sig) = exchange_signed(&sock, &mut c, auth, |id, s| {
        let mut b = PacketBuilder::access_request(id, authenticator(10));
        b.add(AttrType::USER_NAME, b"bob")?
            .add_user_password(s, b"hello")?;
        b.finish(s)
    })
    .unwrap_or_else(|e| panic!("PAP after EAP: {e}\n{}", log()));
    assert_eq!(
        Packet::new_checked(&reply[..]).unwrap().code(),
        Code::AccessAccept
    );
    assert_eq!(sig, Signature::AcceptedUnsigned);

    // (a) A reply that a post-auth rule signs verifies as signed ...
    let (_, reply, sig) = exchange_signed(&sock, &mut c, auth, |id, s| {
        let mut b = PacketBuilder::access_request(id, authenticator(11));
        b.add(AttrType::USER_NAME, b"signed")?
            .add_user_password(s, b"hello")?;
        b.finish(s)
    })
    .unwrap_or_else(|e| panic!("post-auth signed: {e}\n{}", log()));
    let reply = Packet::new_checked(&reply[..]).unwrap();
    assert_eq!(reply.code(), Code::AccessAccept, "{}", log());
    assert!(reply.message_authenticator().is_some(), "post-auth rule signs");
    assert_eq!(sig, Signature::Signed);
    // ... and the next plain PAP reply is still accepted.
    let (_, _, sig) = exchange_signed(&sock, &mut c, auth, |id, s| {
        let mut b = PacketBuilder::access_request(id, authenticator(12));
        b.add(AttrType::USER_NAME, b"bob")?
            .add_chap_password(9, b"hello")?;
        b.finish(s)
    })
    .unwrap_or_else(|e| panic!("CHAP after post-auth signed: {e}\n{}", log()));
    assert_eq!(sig, Signature::AcceptedUnsigned);

    // (b) Accounting-Request -> verified Accounting-Response.
    let (_, resp) = exchange(&sock, &mut c, acct, |id, s| {
        let mut b = PacketBuilder::accounting_request(id);
        b.add(AttrType::USER_NAME, b"bob")?
            .add_value(AttrType::ACCT_STATUS_TYPE, &Value::Integer(1))?
            .add(AttrType::ACCT_SESSION_ID, b"nacwire-0001")?
            .add_value(AttrType::NAS_IP_ADDRESS, &Value::IpAddr([127, 0, 0, 1].into()))?
            .add_value(AttrType::ACCT_DELAY_TIME, &Value::Integer(0))?;
        b.finish(s)
    })
    .unwrap_or_else(|e| panic!("accounting: {e}\n{}", log()));
    assert_eq!(
        Packet::new_checked(&resp[..]).unwrap().code(),
        Code::AccountingResponse
    );

    // (c) Status-Server on the auth port -> Access-Accept, unsigned by 3.2.1: learned
    // apart from Access-* replies.
    let (_, resp, sig) = exchange_signed(&sock, &mut c, auth, |id, s| {
        PacketBuilder::status_server(id, authenticator(6)).finish(s)
    })
    .unwrap_or_else(|e| panic!("Status-Server: {e}\n{}", log()));
    assert_eq!(Packet::new_checked(&resp[..]).unwrap().code(), Code::AccessAccept);
    assert_eq!(sig, Signature::AcceptedUnsigned);
    assert_eq!(
        c.reply_state(&auth),
        Some(LearnedReplies {
            access: Learned::Legacy,
            status_server: Learned::Legacy
        })
    );

    // (d) Statistics: Status-Server to the status server with
    // FreeRADIUS-Statistics-Type built by name from the builtin dictionary; the
    // counters in the reply decode by name, and count what this test sent.
    let dict = radius_dict::Dictionary::builtin();
    // FreeRADIUS 3.2.1 does not put Message-Authenticator in statistics replies.
    let (_, resp) = exchange(&sock, &mut c, status, |id, s| {
        let mut b = PacketBuilder::status_server(id, authenticator(8));
        dict.add(&mut b, "FreeRADIUS-Statistics-Type", "All", None)
            .unwrap_or_else(|e| panic!("{e}"));
        b.finish(s)
    })
    .unwrap_or_else(|e| panic!("Status-Server statistics: {e}\n{}", log()));
    let reply = Packet::new_checked(&resp[..]).unwrap();
    assert_eq!(reply.code(), Code::AccessAccept);
    let stats: std::collections::HashMap<String, String> = dict
        .decode(&reply, None)
        .into_iter()
        .map(|d| (d.name.to_string(), d.text()))
        .collect();
    // Counted on receipt (the per-result counters move when requests are cleaned up,
    // seconds later): PAP, the rejected PAP, CHAP, two EAP rounds, PAP, the post-auth
    // signed PAP, CHAP, and Status-Server.
    let count = |name: &str| -> u64 {
        stats
            .get(name)
            .unwrap_or_else(|| panic!("no {name} in {stats:?}"))
            .parse()
            .unwrap()
    };
    assert!(count("FreeRADIUS-Total-Access-Requests") >= 8, "{stats:?}");
    assert_eq!(count("FreeRADIUS-Total-Accounting-Requests"), 1, "{stats:?}");
    assert!(
        stats.keys().all(|k| !k.starts_with("Attr-")),
        "an attribute the builtin does not name: {stats:?}"
    );

    // A request signed with the wrong secret is dropped by radiusd (no reply).
    let mut wrong = Client::new(9).with_retransmit(Retransmit {
        initial: Duration::from_millis(300),
        max_count: 1,
        max_time: Duration::from_secs(1),
        max_duration: Duration::from_secs(1),
    });
    wrong.add_destination(auth, SharedSecret::from("not-the-secret"));
    let err = exchange(&sock, &mut wrong, auth, |id, s| {
        PacketBuilder::status_server(id, authenticator(7)).finish(s)
    });
    assert_eq!(err.unwrap_err(), "no reply");
}
