//! The sidebar: All, Unread, tags with unread counts, then the Feeds
//! section (each feed's unread count and health), or failing feeds alone.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::text::fit;
use crate::app::state::{EntryKind, Focus, SidebarEntry, State};
use crate::article::sanitize;
use crate::model::View;
use ratatui::style::Style;

pub fn draw(frame: &mut Frame, area: Rect, state: &State) {
    draw_with(frame, area, state, &mut super::cache::Cache::default());
}

/// Draws the sidebar, taking the lines that show what they showed in the
/// last frames from `cache` (#10 keys).
pub fn draw_with(frame: &mut Frame, area: Rect, state: &State, cache: &mut super::cache::Cache) {
    let inner = super::inner(area);
    let focused = state.focus == Focus::Sidebar;
    let rows = inner.height as usize;
    super::draw_pane_block(frame, cache, state, Focus::Sidebar, area, " Tags ".into(), None);
    cache.sidebar.begin(super::cache::SidebarFrame { width: inner.width, focused, theme: state.theme });
    let buf = frame.buffer_mut();
    let visible = state.sidebar.iter().enumerate().skip(state.sidebar_cursor.offset).take(rows);
    for (line, (i, entry)) in visible.enumerate() {
        let selected = i == state.sidebar_cursor.sel;
        let fetching = matches!(&entry.view, View::Feed(url) if state.fetching.contains(url));
        cache.sidebar.draw(
            buf,
            inner.x,
            inner.y + line as u16,
            inner.width,
            &i,
            |k| k.selected == selected && k.fetching == fetching && k.entry == *entry,
            || super::cache::SidebarLine { entry: entry.clone(), selected, fetching },
            || entry_line(state, entry, selected, inner.width as usize),
        );
    }
}

/// One line of the sidebar: its label (fitted) and its count.
fn entry_line(state: &State, entry: &SidebarEntry, selected: bool, width: usize) -> Line<'static> {
    let theme = state.theme;
    let count = match (entry.count, entry.total) {
        (Some(c), Some(t)) => format!("{c}/{t}"),
        (Some(c), None) => c.to_string(),
        _ => String::new(),
    };
    let label_w = width.saturating_sub(count.len() + 1);
    // — #13 feeds view — the Feeds section's lines are indented, with a mark.
    let (indent, mark, mark_style) = feed_line(state, entry);
    let room = label_w.saturating_sub(indent.len() + mark.chars().count());
    let (label, style) = match &entry.error {
        Some(_) => (
            format!(
                "{indent}⚠ {}",
                failing_label(&sanitize::line(&entry.label), label_w.saturating_sub(indent.len() + 2))
            ),
            theme.error(),
        ),
        None if !mark.is_empty() => (format!("{indent}{mark}{}", fit(&sanitize::line(&entry.label), room)), mark_style),
        None => (format!("{indent}{}", sanitize::line(&entry.label)), mark_style),
    };
    let line =
        Line::from(vec![Span::styled(fit(&label, label_w), style), Span::raw(" "), Span::styled(count, theme.dim())]);
    if selected { line.style(theme.selected(state.focus == Focus::Sidebar)) } else { line }
}

// — #13 feeds view —
/// How a line of the Feeds section starts: its indent, its mark (`▾`/`▸` on
/// the header, `↻` on a feed being fetched) and the style of its label.
fn feed_line(state: &State, entry: &SidebarEntry) -> (&'static str, &'static str, Style) {
    let theme = state.theme;
    match entry.kind {
        EntryKind::View => ("", "", Style::default()),
        EntryKind::Section { collapsed } => ("", if collapsed { "▸ " } else { "▾ " }, theme.accent()),
        EntryKind::Group => (" ", "", theme.accent()),
        EntryKind::Feed { indent } => {
            let indent = if indent { "   " } else { " " };
            let fetching = matches!(&entry.view, View::Feed(url) if state.fetching.contains(url));
            (indent, if fetching { "↻ " } else { "" }, Style::default())
        }
    }
}

/// A failing feed with no title is known by its URL: drop the scheme and, when
/// it is too long, keep its end (the path tells feeds of one site apart).
fn failing_label(label: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    let Some((_, rest)) = label.split_once("://").filter(|(s, _)| matches!(*s, "http" | "https" | "file")) else {
        return label.to_string();
    };
    if rest.width() <= width || width < 2 {
        return rest.to_string();
    }
    let mut tail: Vec<char> = Vec::new();
    let mut used = 1;
    for c in rest.chars().rev() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > width {
            break;
        }
        used += w;
        tail.push(c);
    }
    std::iter::once('…').chain(tail.into_iter().rev()).collect()
}

#[cfg(test)]
mod tests {
    use super::failing_label;

    #[test]
    fn url_labels_keep_their_end() {
        assert_eq!(failing_label("https://a.example/rss", 30), "a.example/rss");
        assert_eq!(failing_label("http://127.0.0.1:33801/junk.bin", 18), "….1:33801/junk.bin");
        assert_eq!(failing_label("Harbour Gazette", 5), "Harbour Gazette", "titles are fitted by the caller");
    }
}
