//! What the CLI's test files share: running the binary, reading its output, a
//! `nacwire serve` on loopback, temporary files and captures written by hand.
#![allow(dead_code)] // (each test file uses its own part)

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Output, Stdio};

use nacwire_tests::{free_udp_port, SECRET};
use serde_json::Value;

pub fn nacwire() -> Command {
    Command::new(env!("CARGO_BIN_EXE_nacwire"))
}

pub fn run(args: &[&str]) -> Output {
    nacwire()
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run nacwire")
}

/// `nacwire ARGS` with `input` on stdin.
pub fn run_stdin(args: &[&str], input: impl AsRef<[u8]>) -> Output {
    let mut child = nacwire()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run nacwire");
    // The program may stop reading early (an error on the first line): ignore EPIPE.
    let _ = child.stdin.take().unwrap().write_all(input.as_ref());
    child.wait_with_output().expect("wait nacwire")
}

pub fn code(o: &Output) -> i32 {
    o.status.code().expect("exit code")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn json_lines(o: &Output) -> Vec<Value> {
    stdout(o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l}: {e}")))
        .collect()
}

/// `nacwire serve` on a free loopback port, started once it says "listening on";
/// killed on drop.
pub struct Serve {
    pub child: Child,
    pub port: u16,
    /// The address it said it listens on (`127.0.0.1:P`, `[::1]:P`).
    listening: String,
}

impl Serve {
    pub fn start(extra: &[&str]) -> Self {
        Self::start_on(&format!("127.0.0.1:{}", free_udp_port()), extra)
    }

    /// Listening on `listen` (port 0: a free one, read from what it prints).
    pub fn start_on(listen: &str, extra: &[&str]) -> Self {
        let mut child = nacwire()
            .args(["serve", SECRET, "-l", listen])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start nacwire serve");
        let mut err = BufReader::new(child.stderr.take().unwrap());
        let mut line = String::new();
        err.read_line(&mut line).unwrap();
        assert!(line.contains("listening on"), "{line}");
        std::thread::spawn(move || for _ in err.lines() {});
        let listening = line
            .split_whitespace()
            .find(|w| w.contains(':') && w.chars().next().is_some_and(|c| c.is_ascii_digit() || c == '['))
            .unwrap_or_else(|| panic!("no address in {line}"))
            .trim_end_matches([',', ')', '('])
            .to_string();
        let port = listening
            .rsplit_once(':')
            .and_then(|(_, p)| p.parse().ok())
            .unwrap_or_else(|| panic!("no port in {line}"));
        Self {
            child,
            port,
            listening,
        }
    }

    pub fn addr(&self) -> String {
        self.listening.clone()
    }

    /// Stops the server and returns what it printed.
    pub fn output(mut self) -> String {
        let _ = self.child.kill();
        self.printed()
    }

    /// Waits (at most 10 s) for the server to end by itself (`--exit-after`) and
    /// returns what it printed: killing it at once could lose what it had still to
    /// print about the last exchange.
    pub fn output_after_exit(mut self) -> String {
        let start = std::time::Instant::now();
        while self.child.try_wait().unwrap().is_none() && start.elapsed().as_secs() < 10 {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let _ = self.child.kill();
        self.printed()
    }

    fn printed(&mut self) -> String {
        let mut s = String::new();
        std::io::Read::read_to_string(self.child.stdout.as_mut().unwrap(), &mut s).unwrap();
        let _ = self.child.wait();
        s
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A file in the temporary directory, removed on drop.
pub struct TempFile(pub std::path::PathBuf);

impl TempFile {
    pub fn new(name: &str, contents: impl AsRef<[u8]>) -> Self {
        static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("nacwire-cli-{}-{n}-{name}", std::process::id()));
        std::fs::write(&path, contents).unwrap();
        Self(path)
    }

    pub fn s(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// An Ethernet/IPv4/UDP frame carrying `payload`.
pub fn udp_frame(src: ([u8; 4], u16), dst: ([u8; 4], u16), payload: &[u8]) -> Vec<u8> {
    let mut f = vec![0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x00];
    let total = (20 + 8 + payload.len()) as u16;
    f.extend_from_slice(&[0x45, 0, (total >> 8) as u8, total as u8, 0, 0, 0, 0, 64, 17, 0, 0]);
    f.extend_from_slice(&src.0);
    f.extend_from_slice(&dst.0);
    f.extend_from_slice(&src.1.to_be_bytes());
    f.extend_from_slice(&dst.1.to_be_bytes());
    f.extend_from_slice(&((8 + payload.len()) as u16).to_be_bytes());
    f.extend_from_slice(&[0, 0]);
    f.extend_from_slice(payload);
    f
}

/// A classic pcap file (Ethernet, microseconds) of `(time, frame)` pairs.
pub fn pcap(frames: &[(f64, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&0xa1b2_c3d4u32.to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&4u16.to_le_bytes());
    out.extend_from_slice(&[0; 8]);
    out.extend_from_slice(&65535u32.to_le_bytes());
    out.extend_from_slice(&1u32.to_le_bytes());
    for (t, f) in frames {
        out.extend_from_slice(&(*t as u32).to_le_bytes());
        out.extend_from_slice(&((t.fract() * 1e6).round() as u32).to_le_bytes());
        out.extend_from_slice(&(f.len() as u32).to_le_bytes());
        out.extend_from_slice(&(f.len() as u32).to_le_bytes());
        out.extend_from_slice(f);
    }
    out
}
