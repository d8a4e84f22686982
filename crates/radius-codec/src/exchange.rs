//! Sans-I/O request/response exchange: the client side (identifier allocation,
//! retransmission, reply matching and verification) and the server side (duplicate
//! detection). Time is always a parameter; nothing here sleeps, reads a clock or
//! touches a socket.
//!
//! ```
//! use std::time::{Duration, Instant};
//! use radius_codec::exchange::{Client, ClientEvent};
//! use radius_codec::{Code, Packet, PacketBuilder, SharedSecret, AttrType};
//!
//! let t0 = Instant::now();
//! let mut client = Client::new(42);
//! client.add_destination("nas-1", SharedSecret::from("testing123"));
//! let tx = client.send(&"nas-1", t0, |id, secret| {
//!     let mut b = PacketBuilder::coa_request(id);
//!     b.add(AttrType::USER_NAME, b"alice")?;
//!     b.finish(secret)
//! })?;
//! // ... the caller sends tx.bytes to the NAS; the NAS answers:
//! let req = Packet::new_checked(&tx.bytes[..])?;
//! let secret = SharedSecret::from("testing123");
//! let ack = PacketBuilder::reply_to(&req, Code::CoaAck).finish(&secret)?;
//! match client.receive(&"nas-1", &ack, t0 + Duration::from_millis(5))? {
//!     ClientEvent::Reply { reply, .. } => assert_eq!(Packet::new_unchecked(&reply[..]).code(), Code::CoaAck),
//!     other => panic!("{other:?}"),
//! }
//! # Ok::<(), radius_codec::Error>(())
//! ```

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::hash::Hash;
use std::time::{Duration, Instant};

use crate::auth::{compute_authenticator, AUTH_RANGE};
use crate::{
    AttrType, AuthenticatorKind, Code, Error, LearnedReplies, Packet, ReplyPolicy, Requirement, Result,
    SharedSecret, Signature,
};

/// Retransmission parameters (RFC 5080 §2.2.1; RFC 3315 §14 algorithm).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Retransmit {
    /// Initial retransmission time (IRT).
    pub initial: Duration,
    /// Maximum retransmission count (MRC); 0 means no limit.
    pub max_count: u32,
    /// Maximum retransmission time (MRT); zero means no limit.
    pub max_time: Duration,
    /// Maximum retransmission duration (MRD); zero means no limit.
    pub max_duration: Duration,
}

impl Default for Retransmit {
    /// The RFC 5080 §2.2.1 recommendation: IRT 2 s, MRC 5, MRT 16 s, MRD 30 s.
    fn default() -> Self {
        Self {
            initial: Duration::from_secs(2),
            max_count: 5,
            max_time: Duration::from_secs(16),
            max_duration: Duration::from_secs(30),
        }
    }
}

/// A packet for the caller to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transmit<D> {
    /// Where to send it.
    pub dest: D,
    /// The packet.
    pub bytes: Vec<u8>,
    /// 0 for the first transmission, then 1, 2, ...
    pub attempt: u32,
}

/// What [`Client::receive`] and [`Client::handle_timeout`] report.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ClientEvent<D> {
    /// A verified reply to a pending request.
    Reply {
        /// The destination that answered.
        dest: D,
        /// The request as last sent.
        request: Vec<u8>,
        /// The reply.
        reply: Vec<u8>,
        /// Round-trip time from the last transmission.
        rtt: Duration,
        /// How the reply stood with respect to Message-Authenticator. Show
        /// [`Signature::AcceptedUnsigned`] to the user: an unsigned Access-* reply
        /// is open to BlastRADIUS (CVE-2024-3596).
        signature: Signature,
    },
    /// A reply that matched no pending request (late, duplicate or spoofed); dropped.
    Unmatched {
        /// Its source.
        dest: D,
        /// Its Identifier.
        identifier: u8,
    },
    /// A request is due for retransmission.
    Retransmit(Transmit<D>),
    /// A request gave up after MRC/MRD.
    TimedOut {
        /// Its destination.
        dest: D,
        /// The request as last sent.
        request: Vec<u8>,
    },
}

#[derive(Debug)]
struct Pending {
    bytes: Vec<u8>,
    first_sent: Instant,
    last_sent: Instant,
    /// The request's entry in [`Client`]'s timer queue: its deadline and a sequence
    /// number that makes the key unique.
    timer: TimerKey,
    rt: Duration,
    count: u32,
}

/// A deadline and a tie-breaking sequence number.
type TimerKey = (Instant, u64);

#[derive(Debug)]
struct DestState {
    secret: SharedSecret,
    policy: ReplyPolicy,
    next_id: u8,
    pending: HashMap<u8, Pending>,
}

/// The client side of RADIUS exchanges with any number of destinations
/// (servers for Access/Accounting, NASes for CoA/Disconnect).
///
/// Each destination has 256 Identifiers; [`Client::send`] allocates a free one and
/// fails when all 256 are in flight. Accounting-Requests that carry Acct-Delay-Time get
/// it updated on every retransmission, with a new Identifier and Request Authenticator
/// (RFC 5080 §2.2.1). Replies are verified against the request ([`Packet::verify_reply`])
/// and the destination's [`ReplyPolicy`].
///
/// Timers are kept in deadline order (one entry per pending request), so
/// [`Client::poll_timeout`] is `O(log n)` and [`Client::handle_timeout`] visits only the
/// requests that are due, whatever the number in flight.
#[derive(Debug)]
pub struct Client<D> {
    dests: HashMap<D, DestState>,
    /// Deadline -> (destination, Identifier) of every pending request.
    timers: BTreeMap<TimerKey, (D, u8)>,
    timer_seq: u64,
    retransmit: Retransmit,
    rng: u64,
    jitter: bool,
}

impl<D: Clone + Eq + Hash> Client<D> {
    /// A client whose retransmission jitter comes from a PRNG seeded with `seed`
    /// (give it a random seed; a fixed one makes runs reproducible in tests).
    #[must_use]
    pub fn new(seed: u64) -> Self {
        Self {
            dests: HashMap::new(),
            timers: BTreeMap::new(),
            timer_seq: 0,
            retransmit: Retransmit::default(),
            rng: seed | 1,
            jitter: true,
        }
    }

    /// Whether timers get RFC 5080's random factor (RAND, uniform in [-0.1, 0.1]; on
    /// by default). Off, every wait is exactly what [`Retransmit`] computes: what a
    /// test tool wants, whose user asked for "1 s per try" (radclient's `-t`), not
    /// what a fleet of clients wants, whose retransmissions the jitter spreads out.
    #[must_use]
    pub fn with_jitter(mut self, jitter: bool) -> Self {
        self.jitter = jitter;
        self
    }

    /// Sets the retransmission parameters.
    #[must_use]
    pub fn with_retransmit(mut self, r: Retransmit) -> Self {
        self.retransmit = r;
        self
    }

    /// Registers a destination with its secret and the default [`ReplyPolicy`]
    /// (`Auto`). Prefer [`Client::add_destination_with`] and [`Requirement::Yes`] for
    /// servers that sign their replies (see [`ReplyPolicy`]).
    pub fn add_destination(&mut self, dest: D, secret: SharedSecret) {
        self.add_destination_with(dest, secret, ReplyPolicy::new(Requirement::Auto));
    }

    /// Registers a destination with its secret and reply policy.
    pub fn add_destination_with(&mut self, dest: D, secret: SharedSecret, policy: ReplyPolicy) {
        let old = self.dests.insert(
            dest,
            DestState {
                secret,
                policy,
                next_id: 0,
                pending: HashMap::new(),
            },
        );
        // A destination registered again forgets what was in flight to it.
        for p in old.iter().flat_map(|st| st.pending.values()) {
            self.timers.remove(&p.timer);
        }
    }

    /// What the reply policy of `dest` has learned, to persist (see [`LearnedReplies`]);
    /// `None` for an unknown destination.
    #[must_use]
    pub fn reply_state(&self, dest: &D) -> Option<LearnedReplies> {
        self.dests.get(dest).map(|d| d.policy.learned())
    }

    /// Restores what the reply policy of `dest` had learned (e.g. after a restart).
    pub fn set_reply_state(&mut self, dest: &D, learned: LearnedReplies) -> Result<()> {
        let st = self.dests.get_mut(dest).ok_or(Error::UnknownDestination)?;
        st.policy.set_learned(learned);
        Ok(())
    }

    /// Number of requests in flight to `dest`.
    #[must_use]
    pub fn in_flight(&self, dest: &D) -> usize {
        self.dests.get(dest).map_or(0, |d| d.pending.len())
    }

    /// Uniform jitter factor in [-0.1, 0.1] (RFC 5080 "RAND"); 0 without jitter.
    fn rand(&mut self) -> f64 {
        if !self.jitter {
            return 0.0;
        }
        self.rng ^= self.rng << 13;
        self.rng ^= self.rng >> 7;
        self.rng ^= self.rng << 17;
        ((self.rng >> 11) as f64 / (1u64 << 53) as f64) * 0.2 - 0.1
    }

    fn jittered(&mut self, base: Duration, factor: f64) -> Duration {
        let j = self.rand();
        scale(base, factor + j)
    }

    /// Registers the timer of `(dest, id)` at `deadline`; returns its key.
    fn arm(&mut self, deadline: Instant, dest: D, id: u8) -> TimerKey {
        self.timer_seq = self.timer_seq.wrapping_add(1);
        let key = (deadline, self.timer_seq);
        self.timers.insert(key, (dest, id));
        key
    }

    /// Allocates an Identifier for `dest`, builds the request with `build(id, secret)`
    /// and records it as pending. Returns the packet to send.
    pub fn send(
        &mut self,
        dest: &D,
        now: Instant,
        build: impl FnOnce(u8, &SharedSecret) -> Result<Vec<u8>>,
    ) -> Result<Transmit<D>> {
        let initial = self.retransmit.initial;
        let rt = self.jittered(initial, 1.0);
        let st = self.dests.get_mut(dest).ok_or(Error::UnknownDestination)?;
        let id = free_id(st).ok_or(Error::IdentifiersExhausted)?;
        let bytes = build(id, &st.secret)?;
        let p = Packet::new_checked(&bytes[..])?;
        if !p.code().is_request() {
            return Err(Error::NotARequest { code: p.code() });
        }
        if p.identifier() != id {
            return Err(Error::WrongIdentifier {
                allocated: id,
                built: p.identifier(),
            });
        }
        let timer = self.arm(deadline_after(now, rt), dest.clone(), id);
        if let Some(st) = self.dests.get_mut(dest) {
            st.pending.insert(
                id,
                Pending {
                    bytes: bytes.clone(),
                    first_sent: now,
                    last_sent: now,
                    timer,
                    rt,
                    count: 0,
                },
            );
        }
        Ok(Transmit {
            dest: dest.clone(),
            bytes,
            attempt: 0,
        })
    }

    /// The earliest time [`Client::handle_timeout`] has work to do.
    #[must_use]
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.timers.first_key_value().map(|((deadline, _), _)| *deadline)
    }

    /// Retransmits what is due and gives up on what has run out of time or tries.
    pub fn handle_timeout(&mut self, now: Instant) -> Vec<ClientEvent<D>> {
        let mut out = Vec::new();
        let cfg = self.retransmit;
        // Everything due, in deadline order; the timers of those that go on are
        // re-armed below, after the loop (so none is visited twice).
        let mut due = Vec::new();
        while let Some(entry) = self.timers.first_entry() {
            if entry.key().0 > now {
                break;
            }
            let key = *entry.key();
            due.push((key, entry.remove()));
        }
        let mut rearm = Vec::new();
        for (key, (dest, id)) in due {
            let (j1, j2) = (self.rand(), self.rand());
            let Some(st) = self.dests.get_mut(&dest) else {
                continue;
            };
            // Only the request this timer was armed for (never a later one that got
            // the same Identifier).
            if st.pending.get(&id).map(|p| p.timer) != Some(key) {
                continue;
            }
            let Some(mut p) = st.pending.remove(&id) else {
                continue;
            };
            let elapsed = now.saturating_duration_since(p.first_sent);
            let count_out = cfg.max_count != 0 && p.count >= cfg.max_count;
            let time_out = !cfg.max_duration.is_zero() && elapsed >= cfg.max_duration;
            if count_out || time_out {
                out.push(ClientEvent::TimedOut {
                    dest,
                    request: p.bytes,
                });
                continue;
            }
            // RT = 2*RTprev + RAND*RTprev; capped at MRT + RAND*MRT
            let mut rt = scale(p.rt, 2.0 + j1);
            if !cfg.max_time.is_zero() && rt > cfg.max_time {
                rt = scale(cfg.max_time, 1.0 + j2);
            }
            if !cfg.max_duration.is_zero() {
                rt = rt.min(cfg.max_duration.saturating_sub(elapsed));
            }
            p.rt = rt;
            p.count = p.count.saturating_add(1);
            p.last_sent = now;
            let deadline = deadline_after(now, rt);
            let mut new_id = id;
            if let Some(updated) = update_acct_delay(&p.bytes, elapsed) {
                // RFC 5080 §2.2.1: a changed packet needs a new Identifier.
                if let Some(fresh) = free_id(st) {
                    new_id = fresh;
                    p.bytes = updated;
                    if let Some(b) = p.bytes.get_mut(1) {
                        *b = fresh;
                    }
                    refresh_request_authenticator(&mut p.bytes, &st.secret);
                }
            }
            out.push(ClientEvent::Retransmit(Transmit {
                dest: dest.clone(),
                bytes: p.bytes.clone(),
                attempt: p.count,
            }));
            st.pending.insert(new_id, p);
            rearm.push((deadline, dest, new_id));
        }
        for (deadline, dest, id) in rearm {
            let key = self.arm(deadline, dest.clone(), id);
            if let Some(p) = self.dests.get_mut(&dest).and_then(|st| st.pending.get_mut(&id)) {
                p.timer = key;
            }
        }
        out
    }

    /// Matches and verifies a reply from `dest`. A verified reply completes its
    /// request; a reply for no pending request is reported as
    /// [`ClientEvent::Unmatched`]; a reply that fails verification is an error and the
    /// request stays pending (a forged reply must not cancel the real one).
    pub fn receive(&mut self, dest: &D, bytes: &[u8], now: Instant) -> Result<ClientEvent<D>> {
        let reply = Packet::new_checked(bytes)?;
        let st = self.dests.get_mut(dest).ok_or(Error::UnknownDestination)?;
        let id = reply.identifier();
        let Entry::Occupied(entry) = st.pending.entry(id) else {
            return Ok(ClientEvent::Unmatched {
                dest: dest.clone(),
                identifier: id,
            });
        };
        let p = entry.get();
        let request = Packet::new_unchecked(&p.bytes[..]);
        let signature = st.policy.verify(&reply, &request, &st.secret)?;
        let p = entry.remove();
        self.timers.remove(&p.timer);
        Ok(ClientEvent::Reply {
            dest: dest.clone(),
            rtt: now.saturating_duration_since(p.last_sent),
            request: p.bytes,
            reply: bytes.to_vec(),
            signature,
        })
    }

    /// Forgets a pending request (e.g. the caller gave up on it).
    pub fn cancel(&mut self, dest: &D, identifier: u8) -> Option<Vec<u8>> {
        let p = self.dests.get_mut(dest)?.pending.remove(&identifier)?;
        self.timers.remove(&p.timer);
        Some(p.bytes)
    }
}

/// The longest retransmission interval: with MRT and MRD 0 ("no limit") the interval
/// keeps doubling; it stops at about 136 years instead of overflowing.
const MAX_RT: Duration = Duration::from_secs(u32::MAX as u64);

/// `base * factor` (a negative or NaN factor counts as 0), saturating at [`MAX_RT`]:
/// never panics, whatever the caller's [`Retransmit`].
fn scale(base: Duration, factor: f64) -> Duration {
    let secs = base.as_secs_f64() * factor;
    if secs.is_nan() || secs <= 0.0 {
        return Duration::ZERO;
    }
    Duration::try_from_secs_f64(secs).map_or(MAX_RT, |d| d.min(MAX_RT))
}

/// `now + rt`, or the latest representable of `now + 1 day` and `now` on overflow.
fn deadline_after(now: Instant, rt: Duration) -> Instant {
    now.checked_add(rt)
        .or_else(|| now.checked_add(Duration::from_secs(86_400)))
        .unwrap_or(now)
}

fn free_id(st: &mut DestState) -> Option<u8> {
    for _ in 0..256 {
        let id = st.next_id;
        st.next_id = st.next_id.wrapping_add(1);
        if !st.pending.contains_key(&id) {
            return Some(id);
        }
    }
    None
}

/// For an Accounting-Request carrying Acct-Delay-Time: a copy with it increased by the
/// seconds elapsed since the first transmission.
fn update_acct_delay(bytes: &[u8], elapsed: Duration) -> Option<Vec<u8>> {
    let p = Packet::new_unchecked(bytes);
    if p.code() != Code::AccountingRequest {
        return None;
    }
    let a = p.view().first(AttrType::ACCT_DELAY_TIME)?;
    let old = u32::from_be_bytes(a.value().try_into().ok()?);
    let secs = u32::try_from(elapsed.as_secs()).unwrap_or(u32::MAX);
    let mut out = bytes.to_vec();
    let off = a.offset() + 2;
    out.get_mut(off..off + 4)?
        .copy_from_slice(&old.saturating_add(secs).to_be_bytes());
    Some(out)
}

fn refresh_request_authenticator(bytes: &mut [u8], secret: &SharedSecret) {
    if Packet::new_unchecked(&*bytes).code().authenticator_kind() != AuthenticatorKind::RequestMd5 {
        return;
    }
    // Accounting-Requests carry no Message-Authenticator by default; if one is present
    // it is computed over a zero authenticator and must be refreshed first.
    if let Ok(Some(off)) = crate::auth::find_message_authenticator(bytes) {
        let ma = crate::auth::compute_message_authenticator(bytes, off, &[0; 16], secret);
        if let Some(dst) = bytes.get_mut(off..off + 16) {
            dst.copy_from_slice(&ma);
        }
    }
    let auth = compute_authenticator(bytes, &[0; 16], secret);
    if let Some(dst) = bytes.get_mut(AUTH_RANGE) {
        dst.copy_from_slice(&auth);
    }
}

/// What [`DuplicateCache::check`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seen<'a> {
    /// A new request: process it, then [`DuplicateCache::store_reply`].
    New,
    /// A retransmission of a request still being processed: drop it.
    InProgress,
    /// A retransmission of an answered request: send this cached reply again.
    Replay(&'a [u8]),
}

/// Where a request came from and where it arrived: with the packet's Code, Identifier
/// and Request Authenticator, the RFC 5080 §2.2.2 duplicate-detection key.
///
/// `host` is the source address (an `IpAddr`, or whatever identifies the client); the
/// per-source quota of [`DuplicateCache`] counts per `host`, across its ports, so a
/// flood from many source ports of one host is still one source.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Origin<K> {
    /// The source host.
    pub host: K,
    /// The source UDP port.
    pub port: u16,
    /// The local port the request arrived on.
    pub local_port: u16,
}

impl<K> Origin<K> {
    /// An origin from its parts.
    pub const fn new(host: K, port: u16, local_port: u16) -> Self {
        Self {
            host,
            port,
            local_port,
        }
    }
}

impl Origin<std::net::IpAddr> {
    /// The origin of a datagram received from `source` on the socket bound to `local`.
    #[must_use]
    pub fn from_sockets(source: std::net::SocketAddr, local: std::net::SocketAddr) -> Self {
        Self::new(source.ip(), source.port(), local.port())
    }
}

/// The key parts of one request within its source host.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct RequestKey {
    port: u16,
    local_port: u16,
    code: u8,
    identifier: u8,
}

#[derive(Debug)]
struct CacheEntry {
    authenticator: [u8; 16],
    /// Insertion number: queue items whose number differs from the entry's are stale.
    seq: u64,
    reply: Option<Vec<u8>>,
}

#[derive(Debug, Default)]
struct SourceState {
    entries: HashMap<RequestKey, CacheEntry>,
    /// Insertion order within the source, for the per-source quota.
    order: VecDeque<(u64, RequestKey)>,
}

/// How long [`DuplicateCache::default`] remembers a request: 5 s, FreeRADIUS'
/// `cleanup_delay`.
pub const DEFAULT_LIFETIME: Duration = Duration::from_secs(5);
/// The default bound of [`DuplicateCache`] on remembered requests, all sources together.
pub const DEFAULT_MAX_ENTRIES: usize = 65_536;
/// The default per-source quota of [`DuplicateCache`]: four full Identifier spaces.
pub const DEFAULT_PER_SOURCE: usize = 1024;

/// Server-side duplicate detection (RFC 5080 §2.2.2): a request with the same source
/// address and port, local port, Code, Identifier and Request Authenticator as one
/// seen within `lifetime` is a retransmission; its cached reply is sent again instead
/// of processing it twice.
///
/// Memory is bounded and one source cannot push out another's entries. The eviction
/// rule, applied when a request is remembered:
/// 1. entries older than `lifetime` are forgotten;
/// 2. if its source host already has `per_source` entries, that host's oldest entry
///    is forgotten (a flood only evicts the flooder's own entries);
/// 3. if the cache holds `max_entries`, the oldest entry of the host with the most
///    entries is forgotten (the heaviest user pays; this scans the hosts, so it is
///    `O(hosts)`, and only happens when many hosts together fill the cache).
///
/// A request whose key is remembered with a different Request Authenticator is a new
/// request and replaces the old entry.
#[derive(Debug)]
pub struct DuplicateCache<K> {
    sources: HashMap<K, SourceState>,
    /// Global insertion order, for expiry.
    order: VecDeque<(u64, Instant, K, RequestKey)>,
    len: usize,
    seq: u64,
    lifetime: Duration,
    max_entries: usize,
    per_source: usize,
}

impl<K: Clone + Eq + Hash> Default for DuplicateCache<K> {
    /// [`DEFAULT_LIFETIME`], [`DEFAULT_MAX_ENTRIES`], [`DEFAULT_PER_SOURCE`].
    fn default() -> Self {
        Self::new(DEFAULT_LIFETIME, DEFAULT_MAX_ENTRIES)
    }
}

impl<K: Clone + Eq + Hash> DuplicateCache<K> {
    /// A cache that remembers requests for `lifetime` (RFC 5080 suggests several
    /// seconds; FreeRADIUS uses 5 s) and at most `max_entries` of them (at least 1),
    /// with a per-source quota of [`DEFAULT_PER_SOURCE`] (at most `max_entries`).
    #[must_use]
    pub fn new(lifetime: Duration, max_entries: usize) -> Self {
        let max_entries = max_entries.max(1);
        Self {
            sources: HashMap::new(),
            order: VecDeque::new(),
            len: 0,
            seq: 0,
            lifetime,
            max_entries,
            per_source: DEFAULT_PER_SOURCE.min(max_entries),
        }
    }

    /// Sets the per-source quota (at least 1, at most `max_entries`).
    #[must_use]
    pub fn with_per_source_limit(mut self, per_source: usize) -> Self {
        self.per_source = per_source.clamp(1, self.max_entries);
        self
    }

    /// Removes the entry of `host`/`key` if it is still insertion `seq`.
    fn remove_if(&mut self, host: &K, key: &RequestKey, seq: u64) -> bool {
        let Some(src) = self.sources.get_mut(host) else {
            return false;
        };
        if !src.entries.get(key).is_some_and(|e| e.seq == seq) {
            return false;
        }
        src.entries.remove(key);
        // The entry removed is usually the oldest (of its source, and of all when one
        // source is busy): its queue items leave at once instead of as stale items
        // (fewer lookups, no compaction).
        if src.order.front().is_some_and(|f| f.0 == seq) {
            src.order.pop_front();
        }
        self.len = self.len.saturating_sub(1);
        if src.entries.is_empty() {
            self.sources.remove(host);
        }
        if self.order.front().is_some_and(|f| f.0 == seq) {
            self.order.pop_front();
        }
        true
    }

    fn expire(&mut self, now: Instant) {
        while let Some((seq, t, host, key)) = self.order.front() {
            let live = self
                .sources
                .get(host)
                .and_then(|s| s.entries.get(key))
                .is_some_and(|e| e.seq == *seq);
            if live && now.saturating_duration_since(*t) < self.lifetime {
                break;
            }
            if let Some((seq, _, host, key)) = self.order.pop_front() {
                // A stale item (its entry was replaced or evicted) only leaves the queue.
                if live {
                    self.remove_if(&host, &key, seq);
                }
            }
        }
    }

    /// Forgets the oldest entry of `host`.
    fn evict_oldest_of(&mut self, host: &K) {
        while let Some((seq, key)) = self.sources.get_mut(host).and_then(|s| s.order.pop_front()) {
            if self.remove_if(host, &key, seq) {
                return;
            }
        }
    }

    /// Remembers a new request; `old` is the insertion number of the entry remembered
    /// under the same key with another authenticator, if any.
    fn insert(
        &mut self,
        origin: &Origin<K>,
        key: RequestKey,
        authenticator: [u8; 16],
        now: Instant,
        old: Option<u64>,
    ) {
        let host = &origin.host;
        // a new request under a remembered key replaces it
        if let Some(old) = old {
            self.remove_if(host, &key, old);
        }
        if self
            .sources
            .get(host)
            .is_some_and(|s| s.entries.len() >= self.per_source)
        {
            self.evict_oldest_of(host);
        }
        if self.len >= self.max_entries {
            let victim = self
                .sources
                .iter()
                .max_by_key(|(_, s)| s.entries.len())
                .map(|(h, _)| h.clone());
            if let Some(victim) = victim {
                self.evict_oldest_of(&victim);
            }
        }
        self.seq = self.seq.wrapping_add(1);
        let seq = self.seq;
        let src = self.sources.entry(host.clone()).or_default();
        src.entries.insert(
            key,
            CacheEntry {
                authenticator,
                seq,
                reply: None,
            },
        );
        src.order.push_back((seq, key));
        // Queue items of replaced or evicted entries are skipped lazily; compact when
        // they outnumber the live ones, so memory stays proportional to the entries.
        if src.order.len() > 2 * src.entries.len() + 16 {
            let entries = &src.entries;
            src.order
                .retain(|(seq, key)| entries.get(key).is_some_and(|e| e.seq == *seq));
        }
        self.len = self.len.saturating_add(1);
        self.order.push_back((seq, now, host.clone(), key));
        if self.order.len() > 2 * self.len + 64 {
            let sources = &self.sources;
            self.order.retain(|(seq, _, host, key)| {
                sources
                    .get(host)
                    .and_then(|s| s.entries.get(key))
                    .is_some_and(|e| e.seq == *seq)
            });
        }
    }

    fn key_of<T: AsRef<[u8]>>(origin: &Origin<K>, request: &Packet<T>) -> RequestKey {
        RequestKey {
            port: origin.port,
            local_port: origin.local_port,
            code: request.code().get(),
            identifier: request.identifier(),
        }
    }

    /// Classifies a request from `origin`. A new one is remembered as in progress.
    pub fn check<T: AsRef<[u8]>>(
        &mut self,
        origin: &Origin<K>,
        request: &Packet<T>,
        now: Instant,
    ) -> Seen<'_> {
        self.expire(now);
        let key = Self::key_of(origin, request);
        let auth = request.authenticator();
        // One lookup for the common case, a new request.
        let (same, old) = match self.sources.get(&origin.host).and_then(|s| s.entries.get(&key)) {
            Some(e) => (e.authenticator == auth, Some(e.seq)),
            None => (false, None),
        };
        if !same {
            self.insert(origin, key, auth, now, old);
            return Seen::New;
        }
        match self
            .sources
            .get(&origin.host)
            .and_then(|s| s.entries.get(&key))
            .and_then(|e| e.reply.as_deref())
        {
            Some(r) => Seen::Replay(r),
            None => Seen::InProgress,
        }
    }

    /// Remembers the reply sent for a request from `origin` (if the request is still
    /// remembered).
    pub fn store_reply<T: AsRef<[u8]>>(&mut self, origin: &Origin<K>, request: &Packet<T>, reply: &[u8]) {
        let key = Self::key_of(origin, request);
        let entry = self
            .sources
            .get_mut(&origin.host)
            .and_then(|s| s.entries.get_mut(&key));
        if let Some(e) = entry {
            if e.authenticator == request.authenticator() {
                e.reply = Some(reply.to_vec());
            }
        }
    }

    /// Number of remembered requests (entries past their lifetime may be counted until
    /// the next [`DuplicateCache::check`]).
    #[must_use]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Number of remembered requests from `host`.
    #[must_use]
    pub fn len_for(&self, host: &K) -> usize {
        self.sources.get(host).map_or(0, |s| s.entries.len())
    }

    /// True when nothing is remembered.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// Result of [`frame`]: whether a stream buffer holds a whole packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Frame {
    /// A whole packet of this many octets is at the start of the buffer.
    Complete(usize),
    /// More octets are needed (at least this many in total) — not an error.
    Partial(usize),
}

/// Frames RADIUS over a byte stream (RFC 6613 TCP, RFC 6614 TLS): reads the Length
/// field at the start of `buf`. Needing more bytes is [`Frame::Partial`]; a Length
/// outside `20..=max_len` is an error (the stream must be closed).
pub fn frame(buf: &[u8], max_len: usize) -> Result<Frame> {
    let Some(&[hi, lo]) = buf.get(2..4) else {
        return Ok(Frame::Partial(crate::HEADER_LEN));
    };
    let length = usize::from(u16::from_be_bytes([hi, lo]));
    if !(crate::HEADER_LEN..=max_len).contains(&length) {
        return Err(Error::LengthOutOfRange { length, max: max_len });
    }
    if buf.len() < length {
        Ok(Frame::Partial(length))
    } else {
        Ok(Frame::Complete(length))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{PacketBuilder, Value};

    fn secret() -> SharedSecret {
        SharedSecret::from("testing123")
    }

    fn coa(client: &mut Client<&'static str>, now: Instant) -> Transmit<&'static str> {
        client
            .send(&"nas", now, |id, s| {
                let mut b = PacketBuilder::coa_request(id);
                b.add(AttrType::USER_NAME, b"u")?;
                b.finish(s)
            })
            .unwrap()
    }

    /// Without jitter every wait is the schedule's own: radclient's `-t 1 -r 3` resends
    /// at 1, 2 and 3 s and gives up at 4 s, to the nanosecond.
    #[test]
    fn without_jitter_waits_are_exact() {
        let t0 = Instant::now();
        let s = Duration::from_secs;
        let fixed = Retransmit {
            initial: s(1),
            max_count: 3,
            max_time: s(1),
            max_duration: s(4),
        };
        let mut c = Client::new(5).with_retransmit(fixed).with_jitter(false);
        c.add_destination("nas", secret());
        coa(&mut c, t0);
        let mut events = Vec::new();
        while let Some(at) = c.poll_timeout() {
            for e in c.handle_timeout(at) {
                events.push((at - t0, matches!(e, ClientEvent::TimedOut { .. })));
            }
        }
        assert_eq!(
            events,
            [(s(1), false), (s(2), false), (s(3), false), (s(4), true)]
        );
        // with jitter (the default) the first wait is 1 s +-10%, not exactly 1 s
        let mut c = Client::new(5).with_retransmit(fixed);
        c.add_destination("nas", secret());
        coa(&mut c, t0);
        let first = c.poll_timeout().unwrap() - t0;
        assert!(first != s(1) && first >= Duration::from_millis(900) && first <= Duration::from_millis(1100));
    }

    #[test]
    fn identifiers_run_out_at_256() {
        let t0 = Instant::now();
        let mut c = Client::new(1);
        c.add_destination("nas", secret());
        let mut ids = std::collections::HashSet::new();
        for _ in 0..256 {
            ids.insert(coa(&mut c, t0).bytes[1]);
        }
        assert_eq!(ids.len(), 256);
        let err = c.send(&"nas", t0, |id, s| PacketBuilder::coa_request(id).finish(s));
        assert_eq!(err.unwrap_err(), Error::IdentifiersExhausted);
        assert_eq!(
            c.send(&"other", t0, |id, s| PacketBuilder::coa_request(id).finish(s))
                .unwrap_err(),
            Error::UnknownDestination
        );
    }

    #[test]
    fn retransmits_follow_rfc5080_then_time_out() {
        let t0 = Instant::now();
        let mut c = Client::new(7);
        c.add_destination("nas", secret());
        let tx = coa(&mut c, t0);
        let mut now = t0;
        let mut gaps = Vec::new();
        let mut last = t0;
        loop {
            let next = c.poll_timeout().unwrap();
            assert!(next > now);
            now = next;
            let ev = c.handle_timeout(now);
            assert_eq!(ev.len(), 1);
            gaps.push(now - last);
            last = now;
            match &ev[0] {
                ClientEvent::Retransmit(t) => assert_eq!(t.bytes, tx.bytes),
                ClientEvent::TimedOut { request, .. } => {
                    assert_eq!(request, &tx.bytes);
                    break;
                }
                other => panic!("{other:?}"),
            }
        }
        // first timeout IRT +-10%, then roughly doubling, total bounded by MRD (30 s)
        assert!(
            gaps[0] >= Duration::from_millis(1800) && gaps[0] <= Duration::from_millis(2200),
            "{gaps:?}"
        );
        assert!(gaps[1] >= Duration::from_millis(3200), "{gaps:?}");
        assert!(now - t0 <= Duration::from_secs(31), "{:?}", now - t0);
        assert_eq!(c.in_flight(&"nas"), 0);
        assert_eq!(c.poll_timeout(), None);
    }

    #[test]
    fn replies_are_verified_and_forgeries_do_not_cancel() {
        let t0 = Instant::now();
        let mut c = Client::new(3);
        c.add_destination("nas", secret());
        let tx = coa(&mut c, t0);
        let req = Packet::new_checked(&tx.bytes[..]).unwrap();
        let forged = PacketBuilder::reply_to(&req, Code::CoaAck)
            .finish(&SharedSecret::from("wrong"))
            .unwrap();
        assert_eq!(
            c.receive(&"nas", &forged, t0),
            Err(Error::BadResponseAuthenticator)
        );
        assert_eq!(c.in_flight(&"nas"), 1);
        let wrong_code = PacketBuilder::reply_to(&req, Code::DisconnectAck)
            .finish(&secret())
            .unwrap();
        assert!(matches!(
            c.receive(&"nas", &wrong_code, t0),
            Err(Error::UnexpectedReply { .. })
        ));
        let nak = PacketBuilder::reply_to(&req, Code::CoaNak)
            .finish(&secret())
            .unwrap();
        let ev = c.receive(&"nas", &nak, t0 + Duration::from_millis(3)).unwrap();
        assert!(matches!(ev, ClientEvent::Reply { rtt, .. } if rtt == Duration::from_millis(3)));
        assert!(matches!(
            c.receive(&"nas", &nak, t0),
            Ok(ClientEvent::Unmatched { .. })
        ));
    }

    #[test]
    fn accounting_retransmit_updates_delay_time_and_identifier() {
        let t0 = Instant::now();
        let mut c = Client::new(5);
        c.add_destination("srv", secret());
        let tx = c
            .send(&"srv", t0, |id, s| {
                let mut b = PacketBuilder::accounting_request(id);
                b.add_value(AttrType::ACCT_STATUS_TYPE, &Value::Integer(3))?
                    .add_value(AttrType::ACCT_DELAY_TIME, &Value::Integer(0))?;
                b.finish(s)
            })
            .unwrap();
        let when = c.poll_timeout().unwrap() + Duration::from_secs(1);
        let ev = c.handle_timeout(when);
        let ClientEvent::Retransmit(rt) = &ev[0] else {
            panic!("{ev:?}")
        };
        let p = Packet::new_checked(&rt.bytes[..]).unwrap();
        p.verify_request(&secret()).unwrap();
        assert_ne!(p.identifier(), tx.bytes[1]);
        let delay = p
            .view()
            .first(AttrType::ACCT_DELAY_TIME)
            .unwrap()
            .decode(crate::DataType::Integer)
            .unwrap();
        assert_eq!(delay, Value::Integer((when - t0).as_secs() as u32));
        // the reply to the new identifier completes it
        let resp = PacketBuilder::reply_to(&p, Code::AccountingResponse)
            .finish(&secret())
            .unwrap();
        assert!(matches!(
            c.receive(&"srv", &resp, when),
            Ok(ClientEvent::Reply { .. })
        ));
        assert_eq!(c.in_flight(&"srv"), 0);
    }

    fn origin(host: &'static str, port: u16) -> Origin<&'static str> {
        Origin::new(host, port, 3799)
    }

    #[test]
    fn duplicate_cache_replays_and_expires() {
        let t0 = Instant::now();
        let mut cache = DuplicateCache::new(Duration::from_secs(5), 100);
        let (a, b) = (origin("a", 1000), origin("b", 1000));
        let req = PacketBuilder::coa_request(9).finish(&secret()).unwrap();
        let req = Packet::new_checked(&req[..]).unwrap();
        assert_eq!(cache.check(&a, &req, t0), Seen::New);
        assert_eq!(cache.check(&a, &req, t0), Seen::InProgress);
        assert_eq!(cache.check(&b, &req, t0), Seen::New);
        cache.store_reply(&a, &req, b"reply");
        assert_eq!(
            cache.check(&a, &req, t0 + Duration::from_secs(1)),
            Seen::Replay(b"reply")
        );
        assert_eq!(cache.check(&a, &req, t0 + Duration::from_secs(6)), Seen::New);
        // same id, different authenticator: a new request
        let mut bld = PacketBuilder::coa_request(9);
        bld.add(AttrType::USER_NAME, b"x").unwrap();
        let other = bld.finish(&secret()).unwrap();
        assert_eq!(
            cache.check(&b, &Packet::new_checked(&other[..]).unwrap(), t0),
            Seen::New
        );
        let mut small = DuplicateCache::new(Duration::from_secs(60), 2);
        for port in 0..10u16 {
            small.check(&origin("x", port), &req, t0);
        }
        assert_eq!(small.len(), 2);
    }

    // RFC 5080 §2.2.2: "the source IP address, source UDP port, [...] Code, Identifier
    // and Request Authenticator" and the local port identify a request.
    #[test]
    fn duplicate_key_has_code_and_local_port() {
        let t0 = Instant::now();
        let mut cache = DuplicateCache::default();
        // A CoA-Request and a Disconnect-Request with the same Identifier and
        // Authenticator (the authenticator is forced equal) are different requests.
        let coa = PacketBuilder::coa_request(5).finish(&secret()).unwrap();
        let mut disc = coa.clone();
        disc[0] = Code::DisconnectRequest.get();
        let coa = Packet::new_checked(&coa[..]).unwrap();
        let disc = Packet::new_checked(&disc[..]).unwrap();
        let o = origin("nas", 1);
        assert_eq!(cache.check(&o, &coa, t0), Seen::New);
        cache.store_reply(&o, &coa, b"coa-ack");
        assert_eq!(cache.check(&o, &disc, t0), Seen::New);
        // the same request arriving on another local port is another request
        assert_eq!(cache.check(&Origin::new("nas", 1, 1700), &coa, t0), Seen::New);
        assert_eq!(cache.check(&o, &coa, t0), Seen::Replay(b"coa-ack"));
    }

    #[test]
    fn a_flood_from_one_source_does_not_evict_another() {
        let t0 = Instant::now();
        let mut cache = DuplicateCache::default();
        let victim = origin("victim", 1812);
        let mut victims = Vec::new();
        for id in 0..10u8 {
            let req = PacketBuilder::coa_request(id).finish(&secret()).unwrap();
            let p = Packet::new_checked(&req[..]).unwrap();
            assert_eq!(cache.check(&victim, &p, t0), Seen::New);
            cache.store_reply(&victim, &p, &[id]);
            victims.push(req);
        }
        // 100,000 distinct requests from one host, over many source ports, within the
        // lifetime.
        for n in 0..100_000u32 {
            let [_, hi, lo, id] = n.to_be_bytes();
            let mut req = PacketBuilder::coa_request(id).finish(&secret()).unwrap();
            req[4] = hi; // distinct authenticators
            req[5] = lo;
            let port = u16::from_be_bytes([hi, lo]);
            let p = Packet::new_checked(&req[..]).unwrap();
            assert_eq!(cache.check(&origin("flood", port), &p, t0), Seen::New);
        }
        assert!(cache.len_for(&"flood") <= DEFAULT_PER_SOURCE);
        assert!(cache.len() <= DEFAULT_MAX_ENTRIES);
        for (id, req) in victims.iter().enumerate() {
            let p = Packet::new_checked(&req[..]).unwrap();
            assert_eq!(
                cache.check(&victim, &p, t0 + Duration::from_secs(1)),
                Seen::Replay(&[id as u8][..])
            );
        }
        // many hosts together hit the global bound: the heaviest host pays first
        let mut small = DuplicateCache::new(Duration::from_secs(5), 64).with_per_source_limit(48);
        let req = PacketBuilder::coa_request(1).finish(&secret()).unwrap();
        let p = Packet::new_checked(&req[..]).unwrap();
        small.check(&origin("quiet", 1), &p, t0);
        small.store_reply(&origin("quiet", 1), &p, b"r");
        for port in 0..200u16 {
            small.check(&origin("heavy", port), &p, t0);
            small.check(&origin("heavy2", port), &p, t0);
        }
        assert!(small.len() <= 64);
        assert_eq!(small.check(&origin("quiet", 1), &p, t0), Seen::Replay(b"r"));
    }

    #[test]
    fn stream_framing_tells_partial_from_malformed() {
        let pkt = PacketBuilder::coa_request(1).finish(&secret()).unwrap();
        assert_eq!(frame(&pkt[..3], 4096), Ok(Frame::Partial(20)));
        assert_eq!(frame(&pkt[..10], 4096), Ok(Frame::Partial(20)));
        let mut two = pkt.clone();
        two.extend_from_slice(&pkt);
        assert_eq!(frame(&two, 4096), Ok(Frame::Complete(20)));
        assert!(frame(&[1, 1, 0, 5], 4096).is_err());
        assert!(frame(&[1, 1, 0xff, 0xff], 4096).is_err());
        assert_eq!(frame(&[1, 1, 0xff, 0xff], 65535), Ok(Frame::Partial(65535)));
    }

    #[test]
    fn send_reports_what_the_closure_got_wrong() {
        let t0 = Instant::now();
        let mut c = Client::new(1);
        c.add_destination("nas", secret());
        let wrong_id = c.send(&"nas", t0, |id, s| {
            PacketBuilder::coa_request(id.wrapping_add(1)).finish(s)
        });
        assert_eq!(
            wrong_id,
            Err(Error::WrongIdentifier {
                allocated: 0,
                built: 1
            })
        );
        let not_request = c.send(&"nas", t0, |id, s| {
            PacketBuilder::new(Code::CoaAck, id, [0; 16]).finish(s)
        });
        assert_eq!(not_request, Err(Error::NotARequest { code: Code::CoaAck }));
        let builder_error = c.send(&"nas", t0, |_, _| Err(Error::IdentifiersExhausted));
        assert_eq!(builder_error, Err(Error::IdentifiersExhausted));
        assert_eq!(c.in_flight(&"nas"), 0);
    }

    #[test]
    fn reply_events_say_whether_the_reply_was_signed() {
        let t0 = Instant::now();
        let mut c = Client::new(1);
        c.add_destination("srv", secret());
        let ask = |c: &mut Client<&'static str>, signed: bool| {
            let tx = c
                .send(&"srv", t0, |id, s| {
                    PacketBuilder::access_request(id, [id; 16]).finish(s)
                })
                .unwrap();
            let req = Packet::new_checked(&tx.bytes[..]).unwrap();
            let mut b = PacketBuilder::reply_to(&req, Code::AccessAccept);
            if !signed {
                b.without_message_authenticator();
            }
            c.receive(&"srv", &b.finish(&secret()).unwrap(), t0)
        };
        let Ok(ClientEvent::Reply { signature, .. }) = ask(&mut c, false) else {
            panic!()
        };
        assert_eq!(signature, Signature::AcceptedUnsigned);
        assert_eq!(
            c.reply_state(&"srv").map(|l| l.access),
            Some(crate::Learned::Legacy)
        );
        let Ok(ClientEvent::Reply { signature, .. }) = ask(&mut c, true) else {
            panic!()
        };
        assert_eq!(signature, Signature::Signed);
        // a restored "signs" state makes the next unsigned reply an error
        let signs = LearnedReplies {
            access: crate::Learned::Signs,
            status_server: crate::Learned::Unknown,
        };
        c.set_reply_state(&"srv", signs).unwrap();
        assert!(ask(&mut c, false).is_err());
        assert_eq!(c.set_reply_state(&"nope", signs), Err(Error::UnknownDestination));
        assert_eq!(c.reply_state(&"nope"), None);
    }

    /// The timer queue: `poll_timeout` is the earliest deadline of what is pending,
    /// replies and cancellations take their timers away, `handle_timeout` visits
    /// exactly what is due, in deadline order, and a destination registered again
    /// forgets its timers (a later request with a reused Identifier keeps its own).
    #[test]
    fn timers_follow_the_pending_requests() {
        let t0 = Instant::now();
        let ms = Duration::from_millis;
        let fixed = Retransmit {
            initial: Duration::from_secs(1),
            max_count: 3,
            max_time: Duration::from_secs(1),
            max_duration: Duration::from_secs(10),
        };
        let mut c = Client::new(9).with_retransmit(fixed);
        c.add_destination("nas", secret());
        assert_eq!(c.poll_timeout(), None);
        // 300 ms apart: deadlines 1 s +-10% after each send, so in send order.
        let sent: Vec<Transmit<&str>> = (0..5u32).map(|i| coa(&mut c, t0 + ms(300) * i)).collect();
        let first = c.poll_timeout().unwrap();
        assert!(
            first >= t0 + ms(900) && first <= t0 + ms(1100),
            "{:?}",
            first - t0
        );
        // the reply to the first request moves the earliest deadline to the second's
        let req = Packet::new_checked(&sent[0].bytes[..]).unwrap();
        let ack = PacketBuilder::reply_to(&req, Code::CoaAck)
            .finish(&secret())
            .unwrap();
        assert!(matches!(
            c.receive(&"nas", &ack, t0 + ms(10)),
            Ok(ClientEvent::Reply { .. })
        ));
        let second = c.poll_timeout().unwrap();
        assert!(
            second >= t0 + ms(1200) && second <= t0 + ms(1400),
            "{:?}",
            second - t0
        );
        // cancel the third: at 2 s the second and the fourth are due, the fifth not
        assert_eq!(
            c.cancel(&"nas", sent[2].bytes[1]).as_deref(),
            Some(&sent[2].bytes[..])
        );
        let at = t0 + ms(2050);
        let due: Vec<u8> = c
            .handle_timeout(at)
            .into_iter()
            .map(|e| match e {
                ClientEvent::Retransmit(t) => t.bytes[1],
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(due, vec![sent[1].bytes[1], sent[3].bytes[1]]);
        // the fifth is next; the retransmitted ones are re-armed about 1 s after `at`
        let next = c.poll_timeout().unwrap();
        assert!(next >= t0 + ms(2100) && next <= t0 + ms(2300), "{:?}", next - t0);
        assert_eq!(c.handle_timeout(next).len(), 1);
        assert!(c.poll_timeout().unwrap() >= at + ms(900));
        // registering the destination again forgets everything in flight to it
        c.add_destination("nas", secret());
        assert_eq!(c.in_flight(&"nas"), 0);
        assert_eq!(c.poll_timeout(), None);
        let again = coa(&mut c, at);
        assert_eq!(again.bytes[1], 0);
        assert!(c.handle_timeout(at + ms(500)).is_empty());
        assert_eq!(c.in_flight(&"nas"), 1);
    }

    /// MRC, MRT and MRD 0 mean "no limit" (RFC 5080 §2.2.1): the interval doubles on
    /// and on, which overflowed `Duration` (a panic) after 62 retransmissions.
    #[test]
    fn unlimited_retransmission_never_panics() {
        let t0 = Instant::now();
        let unlimited = Retransmit {
            initial: Duration::from_millis(1),
            max_count: 0,
            max_time: Duration::ZERO,
            max_duration: Duration::ZERO,
        };
        let mut c = Client::new(11).with_retransmit(unlimited);
        c.add_destination("nas", secret());
        coa(&mut c, t0);
        let mut now = t0;
        let mut last_gap = Duration::ZERO;
        for attempt in 1..=200u32 {
            let next = c.poll_timeout().unwrap();
            assert!(next >= now);
            last_gap = next - now;
            now = next;
            let ev = c.handle_timeout(now);
            assert!(
                matches!(&ev[..], [ClientEvent::Retransmit(t)] if t.attempt == attempt),
                "{ev:?}"
            );
        }
        assert_eq!(c.in_flight(&"nas"), 1);
        assert!(last_gap >= Duration::from_secs(3600 * 24 * 365), "{last_gap:?}");
        // absurd parameters: still no panic
        let mut c = Client::new(12).with_retransmit(Retransmit {
            initial: Duration::MAX,
            max_count: u32::MAX,
            max_time: Duration::MAX,
            max_duration: Duration::ZERO,
        });
        c.add_destination("nas", secret());
        coa(&mut c, t0);
        let next = c.poll_timeout().unwrap();
        assert!(next > t0);
        assert_eq!(c.handle_timeout(next).len(), 1);
    }
}
