//! Shared secrets, hidden values and the CHAP check.
//!
//! Hidden-value schemes (both directions, any legal length):
//! - User-Password (RFC 2865 §5.2): `encrypt=1`, 16..=128 octets.
//! - Salt encryption (RFC 2868 §3.5 Tunnel-Password, RFC 2548 §2.4.2 MS-MPPE-Send-Key
//!   and MS-MPPE-Recv-Key): `encrypt=2`, a 2-octet salt with its top bit set, then a
//!   length octet and the value, padded to 16 and chained over every block.
//! - Ascend-Send-Secret (`encrypt=3`): `MD5(Authenticator | Secret)` XOR the value,
//!   always 16 octets.

use md5::{Digest, Md5};

use crate::{Error, Result};

/// A RADIUS shared secret.
///
/// No `Clone` (use [`SharedSecret::clone_secret`] when a copy is really meant), a
/// `Debug` that prints `SharedSecret(..)`, and never stored inside a packet.
///
/// It also keeps the HMAC-MD5 state keyed with the secret (its inner and outer pads
/// already hashed), so a Message-Authenticator costs only the packet's blocks. Both
/// live on the heap (moving a `SharedSecret` copies no key material) and are
/// overwritten when the secret is dropped; the per-packet copies of the keyed state
/// are overwritten when each Message-Authenticator is done. Best effort: a transient
/// copy on the stack while a digest is finalized is not wiped.
pub struct SharedSecret {
    bytes: Box<[u8]>,
    hmac: Box<HmacMd5>,
}

pub(crate) type HmacMd5 = hmac::Hmac<Md5>;

fn keyed(secret: &[u8]) -> HmacMd5 {
    // HMAC accepts keys of every length: `new_from_slice` cannot fail.
    <HmacMd5 as hmac::Mac>::new_from_slice(secret)
        .unwrap_or_else(|_| <HmacMd5 as hmac::digest::KeyInit>::new(&Default::default()))
}

impl SharedSecret {
    /// Wraps secret octets.
    pub fn new(secret: impl Into<Vec<u8>>) -> Self {
        let bytes = secret.into().into_boxed_slice();
        let hmac = Box::new(keyed(&bytes));
        Self { bytes, hmac }
    }

    /// The secret octets. Handle with care.
    #[must_use]
    pub fn expose(&self) -> &[u8] {
        &self.bytes
    }

    /// A scratch copy of the HMAC-MD5 state keyed with the secret, wiped on drop.
    pub(crate) fn hmac(&self) -> KeyedMac {
        KeyedMac(Box::new((*self.hmac).clone()))
    }

    /// Overwrites the secret octets with zeros and the keyed state with the state of
    /// an empty key, in place.
    fn wipe(&mut self) {
        self.bytes.iter_mut().for_each(|b| *b = 0);
        wipe_mac(&mut self.hmac);
        core::hint::black_box(&self.bytes);
    }

    /// An explicit copy.
    #[must_use]
    pub fn clone_secret(&self) -> Self {
        Self {
            bytes: self.bytes.clone(),
            hmac: self.hmac.clone(),
        }
    }
}

impl core::fmt::Debug for SharedSecret {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("SharedSecret(..)")
    }
}

impl From<&str> for SharedSecret {
    fn from(s: &str) -> Self {
        Self::new(s.as_bytes())
    }
}

impl From<&[u8]> for SharedSecret {
    fn from(s: &[u8]) -> Self {
        Self::new(s)
    }
}

impl Drop for SharedSecret {
    fn drop(&mut self) {
        // Best effort: overwrite before the memory is released.
        self.wipe();
    }
}

/// The state of an HMAC with the empty key, made once: what a keyed state is
/// overwritten with (keying anew would cost two MD5 blocks per wipe).
fn empty_mac() -> &'static HmacMd5 {
    static EMPTY: std::sync::OnceLock<HmacMd5> = std::sync::OnceLock::new();
    EMPTY.get_or_init(|| keyed(&[]))
}

/// Overwrites a keyed HMAC state, in place, with the state of an empty key.
fn wipe_mac(mac: &mut HmacMd5) {
    mac.clone_from(empty_mac());
    core::hint::black_box(mac);
}

/// A per-packet copy of the keyed HMAC-MD5 state, on the heap and overwritten when
/// dropped (also after [`KeyedMac::finish`]).
pub(crate) struct KeyedMac(Box<HmacMd5>);

impl KeyedMac {
    /// Feeds `data` to the HMAC.
    pub(crate) fn update(&mut self, data: &[u8]) {
        hmac::Mac::update(&mut *self.0, data);
    }

    /// The HMAC value; the keyed state is overwritten.
    pub(crate) fn finish(mut self) -> [u8; 16] {
        let mac = core::mem::replace(&mut *self.0, empty_mac().clone());
        hmac::Mac::finalize(mac).into_bytes().into()
    }
}

impl Drop for KeyedMac {
    fn drop(&mut self) {
        wipe_mac(&mut self.0);
    }
}

/// Compares two byte strings in time that depends only on their lengths.
#[must_use]
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    core::hint::black_box(diff) == 0
}

fn md5_parts(parts: &[&[u8]]) -> [u8; 16] {
    let mut h = Md5::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().into()
}

fn xor_into(block: &mut [u8], key: &[u8; 16]) {
    block.iter_mut().zip(key).for_each(|(b, k)| *b ^= k);
}

/// Maximum User-Password length (RFC 2865 §5.2).
pub const MAX_USER_PASSWORD: usize = 128;

/// Hides a User-Password (RFC 2865 §5.2) with the Request Authenticator.
///
/// The password is padded with zeros to a multiple of 16 (an empty one to 16).
pub fn hide_user_password(
    password: &[u8],
    secret: &SharedSecret,
    authenticator: &[u8; 16],
) -> Result<Vec<u8>> {
    if password.len() > MAX_USER_PASSWORD {
        return Err(Error::HiddenLength { len: password.len() });
    }
    let padded = password.len().div_ceil(16).max(1) * 16;
    let mut out = password.to_vec();
    out.resize(padded, 0);
    let mut prev: [u8; 16] = *authenticator;
    for block in out.chunks_mut(16) {
        let key = md5_parts(&[secret.expose(), &prev]);
        xor_into(block, &key);
        prev.copy_from_slice(block);
    }
    Ok(out)
}

/// Reveals a User-Password. Trailing zero padding is removed.
pub fn unhide_user_password(
    hidden: &[u8],
    secret: &SharedSecret,
    authenticator: &[u8; 16],
) -> Result<Vec<u8>> {
    reveal_user_password(hidden, secret, authenticator).map(|(password, _)| password)
}

/// What the NUL padding of a revealed User-Password says about the secret (and
/// authenticator) it was revealed with. RFC 2865 §5.2: "The password is first padded
/// at the end with nulls to a multiple of 16 octets"; revealed with a wrong secret,
/// the octets are random, and after a NUL more NULs are unlikely.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PasswordPadding {
    /// NULs from the first NUL to the end, as RFC 2865 pads: what the right secret
    /// gives (and a wrong one only by chance: at most 1 in 256).
    Nuls,
    /// No NUL at all: the password fills its 16-octet blocks exactly, so the padding
    /// tells nothing about the secret.
    Absent,
    /// An octet other than NUL after a NUL: not padding as RFC 2865 writes it, so
    /// the secret (or the authenticator it was hidden with) is wrong.
    NotNuls,
}

/// Reveals a User-Password (RFC 2865 §5.2) and says what its padding tells about the
/// secret: the password without its trailing NULs (as [`unhide_user_password`]
/// gives it), and [`PasswordPadding`]. A password with a NUL inside it cannot be told
/// from a wrong secret and is [`PasswordPadding::NotNuls`].
pub fn reveal_user_password(
    hidden: &[u8],
    secret: &SharedSecret,
    authenticator: &[u8; 16],
) -> Result<(Vec<u8>, PasswordPadding)> {
    if hidden.is_empty() || hidden.len() % 16 != 0 || hidden.len() > MAX_USER_PASSWORD {
        return Err(Error::HiddenLength { len: hidden.len() });
    }
    let mut out = hidden.to_vec();
    let mut prev: [u8; 16] = *authenticator;
    for (block, cipher) in out.chunks_mut(16).zip(hidden.chunks(16)) {
        let key = md5_parts(&[secret.expose(), &prev]);
        xor_into(block, &key);
        prev.copy_from_slice(cipher);
    }
    let padding = match out.iter().position(|b| *b == 0) {
        None => PasswordPadding::Absent,
        Some(first) if out.get(first..).unwrap_or_default().iter().all(|b| *b == 0) => PasswordPadding::Nuls,
        Some(_) => PasswordPadding::NotNuls,
    };
    while out.last() == Some(&0) {
        out.pop();
    }
    Ok((out, padding))
}

/// The largest value salt encryption can carry in one attribute with a tag octet
/// (Tunnel-Password): 253 - tag - salt = 250 octets of ciphertext = 15 blocks, minus
/// the length octet.
pub const MAX_SALTED_TAGGED: usize = 239;

/// Salt-encrypts a value (RFC 2868 §3.5, RFC 2548 §2.4.2). Returns `salt(2) | cipher`.
///
/// `salt` must have its most significant bit set; pick it at random and never reuse
/// it with the same authenticator. `authenticator` is the Request Authenticator of the
/// request this attribute is sent in or replies to.
pub fn hide_salted(
    value: &[u8],
    secret: &SharedSecret,
    authenticator: &[u8; 16],
    salt: u16,
) -> Result<Vec<u8>> {
    if salt & 0x8000 == 0 {
        return Err(Error::InvalidSalt { salt });
    }
    if value.len() > 250 {
        return Err(Error::HiddenLength { len: value.len() });
    }
    let salt = salt.to_be_bytes();
    let plain_len = 1 + value.len();
    let mut out = Vec::with_capacity(2 + plain_len.div_ceil(16) * 16);
    out.extend_from_slice(&salt);
    out.push(value.len() as u8);
    out.extend_from_slice(value);
    out.resize(2 + plain_len.div_ceil(16) * 16, 0);
    let mut key = md5_parts(&[secret.expose(), authenticator, &salt]);
    for block in out.get_mut(2..).unwrap_or_default().chunks_mut(16) {
        xor_into(block, &key);
        key = md5_parts(&[secret.expose(), block]);
    }
    Ok(out)
}

/// Reveals a salt-encrypted value (`salt(2) | cipher`), every block of it.
pub fn unhide_salted(hidden: &[u8], secret: &SharedSecret, authenticator: &[u8; 16]) -> Result<Vec<u8>> {
    let [s0, s1, cipher @ ..] = hidden else {
        return Err(Error::HiddenLength { len: hidden.len() });
    };
    if cipher.is_empty() || cipher.len() % 16 != 0 {
        return Err(Error::HiddenLength { len: hidden.len() });
    }
    let mut plain = cipher.to_vec();
    let mut key = md5_parts(&[secret.expose(), authenticator, &[*s0, *s1]]);
    for (block, c) in plain.chunks_mut(16).zip(cipher.chunks(16)) {
        xor_into(block, &key);
        key = md5_parts(&[secret.expose(), c]);
    }
    let [len, rest @ ..] = plain.as_slice() else {
        return Err(Error::HiddenLength { len: hidden.len() });
    };
    let len = usize::from(*len);
    rest.get(..len)
        .map(<[u8]>::to_vec)
        .ok_or(Error::HiddenInnerLength {
            claimed: len,
            available: rest.len(),
        })
}

/// Hides an Ascend-Send-Secret style value (`encrypt=3`): at most 16 octets, sent as 16.
pub fn hide_ascend_secret(value: &[u8], secret: &SharedSecret, authenticator: &[u8; 16]) -> Result<[u8; 16]> {
    if value.len() > 16 {
        return Err(Error::HiddenLength { len: value.len() });
    }
    let mut out = [0u8; 16];
    out.iter_mut().zip(value).for_each(|(o, v)| *o = *v);
    xor_into(&mut out, &md5_parts(&[authenticator, secret.expose()]));
    Ok(out)
}

/// Reveals an Ascend-Send-Secret style value; trailing zeros are removed.
pub fn unhide_ascend_secret(
    hidden: &[u8],
    secret: &SharedSecret,
    authenticator: &[u8; 16],
) -> Result<Vec<u8>> {
    let Ok(mut out) = <[u8; 16]>::try_from(hidden) else {
        return Err(Error::HiddenLength { len: hidden.len() });
    };
    xor_into(&mut out, &md5_parts(&[authenticator, secret.expose()]));
    let mut v = out.to_vec();
    while v.last() == Some(&0) {
        v.pop();
    }
    Ok(v)
}

/// Computes a CHAP response: `MD5(ident | password | challenge)` (RFC 1994 §4.1).
#[must_use]
pub fn chap_response(ident: u8, password: &[u8], challenge: &[u8]) -> [u8; 16] {
    md5_parts(&[&[ident], password, challenge])
}

/// Builds a CHAP-Password value: `ident | MD5(ident | password | challenge)`.
#[must_use]
pub fn chap_password(ident: u8, password: &[u8], challenge: &[u8]) -> [u8; 17] {
    let mut out = [0u8; 17];
    out[0] = ident;
    out[1..].copy_from_slice(&chap_response(ident, password, challenge));
    out
}

/// Checks a CHAP-Password value against the clear-text password, in constant time.
pub fn verify_chap_password(chap_value: &[u8], password: &[u8], challenge: &[u8]) -> Result<bool> {
    let [ident, response @ ..] = chap_value else {
        return Err(Error::ChapPasswordLength {
            len: chap_value.len(),
        });
    };
    if response.len() != 16 {
        return Err(Error::ChapPasswordLength {
            len: chap_value.len(),
        });
    }
    Ok(ct_eq(&chap_response(*ident, password, challenge), response))
}

pub(crate) fn md5(parts: &[&[u8]]) -> [u8; 16] {
    md5_parts(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    const RA: [u8; 16] = [
        0x0f, 0x40, 0x3f, 0x94, 0x73, 0x97, 0x80, 0x57, 0xbd, 0x83, 0xd5, 0xcb, 0x98, 0xf4, 0x22, 0x7a,
    ];

    #[test]
    fn rfc2865_7_1_password() {
        let s = SharedSecret::from("xyzzy5461");
        let hidden = hide_user_password(b"arctangent", &s, &RA).unwrap();
        assert_eq!(
            hidden,
            [
                0x0d, 0xbe, 0x70, 0x8d, 0x93, 0xd4, 0x13, 0xce, 0x31, 0x96, 0xe4, 0x3f, 0x78, 0x2a, 0x0a,
                0xee
            ]
        );
        assert_eq!(unhide_user_password(&hidden, &s, &RA).unwrap(), b"arctangent");
    }

    /// RFC 2865 §5.2: "The password is first padded at the end with nulls to a
    /// multiple of 16 octets." The right secret gives NULs from the first NUL on,
    /// whatever the password's octets (Latin-1 included); a password that fills its
    /// blocks has no padding to tell by; a wrong secret breaks the padding.
    #[test]
    fn padding_tells_a_wrong_secret() {
        let s = SharedSecret::from("testing123");
        for (pw, padding) in [
            (&b"p\xe4ss"[..], PasswordPadding::Nuls),
            (b"hello", PasswordPadding::Nuls),
            (b"", PasswordPadding::Nuls),
            (b"0123456789abcdef", PasswordPadding::Absent),
            (b"\xff\xfe0123456789abcdef\x80", PasswordPadding::Nuls),
            (b"a\0b", PasswordPadding::NotNuls),
        ] {
            let hidden = hide_user_password(pw, &s, &RA).unwrap();
            assert_eq!(
                reveal_user_password(&hidden, &s, &RA).unwrap(),
                (pw.to_vec(), padding),
                "{pw:?}"
            );
        }
        // This wrong secret turns "hello"'s NUL padding into other octets.
        let hidden = hide_user_password(b"hello", &s, &RA).unwrap();
        let (clear, padding) = reveal_user_password(&hidden, &SharedSecret::from("testing12"), &RA).unwrap();
        assert_ne!(clear, b"hello");
        assert_ne!(padding, PasswordPadding::Nuls, "{clear:?}");
        assert_eq!(
            reveal_user_password(&hidden[..15], &s, &RA),
            Err(Error::HiddenLength { len: 15 })
        );
    }

    #[test]
    fn salted_inner_length_is_checked() {
        let s = SharedSecret::from("testing123");
        let mut hidden = hide_salted(b"abc", &s, &RA, 0x8001).unwrap();
        // flip the decrypted length octet from 3 to 3 ^ 0x40 = 67 > 15 available
        hidden[2] ^= 0x40;
        assert_eq!(
            unhide_salted(&hidden, &s, &RA),
            Err(Error::HiddenInnerLength {
                claimed: 67,
                available: 15
            })
        );
    }

    fn hmac_of(mac: KeyedMac, data: &[u8]) -> [u8; 16] {
        let mut mac = mac;
        mac.update(data);
        mac.finish()
    }

    #[test]
    fn keyed_state_is_wiped() {
        let empty_key = hmac_of(KeyedMac(Box::new(keyed(&[]))), b"data");
        let mut s = SharedSecret::from("hunter2");
        let keyed_mac = hmac_of(s.hmac(), b"data");
        assert_ne!(keyed_mac, empty_key);
        // HMAC-MD5("hunter2", "data"), computed with Python's hmac module
        let expected = [
            0x42, 0xe2, 0x0c, 0xc0, 0x2f, 0x5c, 0x75, 0x67, 0x8a, 0xde, 0x7b, 0x38, 0xe9, 0x31, 0xa2, 0x71,
        ];
        assert_eq!(keyed_mac, expected);
        // what Drop does: the secret octets are zeros and the keyed state is gone
        s.wipe();
        assert!(s.expose().iter().all(|b| *b == 0));
        assert_eq!(hmac_of(s.hmac(), b"data"), empty_key);
        // a scratch copy is wiped in place on drop
        let mut scratch = SharedSecret::from("hunter2").hmac();
        wipe_mac(&mut scratch.0);
        assert_eq!(hmac_of(scratch, b"data"), empty_key);
    }

    #[test]
    fn secret_is_redacted() {
        assert_eq!(format!("{:?}", SharedSecret::from("hunter2")), "SharedSecret(..)");
    }

    #[test]
    fn hidden_length_errors() {
        let s = SharedSecret::from("s");
        assert!(hide_user_password(&[1; 129], &s, &RA).is_err());
        assert!(unhide_user_password(&[1; 15], &s, &RA).is_err());
        assert!(unhide_user_password(&[], &s, &RA).is_err());
        assert!(unhide_salted(&[0x80, 1], &s, &RA).is_err());
        assert!(unhide_salted(&[0x80, 1, 2], &s, &RA).is_err());
        assert!(hide_salted(b"x", &s, &RA, 0x1234).is_err());
        assert!(unhide_ascend_secret(&[0; 15], &s, &RA).is_err());
        assert!(hide_ascend_secret(&[0; 17], &s, &RA).is_err());
    }

    #[test]
    fn salted_multi_block_chains_on_ciphertext() {
        // A 40-octet value spans 3 blocks; a decoder that keys every block from the
        // salt (the classic bug) gets blocks 2 and 3 wrong.
        let s = SharedSecret::from("testing123");
        let value: Vec<u8> = (0..40).collect();
        let hidden = hide_salted(&value, &s, &RA, 0x8123).unwrap();
        assert_eq!(hidden.len(), 2 + 48);
        assert_eq!(unhide_salted(&hidden, &s, &RA).unwrap(), value);
        // decrypting block 2 with the first key must not give the plaintext
        let k1 = md5(&[s.expose(), &RA, &hidden[..2]]);
        let mut wrong = hidden[18..34].to_vec();
        xor_into(&mut wrong, &k1);
        assert_ne!(&wrong[..], &value[15..31]);
    }

    #[test]
    fn chap_rfc2865_7_2() {
        let ra = [
            0x2a, 0xee, 0x86, 0xf0, 0x8d, 0x0d, 0x55, 0x96, 0x9c, 0xa5, 0x97, 0x8e, 0x0d, 0x33, 0x67, 0xa2,
        ];
        let chap = [
            0x16, 0xe9, 0x75, 0x57, 0xc3, 0x16, 0x18, 0x58, 0x95, 0xf2, 0x93, 0xff, 0x63, 0x44, 0x07, 0x72,
            0x75,
        ];
        assert!(verify_chap_password(&chap, b"arctangent", &ra).unwrap());
        assert!(!verify_chap_password(&chap, b"arctangenT", &ra).unwrap());
        assert_eq!(chap_password(0x16, b"arctangent", &ra), chap);
        assert!(verify_chap_password(&chap[..16], b"x", &ra).is_err());
    }

    #[test]
    fn ct_eq_works() {
        assert!(ct_eq(b"abc", b"abc"));
        assert!(!ct_eq(b"abc", b"abd"));
        assert!(!ct_eq(b"abc", b"ab"));
    }
}
