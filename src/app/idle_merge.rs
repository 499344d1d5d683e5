//! — #10 search — The reader merges the full-text index while the user is
//! idle, on the ingest thread (the one that stores the poller's results,
//! and so adds the index's segments), between its jobs: never while it has
//! a job waiting, never within `QUIET` of the user's last key, click or
//! resize (the loop counts those in `Activity`), and one bounded step at a
//! time (`Store::merge_step`), stopping as soon as a job arrives, the user
//! does anything, or another connection wants the write lock. Nothing is
//! sent to the loop: the loop never wakes for a merge (the reader's change
//! check sees the commits as any other connection's).
//!
//! The thread waits with a timeout only while the index has something to
//! merge; once merged (or when merging fails) it sleeps on its queue alone
//! until the next job that may add segments (a store, the start's chores).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::store::Store;
use crate::store::merge::{MERGE_PAGES, Step};

/// The user's input as the loop has handled it: a count of keys, clicks,
/// pastes and resizes (the loop bumps it; the ingest thread reads it).
#[derive(Debug, Clone, Default)]
pub struct Activity(Arc<AtomicU64>);

impl Activity {
    pub fn input(&self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }

    fn seen(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// How long after the user's last input merging may begin.
pub const QUIET: Duration = Duration::from_secs(2);
/// After another connection took the lock first: wait this long before trying again.
const BACK_OFF: Duration = Duration::from_secs(5);

/// What the ingest thread needs to merge when idle.
#[derive(Debug)]
pub struct IdleMerge {
    activity: Activity,
    /// The input count last seen, and when it was seen to change.
    last: (u64, Instant),
    /// The index may have something to merge.
    pending: bool,
    /// No step before this (after giving way to another writer).
    not_before: Instant,
}

impl IdleMerge {
    pub fn new(activity: Activity) -> IdleMerge {
        let now = Instant::now();
        IdleMerge { last: (activity.seen(), now), activity, pending: true, not_before: now }
    }

    /// A job ran that may have added segments.
    pub fn stored(&mut self) {
        self.pending = true;
    }

    /// How long the thread may sleep on its queue: None, until a job comes.
    pub fn wait(&mut self) -> Option<Duration> {
        if !self.pending {
            return None;
        }
        self.look();
        let quiet_at = self.last.1 + QUIET;
        let at = quiet_at.max(self.not_before);
        Some(at.saturating_duration_since(Instant::now()))
    }

    /// Notes whether the user did something since last looked.
    fn look(&mut self) -> bool {
        let seen = self.activity.seen();
        if seen != self.last.0 {
            self.last = (seen, Instant::now());
            return true;
        }
        false
    }

    /// Merge steps while the user stays idle and `more_work` says nothing
    /// else is waiting (it is asked between steps).
    pub fn run(&mut self, store: &mut Store, more_work: &mut dyn FnMut() -> bool) {
        if self.look() || self.last.1.elapsed() < QUIET || Instant::now() < self.not_before {
            return;
        }
        let started = Instant::now();
        let mut steps = 0;
        loop {
            match store.merge_step(MERGE_PAGES) {
                Ok(Step::Merged) => steps += 1,
                Ok(Step::Done) => {
                    self.pending = false;
                    break;
                }
                Ok(Step::Busy) => {
                    self.not_before = Instant::now() + BACK_OFF;
                    break;
                }
                Err(e) => {
                    tracing::warn!("merging the search index failed: {e}");
                    self.pending = false;
                    break;
                }
            }
            // A writer that waited for the lock takes it meanwhile.
            std::thread::sleep(crate::store::merge::MERGE_PAUSE);
            if self.look() || more_work() {
                break;
            }
        }
        if steps > 0 {
            let segments = store.index_shape().map(|s| s.segments()).unwrap_or(0);
            tracing::info!(
                "merged the search index while idle: {steps} steps in {:.1} s, {segments} segments",
                started.elapsed().as_secs_f64()
            );
        }
    }
}
