//! Certificates and keys from PEM files (rustls-pki-types' `PemObject`).

use std::path::Path;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::RootCertStore;

pub use radius_stream::tls::Identity;

/// Why a PEM file could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PemError {
    /// The file could not be read or holds no usable PEM section.
    #[error("{path}: {source}")]
    Pem {
        /// The file.
        path: String,
        /// What was wrong.
        source: rustls::pki_types::pem::Error,
    },
    /// A certificate was refused as a trust anchor.
    #[error("{path}: {source}")]
    Anchor {
        /// The file.
        path: String,
        /// What was wrong.
        source: rustls::Error,
    },
}

fn name(path: &Path) -> String {
    path.display().to_string()
}

/// Every certificate in a PEM file.
pub fn certs(path: impl AsRef<Path>) -> Result<Vec<CertificateDer<'static>>, PemError> {
    let path = path.as_ref();
    CertificateDer::pem_file_iter(path)
        .and_then(Iterator::collect)
        .map_err(|source| PemError::Pem {
            path: name(path),
            source,
        })
}

/// The private key in a PEM file (PKCS#8, PKCS#1 or SEC1).
pub fn key(path: impl AsRef<Path>) -> Result<PrivateKeyDer<'static>, PemError> {
    let path = path.as_ref();
    PrivateKeyDer::from_pem_file(path).map_err(|source| PemError::Pem {
        path: name(path),
        source,
    })
}

/// A certificate chain and its key.
pub fn identity(chain: impl AsRef<Path>, key_file: impl AsRef<Path>) -> Result<Identity, PemError> {
    Ok(Identity {
        chain: certs(chain)?,
        key: key(key_file)?,
    })
}

/// Trust anchors from a PEM file of CA certificates.
pub fn roots(path: impl AsRef<Path>) -> Result<RootCertStore, PemError> {
    let path = path.as_ref();
    let mut store = RootCertStore::empty();
    for cert in certs(path)? {
        store.add(cert).map_err(|source| PemError::Anchor {
            path: name(path),
            source,
        })?;
    }
    Ok(store)
}
