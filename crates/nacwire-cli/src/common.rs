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
    /// `send` or `decode` stopped by Ctrl-C (SIGINT) after printing its partial
    /// summary: 128 + 2, the code a shell gives a command that SIGINT ended.
    pub(crate) const INTERRUPTED: u8 = 130;
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

/// A clap value parser for a whole-number option in `min..=max`: a negative number,
/// a fraction or a word is refused with one line saying what the option takes (the
/// option is declared with `allow_negative_numbers`, so `-c -5` reaches this parser
/// instead of clap's "unexpected argument").
pub(crate) fn whole<T>(
    min: u64,
    max: u64,
) -> impl Fn(&str) -> Result<T, String> + Clone + Send + Sync + 'static
where
    T: TryFrom<u64>,
{
    move |text: &str| {
        text.trim()
            .parse::<u64>()
            .ok()
            .filter(|n| (min..=max).contains(n))
            .and_then(|n| T::try_from(n).ok())
            .ok_or_else(|| {
                let negative = text.trim().starts_with('-');
                let what = if max == u64::MAX {
                    format!("a whole number of {min} or more")
                } else {
                    format!("a whole number from {min} to {max}")
                };
                if negative {
                    format!("negative numbers are not accepted: give {what}")
                } else {
                    format!("give {what}")
                }
            })
    }
}

/// A clap value parser for a number of seconds (`-t 0.25`): above 0, at most one day.
pub(crate) fn seconds_arg(text: &str) -> Result<f64, String> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v > 0.0 && *v <= MAX_SECONDS)
        .ok_or_else(|| format!("give a number of seconds above 0 and at most {MAX_SECONDS} (one day)"))
}

/// A clap value parser for `--rate`: requests per second, above 0 (at least one a day).
pub(crate) fn rate_arg(text: &str) -> Result<f64, String> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|r| r.is_finite() && *r >= 1.0 / MAX_SECONDS)
        .ok_or_else(|| "give a positive number of requests per second (at least one a day)".to_string())
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
    readable(&root)?;
    let (d, _) = Dictionary::load(&FsResolver, &root.to_string_lossy(), Mode::Strict)
        .map_err(|e| Failure::usage(format!("dictionary: {e}")))?;
    Ok(Box::leak(Box::new(d)))
}

/// A dictionary's root file can be opened, or a usage error saying why, as the
/// system says it: `/nonexistent: cannot be read (No such file or directory)`.
pub(crate) fn readable(root: &std::path::Path) -> CliResult<()> {
    let why = match std::fs::File::open(root) {
        Ok(f) if f.metadata().is_ok_and(|m| m.is_dir()) => "a directory".to_string(),
        Ok(_) => return Ok(()),
        Err(e) => {
            // `No such file or directory (os error 2)`: the words, without the number.
            let text = e.to_string();
            match text.find(" (os error") {
                Some(at) => text.get(..at).unwrap_or(&text).to_string(),
                None => text,
            }
        }
    };
    Err(Failure::usage(format!(
        "{}: cannot be read ({why})",
        root.display()
    )))
}

/// [`dictionary`], then a site's `RADDB/dictionary` loaded on top of it (radclient's
/// `-d RADDB`, strict); a missing or unreadable file is a usage error naming it.
pub(crate) fn dictionary_with_site(
    dir: Option<&std::path::Path>,
    raddb: Option<&std::path::Path>,
) -> CliResult<&'static Dictionary> {
    let base = dictionary(dir)?;
    let Some(raddb) = raddb else {
        return Ok(base);
    };
    let site = raddb.join("dictionary");
    if !site.is_file() {
        return Err(Failure::usage(format!(
            "{}: no site dictionary there (-d RADDB reads RADDB/dictionary)",
            site.display()
        )));
    }
    let (d, _) = base
        .clone()
        .load_more(&FsResolver, &site.to_string_lossy(), Mode::Strict)
        .map_err(|e| Failure::usage(format!("site dictionary: {e}")))?;
    Ok(Box::leak(Box::new(d)))
}

/// One `Name = value` item, as written on the command line or in a radclient file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Item {
    pub(crate) name: String,
    pub(crate) value: String,
}

/// Parses `Name=value`, `Name = value`, `Name := value`, `Name += value` or
/// `Name == value` (a command-line argument: the value is everything after the
/// operator, in FreeRADIUS syntax: quoted with escapes, or a bare word).
pub(crate) fn parse_item(text: &str) -> Option<Item> {
    let (name, value) = text.split_once('=')?;
    let name = name.trim().trim_end_matches([':', '+']).trim();
    // `Name == value`: radclient reads `==` as an assignment in a request.
    let value = value.strip_prefix('=').unwrap_or(value).trim();
    if name.is_empty() || name.contains(char::is_whitespace) {
        return None;
    }
    Some(Item {
        name: name.to_string(),
        value: value.to_string(),
    })
}

/// The value of an item written `Name !* ANY` (radclient 3.2.5+: "do not add this
/// attribute"; understood for Message-Authenticator).
pub(crate) const ABSENT: &str = "!* ANY";

/// The value of an item written `Name =* ANY` (a radclient filter: "present, any
/// value"; understood for Message-Authenticator in a `-f FILE:FILTER` filter).
pub(crate) const PRESENT: &str = "=* ANY";

/// Items separated by commas or newlines (radclient input): packets are separated by
/// blank lines, `#` starts a comment (outside quotes). Each item comes with where it
/// was read, `ORIGIN:LINE`, for the errors found later (unknown names, bad values).
pub(crate) fn parse_packets(text: &str, origin: &str) -> CliResult<Vec<Vec<(Item, String)>>> {
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
        let items = parse_line(line).map_err(|e| Failure::usage(format!("{origin}:{}: {e}", n + 1)))?;
        current.extend(items.into_iter().map(|i| (i, format!("{origin}:{}", n + 1))));
    }
    if !current.is_empty() {
        packets.push(current);
    }
    Ok(packets)
}

/// One line of a radclient input file, as FreeRADIUS reads it
/// (`fr_pair_list_afrom_str`): `Name OP value` items separated by commas, each value
/// a quoted string (`"..."`, `'...'`, backslash escapes) or a bare word, then a comma,
/// the end of the line or a `#` comment. The operators `=`, `:=`, `+=` and `==` set a
/// value; `Name !* ANY` leaves an attribute out; the filter operators (`!=`, `<`,
/// `=~` ...) are refused.
pub(crate) fn parse_line(line: &str) -> Result<Vec<Item>, String> {
    let mut items = Vec::new();
    let mut rest = line.trim_start();
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ',');
        if rest.is_empty() || rest.starts_with('#') {
            return Ok(items);
        }
        // The name: up to blanks or an operator (`Tunnel-Type:1` keeps its tag).
        let end = rest
            .char_indices()
            .find(|&(i, c)| {
                c.is_whitespace()
                    || matches!(c, '=' | '!' | '<' | '>' | '+' | '~' | ',' | '#' | '"' | '\'')
                    || (c == ':' && rest.get(i + 1..).is_some_and(|r| r.starts_with('=')))
            })
            .map_or(rest.len(), |(i, _)| i);
        let (name, after) = rest.split_at(end);
        if name.is_empty() {
            return Err(format!("expected an attribute name, got `{}`", clip(rest)));
        }
        let after = after.trim_start();
        const OPS: [&str; 13] = [
            ":=", "+=", "==", "!=", ">=", "<=", "=~", "!~", "=*", "!*", "=", "<", ">",
        ];
        let Some(op) = OPS.iter().find(|op| after.starts_with(**op)) else {
            return Err(format!("expected `{name} = value`, got `{}`", clip(line)));
        };
        let after = after.get(op.len()..).unwrap_or_default().trim_start();
        let (value, after) = value_token(after).map_err(|e| format!("{name}: {e}"))?;
        match *op {
            "=" | ":=" | "+=" | "==" => {}
            "!*" | "=*" => {
                if !value.eq_ignore_ascii_case("ANY") {
                    return Err(format!(
                        "{name}: `{op}` takes ANY (`{name} {op} ANY`), got `{value}`"
                    ));
                }
            }
            other => {
                return Err(format!(
                    "{name}: `{other}` compares (a filter), it does not set a value: use `{name} = value`"
                ))
            }
        }
        if value.is_empty() {
            return Err(format!("{name}: no value after `{op}`"));
        }
        items.push(Item {
            name: name.to_string(),
            value: match *op {
                "!*" => ABSENT.to_string(),
                "=*" => PRESENT.to_string(),
                _ => value.to_string(),
            },
        });
        let after = after.trim_start();
        if !(after.is_empty() || after.starts_with([',', '#'])) {
            return Err(format!(
                "expected a comma or the end of the line after `{name} {op} {value}`, got `{}` (quote a value with blanks)",
                clip(after)
            ));
        }
        rest = after;
    }
}

/// A value at the start of `text`: a quoted string (quotes and escapes kept, for
/// [`item_text`]) or a bare word (up to a blank or a comma); and what follows it.
fn value_token(text: &str) -> Result<(&str, &str), String> {
    let Some(q) = text.chars().next().filter(|c| matches!(c, '"' | '\'' | '`')) else {
        let end = text
            .find(|c: char| c.is_whitespace() || c == ',')
            .unwrap_or(text.len());
        return Ok(text.split_at(end));
    };
    let mut escape = false;
    for (i, c) in text.char_indices().skip(1) {
        if escape {
            escape = false;
        } else if c == '\\' {
            escape = true;
        } else if c == q {
            return Ok(text.split_at(i + c.len_utf8()));
        }
    }
    Err(format!("no closing {q} in `{}`", clip(text)))
}

/// At most 40 characters of `s`, for error messages.
fn clip(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if s.chars().nth(40).is_some() {
        out.push_str("...");
    }
    out
}

/// A quoted FreeRADIUS value without its quotes, escapes undone (`\"`, `\\`, `\n`,
/// `\r`, `\t`); a bare word as it is.
pub(crate) fn unquote(v: &str) -> String {
    let v = v.trim();
    let Some(q) = v.chars().next().filter(|c| matches!(c, '"' | '\'' | '`')) else {
        return v.to_string();
    };
    let inner = v
        .strip_prefix(q)
        .and_then(|r| r.strip_suffix(q))
        .unwrap_or_else(|| v.get(1..).unwrap_or_default());
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
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

/// The attribute a name gives, and its tag's digits: `Name` or `Name:N` (an RFC 2868
/// tag), `Name` a dictionary name (case ignored) or a FreeRADIUS raw name
/// (`Attr-26.9.1`, `Attr-241.26.9.1`, `Vendor-9-Attr-1`, `Cisco-Attr-1`; see
/// [`Dictionary::raw_attr`]), as [`Dictionary::add`] reads it. The one reader of
/// attribute names in the CLI: request items, radclient filters, `serve --nak-if`
/// and `dict show` all say an attribute the same ways.
pub(crate) fn attr_named<'d, 'n>(
    dict: &'d Dictionary,
    name: &'n str,
) -> Result<(std::borrow::Cow<'d, radius_dict::AttrDef>, Option<&'n str>), String> {
    // The split of `Dictionary::add`: `Name:N` is a tag.
    let (base, tag) = match name.rsplit_once(':') {
        Some((n, t)) if !t.is_empty() && t.bytes().all(|c| c.is_ascii_digit()) => (n, Some(t)),
        _ => (name, None),
    };
    let attr = dict.attr_or_raw(base).map_err(|e| match e.kind() {
        radius_dict::ErrorKind::UnknownAttribute => unknown_attribute(dict, base, e.suggestions()),
        _ => named(name, e),
    })?;
    Ok((attr, tag))
}

/// Where FreeRADIUS installs its dictionary tree (Debian, Ubuntu, Fedora).
pub(crate) const FREERADIUS_DIR: &str = "/usr/share/freeradius";

/// The FreeRADIUS tree at [`FREERADIUS_DIR`], loaded once and only when asked (on
/// the error paths that hint at `-D`); `None` where it is not installed or does not
/// load.
pub(crate) fn freeradius_tree() -> Option<&'static Dictionary> {
    static TREE: std::sync::OnceLock<Option<Dictionary>> = std::sync::OnceLock::new();
    TREE.get_or_init(|| {
        let root = std::path::Path::new(FREERADIUS_DIR).join("dictionary");
        if !root.is_file() {
            return None;
        }
        Dictionary::load(&FsResolver, &root.to_string_lossy(), Mode::Lenient)
            .ok()
            .map(|(d, _)| d)
    })
    .as_ref()
}

/// Why `name` is not an attribute of `dict`, in one line: the closest names
/// (`did you mean 'User-Name'?`); or, when `dict` is the built-in dictionary (no `-D`
/// or `-d` given) and the FreeRADIUS tree defines the name, that `-D` would find it.
pub(crate) fn unknown_attribute(dict: &Dictionary, name: &str, suggestions: &[String]) -> String {
    let mut text = format!("unknown attribute `{name}`");
    if std::ptr::eq(dict, Dictionary::builtin()) && freeradius_tree().is_some_and(|t| t.attr(name).is_some())
    {
        text.push_str(&format!(
            " (not in the built-in dictionary; {FREERADIUS_DIR} defines it: add -D {FREERADIUS_DIR})"
        ));
        return text;
    }
    if let Some(hint) = did_you_mean(suggestions) {
        text.push_str(&format!(" ({hint})"));
    }
    text
}

/// `did you mean 'A'?` (or `'A' or 'B'`, `'A', 'B' or 'C'`); `None` for no names.
pub(crate) fn did_you_mean(names: &[String]) -> Option<String> {
    let quoted: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
    let (last, rest) = quoted.split_last()?;
    Some(if rest.is_empty() {
        format!("did you mean {last}?")
    } else {
        format!("did you mean {} or {last}?", rest.join(", "))
    })
}

/// An item looked up and parsed once (attribute, tag, value), to add to many packets:
/// what [`add_item`] does per packet, without the name lookup and the value parsing.
#[derive(Clone, Debug)]
pub(crate) struct ResolvedItem<'d> {
    name: String,
    /// A dictionary attribute, or a raw one (`Attr-27 = 0x000001`).
    attr: std::borrow::Cow<'d, radius_dict::AttrDef>,
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
    resolve_item_checked(dict, code, item, hiding).map_err(|e| {
        // A structured attribute by name (`Vendor-Specific = 0x...`) must hold what
        // parses as its structure; say how to send any octets (radclient: "Must use
        // 'Attr-26 = ...'").
        use radius_codec::DataType as T;
        match attr_named(dict, &item.name) {
            Ok((a, _))
                if !a.is_raw()
                    && matches!(a.data_type(), T::Vsa | T::Tlv | T::Extended | T::LongExtended)
                    && e.contains("not a valid") =>
            {
                format!(
                    "{e}: the octets must parse as {}'s structure; `{} = 0x...` sends any octets",
                    a.name(),
                    a.addr()
                )
            }
            _ => e,
        }
    })
}

fn resolve_item_checked<'d>(
    dict: &'d Dictionary,
    code: radius_codec::Code,
    item: &Item,
    hiding: &Hiding<'_>,
) -> Result<ResolvedItem<'d>, String> {
    let mut scratch = radius_codec::PacketBuilder::new(code, 0, [0; 16]);
    add_item(dict, &mut scratch, item, hiding)?;
    let text = item_text(dict, item)?;
    let (attr, tag) = attr_named(dict, &item.name)?;
    let bad = |what: &dyn fmt::Display| format!("{}: {what}", item.name);
    let tag = tag
        .map(|t| t.parse::<u8>().map_err(|_| bad(&"invalid tag")))
        .transpose()?;
    let value = if attr.addr() == radius_dict::AttrAddr::standard(80) {
        // Message-Authenticator: computed when the packet is finished.
        radius_codec::Value::Octets(std::borrow::Cow::Borrowed(&[]))
    } else {
        dict.parse_value(&attr, &text).map_err(|e| bad(&e))?
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
    dict.add_typed(b, &item.attr, item.tag, &item.value, Some(hiding))
        .map_err(|e| named(&item.name, e))
}

/// [`add_resolved`] for a RADIUS/1.1 request (RFC 9765 §5.1: no attribute is hidden):
/// User-Password goes in clear; another hidden attribute (Tunnel-Password, vendor
/// keys) is refused with an error naming it, rather than sent hidden.
pub(crate) fn add_resolved_radius11(
    dict: &Dictionary,
    b: &mut radius_codec::PacketBuilder,
    item: &ResolvedItem<'_>,
    hiding: &Hiding<'_>,
) -> Result<(), String> {
    if item.attr.flags().encrypt == radius_dict::Encrypt::None {
        return add_resolved(dict, b, item, hiding);
    }
    match &item.value {
        radius_codec::Value::String(v) | radius_codec::Value::Octets(v)
            if item.attr.addr() == radius_dict::AttrAddr::standard(2) =>
        {
            b.add(radius_codec::AttrType::USER_PASSWORD, v)
                .map(|_| ())
                .map_err(|e| named(&item.name, e))
        }
        _ => Err(item
            .radius11_refusal()
            .unwrap_or_else(|| format!("{}: cannot be sent over RADIUS/1.1", item.name))),
    }
}

impl ResolvedItem<'_> {
    /// For a named (not raw) string or octets attribute with no octets, its raw name
    /// (`Attr-1`), to say how to send it anyway; `None` otherwise, for
    /// Message-Authenticator (its value is computed when the packet is finished) and
    /// for Chargeable-User-Identity, which FreeRADIUS sends empty too (RFC 4372 §2: a
    /// NAS asks for the CUI with an empty one).
    pub(crate) fn empty_named(&self) -> Option<String> {
        let empty = matches!(
            &self.value,
            radius_codec::Value::String(v) | radius_codec::Value::Octets(v) if v.is_empty()
        );
        let sent_empty = [80, 89].map(radius_dict::AttrAddr::standard);
        (empty && !self.attr.is_raw() && !sent_empty.contains(&self.attr.addr()))
            .then(|| self.attr.addr().to_string())
    }

    /// The item as a packet carrying it prints ([`attributes_plain`]): name (with
    /// `:tag` when tagged) and value text, to compare with what a reply prints. A raw
    /// attribute prints as its octets read with the dictionary, as FreeRADIUS reads a
    /// raw name it knows (`Attr-26.9.1 = 0x6869` is `Cisco-AVPair = "hi"`); that may
    /// be several attributes (a raw `Attr-26` holding two).
    pub(crate) fn printed(&self, dict: &Dictionary) -> Result<Vec<(String, String)>, String> {
        if !self.attr.is_raw() {
            let name = match self.tag {
                Some(t) if t != 0 => format!("{}:{t}", self.attr.name()),
                _ => self.attr.name().to_string(),
            };
            return Ok(vec![(name, dict.format_value(&self.attr, &self.value))]);
        }
        // A raw value is placed as it is, never hidden: no secret is involved. (An
        // Accounting-Request: an Access-* packet would carry a Message-Authenticator.)
        let mut b = radius_codec::PacketBuilder::accounting_request(0);
        dict.add_typed(&mut b, &self.attr, self.tag, &self.value, None)
            .map_err(|e| named(&self.name, e))?;
        let bytes = b
            .finish(&SharedSecret::from("printed"))
            .map_err(|e| named(&self.name, e))?;
        let p = Packet::new_checked(&bytes[..]).map_err(|e| named(&self.name, e))?;
        Ok(attributes_plain(dict, &p, None))
    }

    /// Why this item cannot go in a RADIUS/1.1 request ([`add_resolved_radius11`]).
    pub(crate) fn radius11_refusal(&self) -> Option<String> {
        let hidden = self.attr.flags().encrypt != radius_dict::Encrypt::None;
        let password = self.attr.addr() == radius_dict::AttrAddr::standard(2)
            && matches!(
                self.value,
                radius_codec::Value::String(_) | radius_codec::Value::Octets(_)
            );
        (hidden && !password).then(|| {
            format!(
                "{}: a hidden attribute other than User-Password cannot be sent over RADIUS/1.1 yet \
                 (use --radius11 forbid)",
                self.name
            )
        })
    }
}

/// The value text of an item as `Dictionary::add` takes it: a quoted FreeRADIUS value
/// unquoted and unescaped (then formatted back when it is not text).
fn item_text(dict: &Dictionary, item: &Item) -> Result<String, String> {
    let (attr, _) = attr_named(dict, &item.name)?;
    let v = item.value.trim();
    let text = if v.starts_with(['"', '\'']) {
        let value = dict
            .parse_value_freeradius(&attr, v)
            .map_err(|e| named(&item.name, e))?;
        match &value {
            // A raw attribute's value is hex, quoted or not.
            radius_codec::Value::String(b) | radius_codec::Value::Octets(b) if !attr.is_raw() => {
                match std::str::from_utf8(b) {
                    Ok(s) => s.to_string(),
                    Err(_) => dict.format_value(&attr, &value),
                }
            }
            other => dict.format_value(&attr, other),
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

/// The attributes of a packet as FreeRADIUS 3.2 prints them (names with `:tag` on
/// tagged attributes, `:0` when untagged; unknown and malformed ones as `Attr-N =
/// 0x...`; quoted strings and dates), revealing hidden values when `hiding` (secret,
/// Request Authenticator) is given.
pub(crate) fn attributes(
    dict: &Dictionary,
    packet: &Packet<&[u8]>,
    hiding: Option<(&SharedSecret, [u8; 16])>,
) -> Vec<(String, String)> {
    decoded(dict, packet, hiding)
        .into_iter()
        .map(|a| (a.freeradius_name().into_owned(), a.freeradius_value()))
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

/// The attributes as a JSON object by name, each value an array of FreeRADIUS text
/// strings, one per occurrence in packet order (`{"Cisco-AVPair": ["a=b"]}` for one,
/// `["a=b", "c=d"]` for two): the shape does not depend on how many times a NAS sends
/// an attribute. Every `--json` event that carries attributes goes through here.
pub(crate) fn attrs_json(attrs: &[(String, String)]) -> Json {
    let mut m = Map::new();
    for (n, v) in attrs {
        // Every value inserted here is an array, so the `if let` always matches.
        if let Json::Array(a) = m.entry(n.clone()).or_insert_with(|| Json::Array(Vec::new())) {
            a.push(Json::String(v.clone()));
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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn pairs(line: &str) -> Vec<(String, String)> {
        parse_line(line)
            .unwrap()
            .into_iter()
            .map(|i| (i.name, i.value))
            .collect()
    }

    /// radclient lines as FreeRADIUS reads them: operators, quotes with escapes and
    /// commas, comments, tags, empty items between commas.
    #[test]
    fn radclient_lines() {
        let p = |n: &str, v: &str| (n.to_string(), v.to_string());
        assert_eq!(
            pairs(r#"User-Name = "a \"b\", c", Tunnel-Type:1 = VLAN # note, more"#),
            [p("User-Name", r#""a \"b\", c""#), p("Tunnel-Type:1", "VLAN")]
        );
        assert_eq!(
            pairs("User-Name:=bob,,Class+=0x41 , Reply-Message == 'x y'"),
            [
                p("User-Name", "bob"),
                p("Class", "0x41"),
                p("Reply-Message", "'x y'")
            ]
        );
        assert_eq!(
            pairs("Message-Authenticator !* ANY"),
            [p("Message-Authenticator", ABSENT)]
        );
        assert!(pairs("  # only a comment").is_empty());
        for (bad, want) in [
            ("User-Name", "expected `User-Name = value`"),
            ("User-Name =", "no value"),
            ("User-Name = bob smith", "expected a comma"),
            ("User-Name = \"bob\" x", "expected a comma"),
            ("User-Name < 3", "compares"),
            ("User-Name !* bob", "takes ANY"),
            ("User-Name = 'bob", "no closing '"),
        ] {
            let e = parse_line(bad).unwrap_err();
            assert!(e.contains(want), "{bad}: {e}");
        }
    }

    #[test]
    fn unquote_undoes_freeradius_escapes() {
        assert_eq!(unquote(r#""a\"b\\c\n""#), "a\"b\\c\n");
        assert_eq!(unquote("'it''"), "it'");
        assert_eq!(unquote("bare"), "bare");
    }

    /// Negative, fractional and out-of-range numbers are refused with what the option
    /// takes; numbers in range parse.
    #[test]
    fn whole_numbers() {
        let count = whole::<u64>(1, u64::MAX);
        assert_eq!(count("5"), Ok(5));
        assert!(count("-5")
            .unwrap_err()
            .starts_with("negative numbers are not accepted"));
        assert_eq!(count("0").unwrap_err(), "give a whole number of 1 or more");
        let id = whole::<u8>(0, 255);
        assert_eq!(id("255"), Ok(255));
        assert_eq!(id("256").unwrap_err(), "give a whole number from 0 to 255");
        assert!(seconds_arg("-1").is_err() && seconds_arg("0").is_err() && seconds_arg("NaN").is_err());
        assert_eq!(seconds_arg("0.25"), Ok(0.25));
        assert!(rate_arg("-3").is_err() && rate_arg("inf").is_err());
    }
}
