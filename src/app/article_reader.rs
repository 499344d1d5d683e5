//! The selected item's article, read and laid out off the loop thread.
//!
//! Moving through the list asks for the newly selected article on every
//! press; read and rendered on the loop, that was most of a key's work
//! (a query, then the HTML laid out for the pane's width). This thread does
//! both on its own connection and answers with `Msg::ArticleRead`; the loop
//! meanwhile draws the row's title, feed and date in the article pane. Only
//! the newest request is answered: while a key is held the reader skips the
//! rows passed over. Bodies over `INLINE_HTML_BYTES` are left to the render
//! worker (the loop asks it when the article arrives), as before.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};

use super::msg::{Msg, ReadBody};
use super::render_worker::INLINE_HTML_BYTES;
use crate::model::{Article, ItemId};
use crate::store::Store;

/// Where answers go (the app loop's channel). Called from the reader's thread.
pub type Sink = Arc<dyn Fn(Msg) + Send + Sync>;

/// One article to read. Sent by the effect runner, received by the thread.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub id: ItemId,
    /// The article pane's text width: the body is rendered for it.
    pub width: u16,
    /// Feeds whose articles open on their full text (`full_text = true`).
    pub full_text_feeds: Vec<String>,
    /// Pictures are shown: the lead picture goes above the body.
    pub images: bool,
}

/// Handle to the thread; it ends when this is dropped.
pub struct ArticleReader {
    jobs: Sender<Job>,
}

impl ArticleReader {
    /// Starts the thread on `store` (its own connection: `Store::open_role`).
    pub fn spawn(store: Store, sink: Sink) -> std::io::Result<ArticleReader> {
        let (jobs, rx) = channel();
        std::thread::Builder::new().name("tidings-article".into()).spawn(move || run(store, rx, sink))?;
        Ok(ArticleReader { jobs })
    }

    pub fn request(&self, job: Job) {
        let _ = self.jobs.send(job);
    }
}

fn run(store: Store, rx: Receiver<Job>, sink: Sink) {
    super::priority::background();
    while let Ok(mut job) = rx.recv() {
        // Only the newest request matters: the selection moved on.
        while let Ok(newer) = rx.try_recv() {
            job = newer;
        }
        sink(read(&store, job));
    }
}

/// Reads the article `job` asks for and renders its body: `Msg::ArticleRead`.
pub fn read(store: &Store, job: Job) -> Msg {
    match store.article(&job.id) {
        Ok(article) => {
            let body = article.as_ref().and_then(|a| body(&job, a));
            Msg::ArticleRead { id: job.id, article: article.map(Box::new), body }
        }
        Err(e) => {
            tracing::error!("reading an article failed: {e}");
            Msg::Failed(e.to_string())
        }
    }
}

/// The body as the loop would render it when the article opens (see
/// `update::render_if_needed` and `App::render`): the full text for a
/// `full_text` feed that has it, the lead picture above it when pictures are
/// shown. None for long bodies (the render worker's).
fn body(job: &Job, article: &Article) -> Option<ReadBody> {
    let full = article.full_html.is_some() && job.full_text_feeds.contains(&article.feed_url);
    let html = if full { article.full_html.as_deref().unwrap_or_default() } else { article.html.as_str() };
    let lead = job.images.then(|| crate::images::lead_html(article, html)).flatten();
    let html = lead.as_deref().unwrap_or(html);
    if html.len() > INLINE_HTML_BYTES {
        return None;
    }
    let body = crate::article::render::render(html, article.link.as_deref(), job.width);
    Some(ReadBody { width: job.width, full, body: Arc::new(body) })
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::config::FeedConfig;
    use crate::model::{FetchedFeed, NewItem};

    fn store_with(dir: &std::path::Path, n: usize) -> Store {
        let mut store = Store::open(&dir.join("t.db")).unwrap();
        let url = "https://a.example/rss";
        store.sync_feeds(&[FeedConfig::new(url)]).unwrap();
        let items = (0..n)
            .map(|i| NewItem {
                key: i.to_string(),
                title: format!("Item {i}"),
                content: Some(format!("<p>Body of item {i}.</p>")),
                published: Some(i as i64),
                ..Default::default()
            })
            .collect();
        store.store_fetched(&FetchedFeed { url: url.into(), items, ..Default::default() }, 10).unwrap();
        store
    }

    fn job(id: &str) -> Job {
        Job { id: id.into(), width: 40, full_text_feeds: vec![], images: false }
    }

    #[test]
    fn answers_with_the_article_and_its_body_for_the_width() {
        let dir = tempfile::tempdir().unwrap();
        let store = store_with(dir.path(), 2);
        let id = store.window_top(&crate::model::View::All, 1).unwrap().rows[0].id.clone();
        match read(&store, job(&id)) {
            Msg::ArticleRead { id: got, article: Some(a), body: Some(b) } => {
                assert_eq!((got.as_str(), a.title.as_str()), (id.as_str(), "Item 1"));
                assert_eq!((b.width, b.full), (40, false));
                let text: String =
                    b.body.lines.iter().flat_map(|l| l.spans.iter()).map(|s| s.content.as_ref()).collect();
                assert!(text.contains("Body of item 1."), "{text}");
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(matches!(read(&store, job("gone")), Msg::ArticleRead { article: None, body: None, .. }));
    }

    #[test]
    fn the_thread_answers_the_newest_request() {
        let dir = tempfile::tempdir().unwrap();
        let store = store_with(dir.path(), 5);
        let ids: Vec<String> =
            store.window_top(&crate::model::View::All, 5).unwrap().rows.into_iter().map(|r| r.id).collect();
        let (tx, rx) = std::sync::mpsc::channel();
        let tx = std::sync::Mutex::new(tx);
        let sink: Sink = Arc::new(move |m| {
            let _ = tx.lock().unwrap().send(m);
        });
        let read = store.open_role(crate::store::Role::Article, &Default::default()).unwrap().unwrap();
        let reader = ArticleReader::spawn(read, sink).unwrap();
        for id in &ids {
            reader.request(job(id));
        }
        // Each answer is for a request made; the last one is for the newest.
        let mut last = None;
        while let Ok(m) = rx.recv_timeout(Duration::from_secs(5)) {
            match m {
                Msg::ArticleRead { id, .. } => {
                    assert!(ids.contains(&id));
                    last = Some(id.clone());
                    if id == ids[4] {
                        break;
                    }
                }
                other => panic!("unexpected {other:?}"),
            }
        }
        assert_eq!(last.as_ref(), Some(&ids[4]));
    }
}
