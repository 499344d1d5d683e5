//! OPML feed lists: reading one exported by another reader (nested outlines
//! become tags, as does a `category` attribute) and writing OPML 2.0 with
//! each feed's tags as its `category`. The XML itself is the `opml` crate's.

use opml::{OPML, Outline};

use crate::config::edit::NewFeed;

#[derive(Debug, thiserror::Error)]
#[error("not a readable OPML file: {0}")]
pub struct OpmlError(String);

/// The feeds of an OPML document, in document order; a feed listed under
/// several folders appears once with all their tags.
pub fn read(text: &str) -> Result<Vec<NewFeed>, OpmlError> {
    let doc = OPML::from_str(text).map_err(|e| OpmlError(describe(&e)))?;
    let mut feeds: Vec<NewFeed> = Vec::new();
    walk(&doc.body.outlines, &mut Vec::new(), &mut feeds);
    Ok(feeds)
}

fn describe(e: &opml::Error) -> String {
    match e {
        opml::Error::XmlError(x) => format!("{e} ({x})"),
        other => other.to_string(),
    }
}

fn walk(outlines: &[Outline], folders: &mut Vec<String>, out: &mut Vec<NewFeed>) {
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
                match out.iter_mut().find(|f| f.url == url) {
                    Some(seen) => merge(&mut seen.tags, tags),
                    None => {
                        let mut feed = NewFeed { url: url.to_string(), title, tags: vec![] };
                        merge(&mut feed.tags, tags);
                        out.push(feed);
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
