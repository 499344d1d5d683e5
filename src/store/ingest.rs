//! Storing fetched feeds, in bounded transactions.
//!
//! A feed is stored in chunks of at most `CHUNK_ITEMS` items or `CHUNK_TIME`,
//! each its own `BEGIN IMMEDIATE` transaction, with a short pause between
//! them, so a 200,000-item feed never holds the write lock for more than a
//! moment and the user's writes (from the reader, or `tidings save` in
//! another process) get in between chunks. What the feed row claims — its
//! validators, last success and `last_carried` — is written by the last
//! chunk only: a crash between chunks leaves the items stored so far and a
//! feed that is fetched in full again next time.

use std::time::{Duration, Instant};

use rusqlite::{Transaction, TransactionBehavior, params};

use super::items::stable_id;
use super::{Result, Store};
use crate::model::{FetchedFeed, NewItem, Timestamp};

/// At most this many items per transaction…
pub(super) const CHUNK_ITEMS: usize = 500;
/// …and at most about this long (checked after each item).
const CHUNK_TIME: Duration = Duration::from_millis(50);
/// Between chunks the write lock is free this long: other connections wait
/// for it polling every millisecond (`super::busy`), so one of them gets in.
const CHUNK_PAUSE: Duration = Duration::from_millis(2);

impl Store {
    /// Stores a fetched feed: new items are inserted, known ones (same feed,
    /// same key) get their text refreshed but keep their id and read/saved
    /// state. Runs in bounded transactions (see the module); returns how many
    /// items were new.
    pub fn store_fetched(&mut self, feed: &FetchedFeed, now: Timestamp) -> Result<usize> {
        self.store_in_chunks(feed, now, CHUNK_ITEMS, CHUNK_TIME, &mut |_| {
            std::thread::sleep(CHUNK_PAUSE);
            Ok(())
        })
    }

    /// `store_fetched` with the chunk bounds and what happens between chunks
    /// (called with the number of items stored so far) as parameters.
    pub(super) fn store_in_chunks(
        &mut self,
        feed: &FetchedFeed,
        now: Timestamp,
        max_items: usize,
        max_time: Duration,
        between: &mut dyn FnMut(usize) -> Result<()>,
    ) -> Result<usize> {
        let max_items = max_items.max(1);
        let mut new = 0;
        let mut done = 0;
        let mut feed_id = None;
        loop {
            let started = Instant::now();
            let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let id = match feed_id {
                Some(id) => id,
                None => feed_row(&tx, feed)?,
            };
            feed_id = Some(id);
            let mut chunk = 0;
            for item in &feed.items[done..] {
                new += usize::from(store_item(&tx, id, &feed.url, item, now)?);
                chunk += 1;
                if chunk >= max_items || started.elapsed() >= max_time {
                    break;
                }
            }
            done += chunk;
            let last = done >= feed.items.len();
            if last {
                finish_feed(&tx, id, feed, now)?;
            }
            tx.commit()?;
            if last {
                return Ok(new);
            }
            between(done)?;
        }
    }
}

/// The feed's row (created if the config has not synced it yet), with the
/// feed's own title and site; returns its id.
fn feed_row(tx: &Transaction, feed: &FetchedFeed) -> Result<i64> {
    tx.prepare_cached("INSERT INTO feeds (url, active) VALUES (?1, 1) ON CONFLICT(url) DO NOTHING")?
        .execute([&feed.url])?;
    tx.prepare_cached(
        "UPDATE feeds SET title = COALESCE(?2, title), site_url = COALESCE(?3, site_url) WHERE url = ?1",
    )?
    .execute(params![feed.url, feed.title, feed.site_url])?;
    Ok(tx.prepare_cached("SELECT id FROM feeds WHERE url = ?1")?.query_row([&feed.url], |r| r.get(0))?)
}

/// What only a completely stored fetch may claim: the validators (so a feed
/// cut short is fetched in full again), the fetch's success, and that its
/// items are all the feed carries now (for retention).
fn finish_feed(tx: &Transaction, feed_id: i64, feed: &FetchedFeed, now: Timestamp) -> Result<()> {
    tx.prepare_cached(
        "UPDATE feeds SET etag = ?2, last_modified = ?3, last_error = NULL, last_fetch = ?4,
             last_success = ?4, fail_count = 0, last_carried = ?4
         WHERE id = ?1",
    )?
    .execute(params![feed_id, feed.etag, feed.last_modified, now])?;
    Ok(())
}

/// Inserts an item, or refreshes the text of the one stored under its key;
/// either way notes that this fetch (`now`) carried it. True when it was new.
fn store_item(tx: &Transaction, feed_id: i64, feed_url: &str, item: &NewItem, now: Timestamp) -> Result<bool> {
    let categories = serde_json::to_string(&item.categories).unwrap_or_else(|_| "[]".into());
    let sort_date = item.published.or(item.updated).unwrap_or(now);
    let inserted = tx
        .prepare_cached(
            "INSERT INTO items (id, feed_id, key, title, link, author, published, updated, summary,
                                content, categories, first_seen, sort_date, last_seen)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?12)
             ON CONFLICT(feed_id, key) DO NOTHING",
        )?
        .execute(params![
            stable_id(feed_url, &item.key),
            feed_id,
            item.key,
            item.title,
            item.link,
            item.author,
            item.published,
            item.updated,
            item.summary,
            item.content,
            categories,
            now,
            sort_date,
        ])?;
    if inserted == 1 {
        return Ok(true);
    }
    tx.prepare_cached(
        "UPDATE items SET title = ?3, link = ?4, author = ?5, published = ?6, updated = ?7,
                          summary = ?8, content = ?9, categories = ?10, last_seen = ?11
         WHERE feed_id = ?1 AND key = ?2",
    )?
    .execute(params![
        feed_id,
        item.key,
        item.title,
        item.link,
        item.author,
        item.published,
        item.updated,
        item.summary,
        item.content,
        categories,
        now,
    ])?;
    Ok(false)
}

#[cfg(test)]
#[path = "ingest_tests.rs"]
mod tests;
