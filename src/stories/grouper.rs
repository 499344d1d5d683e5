//! The grouping index: recent items' signatures in MinHash/LSH buckets, and the
//! story each belongs to.
//!
//! Each item's token set gets [`BANDS`] MinHash values (one fixed-seed hash
//! function each, one row per band). An item lands in one bucket per band,
//! keyed by that band's minimum; two items share a bucket in a band with
//! probability equal to the Jaccard similarity of their token sets. A new
//! item collects the newest [`PER_BUCKET`] items of each of its buckets (at
//! most `BANDS * PER_BUCKET`), and scores exactly only those met in at least
//! [`MIN_SHARED_BANDS`] bands: a pair at similarity 0.15 meets in two or more
//! of 24 bands 89% of the time (0.3: 99.8%), while items that share one common
//! word meet in one band and are skipped. Nothing is compared with the archive.
//!
//! Memory is bounded: the entries live in a queue in arrival order and leave
//! it when they fall out of the time window behind the newest item (or past
//! [`Tuning::max_entries`], the oldest arrivals first); a bucket is a linked
//! list threaded through the entries, newest first, so eviction from the
//! front of the queue never has to search a bucket. Items do not arrive in
//! date order (a first fetch stores feed after feed, each spanning months),
//! so entries out of the window also pile up behind the front: a compaction
//! now and then drops them wherever they are (keeping the latest
//! [`RECENT_ARRIVALS`], so a late backlog still groups within itself) and
//! rebuilds the buckets.

use std::collections::VecDeque;
use std::collections::hash_map::Entry as MapEntry;
use std::fmt;
use std::sync::Arc;

use super::signature::shared;
use super::{Signature, StoryItem};
pub use hash::MixHasher;
pub use hash::band_keys;
use hash::{FastMap, id_hash};

/// Number of MinHash bands (one row each).
pub const BANDS: usize = 24;
/// At most this many entries of one bucket are scored (the newest).
pub const PER_BUCKET: usize = 8;
/// A candidate is scored only if it shares at least this many bands.
pub const MIN_SHARED_BANDS: usize = 2;
/// No next entry in a bucket.
const NIL: u32 = u32::MAX;
// — #15 ingest —
/// Entries dated out of the window behind the newest item are kept anyway
/// while they are among this many latest arrivals: items that come late
/// with old dates (a new feed's backlog) still group with each other.
pub const RECENT_ARRIVALS: usize = 4_096;
/// The index is compacted (entries out of the window dropped wherever they
/// are in the queue) after this many inserts, or half as many as it held
/// after the last compaction if more; it is rebuilt only when at least a
/// quarter of its entries are to go.
const COMPACT_SLACK: usize = 8_192;

/// A story's id: the id of the story's first item. Cheap to clone.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StoryId(Arc<str>);

impl StoryId {
    /// The id as text (what the store persists).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for StoryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for StoryId {
    fn from(s: &str) -> StoryId {
        StoryId(Arc::from(s))
    }
}

/// The knobs of the matching, with the defaults measured on the labelled
/// fixtures (see benches/README.md, "Story grouping").
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tuning {
    /// Items further apart than this (seconds) never group.
    pub window_secs: i64,
    /// Two items match when their Jaccard similarity, after the time penalty,
    /// is at least this.
    pub threshold: f32,
    /// The similarity is scaled by `1 - time_penalty * gap / window`: reports
    /// of one event come within hours, while another event about the same
    /// people tends to come days later, so a wider gap asks for more words in
    /// common.
    pub time_penalty: f32,
    /// Hard cap on the entries kept, whatever their dates (the oldest
    /// arrivals leave first): what bounds the index's memory when a great
    /// many items fall in one window.
    pub max_entries: usize,
}

impl Default for Tuning {
    fn default() -> Tuning {
        Tuning { window_secs: 72 * 3600, threshold: 0.15, time_penalty: 0.7, max_entries: MAX_ENTRIES }
    }
}

/// The default [`Tuning::max_entries`]: about 8 MB of index (see
/// benches/README.md), 4,600 items a day for three days. Just under 7/8 of
/// a power of two (16,384), the hash tables' and the queue's sizes, so that
/// none of them has doubled into space it does not use.
pub const MAX_ENTRIES: usize = 14_000;

pub use saved::{SavedEntry, SavedRef};

/// One recent item in the index.
struct Entry {
    /// The item id's hash ([`id_hash`]: 64 bits, taken as the id itself;
    /// the text lives in its story's id when it starts one).
    id: u64,
    published: i64,
    feed: u32,
    story: u32,
    follow_up: bool,
    tokens: Box<[u32]>,
    /// Its bucket key in each band (`band_keys` of its tokens; None when
    /// it has none), kept so that eviction, compaction and saving need not
    /// hash its tokens again.
    keys: Option<[u32; BANDS]>,
    /// The next (older) entry of this entry's bucket in each band.
    next: [u32; BANDS],
}

/// A story with items still in the index.
struct Story {
    id: StoryId,
    /// The outlets of its items (a story holds one item per outlet, plus
    /// follow-ups): the first one, then the others (most stories have one
    /// item: nothing allocated for them).
    feed: u32,
    more_feeds: Vec<u32>,
    /// Its entries still in the index.
    live: u32,
}

impl Story {
    fn has_feed(&self, feed: u32) -> bool {
        self.feed == feed || self.more_feeds.contains(&feed)
    }

    fn add_feed(&mut self, feed: u32) {
        if self.feed == NIL {
            self.feed = feed;
        } else if !self.has_feed(feed) {
            self.more_feeds.push(feed);
        }
    }
}

/// Groups items into stories as they arrive; see the module docs of
/// [`crate::stories`] for how the store uses it.
pub struct Grouper {
    tuning: Tuning,
    /// Entries in arrival order; `entries[i]` has sequence number `base + i`.
    entries: VecDeque<Entry>,
    base: u32,
    /// Per band: bucket key → sequence number of the newest entry in that bucket.
    buckets: Vec<FastMap<u32, u32>>,
    /// Hash of an item id → its entry's sequence number.
    known: FastMap<u64, u32>,
    stories: FastMap<u32, Story>,
    story_index: FastMap<StoryId, u32>,
    next_story: u32,
    feeds: FastMap<Box<str>, u32>,
    /// The newest published date seen: the window ends here.
    clock: i64,
    /// Inserts left before the next compaction.
    compact_in: usize,
}

/// Two items never match on fewer shared tokens than this: two words in
/// common ("Russia", "Ukraine") say nothing, however short the titles.
pub const MIN_SHARED_TOKENS: usize = 3;
/// In [`similarity`], the larger set counts as at most this many times the smaller.
pub const SIZE_CAP: usize = 3;

/// The similarity of two sorted, distinct token sets: their Jaccard
/// similarity, except that the larger set counts as at most [`SIZE_CAP`]
/// times the size of the smaller, so that a headline-only item (8 tokens) can
/// match a long report (64 tokens) it is contained in. Zero below
/// [`MIN_SHARED_TOKENS`].
pub fn similarity(a: &[u32], b: &[u32]) -> f32 {
    let n = shared(a, b);
    if n < MIN_SHARED_TOKENS {
        return 0.0;
    }
    let (small, large) = if a.len() <= b.len() { (a.len(), b.len()) } else { (b.len(), a.len()) };
    let union = small + large.min(SIZE_CAP * small) - n;
    if union == 0 { 0.0 } else { n as f32 / union as f32 }
}

impl Default for Grouper {
    fn default() -> Grouper {
        Grouper::new(Tuning::default())
    }
}

impl Grouper {
    /// An empty index.
    pub fn new(tuning: Tuning) -> Grouper {
        Grouper {
            tuning,
            entries: VecDeque::new(),
            base: 0,
            buckets: (0..BANDS).map(|_| FastMap::default()).collect(),
            known: FastMap::default(),
            stories: FastMap::default(),
            story_index: FastMap::default(),
            next_story: 0,
            feeds: FastMap::default(),
            clock: i64::MIN,
            compact_in: COMPACT_SLACK.min(tuning.max_entries.max(8) / 8),
        }
    }

    /// An empty index with the default tuning and this window (hours).
    pub fn with_window_hours(hours: u32) -> Grouper {
        Grouper::new(Tuning { window_secs: i64::from(hours) * 3600, ..Tuning::default() })
    }

    /// The tuning in use.
    pub fn tuning(&self) -> Tuning {
        self.tuning
    }

    /// Items currently in the index.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the index is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Stories with items in the index.
    pub fn story_count(&self) -> usize {
        self.stories.len()
    }

    /// The story of a new item: an existing story when a recent item of
    /// another outlet (or of the same outlet, if this one is a follow-up)
    /// reports the same event, else a new story whose id is the item's id.
    /// An item already in the index gets its story back unchanged.
    pub fn assign(&mut self, item: &StoryItem) -> StoryId {
        let signature = Signature::of(item);
        self.assign_signed(item, &signature)
    }

    /// [`Grouper::assign`] with the signature already computed (the store
    /// computes it once, to persist it too).
    pub fn assign_signed(&mut self, item: &StoryItem, signature: &Signature) -> StoryId {
        if let Some(story) = self.story_of(&item.id) {
            return story;
        }
        self.advance(item.published);
        let feed = self.feed_index(&item.feed);
        let keys = band_keys(signature.tokens());
        let story = match keys.and_then(|k| self.best_match(&k, item.published, feed, signature)) {
            Some(story) => story,
            None => self.new_story(StoryId::from(item.id.as_str())),
        };
        self.insert(&item.id, item.published, feed, story, signature, keys);
        self.stories.get(&story).map_or_else(|| StoryId::from(item.id.as_str()), |s| s.id.clone())
    }

    /// Puts a stored item back in the index with the story it was given
    /// before, without matching: the store calls it at startup for the items
    /// of the last window, oldest first.
    pub fn seed(&mut self, id: &str, story: &str, feed: &str, published: i64, signature: &Signature) {
        if self.story_of(id).is_some() {
            return;
        }
        self.advance(published);
        let feed = self.feed_index(feed);
        let story = self.story_for(StoryId::from(story));
        self.insert(id, published, feed, story, signature, band_keys(signature.tokens()));
    }

    /// The story of an item in the index.
    pub fn story_of(&self, id: &str) -> Option<StoryId> {
        let seq = *self.known.get(&id_hash(id))?;
        let entry = self.entry(seq)?;
        if entry.id != id_hash(id) {
            return None;
        }
        self.stories.get(&entry.story).map(|s| s.id.clone())
    }

    // — #15 ingest —
    /// Drops the entries dated out of the window behind the newest item,
    /// wherever they are in the queue (eviction from its front stops at the
    /// first entry still in the window, and items arrive in feed order, not
    /// date order), except the [`RECENT_ARRIVALS`] latest; then renumbers
    /// what is left and rebuilds the buckets. What goes could only match
    /// items dated near or before the window's start; stories already given
    /// never change.
    fn compact(&mut self) {
        let cutoff = self.clock.saturating_sub(self.tuning.window_secs);
        let recent_from = self.entries.len().saturating_sub(RECENT_ARRIVALS);
        let stale = self.entries.iter().take(recent_from).filter(|e| e.published < cutoff).count();
        self.schedule_compaction();
        if stale < self.entries.len() / 4 {
            // Items that came in date order leave from the front: nothing to gain.
            return;
        }
        let old = std::mem::take(&mut self.entries);
        for band in &mut self.buckets {
            band.clear();
        }
        self.known.clear();
        for story in self.stories.values_mut() {
            story.live = 0;
        }
        self.base = 0;
        let mut kept = VecDeque::with_capacity(old.len().min(self.tuning.max_entries));
        for (i, mut entry) in old.into_iter().enumerate() {
            if i < recent_from && entry.published < cutoff {
                continue;
            }
            let seq = kept.len() as u32;
            entry.next = [NIL; BANDS];
            if let Some(keys) = entry.keys {
                for (band, key) in keys.iter().enumerate() {
                    if let Some(older) = self.buckets[band].insert(*key, seq) {
                        entry.next[band] = older;
                    }
                }
            }
            self.known.insert(entry.id, seq);
            if let Some(story) = self.stories.get_mut(&entry.story) {
                story.live += 1;
            }
            kept.push_back(entry);
        }
        self.entries = kept;
        self.entries.shrink_to_fit();
        self.schedule_compaction();
        let gone: Vec<u32> = self.stories.iter().filter(|(_, s)| s.live == 0).map(|(&k, _)| k).collect();
        for k in gone {
            if let Some(story) = self.stories.remove(&k) {
                self.story_index.remove(&story.id);
            }
        }
        for band in &mut self.buckets {
            band.shrink_to_fit();
        }
        self.known.shrink_to_fit();
        self.stories.shrink_to_fit();
        self.story_index.shrink_to_fit();
    }

    /// The next compaction comes after half as many inserts as there are
    /// entries (at least [`COMPACT_SLACK`]), and no later than the cap (then
    /// every eighth of it), so stale entries go before the cap pushes out
    /// the oldest arrivals.
    fn schedule_compaction(&mut self) {
        let (len, cap) = (self.entries.len(), self.tuning.max_entries);
        self.compact_in = (len / 2).max(COMPACT_SLACK).min(cap.saturating_sub(len).max(cap / 8)).max(1);
    }

    /// Moves the end of the window to `now` (if later) and drops what falls
    /// out of it. `assign` and `seed` do it with each item's date; call it
    /// with the current time to free memory after a quiet spell.
    pub fn advance(&mut self, now: i64) {
        self.clock = self.clock.max(now);
        let cutoff = self.clock.saturating_sub(self.tuning.window_secs);
        while let Some(front) = self.entries.front() {
            if front.published >= cutoff && self.entries.len() < self.tuning.max_entries {
                break;
            }
            self.evict_front();
        }
    }

    fn entry(&self, seq: u32) -> Option<&Entry> {
        self.entries.get(seq.checked_sub(self.base)? as usize)
    }

    fn feed_index(&mut self, feed: &str) -> u32 {
        if let Some(&i) = self.feeds.get(feed) {
            return i;
        }
        let next = self.feeds.len() as u32;
        self.feeds.insert(feed.into(), next);
        next
    }

    /// The index of the story with this id, made when it has none.
    fn story_for(&mut self, id: StoryId) -> u32 {
        match self.story_index.get(&id) {
            Some(&s) => s,
            None => self.new_story(id),
        }
    }

    fn new_story(&mut self, id: StoryId) -> u32 {
        let index = self.next_story;
        self.next_story = self.next_story.wrapping_add(1);
        self.story_index.insert(id.clone(), index);
        self.stories.insert(index, Story { id, feed: NIL, more_feeds: Vec::new(), live: 0 });
        index
    }

    /// The story of the best-scoring eligible candidate, if it reaches the threshold.
    fn best_match(&self, keys: &[u32; BANDS], published: i64, feed: u32, sig: &Signature) -> Option<u32> {
        let mut candidates: Vec<u32> = Vec::with_capacity(BANDS * 4);
        // — #10 refresh — the bands' buckets are walked side by side, a step
        // of each in turn: each step is a read far away in a full window
        // (14,000 entries), and the steps of different bands do not wait
        // for each other as the steps of one bucket do.
        let mut at: [u32; BANDS] =
            std::array::from_fn(|band| self.buckets[band].get(&keys[band]).copied().unwrap_or(NIL));
        for _ in 0..PER_BUCKET {
            let mut any = false;
            for (band, seq) in at.iter_mut().enumerate() {
                let Some(entry) = self.entry(*seq) else {
                    *seq = NIL;
                    continue;
                };
                any = true;
                // Out of the window, it could never score (skipped here
                // rather than after the sort: a refresh of older items in a
                // full window meets mostly such entries).
                if (entry.published - published).abs() <= self.tuning.window_secs {
                    candidates.push(*seq);
                }
                *seq = entry.next[band];
            }
            if !any {
                break;
            }
        }
        candidates.sort_unstable();
        let window = self.tuning.window_secs.max(1) as f32;
        let mut best: Option<(f32, u32)> = None;
        for run in candidates.chunk_by(|a, b| a == b) {
            // The share of bands two items meet in estimates their similarity
            // (MinHash): one band alone is mostly a common word in common.
            if run.len() < MIN_SHARED_BANDS {
                continue;
            }
            let seq = run[0];
            let Some(entry) = self.entry(seq) else { continue };
            let gap = (entry.published - published).abs();
            if gap > self.tuning.window_secs {
                continue;
            }
            let Some(story) = self.stories.get(&entry.story) else { continue };
            if story.has_feed(feed) && !self.follow_up_allowed(entry, feed, published, sig) {
                continue;
            }
            let score = similarity(entry.tokens.as_ref(), sig.tokens())
                * (1.0 - self.tuning.time_penalty * gap as f32 / window);
            // Strictly better only: on a tie the older candidate (seen first) wins.
            if score >= self.tuning.threshold && best.is_none_or(|(b, _)| score > b) {
                best = Some((score, entry.story));
            }
        }
        best.map(|(_, story)| story)
    }

    /// Whether an item of an outlet the story already holds may join it: the
    /// later of it and the candidate must be marked as a follow-up.
    fn follow_up_allowed(&self, candidate: &Entry, feed: u32, published: i64, sig: &Signature) -> bool {
        if candidate.feed == feed && candidate.published > published { candidate.follow_up } else { sig.follow_up() }
    }

    fn insert(&mut self, id: &str, published: i64, feed: u32, story: u32, sig: &Signature, keys: Option<[u32; BANDS]>) {
        if self.base as usize + self.entries.len() >= NIL as usize {
            // Four billion items in one process: start the index afresh.
            *self = Grouper { feeds: std::mem::take(&mut self.feeds), ..Grouper::new(self.tuning) };
            let restored = self.new_story(StoryId::from(id));
            return self.insert(id, published, feed, restored, sig, keys);
        }
        let entry = Entry {
            id: id_hash(id),
            published,
            feed,
            story,
            follow_up: sig.follow_up(),
            tokens: sig.tokens().into(),
            keys,
            next: [NIL; BANDS],
        };
        self.insert_entry(entry);
    }

    /// Adds `entry` (its `next` links are set here) under its band keys.
    fn insert_entry(&mut self, mut entry: Entry) {
        let seq = self.base + self.entries.len() as u32;
        if let Some(keys) = entry.keys {
            for (band, key) in keys.iter().enumerate() {
                if let Some(old) = self.buckets[band].insert(*key, seq) {
                    entry.next[band] = old;
                }
            }
        }
        self.known.insert(entry.id, seq);
        if let Some(s) = self.stories.get_mut(&entry.story) {
            s.live += 1;
            s.add_feed(entry.feed);
        }
        self.entries.push_back(entry);
        self.compact_in = self.compact_in.saturating_sub(1);
        if self.compact_in == 0 {
            self.compact();
        }
    }

    fn evict_front(&mut self) {
        let Some(entry) = self.entries.pop_front() else { return };
        let seq = self.base;
        self.base += 1;
        if let Some(keys) = entry.keys {
            for (band, key) in keys.into_iter().enumerate() {
                // This entry is the oldest left, so if it heads a bucket it is alone in it.
                if let MapEntry::Occupied(o) = self.buckets[band].entry(key)
                    && *o.get() == seq
                {
                    o.remove();
                }
            }
        }
        if let MapEntry::Occupied(o) = self.known.entry(entry.id)
            && *o.get() == seq
        {
            o.remove();
        }
        if let MapEntry::Occupied(mut o) = self.stories.entry(entry.story) {
            o.get_mut().live -= 1;
            if o.get().live == 0 {
                let story = o.remove();
                self.story_index.remove(&story.id);
            }
        }
    }
}

#[cfg(test)]
#[path = "grouper_tests.rs"]
mod tests;

// — #10 refresh into a big archive —
#[path = "grouper_saved.rs"]
mod saved;

#[path = "grouper_hash.rs"]
mod hash;
