//! The list's window: the list holds a few hundred rows around the selection
//! (`State::items`), never a whole view. Moving near either end of them asks
//! for the next rows (by key, off the loop thread) while the screen keeps
//! drawing what is there; moves past the rows held are remembered and made
//! when the rows arrive, so a burst of `j` ends where it should. `g`/`G` ask
//! for the view's first/last rows; reloads read the rows around the
//! selection again and keep it on its item.

use std::mem::take;

use super::{Effect, State, load_selected, open};
use crate::app::msg::WindowReq;
use crate::model::{ItemId, View};
use crate::store::Window;

/// Rows read at a time (a screen is rarely more than 60).
pub const FETCH_ROWS: usize = 250;
/// More rows are asked for when the selection comes this close to an end of
/// the rows held: a few pages, so `PageDown` held down never catches up.
const MARGIN: usize = 150;
/// The window is cut back to `KEEP_ROWS` once it holds more than `MAX_ROWS`.
const MAX_ROWS: usize = 800;
const KEEP_ROWS: usize = 500;

/// A new view: its first rows are asked for; the old rows stay on screen until they come.
pub(super) fn switch(state: &mut State, view: View) -> Vec<Effect> {
    state.view = view.clone();
    state.loaded = false;
    state.list_touched = false;
    state.window.total = None;
    want(state, WindowReq::Top);
    vec![Effect::LoadView(view)]
}

// — #13 feeds view —
/// `O`: the next order; the view's first rows are read in it (the old rows
/// stay on screen until they come).
pub(super) fn cycle_sort(state: &mut State) -> Vec<Effect> {
    state.sort = state.sort.next();
    state.status = Some(format!("sorted by {}", state.sort.name()));
    state.loaded = false;
    state.list_touched = false;
    want(state, WindowReq::Top);
    vec![Effect::LoadView(state.view.clone())]
}

/// Asks for a new window (dropping growth and moves meant for the old one).
fn want(state: &mut State, req: WindowReq) {
    let w = &mut state.window;
    w.want = Some(req);
    w.growing_down = false;
    w.growing_up = false;
    w.overshoot = 0;
    w.drift = 0;
}

fn effect(state: &State, req: WindowReq) -> Effect {
    match req {
        WindowReq::Top => Effect::LoadView(state.view.clone()),
        req => Effect::LoadWindow { view: state.view.clone(), req },
    }
}

/// The view's rows again, after a change: those around the selection, or
/// the first ones while the user has not moved. `sticky`: a change made
/// elsewhere, which must not take the selected row away.
pub(super) fn reload(state: &mut State, sticky: bool) -> Vec<Effect> {
    let req = match state.selected_item().filter(|_| state.loaded && state.list_touched) {
        Some(row) if sticky => WindowReq::Refresh(row.key),
        Some(row) => WindowReq::Around(row.key),
        None => WindowReq::Top,
    };
    want(state, req);
    vec![effect(state, req)]
}

/// Moves the selection by `delta` rows; rows beyond those held are asked for.
pub(super) fn move_by(state: &mut State, delta: isize) -> Vec<Effect> {
    state.list_touched = true;
    let before = (state.list.sel, state.window.overshoot);
    if matches!(state.window.want, Some(WindowReq::Top | WindowReq::Bottom)) {
        state.window.drift += delta;
    }
    shift(state, delta);
    let mut effects = Vec::new();
    if (state.list.sel, state.window.overshoot) != before || state.article.is_none() {
        effects.extend(load_selected(state));
    }
    effects.extend(ensure(state));
    effects
}

/// `g` (`top`) or `G`: at once when the rows held reach that end, else the
/// view's end is read and the selection goes there when it arrives.
pub(super) fn to_end(state: &mut State, top: bool) -> Vec<Effect> {
    state.list_touched = true;
    let w = &state.window;
    let here = if top { w.at_top } else { w.at_bottom };
    if here || state.items.is_empty() {
        let sel = if top { 0 } else { state.items.len().saturating_sub(1) };
        state.window.overshoot = 0;
        let (len, rows) = (state.items.len(), state.panes().list_rows());
        state.list.set(sel, len, rows);
        let mut effects = load_selected(state);
        effects.extend(ensure(state));
        return effects;
    }
    let req = if top { WindowReq::Top } else { WindowReq::Bottom };
    want(state, req);
    vec![effect(state, req)]
}

/// `n` when no unread row follows the selection in the rows held: the store
/// finds the next one (wrapping to the top) and it opens when it arrives.
pub(super) fn next_unread_elsewhere(state: &mut State) -> Vec<Effect> {
    state.list_touched = true;
    let req = WindowReq::NextUnread(state.items.last().map(|r| r.key));
    want(state, req);
    vec![effect(state, req)]
}

/// Moves the selection within the rows held; what goes past them (while
/// the view has more) is kept in `overshoot`.
fn shift(state: &mut State, delta: isize) {
    let len = state.items.len();
    let w = &mut state.window;
    let target = state.list.sel as isize + take(&mut w.overshoot) + delta;
    if len == 0 {
        return;
    }
    let last = len as isize - 1;
    let sel = target.clamp(0, last);
    if (target < 0 && !w.at_top) || (target > last && !w.at_bottom) {
        w.overshoot = target - sel;
    }
    let rows = state.panes().list_rows();
    state.list.set(sel as usize, len, rows);
}

/// Asks for more rows when the selection nears an end of those held.
pub(super) fn ensure(state: &mut State) -> Vec<Effect> {
    if !state.loaded || state.window.want.is_some() {
        return vec![];
    }
    let (len, sel) = (state.items.len(), state.list.sel);
    let Some((first, last)) = state.items.first().zip(state.items.last()).map(|(f, l)| (f.key, l.key)) else {
        // Everything held was dismissed: start again from the top.
        if !(state.window.at_top && state.window.at_bottom) {
            want(state, WindowReq::Top);
            return vec![effect(state, WindowReq::Top)];
        }
        return vec![];
    };
    let mut effects = Vec::new();
    let w = &mut state.window;
    if !w.at_bottom && !w.growing_down && len - 1 - sel.min(len - 1) < MARGIN {
        w.growing_down = true;
        effects.push(Effect::LoadWindow { view: state.view.clone(), req: WindowReq::After(last) });
    }
    let w = &mut state.window;
    if !w.at_top && !w.growing_up && sel < MARGIN {
        w.growing_up = true;
        effects.push(Effect::LoadWindow { view: state.view.clone(), req: WindowReq::Before(first) });
    }
    effects
}

/// Rows arrived from the store.
pub(super) fn loaded(
    state: &mut State,
    view: View,
    req: WindowReq,
    window: Window,
    target: Option<ItemId>,
) -> Vec<Effect> {
    if view != state.view || window.sort != state.sort {
        return vec![]; // an answer for a view (or an order) we already left
    }
    let Window { mut rows, at_top, at_bottom, sort } = window;
    for overlay in &state.pending {
        overlay.apply(&view, &mut rows);
    }
    match req {
        WindowReq::After(key) => {
            state.window.growing_down = false;
            if state.window.want.is_some() || state.items.last().map(|r| r.key) != Some(key) {
                return vec![]; // the window moved on meanwhile
            }
            state.dirty = true;
            state.items.extend(rows);
            state.window.at_bottom = at_bottom;
            trim_top(state);
            settle(state)
        }
        WindowReq::Before(key) => {
            state.window.growing_up = false;
            if state.window.want.is_some() || state.items.first().map(|r| r.key) != Some(key) {
                return vec![];
            }
            state.dirty = true;
            let n = rows.len();
            rows.append(&mut state.items);
            state.items = rows;
            state.list.sel += n;
            state.list.offset += n;
            state.window.at_top = at_top;
            trim_bottom(state);
            settle(state)
        }
        req => replace(state, view, req, Window { rows, at_top, at_bottom, sort }, target),
    }
}

/// A new window in place of the rows held, the selection placed as `req` says.
fn replace(state: &mut State, view: View, req: WindowReq, window: Window, target: Option<ItemId>) -> Vec<Effect> {
    if state.loaded && state.window.want != Some(req) {
        return vec![]; // a newer window is on its way
    }
    state.dirty = true;
    let Window { mut rows, at_top, at_bottom, .. } = window;
    // Moves made while this window was on its way: counted from where it
    // lands (`g`/`G`), or still to be made past the old rows (a reload).
    let (drift, overshoot) = (state.window.drift, state.window.overshoot);
    want(state, req);
    state.window.want = None;
    if matches!(req, WindowReq::NextUnread(_)) && target.is_none() {
        state.status = Some("no unread items here".into());
        return vec![];
    }
    let selected = state.selected_item().cloned();
    if let (WindowReq::Around(key) | WindowReq::Refresh(key), Some(row)) = (req, &selected)
        && state.list_touched
        && row.key != key
        && !rows.iter().any(|r| r.id == row.id)
    {
        // The user moved out of these rows while they were read: read those around where they are now.
        let again =
            if matches!(req, WindowReq::Refresh(_)) { WindowReq::Refresh(row.key) } else { WindowReq::Around(row.key) };
        want(state, again);
        state.window.overshoot = overshoot;
        return vec![effect(state, again)];
    }
    let line = state.list.sel.saturating_sub(state.list.offset);
    let sel = match req {
        WindowReq::Bottom => rows.len().saturating_sub(1),
        WindowReq::NextUnread(_) => target.and_then(|id| rows.iter().position(|r| r.id == id)).unwrap_or(0),
        WindowReq::Around(key) | WindowReq::Refresh(key) if state.list_touched => {
            let kept = selected.as_ref().and_then(|s| rows.iter().position(|r| r.id == s.id));
            match (kept, selected) {
                (Some(i), _) => i,
                // Changed elsewhere: the row being read stays until the user moves on.
                (None, Some(row)) if matches!(req, WindowReq::Refresh(_)) && within(&rows, at_top, at_bottom, &row) => {
                    let at = rows.iter().position(|r| r.key < row.key).unwrap_or(rows.len());
                    rows.insert(at, row);
                    at
                }
                _ => rows.iter().position(|r| r.key <= key).unwrap_or(rows.len().saturating_sub(1)),
            }
        }
        _ => 0,
    };
    let first_load = !state.loaded;
    state.items = rows;
    state.shown = view;
    state.loaded = true;
    state.window.at_top = at_top;
    state.window.at_bottom = at_bottom;
    if at_top && at_bottom {
        state.window.total = Some(state.items.len() as u64);
    }
    let rows_on_screen = state.panes().list_rows();
    let len = state.items.len();
    // The selected row keeps its line on screen.
    state.list.offset = if first_load || !state.list_touched { 0 } else { sel.saturating_sub(line) };
    state.list.set(sel, len, rows_on_screen);
    match req {
        WindowReq::Top | WindowReq::Bottom if drift != 0 => shift(state, drift),
        WindowReq::Around(_) | WindowReq::Refresh(_) if overshoot != 0 => shift(state, overshoot),
        _ => {}
    }
    if matches!(req, WindowReq::NextUnread(_)) {
        let mut effects = open(state);
        effects.extend(ensure(state));
        return effects;
    }
    settle(state)
}

/// True when `row`'s key lies within the rows read (so it can be put back among them).
fn within(rows: &[crate::model::ItemRow], at_top: bool, at_bottom: bool, row: &crate::model::ItemRow) -> bool {
    (at_top || rows.first().is_some_and(|f| f.key >= row.key))
        && (at_bottom || rows.last().is_some_and(|l| l.key <= row.key))
}

/// After rows arrived: moves made past the old ones, the article, more rows.
fn settle(state: &mut State) -> Vec<Effect> {
    let overshoot = take(&mut state.window.overshoot);
    if overshoot != 0 {
        shift(state, overshoot);
    }
    let mut effects = load_selected(state);
    effects.extend(ensure(state));
    effects
}

/// Drops rows far above the screen once the window is large.
fn trim_top(state: &mut State) {
    let len = state.items.len();
    if len <= MAX_ROWS {
        return;
    }
    let drop = (len - KEEP_ROWS).min(state.list.offset.saturating_sub(MARGIN));
    if drop > 0 {
        state.items.drain(..drop);
        state.list.sel -= drop;
        state.list.offset -= drop;
        state.window.at_top = false;
    }
}

/// Drops rows far below the screen once the window is large.
fn trim_bottom(state: &mut State) {
    let len = state.items.len();
    if len <= MAX_ROWS {
        return;
    }
    let end = state.list.offset + state.panes().list_rows();
    let drop = (len - KEEP_ROWS).min(len.saturating_sub(end + MARGIN));
    if drop > 0 {
        state.items.truncate(len - drop);
        state.window.at_bottom = false;
    }
}

/// The view's size arrived.
pub(super) fn counted(state: &mut State, view: View, total: u64) {
    if view == state.view {
        state.window.total = Some(total);
        state.dirty = true;
    }
}
