//! `tidings export opml`: the feed list as OPML 2.0, tags as `category`.
//! `export` is a family: other forms (the reading list) slot in beside it.

use std::io::Write;
use std::path::Path;

use super::EXIT_OK;
use crate::article::sanitize;
use crate::config::Config;
use crate::feed::opml::{self, ExportFeed};
use crate::store::Store;

pub fn opml(cfg: &Config, store: &Store, output: Option<&Path>, out: &mut impl Write) -> anyhow::Result<i32> {
    let health = store.feed_health()?;
    let feeds: Vec<ExportFeed> = cfg
        .feeds
        .iter()
        .map(|f| {
            let h = health.iter().find(|h| h.url == f.url);
            // Titles and site links come from the network: no control characters in the file.
            let title = f.title.clone().or_else(|| h.map(|h| h.title.clone())).unwrap_or_else(|| f.url.clone());
            ExportFeed {
                url: f.url.clone(),
                title: sanitize::line(&title).into_owned(),
                site_url: h.and_then(|h| h.site_url.as_deref()).map(|s| sanitize::line(s).into_owned()),
                tags: f.tags.clone(),
            }
        })
        .collect();
    let created = chrono::Utc::now().to_rfc2822();
    let xml = opml::write(&feeds, &created)?;
    match output {
        Some(path) => {
            super::output::write_file(path, xml.as_bytes())
                .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
            writeln!(out, "exported {} feeds to {}", feeds.len(), path.display())?;
        }
        None => out.write_all(xml.as_bytes())?,
    }
    Ok(EXIT_OK)
}
