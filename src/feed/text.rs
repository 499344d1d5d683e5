//! Text fields as a reader should show them: titles with HTML in them (a
//! declared HTML title, or a plain one carrying `<span>` or `&mdash;`) as
//! their text, and UTF-8 that was encoded twice (`CrÃ¨me`) decoded once more.

use feed_rs::model::Text;

/// The text of a title (or another one-line field).
pub fn title(t: &Text) -> String {
    let subtype = t.content_type.subty();
    if subtype == "html" || subtype == "xhtml+xml" || subtype == "xhtml" { html(&t.content) } else { line(&t.content) }
}

/// HTML as one line of text: tags gone, entities decoded, whitespace collapsed.
/// Text without tags (most titles) only has its entities decoded, which is
/// far cheaper than laying it out.
fn html(s: &str) -> String {
    if !s.contains('<') {
        return decode_entities(s).split_whitespace().collect::<Vec<_>>().join(" ");
    }
    html2text::config::plain_no_decorate()
        .string_from_read(s.as_bytes(), 100_000)
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| s.trim().to_string())
}

/// A one-line plain text field: HTML markup or entities in it (which many
/// feeds put in RSS titles) rendered to text; else trimmed, as is, so that
/// `<Treaty>` or `AT&T` stays.
pub fn line(s: &str) -> String {
    if looks_like_html(s) { html(s) } else { s.trim().to_string() }
}

/// HTML's character references decoded (named, decimal, hex); anything that
/// is not one is left as it is.
fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.bytes().take(34).position(|b| b == b';');
        let decoded = end.and_then(|end| {
            let name = &rest[1..end];
            let chars: Vec<char> = match name.strip_prefix('#') {
                Some(num) => {
                    let v = match num.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => num.parse().ok()?,
                    };
                    vec![char::from_u32(v).filter(|c| *c != '\0')?]
                }
                None => {
                    let &(a, b) = html5ever::data::NAMED_ENTITIES.get(&rest[1..=end])?;
                    [a, b].into_iter().filter(|&c| c != 0).filter_map(char::from_u32).collect()
                }
            };
            Some((chars, end + 1))
        });
        match decoded {
            Some((chars, len)) => {
                out.extend(chars);
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

/// Tags a title may carry; anything else in angle brackets is text.
const TAGS: &[&str] = &[
    "a", "abbr", "b", "big", "br", "cite", "code", "del", "em", "font", "i", "img", "ins", "mark", "p", "q", "s",
    "small", "span", "strike", "strong", "sub", "sup", "tt", "u", "div",
];

/// An entity reference (`&mdash;`, `&#8217;`) or a common inline HTML tag.
fn looks_like_html(s: &str) -> bool {
    let bytes = s.as_bytes();
    for at in memchr::memchr2_iter(b'&', b'<', bytes) {
        let rest = &bytes[at + 1..];
        if bytes[at] == b'&' {
            let len = rest.iter().take(32).position(|&b| b == b';');
            let name_ok = |n: &[u8]| {
                !n.is_empty()
                    && (n[0] == b'#' && n.len() > 1 && n[1..].iter().all(|b| b.is_ascii_hexdigit() || *b == b'x')
                        || n.iter().all(u8::is_ascii_alphanumeric))
            };
            if len.is_some_and(|l| name_ok(&rest[..l])) {
                return true;
            }
        } else {
            let rest = rest.strip_prefix(b"/").unwrap_or(rest);
            let name_len = rest.iter().take(8).position(|b| !b.is_ascii_alphabetic()).unwrap_or(rest.len().min(8));
            let after = rest.get(name_len);
            if name_len > 0
                && matches!(after, Some(b' ' | b'>' | b'/'))
                && TAGS.iter().any(|t| t.as_bytes().eq_ignore_ascii_case(&rest[..name_len]))
            {
                return true;
            }
        }
    }
    false
}

/// Windows-1252's characters for bytes 0x80–0x9F (None: undefined there,
/// taken as the C1 control of the same value, as Latin-1 has it).
const CP1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}', '\u{90}', '‘', '’',
    '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
];

/// The byte a character came from when UTF-8 was misread as windows-1252 or Latin-1.
fn byte_of(c: char) -> Option<u8> {
    let v = c as u32;
    if v < 0x80 || (0xa0..=0xff).contains(&v) {
        return Some(v as u8);
    }
    if v > 0x2122 {
        return None; // beyond the last of windows-1252's (™): Cyrillic, CJK, …
    }
    CP1252_HIGH.iter().position(|&h| h == c).map(|i| 0x80 + i as u8)
}

/// Text that was UTF-8, misread as windows-1252 and encoded as UTF-8 again
/// (`CrÃ¨me brÃ»lÃ©e`), decoded back — only when the whole string
/// round-trips, as feedparser does; None when it is fine as it is.
pub fn undouble(s: &str) -> Option<String> {
    if s.is_ascii() || !has_double_pair(s) {
        return None;
    }
    let bytes: Vec<u8> = s.chars().map(byte_of).collect::<Option<_>>()?;
    String::from_utf8(bytes).ok().filter(|fixed| fixed != s)
}

/// A UTF-8 lead byte's character (Â…ô, U+00C2–U+00F4) followed by a
/// continuation byte's (U+0080–U+00BF or one of windows-1252's): the mark of
/// double encoding. Found with memchr on the lead's first byte, so text
/// without it costs next to nothing.
fn has_double_pair(s: &str) -> bool {
    let bytes = s.as_bytes();
    memchr::memchr_iter(0xc3, bytes).any(|i| {
        let lead = bytes.get(i + 1).is_some_and(|b| (0x82..=0xb4).contains(b));
        lead && s
            .get(i + 2..)
            .and_then(|rest| rest.chars().next())
            .and_then(byte_of)
            .is_some_and(|b| (0x80..0xc0).contains(&b))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn double_encoded_utf8_is_decoded_once_more() {
        assert_eq!(undouble("CrÃ¨me brÃ»lÃ©e").as_deref(), Some("Crème brûlée"));
        assert_eq!(undouble("Itâ€™s â€œquotedâ€\u{9d}").as_deref(), Some("It’s “quoted”"));
        assert_eq!(undouble("ÐŸÑƒÑ‚Ð¸Ð½").as_deref(), Some("Путин"));
    }

    #[test]
    fn text_that_does_not_round_trip_is_left_alone() {
        for fine in ["Crème brûlée", "naïve café", "Путин", "plain", "Ã alone at the end: Ã", "Ã© and Путин"]
        {
            assert_eq!(undouble(fine), None, "{fine}");
        }
    }

    #[test]
    fn html_in_plain_titles_is_rendered_but_brackets_and_ampersands_stay() {
        assert_eq!(
            line("SmartCity to raise  <span class='webrupee'>₹</span>4,000 crore"),
            "SmartCity to raise ₹4,000 crore"
        );
        assert_eq!(line("That&#8217;s it &mdash; done"), "That’s it — done");
        assert_eq!(line("A&nbsp;B"), "A B");
        assert_eq!(line("&bogus; &#xZZ; &amp;amp; &#0;"), "&bogus; &#xZZ; &amp; &#0;");
        assert_eq!(line("  History of the <blink> tag "), "History of the <blink> tag");
        assert_eq!(line("AT&T and a < b"), "AT&T and a < b");
        assert_eq!(line("Tom & Jerry; more"), "Tom & Jerry; more");
    }
}
