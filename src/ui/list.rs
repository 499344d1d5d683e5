//! The item list: only the visible rows are built.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::text::{age, fit};
use crate::app::action::Action;
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
            None => return format!(" Items ({}) · {} ", sanitize::line(q.trim()), state.items.len()),
        },
    };
    format!(" Items ({name}) ")
}

/// What an empty list says: why it is empty and what to do about it.
pub fn empty_message(state: &State) -> Vec<String> {
    let refresh = state.keymap.keys_for(Action::Refresh).first().map(ToString::to_string);
    let again = refresh.as_ref().map_or_else(String::new, |k| format!(" {k} tries again."));
    if !state.loaded {
        vec!["Loading…".into()]
    } else if matches!(state.shown, View::Query(_)) {
        vec!["No items match.".into()]
    } else if state.feed_count == 0 && state.shown == View::All {
        vec![
            "No feeds yet.".into(),
            "Add one with `tidings feeds add URL` (a feed, or a site that links to one) or `tidings import FILE` (OPML or a newsboat urls file), then start tidings again.".into(),
        ]
    } else if state.progress.total > 0 {
        vec!["No items yet — fetching feeds…".into()]
    } else if let Some(batch) = state.last_batch.as_ref().filter(|b| b.failed > 0 && b.failed == b.done) {
        let (url, error) = batch.first_error.clone().unwrap_or_default();
        vec![
            format!("Every feed failed to fetch ({}).{again}", batch.failed),
            format!("First: {} — {}", sanitize::line(&url), sanitize::line(&error)),
        ]
    } else {
        match refresh {
            Some(k) => vec![format!("Nothing here. {k} fetches the feeds.")],
            None => vec!["Nothing here.".into()],
        }
    }
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State) {
    let block = super::pane_block(state, Focus::List, Line::from(title(&state.shown, state)));
    let inner = super::inner(area);
    let theme = state.theme;
    let rows = inner.height as usize;
    if state.items.is_empty() {
        let lines: Vec<Line> = empty_message(state)
            .iter()
            .flat_map(|m| super::text::wrap(m, inner.width as usize))
            .map(|l| super::hint_line(&l, theme.dim()))
            .collect();
        frame.render_widget(Paragraph::new(lines).block(block), area);
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
