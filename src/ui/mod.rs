//! Drawing. Reads the `State`, never changes it, never does IO.

pub mod article;
// — #10 keys —
pub mod cache;
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
pub use cache::Cache;
use layout::Panes;

pub fn draw(frame: &mut Frame, state: &State) {
    draw_with(frame, state, &mut Cache::default());
}

/// `draw`, taking from `cache` what the last frames laid out and still show
/// (the terminal loop keeps one cache for all its frames).
pub fn draw_with(frame: &mut Frame, state: &State, cache: &mut Cache) {
    let area = frame.area();
    let panes = Panes::compute(area.width, area.height, state.layout_prefs());
    if let Some(rect) = panes.sidebar {
        sidebar::draw_with(frame, rect, state, cache);
    }
    // Zen mode hides the list (it has no room).
    if panes.list.area() > 0 {
        list::draw_with(frame, panes.list, state, cache);
    }
    article::draw_with(frame, panes.article, state, cache);
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

// — #10 keys —
/// Draws `pane_block(state, pane, title)` (with `bottom` as its bottom-right
/// title, dim) on `area`, through the cache: the frame's border is copied
/// while it shows the same.
pub(crate) fn draw_pane_block(
    frame: &mut ratatui::Frame,
    cache: &mut Cache,
    state: &State,
    pane: Focus,
    area: Rect,
    title: String,
    bottom: Option<String>,
) {
    let shows = cache::Border {
        area,
        title: title.clone(),
        bottom: bottom.clone(),
        focused: state.focus == pane,
        theme: state.theme,
    };
    cache.border(frame.buffer_mut(), pane, shows, || {
        let block = pane_block(state, pane, Line::from(title));
        match bottom {
            Some(b) => block.title_bottom(Line::from(b).right_aligned().style(state.theme.dim())),
            None => block,
        }
    });
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
