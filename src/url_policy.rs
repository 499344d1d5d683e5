//! Which URLs tidings may fetch, or hand to a browser or an export, by where
//! the URL came from. The one place schemes are decided: every fetch path
//! (feeds, full text, discovery, redirects, `save`) and every output of links
//! (`o`, `y`, numbered links, exports) asks `check`.
//!
//! Only the user may name a local file, and only as a feed (the config,
//! `feeds add`, `import`): a URL that came from the network — an item's
//! link, an enclosure, an `xml:base`, a redirect, a page's feed link — is
//! http(s), so a feed can never make tidings read `file:///etc/passwd`.

use url::Url;

/// Where a URL came from, which decides what it may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A feed the user named (the config, `feeds add`, `import`): http, https or file.
    UserFeed,
    /// Anything a server sent, or a page to fetch: http or https only.
    Network,
    /// A link handed to the browser, the clipboard or an export: http, https or mailto.
    Open,
}

impl Origin {
    /// Whether a parsed URL from this origin may be followed.
    pub fn allows(self, url: &Url) -> bool {
        self.schemes().contains(&url.scheme())
    }

    fn schemes(self) -> &'static [&'static str] {
        match self {
            Origin::UserFeed => &["http", "https", "file"],
            Origin::Network => &["http", "https"],
            Origin::Open => &["http", "https", "mailto"],
        }
    }
}

/// Why a URL was refused; `Display` is the message the user sees.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("not a URL: {0}")]
    NotAUrl(String),
    #[error("{scheme}: URLs are not followed here: only {allowed}")]
    Scheme { scheme: String, allowed: String },
}

/// The URL, parsed, if a URL from `origin` may have its scheme.
pub fn check(url: &str, origin: Origin) -> Result<Url, Refused> {
    let parsed = Url::parse(url.trim()).map_err(|e| Refused::NotAUrl(format!("\"{}\" ({e})", url.trim())))?;
    let allowed = origin.schemes();
    if allowed.contains(&parsed.scheme()) {
        return Ok(parsed);
    }
    let names: Vec<&str> = allowed.iter().filter(|s| **s != "file").copied().collect();
    let mut allowed = names.join(", ");
    if origin == Origin::UserFeed {
        allowed.push_str(" and file (for feeds in your config)");
    }
    Err(Refused::Scheme { scheme: parsed.scheme().to_string(), allowed })
}

/// `check` for outputs: the URL as text, or None.
pub fn openable(url: &str) -> Option<String> {
    check(url, Origin::Open).ok().map(String::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_user_may_name_a_file() {
        assert!(check("file:///home/me/feed.xml", Origin::UserFeed).is_ok());
        for url in ["file:///etc/passwd", "FILE:///etc/passwd", " file:///dev/zero"] {
            assert_eq!(
                check(url, Origin::Network).unwrap_err().to_string(),
                "file: URLs are not followed here: only http, https",
                "{url}"
            );
            assert!(check(url, Origin::Open).is_err(), "{url}");
        }
    }

    #[test]
    fn web_urls_pass_everywhere_and_mailto_only_to_outputs() {
        for origin in [Origin::UserFeed, Origin::Network, Origin::Open] {
            assert_eq!(check("https://a.example/x", origin).unwrap().as_str(), "https://a.example/x");
            assert!(check("http://a.example/", origin).is_ok());
        }
        assert!(check("mailto:desk@a.example", Origin::Open).is_ok());
        assert!(check("mailto:desk@a.example", Origin::Network).is_err());
        for url in ["javascript:alert(1)", "data:text/html,x", "ftp://a.example/", "gopher://a.example/"] {
            for origin in [Origin::UserFeed, Origin::Network, Origin::Open] {
                assert!(check(url, origin).is_err(), "{url} {origin:?}");
            }
        }
        assert_eq!(
            check("gopher://a.example/", Origin::UserFeed).unwrap_err().to_string(),
            "gopher: URLs are not followed here: only http, https and file (for feeds in your config)"
        );
        assert!(matches!(check("/relative", Origin::Network), Err(Refused::NotAUrl(_))));
        assert_eq!(openable("javascript:alert(1)"), None);
    }
}
