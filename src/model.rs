//! The data that flows between the poller, the store, the state machine and
//! the screen. Plain values, no behaviour beyond small helpers.

use serde::{Deserialize, Serialize};

/// The stable public id of an item (16 hex digits).
pub type ItemId = String;

/// Unix seconds.
pub type Timestamp = i64;

/// One item as parsed from a feed, before the store has seen it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NewItem {
    /// What identifies the item within its feed: guid, else link, else a hash of title and date.
    pub key: String,
    pub title: String,
    pub link: Option<String>,
    pub author: Option<String>,
    pub published: Option<Timestamp>,
    pub updated: Option<Timestamp>,
    pub summary: Option<String>,
    /// HTML as received (content:encoded, Atom content, content_html).
    pub content: Option<String>,
    pub categories: Vec<String>,
    /// Media files attached to the item (podcast audio, video), in document order.
    pub enclosures: Vec<Enclosure>,
    /// The words of summary and content for the search index
    /// (`article::plain::index_body`), computed by the parser, off the
    /// store's thread; None: the store computes them.
    pub words: Option<String>,
    // — #15 stories —
    /// The item's story signature (`stories::sign_html` of its title and
    /// summary, else content), computed by the parser off the store's
    /// thread; None: the store computes it when it groups.
    pub signature: Option<crate::stories::Signature>,
}

/// A media file attached to an item: a podcast episode's audio, a video.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Enclosure {
    /// http(s) only.
    pub url: String,
    /// The MIME type the feed gives ("audio/mpeg").
    #[serde(rename = "type")]
    pub mime: Option<String>,
    /// Size in bytes, as the feed gives it.
    pub length: Option<u64>,
    /// Playing time in seconds (iTunes `duration`, Media RSS, JSON Feed).
    pub duration: Option<u64>,
}

impl Enclosure {
    /// What it is in words: "audio/mpeg · 45 MB · 1:02:13" (what the feed gives of it).
    pub fn label(&self) -> String {
        let mut parts = vec![self.mime.clone().unwrap_or_else(|| "media".into())];
        if let Some(n) = self.length {
            parts.push(match n {
                n if n >= 1_000_000_000 => format!("{:.1} GB", n as f64 / 1e9),
                n if n >= 10_000_000 => format!("{} MB", (n as f64 / 1e6).round()),
                n if n >= 1_000_000 => format!("{:.1} MB", n as f64 / 1e6),
                n if n >= 1_000 => format!("{} KB", n / 1_000),
                n => format!("{n} bytes"),
            });
        }
        if let Some(d) = self.duration {
            parts.push(match d {
                d if d >= 3600 => format!("{}:{:02}:{:02}", d / 3600, d / 60 % 60, d % 60),
                d => format!("{}:{:02}", d / 60, d % 60),
            });
        }
        parts.join(" · ")
    }

    /// Audio or video (what a player plays), by type or, without one, by the file's extension.
    pub fn playable(&self) -> bool {
        match self.mime.as_deref() {
            Some(m) => m.starts_with("audio/") || m.starts_with("video/"),
            None => {
                let path = self.url.split(['?', '#']).next().unwrap_or(&self.url).to_ascii_lowercase();
                [".mp3", ".m4a", ".aac", ".ogg", ".oga", ".opus", ".flac", ".wav", ".mp4", ".m4v", ".webm", ".mov"]
                    .iter()
                    .any(|ext| path.ends_with(ext))
            }
        }
    }
}

/// The enclosure the play key opens: the first audio or video one, else the first.
pub fn enclosure_to_play(list: &[Enclosure]) -> Option<&Enclosure> {
    list.iter().find(|e| e.playable()).or(list.first())
}

/// One kind of defect the parser repaired in a feed's document to read it,
/// and how often: what a user can tell the publisher.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Repair {
    /// "bare '&'", "undefined entity", …
    pub what: String,
    pub count: usize,
}

/// Repairs in words: "3 bare '&', 1 undefined entity".
pub fn repairs_text(repairs: &[Repair]) -> Option<String> {
    let parts: Vec<String> = repairs.iter().map(|r| format!("{} {}", r.count, r.what)).collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// A feed that was fetched and parsed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FetchedFeed {
    /// The URL as configured (the feed's identity).
    pub url: String,
    pub title: Option<String>,
    pub site_url: Option<String>,
    pub items: Vec<NewItem>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// The feed's `<ttl>`, in minutes: how long it says it stays fresh.
    pub ttl: Option<u32>,
    /// The feed's own date (RSS lastBuildDate or pubDate, Atom updated):
    /// what undated items are dated with.
    pub date: Option<Timestamp>,
    /// What had to be repaired in the document to read it.
    pub repairs: Vec<Repair>,
    // — #10 fetch memory —
    /// A large feed's item texts (summary, content, words) kept in a
    /// temporary file instead of `items` (`FetchedFeed::item` reads one back).
    pub spilled: Option<crate::feed::spill::Spilled>,
}

/// What one poll of a feed learned besides its items, for the schedule and
/// the feed's health (sidebar, `feeds list`, `stats`). Sent by the poller
/// after each result, persisted by the store so restarts keep the schedule.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PollInfo {
    /// HTTP status of the final response; None for file:// or no response.
    pub status: Option<u16>,
    /// Every redirect was permanent (301/308): the URL to fetch from now on.
    pub moved_to: Option<String>,
    /// The server asked not to be contacted before this (Retry-After on 429/503);
    /// honoured even by a manual refresh.
    pub retry_at: Option<Timestamp>,
    /// When the poller will fetch the feed next.
    pub next_poll: Option<Timestamp>,
    /// The schedule hints in force after this poll, in seconds: the feed's
    /// `<ttl>` and the server's `Cache-Control: max-age` (kept across 304s).
    pub ttl: Option<u64>,
    pub max_age: Option<u64>,
}

/// Which items the list shows. Sidebar entries are views; every view is a
/// query (`query::view_expr`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum View {
    All,
    Unread,
    Tag(String),
    Feed(String),
    /// The reading list: its own copies, newest saved first.
    Saved,
    /// A query in the §8 language, as typed (the `/` filter, saved queries).
    Query(String),
}

/// Where a row sits in its list's order (newest first): the item's date and
/// its sequence number (for the reading list: when it was saved and its
/// row). Windows of a list are read from a key on, never by offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct RowKey {
    pub date: Timestamp,
    pub seq: i64,
    // — #13 feeds view —
    /// With `sort = "unread-first"`: 0 unread, 1 read, as the row was read
    /// (so a row marked read keeps its place until the list is read again).
    pub rank: i64,
}

/// One row of the item list: only what the list draws.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ItemRow {
    pub id: ItemId,
    pub title: String,
    pub feed: String,
    pub date: Option<Timestamp>,
    pub read: bool,
    pub saved: bool,
    pub link: Option<String>,
    /// Its place in the list's order.
    pub key: RowKey,
    // — #15 stories —
    /// The item's story as stored (None: not grouped).
    pub story: Option<String>,
    /// How the row stands in a story (`Fold::Alone` with grouping off).
    pub fold: Fold,
}

impl ItemRow {
    /// Unread, or a folded story with an unread item under it (#15): where `n` stops.
    pub fn has_unread(&self) -> bool {
        !self.read || matches!(self.fold, Fold::Folded { unread, .. } if unread > 0)
    }
}

/// How a list row stands in a story (#15).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Fold {
    /// Not grouped with anything in the view.
    #[default]
    Alone,
    /// A story folded into this row, its lead item: the other items' outlets
    /// (short names, earliest first) and how many of them are unread.
    Folded { story: String, others: Vec<String>, unread: usize },
    /// The lead row of an unfolded story (its items follow it).
    Unfolded { story: String },
    /// One of the other items of an unfolded story, under its lead row.
    Member { story: String },
}

impl Fold {
    /// The story of a row that is part of one (with other items in the view).
    pub fn story(&self) -> Option<&str> {
        match self {
            Fold::Alone => None,
            Fold::Folded { story, .. } | Fold::Unfolded { story } | Fold::Member { story } => Some(story),
        }
    }
}

/// Everything the article pane shows about one item.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Article {
    pub id: ItemId,
    pub title: String,
    pub feed: String,
    pub feed_url: String,
    pub link: Option<String>,
    pub author: Option<String>,
    pub published: Option<Timestamp>,
    pub tags: Vec<String>,
    /// The user's own tags on the item (what `t` edits).
    pub user_tags: Vec<String>,
    /// The HTML to render: the content if there is one, else the summary.
    pub html: String,
    /// The article extracted from the item's page, once fetched.
    pub full_html: Option<String>,
    /// Why the last full-text fetch failed (cleared when one succeeds).
    pub full_error: Option<String>,
    /// Media files attached to the item, numbered in the pane from 1.
    pub enclosures: Vec<Enclosure>,
}

/// Counts for the sidebar, straight from the store's aggregates.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Counts {
    pub total: u64,
    pub unread: u64,
    /// Entries in the reading list.
    pub saved: u64,
    /// Tags (the feeds' and the user's) in name order.
    pub tags: Vec<TagCount>,
    /// Feeds whose last fetch failed.
    pub failing: Vec<FeedFailure>,
    /// Every feed of the config, by title, with its counts.
    pub feeds: Vec<FeedCount>,
    /// The saved queries of the config, in the order written.
    pub queries: Vec<QueryCount>,
}

/// A saved query and how many items it matches now.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryCount {
    pub name: String,
    pub query: String,
    pub total: u64,
    pub unread: u64,
}

/// A feed and how many items it holds (dismissed ones not counted).
#[derive(Debug, Clone, PartialEq)]
pub struct FeedCount {
    pub url: String,
    pub title: String,
    pub total: u64,
    pub unread: u64,
    // — #13 feeds view —
    /// Its first tag by name (the sidebar prefers the config's first, when it knows it).
    pub tag: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TagCount {
    pub tag: String,
    pub total: u64,
    pub unread: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FeedFailure {
    pub url: String,
    pub title: String,
    pub error: String,
}

/// An item as the headless `list --json` prints it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemRecord {
    pub id: ItemId,
    pub feed: String,
    pub feed_url: String,
    pub title: String,
    pub link: Option<String>,
    pub author: Option<String>,
    /// RFC 3339, or null when the feed gave no date.
    pub published: Option<String>,
    pub read: bool,
    pub saved: bool,
    pub tags: Vec<String>,
    pub enclosures: Vec<Enclosure>,
}

/// One entry of the reading list: a copy that outlives the item, its feed and its site.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ReadingEntry {
    pub id: ItemId,
    pub title: String,
    pub link: Option<String>,
    /// The feed's title when it was saved; None for a page saved by URL.
    pub feed: Option<String>,
    pub feed_url: Option<String>,
    pub author: Option<String>,
    pub published: Option<Timestamp>,
    pub updated: Option<Timestamp>,
    /// HTML as received.
    pub content: Option<String>,
    /// Extracted article text, when there is one.
    pub full_text: Option<String>,
    pub saved_at: Timestamp,
    /// The item's media files, copied with it.
    #[serde(default)]
    pub enclosures: Vec<Enclosure>,
}

/// Longest user tag kept, in characters.
pub const MAX_TAG_CHARS: usize = 64;

/// User tags as typed, cleaned up: separated by spaces or commas, `#`
/// prefixes and control characters dropped, no duplicates, name order.
pub fn normalize_tags(text: &str) -> Vec<String> {
    let mut tags: Vec<String> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .map(|t| t.trim_start_matches('#'))
        .map(|t| t.chars().filter(|c| !c.is_control()).take(MAX_TAG_CHARS).collect::<String>())
        .filter(|t| !t.is_empty())
        .collect();
    tags.sort_by(|a, b| a.to_lowercase().cmp(&b.to_lowercase()).then_with(|| a.cmp(b)));
    tags.dedup();
    tags
}

/// Tags after adding `add` and removing `remove` (normalised; #13 `:tag +a -b`).
pub fn retag(before: &[String], add: &[String], remove: &[String]) -> Vec<String> {
    let kept = before.iter().filter(|t| !remove.iter().any(|r| r.eq_ignore_ascii_case(t)));
    normalize_tags(&kept.chain(add.iter()).cloned().collect::<Vec<_>>().join(" "))
}

/// RFC 3339 in UTC, e.g. "2024-06-18T21:05:00Z".
pub fn rfc3339(ts: Timestamp) -> Option<String> {
    chrono::DateTime::from_timestamp(ts, 0).map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

/// A feed's health and schedule, for `tidings feeds list` and `tidings stats`.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct FeedHealth {
    pub url: String,
    pub title: String,
    /// The site the feed belongs to, as the feed says.
    pub site_url: Option<String>,
    pub tags: Vec<String>,
    /// HTTP status of the last response, if there was one.
    pub status: Option<u16>,
    /// The last fetch's error in words; None when it succeeded.
    pub error: Option<String>,
    /// Failures in a row.
    pub failures: u32,
    pub last_fetch: Option<Timestamp>,
    pub last_success: Option<Timestamp>,
    pub next_poll: Option<Timestamp>,
    /// Retry-After: not contacted before this.
    pub retry_at: Option<Timestamp>,
    /// Where the feed moved permanently (fetched from there).
    pub moved_to: Option<String>,
    /// Every item stored for it, dismissed ones too.
    pub items: u64,
    /// Its unread items that show (dismissed ones are not counted).
    pub unread: u64,
    /// What the last successful parse had to repair, in words ("3 bare '&'").
    pub repaired: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enclosure_labels() {
        let e = |mime: Option<&str>, length, duration| Enclosure {
            url: "https://p.example/a.mp3".into(),
            mime: mime.map(String::from),
            length,
            duration,
        };
        assert_eq!(e(Some("audio/mpeg"), Some(45_000_000), Some(3733)).label(), "audio/mpeg · 45 MB · 1:02:13");
        assert_eq!(e(Some("video/mp4"), Some(1_260_000_000), Some(59)).label(), "video/mp4 · 1.3 GB · 0:59");
        assert_eq!(e(None, Some(3_400_000), None).label(), "media · 3.4 MB");
        assert!(e(None, None, None).playable(), "by its extension");
        let pdf = Enclosure {
            url: "https://p.example/a.pdf".into(),
            mime: Some("application/pdf".into()),
            ..Default::default()
        };
        assert!(!pdf.playable());
        let list = [pdf.clone(), e(Some("audio/mpeg"), None, None)];
        assert_eq!(enclosure_to_play(&list).map(|e| e.url.as_str()), Some("https://p.example/a.mp3"));
        assert_eq!(enclosure_to_play(&list[..1]), Some(&pdf));
    }
}
