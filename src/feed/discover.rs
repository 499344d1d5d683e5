//! Finding a site's feed from a URL the user pasted: the URL may be a feed
//! already, or a web page that names its feeds with
//! `<link rel="alternate" type="application/rss+xml" href="…">` (Atom and
//! JSON Feed likewise). Candidates are tried in the page's order; the first
//! that parses as a feed wins.

use std::cell::RefCell;

use html5ever::TokenizerResult;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts};

use super::fetch::{FetchError, Fetched, Fetcher};
use super::parse::{self, ParseError};
use crate::store::Validators;
use crate::url_policy::{self, Origin};

/// Link types that announce a feed.
const FEED_TYPES: [&str; 6] = [
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/json",
    "application/rdf+xml",
    "application/x.atom+xml",
];

/// A feed found for a URL.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// The feed's URL, after any permanent redirect.
    pub url: String,
    /// The feed's own title.
    pub title: Option<String>,
    pub items: usize,
    /// The URL given was a web page that linked to the feed.
    pub from_page: bool,
    /// The URL given (or the feed link) moved permanently to `url`.
    pub moved: bool,
    /// Other feeds the page announced (e.g. a comments feed), not added.
    pub others: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DiscoverError {
    #[error("{0}")]
    Fetch(#[from] FetchError),
    #[error("no feed found: the page links to no RSS, Atom or JSON feed")]
    NoFeedLinks,
    #[error("no feed found: {0}")]
    NotAFeed(ParseError),
    #[error("no feed found: the page's feed links failed ({0})")]
    LinksFailed(String),
}

/// Finds the feed behind `url`.
pub async fn discover(fetcher: &Fetcher, url: &str) -> Result<Found, DiscoverError> {
    // The URL the user typed may be a local file; the links a page names may not.
    let (bytes, final_url, moved_to) = get(fetcher, url, true).await?;
    let parsed = parse_off_thread(&final_url, bytes.clone()).await;
    match parsed {
        Ok(feed) => {
            return Ok(Found {
                moved: moved_to.is_some(),
                url: moved_to.unwrap_or_else(|| url.to_string()),
                title: feed.title,
                items: feed.items.len(),
                from_page: false,
                others: vec![],
            });
        }
        Err(ParseError::Html) => {}
        Err(e) if !looks_like_markup(&bytes) => return Err(DiscoverError::NotAFeed(e)),
        Err(_) => {}
    }
    let links = feed_links(&String::from_utf8_lossy(&bytes), &final_url);
    if links.is_empty() {
        return Err(DiscoverError::NoFeedLinks);
    }
    let mut failures = Vec::new();
    for (i, link) in links.iter().enumerate() {
        let result = match get(fetcher, link, false).await {
            Ok((bytes, final_link, moved_to)) => {
                parse_off_thread(&final_link, bytes).await.map(|f| (f, moved_to)).map_err(|e| e.to_string())
            }
            Err(e) => Err(e.to_string()),
        };
        match result {
            Ok((feed, moved_to)) => {
                return Ok(Found {
                    moved: moved_to.is_some(),
                    url: moved_to.unwrap_or_else(|| link.clone()),
                    title: feed.title,
                    items: feed.items.len(),
                    from_page: true,
                    others: links.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, l)| l.clone()).collect(),
                });
            }
            Err(e) => failures.push(format!("{link}: {e}")),
        }
    }
    Err(DiscoverError::LinksFailed(failures.join("; ")))
}

/// The body, the URL it finally came from, and the permanent move if any.
async fn get(fetcher: &Fetcher, url: &str, users: bool) -> Result<(Vec<u8>, String, Option<String>), FetchError> {
    let fetched = if users {
        fetcher.get_feed(url, &Validators::default()).await?
    } else {
        fetcher.get(url, &Validators::default()).await?
    };
    match fetched {
        Fetched::Body { bytes, meta, .. } => {
            let final_url = meta.final_url.clone().unwrap_or_else(|| url.to_string());
            Ok((bytes, final_url, meta.moved_to))
        }
        // Without validators a 304 is the server's mistake.
        Fetched::NotModified { .. } => Err(FetchError::Status { code: 304, reason: "Not Modified".into() }),
    }
}

async fn parse_off_thread(url: &str, bytes: Vec<u8>) -> Result<crate::model::FetchedFeed, ParseError> {
    let url = url.to_string();
    tokio::task::spawn_blocking(move || parse::parse(&url, &bytes)).await.unwrap_or(Err(ParseError::Panicked))
}

fn looks_like_markup(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_ascii_lowercase();
    head.contains("<html") || head.contains("<head") || head.contains("<link") || head.contains("<!doctype")
}

/// The feed URLs a page announces, absolute, in page order, without duplicates.
pub fn feed_links(html: &str, page_url: &str) -> Vec<String> {
    let sink = LinkSink::default();
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    while let TokenizerResult::Script(_) = tokenizer.feed(&input) {}
    tokenizer.end();
    let sink = tokenizer.sink;
    let base = url::Url::parse(page_url).ok();
    let base = match (sink.base.take(), &base) {
        (Some(b), Some(page)) => page.join(&b).ok().or(base),
        _ => base,
    };
    let mut out: Vec<String> = Vec::new();
    for href in sink.links.take() {
        let absolute = match &base {
            Some(b) => b.join(href.trim()).ok(),
            None => url::Url::parse(href.trim()).ok(),
        };
        let allowed = absolute.and_then(|u| url_policy::check(u.as_str(), Origin::Network).ok());
        if let Some(u) = allowed.map(String::from)
            && !out.contains(&u)
        {
            out.push(u);
        }
    }
    out
}

/// Collects `<link rel="alternate">` feed hrefs and `<base href>` while tokenizing.
#[derive(Default)]
struct LinkSink {
    links: RefCell<Vec<String>>,
    base: RefCell<Option<String>>,
}

impl TokenSink for LinkSink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        if let Token::TagToken(tag) = token
            && tag.kind == TagKind::StartTag
        {
            match &*tag.name {
                "link" if is_feed_link(&tag) => {
                    if let Some(href) = attr(&tag, "href") {
                        self.links.borrow_mut().push(href);
                    }
                }
                "base" if self.base.borrow().is_none() => *self.base.borrow_mut() = attr(&tag, "href"),
                _ => {}
            }
        }
        TokenSinkResult::Continue
    }
}

fn attr(tag: &Tag, name: &str) -> Option<String> {
    tag.attrs.iter().find(|a| &*a.name.local == name).map(|a| a.value.to_string())
}

fn is_feed_link(tag: &Tag) -> bool {
    let rel = attr(tag, "rel").unwrap_or_default().to_ascii_lowercase();
    let kind = attr(tag, "type").unwrap_or_default().to_ascii_lowercase();
    let kind = kind.split(';').next().unwrap_or("").trim().to_string();
    rel.split_ascii_whitespace().any(|r| r == "alternate") && FEED_TYPES.contains(&kind.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_found_resolved_and_deduplicated() {
        let html = r#"<!doctype html><html><head>
            <link rel="stylesheet" href="/style.css">
            <link rel="alternate" type="application/rss+xml" title="News" href="/feed.xml">
            <LINK REL="Alternate" TYPE="application/atom+xml" HREF="atom.xml">
            <link rel="alternate" type="application/feed+json" href="https://cdn.example/feed.json">
            <link rel="alternate" type="text/html" hreflang="de" href="/de/">
            <link rel="alternate" type="application/rss+xml" href="/feed.xml">
            <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
            <link rel="alternate" type="application/rss+xml" href="file:///etc/passwd">
            </head><body><p>hi</p></body></html>"#;
        assert_eq!(
            feed_links(html, "https://site.example/blog/post"),
            ["https://site.example/feed.xml", "https://site.example/blog/atom.xml", "https://cdn.example/feed.json"]
        );
    }

    #[test]
    fn base_href_is_honoured() {
        let html = r#"<html><head><base href="https://other.example/sub/">
            <link rel="alternate" type="application/rss+xml" href="rss"></head></html>"#;
        assert_eq!(feed_links(html, "https://site.example/"), ["https://other.example/sub/rss"]);
    }

    #[test]
    fn a_page_without_links_has_none() {
        assert!(feed_links("<html><body><a href='/feed'>feed</a></body></html>", "https://s.example/").is_empty());
        assert!(feed_links("not html at all \u{0} <<<", "https://s.example/").is_empty());
    }
}
