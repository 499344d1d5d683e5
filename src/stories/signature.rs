//! An item's matching signature: the hashed tokens of its title and first
//! paragraph, and whether its title marks a follow-up.
//!
//! The signature is what the store persists per item (a BLOB of a few hundred
//! bytes at most) so that the grouping index can be rebuilt at startup without
//! re-reading the items' text.

use super::StoryItem;
use super::normalize::{for_each_token, is_follow_up};

/// At most this many distinct tokens are kept (title first, then the summary in order).
pub const MAX_TOKENS: usize = 64;
/// The summary is read up to this many characters (about a first paragraph).
pub const MAX_SUMMARY_CHARS: usize = 600;

/// Version byte at the start of [`Signature::to_bytes`] (2: tokens of the
/// transliterating, lexicon-mapping normalisation).
const FORMAT: u8 = 2;
const FLAG_FOLLOW_UP: u8 = 1;

/// Why bytes could not be read back as a [`Signature`].
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SignatureError {
    #[error("story signature too short ({0} bytes)")]
    Truncated(usize),
    #[error("story signature format {0} is not known (expected {FORMAT})")]
    Format(u8),
    #[error("story signature holds {count} tokens in {len} bytes")]
    Length { count: usize, len: usize },
}

/// The tokens of one item, hashed, sorted and distinct, plus its follow-up flag.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Signature {
    tokens: Box<[u32]>,
    follow_up: bool,
}

/// FNV-1a, folded to 32 bits: a fixed hash, the same on every machine and run.
pub fn token_hash(token: &str) -> u32 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in token.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    (h ^ (h >> 32)) as u32
}

impl Signature {
    /// The signature of an item (its title and the start of its summary).
    pub fn of(item: &StoryItem) -> Signature {
        Signature::from_text(&item.title, &item.summary)
    }

    /// The signature of a title and a plain-text first paragraph.
    pub fn from_text(title: &str, summary: &str) -> Signature {
        let mut tokens: Vec<u32> = Vec::with_capacity(MAX_TOKENS);
        let mut add = |t: &str| {
            if tokens.len() < MAX_TOKENS * 2 {
                tokens.push(token_hash(t));
            }
        };
        for_each_token(title, &mut add);
        let cut = summary.char_indices().nth(MAX_SUMMARY_CHARS).map_or(summary.len(), |(i, _)| i);
        for_each_token(&summary[..cut], &mut add);
        // Keep the first MAX_TOKENS distinct tokens in reading order, then sort.
        let mut seen: Vec<u32> = Vec::with_capacity(MAX_TOKENS);
        for t in tokens {
            if seen.len() == MAX_TOKENS {
                break;
            }
            if !seen.contains(&t) {
                seen.push(t);
            }
        }
        seen.sort_unstable();
        Signature { tokens: seen.into_boxed_slice(), follow_up: is_follow_up(title) }
    }

    /// A signature from token hashes (any order, duplicates allowed).
    pub fn from_hashes(hashes: impl IntoIterator<Item = u32>, follow_up: bool) -> Signature {
        let mut tokens: Vec<u32> = hashes.into_iter().collect();
        tokens.sort_unstable();
        tokens.dedup();
        tokens.truncate(MAX_TOKENS);
        Signature { tokens: tokens.into_boxed_slice(), follow_up }
    }

    /// The sorted, distinct token hashes.
    pub fn tokens(&self) -> &[u32] {
        &self.tokens
    }

    /// Whether the title marks a follow-up ("UPDATE", "Live", …) that may join
    /// a story its own outlet already reported.
    pub fn follow_up(&self) -> bool {
        self.follow_up
    }

    /// Bytes for the store: a format byte, a flags byte, the token count (u16,
    /// little endian), then each token (u32, little endian). At most 260 bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(4 + 4 * self.tokens.len());
        out.push(FORMAT);
        out.push(if self.follow_up { FLAG_FOLLOW_UP } else { 0 });
        out.extend_from_slice(&(self.tokens.len() as u16).to_le_bytes());
        for t in self.tokens.iter() {
            out.extend_from_slice(&t.to_le_bytes());
        }
        out
    }

    /// Reads back [`Signature::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Signature, SignatureError> {
        let [format, flags, lo, hi, rest @ ..] = bytes else {
            return Err(SignatureError::Truncated(bytes.len()));
        };
        if *format != FORMAT {
            return Err(SignatureError::Format(*format));
        }
        let count = usize::from(u16::from_le_bytes([*lo, *hi]));
        if rest.len() != count * 4 || count > MAX_TOKENS {
            return Err(SignatureError::Length { count, len: bytes.len() });
        }
        let hashes = rest.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]));
        Ok(Signature::from_hashes(hashes, flags & FLAG_FOLLOW_UP != 0))
    }
}

/// The number of tokens two sorted, distinct slices share.
/// (Branch-free steps: most comparisons are a coin toss for the branch predictor.)
pub fn shared(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        n += usize::from(x == y);
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
    n
}
