//! The one gate for text from the network on its way to a terminal or stdout.
//!
//! Two passes, one rule for every output:
//! 1. Whole escape sequences go, not just their ESC byte: CSI (`ESC [` …
//!    final), OSC (`ESC ]` … BEL/ST), DCS, SOS, PM and APC strings, SS2/SS3
//!    and the other two- and three-byte escapes, and the same in their 8-bit
//!    C1 forms (U+009B, U+009D, …). `Evil \e[31mRED\e[0m` becomes `Evil RED`.
//! 2. Then every character that could act on the terminal or hide text:
//!    C0/C1 controls (but newlines in bodies), bidi embeddings, overrides,
//!    isolates and marks, and every default-ignorable or invisible code point
//!    (zero-width space, soft hyphen, U+034F, the Hangul fillers, variation
//!    selectors, tag characters …). Tabs become spaces.
//!
//! The zero-width joiner stays only where terminals and `unicode-width` (what
//! ratatui lays cells out by) agree on the result: between two wide emoji
//! (`👩‍👩‍👧` is two cells for both). Anywhere else a terminal may glue the next
//! character onto the previous cell (`x‍日` is one cell in tmux, three for
//! unicode-width), shifting the rest of the row and leaving stale cells.
//! For the same reason emoji skin-tone modifiers after an emoji go (tmux
//! draws them as two more cells, unicode-width as none).

use std::borrow::Cow;

const ZWJ: char = '\u{200d}';

/// True for characters that must never reach the terminal. The zero-width
/// joiner is not among them: `line` and `text` keep it inside emoji
/// sequences only (see the module comment).
pub fn is_unsafe(c: char) -> bool {
    is_control(c) || is_invisible(c)
}

/// C0 (but tab and newline), DEL and C1.
fn is_control(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
}

/// Bidi controls and every default-ignorable or otherwise invisible code
/// point (Unicode's Default_Ignorable_Code_Point, plus the invisible format
/// characters outside it), except the zero-width joiner.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{ad}'                                // soft hyphen (tmux draws a cell, unicode-width none)
        | '\u{34f}'                             // combining grapheme joiner
        | '\u{61c}'                             // Arabic letter mark
        | '\u{115f}' | '\u{1160}' | '\u{3164}' | '\u{ffa0}' // Hangul fillers (blank, yet wide in terminals)
        | '\u{17b4}' | '\u{17b5}'               // Khmer inherent vowels
        | '\u{180b}'..='\u{180f}'               // Mongolian variation selectors, vowel separator
        | '\u{200b}' | '\u{200c}' | '\u{200e}' | '\u{200f}' // zero-width space, non-joiner, LRM, RLM
        | '\u{202a}'..='\u{202e}'               // bidi embeddings and overrides
        | '\u{2060}'..='\u{206f}'               // word joiner, invisible operators, isolates, deprecated formats
        | '\u{fe00}'..='\u{fe0f}'               // variation selectors
        | '\u{feff}'                            // zero-width no-break space (BOM)
        | '\u{fff0}'..='\u{fffb}'               // unassigned specials, interlinear annotation
        | '\u{13430}'..='\u{1343f}'             // Egyptian hieroglyph format controls
        | '\u{1bca0}'..='\u{1bca3}'             // shorthand format controls
        | '\u{1d173}'..='\u{1d17a}'             // musical symbol formats
        | '\u{e0000}'..='\u{e0fff}'             // tag characters, variation selectors supplement
    )
}

/// A pictograph terminals and unicode-width both draw two cells wide: the
/// only thing a zero-width joiner may join.
fn is_wide_pictograph(c: char) -> bool {
    matches!(c, '\u{1f000}'..='\u{1faff}' | '\u{2600}'..='\u{27bf}' | '\u{2b00}'..='\u{2bff}')
        && unicode_width::UnicodeWidthChar::width(c) == Some(2)
        && !matches!(c, '\u{1f3fb}'..='\u{1f3ff}' | '\u{1f1e6}'..='\u{1f1ff}')
}

fn is_skin_tone(c: char) -> bool {
    matches!(c, '\u{1f3fb}'..='\u{1f3ff}')
}

/// Where the escape-sequence scanner is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scan {
    /// Plain text.
    Text,
    /// After ESC.
    Start,
    /// After ESC and intermediates (0x20–0x2F), waiting for the final byte.
    Intermediate,
    /// Inside a CSI (parameters and intermediates until a final 0x40–0x7E).
    Csi,
    /// Inside an OSC/DCS/SOS/PM/APC string, until BEL or ST.
    Str,
    /// ESC inside a string: `\` ends it (ST), anything else starts a new escape.
    StrEsc,
    /// SS2/SS3: the next character is part of the sequence.
    Single,
}

/// Removes whole escape sequences (7- and 8-bit), leaving the text around them.
/// Other control characters are left for the character pass.
fn strip_sequences(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| c == '\u{1b}' || ('\u{80}'..='\u{9f}').contains(&c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut state = Scan::Text;
    for c in s.chars() {
        state = step(state, c, &mut out);
    }
    Cow::Owned(out)
}

fn step(state: Scan, c: char, out: &mut String) -> Scan {
    // CAN and SUB abort any sequence; a newline ends one too, so an
    // unterminated string cannot swallow the rest of an article.
    if state != Scan::Text && matches!(c, '\u{18}' | '\u{1a}') {
        return Scan::Text;
    }
    if state != Scan::Text && c == '\n' {
        out.push('\n');
        return Scan::Text;
    }
    match state {
        Scan::Text => match c {
            '\u{1b}' => Scan::Start,
            '\u{9b}' => Scan::Csi,
            '\u{90}' | '\u{98}' | '\u{9d}' | '\u{9e}' | '\u{9f}' => Scan::Str,
            '\u{8e}' | '\u{8f}' => Scan::Single,
            c => {
                out.push(c);
                Scan::Text
            }
        },
        Scan::Start => match c {
            '[' => Scan::Csi,
            ']' | 'P' | 'X' | '^' | '_' => Scan::Str,
            'N' | 'O' => Scan::Single,
            '\u{20}'..='\u{2f}' => Scan::Intermediate,
            '\u{30}'..='\u{7e}' => Scan::Text,
            // Not a sequence after all: the ESC goes, the character is text.
            c => step(Scan::Text, c, out),
        },
        Scan::Intermediate => match c {
            '\u{20}'..='\u{2f}' => Scan::Intermediate,
            '\u{30}'..='\u{7e}' => Scan::Text,
            c => step(Scan::Text, c, out),
        },
        Scan::Csi => match c {
            '\u{20}'..='\u{3f}' => Scan::Csi,
            '\u{40}'..='\u{7e}' => Scan::Text,
            c => step(Scan::Text, c, out),
        },
        Scan::Str => match c {
            '\u{7}' | '\u{9c}' => Scan::Text,
            '\u{1b}' => Scan::StrEsc,
            _ => Scan::Str,
        },
        Scan::StrEsc => match c {
            '\\' => Scan::Text,
            c => step(Scan::Start, c, out),
        },
        Scan::Single => Scan::Text,
    }
}

/// Hands `push` the characters of `s` that may be shown (whitespace is the
/// caller's business): zero-width joiners only between wide emoji, skin
/// tones only where they stand alone.
fn filter_chars(s: &str, mut push: impl FnMut(char)) {
    let mut prev: Option<char> = None;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let keep = match c {
            ZWJ => prev.is_some_and(is_wide_pictograph) && chars.peek().is_some_and(|&n| is_wide_pictograph(n)),
            c if is_skin_tone(c) => !prev.is_some_and(is_wide_pictograph),
            c => !is_unsafe(c) || c == '\t' || c == '\n' || c == '\r',
        };
        if keep {
            push(c);
            prev = Some(c);
        }
    }
}

/// True when `s` has nothing for either pass to do.
fn is_clean(s: &str) -> bool {
    let mut prev: Option<char> = None;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let bad = match c {
            ZWJ => !(prev.is_some_and(is_wide_pictograph) && chars.peek().is_some_and(|&n| is_wide_pictograph(n))),
            c if is_skin_tone(c) => prev.is_some_and(is_wide_pictograph),
            c => is_unsafe(c) && c != '\n',
        };
        if bad {
            return false;
        }
        prev = Some(c);
    }
    true
}

/// The first thing in `s` that `line`/`text` would have removed (for tests
/// and checks): a control or invisible character, or a misplaced joiner.
pub fn first_unsafe(s: &str) -> Option<char> {
    let mut prev: Option<char> = None;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let bad = match c {
            '\t' => true,
            ZWJ => !(prev.is_some_and(is_wide_pictograph) && chars.peek().is_some_and(|&n| is_wide_pictograph(n))),
            c if is_skin_tone(c) => prev.is_some_and(is_wide_pictograph),
            c => is_unsafe(c) && c != '\n',
        };
        if bad {
            return Some(c);
        }
        prev = Some(c);
    }
    None
}

/// Text for a single line (titles, feed names, authors): escape sequences
/// and unsafe characters removed, newlines and tabs turned into spaces, runs
/// of whitespace collapsed, ends trimmed.
pub fn line(s: &str) -> Cow<'_, str> {
    let clean = s.trim();
    let needs_work = clean.len() != s.len()
        || !is_clean(clean)
        || clean.chars().any(|c| c.is_whitespace() && c != ' ')
        || clean.contains("  ");
    if !needs_work {
        return Cow::Borrowed(s);
    }
    let stripped = strip_sequences(clean);
    let mut out = String::with_capacity(stripped.len());
    let mut space = false;
    filter_chars(&stripped, |c| {
        if c.is_whitespace() {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    });
    Cow::Owned(out)
}

/// Text that may span lines (article bodies): escape sequences and unsafe
/// characters removed, newlines kept (carriage returns dropped), tabs
/// turned into four spaces, the Unicode line and paragraph separators
/// (which terminals do not break on) into spaces.
pub fn text(s: &str) -> Cow<'_, str> {
    if is_clean(s) && !s.contains(['\t', '\u{2028}', '\u{2029}']) {
        return Cow::Borrowed(s);
    }
    let stripped = strip_sequences(s);
    let mut out = String::with_capacity(stripped.len());
    filter_chars(&stripped, |c| match c {
        '\t' => out.push_str("    "),
        '\u{2028}' | '\u{2029}' => out.push(' '),
        '\r' => {}
        c => out.push(c),
    });
    Cow::Owned(out)
}

/// An author as a reader wants to see it: the name, not the mail address
/// RSS puts first (`jane@example.com (Jane Doe)` → `Jane Doe`; also
/// `Jane Doe <jane@example.com>`), cleaned like any `line`.
pub fn author(s: &str) -> Cow<'_, str> {
    let clean = line(s);
    let t = clean.trim();
    if let Some(open) = t.find(" (")
        && t.ends_with(')')
        && t[..open].contains('@')
        && !t[..open].contains(' ')
    {
        let name = t[open + 2..t.len() - 1].trim();
        if !name.is_empty() {
            return Cow::Owned(name.to_string());
        }
    }
    if let Some(open) = t.rfind(" <")
        && t.ends_with('>')
        && t[open..].contains('@')
    {
        let name = t[..open].trim().trim_matches('"');
        if !name.is_empty() {
            return Cow::Owned(name.to_string());
        }
    }
    clean
}

/// HTML on its way to the renderer: numeric character references to
/// control characters (`&#27;`, `&#x9b;`) are decoded first, so that the
/// sequences they start are removed whole like raw ones; then `text`.
pub fn html(s: &str) -> Cow<'_, str> {
    if !s.contains("&#") {
        return text(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find("&#") {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        match control_reference(rest) {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push_str("&#");
                rest = &rest[2..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(text(&out).into_owned())
}

/// `&#27;`, `&#x1B;` (the `;` optional): the control character and the
/// reference's length, when it names one.
fn control_reference(s: &str) -> Option<(char, usize)> {
    let body = &s[2..];
    let (hex, digits_from) = match body.as_bytes().first() {
        Some(b'x' | b'X') => (true, 3),
        _ => (false, 2),
    };
    let digits = s[digits_from..].bytes().take_while(|b| if hex { b.is_ascii_hexdigit() } else { b.is_ascii_digit() });
    let n = digits.count();
    if n == 0 || n > 8 {
        return None;
    }
    let value = u32::from_str_radix(&s[digits_from..digits_from + n], if hex { 16 } else { 10 }).ok()?;
    let c = char::from_u32(value).filter(|&c| is_control(c))?;
    let end = digits_from + n;
    Some((c, if s[end..].starts_with(';') { end + 1 } else { end }))
}

#[cfg(test)]
mod tests;
