//! The SQLite store: the only code that touches the database.
//!
//! Opened once by the app (or a headless command); every write that belongs
//! together runs in one transaction, so a crash or `kill -9` loses nothing that
//! was committed and leaves nothing half-written.

pub mod feeds;
mod fulltext;
mod health;
mod items;
pub mod journal;
mod outbox;
pub mod reading_list;
mod retention;
mod schema;
mod search;
pub mod sync;
pub mod triage;

use std::path::Path;

use rusqlite::Connection;

pub use feeds::{PollState, Validators};
pub use fulltext::FullTextWanted;
pub use items::stable_id;
pub use journal::Walk;
pub use outbox::SyncField;
pub use reading_list::SaveOutcome;
pub use search::SearchHit;
pub use sync::{OutboxEntry, Reconciled, SyncStatus};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("cannot create data directory {path}: {source}")]
    Dir { path: String, source: std::io::Error },
    #[error("the database was written by a newer tidings (schema {found}, this build knows {known})")]
    TooNew { found: i64, known: i64 },
    #[error("undo journal: {0}")]
    Journal(String),
    #[error("invalid query at {0}")]
    Query(#[from] crate::query::QueryError),
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
}

impl Store {
    /// Opens (creating if needed) the database file and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|source| StoreError::Dir { path: dir.display().to_string(), source })?;
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
        let conn = Connection::open(path)?;
        search::register_functions(&conn)?;
        conn.pragma_update(None, "query_only", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        Ok(Some(Store { conn }))
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
        let mut store = Store { conn };
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
