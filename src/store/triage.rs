//! The user's changes to items beyond read/unread: dismiss, mark a whole view
//! read, and user tags. Each is one transaction and one journal entry.

use rusqlite::{OptionalExtension, params_from_iter};

use super::journal::{self, Op};
use super::outbox::{self, SyncField};
use super::sql::{view_filter, write_tags};
use super::{Result, Store};
use crate::model::{View, normalize_tags};

fn read_tags(conn: &rusqlite::Connection, id: &str) -> Result<Vec<String>> {
    let mut stmt =
        conn.prepare_cached("SELECT tag FROM item_tags WHERE item_id = ?1 ORDER BY tag COLLATE NOCASE, tag")?;
    Ok(stmt.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?)
}

impl Store {
    /// Dismisses an item: read, and hidden from every item view (the reading
    /// list still shows it if it was saved). False when there was no such
    /// item or it was already dismissed.
    pub fn dismiss(&mut self, id: &str) -> Result<bool> {
        let tx = self.conn.transaction()?;
        let was_read: Option<bool> =
            tx.query_row("SELECT read FROM items WHERE id = ?1 AND dismissed = 0", [id], |r| r.get(0)).optional()?;
        let Some(was_read) = was_read else { return Ok(false) };
        tx.execute("UPDATE items SET dismissed = 1, read = 1 WHERE id = ?1", [id])?;
        let label = format!("dismiss \"{}\"", journal::title_of(&tx, id)?);
        journal::record(&tx, &Op::Dismiss { was_read }, &label, &[id.to_string()])?;
        outbox::queue(&tx, SyncField::Read, true, &[id.to_string()])?;
        tx.commit()?;
        Ok(true)
    }

    /// Marks every unread item of a view read, as one journal entry; returns
    /// how many there were (0 writes nothing).
    pub fn mark_view_read(&mut self, view: &View) -> Result<usize> {
        let (filter, params) = view_filter(view)?;
        let tx = self.conn.transaction()?;
        let seq = journal::begin(&tx, &Op::Read { read: true }, "")?;
        let n = tx.execute(
            &format!(
                "INSERT INTO journal_items (entry, item_id)
                 SELECT {seq}, i.id FROM items i JOIN feeds f ON f.id = i.feed_id WHERE {filter} AND +i.read = 0"
            ),
            params_from_iter(params),
        )?;
        if n == 0 {
            return Ok(0); // dropping the transaction rolls the empty entry back
        }
        tx.execute(
            "UPDATE items SET read = 1 WHERE id IN (SELECT item_id FROM journal_items WHERE entry = ?1)",
            [seq],
        )?;
        let label = match n {
            1 => {
                let id: String =
                    tx.query_row("SELECT item_id FROM journal_items WHERE entry = ?1", [seq], |r| r.get(0))?;
                journal::read_label(&tx, &[id], true)?
            }
            n => format!("mark {n} items read"),
        };
        journal::set_label(&tx, seq, &label)?;
        outbox::queue_entry(&tx, seq, true)?;
        tx.commit()?;
        Ok(n)
    }

    /// True when an item has this id.
    pub fn has_item(&self, id: &str) -> Result<bool> {
        Ok(self.conn.query_row("SELECT 1 FROM items WHERE id = ?1", [id], |_| Ok(())).optional()?.is_some())
    }

    /// An item's (or reading-list entry's) own tags, in name order.
    pub fn user_tags(&self, id: &str) -> Result<Vec<String>> {
        read_tags(&self.conn, id)
    }

    /// Every tag of an item: its feed's and the user's, in name order.
    pub fn all_tags(&self, id: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT t.tag FROM feed_tags t JOIN items i ON i.feed_id = t.feed_id WHERE i.id = ?1
             UNION SELECT tag FROM item_tags WHERE item_id = ?1 ORDER BY 1 COLLATE NOCASE, 1",
        )?;
        Ok(stmt.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?)
    }

    /// Sets an item's user tags (normalised) as one journal entry. False when
    /// they were already those.
    pub fn set_tags(&mut self, id: &str, tags: &[String]) -> Result<bool> {
        let after = normalize_tags(&tags.join(" "));
        let tx = self.conn.transaction()?;
        let before = read_tags(&tx, id)?;
        if before == after {
            return Ok(false);
        }
        write_tags(&tx, id, &after)?;
        let label = format!("tag \"{}\"", journal::title_of(&tx, id)?);
        journal::record(&tx, &Op::Tags { id: id.to_string(), before, after }, &label, &[])?;
        tx.commit()?;
        Ok(true)
    }
}
