//! `nacwire send`: radclient and radtest, with fractional timers, JSON, load options.

use std::io::{IsTerminal, Write};
use std::net::{SocketAddr, ToSocketAddrs};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::{Args, ValueEnum};
use nacwire_io::udp::{DropReason, Event, Token, UdpClient, UdpClientOptions};
use radius_codec::{Code, Packet, PacketBuilder, Requirement, SharedSecret};
use radius_dict::{Dictionary, Hiding};
use serde_json::json;

use crate::common::{
    add_resolved, add_resolved_radius11, attributes, attributes_plain, dictionary_with_site, emit_json, exit,
    hiding_vector, ms, packet_json, parse_hex, parse_item, parse_packets, print_text, rate_arg, read_text,
    read_text_file, resolve_item, resolve_secret, seconds_arg, unquote, whole, CliResult, Failure, Item,
    ResolvedItem, ABSENT, MAX_TEXT_INPUT, PRESENT,
};

/// Arguments of `nacwire send`.
#[derive(Debug, Args)]
pub(crate) struct SendArgs {
    /// Packet type: auth, acct, status, coa, disconnect, auto (each packet's
    /// `Packet-Type`), or a code number. radclient's order, `SERVER KIND SECRET`, works
    /// too.
    kind: String,
    /// Server (or NAS) address, `HOST[:PORT]`; the port defaults to 1812 (auth,
    /// status), 1813 (acct) or 3799 (coa, disconnect).
    server: String,
    /// The shared secret (unless --secret-file or --secret-env), then attributes as
    /// `Name=value` (values in FreeRADIUS syntax: `User-Name="bob"`, `Tunnel-Type:1=VLAN`;
    /// raw attributes as `decode` prints them, sent as the octets given: `Attr-27=0x000001`).
    #[arg(value_name = "SECRET] [Name=value")]
    rest: Vec<String>,
    /// Read packets from a radclient-format file (`-` for stdin): `Name = value` items
    /// separated by commas or newlines (`:=`, `+=`, `==` too; quoted values; `#`
    /// comments), a blank line between packets; `Packet-Type`, `Packet-Dst-IP-Address`,
    /// `Packet-Dst-Port`, `Response-Packet-Type`, `Cleartext-Password`,
    /// `CHAP-Password = cleartext` and `Message-Authenticator !* ANY` are understood, and
    /// raw attributes (`Attr-26.9999.1 = 0x61`), so `decode`'s text can be sent back.
    /// With no attributes and no file, packets are read from stdin when it is not a
    /// terminal (as radclient does); only `status` is sent without attributes. Each
    /// packet goes to its `Packet-Dst-*` (or its type's port when SERVER has none), in
    /// order (over tcp/tls one connection per destination); several files for one
    /// destination are sent side by side, as radclient does (see -p). `FILE:FILTER`
    /// (radclient) checks each reply against the filter packet at the same place: the
    /// code (`Response-Packet-Type`, else the usual answer), and the attributes when
    /// the filter has any: exactly those, no more (Message-Authenticator aside, and
    /// `Message-Authenticator =* ANY` read as radclient filters write it). A
    /// failure is one line on stderr in radclient's words (`(0) FILE: Expected
    /// Access-Accept got Access-Reject`, `(0) FILE: Response for failed filter:
    /// Attribute "X" not found in filter`), counted as `failed_filter`, exit 1.
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    files: Vec<PathBuf>,
    /// A FreeRADIUS dictionary directory (or file) instead of the built-in dictionary.
    #[arg(short = 'D', long = "dict-dir", value_name = "DIR")]
    dict_dir: Option<PathBuf>,
    /// A site dictionary directory (radclient's `-d`, e.g. /etc/freeradius/3.0): its
    /// `dictionary` file is loaded on top of the built-in dictionary (or of -D's tree);
    /// a missing file is an error. Without -d no site dictionary is read.
    #[arg(short = 'd', long = "raddb", value_name = "RADDB")]
    raddb: Option<PathBuf>,
    /// Resolve the server (and each Packet-Dst-IP-Address) to an IPv4 address only;
    /// a host without one is a usage error (exit 3).
    #[arg(short = '4', long = "ipv4", conflicts_with = "ipv6")]
    ipv4: bool,
    /// Resolve the server (and each Packet-Dst-IP-Address) to an IPv6 address only;
    /// a host without one is a usage error (exit 3).
    #[arg(short = '6', long = "ipv6")]
    ipv6: bool,
    /// Print `(N) FILE response code C` for each reply (radclient's `-F`): N is the
    /// packet's number in its file from 0, FILE the `-f` file (`-` for stdin,
    /// `arguments` for attributes given as arguments), C the reply's code. Printed
    /// unless -q (radclient 3.2 needs -x too), in load mode as well; with --json,
    /// `file` and `packet` are added to each printed reply (and `lost` event) instead.
    #[arg(short = 'F', long = "print-filename")]
    print_filename: bool,
    /// Read the secret from the first line of this file (radclient's `-S`).
    #[arg(short = 'S', long, value_name = "FILE")]
    secret_file: Option<PathBuf>,
    /// Read the secret from this environment variable.
    #[arg(long, value_name = "VAR")]
    secret_env: Option<String>,
    /// Send the password (User-Password or Cleartext-Password) as CHAP-Password.
    #[arg(long)]
    chap: bool,
    /// Retransmissions after the first send.
    #[arg(short = 'r', long, default_value_t = 3, allow_negative_numbers = true,
          value_parser = whole::<u32>(0, u64::MAX))]
    retries: u32,
    /// Seconds to wait for a reply before each retransmission (fractions allowed).
    /// Each wait is exactly this, as radclient's (no RFC 5080 jitter): `-t 1 -r 0`
    /// gives up after 1 s, `-t 1 -r 3` resends at 1, 2 and 3 s and gives up at 4 s.
    #[arg(short = 't', long, default_value_t = 3.0, allow_negative_numbers = true,
          value_parser = seconds_arg)]
    timeout: f64,
    /// Do not send Message-Authenticator (on by default in Access-Request,
    /// Status-Server, CoA-Request and Disconnect-Request).
    #[arg(long, conflicts_with = "bad_message_authenticator")]
    no_message_authenticator: bool,
    /// Send a Message-Authenticator with a wrong value (to test servers). In
    /// Accounting/CoA/Disconnect requests the Request Authenticator is then wrong too.
    #[arg(long)]
    bad_message_authenticator: bool,
    /// Whether replies to Access-Request/Status-Server must carry
    /// Message-Authenticator: auto (once the server has shown it signs), yes, no.
    /// Over TCP and TLS (RADIUS/1.0) `yes` is checked, `auto` is `no`; RADIUS/1.1 has
    /// no Message-Authenticator.
    #[arg(long, value_enum, default_value_t = Require::Auto)]
    require_message_authenticator: Require,
    /// Require Message-Authenticator in replies (radclient 3.2.5+'s `-b`, BlastRADIUS):
    /// the same as `--require-message-authenticator yes`. A reply without one is
    /// refused: the request ends there (the server answered; no more retries), it is
    /// said so on stderr and counted as an invalid reply, exit 2.
    #[arg(short = 'b', conflicts_with = "require_message_authenticator")]
    blast_radius: bool,
    /// The Identifier of the first request (then the next ones in order); random by
    /// default, as radclient's.
    #[arg(long, value_name = "0-255", allow_negative_numbers = true, value_parser = whole::<u8>(0, 255))]
    id: Option<u8>,
    /// The Request Authenticator of Access-Request/Status-Server, 32 hex digits
    /// (random by default). Other requests' is computed from the packet and the
    /// secret: for them it is not used, and a warning says so.
    #[arg(long, value_name = "HEX")]
    authenticator: Option<String>,
    /// One JSON object per line for each packet sent and received, then a summary;
    /// `attributes` maps each name to an array of its values, one string per occurrence.
    #[arg(long)]
    json: bool,
    /// Print no packets, only errors and the summary.
    #[arg(short = 'q', long)]
    quiet: bool,
    /// Print every packet even in load mode (`-x`, as radclient's debug flag, is the
    /// same).
    #[arg(short = 'v', long, short_alias = 'x')]
    verbose: bool,
    /// Print a summary (always printed with --count > 1 or --rate). Ctrl-C stops the
    /// run and prints the summary so far, marked `interrupted:` (`"interrupted": true`
    /// with --json), requests still in flight counted apart from lost ones; exit 130.
    /// A second Ctrl-C ends it at once.
    #[arg(short = 's', long)]
    summary: bool,
    /// Send each packet this many times.
    #[arg(short = 'c', long, default_value_t = 1, allow_negative_numbers = true,
          value_parser = whole::<u64>(1, u64::MAX))]
    count: u64,
    /// Requests per second, open loop: requests start on a fixed schedule whether or
    /// not earlier ones were answered.
    #[arg(short = 'n', long, allow_negative_numbers = true, value_parser = rate_arg)]
    rate: Option<f64>,
    /// Requests in flight at most, per file (a new one starts as soon as one ends; past
    /// 256 the requests are spread over several source ports; over TCP or TLS past 256
    /// a request waits for a free identifier of its connection). Default 1, or unlimited
    /// with --rate. Several -f files are sent side by side, each with up to this many
    /// in flight (radclient's `-p`: "N packets from each file in parallel").
    #[arg(short = 'p', long, allow_negative_numbers = true, value_parser = whole::<usize>(1, u64::MAX))]
    concurrency: Option<usize>,
    /// Transport: udp (default), tcp or tls (RadSec; port 2083 by default, and the
    /// secret `radsec` unless one is given). `-P tcp|udp` as radclient.
    #[arg(short = 'P', long, value_enum, default_value_t = Transport::Udp)]
    transport: Transport,
    /// TLS: the CA certificates (PEM) that sign the server's certificate.
    #[arg(long, value_name = "PEM")]
    ca: Option<PathBuf>,
    /// TLS: the client certificate chain (PEM).
    #[arg(long, value_name = "PEM", requires = "key")]
    cert: Option<PathBuf>,
    /// TLS: the client private key (PEM).
    #[arg(long, value_name = "PEM", requires = "cert")]
    key: Option<PathBuf>,
    /// TLS: the name the server's certificate must carry (default: the server's host).
    #[arg(long)]
    server_name: Option<String>,
    /// TLS: RADIUS/1.1 (RFC 9765) by ALPN: allow (offer 1.1 and 1.0, the RFC's
    /// default), require (1.1 only), forbid (offer 1.0 only), off (no ALPN at all).
    #[arg(long, value_enum, default_value_t = Radius11::Allow)]
    radius11: Radius11,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Radius11 {
    Off,
    Forbid,
    Allow,
    Require,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Require {
    Auto,
    Yes,
    No,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Transport {
    Udp,
    Tcp,
    Tls,
}

/// One packet to send: its code, attributes and the reply that counts as success.
#[derive(Debug, Clone)]
struct Template {
    code: Code,
    items: Vec<Item>,
    /// Where each of `items` was read (`FILE:LINE`; empty on the command line).
    items_at: Vec<String>,
    /// `items` looked up and parsed once ([`check_templates`]), added to each request.
    resolved: Vec<ResolvedItem<'static>>,
    expect: Option<Code>,
    password: Option<String>,
    chap: bool,
    /// False when the packet says `Message-Authenticator !* ANY`.
    message_authenticator: bool,
    /// Whether the packet came with a `-f FILE:FILTER` filter packet (radclient): then
    /// a reply of another code than expected is a filter failure, not a rejection.
    has_filter: bool,
    /// The `-f FILE:FILTER` packet for this one (radclient): the attributes the reply
    /// must carry, no more and no fewer, as given ...
    filter_items: Vec<Item>,
    /// ... where each was read (`FILE:LINE`) ...
    filter_at: Vec<String>,
    /// ... and as (dictionary name, value in canonical text), set by
    /// [`check_templates`].
    filter: Vec<(String, String)>,
    /// Where the packet was read, for `-F`.
    origin: Origin,
}

/// The packet type on the command line; `None` for radclient's `auto` (each packet's
/// `Packet-Type`).
fn kind_code(kind: &str) -> CliResult<Option<Code>> {
    Ok(Some(match kind.to_ascii_lowercase().as_str() {
        "auth" => Code::AccessRequest,
        "acct" => Code::AccountingRequest,
        "status" => Code::StatusServer,
        "coa" => Code::CoaRequest,
        "disconnect" => Code::DisconnectRequest,
        "auto" => return Ok(None),
        n => Code::new(n.parse::<u8>().ok().filter(|&c| c > 0).ok_or_else(|| {
            Failure::usage(format!(
                "unknown packet type `{kind}`: use auth, acct, status, coa, disconnect, auto or a code 1..=255"
            ))
        })?),
    }))
}

fn code_by_name(name: &str) -> Option<Code> {
    (0..=255u8)
        .map(Code::new)
        .find(|c| c.name().is_some_and(|n| n.eq_ignore_ascii_case(name)))
        .or_else(|| name.parse::<u8>().ok().map(Code::new))
}

/// The address a packet goes to: the command line's `HOST[:PORT]`, overridden by the
/// packet's `Packet-Dst-IP-Address`/`Packet-Dst-Port`; without a port, the default of
/// the transport (TLS) or of the packet type. Also the host name as given (for TLS).
fn destination(
    server: &str,
    transport: Transport,
    family: Family,
    code: Code,
    dest: &Dest,
) -> CliResult<(String, SocketAddr)> {
    let host = dest.0.clone().unwrap_or_else(|| server.to_string());
    let addr = match dest.1 {
        Some(p) => {
            let bare = if host.parse::<std::net::Ipv6Addr>().is_ok() {
                host.as_str()
            } else {
                host.rsplit_once(':').map_or(host.as_str(), |(h, _)| h)
            };
            resolve(bare, p, false, family)?
        }
        None if transport == Transport::Tls => resolve(&host, 2083, false, family)?,
        None => resolve(&host, default_port(code), false, family)?,
    };
    Ok((host, addr))
}

/// The source address the kernel picks toward `server` (a connected UDP socket that
/// sends nothing), for printing.
fn source_ip(server: SocketAddr) -> Option<std::net::IpAddr> {
    let any: SocketAddr = if server.is_ipv4() {
        (std::net::Ipv4Addr::UNSPECIFIED, 0).into()
    } else {
        (std::net::Ipv6Addr::UNSPECIFIED, 0).into()
    };
    let probe = std::net::UdpSocket::bind(any).ok()?;
    probe.connect(server).ok()?;
    probe.local_addr().ok().map(|a| a.ip())
}

fn default_port(code: Code) -> u16 {
    match code {
        Code::AccountingRequest => 1813,
        Code::CoaRequest | Code::DisconnectRequest => 3799,
        _ => 1812,
    }
}

pub(crate) fn resolve_addr(server: &str, port: u16) -> CliResult<SocketAddr> {
    resolve(server, port, false, Family::Any)
}

/// A local address to listen on: as [`resolve_addr`], and port 0 picks a free port.
pub(crate) fn resolve_listen(local: &str, port: u16) -> CliResult<SocketAddr> {
    resolve(local, port, true, Family::Any)
}

/// The addresses a server name may resolve to (radclient's `-4`, `-6`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Family {
    /// The first address the resolver gives.
    Any,
    /// IPv4 only (`-4`).
    V4,
    /// IPv6 only (`-6`).
    V6,
}

fn resolve(server: &str, port: u16, listen: bool, family: Family) -> CliResult<SocketAddr> {
    if server.is_empty() {
        return Err(Failure::usage("the server address is empty"));
    }
    // HOST:PORT (not a bare IPv6 address): the port must be 1..=65535.
    if let Some((host, p)) = server.rsplit_once(':') {
        let bracketed_or_plain = !host.contains(':') || host.ends_with(']');
        if bracketed_or_plain && server.parse::<std::net::Ipv6Addr>().is_err() {
            match p.parse::<u16>() {
                Ok(0) if listen => {}
                Ok(0) | Err(_) => {
                    return Err(Failure::usage(format!(
                        "{server}: `{p}` is not a port (1..=65535)"
                    )))
                }
                Ok(_) => {}
            }
        }
    }
    let with_port = if server.parse::<SocketAddr>().is_ok() {
        server.to_string()
    } else if server.parse::<std::net::Ipv6Addr>().is_ok() {
        format!("[{server}]:{port}")
    } else if server
        .rsplit_once(':')
        .is_some_and(|(_, p)| p.parse::<u16>().is_ok())
    {
        server.to_string()
    } else {
        format!("{server}:{port}")
    };
    let mut addrs = with_port
        .to_socket_addrs()
        .map_err(|e| Failure::usage(format!("{server}: {e}")))?;
    match family {
        Family::Any => addrs
            .next()
            .ok_or_else(|| Failure::usage(format!("{server}: no address"))),
        Family::V4 => addrs
            .find(SocketAddr::is_ipv4)
            .ok_or_else(|| Failure::usage(format!("{server}: no IPv4 address (-4)"))),
        Family::V6 => addrs
            .find(SocketAddr::is_ipv6)
            .ok_or_else(|| Failure::usage(format!("{server}: no IPv6 address (-6)"))),
    }
}

/// Where a packet goes when its items say so (`Packet-Dst-IP-Address`,
/// `Packet-Dst-Port`); `None` parts come from the command line.
type Dest = (Option<String>, Option<u16>);

/// Splits the special radclient attributes off a packet's items. `code` is the type
/// from the command line (`None` for `auto`: the packet's `Packet-Type` is required).
fn template(code: Option<Code>, (items, filter, origin): Group, chap: bool) -> CliResult<(Template, Dest)> {
    let mut code = code;
    let mut t = Template {
        code: Code::AccessRequest,
        items: Vec::new(),
        items_at: Vec::new(),
        resolved: Vec::new(),
        expect: None,
        password: None,
        chap,
        message_authenticator: true,
        has_filter: filter.is_some(),
        filter_items: Vec::new(),
        filter_at: Vec::new(),
        filter: Vec::new(),
        origin,
    };
    for (item, at) in filter.unwrap_or_default() {
        let is_ma = item.name.eq_ignore_ascii_case("Message-Authenticator");
        if item.value == ABSENT || (item.value == PRESENT && !is_ma) {
            return Err(Failure::usage(format!(
                "{}filter: `{} {}` is not understood in a filter (only `Message-Authenticator =* ANY`)",
                located(&at),
                item.name,
                item.value
            )));
        } else if is_ma {
            // radclient filters say `Message-Authenticator =* ANY` for a signed reply;
            // nacwire verifies it, and leaves it out of the comparison (its value
            // differs in every reply), whatever the filter says of it.
        } else if item.name.eq_ignore_ascii_case("Response-Packet-Type")
            || item.name.eq_ignore_ascii_case("Packet-Type")
        {
            // radclient reads either as the expected code in a filter.
            let unq = unquote(&item.value);
            t.expect =
                Some(code_by_name(&unq).ok_or_else(|| {
                    Failure::usage(format!("{}unknown {} `{unq}`", located(&at), item.name))
                })?);
        } else {
            t.filter_items.push(item);
            t.filter_at.push(at);
        }
    }
    let mut dest: Dest = (None, None);
    for (item, at) in items {
        let unq = unquote(&item.value);
        let here = located(&at);
        match item.name.to_ascii_lowercase().as_str() {
            "packet-type" => {
                code = Some(
                    code_by_name(&unq)
                        .ok_or_else(|| Failure::usage(format!("{here}unknown Packet-Type `{unq}`")))?,
                )
            }
            "response-packet-type" => {
                t.expect =
                    Some(code_by_name(&unq).ok_or_else(|| {
                        Failure::usage(format!("{here}unknown Response-Packet-Type `{unq}`"))
                    })?);
            }
            "packet-dst-ip-address" | "packet-dst-ipv6-address" => dest.0 = Some(unq),
            "packet-dst-port" => {
                let p = unq.parse::<u16>().ok().filter(|&p| p > 0).ok_or_else(|| {
                    Failure::usage(format!("{here}bad Packet-Dst-Port `{unq}` (1..=65535)"))
                })?;
                dest.1 = Some(p);
            }
            "message-authenticator" if item.value == ABSENT => t.message_authenticator = false,
            "cleartext-password" => t.password = Some(unq),
            // radclient: CHAP-Password holds the password to compute the CHAP response
            // from (unless it is already a response: 17 octets in hex).
            "chap-password" if !is_chap_response(&item.value) => {
                if !unq.is_empty() {
                    t.password = Some(unq);
                }
                t.chap = true;
            }
            "user-password" if chap => t.password = Some(unq),
            _ if item.value == ABSENT => {
                return Err(Failure::usage(format!(
                    "{here}`{} !* ANY` is understood for Message-Authenticator only",
                    item.name
                )))
            }
            _ if item.value == PRESENT => {
                return Err(Failure::usage(format!(
                    "{here}`{} =* ANY` is a filter test: it belongs in the FILTER of -f FILE:FILTER",
                    item.name
                )))
            }
            _ => {
                t.items.push(item);
                t.items_at.push(at);
            }
        }
    }
    t.code = code.ok_or_else(|| {
        Failure::usage("a packet has no Packet-Type: with `auto`, each packet names its type (Packet-Type = Access-Request)")
    })?;
    Ok((t, dest))
}

/// A packet's items, its `-f FILE:FILTER` filter when there is one, and where it was
/// read; each item with its `FILE:LINE` (empty on the command line).
type Group = (Vec<(Item, String)>, Option<Vec<(Item, String)>>, Origin);

/// The prefix of a message about an item read at `at` (`FILE:LINE: `, as syntax
/// errors have), nothing for one from the command line.
fn located(at: &str) -> String {
    if at.is_empty() {
        String::new()
    } else {
        format!("{at}: ")
    }
}

/// Where a packet was read (for `-F`): the file as given (`-` for stdin, `arguments`
/// for the command line) and the packet's number in it, from 0 (radclient's).
type Origin = (String, usize);

/// radclient's `-F` line for a reply: `(N) FILE response code C`.
pub(crate) fn origin_line((file, n): &Origin, reply: Code) -> String {
    format!("({n}) {file} response code {}", reply.get())
}

/// Why a reply's attributes fail its packet's filter, in radclient's words, or `None`
/// when they match. As radclient 3.2 (`fr_pair_validate`): the reply must carry
/// exactly the filter's attributes, each attribute's values equal and in the same
/// order, nothing more (a reply attribute the filter lacks is `Attribute "X" not found
/// in filter`). A filter without attributes (only `Response-Packet-Type`) checks the
/// code alone. Message-Authenticator is left out: its value differs in every reply and
/// nacwire has verified it already (radclient would compare it too, so a radclient
/// filter for a signing server must name it); Proxy-State is compared, as radclient
/// does.
fn filter_mismatch(t: &Template, reply: &[(String, String)]) -> Option<String> {
    if t.filter.is_empty() {
        return None;
    }
    let reply: Vec<&(String, String)> = reply
        .iter()
        .filter(|(n, _)| n != "Message-Authenticator")
        .collect();
    let mut names: Vec<&str> = Vec::new();
    for n in reply
        .iter()
        .map(|(n, _)| n)
        .chain(t.filter.iter().map(|(n, _)| n))
    {
        if !names.contains(&n.as_str()) {
            names.push(n);
        }
    }
    for name in names {
        let want: Vec<&str> = t
            .filter
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect();
        let got: Vec<&str> = reply
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect();
        for k in 0..want.len().max(got.len()) {
            match (want.get(k), got.get(k)) {
                (Some(w), Some(g)) if w == g => {}
                (Some(w), Some(g)) => {
                    return Some(format!(
                        "Attribute value {g:?} didn't match filter: {name} == {w:?}"
                    ))
                }
                (None, _) => return Some(format!("Attribute \"{name}\" not found in filter")),
                (Some(_), None) => return Some(format!("Attribute \"{name}\" not found in reply")),
            }
        }
    }
    None
}

/// Whether a reply passes its packet's filter (radclient's `-f FILE:FILTER`): `None`
/// without a filter packet or when it passes, else radclient's kind of reason:
/// `Expected Access-Accept got Access-Reject` for another code than the filter's
/// `Response-Packet-Type` (or the request's usual answer), else `Response for failed
/// filter: ` and the first attribute that differs ([`filter_mismatch`]).
fn filter_failure(
    t: &Template,
    request: Code,
    reply: Code,
    attrs: impl FnOnce() -> Vec<(String, String)>,
) -> Option<String> {
    if !t.has_filter {
        return None;
    }
    if !is_success(request, reply, t.expect) {
        let want = t.expect.map_or_else(
            || match request {
                Code::AccountingRequest => "Accounting-Response".to_string(),
                Code::CoaRequest => "CoA-ACK".to_string(),
                Code::DisconnectRequest => "Disconnect-ACK".to_string(),
                _ => "Access-Accept".to_string(),
            },
            |c| c.to_string(),
        );
        return Some(format!("Expected {want} got {reply}"));
    }
    filter_mismatch(t, &attrs()).map(|why| format!("Response for failed filter: {why}"))
}

/// radclient's prefix for a message about a packet of a file: `(N) FILE`.
fn origin_prefix((file, n): &Origin) -> String {
    format!("({n}) {file}")
}

/// Which packet of a run starts next. The run's packets are grouped by the file they
/// came from (each `-f` file, the command-line attributes, stdin), and the files are
/// sent side by side, as radclient 3.2 does ("Packets from multiple '-f' are sent in
/// parallel. Packets from one file are sent in series, unless '-p' is specified, in
/// which case N packets from each file are sent in parallel"): each file has up to
/// `limit` requests in flight, its packets in order (each file's packets cycled
/// `count` times), the files taken in turn.
#[derive(Debug)]
pub(crate) struct Lanes {
    lanes: Vec<Lane>,
    /// The lane to look at first (the one after the last that started a request).
    turn: usize,
}

#[derive(Debug)]
struct Lane {
    /// Indices of the run's templates, in file order.
    packets: Vec<usize>,
    total: u64,
    started: u64,
    in_flight: usize,
}

impl Lanes {
    /// One lane per file, in the order the files' first packets come: `files` names
    /// the file of each of the run's packets, in order.
    pub(crate) fn new<'f>(files: impl IntoIterator<Item = &'f str>, count: u64) -> Self {
        let mut lanes: Vec<(&str, Lane)> = Vec::new();
        for (i, file) in files.into_iter().enumerate() {
            match lanes.iter_mut().find(|(f, _)| *f == file) {
                Some((_, lane)) => lane.packets.push(i),
                None => lanes.push((
                    file,
                    Lane {
                        packets: vec![i],
                        total: 0,
                        started: 0,
                        in_flight: 0,
                    },
                )),
            }
        }
        let lanes = lanes
            .into_iter()
            .map(|(_, mut lane)| {
                lane.total = (lane.packets.len() as u64).saturating_mul(count);
                lane
            })
            .collect();
        Self { lanes, turn: 0 }
    }

    /// The next request to start, `(lane, template)`, when a file has one left and
    /// fewer than `limit` in flight; nothing is recorded until [`Lanes::started`].
    pub(crate) fn next(&self, limit: usize) -> Option<(usize, usize)> {
        let n = self.lanes.len();
        (0..n).map(|k| (self.turn + k) % n).find_map(|l| {
            let lane = self.lanes.get(l)?;
            if lane.started >= lane.total || lane.in_flight >= limit {
                return None;
            }
            let at = (lane.started % lane.packets.len() as u64) as usize;
            lane.packets.get(at).map(|&i| (l, i))
        })
    }

    /// A request of `lane` was sent.
    pub(crate) fn started(&mut self, lane: usize) {
        if let Some(l) = self.lanes.get_mut(lane) {
            l.started += 1;
            l.in_flight += 1;
            self.turn = (lane + 1) % self.lanes.len();
        }
    }

    /// A request of `lane` got its reply or was lost.
    pub(crate) fn ended(&mut self, lane: usize) {
        if let Some(l) = self.lanes.get_mut(lane) {
            l.in_flight = l.in_flight.saturating_sub(1);
        }
    }

    /// Every request of every file was started.
    pub(crate) fn all_started(&self) -> bool {
        self.lanes.iter().all(|l| l.started >= l.total)
    }
}

/// Reads `-f` files; `FILE:FILTER` (radclient) pairs each packet of FILE with the
/// packet of FILTER at the same place (`Response-Packet-Type` and attributes the reply
/// must carry).
fn read_files(files: &[PathBuf]) -> CliResult<Vec<Group>> {
    let read = |f: &std::path::Path| -> CliResult<Vec<Vec<(Item, String)>>> {
        let (text, origin) = if f.as_os_str() == "-" {
            let origin = "stdin".to_string();
            (
                read_text(std::io::stdin().lock(), &origin, MAX_TEXT_INPUT)?,
                origin,
            )
        } else {
            (read_text_file(f, MAX_TEXT_INPUT)?, f.display().to_string())
        };
        let packets = parse_packets(&text, &origin)?;
        if packets.is_empty() {
            return Err(Failure::usage(format!("{origin}: no packets (attribute lines)")));
        }
        Ok(packets)
    };
    let mut groups = Vec::new();
    for f in files {
        let text = f.to_string_lossy();
        let split = (!f.exists())
            .then(|| text.split_once(':'))
            .flatten()
            .filter(|(r, _)| *r == "-" || std::path::Path::new(r).is_file());
        match split {
            None => {
                let name = f.display().to_string();
                groups.extend(
                    read(f)?
                        .into_iter()
                        .enumerate()
                        .map(|(n, p)| (p, None, (name.clone(), n))),
                );
            }
            Some((requests, filters)) => {
                let requests_name = requests;
                let requests = read(std::path::Path::new(requests))?;
                let filters = read(std::path::Path::new(filters))?;
                if requests.len() != filters.len() {
                    return Err(Failure::usage(format!(
                        "{text}: {} request packet(s) but {} filter packet(s): give one filter per packet",
                        requests.len(),
                        filters.len()
                    )));
                }
                groups.extend(
                    requests
                        .into_iter()
                        .zip(filters)
                        .enumerate()
                        .map(|(n, (p, f))| (p, Some(f), (requests_name.to_string(), n))),
                );
            }
        }
    }
    Ok(groups)
}

/// A CHAP-Password value that is a CHAP response already (`0x` and 17 octets).
fn is_chap_response(value: &str) -> bool {
    parse_hex(value).is_some_and(|v| v.len() == 17) && value.trim().starts_with("0x")
}

/// 16 random octets for a Request Authenticator, from a 4 KiB pool refilled from the
/// OS (one getrandom call per 256 requests instead of one per request).
pub(crate) fn random16() -> [u8; 16] {
    thread_local! {
        static POOL: std::cell::RefCell<(Vec<u8>, usize)> = const { std::cell::RefCell::new((Vec::new(), 0)) };
    }
    POOL.with(|p| {
        let mut p = p.borrow_mut();
        let (buf, used) = &mut *p;
        if buf.len() < *used + 16 {
            buf.resize(4096, 0);
            // getrandom fails only where the OS has no RNG; then fall back to the clock.
            if getrandom::getrandom(buf).is_err() {
                let t = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap_or_default()
                    .as_nanos();
                for (i, b) in buf.iter_mut().enumerate() {
                    *b = (t >> (i % 16 * 8)) as u8 ^ i as u8;
                }
            }
            *used = 0;
        }
        let mut out = [0u8; 16];
        if let Some(chunk) = buf.get(*used..*used + 16) {
            out.copy_from_slice(chunk);
        }
        *used += 16;
        out
    })
}

struct Build<'a> {
    dict: &'a Dictionary,
    authenticator: Option<[u8; 16]>,
    message_authenticator: bool,
    bad_message_authenticator: bool,
}

impl Build<'_> {
    fn build(&self, t: &Template, id: u8, secret: &SharedSecret) -> radius_codec::Result<Vec<u8>> {
        let b = self.builder(t, id, secret, false)?;
        if self.bad_message_authenticator {
            let mut wrong = secret.expose().to_vec();
            wrong.extend_from_slice(b"-wrong");
            return b.finish(&SharedSecret::new(wrong));
        }
        b.finish(secret)
    }

    /// The request's builder; `radius11`: for a RADIUS/1.1 connection (nothing hidden,
    /// RFC 9765 §5.1).
    fn builder(
        &self,
        t: &Template,
        id: u8,
        secret: &SharedSecret,
        radius11: bool,
    ) -> radius_codec::Result<PacketBuilder> {
        let auth = self.authenticator.unwrap_or_else(random16);
        let mut b = PacketBuilder::new(t.code, id, auth);
        let ma = (self.message_authenticator && t.message_authenticator) || self.bad_message_authenticator;
        if ma && matches!(t.code, Code::CoaRequest | Code::DisconnectRequest) {
            b.add_message_authenticator();
        }
        if !ma {
            b.without_message_authenticator();
        }
        // A random first salt per packet, also with --authenticator: an Accounting,
        // CoA or Disconnect request hides with a vector of zeros, so a salt repeated
        // across packets would repeat the keystream (the next ones: claim_salt).
        let [s0, s1, ..] = random16();
        let hiding = Hiding {
            secret,
            salt: 0x8000 | u16::from_le_bytes([s0, s1]),
        };
        for item in &t.resolved {
            // Items were checked once before sending (check_templates; for RADIUS/1.1,
            // radius11_refusal in run).
            let _ = if radius11 {
                add_resolved_radius11(self.dict, &mut b, item, &hiding)
            } else {
                add_resolved(self.dict, &mut b, item, &hiding)
            };
        }
        if let Some(pw) = &t.password {
            if t.chap {
                b.add_chap_password(id, pw.as_bytes())?;
            } else if radius11 {
                b.add(radius_codec::AttrType::USER_PASSWORD, pw.as_bytes())?;
            } else {
                b.add_user_password(secret, pw.as_bytes())?;
            }
        }
        Ok(b)
    }
}

/// Checks every item of every packet once and keeps them resolved (one dictionary
/// lookup and value parse per distinct input packet, not per request).
///
/// A named attribute whose value is empty (`User-Name = ""`, `Class = 0x`) is left
/// out, as radclient leaves it out (RFC 8044 §3.4-3.5: "Strings of length zero (0)
/// MUST NOT be sent; omit the entire attribute instead"), with one warning on stderr
/// unless `quiet`; a raw attribute (`Attr-25 = 0x`) is sent as given, for testing
/// servers.
fn check_templates(
    dict: &'static Dictionary,
    templates: &mut [Template],
    secret: &SharedSecret,
    quiet: bool,
) -> CliResult<()> {
    for t in templates {
        let hiding = Hiding { secret, salt: 0x8001 };
        let mut resolved = Vec::with_capacity(t.items.len());
        for (item, at) in t.items.iter().zip(&t.items_at) {
            let r = resolve_item(dict, t.code, item, &hiding)
                .map_err(|e| Failure::usage(format!("{}{e}", located(at))))?;
            if let Some(raw) = r.empty_named() {
                if !quiet {
                    eprintln!(
                        "nacwire: warning: {}{}: empty value not sent (a zero-length attribute is \
                         never sent, RFC 8044; radclient leaves it out too; `{raw} = 0x` sends one)",
                        located(at),
                        item.name,
                    );
                }
                continue;
            }
            resolved.push(r);
        }
        t.resolved = resolved;
        if !t.code.is_request() {
            return Err(Failure::usage(format!("{} is not a request", t.code)));
        }
        t.filter = t
            .filter_items
            .iter()
            .zip(&t.filter_at)
            .map(|(item, at)| {
                resolve_item(dict, t.code, item, &hiding)
                    .and_then(|r| r.printed(dict))
                    .map_err(|e| Failure::usage(format!("{}filter: {e}", located(at))))
            })
            .collect::<CliResult<Vec<_>>>()?
            .into_iter()
            .flatten()
            .collect();
    }
    Ok(())
}

/// What the stream driver needs of the arguments.
fn args_stream(
    args: &SendArgs,
    templates: &[Template],
    interrupt: crate::interrupt::Interrupt,
) -> crate::stream::StreamArgs {
    crate::stream::StreamArgs {
        interrupt,
        tls: args.transport == Transport::Tls,
        ca: args.ca.clone(),
        cert: args.cert.clone(),
        key: args.key.clone(),
        server_name: args.server_name.clone(),
        radius11: match args.radius11 {
            Radius11::Off => nacwire_io::radius_stream::tls::Alpn::Off,
            Radius11::Forbid => nacwire_io::radius_stream::tls::Alpn::Forbid,
            Radius11::Allow => nacwire_io::radius_stream::tls::Alpn::Allow,
            Radius11::Require => nacwire_io::radius_stream::tls::Alpn::Require,
        },
        timeout: crate::common::seconds("--timeout", args.timeout).unwrap_or(Duration::from_secs(3)),
        count: args.count,
        concurrency: args.concurrency.unwrap_or(1).max(1),
        json: args.json,
        quiet: args.quiet || ((args.count > 1 || args.rate.is_some()) && !args.verbose),
        summary: args.summary || args.count > 1,
        files: templates.iter().map(|t| t.origin.0.clone()).collect(),
        origins: if args.print_filename {
            templates.iter().map(|t| t.origin.clone()).collect()
        } else {
            Vec::new()
        },
        quiet_filenames: args.quiet,
        // RADIUS/1.1 hides nothing: what would go hidden is refused (before anything
        // is sent with --radius11 require, once 1.1 is agreed with allow).
        require_message_authenticator: args.blast_radius
            || matches!(args.require_message_authenticator, Require::Yes),
        radius11_refusal: templates
            .iter()
            .flat_map(|t| &t.resolved)
            .find_map(ResolvedItem::radius11_refusal),
    }
}

fn templates_view(t: &[Template]) -> Vec<(Code, Option<Code>)> {
    t.iter().map(|t| (t.code, t.expect)).collect()
}

pub(crate) fn is_success(request: Code, reply: Code, expect: Option<Code>) -> bool {
    if let Some(e) = expect {
        return reply == e;
    }
    match request {
        Code::StatusServer => matches!(reply, Code::AccessAccept | Code::AccountingResponse),
        _ => matches!(
            reply,
            Code::AccessAccept | Code::AccountingResponse | Code::CoaAck | Code::DisconnectAck
        ),
    }
}

#[derive(Default)]
struct Stats {
    sent: u64,
    accepted: u64,
    rejected: u64,
    lost: u64,
    retransmissions: u64,
    invalid: u64,
    unsigned: u64,
    failed_filter: u64,
    /// Replies refused (or dropped) for want of a Message-Authenticator that was
    /// required.
    unsigned_dropped: u64,
    /// Replies dropped for a wrong Response Authenticator or Message-Authenticator:
    /// what a wrong secret gives.
    bad_secret: u64,
    /// Why the first dropped reply was dropped.
    first_refusal: Option<String>,
    /// Requests in flight when Ctrl-C stopped the run (abandoned, not lost).
    in_flight: u64,
    latencies: Vec<Duration>,
}

/// The `p`th percentile of sorted latencies; `None` without any (no reply).
fn percentile(sorted: &[Duration], p: f64) -> Option<Duration> {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted
        .get(rank.saturating_sub(1).min(sorted.len().saturating_sub(1)))
        .copied()
}

/// A latency for the text summary: milliseconds, or `-` when there was no reply.
fn latency_text(d: Option<Duration>) -> String {
    d.map_or_else(|| "-".to_string(), |d| format!("{:.3} ms", ms(d)))
}

/// What requires Message-Authenticator in replies, for messages.
fn required_by(args: &SendArgs) -> &'static str {
    if args.blast_radius {
        "required by -b"
    } else {
        "required by --require-message-authenticator"
    }
}

pub(crate) fn run(mut args: SendArgs) -> CliResult<u8> {
    // radclient's order (`radclient SERVER auth SECRET`) is understood too.
    if kind_code(&args.kind).is_err() && kind_code(&args.server).is_ok() {
        std::mem::swap(&mut args.kind, &mut args.server);
    }
    let code = kind_code(&args.kind)?;
    let dict = dictionary_with_site(args.dict_dir.as_deref(), args.raddb.as_deref())?;
    let family = match (args.ipv4, args.ipv6) {
        (true, _) => Family::V4,
        (_, true) => Family::V6,
        _ => Family::Any,
    };
    // The first positional is the secret, unless the secret comes from elsewhere or it
    // is `Name=value` for a known attribute (over TLS the secret defaults to `radsec`).
    let looks_like_attr = args
        .rest
        .first()
        .and_then(|s| parse_item(s))
        .is_some_and(|i| crate::common::attr_named(dict, &i.name).is_ok());
    let takes_secret = args.secret_file.is_none() && args.secret_env.is_none() && !looks_like_attr;
    let (secret_arg, attr_args) = match (takes_secret, args.rest.split_first()) {
        (true, Some((s, rest))) => (Some(s.as_str()), rest),
        _ => (None, &args.rest[..]),
    };
    let secret = match (args.transport, secret_arg) {
        // RFC 6614 §2.3: the secret over TLS is `radsec` unless configured.
        (Transport::Tls, None) if args.secret_file.is_none() && args.secret_env.is_none() => {
            SharedSecret::from("radsec")
        }
        _ => resolve_secret(
            secret_arg,
            args.secret_file.as_deref(),
            args.secret_env.as_deref(),
        )?,
    };
    let timeout = crate::common::seconds("--timeout", args.timeout)?;
    let interval = args.rate.map(crate::common::pacing).transpose()?;
    let authenticator = match &args.authenticator {
        None => None,
        Some(h) => Some(
            parse_hex(h)
                .and_then(|v| <[u8; 16]>::try_from(v).ok())
                .ok_or_else(|| Failure::usage("--authenticator needs 32 hex digits"))?,
        ),
    };

    // Packets: arguments, files, or stdin.
    let mut groups: Vec<Group> = Vec::new();
    if !attr_args.is_empty() {
        let mut items = Vec::new();
        for a in attr_args {
            items.push((
                parse_item(a).ok_or_else(|| Failure::usage(format!("expected `Name=value`, got `{a}`")))?,
                String::new(),
            ));
        }
        groups.push((items, None, ("arguments".to_string(), 0)));
    }
    groups.extend(read_files(&args.files)?);
    if groups.is_empty() && args.files.is_empty() && !std::io::stdin().is_terminal() {
        // Attributes piped in; nothing (`< /dev/null`) is a packet without any for
        // `status`, and nothing to send otherwise.
        let s = read_text(std::io::stdin().lock(), "stdin", MAX_TEXT_INPUT)?;
        groups.extend(
            parse_packets(&s, "stdin")?
                .into_iter()
                .enumerate()
                .map(|(n, p)| (p, None, ("-".to_string(), n))),
        );
    }
    if groups.is_empty() {
        // Only Status-Server means something without attributes; anything else would
        // go out empty and be dropped by the server (radclient: "Nothing to send").
        if code != Some(Code::StatusServer) {
            return Err(Failure::usage(
                "nothing to send: give attributes (User-Name=bob ...), -f FILE, or pipe them on stdin \
                 (only `status` goes without any)",
            ));
        }
        groups.push((Vec::new(), None, ("arguments".to_string(), 0)));
    }
    let (mut templates, dests): (Vec<Template>, Vec<Dest>) = groups
        .into_iter()
        .map(|g| template(code, g, args.chap))
        .collect::<CliResult<Vec<_>>>()?
        .into_iter()
        .unzip();
    check_templates(dict, &mut templates, &secret, args.quiet)?;
    // --authenticator is the Request Authenticator of the packets that carry a random
    // one; the others' is computed from the packet and the secret (RFC 2866 §3,
    // RFC 5176 §3): say so rather than drop it silently.
    if let (Some(_), Some(t)) = (
        authenticator,
        templates
            .iter()
            .find(|t| !matches!(t.code, Code::AccessRequest | Code::StatusServer)),
    ) {
        if !args.quiet {
            eprintln!(
                "nacwire: warning: --authenticator is not used for {}: its Request Authenticator \
                 is computed from the packet and the secret (only Access-Request and Status-Server \
                 take a chosen one)",
                t.code
            );
        }
    }
    // Where each packet goes: consecutive packets for one destination form a run,
    // sent in order (radclient sends a packet to its Packet-Dst-* or its type's port).
    let mut runs: Vec<(SocketAddr, String, std::ops::Range<usize>)> = Vec::new();
    let mut resolved: std::collections::HashMap<(&Dest, u16), (String, SocketAddr)> =
        std::collections::HashMap::new();
    for (i, (t, d)) in templates.iter().zip(&dests).enumerate() {
        let (h, addr) = match resolved.get(&(d, default_port(t.code))) {
            Some(r) => r.clone(),
            None => {
                let r = destination(&args.server, args.transport, family, t.code, d)?;
                resolved.insert((d, default_port(t.code)), r.clone());
                r
            }
        };
        match runs.last_mut() {
            Some((a, _, range)) if *a == addr => range.end = i + 1,
            _ => runs.push((addr, h, i..i + 1)),
        }
    }
    if runs.is_empty() {
        let (h, addr) = destination(
            &args.server,
            args.transport,
            family,
            code.unwrap_or(Code::AccessRequest),
            &(None, None),
        )?;
        runs.push((addr, h, 0..templates.len()));
    }
    if runs.is_empty() {
        return Err(Failure::usage("nothing to send"));
    }
    if args.transport == Transport::Tls && matches!(args.radius11, Radius11::Require) {
        if let Some(why) = templates
            .iter()
            .flat_map(|t| &t.resolved)
            .find_map(ResolvedItem::radius11_refusal)
        {
            return Err(Failure::usage(why));
        }
    }
    let builder = Build {
        dict,
        authenticator,
        message_authenticator: !args.no_message_authenticator,
        bad_message_authenticator: args.bad_message_authenticator,
    };
    // Build each packet once before sending: what cannot be encoded (a packet over
    // 4096 octets) is an input error, named by packet. (A raw `Attr-26 = 0x...` whose
    // inner structure does not parse is sent as it is, as radclient sends it.)
    for (i, t) in templates.iter().enumerate() {
        builder
            .build(t, 0, &secret)
            .and_then(|bytes| Packet::new_checked(&bytes[..]).map(|_| ()))
            .map_err(|e| {
                Failure::usage(if templates.len() == 1 {
                    format!("cannot build the {}: {e}", t.code)
                } else {
                    format!("packet {}: cannot build the {}: {e}", i + 1, t.code)
                })
            })?;
    }
    // From here on Ctrl-C stops the run with its partial summary (exit 130).
    let interrupt = crate::interrupt::Interrupt::install(None);
    if args.transport != Transport::Udp {
        let builder = Build {
            dict,
            authenticator,
            message_authenticator: !args.no_message_authenticator,
            bad_message_authenticator: false,
        };
        let runs: Vec<crate::stream::Run> = runs
            .into_iter()
            .map(|(addr, host, packets)| crate::stream::Run { addr, host, packets })
            .collect();
        return crate::stream::run(
            &args_stream(&args, &templates, interrupt),
            &runs,
            secret,
            dict,
            &templates_view(&templates),
            &|i, id, version, s| {
                templates
                    .get(i)
                    .map_or(Err(radius_codec::Error::IdentifiersExhausted), |t| {
                        builder.builder(t, id, s, version == nacwire_io::radius_stream::Version::V1_1)
                    })
            },
            &|i, rep| {
                let t = templates.get(i)?;
                filter_failure(t, t.code, rep.code(), || attributes_plain(dict, rep, None))
                    .map(|why| format!("{}: {why}", origin_prefix(&t.origin)))
            },
        );
    }

    let opts = UdpClientOptions {
        retransmit: crate::common::retransmit(timeout, args.retries),
        require_message_authenticator: match args.require_message_authenticator {
            _ if args.blast_radius => Requirement::Yes,
            Require::Auto => Requirement::Auto,
            Require::Yes => Requirement::Yes,
            Require::No => Requirement::No,
        },
        // radclient starts at a random Identifier, so that two runs do not send the
        // same bytes; --id fixes it.
        first_identifier: args.id.unwrap_or_else(|| random16()[0]),
        // each -t wait is exactly -t, as radclient's (no RFC 5080 jitter)
        jitter: false,
        seed: u64::from_le_bytes(
            random16()
                .get(..8)
                .and_then(|s| s.try_into().ok())
                .unwrap_or([7; 8]),
        ),
        ..UdpClientOptions::default()
    };
    let load = args.count > 1 || args.rate.is_some();
    let print_packets = !args.quiet && (!load || args.verbose);
    let total_all = (templates.len() as u64).saturating_mul(args.count);
    let concurrency = args
        .concurrency
        .unwrap_or_else(|| if args.rate.is_some() { usize::MAX } else { 1 })
        .max(1);
    let progress = if load && !args.json {
        let pb = indicatif::ProgressBar::new(total_all);
        pb.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {per_sec} {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Some(pb)
    } else {
        None
    };
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::new(out.lock());
    let mut stats = Stats::default();
    let mut warned_invalid = false;
    // The servers already warned about for an unsigned reply (once each, unless -x).
    let mut warned_unsigned: Vec<SocketAddr> = Vec::new();
    let start = Instant::now();
    let all_templates = &templates;
    // The servers that left requests unanswered, for the closing hint.
    let mut silent: Vec<SocketAddr> = Vec::new();
    'runs: for (server, _, range) in runs {
        let templates = all_templates.get(range).unwrap_or_default();
        let mut lanes = Lanes::new(templates.iter().map(|t| t.origin.0.as_str()), args.count);
        // Each request's template and lane.
        let mut templates_of: std::collections::HashMap<Token, (usize, usize)> =
            std::collections::HashMap::new();
        let mut client = UdpClient::new(server, SharedSecret::new(secret.expose().to_vec()), opts.clone())
            .map_err(|e| Failure::usage(format!("{server}: {e}")))?;
        // The socket is bound to the unspecified address; print the source address the
        // kernel uses toward the server (radclient prints `to 127.0.0.1:PORT`), not 0.0.0.0.
        let local = client
            .local_addrs()
            .ok()
            .and_then(|v| v.first().copied())
            .map(|mut a| {
                if a.ip().is_unspecified() {
                    if let Some(ip) = source_ip(server) {
                        a.set_ip(ip);
                    }
                }
                a
            })
            .map_or_else(|| "?".to_string(), |a| a.to_string());
        let mut next_at = Instant::now();

        loop {
            if interrupt.is_set() {
                // Ctrl-C: what is in flight is abandoned (not lost: its time was not up),
                // the runs after this one are not started.
                stats.in_flight += client.in_flight() as u64;
                break 'runs;
            }
            // Start what is due.
            while let Some((lane, idx)) = lanes.next(concurrency).filter(|_| !interrupt.is_set()) {
                if interval.is_some() && Instant::now() < next_at {
                    break;
                }
                let Some(t) = templates.get(idx) else { break };
                let token = match client.send(|id, s| builder.build(t, id, s)) {
                    Ok(tok) => tok,
                    Err(nacwire_io::Error::Codec(radius_codec::Error::IdentifiersExhausted)) => break,
                    // A signal interrupted the send (not sent): the loop checks the flag.
                    Err(nacwire_io::Error::Io(e)) if e.kind() == std::io::ErrorKind::Interrupted => break,
                    Err(e) => return Err(Failure::usage(format!("{server}: {e}"))),
                };
                templates_of.insert(token, (idx, lane));
                lanes.started(lane);
                stats.sent += 1;
                if let Some(iv) = interval {
                    next_at += iv;
                }
            }
            if lanes.all_started() && client.in_flight() == 0 {
                break;
            }
            // At most a second, so that Ctrl-C is seen within one (a slow --rate too).
            let tick = Instant::now() + Duration::from_secs(1);
            let until = match interval {
                Some(_) if lanes.next(concurrency).is_some() => next_at.min(tick),
                _ => tick,
            };
            let events = match client.poll(until) {
                Ok(events) => events,
                // A signal (Ctrl-C) interrupted the wait: back to the flag, not an error.
                Err(nacwire_io::Error::Io(e)) if e.kind() == std::io::ErrorKind::Interrupted => Vec::new(),
                Err(e) => return Err(Failure::usage(format!("{server}: {e}"))),
            };
            for ev in events {
                match ev {
                    Event::Reply {
                        token,
                        request,
                        reply,
                        rtt,
                        elapsed,
                        signature,
                    } => {
                        let t = templates_of.remove(&token).and_then(|(i, lane)| {
                            lanes.ended(lane);
                            templates.get(i)
                        });
                        let req = Packet::new_unchecked(&request[..]);
                        let rep = Packet::new_unchecked(&reply[..]);
                        let mut ok = is_success(req.code(), rep.code(), t.and_then(|t| t.expect));
                        // radclient's `-f FILE:FILTER`: a wrong code or attributes
                        // are a filter failure (counted apart from rejections).
                        let failed_filter = t.and_then(|t| {
                            filter_failure(t, req.code(), rep.code(), || {
                                attributes_plain(dict, &rep, Some((client.secret(), req.authenticator())))
                            })
                            .map(|why| (origin_prefix(&t.origin), why))
                        });
                        if let Some((at, why)) = &failed_filter {
                            ok = false;
                            stats.failed_filter += 1;
                            eprintln!("nacwire: {at}: {why}");
                        } else if ok {
                            stats.accepted += 1;
                        } else {
                            stats.rejected += 1;
                        }
                        if signature == radius_codec::Signature::AcceptedUnsigned {
                            stats.unsigned += 1;
                            // radclient-style: a warning on stderr, once per server
                            // (every reply with -x).
                            if !args.quiet
                                && !args.json
                                && (args.verbose || !warned_unsigned.contains(&server))
                            {
                                warned_unsigned.push(server);
                                eprintln!(
                                    "nacwire: warning: {} from {server} without Message-Authenticator accepted: \
                                     open to BlastRADIUS (-b requires one)",
                                    rep.code()
                                );
                            }
                        }
                        stats.latencies.push(elapsed);
                        if let Some(pb) = &progress {
                            pb.inc(1);
                        }
                        // `-F`: between the request and the reply when they are printed
                        // (as radclient -x -F), alone otherwise.
                        let origin = t
                            .filter(|_| args.print_filename && !args.quiet && !args.json)
                            .map(|t| origin_line(&t.origin, rep.code()));
                        if let Some(line) = origin.as_ref().filter(|_| !print_packets) {
                            let _ = writeln!(out, "{line}");
                        }
                        if print_packets {
                            let ra = req.authenticator();
                            let decode = if args.json { attributes_plain } else { attributes };
                            let sent_attrs =
                                decode(dict, &req, Some((client.secret(), hiding_vector(&req, None))));
                            let recv_attrs = decode(dict, &rep, Some((client.secret(), ra)));
                            if args.json {
                                let mut s = packet_json("sent", &req, &sent_attrs);
                                s.insert("to".into(), json!(server.to_string()));
                                emit_json(&mut out, &serde_json::Value::Object(s));
                                let mut r = packet_json("received", &rep, &recv_attrs);
                                r.insert("from".into(), json!(server.to_string()));
                                r.insert("rtt_ms".into(), json!(ms(rtt)));
                                r.insert("elapsed_ms".into(), json!(ms(elapsed)));
                                r.insert("signature".into(), json!(format!("{signature:?}")));
                                r.insert("expected".into(), json!(ok));
                                if let Some((_, why)) = &failed_filter {
                                    r.insert("failed_filter".into(), json!(why));
                                }
                                if let Some(t) = t.filter(|_| args.print_filename) {
                                    r.insert("file".into(), json!(t.origin.0));
                                    r.insert("packet".into(), json!(t.origin.1));
                                }
                                emit_json(&mut out, &serde_json::Value::Object(r));
                            } else {
                                print_text(
                                    &mut out,
                                    &format!(
                                        "Sent {} Id {} from {local} to {server} length {}",
                                        req.code(),
                                        req.identifier(),
                                        req.length()
                                    ),
                                    &sent_attrs,
                                );
                                if let Some(line) = &origin {
                                    let _ = writeln!(out, "{line}");
                                }
                                print_text(
                                    &mut out,
                                    &format!(
                                        "Received {} Id {} from {server} to {local} length {} ({:.3} ms)",
                                        rep.code(),
                                        rep.identifier(),
                                        rep.length(),
                                        ms(elapsed)
                                    ),
                                    &recv_attrs,
                                );
                            }
                        }
                    }
                    Event::Lost {
                        token,
                        request,
                        elapsed,
                    } => {
                        let t = templates_of.remove(&token).and_then(|(i, lane)| {
                            lanes.ended(lane);
                            templates.get(i)
                        });
                        stats.lost += 1;
                        if !silent.contains(&server) {
                            silent.push(server);
                        }
                        if let Some(pb) = &progress {
                            pb.inc(1);
                        }
                        let req = Packet::new_unchecked(&request[..]);
                        // What was sent, as when a reply comes (radclient -x prints each
                        // request it sends, answered or not), then that it went unanswered.
                        let sent_attrs = print_packets.then(|| {
                            let decode = if args.json { attributes_plain } else { attributes };
                            decode(dict, &req, Some((client.secret(), hiding_vector(&req, None))))
                        });
                        if let Some(sent_attrs) = sent_attrs.as_ref().filter(|_| args.json) {
                            let mut s = packet_json("sent", &req, sent_attrs);
                            s.insert("to".into(), json!(server.to_string()));
                            emit_json(&mut out, &serde_json::Value::Object(s));
                            let mut lost = json!({"event": "lost", "code": req.code().to_string(),
                                "id": req.identifier(), "to": server.to_string(), "elapsed_ms": ms(elapsed)});
                            // -F: which packet of which file, as on a received event.
                            if let (Some(t), Some(m)) =
                                (t.filter(|_| args.print_filename), lost.as_object_mut())
                            {
                                m.insert("file".into(), json!(t.origin.0));
                                m.insert("packet".into(), json!(t.origin.1));
                            }
                            emit_json(&mut out, &lost);
                        } else if let Some(sent_attrs) = &sent_attrs {
                            print_text(
                                &mut out,
                                &format!(
                                    "Sent {} Id {} from {local} to {server} length {}",
                                    req.code(),
                                    req.identifier(),
                                    req.length()
                                ),
                                sent_attrs,
                            );
                            let _ = writeln!(
                                out,
                                "No reply to {} Id {} from {server} after {:.3} s",
                                req.code(),
                                req.identifier(),
                                elapsed.as_secs_f64()
                            );
                        }
                    }
                    Event::Refused {
                        token,
                        request,
                        reply,
                        elapsed,
                        error,
                    } => {
                        // The server answered (the reply is authentic), without the
                        // Message-Authenticator required: the request is over.
                        if let Some((_, lane)) = templates_of.remove(&token) {
                            lanes.ended(lane);
                        }
                        stats.invalid += 1;
                        stats.unsigned_dropped += 1;
                        if let Some(pb) = &progress {
                            pb.inc(1);
                        }
                        let req = Packet::new_unchecked(&request[..]);
                        let rep = Packet::new_unchecked(&reply[..]);
                        let why = format!(
                            "{} Id {} from {server} refused: no Message-Authenticator ({})",
                            rep.code(),
                            rep.identifier(),
                            required_by(&args)
                        );
                        if print_packets && args.json {
                            emit_json(
                                &mut out,
                                &json!({"event": "refused", "code": rep.code().to_string(), "id": rep.identifier(),
                                    "request": req.code().to_string(), "from": server.to_string(),
                                    "elapsed_ms": ms(elapsed), "reason": error.to_string()}),
                            );
                        }
                        if !args.quiet && (!load || args.verbose || stats.unsigned_dropped == 1) {
                            eprintln!("nacwire: {why}");
                        }
                    }
                    Event::Retransmitted { .. } => stats.retransmissions += 1,
                    Event::Dropped {
                        from,
                        reason: DropReason::Invalid(e),
                    } => {
                        stats.invalid += 1;
                        if matches!(e, radius_codec::Error::MissingMessageAuthenticator { .. }) {
                            stats.unsigned_dropped += 1;
                        } else if matches!(
                            e,
                            radius_codec::Error::BadResponseAuthenticator
                                | radius_codec::Error::BadMessageAuthenticator
                        ) {
                            stats.bad_secret += 1;
                        }
                        if stats.first_refusal.is_none() {
                            stats.first_refusal = Some(e.to_string());
                        }
                        if !warned_invalid {
                            warned_invalid = true;
                            eprintln!("nacwire: reply from {from} dropped: {e}");
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    if let Some(pb) = progress {
        pb.finish_and_clear();
    }
    let server = silent
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let wall = start.elapsed();
    let mut lat = std::mem::take(&mut stats.latencies);
    lat.sort_unstable();
    let rate = stats.sent as f64 / wall.as_secs_f64().max(1e-9);
    let interrupted = interrupt.is_set();
    if args.json {
        emit_json(
            &mut out,
            &json!({
                "event": "summary", "sent": stats.sent, "accepted": stats.accepted,
                "rejected": stats.rejected, "lost": stats.lost,
                "interrupted": interrupted, "in_flight": stats.in_flight,
                "retransmissions": stats.retransmissions, "invalid_replies": stats.invalid,
                "unsigned_replies": stats.unsigned, "failed_filter": stats.failed_filter,
                "latency_ms": {"p50": percentile(&lat, 50.0).map(ms), "p90": percentile(&lat, 90.0).map(ms),
                               "p99": percentile(&lat, 99.0).map(ms), "max": lat.last().copied().map(ms)},
                "seconds": wall.as_secs_f64(), "rate": rate,
            }),
        );
    } else if load || args.summary || interrupted {
        let (mark, in_flight) = if interrupted {
            ("interrupted: ", format!(" in flight {}", stats.in_flight))
        } else {
            ("", String::new())
        };
        // Counters that only mean something when they happen.
        let mut extra = String::new();
        if all_templates.iter().any(|t| t.has_filter) {
            extra.push_str(&format!(" failed_filter {}", stats.failed_filter));
        }
        if stats.invalid > 0 {
            extra.push_str(&format!(" invalid {}", stats.invalid));
        }
        let latency = if lat.is_empty() {
            "latency -".to_string()
        } else {
            format!(
                "latency p50 {} p90 {} p99 {} max {}",
                latency_text(percentile(&lat, 50.0)),
                latency_text(percentile(&lat, 90.0)),
                latency_text(percentile(&lat, 99.0)),
                latency_text(lat.last().copied())
            )
        };
        let _ = writeln!(
            out,
            "{mark}sent {} accepted {} rejected {} lost {}{in_flight}{extra} retransmissions {} | {latency} | {:.0} requests/s over {:.3} s",
            stats.sent,
            stats.accepted,
            stats.rejected,
            stats.lost,
            stats.retransmissions,
            rate,
            wall.as_secs_f64()
        );
    }
    let _ = out.flush();
    if interrupted {
        return Ok(exit::INTERRUPTED);
    }
    let dropped = stats.invalid - stats.unsigned_dropped;
    if stats.lost > 0 && dropped > 0 {
        // Say why the replies were refused; the secret only when they failed their
        // Response Authenticator or Message-Authenticator check.
        if stats.bad_secret > 0 {
            eprintln!(
                "nacwire: {} request(s) lost, {} reply(ies) failed the authenticator or \
                 Message-Authenticator check: check the secret",
                stats.lost, stats.bad_secret
            );
        } else {
            eprintln!(
                "nacwire: {} request(s) lost, {dropped} reply(ies) refused: {}",
                stats.lost,
                stats.first_refusal.as_deref().unwrap_or("invalid")
            );
        }
        return Ok(exit::BAD_SECRET);
    }
    if stats.unsigned_dropped > 0 {
        // The secret is right (the replies verified but for their missing
        // Message-Authenticator): the server answered, unsigned.
        eprintln!(
            "nacwire: {} reply(ies) refused: no Message-Authenticator ({}); the server does not sign its replies",
            stats.unsigned_dropped,
            required_by(&args)
        );
        return Ok(exit::LOST);
    }
    if stats.lost > 0 {
        if !args.json {
            // A server drops a request that does not verify: a wrong secret looks lost.
            eprintln!(
                "nacwire: {} request(s) got no reply from {server} (is it up, is the port right, is the secret right?)",
                stats.lost
            );
        }
        return Ok(exit::LOST);
    }
    if stats.rejected > 0 || stats.failed_filter > 0 {
        return Ok(exit::REJECTED);
    }
    Ok(exit::OK)
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
mod tests {
    use super::*;
    use crate::common::add_item;

    /// Files side by side (radclient): each file up to `limit` in flight, its packets
    /// in order and cycled `count` times, the files taken in turn; one file alone is
    /// the packets in order.
    #[test]
    fn lanes_send_files_side_by_side() {
        // Packets 0, 1, 2 from file a, 3, 4 from b, 5 from the arguments.
        let files = ["a", "a", "a", "b", "b", "arguments"];
        let mut l = Lanes::new(files, 1);
        let start = |l: &mut Lanes, limit| {
            let (lane, i) = l.next(limit)?;
            l.started(lane);
            Some((lane, i))
        };
        assert_eq!(start(&mut l, 1), Some((0, 0)));
        assert_eq!(start(&mut l, 1), Some((1, 3)));
        assert_eq!(start(&mut l, 1), Some((2, 5)));
        // Every file has its one request in flight.
        assert_eq!(start(&mut l, 1), None);
        l.ended(1);
        assert_eq!(start(&mut l, 1), Some((1, 4)));
        assert_eq!(start(&mut l, 1), None);
        l.ended(2);
        l.ended(1);
        // b and the arguments are done; a still has 1 and 2.
        assert_eq!(start(&mut l, 1), None);
        l.ended(0);
        assert_eq!(start(&mut l, 1), Some((0, 1)));
        assert!(!l.all_started());
        l.ended(0);
        assert_eq!(start(&mut l, 1), Some((0, 2)));
        assert!(l.all_started());
        assert_eq!(start(&mut l, 1), None);

        // -p 2 -c 2: two of each file at once, each file's packets cycled.
        let mut l = Lanes::new(["a", "a", "b"], 2);
        let order: Vec<_> = std::iter::from_fn(|| start(&mut l, 2)).collect();
        assert_eq!(order, [(0, 0), (1, 2), (0, 1), (1, 2)]);
        l.ended(0);
        l.ended(0);
        let order: Vec<_> = std::iter::from_fn(|| start(&mut l, 2)).collect();
        assert_eq!(order, [(0, 0), (0, 1)]);
        assert!(l.all_started());

        // One file: in order, `limit` at a time, as before.
        let mut l = Lanes::new(["f"; 3], 1);
        let order: Vec<_> = std::iter::from_fn(|| start(&mut l, usize::MAX)).collect();
        assert_eq!(order, [(0, 0), (0, 1), (0, 2)]);
    }

    /// Items resolved once give the bytes of items added by name, packet after packet
    /// (hidden values redone with each Request Authenticator, tags, VSAs, quoted text,
    /// Message-Authenticator), and resolving reports what adding by name reports.
    #[test]
    fn resolved_items_build_the_same_packets() {
        let dict = Dictionary::builtin();
        let secret = SharedSecret::from("testing123");
        let items: Vec<Item> = [
            "User-Name = \"bob \\\"the\\\" user\"",
            "User-Password = hello",
            "Service-Type = Framed-User",
            "Framed-IP-Address = 192.0.2.7",
            "Tunnel-Type:1 = VLAN",
            "Tunnel-Private-Group-Id:1 = \"42\"",
            "Tunnel-Password:2 = \"s3cret\"",
            "Cisco-AVPair = \"shell:priv-lvl=15\"",
            "Message-Authenticator = 0x00",
        ]
        .iter()
        .map(|t| parse_item(t).unwrap())
        .collect();
        let hiding = Hiding {
            secret: &secret,
            salt: 0x8001,
        };
        let resolved: Vec<_> = items
            .iter()
            .map(|i| resolve_item(dict, Code::AccessRequest, i, &hiding).unwrap())
            .collect();
        for n in 0..4u8 {
            let auth = [n.wrapping_mul(37); 16];
            let hiding = Hiding {
                secret: &secret,
                salt: 0x8000 | u16::from(n),
            };
            let mut by_name = PacketBuilder::new(Code::AccessRequest, n, auth);
            let mut once = PacketBuilder::new(Code::AccessRequest, n, auth);
            for (item, r) in items.iter().zip(&resolved) {
                add_item(dict, &mut by_name, item, &hiding).unwrap();
                add_resolved(dict, &mut once, r, &hiding).unwrap();
            }
            let (a, b) = (by_name.finish(&secret).unwrap(), once.finish(&secret).unwrap());
            assert_eq!(a, b, "packet {n}");
            Packet::new_checked(&a[..])
                .unwrap()
                .verify_request(&secret)
                .unwrap();
        }
        for bad in [
            "No-Such-Attribute = 1",
            "Framed-IP-Address = x",
            "Tunnel-Type:99 = VLAN",
        ] {
            let item = parse_item(bad).unwrap();
            let mut b = PacketBuilder::new(Code::AccessRequest, 0, [0; 16]);
            let by_name = add_item(dict, &mut b, &item, &hiding).unwrap_err();
            let once = resolve_item(dict, Code::AccessRequest, &item, &hiding).unwrap_err();
            assert_eq!(by_name, once);
        }
    }
}
