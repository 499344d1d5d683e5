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
    assert_eq!(titles, ["Live: Putin & the \"Partnership\" <Treaty>", "CDATA & <kept> \"as is\"", "No guid, no link"]);
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
    let spilled = parse_owned("https://big.example/", rss.into_bytes()).unwrap();
    assert!(spilled.spilled.is_some(), "the texts wait in a file");
    let mut f = spilled.unspilled().unwrap();
    // Whole, the parser computes the first 4 MB of words (the store the
    // rest); in pieces, all of them.
    let with_words = borrowed.items.iter().take_while(|i| i.words.is_some()).count();
    assert!(with_words > 0 && with_words < n, "words up to the budget ({with_words} of {n})");
    assert!(borrowed.items[with_words..].iter().all(|i| i.words.is_none()));
    assert!(f.items.iter().all(|i| i.words.is_some()));
    f.items[with_words..].iter_mut().for_each(|i| i.words = None);
    assert!(f == borrowed, "from the end, freeing as it goes, or from the start: the same feed");
    assert_eq!(f.title.as_deref(), Some("Big"));
    assert_eq!(f.items.len(), n);
    assert!(f.items.iter().enumerate().all(|(i, it)| it.key == format!("g{i}") && it.title == format!("S{i}")));
}

// — #10 fetch memory —
fn spooled(bytes: &[u8]) -> Spooled {
    let mut file = tempfile::tempfile().unwrap();
    std::io::Write::write_all(&mut file, bytes).unwrap();
    Spooled { file: std::sync::Arc::new(file), len: bytes.len() as u64 }
}

fn big_rss(odd: &[u8]) -> Vec<u8> {
    let mut rss = b"  \n<rss version=\"2.0\"><channel><title>Big</title>".to_vec();
    let body = "plain words ".repeat(400);
    let mut n = 0;
    while rss.len() <= SPOOL_ABOVE + 100_000 {
        rss.extend_from_slice(
            format!("<item><title>S{n}</title><guid>g{n}</guid><description><![CDATA[{body}").as_bytes(),
        );
        rss.extend_from_slice(if n == 77 { odd } else { b"" });
        rss.extend_from_slice(b"]]></description></item>");
        n += 1;
    }
    rss.extend_from_slice(b"<ttl>5</ttl></channel></rss>\n");
    rss
}

#[test]
fn a_spooled_body_parses_to_the_same_feed_as_one_in_memory() {
    let url = "https://big.example/";
    // Large and cut in pieces read from the file, large and not UTF-8
    // (read whole), small.
    let big = big_rss("caf\u{e9} \u{1f600}".as_bytes());
    let cp1252 = big_rss(&[0x93, b'Q', 0x94]);
    for (body, in_pieces) in [(big, true), (cp1252, false), (RSS.as_bytes().to_vec(), false)] {
        let from_file = parse_spooled(url, &spooled(&body)).unwrap();
        assert_eq!(from_file.spilled.is_some(), in_pieces);
        let in_memory = parse_owned(url, body).unwrap();
        assert_eq!(from_file.ttl, in_memory.ttl);
        assert!(from_file.unspilled().unwrap() == in_memory.unspilled().unwrap());
    }
    assert!(parse_spooled(url, &spooled(b"")).is_err());
}

#[test]
fn utf8_is_checked_across_reads() {
    /// Gives its bytes a few at a time, cutting characters in two.
    struct Trickle<'a>(&'a [u8]);
    impl std::io::Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.0.len().min(buf.len()).min(3);
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }
    assert!(is_utf8(Trickle("ab\u{e9}\u{1f600}c\u{20ac}".as_bytes())).unwrap());
    assert!(!is_utf8(Trickle(b"ab\xe9c")).unwrap());
    assert!(!is_utf8(Trickle("ab\u{1f600}".as_bytes().split_last().unwrap().1)).unwrap(), "cut at the end");
}

#[test]
fn ttl_is_kept() {
    let rss = r#"<rss version="2.0"><channel><title>T</title><ttl>90</ttl><item><guid>1</guid></item></channel></rss>"#;
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
