//! The sidebar's Feeds section (issue 13): one line per feed with its unread
//! count and health (`⚠` failing, `↻` being fetched), grouped under each
//! feed's first tag or flat, folded with Space/Enter on its header; and what
//! the keys do on a feed: `U` fetches it alone, `E` says its last error
//! (`A` marks the shown view read, which is the feed's once it is selected).

use super::{Effect, State};
use crate::app::state::{EntryKind, Focus, SidebarEntry};
use crate::config::FeedsMode;
use crate::model::{Counts, FeedCount, View};

/// The whole sidebar for `counts`: the views and tags, then the Feeds
/// section (or, with `feeds = "hidden"`, the failing feeds alone, as before).
pub fn sidebar(state: &State, counts: &Counts) -> Vec<SidebarEntry> {
    let mut entries = super::sidebar_entries(counts);
    if state.feeds_mode == FeedsMode::Hidden {
        return entries;
    }
    // The failing feeds are listed in the section, with their mark.
    entries.truncate(entries.len().saturating_sub(counts.failing.len()));
    if counts.feeds.is_empty() {
        return entries;
    }
    let collapsed = state.feeds_collapsed;
    entries.push(SidebarEntry {
        view: View::All,
        label: "Feeds".into(),
        count: None,
        total: None,
        error: None,
        kind: EntryKind::Section { collapsed },
    });
    if collapsed {
        return entries;
    }
    let error_of = |url: &str| counts.failing.iter().find(|f| f.url == url).map(|f| f.error.clone());
    let feed = |f: &FeedCount, indent: bool| SidebarEntry {
        view: View::Feed(f.url.clone()),
        label: f.title.clone(),
        count: Some(f.unread),
        total: None,
        error: error_of(&f.url),
        kind: EntryKind::Feed { indent },
    };
    if state.feeds_mode == FeedsMode::Flat {
        entries.extend(counts.feeds.iter().map(|f| feed(f, false)));
        return entries;
    }
    // Grouped: under the config's first tag (else the store's), groups by name.
    let group_of = |f: &FeedCount| state.feed_groups.get(&f.url).cloned().or_else(|| f.tag.clone());
    let mut groups: Vec<(String, Vec<&FeedCount>)> = Vec::new();
    let mut loose = Vec::new();
    for f in &counts.feeds {
        match group_of(f) {
            Some(tag) => match groups.iter_mut().find(|(t, _)| *t == tag) {
                Some((_, list)) => list.push(f),
                None => groups.push((tag, vec![f])),
            },
            None => loose.push(f),
        }
    }
    groups.sort_by(|a, b| a.0.to_ascii_lowercase().cmp(&b.0.to_ascii_lowercase()).then_with(|| a.0.cmp(&b.0)));
    for (tag, feeds) in groups {
        entries.push(SidebarEntry {
            view: View::Tag(tag.clone()),
            label: tag,
            count: Some(feeds.iter().map(|f| f.unread).sum()),
            total: None,
            error: None,
            kind: EntryKind::Group,
        });
        entries.extend(feeds.into_iter().map(|f| feed(f, true)));
    }
    entries.extend(loose.into_iter().map(|f| feed(f, false)));
    entries
}

/// The sidebar again from the counts held (after a fold, or a setting changed).
pub fn rebuild(state: &mut State) {
    let counts = std::mem::take(&mut state.counts);
    state.sidebar = sidebar(state, &counts);
    state.counts = counts;
    let rows = state.panes().sidebar_rows();
    let (sel, len) = (state.sidebar_cursor.sel, state.sidebar.len());
    state.sidebar_cursor.set(sel, len, rows);
}

/// What the highlighted sidebar line is, to find it again in new entries.
pub fn selected_line(state: &State) -> Option<(EntryKind, View)> {
    state.sidebar.get(state.sidebar_cursor.sel).map(|e| (e.kind, e.view.clone()))
}

/// Where the line `before` is now, if it is still there and still shows the
/// view shown (or is the Feeds header, which shows none).
pub fn line_again(state: &State, before: Option<(EntryKind, View)>) -> Option<usize> {
    let (kind, view) = before?;
    let header = matches!(kind, EntryKind::Section { .. });
    if !header && view != state.view {
        return None;
    }
    state.sidebar.iter().position(|e| {
        if header { matches!(e.kind, EntryKind::Section { .. }) } else { e.kind == kind && e.view == view }
    })
}

/// The sidebar's selected line, when the sidebar has the keys.
fn selected(state: &State) -> Option<&SidebarEntry> {
    state.sidebar.get(state.sidebar_cursor.sel).filter(|_| state.focus == Focus::Sidebar && state.sidebar_visible)
}

/// Space or Enter on the Feeds header folds or unfolds the section; false
/// when the selected line is something else (the key then does its usual job).
pub fn toggle_section(state: &mut State) -> bool {
    if !matches!(selected(state).map(|e| e.kind), Some(EntryKind::Section { .. })) {
        return false;
    }
    state.feeds_collapsed = !state.feeds_collapsed;
    rebuild(state);
    true
}

/// The feed a key is about: the selected feed line in the sidebar, else
/// the feed whose items the list shows. (URL, title.)
fn current_feed(state: &State) -> Option<(String, String)> {
    let from = |view: &View| match view {
        View::Feed(url) => {
            let title = state.counts.feeds.iter().find(|f| &f.url == url).map_or(url.as_str(), |f| &f.title);
            Some((url.clone(), crate::article::sanitize::line(title).into_owned()))
        }
        _ => None,
    };
    match selected(state) {
        Some(e) if matches!(e.kind, EntryKind::Feed { .. }) => from(&e.view),
        _ => from(&state.view),
    }
}

const NO_FEED: &str = "select a feed in the sidebar's Feeds section first";

/// `U`: fetch this one feed now.
pub fn refresh_feed(state: &mut State) -> Vec<Effect> {
    let Some((url, title)) = current_feed(state) else {
        state.status = Some(NO_FEED.into());
        return vec![];
    };
    if state.read_only.is_some() {
        state.status = Some("the database is read-only: nothing fetched could be kept".into());
        return vec![];
    }
    state.status = Some(format!("fetching {title}"));
    vec![Effect::RefreshFeed(url)]
}

/// `E`: the feed's last error on the status line.
pub fn show_error(state: &mut State) -> Vec<Effect> {
    let Some((url, title)) = current_feed(state) else {
        state.status = Some(NO_FEED.into());
        return vec![];
    };
    let error = state.counts.failing.iter().find(|f| f.url == url).map(|f| f.error.clone());
    state.status = Some(match error {
        Some(e) => format!("{title}: {}", crate::article::sanitize::line(&e)),
        None if state.fetching.contains(&url) => format!("{title}: being fetched, no error so far"),
        None => format!("{title}: no error, its last fetch went well"),
    });
    vec![]
}

/// The poller started fetching `url` (`↻` until its result comes).
pub fn fetching(state: &mut State, url: String) {
    state.fetching.insert(url);
    state.dirty = true;
}

/// A feed's result (fetched, 304, failed) came: it is no longer being fetched.
pub fn fetched(state: &mut State, event: &crate::feed::PollEvent) {
    use crate::feed::PollEvent;
    if let PollEvent::Fetched(_) | PollEvent::NotModified { .. } | PollEvent::Failed { .. } = event
        && let Some(url) = event.url()
    {
        state.fetching.remove(url);
    }
}

#[cfg(test)]
#[path = "feeds_tests.rs"]
mod tests;
