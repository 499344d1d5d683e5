//! `tidings feeds [list|add|remove]`: the feeds in the config, with their
//! health; adding one (from a feed URL or a web page that links to its feed)
//! and removing one rewrite the config, keeping the user's comments.

use std::io::Write;
use std::path::Path;

use super::stats::{feed_json, next_words, status_words};
use super::{EXIT_OK, UsageError};
use crate::article::sanitize;
use crate::config::Config;
use crate::config::edit::{ConfigFile, NewFeed};
use crate::feed::Fetcher;
use crate::feed::discover::discover;
use crate::store::Store;
use crate::url_policy::{self, Origin, Refused};

/// Each feed of the config: title and tags, URL, health.
pub fn list(cfg: &Config, store: &Store, json: bool, out: &mut impl Write) -> anyhow::Result<i32> {
    let now = crate::app::system_clock();
    let health = store.feed_health()?;
    // With [sync], the feeds are the server's (the config's are not polled).
    let feeds: Vec<_> = match cfg.sync {
        Some(_) => health.iter().collect(),
        None => cfg.feeds.iter().filter_map(|f| health.iter().find(|h| h.url == f.url)).collect(),
    };
    if json {
        let doc: Vec<_> = feeds.iter().map(|h| feed_json(h, now)).collect();
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        writeln!(out)?;
        return Ok(EXIT_OK);
    }
    for (i, h) in feeds.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        let tags: Vec<String> = h.tags.iter().map(|t| format!("#{}", sanitize::line(t))).collect();
        let mark = if h.error.is_some() { "⚠ " } else { "" };
        writeln!(out, "{mark}{}  {}", sanitize::line(&h.title), tags.join(" ")).map(|_| ())?;
        writeln!(out, "    {}", sanitize::line(&h.url))?;
        if let Some(to) = &h.moved_to {
            writeln!(
                out,
                "    moved permanently to {} (fetched from there; update the config to match)",
                sanitize::line(to)
            )?;
        }
        let mut health = format!("    {}", sanitize::line(&status_words(h)));
        if h.last_fetch.is_some() {
            health.push_str(&format!(" · {} items · next poll {}", h.items, next_words(h, now)));
        }
        writeln!(out, "{health}")?;
    }
    Ok(EXIT_OK)
}

/// A URL as typed: "example.com/blog" means https. Without a scheme the
/// host must look like one (a dot, or localhost): `feeds add foo` is a typo,
/// not `https://foo/`.
fn normalise(url: &str) -> Result<String, UsageError> {
    let url = url.trim();
    let not_a_url = || UsageError(format!("\"{url}\" is not a URL (write e.g. https://example.com/feed.xml)"));
    let has_scheme = url.contains("://");
    let with_scheme = if has_scheme { url.to_string() } else { format!("https://{url}") };
    match url_policy::check(&with_scheme, Origin::UserFeed) {
        Ok(u) if !has_scheme && !u.host_str().is_some_and(|h| h.contains('.') || h == "localhost") => Err(not_a_url()),
        Ok(u) => Ok(u.to_string()),
        Err(Refused::Scheme { scheme, .. }) => Err(UsageError(format!("unsupported URL scheme \"{scheme}\""))),
        Err(Refused::NotAUrl(_)) => Err(not_a_url()),
    }
}

pub async fn add(
    cfg: &Config,
    config_path: &Path,
    url: &str,
    tags: Vec<String>,
    title: Option<String>,
    out: &mut impl Write,
) -> anyhow::Result<i32> {
    let url = normalise(url)?;
    // The same cleaning as an import: what goes into the config is shown on screen later.
    let NewFeed { tags, title, .. } = super::import::clean(NewFeed { url: String::new(), tags, title });
    if ConfigFile::open(config_path)?.has_feed(&url) {
        writeln!(out, "already in the config: {url}")?;
        return Ok(EXIT_OK);
    }
    let fetcher = Fetcher::new(&cfg.poller)?;
    let found = discover(&fetcher, &url).await.map_err(|e| anyhow::anyhow!("cannot add {url}: {e}"))?;
    // Read again, locked until saved: another `feeds add` may have changed it meanwhile.
    let mut file = ConfigFile::open_locked(config_path)?;
    if file.has_feed(&url) {
        writeln!(out, "already in the config: {url}")?;
        return Ok(EXIT_OK);
    }
    if file.has_feed(&found.url) {
        writeln!(out, "already in the config: {} (the feed of {url})", sanitize::line(&found.url))?;
        return Ok(EXIT_OK);
    }
    file.add_feed(&NewFeed { url: found.url.clone(), title: title.clone(), tags: tags.clone() });
    file.save()?;
    let name = title.or(found.title).unwrap_or_else(|| found.url.clone());
    let tags: String = tags.iter().map(|t| format!(" #{}", sanitize::line(t))).collect();
    writeln!(out, "added {} ({}, {} items){tags}", sanitize::line(&name), sanitize::line(&found.url), found.items)?;
    if found.from_page {
        writeln!(out, "  found through the page {url}")?;
    }
    if found.moved {
        writeln!(out, "  the address moved permanently; the new one was added")?;
    }
    for other in &found.others {
        writeln!(out, "  the page also offers {other}")?;
    }
    Ok(EXIT_OK)
}

pub fn remove(config_path: &Path, url: &str, out: &mut impl Write) -> anyhow::Result<i32> {
    let mut file = ConfigFile::open_locked(config_path)?;
    if !file.remove_feed(url) {
        let near: Vec<String> =
            file.feed_urls().into_iter().filter(|u| u.contains(url.trim_end_matches('/'))).collect();
        let hint = if near.is_empty() { String::new() } else { format!(" (did you mean {}?)", near.join(", ")) };
        return Err(UsageError(format!("no feed with URL {url} in the config{hint}")).into());
    }
    file.save()?;
    writeln!(out, "removed {url} from the config")?;
    Ok(EXIT_OK)
}

#[cfg(test)]
mod tests {
    use super::normalise;

    #[test]
    fn typed_urls_are_checked() {
        assert_eq!(normalise("example.com/blog").unwrap(), "https://example.com/blog");
        assert_eq!(normalise("http://localhost:8080/f").unwrap(), "http://localhost:8080/f");
        let e = normalise("foo").unwrap_err().to_string();
        assert_eq!(e, "\"foo\" is not a URL (write e.g. https://example.com/feed.xml)");
        assert!(normalise("ftp://x.example/").is_err());
    }
}
