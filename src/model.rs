//! The data that flows between the poller, the store, the state machine and
//! the screen. Plain values, no behaviour beyond small helpers.

use serde::Serialize;

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
}

/// Which items the list shows. Sidebar entries are views; every view is a
/// query (`query::view_expr`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum View {
    All,
    Unread,
    Tag(String),
    Feed(String),
    /// A query in the §8 language, as typed (the `/` filter, saved queries).
    Query(String),
}

/// One row of the item list: only what the list draws.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemRow {
    pub id: ItemId,
    pub title: String,
    pub feed: String,
    pub date: Option<Timestamp>,
    pub read: bool,
    pub saved: bool,
    pub link: Option<String>,
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
    /// The HTML to render: the content if there is one, else the summary.
    pub html: String,
}

/// Counts for the sidebar, straight from the store's aggregates.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Counts {
    pub total: u64,
    pub unread: u64,
    /// Tags in name order.
    pub tags: Vec<TagCount>,
    /// Feeds whose last fetch failed.
    pub failing: Vec<FeedFailure>,
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
}

/// RFC 3339 in UTC, e.g. "2024-06-18T21:05:00Z".
pub fn rfc3339(ts: Timestamp) -> Option<String> {
    chrono::DateTime::from_timestamp(ts, 0).map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}
