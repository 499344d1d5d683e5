//! Drawing. Reads the `State`, never changes it, never does IO.

pub mod article;
pub mod help;
pub mod highlight;
pub mod images;
pub mod list;
pub mod prompt;
pub mod sidebar;
pub mod status;
pub mod text;

/// The layout model and the styles live outside `ui` (the app reads them too).
pub use crate::{layout, theme};

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders};

use crate::app::state::{Focus, Mode, State};
use layout::Panes;

pub fn draw(frame: &mut Frame, state: &State) {
    let area = frame.area();
    let panes = Panes::compute(area.width, area.height, state.layout_prefs());
    if let Some(rect) = panes.sidebar {
        sidebar::draw(frame, rect, state);
    }
    // Zen mode hides the list (it has no room).
    if panes.list.area() > 0 {
        list::draw(frame, panes.list, state);
    }
    article::draw(frame, panes.article, state);
    match &state.mode {
        Mode::Prompt(p) => prompt::draw(frame, &panes, state, p),
        Mode::Normal => status::draw(frame, panes.status, state),
    }
    if let Some(scroll) = state.help {
        help::draw(frame, state, scroll);
    }
}

/// A pane's frame: rounded border, bold title and bright border when focused.
pub(crate) fn pane_block<'a>(state: &State, pane: Focus, title: Line<'a>) -> Block<'a> {
    let focused = state.focus == pane;
    Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(state.theme.border(focused))
        .title(title.style(state.theme.title(focused)))
}

/// One full-width line of `text`, for placeholder messages.
pub(crate) fn hint_line(text: &str, style: Style) -> Line<'static> {
    Line::from(Span::styled(text.to_string(), style))
}

/// The area inside a block's border.
pub(crate) fn inner(rect: Rect) -> Rect {
    Block::default().borders(Borders::ALL).inner(rect)
}

#[cfg(test)]
mod tests;
