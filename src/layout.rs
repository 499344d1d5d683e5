//! The screen's layout model, read by both `update` (how many rows a page
//! has, how far the article and the help overlay scroll) and `ui` (where to
//! draw): pane sizes, the article header's height, the help overlay's size.
//! Pure and free of drawing, so the app never asks the drawing code.

use ratatui::layout::Rect;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use crate::app::action::Action;
use crate::config::{LayoutMode, Width};
use crate::model::Article;

/// From this width up, `auto` shows three columns.
pub const WIDE_FROM: u16 = 120;

/// What the layout depends on besides the terminal's size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prefs {
    pub mode: LayoutMode,
    pub sidebar_visible: bool,
    /// `[ui] list_width`: the list's share of the room beside the sidebar (three columns).
    pub list_width: Width,
    /// `[ui] sidebar_width`.
    pub sidebar_width: Width,
    /// Rows under the panes: the status line, plus one while a prompt shows an error.
    pub bottom_rows: u16,
    // — #13 commands —
    /// Zen mode: the article alone, its text at most this many columns wide.
    pub zen: Option<u16>,
}

impl Default for Prefs {
    fn default() -> Self {
        let ui = crate::config::UiConfig::default();
        Prefs {
            mode: ui.layout,
            sidebar_visible: true,
            list_width: ui.list_width,
            sidebar_width: ui.sidebar_width,
            bottom_rows: 1,
            zen: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Panes {
    pub sidebar: Option<Rect>,
    pub list: Rect,
    pub article: Rect,
    /// The status line (or the prompt), the bottom row.
    pub status: Rect,
    /// The row above the status line for a prompt's error; None when there is none.
    pub message: Option<Rect>,
    /// Three columns (true) or list stacked over article (false).
    pub wide: bool,
}

impl Panes {
    pub fn compute(width: u16, height: u16, prefs: Prefs) -> Panes {
        let wide = match prefs.mode {
            LayoutMode::Auto => width >= WIDE_FROM,
            LayoutMode::Wide => true,
            LayoutMode::Narrow => false,
        };
        let bottom = prefs.bottom_rows.clamp(1, 2).min(height);
        let body_h = height.saturating_sub(bottom);
        let status = Rect::new(0, height.saturating_sub(1), width, height.min(1));
        let message = (bottom > 1).then(|| Rect::new(0, body_h, width, 1));
        if let Some(max) = prefs.zen {
            // The article alone, centred: its text (inside border and padding) at most `max` wide.
            let w = max.max(10).saturating_add(4).min(width);
            let article = Rect::new((width - w) / 2, 0, w, body_h);
            let hidden = Rect::new(0, 0, 0, 0);
            return Panes { sidebar: None, list: hidden, article, status, message, wide: true };
        }
        // The sidebar never takes more than a third of the screen.
        let side_w = if prefs.sidebar_visible { prefs.sidebar_width.of(width).min(width / 3) } else { 0 };
        let sidebar = (side_w > 0).then(|| Rect::new(0, 0, side_w, body_h));
        let rest_x = side_w;
        let rest_w = width.saturating_sub(side_w);
        let (list, article) = if wide {
            let list_w = prefs.list_width.of(rest_w);
            (Rect::new(rest_x, 0, list_w, body_h), Rect::new(rest_x + list_w, 0, rest_w - list_w, body_h))
        } else {
            let list_h = (body_h * 2 / 5).max(body_h.min(5));
            (Rect::new(rest_x, 0, rest_w, list_h), Rect::new(rest_x, list_h, rest_w, body_h - list_h))
        };
        Panes { sidebar, list, article, status, message, wide }
    }

    /// Item rows that fit in the list (inside its border).
    pub fn list_rows(&self) -> usize {
        self.list.height.saturating_sub(2) as usize
    }

    /// Sidebar rows inside its border.
    pub fn sidebar_rows(&self) -> usize {
        self.sidebar.map_or(0, |r| r.height.saturating_sub(2) as usize)
    }

    /// Text width inside the article pane (border and one column of padding each side).
    pub fn article_width(&self) -> u16 {
        self.article.width.saturating_sub(4).max(10)
    }

    /// Rows inside the article pane's border.
    pub fn article_rows(&self) -> usize {
        self.article.height.saturating_sub(2) as usize
    }
}

/// Word-wraps `s` into lines of at most `width` columns. A word longer than
/// a line is split, except URLs: they keep whole on a line of their own
/// (overflowing it), so copying and terminal link detection still work.
pub fn wrap(s: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for word in s.split_whitespace() {
        let ww = word.width();
        if used > 0 && used + 1 + ww > width {
            lines.push(std::mem::take(&mut line));
            used = 0;
        }
        if used > 0 {
            line.push(' ');
            used += 1;
        }
        if ww > width && is_url(word) {
            line.push_str(word);
            used += ww;
            continue;
        }
        for g in word.graphemes(true) {
            let gw = g.width();
            if used + gw > width && used > 0 {
                lines.push(std::mem::take(&mut line));
                used = 0;
            }
            line.push_str(g);
            used += gw;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// A word that is a URL (or ends in one, e.g. `(https://…)`): never broken.
pub fn is_url(word: &str) -> bool {
    let w = word.trim_start_matches(|c: char| !c.is_alphanumeric());
    ["http://", "https://", "ftp://", "mailto:", "www."].iter().any(|p| w.starts_with(p))
}

/// The article header's title: the (sanitised) title wrapped to the text
/// width, at most three lines.
pub fn title_lines(article: &Article, width: u16) -> Vec<String> {
    let title = crate::article::sanitize::line(&article.title);
    let title = if title.is_empty() { "(untitled)" } else { &title };
    wrap(title, width as usize).into_iter().take(3).collect()
}

/// Rows the article header takes at a text width: the title, the feed/date
/// line, the tags (when there are any), the full-text notice (when the full
/// text was asked for) and a blank line.
pub fn article_header_rows(article: &Article, show_full: bool, width: u16) -> usize {
    let tags = !(article.tags.is_empty() && article.user_tags.is_empty());
    title_lines(article, width).len() + 1 + usize::from(tags) + usize::from(show_full) + 1
}

/// Lines of the help overlay after the actions: what the keymap does not cover.
pub const HELP_NOTES: &[&str] = &[
    "Mouse: click selects a row or a sidebar entry, the wheel scrolls.",
    "In a prompt: Enter accepts, Esc cancels.",
    "Rebind in the [keys] table of config.toml: name = [\"key\", …]",
    "Command line (:): any [name] above; :read, :unread, :save, :dismiss QUERY and",
    ":tag +t -t QUERY change every match as one step (u undoes). Tab completes, ↑/↓ history.",
];
/// Widest the help overlay gets.
const HELP_MAX_WIDTH: u16 = 84;

/// Lines in the help overlay: one per action, a blank one, the notes.
pub fn help_lines() -> usize {
    Action::ALL.len() + 1 + HELP_NOTES.len()
}

/// Where the help overlay goes on a screen of this size.
pub fn help_area(width: u16, height: u16) -> Rect {
    let w = width.saturating_sub(4).min(HELP_MAX_WIDTH);
    let h = height.saturating_sub(2).min(help_lines() as u16 + 2);
    Rect::new((width - w) / 2, (height - h) / 2, w, h)
}

/// How far the help overlay scrolls before its last line is at the bottom.
pub fn help_max_scroll(width: u16, height: u16) -> usize {
    let rows = help_area(width, height).height.saturating_sub(2) as usize;
    help_lines().saturating_sub(rows)
}

/// Lines a page of the help overlay scrolls.
pub fn help_page(width: u16, height: u16) -> usize {
    help_area(width, height).height.saturating_sub(3).max(1) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(width: u16, height: u16) -> Panes {
        Panes::compute(width, height, Prefs::default())
    }

    #[test]
    fn three_columns_from_120() {
        let p = at(120, 40);
        assert!(p.wide);
        assert_eq!(p.sidebar.unwrap().width, 24);
        assert_eq!(p.list.y, p.article.y);
        assert_eq!(p.sidebar.unwrap().width + p.list.width + p.article.width, 120);
        assert_eq!(p.status, Rect::new(0, 39, 120, 1));
        assert_eq!(p.message, None);
    }

    #[test]
    fn the_list_gets_half_the_room_by_default_and_what_the_config_says() {
        let p = at(160, 40);
        assert_eq!((p.list.width, p.article.width), (68, 68), "not 54 against 82 as before");
        let prefs = Prefs { list_width: Width::Percent(45), sidebar_width: Width::Columns(30), ..Prefs::default() };
        let p = Panes::compute(160, 40, prefs);
        assert_eq!(p.sidebar.unwrap().width, 30);
        assert_eq!(p.list.width, 58);
        let prefs = Prefs { sidebar_width: Width::Percent(15), ..Prefs::default() };
        assert_eq!(Panes::compute(200, 40, prefs).sidebar.unwrap().width, 30);
    }

    #[test]
    fn a_prompt_error_gets_its_own_row() {
        let p = Panes::compute(120, 40, Prefs { bottom_rows: 2, ..Prefs::default() });
        assert_eq!(p.message, Some(Rect::new(0, 38, 120, 1)));
        assert_eq!(p.status, Rect::new(0, 39, 120, 1));
        assert_eq!(p.list.height, 38, "the panes end above the message");
    }

    #[test]
    fn stacked_below_120() {
        let p = at(100, 40);
        assert!(!p.wide);
        assert_eq!(p.list.x, p.article.x);
        assert_eq!(p.list.y + p.list.height, p.article.y);
        assert_eq!(p.list.height + p.article.height, 39);
    }

    #[test]
    fn hidden_sidebar_gives_its_room_away() {
        let p = Panes::compute(100, 40, Prefs { sidebar_visible: false, ..Prefs::default() });
        assert!(p.sidebar.is_none());
        assert_eq!(p.list.width, 100);
    }

    #[test]
    fn tiny_terminals_do_not_underflow() {
        for (w, h) in [(0, 0), (1, 1), (10, 3)] {
            for bottom_rows in [1, 2] {
                let p = Panes::compute(w, h, Prefs { bottom_rows, ..Prefs::default() });
                assert!(p.list_rows() <= h as usize);
            }
        }
    }

    #[test]
    fn the_header_grows_with_a_long_title_tags_and_the_full_text_notice() {
        let mut a = Article { title: "Short".into(), ..Default::default() };
        assert_eq!(article_header_rows(&a, false, 40), 3);
        a.title = "word ".repeat(40);
        assert_eq!(article_header_rows(&a, false, 40), 5, "the title takes at most three lines");
        a.user_tags = vec!["later".into()];
        assert_eq!(article_header_rows(&a, true, 40), 7);
    }
}
