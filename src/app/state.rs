//! The whole state of the screen. Changed only by `update`; read by `ui::draw`.

use std::collections::VecDeque;
use std::sync::Arc;

use ratatui::text::Line;

use super::keymap::Keymap;
use crate::article::render::Body;
use crate::config::{Config, LayoutMode, SavedQuery, Width};
use crate::model::{Article, Counts, ItemRow, Timestamp, View};
use crate::theme::Theme;

/// Where keys go: the panes, or a one-line prompt at the bottom.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Mode {
    #[default]
    Normal,
    Prompt(Prompt),
}

/// What a prompt is for; decides what its text means when it changes or is submitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptKind {
    /// The `/` filter over the list (its query language: §8).
    Filter,
    /// Editing one item's user tags.
    Tags(crate::model::ItemId),
    /// The number of a link in the open article, to open it (`#`).
    Link,
    // — #13 commands —
    /// A command line the article's text is piped to (`|`).
    Pipe,
    // — #13 cmdline —
    /// The `:` command line.
    Command,
    /// "mark 412 items read? y/n": a bulk change over more than `[ui] confirm_above` items.
    Confirm { bulk: crate::store::Bulk, question: String },
}

impl PromptKind {
    /// The label before the text, and the mode badge on the status line.
    pub fn label(&self) -> &str {
        match self {
            PromptKind::Filter => "/",
            PromptKind::Tags(_) => "tags: ",
            PromptKind::Link => "open link #",
            PromptKind::Pipe => "pipe to: ",
            PromptKind::Command => ":",
            PromptKind::Confirm { question, .. } => question,
        }
    }

    pub fn badge(&self) -> &'static str {
        match self {
            PromptKind::Filter => "FILTER",
            PromptKind::Tags(_) => "TAGS",
            PromptKind::Link => "LINK",
            PromptKind::Pipe => "PIPE",
            PromptKind::Command => "COMMAND",
            PromptKind::Confirm { .. } => "CONFIRM",
        }
    }
}

/// A one-line text editor (tui-input) with what it is for and any error to show under it.
#[derive(Debug, Clone)]
pub struct Prompt {
    pub kind: PromptKind,
    pub input: tui_input::Input,
    pub error: Option<String>,
}

impl Prompt {
    pub fn new(kind: PromptKind, text: &str) -> Prompt {
        Prompt { kind, input: tui_input::Input::new(text.to_string()), error: None }
    }
}

impl PartialEq for Prompt {
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind
            && self.input.value() == other.input.value()
            && self.input.cursor() == other.input.cursor()
            && self.error == other.error
    }
}

/// Which pane keys go to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Focus {
    Sidebar,
    List,
    Article,
}

/// One line of the sidebar.
#[derive(Debug, Clone, PartialEq)]
pub struct SidebarEntry {
    pub view: View,
    pub label: String,
    /// Unread items (entries, for the reading list): one rule for every entry.
    pub count: Option<u64>,
    /// All items, where that helps beside the unread count ("All": `12/35`).
    pub total: Option<u64>,
    /// The feed's last error, for failing-feed entries.
    pub error: Option<String>,
    // — #13 feeds view —
    /// What the line is: a view, or part of the Feeds section.
    pub kind: EntryKind,
}

// — #13 feeds view —
/// What a sidebar line is. Only `View`, `Group` and `Feed` lines show a view
/// (their `view`); the Feeds header folds the section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EntryKind {
    /// All, Unread, the reading list, a saved query, a tag, a failing feed.
    #[default]
    View,
    /// The Feeds section's header: Space/Enter fold and unfold it.
    Section { collapsed: bool },
    /// A first tag in the grouped Feeds section (its view is the tag's).
    Group,
    /// One feed; `indent`: under a group.
    Feed { indent: bool },
}

/// A selection in a scrolled list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Cursor {
    pub sel: usize,
    /// First visible row.
    pub offset: usize,
}

impl Cursor {
    /// Moves the selection to `sel` (clamped to `len`) and scrolls so it is visible in `rows`.
    pub fn set(&mut self, sel: usize, len: usize, rows: usize) {
        self.sel = sel.min(len.saturating_sub(1));
        let rows = rows.max(1);
        if self.sel < self.offset {
            self.offset = self.sel;
        } else if self.sel >= self.offset + rows {
            self.offset = self.sel + 1 - rows;
        }
        self.offset = self.offset.min(len.saturating_sub(rows));
    }

    pub fn by(&mut self, delta: isize, len: usize, rows: usize) {
        self.set(self.sel.saturating_add_signed(delta), len, rows);
    }
}

/// What the list knows about its view beyond the rows it holds (`State::items`,
/// a window of a few hundred rows around the selection).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ListWindow {
    /// Nothing in the view is newer than the first row held.
    pub at_top: bool,
    /// Nothing in the view is older than the last row held.
    pub at_bottom: bool,
    /// Rows in the whole view, once counted (typed queries; it comes after the rows).
    pub total: Option<u64>,
    /// The new window asked for last and not answered yet: answers to older
    /// requests are dropped, and the rows stay as they are until it comes.
    pub want: Option<super::msg::WindowReq>,
    /// More rows asked for below / above the window, not answered yet.
    pub growing_down: bool,
    pub growing_up: bool,
    /// Moves past the rows held, made before more rows arrived: applied when they do.
    pub overshoot: isize,
    /// Moves made while a new window (`want`) is on its way: applied on arrival.
    pub drift: isize,
}

/// An article body rendered for one width.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    pub width: u16,
    /// Rendered from the extracted full text (else from the feed's HTML).
    pub full: bool,
    pub body: Arc<Body>,
    // — #13 images —
    /// The body with room for its pictures (`[ui] images` on).
    pub laid: Option<Arc<crate::images::layout::Laid>>,
}

impl Rendered {
    pub fn lines(&self) -> &[Line<'static>] {
        match &self.laid {
            Some(laid) => &laid.lines,
            None => &self.body.lines,
        }
    }
}

/// The article pane's content.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleView {
    pub article: Article,
    /// None until the renderer has answered for the current width and source.
    pub body: Option<Rendered>,
    pub scroll: usize,
    /// The reader asked for the full text (`f`, or the feed has `full_text = true`).
    pub show_full: bool,
    /// A full-text fetch for this article is under way.
    pub fetching: bool,
    // — #10 keys —
    /// Only the list row's facts are here (title, feed, date, link): the
    /// article itself is being read.
    pub loading: bool,
}

impl ArticleView {
    pub fn new(article: Article, show_full: bool) -> ArticleView {
        ArticleView { article, body: None, scroll: 0, show_full, fetching: false, loading: false }
    }

    // — #10 keys —
    /// What the pane shows of `row` while its article is read.
    pub fn stand_in(row: &ItemRow) -> ArticleView {
        let article = Article {
            id: row.id.clone(),
            title: row.title.clone(),
            feed: row.feed.clone(),
            link: row.link.clone(),
            published: row.date,
            ..Default::default()
        };
        ArticleView { loading: true, ..ArticleView::new(article, false) }
    }

    /// True when the body shown is (or is to be) the extracted full text.
    pub fn wants_full(&self) -> bool {
        self.show_full && self.article.full_html.is_some()
    }
}

/// The background sync with the `[sync]` server, as the status line shows it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SyncView {
    /// A sync is running.
    pub running: bool,
    /// Items known here and the server's total, while a sync pages through new items.
    pub progress: Option<(u64, Option<u64>)>,
    /// Why the last sync failed; shown until one succeeds.
    pub error: Option<String>,
}

/// Progress of the feed fetches in flight.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Progress {
    pub total: usize,
    pub done: usize,
    pub failed: usize,
    /// The first failure of the batch: (feed URL, error).
    pub first_error: Option<(String, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub now: Timestamp,
    /// Seconds east of UTC, for showing dates in local time.
    pub utc_offset: i32,
    pub size: (u16, u16),
    pub layout: LayoutMode,
    pub list_width: Width,
    pub sidebar_width: Width,
    pub sidebar_visible: bool,
    pub focus: Focus,
    pub mode: Mode,
    /// The help overlay is open, scrolled down this many lines.
    pub help: Option<usize>,
    pub counts: Counts,
    pub sidebar: Vec<SidebarEntry>,
    pub sidebar_cursor: Cursor,
    /// The view the list shows.
    pub view: View,
    /// The view `items` were loaded for: the list's title names this one, so
    /// title and rows agree while a newer view's rows are on their way.
    pub shown: View,
    /// The view shown when the `/` line was opened (Esc there goes back to it).
    pub filter_before: Option<View>,
    /// The config's `[[query]]`s (their counts arrive with `Counts`).
    pub saved_queries: Vec<SavedQuery>,
    /// The rows held: a window over the view (see `window`).
    pub items: Vec<ItemRow>,
    /// The selection and scroll, as indexes into `items`.
    pub list: Cursor,
    pub window: ListWindow,
    /// Set once the first rows of the view have arrived.
    pub loaded: bool,
    /// The user has moved in or opened from this view: reloads then keep the
    /// selected item selected; until then the selection stays on the newest.
    pub list_touched: bool,
    pub article: Option<ArticleView>,
    pub progress: Progress,
    /// How the last finished batch of fetches went (the empty list says when all failed).
    pub last_batch: Option<Progress>,
    /// Feeds in the config (none: the empty list says how to add one).
    pub feed_count: usize,
    /// With `[sync]`: the server's state (the server is the source of feeds and items).
    pub sync: Option<SyncView>,
    pub keymap: Keymap,
    pub theme: Theme,
    pub mark_read_on_open: bool,
    pub date_format: String,
    /// URLs of the feeds whose articles are shown (and prefetched) as full text.
    pub full_text_feeds: Vec<String>,
    /// A one-off message for the status line (errors, summaries).
    pub status: Option<String>,
    /// The user's writes not answered yet, oldest first: laid over rows
    /// loaded meanwhile.
    pub pending: VecDeque<super::pending::Overlay>,
    /// The last `u` stopped at the start of this session: the next `u` goes on.
    pub undo_armed: bool,
    /// A note that stays on the status line until the user's first action
    /// (what the first run wrote), whatever messages come and go meanwhile.
    pub notice: Option<String>,
    /// The database could only be opened read-only, and why: said on the status line.
    pub read_only: Option<String>,
    pub quit: bool,
    /// Something visible changed since the last draw.
    pub dirty: bool,
    /// The terminal is to be cleared before the next draw (Ctrl-l), so that
    /// whatever garbled it is gone.
    pub clear: bool,
    // — #13 feeds view —
    /// How the sidebar shows feeds (`[ui] feeds`).
    pub feeds_mode: crate::config::FeedsMode,
    /// The Feeds section is folded to its header.
    pub feeds_collapsed: bool,
    /// Feeds being fetched now (the poller said `Fetching`, no result yet): `↻` in the sidebar.
    pub fetching: std::collections::BTreeSet<String>,
    /// Each feed's first tag in the config, by URL: the group it is listed under.
    pub feed_groups: std::collections::BTreeMap<String, String>,
    /// The list's order (`[ui] sort`, `O`): loads are read in it, and rows read in another are dropped.
    pub sort: crate::config::SortOrder,
    // — #13 cmdline —
    /// The `:` line's history, Tab cycle and completion sources.
    pub cmdline: super::cmdline::Cmdline,
    // — #13 images —
    /// The article's pictures: the mode and those asked for.
    pub images: crate::images::Images,
    // — #13 commands —
    /// The config's `[[command]]`s (the keymap knows their keys).
    pub commands: Vec<crate::config::commands::CommandConfig>,
    /// `[poller] on_new` (None in the demo).
    pub on_new: Option<Vec<String>>,
    /// New items stored in the poll round under way, for `on_new`.
    pub round: NewRound,
    /// Zen mode: the article alone, centred.
    pub zen: bool,
    /// `[ui] max_width`: the article's widest text in zen mode.
    pub max_width: u16,
    /// The body line of the article (by id) `n`/`N` jumped to last.
    pub search_hit: Option<(crate::model::ItemId, usize)>,
    // — #15 stories —
    /// How the list folds stories: on, the preferred outlets, the stories unfolded.
    pub folding: crate::store::Folding,
}

/// What a poll round stored, so `on_new` runs once when it has all landed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NewRound {
    /// Fetched feeds handed to the ingest thread and not answered yet.
    pub storing: usize,
    /// New items stored so far.
    pub new: usize,
    /// Every feed of the round has answered.
    pub over: bool,
}

impl State {
    pub fn new(cfg: &Config, now: Timestamp, utc_offset: i32, theme: Theme) -> State {
        let mut state = State {
            now,
            utc_offset,
            size: (80, 24),
            layout: cfg.ui.layout,
            list_width: cfg.ui.list_width,
            sidebar_width: cfg.ui.sidebar_width,
            sidebar_visible: true,
            focus: Focus::List,
            mode: Mode::Normal,
            help: None,
            counts: Counts::default(),
            sidebar: super::update::sidebar_entries(&Counts::default()),
            sidebar_cursor: Cursor::default(),
            view: View::All,
            shown: View::All,
            filter_before: None,
            saved_queries: cfg.queries.clone(),
            items: Vec::new(),
            list: Cursor::default(),
            window: ListWindow::default(),
            loaded: false,
            list_touched: false,
            article: None,
            progress: Progress::default(),
            last_batch: None,
            feed_count: 0,
            sync: cfg.sync.as_ref().map(|_| SyncView::default()),
            keymap: cfg.keymap.clone(),
            theme,
            mark_read_on_open: cfg.ui.mark_read_on_open,
            date_format: cfg.ui.date_format.clone(),
            full_text_feeds: Vec::new(),
            status: None,
            pending: VecDeque::new(),
            undo_armed: false,
            notice: None,
            read_only: None,
            quit: false,
            dirty: true,
            clear: false,
            // — #13 images —
            images: crate::images::Images::new(cfg.ui.images),
            commands: cfg.commands.clone(),
            on_new: cfg.poller.on_new.clone(),
            round: NewRound::default(),
            zen: false,
            max_width: cfg.ui.max_width,
            search_hit: None,
            cmdline: super::cmdline::Cmdline { confirm_above: cfg.ui.confirm_above, ..Default::default() },
            // — #13 feeds view —
            feeds_mode: cfg.ui.feeds,
            feeds_collapsed: false,
            fetching: Default::default(),
            feed_groups: Default::default(),
            sort: cfg.ui.sort,
            folding: crate::store::Folding {
                on: cfg.stories.enabled,
                prefer: cfg.stories.prefer.clone(),
                unfolded: Vec::new(),
            },
        };
        state.set_config_feeds(&cfg.feeds);
        state
    }

    /// What the state keeps of the config's feeds: how many, which show
    /// full text, and each one's group (its first tag).
    pub fn set_config_feeds(&mut self, feeds: &[crate::config::FeedConfig]) {
        self.feed_count = feeds.len();
        self.full_text_feeds = feeds.iter().filter(|f| f.full_text).map(|f| f.url.clone()).collect();
        self.feed_groups = feeds.iter().filter_map(|f| Some((f.url.clone(), f.tags.first()?.clone()))).collect();
    }

    pub fn selected_item(&self) -> Option<&ItemRow> {
        self.items.get(self.list.sel)
    }

    /// The panes for the current size and settings.
    pub fn panes(&self) -> crate::layout::Panes {
        crate::layout::Panes::compute(self.size.0, self.size.1, self.layout_prefs())
    }

    /// What the layout depends on besides the terminal's size.
    pub fn layout_prefs(&self) -> crate::layout::Prefs {
        let prompt_error = matches!(&self.mode, Mode::Prompt(p) if p.error.is_some());
        crate::layout::Prefs {
            mode: self.layout,
            sidebar_visible: self.sidebar_visible,
            list_width: self.list_width,
            sidebar_width: self.sidebar_width,
            bottom_rows: 1 + u16::from(prompt_error),
            zen: self.zen.then_some(self.max_width),
        }
    }
}
