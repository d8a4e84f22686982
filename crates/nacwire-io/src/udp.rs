//! RADIUS over UDP with blocking `std` sockets: a client around the sans-I/O
//! [`radius_codec::exchange::Client`] and a server around the
//! [`radius_codec::exchange::DuplicateCache`].
//!
//! [`UdpClient`] talks to one server from a pool of source ports. Each source port has
//! its own 256 Identifiers, so more than 256 requests can be in flight: when every
//! socket of the pool is full, a new one is opened (up to
//! [`UdpClientOptions::max_sockets`]). Retransmission follows RFC 5080 with timers in
//! any fraction of a second; replies are matched and verified by the exchange, with the
//! [`ReplyPolicy`] of the options (Message-Authenticator required once the server has
//! shown it signs, by default).
//!
//! ```no_run
//! use std::time::Duration;
//! use nacwire_io::udp::{Event, UdpClient, UdpClientOptions};
//! use radius_codec::{AttrType, PacketBuilder, SharedSecret};
//!
//! let mut opts = UdpClientOptions::default();
//! opts.retransmit.initial = Duration::from_millis(500);
//! let mut client = UdpClient::new("127.0.0.1:3799".parse()?, SharedSecret::from("testing123"), opts)?;
//! let event = client.request(|id, secret| {
//!     let mut b = PacketBuilder::coa_request(id);
//!     b.add(AttrType::USER_NAME, b"alice")?;
//!     b.finish(secret)
//! })?;
//! if let Event::Reply { reply, rtt, .. } = event {
//!     println!("{:?} after {rtt:?}", radius_codec::Packet::new_checked(&reply[..])?.code());
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! [`UdpServer`] answers requests with a handler; retransmitted requests get the cached
//! reply again (RFC 5080 §2.2.2) without calling the handler twice.

use std::collections::HashMap;
use std::io;
use std::net::{SocketAddr, UdpSocket};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use radius_codec::exchange::{Client, ClientEvent, DuplicateCache, Origin, Retransmit, Seen};
use radius_codec::{Packet, ReplyPolicy, Requirement, ServerPolicy, SharedSecret, Signature};

use crate::Error;

/// Largest RADIUS packet over UDP (RFC 2865 §3).
const MAX_UDP: usize = 4096;
/// How often blocked reader threads look at their stop flag.
const READ_TICK: Duration = Duration::from_millis(100);
/// How long the direct reader polls without blocking before it sleeps in `recv_from`
/// while requests are in flight: on an idle VM a blocked reader's vCPU halts and the
/// wake-up costs more than a loopback round trip (benches/RESULTS.md, session 6).
const SPIN: Duration = Duration::from_micros(50);

/// Settings of a [`UdpClient`].
#[derive(Clone, Debug)]
pub struct UdpClientOptions {
    /// Retransmission timers and counts (RFC 5080).
    pub retransmit: Retransmit,
    /// Whether replies to Access-Request and Status-Server must carry
    /// Message-Authenticator: `Auto` (the default) requires it once the server has
    /// shown it signs.
    pub require_message_authenticator: Requirement,
    /// The local address to bind (`0.0.0.0:0` or `[::]:0` by default, by server family).
    pub bind: Option<SocketAddr>,
    /// The most source ports to open (each carries up to 256 requests in flight).
    pub max_sockets: usize,
    /// Seed of the retransmission jitter.
    pub seed: u64,
    /// Whether retransmission timers get RFC 5080's jitter (±10%; on by default).
    /// Off, each wait is exactly the [`Retransmit`] schedule (a test tool's `-t`).
    /// (The tokio client always jitters: it serves applications, not test tools.)
    pub jitter: bool,
    /// The Identifier of the first request on each source port (then the next ones in
    /// order): for tests that need a given Identifier.
    pub first_identifier: u8,
}

impl Default for UdpClientOptions {
    fn default() -> Self {
        Self {
            retransmit: Retransmit::default(),
            require_message_authenticator: Requirement::Auto,
            bind: None,
            max_sockets: 64,
            seed: 0x9e37_79b9_7f4a_7c15,
            jitter: true,
            first_identifier: 0,
        }
    }
}

/// A request handed to [`UdpClient::send`]: the number it is known by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Token(pub u64);

/// What [`UdpClient::poll`] reports.
#[derive(Debug)]
#[non_exhaustive]
pub enum Event {
    /// A verified reply.
    Reply {
        /// The request it answers.
        token: Token,
        /// The request as last sent.
        request: Vec<u8>,
        /// The reply.
        reply: Vec<u8>,
        /// Round-trip time from the last transmission.
        rtt: Duration,
        /// Round-trip time from the first transmission.
        elapsed: Duration,
        /// How it stood with respect to Message-Authenticator.
        signature: Signature,
    },
    /// A request got no valid reply after every retransmission.
    Lost {
        /// The request.
        token: Token,
        /// The request as last sent.
        request: Vec<u8>,
        /// Time since the first transmission.
        elapsed: Duration,
    },
    /// An authentic reply (its Response Authenticator verified with the secret) was
    /// refused by policy because it carries no Message-Authenticator where one is
    /// required ([`Requirement::Yes`](radius_codec::Requirement), or `Auto` once the
    /// server has shown it signs). The server did answer, so the request is complete:
    /// it is neither retransmitted nor reported [`Event::Lost`].
    Refused {
        /// The request.
        token: Token,
        /// The request as last sent.
        request: Vec<u8>,
        /// The refused reply.
        reply: Vec<u8>,
        /// Time since the first transmission.
        elapsed: Duration,
        /// Why it was refused ([`radius_codec::Error::MissingMessageAuthenticator`]).
        error: radius_codec::Error,
    },
    /// A request was sent again.
    Retransmitted {
        /// The request.
        token: Token,
        /// 1 for the first retransmission, then 2, ...
        attempt: u32,
    },
    /// A datagram was dropped: it did not parse, matched no request or failed
    /// verification (a wrong secret shows up here).
    Dropped {
        /// The source of the datagram.
        from: SocketAddr,
        /// Why.
        reason: DropReason,
    },
}

/// Why a datagram was dropped.
#[derive(Debug)]
#[non_exhaustive]
pub enum DropReason {
    /// It came from another address than the server.
    WrongSource,
    /// Its Identifier matched no request in flight (late or duplicate reply).
    Unmatched {
        /// Its Identifier.
        identifier: u8,
    },
    /// It did not parse or did not verify against the request (wrong secret, wrong
    /// code or Identifier, ...). The request stays pending. (An authentic reply that
    /// only lacks a required Message-Authenticator is [`Event::Refused`] instead.)
    Invalid(radius_codec::Error),
}

type Dest = usize;

struct Pending {
    token: Token,
    first_sent: Instant,
    request: Vec<u8>,
}

/// A blocking RADIUS/UDP client for one server; see the [module docs](self).
pub struct UdpClient {
    server: SocketAddr,
    secret: SharedSecret,
    opts: UdpClientOptions,
    sockets: Vec<UdpSocket>,
    exchange: Client<Dest>,
    pending: HashMap<(Dest, u8), Pending>,
    next_token: u64,
    tx: Sender<(Dest, SocketAddr, Vec<u8>, Instant)>,
    rx: Receiver<(Dest, SocketAddr, Vec<u8>, Instant)>,
    stop: Arc<AtomicBool>,
    readers: Vec<JoinHandle<()>>,
    /// Whether the first socket is in non-blocking mode (while the caller's thread
    /// reads it directly; it is switched only when it must change).
    nonblocking: bool,
}

impl std::fmt::Debug for UdpClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UdpClient")
            .field("server", &self.server)
            .field("sockets", &self.sockets.len())
            .field("in_flight", &self.pending.len())
            .finish_non_exhaustive()
    }
}

impl UdpClient {
    /// A client for `server` with its shared secret; opens the first source port.
    pub fn new(server: SocketAddr, secret: SharedSecret, opts: UdpClientOptions) -> Result<Self, Error> {
        let (tx, rx) = mpsc::channel();
        let seed = opts.seed;
        let (retransmit, jitter) = (opts.retransmit, opts.jitter);
        let mut c = Self {
            server,
            secret,
            opts,
            sockets: Vec::new(),
            exchange: Client::new(seed).with_retransmit(retransmit).with_jitter(jitter),
            pending: HashMap::new(),
            next_token: 0,
            tx,
            rx,
            stop: Arc::new(AtomicBool::new(false)),
            readers: Vec::new(),
            nonblocking: false,
        };
        c.open_socket()?;
        Ok(c)
    }

    fn open_socket(&mut self) -> Result<Dest, Error> {
        let bind = self.opts.bind.unwrap_or_else(|| {
            if self.server.is_ipv4() {
                SocketAddr::from(([0, 0, 0, 0], 0))
            } else {
                SocketAddr::from(([0u16; 8], 0))
            }
        });
        let socket = UdpSocket::bind(bind)?;
        let dest = self.sockets.len();
        // One source port: the caller's thread reads it directly, without two thread
        // hand-offs per reply (benches/cli, -p 1, best of 3 on a loaded 2-core machine:
        // 67k vs 44k requests/s). From the second port on, a reader thread per socket
        // feeds one channel.
        if dest == 1 {
            if let Some(first) = self.sockets.first() {
                // Back to the blocking mode and tick the reader thread expects.
                first.set_nonblocking(false)?;
                self.nonblocking = false;
                self.spawn_reader(0, first.try_clone()?)?;
            }
        }
        if dest >= 1 {
            self.spawn_reader(dest, socket.try_clone()?)?;
        }
        self.exchange.add_destination_with(
            dest,
            self.secret.clone_secret(),
            ReplyPolicy::new(self.opts.require_message_authenticator),
        );
        // The exchange hands out Identifiers in order from 0 and moves on even when the
        // build fails: refused builds skip to the first Identifier asked for.
        for _ in 0..self.opts.first_identifier {
            let _ = self.exchange.send(&dest, Instant::now(), |_, _| {
                Err(radius_codec::Error::IdentifiersExhausted)
            });
        }
        self.sockets.push(socket);
        Ok(dest)
    }

    fn spawn_reader(&mut self, dest: Dest, reader: UdpSocket) -> Result<(), Error> {
        reader.set_read_timeout(Some(READ_TICK))?;
        let tx = self.tx.clone();
        let stop = Arc::clone(&self.stop);
        self.readers.push(std::thread::spawn(move || {
            let mut buf = vec![0u8; MAX_UDP + 1];
            while !stop.load(Ordering::Relaxed) {
                match reader.recv_from(&mut buf) {
                    Ok((n, from)) => {
                        let data = buf.get(..n).unwrap_or_default().to_vec();
                        if tx.send((dest, from, data, Instant::now())).is_err() {
                            return;
                        }
                    }
                    Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => {}
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    // ICMP port unreachable shows up as ConnectionRefused on some systems.
                    Err(_) => std::thread::sleep(Duration::from_millis(1)),
                }
            }
        }));
        Ok(())
    }

    /// The server.
    #[must_use]
    pub fn server(&self) -> SocketAddr {
        self.server
    }

    /// The shared secret (to reveal hidden values of what was sent and received).
    #[must_use]
    pub fn secret(&self) -> &SharedSecret {
        &self.secret
    }

    /// Requests in flight.
    #[must_use]
    pub fn in_flight(&self) -> usize {
        self.pending.len()
    }

    /// Source ports open.
    #[must_use]
    pub fn sockets(&self) -> usize {
        self.sockets.len()
    }

    /// The local address of each source port.
    pub fn local_addrs(&self) -> Result<Vec<SocketAddr>, Error> {
        Ok(self
            .sockets
            .iter()
            .map(UdpSocket::local_addr)
            .collect::<Result<_, _>>()?)
    }

    /// Builds a request with `build(identifier, secret)` on a source port with a free
    /// Identifier (opening one if all are full) and sends it.
    pub fn send(
        &mut self,
        build: impl FnOnce(u8, &SharedSecret) -> radius_codec::Result<Vec<u8>>,
    ) -> Result<Token, Error> {
        let dest = match (0..self.sockets.len()).find(|d| self.exchange.in_flight(d) < 256) {
            Some(d) => d,
            None if self.sockets.len() < self.opts.max_sockets.max(1) => self.open_socket()?,
            None => return Err(radius_codec::Error::IdentifiersExhausted.into()),
        };
        let now = Instant::now();
        let tx = self.exchange.send(&dest, now, build)?;
        let id = tx.bytes.get(1).copied().unwrap_or_default();
        if let Some(socket) = self.sockets.get(dest) {
            if let Err(e) = socket.send_to(&tx.bytes, self.server) {
                self.exchange.cancel(&dest, id);
                return Err(e.into());
            }
        }
        let token = Token(self.next_token);
        self.next_token += 1;
        self.pending.insert(
            (dest, id),
            Pending {
                token,
                first_sent: now,
                request: tx.bytes,
            },
        );
        Ok(token)
    }

    /// The earliest retransmission or give-up deadline.
    #[must_use]
    pub fn next_deadline(&self) -> Option<Instant> {
        self.exchange.poll_timeout()
    }

    /// Waits until a datagram arrives or a timer fires, but not past `until`, and
    /// reports what happened (possibly nothing). Call it in a loop.
    pub fn poll(&mut self, until: Instant) -> Result<Vec<Event>, Error> {
        let mut events = Vec::new();
        let deadline = self.next_deadline().map_or(until, |d| d.min(until));
        let wait = deadline.saturating_duration_since(Instant::now());
        if self.sockets.len() == 1 {
            self.poll_direct(wait, &mut events)?;
        } else {
            match self.rx.recv_timeout(wait) {
                Ok(first) => {
                    self.on_datagram(first, &mut events);
                    // Take whatever else is already there, without waiting.
                    while let Ok(more) = self.rx.try_recv() {
                        self.on_datagram(more, &mut events);
                    }
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(io::Error::new(io::ErrorKind::BrokenPipe, "reader threads ended").into())
                }
            }
        }
        self.on_timers(Instant::now(), &mut events)?;
        Ok(events)
    }

    /// One source port: read it here. First what is already queued, without waiting
    /// (up to one datagram per request in flight); only when that is nothing, wait for
    /// one datagram for at most `wait`. Under load this takes the replies in bursts and
    /// the caller then sends in bursts: benches/cli (`-p 32`) went from 0.55 to 0.07
    /// context switches of the client per request, and both the client's and the
    /// responder's CPU time per request dropped (see benches/RESULTS.md, session 6).
    fn poll_direct(&mut self, wait: Duration, events: &mut Vec<Event>) -> Result<(), Error> {
        let mut buf = [0u8; MAX_UDP + 1];
        let limit = self.exchange.in_flight(&0);
        if limit > 0 {
            self.set_direct_nonblocking(true)?;
        }
        let mut got = 0usize;
        while got < limit {
            let Some(socket) = self.sockets.first() else {
                return Ok(());
            };
            match socket.recv_from(&mut buf) {
                Ok((n, from)) => {
                    got += 1;
                    let data = buf.get(..n).unwrap_or_default().to_vec();
                    self.on_datagram((0, from, data, Instant::now()), events);
                }
                Err(e) if nothing_received(&e) => break,
                Err(e) => return Err(e.into()),
            }
        }
        if got > 0 || wait.is_zero() {
            return Ok(());
        }
        if limit > 0 {
            let spin_until = Instant::now() + SPIN.min(wait);
            while Instant::now() < spin_until {
                let Some(socket) = self.sockets.first() else {
                    return Ok(());
                };
                match socket.recv_from(&mut buf) {
                    Ok((n, from)) => {
                        let data = buf.get(..n).unwrap_or_default().to_vec();
                        self.on_datagram((0, from, data, Instant::now()), events);
                        return Ok(());
                    }
                    Err(e) if nothing_received(&e) => std::hint::spin_loop(),
                    Err(e) => return Err(e.into()),
                }
            }
        }
        self.set_direct_nonblocking(false)?;
        let Some(socket) = self.sockets.first() else {
            return Ok(());
        };
        // A zero timeout means "block forever" to the OS: wait at least 1 µs.
        socket.set_read_timeout(Some(wait.max(Duration::from_micros(1))))?;
        match socket.recv_from(&mut buf) {
            Ok((n, from)) => {
                let data = buf.get(..n).unwrap_or_default().to_vec();
                self.on_datagram((0, from, data, Instant::now()), events);
            }
            Err(e) if nothing_received(&e) => {}
            Err(e) => return Err(e.into()),
        }
        Ok(())
    }

    fn set_direct_nonblocking(&mut self, on: bool) -> Result<(), Error> {
        if self.nonblocking != on {
            if let Some(socket) = self.sockets.first() {
                socket.set_nonblocking(on)?;
            }
            self.nonblocking = on;
        }
        Ok(())
    }

    /// Sends one request and waits for its completion ([`Event::Reply`],
    /// [`Event::Refused`] or [`Event::Lost`]); other events are discarded.
    pub fn request(
        &mut self,
        build: impl FnOnce(u8, &SharedSecret) -> radius_codec::Result<Vec<u8>>,
    ) -> Result<Event, Error> {
        let token = self.send(build)?;
        loop {
            let until = self.next_deadline().ok_or(Error::NoCompletion)?;
            for e in self.poll(until)? {
                match &e {
                    Event::Reply { token: t, .. }
                    | Event::Lost { token: t, .. }
                    | Event::Refused { token: t, .. }
                        if *t == token =>
                    {
                        return Ok(e)
                    }
                    _ => {}
                }
            }
        }
    }

    fn on_datagram(
        &mut self,
        (dest, from, data, at): (Dest, SocketAddr, Vec<u8>, Instant),
        out: &mut Vec<Event>,
    ) {
        if from != self.server {
            out.push(Event::Dropped {
                from,
                reason: DropReason::WrongSource,
            });
            return;
        }
        match self.exchange.receive(&dest, &data, at) {
            Ok(ClientEvent::Reply {
                request,
                reply,
                rtt,
                signature,
                ..
            }) => {
                let id = request.get(1).copied().unwrap_or_default();
                if let Some(p) = self.pending.remove(&(dest, id)) {
                    out.push(Event::Reply {
                        token: p.token,
                        elapsed: at.saturating_duration_since(p.first_sent),
                        request,
                        reply,
                        rtt,
                        signature,
                    });
                }
            }
            Ok(ClientEvent::Unmatched { identifier, .. }) => out.push(Event::Dropped {
                from,
                reason: DropReason::Unmatched { identifier },
            }),
            Ok(_) => {}
            // Only an authentic reply gets this far (the codec checks the Response
            // Authenticator first): the server answered, so the request ends here.
            Err(e @ radius_codec::Error::MissingMessageAuthenticator { .. }) => {
                let id = data.get(1).copied().unwrap_or_default();
                match (self.pending.remove(&(dest, id)), self.exchange.cancel(&dest, id)) {
                    (Some(p), Some(request)) => out.push(Event::Refused {
                        token: p.token,
                        request,
                        reply: data,
                        elapsed: at.saturating_duration_since(p.first_sent),
                        error: e,
                    }),
                    _ => out.push(Event::Dropped {
                        from,
                        reason: DropReason::Invalid(e),
                    }),
                }
            }
            Err(e) => out.push(Event::Dropped {
                from,
                reason: DropReason::Invalid(e),
            }),
        }
    }

    fn on_timers(&mut self, now: Instant, out: &mut Vec<Event>) -> Result<(), Error> {
        if self.next_deadline().map_or(true, |d| d > now) {
            return Ok(());
        }
        for ev in self.exchange.handle_timeout(now) {
            match ev {
                ClientEvent::Retransmit(tx) => {
                    let dest = tx.dest;
                    let id = tx.bytes.get(1).copied().unwrap_or_default();
                    if !self.pending.contains_key(&(dest, id)) {
                        // Acct-Delay-Time was updated: the request has a new Identifier.
                        self.rekey(dest, &tx.bytes);
                    }
                    if let Some(socket) = self.sockets.get(dest) {
                        socket.send_to(&tx.bytes, self.server)?;
                    }
                    if let Some(p) = self.pending.get_mut(&(dest, id)) {
                        p.request.clone_from(&tx.bytes);
                        out.push(Event::Retransmitted {
                            token: p.token,
                            attempt: tx.attempt,
                        });
                    }
                }
                ClientEvent::TimedOut { dest, request } => {
                    let id = request.get(1).copied().unwrap_or_default();
                    if let Some(p) = self.pending.remove(&(dest, id)) {
                        out.push(Event::Lost {
                            token: p.token,
                            elapsed: now.saturating_duration_since(p.first_sent),
                            request,
                        });
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Moves the entry of a request whose Identifier the exchange changed: the one on
    /// the same socket that equals the new bytes outside the header and one 4-octet
    /// window (the Acct-Delay-Time value).
    fn rekey(&mut self, dest: Dest, bytes: &[u8]) {
        let new_id = bytes.get(1).copied().unwrap_or_default();
        let old = self
            .pending
            .iter()
            .find(|((d, _), p)| *d == dest && same_but_delay(&p.request, bytes))
            .map(|(k, _)| *k);
        if let Some(p) = old.and_then(|k| self.pending.remove(&k)) {
            self.pending.insert((dest, new_id), p);
        }
    }
}

fn same_but_delay(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() || a.first() != b.first() {
        return false;
    }
    let diffs: Vec<usize> = (20..a.len()).filter(|&i| a.get(i) != b.get(i)).collect();
    match (diffs.first(), diffs.last()) {
        (Some(f), Some(l)) => l - f < 4,
        _ => true,
    }
}

impl Drop for UdpClient {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        for r in self.readers.drain(..) {
            let _ = r.join();
        }
    }
}

/// A request as a [`UdpServer`] handler sees it.
#[derive(Debug)]
pub struct Request<'a> {
    /// The packet, checked; its authenticator is verified for Accounting, CoA and
    /// Disconnect requests, and its Message-Authenticator whenever present.
    pub packet: Packet<&'a [u8]>,
    /// Who sent it.
    pub peer: SocketAddr,
    /// The secret of that client.
    pub secret: &'a SharedSecret,
    /// When it arrived.
    pub received: Instant,
}

/// What a [`UdpServer`] saw, for logging.
#[derive(Debug)]
#[non_exhaustive]
pub enum ServerEvent<'a> {
    /// A request was answered (or left unanswered when the handler returned `None`).
    Handled {
        /// The request.
        request: &'a Request<'a>,
        /// The reply sent, if any.
        reply: Option<&'a [u8]>,
    },
    /// A retransmission got the cached reply again.
    Duplicate {
        /// Its source.
        peer: SocketAddr,
    },
    /// A datagram was dropped: unknown client, malformed, or failed verification.
    Dropped {
        /// Its source.
        peer: SocketAddr,
        /// Why.
        reason: ServerDrop,
    },
}

/// Why a [`UdpServer`] dropped a datagram.
#[derive(Debug)]
#[non_exhaustive]
pub enum ServerDrop {
    /// No secret for that source.
    UnknownClient,
    /// Malformed, not a request, or it failed verification (wrong secret).
    Invalid(radius_codec::Error),
}

/// A `recv_from` error that only means no datagram came: the read timeout, a signal,
/// or the ICMP port unreachable an earlier send provoked.
fn nothing_received(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock
            | io::ErrorKind::TimedOut
            | io::ErrorKind::Interrupted
            | io::ErrorKind::ConnectionRefused
    )
}

/// Where a [`UdpServer`] takes each client's secret from.
enum Secrets {
    /// One secret for every client, kept keyed (no copy per request).
    One(SharedSecret),
    /// A secret per client address, looked up per request.
    Lookup(Box<dyn Fn(SocketAddr) -> Option<SharedSecret> + Send>),
}

/// A blocking RADIUS/UDP server: one socket, a duplicate cache, a handler.
pub struct UdpServer {
    socket: UdpSocket,
    secrets: Secrets,
    cache: DuplicateCache<std::net::IpAddr>,
    policy: Option<ServerPolicy>,
    stop: Arc<AtomicBool>,
}

impl std::fmt::Debug for UdpServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UdpServer")
            .field("socket", &self.socket)
            .finish_non_exhaustive()
    }
}

impl UdpServer {
    /// Binds `addr`; `secrets` gives the secret of each client address (`None`: the
    /// datagram is dropped).
    pub fn bind(
        addr: SocketAddr,
        secrets: impl Fn(SocketAddr) -> Option<SharedSecret> + Send + 'static,
    ) -> Result<Self, Error> {
        let socket = UdpSocket::bind(addr)?;
        socket.set_read_timeout(Some(READ_TICK))?;
        Ok(Self {
            socket,
            secrets: Secrets::Lookup(Box::new(secrets)),
            cache: DuplicateCache::default(),
            policy: None,
            stop: Arc::new(AtomicBool::new(false)),
        })
    }

    /// Verifies requests with `policy` ([`ServerPolicy::verify`]: the signatures and the
    /// Message-Authenticator requirement, learned per server) instead of the signatures
    /// alone: a request the policy refuses is dropped ([`ServerDrop::Invalid`]) before
    /// the handler sees it, and each request is verified once.
    #[must_use]
    pub fn with_policy(mut self, policy: ServerPolicy) -> Self {
        self.policy = Some(policy);
        self
    }

    /// Binds `addr` with one secret for every client: the same as [`UdpServer::bind`]
    /// with `|_| Some(secret)`, without a copy of the secret (and its wiping) per
    /// request.
    pub fn bind_with_secret(addr: SocketAddr, secret: SharedSecret) -> Result<Self, Error> {
        let mut server = Self::bind(addr, |_| None)?;
        server.secrets = Secrets::One(secret);
        Ok(server)
    }

    /// The bound address.
    pub fn local_addr(&self) -> Result<SocketAddr, Error> {
        Ok(self.socket.local_addr()?)
    }

    /// A flag that makes [`UdpServer::run`] return (within 100 ms) once set.
    #[must_use]
    pub fn stop_flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.stop)
    }

    /// Serves until the stop flag is set: verifies each request, calls `handler` for
    /// new ones (it returns the finished reply, or `None` to stay silent), replays the
    /// cached reply for retransmissions, and reports each step to `log`.
    pub fn run(
        &mut self,
        mut handler: impl FnMut(&Request<'_>) -> Option<Vec<u8>>,
        mut log: impl FnMut(ServerEvent<'_>),
    ) -> Result<(), Error> {
        let local = self.socket.local_addr()?;
        let mut buf = vec![0u8; MAX_UDP + 1];
        while !self.stop.load(Ordering::Relaxed) {
            let (n, peer) = match self.socket.recv_from(&mut buf) {
                Ok(x) => x,
                Err(e) if nothing_received(&e) || e.kind() == io::ErrorKind::ConnectionReset => continue,
                Err(e) => return Err(e.into()),
            };
            let received = Instant::now();
            let data = buf.get(..n).unwrap_or_default();
            let looked_up;
            let secret = match &self.secrets {
                Secrets::One(s) => s,
                Secrets::Lookup(f) => match f(peer) {
                    Some(s) => {
                        looked_up = s;
                        &looked_up
                    }
                    None => {
                        log(ServerEvent::Dropped {
                            peer,
                            reason: ServerDrop::UnknownClient,
                        });
                        continue;
                    }
                },
            };
            let packet = match check_request(data, secret, self.policy.as_mut()) {
                Ok(p) => p,
                Err(e) => {
                    log(ServerEvent::Dropped {
                        peer,
                        reason: ServerDrop::Invalid(e),
                    });
                    continue;
                }
            };
            let origin = Origin::from_sockets(peer, local);
            match self.cache.check(&origin, &packet, received) {
                Seen::New => {}
                Seen::InProgress => continue,
                Seen::Replay(reply) => {
                    let _ = self.socket.send_to(reply, peer);
                    log(ServerEvent::Duplicate { peer });
                    continue;
                }
            }
            let request = Request {
                packet,
                peer,
                secret,
                received,
            };
            let reply = handler(&request);
            if let Some(r) = &reply {
                let _ = self.socket.send_to(r, peer);
                self.cache.store_reply(&origin, &request.packet, r);
            }
            log(ServerEvent::Handled {
                request: &request,
                reply: reply.as_deref(),
            });
        }
        Ok(())
    }
}

/// Checks a datagram as a request: parses, refuses replies, verifies the computed
/// Request Authenticator and any Message-Authenticator (through `policy` when there is
/// one, which also applies its Message-Authenticator requirement).
pub(crate) fn check_request<'a>(
    data: &'a [u8],
    secret: &SharedSecret,
    policy: Option<&mut ServerPolicy>,
) -> radius_codec::Result<Packet<&'a [u8]>> {
    let packet = Packet::new_checked(data)?;
    if !packet.code().is_request() {
        return Err(radius_codec::Error::NotARequest { code: packet.code() });
    }
    match policy {
        Some(policy) => {
            policy.verify(&packet, secret)?;
        }
        None => {
            packet.verify_request(secret)?;
        }
    }
    Ok(packet)
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
mod tests {
    use super::*;
    use radius_codec::{AttrType, Code, PacketBuilder};

    fn server(answer: bool) -> (SocketAddr, Arc<AtomicBool>, JoinHandle<()>) {
        let mut srv =
            UdpServer::bind("127.0.0.1:0".parse().unwrap(), |_| Some(SharedSecret::from("s3"))).unwrap();
        let addr = srv.local_addr().unwrap();
        let stop = srv.stop_flag();
        let t = std::thread::spawn(move || {
            srv.run(
                |r| {
                    answer.then(|| {
                        PacketBuilder::reply_to(&r.packet, Code::AccountingResponse)
                            .finish(r.secret)
                            .unwrap()
                    })
                },
                |_| {},
            )
            .unwrap();
        });
        (addr, stop, t)
    }

    fn acct(id: u8, s: &SharedSecret) -> radius_codec::Result<Vec<u8>> {
        let mut b = PacketBuilder::accounting_request(id);
        b.add(AttrType::USER_NAME, b"bob")?;
        b.finish(s)
    }

    #[test]
    fn more_than_256_in_flight_use_more_source_ports() {
        let (addr, stop, t) = server(true);
        let mut c = UdpClient::new(addr, SharedSecret::from("s3"), UdpClientOptions::default()).unwrap();
        for _ in 0..600 {
            c.send(acct).unwrap();
        }
        assert_eq!(c.sockets(), 3);
        let mut replies = 0;
        let until = Instant::now() + Duration::from_secs(10);
        while replies < 600 && Instant::now() < until {
            for e in c.poll(until).unwrap() {
                if matches!(e, Event::Reply { .. }) {
                    replies += 1;
                }
            }
        }
        assert_eq!(replies, 600);
        stop.store(true, Ordering::Relaxed);
        t.join().unwrap();
    }

    /// One secret for every client, and a policy: a request is verified once, with the
    /// server's secret, and what the policy refuses never reaches the handler.
    #[test]
    fn one_secret_with_a_policy() {
        let srv = UdpServer::bind_with_secret("127.0.0.1:0".parse().unwrap(), SharedSecret::from("s3"))
            .unwrap()
            .with_policy(ServerPolicy::new(Requirement::Yes, Requirement::No));
        let mut srv = srv;
        let addr = srv.local_addr().unwrap();
        let stop = srv.stop_flag();
        let (tx, rx) = mpsc::channel();
        let t = std::thread::spawn(move || {
            srv.run(
                |r| {
                    PacketBuilder::reply_to(&r.packet, Code::AccessAccept)
                        .finish(r.secret)
                        .ok()
                },
                |e| {
                    let what = match e {
                        ServerEvent::Handled { .. } => "handled".to_string(),
                        ServerEvent::Dropped { reason, .. } => format!("{reason:?}"),
                        _ => "other".to_string(),
                    };
                    let _ = tx.send(what);
                },
            )
            .unwrap();
        });
        let opts = UdpClientOptions {
            retransmit: Retransmit {
                initial: Duration::from_millis(100),
                max_count: 1,
                max_time: Duration::from_millis(100),
                max_duration: Duration::from_millis(300),
            },
            ..UdpClientOptions::default()
        };
        let access = |ma: bool| {
            move |id: u8, s: &SharedSecret| {
                let mut b = PacketBuilder::access_request(id, [id ^ 0x5a; 16]);
                b.add(AttrType::USER_NAME, b"bob")?;
                if !ma {
                    b.without_message_authenticator();
                }
                b.finish(s)
            }
        };
        let mut c = UdpClient::new(addr, SharedSecret::from("s3"), opts.clone()).unwrap();
        assert!(matches!(c.request(access(true)).unwrap(), Event::Reply { .. }));
        assert_eq!(rx.recv().unwrap(), "handled");
        // no Message-Authenticator: the policy (Yes) drops it, twice (retransmission)
        assert!(matches!(c.request(access(false)).unwrap(), Event::Lost { .. }));
        assert!(rx.recv().unwrap().contains("MissingMessageAuthenticator"));
        // another secret: it does not verify
        let mut wrong = UdpClient::new(addr, SharedSecret::from("other"), opts).unwrap();
        assert!(matches!(wrong.request(access(true)).unwrap(), Event::Lost { .. }));
        stop.store(true, Ordering::Relaxed);
        t.join().unwrap();
        let rest: Vec<String> = rx.try_iter().collect();
        assert!(rest.iter().all(|r| r != "handled"), "{rest:?}");
        assert!(rest.iter().any(|r| r.starts_with("Invalid")), "{rest:?}");
    }

    /// An authentic reply without the Message-Authenticator the client requires ends
    /// its request as [`Event::Refused`] at once: no retransmission, no wait for
    /// [`Event::Lost`]. (A reply that fails verification, a wrong secret, still
    /// leaves the request pending: `one_secret_with_a_policy`.)
    #[test]
    fn unsigned_reply_is_refused_not_lost() {
        let mut srv =
            UdpServer::bind_with_secret("127.0.0.1:0".parse().unwrap(), SharedSecret::from("s4")).unwrap();
        let addr = srv.local_addr().unwrap();
        let stop = srv.stop_flag();
        let t = std::thread::spawn(move || {
            srv.run(
                |r| {
                    let mut b = PacketBuilder::reply_to(&r.packet, Code::AccessAccept);
                    b.without_message_authenticator();
                    b.finish(r.secret).ok()
                },
                |_| {},
            )
            .unwrap();
        });
        let opts = UdpClientOptions {
            retransmit: Retransmit {
                initial: Duration::from_secs(5),
                max_count: 3,
                max_time: Duration::from_secs(5),
                max_duration: Duration::from_secs(20),
            },
            require_message_authenticator: Requirement::Yes,
            ..UdpClientOptions::default()
        };
        let mut c = UdpClient::new(addr, SharedSecret::from("s4"), opts).unwrap();
        let t0 = Instant::now();
        let ev = c
            .request(|id, s| {
                let mut b = PacketBuilder::access_request(id, [id ^ 0x33; 16]);
                b.add(AttrType::USER_NAME, b"bob")?;
                b.finish(s)
            })
            .unwrap();
        match ev {
            Event::Refused { reply, error, .. } => {
                assert_eq!(reply.first(), Some(&2));
                assert!(matches!(
                    error,
                    radius_codec::Error::MissingMessageAuthenticator { .. }
                ));
            }
            other => panic!("{other:?}"),
        }
        assert!(t0.elapsed() < Duration::from_secs(4), "{:?}", t0.elapsed());
        assert_eq!(c.in_flight(), 0);
        stop.store(true, Ordering::Relaxed);
        t.join().unwrap();
    }

    #[test]
    fn first_identifier_and_lost_after_retries() {
        let (addr, stop, t) = server(false);
        let opts = UdpClientOptions {
            retransmit: Retransmit {
                initial: Duration::from_millis(50),
                max_count: 2,
                max_time: Duration::from_millis(50),
                max_duration: Duration::from_millis(150),
            },
            first_identifier: 42,
            ..UdpClientOptions::default()
        };
        let mut c = UdpClient::new(addr, SharedSecret::from("s3"), opts).unwrap();
        let t0 = Instant::now();
        match c.request(acct).unwrap() {
            Event::Lost { request, .. } => assert_eq!(request[1], 42),
            e => panic!("{e:?}"),
        }
        assert!(t0.elapsed() < Duration::from_secs(1));
        stop.store(true, Ordering::Relaxed);
        t.join().unwrap();
    }
}
