//! Authenticators, Message-Authenticator and the BlastRADIUS policy.
//!
//! | packet | Authenticator field | Message-Authenticator HMAC over the packet with |
//! |---|---|---|
//! | Access-Request, Status-Server | random (caller-supplied) | the Request Authenticator |
//! | Accounting-, CoA-, Disconnect-Request | `MD5(header, 16 zeros, attrs, secret)` (RFC 2866 §3, RFC 5176 §3.3) | 16 zero octets |
//! | every reply | `MD5(header, Request Authenticator, attrs, secret)` | the Request Authenticator |
//!
//! In each case the HMAC-MD5 (RFC 2869 §5.14, RFC 3579 §3.2) is computed with the
//! Message-Authenticator value zeroed, and before the Authenticator field is set.
//! Comparisons are constant-time.

use crate::crypto::{ct_eq, md5};
use crate::packet::{Packet, AUTHENTICATOR_FIELD, HEADER_LEN};
use crate::{AttrType, AuthenticatorKind, Code, Error, Result, SharedSecret};

/// Offset (from the packet start) of the Message-Authenticator *value*, if present;
/// an error if the packet is malformed around it (see
/// [`crate::packet::scan_message_authenticator`], the one definition).
pub(crate) fn find_message_authenticator(bytes: &[u8]) -> Result<Option<usize>> {
    crate::packet::scan_message_authenticator(bytes)
}

/// HMAC-MD5 over `bytes` with the Authenticator field replaced by `auth` and the 16
/// octets at `ma_offset` zeroed.
pub(crate) fn compute_message_authenticator(
    bytes: &[u8],
    ma_offset: usize,
    auth: &[u8; 16],
    secret: &SharedSecret,
) -> [u8; 16] {
    let mut mac = secret.hmac();
    mac.update(bytes.get(..4).unwrap_or_default());
    mac.update(auth);
    mac.update(bytes.get(HEADER_LEN..ma_offset).unwrap_or_default());
    mac.update(&[0u8; 16]);
    mac.update(bytes.get(ma_offset + 16..).unwrap_or_default());
    mac.finish()
}

/// `MD5(Code | Id | Length | auth | Attributes | Secret)`.
pub(crate) fn compute_authenticator(bytes: &[u8], auth: &[u8; 16], secret: &SharedSecret) -> [u8; 16] {
    md5(&[
        bytes.get(..4).unwrap_or_default(),
        auth,
        bytes.get(HEADER_LEN..).unwrap_or_default(),
        secret.expose(),
    ])
}

impl<T: AsRef<[u8]>> Packet<T> {
    /// The Message-Authenticator value, if the packet carries exactly one, of 16 octets,
    /// in a well-formed attribute list.
    ///
    /// This is the one definition every verifier and policy of this crate uses; for a
    /// packet made with [`Packet::new_unchecked`], a malformed attribute list or
    /// Message-Authenticator gives `None` here and an error from the verifiers.
    pub fn message_authenticator(&self) -> Option<[u8; 16]> {
        let bytes = self.as_bytes();
        let off = find_message_authenticator(bytes).ok().flatten()?;
        bytes.get(off..off + 16).and_then(|v| v.try_into().ok())
    }

    /// Verifies Message-Authenticator if present; returns whether it was present.
    ///
    /// A Message-Authenticator of the wrong length, a repeated one, or an attribute
    /// list that does not parse up to Length is an error
    /// ([`Error::MalformedMessageAuthenticator`] or the decode error), also for a
    /// packet made with [`Packet::new_unchecked`].
    ///
    /// `request_authenticator` is the Request Authenticator of the request when this
    /// packet is a reply, and `None` for requests (the right vector for the code is
    /// chosen: the packet's own authenticator, or zeros for Accounting/CoA/Disconnect).
    pub fn verify_message_authenticator(
        &self,
        secret: &SharedSecret,
        request_authenticator: Option<&[u8; 16]>,
    ) -> Result<bool> {
        let bytes = self.as_bytes();
        let Some(off) = find_message_authenticator(bytes)? else {
            return Ok(false);
        };
        let vector = match (self.code().authenticator_kind(), request_authenticator) {
            (_, Some(ra)) => *ra,
            (AuthenticatorKind::Random, None) => self.authenticator(),
            (_, None) => [0; 16],
        };
        let expected = compute_message_authenticator(bytes, off, &vector, secret);
        let got = bytes.get(off..off + 16).unwrap_or_default();
        if ct_eq(&expected, got) {
            Ok(true)
        } else {
            Err(Error::BadMessageAuthenticator)
        }
    }

    /// Checks the CHAP-Password of an Access-Request against the clear-text password,
    /// with CHAP-Challenge as the challenge when present and the Request Authenticator
    /// otherwise (RFC 2865 §2.2, §5.40). Constant-time. Over RADIUS/1.1 use
    /// [`Packet::verify_chap_password_radius11`], which requires CHAP-Challenge.
    pub fn verify_chap_password(&self, password: &[u8]) -> Result<bool> {
        let p = self.view();
        let chap = p.first(AttrType::CHAP_PASSWORD).ok_or(Error::MissingAttribute {
            attr: AttrType::CHAP_PASSWORD,
        })?;
        let ra = self.authenticator();
        let challenge = p.first(AttrType::CHAP_CHALLENGE).map_or(&ra[..], |a| a.value());
        crate::crypto::verify_chap_password(chap.value(), password, challenge)
    }

    /// Verifies a request as a server receives it: the Request Authenticator of
    /// Accounting/CoA/Disconnect requests, and Message-Authenticator wherever present.
    /// Returns whether the request carried Message-Authenticator, as
    /// [`Packet::verify_reply`] does for replies. Whether a *missing* one is acceptable
    /// is policy: [`ServerPolicy::verify`] verifies and applies it in one call.
    pub fn verify_request(&self, secret: &SharedSecret) -> Result<bool> {
        if self.code().authenticator_kind() == AuthenticatorKind::RequestMd5 {
            let expected = compute_authenticator(self.as_bytes(), &[0; 16], secret);
            if !ct_eq(&expected, &self.authenticator()) {
                return Err(Error::BadRequestAuthenticator);
            }
        }
        self.verify_message_authenticator(secret, None)
    }

    /// Verifies a reply against the request it answers: the code pairing, the
    /// Identifier, the Response Authenticator, Message-Authenticator if present, and
    /// that every Proxy-State in the reply was sent in the request (BlastRADIUS).
    /// Returns whether the reply carried Message-Authenticator.
    pub fn verify_reply<U: AsRef<[u8]>>(&self, request: &Packet<U>, secret: &SharedSecret) -> Result<bool> {
        let (req_code, code) = (request.code(), self.code());
        if !req_code.accepts_reply(code) {
            return Err(Error::UnexpectedReply {
                request: req_code,
                reply: code,
            });
        }
        if request.identifier() != self.identifier() {
            return Err(Error::IdentifierMismatch {
                expected: request.identifier(),
                got: self.identifier(),
            });
        }
        let ra = request.authenticator();
        let expected = compute_authenticator(self.as_bytes(), &ra, secret);
        if !ct_eq(&expected, &self.authenticator()) {
            return Err(Error::BadResponseAuthenticator);
        }
        let has_ma = self.verify_message_authenticator(secret, Some(&ra))?;
        let req = request.view();
        let reply = self.view();
        for ps in reply.all(AttrType::PROXY_STATE) {
            if !req.all(AttrType::PROXY_STATE).any(|r| r.value() == ps.value()) {
                return Err(Error::UnexpectedProxyState);
            }
        }
        Ok(has_ma)
    }
}

/// A three-way policy switch, as FreeRADIUS 3.2.5+ has them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Requirement {
    /// Never required (still verified when present).
    No,
    /// Always required.
    Yes,
    /// Learned from the peer: see [`ServerPolicy`] and [`ReplyPolicy`].
    #[default]
    Auto,
}

/// What a server requires of the Access-Requests of one client (keep one per client).
///
/// Modelled on FreeRADIUS 3.2.5+ `require_message_authenticator` and
/// `limit_proxy_state`:
/// - `require_message_authenticator = yes`: an Access-Request without
///   Message-Authenticator is an error. `auto`: if the first Access-Request from the
///   client carries one, every later one must too.
/// - `limit_proxy_state = yes`: an Access-Request carrying Proxy-State but no
///   Message-Authenticator is an error. `auto`: decided by the first Access-Request:
///   if it has Message-Authenticator or no Proxy-State, the limit applies from then on;
///   a client whose first request is Proxy-State without Message-Authenticator is a
///   legacy proxy and is let through.
///
/// Independently of the switches, Status-Server and any request with EAP-Message must
/// carry Message-Authenticator (RFC 5997 §3, RFC 3579 §3.3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerPolicy {
    require_message_authenticator: Requirement,
    limit_proxy_state: Requirement,
    learned: Option<(bool, bool)>,
}

impl Default for ServerPolicy {
    fn default() -> Self {
        Self::new(Requirement::Auto, Requirement::Auto)
    }
}

impl ServerPolicy {
    /// A policy with the two switches.
    #[must_use]
    pub const fn new(require_message_authenticator: Requirement, limit_proxy_state: Requirement) -> Self {
        Self {
            require_message_authenticator,
            limit_proxy_state,
            learned: None,
        }
    }

    /// Whether Message-Authenticator is currently required in Access-Requests.
    #[must_use]
    pub fn requires_message_authenticator(&self) -> bool {
        match self.require_message_authenticator {
            Requirement::Yes => true,
            Requirement::No => false,
            Requirement::Auto => self.learned.is_some_and(|(ma, _)| ma),
        }
    }

    /// Verifies `request` ([`Packet::verify_request`]), applies the policy and learns
    /// where a switch is `auto`: the server side of [`ReplyPolicy::verify`], with the
    /// same shape. Reports how the request stood with respect to Message-Authenticator.
    ///
    /// "Has Message-Authenticator" means what [`Packet::message_authenticator`] means:
    /// a malformed one (wrong length, repeated, or in an attribute list that does not
    /// parse) is an error, never "present".
    pub fn verify<T: AsRef<[u8]>>(
        &mut self,
        request: &Packet<T>,
        secret: &SharedSecret,
    ) -> Result<Signature> {
        let has_ma = request.verify_request(secret)?;
        self.apply(request, has_ma)
    }

    /// The policy half of [`ServerPolicy::verify`], for the crate's tests of packets
    /// that carry no valid signature.
    #[cfg(test)]
    pub(crate) fn check<T: AsRef<[u8]>>(&mut self, request: &Packet<T>) -> Result<Signature> {
        let has_ma = find_message_authenticator(request.as_bytes())?.is_some();
        self.apply(request, has_ma)
    }

    fn apply<T: AsRef<[u8]>>(&mut self, request: &Packet<T>, has_ma: bool) -> Result<Signature> {
        let p = request.view();
        let code = p.code();
        if has_ma {
            if code == Code::AccessRequest && self.learned.is_none() {
                self.learned = Some((true, true));
            }
            return Ok(Signature::Signed);
        }
        let missing = Error::MissingMessageAuthenticator { code };
        if code == Code::StatusServer || p.first(AttrType::EAP_MESSAGE).is_some() {
            return Err(missing);
        }
        if code != Code::AccessRequest {
            return Ok(Signature::NotRequired);
        }
        let has_proxy_state = p.first(AttrType::PROXY_STATE).is_some();
        let first = self.learned.is_none();
        if first {
            self.learned = Some((false, !has_proxy_state));
        }
        if self.requires_message_authenticator() {
            return Err(missing);
        }
        let limit = match self.limit_proxy_state {
            Requirement::Yes => true,
            Requirement::No => false,
            Requirement::Auto => self.learned.is_some_and(|(_, limit)| limit),
        };
        if limit && has_proxy_state {
            return Err(Error::ProxyStateWithoutMessageAuthenticator);
        }
        Ok(Signature::AcceptedUnsigned)
    }
}

/// What a client has learned about one server and one kind of reply: does it put
/// Message-Authenticator on replies that are not obliged to carry one?
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Learned {
    /// Nothing learned yet: the next reply that was not obliged to carry
    /// Message-Authenticator decides.
    #[default]
    Unknown,
    /// The first such reply carried one: from now on every reply of this kind must.
    Signs,
    /// The first such reply carried none (FreeRADIUS before 3.2.5 and other legacy
    /// servers): unsigned replies of this kind are accepted, and reported as
    /// [`Signature::AcceptedUnsigned`]. A later signed reply does not change this,
    /// because such servers sign some replies (EAP, post-auth rules) and not others.
    Legacy,
}

impl Learned {
    /// A stable one-octet code for persisting: 0 `Unknown`, 1 `Signs`, 2 `Legacy`.
    #[must_use]
    pub const fn code(self) -> u8 {
        match self {
            Self::Unknown => 0,
            Self::Signs => 1,
            Self::Legacy => 2,
        }
    }

    /// The inverse of [`Learned::code`]; `None` for an unknown code.
    #[must_use]
    pub const fn from_code(code: u8) -> Option<Self> {
        match code {
            0 => Some(Self::Unknown),
            1 => Some(Self::Signs),
            2 => Some(Self::Legacy),
            _ => None,
        }
    }
}

/// The learned part of a [`ReplyPolicy`] for one destination: plain data, so a caller
/// can persist it (with [`LearnedReplies::to_bytes`] or its two public fields) and give
/// it back after a restart ([`ReplyPolicy::with_learned`],
/// [`crate::exchange::Client::set_reply_state`]). Without that, `Auto` is
/// trust-on-first-use again after every restart.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct LearnedReplies {
    /// Access-Accept, Access-Reject and Access-Challenge answering Access-Requests.
    pub access: Learned,
    /// Replies to Status-Server (RFC 5997), learned apart: servers before FreeRADIUS
    /// 3.2.5 sign neither these nor plain PAP replies, but they are different code paths.
    pub status_server: Learned,
}

impl LearnedReplies {
    /// Two octets: `[access.code(), status_server.code()]`.
    #[must_use]
    pub const fn to_bytes(self) -> [u8; 2] {
        [self.access.code(), self.status_server.code()]
    }

    /// The inverse of [`LearnedReplies::to_bytes`]; `None` for an unknown code.
    #[must_use]
    pub const fn from_bytes(bytes: [u8; 2]) -> Option<Self> {
        let (Some(access), Some(status_server)) =
            (Learned::from_code(bytes[0]), Learned::from_code(bytes[1]))
        else {
            return None;
        };
        Some(Self {
            access,
            status_server,
        })
    }
}

/// How a packet that passed [`ServerPolicy::verify`] (a request) or
/// [`ReplyPolicy::verify`] (a reply) stood with respect to Message-Authenticator.
/// Front ends should show [`Signature::AcceptedUnsigned`] visibly: such a packet is
/// open to BlastRADIUS (CVE-2024-3596).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Signature {
    /// The packet carried a Message-Authenticator and it verified.
    Signed,
    /// No Message-Authenticator, and none is expected for this exchange (Accounting,
    /// CoA, Disconnect): the Request or Response Authenticator alone protects it.
    NotRequired,
    /// An Access-Request, an Access-Accept/Reject/Challenge or a reply to
    /// Status-Server without Message-Authenticator, accepted because the policy is
    /// `No`, or `Auto` and the peer is (or is now learned to be) a legacy one.
    AcceptedUnsigned,
}

/// What a client requires of the replies of one server (keep one per server).
///
/// **`Yes` is the recommended setting** for servers that sign their replies (FreeRADIUS
/// 3.2.5+, every server patched for BlastRADIUS): it is the only setting under which
/// an attacker on the path can never get an unsigned, forged Access-Accept accepted.
///
/// - `Yes`: every Access-Accept/Reject/Challenge and every reply to Status-Server must
///   carry Message-Authenticator.
/// - `Auto` (the default, for servers that may not sign): replies that are *obliged*
///   to carry one (replies to requests with EAP-Message, and replies with
///   EAP-Message, RFC 3579 §3.2) must; for the others, the first one of each kind
///   ([`LearnedReplies`]: Access-* apart from Status-Server replies) decides whether
///   the server signs ([`Learned`]). Obliged replies teach nothing: FreeRADIUS before
///   3.2.5 signs EAP replies and whatever a post-auth rule signs, but not plain PAP or
///   Status-Server replies. This is trust-on-first-use: persist
///   [`ReplyPolicy::learned`] per destination so a restart does not forget it.
/// - `No`: verified when present only.
///
/// Every reply is verified ([`Packet::verify_reply`]) whatever the setting.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReplyPolicy {
    require: Requirement,
    learned: LearnedReplies,
}

impl ReplyPolicy {
    /// A policy with the given switch and nothing learned.
    #[must_use]
    pub const fn new(require: Requirement) -> Self {
        Self {
            require,
            learned: LearnedReplies {
                access: Learned::Unknown,
                status_server: Learned::Unknown,
            },
        }
    }

    /// The same policy starting from a learned state (from [`ReplyPolicy::learned`],
    /// persisted by the caller).
    #[must_use]
    pub const fn with_learned(mut self, learned: LearnedReplies) -> Self {
        self.learned = learned;
        self
    }

    /// The switch.
    #[must_use]
    pub const fn requirement(&self) -> Requirement {
        self.require
    }

    /// What has been learned so far (to persist per destination).
    #[must_use]
    pub const fn learned(&self) -> LearnedReplies {
        self.learned
    }

    /// Replaces the learned state (e.g. with one loaded after a restart).
    pub fn set_learned(&mut self, learned: LearnedReplies) {
        self.learned = learned;
    }

    /// Verifies `reply` against `request` ([`Packet::verify_reply`]), applies the
    /// policy and learns where it is `Auto`. Reports how the reply stood with respect to
    /// Message-Authenticator.
    pub fn verify<T: AsRef<[u8]>, U: AsRef<[u8]>>(
        &mut self,
        reply: &Packet<T>,
        request: &Packet<U>,
        secret: &SharedSecret,
    ) -> Result<Signature> {
        let has_ma = reply.verify_reply(request, secret)?;
        let slot = match request.code() {
            Code::AccessRequest => &mut self.learned.access,
            Code::StatusServer => &mut self.learned.status_server,
            _ if has_ma => return Ok(Signature::Signed),
            _ => return Ok(Signature::NotRequired),
        };
        // RFC 3579 §3.2: replies carrying EAP-Message, and so every reply to an EAP
        // request, MUST carry Message-Authenticator. Such replies teach nothing.
        let obliged = request.view().first(AttrType::EAP_MESSAGE).is_some()
            || reply.view().first(AttrType::EAP_MESSAGE).is_some();
        if has_ma {
            if !obliged && *slot == Learned::Unknown {
                *slot = Learned::Signs;
            }
            return Ok(Signature::Signed);
        }
        let required = match self.require {
            Requirement::Yes => true,
            Requirement::No => false,
            Requirement::Auto => obliged || *slot == Learned::Signs,
        };
        if required {
            return Err(Error::MissingMessageAuthenticator { code: reply.code() });
        }
        if !obliged && *slot == Learned::Unknown {
            *slot = Learned::Legacy;
        }
        Ok(Signature::AcceptedUnsigned)
    }
}

/// The Authenticator field range, re-exported for the builder.
pub(crate) const AUTH_RANGE: core::ops::Range<usize> = AUTHENTICATOR_FIELD;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PacketBuilder;

    fn secret() -> SharedSecret {
        SharedSecret::from("testing123")
    }

    /// An Access-Request with Proxy-State and a "Message-Authenticator" whose value is
    /// `ma` (any length), as raw bytes: only `new_unchecked` takes it.
    fn access_request_with_ma(ma: &[u8]) -> Vec<u8> {
        let mut b = vec![1, 7, 0, 0];
        b.extend_from_slice(&[0x42; 16]);
        b.extend_from_slice(&[33, 5, b'p', b's', b'1']);
        b.push(80);
        b.push(u8::try_from(ma.len() + 2).unwrap());
        b.extend_from_slice(ma);
        let len = u16::try_from(b.len()).unwrap().to_be_bytes();
        b[2..4].copy_from_slice(&len);
        b
    }

    // RFC 2869 §5.14: "Message-Authenticator ... Length 18".
    #[test]
    fn short_message_authenticator_is_never_present() {
        let bytes = access_request_with_ma(&[1, 2, 3]);
        assert!(Packet::new_checked(&bytes[..]).is_err());
        let p = Packet::new_unchecked(&bytes[..]);
        assert_eq!(p.message_authenticator(), None);
        assert!(matches!(
            p.verify_request(&secret()),
            Err(Error::MalformedMessageAuthenticator { len: 3, .. })
        ));
        let mut strict = ServerPolicy::new(Requirement::Yes, Requirement::Yes);
        assert!(strict.check(&p).is_err());
        let mut auto = ServerPolicy::default();
        assert!(auto.check(&p).is_err());
        // a reply to it is not signed on the strength of the bogus attribute
        let mut coa = access_request_with_ma(&[1, 2, 3]);
        coa[0] = Code::CoaRequest.get();
        let reply = PacketBuilder::reply_to(&Packet::new_unchecked(&coa[..]), Code::CoaAck)
            .finish(&secret())
            .unwrap();
        assert_eq!(
            Packet::new_checked(&reply[..]).unwrap().message_authenticator(),
            None
        );
    }

    #[test]
    fn repeated_or_hidden_message_authenticator_is_an_error() {
        // A valid request, then a second MA appended: unchecked, still refused.
        let good = PacketBuilder::access_request(1, [9; 16])
            .finish(&secret())
            .unwrap();
        let mut twice = good.clone();
        twice.extend_from_slice(&good[20..38]);
        let len = u16::try_from(twice.len()).unwrap().to_be_bytes();
        twice[2..4].copy_from_slice(&len);
        let p = Packet::new_unchecked(&twice[..]);
        assert!(matches!(
            p.verify_request(&secret()),
            Err(Error::MalformedMessageAuthenticator { .. })
        ));
        assert!(ServerPolicy::default().check(&p).is_err());
        // A malformed attribute in front of the MA must not make it "absent".
        let mut hidden = vec![1, 1, 0, 0];
        hidden.extend_from_slice(&[0; 16]);
        hidden.extend_from_slice(&[1, 1]); // length 1: malformed
        hidden.extend_from_slice(&good[20..38]);
        let len = u16::try_from(hidden.len()).unwrap().to_be_bytes();
        hidden[2..4].copy_from_slice(&len);
        let p = Packet::new_unchecked(&hidden[..]);
        assert!(p.verify_request(&secret()).is_err());
        assert!(ServerPolicy::new(Requirement::No, Requirement::No)
            .check(&p)
            .is_err());
    }

    #[test]
    fn well_formed_message_authenticator_still_verifies() {
        let bytes = PacketBuilder::access_request(1, [9; 16])
            .finish(&secret())
            .unwrap();
        let p = Packet::new_unchecked(&bytes[..]);
        assert!(p.verify_message_authenticator(&secret(), None).unwrap());
        ServerPolicy::new(Requirement::Yes, Requirement::Yes)
            .check(&p)
            .unwrap();
    }

    fn access_request(id: u8, eap: bool) -> Vec<u8> {
        let mut b = PacketBuilder::access_request(id, [id; 16]);
        b.add(AttrType::USER_NAME, b"bob").unwrap();
        if eap {
            b.add(AttrType::EAP_MESSAGE, &[2, 1, 0, 8, 1, b'b', b'o', b'b'])
                .unwrap();
        }
        b.finish(&secret()).unwrap()
    }

    fn status_server(id: u8) -> Vec<u8> {
        PacketBuilder::status_server(id, [id; 16])
            .finish(&secret())
            .unwrap()
    }

    fn accept(request: &[u8], signed: bool) -> Vec<u8> {
        let mut b = PacketBuilder::reply_to(&Packet::new_checked(request).unwrap(), Code::AccessAccept);
        if !signed {
            b.without_message_authenticator();
        }
        b.finish(&secret()).unwrap()
    }

    fn run(policy: &mut ReplyPolicy, request: &[u8], signed: bool) -> Result<Signature> {
        let reply = accept(request, signed);
        policy.verify(
            &Packet::new_checked(&reply[..]).unwrap(),
            &Packet::new_checked(request).unwrap(),
            &secret(),
        )
    }

    /// The FreeRADIUS < 3.2.5 pattern: EAP replies signed (RFC 3579 §3.2: "Access-
    /// Challenge, Access-Accept, or Access-Reject packets including EAP-Message
    /// attribute(s) ... MUST contain a Message-Authenticator"), plain PAP and
    /// Status-Server replies not, a post-auth rule signing some.
    #[test]
    fn auto_survives_a_pre_3_2_5_server() {
        let mut p = ReplyPolicy::default();
        // EAP first: obliged, teaches nothing.
        assert_eq!(run(&mut p, &access_request(1, true), true), Ok(Signature::Signed));
        assert_eq!(p.learned(), LearnedReplies::default());
        // then plain PAP, unsigned: accepted, and reported as such.
        assert_eq!(
            run(&mut p, &access_request(2, false), false),
            Ok(Signature::AcceptedUnsigned)
        );
        assert_eq!(p.learned().access, Learned::Legacy);
        // a post-auth rule signs one: fine, and it does not flip the server to "signs".
        assert_eq!(
            run(&mut p, &access_request(3, false), true),
            Ok(Signature::Signed)
        );
        assert_eq!(
            run(&mut p, &access_request(4, false), false),
            Ok(Signature::AcceptedUnsigned)
        );
        // Status-Server is learned apart.
        assert_eq!(p.learned().status_server, Learned::Unknown);
        assert_eq!(
            run(&mut p, &status_server(5), false),
            Ok(Signature::AcceptedUnsigned)
        );
        assert_eq!(p.learned().status_server, Learned::Legacy);
        // An EAP reply without Message-Authenticator is still refused.
        assert_eq!(
            run(&mut p, &access_request(6, true), false),
            Err(Error::MissingMessageAuthenticator {
                code: Code::AccessAccept
            })
        );
    }

    #[test]
    fn auto_learns_signing_per_kind_and_then_requires_it() {
        let mut p = ReplyPolicy::default();
        assert_eq!(
            run(&mut p, &access_request(1, false), true),
            Ok(Signature::Signed)
        );
        assert_eq!(p.learned().access, Learned::Signs);
        assert!(run(&mut p, &access_request(2, false), false).is_err());
        // Status-Server replies have their own state.
        assert_eq!(
            run(&mut p, &status_server(3), false),
            Ok(Signature::AcceptedUnsigned)
        );
        assert!(run(&mut p, &access_request(4, false), false).is_err());
    }

    #[test]
    fn learned_state_exports_and_imports() {
        let mut p = ReplyPolicy::default();
        run(&mut p, &access_request(1, false), true).unwrap();
        run(&mut p, &status_server(2), false).unwrap();
        let saved = p.learned();
        assert_eq!(
            saved,
            LearnedReplies {
                access: Learned::Signs,
                status_server: Learned::Legacy
            }
        );
        let bytes = saved.to_bytes();
        assert_eq!(bytes, [1, 2]);
        assert_eq!(LearnedReplies::from_bytes(bytes), Some(saved));
        assert_eq!(LearnedReplies::from_bytes([3, 0]), None);
        // after a "restart", the restored policy still requires a signed Access-Accept
        let mut restored = ReplyPolicy::new(Requirement::Auto).with_learned(saved);
        assert!(run(&mut restored, &access_request(3, false), false).is_err());
        let mut fresh = ReplyPolicy::new(Requirement::Auto);
        assert!(run(&mut fresh, &access_request(3, false), false).is_ok());
    }

    #[test]
    fn yes_no_and_other_exchanges() {
        let mut yes = ReplyPolicy::new(Requirement::Yes);
        assert!(run(&mut yes, &access_request(1, false), false).is_err());
        assert!(run(&mut yes, &status_server(2), false).is_err());
        assert_eq!(
            run(&mut yes, &access_request(3, false), true),
            Ok(Signature::Signed)
        );
        let mut no = ReplyPolicy::new(Requirement::No);
        run(&mut no, &access_request(4, false), true).unwrap();
        assert_eq!(
            run(&mut no, &access_request(5, false), false),
            Ok(Signature::AcceptedUnsigned)
        );
        let coa = PacketBuilder::coa_request(6).finish(&secret()).unwrap();
        let coa = Packet::new_checked(&coa[..]).unwrap();
        let ack = PacketBuilder::reply_to(&coa, Code::CoaAck)
            .finish(&secret())
            .unwrap();
        assert_eq!(
            yes.verify(&Packet::new_checked(&ack[..]).unwrap(), &coa, &secret()),
            Ok(Signature::NotRequired)
        );
    }
}
