//! The article pane: a fixed header (title, feed, date, tags) over the body,
//! which is pre-rendered for the pane's width; only the visible slice is drawn.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Padding, Paragraph};

use super::text::{date, wrap};
use crate::app::state::{Focus, State};
use crate::article::sanitize;
use crate::model::Article;

/// The header lines for an article at a text width (also used by `update`
/// to know how many rows the body has).
pub fn header_lines(state: &State, article: &Article, width: u16) -> Vec<Line<'static>> {
    let theme = state.theme;
    let width = width as usize;
    let title = sanitize::line(&article.title);
    let mut lines: Vec<Line<'static>> = wrap(if title.is_empty() { "(untitled)" } else { &title }, width)
        .into_iter()
        .take(3)
        .map(|l| Line::styled(l, Style::default().add_modifier(Modifier::BOLD)))
        .collect();
    let mut meta = vec![sanitize::line(&article.feed).into_owned()];
    if let Some(ts) = article.published {
        meta.push(date(ts, state.utc_offset, &state.date_format));
    }
    if let Some(author) = article.author.as_deref().map(sanitize::line).filter(|a| !a.is_empty()) {
        meta.push(author.into_owned());
    }
    lines.push(Line::styled(super::text::truncate(&meta.join(" · "), width), theme.accent()));
    let mut all_tags: Vec<&str> = article.tags.iter().chain(&article.user_tags).map(String::as_str).collect();
    all_tags.sort_by(|a, b| a.to_lowercase().cmp(&b.to_lowercase()).then_with(|| a.cmp(b)));
    all_tags.dedup();
    if !all_tags.is_empty() {
        let tags = format!("tags: {}", all_tags.join(" "));
        lines.push(Line::styled(super::text::truncate(&sanitize::line(&tags), width), theme.dim()));
    }
    lines.push(Line::raw(""));
    lines
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State) {
    let block = super::pane_block(state, Focus::Article, Line::from(" Article ")).padding(Padding::horizontal(1));
    let inner = block.inner(area);
    let Some(view) = &state.article else {
        let msg = if state.items.is_empty() { "" } else { "Select an item to read it here." };
        frame.render_widget(Paragraph::new(super::hint_line(msg, state.theme.dim())).block(block), area);
        return;
    };
    let mut lines = header_lines(state, &view.article, inner.width);
    let body_rows = (inner.height as usize).saturating_sub(lines.len());
    match &view.body {
        Some(body) => {
            let start = view.scroll.min(body.lines.len());
            lines.extend(body.lines[start..].iter().take(body_rows).cloned());
            if body.lines.is_empty() {
                lines.push(Line::from(Span::styled("(no text in the feed for this item)", state.theme.dim())));
            }
        }
        None => lines.push(Line::from(Span::styled("…", state.theme.dim()))),
    }
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
