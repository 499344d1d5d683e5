//! Messages into the state machine and the effects it asks the loop to run.

use std::sync::Arc;

use ratatui::crossterm::event::{KeyEvent, MouseEvent};

use super::action::Action;
use crate::article::extract::Extracted;
use crate::article::render::Body;
use crate::feed::PollEvent;
use crate::model::{Article, Counts, FetchedFeed, ItemId, ItemRow, PollInfo, RowKey, Timestamp, View};
use crate::store::{FullTextWanted, Window};

// — #10 keys —
/// An article body rendered off the loop thread, for `width` columns from
/// the feed's text or (`full`) the extracted full text.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadBody {
    pub width: u16,
    pub full: bool,
    pub body: Arc<Body>,
}

/// Which rows of a view the list asks for. The list holds a window of a few
/// hundred rows; these move it, grow it at either end, or read it again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowReq {
    /// The first rows (the view's newest).
    Top,
    /// The last rows (`G`).
    Bottom,
    /// The rows around a key, after a change of the user's own (undo, a tag,
    /// the reading list): the selection stays on its item if it is still there.
    Around(RowKey),
    /// The same, after a change by someone else (another process, the
    /// poller): the selected row stays on screen even if it left the view.
    Refresh(RowKey),
    /// Rows after (older than) a key: the window grows down.
    After(RowKey),
    /// Rows before (newer than) a key: the window grows up.
    Before(RowKey),
    /// The window around the first unread row after a key (or from the
    /// top), which is then opened (`n`).
    NextUnread(Option<RowKey>),
}

impl WindowReq {
    /// Grows the window rather than replacing it.
    pub fn grows(&self) -> bool {
        matches!(self, WindowReq::After(_) | WindowReq::Before(_))
    }
}

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
    /// Rows of a view, newest first, as asked for by `req`; `target` is the
    /// row a `NextUnread` found (None: no unread row in the view).
    WindowLoaded { view: View, req: WindowReq, window: Window, target: Option<ItemId> },
    /// How many rows a view holds (counted after its first rows are shown).
    ViewCounted { view: View, total: u64 },
    /// Unread items of a `full_text` feed whose pages are to be fetched.
    PrefetchWanted(Vec<FullTextWanted>),
    /// Fresh aggregates for the sidebar and status line.
    CountsLoaded(Counts),
    /// The article asked for (None if it vanished).
    ArticleLoaded { id: ItemId, article: Option<Box<Article>> },
    /// An article's body (`full`: the extracted full text) rendered at a width.
    ArticleRendered { id: ItemId, width: u16, full: bool, body: Arc<Body> },
    // — #10 keys —
    /// The article thread's answer to `Effect::LoadArticle`: the article (None
    /// if it vanished) and its body rendered for the pane (None: left to the
    /// loop). The loop keeps the body with those it rendered, then handles
    /// the rest as `ArticleLoaded`.
    ArticleRead { id: ItemId, article: Option<Box<Article>>, body: Option<ReadBody> },
    /// A full-text fetch finished (sent by the full-text service).
    FullText { id: ItemId, result: Result<Extracted, String> },
    /// An item's user tags, loaded to open the tag editor.
    TagsLoaded { id: ItemId, tags: Vec<String> },
    /// The journal was walked (`undo` true: back); `label` is the change
    /// undone or redone, None when there was nothing to walk to.
    Walked { undo: bool, label: Option<String> },
    /// `u` found nothing to undo since the reader started, but older changes.
    UndoBoundary,
    /// Another connection (another process, or one of ours) changed the database.
    DataChanged,
    /// A view was marked read: this many items changed.
    MarkedRead(usize),
    /// A user's change went through the writer thread: `Ok` with its own
    /// answer, if any (`Walked`, `MarkedRead`, …), or `Err` with why it was
    /// not saved (the screen then goes back to what the store holds).
    /// Answers come in the order the changes were made.
    Written { write: Box<Effect>, result: Result<Option<Box<Msg>>, String> },
    /// The start's chores are done (feeds synced from the config, retention);
    /// `error` says what went wrong, if anything.
    Prepared { error: Option<String> },
    /// How the background sync with the `[sync]` server is going (sent by the sync thread).
    Sync(crate::sync::SyncEvent),
    /// An effect failed; shown on the status line.
    Failed(String),
    // — #13 images —
    /// A picture was fetched and encoded, or could not be (sent by the picture service).
    ImageLoaded(crate::images::Loaded),
    // — #13 commands —
    /// A user's command ended (sent by its waiting thread, or by the runner
    /// for one that had the terminal: `redraw` then, the screen is to be drawn anew).
    CommandDone {
        name: String,
        output: crate::config::commands::CommandOutput,
        result: Result<String, String>,
        redraw: bool,
    },
    // — #13 cmdline —
    /// How many items a bulk change would change (counted by the reader thread).
    BulkCounted { bulk: crate::store::Bulk, n: u64 },
    /// A bulk change was made (the writer's reply): `n` items changed.
    BulkDone { bulk: crate::store::Bulk, n: usize },
    /// The feeds' titles, for the command line's completion.
    FeedNames(Vec<String>),
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
    /// Undo the newest change made since the reader started → `Msg::Walked`,
    /// or `Msg::UndoBoundary` when there is none but older ones.
    Undo,
    /// Undo the newest change, made in this session or before → `Msg::Walked`.
    UndoOlder,
    /// Redo the last undone change → `Msg::Walked`.
    Redo,
    /// Load a view's first rows → `Msg::WindowLoaded` (`WindowReq::Top`).
    LoadView(View),
    /// Load other rows of a view → `Msg::WindowLoaded`.
    LoadWindow { view: View, req: WindowReq },
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
    /// Open an enclosure's URL with the player, without waiting for it.
    Play(String),
    // — #13 images —
    /// Fetch and encode a picture in the background → `Msg::ImageLoaded`.
    FetchImage(crate::images::Want),
    // — #13 commands —
    /// Run a user's command (`[[command]]`, `|`) → `Msg::CommandDone`.
    RunCommand(Box<crate::commands::CommandRun>),
    /// Show text in the pager (`$PAGER`, else `less`), on the terminal.
    Page(String),
    /// Run `[poller] on_new` (its arguments, `{count}` filled in); never waited for.
    Notify(Vec<String>),
    // — #13 cmdline —
    /// Count what a bulk change would change (reader thread) → `Msg::BulkCounted`.
    CountBulk(crate::store::Bulk),
    /// Make a bulk change, one journal entry (writer thread) → `Msg::BulkDone`.
    Bulk(crate::store::Bulk),
    /// Load the feeds' titles → `Msg::FeedNames`.
    LoadFeedNames,
    /// Write the command line's history file (its whole, bounded list).
    SaveHistory(Vec<String>),
    // — #13 feeds view —
    /// Ask the poller to fetch one feed now (with `[sync]`: sync now).
    RefreshFeed(String),
}

impl Msg {
    /// All the rows of a (small) view at once: a window that reaches both ends.
    pub fn whole_view(view: View, items: Vec<ItemRow>) -> Msg {
        let window = Window { rows: items, at_top: true, at_bottom: true, sort: Default::default() };
        Msg::WindowLoaded { view, req: WindowReq::Top, window, target: None }
    }
}

impl Effect {
    /// Loads are idempotent reads: the loop runs each kind (each slot) once
    /// per batch, after the writes, however many messages asked for it: the
    /// newest asked for wins.
    pub fn is_load(&self) -> bool {
        self.load_slot().is_some()
    }

    /// Loads that replace each other: a new window replaces the one asked
    /// for before, growth at one end replaces growth at that end.
    pub fn load_slot(&self) -> Option<u8> {
        match self {
            Effect::LoadView(_) => Some(0),
            Effect::LoadWindow { req: WindowReq::After(_), .. } => Some(1),
            Effect::LoadWindow { req: WindowReq::Before(_), .. } => Some(2),
            Effect::LoadWindow { .. } => Some(0),
            Effect::LoadCounts => Some(3),
            Effect::LoadArticle(_) => Some(4),
            _ => None,
        }
    }

    // — #10 keys —
    /// A read of rows past those the list holds, asked for before they are needed.
    pub fn reads_ahead(&self) -> bool {
        matches!(self, Effect::LoadWindow { req, .. } if req.grows())
    }

    /// Reads the reader thread does (the loop reads only single articles).
    pub fn runs_on_reader(&self) -> bool {
        matches!(
            self,
            Effect::LoadView(_)
                | Effect::LoadWindow { .. }
                | Effect::LoadCounts
                | Effect::PrefetchFullText { .. }
                | Effect::CountBulk(_)
        )
    }

    /// The user's changes: run in order by the writer thread, each answered
    /// with `Msg::Written`; shown at once on screen until then.
    pub fn is_user_write(&self) -> bool {
        matches!(
            self,
            Effect::SetRead { .. }
                | Effect::Dismiss(_)
                | Effect::MarkViewRead(_)
                | Effect::SetSaved { .. }
                | Effect::SetTags { .. }
                | Effect::Undo
                | Effect::UndoOlder
                | Effect::Redo
                | Effect::StoreFullText { .. }
                | Effect::RecordFullTextError { .. }
                | Effect::Bulk(_)
        )
    }

    /// The poller's results: stored by the ingest thread.
    pub fn is_ingest(&self) -> bool {
        matches!(
            self,
            Effect::StoreFetched(_)
                | Effect::RecordFailure { .. }
                | Effect::RecordNotModified { .. }
                | Effect::RecordSchedule { .. }
        )
    }
}
