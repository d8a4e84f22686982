//! Extreme external captive portal (ECP) rules on top of the SigV4 engine: verifying
//! signed URLs as received, signing URLs so that both raw and strict verifiers agree,
//! and the secrets and rules both sides share.

use std::collections::HashMap;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, SystemTime};

use percent_encoding::percent_encode;

use crate::error::clip;
use crate::sigv4::{self, SigningKey, ALGORITHM, TERMINATOR, UNSIGNED_PAYLOAD};
use crate::{AmzDate, Error, Url};

/// The region of every ECP signature.
pub const REGION: &str = "world";
/// The service of every ECP signature.
pub const SERVICE: &str = "ecp";

/// A shared secret (the controller's "Shared Secret"). No `Clone` by accident (share
/// one with `Arc<Secret>`); `Debug` is redacted; the octets are wiped on drop.
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

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Self::new(s.into_bytes())
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        sigv4::wipe(&mut self.0);
    }
}

/// Maps an identity (the controller's "Identity", the access key id of the credential)
/// to the secrets that may have signed for it: more than one while a key is rotated.
///
/// Implemented by [`Keyring`] (fixed), [`SharedKeyring`] (replaced while serving) and
/// by any `Fn(&str) -> Vec<Arc<Secret>> + Send + Sync` (a callback, e.g. into a secret
/// store). A [`Verifier`] caches the keys it derives per identity, day and secret
/// octets, so a lookup may return fresh `Arc`s every time.
pub trait SecretLookup: Send + Sync {
    /// The candidate secrets for `identity`, in the order to try them (empty if the
    /// identity is unknown).
    fn secrets(&self, identity: &str) -> Vec<Arc<Secret>>;
}

impl<F> SecretLookup for F
where
    F: Fn(&str) -> Vec<Arc<Secret>> + Send + Sync,
{
    fn secrets(&self, identity: &str) -> Vec<Arc<Secret>> {
        self(identity)
    }
}

/// An in-memory [`SecretLookup`]. Cloning shares the secrets (no copy of the octets).
#[derive(Clone, Debug, Default)]
pub struct Keyring {
    keys: HashMap<String, Vec<Arc<Secret>>>,
}

impl Keyring {
    /// An empty keyring.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a secret for an identity (a second one for key rotation: secrets are tried
    /// in the order they were added).
    pub fn insert(&mut self, identity: impl Into<String>, secret: Secret) -> &mut Self {
        self.keys
            .entry(identity.into())
            .or_default()
            .push(Arc::new(secret));
        self
    }

    /// Removes every secret of an identity.
    pub fn remove(&mut self, identity: &str) {
        self.keys.remove(identity);
    }
}

impl SecretLookup for Keyring {
    fn secrets(&self, identity: &str) -> Vec<Arc<Secret>> {
        self.keys.get(identity).cloned().unwrap_or_default()
    }
}

/// A [`Keyring`] that can be replaced while verifiers use it (key rotation without a
/// restart). Clones are handles to the same keyring: give one to the [`Verifier`],
/// keep one to [`SharedKeyring::replace`] it.
#[derive(Clone, Debug, Default)]
pub struct SharedKeyring {
    current: Arc<RwLock<Arc<Keyring>>>,
}

impl SharedKeyring {
    /// A handle to `keys`.
    #[must_use]
    pub fn new(keys: Keyring) -> Self {
        Self {
            current: Arc::new(RwLock::new(Arc::new(keys))),
        }
    }

    /// Replaces the keyring; verifications that already started finish with the old one.
    pub fn replace(&self, keys: Keyring) {
        *self.current.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(keys);
    }

    /// The keyring in use now.
    #[must_use]
    pub fn snapshot(&self) -> Arc<Keyring> {
        Arc::clone(&self.current.read().unwrap_or_else(PoisonError::into_inner))
    }
}

impl SecretLookup for SharedKeyring {
    fn secrets(&self, identity: &str) -> Vec<Arc<Secret>> {
        self.snapshot().secrets(identity)
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

/// The canonical path of a URL without a path (`https://portal.example?...`).
///
/// SigV4 says `/`. Some verifiers take the path from the configured URL with PHP's
/// `parse_url`, which gives an empty string, and sign or check an empty line instead.
/// Compatibility switch, off by default. Risk: none for security (the path is still
/// signed), but both sides must agree, or every URL fails with
/// [`Error::BadSignature`]; use it only for a portal URL configured without a path whose
/// peer is known to sign the empty string.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum EmptyPath {
    /// An empty path is signed as `/` (SigV4).
    #[default]
    Slash,
    /// An empty path is signed as the empty string.
    Empty,
}

/// Which spelling of the query a signature matched (see
/// [`Verifier::reserialized_query_fallback`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum QueryForm {
    /// The raw query as received (the normal case).
    #[default]
    Raw,
    /// The query had been re-serialized by a web framework; it matched once decoded
    /// (`+` as space) and re-encoded as a controller does (JavaScript's
    /// `encodeURIComponent`: `!*'()` kept).
    ReencodedUriComponent,
    /// It matched once decoded and re-encoded strictly (RFC 3986, as [`Signer`] does).
    ReencodedStrict,
    /// The raw query with `%27` read as `'`: a controller that encodes like
    /// `encodeURIComponent` leaves `'` literal, and a browser following the redirect
    /// escapes it in the query of an http(s) URL (WHATWG URL standard, special-query
    /// percent-encode set). Tried without any switch, only when the query holds `%27`:
    /// the values read are those received (`+` stays a plus), only the apostrophe's
    /// spelling differs from what was signed.
    RawBrowserQuote,
}

impl QueryForm {
    /// Whether values of a query that matched in this form read `+` as a space (the
    /// re-serialized forms only).
    pub(crate) fn plus_is_space(self) -> bool {
        matches!(self, Self::ReencodedUriComponent | Self::ReencodedStrict)
    }
}

/// The value of the signed `host:` line.
#[must_use]
pub fn host_value(scheme: &str, host: &str, port: Option<u16>, rule: PortRule) -> String {
    let mut value = String::with_capacity(host.len() + 6);
    push_host_value(&mut value, scheme, host, port, rule);
    value
}

fn push_host_value(out: &mut String, scheme: &str, host: &str, port: Option<u16>, rule: PortRule) {
    out.extend(host.chars().map(|c| c.to_ascii_lowercase()));
    match (port, rule) {
        (Some(p), PortRule::IncludeNonDefault) if !is_default_port(scheme, p) => {
            out.push(':');
            out.push_str(&p.to_string());
        }
        _ => {}
    }
}

fn is_default_port(scheme: &str, port: u16) -> bool {
    (scheme == "https" && port == 443) || (scheme == "http" && port == 80)
}

/// The ECP canonical request of `GET url` with `canonical_query`: the one recipe that
/// [`Verifier`] and [`Signer`] both use (`url.query` is ignored).
///
/// ```text
/// GET
/// <path, or "/" (or "" with EmptyPath::Empty) when empty>
/// <canonical query>
/// host:<host_value>
///
/// host
/// UNSIGNED-PAYLOAD
/// ```
#[must_use]
pub fn canonical_request(
    url: &Url<'_>,
    canonical_query: &str,
    port_rule: PortRule,
    empty_path: EmptyPath,
) -> String {
    let host = host_line(url, port_rule);
    sigv4::canonical_request_parts(
        "GET",
        canonical_path(url, empty_path),
        canonical_query,
        &host,
        "host",
        UNSIGNED_PAYLOAD,
    )
    .concat()
}

/// The canonical path: the path as written, `/` (or `""`) when empty.
fn canonical_path<'u>(url: &Url<'u>, empty_path: EmptyPath) -> &'u str {
    match (url.path, empty_path) {
        ("", EmptyPath::Slash) => "/",
        (p, _) => p,
    }
}

/// The canonical headers: the one `host` line.
fn host_line(url: &Url<'_>, port_rule: PortRule) -> String {
    let mut host = String::with_capacity(url.host.len() + 13);
    host.push_str("host:");
    push_host_value(&mut host, url.scheme, url.host, url.port, port_rule);
    host.push('\n');
    host
}

/// The ECP string to sign of `GET url` with `canonical_query`, signed at `amz_date`:
/// the recipe of [`canonical_request`], hashed piece by piece.
fn string_to_sign(
    url: &Url<'_>,
    canonical_query: &str,
    port_rule: PortRule,
    empty_path: EmptyPath,
    amz_date: &str,
) -> String {
    let host = host_line(url, port_rule);
    let parts = sigv4::canonical_request_parts(
        "GET",
        canonical_path(url, empty_path),
        canonical_query,
        &host,
        "host",
        UNSIGNED_PAYLOAD,
    );
    let day = amz_date.get(..8).unwrap_or_default();
    sigv4::string_to_sign_of_parts(amz_date, &sigv4::scope(day, REGION, SERVICE), &parts)
}

/// Verifies signed ECP URLs (either direction). Owns its configuration and a handle
/// to the secrets: keep one for the life of the service and share it between threads
/// (`Send + Sync`; a `static` works).
///
/// Time window: `X-Amz-Date - max_future_skew <= now <= X-Amz-Date + X-Amz-Expires + grace`.
///
/// Signing keys are derived per identity, day and secret (four HMAC-SHA256) and kept in
/// a small cache (which keeps the secrets of its entries alive until they are evicted),
/// so only the first URL of a day pays for the derivation.
pub struct Verifier {
    keys: Arc<dyn SecretLookup>,
    max_future_skew: Duration,
    expiry_grace: Duration,
    max_expires: u64,
    max_url_len: usize,
    port_rule: PortRule,
    empty_path: EmptyPath,
    reserialized_fallback: bool,
    cache: Mutex<Vec<CachedKey>>,
}

impl core::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Verifier")
            .field("max_future_skew", &self.max_future_skew)
            .field("expiry_grace", &self.expiry_grace)
            .field("max_expires", &self.max_expires)
            .field("max_url_len", &self.max_url_len)
            .field("port_rule", &self.port_rule)
            .field("empty_path", &self.empty_path)
            .field("reserialized_fallback", &self.reserialized_fallback)
            .finish_non_exhaustive()
    }
}

impl Clone for Verifier {
    /// The same secrets and configuration, with an empty key cache.
    fn clone(&self) -> Self {
        Self {
            keys: Arc::clone(&self.keys),
            max_future_skew: self.max_future_skew,
            expiry_grace: self.expiry_grace,
            max_expires: self.max_expires,
            max_url_len: self.max_url_len,
            port_rule: self.port_rule,
            empty_path: self.empty_path,
            reserialized_fallback: self.reserialized_fallback,
            cache: Mutex::new(Vec::new()),
        }
    }
}

/// A derived signing key for one identity, day and secret.
struct CachedKey {
    identity: String,
    day: String,
    secret: Arc<Secret>,
    key: SigningKey,
}

/// How many derived keys a verifier keeps.
const KEY_CACHE: usize = 16;

/// A verified (or merely parsed, for unsigned URLs) query: the parameters as received,
/// in the order received, plus what the signature said.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedQuery<'u> {
    /// Every pair but `X-Amz-Signature`, raw, in the order received.
    params: Vec<(&'u str, &'u str)>,
    form: QueryForm,
    signature: Option<SignatureInfo>,
}

/// Facts from a verified signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignatureInfo {
    /// The identity that signed (shared: copies of these facts do not allocate).
    pub identity: Arc<str>,
    /// `X-Amz-Date`.
    pub date: AmzDate,
    /// `X-Amz-Expires`, seconds.
    pub expires: u64,
    /// Which of the identity's secrets matched (0 = first; >0 during rotation).
    pub secret_index: usize,
    /// Which spelling of the query matched ([`QueryForm::Raw`] unless a browser
    /// escaped `'` or the re-serialized-query fallback was needed).
    pub query_form: QueryForm,
}

impl<'u> SignedQuery<'u> {
    /// The raw (still percent-encoded) value of a parameter, found by its decoded
    /// name.
    #[must_use]
    pub fn raw(&self, name: &str) -> Option<&'u str> {
        self.params
            .iter()
            .find(|(k, _)| self.name(k).is_ok_and(|k| k == name))
            .map(|(_, v)| *v)
    }

    /// A parameter name, decoded by the rule of this query.
    pub(crate) fn name<'v>(&self, raw: &'v str) -> Result<std::borrow::Cow<'v, str>, Error> {
        self.decode("parameter name", raw)
    }

    /// The decoded value of a parameter (`+` is a space only when the query matched
    /// in a re-serialized form).
    pub fn get(&self, name: &str) -> Result<Option<String>, Error> {
        self.raw(name)
            .map(|v| self.decode(name, v).map(String::from))
            .transpose()
    }

    /// Percent-decodes a raw value of parameter `name` by the rule of this query.
    pub(crate) fn decode<'v>(&self, name: &str, raw: &'v str) -> Result<std::borrow::Cow<'v, str>, Error> {
        sigv4::decode_text(name, raw, self.form.plus_is_space())
    }

    /// Every non-`X-Amz` parameter, raw, in the order received.
    pub fn params(&self) -> impl Iterator<Item = (&'u str, &'u str)> + '_ {
        self.params
            .iter()
            .copied()
            .filter(|(k, _)| !k.starts_with("X-Amz-"))
    }

    /// The spelling of the query the signature matched ([`QueryForm::Raw`] when unsigned).
    #[must_use]
    pub fn form(&self) -> QueryForm {
        self.form
    }

    /// The signature facts, when the URL was signed and verified.
    #[must_use]
    pub fn signature(&self) -> Option<&SignatureInfo> {
        self.signature.as_ref()
    }
}

/// The `X-Amz-*` parameters the verifier reads.
#[derive(Default)]
struct AmzParams<'u> {
    algorithm: Option<&'u str>,
    credential: Option<&'u str>,
    date: Option<&'u str>,
    expires: Option<&'u str>,
    signed_headers: Option<&'u str>,
    signature: Option<&'u str>,
    /// Whether any `X-Amz-*` name was present.
    any: bool,
}

/// A query split once.
struct Split<'u> {
    amz: AmzParams<'u>,
    /// Every pair but the signature, in the order received.
    params: Vec<(&'u str, &'u str)>,
    /// The same pairs in the order of the raw canonical query.
    sorted: Vec<(&'u str, &'u str)>,
}

/// Splits a raw query, rejecting duplicate keys, percent-encoded X-Amz names and
/// malformed escapes.
fn split_params(raw: &str) -> Result<Split<'_>, Error> {
    // Escapes are checked once over the whole query; on error, name the pair at fault.
    if sigv4::check_escapes(raw).is_err() {
        for (k, v) in sigv4::split_query(raw) {
            sigv4::check_escapes(k)?;
            sigv4::check_escapes(v)?;
        }
        return Err(Error::BadPercentEncoding { value: clip(raw) });
    }
    let mut amz = AmzParams::default();
    let mut params = Vec::with_capacity(24);
    for (k, v) in sigv4::split_query(raw) {
        if sigv4::has_pct(k)
            && sigv4::decode(k)?
                .get(..6)
                .is_some_and(|p| p.eq_ignore_ascii_case(b"x-amz-"))
        {
            return Err(Error::EncodedAmzName { name: clip(k) });
        }
        if !k.get(..6).is_some_and(|p| p.eq_ignore_ascii_case("x-amz-")) {
            params.push((k, v));
            continue;
        }
        amz.any = true;
        let slot = match k {
            "X-Amz-Algorithm" => &mut amz.algorithm,
            "X-Amz-Credential" => &mut amz.credential,
            "X-Amz-Date" => &mut amz.date,
            "X-Amz-Expires" => &mut amz.expires,
            "X-Amz-SignedHeaders" => &mut amz.signed_headers,
            "X-Amz-Signature" => &mut amz.signature,
            _ => {
                params.push((k, v));
                continue;
            }
        };
        if slot.replace(v).is_some() {
            return Err(Error::DuplicateParameter { name: clip(k) });
        }
        if k != "X-Amz-Signature" {
            params.push((k, v));
        }
    }
    let sorted = sigv4::sorted_by_raw_key(params.iter().copied());
    if let Some([a, _]) = sorted.windows(2).find(|w| matches!(w, [a, b] if a.0 == b.0)) {
        return Err(Error::DuplicateParameter { name: clip(a.0) });
    }
    // Names are looked up decoded: `a%41` and `aA` are the same parameter.
    if params.iter().any(|(k, _)| sigv4::has_pct(k)) {
        let mut names = Vec::with_capacity(params.len());
        for (k, _) in &params {
            names.push(sigv4::decode(k)?);
        }
        names.sort();
        if let Some([a, _]) = names.windows(2).find(|w| matches!(w, [a, b] if a == b)) {
            return Err(Error::DuplicateParameter {
                name: clip(&String::from_utf8_lossy(a)),
            });
        }
    }
    Ok(Split { amz, params, sorted })
}

/// The canonical query in spelling `form` of `sorted`, the pairs in raw canonical
/// order (see [`sigv4::canonical_query_raw`]): as received; or each key and value
/// decoded as a form field (`+` is a space) and encoded again, the controller's way or
/// strictly ([`sigv4::canonical_query_strict`]).
fn canonical_query(sorted: &[(&str, &str)], form: QueryForm) -> Result<String, Error> {
    let spaced = || {
        sorted
            .iter()
            .map(|(k, v)| (k.replace('+', "%20"), v.replace('+', "%20")))
            .collect::<Vec<_>>()
    };
    match form {
        QueryForm::Raw => Ok(sigv4::join_pairs(sorted.iter().copied())),
        QueryForm::RawBrowserQuote => {
            let mut quoted: Vec<(String, String)> = sorted
                .iter()
                .map(|(k, v)| (k.replace("%27", "'"), v.replace("%27", "'")))
                .collect();
            // in the order the controller sorted its own spelling in (`'` sorts after
            // `%`, `%27` before `%2F`): by raw key again, stable as the first sort
            quoted.sort_by(|a, b| a.0.cmp(&b.0));
            Ok(sigv4::join_pairs(
                quoted.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            ))
        }
        QueryForm::ReencodedStrict => {
            let spaced = spaced();
            sigv4::canonical_query_strict(spaced.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        }
        QueryForm::ReencodedUriComponent => {
            let enc = |s: &str| -> Result<String, Error> {
                Ok(percent_encode(&sigv4::decode(s)?, sigv4::URI_COMPONENT).to_string())
            };
            let mut out = Vec::with_capacity(sorted.len());
            for (k, v) in spaced() {
                out.push((enc(&k)?, enc(&v)?));
            }
            out.sort();
            Ok(sigv4::join_pairs(
                out.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            ))
        }
    }
}

impl Verifier {
    /// A verifier over `keys` with the defaults: 10 s future skew, no grace after
    /// expiry, `X-Amz-Expires` at most 900 s, URLs at most 4096 octets, non-default
    /// ports in the `host:` line, `/` for an empty path, raw query only.
    pub fn new(keys: impl SecretLookup + 'static) -> Self {
        Self::with_lookup(Arc::new(keys))
    }

    /// [`Verifier::new`] over a lookup that is already shared.
    #[must_use]
    pub fn with_lookup(keys: Arc<dyn SecretLookup>) -> Self {
        Self {
            keys,
            max_future_skew: Duration::from_secs(10),
            expiry_grace: Duration::ZERO,
            max_expires: 900,
            max_url_len: 4096,
            port_rule: PortRule::IncludeNonDefault,
            empty_path: EmptyPath::Slash,
            reserialized_fallback: false,
            cache: Mutex::new(Vec::new()),
        }
    }

    /// Runs `f` with the signing key for one secret of an identity on a day, from the
    /// cache or derived (and cached). The key is used in place: a copy would cost its
    /// wipe on drop.
    fn with_key<T>(
        &self,
        identity: &str,
        day: &str,
        secret: &Arc<Secret>,
        f: impl FnOnce(&SigningKey) -> T,
    ) -> T {
        let hit = |c: &CachedKey| {
            c.day == day
                && c.identity == identity
                && (Arc::ptr_eq(&c.secret, secret) || c.secret.expose() == secret.expose())
        };
        let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(c) = cache.iter().find(|c| hit(c)) {
            return f(&c.key);
        }
        if cache.len() >= KEY_CACHE {
            cache.remove(0);
        }
        let key = SigningKey::derive(secret.expose(), day, REGION, SERVICE);
        let out = f(&key);
        cache.push(CachedKey {
            identity: identity.to_string(),
            day: day.to_string(),
            secret: Arc::clone(secret),
            key,
        });
        out
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

    /// The canonical path of a URL without a path (compatibility switch, see
    /// [`EmptyPath`]).
    #[must_use]
    pub fn empty_path(mut self, rule: EmptyPath) -> Self {
        self.empty_path = rule;
        self
    }

    /// Compatibility switch, off by default: when the raw query does not match, also
    /// try the query as a web framework re-serializes it (decoded, then re-encoded with
    /// `+` for a space and `%21` for `!`): decode every key and value (`+` as a space)
    /// and encode them again the controller's way ([`QueryForm::ReencodedUriComponent`])
    /// and the strict way ([`QueryForm::ReencodedStrict`]). [`SignatureInfo::query_form`]
    /// says which matched; values are then read with `+` as a space. Repeated keys
    /// are still an error.
    ///
    /// Risk: the signature then covers the decoded values, not the bytes received, so a
    /// URL is accepted in spellings that differ from the one signed (same values); a
    /// bad URL costs up to three hashes per secret instead of one. Prefer handing the
    /// verifier the raw query bytes.
    #[must_use]
    pub fn reserialized_query_fallback(mut self, on: bool) -> Self {
        self.reserialized_fallback = on;
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
        let Split { amz, params, sorted } = split_params(url.query)?;
        if !amz.any {
            return Err(Error::NotSigned);
        }
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

        if algorithm != ALGORITHM {
            return Err(Error::WrongAlgorithm(clip(algorithm)));
        }
        if signed_headers != "host" {
            return Err(Error::WrongSignedHeaders(clip(signed_headers)));
        }
        let credential = sigv4::decode_text("X-Amz-Credential", credential, false)?;
        let mut parts = credential.split('/');
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

        // The raw query; with `%27` in it, also as sent before a browser escaped `'`
        // (one more hash only for such queries); then the re-serialized forms when
        // switched on.
        let mut forms = vec![QueryForm::Raw];
        if url.query.contains("%27") {
            forms.push(QueryForm::RawBrowserQuote);
        }
        if self.reserialized_fallback {
            forms.extend([QueryForm::ReencodedUriComponent, QueryForm::ReencodedStrict]);
        }
        let mut matched = None;
        let mut tried: Vec<String> = Vec::new();
        'forms: for &form in &forms {
            let query = canonical_query(&sorted, form)?;
            if tried.contains(&query) {
                continue;
            }
            let sts = string_to_sign(url, &query, self.port_rule, self.empty_path, date_raw);
            for (i, secret) in secrets.iter().enumerate() {
                if self.with_key(identity, cred_date, secret, |key| key.verify(&sts, &signature)) {
                    matched = Some((i, form));
                    break 'forms;
                }
            }
            if forms.len() > 1 {
                tried.push(query);
            }
        }
        let Some((secret_index, query_form)) = matched else {
            return Err(Error::BadSignature);
        };

        // Saturating: `now` and the date may be anywhere in the i64 range (H9).
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
                secs_early: earliest.saturating_sub(now),
            });
        }
        if now > latest {
            return Err(Error::Expired {
                secs_late: now.saturating_sub(latest),
            });
        }
        Ok(SignedQuery {
            params,
            form: query_form,
            signature: Some(SignatureInfo {
                identity: Arc::from(identity),
                date,
                expires,
                secret_index,
                query_form,
            }),
        })
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
    let Split { params, .. } = split_params(u.query)?;
    Ok(SignedQuery {
        params,
        form: QueryForm::Raw,
        signature: None,
    })
}

/// Checks that `host` is a hostname (letters, digits and `-` in dot-separated labels
/// of 1..=63 characters, 253 at most), an IPv4 address or a bracketed IPv6 address.
pub(crate) fn check_host(host: &str) -> Result<(), Error> {
    let ok = if let Some(v6) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        v6.parse::<Ipv6Addr>().is_ok()
    } else {
        host.parse::<Ipv4Addr>().is_ok()
            || (host.len() <= 253
                && host.split('.').all(|label| {
                    (1..=63).contains(&label.len())
                        && !label.starts_with('-')
                        && !label.ends_with('-')
                        && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                }))
    };
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidHost { host: clip(host) })
    }
}

/// Signs ECP URLs for one identity: the credential, the validity and the rules.
///
/// Owns its identity and secret: keep one per identity for as long as the secret is in
/// use and share it between threads (`Send + Sync`; a `static` works). The signing key
/// of the current day is derived once (four HMAC-SHA256) and kept, so each further URL
/// of that day costs one SHA-256 and one HMAC-SHA256. Cloning shares the secret.
pub struct Signer {
    identity: String,
    secret: Arc<Secret>,
    expires: u64,
    port_rule: PortRule,
    empty_path: EmptyPath,
    /// The derived key of the last day signed for (`YYYYMMDD`).
    key: Mutex<Option<(String, SigningKey)>>,
}

impl core::fmt::Debug for Signer {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Signer")
            .field("identity", &self.identity)
            .field("secret", &self.secret)
            .field("expires", &self.expires)
            .field("port_rule", &self.port_rule)
            .field("empty_path", &self.empty_path)
            .finish_non_exhaustive()
    }
}

impl Clone for Signer {
    /// The same identity, secret (shared) and rules; the day's key is derived again.
    fn clone(&self) -> Self {
        Self {
            identity: self.identity.clone(),
            secret: Arc::clone(&self.secret),
            expires: self.expires,
            port_rule: self.port_rule,
            empty_path: self.empty_path,
            key: Mutex::new(None),
        }
    }
}

impl Signer {
    /// A signer with the defaults: `X-Amz-Expires=60` (the vendor's example), a
    /// non-default port in the `host:` line, `/` for an empty path.
    #[must_use]
    pub fn new(identity: impl Into<String>, secret: Secret) -> Self {
        Self::with_shared_secret(identity, Arc::new(secret))
    }

    /// [`Signer::new`] with a secret that is shared (e.g. with a [`Keyring`]).
    #[must_use]
    pub fn with_shared_secret(identity: impl Into<String>, secret: Arc<Secret>) -> Self {
        Self {
            identity: identity.into(),
            secret,
            expires: 60,
            port_rule: PortRule::IncludeNonDefault,
            empty_path: EmptyPath::Slash,
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

    /// The canonical path of a URL without a path (must match the verifier's; see
    /// [`EmptyPath`]).
    #[must_use]
    pub fn empty_path(mut self, rule: EmptyPath) -> Self {
        self.empty_path = rule;
        self
    }

    /// The identity (access key id) this signer signs as.
    #[must_use]
    pub fn identity(&self) -> &str {
        &self.identity
    }

    /// Signs a string to sign with the day's key, kept or derived (and kept).
    fn sign(&self, day: &str, sts: &str) -> [u8; 32] {
        let mut kept = self.key.lock().unwrap_or_else(PoisonError::into_inner);
        match kept.as_ref() {
            Some((d, key)) if d == day => key.sign(sts),
            _ => {
                let key = SigningKey::derive(self.secret.expose(), day, REGION, SERVICE);
                let sig = key.sign(sts);
                *kept = Some((day.to_string(), key));
                sig
            }
        }
    }

    /// Presigns `GET scheme://host[:port]path?params` at time `now`.
    ///
    /// `host` must be a hostname, an IPv4 address or a bracketed IPv6 address; `port`
    /// 1..=65535 when given (port 0 is [`Error::InvalidUrl`]); `path` empty or starting
    /// with `/`, in its wire form. Keys and values are
    /// percent-encoded strictly (RFC 3986), sorted by encoded key, and the URL's query
    /// is emitted exactly as canonicalized, with `X-Amz-Signature` last: a verifier
    /// that uses the raw query and one that re-encodes agree. Parameter names starting
    /// with `X-Amz-` (any case) are refused: the signature owns them.
    pub fn presign(
        &self,
        scheme: &str,
        host: &str,
        port: Option<u16>,
        path: &str,
        params: &[(&str, &str)],
        now: SystemTime,
    ) -> Result<String, Error> {
        if scheme != "https" && scheme != "http" {
            return Err(Error::InvalidUrl {
                reason: "scheme is not http or https",
            });
        }
        check_host(host)?;
        if port == Some(0) {
            return Err(Error::InvalidUrl {
                reason: crate::url::PORT_ZERO,
            });
        }
        if !(path.is_empty() || path.starts_with('/'))
            || path
                .bytes()
                .any(|c| c <= b' ' || c == 0x7f || c == b'?' || c == b'#')
        {
            return Err(Error::InvalidUrl {
                reason: "path must be empty or start with /, without ?, # or spaces",
            });
        }
        if self.identity.is_empty() || self.identity.contains('/') {
            return Err(Error::BadCredential);
        }
        if let Some((k, _)) = params
            .iter()
            .find(|(k, _)| k.get(..6).is_some_and(|p| p.eq_ignore_ascii_case("x-amz-")))
        {
            return Err(Error::ReservedParameter { name: clip(k) });
        }
        let amz = AmzDate::from_system_time(now).to_amz();
        let day = amz.get(..8).unwrap_or_default();
        let mut credential = self.identity.clone();
        credential.push('/');
        credential.push_str(&sigv4::scope(day, REGION, SERVICE));
        let expires = self.expires.to_string();
        let mut pairs: Vec<(String, String)> = params
            .iter()
            .map(|(k, v)| (sigv4::encode(k).into_owned(), sigv4::encode(v).into_owned()))
            .collect();
        for (k, v) in [
            ("X-Amz-Algorithm", ALGORITHM),
            ("X-Amz-Credential", &credential),
            ("X-Amz-Date", &amz),
            ("X-Amz-Expires", &expires),
            ("X-Amz-SignedHeaders", "host"),
        ] {
            pairs.push((k.to_string(), sigv4::encode(v).into_owned()));
        }
        pairs.sort_by(|a, b| a.0.cmp(&b.0));
        if let Some([a, _]) = pairs.windows(2).find(|w| matches!(w, [a, b] if a.0 == b.0)) {
            return Err(Error::DuplicateParameter { name: clip(&a.0) });
        }
        let query = sigv4::join_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let path = match (path, self.empty_path) {
            ("", EmptyPath::Slash) => "/",
            (p, _) => p,
        };
        let target = Url {
            scheme,
            host,
            port,
            path,
            query: "",
        };
        let sts = string_to_sign(&target, &query, self.port_rule, self.empty_path, &amz);
        let sig = self.sign(day, &sts);
        let mut url = String::with_capacity(scheme.len() + host.len() + path.len() + query.len() + 100);
        for part in [scheme, "://", host] {
            url.push_str(part);
        }
        if let Some(p) = port.filter(|p| !is_default_port(scheme, *p)) {
            url.push(':');
            url.push_str(&p.to_string());
        }
        for part in [path, "?", &query, "&X-Amz-Signature=", &sigv4::hex(&sig)] {
            url.push_str(part);
        }
        Ok(url)
    }
}

/// `Verifier` and `Signer` can live in a `static` and be shared between threads.
const _: () = {
    const fn send_sync<T: Send + Sync + 'static>() {}
    send_sync::<Verifier>();
    send_sync::<Signer>();
    send_sync::<SharedKeyring>();
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_to_sign_for() {
        for ok in [
            "portal.example",
            "10.10.21.6",
            "[2001:db8::6]",
            "a-b.c1",
            "localhost",
        ] {
            check_host(ok).unwrap();
        }
        for bad in [
            "",
            "evil.com/x?",
            "evil.com#",
            "a..b",
            "-a.b",
            "a b",
            "2001:db8::6",
            "[10.0.0.1]",
            "user@host",
            "host:443",
            &"a".repeat(64),
        ] {
            assert_eq!(
                check_host(bad).unwrap_err(),
                Error::InvalidHost { host: clip(bad) },
                "{bad}"
            );
        }
    }

    /// H10: a secret's octets are wiped by what `Drop` runs.
    #[test]
    fn secrets_are_wiped() {
        let mut s = Secret::from("s3cret");
        sigv4::wipe(&mut s.0);
        assert_eq!(s.expose(), [0; 6]);
    }
}
