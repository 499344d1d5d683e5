//! HTML → styled lines at a width, through html2text with a decorator of our
//! own: headings, quotes and lists are marked while html2text lays the text
//! out, then the marks become styles; every link gets a number (`[3]`) and the
//! list of absolute URLs is put under the article.

use std::cell::RefCell;
use std::rc::Rc;

use html2text::render::{TaggedLine, TextDecorator};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::{links, sanitize};

/// Bodies longer than this are cut before rendering: html2text's cost grows
/// with size (and worse with nesting), and no article needs more.
pub const MAX_HTML_BYTES: usize = 1 << 20;

/// Deeper nesting than this is laid out as plain text instead: html2text's
/// time grows with the square of the depth, and no real article is this deep.
pub const MAX_NESTING: usize = 400;

/// An article body laid out for one width.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Body {
    /// The text, then (when there are links) a blank line and the numbered link list.
    pub lines: Vec<Line<'static>>,
    /// Link `n` is `links[n - 1]`: absolute URLs, in order of first appearance.
    pub links: Vec<String>,
    /// The pictures that can be fetched, each on a line of its own (its
    /// `[image: alt]` placeholder), in order.
    pub images: Vec<BodyImage>,
}

/// A picture in a body: the index of its placeholder line and its absolute http(s) URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyImage {
    pub line: usize,
    pub url: String,
}

impl Body {
    /// The lines as plain text (for stdout), trailing spaces removed.
    pub fn plain_lines(&self) -> impl Iterator<Item = String> + '_ {
        self.lines.iter().map(|l| {
            let s: String = l.spans.iter().map(|s| s.content.as_ref()).collect();
            s.trim_end().to_string()
        })
    }
}

// Marks that html2text puts into the text for us. They are control
// characters, so they cannot come from the article: unsafe characters are
// removed from the HTML before it is parsed, and whatever a character
// reference smuggles in is removed by the sanitiser afterwards.
/// Heading of level n: `HEADING + n` (1..=6).
const HEADING: u32 = 0x10;
const QUOTE: char = '\u{1e}';
const BULLET: char = '\u{1f}';

/// What html2text tells us about a run of text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
enum Ann {
    #[default]
    Plain,
    /// A link, with its number (None for links that lead nowhere useful).
    Link(Option<usize>),
    /// A picture: its index in the table's images (None: no usable URL).
    Image(Option<usize>),
    Emphasis,
    Strong,
    Strikeout,
    Code,
    Preformat,
}

/// The links seen so far; shared by every sub-block's decorator.
struct LinkTable {
    base: Option<url::Url>,
    urls: Vec<String>,
    /// Pictures' absolute URLs, by `Ann::Image` index.
    images: Vec<String>,
    /// The numbers of the links currently open (links can nest in broken HTML).
    open: Vec<Option<usize>>,
}

impl LinkTable {
    fn number(&mut self, href: &str) -> Option<usize> {
        let url = links::resolve(self.base.as_ref(), href)?;
        Some(match self.urls.iter().position(|u| *u == url) {
            Some(i) => i + 1,
            None => {
                self.urls.push(url);
                self.urls.len()
            }
        })
    }
}

#[derive(Clone)]
struct Decorator(Rc<RefCell<LinkTable>>);

impl TextDecorator for Decorator {
    type Annotation = Ann;

    fn decorate_link_start(&mut self, url: &str) -> (String, Ann) {
        let mut table = self.0.borrow_mut();
        let n = table.number(url);
        table.open.push(n);
        (String::new(), Ann::Link(n))
    }

    fn decorate_link_end(&mut self) -> String {
        match self.0.borrow_mut().open.pop().flatten() {
            Some(n) => format!("[{n}]"),
            None => String::new(),
        }
    }

    fn decorate_em_start(&self) -> (String, Ann) {
        (String::new(), Ann::Emphasis)
    }

    fn decorate_em_end(&self) -> String {
        String::new()
    }

    fn decorate_strong_start(&self) -> (String, Ann) {
        (String::new(), Ann::Strong)
    }

    fn decorate_strong_end(&self) -> String {
        String::new()
    }

    fn decorate_strikeout_start(&self) -> (String, Ann) {
        (String::new(), Ann::Strikeout)
    }

    fn decorate_strikeout_end(&self) -> String {
        String::new()
    }

    fn decorate_code_start(&self) -> (String, Ann) {
        (String::new(), Ann::Code)
    }

    fn decorate_code_end(&self) -> String {
        String::new()
    }

    fn decorate_preformat_first(&self) -> Ann {
        Ann::Preformat
    }

    fn decorate_preformat_cont(&self) -> Ann {
        Ann::Preformat
    }

    fn decorate_image(&mut self, src: &str, title: &str) -> (String, Ann) {
        let alt = sanitize::line(title);
        let text = if alt.is_empty() { "[image]".to_string() } else { format!("[image: {alt}]") };
        let mut table = self.0.borrow_mut();
        let url = links::resolve(table.base.as_ref(), src)
            .filter(|u| crate::url_policy::check(u, crate::url_policy::Origin::Network).is_ok());
        let index = url.map(|u| {
            table.images.push(u);
            table.images.len() - 1
        });
        (text, Ann::Image(index))
    }

    // Prefixes must be one byte per column: html2text sizes them by byte length.
    fn header_prefix(&self, level: usize) -> String {
        char::from_u32(HEADING + level.clamp(1, 6) as u32).map(String::from).unwrap_or_default()
    }

    fn quote_prefix(&self) -> String {
        format!("{QUOTE} ")
    }

    fn unordered_item_prefix(&self) -> String {
        format!("{BULLET} ")
    }

    fn ordered_item_prefix(&self, i: i64) -> String {
        format!("{i}. ")
    }

    fn make_subblock_decorator(&self) -> Self {
        self.clone()
    }

    fn decorate_superscript_start(&self) -> (String, Ann) {
        (String::new(), Ann::Plain)
    }

    fn decorate_superscript_end(&self) -> String {
        String::new()
    }

    fn finalise(&mut self, _urls: Vec<String>) -> Vec<TaggedLine<Ann>> {
        Vec::new()
    }
}

fn style_for(annotations: &[Ann]) -> Style {
    let mut style = Style::default();
    for a in annotations {
        style = match a {
            Ann::Strong => style.add_modifier(Modifier::BOLD),
            Ann::Emphasis => style.add_modifier(Modifier::ITALIC),
            Ann::Strikeout => style.add_modifier(Modifier::CROSSED_OUT),
            Ann::Link(Some(_)) => style.add_modifier(Modifier::UNDERLINED),
            Ann::Image(_) | Ann::Code | Ann::Preformat => style.add_modifier(Modifier::DIM),
            Ann::Link(None) | Ann::Plain => style,
        };
    }
    style
}

fn heading_style(level: u32) -> Style {
    let bold = Style::default().add_modifier(Modifier::BOLD);
    match level {
        1 => bold.add_modifier(Modifier::UNDERLINED),
        2 => bold,
        _ => bold.add_modifier(Modifier::ITALIC),
    }
}

/// Cuts `html` to at most `max` bytes, on a character boundary.
pub(crate) fn cut(html: &str, max: usize) -> &str {
    let mut cut = html.len().min(max);
    while !html.is_char_boundary(cut) {
        cut -= 1;
    }
    &html[..cut]
}

/// Renders `html` wrapped to `width` columns, resolving relative links
/// against `base`. Never fails: unrenderable input comes back as its text.
pub fn render(html: &str, base: Option<&str>, width: u16) -> Body {
    let html = cut(html, MAX_HTML_BYTES);
    // Unsafe characters go before parsing, so the only control characters in
    // html2text's output are the marks put there by our decorator.
    let html = sanitize::html(html);
    let width = usize::from(width.max(10));
    // Room for the prefixes of nested quotes and lists, so no URL is hard-wrapped.
    let html = super::long_urls::shorten(&html, width.saturating_sub(8).max(12)).into_owned();
    let table = Rc::new(RefCell::new(LinkTable {
        base: base.and_then(|b| url::Url::parse(b).ok()),
        urls: Vec::new(),
        images: Vec::new(),
        open: Vec::new(),
    }));
    let rendered = if super::nesting_depth(&html) > MAX_NESTING {
        None
    } else {
        let decorator = Decorator(table.clone());
        crate::panic::contained(|| {
            html2text::config::with_decorator(decorator)
                .allow_width_overflow()
                .unicode_strikeout(false)
                .empty_img_mode(html2text::config::ImageRenderMode::ShowAlways)
                .lines_from_read(html.as_bytes(), width)
        })
    };
    let tagged = match rendered {
        Some(Ok(lines)) => lines,
        failed => {
            tracing::warn!("html2text failed: {:?}", failed.map(|r| r.err()));
            return Body { lines: fallback(&html, width), ..Body::default() };
        }
    };
    let mut marked: Vec<(Line<'static>, Option<usize>)> = tagged.iter().flat_map(styled_line).collect();
    // No runs of blank lines, none at the ends.
    marked.dedup_by(|a, b| a.0.width() == 0 && b.0.width() == 0);
    let blanks = marked.iter().take_while(|l| l.0.width() == 0).count();
    marked.drain(..blanks);
    while marked.last().is_some_and(|l| l.0.width() == 0) {
        marked.pop();
    }
    let urls = std::mem::take(&mut table.borrow_mut().images);
    let images = marked
        .iter()
        .enumerate()
        .filter_map(|(line, (_, image))| Some(BodyImage { line, url: urls.get((*image)?)?.clone() }))
        .collect();
    let mut lines: Vec<Line<'static>> = marked.into_iter().map(|(l, _)| l).collect();
    let links = std::mem::take(&mut table.borrow_mut().urls);
    if !links.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled("Links", Style::default().add_modifier(Modifier::BOLD)));
        for (i, url) in links.iter().enumerate() {
            lines.extend(link_lines(i + 1, url, width));
        }
    }
    Body { lines, links, images }
}

/// One line of html2text output → a styled line: marks in the line's prefix
/// become heading styles, quote bars and bullets; link numbers lose the
/// link's underline; every run is sanitised. A picture's placeholder is a
/// line of its own, marked with the picture's index.
fn styled_line(tagged: &TaggedLine<Vec<Ann>>) -> Vec<(Line<'static>, Option<usize>)> {
    let mut spans: Vec<Span<'static>> = Vec::new();
    // Where an image placeholder meets text: it goes on a line of its own.
    // `marks[i]` is the picture on the i-th line.
    let mut breaks: Vec<usize> = Vec::new();
    let mut marks: Vec<Option<usize>> = Vec::new();
    let mut last_image: Option<Option<Option<usize>>> = None;
    let mut heading = None;
    let mut quoted = false;
    let mut in_prefix = true;
    let push = |spans: &mut Vec<Span<'static>>, text: &str, style: Style| {
        if !text.is_empty() {
            spans.push(Span::styled(sanitize::text(text).into_owned(), style));
        }
    };
    for run in tagged.tagged_strings() {
        let style = style_for(&run.tag);
        let image = run.tag.iter().find_map(|a| match a {
            Ann::Image(i) => Some(*i),
            _ => None,
        });
        if !run.s.trim().is_empty() {
            // Pictures side by side share their line (as they always did):
            // the line is the first one's.
            match last_image {
                Some(was) if was.is_some() != image.is_some() => {
                    breaks.push(spans.len());
                    marks.push(image.flatten());
                }
                Some(_) => {}
                None => marks.push(image.flatten()),
            }
            last_image = Some(image);
        }
        let mut text = String::new();
        for c in run.s.chars() {
            match c {
                QUOTE if in_prefix => {
                    push(&mut spans, &std::mem::take(&mut text), style);
                    quoted = true;
                    spans.push(Span::styled("│", Style::default().add_modifier(Modifier::DIM)));
                }
                BULLET if in_prefix => text.push('•'),
                c if (HEADING + 1..=HEADING + 6).contains(&(c as u32)) => {
                    if in_prefix {
                        heading = Some(c as u32 - HEADING);
                    }
                }
                c => {
                    if in_prefix && !c.is_whitespace() {
                        in_prefix = false;
                    }
                    text.push(c);
                }
            }
        }
        // The number after a link's text is the run's end: plain, not underlined.
        let number = run.tag.iter().rev().find_map(|a| match a {
            Ann::Link(Some(n)) => Some(format!("[{n}]")),
            _ => None,
        });
        match number.filter(|n| text.ends_with(n.as_str())) {
            Some(n) => {
                let (words, mark) = text.split_at(text.len() - n.len());
                push(&mut spans, words, style);
                push(&mut spans, mark, style.remove_modifier(Modifier::UNDERLINED));
            }
            None => push(&mut spans, &text, style),
        }
    }
    if let Some(level) = heading {
        let style = heading_style(level);
        spans.iter_mut().for_each(|s| s.style = style.patch(s.style));
    } else if quoted {
        spans.iter_mut().filter(|s| s.content != "│").for_each(|s| s.style = s.style.add_modifier(Modifier::ITALIC));
    }
    let mut lines = Vec::with_capacity(breaks.len() + 1);
    for at in breaks.into_iter().rev() {
        let mut rest = spans.split_off(at);
        if let Some(first) = rest.first_mut() {
            first.content = first.content.trim_start().to_string().into();
        }
        lines.push((Line::from(rest), marks.pop().flatten()));
    }
    if let Some(last) = spans.last_mut() {
        last.content = last.content.trim_end().to_string().into();
    }
    lines.push((Line::from(spans), marks.pop().flatten()));
    lines.reverse();
    lines
}

/// `[n] url`: the whole URL on one line, never broken (copying and the
/// terminal's link detection need it whole); a long one overflows the line.
fn link_lines(n: usize, url: &str, _width: usize) -> Vec<Line<'static>> {
    vec![Line::from(vec![
        Span::styled(format!("[{n}] "), Style::default().add_modifier(Modifier::DIM)),
        Span::raw(sanitize::line(url).into_owned()),
    ])]
}

/// The text of pathological HTML without html2text: tags dropped, one line
/// per block, wrapped.
fn fallback(html: &str, width: usize) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled(
        "(this article's HTML is too deeply nested to lay out; showing its text)",
        Style::default().add_modifier(Modifier::DIM),
    )];
    for para in super::strip_tags(html).split('\n') {
        let para = sanitize::line(para);
        if !para.is_empty() {
            lines.push(Line::raw(""));
            lines.extend(crate::ui::text::wrap(&para, width).into_iter().map(Line::raw));
        }
    }
    lines
}

#[cfg(test)]
mod tests;
