//! Enclosures: the media files of podcast episodes and video feeds.
//!
//! feed-rs reports them in three places (Media RSS objects, Atom
//! `rel="enclosure"` links, JSON Feed attachments) and drops an RSS
//! `<enclosure>` when the item also has `media:content`, and an
//! `<itunes:duration>` when nothing else of iTunes' is there. So RSS
//! documents that hold `<enclosure` are read once more, item by item, for
//! their enclosures and durations; the scan runs only on those documents.

use feed_rs::model::Entry;

use super::xml_scan::{Tag, attr_value, next_tag_named, text_after};
use crate::model::Enclosure;
use crate::url_policy::{self, Origin};

/// What the raw document says about one `<item>`.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct RawItem {
    pub enclosures: Vec<Enclosure>,
    /// `<itunes:duration>`, in seconds.
    pub duration: Option<u64>,
}

/// Only what the one URL policy lets the network name (http and https):
/// nothing from a feed may make the reader open a local file or another scheme.
fn allowed(url: &str) -> bool {
    url_policy::check(url, Origin::Network).is_ok()
}

/// An absolute http(s) URL, resolved against the feed's URL when relative.
fn absolute(href: &str, base: Option<&url::Url>) -> Option<String> {
    let href = href.trim();
    if plain_absolute(href) {
        return Some(href.to_string()); // what parsing would give back (most are)
    }
    let url = match url::Url::parse(href) {
        Ok(u) => u,
        Err(url::ParseError::RelativeUrlWithoutBase) => base?.join(href).ok()?,
        Err(_) => return None,
    };
    let url = url.to_string();
    allowed(&url).then_some(url)
}

/// `https://host.example/path?query` in lower-case scheme and host and with
/// nothing a URL parser would change (no spaces, quotes, backslashes or
/// non-ASCII, a path after the host): taken as it is, without parsing.
fn plain_absolute(href: &str) -> bool {
    let Some(rest) = href.strip_prefix("https://").or_else(|| href.strip_prefix("http://")) else { return false };
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = &rest[..host_end];
    let host_ok = !host.is_empty()
        && host.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
        && !host.starts_with('.')
        && !host.ends_with('.');
    host_ok
        && rest[host_end..].starts_with('/')
        && !rest.contains("/.")
        && rest[host_end..].bytes().all(|b| b.is_ascii_graphic() && !b"\"<>\\^`{|}".contains(&b))
}

/// True when feed-rs will have dropped something of an RSS document's
/// enclosures: an `<enclosure>` beside `media:content`, or the
/// `<itunes:duration>` of items it kept no duration for. Most documents
/// are told apart by a few substring searches.
pub fn lost_by_feed_rs(body: &[u8], entries: &[Entry]) -> bool {
    let has = |needle: &[u8]| memchr::memmem::find(body, needle).is_some();
    if !has(b"<enclosure") {
        return false;
    }
    if has(b"media:content") {
        return true;
    }
    let no_duration = |e: &Entry| {
        !e.media.is_empty()
            && e.media.iter().all(|m| m.duration.is_none() && m.content.iter().all(|c| c.duration.is_none()))
    };
    has(b"itunes:duration") && entries.iter().any(no_duration)
}

/// Per `<item>` of an RSS document, in document order; None when the
/// document holds no `<enclosure` (nothing for feed-rs to have dropped).
pub fn scan_rss(body: &[u8], base: Option<&url::Url>) -> Option<Vec<RawItem>> {
    memchr::memmem::find(body, b"<enclosure")?;
    let mut items = Vec::new();
    let mut current: Option<RawItem> = None;
    let mut from = 0;
    let wanted = |name: &[u8]| {
        let local = name.iter().position(|&b| b == b':').map_or(name, |i| &name[i + 1..]);
        matches!(local, b"item" | b"enclosure" | b"duration")
    };
    while let Some(tag) = next_tag_named(body, from, wanted) {
        from = tag.end;
        let name = &body[tag.name.0..tag.name.1];
        let local = name.iter().position(|&b| b == b':').map_or(name, |i| &name[i + 1..]);
        match (local, tag.closing) {
            (b"item", false) if !tag.self_closing => current = Some(RawItem::default()),
            (b"item", false) => items.push(RawItem::default()),
            (b"item", true) => items.extend(current.take()),
            (b"enclosure", false) if name == b"enclosure" => {
                if let Some(item) = current.as_mut()
                    && let Some(e) = enclosure(body, &tag, base)
                {
                    item.enclosures.push(e);
                }
            }
            (b"duration", false) if name == b"itunes:duration" && !tag.self_closing => {
                if let Some(item) = current.as_mut() {
                    item.duration = text_after(body, &tag).as_deref().and_then(duration);
                }
            }
            _ => {}
        }
    }
    Some(items)
}

fn enclosure(body: &[u8], tag: &Tag, base: Option<&url::Url>) -> Option<Enclosure> {
    let url = absolute(&attr_value(body, tag, b"url")?, base)?;
    let mime = attr_value(body, tag, b"type").map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
    let length = attr_value(body, tag, b"length").and_then(|l| l.trim().parse::<u64>().ok()).filter(|&l| l > 0);
    Some(Enclosure { url, mime, length, duration: None })
}

/// An iTunes duration: `1:02:13`, `62:13`, `3733` or `3733.5` seconds.
pub fn duration(text: &str) -> Option<u64> {
    let text = text.trim();
    let whole = text.split('.').next()?;
    let mut secs: u64 = 0;
    let parts: Vec<&str> = whole.split(':').collect();
    if parts.len() > 3 || parts.iter().any(|p| p.is_empty() || p.len() > 6 || !p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    for p in parts {
        secs = secs.checked_mul(60)?.checked_add(p.parse().ok()?)?;
    }
    (secs > 0).then_some(secs)
}

/// The enclosures of one entry: the raw scan's RSS enclosures when there is
/// one, then audio and video from Media RSS, Atom enclosure links and JSON
/// Feed attachments; no URL twice. Durations fill in where missing.
pub fn of_entry(e: &Entry, raw: Option<&RawItem>, base: Option<&url::Url>) -> Vec<Enclosure> {
    let mut out: Vec<Enclosure> = raw.map(|r| r.enclosures.clone()).unwrap_or_default();
    let mut duration = raw.and_then(|r| r.duration);
    for object in &e.media {
        duration = duration.or(object.duration.map(|d| d.as_secs()).filter(|&d| d > 0));
        for c in &object.content {
            // feed-rs has parsed (and resolved) it already.
            let Some(url) = c.url.as_ref().filter(|u| Origin::Network.allows(u)).map(|u| u.to_string()) else {
                continue;
            };
            let mime = c.content_type.as_ref().map(|t| t.to_string());
            let d = c.duration.map(|d| d.as_secs()).filter(|&d| d > 0);
            let e = Enclosure { url, mime, length: c.size.filter(|&s| s > 0), duration: d };
            // Media RSS also lists pictures, which are not enclosures; RSS
            // <enclosure>s come from the raw scan, whatever their type.
            if e.playable() {
                push(&mut out, e);
            }
        }
    }
    for link in &e.links {
        let is_enclosure =
            link.rel.as_deref() == Some("enclosure") || (link.rel.is_none() && link.media_type.is_some());
        if !is_enclosure {
            continue;
        }
        let Some(url) = absolute(&link.href, base) else { continue };
        let mime = link.media_type.clone().filter(|m| !m.trim().is_empty());
        push(&mut out, Enclosure { url, mime, length: link.length.filter(|&l| l > 0), duration: None });
    }
    if let Some(d) = duration
        && let Some(first) = out.iter_mut().find(|e| e.duration.is_none())
    {
        first.duration = Some(d);
    }
    out
}

fn push(out: &mut Vec<Enclosure>, e: Enclosure) {
    match out.iter_mut().find(|o| o.url == e.url) {
        Some(o) => {
            o.mime = o.mime.take().or(e.mime);
            o.length = o.length.or(e.length);
            o.duration = o.duration.or(e.duration);
        }
        None => out.push(e),
    }
}

/// JSON Feed attachments' `duration_in_seconds` (feed-rs drops it), per item
/// and attachment; None unless the document has one.
pub fn json_durations(body: &[u8]) -> Option<Vec<Vec<Option<u64>>>> {
    memchr::memmem::find(body, b"duration_in_seconds")?;
    let doc: serde_json::Value = serde_json::from_slice(body).ok()?;
    let items = doc.get("items")?.as_array()?;
    Some(
        items
            .iter()
            .map(|item| {
                let list = item.get("attachments").and_then(|a| a.as_array());
                list.map(|l| {
                    l.iter().map(|a| a.get("duration_in_seconds").and_then(|d| d.as_f64()).map(|d| d as u64)).collect()
                })
                .unwrap_or_default()
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_urls_are_taken_as_parsing_would_give_them() {
        let base = url::Url::parse("https://p.example/feed").ok();
        for href in [
            "https://cdn.example/a/b.mp3?x=1&y=2#t",
            "http://cdn.example/a%20b.mp3",
            "HTTPS://CDN.example/a.mp3",
            "https://cdn.example/a b.mp3",
            "https://cdn.example",
            "https://cdn.example/a/../b.mp3",
            "https://cdn.example:8080/a.mp3",
            "https://bücher.example/a.mp3",
        ] {
            let parsed = url::Url::parse(href).unwrap().to_string();
            assert_eq!(absolute(href, base.as_ref()).as_deref(), Some(parsed.as_str()), "{href}");
        }
    }

    #[test]
    fn itunes_durations() {
        assert_eq!(duration("1:02:13"), Some(3733));
        assert_eq!(duration("62:13"), Some(3733));
        assert_eq!(duration(" 3733 "), Some(3733));
        assert_eq!(duration("3733.5"), Some(3733));
        assert_eq!(duration("99999999999999999999999"), None);
        assert_eq!(duration("1:2:3:4"), None);
        assert_eq!(duration("abc"), None);
        assert_eq!(duration(""), None);
    }

    #[test]
    fn rss_enclosures_are_read_per_item_even_beside_media_content() {
        let rss = br#"<rss><channel><item><title>a</title>
            <enclosure url="https://p.example/a.mp3?x=1&amp;y=2" type="audio/mpeg" length="45000000"/>
            <media:content url="https://p.example/a.jpg" medium="image"/>
            <itunes:duration>1:02:13</itunes:duration></item>
            <item><title>b</title><!-- <enclosure url="https://p.example/no.mp3"/> --></item>
            <item><enclosure url="/rel/c.mp3" type="audio/mpeg"/><enclosure url="file:///etc/passwd"/></item>
            </channel></rss>"#;
        let base = url::Url::parse("https://p.example/feed").ok();
        let items = scan_rss(rss, base.as_ref()).unwrap();
        assert_eq!(items.len(), 3);
        assert_eq!(
            items[0].enclosures,
            [Enclosure {
                url: "https://p.example/a.mp3?x=1&y=2".into(),
                mime: Some("audio/mpeg".into()),
                length: Some(45_000_000),
                duration: None
            }]
        );
        assert_eq!(items[0].duration, Some(3733));
        assert!(items[1].enclosures.is_empty());
        assert_eq!(items[2].enclosures.len(), 1, "file:// is not an enclosure: {:?}", items[2]);
        assert_eq!(items[2].enclosures[0].url, "https://p.example/rel/c.mp3");
        assert_eq!(scan_rss(b"<rss><item/></rss>", None), None);
    }
}
