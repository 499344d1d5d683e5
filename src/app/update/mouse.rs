//! The mouse: a left click selects the row or sidebar entry under it (and
//! focuses its pane); the wheel scrolls the pane under the pointer.

use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

use super::{Effect, Focus, Mode, State, load_selected, step_in, switch_view};

/// Rows one wheel notch moves in the list and the article.
const WHEEL_ROWS: isize = 3;

pub(super) fn on_mouse(state: &mut State, event: MouseEvent) -> Vec<Effect> {
    if matches!(state.mode, Mode::Prompt(_)) {
        return vec![];
    }
    let at = Position::new(event.column, event.row);
    match event.kind {
        MouseEventKind::Down(MouseButton::Left) => click(state, at),
        MouseEventKind::ScrollDown => wheel(state, at, 1),
        MouseEventKind::ScrollUp => wheel(state, at, -1),
        // Moves, drags and other buttons change nothing (and need no redraw).
        _ => vec![],
    }
}

fn pane_at(state: &State, at: Position) -> Option<(Focus, Rect)> {
    let panes = state.panes();
    [panes.sidebar.map(|r| (Focus::Sidebar, r)), Some((Focus::List, panes.list)), Some((Focus::Article, panes.article))]
        .into_iter()
        .flatten()
        .find(|(_, r)| r.contains(at))
}

/// The index of the row under `at` in a bordered pane scrolled to `offset`.
fn row_at(rect: Rect, at: Position, offset: usize) -> Option<usize> {
    (at.y > rect.y && at.y + 1 < rect.bottom()).then(|| offset + usize::from(at.y - rect.y - 1))
}

fn click(state: &mut State, at: Position) -> Vec<Effect> {
    state.dirty = true;
    state.status = None;
    if state.help.is_some() {
        state.help = None;
        return vec![];
    }
    let Some((pane, rect)) = pane_at(state, at) else { return vec![] };
    match pane {
        Focus::Sidebar => {
            state.focus = Focus::Sidebar;
            let Some(i) = row_at(rect, at, state.sidebar_cursor.offset).filter(|&i| i < state.sidebar.len()) else {
                return vec![];
            };
            let rows = state.panes().sidebar_rows();
            let len = state.sidebar.len();
            state.sidebar_cursor.set(i, len, rows);
            // A click on the Feeds header folds or unfolds the section.
            if super::feeds::toggle_section(state) {
                return vec![];
            }
            let view = state.sidebar[i].view.clone();
            switch_view(state, view)
        }
        Focus::List => {
            state.focus = Focus::List;
            let Some(i) = row_at(rect, at, state.list.offset).filter(|&i| i < state.items.len()) else {
                return vec![];
            };
            state.list_touched = true;
            let rows = state.panes().list_rows();
            let len = state.items.len();
            state.list.set(i, len, rows);
            let mut effects = load_selected(state);
            effects.extend(super::list::ensure(state));
            effects
        }
        Focus::Article => {
            if state.article.is_some() {
                state.focus = Focus::Article;
            }
            vec![]
        }
    }
}

fn wheel(state: &mut State, at: Position, direction: isize) -> Vec<Effect> {
    state.dirty = true;
    if state.help.is_some() {
        let max = crate::layout::help_max_scroll(state.size.0, state.size.1);
        super::help::scroll(state, direction * WHEEL_ROWS, max);
        return vec![];
    }
    match pane_at(state, at) {
        // One entry at a time: each one is a different view.
        Some((Focus::Sidebar, _)) => step_in(state, Focus::Sidebar, direction),
        Some((pane, _)) => step_in(state, pane, direction * WHEEL_ROWS),
        None => vec![],
    }
}
