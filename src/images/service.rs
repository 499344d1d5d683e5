//! The picture service: fetches pictures with the poller's client and caps
//! (http(s) only: `Fetcher::get` asks `url_policy`), keeps them in the disk
//! cache, decodes and encodes them on blocking threads, and reports each to
//! the app as soon as it is ready. A few run at once.

use std::sync::Arc;

use ratatui_image::picker::Picker;
use tokio::sync::{Semaphore, mpsc};

use super::cache::Cache;
use super::{Loaded, Want};
use crate::feed::{Fetched, Fetcher};
use crate::store::Validators;

/// Pictures fetched at once.
const AT_ONCE: usize = 4;

/// Where results go.
pub type Sink = Arc<dyn Fn(Loaded) + Send + Sync>;

/// Handle to the running service; dropping it stops the task.
pub struct ImageService {
    requests: mpsc::UnboundedSender<Want>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for ImageService {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl ImageService {
    /// Starts the service on the current tokio runtime.
    pub fn spawn(fetcher: Fetcher, picker: Picker, cache: Option<Cache>, sink: Sink) -> ImageService {
        let (requests, rx) = mpsc::unbounded_channel();
        let task = tokio::spawn(run(fetcher, Arc::new(picker), cache, sink, rx));
        ImageService { requests, task }
    }

    pub fn request(&self, want: Want) {
        let _ = self.requests.send(want);
    }
}

async fn run(
    fetcher: Fetcher,
    picker: Arc<Picker>,
    cache: Option<Cache>,
    sink: Sink,
    mut requests: mpsc::UnboundedReceiver<Want>,
) {
    let permits = Arc::new(Semaphore::new(AT_ONCE));
    while let Some(want) = requests.recv().await {
        let (fetcher, picker, cache, sink, permits) =
            (fetcher.clone(), picker.clone(), cache.clone(), sink.clone(), permits.clone());
        tokio::spawn(async move {
            let _permit = permits.acquire().await;
            let result = load(&fetcher, picker, cache, &want).await;
            if let Err(e) = &result {
                tracing::info!("picture {} not shown: {e}", want.url);
            }
            sink(Loaded { want, result });
        });
    }
}

/// One picture: from the cache or the network, then decoded off the async threads.
pub async fn load(
    fetcher: &Fetcher,
    picker: Arc<Picker>,
    cache: Option<Cache>,
    want: &Want,
) -> Result<super::Picture, String> {
    let cached = match &cache {
        Some(c) => {
            let (c, url) = (c.clone(), want.url.clone());
            tokio::task::spawn_blocking(move || c.get(&url)).await.ok().flatten()
        }
        None => None,
    };
    let (bytes, fetched) = match cached {
        Some(bytes) => (bytes, false),
        None => match fetcher.get(&want.url, &Validators::default()).await {
            Ok(Fetched::Body { bytes, .. }) => (bytes, true),
            Ok(Fetched::NotModified { .. }) => return Err("the server answered 304 to a plain request".into()),
            Err(e) => return Err(e.to_string()),
        },
    };
    let (cols, rows, url) = (want.cols, want.rows, want.url.clone());
    let decoded = tokio::task::spawn_blocking(move || {
        let picture = crate::panic::contained(|| super::decode::picture(&bytes, &picker, cols, rows))
            .unwrap_or_else(|| Err("the decoder failed".into()));
        // Only pictures that could be shown are worth keeping.
        if let (Ok(_), Some(cache), true) = (&picture, &cache, fetched) {
            cache.put(&url, &bytes);
        }
        picture
    })
    .await;
    decoded.unwrap_or_else(|_| Err("the decoder failed".into()))
}
