//! Where each pane goes for a terminal size. Pure, so `update` can ask how
//! many rows a page has without drawing.

use ratatui::layout::Rect;

use crate::config::LayoutMode;

/// From this width up, `auto` shows three columns.
pub const WIDE_FROM: u16 = 120;
const SIDEBAR_WIDTH: u16 = 24;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Panes {
    pub sidebar: Option<Rect>,
    pub list: Rect,
    pub article: Rect,
    pub status: Rect,
    /// Three columns (true) or list stacked over article (false).
    pub wide: bool,
}

impl Panes {
    pub fn compute(width: u16, height: u16, mode: LayoutMode, sidebar_visible: bool) -> Panes {
        let wide = match mode {
            LayoutMode::Auto => width >= WIDE_FROM,
            LayoutMode::Wide => true,
            LayoutMode::Narrow => false,
        };
        let body_h = height.saturating_sub(1);
        let status = Rect::new(0, body_h, width, height.min(1));
        let side_w = if sidebar_visible { SIDEBAR_WIDTH.min(width / 3) } else { 0 };
        let sidebar = (side_w > 0).then(|| Rect::new(0, 0, side_w, body_h));
        let rest_x = side_w;
        let rest_w = width.saturating_sub(side_w);
        let (list, article) = if wide {
            let list_w = rest_w * 2 / 5;
            (Rect::new(rest_x, 0, list_w, body_h), Rect::new(rest_x + list_w, 0, rest_w - list_w, body_h))
        } else {
            let list_h = (body_h * 2 / 5).max(body_h.min(5));
            (Rect::new(rest_x, 0, rest_w, list_h), Rect::new(rest_x, list_h, rest_w, body_h - list_h))
        };
        Panes { sidebar, list, article, status, wide }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_columns_from_120() {
        let p = Panes::compute(120, 40, LayoutMode::Auto, true);
        assert!(p.wide);
        assert_eq!(p.sidebar.unwrap().width, 24);
        assert_eq!(p.list.y, p.article.y);
        assert_eq!(p.sidebar.unwrap().width + p.list.width + p.article.width, 120);
        assert_eq!(p.status, Rect::new(0, 39, 120, 1));
    }

    #[test]
    fn stacked_below_120() {
        let p = Panes::compute(100, 40, LayoutMode::Auto, true);
        assert!(!p.wide);
        assert_eq!(p.list.x, p.article.x);
        assert_eq!(p.list.y + p.list.height, p.article.y);
        assert_eq!(p.list.height + p.article.height, 39);
    }

    #[test]
    fn hidden_sidebar_gives_its_room_away() {
        let p = Panes::compute(100, 40, LayoutMode::Auto, false);
        assert!(p.sidebar.is_none());
        assert_eq!(p.list.width, 100);
    }

    #[test]
    fn tiny_terminals_do_not_underflow() {
        for (w, h) in [(0, 0), (1, 1), (10, 3)] {
            let p = Panes::compute(w, h, LayoutMode::Auto, true);
            assert!(p.list_rows() <= h as usize);
        }
    }
}
