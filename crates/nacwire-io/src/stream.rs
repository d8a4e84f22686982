//! Blocking TCP and TLS drivers for [`radius_stream::Connection`].

use std::collections::{HashMap, VecDeque};
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use bytes::Bytes;
use radius_codec::{DecodeOptions, Packet, PacketBuilder, SharedSecret};
use radius_stream::{
    CloseReason, Connection, Event, LostReason, RequestHandle, Secrets, Settings, Transport, Version,
};
use rustls::pki_types::ServerName;

use crate::Error;

/// How a client reaches its server.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Connector {
    /// Plain TCP (RFC 6613).
    Tcp,
    /// TLS (RFC 6614) with this configuration, checking the server's certificate
    /// against this name.
    Tls {
        /// The rustls configuration (ALPN decides RADIUS/1.1).
        config: Arc<rustls::ClientConfig>,
        /// The name the server's certificate must carry.
        server_name: ServerName<'static>,
    },
}

impl Connector {
    /// TLS, checking the server certificate for `server_name` (a DNS name or an IP
    /// address).
    pub fn tls(config: Arc<rustls::ClientConfig>, server_name: &str) -> Result<Self, Error> {
        let server_name = ServerName::try_from(server_name.to_string()).map_err(|_| Error::BadServerName)?;
        Ok(Self::Tls { config, server_name })
    }

    /// The transport, for secret lookups.
    #[must_use]
    pub const fn transport(&self) -> Transport {
        match self {
            Self::Tcp => Transport::Tcp,
            Self::Tls { .. } => Transport::Tls,
        }
    }
}

/// How a server accepts connections.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Acceptor {
    /// Plain TCP.
    Tcp,
    /// TLS with this configuration.
    Tls(Arc<rustls::ServerConfig>),
}

/// What became of a request sent with [`StreamClient::send`].
#[derive(Debug)]
#[non_exhaustive]
pub enum Completion {
    /// Its verified reply.
    Reply {
        /// The request's handle.
        handle: RequestHandle,
        /// The request as sent (under RADIUS/1.1 with the Token the connection gave
        /// it), to show or log beside its reply.
        request: Vec<u8>,
        /// The reply.
        reply: Bytes,
    },
    /// It will get no reply (timed out, or the connection closed).
    Lost {
        /// The request's handle.
        handle: RequestHandle,
        /// The request as sent, to resend on a new connection if wanted.
        request: Vec<u8>,
        /// Why.
        reason: LostReason,
    },
}

impl Completion {
    /// The completion an event reports (a reply or a loss); any other event back.
    pub(crate) fn from_event(ev: Event) -> Result<Self, Event> {
        match ev {
            Event::Reply {
                handle,
                request,
                reply,
            } => Ok(Self::Reply {
                handle,
                request,
                reply,
            }),
            Event::Lost {
                handle,
                request,
                reason,
            } => Ok(Self::Lost {
                handle,
                request,
                reason,
            }),
            other => Err(other),
        }
    }

    /// The outcome of the request `handle`: its reply or why it was lost; `None` when
    /// this completion is another request's.
    pub(crate) fn outcome_for(self, handle: RequestHandle) -> Option<Result<Bytes, Error>> {
        match self {
            Self::Reply { handle: h, reply, .. } if h == handle => Some(Ok(reply)),
            Self::Lost {
                handle: h, reason, ..
            } if h == handle => Some(Err(Error::Lost(reason))),
            _ => None,
        }
    }
}

/// How long [`StreamClient::request`] waits for each completion: the request timeout
/// plus a watchdog round, and a second to spare.
pub(crate) fn reply_wait(settings: &Settings) -> Duration {
    settings.request_timeout + settings.watchdog_timeout + Duration::from_secs(1)
}

/// Exponential backoff between connection attempts.
#[derive(Clone, Copy, Debug)]
pub struct Backoff {
    /// Wait after the first failure.
    pub initial: Duration,
    /// Largest wait.
    pub max: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Self {
            initial: Duration::from_millis(100),
            max: Duration::from_secs(30),
        }
    }
}

/// A client's handler of CoA/Disconnect requests arriving over its connection.
type DynAuthHandler = Box<dyn FnMut(&Packet<&[u8]>) -> Option<PacketBuilder> + Send>;

struct Live {
    sock: TcpStream,
    conn: Connection,
}

/// A blocking RADIUS/TCP or RADIUS/TLS client: one connection, opened on first use,
/// reused, and re-opened (after a backoff when attempts fail) once closed. Requests
/// are never retransmitted on an open connection (RFC 6613 §2.6.1); a request whose
/// connection closes is reported lost, not resent.
pub struct StreamClient {
    addr: SocketAddr,
    connector: Connector,
    settings: Settings,
    backoff: Backoff,
    connect_timeout: Duration,
    live: Option<Live>,
    failures: u32,
    retry_at: Option<Instant>,
    seed: u64,
    completions: VecDeque<Completion>,
    buf: Vec<u8>,
    out: Vec<u8>,
    dynauth: Option<DynAuthHandler>,
    opened: u64,
    /// Set from elsewhere (a Ctrl-C handler): the blocking calls give up
    /// ([`StreamClient::with_cancel`]).
    cancel: Option<Arc<AtomicBool>>,
}

/// The longest a blocking call of a client with [`StreamClient::with_cancel`] waits
/// before it looks at the flag again.
const CANCEL_SLICE: Duration = Duration::from_millis(100);

/// The error of a call given up because the cancel flag was set.
fn cancelled() -> Error {
    Error::Io(std::io::Error::new(ErrorKind::Interrupted, "cancelled"))
}

impl std::fmt::Debug for StreamClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StreamClient")
            .field("addr", &self.addr)
            .field("connected", &self.live.is_some())
            .finish_non_exhaustive()
    }
}

/// A seed for Status-Server authenticators, from std's per-process random SipHash keys.
pub(crate) fn random_seed() -> u64 {
    // Seeds Status-Server authenticators: std's per-process random SipHash keys.
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(Instant::now().elapsed().as_nanos());
    h.finish()
}

impl StreamClient {
    /// A client for the server at `addr` (nothing is opened yet).
    #[must_use]
    pub fn new(addr: SocketAddr, connector: Connector, settings: Settings) -> Self {
        Self {
            addr,
            connector,
            settings,
            backoff: Backoff::default(),
            connect_timeout: Duration::from_secs(5),
            live: None,
            failures: 0,
            retry_at: None,
            seed: random_seed(),
            completions: VecDeque::new(),
            buf: vec![0; 32 * 1024],
            out: Vec::new(),
            dynauth: None,
            opened: 0,
            cancel: None,
        }
    }

    /// How many connections were opened so far (reuse and reconnects show here).
    #[must_use]
    pub const fn connections_opened(&self) -> u64 {
        self.opened
    }

    /// Sets the backoff between failed connection attempts.
    #[must_use]
    pub fn with_backoff(mut self, backoff: Backoff) -> Self {
        self.backoff = backoff;
        self
    }

    /// Sets the time a connection (TCP and TLS handshake) may take.
    #[must_use]
    pub fn with_connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Gives up the blocking calls once `cancel` is set (a Ctrl-C handler's flag): the
    /// TCP connect, the TLS handshake and a write the server does not take (its
    /// window full) look at it at least every 100 ms and fail with
    /// [`Error::Io`] of kind [`ErrorKind::Interrupted`] ("cancelled"); a write given
    /// up midway closes the connection (its requests are reported lost). Without it a
    /// connect or handshake waits its whole timeout and a blocked write for as long as
    /// it blocks. The connect runs on a helper thread that the client waits for in
    /// slices (std has no non-blocking connect); given up, it ends by itself within the
    /// connect timeout.
    #[must_use]
    pub fn with_cancel(mut self, cancel: Arc<AtomicBool>) -> Self {
        self.cancel = Some(cancel);
        self
    }

    fn is_cancelled(&self) -> bool {
        self.cancel.as_ref().is_some_and(|c| c.load(Ordering::Relaxed))
    }

    /// The TCP connection, within the connect timeout; in slices when cancellable.
    fn connect_tcp(&self) -> Result<TcpStream, Error> {
        let Some(cancel) = self.cancel.clone() else {
            return Ok(TcpStream::connect_timeout(&self.addr, self.connect_timeout)?);
        };
        let (addr, timeout) = (self.addr, self.connect_timeout);
        let (tx, rx) = mpsc::channel();
        std::thread::Builder::new()
            .name("nacwire-connect".into())
            .spawn(move || {
                // The receiver is gone when the connect was given up: nothing to do.
                let _ = tx.send(TcpStream::connect_timeout(&addr, timeout));
            })?;
        loop {
            match rx.recv_timeout(CANCEL_SLICE) {
                Ok(r) => return Ok(r?),
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    if cancel.load(Ordering::Relaxed) {
                        return Err(cancelled());
                    }
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    return Err(Error::Io(std::io::Error::other("the connect thread ended")))
                }
            }
        }
    }

    /// Answers CoA/Disconnect requests the server sends over the connection
    /// (RFC 6614 §2.5); without a handler they are NAKed with Error-Cause 406.
    #[must_use]
    pub fn with_dynamic_authorization(
        mut self,
        handler: impl FnMut(&Packet<&[u8]>) -> Option<PacketBuilder> + Send + 'static,
    ) -> Self {
        self.settings.accept_dynamic_authorization = true;
        self.dynauth = Some(Box::new(handler));
        self
    }

    /// The RADIUS variant of the open connection.
    #[must_use]
    pub fn version(&self) -> Option<Version> {
        self.live.as_ref().and_then(|l| l.conn.version())
    }

    /// The open connection's state machine (TLS details, in-flight count).
    #[must_use]
    pub fn connection(&self) -> Option<&Connection> {
        self.live.as_ref().map(|l| &l.conn)
    }

    /// Opens the connection if none is open, waiting for the TLS handshake. Fails with
    /// [`Error::Backoff`] while a failed attempt's backoff runs.
    pub fn connect(&mut self) -> Result<Version, Error> {
        if let Some(v) = self
            .live
            .as_ref()
            .and_then(|l| l.conn.is_open().then(|| l.conn.version()))
            .flatten()
        {
            return Ok(v);
        }
        self.live = None;
        let now = Instant::now();
        if let Some(at) = self.retry_at.filter(|at| *at > now) {
            return Err(Error::Backoff(at - now));
        }
        match self.open() {
            Ok(v) => {
                self.failures = 0;
                self.retry_at = None;
                Ok(v)
            }
            Err(e) => {
                let wait = self
                    .backoff
                    .initial
                    .saturating_mul(1u32 << self.failures.min(16))
                    .min(self.backoff.max);
                self.failures += 1;
                self.retry_at = Some(Instant::now() + wait);
                self.live = None;
                Err(e)
            }
        }
    }

    fn open(&mut self) -> Result<Version, Error> {
        let sock = self.connect_tcp()?;
        sock.set_nodelay(true)?;
        if self.cancel.is_some() {
            // Writes wait in slices too (see `flush`).
            sock.set_write_timeout(Some(CANCEL_SLICE))?;
        }
        self.seed = self.seed.wrapping_add(1);
        let settings = self.settings.duplicate();
        let conn = match &self.connector {
            Connector::Tcp => Connection::tcp_client(settings, self.seed),
            Connector::Tls { config, server_name } => {
                Connection::tls_client(config.clone(), server_name.clone(), settings, self.seed)?
            }
        };
        self.live = Some(Live { sock, conn });
        self.opened += 1;
        let deadline = Instant::now() + self.connect_timeout;
        loop {
            if let Some(v) = self.version() {
                return Ok(v);
            }
            if self.is_cancelled() {
                self.live = None;
                return Err(cancelled());
            }
            let until = match self.cancel {
                Some(_) => deadline.min(Instant::now() + CANCEL_SLICE),
                None => deadline,
            };
            if let Some(reason) = self.pump(Some(until))? {
                return Err(Error::Closed(reason));
            }
            if Instant::now() >= deadline {
                return Err(Error::Timeout);
            }
        }
    }

    /// Sends a request (opening the connection if needed) without waiting: `build` gets
    /// the allocated Identifier (0 under RADIUS/1.1), the variant and the secret. Collect
    /// the outcome with [`StreamClient::next_completion`].
    pub fn send(
        &mut self,
        build: impl FnOnce(u8, Version, &SharedSecret) -> radius_codec::Result<PacketBuilder>,
    ) -> Result<RequestHandle, Error> {
        self.connect()?;
        let live = self.live.as_mut().ok_or(Error::Closed(CloseReason::Local))?;
        let h = live.conn.send_request(Instant::now(), build)?;
        self.flush()?;
        Ok(h)
    }

    /// Waits for the next reply or loss, up to `timeout`.
    pub fn next_completion(&mut self, timeout: Duration) -> Result<Completion, Error> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(c) = self.completions.pop_front() {
                return Ok(c);
            }
            if self.live.is_none() {
                return Err(Error::Closed(CloseReason::Local));
            }
            self.pump(Some(deadline))?;
            if self.completions.is_empty() && Instant::now() >= deadline {
                return Err(Error::Timeout);
            }
        }
    }

    /// Sends one request and waits for its verified reply.
    pub fn request(
        &mut self,
        build: impl FnOnce(u8, Version, &SharedSecret) -> radius_codec::Result<PacketBuilder>,
    ) -> Result<Bytes, Error> {
        let handle = self.send(build)?;
        let wait = reply_wait(&self.settings);
        loop {
            if let Some(outcome) = self.next_completion(wait)?.outcome_for(handle) {
                return outcome;
            }
        }
    }

    /// Runs timers and reads what arrived, without blocking long: call it on an idle
    /// connection so the Status-Server watchdog runs.
    pub fn poll(&mut self) -> Result<(), Error> {
        if self.live.is_some() {
            self.pump(Some(Instant::now() + Duration::from_millis(1)))?;
        }
        Ok(())
    }

    /// Closes the connection (requests in flight are reported lost).
    pub fn close(&mut self) {
        if let Some(live) = self.live.as_mut() {
            live.conn.close();
        }
        let _ = self.flush();
        self.collect();
        if let Some(live) = self.live.take() {
            let _ = live.sock.shutdown(Shutdown::Both);
        }
    }

    fn flush(&mut self) -> Result<(), Error> {
        let Some(live) = self.live.as_mut() else {
            return Ok(());
        };
        self.out.clear();
        live.conn.poll_transmit(&mut self.out);
        if !self.out.is_empty() {
            if let Err(e) = write_all(&mut live.sock, &self.out, self.cancel.as_deref()) {
                live.conn.peer_closed();
                self.collect();
                return Err(e.into());
            }
        }
        Ok(())
    }

    /// One round: write, wait for bytes or the next timer (or `until`), feed them in.
    /// Returns the close reason when the connection closed.
    fn pump(&mut self, until: Option<Instant>) -> Result<Option<CloseReason>, Error> {
        self.flush()?;
        let Some(live) = self.live.as_mut() else {
            return Ok(Some(CloseReason::Local));
        };
        let now = Instant::now();
        let wake = match (live.conn.poll_timeout(), until) {
            (Some(a), Some(b)) => a.min(b),
            (a, b) => a.or(b).unwrap_or(now + Duration::from_secs(1)),
        };
        let wait = wake.saturating_duration_since(now).max(Duration::from_millis(1));
        live.sock.set_read_timeout(Some(wait))?;
        feed(&mut live.sock, &mut live.conn, &mut self.buf);
        let closed = self.collect();
        let _ = self.flush();
        if closed.is_some() {
            if let Some(live) = self.live.take() {
                let _ = live.sock.shutdown(Shutdown::Both);
            }
        }
        Ok(closed)
    }

    fn collect(&mut self) -> Option<CloseReason> {
        let live = self.live.as_mut()?;
        let mut closed = None;
        while let Some(ev) = live.conn.poll_event() {
            match Completion::from_event(ev) {
                Ok(c) => self.completions.push_back(c),
                Err(Event::Request { packet }) => {
                    let reply = Packet::new_checked_with(&packet[..], &DecodeOptions::TCP)
                        .ok()
                        .and_then(|p| Some((self.dynauth.as_mut()?(&p)?, p)));
                    if let Some((builder, p)) = reply {
                        let _ = live.conn.reply(&p, builder);
                    }
                }
                Err(Event::Closed(reason)) => closed = Some(reason),
                Err(_) => {}
            }
        }
        closed
    }
}

/// One blocking read (up to the socket's read timeout) fed to the connection, then
/// its timers: end of stream or a read error closes it from the peer's side.
/// `write_all`, giving up once `cancel` is set: the socket's write timeout (set when
/// there is a flag) makes a blocked write come back to look at it.
fn write_all(sock: &mut impl Write, mut bytes: &[u8], cancel: Option<&AtomicBool>) -> std::io::Result<()> {
    while !bytes.is_empty() {
        match sock.write(bytes) {
            Ok(0) => return Err(ErrorKind::WriteZero.into()),
            Ok(n) => bytes = bytes.get(n..).unwrap_or_default(),
            Err(e)
                if matches!(
                    e.kind(),
                    ErrorKind::WouldBlock | ErrorKind::TimedOut | ErrorKind::Interrupted
                ) =>
            {
                if cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
                    return Err(std::io::Error::new(ErrorKind::Interrupted, "cancelled"));
                }
            }
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

fn feed(sock: &mut impl Read, conn: &mut Connection, buf: &mut [u8]) {
    match sock.read(buf) {
        Ok(0) => conn.peer_closed(),
        Ok(n) => {
            let _ = conn.receive(buf.get(..n).unwrap_or_default(), Instant::now());
        }
        Err(e)
            if matches!(
                e.kind(),
                ErrorKind::WouldBlock | ErrorKind::TimedOut | ErrorKind::Interrupted
            ) => {}
        Err(_) => conn.peer_closed(),
    }
    conn.handle_timeout(Instant::now());
}

/// What a server's handler learns about a request besides the packet.
#[derive(Debug)]
#[non_exhaustive]
pub struct RequestInfo {
    /// The peer's address.
    pub peer: SocketAddr,
    /// The RADIUS variant of the connection.
    pub version: Version,
    /// The transport.
    pub transport: Transport,
    /// The connection's shared secret (RADIUS/1.0: to reveal User-Password with
    /// `radius_codec::crypto`).
    pub secret: SharedSecret,
}

/// A request handler: the reply to send (from [`PacketBuilder::reply_to`]), or `None`
/// to send nothing. Runs on the connection's thread.
pub type Handler = Arc<dyn Fn(&Packet<&[u8]>, &RequestInfo) -> Option<PacketBuilder> + Send + Sync>;

/// A blocking RADIUS/TCP or RADIUS/TLS server: one thread accepts, one thread per
/// connection. Secrets are looked up by (peer address, transport); over TLS an unknown
/// peer gets `radsec`, over TCP it is refused.
#[derive(Debug)]
pub struct StreamServer {
    listener: TcpListener,
    acceptor: Acceptor,
    settings: Settings,
    secrets: Arc<Secrets>,
}

/// A running [`StreamServer`]; dropping it stops accepting (open connections end
/// when their peers close or the process exits).
#[derive(Debug)]
pub struct ServerHandle {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    peers: Peers,
}

/// A request a server sends back over a client's connection (RFC 6614 §2.5).
type ReverseBuild = Box<dyn FnOnce(u8, Version, &SharedSecret) -> radius_codec::Result<PacketBuilder> + Send>;

struct ReverseRequest {
    build: ReverseBuild,
    done: mpsc::Sender<Result<Completion, Error>>,
}

type Peers = Arc<Mutex<HashMap<SocketAddr, mpsc::Sender<ReverseRequest>>>>;

impl ServerHandle {
    /// The listening address.
    #[must_use]
    pub const fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The peers with an open connection.
    #[must_use]
    pub fn peers(&self) -> Vec<SocketAddr> {
        self.peers
            .lock()
            .map(|p| p.keys().copied().collect())
            .unwrap_or_default()
    }

    /// Sends a request (CoA-Request, Disconnect-Request) to `peer` over its open
    /// connection (RFC 6614 §2.5) and waits up to `timeout` for its reply. A client that
    /// does not accept them answers a NAK with Error-Cause 406.
    pub fn request_to(
        &self,
        peer: SocketAddr,
        build: impl FnOnce(u8, Version, &SharedSecret) -> radius_codec::Result<PacketBuilder> + Send + 'static,
        timeout: Duration,
    ) -> Result<Completion, Error> {
        let tx = self
            .peers
            .lock()
            .ok()
            .and_then(|p| p.get(&peer).cloned())
            .ok_or(Error::Closed(CloseReason::PeerClosed))?;
        let (done, rx) = mpsc::channel();
        tx.send(ReverseRequest {
            build: Box::new(build),
            done,
        })
        .map_err(|_| Error::Closed(CloseReason::PeerClosed))?;
        rx.recv_timeout(timeout).map_err(|_| Error::Timeout)?
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_millis(200));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl StreamServer {
    /// Listens on `addr`. `settings` is the template of every connection (its secret
    /// is replaced by the peer's from `secrets`).
    pub fn bind(
        addr: SocketAddr,
        acceptor: Acceptor,
        settings: Settings,
        secrets: Secrets,
    ) -> Result<Self, Error> {
        Ok(Self {
            listener: TcpListener::bind(addr)?,
            acceptor,
            settings,
            secrets: Arc::new(secrets),
        })
    }

    /// The listening address.
    pub fn local_addr(&self) -> Result<SocketAddr, Error> {
        Ok(self.listener.local_addr()?)
    }

    /// Starts serving on background threads.
    pub fn spawn(self, handler: Handler) -> Result<ServerHandle, Error> {
        let addr = self.listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let stop2 = stop.clone();
        let peers: Peers = Arc::default();
        let peers2 = peers.clone();
        let thread = std::thread::spawn(move || {
            for sock in self.listener.incoming() {
                if stop2.load(Ordering::SeqCst) {
                    return;
                }
                let Ok(sock) = sock else { continue };
                let Ok(peer) = sock.peer_addr() else { continue };
                let transport = match self.acceptor {
                    Acceptor::Tcp => Transport::Tcp,
                    Acceptor::Tls(_) => Transport::Tls,
                };
                let Some(secret) = self.secrets.get(peer.ip(), transport) else {
                    continue; // unknown TCP client: refused (dropped)
                };
                let settings = self.settings.duplicate().secret(secret);
                let conn = match &self.acceptor {
                    Acceptor::Tcp => Connection::tcp_server(settings),
                    Acceptor::Tls(config) => match Connection::tls_server(config.clone(), settings) {
                        // A random start for the RADIUS/1.1 Token counter (RFC 9765 §4.2.1).
                        Ok(c) => c.with_seed(random_seed()),
                        Err(_) => continue,
                    },
                };
                let handler = handler.clone();
                let stop = stop2.clone();
                let (tx, rx) = mpsc::channel();
                if let Ok(mut p) = peers2.lock() {
                    p.insert(peer, tx);
                }
                let peers = peers2.clone();
                std::thread::spawn(move || {
                    serve_connection(sock, conn, peer, transport, &handler, &stop, &rx);
                    if let Ok(mut p) = peers.lock() {
                        p.remove(&peer);
                    }
                });
            }
        });
        Ok(ServerHandle {
            addr,
            stop,
            thread: Some(thread),
            peers,
        })
    }
}

fn serve_connection(
    mut sock: TcpStream,
    mut conn: Connection,
    peer: SocketAddr,
    transport: Transport,
    handler: &Handler,
    stop: &AtomicBool,
    reverse: &mpsc::Receiver<ReverseRequest>,
) {
    let _ = sock.set_nodelay(true);
    let mut buf = vec![0u8; 32 * 1024];
    let mut out = Vec::new();
    let mut waiting: HashMap<RequestHandle, mpsc::Sender<Result<Completion, Error>>> = HashMap::new();
    loop {
        while let Ok(r) = reverse.try_recv() {
            match conn.send_request(Instant::now(), r.build) {
                Ok(h) => {
                    waiting.insert(h, r.done);
                }
                Err(e) => {
                    let _ = r.done.send(Err(e.into()));
                }
            }
        }
        out.clear();
        conn.poll_transmit(&mut out);
        if !out.is_empty() && sock.write_all(&out).is_err() {
            return;
        }
        if conn.is_closed() || stop.load(Ordering::Relaxed) {
            let _ = sock.shutdown(Shutdown::Both);
            return;
        }
        let now = Instant::now();
        let wait = conn
            .poll_timeout()
            .map_or(Duration::from_millis(500), |t| t.saturating_duration_since(now))
            .clamp(Duration::from_millis(1), Duration::from_millis(50));
        if sock.set_read_timeout(Some(wait)).is_err() {
            return;
        }
        feed(&mut sock, &mut conn, &mut buf);
        while let Some(ev) = conn.poll_event() {
            match ev {
                Event::Reply {
                    handle,
                    request,
                    reply,
                } => {
                    if let Some(done) = waiting.remove(&handle) {
                        let _ = done.send(Ok(Completion::Reply {
                            handle,
                            request,
                            reply,
                        }));
                    }
                    continue;
                }
                Event::Lost {
                    handle,
                    request,
                    reason,
                } => {
                    if let Some(done) = waiting.remove(&handle) {
                        let _ = done.send(Ok(Completion::Lost {
                            handle,
                            request,
                            reason,
                        }));
                    }
                    continue;
                }
                _ => {}
            }
            if let Event::Request { packet } = ev {
                let Some(version) = conn.version() else { continue };
                let info = RequestInfo {
                    peer,
                    version,
                    transport,
                    secret: SharedSecret::from(conn.settings().secret.expose()),
                };
                if let Ok(p) = Packet::new_checked_with(&packet[..], &DecodeOptions::TCP) {
                    if let Some(reply) = handler(&p, &info) {
                        let _ = conn.reply(&p, reply);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    /// A write the peer does not take (it never reads: 64 MB cannot fit in the socket
    /// buffers) gives up once the cancel flag is set, within a slice of the write
    /// timeout; without a flag set it keeps writing.
    #[test]
    fn write_all_gives_up_when_cancelled() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let mut sock = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (_held, _) = listener.accept().unwrap();
        sock.set_write_timeout(Some(CANCEL_SLICE)).unwrap();
        let cancel = Arc::new(AtomicBool::new(false));
        let setter = Arc::clone(&cancel);
        let started = Instant::now();
        let t = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(500));
            setter.store(true, Ordering::Relaxed);
        });
        let e = write_all(&mut sock, &vec![0u8; 64 << 20], Some(&cancel)).unwrap_err();
        t.join().unwrap();
        assert_eq!(e.kind(), ErrorKind::Interrupted);
        // Not before the flag was set, and within a slice or so after it.
        let took = started.elapsed();
        assert!(took >= Duration::from_millis(500), "{took:?}");
        assert!(took < Duration::from_millis(500) + 5 * CANCEL_SLICE, "{took:?}");
    }

    /// A connect that hangs (the listener's accept queue full, SYNs dropped) gives up
    /// once the flag is set, not after its timeout.
    #[test]
    fn connect_gives_up_when_cancelled() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let mut queued = Vec::new();
        let full = (0..2000).any(
            |_| match TcpStream::connect_timeout(&addr, Duration::from_millis(300)) {
                Ok(s) => {
                    queued.push(s);
                    false
                }
                Err(_) => true,
            },
        );
        assert!(full, "the accept queue never filled");
        let cancel = Arc::new(AtomicBool::new(false));
        let mut client = StreamClient::new(addr, Connector::Tcp, Settings::new(SharedSecret::from("s")))
            .with_connect_timeout(Duration::from_secs(30))
            .with_cancel(Arc::clone(&cancel));
        let setter = Arc::clone(&cancel);
        let t = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            setter.store(true, Ordering::Relaxed);
        });
        let started = Instant::now();
        let e = client.connect().unwrap_err();
        t.join().unwrap();
        assert!(
            matches!(&e, Error::Io(io) if io.kind() == ErrorKind::Interrupted),
            "{e:?}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{:?}",
            started.elapsed()
        );
        drop(queued);
    }
}
