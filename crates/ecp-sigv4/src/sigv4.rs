//! A small AWS Signature Version 4 engine for presigned query strings: canonical
//! request, string to sign, signing-key derivation and signatures, with the payload
//! hash and the time as parameters.
//!
//! Two canonical-query rules are provided:
//! - [`canonical_query_strict`]: the AWS rule (decode, RFC 3986-encode, sort);
//! - [`canonical_query_raw`]: the pairs exactly as received minus `X-Amz-Signature`,
//!   sorted by raw key, which is how Extreme's controller and sample verifier work.

use std::borrow::Cow;

use hmac::{Hmac, Mac};
use percent_encoding::{percent_decode, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use sha2::{Digest, Sha256};

use crate::Error;

type HmacSha256 = Hmac<Sha256>;

/// `AWS4-HMAC-SHA256`, the only algorithm.
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";
/// The credential-scope terminator.
pub const TERMINATOR: &str = "aws4_request";
/// The payload hash of a presigned URL whose body is not signed.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
/// SHA-256 of the empty string, the payload hash of an empty signed body.
pub const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// RFC 3986: everything except the unreserved characters `A-Za-z0-9-_.~` is encoded.
pub const STRICT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');
/// [`STRICT`] but keeping `/`, for paths.
pub const PATH: &AsciiSet = &STRICT.remove(b'/');

/// Percent-encodes with the RFC 3986 unreserved set (space is `%20`, hex uppercase).
#[must_use]
pub fn encode(s: &str) -> Cow<'_, str> {
    if s.bytes().all(is_unreserved) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() * 3);
    encode_into(&mut out, s);
    Cow::Owned(out)
}

/// RFC 3986 unreserved octets (`A-Za-z0-9-_.~`), as a table.
const UNRESERVED: [bool; 256] = {
    let mut t = [false; 256];
    let mut c: u8 = 0;
    loop {
        if c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.' | b'~') {
            // Compile-time evaluation: an out-of-range index would not compile.
            #[allow(clippy::indexing_slicing)]
            {
                t[c as usize] = true;
            }
        }
        if c == u8::MAX {
            break t;
        }
        c += 1;
    }
};

#[inline]
fn is_unreserved(c: u8) -> bool {
    UNRESERVED.get(usize::from(c)).copied().unwrap_or(false)
}

/// Appends `s` percent-encoded with the RFC 3986 unreserved set ([`encode`]'s rule):
/// runs of unreserved octets are copied at once, every other octet becomes `%XX`.
pub fn encode_into(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let hex = |n: u8| char::from(HEX.get(usize::from(n & 15)).copied().unwrap_or(b'0'));
    let mut run = 0;
    for (i, c) in s.bytes().enumerate() {
        if is_unreserved(c) {
            continue;
        }
        // `run..i` holds only unreserved (ASCII) octets, so both ends are character
        // boundaries when it is not empty.
        if run < i {
            out.push_str(s.get(run..i).unwrap_or_default());
        }
        out.push('%');
        out.push(hex(c >> 4));
        out.push(hex(c));
        run = i + 1;
    }
    if run < s.len() {
        out.push_str(s.get(run..).unwrap_or_default());
    }
}

/// Percent-encodes raw bytes with the RFC 3986 unreserved set.
#[must_use]
pub fn encode_bytes(b: &[u8]) -> String {
    percent_encoding::percent_encode(b, STRICT).to_string()
}

/// `v` in decimal, written into `buf` (no allocation).
pub(crate) fn decimal(mut v: u64, buf: &mut [u8; 20]) -> &str {
    let mut i = buf.len();
    while let Some(d) = i.checked_sub(1).and_then(|j| buf.get_mut(j)) {
        *d = b'0' + (v % 10) as u8;
        i -= 1;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    core::str::from_utf8(buf.get(i..).unwrap_or_default()).unwrap_or_default()
}

/// Lowercase hex.
#[must_use]
pub fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from_digit(u32::from(b >> 4), 16).unwrap_or('0'));
        s.push(char::from_digit(u32::from(b & 15), 16).unwrap_or('0'));
    }
    s
}

/// Parses 64 hex digits (either case) into 32 octets.
pub fn parse_signature(s: &str) -> Result<[u8; 32], Error> {
    let bad = || Error::BadSignatureFormat { len: s.len() };
    if s.len() != 64 {
        return Err(bad());
    }
    let mut out = [0u8; 32];
    for (o, pair) in out.iter_mut().zip(s.as_bytes().chunks_exact(2)) {
        *o = hex_octet(pair).ok_or_else(bad)?;
    }
    Ok(out)
}

/// Lowercase hex SHA-256.
#[must_use]
pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

/// A SigV4 signing key, derived from a secret for one date, region and service.
///
/// Derivation costs four HMAC-SHA256; the key is valid for every request of that day,
/// so callers may cache it. It keeps the HMAC state keyed with it (the inner and outer
/// pads already hashed), so each signature costs only the string to sign. No `Clone`
/// by accident; `Debug` is redacted.
pub struct SigningKey {
    mac: HmacSha256,
}

impl core::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("SigningKey(..)")
    }
}

fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    // HMAC accepts keys of every length; `new_from_slice` cannot fail here.
    let mut mac = HmacSha256::new_from_slice(key).unwrap_or_else(|_| HmacSha256::new(&Default::default()));
    mac.update(data);
    mac.finalize().into_bytes().into()
}

impl SigningKey {
    /// `kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")`.
    #[must_use]
    pub fn derive(secret: &[u8], date: &str, region: &str, service: &str) -> Self {
        let mut stack = [0u8; 64];
        let k_date = if let Some(dst) = stack.get_mut(4..4 + secret.len()) {
            dst.copy_from_slice(secret);
            stack[..4].copy_from_slice(b"AWS4");
            let k = hmac(stack.get(..4 + secret.len()).unwrap_or_default(), date.as_bytes());
            stack.iter_mut().for_each(|b| *b = 0);
            k
        } else {
            let mut k = Vec::with_capacity(4 + secret.len());
            k.extend_from_slice(b"AWS4");
            k.extend_from_slice(secret);
            let out = hmac(&k, date.as_bytes());
            k.iter_mut().for_each(|b| *b = 0);
            out
        };
        let k_region = hmac(&k_date, region.as_bytes());
        let k_service = hmac(&k_region, service.as_bytes());
        let mut k_signing = hmac(&k_service, TERMINATOR.as_bytes());
        let mac =
            HmacSha256::new_from_slice(&k_signing).unwrap_or_else(|_| HmacSha256::new(&Default::default()));
        k_signing.iter_mut().for_each(|b| *b = 0);
        Self { mac }
    }

    /// An explicit copy (for caches).
    #[must_use]
    pub fn clone_key(&self) -> Self {
        Self {
            mac: self.mac.clone(),
        }
    }

    /// The raw signature of a string to sign.
    #[must_use]
    pub fn sign(&self, string_to_sign: &str) -> [u8; 32] {
        self.sign_parts(&[string_to_sign.as_bytes()])
    }

    /// Checks a signature in constant time.
    #[must_use]
    pub fn verify(&self, string_to_sign: &str, signature: &[u8; 32]) -> bool {
        self.verify_parts(&[string_to_sign.as_bytes()], signature)
    }

    /// The signature of a string to sign given in pieces (no concatenation needed).
    #[must_use]
    pub fn sign_parts(&self, parts: &[&[u8]]) -> [u8; 32] {
        self.mac(parts).finalize().into_bytes().into()
    }

    /// Checks, in constant time, the signature of a string to sign given in pieces.
    #[must_use]
    pub fn verify_parts(&self, parts: &[&[u8]], signature: &[u8; 32]) -> bool {
        self.mac(parts).verify_slice(signature).is_ok()
    }

    fn mac(&self, parts: &[&[u8]]) -> HmacSha256 {
        let mut mac = self.mac.clone();
        for p in parts {
            mac.update(p);
        }
        mac
    }
}

/// Hashes a canonical request given in pieces and returns the lowercase hex digest,
/// without building the request as one string.
#[must_use]
pub fn hash_parts(parts: &[&[u8]]) -> [u8; 64] {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
    }
    hex_array(&h.finalize().into())
}

/// Lowercase hex of 32 octets into a fixed buffer.
#[must_use]
pub fn hex_array(bytes: &[u8; 32]) -> [u8; 64] {
    const DIGITS: [u8; 16] = *b"0123456789abcdef";
    let mut out = [0u8; 64];
    for (pair, b) in out.chunks_exact_mut(2).zip(bytes) {
        let hi = DIGITS.get(usize::from(b >> 4)).copied().unwrap_or(b'0');
        let lo = DIGITS.get(usize::from(b & 15)).copied().unwrap_or(b'0');
        pair.copy_from_slice(&[hi, lo]);
    }
    out
}

/// The credential scope `<date>/<region>/<service>/aws4_request`.
#[must_use]
pub fn scope(date: &str, region: &str, service: &str) -> String {
    format!("{date}/{region}/{service}/{TERMINATOR}")
}

/// The string to sign: algorithm, timestamp, scope and the canonical request's hash.
#[must_use]
pub fn string_to_sign(amz_date: &str, scope: &str, canonical_request: &str) -> String {
    format!(
        "{ALGORITHM}\n{amz_date}\n{scope}\n{}",
        sha256_hex(canonical_request.as_bytes())
    )
}

/// Canonical headers and the signed-headers list from `(name, value)` pairs: names
/// lowercased, values trimmed with inner runs of white space (and folded lines)
/// collapsed to one space, repeated names joined with `,` in order, sorted by name.
#[must_use]
pub fn canonical_headers(headers: &[(&str, &str)]) -> (String, String) {
    let mut merged: Vec<(String, String)> = Vec::new();
    for (name, value) in headers {
        let name = name.trim().to_ascii_lowercase();
        let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
        match merged.iter_mut().find(|(n, _)| *n == name) {
            Some((_, v)) => {
                v.push(',');
                v.push_str(&value);
            }
            None => merged.push((name, value)),
        }
    }
    merged.sort_by(|a, b| a.0.cmp(&b.0));
    let mut canon = String::new();
    for (n, v) in &merged {
        canon.push_str(n);
        canon.push(':');
        canon.push_str(v);
        canon.push('\n');
    }
    let signed = merged
        .iter()
        .map(|(n, _)| n.as_str())
        .collect::<Vec<_>>()
        .join(";");
    (canon, signed)
}

/// The canonical request.
#[must_use]
pub fn canonical_request(
    method: &str,
    canonical_uri: &str,
    canonical_query: &str,
    canonical_headers: &str,
    signed_headers: &str,
    payload_hash: &str,
) -> String {
    format!(
        "{method}\n{canonical_uri}\n{canonical_query}\n{canonical_headers}\n{signed_headers}\n{payload_hash}"
    )
}

/// The AWS canonical URI of a request path in its wire form: percent-decoded,
/// optionally normalized (empty and `.` segments removed, `..` applied), then encoded
/// once with the RFC 3986 set keeping `/`, and once more when `double_encode` (the
/// rule for AWS services other than S3, which turns `%3A` into `%253A`). An empty path
/// is `/`. A `%` that does not start a valid escape is kept as a literal character.
#[must_use]
pub fn canonical_uri(path: &str, normalize: bool, double_encode: bool) -> String {
    let path = if path.is_empty() { "/" } else { path };
    let decoded = String::from_utf8_lossy(&percent_decode(path.as_bytes()).collect::<Vec<u8>>()).into_owned();
    let normalized = if normalize {
        let mut out: Vec<&str> = Vec::new();
        for seg in decoded.split('/') {
            match seg {
                "" | "." => {}
                ".." => {
                    out.pop();
                }
                s => out.push(s),
            }
        }
        let trailing = decoded.ends_with('/') && !out.is_empty();
        let mut s = String::from("/");
        s.push_str(&out.join("/"));
        if trailing {
            s.push('/');
        }
        s
    } else {
        decoded
    };
    let once = utf8_percent_encode(&normalized, PATH).to_string();
    if double_encode {
        utf8_percent_encode(&once, PATH).to_string()
    } else {
        once
    }
}

/// Splits a raw query into `(key, value)` pairs on `&` and the first `=`, without
/// decoding. Empty segments are skipped; a pair without `=` has an empty value.
#[must_use]
pub fn split_query(raw: &str) -> QueryPairs<'_> {
    QueryPairs { rest: raw }
}

/// Splits a raw query like [`split_query`], also telling whether each key and value
/// contains a `%` (SIMD search for the delimiters; no allocation).
pub(crate) fn split_query_flagged(raw: &str) -> FlaggedPairs<'_> {
    FlaggedPairs { rest: raw }
}

/// The index of the first byte of `set` in `b` at or after `from` (`b.len()` if
/// none), eight bytes at a time: a byte equal to `c` becomes a zero byte of
/// `w ^ c * 0x01..01`, and the lowest zero byte of a word is found exactly by
/// `(x - 0x01..01) & !x & 0x80..80`.
fn find_any<const N: usize>(b: &[u8], from: usize, set: [u8; N]) -> usize {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let mut i = from;
    while let Some(chunk) = b.get(i..i + 8).and_then(|c| <[u8; 8]>::try_from(c).ok()) {
        let w = u64::from_le_bytes(chunk);
        let hit = set.iter().fold(0u64, |acc, &c| {
            let x = w ^ (LO * u64::from(c));
            acc | (x.wrapping_sub(LO) & !x & HI)
        });
        if hit != 0 {
            return i + (hit.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while let Some(c) = b.get(i) {
        if set.contains(c) {
            return i;
        }
        i += 1;
    }
    b.len()
}

/// The index of the first `%` in `b` at or after `from`. Query values are short: a
/// word-at-a-time scan beats a call into a vectorized search.
pub(crate) fn find_pct(b: &[u8], from: usize) -> Option<usize> {
    Some(find_any(b, from, [b'%'])).filter(|&i| i < b.len())
}

/// Iterator of [`split_query_flagged`].
pub(crate) struct FlaggedPairs<'a> {
    rest: &'a str,
}

impl<'a> Iterator for FlaggedPairs<'a> {
    type Item = (&'a str, &'a str, bool, bool);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.rest.is_empty() {
                return None;
            }
            // The key up to `=` or `&` (noting a `%`), then the value up to `&`
            // (noting the first `%`, after which only `&` is searched), eight bytes
            // at a time.
            let bytes = self.rest.as_bytes();
            let (mut end, mut eq) = (bytes.len(), None);
            let (mut k_pct, mut v_pct) = (false, false);
            let mut at = 0;
            loop {
                let i = find_any(bytes, at, [b'&', b'=', b'%']);
                match bytes.get(i) {
                    Some(b'%') => {
                        k_pct = true;
                        at = i + 1;
                    }
                    Some(b'=') => {
                        eq = Some(i);
                        break;
                    }
                    _ => {
                        end = i;
                        break;
                    }
                }
            }
            if let Some(e) = eq {
                let i = find_any(bytes, e + 1, [b'&', b'%']);
                end = if bytes.get(i) == Some(&b'%') {
                    v_pct = true;
                    find_any(bytes, i + 1, [b'&'])
                } else {
                    i
                };
            }
            // `&`, `=` are ASCII: these splits are on character boundaries.
            let seg = self.rest.get(..end).unwrap_or_default();
            self.rest = self.rest.get(end + 1..).unwrap_or_default();
            if seg.is_empty() {
                continue;
            }
            let (k, v) = match eq {
                Some(i) => (
                    seg.get(..i).unwrap_or_default(),
                    seg.get(i + 1..).unwrap_or_default(),
                ),
                None => (seg, ""),
            };
            return Some((k, v, k_pct, v_pct));
        }
    }
}

/// Iterator returned by [`split_query`]: one byte scan, no allocation.
#[derive(Clone, Debug)]
pub struct QueryPairs<'a> {
    rest: &'a str,
}

impl<'a> QueryPairs<'a> {
    /// The next pair and whether its key and its value contain a `%`.
    pub(crate) fn next_flagged(&mut self) -> Option<(&'a str, &'a str, bool, bool)> {
        loop {
            let bytes = self.rest.as_bytes();
            if bytes.is_empty() {
                return None;
            }
            let end = memchr::memchr(b'&', bytes).unwrap_or(bytes.len());
            // `&` and `=` are ASCII, so these splits are on character boundaries.
            let seg = self.rest.get(..end).unwrap_or_default();
            self.rest = self.rest.get(end + 1..).unwrap_or_default();
            if seg.is_empty() {
                continue;
            }
            let sb = seg.as_bytes();
            return Some(match memchr::memchr(b'=', sb) {
                Some(i) => {
                    let (k, v) = (
                        seg.get(..i).unwrap_or_default(),
                        seg.get(i + 1..).unwrap_or_default(),
                    );
                    let k_pct = memchr::memchr(b'%', k.as_bytes()).is_some();
                    let v_pct = memchr::memchr(b'%', v.as_bytes()).is_some();
                    (k, v, k_pct, v_pct)
                }
                None => (seg, "", memchr::memchr(b'%', sb).is_some(), false),
            });
        }
    }
}

impl<'a> Iterator for QueryPairs<'a> {
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        self.next_flagged().map(|(k, v, _, _)| (k, v))
    }
}

/// Percent-decodes (`%XX` only; `+` is kept) into bytes, rejecting a `%` not followed
/// by two hex digits.
pub fn decode(s: &str) -> Result<Cow<'_, [u8]>, Error> {
    let b = s.as_bytes();
    let Some(first) = find_pct(b, 0) else {
        return Ok(Cow::Borrowed(b));
    };
    let bad = || Error::BadPercentEncoding {
        value: s.chars().take(64).collect(),
    };
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(b.get(..first).unwrap_or_default());
    let mut at = first;
    loop {
        out.push(b.get(at + 1..at + 3).and_then(hex_octet).ok_or_else(bad)?);
        let run = at + 3;
        match find_pct(b, run) {
            Some(i) => {
                out.extend_from_slice(b.get(run..i).unwrap_or_default());
                at = i;
            }
            None => {
                out.extend_from_slice(b.get(run..).unwrap_or_default());
                return Ok(Cow::Owned(out));
            }
        }
    }
}

/// Percent-decodes into `buf`: the raw octets when there is nothing to decode,
/// `Ok(None)` when the decoded value does not fit.
pub(crate) fn decode_into<'b, const N: usize>(
    raw: &'b str,
    buf: &'b mut [u8; N],
) -> Result<Option<&'b [u8]>, Error> {
    let b = raw.as_bytes();
    let Some(mut at) = find_pct(b, 0) else {
        return Ok(Some(b));
    };
    let bad = || Error::BadPercentEncoding {
        value: raw.chars().take(64).collect(),
    };
    let mut len = 0;
    let mut run = 0;
    loop {
        let octet = b.get(at + 1..at + 3).and_then(hex_octet).ok_or_else(bad)?;
        let plain = b.get(run..at).unwrap_or_default();
        let Some(dst) = buf.get_mut(len..len + plain.len() + 1) else {
            return Ok(None);
        };
        if let Some((last, head)) = dst.split_last_mut() {
            head.copy_from_slice(plain);
            *last = octet;
        }
        len += plain.len() + 1;
        run = at + 3;
        match find_pct(b, run) {
            Some(i) => at = i,
            None => break,
        }
    }
    let tail = b.get(run..).unwrap_or_default();
    let Some(dst) = buf.get_mut(len..len + tail.len()) else {
        return Ok(None);
    };
    dst.copy_from_slice(tail);
    Ok(buf.get(..len + tail.len()))
}

/// Checks that every `%` starts a `%XX` escape.
pub fn check_escapes(s: &str) -> Result<(), Error> {
    let b = s.as_bytes();
    let mut from = 0;
    while let Some(i) = find_pct(b, from) {
        if b.get(i + 1..i + 3).and_then(hex_octet).is_none() {
            return Err(Error::BadPercentEncoding {
                value: s.chars().take(64).collect(),
            });
        }
        from = i + 3;
    }
    Ok(())
}

/// Percent-decodes to text, as UTF-8. Borrows when there is nothing to decode; text
/// whose escapes are all ASCII is rebuilt without a second UTF-8 check.
pub fn decode_str(s: &str) -> Result<Cow<'_, str>, Error> {
    let b = s.as_bytes();
    let Some(mut at) = find_pct(b, 0) else {
        return Ok(Cow::Borrowed(s));
    };
    let mut out = String::with_capacity(s.len());
    let mut run = 0;
    loop {
        let Some(c) = b.get(at + 1..at + 3).and_then(hex_octet).filter(u8::is_ascii) else {
            // A malformed escape, or an escape of a non-ASCII octet: the general path.
            return decode_str_bytes(s);
        };
        // `run` follows an escape and `at` is a `%`: both are character boundaries.
        out.push_str(s.get(run..at).unwrap_or_default());
        out.push(char::from(c));
        run = at + 3;
        match find_pct(b, run) {
            Some(i) => at = i,
            None => break,
        }
    }
    out.push_str(s.get(run..).unwrap_or_default());
    Ok(Cow::Owned(out))
}

/// Two hex digits (either case) as an octet.
pub(crate) fn hex_octet(h: &[u8]) -> Option<u8> {
    let d = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    };
    match h {
        [hi, lo] => Some(d(*hi)? << 4 | d(*lo)?),
        _ => None,
    }
}

fn decode_str_bytes(s: &str) -> Result<Cow<'_, str>, Error> {
    match decode(s)? {
        Cow::Borrowed(b) => core::str::from_utf8(b).map(Cow::Borrowed),
        Cow::Owned(v) => String::from_utf8(v).map(Cow::Owned).map_err(|e| e.utf8_error()),
    }
    .map_err(|_| Error::InvalidValue {
        param: "query".into(),
        reason: "not UTF-8 after percent-decoding",
    })
}

/// The AWS canonical query: every pair decoded, re-encoded with the RFC 3986 set,
/// sorted by key then value, joined with `&`.
pub fn canonical_query_strict<'a>(
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<String, Error> {
    let mut enc: Vec<(String, String)> = Vec::new();
    for (k, v) in pairs {
        enc.push((encode_bytes(&decode(k)?), encode_bytes(&decode(v)?)));
    }
    enc.sort();
    Ok(join_pairs(enc.iter().map(|(k, v)| (k.as_str(), v.as_str()))))
}

/// The canonical query as Extreme computes it: the raw pairs as received, minus
/// `X-Amz-Signature`, sorted by raw key (stable for equal keys), nothing decoded.
#[must_use]
pub fn canonical_query_raw(raw: &str) -> String {
    let mut pairs: Vec<(&str, &str)> = split_query(raw)
        .filter(|(k, _)| *k != "X-Amz-Signature")
        .collect();
    pairs.sort_by(|a, b| a.0.cmp(b.0));
    join_pairs(pairs.into_iter())
}

/// Byte order of raw keys, deciding on the first octet without a `memcmp` call when
/// it can (most keys differ there).
#[inline]
pub fn cmp_keys(a: &str, b: &str) -> core::cmp::Ordering {
    match (a.as_bytes().first(), b.as_bytes().first()) {
        (Some(x), Some(y)) if x != y => x.cmp(y),
        _ => a.cmp(b),
    }
}

fn join_pairs<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    let mut s = String::new();
    for (k, v) in pairs {
        if !s.is_empty() {
            s.push('&');
        }
        s.push_str(k);
        s.push('=');
        s.push_str(v);
    }
    s
}

#[cfg(test)]
mod tests {
    proptest::proptest! {
        /// The word-at-a-time search finds what a byte loop finds, from any start.
        #[test]
        fn find_any_matches_a_byte_loop(b in proptest::collection::vec(
            proptest::sample::select(vec![b'a', b'&', b'=', b'%', 0x80, 0xff, 0x00, 0x25 ^ 0x01, b'<']), 0..40),
            from in 0usize..45) {
            let naive = (from..b.len()).find(|&i| matches!(b[i], b'&' | b'=' | b'%')).unwrap_or(b.len());
            proptest::prop_assert_eq!(find_any(&b, from, [b'&', b'=', b'%']), naive.max(from.min(b.len())));
            let naive_amp = (from..b.len()).find(|&i| b[i] == b'&').unwrap_or(b.len());
            proptest::prop_assert_eq!(find_any(&b, from, [b'&']), naive_amp.max(from.min(b.len())));
        }
    }

    proptest::proptest! {
        /// The table-driven encoder and the fast decoder agree with the
        /// `percent-encoding` crate on arbitrary text and arbitrary escapes.
        #[test]
        fn codec_matches_percent_encoding(s in "\\PC*", raw in "([a-z!~ é]|%[0-9a-fA-F]{2}|%)*") {
            let reference = utf8_percent_encode(&s, STRICT).to_string();
            proptest::prop_assert_eq!(encode(&s), reference.as_str());
            proptest::prop_assert_eq!(decode_str(&reference).unwrap(), s.as_str());
            let bytes: Vec<u8> = percent_decode(raw.as_bytes()).collect();
            let malformed = raw.as_bytes().iter().enumerate().any(|(i, &c)| {
                c == b'%' && !raw.as_bytes().get(i + 1..i + 3).is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
            });
            let mut small = [0u8; 8];
            match (decode_into(&raw, &mut small), decode(&raw)) {
                (Ok(Some(d)), Ok(full)) => proptest::prop_assert_eq!(d, &full[..]),
                (Ok(None), Ok(full)) => proptest::prop_assert!(full.len() > 8),
                // too long before the bad escape is reached: an error either way
                (Ok(None), Err(_)) => {}
                (Err(e), Err(f)) => proptest::prop_assert_eq!(e, f),
                (a, b) => proptest::prop_assert!(false, "{a:?} {b:?}"),
            }
            match decode_str(&raw) {
                Ok(d) => {
                    proptest::prop_assert!(!malformed);
                    proptest::prop_assert_eq!(d.as_bytes(), &bytes[..]);
                }
                Err(_) => proptest::prop_assert!(malformed || String::from_utf8(bytes).is_err()),
            }
        }

        #[test]
        fn decimal_matches_to_string(v in proptest::num::u64::ANY) {
            let mut buf = [0; 20];
            proptest::prop_assert_eq!(decimal(v, &mut buf), v.to_string());
        }
    }

    use super::*;

    #[test]
    fn decimal_edges() {
        for v in [0, 9, 10, 60, 36_000, u64::MAX] {
            assert_eq!(decimal(v, &mut [0; 20]), v.to_string());
        }
    }

    #[test]
    fn encoding_is_rfc3986() {
        assert_eq!(encode("a b!*'()~._-/"), "a%20b%21%2A%27%28%29~._-%2F");
        assert_eq!(encode("ሴ"), "%E1%88%B4");
        assert_eq!(
            canonical_uri("/example space/", false, false),
            "/example%20space/"
        );
        assert_eq!(
            canonical_uri("/example%20space/", true, false),
            "/example%20space/"
        );
        assert_eq!(canonical_uri("//example//", true, false), "/example/");
        assert_eq!(canonical_uri("/example1/example2/../..", true, false), "/");
        assert_eq!(canonical_uri("/./example", false, false), "/./example");
        assert_eq!(canonical_uri("/a%3Ab", false, true), "/a%253Ab");
        assert_eq!(canonical_uri("", true, false), "/");
    }

    #[test]
    fn queries() {
        let q = "Param-3=Value3&Param=Value2&%E1%88%B4=Value1";
        assert_eq!(
            canonical_query_strict(split_query(q)).unwrap(),
            "%E1%88%B4=Value1&Param=Value2&Param-3=Value3"
        );
        assert_eq!(
            canonical_query_raw("wlan=1&token=a!!&X-Amz-Signature=00&dest=x"),
            "dest=x&token=a!!&wlan=1"
        );
        assert!(decode("%zz").is_err());
        assert!(decode("%4").is_err());
        assert_eq!(&*decode("a+b%21").unwrap(), b"a+b!");
    }

    #[test]
    fn signatures_parse_in_either_case() {
        let s = "7C602377155ff66c976dd461f0f26df7c85fa30ae904db44eb65012021994e27";
        assert_eq!(hex(&parse_signature(s).unwrap()), s.to_lowercase());
        assert!(parse_signature(&s[1..]).is_err());
        assert!(parse_signature(&s.replace('7', "g")).is_err());
        assert!(parse_signature("éé").is_err());
    }

    #[test]
    fn headers_are_canonicalized() {
        let (c, s) = canonical_headers(&[
            ("Host", "example.amazonaws.com"),
            ("My-Header1", "value4"),
            ("My-Header1", "  value1  value2 "),
        ]);
        assert_eq!(c, "host:example.amazonaws.com\nmy-header1:value4,value1 value2\n");
        assert_eq!(s, "host;my-header1");
    }
}
