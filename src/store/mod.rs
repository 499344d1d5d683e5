//! The SQLite store: the only code that touches the database.
//!
//! Opened once by the app (or a headless command); every write that belongs
//! together runs in one transaction, so a crash or `kill -9` loses nothing that
//! was committed and leaves nothing half-written.
//!
//! The modules sit in layers and call only down: `sql` (SQL fragments, item
//! ids, and the row writers a change and its undo share) at the bottom; then
//! `journal` (the undo log; undo and redo replay entries through `sql`'s
//! writers); then the changes that write journal entries (`reading_list`,
//! `triage`) and the rest (`feeds`, `retention`, `fulltext`, `health`,
//! `ingest`, `search`, `counts`); `items` (list rows and articles, which may
//! be reading-list copies) on top.

mod connect;
mod counts;
pub mod feeds;
mod fulltext;
mod health;
pub mod history;
mod ingest;
mod items;
pub mod journal;
mod mute;
mod outbox;
mod placement;
mod read_only;
pub mod reading_list;
mod retention;
mod schema;
mod search;
mod session;
mod sql;
pub mod sync;
pub mod triage;
mod window;
// — #10 search —
pub mod merge;
// — #13 cmdline —
pub mod bulk;
pub use bulk::{Bulk, BulkVerb};
pub use mute::MuteStat;
// — #15 stories —
mod stories;
mod story_seed;
// — #10 bulk —
mod deferred;
// — #10 bulk checkpoints —
mod checkpointer;
pub use checkpointer::Checkpointer;
pub use deferred::{DEFER_AFTER_ITEMS, Deferral, wants_deferral};
pub use stories::{Folding, StoryRecord, short_name};

use std::path::Path;
use std::time::Duration;

use rusqlite::Connection;

#[cfg(test)]
pub use connect::LockHolder;
pub use connect::{GiveUp, Role};
pub use feeds::{PollState, Validators};
pub use fulltext::FullTextWanted;
pub use journal::Walk;
pub use outbox::SyncField;
pub use read_only::Access;
pub use reading_list::SaveOutcome;
pub use search::SearchHit;
pub use session::Undone;
pub use sql::stable_id;
pub use sync::{OutboxEntry, Reconciled, SyncStatus};
pub use window::{FtsPlan, Window};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// In words, once: not rusqlite's message with its sources repeating it.
    #[error("database: {}", read_only::describe(.0))]
    Sqlite(rusqlite::Error),
    /// The cause is in the message, not a `source`: shown once, not twice.
    #[error("cannot create data directory {path}: {error}")]
    Dir { path: String, error: std::io::Error },
    #[error("the database was written by a newer tidings (schema {found}, this build knows {known})")]
    TooNew { found: i64, known: i64 },
    #[error("undo journal: {0}")]
    Journal(String),
    #[error("invalid query at {0}")]
    Query(#[from] crate::query::QueryError),
    #[error("the database is from an older tidings and must be upgraded, which needs it writable")]
    NeedsUpgrade,
    // — #10 fetch memory —
    /// A large fetched feed's texts could not be read back from their temporary file.
    #[error("reading a fetched feed's text back: {0}")]
    Spill(std::io::Error),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> StoreError {
        StoreError::Sqlite(e)
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// Cancels, from another thread, whatever statement a store is running.
pub type InterruptHandle = rusqlite::InterruptHandle;

impl StoreError {
    /// True when the statement was cancelled through an `interrupt_handle`.
    pub fn is_interrupted(&self) -> bool {
        matches!(self, StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::OperationInterrupted)
    }
}

/// How long a statement waits for another connection's write lock before it
/// fails with "database is locked".
pub const BUSY_WAIT: Duration = Duration::from_secs(10);
/// How often a waiting statement tries the lock again. Short, so that the
/// two-millisecond gaps a long ingest leaves between its chunks let waiting
/// writers in (SQLite's own busy timeout backs off to 100 ms sleeps and would
/// miss them).
const BUSY_POLL: Duration = Duration::from_millis(1);

/// The busy handler of every connection: try again every `BUSY_POLL` until
/// `BUSY_WAIT` has passed (`tries` is how many times it was called already).
fn busy(tries: i32) -> bool {
    if u128::try_from(tries).unwrap_or(0) * BUSY_POLL.as_micros() >= BUSY_WAIT.as_micros() {
        return false;
    }
    std::thread::sleep(BUSY_POLL);
    true
}

pub struct Store {
    conn: Connection,
    /// Read-write, or read-only and why (see `read_only`).
    access: Access,
    /// The `[[mute]]` queries the ingest applies to new items (#13).
    mute: Vec<String>,
    // — #13 feeds view —
    /// The order windows of a list are read in (`[ui] sort`).
    order: std::cell::Cell<crate::config::SortOrder>,
    // — #10 search —
    /// How lists with a full-text term are read (`Auto` but in tests).
    fts_plan: std::cell::Cell<window::FtsPlan>,
    // — #10 keys —
    /// Point lookups of this connection's window reads (their bail-out).
    probe: window::ProbeState,
    /// What ends this connection's wait for the write lock, when it is a
    /// writer thread's (`open_role`); else the wait is `BUSY_WAIT`. Kept
    /// to put the busy handler back after a step that never waits (`merge`).
    give_up: Option<GiveUp>,
    // — #15 stories —
    /// The story grouper of the items this store stores.
    stories: stories::Stories,
    /// How the list's windows fold stories.
    folding: std::cell::RefCell<stories::Folding>,
}

impl Store {
    /// Opens (creating if needed) the database file and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|error| StoreError::Dir { path: dir.display().to_string(), error })?;
        }
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "cache_size", -32_000)?;
        let mut store = Store::init(conn)?;
        store.rebuild_after_crashed_load(); // — #10 bulk —
        Ok(store)
    }

    /// A private database for tests.
    pub fn open_in_memory() -> Result<Store> {
        Store::init(Connection::open_in_memory()?)
    }

    /// A second connection to the same database file, for reads off the loop
    /// thread (WAL lets it read while this one writes). None for in-memory
    /// databases. It never migrates: this store already did.
    pub fn open_reader(&self) -> Result<Option<Store>> {
        let Some(path) = self.conn.path().filter(|p| !p.is_empty()).map(str::to_string) else {
            return Ok(None);
        };
        if self.read_only().is_some() {
            return self.reopen_read_only(&path);
        }
        let mut conn = Connection::open(path)?;
        search::register_functions(&conn)?;
        conn.pragma_update(None, "query_only", "ON")?;
        conn.busy_handler(Some(busy))?;
        Ok(Some(Store::from_conn(conn)))
    }

    fn from_conn(conn: Connection) -> Store {
        Store {
            conn,
            access: Access::ReadWrite,
            mute: Vec::new(),
            order: Default::default(),
            fts_plan: Default::default(),
            probe: Default::default(),
            give_up: None,
            stories: Default::default(),
            folding: Default::default(),
        }
    }

    /// Sets the size of this connection's page cache, in KiB (32 MB when
    /// opened). A big ingest wants a small one: its writes land all over
    /// indexes far larger than any cache, so a big cache only adds memory.
    pub fn set_cache_kib(&self, kib: u32) -> Result<()> {
        self.conn.pragma_update(None, "cache_size", -i64::from(kib))?;
        Ok(())
    }

    /// Settings for a connection that stores many items (`tidings fetch`): a 12
    /// MB page cache (1M items: 35 GB written; 8 MB wrote 37 GB for 1 MB less
    /// peak memory, 32 MB wrote less but the run's largest feed comes on top of
    /// a full cache) and checkpoints every 256 MB of WAL instead of every 4 MB.
    /// Each commit writes to the WAL every page it changed, and the random
    /// indexes of `items` change about a page per new item per index; a
    /// checkpoint writes each changed page to the database file once, however
    /// many commits changed it, so the longer between checkpoints the fewer of
    /// those pages reach the file twice.
    ///
    /// — #10 refresh — Statement journals in memory: every insert into
    /// `items` (triggers, unique keys) keeps a copy of each page it changes
    /// (about ten) until it ends, in case it has to be undone; on a file
    /// (once a statement's copies outgrow 64 KB) that was two writes per page,
    /// 58,000 writes and 120 MB for a 150-feed refresh of 2,779 items.
    ///
    /// (Tried: letting a transaction keep 32 MB of changed pages before it
    /// spills them to the WAL, `cache_spill`. A refresh stored 20 ms faster,
    /// into an empty database as into a 1M one, but a 1M-item load then
    /// peaked at 107 MB instead of 84–93: its first transactions, before it
    /// defers its indexes, filled the 32 MB, and the allocator kept them.)
    pub fn tune_for_ingest(&self) -> Result<()> {
        self.set_cache_kib(12 * 1024)?;
        self.conn.pragma_update(None, "wal_autocheckpoint", 65_536)?;
        self.conn.pragma_update(None, "temp_store", "MEMORY")?;
        Ok(())
    }

    /// Lets another thread cancel the statement this store is running (a
    /// query the user has already typed over).
    pub fn interrupt_handle(&self) -> InterruptHandle {
        self.conn.get_interrupt_handle()
    }

    fn init(mut conn: Connection) -> Result<Store> {
        search::register_functions(&conn)?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_handler(Some(busy))?;
        // Writes take the lock when they begin: one that waited never fails
        // half-way because another connection wrote first.
        conn.set_transaction_behavior(rusqlite::TransactionBehavior::Immediate);
        let mut store = Store::from_conn(conn);
        schema::migrate(&mut store.conn)?;
        Ok(store)
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod journal_tests;
#[cfg(test)]
mod query_tests;
