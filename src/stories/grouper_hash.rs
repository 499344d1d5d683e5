//! The index's hashing: a fixed, fast hasher for its integer keys, the item
//! id hash, and the MinHash band keys of a token set.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::BANDS;

/// A fixed, fast hasher for the index's integer keys (no per-process random
/// seed, unlike the standard one, and a fraction of its cost).
#[derive(Default)]
pub struct MixHasher(u64);

impl Hasher for MixHasher {
    fn finish(&self) -> u64 {
        mix(self.0)
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = mix(self.0 ^ u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = mix(self.0 ^ n);
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = mix(self.0 ^ n as u64);
    }
}

pub(super) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<MixHasher>>;

/// The per-band multipliers (odd) and addends of [`band_keys`].
const BAND_MUL: [u64; BANDS] = band_constants(1, true);
const BAND_ADD: [u64; BANDS] = band_constants(1_000, false);

const fn band_constants(salt: u64, odd: bool) -> [u64; BANDS] {
    let mut out = [0u64; BANDS];
    let mut i = 0;
    while i < BANDS {
        let v = mix(salt + i as u64);
        out[i] = if odd { v | 1 } else { v };
        i += 1;
    }
    out
}

/// splitmix64's finaliser: a fixed, well-mixed 64-bit hash.
const fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// FNV-1a over an item id (for the known-items map; the id itself is compared too).
pub(super) fn id_hash(id: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in id.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The bucket keys of a token set, one per band (none for an empty set): the
/// band's MinHash value, cut to 32 bits.
pub fn band_keys(tokens: &[u32]) -> Option<[u32; BANDS]> {
    if tokens.is_empty() {
        return None;
    }
    // Each token is mixed once; each band then applies its own multiply-add
    // (fixed odd multipliers), a cheap family of hash functions for MinHash.
    let mut mins = [u64::MAX; BANDS];
    for &t in tokens {
        let x = mix(u64::from(t));
        for (band, min) in mins.iter_mut().enumerate() {
            let h = x.wrapping_mul(BAND_MUL[band]).wrapping_add(BAND_ADD[band]);
            *min = (*min).min(h);
        }
    }
    Some(mins.map(|m| (m >> 32) as u32))
}
