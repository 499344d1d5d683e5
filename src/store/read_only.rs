//! When the database cannot be written — a full disk, a read-only data
//! directory or file — reading must still work: the reader opens, `list`,
//! `show` and `export reading-list` answer, and each says it is read-only.
//! Also: SQLite's errors in words, once.

use std::path::Path;

use rusqlite::{Connection, ErrorCode, OpenFlags};

use super::{Result, Store, StoreError, schema};

/// How the store was opened.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Access {
    #[default]
    ReadWrite,
    /// Read-only, and why (in words, for the status line).
    ReadOnly { reason: String, immutable: bool },
}

impl Store {
    /// Opens for reading and writing; when that fails because nothing can be
    /// written there, opens read-only instead (`read_only()` says why).
    pub fn open_or_read_only(path: &Path) -> Result<Store> {
        let writable = if write_blocked_for_tests() {
            Err(StoreError::Sqlite(rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(8), None)))
        } else {
            Store::open(path)
        };
        match writable {
            Ok(store) => Ok(store),
            Err(e) => match e.unwritable() {
                Some(reason) if path.exists() => {
                    tracing::warn!("opening read-only: {e}");
                    Store::open_read_only(path, reason)
                }
                _ => Err(e),
            },
        }
    }

    /// Opens an existing database read-only. SQLite's WAL mode needs its
    /// `-shm` file even to read; where that cannot be created (a full disk,
    /// a read-only directory) and no `-wal` holds unsaved changes, the file
    /// is opened as immutable: it is complete as it is.
    pub fn open_read_only(path: &Path, reason: &str) -> Result<Store> {
        match Store::read_only_conn(path, false) {
            Ok(conn) => Store::read_only_store(conn, reason, false),
            Err(e) if !wal_has_changes(path) => {
                tracing::info!("read-only open failed ({e}); reading the file as immutable");
                Store::read_only_store(Store::read_only_conn(path, true)?, reason, true)
            }
            Err(e) => Err(e),
        }
    }

    fn read_only_conn(path: &Path, immutable: bool) -> Result<Connection> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = if immutable {
            let dir_error = |error| StoreError::Dir { path: path.display().to_string(), error };
            let absolute = std::path::absolute(path).map_err(dir_error)?;
            let url = url::Url::from_file_path(&absolute)
                .map_err(|_| dir_error(std::io::Error::other("not a path SQLite can open")))?;
            Connection::open_with_flags(format!("{url}?immutable=1"), flags)?
        } else {
            Connection::open_with_flags(path, flags)?
        };
        conn.busy_handler(Some(super::busy))?;
        // Errors show at the first read, not at open: read now.
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let known = schema::MIGRATIONS.len() as i64;
        if version > known {
            return Err(StoreError::TooNew { found: version, known });
        }
        if version < known {
            return Err(StoreError::NeedsUpgrade);
        }
        Ok(conn)
    }

    fn read_only_store(conn: Connection, reason: &str, immutable: bool) -> Result<Store> {
        super::search::register_functions(&conn)?;
        let mut store = Store::from_conn(conn);
        store.access = Access::ReadOnly { reason: reason.to_string(), immutable };
        Ok(store)
    }

    /// Why the store is read-only, or None when it can be written.
    pub fn read_only(&self) -> Option<&str> {
        match &self.access {
            Access::ReadWrite => None,
            Access::ReadOnly { reason, .. } => Some(reason),
        }
    }

    /// A second read-only connection opened the way this one was.
    pub(super) fn reopen_read_only(&self, path: &str) -> Result<Option<Store>> {
        let Access::ReadOnly { reason, immutable } = &self.access else { return Ok(None) };
        let conn = Store::read_only_conn(Path::new(path), *immutable)?;
        Store::read_only_store(conn, reason, *immutable).map(Some)
    }
}

/// True when a `-wal` file beside the database holds changes not yet in it.
fn wal_has_changes(path: &Path) -> bool {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    std::fs::metadata(wal).is_ok_and(|m| m.len() > 0)
}

/// A hook for tests, which may run as root (where file modes do not stop
/// writes): `TIDINGS_TEST_READ_ONLY=1` makes the write open fail as a
/// read-only file would. Debug builds only.
fn write_blocked_for_tests() -> bool {
    cfg!(debug_assertions) && std::env::var_os("TIDINGS_TEST_READ_ONLY").is_some()
}

impl StoreError {
    /// When the error means "nothing can be written here", why, in words.
    pub fn unwritable(&self) -> Option<&'static str> {
        match self {
            StoreError::Dir { error, .. } => match error.kind() {
                std::io::ErrorKind::StorageFull => Some("the disk is full"),
                std::io::ErrorKind::ReadOnlyFilesystem | std::io::ErrorKind::PermissionDenied => {
                    Some("the data directory is read-only")
                }
                _ => None,
            },
            StoreError::Sqlite(e) => match e.sqlite_error_code()? {
                ErrorCode::DiskFull => Some("the disk is full"),
                ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied => {
                    Some("no write access to the database")
                }
                // Out of room for the WAL index (a full disk), or another I/O failure on writing.
                ErrorCode::SystemIoFailure => Some("writing failed, is the disk full?"),
                _ => None,
            },
            _ => None,
        }
    }
}

/// SQLite's error once, in words (rusqlite's own text repeats itself: "disk
/// I/O error: disk I/O error: Error code 4874: disk I/O error").
pub(super) fn describe(e: &rusqlite::Error) -> String {
    let Some(code) = e.sqlite_error_code() else { return e.to_string() };
    let words = match code {
        ErrorCode::DiskFull => "the disk is full",
        ErrorCode::ReadOnly => "the database is read-only",
        ErrorCode::CannotOpen => "cannot open the database file",
        ErrorCode::PermissionDenied => "permission denied",
        ErrorCode::SystemIoFailure => "disk I/O error (is the disk full?)",
        ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => "the database is busy (another tidings is writing)",
        ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt => "the database file is damaged",
        ErrorCode::OperationInterrupted => "interrupted",
        _ => {
            return match e {
                rusqlite::Error::SqliteFailure(_, Some(msg)) => msg.clone(),
                rusqlite::Error::SqliteFailure(f, None) => f.to_string(),
                other => other.to_string(),
            };
        }
    };
    words.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db_with_a_save(dir: &Path) -> std::path::PathBuf {
        let path = dir.join("t.db");
        let mut store = Store::open(&path).unwrap();
        store.save_page("https://a.example/", "A page", "<p>kept</p>", 1_000).unwrap();
        path
    }

    #[test]
    fn a_read_only_store_reads_and_refuses_writes_in_words() {
        let dir = tempfile::tempdir().unwrap();
        let path = db_with_a_save(dir.path());
        let mut store = Store::open_read_only(&path, "the disk is full").unwrap();
        assert_eq!(store.read_only(), Some("the disk is full"));
        assert_eq!(store.reading_list().unwrap().len(), 1);
        let e = store.save_page("https://b.example/", "B", "", 2_000).unwrap_err();
        assert_eq!(e.to_string(), "database: the database is read-only");
        assert_eq!(e.unwritable(), Some("no write access to the database"));
        let reader = store.open_reader().unwrap().expect("a second connection");
        assert_eq!(reader.read_only(), Some("the disk is full"));
        assert_eq!(reader.reading_list().unwrap().len(), 1);
    }

    #[test]
    fn without_its_wal_index_the_file_is_still_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = db_with_a_save(dir.path());
        // Where the -shm file cannot be created (here: a directory is in its way).
        std::fs::create_dir(dir.path().join("t.db-shm")).unwrap();
        let store = Store::open_read_only(&path, "the data directory is read-only").unwrap();
        assert_eq!(store.reading_list().unwrap().len(), 1);
        // The last resort, an immutable open, reads the same.
        let mut immutable = Store::read_only_store(Store::read_only_conn(&path, true).unwrap(), "x", true).unwrap();
        assert_eq!(immutable.reading_list().unwrap().len(), 1);
        assert!(immutable.save_page("https://b.example/", "B", "", 2_000).is_err());
    }

    #[test]
    fn an_old_database_is_not_read_half_migrated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        Connection::open(&path).unwrap().execute_batch("PRAGMA user_version = 1; CREATE TABLE t (x);").unwrap();
        let e = Store::open_read_only(&path, "the disk is full").err().unwrap();
        assert!(matches!(e, StoreError::NeedsUpgrade), "{e}");
    }

    #[test]
    fn errors_read_once_in_words() {
        let full = rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(13), None);
        assert_eq!(StoreError::Sqlite(full).to_string(), "database: the disk is full");
        let io = rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(4874), Some("disk I/O error".into()));
        let e = anyhow::Error::from(StoreError::Sqlite(io));
        assert_eq!(format!("{e:#}"), "database: disk I/O error (is the disk full?)");
    }
}
