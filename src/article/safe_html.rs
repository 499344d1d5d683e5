//! HTML from a feed → HTML that is safe to open in a browser: a whitelist
//! of text elements (paragraphs, headings, emphasis, lists, quotes, code,
//! tables, links), every attribute dropped but a link's `href` (web and mail
//! links only, made absolute), no scripts, styles, frames, forms or media,
//! images as `[image: alt]` (nothing is loaded from elsewhere), text escaped
//! and cleaned like every other output. Unclosed elements are closed.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer};

use super::{links, sanitize};

/// Elements kept as they are (without attributes).
const KEPT: &[&str] = &[
    "p",
    "em",
    "i",
    "strong",
    "b",
    "u",
    "s",
    "del",
    "ins",
    "sub",
    "sup",
    "small",
    "mark",
    "q",
    "cite",
    "abbr",
    "code",
    "kbd",
    "samp",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "caption",
    "figure",
    "figcaption",
];

/// Elements whose content goes with them.
const DROPPED: &[&str] = &[
    "script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math", "form", "select",
    "textarea", "button", "video", "audio", "canvas", "head", "title",
];

struct Sink {
    base: Option<url::Url>,
    out: RefCell<String>,
    open: RefCell<Vec<String>>,
    /// Inside a dropped element: its name and nesting.
    skipping: RefCell<Option<(String, usize)>>,
}

impl Sink {
    fn text(&self, t: &str) {
        let clean = sanitize::text(t);
        let mut out = self.out.borrow_mut();
        for c in clean.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                c => out.push(c),
            }
        }
    }

    fn attr<'a>(tag: &'a Tag, name: &str) -> Option<&'a str> {
        tag.attrs.iter().find(|a| &*a.name.local == name).map(|a| &*a.value)
    }

    fn start(&self, tag: &Tag) -> TokenSinkResult<()> {
        let name: &str = &tag.name;
        if DROPPED.contains(&name) {
            if !tag.self_closing {
                *self.skipping.borrow_mut() = Some((name.to_string(), 1));
                return match name {
                    "script" => TokenSinkResult::RawData(RawKind::ScriptData),
                    "style" | "iframe" | "noscript" | "textarea" | "title" => {
                        TokenSinkResult::RawData(RawKind::Rawtext)
                    }
                    _ => TokenSinkResult::Continue,
                };
            }
            return TokenSinkResult::Continue;
        }
        match name {
            "br" | "hr" => self.out.borrow_mut().push_str(&format!("<{name}>")),
            "img" => {
                let alt = Self::attr(tag, "alt").map(sanitize::line).unwrap_or_default();
                let label = if alt.is_empty() { "[image]".to_string() } else { format!("[image: {alt}]") };
                self.out.borrow_mut().push_str("<span class=\"image\">");
                self.text(&label);
                self.out.borrow_mut().push_str("</span>");
            }
            "a" => {
                let href = Self::attr(tag, "href").and_then(|h| links::resolve(self.base.as_ref(), h));
                let mut out = self.out.borrow_mut();
                match href {
                    Some(h) => out.push_str(&format!("<a href=\"{}\" rel=\"noopener noreferrer\">", escape_attr(&h))),
                    None => out.push_str("<a>"),
                }
                self.open.borrow_mut().push("a".into());
            }
            h if h.len() == 2 && h.starts_with('h') && h.as_bytes()[1].is_ascii_digit() => {
                // The page's own headings are h1 (the list) and h2 (each entry): the article's go below.
                let level = (h.as_bytes()[1] - b'0').clamp(1, 6).saturating_add(2).min(6);
                let tag = format!("h{level}");
                self.out.borrow_mut().push_str(&format!("<{tag}>"));
                self.open.borrow_mut().push(tag);
            }
            n if KEPT.contains(&n) && !tag.self_closing => {
                // Elements whose end tag may be left out end where the next one starts.
                if matches!(n, "li" | "dt" | "dd" | "p" | "tr" | "td" | "th")
                    && self.open.borrow().last().is_some_and(|o| o == n)
                {
                    self.open.borrow_mut().pop();
                    self.out.borrow_mut().push_str(&format!("</{n}>"));
                }
                self.out.borrow_mut().push_str(&format!("<{n}>"));
                self.open.borrow_mut().push(n.to_string());
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }

    fn end(&self, tag: &Tag) {
        let name: &str = &tag.name;
        let name = match name {
            h if h.len() == 2 && h.starts_with('h') && h.as_bytes()[1].is_ascii_digit() => {
                let level = (h.as_bytes()[1] - b'0').clamp(1, 6).saturating_add(2).min(6);
                format!("h{level}")
            }
            n => n.to_string(),
        };
        let mut open = self.open.borrow_mut();
        if let Some(at) = open.iter().rposition(|o| *o == name) {
            let mut out = self.out.borrow_mut();
            for closed in open.drain(at..).rev() {
                out.push_str(&format!("</{closed}>"));
            }
        }
    }
}

fn escape_attr(s: &str) -> String {
    s.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let skipping = self.skipping.borrow().clone();
        if let Some((name, depth)) = skipping {
            if let Token::TagToken(tag) = &token
                && *tag.name == *name
            {
                let depth = match tag.kind {
                    TagKind::StartTag if !tag.self_closing => depth + 1,
                    TagKind::EndTag => depth - 1,
                    _ => depth,
                };
                *self.skipping.borrow_mut() = (depth > 0).then_some((name, depth));
            }
            return TokenSinkResult::Continue;
        }
        match token {
            Token::CharacterTokens(t) => self.text(&t),
            Token::TagToken(tag) if tag.kind == TagKind::StartTag => return self.start(&tag),
            Token::TagToken(tag) => self.end(&tag),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// `html` as safe HTML; relative links resolve against `base`.
pub fn clean(html: &str, base: Option<&str>) -> String {
    let html = super::render::cut(html, super::render::MAX_HTML_BYTES);
    let sink = Sink {
        base: base.and_then(|b| url::Url::parse(b).ok()),
        out: RefCell::new(String::with_capacity(html.len())),
        open: RefCell::new(Vec::new()),
        skipping: RefCell::new(None),
    };
    let tokenizer = Tokenizer::new(sink, Default::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(&sanitize::html(html)));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let sink = tokenizer.sink;
    let mut out = sink.out.take();
    for closed in sink.open.take().into_iter().rev() {
        out.push_str(&format!("</{closed}>"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn structure_stays_scripts_and_attributes_go() {
        let html = "<h2 onclick=\"x()\">Head</h2><p style=\"color:red\">One <b>bold</b> <a href=\"/rel\" onmouseover=\"x\">link</a></p>\
                    <script>alert(1)</script><style>p{}</style><iframe src=\"https://evil.example\"></iframe>\
                    <ul><li>a<li>b</ul><img src=\"https://tracker.example/p.gif\" alt=\"A photo\"><p>unclosed <em>text";
        assert_eq!(
            clean(html, Some("https://news.example/a/b.html")),
            "<h4>Head</h4><p>One <b>bold</b> <a href=\"https://news.example/rel\" rel=\"noopener noreferrer\">link</a></p>\
             <ul><li>a</li><li>b</li></ul><span class=\"image\">[image: A photo]</span><p>unclosed <em>text</em></p>"
        );
    }

    #[test]
    fn dangerous_links_and_text_are_neutralised() {
        let out = clean("<a href=\"javascript:alert(1)\">x</a> &lt;script&gt; \u{1b}[31mred \u{202e}rev", None);
        assert_eq!(out, "<a>x</a> &lt;script&gt; red rev");
        assert!(!clean("<svg><script>alert(1)</script></svg><math>x</math>ok", None).contains("alert"));
    }
}
