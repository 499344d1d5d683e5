//! `tidings fetch`: poll every feed once, store, one line per feed.
//!
//! Every feed is fetched whatever its interval (that is what the command is
//! for), with the stored validators, except feeds whose server asked us to
//! wait (Retry-After): those are not contacted and say when they will be.

use std::io::Write;

use tokio::sync::mpsc;

use super::{EXIT_OK, EXIT_PARTIAL, UsageError};
use crate::article::sanitize;
use crate::config::Config;
use crate::feed::fetch::local_time;
use crate::feed::poller::Limits;
use crate::feed::schedule::retry_floor;
use crate::feed::{Fetcher, Job, PollEvent};
use crate::store::Store;

pub async fn run(cfg: &Config, store: &mut Store, only: Option<&str>, out: &mut impl Write) -> anyhow::Result<i32> {
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
    for feed in &feeds {
        let state = states.get(&feed.url);
        if let Some(at) = retry_floor(now, state.and_then(|s| s.retry_at)) {
            let title = store.feed_title(&feed.url)?.unwrap_or_else(|| feed.url.clone());
            writeln!(
                out,
                "{}: skipped, the server asked to wait (retry at {})",
                sanitize::line(&title),
                local_time(at)
            )?;
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
        let mut outcome = match &event {
            PollEvent::Fetched(feed) => format!("{} new", store.store_fetched(feed, now)?),
            PollEvent::NotModified { url } => {
                store.record_not_modified(url, now)?;
                "not modified".to_string()
            }
            PollEvent::Failed { url, error } => {
                store.record_failure(url, error, now)?;
                failed += 1;
                format!("error: {error}")
            }
            PollEvent::Started { .. } | PollEvent::Scheduled { .. } => continue,
        };
        store.record_schedule(&url, &info)?;
        if let Some(to) = &info.moved_to {
            outcome.push_str(&format!(" (moved permanently to {to})"));
        }
        let title = store.feed_title(&url)?.unwrap_or_else(|| url.clone());
        writeln!(out, "{}: {}", sanitize::line(&title), sanitize::line(&outcome))?;
    }
    Ok(if failed == 0 { EXIT_OK } else { EXIT_PARTIAL })
}
