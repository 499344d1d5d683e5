//! Links in article text: which ones get a number, and their absolute URLs.

use url::Url;

/// The absolute URL of `href` as found in an article whose page is `base`,
/// or None for links that lead nowhere a reader can follow (same-page
/// anchors, `javascript:`, `data:`, relative links without a base).
pub fn resolve(base: Option<&Url>, href: &str) -> Option<String> {
    let href = href.trim();
    if href.is_empty() || href.starts_with('#') {
        return None;
    }
    let url = match Url::parse(href) {
        Ok(u) => u,
        Err(url::ParseError::RelativeUrlWithoutBase) => base?.join(href).ok()?,
        Err(_) => return None,
    };
    // Worth a number only if a browser or mail client may open it (the one link policy).
    crate::url_policy::openable(url.as_str())
}

/// `resolve` with the base given as text.
pub fn resolve_str(base: Option<&str>, href: &str) -> Option<String> {
    let base = base.and_then(|b| Url::parse(b).ok());
    resolve(base.as_ref(), href)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://news.example/world/2024/06/story.html?utm=x";

    #[test]
    fn relative_links_resolve_against_the_item() {
        let r = |h| resolve_str(Some(BASE), h);
        assert_eq!(r("/about").as_deref(), Some("https://news.example/about"));
        assert_eq!(r("other.html").as_deref(), Some("https://news.example/world/2024/06/other.html"));
        assert_eq!(r("../05/old.html#p2").as_deref(), Some("https://news.example/world/2024/05/old.html#p2"));
        assert_eq!(r("//cdn.example/x").as_deref(), Some("https://cdn.example/x"));
        assert_eq!(r("  https://else.example/a b ").as_deref(), Some("https://else.example/a%20b"));
        assert_eq!(r("mailto:desk@news.example").as_deref(), Some("mailto:desk@news.example"));
    }

    #[test]
    fn dead_ends_get_no_number() {
        for href in ["#top", "", "javascript:alert(1)", "data:text/html,x", "file:///etc/passwd", "tel:+1"] {
            assert_eq!(resolve_str(Some(BASE), href), None, "{href}");
        }
        assert_eq!(resolve_str(None, "/relative"), None);
        assert_eq!(resolve_str(None, "https://a.example/").as_deref(), Some("https://a.example/"));
    }
}
