//! Messages into the state machine and the effects it asks the loop to run.

use std::sync::Arc;

use ratatui::crossterm::event::{KeyEvent, MouseEvent};

use super::action::Action;
use crate::article::extract::Extracted;
use crate::article::render::Body;
use crate::feed::PollEvent;
use crate::model::{Article, Counts, FetchedFeed, ItemId, ItemRow, PollInfo, Timestamp, View};

/// Everything `update` reacts to. Senders: the terminal reader task (keys,
/// resizes), the poller task (`Poll`), the tick task, and the effect runner
/// (the `…Loaded` replies).
#[derive(Debug, Clone)]
pub enum Msg {
    /// A key press from the terminal; the keymap turns it into an action.
    Key(KeyEvent),
    /// An action directly (tests, and the keymap's output).
    Action(Action),
    /// A click or wheel turn from the terminal (only with `[ui] mouse`).
    Mouse(MouseEvent),
    /// The terminal's new size in cells.
    Resize(u16, u16),
    /// The clock moved on (ages in the list are relative to it).
    Tick(Timestamp),
    /// One feed's result, or the start of a batch.
    Poll(PollEvent),
    /// A fetched feed is in the store; `new` items were added.
    Stored { url: String, new: usize },
    /// The rows of a view, newest first.
    ViewLoaded { view: View, items: Vec<ItemRow> },
    /// Fresh aggregates for the sidebar and status line.
    CountsLoaded(Counts),
    /// The article asked for (None if it vanished).
    ArticleLoaded { id: ItemId, article: Option<Box<Article>> },
    /// An article's body (`full`: the extracted full text) rendered at a width.
    ArticleRendered { id: ItemId, width: u16, full: bool, body: Arc<Body> },
    /// A full-text fetch finished (sent by the full-text service).
    FullText { id: ItemId, result: Result<Extracted, String> },
    /// An item's user tags, loaded to open the tag editor.
    TagsLoaded { id: ItemId, tags: Vec<String> },
    /// The journal was walked (`undo` true: back); `label` is the change
    /// undone or redone, None when there was nothing to walk to.
    Walked { undo: bool, label: Option<String> },
    /// A view was marked read: this many items changed.
    MarkedRead(usize),
    /// How the background sync with the `[sync]` server is going (sent by the sync thread).
    Sync(crate::sync::SyncEvent),
    /// An effect failed; shown on the status line.
    Failed(String),
}

/// Work for the loop. Plain data: `update` decides, the runner does.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Store a fetched feed's items → `Msg::Stored`.
    StoreFetched(Box<FetchedFeed>),
    /// Remember that a feed failed, with the reason.
    RecordFailure { url: String, error: String },
    /// Remember that a feed answered 304.
    RecordNotModified { url: String },
    /// Remember a feed's status, next poll time, Retry-After and permanent move.
    RecordSchedule { url: String, info: PollInfo },
    /// Mark items read or unread (one journal entry).
    SetRead { ids: Vec<ItemId>, read: bool },
    /// Dismiss an item: read and hidden from the item views (one journal entry).
    Dismiss(ItemId),
    /// Mark every item of a view read (one journal entry) → `Msg::MarkedRead`.
    MarkViewRead(View),
    /// Add an item to the reading list or take it out (one journal entry).
    SetSaved { id: ItemId, saved: bool },
    /// Load an item's user tags → `Msg::TagsLoaded`.
    LoadTags(ItemId),
    /// Replace an item's user tags (one journal entry).
    SetTags { id: ItemId, tags: Vec<String> },
    /// Undo the newest change → `Msg::Walked`.
    Undo,
    /// Redo the last undone change → `Msg::Walked`.
    Redo,
    /// Load a view's rows → `Msg::ViewLoaded`.
    LoadView(View),
    /// Load sidebar counts → `Msg::CountsLoaded`.
    LoadCounts,
    /// Load one article → `Msg::ArticleLoaded`.
    LoadArticle(ItemId),
    /// Render an article's HTML at a width → `Msg::ArticleRendered`.
    RenderArticle { id: ItemId, html: String, base: Option<String>, width: u16, full: bool },
    /// Fetch and extract an item's page in the background → `Msg::FullText`.
    FetchFullText { id: ItemId, url: String },
    /// Keep an extracted article.
    StoreFullText { id: ItemId, full: Box<Extracted> },
    /// Remember that an item's full text could not be had.
    RecordFullTextError { id: ItemId, error: String },
    /// Queue background fetches for a `full_text` feed's unread items that have none yet.
    PrefetchFullText { feed: String },
    /// Ask the poller to fetch every feed now (with `[sync]`: sync now).
    Refresh,
    /// Open a URL in the user's browser, without waiting for it.
    OpenUrl(String),
    /// Put text on the clipboard (OSC 52).
    Copy(String),
}

impl Effect {
    /// Loads are idempotent reads: the loop runs each kind once per batch,
    /// after the writes, however many messages asked for it.
    pub fn is_load(&self) -> bool {
        matches!(self, Effect::LoadView(_) | Effect::LoadCounts)
    }
}
