//! Retention: old read items go, so the database does not grow without end.
//! Never removed: unread items, saved items (and the reading list, which is
//! its own table), and items the feed still carries — those would only come
//! back as new, unread items on the next fetch.

use rusqlite::params;

use super::{Result, Store};
use crate::model::Timestamp;

const DAY: i64 = 86_400;

impl Store {
    /// Removes read, unsaved items that the feed no longer carries and that
    /// were first seen more than `keep_read_days` ago or are beyond the newest
    /// `max_items_per_feed` of their feed. 0 turns either rule off. Returns
    /// how many items were removed.
    pub fn prune(&mut self, keep_read_days: u32, max_items_per_feed: u32, now: Timestamp) -> Result<usize> {
        // What may go at all: read, unsaved, and not carried by the feed's latest fetch.
        const REMOVABLE: &str = "i.read = 1 AND i.saved = 0
            AND NOT EXISTS (SELECT 1 FROM reading_list s WHERE s.id = i.id)
            AND COALESCE(i.last_seen, i.first_seen)
                < COALESCE((SELECT f.last_carried FROM feeds f WHERE f.id = i.feed_id), 0)";
        let tx = self.conn.transaction()?;
        let mut removed = 0;
        if keep_read_days > 0 {
            let cutoff = now - i64::from(keep_read_days) * DAY;
            removed += tx.execute(
                &format!(
                    "DELETE FROM items WHERE seq IN (SELECT i.seq FROM items i WHERE i.first_seen < ?1 AND {REMOVABLE})"
                ),
                [cutoff],
            )?;
        }
        if max_items_per_feed > 0 {
            // Only feeds over the cap (by their kept counts) are looked at item by item.
            let over: Vec<i64> = tx
                .prepare("SELECT feed_id FROM feed_counts WHERE stored > ?1")?
                .query_map([max_items_per_feed], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for feed_id in over {
                removed += tx.execute(
                    &format!(
                        "DELETE FROM items WHERE seq IN (
                             SELECT i.seq FROM (SELECT seq FROM items WHERE feed_id = ?1
                                                ORDER BY sort_date DESC, seq DESC LIMIT -1 OFFSET ?2) beyond
                             JOIN items i ON i.seq = beyond.seq WHERE {REMOVABLE})"
                    ),
                    params![feed_id, max_items_per_feed],
                )?;
            }
        }
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
