//! The item list: only the visible rows are built.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use unicode_width::UnicodeWidthStr;

use super::text::{Age, age_of, fit};
use crate::app::action::Action;
use crate::app::state::{Focus, State};
use crate::article::sanitize;
use crate::model::View;

/// The list's title: what it shows.
pub fn title(view: &View, state: &State) -> String {
    let name = match view {
        View::All => "All".to_string(),
        View::Unread => "Unread".to_string(),
        View::Tag(t) => format!("#{t}"),
        View::Feed(url) => state
            .sidebar
            .iter()
            .find(|e| &e.view == view)
            .map(|e| sanitize::line(&e.label).into_owned())
            .unwrap_or_else(|| url.clone()),
        View::Saved => "Reading list".to_string(),
        // A saved query by its name; a typed one as written, with how many items it matched.
        View::Query(q) => match state.sidebar.iter().find(|e| &e.view == view) {
            Some(e) => sanitize::line(&e.label).into_owned(),
            None => {
                // The count comes after the first rows.
                let total = state.window.total.map_or_else(|| "…".to_string(), |n| n.to_string());
                return format!(" Items ({}) · {total} {}", sanitize::line(q.trim()), sort_suffix(state));
            }
        },
    };
    format!(" Items ({name}) {}", sort_suffix(state))
}

// — #13 feeds view —
/// The list's order for its title, unless it is the usual one (date).
fn sort_suffix(state: &State) -> String {
    match state.sort {
        crate::config::SortOrder::Date => String::new(),
        sort => format!("· by {} ", sort.name()),
    }
}

/// Column widths of a row (title, feed, age) for a list `width` wide: the
/// title gets the room. The age column is as wide as the widest age shown
/// ("5m", "3h", "2w"); the feed name is shortened first — to what the
/// longest name needs, at most a fifth of the row, and down to 6 columns
/// (or nothing) when the row is narrow — before the title is.
pub fn columns(width: usize, longest_feed: Option<usize>, ages: &[String]) -> (usize, usize, usize) {
    columns_for(width, longest_feed, ages.iter().map(|a| a.width()).max().unwrap_or(0))
}

/// `columns`, for ages at most `age_w` wide.
fn columns_for(width: usize, longest_feed: Option<usize>, age_w: usize) -> (usize, usize, usize) {
    const MARKER: usize = 2;
    let room = width.saturating_sub(MARKER + 1 + age_w);
    let mut feed_w = longest_feed.unwrap_or(0).min((width / 5).max(6)).min(16);
    // A title needs some room before the feed name does.
    if room.saturating_sub(feed_w + 1) < 20 {
        feed_w = feed_w.min(room.saturating_sub(21)).max(6.min(room / 4));
    }
    if feed_w < 4 {
        feed_w = 0;
    }
    let title_w = room.saturating_sub(if feed_w > 0 { feed_w + 1 } else { 0 });
    (title_w, feed_w, age_w)
}

/// What an empty list says: why it is empty and what to do about it.
pub fn empty_message(state: &State) -> Vec<String> {
    let refresh = state.keymap.keys_for(Action::Refresh).first().map(ToString::to_string);
    let again = refresh.as_ref().map_or_else(String::new, |k| format!(" {k} tries again."));
    if !state.loaded {
        vec!["Loading…".into()]
    } else if matches!(state.shown, View::Query(_)) {
        vec!["No items match.".into()]
    } else if let Some(sync) = state.sync.as_ref().filter(|_| state.shown == View::All) {
        match &sync.error {
            Some(e) => vec![format!("No items yet: the sync failed ({}).{again}", sanitize::line(e))],
            None => vec!["No items yet — syncing with the server…".into()],
        }
    } else if state.feed_count == 0 && state.shown == View::All {
        vec![
            "No feeds yet.".into(),
            "Add one with `tidings feeds add URL` (a feed, or a site that links to one) or `tidings import FILE` (OPML or a newsboat urls file), then start tidings again.".into(),
        ]
    } else if state.progress.total > 0 {
        vec!["No items yet — fetching feeds…".into()]
    } else if let Some(batch) = state.last_batch.as_ref().filter(|b| b.failed > 0 && b.failed == b.done) {
        let (url, error) = batch.first_error.clone().unwrap_or_default();
        vec![
            format!("Every feed failed to fetch ({}).{again}", batch.failed),
            format!("First: {} — {}", sanitize::line(&url), sanitize::line(&error)),
        ]
    } else {
        match refresh {
            Some(k) => vec![format!("Nothing here. {k} fetches the feeds.")],
            None => vec!["Nothing here.".into()],
        }
    }
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State) {
    draw_with(frame, area, state, &mut super::cache::Cache::default());
}

/// Draws the list, taking the rows that show what they showed in the last
/// frames from `cache` (#10 keys).
pub fn draw_with(frame: &mut Frame, area: Rect, state: &State, cache: &mut super::cache::Cache) {
    let title = title(&state.shown, state);
    let inner = super::inner(area);
    let theme = state.theme;
    let rows = inner.height as usize;
    if state.items.is_empty() {
        let lines: Vec<Line> = empty_message(state)
            .iter()
            .flat_map(|m| super::text::wrap(m, inner.width as usize))
            .map(|l| super::hint_line(&l, theme.dim()))
            .collect();
        let block = super::pane_block(state, Focus::List, Line::from(title));
        frame.render_widget(Paragraph::new(lines).block(block), area);
        return;
    }
    let width = inner.width as usize;
    let visible = || state.items.iter().skip(state.list.offset).take(rows);
    let ages: Vec<Option<Age>> = visible().map(|r| r.date.map(|d| age_of(state.now, d))).collect();
    if cache.feed_widths.len() > MAX_FEED_WIDTHS {
        cache.feed_widths.clear();
    }
    let mut longest_feed = None;
    for row in visible() {
        let w = match cache.feed_widths.get(&row.feed) {
            Some(w) => *w,
            None => {
                let w = sanitize::line(&row.feed).width();
                cache.feed_widths.insert(row.feed.clone(), w);
                w
            }
        };
        longest_feed = longest_feed.max(Some(w));
    }
    let age_w = ages.iter().flatten().map(|a| a.width()).max().unwrap_or(0);
    let columns = columns_for(width, longest_feed, age_w);
    let focused = state.focus == Focus::List;
    let words = super::highlight::words(state);
    super::draw_pane_block(frame, cache, state, Focus::List, area, title, None);
    cache.list.begin(super::cache::ListFrame { width: inner.width, columns, focused, theme, words: words.clone() });
    let buf = frame.buffer_mut();
    for (i, row) in visible().enumerate() {
        let selected = state.list.offset + i == state.list.sel;
        let when = ages[i];
        cache.list.draw(
            buf,
            inner.x,
            inner.y + i as u16,
            inner.width,
            &row.id,
            |k| k.selected == selected && k.age == when && k.row == *row,
            || super::cache::ListRow { row: row.clone(), age: when, selected },
            || row_line(state, row, when, selected, columns, &words),
        );
    }
}

/// Feed names whose widths are kept (more are measured again).
const MAX_FEED_WIDTHS: usize = 10_000;

/// One row of the list: marker, title (with its story's prefix or badge),
/// feed name and age, in columns of the widths given.
fn row_line(
    state: &State,
    row: &crate::model::ItemRow,
    when: Option<Age>,
    selected: bool,
    (title_w, feed_w, age_w): (usize, usize, usize),
    words: &[String],
) -> Line<'static> {
    let theme = state.theme;
    let mark = super::highlight::style(state);
    let (marker, marker_style) = match (row.saved, row.read) {
        (true, _) => ("★ ", theme.saved()),
        (false, false) => ("● ", theme.accent()),
        (false, true) => ("  ", theme.read()),
    };
    let title_style = if row.read { theme.read() } else { theme.unread() };
    let mut spans = vec![Span::styled(marker, marker_style)];
    // #15: a folded story's badge after its title; an unfolded one's items indented.
    let (prefix, badge) = story_parts(row, title_w);
    let badge_w = badge.as_ref().map_or(0, |b| b.width() + 1);
    let text_w = title_w.saturating_sub(badge_w + prefix.width());
    if !prefix.is_empty() {
        spans.push(Span::styled(fit(prefix, prefix.width().min(title_w)), theme.dim()));
    }
    let title = Span::styled(fit(&sanitize::line(&row.title), text_w), title_style);
    spans.extend(super::highlight::spans(vec![title], words, mark));
    if let Some(badge) = badge {
        spans.push(Span::raw(" "));
        spans.push(Span::styled(badge, theme.accent()));
    }
    if feed_w > 0 {
        spans.push(Span::raw(" "));
        spans.push(Span::styled(fit(&sanitize::line(&row.feed), feed_w), theme.dim()));
    }
    spans.push(Span::raw(" "));
    let when = when.map(|a| a.to_string()).unwrap_or_default();
    spans.push(Span::styled(format!("{when:>age_w$}"), theme.dim()));
    let line = Line::from(spans);
    if selected { line.style(theme.selected(state.focus == Focus::List)) } else { line }
}

// — #15 stories —
/// A row's place in a story as drawn: a prefix before the title (an
/// unfolded story's `▾`, its items' `└`) and a folded story's badge
/// (`+2 Beta·Gamma`: how many more items, their outlets), at most half the
/// title's room.
fn story_parts(row: &crate::model::ItemRow, title_w: usize) -> (&'static str, Option<String>) {
    use crate::model::Fold;
    match &row.fold {
        Fold::Alone => ("", None),
        Fold::Unfolded { .. } => ("▾ ", None),
        Fold::Member { .. } => ("  └ ", None),
        Fold::Folded { others, .. } => {
            let mut names: Vec<String> = Vec::new();
            for o in others {
                let name = sanitize::line(o).into_owned();
                if !names.contains(&name) {
                    names.push(name);
                }
            }
            let badge = format!("+{} {}", others.len(), names.join("·"));
            let room = (title_w / 2).max(3);
            let count = format!("+{}", others.len());
            let badge =
                if badge.width() <= room { badge } else { super::text::truncate(&badge, room.max(count.width())) };
            ("", Some(badge))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::columns;

    fn ages(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_title_gets_the_room() {
        // 160 columns wide: the list's inside is 66 columns.
        let (title, feed, age) = columns(66, Some(22), &ages(&["5m", "3h", "2d"]));
        assert_eq!((feed, age), (13, 2));
        assert_eq!(title, 66 - 2 - 1 - 13 - 1 - 2);
        assert!(title >= 45, "{title}");
        // Short feed names take only their own width.
        assert_eq!(columns(66, Some(5), &ages(&["now"])).1, 5);
        // Narrow lists shorten the feed name before the title.
        let (title, feed, _) = columns(34, Some(22), &ages(&["5m"]));
        assert!(title >= 20 && feed <= 8, "{title} {feed}");
        let (title, feed, _) = columns(20, Some(22), &ages(&["5m"]));
        assert_eq!((title, feed), (15, 0));
    }
}
