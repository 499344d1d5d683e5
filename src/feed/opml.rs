//! OPML feed lists: reading one exported by another reader (nested outlines
//! become tags, as does a `category` attribute) and writing OPML 2.0 with
//! each feed's tags as its `category`. The XML itself is the `opml` crate's.

use opml::{OPML, Outline};

use crate::config::edit::NewFeed;

#[derive(Debug, thiserror::Error)]
#[error("not a readable OPML file: {0}")]
pub struct OpmlError(String);

/// Folders nested deeper than this are refused: no reader exports them, and
/// a file nested ten thousand deep would overflow the parser's stack.
pub const MAX_DEPTH: usize = 32;
/// Outlines (feeds and folders) in one file, at most.
pub const MAX_OUTLINES: usize = 10_000;

/// The feeds of an OPML document, in document order; a feed listed under
/// several folders appears once with all their tags.
pub fn read(text: &str) -> Result<Vec<NewFeed>, OpmlError> {
    check_shape(text)?;
    let doc = OPML::from_str(text).map_err(|e| OpmlError(describe(&e)))?;
    let mut feeds = Feeds::default();
    walk(&doc.body.outlines, &mut Vec::new(), &mut feeds);
    Ok(feeds.list)
}

/// One streaming pass before the (recursive) OPML parser sees the text:
/// nesting and size within bounds, or an error naming the line and column.
fn check_shape(text: &str) -> Result<(), OpmlError> {
    use quick_xml::events::Event;
    // <opml><body> hold the outlines.
    const MAX_ELEMENTS_DEEP: usize = MAX_DEPTH + 2;
    let mut reader = quick_xml::Reader::from_str(text);
    let (mut depth, mut outlines) = (0usize, 0usize);
    loop {
        let at = reader.buffer_position() as usize;
        let (opens, is_outline) = match reader.read_event() {
            Ok(Event::Start(e)) => (true, e.local_name().into_inner() == "outline"),
            Ok(Event::Empty(e)) => (false, e.local_name().into_inner() == "outline"),
            Ok(Event::End(_)) => {
                depth = depth.saturating_sub(1);
                continue;
            }
            Ok(Event::Eof) => return Ok(()),
            Ok(_) => continue,
            Err(e) => {
                let (line, column) = line_column(text, reader.error_position() as usize);
                return Err(OpmlError(format!("line {line}, column {column}: {e}")));
            }
        };
        if depth + 1 > MAX_ELEMENTS_DEEP {
            let (line, column) = line_column(text, at);
            return Err(OpmlError(format!("line {line}, column {column}: outlines nested more than {MAX_DEPTH} deep")));
        }
        if is_outline {
            outlines += 1;
            if outlines > MAX_OUTLINES {
                let (line, column) = line_column(text, at);
                return Err(OpmlError(format!("line {line}, column {column}: more than {MAX_OUTLINES} outlines")));
            }
        }
        if opens {
            depth += 1;
        }
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut at = offset.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let before = &text[..at];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (before.matches('\n').count() + 1, before[line_start..].chars().count() + 1)
}

/// The feeds found so far, in order, with an index by URL (a big file stays linear).
#[derive(Default)]
struct Feeds {
    list: Vec<NewFeed>,
    by_url: std::collections::HashMap<String, usize>,
}

fn describe(e: &opml::Error) -> String {
    match e {
        opml::Error::XmlError(x) => format!("{e} ({x})"),
        other => other.to_string(),
    }
}

fn walk(outlines: &[Outline], folders: &mut Vec<String>, out: &mut Feeds) {
    for o in outlines {
        if o.is_comment == Some(true) {
            continue;
        }
        let label = [o.title.as_deref(), Some(o.text.as_str())]
            .into_iter()
            .flatten()
            .map(str::trim)
            .find(|s| !s.is_empty())
            .map(String::from);
        match o.xml_url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
            Some(url) => {
                let mut tags = folders.clone();
                tags.extend(categories(o.category.as_deref()));
                let title = label.filter(|l| l != url);
                match out.by_url.get(url) {
                    Some(&i) => merge(&mut out.list[i].tags, tags),
                    None => {
                        let mut feed = NewFeed { url: url.to_string(), title, tags: vec![] };
                        merge(&mut feed.tags, tags);
                        out.by_url.insert(url.to_string(), out.list.len());
                        out.list.push(feed);
                    }
                }
            }
            None => {
                // A folder: its name is a tag of everything inside.
                let pushed = label.is_some();
                if let Some(l) = label {
                    folders.push(l);
                }
                walk(&o.outlines, folders, out);
                if pushed {
                    folders.pop();
                }
            }
        }
    }
}

fn merge(into: &mut Vec<String>, tags: Vec<String>) {
    for t in tags {
        if !into.contains(&t) {
            into.push(t);
        }
    }
}

/// "news, /world/europe" → ["news", "europe"]: each comma-separated
/// category, reduced to its last path segment.
fn categories(attr: Option<&str>) -> Vec<String> {
    attr.unwrap_or("")
        .split(',')
        .filter_map(|c| c.trim().trim_matches('/').rsplit('/').next().map(str::trim))
        .filter(|c| !c.is_empty())
        .map(String::from)
        .collect()
}

/// One feed to export.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportFeed {
    pub url: String,
    pub title: String,
    pub site_url: Option<String>,
    pub tags: Vec<String>,
}

/// An OPML 2.0 document, flat, tags as `category="a,b"`.
pub fn write(feeds: &[ExportFeed], created: &str) -> Result<String, OpmlError> {
    let mut doc = OPML::default();
    if let Some(head) = doc.head.as_mut() {
        head.title = Some("tidings feeds".into());
        head.date_created = Some(created.to_string());
    }
    doc.body.outlines = feeds
        .iter()
        .map(|f| Outline {
            text: f.title.clone(),
            title: Some(f.title.clone()),
            r#type: Some("rss".into()),
            xml_url: Some(f.url.clone()),
            html_url: f.site_url.clone(),
            category: (!f.tags.is_empty()).then(|| f.tags.join(",")),
            ..Outline::default()
        })
        .collect();
    let xml = doc.to_string().map_err(|e| OpmlError(describe(&e)))?;
    Ok(format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}", indent(&xml)))
}

/// One element per line, indented two spaces a level (the serializer writes
/// one long line). Text stays inside its element's line; attribute values
/// are escaped by the serializer, so `><` only ever joins two tags.
fn indent(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len() + xml.len() / 8);
    let mut depth = 0usize;
    let pieces: Vec<&str> = xml.split("><").collect();
    let last = pieces.len().saturating_sub(1);
    for (i, piece) in pieces.iter().enumerate() {
        let tag = format!("{}{piece}{}", if i > 0 { "<" } else { "" }, if i < last { ">" } else { "" });
        let closing = tag.starts_with("</");
        if closing {
            depth = depth.saturating_sub(1);
        }
        out.push_str(&"  ".repeat(depth));
        out.push_str(&tag);
        out.push('\n');
        let self_contained = tag.ends_with("/>") || tag[1..].contains("</") || tag.starts_with("<?");
        if !closing && !self_contained {
            depth += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_export_is_indented_and_reads_back() {
        let feeds = vec![
            ExportFeed {
                url: "https://a.example/rss".into(),
                title: "A <&> \"B\"".into(),
                site_url: None,
                tags: vec!["news".into()],
            },
            ExportFeed { url: "https://c.example/atom".into(), title: "C".into(), site_url: None, tags: vec![] },
        ];
        let xml = write(&feeds, "Tue, 18 Jun 2024 21:05:00 +0000").unwrap();
        let lines: Vec<&str> = xml.lines().collect();
        assert!(lines.len() >= 8, "{xml}");
        assert!(
            lines.iter().any(|l| l.starts_with("    <outline ") && l.contains("xmlUrl=\"https://a.example/rss\"")),
            "{xml}"
        );
        assert!(lines.contains(&"  <head>"), "{xml}");
        assert_eq!(lines.last(), Some(&"</opml>"));
        let back = read(&xml).unwrap();
        assert_eq!(back.len(), 2);
        assert_eq!(back[0].title.as_deref(), Some("A <&> \"B\""));
    }

    #[test]
    fn nested_outlines_and_categories_become_tags() {
        let text = r#"<?xml version="1.0" encoding="UTF-8"?>
<!-- exported by some reader -->
<opml version="1.0"><head><title>Subscriptions</title></head><body>
  <outline text="News" title="News">
    <outline text="World">
      <outline type="rss" text="Wire &amp; Co" title="Wire &amp; Co" xmlUrl="https://wire.example/rss" htmlUrl="https://wire.example/"/>
    </outline>
    <outline type="rss" text="Daily" xmlUrl="https://daily.example/feed" category="/Local/Boston,politics"/>
  </outline>
  <outline text="Tech"><outline type="rss" text="Wire &amp; Co" xmlUrl="https://wire.example/rss"/></outline>
  <outline type="rss" text="https://bare.example/atom" xmlUrl="https://bare.example/atom" someOther="x"/>
  <outline text="Empty folder"/>
</body></opml>"#;
        let feeds = read(text).unwrap();
        let got: Vec<(&str, Option<&str>, Vec<&str>)> = feeds
            .iter()
            .map(|f| (f.url.as_str(), f.title.as_deref(), f.tags.iter().map(String::as_str).collect()))
            .collect();
        assert_eq!(
            got,
            [
                ("https://wire.example/rss", Some("Wire & Co"), vec!["News", "World", "Tech"]),
                ("https://daily.example/feed", Some("Daily"), vec!["News", "Boston", "politics"]),
                ("https://bare.example/atom", None, vec![]),
            ]
        );
    }

    fn outlines(depth: usize, leaves: usize) -> String {
        let mut text = String::from("<?xml version=\"1.0\"?>\n<opml version=\"2.0\"><body>\n");
        text.extend((1..depth).map(|i| format!("<outline text=\"d{i}\">")));
        for i in 0..leaves {
            text.push_str(&format!("<outline text=\"F\" xmlUrl=\"https://f{i}.example/\"/>\n"));
        }
        text.push_str(&"</outline>".repeat(depth.saturating_sub(1)));
        text + "</body></opml>\n"
    }

    #[test]
    fn nesting_is_bounded_with_a_position() {
        let feeds = read(&outlines(MAX_DEPTH, 1)).unwrap();
        assert_eq!(feeds[0].tags.len(), MAX_DEPTH - 1, "32 levels: 31 folders and the feed");
        // 10,000 levels used to overflow the stack.
        let e = read(&outlines(10_000, 1)).unwrap_err().to_string();
        assert_eq!(e, "not a readable OPML file: line 3, column 632: outlines nested more than 32 deep");
        let e = read(&outlines(MAX_DEPTH + 1, 1)).unwrap_err().to_string();
        assert!(e.ends_with("outlines nested more than 32 deep"), "{e}");
    }

    #[test]
    fn size_is_bounded_and_reading_is_linear() {
        // Every URL distinct: the old list search made this quadratic.
        assert_eq!(read(&outlines(1, MAX_OUTLINES)).unwrap().len(), MAX_OUTLINES);
        let e = read(&outlines(1, MAX_OUTLINES + 1)).unwrap_err().to_string();
        assert_eq!(e, "not a readable OPML file: line 10003, column 1: more than 10000 outlines");
    }

    #[test]
    fn broken_xml_names_its_place() {
        let e =
            read("<?xml version=\"1.0\"?>\n<opml><body>\n  <outline text=\"a\"></wrong></body></opml>").unwrap_err();
        assert!(e.to_string().starts_with("not a readable OPML file: line 3, column "), "{e}");
    }

    #[test]
    fn not_opml_is_an_error_in_words() {
        let e = read("<html><body>nope</body></html>").unwrap_err().to_string();
        assert!(e.starts_with("not a readable OPML file"), "{e}");
    }

    #[test]
    fn round_trip_keeps_urls_titles_and_tags() {
        let feeds = vec![
            ExportFeed {
                url: "https://a.example/rss?x=1&y=2".into(),
                title: "A <&> \"B\"".into(),
                site_url: Some("https://a.example/".into()),
                tags: vec!["news".into(), "world".into()],
            },
            ExportFeed { url: "https://c.example/".into(), title: "C".into(), site_url: None, tags: vec![] },
        ];
        let xml = write(&feeds, "Tue, 18 Jun 2024 21:05:00 GMT").unwrap();
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">"), "{xml}");
        assert!(xml.contains("category=\"news,world\""), "{xml}");
        let back = read(&xml).unwrap();
        assert_eq!(back.len(), 2);
        assert_eq!(back[0].url, feeds[0].url);
        assert_eq!(back[0].title.as_deref(), Some("A <&> \"B\""));
        assert_eq!(back[0].tags, ["news", "world"]);
        assert_eq!((back[1].title.as_deref(), back[1].tags.len()), (Some("C"), 0));
    }
}
