//! An async (tokio) RADIUS/TCP and RADIUS/TLS client over the same sans-I/O
//! [`Connection`] as [`crate::stream::StreamClient`] (feature `tokio`).

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use bytes::Bytes;
use radius_codec::{PacketBuilder, SharedSecret};
use radius_stream::{CloseReason, Connection, Event, RequestHandle, Settings, Version};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::stream::{reply_wait, Completion, Connector};
use crate::Error;

/// An async client: one connection, opened on first use, reused, re-opened after it
/// closes. Requests are pipelined: [`AsyncStreamClient::send`] then
/// [`AsyncStreamClient::next_completion`], or [`AsyncStreamClient::request`] for one.
pub struct AsyncStreamClient {
    addr: std::net::SocketAddr,
    connector: Connector,
    settings: Settings,
    connect_timeout: Duration,
    live: Option<(TcpStream, Connection)>,
    completions: VecDeque<Completion>,
    buf: Vec<u8>,
    out: Vec<u8>,
    seed: u64,
}

impl std::fmt::Debug for AsyncStreamClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AsyncStreamClient")
            .field("addr", &self.addr)
            .field("connected", &self.live.is_some())
            .finish_non_exhaustive()
    }
}

impl AsyncStreamClient {
    /// A client for the server at `addr` (nothing is opened yet).
    #[must_use]
    pub fn new(addr: std::net::SocketAddr, connector: Connector, settings: Settings) -> Self {
        Self {
            addr,
            connector,
            settings,
            connect_timeout: Duration::from_secs(5),
            live: None,
            completions: VecDeque::new(),
            buf: vec![0; 32 * 1024],
            out: Vec::new(),
            seed: crate::stream::random_seed(),
        }
    }

    /// The RADIUS variant of the open connection.
    #[must_use]
    pub fn version(&self) -> Option<Version> {
        self.live.as_ref().and_then(|(_, c)| c.version())
    }

    /// Opens the connection if none is open, waiting for the TLS handshake.
    pub async fn connect(&mut self) -> Result<Version, Error> {
        if let Some(v) = self
            .live
            .as_ref()
            .filter(|(_, c)| c.is_open())
            .and_then(|(_, c)| c.version())
        {
            return Ok(v);
        }
        self.live = None;
        let sock = tokio::time::timeout(self.connect_timeout, TcpStream::connect(self.addr))
            .await
            .map_err(|_| Error::Timeout)??;
        sock.set_nodelay(true)?;
        self.seed = self.seed.wrapping_add(1);
        let settings = self.settings.duplicate();
        let conn = match &self.connector {
            Connector::Tcp => Connection::tcp_client(settings, self.seed),
            Connector::Tls { config, server_name } => {
                Connection::tls_client(config.clone(), server_name.clone(), settings, self.seed)?
            }
        };
        self.live = Some((sock, conn));
        let deadline = Instant::now() + self.connect_timeout;
        loop {
            if let Some(v) = self.version() {
                return Ok(v);
            }
            if let Some(reason) = self.pump(deadline).await? {
                return Err(Error::Closed(reason));
            }
            if Instant::now() >= deadline {
                return Err(Error::Timeout);
            }
        }
    }

    /// Sends a request without waiting (see [`crate::stream::StreamClient::send`]).
    pub async fn send(
        &mut self,
        build: impl FnOnce(u8, Version, &SharedSecret) -> radius_codec::Result<PacketBuilder>,
    ) -> Result<RequestHandle, Error> {
        self.connect().await?;
        let (_, conn) = self.live.as_mut().ok_or(Error::Closed(CloseReason::Local))?;
        let h = conn.send_request(Instant::now(), build)?;
        self.flush().await?;
        Ok(h)
    }

    /// Waits for the next reply or loss, up to `timeout`.
    pub async fn next_completion(&mut self, timeout: Duration) -> Result<Completion, Error> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(c) = self.completions.pop_front() {
                return Ok(c);
            }
            if self.live.is_none() {
                return Err(Error::Closed(CloseReason::Local));
            }
            self.pump(deadline).await?;
            if self.completions.is_empty() && Instant::now() >= deadline {
                return Err(Error::Timeout);
            }
        }
    }

    /// Sends one request and waits for its verified reply.
    pub async fn request(
        &mut self,
        build: impl FnOnce(u8, Version, &SharedSecret) -> radius_codec::Result<PacketBuilder>,
    ) -> Result<Bytes, Error> {
        let handle = self.send(build).await?;
        let wait = reply_wait(&self.settings);
        loop {
            if let Some(outcome) = self.next_completion(wait).await?.outcome_for(handle) {
                return outcome;
            }
        }
    }

    async fn flush(&mut self) -> Result<(), Error> {
        let Some((sock, conn)) = self.live.as_mut() else {
            return Ok(());
        };
        self.out.clear();
        conn.poll_transmit(&mut self.out);
        if !self.out.is_empty() {
            if let Err(e) = sock.write_all(&self.out).await {
                conn.peer_closed();
                self.collect();
                return Err(e.into());
            }
        }
        Ok(())
    }

    async fn pump(&mut self, until: Instant) -> Result<Option<CloseReason>, Error> {
        self.flush().await?;
        let Some((sock, conn)) = self.live.as_mut() else {
            return Ok(Some(CloseReason::Local));
        };
        let wake = conn.poll_timeout().map_or(until, |t| t.min(until));
        let wait = wake
            .saturating_duration_since(Instant::now())
            .max(Duration::from_millis(1));
        match tokio::time::timeout(wait, sock.read(&mut self.buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => conn.peer_closed(),
            Ok(Ok(n)) => {
                let _ = conn.receive(self.buf.get(..n).unwrap_or_default(), Instant::now());
            }
            Err(_) => {}
        }
        conn.handle_timeout(Instant::now());
        let closed = self.collect();
        let _ = self.flush().await;
        if closed.is_some() {
            self.live = None;
        }
        Ok(closed)
    }

    fn collect(&mut self) -> Option<CloseReason> {
        let (_, conn) = self.live.as_mut()?;
        let mut closed = None;
        while let Some(ev) = conn.poll_event() {
            match Completion::from_event(ev) {
                Ok(c) => self.completions.push_back(c),
                Err(Event::Closed(reason)) => closed = Some(reason),
                Err(_) => {}
            }
        }
        closed
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::stream::{Acceptor, StreamServer};
    use radius_codec::{AttrType, Code, Packet};
    use radius_stream::{Secrets, Transport};
    use std::sync::Arc;

    #[tokio::test]
    async fn async_client_against_the_blocking_server() {
        let mut secrets = Secrets::new();
        secrets.insert([127, 0, 0, 1].into(), Transport::Tcp, SharedSecret::from("s"));
        let server = StreamServer::bind(
            "127.0.0.1:0".parse().unwrap(),
            Acceptor::Tcp,
            Settings::tls(),
            secrets,
        )
        .unwrap()
        .spawn(Arc::new(|p: &Packet<&[u8]>, _: &crate::stream::RequestInfo| {
            Some(PacketBuilder::reply_to(p, Code::AccountingResponse))
        }))
        .unwrap();
        let mut c = AsyncStreamClient::new(
            server.local_addr(),
            Connector::Tcp,
            Settings::new(SharedSecret::from("s")),
        );
        for _ in 0..3 {
            let reply = c
                .request(|id, _, _| {
                    let mut b = PacketBuilder::accounting_request(id);
                    b.add(AttrType::USER_NAME, b"bob")?;
                    Ok(b)
                })
                .await
                .unwrap();
            assert_eq!(
                Packet::new_checked(&reply[..]).unwrap().code(),
                Code::AccountingResponse
            );
        }
        assert_eq!(c.version(), Some(Version::V1_0));
    }
}
