//! Stories in the list (#15): a story shows as one row (its lead item, with
//! a `+N` badge); `Enter`/`→` on it lists its items under it, `←` folds it
//! again; `r` on a folded row marks every item of the story, as one journal
//! step (a bulk change over `story:ID`), so `u` gives all of them back.

use super::{Effect, Focus, State, list};
use crate::model::Fold;
use crate::store::{Bulk, BulkVerb};

/// The selected row is a folded story (in the list pane).
pub(super) fn can_unfold(state: &State) -> bool {
    state.focus == Focus::List && matches!(state.selected_item().map(|r| &r.fold), Some(Fold::Folded { .. }))
}

/// The selected row is part of an unfolded story (in the list pane).
pub(super) fn can_fold(state: &State) -> bool {
    state.focus == Focus::List
        && matches!(state.selected_item().map(|r| &r.fold), Some(Fold::Unfolded { .. } | Fold::Member { .. }))
}

/// The selected row is a folded story (`r` then acts on all of it).
pub(super) fn folded_selected(state: &State) -> bool {
    matches!(state.selected_item().map(|r| &r.fold), Some(Fold::Folded { .. }))
}

/// Lists the selected story's items under its row.
pub(super) fn unfold(state: &mut State) -> Vec<Effect> {
    let Some(story) = state.selected_item().and_then(|r| r.fold.story()).map(str::to_string) else { return vec![] };
    if !state.folding.unfolded.contains(&story) {
        state.folding.unfolded.push(story);
    }
    state.list_touched = true;
    state.status = Some("← folds the story".into());
    list::reload(state, true)
}

/// Folds the story of the selected row back into its lead row (selected).
pub(super) fn fold(state: &mut State) -> Vec<Effect> {
    let Some(story) = state.selected_item().and_then(|r| r.fold.story()).map(str::to_string) else { return vec![] };
    state.folding.unfolded.retain(|s| *s != story);
    if let Some(lead) = state.items.iter().position(|r| r.fold == Fold::Unfolded { story: story.clone() }) {
        let (len, rows) = (state.items.len(), state.panes().list_rows());
        state.list.set(lead, len, rows);
    }
    state.list_touched = true;
    list::reload(state, true)
}

/// `r` on a folded story: every item of it read (or, when all are read, unread).
pub(super) fn toggle_read(state: &mut State) -> Vec<Effect> {
    let Some(row) = state.items.get_mut(state.list.sel) else { return vec![] };
    let Fold::Folded { story, others, unread } = &mut row.fold else { return vec![] };
    let read = !row.read || *unread > 0;
    row.read = read;
    *unread = if read { 0 } else { others.len() };
    let verb = if read { BulkVerb::Read } else { BulkVerb::Unread };
    let n = others.len() + 1;
    let query = format!("story:{story}");
    state.status = Some(format!("marking the story's {n} items {}", if read { "read" } else { "unread" }));
    vec![Effect::Bulk(Bulk { verb, query })]
}
