//! Going through items fast: next unread, toggle read, save, dismiss, mark
//! all read. The state changes at once; the store change (one journal entry
//! each, so `u` undoes it) goes out as an effect.

use super::{Effect, Focus, State, article_max_scroll, load_selected, open, page_size_of, step_in};
use crate::model::View;

fn nothing_selected(state: &mut State) -> Vec<Effect> {
    state.status = Some("no item selected".into());
    vec![]
}

/// Opens the next unread item: the selection itself if it is unread and not
/// being read yet, else the first unread one after it, wrapping to the top.
pub(super) fn next_unread(state: &mut State) -> Vec<Effect> {
    let n = state.items.len();
    let sel = state.list.sel;
    let here = state.focus != Focus::Article && state.items.get(sel).is_some_and(|r| r.has_unread());
    let from = if here { sel } else { (sel + 1).min(n) };
    // The rows held are the whole view: wrap within them; else the store looks further.
    let whole = state.window.at_top && state.window.at_bottom;
    let wrap = if whole { 0..from } else { 0..0 };
    if state.focus == Focus::Sidebar {
        state.focus = Focus::List;
    }
    let Some(next) = (from..n).chain(wrap).find(|&i| state.items[i].has_unread()) else {
        if whole {
            state.status = Some("no unread items here".into());
            return vec![];
        }
        return super::list::next_unread_elsewhere(state);
    };
    let rows = state.panes().list_rows();
    state.list.set(next, n, rows);
    state.list_touched = true;
    open(state)
}

/// Space: pages down the article while there is more of it, else next
/// unread. From the list it goes to the next unread item; when there is
/// none, it pages the article shown beside the list instead of doing nothing.
pub(super) fn page_or_next_unread(state: &mut State) -> Vec<Effect> {
    let more = state.article.as_ref().is_some_and(|a| a.scroll < article_max_scroll(state));
    let page_article = |state: &mut State| {
        let page = page_size_of(state, Focus::Article) as isize;
        step_in(state, Focus::Article, page)
    };
    if more && state.focus == Focus::Article {
        return page_article(state);
    }
    let any_unread = state.items.iter().any(|r| r.has_unread());
    if more && !any_unread {
        return page_article(state);
    }
    next_unread(state)
}

pub(super) fn toggle_read(state: &mut State) -> Vec<Effect> {
    let Some(row) = state.items.get_mut(state.list.sel) else { return nothing_selected(state) };
    row.read = !row.read;
    let (id, read) = (row.id.clone(), row.read);
    state.status = Some(if read { "marked read" } else { "marked unread" }.into());
    vec![Effect::SetRead { ids: vec![id], read }]
}

/// `s`: into the reading list, or out of it.
pub(super) fn toggle_saved(state: &mut State) -> Vec<Effect> {
    let Some(row) = state.items.get_mut(state.list.sel) else { return nothing_selected(state) };
    row.saved = !row.saved;
    let (id, saved) = (row.id.clone(), row.saved);
    state.status =
        Some(if saved { "saved to the reading list" } else { "removed from the reading list · u undoes" }.into());
    vec![Effect::SetSaved { id, saved }]
}

/// `d`: read, and gone from this view at once; the next item takes its place.
pub(super) fn dismiss(state: &mut State) -> Vec<Effect> {
    if state.view == View::Saved {
        state.status = Some("the reading list keeps what you saved: s takes an item out".into());
        return vec![];
    }
    if state.list.sel >= state.items.len() {
        return nothing_selected(state);
    }
    let row = state.items.remove(state.list.sel);
    state.list_touched = true;
    let rows = state.panes().list_rows();
    let (sel, len) = (state.list.sel, state.items.len());
    state.list.set(sel, len, rows);
    state.status = Some("dismissed · u undoes".into());
    let mut effects = vec![Effect::Dismiss(row.id)];
    effects.extend(load_selected(state));
    effects.extend(super::list::ensure(state));
    effects
}

/// `A`: everything the view holds, read. The store counts what changed.
pub(super) fn mark_all_read(state: &mut State) -> Vec<Effect> {
    for row in &mut state.items {
        row.read = true;
        // #15: a folded story's other items are in the view too.
        if let crate::model::Fold::Folded { unread, .. } = &mut row.fold {
            *unread = 0;
        }
    }
    vec![Effect::MarkViewRead(state.view.clone())]
}

pub(super) fn marked_read(state: &mut State, n: usize) -> Vec<Effect> {
    state.dirty = true;
    state.status = Some(match n {
        0 => "nothing unread here".to_string(),
        1 => "marked 1 item read · u undoes".to_string(),
        n => format!("marked {n} items read · u undoes"),
    });
    vec![]
}
