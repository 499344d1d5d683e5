//! `update`: the only place the state changes. Pure: no IO, no clock, no
//! channels — what needs doing outside is returned as `Effect`s.

use ratatui::crossterm::event::KeyEvent;

use super::action::Action;
use super::msg::{Effect, Msg};
use super::state::{ArticleView, EntryKind, Focus, Mode, Rendered, SidebarEntry, State};
use crate::model::{Counts, View};

pub mod article;
mod commands;
// — #13 feeds view —
pub mod feeds;
pub mod filter;
mod help;
pub mod images;
mod journal;
pub mod list;
mod mouse;
mod poll;
pub mod prompt;
mod sync;
mod tags;
mod triage;
mod writes;
// — #13 cmdline —
mod cmdline;
// — #15 stories —
mod stories;

pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    let effects = dispatch(state, msg);
    // Each user write is on screen until its answer: remember what it shows.
    for effect in effects.iter().filter(|e| e.is_user_write()) {
        state.pending.push_back(crate::app::pending::Overlay::of(effect));
    }
    effects
}

fn dispatch(state: &mut State, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(key) => on_key(state, key),
        Msg::Action(action) => on_action(state, action),
        Msg::Mouse(event) => mouse::on_mouse(state, event),
        Msg::Resize(w, h) => {
            state.size = (w, h);
            state.dirty = true;
            let rows = state.panes().list_rows();
            let (sel, len) = (state.list.sel, state.items.len());
            state.list.set(sel, len, rows);
            render_if_needed(state)
        }
        Msg::Tick(now) => {
            // Ages are shown in minutes: redraw only when one has passed.
            if now / 60 != state.now / 60 {
                state.dirty = true;
            }
            state.now = now;
            vec![]
        }
        Msg::Poll(event) => poll::on_poll(state, event),
        Msg::Stored { url, new } => {
            let mut effects = reload(state);
            effects.extend(article::after_stored(state, &url));
            effects.extend(commands::stored(state, new));
            effects
        }
        Msg::WindowLoaded { view, req, window, target } => list::loaded(state, view, req, window, target),
        Msg::ViewCounted { view, total } => {
            list::counted(state, view, total);
            vec![]
        }
        // The loop hands these to the full-text service itself.
        Msg::PrefetchWanted(_) => vec![],
        Msg::CountsLoaded(counts) => {
            set_counts(state, counts);
            vec![]
        }
        // — #10 keys — (its body joined the loop's rendered bodies in `App::step_many`)
        Msg::ArticleRead { id, article, .. } => dispatch(state, Msg::ArticleLoaded { id, article }),
        Msg::ArticleLoaded { id, article } => {
            if state.selected_item().map(|r| &r.id) != Some(&id) {
                return vec![]; // the selection moved on meanwhile
            }
            state.dirty = true;
            match article {
                Some(a) => article::on_loaded(state, *a),
                None => {
                    state.article = None;
                    vec![]
                }
            }
        }
        Msg::ArticleRendered { id, width, full, body } => {
            if let Some(view) = state.article.as_mut().filter(|v| v.article.id == id && v.wants_full() == full) {
                view.body = Some(Rendered { width, full, body, laid: None });
                state.dirty = true;
                return images::lay_out(state);
            }
            vec![]
        }
        Msg::FullText { id, result } => article::on_full_text(state, id, result),
        Msg::TagsLoaded { id, tags } => tags::loaded(state, id, tags),
        Msg::Walked { undo, label } => journal::walked(state, undo, label),
        Msg::UndoBoundary => journal::boundary(state),
        Msg::DataChanged => reload(state),
        Msg::MarkedRead(n) => triage::marked_read(state, n),
        Msg::Written { write, result } => writes::written(state, *write, result),
        Msg::Prepared { error } => {
            if error.is_some() {
                state.status = error;
                state.dirty = true;
            }
            // The config's feeds are in step now: what the views hold may have changed.
            reload(state)
        }
        Msg::Sync(event) => sync::on_event(state, event),
        Msg::Failed(error) => {
            state.status = Some(error);
            state.dirty = true;
            vec![]
        }
        // — #13 images —
        Msg::ImageLoaded(loaded) => images::loaded(state, loaded),
        // — #13 commands —
        Msg::CommandDone { name, output, result, redraw } => commands::done(state, name, output, result, redraw),
        Msg::BulkCounted { bulk, n } => cmdline::counted(state, bulk, n),
        Msg::BulkDone { bulk, n } => cmdline::done(state, bulk, n),
        Msg::FeedNames(names) => {
            state.cmdline.feeds = names;
            vec![]
        }
    }
}

fn on_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    // Ctrl-c quits from anywhere: the panes, a prompt, the help.
    if super::keymap::Key::from_event(&key) == super::keymap::CTRL_C {
        return on_action(state, Action::Quit);
    }
    if matches!(state.mode, Mode::Prompt(_)) {
        return prompt::on_key(state, key);
    }
    if state.help.is_some() {
        return help::on_key(state, key);
    }
    if let Some(index) = state.keymap.command_for(&key) {
        return commands::run_configured(state, index);
    }
    match state.keymap.action_for(&key) {
        // The digit pressed says which link.
        Some(Action::OpenLink) => {
            state.dirty = true;
            state.status = None;
            let digit = match key.code {
                ratatui::crossterm::event::KeyCode::Char(c) => c.to_digit(10),
                _ => None,
            };
            article::open_link_key(state, digit)
        }
        Some(action) => on_action(state, action),
        None => vec![],
    }
}

fn on_action(state: &mut State, action: Action) -> Vec<Effect> {
    state.dirty = true;
    state.status = None;
    state.notice = None;
    // `u` right after "nothing to undo since …" goes on to older changes.
    let undo_older = std::mem::take(&mut state.undo_armed);
    match action {
        Action::Down => step(state, 1),
        Action::Up => step(state, -1),
        Action::PageDown => {
            let page = page_size(state) as isize;
            step(state, page)
        }
        Action::PageUp => {
            let page = page_size(state) as isize;
            step(state, -page)
        }
        Action::Top if state.focus == Focus::List => list::to_end(state, true),
        Action::Bottom if state.focus == Focus::List => list::to_end(state, false),
        Action::Top => step(state, isize::MIN / 2),
        Action::Bottom => step(state, isize::MAX / 2),
        // On the Feeds header, Enter and Space fold the section.
        Action::Open | Action::PageOrNextUnread if feeds::toggle_section(state) => vec![],
        // #15: Enter/→ unfold a folded story, ← folds it, r marks all of it.
        Action::Open | Action::FocusRight if stories::can_unfold(state) => stories::unfold(state),
        Action::FocusLeft if stories::can_fold(state) => stories::fold(state),
        Action::ToggleRead if stories::folded_selected(state) => stories::toggle_read(state),
        Action::Open => open(state),
        Action::NextUnread if commands::in_search(state) => commands::jump_match(state, true),
        Action::NextUnread => triage::next_unread(state),
        Action::PageOrNextUnread => triage::page_or_next_unread(state),
        Action::FocusNext => {
            state.focus = next_focus(state, true);
            vec![]
        }
        Action::FocusPrev => {
            state.focus = next_focus(state, false);
            vec![]
        }
        Action::FocusLeft => {
            state.focus = match state.focus {
                Focus::Article => Focus::List,
                Focus::List if state.sidebar_visible => Focus::Sidebar,
                f => f,
            };
            vec![]
        }
        Action::FocusRight => {
            state.focus = match state.focus {
                Focus::Sidebar => Focus::List,
                Focus::List if state.article.is_some() => Focus::Article,
                f => f,
            };
            vec![]
        }
        Action::ToggleSidebar => {
            state.sidebar_visible = !state.sidebar_visible;
            if !state.sidebar_visible && state.focus == Focus::Sidebar {
                state.focus = Focus::List;
            }
            resize_panes(state)
        }
        Action::ToggleRead => triage::toggle_read(state),
        Action::Save => triage::toggle_saved(state),
        Action::Dismiss => triage::dismiss(state),
        Action::MarkAllRead => triage::mark_all_read(state),
        Action::EditTags => tags::edit(state),
        Action::Undo if undo_older => vec![Effect::UndoOlder],
        Action::Undo => vec![Effect::Undo],
        Action::Redo => vec![Effect::Redo],
        Action::Help => {
            help::toggle(state);
            vec![]
        }
        Action::OpenInBrowser => match selected_link(state) {
            Some(url) => {
                state.status = Some(format!("opening {url}"));
                let mut effects = vec![Effect::OpenUrl(url)];
                effects.extend(commands::mark_looked_at_read(state));
                effects
            }
            None => {
                state.status = Some("this item has no link".into());
                vec![]
            }
        },
        Action::CopyLink => match selected_link(state) {
            Some(url) => {
                state.status = Some("link copied".into());
                vec![Effect::Copy(url)]
            }
            None => {
                state.status = Some("this item has no link".into());
                vec![]
            }
        },
        Action::PlayEnclosure => play_enclosure(state),
        Action::ToggleFullText => article::toggle(state),
        Action::OpenLink => article::open_link_key(state, None),
        Action::OpenLinkNumber => article::ask_link_number(state),
        Action::Filter => filter::open(state),
        // Esc leaves zen mode first (#13 commands).
        Action::ClearFilter if state.zen => commands::toggle_zen(state),
        Action::ClearFilter => filter::clear(state),
        Action::Refresh if state.read_only.is_some() => {
            state.status = Some("the database is read-only: nothing fetched could be kept".into());
            vec![]
        }
        Action::Refresh => vec![Effect::Refresh],
        Action::Redraw => {
            state.clear = true;
            vec![]
        }
        Action::Quit => {
            state.quit = true;
            vec![]
        }
        // — #13 commands —
        Action::PipeArticle => commands::ask_pipe(state),
        Action::ZenMode => commands::toggle_zen(state),
        Action::PrevMatch => commands::jump_match(state, false),
        Action::CommandLine => cmdline::open(state),
        // — #13 feeds view —
        Action::RefreshFeed => feeds::refresh_feed(state),
        Action::ShowFeedError => feeds::show_error(state),
        Action::CycleSort => list::cycle_sort(state),
    }
}

/// The shown item's first audio or video enclosure (else its first one), to the player.
fn play_enclosure(state: &mut State) -> Vec<Effect> {
    let selected = state.selected_item().map(|r| r.id.clone());
    let shown =
        state.article.as_ref().filter(|a| state.focus == Focus::Article || Some(&a.article.id) == selected.as_ref());
    let chosen = shown.and_then(|a| crate::model::enclosure_to_play(&a.article.enclosures));
    // Stored enclosures are http(s) already; checked again where a program gets them.
    match chosen.and_then(|e| crate::article::links::resolve_str(None, &e.url).map(|url| (url, e.label()))) {
        Some((url, label)) => {
            state.status = Some(format!("playing {label}"));
            vec![Effect::Play(url)]
        }
        None => {
            state.status = Some("this item has no enclosure to play".into());
            vec![]
        }
    }
}

/// The link of the item the user is looking at: the open article's when the
/// article pane has focus, else the selected row's. Only links a browser or
/// mail client should open (a feed could hand us `javascript:` or `file:`).
fn selected_link(state: &State) -> Option<String> {
    let from_article =
        state.article.as_ref().filter(|_| state.focus == Focus::Article).and_then(|a| a.article.link.clone());
    let link = from_article.or_else(|| state.selected_item().and_then(|r| r.link.clone()))?;
    crate::article::links::resolve_str(None, &link)
}

fn next_focus(state: &State, forward: bool) -> Focus {
    let mut order = Vec::with_capacity(3);
    if state.sidebar_visible {
        order.push(Focus::Sidebar);
    }
    order.push(Focus::List);
    order.push(Focus::Article);
    let i = order.iter().position(|f| *f == state.focus).unwrap_or(0);
    let n = order.len();
    order[if forward { (i + 1) % n } else { (i + n - 1) % n }]
}

fn page_size(state: &State) -> usize {
    page_size_of(state, state.focus)
}

/// One screen of `pane`, less a line of overlap.
fn page_size_of(state: &State, pane: Focus) -> usize {
    let panes = state.panes();
    match pane {
        Focus::Sidebar => panes.sidebar_rows(),
        Focus::List => panes.list_rows(),
        Focus::Article => article_body_rows(state),
    }
    .saturating_sub(1)
    .max(1)
}

/// Moves whatever the focused pane moves by `delta` rows.
fn step(state: &mut State, delta: isize) -> Vec<Effect> {
    step_in(state, state.focus, delta)
}

/// Moves whatever `pane` moves by `delta` rows (the wheel moves the pane under the pointer).
fn step_in(state: &mut State, pane: Focus, delta: isize) -> Vec<Effect> {
    match pane {
        Focus::Sidebar => {
            let rows = state.panes().sidebar_rows();
            let before = state.sidebar_cursor.sel;
            state.sidebar_cursor.by(delta, state.sidebar.len(), rows);
            if state.sidebar_cursor.sel == before {
                return vec![];
            }
            let entry = &state.sidebar[state.sidebar_cursor.sel];
            // The Feeds header shows no view of its own: the list stays.
            if matches!(entry.kind, EntryKind::Section { .. }) {
                return vec![];
            }
            // A failing feed says why on the status line (and, if rate limited, when it is retried).
            if let Some(error) = &entry.error {
                state.status = Some(format!("{}: {error}", entry.label));
            }
            let view = entry.view.clone();
            switch_view(state, view)
        }
        Focus::List => list::move_by(state, delta),
        Focus::Article => {
            if let Some(view) = &state.article {
                let max = article_max_scroll(state);
                let scroll = view.scroll.saturating_add_signed(delta).min(max);
                if let Some(v) = state.article.as_mut() {
                    v.scroll = scroll;
                }
            }
            vec![]
        }
    }
}

/// Rows left for the article body under its header.
fn article_body_rows(state: &State) -> usize {
    let panes = state.panes();
    let width = panes.article_width();
    let header =
        state.article.as_ref().map_or(0, |v| crate::layout::article_header_rows(&v.article, v.show_full, width));
    panes.article_rows().saturating_sub(header)
}

fn article_max_scroll(state: &State) -> usize {
    let lines = state.article.as_ref().and_then(|v| v.body.as_ref()).map_or(0, |b| b.lines().len());
    lines.saturating_sub(article_body_rows(state))
}

fn switch_view(state: &mut State, view: View) -> Vec<Effect> {
    if state.view == view {
        return vec![];
    }
    list::switch(state, view)
}

/// Shows the selected item in the article pane (without marking it read).
/// Until its article is read (off the loop thread), the pane shows what the
/// row knows: title, feed and date.
fn load_selected(state: &mut State) -> Vec<Effect> {
    match state.selected_item() {
        Some(row) if state.article.as_ref().map(|a| &a.article.id) != Some(&row.id) => {
            let id = row.id.clone();
            state.article = Some(ArticleView::stand_in(row));
            vec![Effect::LoadArticle(id)]
        }
        Some(_) => vec![],
        None => {
            state.article = None;
            vec![]
        }
    }
}

fn open(state: &mut State) -> Vec<Effect> {
    match state.focus {
        Focus::Sidebar => {
            state.focus = Focus::List;
            vec![]
        }
        Focus::List | Focus::Article => {
            state.list_touched = true;
            let mut effects = load_selected(state);
            let mark = state.mark_read_on_open;
            if let Some(row) = state.items.get_mut(state.list.sel) {
                state.focus = Focus::Article;
                if mark && !row.read {
                    row.read = true;
                    effects.push(Effect::SetRead { ids: vec![row.id.clone()], read: true });
                }
            }
            effects
        }
    }
}

/// Another connection changed the database: the list and the counts are
/// read again; the selection stays on its item (and on screen).
fn reload(state: &mut State) -> Vec<Effect> {
    let mut effects = list::reload(state, true);
    effects.push(Effect::LoadCounts);
    effects
}

/// The sidebar's entries for a set of counts: All, Unread, the reading list,
/// saved queries, one per tag, then failing feeds.
pub fn sidebar_entries(counts: &Counts) -> Vec<SidebarEntry> {
    let mut entries = vec![
        SidebarEntry {
            view: View::All,
            label: "All".into(),
            count: Some(counts.unread),
            total: Some(counts.total),
            error: None,
            kind: EntryKind::View,
        },
        SidebarEntry {
            view: View::Unread,
            label: "Unread".into(),
            count: Some(counts.unread),
            total: None,
            error: None,
            kind: EntryKind::View,
        },
        SidebarEntry {
            view: View::Saved,
            label: "Reading list".into(),
            count: Some(counts.saved),
            total: None,
            error: None,
            kind: EntryKind::View,
        },
    ];
    entries.extend(counts.queries.iter().map(|q| SidebarEntry {
        view: View::Query(q.query.trim().to_string()),
        label: q.name.clone(),
        count: Some(q.unread),
        total: None,
        error: None,
        kind: EntryKind::View,
    }));
    entries.extend(counts.tags.iter().map(|t| SidebarEntry {
        view: View::Tag(t.tag.clone()),
        label: format!("#{}", t.tag),
        count: Some(t.unread),
        total: None,
        error: None,
        kind: EntryKind::View,
    }));
    entries.extend(counts.failing.iter().map(|f| SidebarEntry {
        view: View::Feed(f.url.clone()),
        label: f.title.clone(),
        count: None,
        total: None,
        error: Some(f.error.clone()),
        kind: EntryKind::View,
    }));
    entries
}

fn set_counts(state: &mut State, counts: Counts) {
    let before = feeds::selected_line(state);
    state.sidebar = feeds::sidebar(state, &counts);
    state.counts = counts;
    state.dirty = true;
    // The highlighted entry follows the view, wherever it moved to (a tag's
    // group line in the Feeds section and the Feeds header stay highlighted).
    let sel = feeds::line_again(state, before)
        .or_else(|| state.sidebar.iter().position(|e| e.view == state.view))
        .unwrap_or(state.sidebar_cursor.sel);
    let rows = state.panes().sidebar_rows();
    let len = state.sidebar.len();
    state.sidebar_cursor.set(sel, len, rows);
}

fn resize_panes(state: &mut State) -> Vec<Effect> {
    let rows = state.panes().list_rows();
    let (sel, len) = (state.list.sel, state.items.len());
    state.list.set(sel, len, rows);
    render_if_needed(state)
}

/// Asks for the article body at the pane's width, from the text the reader
/// wants (feed or full), when it is not rendered so.
fn render_if_needed(state: &mut State) -> Vec<Effect> {
    let width = state.panes().article_width();
    match &state.article {
        // A stand-in (#10 keys) has no text yet: its article comes with its body.
        Some(v) if !v.loading && v.body.as_ref().is_none_or(|b| b.width != width || b.full != v.wants_full()) => {
            let full = v.wants_full();
            let html = if full { v.article.full_html.clone().unwrap_or_default() } else { v.article.html.clone() };
            vec![Effect::RenderArticle { id: v.article.id.clone(), html, base: v.article.link.clone(), width, full }]
        }
        _ => vec![],
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod tests_triage;

#[cfg(test)]
mod tests_commands;
