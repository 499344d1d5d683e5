//! Repairs of XML feeds, on bytes: a feed wrapped in a web page is cut out
//! of it; bare `&`, HTML entities and control characters are fixed; the
//! root's version and namespace, Atom 0.3's names and odd text types are
//! mapped onto what feed-rs reads; empty elements it refuses are dropped.

use super::{Kind, Tally};
use crate::feed::xml_scan::{Tag, attr, attr_span, find, local, next_tag, next_tag_named, root, skip_markup, skip_to};

const RSS1_NS: &[u8] = b"http://purl.org/rss/1.0/";
const RSS090_NS: &[u8] = b"http://my.netscape.com/rdf/simple/0.9/";
const ATOM03_NS: &[u8] = b"http://purl.org/atom/ns#";
const ATOM_NS: &[u8] = b"http://www.w3.org/2005/Atom";

/// Elements feed-rs refuses when they are empty (text constructs).
const TEXT_ELEMENTS: &[&[u8]] = &[
    b"title",
    b"subtitle",
    b"summary",
    b"content",
    b"rights",
    b"media:title",
    b"media:description",
    b"media:text",
    b"media:keywords",
    b"media:credit",
    b"media:copyright",
];

/// Edits to a body, applied in one go: (start, end, replacement).
#[derive(Default)]
struct Edits(Vec<(usize, usize, Vec<u8>)>);

impl Edits {
    fn replace(&mut self, start: usize, end: usize, with: &[u8]) {
        self.0.push((start, end, with.to_vec()));
    }

    fn apply(mut self, body: &[u8]) -> Option<Vec<u8>> {
        if self.0.is_empty() {
            return None;
        }
        self.0.sort_by_key(|e| e.0);
        let mut out = Vec::with_capacity(body.len() + 64);
        let mut at = 0;
        for (start, end, with) in self.0 {
            if start < at {
                continue; // overlapping edit: the first one wins
            }
            out.extend_from_slice(&body[at..start]);
            out.extend_from_slice(&with);
            at = end;
        }
        out.extend_from_slice(&body[at..]);
        Some(out)
    }
}

/// How many `<item>` / `<entry>` elements (any prefix) the document holds.
pub fn count_items(body: &[u8]) -> usize {
    let is_item = |name: &[u8]| {
        let name = local(name);
        name.eq_ignore_ascii_case(b"item") || name == b"entry"
    };
    let mut n = 0;
    let mut from = 0;
    while let Some(tag) = next_tag_named(body, from, is_item) {
        n += usize::from(!tag.closing);
        from = tag.end;
    }
    n
}

/// A feed inside a web page: the feed element cut out, behind the page's XML prolog.
pub(super) fn unwrap(body: &[u8], tally: &mut Tally) -> Option<Vec<u8>> {
    let root = root(body)?;
    let name = &body[root.name.0..root.name.1];
    if [&b"rss"[..], b"feed", b"RDF", b"channel"].contains(&local(name)) {
        return None;
    }
    let mut from = root.end;
    let inner = loop {
        let tag = next_tag(body, from)?;
        let name = &body[tag.name.0..tag.name.1];
        if !tag.closing && matches!(local(name), b"rss" | b"feed" | b"RDF") {
            break tag;
        }
        from = tag.end;
    };
    let name = &body[inner.name.0..inner.name.1];
    let close = [b"</", name, b">"].concat();
    let end = memchr::memmem::rfind(&body[inner.end..], &close).map(|i| inner.end + i + close.len())?;
    let prolog = if body.starts_with(b"<?xml") { &body[..skip_to(body, 0, 2, b"?>")] } else { &b""[..] };
    tally.add(Kind::Wrapped, 1);
    Some([prolog, b"\n", &body[inner.start..end]].concat())
}

/// Bare `&`, HTML entities (mapped to character references) and control characters.
pub(super) fn lexical(body: &[u8], tally: &mut Tally) -> Option<Vec<u8>> {
    let special = |b: &u8| matches!(b, b'&' | b'<') || is_control(*b);
    let mut out = Vec::with_capacity(body.len() + 64);
    let (mut amps, mut entities, mut controls) = (0, 0, 0);
    let mut i = 0;
    // Runs of ordinary bytes are copied whole; only `&`, `<` and control
    // characters are looked at.
    while let Some(j) = body[i..].iter().position(special).map(|j| i + j) {
        out.extend_from_slice(&body[i..j]);
        i = j;
        let b = body[i];
        if b == b'<' {
            match skip_markup(body, i) {
                // CDATA and comments are copied as they are, but for control characters.
                Some(end) => {
                    let markup = &body[i..end];
                    if markup.iter().any(|c| is_control(*c)) {
                        controls += drop_controls(markup, &mut out);
                    } else {
                        out.extend_from_slice(markup);
                    }
                    i = end;
                }
                None => {
                    out.push(b'<');
                    i += 1;
                }
            }
            continue;
        }
        if is_control(b) {
            controls += 1;
            i += control_len(&body[i..]);
            continue;
        }
        match reference(&body[i..]) {
            Reference::Valid(len) => {
                out.extend_from_slice(&body[i..i + len]);
                i += len;
            }
            Reference::Html(len, chars) => {
                for c in chars {
                    out.extend_from_slice(format!("&#{};", c as u32).as_bytes());
                }
                entities += 1;
                i += len;
            }
            Reference::Unknown => {
                out.extend_from_slice(b"&amp;");
                entities += 1;
                i += 1;
            }
            Reference::Bare => {
                out.extend_from_slice(b"&amp;");
                amps += 1;
                i += 1;
            }
        }
    }
    out.extend_from_slice(&body[i..]);
    tally.add(Kind::BareAmpersand, amps);
    tally.add(Kind::UndefinedEntity, entities);
    tally.add(Kind::ControlChar, controls);
    (amps + entities + controls > 0).then_some(out)
}

/// Copies `bytes` without their control characters; an ESC goes with its
/// whole escape sequence (else the sequence's text would be left to show).
/// Returns how many were dropped.
fn drop_controls(bytes: &[u8], out: &mut Vec<u8>) -> usize {
    let (mut i, mut dropped) = (0, 0);
    while i < bytes.len() {
        if is_control(bytes[i]) {
            dropped += 1;
            i += control_len(&bytes[i..]);
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    dropped
}

/// The bytes a control character at the start of `bytes` takes with it: an
/// ESC its escape sequence, which ends before any markup (`<`), whatever it
/// claims; any other control character itself.
fn control_len(bytes: &[u8]) -> usize {
    let markup = bytes.iter().position(|&b| b == b'<').unwrap_or(bytes.len());
    crate::article::sanitize::escape_sequence_len(&bytes[..markup]).max(1)
}

/// C0 controls XML 1.0 does not allow (tab, newline and carriage return are fine).
fn is_control(b: u8) -> bool {
    b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')
}

enum Reference {
    /// A reference XML understands, this many bytes long.
    Valid(usize),
    /// An HTML named entity, this many bytes long, and its characters.
    Html(usize, Vec<char>),
    /// `&name;` XML and HTML do not know.
    Unknown,
    /// A `&` that starts no reference at all.
    Bare,
}

/// What the `&` at the start of `s` starts.
fn reference(s: &[u8]) -> Reference {
    let rest = &s[1..s.len().min(40)];
    if let Some(num) = rest.strip_prefix(b"#") {
        let Some(semi) = memchr::memchr(b';', num) else { return Reference::Bare };
        let num = &num[..semi];
        let ok = match num.strip_prefix(b"x").or_else(|| num.strip_prefix(b"X")) {
            Some(hex) => !hex.is_empty() && hex.len() <= 6 && hex.iter().all(u8::is_ascii_hexdigit),
            None => !num.is_empty() && num.len() <= 7 && num.iter().all(u8::is_ascii_digit),
        };
        return if ok { Reference::Valid(semi + 3) } else { Reference::Bare };
    }
    let run = rest.iter().take_while(|b| b.is_ascii_alphanumeric()).count();
    if run == 0 || !rest[0].is_ascii_alphabetic() {
        return Reference::Bare;
    }
    let name = &rest[..run];
    if rest.get(run) == Some(&b';') {
        if matches!(name, b"amp" | b"lt" | b"gt" | b"quot" | b"apos") {
            return Reference::Valid(run + 2);
        }
        return match entity(name, true) {
            Some(chars) => Reference::Html(run + 2, chars),
            None => Reference::Unknown,
        };
    }
    // HTML's legacy entities work without the semicolon (`&copy 2024`), as
    // in a browser: the longest one the name starts with, unless a letter,
    // digit or `=` follows it (`?a=1&region=eu` is a URL, not `&reg;`).
    for len in (2..=run).rev() {
        if let Some(chars) = entity(&name[..len], false) {
            let next = rest.get(len).copied().unwrap_or(b' ');
            if next.is_ascii_alphanumeric() || next == b'=' {
                return Reference::Bare;
            }
            return Reference::Html(len + 1, chars);
        }
    }
    Reference::Bare
}

/// The characters of HTML's named entity `name` (with or without its semicolon).
fn entity(name: &[u8], semicolon: bool) -> Option<Vec<char>> {
    let key = format!("{}{}", String::from_utf8_lossy(name), if semicolon { ";" } else { "" });
    let &(a, b) = html5ever::data::NAMED_ENTITIES.get(key.as_str())?;
    Some([a, b].into_iter().filter(|&c| c != 0).filter_map(char::from_u32).collect())
}

/// The root's version and namespace, Atom 0.3's names, odd Atom text types
/// and empty text elements.
pub(super) fn structure(body: &[u8], tally: &mut Tally) -> Option<Vec<u8>> {
    let root = root(body)?;
    let mut edits = Edits::default();
    let root_name = local(&body[root.name.0..root.name.1]);
    let mut atom03 = false;
    match root_name {
        b"rss" => {
            match attr(body, &root, b"version") {
                None => {
                    edits.replace(root.name.1, root.name.1, b" version=\"2.0\"");
                    tally.add(Kind::RssVersion, 1);
                }
                Some((v0, v1)) if !matches!(&body[v0..v1], b"2.0" | b"0.91" | b"0.92" | b"") => {
                    edits.replace(v0, v1, b"2.0");
                    tally.add(Kind::RssVersion, 1);
                }
                Some(_) => {}
            }
            if let Some((s, e)) = attr_span(body, &root, b"xmlns") {
                edits.replace(s, e, b"");
                tally.add(Kind::RssNamespace, 1);
            }
        }
        b"RDF" => {
            let tag = &body[root.start..root.end];
            if let Some(at) = find(tag, RSS090_NS) {
                edits.replace(root.start + at, root.start + at + RSS090_NS.len(), RSS1_NS);
                tally.add(Kind::Rss090, 1);
            } else if let Some((v0, v1)) = attr(body, &root, b"xmlns").filter(|(a, b)| &body[*a..*b] != RSS1_NS) {
                edits.replace(v0, v1, RSS1_NS);
                tally.add(Kind::RssNamespace, 1);
            }
        }
        b"feed" => {
            let tag = &body[root.start..root.end];
            if let Some(at) = find(tag, ATOM03_NS) {
                edits.replace(root.start + at, root.start + at + ATOM03_NS.len(), ATOM_NS);
                atom03 = true;
                tally.add(Kind::Atom03, 1);
            }
        }
        _ => {}
    }
    let has_issued = atom03 && find(body, b"<issued").is_some();
    let (mut types, mut empties) = (0, 0);
    let mut from = root.end;
    // Only the tags this pass may change are read.
    let wanted = |name: &[u8]| {
        TEXT_ELEMENTS.contains(&name)
            || matches!(local(name), b"title" | b"subtitle" | b"summary" | b"content" | b"rights")
            || (atom03 && matches!(name, b"issued" | b"created" | b"modified" | b"tagline" | b"copyright"))
    };
    while let Some(tag) = next_tag_named(body, from, wanted) {
        from = tag.end;
        let name = &body[tag.name.0..tag.name.1];
        if atom03 {
            let renamed: Option<&[u8]> = match name {
                b"issued" => Some(b"published"),
                b"created" if !has_issued => Some(b"published"),
                b"modified" => Some(b"updated"),
                b"tagline" => Some(b"subtitle"),
                b"copyright" => Some(b"rights"),
                _ => None,
            };
            if let Some(new) = renamed {
                edits.replace(tag.name.0, tag.name.1, new);
            }
        }
        if tag.closing {
            continue;
        }
        let local_name = local(name);
        let is_text = matches!(local_name, b"title" | b"subtitle" | b"summary" | b"content" | b"rights")
            || (atom03 && matches!(name, b"tagline" | b"copyright"));
        if is_text && root_name == b"feed" && text_type(body, &tag, local_name == b"content", &mut edits) {
            types += 1;
        }
        if TEXT_ELEMENTS.contains(&name) && is_empty(body, &tag) {
            let end = if tag.self_closing {
                tag.end
            } else {
                let close = [b"</", name, b">"].concat();
                tag.end + body[tag.end..].iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(0) + close.len()
            };
            edits.replace(tag.start, end, b"");
            empties += 1;
        }
    }
    tally.add(Kind::TextType, types);
    tally.add(Kind::EmptyElement, empties);
    edits.apply(body)
}

/// An element with nothing in it (self-closing, or closed right away) and no
/// attribute but its type or language (so `<content src="…"/>` stays).
fn is_empty(body: &[u8], tag: &Tag) -> bool {
    let attrs_ok = [&b"src"[..], b"url", b"href"].iter().all(|a| attr(body, tag, a).is_none());
    if !attrs_ok {
        return false;
    }
    if tag.self_closing {
        return true;
    }
    let name = &body[tag.name.0..tag.name.1];
    let rest = &body[tag.end..];
    let skip = rest.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(rest.len());
    rest[skip..].starts_with(&[b"</", name, b">"].concat())
}

/// Maps an Atom text construct's `type` (and Atom 0.3's `mode`) onto what
/// feed-rs reads; true when it changed something.
fn text_type(body: &[u8], tag: &Tag, content: bool, edits: &mut Edits) -> bool {
    let ty = attr(body, tag, b"type");
    let value = ty.map(|(a, b)| body[a..b].to_ascii_lowercase());
    let mode = attr(body, tag, b"mode").map(|(a, b)| body[a..b].to_ascii_lowercase());
    let wanted: Option<&[u8]> = match (value.as_deref(), mode.as_deref()) {
        (_, Some(b"base64")) => return false,
        (Some(b"text/plain" | b"plain" | b"text"), Some(b"escaped")) => Some(b"text"),
        (_, Some(b"escaped")) => Some(b"html"),
        (Some(b"text" | b"html" | b"xhtml" | b"text/html"), _) | (None, _) => return false,
        (Some(b"text/plain" | b"plain"), _) => Some(b"text"),
        (Some(b"application/xhtml+xml"), _) => Some(b"xhtml"),
        (Some(v), _) if content && (v.ends_with(b"+xml") || v.ends_with(b"/xml") || is_mime(v)) => return false,
        (Some(_), _) => None,
    };
    if wanted.is_some() && wanted == value.as_deref() {
        return false;
    }
    let Some((v0, v1)) = ty else {
        // mode="escaped" with no type: say it is HTML.
        let Some(w) = wanted else { return false };
        edits.replace(tag.name.1, tag.name.1, &[b" type=\"", w, b"\""].concat());
        return true;
    };
    match wanted {
        Some(w) => edits.replace(v0, v1, w),
        None => {
            if let Some((s, e)) = attr_span(body, tag, b"type") {
                edits.replace(s, e, b"");
            }
        }
    }
    true
}

/// `type/subtype`, roughly as feed-rs's MIME parser wants it.
fn is_mime(v: &[u8]) -> bool {
    let mut parts = v.splitn(2, |&b| b == b'/');
    let ok = |p: Option<&[u8]>| {
        p.is_some_and(|p| !p.is_empty() && p.iter().all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(b)))
    };
    ok(parts.next()) && ok(parts.next())
}
