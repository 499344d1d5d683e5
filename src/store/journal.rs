//! The undo journal. Every change the user makes (read/unread, dismiss,
//! mark-all-read, save/unsave, tags) is one entry, written in the same
//! transaction as the change itself. `undo` walks back through the entries,
//! `redo` forward again; a new change drops whatever was undone. The journal
//! lives in the database, so it survives restarts.
//!
//! Bulk changes keep their item list in `journal_items`, so marking 10,000
//! items read, and undoing it, are each one set-based statement.

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};

use super::outbox::{self, SyncField};
use super::sql::{count, insert_saved, remove_saved, write_tags};
use super::{Result, Store, StoreError};
use crate::model::{ItemId, ReadingEntry};

/// Entries kept; older ones are dropped as new ones are written.
pub const KEEP: i64 = 200;

/// One change, with what undoing and redoing it need. Stored as JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub(crate) enum Op {
    /// The entry's items were set to `read` (each was the other way before).
    Read { read: bool },
    /// The entry's items were dismissed; undo gives them back `was_read`.
    Dismiss { was_read: bool },
    /// This copy was added to the reading list.
    Save { entry: ReadingEntry },
    /// This copy was removed from the reading list.
    Unsave { entry: ReadingEntry },
    /// An item's user tags went from `before` to `after`.
    Tags { id: ItemId, before: Vec<String>, after: Vec<String> },
    // — #13 cmdline: bulk changes over a query (`journal_items.prior` per item) —
    /// The entry's items were dismissed; each item's `prior` is its read flag before.
    DismissMany,
    /// The entry's items were copied into the reading list; `prior` is each copy (JSON).
    SaveMany,
    /// Tags added to and removed from the entry's items; `prior` is each item's tags before (JSON).
    TagMany { add: Vec<String>, remove: Vec<String> },
}

/// Which way a walk through the journal goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Walk {
    Undo,
    Redo,
}

/// Starts an entry for `op`: drops the undone entries (a new change ends the
/// redo branch), writes this one and trims the oldest. Returns its number.
pub(crate) fn begin(tx: &Connection, op: &Op, label: &str) -> Result<i64> {
    tx.execute("DELETE FROM journal WHERE undone = 1", [])?;
    let json = serde_json::to_string(op).map_err(|e| StoreError::Journal(e.to_string()))?;
    tx.execute("INSERT INTO journal (at, label, op) VALUES (unixepoch(), ?1, ?2)", params![label, json])?;
    let seq = tx.last_insert_rowid();
    tx.execute("DELETE FROM journal WHERE seq <= ?1", [seq - KEEP])?;
    Ok(seq)
}

/// Writes a complete entry: `op` and the items it changed.
pub(crate) fn record(tx: &Connection, op: &Op, label: &str, items: &[ItemId]) -> Result<i64> {
    let seq = begin(tx, op, label)?;
    let mut stmt = tx.prepare_cached("INSERT OR IGNORE INTO journal_items (entry, item_id) VALUES (?1, ?2)")?;
    for id in items {
        stmt.execute(params![seq, id])?;
    }
    Ok(seq)
}

pub(crate) fn set_label(tx: &Connection, seq: i64, label: &str) -> Result<()> {
    tx.execute("UPDATE journal SET label = ?2 WHERE seq = ?1", params![seq, label])?;
    Ok(())
}

/// `mark read "Title"`, or `mark 12 items unread`.
pub(crate) fn read_label(tx: &Transaction, ids: &[ItemId], read: bool) -> Result<String> {
    let what = if read { "read" } else { "unread" };
    Ok(match ids {
        [one] => format!("mark {what} \"{}\"", title_of(tx, one)?),
        many => format!("mark {} items {what}", many.len()),
    })
}

/// The title of an item, or of a reading-list entry, for labels.
pub(crate) fn title_of(tx: &Connection, id: &str) -> Result<String> {
    let title: Option<String> = tx
        .query_row(
            "SELECT title FROM items WHERE id = ?1 UNION ALL SELECT title FROM reading_list WHERE id = ?1 LIMIT 1",
            [id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(title.unwrap_or_else(|| id.to_string()))
}

/// Applies an entry forwards (redo) or backwards (undo).
fn apply(tx: &Transaction, seq: i64, op: &Op, walk: Walk) -> Result<()> {
    let forward = walk == Walk::Redo;
    const ITEMS: &str = "id IN (SELECT item_id FROM journal_items WHERE entry = ?1)";
    match op {
        Op::Read { read } => {
            let value = if forward { *read } else { !*read };
            tx.execute(&format!("UPDATE items SET read = ?2 WHERE {ITEMS}"), params![seq, value])?;
            outbox::queue_entry(tx, seq, value)?;
        }
        Op::Dismiss { .. } if forward => {
            tx.execute(&format!("UPDATE items SET dismissed = 1, read = 1 WHERE {ITEMS}"), [seq])?;
            outbox::queue_entry(tx, seq, true)?;
        }
        Op::Dismiss { was_read } => {
            tx.execute(&format!("UPDATE items SET dismissed = 0, read = ?2 WHERE {ITEMS}"), params![seq, was_read])?;
            outbox::queue_entry(tx, seq, *was_read)?;
        }
        Op::Save { entry } | Op::Unsave { entry } => {
            let add = matches!(op, Op::Save { .. }) == forward;
            if add {
                insert_saved(tx, entry)?;
            } else {
                remove_saved(tx, &entry.id)?;
            }
            outbox::queue(tx, SyncField::Saved, add, std::slice::from_ref(&entry.id))?;
        }
        Op::Tags { id, before, after } => write_tags(tx, id, if forward { after } else { before })?,
        Op::DismissMany | Op::SaveMany | Op::TagMany { .. } => apply_many(tx, seq, op, forward)?,
    }
    Ok(())
}

/// Applies a bulk entry (#13 cmdline) from its items' `prior` column.
fn apply_many(tx: &Connection, seq: i64, op: &Op, forward: bool) -> Result<()> {
    const ITEMS: &str = "id IN (SELECT item_id FROM journal_items WHERE entry = ?1)";
    match op {
        Op::DismissMany if forward => {
            tx.execute(&format!("UPDATE items SET dismissed = 1, read = 1 WHERE {ITEMS}"), [seq])?;
            outbox::queue_entry(tx, seq, true)?;
        }
        Op::DismissMany => {
            tx.execute(
                &format!(
                    "UPDATE items SET dismissed = 0, read = COALESCE((SELECT j.prior FROM journal_items j
                     WHERE j.entry = ?1 AND j.item_id = items.id), 0) WHERE {ITEMS}"
                ),
                [seq],
            )?;
            outbox::queue_entry_prior(tx, seq)?;
        }
        Op::SaveMany | Op::TagMany { .. } => {
            let rows: Vec<(ItemId, String)> = tx
                .prepare("SELECT item_id, prior FROM journal_items WHERE entry = ?1")?
                .query_map([seq], |r| Ok((r.get(0)?, r.get::<_, Option<String>>(1)?.unwrap_or_default())))?
                .collect::<rusqlite::Result<_>>()?;
            let bad = |e: serde_json::Error| StoreError::Journal(format!("entry {seq}: {e}"));
            for (id, prior) in rows {
                match op {
                    Op::TagMany { add, remove } => {
                        let before: Vec<String> = serde_json::from_str(&prior).map_err(bad)?;
                        let after = crate::model::retag(&before, add, remove);
                        write_tags(tx, &id, if forward { &after } else { &before })?;
                    }
                    _ if forward => {
                        let entry: ReadingEntry = serde_json::from_str(&prior).map_err(bad)?;
                        insert_saved(tx, &entry)?;
                    }
                    _ => remove_saved(tx, &id)?,
                }
            }
            if matches!(op, Op::SaveMany) {
                outbox::queue_journal(tx, seq, SyncField::Saved, forward)?;
            }
        }
        _ => {}
    }
    Ok(())
}

impl Store {
    /// Undoes the newest change not yet undone; returns its label, or None
    /// when there is nothing to undo.
    pub fn undo(&mut self) -> Result<Option<String>> {
        self.walk(Walk::Undo)
    }

    /// Redoes the oldest undone change; returns its label, or None when there
    /// is nothing to redo.
    pub fn redo(&mut self) -> Result<Option<String>> {
        self.walk(Walk::Redo)
    }

    pub fn walk(&mut self, walk: Walk) -> Result<Option<String>> {
        let tx = self.conn.transaction()?;
        let sql = match walk {
            Walk::Undo => "SELECT seq, label, op FROM journal WHERE undone = 0 ORDER BY seq DESC LIMIT 1",
            Walk::Redo => "SELECT seq, label, op FROM journal WHERE undone = 1 ORDER BY seq ASC LIMIT 1",
        };
        let found: Option<(i64, String, String)> =
            tx.query_row(sql, [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).optional()?;
        let Some((seq, label, json)) = found else { return Ok(None) };
        let op: Op = serde_json::from_str(&json).map_err(|e| StoreError::Journal(format!("entry {seq}: {e}")))?;
        apply(&tx, seq, &op, walk)?;
        tx.execute("UPDATE journal SET undone = ?2 WHERE seq = ?1", params![seq, walk == Walk::Undo])?;
        tx.commit()?;
        Ok(Some(label))
    }

    /// How many entries there are to undo and to redo.
    pub fn journal_depth(&self) -> Result<(u64, u64)> {
        Ok(self.conn.query_row(
            "SELECT COALESCE(SUM(undone = 0), 0), COALESCE(SUM(undone = 1), 0) FROM journal",
            [],
            |r| Ok((count(r, 0)?, count(r, 1)?)),
        )?)
    }
}
