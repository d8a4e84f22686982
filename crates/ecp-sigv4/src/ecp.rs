//! Extreme external captive portal (ECP) rules on top of the SigV4 engine: verifying
//! signed URLs as received, signing URLs so that both raw and strict verifiers agree,
//! and the two redirect models.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use sha2::Digest;

use crate::sigv4::{self, SigningKey, ALGORITHM, TERMINATOR, UNSIGNED_PAYLOAD};
use crate::{AmzDate, Error, Url};

/// The region of every ECP signature.
pub const REGION: &str = "world";
/// The service of every ECP signature.
pub const SERVICE: &str = "ecp";

/// A shared secret (the controller's "Shared Secret"). No `Clone` by accident; `Debug`
/// is redacted.
pub struct Secret(Box<[u8]>);

impl Secret {
    /// Wraps secret octets.
    pub fn new(secret: impl Into<Vec<u8>>) -> Self {
        Self(secret.into().into_boxed_slice())
    }

    /// The secret octets.
    #[must_use]
    pub fn expose(&self) -> &[u8] {
        &self.0
    }
}

impl core::fmt::Debug for Secret {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Secret(..)")
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Self::new(s.as_bytes())
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        self.0.iter_mut().for_each(|b| *b = 0);
    }
}

/// Maps an identity (the controller's "Identity", the access key id of the credential)
/// to the secrets that may have signed for it: more than one while a key is rotated.
pub trait SecretLookup {
    /// The candidate secrets for `identity` (empty if unknown).
    fn secrets(&self, identity: &str) -> &[Secret];
}

/// An in-memory [`SecretLookup`].
#[derive(Debug, Default)]
pub struct Keyring {
    keys: HashMap<String, Vec<Secret>>,
}

impl Keyring {
    /// An empty keyring.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a secret for an identity (a second one for key rotation).
    pub fn insert(&mut self, identity: impl Into<String>, secret: Secret) -> &mut Self {
        self.keys.entry(identity.into()).or_default().push(secret);
        self
    }

    /// Removes every secret of an identity.
    pub fn remove(&mut self, identity: &str) {
        self.keys.remove(identity);
    }
}

impl SecretLookup for Keyring {
    fn secrets(&self, identity: &str) -> &[Secret] {
        self.keys.get(identity).map_or(&[], Vec::as_slice)
    }
}

/// Whether a non-default port goes into the signed `host:` line. Default ports (80 for
/// http, 443 for https) never do. Extreme's sample code includes a non-default port,
/// its deployment guide says the port is excluded; the default follows the code (and
/// AWS), the other is a switch.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum PortRule {
    /// `host:portal.example:8443`.
    #[default]
    IncludeNonDefault,
    /// `host:portal.example`.
    Omit,
}

/// The value of the signed `host:` line.
#[must_use]
pub fn host_value<'h>(scheme: &str, host: &'h str, port: Option<u16>, rule: PortRule) -> Cow<'h, str> {
    let host: Cow<'h, str> = if host.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(host.to_ascii_lowercase())
    } else {
        Cow::Borrowed(host)
    };
    match (port, rule) {
        (Some(p), PortRule::IncludeNonDefault) if !is_default_port(scheme, p) => {
            Cow::Owned(format!("{host}:{p}"))
        }
        _ => host,
    }
}

fn is_default_port(scheme: &str, port: u16) -> bool {
    (scheme == "https" && port == 443) || (scheme == "http" && port == 80)
}

/// Verifies signed ECP URLs (either direction).
///
/// Time window: `X-Amz-Date - max_future_skew <= now <= X-Amz-Date + X-Amz-Expires + grace`.
///
/// Signing keys are derived per identity, day and secret (four HMAC-SHA256) and kept in
/// a small cache, so only the first URL of a day pays for the derivation.
pub struct Verifier<'k, K: ?Sized> {
    keys: &'k K,
    max_future_skew: Duration,
    expiry_grace: Duration,
    max_expires: u64,
    max_url_len: usize,
    port_rule: PortRule,
    cache: Mutex<Vec<CachedKey>>,
}

impl<K: ?Sized> core::fmt::Debug for Verifier<'_, K> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Verifier")
            .field("max_future_skew", &self.max_future_skew)
            .field("expiry_grace", &self.expiry_grace)
            .field("max_expires", &self.max_expires)
            .field("max_url_len", &self.max_url_len)
            .field("port_rule", &self.port_rule)
            .finish_non_exhaustive()
    }
}

/// A derived signing key: identity, `YYYYMMDD`, index of the secret.
struct CachedKey {
    identity: String,
    date: String,
    index: usize,
    key: SigningKey,
}

/// How many derived keys a verifier keeps.
const KEY_CACHE: usize = 16;

/// A verified (or merely parsed, for unsigned URLs) query: the parameters as received
/// (sorted by name, as signed), plus what the signature said.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedQuery<'u> {
    /// Every pair but the signature, sorted by raw key (`X-Amz-*` included).
    params: Vec<(&'u str, &'u str)>,
    signature: Option<SignatureInfo<'u>>,
}

/// Facts from a verified signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignatureInfo<'u> {
    /// The identity that signed (borrowed from the URL unless it had to be decoded).
    pub identity: Cow<'u, str>,
    /// `X-Amz-Date`.
    pub date: AmzDate,
    /// `X-Amz-Expires`, seconds.
    pub expires: u64,
    /// Which of the identity's secrets matched (0 = first; >0 during rotation).
    pub secret_index: usize,
}

impl<'u> SignedQuery<'u> {
    /// The raw (still percent-encoded) value of a parameter.
    #[must_use]
    pub fn raw(&self, name: &str) -> Option<&'u str> {
        self.params.iter().find(|(k, _)| *k == name).map(|(_, v)| *v)
    }

    /// The percent-decoded value of a parameter.
    pub fn get(&self, name: &str) -> Result<Option<Cow<'u, str>>, Error> {
        self.raw(name).map(sigv4::decode_str).transpose()
    }

    /// Every non-`X-Amz` parameter, raw, sorted by name.
    pub fn params(&self) -> impl Iterator<Item = (&'u str, &'u str)> + '_ {
        self.params
            .iter()
            .copied()
            .filter(|(k, _)| !k.starts_with("X-Amz-"))
    }

    /// The signature facts, when the URL was signed and verified.
    #[must_use]
    pub fn signature(&self) -> Option<&SignatureInfo<'u>> {
        self.signature.as_ref()
    }
}

impl SignatureInfo<'_> {
    /// A copy that owns its text.
    #[must_use]
    pub fn into_owned(self) -> SignatureInfo<'static> {
        SignatureInfo {
            identity: Cow::Owned(self.identity.into_owned()),
            date: self.date,
            expires: self.expires,
            secret_index: self.secret_index,
        }
    }
}

struct AmzParams<'u> {
    algorithm: Option<&'u str>,
    credential: Option<&'u str>,
    date: Option<&'u str>,
    expires: Option<&'u str>,
    signed_headers: Option<&'u str>,
    signature: Option<&'u str>,
}

/// Raw `(key, value)` pairs of a query.
type Pairs<'u> = Vec<(&'u str, &'u str)>;

/// A query split once: the X-Amz parameters, and every pair but the signature sorted
/// by raw key (the canonical query).
struct Split<'u> {
    amz: AmzParams<'u>,
    sorted: Pairs<'u>,
}

/// Splits a raw query, rejecting duplicate keys, percent-encoded X-Amz names and
/// malformed escapes.
fn split_params(raw: &str) -> Result<Split<'_>, Error> {
    let mut amz = AmzParams {
        algorithm: None,
        credential: None,
        date: None,
        expires: None,
        signed_headers: None,
        signature: None,
    };
    let mut sorted: Pairs<'_> = Vec::with_capacity(24);
    let clip = |k: &str| k.chars().take(64).collect::<String>();
    for (k, v, key_pct, val_pct) in sigv4::split_query_flagged(raw) {
        if val_pct {
            sigv4::check_escapes(v)?;
        }
        if key_pct {
            let decoded = sigv4::decode(k)?;
            if decoded
                .get(..6)
                .is_some_and(|p| p.eq_ignore_ascii_case(b"x-amz-"))
            {
                return Err(Error::EncodedAmzName { name: clip(k) });
            }
        }
        let slot = match k {
            "X-Amz-Algorithm" => &mut amz.algorithm,
            "X-Amz-Credential" => &mut amz.credential,
            "X-Amz-Date" => &mut amz.date,
            "X-Amz-Expires" => &mut amz.expires,
            "X-Amz-SignedHeaders" => &mut amz.signed_headers,
            "X-Amz-Signature" => &mut amz.signature,
            _ => {
                sorted.push((k, v));
                continue;
            }
        };
        if slot.replace(v).is_some() {
            return Err(Error::DuplicateParameter { name: clip(k) });
        }
        if k != "X-Amz-Signature" {
            sorted.push((k, v));
        }
    }
    sorted.sort_unstable_by(|a, b| sigv4::cmp_keys(a.0, b.0));
    if let Some(w) = sorted.windows(2).find(|w| matches!(w, [a, b] if a.0 == b.0)) {
        let name = w.first().map_or("", |p| p.0);
        return Err(Error::DuplicateParameter { name: clip(name) });
    }
    Ok(Split { amz, sorted })
}

impl<'k, K: SecretLookup + ?Sized> Verifier<'k, K> {
    /// A verifier with the defaults: 10 s future skew, no grace after expiry,
    /// `X-Amz-Expires` at most 900 s, URLs at most 4096 octets, non-default ports in the
    /// `host:` line.
    pub fn new(keys: &'k K) -> Self {
        Self {
            keys,
            max_future_skew: Duration::from_secs(10),
            expiry_grace: Duration::ZERO,
            max_expires: 900,
            max_url_len: 4096,
            port_rule: PortRule::IncludeNonDefault,
            cache: Mutex::new(Vec::new()),
        }
    }

    /// The signing key for one secret of an identity on a day, from the cache or
    /// derived (and cached).
    fn key(&self, identity: &str, date: &str, index: usize, secret: &Secret) -> SigningKey {
        let hit = |c: &CachedKey| c.index == index && c.date == date && c.identity == identity;
        if let Ok(cache) = self.cache.lock() {
            if let Some(c) = cache.iter().find(|c| hit(c)) {
                return c.key.clone_key();
            }
        }
        let key = SigningKey::derive(secret.expose(), date, REGION, SERVICE);
        if let Ok(mut cache) = self.cache.lock() {
            if cache.len() >= KEY_CACHE {
                cache.remove(0);
            }
            cache.push(CachedKey {
                identity: identity.to_string(),
                date: date.to_string(),
                index,
                key: key.clone_key(),
            });
        }
        key
    }

    /// How far in the future `X-Amz-Date` may be.
    #[must_use]
    pub fn max_future_skew(mut self, d: Duration) -> Self {
        self.max_future_skew = d;
        self
    }

    /// How long after `X-Amz-Date + X-Amz-Expires` a URL is still accepted.
    #[must_use]
    pub fn expiry_grace(mut self, d: Duration) -> Self {
        self.expiry_grace = d;
        self
    }

    /// The largest accepted `X-Amz-Expires`, in seconds.
    #[must_use]
    pub fn max_expires(mut self, secs: u64) -> Self {
        self.max_expires = secs;
        self
    }

    /// The longest accepted URL.
    #[must_use]
    pub fn max_url_len(mut self, len: usize) -> Self {
        self.max_url_len = len;
        self
    }

    /// The port rule for the `host:` line.
    #[must_use]
    pub fn port_rule(mut self, rule: PortRule) -> Self {
        self.port_rule = rule;
        self
    }

    /// Verifies a whole signed URL as received. For a controller -> portal redirect,
    /// rebuild the URL from the portal's *configured* ECP URL and the raw query, never
    /// from a `Host` header.
    pub fn verify_url<'u>(&self, url: &'u str, now: SystemTime) -> Result<SignedQuery<'u>, Error> {
        if url.len() > self.max_url_len {
            return Err(Error::UrlTooLong {
                len: url.len(),
                max: self.max_url_len,
            });
        }
        let u = Url::parse(url)?;
        self.verify(&u, now)
    }

    /// Verifies parsed URL parts.
    pub fn verify<'u>(&self, url: &Url<'u>, now: SystemTime) -> Result<SignedQuery<'u>, Error> {
        let total = url.host.len() + url.path.len() + url.query.len();
        if total > self.max_url_len {
            return Err(Error::UrlTooLong {
                len: total,
                max: self.max_url_len,
            });
        }
        let Split { amz, sorted } = split_params(url.query)?;
        let algorithm = amz.algorithm.ok_or(Error::MissingParameter("X-Amz-Algorithm"))?;
        let credential = amz
            .credential
            .ok_or(Error::MissingParameter("X-Amz-Credential"))?;
        let date_raw = amz.date.ok_or(Error::MissingParameter("X-Amz-Date"))?;
        let expires_raw = amz.expires.ok_or(Error::MissingParameter("X-Amz-Expires"))?;
        let signed_headers = amz
            .signed_headers
            .ok_or(Error::MissingParameter("X-Amz-SignedHeaders"))?;
        let signature_raw = amz.signature.ok_or(Error::MissingParameter("X-Amz-Signature"))?;
        let clip = |s: &str| s.chars().take(64).collect::<String>();

        if algorithm != ALGORITHM {
            return Err(Error::WrongAlgorithm(clip(algorithm)));
        }
        if signed_headers != "host" {
            return Err(Error::WrongSignedHeaders(clip(signed_headers)));
        }
        // The credential is `identity%2Fdate%2Fregion%2Fservice%2Faws4_request`: when
        // `%2F` is its only escape, split on it without decoding (no allocation).
        let decoded;
        let raw_credential = only_encoded_slashes(credential);
        let mut parts = if raw_credential {
            SlashSplit::new(credential, true)
        } else {
            decoded = sigv4::decode_str(credential)?;
            SlashSplit::new(&decoded, false)
        };
        let (Some(identity), Some(cred_date), Some(region), Some(service), Some(terminator), None) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return Err(Error::BadCredential);
        };
        if identity.is_empty() {
            return Err(Error::BadCredential);
        }
        if region != REGION {
            return Err(Error::WrongRegion {
                got: clip(region),
                expected: REGION,
            });
        }
        if service != SERVICE {
            return Err(Error::WrongService {
                got: clip(service),
                expected: SERVICE,
            });
        }
        if terminator != TERMINATOR {
            return Err(Error::WrongTerminator(clip(terminator)));
        }
        let date = AmzDate::parse(date_raw)?;
        if date_raw.get(..8) != Some(cred_date) {
            return Err(Error::CredentialDateMismatch {
                credential: clip(cred_date),
                amz_date: clip(date_raw),
            });
        }
        if expires_raw.is_empty()
            || expires_raw.len() > 10
            || !expires_raw.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(Error::BadExpires(clip(expires_raw)));
        }
        let expires: u64 = expires_raw
            .parse()
            .map_err(|_| Error::BadExpires(clip(expires_raw)))?;
        if expires > self.max_expires {
            return Err(Error::ExpiresTooLong {
                expires,
                max: self.max_expires,
            });
        }
        let signature = sigv4::parse_signature(signature_raw)?;
        let secrets = self.keys.secrets(identity);
        if secrets.is_empty() {
            return Err(Error::UnknownIdentity(clip(identity)));
        }

        let host = host_value(url.scheme, url.host, url.port, self.port_rule);
        let path = if url.path.is_empty() { "/" } else { url.path };
        // The canonical request, hashed in pieces:
        // GET \n path \n sorted raw query \n host:<host> \n \n host \n UNSIGNED-PAYLOAD
        let mut creq = StackBuf::new();
        creq.push(b"GET\n");
        creq.push(path.as_bytes());
        creq.push(b"\n");
        push_canonical_query(&mut creq, url.query, &sorted);
        creq.push(b"\nhost:");
        creq.push(host.as_bytes());
        creq.push(b"\n\nhost\n");
        creq.push(UNSIGNED_PAYLOAD.as_bytes());
        let h = sha2::Sha256::digest(creq.as_slice());
        let creq_hash = sigv4::hex_array(&h.into());
        let sts: [&[u8]; 9] = [
            b"AWS4-HMAC-SHA256\n",
            date_raw.as_bytes(),
            b"\n",
            cred_date.as_bytes(),
            b"/world/ecp/",
            TERMINATOR.as_bytes(),
            b"\n",
            &creq_hash,
            b"",
        ];
        let matched = secrets
            .iter()
            .enumerate()
            .position(|(i, s)| self.key(identity, cred_date, i, s).verify_parts(&sts, &signature));
        let Some(secret_index) = matched else {
            return Err(Error::BadSignature);
        };

        let now = AmzDate::from_system_time(now).unix();
        let skew = i64::try_from(self.max_future_skew.as_secs()).unwrap_or(i64::MAX);
        let grace = i64::try_from(self.expiry_grace.as_secs()).unwrap_or(i64::MAX);
        let earliest = date.unix().saturating_sub(skew);
        let latest = date
            .unix()
            .saturating_add(i64::try_from(expires).unwrap_or(i64::MAX))
            .saturating_add(grace);
        if now < earliest {
            return Err(Error::NotYetValid {
                secs_early: earliest - now,
            });
        }
        if now > latest {
            return Err(Error::Expired {
                secs_late: now - latest,
            });
        }
        Ok(SignedQuery {
            params: sorted,
            signature: Some(SignatureInfo {
                // Undecoded, the identity is the credential's first part, in the URL.
                identity: match credential.get(..identity.len()).filter(|_| raw_credential) {
                    Some(borrowed) => Cow::Borrowed(borrowed),
                    None => Cow::Owned(identity.to_string()),
                },
                date,
                expires,
                secret_index,
            }),
        })
    }
}

/// Appends the sorted pairs joined with `&`. Pairs that follow each other in the raw
/// query as well are copied as one slice of it: a query that arrives sorted (as
/// [`Signer::presign`] emits it) is copied in one piece.
fn push_canonical_query(creq: &mut StackBuf, raw: &str, sorted: &[(&str, &str)]) {
    let mut first = true;
    let mut piece = |creq: &mut StackBuf, bytes: &[u8]| {
        if !core::mem::take(&mut first) {
            creq.push_byte(b'&');
        }
        creq.push(bytes);
    };
    // The pending run `raw[start..end]`, as offsets.
    let mut run: Option<(usize, usize)> = None;
    for (k, v) in sorted {
        match (pair_span(raw, k, v), run) {
            (Some((start, end)), Some((s, e))) if start == e + 1 && raw.as_bytes().get(e) == Some(&b'&') => {
                run = Some((s, end));
            }
            (span, pending) => {
                if let Some((s, e)) = pending {
                    piece(creq, raw.as_bytes().get(s..e).unwrap_or_default());
                }
                run = span;
                if span.is_none() {
                    // A pair without `=` is canonically `k=`.
                    piece(creq, k.as_bytes());
                    creq.push_byte(b'=');
                }
            }
        }
    }
    if let Some((s, e)) = run {
        piece(creq, raw.as_bytes().get(s..e).unwrap_or_default());
    }
}

/// The offsets of `k=v` in `raw`, when `k` and `v` are its parts around one `=` (the
/// splitter's output for a pair that had its `=`).
fn pair_span(raw: &str, k: &str, v: &str) -> Option<(usize, usize)> {
    let base = raw.as_ptr() as usize;
    let start = (k.as_ptr() as usize).checked_sub(base)?;
    let eq = start + k.len();
    if v.as_ptr() as usize != base + eq + 1 || raw.as_bytes().get(eq) != Some(&b'=') {
        return None;
    }
    Some((start, eq + 1 + v.len()))
}

/// True when every `%` in `s` starts `%2F`/`%2f` and there is no literal `/`.
fn only_encoded_slashes(s: &str) -> bool {
    let b = s.as_bytes();
    let mut from = 0;
    while let Some(i) = sigv4::find_pct(b, from) {
        if !matches!(b.get(i + 1..i + 3), Some([b'2', b'F' | b'f'])) {
            return false;
        }
        from = i + 3;
    }
    memchr::memchr(b'/', b).is_none()
}

/// Splits a credential on `/`, or on `%2F` when it was left encoded (and, per
/// [`only_encoded_slashes`], every `%` starts one).
struct SlashSplit<'c> {
    rest: Option<&'c str>,
    encoded: bool,
}

impl<'c> SlashSplit<'c> {
    fn new(s: &'c str, encoded: bool) -> Self {
        Self {
            rest: Some(s),
            encoded,
        }
    }
}

impl<'c> Iterator for SlashSplit<'c> {
    type Item = &'c str;

    fn next(&mut self) -> Option<&'c str> {
        let rest = self.rest?;
        let found = if self.encoded {
            sigv4::find_pct(rest.as_bytes(), 0).map(|i| (i, 3))
        } else {
            memchr::memchr(b'/', rest.as_bytes()).map(|i| (i, 1))
        };
        match found {
            Some((i, skip)) => {
                self.rest = rest.get(i + skip..);
                rest.get(..i)
            }
            None => {
                self.rest = None;
                Some(rest)
            }
        }
    }
}

/// A byte buffer on the stack that moves to the heap only when it outgrows it: the
/// canonical request of a captive-portal URL fits in 1 KiB.
struct StackBuf {
    stack: [u8; 1024],
    len: usize,
    heap: Vec<u8>,
}

impl StackBuf {
    fn new() -> Self {
        Self {
            stack: [0; 1024],
            len: 0,
            heap: Vec::new(),
        }
    }

    fn push(&mut self, bytes: &[u8]) {
        if self.heap.is_empty() {
            if let Some(dst) = self.stack.get_mut(self.len..self.len + bytes.len()) {
                dst.copy_from_slice(bytes);
                self.len += bytes.len();
                return;
            }
            self.heap
                .extend_from_slice(self.stack.get(..self.len).unwrap_or_default());
        }
        self.heap.extend_from_slice(bytes);
    }

    fn push_byte(&mut self, b: u8) {
        if self.heap.is_empty() {
            if let Some(dst) = self.stack.get_mut(self.len) {
                *dst = b;
                self.len += 1;
                return;
            }
        }
        self.push(&[b]);
    }

    fn as_slice(&self) -> &[u8] {
        if self.heap.is_empty() {
            self.stack.get(..self.len).unwrap_or_default()
        } else {
            &self.heap
        }
    }
}

/// Parses an unsigned URL's query (no signature checks; duplicates still rejected).
pub fn parse_unsigned(url: &str, max_len: usize) -> Result<SignedQuery<'_>, Error> {
    if url.len() > max_len {
        return Err(Error::UrlTooLong {
            len: url.len(),
            max: max_len,
        });
    }
    let u = Url::parse(url)?;
    let Split { sorted, .. } = split_params(u.query)?;
    Ok(SignedQuery {
        params: sorted,
        signature: None,
    })
}

/// Signs ECP URLs for one identity: the credential, the validity and the port rule.
///
/// The signing key of the current day is derived once (four HMAC-SHA256) and kept, so
/// each further URL of that day costs one SHA-256 and one HMAC-SHA256. Keep one signer
/// per identity for as long as the secret is in use; it can be shared between threads.
#[derive(Debug)]
pub struct Signer<'s> {
    identity: &'s str,
    secret: &'s Secret,
    expires: u64,
    port_rule: PortRule,
    /// The derived key of the last day signed for (`YYYYMMDD`).
    key: Mutex<Option<([u8; 8], SigningKey)>>,
}

impl<'s> Signer<'s> {
    /// A signer with the defaults: `X-Amz-Expires=60` (the vendor's example) and a
    /// non-default port in the `host:` line.
    #[must_use]
    pub fn new(identity: &'s str, secret: &'s Secret) -> Self {
        Self {
            identity,
            secret,
            expires: 60,
            port_rule: PortRule::IncludeNonDefault,
            key: Mutex::new(None),
        }
    }

    /// `X-Amz-Expires`, seconds.
    #[must_use]
    pub fn expires(mut self, secs: u64) -> Self {
        self.expires = secs;
        self
    }

    /// The `host:` port rule (must match the verifier's).
    #[must_use]
    pub fn port_rule(mut self, rule: PortRule) -> Self {
        self.port_rule = rule;
        self
    }

    /// The identity (access key id) this signer signs as.
    #[must_use]
    pub fn identity(&self) -> &'s str {
        self.identity
    }

    /// The signing key for a day, from the one kept or derived (and kept).
    fn key(&self, day: &str) -> SigningKey {
        let Ok(day_bytes) = <[u8; 8]>::try_from(day.as_bytes()) else {
            return SigningKey::derive(self.secret.expose(), day, REGION, SERVICE);
        };
        if let Ok(kept) = self.key.lock() {
            if let Some((_, k)) = kept.as_ref().filter(|(d, _)| *d == day_bytes) {
                return k.clone_key();
            }
        }
        let key = SigningKey::derive(self.secret.expose(), day, REGION, SERVICE);
        if let Ok(mut kept) = self.key.lock() {
            *kept = Some((day_bytes, key.clone_key()));
        }
        key
    }

    /// Presigns `GET scheme://host[:port]path?params` at time `now`.
    ///
    /// Keys and values are percent-encoded strictly (RFC 3986), sorted by encoded key,
    /// and the URL's query is emitted exactly as canonicalized, with `X-Amz-Signature`
    /// last: a verifier that uses the raw query and one that re-encodes agree.
    pub fn presign(
        &self,
        scheme: &str,
        host: &str,
        port: Option<u16>,
        path: &str,
        params: &[(&str, &str)],
        now: SystemTime,
    ) -> Result<String, Error> {
        if self.identity.is_empty() || self.identity.contains('/') {
            return Err(Error::BadCredential);
        }
        let amz_buf = AmzDate::from_system_time(now).amz_bytes();
        let amz = core::str::from_utf8(&amz_buf).map_err(|_| Error::BadDate { value: String::new() })?;
        let day = amz.get(..8).unwrap_or_default();
        let mut digits = [0u8; 20];
        let expires = sigv4::decimal(self.expires, &mut digits);
        // The caller's pairs with encoded keys, sorted, then merged with the X-Amz
        // pairs (already in order); values are encoded straight into the URL's query,
        // which is also the canonical query.
        let mut own: Vec<(Cow<'_, str>, Value<'_>)> = Vec::with_capacity(params.len());
        own.extend(params.iter().map(|(k, v)| (sigv4::encode(k), Value::Encode(v))));
        own.sort_unstable_by(|a, b| sigv4::cmp_keys(&a.0, &b.0));
        let amz_pairs = [
            ("X-Amz-Algorithm", Value::Literal(ALGORITHM)),
            ("X-Amz-Credential", Value::Credential),
            ("X-Amz-Date", Value::Literal(amz)),
            ("X-Amz-Expires", Value::Literal(expires)),
            ("X-Amz-SignedHeaders", Value::Literal("host")),
        ];
        let path = if path.is_empty() { "/" } else { path };
        let value_len: usize = params.iter().map(|(k, v)| k.len() * 3 + v.len() * 3 + 2).sum();
        let mut url =
            String::with_capacity(host.len() + path.len() + value_len + self.identity.len() * 3 + 300);
        url.push_str(scheme);
        url.push_str("://");
        url.push_str(host);
        if let Some(p) = port.filter(|p| !is_default_port(scheme, *p)) {
            url.push(':');
            url.push_str(sigv4::decimal(u64::from(p), &mut [0u8; 20]));
        }
        url.push_str(path);
        url.push('?');
        let query_start = url.len();
        let mut previous = None;
        for (i, (k, v)) in merge_sorted(&own, &amz_pairs).enumerate() {
            if previous == Some(k) {
                return Err(Error::DuplicateParameter {
                    name: k.chars().take(64).collect(),
                });
            }
            previous = Some(k);
            if i > 0 {
                url.push('&');
            }
            url.push_str(k);
            url.push('=');
            match v {
                Value::Encode(v) => sigv4::encode_into(&mut url, v),
                Value::Literal(v) => url.push_str(v),
                Value::Credential => {
                    sigv4::encode_into(&mut url, self.identity);
                    for part in ["%2F", day, "%2Fworld%2Fecp%2F", TERMINATOR] {
                        url.push_str(part);
                    }
                }
            }
        }
        let query = url.get(query_start..).unwrap_or_default();
        let host_line = host_value(scheme, host, port, self.port_rule);
        let creq_hash = sigv4::hash_parts(&[
            b"GET\n",
            path.as_bytes(),
            b"\n",
            query.as_bytes(),
            b"\nhost:",
            host_line.as_bytes(),
            b"\n\nhost\n",
            UNSIGNED_PAYLOAD.as_bytes(),
        ]);
        let sig = self.key(day).sign_parts(&[
            b"AWS4-HMAC-SHA256\n",
            amz.as_bytes(),
            b"\n",
            day.as_bytes(),
            b"/world/ecp/",
            TERMINATOR.as_bytes(),
            b"\n",
            &creq_hash,
        ]);
        url.push_str("&X-Amz-Signature=");
        url.extend(sigv4::hex_array(&sig).iter().map(|&c| char::from(c)));
        Ok(url)
    }
}

/// Two lists of pairs, each sorted by key, merged in key order.
fn merge_sorted<'p, 'v>(
    mine: &'p [(Cow<'v, str>, Value<'v>)],
    amz: &'p [(&'static str, Value<'v>)],
) -> impl Iterator<Item = (&'p str, &'p Value<'v>)> {
    let mut a = mine.iter().map(|(k, v)| (&**k, v)).peekable();
    let mut b = amz.iter().map(|(k, v)| (*k, v)).peekable();
    core::iter::from_fn(move || match (a.peek(), b.peek()) {
        (Some(x), Some(y)) if sigv4::cmp_keys(x.0, y.0).is_lt() => a.next(),
        (_, Some(_)) => b.next(),
        _ => a.next(),
    })
}

/// A value of a query being signed.
enum Value<'v> {
    /// Text to percent-encode.
    Encode(&'v str),
    /// Text already in its wire form.
    Literal(&'v str),
    /// The signer's credential (`identity/day/world/ecp/aws4_request`, encoded).
    Credential,
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The canonical query assembled from runs of the raw query equals the one
        /// built pair by pair, whatever the order, bare keys and empty segments.
        #[test]
        fn runs_build_the_canonical_query(
            pairs in proptest::collection::vec(("[a-f]{1,3}", proptest::option::of("[a-z%0-9!]{0,4}")), 0..12),
            empties in proptest::collection::vec(proptest::bool::ANY, 12),
        ) {
            let mut raw = String::new();
            let mut seen = std::collections::HashSet::new();
            for (i, (k, v)) in pairs.iter().enumerate() {
                if !seen.insert(k.clone()) {
                    continue;
                }
                if empties.get(i) == Some(&true) {
                    raw.push('&');
                }
                if !raw.is_empty() {
                    raw.push('&');
                }
                raw.push_str(k);
                if let Some(v) = v {
                    raw.push('=');
                    raw.push_str(&v.replace('%', "%25"));
                }
            }
            let Ok(Split { sorted, .. }) = split_params(&raw) else {
                return Err(proptest::test_runner::TestCaseError::fail(format!("split {raw}")));
            };
            let mut creq = StackBuf::new();
            push_canonical_query(&mut creq, &raw, &sorted);
            let expected = sigv4::canonical_query_raw(&raw);
            proptest::prop_assert_eq!(core::str::from_utf8(creq.as_slice()).unwrap(), expected.as_str());
        }
    }
}
