//! The app: one loop owns the `State`; everything else sends it messages.
//!
//! `App::step` feeds messages through `update` and runs the effects it
//! returns, synchronously, so tests drive the whole app without sleeping.

pub mod action;
pub mod keymap;
pub mod msg;
pub mod reader;
pub mod state;
pub mod update;

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use ratatui::text::Line;

use self::msg::{Effect, Msg};
use self::reader::Reader;
use self::state::State;
use crate::feed::Poller;
use crate::model::{ItemId, Timestamp};
use crate::store::Store;

pub use self::update::update;

/// Rendered article bodies kept for quick return to recent items.
const RENDER_CACHE_ENTRIES: usize = 64;

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
    desktop: Box<dyn Desktop>,
    /// Runs view and counts loads off the loop thread; None: they run inline (tests).
    reader: Option<Reader>,
    clock: fn() -> Timestamp,
    rendered: HashMap<(ItemId, u16), Arc<Vec<Line<'static>>>>,
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
            desktop: Box::new(Recorder::default()),
            reader: None,
            clock,
            rendered: HashMap::new(),
        }
    }

    pub fn with_poller(mut self, poller: Poller) -> App {
        self.poller = Some(poller);
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

    /// The first loads: counts and the list.
    pub fn start(&mut self) {
        let view = self.state.view.clone();
        self.run_effects(vec![Effect::LoadCounts, Effect::LoadView(view)]);
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
            Effect::StoreFetched(feed) => {
                self.store.store_fetched(&feed, now).map(|new| Some(Msg::Stored { url: feed.url.clone(), new }))
            }
            Effect::RecordFailure { url, error } => self.store.record_failure(&url, &error, now).map(|_| None),
            Effect::RecordNotModified { url } => self.store.record_not_modified(&url, now).map(|_| None),
            Effect::SetRead { ids, read } => self.store.set_read(&ids, read).map(|_| None),
            Effect::LoadView(view) => {
                self.store.list_rows(&view, None).map(|items| Some(Msg::ViewLoaded { view, items }))
            }
            Effect::LoadCounts => {
                reader::load_counts(&self.store, &self.state.saved_queries).map(|c| Some(Msg::CountsLoaded(c)))
            }
            Effect::LoadArticle(id) => {
                self.store.article(&id).map(|a| Some(Msg::ArticleLoaded { id, article: a.map(Box::new) }))
            }
            Effect::RenderArticle { id, html, base, width } => {
                let lines = self
                    .rendered
                    .entry((id.clone(), width))
                    .or_insert_with(|| Arc::new(crate::article::render::render(&html, base.as_deref(), width)))
                    .clone();
                if self.rendered.len() > RENDER_CACHE_ENTRIES {
                    self.rendered.retain(|k, _| k.0 == id);
                }
                Ok(Some(Msg::ArticleRendered { id, width, lines }))
            }
            Effect::Refresh => {
                if let Some(p) = &self.poller {
                    p.refresh_all();
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
