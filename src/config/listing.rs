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
