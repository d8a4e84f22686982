//! One RADIUS connection over TCP or TLS, driven without I/O.

use std::collections::{HashMap, VecDeque};
use std::io::{Read, Write};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use radius_codec::radius11::{ALPN_RADIUS_1_0, ALPN_RADIUS_1_1, ERROR_CAUSE_UNSUPPORTED_EXTENSION};
use radius_codec::{AttrType, Code, Packet, PacketBuilder, SharedSecret, Value};

use crate::{Deframer, Error, FrameError, DEFAULT_TLS_SECRET};

/// The RADIUS variant spoken on a connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Version {
    /// RADIUS as in RFC 2865 over a stream (RFC 6613/6614); ALPN `radius/1.0` or none.
    V1_0,
    /// RADIUS/1.1 (RFC 9765, ALPN `radius/1.1`, TLS 1.3): Tokens, no MD5.
    V1_1,
}

/// Names one request sent on a [`Connection`]; its reply or loss carries it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RequestHandle(pub u64);

/// Why a connection closed.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum CloseReason {
    /// [`Connection::close`] was called.
    Local,
    /// The peer closed the stream (or sent TLS close_notify) between packets.
    PeerClosed,
    /// The peer closed the stream with this many octets of a packet unread.
    PeerClosedMidPacket {
        /// Octets of the incomplete packet.
        buffered: usize,
    },
    /// The stream could not be framed (bad Length, malformed packet).
    Frame(FrameError),
    /// TLS failed (handshake, certificate, alert).
    Tls(rustls::Error),
    /// A Status-Server watchdog went unanswered (RFC 6613 §2.6.5, RFC 3539).
    WatchdogTimeout,
    /// A packet failed verification (authenticator, Message-Authenticator, code
    /// pairing): RFC 6613 §2.6.4, "silently discard" becomes discard and close.
    BadPacket(radius_codec::Error),
    /// A reply matched no request in flight: discarded, and the connection closed
    /// (RFC 6613 §2.6.4 leaves open or close to the implementation; this one closes).
    UnmatchedReply {
        /// The packet's code.
        code: Code,
        /// Its Identifier (RADIUS/1.0) or Token (RADIUS/1.1).
        key: u32,
    },
    /// ALPN did not give a usable protocol: RADIUS/1.1 was required but not agreed,
    /// or RADIUS/1.1 was agreed over TLS 1.2 (RFC 9765 requires TLS 1.3).
    Alpn,
}

/// Why a request got no reply.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum LostReason {
    /// No reply within [`Settings::request_timeout`]. Requests are never
    /// retransmitted on an open connection (RFC 6613 §2.6.1).
    TimedOut,
    /// The connection closed with the request in flight.
    Closed(CloseReason),
}

/// In words, from this side of the connection ("the peer" is the server for a
/// client, the client for a server): what logs, the drivers' errors, the command line
/// and the Python bindings print.
impl std::fmt::Display for CloseReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Local => f.write_str("closed by this side"),
            Self::PeerClosed => f.write_str("the peer closed the connection"),
            Self::PeerClosedMidPacket { buffered } => {
                write!(f, "the peer closed the connection {buffered} octets into a packet")
            }
            Self::Frame(e) => write!(f, "the stream could not be framed ({e})"),
            Self::Tls(e) => write!(f, "TLS: {e}"),
            Self::WatchdogTimeout => f.write_str("the Status-Server watchdog went unanswered"),
            Self::BadPacket(e) => write!(f, "a packet failed verification ({e})"),
            Self::UnmatchedReply { code, key } => {
                write!(f, "a {code} (id or Token {key}) matched no request in flight")
            }
            Self::Alpn => f.write_str(
                "ALPN gave no usable RADIUS version (RADIUS/1.1 required but not agreed, or agreed over TLS 1.2)",
            ),
        }
    }
}

/// In words (see [`CloseReason`]'s).
impl std::fmt::Display for LostReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::TimedOut => f.write_str("no reply in time"),
            Self::Closed(c) => write!(f, "the connection closed: {c}"),
        }
    }
}

/// What a [`Connection`] reports; drain with [`Connection::poll_event`].
#[derive(Debug)]
#[non_exhaustive]
pub enum Event {
    /// The connection is open for requests (after the TLS handshake and ALPN).
    Connected {
        /// The RADIUS variant agreed.
        version: Version,
    },
    /// A request from the peer, verified (answer it with [`Connection::reply`]).
    /// Status-Server is answered by the connection itself when
    /// [`Settings::answer_status_server`] is set; CoA/Disconnect only arrive when
    /// [`Settings::accept_dynamic_authorization`] is set.
    Request {
        /// The whole packet, validated with the stream rules.
        packet: Bytes,
    },
    /// The verified reply to a request sent with [`Connection::send_request`].
    Reply {
        /// The request's handle.
        handle: RequestHandle,
        /// The request as sent.
        request: Vec<u8>,
        /// The reply (possibly a Protocol-Error, code 52: RFC 9765 §6.1 says to send
        /// the request elsewhere, never again over this connection).
        reply: Bytes,
    },
    /// A request that will get no reply. Every request ends in exactly one
    /// [`Event::Reply`] or [`Event::Lost`].
    Lost {
        /// The request's handle.
        handle: RequestHandle,
        /// The request as sent (to resend on another connection).
        request: Vec<u8>,
        /// Why.
        reason: LostReason,
    },
    /// The peer answered a Status-Server watchdog.
    WatchdogAnswered,
    /// The connection is closed; write out what [`Connection::poll_transmit`] still
    /// gives (a TLS alert or close_notify), then close the socket.
    Closed(CloseReason),
}

/// The knobs of a connection.
#[derive(Debug)]
#[non_exhaustive]
pub struct Settings {
    /// The shared secret (RADIUS/1.0). Over TLS the default is `radsec` (RFC 6614
    /// §2.3); RADIUS/1.1 uses none.
    pub secret: SharedSecret,
    /// Quiet time after which a client sends a Status-Server watchdog (RFC 3539 Tw).
    pub watchdog_interval: Duration,
    /// Time a watchdog may go unanswered before the connection is declared dead.
    pub watchdog_timeout: Duration,
    /// Time a request waits for its reply before it is reported lost.
    pub request_timeout: Duration,
    /// Whether CoA-Request and Disconnect-Request from the peer are delivered
    /// (RFC 6614 §2.5); when not, they are NAKed with Error-Cause 406.
    pub accept_dynamic_authorization: bool,
    /// Whether Status-Server from the peer is answered (Access-Accept) by the
    /// connection itself.
    pub answer_status_server: bool,
    /// The largest packet accepted: 4096 (RFC 2865 §3) to 65535 (RFC 7930 §2); values
    /// outside are clamped. A longer packet closes the connection.
    pub max_packet_len: usize,
}

impl Settings {
    /// Defaults with this secret: watchdog after 30 s of quiet, 10 s to answer it,
    /// 30 s per request, CoA/Disconnect refused, Status-Server answered, 65535-octet
    /// packets.
    #[must_use]
    pub fn new(secret: SharedSecret) -> Self {
        Self {
            secret,
            watchdog_interval: Duration::from_secs(30),
            watchdog_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            accept_dynamic_authorization: false,
            answer_status_server: true,
            max_packet_len: radius_codec::MAX_PACKET_LEN_TCP,
        }
    }

    /// Defaults for RADIUS over TLS: the secret `radsec` (RFC 6614 §2.3).
    #[must_use]
    pub fn tls() -> Self {
        Self::new(SharedSecret::from(DEFAULT_TLS_SECRET))
    }

    /// A copy (the secret too): one per connection a driver opens. Not `Clone`, so
    /// that secrets are not copied by accident.
    #[must_use]
    pub fn duplicate(&self) -> Self {
        Self {
            secret: SharedSecret::from(self.secret.expose()),
            ..*self
        }
    }

    /// Sets the secret.
    #[must_use]
    pub fn secret(mut self, secret: SharedSecret) -> Self {
        self.secret = secret;
        self
    }

    /// Sets the watchdog interval and timeout.
    #[must_use]
    pub fn watchdog(mut self, interval: Duration, timeout: Duration) -> Self {
        self.watchdog_interval = interval;
        self.watchdog_timeout = timeout;
        self
    }

    /// Sets the request timeout.
    #[must_use]
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// Delivers CoA/Disconnect requests from the peer instead of NAKing them.
    #[must_use]
    pub fn accept_dynamic_authorization(mut self, accept: bool) -> Self {
        self.accept_dynamic_authorization = accept;
        self
    }
}

/// The Identifier reserved for the Status-Server watchdog on a RADIUS/1.0 connection:
/// zero, as RFC 6613 §2.6.5 recommends (and RFC 9765 §6.2 recalls). No request is
/// given it. RADIUS/1.1 reserves no Token (RFC 9765 §6.2 forbids it): its watchdog
/// takes the next value of the connection's Token counter like any request.
pub const WATCHDOG_KEY: u32 = 0;

#[derive(Debug)]
struct Pending {
    handle: RequestHandle,
    request: Vec<u8>,
    deadline: Instant,
}

#[derive(Debug)]
struct Watchdog {
    /// Its Identifier ([`WATCHDOG_KEY`]) or Token.
    key: u32,
    request: Vec<u8>,
    deadline: Instant,
}

/// One RADIUS connection over a byte stream, client side, server side or both (a
/// server may send CoA/Disconnect back over it, RFC 6614 §2.5).
///
/// Drive it: feed bytes from the socket to [`Connection::receive`] (and EOF to
/// [`Connection::peer_closed`]), write what [`Connection::poll_transmit`] gives, call
/// [`Connection::handle_timeout`] at [`Connection::poll_timeout`], and drain
/// [`Connection::poll_event`].
#[derive(Debug)]
pub struct Connection {
    tls: Option<rustls::Connection>,
    require_v11: bool,
    client: bool,
    settings: Settings,
    version: Option<Version>,
    deframer: Deframer,
    out: Vec<u8>,
    events: VecDeque<Event>,
    pending: HashMap<u32, Pending>,
    next_handle: u64,
    next_key: u32,
    rng: u64,
    watchdog: Option<Watchdog>,
    last_rx: Option<Instant>,
    closed: bool,
}

impl Connection {
    fn new(
        tls: Option<rustls::Connection>,
        require_v11: bool,
        client: bool,
        settings: Settings,
        seed: u64,
    ) -> Self {
        let deframer = Deframer::with_max_len(settings.max_packet_len);
        let mut c = Self {
            tls,
            require_v11,
            client,
            settings,
            version: None,
            deframer,
            out: Vec::new(),
            events: VecDeque::new(),
            pending: HashMap::new(),
            next_handle: 0,
            next_key: (seed as u32) & 0xff,
            rng: seed,
            watchdog: None,
            last_rx: None,
            closed: false,
        };
        if let Some(tls) = c.tls.as_mut() {
            tls.set_buffer_limit(None);
        } else {
            c.open(Version::V1_0);
        }
        c
    }

    /// A client over plain TCP (RFC 6613; only inside IPsec or a trusted network).
    /// `seed` (from the caller's RNG) randomises Status-Server authenticators and the
    /// first identifier. It is open at once, without a time: call
    /// [`Connection::handle_timeout`] once when the socket connects, so that the
    /// watchdog's quiet time starts then ([`Connection::poll_timeout`] is `None` until
    /// then, or until the first request or received packet). A TLS connection starts
    /// it when its handshake ends.
    #[must_use]
    pub fn tcp_client(settings: Settings, seed: u64) -> Self {
        Self::new(None, false, true, settings, seed)
    }

    /// A server side over plain TCP.
    #[must_use]
    pub fn tcp_server(settings: Settings) -> Self {
        Self::new(None, false, false, settings, 0)
    }

    /// A TLS client (RFC 6614). ALPN comes from `config` (see
    /// [`crate::tls::client_config`]): offering only `radius/1.1` requires it.
    pub fn tls_client(
        config: Arc<rustls::ClientConfig>,
        server_name: rustls::pki_types::ServerName<'static>,
        settings: Settings,
        seed: u64,
    ) -> Result<Self, Error> {
        let require = requires_v11(&config.alpn_protocols);
        let tls = rustls::ClientConnection::new(config, server_name)?;
        Ok(Self::new(Some(tls.into()), require, true, settings, seed))
    }

    /// A TLS server side. ALPN comes from `config` (see [`crate::tls::server_config`]).
    pub fn tls_server(config: Arc<rustls::ServerConfig>, settings: Settings) -> Result<Self, Error> {
        let require = requires_v11(&config.alpn_protocols);
        let tls = rustls::ServerConnection::new(config)?;
        Ok(Self::new(Some(tls.into()), require, false, settings, 0))
    }

    /// Seeds the connection's randomness (from the caller's RNG): Status-Server
    /// authenticators and the start of the RADIUS/1.1 Token counter, which RFC 9765
    /// §4.2.1 says SHOULD be random for every new connection. The client constructors
    /// take a seed; a server side should be given one here before its handshake ends
    /// (it otherwise starts from a fixed seed, the same on every connection).
    #[must_use]
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.rng = seed;
        if self.version.is_none() {
            self.next_key = (seed as u32) & 0xff;
        }
        self
    }

    /// The RADIUS variant, once open.
    #[must_use]
    pub const fn version(&self) -> Option<Version> {
        self.version
    }

    /// True when requests can be sent.
    #[must_use]
    pub const fn is_open(&self) -> bool {
        self.version.is_some() && !self.closed
    }

    /// True once closed (by either side or by an error).
    #[must_use]
    pub const fn is_closed(&self) -> bool {
        self.closed
    }

    /// Requests in flight (the watchdog not counted).
    #[must_use]
    pub fn in_flight(&self) -> usize {
        self.pending.len()
    }

    /// The TLS session, for peer certificates, cipher suite and TLS version.
    #[must_use]
    pub const fn tls(&self) -> Option<&rustls::Connection> {
        self.tls.as_ref()
    }

    /// The settings.
    #[must_use]
    pub const fn settings(&self) -> &Settings {
        &self.settings
    }

    /// True when [`Connection::poll_transmit`] has bytes to give.
    #[must_use]
    pub fn wants_write(&self) -> bool {
        !self.out.is_empty() || self.tls.as_ref().is_some_and(|t| t.wants_write())
    }

    /// Appends the bytes to write to the socket to `out`.
    pub fn poll_transmit(&mut self, out: &mut Vec<u8>) {
        match self.tls.as_mut() {
            Some(tls) => {
                while tls.wants_write() {
                    if tls.write_tls(out).is_err() {
                        break;
                    }
                }
            }
            None => out.append(&mut self.out),
        }
    }

    /// The next event.
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// Bytes received from the socket. After an error the connection is closed (an
    /// [`Event::Closed`] and [`Event::Lost`] for each request in flight are queued);
    /// still write out [`Connection::poll_transmit`] (a TLS alert).
    pub fn receive(&mut self, bytes: &[u8], now: Instant) -> Result<(), Error> {
        if self.closed {
            return Ok(());
        }
        let mut peer_closed = false;
        if let Some(tls) = self.tls.as_mut() {
            let mut rest = bytes;
            while !rest.is_empty() {
                match tls.read_tls(&mut rest) {
                    // Once close_notify is in, rustls reads nothing more ("data
                    // received after a closure alert MUST be ignored", RFC 8446 §6.1)
                    // and answers 0 for ever: the rest is dropped, not read again.
                    Ok(0) => break,
                    Ok(_) => {}
                    Err(e) => {
                        let err = rustls::Error::General(e.to_string());
                        self.shut(CloseReason::Tls(err.clone()), false);
                        return Err(Error::Tls(err));
                    }
                }
                let state = match tls.process_new_packets() {
                    Ok(s) => s,
                    Err(e) => {
                        self.shut(CloseReason::Tls(e.clone()), false);
                        return Err(Error::Tls(e));
                    }
                };
                let n = state.plaintext_bytes_to_read();
                peer_closed |= state.peer_has_closed();
                if n > 0 {
                    let buf = self.deframer.buffer_mut();
                    let start = buf.len();
                    buf.resize(start + n, 0);
                    if let Some(dst) = buf.get_mut(start..) {
                        if tls.reader().read_exact(dst).is_err() {
                            buf.truncate(start);
                        }
                    }
                }
            }
            if self.version.is_none() && !tls.is_handshaking() {
                self.after_handshake()?;
                // The watchdog's quiet time starts with the connection: an idle
                // client still probes its peer, and `poll_timeout` has a time to give.
                self.last_rx.get_or_insert(now);
            }
        } else {
            self.deframer.extend(bytes);
        }
        self.drain_packets(now)?;
        if peer_closed {
            self.peer_closed();
        }
        Ok(())
    }

    fn after_handshake(&mut self) -> Result<(), Error> {
        let Some(tls) = self.tls.as_ref() else {
            return Ok(());
        };
        let version = match tls.alpn_protocol() {
            Some(p) if p == ALPN_RADIUS_1_1 => {
                if tls.protocol_version() != Some(rustls::ProtocolVersion::TLSv1_3) {
                    None
                } else {
                    Some(Version::V1_1)
                }
            }
            Some(p) if p == ALPN_RADIUS_1_0 && !self.require_v11 => Some(Version::V1_0),
            None if !self.require_v11 => Some(Version::V1_0),
            _ => None,
        };
        match version {
            Some(v) => {
                self.open(v);
                Ok(())
            }
            None => {
                self.shut(CloseReason::Alpn, true);
                Err(Error::Closed(CloseReason::Alpn))
            }
        }
    }

    fn open(&mut self, version: Version) {
        self.version = Some(version);
        if version == Version::V1_1 {
            self.next_key = self.next_random() as u32;
        }
        self.events.push_back(Event::Connected { version });
    }

    fn next_random(&mut self) -> u64 {
        // splitmix64 over the caller's seed: Status-Server authenticators are
        // unpredictable to anyone without the seed, and travel inside TLS.
        self.rng = self.rng.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.rng;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn drain_packets(&mut self, now: Instant) -> Result<(), Error> {
        loop {
            if self.closed {
                return Ok(());
            }
            let packet = match self.deframer.next_packet() {
                Ok(Some(p)) => p,
                Ok(None) => return Ok(()),
                Err(e) => {
                    self.shut(CloseReason::Frame(e), true);
                    return Err(Error::Frame(e));
                }
            };
            self.last_rx = Some(now);
            if let Err(reason) = self.handle_packet(packet) {
                self.shut(reason.clone(), true);
                return match reason {
                    CloseReason::BadPacket(e) => Err(Error::Codec(e)),
                    other => Err(Error::Closed(other)),
                };
            }
        }
    }

    fn handle_packet(&mut self, bytes: Bytes) -> Result<(), CloseReason> {
        let Some(version) = self.version else {
            // Bytes before the handshake finished: plain TCP is always open, and rustls
            // gives no plaintext before the handshake.
            return Ok(());
        };
        let p = Packet::new_unchecked(&bytes[..]);
        let code = p.code();
        if code.is_request() {
            if version == Version::V1_0 {
                p.verify_request(&self.settings.secret)
                    .map_err(CloseReason::BadPacket)?;
            }
            if code == Code::StatusServer && self.settings.answer_status_server {
                let reply = PacketBuilder::reply_to(&p, Code::AccessAccept);
                self.finish_and_queue(&p, reply).map_err(CloseReason::BadPacket)?;
                return Ok(());
            }
            if matches!(code, Code::CoaRequest | Code::DisconnectRequest)
                && !self.settings.accept_dynamic_authorization
            {
                // RFC 6614 §2.5: NAK with Error-Cause 406 (Unsupported Extension).
                let nak = if code == Code::CoaRequest {
                    Code::CoaNak
                } else {
                    Code::DisconnectNak
                };
                let mut reply = PacketBuilder::reply_to(&p, nak);
                reply
                    .add_value(
                        AttrType::ERROR_CAUSE,
                        &Value::Integer(ERROR_CAUSE_UNSUPPORTED_EXTENSION),
                    )
                    .map_err(CloseReason::BadPacket)?;
                self.finish_and_queue(&p, reply).map_err(CloseReason::BadPacket)?;
                return Ok(());
            }
            self.events.push_back(Event::Request { packet: bytes });
            return Ok(());
        }
        let key = match version {
            Version::V1_0 => u32::from(p.identifier()),
            Version::V1_1 => p.token(),
        };
        if self.client && self.watchdog.as_ref().is_some_and(|w| w.key == key) {
            if let Some(wd) = self.watchdog.take() {
                self.verify(&p, &wd.request, version)?;
                self.events.push_back(Event::WatchdogAnswered);
                return Ok(());
            }
        }
        let Some(pending) = self.pending.remove(&key) else {
            return Err(CloseReason::UnmatchedReply { code, key });
        };
        if let Err(reason) = self.verify(&p, &pending.request, version) {
            // The request's reply failed verification: it is lost too, not forgotten.
            self.events.push_back(Event::Lost {
                handle: pending.handle,
                request: pending.request,
                reason: LostReason::Closed(reason.clone()),
            });
            return Err(reason);
        }
        self.events.push_back(Event::Reply {
            handle: pending.handle,
            request: pending.request,
            reply: bytes,
        });
        Ok(())
    }

    fn verify(&self, reply: &Packet<&[u8]>, request: &[u8], version: Version) -> Result<(), CloseReason> {
        let req = Packet::new_unchecked(request);
        match version {
            Version::V1_0 => reply
                .verify_reply(&req, &self.settings.secret)
                .map(|_| ())
                .map_err(CloseReason::BadPacket),
            Version::V1_1 => reply.verify_reply_radius11(&req).map_err(CloseReason::BadPacket),
        }
    }

    fn finish(&self, request: &Packet<&[u8]>, reply: PacketBuilder) -> radius_codec::Result<Vec<u8>> {
        match self.version {
            Some(Version::V1_1) => reply.for_tcp().finish_radius11(request.token()),
            _ => reply.for_tcp().finish(&self.settings.secret),
        }
    }

    fn finish_and_queue(
        &mut self,
        request: &Packet<&[u8]>,
        reply: PacketBuilder,
    ) -> radius_codec::Result<()> {
        let bytes = self.finish(request, reply)?;
        self.queue(&bytes);
        Ok(())
    }

    fn queue(&mut self, bytes: &[u8]) {
        match self.tls.as_mut() {
            Some(tls) => {
                // The buffer limit is lifted in `new`: the whole packet is taken.
                let _ = tls.writer().write_all(bytes);
            }
            None => self.out.extend_from_slice(bytes),
        }
    }

    /// Answers a request delivered as [`Event::Request`]: `reply` (from
    /// [`PacketBuilder::reply_to`]) is finished for the connection's variant — Response
    /// Authenticator with the connection's secret (RADIUS/1.0), or the request's Token
    /// and no MD5 (RADIUS/1.1).
    pub fn reply<T: AsRef<[u8]>>(&mut self, request: &Packet<T>, reply: PacketBuilder) -> Result<(), Error> {
        if !self.is_open() {
            return Err(Error::NotOpen);
        }
        if !request.code().is_request() {
            return Err(Error::NotAReply);
        }
        self.finish_and_queue(&request.view(), reply)?;
        Ok(())
    }

    /// Sends a request. `build` gets the allocated Identifier (0 under RADIUS/1.1),
    /// the variant and the secret (for hiding User-Password under RADIUS/1.0; under
    /// RADIUS/1.1 add it in clear) and returns the builder; the connection finishes
    /// it (authenticators, or the Token).
    pub fn send_request(
        &mut self,
        now: Instant,
        build: impl FnOnce(u8, Version, &SharedSecret) -> radius_codec::Result<PacketBuilder>,
    ) -> Result<RequestHandle, Error> {
        let Some(version) = self.version.filter(|_| !self.closed) else {
            return Err(Error::NotOpen);
        };
        let key = self.allocate(version)?;
        let id = match version {
            Version::V1_0 => key as u8,
            Version::V1_1 => 0,
        };
        let builder = build(id, version, &self.settings.secret)?;
        let bytes = match version {
            Version::V1_0 => builder.for_tcp().finish(&self.settings.secret)?,
            Version::V1_1 => builder.for_tcp().finish_radius11(key)?,
        };
        let p = Packet::new_unchecked(&bytes[..]);
        if !p.code().is_request() {
            return Err(Error::NotARequest(p.code()));
        }
        if version == Version::V1_0 && p.identifier() != id {
            return Err(Error::Codec(radius_codec::Error::WrongIdentifier {
                allocated: id,
                built: p.identifier(),
            }));
        }
        self.queue(&bytes);
        // The watchdog counts quiet time from the last packet received, or from the
        // first request when nothing was received yet.
        self.last_rx.get_or_insert(now);
        let handle = RequestHandle(self.next_handle);
        self.next_handle += 1;
        self.pending.insert(
            key,
            Pending {
                handle,
                request: bytes,
                deadline: now + self.settings.request_timeout,
            },
        );
        Ok(handle)
    }

    /// The next Identifier (RADIUS/1.0: never [`WATCHDOG_KEY`]) or Token (RADIUS/1.1:
    /// the per-connection 32-bit counter, RFC 9765 §4.2.1), skipping values still in
    /// flight (for a Token, only possible after the counter wrapped).
    fn allocate(&mut self, version: Version) -> Result<u32, Error> {
        let space: u64 = match version {
            Version::V1_0 => 256,
            Version::V1_1 => 1 << 32,
        };
        let watchdog = self.watchdog.as_ref().map(|w| w.key);
        for _ in 0..256 {
            let key = match version {
                Version::V1_0 => self.next_key & 0xff,
                Version::V1_1 => self.next_key,
            };
            self.next_key = ((u64::from(self.next_key) + 1) % space) as u32;
            let reserved = match version {
                Version::V1_0 => key == WATCHDOG_KEY,
                Version::V1_1 => watchdog == Some(key),
            };
            if !reserved && !self.pending.contains_key(&key) {
                return Ok(key);
            }
        }
        Err(Error::IdentifiersExhausted)
    }

    /// The next time [`Connection::handle_timeout`] must be called.
    #[must_use]
    pub fn poll_timeout(&self) -> Option<Instant> {
        if self.closed {
            return None;
        }
        let requests = self.pending.values().map(|p| p.deadline).min();
        let watchdog = match (&self.watchdog, self.last_rx) {
            (Some(w), _) => Some(w.deadline),
            (None, Some(t)) if self.client && self.is_open() => Some(t + self.settings.watchdog_interval),
            _ => None,
        };
        match (requests, watchdog) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Timers: requests past their deadline are reported lost; a client sends a
    /// Status-Server watchdog after [`Settings::watchdog_interval`] of quiet, and
    /// closes the connection ([`CloseReason::WatchdogTimeout`]) when it goes
    /// unanswered.
    pub fn handle_timeout(&mut self, now: Instant) {
        if self.closed {
            return;
        }
        if self.last_rx.is_none() && self.is_open() {
            self.last_rx = Some(now);
        }
        let mut expired: Vec<u32> = self
            .pending
            .iter()
            .filter(|(_, p)| p.deadline <= now)
            .map(|(k, _)| *k)
            .collect();
        expired.sort_unstable();
        for key in expired {
            if let Some(p) = self.pending.remove(&key) {
                self.events.push_back(Event::Lost {
                    handle: p.handle,
                    request: p.request,
                    reason: LostReason::TimedOut,
                });
            }
        }
        if let Some(wd) = &self.watchdog {
            if wd.deadline <= now {
                self.shut(CloseReason::WatchdogTimeout, true);
            }
            return;
        }
        let due = self
            .last_rx
            .is_some_and(|t| t + self.settings.watchdog_interval <= now);
        if self.client && self.is_open() && due {
            self.send_watchdog(now);
        }
    }

    fn send_watchdog(&mut self, now: Instant) {
        let mut auth = [0u8; 16];
        let (a, b) = (self.next_random().to_be_bytes(), self.next_random().to_be_bytes());
        auth[..8].copy_from_slice(&a);
        auth[8..].copy_from_slice(&b);
        let built = match self.version {
            // RFC 9765 §6.2: no reserved Token; the counter gives the next one.
            Some(Version::V1_1) => self.allocate(Version::V1_1).ok().and_then(|token| {
                let p = PacketBuilder::status_server(0, auth).finish_radius11(token);
                p.ok().map(|p| (token, p))
            }),
            _ => PacketBuilder::status_server(WATCHDOG_KEY as u8, auth)
                .finish(&self.settings.secret)
                .ok()
                .map(|p| (WATCHDOG_KEY, p)),
        };
        if let Some((key, request)) = built {
            self.queue(&request);
            self.watchdog = Some(Watchdog {
                key,
                request,
                deadline: now + self.settings.watchdog_timeout,
            });
        }
    }

    /// The socket reached end of stream.
    pub fn peer_closed(&mut self) {
        if self.closed {
            return;
        }
        let buffered = self.deframer.buffered();
        let reason = if buffered > 0 {
            CloseReason::PeerClosedMidPacket { buffered }
        } else {
            CloseReason::PeerClosed
        };
        self.shut(reason, true);
    }

    /// Closes the connection (TLS close_notify is queued): every request in flight is
    /// reported [`Event::Lost`].
    pub fn close(&mut self) {
        if !self.closed {
            self.shut(CloseReason::Local, true);
        }
    }

    fn shut(&mut self, reason: CloseReason, notify: bool) {
        if self.closed {
            return;
        }
        self.closed = true;
        if notify {
            if let Some(tls) = self.tls.as_mut() {
                tls.send_close_notify();
            }
        }
        let mut lost: Vec<Pending> = self.pending.drain().map(|(_, p)| p).collect();
        lost.sort_unstable_by_key(|p| p.handle);
        for p in lost {
            self.events.push_back(Event::Lost {
                handle: p.handle,
                request: p.request,
                reason: LostReason::Closed(reason.clone()),
            });
        }
        self.watchdog = None;
        self.events.push_back(Event::Closed(reason));
    }
}

fn requires_v11(alpn: &[Vec<u8>]) -> bool {
    !alpn.is_empty() && !alpn.iter().any(|p| p == ALPN_RADIUS_1_0)
}
