//! A small scanner over raw XML bytes: tags (past comments, CDATA, PIs and
//! DOCTYPEs), their attributes and the text right after them. Used where
//! feed-rs cannot help: repairing documents it refuses, and reading back
//! what it drops. Looks only at ASCII, so any ASCII-compatible charset works.

/// A tag found by `next_tag`.
#[derive(Debug, Clone, Copy)]
pub struct Tag {
    /// Offset of `<`.
    pub start: usize,
    /// Offset after `>`.
    pub end: usize,
    /// The name's bytes `[name.0, name.1)`.
    pub name: (usize, usize),
    pub closing: bool,
    pub self_closing: bool,
}

pub fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

/// The end (after the terminator) of a construct starting at `at` that ends
/// with `close`, or the end of the body when it never closes.
pub fn skip_to(body: &[u8], at: usize, open: usize, close: &[u8]) -> usize {
    find(&body[at + open..], close).map_or(body.len(), |i| at + open + i + close.len())
}

/// The end of the markup at `at` that is not a tag (comment, CDATA, PI,
/// DOCTYPE), or None when `at` starts a tag (or is not markup).
pub fn skip_markup(body: &[u8], at: usize) -> Option<usize> {
    let rest = &body[at..];
    if rest.starts_with(b"<!--") {
        Some(skip_to(body, at, 4, b"-->"))
    } else if rest.starts_with(b"<![CDATA[") {
        Some(skip_to(body, at, 9, b"]]>"))
    } else if rest.starts_with(b"<?") {
        Some(skip_to(body, at, 2, b"?>"))
    } else if rest.starts_with(b"<!") {
        // DOCTYPE, with an internal subset in [ … ] perhaps.
        let mut depth = 0usize;
        for (i, &b) in rest.iter().enumerate().skip(2) {
            match b {
                b'[' => depth += 1,
                b']' => depth = depth.saturating_sub(1),
                b'>' if depth == 0 => return Some(at + i + 1),
                _ => {}
            }
        }
        Some(body.len())
    } else {
        None
    }
}

/// The next tag at or after `from`, skipping comments, CDATA, PIs and DOCTYPEs.
pub fn next_tag(body: &[u8], from: usize) -> Option<Tag> {
    next_tag_named(body, from, |_| true)
}

/// The next tag whose name `wanted` accepts. Other tags are passed over
/// without reading their attributes, which makes looking for a few kinds of
/// tag in a large document cheap.
pub fn next_tag_named(body: &[u8], mut from: usize, wanted: impl Fn(&[u8]) -> bool) -> Option<Tag> {
    loop {
        let at = from + memchr::memchr(b'<', body.get(from..)?)?;
        if let Some(end) = skip_markup(body, at) {
            from = end;
            continue;
        }
        let closing = body.get(at + 1) == Some(&b'/');
        let name_start = at + 1 + usize::from(closing);
        let name_len = body[name_start..]
            .iter()
            .position(|b| b.is_ascii_whitespace() || matches!(b, b'>' | b'/'))
            .unwrap_or(body.len() - name_start);
        if name_len == 0 || !body[name_start].is_ascii_alphabetic() && body[name_start] != b'_' {
            from = at + 1;
            continue;
        }
        if !wanted(&body[name_start..name_start + name_len]) {
            from = name_start + name_len;
            continue;
        }
        let name = (name_start, name_start + name_len);
        // The end of the tag, past quoted attribute values.
        let mut quote = None;
        let mut end = None;
        for (i, &b) in body[name.1..].iter().enumerate() {
            match (quote, b) {
                // `<` is in no attribute value of a well-formed tag: stopping
                // there keeps a stray quote from making the scan quadratic.
                (_, b'<') => break,
                (None, b'"' | b'\'') => quote = Some(b),
                (Some(q), _) if q == b => quote = None,
                (None, b'>') => {
                    end = Some(name.1 + i + 1);
                    break;
                }
                _ => {}
            }
        }
        let Some(end) = end else {
            from = at + 1;
            continue;
        };
        let self_closing = body[end - 2] == b'/';
        return Some(Tag { start: at, end, name, closing, self_closing });
    }
}

/// The document's root element (its first tag).
pub fn root(body: &[u8]) -> Option<Tag> {
    next_tag(body, 0).filter(|t| !t.closing)
}

pub fn local(name: &[u8]) -> &[u8] {
    name.iter().position(|&b| b == b':').map_or(name, |i| &name[i + 1..])
}

/// The value of attribute `name` in the tag's bytes, with its range in the body.
pub fn attr(body: &[u8], tag: &Tag, name: &[u8]) -> Option<(usize, usize)> {
    let mut i = tag.name.1;
    let end = tag.end - 1;
    while i < end {
        while i < end && body[i].is_ascii_whitespace() {
            i += 1;
        }
        let n0 = i;
        while i < end && !body[i].is_ascii_whitespace() && body[i] != b'=' && body[i] != b'/' {
            i += 1;
        }
        let n1 = i;
        while i < end && body[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= end || body[i] != b'=' {
            i += 1;
            continue;
        }
        i += 1;
        while i < end && body[i].is_ascii_whitespace() {
            i += 1;
        }
        let &q = body.get(i).filter(|q| matches!(q, b'"' | b'\''))?;
        let v0 = i + 1;
        let v1 = v0 + memchr::memchr(q, &body[v0..end])?;
        if body[n0..n1].eq_ignore_ascii_case(name) {
            return Some((v0, v1));
        }
        i = v1 + 1;
    }
    None
}

/// The whole `name="value"` of an attribute, with the whitespace before it.
pub fn attr_span(body: &[u8], tag: &Tag, name: &[u8]) -> Option<(usize, usize)> {
    let (_, v1) = attr(body, tag, name)?;
    let needle_at = body[tag.name.1..v1].windows(name.len()).rposition(|w| w.eq_ignore_ascii_case(name))?;
    let mut start = tag.name.1 + needle_at;
    while start > tag.name.1 && body[start - 1].is_ascii_whitespace() {
        start -= 1;
    }
    Some((start, v1 + 1))
}

/// An attribute's value with XML's references decoded.
pub fn attr_value(body: &[u8], tag: &Tag, name: &[u8]) -> Option<String> {
    let (a, b) = attr(body, tag, name)?;
    Some(decode(&String::from_utf8_lossy(&body[a..b])))
}

/// The text right after a start tag (up to the next tag; CDATA as is), decoded.
pub fn text_after(body: &[u8], tag: &Tag) -> Option<String> {
    let rest = &body[tag.end..];
    let start = rest.iter().position(|b| !b.is_ascii_whitespace())?;
    let rest = &rest[start..];
    if let Some(cdata) = rest.strip_prefix(b"<![CDATA[") {
        let end = find(cdata, b"]]>")?;
        return Some(String::from_utf8_lossy(&cdata[..end]).trim().to_string());
    }
    let end = memchr::memchr(b'<', rest).unwrap_or(rest.len());
    Some(decode(String::from_utf8_lossy(&rest[..end]).trim()))
}

/// XML's five entities and character references decoded; anything else kept.
pub fn decode(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let semi = rest[..rest.len().min(12)].find(';');
        let decoded = semi.and_then(|semi| {
            let name = &rest[1..semi];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => {
                    let num = name.strip_prefix('#')?;
                    let v = match num.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => num.parse().ok()?,
                    };
                    char::from_u32(v)
                }
            }?;
            Some((c, semi + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_skip_comments_cdata_and_doctype() {
        let xml = b"<?xml version='1.0'?><!DOCTYPE rss [<!ENTITY x 'y'>]><!-- <no> --><rss a='>'><![CDATA[<no>]]><item/></rss>";
        let mut names = Vec::new();
        let mut from = 0;
        while let Some(t) = next_tag(xml, from) {
            names.push((String::from_utf8_lossy(&xml[t.name.0..t.name.1]).into_owned(), t.closing, t.self_closing));
            from = t.end;
        }
        let want = [("rss", false, false), ("item", false, true), ("rss", true, false)];
        assert_eq!(names, want.map(|(n, c, s)| (n.to_string(), c, s)));
    }

    #[test]
    fn an_unclosed_quote_does_not_swallow_the_tags_after_it() {
        // Stopping at the next `<` is what keeps a document full of stray
        // quotes from being scanned over and over.
        let doc = b"<a b=\"oops<c d='x'>";
        let tag = next_tag(doc, 0).unwrap();
        assert_eq!(&doc[tag.name.0..tag.name.1], b"c");
    }

    #[test]
    fn attributes_and_text_are_decoded() {
        let xml = br#"<e url="https://x.example/?a=1&amp;b=&#50;" type='t'> 1:02 &amp; more </e>"#;
        let tag = next_tag(xml, 0).unwrap();
        assert_eq!(attr_value(xml, &tag, b"url").as_deref(), Some("https://x.example/?a=1&b=2"));
        assert_eq!(attr_value(xml, &tag, b"type").as_deref(), Some("t"));
        assert_eq!(attr_value(xml, &tag, b"length"), None);
        assert_eq!(text_after(xml, &tag).as_deref(), Some("1:02 & more"));
        assert_eq!(decode("&bogus; &#xZZ; &"), "&bogus; &#xZZ; &");
    }
}
