//! rustls configurations for RadSec (RFC 6614) and RADIUS/1.1 (RFC 9765), with the
//! `ring` provider.
//!
//! RFC 6614 §2.3: both sides authenticate with certificates (mutual TLS). TLS-PSK is
//! not offered: rustls 0.23 has no external pre-shared keys.

use std::sync::Arc;

use radius_codec::radius11::{ALPN_RADIUS_1_0, ALPN_RADIUS_1_1};
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::{ClientConfig, RootCertStore, ServerConfig, SupportedProtocolVersion};

/// Which RADIUS variants a side offers with ALPN (FreeRADIUS' `radiusv1_1 =
/// forbid|allow|require`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Alpn {
    /// No ALPN extension: plain RFC 6614 RadSec (what FreeRADIUS 3.2 and radsecproxy
    /// 1.9 speak).
    Off,
    /// Offer `radius/1.1` and `radius/1.0` (preferring 1.1).
    Allow,
    /// Offer only `radius/1.1` (TLS 1.3 only); anything else closes the connection.
    Require,
}

impl Alpn {
    /// The ALPN protocol list for this mode.
    #[must_use]
    pub fn protocols(self) -> Vec<Vec<u8>> {
        match self {
            Self::Off => Vec::new(),
            Self::Allow => vec![ALPN_RADIUS_1_1.to_vec(), ALPN_RADIUS_1_0.to_vec()],
            Self::Require => vec![ALPN_RADIUS_1_1.to_vec()],
        }
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
        // RFC 9765: RADIUS/1.1 only over TLS 1.3.
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
/// client presents `identity` when given (RadSec servers normally require one).
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
    config.alpn_protocols = alpn.protocols();
    Ok(Arc::new(config))
}

/// A server configuration presenting `identity`; with `client_roots` every client must
/// present a certificate issued under them (RFC 6614 §2.3).
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
    config.alpn_protocols = alpn.protocols();
    Ok(Arc::new(config))
}
