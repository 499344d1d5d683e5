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
    /// Open the item's link in the browser.
    OpenInBrowser,
    /// Copy the item's link to the clipboard (OSC 52, works over SSH).
    CopyLink,
    /// Filter the list with a query (results follow as you type).
    Filter,
    /// Drop the filter: back to the sidebar's entry.
    ClearFilter,
    /// Fetch every feed now.
    Refresh,
    /// Leave tidings.
    Quit,
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
        Action::FocusNext,
        Action::FocusPrev,
        Action::FocusLeft,
        Action::FocusRight,
        Action::ToggleSidebar,
        Action::OpenInBrowser,
        Action::CopyLink,
        Action::Filter,
        Action::ClearFilter,
        Action::Refresh,
        Action::Quit,
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
            Action::FocusNext => "focus_next",
            Action::FocusPrev => "focus_prev",
            Action::FocusLeft => "focus_left",
            Action::FocusRight => "focus_right",
            Action::ToggleSidebar => "toggle_sidebar",
            Action::OpenInBrowser => "open_in_browser",
            Action::CopyLink => "copy_link",
            Action::Filter => "filter",
            Action::ClearFilter => "clear_filter",
            Action::Refresh => "refresh",
            Action::Quit => "quit",
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
            Action::Open => "open item",
            Action::FocusNext => "next pane",
            Action::FocusPrev => "previous pane",
            Action::FocusLeft => "pane to the left",
            Action::FocusRight => "pane to the right",
            Action::ToggleSidebar => "show/hide sidebar",
            Action::OpenInBrowser => "open link in browser",
            Action::CopyLink => "copy link",
            Action::Filter => "filter / search",
            Action::ClearFilter => "clear the filter",
            Action::Refresh => "refresh all feeds",
            Action::Quit => "quit",
        }
    }

    /// A short word for the status-line hints, for the actions worth hinting.
    pub fn hint(self) -> Option<&'static str> {
        match self {
            Action::Open => Some("open"),
            Action::Filter => Some("filter"),
            Action::Refresh => Some("refresh"),
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
            Action::FocusNext => &["Tab"],
            Action::FocusPrev => &["BackTab"],
            Action::FocusLeft => &["h", "Left"],
            Action::FocusRight => &["l", "Right"],
            Action::ToggleSidebar => &["b"],
            Action::OpenInBrowser => &["o"],
            Action::CopyLink => &["y"],
            Action::Filter => &["/"],
            Action::ClearFilter => &["Esc"],
            Action::Refresh => &["R"],
            Action::Quit => &["q", "Ctrl-c"],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_serde() {
        for a in Action::ALL {
            let parsed: Action = serde_json::from_str(&format!("\"{}\"", a.name())).unwrap();
            assert_eq!(parsed, *a);
        }
    }
}
