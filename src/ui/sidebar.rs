//! The sidebar: All, Unread, tags with unread counts, failing feeds.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::text::fit;
use crate::app::state::{Focus, State};
use crate::article::sanitize;

pub fn draw(frame: &mut Frame, area: Rect, state: &State) {
    let block = super::pane_block(state, Focus::Sidebar, Line::from(" Tags "));
    let inner = super::inner(area);
    let width = inner.width as usize;
    let theme = state.theme;
    let focused = state.focus == Focus::Sidebar;
    let rows = inner.height as usize;
    let lines: Vec<Line> = state
        .sidebar
        .iter()
        .enumerate()
        .skip(state.sidebar_cursor.offset)
        .take(rows)
        .map(|(i, entry)| {
            let count = match (entry.count, entry.total) {
                (Some(c), Some(t)) => format!("{c}/{t}"),
                (Some(c), None) => c.to_string(),
                _ => String::new(),
            };
            let label_w = width.saturating_sub(count.len() + 1);
            let (label, style) = match &entry.error {
                Some(_) => (
                    format!("⚠ {}", failing_label(&sanitize::line(&entry.label), label_w.saturating_sub(2))),
                    theme.error(),
                ),
                None => (sanitize::line(&entry.label).into_owned(), Default::default()),
            };
            let mut line = Line::from(vec![
                Span::styled(fit(&label, label_w), style),
                Span::raw(" "),
                Span::styled(count, theme.dim()),
            ]);
            if i == state.sidebar_cursor.sel {
                line = line.style(theme.selected(focused));
            }
            line
        })
        .collect();
    frame.render_widget(Paragraph::new(lines).block(block), area);
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
