//! — #10 bulk — Indexes built after a bulk load instead of item by item.
//!
//! A few indexes of `items` have keys in no relation to the order items
//! arrive in (a title, a date spread over a year): past ~100k items every
//! new item dirties one random leaf page of each, and each commit writes
//! those pages to the WAL and each checkpoint again (1M items: 35 GB
//! written for a 5 GB database). When `tidings fetch` loads many items into
//! a database that holds few, it drops them (`Store::defer_indexes`), loads,
//! and creates them at the end (`Store::build_deferred`): a sort and
//! sequential writes.
//!
//! Safety: the loading process holds an advisory lock (`flock`) on a side
//! file beside the database, `<db>.indexing`, for its whole life; the OS
//! drops it when the process dies. Every `Store::open` that finds one of
//! these indexes missing takes that lock without waiting: when it gets it,
//! nobody is loading (the loader crashed or was killed), and it creates the
//! missing indexes before it returns; when it does not, a live load holds
//! it, and the store works without them meanwhile (lists are slower; the
//! load creates them at its end). Only the holder of the lock drops or
//! creates these indexes, so a second `fetch` never does while one loads.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use rusqlite::Connection;

use super::{Result, Store};

/// The indexes a bulk load drops and creates at its end, by name, with the
/// statement that creates each: the same definitions as in `schema`'s
/// migrations (a test checks it). Keep them in step when a migration
/// changes one of these indexes, and a migration that drops or replaces one
/// must use `IF EXISTS` (a load may be running, or have crashed, when it
/// runs). Not here: `UNIQUE(id)` and `UNIQUE(feed_id, key)` (constraints
/// the ingest relies on), `items_feed_order` and `items_link` (a feed's new
/// items land together in those: one leaf per feed, not per item), the
/// partial `items_story*` (few rows).
pub(super) const DEFERRED_INDEXES: &[(&str, &str)] = &[
    (
        "items_title_order",
        "CREATE INDEX IF NOT EXISTS items_title_order ON items(title COLLATE NOCASE, sort_date DESC, seq DESC)",
    ),
    (
        "items_filter",
        "CREATE INDEX IF NOT EXISTS items_filter ON items(sort_date DESC, seq DESC, feed_id, read, saved, dismissed)",
    ),
    ("items_unread", "CREATE INDEX IF NOT EXISTS items_unread ON items(read, sort_date DESC)"),
];

/// A run defers the indexes once it has stored this many new items, if
/// that is at least as many as the database held when it started.
///
/// Below ~50k items the three indexes (~1.5 MB each) stay in the fetch's
/// 12 MB page cache, so storing an item into them costs little, and a
/// routine refresh (hundreds or thousands of items) never pays for a
/// rebuild or takes the lock; past it they outgrow the cache and every item
/// costs a page write per index. "At least as many as the database held"
/// bounds the rebuild to twice the items the run stores, and keeps a big
/// archive's indexes in place for its readers during a routine large fetch.
pub const DEFER_AFTER_ITEMS: usize = 50_000;

/// The page cache (and so the sorter's memory) while the indexes are built, in KiB.
const BUILD_CACHE_KIB: i64 = 2 * 1024;

/// Test knob: defer after this many items, whatever the database holds.
const DEFER_AFTER_ENV: &str = "TIDINGS_DEFER_INDEXES_AFTER";

/// Whether a run that has stored `stored` new items into a database that
/// held `held` items when it started should defer the indexes now.
pub fn wants_deferral(stored: usize, held: u64) -> bool {
    if let Some(after) = std::env::var(DEFER_AFTER_ENV).ok().and_then(|s| s.parse::<usize>().ok()) {
        return stored >= after;
    }
    stored >= DEFER_AFTER_ITEMS && stored as u64 >= held
}

/// The lock of a load whose indexes are deferred: held until the indexes
/// are built (`Store::build_deferred`), or until the process ends.
#[derive(Debug)]
pub struct Deferral {
    _lock: File,
}

/// The side file whose lock a loading (or rebuilding) process holds.
fn lock_path(db: &Path) -> PathBuf {
    let mut name = db.file_name().unwrap_or_default().to_os_string();
    name.push(".indexing");
    db.with_file_name(name)
}

/// The lock, if nobody else holds it; None when another process (or
/// another open file of this one) does. An error when the file cannot be
/// opened.
fn try_lock(db: &Path) -> std::io::Result<Option<File>> {
    let file = OpenOptions::new().create(true).truncate(false).write(true).open(lock_path(db))?;
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(TryLockError::WouldBlock) => Ok(None),
        Err(TryLockError::Error(e)) => Err(e),
    }
}

/// The deferred indexes that do not exist now.
fn missing(conn: &Connection) -> Result<Vec<&'static (&'static str, &'static str)>> {
    let mut stmt = conn.prepare_cached("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?1")?;
    let mut out = Vec::new();
    for index in DEFERRED_INDEXES {
        if !stmt.exists([index.0])? {
            out.push(index);
        }
    }
    Ok(out)
}

/// Creates the missing indexes, each in its own transaction (other writers
/// get in between).
fn create_missing(conn: &Connection) -> Result<()> {
    for (name, sql) in missing(conn)? {
        let started = std::time::Instant::now();
        conn.execute_batch(sql)?;
        tracing::info!("built index {name} in {:.1} s", started.elapsed().as_secs_f64());
    }
    Ok(())
}

impl Store {
    /// The database file; None in memory.
    pub(super) fn file_path(&self) -> Option<PathBuf> {
        self.conn.path().filter(|p| !p.is_empty()).map(PathBuf::from)
    }

    /// How many items the database holds (the kept per-feed counts).
    pub fn item_count(&self) -> Result<u64> {
        let n: i64 = self.conn.query_row("SELECT COALESCE(SUM(stored), 0) FROM feed_counts", [], |r| r.get(0))?;
        Ok(n.max(0) as u64)
    }

    /// Drops the deferred indexes for a bulk load, holding the lock that
    /// says so (see the module). None (nothing dropped) when another
    /// process holds it (a load or a rebuild is running), for an in-memory
    /// or read-only store, or when the lock file cannot be opened.
    pub fn defer_indexes(&mut self) -> Result<Option<Deferral>> {
        let Some(path) = self.file_path() else { return Ok(None) };
        if self.read_only().is_some() {
            return Ok(None);
        }
        let lock = match try_lock(&path) {
            Ok(Some(lock)) => lock,
            Ok(None) => return Ok(None),
            Err(e) => {
                tracing::warn!("not deferring indexes: {}: {e}", lock_path(&path).display());
                return Ok(None);
            }
        };
        let tx = self.conn.transaction()?;
        for (name, _) in DEFERRED_INDEXES {
            tx.execute_batch(&format!("DROP INDEX IF EXISTS {name}"))?;
        }
        tx.commit()?;
        tracing::info!("deferred {} indexes until the end of the load", DEFERRED_INDEXES.len());
        Ok(Some(Deferral { _lock: lock }))
    }

    /// Creates the indexes a load deferred, then lets go of its lock.
    /// SQLite's sorter keeps up to the page cache's size of keys in memory
    /// before it writes a sorted run to a temporary file: the cache is made
    /// small for the build, so that the build never adds to the load's peak
    /// memory, and put back after it. Its temporary files must be files:
    /// an ingest connection keeps temporary data in memory (its statement
    /// journals, `tune_for_ingest`), where the sorter's runs of a 1M-item
    /// title index would add 107 MB to the peak (measured with `sqlite3`:
    /// 115 MB against 8 MB).
    pub fn build_deferred(&mut self, deferral: Deferral) -> Result<()> {
        let cache: i64 = self.conn.pragma_query_value(None, "cache_size", |r| r.get(0))?;
        let temp: i64 = self.conn.pragma_query_value(None, "temp_store", |r| r.get(0))?;
        self.conn.pragma_update(None, "cache_size", -BUILD_CACHE_KIB)?;
        self.conn.pragma_update(None, "temp_store", "FILE")?;
        // The sorter's merges on a second thread: 3.9 → 2.7 s for the
        // 1M title index, 8 → 13 MB of memory (measured with `sqlite3`).
        self.conn.pragma_update(None, "threads", 2)?;
        let built = create_missing(&self.conn);
        self.conn.pragma_update(None, "threads", 0)?;
        self.conn.pragma_update(None, "temp_store", temp)?;
        self.conn.pragma_update(None, "cache_size", cache)?;
        built?;
        drop(deferral);
        Ok(())
    }

    /// True while some deferred index is missing (a load is running, or
    /// one crashed and this read-only store could not rebuild).
    pub fn indexes_deferred(&self) -> Result<bool> {
        Ok(!missing(&self.conn)?.is_empty())
    }

    /// At open: when a deferred index is missing and no live process holds
    /// the lock, a load died before building them: build them now. When a
    /// live load holds it, leave them to it. A failure costs speed, not
    /// data: logged, and the store opens without them.
    pub(super) fn rebuild_after_crashed_load(&mut self) {
        let Some(path) = self.file_path() else { return };
        match missing(&self.conn) {
            Ok(m) if m.is_empty() => return,
            Ok(_) => {}
            Err(e) => {
                tracing::warn!("checking the deferred indexes: {e}");
                return;
            }
        }
        let lock = match try_lock(&path) {
            Ok(Some(lock)) => lock,
            Ok(None) => {
                tracing::info!("a load is building the list indexes; lists are slower until it ends");
                return;
            }
            Err(e) => {
                tracing::warn!("cannot tell whether a load is running ({e}); not building the indexes");
                return;
            }
        };
        tracing::warn!("an interrupted load left indexes missing: building them");
        if let Err(e) = create_missing(&self.conn) {
            tracing::warn!("building the missing indexes failed: {e}");
        }
        drop(lock);
    }
}

#[cfg(test)]
#[path = "deferred_tests.rs"]
mod tests;
