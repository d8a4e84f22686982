//! Ascend binary filters (the `abinary` type of Ascend-Data-Filter,
//! Ascend-Call-Filter and the like) as the text FreeRADIUS 3.2 reads and prints.
//!
//! A filter is a packed structure in network byte order, 32 octets (48 for IPv6):
//!
//! | octets | field |
//! | --- | --- |
//! | 0 | type: 0 generic, 1 ip, 2 ipx, 3 ipv6 |
//! | 1 | action: 1 `forward`, 0 `drop` |
//! | 2 | direction: 1 `in`, 0 `out` |
//! | 3 | zero |
//! | 4.. | the body of the type, then zeros to the end |
//!
//! - ip: source and destination address (4 octets each), their prefix lengths,
//!   protocol, `est` (1 or 0), source and destination port (2 octets each), their
//!   comparisons (0 none, 1 `<`, 2 `=`, 3 `>`, 4 `!=`);
//! - ipv6: the same with 16-octet addresses (48 octets in all);
//! - ipx: source then destination network (4 octets), node (6) and socket (2), then
//!   the two socket comparisons;
//! - generic: offset (2 octets), length of mask and value (2, always 6 in what
//!   FreeRADIUS reads), `more` (2), mask (6), value (6), 1 for `!=` or 0 for `==`.
//!
//! The text (FreeRADIUS's `ascend_parse_filter`, words separated by blanks, keywords
//! in any case):
//!
//! ```text
//! ip      in|out forward|drop [srcip A[/N]] [dstip A[/N]] [PROTO]
//!                             [srcport CMP PORT] [dstport CMP PORT] [est]
//! ipv6    in|out forward|drop (the same, IPv6 addresses)
//! ipx     in|out forward|drop [srcipxnet NET srcipxnode NODE [srcipxsock CMP SOCK]]
//!                             [dstipxnet NET dstipxnode NODE [dstipxsock CMP SOCK]]
//! generic in|out forward|drop [OFFSET MASK VALUE [==|!=] [more]]
//! ```
//!
//! The print is FreeRADIUS's `print_abinary` (fields in the order above, ports as
//! numbers, IPX numbers as `0x` hex), with three corrections where FreeRADIUS 3.2
//! prints text that does not read back: a protocol without a name prints as its
//! number (FreeRADIUS: `??`), a generic filter prints in full (FreeRADIUS stops
//! after the action, and prints an empty one as `generic in forward 0   ==`), and an
//! IPv6 filter prints as `ipv6 ...` (FreeRADIUS 3.2.7 and later print `?? ...` and
//! cannot read `ipv6`; earlier versions do not know IPv6 filters). Octets that no
//! text reads back exactly (another length, an unknown type, comparison or flag
//! value, non-zero padding, an address of zero with a prefix length, ...) are not a
//! filter text: [`format()`] gives `None` and the caller prints `0x` hex, as
//! FreeRADIUS does for values of the wrong length.

use core::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

/// What is wrong with the text of an Ascend filter (an `abinary` value):
/// [`ErrorKind::InvalidFilter`](crate::ErrorKind::InvalidFilter) carries it, and the
/// error's token is the word at fault.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FilterError {
    /// The first word is not `ip`, `ipv6`, `ipx` or `generic`.
    UnknownType,
    /// The second word is not `in` or `out`.
    UnknownDirection,
    /// The third word is not `forward` or `drop`.
    UnknownAction,
    /// The text ends where another word is needed; the token is the word before the
    /// gap (the whole text when the type, direction or action is missing).
    MissingWord,
    /// A word with no place where it stands: not a keyword of the filter's type, a
    /// second protocol, or words after a complete generic filter. (In an `ip` filter
    /// an unknown word before any protocol is read as the protocol, and is then
    /// [`FilterError::BadProtocol`], as radclient reads it.)
    UnexpectedWord,
    /// A keyword given twice (`srcip`, `est`, `==`, ...).
    Repeated,
    /// Not an address for the filter: `a.b.c.d` or `a.b.c.d/N` (or `a/N`,
    /// `a.b/N`, `a.b.c/N`) with N up to 32 for `ip`, an IPv6 address with an optional
    /// `/N` up to 128 for `ipv6`.
    BadAddress,
    /// Not a comparison: `<`, `=`, `>` or `!=`.
    BadComparison,
    /// Not a port: a number up to 65535 or one of the names FreeRADIUS knows
    /// (`ftp-data`, `ftp`, `telnet`, `smtp`, `nameserver`, `domain`, `tftp`,
    /// `gopher`, `finger`, `www`, `kerberos`, `hostname`, `nntp`, `ntp`, `exec`,
    /// `login`, `cmd`, `talk`).
    BadPort,
    /// Not a protocol: a number up to 255 or `tcp`, `udp`, `ospf`, `icmp`.
    BadProtocol,
    /// Not a valid number: an IPX network (1 to 8 hex digits, `0x` optional), node
    /// (12 hex digits) or socket (1 to 4 hex digits), a generic offset (decimal, up
    /// to 65535), mask or value (12 hex digits).
    BadNumber,
}

impl fmt::Display for FilterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::UnknownType => "unknown filter type (ip, ipv6, ipx or generic)",
            Self::UnknownDirection => "unknown direction (in or out)",
            Self::UnknownAction => "unknown action (forward or drop)",
            Self::MissingWord => "a word is missing after",
            Self::UnexpectedWord => "unexpected word",
            Self::Repeated => "given twice",
            Self::BadAddress => "invalid address",
            Self::BadComparison => "invalid comparison (<, =, > or !=)",
            Self::BadPort => "invalid port",
            Self::BadProtocol => "invalid protocol",
            Self::BadNumber => "invalid number",
        })
    }
}

/// A parse failure: what, and the word at fault.
pub(crate) type Fail<'t> = (FilterError, &'t str);

/// The length of an IP, IPX or generic filter.
const LEN: usize = 32;
/// The length of an IPv6 filter.
const LEN_V6: usize = 48;

/// The port names FreeRADIUS reads (`filterPortType`).
const PORTS: [(&str, u16); 18] = [
    ("ftp-data", 20),
    ("ftp", 21),
    ("telnet", 23),
    ("smtp", 25),
    ("nameserver", 42),
    ("domain", 53),
    ("tftp", 69),
    ("gopher", 70),
    ("finger", 79),
    ("www", 80),
    ("kerberos", 88),
    ("hostname", 101),
    ("nntp", 119),
    ("ntp", 123),
    ("exec", 512),
    ("login", 513),
    ("cmd", 514),
    ("talk", 517),
];

/// The protocol names FreeRADIUS reads and prints (`filterProtoName`).
const PROTOCOLS: [(&str, u8); 4] = [("tcp", 6), ("udp", 17), ("ospf", 89), ("icmp", 1)];

/// A port or socket comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cmp {
    Less = 1,
    Equal = 2,
    Greater = 3,
    NotEqual = 4,
}

impl Cmp {
    const ALL: [Self; 4] = [Self::Less, Self::Equal, Self::Greater, Self::NotEqual];

    fn text(self) -> &'static str {
        match self {
            Self::Less => "<",
            Self::Equal => "=",
            Self::Greater => ">",
            Self::NotEqual => "!=",
        }
    }

    fn parse(w: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.text() == w)
    }

    /// 0 is "no comparison"; anything above 4 is not a comparison.
    fn from_wire(b: u8) -> Result<Option<Self>, ()> {
        match b {
            0 => Ok(None),
            _ => Self::ALL.into_iter().find(|c| *c as u8 == b).map(Some).ok_or(()),
        }
    }
}

/// An address and its prefix length (`srcip`, `dstip`); `N` is 4 or 16.
type Prefix<const N: usize> = ([u8; N], u8);

/// The body of an `ip` (N = 4) or `ipv6` (N = 16) filter.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct IpRule<const N: usize> {
    src: Option<Prefix<N>>,
    dst: Option<Prefix<N>>,
    proto: u8,
    src_port: Option<(Cmp, u16)>,
    dst_port: Option<(Cmp, u16)>,
    est: bool,
}

/// One side of an `ipx` filter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct IpxEnd {
    net: u32,
    node: [u8; 6],
    socket: Option<(Cmp, u16)>,
}

/// The body of a `generic` filter (one that FreeRADIUS reads: six octets of mask and
/// value).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Generic {
    offset: u16,
    mask: [u8; 6],
    value: [u8; 6],
    not_equal: bool,
    more: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Body {
    /// `None`: no offset, mask or value (all zero).
    Generic(Option<Generic>),
    Ip(IpRule<4>),
    /// Source, destination.
    Ipx([Option<IpxEnd>; 2]),
    Ipv6(IpRule<16>),
}

/// A filter as its text says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Filter {
    inbound: bool,
    forward: bool,
    body: Body,
}

// ---------------------------------------------------------------------------------
// Text -> filter

/// The blanks that separate the words of a filter text (FreeRADIUS's `str2argv`).
const BLANKS: [char; 4] = [' ', '\t', '\r', '\n'];

/// The words of a filter text, in order.
struct Words<'t> {
    text: &'t str,
    rest: &'t str,
    last: Option<&'t str>,
}

impl<'t> Words<'t> {
    fn new(text: &'t str) -> Self {
        Self {
            text,
            rest: text,
            last: None,
        }
    }

    fn peek(&self) -> Option<&'t str> {
        let r = self.rest.trim_start_matches(BLANKS);
        (!r.is_empty()).then(|| r.split_once(BLANKS).map_or(r, |(w, _)| w))
    }

    fn next(&mut self) -> Option<&'t str> {
        let r = self.rest.trim_start_matches(BLANKS);
        if r.is_empty() {
            self.rest = r;
            return None;
        }
        let (w, rest) = r.split_once(BLANKS).unwrap_or((r, ""));
        self.rest = rest;
        self.last = Some(w);
        Some(w)
    }

    /// The next word, which must be there.
    fn need(&mut self) -> Result<&'t str, Fail<'t>> {
        let after = self.last.unwrap_or(self.text);
        self.next().ok_or((FilterError::MissingWord, after))
    }

    /// The next word when it is `keyword`, consumed.
    fn take_if(&mut self, keyword: &str) -> bool {
        let found = self.peek().is_some_and(|w| w.eq_ignore_ascii_case(keyword));
        if found {
            self.next();
        }
        found
    }
}

/// One or more ASCII digits, as a number up to `max`.
fn decimal(w: &str, max: u32) -> Option<u32> {
    if w.is_empty() || !w.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // All digits: only overflow fails, and that is over `max` too.
    w.parse::<u32>().ok().filter(|n| *n <= max)
}

/// Hex digits (with an optional `0x`), at most `max_digits`.
fn hex_number(w: &str, max_digits: usize) -> Option<u32> {
    let h = w.strip_prefix("0x").or_else(|| w.strip_prefix("0X")).unwrap_or(w);
    if h.is_empty() || h.len() > max_digits || !h.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(h, 16).ok()
}

/// Exactly six octets as twelve hex digits.
fn hex6(w: &str) -> Option<[u8; 6]> {
    if w.len() != 12 || !w.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let mut out = [0u8; 6];
    for (o, pair) in out.iter_mut().zip(w.as_bytes().chunks(2)) {
        *o = u8::from_str_radix(core::str::from_utf8(pair).ok()?, 16).ok()?;
    }
    Some(out)
}

/// The prefix length FreeRADIUS gives an IPv4 address without one (or with `/0`):
/// its class's (8, 16 or 24; 32 for class D and E), 0 for 0.0.0.0.
fn classful(a: u32) -> u8 {
    match a {
        0 => 0,
        _ if a & 0x8000_0000 == 0 => 8,
        _ if a & 0xc000_0000 == 0x8000_0000 => 16,
        _ if a & 0xe000_0000 == 0xc000_0000 => 24,
        _ => 32,
    }
}

/// `a.b.c.d[/N]`, or one to three leading octets with `/N` (`10/8`); as in
/// FreeRADIUS, a missing or zero `N` is the address's class's.
fn ipv4(w: &str) -> Option<Prefix<4>> {
    let (addr, len) = match w.split_once('/') {
        Some((a, l)) => (a, Some(decimal(l, 32)?)),
        None => (w, None),
    };
    let mut octets = [0u8; 4];
    let mut count = 0;
    for part in addr.split('.') {
        if part.len() > 3 {
            return None;
        }
        *octets.get_mut(count)? = u8::try_from(decimal(part, 255)?).ok()?;
        count += 1;
    }
    if count < 4 && len.is_none() {
        return None;
    }
    let len = match len {
        Some(l @ 1..=32) => u8::try_from(l).ok()?,
        _ => classful(u32::from_be_bytes(octets)),
    };
    Some((octets, len))
}

/// An IPv6 address with an optional `/N` (128 without); as FreeRADIUS does, the
/// address is masked to its prefix.
fn ipv6(w: &str) -> Option<Prefix<16>> {
    let (addr, len) = match w.split_once('/') {
        Some((a, l)) => (a, u8::try_from(decimal(l, 128)?).ok()?),
        None => (w, 128),
    };
    let a = u128::from(addr.parse::<Ipv6Addr>().ok()?);
    let mask = u128::MAX.checked_shl(128 - u32::from(len)).unwrap_or(0);
    Some(((a & mask).to_be_bytes(), len))
}

fn port(w: &str) -> Option<u16> {
    match decimal(w, 65535) {
        Some(n) => u16::try_from(n).ok(),
        None => PORTS
            .iter()
            .find(|(name, _)| w.eq_ignore_ascii_case(name))
            .map(|(_, n)| *n),
    }
}

fn protocol(w: &str) -> Option<u8> {
    match decimal(w, 255) {
        Some(n) => u8::try_from(n).ok(),
        None => PROTOCOLS
            .iter()
            .find(|(name, _)| w.eq_ignore_ascii_case(name))
            .map(|(_, n)| *n),
    }
}

/// `CMP PORT` after `srcport`/`dstport`, or `CMP SOCKET` after an IPX socket
/// keyword.
fn comparison<'t, T>(
    words: &mut Words<'t>,
    value: impl Fn(&str) -> Option<T>,
    bad: FilterError,
) -> Result<(Cmp, T), Fail<'t>> {
    let c = words.need()?;
    let cmp = Cmp::parse(c).ok_or((FilterError::BadComparison, c))?;
    let v = words.need()?;
    Ok((cmp, value(v).ok_or((bad, v))?))
}

/// Sets `slot` once: a second time is [`FilterError::Repeated`].
fn once<'t, T>(slot: &mut Option<T>, word: &'t str, value: T) -> Result<(), Fail<'t>> {
    if slot.is_some() {
        return Err((FilterError::Repeated, word));
    }
    *slot = Some(value);
    Ok(())
}

fn parse_ip<'t, const N: usize>(
    words: &mut Words<'t>,
    address: fn(&str) -> Option<Prefix<N>>,
) -> Result<IpRule<N>, Fail<'t>> {
    let mut rule = IpRule::<N>::default();
    let (mut proto, mut est) = (None, None);
    while let Some(w) = words.next() {
        let is = |k: &str| w.eq_ignore_ascii_case(k);
        if is("srcip") || is("dstip") {
            let a = words.need()?;
            let p = address(a).ok_or((FilterError::BadAddress, a))?;
            once(if is("srcip") { &mut rule.src } else { &mut rule.dst }, w, p)?;
        } else if is("srcport") || is("dstport") {
            let slot = if is("srcport") {
                &mut rule.src_port
            } else {
                &mut rule.dst_port
            };
            if slot.is_some() {
                return Err((FilterError::Repeated, w));
            }
            *slot = Some(comparison(words, port, FilterError::BadPort)?);
        } else if is("est") {
            once(&mut est, w, ())?;
        } else if proto.is_some() {
            return Err((FilterError::UnexpectedWord, w));
        } else {
            proto = Some(protocol(w).ok_or((FilterError::BadProtocol, w))?);
        }
    }
    rule.proto = proto.unwrap_or(0);
    rule.est = est.is_some();
    Ok(rule)
}

fn parse_ipx<'t>(words: &mut Words<'t>) -> Result<[Option<IpxEnd>; 2], Fail<'t>> {
    let mut ends = [None, None];
    while let Some(w) = words.next() {
        let (side, prefix) = if w.eq_ignore_ascii_case("srcipxnet") {
            (0, "src")
        } else if w.eq_ignore_ascii_case("dstipxnet") {
            (1, "dst")
        } else {
            return Err((FilterError::UnexpectedWord, w));
        };
        let n = words.need()?;
        let net = hex_number(n, 8).ok_or((FilterError::BadNumber, n))?;
        let k = words.need()?;
        if !k.eq_ignore_ascii_case(&format!("{prefix}ipxnode")) {
            return Err((FilterError::UnexpectedWord, k));
        }
        let m = words.need()?;
        let digits = m.strip_prefix("0x").or_else(|| m.strip_prefix("0X")).unwrap_or(m);
        let node = hex6(digits).ok_or((FilterError::BadNumber, m))?;
        let socket = if words.take_if(&format!("{prefix}ipxsock")) {
            let sock = |s: &str| hex_number(s, 4).and_then(|n| u16::try_from(n).ok());
            Some(comparison(words, sock, FilterError::BadNumber)?)
        } else {
            None
        };
        let slot = ends.get_mut(side).ok_or((FilterError::UnexpectedWord, w))?;
        once(slot, w, IpxEnd { net, node, socket })?;
    }
    Ok(ends)
}

fn parse_generic<'t>(words: &mut Words<'t>) -> Result<Option<Generic>, Fail<'t>> {
    let Some(o) = words.next() else {
        return Ok(None);
    };
    let offset = decimal(o, 65535)
        .and_then(|n| u16::try_from(n).ok())
        .ok_or((FilterError::BadNumber, o))?;
    let m = words.need()?;
    let mask = hex6(m).ok_or((FilterError::BadNumber, m))?;
    let v = words.need()?;
    let value = hex6(v).ok_or((FilterError::BadNumber, v))?;
    let (mut cmp, mut more) = (None, None);
    while let Some(w) = words.next() {
        match w {
            "==" | "!=" => once(&mut cmp, w, w == "!=")?,
            _ if w.eq_ignore_ascii_case("more") => once(&mut more, w, ())?,
            _ => return Err((FilterError::UnexpectedWord, w)),
        }
    }
    Ok(Some(Generic {
        offset,
        mask,
        value,
        not_equal: cmp.unwrap_or(false),
        more: more.is_some(),
    }))
}

impl Filter {
    fn parse(text: &str) -> Result<Self, Fail<'_>> {
        let mut words = Words::new(text);
        let missing = (FilterError::MissingWord, text);
        let t = words.next().ok_or(missing)?;
        let d = words.next().ok_or(missing)?;
        let a = words.next().ok_or(missing)?;
        let inbound = match d {
            _ if d.eq_ignore_ascii_case("in") => true,
            _ if d.eq_ignore_ascii_case("out") => false,
            _ => return Err((FilterError::UnknownDirection, d)),
        };
        let forward = match a {
            _ if a.eq_ignore_ascii_case("forward") => true,
            _ if a.eq_ignore_ascii_case("drop") => false,
            _ => return Err((FilterError::UnknownAction, a)),
        };
        let is = |k: &str| t.eq_ignore_ascii_case(k);
        let body = if is("ip") {
            Body::Ip(parse_ip(&mut words, ipv4)?)
        } else if is("ipv6") {
            Body::Ipv6(parse_ip(&mut words, ipv6)?)
        } else if is("ipx") {
            Body::Ipx(parse_ipx(&mut words)?)
        } else if is("generic") {
            Body::Generic(parse_generic(&mut words)?)
        } else {
            return Err((FilterError::UnknownType, t));
        };
        Ok(Self {
            inbound,
            forward,
            body,
        })
    }

    fn type_code(&self) -> u8 {
        match self.body {
            Body::Generic(_) => 0,
            Body::Ip(_) => 1,
            Body::Ipx(_) => 2,
            Body::Ipv6(_) => 3,
        }
    }

    /// The wire octets: 32, or 48 for IPv6.
    fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(LEN_V6);
        out.extend([
            self.type_code(),
            u8::from(self.forward),
            u8::from(self.inbound),
            0,
        ]);
        match &self.body {
            Body::Ip(r) => encode_ip(&mut out, r),
            Body::Ipv6(r) => encode_ip(&mut out, r),
            Body::Ipx(ends) => {
                for end in ends {
                    let e = end.unwrap_or(IpxEnd {
                        net: 0,
                        node: [0; 6],
                        socket: None,
                    });
                    out.extend(e.net.to_be_bytes());
                    out.extend(e.node);
                    out.extend(e.socket.map_or(0, |s| s.1).to_be_bytes());
                }
                for end in ends {
                    out.push(end.and_then(|e| e.socket).map_or(0, |s| s.0 as u8));
                }
            }
            Body::Generic(Some(g)) => {
                out.extend(g.offset.to_be_bytes());
                out.extend(6u16.to_be_bytes());
                out.extend(u16::from(g.more).to_be_bytes());
                out.extend(g.mask);
                out.extend(g.value);
                out.push(u8::from(g.not_equal));
            }
            Body::Generic(None) => {}
        }
        let len = if matches!(self.body, Body::Ipv6(_)) {
            LEN_V6
        } else {
            LEN
        };
        out.resize(len, 0);
        out
    }
}

fn encode_ip<const N: usize>(out: &mut Vec<u8>, r: &IpRule<N>) {
    let (src, src_len) = r.src.unwrap_or(([0; N], 0));
    let (dst, dst_len) = r.dst.unwrap_or(([0; N], 0));
    out.extend(src);
    out.extend(dst);
    out.extend([src_len, dst_len, r.proto, u8::from(r.est)]);
    out.extend(r.src_port.map_or(0, |p| p.1).to_be_bytes());
    out.extend(r.dst_port.map_or(0, |p| p.1).to_be_bytes());
    out.push(r.src_port.map_or(0, |p| p.0 as u8));
    out.push(r.dst_port.map_or(0, |p| p.0 as u8));
}

/// The wire value of a filter text (32 octets, 48 for `ipv6`), or what is wrong
/// and the word at fault.
pub(crate) fn parse(text: &str) -> Result<Vec<u8>, Fail<'_>> {
    Filter::parse(text).map(|f| f.encode())
}

// ---------------------------------------------------------------------------------
// Octets -> filter -> text

/// A cursor over the octets of a filter.
struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn array<const K: usize>(&mut self) -> Option<[u8; K]> {
        let (head, rest) = self.0.split_first_chunk::<K>()?;
        self.0 = rest;
        Some(*head)
    }

    fn u8(&mut self) -> Option<u8> {
        self.array::<1>().map(|[b]| b)
    }

    fn u16(&mut self) -> Option<u16> {
        self.array().map(u16::from_be_bytes)
    }
}

fn decode_ip<const N: usize>(r: &mut Reader<'_>) -> Option<IpRule<N>> {
    let src = r.array::<N>()?;
    let dst = r.array::<N>()?;
    let [src_len, dst_len, proto, est] = r.array()?;
    let (src_port, dst_port) = (r.u16()?, r.u16()?);
    let (src_cmp, dst_cmp) = (Cmp::from_wire(r.u8()?).ok()?, Cmp::from_wire(r.u8()?).ok()?);
    let zero = [0; N];
    Some(IpRule {
        src: (src != zero).then_some((src, src_len)),
        dst: (dst != zero).then_some((dst, dst_len)),
        proto,
        src_port: src_cmp.map(|c| (c, src_port)),
        dst_port: dst_cmp.map(|c| (c, dst_port)),
        est: est != 0,
    })
}

impl Filter {
    /// The filter the octets would print as, when they have a filter's length and
    /// type and each field a value the text can say. Fields the text does not show
    /// (padding, an address of zero's prefix length) are not checked here: see
    /// [`format()`].
    fn decode(bytes: &[u8]) -> Option<Self> {
        let mut r = Reader(bytes);
        let [t, forward, inbound, _] = r.array()?;
        let body = match (t, bytes.len()) {
            (0, LEN) => {
                let (offset, len, more) = (r.u16()?, r.u16()?, r.u16()?);
                let (mask, value, neq) = (r.array()?, r.array()?, r.u8()?);
                match len {
                    6 => Body::Generic(Some(Generic {
                        offset,
                        mask,
                        value,
                        not_equal: neq != 0,
                        more: more != 0,
                    })),
                    _ => Body::Generic(None),
                }
            }
            (1, LEN) => Body::Ip(decode_ip(&mut r)?),
            (2, LEN) => {
                let mut end = || -> Option<(u32, [u8; 6], u16)> {
                    Some((u32::from_be_bytes(r.array()?), r.array()?, r.u16()?))
                };
                let (src, dst) = (end()?, end()?);
                let (src_cmp, dst_cmp) = (Cmp::from_wire(r.u8()?).ok()?, Cmp::from_wire(r.u8()?).ok()?);
                let side = |(net, node, sock): (u32, [u8; 6], u16), cmp: Option<Cmp>| {
                    (net != 0).then_some(IpxEnd {
                        net,
                        node,
                        socket: cmp.map(|c| (c, sock)),
                    })
                };
                Body::Ipx([side(src, src_cmp), side(dst, dst_cmp)])
            }
            (3, LEN_V6) => Body::Ipv6(decode_ip(&mut r)?),
            _ => return None,
        };
        Some(Self {
            inbound: inbound != 0,
            forward: forward != 0,
            body,
        })
    }
}

fn write_ip<const N: usize>(
    f: &mut fmt::Formatter<'_>,
    r: &IpRule<N>,
    addr: fn([u8; N]) -> String,
) -> fmt::Result {
    for (kw, p) in [("srcip", r.src), ("dstip", r.dst)] {
        if let Some((a, len)) = p {
            write!(f, " {kw} {}/{len}", addr(a))?;
        }
    }
    match PROTOCOLS.iter().find(|(_, n)| *n == r.proto) {
        Some((name, _)) => write!(f, " {name}")?,
        None => write!(f, " {}", r.proto)?,
    }
    for (kw, p) in [("srcport", r.src_port), ("dstport", r.dst_port)] {
        if let Some((cmp, port)) = p {
            write!(f, " {kw} {} {port}", cmp.text())?;
        }
    }
    if r.est {
        f.write_str(" est")?;
    }
    Ok(())
}

impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.body {
            Body::Generic(_) => "generic",
            Body::Ip(_) => "ip",
            Body::Ipx(_) => "ipx",
            Body::Ipv6(_) => "ipv6",
        };
        let direction = if self.inbound { "in" } else { "out" };
        let action = if self.forward { "forward" } else { "drop" };
        write!(f, "{kind} {direction} {action}")?;
        match &self.body {
            Body::Ip(r) => write_ip(f, r, |a| Ipv4Addr::from(a).to_string()),
            Body::Ipv6(r) => write_ip(f, r, |a| Ipv6Addr::from(a).to_string()),
            Body::Ipx(ends) => {
                for (prefix, end) in ["src", "dst"].into_iter().zip(ends) {
                    let Some(e) = end else { continue };
                    write!(f, " {prefix}ipxnet 0x{:04x} {prefix}ipxnode 0x", e.net)?;
                    for b in e.node {
                        write!(f, "{b:02x}")?;
                    }
                    if let Some((cmp, sock)) = e.socket {
                        write!(f, " {prefix}ipxsock {} 0x{sock:04x}", cmp.text())?;
                    }
                }
                Ok(())
            }
            Body::Generic(Some(g)) => {
                write!(f, " {} ", g.offset)?;
                for b in g.mask {
                    write!(f, "{b:02x}")?;
                }
                f.write_str(" ")?;
                for b in g.value {
                    write!(f, "{b:02x}")?;
                }
                f.write_str(if g.not_equal { " !=" } else { " ==" })?;
                if g.more {
                    f.write_str(" more")?;
                }
                Ok(())
            }
            Body::Generic(None) => Ok(()),
        }
    }
}

/// The text of a filter's octets, when there is one that [`parse()`] reads back to
/// exactly these octets (so every field, padding included, is one the text can
/// say); `None` otherwise (the caller prints `0x` hex).
pub(crate) fn format(bytes: &[u8]) -> Option<String> {
    let text = Filter::decode(bytes)?.to_string();
    (parse(&text).ok()? == bytes).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    /// Texts and their octets as FreeRADIUS 3.2.1's radclient encodes them (the
    /// octets radclient sent, as a responder received them; the `ipv6` case, which
    /// no FreeRADIUS 3.2 reads, has the layout of 3.2.7's `ascend_ipv6_filter_t`),
    /// and the text printed back (FreeRADIUS's, but for the protocol number, where
    /// FreeRADIUS prints `??`, and the generic filter, which it cuts after the
    /// action).
    #[test]
    fn known_filters() {
        let cases: &[(&str, &str, &str)] = &[
            (
                "ip in forward srcip 10.1.1.0/24 dstip 192.168.0.1/32 tcp dstport = 80",
                "01010100 0a010100 c0a80001 18 20 06 00 0000 0050 00 02 00000000 000000000000",
                "ip in forward srcip 10.1.1.0/24 dstip 192.168.0.1/32 tcp dstport = 80",
            ),
            (
                "IP OUT DROP dstip 10.0.0.0/8 UDP srcport > www est",
                "01000000 00000000 0a000000 00 08 11 01 0050 0000 03 00 00000000 000000000000",
                "ip out drop dstip 10.0.0.0/8 udp srcport > 80 est",
            ),
            // No prefix length, or /0: the address's class's, as FreeRADIUS does.
            (
                "ip in forward srcip 10.0.0.1/0 dstip 172.16.0.1",
                "01010100 0a000001 ac100001 08 10 00 00 0000 0000 00 00 00000000 000000000000",
                "ip in forward srcip 10.0.0.1/8 dstip 172.16.0.1/16 0",
            ),
            (
                "ip in forward",
                &format!("01010100{}", "00".repeat(28)),
                "ip in forward 0",
            ),
            (
                "ip out drop 47",
                &format!("01000000{}2f{}", "00".repeat(10), "00".repeat(17)),
                "ip out drop 47",
            ),
            (
                "ipx in forward srcipxnet 0x12 srcipxnode 0x0a0b0c0d0e0f srcipxsock = 0x451",
                "02010100 00000012 0a0b0c0d0e0f 0451 00000000 000000000000 0000 02 00 0000",
                "ipx in forward srcipxnet 0x0012 srcipxnode 0x0a0b0c0d0e0f srcipxsock = 0x0451",
            ),
            (
                "generic in forward 10 ffffffffffff 0a0b0c0d0e0f != more",
                "00010100 000a 0006 0001 ffffffffffff 0a0b0c0d0e0f 01 000000 000000000000",
                "generic in forward 10 ffffffffffff 0a0b0c0d0e0f != more",
            ),
            (
                "generic out drop",
                &format!("00000000{}", "00".repeat(28)),
                "generic out drop",
            ),
            (
                "ipv6 in forward srcip 2001:db8::1/64 dstip ::1 tcp dstport != 443",
                "03010100 20010db8000000000000000000000000 00000000000000000000000000000001 \
                 40 80 06 00 0000 01bb 00 04 0000",
                "ipv6 in forward srcip 2001:db8::/64 dstip ::1/128 tcp dstport != 443",
            ),
        ];
        for (text, octets, printed) in cases {
            let want: String = octets.split_whitespace().collect();
            let got = parse(text).unwrap();
            assert_eq!(hex(&got), want, "{text}");
            assert_eq!(format(&got).as_deref(), Some(*printed), "{text}");
            assert_eq!(parse(printed).unwrap(), got, "{printed}");
        }
    }

    /// Octets that no text reads back to print as hex (`None`), as FreeRADIUS
    /// prints a value of the wrong length.
    #[test]
    fn unprintable_octets() {
        let good = parse("ip in forward srcip 10.1.1.0/24 tcp dstport = 80").unwrap();
        let with = |i: usize, b: u8| {
            let mut v = good.clone();
            v[i] = b;
            v
        };
        assert!(format(&good).is_some());
        for bad in [
            good[..31].to_vec(),
            [good.clone(), vec![0]].concat(),
            with(0, 4),   // unknown type
            with(0, 3),   // ipv6 type in 32 octets
            with(1, 2),   // action neither 0 nor 1
            with(2, 2),   // direction
            with(3, 1),   // header padding
            with(15, 2),  // est
            with(21, 5),  // comparison
            with(27, 1),  // padding
            with(12, 0),  // a /0 with an address: FreeRADIUS reads it as /8
            with(12, 33), // prefix too long
        ] {
            assert_eq!(format(&bad), None, "{}", hex(&bad));
        }
        // An address of zero with a prefix length: the text cannot say it.
        let mut zero_addr = good.clone();
        zero_addr[4..8].fill(0);
        assert_eq!(format(&zero_addr), None);
        // A port without a comparison.
        assert_eq!(format(&with(17, 1)), None);
        // A generic filter with a mask shorter than 6 (FreeRADIUS reads only 6).
        let g = parse("generic in drop 0 ffffffffffff 000000000000").unwrap();
        assert!(format(&g).is_some());
        let mut short = g;
        short[7] = 4;
        assert_eq!(format(&short), None);
        assert_eq!(format(&[]), None);
    }

    #[test]
    fn errors_name_the_word() {
        use FilterError::*;
        for (text, kind, token) in [
            ("", MissingWord, ""),
            ("ip in", MissingWord, "ip in"),
            ("ipv4 in forward", UnknownType, "ipv4"),
            ("ip sideways forward", UnknownDirection, "sideways"),
            ("ip in accept", UnknownAction, "accept"),
            ("ip in forward srcip", MissingWord, "srcip"),
            ("ip in forward srcip 10.0.0.256", BadAddress, "10.0.0.256"),
            ("ip in forward srcip 10.0.0.1/33", BadAddress, "10.0.0.1/33"),
            ("ip in forward srcip 10.1", BadAddress, "10.1"),
            ("ip in forward srcip 10.0.0.1.2/8", BadAddress, "10.0.0.1.2/8"),
            ("ip in forward srcip 10..0.1", BadAddress, "10..0.1"),
            ("ip in forward srcip 1.1.1.1 srcip 2.2.2.2", Repeated, "srcip"),
            ("ip in forward gre", BadProtocol, "gre"),
            ("ip in forward 256", BadProtocol, "256"),
            ("ip in forward tcp udp", UnexpectedWord, "udp"),
            ("ip in forward dstport => 80", BadComparison, "=>"),
            ("ip in forward dstport = 65536", BadPort, "65536"),
            ("ip in forward dstport = http", BadPort, "http"),
            ("ip in forward dstport =", MissingWord, "="),
            ("ip in forward est est", Repeated, "est"),
            ("ipv6 in forward srcip 10.0.0.1", BadAddress, "10.0.0.1"),
            ("ipv6 in forward dstip ::1/129", BadAddress, "::1/129"),
            ("ipx in forward srcipxnet 1", MissingWord, "1"),
            (
                "ipx in forward srcipxnet 1 dstipxnode 0a0b0c0d0e0f",
                UnexpectedWord,
                "dstipxnode",
            ),
            (
                "ipx in forward srcipxnet 123456789 srcipxnode 0a0b0c0d0e0f",
                BadNumber,
                "123456789",
            ),
            (
                "ipx in forward srcipxnet 1 srcipxnode 0a0b0c0d0e",
                BadNumber,
                "0a0b0c0d0e",
            ),
            (
                "ipx in forward dstipxnet 1 dstipxnode 0a0b0c0d0e0f dstipxsock = 10000",
                BadNumber,
                "10000",
            ),
            ("ipx in forward srcip 10.0.0.1", UnexpectedWord, "srcip"),
            ("generic in forward 10", MissingWord, "10"),
            (
                "generic in forward 65536 ffffffffffff 000000000000",
                BadNumber,
                "65536",
            ),
            (
                "generic in forward 0 0xffffffffff 000000000000",
                BadNumber,
                "0xffffffffff",
            ),
            (
                "generic in forward 0 ffffffffffff 00000000000000",
                BadNumber,
                "00000000000000",
            ),
            (
                "generic in forward 0 ffffffffffff 000000000000 == !=",
                Repeated,
                "!=",
            ),
            (
                "generic in forward 0 ffffffffffff 000000000000 less",
                UnexpectedWord,
                "less",
            ),
        ] {
            assert_eq!(parse(text), Err((kind, token)), "{text:?}");
        }
    }

    /// Any filter FreeRADIUS prints as text (addresses not zero, ...).
    fn text_strategy() -> impl Strategy<Value = String> {
        let head = (any::<bool>(), any::<bool>()).prop_map(|(i, f)| {
            format!(
                "{} {}",
                if i { "in" } else { "out" },
                if f { "forward" } else { "drop" }
            )
        });
        let cmp = prop::sample::select(vec!["<", "=", ">", "!="]);
        let port = (cmp.clone(), any::<u16>()).prop_map(|(c, p)| format!("{c} {p}"));
        let v4 = (1u32.., 1u8..=32).prop_map(|(a, l)| format!("{}/{l}", Ipv4Addr::from(a)));
        // An address with a bit set inside its prefix (the mask keeps it non-zero).
        let v6 = (any::<u128>(), 1u8..=128)
            .prop_map(|(a, l)| format!("{}/{l}", Ipv6Addr::from(a | 1u128 << (128 - u32::from(l)))));
        let ip = |addr: BoxedStrategy<String>| {
            (
                prop::option::of(addr.clone()),
                prop::option::of(addr),
                any::<u8>(),
                prop::option::of(port.clone()),
                prop::option::of(port.clone()),
                any::<bool>(),
            )
                .prop_map(|(s, d, proto, sp, dp, est)| {
                    let mut t = String::new();
                    if let Some(s) = s {
                        t.push_str(&format!(" srcip {s}"));
                    }
                    if let Some(d) = d {
                        t.push_str(&format!(" dstip {d}"));
                    }
                    t.push_str(&format!(" {proto}"));
                    if let Some(p) = sp {
                        t.push_str(&format!(" srcport {p}"));
                    }
                    if let Some(p) = dp {
                        t.push_str(&format!(" dstport {p}"));
                    }
                    if est {
                        t.push_str(" est");
                    }
                    t
                })
        };
        let ipx_end = (1u32.., any::<[u8; 6]>(), prop::option::of((cmp, any::<u16>())));
        let ipx = (prop::option::of(ipx_end.clone()), prop::option::of(ipx_end)).prop_map(|(s, d)| {
            let mut t = String::new();
            for (p, e) in [("src", s), ("dst", d)] {
                if let Some((net, node, sock)) = e {
                    t.push_str(&format!(" {p}ipxnet {net:x} {p}ipxnode {}", hex(&node)));
                    if let Some((c, s)) = sock {
                        t.push_str(&format!(" {p}ipxsock {c} {s:x}"));
                    }
                }
            }
            t
        });
        let generic = prop::option::of((
            any::<u16>(),
            any::<[u8; 6]>(),
            any::<[u8; 6]>(),
            prop::option::of(any::<bool>()),
            any::<bool>(),
        ))
        .prop_map(|g| match g {
            None => String::new(),
            Some((o, m, v, c, more)) => format!(
                " {o} {} {}{}{}",
                hex(&m),
                hex(&v),
                c.map_or("", |neq| if neq { " !=" } else { " ==" }),
                if more { " more" } else { "" }
            ),
        });
        let body = prop_oneof![
            ip(v4.boxed()).prop_map(|b| format!("ip {{}}{b}")),
            ip(v6.boxed()).prop_map(|b| format!("ipv6 {{}}{b}")),
            ipx.prop_map(|b| format!("ipx {{}}{b}")),
            generic.prop_map(|b| format!("generic {{}}{b}")),
        ];
        (head, body).prop_map(|(h, b)| b.replacen("{}", &h, 1))
    }

    proptest! {
        /// Every filter text prints back, and the print reads back to the same
        /// octets.
        #[test]
        fn print_then_parse_is_identity(text in text_strategy()) {
            let octets = parse(&text).unwrap();
            let printed = format(&octets);
            prop_assert!(printed.is_some(), "{} -> {}", text, hex(&octets));
            let printed = printed.unwrap();
            prop_assert_eq!(parse(&printed).unwrap(), octets);
            // And printing is stable.
            prop_assert_eq!(format(&parse(&printed).unwrap()), Some(printed));
        }

        /// Any octets: either no text, or a text that reads back to them.
        #[test]
        fn any_octets_print_faithfully(
            head in (0u8..5, 0u8..3, 0u8..3),
            body in prop::collection::vec(prop_oneof![3 => Just(0u8), 1 => any::<u8>()], 28..=44),
        ) {
            let mut octets = vec![head.0, head.1, head.2, 0];
            octets.extend(body);
            if let Some(text) = format(&octets) {
                prop_assert_eq!(parse(&text).unwrap(), octets);
            }
        }

        /// No panic on any text.
        #[test]
        fn any_text_parses_or_fails(text in "[a-z0-9 ./:=<>!]{0,60}") {
            if let Ok(octets) = parse(&text) {
                prop_assert!(octets.len() == LEN || octets.len() == LEN_V6);
            }
        }
    }
}
