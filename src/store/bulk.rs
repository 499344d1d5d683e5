//! Bulk changes over a query (#13, the `:` command line): `:read Q`,
//! `:unread Q`, `:save Q`, `:dismiss Q`, `:tag +a -b Q`. Each is one
//! transaction and ONE journal entry listing the items it changed (so `u`
//! gives all of them back), and queues the sync outbox like the single-item
//! changes do. `count` says beforehand how many items would change.

use rusqlite::{Connection, params, params_from_iter, types::Value};

use super::journal::{self, Op};
use super::outbox::{self, SyncField};
use super::sql::{insert_saved, view_filter, write_tags};
use super::{Result, Store};
use crate::model::{ItemId, Timestamp, View, normalize_tags, retag};

/// What a bulk change does to each item the query matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BulkVerb {
    Read,
    Unread,
    Save,
    Dismiss,
    /// Adds and removes user tags.
    Tag {
        add: Vec<String>,
        remove: Vec<String>,
    },
}

/// A bulk change: a verb over the items a §8 query matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bulk {
    pub verb: BulkVerb,
    pub query: String,
}

impl Bulk {
    /// "mark 412 items read", "tag 3 items +x -y": the change in words for `n` items.
    pub fn describe(&self, n: u64) -> String {
        let items = if n == 1 { "1 item".to_string() } else { format!("{n} items") };
        match &self.verb {
            BulkVerb::Read => format!("mark {items} read"),
            BulkVerb::Unread => format!("mark {items} unread"),
            BulkVerb::Save => format!("save {items} to the reading list"),
            BulkVerb::Dismiss => format!("dismiss {items}"),
            BulkVerb::Tag { add, remove } => {
                let words: Vec<String> =
                    add.iter().map(|t| format!("+{t}")).chain(remove.iter().map(|t| format!("-{t}"))).collect();
                format!("tag {items} {}", words.join(" "))
            }
        }
    }

    /// The WHERE clause (over `items i JOIN feeds f`) of the items this change would change.
    fn filter(&self) -> Result<(String, Vec<Value>)> {
        let (filter, params) = view_filter(&View::Query(self.query.clone()))?;
        let extra = match self.verb {
            BulkVerb::Read => " AND +i.read = 0",
            BulkVerb::Unread => " AND +i.read = 1",
            BulkVerb::Save => " AND +i.saved = 0",
            BulkVerb::Dismiss | BulkVerb::Tag { .. } => "",
        };
        Ok((format!("{filter}{extra}"), params))
    }
}

fn ids_of(conn: &Connection, filter: &str, params: Vec<Value>) -> Result<Vec<ItemId>> {
    let sql = format!("SELECT i.id FROM items i JOIN feeds f ON f.id = i.feed_id WHERE {filter}");
    let mut stmt = conn.prepare(&sql)?;
    let ids = stmt.query_map(params_from_iter(params), |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

impl Store {
    /// The active feeds' titles (for the command line's completion), in name order.
    pub fn feed_titles(&self) -> Result<Vec<String>> {
        let sql = format!(
            "SELECT DISTINCT {} FROM feeds f WHERE f.active = 1 ORDER BY 1 COLLATE NOCASE",
            super::sql::FEED_TITLE
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        Ok(stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?)
    }

    /// The folder the database file is in (the data dir); None in memory.
    pub fn data_dir(&self) -> Option<std::path::PathBuf> {
        let path = self.conn.path().filter(|p| !p.is_empty())?;
        std::path::Path::new(path).parent().map(std::path::Path::to_path_buf)
    }

    /// How many items `bulk` would change now (read-only).
    pub fn bulk_count(&self, bulk: &Bulk) -> Result<u64> {
        let (filter, params) = bulk.filter()?;
        let sql = format!("SELECT COUNT(*) FROM items i JOIN feeds f ON f.id = i.feed_id WHERE {filter}");
        let n: i64 = self.conn.query_row(&sql, params_from_iter(params), |r| r.get(0))?;
        Ok(n.max(0) as u64)
    }

    /// Makes the change as one transaction and one journal entry; returns how
    /// many items changed (0 writes nothing).
    pub fn bulk_apply(&mut self, bulk: &Bulk, now: Timestamp) -> Result<usize> {
        let (filter, params) = bulk.filter()?;
        let tx = self.conn.transaction()?;
        let ids = ids_of(&tx, &filter, params)?;
        let (op, mut changed) = match &bulk.verb {
            BulkVerb::Read | BulkVerb::Unread => (Op::Read { read: bulk.verb == BulkVerb::Read }, Vec::new()),
            BulkVerb::Dismiss => (Op::DismissMany, Vec::new()),
            BulkVerb::Save => (Op::SaveMany, Vec::new()),
            BulkVerb::Tag { add, remove } => {
                let op = Op::TagMany { add: normalize_tags(&add.join(" ")), remove: normalize_tags(&remove.join(" ")) };
                (op, Vec::new())
            }
        };
        if ids.is_empty() {
            return Ok(0);
        }
        let seq = journal::begin(&tx, &op, "")?;
        {
            let mut item =
                tx.prepare_cached("INSERT INTO journal_items (entry, item_id, prior) VALUES (?1, ?2, ?3)")?;
            let mut read_of = tx.prepare_cached("SELECT read FROM items WHERE id = ?1")?;
            for id in &ids {
                let prior: Option<Value> = match &op {
                    Op::Read { read } => {
                        tx.execute("UPDATE items SET read = ?2 WHERE id = ?1", params![id, read])?;
                        None
                    }
                    Op::DismissMany => {
                        let was: bool = read_of.query_row([id], |r| r.get(0))?;
                        tx.execute("UPDATE items SET dismissed = 1, read = 1 WHERE id = ?1", [id])?;
                        Some(Value::Integer(i64::from(was)))
                    }
                    Op::SaveMany => {
                        let Some(copy) = super::reading_list::copy_of(&tx, id, now)? else { continue };
                        insert_saved(&tx, &copy)?;
                        Some(Value::Text(json(&copy)?))
                    }
                    Op::TagMany { add, remove } => {
                        let before = self_tags(&tx, id)?;
                        let after = retag(&before, add, remove);
                        if after == before {
                            continue;
                        }
                        write_tags(&tx, id, &after)?;
                        Some(Value::Text(json(&before)?))
                    }
                    _ => None,
                };
                item.execute(params![seq, id, prior])?;
                changed.push(id.clone());
            }
        }
        if changed.is_empty() {
            return Ok(0); // dropping the transaction rolls the empty entry back
        }
        let n = changed.len();
        let label = format!("{} ({})", bulk.describe(n as u64), crate::article::sanitize::line(&bulk.query));
        journal::set_label(&tx, seq, &label)?;
        match &op {
            Op::Read { read } => outbox::queue_entry(&tx, seq, *read)?,
            Op::DismissMany => outbox::queue_entry(&tx, seq, true)?,
            Op::SaveMany => outbox::queue_journal(&tx, seq, SyncField::Saved, true)?,
            _ => {}
        }
        tx.commit()?;
        Ok(n)
    }
}

fn self_tags(conn: &Connection, id: &str) -> Result<Vec<String>> {
    let mut stmt =
        conn.prepare_cached("SELECT tag FROM item_tags WHERE item_id = ?1 ORDER BY tag COLLATE NOCASE, tag")?;
    Ok(stmt.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?)
}

fn json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| super::StoreError::Journal(e.to_string()))
}

#[cfg(test)]
#[path = "bulk_tests.rs"]
mod tests;
