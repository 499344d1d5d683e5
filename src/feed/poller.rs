//! The poller task: fetches feeds when they are due (or when asked), with
//! bounded global and per-host concurrency, and reports each feed's result to
//! the app as soon as it is parsed.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc};
use tokio::time::Instant;

use super::fetch::{Fetched, Fetcher, ResponseMeta};
use super::{FetchError, parse, schedule};
use crate::config::{FeedConfig, PollerConfig};
use crate::model::{FetchedFeed, PollInfo, Timestamp};
use crate::store::{PollState, Validators};

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
    /// Follows each of the three results above for the same feed: its status,
    /// next poll, Retry-After and permanent move, to persist.
    Scheduled { url: String, info: PollInfo },
    // — #13 feeds view —
    /// This feed's fetch is starting (one per feed of a `Started` batch).
    Fetching { url: String },
}

impl PollEvent {
    pub fn url(&self) -> Option<&str> {
        match self {
            PollEvent::Started { .. } => None,
            PollEvent::Fetched(f) => Some(&f.url),
            PollEvent::NotModified { url }
            | PollEvent::Failed { url, .. }
            | PollEvent::Scheduled { url, .. }
            | PollEvent::Fetching { url } => Some(url),
        }
    }
}

/// One feed's result and what it means for the schedule.
#[derive(Debug, Clone, PartialEq)]
pub struct Polled {
    pub event: PollEvent,
    pub info: PollInfo,
    /// Freshness hints for the schedule: `<ttl>` and max-age, in seconds.
    pub ttl: Option<u64>,
    pub max_age: Option<u64>,
}

/// Fetches and parses one feed; the parse runs on a blocking thread so a
/// large feed never stalls the runtime. Never panics.
pub async fn poll_one(fetcher: &Fetcher, url: &str, validators: &Validators) -> PollEvent {
    fetch_and_parse(fetcher, url, validators).await.event
}

async fn fetch_and_parse(fetcher: &Fetcher, url: &str, validators: &Validators) -> Polled {
    let done = |event, meta: ResponseMeta, ttl: Option<u64>| Polled {
        event,
        info: PollInfo { status: meta.status, moved_to: meta.moved_to, ..Default::default() },
        ttl,
        max_age: meta.max_age,
    };
    let failed = |error: String| PollEvent::Failed { url: url.to_string(), error };
    // Feeds come from the user's config: the only place a `file://` URL may.
    match fetcher.get_feed(url, validators).await {
        Ok(Fetched::NotModified { meta }) => done(PollEvent::NotModified { url: url.to_string() }, meta, None),
        Ok(Fetched::Body { bytes, spooled, etag, last_modified, meta }) => {
            let owned = url.to_string();
            let parse = move || match spooled {
                // — #10 fetch memory — a large body the fetcher wrote to a file.
                Some(spooled) => parse::parse_spooled(&owned, &spooled),
                None => parse::parse_owned(&owned, bytes),
            };
            match tokio::task::spawn_blocking(parse).await {
                Ok(Ok(mut feed)) => {
                    feed.etag = etag;
                    feed.last_modified = last_modified;
                    let ttl = feed.ttl.map(|m| u64::from(m) * 60);
                    done(PollEvent::Fetched(Box::new(feed)), meta, ttl)
                }
                Ok(Err(e)) => done(failed(e.to_string()), meta, None),
                Err(_) => done(failed(parse::ParseError::Panicked.to_string()), meta, None),
            }
        }
        Err(e) => {
            let meta = ResponseMeta { status: e.status(), ..Default::default() };
            let mut polled = done(failed(e.to_string()), meta, None);
            polled.info.retry_at = e.retry_at();
            polled
        }
    }
}

/// Everything needed to poll one feed and schedule the next poll.
#[derive(Debug, Clone, Default)]
pub struct Job {
    /// The feed's identity (its URL in the config).
    pub url: String,
    /// Where to fetch it: the identity, or where it moved permanently.
    pub fetch_url: String,
    pub validators: Validators,
    /// Failures in a row before this poll.
    pub failures: u32,
    pub interval: Duration,
    /// The last known schedule hints (seconds): `<ttl>` and max-age.
    pub ttl: Option<u64>,
    pub max_age: Option<u64>,
}

impl Job {
    pub fn new(feed: &FeedConfig, default_interval: Duration, state: Option<&PollState>) -> Job {
        Job {
            url: feed.url.clone(),
            fetch_url: state.and_then(|s| s.moved_to.clone()).unwrap_or_else(|| feed.url.clone()),
            validators: state.map(|s| s.validators.clone()).unwrap_or_default(),
            failures: state.map_or(0, |s| s.failures),
            interval: feed.interval.unwrap_or(default_interval),
            ttl: state.and_then(|s| s.ttl),
            max_age: state.and_then(|s| s.max_age),
        }
    }

    /// Polls the feed: its result (under the feed's own URL) and the info
    /// with the next poll time filled in.
    pub async fn poll(&self, fetcher: &Fetcher) -> (PollEvent, PollInfo) {
        let mut polled = fetch_and_parse(fetcher, &self.fetch_url, &self.validators).await;
        if self.fetch_url != self.url {
            set_url(&mut polled.event, &self.url);
            // Still moved: keep fetching from the new home.
            polled.info.moved_to.get_or_insert_with(|| self.fetch_url.clone());
        }
        let now = crate::app::system_clock();
        // The hints in force: a fetched feed brings its own; a 304 has no
        // feed and often no max-age, so it keeps the last known ones (a
        // max-age it does send wins); a failure changes nothing.
        let (ttl, max_age) = match &polled.event {
            PollEvent::Fetched(_) => (polled.ttl, polled.max_age),
            PollEvent::NotModified { .. } => (self.ttl, polled.max_age.or(self.max_age)),
            _ => (self.ttl, self.max_age),
        };
        polled.info.ttl = ttl;
        polled.info.max_age = max_age;
        let outcome = match &polled.event {
            PollEvent::Failed { .. } => {
                schedule::Outcome::Failed { failures: self.failures.saturating_add(1), retry_at: polled.info.retry_at }
            }
            _ => schedule::Outcome::Ok { ttl, max_age },
        };
        polled.info.next_poll = Some(schedule::next_poll(now, self.interval, outcome, fastrand::f64()));
        polled.info.retry_at = schedule::retry_floor(now, polled.info.retry_at);
        (polled.event, polled.info)
    }
}

fn set_url(event: &mut PollEvent, url: &str) {
    match event {
        PollEvent::Fetched(f) => f.url = url.to_string(),
        PollEvent::NotModified { url: u }
        | PollEvent::Failed { url: u, .. }
        | PollEvent::Scheduled { url: u, .. }
        | PollEvent::Fetching { url: u } => *u = url.to_string(),
        PollEvent::Started { .. } => {}
    }
}

/// Where the poller sends its events.
pub type Sink = Arc<dyn Fn(PollEvent) + Send + Sync>;

/// Requests from the app to the poller task.
enum PollCmd {
    RefreshAll,
    // — #13 feeds view —
    /// Fetch this feed now (unless it is being fetched or asked us to wait).
    Refresh(String),
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
    /// Starts the poller on the current tokio runtime. Feeds are due when
    /// their stored next poll has passed (or was never set).
    pub fn spawn(
        feeds: Vec<FeedConfig>,
        cfg: PollerConfig,
        states: HashMap<String, PollState>,
        sink: Sink,
    ) -> Result<Poller, FetchError> {
        let net = Net::new(&cfg)?;
        Ok(Poller::spawn_on(net, feeds, cfg, states, sink))
    }

    /// Like `spawn`, sharing the HTTP client and the limits with other
    /// services (the full-text fetcher), so the per-host limit holds for all.
    pub fn spawn_on(
        net: Net,
        feeds: Vec<FeedConfig>,
        cfg: PollerConfig,
        states: HashMap<String, PollState>,
        sink: Sink,
    ) -> Poller {
        let (cmds, rx) = mpsc::unbounded_channel();
        let task = tokio::spawn(run(feeds, cfg, net, states, sink, rx));
        Poller { cmds, task }
    }

    /// Like `spawn_on`, but the feeds' schedule states arrive later (once the
    /// store is in step with the config, after the reader's first frame);
    /// nothing is fetched before they do. Refresh requests made meanwhile wait.
    pub fn spawn_after(
        net: Net,
        feeds: Vec<FeedConfig>,
        cfg: PollerConfig,
        states: tokio::sync::oneshot::Receiver<HashMap<String, PollState>>,
        sink: Sink,
    ) -> Poller {
        let (cmds, rx) = mpsc::unbounded_channel();
        let task = tokio::spawn(async move {
            // Without states (the store could not be read) every feed is due.
            let states = states.await.unwrap_or_default();
            run(feeds, cfg, net, states, sink, rx).await
        });
        Poller { cmds, task }
    }

    /// Fetches every feed that is not already being fetched and whose
    /// server has not asked us to wait (Retry-After).
    pub fn refresh_all(&self) {
        let _ = self.cmds.send(PollCmd::RefreshAll);
    }

    // — #13 feeds view —
    /// Fetches one feed now, under the same rules as `refresh_all`.
    pub fn refresh_feed(&self, url: &str) {
        let _ = self.cmds.send(PollCmd::Refresh(url.to_string()));
    }
}

fn host_of(url: &str) -> String {
    url::Url::parse(url).ok().and_then(|u| u.host_str().map(String::from)).unwrap_or_default()
}

/// One HTTP client and one set of limits, shared by everything that fetches
/// for the reader (the poller, the full-text service).
#[derive(Clone)]
pub struct Net {
    pub fetcher: Fetcher,
    pub limits: Limits,
}

impl Net {
    pub fn new(cfg: &PollerConfig) -> Result<Net, FetchError> {
        Ok(Net { fetcher: Fetcher::new(cfg)?, limits: Limits::new(cfg) })
    }
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

/// An instant `at` (unix seconds) lies at, seen from `now`.
fn instant_at(at: Timestamp, now: Timestamp) -> Instant {
    Instant::now() + Duration::from_secs(at.saturating_sub(now).max(0) as u64)
}

/// One feed in the poller's care.
struct Entry {
    job: Job,
    due: Instant,
    /// Retry-After: not before this, even on a manual refresh.
    retry_at: Option<Timestamp>,
}

async fn run(
    feeds: Vec<FeedConfig>,
    cfg: PollerConfig,
    net: Net,
    states: HashMap<String, PollState>,
    sink: Sink,
    mut cmds: mpsc::UnboundedReceiver<PollCmd>,
) {
    let Net { fetcher, limits } = net;
    let now = crate::app::system_clock();
    let mut entries: HashMap<String, Entry> = feeds
        .iter()
        .map(|f| {
            let state = states.get(&f.url);
            let retry_at = state.and_then(|s| schedule::retry_floor(now, s.retry_at));
            let next = state.and_then(|s| s.next_poll).into_iter().chain(retry_at).max().unwrap_or(now);
            let entry = Entry { job: Job::new(f, cfg.interval, state), due: instant_at(next, now), retry_at };
            (f.url.clone(), entry)
        })
        .collect();
    let mut in_flight: HashSet<String> = HashSet::new();
    // Finished fetches report back here: the job as it stands after the poll.
    let (done_tx, mut done_rx) = mpsc::unbounded_channel::<(Job, PollInfo)>();

    loop {
        let now = Instant::now();
        // In config order, so the first feeds are fetched first.
        let ready: Vec<String> = feeds
            .iter()
            .filter(|f| !in_flight.contains(&f.url) && entries.get(&f.url).is_some_and(|e| e.due <= now))
            .map(|f| f.url.clone())
            .collect();
        if !ready.is_empty() {
            sink(PollEvent::Started { feeds: ready.len() });
        }
        for url in ready {
            let Some(entry) = entries.get(&url) else { continue };
            in_flight.insert(url.clone());
            sink(PollEvent::Fetching { url: url.clone() });
            let (limits, fetcher, sink, done) = (limits.clone(), fetcher.clone(), sink.clone(), done_tx.clone());
            let job = entry.job.clone();
            tokio::spawn(async move {
                let _permits = limits.acquire(&job.fetch_url).await;
                let (event, info) = job.poll(&fetcher).await;
                let mut job = job;
                match &event {
                    PollEvent::Fetched(f) => {
                        job.validators = Validators { etag: f.etag.clone(), last_modified: f.last_modified.clone() };
                        job.failures = 0;
                    }
                    PollEvent::NotModified { .. } => job.failures = 0,
                    _ => job.failures = job.failures.saturating_add(1),
                }
                if let Some(to) = &info.moved_to {
                    job.fetch_url = to.clone();
                }
                job.ttl = info.ttl;
                job.max_age = info.max_age;
                sink(event);
                sink(PollEvent::Scheduled { url: job.url.clone(), info: info.clone() });
                let _ = done.send((job, info));
            });
        }
        let next = entries
            .iter()
            .filter(|(u, _)| !in_flight.contains(*u))
            .map(|(_, e)| e.due)
            .min()
            .unwrap_or(now + Duration::from_secs(3600));
        tokio::select! {
            cmd = cmds.recv() => match cmd {
                Some(PollCmd::RefreshAll) => {
                    let (now, unix) = (Instant::now(), crate::app::system_clock());
                    for e in entries.values_mut() {
                        if e.retry_at.is_none_or(|at| at <= unix) {
                            e.due = now;
                        }
                    }
                }
                Some(PollCmd::Refresh(url)) => {
                    let unix = crate::app::system_clock();
                    if let Some(e) = entries.get_mut(&url).filter(|e| e.retry_at.is_none_or(|at| at <= unix)) {
                        e.due = Instant::now();
                    }
                }
                None => break, // the app is gone
            },
            Some((job, info)) = done_rx.recv() => {
                in_flight.remove(&job.url);
                let unix = crate::app::system_clock();
                if let Some(entry) = entries.get_mut(&job.url) {
                    entry.due = instant_at(info.next_poll.unwrap_or(unix), unix);
                    entry.retry_at = info.retry_at;
                    entry.job = job;
                }
            },
            _ = tokio::time::sleep_until(next) => {}
        }
    }
}
