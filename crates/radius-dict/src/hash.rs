//! A small, fast, non-cryptographic hasher for the dictionary's maps (the FxHash
//! multiply-rotate scheme). Dictionary keys come from files the operator chose, not
//! from the network, so hash flooding is not a concern here.

use std::hash::{BuildHasherDefault, Hasher};

/// The FxHash state.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w.iter_mut().zip(rest).for_each(|(d, s)| *d = *s);
            self.add(u64::from_le_bytes(w));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

/// `HashMap` with [`FxHasher`].
pub(crate) type FxMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// Lowercases ASCII into a stack buffer when it fits, to look up case-insensitive
/// names without allocating.
pub(crate) fn with_lowercase<R>(s: &str, f: impl FnOnce(&str) -> R) -> R {
    let mut buf = [0u8; 96];
    if let Some(dst) = buf.get_mut(..s.len()) {
        dst.iter_mut()
            .zip(s.bytes())
            .for_each(|(d, c)| *d = c.to_ascii_lowercase());
        if let Ok(lower) = core::str::from_utf8(dst) {
            return f(lower);
        }
    }
    f(&s.to_ascii_lowercase())
}
