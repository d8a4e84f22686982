//! A small AWS Signature Version 4 engine for presigned query strings: the canonical
//! request, the string to sign, signing-key derivation and signatures, with the
//! payload hash and the time as parameters.
//!
//! Two canonical-query rules are provided:
//! - [`canonical_query_strict`]: the AWS rule (decode, RFC 3986-encode, sort);
//! - [`canonical_query_raw`]: the pairs exactly as received minus `X-Amz-Signature`,
//!   sorted by raw key, which is how Extreme's controller and sample verifier work.
//!
//! Both rules give the same string for a query whose keys are unique and whose keys and
//! values are already strictly encoded (what [`crate::Signer`] emits).

use std::borrow::Cow;

use hmac::{Hmac, Mac};
#[cfg(test)]
use percent_encoding::percent_decode;
use percent_encoding::{percent_encode, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use sha2::{Digest, Sha256};

use crate::error::clip;
use crate::Error;

type HmacSha256 = Hmac<Sha256>;

/// `AWS4-HMAC-SHA256`, the only algorithm.
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";
/// The credential-scope terminator.
pub const TERMINATOR: &str = "aws4_request";
/// The payload hash of a presigned URL whose body is not signed.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
/// SHA-256 of the empty string, the payload hash of an empty signed body (only the
/// AWS suite signs bodies).
#[cfg(test)]
pub(crate) const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// RFC 3986: everything except the unreserved characters `A-Za-z0-9-_.~` is encoded.
pub(crate) const STRICT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// JavaScript's `encodeURIComponent`: [`STRICT`] but keeping `!*'()` (what a
/// controller's web stack emits).
pub(crate) const URI_COMPONENT: &AsciiSet = &STRICT
    .remove(b'!')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// Percent-encodes with the RFC 3986 unreserved set (space is `%20`, hex uppercase).
#[must_use]
pub fn encode(s: &str) -> Cow<'_, str> {
    utf8_percent_encode(s, STRICT).into()
}

/// Whether `s` contains a `%`. Query values are short and most have none: a
/// branch-free pass the compiler vectorizes costs less than a `memchr` call per value
/// (`--bench ecp_interleaved`: verifying is bound by passes over the query, SHA-256
/// being hardware-accelerated).
pub(crate) fn has_pct(s: &str) -> bool {
    s.bytes().fold(false, |found, b| found | (b == b'%'))
}

/// Checks that every `%` starts a `%XX` escape.
///
/// One branch-free pass over `s` and its two successors (the compiler vectorizes it):
/// the verifier checks the whole query at once, and a byte loop stopping at each `%`
/// was the largest cost after SHA-256 in `--bench ecp_interleaved`.
pub(crate) fn check_escapes(s: &str) -> Result<(), Error> {
    let b = s.as_bytes();
    let hex = |c: u8| (c.wrapping_sub(b'0') < 10) | ((c | 0x20).wrapping_sub(b'a') < 6);
    let next = b.get(1..).unwrap_or_default();
    let after = b.get(2..).unwrap_or_default();
    let inner_ok = b.iter().zip(next).zip(after).fold(true, |ok, ((&c, &h1), &h2)| {
        ok & ((c != b'%') | (hex(h1) & hex(h2)))
    });
    // a `%` in the last two octets cannot start an escape
    let tail_ok = !b
        .get(b.len().saturating_sub(2)..)
        .unwrap_or_default()
        .contains(&b'%');
    if inner_ok && tail_ok {
        Ok(())
    } else {
        Err(Error::BadPercentEncoding { value: clip(s) })
    }
}

/// Percent-decodes (`%XX` only; `+` is kept) into octets, rejecting a `%` that is not
/// followed by two hex digits. Borrows when there is nothing to decode; copies the runs
/// between escapes at once.
pub fn decode(s: &str) -> Result<Cow<'_, [u8]>, Error> {
    if !has_pct(s) {
        return Ok(Cow::Borrowed(s.as_bytes()));
    }
    decode_escapes(s)
}

/// [`decode`] of a value known to contain a `%`.
fn decode_escapes(s: &str) -> Result<Cow<'_, [u8]>, Error> {
    let bad = || Error::BadPercentEncoding { value: clip(s) };
    let mut out = Vec::with_capacity(s.len());
    let mut rest = s.as_bytes();
    while let Some(i) = rest.iter().position(|&b| b == b'%') {
        out.extend_from_slice(rest.get(..i).unwrap_or_default());
        out.push(rest.get(i + 1..i + 3).and_then(hex_octet).ok_or_else(bad)?);
        rest = rest.get(i + 3..).unwrap_or_default();
    }
    out.extend_from_slice(rest);
    Ok(Cow::Owned(out))
}

/// Percent-decodes the value of parameter `param` as UTF-8 text; with `plus_is_space`
/// (HTML form encoding) a `+` is a space. Borrows when there is nothing to decode.
pub(crate) fn decode_text<'a>(param: &str, s: &'a str, plus_is_space: bool) -> Result<Cow<'a, str>, Error> {
    let s: Cow<'a, str> = if plus_is_space && s.contains('+') {
        Cow::Owned(s.replace('+', " "))
    } else {
        Cow::Borrowed(s)
    };
    if !has_pct(&s) {
        return Ok(s);
    }
    let not_utf8 = || Error::NotUtf8 { param: clip(param) };
    match s {
        Cow::Borrowed(b) => match decode_escapes(b)? {
            Cow::Borrowed(d) => core::str::from_utf8(d).map(Cow::Borrowed).map_err(|_| not_utf8()),
            Cow::Owned(d) => String::from_utf8(d).map(Cow::Owned).map_err(|_| not_utf8()),
        },
        Cow::Owned(o) => {
            let d = decode(&o)?.into_owned();
            String::from_utf8(d).map(Cow::Owned).map_err(|_| not_utf8())
        }
    }
}

/// Lowercase hex.
#[must_use]
pub(crate) fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    push_hex(&mut s, bytes);
    s
}

/// Appends `bytes` in lowercase hex.
fn push_hex(out: &mut String, bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let digit = |n: u8| DIGITS.get(usize::from(n & 15)).copied().unwrap_or(b'0');
    for chunk in bytes.chunks(32) {
        let mut buf = [0u8; 64];
        for (pair, b) in buf.chunks_exact_mut(2).zip(chunk) {
            pair.copy_from_slice(&[digit(b >> 4), digit(*b)]);
        }
        let hex = buf.get(..chunk.len() * 2).unwrap_or_default();
        out.push_str(core::str::from_utf8(hex).unwrap_or_default());
    }
}

/// The concatenation of `parts`, allocated once.
fn concat(parts: &[&str]) -> String {
    let mut s = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    parts.iter().for_each(|p| s.push_str(p));
    s
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

/// Parses 64 hex digits (either case) into 32 octets.
pub(crate) fn parse_signature(s: &str) -> Result<[u8; 32], Error> {
    let bad = || Error::BadSignatureFormat {
        len: s.chars().count(),
    };
    if s.len() != 64 {
        return Err(bad());
    }
    let mut out = [0u8; 32];
    for (o, pair) in out.iter_mut().zip(s.as_bytes().chunks_exact(2)) {
        *o = hex_octet(pair).ok_or_else(bad)?;
    }
    Ok(out)
}

/// Overwrites `bytes` with zeros; `black_box` keeps the stores from being removed as
/// dead before a drop.
pub(crate) fn wipe(bytes: &mut [u8]) {
    bytes.iter_mut().for_each(|b| *b = 0);
    core::hint::black_box(bytes);
}

/// A SigV4 signing key, derived from a secret for one date, region and service.
///
/// Derivation costs four HMAC-SHA256; the key is valid for every request of that day,
/// so callers may cache it. It keeps the HMAC state keyed with it (the inner and outer
/// pads already hashed), so each signature costs only the string to sign. No `Clone`
/// by accident; `Debug` is redacted; the keyed state is overwritten on drop (the
/// short-lived copy made for each signature is consumed inside the `hmac` crate and is
/// out of reach).
pub struct SigningKey {
    mac: HmacSha256,
}

impl core::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("SigningKey(..)")
    }
}

fn keyed(key: &[u8]) -> HmacSha256 {
    // HMAC accepts keys of every length; `new_from_slice` cannot fail here.
    HmacSha256::new_from_slice(key).unwrap_or_else(|_| HmacSha256::new(&Default::default()))
}

fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac = keyed(key);
    mac.update(data);
    mac.finalize().into_bytes().into()
}

impl SigningKey {
    /// `kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")`.
    /// Every intermediate key is wiped.
    #[must_use]
    pub fn derive(secret: &[u8], date: &str, region: &str, service: &str) -> Self {
        let mut k = Vec::with_capacity(4 + secret.len());
        k.extend_from_slice(b"AWS4");
        k.extend_from_slice(secret);
        let mut k_date = hmac(&k, date.as_bytes());
        wipe(&mut k);
        let mut k_region = hmac(&k_date, region.as_bytes());
        wipe(&mut k_date);
        let mut k_service = hmac(&k_region, service.as_bytes());
        wipe(&mut k_region);
        let mut k_signing = hmac(&k_service, TERMINATOR.as_bytes());
        wipe(&mut k_service);
        let mac = keyed(&k_signing);
        wipe(&mut k_signing);
        Self { mac }
    }

    /// The raw signature of a string to sign.
    #[must_use]
    pub fn sign(&self, string_to_sign: &str) -> [u8; 32] {
        let mut mac = self.mac.clone();
        mac.update(string_to_sign.as_bytes());
        mac.finalize().into_bytes().into()
    }

    /// Checks a signature in constant time.
    #[must_use]
    pub fn verify(&self, string_to_sign: &str, signature: &[u8; 32]) -> bool {
        let mut mac = self.mac.clone();
        mac.update(string_to_sign.as_bytes());
        mac.verify_slice(signature).is_ok()
    }

    /// Replaces the keyed state with the state of an all-zero key.
    pub(crate) fn wipe(&mut self) {
        self.mac = keyed(&[0u8; 32]);
        core::hint::black_box(&mut self.mac);
    }
}

impl Drop for SigningKey {
    fn drop(&mut self) {
        self.wipe();
    }
}

/// The credential scope `<date>/<region>/<service>/aws4_request`.
#[must_use]
pub fn scope(date: &str, region: &str, service: &str) -> String {
    concat(&[date, "/", region, "/", service, "/", TERMINATOR])
}

/// The string to sign: algorithm, timestamp, scope and the canonical request's hash.
#[must_use]
pub fn string_to_sign(amz_date: &str, scope: &str, canonical_request: &str) -> String {
    string_to_sign_of_parts(amz_date, scope, &[canonical_request])
}

/// [`string_to_sign`] of a canonical request given as the pieces that make it up
/// ([`canonical_request_parts`]), hashed without joining them.
pub(crate) fn string_to_sign_of_parts(amz_date: &str, scope: &str, canonical_request: &[&str]) -> String {
    let mut hash = Sha256::new();
    canonical_request.iter().for_each(|p| hash.update(p.as_bytes()));
    let mut s = String::with_capacity(ALGORITHM.len() + amz_date.len() + scope.len() + 3 + 64);
    for part in [ALGORITHM, "\n", amz_date, "\n", scope, "\n"] {
        s.push_str(part);
    }
    push_hex(&mut s, &hash.finalize());
    s
}

/// The canonical request (the one recipe, for signing and verifying alike).
#[must_use]
pub fn canonical_request(
    method: &str,
    canonical_uri: &str,
    canonical_query: &str,
    canonical_headers: &str,
    signed_headers: &str,
    payload_hash: &str,
) -> String {
    concat(&canonical_request_parts(
        method,
        canonical_uri,
        canonical_query,
        canonical_headers,
        signed_headers,
        payload_hash,
    ))
}

/// The pieces of [`canonical_request`], in order.
pub(crate) fn canonical_request_parts<'a>(
    method: &'a str,
    canonical_uri: &'a str,
    canonical_query: &'a str,
    canonical_headers: &'a str,
    signed_headers: &'a str,
    payload_hash: &'a str,
) -> [&'a str; 11] {
    [
        method,
        "\n",
        canonical_uri,
        "\n",
        canonical_query,
        "\n",
        canonical_headers,
        "\n",
        signed_headers,
        "\n",
        payload_hash,
    ]
}

/// Canonical headers and the signed-headers list from `(name, value)` pairs: names
/// lowercased, values trimmed with inner runs of white space collapsed to one space,
/// repeated names joined with `,` in order, sorted by name. (Only the AWS suite needs
/// headers other than `host`.)
#[cfg(test)]
pub(crate) fn canonical_headers(headers: &[(&str, &str)]) -> (String, String) {
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
    let canon = merged.iter().map(|(n, v)| format!("{n}:{v}\n")).collect();
    let signed = merged
        .iter()
        .map(|(n, _)| n.as_str())
        .collect::<Vec<_>>()
        .join(";");
    (canon, signed)
}

/// The AWS canonical URI of a request path (decoded, optionally normalized, encoded
/// once, or twice with `double_encode`). ECP signs the path as written; only the AWS
/// suite needs this.
#[cfg(test)]
pub(crate) fn canonical_uri(path: &str, normalize: bool, double_encode: bool) -> String {
    const PATH: &AsciiSet = &STRICT.remove(b'/');
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
/// decoding. Empty segments are skipped; a pair without `=` has an empty value. The
/// crate's only query splitter.
#[must_use]
pub fn split_query(raw: &str) -> QueryPairs<'_> {
    QueryPairs { rest: raw }
}

/// The index of the first `needle` in `b`, sixteen octets at a time: a comparison
/// mask per chunk the compiler vectorizes. Splitting the query octet by octet
/// was half the cost of SHA-256 in `--bench ecp_interleaved` (verify + model target:
/// 1.5x the five-HMAC floor).
fn find_byte(b: &[u8], needle: u8) -> Option<usize> {
    let mut chunks = b.chunks_exact(16);
    let mut base = 0;
    for chunk in &mut chunks {
        let mask = chunk
            .iter()
            .enumerate()
            .fold(0u32, |m, (i, &c)| m | (u32::from(c == needle) << i));
        if mask != 0 {
            return Some(base + mask.trailing_zeros() as usize);
        }
        base += 16;
    }
    chunks
        .remainder()
        .iter()
        .position(|&c| c == needle)
        .map(|i| base + i)
}

/// The iterator of [`split_query`].
#[derive(Clone, Debug)]
pub struct QueryPairs<'a> {
    rest: &'a str,
}

impl<'a> Iterator for QueryPairs<'a> {
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.rest.is_empty() {
                return None;
            }
            let b = self.rest.as_bytes();
            let end = find_byte(b, b'&').unwrap_or(b.len());
            // `&` and `=` are ASCII: every split below is on a character boundary.
            let seg = self.rest.get(..end).unwrap_or_default();
            self.rest = self.rest.get(end + 1..).unwrap_or_default();
            if seg.is_empty() {
                continue;
            }
            return Some(match find_byte(seg.as_bytes(), b'=') {
                Some(i) => (
                    seg.get(..i).unwrap_or_default(),
                    seg.get(i + 1..).unwrap_or_default(),
                ),
                None => (seg, ""),
            });
        }
    }
}

/// The AWS canonical query: every pair decoded, re-encoded with the RFC 3986 set,
/// sorted by key then value, joined with `&`.
pub fn canonical_query_strict<'a>(
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<String, Error> {
    let mut enc: Vec<(String, String)> = Vec::new();
    for (k, v) in pairs {
        enc.push((
            percent_encode(&decode(k)?, STRICT).to_string(),
            percent_encode(&decode(v)?, STRICT).to_string(),
        ));
    }
    enc.sort();
    Ok(join_pairs(enc.iter().map(|(k, v)| (k.as_str(), v.as_str()))))
}

/// The canonical query as Extreme computes it: the raw pairs as received, minus
/// `X-Amz-Signature`, sorted by raw key (stable for equal keys), nothing decoded.
#[must_use]
pub fn canonical_query_raw(raw: &str) -> String {
    let pairs = sorted_by_raw_key(split_query(raw).filter(|(k, _)| *k != "X-Amz-Signature"));
    join_pairs(pairs.iter().copied())
}

/// Pairs sorted by raw key, stable for equal keys: the order of the raw canonical query.
pub(crate) fn sorted_by_raw_key<'a>(
    pairs: impl Iterator<Item = (&'a str, &'a str)>,
) -> Vec<(&'a str, &'a str)> {
    let mut pairs: Vec<_> = pairs.collect();
    pairs.sort_by(|a, b| a.0.cmp(b.0));
    pairs
}

/// `k=v` pairs joined with `&`.
pub(crate) fn join_pairs<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)> + Clone) -> String {
    let mut s = String::with_capacity(pairs.clone().map(|(k, v)| k.len() + v.len() + 2).sum());
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
    use super::*;

    proptest::proptest! {
        /// The encoder and the decoder agree with the `percent-encoding` crate on
        /// arbitrary text and arbitrary escapes, and reject exactly the malformed ones.
        #[test]
        fn codec_matches_percent_encoding(s in "\\PC*", raw in "([a-z!~ é+]|%[0-9a-fA-F]{2}|%)*") {
            let reference = utf8_percent_encode(&s, STRICT).to_string();
            proptest::prop_assert_eq!(encode(&s), reference.as_str());
            proptest::prop_assert_eq!(decode_text("p", &reference, false).unwrap(), s.as_str());
            let bytes: Vec<u8> = percent_decode(raw.as_bytes()).collect();
            let malformed = raw.as_bytes().iter().enumerate().any(|(i, &c)| {
                c == b'%' && !raw.as_bytes().get(i + 1..i + 3).is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
            });
            match decode_text("p", &raw, false) {
                Ok(d) => {
                    proptest::prop_assert!(!malformed);
                    proptest::prop_assert_eq!(d.as_bytes(), &bytes[..]);
                }
                Err(Error::BadPercentEncoding { .. }) => proptest::prop_assert!(malformed),
                Err(e) => {
                    proptest::prop_assert_eq!(e, Error::NotUtf8 { param: "p".into() });
                    proptest::prop_assert!(String::from_utf8(bytes).is_err());
                }
            }
            proptest::prop_assert_eq!(decode(&raw).is_err(), malformed);
        }
    }

    proptest::proptest! {
        /// The chunked search finds what `position` finds.
        #[test]
        fn find_byte_matches_position(b in proptest::collection::vec(proptest::sample::select(vec![b'a', b'&', 0x80, 0]), 0..70)) {
            proptest::prop_assert_eq!(find_byte(&b, b'&'), b.iter().position(|&c| c == b'&'));
        }

        /// The one-pass splitter splits as `str::split` and `split_once` do.
        #[test]
        fn splitter_matches_std(raw in "[a=&%é]{0,24}") {
            let reference: Vec<(&str, &str)> = raw
                .split('&')
                .filter(|s| !s.is_empty())
                .map(|s| s.split_once('=').unwrap_or((s, "")))
                .collect();
            proptest::prop_assert_eq!(split_query(&raw).collect::<Vec<_>>(), reference);
        }
    }

    proptest::proptest! {
        /// The branch-free escape check agrees with a byte-by-byte one.
        #[test]
        fn escape_check_matches_a_byte_loop(raw in "([a-fA-Z0-9%g]){0,12}") {
            let b = raw.as_bytes();
            let reference = b.iter().enumerate().all(|(i, &c)| {
                c != b'%' || b.get(i + 1..i + 3).is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
            });
            proptest::prop_assert_eq!(check_escapes(&raw).is_ok(), reference, "{}", raw);
        }
    }

    #[test]
    fn form_decoding_turns_plus_into_space() {
        assert_eq!(decode_text("v", "a+b%2B%21", true).unwrap(), "a b+!");
        assert_eq!(decode_text("v", "a+b%2B%21", false).unwrap(), "a+b+!");
        assert_eq!(
            decode_text("ssid", "%FF+", true).unwrap_err(),
            Error::NotUtf8 { param: "ssid".into() }
        );
    }

    #[test]
    fn encoding_is_rfc3986() {
        assert_eq!(encode("a b!*'()~._-/"), "a%20b%21%2A%27%28%29~._-%2F");
        assert_eq!(encode("ሴ"), "%E1%88%B4");
        assert_eq!(
            utf8_percent_encode("a b!*'()~", URI_COMPONENT).to_string(),
            "a%20b!*'()~"
        );
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
            canonical_query_raw("wlan=1&token=a!!&X-Amz-Signature=00&&dest=x&bare"),
            "bare=&dest=x&token=a!!&wlan=1"
        );
        assert_eq!(
            split_query("a=1&&b&c==2&").collect::<Vec<_>>(),
            [("a", "1"), ("b", ""), ("c", "=2")]
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
        // the length is counted in characters, not octets
        assert_eq!(
            parse_signature("éé").unwrap_err(),
            Error::BadSignatureFormat { len: 2 }
        );
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

    /// H10: a dropped signing key leaves no keyed state behind: `wipe` (what `Drop`
    /// runs) replaces it with the state of an all-zero key.
    #[test]
    fn wiping_a_signing_key_replaces_its_keyed_state() {
        let mut key = SigningKey::derive(b"s3cret", "20261122", "world", "ecp");
        let before = key.sign("x");
        key.wipe();
        assert_ne!(key.sign("x"), before);
        assert_eq!(key.sign("x"), hmac(&[0u8; 32], b"x"));
        let mut bytes = *b"secret";
        wipe(&mut bytes);
        assert_eq!(bytes, [0; 6]);
    }
}
