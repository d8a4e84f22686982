//! `nacwire send --transport tcp|tls`: the same packets over nacwire-io's
//! `StreamClient` (RFC 6613 TCP, RFC 6614 TLS, RADIUS/1.1 by ALPN).

use std::collections::HashMap;
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use nacwire_io::radius_stream::tls::{client_config, Alpn, TlsVersions};
use nacwire_io::radius_stream::{CloseReason, LostReason, Settings, Version};
use nacwire_io::stream::{Completion, Connector, StreamClient};
use nacwire_io::Error;
use radius_codec::{AttrType, Code, Packet, PacketBuilder, SharedSecret};
use radius_dict::Dictionary;
use serde_json::json;

use crate::common::{
    attributes, attributes_plain, emit_json, exit, hiding_vector, ms, packet_json, print_text, CliResult,
    Failure,
};

/// The options of `send` that the stream transports use.
#[derive(Debug)]
pub(crate) struct StreamArgs {
    /// Set by Ctrl-C: stop, print the partial summary, exit 130.
    pub(crate) interrupt: crate::interrupt::Interrupt,
    pub(crate) tls: bool,
    pub(crate) ca: Option<PathBuf>,
    pub(crate) cert: Option<PathBuf>,
    pub(crate) key: Option<PathBuf>,
    /// --server-name; otherwise each destination's host.
    pub(crate) server_name: Option<String>,
    pub(crate) radius11: Alpn,
    pub(crate) timeout: Duration,
    pub(crate) count: u64,
    pub(crate) concurrency: usize,
    pub(crate) json: bool,
    pub(crate) quiet: bool,
    pub(crate) summary: bool,
    /// The file each packet was read from, by packet index: the files are sent side
    /// by side ([`Lanes`](crate::send::Lanes)).
    pub(crate) files: Vec<String>,
    /// Where each packet was read (`-F`), by packet index; empty without `-F`.
    pub(crate) origins: Vec<(String, usize)>,
    /// `-F` lines are not printed (`-q`).
    pub(crate) quiet_filenames: bool,
    /// Why the packets cannot go over RADIUS/1.1 (a hidden attribute other than
    /// User-Password), if they cannot: an error once a connection agrees on 1.1.
    pub(crate) radius11_refusal: Option<String>,
    /// Replies to Access-Request and Status-Server over RADIUS/1.0 must carry
    /// Message-Authenticator (`-b`, `--require-message-authenticator yes`); one
    /// without is dropped and its request lost.
    pub(crate) require_message_authenticator: bool,
}

/// The longest wait for a completion before the Ctrl-C flag is checked again.
const TICK: Duration = Duration::from_millis(250);

/// The TLS server name of a `HOST[:PORT]` as given: the host without port or brackets.
fn host_name(host: &str) -> String {
    if host.parse::<std::net::Ipv6Addr>().is_ok() {
        return host.to_string();
    }
    host.rsplit_once(':')
        .map_or(host, |(h, _)| h)
        .trim_matches(['[', ']'])
        .to_string()
}

/// Why a request over a stream got no reply, in words (the stream crate's, but for the
/// timeout given, the server named as such, and the flag ALPN failures need).
fn describe(reason: &LostReason, timeout: Duration) -> String {
    match reason {
        LostReason::TimedOut => format!("no reply within {:.3} s", timeout.as_secs_f64()),
        LostReason::Closed(c) => match c {
            CloseReason::PeerClosed => "the server closed the connection".to_string(),
            CloseReason::PeerClosedMidPacket { buffered } => {
                format!("the server closed the connection {buffered} octets into a packet")
            }
            CloseReason::Alpn => "RADIUS/1.1 was not agreed by ALPN (see --radius11)".to_string(),
            CloseReason::Local | CloseReason::Tls(_) => c.to_string(),
            other => format!("{other}: connection closed"),
        },
        other => other.to_string(),
    }
}

/// A TLS failure in words, with the flag that usually fixes it.
fn tls_hint(e: &rustls::Error) -> String {
    let hint = match e {
        rustls::Error::AlertReceived(rustls::AlertDescription::CertificateRequired)
        | rustls::Error::AlertReceived(rustls::AlertDescription::HandshakeFailure) => {
            " (the server wants a client certificate: --cert and --key)"
        }
        rustls::Error::AlertReceived(
            rustls::AlertDescription::UnknownCA
            | rustls::AlertDescription::BadCertificate
            | rustls::AlertDescription::CertificateUnknown,
        ) => " (the server does not accept the client certificate: --cert, --key)",
        rustls::Error::InvalidCertificate(_) => " (check --ca and --server-name)",
        _ => "",
    };
    format!("TLS: {e}{hint}")
}

/// Builds packet `usize` with an Identifier, for a connection of this variant.
type BuildFn<'a> = dyn Fn(usize, u8, Version, &SharedSecret) -> radius_codec::Result<PacketBuilder> + 'a;

/// Why the reply to packet `usize` fails its `-f FILE:FILTER` filter (its code or its
/// attributes), if it does: the whole message after `nacwire: `.
pub(crate) type FilterFn<'a> = dyn Fn(usize, &Packet<&[u8]>) -> Option<String> + 'a;

/// Consecutive packets for one server: its address, the host name as given (the TLS
/// server name unless --server-name) and the packets' indices.
#[derive(Debug)]
pub(crate) struct Run {
    pub(crate) addr: SocketAddr,
    pub(crate) host: String,
    pub(crate) packets: std::ops::Range<usize>,
}

/// Sends each run's packets (`count` times each) over one connection per destination,
/// run after run in order; a destination named by several runs keeps its connection.
pub(crate) fn run(
    a: &StreamArgs,
    runs: &[Run],
    secret: SharedSecret,
    dict: &Dictionary,
    templates: &[(Code, Option<Code>)],
    build: &BuildFn<'_>,
    filter: &FilterFn<'_>,
) -> CliResult<u8> {
    let config = if a.tls {
        let ca =
            a.ca.as_ref()
                .ok_or_else(|| Failure::usage("--transport tls needs --ca (the server's CA, PEM)"))?;
        let roots =
            nacwire_io::pem::roots(ca).map_err(|e| Failure::usage(format!("{}: {e}", ca.display())))?;
        let identity = match (&a.cert, &a.key) {
            (Some(c), Some(k)) => Some(
                nacwire_io::pem::identity(c, k)
                    .map_err(|e| Failure::usage(format!("{}: {e}", c.display())))?,
            ),
            _ => None,
        };
        Some(
            client_config(roots, identity, a.radius11, TlsVersions::Tls12And13)
                .map_err(|e| Failure::usage(format!("TLS configuration: {e}")))?,
        )
    } else {
        None
    };
    // One client per destination, opened when its first run starts.
    let mut clients: Vec<(SocketAddr, StreamClient)> = Vec::new();
    // A copy of the secret to show hidden values of what is printed.
    let shown = SharedSecret::new(secret.expose().to_vec());
    let transport = if a.tls { "tls" } else { "tcp" };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let (mut sent, mut accepted, mut rejected, mut lost) = (0u64, 0u64, 0u64, 0u64);
    let mut failed_filter = 0u64;
    // Requests in flight when Ctrl-C stopped the run (abandoned, not lost).
    let mut in_flight = 0u64;
    let mut lat = Vec::new();
    let mut bad_replies = 0u64;
    // Of those, the ones that failed the authenticator or Message-Authenticator check.
    let mut bad_secret = 0u64;
    let mut unsigned_dropped = 0u64;
    let mut tls_failure: Option<(SocketAddr, String)> = None;
    let mut peer_closed = false;
    // The servers that left requests unanswered, for the closing hint.
    let mut silent: Vec<SocketAddr> = Vec::new();
    let start = Instant::now();
    'runs: for run in runs {
        let server = run.addr;
        let client = match clients.iter().position(|(addr, _)| *addr == server) {
            Some(i) => clients.get_mut(i),
            None => {
                let connector = match &config {
                    Some(config) => {
                        let name = a.server_name.clone().unwrap_or_else(|| host_name(&run.host));
                        Connector::tls(config.clone(), &name)
                            .map_err(|e| Failure::usage(format!("{name}: {e}")))?
                    }
                    None => Connector::Tcp,
                };
                let settings =
                    Settings::new(SharedSecret::new(secret.expose().to_vec())).request_timeout(a.timeout);
                let client = StreamClient::new(server, connector, settings)
                    .with_connect_timeout(a.timeout)
                    .with_cancel(a.interrupt.flag());
                clients.push((server, client));
                clients.last_mut()
            }
        };
        let Some((_, client)) = client else { continue };
        let total = (run.packets.len() as u64).saturating_mul(a.count);
        let mut lanes = crate::send::Lanes::new(
            a.files
                .get(run.packets.clone())
                .unwrap_or_default()
                .iter()
                .map(String::as_str),
            a.count,
        );
        let lost_before = lost;
        let mut sent_here = 0u64;
        // Each request's packet, when it was sent, its Request Authenticator (to show
        // hidden values) and its lane.
        let mut inflight: HashMap<_, (usize, Instant, Option<[u8; 16]>, usize)> = HashMap::new();
        let mut down = false;
        while sent_here < total || !inflight.is_empty() {
            if a.interrupt.is_set() {
                in_flight += inflight.len() as u64;
                break 'runs;
            }
            while let Some((lane, i)) = lanes
                .next(a.concurrency)
                .filter(|_| !down && !a.interrupt.is_set())
            {
                let idx = run.packets.start + i;
                // The request as the connection finishes it (RADIUS/1.0: the same bytes from
                // a copy of the builder), to print it as UDP does; RADIUS/1.1 requests are
                // finished with a Token only the connection knows: printed with their reply.
                let mut copy: Option<Vec<u8>> = None;
                let sent_at = match client.connect() {
                    Ok(Version::V1_1) if a.radius11_refusal.is_some() => {
                        let why = a.radius11_refusal.as_deref().unwrap_or_default();
                        return Err(Failure::usage(format!("{server} ({transport}): {why}")));
                    }
                    Ok(_) => client.send(|id, version, s| {
                        let b = build(idx, id, version, s)?;
                        if !a.quiet && version == Version::V1_0 {
                            copy = b.clone().for_tcp().finish(s).ok();
                        }
                        Ok(b)
                    }),
                    Err(e) => Err(e),
                };
                match sent_at {
                    Ok(h) => {
                        let ra = copy.as_deref().map(|c| Packet::new_unchecked(c).authenticator());
                        if let Some(c) = &copy {
                            let req = Packet::new_unchecked(&c[..]);
                            let hiding = Some((&shown, hiding_vector(&req, None)));
                            if a.json {
                                let mut m = packet_json("sent", &req, &attributes_plain(dict, &req, hiding));
                                m.insert("to".into(), json!(server.to_string()));
                                m.insert("transport".into(), json!(transport));
                                emit_json(&mut out, &serde_json::Value::Object(m));
                            } else {
                                print_text(
                                    &mut out,
                                    &format!(
                                        "Sent {} Id {} to {server} ({transport}) length {}",
                                        req.code(),
                                        req.identifier(),
                                        req.length()
                                    ),
                                    &attributes(dict, &req, hiding),
                                );
                            }
                        }
                        inflight.insert(h, (idx, Instant::now(), ra, lane));
                        lanes.started(lane);
                        sent_here += 1;
                        sent += 1;
                    }
                    // TLS refused (certificate, ALPN): a configuration error.
                    Err(Error::Closed(CloseReason::Tls(e))) => {
                        return Err(Failure::usage(format!(
                            "{server} ({transport}): {}",
                            tls_hint(&e)
                        )));
                    }
                    Err(Error::Closed(CloseReason::Alpn)) => {
                        return Err(Failure::usage(format!(
                            "{server} ({transport}): RADIUS/1.1 was not agreed by ALPN (see --radius11)"
                        )));
                    }
                    // Ctrl-C during the connect, the handshake or a blocked write: the
                    // loop stops and the summary says interrupted.
                    Err(Error::Io(e))
                        if e.kind() == std::io::ErrorKind::Interrupted && a.interrupt.is_set() =>
                    {
                        break;
                    }
                    Err(e @ (Error::Io(_) | Error::Timeout | Error::Backoff(_) | Error::Closed(_))) => {
                        // The server is not there (refused, unreachable, closed): what was
                        // not answered is lost, as over UDP.
                        eprintln!("nacwire: {server} ({transport}): cannot connect: {e}");
                        down = true;
                    }
                    // Every identifier of the connection is in flight (-p past 256):
                    // the request waits for a reply to free one, as radclient's do.
                    Err(Error::Stream(nacwire_io::radius_stream::Error::IdentifiersExhausted))
                        if !inflight.is_empty() =>
                    {
                        break
                    }
                    Err(e) => return Err(Failure::usage(format!("{server} ({transport}): {e}"))),
                }
            }
            if down {
                // Not sent at all, or in flight on the connection that failed.
                lost += total - sent_here + inflight.len() as u64;
                inflight.clear();
                break;
            }
            // Wait for the next completion in ticks of at most TICK, so that Ctrl-C is
            // seen; the connection reports each request lost after --timeout, so a wait
            // past --timeout + 1 s with nothing is a failure, as before.
            let give_up = Instant::now() + a.timeout + Duration::from_secs(1);
            let next = loop {
                if a.interrupt.is_set() {
                    break None;
                }
                let now = Instant::now();
                match client.next_completion(give_up.saturating_duration_since(now).min(TICK)) {
                    Err(Error::Timeout) if Instant::now() < give_up => {}
                    // A signal interrupted a read: back to the flag, not an error.
                    Err(Error::Io(e))
                        if e.kind() == std::io::ErrorKind::Interrupted && Instant::now() < give_up => {}
                    other => break Some(other),
                }
            };
            let Some(next) = next else {
                continue;
            };
            let c = match next {
                Ok(c) => c,
                Err(e) => {
                    // The connection failed: everything in flight is lost.
                    lost += inflight.len() as u64;
                    for (_, (_, _, _, lane)) in inflight.drain() {
                        lanes.ended(lane);
                    }
                    eprintln!("nacwire: {server} ({transport}): {e}");
                    if sent_here >= total {
                        break;
                    }
                    continue;
                }
            };
            match c {
                Completion::Reply {
                    handle,
                    request,
                    reply,
                } => {
                    let Some((idx, t0, ra, lane)) = inflight.remove(&handle) else {
                        continue;
                    };
                    lanes.ended(lane);
                    if ra.is_none() && !a.quiet {
                        // RADIUS/1.1: no hidden values (RFC 9765 §5.1), nothing to reveal.
                        let req = Packet::new_unchecked(&request[..]);
                        if a.json {
                            let mut m = packet_json("sent", &req, &attributes_plain(dict, &req, None));
                            m.insert("to".into(), json!(server.to_string()));
                            m.insert("transport".into(), json!(transport));
                            m.insert("radius11".into(), json!(true));
                            emit_json(&mut out, &serde_json::Value::Object(m));
                        } else {
                            print_text(
                                &mut out,
                                &format!(
                                    "Sent {} Token {} to {server} ({transport}, RADIUS/1.1) length {}",
                                    req.code(),
                                    crate::common::hex(req.authenticator().get(..4).unwrap_or_default()),
                                    req.length()
                                ),
                                &attributes(dict, &req, None),
                            );
                        }
                    }
                    let reveal = ra.map(|ra| (&shown, ra));
                    let elapsed = t0.elapsed();
                    let rep = Packet::new_unchecked(&reply[..]);
                    let (req_code, expect) =
                        templates.get(idx).copied().unwrap_or((Code::AccessRequest, None));
                    if a.require_message_authenticator
                        && client.version() == Some(Version::V1_0)
                        && matches!(req_code, Code::AccessRequest | Code::StatusServer)
                        && rep.first(AttrType::MESSAGE_AUTHENTICATOR).is_none()
                    {
                        // As over UDP with the requirement: the server answered (the
                        // connection verified the reply), unsigned; refused, said so.
                        unsigned_dropped += 1;
                        let why = format!(
                            "{} Id {} from {server} ({transport}) refused: no Message-Authenticator \
                             (required by -b / --require-message-authenticator yes)",
                            rep.code(),
                            rep.identifier()
                        );
                        if !a.quiet && a.json {
                            emit_json(
                                &mut out,
                                &json!({"event": "refused", "code": rep.code().to_string(), "id": rep.identifier(),
                                        "request": req_code.to_string(), "from": server.to_string(),
                                        "transport": transport, "elapsed_ms": ms(elapsed),
                                        "reason": "no Message-Authenticator"}),
                            );
                        }
                        if !a.quiet {
                            eprintln!("nacwire: {why}");
                        }
                        continue;
                    }
                    lat.push(elapsed);
                    let mut ok = crate::send::is_success(req_code, rep.code(), expect);
                    // radclient's `-f FILE:FILTER`: a wrong code or attributes are a
                    // filter failure, counted apart from rejections.
                    if let Some(why) = filter(idx, &rep) {
                        ok = false;
                        failed_filter += 1;
                        eprintln!("nacwire: {why}");
                    } else if ok {
                        accepted += 1;
                    } else {
                        rejected += 1;
                    }
                    let origin = a.origins.get(idx);
                    if let Some(o) = origin.filter(|_| !a.json && !a.quiet_filenames) {
                        let _ = writeln!(out, "{}", crate::send::origin_line(o, rep.code()));
                    }
                    if !a.quiet {
                        if a.json {
                            let mut m = packet_json("received", &rep, &attributes_plain(dict, &rep, reveal));
                            m.insert("from".into(), json!(server.to_string()));
                            m.insert("transport".into(), json!(transport));
                            m.insert("elapsed_ms".into(), json!(ms(elapsed)));
                            m.insert("expected".into(), json!(ok));
                            if let Some((file, n)) = origin {
                                m.insert("file".into(), json!(file));
                                m.insert("packet".into(), json!(n));
                            }
                            emit_json(&mut out, &serde_json::Value::Object(m));
                        } else {
                            print_text(
                                &mut out,
                                &format!(
                                    "Received {} Id {} from {server} ({transport}) length {} ({:.3} ms)",
                                    rep.code(),
                                    rep.identifier(),
                                    rep.length(),
                                    ms(elapsed)
                                ),
                                &attributes(dict, &rep, reveal),
                            );
                        }
                    }
                }
                Completion::Lost {
                    handle,
                    reason,
                    request,
                } => {
                    let idx = inflight.remove(&handle).map(|(idx, _, _, lane)| {
                        lanes.ended(lane);
                        idx
                    });
                    lost += 1;
                    match &reason {
                        LostReason::Closed(CloseReason::BadPacket(e)) => {
                            if bad_replies == 0 {
                                eprintln!("nacwire: reply from {server} ({transport}) dropped: {e}");
                            }
                            bad_replies += 1;
                            if matches!(
                                e,
                                radius_codec::Error::BadResponseAuthenticator
                                    | radius_codec::Error::BadMessageAuthenticator
                            ) {
                                bad_secret += 1;
                            }
                        }
                        LostReason::Closed(CloseReason::Tls(e)) if tls_failure.is_none() => {
                            tls_failure = Some((server, tls_hint(e)));
                        }
                        LostReason::Closed(
                            CloseReason::PeerClosed | CloseReason::PeerClosedMidPacket { .. },
                        ) => {
                            peer_closed = true;
                        }
                        _ => {}
                    }
                    let why = describe(&reason, a.timeout);
                    let req = Packet::new_unchecked(&request[..]);
                    if !a.quiet && a.json {
                        let mut lost = json!({"event": "lost", "code": req.code().to_string(),
                            "id": req.identifier(), "to": server.to_string(), "transport": transport,
                            "reason": why});
                        // -F: which packet of which file, as on a received event.
                        if let (Some(o), Some(m)) = (idx.and_then(|i| a.origins.get(i)), lost.as_object_mut())
                        {
                            m.insert("file".into(), json!(o.0));
                            m.insert("packet".into(), json!(o.1));
                        }
                        emit_json(&mut out, &lost);
                    } else if !a.quiet {
                        let _ = writeln!(
                            out,
                            "No reply to {} Id {} from {server} ({transport}): {why}",
                            req.code(),
                            req.identifier()
                        );
                    }
                }
                _ => {}
            }
        }
        if lost > lost_before && !silent.contains(&server) {
            silent.push(server);
        }
    }
    lat.sort_unstable();
    let wall = start.elapsed().as_secs_f64().max(1e-9);
    // `None` (JSON null, text `-`) without any reply.
    let p = |q: f64| {
        lat.get(((q / 100.0) * lat.len() as f64).ceil().max(1.0) as usize - 1)
            .copied()
            .map(ms)
    };
    let text = |v: Option<f64>| v.map_or_else(|| "-".to_string(), |v| format!("{v:.3} ms"));
    let interrupted = a.interrupt.is_set();
    if a.json {
        emit_json(
            &mut out,
            &json!({"event": "summary", "transport": transport, "sent": sent, "accepted": accepted,
                    "rejected": rejected, "lost": lost, "interrupted": interrupted, "in_flight": in_flight,
                    "failed_filter": failed_filter, "invalid_replies": bad_replies + unsigned_dropped,
                    "latency_ms": {"p50": p(50.0), "p90": p(90.0), "p99": p(99.0), "max": lat.last().copied().map(ms)},
                    "seconds": wall, "rate": sent as f64 / wall}),
        );
    } else if a.summary || interrupted {
        let (mark, abandoned) = if interrupted {
            ("interrupted: ", format!(" in flight {in_flight}"))
        } else {
            ("", String::new())
        };
        let _ = writeln!(
            out,
            "{mark}sent {sent} accepted {accepted} rejected {rejected} lost {lost}{abandoned}{} | {} | {:.0} requests/s ({transport})",
            if failed_filter > 0 { format!(" failed_filter {failed_filter}") } else { String::new() },
            if lat.is_empty() {
                "latency -".to_string()
            } else {
                format!("latency p50 {} p99 {}", text(p(50.0)), text(p(99.0)))
            },
            sent as f64 / wall
        );
    }
    let _ = out.flush();
    if interrupted {
        return Ok(exit::INTERRUPTED);
    }
    if let Some((server, why)) = tls_failure {
        // The connection opened but TLS failed after (TLS 1.3 reports a refused client
        // certificate with the first data): a configuration error, as a bad CA is.
        return Err(Failure::usage(format!("{server} ({transport}): {why}")));
    }
    let server = silent
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    if unsigned_dropped > 0 && lost == 0 && bad_replies == 0 {
        eprintln!(
            "nacwire: {unsigned_dropped} reply(ies) refused: no Message-Authenticator \
             (required by -b / --require-message-authenticator yes); the server does not sign its replies"
        );
        return Ok(exit::LOST);
    }
    if bad_replies > 0 && bad_secret > 0 {
        eprintln!(
            "nacwire: {lost} request(s) lost, {bad_secret} reply(ies) failed the authenticator or \
             Message-Authenticator check: check the secret"
        );
        return Ok(exit::BAD_SECRET);
    }
    if bad_replies > 0 {
        eprintln!("nacwire: {lost} request(s) lost, {bad_replies} reply(ies) refused (the reason above)");
        return Ok(exit::BAD_SECRET);
    }
    if lost > 0 && !a.json && peer_closed && a.tls && a.cert.is_none() {
        // OpenSSL servers (radiusd) close without an alert when a client certificate
        // they require is missing.
        eprintln!(
            "nacwire: {lost} request(s) got no reply: {server} ({transport}) closed the connection; \
             does it require a client certificate (--cert, --key)?"
        );
    } else if lost > 0 && !a.json {
        eprintln!(
            "nacwire: {lost} request(s) got no reply from {server} ({transport}) (is it up, is the port right, is the secret right?)"
        );
    }
    Ok(if lost > 0 {
        exit::LOST
    } else if rejected > 0 || failed_filter > 0 {
        exit::REJECTED
    } else {
        exit::OK
    })
}
