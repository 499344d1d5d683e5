//! — #10 search — Merging the full-text index's segments, a bounded step at
//! a time.
//!
//! FTS5 keeps its index as a set of b-trees (segments): each commit that
//! adds items writes a new small one, and its automerge folds them into
//! bigger ones as they pile up, leaving a million-item archive with about
//! twenty. A lookup seeks its word in every segment, so a point lookup per
//! row (`window_probe.rs`) costs per segment: the first window of a word in
//! two thirds of a million items took 23 ms of CPU on 22 segments, 9 ms on
//! the 3 this merging leaves (benches/README.md). Nothing else merges them
//! (`optimize` would, in one transaction of over a minute at a million
//! items), so the store does it in steps: each step is one write
//! transaction (`INSERT INTO items_fts(items_fts, rank) VALUES('merge',
//! N)`: at least N pages of 4 KB, and a word's whole list at once, so 15–45
//! ms typically and up to about a second for the longest lists at a million
//! items), taken only when the write lock is free at once, with a pause
//! after it so that a writer that waited meanwhile (the busy handler of
//! every connection tries each millisecond) gets the lock before the next
//! step; one that did ends the run. What a step leaves half-merged is in the
//! index's own structure, so the next run (another idle moment, the next
//! `fetch`) goes on from there.
//!
//! A `fetch` (`Store::ingest_bulk`) turns FTS5's automerge off in its own
//! transactions, since automerge goes on with any merge under way, however
//! big: its segments pile up (FTS5 still merges sixteen on one level at
//! once), and after a small run `Store::merge_small` merges only what is
//! small; the big merges are the reader's (idle time) and a big fetch's
//! (`merge_index` at its end).

use std::time::{Duration, Instant};

use rusqlite::OptionalExtension;

use super::{Result, Store, StoreError};

/// Pages a step writes at least (FTS5's `merge` stops at the first word
/// after it has written this many 4 KB pages; a word's whole list is written
/// at once). 16 or 256 were no shorter in the worst case and slower overall.
pub const MERGE_PAGES: i32 = 64;

/// The pause after a step, without the lock: a writer waiting for it (its
/// busy handler tries every millisecond) takes it meanwhile.
pub const MERGE_PAUSE: Duration = Duration::from_millis(3);

/// Segments on one level that a step merges into one (FTS5's `usermerge`,
/// 4 by default; kept in the index's config): with 2, a level holds one
/// segment once merged, so the index keeps about one segment per size
/// (each about twice the one below), and each page is rewritten about
/// once per level it climbs.
const USERMERGE: i64 = 2;

/// FTS5's automerge when the index's config does not set it.
const DEFAULT_AUTOMERGE: i64 = 4;

/// The rowid of the structure record in the index's `%_data` table.
const STRUCTURE_ROWID: i64 = 10;

/// The shape of the full-text index: its segments by level.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndexShape {
    /// Per level, bottom first: its segments and how many of them are the
    /// inputs of a merge under way.
    pub levels: Vec<Level>,
}

/// One level of the index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Level {
    /// The pages (leaves) of each segment.
    pub pages: Vec<u64>,
    /// The first `merging` segments are being merged into one on the next level.
    pub merging: usize,
}

impl IndexShape {
    /// How many b-trees a lookup seeks its word in.
    pub fn segments(&self) -> usize {
        self.levels.iter().map(|l| l.pages.len()).sum()
    }

    /// The index's leaf pages, all segments together.
    pub fn pages(&self) -> u64 {
        self.levels.iter().flat_map(|l| &l.pages).sum()
    }

    /// True when a merge is part way.
    pub fn merging(&self) -> bool {
        self.levels.iter().any(|l| l.merging > 0)
    }

    /// The pages of the segments FTS5's next merge step takes its input
    /// from (`fts5IndexMerge` with `USERMERGE`): from the bottom up, the
    /// level with the most segments, unless a level below it has a merge
    /// under way of at least as many segments, which goes on first. None
    /// when no level has `USERMERGE` segments and no merge is under way.
    pub fn next_merge(&self) -> Option<u64> {
        let min = USERMERGE as usize;
        let (mut best, mut count) = (None, 0);
        for level in &self.levels {
            if level.merging > 0 {
                if level.merging > count {
                    return Some(level.pages.iter().take(level.merging).sum());
                }
                break;
            }
            if level.pages.len() > count {
                (best, count) = (Some(level), level.pages.len());
            }
        }
        best.filter(|_| count >= min).map(|level| level.pages.iter().sum())
    }

    /// True when a merge step has something to do: a merge part way, or
    /// a level of more than one segment (`USERMERGE`).
    pub fn unmerged(&self) -> bool {
        self.levels.iter().any(|l| l.merging > 0 || l.pages.len() >= USERMERGE as usize)
    }
}

/// What one merge step did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Merged some of the index.
    Merged,
    /// Nothing is left to merge.
    Done,
    /// Another connection holds the write lock: the step was not taken.
    Busy,
}

/// What a run of merge steps did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MergeRun {
    /// Steps taken.
    pub steps: u32,
    /// The index is merged into one segment.
    pub done: bool,
    /// Stopped because another connection wanted the write lock.
    pub gave_way: bool,
    /// Segments after the run.
    pub segments: usize,
}

impl Store {
    /// The full-text index's segments as its structure record lists them.
    pub fn index_shape(&self) -> Result<IndexShape> {
        let record: Option<Vec<u8>> = self
            .conn
            .query_row("SELECT block FROM items_fts_data WHERE id = ?1", [STRUCTURE_ROWID], |r| r.get(0))
            .optional()?;
        Ok(record.as_deref().and_then(decode_structure).unwrap_or_default())
    }

    /// One bounded step of merging the full-text index, of about `pages`
    /// pages, in a transaction of its own, if the write lock is free now
    /// (never waiting for it). A merge part way goes on; else, with more
    /// than one segment, a merge of all of them into one begins.
    pub fn merge_step(&mut self, pages: i32) -> Result<Step> {
        if !self.index_shape()?.unmerged() {
            return Ok(Step::Done);
        }
        self.conn.busy_handler(None::<fn(i32) -> bool>)?;
        let step = self.merge_locked(pages);
        self.restore_busy_handler()?;
        match step {
            Err(e) if e.is_busy() => Ok(Step::Busy),
            other => other,
        }
    }

    /// `merge_step` once the lock is taken (or refused).
    fn merge_locked(&self, pages: i32) -> Result<Step> {
        self.merge_transaction(|| {
            // FTS5 changes at least two rows when it merged anything.
            let before = self.conn.total_changes();
            self.conn.execute("INSERT INTO items_fts (items_fts, rank) VALUES ('merge', ?1)", [pages.max(1)])?;
            Ok(if self.conn.total_changes() - before >= 2 { Step::Merged } else { Step::Done })
        })
    }

    /// Runs `body` in a write transaction of its own (committed when it
    /// succeeds, rolled back when not), with `usermerge` set first.
    fn merge_transaction<T>(&self, body: impl FnOnce() -> Result<T>) -> Result<T> {
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        let done = self.set_usermerge().and_then(|()| body());
        let end = if done.is_ok() { "COMMIT" } else { "ROLLBACK" };
        if let Err(e) = self.conn.execute_batch(end) {
            let _ = self.conn.execute_batch("ROLLBACK");
            return Err(StoreError::from(e));
        }
        done
    }

    /// Begins merging every segment into one, with a first step of about
    /// `pages` pages (FTS5's `merge` with a negative count); `merge_step`
    /// goes on with it. Not used by tidings (it rewrites the whole index
    /// whenever a segment is added): for measuring one segment against few.
    #[doc(hidden)]
    pub fn begin_full_merge(&mut self, pages: i32) -> Result<()> {
        self.conn.execute("INSERT INTO items_fts (items_fts, rank) VALUES ('merge', ?1)", [-pages.max(1)])?;
        Ok(())
    }

    // — #10 refresh —
    /// Merges what a run of writes left at the small end of the index:
    /// steps of `MERGE_PAGES` while the next merge (`IndexShape::next_merge`)
    /// takes at most `max_pages` pages in, for at most `budget` (stopping
    /// when another connection wants the lock). The merges of the big
    /// segments are left to the reader's idle time: FTS5's own automerge
    /// after each commit goes on with whatever merge is under way, and in a
    /// million-item archive that was a merge of a gigabyte, a slice of it
    /// in every refresh (0.4 of a 1.0 s refresh of 150 feeds).
    pub fn merge_small(&mut self, budget: Duration, max_pages: u64) -> Result<MergeRun> {
        let started = Instant::now();
        let mut run = MergeRun::default();
        self.conn.busy_handler(None::<fn(i32) -> bool>)?;
        let merged = self.merge_small_locked(started, budget, max_pages, &mut run);
        self.restore_busy_handler()?;
        match merged {
            Err(e) if e.is_busy() => run.gave_way = true,
            other => other?,
        }
        run.segments = self.index_shape()?.segments();
        Ok(run)
    }

    /// `merge_small` in one transaction, once the lock is taken (or
    /// refused), in steps of `MERGE_PAGES`: a step that ends a merge goes
    /// on to the next one for what is left of its pages, whatever its size,
    /// so the steps are short.
    fn merge_small_locked(&self, started: Instant, budget: Duration, max_pages: u64, run: &mut MergeRun) -> Result<()> {
        self.merge_transaction(|| {
            while started.elapsed() < budget {
                if self.index_shape()?.next_merge().is_none_or(|p| p > max_pages) {
                    run.done = true;
                    break;
                }
                self.conn.execute("INSERT INTO items_fts (items_fts, rank) VALUES ('merge', ?1)", [MERGE_PAGES])?;
                run.steps += 1;
            }
            Ok(())
        })
    }

    /// Sets FTS5's `usermerge` to `USERMERGE` unless it is.
    fn set_usermerge(&self) -> Result<()> {
        let usermerge: Option<i64> =
            self.conn.query_row("SELECT v FROM items_fts_config WHERE k = 'usermerge'", [], |r| r.get(0)).optional()?;
        if usermerge != Some(USERMERGE) {
            self.conn.execute("INSERT INTO items_fts (items_fts, rank) VALUES ('usermerge', ?1)", [USERMERGE])?;
        }
        Ok(())
    }

    /// The index's automerge setting (FTS5's default, 4, when never set).
    pub(super) fn automerge(&self) -> Result<i64> {
        let set: Option<i64> =
            self.conn.query_row("SELECT v FROM items_fts_config WHERE k = 'automerge'", [], |r| r.get(0)).optional()?;
        Ok(set.unwrap_or(DEFAULT_AUTOMERGE))
    }

    /// Turns the index's automerge off, inside the open transaction (no
    /// other connection ever sees it off: `resume_automerge` puts it back
    /// before the commit).
    pub(super) fn pause_automerge(&self) -> Result<()> {
        self.conn.execute("INSERT INTO items_fts (items_fts, rank) VALUES ('automerge', 0)", [])?;
        Ok(())
    }

    /// Writes the index's pending rows out as a segment (a savepoint makes
    /// FTS5 flush, while automerge is still off), then puts `setting` back.
    pub(super) fn resume_automerge(&self, setting: i64) -> Result<()> {
        self.conn.execute_batch("SAVEPOINT index_rows; RELEASE index_rows;")?;
        self.conn.execute("INSERT INTO items_fts (items_fts, rank) VALUES ('automerge', ?1)", [setting])?;
        Ok(())
    }

    /// Merge steps of `pages` pages until the index is one segment, another
    /// connection wants the write lock, or `budget` has passed (checked
    /// before each step: a step begun runs to its end).
    pub fn merge_index(&mut self, budget: Duration, pages: i32) -> Result<MergeRun> {
        let started = Instant::now();
        let mut run = MergeRun::default();
        loop {
            if started.elapsed() >= budget {
                break;
            }
            match self.merge_step(pages)? {
                Step::Merged => run.steps += 1,
                Step::Done => {
                    run.done = true;
                    break;
                }
                Step::Busy => {
                    run.gave_way = true;
                    break;
                }
            }
            std::thread::sleep(MERGE_PAUSE);
        }
        run.segments = self.index_shape()?.segments();
        Ok(run)
    }
}

/// The index's structure record (FTS5's `fts5StructureDecode`): a 4-byte
/// cookie, an optional 4-byte version mark, then varints: levels, segments,
/// the write counter, and per level its merge count and segments, each with
/// its id, first and last page (and five more numbers in the second version).
fn decode_structure(data: &[u8]) -> Option<IndexShape> {
    let mut at = 4;
    let v2 = data.get(4..8) == Some(&[0xff, 0x00, 0x00, 0x01][..]);
    if v2 {
        at += 4;
    }
    let mut next = || -> Option<u64> {
        let (v, n) = varint(data.get(at..)?)?;
        at += n;
        Some(v)
    };
    let levels = next()?;
    let _segments = next()?;
    let _writes = next()?;
    let mut shape = IndexShape::default();
    for _ in 0..levels {
        let merging = next()? as usize;
        let count = next()?;
        let mut pages = Vec::new();
        for _ in 0..count {
            let (_id, first, last) = (next()?, next()?, next()?);
            if v2 {
                for _ in 0..5 {
                    next()?;
                }
            }
            pages.push(last.saturating_sub(first) + 1);
        }
        shape.levels.push(Level { pages, merging });
    }
    Some(shape)
}

/// SQLite's varint: big-endian, 7 bits a byte while the high bit is set,
/// the ninth byte whole. The value and its length.
fn varint(b: &[u8]) -> Option<(u64, usize)> {
    let mut v: u64 = 0;
    for (i, &byte) in b.iter().enumerate().take(9) {
        if i == 8 {
            return Some(((v << 8) | u64::from(byte), 9));
        }
        v = (v << 7) | u64::from(byte & 0x7f);
        if byte & 0x80 == 0 {
            return Some((v, i + 1));
        }
    }
    None
}

#[cfg(test)]
#[path = "merge_tests.rs"]
mod tests;
