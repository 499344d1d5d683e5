//! The `/` filter: a query typed on the prompt line narrows the list as you
//! type. Each edit that parses switches the view (the loop drops the answer
//! for any query typed over meanwhile); one that does not shows its error
//! under the line and leaves the last good results on screen.

use super::prompt::{self, PromptEvent};
use crate::app::msg::Effect;
use crate::app::state::{Focus, Mode, PromptKind, State};
use crate::model::View;
use crate::query::{self, QueryError};

/// Opens the line on the current view's query, so it can be refined (the
/// cursor at its end, no stray space after it).
pub(super) fn open(state: &mut State) -> Vec<Effect> {
    let text = query::view_text(&state.view);
    state.filter_before = Some(state.view.clone());
    prompt::open(state, PromptKind::Filter, &text);
    vec![]
}

pub(super) fn on_event(state: &mut State, event: PromptEvent) -> Vec<Effect> {
    match event {
        PromptEvent::Changed(text) => match view_for(state, &text) {
            Ok(view) => {
                set_error(state, None);
                super::switch_view(state, view)
            }
            Err(e) => {
                set_error(state, Some(e.to_string()));
                vec![]
            }
        },
        PromptEvent::Submitted(text) => match view_for(state, &text) {
            Ok(view) => {
                state.filter_before = None;
                state.focus = Focus::List;
                super::switch_view(state, view)
            }
            Err(e) => {
                // Enter on a broken query keeps the line open with the error.
                prompt::open(state, PromptKind::Filter, &text);
                set_error(state, Some(e.to_string()));
                vec![]
            }
        },
        PromptEvent::Cancelled => match state.filter_before.take() {
            Some(before) => super::switch_view(state, before),
            None => vec![],
        },
    }
}

/// Esc outside the prompt: back to the view of the sidebar's highlighted entry.
pub(super) fn clear(state: &mut State) -> Vec<Effect> {
    let base = state.sidebar.get(state.sidebar_cursor.sel).map_or(View::All, |e| e.view.clone());
    super::switch_view(state, base)
}

/// The view a query text stands for: the sidebar's own entry when the query is
/// exactly one (so `unread` highlights Unread), else a `View::Query`.
fn view_for(state: &State, text: &str) -> Result<View, QueryError> {
    let canonical = query::parse(text)?.to_string();
    // — #10 search — a feed's entry reads `feed:URL`: with thousands of feeds,
    // writing each out on every key cost the loop 1.5 ms a key at 1M items.
    let feed = canonical.starts_with("feed:");
    let same = |v: &View| {
        (feed || !matches!(v, View::Feed(_))) && query::view_expr(v).is_ok_and(|e| e.to_string() == canonical)
    };
    if let Some(entry) = state.sidebar.iter().find(|e| same(&e.view)) {
        return Ok(entry.view.clone());
    }
    Ok(if text.trim().is_empty() { View::All } else { View::Query(text.trim().to_string()) })
}

fn set_error(state: &mut State, error: Option<String>) {
    if let Mode::Prompt(p) = &mut state.mode {
        p.error = error;
    }
}

#[cfg(test)]
mod tests;
