//! Second chances for feeds that real servers get slightly wrong and that
//! feed-rs refuses outright. Each repair is narrow: it applies only to the
//! error it answers, and the repaired body is parsed once more.

/// A repaired body for a parse that failed with `error`, if a known quirk explains it.
pub fn repair(body: &[u8], error: &str) -> Option<Vec<u8>> {
    if error.contains("no root element") {
        return rss_without_version(body);
    }
    if error.contains("unsupported version: http://jsonfeed.org/version/") {
        return json_feed_http_version(body);
    }
    None
}

/// `<rss>` with no `version` attribute: feed-rs needs one; RSS 2.0 is what such feeds are.
fn rss_without_version(body: &[u8]) -> Option<Vec<u8>> {
    let at = find(body, b"<rss")?;
    let end = at + find(&body[at..], b">")?;
    let tag = &body[at..end];
    let bare_name = tag.get(4).is_none_or(|c| c.is_ascii_whitespace() || *c == b'/');
    if !bare_name || find(tag, b"version").is_some() {
        return None;
    }
    Some([&body[..at + 4], b" version=\"2.0\"", &body[at + 4..]].concat())
}

/// JSON Feed's version URL written with http: instead of https:.
fn json_feed_http_version(body: &[u8]) -> Option<Vec<u8>> {
    let at = find(body, b"http://jsonfeed.org/version/")?;
    Some([&body[..at], b"https", &body[at + 4..]].concat())
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rss_gets_a_version_only_when_it_has_none() {
        let fixed = repair(b"<?xml version='1.0'?>\n<rss>\n<channel/></rss>", "no root element").unwrap();
        assert_eq!(fixed, b"<?xml version='1.0'?>\n<rss version=\"2.0\">\n<channel/></rss>");
        assert_eq!(repair(b"<rss version=\"0.91\"><channel/></rss>", "no root element"), None);
        assert_eq!(repair(b"<rssx><channel/></rssx>", "no root element"), None);
        assert_eq!(repair(b"<rss>", "something else"), None);
    }

    #[test]
    fn json_feed_http_version_is_accepted() {
        let body = br#"{"version": "http://jsonfeed.org/version/1", "title": "x", "items": []}"#;
        let fixed = repair(body, "unsupported version: http://jsonfeed.org/version/1").unwrap();
        assert!(String::from_utf8(fixed).unwrap().contains("\"https://jsonfeed.org/version/1\""));
    }
}
