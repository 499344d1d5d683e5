//! `tidings show ID [--full]`: one item as plain text — header, body with
//! numbered links, and the links listed with absolute URLs. `--full` prints
//! the article extracted from the item's page, fetching it first if needed.

use std::io::Write;

use super::{EXIT_OK, EXIT_PARTIAL, UsageError};
use crate::article::render::render;
use crate::article::sanitize;
use crate::config::Config;
use crate::feed::{Fetcher, fulltext};
use crate::model::Article;
use crate::store::Store;

/// The width used when stdout is not a terminal.
pub const DEFAULT_WIDTH: u16 = 80;
/// Wider than this is hard to read, however wide the terminal.
const MAX_AUTO_WIDTH: u16 = 100;

/// The width to lay the text out at: the user's, else the terminal's (capped), else 80.
pub fn width(asked: Option<u16>) -> u16 {
    use std::io::IsTerminal;
    asked
        .unwrap_or_else(|| {
            if std::io::stdout().is_terminal() {
                ratatui::crossterm::terminal::size().map_or(DEFAULT_WIDTH, |(w, _)| w.min(MAX_AUTO_WIDTH))
            } else {
                DEFAULT_WIDTH
            }
        })
        .max(20)
}

pub async fn run(
    cfg: &Config,
    store: &mut Store,
    id: &str,
    full: bool,
    width: u16,
    out: &mut impl Write,
) -> anyhow::Result<i32> {
    let Some(article) = store.article(id)? else {
        return Err(UsageError(format!("no item with id {}", sanitize::line(id))).into());
    };
    let html = if full {
        match full_html(cfg, store, &article).await? {
            Ok(html) => html,
            Err(error) => {
                eprintln!("tidings: no full text for {id}: {}", sanitize::line(&error));
                return Ok(EXIT_PARTIAL);
            }
        }
    } else {
        article.html.clone()
    };
    let utc_offset = chrono::Local::now().offset().local_minus_utc();
    write_header(&article, &cfg.ui.date_format, utc_offset, out)?;
    let body = render(&html, article.link.as_deref(), width);
    for line in body.plain_lines() {
        writeln!(out, "{line}")?;
    }
    Ok(EXIT_OK)
}

/// The stored full text, else fetched and extracted now (and stored, success or failure).
async fn full_html(cfg: &Config, store: &mut Store, article: &Article) -> anyhow::Result<Result<String, String>> {
    if let Some(html) = &article.full_html {
        return Ok(Ok(html.clone()));
    }
    let Some(link) = article.link.as_deref().filter(|l| !l.is_empty()) else {
        return Ok(Err("the item has no link to fetch".into()));
    };
    let fetcher = Fetcher::new(&cfg.poller)?;
    let now = crate::app::system_clock();
    Ok(match fulltext::fetch_one(&fetcher, link).await {
        Ok(extracted) => {
            store.set_full_text(&article.id, &extracted, now)?;
            Ok(extracted.html)
        }
        Err(error) => {
            store.record_full_text_error(&article.id, &error, now)?;
            Err(error)
        }
    })
}

fn write_header(article: &Article, date_format: &str, utc_offset: i32, out: &mut impl Write) -> std::io::Result<()> {
    let title = sanitize::line(&article.title);
    writeln!(out, "{}", if title.is_empty() { "(untitled)" } else { &title })?;
    let mut meta = vec![sanitize::line(&article.feed).into_owned()];
    if let Some(ts) = article.published {
        meta.push(crate::ui::text::date(ts, utc_offset, date_format));
    }
    if let Some(author) = article.author.as_deref().map(sanitize::author).filter(|a| !a.is_empty()) {
        meta.push(author.into_owned());
    }
    writeln!(out, "{}", meta.join(" · "))?;
    if let Some(link) = article.link.as_deref().map(sanitize::line).filter(|l| !l.is_empty()) {
        writeln!(out, "{link}")?;
    }
    if !article.tags.is_empty() {
        writeln!(out, "tags: {}", sanitize::line(&article.tags.join(" ")))?;
    }
    writeln!(out)
}
