//! `[stories]`: grouping items about the same event into one row (#15).

use std::time::Duration;

use serde::Deserialize;

use crate::stories::{Count, StoriesConfig};

/// The `[stories]` table as written.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StoriesTable {
    /// Group at all; `false` shows every item as its own row.
    pub enabled: bool,
    /// Outlets (feed titles or URLs) whose item leads a story's row, most preferred first.
    pub prefer: Vec<String>,
    /// What unread counts count: "stories" (a story counts once) or "items".
    pub count: CountName,
    /// Items further apart than this never group.
    #[serde(deserialize_with = "super::de_duration")]
    pub window: Duration,
}

/// `count = "stories" | "items"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum CountName {
    #[default]
    Stories,
    Items,
}

impl Default for StoriesTable {
    fn default() -> StoriesTable {
        StoriesTable {
            enabled: true,
            prefer: Vec::new(),
            count: CountName::Stories,
            window: Duration::from_secs(72 * 3600),
        }
    }
}

/// Shortest and longest window.
const MIN_WINDOW: Duration = Duration::from_secs(3600);
const MAX_WINDOW: Duration = Duration::from_secs(30 * 24 * 3600);

impl StoriesTable {
    /// The settings the store and the list use.
    pub fn config(&self) -> StoriesConfig {
        StoriesConfig {
            enabled: self.enabled,
            window_hours: u32::try_from(self.window.as_secs() / 3600).unwrap_or(u32::MAX),
            prefer: self.prefer.clone(),
            count: match self.count {
                CountName::Stories => Count::Stories,
                CountName::Items => Count::Items,
            },
        }
    }
}

/// What is wrong with a `[stories]` table: the key and the message.
pub fn check(table: &StoriesTable) -> Result<(), (&'static str, String)> {
    if table.window < MIN_WINDOW || table.window > MAX_WINDOW {
        return Err(("window", "must be between 1h and 30days".into()));
    }
    if table.prefer.iter().any(|p| p.trim().is_empty()) {
        return Err(("prefer", "must not hold an empty name".into()));
    }
    Ok(())
}
