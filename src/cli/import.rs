//! `tidings import FILE`: adds the feeds of an OPML file (nested outlines
//! become tags) or a newsboat `urls` file to the config, keeping the user's
//! comments. Feeds already listed are left as they are.

use std::io::Write;
use std::path::Path;

use super::{EXIT_OK, EXIT_PARTIAL, UsageError};
use crate::article::sanitize;
use crate::config::edit::{ConfigFile, NewFeed};
use crate::feed::{charset, opml, urls};

/// The feeds of a file, OPML or urls, and notes on what was skipped.
pub fn read_feed_list(bytes: &[u8]) -> Result<(Vec<NewFeed>, Vec<String>), String> {
    let text = charset::decode_document(bytes);
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('<') {
        return opml::read(trimmed).map(|f| (f, vec![])).map_err(|e| e.to_string());
    }
    let file = urls::read(&text);
    if file.feeds.is_empty() && file.notes.is_empty() {
        return Err("no feeds found (expected OPML or a newsboat urls file)".into());
    }
    Ok((file.feeds, file.notes))
}

pub fn run(config_path: &Path, file: &Path, out: &mut impl Write) -> anyhow::Result<i32> {
    let bytes = std::fs::read(file).map_err(|e| UsageError(format!("cannot read {}: {e}", file.display())))?;
    let (feeds, notes) = read_feed_list(&bytes).map_err(|e| UsageError(format!("{}: {e}", file.display())))?;
    let mut config = ConfigFile::open(config_path)?;
    let (mut added, mut present, mut bad) = (0, 0, Vec::new());
    for feed in &feeds {
        let ok = url::Url::parse(&feed.url).is_ok_and(|u| matches!(u.scheme(), "http" | "https" | "file"));
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
