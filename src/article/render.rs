//! HTML → styled lines at a width, through html2text's rich output.

use html2text::render::RichAnnotation;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::sanitize;

/// Bodies longer than this are cut before rendering: html2text's cost grows
/// with size (and worse with nesting), and no article needs more.
pub const MAX_HTML_BYTES: usize = 1 << 20;

fn style_for(annotations: &[RichAnnotation]) -> Style {
    let mut style = Style::default();
    for a in annotations {
        style = match a {
            RichAnnotation::Strong => style.add_modifier(Modifier::BOLD),
            RichAnnotation::Emphasis => style.add_modifier(Modifier::ITALIC),
            RichAnnotation::Strikeout => style.add_modifier(Modifier::CROSSED_OUT),
            RichAnnotation::Link(_) => style.add_modifier(Modifier::UNDERLINED),
            RichAnnotation::Image(_) => style.add_modifier(Modifier::DIM),
            RichAnnotation::Code | RichAnnotation::Preformat(_) => style.add_modifier(Modifier::DIM),
            _ => style,
        };
    }
    style
}

/// Renders `html` wrapped to `width` columns. Never fails: unrenderable input
/// comes back as its text.
pub fn render(html: &str, _base: Option<&str>, width: u16) -> Vec<Line<'static>> {
    let mut cut = html.len().min(MAX_HTML_BYTES);
    while !html.is_char_boundary(cut) {
        cut -= 1;
    }
    let html = &html[..cut];
    let width = usize::from(width.max(10));
    let rendered = crate::panic::contained(|| {
        html2text::config::rich().allow_width_overflow().lines_from_read(html.as_bytes(), width)
    });
    let lines = match rendered {
        Some(Ok(lines)) => lines,
        failed => {
            tracing::warn!("html2text failed: {:?}", failed.map(|r| r.err()));
            return html.lines().map(|l| Line::raw(sanitize::line(l).into_owned())).collect();
        }
    };
    let mut out: Vec<Line<'static>> = Vec::with_capacity(lines.len());
    for tl in lines {
        let spans: Vec<Span<'static>> = tl
            .tagged_strings()
            .map(|ts| Span::styled(sanitize::text(&ts.s).into_owned(), style_for(&ts.tag)))
            .collect();
        let text: String = spans.iter().map(|s| s.content.as_ref()).collect();
        let mut line = Line::from(spans);
        // html2text marks headings with leading '#'s only.
        if text.starts_with('#') && text.trim_start_matches('#').starts_with(' ') {
            line = line.style(Style::default().add_modifier(Modifier::BOLD));
        }
        out.push(line);
    }
    // No runs of blank lines, none at the ends.
    out.dedup_by(|a, b| a.width() == 0 && b.width() == 0);
    while out.first().is_some_and(|l| l.width() == 0) {
        out.remove(0);
    }
    while out.last().is_some_and(|l| l.width() == 0) {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(lines: &[Line]) -> String {
        lines
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect::<String>())
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn paragraphs_wrap_to_width() {
        let lines = render("<p>one two three four five six seven eight nine ten</p>", None, 20);
        assert!(lines.len() >= 3);
        assert!(lines.iter().all(|l| l.width() <= 20));
    }

    #[test]
    fn emphasis_becomes_style() {
        let lines = render("<p>a <strong>bold</strong> and <em>it</em></p>", None, 40);
        let bold = lines[0].spans.iter().find(|s| s.content.contains("bold")).unwrap();
        assert!(bold.style.add_modifier.contains(Modifier::BOLD));
        let it = lines[0].spans.iter().find(|s| s.content.contains("it")).unwrap();
        assert!(it.style.add_modifier.contains(Modifier::ITALIC));
    }

    #[test]
    fn control_characters_never_survive() {
        let lines = render("<p>evil\u{1b}]0;title\u{7} &#27;[31m red &#x202e;rev</p>", None, 60);
        let t = text(&lines);
        assert!(!t.chars().any(super::sanitize::is_unsafe), "{t:?}");
    }

    #[test]
    fn scripts_and_styles_do_not_show() {
        let t = text(&render("<style>p{color:red}</style><script>alert(1)</script><p>kept</p>", None, 40));
        assert_eq!(t.trim(), "kept");
    }

    #[test]
    fn huge_input_is_cut_not_choked_on() {
        let big = "<p>word </p>".repeat(200_000);
        let lines = render(&big, None, 80);
        assert!(!lines.is_empty());
    }
}
