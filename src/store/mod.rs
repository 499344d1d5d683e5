//! The SQLite store: the only code that touches the database.
//!
//! Opened once by the app (or a headless command); every write that belongs
//! together runs in one transaction, so a crash or `kill -9` loses nothing that
//! was committed and leaves nothing half-written.

pub mod feeds;
mod fulltext;
mod health;
mod ingest;
mod items;
pub mod journal;
mod read_only;
pub mod reading_list;
mod retention;
mod schema;
mod search;
pub mod triage;

use std::path::Path;

use rusqlite::Connection;

pub use feeds::{PollState, Validators};
pub use fulltext::FullTextWanted;
pub use items::stable_id;
pub use journal::Walk;
pub use read_only::Access;
pub use reading_list::SaveOutcome;
pub use search::SearchHit;

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

pub struct Store {
    conn: Connection,
    /// Read-write, or read-only and why (see `read_only`).
    access: Access,
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
        Store::init(conn)
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
        let conn = Connection::open(path)?;
        search::register_functions(&conn)?;
        conn.pragma_update(None, "query_only", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        Ok(Some(Store::from_conn(conn)))
    }

    fn from_conn(conn: Connection) -> Store {
        Store { conn, access: Access::ReadWrite }
    }

    /// Lets another thread cancel the statement this store is running (a
    /// query the user has already typed over).
    pub fn interrupt_handle(&self) -> InterruptHandle {
        self.conn.get_interrupt_handle()
    }

    fn init(conn: Connection) -> Result<Store> {
        search::register_functions(&conn)?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
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
