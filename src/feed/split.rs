//! Large feeds, parsed in pieces. feed-rs 3.0 keeps every XML event of a
//! document in one buffer that only grows, so a 25 MB feed costs another
//! 25 MB while it parses. A large RSS, RDF or Atom document is cut at its
//! items' boundaries instead: each piece is the document's head (prolog,
//! root, channel elements before the first item), a run of whole items and
//! the document's tail, a valid feed of its own that is parsed alone.

use std::io::BufRead;
use std::ops::Range;

use quick_xml::events::Event;

/// Documents larger than this are parsed in pieces.
pub const SPLIT_ABOVE: usize = 4 << 20;
/// About this many bytes of items per piece (whole items, at least one).
pub const PIECE: usize = 1 << 20;

/// How a document is cut: its head ends where the first item starts, its
/// tail starts where the last item ends, and `runs` are the items between,
/// grouped about `piece` bytes at a time.
#[derive(Debug, PartialEq)]
pub struct Cut {
    pub head: Range<usize>,
    pub tail: Range<usize>,
    pub runs: Vec<Range<usize>>,
    /// How many items there are in all.
    pub items: usize,
}

impl Cut {
    /// The document of piece `i`: head, run, tail.
    pub fn piece(&self, body: &[u8], i: usize) -> Vec<u8> {
        let run = &self.runs[i];
        [&body[self.head.clone()], &body[run.clone()], &body[self.tail.clone()]].concat()
    }
}

/// Where a feed's items are: RSS 2.0 `<rss><channel><item>`, RSS 1.0
/// `<rdf:RDF><item>`, Atom `<feed><entry>`. None when the body is not UTF-8,
/// not well-formed, or not one of these with at least two pieces' worth of
/// items: the caller parses it whole.
pub fn cut(body: &[u8], piece: usize) -> Option<Cut> {
    std::str::from_utf8(body).ok()?;
    cut_from(body, body.len(), piece)
}

// — #10 fetch memory —
/// `cut` of a `len`-byte document read from `source` (a file: the document
/// is never whole in memory), which the caller knows to be UTF-8.
pub fn cut_from(source: impl BufRead, len: usize, piece: usize) -> Option<Cut> {
    let mut reader = quick_xml::Reader::from_reader(source);
    let mut buf = Vec::new();
    let mut depth = 0usize;
    // The depth items sit at and their element name, once the root is known.
    let mut item: Option<(usize, &str)> = None;
    let mut open: Option<usize> = None;
    let mut items: Vec<Range<usize>> = Vec::new();
    loop {
        buf.clear();
        let before = usize::try_from(reader.buffer_position()).ok()?;
        let event = reader.read_event_into(&mut buf).ok()?;
        let after = usize::try_from(reader.buffer_position()).ok()?;
        match event {
            Event::Start(e) => {
                depth += 1;
                let local = e.local_name();
                let name: &str = local.as_ref();
                if depth == 1 {
                    item = Some(match name {
                        "rss" => (3, "item"),
                        "RDF" => (2, "item"),
                        "feed" => (2, "entry"),
                        _ => return None,
                    });
                } else if item.is_some_and(|(d, item)| d == depth && item == name) {
                    open = Some(before);
                }
            }
            Event::Empty(e) => {
                let local = e.local_name();
                let name: &str = local.as_ref();
                if item.is_some_and(|(d, item)| d == depth + 1 && item == name) {
                    items.push(before..after);
                }
            }
            Event::End(_) => {
                if item.is_some_and(|(d, _)| d == depth)
                    && let Some(start) = open.take()
                {
                    items.push(start..after);
                }
                depth = depth.checked_sub(1)?;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let (first, last) = (items.first()?.start, items.last()?.end);
    let mut runs = Vec::new();
    let mut start = first;
    for it in &items {
        if it.end - start >= piece {
            runs.push(start..it.end);
            start = it.end;
        }
    }
    if start < last {
        runs.push(start..last);
    }
    (runs.len() > 1).then_some(Cut { head: 0..first, tail: last..len, runs, items: items.len() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feed::parse::parse;

    fn rss(n: usize) -> String {
        let mut x = String::from(
            "<?xml version=\"1.0\"?>\n<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\
             <channel><title>Big</title><link>https://big.example/</link>\n",
        );
        for i in 0..n {
            x.push_str(&format!(
                "<item><title>Story {i}</title><guid>g{i}</guid><dc:creator>Ann</dc:creator>\
                 <description><![CDATA[<p>Body {i} with a literal </item> and <item> in it</p>]]></description>\
                 </item>\n<!-- <item> in a comment -->\n"
            ));
        }
        x.push_str("<ttl>60</ttl></channel></rss>\n");
        x
    }

    #[test]
    fn pieces_parse_to_the_same_feed_as_the_whole() {
        let body = rss(300);
        let cut = cut(body.as_bytes(), 4_000).expect("cut");
        assert!(cut.runs.len() > 5, "{} runs", cut.runs.len());
        let whole = parse("https://big.example/rss", body.as_bytes()).unwrap();
        let mut items = Vec::new();
        for i in 0..cut.runs.len() {
            let piece = parse("https://big.example/rss", &cut.piece(body.as_bytes(), i)).unwrap();
            assert_eq!(piece.title.as_deref(), Some("Big"));
            assert_eq!(piece.ttl, Some(60), "the tail comes with every piece");
            items.extend(piece.items);
        }
        assert_eq!(items, whole.items);
        assert_eq!(items.len(), 300);
    }

    #[test]
    fn atom_and_rdf_are_cut_at_their_entries() {
        let mut atom = String::from("<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>A</title>");
        for i in 0..50 {
            atom.push_str(&format!("<entry><id>urn:{i}</id><title>T{i}</title></entry>"));
        }
        atom.push_str("</feed>");
        let c = cut(atom.as_bytes(), 200).unwrap();
        assert!(atom[c.runs[0].clone()].starts_with("<entry>") && atom[c.runs[0].clone()].ends_with("</entry>"));
        let mut rdf = String::from(
            "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns=\"http://purl.org/rss/1.0/\">\
             <channel><title>R</title></channel>",
        );
        for i in 0..50 {
            rdf.push_str(&format!("<item rdf:about=\"u{i}\"><title>T{i}</title></item>"));
        }
        rdf.push_str("</rdf:RDF>");
        assert!(cut(rdf.as_bytes(), 200).is_some());
    }

    #[test]
    fn what_cannot_be_cut_cleanly_is_left_whole() {
        assert_eq!(cut(rss(3).as_bytes(), 1 << 20), None, "one piece: nothing to gain");
        assert_eq!(cut(b"<html><body><item>x</item><item>y</item></body></html>", 1), None);
        assert_eq!(cut(b"<rss><channel><item>x</item><item>y</channel></rss>", 1), None, "not well-formed");
        assert_eq!(cut(b"{\"items\": []}", 1), None);
        assert_eq!(cut(&[b'<', b'r', b's', b's', b'>', 0xe9, b'<', b'/', b'r', b's', b's', b'>'], 1), None);
    }
}
