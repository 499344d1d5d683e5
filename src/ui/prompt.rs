//! The prompt line: drawn over the status line while a prompt is open, with
//! its error (if any) on the row the layout keeps above it (the panes end
//! above that row, so their borders stay whole).

use ratatui::Frame;
use ratatui::layout::Position;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::layout::Panes;
use crate::app::state::{Prompt, State};

pub fn draw(frame: &mut Frame, panes: &Panes, state: &State, prompt: &Prompt) {
    let area = panes.status;
    let theme = state.theme;
    let badge = format!(" {} ", prompt.kind.badge());
    let label = prompt.kind.label();
    let prefix = badge.width() + 1 + label.width();
    let width = (area.width as usize).saturating_sub(prefix + 1);
    let scroll = prompt.input.visual_scroll(width);
    let text: String = prompt.input.value().chars().skip(scroll).collect();
    let line = Line::from(vec![
        Span::styled(badge, theme.badge()),
        Span::raw(" "),
        Span::styled(label, theme.accent()),
        Span::raw(text),
    ]);
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(line).style(theme.status_bar()), area);
    let cursor = prompt.input.visual_cursor().saturating_sub(scroll) + prefix;
    frame.set_cursor_position(Position::new(area.x + cursor.min(area.width as usize) as u16, area.y));
    if let (Some(error), Some(above)) = (&prompt.error, panes.message) {
        let msg = crate::article::sanitize::line(error).into_owned();
        frame.render_widget(Clear, above);
        // #13: the command line's Tab candidates are a list, not an error.
        let listing = prompt.kind == crate::app::state::PromptKind::Command && error.starts_with("Tab: ");
        let style = if listing { theme.dim() } else { theme.error() };
        frame.render_widget(Paragraph::new(Line::from(Span::styled(msg, style))), above);
    }
}
