//! `t`: the tag editor. The item's own tags are loaded, the one-line prompt
//! opens prefilled with them, and Enter writes what is left in it.

use super::prompt::{self, PromptEvent};
use super::{Effect, State};
use crate::app::state::{Mode, PromptKind};
use crate::model::{ItemId, normalize_tags};

pub(super) fn edit(state: &mut State) -> Vec<Effect> {
    match state.selected_item() {
        Some(row) => vec![Effect::LoadTags(row.id.clone())],
        None => {
            state.status = Some("no item selected".into());
            vec![]
        }
    }
}

/// The tags are here: open the editor, unless the user moved on meanwhile.
pub(super) fn loaded(state: &mut State, id: ItemId, tags: Vec<String>) -> Vec<Effect> {
    if state.selected_item().map(|r| &r.id) != Some(&id) || state.mode != Mode::Normal {
        return vec![];
    }
    // A trailing space so that typing adds a tag rather than extending the last one.
    let text = if tags.is_empty() { String::new() } else { format!("{} ", tags.join(" ")) };
    prompt::open(state, PromptKind::Tags(id), &text);
    vec![]
}

/// What the tag prompt's text does: on Enter it becomes the item's tags.
pub(super) fn on_prompt(state: &mut State, id: ItemId, event: PromptEvent) -> Vec<Effect> {
    let PromptEvent::Submitted(text) = event else { return vec![] };
    let tags = normalize_tags(&text);
    if let Some(view) = state.article.as_mut().filter(|v| v.article.id == id) {
        view.article.user_tags = tags.clone();
    }
    state.status = Some(if tags.is_empty() { "tags cleared".into() } else { format!("tags: {}", tags.join(" ")) });
    vec![Effect::SetTags { id, tags }]
}
