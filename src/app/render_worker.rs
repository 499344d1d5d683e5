//! Article rendering off the UI thread: a long article (html2text takes
//! ~100 ms per MB in release) must not hold up keys and frames. The effect
//! runner renders small bodies itself and sends big ones here; the worker
//! renders only the newest request (the reader may have moved on) and sends
//! `Msg::ArticleRendered` back through the loop's channel.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};

use super::msg::Msg;
use crate::model::ItemId;

/// Bodies up to this many bytes of HTML are rendered in place (a few ms).
pub const INLINE_HTML_BYTES: usize = 64 * 1024;

/// Where rendered bodies go (the app loop's channel).
pub type Sink = Arc<dyn Fn(Msg) + Send + Sync>;

/// One body to render. Sent by the effect runner, received by the worker thread.
pub struct Job {
    pub id: ItemId,
    pub html: String,
    pub base: Option<String>,
    pub width: u16,
    pub full: bool,
}

/// Handle to the worker thread; it ends when this is dropped.
pub struct RenderWorker {
    jobs: Sender<Job>,
}

impl RenderWorker {
    pub fn spawn(sink: Sink) -> std::io::Result<RenderWorker> {
        let (jobs, rx) = channel();
        std::thread::Builder::new().name("render".into()).spawn(move || run(rx, sink))?;
        Ok(RenderWorker { jobs })
    }

    pub fn render(&self, job: Job) {
        let _ = self.jobs.send(job);
    }
}

fn run(rx: Receiver<Job>, sink: Sink) {
    super::priority::background(); // #10 keys
    while let Ok(mut job) = rx.recv() {
        // Only the newest request matters.
        while let Ok(newer) = rx.try_recv() {
            job = newer;
        }
        let body = crate::article::render::render(&job.html, job.base.as_deref(), job.width);
        sink(Msg::ArticleRendered { id: job.id, width: job.width, full: job.full, body: Arc::new(body) });
    }
}
