//! Certificates and keys from PEM files (rustls-pki-types' `PemObject`).

use std::path::Path;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::RootCertStore;

use crate::Error;

pub use radius_stream::tls::Identity;

fn name(path: &Path) -> String {
    path.display().to_string()
}

/// Every certificate in a PEM file.
pub fn certs(path: impl AsRef<Path>) -> Result<Vec<CertificateDer<'static>>, Error> {
    let path = path.as_ref();
    CertificateDer::pem_file_iter(path)
        .and_then(Iterator::collect)
        .map_err(|source| Error::Pem {
            path: name(path),
            source,
        })
}

/// The private key in a PEM file (PKCS#8, PKCS#1 or SEC1).
pub fn key(path: impl AsRef<Path>) -> Result<PrivateKeyDer<'static>, Error> {
    let path = path.as_ref();
    PrivateKeyDer::from_pem_file(path).map_err(|source| Error::Pem {
        path: name(path),
        source,
    })
}

/// A certificate chain and its key.
pub fn identity(chain: impl AsRef<Path>, key_file: impl AsRef<Path>) -> Result<Identity, Error> {
    Ok(Identity {
        chain: certs(chain)?,
        key: key(key_file)?,
    })
}

/// Trust anchors from a PEM file of CA certificates.
pub fn roots(path: impl AsRef<Path>) -> Result<RootCertStore, Error> {
    let path = path.as_ref();
    let mut store = RootCertStore::empty();
    for cert in certs(path)? {
        store.add(cert).map_err(|source| Error::Anchor {
            path: name(path),
            source,
        })?;
    }
    Ok(store)
}
