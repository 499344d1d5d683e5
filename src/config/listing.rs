//! `[ui] feeds`: how the sidebar's Feeds section is laid out (issue 13, feeds view).

use serde::Deserialize;

/// The sidebar's Feeds section: each feed under its first tag, one flat list, or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum FeedsMode {
    /// Under a line per first tag (feeds without tags last, ungrouped).
    #[default]
    Grouped,
    /// One list by title.
    Flat,
    /// No Feeds section: only failing feeds are listed, after the tags.
    Hidden,
}

/// The list's order (`[ui] sort`; `O` cycles it). Every order ends with the
/// date, newest first, then the arrival, so it is total and new items land
/// in their place without moving the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum SortOrder {
    /// Newest first.
    #[default]
    Date,
    /// By feed title, each feed's newest first.
    Feed,
    /// By item title (case ignored), then newest first.
    Title,
    /// Unread items first, each part newest first.
    UnreadFirst,
}

impl SortOrder {
    /// The order `O` goes to next.
    pub fn next(self) -> SortOrder {
        match self {
            SortOrder::Date => SortOrder::Feed,
            SortOrder::Feed => SortOrder::Title,
            SortOrder::Title => SortOrder::UnreadFirst,
            SortOrder::UnreadFirst => SortOrder::Date,
        }
    }

    /// As written in the config, and shown in the list's title.
    pub fn name(self) -> &'static str {
        match self {
            SortOrder::Date => "date",
            SortOrder::Feed => "feed",
            SortOrder::Title => "title",
            SortOrder::UnreadFirst => "unread-first",
        }
    }
}
