//! The `/` query's words, marked where they occur in list rows and the article.

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use crate::app::state::State;
use crate::query::words::{find_matches, highlight_words};

/// The words to mark: the shown view's query words (none for other views).
pub fn words(state: &State) -> Vec<String> {
    highlight_words(&state.shown)
}

/// The style of a match laid over its text's own: the theme's `match`
/// colours, and always reversed + underlined so it shows without colour too.
pub fn style(state: &State) -> Style {
    state.theme.style(crate::config::Role::Match).add_modifier(Modifier::UNDERLINED)
}

/// `spans` with every match of `words` split out and styled with `mark`.
pub fn spans<'a>(spans: Vec<Span<'a>>, words: &[String], mark: Style) -> Vec<Span<'a>> {
    if words.is_empty() {
        return spans;
    }
    let mut out = Vec::with_capacity(spans.len());
    for span in spans {
        let matches = find_matches(&span.content, words);
        if matches.is_empty() {
            out.push(span);
            continue;
        }
        let text = span.content.as_ref();
        let mut at = 0;
        for (start, end) in matches {
            if start > at {
                out.push(Span::styled(text[at..start].to_string(), span.style));
            }
            out.push(Span::styled(text[start..end].to_string(), span.style.patch(mark)));
            at = end;
        }
        if at < text.len() {
            out.push(Span::styled(text[at..].to_string(), span.style));
        }
    }
    out
}

/// A line with its matches marked (its own style kept).
pub fn line<'a>(line: Line<'a>, words: &[String], mark: Style) -> Line<'a> {
    if words.is_empty() {
        return line;
    }
    let Line { spans: s, style, alignment, .. } = line;
    let mut l = Line::from(spans(s, words, mark)).style(style);
    l.alignment = alignment;
    l
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_become_their_own_spans() {
        let mark = Style::default().add_modifier(Modifier::REVERSED);
        let out = spans(vec![Span::raw("A treaty and a Treaty.")], &["treaty".into()], mark);
        let texts: Vec<&str> = out.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(texts, ["A ", "treaty", " and a ", "Treaty", "."]);
        assert_eq!(out[1].style, mark);
        assert_eq!(out[0].style, Style::default());
    }
}
