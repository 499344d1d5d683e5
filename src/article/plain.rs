//! HTML → plain words, for the search index: tags and scripts dropped,
//! entities decoded, whitespace collapsed. Fast (html5ever's tokenizer only,
//! no tree), because every stored item passes through it.

use std::cell::{Cell, RefCell};

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer};

/// At most this much HTML per item is indexed; a larger body is cut (at a
/// character boundary) rather than slowing every fetch.
pub const MAX_INPUT: usize = 1 << 20;

/// Tags that sit inside a word as often as between words: no space for them.
const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "code", "em", "i", "kbd", "mark", "q", "s", "small", "span", "strong", "sub",
    "sup", "u",
];

struct Sink {
    out: RefCell<String>,
    /// Inside <script> / <style>: their text is not words.
    skipping: Cell<bool>,
}

impl Sink {
    fn space(&self) {
        let mut out = self.out.borrow_mut();
        if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
    }

    fn text(&self, t: &str) {
        let mut out = self.out.borrow_mut();
        for c in t.chars() {
            if c.is_whitespace() {
                if !out.is_empty() && !out.ends_with(' ') {
                    out.push(' ');
                }
            } else {
                out.push(c);
            }
        }
    }
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        match token {
            Token::CharacterTokens(t) if !self.skipping.get() => self.text(&t),
            Token::TagToken(tag) => {
                let name: &str = &tag.name;
                match (tag.kind, name) {
                    (TagKind::StartTag, "script") if !tag.self_closing => {
                        self.skipping.set(true);
                        return TokenSinkResult::RawData(RawKind::ScriptData);
                    }
                    (TagKind::StartTag, "style") if !tag.self_closing => {
                        self.skipping.set(true);
                        return TokenSinkResult::RawData(RawKind::Rawtext);
                    }
                    (TagKind::EndTag, "script" | "style") => {
                        self.skipping.set(false);
                        self.space();
                    }
                    (_, name) if INLINE.contains(&name) => {}
                    _ => self.space(),
                }
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// The words of an HTML fragment (or of plain text, which passes unchanged
/// but for whitespace), separated by single spaces.
pub fn words(html: &str) -> String {
    let mut end = html.len().min(MAX_INPUT);
    while !html.is_char_boundary(end) {
        end -= 1;
    }
    let sink = Sink { out: RefCell::new(String::with_capacity(end / 2)), skipping: Cell::new(false) };
    let tokenizer = Tokenizer::new(sink, Default::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(&html[..end]));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let mut out = tokenizer.sink.out.take();
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// What the search index holds as an item's body: the words of each
/// present part (summary, content), one line each. The store's
/// `tidings_plain` SQL function and the feed parser both compute it here, so
/// they agree.
pub fn index_body<'a>(parts: impl IntoIterator<Item = Option<&'a str>>) -> String {
    let mut out = String::new();
    for part in parts.into_iter().flatten() {
        let words = words(part);
        if !words.is_empty() {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&words);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_go_entities_decode_blocks_separate() {
        assert_eq!(
            words("<p>Putin lands in <b>Pyong</b>yang&nbsp;&amp; caf&eacute;</p><p>Second&#8212;para</p>"),
            "Putin lands in Pyongyang & café Second—para"
        );
    }

    #[test]
    fn scripts_styles_and_comments_are_not_words() {
        let html = "<style>p{color:red}</style>a<script>var secret = 1;</script> b <!-- hidden -->c";
        assert_eq!(words(html), "a b c");
        // A comment inside a word does not split it (as in a browser).
        assert_eq!(words("wo<!-- x -->rd"), "word");
    }

    #[test]
    fn plain_text_and_broken_html_survive() {
        assert_eq!(words("AT&T  said\n\tno"), "AT&T said no");
        assert_eq!(words("<p>unclosed <b>bold"), "unclosed bold");
        assert_eq!(words("a < b > c"), "a < b > c");
        assert_eq!(words(""), "");
    }

    #[test]
    fn huge_input_is_cut_at_a_char_boundary() {
        let html = "é".repeat(MAX_INPUT);
        assert!(words(&html).len() <= MAX_INPUT);
    }
}
