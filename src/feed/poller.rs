//! The poller task: fetches feeds when they are due (or when asked), with
//! bounded global and per-host concurrency, and reports each feed's result to
//! the app as soon as it is parsed.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc};
use tokio::time::Instant;

use super::fetch::{Fetched, Fetcher};
use super::{FetchError, parse};
use crate::config::{FeedConfig, PollerConfig};
use crate::model::FetchedFeed;
use crate::store::Validators;

/// What the poller tells the app loop. Sent by the poller task, received by
/// the loop as `Msg::Poll`.
#[derive(Debug, Clone, PartialEq)]
pub enum PollEvent {
    /// A batch of this many feeds has started fetching.
    Started { feeds: usize },
    /// A feed was fetched and parsed: its complete items.
    Fetched(Box<FetchedFeed>),
    /// The server said 304: nothing changed.
    NotModified { url: String },
    /// The fetch or the parse failed; the message is for the user.
    Failed { url: String, error: String },
}

impl PollEvent {
    pub fn url(&self) -> Option<&str> {
        match self {
            PollEvent::Started { .. } => None,
            PollEvent::Fetched(f) => Some(&f.url),
            PollEvent::NotModified { url } | PollEvent::Failed { url, .. } => Some(url),
        }
    }
}

/// Fetches and parses one feed; the parse runs on a blocking thread so a
/// large feed never stalls the runtime. Never panics.
pub async fn poll_one(fetcher: &Fetcher, url: &str, validators: &Validators) -> PollEvent {
    let failed = |error: String| PollEvent::Failed { url: url.to_string(), error };
    match fetcher.get(url, validators).await {
        Ok(Fetched::NotModified) => PollEvent::NotModified { url: url.to_string() },
        Ok(Fetched::Body { bytes, etag, last_modified }) => {
            let owned = url.to_string();
            match tokio::task::spawn_blocking(move || parse::parse(&owned, &bytes)).await {
                Ok(Ok(mut feed)) => {
                    feed.etag = etag;
                    feed.last_modified = last_modified;
                    PollEvent::Fetched(Box::new(feed))
                }
                Ok(Err(e)) => failed(e.to_string()),
                Err(_) => failed(parse::ParseError::Panicked.to_string()),
            }
        }
        Err(e) => failed(e.to_string()),
    }
}

/// Where the poller sends its events.
pub type Sink = Arc<dyn Fn(PollEvent) + Send + Sync>;

/// Requests from the app to the poller task.
enum PollCmd {
    RefreshAll,
}

/// Handle to the running poller task; dropping it stops the task.
pub struct Poller {
    cmds: mpsc::UnboundedSender<PollCmd>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Poller {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Poller {
    /// Starts the poller on the current tokio runtime. Every feed is due at once.
    pub fn spawn(
        feeds: Vec<FeedConfig>,
        cfg: PollerConfig,
        validators: HashMap<String, Validators>,
        sink: Sink,
    ) -> Result<Poller, FetchError> {
        let fetcher = Fetcher::new(&cfg)?;
        let (cmds, rx) = mpsc::unbounded_channel();
        let task = tokio::spawn(run(feeds, cfg, fetcher, validators, sink, rx));
        Ok(Poller { cmds, task })
    }

    /// Fetches every feed that is not already being fetched.
    pub fn refresh_all(&self) {
        let _ = self.cmds.send(PollCmd::RefreshAll);
    }
}

fn host_of(url: &str) -> String {
    url::Url::parse(url).ok().and_then(|u| u.host_str().map(String::from)).unwrap_or_default()
}

/// The global and per-host limits on fetches in flight.
#[derive(Clone)]
pub struct Limits {
    global: Arc<Semaphore>,
    per_host: Arc<std::sync::Mutex<HashMap<String, Arc<Semaphore>>>>,
    per_host_max: usize,
}

impl Limits {
    pub fn new(cfg: &PollerConfig) -> Limits {
        Limits {
            global: Arc::new(Semaphore::new(cfg.concurrency.max(1))),
            per_host: Default::default(),
            per_host_max: cfg.per_host.max(1),
        }
    }

    /// Waits for a slot on the URL's host, then a global one; hold the result while fetching.
    pub async fn acquire(&self, url: &str) -> Option<(OwnedSemaphorePermit, OwnedSemaphorePermit)> {
        let host = {
            let mut map = self.per_host.lock().unwrap_or_else(|e| e.into_inner());
            map.entry(host_of(url)).or_insert_with(|| Arc::new(Semaphore::new(self.per_host_max))).clone()
        };
        let host = host.acquire_owned().await.ok()?;
        let global = self.global.clone().acquire_owned().await.ok()?;
        Some((host, global))
    }
}

async fn run(
    feeds: Vec<FeedConfig>,
    cfg: PollerConfig,
    fetcher: Fetcher,
    mut validators: HashMap<String, Validators>,
    sink: Sink,
    mut cmds: mpsc::UnboundedReceiver<PollCmd>,
) {
    let limits = Limits::new(&cfg);
    let now = Instant::now();
    let mut due: HashMap<String, Instant> = feeds.iter().map(|f| (f.url.clone(), now)).collect();
    let mut in_flight: HashSet<String> = HashSet::new();
    // Finished fetches report back here: (url, validators if the feed was fetched).
    let (done_tx, mut done_rx) = mpsc::unbounded_channel::<(String, Option<Validators>)>();
    let interval_of = |url: &str| feeds.iter().find(|f| f.url == url).and_then(|f| f.interval).unwrap_or(cfg.interval);

    loop {
        let now = Instant::now();
        let ready: Vec<String> = feeds
            .iter()
            .filter(|f| !in_flight.contains(&f.url) && due.get(&f.url).is_some_and(|d| *d <= now))
            .map(|f| f.url.clone())
            .collect();
        if !ready.is_empty() {
            sink(PollEvent::Started { feeds: ready.len() });
        }
        for url in ready {
            in_flight.insert(url.clone());
            let (limits, fetcher, sink, done) = (limits.clone(), fetcher.clone(), sink.clone(), done_tx.clone());
            let v = validators.get(&url).cloned().unwrap_or_default();
            tokio::spawn(async move {
                let _permits = limits.acquire(&url).await;
                let event = poll_one(&fetcher, &url, &v).await;
                let fresh = match &event {
                    PollEvent::Fetched(f) => {
                        Some(Validators { etag: f.etag.clone(), last_modified: f.last_modified.clone() })
                    }
                    _ => None,
                };
                sink(event);
                let _ = done.send((url, fresh));
            });
        }
        let next = due
            .iter()
            .filter(|(u, _)| !in_flight.contains(*u))
            .map(|(_, d)| *d)
            .min()
            .unwrap_or(now + Duration::from_secs(3600));
        tokio::select! {
            cmd = cmds.recv() => match cmd {
                Some(PollCmd::RefreshAll) => {
                    let now = Instant::now();
                    due.values_mut().for_each(|d| *d = now);
                }
                None => break, // the app is gone
            },
            Some((url, fresh)) = done_rx.recv() => {
                in_flight.remove(&url);
                if let Some(v) = fresh {
                    validators.insert(url.clone(), v);
                }
                due.insert(url.clone(), Instant::now() + interval_of(&url));
            },
            _ = tokio::time::sleep_until(next) => {}
        }
    }
}
