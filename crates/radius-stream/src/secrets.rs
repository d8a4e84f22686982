//! Shared secrets keyed by peer address and transport (RFC 6613 §2.1).

use std::collections::HashMap;
use std::net::IpAddr;

use radius_codec::SharedSecret;

/// The shared secret of RADIUS over TLS when none is configured (RFC 6614 §2.3:
/// "radsec").
pub const DEFAULT_TLS_SECRET: &str = "radsec";

/// A transport a RADIUS peer is reached over. RFC 6613 §2.1: a secret is chosen by
/// source address *and* transport, so one host may use different secrets over UDP,
/// TCP and TLS.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Transport {
    /// RADIUS over UDP.
    Udp,
    /// RADIUS over TCP (RFC 6613).
    Tcp,
    /// RADIUS over TLS (RFC 6614).
    Tls,
}

/// Secrets by (peer address, transport). Over TLS a peer without an entry gets
/// [`DEFAULT_TLS_SECRET`]; over UDP and TCP it gets none (the request is refused).
#[derive(Debug, Default)]
pub struct Secrets {
    map: HashMap<(IpAddr, Transport), SharedSecret>,
}

impl Secrets {
    /// No secrets.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the secret of `peer` over `transport`.
    pub fn insert(&mut self, peer: IpAddr, transport: Transport, secret: SharedSecret) {
        self.map.insert((peer, transport), secret);
    }

    /// The secret of `peer` over `transport`: the configured one, or for TLS the
    /// default `radsec`.
    #[must_use]
    pub fn get(&self, peer: IpAddr, transport: Transport) -> Option<SharedSecret> {
        match self.map.get(&(peer, transport)) {
            Some(s) => Some(SharedSecret::from(s.expose())),
            None if transport == Transport::Tls => Some(SharedSecret::from(DEFAULT_TLS_SECRET)),
            None => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyed_by_peer_and_transport_with_tls_default() {
        let mut s = Secrets::new();
        let a: IpAddr = [127, 0, 0, 1].into();
        s.insert(a, Transport::Tcp, SharedSecret::from("tcp-secret"));
        assert_eq!(s.get(a, Transport::Tcp).unwrap().expose(), b"tcp-secret");
        assert!(s.get(a, Transport::Udp).is_none());
        // RFC 6614 §2.3: the default secret over TLS is "radsec".
        assert_eq!(s.get(a, Transport::Tls).unwrap().expose(), b"radsec");
    }
}
