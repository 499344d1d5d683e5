//! The list's and the sidebar's reads, off the loop thread, on their own
//! connection: the loop hands over a request and goes back to the keyboard.
//!
//! Requests do not queue. A view asked for while another waits replaces it,
//! and one asked for while another runs interrupts it, so typing a query
//! costs at most one query in flight, and its answer is the newest.
//! Answers come back as ordinary messages (`ViewLoaded`, `CountsLoaded`).

use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::msg::{Effect, Msg};
use crate::config::SavedQuery;
use crate::model::{Counts, View};
use crate::store::{self, Store};

/// Where the reader's answers go (the loop's channel). Called from the reader thread.
pub type Sink = Arc<dyn Fn(Msg) + Send + Sync>;

/// The counts of the sidebar: the store's aggregates plus the saved queries'.
pub fn load_counts(store: &Store, queries: &[SavedQuery]) -> store::Result<Counts> {
    let mut counts = store.counts()?;
    counts.queries = store.query_counts(queries)?;
    Ok(counts)
}

/// What waits to be read: at most one view and one counts load.
#[derive(Debug, Default, PartialEq)]
struct Jobs {
    view: Option<View>,
    counts: bool,
    /// A view load is running now (a newer one interrupts it).
    running_view: bool,
    quit: bool,
}

#[derive(Debug, PartialEq)]
enum Job {
    View(View),
    Counts,
}

impl Jobs {
    /// Takes a request; true when a running view load should be interrupted.
    fn push(&mut self, effect: Effect) -> bool {
        match effect {
            Effect::LoadView(view) => {
                self.view = Some(view);
                self.running_view
            }
            Effect::LoadCounts => {
                self.counts = true;
                false
            }
            _ => false,
        }
    }

    /// The next job: the view first (the user is waiting on it), then counts.
    fn next(&mut self) -> Option<Job> {
        if let Some(view) = self.view.take() {
            self.running_view = true;
            Some(Job::View(view))
        } else if std::mem::take(&mut self.counts) {
            Some(Job::Counts)
        } else {
            None
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
    /// Starts the thread on `store` (a second connection: `Store::open_reader`).
    pub fn spawn(store: Store, queries: Vec<SavedQuery>, sink: Sink) -> std::io::Result<Reader> {
        let shared =
            Arc::new(Shared { jobs: Mutex::default(), wake: Condvar::new(), interrupt: store.interrupt_handle() });
        let s = shared.clone();
        let thread =
            std::thread::Builder::new().name("tidings-reader".into()).spawn(move || work(store, queries, s, sink))?;
        Ok(Reader { shared, thread: Some(thread) })
    }

    /// Hands over a `LoadView` or `LoadCounts`; anything else is ignored.
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

/// How often the reader looks whether another connection changed the database.
const CHANGE_CHECK: Duration = Duration::from_secs(1);

fn work(store: Store, queries: Vec<SavedQuery>, shared: Arc<Shared>, sink: Sink) {
    // The database as the list last saw it; when another connection (another
    // process, or our writers) commits, the loop hears `DataChanged`.
    let mut seen = store.data_version().ok();
    let mut checked = Instant::now();
    loop {
        let job = {
            let mut jobs = lock(&shared.jobs);
            loop {
                if jobs.quit {
                    return;
                }
                if let Some(job) = jobs.next() {
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
        let reply = match job {
            Job::View(view) => {
                // This load shows whatever was committed until now.
                seen = store.data_version().ok();
                let result = store.list_rows(&view, None);
                lock(&shared.jobs).running_view = false;
                match result {
                    Ok(items) => Some(Msg::ViewLoaded { view, items }),
                    // Typed over: the newer view is already waiting.
                    Err(e) if e.is_interrupted() => None,
                    Err(e) => Some(Msg::Failed(e.to_string())),
                }
            }
            Job::Counts => match load_counts(&store, &queries) {
                Ok(counts) => Some(Msg::CountsLoaded(counts)),
                Err(e) if e.is_interrupted() => {
                    // Only views are meant to be interrupted: ask again.
                    lock(&shared.jobs).counts = true;
                    None
                }
                Err(e) => Some(Msg::Failed(e.to_string())),
            },
        };
        if let Some(msg) = reply {
            sink(msg);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;

    use super::*;
    use crate::config::FeedConfig;
    use crate::model::{FetchedFeed, NewItem};

    #[test]
    fn a_newer_view_replaces_a_waiting_one_and_views_go_first() {
        let mut jobs = Jobs::default();
        assert!(!jobs.push(Effect::LoadCounts));
        assert!(!jobs.push(Effect::LoadView(View::Query("pu".into()))));
        assert!(!jobs.push(Effect::LoadView(View::Query("put".into()))));
        assert_eq!(jobs.next(), Some(Job::View(View::Query("put".into()))));
        assert!(jobs.push(Effect::LoadView(View::Query("puti".into()))), "a running view is interrupted");
        assert_eq!(jobs.next(), Some(Job::View(View::Query("puti".into()))));
        assert_eq!(jobs.next(), Some(Job::Counts));
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
        let reader = Reader::spawn(store.open_reader().unwrap().unwrap(), queries, sink).unwrap();
        reader.request(Effect::LoadView(View::Query("harbour".into())));
        reader.request(Effect::LoadCounts);
        let mut got_view = false;
        let mut got_counts = false;
        while !(got_view && got_counts) {
            match rx.recv_timeout(Duration::from_secs(10)).expect("an answer") {
                Msg::ViewLoaded { view, items } => {
                    assert_eq!(view, View::Query("harbour".into()));
                    assert_eq!(items.iter().map(|r| r.title.as_str()).collect::<Vec<_>>(), ["Harbour news"]);
                    got_view = true;
                }
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
