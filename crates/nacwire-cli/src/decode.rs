//! `nacwire decode`: radsniff without libpcap. Hex, a raw packet file, or a pcap/pcapng
//! capture (UDP on the RADIUS ports and TCP); verifies with the secret and says so when
//! it does not verify, instead of printing garbage.

use std::collections::HashMap;
use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};

use clap::Args;
use pcap_parser::{Linktype, PcapBlockOwned, PcapError};
use radius_codec::{AuthenticatorKind, Code, Packet, SharedSecret};
use serde_json::json;

use crate::common::{
    attributes, attributes_plain, dictionary, emit_json, exit, hiding_vector, packet_json, parse_hex,
    print_text, resolve_secret, CliResult, Failure,
};

/// The most octets `decode` reads of an input that is not a capture (hex text or a
/// raw packet, from stdin or a file, read whole; a capture is read as it arrives).
const MAX_STDIN: u64 = 1 << 30;

/// UDP ports decoded in captures (and TCP 1812/1813/2083 ... on either side).
const RADIUS_PORTS: [u16; 7] = [1812, 1813, 1645, 1646, 3799, 1700, 2083];

/// Arguments of `nacwire decode`.
#[derive(Debug, Args)]
pub(crate) struct DecodeArgs {
    /// Hex of one packet, or a file: a raw packet, or a pcap/pcapng capture (detected
    /// by its magic number); `-` reads the same from stdin: a capture is decoded as
    /// it arrives (`tcpdump -U -w - | nacwire decode -`), hex or a raw packet when
    /// stdin ends.
    input: String,
    /// The shared secret: verify authenticators and Message-Authenticator, reveal
    /// hidden values.
    #[arg(short = 's', long)]
    secret: Option<String>,
    /// Read the secret from the first line of this file.
    #[arg(long, value_name = "FILE")]
    secret_file: Option<PathBuf>,
    /// Read the secret from this environment variable.
    #[arg(long, value_name = "VAR")]
    secret_env: Option<String>,
    /// More UDP/TCP ports to decode in captures, besides the RADIUS ports
    /// (repeatable or a comma list, ranges as tcpdump's `portrange`: `--port
    /// 21812,21813`, `--port 18120-18130`; radsniff's `-f` filter).
    #[arg(long = "port", value_name = "PORT[,PORT]", allow_negative_numbers = true,
          value_delimiter = ',', value_parser = port_range)]
    ports: Vec<(u16, u16)>,
    /// radsniff's `-p PORT`: decode PORT and PORT+1 too (authentication and
    /// accounting; repeatable or a comma list).
    #[arg(short = 'p', value_name = "PORT[,PORT]", allow_negative_numbers = true,
          value_delimiter = ',', value_parser = crate::common::whole::<u16>(1, 65535))]
    radsniff_ports: Vec<u16>,
    /// A FreeRADIUS dictionary directory instead of the built-in dictionary.
    #[arg(short = 'D', long = "dict-dir", value_name = "DIR")]
    dict_dir: Option<PathBuf>,
    /// One JSON object per line per packet, then a summary;
    /// `attributes` maps each name to an array of its values, one string per occurrence.
    #[arg(long)]
    json: bool,
}

/// What `decode` reads: packets in hand, or a capture to read as it arrives.
enum Input {
    Packets(Vec<Found>),
    Capture(Box<dyn std::io::Read + Send>),
}

/// A RADIUS packet found in the input.
struct Found {
    bytes: Vec<u8>,
    time: Option<f64>,
    src: Option<SocketAddr>,
    dst: Option<SocketAddr>,
    transport: &'static str,
}

/// Where and when a packet (or a malformed one) was found, as its JSON event says:
/// its index, transport, time, source and destination (those the input has).
fn frame_json(m: &mut serde_json::Map<String, serde_json::Value>, index: usize, f: &Found) {
    m.insert("index".into(), json!(index));
    m.insert("transport".into(), json!(f.transport));
    if let Some(t) = f.time {
        m.insert("time".into(), json!(t));
    }
    if let Some(s) = f.src {
        m.insert("from".into(), json!(s.to_string()));
    }
    if let Some(d) = f.dst {
        m.insert("to".into(), json!(d.to_string()));
    }
}

#[derive(Clone, Copy)]
struct Sent {
    authenticator: [u8; 16],
    time: Option<f64>,
    index: usize,
    /// A reply was seen already: another one is a duplicate (the server answered a
    /// retransmission too).
    answered: bool,
}

pub(crate) fn run(args: DecodeArgs) -> CliResult<u8> {
    let dict = dictionary(args.dict_dir.as_deref())?;
    let secret = if args.secret.is_some() || args.secret_file.is_some() || args.secret_env.is_some() {
        Some(resolve_secret(
            args.secret.as_deref(),
            args.secret_file.as_deref(),
            args.secret_env.as_deref(),
        )?)
    } else {
        None
    };
    let path = Path::new(&args.input);
    // Port ranges, single ports as (P, P).
    let mut ports: Vec<(u16, u16)> = RADIUS_PORTS.iter().map(|&p| (p, p)).collect();
    ports.extend(&args.ports);
    // radsniff's filter for `-p P`: `udp port P or P+1 or 3799`.
    for p in &args.radsniff_ports {
        ports.push((*p, *p));
        ports.extend(p.checked_add(1).map(|q| (q, q)));
    }
    ports.sort_unstable();
    ports.dedup();
    // A capture is read as it arrives (from stdin: decoded while tcpdump writes);
    // hex or a raw packet is read whole.
    let origin = if args.input == "-" {
        "stdin".to_string()
    } else {
        args.input.clone()
    };
    let input = if args.input == "-" {
        // `Stdin`, not its lock: the capture reader wants a `Send` source.
        read_input(std::io::stdin(), "stdin")?
    } else if args.input.trim().is_empty() {
        return Err(Failure::usage(
            "the input is empty: give hex, a capture or raw packet file, or - for stdin",
        ));
    } else if path.is_file() {
        // A capture is streamed (not read whole into memory); a raw packet or hex text
        // (`--json`'s `hex` saved to a file) as from stdin.
        let file =
            std::fs::File::open(path).map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?;
        read_input(file, &path.display().to_string())?
    } else if let Some(bytes) = parse_hex(&args.input) {
        Input::Packets(vec![raw(bytes)])
    } else if path.exists() {
        return Err(Failure::usage(format!(
            "{}: not a regular file (give a capture, a raw packet file or hex)",
            args.input
        )));
    } else if args.input.contains(['/', '.']) {
        return Err(Failure::usage(format!("{}: no such file", args.input)));
    } else {
        return Err(Failure::usage(format!(
            "`{}` is neither hex nor a readable file",
            args.input
        )));
    };

    // Ctrl-C: stop after the packet in hand, print the summary so far, exit 130 (a
    // capture on stdin is checked when its next frame or its end arrives:
    // `tcpdump | nacwire decode -` ends both); a second Ctrl-C ends it at once.
    let interrupt = crate::interrupt::Interrupt::install(None);
    let mut d = Decoder {
        dict,
        secret: secret.as_ref(),
        json: args.json,
        flush: args.input == "-",
        out: std::io::BufWriter::new(std::io::stdout().lock()),
        pending: HashMap::new(),
        packets: 0,
        good: 0,
        bad: 0,
        malformed: 0,
        linked: 0,
        hinted: false,
    };
    // Frames read from a capture (`None`: not a capture).
    let mut frames = None;
    let truncated = match input {
        Input::Packets(found) => {
            for f in &found {
                if interrupt.is_set() {
                    break;
                }
                d.packet(f);
            }
            None
        }
        Input::Capture(reader) => {
            let stop = || interrupt.is_set();
            let (truncated, n) = read_capture(reader, &ports, &origin, &stop, &mut |f| d.packet(&f))?;
            frames = Some(n);
            truncated
        }
    };
    let Decoder {
        mut out,
        packets,
        good,
        bad,
        malformed,
        linked,
        ..
    } = d;
    if args.json {
        emit_json(
            &mut out,
            &json!({"event": "summary", "packets": packets, "malformed": malformed,
                    "verified": good, "failed_verification": bad, "linked_replies": linked,
                    "truncated": truncated.is_some(), "interrupted": interrupt.is_set()}),
        );
    }
    let _ = out.flush();
    if interrupt.is_set() {
        eprintln!(
            "nacwire: interrupted: {packets} packet(s) decoded, {malformed} malformed, {bad} did not verify"
        );
        return Ok(exit::INTERRUPTED);
    }
    if let Some(t) = truncated {
        return Err(Failure::usage(t));
    }
    if bad > 0 {
        eprintln!("nacwire: {bad} packet(s) did not verify with the secret given: wrong secret?");
        return Ok(exit::BAD_SECRET);
    }
    if malformed > 0 {
        eprintln!("nacwire: {}: {malformed} malformed packet(s)", args.input);
        return Ok(exit::USAGE);
    }
    if packets == 0 {
        // Nothing decoded is not a success: say where it looked and how to look further.
        let list: Vec<String> = ports
            .iter()
            .map(|&(lo, hi)| {
                if lo == hi {
                    lo.to_string()
                } else {
                    format!("{lo}-{hi}")
                }
            })
            .collect();
        let read = match frames {
            Some(1) => " (1 frame read)".to_string(),
            Some(n) => format!(" ({n} frames read)"),
            None => String::new(),
        };
        return Err(Failure::usage(format!(
            "{}: 0 RADIUS packets{read}: no RADIUS packet found on ports {} (another port: -p PORT, --port N or --port LOW-HIGH)",
            args.input,
            list.join(", ")
        )));
    }
    Ok(exit::OK)
}

/// Decodes packets one at a time as they are found (a capture on stdin is printed as
/// it arrives), linking replies to requests.
struct Decoder<'a> {
    dict: &'a radius_dict::Dictionary,
    secret: Option<&'a SharedSecret>,
    json: bool,
    /// Flush after each packet (stdin: print as the capture arrives).
    flush: bool,
    out: std::io::BufWriter<std::io::StdoutLock<'static>>,
    pending: HashMap<(Option<SocketAddr>, Option<SocketAddr>, u8), Sent>,
    packets: usize,
    good: u64,
    bad: u64,
    malformed: u64,
    linked: u64,
    /// The `-D` hint was printed ([`Decoder::hint_freeradius`]).
    hinted: bool,
}

impl Decoder<'_> {
    fn packet(&mut self, f: &Found) {
        self.packets += 1;
        let n = self.packets;
        let packet = match Packet::new_checked(&f.bytes[..]) {
            Ok(p) => p,
            Err(e) => {
                self.malformed += 1;
                // Where and when, as a packet's line says it.
                if self.json {
                    let mut m = serde_json::Map::new();
                    m.insert("event".into(), json!("malformed"));
                    frame_json(&mut m, n, f);
                    m.insert("length".into(), json!(f.bytes.len()));
                    m.insert("error".into(), json!(e.to_string()));
                    emit_json(&mut self.out, &serde_json::Value::Object(m));
                } else {
                    let mut line = format!("#{n} malformed RADIUS packet");
                    if let (Some(s), Some(d)) = (f.src, f.dst) {
                        line.push_str(&format!(" from {s} to {d} ({})", f.transport));
                    }
                    line.push_str(&format!(" ({} octets)", f.bytes.len()));
                    if let Some(t) = f.time {
                        line.push_str(&format!(" at {}", utc(t)));
                    }
                    let _ = writeln!(self.out, "{line}: {e}");
                }
                if self.flush {
                    let _ = self.out.flush();
                }
                return;
            }
        };
        let code = packet.code();
        let request = code.is_request();
        // Link replies to requests: (client, server, identifier). A request with the
        // key and the authenticator of one seen before is a retransmission (RFC 5080
        // §2.2.1): replies link to the first send, so latency counts from it.
        let mut retransmission_of = None;
        let mut duplicate_reply = false;
        let link = if request {
            let key = (f.src, f.dst, packet.identifier());
            match self.pending.get(&key) {
                Some(s) if s.authenticator == packet.authenticator() => retransmission_of = Some(s.index),
                _ => {
                    self.pending.insert(
                        key,
                        Sent {
                            authenticator: packet.authenticator(),
                            time: f.time,
                            index: n,
                            answered: false,
                        },
                    );
                }
            }
            None
        } else {
            self.pending
                .get_mut(&(f.dst, f.src, packet.identifier()))
                .map(|s| {
                    duplicate_reply = s.answered;
                    s.answered = true;
                    *s
                })
        };
        if link.is_some() {
            self.linked += 1;
        }
        let verdict = self
            .secret
            .as_ref()
            .map(|s| verify(&packet, s, link.map(|l| l.authenticator)));
        let reveal = match (&verdict, self.secret) {
            (Some(Verdict::Bad(_)), _) | (_, None) => None,
            (_, Some(s)) => {
                let vector = hiding_vector(&packet, link.map(|l| l.authenticator));
                if code.authenticator_kind() == AuthenticatorKind::Response && link.is_none() {
                    None
                } else {
                    Some((s, vector))
                }
            }
        };
        let mut verdict = verdict;
        // An Access-Request without Message-Authenticator: the padding of its
        // User-Password is the one sign left of a wrong secret (RFC 2865 §5.2 pads
        // with NULs; a wrong secret gives other octets after the first NUL).
        if let (Some(Verdict::Unverifiable(_)), Some(h)) = (&verdict, reveal) {
            if let Some(pw) = packet.first(radius_codec::AttrType::USER_PASSWORD) {
                use radius_codec::crypto::{reveal_user_password, PasswordPadding};
                match reveal_user_password(pw.value(), h.0, &h.1) {
                    Ok((_, PasswordPadding::NotNuls)) => {
                        verdict = Some(Verdict::Bad(
                            "User-Password is not padded with NULs: wrong secret?".into(),
                        ));
                    }
                    // No padding (the password fills its blocks, or a wrong secret left
                    // no NUL: 15 times in 16 for one block): text is what the right
                    // secret gives; random octets are not text.
                    Ok((clear, PasswordPadding::Absent))
                        if std::str::from_utf8(&clear).map_or(true, |s| s.chars().any(char::is_control)) =>
                    {
                        verdict = Some(Verdict::Bad(
                            "User-Password has no NUL padding and is not text: wrong secret?".into(),
                        ));
                    }
                    // Padded with NULs, or text: what the right secret gives.
                    _ => {}
                }
            }
        }
        let reveal = if matches!(verdict, Some(Verdict::Bad(_))) {
            None
        } else {
            reveal
        };
        match &verdict {
            Some(Verdict::Bad(_)) => self.bad += 1,
            Some(_) => self.good += 1,
            None => {}
        }
        let latency = match (link, f.time) {
            (Some(Sent { time: Some(t0), .. }), Some(t1)) => Some(t1 - t0),
            _ => None,
        };
        if self.json {
            let attrs = attributes_plain(self.dict, &packet, reveal);
            let mut m = packet_json("packet", &packet, &attrs);
            frame_json(&mut m, n, f);
            if let Some(l) = link {
                m.insert("reply_to".into(), json!(l.index));
            }
            if duplicate_reply {
                m.insert("duplicate_reply".into(), json!(true));
            }
            if let Some(first) = retransmission_of {
                m.insert("retransmission_of".into(), json!(first));
            }
            if let Some(l) = latency {
                m.insert("latency_ms".into(), json!((l * 1e6).round() / 1e3));
            }
            m.insert(
                "verified".into(),
                match &verdict {
                    None => json!(null),
                    Some(Verdict::Ok(what)) => json!({"ok": true, "checked": what}),
                    Some(Verdict::Unverifiable(why)) => json!({"ok": null, "why": why}),
                    Some(Verdict::Bad(why)) => json!({"ok": false, "why": why}),
                },
            );
            emit_json(&mut self.out, &serde_json::Value::Object(m));
        } else {
            let mut header = format!("#{n} {} Id {}", code, packet.identifier());
            if let (Some(s), Some(d)) = (f.src, f.dst) {
                header.push_str(&format!(" from {s} to {d} ({})", f.transport));
            }
            header.push_str(&format!(" length {}", packet.length()));
            if let Some(t) = f.time {
                header.push_str(&format!(" at {}", utc(t)));
            }
            if let Some(first) = retransmission_of {
                header.push_str(&format!(" retransmission of #{first}"));
            }
            if let Some(l) = link {
                let again = if duplicate_reply { "duplicate " } else { "" };
                header.push_str(&format!(" {again}reply to #{}", l.index));
            }
            if let Some(l) = latency {
                header.push_str(&format!(" after {:.3} ms", l * 1e3));
            }
            match &verdict {
                Some(Verdict::Ok(what)) => header.push_str(&format!(" [verified: {what}]")),
                Some(Verdict::Unverifiable(why)) => header.push_str(&format!(" [not verifiable: {why}]")),
                Some(Verdict::Bad(why)) => {
                    header.push_str(&format!(" [DOES NOT VERIFY: {why}; hidden values not shown]"));
                }
                None => {}
            }
            print_text(&mut self.out, &header, &attributes(self.dict, &packet, reveal));
        }
        if self.flush {
            let _ = self.out.flush();
        }
        if !self.hinted {
            self.hint_freeradius(&packet);
        }
    }

    /// Once per run, with the built-in dictionary only: when a vendor attribute was
    /// printed raw (`Attr-26.2011.1`) and the FreeRADIUS tree knows its vendor, one
    /// line on stderr saying `-D` would print it by name.
    fn hint_freeradius(&mut self, packet: &Packet<&[u8]>) {
        if !std::ptr::eq(self.dict, radius_dict::Dictionary::builtin()) {
            return;
        }
        // The structural walk only (no values decoded): vendor attributes that the
        // built-in dictionary does not define print raw.
        let raw_vendors: Vec<radius_codec::VendorId> = packet
            .addressed(self.dict)
            .map(|a| a.addr())
            .filter(|addr| addr.vendor().0 != 0 && self.dict.attr_by_addr(*addr).is_none())
            .map(|addr| addr.vendor())
            .collect();
        if raw_vendors.is_empty() {
            return;
        }
        let Some(tree) = crate::common::freeradius_tree() else {
            return;
        };
        if let Some(v) = raw_vendors.iter().find_map(|id| tree.vendor_by_id(*id)) {
            self.hinted = true;
            let dir = crate::common::FREERADIUS_DIR;
            eprintln!(
                "nacwire: attributes of vendor {} ({}) printed raw (Attr-26.{}.N): not in the built-in \
                 dictionary; {dir} defines them: add -D {dir}",
                v.name(),
                v.id().0,
                v.id().0
            );
        }
    }
}

/// A capture time (Unix seconds) as radsniff prints it, in UTC:
/// `2026-12-02 05:55:08.262106`.
fn utc(t: f64) -> String {
    // (up to the end of year 9999, the years ecp-sigv4's calendar writes)
    if !(t.is_finite() && (0.0..253_402_300_800.0).contains(&t)) {
        return format!("{t:.6}");
    }
    let micros = (t * 1e6).round() as u64;
    let (secs, frac) = (micros / 1_000_000, micros % 1_000_000);
    // `YYYYMMDDThhmmssZ`, from the one civil calendar of the workspace
    let amz = ecp_sigv4::AmzDate::from_unix(secs as i64).amz_bytes();
    let part = |a: usize, b: usize| {
        amz.get(a..b)
            .and_then(|d| std::str::from_utf8(d).ok())
            .unwrap_or("")
    };
    format!(
        "{}-{}-{} {}:{}:{}.{frac:06}",
        part(0, 4),
        part(4, 6),
        part(6, 8),
        part(9, 11),
        part(11, 13),
        part(13, 15)
    )
}

enum Verdict {
    Ok(&'static str),
    Unverifiable(String),
    Bad(String),
}

fn verify(p: &Packet<&[u8]>, secret: &SharedSecret, request_authenticator: Option<[u8; 16]>) -> Verdict {
    let has_ma = p.message_authenticator().is_some();
    match p.code().authenticator_kind() {
        AuthenticatorKind::RequestMd5 => match p.verify_request(secret) {
            Ok(_) => Verdict::Ok(if has_ma {
                "Request Authenticator, Message-Authenticator"
            } else {
                "Request Authenticator"
            }),
            Err(e) => Verdict::Bad(e.to_string()),
        },
        AuthenticatorKind::Random if has_ma => match p.verify_message_authenticator(secret, None) {
            Ok(_) => Verdict::Ok("Message-Authenticator"),
            Err(e) => Verdict::Bad(e.to_string()),
        },
        AuthenticatorKind::Random => Verdict::Unverifiable("no Message-Authenticator".into()),
        AuthenticatorKind::Response => match request_authenticator {
            None => Verdict::Unverifiable("its request is not in the input".into()),
            Some(ra) => match verify_reply_with(p, ra, secret) {
                Ok(true) => Verdict::Ok("Response Authenticator, Message-Authenticator"),
                Ok(false) => Verdict::Ok("Response Authenticator"),
                Err(e) => Verdict::Bad(e.to_string()),
            },
        },
        _ => Verdict::Unverifiable("unknown code".into()),
    }
}

/// Verifies a reply given only its request's authenticator: a minimal request (same
/// Identifier, the code the reply answers, that authenticator) stands in for it.
fn verify_reply_with(p: &Packet<&[u8]>, ra: [u8; 16], secret: &SharedSecret) -> radius_codec::Result<bool> {
    let req_code = match p.code() {
        Code::AccountingResponse => Code::AccountingRequest,
        Code::CoaAck | Code::CoaNak => Code::CoaRequest,
        Code::DisconnectAck | Code::DisconnectNak => Code::DisconnectRequest,
        _ => Code::AccessRequest,
    };
    let mut req = vec![req_code.get(), p.identifier(), 0, 20];
    req.extend_from_slice(&ra);
    // Proxy-State in the reply must have been in the request: copy them.
    let mut attrs = Vec::new();
    for ps in p.all(radius_codec::AttrType::PROXY_STATE) {
        attrs.push(33u8);
        attrs.push((ps.value().len() + 2) as u8);
        attrs.extend_from_slice(ps.value());
    }
    req.extend_from_slice(&attrs);
    let len = (req.len() as u16).to_be_bytes();
    if let Some(l) = req.get_mut(2..4) {
        l.copy_from_slice(&len);
    }
    let request = Packet::new_checked(&req[..])?;
    p.verify_reply(&request, secret)
}

fn raw(bytes: Vec<u8>) -> Found {
    Found {
        bytes,
        time: None,
        src: None,
        dst: None,
        transport: "raw",
    }
}

/// The start of stdin: its first 4 octets, and when they are a capture's magic number
/// the whole file header (pcap: 24 octets; pcapng: the Section Header Block, at most
/// 64 KiB), which the capture reader wants in its first read.
/// A clap value parser for `--port`: `PORT` or `LOW-HIGH` (tcpdump's `portrange`),
/// each 1..=65535, LOW at most HIGH.
fn port_range(text: &str) -> Result<(u16, u16), String> {
    let port = crate::common::whole::<u16>(1, 65535);
    let bad = |e: String| format!("{e}, or a range LOW-HIGH (18120-18130)");
    match text.trim().split_once('-') {
        // `-5`: a negative number, not a range.
        Some((lo, hi)) if !lo.trim().is_empty() => {
            let (lo, hi) = (port(lo).map_err(bad)?, port(hi).map_err(bad)?);
            if lo > hi {
                return Err(format!("the range {lo}-{hi} is backwards: give LOW-HIGH"));
            }
            Ok((lo, hi))
        }
        _ => port(text).map(|p| (p, p)).map_err(bad),
    }
}

/// What `src` holds: a capture (read as it arrives), else, read whole (at most
/// [`MAX_STDIN`] octets), hex text or a raw packet; nothing but blanks is an error.
fn read_input(mut src: impl std::io::Read + Send + 'static, origin: &str) -> CliResult<Input> {
    let magic = capture_head(&mut src).map_err(|e| Failure::usage(format!("{origin}: {e}")))?;
    if is_capture(&magic) {
        return Ok(Input::Capture(Box::new(std::io::Read::chain(
            std::io::Cursor::new(magic),
            src,
        ))));
    }
    let mut data = magic;
    std::io::Read::read_to_end(&mut std::io::Read::take(src, MAX_STDIN + 1), &mut data)
        .map_err(|e| Failure::usage(format!("{origin}: {e}")))?;
    if data.len() as u64 > MAX_STDIN {
        return Err(Failure::usage(format!(
            "{origin}: larger than {MAX_STDIN} octets"
        )));
    }
    if data.iter().all(u8::is_ascii_whitespace) {
        return Err(Failure::usage(format!(
            "{origin}: empty (give a capture, a raw packet or hex)"
        )));
    }
    Ok(match std::str::from_utf8(&data).ok().and_then(parse_hex) {
        Some(bytes) => Input::Packets(vec![raw(bytes)]),
        None => Input::Packets(vec![raw(data)]),
    })
}

fn capture_head(input: &mut impl std::io::Read) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut head = Vec::with_capacity(64);
    input.by_ref().take(4).read_to_end(&mut head)?;
    if !is_capture(&head) {
        return Ok(head);
    }
    let want = if head == [0x0a, 0x0d, 0x0d, 0x0a] {
        // Block length, then the byte-order magic 0x1A2B3C4D.
        input.by_ref().take(8).read_to_end(&mut head)?;
        match (
            head.get(4..8).and_then(|l| <[u8; 4]>::try_from(l).ok()),
            head.get(8..12),
        ) {
            (Some(len), Some([0x4d, 0x3c, 0x2b, 0x1a])) => u32::from_le_bytes(len),
            (Some(len), Some(_)) => u32::from_be_bytes(len),
            _ => return Ok(head),
        }
        .min(65536) as usize
    } else {
        24
    };
    let more = want.saturating_sub(head.len()) as u64;
    input.by_ref().take(more).read_to_end(&mut head)?;
    Ok(head)
}

fn is_capture(data: &[u8]) -> bool {
    matches!(
        data.get(..4),
        Some(
            [0xa1, 0xb2, 0xc3, 0xd4]
                | [0xd4, 0xc3, 0xb2, 0xa1]
                | [0xa1, 0xb2, 0x3c, 0x4d]
                | [0x4d, 0x3c, 0xb2, 0xa1]
                | [0x0a, 0x0d, 0x0d, 0x0a]
        )
    )
}

/// What a capture reader's error means, in words.
fn capture_error<I>(e: &PcapError<I>) -> &'static str {
    match e {
        PcapError::Eof | PcapError::UnexpectedEof | PcapError::Incomplete(_) => "truncated",
        PcapError::HeaderNotRecognized => "unknown file header",
        PcapError::BufferTooSmall => "a block larger than 64 KiB",
        _ => "malformed block",
    }
}

/// Reads every RADIUS packet of a capture as it arrives, handing each to `each`;
/// returns where the capture was cut, if it was, and the number of frames read. Stops
/// early once `stop` says so (Ctrl-C).
fn read_capture(
    data: impl std::io::Read + Send,
    ports: &[(u16, u16)],
    name: &str,
    stop: &dyn Fn() -> bool,
    each: &mut dyn FnMut(Found),
) -> CliResult<(Option<String>, usize)> {
    let mut reader = pcap_parser::create_reader(65536, data).map_err(|e| {
        Failure::usage(format!(
            "{name}: not a pcap or pcapng capture ({})",
            capture_error(&e)
        ))
    })?;
    let mut found = Vec::new();
    let mut linktypes: Vec<(Linktype, u64)> = Vec::new();
    let mut legacy = (Linktype::ETHERNET, 1_000_000u64);
    let mut streams: HashMap<(SocketAddr, SocketAddr), Vec<u8>> = HashMap::new();
    let mut frames = 0usize;
    loop {
        if stop() {
            break;
        }
        match reader.next() {
            Ok((offset, block)) => {
                let frame = match block {
                    PcapBlockOwned::LegacyHeader(h) => {
                        let res = if h.magic_number == 0xa1b2_3c4d {
                            1_000_000_000
                        } else {
                            1_000_000
                        };
                        legacy = (h.network, res);
                        None
                    }
                    PcapBlockOwned::Legacy(b) => Some((
                        legacy.0,
                        f64::from(b.ts_sec) + f64::from(b.ts_usec) / legacy.1 as f64,
                        b.data.get(..b.caplen as usize).unwrap_or(b.data).to_vec(),
                    )),
                    PcapBlockOwned::NG(pcap_parser::Block::InterfaceDescription(idb)) => {
                        linktypes.push((idb.linktype, idb.ts_resolution().unwrap_or(1_000_000)));
                        None
                    }
                    PcapBlockOwned::NG(pcap_parser::Block::EnhancedPacket(epb)) => {
                        let (lt, res) = linktypes
                            .get(epb.if_id as usize)
                            .copied()
                            .unwrap_or((Linktype::ETHERNET, 1_000_000));
                        Some((
                            lt,
                            epb.decode_ts_f64(0, res),
                            epb.data.get(..epb.caplen as usize).unwrap_or(epb.data).to_vec(),
                        ))
                    }
                    PcapBlockOwned::NG(pcap_parser::Block::SimplePacket(spb)) => {
                        let lt = linktypes.first().map_or(Linktype::ETHERNET, |l| l.0);
                        Some((lt, 0.0, spb.data.to_vec()))
                    }
                    PcapBlockOwned::NG(_) => None,
                };
                reader.consume(offset);
                if let Some((lt, t, bytes)) = frame {
                    frames += 1;
                    extract(lt, t, &bytes, ports, &mut streams, &mut found);
                    for f in found.drain(..) {
                        each(f);
                    }
                }
            }
            Err(PcapError::Eof) => break,
            Err(PcapError::Incomplete(_)) => {
                if reader.reader_exhausted() {
                    return Ok((
                        Some(format!("{name}: capture truncated after frame {frames}")),
                        frames,
                    ));
                }
                reader
                    .refill()
                    .map_err(|e| Failure::usage(format!("{name}: {e:?}")))?;
            }
            Err(PcapError::UnexpectedEof) => {
                return Ok((
                    Some(format!("{name}: capture truncated after frame {frames}")),
                    frames,
                ));
            }
            Err(e) => {
                return Ok((
                    Some(format!(
                        "{name}: bad capture after frame {frames} ({})",
                        capture_error(&e)
                    )),
                    frames,
                ));
            }
        }
    }
    Ok((None, frames))
}

/// Link layer -> IP -> UDP/TCP -> RADIUS.
fn extract(
    lt: Linktype,
    time: f64,
    frame: &[u8],
    ports: &[(u16, u16)],
    streams: &mut HashMap<(SocketAddr, SocketAddr), Vec<u8>>,
    out: &mut Vec<Found>,
) {
    let ip = match lt {
        Linktype::ETHERNET => {
            let mut off = 12;
            let mut ethertype = be16(frame, off);
            while ethertype == Some(0x8100) || ethertype == Some(0x88a8) {
                off += 4;
                ethertype = be16(frame, off);
            }
            frame.get(off + 2..)
        }
        Linktype::NULL | Linktype::LOOP => frame.get(4..),
        Linktype::LINUX_SLL => frame.get(16..),
        Linktype::LINUX_SLL2 => frame.get(20..),
        Linktype::RAW | Linktype::IPV4 | Linktype::IPV6 => Some(frame),
        _ => None,
    };
    let Some(ip) = ip else { return };
    let (src, dst, proto, payload) = match ip.first().map(|b| b >> 4) {
        Some(4) => {
            let ihl = usize::from(ip.first().map_or(0, |b| b & 0x0f)) * 4;
            let total = be16(ip, 2).map_or(ip.len(), usize::from).min(ip.len());
            let (Some(s), Some(d)) = (ip.get(12..16), ip.get(16..20)) else {
                return;
            };
            let s = IpAddr::from(<[u8; 4]>::try_from(s).unwrap_or_default());
            let d = IpAddr::from(<[u8; 4]>::try_from(d).unwrap_or_default());
            (s, d, ip.get(9).copied(), ip.get(ihl..total))
        }
        Some(6) => {
            let (Some(s), Some(d)) = (ip.get(8..24), ip.get(24..40)) else {
                return;
            };
            let s = IpAddr::from(<[u8; 16]>::try_from(s).unwrap_or_default());
            let d = IpAddr::from(<[u8; 16]>::try_from(d).unwrap_or_default());
            (s, d, ip.get(6).copied(), ip.get(40..))
        }
        _ => return,
    };
    let Some(l4) = payload else { return };
    let (Some(sp), Some(dp)) = (be16(l4, 0), be16(l4, 2)) else {
        return;
    };
    let watched = |p: u16| ports.iter().any(|&(lo, hi)| (lo..=hi).contains(&p));
    if !watched(sp) && !watched(dp) {
        return;
    }
    let (s, d) = (SocketAddr::new(src, sp), SocketAddr::new(dst, dp));
    match proto {
        Some(17) => {
            let len = be16(l4, 4).map_or(l4.len(), usize::from).min(l4.len());
            if let Some(body) = l4.get(8..len) {
                out.push(Found {
                    bytes: body.to_vec(),
                    time: Some(time),
                    src: Some(s),
                    dst: Some(d),
                    transport: "udp",
                });
            }
        }
        Some(6) => {
            let hl = usize::from(l4.get(12).map_or(0, |b| b >> 4)) * 4;
            let Some(body) = l4.get(hl..) else { return };
            if body.is_empty() {
                return;
            }
            // Segments in capture order (no reordering): RADIUS frames by their Length.
            let buf = streams.entry((s, d)).or_default();
            buf.extend_from_slice(body);
            while let Some(len) = be16(buf, 2).map(usize::from) {
                if len < 20 || buf.len() < len {
                    if len < 20 {
                        buf.clear();
                    }
                    break;
                }
                let pkt: Vec<u8> = buf.drain(..len).collect();
                out.push(Found {
                    bytes: pkt,
                    time: Some(time),
                    src: Some(s),
                    dst: Some(d),
                    transport: "tcp",
                });
            }
        }
        _ => {}
    }
}

fn be16(b: &[u8], at: usize) -> Option<u16> {
    b.get(at..at + 2)
        .map(|x| u16::from_be_bytes([x.first().copied().unwrap_or(0), x.get(1).copied().unwrap_or(0)]))
}

#[cfg(test)]
mod tests {
    use super::utc;

    /// Against Python's `datetime.fromtimestamp(t, timezone.utc)`: leap days, a
    /// century, the epoch, microseconds.
    #[test]
    fn capture_times_in_utc() {
        assert_eq!(utc(1_796_192_496.306_452), "2026-12-02 06:21:36.306452");
        assert_eq!(utc(0.0), "1970-01-01 00:00:00.000000");
        assert_eq!(utc(951_782_400.5), "2000-02-29 00:00:00.500000");
        assert_eq!(utc(4_102_444_800.0), "2100-01-01 00:00:00.000000");
        assert_eq!(utc(1_709_164_800.0), "2024-02-29 00:00:00.000000");
        assert_eq!(utc(-1.0), "-1.000000");
    }
}
