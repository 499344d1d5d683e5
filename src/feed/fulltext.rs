//! The full-text service: fetches item pages with the poller's client and
//! caps, extracts the article on a blocking thread, and reports each result
//! to the app as soon as it is ready. The reader's own requests (`f`, or
//! opening an item of a `full_text` feed) start at once; prefetches queue up
//! and run a few at a time.

use std::collections::{HashSet, VecDeque};
use std::sync::Arc;

use tokio::sync::mpsc;

use super::fetch::{Fetched, Fetcher};
use super::poller::Limits;
use crate::article::extract::{self, Extracted};
use crate::config::PollerConfig;
use crate::model::ItemId;
use crate::store::Validators;

/// Prefetches in flight at once (the reader's requests do not count).
const PREFETCH_AT_ONCE: usize = 2;

/// Where results go: the item and its extracted article, or why there is none.
pub type Sink = Arc<dyn Fn(ItemId, Result<Extracted, String>) + Send + Sync>;

/// One page to fetch. Sent by the app's effect runner, received by the service task.
struct Request {
    id: ItemId,
    url: String,
    prefetch: bool,
}

/// Handle to the running service; dropping it stops the task.
pub struct FullTextService {
    requests: mpsc::UnboundedSender<Request>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FullTextService {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FullTextService {
    /// Starts the service on the current tokio runtime.
    pub fn spawn(cfg: &PollerConfig, sink: Sink) -> Result<FullTextService, super::FetchError> {
        Ok(FullTextService::spawn_on(super::poller::Net::new(cfg)?, sink))
    }

    /// Like `spawn`, on a client and limits shared with the poller.
    pub fn spawn_on(net: super::poller::Net, sink: Sink) -> FullTextService {
        let (requests, rx) = mpsc::unbounded_channel();
        let task = tokio::spawn(run(net.fetcher, net.limits, sink, rx));
        FullTextService { requests, task }
    }

    /// Asks for an item's full text; `prefetch` requests wait their turn.
    pub fn request(&self, id: &str, url: &str, prefetch: bool) {
        let _ = self.requests.send(Request { id: id.to_string(), url: url.to_string(), prefetch });
    }
}

/// Fetches a page (same client, caps and timeouts as feeds) and extracts its
/// article off the async threads. The error is a message for the reader.
pub async fn fetch_one(fetcher: &Fetcher, url: &str) -> Result<Extracted, String> {
    let (bytes, base) = match fetcher.get(url, &Validators::default()).await {
        // Relative links resolve against where the page really came from, after redirects.
        Ok(Fetched::Body { bytes, meta, .. }) => (bytes, meta.final_url),
        Ok(Fetched::NotModified { .. }) => return Err("the server answered 304 to a plain request".into()),
        Err(e) => return Err(e.to_string()),
    };
    let url = base.unwrap_or_else(|| url.to_string());
    match tokio::task::spawn_blocking(move || extract::extract_bytes(&bytes, Some(&url))).await {
        Ok(result) => result.map_err(|e| e.to_string()),
        Err(_) => Err(extract::ExtractError::Panicked.to_string()),
    }
}

async fn run(fetcher: Fetcher, limits: Limits, sink: Sink, mut requests: mpsc::UnboundedReceiver<Request>) {
    let mut queue: VecDeque<Request> = VecDeque::new();
    // Items requested and not yet answered, queued or in flight.
    let mut pending: HashSet<ItemId> = HashSet::new();
    let mut prefetching = 0usize;
    // Finished fetches report here: (item, was it a prefetch).
    let (done_tx, mut done_rx) = mpsc::unbounded_channel::<(ItemId, bool)>();
    let start = |req: Request, prefetching: &mut usize| {
        if req.prefetch {
            *prefetching += 1;
        }
        let (fetcher, limits, sink, done) = (fetcher.clone(), limits.clone(), sink.clone(), done_tx.clone());
        tokio::spawn(async move {
            let result = {
                let _permits = if req.prefetch { limits.acquire(&req.url).await } else { None };
                fetch_one(&fetcher, &req.url).await
            };
            sink(req.id.clone(), result);
            let _ = done.send((req.id, req.prefetch));
        });
    };
    loop {
        while prefetching < PREFETCH_AT_ONCE {
            match queue.pop_front() {
                Some(req) => start(req, &mut prefetching),
                None => break,
            }
        }
        tokio::select! {
            req = requests.recv() => match req {
                Some(req) if !req.prefetch => {
                    // The reader is waiting: start now (unless a fetch of it is already
                    // under way), taking it out of the prefetch queue.
                    let queued = queue.iter().any(|q| q.id == req.id);
                    queue.retain(|q| q.id != req.id);
                    if pending.insert(req.id.clone()) || queued {
                        start(req, &mut prefetching);
                    }
                }
                Some(req) => {
                    if pending.insert(req.id.clone()) {
                        queue.push_back(req);
                    }
                }
                None => break, // the app is gone
            },
            Some((id, prefetch)) = done_rx.recv() => {
                pending.remove(&id);
                if prefetch {
                    prefetching = prefetching.saturating_sub(1);
                }
            }
        }
    }
}
