//! Pictures in the article (`[ui] images`): a rendered body is laid out with
//! a block for each picture, and the pictures not held yet are asked for; a
//! picture that fails gives its block back (its placeholder line stays).

use std::sync::Arc;

use crate::app::msg::Effect;
use crate::app::state::State;
use crate::images::{IMAGE_ROWS, Loaded, Slot, layout};

/// Lays the shown body out with room for its pictures and asks for the
/// missing ones. Nothing when pictures are off.
pub fn lay_out(state: &mut State) -> Vec<Effect> {
    if !state.images.on() {
        return vec![];
    }
    let Some(rendered) = state.article.as_mut().and_then(|v| v.body.as_mut()) else { return vec![] };
    let laid = layout::lay_out(&rendered.body, rendered.width, IMAGE_ROWS, &state.images);
    let mut effects = Vec::new();
    for block in &laid.blocks {
        if !state.images.slots.contains_key(&block.want) {
            state.images.slots.insert(block.want.clone(), Slot::Loading);
            effects.push(Effect::FetchImage(block.want.clone()));
        }
    }
    state.images.trim(|w| laid.blocks.iter().any(|b| &b.want == w));
    rendered.laid = Some(Arc::new(laid));
    state.dirty = true;
    effects
}

/// A picture arrived (drawn over its block) or failed (its block goes).
pub fn loaded(state: &mut State, loaded: Loaded) -> Vec<Effect> {
    let Loaded { want, result } = loaded;
    let failed = result.is_err();
    state.images.slots.insert(
        want.clone(),
        match result {
            Ok(picture) => Slot::Ready(picture),
            Err(e) => Slot::Failed(e),
        },
    );
    let shown = state
        .article
        .as_ref()
        .and_then(|v| v.body.as_ref())
        .and_then(|r| r.laid.as_ref())
        .is_some_and(|l| l.blocks.iter().any(|b| b.want == want));
    if !shown {
        return vec![];
    }
    state.dirty = true;
    if failed {
        // Keep the reader's place: the rows above the top line that go with the block.
        let top = state.article.as_ref().and_then(|v| {
            let laid = v.body.as_ref()?.laid.as_ref()?;
            let block = laid.blocks.iter().find(|b| b.want == want)?;
            Some((block.at, v.scroll))
        });
        let effects = lay_out(state);
        if let (Some((at, scroll)), Some(view)) = (top, state.article.as_mut())
            && scroll > at
        {
            let gone = usize::from(IMAGE_ROWS) - 1;
            view.scroll = scroll.saturating_sub(gone.min(scroll - at));
        }
        return effects;
    }
    vec![]
}

#[cfg(test)]
mod tests;
