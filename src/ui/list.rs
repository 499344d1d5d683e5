//! The item list: only the visible rows are built.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::text::{age, fit};
use crate::app::state::{Focus, State};
use crate::article::sanitize;
use crate::model::View;

/// The list's title: what it shows.
pub fn title(view: &View, state: &State) -> String {
    let name = match view {
        View::All => "All".to_string(),
        View::Unread => "Unread".to_string(),
        View::Tag(t) => format!("#{t}"),
        View::Feed(url) => state
            .sidebar
            .iter()
            .find(|e| &e.view == view)
            .map(|e| sanitize::line(&e.label).into_owned())
            .unwrap_or_else(|| url.clone()),
        View::Saved => "Reading list".to_string(),
        // A saved query by its name; a typed one as written, with how many items it matched.
        View::Query(q) => match state.sidebar.iter().find(|e| &e.view == view) {
            Some(e) => sanitize::line(&e.label).into_owned(),
            None => {
                // The count comes after the first rows.
                let total = state.window.total.map_or_else(|| "…".to_string(), |n| n.to_string());
                return format!(" Items ({}) · {total} ", sanitize::line(q.trim()));
            }
        },
    };
    format!(" Items ({name}) ")
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State) {
    let block = super::pane_block(state, Focus::List, Line::from(title(&state.shown, state)));
    let inner = super::inner(area);
    let theme = state.theme;
    let rows = inner.height as usize;
    if state.items.is_empty() {
        let msg = if !state.loaded {
            "Loading…"
        } else if matches!(state.shown, View::Query(_)) {
            "No items match."
        } else if state.progress.total > 0 {
            "No items yet — fetching feeds…"
        } else {
            "Nothing here. R fetches the feeds."
        };
        frame.render_widget(Paragraph::new(super::hint_line(msg, theme.dim())).block(block), area);
        return;
    }
    let width = inner.width as usize;
    let feed_w = (width / 4).clamp(8, 18);
    let age_w = 4;
    let title_w = width.saturating_sub(2 + 1 + feed_w + 1 + age_w);
    let focused = state.focus == Focus::List;
    let lines: Vec<Line> = state
        .items
        .iter()
        .enumerate()
        .skip(state.list.offset)
        .take(rows)
        .map(|(i, row)| {
            let (marker, marker_style) = match (row.saved, row.read) {
                (true, _) => ("★ ", theme.saved()),
                (false, false) => ("● ", theme.accent()),
                (false, true) => ("  ", theme.read()),
            };
            let title_style = if row.read { theme.read() } else { theme.unread() };
            let when = row.date.map(|d| age(state.now, d)).unwrap_or_default();
            let mut line = Line::from(vec![
                Span::styled(marker, marker_style),
                Span::styled(fit(&sanitize::line(&row.title), title_w), title_style),
                Span::raw(" "),
                Span::styled(fit(&sanitize::line(&row.feed), feed_w), theme.dim()),
                Span::raw(" "),
                Span::styled(format!("{when:>age_w$}"), theme.dim()),
            ]);
            if i == state.list.sel {
                line = line.style(theme.selected(focused));
            }
            line
        })
        .collect();
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
