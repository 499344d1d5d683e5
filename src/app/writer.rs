//! Writes off the loop thread. A writer thread owns its own connection and
//! runs the writes it is handed one at a time, in the order they were made;
//! each is one transaction that takes the write lock when it begins. While
//! another connection or process holds the lock the write waits (the busy
//! handler tries again every millisecond) and then runs: nothing the user
//! did is dropped because someone else was writing.
//!
//! The reader has two: one for the user's changes (read, save, dismiss, tags,
//! undo, full text), whose every write is answered with `Msg::Written`, and
//! one for the poller's results (`Msg::Stored`), so storing a huge feed never
//! holds up a key.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

use super::idle_merge::IdleMerge;
use super::msg::{Effect, Msg};
use crate::config::FeedConfig;
use crate::model::Timestamp;
use crate::store::{self, GiveUp, PollState, SaveOutcome, Store, Undone};

/// Where a writer's answers go (the loop's channel). Called from the writer thread.
pub type Sink = Arc<dyn Fn(Msg) + Send + Sync>;

/// What the poller needs once the store is in step with the config.
pub type PollStates = HashMap<String, PollState>;

/// The chores of a start that wait until the first frame is on screen: the
/// config's feeds into the store, retention, then the poller's schedule.
pub struct Prepare {
    pub feeds: Vec<FeedConfig>,
    pub keep_read_days: u32,
    pub max_items_per_feed: u32,
    /// The feeds come from a sync server (`[sync]`), not from `feeds`.
    pub synced: bool,
    /// Receives every feed's schedule state (the poller starts on it).
    pub then: Box<dyn FnOnce(PollStates) + Send>,
}

/// One piece of work for a writer thread.
enum Job {
    Effect(Effect),
    Prepare(Prepare),
}

/// What the writes of this run know about the run: where its undo stops.
#[derive(Debug, Clone, Default)]
pub struct Session {
    /// The newest journal entry when the reader started: `u` stops after
    /// undoing the changes made since, unless asked to go further.
    pub undo_floor: Option<i64>,
}

/// A writer thread. Dropping it waits for the writes handed over so far.
pub struct Writer {
    jobs: Option<Sender<Job>>,
    thread: Option<JoinHandle<()>>,
    give_up: GiveUp,
    /// Answers "done" once the thread has run out of work after `finish`.
    finished: Receiver<()>,
}

// — #10 keys —
/// How long a writer thread waits without work before its connection gives
/// its page cache back (and the allocator the memory): a refresh's feeds come
/// closer together than this, a session's writes mostly do not.
pub(super) const GIVE_BACK_AFTER: Duration = Duration::from_secs(1);

/// Frees the pages `store`'s connection caches and returns the freed memory
/// to the system (a few hundred microseconds; the next write reads its pages
/// from the operating system's cache again).
fn give_back(store: &Store) {
    if let Err(e) = store.release_memory() {
        tracing::debug!("releasing the page cache: {e}");
    }
    crate::startup::give_back_memory();
}

impl Writer {
    /// Starts a thread on `store` (opened with `Store::open_role`, sharing
    /// `give_up` so a wait for the lock can be ended). `session` holds for
    /// every write it runs.
    /// `merge`: merge the full-text index between jobs while the user is
    /// idle (the ingest thread's, `idle_merge`).
    pub fn spawn(
        name: &str,
        mut store: Store,
        give_up: GiveUp,
        session: Session,
        clock: fn() -> Timestamp,
        sink: Sink,
        mut merge: Option<IdleMerge>,
    ) -> std::io::Result<Writer> {
        let (jobs, rx) = mpsc::channel::<Job>();
        let (done_tx, finished) = mpsc::channel();
        let stop = give_up.clone();
        let thread = std::thread::Builder::new().name(name.into()).spawn(move || {
            // — #10 keys — the user's writes and the poller's never hold up a frame.
            super::priority::background();
            let mut session = session;
            let mut early: Option<Job> = None;
            // — #10 keys — pages cached since the connection last gave them back.
            let mut cached = false;
            loop {
                // — #10 search — while the index has something to merge, the
                // queue is waited on with a timeout, and the merge runs when it ends.
                let job = match (early.take(), merge.as_mut().and_then(|m| m.wait().map(|w| (m, w)))) {
                    (Some(job), _) => job,
                    (None, Some((m, wait))) => match rx.recv_timeout(wait) {
                        Ok(job) => job,
                        Err(RecvTimeoutError::Timeout) => {
                            m.run(&mut store, &mut || match rx.try_recv() {
                                Ok(job) => {
                                    early = Some(job);
                                    true
                                }
                                Err(mpsc::TryRecvError::Empty) => false,
                                Err(mpsc::TryRecvError::Disconnected) => true,
                            });
                            cached = true;
                            continue;
                        }
                        Err(RecvTimeoutError::Disconnected) => break,
                    },
                    // — #10 keys — a while without work: the page cache goes back.
                    (None, None) if cached => match rx.recv_timeout(GIVE_BACK_AFTER) {
                        Ok(job) => job,
                        Err(RecvTimeoutError::Timeout) => {
                            give_back(&store);
                            cached = false;
                            continue;
                        }
                        Err(RecvTimeoutError::Disconnected) => break,
                    },
                    (None, None) => match rx.recv() {
                        Ok(job) => job,
                        Err(_) => break,
                    },
                };
                cached = true;
                if let Some(m) = merge.as_mut() {
                    m.stored();
                }
                match job {
                    Job::Effect(effect) => {
                        if let Some(msg) = execute(&mut store, effect, clock(), &mut session, &stop) {
                            sink(msg);
                        }
                    }
                    Job::Prepare(p) => {
                        if let Some(msg) = prepare(&mut store, p, clock(), &stop) {
                            sink(msg);
                        }
                    }
                }
            }
            store.save_stories();
            let _ = done_tx.send(());
        })?;
        Ok(Writer { jobs: Some(jobs), thread: Some(thread), give_up, finished })
    }

    /// Queues a write after those already queued.
    pub fn send(&self, effect: Effect) {
        if let Some(jobs) = &self.jobs {
            let _ = jobs.send(Job::Effect(effect));
        }
    }

    pub fn prepare(&self, prepare: Prepare) {
        if let Some(jobs) = &self.jobs {
            let _ = jobs.send(Job::Prepare(prepare));
        }
    }

    /// Lets the queued writes finish, waiting at most `deadline` for the
    /// lock; after that the rest fail (and say so). True when all were written.
    pub fn finish(mut self, deadline: Duration) -> bool {
        self.stop(deadline)
    }

    fn stop(&mut self, deadline: Duration) -> bool {
        self.jobs = None;
        let Some(thread) = self.thread.take() else { return true };
        let in_time = !matches!(self.finished.recv_timeout(deadline), Err(RecvTimeoutError::Timeout));
        if !in_time {
            self.give_up.now();
        }
        let _ = thread.join();
        in_time
    }
}

/// How long dropping a writer (without `finish`) waits for its queued writes.
const DROP_DEADLINE: Duration = Duration::from_secs(10);

impl Drop for Writer {
    fn drop(&mut self) {
        self.stop(DROP_DEADLINE);
    }
}

/// Runs `f` until it is not refused for a lock (the busy handler has already
/// waited); gives up only when told to.
fn retrying<T>(give_up: &GiveUp, mut f: impl FnMut() -> store::Result<T>) -> store::Result<T> {
    loop {
        match f() {
            Err(e) if e.is_busy() && !give_up.is_set() => std::thread::sleep(Duration::from_millis(1)),
            other => return other,
        }
    }
}

/// Runs one write on `store`. The user's changes are answered with
/// `Msg::Written` (carrying the change, and any reply of its own); the
/// poller's with their own messages, and a failure in words.
pub fn execute(
    store: &mut Store,
    effect: Effect,
    now: Timestamp,
    session: &mut Session,
    give_up: &GiveUp,
) -> Option<Msg> {
    if effect.is_user_write() {
        let result = retrying(give_up, || user_write(store, &effect, now, session));
        let result = result.map(|m| m.map(Box::new)).map_err(|e| e.to_string());
        return Some(Msg::Written { write: Box::new(effect), result });
    }
    // Each feed's result also goes to the log file, one line per fetch.
    match &effect {
        Effect::RecordFailure { url, error } => {
            tracing::warn!("fetch {url}: error: {}", crate::article::sanitize::line(error));
        }
        Effect::RecordNotModified { url } => tracing::info!("fetch {url}: not modified"),
        _ => {}
    }
    let result = retrying(give_up, || match &effect {
        Effect::StoreFetched(feed) => store.store_fetched(feed, now).map(|new| {
            tracing::info!("fetch {}: {new} new", feed.url);
            Some(Msg::Stored { url: feed.url.clone(), new })
        }),
        Effect::RecordFailure { url, error } => store.record_failure(url, error, now).map(|_| None),
        Effect::RecordNotModified { url } => store.record_not_modified(url, now).map(|_| None),
        Effect::RecordSchedule { url, info } => store.record_schedule(url, info).map(|_| None),
        _ => Ok(None),
    });
    result.unwrap_or_else(|e| {
        tracing::error!("storing a poll result failed: {e}");
        let what = match &effect {
            Effect::StoreFetched(feed) => format!("the items of {}", feed.url),
            _ => "a feed's state".to_string(),
        };
        Some(Msg::Failed(format!("not saved: {what} ({e})")))
    })
}

/// One of the user's changes; `Ok(Some(msg))` when it has something to say.
fn user_write(store: &mut Store, effect: &Effect, now: Timestamp, session: &mut Session) -> store::Result<Option<Msg>> {
    if *effect == Effect::UndoOlder {
        // The user asked to go past the session's start: from now on `u` goes on.
        session.undo_floor = None;
    }
    Ok(match effect {
        Effect::SetRead { ids, read } => store.set_read(ids, *read).map(|_| None)?,
        Effect::Dismiss(id) => store.dismiss(id).map(|_| None)?,
        Effect::MarkViewRead(view) => Some(Msg::MarkedRead(store.mark_view_read(view)?)),
        Effect::SetSaved { id, saved: true } => match store.save_item(id, now)? {
            SaveOutcome::Missing => Some(Msg::Failed("that item is no longer in the database".into())),
            _ => None,
        },
        Effect::SetSaved { id, saved: false } => store.unsave(id).map(|_| None)?,
        Effect::SetTags { id, tags } => store.set_tags(id, tags).map(|_| None)?,
        Effect::Undo => match store.undo_after(session.undo_floor)? {
            Undone::Done(label) => Some(Msg::Walked { undo: true, label: Some(label) }),
            Undone::Boundary => Some(Msg::UndoBoundary),
            Undone::Nothing => Some(Msg::Walked { undo: true, label: None }),
        },
        Effect::UndoOlder => Some(Msg::Walked { undo: true, label: store.undo()? }),
        Effect::Redo => Some(Msg::Walked { undo: false, label: store.redo()? }),
        Effect::StoreFullText { id, full } => store.set_full_text(id, full, now).map(|_| None)?,
        Effect::RecordFullTextError { id, error } => store.record_full_text_error(id, error, now).map(|_| None)?,
        Effect::Bulk(bulk) => Some(Msg::BulkDone { bulk: bulk.clone(), n: store.bulk_apply(bulk, now)? }),
        _ => None,
    })
}

/// The start's chores on the ingest connection: feeds from the config,
/// retention, then the poller's states handed on.
pub(crate) fn prepare(store: &mut Store, p: Prepare, now: Timestamp, give_up: &GiveUp) -> Option<Msg> {
    let feeds = |store: &mut Store| if p.synced { store.activate_sync_feeds() } else { store.sync_feeds(&p.feeds) };
    let error = retrying(give_up, || feeds(store)).err().map(|e| {
        tracing::error!("syncing feeds from the config failed: {e}");
        format!("the config's feeds could not be stored: {e}")
    });
    match retrying(give_up, || store.prune(p.keep_read_days, p.max_items_per_feed, now)) {
        Ok(0) => {}
        Ok(n) => tracing::info!("retention removed {n} old read items"),
        Err(e) => tracing::warn!("retention failed: {e}"),
    }
    let states = store.poll_states().unwrap_or_else(|e| {
        tracing::error!("reading the poll schedule failed: {e}");
        HashMap::new()
    });
    (p.then)(states);
    Some(Msg::Prepared { error })
}
