//! One sync against any backend: push the outbox, then pull feeds, new items
//! (in pages, each stored as it arrives, so memory stays flat however many
//! items the server holds), items the server's state names that are not
//! here yet, and the server's read/saved state. Each step reports as it
//! ends; the outcome is recorded in the store for `stats` and the reader.

use std::time::{Duration, Instant};

use futures::StreamExt;
use serde::Serialize;

use super::{Backend, MAX_WITH_IDS, Mark, SyncError};
use crate::app::system_clock;
use crate::store::{Reconciled, Store};

/// Marks sent to the server at the same time.
const PUSH_CONCURRENCY: usize = 4;
/// Outbox rows read at a time.
const PUSH_BATCH: usize = 200;
/// Items the server's state names that are not here, fetched by id in one sync at most.
const MAX_MISSING: usize = 1_000;
/// While pages of items arrive, the reader is told to reload at most this often.
const CHANGED_EVERY: Duration = Duration::from_secs(2);

/// What a sync reports while it runs. Sent by the engine; the reader gets
/// them as `Msg::Sync`, `tidings sync` prints them.
#[derive(Debug, Clone, PartialEq)]
pub enum SyncEvent {
    /// A sync began.
    Started,
    /// A step ended: its name and what it did, in words.
    Step { step: &'static str, detail: String },
    /// Items known here so far, of the server's total (when it says).
    Progress { done: u64, total: Option<u64> },
    /// The store changed (items, state): views and counts are stale.
    Changed,
    /// The sync ended well.
    Finished(Summary),
    /// The sync failed at `step`; what was stored before stays.
    Failed { step: &'static str, error: String },
}

/// What one sync did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    /// Changes sent to the server.
    pub pushed: usize,
    /// Changes dropped because the server no longer has the item.
    pub dropped: usize,
    pub feeds: usize,
    pub new_feeds: usize,
    pub new_items: usize,
    /// Items fetched by id because the server's state named them.
    pub fetched_by_id: usize,
    /// What the server's read/saved state changed here.
    pub state: Reconciled,
    /// Changes still waiting (made while the sync ran).
    pub outbox: u64,
}

impl Summary {
    /// "12 new items · 3 changes sent · 2 read elsewhere", or "nothing new".
    pub fn words(&self) -> String {
        let mut parts = Vec::new();
        let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        if self.new_items + self.fetched_by_id > 0 {
            parts.push(plural(self.new_items + self.fetched_by_id, "new item", "new items"));
        }
        if self.pushed > 0 {
            parts.push(plural(self.pushed, "change sent", "changes sent"));
        }
        let s = &self.state;
        if s.read > 0 {
            parts.push(format!("{} read elsewhere", s.read));
        }
        if s.unread > 0 {
            parts.push(format!("{} unread elsewhere", s.unread));
        }
        if s.saved > 0 {
            parts.push(format!("{} saved elsewhere", s.saved));
        }
        if parts.is_empty() { "nothing new".into() } else { parts.join(" · ") }
    }
}

/// Who gets the events.
pub type Report<'a> = &'a mut (dyn FnMut(SyncEvent) + Send);

/// Runs one sync of `account` and records its outcome in the store.
pub async fn run_once<B: Backend>(
    backend: &B,
    store: &mut Store,
    account: &str,
    report: Report<'_>,
) -> Result<Summary, SyncError> {
    report(SyncEvent::Started);
    if store.sync_begin(account, system_clock())? {
        tracing::warn!("sync: the account changed; the mapping to server ids starts afresh");
    }
    let mut step = "login";
    let result = steps(backend, store, report, &mut step).await;
    let recorded = match &result {
        Ok(summary) => store.record_sync(Ok(&summary.words()), system_clock()),
        Err(e) => store.record_sync(Err(&format!("{step}: {e}")), system_clock()),
    };
    if let Err(e) = recorded {
        tracing::warn!("sync: cannot record the outcome: {e}");
    }
    match &result {
        Ok(summary) => {
            tracing::info!("sync: {}", summary.words());
            report(SyncEvent::Finished(summary.clone()));
        }
        Err(e) => {
            tracing::warn!("sync failed at {step}: {e}");
            report(SyncEvent::Failed { step, error: e.to_string() });
        }
    }
    result
}

async fn steps<B: Backend>(
    backend: &B,
    store: &mut Store,
    report: Report<'_>,
    step: &mut &'static str,
) -> Result<Summary, SyncError> {
    let mut summary = Summary::default();

    *step = "login";
    backend.login().await?;

    *step = "push";
    (summary.pushed, summary.dropped) = push(backend, store).await?;
    let dropped = if summary.dropped > 0 {
        format!(" ({} for items gone from the server)", summary.dropped)
    } else {
        String::new()
    };
    let sent =
        if summary.pushed == 1 { "1 change sent".to_string() } else { format!("{} changes sent", summary.pushed) };
    report(SyncEvent::Step { step: "push", detail: format!("{sent}{dropped}") });

    *step = "feeds";
    let feeds = backend.feeds().await?;
    summary.feeds = feeds.len();
    summary.new_feeds = store.sync_store_feeds(&feeds, system_clock())?;
    drop(feeds);
    report(SyncEvent::Step { step: "feeds", detail: format!("{} feeds ({} new)", summary.feeds, summary.new_feeds) });

    *step = "items";
    summary.new_items = pull_items(backend, store, report).await?;
    report(SyncEvent::Step { step: "items", detail: format!("{} new items", summary.new_items) });

    *step = "state";
    let unread = backend.unread_ids().await?;
    let saved = backend.saved_ids().await?;
    let mut wanted: Vec<i64> = unread.iter().chain(&saved).copied().collect();
    wanted.sort_unstable();
    wanted.dedup();
    let missing = store.sync_unknown(&wanted)?;
    drop(wanted);
    for ids in missing.chunks(MAX_WITH_IDS).take(MAX_MISSING / MAX_WITH_IDS) {
        let page = backend.items_with_ids(ids).await?;
        store.sync_store_items(&page.items, system_clock())?;
        summary.fetched_by_id += page.items.len();
    }
    summary.state = store.sync_reconcile(&unread, &saved, system_clock())?;
    if summary.state.any() || summary.fetched_by_id > 0 {
        report(SyncEvent::Changed);
    }
    let s = &summary.state;
    let fetched =
        if summary.fetched_by_id > 0 { format!(" · {} fetched by id", summary.fetched_by_id) } else { String::new() };
    report(SyncEvent::Step {
        step: "state",
        detail: format!(
            "{} unread, {} saved on the server · {} read, {} unread, {} saved elsewhere{fetched}",
            unread.len(),
            saved.len(),
            s.read,
            s.unread,
            s.saved
        ),
    });
    summary.outbox = store.outbox_len()?;
    Ok(summary)
}

/// Sends the outbox, a batch at a time; sent changes leave it at once, so
/// an interrupted push resends nothing that was acknowledged. Returns the
/// changes sent and those dropped (the server has no such item).
async fn push<B: Backend>(backend: &B, store: &mut Store) -> Result<(usize, usize), SyncError> {
    let (mut sent, mut dropped, mut after) = (0, 0, 0);
    loop {
        let batch = store.outbox(after, PUSH_BATCH)?;
        let Some(last) = batch.last() else { break };
        after = last.seq;
        let results: Vec<_> = futures::stream::iter(
            batch.iter().map(|e| async move { (*e, backend.mark(e.server_id, Mark::new(e.field, e.value)).await) }),
        )
        .buffer_unordered(PUSH_CONCURRENCY)
        .collect()
        .await;
        let mut done = Vec::with_capacity(results.len());
        let mut failure = None;
        for (entry, result) in results {
            match result {
                Ok(()) => {
                    sent += 1;
                    done.push(entry);
                }
                Err(SyncError::NoSuchItem(_)) => {
                    dropped += 1;
                    done.push(entry);
                }
                Err(e) => {
                    failure.get_or_insert(e);
                }
            }
        }
        store.outbox_done(&done)?;
        if let Some(e) = failure {
            return Err(e);
        }
    }
    Ok((sent, dropped))
}

/// Pages through the items above the newest one stored, storing each page
/// as it arrives. Returns how many were new.
async fn pull_items<B: Backend>(backend: &B, store: &mut Store, report: Report<'_>) -> Result<usize, SyncError> {
    let mut since = store.sync_high_water()?;
    let mut done = store.sync_status()?.items;
    let (mut new, mut unreported) = (0, 0);
    let mut last_changed = Instant::now();
    loop {
        let page = backend.items_since(since).await?;
        let max = page.items.iter().map(|i| i.id).max();
        // Nothing above `since`, or a server that ignores it: done.
        let Some(max) = max.filter(|m| *m > since) else { break };
        let added = store.sync_store_items(&page.items, system_clock())?;
        new += added;
        unreported += added;
        done += added as u64;
        since = max;
        report(SyncEvent::Progress { done, total: page.total });
        if unreported > 0 && last_changed.elapsed() >= CHANGED_EVERY {
            report(SyncEvent::Changed);
            (unreported, last_changed) = (0, Instant::now());
        }
    }
    if unreported > 0 {
        report(SyncEvent::Changed);
    }
    Ok(new)
}
