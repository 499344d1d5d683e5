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
    let mut effects = vec![Effect::LoadView(state.view.clone()), Effect::LoadCounts];
    if let Some(view) = &state.article {
        effects.push(Effect::LoadArticle(view.article.id.clone()));
    }
    effects
}
