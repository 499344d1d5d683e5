//! The index kept between runs (#10): its entries without their items'
//! text, for the store to save beside the database and restore at the next
//! start instead of reading and signing the window's items again.

use super::{BANDS, Entry, Grouper, NIL, StoryId, band_keys};

/// An entry of the index without its item's text (see
/// [`Grouper::saved`]).
#[derive(Debug, Clone, PartialEq)]
pub struct SavedEntry {
    /// The item id's hash.
    pub id: u64,
    pub published: i64,
    pub feed: String,
    /// The story's id (its first item's id).
    pub story: String,
    pub follow_up: bool,
    /// The signature's tokens (sorted, distinct).
    pub tokens: Vec<u32>,
    /// Their bucket keys (`band_keys`), when saved with them: hashing the
    /// tokens again was a third of a restore's time.
    pub keys: Option<[u32; BANDS]>,
}

/// An entry of the index as it is saved, borrowed from the index (see
/// [`Grouper::saved`]).
#[derive(Debug, Clone, Copy)]
pub struct SavedRef<'a> {
    pub id: u64,
    pub published: i64,
    pub feed: &'a str,
    pub story: &'a str,
    pub follow_up: bool,
    pub tokens: &'a [u32],
    pub keys: Option<&'a [u32; BANDS]>,
}

impl SavedRef<'_> {
    /// The entry as an owned [`SavedEntry`].
    pub fn to_owned(self) -> SavedEntry {
        SavedEntry {
            id: self.id,
            published: self.published,
            feed: self.feed.to_string(),
            story: self.story.to_string(),
            follow_up: self.follow_up,
            tokens: self.tokens.to_vec(),
            keys: self.keys.copied(),
        }
    }
}

impl Grouper {
    /// The index's entries, oldest arrival first, as kept between runs (the
    /// store saves them beside the database, so the next start need not
    /// read and sign the window's items again). — #10 refresh — Borrowed:
    /// a full window's copy was 5 MB of memory touched once, as much time
    /// in page faults as the saving itself.
    pub fn saved(&self) -> impl Iterator<Item = SavedRef<'_>> + '_ {
        let mut feeds = vec![""; self.feeds.len()];
        for (name, &i) in &self.feeds {
            if let Some(slot) = feeds.get_mut(i as usize) {
                *slot = name;
            }
        }
        self.entries.iter().filter_map(move |e| {
            Some(SavedRef {
                id: e.id,
                published: e.published,
                feed: feeds.get(e.feed as usize).copied().filter(|f| !f.is_empty())?,
                story: self.stories.get(&e.story)?.id.as_str(),
                follow_up: e.follow_up,
                tokens: &e.tokens,
                keys: e.keys.as_ref(),
            })
        })
    }

    /// [`saved`](Self::saved), owned.
    pub fn saved_entries(&self) -> Vec<SavedEntry> {
        self.saved().map(SavedRef::to_owned).collect()
    }

    /// Puts back the `n` entries of [`saved`](Self::saved), oldest arrival
    /// first, as [`restore`](Self::restore) does one, with the index's
    /// tables sized for them first and no compaction before the last (they
    /// were saved compacted). They may come straight from the file, one at
    /// a time.
    pub fn restore_all(&mut self, n: usize, saved: impl IntoIterator<Item = SavedEntry>) {
        let n = n.min(self.tuning.max_entries);
        for band in &mut self.buckets {
            band.reserve(n);
        }
        self.known.reserve(n);
        self.stories.reserve(n);
        self.story_index.reserve(n);
        for e in saved {
            self.compact_in = usize::MAX;
            self.restore(e);
        }
        self.schedule_compaction();
    }

    /// Puts back an entry of [`saved_entries`](Self::saved_entries) (as
    /// `seed` does an item), unless its item is in the index already.
    pub fn restore(&mut self, e: SavedEntry) {
        if self.known.get(&e.id).and_then(|&seq| self.entry(seq)).is_some_and(|entry| entry.id == e.id) {
            return;
        }
        if self.base as usize + self.entries.len() + 1 >= NIL as usize {
            return;
        }
        self.advance(e.published);
        let feed = self.feed_index(&e.feed);
        let story = self.story_for(StoryId::from(e.story.as_str()));
        let tokens: Box<[u32]> = e.tokens.into();
        let keys = if tokens.is_empty() { None } else { e.keys.or_else(|| band_keys(&tokens)) };
        let (id, published, follow_up) = (e.id, e.published, e.follow_up);
        self.insert_entry(Entry { id, published, feed, story, follow_up, tokens, keys, next: [NIL; BANDS] });
    }
}
