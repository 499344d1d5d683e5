//! `tidings fetch`: poll every feed once, store, one line per feed.

use std::io::Write;

use tokio::sync::mpsc;

use super::{EXIT_OK, EXIT_PARTIAL, UsageError};
use crate::article::sanitize;
use crate::config::Config;
use crate::feed::poller::Limits;
use crate::feed::{Fetcher, PollEvent, poll_one};
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
    let validators = store.validators()?;
    let (tx, mut rx) = mpsc::unbounded_channel();
    for feed in &feeds {
        let (tx, fetcher, limits) = (tx.clone(), fetcher.clone(), limits.clone());
        let url = feed.url.clone();
        let v = validators.get(&url).cloned().unwrap_or_default();
        tokio::spawn(async move {
            let _permits = limits.acquire(&url).await;
            let _ = tx.send(poll_one(&fetcher, &url, &v).await);
        });
    }
    drop(tx);
    let mut failed = 0;
    // Results are stored and printed as each feed lands.
    while let Some(event) = rx.recv().await {
        let now = crate::app::system_clock();
        let url = event.url().unwrap_or_default().to_string();
        let outcome = match &event {
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
            PollEvent::Started { .. } => continue,
        };
        let title = store.feed_title(&url)?.unwrap_or_else(|| url.clone());
        writeln!(out, "{}: {}", sanitize::line(&title), sanitize::line(&outcome))?;
    }
    Ok(if failed == 0 { EXIT_OK } else { EXIT_PARTIAL })
}
