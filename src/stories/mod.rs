//! Stories: items from different outlets about the same event, grouped into
//! one row (PRODUCT.md §12).
//!
//! Pure and self-contained: no IO, no clock, no randomness (every hash has a
//! fixed seed), so the same items in the same order always give the same
//! stories.
//!
//! # How an item is matched
//! 1. [`Signature::of`] normalises the title and the first paragraph (see
//!    [`normalize`]: lower case, accents folded, Cyrillic transliterated,
//!    punctuation dropped, stop words of English, Russian, Portuguese,
//!    Spanish, French, German and Italian dropped, numbers kept, words cut to
//!    a light stem, stems of common news words in those languages mapped to
//!    one concept token each by [`lexicon`], so that reports in two languages
//!    meet) and keeps up to 64 distinct hashed tokens.
//! 2. [`Grouper`] puts the token set in 24 MinHash/LSH buckets (one per band)
//!    and scores the new item only against the newest items of those buckets
//!    that it meets in at least two bands (at most 96), never the archive.
//! 3. A candidate matches when the similarity of the two token sets (Jaccard,
//!    with the larger set counted as at most 3× the smaller so a headline can
//!    match a long report, and 0 below 3 shared tokens), scaled down by the
//!    time between them (`1 - 0.7 * gap / window`), is at least 0.15, when
//!    both are within the window (72 h), and when the candidate's story has no
//!    item of the new item's outlet yet — unless the later of the two is a
//!    follow-up ("UPDATE", "Live", "Обновлено", "EN DIRECT", …). The new item
//!    joins the story of the best match, else starts its own story, whose id
//!    is the item's id. Stories never merge or split afterwards: an item keeps
//!    the story it was given.
//!
//! # Wiring it into the store (what `store::stories` does)
//! ```text
//! before storing, once (and to catch up with other writers):
//!              let mut g = Grouper::with_window_hours(config.window_hours);
//!              for each stored item of the last window, oldest first (by sort_date, then seq):
//!                  g.seed(&id, &story, &feed, sort_date, &Signature::from_text(title, first paragraph));
//! for each NEW item (not for re-fetched ones: they keep their story), oldest first:
//!              let sig = the item's NewItem::signature, else sign_html(title, summary_html);
//!                  (the feed parser signs on its own thread: `feed::parse::sign_stories`)
//!              let story = g.assign_signed(&StoryItem { id, feed, published: sort_date.min(now), .. }, &sig);
//!              store the story with the item when it is another item's (and with that item)
//! ```
//! `feed` and `published` must be the same values at seeding as at assigning.
//! `assign` takes `&mut self`: one owner (the store's writer) calls it, off
//! the loop thread. Its memory is bounded by the window and a cap on the
//! entries (`Tuning::max_entries`): an item older than the newest one by
//! more than the window leaves the index (and `advance(now)` drops old ones
//! after a quiet spell).

pub mod grouper;
pub mod lexicon;
pub mod normalize;
pub mod signature;
mod stopwords;

#[cfg(test)]
mod tests;

pub use grouper::{Grouper, StoryId, Tuning};
pub use signature::{Signature, SignatureError};

/// What the grouper needs to know about one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoryItem {
    /// The item's stable public id (the store's `items.id`).
    pub id: String,
    /// The outlet: the feed's URL or id. Items of one feed group only as follow-ups.
    pub feed: String,
    /// The item's title.
    pub title: String,
    /// The first paragraph of the summary, as plain text (see [`normalize::first_paragraph`]).
    pub summary: String,
    /// Unix seconds: the published date, else first seen; never later than now.
    pub published: i64,
}

/// What unread counts count when stories are on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Count {
    /// A story with three unread items counts once (the default: the count
    /// then says how many rows are left to triage).
    #[default]
    Stories,
    /// Every unread item counts.
    Items,
}

/// The `[stories]` settings (parsed by the config module).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoriesConfig {
    /// Group at all (`enabled = false` shows every item as its own row).
    pub enabled: bool,
    /// Items further apart than this many hours never group.
    pub window_hours: u32,
    /// Outlets (feed titles or URLs) whose item shows as the story's row, in
    /// order of preference; otherwise the earliest item shows.
    pub prefer: Vec<String>,
    /// What unread counts count.
    pub count: Count,
}

impl Default for StoriesConfig {
    fn default() -> StoriesConfig {
        StoriesConfig { enabled: true, window_hours: 72, prefer: Vec::new(), count: Count::Stories }
    }
}

impl StoriesConfig {
    /// A grouper set up for this configuration.
    pub fn grouper(&self) -> Grouper {
        Grouper::with_window_hours(self.window_hours)
    }
}

/// The signature of an item (the same as [`Signature::of`]).
pub fn signature(item: &StoryItem) -> Signature {
    Signature::of(item)
}

// — #15 ingest — signing where items are parsed.
static SIGN_WHILE_PARSING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(true);

/// Whether the feed parser signs the items it reads ([`NewItem::signature`](crate::model::NewItem)),
/// so that the store's thread only assigns them: on unless grouping is off
/// (`[stories] enabled = false`), set once at startup. Only a matter of
/// where the work is done: the store signs an item that comes unsigned.
pub fn sign_while_parsing(on: bool) {
    SIGN_WHILE_PARSING.store(on, std::sync::atomic::Ordering::Relaxed);
}

/// See [`sign_while_parsing`].
pub fn signs_while_parsing() -> bool {
    SIGN_WHILE_PARSING.load(std::sync::atomic::Ordering::Relaxed)
}

/// The signature the store gives an item: its title and the first paragraph
/// of its summary (else content) HTML, as plain text.
pub fn sign_html(title: &str, summary_html: Option<&str>) -> Signature {
    let summary = summary_html.map(|h| normalize::first_paragraph(h, signature::MAX_SUMMARY_CHARS));
    Signature::from_text(title, summary.as_deref().unwrap_or_default())
}

/// Signs and assigns one item: the signature (for the store to persist) and its story.
pub fn sign_and_assign(grouper: &mut Grouper, item: &StoryItem) -> (Signature, StoryId) {
    let signature = Signature::of(item);
    let story = grouper.assign_signed(item, &signature);
    (signature, story)
}

impl StoriesConfig {
    /// Which of a story's items shows as its row: the first one from the most
    /// preferred outlet in `prefer` (matched against each item's outlet name
    /// or URL, case-insensitively), else the earliest. `items` holds each
    /// item's (outlet name, outlet URL, published); `None` only when empty.
    pub fn lead_index(&self, items: &[(&str, &str, i64)]) -> Option<usize> {
        let rank = |name: &str, url: &str| {
            self.prefer
                .iter()
                .position(|p| p.eq_ignore_ascii_case(name) || p.eq_ignore_ascii_case(url))
                .unwrap_or(usize::MAX)
        };
        (0..items.len()).min_by_key(|&i| {
            let (name, url, published) = items[i];
            (rank(name, url), published, i)
        })
    }
}
