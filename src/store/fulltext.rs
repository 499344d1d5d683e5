//! Full text: the article extracted from each item's page, kept beside the
//! item (`items.full_html` for reading, `items.full_text` for search).

use rusqlite::{OptionalExtension, params};

use super::{Result, Store};
use crate::article::extract::Extracted;
use crate::model::{ItemId, Timestamp};

/// An item whose page should be fetched for its full text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FullTextWanted {
    pub id: ItemId,
    pub link: String,
}

impl Store {
    /// Keeps an item's extracted article; clears any earlier failure.
    pub fn set_full_text(&mut self, id: &str, full: &Extracted, now: Timestamp) -> Result<bool> {
        let n = self.conn.execute(
            "UPDATE items SET full_html = ?2, full_text = ?3, full_fetched = ?4, full_error = NULL WHERE id = ?1",
            params![id, full.html, full.text, now],
        )?;
        Ok(n == 1)
    }

    /// Remembers why an item's full text could not be had (an earlier
    /// success is kept: a page that went away does not take the text with it).
    pub fn record_full_text_error(&mut self, id: &str, error: &str, now: Timestamp) -> Result<()> {
        self.conn.execute(
            "UPDATE items SET full_error = ?2, full_fetched = ?3 WHERE id = ?1 AND full_html IS NULL",
            params![id, error, now],
        )?;
        Ok(())
    }

    /// The extracted HTML of an item, if it has been fetched.
    pub fn full_html(&self, id: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT full_html FROM items WHERE id = ?1", [id], |r| r.get::<_, Option<String>>(0))
            .optional()?
            .flatten())
    }

    /// Unread items of a feed with a link and neither full text nor a failed
    /// attempt, newest first: what prefetch fetches.
    pub fn full_text_wanted(&self, feed_url: &str, limit: usize) -> Result<Vec<FullTextWanted>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT i.id, i.link FROM items i JOIN feeds f ON f.id = i.feed_id
             WHERE f.url = ?1 AND i.read = 0 AND i.full_html IS NULL AND i.full_error IS NULL
               AND i.link IS NOT NULL AND i.link != ''
             ORDER BY i.sort_date DESC, i.seq DESC LIMIT ?2",
        )?;
        let rows =
            stmt.query_map(params![feed_url, limit as i64], |r| Ok(FullTextWanted { id: r.get(0)?, link: r.get(1)? }))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
