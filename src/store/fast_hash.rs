//! A small fast hasher for in-memory maps keyed by the book's own text.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// FxHash: the keys are the book's own emails, phones and tag values, not
/// hostile input, and SipHash was a tenth of a million-row import.
#[derive(Default)]
pub(crate) struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word))
                .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A map keyed by the book's own text, hashed with [`FxHasher`].
pub(crate) type FastMap<V> = HashMap<String, V, BuildHasherDefault<FxHasher>>;

/// Applies `f` to the value of `key`, starting from the default the first
/// time (the key is copied only then: counting millions of repeats costs
/// one lookup each).
pub(crate) fn update<V: Default>(map: &mut FastMap<V>, key: &str, f: impl FnOnce(&mut V)) {
    match map.get_mut(key) {
        Some(v) => f(v),
        None => {
            let mut v = V::default();
            f(&mut v);
            map.insert(key.to_string(), v);
        }
    }
}
