//! What the subcommands share: exit codes, the one-line error, secrets, dictionaries,
//! attribute lists, and printing packets as text or JSON.

use std::fmt;
use std::io::{Read, Write};
use std::time::Duration;

use radius_codec::{Packet, SharedSecret};
use radius_dict::{Dictionary, FsResolver, Hiding, Mode};
use serde_json::{json, Map, Value as Json};

/// The documented exit codes (README, `nacwire --help`).
pub(crate) mod exit {
    /// Every request got the reply it expected; a decode verified.
    pub(crate) const OK: u8 = 0;
    /// A reply was a reject or a NAK (Access-Reject, CoA-NAK, Disconnect-NAK), or not
    /// the `Response-Packet-Type` asked for.
    pub(crate) const REJECTED: u8 = 1;
    /// A request got no valid reply (lost after every retry).
    pub(crate) const LOST: u8 = 2;
    /// Bad arguments, unreadable or malformed input, unknown attribute names.
    pub(crate) const USAGE: u8 = 3;
    /// A packet did not verify with the secret (wrong secret?).
    pub(crate) const BAD_SECRET: u8 = 4;
}

/// The longest timeout or pacing interval the command line accepts: one day.
const MAX_SECONDS: f64 = 86_400.0;

/// A number of seconds from the command line (`--timeout 0.5`): positive, finite and
/// at most one day, or a usage error naming the option. Never a panic.
pub(crate) fn seconds(option: &str, value: f64) -> Result<Duration, Failure> {
    if !(value.is_finite() && value > 0.0 && value <= MAX_SECONDS) {
        return Err(Failure::usage(format!(
            "{option} must be a number of seconds above 0 and at most {MAX_SECONDS} (one day)"
        )));
    }
    Duration::try_from_secs_f64(value).map_err(|e| Failure::usage(format!("{option}: {e}")))
}

/// The time between two requests at `--rate` requests per second (at least one a day).
pub(crate) fn pacing(rate: f64) -> Result<Duration, Failure> {
    if !(rate.is_finite() && rate > 0.0 && rate >= 1.0 / MAX_SECONDS) {
        return Err(Failure::usage(
            "--rate must be a positive number of requests per second (at least one a day)",
        ));
    }
    Ok(Duration::try_from_secs_f64(1.0 / rate).unwrap_or(Duration::ZERO))
}

/// The RFC 5080 schedule of `-t TIMEOUT -r RETRIES`: the first wait is the timeout,
/// each retransmission waits at most the timeout again, `retries` of them at most. An
/// exchange reads a count of 0 as "no limit" (RFC 5080 MRC), so no retransmission at
/// all is said with a maximum duration the first timer always reaches.
pub(crate) fn retransmit(timeout: Duration, retries: u32) -> radius_codec::exchange::Retransmit {
    radius_codec::exchange::Retransmit {
        initial: timeout,
        max_count: retries,
        max_time: timeout,
        max_duration: if retries == 0 {
            Duration::from_nanos(1)
        } else {
            timeout.saturating_mul(retries.saturating_add(1))
        },
    }
}

/// Writes to stdout. A closed pipe ends the program with [`exit::OK`] and no message
/// (what the reader wanted is printed; `head` closed the pipe); any other write error
/// ends it with [`exit::USAGE`] and one line on stderr. Never a panic.
pub(crate) fn write_stdout(args: fmt::Arguments<'_>) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(args) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(exit::OK.into());
        }
        let _ = writeln!(std::io::stderr(), "nacwire: writing to stdout: {e}");
        std::process::exit(exit::USAGE.into());
    }
}

/// A one-line error and its exit code.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) code: u8,
    pub(crate) message: String,
}

impl Failure {
    pub(crate) fn usage(message: impl fmt::Display) -> Self {
        Self {
            code: exit::USAGE,
            message: message.to_string(),
        }
    }
}

pub(crate) type CliResult<T> = Result<T, Failure>;

/// The most octets a text input (packet file, stdin, users file) may hold.
pub(crate) const MAX_TEXT_INPUT: u64 = 16 << 20;

/// Reads a whole text input of at most `limit` octets: `/dev/zero`, an endless pipe
/// or a huge file is a usage error naming `origin`, never an unbounded allocation.
pub(crate) fn read_text(mut input: impl Read, origin: &str, limit: u64) -> CliResult<String> {
    let mut bytes = Vec::new();
    (&mut input)
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Failure::usage(format!("{origin}: {e}")))?;
    if bytes.len() as u64 > limit {
        return Err(Failure::usage(format!("{origin}: larger than {limit} octets")));
    }
    String::from_utf8(bytes).map_err(|_| Failure::usage(format!("{origin}: not UTF-8 text")))
}

/// [`read_text`] of a file by path.
pub(crate) fn read_text_file(path: &std::path::Path, limit: u64) -> CliResult<String> {
    let origin = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|e| Failure::usage(format!("{origin}: {e}")))?;
    read_text(file, &origin, limit)
}

/// The secret: from the command line, a file (first line) or an environment variable.
pub(crate) fn resolve_secret(
    arg: Option<&str>,
    file: Option<&std::path::Path>,
    env: Option<&str>,
) -> CliResult<SharedSecret> {
    if let Some(f) = file {
        let text = read_text_file(f, 64 << 10)?;
        let line = text.lines().next().unwrap_or_default().trim_end_matches('\r');
        if line.is_empty() {
            return Err(Failure::usage(format!("{}: secret file is empty", f.display())));
        }
        return Ok(SharedSecret::from(line));
    }
    if let Some(var) = env {
        let v = std::env::var(var)
            .map_err(|_| Failure::usage(format!("environment variable {var} is not set")))?;
        return Ok(SharedSecret::from(v.as_str()));
    }
    match arg {
        Some(s) if !s.is_empty() => Ok(SharedSecret::from(s)),
        _ => Err(Failure::usage(
            "no secret: give SECRET, --secret-file FILE or --secret-env VAR",
        )),
    }
}

/// The built-in dictionary, or a FreeRADIUS tree (`DIR/dictionary`) loaded strictly.
pub(crate) fn dictionary(dir: Option<&std::path::Path>) -> CliResult<&'static Dictionary> {
    let Some(dir) = dir else {
        return Ok(Dictionary::builtin());
    };
    let root = if dir.is_dir() {
        dir.join("dictionary")
    } else {
        dir.to_path_buf()
    };
    let (d, _) = Dictionary::load(&FsResolver, &root.to_string_lossy(), Mode::Strict)
        .map_err(|e| Failure::usage(format!("dictionary: {e}")))?;
    Ok(Box::leak(Box::new(d)))
}

/// One `Name = value` item, as written on the command line or in a radclient file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Item {
    pub(crate) name: String,
    pub(crate) value: String,
}

/// Parses `Name=value`, `Name = value`, `Name := value` or `Name += value` (the value in
/// FreeRADIUS syntax: quoted with escapes, or a bare word).
pub(crate) fn parse_item(text: &str) -> Option<Item> {
    let (name, value) = text.split_once('=')?;
    let name = name.trim().trim_end_matches([':', '+']).trim();
    let value = value.trim();
    if name.is_empty() || name.contains(char::is_whitespace) {
        return None;
    }
    Some(Item {
        name: name.to_string(),
        value: value.to_string(),
    })
}

/// Items separated by commas or newlines (radclient input): packets are separated by
/// blank lines. Commas inside quotes are kept.
pub(crate) fn parse_packets(text: &str, origin: &str) -> CliResult<Vec<Vec<Item>>> {
    let mut packets = Vec::new();
    let mut current = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            if !current.is_empty() {
                packets.push(std::mem::take(&mut current));
            }
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        for part in split_commas(line) {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            let item = parse_item(part).ok_or_else(|| {
                Failure::usage(format!(
                    "{origin}:{}: expected `Name = value`, got `{part}`",
                    n + 1
                ))
            })?;
            current.push(item);
        }
    }
    if !current.is_empty() {
        packets.push(current);
    }
    Ok(packets)
}

pub(crate) fn split_commas(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut start, mut quote, mut escape) = (0, None, false);
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (Some(_), '\\') if !escape => {
                escape = true;
                continue;
            }
            (Some(q), c) if c == q && !escape => quote = None,
            (None, '"' | '\'') => quote = Some(c),
            (None, ',') => {
                out.push(line.get(start..i).unwrap_or_default());
                start = i + 1;
            }
            _ => {}
        }
        escape = false;
    }
    out.push(line.get(start..).unwrap_or_default());
    out
}

/// Adds one item to a packet by name, the value in FreeRADIUS syntax (quotes and
/// escapes), hidden values hidden with `hiding`.
pub(crate) fn add_item(
    dict: &Dictionary,
    b: &mut radius_codec::PacketBuilder,
    item: &Item,
    hiding: &Hiding<'_>,
) -> Result<(), String> {
    let text = item_text(dict, item)?;
    dict.add(b, &item.name, &text, Some(hiding))
        .map_err(|e| named(&item.name, e))
}

/// `subject: error`, without saying the subject twice when the error names it already.
pub(crate) fn named(subject: &str, e: impl fmt::Display) -> String {
    let text = e.to_string();
    if text.starts_with(subject) {
        text
    } else {
        format!("{subject}: {text}")
    }
}

/// An item looked up and parsed once (attribute, tag, value), to add to many packets:
/// what [`add_item`] does per packet, without the name lookup and the value parsing.
#[derive(Clone, Debug)]
pub(crate) struct ResolvedItem<'d> {
    name: String,
    attr: &'d radius_dict::AttrDef,
    tag: Option<u8>,
    value: radius_codec::Value<'static>,
}

/// Resolves `item` for [`add_resolved`]; the errors are those of [`add_item`] (it is
/// tried once on a scratch packet of `code`).
pub(crate) fn resolve_item<'d>(
    dict: &'d Dictionary,
    code: radius_codec::Code,
    item: &Item,
    hiding: &Hiding<'_>,
) -> Result<ResolvedItem<'d>, String> {
    let mut scratch = radius_codec::PacketBuilder::new(code, 0, [0; 16]);
    add_item(dict, &mut scratch, item, hiding)?;
    let text = item_text(dict, item)?;
    // The split of `Dictionary::add`: `Name:N` is a tag.
    let (base, tag) = match item.name.rsplit_once(':') {
        Some((n, t)) if !t.is_empty() && t.bytes().all(|c| c.is_ascii_digit()) => (n, Some(t)),
        _ => (item.name.as_str(), None),
    };
    let bad = |what: &dyn fmt::Display| format!("{}: {what}", item.name);
    let attr = dict
        .attr(base)
        .ok_or_else(|| bad(&format_args!("unknown attribute `{base}`")))?;
    let tag = tag
        .map(|t| t.parse::<u8>().map_err(|_| bad(&"invalid tag")))
        .transpose()?;
    let value = if attr.addr() == radius_dict::AttrAddr::standard(80) {
        // Message-Authenticator: computed when the packet is finished.
        radius_codec::Value::Octets(std::borrow::Cow::Borrowed(&[]))
    } else {
        dict.parse_value(attr, &text).map_err(|e| bad(&e))?
    };
    Ok(ResolvedItem {
        name: item.name.clone(),
        attr,
        tag,
        value,
    })
}

/// Adds a resolved item to a packet: the same bytes as [`add_item`] with the same
/// builder and hiding.
pub(crate) fn add_resolved(
    dict: &Dictionary,
    b: &mut radius_codec::PacketBuilder,
    item: &ResolvedItem<'_>,
    hiding: &Hiding<'_>,
) -> Result<(), String> {
    dict.add_typed(b, item.attr, item.tag, &item.value, Some(hiding))
        .map_err(|e| named(&item.name, e))
}

/// The value text of an item as `Dictionary::add` takes it: a quoted FreeRADIUS value
/// unquoted and unescaped (then formatted back when it is not text).
fn item_text(dict: &Dictionary, item: &Item) -> Result<String, String> {
    let base = item.name.rsplit_once(':').map_or(item.name.as_str(), |(n, t)| {
        if t.bytes().all(|c| c.is_ascii_digit()) {
            n
        } else {
            item.name.as_str()
        }
    });
    let attr = dict
        .attr(base)
        .ok_or_else(|| format!("unknown attribute `{base}`"))?;
    let v = item.value.trim();
    let text = if v.starts_with(['"', '\'']) {
        let value = dict
            .parse_value_freeradius(attr, v)
            .map_err(|e| named(&item.name, e))?;
        match &value {
            radius_codec::Value::String(b) | radius_codec::Value::Octets(b) => match std::str::from_utf8(b) {
                Ok(s) => s.to_string(),
                Err(_) => dict.format_value(attr, &value),
            },
            other => dict.format_value(attr, other),
        }
    } else {
        v.to_string()
    };
    Ok(text)
}

/// Hex string to bytes (`0x` prefix, blanks and colons allowed).
pub(crate) fn parse_hex(text: &str) -> Option<Vec<u8>> {
    let t = text.trim();
    let t = t.strip_prefix("0x").unwrap_or(t);
    let digits: Vec<u8> = t
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b':')
        .collect();
    if digits.len() % 2 != 0 {
        return None;
    }
    digits
        .chunks(2)
        .map(|p| {
            let s = std::str::from_utf8(p).ok()?;
            u8::from_str_radix(s, 16).ok()
        })
        .collect()
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// The attributes of a packet, revealing hidden values with `hiding` (secret, and the
/// Request Authenticator of the request when `packet` is a reply; a request's own
/// vector is picked by the dictionary).
fn decoded<'d, 'a>(
    dict: &'d Dictionary,
    packet: &Packet<&'a [u8]>,
    hiding: Option<(&SharedSecret, [u8; 16])>,
) -> Vec<radius_dict::Decoded<'d, 'a>> {
    let Some((secret, vector)) = hiding else {
        return dict.decode(packet, None);
    };
    let h = Hiding { secret, salt: 0 };
    if packet.code().is_request() {
        return dict.decode(packet, Some(&h));
    }
    // only the request's Authenticator field matters for a reply's hidden values
    let mut header = [0u8; 20];
    header[3] = 20;
    header[4..].copy_from_slice(&vector);
    dict.decode_reply(packet, &Packet::new_unchecked(&header[..]), Some(&h))
}

/// An attribute's name, with `:tag` when it has a nonzero tag.
fn tagged_name(a: &radius_dict::Decoded<'_, '_>) -> String {
    match a.tag {
        Some(t) if t != 0 => format!("{}:{t}", a.name),
        _ => a.name.to_string(),
    }
}

/// The attributes of a packet by name, as text (FreeRADIUS syntax), revealing hidden
/// values when `hiding` (secret, Request Authenticator) is given.
pub(crate) fn attributes(
    dict: &Dictionary,
    packet: &Packet<&[u8]>,
    hiding: Option<(&SharedSecret, [u8; 16])>,
) -> Vec<(String, String)> {
    decoded(dict, packet, hiding)
        .into_iter()
        .map(|a| {
            let text = match a.def {
                Some(d) if !d.flags().secret => dict.format_value_freeradius(d, &a.value),
                _ => a.text(),
            };
            (tagged_name(&a), text)
        })
        .collect()
}

/// The attributes as JSON: plain text values (no FreeRADIUS quoting).
pub(crate) fn attributes_plain(
    dict: &Dictionary,
    packet: &Packet<&[u8]>,
    hiding: Option<(&SharedSecret, [u8; 16])>,
) -> Vec<(String, String)> {
    decoded(dict, packet, hiding)
        .into_iter()
        .map(|a| (tagged_name(&a), a.text()))
        .collect()
}

/// A header line and the attributes, radclient style.
pub(crate) fn print_text(out: &mut impl Write, header: &str, attrs: &[(String, String)]) {
    let _ = writeln!(out, "{header}");
    for (n, v) in attrs {
        let _ = writeln!(out, "\t{n} = {v}");
    }
}

/// The attributes as a JSON object by name; a repeated name holds an array.
pub(crate) fn attrs_json(attrs: &[(String, String)]) -> Json {
    let mut m = Map::new();
    for (n, v) in attrs {
        let v = Json::String(v.clone());
        match m.get_mut(n) {
            Some(Json::Array(a)) => a.push(v),
            Some(old) => {
                let first = old.take();
                *old = Json::Array(vec![first, v]);
            }
            None => {
                m.insert(n.clone(), v);
            }
        }
    }
    Json::Object(m)
}

/// One JSON object for a packet.
pub(crate) fn packet_json(
    event: &str,
    packet: &Packet<&[u8]>,
    attrs: &[(String, String)],
) -> Map<String, Json> {
    let mut m = Map::new();
    m.insert("event".into(), json!(event));
    m.insert("code".into(), json!(code_name(packet.code())));
    m.insert("code_number".into(), json!(packet.code().get()));
    m.insert("id".into(), json!(packet.identifier()));
    m.insert("length".into(), json!(packet.length()));
    m.insert("authenticator".into(), json!(hex(&packet.authenticator())));
    m.insert("attributes".into(), attrs_json(attrs));
    m.insert("hex".into(), json!(hex(packet.as_bytes())));
    m
}

pub(crate) fn code_name(code: radius_codec::Code) -> String {
    code.to_string()
}

pub(crate) fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1e6).round() / 1e3
}

/// Prints one JSON value on one line.
pub(crate) fn emit_json(out: &mut impl Write, v: &Json) {
    let _ = writeln!(out, "{v}");
}

/// The vector hidden values of `packet` are hidden with: zeros for requests whose
/// authenticator is computed, the packet's own authenticator for Access-Request and
/// Status-Server, the request's authenticator (`request`) for replies.
pub(crate) fn hiding_vector(packet: &Packet<&[u8]>, request: Option<[u8; 16]>) -> [u8; 16] {
    match packet.code().authenticator_kind() {
        radius_codec::AuthenticatorKind::RequestMd5 => [0; 16],
        radius_codec::AuthenticatorKind::Random => packet.authenticator(),
        _ => request.unwrap_or_else(|| packet.authenticator()),
    }
}
