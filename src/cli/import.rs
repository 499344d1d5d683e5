//! `tidings import FILE`: adds the feeds of an OPML file (nested outlines
//! become tags) or a newsboat `urls` file to the config, keeping the user's
//! comments. Feeds already listed are left as they are.

use std::io::Write;
use std::path::Path;

use super::{EXIT_OK, EXIT_PARTIAL, UsageError};
use crate::article::sanitize;
use crate::config::edit::{ConfigFile, NewFeed};
use crate::feed::{charset, opml, urls};
use crate::url_policy::{self, Origin};

/// The feeds of a file, OPML or urls, and notes on what was skipped. Titles
/// and tags are sanitised: they go into the config, and from there to the screen.
pub fn read_feed_list(bytes: &[u8]) -> Result<(Vec<NewFeed>, Vec<String>), String> {
    let text = charset::decode_document(bytes);
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    let (feeds, notes) = if trimmed.starts_with('<') {
        (opml::read(trimmed).map_err(|e| e.to_string())?, vec![])
    } else {
        let file = urls::read(&text);
        if file.feeds.is_empty() && file.notes.is_empty() {
            return Err("no feeds found (expected OPML or a newsboat urls file)".into());
        }
        if file.feeds.len() > opml::MAX_OUTLINES {
            return Err(format!("more than {} feeds", opml::MAX_OUTLINES));
        }
        (file.feeds, file.notes)
    };
    Ok((feeds.into_iter().map(clean).collect(), notes))
}

/// A feed's title and tags without control, bidi or invisible characters
/// (what is left empty is dropped).
pub fn clean(feed: NewFeed) -> NewFeed {
    let line = |s: &str| sanitize::line(s).into_owned();
    let mut tags: Vec<String> = Vec::with_capacity(feed.tags.len());
    for tag in feed.tags.iter().map(|t| line(t)).filter(|t| !t.is_empty()) {
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    NewFeed { title: feed.title.as_deref().map(line).filter(|t| !t.is_empty()), tags, url: feed.url }
}

pub fn run(config_path: &Path, file: &Path, out: &mut impl Write) -> anyhow::Result<i32> {
    let bytes = std::fs::read(file).map_err(|e| UsageError(format!("cannot read {}: {e}", file.display())))?;
    let (feeds, notes) = read_feed_list(&bytes).map_err(|e| UsageError(format!("{}: {e}", file.display())))?;
    let mut config = ConfigFile::open_locked(config_path)?;
    let (mut added, mut present, mut bad) = (0, 0, Vec::new());
    for feed in &feeds {
        // An import is the user's own list: it may name local files, like the config.
        let ok = url_policy::check(&feed.url, Origin::UserFeed).is_ok();
        if !ok {
            bad.push(feed.url.clone());
        } else if config.add_feed(feed) {
            added += 1;
        } else {
            present += 1;
        }
    }
    if feeds.is_empty() || added + present == 0 {
        // Nothing importable at all: most likely the wrong file.
        let mut why = format!(
            "{}: nothing to import (no feed URLs found; expected OPML or a newsboat urls file)",
            file.display()
        );
        if let Some(url) = bad.first() {
            why.push_str(&format!("; not a URL: \"{}\"", sanitize::line(url)));
        }
        return Err(UsageError(why).into());
    }
    if added > 0 {
        config.save()?;
    }
    writeln!(out, "imported {added} feeds from {} ({present} already listed)", file.display())?;
    for note in &notes {
        writeln!(out, "  {}", sanitize::line(note))?;
    }
    for url in &bad {
        writeln!(out, "  skipped \"{}\" (not a URL tidings can fetch)", sanitize::line(url))?;
    }
    Ok(if bad.is_empty() { EXIT_OK } else { EXIT_PARTIAL })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_and_tags_are_cleaned_before_they_reach_the_config() {
        let opml = "<?xml version=\"1.0\"?><opml version=\"2.0\"><body>\
            <outline text=\"Ne\u{85}ws\u{202e}\u{200b}\"><outline text=\"Da\u{84}ily\u{2066} \" \
            xmlUrl=\"https://d.example/feed\" category=\"po\u{202d}litics,\u{200b}\"/></outline></body></opml>";
        let (feeds, _) = read_feed_list(opml.as_bytes()).unwrap();
        assert_eq!(feeds.len(), 1);
        assert_eq!(feeds[0].title.as_deref(), Some("Daily"));
        assert_eq!(feeds[0].tags, ["News", "politics"]);
        let urls = "https://e.example/rss \"~Ti\u{80}tle\u{202e}\" ta\u{200f}g \u{2067}\n";
        let (feeds, _) = read_feed_list(urls.as_bytes()).unwrap();
        assert_eq!((feeds[0].title.as_deref(), feeds[0].tags.clone()), (Some("Title"), vec!["tag".to_string()]));
    }
}
