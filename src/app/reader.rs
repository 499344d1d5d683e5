//! The list's and the sidebar's reads, off the loop thread, on their own
//! connection: the loop hands over a request and goes back to the keyboard.
//!
//! Requests do not queue. A window asked for while another waits replaces
//! it, and one asked for while another runs interrupts it, so typing a query
//! costs at most one query in flight, and its answer is the newest. Work
//! goes by urgency: a new window, then more rows at either end, then the
//! view's size, the sidebar's counts, and prefetch lists last; a more urgent
//! request interrupts a less urgent read, which runs again afterwards.
//! Answers come back as ordinary messages (`WindowLoaded`, `CountsLoaded`, …).
//!
//! Every second without work the thread asks whether another connection
//! (another process, or one of the reader's own writers) has committed since
//! the list was read, and if so tells the loop (`DataChanged`).

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::msg::{Effect, Msg, WindowReq};
use super::update::list::FETCH_ROWS;
use crate::config::SavedQuery;
use crate::model::{Counts, QueryCount, View};
use crate::store::{self, Store, Window};

/// Where the reader's answers go (the loop's channel). Called from the reader thread.
pub type Sink = Arc<dyn Fn(Msg) + Send + Sync>;

/// How often the reader looks whether another connection changed the database.
const CHANGE_CHECK: Duration = Duration::from_secs(1);
/// Full-text prefetch takes at most this many of a feed's items at a time.
const PREFETCH_BATCH: usize = 100;

/// Saved queries' counts, kept until the database changes.
#[derive(Debug, Default)]
pub struct QueryCache {
    /// The store's change stamp when they were counted.
    version: Option<(i64, u64)>,
    counts: Vec<QueryCount>,
}

/// The counts of the sidebar: the store's aggregates plus the saved queries'
/// (counted again only when the database changed since they last were).
/// `give_way` is asked between queries: true gives up (as interrupted) for
/// something more urgent.
pub fn load_counts(
    store: &Store,
    queries: &[SavedQuery],
    cache: &mut QueryCache,
    give_way: &dyn Fn() -> bool,
) -> store::Result<Counts> {
    let mut counts = store.counts()?;
    let version = store.change_stamp().ok();
    if cache.version.is_none() || cache.version != version || cache.counts.len() != queries.len() {
        let mut fresh = Vec::with_capacity(queries.len());
        for q in queries {
            if give_way() {
                return Err(store::StoreError::interrupted());
            }
            fresh.extend(store.query_counts(std::slice::from_ref(q))?);
        }
        cache.counts = fresh;
        cache.version = version;
    }
    counts.queries = cache.counts.clone();
    Ok(counts)
}

// — #10 search —
/// The first window of a typed query: a tall screen's worth. A word in most
/// items is found by a point lookup per row (`store/window_probe.rs`), about
/// 1.5 a row for a word in two thirds of the items, so a first window of 250
/// rows cost 370 lookups before the first screen; the rest is read at once
/// after it, as the list asks for more rows (`update::list::ensure`).
pub const FIRST_QUERY_ROWS: usize = 64;

/// Reads one window of a view: `WindowLoaded`.
pub fn load_window(store: &Store, view: View, req: WindowReq) -> store::Result<Msg> {
    let n = FETCH_ROWS;
    let mut target = None;
    let window = match req {
        WindowReq::Top if matches!(view, View::Query(_)) => store.window_top(&view, FIRST_QUERY_ROWS)?,
        WindowReq::Top => store.window_top(&view, n)?,
        WindowReq::Bottom => store.window_bottom(&view, n)?,
        WindowReq::Around(key) | WindowReq::Refresh(key) => store.rows_around(&view, key, n / 2, n)?,
        WindowReq::After(key) => store.rows_after(&view, key, n)?,
        WindowReq::Before(key) => store.rows_before(&view, key, n)?,
        WindowReq::NextUnread(after) => {
            // Down from the key, else from the top (wrapping round).
            let found = match after {
                Some(key) => store.next_unread(&view, Some(key))?,
                None => None,
            };
            let found = match found {
                Some(f) => Some(f),
                None => store.next_unread(&view, None)?,
            };
            match found {
                Some((key, id)) => {
                    target = Some(id);
                    store.rows_around(&view, key, n / 2, n)?
                }
                None => Window::default(),
            }
        }
    };
    Ok(Msg::WindowLoaded { view, req, window, target })
}

/// Reads done inline (no reader thread: tests, and the first screen):
/// the answers to `effect`, in order.
pub fn read_inline(
    store: &Store,
    effect: Effect,
    queries: &[SavedQuery],
    cache: &mut QueryCache,
) -> store::Result<Vec<Msg>> {
    Ok(match effect {
        Effect::LoadView(view) => with_total(store, view, WindowReq::Top)?,
        Effect::LoadWindow { view, req } => with_total(store, view, req)?,
        Effect::LoadCounts => vec![Msg::CountsLoaded(load_counts(store, queries, cache, &|| false)?)],
        Effect::PrefetchFullText { feed } => vec![Msg::PrefetchWanted(store.full_text_wanted(&feed, PREFETCH_BATCH)?)],
        Effect::CountBulk(bulk) => vec![Msg::BulkCounted { n: store.bulk_count(&bulk)?, bulk }],
        _ => vec![],
    })
}

fn with_total(store: &Store, view: View, req: WindowReq) -> store::Result<Vec<Msg>> {
    let mut msgs = vec![load_window(store, view.clone(), req)?];
    if counts_total(&view, req) {
        msgs.push(Msg::ViewCounted { total: store.view_len(&view)?, view });
    }
    Ok(msgs)
}

/// A typed query shows how many items it matches: counted after its rows.
fn counts_total(view: &View, req: WindowReq) -> bool {
    matches!(view, View::Query(_)) && !req.grows()
}

/// What kind of read runs, for deciding what a new request interrupts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    /// A new window (most urgent).
    Window,
    /// More rows at an end of the window.
    Grow,
    Total,
    Counts,
    Prefetch,
}
// (#13 cmdline: a bulk change's count runs as `Kind::Total`: a new window interrupts it, then it runs again.)

/// What waits to be read: at most one of each, except prefetch lists.
#[derive(Debug, Default)]
struct Jobs {
    window: Option<(View, WindowReq)>,
    down: Option<(View, WindowReq)>,
    up: Option<(View, WindowReq)>,
    total: Option<View>,
    counts: bool,
    prefetch: VecDeque<String>,
    /// #13: bulk changes to count, oldest first.
    bulk: VecDeque<crate::store::Bulk>,
    running: Option<Kind>,
    quit: bool,
    // — #13 feeds view —
    /// The order windows are read in (the list's, as of the last request).
    order: crate::config::SortOrder,
    // — #15 stories —
    /// How windows fold stories (as of the last request).
    folding: crate::store::Folding,
}

#[derive(Debug, PartialEq)]
enum Job {
    Window(View, WindowReq),
    Total(View),
    Counts,
    Prefetch(String),
    Bulk(crate::store::Bulk),
}

impl Job {
    fn kind(&self) -> Kind {
        match self {
            Job::Window(_, req) if req.grows() => Kind::Grow,
            Job::Window(..) => Kind::Window,
            Job::Total(_) => Kind::Total,
            Job::Counts => Kind::Counts,
            Job::Prefetch(_) => Kind::Prefetch,
            Job::Bulk(_) => Kind::Total,
        }
    }
}

impl Jobs {
    /// Takes a request; true when the read running now should be interrupted.
    fn push(&mut self, effect: Effect) -> bool {
        let kind = match effect {
            Effect::LoadView(view) => self.push_window(view, WindowReq::Top),
            Effect::LoadWindow { view, req } => self.push_window(view, req),
            Effect::LoadCounts => {
                self.counts = true;
                Kind::Counts
            }
            Effect::PrefetchFullText { feed } => {
                if !self.prefetch.contains(&feed) {
                    self.prefetch.push_back(feed);
                }
                Kind::Prefetch
            }
            Effect::CountBulk(bulk) => {
                self.bulk.push_back(bulk);
                Kind::Total
            }
            _ => return false,
        };
        // A new window interrupts anything but growth (which is quick);
        // growth interrupts a view's count and prefetch lists, but not the
        // sidebar's counts (one cheap query, then saved queries that give way
        // between them): interrupted, they would start over and, while the
        // user scrolls, never finish. Interrupted reads run again.
        match (kind, self.running) {
            (Kind::Window, Some(running)) => running != Kind::Grow,
            (Kind::Grow, Some(running)) => matches!(running, Kind::Total | Kind::Prefetch),
            _ => false,
        }
    }

    fn push_window(&mut self, view: View, req: WindowReq) -> Kind {
        match req {
            WindowReq::After(_) => self.down = Some((view, req)),
            WindowReq::Before(_) => self.up = Some((view, req)),
            _ => {
                // A new window makes growth of the old one and its size moot.
                self.window = Some((view, req));
                self.down = None;
                self.up = None;
                self.total = None;
                return Kind::Window;
            }
        }
        Kind::Grow
    }

    /// The most urgent job.
    fn next(&mut self) -> Option<Job> {
        let job = if let Some((view, req)) = self.window.take() {
            Job::Window(view, req)
        } else if let Some((view, req)) = self.down.take().or_else(|| self.up.take()) {
            Job::Window(view, req)
        } else if let Some(view) = self.total.take() {
            Job::Total(view)
        } else if let Some(bulk) = self.bulk.pop_front() {
            Job::Bulk(bulk)
        } else if std::mem::take(&mut self.counts) {
            Job::Counts
        } else {
            Job::Prefetch(self.prefetch.pop_front()?)
        };
        self.running = Some(job.kind());
        Some(job)
    }

    /// An interrupted job goes back in line, unless something newer replaced it.
    fn requeue(&mut self, job: Job) {
        match job {
            Job::Window(..) => {}
            Job::Total(view) => {
                if self.window.is_none() {
                    self.total.get_or_insert(view);
                }
            }
            Job::Counts => self.counts = true,
            Job::Prefetch(feed) => self.prefetch.push_front(feed),
            Job::Bulk(bulk) => self.bulk.push_front(bulk),
        }
    }
}

struct Shared {
    jobs: Mutex<Jobs>,
    wake: Condvar,
    interrupt: crate::store::InterruptHandle,
}

fn lock(m: &Mutex<Jobs>) -> MutexGuard<'_, Jobs> {
    // The reader holds no invariant across a panic that matters here.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The reader thread; stopped (and joined) when dropped.
pub struct Reader {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl Reader {
    /// Starts the thread on `store` (its own connection: `Store::open_role`).
    pub fn spawn(store: Store, queries: Vec<SavedQuery>, sink: Sink) -> std::io::Result<Reader> {
        let shared =
            Arc::new(Shared { jobs: Mutex::default(), wake: Condvar::new(), interrupt: store.interrupt_handle() });
        let s = shared.clone();
        let thread = std::thread::Builder::new().name("tidings-reader".into()).spawn(move || {
            super::priority::lower(super::priority::READER_NICE); // #10 keys
            work(store, queries, s, sink)
        })?;
        Ok(Reader { shared, thread: Some(thread) })
    }

    // — #13 feeds view —
    /// The order the next windows are read in.
    pub fn set_order(&self, order: crate::config::SortOrder) {
        lock(&self.shared.jobs).order = order;
    }

    // — #15 stories —
    /// How the next windows fold stories.
    pub fn set_folding(&self, folding: &crate::store::Folding) {
        let mut jobs = lock(&self.shared.jobs);
        if jobs.folding != *folding {
            jobs.folding = folding.clone();
        }
    }

    /// Hands over a read (`Effect::runs_on_reader`); anything else is ignored.
    pub fn request(&self, effect: Effect) {
        let mut jobs = lock(&self.shared.jobs);
        if jobs.push(effect) {
            self.shared.interrupt.interrupt();
        }
        self.shared.wake.notify_one();
    }
}

impl Drop for Reader {
    fn drop(&mut self) {
        lock(&self.shared.jobs).quit = true;
        self.shared.interrupt.interrupt();
        self.shared.wake.notify_one();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn work(store: Store, queries: Vec<SavedQuery>, shared: Arc<Shared>, sink: Sink) {
    // The database as the list last saw it; when another connection commits,
    // the loop hears `DataChanged`.
    let mut seen = store.data_version().ok();
    let mut checked = Instant::now();
    let mut cache = QueryCache::default();
    loop {
        let job = {
            let mut jobs = lock(&shared.jobs);
            loop {
                if jobs.quit {
                    return;
                }
                if let Some(job) = jobs.next() {
                    store.set_list_order(jobs.order);
                    if store.folding() != jobs.folding {
                        store.set_folding(jobs.folding.clone());
                    }
                    break Some(job);
                }
                let wait = CHANGE_CHECK.saturating_sub(checked.elapsed());
                if wait.is_zero() {
                    break None;
                }
                jobs = shared.wake.wait_timeout(jobs, wait).unwrap_or_else(PoisonError::into_inner).0;
            }
        };
        let Some(job) = job else {
            checked = Instant::now();
            let now = store.data_version().ok();
            if now != seen {
                seen = now;
                sink(Msg::DataChanged);
            }
            continue;
        };
        let result = match &job {
            Job::Window(view, req) => {
                if !req.grows() {
                    // This read shows whatever was committed until now.
                    seen = store.data_version().ok();
                }
                load_window(&store, view.clone(), *req)
            }
            Job::Total(view) => store.view_len(view).map(|total| Msg::ViewCounted { view: view.clone(), total }),
            Job::Counts => {
                // Rows the user is waiting for go first, even between two counts.
                let urgent = || {
                    let jobs = lock(&shared.jobs);
                    jobs.window.is_some() || jobs.down.is_some() || jobs.up.is_some()
                };
                load_counts(&store, &queries, &mut cache, &urgent).map(Msg::CountsLoaded)
            }
            Job::Prefetch(feed) => store.full_text_wanted(feed, PREFETCH_BATCH).map(Msg::PrefetchWanted),
            Job::Bulk(bulk) => store.bulk_count(bulk).map(|n| Msg::BulkCounted { bulk: bulk.clone(), n }),
        };
        let mut jobs = lock(&shared.jobs);
        jobs.running = None;
        match result {
            Ok(msg) => {
                if let Job::Window(view, req) = &job
                    && counts_total(view, *req)
                    && jobs.window.is_none()
                {
                    jobs.total = Some(view.clone());
                }
                drop(jobs);
                sink(msg);
            }
            // Interrupted for something more urgent: it runs again if still wanted.
            Err(e) if e.is_interrupted() => jobs.requeue(job),
            Err(e) => {
                drop(jobs);
                sink(Msg::Failed(e.to_string()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;

    use super::*;
    use crate::config::FeedConfig;
    use crate::model::{FetchedFeed, NewItem};

    fn q(text: &str) -> View {
        View::Query(text.into())
    }

    #[test]
    fn a_newer_window_replaces_a_waiting_one_and_windows_go_first() {
        let mut jobs = Jobs::default();
        assert!(!jobs.push(Effect::LoadCounts));
        assert!(!jobs.push(Effect::LoadView(q("pu"))));
        assert!(!jobs.push(Effect::LoadView(q("put"))));
        assert_eq!(jobs.next(), Some(Job::Window(q("put"), WindowReq::Top)));
        assert!(jobs.push(Effect::LoadView(q("puti"))), "a running window is interrupted");
        assert_eq!(jobs.next(), Some(Job::Window(q("puti"), WindowReq::Top)));
        assert_eq!(jobs.next(), Some(Job::Counts));
        assert_eq!(jobs.next(), None);
    }

    #[test]
    fn growth_goes_before_counts_and_interrupts_a_view_count() {
        let key = crate::model::RowKey { date: 5, seq: 1, rank: 0 };
        let mut jobs = Jobs::default();
        jobs.push(Effect::LoadCounts);
        jobs.total = Some(q("x"));
        assert_eq!(jobs.next(), Some(Job::Total(q("x"))));
        let grow = Effect::LoadWindow { view: View::All, req: WindowReq::After(key) };
        assert!(jobs.push(grow.clone()), "a count gives way to rows the user scrolls towards");
        jobs.requeue(Job::Total(q("x")));
        assert_eq!(jobs.next(), Some(Job::Window(View::All, WindowReq::After(key))));
        assert_eq!(jobs.next(), Some(Job::Total(q("x"))));
        assert_eq!(jobs.next(), Some(Job::Counts));
        assert!(!jobs.push(grow), "the sidebar's counts finish");
        assert_eq!(jobs.next(), Some(Job::Window(View::All, WindowReq::After(key))));
        assert!(!jobs.push(Effect::LoadView(View::Unread)), "growth is not interrupted");
        // A new window drops growth asked for the old one.
        jobs.push(Effect::LoadWindow { view: View::All, req: WindowReq::Before(key) });
        jobs.push(Effect::LoadView(View::All));
        assert_eq!(jobs.next(), Some(Job::Window(View::All, WindowReq::Top)));
        assert_eq!(jobs.next(), None);
    }

    #[test]
    fn answers_arrive_as_messages_from_a_second_connection() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("t.db")).unwrap();
        let url = "https://a.example/rss";
        store.sync_feeds(&[FeedConfig::new(url)]).unwrap();
        let items = ["Kremlin talks", "Harbour news"]
            .iter()
            .enumerate()
            .map(|(i, t)| NewItem {
                key: i.to_string(),
                title: t.to_string(),
                published: Some(i as i64),
                ..Default::default()
            })
            .collect();
        store.store_fetched(&FetchedFeed { url: url.into(), items, ..Default::default() }, 10).unwrap();

        let (tx, rx) = mpsc::channel();
        let tx = Mutex::new(tx);
        let sink: Sink = Arc::new(move |m| {
            let _ = lock_tx(&tx).send(m);
        });
        let queries = vec![SavedQuery { name: "K".into(), query: "kreml".into() }];
        let read = store.open_role(crate::store::Role::Reader, &Default::default()).unwrap().unwrap();
        let reader = Reader::spawn(read, queries, sink).unwrap();
        reader.request(Effect::LoadView(View::Query("harbour".into())));
        reader.request(Effect::LoadCounts);
        let mut got_view = false;
        let mut got_counts = false;
        while !(got_view && got_counts) {
            match rx.recv_timeout(Duration::from_secs(10)).expect("an answer") {
                Msg::WindowLoaded { view, window, .. } => {
                    assert_eq!(view, View::Query("harbour".into()));
                    assert_eq!(window.rows.iter().map(|r| r.title.as_str()).collect::<Vec<_>>(), ["Harbour news"]);
                    got_view = true;
                }
                Msg::ViewCounted { total, .. } => assert_eq!(total, 1),
                Msg::CountsLoaded(c) => {
                    assert_eq!(c.total, 2);
                    assert_eq!((c.queries[0].name.as_str(), c.queries[0].unread), ("K", 1));
                    got_counts = true;
                }
                other => panic!("unexpected {other:?}"),
            }
        }
        drop(reader);
    }

    #[test]
    fn a_commit_by_another_connection_is_noticed() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("t.db")).unwrap();
        let (tx, rx) = mpsc::channel();
        let tx = Mutex::new(tx);
        let sink: Sink = Arc::new(move |m| {
            let _ = lock_tx(&tx).send(m);
        });
        let give_up = crate::store::GiveUp::default();
        let read = store.open_role(crate::store::Role::Reader, &give_up).unwrap().unwrap();
        let reader = Reader::spawn(read, vec![], sink).unwrap();
        assert!(rx.recv_timeout(CHANGE_CHECK * 2).is_err(), "no change, no message");
        store.sync_feeds(&[FeedConfig::new("https://a.example/rss")]).unwrap();
        assert!(matches!(rx.recv_timeout(CHANGE_CHECK * 3), Ok(Msg::DataChanged)));
        drop(reader);
    }

    fn lock_tx<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
        m.lock().unwrap()
    }
}
