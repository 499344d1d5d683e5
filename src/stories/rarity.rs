//! How rare each token is among the items in the grouping window, and the
//! similarity that weighs shared tokens by it.
//!
//! Two events about one person a day apart share that person's name and the
//! common words of the beat ("minister", "talks", "Russia"); what tells them
//! apart is the rarer words each has alone ("Fidan", "Ankara" against "Wang",
//! "Beijing"). [`Rarity`] keeps, for each token hash, how many items of the
//! window hold it (a document frequency), updated as items enter and leave
//! the index, so its memory is bounded by the window's distinct tokens. A
//! token's weight is its inverse document frequency, `ln(1 + N / df)`,
//! raised to a power (`Tuning::rarity`: 0 weighs every token alike, plain
//! Jaccard). Deterministic: the weights depend only on the items already in
//! the window, in the order they came.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use super::grouper::{MIN_SHARED_TOKENS, MixHasher, SIZE_CAP};

/// Token hash → number of entries in the window holding it.
#[derive(Default)]
pub struct Rarity {
    counts: HashMap<u32, u32, BuildHasherDefault<MixHasher>>,
    items: u32,
}

impl Rarity {
    /// An item's tokens enter the window.
    pub fn add(&mut self, tokens: &[u32]) {
        self.items += 1;
        for &t in tokens {
            *self.counts.entry(t).or_insert(0) += 1;
        }
    }

    /// An item's tokens leave the window (the same tokens that were added).
    pub fn remove(&mut self, tokens: &[u32]) {
        self.items = self.items.saturating_sub(1);
        for t in tokens {
            if let Some(n) = self.counts.get_mut(t) {
                *n -= 1;
                if *n == 0 {
                    self.counts.remove(t);
                }
            }
        }
        if self.counts.capacity() > 64 && self.counts.len() < self.counts.capacity() / 4 {
            // The window emptied after a busy spell: give the memory back.
            self.counts.shrink_to(self.counts.len() * 2);
        }
    }

    /// Items in the window.
    pub fn items(&self) -> u32 {
        self.items
    }

    /// The weight of a token: `ln(1 + N / df)` to the power `power`, where N is
    /// the number of items in the window and df the number holding the token
    /// (counted as at least one: the item being scored holds it).
    pub fn weight(&self, token: u32, power: f32) -> f32 {
        if power == 0.0 {
            return 1.0;
        }
        let df = self.counts.get(&token).copied().unwrap_or(0).max(1) as f32;
        let idf = (1.0 + self.items.max(1) as f32 / df).ln();
        if power == 1.0 { idf } else { idf.powf(power) }
    }

    /// The weights of a sorted token set, and their sum.
    pub fn weigh(&self, tokens: &[u32], power: f32) -> Weighed {
        let weights: Vec<f32> = tokens.iter().map(|&t| self.weight(t, power)).collect();
        let total = weights.iter().sum();
        Weighed { weights, total }
    }

    /// The weighted similarity of a new item's tokens `a` (weighed by
    /// [`Rarity::weigh`]) and a candidate's `b`: the weight of the shared
    /// tokens over the weight of the union, with the larger side counted as at
    /// most [`SIZE_CAP`] times the smaller (as in [`super::grouper::similarity`]).
    /// Zero below [`MIN_SHARED_TOKENS`] shared tokens.
    pub fn similarity(&self, a: &[u32], weighed: &Weighed, b: &[u32], power: f32) -> f32 {
        let (mut i, mut n, mut shared_w, mut b_total) = (0, 0, 0.0f32, 0.0f32);
        for &y in b {
            let wy = self.weight(y, power);
            b_total += wy;
            while i < a.len() && a[i] < y {
                i += 1;
            }
            if i < a.len() && a[i] == y {
                n += 1;
                shared_w += weighed.weights[i];
                i += 1;
            }
        }
        if n < MIN_SHARED_TOKENS {
            return 0.0;
        }
        let total = weighed.total;
        let (small, large) = if total <= b_total { (total, b_total) } else { (b_total, total) };
        let union = small + large.min(SIZE_CAP as f32 * small) - shared_w;
        if union <= 0.0 { 0.0 } else { (shared_w / union).min(1.0) }
    }
}

/// A token set's weights (in the set's order) and their sum.
pub struct Weighed {
    weights: Vec<f32>,
    total: f32,
}
