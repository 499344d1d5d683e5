//! The app: one loop owns the `State`; everything else sends it messages.
//!
//! `App::step` feeds messages through `update` and runs the effects it
//! returns, synchronously, so tests drive the whole app without sleeping.

pub mod action;
// — #10 keys —
pub mod article_reader;
mod effects;
pub mod keymap;
pub mod msg;
pub mod pending;
pub mod reader;
pub mod render_worker;
pub mod state;
pub mod update;
pub mod writer;
// — #10 search —
pub mod idle_merge;
// — #10 keys —
pub mod priority;
// — #13 cmdline —
pub mod cmdline;

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use self::idle_merge::{Activity, IdleMerge};
use self::msg::{Effect, Msg};
use self::reader::Reader;
use self::render_worker::RenderWorker;
use self::state::State;
use self::writer::{Prepare, Session, Writer};
use crate::article::render::Body;
use crate::feed::{FullTextService, Poller};
use crate::model::{ItemId, Timestamp};
use crate::store::{GiveUp, Role, Store};
use crate::sync::task::SyncTask;

pub use self::update::update;

/// Rendered article bodies kept for quick return to recent items.
pub(crate) const RENDER_CACHE_ENTRIES: usize = 64;

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

/// What the app asks of the user's desktop (browser, clipboard, media
/// player). The real one lives with the terminal code; tests use `Recorder`.
pub trait Desktop {
    fn open_url(&mut self, url: &str) -> Result<(), String>;
    fn copy(&mut self, text: &str) -> Result<(), String>;
    /// Starts the media player on an enclosure's URL, detached: never waits for it.
    fn play(&mut self, url: &str) -> Result<(), String>;
    // — #13 commands —
    /// Runs a user's command. One in the background answers later with
    /// `Msg::CommandDone`; one that takes the terminal answers here, once it ended.
    fn run_command(&mut self, run: crate::commands::CommandRun) -> Option<self::msg::Msg> {
        Some(self::msg::Msg::Failed(format!("{}: commands cannot run here", run.name)))
    }
    /// Starts `[poller] on_new`, never waiting for it.
    fn notify(&mut self, _args: Vec<String>) {}
}

/// A desktop that only remembers what it was asked to do.
#[derive(Debug, Default, Clone)]
pub struct Recorder {
    pub opened: Vec<String>,
    pub copied: Vec<String>,
    pub played: Vec<String>,
    // — #13 commands —
    pub commands: Vec<crate::commands::CommandRun>,
    pub notified: Vec<Vec<String>>,
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

    fn play(&mut self, url: &str) -> Result<(), String> {
        self.played.push(url.to_string());
        Ok(())
    }

    fn run_command(&mut self, run: crate::commands::CommandRun) -> Option<self::msg::Msg> {
        self.commands.push(run);
        None
    }

    fn notify(&mut self, args: Vec<String>) {
        self.notified.push(args);
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
    /// Saved queries' counts of inline reads.
    query_cache: reader::QueryCache,
    /// Runs the user's writes off the loop thread, in order; None: inline (tests).
    writer: Option<Writer>,
    /// Stores the poller's results off the loop thread; None: inline (tests).
    ingest: Option<Writer>,
    /// The undo floor of inline writes (the writer thread keeps its own).
    session: Session,
    /// Ends the writers' waits for the lock (on quit, after a deadline).
    give_up: GiveUp,
    clock: fn() -> Timestamp,
    /// Bodies by (item, width, full text?).
    rendered: HashMap<(ItemId, u16, bool), Arc<Body>>,
    /// None in tests and headless use: every body is rendered in place.
    renderer: Option<RenderWorker>,
    /// The body the worker is rendering, not to be asked for twice.
    rendering: Option<(ItemId, u16, bool)>,
    // — #13 images —
    /// Fetches and encodes pictures; None: pictures fail at once (tests, headless).
    images: Option<crate::images::service::ImageService>,
    /// The command line's history file (#13); None: kept in memory only.
    history: Option<std::path::PathBuf>,
    /// The first screen's article, read before the loop started (`first_screen_from`).
    first_article: Option<(ItemId, crate::store::Result<Option<crate::model::Article>>)>,
    // — #10 keys —
    /// Reads and lays out the selected article off the loop thread; None: inline (tests).
    articles: Option<article_reader::ArticleReader>,
    /// The article to ask the article thread for once the frame is drawn.
    article_wanted: Option<article_reader::Job>,
    /// Rows to read ahead once the frame is drawn (growing the window).
    ahead_wanted: Vec<Effect>,
    // — #10 search —
    /// The user's keys, clicks and resizes, counted for the ingest thread's idle merge.
    activity: Activity,
    /// The ingest thread merges the full-text index while the user is idle (`merge_when_idle`).
    merge_when_idle: bool,
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
            query_cache: Default::default(),
            writer: None,
            ingest: None,
            session: Session::default(),
            give_up: GiveUp::default(),
            clock,
            rendered: HashMap::new(),
            renderer: None,
            rendering: None,
            images: None,
            history: None,
            first_article: None,
            activity: Activity::default(),
            merge_when_idle: false,
            articles: None,
            article_wanted: None,
            ahead_wanted: Vec::new(),
        }
    }

    /// Keeps the command line's history in this file, and loads it now (#13).
    pub fn set_history_file(&mut self, path: std::path::PathBuf) {
        self.state.cmdline.history = cmdline::restore(crate::store::history::read_lines(&path));
        self.history = Some(path);
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

    /// Moves the store's work off the loop thread: a reader thread for the
    /// list and the sidebar, one for the selected article, a writer thread
    /// for the user's changes and an ingest thread for the poller's results,
    /// each on its own connection. The loop's own connection then only
    /// reads. Answers go to `sink`. A store without a file (in memory) keeps
    /// everything inline.
    pub fn spawn_workers(&mut self, sink: writer::Sink) -> anyhow::Result<()> {
        let (Some(read), Some(article), Some(write), Some(ingest)) = (
            self.store.open_role(Role::Reader, &self.give_up)?,
            self.store.open_role(Role::Article, &self.give_up)?,
            self.store.open_role(Role::Writer, &self.give_up)?,
            self.store.open_role(Role::Ingest, &self.give_up)?,
        ) else {
            return Ok(());
        };
        let session = Session { undo_floor: self.session.undo_floor };
        self.reader = Some(Reader::spawn(read, self.state.saved_queries.clone(), sink.clone())?);
        let give_up = self.give_up.clone();
        self.articles = Some(article_reader::ArticleReader::spawn(article, sink.clone())?);
        self.writer =
            Some(Writer::spawn("tidings-writer", write, give_up.clone(), session, self.clock, sink.clone(), None)?);
        // — #10 search — the ingest thread merges the full-text index while the user is idle.
        let merge = self.merge_when_idle.then(|| IdleMerge::new(self.activity.clone()));
        self.ingest =
            Some(Writer::spawn("tidings-ingest", ingest, give_up, Session::default(), self.clock, sink, merge)?);
        self.store.make_loop_connection()?;
        Ok(())
    }

    /// Lets the ingest thread (`spawn_workers`, called after) merge the
    /// full-text index while the user is idle (`idle_merge`).
    pub fn merge_when_idle(&mut self) {
        self.merge_when_idle = true;
    }

    /// The start's chores that can wait for the first frame (feeds from the
    /// config, retention, the poller's schedule), on the ingest thread.
    pub fn prepare(&mut self, prepare: Prepare) {
        match &self.ingest {
            Some(ingest) => ingest.prepare(prepare),
            None => {
                let reply = writer::prepare(&mut self.store, prepare, (self.clock)(), &self.give_up);
                self.step_many(reply.into_iter().collect());
            }
        }
    }

    /// Waits for the writes handed over so far (at most `deadline` for a
    /// lock someone else holds). True when every change of the user's was written.
    pub fn finish(&mut self, deadline: std::time::Duration) -> bool {
        self.reader = None;
        self.articles = None;
        // The user's changes first; the poller's results can be fetched again.
        let written = self.writer.take().is_none_or(|w| w.finish(deadline));
        if let Some(ingest) = self.ingest.take() {
            ingest.finish(deadline);
        }
        written
    }

    /// Everything a start loads: the first screen, then the rest.
    pub fn start(&mut self) {
        self.first_screen();
        self.start_background();
    }

    /// What the first frame needs: the first rows of the first view, read
    /// here and now (call before `spawn_workers`).
    pub fn first_screen(&mut self) {
        // `u` undoes what is done from here on (older changes when asked twice).
        match self.store.journal_head() {
            Ok(head) => self.session.undo_floor = Some(head),
            Err(e) => tracing::warn!("reading the undo journal failed: {e}"),
        }
        let view = self.state.view.clone();
        self.run_effects(vec![Effect::LoadView(view)]);
    }

    /// `first_screen` from reads done before the app existed (on the start
    /// thread, see `startup`); read here as usual when there are none or
    /// they were read with other settings than the config's.
    pub fn first_screen_from(&mut self, first: Option<crate::startup::FirstScreen>) {
        let Some(first) = first.filter(|f| f.sort == self.state.sort && f.folding == self.state.folding) else {
            return self.first_screen();
        };
        match first.journal_head {
            Ok(head) => self.session.undo_floor = Some(head),
            Err(e) => tracing::warn!("reading the undo journal failed: {e}"),
        }
        // As the inline read would leave the loop's connection.
        self.store.set_list_order(first.sort);
        self.store.set_folding(first.folding);
        self.first_article = first.article;
        let view = self.state.view.clone();
        let reply = match first.window {
            Ok(window) => Msg::WindowLoaded { view, req: msg::WindowReq::Top, window, target: None },
            Err(e) => effects::failed(e),
        };
        self.step(reply);
        self.first_article = None;
    }

    /// What can follow the first frame: the sidebar's counts, and prefetch
    /// of the full text earlier runs left unfetched.
    pub fn start_background(&mut self) {
        let mut effects = vec![Effect::LoadCounts];
        effects.extend(self.state.full_text_feeds.iter().map(|f| Effect::PrefetchFullText { feed: f.clone() }));
        self.run_effects(effects);
        if let Some(s) = &self.sync {
            s.sync_now();
        }
    }

    pub fn set_desktop(&mut self, desktop: Box<dyn Desktop>) {
        self.desktop = desktop;
    }

    pub fn set_sync(&mut self, sync: SyncTask) {
        self.sync = Some(sync);
    }

    /// The loop's own connection (to open another beside it).
    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn set_poller(&mut self, poller: Poller) {
        self.poller = Some(poller);
    }

    pub fn set_render_worker(&mut self, worker: RenderWorker) {
        self.renderer = Some(worker);
    }

    pub fn set_full_text(&mut self, fulltext: Box<dyn FullTextFetch>) {
        self.fulltext = Some(fulltext);
    }

    // — #13 images —
    pub fn set_images(&mut self, images: crate::images::service::ImageService) {
        self.images = Some(images);
    }

    // — #10 keys —
    /// Call after each batch of messages, once its frame is drawn (or none
    /// was needed): work held back so as not to compete with the frame for
    /// a core starts now (reading the newly selected article, reading rows
    /// ahead of the list).
    pub fn frame_drawn(&mut self) {
        if let (Some(job), Some(articles)) = (self.article_wanted.take(), &self.articles) {
            articles.request(job);
        }
        self.send_ahead();
    }

    /// Sends the reads ahead held back for the frame to the reader thread.
    fn send_ahead(&mut self) {
        if let Some(reader) = &self.reader {
            for effect in std::mem::take(&mut self.ahead_wanted) {
                reader.set_order(self.state.sort);
                reader.set_folding(&self.state.folding);
                reader.request(effect);
            }
        }
    }

    /// Handles one message and everything it leads to.
    pub fn step(&mut self, msg: Msg) {
        self.step_many(vec![msg]);
    }

    /// Handles a batch of messages. Reads asked for by any of them run once
    /// per kind (the newest asked for), after everything else.
    pub fn step_many(&mut self, msgs: Vec<Msg>) {
        let mut queue: VecDeque<Msg> = msgs.into();
        let mut loads: Vec<Effect> = Vec::new();
        loop {
            while let Some(msg) = queue.pop_front() {
                // — #10 search — the idle merge waits while the user is at the keys.
                if matches!(msg, Msg::Key(_) | Msg::Mouse(_) | Msg::Resize(..)) {
                    self.activity.input();
                }
                match &msg {
                    Msg::ArticleRendered { id, width, full, body } => {
                        // The worker's bodies join the cache like the ones rendered here.
                        let key = (id.clone(), *width, *full);
                        if self.rendering.as_ref() == Some(&key) {
                            self.rendering = None;
                        }
                        self.rendered.insert(key, body.clone());
                    }
                    // — #10 keys — a body rendered with the article joins them too.
                    Msg::ArticleRead { id, body: Some(b), .. } => {
                        self.keep_rendered((id.clone(), b.width, b.full), b.body.clone());
                    }
                    Msg::PrefetchWanted(wanted) => {
                        if let Some(f) = &mut self.fulltext {
                            for w in wanted {
                                f.request(&w.id, &w.link, true);
                            }
                        }
                        continue;
                    }
                    _ => {}
                }
                for effect in update(&mut self.state, msg) {
                    if effect.is_load() {
                        loads.retain(|l| l.load_slot() != effect.load_slot());
                        loads.push(effect);
                    } else {
                        queue.extend(self.run(effect));
                    }
                }
            }
            if loads.is_empty() {
                break;
            }
            for effect in std::mem::take(&mut loads) {
                queue.extend(self.run(effect));
            }
        }
        // — #10 keys — rows held back for the frame are needed now after all.
        if self.state.window.overshoot != 0 && !self.ahead_wanted.is_empty() {
            self.send_ahead();
        }
    }

    fn run_effects(&mut self, effects: Vec<Effect>) {
        let replies: Vec<Msg> = effects.into_iter().flat_map(|e| self.run(e)).collect();
        self.step_many(replies);
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod fulltext_tests;
#[cfg(test)]
mod tests_triage;
#[cfg(test)]
mod tests_window;
#[cfg(test)]
mod tests_writes;
