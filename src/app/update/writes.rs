//! The writer thread's answers. A change is on screen from the key on; its
//! answer either confirms it (the counts follow, and views it may have
//! reshaped reload) or says it was not saved: then the screen goes back to
//! what the store holds and the status line says what was lost.

use super::{Effect, State};
use crate::app::msg::Msg;
use crate::model::View;

pub(super) fn written(state: &mut State, write: Effect, result: Result<Option<Box<Msg>>, String>) -> Vec<Effect> {
    // Answers come in the order the writes were made: this one's overlay is the oldest.
    state.pending.pop_front();
    match result {
        Ok(reply) => {
            let mut effects = after(state, &write);
            if let Some(reply) = reply {
                effects.extend(super::update(state, *reply));
            }
            effects
        }
        Err(error) => {
            state.dirty = true;
            state.status = Some(format!("not saved: {} ({error})", describe(state, &write)));
            let mut effects = super::list::reload(state, false);
            effects.push(Effect::LoadCounts);
            if let Some(view) = &state.article {
                effects.push(Effect::LoadArticle(view.article.id.clone()));
            }
            effects
        }
    }
}

/// What follows a change the store now holds: the counts, and the list
/// where the change reshapes it (the reading list, a tag, a marked view).
fn after(state: &mut State, write: &Effect) -> Vec<Effect> {
    let reshapes = match write {
        Effect::SetRead { .. } | Effect::Dismiss(_) => false,
        Effect::SetSaved { .. } => state.view == View::Saved,
        Effect::SetTags { .. } => matches!(state.view, View::Tag(_) | View::Query(_)),
        Effect::MarkViewRead(_) => true,
        Effect::Bulk(_) => true,
        _ => return vec![],
    };
    let mut effects = vec![Effect::LoadCounts];
    if reshapes {
        effects.extend(super::list::reload(state, false));
    }
    effects
}

/// The change in words, for "not saved: …".
fn describe(state: &State, write: &Effect) -> String {
    let title = |id: &str| {
        let title = state
            .items
            .iter()
            .find(|r| r.id == id)
            .map(|r| r.title.clone())
            .or_else(|| state.article.as_ref().filter(|a| a.article.id == id).map(|a| a.article.title.clone()))
            .unwrap_or_else(|| id.to_string());
        format!("“{}”", crate::article::sanitize::line(&title))
    };
    match write {
        Effect::SetRead { ids, read } => {
            let what = if *read { "read" } else { "unread" };
            match ids.as_slice() {
                [one] => format!("marking {} {what}", title(one)),
                many => format!("marking {} items {what}", many.len()),
            }
        }
        Effect::SetSaved { id, saved: true } => format!("saving {} to the reading list", title(id)),
        Effect::SetSaved { id, saved: false } => format!("taking {} out of the reading list", title(id)),
        Effect::Dismiss(id) => format!("dismissing {}", title(id)),
        Effect::MarkViewRead(_) => "marking the view read".into(),
        Effect::SetTags { id, .. } => format!("the tags of {}", title(id)),
        Effect::Undo => "the undo".into(),
        Effect::Redo => "the redo".into(),
        Effect::StoreFullText { id, .. } => format!("the full text of {}", title(id)),
        Effect::Bulk(bulk) => format!("the change over “{}”", crate::article::sanitize::line(&bulk.query)),
        _ => "a change".into(),
    }
}
