//! The outbox: the user's read/saved changes to items that came from a sync
//! server, waiting to be sent there. Written in the same transaction as the
//! change itself (and its journal entry), so a change is never made without
//! being queued, across `kill -9` too. One row per item and field: a newer
//! change replaces an older one (with a new `seq`), so the server is sent
//! the last state, once. Items that did not come from a server have no
//! mapping and queue nothing: without sync, nothing is written here.

use rusqlite::params;

use super::Result;
use crate::model::ItemId;

/// What a queued change is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncField {
    Read,
    Saved,
}

impl SyncField {
    pub(crate) fn name(self) -> &'static str {
        match self {
            SyncField::Read => "read",
            SyncField::Saved => "saved",
        }
    }

    pub(crate) fn parse(name: &str) -> Option<SyncField> {
        match name {
            "read" => Some(SyncField::Read),
            "saved" => Some(SyncField::Saved),
            _ => None,
        }
    }
}

/// Queues `field = value` for these items (those that came from a server).
pub(crate) fn queue(tx: &rusqlite::Connection, field: SyncField, value: bool, ids: &[ItemId]) -> Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT OR REPLACE INTO sync_outbox (server_id, field, value, queued_at)
         SELECT server_id, ?2, ?3, unixepoch() FROM sync_items WHERE item_id = ?1",
    )?;
    for id in ids {
        stmt.execute(params![id, field.name(), value])?;
    }
    Ok(())
}

/// Queues `read = value` for the items of a journal entry (a bulk change).
pub(crate) fn queue_entry(tx: &rusqlite::Connection, entry: i64, value: bool) -> Result<()> {
    tx.execute(
        "INSERT OR REPLACE INTO sync_outbox (server_id, field, value, queued_at)
         SELECT m.server_id, 'read', ?2, unixepoch()
         FROM journal_items j JOIN sync_items m ON m.item_id = j.item_id WHERE j.entry = ?1",
        params![entry, value],
    )?;
    Ok(())
}

// — #13 cmdline —
/// Queues `read` back to each item's `prior` read flag for a bulk entry (undoing a dismiss).
pub(crate) fn queue_entry_prior(tx: &rusqlite::Connection, entry: i64) -> Result<()> {
    tx.execute(
        "INSERT OR REPLACE INTO sync_outbox (server_id, field, value, queued_at)
         SELECT m.server_id, 'read', COALESCE(j.prior, 0), unixepoch()
         FROM journal_items j JOIN sync_items m ON m.item_id = j.item_id WHERE j.entry = ?1",
        [entry],
    )?;
    Ok(())
}

/// Queues `field = value` for every item of a journal entry.
pub(crate) fn queue_journal(tx: &rusqlite::Connection, entry: i64, field: SyncField, value: bool) -> Result<()> {
    tx.execute(
        "INSERT OR REPLACE INTO sync_outbox (server_id, field, value, queued_at)
         SELECT m.server_id, ?2, ?3, unixepoch()
         FROM journal_items j JOIN sync_items m ON m.item_id = j.item_id WHERE j.entry = ?1",
        params![entry, field.name(), value],
    )?;
    Ok(())
}
