//! Keys while the help overlay is open: it scrolls, and closes on its own
//! key, on quit's key (so `q` never quits from under it) or on Esc.

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use super::{Effect, State};
use crate::app::action::Action;

pub(super) fn toggle(state: &mut State) {
    state.help = if state.help.is_some() { None } else { Some(0) };
}

pub(super) fn on_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    state.dirty = true;
    if key.code == KeyCode::Esc {
        state.help = None;
        return vec![];
    }
    let Some(action) = state.keymap.action_for(&key) else { return vec![] };
    let (w, h) = state.size;
    // The `[[command]]`s are listed after the actions (#13 commands).
    let max = crate::layout::help_max_scroll(w, h) + state.commands.len();
    let page = crate::layout::help_page(w, h) as isize;
    let delta = match action {
        Action::Help | Action::Quit => {
            state.help = None;
            return vec![];
        }
        Action::Down => 1,
        Action::Up => -1,
        Action::PageDown | Action::PageOrNextUnread => page,
        Action::PageUp => -page,
        Action::Top => isize::MIN / 2,
        Action::Bottom => isize::MAX / 2,
        _ => return vec![],
    };
    scroll(state, delta, max);
    vec![]
}

/// Scrolls the open overlay by `delta` lines, within `0..=max`.
pub(super) fn scroll(state: &mut State, delta: isize, max: usize) {
    if let Some(at) = state.help.as_mut() {
        *at = at.saturating_add_signed(delta).min(max);
    }
}
