//! The app: one loop owns the `State`; everything else sends it messages.
//!
//! `App::step` feeds messages through `update` and runs the effects it
//! returns, synchronously, so tests drive the whole app without sleeping.

pub mod action;
pub mod keymap;
pub mod msg;
pub mod reader;
pub mod render_worker;
pub mod state;
pub mod update;

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use self::msg::{Effect, Msg};
use self::reader::Reader;
use self::render_worker::{INLINE_HTML_BYTES, Job, RenderWorker};
use self::state::State;
use crate::article::render::Body;
use crate::feed::{FullTextService, Poller};
use crate::model::{ItemId, Timestamp};
use crate::store::{SaveOutcome, Store};
use crate::sync::task::SyncTask;

pub use self::update::update;

/// Rendered article bodies kept for quick return to recent items.
const RENDER_CACHE_ENTRIES: usize = 64;
/// At most this many of a `full_text` feed's unread items are queued for prefetch at a time.
const PREFETCH_BATCH: usize = 100;

/// Where full-text requests go: the background service in the TUI, a
/// recorder in tests. Results come back as `Msg::FullText`.
pub trait FullTextFetch {
    fn request(&mut self, id: &str, url: &str, prefetch: bool);
}

impl FullTextFetch for FullTextService {
    fn request(&mut self, id: &str, url: &str, prefetch: bool) {
        FullTextService::request(self, id, url, prefetch);
    }
}

/// What the app asks of the user's desktop (browser, clipboard). The real one
/// lives with the terminal code; tests use `Recorder`.
pub trait Desktop {
    fn open_url(&mut self, url: &str) -> Result<(), String>;
    fn copy(&mut self, text: &str) -> Result<(), String>;
}

/// A desktop that only remembers what it was asked to do.
#[derive(Debug, Default, Clone)]
pub struct Recorder {
    pub opened: Vec<String>,
    pub copied: Vec<String>,
}

impl Desktop for Recorder {
    fn open_url(&mut self, url: &str) -> Result<(), String> {
        self.opened.push(url.to_string());
        Ok(())
    }

    fn copy(&mut self, text: &str) -> Result<(), String> {
        self.copied.push(text.to_string());
        Ok(())
    }
}

/// The state machine plus the things its effects act on.
pub struct App {
    pub state: State,
    store: Store,
    /// None in tests and headless use: `Effect::Refresh` is then a no-op.
    poller: Option<Poller>,
    /// With `[sync]` in the reader (instead of the poller): `Effect::Refresh` syncs now.
    sync: Option<SyncTask>,
    desktop: Box<dyn Desktop>,
    /// None in headless use: full-text requests then fail at once.
    fulltext: Option<Box<dyn FullTextFetch>>,
    /// Runs view and counts loads off the loop thread; None: they run inline (tests).
    reader: Option<Reader>,
    clock: fn() -> Timestamp,
    /// Bodies by (item, width, full text?).
    rendered: HashMap<(ItemId, u16, bool), Arc<Body>>,
    /// None in tests and headless use: every body is rendered in place.
    renderer: Option<RenderWorker>,
    /// The body the worker is rendering, not to be asked for twice.
    rendering: Option<(ItemId, u16, bool)>,
}

pub fn system_clock() -> Timestamp {
    chrono::Utc::now().timestamp()
}

impl App {
    /// An app without poller or desktop (tests, or before `with_…`).
    pub fn new(state: State, store: Store, clock: fn() -> Timestamp) -> App {
        App {
            state,
            store,
            poller: None,
            sync: None,
            desktop: Box::new(Recorder::default()),
            fulltext: None,
            reader: None,
            clock,
            rendered: HashMap::new(),
            renderer: None,
            rendering: None,
        }
    }

    pub fn with_render_worker(mut self, worker: RenderWorker) -> App {
        self.renderer = Some(worker);
        self
    }

    pub fn with_full_text(mut self, fulltext: Box<dyn FullTextFetch>) -> App {
        self.fulltext = Some(fulltext);
        self
    }

    pub fn with_poller(mut self, poller: Poller) -> App {
        self.poller = Some(poller);
        self
    }

    pub fn with_sync(mut self, sync: SyncTask) -> App {
        self.sync = Some(sync);
        self
    }

    pub fn with_desktop(mut self, desktop: Box<dyn Desktop>) -> App {
        self.desktop = desktop;
        self
    }

    pub fn with_reader(mut self, reader: Reader) -> App {
        self.reader = Some(reader);
        self
    }

    /// The first loads: counts and the list; prefetch of what earlier runs
    /// left unfetched; the first sync.
    pub fn start(&mut self) {
        let view = self.state.view.clone();
        let mut effects = vec![Effect::LoadCounts, Effect::LoadView(view)];
        effects.extend(self.state.full_text_feeds.iter().map(|f| Effect::PrefetchFullText { feed: f.clone() }));
        self.run_effects(effects);
        if let Some(s) = &self.sync {
            s.sync_now();
        }
    }

    /// Handles one message and everything it leads to.
    pub fn step(&mut self, msg: Msg) {
        self.step_many(vec![msg]);
    }

    /// Handles a batch of messages. Reads (view and counts reloads) asked for
    /// by any of them run once, after all the writes.
    pub fn step_many(&mut self, msgs: Vec<Msg>) {
        let mut queue: VecDeque<Msg> = msgs.into();
        let mut loads: Vec<Effect> = Vec::new();
        loop {
            while let Some(msg) = queue.pop_front() {
                if let Msg::ArticleRendered { id, width, full, body } = &msg {
                    // The worker's bodies join the cache like the ones rendered here.
                    let key = (id.clone(), *width, *full);
                    if self.rendering.as_ref() == Some(&key) {
                        self.rendering = None;
                    }
                    self.rendered.insert(key, body.clone());
                }
                for effect in update(&mut self.state, msg) {
                    if effect.is_load() {
                        // Keep only the newest of each kind (the view may have changed).
                        loads.retain(|l| std::mem::discriminant(l) != std::mem::discriminant(&effect));
                        loads.push(effect);
                    } else if let Some(reply) = self.run(effect) {
                        queue.push_back(reply);
                    }
                }
            }
            if loads.is_empty() {
                break;
            }
            for effect in std::mem::take(&mut loads) {
                if let Some(reply) = self.run(effect) {
                    queue.push_back(reply);
                }
            }
        }
    }

    fn run_effects(&mut self, effects: Vec<Effect>) {
        let replies: Vec<Msg> = effects.into_iter().filter_map(|e| self.run(e)).collect();
        self.step_many(replies);
    }

    /// Runs one effect; the reply, if any, goes back through `update`.
    fn run(&mut self, effect: Effect) -> Option<Msg> {
        if let Some(reader) = self.reader.as_ref().filter(|_| effect.is_load()) {
            reader.request(effect);
            return None;
        }
        let now = (self.clock)();
        let result = match effect {
            // Each feed's result also goes to the log file, one line per fetch.
            Effect::StoreFetched(feed) => self.store.store_fetched(&feed, now).map(|new| {
                tracing::info!("fetch {}: {new} new", feed.url);
                Some(Msg::Stored { url: feed.url.clone(), new })
            }),
            Effect::RecordFailure { url, error } => {
                tracing::warn!("fetch {url}: error: {}", crate::article::sanitize::line(&error));
                self.store.record_failure(&url, &error, now).map(|_| None)
            }
            Effect::RecordNotModified { url } => {
                tracing::info!("fetch {url}: not modified");
                self.store.record_not_modified(&url, now).map(|_| None)
            }
            Effect::RecordSchedule { url, info } => self.store.record_schedule(&url, &info).map(|_| None),
            Effect::SetRead { ids, read } => self.store.set_read(&ids, read).map(|_| None),
            Effect::Dismiss(id) => self.store.dismiss(&id).map(|_| None),
            Effect::MarkViewRead(view) => self.store.mark_view_read(&view).map(|n| Some(Msg::MarkedRead(n))),
            Effect::SetSaved { id, saved: true } => self.store.save_item(&id, now).map(|outcome| match outcome {
                SaveOutcome::Missing => Some(Msg::Failed("that item is no longer in the database".into())),
                _ => None,
            }),
            Effect::SetSaved { id, saved: false } => self.store.unsave(&id).map(|_| None),
            Effect::LoadTags(id) => self.store.user_tags(&id).map(|tags| Some(Msg::TagsLoaded { id, tags })),
            Effect::SetTags { id, tags } => self.store.set_tags(&id, &tags).map(|_| None),
            Effect::Undo => self.store.undo().map(|label| Some(Msg::Walked { undo: true, label })),
            Effect::Redo => self.store.redo().map(|label| Some(Msg::Walked { undo: false, label })),
            Effect::LoadView(view) => {
                self.store.list_rows(&view, None).map(|items| Some(Msg::ViewLoaded { view, items }))
            }
            Effect::LoadCounts => {
                reader::load_counts(&self.store, &self.state.saved_queries).map(|c| Some(Msg::CountsLoaded(c)))
            }
            Effect::LoadArticle(id) => {
                self.store.article(&id).map(|a| Some(Msg::ArticleLoaded { id, article: a.map(Box::new) }))
            }
            Effect::RenderArticle { id, html, base, width, full } => {
                if self.rendered.len() > RENDER_CACHE_ENTRIES {
                    self.rendered.retain(|k, _| k.0 == id);
                }
                let key = (id.clone(), width, full);
                if let Some(body) = self.rendered.get(&key) {
                    return Some(Msg::ArticleRendered { id, width, full, body: body.clone() });
                }
                match &self.renderer {
                    Some(worker) if html.len() > INLINE_HTML_BYTES => {
                        if self.rendering.as_ref() != Some(&key) {
                            self.rendering = Some(key);
                            worker.render(Job { id, html, base, width, full });
                        }
                        Ok(None)
                    }
                    _ => {
                        let body = Arc::new(crate::article::render::render(&html, base.as_deref(), width));
                        self.rendered.insert(key, body.clone());
                        Ok(Some(Msg::ArticleRendered { id, width, full, body }))
                    }
                }
            }
            Effect::FetchFullText { id, url } => match &mut self.fulltext {
                Some(f) => {
                    f.request(&id, &url, false);
                    Ok(None)
                }
                None => Ok(Some(Msg::FullText { id, result: Err("full text cannot be fetched here".into()) })),
            },
            Effect::StoreFullText { id, full } => {
                // A new extraction replaces the old one on screen too.
                self.rendered.retain(|k, _| !(k.0 == id && k.2));
                self.store.set_full_text(&id, &full, now).map(|_| None)
            }
            Effect::RecordFullTextError { id, error } => {
                self.store.record_full_text_error(&id, &error, now).map(|_| None)
            }
            Effect::PrefetchFullText { feed } => match &mut self.fulltext {
                Some(f) => self.store.full_text_wanted(&feed, PREFETCH_BATCH).map(|wanted| {
                    for w in wanted {
                        f.request(&w.id, &w.link, true);
                    }
                    None
                }),
                None => Ok(None),
            },
            Effect::Refresh => {
                if let Some(p) = &self.poller {
                    p.refresh_all();
                }
                if let Some(s) = &self.sync {
                    s.sync_now();
                }
                Ok(None)
            }
            Effect::OpenUrl(url) => return self.desktop.open_url(&url).err().map(Msg::Failed),
            Effect::Copy(text) => return self.desktop.copy(&text).err().map(Msg::Failed),
        };
        result.unwrap_or_else(|e| {
            tracing::error!("effect failed: {e}");
            Some(Msg::Failed(e.to_string()))
        })
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod fulltext_tests;
#[cfg(test)]
mod tests_triage;
