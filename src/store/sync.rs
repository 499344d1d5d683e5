//! Sync state in the store: server feeds and items mapped to local ones,
//! the outbox read back and emptied, the server's read/saved state laid over
//! the local one, and the last sync's result.
//!
//! Every write here is its own short `BEGIN IMMEDIATE` transaction (a page
//! of items at most), so the sync, which runs on its own connection beside
//! the reader's, never holds the database for long and never fails on a
//! lock upgrade.

use rusqlite::types::FromSql;
use rusqlite::{Connection, OptionalExtension, ToSql, Transaction, TransactionBehavior, params};
use serde::Serialize;

use super::outbox::SyncField;
use super::sql::hashed_id;
use super::{Result, Store, reading_list};
use crate::model::Timestamp;
use crate::sync::{ServerFeed, ServerItem};

/// A change waiting to be sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutboxEntry {
    /// Identifies this version of the change: a newer one for the same item replaces it.
    pub seq: i64,
    pub server_id: i64,
    pub field: SyncField,
    pub value: bool,
}

/// What laying the server's state over the local one changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Reconciled {
    /// Items read on the server, unread here until now.
    pub read: usize,
    /// Items unread on the server, read here until now.
    pub unread: usize,
    /// Items saved on the server, copied into the reading list.
    pub saved: usize,
}

impl Reconciled {
    pub fn any(&self) -> bool {
        self.read + self.unread + self.saved > 0
    }
}

/// The sync's health, for `stats` and the reader.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SyncStatus {
    /// Kind, server and user the local sync state belongs to.
    pub account: Option<String>,
    pub last_attempt: Option<Timestamp>,
    pub last_success: Option<Timestamp>,
    /// Why the last sync failed; None when it worked.
    pub error: Option<String>,
    /// Failed syncs in a row.
    pub failures: u32,
    /// What the last successful sync did, in words.
    pub summary: Option<String>,
    /// Changes waiting to be sent.
    pub outbox: u64,
    /// Items that came from the server.
    pub items: u64,
}

fn get<T: FromSql>(conn: &Connection, key: &str) -> Result<Option<T>> {
    Ok(conn
        .query_row("SELECT value FROM sync_state WHERE key = ?1", [key], |r| r.get::<_, Option<T>>(0))
        .optional()?
        .flatten())
}

fn set(conn: &Connection, key: &str, value: impl ToSql) -> Result<()> {
    conn.execute("INSERT OR REPLACE INTO sync_state (key, value) VALUES (?1, ?2)", params![key, value])?;
    Ok(())
}

/// True when new items enter the search index by trigger (else the code
/// that inserts them writes the index itself).
fn indexed_by_trigger(tx: &Transaction) -> Result<bool> {
    Ok(tx
        .query_row("SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = 'items_fts_insert'", [], |_| Ok(()))
        .optional()?
        .is_some())
}

/// A server group as a local tag: words joined by '-', no '#'.
fn group_tag(group: &str) -> Option<String> {
    let tag = group.split_whitespace().collect::<Vec<_>>().join("-");
    let tag = tag.trim_start_matches('#').chars().filter(|c| !c.is_control()).collect::<String>();
    (!tag.is_empty()).then_some(tag)
}

/// The local feed of a server feed, created (as a bare placeholder) if the
/// server sent items of a feed it did not list.
fn local_feed(tx: &Transaction, server_feed: i64) -> Result<i64> {
    let mapped: Option<i64> = tx
        .prepare_cached("SELECT feed_id FROM sync_feeds WHERE server_id = ?1")?
        .query_row([server_feed], |r| r.get(0))
        .optional()?;
    if let Some(id) = mapped {
        return Ok(id);
    }
    let url = format!("sync-feed:{server_feed}");
    tx.execute("INSERT INTO feeds (url, active) VALUES (?1, 1) ON CONFLICT(url) DO UPDATE SET active = 1", [&url])?;
    let id: i64 = tx.query_row("SELECT id FROM feeds WHERE url = ?1", [&url], |r| r.get(0))?;
    tx.execute("INSERT OR REPLACE INTO sync_feeds (server_id, feed_id) VALUES (?1, ?2)", params![server_feed, id])?;
    Ok(id)
}

impl Store {
    fn immediate(&mut self) -> Result<Transaction<'_>> {
        Ok(self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?)
    }

    /// Starts a sync for `account`. When the local sync state belongs to
    /// another one, it is dropped (mapping, outbox, newest id): the items
    /// stay, unmapped. Returns true when that happened.
    pub fn sync_begin(&mut self, account: &str, now: Timestamp) -> Result<bool> {
        let tx = self.immediate()?;
        let current: Option<String> = get(&tx, "account")?;
        let reset = current.as_deref().is_some_and(|c| c != account);
        if reset {
            tx.execute_batch(
                "DELETE FROM sync_items; DELETE FROM sync_feeds; DELETE FROM sync_outbox;
                 DELETE FROM sync_state WHERE key IN ('high_water', 'last_success', 'last_summary');",
            )?;
        }
        set(&tx, "account", account)?;
        set(&tx, "last_attempt", now)?;
        tx.commit()?;
        Ok(reset)
    }

    /// The highest server item id stored (0 before the first sync).
    pub fn sync_high_water(&self) -> Result<i64> {
        Ok(get(&self.conn, "high_water")?.unwrap_or(0))
    }

    /// Makes the server's feed list the local one: feeds are added or
    /// updated (title, site, groups as tags) and marked healthy; feeds no
    /// longer on the server leave the views (their items stay). Returns how
    /// many feeds were new.
    pub fn sync_store_feeds(&mut self, feeds: &[ServerFeed], now: Timestamp) -> Result<usize> {
        let tx = self.immediate()?;
        let mut new = 0;
        for f in feeds {
            let url = if f.url.trim().is_empty() { format!("sync-feed:{}", f.id) } else { f.url.clone() };
            let mapped: Option<i64> =
                tx.query_row("SELECT feed_id FROM sync_feeds WHERE server_id = ?1", [f.id], |r| r.get(0)).optional()?;
            let feed_id = match mapped {
                Some(id) => {
                    // The feed moved on the server: follow it unless that URL is another row's.
                    tx.execute(
                        "UPDATE feeds SET url = ?2 WHERE id = ?1 AND url != ?2
                           AND NOT EXISTS (SELECT 1 FROM feeds WHERE url = ?2)",
                        params![id, url],
                    )?;
                    id
                }
                None => {
                    tx.execute("INSERT INTO feeds (url, active) VALUES (?1, 1) ON CONFLICT(url) DO NOTHING", [&url])?;
                    let id: i64 = tx.query_row("SELECT id FROM feeds WHERE url = ?1", [&url], |r| r.get(0))?;
                    tx.execute(
                        "INSERT OR REPLACE INTO sync_feeds (server_id, feed_id) VALUES (?1, ?2)",
                        params![f.id, id],
                    )?;
                    new += 1;
                    id
                }
            };
            let title = Some(f.title.trim()).filter(|t| !t.is_empty());
            tx.execute(
                "UPDATE feeds SET title = COALESCE(?2, title), site_url = COALESCE(?3, site_url), active = 1,
                     last_error = NULL, last_fetch = ?4, last_success = ?4, fail_count = 0
                 WHERE id = ?1",
                params![feed_id, title, f.site_url, now],
            )?;
            tx.execute("DELETE FROM feed_tags WHERE feed_id = ?1", [feed_id])?;
            for tag in f.groups.iter().filter_map(|g| group_tag(g)) {
                tx.execute("INSERT OR IGNORE INTO feed_tags (feed_id, tag) VALUES (?1, ?2)", params![feed_id, tag])?;
            }
        }
        let listed: Vec<i64> = feeds.iter().map(|f| f.id).collect();
        let gone: Vec<(i64, i64)> = tx
            .prepare("SELECT server_id, feed_id FROM sync_feeds")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?
            .into_iter()
            .filter(|(s, _)| !listed.contains(s))
            .collect();
        for (server_id, feed_id) in gone {
            tx.execute("UPDATE feeds SET active = 0 WHERE id = ?1", [feed_id])?;
            tx.execute("DELETE FROM sync_feeds WHERE server_id = ?1", [server_id])?;
        }
        tx.commit()?;
        Ok(new)
    }

    /// Stores a page of server items in one transaction: new ones with the
    /// server's read and saved state (a saved one is copied into the reading
    /// list), known ones get their text refreshed and keep their state.
    /// Each item's id is stable (derived from the account and the server's
    /// id). Returns how many were new.
    pub fn sync_store_items(&mut self, items: &[ServerItem], now: Timestamp) -> Result<usize> {
        // #13: `[[mute]]` rules apply to the server's new unread items too.
        let mut mute = super::mute::MuteRules::compile(&self.mute);
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // — #15 stories — the server's new items are grouped too, oldest first.
        let stories = &mut self.stories;
        stories.prepare(&tx, now)?;
        let mut items: Vec<&ServerItem> = items.iter().collect();
        items.sort_by_key(|i| i.created.unwrap_or(now));
        let account: String = get(&tx, "account")?.unwrap_or_default();
        let scope = format!("sync:{account}");
        let manual_index = !indexed_by_trigger(&tx)?;
        let mut new = 0;
        let mut high = get::<i64>(&tx, "high_water")?.unwrap_or(0);
        for item in items {
            let feed_id = local_feed(&tx, item.feed_id)?;
            let id = hashed_id(&scope, &item.id.to_string());
            let title = match item.title.trim() {
                "" => item.url.clone().unwrap_or_else(|| "(no title)".into()),
                t => t.to_string(),
            };
            let inserted = tx
                .prepare_cached(
                    "INSERT INTO items (id, feed_id, key, title, link, author, published, content,
                                        first_seen, sort_date, read, last_seen)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?9)
                     ON CONFLICT DO NOTHING",
                )?
                .execute(params![
                    id,
                    feed_id,
                    format!("sync:{}", item.id),
                    title,
                    item.url,
                    item.author,
                    item.created,
                    item.html,
                    now,
                    item.created.unwrap_or(now),
                    item.is_read,
                ])?;
            if inserted == 1 {
                new += 1;
                if let Some(sig) = stories.sign(None, &title, item.html.as_deref()) {
                    let at = super::stories::Placed { id: &id, feed_id, sort_date: item.created.unwrap_or(now) };
                    stories.assign(&tx, tx.last_insert_rowid(), at, &sig, now)?;
                }
                if manual_index {
                    tx.prepare_cached(
                        "INSERT INTO items_fts (rowid, title, body, author, full_text)
                         VALUES (last_insert_rowid(), ?1, tidings_plain(?2), ?3, NULL)",
                    )?
                    .execute(params![title, item.html, item.author])?;
                }
                if item.is_saved
                    && reading_list::load(&tx, &id)?.is_none()
                    && let Some(copy) = reading_list::copy_of(&tx, &id, now)?
                {
                    super::sql::insert_saved(&tx, &copy)?;
                }
            } else {
                tx.prepare_cached(
                    "UPDATE items SET title = ?2, link = ?3, author = ?4, published = ?5, content = ?6 WHERE id = ?1",
                )?
                .execute(params![id, title, item.url, item.author, item.created, item.html])?;
            }
            tx.prepare_cached("INSERT OR REPLACE INTO sync_items (server_id, item_id) VALUES (?1, ?2)")?
                .execute(params![item.id, id])?;
            if inserted == 1 && !item.is_read && !mute.is_empty() && mute.check(&tx, &id)? {
                // Dismissed is read here: the server hears so, as for `d`.
                super::outbox::queue(&tx, super::outbox::SyncField::Read, true, std::slice::from_ref(&id))?;
            }
            high = high.max(item.id);
        }
        mute.before_commit(&tx)?;
        set(&tx, "high_water", high)?;
        tx.commit()?;
        Ok(new)
    }

    /// Of these server ids, the ones no local item stands for.
    pub fn sync_unknown(&self, ids: &[i64]) -> Result<Vec<i64>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT 1 FROM sync_items m JOIN items i ON i.id = m.item_id WHERE m.server_id = ?1")?;
        let mut unknown = Vec::new();
        for &id in ids {
            if stmt.query_row([id], |_| Ok(())).optional()?.is_none() {
                unknown.push(id);
            }
        }
        Ok(unknown)
    }

    /// Up to `limit` changes waiting to be sent, oldest first, from after `after`.
    pub fn outbox(&self, after: i64, limit: usize) -> Result<Vec<OutboxEntry>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT seq, server_id, field, value FROM sync_outbox WHERE seq > ?1 ORDER BY seq LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![after, limit as i64], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?, r.get::<_, bool>(3)?))
        })?;
        let mut entries = Vec::new();
        for row in rows {
            let (seq, server_id, field, value) = row?;
            if let Some(field) = SyncField::parse(&field) {
                entries.push(OutboxEntry { seq, server_id, field, value });
            }
        }
        Ok(entries)
    }

    /// Takes sent changes out of the outbox (a change made again meanwhile
    /// has a new `seq` and stays).
    pub fn outbox_done(&mut self, sent: &[OutboxEntry]) -> Result<()> {
        let tx = self.immediate()?;
        {
            let mut stmt = tx.prepare_cached("DELETE FROM sync_outbox WHERE seq = ?1")?;
            for e in sent {
                stmt.execute([e.seq])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Changes waiting to be sent.
    pub fn outbox_len(&self) -> Result<u64> {
        Ok(self.conn.query_row("SELECT COUNT(*) FROM sync_outbox", [], |r| super::sql::count(r, 0))?)
    }

    /// Lays the server's state over the local one: items are read unless
    /// the server lists them unread; items the server lists saved are copied
    /// into the reading list. A server's unsave takes nothing out of the
    /// reading list (it keeps its own copies). Items with a change of the
    /// user's waiting in the outbox keep their local state: it is newer.
    /// Not journalled: `u` undoes the user's changes, not the server's.
    pub fn sync_reconcile(&mut self, unread: &[i64], saved: &[i64], now: Timestamp) -> Result<Reconciled> {
        let tx = self.immediate()?;
        tx.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS sync_unread (id INTEGER PRIMARY KEY);
             CREATE TEMP TABLE IF NOT EXISTS sync_saved (id INTEGER PRIMARY KEY);
             DELETE FROM temp.sync_unread; DELETE FROM temp.sync_saved;",
        )?;
        for (table, ids) in [("sync_unread", unread), ("sync_saved", saved)] {
            let mut stmt = tx.prepare(&format!("INSERT OR IGNORE INTO temp.{table} (id) VALUES (?1)"))?;
            for id in ids {
                stmt.execute([id])?;
            }
        }
        const PENDING_READ: &str = "SELECT server_id FROM sync_outbox WHERE field = 'read'";
        let read = tx.execute(
            &format!(
                "UPDATE items SET read = 1 WHERE read = 0 AND id IN (
                     SELECT m.item_id FROM sync_items m
                     WHERE m.server_id NOT IN (SELECT id FROM temp.sync_unread)
                       AND m.server_id NOT IN ({PENDING_READ}))"
            ),
            [],
        )?;
        let unread = tx.execute(
            &format!(
                "UPDATE items SET read = 0 WHERE read = 1 AND id IN (
                     SELECT m.item_id FROM temp.sync_unread u JOIN sync_items m ON m.server_id = u.id
                     WHERE u.id NOT IN ({PENDING_READ}))"
            ),
            [],
        )?;
        let to_save: Vec<String> = tx
            .prepare(
                "SELECT m.item_id FROM temp.sync_saved s JOIN sync_items m ON m.server_id = s.id
                 WHERE NOT EXISTS (SELECT 1 FROM reading_list r WHERE r.id = m.item_id)
                   AND s.id NOT IN (SELECT server_id FROM sync_outbox WHERE field = 'saved')",
            )?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut saved = 0;
        for id in to_save {
            if let Some(copy) = reading_list::copy_of(&tx, &id, now)? {
                super::sql::insert_saved(&tx, &copy)?;
                saved += 1;
            }
        }
        tx.execute_batch("DELETE FROM temp.sync_unread; DELETE FROM temp.sync_saved;")?;
        tx.commit()?;
        Ok(Reconciled { read, unread, saved })
    }

    /// Remembers how a sync ended: a summary in words, or why it failed.
    pub fn record_sync(&mut self, outcome: std::result::Result<&str, &str>, now: Timestamp) -> Result<()> {
        let tx = self.immediate()?;
        match outcome {
            Ok(summary) => {
                set(&tx, "last_success", now)?;
                set(&tx, "last_summary", summary)?;
                tx.execute("DELETE FROM sync_state WHERE key IN ('last_error', 'failures')", [])?;
            }
            Err(error) => {
                set(&tx, "last_error", error)?;
                let failures: i64 = get(&tx, "failures")?.unwrap_or(0);
                set(&tx, "failures", failures + 1)?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The sync's health and the outbox's length.
    pub fn sync_status(&self) -> Result<SyncStatus> {
        let items = self.conn.query_row("SELECT COUNT(*) FROM sync_items", [], |r| super::sql::count(r, 0))?;
        Ok(SyncStatus {
            account: get(&self.conn, "account")?,
            last_attempt: get(&self.conn, "last_attempt")?,
            last_success: get(&self.conn, "last_success")?,
            error: get(&self.conn, "last_error")?,
            failures: get::<i64>(&self.conn, "failures")?.unwrap_or(0).clamp(0, u32::MAX as i64) as u32,
            summary: get(&self.conn, "last_summary")?,
            outbox: self.outbox_len()?,
            items,
        })
    }

    /// With `[sync]`, the server's feeds are the ones shown (and the
    /// config's are not): called at start instead of `sync_feeds`.
    pub fn activate_sync_feeds(&mut self) -> Result<()> {
        self.conn.execute("UPDATE feeds SET active = (id IN (SELECT feed_id FROM sync_feeds))", [])?;
        Ok(())
    }

    /// Another full connection to the same database file (for the sync,
    /// which writes beside the reader's loop); None for in-memory stores.
    pub fn open_another(&self) -> Result<Option<Store>> {
        match self.conn.path().filter(|p| !p.is_empty()) {
            Some(path) => {
                let mut store = Store::open(std::path::Path::new(path))?;
                store.mute = self.mute.clone();
                if let Some(config) = self.stories.config() {
                    store.set_stories(config.clone());
                }
                Ok(Some(store))
            }
            None => Ok(None),
        }
    }
}

#[cfg(test)]
#[path = "sync_tests.rs"]
mod tests;
