//! `tidings fetch`: poll every feed once, store, one line per feed.
//!
//! Every feed is fetched whatever its interval (that is what the command is
//! for), with the stored validators, except feeds whose server asked us to
//! wait (Retry-After): those are not contacted and say when they will be.
//! `--json` prints one array instead, an object per feed. Every result also
//! goes to the log file.

use std::io::Write;

use serde::Serialize;

use tokio::sync::mpsc;

use super::{EXIT_OK, EXIT_PARTIAL, UsageError};
use crate::article::sanitize;
use crate::config::Config;
use crate::feed::fetch::local_time;
use crate::feed::poller::Limits;
use crate::feed::schedule::retry_floor;
use crate::feed::{Fetcher, Job, PollEvent};
use crate::model::rfc3339;
use crate::store::Store;

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

pub async fn run(
    cfg: &Config,
    store: &mut Store,
    only: Option<&str>,
    json: bool,
    out: &mut impl Write,
) -> anyhow::Result<i32> {
    let feeds: Vec<_> = cfg.feeds.iter().filter(|f| only.is_none_or(|u| u == f.url)).cloned().collect();
    if let Some(url) = only
        && feeds.is_empty()
    {
        return Err(UsageError(format!("no feed with URL {url} in the config")).into());
    }
    let fetcher = Fetcher::new(&cfg.poller)?;
    let limits = Limits::new(&cfg.poller);
    let states = store.poll_states()?;
    let now = crate::app::system_clock();
    let (tx, mut rx) = mpsc::unbounded_channel();
    let mut results = Vec::new();
    let mut report = |r: FeedResult, out: &mut dyn Write| -> std::io::Result<()> {
        tracing::info!("fetch {}: {}", r.url, r.line());
        if !json {
            writeln!(out, "{}", r.line())?;
        }
        results.push(r);
        Ok(())
    };
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
        let (tx, fetcher, limits) = (tx.clone(), fetcher.clone(), limits.clone());
        let job = Job::new(feed, cfg.poller.interval, state);
        tokio::spawn(async move {
            let _permits = limits.acquire(&job.fetch_url).await;
            let _ = tx.send(job.poll(&fetcher).await);
        });
    }
    drop(tx);
    let mut failed = 0;
    // Results are stored and printed as each feed lands.
    while let Some((event, info)) = rx.recv().await {
        let now = crate::app::system_clock();
        let url = event.url().unwrap_or_default().to_string();
        let (result, new, error) = match &event {
            PollEvent::Fetched(feed) => ("ok", Some(store.store_fetched(feed, now)?), None),
            PollEvent::NotModified { url } => {
                store.record_not_modified(url, now)?;
                ("not_modified", None, None)
            }
            PollEvent::Failed { url, error } => {
                store.record_failure(url, error, now)?;
                failed += 1;
                ("error", None, Some(sanitize::line(error).into_owned()))
            }
            PollEvent::Started { .. } | PollEvent::Scheduled { .. } => continue,
        };
        store.record_schedule(&url, &info)?;
        let title = store.feed_title(&url)?.unwrap_or_else(|| url.clone());
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
    if json {
        serde_json::to_writer_pretty(&mut *out, &results)?;
        writeln!(out)?;
    }
    Ok(if failed == 0 { EXIT_OK } else { EXIT_PARTIAL })
}
