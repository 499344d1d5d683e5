//! Storing fetched feeds, in bounded transactions.
//!
//! Items are written in chunks of at most `CHUNK_ITEMS` items or `CHUNK_TIME`,
//! each its own `BEGIN IMMEDIATE` transaction, with a short pause between
//! them, so a 200,000-item feed never holds the write lock for more than a
//! moment and the user's writes (from the reader, or `tidings save` in
//! another process) get in between chunks. What the feed row claims — its
//! validators, last success and `last_carried` — is written with the feed's
//! last item: a crash between chunks leaves the items stored so far and a
//! feed that is fetched in full again next time.
//!
//! `Store::ingest` opens a run that several feeds share: small feeds land in
//! one transaction (one commit and one full-text segment for many feeds)
//! until the chunk bound is reached or the caller has nothing more to store
//! right now (`Ingest::flush`).

use std::time::{Duration, Instant};

use rusqlite::{Connection, params};

use super::placement::{self, Placed};
use super::sql::{enclosures_json, item_id};
use super::stories::Placed as Grouped;
use super::{Result, Store};
use crate::article::plain;
use crate::model::{FetchedFeed, NewItem, PollInfo, Timestamp, repairs_text};

/// At most this many items per transaction…
pub(super) const CHUNK_ITEMS: usize = 500;
/// …and at most about this long (checked after each item).
pub(super) const CHUNK_TIME: Duration = Duration::from_millis(50);
/// A bulk run's (`Store::ingest_bulk`) bounds.
const BULK_ITEMS: usize = 5_000;
const BULK_TIME: Duration = Duration::from_secs(1);
/// Between chunks the write lock is free this long: other connections wait
/// for it polling every millisecond (`super::busy`), so one of them gets in.
const CHUNK_PAUSE: Duration = Duration::from_millis(2);

/// What an ingest run does between two chunks of the same run, with the
/// number of items it has written so far: pause (tests: anything).
type Between<'s> = Box<dyn FnMut(usize) -> Result<()> + 's>;

/// A run of ingest writes on one store (see the module). Dropping it rolls
/// back what was not flushed (a whole chunk at most, never a claim about a
/// feed without its items).
pub struct Ingest<'s> {
    store: &'s mut Store,
    /// When the open transaction began and how many items it holds; None
    /// when no transaction is open.
    open: Option<(Instant, usize)>,
    max_items: usize,
    max_time: Duration,
    written: usize,
    between: Between<'s>,
    /// The `[[mute]]` rules, and what they muted in the open transaction.
    mute: super::mute::MuteRules,
    // — #15 stories —
    /// The grouper has caught up with the store in the open transaction.
    grouper_ready: bool,
    /// New items' rows for the full-text index, written together (see `Pending`).
    pending: Pending,
    // — #10 refresh —
    /// Some (the index's own setting, put back before each commit) when
    /// this run's transactions leave the index's merges to later.
    automerge: Option<i64>,
}

/// The full-text rows of the open transaction's new items, not written yet,
/// and the new items the mute rules have not checked yet (they may match on
/// words, so they are checked once their rows are written).
///
/// FTS5 writes its pending terms out as a new segment whenever a statement
/// of the transaction opens a statement savepoint, which every insert into
/// `items` does (its triggers and constraints): an index row written right
/// after each item's row made a one-item segment per item, and the merges of
/// those segments were most of the store's CPU and of the bytes it wrote.
/// Written together, the rows of a chunk make one segment (or a few, of
/// `PENDING_BYTES` each).
#[derive(Default)]
struct Pending {
    rows: Vec<(i64, String, String, Option<String>)>,
    bytes: usize,
    unchecked: Vec<String>,
}

/// The index rows are written when they reach this many bytes of text, and
/// before every commit.
const PENDING_BYTES: usize = 1 << 20;

impl Store {
    /// Stores a fetched feed: new items are inserted, known ones (same feed,
    /// same key) get their text refreshed but keep their id and read/saved
    /// state. Runs in bounded transactions (see the module); returns how many
    /// items were new.
    pub fn store_fetched(&mut self, feed: &FetchedFeed, now: Timestamp) -> Result<usize> {
        let mut run = self.ingest();
        let new = run.fetched(feed, now)?;
        run.flush()?;
        Ok(new)
    }

    /// Starts a run of ingest writes that several feeds share.
    pub fn ingest(&mut self) -> Ingest<'_> {
        let pause = |_| {
            std::thread::sleep(CHUNK_PAUSE);
            Ok(())
        };
        self.ingest_with(CHUNK_ITEMS, CHUNK_TIME, Box::new(pause))
    }

    /// `ingest` for a bulk store with nobody waiting on it (`tidings
    /// fetch`): transactions of up to `BULK_ITEMS` items or `BULK_TIME`.
    /// Every commit writes each page it changed to the WAL: the last pages
    /// of the table and of its clustered indexes, a full-text segment and
    /// the pages of its merges. Fewer, larger commits write less (100k
    /// items: 1.9 GB written instead of 3.5 GB with `ingest`'s bounds).
    /// Other writers wait up to `BULK_TIME` for the lock.
    ///
    /// — #10 refresh — A bulk run does none of the full-text index's merge
    /// work in its transactions (`Store::pause_automerge`): the caller merges
    /// what it wrote afterwards (`Store::merge_small`, `Store::merge_index`).
    pub fn ingest_bulk(&mut self) -> Ingest<'_> {
        let pause = |_| {
            std::thread::sleep(CHUNK_PAUSE);
            Ok(())
        };
        let mut run = self.ingest_with(BULK_ITEMS, BULK_TIME, Box::new(pause));
        run.automerge = run.store.automerge().ok();
        run
    }

    /// `ingest` with the chunk bounds and what happens between chunks as parameters.
    pub(super) fn ingest_with<'s>(
        &'s mut self,
        max_items: usize,
        max_time: Duration,
        between: Between<'s>,
    ) -> Ingest<'s> {
        let mute = super::mute::MuteRules::compile(&self.mute);
        Ingest {
            store: self,
            open: None,
            max_items: max_items.max(1),
            max_time,
            written: 0,
            between,
            mute,
            grouper_ready: false,
            pending: Pending::default(),
            automerge: None,
        }
    }
}

impl Ingest<'_> {
    /// Stores a fetched feed (as `Store::store_fetched` does), committing
    /// whenever a chunk is full; the feed's last chunk may stay open for the
    /// next feed until `flush`. Returns how many items were new.
    pub fn fetched(&mut self, feed: &FetchedFeed, now: Timestamp) -> Result<usize> {
        let feed_id = feed_row(self.begin()?, feed)?;
        let placed = placement::place(feed, now, placement::first_fetch(self.begin()?, feed_id)?);
        // — #15 stories — new items are grouped oldest first (ties in feed order).
        let mut order: Vec<usize> = (0..feed.items.len()).collect();
        order.sort_by_key(|&i| placed[i].sort_date);
        let mut new = 0;
        for i in order {
            // — #10 fetch memory — a large feed's texts are read back from its file.
            let whole = feed.item(i).map_err(super::StoreError::Spill)?;
            let (item, placed) = (&*whole, &placed[i]);
            self.begin()?;
            let store = &mut *self.store;
            if !self.grouper_ready {
                // #15: the grouper learns what others stored since its last
                // chunk (— #10 refresh — or, while it is still being read,
                // new items are grouped once it is: `flush`).
                store.stories.prepare_soon(&store.conn, now)?;
                self.grouper_ready = true;
            }
            let (inserted, id) = match insert_item(&store.conn, feed_id, &feed.url, item, placed, now)? {
                Some((seq, id)) => (Some(seq), id),
                None => (None, String::new()),
            };
            if inserted.is_none() {
                // Its index row may be pending still (a key twice in a
                // feed): written first, so the update trigger replaces it.
                if !self.pending.rows.is_empty() {
                    let seq: i64 = store
                        .conn
                        .prepare_cached("SELECT seq FROM items WHERE feed_id = ?1 AND key = ?2")?
                        .query_row(params![feed_id, item.key], |r| r.get(0))?;
                    if self.pending.rows.binary_search_by_key(&seq, |r| r.0).is_ok() {
                        self.write_pending()?;
                    }
                }
                refresh_item(&self.store.conn, feed_id, item, placed, now)?;
            }
            let store = &mut *self.store;
            if let Some(seq) = inserted {
                let words = match &item.words {
                    Some(w) => w.clone(),
                    None => plain::index_body([item.summary.as_deref(), item.content.as_deref()]),
                };
                let row = (seq, item.title.clone(), words, item.author.clone());
                self.pending.bytes += row.1.len() + row.2.len() + row.3.as_ref().map_or(0, String::len);
                self.pending.rows.push(row);
                // Signed by the parser, normally: here only assigned.
                let html = item.summary.as_deref().or(item.content.as_deref());
                if let Some(sig) = store.stories.sign(item.signature.as_ref(), &item.title, html) {
                    let at = Grouped { id: &id, feed_id, sort_date: placed.sort_date };
                    store.stories.assign(&store.conn, seq, at, &sig, now)?;
                }
            }
            if inserted.is_some() && !self.mute.is_empty() {
                self.pending.unchecked.push(id);
            }
            if self.pending.bytes >= PENDING_BYTES {
                self.write_pending()?;
            }
            new += usize::from(inserted.is_some());
            self.count_item()?;
        }
        finish_feed(self.begin()?, feed_id, feed, now)?;
        Ok(new)
    }

    // — #10 bulk —
    /// Commits what is open and drops the indexes a bulk load builds at its
    /// end (`Store::defer_indexes`); None when they stay.
    pub fn defer_indexes(&mut self) -> Result<Option<super::Deferral>> {
        self.flush()?;
        self.store.defer_indexes()
    }

    /// Records a fetch that found nothing new (HTTP 304).
    pub fn not_modified(&mut self, url: &str, now: Timestamp) -> Result<()> {
        self.begin()?
            .prepare_cached(
                "UPDATE feeds SET last_error = NULL, last_fetch = ?2, last_success = ?2, fail_count = 0 WHERE url = ?1",
            )?
            .execute(params![url, now])?;
        Ok(())
    }

    /// Records a failed fetch; the feed's items are untouched.
    pub fn failure(&mut self, url: &str, error: &str, now: Timestamp) -> Result<()> {
        self.begin()?
            .prepare_cached(
                "UPDATE feeds SET last_error = ?2, last_fetch = ?3, fail_count = fail_count + 1 WHERE url = ?1",
            )?
            .execute(params![url, error, now])?;
        Ok(())
    }

    /// Persists what a poll learned for the schedule (after its result).
    pub fn schedule(&mut self, url: &str, info: &PollInfo) -> Result<()> {
        self.begin()?
            .prepare_cached(
                "UPDATE feeds SET status = ?2, next_poll = ?3, retry_at = ?4, moved_to = COALESCE(?5, moved_to)
                 WHERE url = ?1",
            )?
            .execute(params![url, info.status, info.next_poll, info.retry_at, info.moved_to])?;
        Ok(())
    }

    /// The title to show for a feed (what `Store::feed_title` says), seeing
    /// this run's writes.
    pub fn feed_title(&self, url: &str) -> Result<Option<String>> {
        self.store.feed_title(url)
    }

    /// Commits what is open: call it when there is nothing more to store
    /// right now, so the write lock is not held while waiting.
    pub fn flush(&mut self) -> Result<()> {
        if self.open.is_some() {
            self.store.stories.catch_up(&self.store.conn)?;
            self.write_pending()?;
            self.mute.before_commit(&self.store.conn)?;
            if let Some(setting) = self.automerge {
                self.store.resume_automerge(setting)?;
            }
            self.open = None;
            self.store.conn.execute_batch("COMMIT")?;
        }
        Ok(())
    }

    /// Writes the open transaction's pending full-text rows, then checks
    /// the items not checked yet against the mute rules.
    fn write_pending(&mut self) -> Result<()> {
        let conn = &self.store.conn;
        if !self.pending.rows.is_empty() {
            let mut insert =
                conn.prepare_cached("INSERT INTO items_fts (rowid, title, body, author) VALUES (?1, ?2, ?3, ?4)")?;
            for (seq, title, words, author) in self.pending.rows.drain(..) {
                insert.execute(params![seq, title, words, author])?;
            }
            self.pending.bytes = 0;
        }
        for id in std::mem::take(&mut self.pending.unchecked) {
            self.mute.check(conn, &id)?;
        }
        Ok(())
    }

    /// The connection, inside an open write transaction (one is begun if
    /// none is open).
    fn begin(&mut self) -> Result<&Connection> {
        if self.open.is_none() {
            self.store.conn.execute_batch("BEGIN IMMEDIATE")?;
            self.open = Some((Instant::now(), 0));
            self.grouper_ready = false;
            if self.automerge.is_some() {
                self.store.pause_automerge()?;
            }
        }
        Ok(&self.store.conn)
    }

    /// Counts an item into the open chunk; a full chunk is committed and
    /// the lock left free for a moment.
    fn count_item(&mut self) -> Result<()> {
        self.written += 1;
        let Some((started, items)) = &mut self.open else { return Ok(()) };
        *items += 1;
        if *items >= self.max_items || started.elapsed() >= self.max_time {
            self.flush()?;
            (self.between)(self.written)?;
        }
        Ok(())
    }
}

impl Drop for Ingest<'_> {
    fn drop(&mut self) {
        self.pending = Pending::default();
        if self.open.take().is_some() {
            self.mute.forget();
            self.store.stories.forget();
            let _ = self.store.conn.execute_batch("ROLLBACK");
        }
    }
}

/// The feed's row (created if the config has not synced it yet), with the
/// feed's own title and site; returns its id.
fn feed_row(conn: &Connection, feed: &FetchedFeed) -> Result<i64> {
    conn.prepare_cached("INSERT INTO feeds (url, active) VALUES (?1, 1) ON CONFLICT(url) DO NOTHING")?
        .execute([&feed.url])?;
    conn.prepare_cached(
        "UPDATE feeds SET title = COALESCE(?2, title), site_url = COALESCE(?3, site_url) WHERE url = ?1",
    )?
    .execute(params![feed.url, feed.title, feed.site_url])?;
    Ok(conn.prepare_cached("SELECT id FROM feeds WHERE url = ?1")?.query_row([&feed.url], |r| r.get(0))?)
}

/// What only a completely stored fetch may claim: the validators (so a feed
/// cut short is fetched in full again), the fetch's success, and that its
/// items are all the feed carries now (for retention).
fn finish_feed(conn: &Connection, feed_id: i64, feed: &FetchedFeed, now: Timestamp) -> Result<()> {
    conn.prepare_cached(
        "UPDATE feeds SET etag = ?2, last_modified = ?3, last_error = NULL, last_fetch = ?4,
             last_success = ?4, fail_count = 0, last_carried = ?4, repairs = ?5
         WHERE id = ?1",
    )?
    .execute(params![feed_id, feed.etag, feed.last_modified, now, repairs_text(&feed.repairs)])?;
    Ok(())
}

/// Inserts an item (its words go into the full-text index through
/// `Pending`) under its `stable_id` (or, should another item have that id,
/// the first alternative free) and returns its row's seq and id, or None
/// when its key is stored already (`refresh_item` then).
fn insert_item(
    conn: &Connection,
    feed_id: i64,
    feed_url: &str,
    item: &NewItem,
    placed: &Placed,
    now: Timestamp,
) -> Result<Option<(i64, String)>> {
    // — #10 refresh —
    const TRIES: u32 = 16;
    let mut n = 0;
    loop {
        let id = item_id(feed_url, &item.key, n);
        match insert_row(conn, feed_id, &id, item, placed, now) {
            Err(e) if n + 1 < TRIES && id_taken(&e) => n += 1,
            inserted => return Ok(inserted?.map(|seq| (seq, id))),
        }
    }
}

/// True when an insert failed because its id is another item's.
fn id_taken(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, Some(msg))
        if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE && msg.contains("items.id"))
}

/// `insert_item` under the id given.
fn insert_row(
    conn: &Connection,
    feed_id: i64,
    id: &str,
    item: &NewItem,
    placed: &Placed,
    now: Timestamp,
) -> rusqlite::Result<Option<i64>> {
    let categories = serde_json::to_string(&item.categories).unwrap_or_else(|_| "[]".into());
    let enclosures = enclosures_json(&item.enclosures);
    let inserted = conn
        .prepare_cached(
            "INSERT INTO items (id, feed_id, key, title, link, author, published, updated, summary,
                                content, categories, first_seen, sort_date, last_seen, enclosures)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?12, ?14)
             ON CONFLICT(feed_id, key) DO NOTHING",
        )?
        .execute(params![
            id,
            feed_id,
            item.key,
            item.title,
            item.link,
            item.author,
            placed.published,
            placed.updated,
            item.summary,
            item.content,
            categories,
            now,
            placed.sort_date,
            enclosures,
        ])?;
    Ok((inserted == 1).then(|| conn.last_insert_rowid()))
}

/// Refreshes the text of the item stored under its key (the schema's update
/// trigger re-indexes it if the text changed; a date that had to be clamped
/// keeps the stored one) and notes that this fetch (`now`) carried it.
fn refresh_item(conn: &Connection, feed_id: i64, item: &NewItem, placed: &Placed, now: Timestamp) -> Result<()> {
    let categories = serde_json::to_string(&item.categories).unwrap_or_else(|_| "[]".into());
    let enclosures = enclosures_json(&item.enclosures);
    conn.prepare_cached(
        "UPDATE items SET title = ?3, link = ?4, author = ?5,
                          published = CASE WHEN ?11 THEN published ELSE ?6 END,
                          updated = CASE WHEN ?11 THEN updated ELSE ?7 END,
                          summary = ?8, content = ?9, categories = ?10, last_seen = ?12, enclosures = ?13
         WHERE feed_id = ?1 AND key = ?2",
    )?
    .execute(params![
        feed_id,
        item.key,
        item.title,
        item.link,
        item.author,
        placed.published,
        placed.updated,
        item.summary,
        item.content,
        categories,
        placed.clamped,
        now,
        enclosures,
    ])?;
    Ok(())
}

#[cfg(test)]
#[path = "ingest_tests.rs"]
pub(super) mod tests;
