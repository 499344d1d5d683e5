//! The command vocabulary: every key binding names one of these, and the help
//! overlay and status hints are generated from them.

use serde::{Deserialize, Serialize};

/// Something the user can ask for. The snake_case name is what `[keys]` uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Move the selection (or the article) down one line.
    Down,
    /// Move the selection (or the article) up one line.
    Up,
    /// Move one screen down.
    PageDown,
    /// Move one screen up.
    PageUp,
    /// Jump to the first item or the top of the article.
    Top,
    /// Jump to the last item or the end of the article.
    Bottom,
    /// Open the selected item (or sidebar entry).
    Open,
    /// Open the next unread item.
    NextUnread,
    /// Page down the article; at its end (or outside it), open the next unread item.
    PageOrNextUnread,
    /// Move focus to the next pane.
    FocusNext,
    /// Move focus to the previous pane.
    FocusPrev,
    /// Move focus one pane left.
    FocusLeft,
    /// Move focus one pane right.
    FocusRight,
    /// Show or hide the sidebar.
    ToggleSidebar,
    /// Mark the item read, or unread again.
    ToggleRead,
    /// Add the item to the reading list, or take it out.
    Save,
    /// Mark the item read and hide it from the item views.
    Dismiss,
    /// Mark every item in the current view read.
    MarkAllRead,
    /// Edit the item's own tags.
    EditTags,
    /// Undo the last change (also after a restart).
    Undo,
    /// Redo the last undone change.
    Redo,
    /// Open the item's link in the browser.
    OpenInBrowser,
    /// Copy the item's link to the clipboard (OSC 52, works over SSH).
    CopyLink,
    /// Open the item's first audio or video enclosure with the `[ui] player` command.
    PlayEnclosure,
    /// Show the article's full text (fetched from its page), or back to the feed's text.
    ToggleFullText,
    /// Open the article's numbered link whose digit was pressed.
    OpenLink,
    /// Ask for a link number, then open that link.
    OpenLinkNumber,
    /// Filter the list with a query (results follow as you type).
    Filter,
    /// Drop the filter: back to the sidebar's entry.
    ClearFilter,
    /// Fetch every feed now.
    Refresh,
    /// Clear the terminal and draw the whole screen again.
    Redraw,
    /// Show the keys (this list).
    Help,
    /// Leave tidings.
    Quit,
    // — #13 commands —
    /// Pipe the article's text to a command typed on a prompt.
    PipeArticle,
    /// Zen mode: the article alone, centred at `[ui] max_width` columns.
    ZenMode,
    /// In the article with a `/` search: jump to the previous match.
    PrevMatch,
    // — #13 cmdline —
    /// Open the command line: actions by name, bulk changes over a query.
    CommandLine,
    // — #13 feeds view —
    /// Fetch the selected feed (or the feed shown) alone, now.
    RefreshFeed,
    /// Show the selected feed's (or the shown feed's) last error on the status line.
    ShowFeedError,
    /// Sort the list by the next order: date, feed, title, unread first.
    CycleSort,
}

impl Action {
    /// Every action, in the order the help lists them.
    pub const ALL: &'static [Action] = &[
        Action::Down,
        Action::Up,
        Action::PageDown,
        Action::PageUp,
        Action::Top,
        Action::Bottom,
        Action::Open,
        Action::NextUnread,
        Action::PageOrNextUnread,
        Action::FocusNext,
        Action::FocusPrev,
        Action::FocusLeft,
        Action::FocusRight,
        Action::ToggleSidebar,
        Action::ToggleRead,
        Action::Save,
        Action::Dismiss,
        Action::MarkAllRead,
        Action::EditTags,
        Action::Undo,
        Action::Redo,
        Action::OpenInBrowser,
        Action::CopyLink,
        Action::PlayEnclosure,
        Action::ToggleFullText,
        Action::OpenLink,
        Action::OpenLinkNumber,
        Action::Filter,
        Action::ClearFilter,
        Action::Refresh,
        Action::Redraw,
        Action::Help,
        Action::Quit,
        // — #13 commands —
        Action::PipeArticle,
        Action::ZenMode,
        Action::PrevMatch,
        // — #13 cmdline —
        Action::CommandLine,
        // — #13 feeds view —
        Action::RefreshFeed,
        Action::ShowFeedError,
        Action::CycleSort,
    ];

    /// The name used in `[keys]`.
    pub fn name(self) -> &'static str {
        match self {
            Action::Down => "down",
            Action::Up => "up",
            Action::PageDown => "page_down",
            Action::PageUp => "page_up",
            Action::Top => "top",
            Action::Bottom => "bottom",
            Action::Open => "open",
            Action::NextUnread => "next_unread",
            Action::PageOrNextUnread => "page_or_next_unread",
            Action::FocusNext => "focus_next",
            Action::FocusPrev => "focus_prev",
            Action::FocusLeft => "focus_left",
            Action::FocusRight => "focus_right",
            Action::ToggleSidebar => "toggle_sidebar",
            Action::ToggleRead => "toggle_read",
            Action::Save => "save",
            Action::Dismiss => "dismiss",
            Action::MarkAllRead => "mark_all_read",
            Action::EditTags => "edit_tags",
            Action::Undo => "undo",
            Action::Redo => "redo",
            Action::OpenInBrowser => "open_in_browser",
            Action::CopyLink => "copy_link",
            Action::PlayEnclosure => "play_enclosure",
            Action::ToggleFullText => "toggle_full_text",
            Action::OpenLink => "open_link",
            Action::OpenLinkNumber => "open_link_number",
            Action::Filter => "filter",
            Action::ClearFilter => "clear_filter",
            Action::Refresh => "refresh",
            Action::Redraw => "redraw",
            Action::Help => "help",
            Action::Quit => "quit",
            // — #13 commands —
            Action::PipeArticle => "pipe_article",
            Action::ZenMode => "zen_mode",
            Action::PrevMatch => "prev_match",
            Action::CommandLine => "command_line",
            // — #13 feeds view —
            Action::RefreshFeed => "refresh_feed",
            Action::ShowFeedError => "show_feed_error",
            Action::CycleSort => "cycle_sort",
        }
    }

    /// One line for the help overlay.
    pub fn describe(self) -> &'static str {
        match self {
            Action::Down => "move down",
            Action::Up => "move up",
            Action::PageDown => "page down",
            Action::PageUp => "page up",
            Action::Top => "go to top",
            Action::Bottom => "go to bottom",
            Action::Open => "open item (a folded story: unfold it)",
            Action::NextUnread => "next unread item (in the article with a search: next match)",
            Action::PageOrNextUnread => "page down, at the end next unread",
            Action::FocusNext => "next pane",
            Action::FocusPrev => "previous pane",
            Action::FocusLeft => "pane to the left (in an unfolded story: fold it)",
            Action::FocusRight => "pane to the right (a folded story: unfold it)",
            Action::ToggleSidebar => "show/hide sidebar",
            Action::ToggleRead => "toggle read/unread (a folded story: all its items)",
            Action::Save => "save to/remove from reading list",
            Action::Dismiss => "dismiss (read + hidden)",
            Action::MarkAllRead => "mark all in view read",
            Action::EditTags => "edit the item's tags",
            Action::Undo => "undo",
            Action::Redo => "redo",
            Action::OpenInBrowser => "open link in browser",
            Action::CopyLink => "copy link",
            Action::PlayEnclosure => "play the enclosure (podcast audio, video)",
            Action::ToggleFullText => "full text / feed text",
            Action::OpenLink => "open link 1–9 in browser",
            Action::OpenLinkNumber => "open link by number",
            Action::Filter => "filter / search",
            Action::ClearFilter => "clear the filter",
            Action::Refresh => "refresh all feeds (with [sync]: sync now)",
            Action::Redraw => "redraw the screen",
            Action::Help => "show/hide this help",
            Action::Quit => "quit",
            // — #13 commands —
            Action::PipeArticle => "pipe the article's text to a command (!cmd: on the terminal)",
            Action::ZenMode => "zen mode: the article alone (Esc leaves)",
            Action::PrevMatch => "previous search match in the article",
            Action::CommandLine => "command line: actions by name, :read/:tag … QUERY",
            // — #13 feeds view —
            Action::RefreshFeed => "refresh the selected feed alone",
            Action::ShowFeedError => "show the selected feed's last error",
            Action::CycleSort => "sort by date / feed / title / unread first",
        }
    }

    /// A short word for the status-line hints, for the actions worth hinting.
    pub fn hint(self) -> Option<&'static str> {
        match self {
            Action::Open => Some("open"),
            Action::Undo => Some("undo"),
            Action::Filter => Some("filter"),
            Action::Refresh => Some("refresh"),
            Action::Help => Some("help"),
            Action::Quit => Some("quit"),
            _ => None,
        }
    }

    /// The keys bound to this action unless `[keys]` says otherwise.
    pub fn default_keys(self) -> &'static [&'static str] {
        match self {
            Action::Down => &["j", "Down"],
            Action::Up => &["k", "Up"],
            Action::PageDown => &["PageDown", "Ctrl-d"],
            Action::PageUp => &["PageUp", "Ctrl-u"],
            Action::Top => &["g", "Home"],
            Action::Bottom => &["G", "End"],
            Action::Open => &["Enter"],
            Action::NextUnread => &["n"],
            Action::PageOrNextUnread => &["Space"],
            Action::FocusNext => &["Tab"],
            Action::FocusPrev => &["BackTab"],
            Action::FocusLeft => &["h", "Left"],
            Action::FocusRight => &["l", "Right"],
            Action::ToggleSidebar => &["b"],
            Action::ToggleRead => &["r"],
            Action::Save => &["s"],
            Action::Dismiss => &["d"],
            Action::MarkAllRead => &["A"],
            Action::EditTags => &["t"],
            Action::Undo => &["u"],
            Action::Redo => &["Ctrl-r"],
            Action::OpenInBrowser => &["o"],
            Action::CopyLink => &["y"],
            Action::PlayEnclosure => &["e"],
            Action::ToggleFullText => &["f"],
            Action::OpenLink => &["1", "2", "3", "4", "5", "6", "7", "8", "9"],
            Action::OpenLinkNumber => &["#"],
            Action::Filter => &["/"],
            Action::ClearFilter => &["Esc"],
            Action::Refresh => &["R"],
            Action::Redraw => &["Ctrl-l"],
            Action::Help => &["?"],
            Action::Quit => &["q", "Ctrl-c"],
            // — #13 commands —
            Action::PipeArticle => &["|"],
            Action::ZenMode => &["z"],
            Action::PrevMatch => &["N"],
            Action::CommandLine => &[":"],
            // — #13 feeds view —
            Action::RefreshFeed => &["U"],
            Action::ShowFeedError => &["E"],
            Action::CycleSort => &["O"],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_is_listed_once() {
        let mut seen = std::collections::HashSet::new();
        for a in Action::ALL {
            assert!(seen.insert(a), "{a:?} listed twice");
            assert!(!a.describe().is_empty());
        }
        assert!(Action::ALL.contains(&Action::Undo) && Action::ALL.contains(&Action::Help));
    }

    #[test]
    fn names_match_serde() {
        for a in Action::ALL {
            let parsed: Action = serde_json::from_str(&format!("\"{}\"", a.name())).unwrap();
            assert_eq!(parsed, *a);
        }
    }
}
