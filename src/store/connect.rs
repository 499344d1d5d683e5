//! The reader's connections, one per thread, each opened for its role: the
//! loop's (reads only), the list reader's, the user's writes and the poller's
//! writes. Page caches are sized per role, so four connections together stay
//! within the reader's memory budget.
//!
//! Writes take the write lock when they begin (`BEGIN IMMEDIATE`), so a
//! transaction never fails half-way because another process wrote first, and
//! a busy handler that sleeps a millisecond between tries gets in between
//! another process's short transactions (a `tidings fetch` storing in chunks).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use rusqlite::{Connection, TransactionBehavior};

use super::{Result, Store, StoreError, search};

/// What a connection is for; decides its page cache and its locking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The list's and the sidebar's reads (windows, counts).
    Reader,
    /// The user's changes (read, save, tags, undo, …), one at a time.
    Writer,
    /// The poller's results (items, feed health, schedules).
    Ingest,
    // — #10 keys —
    /// The selected item's article (one item at a time).
    Article,
}

impl Role {
    /// Page cache in KiB. A writer touches a handful of pages per change;
    /// the list's windows read rows spread over the file, and the counts walk
    /// indexes larger than any cache here, so a bigger cache saves little
    /// over the operating system's (#10: the reader and ingest caches went
    /// from 4 to 2 MB, the article's from 2 to 1, for RSS at 1M items).
    fn cache_kib(self) -> i64 {
        match self {
            Role::Reader => 2 * 1024,
            Role::Writer => 2 * 1024,
            Role::Ingest => 2 * 1024,
            Role::Article => 1024,
        }
    }
}

/// Page cache of the loop thread's own connection (tags and feed names,
/// what a prompt needs; articles are read on their own thread).
const LOOP_CACHE_KIB: i64 = 1024;
/// How long a writer sleeps between tries while another connection holds the write lock.
const BUSY_SLEEP: Duration = Duration::from_millis(1);

/// Lets a thread that is waiting for the write lock give up (on quit, after a deadline).
#[derive(Debug, Clone, Default)]
pub struct GiveUp(Arc<AtomicBool>);

impl GiveUp {
    pub fn now(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    pub fn is_set(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

impl StoreError {
    /// The error of a read given up for something more urgent (as if interrupted).
    pub fn interrupted() -> StoreError {
        let code = rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_INTERRUPT);
        StoreError::Sqlite(rusqlite::Error::SqliteFailure(code, None))
    }

    /// True when another connection held the lock (and the busy handler gave up).
    pub fn is_busy(&self) -> bool {
        matches!(self, StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _))
            if matches!(e.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked))
    }
}

/// The busy handler of a writer thread's connection: try again every
/// `BUSY_SLEEP` until told to give up.
fn wait_until(give_up: GiveUp) -> impl FnMut(i32) -> bool + Send + 'static {
    move |_tries| {
        if give_up.is_set() {
            return false;
        }
        std::thread::sleep(BUSY_SLEEP);
        true
    }
}

impl Store {
    // — #10 search —
    /// Puts back this connection's busy handler (after a write that would
    /// not wait for the lock).
    pub(super) fn restore_busy_handler(&mut self) -> Result<()> {
        match &self.give_up {
            Some(give_up) => self.conn.busy_handler(Some(wait_until(give_up.clone())))?,
            None => self.conn.busy_handler(Some(super::busy))?,
        }
        Ok(())
    }

    /// Another connection to this store's file for `role`; None for in-memory
    /// databases. It never migrates: this store already did. `give_up` ends
    /// a writer's wait for the lock.
    pub fn open_role(&self, role: Role, give_up: &GiveUp) -> Result<Option<Store>> {
        let Some(path) = self.conn.path().filter(|p| !p.is_empty()).map(str::to_string) else {
            return Ok(None);
        };
        // Read-only (see `read_only`): no writer threads; the loop's own
        // connection reads, and a change fails with the reason.
        if self.read_only().is_some() {
            return Ok(None);
        }
        let mut conn = Connection::open(path)?;
        search::register_functions(&conn)?;
        conn.pragma_update(None, "cache_size", -role.cache_kib())?;
        match role {
            Role::Reader | Role::Article => {
                conn.pragma_update(None, "query_only", "ON")?;
                conn.busy_handler(Some(super::busy))?;
            }
            Role::Writer | Role::Ingest => {
                conn.pragma_update(None, "foreign_keys", "ON")?;
                conn.pragma_update(None, "synchronous", "NORMAL")?;
                conn.set_transaction_behavior(TransactionBehavior::Immediate);
                conn.busy_handler(Some(wait_until(give_up.clone())))?;
            }
        }
        let mut store = Store::from_conn(conn);
        if role != Role::Reader {
            store.give_up = Some(give_up.clone());
        }
        store.mute = self.mute.clone();
        if let Some(config) = self.stories.config() {
            store.set_stories(config.clone()); // #15: the ingest thread groups
        }
        Ok(Some(store))
    }

    /// Makes this connection the loop thread's: reads only, a small cache.
    /// Every write then goes through the writer threads.
    pub fn make_loop_connection(&self) -> Result<()> {
        self.conn.pragma_update(None, "cache_size", -LOOP_CACHE_KIB)?;
        self.conn.pragma_update(None, "query_only", "ON")?;
        Ok(())
    }

    // — #10 keys —
    /// Frees the pages this connection caches that no statement holds.
    pub fn release_memory(&self) -> Result<()> {
        Ok(self.conn.release_memory()?)
    }

    /// A number that changes whenever another connection (of this process or
    /// another) commits a change to the database.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self.conn.pragma_query_value(None, "data_version", |r| r.get(0))?)
    }

    /// Changes to the database as this connection can tell: commits by
    /// others (`data_version`) and rows it changed itself.
    pub fn change_stamp(&self) -> Result<(i64, u64)> {
        Ok((self.data_version()?, self.conn.total_changes()))
    }

    /// Makes every later write on this connection fail as on a read-only
    /// database (for tests of what the reader does when a write fails).
    #[doc(hidden)]
    pub fn simulate_write_failure(&self) -> Result<()> {
        self.conn.pragma_update(None, "query_only", "ON")?;
        Ok(())
    }
}

/// Test support: another connection to a database holding its write lock
/// (`BEGIN IMMEDIATE`) until `release`, as a second process would.
#[cfg(test)]
pub struct LockHolder(Connection);

#[cfg(test)]
impl LockHolder {
    pub fn take(path: &std::path::Path) -> LockHolder {
        let conn = Connection::open(path).unwrap();
        conn.execute_batch("BEGIN IMMEDIATE").unwrap();
        LockHolder(conn)
    }

    pub fn release(self) {
        self.0.execute_batch("COMMIT").unwrap();
    }
}
