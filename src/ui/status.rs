//! The status line: mode, unread count, fetch progress, messages, key hints.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use crate::app::action::Action;
use crate::app::state::State;
use crate::article::sanitize;

/// "Enter open · R refresh · q quit", from the live keymap.
pub fn hints(state: &State) -> String {
    Action::ALL
        .iter()
        .filter_map(|&a| {
            let keys = state.keymap.keys_for(a);
            Some(format!("{} {}", keys.first()?, a.hint()?))
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// "syncing 1200/50000", "sync failing: connection refused".
fn sync_words(sync: &crate::app::state::SyncView) -> Vec<String> {
    let mut words = Vec::new();
    match (sync.running, sync.progress) {
        (true, Some((done, Some(total)))) => words.push(format!("syncing {done}/{total}")),
        (true, Some((done, None))) => words.push(format!("syncing {done}")),
        (true, None) => words.push("syncing…".into()),
        (false, _) => {}
    }
    if let Some(e) = &sync.error {
        words.push(format!("sync failing: {}", sanitize::line(e)));
    }
    words
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State) {
    let theme = state.theme;
    let mut parts = vec![format!("{} unread", state.counts.unread)];
    if let Some(reason) = &state.read_only {
        parts.insert(0, format!("READ-ONLY: {reason}; nothing is saved"));
    }
    let p = &state.progress;
    if p.total > 0 {
        parts.push(format!("fetching {}/{}", p.done, p.total));
    }
    if let Some(sync) = &state.sync {
        parts.extend(sync_words(sync));
    }
    if let Some(note) = &state.notice {
        parts.push(sanitize::line(note).into_owned());
    }
    if let Some(msg) = &state.status {
        parts.push(sanitize::line(msg).into_owned());
    }
    let left = format!(" {} ", parts.join(" · "));
    let right = format!("{} ", hints(state));
    let badge = " NORMAL ";
    let used = badge.width() + left.width();
    let gap = (area.width as usize).saturating_sub(used + right.width());
    let line = Line::from(vec![
        Span::styled(badge, theme.badge()),
        Span::raw(left),
        Span::raw(" ".repeat(gap)),
        Span::styled(if gap > 0 { right } else { String::new() }, theme.dim()),
    ]);
    frame.render_widget(Paragraph::new(line).style(theme.status_bar()), area);
}
