//! The one gate for text from the network on its way to a terminal or stdout.
//!
//! It drops C0/C1 control characters (so no escape sequence, bell or carriage
//! return can act on the terminal), bidi overrides and isolates (which can make
//! text read backwards) and zero-width characters. Tabs become spaces.
//! The zero-width joiner and non-joiner stay: emoji sequences and scripts such
//! as Persian need them, and they cannot hide or reorder text.

use std::borrow::Cow;

/// True for characters that must never reach the terminal.
pub fn is_unsafe(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}'   // C0 (but \t, \n), DEL, C1
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'           // bidi embeddings, overrides, isolates
        | '\u{200b}' | '\u{200e}' | '\u{200f}' | '\u{2060}'..='\u{2064}' // zero-width space, LRM/RLM, word joiner, invisible operators
        | '\u{061c}' | '\u{feff}' | '\u{180e}' | '\u{fff9}'..='\u{fffb}')
}

/// Text for a single line (titles, feed names, authors): every unsafe
/// character removed, newlines and tabs turned into spaces, runs of
/// whitespace collapsed, ends trimmed.
pub fn line(s: &str) -> Cow<'_, str> {
    let clean = s.trim();
    let needs_work = clean.len() != s.len()
        || clean.chars().any(|c| is_unsafe(c) || (c.is_whitespace() && c != ' '))
        || clean.contains("  ");
    if !needs_work {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(clean.len());
    let mut space = false;
    for c in clean.chars().filter(|&c| !is_unsafe(c)) {
        if c.is_whitespace() {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Text that may span lines (article bodies): unsafe characters removed,
/// newlines kept, tabs turned into four spaces, the Unicode line and
/// paragraph separators (which terminals do not break on) into spaces.
pub fn text(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| is_unsafe(c) || matches!(c, '\t' | '\u{2028}' | '\u{2029}')) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\t' => out.push_str("    "),
            '\u{2028}' | '\u{2029}' => out.push(' '),
            c if is_unsafe(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(line("Putin & the \"Partnership\" <Treaty>"), Cow::Borrowed(_)));
        assert!(matches!(text("two\nlines"), Cow::Borrowed(_)));
    }

    #[test]
    fn escape_sequences_are_removed() {
        // An OSC that would set the window title, and one that would write the clipboard.
        assert_eq!(line("a\x1b]0;pwned\x07b"), "a]0;pwnedb");
        assert_eq!(line("x\x1b]52;c;ZXZpbA==\x07y"), "x]52;c;ZXZpbA==y");
        assert_eq!(line("red\x1b[31m!"), "red[31m!");
        assert_eq!(line("c1\u{9b}31m"), "c131m");
    }

    #[test]
    fn bidi_and_zero_width_are_removed() {
        assert_eq!(line("abc\u{202e}fed\u{202c}"), "abcfed");
        assert_eq!(line("a\u{2066}b\u{2069}c"), "abc");
        assert_eq!(line("zero\u{200b}width\u{feff}"), "zerowidth");
    }

    #[test]
    fn whitespace_is_collapsed_in_lines() {
        assert_eq!(line("  two\n  lines\r\n\tand tab "), "two lines and tab");
    }

    #[test]
    fn text_keeps_newlines() {
        assert_eq!(text("a\r\nb\tc\x08"), "a\nb    c");
        assert_eq!(text("a\u{2028}b\u{2029}c"), "a b c");
        assert_eq!(line("a\u{2028}b"), "a b");
    }

    #[test]
    fn world_text_survives() {
        for s in ["Zoë's café — 東京 — Москва", "مرحبا بالعالم", "👩‍👩‍👧 family"]
        {
            assert_eq!(line(s), s);
        }
    }
}
