//! — #10 refresh into a big archive — the story grouper kept between runs:
//! read from the file beside the database when a run starts (on a thread of
//! its own, beside the run's first fetches), written back when it ends (on a
//! thread of its own too, beside the last checkpoint). See `story_seed`.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension};

use super::{Restored, Stories};
use crate::store::story_seed;
use crate::stories::{Grouper, StoriesConfig};

impl Stories {
    // — #10 refresh into a big archive —
    /// Starts the grouper from the file the last run saved beside the
    /// database (see `story_seed`), when there is one made for this
    /// database and tuning (with the highest item `seq` it had seen);
    /// `prepare` then reads only the items stored after it. None: the
    /// grouper is filled from the database. `preload`: the file being read
    /// on a thread since the run began (`Store::preload_stories`), waited for.
    pub(super) fn restored(
        preload: Option<std::thread::JoinHandle<Option<Restored>>>,
        conn: &Connection,
        config: &StoriesConfig,
    ) -> Option<(Grouper, i64)> {
        let restored = match preload {
            Some(thread) => {
                let waited = std::time::Instant::now();
                let restored = thread.join().ok().flatten();
                tracing::debug!("waited {:?} for the story index", waited.elapsed());
                restored
            }
            None => Stories::read_saved(Path::new(conn.path().filter(|p| !p.is_empty())?), config),
        }?;
        let same_db = conn
            .prepare_cached("SELECT id FROM items WHERE seq = ?1")
            .and_then(|mut stmt| stmt.query_row([restored.seen_seq], |r| r.get::<_, String>(0)).optional())
            .is_ok_and(|id| id.as_deref() == Some(restored.seen_id.as_str()));
        if !same_db {
            tracing::debug!("the story index saved beside the database is not this database's");
        }
        same_db.then_some((restored.grouper, restored.seen_seq))
    }

    /// Reads the file saved beside the database at `db` into a grouper
    /// (none: no file, or one made with another tuning).
    fn read_saved(db: &Path, config: &StoriesConfig) -> Option<Restored> {
        let mut grouper = config.grouper();
        let mut loader = story_seed::open(&story_seed::path_for(db)).filter(|l| l.header().fits(&grouper.tuning()))?;
        grouper.restore_all(loader.entries(), &mut loader);
        let Some(header) = loader.finish() else {
            tracing::debug!("the story index saved beside the database is cut short or damaged");
            return None;
        };
        Some(Restored { grouper, seen_seq: header.seen_seq, seen_id: header.seen_id })
    }

    /// Starts reading the saved grouper on a thread of its own, so that it
    /// is ready (or nearly) when the first batch needs it: a full window
    /// is 14,000 entries, 25 ms of a refresh otherwise spent before the
    /// first item is stored.
    pub(super) fn preload(&mut self, db: &Path) {
        let Some(config) = self.config.clone().filter(|c| c.enabled) else { return };
        if self.grouper.is_some() || self.preload.is_some() {
            return;
        }
        let db = db.to_path_buf();
        let spawned =
            std::thread::Builder::new().name("stories".into()).spawn(move || Stories::read_saved(&db, &config));
        self.preload = spawned.ok();
    }

    /// `preload`, with the reading held back until `go` says (tests).
    #[cfg(test)]
    pub(super) fn preload_held(&mut self, db: &Path, go: std::sync::mpsc::Receiver<()>) {
        let (config, db) = (self.config.clone().expect("set_stories first"), db.to_path_buf());
        self.preload = Some(std::thread::spawn(move || {
            let _ = go.recv_timeout(std::time::Duration::from_secs(5)); // (a run that waits for it goes on)
            Stories::read_saved(&db, &config)
        }));
    }

    /// Saves the grouper beside the database for the next run, when it
    /// learnt something since it was saved or restored. A failure costs
    /// only the next start's time: it is logged, not returned.
    pub(super) fn save(&mut self, conn: &Connection) {
        self.save_soon(conn);
        self.rejoin();
    }

    // — #10 refresh — a full window's file (3 MB) took 12–18 ms to write at
    // the end of a refresh into a big archive, before its last checkpoint.
    /// `save`, on a thread of its own: the grouper is away until it is
    /// written, and whatever needs it next waits for it (`rejoin`), as
    /// does dropping the store, so a run that ends never leaves half a file.
    pub(super) fn save_soon(&mut self, conn: &Connection) {
        self.rejoin();
        if !self.dirty {
            return;
        }
        let Some(path) = conn.path().filter(|p| !p.is_empty()).map(|p| story_seed::path_for(Path::new(p))) else {
            return;
        };
        let seen_id: Option<String> = conn
            .query_row("SELECT id FROM items WHERE seq = ?1", [self.seen_seq], |r| r.get(0))
            .optional()
            .unwrap_or(None);
        let (Some(seen_id), Some(grouper)) = (seen_id, self.grouper.take()) else { return };
        let tuning = grouper.tuning();
        let header = story_seed::Header {
            window_secs: tuning.window_secs,
            max_entries: tuning.max_entries as u64,
            seen_seq: self.seen_seq,
            seen_id,
        };
        let write = move || {
            let saved = story_seed::save(&path, &header, grouper.saved().count(), grouper.saved());
            match &saved {
                Ok(()) => tracing::debug!("saved the story index"),
                Err(e) => tracing::warn!("saving the story index to {} failed: {e}", path.display()),
            }
            (grouper, saved.is_ok())
        };
        match std::thread::Builder::new().name("stories-save".into()).spawn(write) {
            Ok(thread) => self.saving = Some(thread),
            // The grouper went with the closure: the next batch fills it again.
            Err(e) => {
                tracing::warn!("saving the story index: no thread: {e}");
                self.forget();
            }
        }
    }

    /// Takes the grouper back from the thread saving it (`save_soon`), once
    /// the file is written.
    pub(super) fn rejoin(&mut self) {
        let Some(thread) = self.saving.take() else { return };
        match thread.join() {
            Ok((grouper, saved)) => {
                self.grouper = Some(grouper);
                self.dirty = !saved;
            }
            // Lost (a panic while writing): the next batch fills it again.
            Err(_) => self.forget(),
        }
    }
}

impl Drop for Stories {
    fn drop(&mut self) {
        self.rejoin();
    }
}
