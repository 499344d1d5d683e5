//! `tidings save URL|ID`: an item by its ID, or a web page by its URL. A URL
//! that is the link of a stored item saves that item (with its feed and
//! dates); any other URL is fetched (same limits as feeds) and kept.

use std::io::Write;

use anyhow::Context;

use super::{EXIT_OK, UsageError};
use crate::article::{page, sanitize};
use crate::config::Config;
use crate::feed::{Fetched, Fetcher};
use crate::store::{SaveOutcome, Store, Validators};
use crate::url_policy::{self, Origin};

/// Item IDs are 16 hex digits (see `store::stable_id`).
pub fn is_item_id(s: &str) -> bool {
    s.len() == 16 && s.chars().all(|c| c.is_ascii_hexdigit())
}

pub async fn run(cfg: &Config, store: &mut Store, target: &str, out: &mut impl Write) -> anyhow::Result<i32> {
    let now = crate::app::system_clock();
    let target = target.trim();
    if is_item_id(target) {
        let outcome = store.save_item(&target.to_ascii_lowercase(), now)?;
        return report(store, outcome, target, out);
    }
    // A URL given to `save` is often one a feed gave (a script piping `list --json`
    // into it), so it is held to the network's rule: http(s), never a local file.
    let url = match url_policy::check(target, Origin::Network) {
        Ok(u) => u,
        Err(_) => return Err(UsageError(format!("\"{target}\" is neither an item ID nor an http(s) URL")).into()),
    };
    for link in [target, url.as_str()] {
        if let Some(id) = store.saved_with_link(link)? {
            return report(store, SaveOutcome::Already { id }, target, out);
        }
        if let Some(id) = store.item_with_link(link)? {
            let outcome = store.save_item(&id, now)?;
            return report(store, outcome, target, out);
        }
    }
    let fetcher = Fetcher::new(&cfg.poller)?;
    let (bytes, final_url) = match fetcher.get(url.as_str(), &Validators::default()).await {
        Ok(Fetched::Body { bytes, meta, .. }) => (bytes, meta.final_url),
        Ok(Fetched::NotModified { .. }) => {
            anyhow::bail!("cannot fetch {url}: the server answered 304 to a plain request")
        }
        Err(e) => return Err(e).with_context(|| format!("cannot fetch {url}")),
    };
    // Extraction is CPU work on untrusted input: off the async threads.
    let base = final_url.unwrap_or_else(|| url.to_string());
    let (title, content) = tokio::task::spawn_blocking(move || {
        let html = crate::article::extract::decode(&bytes);
        page::title_and_content(&html, &base)
    })
    .await
    .context("extracting the page")?;
    let outcome = store.save_page(url.as_str(), &title, &content, now)?;
    report(store, outcome, target, out)
}

fn report(store: &Store, outcome: SaveOutcome, target: &str, out: &mut impl Write) -> anyhow::Result<i32> {
    match outcome {
        SaveOutcome::Added { id, title } => writeln!(out, "saved {id}  {}", sanitize::line(&title))?,
        SaveOutcome::Already { id } => {
            let title = store.reading_entry(&id)?.map(|e| e.title).unwrap_or_default();
            writeln!(out, "already in the reading list: {id}  {}", sanitize::line(&title))?;
        }
        SaveOutcome::Missing => return Err(UsageError(format!("no item with ID {target}")).into()),
    }
    Ok(EXIT_OK)
}
