//! `u` and `Ctrl-r` walk the store's journal; here is what the screen does
//! once a change has been undone or redone.

use super::{Effect, State};

pub(super) fn walked(state: &mut State, undo: bool, label: Option<String>) -> Vec<Effect> {
    state.dirty = true;
    let Some(label) = label else {
        state.status = Some(if undo { "nothing to undo" } else { "nothing to redo" }.into());
        return vec![];
    };
    state.status = Some(format!("{}: {label}", if undo { "undone" } else { "redone" }));
    // Any item may have changed: reload what is on screen.
    let mut effects = super::list::reload(state, false);
    effects.push(Effect::LoadCounts);
    if let Some(view) = &state.article {
        effects.push(Effect::LoadArticle(view.article.id.clone()));
    }
    effects
}

/// Nothing to undo since the reader started; the same key again goes on.
pub(super) fn boundary(state: &mut State) -> Vec<Effect> {
    state.dirty = true;
    state.undo_armed = true;
    let key =
        state.keymap.keys_for(crate::app::action::Action::Undo).first().map(|k| k.to_string()).unwrap_or_default();
    state.status = Some(format!("nothing to undo since tidings started · {key} again undoes older changes"));
    vec![]
}
