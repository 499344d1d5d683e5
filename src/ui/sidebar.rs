//! The sidebar: All, Unread, tags with unread counts, failing feeds.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::text::fit;
use crate::app::state::{Focus, State};
use crate::article::sanitize;

pub fn draw(frame: &mut Frame, area: Rect, state: &State) {
    let block = super::pane_block(state, Focus::Sidebar, Line::from(" Tags "));
    let inner = super::inner(area);
    let width = inner.width as usize;
    let theme = state.theme;
    let focused = state.focus == Focus::Sidebar;
    let rows = inner.height as usize;
    let lines: Vec<Line> = state
        .sidebar
        .iter()
        .enumerate()
        .skip(state.sidebar_cursor.offset)
        .take(rows)
        .map(|(i, entry)| {
            let count = entry.count.map(|c| c.to_string()).unwrap_or_default();
            let (label, style) = match &entry.error {
                Some(_) => (format!("⚠ {}", sanitize::line(&entry.label)), theme.error()),
                None => (sanitize::line(&entry.label).into_owned(), Default::default()),
            };
            let label_w = width.saturating_sub(count.len() + 1);
            let mut line = Line::from(vec![
                Span::styled(fit(&label, label_w), style),
                Span::raw(" "),
                Span::styled(count, theme.dim()),
            ]);
            if i == state.sidebar_cursor.sel {
                line = line.style(theme.selected(focused));
            }
            line
        })
        .collect();
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
