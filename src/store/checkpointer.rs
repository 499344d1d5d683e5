//! Checkpoints of a big load on a thread of their own (#10 bulk fetch).
//!
//! A commit appends the pages it changed to the WAL; a checkpoint copies
//! them into the database file and syncs both files. With the storing
//! connection's own automatic checkpoints that copy and those syncs ran on
//! the storing thread, the one thread a `fetch` of a million items waits
//! for: every 256 MB of WAL it stopped storing until the disk had the pages.
//! Here that connection checkpoints nothing itself; a second connection, on
//! its own thread, copies what is committed while the storing thread goes
//! on (a PASSIVE checkpoint takes no lock a writer needs) once the WAL has
//! grown past `RESTART_BYTES`; then a TRUNCATE checkpoint waits for the
//! storing thread's open transaction to end, copies the little that was
//! committed meanwhile, and empties the WAL, which the next transaction
//! writes from its start again.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::Connection;

use super::{Result, Store};

/// How often the thread looks at the WAL's length.
const EVERY: Duration = Duration::from_millis(250);
/// The WAL's length past which it is copied and started again (the
/// storing connection's automatic checkpoint interval before this, 65,536
/// pages of 4 KB: copying less at a time copies the pages that many
/// commits change again and again).
const RESTART_BYTES: u64 = 256 << 20;
/// The storing connection's automatic checkpoint interval, put back when
/// the thread stops.
const AUTO_FRAMES: i64 = 65_536;

/// The running checkpoint thread; `Store::finish_checkpoints` stops it.
pub struct Checkpointer {
    stop: mpsc::Sender<()>,
    thread: JoinHandle<()>,
}

impl Store {
    /// Starts checkpointing this store's database on a thread of its own
    /// and stops this connection's automatic checkpoints. None for an
    /// in-memory store, or when the second connection cannot be opened
    /// (the connection then keeps checkpointing itself).
    pub fn checkpoint_beside(&self) -> Result<Option<Checkpointer>> {
        self.checkpoint_past(RESTART_BYTES)
    }

    fn checkpoint_past(&self, restart: u64) -> Result<Option<Checkpointer>> {
        let Some(path) = self.file_path() else { return Ok(None) };
        let conn = match Connection::open(&path) {
            Ok(conn) => conn,
            Err(e) => {
                tracing::warn!("no checkpoint thread: {e}");
                return Ok(None);
            }
        };
        conn.busy_timeout(Duration::from_secs(30))?;
        // A checkpoint copies pages from the WAL to the file: it needs no cache.
        conn.pragma_update(None, "cache_size", -256)?;
        let wal = PathBuf::from(format!("{}-wal", path.display()));
        let (stop, stopped) = mpsc::channel();
        let spawned = std::thread::Builder::new().name("checkpoint".into()).spawn(move || {
            loop {
                match stopped.recv_timeout(EVERY) {
                    Err(RecvTimeoutError::Timeout) => {
                        if let Err(e) = step(&conn, &wal, restart) {
                            tracing::warn!("checkpoint: {e}");
                        }
                    }
                    // — #10 refresh — the run's last commit is in: copy it all now.
                    Ok(()) => {
                        if let Err(e) = checkpoint(&conn, "PASSIVE") {
                            tracing::warn!("checkpoint: {e}");
                        }
                        break;
                    }
                    Err(RecvTimeoutError::Disconnected) => break,
                }
            }
        });
        let thread = match spawned {
            Ok(thread) => thread,
            Err(e) => {
                tracing::warn!("no checkpoint thread: {e}");
                return Ok(None);
            }
        };
        self.conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        Ok(Some(Checkpointer { stop, thread }))
    }
}

impl Checkpointer {
    /// Has the checkpoint thread copy what is committed now, beside what
    /// this connection does next, and then stop (`finish_checkpoints` waits
    /// for it): a run's last commit is copied into the database file while
    /// it saves and merges, and closing copies only what came after. In a
    /// big archive those pages are spread over gigabytes, and writing and
    /// syncing them took a tenth of a refresh's time.
    pub fn copy_now(&self) {
        let _ = self.stop.send(());
    }
}

impl Store {
    /// Stops the checkpoint thread and gives this connection its automatic
    /// checkpoints back (the next commit, or closing, checkpoints the rest).
    pub fn finish_checkpoints(&self, checkpointer: Checkpointer) -> Result<()> {
        drop(checkpointer.stop);
        if checkpointer.thread.join().is_err() {
            tracing::warn!("the checkpoint thread panicked");
        }
        self.conn.pragma_update(None, "wal_autocheckpoint", AUTO_FRAMES)?;
        Ok(())
    }
}

/// One round: once the WAL is long, copy what is committed beside the
/// storing thread, then start the WAL again (TRUNCATE: its file's length
/// is again the length of what is in it).
fn step(conn: &Connection, wal: &Path, restart: u64) -> rusqlite::Result<()> {
    let len = std::fs::metadata(wal).map_or(0, |m| m.len());
    if len >= restart {
        checkpoint(conn, "PASSIVE")?;
        checkpoint(conn, "TRUNCATE")?;
    }
    Ok(())
}

/// `PRAGMA wal_checkpoint(MODE)`: the WAL's length and how much of it is in
/// the database file, in pages.
fn checkpoint(conn: &Connection, mode: &str) -> rusqlite::Result<(i64, i64)> {
    conn.query_row(&format!("PRAGMA wal_checkpoint({mode})"), [], |r| Ok((r.get(1)?, r.get(2)?)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FetchedFeed, NewItem};

    #[test]
    fn a_load_with_its_checkpoints_beside_keeps_the_wal_short_and_loses_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tidings.db");
        let mut s = Store::open(&path).unwrap();
        let cp = s.checkpoint_past(64 << 10).unwrap().expect("a file store gets a thread");
        let auto: i64 = s.conn.pragma_query_value(None, "wal_autocheckpoint", |r| r.get(0)).unwrap();
        assert_eq!(auto, 0, "the storing connection no longer checkpoints itself");
        let body = "word ".repeat(400);
        for f in 0..20 {
            let items = (0..50)
                .map(|i| NewItem {
                    key: format!("k{i}"),
                    title: format!("item {f}-{i}"),
                    content: Some(body.clone()),
                    ..Default::default()
                })
                .collect();
            let feed = FetchedFeed { url: format!("http://127.0.0.1/{f}.xml"), items, ..Default::default() };
            let mut run = s.ingest_bulk();
            run.fetched(&feed, 1_000).unwrap();
            run.flush().unwrap();
        }
        // Nothing on the storing connection copies the WAL into the
        // database file now: only the thread does, within a few rounds.
        let mut copied = false;
        for _ in 0..100 {
            std::thread::sleep(EVERY);
            if std::fs::metadata(&path).unwrap().len() > 1_000_000 {
                copied = true;
                break;
            }
        }
        assert!(copied, "the thread copied the WAL into the database file");
        s.finish_checkpoints(cp).unwrap();
        let auto: i64 = s.conn.pragma_query_value(None, "wal_autocheckpoint", |r| r.get(0)).unwrap();
        assert_eq!(auto, AUTO_FRAMES);
        let reader = Connection::open(&path).unwrap();
        let n: i64 = reader.query_row("SELECT COUNT(*) FROM items", [], |r| r.get(0)).unwrap();
        assert_eq!(n, 1_000);
    }

    #[test]
    fn copy_now_copies_the_last_commit_beside_the_next_writes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tidings.db");
        let mut s = Store::open(&path).unwrap();
        // A threshold no small run reaches: only `copy_now` copies.
        let cp = s.checkpoint_past(1 << 40).unwrap().expect("a thread");
        let items = (0..200)
            .map(|i| NewItem { key: format!("k{i}"), title: format!("item {i}"), ..Default::default() })
            .collect();
        let feed = FetchedFeed { url: "http://127.0.0.1/a.xml".into(), items, ..Default::default() };
        let mut run = s.ingest_bulk();
        run.fetched(&feed, 1_000).unwrap();
        run.flush().unwrap();
        drop(run);
        let before = std::fs::metadata(&path).unwrap().len();
        cp.copy_now();
        s.finish_checkpoints(cp).unwrap();
        assert!(std::fs::metadata(&path).unwrap().len() > before, "the commit is in the database file");
        // Nothing committed is left to copy.
        let other = Connection::open(&path).unwrap();
        let (log, done) = checkpoint(&other, "PASSIVE").unwrap();
        assert_eq!(log, done, "all {log} frames copied");
    }
}
