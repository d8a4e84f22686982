//! RADIUS over UDP with tokio (feature `tokio`): the same sans-I/O exchange and
//! duplicate cache as [`crate::udp`], on `tokio::net::UdpSocket`.
//!
//! - [`AsyncUdpServer`]: verifies each request, answers new ones with a handler,
//!   replays cached replies to retransmissions (RFC 5080 §2.2.2). See
//!   `examples/coa_responder.rs`.
//! - [`AsyncUdpClient`]: one source port, up to 256 requests in flight, RFC 5080
//!   retransmission with the exchange's timers, replies verified with the
//!   [`ReplyPolicy`].

use std::net::{IpAddr, SocketAddr};
use std::time::Instant;

use radius_codec::exchange::{Client, ClientEvent, DuplicateCache, Origin, Retransmit, Seen};
use radius_codec::{ReplyPolicy, Requirement, SharedSecret};
use tokio::net::UdpSocket;

use crate::udp::{check_request, Event, Request, Token};
use crate::Error;

/// Largest RADIUS packet over UDP (RFC 2865 §3).
const MAX_UDP: usize = 4096;

/// An async RADIUS/UDP server: one socket, a duplicate cache, a handler.
pub struct AsyncUdpServer {
    socket: UdpSocket,
    secrets: Box<dyn Fn(SocketAddr) -> Option<SharedSecret> + Send + Sync>,
    cache: DuplicateCache<IpAddr>,
}

impl std::fmt::Debug for AsyncUdpServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AsyncUdpServer")
            .field("socket", &self.socket)
            .finish_non_exhaustive()
    }
}

impl AsyncUdpServer {
    /// Binds `addr`; `secrets` gives the secret of each client address (`None`: the
    /// datagram is dropped).
    pub async fn bind(
        addr: SocketAddr,
        secrets: impl Fn(SocketAddr) -> Option<SharedSecret> + Send + Sync + 'static,
    ) -> Result<Self, Error> {
        Ok(Self {
            socket: UdpSocket::bind(addr).await?,
            secrets: Box::new(secrets),
            cache: DuplicateCache::default(),
        })
    }

    /// The bound address.
    pub fn local_addr(&self) -> Result<SocketAddr, Error> {
        Ok(self.socket.local_addr()?)
    }

    /// Serves until the task is dropped or a socket error: `handler` gets each new,
    /// verified request and returns the finished reply (or `None` to stay silent).
    /// Datagrams from unknown clients and requests that do not verify are dropped.
    pub async fn run(
        &mut self,
        mut handler: impl FnMut(&Request<'_>) -> Option<Vec<u8>>,
    ) -> Result<(), Error> {
        let local = self.socket.local_addr()?;
        let mut buf = vec![0u8; MAX_UDP + 1];
        loop {
            let (n, peer) = match self.socket.recv_from(&mut buf).await {
                Ok(x) => x,
                Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => continue,
                Err(e) => return Err(e.into()),
            };
            let received = Instant::now();
            let Some(secret) = (self.secrets)(peer) else {
                continue;
            };
            let Ok(packet) = check_request(buf.get(..n).unwrap_or_default(), &secret, None) else {
                continue;
            };
            let origin = Origin::from_sockets(peer, local);
            match self.cache.check(&origin, &packet, received) {
                Seen::New => {}
                Seen::InProgress => continue,
                Seen::Replay(reply) => {
                    let _ = self.socket.send_to(reply, peer).await;
                    continue;
                }
            }
            let request = Request {
                packet,
                peer,
                secret: &secret,
                received,
            };
            if let Some(reply) = handler(&request) {
                let _ = self.socket.send_to(&reply, peer).await;
                self.cache.store_reply(&origin, &request.packet, &reply);
            }
        }
    }
}

/// An async RADIUS/UDP client for one server, from one source port.
#[derive(Debug)]
pub struct AsyncUdpClient {
    socket: UdpSocket,
    server: SocketAddr,
    exchange: Client<()>,
    first_sent: std::collections::HashMap<u8, (Token, Instant)>,
    next_token: u64,
}

impl AsyncUdpClient {
    /// A client for `server` with its secret, retransmission timers and reply policy
    /// (`Auto`: Message-Authenticator required once the server has shown it signs).
    pub async fn new(
        server: SocketAddr,
        secret: SharedSecret,
        retransmit: Retransmit,
        require_message_authenticator: Requirement,
        seed: u64,
    ) -> Result<Self, Error> {
        let bind: SocketAddr = if server.is_ipv4() {
            SocketAddr::from(([0, 0, 0, 0], 0))
        } else {
            SocketAddr::from(([0u16; 8], 0))
        };
        let socket = UdpSocket::bind(bind).await?;
        let mut exchange = Client::new(seed).with_retransmit(retransmit);
        exchange.add_destination_with((), secret, ReplyPolicy::new(require_message_authenticator));
        Ok(Self {
            socket,
            server,
            exchange,
            first_sent: std::collections::HashMap::new(),
            next_token: 0,
        })
    }

    /// Builds a request with `build(identifier, secret)` and sends it.
    pub async fn send(
        &mut self,
        build: impl FnOnce(u8, &SharedSecret) -> radius_codec::Result<Vec<u8>>,
    ) -> Result<Token, Error> {
        let now = Instant::now();
        let tx = self.exchange.send(&(), now, build)?;
        let id = tx.bytes.get(1).copied().unwrap_or_default();
        if let Err(e) = self.socket.send_to(&tx.bytes, self.server).await {
            self.exchange.cancel(&(), id);
            return Err(e.into());
        }
        let token = Token(self.next_token);
        self.next_token += 1;
        self.first_sent.insert(id, (token, now));
        Ok(token)
    }

    /// Waits for the next reply, refusal or loss (retransmitting meanwhile); `None` when nothing
    /// is in flight.
    pub async fn next_event(&mut self) -> Result<Option<Event>, Error> {
        let mut buf = vec![0u8; MAX_UDP + 1];
        loop {
            let Some(deadline) = self.exchange.poll_timeout() else {
                return Ok(None);
            };
            let wait = deadline.saturating_duration_since(Instant::now());
            match tokio::time::timeout(wait, self.socket.recv_from(&mut buf)).await {
                Ok(Ok((n, from))) if from == self.server => {
                    let at = Instant::now();
                    let data = buf.get(..n).unwrap_or_default();
                    match self.exchange.receive(&(), data, at) {
                        Ok(ClientEvent::Reply {
                            request,
                            reply,
                            rtt,
                            signature,
                            ..
                        }) => {
                            let id = request.get(1).copied().unwrap_or_default();
                            let (token, t0) = self.first_sent.remove(&id).unwrap_or((Token(u64::MAX), at));
                            return Ok(Some(Event::Reply {
                                token,
                                request,
                                reply,
                                rtt,
                                elapsed: at.saturating_duration_since(t0),
                                signature,
                            }));
                        }
                        // Authentic but unsigned where a signature is required: the
                        // server answered, the request ends (as the blocking client).
                        Err(error @ radius_codec::Error::MissingMessageAuthenticator { .. }) => {
                            let id = data.get(1).copied().unwrap_or_default();
                            if let Some(request) = self.exchange.cancel(&(), id) {
                                let (token, t0) =
                                    self.first_sent.remove(&id).unwrap_or((Token(u64::MAX), at));
                                return Ok(Some(Event::Refused {
                                    token,
                                    request,
                                    reply: data.to_vec(),
                                    elapsed: at.saturating_duration_since(t0),
                                    error,
                                }));
                            }
                        }
                        _ => {}
                    }
                }
                Ok(Ok(_)) => {}
                Ok(Err(e)) if e.kind() == std::io::ErrorKind::ConnectionRefused => {}
                Ok(Err(e)) => return Err(e.into()),
                Err(_) => {}
            }
            let now = Instant::now();
            for ev in self.exchange.handle_timeout(now) {
                match ev {
                    ClientEvent::Retransmit(tx) => {
                        let _ = self.socket.send_to(&tx.bytes, self.server).await;
                    }
                    ClientEvent::TimedOut { request, .. } => {
                        let id = request.get(1).copied().unwrap_or_default();
                        let (token, t0) = self.first_sent.remove(&id).unwrap_or((Token(u64::MAX), now));
                        return Ok(Some(Event::Lost {
                            token,
                            request,
                            elapsed: now.saturating_duration_since(t0),
                        }));
                    }
                    _ => {}
                }
            }
        }
    }

    /// Sends one request and waits for its reply, refusal or loss.
    pub async fn request(
        &mut self,
        build: impl FnOnce(u8, &SharedSecret) -> radius_codec::Result<Vec<u8>>,
    ) -> Result<Event, Error> {
        let token = self.send(build).await?;
        while let Some(e) = self.next_event().await? {
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
        Err(Error::NoCompletion)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use radius_codec::{AttrType, Code, Packet, PacketBuilder};
    use std::time::Duration;

    fn quick_retransmit() -> Retransmit {
        Retransmit {
            initial: Duration::from_millis(200),
            max_count: 2,
            max_time: Duration::from_millis(200),
            max_duration: Duration::from_millis(600),
        }
    }

    #[tokio::test]
    async fn async_client_and_server() {
        let mut srv =
            AsyncUdpServer::bind("127.0.0.1:0".parse().unwrap(), |_| Some(SharedSecret::from("s3")))
                .await
                .unwrap();
        let addr = srv.local_addr().unwrap();
        let task = tokio::spawn(async move {
            srv.run(|r| {
                PacketBuilder::reply_to(&r.packet, Code::CoaAck)
                    .finish(r.secret)
                    .ok()
            })
            .await
        });
        let mut c = AsyncUdpClient::new(
            addr,
            SharedSecret::from("s3"),
            quick_retransmit(),
            Requirement::Auto,
            7,
        )
        .await
        .unwrap();
        let e = c
            .request(|id, s| {
                let mut b = PacketBuilder::coa_request(id);
                b.add(AttrType::USER_NAME, b"bob")?;
                b.finish(s)
            })
            .await
            .unwrap();
        match e {
            Event::Reply { reply, .. } => {
                assert_eq!(Packet::new_checked(&reply[..]).unwrap().code(), Code::CoaAck)
            }
            e => panic!("{e:?}"),
        }
        task.abort();
    }

    /// An authentic reply without the required Message-Authenticator ends its
    /// request as `Event::Refused`, at once (no retransmission, no `Lost`).
    #[tokio::test]
    async fn unsigned_reply_is_refused() {
        let mut srv =
            AsyncUdpServer::bind("127.0.0.1:0".parse().unwrap(), |_| Some(SharedSecret::from("s5")))
                .await
                .unwrap();
        let addr = srv.local_addr().unwrap();
        let task = tokio::spawn(async move {
            srv.run(|r| {
                let mut b = PacketBuilder::reply_to(&r.packet, Code::AccessAccept);
                b.without_message_authenticator();
                b.finish(r.secret).ok()
            })
            .await
        });
        let slow = Retransmit {
            initial: Duration::from_secs(5),
            max_count: 3,
            max_time: Duration::from_secs(5),
            max_duration: Duration::from_secs(20),
        };
        let mut c = AsyncUdpClient::new(addr, SharedSecret::from("s5"), slow, Requirement::Yes, 3)
            .await
            .unwrap();
        let t0 = Instant::now();
        let e = c
            .request(|id, s| {
                let mut b = PacketBuilder::access_request(id, [9; 16]);
                b.add(AttrType::USER_NAME, b"bob")?;
                b.finish(s)
            })
            .await
            .unwrap();
        assert!(
            matches!(e, Event::Refused { ref reply, .. } if reply.first() == Some(&2)),
            "{e:?}"
        );
        assert!(t0.elapsed() < Duration::from_secs(4));
        assert!(c.next_event().await.unwrap().is_none());
        task.abort();
    }
}
