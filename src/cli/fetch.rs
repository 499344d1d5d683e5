//! `tidings fetch`: poll every feed once, store, one line per feed.
//!
//! Every feed is fetched whatever its interval (that is what the command is
//! for), with the stored validators, except feeds whose server asked us to
//! wait (Retry-After): those are not contacted and say when they will be.
//! `--json` prints one array instead, an object per feed. Every result also
//! goes to the log file.

use std::io::Write;

use std::sync::Arc;

use serde::Serialize;
use tokio::sync::{Semaphore, mpsc};

use super::{EXIT_OK, EXIT_PARTIAL, UsageError};
use crate::article::sanitize;
use crate::config::Config;
use crate::feed::fetch::local_time;
use crate::feed::poller::Limits;
use crate::feed::schedule::retry_floor;
use crate::feed::{Fetcher, Job, PollEvent};
use crate::model::rfc3339;
use crate::store::Store;
use crate::store::merge::MERGE_PAGES;
use std::time::Duration;

/// One feed's result, as `--json` prints it.
#[derive(Debug, Serialize)]
struct FeedResult {
    url: String,
    title: String,
    /// "ok", "not_modified", "error" or "skipped" (the server asked to wait).
    result: &'static str,
    /// New items stored (for "ok").
    new: Option<usize>,
    error: Option<String>,
    /// The feed moved permanently here (it is fetched from there from now on).
    moved_to: Option<String>,
    /// RFC 3339: not contacted before then (429/503 with Retry-After).
    retry_at: Option<String>,
    #[serde(skip)]
    retry_ts: Option<crate::model::Timestamp>,
}

impl FeedResult {
    /// The line `fetch` prints for it.
    fn line(&self) -> String {
        let mut outcome = match self.result {
            "ok" => format!("{} new", self.new.unwrap_or(0)),
            "not_modified" => "not modified".to_string(),
            "skipped" => format!(
                "skipped, the server asked to wait (retry at {})",
                self.retry_ts.map_or_else(|| "a later time".to_string(), local_time)
            ),
            _ => format!("error: {}", self.error.as_deref().unwrap_or_default()),
        };
        if let Some(to) = &self.moved_to {
            outcome.push_str(&format!(" (moved permanently to {to})"));
        }
        format!("{}: {outcome}", self.title)
    }
}

/// Parsed feeds waiting for the store, beyond the one per fetch slot that a
/// finished fetch holds until there is room: what a run holds in memory is
/// bounded by `concurrency`, never by the number of feeds or items.
const QUEUE: usize = 2;

/// The store commits what it holds when no result has come for this long.
const IDLE: Duration = Duration::from_millis(100);

/// Feed tasks that may exist at once, per fetch slot (`concurrency`).
const TICKETS_PER_SLOT: usize = 4;

/// Makes glibc's allocator give memory back: few arenas (one per thread
/// otherwise, each keeping what it freed) and large buffers (feed bodies)
/// mapped on their own, so freeing or shrinking one returns it to the system
/// at once. Call before the runtime's threads start.
pub fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets allocator parameters; it is called before any
    // other thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

// — #10 search —
/// The longest a run spends merging the search index after storing.
const MERGE_BUDGET_MAX: Duration = Duration::from_secs(5);
/// The share of the run's time it may spend merging.
const MERGE_SHARE: u32 = 5;
/// A run merges the whole index only after storing this many items: a step
/// over a big archive's index can take longer than a routine refresh itself
/// (it would double the cost of a refresh into a 1M-item database), so a
/// smaller run merges only its own small segments (`merge_small`); the
/// reader merges the rest while the user is idle.
const MERGE_AFTER_ITEMS: usize = 10_000;

/// Merges the full-text index a little after a run (`Store::merge_index`):
/// for a fifth of the time the run took, at most `MERGE_BUDGET_MAX`,
/// stopping at once when another connection wants the database. What is
/// left is merged by the next run or an idle reader. Failure only costs speed.
fn merge_index(store: &mut Store, took: Duration) {
    let budget = (took / MERGE_SHARE).min(MERGE_BUDGET_MAX);
    match store.merge_index(budget, MERGE_PAGES) {
        Ok(run) if run.steps > 0 => tracing::info!(
            "merged the search index: {} steps, {} segments left{}",
            run.steps,
            run.segments,
            if run.gave_way { " (gave way to another writer)" } else { "" }
        ),
        Ok(_) => {}
        Err(e) => tracing::warn!("merging the search index failed: {e}"),
    }
}

// — #10 refresh —
/// The most pages a small run's merges take in (`Store::merge_small`): the
/// segments such a run writes, and what earlier runs left beside them.
const SMALL_MERGE_PAGES: u64 = 4096;

/// Merges the segments a small run wrote (its transactions did not:
/// `Store::ingest_bulk`), for a fifth of the time the run took at most.
fn merge_small(store: &mut Store, took: Duration) {
    match store.merge_small(took / MERGE_SHARE, SMALL_MERGE_PAGES) {
        Ok(run) if run.steps > 0 => {
            tracing::info!("merged the search index's new segments: {} steps, {} segments", run.steps, run.segments)
        }
        Ok(_) => {}
        Err(e) => tracing::warn!("merging the search index failed: {e}"),
    }
}

// — #10 fetch memory —
/// The run's fetcher: a feed body over the size that is parsed in pieces
/// goes to a temporary file, read piece by piece from there (a 25 MB feed
/// is never whole in memory, nor are its items: `parse::parse_spooled`).
fn spooling_fetcher(cfg: &Config) -> anyhow::Result<Fetcher> {
    Ok(Fetcher::new(&cfg.poller)?.spooling(crate::feed::parse::SPOOL_ABOVE))
}

// — #10 bulk —
pub async fn run(
    cfg: &Config,
    store: &mut Store,
    only: Option<&str>,
    json: bool,
    out: &mut impl Write,
) -> anyhow::Result<i32> {
    // A big load into a database that holds few items drops some indexes
    // (`Store::defer_indexes`) and builds them at its end, here, whether
    // the run ended well or with an error (a crash leaves them to the next
    // open).
    let mut deferral = None;
    let result = run_deferring(cfg, store, only, json, out, &mut deferral).await;
    if let Some(deferral) = deferral {
        let started = std::time::Instant::now();
        match store.build_deferred(deferral) {
            Ok(()) => tracing::info!("built the deferred indexes in {:.1} s", started.elapsed().as_secs_f64()),
            Err(e) if result.is_ok() => return Err(e.into()),
            Err(e) => tracing::warn!("building the deferred indexes failed (the next open tries again): {e}"),
        }
    }
    result
}

async fn run_deferring(
    cfg: &Config,
    store: &mut Store,
    only: Option<&str>,
    json: bool,
    out: &mut impl Write,
    deferral: &mut Option<crate::store::Deferral>,
) -> anyhow::Result<i32> {
    let feeds: Vec<_> = cfg.feeds.iter().filter(|f| only.is_none_or(|u| u == f.url)).cloned().collect();
    if let Some(url) = only
        && feeds.is_empty()
    {
        return Err(UsageError(format!("no feed with URL {url} in the config")).into());
    }
    let started = std::time::Instant::now();
    let fetcher = spooling_fetcher(cfg)?;
    let limits = Limits::new(&cfg.poller);
    store.tune_for_ingest()?;
    store.preload_stories(); // — #10 refresh —
    let states = store.poll_states_of(feeds.iter().map(|f| f.url.as_str()))?;
    let now = crate::app::system_clock();
    let mut results = Vec::new();
    let mut report = |r: FeedResult, out: &mut dyn Write| -> std::io::Result<()> {
        tracing::info!("fetch {}: {}", r.url, r.line());
        if !json {
            writeln!(out, "{}", r.line())?;
        }
        results.push(r);
        Ok(())
    };
    let mut jobs = Vec::with_capacity(feeds.len());
    for feed in &feeds {
        let state = states.get(&feed.url);
        if let Some(at) = retry_floor(now, state.and_then(|s| s.retry_at)) {
            let title = store.feed_title(&feed.url)?.unwrap_or_else(|| feed.url.clone());
            let retry_at = rfc3339(at);
            let r = FeedResult {
                url: feed.url.clone(),
                title: sanitize::line(&title).into_owned(),
                result: "skipped",
                new: None,
                error: None,
                moved_to: None,
                retry_at,
                retry_ts: Some(at),
            };
            report(r, out)?;
            continue;
        }
        jobs.push(Job::new(feed, cfg.poller.interval, state));
    }
    drop(states);
    let (tx, mut rx) = mpsc::channel(QUEUE);
    // Feed tasks are started as tickets free up, not all at once (a run may
    // have thousands of feeds). The slack beyond `concurrency` keeps a busy
    // host's feeds from holding up the others while they wait for their
    // per-host slot.
    let tickets = Arc::new(Semaphore::new(cfg.poller.concurrency.max(1) * TICKETS_PER_SLOT));
    tokio::spawn(async move {
        for job in jobs {
            let Ok(ticket) = tickets.clone().acquire_owned().await else { return };
            let (tx, fetcher, limits) = (tx.clone(), fetcher.clone(), limits.clone());
            tokio::spawn(async move {
                let _ticket = ticket;
                let _permits = limits.acquire(&job.fetch_url).await;
                let polled = job.poll(&fetcher).await;
                // The slot stays taken until the store has room for the
                // result: parsing never runs ahead of storing.
                let _ = tx.send(polled).await;
            });
        }
    });
    let mut failed = 0;
    let mut stored = 0;
    let (held, mut deferral_tried) = (store.item_count()?, false); // — #10 bulk —
    // Results are stored and printed as each feed lands. Feeds that land
    // together share a transaction (up to the bulk chunk bound,
    // `Store::ingest_bulk`); it is committed once no result has come for
    // `IDLE`.
    let checkpointer = store.checkpoint_beside()?; // — #10 bulk checkpoints —
    let mut run = store.ingest_bulk();
    let mut waited = Duration::ZERO;
    loop {
        // The lock is not held while waiting for the network; results that
        // land close together share a transaction (committing whenever the
        // queue was empty cut most of them short: 3.5 GB written instead
        // of 1.9 for 100k items).
        let waiting = std::time::Instant::now();
        let next = match tokio::time::timeout(IDLE, rx.recv()).await {
            Ok(next) => next,
            Err(_) => {
                run.flush()?;
                rx.recv().await
            }
        };
        waited += waiting.elapsed();
        let Some((event, info)) = next else { break };
        let now = crate::app::system_clock();
        let url = event.url().unwrap_or_default().to_string();
        let (result, new, error) = match &event {
            PollEvent::Fetched(feed) => ("ok", Some(run.fetched(feed, now)?), None),
            PollEvent::NotModified { url } => {
                run.not_modified(url, now)?;
                ("not_modified", None, None)
            }
            PollEvent::Failed { url, error } => {
                run.failure(url, error, now)?;
                failed += 1;
                ("error", None, Some(sanitize::line(error).into_owned()))
            }
            PollEvent::Started { .. } | PollEvent::Scheduled { .. } | PollEvent::Fetching { .. } => continue,
        };
        drop(event);
        stored += new.unwrap_or(0);
        if !deferral_tried && crate::store::wants_deferral(stored, held) {
            deferral_tried = true; // — #10 bulk —
            *deferral = run.defer_indexes()?;
        }
        run.schedule(&url, &info)?;
        let title = run.feed_title(&url)?.unwrap_or_else(|| url.clone());
        let r = FeedResult {
            url: sanitize::line(&url).into_owned(),
            title: sanitize::line(&title).into_owned(),
            result,
            new,
            error,
            moved_to: info.moved_to.as_deref().map(|m| sanitize::line(m).into_owned()),
            retry_at: info.retry_at.and_then(rfc3339),
            retry_ts: info.retry_at,
        };
        report(r, out)?;
    }
    run.flush()?;
    drop(run);
    tracing::debug!("stored ({} ms of it waiting for results)", waited.as_millis());
    // — #10 refresh — the last commit is copied into the file beside the rest.
    if let Some(checkpointer) = &checkpointer {
        checkpointer.copy_now();
    }
    store.save_stories_soon();
    if stored >= MERGE_AFTER_ITEMS {
        merge_index(store, started.elapsed());
    } else {
        merge_small(store, started.elapsed());
    }
    if let Some(checkpointer) = checkpointer {
        store.finish_checkpoints(checkpointer)?;
    }
    tracing::debug!("finished the checkpoints");
    if json {
        serde_json::to_writer_pretty(&mut *out, &results)?;
        writeln!(out)?;
    }
    Ok(if failed == 0 { EXIT_OK } else { EXIT_PARTIAL })
}
