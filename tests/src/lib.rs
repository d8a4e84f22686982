//! Support for nacwire's interop tests: starting FreeRADIUS on loopback and finding the
//! peers the test command installs. Not part of the library.

use std::io::{BufRead, BufReader, ErrorKind};
use std::net::{SocketAddr, UdpSocket};

use radius_codec::exchange::{Client, ClientEvent};
use radius_codec::{SharedSecret, Signature};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The shared secret of every test client.
pub const SECRET: &str = "testing123";

/// Finds a peer program on the PATH or in `/usr/sbin`. A missing peer is a test
/// failure: the README's test command installs FreeRADIUS. `NACWIRE_ALLOW_MISSING_PEERS=1`
/// turns it into a skip for local runs, and is refused when `CI=true`.
pub fn require_program(name: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .chain([PathBuf::from("/usr/sbin"), PathBuf::from("/usr/bin")])
        .map(|d| d.join(name))
        .find(|p| p.is_file());
    if found.is_some() {
        return found;
    }
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    let allow = std::env::var("NACWIRE_ALLOW_MISSING_PEERS").is_ok_and(|v| v == "1");
    assert!(
        allow && !ci,
        "`{name}` is not installed: run the README test command (scripts/test.sh), which installs \
         freeradius and freeradius-utils. (Set NACWIRE_ALLOW_MISSING_PEERS=1 to skip locally; never under CI.)"
    );
    eprintln!("SKIPPED: {name} missing and NACWIRE_ALLOW_MISSING_PEERS=1");
    None
}

pub mod radsec;

/// A free TCP port on 127.0.0.1 (bound and released).
pub fn free_tcp_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|s| s.local_addr())
        .map(|a| a.port())
        .unwrap_or(0)
}

/// A free UDP port on 127.0.0.1 (bound and released).
pub fn free_udp_port() -> u16 {
    UdpSocket::bind("127.0.0.1:0")
        .and_then(|s| s.local_addr())
        .map(|a| a.port())
        .unwrap_or(0)
}

/// A FreeRADIUS 3.2 server on loopback with a test configuration; killed on drop.
#[derive(Debug)]
pub struct FreeRadius {
    child: Child,
    dir: PathBuf,
    /// Authentication port.
    pub auth_port: u16,
    /// Accounting port.
    pub acct_port: u16,
    /// Status port (`type = status`: Status-Server with FreeRADIUS-Statistics-Type).
    pub status_port: u16,
    /// Dynamic-authorization port (`type = coa`: radiusd as the NAS, answering
    /// CoA-Request and Disconnect-Request with ACKs).
    pub coa_port: u16,
    /// RadSec port (auth+acct over TLS, secret `radsec`) when started with
    /// [`FreeRadius::start_tls`]; 0 otherwise.
    pub tls_port: u16,
}

/// FreeRADIUS' RadSec listener (as in its `sites-available/tls`), clients `radsec`.
const TLS_SITE: &str = r#"listen {
	ipaddr = 127.0.0.1
	port = TLS_PORT
	type = auth+acct
	proto = tcp
	virtual_server = default
	clients = radsec
	tls {
		private_key_file = DIR/server.key
		certificate_file = DIR/server.pem
		ca_file = DIR/ca.pem
		dh_file = ${certdir}/dh
		fragment_size = 8192
		cipher_list = "DEFAULT"
		tls_min_version = "1.2"
		tls_max_version = "MAX_VERSION"
		cache {
			enable = no
		}
		require_client_cert = yes
	}
}
clients radsec {
	client 127.0.0.1 {
		ipaddr = 127.0.0.1
		proto = tls
		secret = radsec
	}
}
"#;

const SITE: &str = r#"server default {
listen {
	type = auth
	ipaddr = 127.0.0.1
	port = AUTH_PORT
}
listen {
	type = acct
	ipaddr = 127.0.0.1
	port = ACCT_PORT
}
authorize {
	preprocess
	chap
	files
	eap {
		ok = return
	}
	pap
	Autz-Type Status-Server {
		ok
	}
}
authenticate {
	Auth-Type PAP {
		pap
	}
	Auth-Type CHAP {
		chap
	}
	eap
}
preacct {
	preprocess
	acct_unique
}
accounting {
	ok
}
post-auth {
	if (&User-Name == "signed") {
		update reply {
			&Message-Authenticator := 0x00
		}
	}
	ok
}
}
"#;

/// FreeRADIUS' statistics server (as in its sites-available/status).
const STATUS_SITE: &str = r#"server status {
listen {
	type = status
	ipaddr = 127.0.0.1
	port = STATUS_PORT
}
client admin {
	ipaddr = 127.0.0.1
	secret = SECRET
}
authorize {
	ok
	Autz-Type Status-Server {
		ok
	}
}
}
"#;

/// radiusd as a dynamic-authorization server (as in its sites-available/coa): every
/// CoA and Disconnect request is decoded, logged and acknowledged.
const COA_SITE: &str = r#"listen {
	type = coa
	ipaddr = 127.0.0.1
	port = COA_PORT
	virtual_server = coa
}
server coa {
	recv-coa {
		ok
	}
	send-coa {
		ok
	}
	recv-disconnect {
		ok
	}
	send-disconnect {
		ok
	}
}
"#;

/// `bob`, and `signed`, whose replies a post-auth rule signs with
/// Message-Authenticator (as an operator of a server before 3.2.5 may do).
const USERS: &str = r#"bob	Cleartext-Password := "hello"
	Reply-Message := "Hello, %{User-Name}",
	Session-Timeout := 3600

signed	Cleartext-Password := "hello"
	Reply-Message := "Signed, %{User-Name}"
"#;

impl FreeRadius {
    /// Copies the installed configuration (`/etc/freeradius/3.0`) to a temporary
    /// directory, installs a small site (PAP, CHAP, EAP-MD5, accounting,
    /// Status-Server), a client for 127.0.0.1 and the user `bob`/`hello`, starts
    /// `freeradius -f` and waits for "Ready to process requests".
    pub fn start(binary: &Path) -> std::io::Result<Self> {
        Self::start_inner(binary, None)
    }

    /// [`FreeRadius::start`] plus a RadSec listener on [`FreeRadius::tls_port`] with
    /// the certificates in `pki` (client certificates required) and TLS versions
    /// 1.2..=`max_version` (`"1.2"` or `"1.3"`). radiusd refuses TLS sockets when not
    /// threaded, so it runs with `-f -xx`, not `-X`.
    pub fn start_tls(binary: &Path, pki: &radsec::Pki, max_version: &str) -> std::io::Result<Self> {
        Self::start_inner(binary, Some((pki, max_version)))
    }

    fn start_inner(binary: &Path, tls: Option<(&radsec::Pki, &str)>) -> std::io::Result<Self> {
        // One directory per server: tests in one binary run in parallel.
        static SERVERS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = SERVERS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("nacwire-freeradius-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)?;
        let status = Command::new("cp")
            .arg("-rL")
            .arg("/etc/freeradius/3.0/.")
            .arg(&dir)
            .status()?;
        if !status.success() {
            return Err(std::io::Error::other("copying /etc/freeradius/3.0 failed"));
        }
        let (auth_port, acct_port, status_port, coa_port) =
            (free_udp_port(), free_udp_port(), free_udp_port(), free_udp_port());
        let site = SITE
            .replace("AUTH_PORT", &auth_port.to_string())
            .replace("ACCT_PORT", &acct_port.to_string());
        std::fs::write(dir.join("sites-enabled/default"), site)?;
        let status_site = STATUS_SITE
            .replace("STATUS_PORT", &status_port.to_string())
            .replace("SECRET", SECRET);
        std::fs::write(dir.join("sites-enabled/status"), status_site)?;
        std::fs::write(
            dir.join("sites-enabled/coa"),
            COA_SITE.replace("COA_PORT", &coa_port.to_string()),
        )?;
        std::fs::write(
            dir.join("clients.conf"),
            format!("client localhost {{\n\tipaddr = 127.0.0.1\n\tsecret = {SECRET}\n}}\n"),
        )?;
        std::fs::write(dir.join("mods-config/files/authorize"), USERS)?;
        let mut tls_port = 0;
        if let Some((pki, max_version)) = tls {
            tls_port = free_tcp_port();
            let site = TLS_SITE
                .replace("TLS_PORT", &tls_port.to_string())
                .replace("DIR", &pki.dir.display().to_string())
                .replace("MAX_VERSION", max_version);
            std::fs::write(dir.join("sites-enabled/tls"), site)?;
        }
        // The stock inner-tunnel site listens on the fixed port 18120: two servers on one
        // machine (tests in parallel, other checkouts) would collide there. Move it to a
        // free port; the eap module refers to the site by name, not by port.
        let inner = dir.join("sites-enabled/inner-tunnel");
        if let Ok(site) = std::fs::read_to_string(&inner) {
            let port = free_udp_port();
            std::fs::write(&inner, site.replace("port = 18120", &format!("port = {port}")))?;
        }
        // Run as the invoking user: the temporary copy is not readable by `freerad`.
        let conf = std::fs::read_to_string(dir.join("radiusd.conf"))?;
        let conf: String = conf
            .lines()
            .map(|l| {
                let t = l.trim_start();
                if t.starts_with("user = ") || t.starts_with("group = ") {
                    format!("#{l}\n")
                } else {
                    format!("{l}\n")
                }
            })
            .collect();
        std::fs::write(dir.join("radiusd.conf"), conf)?;
        let log = dir.join("radius.log");
        // radiusd's debug log goes through stdio, block-buffered on a pipe: `stdbuf -oL`
        // (coreutils) makes it line-buffered so the log is complete when a test reads it.
        let mut command = if Path::new("/usr/bin/stdbuf").is_file() {
            let mut c = Command::new("/usr/bin/stdbuf");
            c.arg("-oL").arg(binary);
            c
        } else {
            Command::new(binary)
        };
        let mut child = command
            .arg("-d")
            .arg(&dir)
            .arg("-f")
            .arg(if tls.is_some() { "-xx" } else { "-x" })
            .arg("-l")
            .arg("stdout")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| std::io::Error::other("no stdout"))?;
        let (tx, rx) = std::sync::mpsc::channel();
        let log_path = log.clone();
        std::thread::spawn(move || {
            let mut ready_sent = false;
            let mut all = String::new();
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                all.push_str(&line);
                all.push('\n');
                let _ = std::fs::write(&log_path, &all);
                if !ready_sent && line.contains("Ready to process requests") {
                    ready_sent = true;
                    let _ = tx.send(());
                }
            }
        });
        let server = Self {
            child,
            dir,
            auth_port,
            acct_port,
            status_port,
            coa_port,
            tls_port,
        };
        if rx.recv_timeout(Duration::from_secs(30)).is_err() {
            let log = std::fs::read_to_string(&log).unwrap_or_default();
            return Err(std::io::Error::other(format!(
                "freeradius did not become ready:\n{log}"
            )));
        }
        Ok(server)
    }

    /// The server's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("radius.log")).unwrap_or_default()
    }

    /// The log once it contains `needle` (or after five seconds, as it is).
    pub fn log_with(&self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let log = self.log();
            if log.contains(needle) || Instant::now() > deadline {
                return log;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for FreeRadius {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Sends one request through the sans-I/O [`Client`] over a real UDP socket and drives
/// it (retransmissions included) until a verified reply or a timeout.
pub fn exchange(
    sock: &UdpSocket,
    client: &mut Client<SocketAddr>,
    dest: SocketAddr,
    build: impl FnOnce(u8, &SharedSecret) -> radius_codec::Result<Vec<u8>>,
) -> Result<(Vec<u8>, Vec<u8>), String> {
    exchange_signed(sock, client, dest, build).map(|(req, reply, _)| (req, reply))
}

/// [`exchange`], also returning how the reply stood with respect to
/// Message-Authenticator.
pub fn exchange_signed(
    sock: &UdpSocket,
    client: &mut Client<SocketAddr>,
    dest: SocketAddr,
    build: impl FnOnce(u8, &SharedSecret) -> radius_codec::Result<Vec<u8>>,
) -> Result<(Vec<u8>, Vec<u8>, Signature), String> {
    let tx = client
        .send(&dest, Instant::now(), build)
        .map_err(|e| e.to_string())?;
    sock.send_to(&tx.bytes, dest).map_err(|e| e.to_string())?;
    let mut buf = vec![0u8; 4096];
    loop {
        let now = Instant::now();
        let wait = client
            .poll_timeout()
            .map_or(Duration::from_secs(1), |t| t.saturating_duration_since(now))
            .max(Duration::from_millis(1));
        sock.set_read_timeout(Some(wait)).map_err(|e| e.to_string())?;
        match sock.recv_from(&mut buf) {
            Ok((n, from)) => {
                let bytes = buf.get(..n).unwrap_or_default();
                match client.receive(&from, bytes, Instant::now()) {
                    Ok(ClientEvent::Reply {
                        request,
                        reply,
                        signature,
                        ..
                    }) => return Ok((request, reply, signature)),
                    Ok(_) => continue,
                    Err(e) => return Err(format!("reply failed verification: {e}")),
                }
            }
            // A signal (e.g. SIGCHLD from another test's child process) interrupts the
            // wait: wait again.
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                for ev in client.handle_timeout(Instant::now()) {
                    match ev {
                        ClientEvent::Retransmit(t) => {
                            sock.send_to(&t.bytes, t.dest).map_err(|e| e.to_string())?;
                        }
                        ClientEvent::TimedOut { .. } => return Err("no reply".into()),
                        _ => {}
                    }
                }
            }
            Err(e) => return Err(e.to_string()),
        }
    }
}

/// The README's Rust examples compile and run (they use every crate).
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
