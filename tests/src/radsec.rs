//! RadSec test support: certificates made at test time (rcgen; no key is committed),
//! radsecproxy on loopback, and the pyrad2 interpreter the test command installs.
// Test set-up: a certificate that cannot be made is a failed test.
#![allow(clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use nacwire_io::pem::Identity;
use radius_stream::tls::{client_config, server_config, Alpn, TlsVersions};
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::RootCertStore;

/// A test CA with a server certificate (`localhost`, `127.0.0.1`) and a client
/// certificate, as PEM files in a temporary directory (removed on drop) and as DER.
#[derive(Debug)]
pub struct Pki {
    /// The directory: `ca.pem`, `server.pem`, `server.key`, `client.pem`, `client.key`.
    pub dir: PathBuf,
    ca: CertificateDer<'static>,
    server: (CertificateDer<'static>, Vec<u8>),
    client: (CertificateDer<'static>, Vec<u8>),
}

fn leaf(issuer: &Issuer<'_, KeyPair>, cn: &str, sans: Vec<String>) -> (rcgen::Certificate, KeyPair) {
    let mut params = CertificateParams::new(sans).expect("params");
    params.distinguished_name.push(DnType::CommonName, cn);
    // Python 3.13's strict X.509 checks want the Authority Key Identifier.
    params.use_authority_key_identifier_extension = true;
    let key = KeyPair::generate().expect("key");
    let cert = params.signed_by(&key, issuer).expect("sign");
    (cert, key)
}

impl Pki {
    /// Makes a fresh CA, server and client certificate.
    pub fn new(name: &str) -> std::io::Result<Self> {
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("nacwire-pki-{name}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)?;
        let mut params = CertificateParams::new(Vec::<String>::new()).map_err(std::io::Error::other)?;
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![
            rcgen::KeyUsagePurpose::KeyCertSign,
            rcgen::KeyUsagePurpose::CrlSign,
            rcgen::KeyUsagePurpose::DigitalSignature,
        ];
        params
            .distinguished_name
            .push(DnType::CommonName, format!("nacwire test CA {name}"));
        let ca_key = KeyPair::generate().map_err(std::io::Error::other)?;
        let ca = params.self_signed(&ca_key).map_err(std::io::Error::other)?;
        let issuer = Issuer::new(params, ca_key);
        let (server, server_key) = leaf(&issuer, "localhost", vec!["localhost".into(), "127.0.0.1".into()]);
        let (client, client_key) = leaf(&issuer, "nacwire-client", vec!["nacwire-client".into()]);
        std::fs::write(dir.join("ca.pem"), ca.pem())?;
        std::fs::write(dir.join("server.pem"), server.pem())?;
        std::fs::write(dir.join("server.key"), server_key.serialize_pem())?;
        std::fs::write(dir.join("client.pem"), client.pem())?;
        std::fs::write(dir.join("client.key"), client_key.serialize_pem())?;
        Ok(Self {
            dir,
            ca: ca.der().clone(),
            server: (server.der().clone(), server_key.serialize_der()),
            client: (client.der().clone(), client_key.serialize_der()),
        })
    }

    /// A file in the directory.
    pub fn path(&self, file: &str) -> PathBuf {
        self.dir.join(file)
    }

    /// The CA as the only trust anchor.
    pub fn roots(&self) -> RootCertStore {
        let mut r = RootCertStore::empty();
        let _ = r.add(self.ca.clone());
        r
    }

    fn identity(pair: &(CertificateDer<'static>, Vec<u8>)) -> Identity {
        Identity {
            chain: vec![pair.0.clone()],
            key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(pair.1.clone())),
        }
    }

    /// A client configuration presenting the client certificate.
    pub fn client_config(&self, alpn: Alpn, versions: TlsVersions) -> Arc<rustls::ClientConfig> {
        client_config(self.roots(), Some(Self::identity(&self.client)), alpn, versions)
            .expect("client config")
    }

    /// A server configuration requiring client certificates from this CA.
    pub fn server_config(&self, alpn: Alpn, versions: TlsVersions) -> Arc<rustls::ServerConfig> {
        server_config(Self::identity(&self.server), Some(self.roots()), alpn, versions)
            .expect("server config")
    }
}

impl Drop for Pki {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A child process killed on drop, with its output collected in a file.
#[derive(Debug)]
pub struct Peer {
    child: Child,
    log: PathBuf,
    dir: Option<PathBuf>,
}

impl Peer {
    /// Starts `command` with stdout and stderr collected into `log`.
    pub fn spawn(mut command: Command, log: PathBuf, dir: Option<PathBuf>) -> std::io::Result<Self> {
        let mut child = command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn()?;
        for stream in [
            child
                .stdout
                .take()
                .map(|s| Box::new(s) as Box<dyn std::io::Read + Send>),
            child
                .stderr
                .take()
                .map(|s| Box::new(s) as Box<dyn std::io::Read + Send>),
        ]
        .into_iter()
        .flatten()
        {
            let log = log.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    if let Ok(mut f) = std::fs::OpenOptions::new().create(true).append(true).open(&log) {
                        let _ = std::io::Write::write_all(&mut f, format!("{line}\n").as_bytes());
                    }
                }
            });
        }
        Ok(Self { child, log, dir })
    }

    /// The output so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Waits until the output contains `needle` (up to `timeout`).
    pub fn wait_for(&self, needle: &str, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if self.log().contains(needle) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some(d) = &self.dir {
            let _ = std::fs::remove_dir_all(d);
        }
    }
}

/// Waits until a TCP port on 127.0.0.1 accepts connections.
pub fn wait_tcp(port: u16, timeout: Duration) -> bool {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

/// Starts radsecproxy in the foreground with `config` (its `-f -d 4`: debug log).
pub fn radsecproxy(binary: &Path, name: &str, config: &str) -> std::io::Result<Peer> {
    radsecproxy_logging(binary, name, config, 4)
}

/// [`radsecproxy`] with log level `level` (1 = errors only, for benchmarks).
pub fn radsecproxy_logging(binary: &Path, name: &str, config: &str, level: u8) -> std::io::Result<Peer> {
    let dir = std::env::temp_dir().join(format!("nacwire-radsecproxy-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let conf = dir.join("radsecproxy.conf");
    std::fs::write(&conf, config)?;
    let mut c = Command::new(binary);
    c.arg("-f").arg("-d").arg(level.to_string()).arg("-c").arg(&conf);
    c.arg("-i").arg(dir.join("pid"));
    Peer::spawn(c, dir.join("log"), Some(dir))
}

/// The Python interpreter of the venv holding pyrad2 (`NACWIRE_PYRAD2_PYTHON`, or
/// `target/pyrad2/bin/python` as scripts/test.sh makes it). A missing pyrad2 is a
/// failure like any missing peer (a skip only with `NACWIRE_ALLOW_MISSING_PEERS=1`,
/// never under `CI=true`).
pub fn require_pyrad2() -> Option<PathBuf> {
    let python = std::env::var_os("NACWIRE_PYRAD2_PYTHON").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/pyrad2/bin/python"),
        PathBuf::from,
    );
    let ok = python.is_file()
        && Command::new(&python)
            .arg("-c")
            .arg("import pyrad2.radsec.v11")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
    if ok {
        return Some(python);
    }
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    let allow = std::env::var("NACWIRE_ALLOW_MISSING_PEERS").is_ok_and(|v| v == "1");
    assert!(
        allow && !ci,
        "pyrad2 is not installed at {}: run scripts/test.sh, which makes the venv \
         (Python >= 3.12). (Set NACWIRE_ALLOW_MISSING_PEERS=1 to skip locally; never under CI.)",
        python.display()
    );
    eprintln!("SKIPPED: pyrad2 missing and NACWIRE_ALLOW_MISSING_PEERS=1");
    None
}
