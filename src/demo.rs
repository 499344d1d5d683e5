//! `--demo`: the bundled demo feeds, dated relative to now, written to a
//! throw-away directory with a config that reads them through `file://` URLs
//! (the same poller path as real feeds, no network). The article pages the
//! items link to are bundled too (built from the items with a site's chrome
//! around them): `f` extracts the full text from them, so nothing in the demo
//! goes online.

use std::path::Path;

use anyhow::Context;

use crate::config::Paths;

/// (file name, contents, title, tags)
const FEEDS: &[(&str, &str, &str, &[&str])] = &[
    (
        "harbour-gazette.xml",
        include_str!("../assets/demo/harbour-gazette.xml"),
        "The Harbour Gazette",
        &["news", "local"],
    ),
    (
        "orbital-dispatch.xml",
        include_str!("../assets/demo/orbital-dispatch.xml"),
        "Orbital Dispatch",
        &["science", "space"],
    ),
    (
        "ledger-and-loom.json",
        include_str!("../assets/demo/ledger-and-loom.json"),
        "Ledger & Loom",
        &["business", "economy"],
    ),
];

/// A demo directory; removed when dropped.
pub struct Demo {
    _dir: tempfile::TempDir,
    pub paths: Paths,
    pub pages: Pages,
}

impl Demo {
    pub fn create() -> anyhow::Result<Demo> {
        let dir = tempfile::Builder::new().prefix("tidings-demo-").tempdir().context("creating the demo directory")?;
        let now = chrono::Utc::now().timestamp();
        let paths = write_demo(dir.path(), now)?;
        Ok(Demo { _dir: dir, paths, pages: Pages::bundled(now) })
    }
}

/// The demo's article pages, by the URL the items link to.
#[derive(Debug, Clone, Default)]
pub struct Pages {
    by_url: std::collections::HashMap<String, String>,
}

impl Pages {
    /// A page for every demo item: its outlet's header, navigation and
    /// footer around the item's full text.
    pub fn bundled(now: i64) -> Pages {
        let mut by_url = std::collections::HashMap::new();
        for (_, text, title, _) in FEEDS {
            let Ok(feed) = crate::feed::parse::parse("file:///demo", fill_dates(text, now).as_bytes()) else {
                continue;
            };
            for item in feed.items {
                let (Some(link), Some(body)) = (item.link.clone(), item.content.or(item.summary)) else { continue };
                by_url.insert(link, page(title, &item.title, item.author.as_deref(), &body));
            }
        }
        Pages { by_url }
    }

    /// The page for `url`, if the demo has one.
    pub fn get(&self, url: &str) -> Option<&str> {
        self.by_url.get(url).map(String::as_str)
    }

    pub fn len(&self) -> usize {
        self.by_url.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_url.is_empty()
    }

    /// The full text of `url`'s page, extracted as from a real site.
    pub fn full_text(&self, url: &str) -> Result<crate::article::extract::Extracted, String> {
        let html = self.get(url).ok_or("the demo has no page for this link (the demo never goes online)")?;
        crate::article::extract::extract_bytes(html.as_bytes(), Some(url)).map_err(|e| e.to_string())
    }
}

/// A news site's page around an article: what the extractor has to see through.
fn page(outlet: &str, title: &str, author: Option<&str>, body: &str) -> String {
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let byline = author.map(|a| format!("<p class=\"byline\">By {}</p>", esc(a))).unwrap_or_default();
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{t} — {o}</title></head><body>\
         <header><nav><a href=\"/\">{o}</a> · <a href=\"/news\">News</a> · <a href=\"/subscribe\">Subscribe</a></nav></header>\
         <main><article><h1>{t}</h1>{byline}{body}\
         <p>This page is part of the tidings demo: the article above, as the outlet's website would carry it.</p>\
         </article></main><aside><h2>Most read</h2><ul><li><a href=\"/a\">Other stories</a></li></ul></aside>\
         <footer>© {o} · <a href=\"/privacy\">Privacy</a> · <a href=\"/cookies\">Cookie settings</a></footer></body></html>",
        t = esc(title),
        o = esc(outlet),
    )
}

/// Full text served from the demo's pages, on a blocking thread, reported
/// like the real service's results.
pub struct LocalPages {
    pages: std::sync::Arc<Pages>,
    sink: crate::feed::fulltext::Sink,
}

impl LocalPages {
    pub fn new(pages: Pages, sink: crate::feed::fulltext::Sink) -> LocalPages {
        LocalPages { pages: std::sync::Arc::new(pages), sink }
    }
}

impl crate::app::FullTextFetch for LocalPages {
    fn request(&mut self, id: &str, url: &str, _prefetch: bool) {
        let (pages, sink, id, url) = (self.pages.clone(), self.sink.clone(), id.to_string(), url.to_string());
        tokio::task::spawn_blocking(move || sink(id, pages.full_text(&url)));
    }
}

/// Writes the demo feeds and config under `root`, with dates relative to `now`.
pub fn write_demo(root: &Path, now: i64) -> anyhow::Result<Paths> {
    let feeds_dir = root.join("feeds");
    std::fs::create_dir_all(&feeds_dir)?;
    let mut config = String::from("# The demo configuration (throw-away).\n\n");
    for (file, text, title, tags) in FEEDS {
        let path = feeds_dir.join(file);
        std::fs::write(&path, fill_dates(text, now)).with_context(|| format!("writing {}", path.display()))?;
        let url = url::Url::from_file_path(&path).map_err(|_| anyhow::anyhow!("bad demo path {}", path.display()))?;
        let tags = tags.iter().map(|t| format!("\"{t}\"")).collect::<Vec<_>>().join(", ");
        config.push_str(&format!("[[feed]]\nurl = \"{url}\"\ntitle = \"{title}\"\ntags = [{tags}]\n\n"));
    }
    let paths = Paths { config: root.join("config.toml"), data_dir: root.join("data") };
    std::fs::write(&paths.config, config)?;
    Ok(paths)
}

/// Replaces `{{RFC2822:-2h}}` and `{{RFC3339:-15m}}` with dates that long before `now`.
pub fn fill_dates(text: &str, now: i64) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let Some(len) = rest[start..].find("}}") else {
            break;
        };
        let inner = &rest[start + 2..start + len];
        rest = &rest[start + len + 2..];
        match substitute(inner, now) {
            Some(date) => out.push_str(&date),
            None => {
                out.push_str("{{");
                out.push_str(inner);
                out.push_str("}}");
            }
        }
    }
    out.push_str(rest);
    out
}

fn substitute(inner: &str, now: i64) -> Option<String> {
    let (format, offset) = inner.split_once(':')?;
    let offset = offset.strip_prefix('-')?;
    let (num, unit) = offset.split_at(offset.len().checked_sub(1)?);
    let n: i64 = num.parse().ok()?;
    let secs = n * match unit {
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return None,
    };
    let when = chrono::DateTime::from_timestamp(now - secs, 0)?;
    match format {
        "RFC2822" => Some(when.to_rfc2822()),
        "RFC3339" => Some(when.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_become_dates() {
        let now = 1_718_744_700; // 2024-06-18 21:05 UTC
        assert_eq!(fill_dates("<d>{{RFC3339:-2h}}</d>", now), "<d>2024-06-18T19:05:00Z</d>");
        assert_eq!(fill_dates("{{RFC2822:-1d}}", now), "Mon, 17 Jun 2024 21:05:00 +0000");
        assert_eq!(fill_dates("keep {{other}} as is", now), "keep {{other}} as is");
    }

    #[test]
    fn every_demo_item_has_a_page_with_its_full_text() {
        let pages = Pages::bundled(1_718_744_700);
        assert!(pages.len() >= 30, "{} pages", pages.len());
        let url = "https://harbour-gazette.example/city/ferry-strike-deal";
        let full = pages.full_text(url).unwrap();
        assert!(full.text.contains("Ferry services between Port Alder and Skerrin Island"), "{}", full.text);
        assert!(!full.text.contains("Cookie settings") && !full.text.contains("Most read"), "{}", full.text);
        let err = pages.full_text("https://elsewhere.example/").unwrap_err();
        assert!(err.contains("never goes online"), "{err}");
    }

    #[test]
    fn demo_feeds_parse_with_enough_items() {
        let dir = tempfile::tempdir().unwrap();
        let paths = write_demo(dir.path(), 1_718_744_700).unwrap();
        let cfg = crate::config::load(&paths.config).unwrap();
        assert_eq!(cfg.feeds.len(), 3);
        let mut items = 0;
        for (file, ..) in FEEDS {
            let bytes = std::fs::read(dir.path().join("feeds").join(file)).unwrap();
            let feed = crate::feed::parse::parse("file:///demo", &bytes).unwrap();
            assert!(feed.items.iter().all(|i| !i.title.is_empty() && i.content.is_some()), "{file}");
            items += feed.items.len();
        }
        assert!(items >= 30, "{items} demo items");
    }
}
