//! Bytes → `FetchedFeed`, through feed-rs, with everything it can throw at us
//! (errors, panics, junk) turned into a per-feed `ParseError`.

use feed_rs::model::{Entry, Feed, Text};
use sha2::{Digest, Sha256};

use super::{charset, quirks, split};
use crate::model::{FetchedFeed, NewItem};

/// What feed-rs is told to use as an id when an entry has none, so that we
/// can tell and derive our own stable key instead of its random UUID.
const NO_ID: &str = "\u{0}tidings:no-id";

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ParseError {
    #[error("empty response")]
    Empty,
    #[error("not a feed (the server sent a web page)")]
    Html,
    #[error("not a feed ({0})")]
    Invalid(String),
    #[error("not a feed (binary data)")]
    Binary,
    #[error("the feed parser crashed on this feed")]
    Panicked,
}

/// Parses a feed body. Never panics.
pub fn parse(url: &str, bytes: &[u8]) -> Result<FetchedFeed, ParseError> {
    let (feed, items) = parse_model(url, bytes)?;
    Ok(finish(url, feed, items))
}

/// `parse`, freeing the body as soon as the parser is done with it, before
/// the items are converted; a large body is parsed in pieces from its end,
/// each piece's bytes freed as soon as it is parsed, so the body and its
/// items are never both whole in memory.
pub fn parse_owned(url: &str, bytes: Vec<u8>) -> Result<FetchedFeed, ParseError> {
    let bytes = match pieces_from_the_end(url, bytes) {
        Ok(parsed) => return parsed.map(|(feed, items)| finish(url, feed, items)),
        Err(bytes) => bytes,
    };
    let (feed, items) = parse_model(url, &bytes)?;
    drop(bytes);
    Ok(finish(url, feed, items))
}

/// A fresh feed-rs parser over `body` (reusing one after a failure panics),
/// with its panics contained: None when it panicked.
fn run_parser(url: &str, body: &[u8]) -> Option<Result<Feed, feed_rs::parser::ParseFeedError>> {
    crate::panic::contained(|| {
        feed_rs::parser::Builder::new()
            .base_uri(Some(url))
            .id_generator(|_, _, _| NO_ID.to_string())
            .build()
            .parse(body)
    })
}

/// The owned body parsed piece by piece from its last piece to its first,
/// the body cut short after each; Err(body) untouched when it is small, cannot
/// be cut cleanly, or its last piece does not parse (the caller parses it
/// whole, with every second chance).
#[allow(clippy::type_complexity)]
fn pieces_from_the_end(url: &str, mut bytes: Vec<u8>) -> Result<Result<(Feed, Vec<NewItem>), ParseError>, Vec<u8>> {
    let lead = bytes.len() - trim_start(&bytes).len();
    let body = &bytes[lead..];
    if body.len() <= split::SPLIT_ABOVE || looks_binary(body) {
        return Err(bytes);
    }
    let Some(cut) = split::cut(body, split::PIECE) else { return Err(bytes) };
    let head = body[cut.head.clone()].to_vec();
    let tail = body[cut.tail.clone()].to_vec();
    let mut parts: Vec<Vec<NewItem>> = Vec::with_capacity(cut.runs.len());
    let mut first = None;
    for (i, run) in cut.runs.iter().enumerate().rev() {
        let piece = [&head[..], &bytes[lead + run.start..lead + run.end], &tail[..]].concat();
        let mut feed = match run_parser(url, &piece) {
            Some(Ok(feed)) => feed,
            _ if parts.is_empty() => return Err(bytes),
            Some(Err(e)) => return Ok(Err(ParseError::Invalid(e.to_string()))),
            None => return Ok(Err(ParseError::Panicked)),
        };
        parts.push(std::mem::take(&mut feed.entries).into_iter().map(convert).collect());
        bytes.truncate(lead + run.start);
        bytes.shrink_to_fit();
        if i == 0 {
            first = Some(feed);
        }
    }
    let mut items = Vec::with_capacity(cut.items);
    for part in parts.into_iter().rev() {
        items.extend(part);
    }
    Ok(first.map(|feed| (feed, items)).ok_or(ParseError::Empty))
}

/// The parser computes the search words of a feed's items up to this many
/// bytes; the store computes the rest itself, so a huge feed does not hold
/// all its text twice while it waits to be stored.
const WORDS_BUDGET: usize = 4 << 20;

/// The parsed document (its entries taken out) and its items.
fn parse_model(url: &str, bytes: &[u8]) -> Result<(Feed, Vec<NewItem>), ParseError> {
    let body = trim_start(bytes);
    if body.is_empty() {
        return Err(ParseError::Empty);
    }
    if looks_binary(body) {
        return Err(ParseError::Binary);
    }
    let repaired = charset::repair(body);
    let body = repaired.as_deref().unwrap_or(body);
    let run = |body: &[u8]| run_parser(url, body);
    if body.len() > split::SPLIT_ABOVE
        && let Some(parsed) = in_pieces(body, &run)
    {
        return Ok(parsed);
    }
    let mut result = run(body);
    if let Some(Err(e)) = &result
        && let Some(fixed) = quirks::repair(body, &e.to_string())
    {
        result = run(&fixed);
    }
    match result {
        None => Err(ParseError::Panicked),
        Some(Err(e)) if looks_like_html(body) => {
            tracing::debug!(url, error = %e, "HTML instead of a feed");
            Err(ParseError::Html)
        }
        Some(Err(e)) => Err(ParseError::Invalid(e.to_string())),
        Some(Ok(mut feed)) => {
            let items = std::mem::take(&mut feed.entries).into_iter().map(convert).collect();
            Ok((feed, items))
        }
    }
}

/// A large document parsed piece by piece (`split`), each piece's entries
/// converted as soon as it is parsed; None when it cannot be cut cleanly or
/// a piece does not parse (the caller then parses it whole).
fn in_pieces(
    body: &[u8],
    run: &impl Fn(&[u8]) -> Option<Result<Feed, feed_rs::parser::ParseFeedError>>,
) -> Option<(Feed, Vec<NewItem>)> {
    let cut = split::cut(body, split::PIECE)?;
    let mut items = Vec::with_capacity(cut.items);
    let mut whole: Option<Feed> = None;
    for i in 0..cut.runs.len() {
        let Some(Ok(mut feed)) = run(&cut.piece(body, i)) else { return None };
        items.extend(std::mem::take(&mut feed.entries).into_iter().map(convert));
        match &mut whole {
            None => whole = Some(feed),
            Some(w) if w.title.is_none() => w.title = feed.title,
            Some(_) => {}
        }
    }
    Some((whole?, items))
}

/// The parsed document as tidings' own model.
fn finish(url: &str, feed: Feed, mut items: Vec<NewItem>) -> FetchedFeed {
    let site_url =
        feed.links.iter().find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate")).map(|l| l.href.clone());
    let mut budget = WORDS_BUDGET;
    for item in &mut items {
        if budget == 0 {
            break;
        }
        let words = crate::article::plain::index_body([item.summary.as_deref(), item.content.as_deref()]);
        budget = budget.saturating_sub(words.len().max(1));
        item.words = Some(words);
    }
    FetchedFeed {
        url: url.to_string(),
        title: feed.title.as_ref().map(plain).filter(|t| !t.is_empty()),
        site_url,
        items,
        etag: None,
        last_modified: None,
        ttl: feed.ttl,
    }
}

fn convert(e: Entry) -> NewItem {
    let link = e.links.iter().find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate")).map(|l| l.href.clone());
    let published = e.published.map(|d| d.timestamp());
    let updated = e.updated.map(|d| d.timestamp());
    let title = e.title.as_ref().map(plain).unwrap_or_default();
    let key = if e.id != NO_ID && !e.id.trim().is_empty() {
        e.id.clone()
    } else if let Some(link) = &link {
        link.clone()
    } else {
        // Neither guid nor link: title and date are all that identify it.
        let mut h = Sha256::new();
        h.update(title.as_bytes());
        h.update(published.or(updated).unwrap_or(0).to_le_bytes());
        let hex: String = h.finalize()[..12].iter().map(|b| format!("{b:02x}")).collect();
        format!("hash:{hex}")
    };
    let content = e.content.and_then(|c| c.body).filter(|b| !b.trim().is_empty());
    let summary = e.summary.map(|s| s.content).filter(|s| !s.trim().is_empty());
    NewItem {
        key,
        title,
        link,
        author: e.authors.first().map(|a| a.name.as_deref().unwrap_or("").trim().to_string()).filter(|a| !a.is_empty()),
        published,
        updated,
        summary,
        content,
        categories: e
            .categories
            .into_iter()
            .map(|c| c.label.unwrap_or(c.term).trim().to_string())
            .filter(|c| !c.is_empty())
            .collect(),
        words: None,
    }
}

/// The text of a title: as is for plain text (so `<Treaty>` stays), with
/// tags stripped when the feed declared it HTML.
fn plain(t: &Text) -> String {
    let subtype = t.content_type.subty();
    if subtype == "html" || subtype == "xhtml+xml" || subtype == "xhtml" {
        html2text::config::plain_no_decorate()
            .string_from_read(t.content.as_bytes(), 100_000)
            .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
            .unwrap_or_else(|_| t.content.clone())
    } else {
        t.content.trim().to_string()
    }
}

/// Skips leading whitespace (and whitespace after a UTF-8 byte order mark,
/// which XML parsers refuse before the prolog).
fn trim_start(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(bytes.len());
    &bytes[start..]
}

/// Compressed data, images and other non-text: NUL bytes where no UTF-16
/// byte order mark explains them, or a gzip/zip/PNG/PDF signature.
fn looks_binary(body: &[u8]) -> bool {
    const MAGIC: [&[u8]; 5] = [b"\x1f\x8b", b"PK\x03\x04", b"\x89PNG", b"%PDF", b"GIF8"];
    if MAGIC.iter().any(|m| body.starts_with(m)) {
        return true;
    }
    let utf16 = [&[0xff, 0xfe], &[0xfe, 0xff], b"<\0", b"\0<"].iter().any(|m| body.starts_with(*m));
    let head = &body[..body.len().min(4096)];
    !utf16 && head.iter().filter(|&&b| b == 0).count() > 0
}

fn looks_like_html(body: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&body[..body.len().min(1024)]).to_ascii_lowercase();
    head.contains("<!doctype html") || head.contains("<html")
}

#[cfg(test)]
mod tests {
    use super::*;

    const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Test &amp; Co</title><link>https://t.example/</link>
<item><title>Live: Putin &amp; the "Partnership" &lt;Treaty&gt;</title><guid>g-1</guid>
  <link>https://t.example/1</link><pubDate>Tue, 18 Jun 2024 21:05:00 GMT</pubDate>
  <description>Short</description><category>world</category></item>
<item><title><![CDATA[CDATA & <kept> "as is"]]></title><link>https://t.example/2</link></item>
<item><title>No guid, no link</title><pubDate>Wed, 19 Jun 2024 08:00:00 GMT</pubDate></item>
</channel></rss>"#;

    #[test]
    fn titles_keep_exact_text() {
        let f = parse("https://t.example/rss", RSS.as_bytes()).unwrap();
        assert_eq!(f.title.as_deref(), Some("Test & Co"));
        let titles: Vec<_> = f.items.iter().map(|i| i.title.as_str()).collect();
        assert_eq!(
            titles,
            ["Live: Putin & the \"Partnership\" <Treaty>", "CDATA & <kept> \"as is\"", "No guid, no link"]
        );
        assert_eq!(f.items[0].published, Some(1718744700));
        assert_eq!(f.items[0].categories, ["world"]);
    }

    #[test]
    fn keys_are_guid_then_link_then_stable_hash() {
        let a = parse("https://t.example/rss", RSS.as_bytes()).unwrap();
        let b = parse("https://t.example/rss", RSS.as_bytes()).unwrap();
        assert_eq!(a.items[0].key, "g-1");
        assert_eq!(a.items[1].key, "https://t.example/2");
        assert!(a.items[2].key.starts_with("hash:"));
        assert_eq!(a.items[2].key, b.items[2].key, "no random ids");
    }

    #[test]
    fn atom_html_titles_are_stripped() {
        let atom = r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><id>urn:a</id>
          <entry><id>urn:1</id><title type="html">&lt;b&gt;Bold&lt;/b&gt; news</title>
          <link href="https://a.example/1"/><updated>2024-06-01T00:00:00Z</updated>
          <content type="html">&lt;p&gt;Body&lt;/p&gt;</content></entry></feed>"#;
        let f = parse("https://a.example/atom", atom.as_bytes()).unwrap();
        assert_eq!(f.items[0].title, "Bold news");
        assert_eq!(f.items[0].content.as_deref(), Some("<p>Body</p>"));
        assert_eq!(f.items[0].link.as_deref(), Some("https://a.example/1"));
    }

    #[test]
    fn junk_is_a_clean_error() {
        assert_eq!(parse("u", b"   \n"), Err(ParseError::Empty));
        assert_eq!(parse("u", b"<!DOCTYPE html><html><body>hi</body></html>"), Err(ParseError::Html));
        assert!(matches!(parse("u", &[0xff, 0xfe, 0x00, 0x12, 0x88]), Err(ParseError::Invalid(_))));
        assert_eq!(parse("u", &[0x1f, 0x8b, 0x08, 0x00, 0x12]), Err(ParseError::Binary));
        assert_eq!(parse("u", &[b'<', b'r', 0, 0x07, 0x99, 0x00]), Err(ParseError::Binary));
        assert_eq!(ParseError::Binary.to_string(), "not a feed (binary data)");
    }

    #[test]
    fn windows_1252_declared_as_utf8_comes_out_right() {
        let mut rss = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>Caf".to_vec();
        rss.extend_from_slice(&[0xe9]); // é in windows-1252, invalid as UTF-8
        rss.extend_from_slice(b"</title><item><title>");
        rss.extend_from_slice(&[0x93, b'Q', b'u', b'o', b't', b'e', b'd', 0x94, b' ', 0x80, b'5']);
        rss.extend_from_slice(b"</title><guid>1</guid></item></channel></rss>");
        let f = parse("https://c.example/rss", &rss).unwrap();
        assert_eq!(f.title.as_deref(), Some("Café"));
        assert_eq!(f.items[0].title, "\u{201c}Quoted\u{201d} \u{20ac}5");
    }

    #[test]
    fn a_large_feed_parses_in_pieces_to_every_item_in_order() {
        let mut rss = String::from("<rss version=\"2.0\"><channel><title>Big</title>");
        let body = "plain words ".repeat(400);
        let mut n = 0;
        while rss.len() <= split::SPLIT_ABOVE + 100_000 {
            rss.push_str(&format!(
                "<item><title>S{n}</title><guid>g{n}</guid><description><![CDATA[{body}]]></description></item>"
            ));
            n += 1;
        }
        rss.push_str("</channel></rss>");
        let borrowed = parse("https://big.example/", rss.as_bytes()).unwrap();
        let f = parse_owned("https://big.example/", rss.into_bytes()).unwrap();
        assert_eq!(f, borrowed, "from the end, freeing as it goes, or from the start: the same feed");
        assert_eq!(f.title.as_deref(), Some("Big"));
        assert_eq!(f.items.len(), n);
        assert!(f.items.iter().enumerate().all(|(i, it)| it.key == format!("g{i}") && it.title == format!("S{i}")));
        let with_words = f.items.iter().take_while(|i| i.words.is_some()).count();
        assert!(with_words > 0 && with_words < n, "words up to the budget ({with_words} of {n})");
        assert!(f.items[with_words..].iter().all(|i| i.words.is_none()));
    }

    #[test]
    fn ttl_is_kept() {
        let rss =
            r#"<rss version="2.0"><channel><title>T</title><ttl>90</ttl><item><guid>1</guid></item></channel></rss>"#;
        assert_eq!(parse("https://t.example/", rss.as_bytes()).unwrap().ttl, Some(90));
    }

    #[test]
    fn parser_panic_becomes_an_error() {
        // feed-rs 3.0 overflows on a 20+ digit itunes:duration.
        let rss = r#"<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><title>P</title>
          <item><title>x</title><guid>1</guid><itunes:duration>99999999999999999999999</itunes:duration></item></channel></rss>"#;
        let r = parse("https://p.example/feed", rss.as_bytes());
        assert!(matches!(r, Err(ParseError::Panicked) | Ok(_)), "{r:?}");
    }
}
