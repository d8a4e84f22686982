//! rustls configurations for RadSec (RFC 6614) and RADIUS/1.1 (RFC 9765), with the
//! `ring` provider.
//!
//! RFC 6614 §2.3: both sides authenticate with certificates (mutual TLS). TLS-PSK is
//! not offered: rustls 0.23 has no external pre-shared keys.

use std::sync::Arc;

use radius_codec::radius11::{ALPN_RADIUS_1_0, ALPN_RADIUS_1_1};
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::{ClientConfig, RootCertStore, ServerConfig, SupportedProtocolVersion};

/// Which RADIUS versions a side accepts, signalled with ALPN: the "Version"
/// configuration of RFC 9765 §3.3 (FreeRADIUS: `radiusv1_1 = forbid|allow|require`).
///
/// Outcomes (RFC 9765 §3.3.2): a server with ALPN picks the highest version both
/// offer (rustls picks in the server's order, which lists 1.1 first); a client that
/// offered ALPN and gets a version it did not offer, or none while requiring 1.1,
/// closes; a server that offers protocols none of which the client offered sends the
/// TLS alert `no_application_protocol` (120) and closes; a server requiring 1.1 closes
/// a client that sent no ALPN.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Alpn {
    /// No ALPN extension (RFC 9765 "unset"): plain RFC 6614 RadSec, what FreeRADIUS 3.2
    /// and radsecproxy 1.9 speak. A server ignores the names a client sends.
    Off,
    /// Offer only `radius/1.0` (RFC 9765 "1.0"): historic RadSec, but signalling that
    /// ALPN is understood. A server answers a client offering only `radius/1.1` with
    /// the `no_application_protocol` alert.
    Forbid,
    /// Offer `radius/1.1` and `radius/1.0` (RFC 9765 "1.0, 1.1", preferring 1.1): the
    /// default RFC 9765 §3.3 requires of implementations supporting both. TLS session
    /// resumption is off in this mode (see [`client_config`]). Limited to TLS 1.2
    /// ([`TlsVersions::Tls12`]), only `radius/1.0` is offered: RADIUS/1.1 needs TLS 1.3.
    #[default]
    Allow,
    /// Offer only `radius/1.1` (RFC 9765 "1.1", TLS 1.3 only); anything else closes the
    /// connection.
    Require,
}

impl Alpn {
    /// The ALPN protocol list for this mode.
    #[must_use]
    pub fn protocols(self) -> Vec<Vec<u8>> {
        match self {
            Self::Off => Vec::new(),
            Self::Forbid => vec![ALPN_RADIUS_1_0.to_vec()],
            Self::Allow => vec![ALPN_RADIUS_1_1.to_vec(), ALPN_RADIUS_1_0.to_vec()],
            Self::Require => vec![ALPN_RADIUS_1_1.to_vec()],
        }
    }

    /// The ALPN list of a side limited to `versions`: without TLS 1.3, RADIUS/1.1
    /// cannot be used (RFC 9765 §3.4), so [`Alpn::Allow`] offers (or accepts) only
    /// `radius/1.0`; offering `radius/1.1` there made every handshake with a peer that
    /// allows it agree on `radius/1.1` over TLS 1.2, which both sides then close.
    fn protocols_for(self, versions: TlsVersions) -> Vec<Vec<u8>> {
        match (self, versions) {
            (Self::Allow, TlsVersions::Tls12) => Self::Forbid.protocols(),
            _ => self.protocols(),
        }
    }

    /// RFC 9765 §3.5: a session that negotiated `radius/1.1` must only be resumed as
    /// `radius/1.1`. rustls neither binds ALPN to a session ticket nor lets a client
    /// offer other names when resuming, so where both versions can be negotiated
    /// ([`Alpn::Allow`]) resumption is turned off; with [`Alpn::Require`] every
    /// handshake (resumed or not) is `radius/1.1` or fails, and with [`Alpn::Off`] and
    /// [`Alpn::Forbid`] it never is.
    const fn resumption_allowed(self) -> bool {
        !matches!(self, Self::Allow)
    }
}

/// TLS versions to allow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TlsVersions {
    /// TLS 1.2 and 1.3.
    Tls12And13,
    /// TLS 1.2 only.
    Tls12,
    /// TLS 1.3 only.
    Tls13,
}

impl TlsVersions {
    fn get(self, alpn: Alpn) -> &'static [&'static SupportedProtocolVersion] {
        static BOTH: &[&SupportedProtocolVersion] = &[&rustls::version::TLS13, &rustls::version::TLS12];
        static V12: &[&SupportedProtocolVersion] = &[&rustls::version::TLS12];
        static V13: &[&SupportedProtocolVersion] = &[&rustls::version::TLS13];
        // RFC 9765 §3.4: RADIUS/1.1 requires TLS 1.3. With `Allow` over TLS 1.2 a
        // negotiated `radius/1.1` closes the connection (`CloseReason::Alpn`).
        match (self, alpn) {
            (_, Alpn::Require) | (Self::Tls13, _) => V13,
            (Self::Tls12, _) => V12,
            (Self::Tls12And13, _) => BOTH,
        }
    }
}

/// A certificate chain and its private key (DER).
#[derive(Debug)]
pub struct Identity {
    /// The chain, leaf first.
    pub chain: Vec<CertificateDer<'static>>,
    /// The leaf's private key.
    pub key: PrivateKeyDer<'static>,
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// A client configuration: the server's certificate is checked against `roots`; the
/// client presents `identity` when given (RadSec servers normally require one). With
/// [`Alpn::Allow`] sessions are not resumed (RFC 9765 §3.5, see [`Alpn`]).
pub fn client_config(
    roots: RootCertStore,
    identity: Option<Identity>,
    alpn: Alpn,
    versions: TlsVersions,
) -> Result<Arc<ClientConfig>, rustls::Error> {
    let builder = ClientConfig::builder_with_provider(provider())
        .with_protocol_versions(versions.get(alpn))?
        .with_root_certificates(roots);
    let mut config = match identity {
        Some(id) => builder.with_client_auth_cert(id.chain, id.key)?,
        None => builder.with_no_client_auth(),
    };
    config.alpn_protocols = alpn.protocols_for(versions);
    if !alpn.resumption_allowed() {
        config.resumption = rustls::client::Resumption::disabled();
    }
    Ok(Arc::new(config))
}

/// A server configuration presenting `identity`; with `client_roots` every client must
/// present a certificate issued under them (RFC 6614 §2.3). With [`Alpn::Allow`] no
/// session is stored and no ticket issued (RFC 9765 §3.5, see [`Alpn`]).
pub fn server_config(
    identity: Identity,
    client_roots: Option<RootCertStore>,
    alpn: Alpn,
    versions: TlsVersions,
) -> Result<Arc<ServerConfig>, rustls::Error> {
    let builder =
        ServerConfig::builder_with_provider(provider()).with_protocol_versions(versions.get(alpn))?;
    let builder = match client_roots {
        Some(roots) => {
            let verifier =
                rustls::server::WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider())
                    .build()
                    .map_err(|e| rustls::Error::General(e.to_string()))?;
            builder.with_client_cert_verifier(verifier)
        }
        None => builder.with_no_client_auth(),
    };
    let mut config = builder.with_single_cert(identity.chain, identity.key)?;
    config.alpn_protocols = alpn.protocols_for(versions);
    if !alpn.resumption_allowed() {
        config.session_storage = Arc::new(rustls::server::NoServerSessionStorage {});
        config.send_tls13_tickets = 0;
    }
    Ok(Arc::new(config))
}
