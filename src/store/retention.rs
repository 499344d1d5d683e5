//! Retention: old read items go, so the database does not grow without end.
//! Never removed: unread items, saved items (and the reading list, which is
//! its own table), and items the feed still carries — those would only come
//! back as new, unread items on the next fetch.

use rusqlite::{Transaction, params};

use super::{Result, Store};
use crate::model::Timestamp;

const DAY: i64 = 86_400;

/// Notes that the feed's latest fetch (at `now`) carried these items, and no others.
pub(crate) fn mark_seen<'a>(
    tx: &Transaction,
    feed_id: i64,
    keys: impl Iterator<Item = &'a str>,
    now: Timestamp,
) -> Result<()> {
    let mut stmt = tx.prepare_cached("UPDATE items SET last_seen = ?3 WHERE feed_id = ?1 AND key = ?2")?;
    for key in keys {
        stmt.execute(params![feed_id, key, now])?;
    }
    tx.execute("UPDATE feeds SET last_carried = ?2 WHERE id = ?1", params![feed_id, now])?;
    Ok(())
}

impl Store {
    /// Removes read, unsaved items that the feed no longer carries and that
    /// were first seen more than `keep_read_days` ago or are beyond the newest
    /// `max_items_per_feed` of their feed. 0 turns either rule off. Returns
    /// how many items were removed.
    pub fn prune(&mut self, keep_read_days: u32, max_items_per_feed: u32, now: Timestamp) -> Result<usize> {
        let cutoff = now - i64::from(keep_read_days) * DAY;
        let tx = self.conn.transaction()?;
        let removed = tx.execute(
            "WITH ranked AS (SELECT seq, ROW_NUMBER() OVER (PARTITION BY feed_id ORDER BY sort_date DESC, seq DESC) AS n
                             FROM items)
             DELETE FROM items WHERE seq IN (
                 SELECT i.seq FROM items i
                 JOIN feeds f ON f.id = i.feed_id
                 JOIN ranked r ON r.seq = i.seq
                 WHERE i.read = 1 AND i.saved = 0
                   AND NOT EXISTS (SELECT 1 FROM reading_list s WHERE s.id = i.id)
                   AND COALESCE(i.last_seen, i.first_seen) < COALESCE(f.last_carried, 0)
                   AND ((?1 > 0 AND i.first_seen < ?2) OR (?3 > 0 AND r.n > ?3)))",
            params![keep_read_days, cutoff, max_items_per_feed],
        )?;
        if removed > 0 {
            tx.execute(
                "DELETE FROM item_tags WHERE item_id NOT IN (SELECT id FROM items)
                   AND item_id NOT IN (SELECT id FROM reading_list)",
                [],
            )?;
        }
        tx.commit()?;
        Ok(removed)
    }
}
