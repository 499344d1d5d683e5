//! URLs too long for a line are never broken: html2text would hard-wrap
//! them mid-URL (`…north-korea` / `-a85430`), which breaks copying and the
//! terminal's link detection. Before rendering, each URL written out in the
//! text that is longer than the line is shortened to fit (`host/path…`);
//! one that is not already a link's text becomes a link, so the whole URL is
//! in the numbered link list under the article either way.

use unicode_width::UnicodeWidthStr;

/// Elements whose text is left alone (not shown, or laid out as written).
const SKIP: &[&str] = &["script", "style", "pre", "textarea", "title"];

/// `html` with URL words wider than `width` columns shortened (and linked).
pub fn shorten(html: &str, width: usize) -> std::borrow::Cow<'_, str> {
    if !(html.contains("http") || html.contains("www.")) {
        return std::borrow::Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    let (mut in_link, mut skip): (usize, Option<String>) = (0, None);
    while !rest.is_empty() {
        let lt = rest.find('<').unwrap_or(rest.len());
        let text = &rest[..lt];
        if skip.is_none() {
            out.push_str(&shorten_text(text, width, in_link > 0));
        } else {
            out.push_str(text);
        }
        rest = &rest[lt..];
        if rest.is_empty() {
            break;
        }
        let gt = rest.find('>').map_or(rest.len(), |i| i + 1);
        let tag = &rest[..gt];
        out.push_str(tag);
        rest = &rest[gt..];
        let closing = tag.starts_with("</");
        let name: String = tag
            .trim_start_matches(['<', '/'])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        match (&skip, closing) {
            (Some(open), true) if *open == name => skip = None,
            (Some(_), _) => {}
            (None, false) if SKIP.contains(&name.as_str()) && !tag.ends_with("/>") => skip = Some(name),
            (None, false) if name == "a" => in_link += 1,
            (None, true) if name == "a" => in_link = in_link.saturating_sub(1),
            _ => {}
        }
    }
    std::borrow::Cow::Owned(out)
}

fn shorten_text(text: &str, width: usize, in_link: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (start, word) in words(text) {
        let url = word.trim_end_matches(['.', ',', ';', ':', ')', '!', '?']);
        if !crate::ui::text::is_url(url) || url.width() <= width.saturating_sub(1) {
            continue;
        }
        out.push_str(&text[last..start]);
        let short = short_form(url, width.saturating_sub(1).max(8));
        if in_link {
            out.push_str(&short);
        } else {
            let href = if url.starts_with("www.") { format!("https://{url}") } else { url.to_string() };
            out.push_str(&format!("<a href=\"{}\">{short}</a>", href.replace('"', "%22")));
        }
        last = start + url.len();
    }
    out.push_str(&text[last..]);
    out
}

/// Words of `text` with their byte offsets.
fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split_whitespace().map(move |w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
}

/// `https://www.example.com/a/very/long/path` → `www.example.com/a/very/l…`,
/// at most `width` columns, never cut inside a character reference.
fn short_form(url: &str, width: usize) -> String {
    let bare = url.split_once("://").map_or(url, |(_, rest)| rest);
    let mut out = String::new();
    let mut used = 0;
    for c in bare.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > width.saturating_sub(1) {
            break;
        }
        used += w;
        out.push(c);
    }
    // Cut before a half-written `&amp;`.
    if let Some(amp) = out.rfind('&')
        && !out[amp..].contains(';')
    {
        out.truncate(amp);
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const LONG: &str = "https://www.themoscowtimes.com/2024/06/18/putin-hails-north-korea-a85430";

    #[test]
    fn long_urls_in_text_are_shortened_and_linked() {
        let html = format!("<p>Read {LONG}. Then more.</p>");
        let out = shorten(&html, 40);
        assert_eq!(
            out,
            format!("<p>Read <a href=\"{LONG}\">www.themoscowtimes.com/2024/06/18/puti…</a>. Then more.</p>")
        );
    }

    #[test]
    fn link_texts_are_shortened_hrefs_kept() {
        let html = format!("<a href=\"{LONG}\">{LONG}</a>");
        assert_eq!(shorten(&html, 30), format!("<a href=\"{LONG}\">www.themoscowtimes.com/2024/…</a>"));
    }

    #[test]
    fn short_urls_tags_and_code_are_left_alone() {
        let html = format!("<p>see https://a.example/x</p><pre>{LONG}</pre><img src=\"{LONG}\">");
        assert_eq!(shorten(&html, 40), html);
        assert_eq!(short_form("https://x.example/?a=1&amp;b=2", 18), "x.example/?a=1…");
    }
}
