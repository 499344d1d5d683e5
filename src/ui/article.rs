//! The article pane: a fixed header (title, feed, date, tags) over the body,
//! which is pre-rendered for the pane's width; only the visible slice is drawn.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Padding, Paragraph};

use super::text::date;
use crate::app::action::Action;
use crate::app::state::{ArticleView, Focus, State};
use crate::article::sanitize;

/// The header lines for an article at a text width; as many as
/// `layout::article_header_rows` says (`update` scrolls by that).
pub fn header_lines(state: &State, view: &ArticleView, width: u16) -> Vec<Line<'static>> {
    let theme = state.theme;
    let article = &view.article;
    let width = width as usize;
    let (words, mark) = (super::highlight::words(state), super::highlight::style(state));
    let mut lines: Vec<Line<'static>> = crate::layout::title_lines(article, width as u16)
        .into_iter()
        .map(|l| super::highlight::line(Line::styled(l, Style::default().add_modifier(Modifier::BOLD)), &words, mark))
        .collect();
    let mut meta = vec![sanitize::line(&article.feed).into_owned()];
    if let Some(ts) = article.published {
        meta.push(date(ts, state.utc_offset, &state.date_format));
    }
    if let Some(author) = article.author.as_deref().map(sanitize::author).filter(|a| !a.is_empty()) {
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
    lines.extend(enclosure_lines(state, view, width));
    if let Some((notice, style)) = full_text_notice(state, view) {
        lines.push(Line::styled(super::text::truncate(&notice, width), style));
    }
    lines.push(Line::raw(""));
    lines
}

/// Most enclosures listed in the header; more are summed up in one line.
const MAX_ENCLOSURE_LINES: usize = 3;

/// `▶ [e1] audio/mpeg · 45 MB · 1:02:13 · e play`: one line per enclosure
/// (numbered apart from the body's links), the play key on the one it plays.
fn enclosure_lines(state: &State, view: &ArticleView, width: usize) -> Vec<Line<'static>> {
    let list = &view.article.enclosures;
    let played = crate::model::enclosure_to_play(list).map(|e| e.url.as_str());
    let key = state.keymap.keys_for(Action::PlayEnclosure).first().map(|k| format!(" · {k} play"));
    let mut lines: Vec<Line<'static>> = list
        .iter()
        .enumerate()
        .take(MAX_ENCLOSURE_LINES)
        .map(|(i, e)| {
            let hint = if Some(e.url.as_str()) == played { key.clone().unwrap_or_default() } else { String::new() };
            let text = format!("▶ [e{}] {}{hint}", i + 1, sanitize::line(&e.label()));
            Line::styled(super::text::truncate(&text, width), state.theme.accent())
        })
        .collect();
    if list.len() > MAX_ENCLOSURE_LINES {
        let more = format!("▶ … and {} more (tidings show lists them all)", list.len() - MAX_ENCLOSURE_LINES);
        lines.push(Line::styled(super::text::truncate(&more, width), state.theme.dim()));
    }
    lines
}

/// What the header says about the full text, when the reader asked for it.
fn full_text_notice(state: &State, view: &ArticleView) -> Option<(String, Style)> {
    if !view.show_full {
        return None;
    }
    let key = |a| state.keymap.keys_for(a).first().map_or_else(String::new, |k| format!("{k}: "));
    let f = key(Action::ToggleFullText);
    if view.article.full_html.is_some() {
        Some((format!("full text · {f}feed text"), state.theme.dim()))
    } else if view.fetching {
        Some(("fetching the full article…".to_string(), state.theme.dim()))
    } else {
        let error = view.article.full_error.as_deref().map(sanitize::line).unwrap_or_default();
        Some((format!("full text failed: {error} · {f}try again"), state.theme.error()))
    }
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State) {
    draw_with(frame, area, state, &mut super::cache::Cache::default());
}

/// Draws the article pane; its border comes from `cache` while it shows the same (#10 keys).
pub fn draw_with(frame: &mut Frame, area: Rect, state: &State, cache: &mut super::cache::Cache) {
    let title = " Article ";
    let inner = super::pane_block(state, Focus::Article, Line::from(title)).padding(Padding::horizontal(1)).inner(area);
    let Some(view) = &state.article else {
        let msg = if state.items.is_empty() { "" } else { "Select an item to read it here." };
        super::draw_pane_block(frame, cache, state, Focus::Article, area, title.into(), None);
        frame.render_widget(Paragraph::new(super::hint_line(msg, state.theme.dim())), inner);
        return;
    };
    let mut lines = header_lines(state, view, inner.width);
    let head = lines.len();
    let body_rows = (inner.height as usize).saturating_sub(lines.len());
    let mut position = None;
    match &view.body {
        Some(body) => {
            // Only the visible slice is cloned and drawn, however long the article.
            let all = body.lines();
            let start = view.scroll.min(all.len());
            let (words, mark) = (super::highlight::words(state), super::highlight::style(state));
            lines.extend(all[start..].iter().take(body_rows).map(|l| super::highlight::line(l.clone(), &words, mark)));
            if all.is_empty() {
                lines.push(Line::from(Span::styled("(no text in the feed for this item)", state.theme.dim())));
            }
            if all.len() > body_rows {
                let end = (start + body_rows).min(all.len());
                position = Some(format!(" {}–{}/{} ", start + 1, end, all.len()));
            }
        }
        None => lines.push(Line::from(Span::styled("…", state.theme.dim()))),
    }
    super::draw_pane_block(frame, cache, state, Focus::Article, area, title.into(), position);
    frame.render_widget(Paragraph::new(lines), inner);
    // — #13 images —
    if let Some(body) = &view.body
        && head < inner.height as usize
    {
        let rows = (inner.height as usize - head) as u16;
        let body_area = Rect::new(inner.x, inner.y + head as u16, inner.width, rows);
        super::images::draw(frame, body_area, state, body, view.scroll.min(body.lines().len()));
    }
}
